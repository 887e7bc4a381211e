/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates: 西暦/和暦 formatting and parsing, 年度, 国民の祝日, next open day. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "tsu-date.h"
#include "tsu-holidays.h"

static GDate
ymd (int y, int m, int d)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, m, y);
  return date;
}

static void
test_format (void)
{
  static const struct
  {
    int         y, m, d;
    const char *s, *w, *b;
  } cases[] = {
    { 2026, 4, 1, "2026年4月1日（水）", "令和8年4月1日（水）", "2026年（令和8年）4月1日（水）" },
    { 2019, 5, 1, "2019年5月1日（水）", "令和元年5月1日（水）", "2019年（令和元年）5月1日（水）" },
    { 2019, 4, 30, "2019年4月30日（火）", "平成31年4月30日（火）",
      "2019年（平成31年）4月30日（火）" },
    { 1989, 1, 7, "1989年1月7日（土）", "昭和64年1月7日（土）", "1989年（昭和64年）1月7日（土）" },
    { 1989, 1, 8, "1989年1月8日（日）", "平成元年1月8日（日）", "1989年（平成元年）1月8日（日）" },
    { 1926, 12, 24, "1926年12月24日（金）", "大正15年12月24日（金）",
      "1926年（大正15年）12月24日（金）" },
    { 1926, 12, 25, "1926年12月25日（土）", "昭和元年12月25日（土）",
      "1926年（昭和元年）12月25日（土）" },
    { 1912, 7, 29, "1912年7月29日（月）", "明治45年7月29日（月）",
      "1912年（明治45年）7月29日（月）" },
    { 1912, 7, 30, "1912年7月30日（火）", "大正元年7月30日（火）",
      "1912年（大正元年）7月30日（火）" },
    { 1868, 1, 25, "1868年1月25日（土）", "明治元年1月25日（土）",
      "1868年（明治元年）1月25日（土）" },
    { 1868, 1, 24, "1868年1月24日（金）", "1868年1月24日（金）", "1868年1月24日（金）" },
    { 2100, 12, 31, "2100年12月31日（金）", "令和82年12月31日（金）",
      "2100年（令和82年）12月31日（金）" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate            d = ymd (cases[i].y, cases[i].m, cases[i].d);
      g_autofree char *s = tsu_date_format (&d, TSU_DATE_STYLE_SEIREKI);
      g_autofree char *w = tsu_date_format (&d, TSU_DATE_STYLE_WAREKI);
      g_autofree char *b = tsu_date_format (&d, TSU_DATE_STYLE_BOTH);

      g_assert_cmpstr (s, ==, cases[i].s);
      g_assert_cmpstr (w, ==, cases[i].w);
      g_assert_cmpstr (b, ==, cases[i].b);
    }
}

static void
test_parse (void)
{
  static const struct
  {
    const char *text;
    int         y, m, d;
  } ok[] = {
    { "2026年4月1日(水)", 2026, 4, 1 },
    { "2026年4月1日", 2026, 4, 1 },
    { "令和8年4月1日(水)", 2026, 4, 1 },
    { "令和８年４月１日（水）", 2026, 4, 1 },
    { "2026年(令和8年)4月1日(水)", 2026, 4, 1 },
    { "2026-04-01", 2026, 4, 1 },
    { "2026/4/1", 2026, 4, 1 },
    { "２０２６／４／１", 2026, 4, 1 },
    { "2026.4.1", 2026, 4, 1 },
    { " 2026 年 4 月 1 日 ", 2026, 4, 1 },
    { "R8.4.1", 2026, 4, 1 },
    { "r8/4/1", 2026, 4, 1 },
    { "Ｒ８．４．１", 2026, 4, 1 },
    { "令8.4.1", 2026, 4, 1 },
    { "H31.4.30", 2019, 4, 30 },
    { "平成31年4月30日", 2019, 4, 30 },
    { "令和元年5月1日", 2019, 5, 1 },
    { "R1.5.1", 2019, 5, 1 },
    { "S64.1.7", 1989, 1, 7 },
    { "H1.1.8", 1989, 1, 8 },
    { "平成元年1月8日(日曜日)", 1989, 1, 8 },
    { "T15.12.24", 1926, 12, 24 },
    { "M45.7.29", 1912, 7, 29 },
    { "2024年2月29日", 2024, 2, 29 },
  };
  static const struct
  {
    const char *text;
    int         code;
  } bad[] = {
    { "H31.5.1", TSU_DATE_ERROR_ERA_RANGE },
    { "平成31年5月1日", TSU_DATE_ERROR_ERA_RANGE },
    { "令和元年4月30日", TSU_DATE_ERROR_ERA_RANGE },
    { "S64.1.8", TSU_DATE_ERROR_ERA_RANGE },
    { "H1.1.7", TSU_DATE_ERROR_ERA_RANGE },
    { "2026年(令和7年)4月1日", TSU_DATE_ERROR_ERA_RANGE },
    { "2025年2月29日", TSU_DATE_ERROR_INVALID },
    { "2026-02-30", TSU_DATE_ERROR_INVALID },
    { "2026-13-01", TSU_DATE_ERROR_INVALID },
    { "R8.0.1", TSU_DATE_ERROR_INVALID },
    { "", TSU_DATE_ERROR_PARSE },
    { "きのう", TSU_DATE_ERROR_PARSE },
    { "2026", TSU_DATE_ERROR_PARSE },
    { "2026/4-1", TSU_DATE_ERROR_PARSE },
    { "2026年4月1日x", TSU_DATE_ERROR_PARSE },
    { "R.4.1", TSU_DATE_ERROR_PARSE },
    { "R0.4.1", TSU_DATE_ERROR_PARSE },
    { "X8.4.1", TSU_DATE_ERROR_PARSE },
    { "12026-04-01", TSU_DATE_ERROR_PARSE },
    { "26/4/1", TSU_DATE_ERROR_PARSE },
    { "0226年4月1日(水)", TSU_DATE_ERROR_PARSE }, /* found by the fuzzer */
    { "999年1月1日", TSU_DATE_ERROR_PARSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr (GError) error = NULL;
      GDate d;

      if (!tsu_date_parse (ok[i].text, &d, &error))
        g_error ("%s: %s", ok[i].text, error->message);
      g_assert_cmpint (g_date_get_year (&d), ==, ok[i].y);
      g_assert_cmpint (g_date_get_month (&d), ==, ok[i].m);
      g_assert_cmpint (g_date_get_day (&d), ==, ok[i].d);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      GDate d = ymd (2000, 1, 1);

      if (tsu_date_parse (bad[i].text, &d, &error))
        g_error ("accepted %s", bad[i].text);
      g_assert_error (error, TSU_DATE_ERROR, bad[i].code);
      /* Untouched on failure. */
      g_assert_cmpint (g_date_get_year (&d), ==, 2000);
    }
}

/* Every day from 明治 on, in every style, reads back as itself. */
static void
test_round_trip (void)
{
  GDate d = ymd (1868, 1, 25), end = ymd (2101, 1, 1);

  for (; g_date_compare (&d, &end) < 0; g_date_add_days (&d, 1))
    for (int style = TSU_DATE_STYLE_SEIREKI; style <= TSU_DATE_STYLE_BOTH; style++)
      {
        g_autofree char *s = tsu_date_format (&d, style);
        g_autofree char *iso = tsu_date_to_iso (&d);
        g_autoptr (GError) error = NULL;
        GDate back, back_iso;

        if (!tsu_date_parse (s, &back, &error))
          g_error ("%s: %s", s, error->message);
        g_assert_cmpint (g_date_compare (&d, &back), ==, 0);
        g_assert_true (tsu_date_from_iso (iso, &back_iso));
        g_assert_cmpint (g_date_compare (&d, &back_iso), ==, 0);
      }
}

static void
test_iso (void)
{
  GDate            d = ymd (7, 3, 9), out;
  g_autofree char *s = tsu_date_to_iso (&d);
  const char      *bad[] = { NULL,         "",           "2026-4-1",   "2026-04-01 ", "2026/04/01",
                             "2026-02-30", "0000-01-01", "2026-00-10", "abcd-ef-gh",  "2026-04-011" };

  g_assert_cmpstr (s, ==, "0007-03-09");
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (tsu_date_from_iso (bad[i], &out));
}

static void
test_fiscal (void)
{
  GDate            d = ymd (2026, 3, 31), first, last;
  g_autofree char *a = tsu_fiscal_year_format (2026, TSU_DATE_STYLE_SEIREKI);
  g_autofree char *b = tsu_fiscal_year_format (2026, TSU_DATE_STYLE_WAREKI);
  g_autofree char *c = tsu_fiscal_year_format (2026, TSU_DATE_STYLE_BOTH);
  g_autofree char *e = tsu_fiscal_year_format (2019, TSU_DATE_STYLE_WAREKI);
  g_autofree char *f = tsu_fiscal_year_format (1988, TSU_DATE_STYLE_WAREKI);
  g_autofree char *g = tsu_fiscal_year_format (2018, TSU_DATE_STYLE_BOTH);

  g_assert_cmpint (tsu_fiscal_year (&d), ==, 2025);
  d = ymd (2026, 4, 1);
  g_assert_cmpint (tsu_fiscal_year (&d), ==, 2026);
  d = ymd (2026, 12, 31);
  g_assert_cmpint (tsu_fiscal_year (&d), ==, 2026);
  d = ymd (2027, 1, 1);
  g_assert_cmpint (tsu_fiscal_year (&d), ==, 2026);

  tsu_fiscal_year_range (2026, &first, &last);
  d = ymd (2026, 4, 1);
  g_assert_cmpint (g_date_compare (&first, &d), ==, 0);
  d = ymd (2027, 3, 31);
  g_assert_cmpint (g_date_compare (&last, &d), ==, 0);
  tsu_fiscal_year_range (2027, &first, &last); /* 2028 is a leap year: still 3/31 */
  g_assert_cmpint (g_date_get_day (&last), ==, 31);

  g_assert_cmpstr (a, ==, "2026年度");
  g_assert_cmpstr (b, ==, "令和8年度");
  g_assert_cmpstr (c, ==, "2026年度（令和8年度）");
  g_assert_cmpstr (e, ==, "令和元年度");
  g_assert_cmpstr (f, ==, "昭和63年度");
  g_assert_cmpstr (g, ==, "2018年度（平成30年度）");

  /* What is shown reads back (a form shows a fiscal year in the date style). */
  for (int y = 1988; y <= 2030; y++)
    for (TsuDateStyle s = TSU_DATE_STYLE_SEIREKI; s <= TSU_DATE_STYLE_BOTH; s++)
      {
        g_autofree char *text = tsu_fiscal_year_format (y, s);
        int              back = 0;

        g_assert_true (tsu_fiscal_year_parse (text, &back, NULL));
        g_assert_cmpint (back, ==, y);
      }
  {
    int back = 0;

    g_assert_true (tsu_fiscal_year_parse ("２０２６年度（令和８年度）", &back, NULL));
    g_assert_cmpint (back, ==, 2026);
    g_assert_false (tsu_fiscal_year_parse ("2026年度(令和7年度)", &back, NULL));
    g_assert_false (tsu_fiscal_year_parse ("2026年度(令和8年度", &back, NULL));
    g_assert_false (tsu_fiscal_year_parse ("令和8年度(令和8年度)", &back, NULL));
  }
}

static GHashTable *
load_fixture (void)
{
  const char      *root = g_getenv ("TSU_SOURCE_ROOT");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  GHashTable *map = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_nonnull (root);
  path = g_build_filename (root, "tests", "jp", "data", "holidays-1970-2050.txt", NULL);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_auto (GStrv) f = NULL;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      f = g_strsplit (lines[i], "\t", 2);
      g_assert_nonnull (f[1]);
      g_hash_table_insert (map, g_strdup (f[0]), g_strdup (f[1]));
    }
  g_assert_cmpuint (g_hash_table_size (map), >, 1300);
  return map;
}

/* Every day of 1970–2050: no holiday missed, none added, same name. */
static void
test_holidays_fixture (void)
{
  g_autoptr (GHashTable) expected = load_fixture ();
  GDate d = ymd (1970, 1, 1), end = ymd (2051, 1, 1);
  guint found = 0;

  for (; g_date_compare (&d, &end) < 0; g_date_add_days (&d, 1))
    {
      g_autofree char *iso = tsu_date_to_iso (&d);
      const char      *want = g_hash_table_lookup (expected, iso);
      const char      *got = tsu_holiday_name (&d);

      if (g_strcmp0 (want, got) != 0)
        g_error ("%s: expected %s, got %s", iso, want ? want : "(none)", got ? got : "(none)");
      g_assert_cmpint (tsu_is_holiday (&d), ==, want != NULL);
      found += got != NULL;
    }
  g_assert_cmpuint (found, ==, g_hash_table_size (expected));
}

/* The original list, when present beside the checkout: same dates. */
static void
test_holidays_original (void)
{
  const char      *shared = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) dates = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GDate d = ymd (1970, 1, 1), end = ymd (2051, 1, 1);

  if (shared != NULL)
    path = g_build_filename (shared, "holidays-jp-1970-2050.yml", NULL);
  if (path == NULL || !g_file_get_contents (path, &text, NULL, NULL))
    {
      g_test_skip ("holidays-jp-1970-2050.yml not found (TSU_SHARED_DATA)");
      return;
    }
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_ascii_isdigit (lines[i][0]) && strlen (lines[i]) > 10)
      g_hash_table_add (dates, g_strndup (lines[i], 10));

  for (; g_date_compare (&d, &end) < 0; g_date_add_days (&d, 1))
    {
      g_autofree char *iso = tsu_date_to_iso (&d);

      if (g_hash_table_contains (dates, iso) != tsu_is_holiday (&d))
        g_error ("%s: the Cabinet Office list says %s", iso,
                 g_hash_table_contains (dates, iso) ? "holiday" : "no holiday");
    }
}

