/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Erasure on a person's request: the row keeps only what statistics count,
 * the history and the outbox keep no erased value, the erasure is sent
 * (or, for a record the server never had, nothing is), and after VACUUM
 * no byte of the file holds any of the person's values. */
#define _GNU_SOURCE /* memmem */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-store-private.h"

/* Values of the person, each unlikely to occur anywhere else. */
static const char *const secrets[] = { "蛯名",
                                       "瑠璃子",
                                       "エビナ",
                                       "ルリコ",
                                       "090-8765-4321",
                                       "ruriko.ebina@example.jp",
                                       "大牟田市白川町9-87",
                                       "喘息の持病あり",
                                       "手話通訳士",
                                       "緊急連絡先 夫 090-1111-2222" };

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-erase-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static char *
add_person (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n = json_from_string (
      "{\"family_name\":\"蛯名\",\"given_name\":\"瑠璃子\",\"family_kana\":\"エビナ\","
      "\"given_kana\":\"ルリコ\",\"phone\":\"090-8765-4321\","
      "\"email\":\"ruriko.ebina@example.jp\",\"address\":\"大牟田市白川町9-87\","
      "\"emergency_contact\":\"緊急連絡先 夫 090-1111-2222\",\"fields\":[1,2],"
      "\"status\":\"active\",\"registered_on\":\"2026-04-10\"}",
      NULL);
  char *id = tsu_store_insert (f->store, "volunteers", json_node_get_object (n), &error);

  g_assert_no_error (error);
  return id;
}

static void
edit (Fixture *f, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n = json_from_string (json, NULL);

  g_assert_true (tsu_store_update (f->store, "volunteers", id, json_node_get_object (n), &error));
  g_assert_no_error (error);
}

static gboolean
acknowledge_all (sqlite3 *db, gpointer data, GError **error)
{
  return tsu_store_exec (db, "UPDATE outbox SET state = 'applied'", error);
}

/* Every byte of the database files (after VACUUM: free pages too). */
static void
assert_no_secret_on_disk (Fixture *f)
{
  sqlite3 *db = NULL;

  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (f->path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *p = g_strconcat (f->path, (const char *[]){ "", "-wal", "-shm" }[s], NULL);
      g_autofree char *bytes = NULL;
      gsize            len = 0;

      if (!g_file_get_contents (p, &bytes, &len, NULL))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (memmem (bytes, len, secrets[i], strlen (secrets[i])) != NULL)
          g_error ("%s still holds “%s”", p, secrets[i]);
    }
}

static void
test_erase_synced (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = add_person (f);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonArray) history = NULL;
  g_autoptr (JsonArray) outbox = NULL;
  JsonObject *last;

  edit (f, id, "{\"skills\":[\"手話通訳士\"]}");
  /* The server has these; the next edit still waits. */
  {
    sqlite3 *db = tsu_store_get_db (f->store);

    tsu_store_lock (f->store);
    g_assert_true (acknowledge_all (db, NULL, &error));
    tsu_store_unlock (f->store);
  }
  edit (f, id, "{\"notes\":\"喘息の持病あり\"}");

  g_assert_true (tsu_store_erase (f->store, "volunteers", id, &error));
  g_assert_no_error (error);

  row = tsu_store_get (f->store, "volunteers", id, &error);
  g_assert_true (json_object_get_boolean_member (row, "deleted"));
  g_assert_true (json_object_get_null_member (row, "family_name"));
  g_assert_true (json_object_get_null_member (row, "phone"));
  g_assert_true (json_object_get_null_member (row, "notes"));
  /* What statistics count stays: fields, status, the registration date. */
  g_assert_cmpint (json_array_get_length (json_object_get_array_member (row, "fields")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "active");
  g_assert_cmpstr (json_object_get_string_member (row, "registered_on"), ==, "2026-04-10");

  /* The history says who erased it and when, and no value. */
  history = tsu_store_get_history (f->store, "volunteers", id, &error);
  last = json_array_get_object_element (history, json_array_get_length (history) - 1);
  g_assert_cmpstr (json_object_get_string_member (last, "action"), ==, "erase");
  {
    g_autoptr (JsonNode) node = json_node_init_array (json_node_alloc (), history);
    g_autofree char *text = json_to_string (node, FALSE);

    for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
      g_assert_null (strstr (text, secrets[i]));
  }
  /* The waiting edit is gone; the erasure waits instead. */
  outbox = tsu_store_get_outbox (f->store, 0, 100, &error);
  {
    guint pending = 0;

    for (guint i = 0; i < json_array_get_length (outbox); i++)
      {
        JsonObject *e = json_array_get_object_element (outbox, i);

        if (g_strcmp0 (json_object_get_string_member (e, "state"), "pending") != 0)
          continue;
        pending++;
        g_assert_cmpstr (json_object_get_string_member (e, "op"), ==, "erase");
        g_assert_cmpuint (json_object_get_size (json_object_get_object_member (e, "fields")), ==,
                          0);
      }
    g_assert_cmpuint (pending, ==, 1);
  }
  assert_no_secret_on_disk (f);
}

