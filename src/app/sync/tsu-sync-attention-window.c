/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 要確認: one list of what waits for a person, across every record type.
 * A conflict shows both values side by side with who and when, and is
 * resolved by keeping mine, taking theirs or saving a merged value. A
 * refused change shows the server's reason in the desk's language and is
 * fixed and sent again, or discarded after a confirmation. Reads and writes
 * run in workers; the window is never modal. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-record.h"
#include "tsu-sync-attention-window.h"
#include "tsu-sync-manager.h"
#include "tsu-sync-status.h"

struct _TsuSyncAttentionWindow
{
  AdwWindow parent_instance;

  TsuStore       *store;
  TsuSyncManager *manager;
  GCancellable   *cancellable;

  AdwToastOverlay *toasts;
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  GtkBox          *list;
};

G_DEFINE_FINAL_TYPE (TsuSyncAttentionWindow, tsu_sync_attention_window, ADW_TYPE_WINDOW)

/* ---- what is read in a worker ---- */

typedef struct
{
  JsonArray *conflicts; /* + "record" (the record now, or absent) */
  JsonArray *rejected;  /* + "record" */
  char      *device_id;
} Items;

static void
items_free (Items *items)
{
  g_clear_pointer (&items->conflicts, json_array_unref);
  g_clear_pointer (&items->rejected, json_array_unref);
  g_free (items->device_id);
  g_free (items);
}

static void
attach_records (TsuStore *store, JsonArray *array, const char *id_member)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *o = json_array_get_object_element (array, i);
      JsonObject *row = tsu_store_get (store, json_object_get_string_member (o, "collection"),
                                       json_object_get_string_member (o, id_member), NULL);

      if (row != NULL)
        json_object_set_object_member (o, "record", row);
    }
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TsuSyncManager *manager = data;
  TsuSyncClient  *client = tsu_sync_manager_get_client (manager);
  TsuStore       *store = tsu_sync_manager_get_store (manager);
  Items          *items = g_new0 (Items, 1);
  GError         *error = NULL;

  items->conflicts = tsu_sync_client_list_conflicts (client, &error);
  if (items->conflicts != NULL)
    items->rejected = tsu_sync_client_list_rejected (client, &error);
  if (items->rejected == NULL)
    {
      items_free (items);
      g_task_return_error (task, error);
      return;
    }
  attach_records (store, items->conflicts, "record_id");
  attach_records (store, items->rejected, "id");
  /* Why each change was refused, naming what it clashes with (reads). */
  for (guint i = 0; i < json_array_get_length (items->rejected); i++)
    {
      JsonObject      *o = json_array_get_object_element (items->rejected, i);
      g_autofree char *why = tsu_sync_rejection_describe (store, o);

      json_object_set_string_member (o, "explanation", why);
    }
  items->device_id = tsu_store_get_meta (store, "sync_device_id");
  g_task_return_pointer (task, items, (GDestroyNotify)items_free);
}

/* ---- rows ---- */

static TsuDateStyle
date_style (void)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");

  return (TsuDateStyle)g_settings_get_enum (settings, "date-style");
}

static char *
format_value (TsuSyncAttentionWindow *self, const TsuFieldDef *f, JsonNode *value)
{
  g_autofree char *text = NULL;

  if (f == NULL)
    return value ? json_to_string (value, FALSE) : g_strdup ("");
  text = tsu_record_value_format (f, value, TSU_VALUE_DISPLAY, date_style (), self->store);
  return *text ? g_steal_pointer (&text) : g_strdup (_ ("(empty)"));
}

static char *
record_heading (const TsuCollection *c, JsonObject *item)
{
  JsonObject      *record = json_object_has_member (item, "record")
                                ? json_object_get_object_member (item, "record")
                                : NULL;
  g_autofree char *title = c && record ? tsu_record_title (c, record) : NULL;

  /* TRANSLATORS: 1: a kind of record (団体), 2: its name */
  return g_strdup_printf (_ ("%1$s: %2$s"), c ? tsu_collection_get_label (c) : "?",
                          title && *title ? title : _ ("(no name)"));
}

