/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter (窓口): a consultation logged while the person is still at the
 * desk. The keyboard path is: type part of the name (the matches follow as
 * it is typed), Enter takes the first match and moves to the topics, Space
 * toggles a topic, arrows move between them, Ctrl+Enter logs. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-counter-collections.h"
#include "tsu-counter-desk.h"
#include "tsu-counter-view.h"
#include "tsu-counter-util.h"
#include "tsu-counter.h"
#include "tsu-date.h"
#include "tsu-record.h"

struct _TsuCounterDesk
{
  AdwBin parent_instance;

  TsuStore     *store;
  GCancellable *search_cancel;
  GCancellable *lists_cancel;
  guint         reload_id;

  GtkSearchEntry *who_entry;
  GtkListBox     *matches_list;
  GtkLabel       *chosen_label;
  GtkDropDown    *channel_dropdown;
  GtkDropDown    *kind_dropdown;
  GtkLabel       *topics_label;
  GtkFlowBox     *topics_box;
  GtkEntry       *question_entry;
  GtkEntry       *answer_entry;
  GtkSpinButton  *minutes_spin;
  GtkEntry       *staff_entry;
  GtkEntry       *referred_entry;
  GtkEntry       *follow_entry;
  GtkLabel       *error_label;
  GtkListBox     *today_list;
  GtkListBox     *week_list;
  GtkListBox     *due_list;

  GPtrArray *matches; /* JsonObject: what the matches list shows */
  GPtrArray *toggles; /* GtkToggleButton, data "topic" */
  char      *chosen_kind;
  char      *chosen_id;
  char      *chosen_name;
  gboolean   setting_text;
};

G_DEFINE_FINAL_TYPE (TsuCounterDesk, tsu_counter_desk, ADW_TYPE_BIN)

static void reload_lists (TsuCounterDesk *self);

/* ---- who ---- */

static void
clear_chosen (TsuCounterDesk *self)
{
  g_clear_pointer (&self->chosen_kind, g_free);
  g_clear_pointer (&self->chosen_id, g_free);
  g_clear_pointer (&self->chosen_name, g_free);
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_label), FALSE);
}

static guint
kind_position (const char *kind)
{
  for (guint i = 0; tsu_asker_kinds[i].code; i++)
    if (g_strcmp0 (tsu_asker_kinds[i].code, kind) == 0)
      return i;
  return 0;
}

static void
show_matches (TsuCounterDesk *self, GPtrArray *found)
{
  tsu_counter_list_clear (self->matches_list);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->matches = found ? g_ptr_array_ref (found) : NULL;
  for (guint i = 0; found && i < found->len; i++)
    {
      JsonObject      *a = g_ptr_array_index (found, i);
      GtkWidget       *row = adw_action_row_new ();
      gboolean         group = g_strcmp0 (tsu_record_get_string (a, "kind"), "group") == 0;
      g_autofree char *sub = g_strdup_printf ("%s　%s", group ? _ ("Group") : _ ("Volunteer"),
                                              tsu_record_get_string (a, "detail"));

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), tsu_record_get_string (a, "name"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_list_box_append (self->matches_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->matches_list), found && found->len > 0);
}

static void
search_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = g_task_propagate_pointer (G_TASK (result), &error);
  TsuCounterDesk *self = data;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error)
    g_warning ("counter search: %s", error->message);
  show_matches (self, found);
}

static void
search_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  GError    *error = NULL;
  GPtrArray *found = tsu_counter_find_askers (TSU_STORE (source), (const char *)data, 6, &error);

  if (g_cancellable_is_cancelled (cancel))
    {
      g_clear_pointer (&found, g_ptr_array_unref);
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
    }
  else if (found)
    g_task_return_pointer (task, found, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
who_changed (TsuCounterDesk *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->who_entry));
  g_autoptr (GTask) task = NULL;

  /* search-changed comes after a delay: also for the name put in by choose(). */
  if (self->setting_text || (self->chosen_name && g_strcmp0 (text, self->chosen_name) == 0))
    return;
  clear_chosen (self);
  g_cancellable_cancel (self->search_cancel);
  g_clear_object (&self->search_cancel);
  if (self->store == NULL || text == NULL || *text == '\0')
    {
      show_matches (self, NULL);
      return;
    }
  self->search_cancel = g_cancellable_new ();
  /* The search runs on a reader: the desk never waits for the disk. */
  task = g_task_new (self->store, self->search_cancel, search_done, self);
  g_task_set_task_data (task, g_strdup (text), g_free);
  g_task_run_in_thread (task, search_thread);
}

