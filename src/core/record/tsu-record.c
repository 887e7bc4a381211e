/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-record.h"
#include "tsu-fold.h"
#include "tsu-ident.h"
#include "tsu-kana.h"

/* Trims ASCII and Unicode spaces (an ideographic space typed by an IME). */
static char *
trim (const char *s)
{
  const char *start = s, *end;

  while (*start && g_unichar_isspace (g_utf8_get_char (start)))
    start = g_utf8_next_char (start);
  end = start + strlen (start);
  while (end > start)
    {
      const char *prev = g_utf8_prev_char (end);

      if (!g_unichar_isspace (g_utf8_get_char (prev)))
        break;
      end = prev;
    }
  return g_strndup (start, end - start);
}

/* Trimmed; in a single-line field, line breaks (Alt+Enter in an Excel
 * cell) become one space. */
static char *
one_line (const TsuFieldDef *f, const char *s)
{
  g_autofree char *t = trim (s);
  GString         *out;

  if ((f->flags & TSU_FIELD_MULTILINE) || strpbrk (t, "\r\n") == NULL)
    return g_steal_pointer (&t);
  out = g_string_new (NULL);
  for (const char *p = t; *p; p++)
    if (*p == '\r' || *p == '\n')
      {
        if (out->len && out->str[out->len - 1] != ' ')
          g_string_append_c (out, ' ');
      }
    else
      g_string_append_c (out, *p);
  return g_string_free (out, FALSE);
}

typedef gboolean (*IdentFunc) (const char *, char **, GError **);

static IdentFunc
ident_func (const TsuFieldDef *f)
{
  if (f->flags & TSU_FIELD_PHONE)
    return tsu_phone_validate;
  if (f->flags & TSU_FIELD_POSTAL)
    return tsu_postal_code_validate;
  if (f->flags & TSU_FIELD_EMAIL)
    return tsu_email_validate;
  if (f->flags & TSU_FIELD_CORPORATE_NUMBER)
    return tsu_corporate_number_validate;
  return NULL;
}

/**
 * tsu_record_normalize:
 * @input: field values as typed or read from a file
 * @problems: (nullable): receives #TsuProblem errors and warnings
 *
 * Returns: (transfer full): the normalised copy
 */
JsonObject *
tsu_record_normalize (const TsuCollection *c, JsonObject *input, GPtrArray *problems)
{
  JsonObject    *out = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, input);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *f = tsu_collection_lookup_field (c, name);
      g_autofree char   *why = NULL;

      if (f == NULL || (f->flags & TSU_FIELD_DERIVED))
        {
          tsu_problems_add (problems, name, TRUE, _ ("“%s” is not a field of %s."), name,
                            tsu_collection_get_label (c));
          continue;
        }
      if (f->type == TSU_FIELD_TEXT && JSON_NODE_HOLDS_VALUE (value)
          && json_node_get_value_type (value) == G_TYPE_STRING)
        {
          g_autofree char *t = one_line (f, json_node_get_string (value));
          g_autofree char *norm = NULL;
          g_autoptr (GError) error = NULL;
          IdentFunc func = ident_func (f);

          if (*t == '\0')
            {
              json_object_set_null_member (out, name);
              continue;
            }
          if (f->flags & TSU_FIELD_READING)
            norm = tsu_reading_normalize (t, &error);
          else if (func != NULL && !func (t, &norm, &error))
            g_clear_pointer (&norm, g_free);
          else if (func == NULL)
            norm = g_strdup (t);
          if (norm == NULL)
            {
              tsu_problems_add (problems, name, TRUE, "%s", error->message);
              json_object_set_string_member (out, name, t);
              continue;
            }
          json_object_set_string_member (out, name, norm);
        }
      else
        json_object_set_member (out, name, json_node_copy (value));

      if (!tsu_field_check_value (f, json_object_get_member (out, name), &why))
        tsu_problems_add (problems, name, TRUE, "%s", why);
    }

  /* Required fields given empty; the collection's own rules. */
  for (guint i = 0; i < c->n_fields; i++)
    {
      const TsuFieldDef *f = &c->fields[i];

      if ((f->flags & TSU_FIELD_REQUIRED) && json_object_has_member (out, f->name)
          && json_object_get_null_member (out, f->name))
        tsu_problems_add (problems, f->name, TRUE, "%s", _ ("A value is required."));
    }
  if (c->check != NULL)
    c->check (out, problems);
  return out;
}

