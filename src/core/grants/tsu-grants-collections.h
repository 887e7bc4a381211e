/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* Grants (助成金) and the city's calls (委託・指定管理): programmes, and
 * where each group stands with each (案内済 → … → 採択 / 不採択). Funders
 * are their own collection (src/core/funders). */
extern const TsuCollection tsu_programme_collection;
extern const TsuCollection tsu_application_collection;

extern const TsuChoice tsu_programme_kinds[];
extern const TsuChoice
    tsu_deadline_kinds[]; /* arrive 必着, postmark 消印有効, online, rolling 随時 */
extern const TsuChoice tsu_application_states[]; /* told … awarded, rejected */
/* The list's sections: "0" this week, "1" this month, "2" later, "3" 随時,
 * "4" closed (the computed column "bucket", see TsuDeadlineBucket). */
extern const TsuChoice tsu_deadline_buckets[];

G_END_DECLS
