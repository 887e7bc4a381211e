/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store: migrations, refusal of files that are not ours, and the one
 * write path (row + history + outbox, together or not at all). */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-store-private.h"
#include "tsu-uuid.h"
#include "tsu-funder-collection.h"
#include "tsu-group-collection.h"
#include "tsu-record-query.h"

typedef struct
{
  char *dir;
  char *path;
} Fixture;

/* The newest schema step of a collection (what a migrated file records). */
static guint
last_step (const TsuCollection *c)
{
  return c->schema[c->n_schema - 1].version;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  f->dir = g_dir_make_tmp ("tsu-store-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->path = g_build_filename (f->dir, "sub", "desk.sqlite3", NULL);
}

static void
rm_rf (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      if (g_file_test (p, G_FILE_TEST_IS_DIR))
        rm_rf (p);
      else
        g_unlink (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static gint64
count_rows (const char *path, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        n;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static char *
count_text (const char *path, const char *sql)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char         *text = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    text = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return text;
}

static char *
file_digest (const char *path)
{
  g_autofree char *contents = NULL;
  gsize            len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (guchar *)contents, len);
}

static JsonObject *
group_fields (const char *name, const char *kana)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "name_kana", kana);
  json_object_set_int_member (o, "members_total", 12);
  return o;
}

static void
test_create_and_reopen (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autofree char *device = NULL;
  GStatBuf         st;

  g_assert_no_error (error);
  g_assert_nonnull (store);
  g_assert_true (tsu_uuid_is_valid (tsu_store_get_device_id (store)));
  device = g_strdup (tsu_store_get_device_id (store));
  g_assert_cmpint (g_stat (f->path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_clear_object (&store);

  g_assert_cmpint (count_rows (f->path, "PRAGMA user_version"), ==, tsu_store_schema_version ());
  g_assert_cmpint (count_rows (f->path, "PRAGMA application_id"), ==, 0x5453554e);

  store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_store_get_device_id (store), ==, device);
}

/* A file at every earlier base version opens and reaches the latest, with
 * every collection's schema steps after it. */
static void
test_migrations_from_every_version (Fixture *f, gconstpointer data)
{
  guint               n;
  const TsuMigration *migrations = tsu_store_migrations (&n);

  for (guint from = 0; from < n; from++)
    {
      g_autofree char *path = g_strdup_printf ("%s/v%u.sqlite3", f->dir, from);
      g_autoptr (GError) error = NULL;
      g_autoptr (TsuStore) store = NULL;
      g_autofree char *id = NULL;
      sqlite3         *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      for (guint i = 0; i < from; i++)
        {
          g_autofree char *bump
              = g_strdup_printf ("PRAGMA user_version = %u; PRAGMA application_id = %d;",
                                 migrations[i].version, 0x5453554e);
          g_assert_true (migrations[i].apply (db, &error));
          g_assert_no_error (error);
          g_assert_true (tsu_store_exec (db, bump, &error));
        }
      sqlite3_close (db);

      store = tsu_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (store);
      g_assert_cmpint (count_rows (path, "PRAGMA user_version"), ==, tsu_store_schema_version ());
      g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema.groups'"), ==,
                       last_step (&tsu_group_collection));
      id = tsu_store_insert (store, "groups", group_fields ("明治の会", "メイジノカイ"), &error);
      g_assert_no_error (error);
      g_assert_nonnull (id);
    }
}

/* Files written by the builds that shipped schema 2, 3 and 4 (made by those
 * commits' own code: tests/core/fixtures/README.md) open, move on to
 * today's schema and keep every record, history entry and outbox entry. */
