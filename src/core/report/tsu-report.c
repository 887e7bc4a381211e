/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 年度 report's figures. Every count is one SQL statement over the live
 * rows (deleted = 0) on the store's reader, run once for the period and once
 * for the same days of the year before. How each figure is counted is said
 * in the table's note, which the PDF prints under it. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-report.h"
#include "tsu-centre.h"
#include "tsu-counter.h"
#include "tsu-counter-collections.h"
#include "tsu-equipment.h"
#include "tsu-equipment-collections.h"
#include "tsu-grants-collections.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-holidays.h"
#include "tsu-matching-collections.h"
#include "tsu-store-private.h"

/* ---- tables ---- */

static void
row_free (TsuReportRow *row)
{
  g_free (row->key);
  g_free (row->label);
  g_free (row);
}

static void
table_free (TsuReportTable *t)
{
  g_free (t->id);
  g_free (t->title);
  g_free (t->label_header);
  g_free (t->note);
  g_ptr_array_unref (t->rows);
  g_hash_table_unref (t->by_key);
  g_free (t);
}

static void
section_free (TsuReportSection *s)
{
  g_free (s->id);
  g_free (s->title);
  g_ptr_array_unref (s->tables);
  g_free (s);
}

static TsuReportSection *
section_new (TsuReport *r, const char *id, const char *title)
{
  TsuReportSection *s = g_new0 (TsuReportSection, 1);

  s->id = g_strdup (id);
  s->title = g_strdup (title);
  s->tables = g_ptr_array_new_with_free_func ((GDestroyNotify)table_free);
  g_ptr_array_add (r->sections, s);
  return s;
}

static TsuReportTable *
table_new (TsuReportSection *s,
           const char       *id,
           const char       *title,
           const char       *label_header,
           TsuReportUnit     unit,
           TsuChartKind      chart,
           gboolean          people,
           gboolean          exclusive,
           const char       *note)
{
  TsuReportTable *t = g_new0 (TsuReportTable, 1);

  t->id = g_strdup (id);
  t->title = g_strdup (title);
  t->label_header = g_strdup (label_header);
  t->note = g_strdup (note);
  t->unit = unit;
  t->chart = chart;
  t->people = people;
  t->exclusive = exclusive;
  t->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)row_free);
  t->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  g_ptr_array_add (s->tables, t);
  return t;
}

static TsuReportRow *
table_add_row (TsuReportTable *t, const char *key, const char *label, TsuReportUnit unit)
{
  TsuReportRow *row = g_new0 (TsuReportRow, 1);

  row->key = g_strdup (key);
  row->label = g_strdup (label);
  row->unit = unit;
  g_ptr_array_add (t->rows, row);
  g_hash_table_insert (t->by_key, row->key, row);
  return row;
}

static TsuReportTable *
summary_new (TsuReportSection *s, const char *id, const char *title)
{
  return table_new (s, id, title, _ ("Figure"), TSU_REPORT_COUNT, TSU_CHART_NONE, FALSE, FALSE,
                    NULL);
}

/* A count of people under 3 in a breakdown could point at one person: it is
 * shown as 3未満. When the rows add up to a total shown elsewhere and only
 * one cell of a period is small, the next smallest is kept back too, so the
 * small one cannot be worked out by subtraction. */
static void
protect_small_cells (TsuReportTable *t)
{
  if (!t->people)
    return;
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    {
      guint         n_small = 0;
      TsuReportRow *next = NULL;

      for (guint i = 0; i < t->rows->len; i++)
        {
          TsuReportRow *row = g_ptr_array_index (t->rows, i);

          if (row->state[p] == TSU_CELL_SHOWN && row->value[p] > 0 && row->value[p] < 3)
            {
              row->state[p] = TSU_CELL_SMALL;
              n_small++;
            }
        }
      if (!t->exclusive || n_small != 1)
        continue;
      for (guint i = 0; i < t->rows->len; i++)
        {
          TsuReportRow *row = g_ptr_array_index (t->rows, i);

          if (row->state[p] == TSU_CELL_SHOWN && row->value[p] >= 3
              && (next == NULL || row->value[p] < next->value[p]))
            next = row;
        }
      if (next)
        next->state[p] = TSU_CELL_HIDDEN;
    }
}

/* ---- the report ---- */

static void
year_before (const GDate *d, GDate *out)
{
  int y = g_date_get_year (d) - 1;
  int m = g_date_get_month (d);
  int day = MIN (g_date_get_day (d), g_date_get_days_in_month (m, y));

  g_date_clear (out, 1);
  g_date_set_dmy (out, day, m, y);
}

/**
 * tsu_report_new:
 * @from: the first day
 * @to: the last day, in the same 年度 as @from
 *
 * Returns: (transfer full) (nullable): an empty report, or %NULL with
 *   @error when the days do not make a period of one 年度
 */
TsuReport *
tsu_report_new (const GDate *from, const GDate *to, GError **error)
{
  TsuReport *r;
  GDate      first, last;

  g_return_val_if_fail (g_date_valid (from) && g_date_valid (to), NULL);

  if (g_date_compare (from, to) > 0 || tsu_fiscal_year (from) != tsu_fiscal_year (to))
    {
      g_set_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID, "%s",
                   _ ("A report covers days of one 年度, from the first day to the last."));
      return NULL;
    }
  r = g_new0 (TsuReport, 1);
  r->from[0] = *from;
  r->to[0] = *to;
  year_before (from, &r->from[1]);
  year_before (to, &r->to[1]);
  r->fiscal_year = tsu_fiscal_year (from);
  tsu_fiscal_year_range (r->fiscal_year, &first, &last);
  r->whole_year = g_date_compare (&first, from) == 0 && g_date_compare (&last, to) == 0;
  r->sections = g_ptr_array_new_with_free_func ((GDestroyNotify)section_free);
  return r;
}

TsuReport *
tsu_report_new_fiscal_year (int fiscal_year)
{
  GDate first, last;

  tsu_fiscal_year_range (fiscal_year, &first, &last);
  return tsu_report_new (&first, &last, NULL);
}

void
tsu_report_free (TsuReport *report)
{
  if (report == NULL)
    return;
  g_ptr_array_unref (report->sections);
  g_free (report);
}

TsuReportSection *
tsu_report_get_section (const TsuReport *report, const char *id)
{
  for (guint i = 0; i < report->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (report->sections, i);

      if (g_str_equal (s->id, id))
        return s;
    }
  return NULL;
}

TsuReportTable *
tsu_report_get_table (const TsuReport *report, const char *id)
{
  for (guint i = 0; i < report->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (report->sections, i);

      for (guint j = 0; j < s->tables->len; j++)
        {
          TsuReportTable *t = g_ptr_array_index (s->tables, j);

          if (g_str_equal (t->id, id))
            return t;
        }
    }
  return NULL;
}

TsuReportRow *
tsu_report_table_get_row (const TsuReportTable *table, const char *key)
{
  return g_hash_table_lookup (table->by_key, key);
}

/* ---- SQL ---- */

/* The period's days as SQL parameters: ?1 the first day, ?2 the last, ?3
 * the day after the last (for date-times: start_at < ?3), ?4 the day before
 * the first. */
typedef struct
{
  char *from, *to, *after, *before;
} Span;

static void
span_init (Span *s, const TsuReport *r, guint p)
{
  GDate after = r->to[p], before = r->from[p];

  g_date_add_days (&after, 1);
  g_date_subtract_days (&before, 1);
  s->from = tsu_date_to_iso (&r->from[p]);
  s->to = tsu_date_to_iso (&r->to[p]);
  s->after = tsu_date_to_iso (&after);
  s->before = tsu_date_to_iso (&before);
}

