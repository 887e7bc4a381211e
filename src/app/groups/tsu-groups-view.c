/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-groups-view.h"
#include "tsu-group-editor.h"
#include "tsu-group-import-dialog.h"
#include "tsu-group-print.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-record-csv.h"
#include "tsu-record-list.h"
#include "tsu-record.h"

struct _TsuGroupsView
{
  AdwBin parent_instance;

  AdwToastOverlay     *toast_overlay;
  AdwLeaflet          *leaflet;
  GtkSearchEntry      *search_entry;
  GtkDropDown         *status_dropdown;
  GtkDropDown         *field_dropdown;
  GtkDropDown         *sort_dropdown;
  GtkCheckButton      *descending_check;
  GtkStack            *list_stack;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *sort_columns[4]; /* by sort_ids */
  gboolean             syncing_sort;
  GtkLabel            *count_label;
  GtkStack            *detail_stack;
  TsuGroupEditor      *editor;

  TsuStore           *store;
  GSettings          *settings;
  TsuRecordList      *list;
  GtkSingleSelection *selection;
  TsuRecordQuery     *query;
  int                 status_filter; /* a TsuGroupStatus, or -1 */
  guint               field_filter;  /* 1..20, or 0 */
  char               *select_after_update;
  gboolean            loaded_once;
  gboolean            ignore_selection;
};

G_DEFINE_FINAL_TYPE (TsuGroupsView, tsu_groups_view, ADW_TYPE_BIN)

/* The collection's sort orders, in the order of the column headers. */
static const char *sort_ids[] = { "reading", "number", "status", "renewal" };

static guint
sort_index (const char *id)
{
  for (guint i = 0; i < G_N_ELEMENTS (sort_ids); i++)
    if (g_strcmp0 (sort_ids[i], id) == 0)
      return i;
  return 0;
}

/* The columns the list reads for its rows. */
static const char *list_columns[] = { "name",  "name_kana", "registration_number", "representative",
                                      "phone", "status",    "valid_fiscal_year",   NULL };

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GtkWindow *
get_window (TsuGroupsView *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static void
toast (TsuGroupsView *self, const char *title)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (title));
}

