/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_GROUP_IMPORT_DIALOG (tsu_group_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGroupImportDialog, tsu_group_import_dialog, TSU, GROUP_IMPORT_DIALOG, AdwWindow)

/* Reads a CSV file in a worker thread, previews how its columns map and
 * which rows have errors, and imports all rows (or only the valid ones)
 * in one transaction. "imported" carries the number of groups written. */
TsuGroupImportDialog *tsu_group_import_dialog_new (GtkWindow *parent, TsuStore *store, GFile *file);

G_END_DECLS
