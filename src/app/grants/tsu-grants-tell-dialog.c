/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-grants-tell-dialog.h"
#include "tsu-grants-task.h"
#include "tsu-grants.h"
#include "tsu-record.h"

struct _TsuGrantsTellDialog
{
  AdwWindow parent_instance;

  AdwWindowTitle      *window_title;
  GtkWidget           *close_button;
  GtkWidget           *tell_button;
  GtkStack            *stack;
  AdwPreferencesGroup *suggested_group;
  AdwActionRow        *suggested_status;
  GtkWidget           *all_button;
  AdwPreferencesGroup *results_group;
  GtkSearchEntry      *search_entry;
  GtkLabel            *done_label;
  GtkTextView         *notice_view;

  TsuStore     *store;
  char         *programme_id;
  GHashTable   *chosen;  /* id → name */
  GHashTable   *checks;  /* id → GtkCheckButton (suggested and found) */
  GPtrArray    *results; /* rows in results_group */
  GPtrArray    *told;    /* ids told, for the CSV */
  GCancellable *cancellable;
  GCancellable *search_cancellable;
  guint         pending;
};

G_DEFINE_FINAL_TYPE (TsuGrantsTellDialog, tsu_grants_tell_dialog, ADW_TYPE_WINDOW)

static void
update_button (TsuGrantsTellDialog *self)
{
  guint            n = g_hash_table_size (self->chosen);
  g_autofree char *label = NULL;

  label = n == 0 ? g_strdup (_ ("_Tell"))
                 /* TRANSLATORS: the button that records 案内済 for the groups chosen */
                 : g_strdup_printf (
                     g_dngettext (GETTEXT_PACKAGE, "_Tell %u Group", "_Tell %u Groups", n), n);
  gtk_button_set_label (GTK_BUTTON (self->tell_button), label);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "tell.tell", n > 0 && self->pending == 0);
  gtk_widget_set_sensitive (self->tell_button, n > 0 && self->pending == 0);
}

static void
check_toggled_cb (GtkCheckButton *check, TsuGrantsTellDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (check), "id");
  const char *name = g_object_get_data (G_OBJECT (check), "name");

  if (gtk_check_button_get_active (check))
    g_hash_table_replace (self->chosen, g_strdup (id), g_strdup (name));
  else
    g_hash_table_remove (self->chosen, id);
  /* The same group may be both suggested and found by name. */
  {
    GtkCheckButton *other = g_hash_table_lookup (self->checks, id);

    if (other && other != check
        && gtk_check_button_get_active (other) != gtk_check_button_get_active (check))
      gtk_check_button_set_active (other, gtk_check_button_get_active (check));
  }
  update_button (self);
}

static GtkWidget *
group_row (TsuGrantsTellDialog *self, const char *id, const char *name, const char *reason)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : "");
  if (reason)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reason);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  name ? name : "", -1);
  g_object_set_data_full (G_OBJECT (check), "id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (check), "name", g_strdup (name), g_free);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->chosen, id));
  g_signal_connect (check, "toggled", G_CALLBACK (check_toggled_cb), self);
  if (!g_hash_table_contains (self->checks, id))
    g_hash_table_insert (self->checks, g_strdup (id), check);
  return row;
}

/* ---- suggestions ---- */

typedef struct
{
  char *programme_id;
  GDate today;
} SuggestData;

static void
suggest_data_free (SuggestData *d)
{
  g_free (d->programme_id);
  g_free (d);
}

static JsonNode *
read_suggestions (TsuStore *store, gpointer data, GError **error)
{
  SuggestData *d = data;
  JsonArray   *out = tsu_grants_suggest_groups (store, d->programme_id, &d->today, error);
  JsonNode    *node;

  if (out == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, out);
  return node;
}

