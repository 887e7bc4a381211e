/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a list of records shows: search, filters and sort order of any
 * collection, run in SQLite on indexed columns. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "tsu-collection.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_FILTER_EQ,       /* column = value (a field or a computed column) */
  TSU_FILTER_CONTAINS, /* a CODES / STRINGS list holds value */
  TSU_FILTER_NOT_NULL, /* the field has a value */
  TSU_FILTER_IS_NULL,
  TSU_FILTER_GE, /* column >= value (text order; a range on an indexed sort column) */
  TSU_FILTER_LT, /* column < value */
} TsuFilterOp;

typedef struct
{
  char       *column;
  TsuFilterOp op;
  char       *value;
} TsuFilter;

struct _TsuRecordQuery
{
  const TsuCollection *collection;
  char                *search;  /* what the user typed, or NULL */
  GPtrArray           *filters; /* TsuFilter */
  char                *sort;    /* a sort id of the collection, or NULL for the first */
  gboolean             descending;
  GDate                today;  /* computed columns (statuses) are judged on this day */
  GHashTable          *params; /* settings the computed columns use: name → GINT_TO_POINTER */
};

TsuRecordQuery *tsu_record_query_new (const TsuCollection *collection);
TsuRecordQuery *tsu_record_query_copy (const TsuRecordQuery *query);
void            tsu_record_query_free (TsuRecordQuery *query);
gboolean        tsu_record_query_equal (const TsuRecordQuery *a, const TsuRecordQuery *b);

void tsu_record_query_set_search (TsuRecordQuery *query, const char *search);
void tsu_record_query_set_sort (TsuRecordQuery *query, const char *sort, gboolean descending);
void tsu_record_query_add_filter (TsuRecordQuery *query,
                                  const char     *column,
                                  TsuFilterOp     op,
                                  const char     *value);
void tsu_record_query_clear_filters (TsuRecordQuery *query);
/* The value of the first filter on @column, or NULL. */
const char *tsu_record_query_get_filter (const TsuRecordQuery *query, const char *column);
void        tsu_record_query_set_param (TsuRecordQuery *query, const char *name, int value);
int tsu_record_query_get_param (const TsuRecordQuery *query, const char *name, int fallback);

/* The SQL of a column for a SELECT: the field quoted, or a computed
 * column's expression. */
char *tsu_record_query_column_sql (const TsuRecordQuery *query, const char *column);

/* Rowids of the matching records in order (on a reader, or on the desk's
 * connection held by the caller). */
GArray *tsu_record_query_run (sqlite3 *db, const TsuRecordQuery *query, GError **error);
/* The first @page rowids, when they can be found much faster than the whole
 * result (see tsu-record-query.c); NULL without an error otherwise. */
GArray *
tsu_record_query_run_first (sqlite3 *db, const TsuRecordQuery *query, guint page, GError **error);

/* One row of a list as text: its columns as SQLite gives them (NULL for null). */
typedef struct
{
  gint64 rowid;
  char  *id;
  guint  n_cells;
  char **cells;
} TsuRowCells;

void tsu_row_cells_free (TsuRowCells *row);

/* Cells of @rowids: for each rowid in order a TsuRowCells, or NULL for a
 * row no longer there. */
GPtrArray *tsu_record_query_read_cells (sqlite3              *db,
                                        const TsuRecordQuery *query,
                                        const char *const    *columns,
                                        const gint64         *rowids,
                                        guint                 n_rowids,
                                        GError              **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuRecordQuery, tsu_record_query_free)

G_END_DECLS
