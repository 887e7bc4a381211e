/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_MATCHES_SECTION (tsu_matches_section_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuMatchesSection, tsu_matches_section, TSU, MATCHES_SECTION, AdwPreferencesGroup)

/* A request's people: one row per match with its state, date and staff,
 * the next step as a button and the others in a menu (候補 → 打診 → 連絡済
 * → 同意 → 確定 → 完了, or 辞退 / 取消 / 不参加). 同意 offers to record the
 * person's consent to give their contact details to the group; 確定 warns
 * before a double booking and records why it is allowed. The 紹介票 of
 * each match prints or saves as PDF. */
GtkWidget *tsu_matches_section_new (void);
/* Shows the matches of @request (NULL: none). */
void
tsu_matches_section_set_request (TsuMatchesSection *self, TsuStore *store, JsonObject *request);
/* How many rows are shown (tests). */
guint tsu_matches_section_get_n_matches (TsuMatchesSection *self);

G_END_DECLS
