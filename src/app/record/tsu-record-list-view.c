/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-record-list-view.h"
#include "tsu-record-row.h"
#include "tsu-record.h"

/* Below this the first (expanding) column gives way: the last fixed
 * columns are left out, so a narrow window still reads the names. */
#define MIN_EXPAND_WIDTH 150

typedef struct
{
  TsuRecordColumn *column;
  GtkWidget       *button;
  GtkWidget       *arrow;
} Column;

struct _TsuRecordListView
{
  GtkWidget parent_instance;

  GArray             *columns; /* Column */
  GtkWidget          *separator;
  GtkWidget          *scroller;
  GtkWidget          *list_view;
  GtkSingleSelection *selection;
  GPtrArray          *rows; /* TsuRecordRow, not referenced (weak) */

  const TsuCollection *collection;
  TsuDateStyle         date_style;
  char                *section;
  char                *sort;
  gboolean             descending;
};

static void               buildable_iface_init (GtkBuildableIface *iface);
static GtkBuildableIface *parent_buildable;

G_DEFINE_FINAL_TYPE_WITH_CODE (TsuRecordListView,
                               tsu_record_list_view,
                               GTK_TYPE_WIDGET,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, buildable_iface_init))

enum
{
  SIGNAL_ACTIVATE,
  SIGNAL_SORT_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Column *
column_at (TsuRecordListView *self, guint i)
{
  return &g_array_index (self->columns, Column, i);
}

void
tsu_record_list_view_layout_columns (TsuRecordListView *self, int width, int *x, int *w)
{
  guint                n = self->columns->len;
  guint                n_expand = 0;
  int                  fixed = 0, rest, pos = 0;
  g_autofree gboolean *hidden = g_new0 (gboolean, MAX (n, 1));

  for (guint i = 0; i < n; i++)
    {
      int cw = tsu_record_column_get_width (column_at (self, i)->column);
      if (cw == 0)
        n_expand++;
      fixed += cw;
    }
  /* Leave out fixed columns, the least needed first (highest priority
   * number, then the rightmost), until the expanding ones have room. */
  for (;;)
    {
      int drop = -1, worst = -1;

      rest = width - fixed;
      if (n_expand == 0 ? rest >= 0 : rest >= (int)n_expand * MIN_EXPAND_WIDTH)
        break;
      for (guint i = 0; i < n; i++)
        {
          TsuRecordColumn *c = column_at (self, i)->column;
          int              prio = tsu_record_column_get_priority (c);

          if (hidden[i] || tsu_record_column_get_width (c) == 0)
            continue;
          if (prio >= worst)
            {
              worst = prio;
              drop = (int)i;
            }
        }
      if (drop < 0)
        break;
      hidden[drop] = TRUE;
      fixed -= tsu_record_column_get_width (column_at (self, drop)->column);
    }
  rest = MAX (0, width - fixed);
  for (guint i = 0; i < n; i++)
    {
      int cw = tsu_record_column_get_width (column_at (self, i)->column);

      x[i] = pos;
      if (hidden[i])
        w[i] = 0;
      else if (cw == 0)
        w[i] = n_expand ? rest / (int)n_expand : 0;
      else
        w[i] = cw;
      pos += w[i];
    }
}

char *
tsu_record_list_view_format_cell (TsuRecordListView *self, const char *column, const char *cell)
{
  const TsuFieldDef *def;

  if (cell == NULL)
    return g_strdup ("");
  def = self->collection && column ? tsu_collection_lookup_column (self->collection, column) : NULL;
  if (def == NULL)
    return g_strdup (cell);
  return tsu_record_cell_format (def, cell, self->date_style);
}

static void
update_arrows (TsuRecordListView *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column     *c = column_at (self, i);
      const char *sort = tsu_record_column_get_sort (c->column);
      gboolean    on = sort && g_strcmp0 (sort, self->sort) == 0;

      /* One arrow, on the column the list is sorted by. */
      gtk_widget_set_visible (c->arrow, on);
      gtk_image_set_from_icon_name (GTK_IMAGE (c->arrow),
                                    self->descending ? "pan-up-symbolic" : "pan-down-symbolic");
      if (on)
        gtk_accessible_update_state (GTK_ACCESSIBLE (c->button), GTK_ACCESSIBLE_STATE_PRESSED,
                                     GTK_ACCESSIBLE_TRISTATE_TRUE, -1);
      else
        gtk_accessible_reset_state (GTK_ACCESSIBLE (c->button), GTK_ACCESSIBLE_STATE_PRESSED);
    }
}

