/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_FUNDERS_PAGE (tsu_funders_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuFundersPage, tsu_funders_page, TSU, FUNDERS_PAGE, TsuRecordPage)

/* 助成団体: a record page and nothing more (see its .ui). */
GtkWidget *tsu_funders_page_new (void);

G_END_DECLS
