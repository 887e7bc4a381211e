/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-record-query.h"
#include "tsu-date.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

static void
filter_free (TsuFilter *f)
{
  g_free (f->column);
  g_free (f->value);
  g_free (f);
}

static GDate
today_date (void)
{
  const char *fixed = g_getenv ("TSUNAGU_TODAY");
  g_autoptr (GDateTime) now = NULL;
  GDate d;

  g_date_clear (&d, 1);
  if (fixed && tsu_date_from_iso (fixed, &d))
    return d;
  now = g_date_time_new_now_local ();
  g_date_set_dmy (&d, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  return d;
}

/**
 * tsu_record_query_new:
 *
 * Returns: (transfer full): every record of @collection in its first sort
 *   order, judged today
 */
TsuRecordQuery *
tsu_record_query_new (const TsuCollection *collection)
{
  TsuRecordQuery *q = g_new0 (TsuRecordQuery, 1);

  q->collection = collection;
  q->filters = g_ptr_array_new_with_free_func ((GDestroyNotify)filter_free);
  q->params = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  q->today = today_date ();
  return q;
}

TsuRecordQuery *
tsu_record_query_copy (const TsuRecordQuery *query)
{
  TsuRecordQuery *q = tsu_record_query_new (query->collection);
  GHashTableIter  iter;
  gpointer        key, value;

  q->search = g_strdup (query->search);
  q->sort = g_strdup (query->sort);
  q->descending = query->descending;
  q->today = query->today;
  for (guint i = 0; i < query->filters->len; i++)
    {
      TsuFilter *f = g_ptr_array_index (query->filters, i);
      tsu_record_query_add_filter (q, f->column, f->op, f->value);
    }
  g_hash_table_iter_init (&iter, query->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (q->params, g_strdup (key), value);
  return q;
}

void
tsu_record_query_free (TsuRecordQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->search);
  g_free (query->sort);
  g_ptr_array_unref (query->filters);
  g_hash_table_unref (query->params);
  g_free (query);
}

/**
 * tsu_record_query_equal:
 *
 * Returns: whether both ask for the same rows in the same order
 */
gboolean
tsu_record_query_equal (const TsuRecordQuery *a, const TsuRecordQuery *b)
{
  GHashTableIter iter;
  gpointer       key, value;

  if (a->collection != b->collection || g_strcmp0 (a->search, b->search) != 0
      || g_strcmp0 (a->sort, b->sort) != 0 || a->descending != b->descending
      || g_date_compare (&a->today, &b->today) != 0 || a->filters->len != b->filters->len
      || g_hash_table_size (a->params) != g_hash_table_size (b->params))
    return FALSE;
  for (guint i = 0; i < a->filters->len; i++)
    {
      TsuFilter *x = g_ptr_array_index (a->filters, i), *y = g_ptr_array_index (b->filters, i);
      if (x->op != y->op || g_strcmp0 (x->column, y->column) || g_strcmp0 (x->value, y->value))
        return FALSE;
    }
  g_hash_table_iter_init (&iter, a->params);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (b->params, key) || g_hash_table_lookup (b->params, key) != value)
      return FALSE;
  return TRUE;
}

void
tsu_record_query_set_search (TsuRecordQuery *query, const char *search)
{
  g_free (query->search);
  query->search = g_strdup (search);
}

void
tsu_record_query_set_sort (TsuRecordQuery *query, const char *sort, gboolean descending)
{
  g_free (query->sort);
  query->sort = g_strdup (sort);
  query->descending = descending;
}

void
tsu_record_query_add_filter (TsuRecordQuery *query,
                             const char     *column,
                             TsuFilterOp     op,
                             const char     *value)
{
  TsuFilter *f = g_new0 (TsuFilter, 1);

  g_return_if_fail (tsu_collection_lookup_column (query->collection, column) != NULL);

  f->column = g_strdup (column);
  f->op = op;
  f->value = g_strdup (value);
  g_ptr_array_add (query->filters, f);
}

void
tsu_record_query_clear_filters (TsuRecordQuery *query)
{
  g_ptr_array_set_size (query->filters, 0);
}

