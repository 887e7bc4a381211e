/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Substring search of any length over a table's folded `search_text` column. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/**
 * tsu_search_index_sql:
 * @table: a collection table that has a TEXT column `search_text` holding
 *   tsu_search_fold() of its searchable columns
 *
 * Returns the SQL (several statements, for sqlite3_exec() inside a schema
 * migration) that creates the search index of @table (a contentless FTS5
 * trigram table `<table>_fts` and its fts5vocab table `<table>_fts_terms`,
 * which answers queries of one or two characters), the triggers that keep
 * it in step with inserts, updates and deletes of @table by rowid, and fills
 * it from the rows already there. @table must be a rowid table with a plain
 * identifier for a name. The index is contentless and relies on the
 * triggers seeing every change: do not use INSERT OR REPLACE on @table
 * (its implicit delete fires no trigger unless recursive_triggers is on).
 *
 * Returns: (transfer full): the SQL
 */
char *tsu_search_index_sql (const char *table);

/* For writes that turn the triggers off for a batch (a pulled page): what
 * the triggers would have written, in one statement each. Bound: ?1, a JSON
 * array of the rowids to index (insert: their current search_text); of
 * [rowid, old search_text] pairs to remove (delete). The names and triggers
 * of the index, to check that a table has no others. */
char *tsu_search_index_bulk_insert_sql (const char *table);
char *tsu_search_index_bulk_delete_sql (const char *table);
char *tsu_search_index_trigger_name (const char *table, const char *suffix);

/**
 * tsu_search_condition:
 * @table: the table, as given to tsu_search_index_sql()
 * @user_query: (nullable): what the user typed
 * @params: a #GPtrArray made with g_free as free function; the values to
 *   bind (char *) are appended in order
 *
 * Folds @user_query with tsu_search_fold(), splits it on spaces (every term
 * must match, as a substring) and returns an SQL boolean expression over
 * `<table>.rowid`, with `?` placeholders for the appended values.
 *
 * Returns: (transfer full) (nullable): the expression, or NULL when the
 *   query folds to nothing (no filter)
 */
char *tsu_search_condition (const char *table, const char *user_query, GPtrArray *params);

/**
 * tsu_search_scan_condition:
 * @column: the folded text column to test, e.g. `groups.search_text`
 * @user_query: (nullable): what the user typed
 * @params: as for tsu_search_condition()
 *
 * The same search as tsu_search_condition() (same folding, same terms,
 * same matches) written as a test of one row's @column, with no index:
 * for a walk along a sort-order index that stops after a page of
 * matches, which is fast when the terms are frequent (see
 * tsu_search_estimate()).
 *
 * Returns: (transfer full) (nullable): the expression, or NULL when the
 *   query folds to nothing (no filter)
 */
char *tsu_search_scan_condition (const char *column, const char *user_query, GPtrArray *params);

/**
 * tsu_search_estimate:
 * @db: a connection to the database that holds @table's search index
 * @table: the table, as given to tsu_search_index_sql()
 * @user_query: (nullable): what the user typed
 * @cap: stop counting at this many
 *
 * A cheap, bounded measure of how much the index lookup of
 * tsu_search_condition() would read: for each term, the index entries it
 * matches (occurrences for one or two characters, rows for longer terms),
 * counted up to @cap; the smallest of the terms. Its cost is bounded by
 * @cap index entries per term.
 *
 * Returns: the count (at most @cap; @cap when the query folds to nothing),
 *   or -1 on an SQLite error
 */
gint64 tsu_search_estimate (sqlite3 *db, const char *table, const char *user_query, gint64 cap);

G_END_DECLS
