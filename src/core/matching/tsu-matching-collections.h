/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* Volunteers and the matching queue (マッチング): people, requests for
 * help, and matches between them. */
extern const TsuCollection tsu_volunteer_collection;
extern const TsuCollection tsu_request_collection;
extern const TsuCollection tsu_match_collection;

extern const TsuChoice tsu_volunteer_states[];
extern const TsuChoice tsu_request_statuses[];
extern const TsuChoice tsu_match_states[];

char *tsu_volunteer_state_sql (const GDate *today);

/* Registrations ended more than N years ago, for deletion: the list's
 * computed column "lapsed" reads N from this query parameter (a
 * preference, volunteer-lapsed-years). */
#define TSU_VOLUNTEER_LAPSED_YEARS "lapsed_years"
#define TSU_VOLUNTEER_DEFAULT_LAPSED_YEARS 5
char *tsu_volunteer_lapsed_sql (const GDate *today, int years);

G_END_DECLS
