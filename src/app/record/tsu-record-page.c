/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-record-resources.h"

#include "tsu-record-page.h"
#include "tsu-record-column.h"
#include "tsu-record-csv.h"
#include "tsu-record-import-dialog.h"
#include "tsu-record.h"

typedef struct
{
  AdwToastOverlay   *toast_overlay;
  AdwLeaflet        *leaflet;
  GtkWidget         *list_pane;
  GtkSearchEntry    *search_entry;
  GtkWidget         *filter_button;
  GtkBox            *filter_box;
  GtkWidget         *new_button;
  GtkMenuButton     *list_menu_button;
  GtkRevealer       *filter_bar;
  GtkLabel          *filter_label;
  GtkStack          *list_stack;
  TsuRecordListView *list_view;
  AdwStatusPage     *empty_page;
  AdwStatusPage     *no_results_page;
  GtkLabel          *count_label;
  GtkWidget         *detail_pane;
  GtkStack          *detail_stack;
  AdwStatusPage     *none_page;
  TsuRecordForm     *form;

  const TsuCollection *collection;
  GCancellable        *cancellable; /* cancelled when the page is disposed */
  TsuStore            *store;
  GSettings           *settings;
  TsuRecordList       *list;
  TsuRecordQuery      *query; /* search and sort; filters come from the subclass */
  TsuRecordQuery      *shown; /* the query last run: what an export writes */
  char                *select_after_update;
  gboolean             loaded_once;
  gboolean             ignore_selection;
  gboolean             asking; /* a guard question is open */
  gulong               changed_handler;
} TsuRecordPagePrivate;

static void               buildable_iface_init (GtkBuildableIface *iface);
static GtkBuildableIface *parent_buildable;

G_DEFINE_TYPE_WITH_CODE (TsuRecordPage,
                         tsu_record_page,
                         ADW_TYPE_BIN,
                         G_ADD_PRIVATE (TsuRecordPage)
                             G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, buildable_iface_init))

#define PRIV(self) ((TsuRecordPagePrivate *)tsu_record_page_get_instance_private (self))

enum
{
  PROP_0,
  PROP_STORE,
  PROP_COLLECTION_NAME,
  PROP_ICON_NAME,
  PROP_EMPTY_TITLE,
  PROP_EMPTY_DESCRIPTION,
  PROP_NO_RESULTS_TITLE,
  PROP_NO_RESULTS_DESCRIPTION,
  PROP_NONE_TITLE,
  PROP_NONE_DESCRIPTION,
  PROP_SEARCH_PLACEHOLDER,
  PROP_NEW_TOOLTIP,
  PROP_NEW_LABEL,
  PROP_SEARCH_LABEL,
  PROP_LIST_MENU,
  PROP_RECORD_MENU,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GtkWindow *
tsu_record_page_get_window (TsuRecordPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

void
tsu_record_page_toast (TsuRecordPage *self, const char *title)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (priv->toast_overlay)
    adw_toast_overlay_add_toast (priv->toast_overlay, adw_toast_new (title));
}

/* A toast of the page's own making (an Undo of another collection's
 * change, a button of its own). */
void
tsu_record_page_add_toast (TsuRecordPage *self, AdwToast *toast)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (priv->toast_overlay)
    adw_toast_overlay_add_toast (priv->toast_overlay, toast);
  else
    g_object_unref (toast);
}

void
tsu_record_page_show_error (TsuRecordPage *self, const GError *error)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  AdwToast             *t;

  if (priv->toast_overlay == NULL)
    return;
  t = adw_toast_new (error->message);
  adw_toast_set_timeout (t, 0);
  adw_toast_overlay_add_toast (priv->toast_overlay, t);
}

/* ---- settings ---- */

guint
tsu_record_page_get_setting_uint (TsuRecordPage *self, const char *key, guint fallback)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GSettingsSchema) schema = NULL;

  if (priv->settings == NULL)
    return fallback;
  g_object_get (priv->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return fallback;
  return g_settings_get_uint (priv->settings, key);
}

TsuDateStyle
tsu_record_page_get_date_style (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GSettingsSchema) schema = NULL;

  if (priv->settings == NULL)
    return TSU_DATE_STYLE_BOTH;
  g_object_get (priv->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "date-style"))
    return TSU_DATE_STYLE_BOTH;
  return g_settings_get_enum (priv->settings, "date-style");
}

/* ---- the list ---- */

static char *
default_format_count (TsuRecordPage *self, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u record", "%u records", n), n);
}

static void
update_state (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  guint                 n = priv->list ? g_list_model_get_n_items (G_LIST_MODEL (priv->list)) : 0;
  g_autofree char      *count = NULL;
  g_autofree char      *filters = NULL;
  gboolean              filtered;

  if (priv->list_stack == NULL)
    return;
  filters = TSU_RECORD_PAGE_GET_CLASS (self)->describe_filters
                ? TSU_RECORD_PAGE_GET_CLASS (self)->describe_filters (self)
                : NULL;
  filtered = (priv->query && priv->query->search && *priv->query->search) || filters != NULL;
  /* An active filter is said above the list, with a way out. */
  gtk_label_set_text (priv->filter_label, filters ? filters : "");
  gtk_revealer_set_reveal_child (priv->filter_bar, filters != NULL);
  if (n > 0)
    gtk_stack_set_visible_child_name (priv->list_stack, "list");
  else if (!priv->loaded_once)
    gtk_stack_set_visible_child_name (priv->list_stack, "loading");
  else if (filtered)
    gtk_stack_set_visible_child_name (priv->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (priv->list_stack, "empty");

  count = TSU_RECORD_PAGE_GET_CLASS (self)->format_count (self, n);
  /* While only the first rows of a search are in, n is not the count. */
  gtk_label_set_text (priv->count_label,
                      priv->loaded_once
                              && (!priv->list || tsu_record_list_get_complete (priv->list))
                          ? count
                          : _ ("Loading…"));
}

static void
select_id (TsuRecordPage *self, const char *id)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  guint                 pos = id && priv->list ? tsu_record_list_find (priv->list, id) : G_MAXUINT;

  priv->ignore_selection = TRUE;
  tsu_record_list_view_select (priv->list_view, pos == G_MAXUINT ? GTK_INVALID_LIST_POSITION : pos);
  priv->ignore_selection = FALSE;
}

