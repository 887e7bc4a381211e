/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_COUNTER_VIEW (tsu_counter_view_get_type ())
G_DECLARE_FINAL_TYPE (TsuCounterView, tsu_counter_view, TSU, COUNTER_VIEW, AdwBin)

TsuStore *tsu_counter_view_get_store (TsuCounterView *self);
void      tsu_counter_view_set_store (TsuCounterView *self, TsuStore *store);

/* Registers the folder's resources (templates, icon) once. */
void tsu_counter_resources_ensure (void);

G_END_DECLS