static void
span_clear (Span *s)
{
  g_free (s->from);
  g_free (s->to);
  g_free (s->after);
  g_free (s->before);
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, const Span *s, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      g_debug ("report SQL: %s", sql);
      return NULL;
    }
  for (int i = 1; i <= sqlite3_bind_parameter_count (stmt); i++)
    {
      const char *name = sqlite3_bind_parameter_name (stmt, i);
      int         n = name ? atoi (name + 1) : i;
      const char *v = n == 1 ? s->from : n == 2 ? s->to : n == 3 ? s->after : s->before;

      sqlite3_bind_text (stmt, i, v, -1, SQLITE_TRANSIENT);
    }
  return stmt;
}

/* A statement returning one number. */
static gboolean
scalar (sqlite3 *db, const char *sql, const Span *s, double *out, GError **error)
{
  sqlite3_stmt *stmt = prepare (db, sql, s, error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  *out = rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL
             ? sqlite3_column_double (stmt, 0)
             : NAN;
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      return FALSE;
    }
  return TRUE;
}

typedef const char *(*LabelFunc) (const char *key);

/* A statement returning (key, number) rows into @t's column @p. Keys the
 * table has no row for get one, labelled by @label_of or by the key itself
 * ("" is 未記入). */
static gboolean
grouped (sqlite3        *db,
         const char     *sql,
         const Span     *s,
         TsuReportTable *t,
         guint           p,
         LabelFunc       label_of,
         GError        **error)
{
  sqlite3_stmt *stmt = prepare (db, sql, s, error);
  int           rc;

  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char   *key = (const char *)sqlite3_column_text (stmt, 0);
      TsuReportRow *row = tsu_report_table_get_row (t, key ? key : "");

      if (row == NULL)
        {
          const char *label = label_of ? label_of (key ? key : "") : NULL;

          if (label == NULL)
            label = key && *key ? key : _ ("Not given");
          row = table_add_row (t, key ? key : "", label, t->unit);
        }
      row->value[p] += sqlite3_column_double (stmt, 1);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      return FALSE;
    }
  return TRUE;
}

static gboolean
summary_row (sqlite3        *db,
             TsuReportTable *t,
             const char     *key,
             const char     *label,
             TsuReportUnit   unit,
             const char     *sql,
             const Span     *spans,
             GError        **error)
{
  TsuReportRow *row = table_add_row (t, key, label, unit);

  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    {
      if (!scalar (db, sql, &spans[p], &row->value[p], error))
        return FALSE;
      if (isnan (row->value[p]))
        {
          if (unit == TSU_REPORT_COUNT || unit == TSU_REPORT_YEN)
            row->value[p] = 0;
          else
            row->state[p] = TSU_CELL_NONE;
        }
    }
  return TRUE;
}

/* Rows for each choice, named as the centre's files name them (電話, not
 * the form's 電話番号) when the choice has such a name. */
static const char *
choice_text (const TsuChoice *choice)
{
  return choice->name ? choice->name : g_dgettext (GETTEXT_PACKAGE, choice->label);
}

static void
add_choice_rows (TsuReportTable *t, const TsuChoice *choices)
{
  for (guint i = 0; choices[i].code; i++)
    table_add_row (t, choices[i].code, choice_text (&choices[i]), t->unit);
}

static void
add_month_rows (TsuReportTable *t, const TsuReport *r)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_dmy (&d, 1, g_date_get_month (&r->from[0]), g_date_get_year (&r->from[0]));
  while (g_date_compare (&d, &r->to[0]) <= 0)
    {
      g_autofree char *key = g_strdup_printf ("%02d", g_date_get_month (&d));
      g_autofree char *label = g_strdup_printf (_ ("Month %d"), g_date_get_month (&d));

      table_add_row (t, key, label, t->unit);
      g_date_add_months (&d, 1);
    }
}

/* Rows with nothing in either period are left out of open-ended lists
 * (districts, resources), kept in fixed ones (fields, months). */
static void
drop_empty_rows (TsuReportTable *t)
{
  for (guint i = t->rows->len; i-- > 0;)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i);

      if (row->value[0] == 0 && row->value[1] == 0)
        {
          g_hash_table_remove (t->by_key, row->key);
          g_ptr_array_remove_index (t->rows, i);
        }
    }
}

typedef struct
{
  TsuReport        *report;
  TsuReportSection *section;
  Span              spans[TSU_REPORT_N_PERIODS];
  gpointer          extra;
} Ctx;

static gboolean
run_section (TsuReport       *r,
             TsuStore        *store,
             const char      *id,
             const char      *title,
             TsuStoreReadFunc func,
             gpointer         extra,
             GError         **error)
{
  Ctx      c = { r, NULL, { { 0 } }, extra };
  gboolean ok;
  gint64   t0 = g_get_monotonic_time ();

  c.section = section_new (r, id, title);
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    span_init (&c.spans[p], r, p);
  ok = tsu_store_read (store, func, &c, error);
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    span_clear (&c.spans[p]);
  if (!ok)
    {
      g_ptr_array_remove (r->sections, c.section);
      return FALSE;
    }
  for (guint i = 0; i < c.section->tables->len; i++)
    protect_small_cells (g_ptr_array_index (c.section->tables, i));
  g_debug ("report: %s in %.1f ms", id, (g_get_monotonic_time () - t0) / 1e3);
  return TRUE;
}

/* Runs @fmt (a printf format with one %s: a condition) per period with the
 * period's own condition, into @t's column. */
static gboolean
grouped_each (sqlite3        *db,
              Ctx            *c,
              TsuReportTable *t,
              const char     *fmt,
              char          **conditions,
              LabelFunc       label_of,
              GError        **error)
{
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    {
      g_autofree char *sql = g_strdup_printf (fmt, conditions[p]);

      if (!grouped (db, sql, &c->spans[p], t, p, label_of, error))
        return FALSE;
    }
  return TRUE;
}

/* Several summary rows from one statement per period (one pass over the
 * table): column i of @sql[p] is row i's figure. */