/* ---- from text ---- */

static char *
nfkc (const char *text)
{
  char *t = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);

  return t ? t : g_strdup ("");
}

static gboolean
parse_int (const char *text, gint64 *out)
{
  g_autofree char *t = nfkc (text);
  g_autoptr (GString) digits = g_string_new (NULL);
  static const char *units[] = { "人", "円", "名", "件", "日", "回", "分" };
  gboolean           negative = FALSE;

  for (const char *p = t; *p;)
    {
      gboolean unit = FALSE;

      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (digits, *p++);
          continue;
        }
      if (*p == ',' || *p == ' ')
        {
          p++;
          continue;
        }
      if (*p == '-' && digits->len == 0 && !negative)
        {
          negative = TRUE;
          p++;
          continue;
        }
      for (guint u = 0; u < G_N_ELEMENTS (units); u++)
        if (g_str_has_prefix (p, units[u]) && p[strlen (units[u])] == '\0')
          {
            p += strlen (units[u]);
            unit = TRUE;
          }
      if (!unit)
        return FALSE;
    }
  if (digits->len == 0 || digits->len > 15)
    return FALSE;
  *out = g_ascii_strtoll (digits->str, NULL, 10) * (negative ? -1 : 1);
  return TRUE;
}

static gboolean
parse_bool (const char *text, gboolean *out)
{
  static const char *yes[]
      = { "はい", "有", "有り", "あり", "○", "〇", "yes", "true", "1", "y", "募集中", "する" };
  static const char *no[]
      = { "いいえ", "無", "無し", "なし", "×", "no", "false", "0", "n", "しない" };
  g_autofree char *t = tsu_search_fold (text);

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
    {
      g_autofree char *y = tsu_search_fold (yes[i]);
      if (g_str_equal (t, y) || g_str_equal (text, _ ("Yes")))
        return *out = TRUE, TRUE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (no); i++)
    {
      g_autofree char *n = tsu_search_fold (no[i]);
      if (g_str_equal (t, n) || g_str_equal (text, _ ("No")))
        return *out = FALSE, TRUE;
    }
  return FALSE;
}

/* Splits a list cell: ; and 、 and , always (full-width ones after NFKC). */
static GStrv
split_list (const char *text)
{
  g_autofree char *t = nfkc (text);
  g_autoptr (GString) s = g_string_new (NULL);
  g_autoptr (GPtrArray) out = g_ptr_array_new ();
  g_auto (GStrv) parts = NULL;

  for (const char *p = t; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (s, c == 0x3001 || c == ',' ? ';' : c);
    }
  parts = g_strsplit (s->str, ";", -1);
  for (guint i = 0; parts[i]; i++)
    {
      g_autofree char *item = trim (parts[i]);

      if (*item)
        g_ptr_array_add (out, g_steal_pointer (&item));
    }
  g_ptr_array_add (out, NULL);
  return (GStrv)g_ptr_array_free (g_steal_pointer (&out), FALSE);
}

/* A piece of a list naming one or more choices: a code, a name, or names
 * joined with ・ (a name itself may hold ・, as 保健・医療・福祉 does: the
 * longest names are tried first). */
static gboolean
add_choices (const TsuFieldDef *f, const char *piece, GPtrArray *codes)
{
  g_auto (GStrv) parts = NULL;
  guint n;

  if (tsu_field_choice_code (f, piece) != NULL)
    {
      g_ptr_array_add (codes, (gpointer)tsu_field_choice_code (f, piece));
      return TRUE;
    }
  parts = g_strsplit (piece, "・", -1);
  n = g_strv_length (parts);
  for (guint i = 0; i < n;)
    {
      const char *code = NULL;
      guint       j;

      for (j = n; j > i; j--)
        {
          g_autoptr (GString) joined = g_string_new (NULL);

          for (guint k = i; k < j; k++)
            g_string_append_printf (joined, "%s%s", k > i ? "・" : "", parts[k]);
          if ((code = tsu_field_choice_code (f, joined->str)) != NULL)
            break;
        }
      if (code == NULL)
        return FALSE;
      g_ptr_array_add (codes, (gpointer)code);
      i = j;
    }
  return TRUE;
}