static void
focus_topics (TsuCounterDesk *self)
{
  if (self->toggles && self->toggles->len)
    gtk_widget_grab_focus (g_ptr_array_index (self->toggles, 0));
}

static void
choose (TsuCounterDesk *self, guint index)
{
  g_autoptr (JsonObject) a = json_object_ref (g_ptr_array_index (self->matches, index));
  const char      *kind = tsu_record_get_string (a, "kind");
  g_autofree char *text = NULL;

  clear_chosen (self);
  self->chosen_kind = g_strdup (kind);
  self->chosen_id = g_strdup (tsu_record_get_string (a, "id"));
  self->chosen_name = g_strdup (tsu_record_get_string (a, "name"));
  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->who_entry), self->chosen_name);
  self->setting_text = FALSE;
  g_cancellable_cancel (self->search_cancel);
  show_matches (self, NULL);
  text = g_strdup_printf ("%s: %s　%s",
                          g_strcmp0 (kind, "group") == 0 ? _ ("Group") : _ ("Volunteer"),
                          self->chosen_name, tsu_record_get_string (a, "detail"));
  gtk_label_set_text (self->chosen_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->chosen_label), TRUE);
  gtk_drop_down_set_selected (self->kind_dropdown, kind_position (kind));
  focus_topics (self);
}

static void
who_activate (TsuCounterDesk *self)
{
  if (self->matches && self->matches->len > 0 && self->chosen_id == NULL)
    choose (self, 0);
  else
    {
      /* Someone without a record: the name stays as typed. */
      if (self->chosen_id == NULL
          && g_strcmp0 (tsu_asker_kinds[gtk_drop_down_get_selected (self->kind_dropdown)].code,
                        "group")
                 == 0)
        gtk_drop_down_set_selected (self->kind_dropdown, kind_position ("citizen"));
      focus_topics (self);
    }
}

static void
match_activated (TsuCounterDesk *self, GtkListBoxRow *row)
{
  choose (self, gtk_list_box_row_get_index (row));
}

static gboolean
who_key (GtkEventControllerKey *c, guint keyval, guint code, GdkModifierType mods, gpointer data)
{
  TsuCounterDesk *self = data;
  GtkListBoxRow  *first;

  if ((keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
      && (first = gtk_list_box_get_row_at_index (self->matches_list, 0)))
    {
      gtk_widget_grab_focus (GTK_WIDGET (first));
      return TRUE;
    }
  return FALSE;
}

/* ---- logging ---- */

static void
show_error (TsuCounterDesk *self, const char *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static void
set_text_member (JsonObject *o, const char *name, GtkEntry *entry)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));

  if (*text)
    json_object_set_string_member (o, name, text);
}

static void
reset_form (TsuCounterDesk *self)
{
  self->setting_text = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->who_entry), "");
  self->setting_text = FALSE;
  clear_chosen (self);
  show_matches (self, NULL);
  for (guint i = 0; i < self->toggles->len; i++)
    gtk_toggle_button_set_active (g_ptr_array_index (self->toggles, i), FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->question_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->answer_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->referred_entry), "");
  gtk_editable_set_text (GTK_EDITABLE (self->follow_entry), "");
  gtk_spin_button_set_value (self->minutes_spin, 0);
  gtk_drop_down_set_selected (self->kind_dropdown, kind_position ("group"));
  show_error (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (self->who_entry));
}

