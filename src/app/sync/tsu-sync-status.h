/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_SYNC_STATUS (tsu_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (TsuSyncStatus, tsu_sync_status, TSU, SYNC_STATUS, AdwBin)

TsuStore *tsu_sync_status_get_store (TsuSyncStatus *self);
void      tsu_sync_status_set_store (TsuSyncStatus *self, TsuStore *store);

/* Registers the templates of src/app/sync (and the application's) once. */
void tsu_sync_resources_ensure (void);

/* Opens the sync page of the preferences (also the first run's setup). */
void tsu_sync_show_preferences (GtkWidget *from);

G_END_DECLS
