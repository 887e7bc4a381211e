/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsu-files.h"
#include "tsu-search.h"
#include "tsu-store-private.h"
#include "tsu-uuid.h"

/* The changes of a local insert's history entry (schema 7 on): its values
 * are those of the record's first version, see history_first_version(). */
#define HISTORY_FIRST_VERSION "{\"@values\":\"first-version\"}"

/* How often another program's commits are looked for (data_version). */
#define WATCH_INTERVAL_MS 1000

/* Marks our files (PRAGMA application_id): "TSUN". A SQLite file of another
 * program is refused instead of being migrated into ours. */
#define TSU_APPLICATION_ID 0x5453554e

typedef enum
{
  ACTION_INSERT,
  ACTION_UPDATE,
  ACTION_DELETE,
  ACTION_UNDELETE,
  ACTION_REMOTE,
} WriteAction;

struct _TsuStore
{
  GObject parent_instance;

  char         *path;
  sqlite3      *db;
  GRecMutex     lock;
  GHashTable   *statements; /* SQL text → sqlite3_stmt*, prepared once */
  GMainContext *context;    /* where "changed" is emitted */

  char *device_id;
  char *author;

  /* Reads from threads that do not hold a transaction go to a read-only
   * connection of their own (WAL): the GTK thread never waits for an
   * import or a sync page holding the writer. */
  GRecMutex   reader_lock;
  sqlite3    *reader;
  GHashTable *reader_statements;
  /* Waiting for another connection's write (busy handler, under the
   * connection's own mutex). */
  guint            busy_timeout_ms;
  TsuStoreWaitFunc busy_waiting;
  gpointer         busy_data;
  gint64           busy_since;
  gboolean         busy_told;
  gboolean         busy_no_wait; /* the watch's poll never waits */

  /* Commits of other connections (PRAGMA data_version), looked for on
   * the main context; guarded by lock. */
  GSource *watch;
  gint64   data_version;

  /* Transaction state, guarded by lock. */
  guint      txn_depth;
  TsuOrigin  txn_origin;
  gpointer   txn_owner; /* the GThread inside a transaction, or NULL */
  GPtrArray *txn_log;   /* Change: what the open transaction wrote */
  GArray    *txn_marks; /* txn_log lengths at each open savepoint */
  /* Search indexes an erasure left old text in: merged once, just before
   * the transaction commits (a pulled page of many erasures: once). */
  GHashTable *txn_optimize;

  /* During a remote batch with the triggers off: collection → BulkIndex,
   * the search index rows to write once at the end of the batch. */
  GHashTable *bulk;
  /* collection → GINT_TO_POINTER (1 + whether its triggers are only those
   * of its search index), looked up once per store. */
  GHashTable *bulk_ok;
};

typedef struct
{
  GString   *rowids; /* JSON array: rows to (re)index */
  JsonArray *stale;  /* [rowid, old search_text]: entries to remove first */
} BulkIndex;

static void
bulk_index_free (BulkIndex *b)
{
  g_string_free (b->rowids, TRUE);
  json_array_unref (b->stale);
  g_free (b);
}

typedef struct
{
  char *collection;
  char *id;
} Change;

static void
change_free (Change *c)
{
  g_free (c->collection);
  g_free (c->id);
  g_free (c);
}

G_DEFINE_FINAL_TYPE (TsuStore, tsu_store, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_PATH,
  PROP_AUTHOR,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-store-error-quark, tsu_store_error)
// clang-format on

guint
tsu_store_schema_version (void)
{
  guint               n;
  const TsuMigration *m = tsu_store_migrations (&n);

  return m[n - 1].version;
}

/**
 * tsu_store_default_path:
 *
 * Returns: the database file used when neither --db nor $TSUNAGU_DB names one.
 */
char *
tsu_store_default_path (void)
{
  const char *env = g_getenv (TSU_STORE_ENV);

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  return g_build_filename (g_get_user_data_dir (), "tsunagu", "tsunagu.sqlite3", NULL);
}

/* What a failed SQLite call means for the person at the desk. A full disk,
 * a read-only file or folder and another program's write are not damage:
 * they get their own code and a message that says how to fix them, never
 * "restore from a backup". */
static TsuStoreError
classify (int code, int errsv)
{
  switch (code)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return TSU_STORE_ERROR_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return TSU_STORE_ERROR_BUSY;
    case SQLITE_FULL:
      return TSU_STORE_ERROR_DISK_FULL;
    case SQLITE_READONLY:
    case SQLITE_PERM:
      return TSU_STORE_ERROR_READ_ONLY;
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
      if (errsv == ENOSPC
#ifdef EDQUOT
          || errsv == EDQUOT
#endif
      )
        return TSU_STORE_ERROR_DISK_FULL;
      if (errsv == EACCES || errsv == EPERM || errsv == EROFS)
        return TSU_STORE_ERROR_READ_ONLY;
      return code == SQLITE_IOERR ? TSU_STORE_ERROR_IO : TSU_STORE_ERROR_OPEN;
    default:
      return TSU_STORE_ERROR_FAILED;
    }
}

/* The message of a classified failure of the database at @path; %NULL
 * for the codes that keep the generic one. */
static char *
describe (TsuStoreError code, int errsv, const char *path)
{
  switch (code)
    {
    case TSU_STORE_ERROR_BUSY:
      return g_strdup_printf (_ ("Another program (an import or a sync) is writing to the database "
                                 "“%s”, and it has not finished yet. Nothing was changed and "
                                 "nothing is damaged: try again when it has finished."),
                              path);
    case TSU_STORE_ERROR_DISK_FULL:
      return g_strdup_printf (_ ("The disk holding the database “%s” is full. The database is not "
                                 "damaged: free some space on that disk and try again."),
                              path);
    case TSU_STORE_ERROR_READ_ONLY:
      if (errsv == EROFS)
        return g_strdup_printf (_ ("The database “%s” is on a disk that cannot be written "
                                   "(mounted read-only, or a locked memory card). The database is "
                                   "not damaged: copy it to a disk that can be written to."),
                                path);
      return g_strdup_printf (_ ("Tsunagu is not allowed to write the database “%s” or the "
                                 "folder it is in (it keeps working files named “-wal” and “-shm” "
                                 "beside it). The database is not damaged: make the file and its "
                                 "folder writable for you, or move the database to a folder of "
                                 "your own."),
                              path);
    case TSU_STORE_ERROR_IO:
      return g_strdup_printf (_ ("The disk reported an error while reading or writing the database "
                                 "“%s” (%s). Check that the disk (or the network drive) is still "
                                 "connected and try again; if it keeps happening, copy the file "
                                 "to another disk."),
                              path, g_strerror (errsv ? errsv : EIO));
    default:
      return NULL;
    }
}

static const char *
db_display_path (sqlite3 *db)
{
  const char *name = db ? sqlite3_db_filename (db, "main") : NULL;

  return name != NULL && *name != '\0' ? name : "";
}

void
tsu_store_set_sqlite_error (GError **error, sqlite3 *db, const char *what)
{
  int              errsv = sqlite3_system_errno (db);
  TsuStoreError    code = classify (sqlite3_errcode (db), errsv);
  g_autofree char *message = describe (code, errsv, db_display_path (db));

  if (message != NULL)
    {
      g_set_error_literal (error, TSU_STORE_ERROR, code, message);
      return;
    }
  if (code != TSU_STORE_ERROR_CORRUPT)
    code = TSU_STORE_ERROR_FAILED;
  /* The SQLite message names tables and columns, never row values. */
  g_set_error (error, TSU_STORE_ERROR, code,
               _ ("The database could not be read or written (%s: %s)."), what,
               sqlite3_errmsg (db));
}

gboolean
tsu_store_exec (sqlite3 *db, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      int              errsv = sqlite3_system_errno (db);
      TsuStoreError    code = classify (sqlite3_errcode (db), errsv);
      g_autofree char *message = describe (code, errsv, db_display_path (db));

      if (message != NULL)
        g_set_error_literal (error, TSU_STORE_ERROR, code, message);
      else
        g_set_error (
            error, TSU_STORE_ERROR, code == TSU_STORE_ERROR_CORRUPT ? code : TSU_STORE_ERROR_FAILED,
            _ ("The database could not be read or written (%s)."), msg ? msg : sqlite3_errmsg (db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

static gint64
query_int (sqlite3 *db, const char *sql, gboolean *ok)
{
  sqlite3_stmt *stmt = NULL;
  gint64        value = 0;

  *ok = FALSE;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return 0;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      value = sqlite3_column_int64 (stmt, 0);
      *ok = TRUE;
    }
  sqlite3_finalize (stmt);
  return value;
}

static char *
query_text (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char         *value = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0) != NULL)
    value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

/* A connection and its cache of prepared statements. */
typedef struct
{
  sqlite3    *db;
  GHashTable *statements;
  gboolean    writer;
} Conn;

static sqlite3_stmt *
conn_statement (Conn *conn, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (conn->statements, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (conn->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, conn->db, "prepare");
      return NULL;
    }
  g_hash_table_insert (conn->statements, g_strdup (sql), stmt);
  return stmt;
}

static sqlite3_stmt *
get_statement (TsuStore *self, const char *sql, GError **error)
{
  Conn conn = { self->db, self->statements, TRUE };

  return conn_statement (&conn, sql, error);
}

static gboolean
in_own_transaction (TsuStore *self)
{
  return g_atomic_pointer_get (&self->txn_owner) == (gpointer)g_thread_self ();
}

/* Takes the connection a read should use: the writer (locked) inside this
 * thread's own transaction, so that it reads its own writes; else the
 * reader, which only waits for other readers. */
static void
read_begin (TsuStore *self, Conn *conn)
{
  if (!in_own_transaction (self))
    {
      g_rec_mutex_lock (&self->reader_lock);
      if (self->reader == NULL && self->path != NULL)
        {
          if (sqlite3_open_v2 (self->path, &self->reader,
                               SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)
              == SQLITE_OK)
            sqlite3_busy_timeout (self->reader, 5000);
          else
            g_clear_pointer (&self->reader, sqlite3_close);
        }
      if (self->reader != NULL)
        {
          conn->db = self->reader;
          conn->statements = self->reader_statements;
          conn->writer = FALSE;
          return;
        }
      g_rec_mutex_unlock (&self->reader_lock);
    }
  g_rec_mutex_lock (&self->lock);
  conn->db = self->db;
  conn->statements = self->statements;
  conn->writer = TRUE;
}

static void
read_end (TsuStore *self, Conn *conn)
{
  if (conn->writer)
    g_rec_mutex_unlock (&self->lock);
  else
    g_rec_mutex_unlock (&self->reader_lock);
}

/**
 * tsu_store_read:
 * @func: runs the reads (SELECT only) on the connection it is given
 *
 * Runs reads of a core module on the store's read-only connection (or, in a
 * thread inside its own transaction, on the writer, to see its own writes),
 * so that they never wait for a writer.
 *
 * Returns: what @func returns
 */
gboolean
tsu_store_read (TsuStore *self, TsuStoreReadFunc func, gpointer user_data, GError **error)
{
  Conn     conn;
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  read_begin (self, &conn);
  ok = func (conn.db, user_data, error);
  read_end (self, &conn);
  return ok;
}

static void
statement_free (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

static void
tsu_store_finalize (GObject *object)
{
  TsuStore *self = (TsuStore *)object;

  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  g_clear_pointer (&self->statements, g_hash_table_unref);
  g_clear_pointer (&self->reader_statements, g_hash_table_unref);
  g_clear_pointer (&self->reader, sqlite3_close);
  g_rec_mutex_clear (&self->reader_lock);
  if (self->db != NULL)
    {
      /* Folds the WAL back so the file can be copied on its own. */
      sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);
      sqlite3_close_v2 (self->db);
    }
  g_clear_pointer (&self->txn_log, g_ptr_array_unref);
  g_clear_pointer (&self->txn_marks, g_array_unref);
  g_clear_pointer (&self->txn_optimize, g_hash_table_unref);
  g_clear_pointer (&self->bulk_ok, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_rec_mutex_clear (&self->lock);
  g_free (self->path);
  g_free (self->device_id);
  g_free (self->author);

  G_OBJECT_CLASS (tsu_store_parent_class)->finalize (object);
}

static void
tsu_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuStore *self = TSU_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_AUTHOR:
      g_value_set_string (value, tsu_store_get_author (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TsuStore *self = TSU_STORE (object);

  switch (prop_id)
    {
    case PROP_AUTHOR:
      tsu_store_set_author (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_store_class_init (TsuStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_store_finalize;
  object_class->get_property = tsu_store_get_property;
  object_class->set_property = tsu_store_set_property;

  properties[PROP_PATH]
      = g_param_spec_string ("path", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTHOR]
      = g_param_spec_string ("author", NULL, NULL, NULL,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TsuStore::changed:
   * @collection: the collection written
   * @ids: (array zero-terminated=1): ids of the records written, or an
   *   empty array when another program wrote the file: then anything in
   *   @collection may have changed and lists must read it again
   *
   * Emitted on the main context the store was opened from, after a commit
   * (see tsu_store_check_external_changes()).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRV);
}

static void
tsu_store_init (TsuStore *self)
{
  g_rec_mutex_init (&self->lock);
  g_rec_mutex_init (&self->reader_lock);
  self->busy_timeout_ms = TSU_STORE_DEFAULT_BUSY_WAIT_MS;
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  self->reader_statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, statement_free);
  self->txn_log = g_ptr_array_new_with_free_func ((GDestroyNotify)change_free);
  self->txn_marks = g_array_new (FALSE, FALSE, sizeof (guint));
  self->txn_optimize = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->bulk_ok = g_hash_table_new (NULL, NULL);
}

/* A file that exists and is not empty must start with SQLite's magic. We
 * look before SQLite does so that nothing is ever written to a stranger's file. */
static gboolean
check_header (const char *path, gboolean *exists, GError **error)
{
  static const char magic[16] = "SQLite format 3";
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GFileInputStream) in = NULL;
  g_autoptr (GError) local_error = NULL;
  char  header[16] = { 0 };
  gsize n = 0;

  in = g_file_read (file, NULL, &local_error);
  if (in == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          *exists = FALSE;
          return TRUE;
        }
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                   _ ("The database file “%s” cannot be opened: %s"), path, local_error->message);
      return FALSE;
    }
  *exists = TRUE;
  if (!g_input_stream_read_all (G_INPUT_STREAM (in), header, sizeof header, &n, NULL, &local_error))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                   _ ("The database file “%s” cannot be read: %s"), path, local_error->message);
      return FALSE;
    }
  if (n == 0)
    return TRUE;
  if (n < sizeof header || memcmp (header, magic, sizeof magic) != 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT,
                   _ ("The file “%s” is not a Tsunagu database. It has been left untouched."),
                   path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_migrations (TsuStore *self, guint from, GError **error)
{
  guint               n;
  const TsuMigration *migrations = tsu_store_migrations (&n);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) local_error = NULL;
      g_autofree char *bump = NULL;

      if (migrations[i].version <= from)
        continue;
      g_assert (migrations[i].version == (i == 0 ? 1 : migrations[i - 1].version + 1));

      if (!tsu_store_exec (self->db, "BEGIN IMMEDIATE;", &local_error))
        goto failed;
      bump = g_strdup_printf ("PRAGMA user_version = %u; PRAGMA application_id = %d;",
                              migrations[i].version, TSU_APPLICATION_ID);
      if (!migrations[i].apply (self->db, &local_error)
          || !tsu_store_exec (self->db, bump, &local_error)
          || !tsu_store_exec (self->db, "COMMIT;", &local_error))
        {
          sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
          goto failed;
        }
      g_debug ("Store migrated to version %u (%s)", migrations[i].version, migrations[i].summary);
      continue;

    failed:
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_MIGRATION,
                   _ ("The database could not be upgraded to version %u; it is unchanged. %s"),
                   migrations[i].version, local_error->message);
      return FALSE;
    }
  return TRUE;
}

