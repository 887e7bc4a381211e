/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_PROGRAMMES_PAGE (tsu_programmes_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuProgrammesPage, tsu_programmes_page, TSU, PROGRAMMES_PAGE, TsuRecordPage)

/* 助成金: the upcoming deadlines first (this week, this month, later; 随時
 * apart), each with days left, fields and how many groups are told and
 * applying; a programme with its groups in each state, telling groups,
 * tiers, and a copy for the next 年度. */
GtkWidget *tsu_programmes_page_new (void);

/* Which deadlines the list shows (the "Show" filter). */
typedef enum
{
  TSU_PROGRAMMES_UPCOMING,
  TSU_PROGRAMMES_THIS_WEEK,
  TSU_PROGRAMMES_THIS_MONTH,
  TSU_PROGRAMMES_LATER,
  TSU_PROGRAMMES_ANY_TIME,
  TSU_PROGRAMMES_CLOSED,
  TSU_PROGRAMMES_ALL,
} TsuProgrammesShow;

void tsu_programmes_page_set_show (TsuProgrammesPage *self, TsuProgrammesShow show);
/* Opens the tell-groups dialog of the programme shown (tests, shortcuts). */
GtkWindow *tsu_programmes_page_tell (TsuProgrammesPage *self);
void       tsu_programmes_page_print (TsuProgrammesPage *self, const char *pdf_path);

G_END_DECLS
