/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_GROUP_PREFERENCES (tsu_group_preferences_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGroupPreferences, tsu_group_preferences, TSU, GROUP_PREFERENCES, AdwPreferencesGroup)

/* The groups section of the preferences: minimum member count and when
 * renewal starts. Binds to the preferences window's settings. */
GtkWidget *tsu_group_preferences_new (void);

G_END_DECLS
