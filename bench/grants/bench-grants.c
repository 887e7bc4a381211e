/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Upcoming grant deadlines with N programmes and M group × programme rows
 * (issue 14: 50,000 and 500,000; goal p95 ≤ 5 ms), against the bare SQLite
 * query in the same run, on the same file and a read-only connection as the
 * list's worker uses:
 *
 *  - "first screen": what the grants page's list does first — the first
 *    rowids of the upcoming deadlines in deadline order (record query with
 *    the page's filter and sort) and their cells: name, funder, deadline,
 *    days left, fields, kind, groups told and applying, section;
 *  - "whole list": every upcoming rowid (the count the page shows) and the
 *    cells of the first rows, as the list's second step;
 *  - the baseline: one hand-written SELECT of the same columns, the same
 *    condition and order, LIMIT of the first screen, counts by subqueries
 *    on the applications index.
 *
 * Each query is judged on another day (the "today" of the list moves over a
 * year), so the first screen starts at a different place in the index.
 *
 *   bench-grants [--programmes 50000] [--applications 500000] [--queries 200]
 */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <time.h>

#include "tsu-bench.h"
#include "tsu-date.h"
#include "tsu-grants-collections.h"
#include "tsu-grants.h"
#include "tsu-record-query.h"
#include "tsu-store.h"

/* The list's first step reads this many rowids (tsu-record-list.c). */
#define FIRST_PAGE 256

static int n_programmes = 50000;
static int n_applications = 500000;
static int n_queries = 200;

static const GOptionEntry options[]
    = { { "programmes", 0, 0, G_OPTION_ARG_INT, &n_programmes, "Programmes", "N" },
        { "applications", 0, 0, G_OPTION_ARG_INT, &n_applications, "Group × programme rows", "N" },
        { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Queries to time", "N" },
        { NULL } };

/* CPU time of this thread in ms: the work itself, without the waits of a
 * shared, loaded machine (wall time is what the goal is about). */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static const char *columns[] = { "name", "funder", "deadline_on", "due",    "fields",
                                 "kind", "told",   "applying",    "bucket", NULL };

static void
die (const char *what, const char *message)
{
  g_printerr ("%s: %s\n", what, message ? message : "failed");
  exit (1);
}

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    die (sql, msg);
}

static const char *states[]
    = { "told", "told", "told", "interested", "preparing", "applied", "awarded", "rejected" };
static const char *kinds[] = { "grant", "subsidy", "entrustment", "award", "other" };
static const char *deadline_kinds[] = { "arrival", "postmark", "online", "rolling" };

/* Rows straight into the store's tables (the write path's history and
 * outbox do not matter to a read): derived columns as the collection
 * derives them (deadline_key: day, time, kind; 随時 last). */
static void
fill (const char *path, guint programmes, guint applications, const GDate *today)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (14);
  sqlite3      *db = NULL;
  sqlite3_stmt *p = NULL, *a = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    die (path, sqlite3_errmsg (db));
  exec (db, "BEGIN");
  if (sqlite3_prepare_v2 (
          db,
          "INSERT INTO programmes (id, rev, created_at, updated_at, deleted, name, funder_name,"
          " kind, fields, ceiling, deadline_on, deadline_time, deadline_kind, fiscal_year,"
          " sort_key, deadline_key) VALUES (?, 1, '2026-04-01T09:00', '2026-04-01T09:00', 0, ?,"
          " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
          -1, &p, NULL)
          != SQLITE_OK
      || sqlite3_prepare_v2 (db,
                             "INSERT INTO applications (id, rev, created_at, updated_at, deleted,"
                             " programme_id, group_id, state, state_on) VALUES (?, 1,"
                             " '2026-04-01T09:00', '2026-04-01T09:00', 0, ?, ?, ?, '2026-04-01')",
                             -1, &a, NULL)
             != SQLITE_OK)
    die ("prepare", sqlite3_errmsg (db));
  for (guint i = 0; i < programmes; i++)
    {
      GDate            d = *today;
      g_autofree char *id = g_strdup_printf ("p%08u", i);
      g_autofree char *name = g_strdup_printf ("ベンチ助成 第%u回", i);
      g_autofree char *funder = g_strdup_printf ("ベンチ財団%u", i % 500);
      g_autofree char *fields = g_strdup_printf ("[%d,%d]", g_rand_int_range (rand, 1, 21),
                                                 g_rand_int_range (rand, 1, 21));
      g_autofree char *day = NULL, *key = NULL;
      const char      *dk
          = deadline_kinds[g_rand_int_range (rand, 0, 20) == 0 ? 3 : g_rand_int_range (rand, 0, 3)];
      const char *time = g_rand_boolean (rand) ? "17:00" : NULL;

      /* Deadlines over three years: two behind, one ahead. */
      g_date_subtract_days (&d, 730);
      g_date_add_days (&d, g_rand_int_range (rand, 0, 1096));
      day = tsu_date_to_iso (&d);
      if (g_strcmp0 (dk, "rolling") == 0)
        key = g_strdup_printf ("9999-99-99 %s", day);
      else
        key = g_strdup_printf ("%s %s %d", day, time ? time : "99:99",
                               g_strcmp0 (dk, "online") == 0     ? 0
                               : g_strcmp0 (dk, "postmark") == 0 ? 2
                                                                 : 1);
      sqlite3_bind_text (p, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (p, 2, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (p, 3, funder, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (p, 4, kinds[g_rand_int_range (rand, 0, G_N_ELEMENTS (kinds))], -1,
                         SQLITE_STATIC);
      sqlite3_bind_text (p, 5, fields, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (p, 6, 100000 * g_rand_int_range (rand, 1, 30));
      sqlite3_bind_text (p, 7, day, -1, SQLITE_TRANSIENT);
      if (time)
        sqlite3_bind_text (p, 8, time, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (p, 8);
      sqlite3_bind_text (p, 9, dk, -1, SQLITE_STATIC);
      sqlite3_bind_int (p, 10, tsu_fiscal_year (&d));
      sqlite3_bind_text (p, 11, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (p, 12, key, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (p) != SQLITE_DONE)
        die ("programme", sqlite3_errmsg (db));
      sqlite3_reset (p);
    }
  for (guint i = 0; i < applications; i++)
    {
      g_autofree char *id = g_strdup_printf ("a%09u", i);
      /* Skewed: some programmes are told to many groups. */
      guint            r = g_rand_int_range (rand, 0, programmes);
      g_autofree char *programme
          = g_strdup_printf ("p%08u", g_rand_boolean (rand) ? r : r % MAX (programmes / 10, 1));
      g_autofree char *group = g_strdup_printf ("g%06u", g_rand_int_range (rand, 0, 5000));

      sqlite3_bind_text (a, 1, id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (a, 2, programme, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (a, 3, group, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (a, 4, states[g_rand_int_range (rand, 0, G_N_ELEMENTS (states))], -1,
                         SQLITE_STATIC);
      if (sqlite3_step (a) != SQLITE_DONE)
        die ("application", sqlite3_errmsg (db));
      sqlite3_reset (a);
    }
  sqlite3_finalize (p);
  sqlite3_finalize (a);
  exec (db, "COMMIT; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE);");
  sqlite3_close (db);
}

/* The page's query of the upcoming deadlines on @day (prepare_query in
 * src/app/grants/tsu-programmes-page.c). */
static TsuRecordQuery *
upcoming_query (const GDate *day)
{
  TsuRecordQuery  *q = tsu_record_query_new (&tsu_programme_collection);
  g_autofree char *iso = tsu_date_to_iso (day);

  q->today = *day;
  tsu_record_query_set_sort (q, "deadline", FALSE);
  tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_GE, iso);
  return q;
}

static guint
read_rows (sqlite3 *db, TsuRecordQuery *q, GArray *rowids, guint n)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) cells = tsu_record_query_read_cells (
      db, q, columns, (const gint64 *)rowids->data, MIN (rowids->len, n), &error);

  if (cells == NULL)
    die ("cells", error->message);
  return cells->len;
}

static sqlite3_stmt *
bare_prepare (sqlite3 *db)
{
  sqlite3_stmt    *stmt = NULL;
  const char      *told = "(SELECT count(*) FROM applications a WHERE a.programme_id = p.id"
                          " AND a.deleted = 0 AND a.state IS NOT NULL)";
  const char      *applying = "(SELECT count(*) FROM applications a WHERE a.programme_id = p.id"
                              " AND a.deleted = 0 AND a.state IN ('preparing', 'applied'))";
  g_autofree char *sql = g_strdup_printf (
      "SELECT p.rowid, p.id, p.name, coalesce((SELECT f.name FROM funders f WHERE"
      " f.id = p.funder_id), p.funder_name), p.deadline_on, p.deadline_time, p.deadline_kind,"
      " p.fields, p.kind, %s, %s FROM programmes p WHERE p.deleted = 0 AND p.deadline_key >= ?"
      " ORDER BY p.deadline_key LIMIT %d",
      told, applying, FIRST_PAGE);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    die ("bare", sqlite3_errmsg (db));
  return stmt;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— upcoming grant deadlines");
  g_autofree char *dir = NULL, *path = NULL;
  g_autoptr (GArray) first_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) whole_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) first_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3      *db = NULL;
  sqlite3_stmt *bare;
  GDate         today;
  guint         n_p, n_a, rows_seen = 0, bare_seen = 0;
  guint64       upcoming = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (ctx, options, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    die ("options", error->message);
  n_p = MAX (n_programmes, 10);
  n_a = MAX (n_applications, 0);
  dir = g_dir_make_tmp ("tsu-bench-grants-XXXXXX", &error);
  if (dir == NULL)
    die ("tmp", error->message);
  path = g_build_filename (dir, "desk.db", NULL);
  g_date_clear (&today, 1);
  g_date_set_dmy (&today, 1, 12, 2026);

  /* The store makes the file (every collection's schema), then the rows. */
  {
    g_autoptr (TsuStore) store = tsu_store_open (path, &error);

    if (store == NULL)
      die (path, error->message);
  }
  {
    double t0 = tsu_bench_now_ms ();

    fill (path, n_p, n_a, &today);
    g_print ("[grants] %u programmes and %u group × programme rows written in %.0f ms\n", n_p, n_a,
             tsu_bench_now_ms () - t0);
  }

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    die (path, sqlite3_errmsg (db));
  bare = bare_prepare (db);

  for (int i = 0; i < MAX (n_queries, 1); i++)
    {
      /* A day of the coming year, a different one each time. */
      GDate            day = today;
      g_autofree char *iso = NULL;
      double           t0, c0;

      g_date_add_days (&day, (i * 37) % 365);
      iso = tsu_date_to_iso (&day);

      /* Alternate which runs first so neither always meets a warm cache. */
      for (int turn = 0; turn < 2; turn++)
        if ((turn == 0) == (i % 2 == 0))
          {
            g_autoptr (TsuRecordQuery) q = upcoming_query (&day);
            g_autoptr (GArray) first = NULL;
            g_autoptr (GArray) all = NULL;

            t0 = tsu_bench_now_ms ();
            c0 = cpu_ms ();
            first = tsu_record_query_run_first (db, q, FIRST_PAGE, &error);
            if (first == NULL)
              {
                /* No fast path: the whole list is the first screen. */
                if (error)
                  die ("first", error->message);
                first = tsu_record_query_run (db, q, &error);
                if (first == NULL)
                  die ("run", error->message);
              }
            rows_seen += read_rows (db, q, first, FIRST_PAGE);
            g_array_append_val (first_ms, (double){ tsu_bench_now_ms () - t0 });
            g_array_append_val (first_cpu, (double){ cpu_ms () - c0 });

            t0 = tsu_bench_now_ms ();
            all = tsu_record_query_run (db, q, &error);
            if (all == NULL)
              die ("run", error->message);
            read_rows (db, q, all, 128);
            g_array_append_val (whole_ms, (double){ tsu_bench_now_ms () - t0 });
            upcoming += all->len;
          }
        else
          {
            t0 = tsu_bench_now_ms ();
            c0 = cpu_ms ();
            sqlite3_bind_text (bare, 1, iso, -1, SQLITE_TRANSIENT);
            while (sqlite3_step (bare) == SQLITE_ROW)
              bare_seen++;
            sqlite3_reset (bare);
            g_array_append_val (bare_ms, (double){ tsu_bench_now_ms () - t0 });
            g_array_append_val (bare_cpu, (double){ cpu_ms () - c0 });
          }
    }
  sqlite3_finalize (bare);
  sqlite3_close (db);

  /* The same rows came back both ways (the bench measures one query). */
  if (rows_seen != bare_seen)
    g_printerr ("[grants] the list read %u rows, the bare query %u\n", rows_seen, bare_seen);
  g_print ("[grants] %u queries, %" G_GUINT64_FORMAT " upcoming programmes on average\n",
           MAX (n_queries, 1), upcoming / MAX (n_queries, 1));
  {
    TsuBenchStats f = tsu_bench_stats (first_ms), w = tsu_bench_stats (whole_ms),
                  b = tsu_bench_stats (bare_ms);
    g_autofree char *fs
        = g_strdup_printf ("median %.3f ms, bare median %.3f ms, n=%u", f.median, b.median, f.n);
    g_autofree char *ws = g_strdup_printf ("median %.3f ms, n=%u", w.median, w.n);

    tsu_bench_report ("grants", "upcoming deadlines, first screen, p95", n_p, f.p95, "ms",
                      "bare SQLite p95", b.p95, "p95 ≤ 5 ms", f.p95 <= 5.0, fs);
    TsuBenchStats    fc = tsu_bench_stats (first_cpu), bc = tsu_bench_stats (bare_cpu);
    g_autofree char *cs
        = g_strdup_printf ("median %.3f ms, bare median %.3f ms", fc.median, bc.median);

    tsu_bench_report ("grants", "upcoming deadlines, first screen, CPU time p95", n_p, fc.p95, "ms",
                      "bare SQLite CPU time p95", bc.p95, NULL, -1, cs);
    tsu_bench_report ("grants", "upcoming deadlines, whole list + count, p95", n_p, w.p95, "ms",
                      "bare SQLite p95", b.p95, NULL, -1, ws);
  }
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }
  return rows_seen == bare_seen ? 0 : 1;
}