static void
test_fixture_files (Fixture *f, gconstpointer data)
{
  const char *root = g_getenv ("TSU_SOURCE_ROOT");

  static const guint versions[] = { 2, 3, 4, 6 };

  for (guint k = 0; k < G_N_ELEMENTS (versions); k++)
    {
      guint            v = versions[k];
      g_autofree char *name = g_strdup_printf ("store-v%u.sqlite3", v);
      g_autofree char *src = g_build_filename (root, "tests", "core", "fixtures", name, NULL);
      g_autofree char *path = g_build_filename (f->dir, name, NULL);
      g_autofree char *contents = NULL;
      gsize            len;
      g_autoptr (GError) error = NULL;
      g_autoptr (TsuStore) store = NULL;
      g_autoptr (JsonArray) history = NULL;
      g_autoptr (JsonArray) outbox = NULL;
      gint64 n_live, n_all;

      g_assert_true (g_file_get_contents (src, &contents, &len, &error));
      g_assert_true (g_file_set_contents (path, contents, len, &error));
      g_assert_cmpint (count_rows (path, "PRAGMA user_version"), ==, v);

      store = tsu_store_open (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (count_rows (path, "PRAGMA user_version"), ==, tsu_store_schema_version ());
      g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema.groups'"), ==,
                       last_step (&tsu_group_collection));
      g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema.funders'"), ==,
                       last_step (&tsu_funder_collection));
      n_live = tsu_store_count (store, "groups", FALSE, &error);
      n_all = tsu_store_count (store, "groups", TRUE, &error);
      g_assert_cmpint (n_live, ==, 4);
      g_assert_cmpint (n_all, ==, 5);
      g_assert_cmpint (count_rows (path, "SELECT count(*) FROM groups WHERE phone = '0944-00-9876'"
                                         " AND notes = '電話番号を変更'"),
                       ==, 1);
      g_assert_cmpint (count_rows (path, "SELECT count(*) FROM history"), ==, 7);
      outbox = tsu_store_get_outbox (store, 0, 100, &error);
      g_assert_cmpint (json_array_get_length (outbox), ==, 7);
      /* The search index holds the old rows (v2 rows get their search text in step 3). */
      g_assert_cmpint (count_rows (path, "SELECT count(*) FROM groups_fts WHERE groups_fts"
                                         " MATCH '\"キオク\"'"),
                       ==, 1);
      /* Inserts written with their values (before schema 7) read as they were. */
      {
        g_autoptr (JsonArray) h = NULL;
        g_autofree char *first = NULL;
        JsonObject      *changes;

        first = count_text (path, "SELECT record_id FROM history WHERE action = 'insert'"
                                  " ORDER BY id LIMIT 1");
        h = tsu_store_get_history (store, "groups", first, &error);
        g_assert_no_error (error);
        changes = json_object_get_object_member (json_array_get_object_element (h, 0), "changes");
        g_assert_cmpstr (
            json_object_get_string_member (json_object_get_object_member (changes, "phone"), "new"),
            ==, "0944-00-1001");
        g_assert_false (json_object_has_member (changes, "@values"));
      }
      /* And the file takes new records of every kind. */
      {
        g_autoptr (JsonObject) funder = json_object_new ();
        g_autofree char *id = NULL;

        json_object_set_string_member (funder, "name", "有明ふるさと振興財団");
        id = tsu_store_insert (store, "funders", funder, &error);
        g_assert_no_error (error);
        g_assert_nonnull (id);
      }
      g_clear_object (&store);
      /* Opened again: nothing left to do, nothing refused. */
      store = tsu_store_open (path, &error);
      g_assert_no_error (error);
    }
}

/* A file holding a collection this build does not know, or a step newer
 * than its own, is refused untouched. */
static void
test_refuses_newer_collection (Fixture *f, gconstpointer data)
{
  const char *cases[] = { "INSERT INTO meta VALUES ('schema.groups', '99');",
                          "INSERT INTO meta VALUES ('schema.spaceships', '1');" };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("%s/newer%u.sqlite3", f->dir, i);
      g_autoptr (GError) error = NULL;
      g_autoptr (TsuStore) store = tsu_store_open (path, &error);
      g_autofree char *before = NULL, *after = NULL;
      gsize            n1, n2;
      sqlite3         *db = NULL;

      g_assert_no_error (error);
      g_clear_object (&store);
      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_true (tsu_store_exec (db, "DELETE FROM meta WHERE key = 'schema.groups';", &error));
      g_assert_true (tsu_store_exec (db, cases[i], &error));
      g_assert_true (tsu_store_exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", &error));
      sqlite3_close (db);
      g_assert_true (g_file_get_contents (path, &before, &n1, NULL));
      store = tsu_store_open (path, &error);
      g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW);
      g_assert_null (store);
      g_assert_true (g_file_get_contents (path, &after, &n2, NULL));
      g_assert_true (n1 == n2 && memcmp (before, after, n1) == 0);
    }
}

/* A migration that fails leaves the file at the version it had. */
static void
test_migration_failure_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  sqlite3            *db = NULL;
  guint               n;
  const TsuMigration *migrations = tsu_store_migrations (&n);

  g_autofree char *dirname = g_path_get_dirname (f->path);

  /* Version 1, plus a table that migration 4 will collide with. */
  g_mkdir_with_parents (dirname, 0700);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (migrations[0].apply (db, &error));
  g_assert_true (tsu_store_exec (db,
                                 "PRAGMA user_version = 1; PRAGMA application_id = 1414747470;"
                                 "CREATE TABLE sync_conflicts (x);",
                                 &error));
  sqlite3_close (db);

  store = tsu_store_open (f->path, &error);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_MIGRATION);
  g_assert_null (store);
  /* 2 and 3 committed (each step is its own transaction), 4 did not. */
  g_assert_cmpint (count_rows (f->path, "PRAGMA user_version"), ==, 3);
}