static char *
short_time (const char *iso)
{
  g_autoptr (GDateTime) t = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = t ? g_date_time_to_local (t) : NULL;

  return local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (iso ? iso : "");
}

static GtkWidget *
label_new (const char *text, const char *css, gboolean wrap)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), wrap);
  gtk_label_set_selectable (GTK_LABEL (label), FALSE);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

static GtkWidget *
card_new (void)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 8);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_margin_bottom (box, 0);
  g_object_set (box, "margin-top", 0, NULL);
  return box;
}

static GtkWidget *
padded (GtkWidget *child)
{
  gtk_widget_set_margin_top (child, 12);
  gtk_widget_set_margin_bottom (child, 12);
  gtk_widget_set_margin_start (child, 12);
  gtk_widget_set_margin_end (child, 12);
  return child;
}

/* ---- actions, each written in a worker ---- */

typedef enum
{
  DO_RESOLVE,
  DO_MERGE,
  DO_RETRY,
  DO_DISCARD,
} Doing;

typedef struct
{
  Doing       what;
  char       *conflict_id;
  char       *choice;
  char       *collection;
  char       *record_id;
  JsonObject *fields; /* merged values, or corrections */
  gint64      seq;
} Action;

static void
action_free (Action *a)
{
  g_free (a->conflict_id);
  g_free (a->choice);
  g_free (a->collection);
  g_free (a->record_id);
  g_clear_pointer (&a->fields, json_object_unref);
  g_free (a);
}

static void
action_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TsuSyncAttentionWindow *self = source;
  Action                 *a = data;
  TsuSyncClient          *client = tsu_sync_manager_get_client (self->manager);
  GError                 *error = NULL;
  gboolean                ok = FALSE;

  switch (a->what)
    {
    case DO_RESOLVE:
      ok = tsu_sync_client_resolve_conflict (client, a->conflict_id, a->choice, &error);
      break;
    case DO_MERGE:
      /* The server's values stay; the merged ones are a new edit of this
       * desk, sent after the resolution like any other change. */
      ok = tsu_sync_client_resolve_conflict (client, a->conflict_id, "keep", &error)
           && tsu_store_update (self->store, a->collection, a->record_id, a->fields, &error);
      break;
    case DO_RETRY:
      ok = tsu_sync_client_retry_rejected (client, a->seq, a->fields, &error);
      break;
    case DO_DISCARD:
      ok = tsu_sync_client_discard_rejected (client, a->seq, &error);
      break;
    }
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
action_done (GObject *source, GAsyncResult *result, gpointer data)
{
  TsuSyncAttentionWindow *self = TSU_SYNC_ATTENTION_WINDOW (source);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    adw_toast_overlay_add_toast (self->toasts, adw_toast_new (error->message));
  else
    {
      adw_toast_overlay_add_toast (self->toasts,
                                   adw_toast_new (_ ("Saved; it is sent with the next sync.")));
      tsu_sync_manager_sync_now (self->manager);
    }
  tsu_sync_manager_refresh (self->manager);
  tsu_sync_attention_window_reload (self);
}

static void
run_action (TsuSyncAttentionWindow *self, Action *a)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, action_done, NULL);

  g_task_set_task_data (task, a, (GDestroyNotify)action_free);
  g_task_run_in_thread (task, action_thread);
}

static void
resolve_clicked_cb (GtkButton *button, TsuSyncAttentionWindow *self)
{
  Action *a = g_new0 (Action, 1);

  a->what = DO_RESOLVE;
  a->conflict_id = g_strdup (g_object_get_data (G_OBJECT (button), "tsu-conflict"));
  a->choice = g_strdup (g_object_get_data (G_OBJECT (button), "tsu-choice"));
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  run_action (self, a);
}

/* Reads the typed values of the entries under @box: FALSE (with a toast)
 * when one cannot be read. */