static void
suggestions_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuGrantsTellDialog) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  JsonArray *found;

  self->pending--;
  /* Closed meanwhile: the widgets are gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || self->stack == NULL)
    return;
  update_button (self);
  if (node == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggested_status), error->message);
      return;
    }
  found = json_node_get_array (node);
  gtk_widget_set_visible (GTK_WIDGET (self->suggested_status), json_array_get_length (found) == 0);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggested_status),
                                 _ ("No registered group shares a field with it; find groups by "
                                    "name below."));
  adw_action_row_set_title_lines (self->suggested_status, 0);
  for (guint i = 0; i < json_array_get_length (found); i++)
    {
      JsonObject *g = json_array_get_object_element (found, i);

      adw_preferences_group_add (self->suggested_group,
                                 group_row (self, tsu_record_get_string (g, "id"),
                                            tsu_record_get_string (g, "name"),
                                            tsu_record_get_string (g, "reason")));
    }
  gtk_widget_set_sensitive (self->all_button, json_array_get_length (found) > 0);
}

static void
all_clicked_cb (TsuGrantsTellDialog *self)
{
  GHashTableIter iter;
  gpointer       check;

  /* Every suggested group (found ones are in the table too, but only
   * suggested rows live in the suggested group). */
  g_hash_table_iter_init (&iter, self->checks);
  while (g_hash_table_iter_next (&iter, NULL, &check))
    if (gtk_widget_is_ancestor (check, GTK_WIDGET (self->suggested_group)))
      gtk_check_button_set_active (check, TRUE);
}

/* ---- any group by name ---- */

typedef struct
{
  char *text;
} SearchData;

static void
search_data_free (SearchData *d)
{
  g_free (d->text);
  g_free (d);
}

static JsonNode *
read_search (TsuStore *store, gpointer data, GError **error)
{
  SearchData *d = data;
  JsonArray  *out = tsu_grants_find_groups (store, d->text, 30, error);
  JsonNode   *node;

  if (out == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, out);
  return node;
}

static void
clear_results (TsuGrantsTellDialog *self)
{
  for (guint i = 0; i < self->results->len; i++)
    {
      GtkWidget  *row = g_ptr_array_index (self->results, i);
      GtkWidget  *check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
      const char *id = check ? g_object_get_data (G_OBJECT (check), "id") : NULL;

      if (id && g_hash_table_lookup (self->checks, id) == check)
        g_hash_table_remove (self->checks, id);
      adw_preferences_group_remove (self->results_group, row);
    }
  g_ptr_array_set_size (self->results, 0);
}

static void
search_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuGrantsTellDialog) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  JsonArray *found;

  if (node == NULL || self->results_group == NULL)
    return;
  clear_results (self);
  found = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (found); i++)
    {
      JsonObject *g = json_array_get_object_element (found, i);
      GtkWidget  *row
          = group_row (self, tsu_record_get_string (g, "id"), tsu_record_get_string (g, "name"),
                       tsu_record_get_string (g, "status"));

      adw_preferences_group_add (self->results_group, row);
      g_ptr_array_add (self->results, row);
    }
}

static void
search_changed_cb (TsuGrantsTellDialog *self)
{
  g_autofree char *text
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  SearchData *d;

  if (self->search_cancellable)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  if (*text == '\0')
    {
      clear_results (self);
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  d = g_new0 (SearchData, 1);
  d->text = g_steal_pointer (&text);
  tsu_grants_task_run (self->store, read_search, d, (GDestroyNotify)search_data_free,
                       self->search_cancellable, search_cb, g_object_ref (self));
}

/* ---- telling ---- */

typedef struct
{
  char *programme_id;
  GStrv ids;
  GDate today;
} TellData;

static void
tell_data_free (TellData *d)
{
  g_free (d->programme_id);
  g_strfreev (d->ids);
  g_free (d);
}

static JsonNode *
do_tell (TsuStore *store, gpointer data, GError **error)
{
  TellData        *d = data;
  guint            added = 0;
  g_autofree char *notice = NULL;
  JsonObject      *o;
  JsonNode        *node;

  /* 案内済 for all at once (one transaction), then the notice. */
  if (!tsu_grants_tell (store, d->programme_id, d->ids, &d->today, &added, error))
    return NULL;
  notice = tsu_grants_notice_text (store, d->programme_id, error);
  if (notice == NULL)
    return NULL;
  o = json_object_new ();
  json_object_set_int_member (o, "added", added);
  json_object_set_string_member (o, "notice", notice);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static void
told_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuGrantsTellDialog) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  JsonObject      *o;
  guint            n = g_hash_table_size (self->chosen);
  gint64           added;
  g_autofree char *done = NULL;

  self->pending--;
  if (self->stack == NULL)
    return;
  if (node == NULL)
    {
      update_button (self);
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_text (self->done_label, error->message);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->suggested_status),
                                         error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->suggested_status), TRUE);
        }
      return;
    }
  o = json_node_get_object (node);
  added = json_object_get_int_member (o, "added");
  if (added == (gint64)n)
    done = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group told", "%u groups told", n), n);
  else
    /* TRANSLATORS: some of the groups chosen were already on the list */
    done = g_strdup_printf (_ ("%d told; %d were told before"), (int)added, (int)(n - added));
  gtk_label_set_text (self->done_label, done);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notice_view),
                            json_object_get_string_member (o, "notice"), -1);
  gtk_stack_set_visible_child_name (self->stack, "done");
  gtk_widget_set_visible (self->tell_button, FALSE);
  gtk_button_set_label (GTK_BUTTON (self->close_button), _ ("_Close"));
  adw_window_title_set_title (self->window_title, done);
}

