/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-group-query.h"
#include "tsu-store-private.h"
#include "tsu-search.h"
#include "tsu-date.h"

/**
 * tsu_group_query_new:
 *
 * Returns: (transfer full): all groups, 五十音順, judged today
 */
TsuGroupQuery *
tsu_group_query_new (void)
{
  TsuGroupQuery *q = g_new0 (TsuGroupQuery, 1);

  q->status = -1;
  q->renewal_days = TSU_GROUP_DEFAULT_RENEWAL_DAYS;
  tsu_group_today (&q->today);
  return q;
}

/**
 * tsu_group_query_copy:
 *
 * Returns: (transfer full): a copy
 */
TsuGroupQuery *
tsu_group_query_copy (const TsuGroupQuery *query)
{
  TsuGroupQuery *q = g_memdup2 (query, sizeof *query);

  q->search = g_strdup (query->search);
  return q;
}

void
tsu_group_query_free (TsuGroupQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->search);
  g_free (query);
}

/* The valid 年度: the column, or the 年度 of the registration date. */
#define VALID_FY_SQL                                                                               \
  "coalesce(valid_fiscal_year, CAST(substr(registered_on, 1, 4) AS INTEGER)"                       \
  " - (substr(registered_on, 6, 2) < '04'))"

/**
 * tsu_group_status_sql:
 *
 * The SQL expression of tsu_group_status() over a groups row, with the
 * day's values written in (they are dates and numbers we make, never
 * user input).
 *
 * Returns: (transfer full): the expression
 */
char *
tsu_group_status_sql (const GDate *today, guint renewal_days)
{
  g_autofree char *iso = tsu_date_to_iso (today);
  int              fy = tsu_fiscal_year (today);
  GDate            start;
  gboolean         due;

  tsu_group_renewal_start (fy, renewal_days, &start);
  due = g_date_compare (today, &start) >= 0;
  return g_strdup_printf ("(CASE"
                          " WHEN withdrawn_on IS NOT NULL AND withdrawn_on <= '%1$s' THEN %3$d"
                          " WHEN registered_on IS NULL OR registered_on > '%1$s' THEN %4$d"
                          " WHEN " VALID_FY_SQL " < %2$d THEN %5$d"
                          " WHEN " VALID_FY_SQL " = %2$d AND %6$d THEN %7$d"
                          " ELSE %8$d END)",
                          iso, fy, TSU_GROUP_STATUS_WITHDRAWN, TSU_GROUP_STATUS_APPLYING,
                          TSU_GROUP_STATUS_LAPSED, due ? 1 : 0, TSU_GROUP_STATUS_RENEWAL_DUE,
                          TSU_GROUP_STATUS_REGISTERED);
}

/* The filters after a search, on a `groups` row. */
static void
append_filters (GString *sql, const TsuGroupQuery *q, const char *status)
{
  if (q->status >= 0)
    g_string_append_printf (sql, " AND %s = %d", status, q->status);
  if (q->field > 0)
    g_string_append_printf (sql,
                            " AND EXISTS (SELECT 1 FROM json_each(groups.fields)"
                            " WHERE json_each.value = %u)",
                            q->field);
}

/* The ORDER BY terms (without the keyword) of @q's sort order. The rowid
 * comes last so the order is total: a first page found by walking an index
 * is then exactly the start of the full, sorted result. */
static char *
order_sql (const TsuGroupQuery *q, const char *status)
{
  const char *dir = q->descending ? "DESC" : "ASC";

  switch (q->sort)
    {
    case TSU_GROUP_SORT_NUMBER:
      /* Applying groups (no number yet) come first, then by number. */
      return g_strdup_printf ("registration_number %1$s, sort_key %1$s, rowid %1$s", dir);
    case TSU_GROUP_SORT_STATUS:
      return g_strdup_printf ("%s %s, sort_key, rowid", status, dir);
    case TSU_GROUP_SORT_RENEWAL:
      return g_strdup_printf ("valid_fiscal_year %1$s, sort_key %1$s, rowid %1$s", dir);
    case TSU_GROUP_SORT_READING:
    default:
      return g_strdup_printf ("sort_key %1$s, rowid %1$s", dir);
    }
}

/* The index whose order is @q's sort order, or NULL (status is computed). */
static const char *
order_index (const TsuGroupQuery *q)
{
  switch (q->sort)
    {
    case TSU_GROUP_SORT_NUMBER:
      return "groups_list_number";
    case TSU_GROUP_SORT_RENEWAL:
      return "groups_list_renewal";
    case TSU_GROUP_SORT_STATUS:
      return NULL;
    case TSU_GROUP_SORT_READING:
    default:
      return "groups_list";
    }
}

static GArray *
collect_rowids (sqlite3 *db, const char *sql, GPtrArray *params, GError **error)
{
  GArray       *rowids;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "groups query");
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
      tsu_store_set_sqlite_error (error, db, "groups query");
      g_array_unref (rowids);
      return NULL;
    }
  return rowids;
}

/**
 * tsu_group_query_run:
 * @db: the desk's connection (locked by the caller) or a reader
 *
 * Returns: (transfer full) (element-type gint64): the rowids of the
 *   matching groups in order, or %NULL on error
 */