/* A collection's schema version, kept in meta as "schema.<name>". */
static guint
collection_version (sqlite3 *db, const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT value FROM meta WHERE key = 'schema.%s';", name);
  g_autofree char *value = query_text (db, sql);

  return value ? (guint)g_ascii_strtoull (value, NULL, 10) : 0;
}

static guint
last_step (const TsuCollection *c)
{
  return c->n_schema ? c->schema[c->n_schema - 1].version : 0;
}

/* Refuses, before anything is written, a file holding a collection this
 * build does not know or a collection step newer than this build's. */
static gboolean
check_collection_versions (TsuStore *self, const char *path, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      ok = TRUE;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT substr(key, 8), CAST(value AS INTEGER) FROM meta"
                          " WHERE key LIKE 'schema.%'",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return TRUE; /* no meta table yet: nothing recorded */
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char          *name = (const char *)sqlite3_column_text (stmt, 0);
      const TsuCollection *c = tsu_collection_lookup (name);
      gint64               v = sqlite3_column_int64 (stmt, 1);

      if (c != NULL && v <= last_step (c))
        continue;
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW,
                   _ ("The database “%s” was written by a newer version of Tsunagu "
                      "(it holds “%s” records of schema %u, which this version does not know). "
                      "Update Tsunagu to open it; the file has been left untouched."),
                   path, name, (guint)CLAMP (v, 0, G_MAXUINT));
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return ok;
}

/* Each collection's own steps after the base migrations, each in one
 * transaction with its version recorded. */
static gboolean
run_collection_steps (TsuStore *self, GError **error)
{
  guint                 n;
  const TsuCollection **all = tsu_collections_all (&n);

  for (guint k = 0; k < n; k++)
    {
      const TsuCollection *c = all[k];
      guint                have = collection_version (self->db, c->name);

      for (guint i = 0; i < c->n_schema; i++)
        {
          const TsuSchemaStep *step = &c->schema[i];
          g_autoptr (GError) local_error = NULL;
          g_autofree char *bump = NULL;

          if (step->version <= have)
            continue;
          g_assert (step->version == (i == 0 ? 1 : c->schema[i - 1].version + 1));
          bump = g_strdup_printf ("INSERT INTO meta (key, value) VALUES ('schema.%s', '%u')"
                                  " ON CONFLICT (key) DO UPDATE SET value = excluded.value;",
                                  c->name, step->version);
          if (!tsu_store_exec (self->db, "BEGIN IMMEDIATE;", &local_error))
            goto failed;
          if ((step->sql && !tsu_store_exec (self->db, step->sql, &local_error))
              || (step->apply && !step->apply (self->db, &local_error))
              || !tsu_store_exec (self->db, bump, &local_error)
              || !tsu_store_exec (self->db, "COMMIT;", &local_error))
            {
              sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
              goto failed;
            }
          g_debug ("Collection %s at schema %u (%s)", c->name, step->version, step->summary);
          continue;

        failed:
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_MIGRATION,
                       _ ("The database could not be upgraded (%s, step %u); it is unchanged. %s"),
                       c->name, step->version, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- when the integrity check runs on open ----
 *
 * PRAGMA quick_check reads every page: ~1 s for a file of 100,000 groups.
 * A file under CHECK_ALWAYS_BYTES is checked on every open (tens of
 * ms at most). A larger one is checked when it may have been left
 * half-written, or when its last check is older than CHECK_EVERY_DAYS.
 * "Left half-written" is read from its -wal before SQLite opens it: the
 * last connection to close a file folds the log back and deletes it, so a
 * log with frames in it means a process ended without closing the file (or
 * another one has it open right now, which costs a check and nothing else).
 * Nothing is written to find this out: other windows and programs on the
 * file see no change. */
#define CHECK_ALWAYS_BYTES (4 * 1024 * 1024)
#define CHECK_EVERY_DAYS 7

static gboolean
left_open (const char *path, gboolean *large)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  const char      *always = g_getenv ("TSU_STORE_CHECK_ALWAYS_BYTES"); /* tests */
  gint64           small = always ? g_ascii_strtoll (always, NULL, 10) : CHECK_ALWAYS_BYTES;
  GStatBuf         st;

  *large = g_stat (path, &st) == 0 && st.st_size >= small;
  return g_stat (wal, &st) == 0 && st.st_size > 0;
}

static gboolean
check_due (sqlite3 *db)
{
  g_autofree char *checked
      = query_text (db, "SELECT value FROM meta WHERE key = 'integrity.checked_at'");
  g_autoptr (GDateTime) at = checked ? g_date_time_new_from_iso8601 (checked, NULL) : NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan age = at ? g_date_time_difference (now, at) : 0;

  return at == NULL || age > CHECK_EVERY_DAYS * G_TIME_SPAN_DAY || age < 0;
}

static gboolean
note_checked (TsuStore *self, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);

  return tsu_store_set_meta (self, "integrity.checked_at", stamp, error);
}

static gboolean
load_device (TsuStore *self, GError **error)
{
  self->device_id = tsu_store_get_meta (self, "device_id");
  if (self->device_id == NULL)
    {
      g_autofree char *id = tsu_uuid7_new ();

      if (!tsu_store_set_meta (self, "device_id", id, error))
        return FALSE;
      self->device_id = g_steal_pointer (&id);
    }
  return TRUE;
}

/* Fails with a message that says what to do when this process cannot write
 * @path (an existing database), its folder, or the -wal/-shm beside it. A
 * -wal or -shm of ours that was left read-only (SQLite makes them with the
 * database's mode, so a read-only attempt on a 0400 file leaves a 0400
 * -shm that would refuse every later writer) is made writable again. */
static gboolean
check_writable (const char *path, GError **error)
{
  static const char *const companions[] = { "-wal", "-shm" };
  g_autofree char         *real = tsu_file_resolve (path);
  g_autofree char         *dir = g_path_get_dirname (real);

  if (g_access (real, W_OK) != 0)
    {
      int errsv = errno;

      if (errsv == EROFS)
        {
          g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                               describe (TSU_STORE_ERROR_READ_ONLY, errsv, path));
          return FALSE;
        }
      /* Translators: both %s are the database file. */
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                   _ ("The database file “%s” is read-only, so Tsunagu cannot save anything in "
                      "it. The file is not damaged: make it writable for you again (in a "
                      "terminal: chmod u+w “%s”) and open it again."),
                   path, path);
      return FALSE;
    }
  if (g_access (dir, W_OK | X_OK) != 0)
    {
      int errsv = errno;

      if (errsv == EROFS)
        g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                             describe (TSU_STORE_ERROR_READ_ONLY, errsv, path));
      else
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                     _ ("Tsunagu cannot write in the folder “%s”, where the database keeps its "
                        "working files (“-wal” and “-shm”). The database is not damaged: make "
                        "the folder writable for you, or move the database to a folder of your "
                        "own."),
                     dir);
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (companions); i++)
    {
      g_autofree char *name = g_strconcat (real, companions[i], NULL);
      GStatBuf         st;

      if (g_stat (name, &st) != 0 || g_access (name, W_OK) == 0)
        continue;
      if (st.st_uid == geteuid () && g_chmod (name, 0600) == 0 && g_access (name, W_OK) == 0)
        {
          g_debug ("%s was read-only; made writable again", name);
          continue;
        }
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                   _ ("The working file “%s” beside the database is read-only and belongs to "
                      "another user, so Tsunagu cannot write the database. The database is not "
                      "damaged: ask that user or the computer's administrator to make the file "
                      "writable for you."),
                   name);
      return FALSE;
    }
  return TRUE;
}

/* Other people's personal data: owner only, also the files SQLite keeps
 * beside it (they hold recent changes). Not ours to change: left alone. */
static void
make_private (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  g_autofree char         *real = tsu_file_resolve (path);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *name = g_strconcat (real, suffixes[i], NULL);
      GStatBuf         st;

      if (g_stat (name, &st) == 0 && S_ISREG (st.st_mode) && (st.st_mode & 07777) != 0600
          && st.st_uid == geteuid ())
        g_chmod (name, 0600);
    }
}

/* A read at open failed: damaged only when SQLite says so. */
static void
set_open_read_error (GError **error, sqlite3 *db, const char *path, const char *detail)
{
  int              errsv = sqlite3_system_errno (db);
  TsuStoreError    code = classify (sqlite3_errcode (db), errsv);
  g_autofree char *message = describe (code, errsv, path);

  if (message != NULL)
    g_set_error_literal (error, TSU_STORE_ERROR, code, message);
  else if (code == TSU_STORE_ERROR_CORRUPT || detail != NULL)
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT,
                 _ ("The database “%s” is damaged and cannot be opened (%s). "
                    "It has been left untouched; restore it from a backup."),
                 path, detail ? detail : sqlite3_errmsg (db));
  else
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                 _ ("The database file “%s” cannot be opened: %s"), path, sqlite3_errmsg (db));
}

static int
busy_handler (gpointer data, int count)
{
  TsuStore *self = data;
  gint64    now = g_get_monotonic_time ();

  if (self->busy_no_wait)
    return 0;
  if (count == 0)
    {
      self->busy_since = now;
      self->busy_told = FALSE;
    }
  if (now - self->busy_since >= (gint64)self->busy_timeout_ms * 1000)
    return 0;
  if (!self->busy_told && self->busy_waiting != NULL && now - self->busy_since >= G_USEC_PER_SEC)
    {
      self->busy_told = TRUE;
      self->busy_waiting (self, self->busy_data);
    }
  /* Short sleeps first: most writes of the other side end quickly. */
  g_usleep (MIN (5 + count * 5, 100) * 1000);
  return 1;
}

static void   start_watch (TsuStore *self);
static gint64 read_data_version (TsuStore *self, gboolean *ok);

/**
 * tsu_store_open:
 * @path: the database file; created (with its folder) when missing
 * @error: return location for a #TSU_STORE_ERROR
 *
 * Opens or creates a desk database and brings its schema up to date. A file
 * that is not ours, damaged, or from a newer Tsunagu is refused unchanged.
 * A file that cannot be written here (read-only file, folder or disk; a
 * full disk) is refused with %TSU_STORE_ERROR_READ_ONLY or
 * %TSU_STORE_ERROR_DISK_FULL and a message saying how to fix it: those
 * files are not damaged. The file and its -wal/-shm are made 0600.
 *
 * Returns: (transfer full): the store, or %NULL
 */
