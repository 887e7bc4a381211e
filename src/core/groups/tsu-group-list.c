/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group-list.h"
#include "tsu-store-private.h"

#define PAGE_SIZE 64
#define SLOT_LIMIT 4096

struct _TsuGroupList
{
  GObject        parent_instance;
  TsuStore      *store;
  TsuGroupQuery *query;
  GArray        *rowids;      /* gint64, the shown rows in order */
  GHashTable    *slots;       /* position → TsuGroupItem shown there */
  GHashTable    *pending_ids; /* ids written since the last query */
  GMutex         reader_lock;
  sqlite3       *reader;      /* used by one worker at a time */
  sqlite3       *page_reader; /* the main thread's: pages and lookups */
  guint          generation;
  guint          running;
  gboolean       loading;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsuGroupList,
                               tsu_group_list,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum
{
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum
{
  RESETTING,
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static GType
get_item_type (GListModel *model)
{
  return TSU_TYPE_GROUP_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return TSU_GROUP_LIST (model)->rowids->len;
}

/* The main thread reads pages through its own read-only connection: WAL
 * lets it read while an import holds the desk's connection in a long
 * transaction, so the list never waits for a writer. */
static sqlite3 *
page_db (TsuGroupList *self, gboolean *locked)
{
  g_autoptr (GError) error = NULL;

  *locked = FALSE;
  if (self->page_reader == NULL)
    self->page_reader = tsu_store_open_reader (self->store, &error);
  if (self->page_reader != NULL)
    return self->page_reader;
  g_warning ("Cannot open a reader, reading on the desk's connection: %s", error->message);
  tsu_store_lock (self->store);
  *locked = TRUE;
  return tsu_store_get_db (self->store);
}

static void
page_db_done (TsuGroupList *self, gboolean locked)
{
  if (locked)
    tsu_store_unlock (self->store);
}

/* Fills the slots of @positions (sorted) from their rows, PAGE_SIZE rows
 * per indexed lookup. */
static void
fill_slots (TsuGroupList *self, GArray *positions)
{
  g_autofree char *status = tsu_group_status_sql (&self->query->today, self->query->renewal_days);
  gboolean         locked;
  sqlite3         *db = page_db (self, &locked);

  for (guint first = 0; first < positions->len; first += PAGE_SIZE)
    {
      guint last = MIN (first + PAGE_SIZE, positions->len);
      g_autoptr (GString) sql = g_string_new (NULL);
      g_autoptr (GHashTable) slot_of = g_hash_table_new (g_int64_hash, g_int64_equal);
      sqlite3_stmt *stmt = NULL;

      g_string_append_printf (sql,
                              "SELECT rowid, id, name, name_kana, registration_number,"
                              " rep_family_name, rep_given_name, phone, %s,"
                              " coalesce(valid_fiscal_year, 0)"
                              " FROM groups WHERE rowid IN (",
                              status);
      for (guint i = first; i < last; i++)
        {
          guint pos = g_array_index (positions, guint, i);
          g_hash_table_insert (slot_of, &g_array_index (self->rowids, gint64, pos),
                               g_hash_table_lookup (self->slots, GUINT_TO_POINTER (pos)));
          g_string_append (sql, i == first ? "?" : ",?");
        }
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        {
          g_warning ("Cannot read groups: %s", sqlite3_errmsg (db));
          break;
        }
      for (guint i = first; i < last; i++)
        sqlite3_bind_int64 (
            stmt, i - first + 1,
            g_array_index (self->rowids, gint64, g_array_index (positions, guint, i)));
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64           rowid = sqlite3_column_int64 (stmt, 0);
          const char      *fam = (const char *)sqlite3_column_text (stmt, 5);
          const char      *giv = (const char *)sqlite3_column_text (stmt, 6);
          g_autofree char *rep
              = fam && giv ? g_strconcat (fam, " ", giv, NULL) : g_strdup (fam ? fam : giv);
          TsuGroupItem *slot = g_hash_table_lookup (slot_of, &rowid);

          if (slot == NULL)
            continue;
          tsu_group_item_update (slot, rowid, (const char *)sqlite3_column_text (stmt, 1),
                                 (const char *)sqlite3_column_text (stmt, 2),
                                 (const char *)sqlite3_column_text (stmt, 3),
                                 (const char *)sqlite3_column_text (stmt, 4), rep,
                                 (const char *)sqlite3_column_text (stmt, 7),
                                 sqlite3_column_int (stmt, 8), sqlite3_column_int (stmt, 9));
        }
      sqlite3_finalize (stmt);
    }
  page_db_done (self, locked);
}

/* Drops slots nobody else holds when there are many (a test or an export
 * may have walked the whole list). */
static void
trim_slots (TsuGroupList *self)
{
  GHashTableIter iter;
  gpointer       value;

  if (g_hash_table_size (self->slots) <= SLOT_LIMIT)
    return;
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (G_OBJECT (value)->ref_count == 1)
      g_hash_table_iter_remove (&iter);
}

static gpointer
get_item (GListModel *model, guint position)
{
  TsuGroupList *self = TSU_GROUP_LIST (model);
  TsuGroupItem *slot;
  gint64        rowid;

  if (position >= self->rowids->len)
    return NULL;
  rowid = g_array_index (self->rowids, gint64, position);
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot != NULL && tsu_group_item_get_rowid (slot) == rowid)
    return g_object_ref (slot);

  trim_slots (self);
  {
    /* Read the whole page around @position at once. */
    guint first = position - position % PAGE_SIZE;
    guint last = MIN (first + PAGE_SIZE, self->rowids->len);
    g_autoptr (GArray) positions = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint p = first; p < last; p++)
      {
        TsuGroupItem *s = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (p));
        if (s == NULL)
          {
            s = tsu_group_item_new ("", "", "", NULL, NULL, NULL, 0, 0);
            g_hash_table_insert (self->slots, GUINT_TO_POINTER (p), s);
          }
        if (tsu_group_item_get_rowid (s) != g_array_index (self->rowids, gint64, p))
          g_array_append_val (positions, p);
      }
    fill_slots (self, positions);
  }
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  return g_object_ref (slot);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gint
compare_uint (gconstpointer a, gconstpointer b)
{
  guint x = *(const guint *)a, y = *(const guint *)b;
  return x < y ? -1 : x > y;
}

