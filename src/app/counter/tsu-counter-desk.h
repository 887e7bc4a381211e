/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_COUNTER_DESK (tsu_counter_desk_get_type ())
G_DECLARE_FINAL_TYPE (TsuCounterDesk, tsu_counter_desk, TSU, COUNTER_DESK, AdwBin)

void tsu_counter_desk_set_store (TsuCounterDesk *self, TsuStore *store);
/* Puts the keyboard in the "who" field. */
void tsu_counter_desk_focus (TsuCounterDesk *self);

G_END_DECLS
