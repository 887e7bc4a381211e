/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Equipment benchmark (issue 13): the availability check of one resource
 * that has N past bookings (goal: median and p95 ≤ 1 ms), and today's desk
 * (本日の窓口) with M items, each against the bare SQLite query of the same
 * rows in the same run.
 *
 * The bulk rows (past bookings, items, groups) are written with bare SQL
 * INSERTs into the store's own tables (schema made by the store): the
 * reads measured do not depend on history or outbox, and the write path
 * would take minutes for a million rows. What is timed goes through the
 * store's public calls (tsu_booking_check_available, tsu_equipment_desk_day).
 *
 *   bench-equipment [--bookings 1000000] [--items 20000] [--queries 2000] [--db FILE]
 * (TSU_BENCH_KEEP=1 keeps the database it made, for --db on the next run.)
 */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "tsu-bench.h"
#include "tsu-equipment.h"
#include "tsu-store.h"

static int   n_bookings = 1000000;
static int   n_items = 20000;
static int   n_queries = 2000;
static char *db_path = NULL;

static const GOptionEntry options[]
    = { { "bookings", 0, 0, G_OPTION_ARG_INT, &n_bookings, "Past bookings of the measured resource",
          "N" },
        { "items", 0, 0, G_OPTION_ARG_INT, &n_items, "Items for today's desk", "N" },
        { "queries", 0, 0, G_OPTION_ARG_INT, &n_queries, "Availability checks to time", "N" },
        { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path,
          "Reuse this database (one this bench made and kept with TSU_BENCH_KEEP=1)", "FILE" },
        { NULL } };

#define NOW "2026-12-01T10:00"
#define TODAY "2026-12-01"

static void
die_sql (sqlite3 *db, const char *what)
{
  g_printerr ("%s: %s\n", what, sqlite3_errmsg (db));
  exit (1);
}

static void
die (GError *error)
{
  g_printerr ("%s\n", error ? error->message : "failed");
  exit (1);
}

static void
exec (sqlite3 *db, const char *sql)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    die_sql (db, sql);
}

/* "YYYY-MM-DDTHH:MM" @minutes from NOW (negative: before). */
static char *
at (gint64 minutes)
{
  return tsu_datetime_add_minutes (NOW, minutes);
}

typedef struct
{
  sqlite3_stmt *stmt;
  guint         serial;
} Writer;