static gboolean
summary_columns (sqlite3           *db,
                 Ctx               *c,
                 TsuReportTable    *t,
                 const char *const *keys,
                 const char *const *labels,
                 guint              n,
                 char             **sql,
                 GError           **error)
{
  TsuReportRow *rows[8];

  g_assert (n <= G_N_ELEMENTS (rows));
  for (guint i = 0; i < n; i++)
    rows[i] = table_add_row (t, keys[i], labels[i], TSU_REPORT_COUNT);
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    {
      sqlite3_stmt *stmt = prepare (db, sql[p], &c->spans[p], error);
      int           rc;

      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      for (guint i = 0; i < n && rc == SQLITE_ROW; i++)
        rows[i]->value[p] = sqlite3_column_double (stmt, i);
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        {
          tsu_store_set_sqlite_error (error, db, "report");
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- groups ---- */

static const char *
legal_form_label (const char *key)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (&tsu_group_collection, "legal_form");

  return *key ? tsu_field_choice_label (f, key) : NULL;
}

static gboolean
groups_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReport      *r = c->report;
  TsuReportTable *t;
  char           *registered[2] = { NULL, NULL };
  char           *lapsed[2] = { NULL, NULL };
  gboolean        ok = FALSE;
  static const struct
  {
    const char *key, *label;
  } sizes[] = {
    { "0", N_ ("Fewer than 5 members") },
    { "5", N_ ("5–9 members") },
    { "10", N_ ("10–19 members") },
    { "20", N_ ("20–49 members") },
    { "50", N_ ("50–99 members") },
    { "100", N_ ("100 members or more") },
    { "", N_ ("Not given") },
  };

  for (guint p = 0; p < 2; p++)
    {
      GDate            before = r->from[p];
      g_autofree char *at_end = tsu_group_status_sql (&r->to[p], TSU_GROUP_DEFAULT_RENEWAL_DAYS);
      g_autofree char *at_start = NULL;

      g_date_subtract_days (&before, 1);
      at_start = tsu_group_status_sql (&before, TSU_GROUP_DEFAULT_RENEWAL_DAYS);
      registered[p] = g_strdup_printf ("deleted = 0 AND %s IN (%d, %d)", at_end,
                                       TSU_GROUP_STATUS_REGISTERED, TSU_GROUP_STATUS_RENEWAL_DUE);
      lapsed[p] = g_strdup_printf (
          "SELECT coalesce(sum(%1$s IN (%3$d, %4$d)), 0),"
          " coalesce(sum(registered_on BETWEEN ?1 AND ?2), 0),"
          " coalesce(sum(%2$s IN (%3$d, %4$d) AND %1$s = %5$d), 0),"
          " coalesce(sum(withdrawn_on BETWEEN ?1 AND ?2), 0) FROM groups WHERE deleted = 0",
          at_end, at_start, TSU_GROUP_STATUS_REGISTERED, TSU_GROUP_STATUS_RENEWAL_DUE,
          TSU_GROUP_STATUS_LAPSED);
    }

  t = summary_new (c->section, "groups-summary", _ ("Member groups"));
  t->note = g_strdup (
      _ ("Registered: 登録 or 更新待ち on the last day. New: registered during the period. "
         "Lapsed: registered the day before the period and 失効 on its last day. Withdrawn: "
         "withdrawal dated in the period."));
  /* one pass over the groups (on the report's covering index) per period */
  if (!summary_columns (db, c, t,
                        (const char *const[]){ "registered", "new", "lapsed", "withdrawn" },
                        (const char *const[]){ _ ("Registered groups"), _ ("Newly registered"),
                                               _ ("Lapsed"), _ ("Withdrawn") },
                        4, lapsed, error))
    goto out;

  t = table_new (c->section, "groups-by-field", _ ("Registered groups by activity field"),
                 _ ("Activity field"), TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, FALSE,
                 _ ("A group with several fields counts under each."));
  add_choice_rows (t, tsu_activity_fields);
  if (!grouped_each (db, c, t,
                     "SELECT j.value, count(*) FROM groups, json_each(groups.fields) j"
                     " WHERE %s AND json_valid(groups.fields) GROUP BY j.value",
                     registered, NULL, error))
    goto out;

  t = table_new (c->section, "groups-by-legal-form", _ ("Registered groups by legal form"),
                 _ ("Legal form"), TSU_REPORT_COUNT, TSU_CHART_PIE, FALSE, TRUE, NULL);
  add_choice_rows (t, tsu_collection_lookup_field (&tsu_group_collection, "legal_form")->choices);
  if (!grouped_each (db, c, t,
                     "SELECT coalesce(legal_form, ''), count(*) FROM groups WHERE %s GROUP BY 1",
                     registered, legal_form_label, error))
    goto out;
  drop_empty_rows (t);

  t = table_new (c->section, "groups-by-size", _ ("Registered groups by size"), _ ("Members"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    table_add_row (t, sizes[i].key, _ (sizes[i].label), t->unit);
  ok = grouped_each (db, c, t,
                     "SELECT CASE WHEN members_total IS NULL THEN ''"
                     " WHEN members_total < 5 THEN '0' WHEN members_total < 10 THEN '5'"
                     " WHEN members_total < 20 THEN '10' WHEN members_total < 50 THEN '20'"
                     " WHEN members_total < 100 THEN '50' ELSE '100' END, count(*)"
                     " FROM groups WHERE %s GROUP BY 1",
                     registered, NULL, error);
out:
  for (guint p = 0; p < 2; p++)
    {
      g_free (registered[p]);
      g_free (lapsed[p]);
    }
  return ok;
}

/**
 * tsu_report_add_groups:
 *
 * 登録団体: registered (登録 or 更新待ち on the last day, by
 * tsu_group_status_sql()), new, lapsed, withdrawn; registered groups by
 * activity field, legal form and size. Groups have no 校区 of their own
 * (volunteers do). Counts of groups are not people: no small cells.
 */
gboolean
tsu_report_add_groups (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "groups", _ ("Member groups"), groups_read, NULL, error);
}

/* ---- volunteers ---- */

static const char *
age_label (const char *key)
{
  static const struct
  {
    const char *key, *label;
  } bands[] = {
    { "10", N_ ("Teens") }, { "20", N_ ("20s") },         { "30", N_ ("30s") },
    { "40", N_ ("40s") },   { "50", N_ ("50s") },         { "60", N_ ("60s") },
    { "70", N_ ("70s") },   { "80", N_ ("80 and over") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    if (g_str_equal (bands[i].key, key))
      return _ (bands[i].label);
  return NULL;
}

static gboolean
volunteers_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReportTable *t;
  char           *registered[2];
  char           *registered_cond[2];
  const char     *fmt = "(volunteers.registered_on <= '%s'"
                        " AND (volunteers.expires_on IS NULL OR volunteers.expires_on >= '%s')"
                        " AND coalesce(volunteers.status, '') != 'withdrawn')";
  gboolean        ok = FALSE;

  for (guint p = 0; p < 2; p++)
    {
      registered_cond[p] = g_strdup_printf (fmt, c->spans[p].to, c->spans[p].to);
      registered[p] = g_strdup_printf ("volunteers.deleted = 0 AND %s", registered_cond[p]);
    }

  t = summary_new (c->section, "volunteers-summary", _ ("Volunteers"));
  t->note = g_strdup (
      _ ("Registered: registered by the last day and not expired then, not withdrawn. Matched: "
         "people with a match confirmed or done in the period. Activities done: matches marked "
         "done in the period."));
  {
    char *sql[2];

    for (guint p = 0; p < 2; p++)
      sql[p] = g_strdup_printf ("SELECT coalesce(sum(%s), 0),"
                                " coalesce(sum(registered_on BETWEEN ?1 AND ?2), 0)"
                                " FROM volunteers WHERE deleted = 0",
                                registered_cond[p]);
    ok = summary_columns (
        db, c, t, (const char *const[]){ "registered", "new" },
        (const char *const[]){ _ ("Registered volunteers"), _ ("Newly registered") }, 2, sql,
        error);
    g_free (sql[0]);
    g_free (sql[1]);
    if (!ok)
      goto out;
    ok = FALSE;
  }
  if (!summary_row (db, t, "matched", _ ("People matched"), TSU_REPORT_COUNT,
                    "SELECT count(DISTINCT volunteer_id) FROM matches WHERE deleted = 0"
                    " AND state IN ('confirmed', 'completed') AND state_on BETWEEN ?1 AND ?2",
                    c->spans, error)
      || !summary_row (db, t, "completed", _ ("Activities done"), TSU_REPORT_COUNT,
                       "SELECT count(*) FROM matches WHERE deleted = 0 AND state = 'completed'"
                       " AND state_on BETWEEN ?1 AND ?2",
                       c->spans, error))
    goto out;

  t = table_new (c->section, "volunteers-by-field", _ ("Registered volunteers by activity field"),
                 _ ("Activity field"), TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, FALSE,
                 _ ("A person with several fields counts under each."));
  add_choice_rows (t, tsu_activity_fields);
  /* fields_mask (bit n-1 for field n, kept by the collection's derive):
   * twenty sums in one pass instead of parsing every list */
  for (guint p = 0; p < 2; p++)
    {
      GString      *sql = g_string_new ("SELECT ");
      sqlite3_stmt *stmt;
      int           rc;

      for (guint k = 0; k < 20; k++)
        g_string_append_printf (sql, "%scoalesce(sum((fields_mask >> %u) & 1), 0)", k ? ", " : "",
                                k);
      g_string_append_printf (sql, " FROM volunteers WHERE %s", registered[p]);
      stmt = prepare (db, sql->str, &c->spans[p], error);
      g_string_free (sql, TRUE);
      if (stmt == NULL)
        goto out;
      rc = sqlite3_step (stmt);
      for (guint k = 0; k < 20 && rc == SQLITE_ROW; k++)
        {
          g_autofree char *key = g_strdup_printf ("%u", k + 1);
          tsu_report_table_get_row (t, key)->value[p] = sqlite3_column_double (stmt, k);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_ROW)
        {
          tsu_store_set_sqlite_error (error, db, "report");
          goto out;
        }
    }

  t = table_new (c->section, "volunteers-by-age", _ ("Registered volunteers by age"), _ ("Age"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, TRUE,
                 _ ("Age on the last day from the date of birth, else the age group given."));
  for (guint i = 10; i <= 80; i += 10)
    {
      g_autofree char *key = g_strdup_printf ("%u", i);
      table_add_row (t, key, age_label (key), t->unit);
    }
  table_add_row (t, "", _ ("Not given"), t->unit);
  for (guint p = 0; p < 2; p++)
    {
      const char      *d = c->spans[p].to;
      g_autofree char *sql = g_strdup_printf (
          "SELECT CASE WHEN length(birth_date) = 10 THEN CAST(min(80, max(10,"
          " ((CAST(substr('%s', 1, 4) AS INTEGER) - CAST(substr(birth_date, 1, 4) AS INTEGER)"
          " - (substr('%s', 6, 5) < substr(birth_date, 6, 5))) / 10) * 10)) AS TEXT)"
          " ELSE coalesce(age_band, '') END, count(*) FROM volunteers WHERE %s GROUP BY 1",
          d, d, registered[p]);

      if (!grouped (db, sql, &c->spans[p], t, p, age_label, error))
        goto out;
    }

  t = table_new (c->section, "volunteers-by-district",
                 _ ("Registered volunteers by school district"), _ ("School district"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, TRUE, NULL);
  if (!grouped_each (db, c, t,
                     "SELECT coalesce(school_district, ''), count(*) FROM volunteers WHERE %s"
                     " GROUP BY 1 ORDER BY 1",
                     registered, NULL, error))
    goto out;
  drop_empty_rows (t);
  ok = TRUE;
out:
  for (guint p = 0; p < 2; p++)
    {
      g_free (registered[p]);
      g_free (registered_cond[p]);
    }
  return ok;
}

/**
 * tsu_report_add_volunteers:
 *
 * ボランティア: registered on the last day, new, people matched (a match
 * confirmed or done with its date in the period), activities done; by
 * field, age and 校区 (people: small cells).
 */
gboolean
tsu_report_add_volunteers (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "volunteers", _ ("Volunteers"), volunteers_read, NULL, error);
}

/* ---- requests ---- */

/* A request is received on the day it was entered (Japan's day). */
#define RECEIVED "date(requests.created_at, '+9 hours')"
#define CONFIRMED                                                                                  \
  "(SELECT count(*) FROM matches m WHERE m.request_id = requests.id AND m.deleted = 0"             \
  " AND m.state IN ('confirmed', 'completed'))"
#define FILLED CONFIRMED " >= coalesce(requests.people_needed, 1)"
#define RECEIVED_IN "requests.deleted = 0 AND " RECEIVED " BETWEEN ?1 AND ?2"

static gboolean
requests_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReportTable *t;
  TsuReportRow   *received, *filled, *cancelled, *rate;

  t = summary_new (c->section, "requests-summary", _ ("Requests for volunteers"));
  t->note = g_strdup (
      _ ("Received: requests entered in the period. Filled: of those, requests with as many "
         "people confirmed or done as they asked for. Fill rate: filled of those not cancelled. "
         "Days to fill: from entry to the day the request became 充足, on average."));
  if (!summary_row (db, t, "received", _ ("Requests received"), TSU_REPORT_COUNT,
                    "SELECT count(*) FROM requests WHERE " RECEIVED_IN, c->spans, error)
      || !summary_row (db, t, "filled", _ ("Requests filled"), TSU_REPORT_COUNT,
                       "SELECT count(*) FROM requests WHERE " RECEIVED_IN " AND " FILLED, c->spans,
                       error)
      || !summary_row (db, t, "cancelled", _ ("Cancelled"), TSU_REPORT_COUNT,
                       "SELECT count(*) FROM requests WHERE " RECEIVED_IN
                       " AND requests.status = 'cancelled' AND NOT (" FILLED ")",
                       c->spans, error))
    return FALSE;
  received = tsu_report_table_get_row (t, "received");
  filled = tsu_report_table_get_row (t, "filled");
  cancelled = tsu_report_table_get_row (t, "cancelled");
  rate = table_add_row (t, "fill-rate", _ ("Fill rate"), TSU_REPORT_PERCENT);
  for (guint p = 0; p < 2; p++)
    {
      double base = received->value[p] - cancelled->value[p];

      if (base > 0)
        rate->value[p] = 100.0 * filled->value[p] / base;
      else
        rate->state[p] = TSU_CELL_NONE;
    }
  if (!summary_row (db, t, "days-to-fill", _ ("Days to fill (average)"), TSU_REPORT_DAYS,
                    "SELECT avg(julianday(f) - julianday(requests.created_at)) FROM ("
                    " SELECT requests.created_at, (SELECT min(h.at) FROM history h"
                    " WHERE h.collection = 'requests' AND h.record_id = requests.id"
                    " AND json_extract(h.changes, '$.status.new') = 'filled') AS f"
                    " FROM requests WHERE " RECEIVED_IN " AND " FILLED ") requests"
                    " WHERE f IS NOT NULL",
                    c->spans, error))
    return FALSE;

  t = table_new (c->section, "requests-by-field", _ ("Requests received by activity field"),
                 _ ("Activity field"), TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, FALSE,
                 _ ("A request with several fields counts under each."));
  add_choice_rows (t, tsu_activity_fields);
  for (guint p = 0; p < 2; p++)
    if (!grouped (db,
                  "SELECT j.value, count(*) FROM requests, json_each(requests.fields) j"
                  " WHERE " RECEIVED_IN " AND json_valid(requests.fields) GROUP BY j.value",
                  &c->spans[p], t, p, NULL, error))
      return FALSE;
  return TRUE;
}

/**
 * tsu_report_add_requests:
 *
 * 活動依頼: received (entered in the period), filled (as many people
 * confirmed or done as asked for), fill rate (of those not cancelled), days
 * from entry to the history entry that made the request 充足; by field.
 */
gboolean
tsu_report_add_requests (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "requests", _ ("Requests for volunteers"), requests_read, NULL,
                      error);
}

/* ---- bookings ---- */

#define BOOKING_END                                                                                \
  "(CASE WHEN b.state = 'returned' AND b.returned_at IS NOT NULL AND b.returned_at < b.due_at"     \
  " THEN b.returned_at ELSE b.due_at END)"

typedef struct
{
  /* Hours a room can be booked, per month key, per period. */
  GHashTable *open_hours[2];
} BookingExtra;

static const char *
kind_label (const char *key)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (&tsu_resource_collection, "kind");

  return *key ? tsu_field_choice_label (f, key) : NULL;
}

typedef struct
{
  char *name;
  char *kind;
  char *category;
} Resource;

static void
resource_free (Resource *res)
{
  g_free (res->name);
  g_free (res->kind);
  g_free (res->category);
  g_free (res);
}

/* One pass over the period's bookings per period (the report index covers
 * every column it reads), summed per resource and month; the tables are
 * made from those sums. */
static gboolean
bookings_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx          *c = data;
  BookingExtra *x = c->extra;
  g_autoptr (GHashTable) resources
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)resource_free);
  TsuReportTable *summary, *by_resource, *days, *category, *occupancy;
  sqlite3_stmt   *stmt = NULL;
  int             rc;

  summary = summary_new (c->section, "bookings-summary", _ ("Equipment and rooms"));
  summary->note = g_strdup (
      _ ("Bookings starting in the period, not cancelled. Days lent: calendar days from the "
         "start to the return (or the due day), items only."));
  table_add_row (summary, "bookings", _ ("Bookings"), TSU_REPORT_COUNT);
  table_add_row (summary, "items", _ ("Loans of items"), TSU_REPORT_COUNT);
  table_add_row (summary, "rooms", _ ("Room bookings"), TSU_REPORT_COUNT);
  table_add_row (summary, "days", _ ("Days lent"), TSU_REPORT_COUNT);
  table_add_row (summary, "groups", _ ("Groups that booked"), TSU_REPORT_COUNT);
  by_resource = table_new (c->section, "bookings-by-resource", _ ("Bookings by item or room"),
                           _ ("Item or room"), TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE, NULL);
  days = table_new (c->section, "days-lent-by-item", _ ("Days lent by item"), _ ("Item"),
                    TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE, NULL);
  category = table_new (c->section, "bookings-by-category", _ ("Bookings by category"),
                        _ ("Category"), TSU_REPORT_COUNT, TSU_CHART_PIE, FALSE, TRUE,
                        _ ("The category given to the item or room; rooms without one count "
                           "as rooms."));
  occupancy = table_new (c->section, "room-occupancy", _ ("Room occupancy by month"), _ ("Month"),
                         TSU_REPORT_PERCENT, TSU_CHART_LINE, FALSE, FALSE,
                         _ ("Hours booked of the hours the rooms are open (open days only)."));
  add_month_rows (occupancy, c->report);

  /* Every resource that exists, rooms last, in 五十音順, even unused ones. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT id, name, kind, nullif(category, '') FROM resources"
                          " WHERE deleted = 0 ORDER BY kind, sort_key, rowid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      Resource   *res = g_new0 (Resource, 1);
      const char *id = (const char *)sqlite3_column_text (stmt, 0);

      res->name = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
      res->kind = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
      res->category = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
      g_hash_table_insert (resources, g_strdup (id), res);
      table_add_row (by_resource, id, res->name ? res->name : "", by_resource->unit);
      if (g_strcmp0 (res->kind, "item") == 0)
        table_add_row (days, id, res->name ? res->name : "", days->unit);
    }
  sqlite3_finalize (stmt);

  for (guint p = 0; p < 2; p++)
    {
      g_autoptr (GHashTable) groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      /* One pass over the period's bookings on the covering index, summed
       * here: a GROUP BY would sort every row, and a hash of the resources
       * and months costs nothing. jS and jE are the Julian days of the
       * start and of the end (the return when back early, else the due
       * time); calendar days lent are whole days between their dates. */
      stmt = prepare (db,
                      "SELECT resource_id, substr(start_at, 6, 2), group_id,"
                      " CAST(jE - 0.5 AS INTEGER) - CAST(jS - 0.5 AS INTEGER) + 1,"
                      " (jE - jS) * 24 FROM (SELECT b.resource_id, b.start_at, b.group_id,"
                      " julianday(b.start_at) AS jS, julianday(" BOOKING_END ") AS jE"
                      " FROM bookings b INDEXED BY bookings_report WHERE b.deleted = 0"
                      " AND b.start_at >= ?1 AND b.start_at < ?3 AND b.state != 'cancelled')",
                      &c->spans[p], error);
      if (stmt == NULL)
        return FALSE;
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          const char   *id = (const char *)sqlite3_column_text (stmt, 0);
          const char   *month = (const char *)sqlite3_column_text (stmt, 1);
          const char   *group = (const char *)sqlite3_column_text (stmt, 2);
          Resource     *res = id ? g_hash_table_lookup (resources, id) : NULL;
          gboolean      room;
          const char   *cat;
          TsuReportRow *row;

          if (res == NULL)
            continue; /* a booking of a removed resource */
          if (group && !g_hash_table_contains (groups, group))
            g_hash_table_add (groups, g_strdup (group));
          room = g_strcmp0 (res->kind, "room") == 0;
          tsu_report_table_get_row (summary, "bookings")->value[p]++;
          tsu_report_table_get_row (summary, room ? "rooms" : "items")->value[p]++;
          tsu_report_table_get_row (by_resource, id)->value[p]++;
          if (!room)
            {
              double d = sqlite3_column_double (stmt, 3);

              tsu_report_table_get_row (summary, "days")->value[p] += d;
              if ((row = tsu_report_table_get_row (days, id)))
                row->value[p] += d;
            }
          else if (month && (row = tsu_report_table_get_row (occupancy, month)))
            row->value[p] += sqlite3_column_double (stmt, 4);
          cat = res->category ? res->category : res->kind ? res->kind : "";
          if ((row = tsu_report_table_get_row (category, cat)) == NULL)
            row = table_add_row (category, cat, res->category ? res->category : kind_label (cat),
                                 category->unit);
          row->value[p]++;
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, db, "report");
          return FALSE;
        }
      tsu_report_table_get_row (summary, "groups")->value[p] = g_hash_table_size (groups);
      for (guint i = 0; i < occupancy->rows->len; i++)
        {
          TsuReportRow *row = g_ptr_array_index (occupancy->rows, i);
          double       *open = g_hash_table_lookup (x->open_hours[p], row->key);

          if (open && *open > 0)
            row->value[p] = 100.0 * row->value[p] / *open;
          else
            row->state[p] = TSU_CELL_NONE;
        }
    }
  return TRUE;
}

