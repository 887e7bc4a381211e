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

G_END_DECLS