static void
tell_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGrantsTellDialog *self = TSU_GRANTS_TELL_DIALOG (widget);
  TellData            *d;

  if (g_hash_table_size (self->chosen) == 0 || self->pending > 0)
    return;
  d = g_new0 (TellData, 1);
  d->programme_id = g_strdup (self->programme_id);
  d->ids = tsu_grants_tell_dialog_get_chosen (self);
  tsu_date_today (&d->today);
  g_ptr_array_set_size (self->told, 0);
  for (guint i = 0; d->ids[i]; i++)
    g_ptr_array_add (self->told, g_strdup (d->ids[i]));
  self->pending++;
  update_button (self);
  tsu_grants_task_run (self->store, do_tell, d, (GDestroyNotify)tell_data_free, self->cancellable,
                       told_cb, g_object_ref (self));
}

static void
copy_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGrantsTellDialog *self = TSU_GRANTS_TELL_DIALOG (widget);
  GtkTextBuffer       *b = gtk_text_view_get_buffer (self->notice_view);
  GtkTextIter          start, end;
  g_autofree char     *text = NULL;

  gtk_text_buffer_get_bounds (b, &start, &end);
  text = gtk_text_buffer_get_text (b, &start, &end, FALSE);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  gtk_label_set_text (self->done_label, _ ("Notice copied"));
}

/* ---- the contacts ---- */

typedef struct
{
  GStrv          ids;
  char          *path;
  TsuCsvEncoding encoding;
} CsvData;

static void
csv_data_free (CsvData *d)
{
  g_strfreev (d->ids);
  g_free (d->path);
  g_free (d);
}

static JsonNode *
write_csv (TsuStore *store, gpointer data, GError **error)
{
  CsvData *d = data;
  g_autoptr (GPtrArray) unencodable = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GBytes) bytes
      = tsu_grants_contacts_csv (store, d->ids, d->encoding, unencodable, error);
  g_autoptr (GString) chars = g_string_new (NULL);
  JsonNode *node;

  /* Contacts are personal data: the file is written 0600, never over the
   * database. */
  if (bytes == NULL || !tsu_store_write_output (store, d->path, bytes, error))
    return NULL;
  for (guint i = 0; i < unencodable->len; i++)
    g_string_append (chars, g_ptr_array_index (unencodable, i));
  node = json_node_new (JSON_NODE_VALUE);
  json_node_set_string (node, chars->str);
  return node;
}

static void
csv_written_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuGrantsTellDialog) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  g_autofree char *msg = NULL;

  if (self->done_label == NULL)
    return;
  if (node == NULL)
    msg = g_strdup (error->message);
  else if (*json_node_get_string (node))
    msg = g_strdup_printf (_ ("Saved; Shift_JIS cannot hold %s, written as 〓"),
                           json_node_get_string (node));
  else
    msg = g_strdup (_ ("Contacts saved"));
  gtk_label_set_text (self->done_label, msg);
}

static void
csv_response_cb (GtkNativeDialog *chooser, int response, gpointer data)
{
  g_autoptr (TsuGrantsTellDialog) self = data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char   *enc = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "encoding");
      CsvData      *d = g_new0 (CsvData, 1);
      GStrvBuilder *b = g_strv_builder_new ();

      for (guint i = 0; i < self->told->len; i++)
        g_strv_builder_add (b, g_ptr_array_index (self->told, i));
      d->ids = g_strv_builder_end (b);
      g_strv_builder_unref (b);
      d->path = g_file_get_path (file);
      d->encoding
          = g_strcmp0 (enc, "cp932") == 0 ? TSU_CSV_ENCODING_CP932 : TSU_CSV_ENCODING_UTF8_BOM;
      tsu_grants_task_run (self->store, write_csv, d, (GDestroyNotify)csv_data_free, NULL,
                           csv_written_cb, g_object_ref (self));
    }
  g_object_unref (chooser);
}