static void
booking (Writer     *w,
         const char *resource,
         const char *group,
         const char *start,
         const char *due,
         const char *state)
{
  g_autofree char *number = g_strdup_printf ("B%06u", ++w->serial);
  /* Time-ordered ids, as the store's own (UUIDv7): the unique index grows
   * at its end, as it does at a real centre. */
  g_autofree char *id = g_strdup_printf ("0190%04x-%04x-7000-8000-%012x", w->serial >> 16,
                                         w->serial & 0xffff, w->serial);

  sqlite3_reset (w->stmt);
  sqlite3_bind_text (w->stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->stmt, 2, number, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (w->stmt, 3, resource, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->stmt, 4, group, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->stmt, 5, start, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->stmt, 6, due, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->stmt, 7, state, -1, SQLITE_STATIC);
  if (sqlite3_step (w->stmt) != SQLITE_DONE)
    die_sql (sqlite3_db_handle (w->stmt), "booking");
}

static char *
resource (sqlite3 *db, const char *kind, guint serial, gboolean printer)
{
  g_autofree char *sql = NULL;
  char            *id = g_uuid_string_random ();

  sql = sqlite3_mprintf (
      "INSERT INTO resources (id, created_at, updated_at, kind, name, category, control_number,"
      " stock, status, max_loan_days, fee_kind, fee, is_printer) VALUES (%Q, %Q, %Q, %Q,"
      " '%s %u', '映像機器', 'B-%05u', 1, 'available', 7, 'free', 0, %d)",
      id, NOW, NOW, kind, g_str_equal (kind, "room") ? "会議室" : "液晶プロジェクター", serial,
      serial, printer);
  exec (db, sql);
  sqlite3_free (g_steal_pointer (&sql));
  return id;
}

typedef struct
{
  char      *hot;
  GPtrArray *items;
  GPtrArray *groups;
} Data;

/* The database: groups, the measured resource with its past, the desk's
 * items with a few past loans each and today's work. */
static void
populate (const char *path, Data *data)
{
  sqlite3 *db = NULL;
  Writer   w = { NULL, 0 };
  GRand   *rand = g_rand_new_with_seed (13);
  double   t0 = tsu_bench_now_ms ();

  if (sqlite3_open (path, &db) != SQLITE_OK)
    die_sql (db, path);
  /* A bulk load: no journal, a big cache (the store opens it in WAL again). */
  exec (db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;"
            " BEGIN");
  data->groups = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < 500; i++)
    {
      char *id = g_uuid_string_random ();
      char *sql
          = sqlite3_mprintf ("INSERT INTO groups (id, created_at, updated_at, name, phone) VALUES"
                             " (%Q, %Q, %Q, '大牟田テスト団体%u', '0944-00-%04u')",
                             id, NOW, NOW, i, i);

      exec (db, sql);
      sqlite3_free (sql);
      g_ptr_array_add (data->groups, id);
    }
  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO bookings (id, created_at, updated_at, number, resource_id,"
                          " group_id, quantity, start_at, due_at, state) VALUES (?1, '" NOW
                          "', '" NOW "', ?2, ?3, ?4, 1, ?5, ?6, ?7)",
                          -1, &w.stmt, NULL)
      != SQLITE_OK)
    die_sql (db, "prepare");

  /* The measured resource: N past loans of 2 hours, one every 3 hours
   * back from yesterday, and a few bookings ahead for the checks to hit. */
  data->hot = resource (db, "item", 0, FALSE);
  for (int i = 0; i < n_bookings; i++)
    {
      g_autofree char *start = at (-24 * 60 - (gint64)(i + 1) * 180);
      g_autofree char *due = at (-24 * 60 - (gint64)(i + 1) * 180 + 120);

      booking (&w, data->hot, data->groups->pdata[i % 500], start, due, "returned");
    }
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *start = at ((gint64)(i + 1) * 3 * 24 * 60);
      g_autofree char *due = at ((gint64)(i + 1) * 3 * 24 * 60 + 24 * 60);

      booking (&w, data->hot, data->groups->pdata[i], start, due, "reserved");
    }

  /* Today's desk: M items (4 rooms), 5 past loans each, and today's work:
   * 1.5 % going out, 1.5 % coming back, 0.75 % overdue, the rooms booked. */
  data->items = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < n_items; i++)
    g_ptr_array_add (data->items, resource (db, i < 4 ? "room" : "item", i + 1, i == 5));
  for (int i = 4; i < n_items; i++)
    {
      const char *item = data->items->pdata[i];
      const char *group = data->groups->pdata[g_rand_int_range (rand, 0, 500)];
      int         r = g_rand_int_range (rand, 0, 10000);

      for (int k = 0; k < 5; k++)
        {
          g_autofree char *start = at (-(gint64)(k + 2) * 10 * 24 * 60);
          g_autofree char *due = at (-(gint64)(k + 2) * 10 * 24 * 60 + 3 * 24 * 60);

          booking (&w, item, group, start, due, "returned");
        }
      if (r < 150)
        {
          g_autofree char *start = at (g_rand_int_range (rand, -60, 7 * 60));
          g_autofree char *due = at (7 * 24 * 60);

          booking (&w, item, group, start, due, "reserved");
        }
      else if (r < 300)
        {
          g_autofree char *start = at (-5 * 24 * 60);
          g_autofree char *due = at (g_rand_int_range (rand, -9 * 60, 12 * 60));

          booking (&w, item, group, start, due, r < 225 ? "returned" : "lent");
        }
      else if (r < 375)
        {
          g_autofree char *start = at (-9 * 24 * 60);
          g_autofree char *due = at (-(gint64)g_rand_int_range (rand, 1, 5) * 24 * 60);

          booking (&w, item, group, start, due, "lent");
        }
    }
  for (int i = 0; i < MIN (n_items, 4); i++)
    for (int slot = 0; slot < 3; slot++)
      {
        g_autofree char *start = at (-60 + slot * 240);
        g_autofree char *due = at (-60 + slot * 240 + 180);

        booking (&w, data->items->pdata[i], data->groups->pdata[slot], start, due, "reserved");
      }
  sqlite3_finalize (w.stmt);
  exec (db, "COMMIT; ANALYZE; PRAGMA journal_mode = WAL");
  sqlite3_close (db);
  g_rand_free (rand);
  g_print ("populated %u bookings (%d past of one item), %d items in %.0f ms (bare SQL)\n",
           w.serial, n_bookings, n_items, tsu_bench_now_ms () - t0);
}

