/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Charts of the 年度 report drawn with cairo and Pango only, so that the PDF
 * and the app's Statistics page (a GtkDrawingArea) draw the same picture.
 * Readable in black and white: this period is solid, the year before is
 * hatched or dashed, and values are written beside the marks. */
#pragma once

#include <cairo.h>

#include "tsu-report.h"

G_BEGIN_DECLS

/* The height a chart of @table wants at @width (points or pixels). */
double tsu_chart_natural_height (const TsuReportTable *table, double width);

/* Draws @table's chart into (0, 0, @width, @height) of @cr. Tables without
 * a chart draw nothing. @font is a Pango font family list or NULL. */
void tsu_chart_draw (cairo_t              *cr,
                     const TsuReport      *report,
                     const TsuReportTable *table,
                     TsuDateStyle          style,
                     double                width,
                     double                height);

/* The family the report uses for Japanese text. */
#define TSU_CHART_FONT "Noto Sans CJK JP, Noto Sans JP, IPAGothic, sans-serif"

G_END_DECLS
