/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-record-list.h"
#include "tsu-store-private.h"

#define PAGE_SIZE 64
#define SLOT_LIMIT 4096
/* Rows of a new search shown before the whole result. More than a screen:
 * GTK 4.8's list view keeps about 200 row widgets, and a shorter list
 * makes it destroy them (and build them again for the whole result),
 * which costs more than relabelling them. */
#define FIRST_PAGE 256
/* Rows whose cells a query reads with its result, besides those shown. */
#define PREFETCH 128

struct _TsuRecordList
{
  GObject              parent_instance;
  TsuStore            *store;
  const TsuCollection *collection;
  GPtrArray           *columns; /* char *, shared with the items */
  TsuRecordQuery      *query;
  GArray              *rowids;        /* gint64, the shown rows in order */
  guint                rowids_serial; /* bumped whenever rowids change */
  GHashTable          *slots;         /* position → TsuRecordItem shown there */
  GHashTable          *pages_pending; /* page number → TRUE while read */
  GHashTable          *cells;         /* rowid → TsuRowCells read with the result or a page */
  GMutex               reader_lock;
  sqlite3             *reader;            /* used by one worker at a time */
  guint                generation;        /* atomic: workers read it to give up */
  guint                worker_generation; /* the reader's query (under reader_lock) */
  guint                complete_generation;
  guint                running;
  gboolean             loading;
  gboolean             complete; /* FALSE while only a first page is shown */
  gboolean             sync_reads;
  GStrv                watched; /* other collections the computed columns read */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TsuRecordList,
                               tsu_record_list,
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

/* ---- the worker's reader ---- */

static int
reader_progress_cb (void *data)
{
  TsuRecordList *self = data;

  /* Lets a query stop as soon as a newer one is asked for. */
  return (guint)g_atomic_int_get (&self->generation) != self->worker_generation;
}

/* Takes the worker's reader (opening it once); NULL with @error when the
 * file cannot be read. Release with g_mutex_unlock (&self->reader_lock). */
static sqlite3 *
worker_reader (TsuRecordList *self, guint generation, GError **error)
{
  g_mutex_lock (&self->reader_lock);
  if (self->reader == NULL)
    {
      self->reader = tsu_store_open_reader (self->store, error);
      if (self->reader != NULL)
        sqlite3_progress_handler (self->reader, 1000, reader_progress_cb, self);
    }
  self->worker_generation = generation;
  return self->reader;
}

static char **
column_names (TsuRecordList *self)
{
  return (char **)self->columns->pdata;
}

/* Cells of @rowids → a table rowid → TsuRowCells. */
static GHashTable *
read_cells (
    TsuRecordList *self, sqlite3 *db, const TsuRecordQuery *query, GArray *rowids, GError **error)
{
  GHashTable *map = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                           (GDestroyNotify)tsu_row_cells_free);
  g_autoptr (GPtrArray) rows = NULL;

  if (rowids->len == 0)
    return map;
  rows = tsu_record_query_read_cells (db, query, (const char *const *)column_names (self),
                                      (const gint64 *)rowids->data, rowids->len, error);
  if (rows == NULL)
    {
      g_hash_table_unref (map);
      return NULL;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      TsuRowCells *row = g_ptr_array_index (rows, i);

      if (row == NULL)
        continue;
      g_ptr_array_index (rows, i) = NULL;
      g_hash_table_replace (map, &row->rowid, row);
    }
  return map;
}

/* ---- GListModel ---- */

static GType
get_item_type (GListModel *model)
{
  return TSU_TYPE_RECORD_ITEM;
}

static guint
get_n_items (GListModel *model)
{
  return TSU_RECORD_LIST (model)->rowids->len;
}

/* Keeps rows read with a result or a page, so that the view's first
 * get_item() of them needs no read. Bounded: a walk through a long list
 * starts again. */
static void
remember_cells (TsuRecordList *self, GHashTable *cells)
{
  GHashTableIter iter;
  gpointer       value;

  if (g_hash_table_size (self->cells) > 4 * SLOT_LIMIT)
    g_hash_table_remove_all (self->cells);
  g_hash_table_iter_init (&iter, cells);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      TsuRowCells *row = value;

      g_hash_table_iter_steal (&iter);
      g_hash_table_replace (self->cells, &row->rowid, row);
    }
}

/* Fills the slots whose rowid has cells in @cells; the others (still
 * placeholders) are left for a page read. */
