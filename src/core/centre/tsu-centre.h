/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The centre's own settings (校区 list, closed days, renewal period…): kept
 * as records of the "centre_settings" collection, so every desk of the
 * centre shares them through sync and each change is in the history. */
#pragma once

#include "tsu-collection.h"
#include "tsu-store.h"

G_BEGIN_DECLS

extern const TsuCollection tsu_centre_settings_collection;

/* Keys in use (values are JSON):
 *   "centre.name", "centre.head"          text: on certificates and reports
 *   "group.renewal_days"                  int: 更新待ち starts this many days before 3/31
 *   "group.min_members"                   int
 *   "school_districts"                    [text]: the 校区 a volunteer or request may name
 *   "closed_weekdays"                     [int 1=Mon..7=Sun]
 *   "closures"                            [["YYYY-MM-DD", "YYYY-MM-DD"], …] (年末年始…)
 *   "booking.horizon_days"                int: how far ahead bookings open
 *   "booking.buffer_minutes"              int: between two loans of one item
 *   "room.open", "room.close"             "HH:MM" */
#define TSU_CENTRE_NAME "centre.name"
#define TSU_CENTRE_HEAD "centre.head"
#define TSU_CENTRE_RENEWAL_DAYS "group.renewal_days"
#define TSU_CENTRE_MIN_MEMBERS "group.min_members"
#define TSU_CENTRE_SCHOOL_DISTRICTS "school_districts"
#define TSU_CENTRE_CLOSED_WEEKDAYS "closed_weekdays"
#define TSU_CENTRE_CLOSURES "closures"
#define TSU_CENTRE_BOOKING_HORIZON "booking.horizon_days"
#define TSU_CENTRE_BOOKING_BUFFER "booking.buffer_minutes"
#define TSU_CENTRE_ROOM_OPEN "room.open"
#define TSU_CENTRE_ROOM_CLOSE "room.close"

/* (transfer full) (nullable): the value of @key, or NULL when unset. */
JsonNode *tsu_centre_get (TsuStore *store, const char *key);
gint64    tsu_centre_get_int (TsuStore *store, const char *key, gint64 fallback);
char     *tsu_centre_get_string (TsuStore *store, const char *key, const char *fallback);
GStrv     tsu_centre_get_strings (TsuStore *store, const char *key);
/* Sets @key (a null node removes the value) through the store's write path. */
gboolean tsu_centre_set (TsuStore *store, const char *key, JsonNode *value, GError **error);
gboolean tsu_centre_set_int (TsuStore *store, const char *key, gint64 value, GError **error);

G_END_DECLS
