/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter with a busy centre's records: N consultations (200,000 by
 * default) over two years and a thousand groups. Figures: the counter's
 * today list (tsu_consultations_between) and a group's consultations
 * (tsu_consultations_of), each p95 against the bare SQL query of the same
 * rows on a plain connection in the same run.
 *
 *   bench-counter [--consultations 200000] [--queries 200] */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "tsu-bench.h"
#include "tsu-counter.h"
#include "tsu-store-private.h"
#include "tsu-store.h"

#define N_GROUPS 1000
#define DAYS 730

static void
die (const char *what, const char *why)
{
  g_printerr ("bench-counter: %s: %s\n", what, why);
  exit (1);
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *err = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &err) != SQLITE_OK)
    die (sql, err);
}

static char *
day_iso (int day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, G_DATE_APRIL, 2025);
  g_date_add_days (&d, day);
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (&d), g_date_get_month (&d),
                          g_date_get_day (&d));
}

/* Consultations written straight into the table (the store's own write
 * path is measured by bench-store; here only the reads are). */
static void
fill (const char *path, GPtrArray *groups, guint n)
{
  static const char *topics[]
      = { "[\"設立\"]", "[\"運営\"]", "[\"助成金\"]", "[\"会計・税務\",\"助成金\"]", "[\"協働\"]" };
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GRand        *rand = g_rand_new_with_seed (16);

  if (sqlite3_open (path, &db) != SQLITE_OK)
    die (path, sqlite3_errmsg (db));
  exec (db, "BEGIN");
  if (sqlite3_prepare_v2 (
          db,
          "INSERT INTO consultations (id, rev, created_at, updated_at, deleted, at,"
          " channel, asker_kind, group_id, topics, question, answer, minutes,"
          " staff, follow_up, follow_up_on, sort_key, search_text)"
          " VALUES (?1, 1, ?2, ?2, 0, ?2, 'visit', 'group', ?3, ?4,"
          " '助成金の申請書の書き方', '様式を案内した', 20, '窓口 花子', ?5, ?6, ?2,"
          " 'じょせいきん')",
          -1, &stmt, NULL)
      != SQLITE_OK)
    die ("prepare", sqlite3_errmsg (db));
  for (guint i = 0; i < n; i++)
    {
      int              day = (int)((guint64)i * DAYS / n);
      g_autofree char *date = day_iso (day);
      g_autofree char *at = g_strdup_printf ("%sT%02d:%02d", date, 9 + i % 9, (i * 7) % 60);
      g_autofree char *id = g_uuid_string_random ();
      gboolean         pending = g_rand_int_range (rand, 0, 20) == 0;

      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, at, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3,
                         g_ptr_array_index (groups, g_rand_int_range (rand, 0, groups->len)), -1,
                         SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, topics[i % G_N_ELEMENTS (topics)], -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, pending ? "pending" : "none", -1, SQLITE_STATIC);
      if (pending)
        sqlite3_bind_text (stmt, 6, date, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (stmt, 6);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        die ("insert", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  exec (db, "COMMIT");
  exec (db, "ANALYZE");
  sqlite3_close (db);
  g_rand_free (rand);
}

/* The bare query: the same rows, every column stepped through. */
static double
bare (sqlite3 *db, const char *sql, const char *a, const char *b)
{
  sqlite3_stmt *stmt = NULL;
  double        t0 = tsu_bench_now_ms ();
  guint         rows = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    die (sql, sqlite3_errmsg (db));
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int c = 0; c < sqlite3_column_count (stmt); c++)
      rows += sqlite3_column_bytes (stmt, c) > 0;
  sqlite3_finalize (stmt);
  return tsu_bench_now_ms () - t0 + (rows == G_MAXUINT);
}

static gboolean
plan_read (sqlite3 *db, gpointer data, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, data, -1, &stmt, NULL) != SQLITE_OK)
    return TRUE;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_print ("  plan on the store's reader: %s\n", sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
report (const char *figure, guint n, GArray *ours, GArray *base)
{
  TsuBenchStats    o = tsu_bench_stats (ours), b = tsu_bench_stats (base);
  g_autofree char *spread
      = g_strdup_printf ("median %.2f ms (bare %.2f), %u queries", o.median, b.median, o.n);

  tsu_bench_report ("counter", figure, n, o.p95, "ms", "bare SQL query, p95", b.p95, "≤ 3× bare",
                    o.p95 <= 3 * b.p95, spread);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  int          n = 200000, queries = 200;
  GOptionEntry entries[] = {
    { "consultations", 0, 0, G_OPTION_ARG_INT, &n, "Consultations", "N" },
    { "queries", 0, 0, G_OPTION_ARG_INT, &queries, "Queries per figure", "Q" },
    { NULL },
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new (NULL);
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) base = g_array_new (FALSE, FALSE, sizeof (double));
  TsuStore *store;
  sqlite3  *db = NULL;
  double    t0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    die ("options", error->message);
  dir = g_dir_make_tmp ("bench-counter-XXXXXX", &error);
  path = g_build_filename (dir, "bench.db", NULL);
  store = tsu_store_open (path, &error);
  if (store == NULL)
    die (path, error->message);
  t0 = tsu_bench_now_ms ();
  for (guint g = 0; g < N_GROUPS; g++)
    {
      g_autoptr (JsonObject) row = json_object_new ();
      g_autofree char *name = g_strdup_printf ("ベンチ団体%04u", g);
      char            *id;

      json_object_set_string_member (row, "name", name);
      json_object_set_string_member (row, "name_kana", "ベンチダンタイ");
      id = tsu_store_insert (store, "groups", row, &error);
      if (id == NULL)
        die ("group", error->message);
      g_ptr_array_add (groups, id);
    }
  g_object_unref (store);
  fill (path, groups, (guint)n);
  g_print ("setup: %u groups, %d consultations in %.1f s\n", N_GROUPS, n,
           (tsu_bench_now_ms () - t0) / 1000);
  store = tsu_store_open (path, &error);
  if (store == NULL)
    die (path, error->message);
  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die (path, sqlite3_errmsg (db));

  if (g_getenv ("BENCH_COUNTER_PLAN"))
    tsu_store_read (store, plan_read,
                    "EXPLAIN QUERY PLAN SELECT id, at FROM consultations WHERE deleted = 0 AND"
                    " (at >= '2027-03-01' AND at < '2027-03-02') ORDER BY at DESC, rowid DESC"
                    " LIMIT 200",
                    NULL);
  /* The counter's today list: a day near the end (the busiest table). */
  for (int q = 0; q < queries; q++)
    {
      g_autofree char *from = day_iso (DAYS - 1 - q % 30), *to = day_iso (DAYS - q % 30);
      g_autoptr (GPtrArray) rows = NULL;

      t0 = tsu_bench_now_ms ();
      rows = tsu_consultations_between (store, from, to, 200, &error);
      if (rows == NULL)
        die ("today", error->message);
      g_array_append_val (ours, (double){ tsu_bench_now_ms () - t0 });
      g_array_append_val (
          base, (double){ bare (db,
                                "SELECT * FROM consultations WHERE deleted = 0 AND at >= ?1"
                                " AND at < ?2 ORDER BY at DESC, rowid DESC LIMIT 200",
                                from, to) });
    }
  report ("today list, p95", (guint)n, ours, base);
  g_array_set_size (ours, 0);
  g_array_set_size (base, 0);

  /* The same rows through tsu_store_find() alone (no group names): where
   * the today list's time goes. */
  for (int q = 0; q < queries; q++)
    {
      g_autofree char *from = day_iso (DAYS - 1 - q % 30), *to = day_iso (DAYS - q % 30);
      const char      *params[] = { from, to, NULL };
      g_autoptr (GPtrArray) rows = NULL;

      t0 = tsu_bench_now_ms ();
      rows = tsu_store_find (store, "consultations", "at >= ? AND at < ?", params,
                             "at DESC, rowid DESC", 200, &error);
      if (rows == NULL)
        die ("find", error->message);
      g_array_append_val (ours, (double){ tsu_bench_now_ms () - t0 });
      g_array_append_val (
          base, (double){ bare (db,
                                "SELECT * FROM consultations WHERE deleted = 0 AND at >= ?1"
                                " AND at < ?2 ORDER BY at DESC, rowid DESC LIMIT 200",
                                from, to) });
    }
  report ("today's rows through tsu_store_find, p95", (guint)n, ours, base);
  g_array_set_size (ours, 0);
  g_array_set_size (base, 0);

  /* A group's consultations (about N / 1000 each). */
  for (int q = 0; q < queries; q++)
    {
      const char *gid = g_ptr_array_index (groups, (q * 37) % groups->len);
      g_autoptr (GPtrArray) rows = NULL;

      t0 = tsu_bench_now_ms ();
      rows = tsu_consultations_of (store, "group_id", gid, 0, &error);
      if (rows == NULL)
        die ("group", error->message);
      g_array_append_val (ours, (double){ tsu_bench_now_ms () - t0 });
      g_array_append_val (base, (double){ bare (db,
                                                "SELECT * FROM consultations WHERE group_id = ?1"
                                                " AND deleted = 0 ORDER BY at DESC, rowid DESC",
                                                gid, NULL) });
    }
  report ("a group's consultations, p95", (guint)n, ours, base);

  sqlite3_close (db);
  g_object_unref (store);
  {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (dir, name, NULL);

        g_remove (p);
      }
    g_rmdir (dir);
  }
  return 0;
}