static void
test_refuses_newer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autofree char *bump = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3         *db = NULL;

  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  bump = g_strdup_printf ("PRAGMA user_version = %u;", tsu_store_schema_version () + 1);
  g_assert_true (tsu_store_exec (db, bump, NULL));
  g_assert_true (tsu_store_exec (db, "PRAGMA wal_checkpoint(TRUNCATE);", NULL));
  sqlite3_close (db);

  before = file_digest (f->path);
  store = tsu_store_open (f->path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, f->path));
  after = file_digest (f->path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_refuses_foreign_and_corrupt (Fixture *f, gconstpointer data)
{
  g_autofree char *text_path = g_build_filename (f->dir, "notes.txt", NULL);
  g_autofree char *foreign_path = g_build_filename (f->dir, "other.sqlite3", NULL);
  g_autofree char *broken_path = g_build_filename (f->dir, "broken.sqlite3", NULL);
  g_autofree char *before = NULL, *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autofree char *contents = NULL;
  gsize            len;
  sqlite3         *db = NULL;

  /* Not SQLite at all. */
  g_assert_true (g_file_set_contents (text_path, "団体名,電話\n明治の会,0944-00-0000\n", -1, NULL));
  before = file_digest (text_path);
  store = tsu_store_open (text_path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT);
  after = file_digest (text_path);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);

  /* SQLite, but another program's. */
  g_assert_cmpint (sqlite3_open (foreign_path, &db), ==, SQLITE_OK);
  g_assert_true (tsu_store_exec (db, "CREATE TABLE t (x); INSERT INTO t VALUES (1);", NULL));
  sqlite3_close (db);
  before = file_digest (foreign_path);
  store = tsu_store_open (foreign_path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT);
  after = file_digest (foreign_path);
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);
  g_clear_pointer (&before, g_free);
  g_clear_pointer (&after, g_free);

  /* Ours, with pages overwritten in the middle. */
  store = tsu_store_open (broken_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr (GRand) rand = g_rand_new_with_seed (7);
    for (int i = 0; i < 200; i++)
      {
        g_autoptr (JsonObject) o = group_fields ("壊れる前の団体", "コワレルマエノダンタイ");
        g_autofree char *id = tsu_store_insert (store, "groups", o, &error);
        g_assert_no_error (error);
      }
  }
  g_clear_object (&store);
  g_assert_true (g_file_get_contents (broken_path, &contents, &len, NULL));
  g_assert_cmpuint (len, >, 4096 * 4);
  for (gsize i = 4096 * 2; i < len - 4096; i += 37)
    contents[i] = (char)(contents[i] ^ 0x5a);
  g_assert_true (g_file_set_contents (broken_path, contents, len, NULL));
  before = file_digest (broken_path);
  store = tsu_store_open (broken_path, &error);
  g_assert_null (store);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT);
  after = file_digest (broken_path);
  g_assert_cmpstr (before, ==, after);
}

typedef struct
{
  guint n;
  GStrv last_ids;
  char *collection;
} ChangedLog;

static void
changed_cb (TsuStore *store, const char *collection, GStrv ids, ChangedLog *log)
{
  log->n++;
  g_strfreev (log->last_ids);
  log->last_ids = g_strdupv (ids);
  g_free (log->collection);
  log->collection = g_strdup (collection);
}