static void
report (
    const char *figure, guint64 size, GArray *store, GArray *bare, const char *goal, double limit)
{
  TsuBenchStats    s = tsu_bench_stats (store);
  TsuBenchStats    b = tsu_bench_stats (bare);
  g_autofree char *med = g_strdup_printf ("%s, median", figure);
  g_autofree char *p95 = g_strdup_printf ("%s, p95", figure);
  g_autofree char *spread = g_strdup_printf ("n %u, min %.3f, max %.3f ms", s.n, s.min, s.max);

  tsu_bench_report ("equipment", med, size, s.median, "ms", "bare SQLite query", b.median, goal,
                    goal ? s.median <= limit : -1, spread);
  tsu_bench_report ("equipment", p95, size, s.p95, "ms", "bare SQLite query", b.p95, goal,
                    goal ? s.p95 <= limit : -1, NULL);
}

/* The bare query the clash check amounts to: the resource's bookings that
 * overlap the time, stepped through; those that hold it (reserved, lent)
 * counted. (With "state IN (…)" in the SQL the planner walks the
 * resource's whole past by start: the state is checked on the rows.) */
static int
bare_overlaps (sqlite3_stmt *stmt, const char *resource_id, const char *from, const char *to)
{
  int n = 0, state_column = 0;

  for (int i = 0; i < sqlite3_column_count (stmt); i++)
    if (g_str_equal (sqlite3_column_name (stmt, i), "state"))
      state_column = i;

  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, resource_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, from, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *state = (const char *)sqlite3_column_text (stmt, state_column);

      n += g_strcmp0 (state, "reserved") == 0 || g_strcmp0 (state, "lent") == 0;
    }
  return n;
}

static void
bench_availability (TsuStore *store, sqlite3 *raw, Data *data)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmt = NULL;
  GRand        *rand = g_rand_new_with_seed (7);
  guint         clashes = 0, bare_clashes = 0;

  if (sqlite3_prepare_v2 (raw,
                          "SELECT * FROM bookings WHERE deleted = 0 AND resource_id = ?1"
                          " AND start_at < ?2 AND due_at > ?3",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    die_sql (raw, "prepare");
  for (int q = 0; q < n_queries; q++)
    {
      /* A time in the next two months, from an hour to three days long. */
      gint64           off = g_rand_int_range (rand, 60, 60 * 24 * 60);
      g_autofree char *from = at (off);
      g_autofree char *to = at (off + g_rand_int_range (rand, 60, 3 * 24 * 60));
      g_autoptr (JsonObject) b = json_object_new ();
      g_autoptr (GError) error = NULL;
      double   t0, t1, t2;
      gboolean free;

      json_object_set_string_member (b, "resource_id", data->hot);
      /* No group: its registration is another lookup, not the clash. */
      json_object_set_string_member (b, "start_at", from);
      json_object_set_string_member (b, "due_at", to);
      json_object_set_int_member (b, "quantity", 1);

      /* Alternate which runs first, so neither always finds a warm cache. */
      if (q % 2)
        {
          t0 = tsu_bench_now_ms ();
          bare_clashes += bare_overlaps (stmt, data->hot, from, to) > 0;
          t1 = tsu_bench_now_ms ();
          free = tsu_booking_check_available (store, b, NULL, NULL, &error);
          t2 = tsu_bench_now_ms ();
          g_array_append_vals (bare_ms, (double[]){ t1 - t0 }, 1);
          g_array_append_vals (ms, (double[]){ t2 - t1 }, 1);
        }
      else
        {
          t0 = tsu_bench_now_ms ();
          free = tsu_booking_check_available (store, b, NULL, NULL, &error);
          t1 = tsu_bench_now_ms ();
          bare_clashes += bare_overlaps (stmt, data->hot, from, to) > 0;
          t2 = tsu_bench_now_ms ();
          g_array_append_vals (ms, (double[]){ t1 - t0 }, 1);
          g_array_append_vals (bare_ms, (double[]){ t2 - t1 }, 1);
        }
      if (!free && !g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE))
        die (error);
      clashes += !free;
    }
  sqlite3_finalize (stmt);
  g_rand_free (rand);
  g_print ("availability: %u of %d checks found a clash (bare query: %u)\n", clashes, n_queries,
           bare_clashes);
  if (clashes != bare_clashes)
    g_print ("availability: the store and the bare query disagree\n");
  report ("availability check of one resource", n_bookings, ms, bare_ms, "≤ 1 ms", 1.0);
}

