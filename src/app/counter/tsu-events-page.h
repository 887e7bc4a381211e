/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_EVENTS_PAGE (tsu_events_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuEventsPage, tsu_events_page, TSU, EVENTS_PAGE, TsuRecordPage)

G_END_DECLS