static void
toast (TsuCounterDesk *self, const char *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

static void
log_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuCounterDesk *self = TSU_COUNTER_DESK (widget);
  g_autoptr (JsonObject) row = json_object_new ();
  g_autoptr (JsonArray) topics = json_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *at = g_date_time_format (now, "%Y-%m-%dT%H:%M");
  g_autofree char *id = NULL, *who = NULL, *message = NULL;
  const char      *follow = gtk_editable_get_text (GTK_EDITABLE (self->follow_entry));
  const char      *kind = tsu_asker_kinds[gtk_drop_down_get_selected (self->kind_dropdown)].code;
  int              minutes = gtk_spin_button_get_value_as_int (self->minutes_spin);

  if (self->store == NULL)
    return;
  json_object_set_string_member (
      row, "channel",
      tsu_consultation_channels[gtk_drop_down_get_selected (self->channel_dropdown)].code);
  who = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->who_entry))));
  if (self->chosen_id)
    {
      json_object_set_string_member (row, "asker_kind", self->chosen_kind);
      json_object_set_string_member (
          row, g_str_equal (self->chosen_kind, "group") ? "group_id" : "volunteer_id",
          self->chosen_id);
    }
  else
    {
      /* Typed but not chosen: a person or body without a record here. */
      if (*who && (g_str_equal (kind, "group") || g_str_equal (kind, "volunteer")))
        kind = "citizen";
      else if (!*who && (g_str_equal (kind, "group") || g_str_equal (kind, "volunteer")))
        kind = "anonymous";
      json_object_set_string_member (row, "asker_kind", kind);
      if (*who && !g_str_equal (kind, "anonymous"))
        json_object_set_string_member (row, "asker_name", who);
    }
  for (guint i = 0; i < self->toggles->len; i++)
    if (gtk_toggle_button_get_active (g_ptr_array_index (self->toggles, i)))
      json_array_add_string_element (
          topics, g_object_get_data (g_ptr_array_index (self->toggles, i), "topic"));
  if (json_array_get_length (topics))
    json_object_set_array_member (row, "topics", json_array_ref (topics));
  set_text_member (row, "question", self->question_entry);
  set_text_member (row, "answer", self->answer_entry);
  set_text_member (row, "staff", self->staff_entry);
  set_text_member (row, "referred_to", self->referred_entry);
  if (minutes > 0)
    json_object_set_int_member (row, "minutes", minutes);
  if (follow && *follow)
    {
      GDate            d;
      g_autofree char *iso = NULL;

      if (!tsu_date_parse (follow, &d, &error))
        {
          g_autofree char *text
              = g_strdup_printf (_ ("Follow up on: %s"), error ? error->message : follow);

          show_error (self, text);
          gtk_widget_grab_focus (GTK_WIDGET (self->follow_entry));
          return;
        }
      iso = tsu_date_to_iso (&d);
      json_object_set_string_member (row, "follow_up_on", iso);
    }
  /* One row: written here like the record form's save (it is quick). */
  id = tsu_consultation_log (self->store, row, at, &error);
  if (id == NULL)
    {
      show_error (self, error ? error->message : _ ("The consultation could not be logged."));
      return;
    }
  if (self->chosen_name)
    message = g_strdup_printf (_ ("Consultation logged for %s"), self->chosen_name);
  toast (self, message ? message : _ ("Consultation logged"));
  reset_form (self);
}

/* ---- the lists ---- */

typedef struct
{
  char      *today, *tomorrow, *monday, *next_monday;
  GPtrArray *today_rows, *week_rows, *due_rows;
} Lists;

static void
lists_free (Lists *l)
{
  g_free (l->today);
  g_free (l->tomorrow);
  g_free (l->monday);
  g_free (l->next_monday);
  g_clear_pointer (&l->today_rows, g_ptr_array_unref);
  g_clear_pointer (&l->week_rows, g_ptr_array_unref);
  g_clear_pointer (&l->due_rows, g_ptr_array_unref);
  g_free (l);
}

static void
lists_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  Lists  *l = data;
  GError *error = NULL;

  if ((l->today_rows = tsu_consultations_between (source, l->today, l->tomorrow, 200, &error))
      && (l->week_rows = tsu_consultations_between (source, l->monday, l->next_monday, 500, &error))
      && (l->due_rows = tsu_consultations_due (source, l->today, &error)))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
