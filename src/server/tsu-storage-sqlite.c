/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-collection.h"
#include "tsu-storage.h"
#include "tsu-uuid.h"

/* The SQLite backend: directory.sqlite3 and one file per organisation
 * (orgs/<org id>.sqlite3), so organisations never share a table. */

/* ---- organisation store ---- */

typedef struct
{
  sqlite3    *db;
  GHashTable *stmts; /* SQL text → sqlite3_stmt, prepared once */
} OrgStore;

static gboolean create_lookup_indexes (OrgStore *self, GError **error);
static gboolean add_erased_column (OrgStore *self, GError **error);

static const char org_schema[]
    = "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY NOT NULL, value TEXT) STRICT;"
      /* rev is the change seq of the version: one counter orders everything. */
      "CREATE TABLE IF NOT EXISTS records ("
      "  collection TEXT NOT NULL, id TEXT NOT NULL, rev INTEGER NOT NULL,"
      "  deleted INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
      "  data TEXT NOT NULL, PRIMARY KEY (collection, id)) STRICT;"
      "CREATE INDEX IF NOT EXISTS records_rev ON records (rev);"
      "CREATE TABLE IF NOT EXISTS versions ("
      "  seq INTEGER PRIMARY KEY, collection TEXT NOT NULL, id TEXT NOT NULL,"
      "  deleted INTEGER NOT NULL, data TEXT NOT NULL, device_id TEXT, mutation_seq INTEGER,"
      "  at TEXT NOT NULL) STRICT;"
      "CREATE INDEX IF NOT EXISTS versions_record ON versions (collection, id, seq);"
      "CREATE TABLE IF NOT EXISTS conflicts ("
      "  id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL, collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL, type TEXT NOT NULL, fields TEXT NOT NULL,"
      "  device_id TEXT NOT NULL, mutation_seq INTEGER NOT NULL, created_at TEXT NOT NULL,"
      "  resolution TEXT, resolved_by TEXT, resolved_at TEXT) STRICT;"
      "CREATE INDEX IF NOT EXISTS conflicts_seq ON conflicts (seq);"
      "CREATE TABLE IF NOT EXISTS devices ("
      "  id TEXT PRIMARY KEY NOT NULL, last_seq INTEGER NOT NULL DEFAULT 0) STRICT;"
      "CREATE TABLE IF NOT EXISTS results ("
      "  device_id TEXT NOT NULL, seq INTEGER NOT NULL, result TEXT NOT NULL,"
      "  PRIMARY KEY (device_id, seq)) STRICT, WITHOUT ROWID;"
      "INSERT OR IGNORE INTO meta VALUES ('change_seq', '0'), ('horizon', '0');";

static gboolean
exec (OrgStore *self, const char *sql, GError **error)
{
  char *msg = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "database: %s",
                   msg ? msg : sqlite3_errmsg (self->db));
      sqlite3_free (msg);
      return FALSE;
    }
  return TRUE;
}

/* Statements are prepared once per database and reset after each use (the
 * auto_stmt cleanup); no statement is used twice at the same time. */
static sqlite3_stmt *
prepare (OrgStore *self, const char *sql)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (self->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }
  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      g_critical ("prepare failed: %s", sqlite3_errmsg (self->db));
      return NULL;
    }
  g_hash_table_insert (self->stmts, (gpointer)sql, stmt);
  return stmt;
}

static void
stmt_release (sqlite3_stmt *stmt)
{
  sqlite3_reset (stmt);
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
}

typedef sqlite3_stmt *sqlite3_stmt_p;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (sqlite3_stmt_p, stmt_release, NULL)
#define auto_stmt g_auto (sqlite3_stmt_p)

static char *
column_dup (sqlite3_stmt *stmt, int i)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, i));
}

static char *
org_meta_get (gpointer store, const char *key)
{
  auto_stmt stmt = prepare (store, "SELECT value FROM meta WHERE key = ?");
  char     *v = NULL;

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    v = column_dup (stmt, 0);
  return v;
}