const char *
tsu_record_query_get_filter (const TsuRecordQuery *query, const char *column)
{
  for (guint i = 0; i < query->filters->len; i++)
    {
      TsuFilter *f = g_ptr_array_index (query->filters, i);
      if (g_str_equal (f->column, column))
        return f->value;
    }
  return NULL;
}

void
tsu_record_query_set_param (TsuRecordQuery *query, const char *name, int value)
{
  g_hash_table_insert (query->params, g_strdup (name), GINT_TO_POINTER (value));
}

int
tsu_record_query_get_param (const TsuRecordQuery *query, const char *name, int fallback)
{
  gpointer value;

  if (query == NULL || !g_hash_table_lookup_extended (query->params, name, NULL, &value))
    return fallback;
  return GPOINTER_TO_INT (value);
}

/**
 * tsu_record_query_column_sql:
 *
 * Returns: (transfer full): the SQL of @column: the quoted field, or a
 *   computed column's expression (with the query's day and settings)
 */
char *
tsu_record_query_column_sql (const TsuRecordQuery *query, const char *column)
{
  const TsuFieldDef *f = tsu_collection_lookup_column (query->collection, column);

  g_return_val_if_fail (f != NULL, g_strdup ("NULL"));

  if (f->sql != NULL)
    return f->sql (query);
  return g_strdup_printf ("\"%s\".\"%s\"", query->collection->name, f->name);
}

static gboolean
is_integer (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (const char *p = (*s == '-' ? s + 1 : s); *p; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  return TRUE;
}

/* The filters after a search, with their values bound as parameters. */
static void
append_filters (GString *sql, const TsuRecordQuery *q, GPtrArray *params)
{
  for (guint i = 0; i < q->filters->len; i++)
    {
      TsuFilter         *f = g_ptr_array_index (q->filters, i);
      g_autofree char   *col = tsu_record_query_column_sql (q, f->column);
      const TsuFieldDef *def = tsu_collection_lookup_column (q->collection, f->column);

      switch (f->op)
        {
        case TSU_FILTER_EQ:
          /* Values are bound as text: a number (an INT field, or a computed
           * column such as a status code) is compared as a number. */
          g_string_append_printf (sql, " AND %s = %s", col,
                                  def->type == TSU_FIELD_INT || def->type == TSU_FIELD_BOOL
                                          || (def->sql != NULL && is_integer (f->value))
                                      ? "CAST(? AS INTEGER)"
                                      : "?");
          g_ptr_array_add (params, g_strdup (f->value));
          break;
        case TSU_FILTER_CONTAINS:
          g_string_append_printf (sql,
                                  " AND EXISTS (SELECT 1 FROM json_each(%s) WHERE"
                                  " json_each.value = %s)",
                                  col, def->type == TSU_FIELD_CODES ? "CAST(? AS INTEGER)" : "?");
          g_ptr_array_add (params, g_strdup (f->value));
          break;
        case TSU_FILTER_NOT_NULL:
          g_string_append_printf (sql, " AND %s IS NOT NULL", col);
          break;
        case TSU_FILTER_IS_NULL:
          g_string_append_printf (sql, " AND %s IS NULL", col);
          break;
        case TSU_FILTER_GE:
        case TSU_FILTER_LT:
          /* Bound as text like EQ, so a range on an indexed text column
           * (a deadline key) is looked up in the index. */
          g_string_append_printf (sql, " AND %s %s %s", col, f->op == TSU_FILTER_GE ? ">=" : "<",
                                  def->type == TSU_FIELD_INT ? "CAST(? AS INTEGER)" : "?");
          g_ptr_array_add (params, g_strdup (f->value));
          break;
        }
    }
}

/* Replaces every "@name" of a computed column in @text by its SQL. */
static char *
expand_computed (const TsuRecordQuery *q, const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p;)
    {
      if (*p == '@')
        {
          const char      *start = ++p;
          g_autofree char *name = NULL;
          g_autofree char *expr = NULL;

          while (g_ascii_isalnum (*p) || *p == '_')
            p++;
          name = g_strndup (start, p - start);
          expr = tsu_record_query_column_sql (q, name);
          g_string_append (s, expr);
          continue;
        }
      g_string_append_c (s, *p++);
    }
  return g_string_free (s, FALSE);
}