static void
fill_slots (TsuRecordList *self, GHashTable *cells)
{
  GHashTableIter iter;
  gpointer       value;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      gint64       rowid = tsu_record_item_get_rowid (value);
      TsuRowCells *row = g_hash_table_lookup (cells, &rowid);

      if (row != NULL)
        tsu_record_item_set (value, row->rowid, row->id, row->cells);
    }
}

typedef struct
{
  TsuRecordQuery *query;
  GArray         *rowids;
  guint           serial;
  guint           page;
} PageTask;

static void
page_task_free (PageTask *t)
{
  tsu_record_query_free (t->query);
  g_array_unref (t->rowids);
  g_free (t);
}

static void
page_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TsuRecordList *self = source_object;
  PageTask      *t = task_data;
  GError        *error = NULL;
  guint          generation = (guint)g_atomic_int_get (&self->generation);
  sqlite3       *db = worker_reader (self, generation, &error);
  GHashTable    *cells = db ? read_cells (self, db, t->query, t->rowids, &error) : NULL;

  g_mutex_unlock (&self->reader_lock);
  /* A newer query interrupts a page read in flight (the progress handler):
   * that is a cancellation, not a fault; the new query asks for its own
   * pages. */
  if (cells == NULL && generation != (guint)g_atomic_int_get (&self->generation))
    {
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "superseded");
    }
  else if (cells == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, cells, (GDestroyNotify)g_hash_table_unref);
}

static void
page_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuRecordList *self = TSU_RECORD_LIST (object);
  PageTask      *t = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) cells = g_task_propagate_pointer (G_TASK (result), &error);

  g_hash_table_remove (self->pages_pending, GUINT_TO_POINTER (t->page));
  if (cells == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read rows of %s: %s", self->collection->name, error->message);
      return;
    }
  /* Slots whose position holds another row by now keep waiting: they are
   * matched by rowid. */
  fill_slots (self, cells);
  remember_cells (self, cells);
}

/* Reads the page holding @position in a worker (or here, for the command
 * line and tests). */
static void
request_page (TsuRecordList *self, guint position)
{
  guint page = position / PAGE_SIZE;
  guint first = page * PAGE_SIZE, last = MIN (first + PAGE_SIZE, self->rowids->len);
  g_autoptr (GTask) task = NULL;
  PageTask *t;

  if (g_hash_table_contains (self->pages_pending, GUINT_TO_POINTER (page)))
    return;
  t = g_new0 (PageTask, 1);
  t->query = tsu_record_query_copy (self->query);
  t->rowids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), last - first);
  g_array_append_vals (t->rowids, &g_array_index (self->rowids, gint64, first), last - first);
  t->page = page;

  if (self->sync_reads)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GHashTable) cells = NULL;
      sqlite3 *db = worker_reader (self, (guint)g_atomic_int_get (&self->generation), &error);

      if (db != NULL)
        cells = read_cells (self, db, t->query, t->rowids, &error);
      g_mutex_unlock (&self->reader_lock);
      if (cells != NULL)
        {
          fill_slots (self, cells);
          remember_cells (self, cells);
        }
      else
        g_warning ("Cannot read rows of %s: %s", self->collection->name, error->message);
      page_task_free (t);
      return;
    }
  g_hash_table_add (self->pages_pending, GUINT_TO_POINTER (page));
  task = g_task_new (self, NULL, page_done_cb, NULL);
  g_task_set_task_data (task, t, (GDestroyNotify)page_task_free);
  g_task_run_in_thread (task, page_thread);
}

/* Drops slots nobody else holds when there are many (a test may have
 * walked the whole list). */
static void
trim_slots (TsuRecordList *self)
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
  TsuRecordList *self = TSU_RECORD_LIST (model);
  TsuRecordItem *slot;
  gint64         rowid;

  if (position >= self->rowids->len)
    return NULL;
  rowid = g_array_index (self->rowids, gint64, position);
  slot = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (position));
  if (slot == NULL)
    {
      trim_slots (self);
      slot = tsu_record_item_new (self->columns);
      g_hash_table_insert (self->slots, GUINT_TO_POINTER (position), slot);
    }
  if (tsu_record_item_get_rowid (slot) != rowid || !tsu_record_item_get_loaded (slot))
    {
      TsuRowCells *row = g_hash_table_lookup (self->cells, &rowid);

      if (row != NULL)
        {
          tsu_record_item_set (slot, row->rowid, row->id, row->cells);
          return g_object_ref (slot);
        }
    }
  if (tsu_record_item_get_rowid (slot) != rowid || !tsu_record_item_get_loaded (slot))
    {
      /* Every slot of the page waits for the same read. */
      guint first = position - position % PAGE_SIZE;
      guint last = MIN (first + PAGE_SIZE, self->rowids->len);

      for (guint p = first; p < last; p++)
        {
          TsuRecordItem *s = g_hash_table_lookup (self->slots, GUINT_TO_POINTER (p));
          gint64         r = g_array_index (self->rowids, gint64, p);

          if (s != NULL && tsu_record_item_get_rowid (s) != r)
            tsu_record_item_set_placeholder (s, r);
        }
      tsu_record_item_set_placeholder (slot, rowid);
      request_page (self, position);
    }
  return g_object_ref (slot);
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* ---- queries ---- */

