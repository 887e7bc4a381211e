/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsu-date.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-date-error-quark, tsu_date_error)
// clang-format on

typedef struct
{
  const char *name;             /* 令和 */
  const char *kanji;            /* 令: one-character abbreviation */
  char        letter;           /* R */
  int         year, month, day; /* first day */
} Era;

/* 明治 starts on 1868-01-25, the Gregorian day of 明治元年1月1日 (the era
 * was proclaimed later that year and made retroactive to New Year). */
static const Era eras[] = {
  { "明治", "明", 'M', 1868, 1, 25 },  { "大正", "大", 'T', 1912, 7, 30 },
  { "昭和", "昭", 'S', 1926, 12, 25 }, { "平成", "平", 'H', 1989, 1, 8 },
  { "令和", "令", 'R', 2019, 5, 1 },
};

static const char *const weekdays[] = {
  "", "月", "火", "水", "木", "金", "土", "日",
};

static int
date_ymd (int y, int m, int d)
{
  return y * 10000 + m * 100 + d;
}

/* The era of a day, or -1 before 明治. */
static int
era_of (int y, int m, int d)
{
  int v = date_ymd (y, m, d);

  for (int i = G_N_ELEMENTS (eras) - 1; i >= 0; i--)
    if (v >= date_ymd (eras[i].year, eras[i].month, eras[i].day))
      return i;
  return -1;
}

static void
append_era_year (GString *s, int era, int year, const char *suffix)
{
  int ey = year - eras[era].year + 1;

  g_string_append (s, eras[era].name);
  if (ey == 1)
    g_string_append (s, "元");
  else
    g_string_append_printf (s, "%d", ey);
  g_string_append (s, suffix);
}

static char *format_date (const GDate *date, TsuDateStyle style, gboolean weekday);

char *
tsu_date_format (const GDate *date, TsuDateStyle style)
{
  return format_date (date, style, TRUE);
}

char *
tsu_date_format_plain (const GDate *date, TsuDateStyle style)
{
  return format_date (date, style, FALSE);
}

static void
append_year (GString *s, int y, int era, TsuDateStyle style, const char *suffix)
{
  if (era < 0 || style == TSU_DATE_STYLE_SEIREKI)
    g_string_append_printf (s, "%d%s", y, suffix);
  else if (style == TSU_DATE_STYLE_WAREKI)
    append_era_year (s, era, y, suffix);
  else
    {
      g_autofree char *closing = g_strconcat (suffix, "）", NULL);

      g_string_append_printf (s, "%d%s（", y, suffix);
      append_era_year (s, era, y, closing);
    }
}

char *
tsu_month_format (int year, int month, TsuDateStyle style)
{
  GString *s = g_string_new (NULL);

  g_return_val_if_fail (month >= 1 && month <= 12, NULL);

  append_year (s, year, era_of (year, month, 1), style, "年");
  g_string_append_printf (s, "%d月", month);
  return g_string_free (s, FALSE);
}

static char *
format_date (const GDate *date, TsuDateStyle style, gboolean weekday)
{
  int      y, m, d, era;
  GString *s;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  y = g_date_get_year (date);
  m = g_date_get_month (date);
  d = g_date_get_day (date);
  era = era_of (y, m, d);
  s = g_string_new (NULL);

  append_year (s, y, era, style, "年");
  g_string_append_printf (s, "%d月%d日", m, d);
  if (weekday)
    g_string_append_printf (s, "（%s）", weekdays[g_date_get_weekday (date)]);
  return g_string_free (s, FALSE);
}

/* Parsing: a tiny scanner over the NFKC form without spaces. */
typedef struct
{
  const char *p;
} Scan;

static gboolean
scan_lit (Scan *sc, const char *lit)
{
  gsize n = strlen (lit);

  if (strncmp (sc->p, lit, n) != 0)
    return FALSE;
  sc->p += n;
  return TRUE;
}

static gboolean
scan_num (Scan *sc, int max_digits, int *out)
{
  int v = 0, n = 0;

  while (g_ascii_isdigit (*sc->p) && n < max_digits)
    {
      v = v * 10 + (*sc->p - '0');
      sc->p++;
      n++;
    }
  if (n == 0 || g_ascii_isdigit (*sc->p))
    return FALSE;
  *out = v;
  return TRUE;
}