static void
save_contacts_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGrantsTellDialog  *self = TSU_GRANTS_TELL_DIALOG (widget);
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Save Contacts"), GTK_WINDOW (self),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  const char      *ids[] = { "utf8", "cp932", NULL };
  const char      *labels[] = { _ ("UTF-8 with BOM (Excel)"), _ ("Shift_JIS (CP932)"), NULL };
  GDate            today;
  g_autofree char *file = NULL;

  tsu_date_today (&today);
  /* TRANSLATORS: the file name of the contacts of the groups told: 案内先-20261126.csv */
  file = g_strdup_printf (_ ("groups-told-%04d%02d%02d.csv"), g_date_get_year (&today),
                          g_date_get_month (&today), g_date_get_day (&today));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "encoding", _ ("Encoding"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "encoding", "utf8");
  g_signal_connect (chooser, "response", G_CALLBACK (csv_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- object ---- */

GStrv
tsu_grants_tell_dialog_get_chosen (TsuGrantsTellDialog *self)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_autoptr (GList) keys = g_hash_table_get_keys (self->chosen);

  keys = g_list_sort (keys, (GCompareFunc)g_strcmp0);
  for (GList *l = keys; l; l = l->next)
    g_strv_builder_add (b, l->data);
  return g_strv_builder_end (b);
}

void
tsu_grants_tell_dialog_choose (TsuGrantsTellDialog *self, const char *id, gboolean chosen)
{
  GtkCheckButton *check = g_hash_table_lookup (self->checks, id);

  if (check)
    gtk_check_button_set_active (check, chosen);
}

gboolean
tsu_grants_tell_dialog_get_loading (TsuGrantsTellDialog *self)
{
  return self->pending > 0;
}

static void
tsu_grants_tell_dialog_dispose (GObject *object)
{
  TsuGrantsTellDialog *self = TSU_GRANTS_TELL_DIALOG (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  if (self->search_cancellable)
    g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->store);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_GRANTS_TELL_DIALOG);
  G_OBJECT_CLASS (tsu_grants_tell_dialog_parent_class)->dispose (object);
}

static void
tsu_grants_tell_dialog_finalize (GObject *object)
{
  TsuGrantsTellDialog *self = TSU_GRANTS_TELL_DIALOG (object);

  g_hash_table_unref (self->chosen);
  g_hash_table_unref (self->checks);
  g_ptr_array_unref (self->results);
  g_ptr_array_unref (self->told);
  g_free (self->programme_id);
  G_OBJECT_CLASS (tsu_grants_tell_dialog_parent_class)->finalize (object);
}

static void
tsu_grants_tell_dialog_class_init (TsuGrantsTellDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_grants_tell_dialog_dispose;
  object_class->finalize = tsu_grants_tell_dialog_finalize;
  /* The page registered the grants resources before opening this. */
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-grants-tell-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, close_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, tell_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, suggested_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, suggested_status);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, all_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, results_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, done_label);
  gtk_widget_class_bind_template_child (widget_class, TsuGrantsTellDialog, notice_view);
  gtk_widget_class_bind_template_callback (widget_class, all_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_install_action (widget_class, "tell.tell", NULL, tell_action);
  gtk_widget_class_install_action (widget_class, "tell.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "tell.save-contacts", NULL, save_contacts_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_grants_tell_dialog_init (TsuGrantsTellDialog *self)
{
  self->chosen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->checks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->results = g_ptr_array_new ();
  self->told = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_search_entry_set_search_delay (self->search_entry, 250);
  update_button (self);
}

/**
 * tsu_grants_tell_dialog_new:
 *
 * Returns: (transfer none): the window (destroyed when closed)
 */
GtkWindow *
tsu_grants_tell_dialog_new (GtkWindow *parent, TsuStore *store, const char *programme_id)
{
  TsuGrantsTellDialog *self
      = g_object_new (TSU_TYPE_GRANTS_TELL_DIALOG, "transient-for", parent, NULL);
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", programme_id, NULL);
  SuggestData *d = g_new0 (SuggestData, 1);

  self->store = g_object_ref (store);
  self->programme_id = g_strdup (programme_id);
  if (p)
    adw_window_title_set_subtitle (self->window_title, tsu_record_get_string (p, "name"));
  d->programme_id = g_strdup (programme_id);
  tsu_date_today (&d->today);
  self->pending++;
  update_button (self);
  tsu_grants_task_run (store, read_suggestions, d, (GDestroyNotify)suggest_data_free,
                       self->cancellable, suggestions_cb, g_object_ref (self));
  return GTK_WINDOW (self);
}
