/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_BOOKINGS_SECTION (tsu_bookings_section_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuBookingsSection, tsu_bookings_section, TSU, BOOKINGS_SECTION, AdwPreferencesGroup)

/* The bookings of a resource (those ahead or out, then the latest past
 * ones, with a button for the next step) or of a group (newest first,
 * for its page): read in a worker, again when bookings change. Its rows
 * use the bookings.* actions the page installs. */
typedef enum
{
  TSU_BOOKINGS_OF_RESOURCE,
  TSU_BOOKINGS_OF_GROUP,
} TsuBookingsOf;

GtkWidget *tsu_bookings_section_new (TsuBookingsOf of);
void       tsu_bookings_section_set_store (TsuBookingsSection *self, TsuStore *store);
void       tsu_bookings_section_set_date_style (TsuBookingsSection *self, TsuDateStyle style);
/* The resource's or group's id (NULL: nothing). */
void  tsu_bookings_section_set_owner (TsuBookingsSection *self, const char *id);
guint tsu_bookings_section_get_n_rows (TsuBookingsSection *self);

G_END_DECLS
