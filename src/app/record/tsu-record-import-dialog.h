/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-collection.h"
#include "tsu-record-csv.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_IMPORT_DIALOG (tsu_record_import_dialog_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuRecordImportDialog, tsu_record_import_dialog, TSU, RECORD_IMPORT_DIALOG, AdwWindow)

/* Reads a CSV file of any collection in a worker, shows what importing it
 * would do (new / updated / unchanged / possible duplicates / errors, per
 * row, from tsu_record_import_plan()) and imports it in a worker. Closing
 * it at any moment is safe: the workers hold their own references and
 * their results are dropped. */
TsuRecordImportDialog *tsu_record_import_dialog_new (GtkWindow           *parent,
                                                     TsuStore            *store,
                                                     const TsuCollection *collection,
                                                     GFile               *file);
/* The result of the import, once "imported" was emitted. */
const TsuImportCounts *tsu_record_import_dialog_get_counts (TsuRecordImportDialog *self);
/* Text for a summary: "新規 3・更新 2・変更なし 290". */
char *tsu_record_import_counts_text (const TsuImportCounts *counts);

G_END_DECLS