static int
minutes_of (const char *hhmm, int fallback)
{
  int h, m;

  if (hhmm && sscanf (hhmm, "%d:%d", &h, &m) == 2 && h >= 0 && h <= 24 && m >= 0 && m < 60)
    return h * 60 + m;
  return fallback;
}

/* Open hours of every room, per month, from the rooms' own hours (else the
 * centre's) and the days the centre is open. */
static gboolean
count_open_hours (TsuReport *r, TsuStore *store, BookingExtra *x, GError **error)
{
  g_autofree char *open = tsu_centre_get_string (store, TSU_CENTRE_ROOM_OPEN, "09:00");
  g_autofree char *close = tsu_centre_get_string (store, TSU_CENTRE_ROOM_CLOSE, "21:00");
  g_autoptr (GPtrArray) rooms
      = tsu_store_find (store, "resources", "kind = 'room' AND coalesce(status, '') != 'disposed'",
                        NULL, NULL, 0, error);
  g_autoptr (GArray) closures = NULL;
  double day_hours = 0;
  guint  weekdays;

  if (rooms == NULL)
    return FALSE;
  for (guint i = 0; i < rooms->len; i++)
    {
      JsonObject *room = g_ptr_array_index (rooms, i);
      int a = minutes_of (tsu_record_get_string (room, "open_time"), minutes_of (open, 540));
      int b = minutes_of (tsu_record_get_string (room, "close_time"), minutes_of (close, 1260));

      if (b > a)
        day_hours += (b - a) / 60.0;
    }
  tsu_centre_closed_days (store, &weekdays, &closures);
  for (guint p = 0; p < 2; p++)
    {
      GDate d = r->from[p];

      x->open_hours[p] = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      for (; g_date_compare (&d, &r->to[p]) <= 0; g_date_add_days (&d, 1))
        {
          GDate   next;
          char   *key;
          double *h;

          tsu_next_open_day (&d, weekdays, (const GDate *)closures->data, closures->len, &next);
          if (!g_date_valid (&next) || g_date_compare (&next, &d) != 0)
            continue;
          key = g_strdup_printf ("%02d", g_date_get_month (&d));
          h = g_hash_table_lookup (x->open_hours[p], key);
          if (h == NULL)
            {
              h = g_new0 (double, 1);
              g_hash_table_insert (x->open_hours[p], key, h);
            }
          else
            g_free (key);
          *h += day_hours;
        }
    }
  return TRUE;
}

