/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tsu-collection.h"
#include "tsu-date.h"
#include "tsu-record-column.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_LIST_VIEW (tsu_record_list_view_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordListView, tsu_record_list_view, TSU, RECORD_LIST_VIEW, GtkWidget)

/* A list of records: clickable column headers (sorting is the query's, in
 * SQLite) above a GtkListView whose rows draw their cells themselves, so a
 * search relabels one widget per row instead of five. Columns come from the
 * page's .ui (TsuRecordColumn). */
GtkWidget *tsu_record_list_view_new (void);
void tsu_record_list_view_set_collection (TsuRecordListView *self, const TsuCollection *collection);
const TsuCollection *tsu_record_list_view_get_collection (TsuRecordListView *self);
void             tsu_record_list_view_add_column (TsuRecordListView *self, TsuRecordColumn *column);
guint            tsu_record_list_view_get_n_columns (TsuRecordListView *self);
TsuRecordColumn *tsu_record_list_view_get_column (TsuRecordListView *self, guint i);
/* The cells the columns show, for tsu_record_list_new() (NULL-terminated). */
GStrv               tsu_record_list_view_get_cells (TsuRecordListView *self);
void                tsu_record_list_view_set_model (TsuRecordListView *self, GListModel *model);
GtkSingleSelection *tsu_record_list_view_get_selection (TsuRecordListView *self);
void         tsu_record_list_view_set_date_style (TsuRecordListView *self, TsuDateStyle style);
TsuDateStyle tsu_record_list_view_get_date_style (TsuRecordListView *self);
void tsu_record_list_view_set_sort (TsuRecordListView *self, const char *sort, gboolean descending);
const char *tsu_record_list_view_get_sort (TsuRecordListView *self);
gboolean    tsu_record_list_view_get_descending (TsuRecordListView *self);
void        tsu_record_list_view_select (TsuRecordListView *self, guint position);
GtkWidget  *tsu_record_list_view_get_list (TsuRecordListView *self);

/* Sections: a heading above each row whose @cell (formatted as its column
 * would be) differs from the row above's, e.g. "今週" over the first
 * deadline of this week (GTK 4.8 lists have no sections of their own).
 * NULL: none. The cell is read with the others (set it before the model). */
void        tsu_record_list_view_set_section (TsuRecordListView *self, const char *cell);
const char *tsu_record_list_view_get_section (TsuRecordListView *self);
/* The heading above the row at @position, or NULL (transfer full). */
char *tsu_record_list_view_get_heading (TsuRecordListView *self, guint position);
/* A row was relabelled: the row below may gain or lose its heading. */
void tsu_record_list_view_row_changed (TsuRecordListView *self, guint position);

/* For the rows: where each column is drawn in a row @width wide. */
void tsu_record_list_view_layout_columns (TsuRecordListView *self, int width, int *x, int *w);
/* A cell as a person reads it. */
char *
tsu_record_list_view_format_cell (TsuRecordListView *self, const char *column, const char *cell);

G_END_DECLS