TsuStore *
tsu_store_open (const char *path, GError **error)
{
  g_autoptr (TsuStore) self = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *check = NULL;
  g_autofree char *mode = NULL;
  gboolean         exists = FALSE;
  gboolean         ok;
  gboolean         checked = FALSE, large = FALSE, was_left_open;
  gint64           app_id, version, n_tables;
  int              rc;

  g_return_val_if_fail (path != NULL, NULL);

  if (!check_header (path, &exists, error))
    return NULL;

  if (!exists)
    {
      dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int              saved = errno;
          const char      *advice = tsu_file_errno_advice (saved);
          g_autofree char *reason
              = g_strconcat (g_strerror (saved), advice ? ". " : NULL, advice, NULL);

          g_set_error (error, TSU_STORE_ERROR,
                       saved == ENOSPC ? TSU_STORE_ERROR_DISK_FULL
                       : advice        ? TSU_STORE_ERROR_READ_ONLY
                                       : TSU_STORE_ERROR_OPEN,
                       _ ("The folder “%s” cannot be created: %s"), dir, reason);
          return NULL;
        }
      if (g_access (dir, W_OK | X_OK) != 0)
        {
          int saved = errno;

          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                       _ ("A new database cannot be made in the folder “%s”: %s. %s"), dir,
                       g_strerror (saved),
                       tsu_file_errno_advice (saved) ? tsu_file_errno_advice (saved) : "");
          return NULL;
        }
    }
  else if (!check_writable (path, error))
    return NULL;

  was_left_open = left_open (path, &large);
  self = g_object_new (TSU_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->context = g_main_context_ref_thread_default ();

  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      if (self->db != NULL)
        set_open_read_error (error, self->db, path, NULL);
      else
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                     _ ("The database file “%s” cannot be opened: %s"), path, sqlite3_errstr (rc));
      return NULL;
    }
  /* SQLite quietly opens a file it may not write read-only; a desk that
   * cannot save is refused before anything (a -shm) is made. */
  if (sqlite3_db_readonly (self->db, "main") == 1)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_READ_ONLY,
                   _ ("The database file “%s” is read-only, so Tsunagu cannot save anything in "
                      "it. The file is not damaged: make it writable for you again (in a "
                      "terminal: chmod u+w “%s”) and open it again."),
                   path, path);
      return NULL;
    }
  if (!exists)
    g_chmod (path, 0600); /* other people's personal data */

  sqlite3_busy_handler (self->db, busy_handler, self);
  sqlite3_extended_result_codes (self->db, 0);

  /* Read-only questions first: nothing is written before we know the file is ours. */
  app_id = query_int (self->db, "PRAGMA application_id;", &ok);
  if (ok)
    version = query_int (self->db, "PRAGMA user_version;", &ok);
  if (ok)
    n_tables = query_int (self->db, "SELECT count(*) FROM sqlite_master;", &ok);
  if (!ok)
    {
      set_open_read_error (error, self->db, path, NULL);
      return NULL;
    }
  if ((app_id != 0 && app_id != TSU_APPLICATION_ID)
      || (app_id == 0 && (version != 0 || n_tables != 0)))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT,
                   _ ("The file “%s” is not a Tsunagu database. It has been left untouched."),
                   path);
      return NULL;
    }
  if (version > tsu_store_schema_version ())
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW,
                   _ ("The database “%s” was written by a newer version of Tsunagu "
                      "(schema %u, this version knows %u). "
                      "Update Tsunagu to open it; the file has been left untouched."),
                   path, (guint)MIN (version, G_MAXUINT), tsu_store_schema_version ());
      return NULL;
    }
  if (version > 0 && !check_collection_versions (self, path, error))
    return NULL;
  if (version > 0 && (!large || was_left_open || check_due (self->db)))
    {
      checked = large;
      check = query_text (self->db, "PRAGMA quick_check;");
      if (check == NULL)
        {
          /* The check itself could not run: a disk problem, not damage. */
          set_open_read_error (error, self->db, path, NULL);
          return NULL;
        }
      if (!g_str_equal (check, "ok"))
        {
          set_open_read_error (error, self->db, path, check);
          return NULL;
        }
    }

  /* Ours: from here on it is written, so it is made private first. */
  make_private (path);

  mode = query_text (self->db, "PRAGMA journal_mode = WAL;");
  if (g_strcmp0 (mode, "wal") != 0)
    {
      if (mode == NULL)
        set_open_read_error (error, self->db, path, NULL);
      else
        g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                     _ ("The database “%s” cannot be opened for writing."), path);
      return NULL;
    }
  if (!tsu_store_exec (self->db,
                       "PRAGMA synchronous = FULL;"
                       "PRAGMA foreign_keys = ON;"
                       /* Statement journals in memory, not in temporary
                        * files: every write with a trigger opens one. */
                       "PRAGMA temp_store = MEMORY;",
                       error))
    return NULL;
  make_private (path); /* the -wal and -shm WAL mode made */

  if (!run_migrations (self, (guint)version, error))
    return NULL;
  if (!run_collection_steps (self, error))
    return NULL;
  if (!load_device (self, error))
    return NULL;
  /* A large file's check is written down (a small one is checked every
   * time and writes nothing); a new file starts as checked. */
  if ((checked || version == 0) && !note_checked (self, error))
    return NULL;

  self->data_version = read_data_version (self, &ok);
  start_watch (self);
  return g_steal_pointer (&self);
}

static void
open_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GError   *error = NULL;
  TsuStore *store = tsu_store_open (task_data, &error);

  if (store == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, store, g_object_unref);
}

/**
 * tsu_store_open_async:
 *
 * Opens the store in a worker thread: the integrity check and migrations
 * can take a moment on a large file. "changed" is emitted on the caller's
 * thread-default main context.
 */
void
tsu_store_open_async (const char         *path,
                      GCancellable       *cancellable,
                      GAsyncReadyCallback callback,
                      gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, tsu_store_open_async);
  g_task_set_task_data (task, g_strdup (path), g_free);
  g_task_run_in_thread (task, open_thread);
}

TsuStore *
tsu_store_open_finish (GAsyncResult *result, GError **error)
{
  TsuStore *store = g_task_propagate_pointer (G_TASK (result), error);

  if (store != NULL)
    {
      /* Opened in a worker: emit on the context that asked. */
      g_clear_pointer (&store->context, g_main_context_unref);
      store->context = g_main_context_ref_thread_default ();
      start_watch (store);
    }
  return store;
}

const char *
tsu_store_get_path (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->path;
}

const char *
tsu_store_get_device_id (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->device_id;
}

/**
 * tsu_store_get_author:
 *
 * Returns: the staff name written into the change history.
 */
const char *
tsu_store_get_author (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (self->author == NULL || *self->author == '\0')
    {
      const char *real = g_get_real_name ();
      return (real && *real && !g_str_equal (real, "Unknown")) ? real : g_get_user_name ();
    }
  return self->author;
}

void
tsu_store_set_author (TsuStore *self, const char *author)
{
  g_return_if_fail (TSU_IS_STORE (self));

  g_rec_mutex_lock (&self->lock);
  if (g_strcmp0 (self->author, author) != 0)
    {
      g_free (self->author);
      self->author = g_strdup (author);
      g_rec_mutex_unlock (&self->lock);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTHOR]);
      return;
    }
  g_rec_mutex_unlock (&self->lock);
}

sqlite3 *
tsu_store_get_db (TsuStore *self)
{
  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  return self->db;
}

void
tsu_store_lock (TsuStore *self)
{
  g_rec_mutex_lock (&self->lock);
}

void
tsu_store_unlock (TsuStore *self)
{
  g_rec_mutex_unlock (&self->lock);
}

/* ---- values between JSON and SQLite ---- */

static gboolean
bind_value (sqlite3_stmt *stmt, int index, const TsuFieldDef *field, JsonNode *value)
{
  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;

  switch (field->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_DATE:
    case TSU_FIELD_DATETIME:
    case TSU_FIELD_CHOICE:
    case TSU_FIELD_REF:
      return sqlite3_bind_text (stmt, index, json_node_get_string (value), -1, SQLITE_TRANSIENT)
             == SQLITE_OK;
    case TSU_FIELD_INT:
      return sqlite3_bind_int64 (stmt, index, json_node_get_int (value)) == SQLITE_OK;
    case TSU_FIELD_BOOL:
      return sqlite3_bind_int (stmt, index, json_node_get_boolean (value) ? 1 : 0) == SQLITE_OK;
    case TSU_FIELD_JSON:
    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
      {
        g_autofree char *text = json_to_string (value, FALSE);
        return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
      }
    default:
      g_assert_not_reached ();
    }
}

static JsonNode *
column_value (sqlite3_stmt *stmt, int col, const TsuFieldDef *field)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return json_node_new (JSON_NODE_NULL);

  switch (field->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_DATE:
    case TSU_FIELD_DATETIME:
    case TSU_FIELD_CHOICE:
    case TSU_FIELD_REF:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);
        json_node_set_string (node, (const char *)sqlite3_column_text (stmt, col));
        return node;
      }
    case TSU_FIELD_INT:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);
        json_node_set_int (node, sqlite3_column_int64 (stmt, col));
        return node;
      }
    case TSU_FIELD_BOOL:
      {
        JsonNode *node = json_node_new (JSON_NODE_VALUE);
        json_node_set_boolean (node, sqlite3_column_int (stmt, col) != 0);
        return node;
      }
    case TSU_FIELD_JSON:
    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
      {
        JsonNode *node = json_from_string ((const char *)sqlite3_column_text (stmt, col), NULL);
        return node ? node : json_node_new (JSON_NODE_NULL);
      }
    default:
      g_assert_not_reached ();
    }
}

/* The SELECT of a whole row, made once per collection (collections are
 * static: their address is the key). */
G_LOCK_DEFINE_STATIC (select_sql);

static const char *
select_sql (const TsuCollection *c)
{
  static GHashTable *cache;
  const char        *sql;

  G_LOCK (select_sql);
  if (cache == NULL)
    cache = g_hash_table_new (NULL, NULL);
  sql = g_hash_table_lookup (cache, c);
  if (sql == NULL)
    {
      GString *s = g_string_new ("SELECT id, rev, created_at, updated_at, deleted");

      for (guint i = 0; i < c->n_fields; i++)
        g_string_append_printf (s, ", \"%s\"", c->fields[i].name);
      g_string_append_printf (s, " FROM \"%s\" WHERE id = ?1", c->name);
      sql = g_string_free (s, FALSE);
      g_hash_table_insert (cache, (gpointer)c, (gpointer)sql);
    }
  G_UNLOCK (select_sql);
  return sql;
}

static JsonObject *
read_row_on (Conn *conn, const TsuCollection *c, const char *id, GError **error)
{
  sqlite3_stmt *stmt = conn_statement (conn, select_sql (c), error);
  JsonObject   *row;
  int           rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("The record does not exist."));
      return NULL;
    }
  if (rc != SQLITE_ROW)
    {
      tsu_store_set_sqlite_error (error, conn->db, "select");
      sqlite3_reset (stmt);
      return NULL;
    }

  row = json_object_new ();
  json_object_set_string_member (row, "id", (const char *)sqlite3_column_text (stmt, 0));
  json_object_set_int_member (row, "rev", sqlite3_column_int64 (stmt, 1));
  json_object_set_string_member (row, "created_at", (const char *)sqlite3_column_text (stmt, 2));
  json_object_set_string_member (row, "updated_at", (const char *)sqlite3_column_text (stmt, 3));
  json_object_set_boolean_member (row, "deleted", sqlite3_column_int (stmt, 4) != 0);
  for (guint i = 0; i < c->n_fields; i++)
    json_object_set_member (row, c->fields[i].name, column_value (stmt, 5 + i, &c->fields[i]));
  sqlite3_reset (stmt);
  return row;
}

/* Inside the write path: the writer, whose lock the caller holds. */
static JsonObject *
read_row (TsuStore *self, const TsuCollection *c, const char *id, GError **error)
{
  Conn conn = { self->db, self->statements, TRUE };

  return read_row_on (&conn, c, id, error);
}

static gboolean
row_exists (TsuStore *self, const TsuCollection *c, const char *id, gint64 *rowid, GError **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT rowid FROM \"%s\" WHERE id = ?1", c->name);
  sqlite3_stmt    *stmt = get_statement (self, sql, error);
  int              rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    *rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    tsu_store_set_sqlite_error (error, self->db, "select");
  return rc == SQLITE_ROW;
}

/* ---- transactions ---- */

static void
note_change (TsuStore *self, const char *collection, const char *id)
{
  Change *c = g_new (Change, 1);

  c->collection = g_strdup (collection);
  c->id = g_strdup (id);
  g_ptr_array_add (self->txn_log, c);
}

typedef struct
{
  TsuStore *store;
  char     *collection;
  char    **ids;
} ChangedEmission;

static gboolean
emit_changed_cb (gpointer data)
{
  ChangedEmission *e = data;

  g_signal_emit (e->store, signals[CHANGED], 0, e->collection, e->ids);
  g_object_unref (e->store);
  g_free (e->collection);
  g_strfreev (e->ids);
  g_free (e);
  return G_SOURCE_REMOVE;
}

/* Emits "changed" for @collection (@ids: transfer full) on the store's
 * context: runs at once when this thread owns (or can take) the context,
 * else queues it there, so handlers never run on a worker thread. */
static void
emit_changed (TsuStore *self, const char *collection, char **ids)
{
  ChangedEmission *e = g_new0 (ChangedEmission, 1);

  e->store = g_object_ref (self);
  e->collection = g_strdup (collection);
  e->ids = ids;
  g_main_context_invoke (self->context, emit_changed_cb, e);
}

/* Emits "changed" once per collection for what a committed transaction
 * wrote (@log: Change). */
static void
flush_changes (TsuStore *self, GPtrArray *log)
{
  g_autoptr (GHashTable) by_collection
      = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  GHashTableIter iter;
  gpointer       key, value;

  for (guint i = 0; i < log->len; i++)
    {
      Change    *c = g_ptr_array_index (log, i);
      GPtrArray *ids = g_hash_table_lookup (by_collection, c->collection);

      if (ids == NULL)
        {
          ids = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (by_collection, c->collection, ids);
        }
      g_ptr_array_add (ids, g_strdup (c->id));
    }
  g_hash_table_iter_init (&iter, by_collection);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      GPtrArray *ids = value;

      g_ptr_array_add (ids, NULL);
      emit_changed (self, key, (char **)g_ptr_array_steal (ids, NULL));
    }
}

/* The search indexes erasures left old text in, each merged once (SQLite
 * 3.40 has no FTS5 secure-delete: the text stays in the index's segments
 * until they are merged). Inside the transaction, so that its commit
 * leaves none of an erased person's text in the index. */
static gboolean
optimize_pending (TsuStore *self, GError **error)
{
  GHashTableIter iter;
  gpointer       fts;

  g_hash_table_iter_init (&iter, self->txn_optimize);
  while (g_hash_table_iter_next (&iter, &fts, NULL))
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO \"%s\" (\"%s\") VALUES ('optimize')",
                                              (char *)fts, (char *)fts);

      if (!tsu_store_exec (self->db, sql, error))
        return FALSE;
    }
  return TRUE;
}

/**
 * tsu_store_transaction:
 * @origin: where the writes inside come from (imports use %TSU_ORIGIN_IMPORT)
 * @func: runs the writes; returns %FALSE with @error set to roll them all back
 *
 * Runs @func in one BEGIN IMMEDIATE transaction (a savepoint when nested).
 */
