/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-record-row.h"

#define PAD_X 12
#define PAD_Y 6

struct _TsuRecordRow
{
  GtkWidget parent_instance;

  TsuRecordListView *view; /* not referenced: the view outlives its rows */
  TsuRecordItem     *item;
  gulong             revision_handler;
  /* Per column: the main and second line, as drawn. */
  GPtrArray   *layouts;   /* PangoLayout or NULL */
  GPtrArray   *secondary; /* PangoLayout or NULL */
  GArray      *tones;     /* TsuTone per column */
  char        *text;
  int          laid_out_width;
  guint        position;
  char        *heading; /* the section heading above the cells, or NULL */
  PangoLayout *heading_layout;
};

G_DEFINE_FINAL_TYPE (TsuRecordRow, tsu_record_row, GTK_TYPE_WIDGET)

static void
unref0 (gpointer object)
{
  if (object)
    g_object_unref (object);
}

static gboolean
has_secondary (TsuRecordRow *self)
{
  for (guint i = 0; i < tsu_record_list_view_get_n_columns (self->view); i++)
    if (tsu_record_column_get_secondary (tsu_record_list_view_get_column (self->view, i)))
      return TRUE;
  return FALSE;
}

static PangoLayout *
make_layout (TsuRecordRow *self, const char *text, gboolean small)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);

  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (small)
    {
      PangoAttrList *attrs = pango_attr_list_new ();
      pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
    }
  return layout;
}

#define HEADING_TOP 12

static int
heading_height (TsuRecordRow *self)
{
  int h;

  pango_layout_get_pixel_size (self->heading_layout, NULL, &h);
  return HEADING_TOP + h + PAD_Y;
}

/* Reads the item's cells into layouts and the accessible label. */
static void
rebuild (TsuRecordRow *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint n = tsu_record_list_view_get_n_columns (self->view);

  g_ptr_array_set_size (self->layouts, 0);
  g_ptr_array_set_size (self->secondary, 0);
  g_array_set_size (self->tones, 0);
  self->laid_out_width = -1;
  for (guint i = 0; i < n; i++)
    {
      TsuRecordColumn *c = tsu_record_list_view_get_column (self->view, i);
      const char      *name = tsu_record_column_get_name (c);
      const char      *sec = tsu_record_column_get_secondary (c);
      const char *cell = self->item && name ? tsu_record_item_get_cell (self->item, name) : NULL;
      g_autofree char *shown = tsu_record_list_view_format_cell (self->view, name, cell);
      g_autofree char *second = NULL;
      TsuTone          tone = tsu_record_column_get_tone (c, cell);

      if (sec && self->item)
        second = tsu_record_list_view_format_cell (self->view, sec,
                                                   tsu_record_item_get_cell (self->item, sec));
      g_ptr_array_add (self->layouts, *shown ? make_layout (self, shown, FALSE) : NULL);
      g_ptr_array_add (self->secondary,
                       second && *second ? make_layout (self, second, TRUE) : NULL);
      g_array_append_val (self->tones, tone);
      if (*shown)
        g_string_append_printf (text, "%s%s", text->len ? " " : "", shown);
      if (second && *second)
        g_string_append_printf (text, "%s%s", text->len ? " " : "", second);
    }
  g_free (self->text);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);
  /* Screen readers, and the AT-SPI tests, find a row by its cells. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text,
                                  -1);
  {
    g_autofree char *heading
        = self->item ? tsu_record_list_view_get_heading (self->view, self->position) : NULL;

    if (g_strcmp0 (heading, self->heading) != 0)
      {
        g_free (self->heading);
        self->heading = g_steal_pointer (&heading);
        g_clear_object (&self->heading_layout);
        if (self->heading)
          {
            PangoAttrList *attrs = pango_attr_list_new ();

            self->heading_layout = make_layout (self, self->heading, FALSE);
            pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
            pango_layout_set_attributes (self->heading_layout, attrs);
            pango_attr_list_unref (attrs);
          }
        /* The heading is said before the row it starts. */
        if (self->heading)
          gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                          GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, self->heading, -1);
        else
          gtk_accessible_reset_property (GTK_ACCESSIBLE (self),
                                         GTK_ACCESSIBLE_PROPERTY_DESCRIPTION);
        gtk_widget_queue_resize (GTK_WIDGET (self));
      }
  }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
