/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group-list.h"
#include "tsu-store-private.h"

#define PAGE_SIZE 64
#define SLOT_LIMIT 4096
/* Rows of a new search shown before the whole result. More than a screen:
 * GTK 4.8's list view keeps about 200 row widgets, and a shorter list
 * makes it destroy them (and build them again for the whole result),
 * which costs more than relabelling them. */
#define FIRST_PAGE 256

struct _TsuGroupList
{
  GObject        parent_instance;
  TsuStore      *store;
  TsuGroupQuery *query;
  GArray        *rowids;      /* gint64, the shown rows in order */
  GHashTable    *slots;       /* position → TsuGroupItem shown there */
  GHashTable    *pending_ids; /* ids written since the last query */
  gboolean       refresh_all; /* written elsewhere: every shown row may differ */
  GMutex         reader_lock;
  sqlite3       *reader;            /* used by one worker at a time */
  sqlite3       *page_reader;       /* the main thread's: pages and lookups */
  guint          generation;        /* atomic: workers read it to give up */
  guint          worker_generation; /* the reader's query (under reader_lock) */
  guint          complete_generation;
  guint          running;
  gboolean       loading;
  gboolean       complete; /* FALSE while only a first page is shown */
};

/* A worker's query: a copy of the query and whether to show a first page
 * before the whole result. */
typedef struct
{
  TsuGroupQuery *query;
  guint          generation;
  gboolean       first_page;
} QueryTask;

static void
query_task_free (QueryTask *t)
{
  tsu_group_query_free (t->query);
  g_free (t);
}

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
  PROP_COMPLETE,
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

static void
set_complete (TsuGroupList *self, gboolean complete)
{
  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

/* Puts a query's result (or, @complete FALSE, its first rows) in place.
 * The list keeps one item per position (a slot): rows that stay get
 * relabelled in place (property notifications), and only the change in
 * length is announced, so the view keeps its row widgets instead of
 * building them again. */
static void
apply_result (TsuGroupList *self, GArray *rowids, gboolean complete)
{
  guint  old_n = self->rowids->len, new_n = rowids->len, common = MIN (old_n, new_n);
  gint64 t0 = g_get_monotonic_time ();
  g_autoptr (GArray) refill = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer       key, value;

  /* An empty array's data may be NULL: memcmp must not see it. */
  if (old_n != new_n
      || (common > 0 && memcmp (self->rowids->data, rowids->data, common * sizeof (gint64)) != 0))
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
          || self->refresh_all
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
  /* A first page keeps the pending ids: the whole result relabels them. */
  if (complete)
    {
      g_hash_table_remove_all (self->pending_ids);
      self->refresh_all = FALSE;
    }
  set_complete (self, complete);

  if (old_n != new_n)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, new_n - common);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_signal_emit (self, signals[UPDATED], 0);
  if (g_getenv ("TSU_DEBUG_LIST"))
    g_printerr ("%s %u->%u: %.2f ms, %u relabelled\n", complete ? "result" : "first rows", old_n,
                new_n, (g_get_monotonic_time () - t0) / 1000.0, refill->len);
}