gboolean
tsu_store_transaction (
    TsuStore *self, TsuOrigin origin, TsuStoreFunc func, gpointer user_data, GError **error)
{
  g_autoptr (GPtrArray) changes = NULL;
  TsuOrigin saved_origin;
  gboolean  ok;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  g_rec_mutex_lock (&self->lock);

  saved_origin = self->txn_origin;
  if (self->txn_depth == 0)
    {
      if (!tsu_store_exec (self->db, "BEGIN IMMEDIATE;", error))
        {
          g_rec_mutex_unlock (&self->lock);
          return FALSE;
        }
      self->txn_origin = origin;
      g_atomic_pointer_set (&self->txn_owner, g_thread_self ());
    }
  else if (!tsu_store_exec (self->db, "SAVEPOINT nested;", error))
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  else
    g_array_append_val (self->txn_marks, self->txn_log->len);

  self->txn_depth++;
  ok = func (self, user_data, error);
  self->txn_depth--;

  if (self->txn_depth > 0)
    {
      guint mark = g_array_index (self->txn_marks, guint, self->txn_marks->len - 1);

      g_array_set_size (self->txn_marks, self->txn_marks->len - 1);
      if (!ok)
        {
          /* What the savepoint wrote is gone: so is its news. */
          sqlite3_exec (self->db, "ROLLBACK TO nested;", NULL, NULL, NULL);
          g_ptr_array_set_size (self->txn_log, mark);
        }
      sqlite3_exec (self->db, "RELEASE nested;", NULL, NULL, NULL);
      self->txn_origin = saved_origin;
      g_rec_mutex_unlock (&self->lock);
      return ok;
    }

  if (ok)
    ok = optimize_pending (self, error);
  g_hash_table_remove_all (self->txn_optimize);
  if (ok && !tsu_store_exec (self->db, "COMMIT;", error))
    ok = FALSE;
  g_atomic_pointer_set (&self->txn_owner, NULL);
  if (!ok)
    {
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      g_ptr_array_set_size (self->txn_log, 0);
    }
  else
    {
      changes = g_steal_pointer (&self->txn_log);
      self->txn_log = g_ptr_array_new_with_free_func ((GDestroyNotify)change_free);
    }
  g_rec_mutex_unlock (&self->lock);

  if (changes != NULL)
    flush_changes (self, changes);
  return ok;
}

/* ---- search index of a batch ---- */

/* Whether a collection's table has no triggers but those of its search
 * index (or none): then a batch may write its rows with the triggers off
 * and its index in one statement. */
static gboolean
bulk_capable (TsuStore *self, const TsuCollection *c)
{
  gpointer         known = g_hash_table_lookup (self->bulk_ok, c);
  g_autofree char *ai = tsu_search_index_trigger_name (c->name, "ai");
  g_autofree char *ad = tsu_search_index_trigger_name (c->name, "ad");
  g_autofree char *au = tsu_search_index_trigger_name (c->name, "au");
  sqlite3_stmt    *stmt = NULL;
  gboolean         ok = TRUE;

  if (known != NULL)
    return GPOINTER_TO_INT (known) == 2;
  if (sqlite3_prepare_v2 (self->db,
                          "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, c->name, -1, SQLITE_STATIC);
  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *name = (const char *)sqlite3_column_text (stmt, 0);

      ok = g_str_equal (name, ai) || g_str_equal (name, ad) || g_str_equal (name, au);
    }
  sqlite3_finalize (stmt);
  g_hash_table_insert (self->bulk_ok, (gpointer)c, GINT_TO_POINTER (ok ? 2 : 1));
  return ok;
}

static gboolean
has_search_index (const TsuCollection *c)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (c, "search_text");

  return f != NULL && (f->flags & TSU_FIELD_DERIVED);
}

/* With the triggers off, notes what the search index triggers would have
 * done for this row. */
static gboolean
note_bulk_index (TsuStore            *self,
                 const TsuCollection *c,
                 JsonObject          *old,
                 JsonObject          *row,
                 gint64               rowid,
                 GError             **error)
{
  BulkIndex  *b;
  const char *before, *after;

  if (!has_search_index (c))
    return TRUE;
  if (old == NULL)
    rowid = sqlite3_last_insert_rowid (self->db);
  before = old ? tsu_record_get_string (old, "search_text") : NULL;
  after = tsu_record_get_string (row, "search_text");
  if (old != NULL && g_strcmp0 (before, after) == 0)
    return TRUE;
  b = g_hash_table_lookup (self->bulk, c);
  if (b == NULL)
    {
      b = g_new0 (BulkIndex, 1);
      b->rowids = g_string_new ("[");
      b->stale = json_array_new ();
      g_hash_table_insert (self->bulk, (gpointer)c, b);
    }
  if (old != NULL)
    {
      JsonArray *pair = json_array_new ();

      json_array_add_int_element (pair, rowid);
      if (before != NULL)
        json_array_add_string_element (pair, before);
      else
        json_array_add_null_element (pair);
      json_array_add_array_element (b->stale, pair);
    }
  g_string_append_printf (b->rowids, "%s%" G_GINT64_FORMAT, b->rowids->len > 1 ? "," : "", rowid);
  return TRUE;
}

static gboolean
bulk_exec (TsuStore *self, const char *sql, const char *json, GError **error)
{
  sqlite3_stmt *stmt = get_statement (self, sql, error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "search index");
      return FALSE;
    }
  return TRUE;
}

/* Writes the noted search index rows: one statement per collection and
 * kind instead of one (and one flush of FTS5's pending terms) per row. */
static gboolean
bulk_flush (TsuStore *self, GError **error)
{
  GHashTableIter iter;
  gpointer       key, value;

  g_hash_table_iter_init (&iter, self->bulk);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const TsuCollection *c = key;
      BulkIndex           *b = value;

      if (json_array_get_length (b->stale) > 0)
        {
          g_autofree char *sql = tsu_search_index_bulk_delete_sql (c->name);
          g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), b->stale);
          g_autofree char *json = json_to_string (node, FALSE);

          if (!bulk_exec (self, sql, json, error))
            return FALSE;
        }
      if (b->rowids->len > 1)
        {
          g_autofree char *sql = tsu_search_index_bulk_insert_sql (c->name);

          g_string_append_c (b->rowids, ']');
          if (!bulk_exec (self, sql, b->rowids->str, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* ---- the one write path ---- */

typedef struct
{
  const TsuCollection *collection;
  const char          *id;
  JsonObject          *fields;
  WriteAction          action;
  gint64               remote_rev;
  gboolean             remote_deleted;
  const char          *now;       /* the time of a batch, or NULL: now */
  gboolean             no_outbox; /* a correction that rides on a requeued entry */
  char                *new_id;
} WriteRequest;

static const char *
action_name (WriteAction action, gboolean existed)
{
  switch (action)
    {
    case ACTION_INSERT:
      return "insert";
    case ACTION_UPDATE:
      return "update";
    case ACTION_DELETE:
      return "delete";
    case ACTION_UNDELETE:
      return "undelete";
    case ACTION_REMOTE:
      return existed ? "update" : "insert";
    default:
      g_assert_not_reached ();
    }
}

static gboolean
invalid (GError **error, const TsuCollection *c, const char *field, const char *message)
{
  const TsuFieldDef *f = field ? tsu_collection_lookup_field (c, field) : NULL;

  if (f == NULL && field != NULL)
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID, _ ("“%s” is not a field of %s."),
                 field, tsu_collection_get_label (c));
  else if (f == NULL)
    g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID, message);
  else
    /* TRANSLATORS: a field's label, then what is wrong with its value */
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID, _ ("%s: %s"),
                 tsu_field_get_label (f), message);
  return FALSE;
}

/* Whether a value has the JSON shape its column stores (what a row pulled
 * from the server must have: its content rules were the server's to check,
 * and a page is never refused for one old value). */
static gboolean
storage_ok (const TsuFieldDef *f, JsonNode *v)
{
  GType t;

  if (v == NULL || JSON_NODE_HOLDS_NULL (v))
    return TRUE;
  if (tsu_field_type_is_json (f->type))
    return f->type == TSU_FIELD_JSON || JSON_NODE_HOLDS_ARRAY (v);
  if (!JSON_NODE_HOLDS_VALUE (v))
    return FALSE;
  t = json_node_get_value_type (v);
  switch (f->type)
    {
    case TSU_FIELD_INT:
      return t == G_TYPE_INT64;
    case TSU_FIELD_BOOL:
      return t == G_TYPE_BOOLEAN;
    default:
      return t == G_TYPE_STRING && strlen (json_node_get_string (v)) <= TSU_FIELD_MAX_BYTES;
    }
}

/* Every given value against its field (tsu_field_check_value(), the same
 * check the server makes), and a required field never emptied. */
static gboolean
validate_fields (const TsuCollection *c, JsonObject *fields, gboolean remote, GError **error)
{
  JsonObjectIter   iter;
  const char      *name;
  JsonNode        *value;
  g_autofree char *field = NULL;
  g_autofree char *message = NULL;

  if (fields == NULL)
    return TRUE;
  if (remote)
    {
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          const TsuFieldDef *f = tsu_collection_lookup_field (c, name);

          if (f == NULL || (f->flags & TSU_FIELD_DERIVED))
            return invalid (error, c, name, NULL);
          if (!storage_ok (f, value))
            return invalid (error, c, name, _ ("The value has the wrong shape."));
        }
      return TRUE;
    }
  if (!tsu_collection_check_fields (c, fields, &field, &message))
    return invalid (error, c, field, message);
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *f = tsu_collection_lookup_field (c, name);

      if ((f->flags & TSU_FIELD_REQUIRED)
          && (JSON_NODE_HOLDS_NULL (value)
              || (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING
                  && *json_node_get_string (value) == '\0')))
        return invalid (error, c, name, _ ("A value is required."));
    }
  return TRUE;
}

static gboolean
nodes_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  return json_node_equal (a, b);
}

static JsonNode *
null_or_copy (JsonNode *node)
{
  return node ? json_node_copy (node) : json_node_new (JSON_NODE_NULL);
}

static char *
object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}

/* The INSERT and UPDATE of a whole row, made once per collection (like
 * select_sql(): a bulk apply writes thousands of rows with them). */
G_LOCK_DEFINE_STATIC (write_sql);

static const char *
write_sql (const TsuCollection *c, gboolean existed)
{
  static GHashTable *cache[2];
  const char        *sql;

  G_LOCK (write_sql);
  if (cache[existed] == NULL)
    cache[existed] = g_hash_table_new (NULL, NULL);
  sql = g_hash_table_lookup (cache[existed], c);
  if (sql == NULL)
    {
      GString *s = g_string_new (NULL);

      if (existed)
        {
          g_string_append_printf (s, "UPDATE \"%s\" SET rev = ?, updated_at = ?, deleted = ?",
                                  c->name);
          for (guint i = 0; i < c->n_fields; i++)
            g_string_append_printf (s, ", \"%s\" = ?", c->fields[i].name);
          g_string_append (s, " WHERE id = ?");
        }
      else
        {
          g_string_append_printf (s, "INSERT INTO \"%s\" (rev, updated_at, deleted", c->name);
          for (guint i = 0; i < c->n_fields; i++)
            g_string_append_printf (s, ", \"%s\"", c->fields[i].name);
          g_string_append (s, ", id, created_at) VALUES (?, ?, ?");
          for (guint i = 0; i < c->n_fields; i++)
            g_string_append (s, ", ?");
          g_string_append (s, ", ?, ?)");
        }
      sql = g_string_free (s, FALSE);
      g_hash_table_insert (cache[existed], (gpointer)c, (gpointer)sql);
    }
  G_UNLOCK (write_sql);
  return sql;
}

