/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-store-private.h"
#include "tsu-collections.h"
#include "tsu-group-schema.h"
#include "tsu-group-query.h"

/* Schema migrations, numbered by PRAGMA user_version. Each runs in one
 * transaction with the version bump, so a crash leaves the file at the
 * previous version. Never edit a migration that has shipped: add one. */

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

static char *
column_sql (const TsuFieldDef *field)
{
  const char *type = NULL;

  switch (field->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_DATE:
    case TSU_FIELD_JSON:
      type = "TEXT";
      break;
    case TSU_FIELD_INT:
    case TSU_FIELD_BOOL:
      type = "INTEGER";
      break;
    default:
      g_assert_not_reached ();
    }
  return g_strdup_printf ("\"%s\" %s", field->name, type);
}

/* The columns every synced collection has, then its fields. */
static char *
collection_table_sql (const TsuCollection *c)
{
  GString *sql = g_string_new (NULL);

  g_string_append_printf (sql,
                          "CREATE TABLE \"%s\" ("
                          " rowid INTEGER PRIMARY KEY,"
                          " id TEXT NOT NULL UNIQUE,"
                          " rev INTEGER NOT NULL DEFAULT 0,"
                          " created_at TEXT NOT NULL,"
                          " updated_at TEXT NOT NULL,"
                          " deleted INTEGER NOT NULL DEFAULT 0",
                          c->name);
  for (guint i = 0; i < c->n_fields; i++)
    {
      g_autofree char *col = column_sql (&c->fields[i]);
      g_string_append_printf (sql, ", %s", col);
    }
  g_string_append (sql, ");");
  return g_string_free (sql, FALSE);
}

static gboolean
migrate_2_groups (sqlite3 *db, GError **error)
{
  g_autofree char *table = collection_table_sql (&tsu_group_collection);

  if (!tsu_store_exec (db, table, error))
    return FALSE;
  return tsu_store_exec (db,
                         "CREATE INDEX groups_sort_key ON groups (sort_key);"
                         "CREATE INDEX groups_registration_number ON groups (registration_number);"
                         "CREATE INDEX groups_corporate_number ON groups (corporate_number);",
                         error);
}

/* Groups: search index, duplicate-check and sort indexes, later columns
 * (the SQL lives with the groups code). */
static gboolean
migrate_3_groups_search (sqlite3 *db, GError **error)
{
  return tsu_group_migrate_search (db, error);
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

/* Append new migrations at the end, version = previous + 1.
 * Reserved: 3 for the sync client state (sync helper), 4 for groups search (groups helper). */
static const TsuMigration migrations[] = {
  { 1, "base: meta, history, outbox", migrate_1_base },
  { 2, "groups", migrate_2_groups },
  { 3, "groups search index", migrate_3_groups_search },
  { 4, "sync conflict records", migrate_4_sync_conflicts },
};

const TsuMigration *
tsu_store_migrations (guint *n_migrations)
{
  *n_migrations = G_N_ELEMENTS (migrations);
  return migrations;
}
