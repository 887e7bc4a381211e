/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Dates the Japanese way: 西暦 / 和暦, parsing, ISO storage form, 年度. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_DATE_ERROR (tsu_date_error_quark ())

typedef enum
{
  TSU_DATE_ERROR_PARSE,
  TSU_DATE_ERROR_INVALID,
  TSU_DATE_ERROR_ERA_RANGE,
} TsuDateError;

GQuark tsu_date_error_quark (void);

/* GSettings key `date-style`: nicks 'seireki', 'wareki', 'both'. */
typedef enum
{
  TSU_DATE_STYLE_SEIREKI,
  TSU_DATE_STYLE_WAREKI,
  TSU_DATE_STYLE_BOTH,
} TsuDateStyle;

/**
 * tsu_date_format:
 * @date: a valid date
 * @style: the style
 *
 * Formats as "2026年4月1日（水）", "令和8年4月1日（水）" (元年 for the first year
 * of an era) or "2026年（令和8年）4月1日（水）". Eras from 明治 (1868-01-25, the
 * usual convention) : 大正 1912-07-30, 昭和 1926-12-25, 平成 1989-01-08,
 * 令和 2019-05-01. Dates before 明治 are written in 西暦 in every style.
 *
 * Returns: (transfer full): the text
 */
char *tsu_date_format (const GDate *date, TsuDateStyle style);

/* The same without the weekday (certificates, forms). */
char *tsu_date_format_plain (const GDate *date, TsuDateStyle style);

/* "2015年4月", "平成27年4月" or "2015年（平成27年）4月". */
char    *tsu_month_format (int year, int month, TsuDateStyle style);
gboolean tsu_month_parse (const char *text, int *year, int *month, GError **error);
gboolean tsu_fiscal_year_parse (const char *text, int *fiscal_year, GError **error);

/**
 * tsu_date_parse:
 * @text: what the user typed
 * @out: (out caller-allocates): the date
 * @error: return location for a #TSU_DATE_ERROR
 *
 * Parses what tsu_date_format() writes, plus 2026-04-01, 2026/4/1, 2026.4.1,
 * era abbreviations (R8.4.1, H31.4.30, r8/4/1, 令8.4.1), full-width digits,
 * 元年, an optional weekday in brackets (not checked) and surrounding spaces.
 * 西暦 years must have four digits (1000–9999).
 * An era date must fall inside its era: H31.5.1 is rejected (平成 ended on
 * 2019-04-30), as is 令和1年4月30日. Impossible dates (2月30日) are rejected.
 *
 * Returns: %TRUE on success; on failure @out is untouched
 */
gboolean tsu_date_parse (const char *text, GDate *out, GError **error);

/**
 * tsu_date_to_iso:
 * @date: a valid date
 *
 * Returns: (transfer full): "YYYY-MM-DD", the storage form
 */
char *tsu_date_to_iso (const GDate *date);

/**
 * tsu_date_from_iso:
 * @iso: (nullable): "YYYY-MM-DD"
 * @out: (out caller-allocates): the date
 *
 * Strict reader of the storage form.
 *
 * Returns: %TRUE when @iso is a valid date in that exact form
 */
gboolean tsu_date_from_iso (const char *iso, GDate *out);

/**
 * tsu_fiscal_year:
 * @date: a valid date
 *
 * Returns: the 年度 (fiscal year starting 1 April) @date belongs to
 */
int tsu_fiscal_year (const GDate *date);

/**
 * tsu_fiscal_year_range:
 * @fiscal_year: a 年度
 * @first: (out caller-allocates): 1 April of @fiscal_year
 * @last: (out caller-allocates): 31 March of @fiscal_year + 1
 */
void tsu_fiscal_year_range (int fiscal_year, GDate *first, GDate *last);

/**
 * tsu_fiscal_year_format:
 * @fiscal_year: a 年度
 * @style: the style
 *
 * Formats as "2026年度", "令和8年度" or "2026年度（令和8年度）". The era is the
 * one in force on 31 December of the year the fiscal year starts in, as
 * offices wrote it after the era changes: 2019年度 is 令和元年度, 1988年度
 * is 昭和63年度.
 *
 * Returns: (transfer full): the text
 */
char *tsu_fiscal_year_format (int fiscal_year, TsuDateStyle style);

/* Today (local), or TSUNAGU_TODAY (YYYY-MM-DD) for tests and demos. */
void tsu_date_today (GDate *out);

G_END_DECLS
