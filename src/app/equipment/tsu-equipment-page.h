/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"
#include "tsu-resources-page.h"
#include "tsu-equipment-desk.h"

G_BEGIN_DECLS

#define TSU_TYPE_EQUIPMENT_PAGE (tsu_equipment_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuEquipmentPage, tsu_equipment_page, TSU, EQUIPMENT_PAGE, AdwBin)

/* The window's Equipment page: 本日の窓口 (today's desk) and the inventory
 * of items and rooms, side by side in a switcher. It runs every step of a
 * booking (actions bookings.lend / return / move / print / pdf with the
 * booking's id), lending without a booking (equipment.lend-now) and the
 * centre's settings (equipment.centre-settings). */
GtkWidget        *tsu_equipment_page_new (void);
TsuStore         *tsu_equipment_page_get_store (TsuEquipmentPage *self);
void              tsu_equipment_page_set_store (TsuEquipmentPage *self, TsuStore *store);
TsuResourcesPage *tsu_equipment_page_get_resources (TsuEquipmentPage *self);
TsuEquipmentDesk *tsu_equipment_page_get_desk (TsuEquipmentPage *self);

/* "Move or cancel" for one booking, as the sync page offers it for a
 * booking the server refused (booking_conflict): shows the booking's item
 * or room with its timeline, and opens the move-or-cancel dialog of
 * @booking_id. Returns FALSE (with @error) when the booking cannot be
 * read or is no longer reserved or out. The window's action
 * win.resolve-booking (string: the booking id) does the same from
 * anywhere in the window. */
gboolean
tsu_equipment_page_resolve_booking (TsuEquipmentPage *self, const char *booking_id, GError **error);

G_END_DECLS