static gboolean
fail (char **message, char *text)
{
  if (message)
    *message = text;
  else
    g_free (text);
  return FALSE;
}

/**
 * tsu_record_value_parse:
 * @value: (out): the value (a null node for empty text)
 * @message: (out) (optional): why @text is not a value of @field
 *
 * Returns: %TRUE when @text reads as a value of @field
 */
gboolean
tsu_record_value_parse (const TsuFieldDef *f, const char *text, JsonNode **value, char **message)
{
  g_autofree char *t = trim (text ? text : "");
  g_autoptr (GError) error = NULL;
  JsonNode *node;

  *value = NULL;
  if (*t == '\0')
    {
      *value = json_node_new (JSON_NODE_NULL);
      return TRUE;
    }
  node = json_node_new (JSON_NODE_VALUE);
  switch (f->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_REF:
      json_node_set_string (node, t);
      break;

    case TSU_FIELD_INT:
      {
        gint64 v;
        int    fy;

        if ((f->flags & TSU_FIELD_FISCAL_YEAR) && tsu_fiscal_year_parse (t, &fy, NULL))
          v = fy;
        else if (!parse_int (t, &v))
          {
            json_node_unref (node);
            return fail (message, g_strdup_printf ((f->flags & TSU_FIELD_FISCAL_YEAR)
                                                       ? _ ("“%s” is not a fiscal year.")
                                                       : _ ("“%s” is not a number."),
                                                   t));
          }
        json_node_set_int (node, v);
        break;
      }

    case TSU_FIELD_BOOL:
      {
        gboolean b;

        if (!parse_bool (t, &b))
          {
            json_node_unref (node);
            return fail (message, g_strdup_printf (_ ("“%s” is not yes or no."), t));
          }
        json_node_set_boolean (node, b);
        break;
      }

    case TSU_FIELD_DATE:
      {
        GDate            d;
        int              y, m;
        g_autofree char *iso = NULL;

        if (tsu_date_parse (t, &d, (f->flags & TSU_FIELD_MONTH) ? NULL : &error))
          iso = tsu_date_to_iso (&d);
        else if ((f->flags & TSU_FIELD_MONTH) && tsu_month_parse (t, &y, &m, &error))
          iso = g_strdup_printf ("%04d-%02d", y, m);
        if (iso == NULL)
          {
            json_node_unref (node);
            return fail (message, g_strdup (error->message));
          }
        json_node_set_string (node, iso);
        break;
      }

    case TSU_FIELD_DATETIME:
      {
        g_autofree char *n = nfkc (t);
        char            *space = strrchr (n, ' ');
        char            *tee = strrchr (n, 'T');
        char            *split = space ? space : tee;
        int              h, mi;
        GDate            d;
        g_autofree char *iso = NULL;

        if (split == NULL || sscanf (split + 1, "%d:%d", &h, &mi) != 2 || h < 0 || h > 23 || mi < 0
            || mi > 59)
          {
            json_node_unref (node);
            return fail (message, g_strdup_printf (_ ("“%s” is not a date and time. Write it like "
                                                      "2026-04-01 10:00 or 令和8年4月1日 10:00."),
                                                   t));
          }
        *split = '\0';
        if (!tsu_date_parse (n, &d, &error))
          {
            json_node_unref (node);
            return fail (message, g_strdup (error->message));
          }
        iso = tsu_date_to_iso (&d);
        {
          g_autofree char *v = g_strdup_printf ("%sT%02d:%02d", iso, h, mi);
          json_node_set_string (node, v);
        }
        break;
      }

    case TSU_FIELD_CHOICE:
      {
        const char *code = tsu_field_choice_code (f, t);

        if (code == NULL)
          {
            g_autoptr (GString) names = g_string_new (NULL);

            for (const TsuChoice *c = f->choices; c && c->code; c++)
              g_string_append_printf (names, "%s%s", names->len ? "、" : "",
                                      tsu_field_choice_label (f, c->code));
            json_node_unref (node);
            return fail (message, g_strdup_printf (_ ("“%s” is not one of: %s."), t, names->str));
          }
        json_node_set_string (node, code);
        break;
      }

    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
      {
        g_auto (GStrv) pieces = split_list (t);
        g_autoptr (GPtrArray) codes = g_ptr_array_new ();
        g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
        JsonArray *a = json_array_new ();

        for (guint i = 0; pieces[i]; i++)
          {
            if (f->choices == NULL)
              g_ptr_array_add (codes, pieces[i]);
            else if (!add_choices (f, pieces[i], codes))
              {
                json_array_unref (a);
                json_node_unref (node);
                return fail (message,
                             g_strdup_printf (f->type == TSU_FIELD_CODES
                                                  ? _ ("“%s” is not one of the listed codes or "
                                                       "names.")
                                                  : _ ("“%s” is not one of the listed choices."),
                                              pieces[i]));
              }
          }
        for (guint i = 0; i < codes->len; i++)
          {
            const char *code = g_ptr_array_index (codes, i);

            if (!g_hash_table_add (seen, (gpointer)code))
              continue;
            if (f->type == TSU_FIELD_CODES)
              json_array_add_int_element (a, g_ascii_strtoll (code, NULL, 10));
            else
              json_array_add_string_element (a, code);
          }
        json_node_init_array (node, a);
        json_array_unref (a);
        break;
      }

    case TSU_FIELD_JSON:
      json_node_unref (node);
      node = json_from_string (t, &error);
      if (node == NULL)
        return fail (message, g_strdup (error->message));
      break;

    default:
      g_assert_not_reached ();
    }
  *value = node;
  return TRUE;
}

