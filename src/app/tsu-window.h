/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-application.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_WINDOW (tsu_window_get_type ())
G_DECLARE_FINAL_TYPE (TsuWindow, tsu_window, TSU, WINDOW, AdwApplicationWindow)

TsuWindow  *tsu_window_new (TsuApplication *application);
TsuStore   *tsu_window_get_store (TsuWindow *self);
void        tsu_window_set_store (TsuWindow *self, TsuStore *store);
const char *tsu_window_get_page (TsuWindow *self);
void        tsu_window_set_page (TsuWindow *self, const char *page);
void        tsu_window_show_error (TsuWindow *self, const GError *error, const char *path);
/* Shows a programme on the grants page (from a reminder, a group's page). */
void tsu_window_show_programme (TsuWindow *self, const char *programme_id);

G_END_DECLS
