/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store and other programs on the same file: changes they commit are
 * noticed (data_version) and lists refresh; a write waits for theirs and
 * says why when it gives up; values that arrived by sync are exported
 * with the formula guard; the database is never an export target. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "tsu-files.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-record-list.h"
#include "tsu-store-private.h"
#include "tsu-uuid.h"

/* Generous: the store looks once a second; a loaded machine may be slow.
 * Only a bound on a wait that otherwise ends by itself, not a timing. */
#define WAIT_S 30

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *a; /* the window's store */
  TsuStore *b; /* another program's (the command line) */
} Fixture;

typedef struct
{
  guint      n_empty;   /* emissions with no ids: someone else wrote */
  guint      n_own;     /* emissions naming ids: our own writes */
  GPtrArray *empty_for; /* collections of the empty emissions */
} Seen;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-watch-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "desk.sqlite3", NULL);
  f->a = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  f->b = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = NULL;
  const char *name;

  g_clear_object (&f->a);
  g_clear_object (&f->b);
  d = g_dir_open (f->dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->path);
}

static void
changed_cb (TsuStore *store, const char *collection, const char *const *ids, Seen *seen)
{
  if (ids == NULL || ids[0] == NULL)
    {
      seen->n_empty++;
      g_ptr_array_add (seen->empty_for, g_strdup (collection));
    }
  else
    seen->n_own++;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until *@counter moves past @from or @seconds pass. */
static void
iterate_until (guint *counter, guint from, guint seconds)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add_seconds (seconds, flag_cb, &timed_out);

  while (*counter <= from && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
}

static JsonObject *
group_fields (const char *name, const char *kana)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "name", name);
  json_object_set_string_member (o, "name_kana", kana);
  return o;
}