/**
 * tsu_report_add_bookings:
 *
 * 物品貸出・会場: bookings starting in the period (not cancelled), by item
 * or room and by category, days lent (items), and room occupancy by month:
 * hours booked of the hours the rooms are open on the centre's open days.
 */
gboolean
tsu_report_add_bookings (TsuReport *report, TsuStore *store, GError **error)
{
  BookingExtra x = { { NULL, NULL } };
  gboolean     ok;

  ok = count_open_hours (report, store, &x, error)
       && run_section (report, store, "bookings", _ ("Equipment and rooms"), bookings_read, &x,
                       error);
  for (guint p = 0; p < 2; p++)
    g_clear_pointer (&x.open_hours[p], g_hash_table_unref);
  return ok;
}

/* ---- grants ---- */

/* A programme belongs to the period of its deadline; one without (随時) to
 * the day it opens, else to the start of its 対象年度. */
#define PROGRAMME_DAY                                                                              \
  "coalesce(p.deadline_on, p.opens_on, CASE WHEN p.fiscal_year IS NOT NULL"                        \
  " THEN printf('%d-04-01', p.fiscal_year) END)"
#define PROGRAMMES_IN                                                                              \
  " FROM programmes p WHERE p.deleted = 0 AND " PROGRAMME_DAY " BETWEEN ?1 AND ?2"
