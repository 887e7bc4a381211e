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

/* The smallest string greater than every string that starts with @prefix:
 * the last character plus one (UTF-8 byte order is code point order). */
static char *
prefix_upper_bound (const char *prefix)
{
  const char *last = g_utf8_find_prev_char (prefix, prefix + strlen (prefix));
  gunichar c = g_utf8_get_char (last) + 1;
  GString *s = g_string_new_len (prefix, last - prefix);

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
tsu_search_condition (const char *table,
                      const char *user_query,
                      GPtrArray  *params)
{
  g_autofree char *folded = NULL;
  g_auto(GStrv) terms = NULL;
  g_autoptr(GString) sql = NULL;
  g_autoptr(GString) phrases = NULL;

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
      glong n = g_utf8_strlen (t, -1);

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
                              " WHERE term >= ? AND term < ?)", table);
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
                              " WHERE \"%1$s_fts\" MATCH ?)", table);
      g_ptr_array_add (params, g_string_free (g_steal_pointer (&phrases), FALSE));
    }

  if (sql->len == 0)
    return NULL;
  return g_string_free (g_steal_pointer (&sql), FALSE);
}