static void
header_clicked_cb (GtkButton *button, TsuRecordListView *self)
{
  TsuRecordColumn *column = g_object_get_data (G_OBJECT (button), "column");
  const char      *sort = tsu_record_column_get_sort (column);

  if (sort == NULL)
    return;
  if (g_strcmp0 (sort, self->sort) == 0)
    tsu_record_list_view_set_sort (self, sort, !self->descending);
  else
    tsu_record_list_view_set_sort (self, sort, FALSE);
  g_signal_emit (self, signals[SIGNAL_SORT_CHANGED], 0);
}

void
tsu_record_list_view_add_column (TsuRecordListView *self, TsuRecordColumn *column)
{
  Column      c = { g_object_ref (column) };
  GtkWidget  *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget  *label = gtk_label_new (tsu_record_column_get_title (column));
  const char *sort = tsu_record_column_get_sort (column);

  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_add_css_class (label, "caption-heading");
  c.arrow = gtk_image_new_from_icon_name ("pan-down-symbolic");
  gtk_widget_set_visible (c.arrow, FALSE);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), c.arrow);
  c.button = gtk_button_new ();
  gtk_button_set_child (GTK_BUTTON (c.button), box);
  gtk_widget_add_css_class (c.button, "flat");
  gtk_widget_add_css_class (c.button, "tsu-column-header");
  gtk_accessible_update_property (GTK_ACCESSIBLE (c.button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  tsu_record_column_get_title (column), -1);
  if (sort)
    {
      g_autofree char *tip
          = g_strdup_printf (_ ("Sort by %s"), tsu_record_column_get_title (column));
      gtk_widget_set_tooltip_text (c.button, tip);
      g_object_set_data (G_OBJECT (c.button), "column", column);
      g_signal_connect (c.button, "clicked", G_CALLBACK (header_clicked_cb), self);
    }
  else
    gtk_widget_set_can_target (c.button, FALSE);
  gtk_widget_insert_before (c.button, GTK_WIDGET (self), self->separator);
  g_array_append_val (self->columns, c);
  update_arrows (self);
}

static void
tsu_record_list_view_measure (GtkWidget     *widget,
                              GtkOrientation orientation,
                              int            for_size,
                              int           *minimum,
                              int           *natural,
                              int           *minimum_baseline,
                              int           *natural_baseline)
{
  TsuRecordListView *self = TSU_RECORD_LIST_VIEW (widget);
  int                header = 0, sep = 0, list_min = 0, list_nat = 0;

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      int fixed = 0, n_expand = 0;

      /* Natural: every column, the expanding ones at a comfortable width. */
      for (guint i = 0; i < self->columns->len; i++)
        {
          int cw = tsu_record_column_get_width (column_at (self, i)->column);
          fixed += cw;
          n_expand += cw == 0;
        }
      gtk_widget_measure (self->scroller, orientation, -1, minimum, natural, NULL, NULL);
      *natural = MAX (*natural, fixed + n_expand * 200);
      return;
    }
  for (guint i = 0; i < self->columns->len; i++)
    {
      int m;
      gtk_widget_measure (column_at (self, i)->button, orientation, -1, &m, NULL, NULL, NULL);
      header = MAX (header, m);
    }
  gtk_widget_measure (self->separator, orientation, -1, &sep, NULL, NULL, NULL);
  gtk_widget_measure (self->scroller, orientation, for_size, &list_min, &list_nat, NULL, NULL);
  *minimum = header + sep + list_min;
  *natural = header + sep + list_nat;
}

