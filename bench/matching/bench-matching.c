/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Matching benchmark: with N volunteers and M open requests, the time to
 * suggest people for one request (tsu_matcher_suggest(): hard filters,
 * score with reasons, history of the best, near misses), against the bare
 * SQLite hard-filter query of the same request in the same run; and the
 * time for the queue (open requests by urgency) to show its first rows,
 * against the bare SQLite query of the queue.
 *
 *   bench-matching [--volunteers 200000] [--requests 20000] [--queries 100]
 *                  [--limit 20] [--db FILE]
 *
 * The data is the demo's (tsu_demo_populate_matching(), through the write
 * path, seeded), so the figures compare between runs. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <time.h>
#include <sqlite3.h>

#include "tsu-bench.h"
#include "tsu-date.h"
#include "tsu-demo.h"
#include "tsu-group.h"
#include "tsu-matcher.h"
#include "tsu-matching-collections.h"
#include "tsu-matching.h"
#include "tsu-record-list.h"
#include "tsu-record-query.h"
#include "tsu-slots.h"
#include "tsu-store.h"

static int   n_volunteers = 200000;
static int   n_requests = 20000;
static int   n_queries = 100;
static int   limit = 20;
static char *db_path = NULL;

static const GOptionEntry options[]
    = { { "volunteers", 0, 0, G_OPTION_ARG_INT, &n_volunteers, "Volunteers in the database", "N" },
        { "requests", 0, 0, G_OPTION_ARG_INT, &n_requests, "Open requests in the database", "N" },
        { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Requests to suggest people for", "N" },
        { "limit", 0, 0, G_OPTION_ARG_INT, &limit, "Suggestions (and near misses) asked", "N" },
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Reuse or create this database", "FILE" },
        { NULL } };

static const char *queue_columns[]
    = { "deadline", "title", "requester", "date_from", "staffing", NULL };

/* Open requests, the same ones every run (seeded picks by rowid order). */
static GPtrArray *
pick_requests (sqlite3 *db, int n)
{
  GPtrArray *all = g_ptr_array_new_with_free_func (g_free);
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (db,
                      "SELECT id FROM requests WHERE deleted = 0 AND status = 'open'"
                      " ORDER BY rowid",
                      -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (all, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  for (int i = 0; i < n && all->len > 0; i++)
    g_ptr_array_add (out, g_strdup (g_ptr_array_index (all, g_rand_int_range (rand, 0, all->len))));
  g_ptr_array_unref (all);
  return out;
}

/* This thread's CPU time: on a shared, loaded machine the wall time mostly
 * measures the wait for a core; the CPU time is what the work costs. */
static double
cpu_ms (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* The hard filters alone, as one SQLite query over the volunteers: active,
 * registered through the request's last day, insured for its 年度,
 * available in its slots. Every row is stepped (what the matcher's scan
 * must at least do; it reads the same covering index). */
static double
bare_hard_filter (TsuStore *store, sqlite3 *db, const char *request_id, guint *n, double *cpu)
{
  g_autoptr (JsonObject) request = tsu_store_get (store, "requests", request_id, NULL);
  g_autofree char *last = NULL;
  TsuSchedule      sched;
  gboolean         any = FALSE;
  guint32          need;
  sqlite3_stmt    *stmt = NULL;
  double           t0;

  g_assert_nonnull (request);
  g_assert_true (tsu_schedule_from_record (request, &sched));
  need = tsu_schedule_needed_mask (&sched, &any);
  last = tsu_date_to_iso (&sched.last);

  t0 = tsu_bench_now_ms ();
  *cpu = cpu_ms ();
  g_assert_cmpint (sqlite3_prepare_v2 (
                       db,
                       any ? "SELECT rowid FROM volunteers WHERE deleted = 0 AND status = 'active'"
                             " AND insurance_fiscal_year = ?1 AND (expires_on IS NULL OR"
                             " expires_on >= ?2) AND (avail_mask & ?3) != 0"
                           : "SELECT rowid FROM volunteers WHERE deleted = 0 AND status = 'active'"
                             " AND insurance_fiscal_year = ?1 AND (expires_on IS NULL OR"
                             " expires_on >= ?2) AND (avail_mask & ?3) = ?3",
                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, tsu_fiscal_year (&sched.first));
  sqlite3_bind_text (stmt, 2, last, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, need);
  *n = 0;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    (*n)++;
  sqlite3_finalize (stmt);
  *cpu = cpu_ms () - *cpu;
  return tsu_bench_now_ms () - t0;
}

static gboolean updated;

static void
updated_cb (void)
{
  updated = TRUE;
}

static void
report (const char *figure,
        guint64     size,
        GArray     *value,
        GArray     *baseline,
        const char *base_name,
        const char *goal,
        double      goal_ms)
{
  TsuBenchStats    v = tsu_bench_stats (value);
  TsuBenchStats    b = tsu_bench_stats (baseline);
  g_autofree char *median = g_strdup_printf ("%s, median", figure);
  g_autofree char *p95 = g_strdup_printf ("%s, p95", figure);
  g_autofree char *spread = g_strdup_printf ("%u runs, %.2f–%.2f ms", v.n, v.min, v.max);

  tsu_bench_report ("matching", median, size, v.median, "ms", base_name, b.median, NULL, -1, NULL);
  tsu_bench_report ("matching", p95, size, v.p95, "ms", base_name, b.p95, goal,
                    goal ? v.p95 <= goal_ms : -1, spread);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- matching benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) requests = NULL;
  g_autoptr (GArray) suggest = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) suggest_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) queue = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) queue_bare = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3 *reader;
  GDate    today;
  guint64  volunteers, open;
  guint    found = 0, near_found = 0;
  double   t0;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  tsu_group_today (&today);
  dir = g_dir_make_tmp ("tsu-bench-XXXXXX", NULL);
  path = db_path ? g_strdup (db_path) : g_build_filename (dir, "bench.db", NULL);
  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  if (tsu_store_count (store, "volunteers", FALSE, NULL) < n_volunteers)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (1);

      t0 = tsu_bench_now_ms ();
      g_assert_true (
          tsu_demo_populate_groups (store, rand, MAX (200, n_requests / 20), &today, &error));
      g_assert_true (
          tsu_demo_populate_matching (store, rand, n_volunteers, n_requests, &today, &error));
      g_assert_no_error (error);
      g_print ("populated %d volunteers and %d open requests in %.0f ms (through the write path)\n",
               n_volunteers, n_requests, tsu_bench_now_ms () - t0);
    }
  reader = tsu_store_open_reader (store, &error);
  g_assert_no_error (error);
  volunteers = tsu_store_count (store, "volunteers", FALSE, NULL);
  {
    sqlite3_stmt *stmt = NULL;

    sqlite3_prepare_v2 (reader,
                        "SELECT count(*) FROM requests WHERE deleted = 0 AND status = 'open'", -1,
                        &stmt, NULL);
    sqlite3_step (stmt);
    open = sqlite3_column_int64 (stmt, 0);
    sqlite3_finalize (stmt);
  }
  requests = pick_requests (reader, n_queries);
  g_print ("%" G_GUINT64_FORMAT " volunteers, %" G_GUINT64_FORMAT
           " open requests; suggestions for %u of them (limit %d, with near misses)\n",
           volunteers, open, requests->len, limit);

  /* Suggestions for one request against the bare hard-filter query. */
  for (guint i = 0; i < requests->len; i++)
    {
      const char *id = g_ptr_array_index (requests, i);
      g_autoptr (GPtrArray) near = NULL;
      g_autoptr (GPtrArray) out = NULL;
      guint  n;
      double c0, c;
      double t = bare_hard_filter (store, reader, id, &n, &c);

      g_array_append_val (bare, t);
      g_array_append_val (bare_cpu, c);
      t0 = tsu_bench_now_ms ();
      c0 = cpu_ms ();
      out = tsu_matcher_suggest (store, id, &today, limit, &near, &error);
      c = cpu_ms () - c0;
      t = tsu_bench_now_ms () - t0;
      g_assert_no_error (error);
      g_array_append_val (suggest, t);
      g_array_append_val (suggest_cpu, c);
      found += out->len;
      near_found += near->len;
    }
  g_print ("on average %.1f suggestions and %.1f near misses a request\n",
           requests->len ? (double)found / requests->len : 0,
           requests->len ? (double)near_found / requests->len : 0);
  report ("suggestions for one request", volunteers, suggest, bare, "bare hard-filter query",
          "p95 ≤ 50 ms", 50);
  report ("suggestions for one request, CPU time", volunteers, suggest_cpu, bare_cpu,
          "bare hard-filter query, CPU time", "p95 ≤ 50 ms", 50);

  /* The queue: open requests by urgency, as the page opens. */
  {
    g_autoptr (TsuRecordList) list
        = tsu_record_list_new (store, &tsu_request_collection, queue_columns);
    g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_request_collection);
    int rounds = MAX (5, n_queries / 5);

    tsu_record_query_add_filter (q, "status", TSU_FILTER_EQ, "open");
    g_signal_connect (list, "updated", G_CALLBACK (updated_cb), NULL);
    for (int i = 0; i < rounds; i++)
      {
        double t;

        /* The bare query: the list's own SQL, run whole (the urgency
         * order has no index to walk for a first page). */
        tsu_record_query_set_sort (q, "urgency", i % 2 == 1);
        t0 = tsu_bench_now_ms ();
        {
          g_autoptr (GArray) rows = tsu_record_query_run (reader, q, &error);

          g_assert_no_error (error);
        }
        t = tsu_bench_now_ms () - t0;
        g_array_append_val (queue_bare, t);

        t0 = tsu_bench_now_ms ();
        tsu_record_list_set_query (list, q);
        while (!updated)
          g_main_context_iteration (NULL, TRUE);
        updated = FALSE;
        for (guint k = 0; k < MIN (g_list_model_get_n_items (G_LIST_MODEL (list)), 30u); k++)
          g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), k));
        t = tsu_bench_now_ms () - t0;
        g_array_append_val (queue, t);
        while (tsu_record_list_get_loading (list))
          g_main_context_iteration (NULL, TRUE);
        updated = FALSE;
      }
    report ("queue by urgency: first rows", open, queue, queue_bare, "bare queue query", NULL, 0);
  }

  sqlite3_close (reader);
  g_clear_object (&store);
  if (db_path == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
    }
  g_rmdir (dir);
  return 0;
}
