/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-record-history.h"
#include "tsu-record.h"

struct _TsuRecordHistory
{
  AdwPreferencesGroup parent_instance;

  const TsuCollection *collection;
  TsuStore            *store;
  TsuDateStyle         date_style;
  char                *id;
  GPtrArray           *rows;
};

G_DEFINE_FINAL_TYPE (TsuRecordHistory, tsu_record_history, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  SIGNAL_REVERT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "insert") == 0)
    return _ ("Added");
  if (g_strcmp0 (action, "delete") == 0)
    return _ ("Deleted");
  if (g_strcmp0 (action, "undelete") == 0)
    return _ ("Restored");
  return _ ("Changed");
}

char *
tsu_record_history_format_time (const char *iso, TsuDateStyle style)
{
  g_autoptr (GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = dt ? g_date_time_to_local (dt) : NULL;
  g_autofree char *date = NULL;
  GDate            d;

  if (local == NULL)
    return g_strdup (iso ? iso : "");
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  date = tsu_date_format (&d, style);
  return g_strdup_printf ("%s %02d:%02d", date, g_date_time_get_hour (local),
                          g_date_time_get_minute (local));
}

static char *
value_text (TsuRecordHistory *self, const TsuFieldDef *f, JsonNode *node)
{
  g_autofree char *text = NULL;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_ ("(empty)"));
  if (f == NULL)
    return json_to_string (node, FALSE);
  text = tsu_record_value_format (f, node, TSU_VALUE_DISPLAY, self->date_style, self->store);
  return *text ? g_steal_pointer (&text) : g_strdup (_ ("(empty)"));
}

static void
revert_clicked_cb (GtkButton *button, TsuRecordHistory *self)
{
  gint64 *history_id = g_object_get_data (G_OBJECT (button), "history-id");

  g_signal_emit (self, signals[SIGNAL_REVERT], 0, self->id, *history_id);
}

static void
clear (TsuRecordHistory *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
entry_row (TsuRecordHistory *self, JsonObject *e, gboolean newest)
{
  JsonObject      *changes = json_object_get_object_member (e, "changes");
  const char      *action = json_object_get_string_member_with_default (e, "action", "update");
  const char      *author = json_object_get_string_member_with_default (e, "author", "");
  g_autofree char *when = tsu_record_history_format_time (
      json_object_get_string_member_with_default (e, "at", NULL), self->date_style);
  g_autoptr (GString) summary = g_string_new (NULL);
  g_autofree char *title = NULL;
  GtkWidget       *row = adw_expander_row_new ();
  gboolean         insert = g_strcmp0 (action, "insert") == 0;

  /* Fields in the form's order (not the order JSON kept them in). */
  for (guint i = 0; changes && i < self->collection->n_fields; i++)
    {
      const TsuFieldDef *f = &self->collection->fields[i];
      JsonObject        *c;
      g_autofree char   *old = NULL;
      g_autofree char *new = NULL;
      g_autofree char *text = NULL;
      GtkWidget       *child;

      if ((f->flags & TSU_FIELD_DERIVED) || !json_object_has_member (changes, f->name))
        continue;
      c = json_object_get_object_member (changes, f->name);
      if (c == NULL)
        continue;
      new = value_text (self, f, json_object_get_member (c, "new"));
      /* An addition lists what was entered; a change what it was before. */
      if (insert)
        text = g_strdup (new);
      else
        {
          old = value_text (self, f, json_object_get_member (c, "old"));
          text = g_strdup_printf ("%s → %s", old, new);
        }
      child = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child), tsu_field_get_label (f));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (child), text);
      gtk_widget_add_css_class (child, "property");
      adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
      if (summary->len < 120)
        g_string_append_printf (summary, "%s%s", summary->len ? "、" : "", tsu_field_get_label (f));
    }
  /* TRANSLATORS: a history entry: who, then what (追加 / 変更 / 削除) */
  title = g_strdup_printf (_ ("%s ・ %s"), author, action_label (action));
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  {
    g_autofree char *sub
        = summary->len ? g_strdup_printf ("%s\n%s", when, summary->str) : g_strdup (when);
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), sub);
  }
  if (json_object_has_member (e, "id"))
    {
      GtkWidget *button = gtk_button_new_from_icon_name ("edit-undo-symbolic");
      gint64    *hid = g_new (gint64, 1);

      *hid = json_object_get_int_member (e, "id");
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "flat");
      gtk_widget_set_tooltip_text (button, _ ("Undo This Change"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Undo this change"), -1);
      g_object_set_data_full (G_OBJECT (button), "history-id", hid, g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (revert_clicked_cb), self);
      adw_expander_row_add_action (ADW_EXPANDER_ROW (row), button);
    }
  if (newest)
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
  return row;
}

gboolean
tsu_record_history_load (TsuRecordHistory *self, const char *id, GError **error)
{
  g_autoptr (JsonArray) history = NULL;

  g_return_val_if_fail (TSU_IS_RECORD_HISTORY (self), FALSE);

  clear (self);
  if (id != self->id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  if (id == NULL || self->store == NULL || self->collection == NULL)
    return TRUE;
  history = tsu_store_get_history (self->store, self->collection->name, id, error);
  if (history == NULL)
    return FALSE;
  /* Newest first: that is what the counter asks about. */
  for (int i = (int)json_array_get_length (history) - 1; i >= 0; i--)
    {
      GtkWidget *row
          = entry_row (self, json_array_get_object_element (history, i), self->rows->len == 0);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  return TRUE;
}

guint
tsu_record_history_get_n_entries (TsuRecordHistory *self)
{
  return self->rows->len;
}

static void
tsu_record_history_dispose (GObject *object)
{
  TsuRecordHistory *self = TSU_RECORD_HISTORY (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_record_history_parent_class)->dispose (object);
}

static void
tsu_record_history_finalize (GObject *object)
{
  TsuRecordHistory *self = TSU_RECORD_HISTORY (object);

  g_ptr_array_unref (self->rows);
  g_free (self->id);
  G_OBJECT_CLASS (tsu_record_history_parent_class)->finalize (object);
}

static void
tsu_record_history_class_init (TsuRecordHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_record_history_dispose;
  object_class->finalize = tsu_record_history_finalize;

  /**
   * TsuRecordHistory::revert:
   * @id: the record
   * @history_id: the entry to undo (tsu_store_revert())
   */
  signals[SIGNAL_REVERT]
      = g_signal_new ("revert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);
}

static void
tsu_record_history_init (TsuRecordHistory *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("History"));
}

GtkWidget *
tsu_record_history_new (void)
{
  return g_object_new (TSU_TYPE_RECORD_HISTORY, NULL);
}

void
tsu_record_history_set_collection (TsuRecordHistory *self, const TsuCollection *collection)
{
  self->collection = collection;
}

void
tsu_record_history_set_date_style (TsuRecordHistory *self, TsuDateStyle style)
{
  self->date_style = style;
}

void
tsu_record_history_set_store (TsuRecordHistory *self, TsuStore *store)
{
  g_set_object (&self->store, store);
}
