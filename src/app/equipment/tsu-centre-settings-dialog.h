/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_CENTRE_SETTINGS_DIALOG (tsu_centre_settings_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuCentreSettingsDialog,
                      tsu_centre_settings_dialog,
                      TSU,
                      CENTRE_SETTINGS_DIALOG,
                      AdwPreferencesWindow)

/* The centre's own settings for lending and rooms, shared by every desk
 * through sync (centre_settings records, in the history): closed
 * weekdays, closures (年末年始…), how far ahead bookings open, the buffer
 * between two loans, the rooms' hours. Each change is saved at once. */
TsuCentreSettingsDialog *
tsu_centre_settings_dialog_new (GtkWindow *parent, TsuStore *store, TsuDateStyle style);

G_END_DECLS
