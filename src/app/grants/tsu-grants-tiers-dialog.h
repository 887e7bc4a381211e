/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_TIERS_DIALOG (tsu_grants_tiers_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGrantsTiersDialog, tsu_grants_tiers_dialog, TSU, GRANTS_TIERS_DIALOG, AdwWindow)

/* A programme's tiers: the ceiling and rate for groups that received it so
 * many times before (Omuta's 市民活動団体応援補助金: the first time in full,
 * then less, then not at all). */
GtkWindow *
tsu_grants_tiers_dialog_new (GtkWindow *parent, TsuStore *store, const char *programme_id);

/* The tiers as typed, for tests: [{times, ceiling, rate}] or NULL with
 * @error naming the row. */
JsonNode *tsu_grants_tiers_dialog_collect (TsuGrantsTiersDialog *self, GError **error);
/* Adds a row (tests, and the Add button). */
void     tsu_grants_tiers_dialog_add_row (TsuGrantsTiersDialog *self,
                                          gint64                times,
                                          const char           *ceiling,
                                          const char           *rate);
gboolean tsu_grants_tiers_dialog_save (TsuGrantsTiersDialog *self);

G_END_DECLS
