/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_APPLICATION_DIALOG (tsu_grants_application_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuGrantsApplicationDialog,
                      tsu_grants_application_dialog,
                      TSU,
                      GRANTS_APPLICATION_DIALOG,
                      AdwWindow)

/* One group × programme in a window of its own: its state with the date,
 * staff and note, the amounts applied for and awarded, and its history
 * (each step: who, when). The record form of the applications collection. */
GtkWindow *tsu_grants_application_dialog_new (GtkWindow   *parent,
                                              TsuStore    *store,
                                              const char  *application_id,
                                              TsuDateStyle style);

G_END_DECLS