/* One of . / - when @sep is 0 (and remembers it), else exactly @sep. */
static gboolean
scan_sep (Scan *sc, char *sep)
{
  char c = *sc->p;

  if (c != '.' && c != '/' && c != '-')
    return FALSE;
  if (*sep != 0 && *sep != c)
    return FALSE;
  *sep = c;
  sc->p++;
  return TRUE;
}

/* An era name, kanji abbreviation or letter; returns its index or -1. */
static int
scan_era (Scan *sc)
{
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (scan_lit (sc, eras[i].name))
      return i;
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (scan_lit (sc, eras[i].kanji))
      return i;
  for (guint i = 0; i < G_N_ELEMENTS (eras); i++)
    if (g_ascii_toupper (*sc->p) == eras[i].letter)
      {
        sc->p++;
        return i;
      }
  return -1;
}

static gboolean
scan_era_year (Scan *sc, int *year)
{
  if (scan_lit (sc, "元"))
    {
      *year = 1;
      return TRUE;
    }
  return scan_num (sc, 4, year) && *year >= 1;
}

/* Month and day after the year: "4月1日" when @kanji, else "4.1" with the
 * separator already used after the year. */
static gboolean
scan_month_day (Scan *sc, gboolean kanji, char sep, int *m, int *d)
{
  if (kanji)
    return scan_num (sc, 2, m) && scan_lit (sc, "月") && scan_num (sc, 2, d)
           && (scan_lit (sc, "日") || *sc->p == '\0');
  return scan_num (sc, 2, m) && scan_sep (sc, &sep) && scan_num (sc, 2, d);
}

/* Drops a trailing weekday such as (水) or (水曜日); it is not checked. */
static void
strip_weekday (char *s)
{
  gsize n = strlen (s);

  if (n < 2 || s[n - 1] != ')')
    return;
  for (guint i = 1; i < G_N_ELEMENTS (weekdays); i++)
    {
      const char *forms[] = { "", "曜", "曜日" };

      for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
        {
          g_autofree char *tail = g_strconcat ("(", weekdays[i], forms[f], ")", NULL);
          gsize            t = strlen (tail);

          if (n > t && strcmp (s + n - t, tail) == 0)
            {
              s[n - t] = '\0';
              return;
            }
        }
    }
}

static gboolean
parse_error (const char *text, GError **error)
{
  g_set_error (
      error, TSU_DATE_ERROR, TSU_DATE_ERROR_PARSE,
      _ ("“%s” is not a date. Write it like 2026年4月1日, 令和8年4月1日, R8.4.1 or 2026-04-01."),
      text);
  return FALSE;
}

static gboolean
make_date (const char *text, int y, int m, int d, int era, GDate *out, GError **error)
{
  if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 || !g_date_valid_dmy (d, m, y))
    {
      g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID,
                   _ ("“%s” is not a day of the calendar."), text);
      return FALSE;
    }

  if (era >= 0)
    {
      int        v = date_ymd (y, m, d);
      const Era *e = &eras[era];
      gboolean   before = v < date_ymd (e->year, e->month, e->day);
      gboolean   after
          = (guint)era + 1 < G_N_ELEMENTS (eras)
            && v >= date_ymd (eras[era + 1].year, eras[era + 1].month, eras[era + 1].day);

      if (before)
        {
          g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_ERA_RANGE,
                       _ ("“%s” is before the %s era, which began on %d/%d/%d."), text, e->name,
                       e->year, e->month, e->day);
          return FALSE;
        }
      if (after)
        {
          GDate last;

          g_date_clear (&last, 1);
          g_date_set_dmy (&last, eras[era + 1].day, eras[era + 1].month, eras[era + 1].year);
          g_date_subtract_days (&last, 1);
          g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_ERA_RANGE,
                       _ ("“%s” is after the %s era, which ended on %d/%d/%d."), text, e->name,
                       g_date_get_year (&last), g_date_get_month (&last), g_date_get_day (&last));
          return FALSE;
        }
    }

  g_date_clear (out, 1);
  g_date_set_dmy (out, d, m, y);
  return TRUE;
}

