/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-record-page.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_MATCHING_PAGE (tsu_matching_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuMatchingPage, tsu_matching_page, TSU, MATCHING_PAGE, AdwBin)

/* マッチング: the queue of requests (by urgency) and the volunteers, two
 * record pages side by side in a stack. Its actions let what is inside
 * open the other page: matching.show-request and matching.show-volunteer
 * (an id each). */
GtkWidget     *tsu_matching_page_new (void);
TsuStore      *tsu_matching_page_get_store (TsuMatchingPage *self);
void           tsu_matching_page_set_store (TsuMatchingPage *self, TsuStore *store);
TsuRecordPage *tsu_matching_page_get_requests (TsuMatchingPage *self);
TsuRecordPage *tsu_matching_page_get_volunteers (TsuMatchingPage *self);
/* The record page shown (for the window's unsaved-change guard). */
TsuRecordPage *tsu_matching_page_get_visible_page (TsuMatchingPage *self);
void           tsu_matching_page_show_request (TsuMatchingPage *self, const char *id);
void           tsu_matching_page_show_volunteer (TsuMatchingPage *self, const char *id);

/* The page's resources (its .ui files), registered once. */
void tsu_matching_resources_ensure (void);

G_END_DECLS
