/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-fold.h"
#include "tsu-search.h"

/* Design. One contentless FTS5 table with the trigram tokenizer indexes
 * `search_text || U+0001 U+0001`. Queries of three or more characters are
 * FTS5 phrase queries on it. Because of the two padding characters every
 * character of the text begins at least one trigram, so a query of one or
 * two characters is a range over the index's vocabulary (the fts5vocab
 * 'instance' table, which seeks on `term >= ? AND term < ?`): all trigrams
 * that begin with the query. Both paths are index lookups; neither scans the
 * table. The folded text never holds U+0001 (tsu_search_fold drops control
 * characters), so padding cannot match a query. */

/* Table names are spliced into SQL: only plain identifiers. */
static gboolean
is_identifier (const char *s)
{
  if (s == NULL || *s == '\0' || g_ascii_isdigit (*s))
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isalnum (*s) && *s != '_')
      return FALSE;
  return TRUE;
}

char *
tsu_search_index_sql (const char *table)
{
  g_return_val_if_fail (is_identifier (table), NULL);

  return g_strdup_printf (
      "CREATE VIRTUAL TABLE \"%1$s_fts\" USING fts5("
      "  body, content='', tokenize='trigram case_sensitive 1');\n"
      "CREATE VIRTUAL TABLE \"%1$s_fts_terms\" USING fts5vocab(\"%1$s_fts\", 'instance');\n"
      "CREATE TRIGGER \"%1$s_fts_ai\" AFTER INSERT ON \"%1$s\" BEGIN\n"
      "  INSERT INTO \"%1$s_fts\" (rowid, body)"
      "    VALUES (new.rowid, coalesce(new.search_text, '') || char(1, 1));\n"
      "END;\n"
      "CREATE TRIGGER \"%1$s_fts_ad\" AFTER DELETE ON \"%1$s\" BEGIN\n"
      "  INSERT INTO \"%1$s_fts\" (\"%1$s_fts\", rowid, body)"
      "    VALUES ('delete', old.rowid, coalesce(old.search_text, '') || char(1, 1));\n"
      "END;\n"
      "CREATE TRIGGER \"%1$s_fts_au\" AFTER UPDATE ON \"%1$s\""
      "  WHEN old.search_text IS NOT new.search_text OR old.rowid != new.rowid BEGIN\n"
      "  INSERT INTO \"%1$s_fts\" (\"%1$s_fts\", rowid, body)"
      "    VALUES ('delete', old.rowid, coalesce(old.search_text, '') || char(1, 1));\n"
      "  INSERT INTO \"%1$s_fts\" (rowid, body)"
      "    VALUES (new.rowid, coalesce(new.search_text, '') || char(1, 1));\n"
      "END;\n"
      "INSERT INTO \"%1$s_fts\" (rowid, body)"
      "  SELECT rowid, coalesce(search_text, '') || char(1, 1) FROM \"%1$s\";\n",
      table);
}

/**
 * tsu_search_index_bulk_insert_sql:
 *
 * Returns: (transfer full): an INSERT adding the rows whose rowids are in
 *   the JSON array ?1 to the index, as the insert trigger does
 */
char *
tsu_search_index_bulk_insert_sql (const char *table)
{
  g_return_val_if_fail (is_identifier (table), NULL);

  return g_strdup_printf ("INSERT INTO \"%1$s_fts\" (rowid, body)"
                          " SELECT t.rowid, coalesce(t.search_text, '') || char(1, 1)"
                          " FROM \"%1$s\" AS t WHERE t.rowid IN (SELECT value FROM json_each(?1))",
                          table);
}

/**
 * tsu_search_index_bulk_delete_sql:
 *
 * Returns: (transfer full): an INSERT removing from the index the rows of
 *   the JSON array ?1 of [rowid, old search_text], as the triggers do
 */
char *
tsu_search_index_bulk_delete_sql (const char *table)
{
  g_return_val_if_fail (is_identifier (table), NULL);

  return g_strdup_printf ("INSERT INTO \"%1$s_fts\" (\"%1$s_fts\", rowid, body)"
                          " SELECT 'delete', json_extract(value, '$[0]'),"
                          " coalesce(json_extract(value, '$[1]'), '') || char(1, 1)"
                          " FROM json_each(?1)",
                          table);
}

/**
 * tsu_search_index_trigger_name:
 * @suffix: "ai", "ad" or "au"
 *
 * Returns: (transfer full): the name of one of the index's triggers
 */
char *
tsu_search_index_trigger_name (const char *table, const char *suffix)
{
  return g_strdup_printf ("%s_fts_%s", table, suffix);
}

/* The smallest string greater than every string that starts with @prefix:
 * the last character plus one (UTF-8 byte order is code point order). */
static char *
prefix_upper_bound (const char *prefix)
{
  const char *last = g_utf8_find_prev_char (prefix, prefix + strlen (prefix));
  gunichar    c = g_utf8_get_char (last) + 1;
  GString    *s = g_string_new_len (prefix, last - prefix);

  if (c >= 0xD800 && c <= 0xDFFF)
    c = 0xE000;
  g_string_append_unichar (s, c);
  return g_string_free (s, FALSE);
}

