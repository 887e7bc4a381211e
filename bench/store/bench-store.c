/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store's write path and its file, against bare SQLite in the same run:
 *
 *  - writing N groups through the write path (row + history + outbox, one
 *    transaction) vs inserting the same rows into the same table with the
 *    same indexes and search index (same pragmas), per record;
 *  - one record per transaction (an edit at the desk), the same way;
 *  - bytes per group in the file, new and after a sync acknowledged every
 *    outbox entry, vs the bare table with its indexes;
 *  - opening a file of N groups to its first data (the first screen of the
 *    list) vs sqlite3_open + the same query.
 *
 *   bench-store [--groups 100000] [--edits 1000]
 */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>

#include "tsu-bench.h"
#include "tsu-demo.h"
#include "tsu-group-collection.h"
#include "tsu-record-query.h"
#include "tsu-store-private.h"

static int n_groups = 100000;
static int n_edits = 1000;

static const GOptionEntry options[]
    = { { "groups", 0, 0, G_OPTION_ARG_INT, &n_groups, "Groups to write", "N" },
        { "edits", 0, 0, G_OPTION_ARG_INT, &n_edits, "One-record transactions to time", "N" },
        { NULL } };

static void
die (GError *error)
{
  g_printerr ("%s\n", error ? error->message : "failed");
  exit (1);
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_printerr ("%s: %s\n", sql, msg);
      exit (1);
    }
}

/* A bare database with the groups table exactly as the store makes it:
 * the collection's own schema steps, the store's pragmas. */
static sqlite3 *
bare_open (const char *path)
{
  const TsuCollection *c = &tsu_group_collection;
  sqlite3             *db = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    die (NULL);
  exec (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;");
  for (guint i = 0; i < c->n_schema; i++)
    {
      g_autoptr (GError) error = NULL;

      if (c->schema[i].sql)
        exec (db, c->schema[i].sql);
      if (c->schema[i].apply && !c->schema[i].apply (db, &error))
        die (error);
    }
  return db;
}

static gint64
file_bytes (const char *path)
{
  GStatBuf st;
  gint64   total = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autofree char *p = g_strconcat (path, i ? "-wal" : "", NULL);

      if (g_stat (p, &st) == 0)
        total += st.st_size;
    }
  return total;
}

/* Bytes of the pages in use: the file less its free pages, which SQLite
 * fills again before the file grows (a VACUUM would hand them back). */
