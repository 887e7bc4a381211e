/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_EQUIPMENT_DESK (tsu_equipment_desk_get_type ())
G_DECLARE_FINAL_TYPE (TsuEquipmentDesk, tsu_equipment_desk, TSU, EQUIPMENT_DESK, AdwBin)

/* 本日の窓口: what goes out today, comes back today, is overdue (with the
 * phone to call) and today's rooms, in one place, each with its next
 * step. Read in a worker when shown, when bookings change and every
 * minute while shown (a loan turns overdue as time passes). */
GtkWidget *tsu_equipment_desk_new (void);
void       tsu_equipment_desk_set_store (TsuEquipmentDesk *self, TsuStore *store);
void       tsu_equipment_desk_set_date_style (TsuEquipmentDesk *self, TsuDateStyle style);
void       tsu_equipment_desk_reload (TsuEquipmentDesk *self);
/* How many rows each list shows (tests): going out, back, overdue, rooms. */
void tsu_equipment_desk_get_counts (TsuEquipmentDesk *self, guint counts[4]);

G_END_DECLS
