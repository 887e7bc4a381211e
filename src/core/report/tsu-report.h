/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 年度 report (事業報告の統計): figures of every part of the centre's
 * work for a period, beside the same months of the year before, computed in
 * SQL on the store's reader. Counts only: nothing personal leaves here, and
 * a count of people under 3 in a breakdown is shown as "3未満". */
#pragma once

#include <glib.h>

#include "tsu-csv.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_REPORT_COUNT,   /* whole numbers */
  TSU_REPORT_YEN,     /* amounts in yen */
  TSU_REPORT_PERCENT, /* 0–100, one decimal */
  TSU_REPORT_DAYS,    /* a mean or a sum of days, one decimal */
  TSU_REPORT_HOURS,   /* hours, one decimal */
} TsuReportUnit;

typedef enum
{
  TSU_CHART_NONE,
  TSU_CHART_BAR,  /* horizontal bars, this period solid and the last one hatched */
  TSU_CHART_LINE, /* months along, this period solid and the last one dashed */
  TSU_CHART_PIE,  /* shares of this period, each slice its own pattern and a direct label */
} TsuChartKind;

/* How a cell is shown. Small cells hold counts of people of 1 or 2 in a
 * breakdown ("3未満"); a hidden cell is a second one kept back so that the
 * small one cannot be worked out from the total ("秘匿"). */
typedef enum
{
  TSU_CELL_SHOWN,
  TSU_CELL_SMALL,
  TSU_CELL_HIDDEN,
  TSU_CELL_NONE, /* no value (a rate over nothing) */
} TsuCellState;

/* The two periods of a report: [0] the one asked for, [1] the same months
 * of the 年度 before. */
#define TSU_REPORT_N_PERIODS 2

typedef struct
{
  char         *key;   /* a stable key: a code, a month "04", a resource id */
  char         *label; /* as people read it (translated) */
  TsuReportUnit unit;  /* the table's unit, or the row's own in a summary */
  double        value[TSU_REPORT_N_PERIODS];
  TsuCellState  state[TSU_REPORT_N_PERIODS];
} TsuReportRow;

typedef struct
{
  char         *id;           /* file name stem: "groups-by-field" */
  char         *title;        /* translated */
  char         *label_header; /* the first column's header (translated) */
  char         *note;         /* how the figures are counted (translated), or NULL */
  TsuReportUnit unit;
  TsuChartKind  chart;
  gboolean      people;    /* counts people (or what one person did): small cells apply */
  gboolean      exclusive; /* each counted once: the rows add up to a total shown elsewhere */
  GPtrArray    *rows;      /* of TsuReportRow */
  GHashTable   *by_key;    /* key → TsuReportRow (borrowed) */
} TsuReportTable;

typedef struct
{
  char      *id;
  char      *title;  /* translated */
  GPtrArray *tables; /* of TsuReportTable; the first is the section's summary */
} TsuReportSection;

typedef struct
{
  GDate      from[TSU_REPORT_N_PERIODS];
  GDate      to[TSU_REPORT_N_PERIODS];
  int        fiscal_year; /* the 年度 of the period */
  gboolean   whole_year;  /* the period is the whole 年度 */
  GPtrArray *sections;    /* of TsuReportSection */
} TsuReport;

/* An empty report for [@from, @to], compared with the same days a year
 * earlier. @from and @to must lie in one 年度. */
TsuReport *tsu_report_new (const GDate *from, const GDate *to, GError **error);
TsuReport *tsu_report_new_fiscal_year (int fiscal_year);
void       tsu_report_free (TsuReport *report);

/* Every section, in the report's order. */
TsuReport *tsu_report_compute (TsuStore *store, const GDate *from, const GDate *to, GError **error);
TsuReport *tsu_report_compute_fiscal_year (TsuStore *store, int fiscal_year, GError **error);

/* One function per section; each appends its section to @report. */
gboolean tsu_report_add_groups (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_volunteers (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_requests (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_bookings (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_grants (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_consultations (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_events (TsuReport *report, TsuStore *store, GError **error);
gboolean tsu_report_add_connections (TsuReport *report, TsuStore *store, GError **error);

/* Lookups for the page, the PDF and the tests. */
TsuReportSection *tsu_report_get_section (const TsuReport *report, const char *id);
TsuReportTable   *tsu_report_get_table (const TsuReport *report, const char *id);
TsuReportRow     *tsu_report_table_get_row (const TsuReportTable *table, const char *key);

/* "令和8年度", "2026年度", or a month range "令和8年4月〜9月". */
char *tsu_report_period_label (const TsuReport *report, guint period, TsuDateStyle style);
/* A cell as people read it: "1,234", "45.2%", "3未満", "秘匿", "—". With
 * @plain, no thousands separators and no unit (for spreadsheets). */
char *tsu_report_cell_text (const TsuReportRow *row, guint period, gboolean plain);
/* The difference from the period before, as text ("+12", "−3.5"), or "" when
 * a cell of the row is kept back or empty. */
char *tsu_report_change_text (const TsuReportRow *row, gboolean plain);

/* One table as CSV rows (header first): the label column, both periods and
 * the change. */
GPtrArray *
tsu_report_table_rows (const TsuReport *report, const TsuReportTable *table, TsuDateStyle style);
/* One CSV file per table into @dir ("groups-by-field.csv"…), through
 * tsu_store_write_output (private, whole or not at all). Names of the files
 * written are added to @written (transfer full) when given. */
gboolean tsu_report_write_csv (TsuStore        *store,
                               const TsuReport *report,
                               const char      *dir,
                               TsuDateStyle     style,
                               TsuCsvEncoding   encoding,
                               GPtrArray       *written,
                               GPtrArray       *unencodable,
                               GError         **error);

/* What "3未満" stands for, said once for readers (translated). */
const char *tsu_report_small_cell_note (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuReport, tsu_report_free)

G_END_DECLS
