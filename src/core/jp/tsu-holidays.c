/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <math.h>
#include <string.h>

#include "tsu-holidays.h"

/* 国民の祝日に関する法律 (1948-07-20) and its amendments:
 * - 1966 敬老の日, 体育の日; 1967 建国記念の日
 * - 1973-04-12 振替休日: a 祝日 on Sunday moves its rest to the Monday,
 *   unless that is a 祝日 too
 * - 1985-12-27 国民の休日: a day between two 祝日 (not a Sunday nor a
 *   振替休日 before 2007)
 * - 1989 天皇誕生日 12/23, みどりの日 4/29; 1996 海の日 7/20
 * - 2000/2003 Happy Monday (成人の日, 体育の日 / 海の日, 敬老の日)
 * - 2007 昭和の日 4/29, みどりの日 5/4; 振替休日 moves to the next day
 *   that is not a 祝日
 * - 2016 山の日 8/11; 2019 一回限りの即位の日 5/1 and 即位礼正殿の儀 10/22;
 *   2020 天皇誕生日 2/23, スポーツの日; the Olympic moves in 2020 and 2021. */

typedef struct
{
  guint8      month;
  guint8      day;
  const char *name;
  gboolean    shukujitsu; /* a 国民の祝日 (or treated as one), not a 休日 */
} Holiday;

#define MAX_HOLIDAYS 40

typedef struct
{
  Holiday h[MAX_HOLIDAYS];
  guint   n;
  int     year;
} Year;

static void
add (Year *y, int month, int day, const char *name)
{
  g_assert (y->n < MAX_HOLIDAYS);
  /* The law took effect on 1948-07-20. */
  if (y->year == 1948 && (month < 7 || (month == 7 && day < 20)))
    return;
  y->h[y->n++] = (Holiday){ month, day, name, TRUE };
}

/* The day of the @nth Monday of @month. */
static int
nth_monday (int year, int month, int nth)
{
  GDate d;
  int   wd;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, month, year);
  wd = g_date_get_weekday (&d); /* 1 = Monday */
  return 1 + (8 - wd) % 7 + 7 * (nth - 1);
}

/* 春分日/秋分日 by the formula the National Astronomical Observatory's
 * predictions follow (valid 1900–2150). */
static int
equinox_day (int year, gboolean autumn)
{
  double base;
  double years = year - 1980;
  int    leap;

  if (year < 1980)
    {
      base = autumn ? 23.2588 : 20.8357;
      /* Truncated toward zero, as the published formula's int() does. */
      leap = (year - 1983) / 4;
    }
  else if (year < 2100)
    {
      base = autumn ? 23.2488 : 20.8431;
      leap = (year - 1980) / 4;
    }
  else
    {
      base = autumn ? 24.2488 : 21.8510;
      leap = (year - 1980) / 4;
    }
  return (int)floor (base + 0.242194 * years - leap);
}

static int
weekday (int year, int month, int day)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, day, month, year);
  return g_date_get_weekday (&d);
}

static const Holiday *
find (const Year *y, int month, int day)
{
  for (guint i = 0; i < y->n; i++)
    if (y->h[i].month == month && y->h[i].day == day)
      return &y->h[i];
  return NULL;
}

static gboolean
is_shukujitsu (const Year *y, GDate *d)
{
  const Holiday *h;

  if ((int)g_date_get_year (d) != y->year)
    return FALSE;
  h = find (y, g_date_get_month (d), g_date_get_day (d));
  return h != NULL && h->shukujitsu;
}

