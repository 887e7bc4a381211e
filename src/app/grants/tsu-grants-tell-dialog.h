/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_TELL_DIALOG (tsu_grants_tell_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGrantsTellDialog, tsu_grants_tell_dialog, TSU, GRANTS_TELL_DIALOG, AdwWindow)

/* Tell groups about a programme: pick groups (suggested by field,
 * registration status and, for tiers, past awards; or any group by name),
 * record 案内済 for each at once, then the notice text to copy and the
 * chosen groups' public contacts as CSV. */
GtkWindow *
tsu_grants_tell_dialog_new (GtkWindow *parent, TsuStore *store, const char *programme_id);

/* For tests: the groups chosen (ids), and choosing one. */
GStrv    tsu_grants_tell_dialog_get_chosen (TsuGrantsTellDialog *self);
void     tsu_grants_tell_dialog_choose (TsuGrantsTellDialog *self, const char *id, gboolean chosen);
gboolean tsu_grants_tell_dialog_get_loading (TsuGrantsTellDialog *self);

G_END_DECLS