static void
test_write_path (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) fields = group_fields ("白川見守りの会", "シラカワミマモリノカイ");
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonArray) history = NULL;
  g_autoptr (JsonArray) outbox = NULL;
  g_autofree char *id = NULL;
  ChangedLog       log = { 0 };
  JsonObject      *entry, *changes;

  g_assert_no_error (error);
  tsu_store_set_author (store, "窓口 花子");
  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &log);

  id = tsu_store_insert (store, "groups", fields, &error);
  g_assert_no_error (error);
  g_assert_true (tsu_uuid_is_valid (id));
  g_assert_cmpuint (log.n, ==, 1);
  g_assert_cmpstr (log.collection, ==, "groups");
  g_assert_cmpstr (log.last_ids[0], ==, id);

  json_object_set_string_member (change, "phone", "0944-00-1234");
  json_object_set_int_member (change, "members_total", 12); /* unchanged: not recorded */
  g_assert_true (tsu_store_update (store, "groups", id, change, &error));
  g_assert_no_error (error);

  /* Same values again: nothing to record. */
  g_assert_true (tsu_store_update (store, "groups", id, change, &error));

  row = tsu_store_get (store, "groups", id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "0944-00-1234");
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "白川見守りの会");
  g_assert_false (json_object_get_boolean_member (row, "deleted"));

  history = tsu_store_get_history (store, "groups", id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (history), ==, 2);
  entry = json_array_get_object_element (history, 1);
  g_assert_cmpstr (json_object_get_string_member (entry, "author"), ==, "窓口 花子");
  g_assert_cmpstr (json_object_get_string_member (entry, "action"), ==, "update");
  g_assert_cmpstr (json_object_get_string_member (entry, "origin"), ==, "local");
  changes = json_object_get_object_member (entry, "changes");
  g_assert_cmpuint (json_object_get_size (changes), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (
      json_object_get_member (json_object_get_object_member (changes, "phone"), "old")));
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (changes, "phone"), "new"), ==,
      "0944-00-1234");

  g_assert_true (tsu_store_delete (store, "groups", id, &error));
  g_assert_no_error (error);
  g_assert_false (tsu_store_update (store, "groups", id, change, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (tsu_store_undelete (store, "groups", id, &error));
  g_assert_no_error (error);

  outbox = tsu_store_get_outbox (store, 0, 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (outbox), ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      static const char *ops[] = { "insert", "update", "delete", "undelete" };
      JsonObject        *e = json_array_get_object_element (outbox, i);
      g_assert_cmpint (json_object_get_int_member (e, "seq"), ==, i + 1);
      g_assert_cmpstr (json_object_get_string_member (e, "op"), ==, ops[i]);
      g_assert_cmpstr (json_object_get_string_member (e, "id"), ==, id);
      g_assert_cmpstr (json_object_get_string_member (e, "state"), ==, "pending");
    }
  entry = json_array_get_object_element (outbox, 1);
  g_assert_cmpstr (
      json_object_get_string_member (json_object_get_object_member (entry, "fields"), "phone"), ==,
      "0944-00-1234");
  g_assert_true (json_object_has_member (json_object_get_object_member (entry, "old"), "phone"));
  g_assert_cmpuint (log.n, ==, 4);

  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history"), ==, 4);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, 4);

  g_signal_handlers_disconnect_by_data (store, &log);
  g_strfreev (log.last_ids);
  g_free (log.collection);
}

static void
test_rejects_bad_writes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) bad_field = group_fields ("a", "ア");
  g_autoptr (JsonObject) bad_type = json_object_new ();
  g_autoptr (JsonObject) derived = json_object_new ();
  g_autoptr (JsonObject) bad_date = json_object_new ();
  char *id;

  json_object_set_string_member (bad_field, "password", "x");
  id = tsu_store_insert (store, "groups", bad_field, &error);
  g_assert_null (id);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_string_member (bad_type, "members_total", "12");
  g_assert_null (tsu_store_insert (store, "groups", bad_type, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_string_member (derived, "sort_key", "0000");
  g_assert_null (tsu_store_insert (store, "groups", derived, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_string_member (bad_date, "registered_on", "2026-02-30");
  g_assert_null (tsu_store_insert (store, "groups", bad_date, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_null (tsu_store_insert (store, "volunteers_of_mars", bad_date, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* A required name of nothing but spaces (full-width too) is no name. */
  {
    g_autoptr (JsonObject) blank = group_fields (" \u3000 ", "ア");

    g_assert_null (tsu_store_insert (store, "groups", blank, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  json_object_set_string_member (bad_date, "registered_on", "2026-02-28");
  g_assert_false (
      tsu_store_update (store, "groups", "0190c3a0-0000-7000-8000-00000000dead", bad_date, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing of the refused writes reached any table. */
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM groups"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, 0);
}

/* Any record must fit one sync request: text is bounded. */
static void
test_rejects_oversized (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) huge = json_object_new ();
  g_autofree char *text = g_strnfill (TSU_FIELD_MAX_BYTES + 1, 'a');
  g_autofree char *id = NULL;

  /* A group needs its name (issue 9: a nameless record is refused). */
  json_object_set_string_member (huge, "name", "大きな備考の会");
  json_object_set_string_member (huge, "notes", text);
  g_assert_null (tsu_store_insert (store, "groups", huge, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, 0);

  text[TSU_FIELD_MAX_BYTES] = '\0';
  json_object_set_string_member (huge, "notes", text);
  id = tsu_store_insert (store, "groups", huge, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static gboolean
insert_three_then_fail (TsuStore *store, gpointer user_data, GError **error)
{
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) o = group_fields ("取り消される団体", "トリケサレルダンタイ");
      g_autofree char *id = tsu_store_insert (store, "groups", o, error);
      g_assert_nonnull (id);
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "row 4 is malformed");
  return FALSE;
}

static gboolean
insert_three (TsuStore *store, gpointer user_data, GError **error)
{
  for (int i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) o = group_fields ("取り込む団体", "トリコムダンタイ");
      g_autofree char *id = tsu_store_insert (store, "groups", o, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
test_transaction_all_or_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonArray) history = NULL;
  ChangedLog log = { 0 };

  g_signal_connect (store, "changed", G_CALLBACK (changed_cb), &log);
  g_assert_false (
      tsu_store_transaction (store, TSU_ORIGIN_IMPORT, insert_three_then_fail, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_cmpint (tsu_store_count (store, "groups", TRUE, NULL), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history"), ==, 0);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, 0);
  g_assert_cmpuint (log.n, ==, 0);

  g_assert_true (tsu_store_transaction (store, TSU_ORIGIN_IMPORT, insert_three, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tsu_store_count (store, "groups", FALSE, NULL), ==, 3);
  g_assert_cmpuint (log.n, ==, 1);
  g_assert_cmpuint (g_strv_length (log.last_ids), ==, 3);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history WHERE origin = 'import'"), ==,
                   3);
  /* Outbox numbering continues without a gap after the rollback. */
  g_assert_cmpint (count_rows (f->path, "SELECT max(seq) FROM outbox"), ==, 3);

  g_signal_handlers_disconnect_by_data (store, &log);
  g_strfreev (log.last_ids);
  g_free (log.collection);
}

static void
test_remote_writes_no_outbox (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) fields = group_fields ("三池歴史ガイドの会", "ミイケレキシガイドノカイ");
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id = tsu_uuid7_new ();

  g_assert_true (tsu_store_apply_remote (store, "groups", id, fields, 7, FALSE, &error));
  g_assert_no_error (error);
  row = tsu_store_get (store, "groups", id, &error);
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 7);
  g_assert_true (tsu_store_apply_remote (store, "groups", id, NULL, 8, TRUE, &error));
  g_assert_no_error (error);
  g_clear_pointer (&row, json_object_unref);
  row = tsu_store_get (store, "groups", id, &error);
  g_assert_true (json_object_get_boolean_member (row, "deleted"));
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history WHERE origin = 'server'"), ==,
                   2);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, 0);

  g_assert_false (tsu_store_apply_remote (store, "groups", "../etc", fields, 1, FALSE, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
}

/* A local insert's history entry holds no values (schema 7), yet reads with
 * the values the insert wrote, whatever was changed, deleted or restored
 * after it: they are compared with the insert's outbox entry, which holds
 * them. */
static void
test_history_first_version (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (JsonArray) outbox = NULL;
  const char *phones[] = { "0944-00-0001", "0944-00-0002", NULL };

  for (int i = 0; i < 300; i++)
    {
      int         op = ids->len == 0 ? 0 : g_rand_int_range (rand, 0, 5);
      const char *id
          = ids->len ? g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len)) : NULL;
      g_autoptr (JsonObject) change = json_object_new ();

      if (op == 0)
        {
          g_autoptr (JsonObject) o = group_fields ("最初の名前", "サイショノナマエ");
          const char *phone = phones[g_rand_int_range (rand, 0, 3)];

          if (phone)
            json_object_set_string_member (o, "phone", phone);
          g_ptr_array_add (ids, tsu_store_insert (store, "groups", o, &error));
          g_assert_no_error (error);
          continue;
        }
      if (op == 4)
        {
          g_autoptr (JsonObject) row = tsu_store_get (store, "groups", id, &error);

          if (json_object_get_boolean_member (row, "deleted"))
            g_assert_true (tsu_store_undelete (store, "groups", id, &error));
          else
            g_assert_true (tsu_store_delete (store, "groups", id, &error));
          g_assert_no_error (error);
          continue;
        }
      if (op == 1)
        json_object_set_string_member (change, "name",
                                       g_rand_boolean (rand) ? "次の名前" : "三つ目");
      else if (op == 2)
        {
          const char *phone = phones[g_rand_int_range (rand, 0, 3)];

          if (phone)
            json_object_set_string_member (change, "phone", phone);
          else
            json_object_set_null_member (change, "phone");
        }
      else
        json_object_set_int_member (change, "members_total", g_rand_int_range (rand, 1, 40));
      if (!tsu_store_update (store, "groups", id, change, &error))
        {
          /* a deleted record takes no edit */
          g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
          g_clear_error (&error);
        }
    }
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history WHERE action = 'insert'"
                                        " AND changes = '{\"@values\":\"first-version\"}'"),
                   ==, ids->len);

  outbox = tsu_store_get_outbox (store, 0, 10000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (outbox); i++)
    {
      JsonObject *e = json_array_get_object_element (outbox, i);
      JsonObject *fields = json_object_get_object_member (e, "fields");
      g_autoptr (JsonArray) history = NULL;
      JsonObject    *changes;
      JsonObjectIter iter;
      const char    *name;
      JsonNode      *value;

      if (!g_str_equal (json_object_get_string_member (e, "op"), "insert"))
        continue;
      history = tsu_store_get_history (store, "groups", json_object_get_string_member (e, "id"),
                                       &error);
      g_assert_no_error (error);
      g_assert_cmpstr (
          json_object_get_string_member (json_array_get_object_element (history, 0), "action"), ==,
          "insert");
      changes
          = json_object_get_object_member (json_array_get_object_element (history, 0), "changes");
      g_assert_cmpuint (json_object_get_size (changes), ==, json_object_get_size (fields));
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          JsonObject *pair = json_object_get_object_member (changes, name);

          g_assert_nonnull (pair);
          g_assert_true (json_node_equal (json_object_get_member (pair, "new"), value));
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (pair, "old")));
        }
    }
}

/* The server's answer drops an entry's values unless it refused the change
 * (requeue and discard need them). */
static void
test_outbox_ack_drops_values (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  const char *states[] = { "applied", "merged", "conflict", "duplicate", "rejected" };

  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr (JsonObject) o = group_fields ("返事を待つ会", "ヘンジヲマツカイ");
      g_autofree char *id = tsu_store_insert (store, "groups", o, &error);

      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr (JsonObject) result = json_object_new ();

      json_object_set_string_member (result, "status", states[i]);
      g_assert_true (tsu_store_outbox_set_result (store, i + 1, states[i], result, &error));
      g_assert_no_error (error);
    }
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE fields = '{}'"
                                        " AND old = '{}' AND state != 'rejected'"),
                   ==, 4);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE state = 'rejected'"
                                        " AND fields LIKE '%返事を待つ会%'"),
                   ==, 1);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE result IS NOT NULL"), ==,
                   5);
  /* The refused one can still be sent again from its values. */
  g_assert_true (tsu_store_outbox_requeue (store, 5, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox WHERE seq = 6"
                                        " AND fields LIKE '%返事を待つ会%'"),
                   ==, 1);
}

