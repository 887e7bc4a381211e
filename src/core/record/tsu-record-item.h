/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_ITEM (tsu_record_item_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordItem, tsu_record_item, TSU, RECORD_ITEM, GObject)

/* One row of a TsuRecordList: its rowid, record id and the list's columns
 * as text. A list keeps one item per shown position and relabels it in
 * place; "revision" is notified each time its cells change (bind to it). */
TsuRecordItem *tsu_record_item_new (GPtrArray *columns);
gint64         tsu_record_item_get_rowid (TsuRecordItem *self);
const char    *tsu_record_item_get_id (TsuRecordItem *self);
gboolean       tsu_record_item_get_loaded (TsuRecordItem *self);
guint          tsu_record_item_get_revision (TsuRecordItem *self);
guint          tsu_record_item_get_n_cells (TsuRecordItem *self);
const char    *tsu_record_item_get_cell_at (TsuRecordItem *self, guint column);
const char    *tsu_record_item_get_cell (TsuRecordItem *self, const char *column);

/* For the list: new contents (@cells: n strings, NULL for null, copied), or
 * a placeholder for @rowid (shown empty until its page is read). */
void tsu_record_item_set (TsuRecordItem *self, gint64 rowid, const char *id, char **cells);
void tsu_record_item_set_placeholder (TsuRecordItem *self, gint64 rowid);

G_END_DECLS
