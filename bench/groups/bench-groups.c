/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Groups view benchmark: with N groups, the time from a search typed to the
 * list updated, a sort switch, and opening the view, each against a bare
 * SQLite query of the same search in the same run.
 *
 * A new search or sort shows its first rows before the whole list: two
 * numbers are printed for each. "first rows shown" (the target: the list
 * shows the first screen of matches) and "complete list + count" (the
 * list holds every match and the count is shown). The bare baseline is
 * the whole query (tsu_record_query_run()), as the list ran it before.
 *
 *   bench-groups [--groups 100000] [--queries 200] [--db FILE]
 */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-application.h"
#include "tsu-demo.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-record-list.h"
#include "tsu-groups-view.h"
#include "tsu-kana.h"
#include "tsu-store-private.h"
#include "tsu-bench.h"
#include "tsu-record-page.h"
#include "tsu-record-list-view.h"

static const char *bench_columns[] = { "name", "name_kana", "status", NULL };

static int   n_groups = 100000;
static int   n_queries = 200;
static char *db_path = NULL;

static const GOptionEntry options[]
    = { { "groups", 0, 0, G_OPTION_ARG_INT, &n_groups, "Groups in the database", "N" },
        { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Search queries to time", "N" },
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Reuse or create this database", "FILE" },
        { NULL } };

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
percentile (GArray *ms, double p)
{
  g_array_sort (ms, cmp_double);
  if (ms->len == 0)
    return 0;
  return g_array_index (ms, double, MIN (ms->len - 1, (guint)(p * (ms->len - 1) + 0.5)));
}

static void
report (const char *what, GArray *view, GArray *bare)
{
  double vm = percentile (view, 0.5), vp = percentile (view, 0.95);
  double bm = percentile (bare, 0.5), bp = percentile (bare, 0.95);

  g_print ("%-28s view median %7.2f ms  p95 %7.2f ms | bare SQLite median %7.2f ms  p95 %7.2f ms"
           " | ratio median %.2f  p95 %.2f\n",
           what, vm, vp, bm, bp, bm > 0 ? vm / bm : 0, bp > 0 ? vp / bp : 0);
}

/* Queries of 1–4 characters as people type them: pieces of readings in
 * hiragana, pieces of names in kanji, digits of phone numbers. */
static GPtrArray *
make_queries (sqlite3 *db, int n)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  sqlite3_stmt *stmt = NULL;
  gint64        max_rowid = 0;

  /* The same groups every run (seeded rowids), so runs compare. */
  sqlite3_prepare_v2 (db, "SELECT max(rowid) FROM groups", -1, &stmt, NULL);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max_rowid = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_prepare_v2 (db, "SELECT name, name_kana, phone FROM groups WHERE rowid = ?", -1, &stmt,
                      NULL);
  for (int tries = 0; (int)queries->len < n && max_rowid > 0 && tries < n * 10; tries++)
    {
      int              kind = queries->len % 3;
      const char      *src;
      glong            len;
      int              want = 1 + queries->len % 4;
      int              start;
      g_autofree char *piece = NULL;

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, 1 + (gint64)(g_rand_double (rand) * max_rowid));
      if (sqlite3_step (stmt) != SQLITE_ROW)
        continue;
      src = (const char *)sqlite3_column_text (stmt, kind == 0 ? 1 : kind == 1 ? 0 : 2);
      if (src == NULL || *src == '\0')
        continue;
      len = g_utf8_strlen (src, -1);

      if (kind == 2)
        {
          /* the last digits of a phone number */
          gsize l = strlen (src);
          piece = g_strdup (src + (l > (gsize)want ? l - want : 0));
        }
      else
        {
          start = len > want ? g_rand_int_range (rand, 0, len - want + 1) : 0;
          piece = g_utf8_substring (src, start, MIN (len, start + want));
        }
      if (kind == 0)
        {
          /* readings are typed in hiragana */
          GString *h = g_string_new (NULL);
          for (const char *p = piece; *p; p = g_utf8_next_char (p))
            {
              gunichar c = g_utf8_get_char (p);
              g_string_append_unichar (h, c >= 0x30A1 && c <= 0x30F6 ? c - 0x60 : c);
            }
          g_free (piece);
          piece = g_string_free (h, FALSE);
        }
      g_ptr_array_add (queries, g_steal_pointer (&piece));
    }
  sqlite3_finalize (stmt);
  return queries;
}