static gboolean
org_meta_set (gpointer store, const char *key, const char *value)
{
  auto_stmt stmt = prepare (
      store,
      "INSERT INTO meta VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");

  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static void
org_free (gpointer store)
{
  OrgStore *self = store;

  if (self == NULL)
    return;
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_free (self);
}

/**
 * tsu_sqlite_org_store_open:
 * @path: the organisation's file, or ":memory:" (fuzzing, tests)
 *
 * Opens (creating when needed) with synchronous=FULL: a commit is on disk
 * before the push that made it is answered.
 */
gpointer
tsu_sqlite_org_store_open (const char *path, GError **error)
{
  OrgStore        *self = g_new0 (OrgStore, 1);
  g_autofree char *epoch = NULL;

  /* Keys are the static SQL strings of this file. */
  self->stmts = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, stmt_finalize);

  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s: %s", path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      org_free (self);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  /* secure_delete: values erased on request or overwritten leave the file. */
  if (!exec (self,
             "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
             " PRAGMA secure_delete=ON;",
             error)
      || !exec (self, "BEGIN IMMEDIATE;", error))
    {
      org_free (self);
      return NULL;
    }
  if (!exec (self, org_schema, error) || !add_erased_column (self, error)
      || !create_lookup_indexes (self, error))
    {
      exec (self, "ROLLBACK;", NULL);
      org_free (self);
      return NULL;
    }
  epoch = org_meta_get (self, "epoch");
  if (epoch == NULL)
    {
      /* The cursor splits on ':'; a UUID has none. */
      epoch = tsu_uuid7_new ();
      org_meta_set (self, "epoch", epoch);
    }
  if (!exec (self, "COMMIT;", error))
    {
      org_free (self);
      return NULL;
    }
  return self;
}

/* The expression index a guard's lookup uses: one per collection and
 * lookup key (TsuCollection.lookup_keys), live records only. */
static char *
lookup_index_sql (const TsuCollection *c, const char *key)
{
  return g_strdup_printf ("CREATE INDEX IF NOT EXISTS \"records_%s_%s\" ON records"
                          " (json_extract(data, '$.%s')) WHERE collection = '%s' AND deleted = 0",
                          c->name, key, key, c->name);
}

static gboolean
create_lookup_indexes (OrgStore *self, GError **error)
{
  const TsuCollection **all;
  guint                 n;

  /* The index of the first server versions, now made from the groups
   * descriptor like the others. */
  if (!exec (self, "DROP INDEX IF EXISTS records_group_regno", error))
    return FALSE;
  all = tsu_collections_all (&n);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; all[i]->lookup_keys && all[i]->lookup_keys[k]; k++)
      {
        g_autofree char *sql = lookup_index_sql (all[i], all[i]->lookup_keys[k]);

        if (!exec (self, sql, error))
          return FALSE;
      }
  return TRUE;
}

/* Servers made before erasure have no "erased" column. */
static gboolean
add_erased_column (OrgStore *self, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found = FALSE;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT 1 FROM pragma_table_info('records') WHERE name = 'erased'", -1,
                          &stmt, NULL)
      == SQLITE_OK)
    found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found
         || exec (self, "ALTER TABLE records ADD COLUMN erased INTEGER NOT NULL DEFAULT 0;", error);
}

static gboolean
org_begin_write (gpointer store)
{
  return exec (store, "BEGIN IMMEDIATE;", NULL);
}

static gboolean
org_begin_read (gpointer store)
{
  return exec (store, "BEGIN;", NULL);
}

static gboolean
org_commit (gpointer store)
{
  return exec (store, "COMMIT;", NULL);
}

static void
org_rollback (gpointer store)
{
  exec (store, "ROLLBACK;", NULL);
}