static void
list_resetting_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  GtkSingleSelection   *sel = tsu_record_list_view_get_selection (priv->list_view);

  priv->ignore_selection = TRUE;
  if (sel)
    gtk_single_selection_set_selected (sel, GTK_INVALID_LIST_POSITION);
  priv->ignore_selection = FALSE;
}

static void
list_updated_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  priv->loaded_once = TRUE;
  update_state (self);
  if (priv->select_after_update)
    {
      g_autofree char *id = g_steal_pointer (&priv->select_after_update);
      select_id (self, id);
    }
  else if (tsu_record_form_get_id (priv->form))
    select_id (self, tsu_record_form_get_id (priv->form));
}

void
tsu_record_page_refresh (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  TsuRecordQuery       *q;

  if (priv->query == NULL)
    return;
  q = tsu_record_query_copy (priv->query);
  tsu_record_query_clear_filters (q);
  tsu_date_today (&q->today);
  if (TSU_RECORD_PAGE_GET_CLASS (self)->prepare_query)
    TSU_RECORD_PAGE_GET_CLASS (self)->prepare_query (self, q);
  g_clear_pointer (&priv->shown, tsu_record_query_free);
  priv->shown = q;
  if (priv->list)
    tsu_record_list_set_query (priv->list, q);
  update_state (self);
}

/* ---- showing a record, and the guard ---- */

static void
show_record_now (TsuRecordPage *self, const char *id)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GError) error = NULL;

  if (id == NULL)
    {
      g_autoptr (JsonObject) defaults = json_object_new ();

      if (TSU_RECORD_PAGE_GET_CLASS (self)->new_record)
        TSU_RECORD_PAGE_GET_CLASS (self)->new_record (self, defaults);
      select_id (self, NULL);
      gtk_stack_set_visible_child_name (priv->detail_stack, "record");
      adw_leaflet_set_visible_child (priv->leaflet, priv->detail_pane);
      tsu_record_form_load_new (priv->form, defaults);
      return;
    }
  if (!tsu_record_form_load (priv->form, id, &error))
    {
      tsu_record_page_show_error (self, error);
      return;
    }
  gtk_stack_set_visible_child_name (priv->detail_stack, "record");
}

typedef struct
{
  GWeakRef               page;
  char                  *id;
  gboolean               is_new;
  gboolean               navigate;
  TsuRecordPageLeaveFunc leave;
  gpointer               leave_data;
} Pending;

static void
pending_free (Pending *p)
{
  g_weak_ref_clear (&p->page);
  g_free (p->id);
  g_free (p);
}

static void
pending_done (TsuRecordPage *self, Pending *p, gboolean go)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  priv->asking = FALSE;
  if (p->leave)
    p->leave (p->leave_data, go);
  else if (go)
    {
      show_record_now (self, p->is_new ? NULL : p->id);
      if (p->navigate)
        adw_leaflet_set_visible_child (priv->leaflet, priv->detail_pane);
    }
  else
    select_id (self, tsu_record_form_get_id (priv->form));
}

static void
guard_response_cb (AdwMessageDialog *dialog, const char *response, Pending *p)
{
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (&p->page);

  /* One answer per question: @p is freed below. */
  g_signal_handlers_disconnect_by_data (dialog, p);
  if (self != NULL && PRIV (self)->form != NULL)
    {
      TsuRecordPagePrivate *priv = PRIV (self);

      if (g_str_equal (response, "save"))
        pending_done (self, p, tsu_record_form_save (priv->form));
      else if (g_str_equal (response, "discard"))
        {
          tsu_record_form_revert (priv->form);
          pending_done (self, p, TRUE);
        }
      else
        pending_done (self, p, FALSE);
    }
  else if (p->leave)
    p->leave (p->leave_data, TRUE);
  pending_free (p);
}

