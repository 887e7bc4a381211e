/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-record-picker.h"
#include "tsu-record-query.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

#define MAX_SHOWN 8

struct _TsuRecordPicker
{
  GtkWidget parent_instance;

  TsuStore     *store;
  TsuPickerKind kind;
  GtkWidget    *box;
  GtkWidget    *entry;
  GtkWidget    *chosen_label;
  GtkWidget    *results;
  GCancellable *cancellable;
  JsonObject   *group;
};

G_DEFINE_FINAL_TYPE (TsuRecordPicker, tsu_record_picker, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  TsuRecordQuery *query;
  GPtrArray      *rows; /* TsuRowCells */
} Search;

static void
search_free (Search *s)
{
  tsu_record_query_free (s->query);
  g_clear_pointer (&s->rows, g_ptr_array_unref);
  g_free (s);
}

static gboolean
search_read (sqlite3 *db, gpointer data, GError **error)
{
  Search            *s = data;
  const char        *groups[] = { "name", "registration_number", "status", NULL };
  const char        *items[] = { "name", "control_number", "now_state", NULL };
  const char *const *columns
      = s->query->collection == tsu_collection_lookup ("groups") ? groups : items;
  g_autoptr (GArray) rowids = tsu_record_query_run_first (db, s->query, MAX_SHOWN, error);

  if (rowids == NULL && error && *error)
    return FALSE;
  if (rowids == NULL && (rowids = tsu_record_query_run (db, s->query, error)) == NULL)
    return FALSE;
  s->rows = tsu_record_query_read_cells (db, s->query, columns, (const gint64 *)rowids->data,
                                         MIN (rowids->len, MAX_SHOWN), error);
  return s->rows != NULL;
}

static void
search_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;

  if (tsu_store_read (TSU_STORE (source), search_read, data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void choose (TsuRecordPicker *self, const char *id);

static void
result_clicked_cb (GtkButton *button, TsuRecordPicker *self)
{
  choose (self, g_object_get_data (G_OBJECT (button), "id"));
}

static void
search_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TsuRecordPicker   *self;
  Search            *s = g_task_get_task_data (G_TASK (result));
  GtkWidget         *child;
  const TsuFieldDef *status_field;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot search groups: %s", error->message);
      return;
    }
  self = user_data; /* alive: dispose cancels */
  status_field
      = self->kind == TSU_PICKER_GROUPS
            ? tsu_collection_lookup_column (tsu_collection_lookup ("groups"), "status")
            : tsu_collection_lookup_column (tsu_collection_lookup ("resources"), "now_state");
  while ((child = gtk_widget_get_first_child (self->results)))
    gtk_box_remove (GTK_BOX (self->results), child);
  for (guint i = 0; i < s->rows->len; i++)
    {
      TsuRowCells     *row = g_ptr_array_index (s->rows, i);
      GtkWidget       *button;
      g_autofree char *status = NULL;
      g_autofree char *label = NULL;

      if (row == NULL)
        continue;
      status = tsu_record_cell_format (status_field, row->cells[2], 0);
      /* TRANSLATORS: a record to choose: 1: name, 2: its number, 3: its status */
      label = g_strdup_printf (_ ("%1$s (%2$s, %3$s)"), row->cells[0] ? row->cells[0] : "",
                               row->cells[1] ? row->cells[1] : "—", status);
      button = gtk_button_new_with_label (label);
      gtk_widget_add_css_class (button, "flat");
      gtk_label_set_xalign (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))), 0);
      gtk_label_set_ellipsize (GTK_LABEL (gtk_button_get_child (GTK_BUTTON (button))),
                               PANGO_ELLIPSIZE_END);
      g_object_set_data_full (G_OBJECT (button), "id", g_strdup (row->id), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (result_clicked_cb), self, 0);
      gtk_box_append (GTK_BOX (self->results), button);
    }
  if (s->rows->len == 0)
    {
      GtkWidget *none = gtk_label_new (self->kind == TSU_PICKER_GROUPS ? _ ("No group matches.")
                                                                       : _ ("No item matches."));

      gtk_widget_add_css_class (none, "dim-label");
      gtk_box_append (GTK_BOX (self->results), none);
    }
}

