/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-equipment-desk.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-record.h"

/* A list longer than this says how many more there are (a centre with
 * thousands of items still gets a desk that opens at once). */
#define MAX_ROWS 200

struct _TsuEquipmentDesk
{
  AdwBin parent_instance;

  TsuStore     *store;
  TsuDateStyle  style;
  GtkWidget    *page;
  GtkWidget    *title_group;
  GtkWidget    *groups[4];
  GPtrArray    *rows[4];
  guint         counts[4];
  GCancellable *cancellable;
  guint         reload_idle;
  guint         minute;
};

G_DEFINE_FINAL_TYPE (TsuEquipmentDesk, tsu_equipment_desk, ADW_TYPE_BIN)

typedef struct
{
  char      *now;
  TsuDeskDay day;
} Load;

static void
load_free (Load *l)
{
  g_free (l->now);
  tsu_desk_day_clear (&l->day);
  g_free (l);
}

static gboolean
load_job (TsuStore *store, gpointer data, GError **error)
{
  Load *l = data;

  return tsu_equipment_desk_day (store, l->now, &l->day, error);
}

static void
fill (TsuEquipmentDesk *self, guint i, JsonArray *a, const char *now, TsuBookingRowFlags flags)
{
  guint n = a ? json_array_get_length (a) : 0;

  for (guint k = 0; k < self->rows[i]->len; k++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->groups[i]),
                                  g_ptr_array_index (self->rows[i], k));
  g_ptr_array_set_size (self->rows[i], 0);
  self->counts[i] = n;
  for (guint k = 0; k < MIN (n, MAX_ROWS); k++)
    {
      GtkWidget *row = tsu_booking_row_new (json_array_get_object_element (a, k), now, self->style,
                                            flags | TSU_BOOKING_ROW_ACTIONS);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[i]), row);
      g_ptr_array_add (self->rows[i], row);
    }
  if (n > MAX_ROWS)
    {
      GtkWidget       *more = adw_action_row_new ();
      g_autofree char *text = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "…and %u more", "…and %u more", n - MAX_ROWS),
          n - MAX_ROWS);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (more), text);
      gtk_widget_add_css_class (more, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[i]), more);
      g_ptr_array_add (self->rows[i], more);
    }
  if (n == 0)
    {
      GtkWidget *none = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (none), _ ("None"));
      gtk_widget_add_css_class (none, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->groups[i]), none);
      g_ptr_array_add (self->rows[i], none);
    }
  {
    static const char *titles[]
        = { N_ ("Going Out Today"), N_ ("Coming Back Today"), N_ ("Overdue"), N_ ("Rooms Today") };
    g_autofree char *title = g_strdup_printf ("%s (%u)", _ (titles[i]), n);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->groups[i]), title);
  }
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  Load             *l = NULL;
  TsuEquipmentDesk *self;
  GDate             today;
  g_autofree char  *day = NULL;

  if (!tsu_equipment_run_finish (result, (gpointer *)&l, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read today's desk: %s", error->message);
      return;
    }
  self = user_data; /* alive: dispose cancels */
  fill (self, 0, l->day.going_out, l->now, TSU_BOOKING_ROW_RESOURCE | TSU_BOOKING_ROW_HOLDER);
  fill (self, 1, l->day.coming_back, l->now, TSU_BOOKING_ROW_RESOURCE | TSU_BOOKING_ROW_HOLDER);
  fill (self, 2, l->day.overdue, l->now,
        TSU_BOOKING_ROW_RESOURCE | TSU_BOOKING_ROW_HOLDER | TSU_BOOKING_ROW_PHONE);
  fill (self, 3, l->day.rooms, l->now, TSU_BOOKING_ROW_RESOURCE | TSU_BOOKING_ROW_HOLDER);
  gtk_widget_set_visible (self->groups[2], self->counts[2] > 0);
  tsu_date_today (&today);
  day = tsu_date_format (&today, self->style);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->title_group), day);
}

