/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The network picture: groups coloured by their first activity field,
 * companies as squares, city departments as diamonds, a line for each
 * introduction or joint project. Reading and layout run in a worker; the
 * unconnected sit on a ring around the rest and are listed below it. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tsu-date.h"
#include "tsu-group-collection.h"
#include "tsu-network-view.h"

#define LAYOUT_ROUNDS 300
#define YEARS_SHOWN 6

struct _TsuNetworkView
{
  GtkBox parent_instance;

  TsuStore       *store;
  TsuNetwork     *net;
  GCancellable   *cancel;
  guint           reload_id;
  GtkDropDown    *field_dropdown;
  GtkDropDown    *year_dropdown;
  GtkDrawingArea *area;
  GtkLabel       *summary;
  GtkLabel       *isolated_label;
  int             first_year;
};

G_DEFINE_FINAL_TYPE (TsuNetworkView, tsu_network_view, GTK_TYPE_BOX)

/* ---- drawing ---- */

static void
field_colour (int field, double *r, double *g, double *b)
{
  /* Twenty hues around the wheel, stepped so that neighbours differ. */
  double h = fmod ((field - 1) * 0.382, 1.0) * 6, s = 0.62, v = 0.80;
  int    i = (int)h;
  double f = h - i, p = v * (1 - s), q = v * (1 - s * f), t = v * (1 - s * (1 - f));

  if (field <= 0)
    {
      *r = *g = *b = 0.6;
      return;
    }
  switch (i % 6)
    {
    case 0:
      *r = v, *g = t, *b = p;
      break;
    case 1:
      *r = q, *g = v, *b = p;
      break;
    case 2:
      *r = p, *g = v, *b = t;
      break;
    case 3:
      *r = p, *g = q, *b = v;
      break;
    case 4:
      *r = t, *g = p, *b = v;
      break;
    default:
      *r = v, *g = p, *b = q;
      break;
    }
}

static int
by_degree (gconstpointer a, gconstpointer b, gpointer data)
{
  const TsuNetwork *net = data;
  guint             x = *(const guint *)a, y = *(const guint *)b;
  guint             dx = g_array_index (net->nodes, TsuNetNode, x).degree;
  guint             dy = g_array_index (net->nodes, TsuNetNode, y).degree;

  return dx != dy ? (dx < dy) - (dx > dy) : (x > y) - (x < y);
}

void
tsu_network_draw (cairo_t *cr, PangoLayout *layout, const TsuNetwork *net, int width, int height)
{
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans 8");
  g_autoptr (GArray) drawn = g_array_new (FALSE, FALSE, sizeof (cairo_rectangle_t));
  g_autofree guint *order = g_new (guint, net->nodes->len + 1);
  /* The picture fills the area: wider than high on a wide window. */
  double   mx = 60, my = 24, w = MAX (width - 2 * mx, 10), h = MAX (height - 2 * my, 10);
  gboolean many_alone = tsu_network_count_isolated (net) > 40;

#define PX(n) (mx + (n)->x * w)
#define PY(n) (my + (n)->y * h)
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, 120 * PANGO_SCALE);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  for (guint e = 0; e < net->edges->len; e++)
    {
      TsuNetEdge *edge = &g_array_index (net->edges, TsuNetEdge, e);
      TsuNetNode *a = &g_array_index (net->nodes, TsuNetNode, edge->a);
      TsuNetNode *b = &g_array_index (net->nodes, TsuNetNode, edge->b);

      cairo_set_source_rgba (cr, 0.45, 0.45, 0.5, 0.5);
      cairo_set_line_width (cr, 0.8 + MIN (edge->weight, 4) * 0.7);
      cairo_move_to (cr, PX (a), PY (a));
      cairo_line_to (cr, PX (b), PY (b));
      cairo_stroke (cr);
    }
  for (guint i = 0; i < net->nodes->len; i++)
    {
      TsuNetNode *n = &g_array_index (net->nodes, TsuNetNode, i);
      double x = PX (n), y = PY (n), r = n->degree ? 4 + MIN (n->degree, 6) : many_alone ? 3 : 5;
      double cr_ = 0.2, cg = 0.4, cb = 0.75;

      cairo_new_path (cr);
      if (n->kind == TSU_NET_GROUP)
        {
          field_colour (n->field, &cr_, &cg, &cb);
          cairo_arc (cr, x, y, r, 0, 2 * G_PI);
        }
      else if (n->kind == TSU_NET_COMPANY)
        {
          cr_ = 0.35, cg = 0.35, cb = 0.4;
          cairo_rectangle (cr, x - r, y - r, 2 * r, 2 * r);
        }
      else
        {
          cairo_move_to (cr, x, y - r * 1.3);
          cairo_line_to (cr, x + r * 1.3, y);
          cairo_line_to (cr, x, y + r * 1.3);
          cairo_line_to (cr, x - r * 1.3, y);
          cairo_close_path (cr);
        }
      cairo_set_source_rgb (cr, cr_, cg, cb);
      cairo_fill_preserve (cr);
      /* The unconnected are ringed in red: they are who the picture is for. */
      if (n->degree == 0)
        cairo_set_source_rgb (cr, 0.85, 0.15, 0.1), cairo_set_line_width (cr, 1.2);
      else
        cairo_set_source_rgb (cr, 1, 1, 1), cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
    }
  /* Names where there is room, the best connected first; many unconnected
   * are named in the list below the picture instead. */
  for (guint i = 0; i < net->nodes->len; i++)
    order[i] = i;
  g_qsort_with_data (order, net->nodes->len, sizeof (guint), by_degree, (gpointer)net);
  cairo_set_source_rgb (cr, 0.15, 0.15, 0.18);
  for (guint k = 0; k < net->nodes->len; k++)
    {
      TsuNetNode       *n = &g_array_index (net->nodes, TsuNetNode, order[k]);
      cairo_rectangle_t box;
      gboolean          free = TRUE;
      int               tw, th;

      if (n->degree == 0 && many_alone)
        continue;
      pango_layout_set_text (layout, n->label, -1);
      pango_layout_get_pixel_size (layout, &tw, &th);
      box = (cairo_rectangle_t){ PX (n) - tw / 2.0, PY (n) + 6 + MIN (n->degree, 6), tw, th };
      for (guint j = 0; j < drawn->len && free; j++)
        {
          cairo_rectangle_t *o = &g_array_index (drawn, cairo_rectangle_t, j);

          free = box.x + box.width < o->x || o->x + o->width < box.x || box.y + box.height < o->y
                 || o->y + o->height < box.y;
        }
      if (!free)
        continue;
      g_array_append_val (drawn, box);
      cairo_move_to (cr, box.x, box.y);
      pango_cairo_show_layout (cr, layout);
    }
