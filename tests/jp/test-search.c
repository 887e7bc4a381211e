/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Search folding, and the search index on a real SQLite file. */
#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-fold.h"
#include "tsu-search.h"

static void
test_fold (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { NULL, "" },
    { "", "" },
    { "ひらがな", "ヒラガナ" },
    { "ﾊﾝｶｸｶﾀｶﾅ", "ハンカクカタカナ" },
    { "ｶﾞｯｺｳ", "ガッコウ" },
    { "ＡＢＣ　ｄｅｆ", "abc def" },
    { "NPO法人つなぐ", "npo法人ツナグ" },
    { "  a   b  ", "a b" },
    { "サービス", "サービス" },
    { "さーびす", "サービス" },
    { "ｻｰﾋﾞｽ", "サービス" },
    { "サ-ビス", "サービス" },
    { "サ～ビス", "サービス" },
    { "0944-12-3456", "0944-12-3456" },
    { "0944ー12ー3456", "0944-12-3456" },
    { "０９４４－１２－３４５６", "0944-12-3456" },
    { "0944‐12‐3456", "0944-12-3456" },
    { "0944−12−3456", "0944-12-3456" },
    { "0944–12—3456", "0944-12-3456" },
    { "10時〜12時", "10時-12時" },
    { "10時～12時", "10時-12時" },
    { "1丁目2ｰ3", "1丁目2-3" },
    { "ー", "-" },
    { "ゝゞ", "ヽヾ" },
    { "Ⅲ", "iii" },
    { "㈱", "(株)" },
    { "a\tb\nc", "a b c" },
    { "\x01x\x02", "x" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *f = tsu_search_fold (cases[i].in);

      if (g_strcmp0 (f, cases[i].out) != 0)
        g_error ("fold(%s) = %s, expected %s", cases[i].in, f, cases[i].out);
    }

  /* Invalid UTF-8 does not crash. */
  {
    g_autofree char *f = tsu_search_fold ("a\xff\xfe"
                                          "b");
    g_assert_true (g_utf8_validate (f, -1, NULL));
  }
}

typedef struct
{
  char    *dir;
  sqlite3 *db;
} Fixture;