static void
show_error (TsuGroupsView *self, const GError *error)
{
  AdwToast *t = adw_toast_new (error->message);

  adw_toast_set_timeout (t, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static void
update_state (TsuGroupsView *self)
{
  guint            n = self->list ? g_list_model_get_n_items (G_LIST_MODEL (self->list)) : 0;
  g_autofree char *count = NULL;
  gboolean filtered = (self->query->search && *self->query->search) || self->status_filter >= 0
                      || self->field_filter > 0;

  if (n > 0)
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (!self->loaded_once)
    gtk_stack_set_visible_child_name (self->list_stack, "loading");
  else if (filtered)
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "empty");

  count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group", "%u groups", n), n);
  /* While only the first rows of a search are in, n is not the count. */
  gtk_label_set_text (self->count_label,
                      self->loaded_once
                              && (!self->list || tsu_record_list_get_complete (self->list))
                          ? count
                          : _ ("Loading…"));
}

static void
select_id (TsuGroupsView *self, const char *id)
{
  guint pos = id ? tsu_record_list_find (self->list, id) : G_MAXUINT;

  self->ignore_selection = TRUE;
  gtk_single_selection_set_selected (self->selection,
                                     pos == G_MAXUINT ? GTK_INVALID_LIST_POSITION : pos);
  self->ignore_selection = FALSE;
  if (pos != G_MAXUINT)
    gtk_widget_activate_action (GTK_WIDGET (self->column_view), "list.scroll-to-item", "u", pos);
}

static void
list_resetting_cb (TsuGroupsView *self)
{
  self->ignore_selection = TRUE;
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->ignore_selection = FALSE;
}

static void
list_updated_cb (TsuGroupsView *self)
{
  self->loaded_once = TRUE;
  update_state (self);
  if (self->select_after_update)
    {
      g_autofree char *id = g_steal_pointer (&self->select_after_update);
      select_id (self, id);
    }
  else if (tsu_group_editor_get_id (self->editor))
    select_id (self, tsu_group_editor_get_id (self->editor));
}

static void
run_query (TsuGroupsView *self)
{
  if (self->list)
    tsu_record_list_set_query (self->list, self->query);
}

static void
show_editor (TsuGroupsView *self, const char *id)
{
  g_autoptr (GError) error = NULL;

  if (!tsu_group_editor_load (self->editor, id, &error))
    {
      show_error (self, error);
      return;
    }
  gtk_stack_set_visible_child_name (self->detail_stack, "editor");
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
  if (id == NULL)
    {
      select_id (self, NULL);
      tsu_group_editor_focus_first (self->editor);
    }
}

typedef struct
{
  TsuGroupsView *self;
  char          *id;
  gboolean       is_new;
} Pending;

static void
pending_free (Pending *p)
{
  g_object_unref (p->self);
  g_free (p->id);
  g_free (p);
}

static void
guard_response_cb (AdwMessageDialog *dialog, const char *response, Pending *p)
{
  TsuGroupsView *self = p->self;

  if (g_str_equal (response, "save"))
    {
      if (tsu_group_editor_save (self->editor))
        show_editor (self, p->is_new ? NULL : p->id);
      else
        select_id (self, tsu_group_editor_get_id (self->editor));
    }
  else if (g_str_equal (response, "discard"))
    show_editor (self, p->is_new ? NULL : p->id);
  else
    select_id (self, tsu_group_editor_get_id (self->editor));
  pending_free (p);
}

/* The unsaved-change guard: every way of leaving the editor comes here. */
static void
request_show (TsuGroupsView *self, const char *id, gboolean is_new)
{
  AdwMessageDialog *dialog;
  Pending          *p;

  if (!tsu_group_editor_get_dirty (self->editor)
      || g_strcmp0 (gtk_stack_get_visible_child_name (self->detail_stack), "editor") != 0)
    {
      show_editor (self, is_new ? NULL : id);
      return;
    }
  if (!is_new && g_strcmp0 (id, tsu_group_editor_get_id (self->editor)) == 0)
    return;

  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (get_window (self), _ ("Save Changes?"),
                              _ ("The group you are editing has changes that are not saved.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "discard", _ ("_Discard"),
                                    "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  p = g_new0 (Pending, 1);
  p->self = g_object_ref (self);
  p->id = g_strdup (id);
  p->is_new = is_new;
  g_signal_connect (dialog, "response", G_CALLBACK (guard_response_cb), p);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
selection_changed_cb (TsuGroupsView *self)
{
  TsuRecordItem *item;

  if (self->ignore_selection)
    return;
  item = gtk_single_selection_get_selected_item (self->selection);
  if (item == NULL || tsu_record_item_get_id (item) == NULL)
    return;
  request_show (self, tsu_record_item_get_id (item), FALSE);
}

static void
activate_cb (TsuGroupsView *self, guint position)
{
  adw_leaflet_set_visible_child (self->leaflet, GTK_WIDGET (self->detail_stack));
}

static void
search_changed_cb (TsuGroupsView *self)
{
  tsu_groups_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

/* Enter in the search field opens the first group found. */
static void
search_activate_cb (TsuGroupsView *self)
{
  g_autoptr (TsuRecordItem) item = NULL;

  tsu_groups_view_set_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  if (self->list == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->list)) == 0)
    return;
  item = g_list_model_get_item (G_LIST_MODEL (self->list), 0);
  if (tsu_record_item_get_id (item) != NULL)
    tsu_groups_view_show_group (self, tsu_record_item_get_id (item));
}

static void
stop_search_cb (TsuGroupsView *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
filters_changed_cb (TsuGroupsView *self)
{
  guint status = gtk_drop_down_get_selected (self->status_dropdown);
  guint field = gtk_drop_down_get_selected (self->field_dropdown);

  self->status_filter = status == 0 || status == GTK_INVALID_LIST_POSITION ? -1 : (int)status - 1;
  self->field_filter = field == GTK_INVALID_LIST_POSITION ? 0 : field;
  tsu_record_query_clear_filters (self->query);
  if (self->status_filter >= 0)
    {
      g_autofree char *v = g_strdup_printf ("%d", self->status_filter);
      tsu_record_query_add_filter (self->query, "status", TSU_FILTER_EQ, v);
    }
  if (self->field_filter > 0)
    {
      g_autofree char *v = g_strdup_printf ("%u", self->field_filter);
      tsu_record_query_add_filter (self->query, "fields", TSU_FILTER_CONTAINS, v);
    }
  run_query (self);
}

/* The popover's sort controls (for the keyboard) click the column headers. */
static void
sort_controls_changed_cb (TsuGroupsView *self)
{
  guint sort = gtk_drop_down_get_selected (self->sort_dropdown);

  if (self->syncing_sort)
    return;
  if (sort == GTK_INVALID_LIST_POSITION || sort >= G_N_ELEMENTS (self->sort_columns))
    sort = 0;
  gtk_column_view_sort_by_column (self->column_view, self->sort_columns[sort],
                                  gtk_check_button_get_active (self->descending_check)
                                      ? GTK_SORT_DESCENDING
                                      : GTK_SORT_ASCENDING);
}

static int probed_sort = -1;

static int
probe_sort_cb (gconstpointer a, gconstpointer b, gpointer user_data)
{
  probed_sort = GPOINTER_TO_INT (user_data);
  return GTK_ORDERING_LARGER;
}

/* Sorting runs in SQLite, not in a GtkSortListModel: the column sorters
 * only tell which header was clicked. GTK 4.8 has no getter for the
 * primary column, so the column view's sorter compares two objects: the
 * first column sorter it consults is the primary one, and the sign of the
 * answer gives the direction. */
static void
column_sort_changed_cb (TsuGroupsView *self)
{
  GtkSorter *sorter = gtk_column_view_get_sorter (self->column_view);
  g_autoptr (GObject) a = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr (GObject) b = g_object_new (G_TYPE_OBJECT, NULL);
  GtkOrdering order;

  probed_sort = -1;
  order = gtk_sorter_compare (sorter, a, b);
  if (probed_sort < 0)
    {
      /* No header sorted: back to 五十音順. */
      tsu_record_query_set_sort (self->query, sort_ids[0], FALSE);
    }
  else
    tsu_record_query_set_sort (self->query, sort_ids[probed_sort], order == GTK_ORDERING_SMALLER);
  self->syncing_sort = TRUE;
  gtk_drop_down_set_selected (self->sort_dropdown, sort_index (self->query->sort));
  gtk_check_button_set_active (self->descending_check, self->query->descending);
  self->syncing_sort = FALSE;
  run_query (self);
}

static void
editor_saved_cb (TsuGroupsView *self, const char *id)
{
  g_free (self->select_after_update);
  self->select_after_update = g_strdup (id);
  toast (self, _ ("Saved"));
}

static void
editor_open_group_cb (TsuGroupsView *self, const char *id)
{
  /* From the duplicates list: the new group's typing is dropped on purpose
   * only after the guard asks. */
  request_show (self, id, FALSE);
  select_id (self, id);
}

static void
editor_cancelled_cb (TsuGroupsView *self)
{
  if (tsu_group_editor_get_id (self->editor) == NULL)
    gtk_stack_set_visible_child_name (self->detail_stack, "none");
}

static void
leaflet_folded_cb (TsuGroupsView *self)
{
  tsu_group_editor_set_folded (self->editor, adw_leaflet_get_folded (self->leaflet));
}

/* ---- list cells ----
 * The list keeps one item per position and relabels it when a search
 * changes the rows, so cells follow their item's properties rather than
 * being bound once: GTK 4.8 then keeps the row widgets. */

typedef struct
{
  TsuGroupsView *self; /* not referenced: the view outlives its cells */
  char          *column;
} Cell;

static void
cell_free (gpointer data, GClosure *closure)
{
  Cell *c = data;

  g_free (c->column);
  g_free (c);
}

static TsuDateStyle date_style (TsuGroupsView *self);

/* A cell's text from its item's column, as a person reads it. */
static char *
cell_text_cb (GtkListItem *list_item, TsuRecordItem *item, guint revision, Cell *c)
{
  const char *cell;

  if (item == NULL)
    return g_strdup ("");
  cell = tsu_record_item_get_cell (item, c->column);
  if (g_str_equal (c->column, "status"))
    return g_strdup (
        cell ? tsu_group_status_name ((TsuGroupStatus)g_ascii_strtoull (cell, NULL, 10)) : "");
  if (g_str_equal (c->column, "valid_fiscal_year"))
    {
      int              fy = cell ? (int)g_ascii_strtoll (cell, NULL, 10) : 0;
      g_autofree char *text = fy > 0 ? tsu_fiscal_year_format (fy, date_style (c->self)) : NULL;

      /* TRANSLATORS: a registration valid through a fiscal year, e.g. 2026年度まで */
      return fy > 0 ? g_strdup_printf (_ ("through %s"), text) : g_strdup ("");
    }
  return g_strdup (cell ? cell : "");
}

/* The list keeps one item per position and relabels it when a search
 * changes the rows, so cells follow their item's revision rather than
 * being bound once: GTK 4.8 then keeps the row widgets. */
static GtkWidget *
item_label (TsuGroupsView *self, GtkListItem *list_item, const char *column)
{
  GtkWidget     *label = gtk_label_new (NULL);
  GtkExpression *params[2];
  GtkExpression *expr;
  Cell          *c = g_new0 (Cell, 1);

  c->self = self;
  c->column = g_strdup (column);
  params[0] = gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item");
  params[1] = gtk_property_expression_new (
      TSU_TYPE_RECORD_ITEM, gtk_property_expression_new (GTK_TYPE_LIST_ITEM, NULL, "item"),
      "revision");
  expr = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 2, params, G_CALLBACK (cell_text_cb), c,
                                      cell_free);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_expression_bind (expr, label, "label", list_item);
  return label;
}

static void
setup_name_cb (TsuGroupsView *self, GtkListItem *list_item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *kana = item_label (self, list_item, "name_kana");

  gtk_widget_add_css_class (kana, "dim-label");
  gtk_widget_add_css_class (kana, "caption");
  gtk_box_append (GTK_BOX (box), item_label (self, list_item, "name"));
  gtk_box_append (GTK_BOX (box), kana);
  gtk_list_item_set_child (list_item, box);
}

#define CELL(func, property)                                                                       \
  static void func (TsuGroupsView *self, GtkListItem *list_item)                                   \
  {                                                                                                \
    gtk_list_item_set_child (list_item, item_label (self, list_item, property));                   \
  }

CELL (setup_phone_cb, "phone")
CELL (setup_number_cb, "registration_number")
CELL (setup_status_cb, "status")
CELL (setup_renewal_cb, "valid_fiscal_year")

/* ---- actions ---- */

static void
new_action (GtkWidget *widget, const char *name, GVariant *param)
{
  request_show (TSU_GROUPS_VIEW (widget), NULL, TRUE);
}

static void
search_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);

  adw_leaflet_set_visible_child (self->leaflet,
                                 gtk_widget_get_first_child (GTK_WIDGET (self->leaflet)));
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
back_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

typedef struct
{
  GWeakRef    view; /* the toast lives inside the view: no cycle */
  TsuStore   *store;
  char       *id;
  JsonObject *before; /* the fields the action changed, as they were */
} Undo;

static void
undo_free (Undo *u)
{
  g_weak_ref_clear (&u->view);
  g_object_unref (u->store);
  g_free (u->id);
  json_object_unref (u->before);
  g_free (u);
}

static void
undo_closure_free (gpointer data, GClosure *closure)
{
  undo_free (data);
}

static void
undo_cb (AdwToast *t, Undo *u)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuGroupsView) self = g_weak_ref_get (&u->view);
  gboolean ok = tsu_store_update (u->store, "groups", u->id, u->before, &error);

  if (self == NULL)
    return;
  if (!ok)
    show_error (self, error);
  else if (g_strcmp0 (tsu_group_editor_get_id (self->editor), u->id) == 0)
    tsu_group_editor_load (self->editor, u->id, NULL);
}