static gboolean
write_row (
    TsuStore *self, const TsuCollection *c, JsonObject *row, gboolean existed, GError **error)
{
  sqlite3_stmt *stmt;
  int           col = 1;

  stmt = get_statement (self, write_sql (c, existed), error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_int64 (stmt, col++, json_object_get_int_member (row, "rev"));
  sqlite3_bind_text (stmt, col++, json_object_get_string_member (row, "updated_at"), -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_int (stmt, col++, json_object_get_boolean_member (row, "deleted") ? 1 : 0);
  for (guint i = 0; i < c->n_fields; i++)
    bind_value (stmt, col++, &c->fields[i], json_object_get_member (row, c->fields[i].name));
  sqlite3_bind_text (stmt, col++, json_object_get_string_member (row, "id"), -1, SQLITE_TRANSIENT);
  if (!existed)
    sqlite3_bind_text (stmt, col++, json_object_get_string_member (row, "created_at"), -1,
                       SQLITE_TRANSIENT);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, existed ? "update" : "insert");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_history (TsuStore   *self,
               const char *collection,
               const char *id,
               const char *at,
               const char *action,
               JsonObject *changes,
               const char *literal,
               GError    **error)
{
  static const char *origins[] = { "local", "import", "server" };
  static const char  sql[]
      = "INSERT INTO history (collection, record_id, at, author, origin, action, changes)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)";
  sqlite3_stmt *stmt = get_statement (self, sql, error);
  /* Most of a first sync: a compact entry, no generator needed. */
  g_autofree char *text = literal                               ? g_strdup (literal)
                          : json_object_get_size (changes) == 0 ? g_strdup ("{}")
                                                                : object_to_string (changes);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4,
                     self->txn_origin == TSU_ORIGIN_SERVER ? "server" : tsu_store_get_author (self),
                     -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 5, origins[self->txn_origin], -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, text, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "history");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
write_outbox (TsuStore   *self,
              const char *collection,
              const char *id,
              const char *op,
              gint64      base_rev,
              JsonObject *new_values,
              JsonObject *old_values,
              const char *at,
              GError    **error)
{
  static const char bump[] = "INSERT INTO meta (key, value) VALUES ('outbox_seq', '1')"
                             " ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + 1"
                             " RETURNING CAST(value AS INTEGER)";
  static const char sql[]
      = "INSERT INTO outbox (seq, collection, record_id, op, base_rev, fields, old, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
  g_autofree char *fields_text = object_to_string (new_values);
  g_autofree char *old_text = object_to_string (old_values);
  sqlite3_stmt    *stmt;
  gint64           seq;

  /* The per-desk sequence lives in meta, not MAX(seq): entries may be pruned
   * once the server has them, and a sequence number is never reused. */
  stmt = get_statement (self, bump, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      tsu_store_set_sqlite_error (error, self->db, "outbox sequence");
      sqlite3_reset (stmt);
      return FALSE;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  sqlite3_reset (stmt);

  stmt = get_statement (self, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, base_rev);
  sqlite3_bind_text (stmt, 6, fields_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, old_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, at, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "outbox");
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

/* ---- rules looking at other records, inside the write transaction ---- */

static JsonObject *
row_from_stmt (sqlite3_stmt *stmt, const TsuCollection *c)
{
  JsonObject *row = json_object_new ();

  json_object_set_string_member (row, "id", (const char *)sqlite3_column_text (stmt, 0));
  for (guint i = 0; i < c->n_fields; i++)
    json_object_set_member (row, c->fields[i].name, column_value (stmt, 1 + i, &c->fields[i]));
  return row;
}

static GPtrArray *
rule_find (TsuRuleContext *ctx,
           const char     *collection,
           const char     *field,
           const char     *value,
           const char     *start_field,
           const char     *end_field,
           const char     *from,
           const char     *to,
           GError        **error)
{
  TsuStore            *self = ctx->user_data;
  const TsuCollection *c = tsu_collection_lookup (collection);
  g_autoptr (GString) sql = g_string_new ("SELECT id");
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  sqlite3_stmt *stmt;
  int           rc;

  g_return_val_if_fail (c != NULL && tsu_collection_lookup_field (c, field) != NULL, NULL);

  for (guint i = 0; i < c->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", c->fields[i].name);
  g_string_append_printf (sql, " FROM \"%s\" WHERE \"%s\" = ?1 AND deleted = 0", c->name, field);
  if (start_field != NULL)
    g_string_append_printf (sql, " AND \"%s\" < ?3 AND \"%s\" > ?2", start_field, end_field);
  stmt = get_statement (self, sql->str, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  if (start_field != NULL)
    {
      sqlite3_bind_text (stmt, 2, from, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, to, -1, SQLITE_TRANSIENT);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, row_from_stmt (stmt, c));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "rule");
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static JsonObject *
rule_get (TsuRuleContext *ctx, const char *collection, const char *id, GError **error)
{
  TsuStore            *self = ctx->user_data;
  const TsuCollection *c = tsu_collection_lookup (collection);
  g_autoptr (GError) local_error = NULL;
  JsonObject *row;

  if (c == NULL || id == NULL)
    return NULL;
  row = read_row (self, c, id, &local_error);
  if (row == NULL && !g_error_matches (local_error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return row;
}

/* Runs the collection's guard over a local write (the server decides for
 * rows it sends: a pulled row is never refused here). */
static gboolean
run_guard (TsuStore            *self,
           const TsuCollection *c,
           const char          *id,
           JsonObject          *row,
           JsonObject          *old,
           GError             **error)
{
  TsuRuleContext ctx = { rule_find, rule_get, self };
  TsuRuleRefusal refusal = { 0 };
  g_autoptr (GError) local_error = NULL;

  if (c->guard == NULL || json_object_get_boolean_member (row, "deleted"))
    return TRUE;
  if (c->guard (&ctx, id, row, old, &refusal, &local_error))
    return TRUE;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE,
                         refusal.message ? refusal.message : refusal.reason);
  tsu_rule_refusal_clear (&refusal);
  return FALSE;
}

/**
 * tsu_store_check_guard:
 * @refusal: filled when the collection's rule refuses the record as it is
 *
 * Runs the collection's rule (its guard) over a record as this desk now
 * has it, as if it were written anew, without writing anything: to say
 * why the server refused it, in the desk's language, naming the record it
 * clashes with. A record that is gone or deleted passes.
 *
 * Returns: %FALSE when the rule refuses (@refusal) or a lookup failed
 *   (@error)
 */
gboolean
tsu_store_check_guard (
    TsuStore *self, const char *collection, const char *id, TsuRuleRefusal *refusal, GError **error)
{
  const TsuCollection *c = tsu_collection_lookup (collection);
  TsuRuleContext       ctx = { rule_find, rule_get, self };
  g_autoptr (JsonObject) row = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (c == NULL || c->guard == NULL || id == NULL)
    return TRUE;
  g_rec_mutex_lock (&self->lock);
  row = read_row (self, c, id, NULL);
  if (row != NULL && !json_object_get_boolean_member (row, "deleted"))
    ok = c->guard (&ctx, id, row, NULL, refusal, error);
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

static gboolean
write_in_transaction (TsuStore *self, gpointer user_data, GError **error)
{
  WriteRequest        *req = user_data;
  const TsuCollection *c = req->collection;
  g_autoptr (JsonObject) old = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) changes = json_object_new ();
  g_autoptr (JsonObject) new_values = json_object_new ();
  g_autoptr (JsonObject) old_values = json_object_new ();
  g_autoptr (GError) local_error = NULL;
  g_autofree char *own_now = req->now ? NULL : tsu_timestamp_now ();
  const char      *now = req->now ? req->now : own_now;
  g_autofree char *id = NULL;
  gboolean         existed, was_deleted = FALSE, is_deleted;
  gint64           base_rev = 0, rowid = 0;
  const char      *action;

  if (!validate_fields (c, req->fields, req->action == ACTION_REMOTE, error))
    return FALSE;

  id = req->action == ACTION_INSERT ? tsu_uuid7_new () : g_strdup (req->id);
  /* A record new to this desk (most of a first sync) is known absent
   * without a translated error made and thrown away. */
  if (req->action == ACTION_REMOTE && !row_exists (self, c, id, &rowid, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  else if (req->action != ACTION_INSERT)
    old = read_row (self, c, id, &local_error);
  if (old == NULL && local_error != NULL
      && !(req->action == ACTION_REMOTE
           && g_error_matches (local_error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND)))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  existed = old != NULL;
  if (existed)
    {
      was_deleted = json_object_get_boolean_member (old, "deleted");
      base_rev = json_object_get_int_member (old, "rev");
    }

  if ((req->action == ACTION_UPDATE || req->action == ACTION_DELETE) && was_deleted)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("The record has been deleted."));
      return FALSE;
    }
  if (req->action == ACTION_UNDELETE && !was_deleted)
    return TRUE;

  /* The new row: the old one with the given fields laid over it. */
  row = json_object_new ();
  json_object_set_string_member (row, "id", id);
  json_object_set_string_member (row, "created_at",
                                 existed ? json_object_get_string_member (old, "created_at") : now);
  json_object_set_string_member (row, "updated_at", now);
  json_object_set_int_member (row, "rev",
                              req->action == ACTION_REMOTE ? req->remote_rev : base_rev);
  switch (req->action)
    {
    case ACTION_DELETE:
      is_deleted = TRUE;
      break;
    case ACTION_UNDELETE:
      is_deleted = FALSE;
      break;
    case ACTION_REMOTE:
      is_deleted = req->remote_deleted;
      break;
    default:
      is_deleted = was_deleted;
      break;
    }
  json_object_set_boolean_member (row, "deleted", is_deleted);

  for (guint i = 0; i < c->n_fields; i++)
    {
      const char *name = c->fields[i].name;
      JsonNode   *given = req->fields ? json_object_get_member (req->fields, name) : NULL;
      JsonNode   *before = existed ? json_object_get_member (old, name) : NULL;

      /* Shared, not copied: nothing below changes a value in place. */
      if (given != NULL || before != NULL)
        json_object_set_member (row, name, json_node_ref (given ? given : before));
      else
        json_object_set_member (row, name, json_node_new (JSON_NODE_NULL));
    }
  if (req->action == ACTION_INSERT || req->action == ACTION_UPDATE)
    {
      g_autofree char *field = NULL;
      g_autofree char *message = NULL;

      if (!tsu_collection_check_row (c, row, &field, &message))
        return invalid (error, c, field, message);
    }
  tsu_collection_derive (c, row);
  if (req->action != ACTION_REMOTE && req->action != ACTION_DELETE
      && !run_guard (self, c, id, row, old, error))
    return FALSE;

  /* A record that arrives from the server keeps a compact history entry:
   * the insert without its values (the row holds them, and the server's
   * history every version). Edits of it keep their old and new values. */
  for (guint i = 0; existed || req->action != ACTION_REMOTE ? i < c->n_fields : FALSE; i++)
    {
      const char *name = c->fields[i].name;
      JsonNode   *before = existed ? json_object_get_member (old, name) : NULL;
      JsonNode   *after = json_object_get_member (row, name);
      g_autoptr (JsonObject) change = NULL;

      if ((c->fields[i].flags & TSU_FIELD_DERIVED) || nodes_equal (before, after))
        continue;
      change = json_object_new ();
      json_object_set_member (change, "old", null_or_copy (before));
      json_object_set_member (change, "new", json_node_copy (after));
      json_object_set_object_member (changes, name, g_steal_pointer (&change));
      if (req->action == ACTION_REMOTE)
        continue; /* no outbox entry */
      json_object_set_member (new_values, name, json_node_copy (after));
      json_object_set_member (old_values, name, null_or_copy (before));
    }

  /* An edit that changes nothing leaves no trace. */
  if (json_object_get_size (changes) == 0 && is_deleted == was_deleted && existed
      && req->action != ACTION_REMOTE)
    return TRUE;
  if (req->action == ACTION_REMOTE && existed && json_object_get_size (changes) == 0
      && is_deleted == was_deleted && req->remote_rev == base_rev)
    return TRUE;

  if (!write_row (self, c, row, existed, error))
    return FALSE;
  if (self->bulk != NULL && !note_bulk_index (self, c, existed ? old : NULL, row, rowid, error))
    return FALSE;

  if (req->action == ACTION_REMOTE)
    action = is_deleted && !was_deleted
                 ? "delete"
                 : (!is_deleted && was_deleted ? "undelete" : action_name (req->action, existed));
  else
    action = action_name (req->action, existed);

  /* A local insert's values are the record's first version: the history
   * entry only says so, and tsu_store_get_history() reads them back from
   * the row and the later entries (half the bytes of a new record). */
  if (!write_history (self, c->name, id, now, action, changes,
                      req->action == ACTION_INSERT ? HISTORY_FIRST_VERSION : NULL, error))
    return FALSE;
  if (self->txn_origin != TSU_ORIGIN_SERVER && !req->no_outbox
      && !write_outbox (self, c->name, id, action, base_rev, new_values, old_values, now, error))
    return FALSE;

  note_change (self, c->name, id);
  req->new_id = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
run_write (TsuStore *self, WriteRequest *req, GError **error)
{
  gboolean ok;

  g_rec_mutex_lock (&self->lock);
  if (self->txn_depth > 0)
    {
      /* Joins the caller's transaction (an import, a sync page). */
      ok = write_in_transaction (self, req, error);
      g_rec_mutex_unlock (&self->lock);
      return ok;
    }
  g_rec_mutex_unlock (&self->lock);

  return tsu_store_transaction (self,
                                req->action == ACTION_REMOTE ? TSU_ORIGIN_SERVER : TSU_ORIGIN_LOCAL,
                                write_in_transaction, req, error);
}

static const TsuCollection *
lookup_collection (const char *name, GError **error)
{
  const TsuCollection *c = tsu_collection_lookup (name);

  if (c == NULL)
    g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                 _ ("“%s” is not a known kind of record."), name ? name : "");
  return c;
}

/* Runs one write of @action on its own or inside the caller's transaction;
 * returns the record's id when it wrote one (for inserts, the new id). */
static gboolean
write_one (TsuStore   *self,
           const char *collection,
           const char *id,
           JsonObject *fields,
           WriteAction action,
           gint64      remote_rev,
           gboolean    remote_deleted,
           char      **new_id,
           GError    **error)
{
  WriteRequest req = { 0 };
  gboolean     ok;

  if (!(req.collection = lookup_collection (collection, error)))
    return FALSE;
  req.id = id;
  req.fields = fields;
  req.action = action;
  req.remote_rev = remote_rev;
  req.remote_deleted = remote_deleted;
  ok = run_write (self, &req, error);
  if (new_id != NULL)
    *new_id = g_steal_pointer (&req.new_id);
  g_free (req.new_id);
  return ok;
}

/**
 * tsu_store_insert:
 * @fields: field → value; derived fields are computed, not given
 *
 * Returns: (transfer full): the new record's id (a UUIDv7), or %NULL
 */
char *
tsu_store_insert (TsuStore *self, const char *collection, JsonObject *fields, GError **error)
{
  char *id = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (!write_one (self, collection, NULL, fields, ACTION_INSERT, 0, FALSE, &id, error))
    g_clear_pointer (&id, g_free);
  return id;
}

/**
 * tsu_store_update:
 * @fields: only the fields that change; a null value clears a field
 */
gboolean
tsu_store_update (
    TsuStore *self, const char *collection, const char *id, JsonObject *fields, GError **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return write_one (self, collection, id, fields, ACTION_UPDATE, 0, FALSE, NULL, error);
}

/**
 * tsu_store_delete:
 *
 * Marks the record deleted (a tombstone that syncs); its fields stay so that
 * it can be restored with tsu_store_undelete().
 */
gboolean
tsu_store_delete (TsuStore *self, const char *collection, const char *id, GError **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return write_one (self, collection, id, NULL, ACTION_DELETE, 0, FALSE, NULL, error);
}

gboolean
tsu_store_undelete (TsuStore *self, const char *collection, const char *id, GError **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return write_one (self, collection, id, NULL, ACTION_UNDELETE, 0, FALSE, NULL, error);
}

gboolean
tsu_store_apply_remote (TsuStore   *self,
                        const char *collection,
                        const char *id,
                        JsonObject *fields,
                        gint64      rev,
                        gboolean    deleted,
                        GError    **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!tsu_uuid_is_valid (id))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _ ("“%s” is not a valid record id."), id);
      return FALSE;
    }
  return write_one (self, collection, id, fields, ACTION_REMOTE, rev, deleted, NULL, error);
}

typedef struct
{
  const TsuRemoteRecord *records;
  guint                  n;
} RemoteBatch;

static gboolean remote_batch_rows (TsuStore *self, RemoteBatch *b, const char *now, GError **error);

static gboolean
remote_batch_in_transaction (TsuStore *self, gpointer user_data, GError **error)
{
  RemoteBatch     *b = user_data;
  g_autofree char *now = tsu_timestamp_now ();
  gboolean         use_bulk, ok;

  if (self->txn_origin != TSU_ORIGIN_SERVER)
    {
      /* Joining a local transaction would queue the server's own records
       * in the outbox. */
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                           "records from the server are applied in a transaction of origin server");
      return FALSE;
    }
  /* More than a few rows, every table concerned with only its search
   * index's triggers: the triggers go off for the batch (each FTS5 statement
   * inside a transaction would flush its pending terms) and the index is
   * written once at the end. */
  use_bulk = b->n >= 8;
  for (guint i = 0; use_bulk && i < b->n; i++)
    {
      const TsuCollection *c = tsu_collection_lookup (b->records[i].collection);

      use_bulk = c != NULL && bulk_capable (self, c);
    }
  if (use_bulk)
    {
      int off = 0;

      sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &off);
      self->bulk = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify)bulk_index_free);
    }
  ok = remote_batch_rows (self, b, now, error) && (!use_bulk || bulk_flush (self, error));
  if (use_bulk)
    {
      int on = 1;

      g_clear_pointer (&self->bulk, g_hash_table_unref);
      sqlite3_db_config (self->db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, &on);
    }
  return ok;
}

