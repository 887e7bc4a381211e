/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 国民の祝日, 振替休日 and 国民の休日, computed for 1948–2100. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * tsu_holiday_name:
 * @date: a valid date
 *
 * The national holiday on @date under the law in force that year: fixed
 * days with their historical changes, Happy Monday days, 春分/秋分 by the
 * standard formula, 振替休日 (rules of 1973 and 2007), 国民の休日, the
 * 2019 enthronement days and the 2020/2021 Olympic moves, plus the one-off
 * ceremonial days (1959, 1989, 1990, 1993). Years outside 1948–2100 have no
 * holidays.
 *
 * Names: the law's names; 振替休日 and 国民の休日 for the two kinds of 休日;
 * the one-off days by their law's wording (天皇の即位の日 etc.).
 *
 * Returns: (nullable): the Japanese name (static), or NULL
 */
const char *tsu_holiday_name (const GDate *date);

/**
 * tsu_is_holiday:
 * @date: a valid date
 *
 * Returns: %TRUE when tsu_holiday_name() is not NULL
 */
gboolean tsu_is_holiday (const GDate *date);

/**
 * tsu_next_open_day:
 * @from: a valid date
 * @closed_weekdays: bit mask of closed weekdays, (1 << G_DATE_MONDAY) etc.
 * @closures: (array length=n_closures) (nullable): extra closed days
 * @n_closures: length of @closures
 * @out: (out caller-allocates): the first day on or after @from that is
 *   not a holiday, not a closed weekday and not listed in @closures
 *
 * If no open day comes within ten years (e.g. every weekday closed), @out is
 * set to an invalid (cleared) date.
 */
void tsu_next_open_day (
    const GDate *from, guint closed_weekdays, const GDate *closures, guint n_closures, GDate *out);

G_END_DECLS