/* The four lists of today's desk, stepped through with the same SQL. */
static guint
bare_desk (sqlite3 *raw, sqlite3_stmt **stmts)
{
  /* The same SQL as tsu_equipment_desk_day(): join, condition, order. */
  static const char *join[] = { "CROSS JOIN", "JOIN", "JOIN", "JOIN" };
  static const char *where[] = {
    "b.state = 'reserved' AND r.kind = 'item' AND b.start_at >= ?1 AND b.start_at < ?2",
    "b.state = 'lent' AND r.kind = 'item' AND b.due_at >= ?1 AND b.due_at < ?2",
    "b.state = 'lent' AND b.due_at < ?3",
    "b.state IN ('reserved', 'lent') AND r.kind = 'room' AND b.start_at < ?2 AND b.due_at > ?1",
  };
  static const char *order[] = { "b.start_at", "b.due_at", "b.due_at", "b.start_at" };
  guint              n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (where); i++)
    {
      if (stmts[i] == NULL)
        {
          g_autofree char *sql = g_strdup_printf (
              "SELECT b.id, b.number, b.state, b.start_at, b.due_at, b.purpose, b.contact_name,"
              " coalesce(b.contact_phone, g.contact_phone, g.phone), r.name, r.kind, g.name,"
              " coalesce(g.name, e.title), r.control_number, b.resource_id, b.group_id,"
              " b.quantity FROM bookings b %s resources r ON r.id = b.resource_id"
              " LEFT JOIN groups g ON g.id = b.group_id LEFT JOIN events e ON e.id = b.event_id"
              " WHERE b.deleted = 0 AND %s ORDER BY %s, b.number",
              join[i], where[i], order[i]);

          if (sqlite3_prepare_v2 (raw, sql, -1, &stmts[i], NULL) != SQLITE_OK)
            die_sql (raw, "prepare");
        }
      sqlite3_reset (stmts[i]);
      if (sqlite3_bind_parameter_count (stmts[i]) >= 1)
        sqlite3_bind_text (stmts[i], 1, TODAY, -1, SQLITE_STATIC);
      if (sqlite3_bind_parameter_count (stmts[i]) >= 2)
        sqlite3_bind_text (stmts[i], 2, "2026-12-02", -1, SQLITE_STATIC);
      if (sqlite3_bind_parameter_count (stmts[i]) >= 3)
        sqlite3_bind_text (stmts[i], 3, NOW, -1, SQLITE_STATIC);
      while (sqlite3_step (stmts[i]) == SQLITE_ROW)
        n++;
    }
  return n;
}