static gboolean
remote_batch_rows (TsuStore *self, RemoteBatch *b, const char *now, GError **error)
{
  for (guint i = 0; i < b->n; i++)
    {
      const TsuRemoteRecord *r = &b->records[i];
      WriteRequest           req = { 0 };
      gboolean               ok;

      if (!(req.collection = lookup_collection (r->collection, error)))
        return FALSE;
      if (r->id == NULL || !tsu_uuid_is_valid (r->id))
        {
          g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                       _ ("“%s” is not a valid record id."), r->id ? r->id : "");
          return FALSE;
        }
      req.id = r->id;
      req.fields = r->fields;
      req.action = ACTION_REMOTE;
      req.remote_rev = r->rev;
      req.remote_deleted = r->deleted;
      req.now = now;
      ok = write_in_transaction (self, &req, error);
      g_free (req.new_id);
      if (!ok)
        return FALSE;
    }
  return TRUE;
}

/**
 * tsu_store_apply_remote_batch:
 * @records: (array length=n): record versions pulled from the server
 *
 * Applies many record versions from the server through the same write path
 * as tsu_store_apply_remote() (row, derived fields, search index, history;
 * no outbox), in one transaction: the caller's when it has one of origin
 * server (a pulled page with its cursor), else its own. The prepared
 * statements are reused across the batch and "changed" is emitted once per
 * collection after the commit.
 *
 * Returns: %TRUE when every record was applied; %FALSE leaves none
 */
gboolean
tsu_store_apply_remote_batch (TsuStore              *self,
                              const TsuRemoteRecord *records,
                              guint                  n,
                              GError               **error)
{
  RemoteBatch b = { records, n };

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (records != NULL || n == 0, FALSE);

  return tsu_store_transaction (self, TSU_ORIGIN_SERVER, remote_batch_in_transaction, &b, error);
}

JsonObject *
tsu_store_get (TsuStore *self, const char *collection, const char *id, GError **error)
{
  const TsuCollection *c;
  JsonObject          *row;
  Conn                 conn;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  if (!(c = lookup_collection (collection, error)))
    return NULL;
  read_begin (self, &conn);
  row = read_row_on (&conn, c, id, error);
  read_end (self, &conn);
  return row;
}

static JsonNode *
parse_json_column (sqlite3_stmt *stmt, int col)
{
  const char *text = (const char *)sqlite3_column_text (stmt, col);
  JsonNode   *node = text ? json_from_string (text, NULL) : NULL;

  return node ? node : json_node_new (JSON_NODE_NULL);
}

typedef JsonObject *(*RowFunc) (sqlite3_stmt *stmt);

/* Runs a read statement to its end, one object a row, on the connection
 * read_begin() gave; resets it and ends the read. */
static JsonArray *
collect_rows (TsuStore     *self,
              Conn         *conn,
              sqlite3_stmt *stmt,
              RowFunc       row_func,
              const char   *what,
              GError      **error)
{
  g_autoptr (JsonArray) result = json_array_new ();
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_object_element (result, row_func (stmt));
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, conn->db, what);
      g_clear_pointer (&result, json_array_unref);
    }
  sqlite3_reset (stmt);
  read_end (self, conn);
  return g_steal_pointer (&result);
}

static JsonObject *
history_row (sqlite3_stmt *stmt)
{
  JsonObject *entry = json_object_new ();

  json_object_set_string_member (entry, "at", (const char *)sqlite3_column_text (stmt, 0));
  json_object_set_string_member (entry, "author", (const char *)sqlite3_column_text (stmt, 1));
  json_object_set_string_member (entry, "origin", (const char *)sqlite3_column_text (stmt, 2));
  json_object_set_string_member (entry, "action", (const char *)sqlite3_column_text (stmt, 3));
  json_object_set_member (entry, "changes", parse_json_column (stmt, 4));
  json_object_set_int_member (entry, "id", sqlite3_column_int64 (stmt, 5));
  return entry;
}

/* An insert entry written as HISTORY_FIRST_VERSION gets its values back:
 * each field as the first later entry that changed it had it before
 * ("old"), else as the record holds it now. Every write of a record goes
 * through the history, so this is the value the insert wrote (an erased
 * value stays gone: erasure drops it from the row and every entry). */
static void
history_first_version (const TsuCollection *c, JsonArray *history, guint at, JsonObject *row)
{
  JsonObject *entry = json_array_get_object_element (history, at);
  JsonObject *changes = json_object_new ();

  for (guint i = 0; i < c->n_fields; i++)
    {
      const char *name = c->fields[i].name;
      JsonNode   *value = row ? json_object_get_member (row, name) : NULL;
      JsonObject *change;

      if (c->fields[i].flags & TSU_FIELD_DERIVED)
        continue;
      for (guint k = at + 1; k < json_array_get_length (history); k++)
        {
          JsonNode *later
              = json_object_get_member (json_array_get_object_element (history, k), "changes");
          JsonNode *pair;

          if (later == NULL || !JSON_NODE_HOLDS_OBJECT (later))
            continue;
          pair = json_object_get_member (json_node_get_object (later), name);
          if (pair != NULL && JSON_NODE_HOLDS_OBJECT (pair))
            {
              value = json_object_get_member (json_node_get_object (pair), "old");
              break;
            }
        }
      if (value == NULL || JSON_NODE_HOLDS_NULL (value))
        continue;
      change = json_object_new ();
      json_object_set_null_member (change, "old");
      json_object_set_member (change, "new", json_node_copy (value));
      json_object_set_object_member (changes, name, change);
    }
  json_object_set_object_member (entry, "changes", changes);
}

static gboolean
is_first_version (JsonObject *entry)
{
  JsonNode *changes = json_object_get_member (entry, "changes");

  return g_str_equal (json_object_get_string_member (entry, "action"), "insert") && changes
         && JSON_NODE_HOLDS_OBJECT (changes)
         && json_object_has_member (json_node_get_object (changes), "@values");
}

JsonArray *
tsu_store_get_history (TsuStore *self, const char *collection, const char *id, GError **error)
{
  static const char    sql[] = "SELECT at, author, origin, action, changes, id FROM history"
                               " WHERE collection = ? AND record_id = ? ORDER BY id";
  const TsuCollection *c = tsu_collection_lookup (collection);
  g_autoptr (JsonArray) result = json_array_new ();
  g_autoptr (JsonObject) row = NULL;
  sqlite3_stmt *stmt;
  Conn          conn;
  int           rc;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  /* The entries and the row in one read transaction, so that they agree. */
  read_begin (self, &conn);
  stmt = conn_statement (&conn, sql, error);
  if (stmt == NULL)
    {
      read_end (self, &conn);
      return NULL;
    }
  if (!conn.writer)
    sqlite3_exec (conn.db, "BEGIN", NULL, NULL, NULL);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_object_element (result, history_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, conn.db, "history");
      if (!conn.writer)
        sqlite3_exec (conn.db, "COMMIT", NULL, NULL, NULL);
      read_end (self, &conn);
      return NULL;
    }
  for (guint i = 0; c != NULL && i < json_array_get_length (result); i++)
    if (is_first_version (json_array_get_object_element (result, i)))
      {
        if (row == NULL)
          row = read_row_on (&conn, c, id, NULL);
        history_first_version (c, result, i, row);
      }
  if (!conn.writer)
    sqlite3_exec (conn.db, "COMMIT", NULL, NULL, NULL);
  read_end (self, &conn);
  return g_steal_pointer (&result);
}

static JsonObject *
outbox_row (sqlite3_stmt *stmt)
{
  JsonObject *entry = json_object_new ();

  json_object_set_int_member (entry, "seq", sqlite3_column_int64 (stmt, 0));
  json_object_set_string_member (entry, "collection", (const char *)sqlite3_column_text (stmt, 1));
  json_object_set_string_member (entry, "id", (const char *)sqlite3_column_text (stmt, 2));
  json_object_set_string_member (entry, "op", (const char *)sqlite3_column_text (stmt, 3));
  json_object_set_int_member (entry, "base_rev", sqlite3_column_int64 (stmt, 4));
  json_object_set_member (entry, "fields", parse_json_column (stmt, 5));
  json_object_set_member (entry, "old", parse_json_column (stmt, 6));
  json_object_set_string_member (entry, "created_at", (const char *)sqlite3_column_text (stmt, 7));
  json_object_set_string_member (entry, "state", (const char *)sqlite3_column_text (stmt, 8));
  if (sqlite3_column_type (stmt, 9) != SQLITE_NULL)
    json_object_set_member (entry, "result", parse_json_column (stmt, 9));
  return entry;
}

JsonArray *
tsu_store_get_outbox (TsuStore *self, gint64 after_seq, guint limit, GError **error)
{
  static const char sql[]
      = "SELECT seq, collection, record_id, op, base_rev, fields, old, created_at, state, result"
        " FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?";
  sqlite3_stmt *stmt;
  Conn          conn;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  read_begin (self, &conn);
  stmt = conn_statement (&conn, sql, error);
  if (stmt == NULL)
    {
      read_end (self, &conn);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, after_seq);
  sqlite3_bind_int64 (stmt, 2, limit);
  return collect_rows (self, &conn, stmt, outbox_row, "outbox", error);
}

/* An acknowledged entry made again without its values. An UPDATE that
 * shrinks a row rewrites it in place and leaves its page as large as it was;
 * a DELETE merges pages left under a third full, so the entry is deleted
 * and inserted again, small (its seq and the rest of it unchanged). */
static gboolean
outbox_drop_values (TsuStore *self, gint64 seq, const char *state, const char *text, GError **error)
{
  sqlite3_stmt    *take, *put;
  g_autofree char *collection = NULL, *record_id = NULL, *op = NULL, *created_at = NULL;
  gint64           base_rev = 0;
  int              rc;

  take = get_statement (self,
                        "DELETE FROM outbox WHERE seq = ?"
                        " RETURNING collection, record_id, op, base_rev, created_at",
                        error);
  if (take == NULL)
    return FALSE;
  sqlite3_bind_int64 (take, 1, seq);
  while ((rc = sqlite3_step (take)) == SQLITE_ROW)
    {
      collection = g_strdup ((const char *)sqlite3_column_text (take, 0));
      record_id = g_strdup ((const char *)sqlite3_column_text (take, 1));
      op = g_strdup ((const char *)sqlite3_column_text (take, 2));
      base_rev = sqlite3_column_int64 (take, 3);
      created_at = g_strdup ((const char *)sqlite3_column_text (take, 4));
    }
  sqlite3_reset (take);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "outbox");
      return FALSE;
    }
  if (collection == NULL)
    return TRUE; /* no such entry: as the UPDATE it replaces */
  put = get_statement (self,
                       "INSERT INTO outbox (seq, collection, record_id, op, base_rev, fields, old,"
                       " created_at, state, result) VALUES (?, ?, ?, ?, ?, '{}', '{}', ?, ?, ?)",
                       error);
  if (put == NULL)
    return FALSE;
  sqlite3_bind_int64 (put, 1, seq);
  sqlite3_bind_text (put, 2, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 3, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 4, op, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (put, 5, base_rev);
  sqlite3_bind_text (put, 6, created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 7, state, -1, SQLITE_STATIC);
  sqlite3_bind_text (put, 8, text, -1, SQLITE_STATIC);
  rc = sqlite3_step (put);
  sqlite3_reset (put);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "outbox");
      return FALSE;
    }
  return TRUE;
}

gboolean
tsu_store_outbox_set_result (
    TsuStore *self, gint64 seq, const char *state, JsonObject *result, GError **error)
{
  static const char sql[] = "UPDATE outbox SET state = ?, result = ? WHERE seq = ?";
  g_autofree char  *text = result ? object_to_string (result) : NULL;
  /* The server has the change: its values are dropped (the record and its
   * history hold them); the entry stays as a record of what was sent and
   * how it ended. A refused change keeps them: requeue and discard need
   * them, and so does staff's "needs attention" list. */
  gboolean      acked = g_strcmp0 (state, "rejected") != 0 && g_strcmp0 (state, "pending") != 0;
  sqlite3_stmt *stmt;
  gboolean      ok = TRUE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  if (acked)
    {
      /* Both statements or neither, inside a transaction or not. */
      ok = tsu_store_exec (self->db, "SAVEPOINT outbox_ack;", error);
      if (ok && !(ok = outbox_drop_values (self, seq, state, text, error)))
        sqlite3_exec (self->db, "ROLLBACK TO outbox_ack;", NULL, NULL, NULL);
      sqlite3_exec (self->db, "RELEASE outbox_ack;", NULL, NULL, NULL);
      g_rec_mutex_unlock (&self->lock);
      return ok;
    }
  stmt = get_statement (self, sql, error);
  if (stmt == NULL)
    ok = FALSE;
  else
    {
      sqlite3_bind_text (stmt, 1, state, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 3, seq);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, self->db, "outbox");
          ok = FALSE;
        }
      sqlite3_reset (stmt);
    }
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

/* ---- refused changes: requeue or discard ---- */

typedef struct
{
  gint64      seq;
  JsonObject *corrections;
  gboolean    discard;
} Refused;

static JsonObject *
json_column_object (sqlite3_stmt *stmt, int col)
{
  g_autoptr (JsonNode) node = parse_json_column (stmt, col);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_object_ref (json_node_get_object (node))
                                       : json_object_new ();
}