static void
toast_with_undo (
    TsuGroupsView *self, const char *title, const char *id, JsonObject *record, const char **fields)
{
  AdwToast *t = adw_toast_new (title);
  Undo     *u = g_new0 (Undo, 1);

  g_weak_ref_init (&u->view, self);
  u->store = g_object_ref (self->store);
  u->id = g_strdup (id);
  u->before = json_object_new ();
  for (guint i = 0; fields[i]; i++)
    {
      JsonNode *n = json_object_get_member (record, fields[i]);
      json_object_set_member (u->before, fields[i],
                              n ? json_node_copy (n) : json_node_new (JSON_NODE_NULL));
    }
  adw_toast_set_button_label (t, _ ("_Undo"));
  g_signal_connect_data (t, "button-clicked", G_CALLBACK (undo_cb), u, undo_closure_free, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static gboolean
current (TsuGroupsView *self, const char **id, JsonObject **record)
{
  *id = tsu_group_editor_get_id (self->editor);
  *record = tsu_group_editor_get_record (self->editor);
  if (*id == NULL)
    {
      toast (self, _ ("Save the group first."));
      return FALSE;
    }
  return TRUE;
}

static void
register_confirmed (TsuGroupsView *self)
{
  const char *id;
  JsonObject *record;
  g_autoptr (GError) error = NULL;
  GDate today;

  if (!current (self, &id, &record))
    return;
  tsu_group_today (&today);
  if (!tsu_group_register (self->store, id, &today, &error))
    {
      show_error (self, error);
      return;
    }
  {
    static const char *fields[]
        = { "registered_on", "applied_on", "valid_fiscal_year", "registration_number", NULL };
    toast_with_undo (self, _ ("Registered"), id, record, fields);
  }
  tsu_group_editor_load (self->editor, id, NULL);
}

static void
register_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  if (g_str_equal (response, "register"))
    register_confirmed (self);
}

static guint
setting_uint (TsuGroupsView *self, const char *key, guint fallback)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return fallback;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return fallback;
  return g_settings_get_uint (self->settings, key);
}