#undef PX
#undef PY
}

static void
draw_cb (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  TsuNetworkView *self = data;
  PangoLayout    *layout;

  if (self->net == NULL)
    return;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  tsu_network_draw (cr, layout, self->net, width, height);
  g_object_unref (layout);
}

/* ---- reading ---- */

typedef struct
{
  int   year;
  char *field;
} Params;

static void
params_free (Params *p)
{
  g_free (p->field);
  g_free (p);
}

static void
read_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  Params     *p = data;
  GError     *error = NULL;
  TsuNetwork *net = tsu_network_read (source, p->year, p->field, &error);

  if (net == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  tsu_network_layout (net, LAYOUT_ROUNDS);
  g_task_return_pointer (task, net, (GDestroyNotify)tsu_network_free);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  TsuNetworkView *self = data;
  g_autoptr (GError) error = NULL;
  TsuNetwork *net = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr (GString) lonely = g_string_new (NULL);
  g_autofree char *summary = NULL;
  guint            groups = 0, isolated = 0;

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    {
      g_clear_pointer (&net, tsu_network_free);
      return;
    }
  if (net == NULL)
    {
      gtk_label_set_text (self->summary, error->message);
      return;
    }
  g_clear_pointer (&self->net, tsu_network_free);
  self->net = net;
  for (guint i = 0; i < net->nodes->len; i++)
    {
      TsuNetNode *n = &g_array_index (net->nodes, TsuNetNode, i);

      groups += n->kind == TSU_NET_GROUP;
      if (n->degree == 0 && isolated++ < 30)
        g_string_append_printf (lonely, "%s%s", lonely->len ? "、" : "", n->label);
    }
  summary = g_strdup_printf (_ ("%u groups and %u partners, %u links; %u not connected"), groups,
                             net->nodes->len - groups, net->edges->len, isolated);
  gtk_label_set_text (self->summary, summary);
  if (isolated)
    {
      g_autofree char *text = NULL;

      if (isolated > 30)
        g_string_append_printf (lonely, _ ("… and %u more"), isolated - 30);
      text = g_strdup_printf (_ ("Not connected: %s"), lonely->str);

      gtk_label_set_text (self->isolated_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->isolated_label), isolated > 0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  summary, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
reload (TsuNetworkView *self)
{
  g_autoptr (GTask) task = NULL;
  Params *p;
  guint   field = gtk_drop_down_get_selected (self->field_dropdown);
  guint   year = gtk_drop_down_get_selected (self->year_dropdown);

  if (self->store == NULL)
    return;
  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  self->cancel = g_cancellable_new ();
  p = g_new0 (Params, 1);
  p->year = year == 0 || year == GTK_INVALID_LIST_POSITION ? 0 : self->first_year - (int)(year - 1);
  p->field
      = field == 0 || field == GTK_INVALID_LIST_POSITION ? NULL : g_strdup_printf ("%u", field);
  task = g_task_new (self->store, self->cancel, read_done, self);
  g_task_set_task_data (task, p, (GDestroyNotify)params_free);
  g_task_run_in_thread (task, read_thread);
}

static gboolean
reload_idle (gpointer data)
{
  TsuNetworkView *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed (TsuStore *store, const char *collection, GPtrArray *ids, TsuNetworkView *self)
{
  static const char *const watched[] = { "connections", "joint_projects", "groups", NULL };

  if (g_strv_contains (watched, collection) && self->reload_id == 0)
    self->reload_id = g_timeout_add (300, reload_idle, self);
}

void
tsu_network_view_set_store (TsuNetworkView *self, TsuStore *store)
{
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store)
    g_signal_connect (store, "changed", G_CALLBACK (store_changed), self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    reload (self);
}

static void
tsu_network_view_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tsu_network_view_parent_class)->map (widget);
  /* Laid out when first looked at, not when the window opens. */
  if (TSU_NETWORK_VIEW (widget)->net == NULL)
    reload (TSU_NETWORK_VIEW (widget));
}

static void
tsu_network_view_dispose (GObject *object)
{
  TsuNetworkView *self = TSU_NETWORK_VIEW (object);

  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->net, tsu_network_free);
  G_OBJECT_CLASS (tsu_network_view_parent_class)->dispose (object);
}