static void
ask (TsuRecordPage *self, Pending *p)
{
  AdwMessageDialog *dialog;

  PRIV (self)->asking = TRUE;
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (tsu_record_page_get_window (self), _ ("Save Changes?"),
                              _ ("The record you are editing has changes that are not saved.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "discard", _ ("_Discard"),
                                    "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (guard_response_cb), p);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* Every way of leaving the record shown comes here. */
static void
request_show (TsuRecordPage *self, const char *id, gboolean is_new, gboolean navigate)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  Pending              *p;

  if (priv->asking)
    return;
  if (!is_new && id && g_strcmp0 (id, tsu_record_form_get_id (priv->form)) == 0
      && g_str_equal (gtk_stack_get_visible_child_name (priv->detail_stack), "record"))
    {
      /* Already shown (tapped again after going back in one-pane mode). */
      if (navigate)
        adw_leaflet_set_visible_child (priv->leaflet, priv->detail_pane);
      return;
    }
  if (!tsu_record_form_get_dirty (priv->form))
    {
      show_record_now (self, is_new ? NULL : id);
      if (navigate && !is_new)
        adw_leaflet_set_visible_child (priv->leaflet, priv->detail_pane);
      return;
    }
  p = g_new0 (Pending, 1);
  g_weak_ref_init (&p->page, self);
  p->id = g_strdup (id);
  p->is_new = is_new;
  p->navigate = navigate;
  ask (self, p);
}

void
tsu_record_page_confirm_leave (TsuRecordPage *self, TsuRecordPageLeaveFunc done, gpointer data)
{
  Pending *p;

  if (!tsu_record_page_get_dirty (self) || PRIV (self)->asking)
    {
      done (data, !PRIV (self)->asking);
      return;
    }
  p = g_new0 (Pending, 1);
  g_weak_ref_init (&p->page, self);
  p->leave = done;
  p->leave_data = data;
  ask (self, p);
}

gboolean
tsu_record_page_get_dirty (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  return priv->form && tsu_record_form_get_editing (priv->form)
         && tsu_record_form_get_dirty (priv->form);
}

void
tsu_record_page_show_record (TsuRecordPage *self, const char *id)
{
  request_show (self, id, FALSE, FALSE);
  if (!PRIV (self)->asking)
    select_id (self, id);
}

void
tsu_record_page_new_record (TsuRecordPage *self)
{
  request_show (self, NULL, TRUE, TRUE);
}

static void
selection_changed_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  TsuRecordItem        *item;

  if (priv->ignore_selection)
    return;
  item = gtk_single_selection_get_selected_item (
      tsu_record_list_view_get_selection (priv->list_view));
  if (item == NULL || tsu_record_item_get_id (item) == NULL)
    return;
  request_show (self, tsu_record_item_get_id (item), FALSE, FALSE);
}

static void
list_activate_cb (TsuRecordPage *self, guint position)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (TsuRecordItem) item
      = priv->list ? g_list_model_get_item (G_LIST_MODEL (priv->list), position) : NULL;

  if (item && tsu_record_item_get_id (item))
    request_show (self, tsu_record_item_get_id (item), FALSE, TRUE);
}

static void
list_sort_changed_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  tsu_record_query_set_sort (priv->query, tsu_record_list_view_get_sort (priv->list_view),
                             tsu_record_list_view_get_descending (priv->list_view));
  tsu_record_page_refresh (self);
}

static void
search_changed_cb (TsuRecordPage *self)
{
  tsu_record_page_set_search (self,
                              gtk_editable_get_text (GTK_EDITABLE (PRIV (self)->search_entry)));
}

/* Enter in the search field opens the first record found. */
static void
search_activate_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (TsuRecordItem) item = NULL;

  search_changed_cb (self);
  if (priv->list == NULL || g_list_model_get_n_items (G_LIST_MODEL (priv->list)) == 0)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (priv->list), 0);
  if (tsu_record_item_get_id (item) != NULL)
    {
      request_show (self, tsu_record_item_get_id (item), FALSE, TRUE);
      if (!priv->asking)
        select_id (self, tsu_record_item_get_id (item));
    }
}

static void
stop_search_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  gtk_editable_set_text (GTK_EDITABLE (priv->search_entry), "");
  gtk_widget_grab_focus (tsu_record_list_view_get_list (priv->list_view));
}

/* ---- the form ---- */

static void
form_saved_cb (TsuRecordPage *self, const char *id)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  g_free (priv->select_after_update);
  priv->select_after_update = g_strdup (id);
  tsu_record_page_toast_undo (self, _ ("Saved"), id);
}

static void
form_loaded_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (TSU_RECORD_PAGE_GET_CLASS (self)->record_loaded)
    TSU_RECORD_PAGE_GET_CLASS (self)->record_loaded (self, tsu_record_form_get_record (priv->form));
}

static void
form_cancelled_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (tsu_record_form_get_id (priv->form) == NULL)
    {
      gtk_stack_set_visible_child_name (priv->detail_stack, "none");
      adw_leaflet_navigate (priv->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
    }
}

static void
form_open_record_cb (TsuRecordPage *self, const char *id)
{
  /* From the duplicates list: what was typed is dropped only after the
   * guard asks. */
  tsu_record_page_show_record (self, id);
}

static JsonArray *
duplicates_cb (JsonObject *record, gpointer data)
{
  TsuRecordPage *self = data;

  if (TSU_RECORD_PAGE_GET_CLASS (self)->find_duplicates == NULL)
    return NULL;
  return TSU_RECORD_PAGE_GET_CLASS (self)->find_duplicates (self, record);
}

/* ---- undo ---- */

typedef struct
{
  GWeakRef             page; /* the toast lives inside the page: no cycle */
  TsuStore            *store;
  const TsuCollection *collection;
  char                *id;
  gint64               history_id;
} Undo;

static void
undo_free (gpointer data, GClosure *closure)
{
  Undo *u = data;

  g_weak_ref_clear (&u->page);
  g_object_unref (u->store);
  g_free (u->id);
  g_free (u);
}

static void
revert (TsuRecordPage       *self,
        TsuStore            *store,
        const TsuCollection *collection,
        const char          *id,
        gint64               history_id)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GError) error = NULL;

  if (!tsu_store_revert (store, collection->name, id, history_id, &error))
    {
      tsu_record_page_show_error (self, error);
      return;
    }
  if (g_strcmp0 (tsu_record_form_get_id (priv->form), id) == 0)
    tsu_record_form_reload (priv->form);
  tsu_record_page_toast (self, _ ("Undone"));
}

static void
undo_cb (AdwToast *t, Undo *u)
{
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (&u->page);

  if (self == NULL)
    {
      g_autoptr (GError) error = NULL;
      if (!tsu_store_revert (u->store, u->collection->name, u->id, u->history_id, &error))
        g_warning ("Cannot undo: %s", error->message);
      return;
    }
  revert (self, u->store, u->collection, u->id, u->history_id);
}

/* ---- actions: a change in a worker, then its toast ---- */

typedef struct
{
  GWeakRef             page;
  TsuStore            *store;
  const TsuCollection *collection;
  char                *id;
  char                *title;
  TsuRecordActionFlags flags;
  TsuRecordActionFunc  func; /* NULL: the change is made already */
  gpointer             data;
  GDestroyNotify       data_free;
  gint64               history_id; /* the entry the Undo reverts; 0: none */
} Action;