static void
register_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  g_autoptr (GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;
  const char       *id;
  JsonObject       *record;

  if (tsu_group_editor_get_dirty (self->editor) && !tsu_group_editor_save (self->editor))
    return;
  if (!current (self, &id, &record))
    return;
  /* Eligibility: shown, and the counter decides. */
  tsu_group_check_eligibility (
      record, setting_uint (self, "group-min-members", TSU_GROUP_DEFAULT_MIN_MEMBERS), problems);
  if (problems->len == 0)
    {
      register_confirmed (self);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (body, "・%s\n",
                            ((TsuProblem *)g_ptr_array_index (problems, i))->message);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (get_window (self), _ ("Register Anyway?"), body->str));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "register", _ ("_Register"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "register", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (register_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
renew_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) before = NULL;
  const char *id;
  JsonObject *record;
  GDate       today;

  if (!current (self, &id, &record))
    return;
  before = json_object_ref (record);
  tsu_group_today (&today);
  if (!tsu_group_renew (self->store, id, &today,
                        setting_uint (self, "group-renewal-days", TSU_GROUP_DEFAULT_RENEWAL_DAYS),
                        &error))
    {
      show_error (self, error);
      return;
    }
  {
    static const char *fields[] = { "valid_fiscal_year", "renewed_on", NULL };
    g_autofree char   *id_copy = g_strdup (id);
    toast_with_undo (self, _ ("Renewed for the next fiscal year"), id_copy, before, fields);
    tsu_group_editor_load (self->editor, id_copy, NULL);
  }
}

static void
withdraw_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) before = NULL;
  g_autofree char *id = NULL;
  GDate            today;

  if (!g_str_equal (response, "withdraw"))
    return;
  id = g_strdup (tsu_group_editor_get_id (self->editor));
  before = json_object_ref (tsu_group_editor_get_record (self->editor));
  tsu_group_today (&today);
  if (!tsu_group_withdraw (self->store, id, &today, &error))
    {
      show_error (self, error);
      return;
    }
  {
    static const char *fields[] = { "withdrawn_on", NULL };
    toast_with_undo (self, _ ("The group has withdrawn"), id, before, fields);
  }
  tsu_group_editor_load (self->editor, id, NULL);
}