/* The state alone: the server's answer stays in "result" for the record. */
static gboolean
outbox_set_state (TsuStore *self, gint64 seq, const char *state, GError **error)
{
  sqlite3_stmt *stmt = get_statement (self, "UPDATE outbox SET state = ? WHERE seq = ?", error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, state, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, self->db, "outbox");
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_quietly (TsuStore            *self,
               const TsuCollection *c,
               const char          *id,
               WriteAction          action,
               JsonObject          *fields,
               GError             **error)
{
  WriteRequest req = { 0 };
  gboolean     ok;

  req.collection = c;
  req.id = id;
  req.action = action;
  req.fields = fields;
  req.no_outbox = TRUE;
  ok = write_in_transaction (self, &req, error);
  g_free (req.new_id);
  return ok;
}

static gboolean
refused_txn (TsuStore *self, gpointer user_data, GError **error)
{
  Refused         *r = user_data;
  sqlite3_stmt    *stmt;
  g_autofree char *collection = NULL, *id = NULL, *op = NULL, *state = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autoptr (JsonObject) old_values = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) new_fields = json_object_new ();
  g_autoptr (JsonObject) new_old = json_object_new ();
  g_autofree char     *now = tsu_timestamp_now ();
  const TsuCollection *c;
  gint64               base_rev;
  JsonObjectIter       iter;
  const char          *name;
  JsonNode            *value;

  stmt = get_statement (
      self, "SELECT collection, record_id, op, fields, old, state FROM outbox WHERE seq = ?",
      error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, r->seq);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      collection = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      op = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      fields = json_column_object (stmt, 3);
      old_values = json_column_object (stmt, 4);
      state = g_strdup ((const char *)sqlite3_column_text (stmt, 5));
    }
  sqlite3_reset (stmt);
  if (state == NULL || !g_str_equal (state, "rejected"))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("That change is no longer waiting for a decision."));
      return FALSE;
    }
  if (!(c = lookup_collection (collection, error)))
    return FALSE;

  if (r->discard)
    {
      /* Back to what the server has: a record it never took goes away,
       * refused field values go back to what they were, a refused delete
       * or restore is undone. No outbox entry: the server has this. */
      g_autoptr (JsonObject) current = read_row (self, c, id, NULL);
      g_autoptr (JsonObject) back = json_object_new ();

      if (current != NULL && g_str_equal (op, "insert")
          && !json_object_get_boolean_member (current, "deleted")
          && !write_quietly (self, c, id, ACTION_DELETE, NULL, error))
        return FALSE;
      if (current != NULL && g_str_equal (op, "update")
          && !json_object_get_boolean_member (current, "deleted"))
        {
          json_object_iter_init (&iter, old_values);
          while (json_object_iter_next (&iter, &name, &value))
            {
              JsonNode *now_value = json_object_get_member (current, name);
              JsonNode *refused = json_object_get_member (fields, name);

              /* Only values nobody changed since the refusal. */
              if (tsu_collection_lookup_field (c, name) != NULL && refused != NULL
                  && nodes_equal (now_value, refused))
                json_object_set_member (back, name, json_node_copy (value));
            }
          if (json_object_get_size (back) > 0
              && !write_quietly (self, c, id, ACTION_UPDATE, back, error))
            return FALSE;
        }
      if (current != NULL && g_str_equal (op, "delete")
          && json_object_get_boolean_member (current, "deleted")
          && !write_quietly (self, c, id, ACTION_UNDELETE, NULL, error))
        return FALSE;
      if (current != NULL && g_str_equal (op, "undelete")
          && !json_object_get_boolean_member (current, "deleted")
          && !write_quietly (self, c, id, ACTION_DELETE, NULL, error))
        return FALSE;
      return outbox_set_state (self, r->seq, "discarded", error);
    }

  if (r->corrections != NULL && json_object_get_size (r->corrections) > 0
      && !write_quietly (self, c, id, ACTION_UPDATE, r->corrections, error))
    return FALSE;
  if (!(row = read_row (self, c, id, error)))
    return FALSE;
  base_rev = json_object_get_int_member (row, "rev");
  if (g_str_equal (op, "insert") && base_rev == 0)
    {
      /* The server never took the record: all of it again. */
      for (guint i = 0; i < c->n_fields; i++)
        {
          JsonNode *v = json_object_get_member (row, c->fields[i].name);

          if (!(c->fields[i].flags & TSU_FIELD_DERIVED) && v != NULL && !JSON_NODE_HOLDS_NULL (v))
            json_object_set_member (new_fields, c->fields[i].name, json_node_copy (v));
        }
    }
  else if (g_str_equal (op, "insert") || g_str_equal (op, "update"))
    {
      g_free (op);
      op = g_strdup ("update");
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        if (tsu_collection_lookup_field (c, name) != NULL)
          {
            JsonNode *o = json_object_get_member (old_values, name);

            json_object_set_member (new_fields, name,
                                    null_or_copy (json_object_get_member (row, name)));
            json_object_set_member (new_old, name, null_or_copy (o));
          }
      if (r->corrections != NULL)
        {
          json_object_iter_init (&iter, r->corrections);
          while (json_object_iter_next (&iter, &name, &value))
            if (!json_object_has_member (new_fields, name))
              {
                json_object_set_member (new_fields, name,
                                        null_or_copy (json_object_get_member (row, name)));
                json_object_set_member (new_old, name, json_node_new (JSON_NODE_NULL));
              }
        }
    }
  if (!write_outbox (self, c->name, id, op, base_rev, new_fields, new_old, now, error))
    return FALSE;
  note_change (self, c->name, id);
  return outbox_set_state (self, r->seq, "retried", error);
}

/**
 * tsu_store_outbox_requeue:
 * @seq: an outbox entry the server refused (state "rejected")
 * @corrections: (nullable): field values to set on the record first (the
 *   fix staff typed for the server's reason); they ride on the new entry
 *
 * Queues the refused change again as a new outbox entry made from the
 * record's values now (a refused insert: the whole record; an update: its
 * fields; a delete or restore: the same again). The refused entry's state
 * becomes "retried". One transaction.
 */
gboolean
tsu_store_outbox_requeue (TsuStore *self, gint64 seq, JsonObject *corrections, GError **error)
{
  Refused r = { seq, corrections, FALSE };

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  return tsu_store_transaction (self, TSU_ORIGIN_LOCAL, refused_txn, &r, error);
}

/**
 * tsu_store_outbox_discard:
 * @seq: an outbox entry the server refused
 *
 * Gives up a refused change: the record goes back to what the server has
 * (a record the server never took is deleted here, refused values return to
 * their old ones unless changed since, a refused delete or restore is
 * undone), with history and no outbox entry; the entry's state becomes
 * "discarded". One transaction.
 */
gboolean
tsu_store_outbox_discard (TsuStore *self, gint64 seq, GError **error)
{
  Refused r = { seq, NULL, TRUE };

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  return tsu_store_transaction (self, TSU_ORIGIN_LOCAL, refused_txn, &r, error);
}

gint64
tsu_store_count (TsuStore *self, const char *collection, gboolean include_deleted, GError **error)
{
  const TsuCollection *c;
  g_autofree char     *sql = NULL;
  sqlite3_stmt        *stmt;
  gint64               n = -1;
  Conn                 conn;

  g_return_val_if_fail (TSU_IS_STORE (self), -1);

  if (!(c = lookup_collection (collection, error)))
    return -1;
  sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"%s", c->name,
                         include_deleted ? "" : " WHERE deleted = 0");
  read_begin (self, &conn);
  stmt = conn_statement (&conn, sql, error);
  if (stmt != NULL)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        tsu_store_set_sqlite_error (error, conn.db, "count");
      sqlite3_reset (stmt);
    }
  read_end (self, &conn);
  return n;
}

char *
tsu_store_get_meta (TsuStore *self, const char *key)
{
  sqlite3_stmt *stmt;
  char         *value = NULL;
  Conn          conn;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  read_begin (self, &conn);
  stmt = conn_statement (&conn, "SELECT value FROM meta WHERE key = ?", NULL);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      sqlite3_reset (stmt);
    }
  read_end (self, &conn);
  return value;
}

/* Meta values are desk settings, not records: no history, no outbox. Inside
 * a transaction (a sync page with its cursor) they commit with it. */
gboolean
tsu_store_set_meta (TsuStore *self, const char *key, const char *value, GError **error)
{
  sqlite3_stmt *stmt;
  gboolean      ok = FALSE;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  g_rec_mutex_lock (&self->lock);
  stmt = get_statement (self,
                        "INSERT INTO meta (key, value) VALUES (?, ?)"
                        " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        error);
  if (stmt != NULL)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_TRANSIENT);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      if (!ok)
        tsu_store_set_sqlite_error (error, self->db, "meta");
      sqlite3_reset (stmt);
    }
  g_rec_mutex_unlock (&self->lock);
  return ok;
}

gpointer
tsu_store_open_reader (TsuStore *self, GError **error)
{
  sqlite3 *db = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_OPEN,
                   _ ("The database file “%s” cannot be opened: %s"), self->path,
                   db ? sqlite3_errmsg (db) : "");
      sqlite3_close (db);
      return NULL;
    }
  sqlite3_busy_timeout (db, 5000);
  return db;
}

typedef struct
{
  const char *collection;
  const char *id;
  gint64      history_id;
} Revert;

static gboolean
revert_txn (TsuStore *self, gpointer user_data, GError **error)
{
  Revert *r = user_data;
  g_autoptr (JsonArray) history = tsu_store_get_history (self, r->collection, r->id, error);
  JsonObject    *entry = NULL;
  const char    *action;
  JsonObject    *changes;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;
  g_autoptr (JsonObject) fields = json_object_new ();

  if (history == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *e = json_array_get_object_element (history, i);

      if (json_object_get_int_member (e, "id") == r->history_id)
        entry = e;
    }
  if (entry == NULL)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("That change is not in the record's history."));
      return FALSE;
    }
  action = json_object_get_string_member (entry, "action");
  if (g_str_equal (action, "insert"))
    return tsu_store_delete (self, r->collection, r->id, error);
  if (g_str_equal (action, "delete"))
    return tsu_store_undelete (self, r->collection, r->id, error);
  if (g_str_equal (action, "undelete"))
    return tsu_store_delete (self, r->collection, r->id, error);

  changes = json_object_get_object_member (entry, "changes");
  json_object_iter_init (&iter, changes);
  while (json_object_iter_next (&iter, &name, &value))
    if (JSON_NODE_HOLDS_OBJECT (value))
      {
        JsonNode *old = json_object_get_member (json_node_get_object (value), "old");

        json_object_set_member (fields, name,
                                old ? json_node_copy (old) : json_node_new (JSON_NODE_NULL));
      }
  return tsu_store_update (self, r->collection, r->id, fields, error);
}

gboolean
tsu_store_revert (
    TsuStore *self, const char *collection, const char *id, gint64 history_id, GError **error)
{
  Revert r = { collection, id, history_id };

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return tsu_store_transaction (self, TSU_ORIGIN_LOCAL, revert_txn, &r, error);
}

/**
 * tsu_store_rederive:
 * @where: (nullable): an SQL condition choosing the rows (e.g. rows whose
 *   derived values an older build never wrote), or %NULL for all
 *
 * Computes the derived fields (sort key, search text…) of rows again with
 * tsu_collection_derive(): for a collection's schema step, inside its
 * transaction. Changes no field a person wrote and leaves no history.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_store_rederive (sqlite3 *db, const TsuCollection *c, const char *where, GError **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT rowid");
  g_autoptr (GString) update = g_string_new (NULL);
  sqlite3_stmt *select = NULL, *write = NULL;
  guint         n_derived = 0;
  int           rc;
  gboolean      ok = FALSE;

  for (guint i = 0; i < c->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", c->fields[i].name);
  g_string_append_printf (sql, " FROM \"%s\"%s%s", c->name, where ? " WHERE " : "",
                          where ? where : "");
  g_string_printf (update, "UPDATE \"%s\" SET ", c->name);
  for (guint i = 0; i < c->n_fields; i++)
    if (c->fields[i].flags & TSU_FIELD_DERIVED)
      {
        g_string_append_printf (update, "%s\"%s\" = ?%u", n_derived ? ", " : "", c->fields[i].name,
                                n_derived + 1);
        n_derived++;
      }
  g_string_append_printf (update, " WHERE rowid = ?%u", n_derived + 1);
  if (n_derived == 0)
    return TRUE;
  if (sqlite3_prepare_v2 (db, sql->str, -1, &select, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, update->str, -1, &write, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "derive");
      goto out;
    }
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) row = json_object_new ();
      guint k = 1;

      for (guint i = 0; i < c->n_fields; i++)
        json_object_set_member (row, c->fields[i].name,
                                column_value (select, 1 + i, &c->fields[i]));
      tsu_collection_derive (c, row);
      sqlite3_reset (write);
      for (guint i = 0; i < c->n_fields; i++)
        if (c->fields[i].flags & TSU_FIELD_DERIVED)
          bind_value (write, k++, &c->fields[i], json_object_get_member (row, c->fields[i].name));
      sqlite3_bind_int64 (write, k, sqlite3_column_int64 (select, 0));
      if (sqlite3_step (write) != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, db, "derive");
          goto out;
        }
    }
  if (rc != SQLITE_DONE)
    tsu_store_set_sqlite_error (error, db, "derive");
  else
    ok = TRUE;
out:
  sqlite3_finalize (select);
  sqlite3_finalize (write);
  return ok;
}

typedef struct
{
  const TsuCollection *c;
  const char          *where;
  const char *const   *params;
  const char          *order;
  guint                limit;
  GPtrArray           *rows;
} Find;

static gboolean
find_read (sqlite3 *db, gpointer data, GError **error)
{
  Find *f = data;
  g_autoptr (GString) sql = g_string_new ("SELECT id");
  sqlite3_stmt *stmt = NULL;
  int           rc;

  for (guint i = 0; i < f->c->n_fields; i++)
    g_string_append_printf (sql, ", \"%s\"", f->c->fields[i].name);
  g_string_append_printf (sql, " FROM \"%s\" WHERE deleted = 0", f->c->name);
  if (f->where)
    g_string_append_printf (sql, " AND (%s)", f->where);
  if (f->order)
    g_string_append_printf (sql, " ORDER BY %s", f->order);
  if (f->limit)
    g_string_append_printf (sql, " LIMIT %u", f->limit);
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "find");
      return FALSE;
    }
  for (guint i = 0; f->params && f->params[i]; i++)
    sqlite3_bind_text (stmt, i + 1, f->params[i], -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (f->rows, row_from_stmt (stmt, f->c));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "find");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_store_find:
 * @where: (nullable): an SQL condition over the collection's columns, with
 *   `?` for each of @params (bound as text)
 * @order: (nullable): ORDER BY terms
 * @limit: at most this many, or 0 for all
 *
 * Live records of @collection as JSON objects (every field and "id"), on
 * the reader (or the writer inside this thread's transaction).
 *
 * Returns: (transfer full) (element-type JsonObject): the records, or %NULL
 */