static void
tsu_network_view_class_init (TsuNetworkViewClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_network_view_dispose;
  GTK_WIDGET_CLASS (klass)->map = tsu_network_view_map;
}

static GtkWidget *
labelled (const char *mnemonic, GtkWidget *widget)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new_with_mnemonic (mnemonic);

  gtk_label_set_mnemonic_widget (GTK_LABEL (label), widget);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), widget);
  return box;
}

static void
tsu_network_view_init (TsuNetworkView *self)
{
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) years = gtk_string_list_new (NULL);
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GDate      today;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_string_list_append (fields, _ ("All fields"));
  for (guint c = 0; tsu_activity_fields[c].code; c++)
    {
      g_autofree char *t = g_strdup_printf ("%s %s", tsu_activity_fields[c].code,
                                            _ (tsu_activity_fields[c].label));

      gtk_string_list_append (fields, t);
    }
  tsu_date_today (&today);
  self->first_year = tsu_fiscal_year (&today);
  gtk_string_list_append (years, _ ("All years"));
  for (int y = 0; y < YEARS_SHOWN; y++)
    {
      g_autofree char *t = tsu_fiscal_year_format (self->first_year - y, TSU_DATE_STYLE_WAREKI);

      gtk_string_list_append (years, t);
    }
  self->field_dropdown
      = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (fields)), NULL));
  self->year_dropdown
      = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (g_object_ref (years)), NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->field_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Activity field"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->year_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Fiscal year"), -1);
  g_signal_connect_swapped (self->field_dropdown, "notify::selected", G_CALLBACK (reload), self);
  g_signal_connect_swapped (self->year_dropdown, "notify::selected", G_CALLBACK (reload), self);
  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_box_append (GTK_BOX (bar),
                  labelled (_ ("Activity _field"), GTK_WIDGET (self->field_dropdown)));
  gtk_box_append (GTK_BOX (bar), labelled (_ ("_Year"), GTK_WIDGET (self->year_dropdown)));
  self->summary = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary), TRUE);
  gtk_label_set_xalign (self->summary, 1);
  gtk_widget_add_css_class (GTK_WIDGET (self->summary), "dim-label");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->summary));
  gtk_box_append (GTK_BOX (self), bar);

  self->area = GTK_DRAWING_AREA (gtk_drawing_area_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->area), TRUE);
  gtk_widget_set_size_request (GTK_WIDGET (self->area), 300, 300);
  gtk_drawing_area_set_draw_func (self->area, draw_cb, self, NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->area), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Network of groups, companies and city departments"), -1);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->area));

  self->isolated_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->isolated_label, TRUE);
  gtk_label_set_xalign (self->isolated_label, 0);
  gtk_label_set_selectable (self->isolated_label, TRUE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->isolated_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->isolated_label), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->isolated_label), 12);
  gtk_widget_set_visible (GTK_WIDGET (self->isolated_label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->isolated_label));
}