/* Puts a query's result in place. The list keeps one item per position
 * (a slot): rows that stay get relabelled in place (property
 * notifications), and only the change in length is announced, so the view
 * keeps its row widgets instead of building them again. */
static void
apply_result (TsuGroupList *self, GArray *rowids)
{
  guint old_n = self->rowids->len, new_n = rowids->len, common = MIN (old_n, new_n);
  g_autoptr (GArray) refill = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer       key, value;

  if (old_n != new_n || memcmp (self->rowids->data, rowids->data, common * sizeof (gint64)) != 0)
    g_signal_emit (self, signals[RESETTING], 0);
  g_array_unref (self->rowids);
  self->rowids = rowids;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint pos = GPOINTER_TO_UINT (key);

      if (pos >= new_n)
        {
          /* Emptied: the view drops it with the tail below. */
          g_hash_table_iter_remove (&iter);
          continue;
        }
      if (tsu_group_item_get_rowid (value) != g_array_index (rowids, gint64, pos)
          || g_hash_table_contains (self->pending_ids, tsu_group_item_get_id (value)))
        {
          tsu_group_item_update (
              value, -1, tsu_group_item_get_id (value), tsu_group_item_get_name (value),
              tsu_group_item_get_name_kana (value), tsu_group_item_get_registration_number (value),
              tsu_group_item_get_representative (value), tsu_group_item_get_phone (value),
              tsu_group_item_get_status (value), tsu_group_item_get_valid_fiscal_year (value));
          g_array_append_val (refill, pos);
        }
    }
  g_array_sort (refill, compare_uint);
  fill_slots (self, refill);
  g_hash_table_remove_all (self->pending_ids);

  if (old_n != new_n)
    {
      gint64 t0 = g_get_monotonic_time ();

      g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, new_n - common);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      if (g_getenv ("TSU_DEBUG_LIST"))
        g_printerr ("items-changed %u->%u: %.2f ms, %u relabelled\n", old_n, new_n,
                    (g_get_monotonic_time () - t0) / 1000.0, refill->len);
    }
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
set_loading (TsuGroupList *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TsuGroupList  *self = source_object;
  TsuGroupQuery *q = task_data;
  GError        *error = NULL;
  GArray        *rowids;

  g_mutex_lock (&self->reader_lock);
  if (self->reader == NULL)
    self->reader = tsu_store_open_reader (self->store, &error);
  rowids = self->reader ? tsu_group_query_run (self->reader, q, &error) : NULL;
  g_mutex_unlock (&self->reader_lock);
  if (rowids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rowids, (GDestroyNotify)g_array_unref);
}

static void
query_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);
  guint         generation = GPOINTER_TO_UINT (user_data);
  g_autoptr (GError) error = NULL;
  GArray *rowids = g_task_propagate_pointer (G_TASK (result), &error);

  self->running--;
  if (rowids == NULL)
    g_warning ("Cannot list groups: %s", error->message);
  else if (generation != self->generation)
    g_array_unref (rowids); /* a newer query is on its way */
  else
    apply_result (self, rowids);
  if (self->running == 0)
    set_loading (self, FALSE);
}

static void
start_query (TsuGroupList *self)
{
  g_autoptr (GTask) task = NULL;

  self->generation++;
  self->running++;
  set_loading (self, TRUE);
  task = g_task_new (self, NULL, query_done_cb, GUINT_TO_POINTER (self->generation));
  g_task_set_task_data (task, tsu_group_query_copy (self->query),
                        (GDestroyNotify)tsu_group_query_free);
  g_task_run_in_thread (task, query_thread);
}