static void
withdraw_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView    *self = TSU_GROUPS_VIEW (widget);
  AdwMessageDialog *dialog;
  const char       *id;
  JsonObject       *record;
  g_autofree char  *body = NULL;

  if (!current (self, &id, &record))
    return;
  body = g_strdup_printf (
      _ ("“%s” will be marked as withdrawn today. The record and its history are kept."),
      json_object_get_string_member_with_default (record, "name", ""));
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (get_window (self), _ ("Withdraw the Group?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "withdraw", _ ("_Withdraw"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "withdraw", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (withdraw_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static TsuDateStyle
date_style (TsuGroupsView *self)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return TSU_DATE_STYLE_SEIREKI;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "date-style"))
    return TSU_DATE_STYLE_SEIREKI;
  return g_settings_get_enum (self->settings, "date-style");
}

static void
print_group (TsuGroupsView *self, TsuGroupPrintKind kind, const char *pdf)
{
  g_autoptr (GError) error = NULL;
  const char *id;
  JsonObject *record;

  if (!current (self, &id, &record))
    return;
  if (!tsu_group_print (get_window (self), record, kind, date_style (self), pdf, &error))
    show_error (self, error);
  else if (pdf)
    toast (self, _ ("PDF saved"));
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  print_group (TSU_GROUPS_VIEW (widget),
               g_str_equal (name, "groups.print-card") ? TSU_GROUP_PRINT_CARD
                                                       : TSU_GROUP_PRINT_CERTIFICATE,
               NULL);
}

typedef struct
{
  TsuGroupsView    *self;
  TsuGroupPrintKind kind;
  gboolean          is_export;
  gboolean          public_only;
} ChooserData;

static void
export_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TsuGroupsView) self = user_data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) unencodable = NULL;

  if (!tsu_record_export_file_finish (result, &unencodable, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_error (self, error);
    }
  else if (unencodable->len > 0)
    {
      g_autoptr (GString) chars = g_string_new (NULL);
      g_autofree char *msg = NULL;
      for (guint i = 0; i < unencodable->len; i++)
        g_string_append (chars, g_ptr_array_index (unencodable, i));
      msg = g_strdup_printf (_ ("Exported; Shift_JIS cannot hold %s, written as 〓"), chars->str);
      toast (self, msg);
    }
  else
    toast (self, _ ("Exported"));
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, ChooserData *data)
{
  TsuGroupsView *self = data->self;
  g_autoptr (GFile) file = NULL;
  g_autofree char *path = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = g_file_get_path (file);
    }
  if (path && data->is_export)
    {
      const char   *enc = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "encoding");
      TsuCsvContext ctx = { self->query->today, self->query, data->public_only };

      /* The shown rows: the query runs again in the worker, as the list may
       * hold only its first page. The view is kept until it is done. */
      tsu_record_export_file_async (self->store, &tsu_group_collection, self->query, path,
                                    g_strcmp0 (enc, "cp932") == 0 ? TSU_CSV_ENCODING_CP932
                                                                  : TSU_CSV_ENCODING_UTF8_BOM,
                                    &ctx, NULL, export_done_cb, g_object_ref (self));
    }
  else if (path)
    print_group (self, data->kind, path);
  g_object_unref (data->self);
  g_free (data);
  g_object_unref (chooser);
}