static void
set_loading (TsuGroupList *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Lets a worker's statement stop as soon as a newer query is asked for. */
static int
reader_progress_cb (void *data)
{
  TsuGroupList *self = data;

  return (guint)g_atomic_int_get (&self->generation) != self->worker_generation;
}

typedef struct
{
  TsuGroupList *self;
  GArray       *rowids;
  guint         generation;
} FirstPage;

static gboolean
first_page_cb (gpointer data)
{
  FirstPage    *fp = data;
  TsuGroupList *self = fp->self;

  /* Shown only while its query is the newest and not yet complete. */
  if (fp->generation == (guint)g_atomic_int_get (&self->generation)
      && fp->generation != self->complete_generation)
    apply_result (self, g_steal_pointer (&fp->rowids), FALSE);
  return G_SOURCE_REMOVE;
}

static void
first_page_free (gpointer data)
{
  FirstPage *fp = data;

  g_object_unref (fp->self);
  g_clear_pointer (&fp->rowids, g_array_unref);
  g_free (fp);
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TsuGroupList *self = source_object;
  QueryTask    *t = task_data;
  GError       *error = NULL;
  GArray       *rowids = NULL;

  g_mutex_lock (&self->reader_lock);
  if (self->reader == NULL)
    {
      self->reader = tsu_store_open_reader (self->store, &error);
      if (self->reader != NULL)
        sqlite3_progress_handler (self->reader, 1000, reader_progress_cb, self);
    }
  self->worker_generation = t->generation;
  if (self->reader != NULL && t->first_page
      && t->generation == (guint)g_atomic_int_get (&self->generation))
    {
      /* Two steps: the first screen of rows as soon as found, then the
       * whole list and its count. */
      GArray *first = tsu_group_query_run_first (self->reader, t->query, FIRST_PAGE, NULL);

      if (first != NULL)
        {
          FirstPage *fp = g_new0 (FirstPage, 1);

          fp->self = g_object_ref (self);
          fp->rowids = first;
          fp->generation = t->generation;
          g_autoptr (GSource) idle = g_idle_source_new ();

          /* Always from the main loop (g_main_context_invoke() could run it
           * here, in this thread, when the main context is free). */
          g_source_set_priority (idle, g_task_get_priority (task));
          g_source_set_callback (idle, first_page_cb, fp, first_page_free);
          g_source_attach (idle, g_task_get_context (task));
        }
    }
  if (self->reader != NULL)
    rowids = tsu_group_query_run (self->reader, t->query, &error);
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
  if (generation != self->generation)
    g_clear_pointer (&rowids, g_array_unref); /* a newer query is on its way */
  else if (rowids == NULL)
    g_warning ("Cannot list groups: %s", error->message);
  else
    {
      self->complete_generation = generation;
      apply_result (self, rowids, TRUE);
    }
  if (self->running == 0)
    set_loading (self, FALSE);
}

static void
start_query (TsuGroupList *self, gboolean first_page)
{
  g_autoptr (GTask) task = NULL;
  QueryTask *t = g_new0 (QueryTask, 1);

  t->generation = (guint)g_atomic_int_add (&self->generation, 1) + 1;
  t->query = tsu_group_query_copy (self->query);
  t->first_page = first_page;
  self->running++;
  set_loading (self, TRUE);
  task = g_task_new (self, NULL, query_done_cb, GUINT_TO_POINTER (t->generation));
  g_task_set_task_data (task, t, (GDestroyNotify)query_task_free);
  g_task_run_in_thread (task, query_thread);
}

static void
store_changed_cb (TsuGroupList *self, const char *collection, const char *const *ids)
{
  if (g_strcmp0 (collection, "groups") != 0)
    return;
  for (guint i = 0; ids && ids[i]; i++)
    g_hash_table_add (self->pending_ids, g_strdup (ids[i]));
  /* No ids: another program wrote the file (TsuStore::changed). */
  if (ids == NULL || ids[0] == NULL)
    self->refresh_all = TRUE;
  /* The same query again: the whole result at once, so the view keeps its
   * place instead of shrinking to a first page. */
  start_query (self, FALSE);
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
    case PROP_COMPLETE:
      g_value_set_boolean (value, self->complete);
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
  /**
   * TsuGroupList:complete:
   *
   * Whether the list holds the whole result of its query. While a new
   * search is looked up it may first hold only the first rows (the list
   * is then still loading), and "n-items" is not yet the count.
   */
  properties[PROP_COMPLETE]
      = g_param_spec_boolean ("complete", NULL, NULL, TRUE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuGroupList::updated:
   *
   * Emitted when a query's result is in place (the list shows it): the
   * first rows of a new search (TsuGroupList:complete is then %FALSE),
   * and again when the whole result is.
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
  self->complete = TRUE;
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
  start_query (self, TRUE);
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
  self->complete_generation = (guint)g_atomic_int_add (&self->generation, 1) + 1;
  apply_result (self, rowids, TRUE);
  return TRUE;
}

gboolean
tsu_group_list_get_loading (TsuGroupList *self)
{
  return self->loading;
}

/**
 * tsu_group_list_get_complete:
 *
 * Returns: whether the list holds its query's whole result (see
 *   TsuGroupList:complete)
 */
gboolean
tsu_group_list_get_complete (TsuGroupList *self)
{
  return self->complete;
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