static void
set_complete (TsuRecordList *self, gboolean complete)
{
  if (self->complete == complete)
    return;
  self->complete = complete;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COMPLETE]);
}

static void
set_loading (TsuRecordList *self, gboolean loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Puts a query's result (or, @complete FALSE, its first rows) in place.
 * The list keeps one item per position (a slot): rows that stay get
 * relabelled in place, with the cells the worker read with the result,
 * and only the change in length is announced, so the view keeps its row
 * widgets instead of building them again. */
static void
apply_result (TsuRecordList *self, GArray *rowids, GHashTable *cells, gboolean complete)
{
  guint          old_n = self->rowids->len, new_n = rowids->len, common = MIN (old_n, new_n);
  gint64         t0 = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer       key, value;
  guint          waiting = 0;

  if (old_n != new_n
      || (common > 0 && memcmp (self->rowids->data, rowids->data, common * sizeof (gint64)) != 0))
    g_signal_emit (self, signals[RESETTING], 0);
  g_array_unref (self->rowids);
  self->rowids = g_array_ref (rowids);
  self->rowids_serial++;
  g_hash_table_remove_all (self->pages_pending);
  /* Rows read before may have changed: only this result's cells count. */
  g_hash_table_remove_all (self->cells);

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      guint        pos = GPOINTER_TO_UINT (key);
      gint64       rowid;
      TsuRowCells *row;

      if (pos >= new_n)
        {
          /* Emptied: the view drops it with the tail below. */
          g_hash_table_iter_remove (&iter);
          continue;
        }
      rowid = g_array_index (rowids, gint64, pos);
      row = cells ? g_hash_table_lookup (cells, &rowid) : NULL;
      if (row != NULL)
        tsu_record_item_set (value, row->rowid, row->id, row->cells);
      else
        {
          tsu_record_item_set_placeholder (value, rowid);
          waiting++;
        }
    }
  /* Slots the worker did not read (the view asked for them meanwhile). */
  if (waiting > 0)
    {
      g_hash_table_iter_init (&iter, self->slots);
      while (g_hash_table_iter_next (&iter, &key, &value))
        if (!tsu_record_item_get_loaded (value))
          request_page (self, GPOINTER_TO_UINT (key));
    }
  if (cells != NULL)
    remember_cells (self, cells);
  set_complete (self, complete);

  if (old_n != new_n)
    {
      g_list_model_items_changed (G_LIST_MODEL (self), common, old_n - common, new_n - common);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
    }
  g_signal_emit (self, signals[UPDATED], 0);
  if (g_getenv ("TSU_DEBUG_LIST"))
    g_printerr ("%s %s %u->%u: %.2f ms, %u waiting\n", self->collection->name,
                complete ? "result" : "first rows", old_n, new_n,
                (g_get_monotonic_time () - t0) / 1000.0, waiting);
}

/* What a worker reads: the rowids, and the cells of the positions already
 * shown and of the first rows. */
typedef struct
{
  GArray     *rowids;
  GHashTable *cells;
} Result;

static void
result_free (Result *r)
{
  g_clear_pointer (&r->rowids, g_array_unref);
  g_clear_pointer (&r->cells, g_hash_table_unref);
  g_free (r);
}

typedef struct
{
  TsuRecordQuery *query;
  guint           generation;
  gboolean        first_page;
  GArray         *positions; /* guint: the slots held when the query started */
} QueryTask;

static void
query_task_free (QueryTask *t)
{
  tsu_record_query_free (t->query);
  g_array_unref (t->positions);
  g_free (t);
}