static void
test_holidays_other_years (void)
{
  static const struct
  {
    int         y, m, d;
    const char *name;
  } cases[] = {
    { 1948, 7, 19, NULL }, /* before the law */
    { 1948, 9, 23, "秋分の日" },
    { 1948, 11, 3, "文化の日" },
    { 1949, 1, 1, "元日" },
    { 1949, 4, 29, "天皇誕生日" },
    { 1959, 4, 10, "皇太子明仁親王の結婚の儀" },
    { 1966, 9, 15, "敬老の日" },
    { 1967, 2, 11, "建国記念の日" },
    { 1965, 9, 15, NULL },
    { 1969, 11, 24, NULL },      /* 11/23 Sunday, before 振替休日 */
    { 1973, 4, 30, "振替休日" }, /* the first one */
    { 1985, 5, 4, NULL },        /* before 国民の休日 */
    { 2019, 12, 23, NULL },      /* no 天皇誕生日 in 2019 */
    { 2020, 2, 23, "天皇誕生日" },
    { 2020, 10, 12, NULL }, /* moved to 7/24 */
    { 2020, 7, 24, "スポーツの日" },
    { 2021, 8, 8, "山の日" },
    { 2021, 8, 9, "振替休日" },
    { 2055, 3, 21, "春分の日" },
    { 2099, 9, 23, "秋分の日" },
    { 2100, 3, 20, "春分の日" }, /* the 2100–2150 formula */
    { 2100, 9, 23, "秋分の日" },
    { 2101, 1, 1, NULL }, /* outside the range */
    { 1900, 1, 1, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GDate d = ymd (cases[i].y, cases[i].m, cases[i].d);

      if (g_strcmp0 (tsu_holiday_name (&d), cases[i].name) != 0)
        g_error ("%d-%d-%d: expected %s got %s", cases[i].y, cases[i].m, cases[i].d, cases[i].name,
                 tsu_holiday_name (&d));
    }

  /* Each year of the range has a sane count and no crash. */
  for (int y = 1949; y <= 2100; y++)
    {
      GDate d = ymd (y, 1, 1), end = ymd (y + 1, 1, 1);
      guint n = 0;

      for (; g_date_compare (&d, &end) < 0; g_date_add_days (&d, 1))
        n += tsu_is_holiday (&d);
      g_assert_cmpuint (n, >=, 9);
      g_assert_cmpuint (n, <=, 22);
    }
}

static void
test_next_open_day (void)
{
  GDate out, from, want;
  GDate closures[2];
  guint closed = (1u << G_DATE_MONDAY) | (1u << G_DATE_SUNDAY);

  /* 2026-05-02 (Sat) → 5/3–5/6 holidays (5/6 振替休日), 5/10 Sun, 5/11 Mon
   * closed; with Monday/Sunday closed the next open day is 5/7 (Thu). */
  from = ymd (2026, 5, 3);
  tsu_next_open_day (&from, closed, NULL, 0, &out);
  want = ymd (2026, 5, 7);
  g_assert_cmpint (g_date_compare (&out, &want), ==, 0);

  /* An open day is itself. */
  from = ymd (2026, 4, 1);
  tsu_next_open_day (&from, closed, NULL, 0, &out);
  g_assert_cmpint (g_date_compare (&out, &from), ==, 0);

  /* Closures on 5/7 and 5/8: then Saturday 5/9. */
  closures[0] = ymd (2026, 5, 7);
  closures[1] = ymd (2026, 5, 8);
  from = ymd (2026, 5, 2);
  tsu_next_open_day (&from, closed, closures, 2, &out);
  want = ymd (2026, 5, 2);
  g_assert_cmpint (g_date_compare (&out, &want), ==, 0);
  from = ymd (2026, 5, 3);
  tsu_next_open_day (&from, closed, closures, 2, &out);
  want = ymd (2026, 5, 9);
  g_assert_cmpint (g_date_compare (&out, &want), ==, 0);

  /* Year end closure list 12/29–1/3 plus Monday closed. */
  {
    GDate ye[6];

    for (int i = 0; i < 6; i++)
      {
        ye[i] = ymd (2026, 12, 29);
        g_date_add_days (&ye[i], i);
      }
    from = ymd (2026, 12, 28);
    tsu_next_open_day (&from, 1u << G_DATE_MONDAY, ye, 6, &out);
    want = ymd (2027, 1, 5); /* 1/4 is a Monday */
    g_assert_cmpint (g_date_compare (&out, &want), ==, 0);
  }

  /* Every weekday closed: no open day. */
  tsu_next_open_day (&from, 0xFE, NULL, 0, &out);
  g_assert_false (g_date_valid (&out));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jp/date/format", test_format);
  g_test_add_func ("/jp/date/parse", test_parse);
  g_test_add_func ("/jp/date/round-trip", test_round_trip);
  g_test_add_func ("/jp/date/iso", test_iso);
  g_test_add_func ("/jp/date/fiscal", test_fiscal);
  g_test_add_func ("/jp/holidays/fixture-1970-2050", test_holidays_fixture);
  g_test_add_func ("/jp/holidays/original-list", test_holidays_original);
  g_test_add_func ("/jp/holidays/other-years", test_holidays_other_years);
  g_test_add_func ("/jp/holidays/next-open-day", test_next_open_day);
  return g_test_run ();
}