/* The ORDER BY terms (without the keyword): the sort's order with %D the
 * direction, then the rowid, so the order is total: a first page found by
 * walking an index is then exactly the start of the full, sorted result. */
static char *
order_sql (const TsuRecordQuery *q)
{
  const TsuSortDef *sort = tsu_collection_lookup_sort (q->collection, q->sort);
  const char       *dir = q->descending ? "DESC" : "ASC";
  g_autofree char  *order = NULL;
  g_autoptr (GString) s = g_string_new (NULL);

  if (sort == NULL)
    return g_strdup_printf ("rowid %s", dir);
  order = expand_computed (q, sort->order);
  for (const char *p = order; *p; p++)
    if (p[0] == '%' && p[1] == 'D')
      {
        g_string_append (s, dir);
        p++;
      }
    else
      g_string_append_c (s, *p);
  g_string_append_printf (s, ", \"%s\".rowid %s", q->collection->name, dir);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GArray *
collect_rowids (sqlite3 *db, const char *sql, GPtrArray *params, GError **error)
{
  GArray       *rowids;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "list query");
      return NULL;
    }
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
  rowids = g_array_new (FALSE, FALSE, sizeof (gint64));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 r = sqlite3_column_int64 (stmt, 0);
      g_array_append_val (rowids, r);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "list query");
      g_array_unref (rowids);
      return NULL;
    }
  return rowids;
}

static gboolean
has_search_index (const TsuCollection *c)
{
  return tsu_collection_lookup_field (c, "search_text") != NULL;
}

/**
 * tsu_record_query_run:
 * @db: the desk's connection (locked by the caller) or a reader
 *
 * Returns: (transfer full) (element-type gint64): the rowids of the
 *   matching records in order, or %NULL on error
 */
GArray *
tsu_record_query_run (sqlite3 *db, const TsuRecordQuery *q, GError **error)
{
  const char *t = q->collection->name;
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cond
      = has_search_index (q->collection) ? tsu_search_condition (t, q->search, params) : NULL;
  g_autofree char *by_rowid = g_strdup_printf ("%s_by_rowid", t);
  g_autofree char *order = NULL;

  if (cond != NULL)
    /* With a search, look the matches up through the narrow rowid index
     * and sort them, rather than walk the whole list index probing each
     * row, which the planner would otherwise choose. */
    g_string_printf (sql,
                     "SELECT \"%s\".rowid FROM \"%s\" INDEXED BY \"%s\" WHERE deleted = 0 AND (%s)",
                     t, t, by_rowid, cond);
  else
    g_string_printf (sql, "SELECT \"%s\".rowid FROM \"%s\" WHERE deleted = 0", t, t);
  append_filters (sql, q, params);
  order = order_sql (q);
  g_string_append_printf (sql, " ORDER BY %s", order);
  return collect_rowids (db, sql->str, params, error);
}

/* How many rows, at most, the walk for a first page reads. */
#define WALK_ROWS 3000
/* A search whose terms have fewer index entries than this is always looked
 * up through the index at once (it costs about as much as this many
 * entries). */
#define FREQUENT_ENTRIES 2000

/* How many index entries a search needs for the walk to be worth trying:
 * enough that a page of matches is likely within WALK_ROWS rows, i.e. a
 * share page / WALK_ROWS of the rows (entries may count a row more than
 * once, so this errs towards trying the walk). Fewer, and the index
 * lookup is cheaper than a walk that comes back short. */
static gint64
frequent_entries (sqlite3 *db, const char *table, guint page)
{
  sqlite3_stmt    *stmt = NULL;
  gint64           rows = 0;
  g_autofree char *sql = g_strdup_printf ("SELECT max(rowid) FROM \"%s\"", table);

  /* The largest rowid: as many rows as ever existed, read in one seek. */
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    rows = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return MAX (FREQUENT_ENTRIES, rows * page / WALK_ROWS);
}

