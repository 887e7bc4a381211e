/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-counter-util.h"
#include "tsu-counter.h"
#include "tsu-event-registrations.h"
#include "tsu-record.h"

struct _TsuEventRegistrations
{
  AdwPreferencesGroup parent_instance;

  TsuStore     *store;
  JsonObject   *event;
  GPtrArray    *rows;    /* JsonObject registrations shown */
  GPtrArray    *widgets; /* rows added to the group */
  GCancellable *cancel;
  GtkEntry     *name_entry;
  GtkEntry     *kana_entry;
  GtkWidget    *add_row;
  gboolean      filling;
};

G_DEFINE_FINAL_TYPE (TsuEventRegistrations, tsu_event_registrations, ADW_TYPE_PREFERENCES_GROUP)

static void reload (TsuEventRegistrations *self);

static void
toast (TsuEventRegistrations *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
present_toggled (GtkCheckButton *check, TsuEventRegistrations *self)
{
  g_autoptr (GError) error = NULL;

  if (self->filling)
    return;
  if (!tsu_registration_set_attendance (self->store, g_object_get_data (G_OBJECT (check), "id"),
                                        gtk_check_button_get_active (check) ? "present" : "absent",
                                        &error))
    toast (self, error->message);
}

static void
cancel_clicked (GtkButton *button, TsuEventRegistrations *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *promoted = NULL;

  if (!tsu_registration_cancel (self->store, g_object_get_data (G_OBJECT (button), "id"), &promoted,
                                &error))
    toast (self, error->message);
  else
    toast (self, promoted
                     ? _ ("Registration cancelled; the first on the waiting list has the place")
                     : _ ("Registration cancelled"));
  reload (self);
}

static void
register_clicked (TsuEventRegistrations *self)
{
  g_autoptr (JsonObject) person = json_object_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M");
  g_autofree char *name
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  g_autofree char *kana
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->kana_entry))));
  g_autofree char *id = NULL;
  gboolean         waiting = FALSE;

  if (self->event == NULL || *name == '\0')
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
      return;
    }
  json_object_set_string_member (person, "kind", "citizen");
  json_object_set_string_member (person, "name", name);
  if (*kana)
    json_object_set_string_member (person, "name_kana", kana);
  id = tsu_event_register (self->store, tsu_record_get_string (self->event, "id"), person, at,
                           &waiting, &error);
  if (id == NULL)
    {
      toast (self, error->message);
      return;
    }
  toast (self, waiting ? _ ("The event is full: put on the waiting list") : _ ("Registered"));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->kana_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->name_entry));
  reload (self);
}

static void
clear (TsuEventRegistrations *self)
{
  for (guint i = 0; i < self->widgets->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self),
                                  g_ptr_array_index (self->widgets, i));
  g_ptr_array_set_size (self->widgets, 0);
}

