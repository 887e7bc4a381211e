/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tsu-centre-settings-dialog.h"
#include "tsu-centre.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"

struct _TsuCentreSettingsDialog
{
  AdwPreferencesWindow parent_instance;

  TsuStore    *store;
  TsuDateStyle style;
  GtkWidget   *weekdays[8];
  GtkWidget   *closures_group;
  GPtrArray   *closure_rows;
  GtkWidget   *from_row;
  GtkWidget   *to_row;
  GtkWidget   *horizon;
  GtkWidget   *buffer;
  GtkWidget   *open_row;
  GtkWidget   *close_row;
  JsonArray   *closures; /* as saved: [first, last] pairs or single days */
  gboolean     loading;
  guint        spin_timeout;
};

G_DEFINE_FINAL_TYPE (TsuCentreSettingsDialog,
                     tsu_centre_settings_dialog,
                     ADW_TYPE_PREFERENCES_WINDOW)

/* ---- saving ---- */

typedef struct
{
  char     *key;
  JsonNode *value;
} Save;

static void
save_free (Save *s)
{
  g_free (s->key);
  g_clear_pointer (&s->value, json_node_unref);
  g_free (s);
}

static gboolean
save_job (TsuStore *store, gpointer data, GError **error)
{
  Save *s = data;

  return tsu_centre_set (store, s->key, s->value, error);
}

static void
save_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TsuCentreSettingsDialog) self = user_data;
  g_autoptr (GError) error = NULL;

  if (!tsu_equipment_run_finish (result, NULL, &error))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                      adw_toast_new (error->message));
}

static void
save (TsuCentreSettingsDialog *self, const char *key, JsonNode *value)
{
  Save *s = g_new0 (Save, 1);

  if (self->loading)
    {
      json_node_unref (value);
      g_free (s);
      return;
    }
  s->key = g_strdup (key);
  s->value = value;
  tsu_equipment_run (self->store, save_job, s, (GDestroyNotify)save_free, NULL, save_done_cb,
                     g_object_ref (self));
}

static JsonNode *
int_node (gint64 v)
{
  JsonNode *n = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (n, v);
  return n;
}

static void
weekday_cb (TsuCentreSettingsDialog *self)
{
  JsonArray *a = json_array_new ();
  JsonNode  *n = json_node_new (JSON_NODE_ARRAY);

  for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    if (gtk_switch_get_active (GTK_SWITCH (self->weekdays[d])))
      json_array_add_int_element (a, d);
  json_node_take_array (n, a);
  save (self, TSU_CENTRE_CLOSED_WEEKDAYS, n);
}

static gboolean
spin_timeout_cb (gpointer data)
{
  TsuCentreSettingsDialog *self = data;

  self->spin_timeout = 0;
  save (self, TSU_CENTRE_BOOKING_HORIZON,
        int_node (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->horizon))));
  save (self, TSU_CENTRE_BOOKING_BUFFER,
        int_node (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->buffer))));
  return G_SOURCE_REMOVE;
}

static void
spin_cb (TsuCentreSettingsDialog *self)
{
  if (self->loading)
    return;
  g_clear_handle_id (&self->spin_timeout, g_source_remove);
  self->spin_timeout = g_timeout_add (500, spin_timeout_cb, self);
}

/* "9:00" → "09:00"; NULL when it is not a time of day. */
static char *
clean_time (const char *text)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  int              h, m;
  char             rest;

  if (sscanf (t, "%d:%d%c", &h, &m, &rest) != 2 || h < 0 || h > 24 || m < 0 || m > 59
      || (h == 24 && m != 0))
    return NULL;
  return g_strdup_printf ("%02d:%02d", h, m);
}