/* Range filters (GE/LT) on the plain column the sort order starts with,
 * for the walk itself: it then starts where the range does (upcoming
 * deadlines from today on) instead of at the first row of the index. */
static void
append_sort_ranges (GString              *sql,
                    const TsuRecordQuery *q,
                    const TsuSortDef     *sort,
                    GPtrArray            *params)
{
  gsize n = strspn (sort->order, "abcdefghijklmnopqrstuvwxyz0123456789_");

  for (guint i = 0; i < q->filters->len; i++)
    {
      TsuFilter         *f = g_ptr_array_index (q->filters, i);
      const TsuFieldDef *def = tsu_collection_lookup_column (q->collection, f->column);

      if ((f->op != TSU_FILTER_GE && f->op != TSU_FILTER_LT) || def == NULL || def->sql != NULL
          || def->type != TSU_FIELD_TEXT || strlen (f->column) != n
          || strncmp (f->column, sort->order, n) != 0)
        continue;
      g_string_append_printf (sql, " AND \"%s\" %s ?", f->column,
                              f->op == TSU_FILTER_GE ? ">=" : "<");
      g_ptr_array_add (params, g_strdup (f->value));
    }
}

/**
 * tsu_record_query_run_first:
 * @db: as for tsu_record_query_run()
 * @page: how many rows
 *
 * The first @page rows of tsu_record_query_run()'s result, when they can be
 * found much faster than the whole result: without a search, the sort
 * index read up to @page; with a search of frequent terms (see
 * tsu_search_estimate()), a walk of at most a few thousand rows along the
 * sort index testing each row (tsu_search_scan_condition()). Returns
 * %NULL without an error when there is no such shortcut (rare terms, whose
 * index lookup is fast anyway; a sort order without an index; fewer than
 * @page matches in the walk): run the whole query then.
 *
 * Returns: (transfer full) (nullable) (element-type gint64): the first
 *   @page rowids in order, or %NULL
 */
GArray *
tsu_record_query_run_first (sqlite3 *db, const TsuRecordQuery *q, guint page, GError **error)
{
  const char       *t = q->collection->name;
  const TsuSortDef *sort = tsu_collection_lookup_sort (q->collection, q->sort);
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree char *column = g_strdup_printf ("%s.search_text", t);
  g_autofree char *cond = NULL;
  g_autofree char *order = NULL;
  GArray          *rowids;

  if (sort == NULL || sort->index == NULL || page == 0)
    return NULL;
  order = order_sql (q);
  if (has_search_index (q->collection))
    cond = tsu_search_scan_condition (column, q->search, params);
  if (cond == NULL && q->filters->len == 0)
    {
      /* Everything: the sort index read up to a page is the start, and a
       * short page is all there is. */
      g_string_printf (sql,
                       "SELECT \"%s\".rowid FROM \"%s\" INDEXED BY \"%s\" WHERE deleted = 0"
                       " ORDER BY %s LIMIT %u",
                       t, t, sort->index, order, page);
      return collect_rowids (db, sql->str, params, error);
    }
  if (cond != NULL)
    {
      gint64 frequent = frequent_entries (db, t, page);

      if (tsu_search_estimate (db, t, q->search, frequent) < frequent)
        return NULL; /* rare (or an error, which the whole query reports) */
    }
  /* The walk reads the sort index (no row needed) for its first WALK_ROWS
   * rows in order, and looks up each row until a page matched. The LIMIT
   * keeps the subquery a co-routine that yields rows in its order. */
  {
    g_autoptr (GString) ranges = g_string_new (NULL);
    GPtrArray *all = g_ptr_array_new_with_free_func (g_free);

    append_sort_ranges (ranges, q, sort, all);
    g_string_printf (
        sql,
        "SELECT \"%1$s\".rowid FROM"
        " (SELECT \"%1$s\".rowid AS r FROM \"%1$s\" INDEXED BY \"%2$s\" WHERE deleted = 0%6$s"
        "  ORDER BY %3$s LIMIT %4$d) AS walk"
        " CROSS JOIN \"%1$s\" ON \"%1$s\".rowid = walk.r WHERE (%5$s)",
        t, sort->index, order, WALK_ROWS, cond ? cond : "1", ranges->str);
    /* The walk's parameters come first in the text. */
    for (guint i = 0; i < params->len; i++)
      g_ptr_array_add (all, g_strdup (g_ptr_array_index (params, i)));
    g_ptr_array_unref (params);
    params = all;
  }
  append_filters (sql, q, params);
  g_string_append_printf (sql, " LIMIT %u", page);
  rowids = collect_rowids (db, sql->str, params, error);
  if (rowids != NULL && rowids->len < page)
    g_clear_pointer (&rowids, g_array_unref); /* the rest may lie past the walk */
  return rowids;
}