static void
tsu_record_list_view_size_allocate (GtkWidget *widget, int width, int height, int baseline)
{
  TsuRecordListView *self = TSU_RECORD_LIST_VIEW (widget);
  guint              n = self->columns->len;
  g_autofree int    *x = g_new0 (int, MAX (n, 1));
  g_autofree int    *w = g_new0 (int, MAX (n, 1));
  int                header = 0, sep = 0;

  for (guint i = 0; i < n; i++)
    {
      int m;
      gtk_widget_measure (column_at (self, i)->button, GTK_ORIENTATION_VERTICAL, -1, &m, NULL, NULL,
                          NULL);
      header = MAX (header, m);
    }
  tsu_record_list_view_layout_columns (self, width, x, w);
  for (guint i = 0; i < n; i++)
    {
      GtkWidget *b = column_at (self, i)->button;
      int        min_w;

      gtk_widget_measure (b, GTK_ORIENTATION_HORIZONTAL, -1, &min_w, NULL, NULL, NULL);
      gtk_widget_set_child_visible (b, w[i] > 0);
      if (w[i] > 0)
        gtk_widget_size_allocate (b, &(GtkAllocation){ x[i], 0, MAX (w[i], min_w), header }, -1);
    }
  gtk_widget_measure (self->separator, GTK_ORIENTATION_VERTICAL, -1, &sep, NULL, NULL, NULL);
  gtk_widget_size_allocate (self->separator, &(GtkAllocation){ 0, header, width, sep }, -1);
  gtk_widget_size_allocate (
      self->scroller, &(GtkAllocation){ 0, header + sep, width, MAX (0, height - header - sep) },
      -1);
}

static void
row_gone_cb (gpointer data, GObject *row)
{
  g_ptr_array_remove_fast (data, row);
}

/* A click on a row opens it, also the row already selected: in one-pane
 * mode that is the record just returned from (issue 10). */
static void
row_released_cb (GtkGestureClick *gesture, int n_press, double x, double y, GtkListItem *list_item)
{
  GtkWidget         *row = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  TsuRecordListView *self
      = TSU_RECORD_LIST_VIEW (gtk_widget_get_ancestor (row, TSU_TYPE_RECORD_LIST_VIEW));
  guint pos = gtk_list_item_get_position (list_item);

  if (self && n_press == 1 && pos != GTK_INVALID_LIST_POSITION)
    g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0, pos);
}

static void
position_cb (GtkListItem *list_item, GParamSpec *pspec, TsuRecordListView *self)
{
  if (self->section && gtk_list_item_get_child (list_item))
    tsu_record_row_set_position (TSU_RECORD_ROW (gtk_list_item_get_child (list_item)),
                                 gtk_list_item_get_position (list_item));
}

static void
setup_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, TsuRecordListView *self)
{
  GtkWidget  *row = tsu_record_row_new (self);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (row_released_cb), list_item);
  gtk_widget_add_controller (row, GTK_EVENT_CONTROLLER (click));

  g_ptr_array_add (self->rows, row);
  g_object_weak_ref (G_OBJECT (row), row_gone_cb, self->rows);
  gtk_list_item_set_child (list_item, row);
  /* Rows move when rows above come or go: their heading may change. */
  g_signal_connect_object (list_item, "notify::position", G_CALLBACK (position_cb), self, 0);
}

static void
bind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, TsuRecordListView *self)
{
  TsuRecordRow *row = TSU_RECORD_ROW (gtk_list_item_get_child (list_item));

  tsu_record_row_set_position (row, gtk_list_item_get_position (list_item));
  tsu_record_row_set_item (row, gtk_list_item_get_item (list_item));
}

