/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsu-record-item.h"
#include "tsu-record-query.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_LIST (tsu_record_list_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordList, tsu_record_list, TSU, RECORD_LIST, GObject)

/* A GListModel of TsuRecordItem over any collection. It holds only the
 * matching rowids, found by SQLite in a worker thread on a read-only
 * connection; the cells of the rows are read in the same worker for the
 * first screen and for the rows already shown, and in pages (again in a
 * worker) as the view scrolls. It follows the store's "changed" signal,
 * keeping each position's item and relabelling it in place. */
TsuRecordList *
tsu_record_list_new (TsuStore *store, const TsuCollection *collection, const char *const *columns);
TsuStore             *tsu_record_list_get_store (TsuRecordList *self);
const TsuCollection  *tsu_record_list_get_collection (TsuRecordList *self);
const TsuRecordQuery *tsu_record_list_get_query (TsuRecordList *self);
void                  tsu_record_list_set_query (TsuRecordList *self, const TsuRecordQuery *query);
/* Runs the query and reads every row's cells on demand in this thread (the
 * command line, tests). */
gboolean
tsu_record_list_set_query_sync (TsuRecordList *self, const TsuRecordQuery *query, GError **error);
gboolean tsu_record_list_get_loading (TsuRecordList *self);
gboolean tsu_record_list_get_complete (TsuRecordList *self);
guint    tsu_record_list_find (TsuRecordList *self, const char *id);
GArray  *tsu_record_list_get_rowids (TsuRecordList *self);
/* Also reads the list again when @collection changes (computed columns
 * over another collection). */
void tsu_record_list_watch (TsuRecordList *self, const char *collection);

G_END_DECLS
