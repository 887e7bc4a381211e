/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_MATCHING_PREFERENCES (tsu_matching_preferences_get_type ())
G_DECLARE_FINAL_TYPE (TsuMatchingPreferences,
                      tsu_matching_preferences,
                      TSU,
                      MATCHING_PREFERENCES,
                      AdwPreferencesGroup)

/* The volunteers section of the preferences: after how many years an
 * ended registration is listed for deletion. */
GtkWidget *tsu_matching_preferences_new (void);

G_END_DECLS