/* A large file is checked on open only when its log shows it was left
 * open (a process ended without closing it, or another has it open now),
 * or when its last check is a week old; finding that out writes nothing. */
static void
test_integrity_check_plan (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autofree char *first = NULL, *second = NULL, *third = NULL;
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  sqlite3         *db = NULL;

  /* Every file counts as large here. */
  g_setenv ("TSU_STORE_CHECK_ALWAYS_BYTES", "0", TRUE);
  store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  first = count_text (f->path, "SELECT value FROM meta WHERE key = 'integrity.checked_at'");
  g_assert_nonnull (first);

  /* Closed cleanly, checked today: no check, nothing written. */
  g_usleep (2000);
  store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  second = count_text (f->path, "SELECT value FROM meta WHERE key = 'integrity.checked_at'");
  g_assert_cmpstr (first, ==, second);

  /* Another connection holds frames in the log (as one that ended without
   * closing would leave them): checked. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (tsu_store_exec (db, "INSERT INTO meta VALUES ('left', 'open');", &error));
  g_assert_true (g_file_test (wal, G_FILE_TEST_EXISTS));
  store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  sqlite3_close (db);
  third = count_text (f->path, "SELECT value FROM meta WHERE key = 'integrity.checked_at'");
  g_assert_cmpstr (third, !=, second);

  /* A check older than a week: checked again. */
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_true (tsu_store_exec (
      db, "UPDATE meta SET value = '2020-01-01T00:00:00Z' WHERE key = 'integrity.checked_at'",
      &error));
  sqlite3_close (db);
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));
  store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);
  g_clear_pointer (&first, g_free);
  first = count_text (f->path, "SELECT value FROM meta WHERE key = 'integrity.checked_at'");
  g_assert_cmpstr (first, >, "2026");
  g_unsetenv ("TSU_STORE_CHECK_ALWAYS_BYTES");
}