revision_cb (TsuRecordRow *self)
{
  rebuild (self);
  tsu_record_list_view_row_changed (self->view, self->position);
}

static void
tsu_record_row_measure (GtkWidget     *widget,
                        GtkOrientation orientation,
                        int            for_size,
                        int           *minimum,
                        int           *natural,
                        int           *minimum_baseline,
                        int           *natural_baseline)
{
  TsuRecordRow *self = TSU_RECORD_ROW (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = *natural = 0;
      return;
    }
  {
    g_autoptr (PangoLayout) big = make_layout (self, "Ag漢", FALSE);
    g_autoptr (PangoLayout) small = make_layout (self, "Ag漢", TRUE);
    int h1, h2;

    pango_layout_get_pixel_size (big, NULL, &h1);
    pango_layout_get_pixel_size (small, NULL, &h2);
    *minimum = *natural = 2 * PAD_Y + h1 + (has_secondary (self) ? h2 : 0)
                          + (self->heading_layout ? heading_height (self) : 0);
  }
}

static void
tone_color (TsuRecordRow *self, TsuTone tone, GdkRGBA *color)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));
  gboolean         selected
      = (gtk_widget_get_state_flags (GTK_WIDGET (self)) & GTK_STATE_FLAG_SELECTED) != 0;

  gtk_style_context_get_color (ctx, color);
  if (selected)
    return;
  /* Adwaita's text colours of the status words (dark enough on white). */
  switch (tone)
    {
    case TSU_TONE_ACCENT:
      gdk_rgba_parse (color, "#1c71d8");
      break;
    case TSU_TONE_SUCCESS:
      gdk_rgba_parse (color, "#1b8553");
      break;
    case TSU_TONE_WARNING:
      gdk_rgba_parse (color, "#9c6e03");
      break;
    case TSU_TONE_ERROR:
      gdk_rgba_parse (color, "#c01c28");
      break;
    case TSU_TONE_DIM:
      color->alpha *= 0.55;
      break;
    default:
      break;
    }
}

static void
tsu_record_row_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TsuRecordRow   *self = TSU_RECORD_ROW (widget);
  int             width = gtk_widget_get_width (widget);
  guint           n = self->layouts->len;
  g_autofree int *x = g_new0 (int, MAX (n, 1));
  g_autofree int *w = g_new0 (int, MAX (n, 1));
  GdkRGBA         color, dim;
  int             line_h = 0;

  if (n == 0)
    return;
  tsu_record_list_view_layout_columns (self->view, width, x, w);
  tone_color (self, TSU_TONE_NONE, &color);
  tone_color (self, TSU_TONE_DIM, &dim);
  if (self->heading_layout)
    {
      GdkRGBA accent;

      tone_color (self, TSU_TONE_ACCENT, &accent);
      pango_layout_set_width (self->heading_layout, MAX (0, width - 2 * PAD_X) * PANGO_SCALE);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD_X, HEADING_TOP));
      gtk_snapshot_append_layout (snapshot, self->heading_layout, &accent);
      gtk_snapshot_restore (snapshot);
      /* The cells below it. */
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, heading_height (self)));
    }
  for (guint i = 0; i < n; i++)
    {
      PangoLayout *l = g_ptr_array_index (self->layouts, i);
      PangoLayout *s = g_ptr_array_index (self->secondary, i);
      int          cw = MAX (0, w[i] - 2 * PAD_X) * PANGO_SCALE;

      if (l && self->laid_out_width != width)
        pango_layout_set_width (l, cw);
      if (s && self->laid_out_width != width)
        pango_layout_set_width (s, cw);
      if (l)
        {
          int h;
          pango_layout_get_pixel_size (l, NULL, &h);
          line_h = MAX (line_h, h);
        }
    }
  self->laid_out_width = width;
  for (guint i = 0; i < n; i++)
    {
      PangoLayout *l = g_ptr_array_index (self->layouts, i);
      PangoLayout *s = g_ptr_array_index (self->secondary, i);
      TsuTone      tone = g_array_index (self->tones, TsuTone, i);
      GdkRGBA      c;

      tone_color (self, tone, &c);
      if (l)
        {
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x[i] + PAD_X, PAD_Y));
          gtk_snapshot_append_layout (snapshot, l, &c);
          gtk_snapshot_restore (snapshot);
        }
      if (s)
        {
          gtk_snapshot_save (snapshot);
          gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x[i] + PAD_X, PAD_Y + line_h));
          gtk_snapshot_append_layout (snapshot, s, &dim);
          gtk_snapshot_restore (snapshot);
        }
    }
}

