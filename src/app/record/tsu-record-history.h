/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-collection.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_HISTORY (tsu_record_history_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuRecordHistory, tsu_record_history, TSU, RECORD_HISTORY, AdwPreferencesGroup)

/* A record's history as people read it: newest first, each entry with its
 * time (in the date style), author and action, and every changed field
 * with its value before and after (dates in the date style, codes by
 * name, lists as text). "revert" asks to undo one entry. */
GtkWidget *tsu_record_history_new (void);
void tsu_record_history_set_collection (TsuRecordHistory *self, const TsuCollection *collection);
void tsu_record_history_set_date_style (TsuRecordHistory *self, TsuDateStyle style);
void tsu_record_history_set_store (TsuRecordHistory *self, TsuStore *store);
/* Reads and shows the history of @id (NULL: none). */
gboolean tsu_record_history_load (TsuRecordHistory *self, const char *id, GError **error);
guint    tsu_record_history_get_n_entries (TsuRecordHistory *self);
/* How a history entry's time reads: "2026年11月26日（木） 14:05". */
char *tsu_record_history_format_time (const char *iso, TsuDateStyle style);

G_END_DECLS