static void
action_free (Action *a)
{
  g_weak_ref_clear (&a->page);
  g_object_unref (a->store);
  if (a->data_free)
    a->data_free (a->data);
  g_free (a->id);
  g_free (a->title);
  g_free (a);
}

static void
action_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Action *a = task_data;
  GError *error = NULL;

  if (a->func && !a->func (a->store, a->id, a->data, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The newest history entry is the change just made (one indexed read on
   * the reader connection, here rather than on the GTK thread). */
  if (!(a->flags & TSU_RECORD_ACTION_NO_UNDO))
    {
      g_autoptr (JsonArray) history
          = tsu_store_get_history (a->store, a->collection->name, a->id, NULL);
      guint n = history ? json_array_get_length (history) : 0;

      if (n > 0)
        a->history_id
            = json_object_get_int_member (json_array_get_object_element (history, n - 1), "id");
    }
  g_task_return_boolean (task, TRUE);
}

static void
action_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Action *a = g_task_get_task_data (G_TASK (result));
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (&a->page);
  g_autoptr (GError) error = NULL;
  TsuRecordPagePrivate *priv;
  AdwToast             *t;
  Undo                 *u;

  /* The page's cancellable is cancelled when it is disposed: whatever the
   * worker did, nothing of the page is touched then. */
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (self && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tsu_record_page_show_error (self, error);
      return;
    }
  if (self == NULL)
    return;
  priv = PRIV (self);
  if (a->func && g_strcmp0 (tsu_record_form_get_id (priv->form), a->id) == 0)
    tsu_record_form_reload (priv->form);
  if (a->history_id == 0)
    {
      tsu_record_page_toast (self, a->title);
      return;
    }
  u = g_new0 (Undo, 1);
  g_weak_ref_init (&u->page, self);
  u->store = g_object_ref (a->store);
  u->collection = a->collection;
  u->id = g_strdup (a->id);
  u->history_id = a->history_id;
  t = adw_toast_new (a->title);
  adw_toast_set_button_label (t, _ ("_Undo"));
  g_signal_connect_data (t, "button-clicked", G_CALLBACK (undo_cb), u, undo_free, 0);
  tsu_record_page_add_toast (self, t);
}

static void
run_action (TsuRecordPage       *self,
            const TsuCollection *collection,
            const char          *id,
            const char          *title,
            TsuRecordActionFlags flags,
            TsuRecordActionFunc  func,
            gpointer             data,
            GDestroyNotify       data_free)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GTask) task = NULL;
  Action *a;

  if (priv->store == NULL || collection == NULL)
    {
      if (data_free)
        data_free (data);
      return;
    }
  a = g_new0 (Action, 1);
  g_weak_ref_init (&a->page, self);
  a->store = g_object_ref (priv->store);
  a->collection = collection;
  a->id = g_strdup (id);
  a->title = g_strdup (title);
  a->flags = flags;
  a->func = func;
  a->data = data;
  a->data_free = data_free;
  /* No source object: the task does not keep the page alive. */
  task = g_task_new (NULL, priv->cancellable, action_done_cb, NULL);
  g_task_set_source_tag (task, run_action);
  g_task_set_task_data (task, a, (GDestroyNotify)action_free);
  g_task_run_in_thread (task, action_thread);
}

void
tsu_record_page_run_action (TsuRecordPage       *self,
                            const char          *id,
                            const char          *title,
                            TsuRecordActionFlags flags,
                            TsuRecordActionFunc  func,
                            gpointer             data,
                            GDestroyNotify       data_free)
{
  g_return_if_fail (TSU_IS_RECORD_PAGE (self));
  g_return_if_fail (id != NULL);

  run_action (self, PRIV (self)->collection, id, title, flags, func, data, data_free);
}

void
tsu_record_page_toast_undo (TsuRecordPage *self, const char *title, const char *id)
{
  /* No call: the change is made already. */
  tsu_record_page_run_action (self, id, title, TSU_RECORD_ACTION_DEFAULT, NULL, NULL, NULL);
}

void
tsu_record_page_toast_undo_in (TsuRecordPage *self,
                               const char    *collection,
                               const char    *title,
                               const char    *id)
{
  g_return_if_fail (TSU_IS_RECORD_PAGE (self));
  g_return_if_fail (id != NULL);

  run_action (self, tsu_collection_lookup (collection), id, title, TSU_RECORD_ACTION_DEFAULT, NULL,
              NULL, NULL);
}

static void
form_revert_cb (TsuRecordPage *self, const char *id, gint64 history_id)
{
  revert (self, PRIV (self)->store, PRIV (self)->collection, id, history_id);
}

/* ---- actions ---- */

static void
new_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_record_page_new_record (TSU_RECORD_PAGE (widget));
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPagePrivate *priv = PRIV (TSU_RECORD_PAGE (widget));

  adw_leaflet_set_visible_child (priv->leaflet, priv->list_pane);
  gtk_widget_grab_focus (GTK_WIDGET (priv->search_entry));
}

static void
back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  adw_leaflet_navigate (PRIV (TSU_RECORD_PAGE (widget))->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* Ctrl+S saves wherever the keyboard is in the page. */
static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPagePrivate *priv = PRIV (TSU_RECORD_PAGE (widget));

  if (tsu_record_form_get_editing (priv->form))
    tsu_record_form_save (priv->form);
}

static void
clear_filters_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPage *self = TSU_RECORD_PAGE (widget);

  if (TSU_RECORD_PAGE_GET_CLASS (self)->clear_filters)
    TSU_RECORD_PAGE_GET_CLASS (self)->clear_filters (self);
  tsu_record_page_refresh (self);
}

