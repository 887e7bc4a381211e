/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group-list.h"
#include "tsu-store-private.h"

#define PAGE_SIZE 64
#define CACHE_LIMIT 4096

struct _TsuGroupList
{
  GObject         parent_instance;
  TsuStore       *store;
  TsuGroupQuery  *query;
  GArray         *rowids;       /* gint64, the shown rows in order */
  GHashTable     *cache;        /* rowid (gint64 *) → TsuGroupItem */
  GHashTable     *pending_ids;  /* ids written since the last query */
  GMutex          reader_lock;
  sqlite3        *reader;       /* used by one worker at a time */
  guint           generation;
  guint           running;
  gboolean        loading;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsuGroupList, tsu_group_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

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

/* Reads the page holding @position on the desk's connection: one indexed
 * lookup of at most PAGE_SIZE rows. */
static void
fetch_page (TsuGroupList *self,
            guint         position)
{
  guint first = position - position % PAGE_SIZE;
  guint last = MIN (first + PAGE_SIZE, self->rowids->len);
  g_autoptr(GString) sql = g_string_new (NULL);
  g_autofree char *status = tsu_group_status_sql (&self->query->today, self->query->renewal_days);
  sqlite3 *db = tsu_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;

  if (g_hash_table_size (self->cache) > CACHE_LIMIT)
    g_hash_table_remove_all (self->cache);

  g_string_append_printf (sql,
                          "SELECT rowid, id, name, name_kana, registration_number,"
                          " rep_family_name, rep_given_name, phone, %s,"
                          " coalesce(valid_fiscal_year, 0)"
                          " FROM groups WHERE rowid IN (", status);
  for (guint i = first; i < last; i++)
    g_string_append (sql, i == first ? "?" : ",?");
  g_string_append (sql, ")");

  tsu_store_lock (self->store);
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_warning ("Cannot read groups: %s", sqlite3_errmsg (db));
      tsu_store_unlock (self->store);
      return;
    }
  for (guint i = first; i < last; i++)
    sqlite3_bind_int64 (stmt, i - first + 1, g_array_index (self->rowids, gint64, i));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 *rowid = g_new (gint64, 1);
      const char *fam = (const char *) sqlite3_column_text (stmt, 5);
      const char *giv = (const char *) sqlite3_column_text (stmt, 6);
      g_autofree char *rep = NULL;

      if (fam && giv)
        rep = g_strconcat (fam, " ", giv, NULL);
      else
        rep = g_strdup (fam ? fam : giv);
      *rowid = sqlite3_column_int64 (stmt, 0);
      g_hash_table_replace (self->cache, rowid,
                            tsu_group_item_new ((const char *) sqlite3_column_text (stmt, 1),
                                                (const char *) sqlite3_column_text (stmt, 2),
                                                (const char *) sqlite3_column_text (stmt, 3),
                                                (const char *) sqlite3_column_text (stmt, 4),
                                                rep,
                                                (const char *) sqlite3_column_text (stmt, 7),
                                                sqlite3_column_int (stmt, 8),
                                                sqlite3_column_int (stmt, 9)));
    }
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  TsuGroupList *self = TSU_GROUP_LIST (model);
  gint64 rowid;
  TsuGroupItem *item;

  if (position >= self->rowids->len)
    return NULL;
  rowid = g_array_index (self->rowids, gint64, position);
  item = g_hash_table_lookup (self->cache, &rowid);
  if (item == NULL)
    {
      fetch_page (self, position);
      item = g_hash_table_lookup (self->cache, &rowid);
    }
  if (item == NULL)
    /* Deleted under us: an empty row until the next query lands. */
    return tsu_group_item_new ("", "", "", NULL, NULL, NULL, 0, 0);
  return g_object_ref (item);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static gboolean
same_rowids (GArray *a,
             GArray *b)
{
  return a->len == b->len && memcmp (a->data, b->data, a->len * sizeof (gint64)) == 0;
}

/* Puts a query's result in place: when the rows are the same, only the rows
 * written since are announced, so selection and scrolling stay put. */