#define APPLICATIONS_IN                                                                            \
  " FROM applications a JOIN programmes p ON p.id = a.programme_id WHERE a.deleted = 0"            \
  " AND p.deleted = 0 AND " PROGRAMME_DAY " BETWEEN ?1 AND ?2"
#define APPLIED " AND a.state IN ('applied', 'awarded', 'rejected')"

static gboolean
grants_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReportTable *t;

  t = summary_new (c->section, "grants-summary", _ ("Grants"));
  t->note = g_strdup (
      _ ("Programmes with their deadline in the period (随時: the day they open, else the "
         "start of their 年度). Told: programmes passed on to at least one group. Applied: "
         "applications made (awarded or not)."));
  if (!summary_row (db, t, "programmes", _ ("Programmes"), TSU_REPORT_COUNT,
                    "SELECT count(*)" PROGRAMMES_IN, c->spans, error)
      || !summary_row (db, t, "told", _ ("Programmes told to groups"), TSU_REPORT_COUNT,
                       "SELECT count(DISTINCT a.programme_id)" APPLICATIONS_IN, c->spans, error)
      || !summary_row (db, t, "groups", _ ("Groups told"), TSU_REPORT_COUNT,
                       "SELECT count(DISTINCT a.group_id)" APPLICATIONS_IN, c->spans, error)
      || !summary_row (db, t, "applied", _ ("Applications"), TSU_REPORT_COUNT,
                       "SELECT count(*)" APPLICATIONS_IN APPLIED, c->spans, error)
      || !summary_row (db, t, "awarded", _ ("Awarded"), TSU_REPORT_COUNT,
                       "SELECT count(*)" APPLICATIONS_IN " AND a.state = 'awarded'", c->spans,
                       error)
      || !summary_row (db, t, "amount-applied", _ ("Amount applied for"), TSU_REPORT_YEN,
                       "SELECT sum(a.amount_applied)" APPLICATIONS_IN APPLIED, c->spans, error)
      || !summary_row (db, t, "amount-awarded", _ ("Amount awarded"), TSU_REPORT_YEN,
                       "SELECT sum(a.amount_awarded)" APPLICATIONS_IN " AND a.state = 'awarded'",
                       c->spans, error))
    return FALSE;

  t = table_new (c->section, "grants-by-stage", _ ("Groups by stage of application"), _ ("Stage"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE,
                 _ ("Where each group told of a programme of the period stands now."));
  add_choice_rows (t, tsu_application_states);
  for (guint p = 0; p < 2; p++)
    if (!grouped (db, "SELECT a.state, count(*)" APPLICATIONS_IN " GROUP BY a.state", &c->spans[p],
                  t, p, NULL, error))
      return FALSE;

  t = table_new (c->section, "grants-awarded-by-kind", _ ("Amount awarded by kind of programme"),
                 _ ("Kind"), TSU_REPORT_YEN, TSU_CHART_BAR, FALSE, TRUE, NULL);
  add_choice_rows (t, tsu_programme_kinds);
  for (guint p = 0; p < 2; p++)
    if (!grouped (
            db,
            "SELECT coalesce(p.kind, 'other'), sum(coalesce(a.amount_awarded, 0))" APPLICATIONS_IN
            " AND a.state = 'awarded' GROUP BY 1",
            &c->spans[p], t, p, NULL, error))
      return FALSE;
  return TRUE;
}

/**
 * tsu_report_add_grants:
 *
 * 助成金: programmes of the period (by deadline), programmes told, groups
 * told, applications, awards and amounts; groups by stage; amount awarded
 * by kind of programme.
 */
gboolean
tsu_report_add_grants (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "grants", _ ("Grants"), grants_read, NULL, error);
}

/* ---- consultations (tsu_consultation_stats) ---- */

static const char *
topic_label (const char *key)
{
  for (guint i = 0; tsu_consultation_topics[i].code; i++)
    if (g_str_equal (tsu_consultation_topics[i].code, key))
      return choice_text (&tsu_consultation_topics[i]);
  return NULL;
}

static void
counts_into (
    TsuReportTable *t, JsonObject *counts, guint p, gboolean month_keys, LabelFunc label_of)
{
  g_autoptr (GList) keys = counts ? json_object_get_members (counts) : NULL;

  for (GList *l = keys; l; l = l->next)
    {
      const char   *key = l->data;
      const char   *k = month_keys && strlen (key) == 7 ? key + 5 : key;
      TsuReportRow *row = tsu_report_table_get_row (t, k);

      if (row == NULL)
        {
          const char *label = label_of ? label_of (k) : NULL;
          row = table_add_row (t, k, label ? label : *k ? k : _ ("Not given"), t->unit);
        }
      row->value[p] += json_object_get_int_member (counts, key);
    }
}

/**
 * tsu_report_add_consultations:
 *
 * 相談: the figures of tsu_consultation_stats() for both periods: total,
 * hours, by topic, channel and month (people: small cells).
 */