static void
search_changed_cb (TsuRecordPicker *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr (GTask) task = NULL;
  Search *s;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  s = g_new0 (Search, 1);
  s->query = tsu_record_query_new (
      tsu_collection_lookup (self->kind == TSU_PICKER_GROUPS ? "groups" : "resources"));
  tsu_record_query_set_search (s->query, *text ? text : NULL);
  tsu_record_query_set_sort (s->query, "reading", FALSE);
  if (self->kind == TSU_PICKER_ITEMS)
    {
      tsu_record_query_add_filter (s->query, "kind", TSU_FILTER_EQ, "item");
      tsu_record_query_add_filter (s->query, "status", TSU_FILTER_EQ, "available");
    }
  tsu_date_today (&s->query->today);
  task = g_task_new (self->store, self->cancellable, search_done_cb, self);
  g_task_set_task_data (task, s, (GDestroyNotify)search_free);
  g_task_run_in_thread (task, search_thread);
}

static void
update_chosen (TsuRecordPicker *self)
{
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->chosen_label, self->kind == TSU_PICKER_GROUPS);
  if (self->group)
    /* TRANSLATORS: the group chosen to borrow */
    text = g_strdup_printf (_ ("Borrowing group: %s"), tsu_record_get_string (self->group, "name"));
  gtk_label_set_text (GTK_LABEL (self->chosen_label), text ? text : _ ("No group chosen yet"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->chosen_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  text ? text : _ ("No group chosen yet"), -1);
}

static void
choose (TsuRecordPicker *self, const char *id)
{
  g_autofree char *copy = g_strdup (id);

  g_clear_pointer (&self->group, json_object_unref);
  if (copy && self->store)
    self->group = tsu_store_get (
        self->store, self->kind == TSU_PICKER_GROUPS ? "groups" : "resources", copy, NULL);
  update_chosen (self);
  g_signal_emit (self, signals[SIGNAL_PICKED], 0, copy);
}

static void
tsu_record_picker_dispose (GObject *object)
{
  TsuRecordPicker *self = TSU_RECORD_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_pointer (&self->group, json_object_unref);
  G_OBJECT_CLASS (tsu_record_picker_parent_class)->dispose (object);
}

static void
tsu_record_picker_class_init (TsuRecordPickerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_record_picker_dispose;
  gtk_widget_class_set_layout_manager_type (GTK_WIDGET_CLASS (klass), GTK_TYPE_BIN_LAYOUT);
  signals[SIGNAL_PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
tsu_record_picker_init (TsuRecordPicker *self)
{
  GtkWidget *scroller = gtk_scrolled_window_new ();

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));
  self->chosen_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->chosen_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->chosen_label), TRUE);
  gtk_widget_add_css_class (self->chosen_label, "heading");
  self->entry = gtk_search_entry_new ();
  gtk_search_entry_set_search_delay (GTK_SEARCH_ENTRY (self->entry), 120);
  self->results = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->results);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 150);
  gtk_box_append (GTK_BOX (self->box), self->chosen_label);
  gtk_box_append (GTK_BOX (self->box), self->entry);
  gtk_box_append (GTK_BOX (self->box), scroller);
  g_signal_connect_object (self->entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  update_chosen (self);
}

GtkWidget *
tsu_record_picker_new (TsuStore *store, TsuPickerKind kind)
{
  TsuRecordPicker *self = g_object_new (TSU_TYPE_RECORD_PICKER, NULL);
  gboolean         groups = kind == TSU_PICKER_GROUPS;

  self->store = store ? g_object_ref (store) : NULL;
  self->kind = kind;
  g_object_set (self->entry, "placeholder-text",
                groups ? _ ("Name, reading or phone of the group")
                       : _ ("Name, reading or control number of the item"),
                NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  groups ? _ ("Find the group") : _ ("Find an item to add"), -1);
  update_chosen (self);
  search_changed_cb (self);
  return GTK_WIDGET (self);
}

const char *
tsu_record_picker_get_id (TsuRecordPicker *self)
{
  return self->group ? tsu_record_get_string (self->group, "id") : NULL;
}

JsonObject *
tsu_record_picker_get_record (TsuRecordPicker *self)
{
  return self->group;
}

void
tsu_record_picker_set_id (TsuRecordPicker *self, const char *id)
{
  choose (self, id);
}

GtkWidget *
tsu_record_picker_get_entry (TsuRecordPicker *self)
{
  return self->entry;
}