gboolean
tsu_date_parse (const char *text, GDate *out, GError **error)
{
  g_autofree char *nfkc = NULL;
  g_autoptr (GString) compact = NULL;
  Scan sc;
  int  y = 0, m = 0, d = 0, era, era_year = 0;
  char sep = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return parse_error (text ? "?" : "", error);

  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  compact = g_string_new (NULL);
  for (const char *p = nfkc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      /* Dashes people type between numbers. */
      if (c == 0x2010 || c == 0x2012 || c == 0x2013 || c == 0x2212 || c == 0x30FC)
        c = '-';
      g_string_append_unichar (compact, c);
    }
  strip_weekday (compact->str);
  sc.p = compact->str;

  if (*sc.p == '\0')
    return parse_error (text, error);

  era = scan_era (&sc);
  if (era >= 0)
    {
      gboolean kanji;

      if (!scan_era_year (&sc, &era_year))
        return parse_error (text, error);
      kanji = scan_lit (&sc, "年");
      if (!kanji && !scan_sep (&sc, &sep))
        return parse_error (text, error);
      if (!scan_month_day (&sc, kanji, sep, &m, &d) || *sc.p != '\0')
        return parse_error (text, error);
      y = eras[era].year + era_year - 1;
      return make_date (text, y, m, d, era, out, error);
    }

  /* 西暦 years have four digits: "26/4/1" is not the year 26. */
  {
    const char *start = sc.p;

    if (!scan_num (&sc, 4, &y) || sc.p - start != 4 || y < 1000)
      return parse_error (text, error);
  }

  if (scan_lit (&sc, "年"))
    {
      /* 2026年(令和8年)4月1日: the era year must agree. */
      if (scan_lit (&sc, "("))
        {
          int e = scan_era (&sc), ey;

          if (e < 0 || !scan_era_year (&sc, &ey) || !scan_lit (&sc, "年") || !scan_lit (&sc, ")"))
            return parse_error (text, error);
          if (eras[e].year + ey - 1 != y)
            {
              g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_ERA_RANGE,
                           _ ("In “%s” the two years do not agree."), text);
              return FALSE;
            }
          era = e;
        }
      if (!scan_month_day (&sc, TRUE, 0, &m, &d) || *sc.p != '\0')
        return parse_error (text, error);
    }
  else if (!scan_sep (&sc, &sep) || !scan_month_day (&sc, FALSE, sep, &m, &d) || *sc.p != '\0')
    return parse_error (text, error);

  return make_date (text, y, m, d, era, out, error);
}

