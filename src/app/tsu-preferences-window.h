/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define TSU_TYPE_PREFERENCES_WINDOW (tsu_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuPreferencesWindow, tsu_preferences_window, TSU, PREFERENCES_WINDOW, AdwPreferencesWindow)

TsuPreferencesWindow *tsu_preferences_window_new (GtkWindow *parent, GSettings *settings);
GSettings            *tsu_preferences_window_get_settings (TsuPreferencesWindow *self);
AdwPreferencesPage   *tsu_preferences_window_get_general_page (TsuPreferencesWindow *self);

G_END_DECLS