/* Every write leaves exactly one history and one outbox entry, whatever the
 * mix of operations: the two logs never drift from the rows. */
static void
test_history_matches_outbox (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  guint writes = 0;

  for (int i = 0; i < 500; i++)
    {
      int         op = ids->len == 0 ? 0 : g_rand_int_range (rand, 0, 4);
      const char *id
          = ids->len ? g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len)) : NULL;
      g_autoptr (JsonObject) change = json_object_new ();
      g_autoptr (JsonObject) row = NULL;

      if (op == 0)
        {
          g_autoptr (JsonObject) o = group_fields ("無作為の団体", "ムサクイノダンタイ");
          g_ptr_array_add (ids, tsu_store_insert (store, "groups", o, &error));
          g_assert_no_error (error);
          writes++;
          continue;
        }
      row = tsu_store_get (store, "groups", id, &error);
      g_assert_no_error (error);
      if (json_object_get_boolean_member (row, "deleted"))
        {
          g_assert_true (tsu_store_undelete (store, "groups", id, &error));
          writes++;
        }
      else if (op == 3)
        {
          g_assert_true (tsu_store_delete (store, "groups", id, &error));
          writes++;
        }
      else
        {
          json_object_set_int_member (change, "members_total", g_rand_int_range (rand, 1, 4));
          if (json_object_get_int_member (row, "members_total")
              != json_object_get_int_member (change, "members_total"))
            writes++;
          g_assert_true (tsu_store_update (store, "groups", id, change, &error));
        }
      g_assert_no_error (error);
    }
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM history"), ==, writes);
  g_assert_cmpint (count_rows (f->path, "SELECT count(*) FROM outbox"), ==, writes);
  g_assert_cmpint (count_rows (f->path, "SELECT max(seq) FROM outbox"), ==, writes);
  g_assert_cmpint (
      count_rows (f->path, "SELECT count(*) FROM history h JOIN outbox o"
                           " ON o.seq = h.id AND o.record_id = h.record_id AND o.op = h.action"),
      ==, writes);
}

/* A savepoint rolled back inside a transaction takes its news with it:
 * "changed" names only what was committed. */
typedef struct
{
  GPtrArray *ids;
} Seen;

static void
seen_changed_cb (TsuStore *store, const char *collection, const char *const *ids, Seen *seen)
{
  for (guint i = 0; ids && ids[i]; i++)
    g_ptr_array_add (seen->ids, g_strdup (ids[i]));
}