static gboolean
org_savepoint (gpointer store)
{
  return exec (store, "SAVEPOINT mutation;", NULL);
}

static void
org_rollback_savepoint (gpointer store)
{
  exec (store, "ROLLBACK TO mutation;", NULL);
}

static void
org_release_savepoint (gpointer store)
{
  exec (store, "RELEASE mutation;", NULL);
}

static gboolean
org_unavailable (gpointer store)
{
  return FALSE;
}

static gint64
org_next_seq (gpointer store)
{
  auto_stmt stmt = prepare (
      store, "UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'change_seq'"
             " RETURNING CAST(value AS INTEGER)");
  gint64 seq = -1;

  if (sqlite3_step (stmt) == SQLITE_ROW)
    seq = sqlite3_column_int64 (stmt, 0);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    ;
  return seq;
}

static void
org_load_record (gpointer store, const char *collection, const char *id, TsuStoredRecord *out)
{
  auto_stmt stmt = prepare (store, "SELECT rev, deleted, created_at, data, erased FROM records"
                                   " WHERE collection = ? AND id = ?");

  memset (out, 0, sizeof *out);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      out->exists = TRUE;
      out->rev = sqlite3_column_int64 (stmt, 0);
      out->deleted = sqlite3_column_int (stmt, 1) != 0;
      out->created_at = column_dup (stmt, 2);
      out->data = column_dup (stmt, 3);
      out->erased = sqlite3_column_int (stmt, 4) != 0;
    }
}