static void
store_changed_cb (TsuGroupList *self, const char *collection, const char *const *ids)
{
  if (g_strcmp0 (collection, "groups") != 0)
    return;
  for (guint i = 0; ids && ids[i]; i++)
    g_hash_table_add (self->pending_ids, g_strdup (ids[i]));
  start_query (self);
}

static void
tsu_group_list_dispose (GObject *object)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);

  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_group_list_parent_class)->dispose (object);
}

static void
tsu_group_list_finalize (GObject *object)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);

  g_clear_pointer (&self->reader, sqlite3_close);
  g_clear_pointer (&self->page_reader, sqlite3_close);
  g_mutex_clear (&self->reader_lock);
  g_array_unref (self->rowids);
  g_hash_table_unref (self->slots);
  g_hash_table_unref (self->pending_ids);
  tsu_group_query_free (self->query);
  G_OBJECT_CLASS (tsu_group_list_parent_class)->finalize (object);
}

static void
tsu_group_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->rowids->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_group_list_class_init (TsuGroupListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_group_list_dispose;
  object_class->finalize = tsu_group_list_finalize;
  object_class->get_property = tsu_group_list_get_property;

  properties[PROP_LOADING]
      = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS]
      = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuGroupList::updated:
   *
   * Emitted when a query's result is in place (the list shows it).
   */
  /**
   * TsuGroupList::resetting:
   *
   * Emitted before every row is replaced. A selection model on top should
   * drop its selection now: GtkSingleSelection otherwise looks for the
   * selected item among all the new rows, reading every one of them.
   */
  signals[RESETTING] = g_signal_new ("resetting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsu_group_list_init (TsuGroupList *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->slots = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->pending_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->query = tsu_group_query_new ();
  g_mutex_init (&self->reader_lock);
}

/**
 * tsu_group_list_new:
 *
 * The list starts empty; set a query (or call tsu_group_list_refresh_sync())
 * to fill it.
 *
 * Returns: (transfer full): a new list
 */
TsuGroupList *
tsu_group_list_new (TsuStore *store)
{
  TsuGroupList *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_new (TSU_TYPE_GROUP_LIST, NULL);
  self->store = g_object_ref (store);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

TsuStore *
tsu_group_list_get_store (TsuGroupList *self)
{
  return self->store;
}

const TsuGroupQuery *
tsu_group_list_get_query (TsuGroupList *self)
{
  return self->query;
}

/**
 * tsu_group_list_set_query:
 *
 * Runs @query in a worker thread; "updated" is emitted when the list shows
 * its result. A newer query supersedes one still running.
 */
void
tsu_group_list_set_query (TsuGroupList *self, const TsuGroupQuery *query)
{
  g_return_if_fail (TSU_IS_GROUP_LIST (self));

  /* Statuses depend on the day and the renewal window. */
  if (g_date_compare (&self->query->today, &query->today) != 0
      || self->query->renewal_days != query->renewal_days)
    {
      GHashTableIter iter;
      gpointer       value;

      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        tsu_group_item_update (value, -1, "", "", "", NULL, NULL, NULL, 0, 0);
    }
  tsu_group_query_free (self->query);
  self->query = tsu_group_query_copy (query);
  start_query (self);
}

/**
 * tsu_group_list_set_query_sync:
 *
 * Runs @query on the desk's connection, in this thread (for the command
 * line and tests).
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_list_set_query_sync (TsuGroupList *self, const TsuGroupQuery *query, GError **error)
{
  GArray *rowids;

  tsu_group_query_free (self->query);
  self->query = tsu_group_query_copy (query);

  {
    gboolean locked;
    sqlite3 *db = page_db (self, &locked);

    rowids = tsu_group_query_run (db, self->query, error);
    page_db_done (self, locked);
  }
  if (rowids == NULL)
    return FALSE;
  self->generation++;
  apply_result (self, rowids);
  return TRUE;
}

gboolean
tsu_group_list_get_loading (TsuGroupList *self)
{
  return self->loading;
}

/**
 * tsu_group_list_find:
 *
 * Returns: the position of the group with @id, or %G_MAXUINT
 */
guint
tsu_group_list_find (TsuGroupList *self, const char *id)
{
  gboolean      locked;
  sqlite3      *db = page_db (self, &locked);
  sqlite3_stmt *stmt = NULL;
  gint64        rowid = -1;

  if (sqlite3_prepare_v2 (db, "SELECT rowid FROM groups WHERE id = ?", -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        rowid = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  page_db_done (self, locked);
  for (guint i = 0; rowid >= 0 && i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == rowid)
      return i;
  return G_MAXUINT;
}

/**
 * tsu_group_list_get_rowids:
 *
 * Returns: (transfer none) (element-type gint64): the shown rows
 */
GArray *
tsu_group_list_get_rowids (TsuGroupList *self)
{
  return self->rowids;
}