static void
unbind_cb (GtkSignalListItemFactory *factory, GtkListItem *list_item, TsuRecordListView *self)
{
  tsu_record_row_set_item (TSU_RECORD_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static void
activate_cb (GtkListView *list_view, guint position, TsuRecordListView *self)
{
  g_signal_emit (self, signals[SIGNAL_ACTIVATE], 0, position);
}

static void
tsu_record_list_view_dispose (GObject *object)
{
  TsuRecordListView *self = TSU_RECORD_LIST_VIEW (object);
  GtkWidget         *child;

  for (guint i = 0; i < self->rows->len; i++)
    g_object_weak_unref (g_ptr_array_index (self->rows, i), row_gone_cb, self->rows);
  g_ptr_array_set_size (self->rows, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))))
    gtk_widget_unparent (child);
  for (guint i = 0; i < self->columns->len; i++)
    g_clear_object (&column_at (self, i)->column);
  g_array_set_size (self->columns, 0);
  g_clear_object (&self->selection);
  G_OBJECT_CLASS (tsu_record_list_view_parent_class)->dispose (object);
}

static void
tsu_record_list_view_finalize (GObject *object)
{
  TsuRecordListView *self = TSU_RECORD_LIST_VIEW (object);

  g_array_unref (self->columns);
  g_ptr_array_unref (self->rows);
  g_free (self->section);
  g_free (self->sort);
  G_OBJECT_CLASS (tsu_record_list_view_parent_class)->finalize (object);
}

static void
buildable_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child, const char *type)
{
  if (g_strcmp0 (type, "column") == 0 && TSU_IS_RECORD_COLUMN (child))
    tsu_record_list_view_add_column (TSU_RECORD_LIST_VIEW (buildable), TSU_RECORD_COLUMN (child));
  else
    parent_buildable->add_child (buildable, builder, child, type);
}

static void
buildable_iface_init (GtkBuildableIface *iface)
{
  parent_buildable = g_type_interface_peek_parent (iface);
  iface->add_child = buildable_add_child;
}

static void
tsu_record_list_view_class_init (TsuRecordListViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_record_list_view_dispose;
  object_class->finalize = tsu_record_list_view_finalize;
  widget_class->measure = tsu_record_list_view_measure;
  widget_class->size_allocate = tsu_record_list_view_size_allocate;

  /**
   * TsuRecordListView::activate:
   * @position: the row activated (Enter, double click)
   */
  signals[SIGNAL_ACTIVATE] = g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                           0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
  /**
   * TsuRecordListView::sort-changed:
   *
   * A column header was clicked: the page runs its query in the new order.
   */
  signals[SIGNAL_SORT_CHANGED]
      = g_signal_new ("sort-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (widget_class, "tsurecordlistview");
}

static void
tsu_record_list_view_init (TsuRecordListView *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  self->rows = g_ptr_array_new ();
  self->separator = gtk_separator_new (GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_parent (self->separator, GTK_WIDGET (self));
  self->scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scroller, GTK_WIDGET (self));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  self->list_view = gtk_list_view_new (NULL, factory);
  gtk_widget_add_css_class (self->list_view, "tsu-record-list");
  g_signal_connect (self->list_view, "activate", G_CALLBACK (activate_cb), self);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scroller), self->list_view);
}

GtkWidget *
tsu_record_list_view_new (void)
{
  return g_object_new (TSU_TYPE_RECORD_LIST_VIEW, NULL);
}

void
tsu_record_list_view_set_collection (TsuRecordListView *self, const TsuCollection *collection)
{
  self->collection = collection;
}

const TsuCollection *
tsu_record_list_view_get_collection (TsuRecordListView *self)
{
  return self->collection;
}

guint
tsu_record_list_view_get_n_columns (TsuRecordListView *self)
{
  return self->columns->len;
}

TsuRecordColumn *
tsu_record_list_view_get_column (TsuRecordListView *self, guint i)
{
  g_return_val_if_fail (i < self->columns->len, NULL);
  return column_at (self, i)->column;
}

GStrv
tsu_record_list_view_get_cells (TsuRecordListView *self)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < self->columns->len; i++)
    {
      TsuRecordColumn *c = column_at (self, i)->column;
      if (tsu_record_column_get_name (c))
        g_strv_builder_add (b, tsu_record_column_get_name (c));
      if (tsu_record_column_get_secondary (c))
        g_strv_builder_add (b, tsu_record_column_get_secondary (c));
    }
  if (self->section)
    g_strv_builder_add (b, self->section);
  return g_strv_builder_end (b);
}

