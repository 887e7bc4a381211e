/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_STATS_PAGE (tsu_stats_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuStatsPage, tsu_stats_page, TSU, STATS_PAGE, GtkWidget)

/* Statistics: the 年度 report's charts and tables for a 年度 or some of its
 * months beside the same months of the year before, figured in a worker,
 * and "Report to Folder…" (PDF and CSV files). */
GtkWidget *tsu_stats_page_new (void);
void       tsu_stats_page_set_store (TsuStatsPage *self, TsuStore *store);
TsuStore  *tsu_stats_page_get_store (TsuStatsPage *self);
/* The date style from the app's settings (key date-style), followed live. */
void tsu_stats_page_set_settings (TsuStatsPage *self, GSettings *settings);
/* Shows @fiscal_year, months @first_month..@last_month (4..12, 1..3 in
 * 年度 order; 4 and 3 for the whole year). */
void tsu_stats_page_set_period (TsuStatsPage *self,
                                int           fiscal_year,
                                guint         first_month,
                                guint         last_month);
int  tsu_stats_page_get_fiscal_year (TsuStatsPage *self);
/* Whether figures are being worked out. */
gboolean tsu_stats_page_get_busy (TsuStatsPage *self);
/* "Statistics", translated: the page's name in the view switcher. */
const char *tsu_stats_page_get_title (void);

G_END_DECLS
