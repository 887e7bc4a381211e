/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* Equipment and rooms (備品・活動場所): what the centre lends or books, and
 * each booking through its life (予約 → 貸出中 → 返却済, or 取消). */
extern const TsuCollection tsu_resource_collection;
extern const TsuCollection tsu_booking_collection;

extern const TsuChoice tsu_resource_kinds[]; /* item 備品, room 部屋 */
extern const TsuChoice tsu_resource_statuses[]; /* available 貸出可, repair 修理中, disposed 廃棄 */
/* available, reserved, lent, in_use, overdue, repair, disposed: the
 * inventory list's "now" column (computed, now_state). */
extern const TsuChoice tsu_resource_now_states[];
extern const TsuChoice tsu_fee_kinds[];      /* free, per_3h, per_night, per_day, per_slot */
extern const TsuChoice tsu_booking_states[]; /* reserved, lent, returned, cancelled */

G_END_DECLS