static void
delete_response_cb (AdwMessageDialog *dialog, const char *response, TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  if (!g_str_equal (response, "delete") || priv->form == NULL)
    return;
  id = g_strdup (tsu_record_form_get_id (priv->form));
  if (id == NULL)
    return;
  if (!tsu_store_delete (priv->store, priv->collection->name, id, &error))
    {
      tsu_record_page_show_error (self, error);
      return;
    }
  tsu_record_page_toast_undo (self, _ ("Deleted"), id);
  gtk_stack_set_visible_child_name (priv->detail_stack, "none");
  adw_leaflet_navigate (priv->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

/* For records entered by mistake (a duplicate): the row becomes a
 * tombstone and the history keeps it, so it can be restored. */
static void
delete_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (widget);
  TsuRecordPagePrivate *priv = PRIV (self);
  AdwMessageDialog     *dialog;
  g_autofree char      *title = NULL;
  g_autofree char      *body = NULL;

  if (tsu_record_form_get_id (priv->form) == NULL)
    return;
  title = tsu_record_title (priv->collection, tsu_record_form_get_record (priv->form));
  body = g_strdup_printf (_ ("“%s” will be removed from the list. Use this for a record entered "
                             "by mistake, such as a duplicate. The history keeps it, and it can "
                             "be restored."),
                          title);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (tsu_record_page_get_window (self), _ ("Delete This Record?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "delete", _ ("_Delete"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "delete", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (delete_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- import and export ---- */

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) unencodable = NULL;
  gboolean ok = tsu_record_export_file_finish (result, &unencodable, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  /* The page (or its window) may be gone: the file is written anyway. */
  if (self == NULL)
    return;
  if (!ok)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tsu_record_page_show_error (self, error);
    }
  else if (unencodable && unencodable->len > 0)
    {
      g_autoptr (GString) chars = g_string_new (NULL);
      g_autofree char *msg = NULL;
      for (guint i = 0; i < unencodable->len; i++)
        g_string_append (chars, g_ptr_array_index (unencodable, i));
      msg = g_strdup_printf (_ ("Exported; Shift_JIS cannot hold %s, written as 〓"), chars->str);
      tsu_record_page_toast (self, msg);
    }
  else
    tsu_record_page_toast (self, _ ("Exported"));
}

static void
export_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (ref);
  gboolean public_only = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "public"));

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      TsuRecordPagePrivate *priv = PRIV (self);
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      const char      *enc = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "encoding");
      TsuCsvContext    ctx = { priv->shown->today, priv->shown, public_only };
      GWeakRef        *done_ref = g_new0 (GWeakRef, 1);

      g_weak_ref_init (done_ref, self);
      /* The shown rows: the query runs again in the worker, as the list may
       * hold only its first page. The worker holds its own store. */
      tsu_record_export_file_async (priv->store, priv->collection, priv->shown, path,
                                    g_strcmp0 (enc, "cp932") == 0 ? TSU_CSV_ENCODING_CP932
                                                                  : TSU_CSV_ENCODING_UTF8_BOM,
                                    &ctx, NULL, export_done_cb, done_ref);
    }
  g_object_unref (chooser);
}

/**
 * tsu_record_page_export_file_name:
 *
 * The name an export is offered under: the list's name and today's date,
 * so that exports of different days do not overwrite each other.
 */
static char *
export_file_name (TsuRecordPage *self, gboolean public_only)
{
  GDate            today;
  g_autofree char *label = g_strdup (tsu_collection_get_label (PRIV (self)->collection));

  tsu_date_today (&today);
  if (public_only)
    /* TRANSLATORS: the file name of a public list: 団体-公開用-20261126.csv */
    return g_strdup_printf (_ ("%s-public-%04d%02d%02d.csv"), label, g_date_get_year (&today),
                            g_date_get_month (&today), g_date_get_day (&today));
  return g_strdup_printf ("%s-%04d%02d%02d.csv", label, g_date_get_year (&today),
                          g_date_get_month (&today), g_date_get_day (&today));
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (widget);
  gboolean              public_only = g_str_equal (name, "record.export-public");
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      public_only ? _ ("Export Public List") : _ ("Export"), tsu_record_page_get_window (self),
      GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  const char      *ids[] = { "utf8", "cp932", NULL };
  const char      *labels[] = { _ ("UTF-8 with BOM (Excel)"), _ ("Shift_JIS (CP932)"), NULL };
  g_autofree char *file = export_file_name (self, public_only);
  GWeakRef        *ref = g_new0 (GWeakRef, 1);

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "encoding", _ ("Encoding"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "encoding", "utf8");
  g_object_set_data (G_OBJECT (chooser), "public", GINT_TO_POINTER (public_only));
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (export_response_cb), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
imported_cb (TsuRecordImportDialog *dialog, guint n, TsuRecordPage *self)
{
  g_autofree char *counts
      = tsu_record_import_counts_text (tsu_record_import_dialog_get_counts (dialog));
  g_autofree char *msg = g_strdup_printf (_ ("Imported: %s"), counts);

  tsu_record_page_toast (self, msg);
}

/**
 * tsu_record_page_import_file:
 *
 * Opens the import preview of @file (the action's file chooser ends here).
 */
static GtkWindow *
import_file (TsuRecordPage *self, GFile *file)
{
  TsuRecordPagePrivate  *priv = PRIV (self);
  TsuRecordImportDialog *dialog = tsu_record_import_dialog_new (
      tsu_record_page_get_window (self), priv->store, priv->collection, file);

  g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return GTK_WINDOW (dialog);
}

static void
import_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuRecordPage) self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      import_file (self, file);
    }
  g_object_unref (chooser);
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (widget);
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Import from CSV"), tsu_record_page_get_window (self),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  gtk_file_filter_set_name (filter, _ ("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- settings and the store ---- */