static void
compute_year (Year *y, int year)
{
  guint n_shuku;
  GDate d;

  memset (y, 0, sizeof *y);
  y->year = year;
  if (year < 1948 || year > 2100)
    return;

  if (year >= 1949)
    {
      add (y, 1, 1, "元日");
      add (y, 1, year < 2000 ? 15 : nth_monday (year, 1, 2), "成人の日");
      add (y, 3, equinox_day (year, FALSE), "春分の日");
      add (y, 5, 3, "憲法記念日");
      add (y, 5, 5, "こどもの日");
    }
  if (year >= 1967)
    add (y, 2, 11, "建国記念の日");

  if (year >= 1949 && year <= 1988)
    add (y, 4, 29, "天皇誕生日");
  else if (year >= 1989 && year <= 2018)
    add (y, 12, 23, "天皇誕生日");
  else if (year >= 2020)
    add (y, 2, 23, "天皇誕生日");

  if (year >= 1989 && year <= 2006)
    add (y, 4, 29, "みどりの日");
  else if (year >= 2007)
    {
      add (y, 4, 29, "昭和の日");
      add (y, 5, 4, "みどりの日");
    }

  if (year == 2020)
    add (y, 7, 23, "海の日");
  else if (year == 2021)
    add (y, 7, 22, "海の日");
  else if (year >= 2003)
    add (y, 7, nth_monday (year, 7, 3), "海の日");
  else if (year >= 1996)
    add (y, 7, 20, "海の日");

  if (year == 2020)
    add (y, 8, 10, "山の日");
  else if (year == 2021)
    add (y, 8, 8, "山の日");
  else if (year >= 2016)
    add (y, 8, 11, "山の日");

  if (year >= 2003)
    add (y, 9, nth_monday (year, 9, 3), "敬老の日");
  else if (year >= 1966)
    add (y, 9, 15, "敬老の日");

  add (y, 9, equinox_day (year, TRUE), "秋分の日");

  if (year == 2020)
    add (y, 7, 24, "スポーツの日");
  else if (year == 2021)
    add (y, 7, 23, "スポーツの日");
  else if (year >= 2020)
    add (y, 10, nth_monday (year, 10, 2), "スポーツの日");
  else if (year >= 2000)
    add (y, 10, nth_monday (year, 10, 2), "体育の日");
  else if (year >= 1966)
    add (y, 10, 10, "体育の日");

  add (y, 11, 3, "文化の日");
  add (y, 11, 23, "勤労感謝の日");

  /* One-off days set by their own laws. */
  if (year == 1959)
    add (y, 4, 10, "皇太子明仁親王の結婚の儀");
  else if (year == 1989)
    add (y, 2, 24, "昭和天皇の大喪の礼");
  else if (year == 1990)
    add (y, 11, 12, "即位礼正殿の儀");
  else if (year == 1993)
    add (y, 6, 9, "皇太子徳仁親王の結婚の儀");
  else if (year == 2019)
    {
      add (y, 5, 1, "天皇の即位の日");
      add (y, 10, 22, "即位礼正殿の儀の行われる日");
    }

  n_shuku = y->n;

  /* 振替休日 (from 1973-04-12). */
  for (guint i = 0; i < n_shuku; i++)
    {
      const Holiday h = y->h[i];

      if (weekday (year, h.month, h.day) != G_DATE_SUNDAY)
        continue;
      if (year < 1973 || (year == 1973 && (h.month < 4 || (h.month == 4 && h.day < 12))))
        continue;
      g_date_clear (&d, 1);
      g_date_set_dmy (&d, h.day, h.month, year);
      g_date_add_days (&d, 1);
      if (year >= 2007)
        while (is_shukujitsu (y, &d))
          g_date_add_days (&d, 1);
      if ((int)g_date_get_year (&d) != year || is_shukujitsu (y, &d))
        continue;
      g_assert (y->n < MAX_HOLIDAYS);
      y->h[y->n++] = (Holiday){ g_date_get_month (&d), g_date_get_day (&d), "振替休日", FALSE };
    }

  /* 国民の休日 (from 1985-12-27): a day between two 祝日. */
  if (year >= 1986)
    for (guint i = 0; i < n_shuku; i++)
      {
        GDate next;
        int   m, dd;

        g_date_clear (&d, 1);
        g_date_set_dmy (&d, y->h[i].day, y->h[i].month, year);
        g_date_add_days (&d, 1);
        next = d;
        g_date_add_days (&next, 1);
        if (!is_shukujitsu (y, &next) || is_shukujitsu (y, &d) || (int)g_date_get_year (&d) != year)
          continue;
        m = g_date_get_month (&d);
        dd = g_date_get_day (&d);
        if (find (y, m, dd) != NULL) /* already a 振替休日 */
          continue;
        if (year < 2007 && g_date_get_weekday (&d) == G_DATE_SUNDAY)
          continue;
        g_assert (y->n < MAX_HOLIDAYS);
        y->h[y->n++] = (Holiday){ m, dd, "国民の休日", FALSE };
      }
}

const char *
tsu_holiday_name (const GDate *date)
{
  Year           y;
  const Holiday *h;

  g_return_val_if_fail (date != NULL && g_date_valid (date), NULL);

  compute_year (&y, g_date_get_year (date));
  h = find (&y, g_date_get_month (date), g_date_get_day (date));
  return h ? h->name : NULL;
}

gboolean
tsu_is_holiday (const GDate *date)
{
  return tsu_holiday_name (date) != NULL;
}

void
tsu_next_open_day (
    const GDate *from, guint closed_weekdays, const GDate *closures, guint n_closures, GDate *out)
{
  GDate d;

  g_return_if_fail (from != NULL && g_date_valid (from));
  g_return_if_fail (out != NULL);

  g_date_clear (out, 1);
  d = *from;
  /* Any open weekday comes within a week of a run of holidays and closures;
   * ten years bounds a pathological closure list. */
  for (int i = 0; i < 3660; i++, g_date_add_days (&d, 1))
    {
      gboolean closed = (closed_weekdays & (1u << g_date_get_weekday (&d))) != 0;

      if (!closed && tsu_is_holiday (&d))
        closed = TRUE;
      for (guint c = 0; !closed && c < n_closures; c++)
        if (g_date_valid (&closures[c]) && g_date_compare (&closures[c], &d) == 0)
          closed = TRUE;
      if (!closed)
        {
          *out = d;
          return;
        }
    }
}