static void
save_chooser (TsuGroupsView *self, const char *title, const char *name, ChooserData *data)
{
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (
      title, get_window (self), GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));

  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  if (data->is_export)
    {
      const char *ids[] = { "utf8", "cp932", NULL };
      const char *labels[] = { _ ("UTF-8 with BOM (Excel)"), _ ("Shift_JIS (CP932)"), NULL };
      gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "encoding", _ ("Encoding"), ids,
                                   labels);
      gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "encoding", "utf8");
    }
  data->self = g_object_ref (self);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), data);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
pdf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView   *self = TSU_GROUPS_VIEW (widget);
  ChooserData     *data = g_new0 (ChooserData, 1);
  JsonObject      *record = tsu_group_editor_get_record (self->editor);
  g_autofree char *file = NULL;

  if (tsu_group_editor_get_id (self->editor) == NULL)
    {
      g_free (data);
      toast (self, _ ("Save the group first."));
      return;
    }
  data->kind
      = g_str_equal (name, "groups.pdf-card") ? TSU_GROUP_PRINT_CARD : TSU_GROUP_PRINT_CERTIFICATE;
  file = g_strdup_printf ("%s-%s.pdf",
                          json_object_get_string_member_with_default (record, "name", "group"),
                          data->kind == TSU_GROUP_PRINT_CARD ? _ ("card") : _ ("certificate"));
  save_chooser (self, _ ("Save as PDF"), file, data);
}

static void
export_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);
  ChooserData   *data = g_new0 (ChooserData, 1);

  data->is_export = TRUE;
  data->public_only = g_str_equal (name, "groups.export-public");
  save_chooser (self, data->public_only ? _ ("Export Public List") : _ ("Export Groups"),
                data->public_only ? _ ("groups-public.csv") : _ ("groups.csv"), data);
}

static void
imported_cb (TsuGroupsView *self, guint n)
{
  g_autofree char *msg = g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "Imported %u group", "Imported %u groups", n), n);
  toast (self, msg);
}

static void
import_response_cb (GtkNativeDialog *chooser, int response, TsuGroupsView *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      TsuGroupImportDialog *dialog
          = tsu_group_import_dialog_new (get_window (self), self->store, file);

      g_signal_connect_object (dialog, "imported", G_CALLBACK (imported_cb), self,
                               G_CONNECT_SWAPPED);
      gtk_window_present (GTK_WINDOW (dialog));
    }
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
import_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView        *self = TSU_GROUPS_VIEW (widget);
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (_ ("Import Groups"), get_window (self),
                                     GTK_FILE_CHOOSER_ACTION_OPEN, _ ("_Open"), _ ("_Cancel"));
  g_autoptr (GtkFileFilter) filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, _ ("CSV files"));
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  g_signal_connect (chooser, "response", G_CALLBACK (import_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- settings ---- */

static void
settings_changed_cb (TsuGroupsView *self)
{
  guint renewal_days = setting_uint (self, "group-renewal-days", TSU_GROUP_DEFAULT_RENEWAL_DAYS);

  tsu_record_query_set_param (self->query, "renewal_days", (int)renewal_days);
  tsu_group_editor_set_renewal_days (self->editor, renewal_days);
  tsu_group_editor_set_min_members (
      self->editor, setting_uint (self, "group-min-members", TSU_GROUP_DEFAULT_MIN_MEMBERS));
  tsu_group_editor_set_date_style (self->editor, date_style (self));
  run_query (self);
}

static void
setting_changed_cb (TsuGroupsView *self, const char *key)
{
  /* Window size and the like are saved often; only these change the list. */
  if (g_str_has_prefix (key, "group-") || g_str_equal (key, "date-style"))
    settings_changed_cb (self);
}

/* ---- object ---- */

static void
fill_dropdowns (TsuGroupsView *self)
{
  g_autoptr (GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  const char *sorts[] = { _ ("Reading (五十音順)"), _ ("Registration number"), _ ("Status"),
                          _ ("Valid through"), NULL };
  g_autoptr (GtkStringList) sort_model = gtk_string_list_new (sorts);

  gtk_string_list_append (statuses, _ ("All statuses"));
  for (guint s = 0; s < TSU_GROUP_N_STATUSES; s++)
    gtk_string_list_append (statuses, tsu_group_status_name (s));
  gtk_string_list_append (fields, _ ("All fields"));
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    {
      g_autofree char *t = g_strdup_printf ("%u %s", c, tsu_group_field_name (c));
      gtk_string_list_append (fields, t);
    }
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (fields));
  gtk_drop_down_set_model (self->sort_dropdown, G_LIST_MODEL (sort_model));
  {
    g_autoptr (GtkExpression) expr
        = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
    gtk_drop_down_set_expression (self->field_dropdown, expr);
  }
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->field_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sort_dropdown, "notify::selected",
                           G_CALLBACK (sort_controls_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->descending_check, "toggled", G_CALLBACK (sort_controls_changed_cb),
                           self, G_CONNECT_SWAPPED);
  for (guint i = 0; i < G_N_ELEMENTS (self->sort_columns); i++)
    {
      g_autoptr (GtkSorter) sorter
          = GTK_SORTER (gtk_custom_sorter_new (probe_sort_cb, GINT_TO_POINTER (i), NULL));
      gtk_column_view_column_set_sorter (self->sort_columns[i], sorter);
    }
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (column_sort_changed_cb), self, G_CONNECT_SWAPPED);
  self->syncing_sort = TRUE;
  gtk_column_view_sort_by_column (self->column_view, self->sort_columns[0], GTK_SORT_ASCENDING);
  self->syncing_sort = FALSE;
}

static void
tsu_groups_view_dispose (GObject *object)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (object);

  /* Columns leaving the view change its sorter: not a sort request. */
  if (self->column_view)
    g_signal_handlers_disconnect_by_func (gtk_column_view_get_sorter (self->column_view),
                                          column_sort_changed_cb, self);

  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (tsu_groups_view_parent_class)->dispose (object);
}