static void
bench_desk (TsuStore *store, sqlite3 *raw)
{
  g_autoptr (GArray) ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) bare_ms = g_array_new (FALSE, FALSE, sizeof (double));
  sqlite3_stmt *stmts[4] = { NULL };
  int           rounds = MAX (n_queries / 20, 5);
  guint         rows = 0, bare_rows = 0;

  for (int q = 0; q < rounds; q++)
    {
      TsuDeskDay day;
      g_autoptr (GError) error = NULL;
      double t0, t1, t2;

      t0 = tsu_bench_now_ms ();
      if (!tsu_equipment_desk_day (store, NOW, &day, &error))
        die (error);
      t1 = tsu_bench_now_ms ();
      bare_rows = bare_desk (raw, stmts);
      t2 = tsu_bench_now_ms ();
      rows = json_array_get_length (day.going_out) + json_array_get_length (day.coming_back)
             + json_array_get_length (day.overdue) + json_array_get_length (day.rooms);
      if (q == 0)
        g_print ("today's desk: %u going out, %u coming back, %u overdue, %u room bookings\n",
                 json_array_get_length (day.going_out), json_array_get_length (day.coming_back),
                 json_array_get_length (day.overdue), json_array_get_length (day.rooms));
      tsu_desk_day_clear (&day);
      g_array_append_vals (ms, (double[]){ t1 - t0 }, 1);
      g_array_append_vals (bare_ms, (double[]){ t2 - t1 }, 1);
    }
  for (guint i = 0; i < G_N_ELEMENTS (stmts); i++)
    sqlite3_finalize (stmts[i]);
  if (rows != bare_rows)
    g_print ("today's desk: the store (%u rows) and the bare query (%u) disagree\n", rows,
             bare_rows);
  report ("today's desk", n_items, ms, bare_ms, NULL, 0);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— equipment benchmark");
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  TsuStore        *store;
  sqlite3         *raw = NULL;
  Data             data = { 0 };

  setlocale (LC_ALL, "");
  g_setenv ("TZ", "UTC", TRUE);
  g_option_context_add_main_entries (ctx, options, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    die (error);
  n_items = MAX (n_items, 8);
  n_queries = MAX (n_queries, 10);
  if (db_path && g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      sqlite3_stmt *stmt = NULL;

      path = g_strdup (db_path);
      if (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
          || sqlite3_prepare_v2 (raw,
                                 "SELECT r.id, (SELECT count(*) FROM bookings b WHERE"
                                 " b.resource_id = r.id), (SELECT count(*) FROM resources)"
                                 " FROM resources r WHERE control_number = 'B-00000'",
                                 -1, &stmt, NULL)
                 != SQLITE_OK
          || sqlite3_step (stmt) != SQLITE_ROW)
        die_sql (raw, path);
      data.hot = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      n_bookings = sqlite3_column_int (stmt, 1);
      n_items = sqlite3_column_int (stmt, 2) - 1;
      sqlite3_finalize (stmt);
      g_print ("reusing %s: %d bookings of the measured item, %d items\n", path, n_bookings,
               n_items);
      if ((store = tsu_store_open (path, &error)) == NULL)
        die (error);
    }
  else
    {
      dir = g_dir_make_tmp ("tsu-bench-equipment-XXXXXX", &error);
      if (dir == NULL)
        die (error);
      path = g_build_filename (dir, "equipment.db", NULL);

      /* The store makes the schema; the bulk rows go in bare; the store again. */
      if ((store = tsu_store_open (path, &error)) == NULL)
        die (error);
      g_object_unref (store);
      populate (path, &data);
      if ((store = tsu_store_open (path, &error)) == NULL)
        die (error);
      if (sqlite3_open_v2 (path, &raw, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        die_sql (raw, path);
    }

  bench_availability (store, raw, &data);
  bench_desk (store, raw);

  sqlite3_close (raw);
  g_object_unref (store);
  if (dir == NULL)
    ;                                   /* a database given with --db stays */
  else if (g_getenv ("TSU_BENCH_KEEP")) /* to look at the plans afterwards */
    g_print ("kept %s\n", path);
  else
    {
      static const char *suffixes[] = { "", "-wal", "-shm" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *f = g_strconcat (path, suffixes[i], NULL);
          g_unlink (f);
        }
      g_rmdir (dir);
    }
  g_free (data.hot);
  g_clear_pointer (&data.items, g_ptr_array_unref);
  g_clear_pointer (&data.groups, g_ptr_array_unref);
  return 0;
}