static void
test_erase_unsent (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = add_person (f);
  g_autoptr (JsonArray) outbox = NULL;

  edit (f, id, "{\"notes\":\"喘息の持病あり\",\"skills\":[\"手話通訳士\"]}");
  g_assert_true (tsu_store_erase (f->store, "volunteers", id, &error));
  g_assert_no_error (error);
  /* The server never had the person: nothing at all is sent. */
  outbox = tsu_store_get_outbox (f->store, 0, 100, &error);
  g_assert_cmpuint (json_array_get_length (outbox), ==, 0);
  assert_no_secret_on_disk (f);
}

static void
test_erase_remote (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = add_person (f);
  g_autoptr (JsonObject) row = NULL;
  g_autoptr (JsonArray) outbox = NULL;
  guint before;

  outbox = tsu_store_get_outbox (f->store, 0, 100, &error);
  before = json_array_get_length (outbox);
  g_clear_pointer (&outbox, json_array_unref);
  /* Another desk erased the person; this desk learns it from a pull. */
  g_assert_true (tsu_store_apply_remote_erase (f->store, "volunteers", id, 77, &error));
  g_assert_no_error (error);
  row = tsu_store_get (f->store, "volunteers", id, &error);
  g_assert_true (json_object_get_boolean_member (row, "deleted"));
  g_assert_cmpint (json_object_get_int_member (row, "rev"), ==, 77);
  outbox = tsu_store_get_outbox (f->store, 0, 100, &error);
  for (guint i = 0; i < json_array_get_length (outbox); i++)
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (outbox, i), "op"), !=,
        "erase");
  g_assert_cmpuint (json_array_get_length (outbox), <=, before);
  /* A record this desk never had needs nothing. */
  g_assert_true (tsu_store_apply_remote_erase (f->store, "volunteers",
                                               "01900000-0000-7000-8000-000000000001", 78, &error));
  g_assert_no_error (error);
  assert_no_secret_on_disk (f);
}

/* ---- a pulled page with several erasures ---- */

static guint n_optimize;

static int
count_optimize (unsigned type, void *ctx, void *stmt, void *x)
{
  const char *sql = sqlite3_sql (stmt);

  if (sql && strstr (sql, "'optimize'"))
    n_optimize++;
  return 0;
}

/* How often @needle stands in the search index's segments, as committed
 * (read on a connection of its own). */
static guint
in_index_segments (Fixture *f, const char *needle)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  guint         n = 0;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT block FROM volunteers_fts_data", -1, &stmt, NULL), ==,
      SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *block = sqlite3_column_blob (stmt, 0);
      int         len = sqlite3_column_bytes (stmt, 0);

      if (block && memmem (block, len, needle, strlen (needle)))
        n++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return n;
}

static gboolean
erase_page (TsuStore *store, gpointer data, GError **error)
{
  GPtrArray *ids = data;

  for (guint i = 0; i < ids->len; i++)
    if (!tsu_store_apply_remote_erase (store, "volunteers", g_ptr_array_index (ids, i), 90 + i,
                                       error))
      return FALSE;
  return TRUE;
}

