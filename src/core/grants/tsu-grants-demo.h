/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* The demo's programmes and who was told about them (after its groups and
 * funders). The same seed gives the same data. */
gboolean
tsu_demo_populate_grants (TsuStore *store, GRand *rand, const GDate *today, GError **error);

G_END_DECLS
