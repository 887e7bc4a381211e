/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* The counter's demo, over the demo groups already in @store: a 年度 of
 * consultations up to @today (some on @today, some follow-ups due), ten
 * events (past ones with attendance, one full with a waiting list) and a
 * network of introductions and joint projects that leaves some groups
 * unconnected. The same @rand state gives the same data. */
gboolean
tsu_demo_populate_counter (TsuStore *store, GRand *rand, const GDate *today, GError **error);

G_END_DECLS