static GArray *
rowids_at (GArray *rowids, GArray *positions, guint prefetch)
{
  GArray *out = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < MIN (prefetch, rowids->len); i++)
    g_array_append_val (out, g_array_index (rowids, gint64, i));
  for (guint i = 0; positions && i < positions->len; i++)
    {
      guint p = g_array_index (positions, guint, i);

      if (p >= prefetch && p < rowids->len)
        g_array_append_val (out, g_array_index (rowids, gint64, p));
    }
  return out;
}

typedef struct
{
  TsuRecordList *self;
  Result        *result;
  guint          generation;
} FirstPage;

static gboolean
first_page_cb (gpointer data)
{
  FirstPage     *fp = data;
  TsuRecordList *self = fp->self;

  /* Shown only while its query is the newest and not yet complete. */
  if (fp->generation == (guint)g_atomic_int_get (&self->generation)
      && fp->generation != self->complete_generation)
    apply_result (self, fp->result->rowids, fp->result->cells, FALSE);
  return G_SOURCE_REMOVE;
}

static void
first_page_free (gpointer data)
{
  FirstPage *fp = data;

  g_object_unref (fp->self);
  result_free (fp->result);
  g_free (fp);
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TsuRecordList *self = source_object;
  QueryTask     *t = task_data;
  GError        *error = NULL;
  Result        *result = NULL;
  sqlite3       *db = worker_reader (self, t->generation, &error);

  if (db != NULL && t->first_page && t->generation == (guint)g_atomic_int_get (&self->generation))
    {
      /* Two steps: the first screen of rows as soon as found, then the
       * whole list and its count. */
      GArray *first = tsu_record_query_run_first (db, t->query, FIRST_PAGE, NULL);

      if (first != NULL)
        {
          g_autoptr (GSource) idle = g_idle_source_new ();
          FirstPage *fp = g_new0 (FirstPage, 1);
          g_autoptr (GArray) wanted = rowids_at (first, NULL, FIRST_PAGE);

          fp->self = g_object_ref (self);
          fp->result = g_new0 (Result, 1);
          fp->result->rowids = first;
          fp->result->cells = read_cells (self, db, t->query, wanted, NULL);
          fp->generation = t->generation;
          /* Always from the main loop (g_main_context_invoke() could run it
           * here, in this thread, when the main context is free). */
          g_source_set_priority (idle, g_task_get_priority (task));
          g_source_set_callback (idle, first_page_cb, fp, first_page_free);
          g_source_attach (idle, g_task_get_context (task));
        }
    }
  if (db != NULL)
    {
      GArray *rowids = tsu_record_query_run (db, t->query, &error);

      if (rowids != NULL)
        {
          g_autoptr (GArray) wanted = rowids_at (rowids, t->positions, PREFETCH);

          result = g_new0 (Result, 1);
          result->rowids = rowids;
          result->cells = read_cells (self, db, t->query, wanted, &error);
          if (result->cells == NULL)
            g_clear_pointer (&result, result_free);
        }
    }
  g_mutex_unlock (&self->reader_lock);
  if (result == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify)result_free);
}

static void
query_done_cb (GObject *object, GAsyncResult *res, gpointer user_data)
{
  TsuRecordList *self = TSU_RECORD_LIST (object);
  guint          generation = GPOINTER_TO_UINT (user_data);
  g_autoptr (GError) error = NULL;
  Result *result = g_task_propagate_pointer (G_TASK (res), &error);

  self->running--;
  if (generation != self->generation)
    ; /* a newer query is on its way */
  else if (result == NULL)
    g_warning ("Cannot list %s: %s", self->collection->name, error->message);
  else
    {
      self->complete_generation = generation;
      apply_result (self, result->rowids, result->cells, TRUE);
    }
  g_clear_pointer (&result, result_free);
  if (self->running == 0)
    set_loading (self, FALSE);
}

static GArray *
held_positions (TsuRecordList *self)
{
  GArray        *positions = g_array_new (FALSE, FALSE, sizeof (guint));
  GHashTableIter iter;
  gpointer       key;

  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      guint p = GPOINTER_TO_UINT (key);
      g_array_append_val (positions, p);
    }
  return positions;
}

static void
start_query (TsuRecordList *self, gboolean first_page)
{
  g_autoptr (GTask) task = NULL;
  QueryTask *t = g_new0 (QueryTask, 1);

  t->generation = (guint)g_atomic_int_add (&self->generation, 1) + 1;
  t->query = tsu_record_query_copy (self->query);
  t->first_page = first_page;
  t->positions = held_positions (self);
  self->running++;
  set_loading (self, TRUE);
  task = g_task_new (self, NULL, query_done_cb, GUINT_TO_POINTER (t->generation));
  g_task_set_task_data (task, t, (GDestroyNotify)query_task_free);
  g_task_run_in_thread (task, query_thread);
}