static void
tsu_groups_view_finalize (GObject *object)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (object);

  tsu_record_query_free (self->query);
  g_free (self->select_after_update);
  G_OBJECT_CLASS (tsu_groups_view_parent_class)->finalize (object);
}

static void
tsu_groups_view_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_groups_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_groups_view_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
close_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  GtkWindow *window = get_window (self);

  if (g_str_equal (response, "save") && !tsu_group_editor_save (self->editor))
    return;
  if (g_str_equal (response, "cancel"))
    return;
  if (g_str_equal (response, "discard"))
    tsu_group_editor_revert (self->editor);
  if (window)
    gtk_window_close (window);
}

/* The unsaved-change guard also covers closing the window. */
static gboolean
close_request_cb (TsuGroupsView *self)
{
  AdwMessageDialog *dialog;

  if (!tsu_group_editor_get_dirty (self->editor))
    return FALSE;
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (get_window (self), _ ("Save Changes?"),
                              _ ("The group you are editing has changes that are not saved.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "discard", _ ("_Discard"),
                                    "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (close_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
tsu_groups_view_root (GtkWidget *widget)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);
  GApplication  *app = g_application_get_default ();
  GtkWindow     *window;

  GTK_WIDGET_CLASS (tsu_groups_view_parent_class)->root (widget);
  window = get_window (self);
  if (window)
    g_signal_connect_object (window, "close-request", G_CALLBACK (close_request_cb), self,
                             G_CONNECT_SWAPPED);
  /* Inside the application the view follows its settings. */
  if (self->settings == NULL && app != NULL)
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr (GSettingsSchema) schema
          = source ? g_settings_schema_source_lookup (source, "io.github.tsunagu.Tsunagu", TRUE)
                   : NULL;
      if (schema)
        {
          g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");
          tsu_groups_view_set_settings (self, settings);
        }
    }
}

static void
tsu_groups_view_unroot (GtkWidget *widget)
{
  GtkWindow *window = get_window (TSU_GROUPS_VIEW (widget));

  if (window)
    g_signal_handlers_disconnect_by_func (window, close_request_cb, widget);
  GTK_WIDGET_CLASS (tsu_groups_view_parent_class)->unroot (widget);
}