static void
test_other_connection_noticed (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = group_fields ("三池の会", "ミイケノカイ");
  g_autofree char      *id = NULL;
  Seen                  seen = { 0, 0, g_ptr_array_new_with_free_func (g_free) };
  sqlite3              *raw = NULL;
  const TsuCollection **all;
  guint                 n_collections;

  g_signal_connect (f->a, "changed", G_CALLBACK (changed_cb), &seen);

  /* Another TsuStore (another process would be the same to SQLite). */
  id = tsu_store_insert (f->b, "groups", fields, &error);
  g_assert_no_error (error);
  all = tsu_collections_all (&n_collections);
  iterate_until (&seen.n_empty, 0, WAIT_S);
  /* Once for every collection, in one go. */
  while (seen.n_empty < n_collections && g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (seen.n_empty, ==, n_collections);
  for (guint i = 0; i < n_collections; i++)
    g_assert_true (
        g_ptr_array_find_with_equal_func (seen.empty_for, all[i]->name, g_str_equal, NULL));
  g_assert_cmpuint (seen.n_own, ==, 0);

  /* A raw SQLite connection (the sqlite3 tool, a script) counts too. */
  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (
      sqlite3_exec (raw, "INSERT INTO meta (key, value) VALUES ('probe', 'x')", NULL, NULL, NULL),
      ==, SQLITE_OK);
  sqlite3_close (raw);
  iterate_until (&seen.n_empty, n_collections, WAIT_S);
  g_assert_cmpuint (seen.n_empty, >, n_collections);
  g_ptr_array_unref (seen.empty_for);
}

static void
test_own_writes_not_external (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = group_fields ("有明の会", "アリアケノカイ");
  g_autofree char *id = NULL;
  Seen             seen = { 0, 0, g_ptr_array_new_with_free_func (g_free) };
  gboolean         done = FALSE;

  g_signal_connect (f->a, "changed", G_CALLBACK (changed_cb), &seen);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (JsonObject) edit = group_fields ("有明の会", "アリアケノカイ");

      if (id == NULL)
        id = tsu_store_insert (f->a, "groups", fields, &error);
      else
        {
          json_object_set_string_member (edit, "address", i == 1 ? "大牟田市" : "荒尾市");
          tsu_store_update (f->a, "groups", id, edit, &error);
        }
      g_assert_no_error (error);
      g_assert_false (tsu_store_check_external_changes (f->a));
    }
  /* Let the watch run a few times: it must find nothing. */
  g_timeout_add (3500, flag_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (seen.n_own, ==, 3);
  g_assert_cmpuint (seen.n_empty, ==, 0);
  g_ptr_array_unref (seen.empty_for);
}

static void
updated_cb (TsuRecordList *list, guint *n)
{
  (*n)++;
}

/* The window's list follows a command-line import: new rows appear and a
 * row it already shows (same rowid, same place) is read again. */
static void
test_list_refreshes (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  static const char *const columns[] = { "name", NULL };
  g_autoptr (TsuRecordList) list = tsu_record_list_new (f->a, &tsu_group_collection, columns);
  g_autoptr (TsuRecordQuery) query = tsu_record_query_new (&tsu_group_collection);
  g_autoptr (JsonObject) first = group_fields ("あおぞらの会", "アオゾラノカイ");
  g_autoptr (TsuRecordItem) item = NULL;
  g_autofree char *id = tsu_store_insert (f->a, "groups", first, &error);
  guint            updates = 0;
  gboolean         ok;

  g_assert_no_error (error);
  ok = tsu_record_list_set_query_sync (list, query, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  g_assert_cmpstr (tsu_record_item_get_cell (item, "name"), ==, "あおぞらの会");
  g_signal_connect (list, "updated", G_CALLBACK (updated_cb), &updates);

  /* Another program renames the shown row and adds 30 more. */
  {
    g_autoptr (JsonObject) rename = json_object_new ();

    json_object_set_string_member (rename, "name", "あおぞら子ども会");
    g_assert_true (tsu_store_update (f->b, "groups", id, rename, &error));
    g_assert_no_error (error);
  }
  for (guint i = 0; i < 30; i++)
    {
      g_autofree char *name = g_strdup_printf ("わかば%02u", i);
      g_autoptr (JsonObject) fields = group_fields (name, "ワカバ");
      g_autofree char *new_id = tsu_store_insert (f->b, "groups", fields, &error);

      g_assert_no_error (error);
    }

  while (g_list_model_get_n_items (G_LIST_MODEL (list)) != 31
         || g_strcmp0 (tsu_record_item_get_cell (item, "name"), "あおぞら子ども会") != 0)
    {
      guint before = updates;

      iterate_until (&updates, before, WAIT_S);
      g_assert_cmpuint (updates, >, before); /* else the list never refreshed */
    }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 31);
}

/* A write waits for another connection's transaction, says so after a
 * second, and gives up with a message that names the cause. */
static void
waiting_cb (TsuStore *store, gpointer data)
{
  (*(guint *)data)++;
}

static void
test_busy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) fields = group_fields ("待つ会", "マツカイ");
  g_autofree char *id = NULL;
  sqlite3         *raw = NULL;
  guint            told = 0;

  g_assert_cmpint (sqlite3_open (f->path, &raw), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (raw, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);

  tsu_store_set_busy_wait (f->a, 1500, waiting_cb, &told);
  id = tsu_store_insert (f->a, "groups", fields, &error);
  g_assert_null (id);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_BUSY);
  g_assert_nonnull (strstr (error->message, "Another program"));
  g_assert_null (strstr (error->message, "locked"));
  g_assert_cmpuint (told, ==, 1);
  g_clear_error (&error);

  /* Once the other side commits, the same write goes through. */
  g_assert_cmpint (sqlite3_exec (raw, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (raw);
  id = tsu_store_insert (f->a, "groups", fields, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* A value that came from the server (another desk, or a hostile push) is
 * exported guarded like any other, and our import gives it back. */
static void
test_synced_value_exported_guarded (Fixture *f, gconstpointer data)
{
  static const char *const names[]
      = { "=HYPERLINK(\"http://example.jp/\",\"詳細\")", "+cmd|' /C calc'!A0", "@SUM(1)", "-2+3" };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autoptr (TsuRecordImport) import = NULL;
  TsuCsvContext ctx = { { 0 } };
  GDate         today;
  const char   *p;
  gsize         len;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 12, 2026);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *id = tsu_uuid7_new ();
      g_autoptr (JsonObject) fields = group_fields (names[i], "ドウキ");

      g_assert_true (tsu_store_apply_remote (f->a, "groups", id, fields, 10 + i, FALSE, &error));
      g_assert_no_error (error);
    }
  ctx.today = today;
  csv = tsu_record_export (f->a, &tsu_group_collection, NULL, TSU_CSV_ENCODING_UTF8_BOM, &ctx, NULL,
                           &error);
  g_assert_no_error (error);
  p = g_bytes_get_data (csv, &len);
  g_assert_nonnull (g_strstr_len (p, len, ",\"'=HYPERLINK("));
  g_assert_nonnull (g_strstr_len (p, len, ",'+cmd|' /C calc'!A0,"));
  g_assert_nonnull (g_strstr_len (p, len, ",'@SUM(1),"));
  g_assert_nonnull (g_strstr_len (p, len, ",'-2+3,"));

  import = tsu_record_import_new_from_data (&tsu_group_collection, p, len, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_n_rows (import), ==, G_N_ELEMENTS (names));
  for (guint r = 0; r < G_N_ELEMENTS (names); r++)
    {
      JsonObject *rec = tsu_record_import_get_record (import, r);
      const char *name = json_object_get_string_member (rec, "name");

      g_assert_true (g_strv_contains (names, name));
    }
}

static void
test_output_path (Fixture *f, gconstpointer data)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autoptr (GError) error = NULL;
  g_autofree char *other = g_build_filename (f->dir, "groups.csv", NULL);
  g_autofree char *soft = g_build_filename (f->dir, "link.csv", NULL);
  g_autofree char *hard = g_build_filename (f->dir, "hard.csv", NULL);
  TsuCsvContext    ctx = { { 0 } };

  g_date_clear (&ctx.today, 1);
  g_date_set_dmy (&ctx.today, 1, 12, 2026);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (f->path, suffixes[i], NULL);

      g_assert_false (tsu_store_check_output_path (f->a, path, &error));
      g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (tsu_record_export_file (f->a, &tsu_group_collection, NULL, path,
                                              TSU_CSV_ENCODING_UTF8_BOM, &ctx, NULL, &error));
      g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpint (symlink (f->path, soft), ==, 0);
  g_assert_cmpint (link (f->path, hard), ==, 0);
  g_assert_true (tsu_file_is_database_file (soft, f->path));
  g_assert_true (tsu_file_is_database_file (hard, f->path));
  g_assert_false (tsu_file_is_database_file (other, f->path));
  g_assert_true (tsu_store_check_output_path (f->a, other, &error));
  g_assert_no_error (error);
  g_assert_true (tsu_record_export_file (f->a, &tsu_group_collection, NULL, other,
                                         TSU_CSV_ENCODING_UTF8_BOM, &ctx, NULL, &error));
  g_assert_no_error (error);
  {
    GStatBuf st;

    g_assert_cmpint (g_stat (other, &st), ==, 0);
    g_assert_cmpint (st.st_mode & 07777, ==, 0600);
  }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/store/watch/other-connection", test_other_connection_noticed);
  ADD ("/store/watch/own-writes", test_own_writes_not_external);
  ADD ("/store/watch/list-refreshes", test_list_refreshes);
  ADD ("/store/busy", test_busy);
  ADD ("/store/export/synced-value-guarded", test_synced_value_exported_guarded);
  ADD ("/store/export/output-path", test_output_path);
  return g_test_run ();
}