static void
hours_apply_cb (AdwEntryRow *row, TsuCentreSettingsDialog *self)
{
  const char *key
      = row == ADW_ENTRY_ROW (self->open_row) ? TSU_CENTRE_ROOM_OPEN : TSU_CENTRE_ROOM_CLOSE;
  const char      *text = gtk_editable_get_text (GTK_EDITABLE (row));
  g_autofree char *t = clean_time (text);
  JsonNode        *n;

  if (*text && t == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (_ ("Write the time like 09:00.")));
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
  n = json_node_new (t ? JSON_NODE_VALUE : JSON_NODE_NULL);
  if (t)
    {
      json_node_set_string (n, t);
      gtk_editable_set_text (GTK_EDITABLE (row), t);
    }
  save (self, key, n);
}

/* ---- closures ---- */

static void fill_closures (TsuCentreSettingsDialog *self);

static void
save_closures (TsuCentreSettingsDialog *self)
{
  g_autoptr (JsonNode) live = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  /* The worker gets its own copy: the list here changes on. */
  json_node_set_array (live, self->closures);
  text = json_to_string (live, FALSE);
  save (self, TSU_CENTRE_CLOSURES, json_from_string (text, NULL));
  fill_closures (self);
}

static void
remove_closure_cb (GtkButton *button, TsuCentreSettingsDialog *self)
{
  guint i = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "index"));

  if (i < json_array_get_length (self->closures))
    json_array_remove_element (self->closures, i);
  save_closures (self);
}

static gboolean
closure_days (JsonNode *e, GDate *first, GDate *last)
{
  if (JSON_NODE_HOLDS_VALUE (e))
    {
      if (!tsu_date_from_iso (json_node_get_string (e), first))
        return FALSE;
      *last = *first;
      return TRUE;
    }
  return JSON_NODE_HOLDS_ARRAY (e) && json_array_get_length (json_node_get_array (e)) == 2
         && tsu_date_from_iso (json_array_get_string_element (json_node_get_array (e), 0), first)
         && tsu_date_from_iso (json_array_get_string_element (json_node_get_array (e), 1), last);
}

static void
fill_closures (TsuCentreSettingsDialog *self)
{
  for (guint i = 0; i < self->closure_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->closures_group),
                                  g_ptr_array_index (self->closure_rows, i));
  g_ptr_array_set_size (self->closure_rows, 0);
  for (guint i = 0; i < json_array_get_length (self->closures); i++)
    {
      GDate            first, last;
      GtkWidget       *row, *remove;
      g_autofree char *a = NULL, *b = NULL, *title = NULL;

      if (!closure_days (json_array_get_element (self->closures, i), &first, &last))
        continue;
      a = tsu_date_format (&first, self->style);
      b = tsu_date_format (&last, self->style);
      title = g_date_compare (&first, &last) == 0 ? g_strdup (a) : g_strdup_printf ("%s〜%s", a, b);
      row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      remove = gtk_button_new_from_icon_name ("user-trash-symbolic");
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, _ ("Remove"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Remove"), -1);
      g_object_set_data (G_OBJECT (remove), "index", GUINT_TO_POINTER (i));
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_closure_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->closures_group), row);
      g_ptr_array_add (self->closure_rows, row);
    }
}

static void
add_closure_cb (TsuCentreSettingsDialog *self)
{
  GDate first, last;
  g_autoptr (GError) error = NULL;
  const char      *to = gtk_editable_get_text (GTK_EDITABLE (self->to_row));
  JsonArray       *pair;
  g_autofree char *a = NULL, *b = NULL;

  if (!tsu_date_parse (gtk_editable_get_text (GTK_EDITABLE (self->from_row)), &first, &error)
      || (*to && !tsu_date_parse (to, &last, &error)))
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self),
                                        adw_toast_new (error->message));
      return;
    }
  if (!*to)
    last = first;
  if (g_date_compare (&last, &first) < 0 || g_date_days_between (&first, &last) > 366)
    {
      adw_preferences_window_add_toast (
          ADW_PREFERENCES_WINDOW (self),
          adw_toast_new (_ ("The last day comes after the first, within a year.")));
      return;
    }
  a = tsu_date_to_iso (&first);
  b = tsu_date_to_iso (&last);
  pair = json_array_new ();
  json_array_add_string_element (pair, a);
  json_array_add_string_element (pair, b);
  json_array_add_array_element (self->closures, pair);
  gtk_editable_set_text (GTK_EDITABLE (self->from_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->to_row), "");
  save_closures (self);
}