static gboolean
read_entries (TsuSyncAttentionWindow *self, GtkWidget *box, const TsuCollection *c, JsonObject *out)
{
  for (GtkWidget *w = gtk_widget_get_first_child (box); w; w = gtk_widget_get_next_sibling (w))
    {
      const char        *name = g_object_get_data (G_OBJECT (w), "tsu-field");
      const TsuFieldDef *f = name ? tsu_collection_lookup_field (c, name) : NULL;
      g_autofree char   *why = NULL;
      JsonNode          *value = NULL;

      if (GTK_IS_EDITABLE (w) && f != NULL)
        {
          if (!tsu_record_value_parse (f, gtk_editable_get_text (GTK_EDITABLE (w)), &value, &why))
            {
              g_autofree char *msg
                  = g_strdup_printf (_ ("%s: %s"), tsu_field_get_label (f), why ? why : "");
              adw_toast_overlay_add_toast (self->toasts, adw_toast_new (msg));
              return FALSE;
            }
          json_object_set_member (out, name, value);
        }
      else if (gtk_widget_get_first_child (w) != NULL && !read_entries (self, w, c, out))
        return FALSE;
    }
  return TRUE;
}

static void
merge_save_clicked_cb (GtkButton *button, TsuSyncAttentionWindow *self)
{
  GtkWidget           *box = g_object_get_data (G_OBJECT (button), "tsu-entries");
  const TsuCollection *c = g_object_get_data (G_OBJECT (button), "tsu-collection");
  g_autoptr (JsonObject) fields = json_object_new ();
  Action *a;

  if (!read_entries (self, box, c, fields))
    return;
  a = g_new0 (Action, 1);
  a->what = DO_MERGE;
  a->conflict_id = g_strdup (g_object_get_data (G_OBJECT (button), "tsu-conflict"));
  a->collection = g_strdup (c->name);
  a->record_id = g_strdup (g_object_get_data (G_OBJECT (button), "tsu-record"));
  a->fields = g_steal_pointer (&fields);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  run_action (self, a);
}

static void
edit_clicked_cb (GtkButton *button, GtkRevealer *revealer)
{
  gtk_revealer_set_reveal_child (revealer, !gtk_revealer_get_reveal_child (revealer));
}

static void
retry_clicked_cb (GtkButton *button, TsuSyncAttentionWindow *self)
{
  GtkWidget           *box = g_object_get_data (G_OBJECT (button), "tsu-entries");
  const TsuCollection *c = g_object_get_data (G_OBJECT (button), "tsu-collection");
  g_autoptr (JsonObject) fields = json_object_new ();
  Action *a;

  if (box != NULL && !read_entries (self, box, c, fields))
    return;
  a = g_new0 (Action, 1);
  a->what = DO_RETRY;
  a->seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "tsu-seq"));
  a->fields = g_steal_pointer (&fields);
  gtk_widget_set_sensitive (GTK_WIDGET (button), FALSE);
  run_action (self, a);
}

static void
discard_response_cb (AdwMessageDialog *dialog, const char *response, TsuSyncAttentionWindow *self)
{
  Action *a;

  if (g_strcmp0 (response, "discard") != 0)
    return;
  a = g_new0 (Action, 1);
  a->what = DO_DISCARD;
  a->seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "tsu-seq"));
  run_action (self, a);
}

static void
discard_clicked_cb (GtkButton *button, TsuSyncAttentionWindow *self)
{
  GtkWidget *dialog = adw_message_dialog_new (
      GTK_WINDOW (self), _ ("Discard This Change?"),
      _ ("The record goes back to what the server has. The change stays in the record’s "
         "history but is never sent."));

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "discard",
                                    _ ("_Discard Change"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data (G_OBJECT (dialog), "tsu-seq",
                     g_object_get_data (G_OBJECT (button), "tsu-seq"));
  g_signal_connect (dialog, "response", G_CALLBACK (discard_response_cb), self);
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkWidget *
button_new (const char *label, const char *css)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);

  if (css)
    gtk_widget_add_css_class (b, css);
  return b;
}