static gboolean
erase_then_fail (TsuStore *store, gpointer id, GError **error)
{
  if (!tsu_store_apply_remote_erase (store, "volunteers", id, 99, error))
    return FALSE;
  g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO, "the cursor was not written");
  return FALSE;
}

/* Three erasures pulled in one page, applied as the sync client applies a
 * page (one transaction, secure_delete around it): the search index is
 * merged once, and when the transaction has committed (before the WAL is
 * folded back) the index's segments hold none of the erased text, while
 * the person kept is still found. */
static void
test_erase_remote_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *kept = NULL;
  gboolean         ok;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) o = json_object_new ();
      g_autofree char *mail = g_strdup_printf ("zqx%u@example.jp", i);
      char            *id;

      json_object_set_string_member (o, "family_name", "蛯名");
      json_object_set_string_member (o, "email", mail);
      json_object_set_string_member (o, "status", "active");
      id = tsu_store_insert (f->store, "volunteers", o, &error);
      g_assert_no_error (error);
      g_ptr_array_add (ids, id);
    }
  {
    g_autoptr (JsonNode) n = json_from_string (
        "{\"family_name\":\"古賀\",\"email\":\"hanako@example.jp\",\"status\":\"active\"}", NULL);

    kept = tsu_store_insert (f->store, "volunteers", json_node_get_object (n), &error);
    g_assert_no_error (error);
  }
  /* The check below can fail: the index holds the text now. */
  g_assert_cmpuint (in_index_segments (f, "zqx"), >, 0);

  sqlite3_trace_v2 (tsu_store_get_db (f->store), SQLITE_TRACE_STMT, count_optimize, NULL);
  tsu_store_erasure_begin (f->store);
  ok = tsu_store_transaction (f->store, TSU_ORIGIN_SERVER, erase_page, ids, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (n_optimize, ==, 1);
  g_assert_cmpuint (in_index_segments (f, "zqx"), ==, 0);
  tsu_store_erasure_end (f->store, ok);
  sqlite3_trace_v2 (tsu_store_get_db (f->store), 0, NULL, NULL);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) row
          = tsu_store_get (f->store, "volunteers", g_ptr_array_index (ids, i), &error);

      g_assert_true (json_object_get_boolean_member (row, "deleted"));
      g_assert_true (json_object_get_null_member (row, "email"));
    }
  {
    sqlite3      *db = tsu_store_get_db (f->store);
    sqlite3_stmt *stmt = NULL;

    tsu_store_lock (f->store);
    g_assert_cmpint (sqlite3_prepare_v2 (db,
                                         "SELECT count(*) FROM volunteers_fts"
                                         " WHERE volunteers_fts MATCH '\"hanako\"'",
                                         -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
    sqlite3_finalize (stmt);
    tsu_store_unlock (f->store);
  }
  /* A page that fails after an erasure is rolled back whole, merges
   * nothing, and leaves nothing to merge for the next transaction. */
  n_optimize = 0;
  sqlite3_trace_v2 (tsu_store_get_db (f->store), SQLITE_TRACE_STMT, count_optimize, NULL);
  g_assert_false (
      tsu_store_transaction (f->store, TSU_ORIGIN_SERVER, erase_then_fail, kept, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_IO);
  g_clear_error (&error);
  {
    g_autoptr (JsonObject) row = tsu_store_get (f->store, "volunteers", kept, &error);
    g_autoptr (JsonNode) notes = json_from_string ("{\"notes\":\"x\"}", NULL);

    g_assert_false (json_object_get_boolean_member (row, "deleted"));
    g_assert_true (
        tsu_store_update (f->store, "volunteers", kept, json_node_get_object (notes), &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (n_optimize, ==, 0);
  sqlite3_trace_v2 (tsu_store_get_db (f->store), 0, NULL, NULL);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/erase/synced", test_erase_synced);
  ADD ("/store/erase/unsent", test_erase_unsent);
  ADD ("/store/erase/remote", test_erase_remote);
  ADD ("/store/erase/remote-page", test_erase_remote_page);
  return g_test_run ();
}
