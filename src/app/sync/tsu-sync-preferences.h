/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_SYNC_PREFERENCES (tsu_sync_preferences_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuSyncPreferences, tsu_sync_preferences, TSU, SYNC_PREFERENCES, AdwPreferencesPage)

G_END_DECLS