static void
store_changed_cb (TsuRecordList *self, const char *collection, const char *const *ids)
{
  if (g_strcmp0 (collection, self->collection->name) != 0
      && !(self->watched && g_strv_contains ((const char *const *)self->watched, collection)))
    return;
  /* The same query again: the whole result at once, so the view keeps its
   * place instead of shrinking to a first page; the rows shown are read
   * again with it (also those changed by another program: no ids). */
  if (self->sync_reads)
    {
      g_autoptr (GError) error = NULL;

      if (!tsu_record_list_set_query_sync (self, self->query, &error))
        g_warning ("Cannot list %s: %s", self->collection->name, error->message);
      return;
    }
  start_query (self, FALSE);
}

/* ---- the object ---- */

static void
tsu_record_list_dispose (GObject *object)
{
  TsuRecordList *self = TSU_RECORD_LIST (object);

  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_record_list_parent_class)->dispose (object);
}

static void
tsu_record_list_finalize (GObject *object)
{
  TsuRecordList *self = TSU_RECORD_LIST (object);

  g_clear_pointer (&self->reader, sqlite3_close);
  g_mutex_clear (&self->reader_lock);
  g_array_unref (self->rowids);
  g_hash_table_unref (self->slots);
  g_hash_table_unref (self->pages_pending);
  g_hash_table_unref (self->cells);
  g_ptr_array_unref (self->columns);
  tsu_record_query_free (self->query);
  g_strfreev (self->watched);
  G_OBJECT_CLASS (tsu_record_list_parent_class)->finalize (object);
}

static void
tsu_record_list_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRecordList *self = TSU_RECORD_LIST (object);

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
tsu_record_list_class_init (TsuRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_record_list_dispose;
  object_class->finalize = tsu_record_list_finalize;
  object_class->get_property = tsu_record_list_get_property;

  properties[PROP_LOADING]
      = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS]
      = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /**
   * TsuRecordList:complete:
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
   * TsuRecordList::resetting:
   *
   * Emitted before every row is replaced. A selection model on top should
   * drop its selection now: GtkSingleSelection otherwise looks for the
   * selected item among all the new rows, reading every one of them.
   */
  signals[RESETTING] = g_signal_new ("resetting", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * TsuRecordList::updated:
   *
   * Emitted when a query's result is in place: the first rows of a new
   * search (TsuRecordList:complete is then %FALSE), and again when the
   * whole result is.
   */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsu_record_list_init (TsuRecordList *self)
{
  self->rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->slots = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
  self->pages_pending = g_hash_table_new (NULL, NULL);
  self->cells = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL,
                                       (GDestroyNotify)tsu_row_cells_free);
  self->complete = TRUE;
  g_mutex_init (&self->reader_lock);
}

/**
 * tsu_record_list_new:
 * @columns: the columns its items hold (fields or computed columns)
 *
 * The list starts empty; set a query to fill it.
 *
 * Returns: (transfer full): a new list
 */
TsuRecordList *
tsu_record_list_new (TsuStore *store, const TsuCollection *collection, const char *const *columns)
{
  TsuRecordList *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (collection != NULL, NULL);

  self = g_object_new (TSU_TYPE_RECORD_LIST, NULL);
  self->store = g_object_ref (store);
  self->collection = collection;
  self->query = tsu_record_query_new (collection);
  self->columns = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; columns && columns[i]; i++)
    {
      g_return_val_if_fail (tsu_collection_lookup_column (collection, columns[i]) != NULL, self);
      g_ptr_array_add (self->columns, g_strdup (columns[i]));
    }
  g_ptr_array_add (self->columns, NULL);
  g_ptr_array_set_size (self->columns, self->columns->len - 1);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

TsuStore *
tsu_record_list_get_store (TsuRecordList *self)
{
  return self->store;
}

const TsuCollection *
tsu_record_list_get_collection (TsuRecordList *self)
{
  return self->collection;
}

const TsuRecordQuery *
tsu_record_list_get_query (TsuRecordList *self)
{
  return self->query;
}

/**
 * tsu_record_list_set_query:
 *
 * Runs @query in a worker thread; "updated" is emitted when the list shows
 * its result. A newer query supersedes one still running.
 */