static void
fill (TsuEventRegistrations *self, GPtrArray *rows)
{
  guint            registered = 0, waiting = 0, present = 0;
  gint64           capacity = 0;
  g_autofree char *description = NULL;

  self->filling = TRUE;
  clear (self);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  self->rows = rows ? g_ptr_array_ref (rows) : NULL;
  for (guint i = 0; rows && i < rows->len; i++)
    {
      JsonObject      *r = g_ptr_array_index (rows, i);
      gboolean         wait = g_strcmp0 (tsu_record_get_string (r, "state"), "waiting") == 0;
      const char      *kana = tsu_record_get_string (r, "name_kana");
      const char      *group = tsu_record_get_string (r, "group_name");
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *cancel = gtk_button_new_from_icon_name ("edit-delete-symbolic");
      g_autofree char *sub = NULL;

      wait ? waiting++ : registered++;
      {
        const char *parts[] = { wait ? _ ("Waiting list") : NULL, kana, group };
        GString    *b = g_string_new (NULL);

        for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
          if (parts[k] && *parts[k])
            g_string_append_printf (b, "%s%s", b->len ? "　" : "", parts[k]);
        sub = g_string_free (b, FALSE);
      }
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tsu_record_get_string (r, "name"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      if (!wait)
        {
          GtkWidget *check = gtk_check_button_new_with_label (_ ("Present"));
          gboolean   here = g_strcmp0 (tsu_record_get_string (r, "attendance"), "present") == 0;

          present += here;
          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), here);
          g_object_set_data_full (G_OBJECT (check), "id",
                                  g_strdup (tsu_record_get_string (r, "id")), g_free);
          g_signal_connect (check, "toggled", G_CALLBACK (present_toggled), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
        }
      else
        gtk_widget_add_css_class (row, "dim-label");
      gtk_widget_set_valign (cancel, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (cancel, "flat");
      gtk_widget_set_tooltip_text (cancel, _ ("Cancel Registration"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (cancel), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Cancel Registration"), -1);
      g_object_set_data_full (G_OBJECT (cancel), "id", g_strdup (tsu_record_get_string (r, "id")),
                              g_free);
      g_signal_connect (cancel, "clicked", G_CALLBACK (cancel_clicked), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), cancel);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->widgets, row);
    }
  if (self->event && tsu_record_get_int (self->event, "capacity", &capacity) && capacity > 0)
    description = g_strdup_printf (_ ("%u of %d places taken, %u waiting, %u present"), registered,
                                   (int)capacity, waiting, present);
  else
    description = g_strdup_printf (_ ("%u registered, %u present"), registered, present);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  self->filling = FALSE;
}

static void
read_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  GError    *error = NULL;
  GPtrArray *rows = tsu_event_registrations (source, data, &error);
  g_autoptr (GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  for (guint i = 0; rows && i < rows->len; i++)
    {
      JsonObject *r = g_ptr_array_index (rows, i);
      const char *gid = tsu_record_get_string (r, "group_id");
      const char *name;

      if (gid == NULL)
        continue;
      if (!(name = g_hash_table_lookup (names, gid)))
        {
          g_autoptr (JsonObject) g = tsu_store_get (source, "groups", gid, NULL);

          name = g ? tsu_record_get_string (g, "name") : NULL;
          g_hash_table_insert (names, g_strdup (gid), g_strdup (name ? name : ""));
          name = g_hash_table_lookup (names, gid);
        }
      json_object_set_string_member (r, "group_name", name);
    }
  if (rows)
    g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  fill (TSU_EVENT_REGISTRATIONS (data), rows);
}

static void
reload (TsuEventRegistrations *self)
{
  g_autoptr (GTask) task = NULL;

  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  if (self->store == NULL || self->event == NULL)
    {
      fill (self, NULL);
      return;
    }
  self->cancel = g_cancellable_new ();
  task = g_task_new (self->store, self->cancel, read_done, self);
  g_task_set_task_data (task, g_strdup (tsu_record_get_string (self->event, "id")), g_free);
  g_task_run_in_thread (task, read_thread);
}

void
tsu_event_registrations_show (TsuEventRegistrations *self, TsuStore *store, JsonObject *event)
{
  g_set_object (&self->store, store);
  g_clear_pointer (&self->event, json_object_unref);
  self->event = event ? json_object_ref (event) : NULL;
  gtk_widget_set_visible (GTK_WIDGET (self), event && tsu_record_get_string (event, "id"));
  reload (self);
}

GPtrArray *
tsu_event_registrations_get_rows (TsuEventRegistrations *self)
{
  return self->rows;
}

static void
tsu_event_registrations_dispose (GObject *object)
{
  TsuEventRegistrations *self = TSU_EVENT_REGISTRATIONS (object);

  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  g_clear_object (&self->store);
  g_clear_pointer (&self->event, json_object_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  G_OBJECT_CLASS (tsu_event_registrations_parent_class)->dispose (object);
}

static void
tsu_event_registrations_finalize (GObject *object)
{
  g_ptr_array_unref (TSU_EVENT_REGISTRATIONS (object)->widgets);
  G_OBJECT_CLASS (tsu_event_registrations_parent_class)->finalize (object);
}

static void
tsu_event_registrations_class_init (TsuEventRegistrationsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_event_registrations_dispose;
  G_OBJECT_CLASS (klass)->finalize = tsu_event_registrations_finalize;
}

static void
tsu_event_registrations_init (TsuEventRegistrations *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button = gtk_button_new_with_mnemonic (_ ("Re_gister"));

  self->widgets = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Registrations"));
  self->name_entry = GTK_ENTRY (gtk_entry_new ());
  self->kana_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->name_entry, _ ("Full name"));
  gtk_entry_set_placeholder_text (self->kana_entry, _ ("Reading"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->name_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Name to register"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->kana_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Reading"), -1);
  gtk_widget_set_hexpand (GTK_WIDGET (self->name_entry), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->kana_entry), TRUE);
  gtk_widget_set_tooltip_text (button,
                               _ ("Register for the event; when it is full, on the waiting list"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (register_clicked), self);
  g_signal_connect_swapped (self->kana_entry, "activate", G_CALLBACK (register_clicked), self);
  g_signal_connect_swapped (self->name_entry, "activate", G_CALLBACK (register_clicked), self);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->name_entry));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->kana_entry));
  gtk_box_append (GTK_BOX (box), button);
  adw_preferences_group_set_header_suffix (ADW_PREFERENCES_GROUP (self), NULL);
  self->add_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _ ("New registration"));
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  adw_action_row_add_suffix (ADW_ACTION_ROW (self->add_row), box);
  /* The entry line sits above the list: registering is what the desk does most. */
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->add_row);
}