static char *
org_load_version (gpointer store, const char *collection, const char *id, gint64 seq)
{
  auto_stmt stmt
      = prepare (store, "SELECT data FROM versions WHERE seq = ? AND collection = ? AND id = ?");

  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_text (stmt, 2, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return column_dup (stmt, 0);
  return NULL;
}

static gboolean
org_write_version (gpointer    store,
                   const char *collection,
                   const char *id,
                   gint64      seq,
                   gboolean    deleted,
                   const char *created_at,
                   const char *now,
                   const char *text,
                   const char *device_id,
                   gint64      mutation_seq)
{
  auto_stmt rec = prepare (
      store, "INSERT INTO records (collection, id, rev, deleted, created_at, updated_at, data)"
             " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT (collection, id) DO UPDATE SET"
             " rev = ?3, deleted = ?4, updated_at = ?6, data = ?7");
  auto_stmt ver = prepare (
      store,
      "INSERT INTO versions (seq, collection, id, deleted, data, device_id, mutation_seq, at)"
      " VALUES (?, ?, ?, ?, ?, ?, ?, ?)");

  sqlite3_bind_text (rec, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (rec, 2, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (rec, 3, seq);
  sqlite3_bind_int (rec, 4, deleted ? 1 : 0);
  sqlite3_bind_text (rec, 5, created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (rec, 6, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (rec, 7, text, -1, SQLITE_STATIC);
  if (sqlite3_step (rec) != SQLITE_DONE)
    return FALSE;
  sqlite3_bind_int64 (ver, 1, seq);
  sqlite3_bind_text (ver, 2, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (ver, 3, id, -1, SQLITE_STATIC);
  sqlite3_bind_int (ver, 4, deleted ? 1 : 0);
  sqlite3_bind_text (ver, 5, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (ver, 6, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (ver, 7, mutation_seq);
  sqlite3_bind_text (ver, 8, now, -1, SQLITE_STATIC);
  return sqlite3_step (ver) == SQLITE_DONE;
}

static gboolean
org_write_conflict (gpointer    store,
                    const char *id,
                    gint64      seq,
                    const char *collection,
                    const char *record_id,
                    const char *type,
                    const char *text,
                    const char *device_id,
                    gint64      mutation_seq,
                    const char *now)
{
  auto_stmt stmt = prepare (
      store, "INSERT INTO conflicts (id, seq, collection, record_id, type, fields, device_id,"
             " mutation_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, record_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 8, mutation_seq);
  sqlite3_bind_text (stmt, 9, now, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static GPtrArray *
org_find (gpointer    store,
          const char *collection,
          const char *field,
          const char *value,
          const char *start_field,
          const char *end_field,
          const char *from,
          const char *to,
          GError    **error)
{
  OrgStore *self = store;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  int           rc;

  /* Names come from the descriptors (identifiers), never from a push. */
  g_string_printf (sql,
                   "SELECT id, data FROM records WHERE json_extract(data, '$.%s') = ?1"
                   " AND collection = '%s' AND deleted = 0",
                   field, collection);
  if (start_field != NULL)
    g_string_append_printf (sql,
                            " AND json_extract(data, '$.%s') < ?3"
                            " AND json_extract(data, '$.%s') > ?2",
                            start_field, end_field);
  if (sqlite3_prepare_v2 (self->db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "rule: %s", sqlite3_errmsg (self->db));
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  if (start_field != NULL)
    {
      sqlite3_bind_text (stmt, 2, from, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, to, -1, SQLITE_STATIC);
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (rows, column_dup (stmt, 0));
      g_ptr_array_add (rows, column_dup (stmt, 1));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "rule: %s", sqlite3_errmsg (self->db));
      return NULL;
    }
  return g_steal_pointer (&rows);
}

static GPtrArray *
org_versions (gpointer store, const char *collection, const char *id, GArray *seqs)
{
  auto_stmt read
      = prepare (store, "SELECT seq, data FROM versions WHERE collection = ? AND id = ?");
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  sqlite3_bind_text (read, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (read, 2, id, -1, SQLITE_STATIC);
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (read, 0);

      g_array_append_val (seqs, seq);
      g_ptr_array_add (texts, column_dup (read, 1));
    }
  return texts;
}

static gboolean
org_set_version_data (gpointer store, gint64 seq, const char *data)
{
  auto_stmt upd = prepare (store, "UPDATE versions SET data = ? WHERE seq = ?");

  sqlite3_bind_text (upd, 1, data, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (upd, 2, seq);
  return sqlite3_step (upd) == SQLITE_DONE;
}

static gboolean
org_drop_conflicts (gpointer store, const char *collection, const char *record_id)
{
  auto_stmt del = prepare (store, "DELETE FROM conflicts WHERE collection = ? AND record_id = ?");

  sqlite3_bind_text (del, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (del, 2, record_id, -1, SQLITE_STATIC);
  return sqlite3_step (del) == SQLITE_DONE;
}

static gboolean
org_mark_erased (gpointer store, const char *collection, const char *id)
{
  auto_stmt mark = prepare (store, "UPDATE records SET erased = 1 WHERE collection = ? AND id = ?");

  sqlite3_bind_text (mark, 1, collection, -1, SQLITE_STATIC);
  sqlite3_bind_text (mark, 2, id, -1, SQLITE_STATIC);
  return sqlite3_step (mark) == SQLITE_DONE;
}

static void
org_after_erase (gpointer store)
{
  /* The old pages of an erased record also leave the WAL. */
  exec (store, "PRAGMA wal_checkpoint(TRUNCATE);", NULL);
}

static gint64
org_device_last_seq (gpointer store, const char *device_id)
{
  auto_stmt stmt = prepare (store, "SELECT last_seq FROM devices WHERE id = ?");

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
}

static gboolean
org_set_device_last_seq (gpointer store, const char *device_id, gint64 last_seq)
{
  auto_stmt stmt = prepare (store, "INSERT INTO devices (id, last_seq) VALUES (?1, ?2)"
                                   " ON CONFLICT (id) DO UPDATE SET last_seq = ?2");

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, last_seq);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static char *
org_result_get (gpointer store, const char *device_id, gint64 seq)
{
  auto_stmt stmt = prepare (store, "SELECT result FROM results WHERE device_id = ? AND seq = ?");

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  return sqlite3_step (stmt) == SQLITE_ROW ? column_dup (stmt, 0) : NULL;
}

static gboolean
org_result_put (gpointer store, const char *device_id, gint64 seq, const char *text)
{
  auto_stmt stmt = prepare (store, "INSERT INTO results (device_id, seq, result) VALUES (?, ?, ?)");

  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, seq);
  sqlite3_bind_text (stmt, 3, text, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static gboolean
org_pull (gpointer       store,
          gint64         seq,
          gint64         full_from,
          guint          limit,
          TsuPullRowFunc func,
          gpointer       user_data)
{
  auto_stmt stmt = prepare (
      store,
      "SELECT 0, collection, id, rev, deleted, created_at, updated_at, data, erased, NULL, NULL,"
      "       NULL, NULL, NULL"
      "  FROM records WHERE rev > ?1 AND (?2 < 0 OR deleted = 0 OR rev > ?2)"
      " UNION ALL "
      "SELECT 1, collection, id, seq, resolution IS NOT NULL, created_at, resolved_at, fields,"
      "       record_id, type, device_id, mutation_seq, resolution, resolved_by"
      "  FROM conflicts WHERE seq > ?1 AND (?2 < 0 OR resolution IS NULL OR seq > ?2)"
      " ORDER BY 4 LIMIT ?3");
  int rc;

  sqlite3_bind_int64 (stmt, 1, seq);
  sqlite3_bind_int64 (stmt, 2, full_from);
  sqlite3_bind_int64 (stmt, 3, limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TsuPullRow row = { 0 };

      row.conflict = sqlite3_column_int (stmt, 0) != 0;
      row.collection = (const char *)sqlite3_column_text (stmt, 1);
      row.id = (const char *)sqlite3_column_text (stmt, 2);
      row.seq = sqlite3_column_int64 (stmt, 3);
      row.deleted = sqlite3_column_int (stmt, 4) != 0;
      row.created_at = (const char *)sqlite3_column_text (stmt, 5);
      row.updated_at = (const char *)sqlite3_column_text (stmt, 6);
      row.data = (const char *)sqlite3_column_text (stmt, 7);
      if (!row.conflict)
        row.erased = sqlite3_column_int (stmt, 8) != 0;
      else
        {
          row.record_id = (const char *)sqlite3_column_text (stmt, 8);
          row.type = (const char *)sqlite3_column_text (stmt, 9);
          row.device_id = (const char *)sqlite3_column_text (stmt, 10);
          row.mutation_seq = sqlite3_column_int64 (stmt, 11);
          row.resolution = (const char *)sqlite3_column_text (stmt, 12);
        }
      if (!func (&row, user_data))
        return TRUE;
    }
  return rc == SQLITE_DONE;
}

static int
org_conflict_get (gpointer    store,
                  const char *id,
                  char      **collection,
                  char      **record_id,
                  char      **type,
                  char      **fields,
                  char      **resolution)
{
  auto_stmt stmt = prepare (
      store, "SELECT collection, record_id, type, fields, resolution FROM conflicts WHERE id = ?");
  int rc;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    return rc == SQLITE_DONE ? 0 : -1;
  *collection = column_dup (stmt, 0);
  *record_id = column_dup (stmt, 1);
  *type = column_dup (stmt, 2);
  *fields = column_dup (stmt, 3);
  *resolution = column_dup (stmt, 4);
  return 1;
}

static gboolean
org_conflict_resolve (
    gpointer store, const char *id, gint64 seq, const char *choice, const char *by, const char *now)
{
  auto_stmt upd = prepare (store, "UPDATE conflicts SET seq = ?, resolution = ?, resolved_by = ?, "
                                  "resolved_at = ? WHERE id = ?");

  sqlite3_bind_int64 (upd, 1, seq);
  sqlite3_bind_text (upd, 2, choice, -1, SQLITE_STATIC);
  sqlite3_bind_text (upd, 3, by, -1, SQLITE_STATIC);
  sqlite3_bind_text (upd, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (upd, 5, id, -1, SQLITE_STATIC);
  return sqlite3_step (upd) == SQLITE_DONE;
}

static gint64
org_purge (gpointer store, const char *before, gint64 *max_seq)
{
  OrgStore *self = store;
  gint64    n = 0;

  {
    auto_stmt q = prepare (
        store,
        "SELECT max(rev) FROM (SELECT rev FROM records WHERE deleted = 1 AND updated_at <= ?1"
        " UNION ALL SELECT seq FROM conflicts WHERE resolved_at IS NOT NULL AND resolved_at "
        "<= ?1)");
    sqlite3_bind_text (q, 1, before, -1, SQLITE_STATIC);
    if (sqlite3_step (q) == SQLITE_ROW && sqlite3_column_type (q, 0) != SQLITE_NULL)
      *max_seq = sqlite3_column_int64 (q, 0);
  }
  {
    auto_stmt d1 = prepare (store, "DELETE FROM records WHERE deleted = 1 AND updated_at <= ?");
    auto_stmt d2 = prepare (
        store, "DELETE FROM conflicts WHERE resolved_at IS NOT NULL AND resolved_at <= ?");
    sqlite3_bind_text (d1, 1, before, -1, SQLITE_STATIC);
    sqlite3_bind_text (d2, 1, before, -1, SQLITE_STATIC);
    if (sqlite3_step (d1) != SQLITE_DONE)
      return -1;
    n += sqlite3_changes (self->db);
    if (sqlite3_step (d2) != SQLITE_DONE)
      return -1;
    n += sqlite3_changes (self->db);
  }
  return n;
}

const TsuOrgStoreOps tsu_sqlite_org_store_ops = {
  .free = org_free,
  .begin_write = org_begin_write,
  .begin_read = org_begin_read,
  .commit = org_commit,
  .rollback = org_rollback,
  .savepoint = org_savepoint,
  .rollback_savepoint = org_rollback_savepoint,
  .release_savepoint = org_release_savepoint,
  .unavailable = org_unavailable,
  .meta_get = org_meta_get,
  .meta_set = org_meta_set,
  .next_seq = org_next_seq,
  .load_record = org_load_record,
  .load_version = org_load_version,
  .write_version = org_write_version,
  .write_conflict = org_write_conflict,
  .find = org_find,
  .versions = org_versions,
  .set_version_data = org_set_version_data,
  .drop_conflicts = org_drop_conflicts,
  .mark_erased = org_mark_erased,
  .after_erase = org_after_erase,
  .device_last_seq = org_device_last_seq,
  .set_device_last_seq = org_set_device_last_seq,
  .result_get = org_result_get,
  .result_put = org_result_put,
  .pull = org_pull,
  .conflict_get = org_conflict_get,
  .conflict_resolve = org_conflict_resolve,
  .purge = org_purge,
};

/* ---- directory ---- */

typedef struct
{
  char    *data_dir;
  sqlite3 *db;
} Directory;

static const char directory_schema[]
    = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
      "  created_at TEXT NOT NULL) STRICT;"
      "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT NULL,"
      "  name TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen TEXT, revoked_at TEXT) STRICT;"
      "CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY NOT NULL, device_id TEXT NOT NULL,"
      "  created_at TEXT NOT NULL, revoked_at TEXT) STRICT;"
      "CREATE TABLE IF NOT EXISTS enroll_codes (hash TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT "
      "NULL,"
      "  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT) STRICT;";

typedef sqlite3_stmt *dir_stmt_p;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (dir_stmt_p, sqlite3_finalize, NULL)
#define dir_stmt g_auto (dir_stmt_p)

static void
set_db_error (GError **error, sqlite3 *db)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "directory database: %s", sqlite3_errmsg (db));
}

static sqlite3_stmt *
dir_prepare (Directory *self, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_critical ("prepare failed: %s", sqlite3_errmsg (self->db));
  return stmt;
}

static void
dir_free (gpointer store)
{
  Directory *self = store;

  if (self == NULL)
    return;
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_free (self->data_dir);
  g_free (self);
}

/** tsu_sqlite_directory_open: opens or creates the data directory's index */
gpointer
tsu_sqlite_directory_open (const char *data_dir, GError **error)
{
  Directory       *self = g_new0 (Directory, 1);
  g_autofree char *orgs_dir = g_build_filename (data_dir, "orgs", NULL);
  g_autofree char *path = g_build_filename (data_dir, "directory.sqlite3", NULL);
  char            *msg = NULL;

  self->data_dir = g_strdup (data_dir);
  if (g_mkdir_with_parents (orgs_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", orgs_dir);
      dir_free (self);
      return NULL;
    }
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", path);
      dir_free (self);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  if (sqlite3_exec (self->db, directory_schema, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "directory database: %s", msg);
      sqlite3_free (msg);
      dir_free (self);
      return NULL;
    }
  g_chmod (path, 0600);
  return self;
}

static gboolean
dir_ping (gpointer store, GError **error)
{
  Directory *self = store;

  if (sqlite3_exec (self->db, "SELECT 1 FROM orgs LIMIT 1", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  return TRUE;
}

static TsuOrgDb *
dir_open_org (gpointer store, const char *org_id, GError **error)
{
  Directory       *self = store;
  g_autofree char *name = g_strconcat (org_id, ".sqlite3", NULL);
  g_autofree char *path = g_build_filename (self->data_dir, "orgs", name, NULL);
  gpointer         org = tsu_sqlite_org_store_open (path, error);

  if (org == NULL)
    return NULL;
  g_chmod (path, 0600);
  return tsu_org_db_new (&tsu_sqlite_org_store_ops, org);
}

static int
dir_org_exists (gpointer store, const char *org_id)
{
  dir_stmt stmt = dir_prepare (store, "SELECT 1 FROM orgs WHERE id = ?");

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
dir_org_insert (gpointer store, const char *id, const char *name, const char *now, GError **error)
{
  Directory *self = store;
  dir_stmt   stmt = dir_prepare (self, "INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)");

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  return TRUE;
}

static char *
dir_org_name (gpointer store, const char *org_id)
{
  dir_stmt stmt = dir_prepare (store, "SELECT name FROM orgs WHERE id = ?");

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return column_dup (stmt, 0);
  return NULL;
}

static gboolean
dir_code_insert (gpointer    store,
                 const char *hash,
                 const char *org_id,
                 const char *now,
                 const char *expires,
                 GError    **error)
{
  Directory *self = store;
  dir_stmt   stmt = dir_prepare (
        self, "INSERT INTO enroll_codes (hash, org_id, created_at, expires_at) VALUES (?, ?, ?, ?)");

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, expires, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_token (Directory *self, const char *hash, const char *device_id, const char *now)
{
  dir_stmt stmt
      = dir_prepare (self, "INSERT INTO tokens (hash, device_id, created_at) VALUES (?, ?, ?)");

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

static int
dir_enroll (gpointer    store,
            const char *hash,
            const char *now,
            const char *dev,
            const char *device_name,
            const char *token_hash,
            char      **org_id,
            GError    **error)
{
  Directory       *self = store;
  g_autofree char *org = NULL;
  dir_stmt         find = NULL;
  dir_stmt         use = NULL;
  dir_stmt         add = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      return -1;
    }
  find = dir_prepare (
      self,
      "SELECT org_id FROM enroll_codes WHERE hash = ? AND used_at IS NULL AND expires_at > ?");
  sqlite3_bind_text (find, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (find, 2, now, -1, SQLITE_STATIC);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      return 0;
    }
  org = column_dup (find, 0);
  use = dir_prepare (self, "UPDATE enroll_codes SET used_at = ? WHERE hash = ?");
  sqlite3_bind_text (use, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (use, 2, hash, -1, SQLITE_STATIC);
  add = dir_prepare (
      self,
      "INSERT INTO devices (id, org_id, name, enrolled_at, last_seen) VALUES (?, ?, ?, ?, ?)");
  sqlite3_bind_text (add, 1, dev, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, org, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 3, device_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 5, now, -1, SQLITE_STATIC);
  if (sqlite3_step (use) != SQLITE_DONE || sqlite3_step (add) != SQLITE_DONE
      || !insert_token (self, token_hash, dev, now)
      || sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      return -1;
    }
  *org_id = g_steal_pointer (&org);
  return 1;
}

static int
dir_token_lookup (gpointer    store,
                  const char *hash,
                  char      **org_id,
                  char      **device_id,
                  char      **device_name,
                  gboolean   *token_revoked,
                  gboolean   *device_revoked)
{
  dir_stmt stmt = dir_prepare (
      store, "SELECT d.org_id, d.id, d.name, t.revoked_at, d.revoked_at FROM tokens t"
             " JOIN devices d ON d.id = t.device_id WHERE t.hash = ?");

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  *org_id = column_dup (stmt, 0);
  *device_id = column_dup (stmt, 1);
  *device_name = column_dup (stmt, 2);
  *token_revoked = sqlite3_column_type (stmt, 3) != SQLITE_NULL;
  *device_revoked = sqlite3_column_type (stmt, 4) != SQLITE_NULL;
  return 1;
}

static gboolean
dir_token_rotate (gpointer    store,
                  const char *old_hash,
                  const char *new_hash,
                  const char *device_id,
                  const char *now,
                  GError    **error)
{
  Directory *self = store;
  dir_stmt   stmt = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  stmt = dir_prepare (self,
                      "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL");
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, old_hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE || !insert_token (self, new_hash, device_id, now)
      || sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      return FALSE;
    }
  return TRUE;
}

static gboolean
dir_token_revoke (gpointer store, const char *hash, const char *now, GError **error)
{
  Directory *self = store;
  dir_stmt   stmt = dir_prepare (
        self, "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL");

  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  return TRUE;
}

static int
dir_device_revoke (gpointer store, const char *device_id, const char *now, GError **error)
{
  Directory *self = store;
  dir_stmt   stmt
      = dir_prepare (self, "UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");

  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return -1;
    }
  return sqlite3_changes (self->db);
}

static GPtrArray *
dir_devices (gpointer store, const char *org_id, GError **error)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (g_free);
  dir_stmt   stmt = NULL;

  stmt = dir_prepare (
      store, "SELECT id, name, enrolled_at, coalesce(last_seen, '-'), revoked_at FROM devices"
             " WHERE org_id = ? ORDER BY enrolled_at, id");
  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 5; i++)
      g_ptr_array_add (rows,
                       sqlite3_column_type (stmt, i) == SQLITE_NULL ? NULL : column_dup (stmt, i));
  return rows;
}

static void
dir_device_touch (gpointer store, const char *device_id, const char *now)
{
  dir_stmt stmt = dir_prepare (store, "UPDATE devices SET last_seen = ? WHERE id = ?");

  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
}

const TsuDirectoryOps tsu_sqlite_directory_ops = {
  .name = "sqlite",
  .free = dir_free,
  .ping = dir_ping,
  .open_org = dir_open_org,
  .org_exists = dir_org_exists,
  .org_insert = dir_org_insert,
  .org_name = dir_org_name,
  .code_insert = dir_code_insert,
  .enroll = dir_enroll,
  .token_lookup = dir_token_lookup,
  .token_rotate = dir_token_rotate,
  .token_revoke = dir_token_revoke,
  .device_revoke = dir_device_revoke,
  .devices = dir_devices,
  .device_touch = dir_device_touch,
};