/* ---- building ---- */

static GtkWidget *
spin_row (const char *title, const char *subtitle, int max, GtkWidget **spin)
{
  GtkWidget *row = adw_action_row_new ();

  *spin = gtk_spin_button_new_with_range (0, max, 1);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
load (TsuCentreSettingsDialog *self)
{
  guint weekdays;
  g_autoptr (GArray) days = NULL;
  g_autoptr (JsonNode) c = tsu_centre_get (self->store, TSU_CENTRE_CLOSURES);
  g_autofree char *open = tsu_centre_get_string (self->store, TSU_CENTRE_ROOM_OPEN, "");
  g_autofree char *close = tsu_centre_get_string (self->store, TSU_CENTRE_ROOM_CLOSE, "");

  self->loading = TRUE;
  tsu_centre_closed_days (self->store, &weekdays, &days);
  for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    gtk_switch_set_active (GTK_SWITCH (self->weekdays[d]), (weekdays & (1u << d)) != 0);
  g_clear_pointer (&self->closures, json_array_unref);
  self->closures = c && JSON_NODE_HOLDS_ARRAY (c) ? json_array_ref (json_node_get_array (c))
                                                  : json_array_new ();
  fill_closures (self);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->horizon),
                             tsu_centre_get_int (self->store, TSU_CENTRE_BOOKING_HORIZON, 90));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->buffer),
                             tsu_centre_get_int (self->store, TSU_CENTRE_BOOKING_BUFFER, 0));
  gtk_editable_set_text (GTK_EDITABLE (self->open_row), open);
  gtk_editable_set_text (GTK_EDITABLE (self->close_row), close);
  self->loading = FALSE;
}