static gint64
used_bytes (const char *path)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64        used = 0;

  sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  sqlite3_prepare_v2 (db,
                      "SELECT (SELECT page_count FROM pragma_page_count)"
                      " - (SELECT freelist_count FROM pragma_freelist_count),"
                      " (SELECT page_size FROM pragma_page_size)",
                      -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    used = sqlite3_column_int64 (stmt, 0) * sqlite3_column_int64 (stmt, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return used;
}

static void
checkpoint (const char *path)
{
  sqlite3 *db = NULL;

  sqlite3_open (path, &db);
  exec (db, "PRAGMA wal_checkpoint(TRUNCATE);");
  sqlite3_close (db);
}

typedef struct
{
  GPtrArray *rows;
  guint      from;
  guint      to;
} Batch;

static gboolean
insert_txn (TsuStore *store, gpointer data, GError **error)
{
  Batch *b = data;

  for (guint i = b->from; i < b->to; i++)
    {
      g_autofree char *id
          = tsu_store_insert (store, "groups", g_ptr_array_index (b->rows, i), error);

      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

/* Copies the rows the store wrote (derived columns and all) into the bare
 * table, @from..@to, one transaction each @per rows; returns ms. */
static double
bare_copy (sqlite3 *store_db, sqlite3 *bare, gint64 from, gint64 to, guint per)
{
  sqlite3_stmt *read = NULL, *write = NULL;
  int           n_cols;
  g_autoptr (GString) sql = g_string_new ("INSERT INTO groups VALUES (");
  double t0, total = 0;
  guint  in_txn = 0;

  sqlite3_prepare_v2 (store_db,
                      "SELECT * FROM groups WHERE rowid > ? AND rowid <= ? ORDER BY rowid", -1,
                      &read, NULL);
  sqlite3_bind_int64 (read, 1, from);
  sqlite3_bind_int64 (read, 2, to);
  n_cols = sqlite3_column_count (read);
  for (int i = 0; i < n_cols; i++)
    g_string_append (sql, i ? ", ?" : "?");
  g_string_append (sql, ")");
  if (sqlite3_prepare_v2 (bare, sql->str, -1, &write, NULL) != SQLITE_OK)
    {
      g_printerr ("%s\n", sqlite3_errmsg (bare));
      exit (1);
    }
  while (sqlite3_step (read) == SQLITE_ROW)
    {
      /* Only the bare insert is timed, not reading the source row. */
      t0 = tsu_bench_now_ms ();
      if (in_txn == 0)
        exec (bare, "BEGIN IMMEDIATE");
      for (int i = 0; i < n_cols; i++)
        sqlite3_bind_value (write, i + 1, sqlite3_column_value (read, i));
      if (sqlite3_step (write) != SQLITE_DONE)
        {
          g_printerr ("%s\n", sqlite3_errmsg (bare));
          exit (1);
        }
      sqlite3_reset (write);
      if (++in_txn == per)
        {
          exec (bare, "COMMIT");
          in_txn = 0;
        }
      total += tsu_bench_now_ms () - t0;
    }
  if (in_txn)
    {
      t0 = tsu_bench_now_ms ();
      exec (bare, "COMMIT");
      total += tsu_bench_now_ms () - t0;
    }
  sqlite3_finalize (read);
  sqlite3_finalize (write);
  return total;
}

static gboolean
ack_read (sqlite3 *db, gpointer data, GError **error)
{
  GArray       *seqs = data;
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db, "SELECT seq FROM outbox WHERE state = 'pending'", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (seqs, seq);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
ack_txn (TsuStore *store, gpointer data, GError **error)
{
  GArray *seqs = data;

  for (guint i = 0; i < seqs->len; i++)
    if (!tsu_store_outbox_set_result (store, g_array_index (seqs, gint64, i), "applied", NULL,
                                      error))
      return FALSE;
  return TRUE;
}

static double first_screen (sqlite3 *db);

static gboolean
first_screen_read (sqlite3 *db, gpointer data, GError **error)
{
  first_screen (db);
  return TRUE;
}

static double
first_screen (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  double        t0 = tsu_bench_now_ms ();
  int           n = 0;

  sqlite3_prepare_v2 (db,
                      "SELECT rowid, name, name_kana FROM groups WHERE deleted = 0"
                      " ORDER BY sort_key LIMIT 60",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    n++;
  sqlite3_finalize (stmt);
  g_assert (n > 0);
  return tsu_bench_now_ms () - t0;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— the store's write path and file");
  g_autofree char *dir = NULL, *path = NULL, *bare_path = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3 *bare = NULL, *raw = NULL;
  GDate    today;
  double   t0, store_ms, bare_ms, store_edit_ms, bare_edit_ms;
  gint64   store_bytes, bare_bytes, acked_bytes;
  guint    n, edits;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, options, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    die (error);
  n = MAX (n_groups, 10);
  edits = MIN ((guint)MAX (n_edits, 1), n);
  dir = g_dir_make_tmp ("tsu-bench-store-XXXXXX", &error);
  path = g_build_filename (dir, "desk.db", NULL);
  bare_path = g_build_filename (dir, "bare.db", NULL);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 12, 2026);
  for (guint i = 0; i < n + edits; i++)
    g_ptr_array_add (rows, tsu_demo_group (rand, i + 1, &today));

  if ((store = tsu_store_open (path, &error)) == NULL)
    die (error);
  bare = bare_open (bare_path);

  /* N records in one transaction. */
  {
    Batch b = { rows, 0, n };

    t0 = tsu_bench_now_ms ();
    if (!tsu_store_transaction (store, TSU_ORIGIN_IMPORT, insert_txn, &b, &error))
      die (error);
    store_ms = tsu_bench_now_ms () - t0;
  }
  sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL);
  bare_ms = bare_copy (raw, bare, 0, n, n);
  tsu_bench_report ("store", "write path, per record, one transaction", n, store_ms / n, "ms",
                    "bare insert, same table and indexes", bare_ms / n, "≤ 3×",
                    store_ms <= 3 * bare_ms, NULL);

  /* One record per transaction, as an edit at the desk. */
  {
    GArray *one = g_array_new (FALSE, FALSE, sizeof (double));

    for (guint i = n; i < n + edits; i++)
      {
        g_autofree char *id = NULL;
        double           t = tsu_bench_now_ms ();

        id = tsu_store_insert (store, "groups", g_ptr_array_index (rows, i), &error);
        if (id == NULL)
          die (error);
        t = tsu_bench_now_ms () - t;
        g_array_append_val (one, t);
      }
    store_edit_ms = 0;
    for (guint i = 0; i < one->len; i++)
      store_edit_ms += g_array_index (one, double, i);
    {
      TsuBenchStats    s = tsu_bench_stats (one);
      g_autofree char *spread
          = g_strdup_printf ("median %.3f, p95 %.3f ms over %u", s.median, s.p95, s.n);

      bare_edit_ms = bare_copy (raw, bare, n, n + edits, 1);
      tsu_bench_report ("store", "write path, one record per transaction (mean)", n,
                        store_edit_ms / edits, "ms", "bare insert and commit", bare_edit_ms / edits,
                        "≤ 3×", store_edit_ms <= 3 * bare_edit_ms, spread);
    }
    g_array_unref (one);
  }
  sqlite3_close (raw);

  /* Bytes per group, as written and once the server has every change. */
  g_clear_object (&store);
  sqlite3_close (bare);
  checkpoint (path);
  checkpoint (bare_path);
  store_bytes = file_bytes (path);
  bare_bytes = file_bytes (bare_path);
  tsu_bench_report ("store", "bytes per group, unsynced", n, (double)store_bytes / (n + edits), "B",
                    "bare table with its indexes", (double)bare_bytes / (n + edits), NULL, -1,
                    NULL);
  if ((store = tsu_store_open (path, &error)) == NULL)
    die (error);
  tsu_store_read (store, ack_read, seqs, NULL);
  if (!tsu_store_transaction (store, TSU_ORIGIN_SERVER, ack_txn, seqs, &error))
    die (error);
  g_clear_object (&store);
  checkpoint (path);
  acked_bytes = used_bytes (path);
  {
    g_autofree char *spread = g_strdup_printf (
        "the file itself: %.0f B per group until a VACUUM; unsynced %.0f B",
        (double)file_bytes (path) / (n + edits), (double)store_bytes / (n + edits));

    tsu_bench_report ("store", "bytes per group, synced (pages in use)", n,
                      (double)acked_bytes / (n + edits), "B", "bare table with its indexes",
                      (double)bare_bytes / (n + edits), "≤ 2×", acked_bytes <= 2 * bare_bytes,
                      spread);
  }

  /* Opening the file to the first screen of the list. */
  {
    GArray       *open_ms = g_array_new (FALSE, FALSE, sizeof (double));
    GArray       *bare_open_ms = g_array_new (FALSE, FALSE, sizeof (double));
    TsuBenchStats a, b;

    for (guint r = 0; r < 7; r++)
      {
        double   t = tsu_bench_now_ms ();
        sqlite3 *db = NULL;

        store = tsu_store_open (path, &error);
        if (store == NULL)
          die (error);
        tsu_store_read (store, first_screen_read, NULL, NULL);
        t = tsu_bench_now_ms () - t;
        g_array_append_val (open_ms, t);
        g_clear_object (&store);

        t = tsu_bench_now_ms ();
        sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
        first_screen (db);
        sqlite3_close (db);
        t = tsu_bench_now_ms () - t;
        g_array_append_val (bare_open_ms, t);
      }
    a = tsu_bench_stats (open_ms);
    b = tsu_bench_stats (bare_open_ms);
    {
      g_autofree char *spread
          = g_strdup_printf ("min %.1f, max %.1f ms over %u opens", a.min, a.max, a.n);

      tsu_bench_report ("store", "open file → first screen (median)", n, a.median, "ms",
                        "sqlite3_open + the same query", b.median, "≤ 300 ms", a.median <= 300,
                        spread);
    }
    g_array_unref (open_ms);
    g_array_unref (bare_open_ms);
  }

  {
    const char *names[]
        = { "desk.db", "desk.db-wal", "desk.db-shm", "bare.db", "bare.db-wal", "bare.db-shm" };

    for (guint i = 0; i < G_N_ELEMENTS (names); i++)
      {
        g_autofree char *p = g_build_filename (dir, names[i], NULL);
        g_remove (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
