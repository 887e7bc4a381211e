/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the matching page shows beside its lists, each one SQL read on the
 * store's reader (call them from a worker): a request's matches with their
 * people, a person's matches with their requests, a group's requests, and
 * the skills already in use (suggestions for the editor). */
#pragma once

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

/* Objects with: id, state, state_on, staff, note, override (bool),
 * volunteer_id, name, kana, registration_number, consent (bool), phone. */
GPtrArray *tsu_matching_request_matches (TsuStore *store, const char *request_id, GError **error);
/* Objects with: id, state, state_on, staff, note, request_id, number, title,
 * schedule (in words), requester. */
GPtrArray *tsu_matching_volunteer_matches (TsuStore    *store,
                                           const char  *volunteer_id,
                                           TsuDateStyle style,
                                           GError     **error);
/* Objects with: id, number, title, status, schedule (in words), confirmed,
 * people_needed; newest first. */
GPtrArray *tsu_matching_group_requests (TsuStore    *store,
                                        const char  *group_id,
                                        TsuDateStyle style,
                                        GError     **error);
/* The skills volunteers hold, most common first, at most @limit. */
GStrv tsu_matching_common_skills (TsuStore *store, guint limit, GError **error);

G_END_DECLS