static void
setting_changed_cb (TsuRecordPage *self, const char *key)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (key == NULL || g_str_equal (key, "date-style"))
    {
      TsuDateStyle style = tsu_record_page_get_date_style (self);

      tsu_record_list_view_set_date_style (priv->list_view, style);
      tsu_record_form_set_date_style (priv->form, style);
    }
  if (TSU_RECORD_PAGE_GET_CLASS (self)->settings_changed)
    TSU_RECORD_PAGE_GET_CLASS (self)->settings_changed (self, key);
}

void
tsu_record_page_set_settings (TsuRecordPage *self, GSettings *settings)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (priv->settings)
    g_signal_handlers_disconnect_by_func (priv->settings, setting_changed_cb, self);
  if (!g_set_object (&priv->settings, settings))
    return;
  if (settings)
    g_signal_connect_object (settings, "changed", G_CALLBACK (setting_changed_cb), self,
                             G_CONNECT_SWAPPED);
  setting_changed_cb (self, NULL);
}

static void
store_changed_cb (TsuRecordPage *self, const char *collection, GStrv ids)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  const char           *shown = tsu_record_form_get_id (priv->form);

  if (shown == NULL || g_strcmp0 (collection, priv->collection->name) != 0)
    return;
  /* Changed elsewhere (an import, a sync, an undo): show it as it is now. */
  if (ids == NULL || ids[0] == NULL || g_strv_contains ((const char *const *)ids, shown))
    tsu_record_form_reload (priv->form);
}

void
tsu_record_page_set_store (TsuRecordPage *self, TsuStore *store)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  g_return_if_fail (TSU_IS_RECORD_PAGE (self));
  g_return_if_fail (priv->collection != NULL);

  if (priv->store && priv->changed_handler)
    g_clear_signal_handler (&priv->changed_handler, priv->store);
  if (!g_set_object (&priv->store, store))
    return;
  tsu_record_list_view_set_model (priv->list_view, NULL);
  g_clear_object (&priv->list);
  priv->loaded_once = FALSE;
  tsu_record_form_set_store (priv->form, store);
  gtk_stack_set_visible_child_name (priv->detail_stack, "none");
  if (store != NULL)
    {
      g_auto (GStrv) cells = tsu_record_list_view_get_cells (priv->list_view);
      GtkSingleSelection *sel;

      priv->list = tsu_record_list_new (store, priv->collection, (const char *const *)cells);
      g_signal_connect_object (priv->list, "updated", G_CALLBACK (list_updated_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (priv->list, "resetting", G_CALLBACK (list_resetting_cb), self,
                               G_CONNECT_SWAPPED);
      tsu_record_list_view_set_model (priv->list_view, G_LIST_MODEL (priv->list));
      sel = tsu_record_list_view_get_selection (priv->list_view);
      g_signal_connect_object (sel, "notify::selected", G_CALLBACK (selection_changed_cb), self,
                               G_CONNECT_SWAPPED);
      priv->changed_handler = g_signal_connect_object (
          store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      tsu_record_page_refresh (self);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
set_collection (TsuRecordPage *self, const char *name)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  const TsuCollection  *c = tsu_collection_lookup (name);

  g_return_if_fail (c != NULL);
  g_return_if_fail (priv->collection == NULL);
  priv->collection = c;
  priv->query = tsu_record_query_new (c);
  if (c->n_sorts > 0)
    tsu_record_query_set_sort (priv->query, c->sorts[0].id, FALSE);
  tsu_record_list_view_set_collection (priv->list_view, c);
  tsu_record_list_view_set_sort (priv->list_view, priv->query->sort, FALSE);
  tsu_record_form_set_collection (priv->form, c);
  tsu_record_form_set_duplicates_func (priv->form, duplicates_cb, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.export-public",
                                 c->is_public_record != NULL);
}

/* ---- window: closing with unsaved changes ---- */

static gboolean
close_later_cb (gpointer data)
{
  gtk_window_close (data);
  return G_SOURCE_REMOVE;
}

static void
close_leave_cb (gpointer data, gboolean may_leave)
{
  GWeakRef *ref = data;
  g_autoptr (GtkWindow) window = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  /* Not from inside the dialog's response: closing the window destroys
   * the dialog, which must first finish emitting. */
  if (window && may_leave)
    g_idle_add_full (G_PRIORITY_DEFAULT, close_later_cb, g_object_ref (window), g_object_unref);
}

static gboolean
close_request_cb (TsuRecordPage *self)
{
  GWeakRef *ref;

  if (!tsu_record_page_get_dirty (self))
    return FALSE;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, tsu_record_page_get_window (self));
  tsu_record_page_confirm_leave (self, close_leave_cb, ref);
  return TRUE;
}

static void
tsu_record_page_root (GtkWidget *widget)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (widget);
  TsuRecordPagePrivate *priv = PRIV (self);
  GtkWindow            *window;

  GTK_WIDGET_CLASS (tsu_record_page_parent_class)->root (widget);
  window = tsu_record_page_get_window (self);
  if (window)
    g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb), self,
                             G_CONNECT_SWAPPED);
  /* Inside the application the page follows its settings. */
  if (priv->settings == NULL && g_application_get_default () != NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr (GSettingsSchema) schema
          = source ? g_settings_schema_source_lookup (source, "io.github.tsunagu.Tsunagu", TRUE)
                   : NULL;
      if (schema)
        {
          g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");
          tsu_record_page_set_settings (self, settings);
        }
    }
}

static void
tsu_record_page_unroot (GtkWidget *widget)
{
  GtkWindow *window = tsu_record_page_get_window (TSU_RECORD_PAGE (widget));

  if (window)
    g_signal_handlers_disconnect_by_func (window, close_request_cb, widget);
  GTK_WIDGET_CLASS (tsu_record_page_parent_class)->unroot (widget);
}