gboolean
tsu_report_add_consultations (TsuReport *r, TsuStore *store, GError **error)
{
  g_autoptr (JsonObject) now = NULL;
  g_autoptr (JsonObject) before = NULL;
  JsonObject       *stats[2];
  TsuReportSection *s;
  TsuReportTable   *t;
  TsuReportRow     *total, *hours;

  now = tsu_consultation_stats (store, &r->from[0], &r->to[0], error);
  if (now == NULL)
    return FALSE;
  before = tsu_consultation_stats (store, &r->from[1], &r->to[1], error);
  if (before == NULL)
    return FALSE;
  stats[0] = now;
  stats[1] = before;

  s = section_new (r, "consultations", _ ("Consultations"));
  t = summary_new (s, "consultations-summary", _ ("Consultations"));
  t->note = g_strdup (_ ("Consultations logged at the counter, by phone, mail, visit or online."));
  total = table_add_row (t, "total", _ ("Number of consultations"), TSU_REPORT_COUNT);
  hours = table_add_row (t, "hours", _ ("Hours spent"), TSU_REPORT_HOURS);
  for (guint p = 0; p < 2; p++)
    {
      total->value[p] = json_object_get_int_member_with_default (stats[p], "total", 0);
      hours->value[p] = json_object_get_int_member_with_default (stats[p], "minutes", 0) / 60.0;
    }

  t = table_new (s, "consultations-by-topic", _ ("Consultations by topic"), _ ("Topic"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, FALSE,
                 _ ("A consultation with two topics counts under each."));
  add_choice_rows (t, tsu_consultation_topics);
  for (guint p = 0; p < 2; p++)
    counts_into (t, json_object_get_object_member (stats[p], "by_topic"), p, FALSE, topic_label);

  t = table_new (s, "consultations-by-channel", _ ("Consultations by channel"), _ ("Channel"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, TRUE, NULL);
  add_choice_rows (t, tsu_consultation_channels);
  for (guint p = 0; p < 2; p++)
    counts_into (t, json_object_get_object_member (stats[p], "by_channel"), p, FALSE, NULL);

  t = table_new (s, "consultations-by-month", _ ("Consultations by month"), _ ("Month"),
                 TSU_REPORT_COUNT, TSU_CHART_LINE, TRUE, TRUE, NULL);
  add_month_rows (t, r);
  for (guint p = 0; p < 2; p++)
    counts_into (t, json_object_get_object_member (stats[p], "by_month"), p, TRUE, NULL);

  for (guint i = 0; i < s->tables->len; i++)
    protect_small_cells (g_ptr_array_index (s->tables, i));
  return TRUE;
}

/* ---- events ---- */

#define EVENTS_IN " FROM events e WHERE e.deleted = 0 AND e.start_at >= ?1 AND e.start_at < ?3"
#define REGISTRATIONS_IN                                                                           \
  " FROM registrations g JOIN events e ON e.id = g.event_id WHERE g.deleted = 0"                   \
  " AND e.deleted = 0 AND e.start_at >= ?1 AND e.start_at < ?3"

static gboolean
events_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReportTable *t;
  TsuReportRow   *reg, *att, *rate;

  t = summary_new (c->section, "events-summary", _ ("Events"));
  t->note = g_strdup (_ ("Courses, training and meetings held in the period. Attended: "
                         "registrations marked present on the day."));
  if (!summary_row (db, t, "held", _ ("Events held"), TSU_REPORT_COUNT, "SELECT count(*)" EVENTS_IN,
                    c->spans, error)
      || !summary_row (db, t, "registered", _ ("Registrations"), TSU_REPORT_COUNT,
                       "SELECT count(*)" REGISTRATIONS_IN " AND g.state = 'registered'", c->spans,
                       error)
      || !summary_row (db, t, "attended", _ ("Attendance"), TSU_REPORT_COUNT,
                       "SELECT count(*)" REGISTRATIONS_IN " AND g.attendance = 'present'", c->spans,
                       error))
    return FALSE;
  reg = tsu_report_table_get_row (t, "registered");
  att = tsu_report_table_get_row (t, "attended");
  rate = table_add_row (t, "attendance-rate", _ ("Attendance rate"), TSU_REPORT_PERCENT);
  for (guint p = 0; p < 2; p++)
    {
      if (reg->value[p] > 0)
        rate->value[p] = 100.0 * att->value[p] / reg->value[p];
      else
        rate->state[p] = TSU_CELL_NONE;
    }

  t = table_new (c->section, "events-by-kind", _ ("Events held by kind"), _ ("Kind"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE, NULL);
  add_choice_rows (t, tsu_event_kinds);
  for (guint p = 0; p < 2; p++)
    if (!grouped (db, "SELECT coalesce(e.kind, 'other'), count(*)" EVENTS_IN " GROUP BY 1",
                  &c->spans[p], t, p, NULL, error))
      return FALSE;

  t = table_new (c->section, "attendance-by-kind", _ ("Attendance by kind of event"), _ ("Kind"),
                 TSU_REPORT_COUNT, TSU_CHART_BAR, TRUE, TRUE, NULL);
  add_choice_rows (t, tsu_event_kinds);
  for (guint p = 0; p < 2; p++)
    if (!grouped (db,
                  "SELECT coalesce(e.kind, 'other'), count(*)" REGISTRATIONS_IN
                  " AND g.attendance = 'present' GROUP BY 1",
                  &c->spans[p], t, p, NULL, error))
      return FALSE;
  return TRUE;
}

/**
 * tsu_report_add_events:
 *
 * 講座・交流会: events starting in the period, registrations, attendance
 * and its rate; events by kind; attendance by kind (people: small cells).
 */
gboolean
tsu_report_add_events (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "events", _ ("Events"), events_read, NULL, error);
}

/* ---- connections ---- */

static gboolean
connections_read (sqlite3 *db, gpointer data, GError **error)
{
  Ctx            *c = data;
  TsuReportTable *t;

  t = summary_new (c->section, "connections-summary", _ ("Connections"));
  t->note = g_strdup (_ ("Introductions the centre made in the period, and joint projects with "
                         "the city that started in it."));
  if (!summary_row (db, t, "connections", _ ("Connections made"), TSU_REPORT_COUNT,
                    "SELECT count(*) FROM connections WHERE deleted = 0"
                    " AND introduced_on BETWEEN ?1 AND ?2",
                    c->spans, error)
      || !summary_row (db, t, "groups", _ ("Groups introduced"), TSU_REPORT_COUNT,
                       "SELECT count(DISTINCT group_id) FROM connections WHERE deleted = 0"
                       " AND introduced_on BETWEEN ?1 AND ?2",
                       c->spans, error)
      || !summary_row (db, t, "joint-projects", _ ("Joint projects started"), TSU_REPORT_COUNT,
                       "SELECT count(*) FROM joint_projects WHERE deleted = 0"
                       " AND period_from BETWEEN ?1 AND ?2",
                       c->spans, error))
    return FALSE;

  t = table_new (c->section, "connections-by-partner", _ ("Connections by partner"),
                 _ ("Introduced to"), TSU_REPORT_COUNT, TSU_CHART_BAR, FALSE, TRUE, NULL);
  add_choice_rows (t, tsu_partner_kinds);
  for (guint p = 0; p < 2; p++)
    if (!grouped (db,
                  "SELECT partner_kind, count(*) FROM connections WHERE deleted = 0"
                  " AND introduced_on BETWEEN ?1 AND ?2 GROUP BY 1",
                  &c->spans[p], t, p, NULL, error))
      return FALSE;
  return TRUE;
}

/**
 * tsu_report_add_connections:
 *
 * つながり: introductions made in the period (by partner) and joint projects
 * started.
 */
gboolean
tsu_report_add_connections (TsuReport *report, TsuStore *store, GError **error)
{
  return run_section (report, store, "connections", _ ("Connections"), connections_read, NULL,
                      error);
}

/* ---- all ---- */

TsuReport *
tsu_report_compute (TsuStore *store, const GDate *from, const GDate *to, GError **error)
{
  g_autoptr (TsuReport) r = tsu_report_new (from, to, error);

  if (r == NULL)
    return NULL;
  if (!tsu_report_add_groups (r, store, error) || !tsu_report_add_volunteers (r, store, error)
      || !tsu_report_add_requests (r, store, error) || !tsu_report_add_bookings (r, store, error)
      || !tsu_report_add_grants (r, store, error) || !tsu_report_add_consultations (r, store, error)
      || !tsu_report_add_events (r, store, error) || !tsu_report_add_connections (r, store, error))
    return NULL;
  return g_steal_pointer (&r);
}

TsuReport *
tsu_report_compute_fiscal_year (TsuStore *store, int fiscal_year, GError **error)
{
  GDate first, last;

  tsu_fiscal_year_range (fiscal_year, &first, &last);
  return tsu_report_compute (store, &first, &last, error);
}

/* ---- text ---- */

char *
tsu_report_period_label (const TsuReport *r, guint period, TsuDateStyle style)
{
  int fy = r->fiscal_year - (period ? 1 : 0);

  g_return_val_if_fail (period < TSU_REPORT_N_PERIODS, NULL);

  if (r->whole_year)
    return tsu_fiscal_year_format (fy, style);
  {
    const GDate     *a = &r->from[period], *b = &r->to[period];
    g_autofree char *first = tsu_month_format (g_date_get_year (a), g_date_get_month (a), style);
    gboolean         whole_months
        = g_date_get_day (a) == 1
          && g_date_get_day (b)
                 == g_date_get_days_in_month (g_date_get_month (b), g_date_get_year (b));

    if (!whole_months)
      {
        g_autofree char *x = tsu_date_format_plain (a, style);
        g_autofree char *y = tsu_date_format_plain (b, style);
        return g_strdup_printf ("%s〜%s", x, y);
      }
    if (g_date_get_month (a) == g_date_get_month (b))
      return g_steal_pointer (&first);
    if (g_date_get_year (a) == g_date_get_year (b))
      return g_strdup_printf (_ ("%s–%d"), first, g_date_get_month (b));
    {
      g_autofree char *last = tsu_month_format (g_date_get_year (b), g_date_get_month (b), style);
      return g_strdup_printf ("%s〜%s", first, last);
    }
  }
}

static char *
group_digits (gint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GINT64_FORMAT, n < 0 ? -n : n);
  GString         *s = g_string_new (n < 0 ? "−" : "");
  gsize            len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

static char *
number_text (double v, TsuReportUnit unit, gboolean plain)
{
  switch (unit)
    {
    case TSU_REPORT_COUNT:
    case TSU_REPORT_YEN:
      {
        gint64 n = (gint64)llround (v);

        if (plain)
          return g_strdup_printf ("%" G_GINT64_FORMAT, n);
        if (unit == TSU_REPORT_YEN)
          {
            g_autofree char *d = group_digits (n);
            return g_strdup_printf (_ ("%s yen"), d);
          }
        return group_digits (n);
      }
    case TSU_REPORT_PERCENT:
      return plain ? g_strdup_printf ("%.1f", v) : g_strdup_printf ("%.1f%%", v);
    case TSU_REPORT_DAYS:
      return plain ? g_strdup_printf ("%.1f", v) : g_strdup_printf (_ ("%.1f days"), v);
    case TSU_REPORT_HOURS:
      return plain ? g_strdup_printf ("%.1f", v) : g_strdup_printf (_ ("%.1f hours"), v);
    default:
      return g_strdup ("");
    }
}

char *
tsu_report_cell_text (const TsuReportRow *row, guint period, gboolean plain)
{
  switch (row->state[period])
    {
    case TSU_CELL_SMALL:
      return g_strdup ("3未満");
    case TSU_CELL_HIDDEN:
      return g_strdup ("秘匿");
    case TSU_CELL_NONE:
      return g_strdup (plain ? "" : "—");
    default:
      return number_text (row->value[period], row->unit, plain);
    }
}

char *
tsu_report_change_text (const TsuReportRow *row, gboolean plain)
{
  double           d;
  g_autofree char *n = NULL;

  if (row->state[0] != TSU_CELL_SHOWN || row->state[1] != TSU_CELL_SHOWN)
    return g_strdup ("");
  d = row->value[0] - row->value[1];
  if (row->unit == TSU_REPORT_COUNT || row->unit == TSU_REPORT_YEN)
    d = llround (d);
  if (fabs (d) < 0.05)
    return g_strdup ("±0");
  n = number_text (fabs (d), row->unit == TSU_REPORT_YEN && !plain ? TSU_REPORT_COUNT : row->unit,
                   plain);
  if (row->unit == TSU_REPORT_PERCENT && !plain)
    {
      /* a difference of rates is in points */
      g_free (n);
      n = g_strdup_printf (_ ("%.1f pt"), fabs (d));
    }
  return g_strdup_printf ("%s%s", d > 0 ? "+" : plain ? "-" : "−", n);
}

const char *
tsu_report_small_cell_note (void)
{
  return _ ("3未満: a count of 1 or 2 people in a breakdown is not shown, so that no one can be "
            "recognised. 秘匿: a second figure kept back so that the first cannot be worked out "
            "from the total.");
}

GPtrArray *
tsu_report_table_rows (const TsuReport *r, const TsuReportTable *t, TsuDateStyle style)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  GStrv      header = g_new0 (char *, 5);

  header[0] = g_strdup (t->label_header);
  header[1] = tsu_report_period_label (r, 0, style);
  header[2] = tsu_report_period_label (r, 1, style);
  header[3] = g_strdup (_ ("Change"));
  g_ptr_array_add (rows, header);
  for (guint i = 0; i < t->rows->len; i++)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i);
      GStrv         cells = g_new0 (char *, 5);

      cells[0] = g_strdup (row->label);
      cells[1] = tsu_report_cell_text (row, 0, TRUE);
      cells[2] = tsu_report_cell_text (row, 1, TRUE);
      cells[3] = tsu_report_change_text (row, TRUE);
      g_ptr_array_add (rows, cells);
    }
  return rows;
}

gboolean
tsu_report_write_csv (TsuStore        *store,
                      const TsuReport *r,
                      const char      *dir,
                      TsuDateStyle     style,
                      TsuCsvEncoding   encoding,
                      GPtrArray       *written,
                      GPtrArray       *unencodable,
                      GError         **error)
{
  for (guint i = 0; i < r->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (r->sections, i);

      for (guint j = 0; j < s->tables->len; j++)
        {
          TsuReportTable *t = g_ptr_array_index (s->tables, j);
          g_autoptr (GPtrArray) rows = tsu_report_table_rows (r, t, style);
          g_autofree char *name = g_strconcat (t->id, ".csv", NULL);
          g_autofree char *path = g_build_filename (dir, name, NULL);
          g_autoptr (GBytes) bytes = tsu_csv_write (rows, encoding, TRUE, unencodable, error);

          if (bytes == NULL || !tsu_store_write_output (store, path, bytes, error))
            return FALSE;
          if (written)
            g_ptr_array_add (written, g_steal_pointer (&name));
        }
    }
  return TRUE;
}