void
tsu_record_list_set_query (TsuRecordList *self, const TsuRecordQuery *query)
{
  g_return_if_fail (TSU_IS_RECORD_LIST (self));
  g_return_if_fail (query->collection == self->collection);

  if (self->query != query)
    {
      tsu_record_query_free (self->query);
      self->query = tsu_record_query_copy (query);
    }
  self->sync_reads = FALSE;
  start_query (self, TRUE);
}

/**
 * tsu_record_list_set_query_sync:
 *
 * Runs @query on the store's reader in this thread, and from then on reads
 * rows in this thread when asked for them (the command line, tests).
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_record_list_set_query_sync (TsuRecordList *self, const TsuRecordQuery *query, GError **error)
{
  GArray  *rowids = NULL;
  guint    generation;
  sqlite3 *db;

  g_return_val_if_fail (query->collection == self->collection, FALSE);

  if (self->query != query)
    {
      tsu_record_query_free (self->query);
      self->query = tsu_record_query_copy (query);
    }
  self->sync_reads = TRUE;
  generation = (guint)g_atomic_int_add (&self->generation, 1) + 1;
  db = worker_reader (self, generation, error);
  if (db != NULL)
    rowids = tsu_record_query_run (db, self->query, error);
  g_mutex_unlock (&self->reader_lock);
  if (rowids == NULL)
    return FALSE;
  self->complete_generation = generation;
  {
    g_autoptr (GArray) positions = held_positions (self);
    g_autoptr (GArray) wanted = rowids_at (rowids, positions, 0);
    g_autoptr (GHashTable) cells = NULL;

    db = worker_reader (self, generation, error);
    cells = db ? read_cells (self, db, self->query, wanted, error) : NULL;
    g_mutex_unlock (&self->reader_lock);
    if (cells == NULL)
      {
        g_array_unref (rowids);
        return FALSE;
      }
    apply_result (self, rowids, cells, TRUE);
  }
  g_array_unref (rowids);
  return TRUE;
}

gboolean
tsu_record_list_get_loading (TsuRecordList *self)
{
  return self->loading;
}

gboolean
tsu_record_list_get_complete (TsuRecordList *self)
{
  return self->complete;
}

typedef struct
{
  const char *table;
  const char *id;
  gint64      rowid;
} FindRowid;

static gboolean
find_rowid_read (sqlite3 *db, gpointer data, GError **error)
{
  FindRowid       *f = data;
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM \"%s\" WHERE id = ?", f->table);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, f->id, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        f->rowid = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/**
 * tsu_record_list_find:
 *
 * Returns: the position of the record with @id, or %G_MAXUINT
 */
guint
tsu_record_list_find (TsuRecordList *self, const char *id)
{
  GHashTableIter iter;
  gpointer       key, value;
  FindRowid      f = { self->collection->name, id, -1 };

  g_return_val_if_fail (TSU_IS_RECORD_LIST (self), G_MAXUINT);

  /* Shown rows first: no reading at all. */
  g_hash_table_iter_init (&iter, self->slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (tsu_record_item_get_id (value), id) == 0)
      return GPOINTER_TO_UINT (key);
  /* One indexed lookup on the store's reader (never waits for a writer). */
  tsu_store_read (self->store, find_rowid_read, &f, NULL);
  for (guint i = 0; f.rowid >= 0 && i < self->rowids->len; i++)
    if (g_array_index (self->rowids, gint64, i) == f.rowid)
      return i;
  return G_MAXUINT;
}

/**
 * tsu_record_list_get_rowids:
 *
 * Returns: (transfer none) (element-type gint64): the shown rows
 */
GArray *
tsu_record_list_get_rowids (TsuRecordList *self)
{
  return self->rowids;
}

/**
 * tsu_record_list_watch:
 * @collection: another collection's name
 *
 * Reads the list again when @collection changes too: for computed columns
 * that count or name rows of another collection (a request's confirmed
 * people are matches).
 */
void
tsu_record_list_watch (TsuRecordList *self, const char *collection)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  g_return_if_fail (TSU_IS_RECORD_LIST (self));
  if (self->watched && g_strv_contains ((const char *const *)self->watched, collection))
    return;
  if (self->watched)
    g_strv_builder_addv (b, (const char **)self->watched);
  g_strv_builder_add (b, collection);
  g_strfreev (self->watched);
  self->watched = g_strv_builder_end (b);
}