/* ---- to text ---- */

static char *
format_date_text (const char *iso, TsuDateStyle style, gboolean csv)
{
  GDate d;
  int   y, m;

  if (csv || iso == NULL)
    return g_strdup (iso ? iso : "");
  if (tsu_date_from_iso (iso, &d))
    return tsu_date_format_plain (&d, style);
  if (strlen (iso) == 7 && sscanf (iso, "%d-%d", &y, &m) == 2 && m >= 1 && m <= 12)
    return tsu_month_format (y, m, style);
  return g_strdup (iso);
}

static char *
ref_title (const TsuFieldDef *f, const char *id, TsuStore *store)
{
  const TsuCollection *c = tsu_collection_lookup (f->ref);
  g_autoptr (JsonObject) row = NULL;

  if (store == NULL || c == NULL || id == NULL)
    return g_strdup (id ? id : "");
  row = tsu_store_get (store, c->name, id, NULL);
  return row ? tsu_record_title (c, row) : g_strdup (id);
}

/**
 * tsu_record_value_format:
 *
 * Returns: (transfer full): the text ("" for null)
 */
char *
tsu_record_value_format (const TsuFieldDef *f,
                         JsonNode          *value,
                         TsuValueFormat     format,
                         TsuDateStyle       style,
                         TsuStore          *store)
{
  gboolean csv = (format & TSU_VALUE_CSV) != 0;
  gboolean names = !csv || (format & TSU_VALUE_NAMES);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return g_strdup ("");

  switch (f->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_JSON:
      if (JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        return g_strdup (json_node_get_string (value));
      return json_to_string (value, FALSE);

    case TSU_FIELD_REF:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return g_strdup ("");
      return csv ? g_strdup (json_node_get_string (value))
                 : ref_title (f, json_node_get_string (value), store);

    case TSU_FIELD_INT:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_INT64)
        return g_strdup ("");
      if (!csv && (f->flags & TSU_FIELD_FISCAL_YEAR))
        return tsu_fiscal_year_format ((int)json_node_get_int (value), style);
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (value));

    case TSU_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        return g_strdup ("");
      if (csv)
        return g_strdup (json_node_get_boolean (value) ? "はい" : "いいえ");
      return g_strdup (json_node_get_boolean (value) ? _ ("Yes") : _ ("No"));

    case TSU_FIELD_DATE:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return g_strdup ("");
      return format_date_text (json_node_get_string (value), style, csv);

    case TSU_FIELD_DATETIME:
      {
        const char      *s;
        g_autofree char *date = NULL;

        if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
          return g_strdup ("");
        s = json_node_get_string (value);
        if (strlen (s) != 16)
          return g_strdup (s);
        date = g_strndup (s, 10);
        if (csv)
          return g_strdup_printf ("%s %s", date, s + 11);
        g_free (g_steal_pointer (&date));
        {
          g_autofree char *iso = g_strndup (s, 10);
          date = format_date_text (iso, style, FALSE);
        }
        return g_strdup_printf ("%s %s", date, s + 11);
      }

    case TSU_FIELD_CHOICE:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return g_strdup ("");
      if (csv)
        return g_strdup (names ? tsu_field_choice_file_name (f, json_node_get_string (value))
                               : json_node_get_string (value));
      return g_strdup (tsu_field_choice_label (f, json_node_get_string (value)));

    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
      {
        JsonArray *a;
        GString   *s = g_string_new (NULL);

        if (!JSON_NODE_HOLDS_ARRAY (value))
          return g_string_free (s, FALSE);
        a = json_node_get_array (value);
        for (guint i = 0; i < json_array_get_length (a); i++)
          {
            JsonNode        *e = json_array_get_element (a, i);
            g_autofree char *code = NULL;

            if (!JSON_NODE_HOLDS_VALUE (e))
              continue;
            if (json_node_get_value_type (e) == G_TYPE_INT64)
              code = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (e));
            else if (json_node_get_value_type (e) == G_TYPE_STRING)
              code = g_strdup (json_node_get_string (e));
            else
              continue;
            if (s->len)
              g_string_append (s, csv ? ";" : "、");
            if (!names || f->choices == NULL)
              g_string_append (s, code);
            else
              g_string_append (s, csv ? tsu_field_choice_file_name (f, code)
                                      : tsu_field_choice_label (f, code));
          }
        return g_string_free (s, FALSE);
      }

    default:
      g_assert_not_reached ();
    }
}

