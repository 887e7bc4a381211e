/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsu-store.h"
#include "tsu-sync-client.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_SYNC_STATE_NOT_ENROLLED,
  TSU_SYNC_STATE_SYNCED,
  TSU_SYNC_STATE_PENDING, /* changes not sent yet */
  TSU_SYNC_STATE_SYNCING,
  TSU_SYNC_STATE_OFFLINE,   /* the server cannot be reached: retried by itself */
  TSU_SYNC_STATE_ATTENTION, /* conflicts or refused changes wait for staff */
  TSU_SYNC_STATE_FAILED,    /* the server refused this desk or its certificate */
} TsuSyncState;

#define TSU_TYPE_SYNC_MANAGER (tsu_sync_manager_get_type ())
G_DECLARE_FINAL_TYPE (TsuSyncManager, tsu_sync_manager, TSU, SYNC_MANAGER, GObject)

TsuSyncManager *tsu_sync_manager_get_for_store (TsuStore *store);

TsuSyncClient *tsu_sync_manager_get_client (TsuSyncManager *self);
TsuStore      *tsu_sync_manager_get_store (TsuSyncManager *self);
TsuSyncState   tsu_sync_manager_get_state (TsuSyncManager *self);
char          *tsu_sync_manager_dup_label (TsuSyncManager *self);
const char    *tsu_sync_manager_get_message (TsuSyncManager *self);
guint          tsu_sync_manager_get_pending (TsuSyncManager *self);
guint          tsu_sync_manager_get_attention (TsuSyncManager *self);
double         tsu_sync_manager_get_fraction (TsuSyncManager *self);
gint64         tsu_sync_manager_get_eta (TsuSyncManager *self);
gboolean       tsu_sync_manager_get_enrolled (TsuSyncManager *self);

void tsu_sync_manager_sync_now (TsuSyncManager *self);
void tsu_sync_manager_refresh (TsuSyncManager *self);
void tsu_sync_manager_set_settings (TsuSyncManager *self, GSettings *settings);

G_END_DECLS