static void
build (TsuCentreSettingsDialog *self)
{
  static const char *names[] = { "",
                                 N_ ("Monday"),
                                 N_ ("Tuesday"),
                                 N_ ("Wednesday"),
                                 N_ ("Thursday"),
                                 N_ ("Friday"),
                                 N_ ("Saturday"),
                                 N_ ("Sunday") };
  GtkWidget         *page = adw_preferences_page_new ();
  GtkWidget         *days = adw_preferences_group_new ();
  GtkWidget         *bookings = adw_preferences_group_new ();
  GtkWidget         *rooms = adw_preferences_group_new ();
  GtkWidget         *add_box, *add;

  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _ ("Lending and Rooms"));
  adw_preferences_page_set_icon_name (ADW_PREFERENCES_PAGE (page), "x-office-calendar-symbolic");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (days), _ ("Closed Weekdays"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (days),
      _ ("A due date on a closed day, a closure or a national holiday moves to the next open "
         "day. Every desk of the centre shares these settings."));
  for (guint d = G_DATE_MONDAY; d <= G_DATE_SUNDAY; d++)
    {
      GtkWidget *row = adw_action_row_new ();

      self->weekdays[d] = gtk_switch_new ();
      gtk_widget_set_valign (self->weekdays[d], GTK_ALIGN_CENTER);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (names[d]));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->weekdays[d]);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->weekdays[d]);
      {
        /* TRANSLATORS: a switch: closed on Mondays */
        g_autofree char *label = g_strdup_printf (_ ("Closed on %s"), _ (names[d]));
        gtk_accessible_update_property (GTK_ACCESSIBLE (self->weekdays[d]),
                                        GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
      }
      g_signal_connect_object (self->weekdays[d], "notify::active", G_CALLBACK (weekday_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (days), row);
    }
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (days));

  self->closures_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->closures_group), _ ("Closures"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self->closures_group),
                                         _ ("Days the centre is closed besides its weekdays, such "
                                            "as 年末年始 or an inspection day."));
  self->from_row = tsu_equipment_entry_row (_ ("First day"), NULL);
  self->to_row = tsu_equipment_entry_row (_ ("Last day (empty for one day)"), NULL);
  add = gtk_button_new_with_mnemonic (_ ("_Add Closure"));
  gtk_widget_set_halign (add, GTK_ALIGN_END);
  gtk_widget_set_margin_top (add, 6);
  g_signal_connect_object (add, "clicked", G_CALLBACK (add_closure_cb), self, G_CONNECT_SWAPPED);
  add_box = adw_preferences_group_new ();
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_box), self->from_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_box), self->to_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (add_box), add);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page),
                            ADW_PREFERENCES_GROUP (self->closures_group));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (add_box));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (bookings), _ ("Bookings"));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (bookings),
                             spin_row (_ ("Bookings Open"),
                                       _ ("How many days ahead a group may book"), 3650,
                                       &self->horizon));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (bookings),
                             spin_row (_ ("Time Between Loans"),
                                       _ ("Minutes kept free between two bookings of one item, "
                                          "to check and clean it"),
                                       1440, &self->buffer));
  g_signal_connect_object (self->horizon, "value-changed", G_CALLBACK (spin_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "value-changed", G_CALLBACK (spin_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (bookings));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (rooms), _ ("Room Hours"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (rooms),
      _ ("When rooms can be booked, unless a room has its own hours. Press Enter to save."));
  self->open_row = tsu_equipment_entry_row (_ ("Opens at (HH:MM)"), NULL);
  self->close_row = tsu_equipment_entry_row (_ ("Closes at (HH:MM)"), NULL);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->open_row), TRUE);
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->close_row), TRUE);
  g_signal_connect_object (self->open_row, "apply", G_CALLBACK (hours_apply_cb), self, 0);
  g_signal_connect_object (self->close_row, "apply", G_CALLBACK (hours_apply_cb), self, 0);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rooms), self->open_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (rooms), self->close_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), ADW_PREFERENCES_GROUP (rooms));

  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), ADW_PREFERENCES_PAGE (page));
}

static void
tsu_centre_settings_dialog_dispose (GObject *object)
{
  TsuCentreSettingsDialog *self = TSU_CENTRE_SETTINGS_DIALOG (object);

  /* A change still waiting is saved as the window closes. */
  if (self->spin_timeout)
    {
      g_clear_handle_id (&self->spin_timeout, g_source_remove);
      if (self->store)
        spin_timeout_cb (self);
    }
  G_OBJECT_CLASS (tsu_centre_settings_dialog_parent_class)->dispose (object);
}

static void
tsu_centre_settings_dialog_finalize (GObject *object)
{
  TsuCentreSettingsDialog *self = TSU_CENTRE_SETTINGS_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->closures, json_array_unref);
  g_ptr_array_unref (self->closure_rows);
  G_OBJECT_CLASS (tsu_centre_settings_dialog_parent_class)->finalize (object);
}

static void
tsu_centre_settings_dialog_class_init (TsuCentreSettingsDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_centre_settings_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = tsu_centre_settings_dialog_finalize;
}

static void
tsu_centre_settings_dialog_init (TsuCentreSettingsDialog *self)
{
  self->closure_rows = g_ptr_array_new ();
  gtk_window_set_title (GTK_WINDOW (self), _ ("Centre Settings"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

TsuCentreSettingsDialog *
tsu_centre_settings_dialog_new (GtkWindow *parent, TsuStore *store, TsuDateStyle style)
{
  TsuCentreSettingsDialog *self
      = g_object_new (TSU_TYPE_CENTRE_SETTINGS_DIALOG, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->style = style;
  build (self);
  load (self);
  return self;
}