static gboolean
nested_fails (TsuStore *store, gpointer user_data, GError **error)
{
  g_autofree char *id
      = tsu_store_insert (store, "groups", group_fields ("消える会", "キエルカイ"), error);

  *(char **)user_data = g_steal_pointer (&id);
  g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_FAILED, "no");
  return FALSE;
}

static gboolean
outer_txn (TsuStore *store, gpointer user_data, GError **error)
{
  char **gone = user_data;
  g_autoptr (GError) inner = NULL;
  g_autofree char *kept
      = tsu_store_insert (store, "groups", group_fields ("残る会", "ノコルカイ"), error);

  if (kept == NULL)
    return FALSE;
  g_assert_false (tsu_store_transaction (store, TSU_ORIGIN_LOCAL, nested_fails, gone, &inner));
  gone[1] = g_steal_pointer (&kept);
  return TRUE;
}

static void
test_nested_rollback_changed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  Seen  seen = { g_ptr_array_new_with_free_func (g_free) };
  char *ids[2] = { NULL, NULL };

  g_signal_connect (store, "changed", G_CALLBACK (seen_changed_cb), &seen);
  g_assert_true (tsu_store_transaction (store, TSU_ORIGIN_LOCAL, outer_txn, ids, &error));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (seen.ids->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (seen.ids, 0), ==, ids[1]);
  g_assert_null (tsu_store_get (store, "groups", ids[0], NULL));
  g_ptr_array_unref (seen.ids);
  g_free (ids[0]);
  g_free (ids[1]);
}

/* Reads from another thread do not wait for a writer holding a long
 * transaction: they see the last commit. */
typedef struct
{
  TsuStore *store;
  char     *id;
  GMutex    lock;
  GCond     cond;
  gboolean  inside, release;
} Writer;

static gboolean
hold_txn (TsuStore *store, gpointer user_data, GError **error)
{
  Writer *w = user_data;
  g_autoptr (JsonObject) change = json_object_new ();

  json_object_set_string_member (change, "phone", "0944-00-2222");
  if (!tsu_store_update (store, "groups", w->id, change, error))
    return FALSE;
  g_mutex_lock (&w->lock);
  w->inside = TRUE;
  g_cond_broadcast (&w->cond);
  while (!w->release)
    g_cond_wait (&w->cond, &w->lock);
  g_mutex_unlock (&w->lock);
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *w = data;
  g_autoptr (GError) error = NULL;

  g_assert_true (tsu_store_transaction (w->store, TSU_ORIGIN_IMPORT, hold_txn, w, &error));
  return NULL;
}

static void
test_reads_do_not_wait_for_writer (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) fields = group_fields ("待たない会", "マタナイカイ");
  Writer   w = { store };
  GThread *thread;
  gint64   t0;

  json_object_set_string_member (fields, "phone", "0944-00-1111");
  w.id = tsu_store_insert (store, "groups", fields, &error);
  g_mutex_init (&w.lock);
  g_cond_init (&w.cond);
  thread = g_thread_new ("writer", writer_thread, &w);
  g_mutex_lock (&w.lock);
  while (!w.inside)
    g_cond_wait (&w.cond, &w.lock);
  g_mutex_unlock (&w.lock);

  /* The writer holds its transaction (and the store's lock) now. */
  t0 = g_get_monotonic_time ();
  {
    g_autoptr (JsonObject) row = tsu_store_get (store, "groups", w.id, &error);
    g_autoptr (JsonArray) history = tsu_store_get_history (store, "groups", w.id, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "0944-00-1111");
    g_assert_cmpuint (json_array_get_length (history), ==, 1);
    g_assert_cmpint (tsu_store_count (store, "groups", FALSE, &error), ==, 1);
  }
  /* Not a timing test: a read that waited would wait for ever here. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 60 * G_USEC_PER_SEC);

  g_mutex_lock (&w.lock);
  w.release = TRUE;
  g_cond_broadcast (&w.cond);
  g_mutex_unlock (&w.lock);
  g_thread_join (thread);
  {
    g_autoptr (JsonObject) row = tsu_store_get (store, "groups", w.id, &error);
    g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "0944-00-2222");
  }
  g_mutex_clear (&w.lock);
  g_cond_clear (&w.cond);
  g_free (w.id);
}

/* Undo: an entry of the history is taken back through the write path. */
static void
test_revert (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonArray) history = NULL;
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id
      = tsu_store_insert (store, "groups", group_fields ("戻す会", "モドスカイ"), &error);
  gint64 last;

  json_object_set_string_member (change, "name", "戻した会");
  json_object_set_string_member (change, "phone", "0944-00-3333");
  g_assert_true (tsu_store_update (store, "groups", id, change, &error));
  history = tsu_store_get_history (store, "groups", id, &error);
  last = json_object_get_int_member (json_array_get_object_element (history, 1), "id");
  g_assert_true (tsu_store_revert (store, "groups", id, last, &error));
  g_assert_no_error (error);
  row = tsu_store_get (store, "groups", id, &error);
  g_assert_cmpstr (json_object_get_string_member (row, "name"), ==, "戻す会");
  g_assert_true (json_object_get_null_member (row, "phone"));
  g_clear_pointer (&history, json_array_unref);
  history = tsu_store_get_history (store, "groups", id, &error);
  g_assert_cmpuint (json_array_get_length (history), ==, 3);
  /* Undoing the insert deletes the record (kept as a tombstone). */
  last = json_object_get_int_member (json_array_get_object_element (history, 0), "id");
  g_assert_true (tsu_store_revert (store, "groups", id, last, &error));
  g_assert_cmpint (tsu_store_count (store, "groups", FALSE, &error), ==, 0);
}