static void
leaflet_folded_cb (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  tsu_record_form_set_folded (priv->form, adw_leaflet_get_folded (priv->leaflet));
}

/* ---- object ---- */

static void
buildable_add_child (GtkBuildable *buildable, GtkBuilder *builder, GObject *child, const char *type)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (buildable);
  TsuRecordPagePrivate *priv = PRIV (self);

  if (g_strcmp0 (type, "column") == 0)
    tsu_record_list_view_add_column (priv->list_view, TSU_RECORD_COLUMN (child));
  else if (g_strcmp0 (type, "filter") == 0)
    {
      gtk_box_append (priv->filter_box, GTK_WIDGET (child));
      gtk_widget_set_visible (priv->filter_button, TRUE);
    }
  else if (g_strcmp0 (type, "action") == 0)
    tsu_record_form_add_action (priv->form, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "read-section") == 0)
    tsu_record_form_add_read_section (priv->form, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "related-section") == 0)
    tsu_record_form_add_related_section (priv->form, GTK_WIDGET (child));
  else if (g_strcmp0 (type, "edit-section") == 0)
    tsu_record_form_add_edit_section (priv->form, GTK_WIDGET (child));
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
tsu_record_page_dispose (GObject *object)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (object);
  TsuRecordPagePrivate *priv = PRIV (self);

  if (priv->store && priv->changed_handler)
    g_clear_signal_handler (&priv->changed_handler, priv->store);
  if (priv->list_view)
    tsu_record_list_view_set_model (priv->list_view, NULL);
  /* Not gtk_widget_dispose_template(): GTK 4.8 looks the template
   * children up under the instance's type, which for a subclass holds the
   * subclass's own (it asserts). The tree goes with the child; the
   * template's references go when the widget is finalized. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  memset (priv, 0, G_STRUCT_OFFSET (TsuRecordPagePrivate, collection));
  g_cancellable_cancel (priv->cancellable);
  g_clear_object (&priv->list);
  g_clear_object (&priv->store);
  if (priv->settings)
    g_signal_handlers_disconnect_by_func (priv->settings, setting_changed_cb, self);
  g_clear_object (&priv->settings);
  G_OBJECT_CLASS (tsu_record_page_parent_class)->dispose (object);
}

static void
tsu_record_page_finalize (GObject *object)
{
  TsuRecordPagePrivate *priv = PRIV (TSU_RECORD_PAGE (object));

  g_clear_pointer (&priv->query, tsu_record_query_free);
  g_clear_pointer (&priv->shown, tsu_record_query_free);
  g_clear_object (&priv->cancellable);
  g_free (priv->select_after_update);
  G_OBJECT_CLASS (tsu_record_page_parent_class)->finalize (object);
}

static void
tsu_record_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRecordPagePrivate *priv = PRIV (TSU_RECORD_PAGE (object));

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, priv->store);
      break;
    case PROP_COLLECTION_NAME:
      g_value_set_string (value, priv->collection ? priv->collection->name : NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_record_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsuRecordPage        *self = TSU_RECORD_PAGE (object);
  TsuRecordPagePrivate *priv = PRIV (self);
  const char           *s = G_VALUE_HOLDS_STRING (value) ? g_value_get_string (value) : NULL;

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_record_page_set_store (self, g_value_get_object (value));
      break;
    case PROP_COLLECTION_NAME:
      set_collection (self, s);
      break;
    case PROP_ICON_NAME:
      adw_status_page_set_icon_name (priv->empty_page, s);
      adw_status_page_set_icon_name (priv->none_page, s);
      break;
    case PROP_EMPTY_TITLE:
      adw_status_page_set_title (priv->empty_page, s);
      break;
    case PROP_EMPTY_DESCRIPTION:
      adw_status_page_set_description (priv->empty_page, s);
      break;
    case PROP_NO_RESULTS_TITLE:
      adw_status_page_set_title (priv->no_results_page, s);
      break;
    case PROP_NO_RESULTS_DESCRIPTION:
      adw_status_page_set_description (priv->no_results_page, s);
      break;
    case PROP_NONE_TITLE:
      adw_status_page_set_title (priv->none_page, s);
      break;
    case PROP_NONE_DESCRIPTION:
      adw_status_page_set_description (priv->none_page, s);
      break;
    case PROP_SEARCH_PLACEHOLDER:
      g_object_set (priv->search_entry, "placeholder-text", s, NULL);
      gtk_accessible_update_property (GTK_ACCESSIBLE (priv->search_entry),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, s, -1);
      break;
    case PROP_NEW_TOOLTIP:
      gtk_widget_set_tooltip_text (priv->new_button, s);
      break;
    case PROP_NEW_LABEL:
      gtk_accessible_update_property (GTK_ACCESSIBLE (priv->new_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, s, -1);
      break;
    case PROP_SEARCH_LABEL:
      gtk_accessible_update_property (GTK_ACCESSIBLE (priv->search_entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, s, -1);
      break;
    case PROP_LIST_MENU:
      if (g_value_get_object (value))
        gtk_menu_button_set_menu_model (priv->list_menu_button, g_value_get_object (value));
      break;
    case PROP_RECORD_MENU:
      tsu_record_form_set_menu (priv->form, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_record_page_class_init (TsuRecordPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GParamFlags     w = G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS;

  object_class->dispose = tsu_record_page_dispose;
  object_class->finalize = tsu_record_page_finalize;
  object_class->get_property = tsu_record_page_get_property;
  object_class->set_property = tsu_record_page_set_property;
  widget_class->root = tsu_record_page_root;
  widget_class->unroot = tsu_record_page_unroot;
  klass->format_count = default_format_count;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLLECTION_NAME] = g_param_spec_string (
      "collection-name", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ICON_NAME] = g_param_spec_string ("icon-name", NULL, NULL, NULL, w);
  properties[PROP_EMPTY_TITLE] = g_param_spec_string ("empty-title", NULL, NULL, NULL, w);
  properties[PROP_EMPTY_DESCRIPTION]
      = g_param_spec_string ("empty-description", NULL, NULL, NULL, w);
  properties[PROP_NO_RESULTS_TITLE] = g_param_spec_string ("no-results-title", NULL, NULL, NULL, w);
  properties[PROP_NO_RESULTS_DESCRIPTION]
      = g_param_spec_string ("no-results-description", NULL, NULL, NULL, w);
  properties[PROP_NONE_TITLE] = g_param_spec_string ("none-title", NULL, NULL, NULL, w);
  properties[PROP_NONE_DESCRIPTION] = g_param_spec_string ("none-description", NULL, NULL, NULL, w);
  properties[PROP_SEARCH_PLACEHOLDER]
      = g_param_spec_string ("search-placeholder", NULL, NULL, NULL, w);
  properties[PROP_NEW_TOOLTIP] = g_param_spec_string ("new-tooltip", NULL, NULL, NULL, w);
  properties[PROP_NEW_LABEL] = g_param_spec_string ("new-label", NULL, NULL, NULL, w);
  properties[PROP_SEARCH_LABEL] = g_param_spec_string ("search-label", NULL, NULL, NULL, w);
  properties[PROP_LIST_MENU] = g_param_spec_object ("list-menu", NULL, NULL, G_TYPE_MENU_MODEL, w);
  properties[PROP_RECORD_MENU]
      = g_param_spec_object ("record-menu", NULL, NULL, G_TYPE_MENU_MODEL, w);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSU_TYPE_RECORD_LIST_VIEW);
  g_type_ensure (TSU_TYPE_RECORD_FORM);
  g_type_ensure (TSU_TYPE_RECORD_COLUMN);
  g_type_ensure (TSU_TYPE_RECORD_ITEM);

  tsu_record_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-record-page.ui");
#define CHILD(name)                                                                                \
  gtk_widget_class_bind_template_child_full (widget_class, #name, FALSE,                           \
                                             G_PRIVATE_OFFSET (TsuRecordPage, name))
  CHILD (toast_overlay);
  CHILD (leaflet);
  CHILD (list_pane);
  CHILD (search_entry);
  CHILD (filter_button);
  CHILD (filter_box);
  CHILD (new_button);
  CHILD (list_menu_button);
  CHILD (filter_bar);
  CHILD (filter_label);
  CHILD (list_stack);
  CHILD (list_view);
  CHILD (empty_page);
  CHILD (no_results_page);
  CHILD (count_label);
  CHILD (detail_pane);
  CHILD (detail_stack);
  CHILD (none_page);
  CHILD (form);
#undef CHILD
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, list_sort_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_loaded_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_cancelled_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_open_record_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_revert_cb);

  gtk_widget_class_install_action (widget_class, "record.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "record.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "record.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "record.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "record.clear-filters", NULL,
                                   clear_filters_action);
  gtk_widget_class_install_action (widget_class, "record.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "record.import", NULL, import_action);
  gtk_widget_class_install_action (widget_class, "record.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "record.export-public", NULL, export_action);
}

static void
tsu_record_page_init (TsuRecordPage *self)
{
  TsuRecordPagePrivate *priv = PRIV (self);
  GtkEventController   *shortcuts = gtk_shortcut_controller_new ();
  static const struct
  {
    guint       key;
    const char *action;
  } keys[] = { { GDK_KEY_f, "record.search" },
               { GDK_KEY_n, "record.new" },
               { GDK_KEY_s, "record.save" } };

  priv->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (priv->leaflet, "notify::folded", G_CALLBACK (leaflet_folded_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (priv->search_entry, GTK_WIDGET (priv->list_stack));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "record.export-public", FALSE);

  /* Ctrl+F, Ctrl+N and Ctrl+S work wherever the keyboard is in the window
   * while this page is shown (GTK skips controllers of unmapped widgets). */
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                     GTK_SHORTCUT_SCOPE_GLOBAL);
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (shortcuts),
        gtk_shortcut_new (gtk_keyval_trigger_new (keys[i].key, GDK_CONTROL_MASK),
                          gtk_named_action_new (keys[i].action)));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  update_state (self);
}

