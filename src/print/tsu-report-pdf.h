/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 年度 report as a PDF (A4, a cover, a table of contents, page
 * numbers, a chart and a table for each figure) and the whole set written
 * into a folder with one CSV per table. */
#pragma once

#include "tsu-report.h"

G_BEGIN_DECLS

GBytes *tsu_report_pdf (const TsuReport *report,
                        const char      *centre_name,
                        TsuDateStyle     style,
                        const GDate     *made_on,
                        GError         **error);

/* "report-2026" for a 年度, "report-2026-04-2026-09" for months. */
char *tsu_report_file_stem (const TsuReport *report);

/* The PDF and every table's CSV into @dir (created if missing), each file
 * private and whole (tsu_store_write_output). Names written are added to
 * @written. The centre's name comes from the centre settings. */
gboolean tsu_report_write (TsuStore        *store,
                           const TsuReport *report,
                           const char      *dir,
                           TsuDateStyle     style,
                           TsuCsvEncoding   encoding,
                           GPtrArray       *written,
                           GPtrArray       *unencodable,
                           GError         **error);

G_END_DECLS