static void
tsu_record_row_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TsuRecordRow *self = TSU_RECORD_ROW (widget);

  /* The cells move with the width: draw again. */
  if (width != self->laid_out_width)
    gtk_widget_queue_draw (widget);
}

static void
tsu_record_row_dispose (GObject *object)
{
  TsuRecordRow *self = TSU_RECORD_ROW (object);

  tsu_record_row_set_item (self, NULL);
  G_OBJECT_CLASS (tsu_record_row_parent_class)->dispose (object);
}

static void
tsu_record_row_finalize (GObject *object)
{
  TsuRecordRow *self = TSU_RECORD_ROW (object);

  g_ptr_array_unref (self->layouts);
  g_ptr_array_unref (self->secondary);
  g_array_unref (self->tones);
  g_free (self->text);
  g_free (self->heading);
  g_clear_object (&self->heading_layout);
  G_OBJECT_CLASS (tsu_record_row_parent_class)->finalize (object);
}

static void
tsu_record_row_class_init (TsuRecordRowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_record_row_dispose;
  object_class->finalize = tsu_record_row_finalize;
  widget_class->measure = tsu_record_row_measure;
  widget_class->snapshot = tsu_record_row_snapshot;
  widget_class->size_allocate = tsu_record_row_size_allocate;
  gtk_widget_class_set_css_name (widget_class, "tsurecordrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
tsu_record_row_init (TsuRecordRow *self)
{
  self->layouts = g_ptr_array_new_with_free_func (unref0);
  self->secondary = g_ptr_array_new_with_free_func (unref0);
  self->tones = g_array_new (FALSE, TRUE, sizeof (TsuTone));
  self->laid_out_width = -1;
}

GtkWidget *
tsu_record_row_new (TsuRecordListView *view)
{
  TsuRecordRow *self = g_object_new (TSU_TYPE_RECORD_ROW, NULL);

  self->view = view;
  return GTK_WIDGET (self);
}

void
tsu_record_row_set_item (TsuRecordRow *self, TsuRecordItem *item)
{
  if (self->item == item)
    return;
  if (self->item)
    {
      g_clear_signal_handler (&self->revision_handler, self->item);
      g_clear_object (&self->item);
    }
  if (item)
    {
      self->item = g_object_ref (item);
      self->revision_handler
          = g_signal_connect_swapped (item, "notify::revision", G_CALLBACK (revision_cb), self);
      rebuild (self);
      tsu_record_list_view_row_changed (self->view, self->position);
    }
}

void
tsu_record_row_set_position (TsuRecordRow *self, guint position)
{
  if (self->position == position)
    return;
  self->position = position;
  if (self->item && tsu_record_list_view_get_section (self->view))
    rebuild (self);
}

guint
tsu_record_row_get_position (TsuRecordRow *self)
{
  return self->position;
}

const char *
tsu_record_row_get_heading (TsuRecordRow *self)
{
  return self->heading;
}

TsuRecordItem *
tsu_record_row_get_item (TsuRecordRow *self)
{
  return self->item;
}

const char *
tsu_record_row_get_text (TsuRecordRow *self)
{
  return self->text ? self->text : "";
}

void
tsu_record_row_refresh (TsuRecordRow *self)
{
  rebuild (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}
