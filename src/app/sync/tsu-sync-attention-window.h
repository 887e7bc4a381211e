/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_SYNC_ATTENTION_WINDOW (tsu_sync_attention_window_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuSyncAttentionWindow, tsu_sync_attention_window, TSU, SYNC_ATTENTION_WINDOW, AdwWindow)

TsuSyncAttentionWindow *tsu_sync_attention_window_new (GtkWindow *parent, TsuStore *store);
void                    tsu_sync_attention_window_reload (TsuSyncAttentionWindow *self);

G_END_DECLS
