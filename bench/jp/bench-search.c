/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Search index benchmark: 100,000 rows of Japanese-looking records in a real
 * SQLite file; each query length timed through tsu_search_condition() and,
 * as the baseline in the same run, as a full scan with instr().
 *   bench-jp-search [ROWS]    (default 100000) */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdlib.h>

#include "tsu-fold.h"
#include "tsu-search.h"

static const char *const words[] = {
  "大牟田",   "市民",   "活動",       "支援",         "センター",   "子ども", "食堂", "有明",
  "森",       "会",     "NPO法人",    "ボランティア", "つなぐ",     "みらい", "福祉", "高齢者",
  "見守り",   "環境",   "まちづくり", "三池",         "炭鉱",       "歴史",   "音楽", "サークル",
  "スポーツ", "クラブ", "手話",       "朗読",         "読み聞かせ", "防災",   "国際", "交流",
  "協議会",   "同好会", "の",         "と",
};
static const char *const kana[] = {
  "オオムタ", "シミン", "カツドウ", "シエン",   "コドモ",     "ショクドウ", "アリアケ", "モリ",
  "ツナグ",   "ミライ", "フクシ",   "ミマモリ", "カンキョウ", "マチヅクリ", "ミイケ",   "オンガク",
};

/* Kanji of personal names: a representative's name in each row makes the
 * rare one- and two-character queries of real lists. */
static const char *const name_kanji
    = "佐藤鈴木高橋田中伊渡辺山本中村小林加吉松井上木清水森池橋阿部石川前藤岡後長坂"
      "野遠近青柳原宮崎大西内谷村千葉岩田和久保東本荒菅野古杉浦武村横丸平樋口堀福"
      "一郎二三花子美智恵真由紀香奈直樹健太翔大輔誠明弘幸正和子裕之博隆浩治勇修";

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

/* Runs @sql with @params @reps times; returns ms per run and the count. */
static double
time_query (sqlite3 *db, const char *sql, GPtrArray *params, int reps, int *count)
{
  sqlite3_stmt *st;
  gint64        t0 = g_get_monotonic_time ();

  if (sqlite3_prepare_v2 (db, sql, -1, &st, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  for (int r = 0; r < reps; r++)
    {
      sqlite3_reset (st);
      for (guint i = 0; i < params->len; i++)
        sqlite3_bind_text (st, i + 1, g_ptr_array_index (params, i), -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
      *count = sqlite3_column_int (st, 0);
    }
  sqlite3_finalize (st);
  return (g_get_monotonic_time () - t0) / 1000.0 / reps;
}

int
main (int argc, char **argv)
{
  int rows = argc > 1 ? atoi (argv[1]) : 100000;
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  g_autofree char         *dir = g_dir_make_tmp ("tsu-bench-search-XXXXXX", NULL);
  g_autofree char         *path = g_build_filename (dir, "bench.sqlite", NULL);
  g_autofree char         *index_sql = tsu_search_index_sql ("groups");
  static const char *const queries[][2] = {
    { "1 char, common", "会" },
    { "1 char, rare", "朗" },
    { "1 char, kana", "ぐ" },
    { "1 char, name", "菅" },
    { "2 chars, name", "菅野" },
    { "2 chars", "食堂" },
    { "2 chars, rare", "手話" },
    { "2 chars, kana", "ﾐﾗ" },
    { "3 chars", "大牟田" },
    { "3 chars, kana", "しみん" },
    { "long", "読み聞かせ" },
    { "long, kana", "マチヅクリ" },
    { "phone", "0944-12" },
    { "unique, long", "info12345@" },
    { "kana + phone", "ﾉ 0944ｰ55ｰ1234" },
    { "two terms", "森 食堂" },
  };
  sqlite3      *db;
  sqlite3_stmt *ins;
  gint64        t0;
  GStatBuf      sb;

  setlocale (LC_ALL, "");
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  exec (db, "PRAGMA journal_mode=WAL");
  exec (db, "CREATE TABLE groups (id INTEGER PRIMARY KEY, search_text TEXT)");
  exec (db, "BEGIN");
  exec (db, index_sql);
  exec (db, "COMMIT");

  t0 = g_get_monotonic_time ();
  exec (db, "BEGIN");
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "INSERT INTO groups (search_text) VALUES (?)", -1, &ins, NULL), ==,
      SQLITE_OK);
  for (int i = 0; i < rows; i++)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      g_autofree char *folded = NULL;
      int              n = g_rand_int_range (rand, 2, 6);

      for (int w = 0; w < n; w++)
        g_string_append (s, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append_c (s, ' ');
      for (int w = 0; w < 2; w++)
        g_string_append (s, kana[g_rand_int_range (rand, 0, G_N_ELEMENTS (kana))]);
      g_string_append_c (s, ' ');
      for (int k = 0; k < 4; k++)
        {
          glong       nk = g_utf8_strlen (name_kanji, -1);
          const char *c = g_utf8_offset_to_pointer (name_kanji, g_rand_int_range (rand, 0, nk));

          g_string_append_len (s, c, g_utf8_next_char (c) - c);
        }
      g_string_append_printf (s, " 0944-%02d-%04d info%d@example.jp",
                              g_rand_int_range (rand, 10, 99), g_rand_int_range (rand, 0, 9999), i);
      folded = tsu_search_fold (s->str);
      sqlite3_reset (ins);
      sqlite3_bind_text (ins, 1, folded, -1, SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (ins), ==, SQLITE_DONE);
    }
  sqlite3_finalize (ins);
  exec (db, "COMMIT");
  exec (db, "PRAGMA wal_checkpoint(TRUNCATE)");
  g_stat (path, &sb);
  g_print ("%d rows inserted with the index triggers in %.2f s; file %.1f MB\n", rows,
           (g_get_monotonic_time () - t0) / 1e6, sb.st_size / 1e6);

  g_print ("%-16s %-12s %8s %10s %10s %7s\n", "query", "text", "matches", "index ms", "scan ms",
           "ratio");
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
      g_autoptr (GPtrArray) scan_params = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *cond = tsu_search_condition ("groups", queries[q][1], params);
      g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM groups WHERE %s", cond);
      g_autofree char *folded = tsu_search_fold (queries[q][1]);
      g_auto (GStrv) terms = g_strsplit (folded, " ", -1);
      g_autoptr (GString) scan = g_string_new ("SELECT count(*) FROM groups WHERE 1");
      int    n_index = 0, n_scan = 0;
      double t_index, t_scan;

      for (guint t = 0; terms[t]; t++)
        {
          g_string_append (scan, " AND instr(search_text, ?) > 0");
          g_ptr_array_add (scan_params, g_strdup (terms[t]));
        }
      t_index = time_query (db, sql, params, 5, &n_index);
      t_scan = time_query (db, scan->str, scan_params, 5, &n_scan);
      if (n_index != n_scan)
        g_error ("%s: index %d rows, scan %d rows", queries[q][1], n_index, n_scan);
      g_print ("%-16s %-12s %8d %10.2f %10.2f %6.1fx\n", queries[q][0], queries[q][1], n_index,
               t_index, t_scan, t_scan / t_index);
    }

  sqlite3_close (db);
  g_unlink (path);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);

    g_unlink (wal);
    g_unlink (shm);
  }
  g_rmdir (dir);
  return 0;
}