static void
exec (sqlite3 *db, const char *sql)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *index_sql = NULL;

  f->dir = g_dir_make_tmp ("tsu-search-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "test.sqlite", NULL);
  g_assert_cmpint (sqlite3_open (path, &f->db), ==, SQLITE_OK);
  exec (f->db, "CREATE TABLE groups (id TEXT PRIMARY KEY, name TEXT, search_text TEXT)");
  /* Rows before the index is made are picked up by it. */
  exec (f->db, "INSERT INTO groups (id, name, search_text) VALUES ('pre', '先にある団体', "
               "'先ニアル団体 サキニアル')");
  index_sql = tsu_search_index_sql ("groups");
  exec (f->db, "BEGIN");
  exec (f->db, index_sql);
  exec (f->db, "COMMIT");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "test.sqlite", NULL);

  sqlite3_close (f->db);
  g_unlink (path);
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
insert (Fixture *f, const char *id, const char *raw)
{
  sqlite3_stmt    *st;
  g_autofree char *folded = tsu_search_fold (raw);

  g_assert_cmpint (
      sqlite3_prepare_v2 (f->db, "INSERT INTO groups (id, name, search_text) VALUES (?, ?, ?)", -1,
                          &st, NULL),
      ==, SQLITE_OK);
  sqlite3_bind_text (st, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 2, raw, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, folded, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
  sqlite3_finalize (st);
}

static void
update (Fixture *f, const char *id, const char *raw)
{
  sqlite3_stmt    *st;
  g_autofree char *folded = tsu_search_fold (raw);

  g_assert_cmpint (sqlite3_prepare_v2 (f->db,
                                       "UPDATE groups SET name = ?, search_text = ? WHERE id = ?",
                                       -1, &st, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_text (st, 1, raw, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 2, folded, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, id, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
  sqlite3_finalize (st);
}

/* The ids matching @query, sorted and comma-joined; "*" for no filter.
 * Through the index, or (@scan) by testing each row. */
static char *
search_by (Fixture *f, const char *query, gboolean scan)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cond = scan ? tsu_search_scan_condition ("groups.search_text", query, params)
                               : tsu_search_condition ("groups", query, params);
  g_autofree char *sql = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3_stmt *st;
  int           rc;

  if (cond == NULL)
    {
      g_assert_cmpuint (params->len, ==, 0);
      return g_strdup ("*");
    }
  sql = g_strdup_printf ("SELECT id FROM groups WHERE %s ORDER BY id", cond);
  rc = sqlite3_prepare_v2 (f->db, sql, -1, &st, NULL);
  if (rc != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (f->db));
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (st, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      if (out->len)
        g_string_append_c (out, ',');
      g_string_append (out, (const char *)sqlite3_column_text (st, 0));
    }
  if (rc != SQLITE_DONE)
    g_error ("%s: %s", sql, sqlite3_errmsg (f->db));
  sqlite3_finalize (st);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Through the index, checking that the row test finds the same rows. */
static char *
search (Fixture *f, const char *query)
{
  char            *got = search_by (f, query, FALSE);
  g_autofree char *scanned = search_by (f, query, TRUE);

  if (strcmp (got, scanned) != 0)
    g_error ("search “%s”: index [%s], row test [%s]", query ? query : "(null)", got, scanned);
  return got;
}

#define assert_search(f, q, want)                                                                  \
  G_STMT_START                                                                                     \
  {                                                                                                \
    const char      *q_ = (q);                                                                     \
    g_autofree char *got_ = search ((f), q_);                                                      \
    if (g_strcmp0 (got_, (want)) != 0)                                                             \
      g_error ("search “%s”: got [%s], expected [%s]", q_ ? q_ : "(null)", got_, (want));          \
  }                                                                                                \
  G_STMT_END

static void
test_search (Fixture *f, gconstpointer data)
{
  insert (f, "a", "大牟田市民活動支援センター おおむたしみんかつどうしえんせんたー 0944-12-3456");
  insert (f, "b", "つなぐ会 ツナグカイ tsunagu@example.jp 090-1234-5678");
  insert (f, "c", "ﾐﾗｲ子ども食堂 ミライコドモショクドウ");
  insert (f, "d", "NPO法人 有明の森 アリアケノモリ");
  insert (f, "e", "森");
  insert (f, "f", "ab");
  insert (f, "g", "\"quoted\" AND OR NOT * ^ :col (x) NEAR");

  /* No filter. */
  assert_search (f, NULL, "*");
  assert_search (f, "", "*");
  assert_search (f, "  　 ", "*");

  /* One character: kanji, kana, Latin; at the very end of the text and in
   * a one-character text. */
  assert_search (f, "森", "d,e");
  assert_search (f, "牟", "a");
  assert_search (f, "ぐ", "b");
  assert_search (f, "グ", "b");
  assert_search (f, "ｸﾞ", "b");
  assert_search (f, "b", "f");
  assert_search (f, "B", "f");
  assert_search (f, "Ｂ", "f");
  assert_search (f, "j", "b");
  assert_search (f, "ウ", "a,c");
  assert_search (f, "x", "b,g");
  assert_search (f, "\"", "g");
  assert_search (f, "*", "g");
  assert_search (f, "龍", "");

  /* Two characters. */
  assert_search (f, "有明", "d");
  assert_search (f, "食堂", "c");
  assert_search (f, "ab", "f");
  assert_search (f, "np", "d");
  assert_search (f, "みら", "c");
  assert_search (f, "ﾐﾗ", "c");
  assert_search (f, "ミラ", "c");
  assert_search (f, "ドウ", "a,c");
  assert_search (f, "先に", "pre");
  assert_search (f, "サキ", "pre");

  /* Three characters and longer. */
  assert_search (f, "大牟田", "a");
  assert_search (f, "支援センター", "a");
  assert_search (f, "しえんせんたー", "a");
  assert_search (f, "シエンセンター", "a");
  assert_search (f, "ｼｴﾝｾﾝﾀｰ", "a");
  assert_search (f, "ｾﾝﾀ-", "a");
  assert_search (f, "子ども食堂", "c");
  assert_search (f, "npo法人", "d");
  assert_search (f, "ＮＰＯ法人", "d");
  assert_search (f, "Npo法人有明", ""); /* there is a space in the text */
  assert_search (f, "tsunagu@example", "b");
  assert_search (f, "TSUNAGU", "b");
  assert_search (f, "先にある", "pre");
  assert_search (f, "大牟田市民活動支援センターX", "");

  /* Phone numbers with any dash. */
  assert_search (f, "0944-12", "a");
  assert_search (f, "0944ー12ー3456", "a");
  assert_search (f, "０９４４－１２－３４５６", "a");
  assert_search (f, "0944‐12", "a");
  assert_search (f, "090−1234", "b");
  assert_search (f, "5678", "b");
  assert_search (f, "56", "a,b");

  /* Several terms: all must match, short and long mixed. */
  assert_search (f, "森 法人", "d");
  assert_search (f, "森　有明", "d");
  assert_search (f, "森 大牟田", "");
  assert_search (f, "つなぐ 090", "b");
  assert_search (f, "a b", "f");
  assert_search (f, "a", "b,f,g");

  /* FTS5 syntax in the query is text, not syntax. */
  assert_search (f, "\"quoted\"", "g");
  assert_search (f, "AND OR", "g");
  assert_search (f, "NOT *", "g");
  assert_search (f, ":col", "g");
  assert_search (f, "(x)", "g");
  assert_search (f, "near", "g");
  assert_search (f, "\"quo", "g");
  assert_search (f, "a\"b", "");

  /* Updates and deletes keep the index right. */
  update (f, "e", "林");
  assert_search (f, "森", "d");
  assert_search (f, "林", "e");
  update (f, "d", "有明の森 移転しました");
  assert_search (f, "npo法人", "");
  assert_search (f, "移転", "d");
  assert_search (f, "移転しました", "d");
  update (f, "d", "有明の森 移転しました"); /* same text: no index change */
  assert_search (f, "移転しました", "d");
  exec (f->db, "UPDATE groups SET search_text = NULL WHERE id = 'f'");
  assert_search (f, "ab", "");
  exec (f->db, "DELETE FROM groups WHERE id = 'a'");
  assert_search (f, "大牟田", "");
  assert_search (f, "牟", "");
  assert_search (f, "56", "b");
  exec (f->db, "INSERT INTO groups (id, search_text) VALUES ('a2', '大牟田')");
  assert_search (f, "牟", "a2");

  /* The index is consistent with its rows (FTS5's own check). */
  exec (f->db, "INSERT INTO groups_fts (groups_fts, rank) VALUES ('integrity-check', 0)");
}

/* Against a plain scan on many random rows: same answers. */
static void
test_search_random (Fixture *f, gconstpointer data)
{
  static const char *alphabet[]
      = { "ア", "イ", "ウ", "カ", "ガ", "ー", "大", "牟", "田", "a", "b", "1", "-", " " };
  g_autoptr (GRand) rand = g_rand_new_with_seed (42);
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  guint checked = 0;

  exec (f->db, "DELETE FROM groups");
  exec (f->db, "BEGIN");
  for (guint i = 0; i < 2000; i++)
    {
      GString         *s = g_string_new (NULL);
      int              len = g_rand_int_range (rand, 0, 12);
      g_autofree char *id = g_strdup_printf ("%05u", i);

      for (int j = 0; j < len; j++)
        g_string_append (s, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet))]);
      insert (f, id, s->str);
      g_ptr_array_add (texts, tsu_search_fold (s->str));
      g_string_free (s, TRUE);
    }
  exec (f->db, "COMMIT");

  for (guint q = 0; q < 300; q++)
    {
      GString         *s = g_string_new (NULL);
      int              len = 1 + q % 5;
      g_autofree char *folded = NULL;
      g_autoptr (GString) want = g_string_new (NULL);
      g_autofree char *got = NULL;

      for (int j = 0; j < len; j++)
        g_string_append (s, alphabet[g_rand_int_range (rand, 0, G_N_ELEMENTS (alphabet) - 1)]);
      folded = tsu_search_fold (s->str);
      for (guint i = 0; i < texts->len; i++)
        {
          g_auto (GStrv) terms = g_strsplit (folded, " ", -1);
          gboolean all = *folded != '\0';

          for (guint t = 0; terms[t]; t++)
            if (*terms[t] && strstr (g_ptr_array_index (texts, i), terms[t]) == NULL)
              all = FALSE;
          if (all)
            {
              if (want->len)
                g_string_append_c (want, ',');
              g_string_append_printf (want, "%05u", i);
            }
        }
      got = search (f, s->str);
      if (*folded == '\0')
        g_assert_cmpstr (got, ==, "*");
      else if (strcmp (got, want->str) != 0)
        g_error ("query “%s”: index [%s] scan [%s]", s->str, got, want->str);
      checked++;
      g_string_free (s, TRUE);
    }
  g_test_message ("%u random queries agree with a scan", checked);
}

/* How many rows @query matches. */
static gint64
count_matches (Fixture *f, const char *query)
{
  g_autofree char *ids = search (f, query);
  g_auto (GStrv) parts = g_strsplit (ids, ",", -1);

  return *ids == '\0' ? 0 : (gint64)g_strv_length (parts);
}

/* The bounded estimate: capped, zero for no match, at least the rows for
 * short terms (it counts occurrences) and exactly the rows for long ones. */
static void
test_estimate (Fixture *f, gconstpointer data)
{
  static const char *queries[]
      = { "ア", "牟", "ab", "アイ", "大牟田", "アイウ", "カガ 1", "大 田", "龍", "アイウカガ" };

  insert (f, "a", "アイウ アイウ アイウ 大牟田");
  insert (f, "b", "アイウ ab 1-2");
  insert (f, "c", "カガ 11 大田");
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      gint64           rows = count_matches (f, queries[i]);
      gint64           all = tsu_search_estimate (f->db, "groups", queries[i], 1000);
      g_autofree char *folded = tsu_search_fold (queries[i]);
      gboolean         long_terms = strchr (folded, ' ') == NULL && g_utf8_strlen (folded, -1) >= 3;

      g_assert_cmpint (all, >=, rows);
      if (long_terms)
        g_assert_cmpint (all, ==, rows);
      if (all > 0)
        g_assert_cmpint (tsu_search_estimate (f->db, "groups", queries[i], 1), ==, 1);
      g_assert_cmpint (tsu_search_estimate (f->db, "groups", queries[i], 0), ==, 0);
    }
  /* Occurrences: three in one row, one in another, two in the fixture's
   * row; long terms count rows. */
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", "アイウ", 1000), ==, 2);
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", "ア", 1000), ==, 6);
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", "ア", 3), ==, 3);
  /* The smallest term counts. */
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", "ア 龍", 1000), ==, 0);
  /* Nothing to search: the cap. */
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", "  ", 77), ==, 77);
  g_assert_cmpint (tsu_search_estimate (f->db, "groups", NULL, 77), ==, 77);
  /* No such index: an error, not a guess. */
  g_assert_cmpint (tsu_search_estimate (f->db, "nosuch", "ア", 10), ==, -1);
}

/* 異体字: an IME gives 高, the register holds 髙 (issue 10). Both sides of
 * a search go through the same fold. */
static void
test_fold_variants (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "髙橋", "高橋" }, { "山﨑", "山崎" }, { "渡邉", "渡辺" }, { "渡邊", "渡辺" },
    { "齋藤", "斎藤" }, { "濵田", "浜田" }, { "濱田", "浜田" }, { "德永", "徳永" },
    { "國見", "国見" }, { "澤田", "沢田" }, { "齊藤", "斉藤" }, { "高橋", "高橋" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *f = tsu_search_fold (cases[i].in);
      g_assert_cmpstr (f, ==, cases[i].out);
    }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jp/search/fold", test_fold);
  g_test_add_func ("/jp/search/fold-variants", test_fold_variants);
  g_test_add ("/jp/search/sqlite", Fixture, NULL, fixture_set_up, test_search, fixture_tear_down);
  g_test_add ("/jp/search/random-vs-scan", Fixture, NULL, fixture_set_up, test_search_random,
              fixture_tear_down);
  g_test_add ("/jp/search/estimate", Fixture, NULL, fixture_set_up, test_estimate,
              fixture_tear_down);
  return g_test_run ();
}