/* A refused value says which field, in words, and why. */
static void
test_invalid_messages (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (f->path, &error);
  g_autoptr (JsonObject) fields = group_fields ("長", "ナガ");
  g_autoptr (GString) longname = g_string_new (NULL);
  g_autofree char *id = NULL;

  for (guint i = 0; i < 200000; i++)
    g_string_append (longname, "長");
  json_object_set_string_member (fields, "name", longname->str);
  id = tsu_store_insert (store, "groups", fields, &error);
  g_assert_null (id);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Name"));
  g_assert_null (strstr (error->message, "“name”"));
  g_clear_error (&error);

  json_object_set_string_member (fields, "name", "普通の会");
  json_object_set_string_member (fields, "legal_form", "registration_number");
  g_assert_null (tsu_store_insert (store, "groups", fields, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_string_member (fields, "legal_form", "NPO法人");
  json_object_set_string_member (fields, "name", "\u202Eabc");
  g_assert_null (tsu_store_insert (store, "groups", fields, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
  g_clear_error (&error);

  json_object_set_string_member (fields, "name", "");
  g_assert_null (tsu_store_insert (store, "groups", fields, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
}

/* Rows written before the search fold knew 異体字 are folded again by the
 * collections' refold steps: 高橋 then finds the 髙橋 in an old file. */
static void
test_refold_step (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "refold.sqlite3", NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  sqlite3         *db = NULL;

  {
    g_autoptr (TsuStore) store = tsu_store_open (path, &error);
    g_assert_no_error (error);
    id = tsu_store_insert (store, "groups", group_fields ("髙橋の会", "タカハシノカイ"), &error);
    g_assert_no_error (error);
  }
  /* As an older build left it: its search text unfolded, its step 3. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (tsu_store_exec (db,
                                 "UPDATE groups SET search_text = '髙橋の会 タカハシノカイ';"
                                 "UPDATE meta SET value = '3' WHERE key = 'schema.groups';",
                                 &error));
  g_assert_no_error (error);
  sqlite3_close (db);
  {
    g_autoptr (TsuStore) store = tsu_store_open (path, &error);
    g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_group_collection);
    g_autoptr (GArray) rows = NULL;
    sqlite3 *reader;

    g_assert_no_error (error);
    g_assert_cmpint (count_rows (path, "SELECT value FROM meta WHERE key = 'schema.groups'"), ==,
                     last_step (&tsu_group_collection));
    reader = tsu_store_open_reader (store, &error);
    g_assert_no_error (error);
    tsu_record_query_set_search (q, "高橋");
    rows = tsu_record_query_run (reader, q, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 1);
    sqlite3_close (reader);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/create-and-reopen", test_create_and_reopen);
  ADD ("/store/migrations/from-every-version", test_migrations_from_every_version);
  ADD ("/store/migrations/failure-rolls-back", test_migration_failure_rolls_back);
  ADD ("/store/migrations/fixture-files", test_fixture_files);
  ADD ("/store/migrations/refold-step", test_refold_step);
  ADD ("/store/open/refuses-newer-collection", test_refuses_newer_collection);
  ADD ("/store/write/nested-rollback-changed", test_nested_rollback_changed);
  ADD ("/store/read/does-not-wait-for-writer", test_reads_do_not_wait_for_writer);
  ADD ("/store/write/revert", test_revert);
  ADD ("/store/write/invalid-messages", test_invalid_messages);
  ADD ("/store/open/refuses-newer", test_refuses_newer);
  ADD ("/store/open/refuses-foreign-and-corrupt", test_refuses_foreign_and_corrupt);
  ADD ("/store/write/path", test_write_path);
  ADD ("/store/write/rejects-bad", test_rejects_bad_writes);
  ADD ("/store/write/rejects-oversized", test_rejects_oversized);
  ADD ("/store/write/transaction", test_transaction_all_or_nothing);
  ADD ("/store/write/remote", test_remote_writes_no_outbox);
  ADD ("/store/write/history-matches-outbox", test_history_matches_outbox);
  ADD ("/store/write/history-first-version", test_history_first_version);
  ADD ("/store/sync/outbox-ack-drops-values", test_outbox_ack_drops_values);
  ADD ("/store/open/integrity-check-plan", test_integrity_check_plan);
#undef ADD

  return g_test_run ();
}
