/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_PREFERENCES (tsu_grants_preferences_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGrantsPreferences, tsu_grants_preferences, TSU, GRANTS_PREFERENCES, AdwPreferencesGroup)

/* The grants section of the preferences: deadline reminders on or off.
 * Binds to the preferences window's settings. */
GtkWidget *tsu_grants_preferences_new (void);

G_END_DECLS