char *
tsu_date_to_iso (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

gboolean
tsu_date_from_iso (const char *iso, GDate *out)
{
  int         v[3] = { 0, 0, 0 };
  const int   widths[3] = { 4, 2, 2 };
  const char *p = iso;

  g_return_val_if_fail (out != NULL, FALSE);

  if (iso == NULL || strlen (iso) != 10)
    return FALSE;
  for (int f = 0; f < 3; f++)
    {
      for (int i = 0; i < widths[f]; i++, p++)
        {
          if (!g_ascii_isdigit (*p))
            return FALSE;
          v[f] = v[f] * 10 + (*p - '0');
        }
      if (f < 2 && *p++ != '-')
        return FALSE;
    }
  if (v[0] < 1 || v[1] < 1 || v[1] > 12 || v[2] < 1 || !g_date_valid_dmy (v[2], v[1], v[0]))
    return FALSE;
  g_date_clear (out, 1);
  g_date_set_dmy (out, v[2], v[1], v[0]);
  return TRUE;
}

int
tsu_fiscal_year (const GDate *date)
{
  g_return_val_if_fail (date != NULL && g_date_valid (date), 0);

  return g_date_get_month (date) >= G_DATE_APRIL ? g_date_get_year (date)
                                                 : g_date_get_year (date) - 1;
}

void
tsu_fiscal_year_range (int fiscal_year, GDate *first, GDate *last)
{
  g_return_if_fail (fiscal_year >= 1 && fiscal_year < 9999);

  if (first != NULL)
    {
      g_date_clear (first, 1);
      g_date_set_dmy (first, 1, G_DATE_APRIL, fiscal_year);
    }
  if (last != NULL)
    {
      g_date_clear (last, 1);
      g_date_set_dmy (last, 31, G_DATE_MARCH, fiscal_year + 1);
    }
}

char *
tsu_fiscal_year_format (int fiscal_year, TsuDateStyle style)
{
  int      era = era_of (fiscal_year, 12, 31);
  GString *s = g_string_new (NULL);

  if (era < 0 || style == TSU_DATE_STYLE_SEIREKI)
    g_string_append_printf (s, "%d年度", fiscal_year);
  else if (style == TSU_DATE_STYLE_WAREKI)
    append_era_year (s, era, fiscal_year, "年度");
  else
    {
      g_string_append_printf (s, "%d年度（", fiscal_year);
      append_era_year (s, era, fiscal_year, "年度）");
    }
  return g_string_free (s, FALSE);
}

/**
 * tsu_month_parse:
 * @text: "2015年4月", "平成27年4月", "H27.4", "2015-04", "2015/4", or a whole date
 *
 * Returns: %TRUE with @year and @month set, else %FALSE with @error
 */
gboolean
tsu_month_parse (const char *text, int *year, int *month, GError **error)
{
  GDate            d;
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  const char      *suffixes[] = { "1日", "-1", "/1", ".1" };

  if (tsu_date_parse (t, &d, NULL))
    goto found;
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *with_day = g_strconcat (t, suffixes[i], NULL);

      if ((i == 0) != g_str_has_suffix (t, "月"))
        continue;
      if (tsu_date_parse (with_day, &d, NULL))
        goto found;
    }
  g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_PARSE,
               _ ("“%s” is not a month. Write it like 2015年4月, 平成27年4月 or 2015-04."), t);
  return FALSE;

found:
  *year = g_date_get_year (&d);
  *month = g_date_get_month (&d);
  return TRUE;
}

/**
 * tsu_fiscal_year_parse:
 * @text: "2026", "2026年度", "令和8年度", "R8年度", "R8"
 *
 * Returns: %TRUE with @fiscal_year set, else %FALSE with @error
 */
gboolean
tsu_fiscal_year_parse (const char *text, int *fiscal_year, GError **error)
{
  g_autofree char *nfkc = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_ALL_COMPOSE);
  g_autoptr (GString) compact = g_string_new (NULL);
  Scan sc;
  int  era, y;

  for (const char *p = nfkc ? nfkc : ""; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (compact, g_utf8_get_char (p));
  sc.p = compact->str;
  era = scan_era (&sc);
  if (era >= 0 ? scan_era_year (&sc, &y) : scan_num (&sc, 4, &y))
    {
      if (!scan_lit (&sc, "年度"))
        scan_lit (&sc, "年");
      if (era >= 0)
        y = eras[era].year + y - 1;
      /* 2026年度(令和8年度), as the fiscal year is shown: the years agree. */
      else if (scan_lit (&sc, "("))
        {
          int e = scan_era (&sc), ey;

          if (e < 0 || !scan_era_year (&sc, &ey) || !scan_lit (&sc, "年度") || !scan_lit (&sc, ")")
              || eras[e].year + ey - 1 != y)
            sc.p = "?";
        }
      if (*sc.p == '\0')
        {
          if (y >= 1000 && y <= 9999)
            {
              *fiscal_year = y;
              return TRUE;
            }
        }
    }
  g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_PARSE,
               _ ("“%s” is not a fiscal year. Write it like 2026年度 or 令和8年度."),
               text ? text : "");
  return FALSE;
}

/**
 * tsu_date_today:
 * @out: (out caller-allocates): today's local date, or the date in the
 *   TSUNAGU_TODAY environment variable (YYYY-MM-DD) for tests and demos
 */
void
tsu_date_today (GDate *out)
{
  const char *fixed = g_getenv ("TSUNAGU_TODAY");
  g_autoptr (GDateTime) now = NULL;

  g_date_clear (out, 1);
  if (fixed && tsu_date_from_iso (fixed, out))
    return;
  now = g_date_time_new_now_local ();
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}