static void
apply_result (TsuGroupList *self,
              GArray       *rowids)
{
  guint old_n = self->rowids->len;

  if (same_rowids (self->rowids, rowids))
    {
      GHashTableIter iter;
      gpointer key;
      g_autoptr(GHashTable) changed = g_hash_table_new (g_int64_hash, g_int64_equal);
      GHashTableIter citer;
      gpointer ckey, cvalue;

      g_hash_table_iter_init (&citer, self->cache);
      while (g_hash_table_iter_next (&citer, &ckey, &cvalue))
        {
          g_hash_table_iter_init (&iter, self->pending_ids);
          while (g_hash_table_iter_next (&iter, &key, NULL))
            if (g_strcmp0 (tsu_group_item_get_id (cvalue), key) == 0)
              g_hash_table_add (changed, ckey);
        }
      for (guint i = 0; i < rowids->len && g_hash_table_size (changed) > 0; i++)
        {
          gint64 r = g_array_index (rowids, gint64, i);
          if (g_hash_table_contains (changed, &r))
            {
              g_hash_table_remove (changed, &r);
              g_hash_table_remove (self->cache, &r);
              g_list_model_items_changed (G_LIST_MODEL (self), i, 1, 1);
            }
        }
      g_array_unref (rowids);
    }
  else
    {
      g_array_unref (self->rowids);
      self->rowids = rowids;
      g_hash_table_remove_all (self->cache);
      g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, self->rowids->len);
      if (old_n != self->rowids->len)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_hash_table_remove_all (self->pending_ids);
  g_signal_emit (self, signals[UPDATED], 0);
}

static void
set_loading (TsuGroupList *self,
             gboolean      loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
query_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  TsuGroupList *self = source_object;
  TsuGroupQuery *q = task_data;
  GError *error = NULL;
  GArray *rowids;

  g_mutex_lock (&self->reader_lock);
  if (self->reader == NULL)
    self->reader = tsu_store_open_reader (self->store, &error);
  rowids = self->reader ? tsu_group_query_run (self->reader, q, &error) : NULL;
  g_mutex_unlock (&self->reader_lock);
  if (rowids == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rowids, (GDestroyNotify) g_array_unref);
}

static void
query_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);
  guint generation = GPOINTER_TO_UINT (user_data);
  g_autoptr(GError) error = NULL;
  GArray *rowids = g_task_propagate_pointer (G_TASK (result), &error);

  self->running--;
  if (rowids == NULL)
    g_warning ("Cannot list groups: %s", error->message);
  else if (generation != self->generation)
    g_array_unref (rowids);  /* a newer query is on its way */
  else
    apply_result (self, rowids);
  if (self->running == 0)
    set_loading (self, FALSE);
}

static void
start_query (TsuGroupList *self)
{
  g_autoptr(GTask) task = NULL;

  self->generation++;
  self->running++;
  set_loading (self, TRUE);
  task = g_task_new (self, NULL, query_done_cb, GUINT_TO_POINTER (self->generation));
  g_task_set_task_data (task, tsu_group_query_copy (self->query),
                        (GDestroyNotify) tsu_group_query_free);
  g_task_run_in_thread (task, query_thread);
}

static void
store_changed_cb (TsuGroupList       *self,
                  const char         *collection,
                  const char * const *ids)
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
  g_mutex_clear (&self->reader_lock);
  g_array_unref (self->rowids);
  g_hash_table_unref (self->cache);
  g_hash_table_unref (self->pending_ids);
  tsu_group_query_free (self->query);
  G_OBJECT_CLASS (tsu_group_list_parent_class)->finalize (object);
}

static void
tsu_group_list_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TsuGroupList *self = TSU_GROUP_LIST (object);

  switch (prop_id)
    {
    case PROP_LOADING: g_value_set_boolean (value, self->loading); break;
    case PROP_N_ITEMS: g_value_set_uint (value, self->rowids->len); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_group_list_class_init (TsuGroupListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_group_list_dispose;
  object_class->finalize = tsu_group_list_finalize;
  object_class->get_property = tsu_group_list_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuGroupList::updated:
   *
   * Emitted when a query's result is in place (the list shows it).
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsu_group_list_init (TsuGroupList *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cache = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
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
tsu_group_list_set_query (TsuGroupList        *self,
                          const TsuGroupQuery *query)
{
  g_return_if_fail (TSU_IS_GROUP_LIST (self));

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
tsu_group_list_set_query_sync (TsuGroupList         *self,
                               const TsuGroupQuery  *query,
                               GError              **error)
{
  GArray *rowids;

  tsu_group_query_free (self->query);
  self->query = tsu_group_query_copy (query);

  tsu_store_lock (self->store);
  rowids = tsu_group_query_run (tsu_store_get_db (self->store), self->query, error);
  tsu_store_unlock (self->store);
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
tsu_group_list_find (TsuGroupList *self,
                     const char   *id)
{
  sqlite3 *db = tsu_store_get_db (self->store);
  sqlite3_stmt *stmt = NULL;
  gint64 rowid = -1;

  tsu_store_lock (self->store);
  if (sqlite3_prepare_v2 (db, "SELECT rowid FROM groups WHERE id = ?", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        rowid = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);
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