GArray *
tsu_group_query_run (sqlite3 *db, const TsuGroupQuery *q, GError **error)
{
  g_autoptr (GString) sql = g_string_new ("SELECT rowid FROM groups WHERE deleted = 0");
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cond = tsu_search_condition ("groups", q->search, params);
  g_autofree char *status = NULL;
  g_autofree char *order = NULL;

  if (cond != NULL)
    {
      /* With a search, look the matches up through the narrow rowid index
       * and sort them, rather than walk the whole list index probing each
       * row, which the planner would otherwise choose. */
      g_string_assign (sql,
                       "SELECT rowid FROM groups INDEXED BY groups_by_rowid WHERE deleted = 0");
      g_string_append_printf (sql, " AND (%s)", cond);
    }
  if (q->status >= 0 || q->sort == TSU_GROUP_SORT_STATUS)
    status = tsu_group_status_sql (&q->today, q->renewal_days);
  append_filters (sql, q, status);
  order = order_sql (q, status);
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
frequent_entries (sqlite3 *db, guint page)
{
  sqlite3_stmt *stmt = NULL;
  gint64        rows = 0;

  /* The largest rowid: as many rows as ever existed, read in one seek. */
  if (sqlite3_prepare_v2 (db, "SELECT max(rowid) FROM groups", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    rows = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return MAX (FREQUENT_ENTRIES, rows * page / WALK_ROWS);
}

/**
 * tsu_group_query_run_first:
 * @db: as for tsu_group_query_run()
 * @page: how many rows
 *
 * The first @page rows of tsu_group_query_run()'s result, when they can be
 * found much faster than the whole result: without a search, the sort
 * index read up to @page; with a search of frequent terms (see
 * tsu_search_estimate()), a walk of at most a few thousand rows along the
 * sort index testing each row (tsu_search_scan_condition()). Returns
 * %NULL without an error when there is no such shortcut (rare terms, whose
 * index lookup is fast anyway; status order; fewer than @page matches in
 * the walk): run the whole query then.
 *
 * Returns: (transfer full) (nullable) (element-type gint64): the first
 *   @page rowids in order, or %NULL
 */
GArray *
tsu_group_query_run_first (sqlite3 *db, const TsuGroupQuery *q, guint page, GError **error)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree char *cond = NULL;
  g_autofree char *status = NULL;
  g_autofree char *order = NULL;
  const char      *index = order_index (q);
  GArray          *rowids;
  gint64           entries;

  if (index == NULL || page == 0)
    return NULL;
  if (q->status >= 0)
    status = tsu_group_status_sql (&q->today, q->renewal_days);
  order = order_sql (q, status);

  cond = tsu_search_scan_condition ("groups.search_text", q->search, params);
  if (cond == NULL && q->status < 0 && q->field == 0)
    {
      /* Everything: the sort index read up to a page is the start, and a
       * short page is all there is. */
      g_string_printf (sql, "SELECT rowid FROM groups INDEXED BY %s WHERE deleted = 0", index);
      g_string_append_printf (sql, " ORDER BY %s LIMIT %u", order, page);
      return collect_rowids (db, sql->str, params, error);
    }
  if (cond != NULL)
    {
      gint64 frequent = frequent_entries (db, page);

      entries = tsu_search_estimate (db, "groups", q->search, frequent);
      if (entries < frequent)
        return NULL; /* rare (or an error, which the whole query reports) */
    }
  /* The walk reads the sort index (no row needed) for its first WALK_ROWS
   * rows in order, and looks up each row until a page matched. The LIMIT
   * keeps the subquery a co-routine that yields rows in its order. */
  g_string_printf (sql,
                   "SELECT groups.rowid FROM"
                   " (SELECT rowid AS r FROM groups INDEXED BY %s WHERE deleted = 0"
                   "  ORDER BY %s LIMIT %d) AS walk"
                   " CROSS JOIN groups ON groups.rowid = walk.r WHERE (%s)",
                   index, order, WALK_ROWS, cond ? cond : "1");
  append_filters (sql, q, status);
  g_string_append_printf (sql, " LIMIT %u", page);
  rowids = collect_rowids (db, sql->str, params, error);
  if (rowids != NULL && rowids->len < page)
    g_clear_pointer (&rowids, g_array_unref); /* the rest may lie past the walk */
  return rowids;
}

static gboolean
has_column (sqlite3 *db, const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_table_info('groups') WHERE name = ?", -1, &stmt,
                          NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, column, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/**
 * tsu_group_migrate_search:
 *
 * Schema migration 4: the columns added to groups after migration 2 (a new
 * file already has them, since migration 2 creates the table from the
 * current field list), the indexes the list sorts and duplicate checks use,
 * and the search index.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_migrate_search (sqlite3 *db, GError **error)
{
  g_autofree char *index_sql = tsu_search_index_sql ("groups");

  if (!has_column (db, "declarations")
      && !tsu_store_exec (db, "ALTER TABLE groups ADD COLUMN declarations TEXT;", error))
    return FALSE;
  if (!has_column (db, "renewed_on")
      && !tsu_store_exec (db, "ALTER TABLE groups ADD COLUMN renewed_on TEXT;", error))
    return FALSE;
  /* The list reads only these narrow covering indexes while it sorts and
   * filters: rows hold long texts, and a lookup per row is what costs. */
  if (!tsu_store_exec (
          db,
          "CREATE INDEX groups_list ON groups (deleted, sort_key);"
          "CREATE INDEX groups_list_number ON groups (deleted, registration_number, sort_key);"
          "CREATE INDEX groups_list_renewal ON groups (deleted, valid_fiscal_year, sort_key);"
          "CREATE INDEX groups_by_rowid ON groups (rowid, deleted, sort_key);"
          /* status is computed from these four (see tsu_group_status_sql) */
          "CREATE INDEX groups_list_status ON groups"
          " (deleted, withdrawn_on, registered_on, valid_fiscal_year, sort_key);"
          "CREATE INDEX groups_name_kana ON groups (name_kana);"
          "CREATE INDEX groups_phone ON groups (phone);"
          "CREATE INDEX groups_contact_phone ON groups (contact_phone);",
          error))
    return FALSE;
  return tsu_store_exec (db, index_sql, error);
}