static gboolean updated;

static void
updated_cb (void)
{
  updated = TRUE;
}

static void
wait_updated (void)
{
  while (!updated)
    g_main_context_iteration (NULL, TRUE);
  updated = FALSE;
}

/* Until the list holds its whole result (after a first page, if any). */
static void
wait_complete (TsuRecordList *list)
{
  while (tsu_record_list_get_loading (list) || !tsu_record_list_get_complete (list))
    g_main_context_iteration (NULL, TRUE);
  updated = FALSE;
}

static double
now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

static double
bare_query (sqlite3 *db, const TsuRecordQuery *q, guint *n)
{
  double t0 = now_ms ();
  g_autoptr (GError) error = NULL;
  GArray *rowids = tsu_record_query_run (db, q, &error);
  double  t = now_ms () - t0;

  g_assert_no_error (error);
  *n = rowids->len;
  g_array_unref (rowids);
  return t;
}

/* ---- the view, measured to the frame that shows it ---- */

static GtkWidget *window;
static guint      n_painted;
static double     paint_start, last_paint;
static GArray    *frame_ms; /* when set: each frame's work, before-paint → after-paint */

static void
before_paint_cb (GdkFrameClock *clock, gpointer data)
{
  paint_start = now_ms ();
}

static void
after_paint_cb (GdkFrameClock *clock, gpointer data)
{
  last_paint = now_ms ();
  n_painted++;
  if (frame_ms != NULL)
    {
      double t = last_paint - paint_start;
      g_array_append_val (frame_ms, t);
    }
}

/* Until the window has painted a frame after now: the frame that shows
 * what the list holds (a redraw is asked for in case nothing changed). */
static double
wait_frame (void)
{
  guint seen = n_painted;

  gtk_widget_queue_draw (window);
  while (n_painted == seen)
    g_main_context_iteration (NULL, TRUE);
  return last_paint;
}

