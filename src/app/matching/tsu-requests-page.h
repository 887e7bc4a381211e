/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_REQUESTS_PAGE (tsu_requests_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuRequestsPage, tsu_requests_page, TSU, REQUESTS_PAGE, TsuRecordPage)

/* The queue (活動依頼): open requests by urgency (the deadline, then how many
 * people are still missing) with their 確定/必要 counts; a request shows its
 * people and the suggestions. */
GtkWidget *tsu_requests_page_new (void);

G_END_DECLS