static GtkWidget *
conflict_card (TsuSyncAttentionWindow *self, JsonObject *item, const char *my_device)
{
  const TsuCollection *c
      = tsu_collection_lookup (json_object_get_string_member (item, "collection"));
  const char      *type = json_object_get_string_member (item, "type");
  const char      *device = json_object_get_string_member (item, "device_id");
  const char      *pending = json_object_get_string_member (item, "pending_choice");
  gboolean         mine_lost = g_strcmp0 (device, my_device) == 0;
  gboolean         deleted = g_strcmp0 (type, "deleted") == 0;
  JsonNode        *fields_node = json_object_get_member (item, "fields");
  JsonObject      *fields = fields_node && JSON_NODE_HOLDS_OBJECT (fields_node)
                                ? json_node_get_object (fields_node)
                                : NULL;
  g_autofree char *heading = record_heading (c, item);
  g_autofree char *when = short_time (json_object_get_string_member (item, "created_at"));
  g_autofree char *who = NULL;
  g_autofree char *other_desk = NULL;
  GtkWidget       *card = card_new ();
  GtkWidget       *inner = padded (gtk_box_new (GTK_ORIENTATION_VERTICAL, 10));
  GtkWidget       *grid = gtk_grid_new ();
  GtkWidget       *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget       *revealer = gtk_revealer_new ();
  GtkWidget       *entries = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget       *keep, *take, *edit, *save;
  JsonObjectIter   iter;
  const char      *name;
  JsonNode        *value;
  int              row = 1;

  /* TRANSLATORS: %.8s: the start of a desk's id */
  other_desk = g_strdup_printf (_ ("another desk, %.8s"), device ? device : "?");
  if (deleted)
    /* TRANSLATORS: %s: when */
    who = g_strdup_printf (_ ("The record was deleted while it was being edited (%s). The delete "
                              "stands; the edit can restore it."),
                           when);
  else
    /* TRANSLATORS: %s: when */
    who = g_strdup_printf (_ ("This desk and another desk changed the same fields (%s)."), when);

  gtk_box_append (GTK_BOX (inner), label_new (heading, "heading", TRUE));
  gtk_box_append (GTK_BOX (inner), label_new (who, "dim-label", TRUE));

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_attach (GTK_GRID (grid), label_new (_ ("Field"), "caption-heading", FALSE), 0, 0, 1, 1);
  if (deleted)
    {
      gtk_grid_attach (GTK_GRID (grid), label_new (_ ("The edit"), "caption-heading", FALSE), 1, 0,
                       1, 1);
      gtk_grid_attach (GTK_GRID (grid), label_new (_ ("Before"), "caption-heading", FALSE), 2, 0, 1,
                       1);
    }
  else
    {
      g_autofree char *mine_h = g_strdup (_ ("Mine (this desk)"));
      /* TRANSLATORS: %s: whose value it is (the server, another desk) */
      g_autofree char *theirs_h
          = g_strdup_printf (_ ("Theirs (%s)"), mine_lost ? _ ("the server") : other_desk);

      gtk_grid_attach (GTK_GRID (grid), label_new (mine_h, "caption-heading", FALSE), 1, 0, 1, 1);
      gtk_grid_attach (GTK_GRID (grid), label_new (theirs_h, "caption-heading", FALSE), 2, 0, 1, 1);
    }

  if (fields != NULL)
    {
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          const TsuFieldDef *f = c ? tsu_collection_lookup_field (c, name) : NULL;
          JsonObject      *v = JSON_NODE_HOLDS_OBJECT (value) ? json_node_get_object (value) : NULL;
          JsonNode        *mine, *theirs;
          g_autofree char *a = NULL, *b = NULL;
          GtkWidget       *entry;

          if (v == NULL)
            continue;
          if (deleted)
            {
              mine = json_object_get_member (v, "edit");
              theirs = json_object_get_member (v, "base");
            }
          else
            {
              mine = json_object_get_member (v, mine_lost ? "other" : "server");
              theirs = json_object_get_member (v, mine_lost ? "server" : "other");
            }
          a = format_value (self, f, mine);
          b = format_value (self, f, theirs);
          gtk_grid_attach (GTK_GRID (grid),
                           label_new (f ? tsu_field_get_label (f) : name, NULL, FALSE), 0, row, 1,
                           1);
          gtk_grid_attach (GTK_GRID (grid), label_new (a, NULL, TRUE), 1, row, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), label_new (b, NULL, TRUE), 2, row, 1, 1);
          row++;
          if (f != NULL && !deleted)
            {
              g_autofree char *typed
                  = tsu_record_value_format (f, mine, TSU_VALUE_DISPLAY, date_style (), NULL);
              entry = gtk_entry_new ();
              gtk_editable_set_text (GTK_EDITABLE (entry), typed);
              gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              tsu_field_get_label (f), -1);
              g_object_set_data_full (G_OBJECT (entry), "tsu-field", g_strdup (name), g_free);
              gtk_box_append (GTK_BOX (entries),
                              label_new (tsu_field_get_label (f), "caption-heading", FALSE));
              gtk_box_append (GTK_BOX (entries), entry);
            }
        }
    }
  gtk_box_append (GTK_BOX (inner), grid);

  if (pending != NULL)
    {
      gtk_box_append (GTK_BOX (inner),
                      label_new (_ ("Decided here; the decision is sent with the next sync."),
                                 "dim-label", TRUE));
      gtk_box_append (GTK_BOX (card), inner);
      return card;
    }
  if (deleted)
    {
      keep = button_new (_ ("_Leave Deleted"), NULL);
      take = button_new (_ ("_Restore with the Edit"), "suggested-action");
      g_object_set_data (G_OBJECT (keep), "tsu-choice", (gpointer) "keep");
      g_object_set_data (G_OBJECT (take), "tsu-choice", (gpointer) "take");
    }
  else
    {
      keep = button_new (_ ("_Keep Mine"), NULL);
      take = button_new (_ ("_Take Theirs"), NULL);
      /* keep = the server's value stays; take = the losing change wins. */
      g_object_set_data (G_OBJECT (keep), "tsu-choice", (gpointer)(mine_lost ? "take" : "keep"));
      g_object_set_data (G_OBJECT (take), "tsu-choice", (gpointer)(mine_lost ? "keep" : "take"));
    }
  g_object_set_data_full (G_OBJECT (keep), "tsu-conflict",
                          g_strdup (json_object_get_string_member (item, "id")), g_free);
  g_object_set_data_full (G_OBJECT (take), "tsu-conflict",
                          g_strdup (json_object_get_string_member (item, "id")), g_free);
  g_signal_connect (keep, "clicked", G_CALLBACK (resolve_clicked_cb), self);
  g_signal_connect (take, "clicked", G_CALLBACK (resolve_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), keep);
  gtk_box_append (GTK_BOX (buttons), take);
  if (!deleted && c != NULL)
    {
      edit = button_new (_ ("_Edit a Merged Value…"), NULL);
      save = button_new (_ ("_Save Merged Value"), "suggested-action");
      g_signal_connect (edit, "clicked", G_CALLBACK (edit_clicked_cb), revealer);
      g_object_set_data (G_OBJECT (save), "tsu-entries", entries);
      g_object_set_data (G_OBJECT (save), "tsu-collection", (gpointer)c);
      g_object_set_data_full (G_OBJECT (save), "tsu-conflict",
                              g_strdup (json_object_get_string_member (item, "id")), g_free);
      g_object_set_data_full (G_OBJECT (save), "tsu-record",
                              g_strdup (json_object_get_string_member (item, "record_id")), g_free);
      g_signal_connect (save, "clicked", G_CALLBACK (merge_save_clicked_cb), self);
      gtk_box_append (GTK_BOX (buttons), edit);
      gtk_widget_set_halign (save, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (entries), save);
      gtk_revealer_set_child (GTK_REVEALER (revealer), entries);
    }
  gtk_box_append (GTK_BOX (inner), buttons);
  gtk_box_append (GTK_BOX (inner), revealer);
  gtk_box_append (GTK_BOX (card), inner);
  return card;
}