static GtkWidget *
find_widget (GtkWidget *w, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The bare SQLite baseline of a first screen: the first page's rowids when
 * the query has that shortcut, the whole query otherwise (what the list
 * itself would run). */
static double
bare_first (sqlite3 *db, const TsuRecordQuery *q)
{
  double t0 = now_ms ();
  g_autoptr (GError) error = NULL;
  GArray *rowids = tsu_record_query_run_first (db, q, 60, &error);

  if (rowids == NULL)
    rowids = tsu_record_query_run (db, q, &error);
  g_assert_no_error (error);
  g_array_unref (rowids);
  return now_ms () - t0;
}

static void
report_pair (const char *figure,
             GArray     *view,
             GArray     *bare,
             const char *baseline,
             double      goal_p95,
             gboolean    use_p95)
{
  TsuBenchStats    v = tsu_bench_stats (view);
  TsuBenchStats    b = tsu_bench_stats (bare);
  g_autofree char *spread
      = g_strdup_printf ("median %.2f, p95 %.2f, min %.2f, max %.2f ms over %u; baseline median"
                         " %.2f, p95 %.2f ms",
                         v.median, v.p95, v.min, v.max, v.n, b.median, b.p95);
  g_autofree char *goal
      = goal_p95 > 0 ? g_strdup_printf ("%s ≤ %.0f ms", use_p95 ? "p95" : "median", goal_p95)
                     : NULL;
  double value = use_p95 ? v.p95 : v.median;

  tsu_bench_report ("groups-view", figure, n_groups, value, "ms", baseline,
                    use_p95 ? b.p95 : b.median, goal, goal ? value <= goal_p95 : -1, spread);
}

static void
run_view (TsuStore *store, sqlite3 *reader, GPtrArray *queries)
{
  const TsuCollection *c = &tsu_group_collection;
  GtkWidget           *widget = NULL;
  TsuGroupsView       *view = NULL;
  GdkFrameClock       *clock;
  g_autoptr (GArray) open_v = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) open_b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) search_v = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) search_b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) search_full = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) search_whole_b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) sort_v = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) sort_b = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) scroll = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (c);
  g_autoptr (GPtrArray) slow = g_ptr_array_new_with_free_func (g_free);
  double t0;
  guint  n;

  /* Opening: a window with the view, until the frame that shows the first
   * page of rows. Baseline: the same first screen, bare. */
  for (int round = 0; round < 5; round++)
    {
      double t = bare_first (reader, q);

      g_array_append_val (open_b, t);
      t0 = now_ms ();
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
      widget = tsu_groups_view_new ();
      view = TSU_GROUPS_VIEW (widget);
      gtk_window_set_child (GTK_WINDOW (window), widget);
      tsu_groups_view_set_store (view, store);
      g_signal_connect (tsu_groups_view_get_list (view), "updated", G_CALLBACK (updated_cb), NULL);
      gtk_widget_realize (window);
      clock = gtk_widget_get_frame_clock (window);
      g_signal_connect (clock, "before-paint", G_CALLBACK (before_paint_cb), NULL);
      g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), NULL);
      gtk_window_present (GTK_WINDOW (window));
      wait_updated ();
      t = wait_frame () - t0;
      g_array_append_val (open_v, t);
      wait_complete (tsu_groups_view_get_list (view));
      if (round < 4)
        gtk_window_destroy (GTK_WINDOW (window));
    }
  report_pair ("open view → first rows shown (frame)", open_v, open_b, "bare SQLite first screen",
               300, FALSE);

  /* Search typed → the frame that shows its first rows. */
  for (guint i = 0; i < queries->len; i++)
    {
      const char *text = g_ptr_array_index (queries, i);
      double      t;

      tsu_record_query_set_search (q, text);
      t = bare_first (reader, q);
      g_array_append_val (search_b, t);
      t = bare_query (reader, q, &n);
      g_array_append_val (search_whole_b, t);
      t0 = now_ms ();
      tsu_groups_view_set_search (view, text);
      wait_updated ();
      t = wait_frame () - t0;
      g_array_append_val (search_v, t);
      if (t > 16)
        g_ptr_array_add (slow, g_strdup_printf ("“%s” %.1f ms (%u rows, bare first screen %.1f ms)",
                                                text, t, n, g_array_index (search_b, double, i)));
      wait_complete (tsu_groups_view_get_list (view));
      t = now_ms () - t0;
      g_array_append_val (search_full, t);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (tsu_groups_view_get_list (view))),
                        ==, n);
      wait_frame ();
    }
  report_pair ("search typed → first rows shown (frame), p95", search_v, search_b,
               "bare SQLite first screen", 16, TRUE);
  report_pair ("search typed → whole list + count, p95", search_full, search_whole_b,
               "bare SQLite whole query", 0, TRUE);
  g_print ("searches over 16 ms to the frame: %u of %u\n", slow->len, queries->len);
  for (guint i = 0; i < MIN (slow->len, 20u); i++)
    g_print ("  %s\n", (const char *)g_ptr_array_index (slow, i));

  /* Sort switch → first rows shown, every sort of the collection, both
   * directions, three rounds. */
  tsu_groups_view_set_search (view, NULL);
  wait_complete (tsu_groups_view_get_list (view));
  tsu_record_query_set_search (q, NULL);
  for (int round = 0; round < 3; round++)
    for (guint s = 0; s < c->n_sorts * 2; s++)
      {
        const char *id = c->sorts[(s / 2 + 1) % c->n_sorts].id;
        gboolean    desc = s % 2;
        double      t;

        tsu_record_query_set_sort (q, id, desc);
        t = bare_first (reader, q);
        g_array_append_val (sort_b, t);
        t0 = now_ms ();
        tsu_record_page_set_sort (TSU_RECORD_PAGE (view), id, desc);
        wait_updated ();
        t = wait_frame () - t0;
        g_array_append_val (sort_v, t);
        if (round == 0)
          g_print ("sort %s%s: %.2f ms to the frame (bare first screen %.2f ms)\n", id,
                   desc ? " descending" : "", t, g_array_index (sort_b, double, sort_b->len - 1));
        wait_complete (tsu_groups_view_get_list (view));
      }
  report_pair ("sort switch → first rows shown (frame), every sort both ways, p95", sort_v, sort_b,
               "bare SQLite first screen", 16, TRUE);

  /* Scrolling the whole list a page at a time: each frame's work. */
  tsu_groups_view_set_sort (view, c->sorts[0].id);
  wait_complete (tsu_groups_view_get_list (view));
  {
    GtkWidget *list = tsu_record_list_view_get_list (
        TSU_RECORD_LIST_VIEW (find_widget (window, TSU_TYPE_RECORD_LIST_VIEW)));
    GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (list));
    double         page, upper, step;
    guint          pages, steps = 0;

    wait_frame ();
    page = gtk_adjustment_get_page_size (adj);
    upper = gtk_adjustment_get_upper (adj);
    pages = (guint)ceil (upper / MAX (page, 1));
    /* At most 5,000 frames: a longer list is crossed in larger strides. */
    step = pages > 5000 ? upper / 5000 : page;
    frame_ms = scroll;
    for (double v = 0; v < upper - page; v += step, steps++)
      {
        gtk_adjustment_set_value (adj, v);
        wait_frame ();
      }
    frame_ms = NULL;
    {
      TsuBenchStats    s = tsu_bench_stats (scroll);
      g_autofree char *spread = g_strdup_printf (
          "%u frames over %u steps of %s; median %.2f, p95 %.2f, max %.2f ms", s.n, steps,
          step > page ? "a stride" : "a page", s.median, s.p95, s.max);

      tsu_bench_report ("groups-view", "scrolling by pages: frame time, p99", n_groups, s.p99, "ms",
                        NULL, NAN, "p99 ≤ 16 ms", s.p99 <= 16, spread);
    }
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = g_option_context_new ("- groups view benchmark");
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr (GPtrArray) queries = NULL;
  sqlite3 *reader;
  gboolean have_display;
  double   t0;

  g_option_context_add_main_entries (context, options, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  g_setenv ("GSK_RENDERER", "cairo", FALSE);
  have_display = gtk_init_check ();
  if (have_display)
    adw_init ();

  dir = g_dir_make_tmp ("tsu-bench-XXXXXX", NULL);
  path = db_path ? g_strdup (db_path) : g_build_filename (dir, "bench.db", NULL);
  store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  if (tsu_store_count (store, "groups", FALSE, NULL) < n_groups)
    {
      g_autoptr (GRand) rand = g_rand_new_with_seed (1);
      GDate today;

      tsu_group_today (&today);
      t0 = now_ms ();
      g_assert_true (tsu_demo_populate_groups (store, rand, n_groups, &today, &error));
      g_print ("populated %d groups in %.0f ms (one transaction, through the write path)\n",
               n_groups, now_ms () - t0);
    }
  reader = tsu_store_open_reader (store, &error);
  g_assert_no_error (error);
  queries = make_queries (reader, n_queries);
  g_print (
      "%u groups, %u queries of 1-4 characters (hiragana readings, kanji names, phone digits)\n",
      (guint)tsu_store_count (store, "groups", FALSE, NULL), queries->len);

  if (!have_display)
    {
      /* Core only: the list model (thread + page fetch) against the bare query. */
      g_autoptr (TsuRecordList) list
          = tsu_record_list_new (store, &tsu_group_collection, bench_columns);
      g_autoptr (GArray) view = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) full = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (GArray) bare = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_group_collection);

      g_print ("no display: timing the list model without the view\n");
      g_signal_connect (list, "updated", G_CALLBACK (updated_cb), NULL);
      for (guint i = 0; i < queries->len; i++)
        {
          double t;
          guint  n;

          tsu_record_query_set_search (q, g_ptr_array_index (queries, i));
          t = bare_query (reader, q, &n);
          g_array_append_val (bare, t);
          t0 = now_ms ();
          tsu_record_list_set_query (list, q);
          wait_updated ();
          for (guint k = 0; k < MIN (n, 30u); k++)
            g_object_unref (g_list_model_get_item (G_LIST_MODEL (list), k));
          t = now_ms () - t0;
          g_array_append_val (view, t);
          wait_complete (list);
          t = now_ms () - t0;
          g_array_append_val (full, t);
          g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, n);
        }
      report ("search: first rows (model)", view, bare);
      report ("search: complete + count", full, bare);
    }
  else
    run_view (store, reader, queries);

  sqlite3_close (reader);
  g_clear_object (&store);
  if (db_path == NULL)
    {
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      g_remove (path);
      g_remove (wal);
      g_remove (shm);
    }
  g_rmdir (dir); /* empty when --db named another file */
  return 0;
}