/**
 * tsu_record_cell_format:
 * @cell: (nullable): the column's text as SQLite gives it
 *
 * Returns: (transfer full): the text to show
 */
char *
tsu_record_cell_format (const TsuFieldDef *f, const char *cell, TsuDateStyle style)
{
  g_autoptr (JsonNode) node = NULL;

  if (cell == NULL)
    return g_strdup ("");
  switch (f->type)
    {
    case TSU_FIELD_INT:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_int (node, g_ascii_strtoll (cell, NULL, 10));
      break;
    case TSU_FIELD_BOOL:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (node, g_ascii_strtoll (cell, NULL, 10) != 0);
      break;
    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
    case TSU_FIELD_JSON:
      node = json_from_string (cell, NULL);
      break;
    default:
      node = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (node, cell);
      break;
    }
  return tsu_record_value_format (f, node, TSU_VALUE_DISPLAY, style, NULL);
}

/**
 * tsu_record_title:
 *
 * Returns: (transfer full): the record's name fields joined (its sort name)
 */
char *
tsu_record_title (const TsuCollection *c, JsonObject *record)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; c->sort_name && c->sort_name[i]; i++)
    {
      const char *v = tsu_record_get_string (record, c->sort_name[i]);

      if (v && *v)
        g_string_append_printf (s, "%s%s", s->len ? " " : "", v);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

/**
 * tsu_record_split_name:
 * @family: (out): the part before the first space, or %NULL
 * @given: (out): the rest, or %NULL
 */
void
tsu_record_split_name (const char *text, char **family, char **given)
{
  g_autofree char *t = trim (text ? text : "");
  const char      *p;

  *family = NULL;
  *given = NULL;
  if (*t == '\0')
    return;
  for (p = t; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      break;
  if (*p == '\0')
    {
      *family = g_steal_pointer (&t);
      return;
    }
  *family = g_strndup (t, p - t);
  while (*p && g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  *given = g_strdup (p);
}