done_clicked (GtkButton *button, TsuCounterDesk *self)
{
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (GError) error = NULL;

  json_object_set_string_member (change, "follow_up", "done");
  if (!tsu_store_update (self->store, "consultations", g_object_get_data (G_OBJECT (button), "id"),
                         change, &error))
    toast (self, error->message);
}

static void
fill (TsuCounterDesk *self,
      GtkListBox     *list,
      GPtrArray      *rows,
      gboolean        dates,
      gboolean        due,
      const char     *empty)
{
  tsu_counter_list_clear (list);
  for (guint i = 0; rows && i < rows->len; i++)
    {
      JsonObject *c = g_ptr_array_index (rows, i);
      GtkWidget  *row = tsu_counter_consultation_row (c, dates);

      if (due)
        {
          GtkWidget       *b = gtk_button_new_with_label (_ ("Done"));
          const char      *on = tsu_record_get_string (c, "follow_up_on");
          g_autofree char *title
              = g_strdup_printf (_ ("Due %s — %s"), on ? on : "",
                                 adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
          gtk_widget_set_tooltip_text (b, _ ("Mark as followed up"));
          g_object_set_data_full (G_OBJECT (b), "id", g_strdup (tsu_record_get_string (c, "id")),
                                  g_free);
          g_signal_connect (b, "clicked", G_CALLBACK (done_clicked), self);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), b);
        }
      gtk_list_box_append (list, row);
    }
  if (rows == NULL || rows->len == 0)
    gtk_list_box_append (list, tsu_counter_placeholder_row (empty));
}

static void
lists_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  TsuCounterDesk *self = data;
  Lists          *l = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("counter lists: %s", error->message);
      return;
    }
  fill (self, self->today_list, l->today_rows, FALSE, FALSE, _ ("No consultations yet today"));
  fill (self, self->week_list, l->week_rows, TRUE, FALSE, _ ("No consultations this week"));
  fill (self, self->due_list, l->due_rows, TRUE, TRUE, _ ("No follow-ups due"));
}

static void
reload_lists (TsuCounterDesk *self)
{
  g_autoptr (GTask) task = NULL;
  Lists *l;
  GDate  today, d;

  if (self->store == NULL)
    return;
  g_cancellable_cancel (self->lists_cancel);
  g_clear_object (&self->lists_cancel);
  self->lists_cancel = g_cancellable_new ();
  l = g_new0 (Lists, 1);
  tsu_date_today (&today);
  l->today = tsu_date_to_iso (&today);
  d = today;
  g_date_add_days (&d, 1);
  l->tomorrow = tsu_date_to_iso (&d);
  /* The week starts on Monday, as the centre's duty roster does. */
  d = today;
  g_date_subtract_days (&d, g_date_get_weekday (&d) - G_DATE_MONDAY);
  l->monday = tsu_date_to_iso (&d);
  g_date_add_days (&d, 7);
  l->next_monday = tsu_date_to_iso (&d);
  task = g_task_new (self->store, self->lists_cancel, lists_done, self);
  g_task_set_task_data (task, l, (GDestroyNotify)lists_free);
  g_task_run_in_thread (task, lists_thread);
}