TsuStore *
tsu_record_page_get_store (TsuRecordPage *self)
{
  return PRIV (self)->store;
}

const TsuCollection *
tsu_record_page_get_collection (TsuRecordPage *self)
{
  return PRIV (self)->collection;
}

GSettings *
tsu_record_page_get_settings (TsuRecordPage *self)
{
  return PRIV (self)->settings;
}

TsuRecordForm *
tsu_record_page_get_form (TsuRecordPage *self)
{
  return PRIV (self)->form;
}

TsuRecordList *
tsu_record_page_get_list (TsuRecordPage *self)
{
  return PRIV (self)->list;
}

TsuRecordListView *
tsu_record_page_get_list_view (TsuRecordPage *self)
{
  return PRIV (self)->list_view;
}

const TsuRecordQuery *
tsu_record_page_get_query (TsuRecordPage *self)
{
  return PRIV (self)->shown;
}

void
tsu_record_page_set_search (TsuRecordPage *self, const char *text)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  if (g_strcmp0 (priv->query->search, text) == 0)
    return;
  tsu_record_query_set_search (priv->query, text);
  tsu_record_page_refresh (self);
}

void
tsu_record_page_set_sort (TsuRecordPage *self, const char *sort, gboolean descending)
{
  TsuRecordPagePrivate *priv = PRIV (self);

  tsu_record_list_view_set_sort (priv->list_view, sort, descending);
  tsu_record_query_set_sort (priv->query, sort, descending);
  tsu_record_page_refresh (self);
}