static const char *
op_label (const char *op)
{
  if (g_strcmp0 (op, "insert") == 0)
    return _ ("New record");
  if (g_strcmp0 (op, "delete") == 0)
    return _ ("Delete");
  if (g_strcmp0 (op, "undelete") == 0)
    return _ ("Restore");
  if (g_strcmp0 (op, "erase") == 0)
    return _ ("Erasure");
  return _ ("Edit");
}

static GtkWidget *
rejected_card (TsuSyncAttentionWindow *self, JsonObject *item)
{
  const TsuCollection *c
      = tsu_collection_lookup (json_object_get_string_member (item, "collection"));
  JsonNode          *result_node = json_object_get_member (item, "result");
  JsonObject        *result = result_node && JSON_NODE_HOLDS_OBJECT (result_node)
                                  ? json_node_get_object (result_node)
                                  : NULL;
  const char        *field = result ? tsu_record_get_string (result, "field") : NULL;
  const TsuFieldDef *f = c && field ? tsu_collection_lookup_field (c, field) : NULL;
  const char        *reason = result ? tsu_record_get_string (result, "reason") : NULL;
  JsonObject        *record = json_object_has_member (item, "record")
                                  ? json_object_get_object_member (item, "record")
                                  : NULL;
  g_autofree char   *heading = record_heading (c, item);
  const char        *why = json_object_get_string_member (item, "explanation");
  g_autofree char   *when = short_time (json_object_get_string_member (item, "created_at"));
  g_autofree char   *sent = NULL;
  GtkWidget         *card = card_new ();
  GtkWidget         *inner = padded (gtk_box_new (GTK_ORIENTATION_VERTICAL, 10));
  GtkWidget         *buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget         *entries = NULL;
  GtkWidget         *retry, *discard;
  gint64             seq = json_object_get_int_member (item, "seq");

  /* A rule of the server that names no field: the one its reason is about. */
  if (f == NULL && c != NULL && g_strcmp0 (reason, "registration_number_taken") == 0)
    f = tsu_collection_lookup_field (c, "registration_number");
  /* TRANSLATORS: 1: the kind of change (新規登録), 2: when it was made */
  sent = g_strdup_printf (_ ("Refused by the server: %1$s made at this desk on %2$s"),
                          op_label (json_object_get_string_member (item, "op")), when);

  gtk_box_append (GTK_BOX (inner), label_new (heading, "heading", TRUE));
  gtk_box_append (GTK_BOX (inner), label_new (why, NULL, TRUE));
  gtk_box_append (GTK_BOX (inner), label_new (sent, "dim-label", TRUE));

  if (f != NULL && record != NULL)
    {
      g_autofree char *typed
          = tsu_record_value_format (f, json_object_get_member (record, field ? field : f->name),
                                     TSU_VALUE_DISPLAY, date_style (), NULL);
      GtkWidget *entry = gtk_entry_new ();

      entries = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      gtk_editable_set_text (GTK_EDITABLE (entry), typed);
      gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tsu_field_get_label (f), -1);
      g_object_set_data_full (G_OBJECT (entry), "tsu-field", g_strdup (f->name), g_free);
      gtk_box_append (GTK_BOX (entries),
                      label_new (tsu_field_get_label (f), "caption-heading", FALSE));
      gtk_box_append (GTK_BOX (entries), entry);
      gtk_box_append (GTK_BOX (inner), entries);
      retry = button_new (_ ("_Fix and Send Again"), "suggested-action");
    }
  else
    retry = button_new (_ ("_Send Again"), "suggested-action");
  /* An erased record takes no change: discarding is all there is to do. */
  gtk_widget_set_visible (retry, g_strcmp0 (reason, "erased") != 0);
  discard = button_new (_ ("_Discard…"), "destructive-action");
  g_object_set_data (G_OBJECT (retry), "tsu-seq", GSIZE_TO_POINTER ((gsize)seq));
  g_object_set_data (G_OBJECT (retry), "tsu-entries", entries);
  g_object_set_data (G_OBJECT (retry), "tsu-collection", (gpointer)c);
  g_object_set_data (G_OBJECT (discard), "tsu-seq", GSIZE_TO_POINTER ((gsize)seq));
  g_signal_connect (retry, "clicked", G_CALLBACK (retry_clicked_cb), self);
  g_signal_connect (discard, "clicked", G_CALLBACK (discard_clicked_cb), self);
  gtk_box_append (GTK_BOX (buttons), retry);
  gtk_box_append (GTK_BOX (buttons), discard);
  gtk_box_append (GTK_BOX (inner), buttons);
  gtk_box_append (GTK_BOX (card), inner);
  return card;
}