static gboolean
reload_idle (gpointer data)
{
  TsuCounterDesk *self = data;

  self->reload_id = 0;
  reload_lists (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed (TsuStore *store, const char *collection, GPtrArray *ids, TsuCounterDesk *self)
{
  if (g_strcmp0 (collection, "consultations") != 0 && g_strcmp0 (collection, "groups") != 0)
    return;
  if (self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

/* ---- setup ---- */

static void
build_topics (TsuCounterDesk *self)
{
  g_auto (GStrv) topics = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->topics_box))))
    gtk_flow_box_remove (self->topics_box, child);
  g_ptr_array_set_size (self->toggles, 0);
  topics = self->store ? tsu_consultation_topics_offered (self->store)
                       : g_strdupv ((char *[]){ NULL });
  for (guint i = 0; topics[i]; i++)
    {
      const char *label = topics[i];
      GtkWidget  *b;

      for (guint k = 0; tsu_consultation_topics[k].code; k++)
        if (g_str_equal (tsu_consultation_topics[k].code, topics[i]))
          label = _ (tsu_consultation_topics[k].label);
      b = gtk_toggle_button_new_with_label (label);
      g_object_set_data_full (G_OBJECT (b), "topic", g_strdup (topics[i]), g_free);
      gtk_widget_set_tooltip_text (b, topics[i]);
      gtk_flow_box_append (self->topics_box, b);
      /* Tab and arrows reach the button, not the flow box child around it. */
      gtk_widget_set_focusable (gtk_widget_get_parent (b), FALSE);
      g_ptr_array_add (self->toggles, b);
    }
  if (self->toggles->len)
    gtk_label_set_mnemonic_widget (self->topics_label, g_ptr_array_index (self->toggles, 0));
}

void
tsu_counter_desk_set_store (TsuCounterDesk *self, TsuStore *store)
{
  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store)
    g_signal_connect (store, "changed", G_CALLBACK (store_changed), self);
  build_topics (self);
  reload_lists (self);
}

void
tsu_counter_desk_focus (TsuCounterDesk *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->who_entry));
}

static GListModel *
choice_model (const TsuChoice *choices)
{
  GtkStringList *l = gtk_string_list_new (NULL);

  for (guint i = 0; choices[i].code; i++)
    gtk_string_list_append (l, _ (choices[i].label));
  return G_LIST_MODEL (l);
}

static void
tsu_counter_desk_dispose (GObject *object)
{
  TsuCounterDesk *self = TSU_COUNTER_DESK (object);

  g_cancellable_cancel (self->search_cancel);
  g_cancellable_cancel (self->lists_cancel);
  g_clear_object (&self->search_cancel);
  g_clear_object (&self->lists_cancel);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_clear_pointer (&self->toggles, g_ptr_array_unref);
  clear_chosen (self);
  gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_COUNTER_DESK);
  G_OBJECT_CLASS (tsu_counter_desk_parent_class)->dispose (object);
}

static void
tsu_counter_desk_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (tsu_counter_desk_parent_class)->map (widget);
  /* Coming to the counter is to log someone: the keyboard is in "Who". */
  tsu_counter_desk_focus (TSU_COUNTER_DESK (widget));
}

static void
tsu_counter_desk_class_init (TsuCounterDeskClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tsu_counter_desk_dispose;
  widget_class->map = tsu_counter_desk_map;
  tsu_counter_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-counter-desk.ui");
#define BIND(x) gtk_widget_class_bind_template_child (widget_class, TsuCounterDesk, x)
  BIND (who_entry);
  BIND (matches_list);
  BIND (chosen_label);
  BIND (channel_dropdown);
  BIND (kind_dropdown);
  BIND (topics_label);
  BIND (topics_box);
  BIND (question_entry);
  BIND (answer_entry);
  BIND (minutes_spin);
  BIND (staff_entry);
  BIND (referred_entry);
  BIND (follow_entry);
  BIND (error_label);
  BIND (today_list);
  BIND (week_list);
  BIND (due_list);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, who_changed);
  gtk_widget_class_bind_template_callback (widget_class, who_activate);
  gtk_widget_class_bind_template_callback (widget_class, match_activated);
  gtk_widget_class_install_action (widget_class, "desk.log", NULL, log_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "desk.log",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "desk.log",
                                       NULL);
}

static void
tsu_counter_desk_init (TsuCounterDesk *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();
  g_autoptr (GListModel) channels = choice_model (tsu_consultation_channels);
  g_autoptr (GListModel) kinds = choice_model (tsu_asker_kinds);

  gtk_widget_init_template (GTK_WIDGET (self));
  self->toggles = g_ptr_array_new ();
  gtk_drop_down_set_model (self->channel_dropdown, channels);
  gtk_drop_down_set_model (self->kind_dropdown, kinds);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (who_key), self);
  gtk_widget_add_controller (GTK_WIDGET (self->who_entry), keys);
  build_topics (self);
}