static void
tsu_groups_view_class_init (TsuGroupsViewClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_groups_view_dispose;
  object_class->finalize = tsu_groups_view_finalize;
  object_class->get_property = tsu_groups_view_get_property;
  object_class->set_property = tsu_groups_view_set_property;
  widget_class->root = tsu_groups_view_root;
  widget_class->unroot = tsu_groups_view_unroot;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSU_TYPE_GROUP_EDITOR);
  g_type_ensure (TSU_TYPE_RECORD_ITEM);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-groups-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, sort_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, descending_check);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, column_view);
  gtk_widget_class_bind_template_child_full (widget_class, "name_column", FALSE,
                                             G_STRUCT_OFFSET (TsuGroupsView, sort_columns[0]));
  gtk_widget_class_bind_template_child_full (widget_class, "number_column", FALSE,
                                             G_STRUCT_OFFSET (TsuGroupsView, sort_columns[1]));
  gtk_widget_class_bind_template_child_full (widget_class, "status_column", FALSE,
                                             G_STRUCT_OFFSET (TsuGroupsView, sort_columns[2]));
  gtk_widget_class_bind_template_child_full (widget_class, "renewal_column", FALSE,
                                             G_STRUCT_OFFSET (TsuGroupsView, sort_columns[3]));
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, count_label);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, editor);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_name_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_phone_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_number_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_status_cb);
  gtk_widget_class_bind_template_callback (widget_class, setup_renewal_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_saved_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_open_group_cb);
  gtk_widget_class_bind_template_callback (widget_class, editor_cancelled_cb);

  gtk_widget_class_install_action (widget_class, "groups.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "groups.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "groups.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "groups.register", NULL, register_action);
  gtk_widget_class_install_action (widget_class, "groups.renew", NULL, renew_action);
  gtk_widget_class_install_action (widget_class, "groups.withdraw", NULL, withdraw_action);
  gtk_widget_class_install_action (widget_class, "groups.print-certificate", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "groups.print-card", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "groups.pdf-certificate", NULL, pdf_action);
  gtk_widget_class_install_action (widget_class, "groups.pdf-card", NULL, pdf_action);
  gtk_widget_class_install_action (widget_class, "groups.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "groups.export-public", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "groups.import", NULL, import_action);
}

static void
tsu_groups_view_init (TsuGroupsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->query = tsu_record_query_new (&tsu_group_collection);
  self->status_filter = -1;
  fill_dropdowns (self);
  g_signal_connect_object (self->leaflet, "notify::folded", G_CALLBACK (leaflet_folded_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->column_view, "activate", G_CALLBACK (activate_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_search_entry_set_key_capture_widget (self->search_entry, GTK_WIDGET (self->list_stack));

  /* Ctrl+F and Ctrl+N work wherever the keyboard is in the window while
   * this page is shown (GTK skips controllers of unmapped widgets). */
  {
    GtkEventController *shortcuts = gtk_shortcut_controller_new ();

    gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                       GTK_SHORTCUT_SCOPE_GLOBAL);
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (shortcuts),
        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_f, GDK_CONTROL_MASK),
                          gtk_named_action_new ("groups.search")));
    gtk_shortcut_controller_add_shortcut (
        GTK_SHORTCUT_CONTROLLER (shortcuts),
        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_n, GDK_CONTROL_MASK),
                          gtk_named_action_new ("groups.new")));
    gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
  }
  update_state (self);
}

/**
 * tsu_groups_view_new:
 *
 * Returns: (transfer floating): a view without a store
 */
GtkWidget *
tsu_groups_view_new (void)
{
  return g_object_new (TSU_TYPE_GROUPS_VIEW, NULL);
}

TsuStore *
tsu_groups_view_get_store (TsuGroupsView *self)
{
  return self->store;
}

/**
 * tsu_groups_view_set_store:
 *
 * Shows the groups of @store (a query starts in a worker thread).
 */
void
tsu_groups_view_set_store (TsuGroupsView *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_GROUPS_VIEW (self));

  if (!g_set_object (&self->store, store))
    return;
  gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->list);
  self->loaded_once = FALSE;
  tsu_group_editor_set_store (self->editor, store);
  gtk_stack_set_visible_child_name (self->detail_stack, "none");
  if (store != NULL)
    {
      self->list = tsu_record_list_new (store, &tsu_group_collection, list_columns);
      g_signal_connect_object (self->list, "updated", G_CALLBACK (list_updated_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->list, "resetting", G_CALLBACK (list_resetting_cb), self,
                               G_CONNECT_SWAPPED);
      self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->list)));
      gtk_single_selection_set_autoselect (self->selection, FALSE);
      gtk_single_selection_set_can_unselect (self->selection, TRUE);
      g_signal_connect_object (self->selection, "notify::selected",
                               G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
      gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
      run_query (self);
    }
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

/**
 * tsu_groups_view_set_settings:
 *
 * Follows group-min-members, group-renewal-days and date-style.
 */
void
tsu_groups_view_set_settings (TsuGroupsView *self, GSettings *settings)
{
  if (self->settings)
    g_signal_handlers_disconnect_by_func (self->settings, setting_changed_cb, self);
  if (!g_set_object (&self->settings, settings))
    return;
  if (settings)
    g_signal_connect_object (settings, "changed", G_CALLBACK (setting_changed_cb), self,
                             G_CONNECT_SWAPPED);
  settings_changed_cb (self);
}

TsuRecordList *
tsu_groups_view_get_list (TsuGroupsView *self)
{
  return self->list;
}

/**
 * tsu_groups_view_set_search:
 *
 * What the search entry does after its delay (the benchmark calls it).
 */
void
tsu_groups_view_set_search (TsuGroupsView *self, const char *text)
{
  if (g_strcmp0 (self->query->search, text) == 0)
    return;
  tsu_record_query_set_search (self->query, text);
  run_query (self);
}

/**
 * tsu_groups_view_set_sort:
 */
void
tsu_groups_view_set_sort (TsuGroupsView *self, const char *sort)
{
  gtk_drop_down_set_selected (self->sort_dropdown, sort_index (sort));
}

/**
 * tsu_groups_view_show_group:
 *
 * Opens a group in the editor (asks first when there are unsaved changes).
 */
void
tsu_groups_view_show_group (TsuGroupsView *self, const char *id)
{
  request_show (self, id, FALSE);
  select_id (self, id);
}