void
tsu_row_cells_free (TsuRowCells *row)
{
  if (row == NULL)
    return;
  g_free (row->id);
  for (guint i = 0; i < row->n_cells; i++)
    g_free (row->cells[i]);
  g_free (row->cells);
  g_free (row);
}

/**
 * tsu_record_query_read_cells:
 * @columns: the columns to read (fields or computed columns)
 *
 * Reads the cells of @rowids, at most 64 rows a statement (an indexed
 * rowid lookup each).
 *
 * Returns: (transfer full) (element-type TsuRowCells): one entry per rowid
 *   in order, %NULL for a row no longer there; %NULL on error
 */
GPtrArray *
tsu_record_query_read_cells (sqlite3              *db,
                             const TsuRecordQuery *q,
                             const char *const    *columns,
                             const gint64         *rowids,
                             guint                 n_rowids,
                             GError              **error)
{
  const char *t = q->collection->name;
  guint       n_columns = columns ? g_strv_length ((GStrv)columns) : 0;
  g_autoptr (GString) select = g_string_new (NULL);
  g_autoptr (GPtrArray) out = g_ptr_array_new_full (n_rowids, (GDestroyNotify)tsu_row_cells_free);

  g_string_printf (select, "SELECT \"%s\".rowid, id", t);
  for (guint c = 0; c < n_columns; c++)
    {
      g_autofree char *col = tsu_record_query_column_sql (q, columns[c]);
      g_string_append_printf (select, ", %s", col);
    }
  g_string_append_printf (select, " FROM \"%s\" WHERE \"%s\".rowid IN (", t, t);
  g_ptr_array_set_size (out, n_rowids);

  for (guint first = 0; first < n_rowids; first += 64)
    {
      guint last = MIN (first + 64, n_rowids);
      g_autoptr (GString) sql = g_string_new (select->str);
      g_autoptr (GHashTable) index_of = g_hash_table_new (g_int64_hash, g_int64_equal);
      sqlite3_stmt *stmt = NULL;
      int           rc;

      for (guint i = first; i < last; i++)
        {
          g_string_append (sql, i == first ? "?" : ",?");
          g_hash_table_insert (index_of, (gpointer)&rowids[i], GUINT_TO_POINTER (i + 1));
        }
      g_string_append (sql, ")");
      if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
        {
          tsu_store_set_sqlite_error (error, db, "list rows");
          return NULL;
        }
      for (guint i = first; i < last; i++)
        sqlite3_bind_int64 (stmt, i - first + 1, rowids[i]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64       rowid = sqlite3_column_int64 (stmt, 0);
          guint        at = GPOINTER_TO_UINT (g_hash_table_lookup (index_of, &rowid));
          TsuRowCells *row;

          if (at == 0)
            continue;
          row = g_new0 (TsuRowCells, 1);
          row->rowid = rowid;
          row->id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
          row->n_cells = n_columns;
          row->cells = g_new0 (char *, n_columns + 1);
          for (guint c = 0; c < n_columns; c++)
            row->cells[c] = g_strdup ((const char *)sqlite3_column_text (stmt, 2 + c));
          tsu_row_cells_free (g_ptr_array_index (out, at - 1));
          g_ptr_array_index (out, at - 1) = row;
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, db, "list rows");
          return NULL;
        }
    }
  return g_steal_pointer (&out);
}