void
tsu_record_list_view_set_section (TsuRecordListView *self, const char *cell)
{
  if (g_strcmp0 (self->section, cell) == 0)
    return;
  g_free (self->section);
  self->section = g_strdup (cell);
  for (guint i = 0; i < self->rows->len; i++)
    tsu_record_row_refresh (g_ptr_array_index (self->rows, i));
}

const char *
tsu_record_list_view_get_section (TsuRecordListView *self)
{
  return self->section;
}

/**
 * tsu_record_list_view_get_heading:
 *
 * Returns: (transfer full) (nullable): the section heading above the row
 *   at @position: its section cell as shown, when the row above is in
 *   another section (or there is none); %NULL while the row above is not
 *   read yet
 */
char *
tsu_record_list_view_get_heading (TsuRecordListView *self, guint position)
{
  GListModel *model = self->selection ? G_LIST_MODEL (self->selection) : NULL;
  g_autoptr (TsuRecordItem) item = NULL;
  g_autoptr (TsuRecordItem) above = NULL;
  const char *cell;

  if (self->section == NULL || model == NULL || position >= g_list_model_get_n_items (model))
    return NULL;
  item = g_list_model_get_item (model, position);
  if (!tsu_record_item_get_loaded (item))
    return NULL;
  cell = tsu_record_item_get_cell (item, self->section);
  if (position > 0)
    {
      above = g_list_model_get_item (model, position - 1);
      if (!tsu_record_item_get_loaded (above)
          || g_strcmp0 (tsu_record_item_get_cell (above, self->section), cell) == 0)
        return NULL;
    }
  return tsu_record_list_view_format_cell (self, self->section, cell);
}

void
tsu_record_list_view_row_changed (TsuRecordListView *self, guint position)
{
  if (self->section == NULL)
    return;
  for (guint i = 0; i < self->rows->len; i++)
    {
      TsuRecordRow *row = g_ptr_array_index (self->rows, i);

      if (tsu_record_row_get_position (row) == position + 1)
        tsu_record_row_refresh (row);
    }
}

/**
 * tsu_record_list_view_set_model:
 * @model: (nullable): a list of TsuRecordItem
 */
void
tsu_record_list_view_set_model (TsuRecordListView *self, GListModel *model)
{
  g_clear_object (&self->selection);
  if (model)
    {
      self->selection = gtk_single_selection_new (g_object_ref (model));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
    }
  gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), GTK_SELECTION_MODEL (self->selection));
}

GtkSingleSelection *
tsu_record_list_view_get_selection (TsuRecordListView *self)
{
  return self->selection;
}

void
tsu_record_list_view_set_date_style (TsuRecordListView *self, TsuDateStyle style)
{
  if (self->date_style == style)
    return;
  self->date_style = style;
  for (guint i = 0; i < self->rows->len; i++)
    tsu_record_row_refresh (g_ptr_array_index (self->rows, i));
}

TsuDateStyle
tsu_record_list_view_get_date_style (TsuRecordListView *self)
{
  return self->date_style;
}

void
tsu_record_list_view_set_sort (TsuRecordListView *self, const char *sort, gboolean descending)
{
  if (g_strcmp0 (self->sort, sort) != 0)
    {
      g_free (self->sort);
      self->sort = g_strdup (sort);
    }
  self->descending = descending;
  update_arrows (self);
}

const char *
tsu_record_list_view_get_sort (TsuRecordListView *self)
{
  return self->sort;
}

gboolean
tsu_record_list_view_get_descending (TsuRecordListView *self)
{
  return self->descending;
}

void
tsu_record_list_view_select (TsuRecordListView *self, guint position)
{
  if (self->selection == NULL)
    return;
  gtk_single_selection_set_selected (self->selection, position);
  if (position != GTK_INVALID_LIST_POSITION)
    gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", position);
}

GtkWidget *
tsu_record_list_view_get_list (TsuRecordListView *self)
{
  return self->list_view;
}