static char *
fts_phrase (const char *term)
{
  GString *s = g_string_new ("\"");

  for (const char *p = term; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

char *
tsu_search_condition (const char *table, const char *user_query, GPtrArray *params)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) terms = NULL;
  g_autoptr (GString) sql = NULL;
  g_autoptr (GString) phrases = NULL;

  g_return_val_if_fail (is_identifier (table), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  folded = tsu_search_fold (user_query);
  if (*folded == '\0')
    return NULL;

  terms = g_strsplit (folded, " ", -1);
  sql = g_string_new (NULL);
  phrases = g_string_new (NULL);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *t = terms[i];
      glong       n = g_utf8_strlen (t, -1);

      if (n == 0)
        continue;
      if (n >= 3)
        {
          g_autofree char *ph = fts_phrase (t);

          if (phrases->len > 0)
            g_string_append_c (phrases, ' ');
          g_string_append (phrases, ph);
          continue;
        }
      if (sql->len > 0)
        g_string_append (sql, " AND ");
      g_string_append_printf (sql,
                              "\"%1$s\".rowid IN (SELECT doc FROM \"%1$s_fts_terms\""
                              " WHERE term >= ? AND term < ?)",
                              table);
      g_ptr_array_add (params, g_strdup (t));
      g_ptr_array_add (params, prefix_upper_bound (t));
    }

  if (phrases->len > 0)
    {
      /* All long terms in one MATCH: FTS5 ANDs space-separated phrases. */
      if (sql->len > 0)
        g_string_append (sql, " AND ");
      g_string_append_printf (sql,
                              "\"%1$s\".rowid IN (SELECT rowid FROM \"%1$s_fts\""
                              " WHERE \"%1$s_fts\" MATCH ?)",
                              table);
      g_ptr_array_add (params, g_string_free (g_steal_pointer (&phrases), FALSE));
    }

  if (sql->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* A column reference: an identifier, or two joined by a dot. */
static gboolean
is_column (const char *s)
{
  g_auto (GStrv) parts = g_strsplit (s ? s : "", ".", -1);
  guint n = g_strv_length (parts);

  if (n < 1 || n > 2)
    return FALSE;
  for (guint i = 0; i < n; i++)
    if (!is_identifier (parts[i]))
      return FALSE;
  return TRUE;
}

char *
tsu_search_scan_condition (const char *column, const char *user_query, GPtrArray *params)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) terms = NULL;
  g_autoptr (GString) sql = NULL;

  g_return_val_if_fail (is_column (column), NULL);
  g_return_val_if_fail (params != NULL, NULL);

  folded = tsu_search_fold (user_query);
  if (*folded == '\0')
    return NULL;

  /* The index matches substrings of the folded text exactly (trigrams are
   * case-sensitive, and the padding never matches), so instr() over the
   * same text gives the same rows. */
  terms = g_strsplit (folded, " ", -1);
  sql = g_string_new (NULL);
  for (guint i = 0; terms[i] != NULL; i++)
    {
      if (*terms[i] == '\0')
        continue;
      if (sql->len > 0)
        g_string_append (sql, " AND ");
      g_string_append_printf (sql, "instr(coalesce(%s, ''), ?) > 0", column);
      g_ptr_array_add (params, g_strdup (terms[i]));
    }
  if (sql->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&sql), FALSE);
}

/* Counts the rows of @sql (one SELECT with the given text parameters),
 * or -1 on error. */
static gint64
count_rows (sqlite3 *db, const char *sql, const char *p1, const char *p2)
{
  sqlite3_stmt *stmt = NULL;
  gint64        n = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  sqlite3_bind_text (stmt, 1, p1, -1, SQLITE_TRANSIENT);
  if (p2 != NULL)
    sqlite3_bind_text (stmt, 2, p2, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

gint64
tsu_search_estimate (sqlite3 *db, const char *table, const char *user_query, gint64 cap)
{
  g_autofree char *folded = NULL;
  g_auto (GStrv) terms = NULL;
  g_autoptr (GString) phrases = NULL;
  g_autofree char *short_sql = NULL;
  gint64           least = cap;

  g_return_val_if_fail (db != NULL, -1);
  g_return_val_if_fail (is_identifier (table), -1);

  folded = tsu_search_fold (user_query);
  terms = g_strsplit (folded, " ", -1);
  phrases = g_string_new (NULL);
  short_sql = g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM \"%s_fts_terms\""
                               " WHERE term >= ?1 AND term < ?2 LIMIT %" G_GINT64_FORMAT ")",
                               table, cap);

  for (guint i = 0; terms[i] != NULL; i++)
    {
      const char *t = terms[i];
      glong       n = g_utf8_strlen (t, -1);

      if (n == 0)
        continue;
      if (n >= 3)
        {
          g_autofree char *ph = fts_phrase (t);

          if (phrases->len > 0)
            g_string_append_c (phrases, ' ');
          g_string_append (phrases, ph);
        }
      else
        {
          g_autofree char *upper = prefix_upper_bound (t);
          gint64           c = count_rows (db, short_sql, t, upper);

          if (c < 0)
            return -1;
          least = MIN (least, c);
        }
    }
  if (phrases->len > 0)
    {
      /* As tsu_search_condition() does: all long terms in one MATCH. */
      g_autofree char *sql
          = g_strdup_printf ("SELECT count(*) FROM (SELECT 1 FROM \"%1$s_fts\""
                             " WHERE \"%1$s_fts\" MATCH ?1 LIMIT %2$" G_GINT64_FORMAT ")",
                             table, cap);
      gint64 c = count_rows (db, sql, phrases->str, NULL);

      if (c < 0)
        return -1;
      least = MIN (least, c);
    }
  return least;
}