GPtrArray *
tsu_store_find (TsuStore          *self,
                const char        *collection,
                const char        *where,
                const char *const *params,
                const char        *order,
                guint              limit,
                GError           **error)
{
  Find f = { NULL, where, params, order, limit, NULL };

  g_return_val_if_fail (TSU_IS_STORE (self), NULL);

  if (!(f.c = lookup_collection (collection, error)))
    return NULL;
  f.rows = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  if (!tsu_store_read (self, find_read, &f, error))
    g_clear_pointer (&f.rows, g_ptr_array_unref);
  return f.rows;
}

/* ---- waiting for other writers ---- */

/**
 * tsu_store_set_busy_wait:
 * @timeout_ms: how long one write waits for another connection's
 *   transaction to end before failing with %TSU_STORE_ERROR_BUSY
 * @waiting: (nullable): called once per wait after about a second, on the
 *   thread that writes (the command line prints a line)
 */
void
tsu_store_set_busy_wait (TsuStore        *self,
                         guint            timeout_ms,
                         TsuStoreWaitFunc waiting,
                         gpointer         user_data)
{
  g_return_if_fail (TSU_IS_STORE (self));

  g_rec_mutex_lock (&self->lock);
  self->busy_timeout_ms = timeout_ms;
  self->busy_waiting = waiting;
  self->busy_data = user_data;
  g_rec_mutex_unlock (&self->lock);
}

void
tsu_store_print_waiting (TsuStore *store, gpointer user_data)
{
  g_printerr (_ ("%s: another import or a sync is writing to this database; waiting for it to "
                 "finish (up to %u minutes)…\n"),
              store->path, store->busy_timeout_ms / 60000);
}

/* ---- output files ---- */

gboolean
tsu_store_check_output_path (TsuStore *self, const char *path, GError **error)
{
  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  if (tsu_file_is_database_file (path, self->path))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _ ("“%s” is the database itself (or one of its working files); writing there "
                      "would destroy it. Nothing was written: choose another file name."),
                   path);
      return FALSE;
    }
  return TRUE;
}

gboolean
tsu_store_write_output (TsuStore *self, const char *path, GBytes *bytes, GError **error)
{
  gsize       len;
  const char *data;

  if (!tsu_store_check_output_path (self, path, error))
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  return tsu_file_write_private (path, data, len, error);
}

/* ---- changes by other programs ---- */

/* Under the lock. data_version moves only when another connection commits. */
static gint64
read_data_version (TsuStore *self, gboolean *ok)
{
  sqlite3_stmt *stmt = get_statement (self, "PRAGMA data_version", NULL);
  gint64        version = 0;

  *ok = FALSE;
  if (stmt == NULL)
    return 0;
  self->busy_no_wait = TRUE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      version = sqlite3_column_int64 (stmt, 0);
      *ok = TRUE;
    }
  self->busy_no_wait = FALSE;
  sqlite3_reset (stmt);
  return version;
}

/**
 * tsu_store_check_external_changes:
 *
 * Looks once whether another connection committed to the file since the
 * last look, and if so emits "changed" with an empty ids array for every
 * collection. Never waits: while this store is writing (a worker holds its
 * lock, a transaction is open) or the file is busy, it looks next time.
 *
 * Returns: %TRUE when another connection's change was found
 */
gboolean
tsu_store_check_external_changes (TsuStore *self)
{
  const TsuCollection **all;
  guint                 n;
  gboolean              ok;
  gint64                version;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);

  if (!g_rec_mutex_trylock (&self->lock))
    return FALSE;
  if (self->txn_depth > 0)
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  version = read_data_version (self, &ok);
  if (!ok || version == self->data_version)
    {
      g_rec_mutex_unlock (&self->lock);
      return FALSE;
    }
  self->data_version = version;
  g_rec_mutex_unlock (&self->lock);

  all = tsu_collections_all (&n);
  for (guint i = 0; i < n; i++)
    emit_changed (self, all[i]->name, g_new0 (char *, 1));
  return TRUE;
}

static gboolean
watch_cb (gpointer data)
{
  g_autoptr (TsuStore) self = g_weak_ref_get (data);

  if (self != NULL)
    tsu_store_check_external_changes (self);
  return G_SOURCE_CONTINUE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* The poll runs on the context "changed" is emitted on; a weak reference,
 * so that the source never keeps the store alive. */
static void
start_watch (TsuStore *self)
{
  GWeakRef *ref = g_new0 (GWeakRef, 1);

  if (self->watch != NULL)
    {
      g_source_destroy (self->watch);
      g_clear_pointer (&self->watch, g_source_unref);
    }
  g_weak_ref_init (ref, self);
  self->watch = g_timeout_source_new (WATCH_INTERVAL_MS);
  g_source_set_static_name (self->watch, "[tsunagu] store data_version watch");
  g_source_set_callback (self->watch, watch_cb, ref, weak_ref_free);
  g_source_attach (self->watch, self->context);
}

/* ---- erasure on request (個人情報の削除請求) ---- */

typedef struct
{
  const TsuCollection *c;
  const char          *id;
  gboolean             remote;
  gint64               remote_rev;
} Erase;

/* Rewrites the JSON objects of @column in @table rows of the record, each
 * object member that names an erased field dropped (@nested: members are
 * {old, new} pairs of field names: history; else field → value: outbox). */
static gboolean
erase_json_column (TsuStore   *self,
                   const char *table,
                   const char *key,
                   const char *column,
                   const char *where,
                   Erase      *e,
                   GError    **error)
{
  g_autofree char *select
      = g_strdup_printf ("SELECT %s, %s FROM %s WHERE %s", key, column, table, where);
  g_autofree char *update
      = g_strdup_printf ("UPDATE %s SET %s = ? WHERE %s = ?", table, column, key);
  sqlite3_stmt *read = NULL;
  sqlite3_stmt *write;
  int           rc;

  if (sqlite3_prepare_v2 (self->db, select, -1, &read, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, self->db, "erase");
      return FALSE;
    }
  sqlite3_bind_text (read, 1, e->c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (read, 2, e->id, -1, SQLITE_STATIC);
  write = get_statement (self, update, error);
  while (write != NULL && (rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      const char *text = (const char *)sqlite3_column_text (read, 1);
      g_autoptr (JsonNode) node = text ? json_from_string (text, NULL) : NULL;
      JsonObject      *o;
      g_autofree char *out = NULL;
      guint            dropped = 0;

      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      for (guint i = 0; i < e->c->n_fields; i++)
        if (tsu_field_is_erased (&e->c->fields[i])
            && json_object_has_member (o, e->c->fields[i].name))
          {
            json_object_remove_member (o, e->c->fields[i].name);
            dropped++;
          }
      if (dropped == 0)
        continue;
      out = object_to_string (o);
      sqlite3_bind_text (write, 1, out, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (write, 2, sqlite3_column_int64 (read, 0));
      if (sqlite3_step (write) != SQLITE_DONE)
        {
          sqlite3_reset (write);
          break;
        }
      sqlite3_reset (write);
    }
  sqlite3_finalize (read);
  if (write == NULL || rc != SQLITE_DONE)
    {
      if (write != NULL)
        tsu_store_set_sqlite_error (error, self->db, "erase");
      return FALSE;
    }
  return TRUE;
}

static gboolean
erase_txn (TsuStore *self, gpointer data, GError **error)
{
  Erase *e = data;
  g_autoptr (JsonObject) old = read_row (self, e->c, e->id, error);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonObject) none = json_object_new ();
  g_autofree char *now = tsu_timestamp_now ();
  gboolean         unsent_insert = FALSE;
  sqlite3_stmt    *stmt;

  if (old == NULL)
    return FALSE;
  row = json_object_ref (old);
  tsu_collection_erase_values (e->c, row, TRUE);
  tsu_collection_derive (e->c, row);
  json_object_set_boolean_member (row, "deleted", TRUE);
  json_object_set_string_member (row, "updated_at", now);
  if (e->remote)
    json_object_set_int_member (row, "rev", e->remote_rev);
  if (!write_row (self, e->c, row, TRUE, error))
    return FALSE;

  /* What the record's history, outbox entries and conflicts said. */
  if (!erase_json_column (self, "history", "id", "changes", "collection = ?1 AND record_id = ?2", e,
                          error)
      || !erase_json_column (self, "outbox", "seq", "fields", "collection = ?1 AND record_id = ?2",
                             e, error)
      || !erase_json_column (self, "outbox", "seq", "old", "collection = ?1 AND record_id = ?2", e,
                             error))
    return FALSE;
  stmt = get_statement (self, "DELETE FROM sync_conflicts WHERE collection = ? AND record_id = ?",
                        error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, e->c->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, e->id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
  sqlite3_reset (stmt);

  if (!e->remote)
    {
      /* A record the server never had (its insert still waits) is simply
       * dropped from the outbox; otherwise the erasure itself is sent. */
      stmt = get_statement (self,
                            "SELECT 1 FROM outbox WHERE collection = ? AND record_id = ?"
                            " AND op = 'insert' AND state = 'pending'",
                            error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, e->c->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, e->id, -1, SQLITE_STATIC);
      unsent_insert = sqlite3_step (stmt) == SQLITE_ROW;
      sqlite3_reset (stmt);
      stmt = get_statement (
          self, "DELETE FROM outbox WHERE collection = ? AND record_id = ? AND state = 'pending'",
          error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, e->c->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, e->id, -1, SQLITE_STATIC);
      sqlite3_step (stmt);
      sqlite3_reset (stmt);
    }
  /* The search index still holds the old text in its segments until they
   * are merged: that is done once for the whole transaction, before it
   * commits (optimize_pending()), not once per erased record. */
  {
    g_autofree char *fts = g_strdup_printf ("%s_fts", e->c->name);

    stmt = get_statement (self, "SELECT 1 FROM sqlite_master WHERE name = ?", error);
    if (stmt == NULL)
      return FALSE;
    sqlite3_bind_text (stmt, 1, fts, -1, SQLITE_STATIC);
    if (sqlite3_step (stmt) == SQLITE_ROW)
      g_hash_table_add (self->txn_optimize, g_steal_pointer (&fts));
    sqlite3_reset (stmt);
  }
  /* The erasure itself stays in the history: who, when (no values). */
  if (!write_history (self, e->c->name, e->id, now, "erase", none, NULL, error))
    return FALSE;
  if (!e->remote && !unsent_insert
      && !write_outbox (self, e->c->name, e->id, "erase", json_object_get_int_member (old, "rev"),
                        none, none, now, error))
    return FALSE;
  note_change (self, e->c->name, e->id);
  return TRUE;
}

/**
 * tsu_store_erasure_begin:
 *
 * Before a transaction that erases (also one that holds erasures among
 * other writes, such as a pulled page): freed and overwritten cells are
 * zeroed from now on. Outside any transaction only.
 */
void
tsu_store_erasure_begin (TsuStore *self)
{
  g_rec_mutex_lock (&self->lock);
  if (self->txn_depth == 0)
    sqlite3_exec (self->db, "PRAGMA secure_delete = ON;", NULL, NULL, NULL);
  g_rec_mutex_unlock (&self->lock);
}

/**
 * tsu_store_erasure_end:
 * @committed: the transaction committed: the WAL's old pages are folded
 *   into the file and dropped, so the values leave the disk too
 */
void
tsu_store_erasure_end (TsuStore *self, gboolean committed)
{
  g_rec_mutex_lock (&self->lock);
  if (self->txn_depth == 0)
    {
      sqlite3_exec (self->db, "PRAGMA secure_delete = OFF;", NULL, NULL, NULL);
      if (committed)
        sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL);
    }
  g_rec_mutex_unlock (&self->lock);
}

static gboolean
erase (TsuStore *self, Erase *e, GError **error)
{
  gboolean ok;

  tsu_store_erasure_begin (self);
  ok = tsu_store_transaction (self, e->remote ? TSU_ORIGIN_SERVER : TSU_ORIGIN_LOCAL, erase_txn, e,
                              error);
  tsu_store_erasure_end (self, ok);
  return ok;
}

/**
 * tsu_store_erase:
 *
 * Erases a person's record on their request: the row keeps only what
 * statistics count (tsu_field_is_erased()) and becomes deleted; the
 * erased values leave its history, its outbox entries and its sync
 * conflicts; the history keeps that an erasure happened (who, when); an
 * "erase" goes to the server, which drops the values from every version
 * it holds and tells the other desks.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_store_erase (TsuStore *self, const char *collection, const char *id, GError **error)
{
  Erase e = { NULL, id, FALSE, 0 };

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!(e.c = lookup_collection (collection, error)))
    return FALSE;
  return erase (self, &e, error);
}

/**
 * tsu_store_apply_remote_erase:
 *
 * An erasure made on another desk, pulled from the server: the same as
 * tsu_store_erase() without an outbox entry. A record this desk never had
 * needs nothing.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_store_apply_remote_erase (
    TsuStore *self, const char *collection, const char *id, gint64 rev, GError **error)
{
  Erase e = { NULL, id, TRUE, rev };
  g_autoptr (GError) local_error = NULL;

  g_return_val_if_fail (TSU_IS_STORE (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!(e.c = lookup_collection (collection, error)))
    return FALSE;
  if (erase (self, &e, &local_error))
    return TRUE;
  if (g_error_matches (local_error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
    return TRUE;
  g_propagate_error (error, g_steal_pointer (&local_error));
  return FALSE;
}