void
tsu_equipment_desk_reload (TsuEquipmentDesk *self)
{
  Load *l;

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;
  l = g_new0 (Load, 1);
  l->now = tsu_equipment_now ();
  self->cancellable = g_cancellable_new ();
  tsu_equipment_run (self->store, load_job, l, (GDestroyNotify)load_free, self->cancellable,
                     load_done_cb, self);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TsuEquipmentDesk *self = data;

  self->reload_idle = 0;
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    tsu_equipment_desk_reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuEquipmentDesk *self, const char *collection)
{
  if (g_strcmp0 (collection, "bookings") != 0 && g_strcmp0 (collection, "resources") != 0
      && g_strcmp0 (collection, "groups") != 0)
    return;
  /* Many changes at once (an import, a sync) read once. */
  if (self->reload_idle == 0)
    self->reload_idle = g_timeout_add (150, reload_idle_cb, self);
}

static gboolean
minute_cb (gpointer data)
{
  tsu_equipment_desk_reload (data);
  return G_SOURCE_CONTINUE;
}

static void
tsu_equipment_desk_map (GtkWidget *widget)
{
  TsuEquipmentDesk *self = TSU_EQUIPMENT_DESK (widget);

  GTK_WIDGET_CLASS (tsu_equipment_desk_parent_class)->map (widget);
  tsu_equipment_desk_reload (self);
  if (self->minute == 0)
    self->minute = g_timeout_add_seconds (60, minute_cb, self);
}

static void
tsu_equipment_desk_unmap (GtkWidget *widget)
{
  TsuEquipmentDesk *self = TSU_EQUIPMENT_DESK (widget);

  g_clear_handle_id (&self->minute, g_source_remove);
  GTK_WIDGET_CLASS (tsu_equipment_desk_parent_class)->unmap (widget);
}

void
tsu_equipment_desk_set_store (TsuEquipmentDesk *self, TsuStore *store)
{
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  if (!g_set_object (&self->store, store))
    return;
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  tsu_equipment_desk_reload (self);
}

void
tsu_equipment_desk_set_date_style (TsuEquipmentDesk *self, TsuDateStyle style)
{
  if (self->style == style)
    return;
  self->style = style;
  tsu_equipment_desk_reload (self);
}

void
tsu_equipment_desk_get_counts (TsuEquipmentDesk *self, guint counts[4])
{
  memcpy (counts, self->counts, sizeof self->counts);
}

static void
tsu_equipment_desk_dispose (GObject *object)
{
  TsuEquipmentDesk *self = TSU_EQUIPMENT_DESK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_handle_id (&self->minute, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  for (guint i = 0; i < 4; i++)
    g_clear_pointer (&self->rows[i], g_ptr_array_unref);
  G_OBJECT_CLASS (tsu_equipment_desk_parent_class)->dispose (object);
}

static void
tsu_equipment_desk_class_init (TsuEquipmentDeskClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_equipment_desk_dispose;
  GTK_WIDGET_CLASS (klass)->map = tsu_equipment_desk_map;
  GTK_WIDGET_CLASS (klass)->unmap = tsu_equipment_desk_unmap;
}

static void
tsu_equipment_desk_init (TsuEquipmentDesk *self)
{
  static const char *descriptions[] = {
    N_ ("Booked to go out today: check the accessories with the group."),
    N_ ("Due back today."),
    N_ ("Past their due time: call the group."),
    N_ ("Room bookings today."),
  };
  GtkWidget *lend = gtk_button_new_with_mnemonic (_ ("_Lend Without a Booking…"));
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->style = TSU_DATE_STYLE_SEIREKI;
  self->page = adw_preferences_page_new ();
  self->title_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->title_group), _ ("Today’s Desk"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (lend), "equipment.lend-now");
  gtk_widget_set_tooltip_text (lend, _ ("Lend items to a group over the counter"));
  gtk_widget_set_valign (lend, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (box), lend);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self->title_group), box);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                            ADW_PREFERENCES_GROUP (self->title_group));
  /* Overdue first: it needs a call. */
  for (guint k = 0; k < 4; k++)
    {
      guint i = (guint[]){ 2, 0, 1, 3 }[k];

      self->rows[i] = g_ptr_array_new ();
      self->groups[i] = adw_preferences_group_new ();
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->groups[i]),
                                             _ (descriptions[i]));
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                                ADW_PREFERENCES_GROUP (self->groups[i]));
    }
  for (guint i = 0; i < 4; i++)
    fill (self, i, NULL, "", 0);
  gtk_widget_set_visible (self->groups[2], FALSE);
  adw_bin_set_child (ADW_BIN (self), self->page);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Today’s desk"), -1);
}

GtkWidget *
tsu_equipment_desk_new (void)
{
  return g_object_new (TSU_TYPE_EQUIPMENT_DESK, NULL);
}