static void
loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  TsuSyncAttentionWindow *self;
  g_autoptr (GError) error = NULL;
  Items     *items = g_task_propagate_pointer (G_TASK (result), &error);
  GtkWidget *child;
  guint      n_conflicts, n_rejected;

  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot list what needs attention: %s", error->message);
      return;
    }
  self = TSU_SYNC_ATTENTION_WINDOW (source);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_box_remove (self->list, child);
  n_conflicts = json_array_get_length (items->conflicts);
  n_rejected = json_array_get_length (items->rejected);
  if (n_conflicts > 0)
    gtk_box_append (self->list, label_new (_ ("Conflicts"), "title-4", FALSE));
  for (guint i = 0; i < n_conflicts; i++)
    gtk_box_append (self->list,
                    conflict_card (self, json_array_get_object_element (items->conflicts, i),
                                   items->device_id));
  if (n_rejected > 0)
    gtk_box_append (self->list, label_new (_ ("Refused by the Server"), "title-4", FALSE));
  for (guint i = 0; i < n_rejected; i++)
    gtk_box_append (self->list,
                    rejected_card (self, json_array_get_object_element (items->rejected, i)));
  gtk_stack_set_visible_child_name (self->stack, n_conflicts + n_rejected ? "list" : "empty");
  {
    g_autofree char *sub = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u item", "%u items", n_conflicts + n_rejected),
        n_conflicts + n_rejected);
    adw_window_title_set_subtitle (self->window_title, sub);
  }
  items_free (items);
}

