/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

/* An event's registrations in its read view: attendance ticked from the
 * list on the day, cancellations (the waiting list moves up), a new
 * registration. */
#define TSU_TYPE_EVENT_REGISTRATIONS (tsu_event_registrations_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuEventRegistrations, tsu_event_registrations, TSU, EVENT_REGISTRATIONS, AdwPreferencesGroup)

void tsu_event_registrations_show (TsuEventRegistrations *self, TsuStore *store, JsonObject *event);
/* The rows last shown (with "group_name"), for printing. */
GPtrArray *tsu_event_registrations_get_rows (TsuEventRegistrations *self);

G_END_DECLS
