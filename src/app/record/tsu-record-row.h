/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tsu-record-item.h"
#include "tsu-record-list-view.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_ROW (tsu_record_row_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordRow, tsu_record_row, TSU, RECORD_ROW, GtkWidget)

/* One row of a TsuRecordListView: draws every cell of its item with Pango
 * (one widget per row, relabelled in place when the item's revision
 * changes); its accessible label holds the cells' text. */
GtkWidget     *tsu_record_row_new (TsuRecordListView *view);
void           tsu_record_row_set_item (TsuRecordRow *self, TsuRecordItem *item);
TsuRecordItem *tsu_record_row_get_item (TsuRecordRow *self);
/* The cells as drawn, joined (what the accessible label says). */
const char *tsu_record_row_get_text (TsuRecordRow *self);
/* Drops cached text: the view's date style or columns changed. */
void tsu_record_row_refresh (TsuRecordRow *self);
/* Where the row is in the list (for its section heading). */
void  tsu_record_row_set_position (TsuRecordRow *self, guint position);
guint tsu_record_row_get_position (TsuRecordRow *self);
/* The section heading drawn above the cells, or NULL. */
const char *tsu_record_row_get_heading (TsuRecordRow *self);

G_END_DECLS