/**
 * tsu_sync_attention_window_reload:
 *
 * Lists again (in a worker) what needs attention.
 */
void
tsu_sync_attention_window_reload (TsuSyncAttentionWindow *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, loaded_cb, NULL);

  g_task_set_task_data (task, g_object_ref (self->manager), g_object_unref);
  g_task_run_in_thread (task, load_thread);
}

static void
manager_attention_cb (TsuSyncAttentionWindow *self)
{
  tsu_sync_attention_window_reload (self);
}

static void
tsu_sync_attention_window_dispose (GObject *object)
{
  TsuSyncAttentionWindow *self = (TsuSyncAttentionWindow *)object;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_SYNC_ATTENTION_WINDOW);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_sync_attention_window_parent_class)->dispose (object);
}

static void
tsu_sync_attention_window_finalize (GObject *object)
{
  TsuSyncAttentionWindow *self = (TsuSyncAttentionWindow *)object;

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_sync_attention_window_parent_class)->finalize (object);
}

static void
tsu_sync_attention_window_class_init (TsuSyncAttentionWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_sync_attention_window_dispose;
  object_class->finalize = tsu_sync_attention_window_finalize;

  tsu_sync_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-sync-attention-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuSyncAttentionWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncAttentionWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncAttentionWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncAttentionWindow, list);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_sync_attention_window_init (TsuSyncAttentionWindow *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * tsu_sync_attention_window_new:
 *
 * Returns: (transfer full): the needs-attention window of @store
 */
TsuSyncAttentionWindow *
tsu_sync_attention_window_new (GtkWindow *parent, TsuStore *store)
{
  TsuSyncAttentionWindow *self
      = g_object_new (TSU_TYPE_SYNC_ATTENTION_WINDOW, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->manager = tsu_sync_manager_get_for_store (store);
  g_signal_connect_object (self->manager, "notify::attention", G_CALLBACK (manager_attention_cb),
                           self, G_CONNECT_SWAPPED);
  tsu_sync_attention_window_reload (self);
  return self;
}
