/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-store-private.h"

/* The store's own schema: its base tables only (meta, history, outbox,
 * conflicts), numbered by PRAGMA user_version. Each collection brings its
 * own numbered steps (TsuCollection.schema), kept in meta as
 * "schema.<collection>" and run after these. Each runs in one transaction
 * with its version bump, so a crash leaves the file at the previous
 * version. Never edit a migration that has shipped: add one. */

static gboolean
migrate_1_base (sqlite3 *db, GError **error)
{
  /* meta: device id, outbox counter, sync cursor and other per-desk values.
   * history: who changed what, when (個人情報保護法: a change history).
   * outbox: every local mutation with a per-desk sequence, for sync. */
  return tsu_store_exec (
      db,
      "CREATE TABLE meta ("
      "  key TEXT PRIMARY KEY NOT NULL,"
      "  value TEXT"
      ") STRICT;"
      "CREATE TABLE history ("
      "  id INTEGER PRIMARY KEY,"
      "  collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL,"
      "  at TEXT NOT NULL,"
      "  author TEXT NOT NULL,"
      "  origin TEXT NOT NULL CHECK (origin IN ('local','import','server')),"
      "  action TEXT NOT NULL CHECK (action IN ('insert','update','delete','undelete')),"
      "  changes TEXT NOT NULL"
      ") STRICT;"
      "CREATE INDEX history_record ON history (collection, record_id, id);"
      "CREATE TABLE outbox ("
      "  seq INTEGER PRIMARY KEY,"
      "  collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL,"
      "  op TEXT NOT NULL CHECK (op IN ('insert','update','delete','undelete')),"
      "  base_rev INTEGER NOT NULL,"
      "  fields TEXT NOT NULL,"
      "  old TEXT NOT NULL,"
      "  created_at TEXT NOT NULL,"
      "  state TEXT NOT NULL DEFAULT 'pending',"
      "  result TEXT"
      ") STRICT;"
      "CREATE INDEX outbox_state ON outbox (state, seq);",
      error);
}

/* Versions 2 and 3 created the groups table and its search index. Since
 * version 5 those are the groups collection's schema steps 1 and 2: a new
 * file passes through these two without doing anything, and the groups
 * steps run after the base migrations. */
static gboolean
migrate_moved_to_groups (sqlite3 *db, GError **error)
{
  return TRUE;
}

static gboolean
migrate_4_sync_conflicts (sqlite3 *db, GError **error)
{
  /* Conflict records pulled from the server, for staff to resolve; a
   * resolution made offline waits in pending_choice until the next sync. */
  return tsu_store_exec (
      db,
      "CREATE TABLE sync_conflicts ("
      "  id TEXT PRIMARY KEY NOT NULL,"
      "  collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL,"
      "  type TEXT NOT NULL,"
      "  fields TEXT NOT NULL,"
      "  device_id TEXT,"
      "  mutation_seq INTEGER,"
      "  created_at TEXT,"
      "  pending_choice TEXT"
      ") STRICT;"
      "CREATE INDEX sync_conflicts_record ON sync_conflicts (collection, record_id);",
      error);
}

static gboolean
table_exists (sqlite3 *db, const char *name)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", -1,
                          &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
migrate_5_collection_versions (sqlite3 *db, GError **error)
{
  /* A file made by versions 2-4 holds the groups table made by the store:
   * record which groups steps it already has, so they are not run again. */
  if (!table_exists (db, "groups"))
    return TRUE;
  return tsu_store_exec (db,
                         table_exists (db, "groups_fts")
                             ? "INSERT INTO meta (key, value) VALUES ('schema.groups', '2');"
                             : "INSERT INTO meta (key, value) VALUES ('schema.groups', '1');",
                         error);
}

static gboolean
migrate_6_erase (sqlite3 *db, GError **error)
{
  /* History and outbox learn the action "erase" (a person's record erased
   * on request). SQLite cannot change a CHECK: the tables are made again
   * with the same rows. */
  return tsu_store_exec (
      db,
      "CREATE TABLE history_new ("
      "  id INTEGER PRIMARY KEY,"
      "  collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL,"
      "  at TEXT NOT NULL,"
      "  author TEXT NOT NULL,"
      "  origin TEXT NOT NULL CHECK (origin IN ('local','import','server')),"
      "  action TEXT NOT NULL CHECK (action IN ('insert','update','delete','undelete','erase')),"
      "  changes TEXT NOT NULL"
      ") STRICT;"
      "INSERT INTO history_new SELECT * FROM history;"
      "DROP TABLE history;"
      "ALTER TABLE history_new RENAME TO history;"
      "CREATE INDEX history_record ON history (collection, record_id, id);"
      "CREATE TABLE outbox_new ("
      "  seq INTEGER PRIMARY KEY,"
      "  collection TEXT NOT NULL,"
      "  record_id TEXT NOT NULL,"
      "  op TEXT NOT NULL CHECK (op IN ('insert','update','delete','undelete','erase')),"
      "  base_rev INTEGER NOT NULL,"
      "  fields TEXT NOT NULL,"
      "  old TEXT NOT NULL,"
      "  created_at TEXT NOT NULL,"
      "  state TEXT NOT NULL DEFAULT 'pending',"
      "  result TEXT"
      ") STRICT;"
      "INSERT INTO outbox_new SELECT * FROM outbox;"
      "DROP TABLE outbox;"
      "ALTER TABLE outbox_new RENAME TO outbox;"
      "CREATE INDEX outbox_state ON outbox (state, seq);",
      error);
}

static gboolean
migrate_7_first_version (sqlite3 *db, GError **error)
{
  /* From here on a local insert's history entry holds no values, only
   * {"@values": "first-version"}: tsu_store_get_history() reads them from
   * the record and the entries after it. Older entries keep their values and
   * are read as they are; the version bump keeps older builds (which would
   * show the marker as a field) from opening the file. */
  return TRUE;
}

/* Append new migrations at the end, version = previous + 1. */
static const TsuMigration migrations[] = {
  { 1, "base: meta, history, outbox", migrate_1_base },
  { 2, "(groups table: now the groups collection's step 1)", migrate_moved_to_groups },
  { 3, "(groups search: now the groups collection's step 2)", migrate_moved_to_groups },
  { 4, "sync conflict records", migrate_4_sync_conflicts },
  { 5, "collections keep their own schema versions", migrate_5_collection_versions },
  { 6, "history and outbox: erasure on request", migrate_6_erase },
  { 7, "history: a local insert refers to the record's first version", migrate_7_first_version },
};

const TsuMigration *
tsu_store_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
