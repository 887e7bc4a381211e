/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-collection.h"
#include "tsu-fold.h"
#include "tsu-ident.h"
#include "tsu-kana.h"
#include "tsu-uuid.h"

const TsuFieldDef *
tsu_collection_lookup_field (const TsuCollection *collection, const char *field)
{
  static gsize       indexed = 0;
  static GHashTable *indexes; /* collection → (name → field), built once */
  GHashTable        *index;

  g_return_val_if_fail (collection != NULL, NULL);

  if (field == NULL)
    return NULL;
  /* Looked up for every field of every record a sync or an import writes:
   * the registry's collections get a hash index, others a scan. */
  if (g_once_init_enter (&indexed))
    {
      guint                 n;
      const TsuCollection **all = tsu_collections_all (&n);

      indexes = g_hash_table_new (NULL, NULL);
      for (guint k = 0; k < n; k++)
        {
          GHashTable *names = g_hash_table_new (g_str_hash, g_str_equal);

          for (guint i = 0; i < all[k]->n_fields; i++)
            g_hash_table_insert (names, (gpointer)all[k]->fields[i].name,
                                 (gpointer)&all[k]->fields[i]);
          g_hash_table_insert (indexes, (gpointer)all[k], names);
        }
      g_once_init_leave (&indexed, 1);
    }
  index = g_hash_table_lookup (indexes, collection);
  if (index != NULL)
    return g_hash_table_lookup (index, field);
  for (guint i = 0; i < collection->n_fields; i++)
    if (g_str_equal (collection->fields[i].name, field))
      return &collection->fields[i];
  return NULL;
}

/**
 * tsu_collection_lookup_column:
 *
 * Returns: the stored field or the computed column named @column, or %NULL
 */
const TsuFieldDef *
tsu_collection_lookup_column (const TsuCollection *collection, const char *column)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (collection, column);

  for (guint i = 0; f == NULL && column && i < collection->n_computed; i++)
    if (g_str_equal (collection->computed[i].name, column))
      f = &collection->computed[i];
  return f;
}

const TsuSortDef *
tsu_collection_lookup_sort (const TsuCollection *collection, const char *id)
{
  g_return_val_if_fail (collection != NULL, NULL);

  if (collection->n_sorts == 0)
    return NULL;
  for (guint i = 0; id && i < collection->n_sorts; i++)
    if (g_str_equal (collection->sorts[i].id, id))
      return &collection->sorts[i];
  return &collection->sorts[0];
}

const char *
tsu_collection_get_label (const TsuCollection *collection)
{
  return collection->label ? g_dgettext (GETTEXT_PACKAGE, collection->label) : collection->name;
}

const char *
tsu_field_get_label (const TsuFieldDef *field)
{
  return field->label ? g_dgettext (GETTEXT_PACKAGE, field->label) : field->name;
}

const char *
tsu_field_get_form_label (const TsuFieldDef *field)
{
  return field->form_label ? g_dgettext (GETTEXT_PACKAGE, field->form_label)
                           : tsu_field_get_label (field);
}

const TsuSectionDef *
tsu_collection_lookup_section (const TsuCollection *collection, const char *id)
{
  for (guint i = 0; id && i < collection->n_sections; i++)
    if (g_str_equal (collection->sections[i].id, id))
      return &collection->sections[i];
  return NULL;
}

/**
 * tsu_field_choice_label:
 *
 * Returns: the translated label of the choice @code, or @code itself
 */
const char *
tsu_field_choice_label (const TsuFieldDef *field, const char *code)
{
  for (const TsuChoice *c = field->choices; c && c->code && code; c++)
    if (g_str_equal (c->code, code))
      return c->label ? g_dgettext (GETTEXT_PACKAGE, c->label) : c->code;
  return code;
}

/* Compares as a person would type: NFKC, case, kana kind and width folded,
 * spaces ignored. */
static char *
fold_loose (const char *text)
{
  g_autofree char *f = tsu_search_fold (text ? text : "");
  GString         *s = g_string_new (NULL);

  for (const char *p = f; *p; p++)
    if (*p != ' ')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/**
 * tsu_field_choice_file_name:
 *
 * Returns: the name a file writes for the choice @code (Japanese, in any UI
 *   language), or @code itself
 */
const char *
tsu_field_choice_file_name (const TsuFieldDef *field, const char *code)
{
  for (const TsuChoice *c = field->choices; c && c->code && code; c++)
    if (g_str_equal (c->code, code))
      return c->name ? c->name : c->label ? c->label : c->code;
  return code;
}

/**
 * tsu_field_choice_code:
 * @text: a code or a label (translated or not), as typed or read from a file
 *
 * Returns: the code of the choice @text names, or %NULL
 */
const char *
tsu_field_choice_code (const TsuFieldDef *field, const char *text)
{
  g_autofree char *t = fold_loose (text);

  if (*t == '\0')
    return NULL;
  for (const TsuChoice *c = field->choices; c && c->code; c++)
    {
      g_autofree char *code = fold_loose (c->code);
      g_autofree char *label = fold_loose (c->label);
      g_autofree char *tr = fold_loose (c->label ? g_dgettext (GETTEXT_PACKAGE, c->label) : NULL);
      g_autofree char *name = fold_loose (c->name);

      if (g_str_equal (t, code) || (c->label && (g_str_equal (t, label) || g_str_equal (t, tr)))
          || (c->name && g_str_equal (t, name)))
        return c->code;
    }
  return NULL;
}

gboolean
tsu_field_type_is_json (TsuFieldType type)
{
  return type == TSU_FIELD_CODES || type == TSU_FIELD_STRINGS || type == TSU_FIELD_JSON;
}

/**
 * tsu_field_is_public:
 * @row: the record (its public_fields)
 *
 * Returns: whether @field of @row may leave the desk in a public export
 */
gboolean
tsu_field_is_public (const TsuFieldDef *field, JsonObject *row)
{
  if (field->flags & (TSU_FIELD_INTERNAL | TSU_FIELD_DERIVED))
    return FALSE;
  if (field->publish_key != NULL)
    return tsu_record_array_has_string (row, "public_fields", field->publish_key);
  return !(field->flags & TSU_FIELD_PERSONAL);
}

/* ---- values ---- */

static gboolean
is_date_text (const char *s, gboolean month_ok)
{
  gsize len = strlen (s);
  int   y, m, d;

  if (month_ok && len == 7 && sscanf (s, "%4d-%2d", &y, &m) == 2)
    return s[4] == '-' && g_ascii_isdigit (s[5]) && m >= 1 && m <= 12 && y >= 1000;
  if (len == 10 && sscanf (s, "%4d-%2d-%2d", &y, &m, &d) == 3)
    return s[4] == '-' && s[7] == '-' && g_ascii_isdigit (s[5]) && g_ascii_isdigit (s[8])
           && y >= 1000 && g_date_valid_dmy (d, m, y);
  return FALSE;
}

static gboolean
is_datetime_text (const char *s)
{
  int  h, mi;
  char date[11];

  if (strlen (s) != 16 || s[10] != 'T' || s[13] != ':')
    return FALSE;
  memcpy (date, s, 10);
  date[10] = '\0';
  return is_date_text (date, FALSE) && sscanf (s + 11, "%2d:%2d", &h, &mi) == 2
         && g_ascii_isdigit (s[11]) && g_ascii_isdigit (s[14]) && h >= 0 && h <= 23 && mi >= 0
         && mi <= 59;
}

/* Characters no record text may hold: controls (but tab and, in long text,
 * line ends), and the bidirectional overrides and isolates that make a name
 * display as something else (Trojan Source). */
static gboolean
text_is_clean (const char *s, gboolean multiline)
{
  for (const char *p = s; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\t' || (multiline && (c == '\n' || c == '\r')))
        continue;
      if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x202a && c <= 0x202e)
          || (c >= 0x2066 && c <= 0x2069) || c == 0x200e || c == 0x200f || c == 0x061c)
        return FALSE;
    }
  return TRUE;
}

static gboolean
node_is_string (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING;
}

static gboolean
node_is_int (JsonNode *n)
{
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64;
}

static gboolean
fail (char **message, const char *text)
{
  if (message)
    *message = g_strdup (text);
  return FALSE;
}

static gboolean
check_text (const TsuFieldDef *field, const char *s, char **message)
{
  gboolean multiline = (field->flags & TSU_FIELD_MULTILINE) != 0;
  g_autoptr (GError) error = NULL;
  g_autofree char *norm = NULL;

  if (strlen (s) > TSU_FIELD_MAX_BYTES
      || (!multiline && g_utf8_strlen (s, -1) > TSU_FIELD_MAX_LINE_CHARS))
    {
      g_autofree char *m
          = g_strdup_printf (_ ("The text is too long (at most %d characters)."),
                             multiline ? TSU_FIELD_MAX_BYTES / 3 : TSU_FIELD_MAX_LINE_CHARS);
      return fail (message, m);
    }
  if (!g_utf8_validate (s, -1, NULL))
    return fail (message, _ ("The text is not valid UTF-8."));
  if (!text_is_clean (s, multiline))
    return fail (message, multiline ? _ ("The text contains control characters.")
                                    : _ ("The text contains line breaks or control characters."));
  if (*s == '\0')
    return TRUE; /* the required check says whether empty is allowed */
  if (field->flags & TSU_FIELD_READING)
    {
      norm = tsu_reading_normalize (s, &error);
      if (norm == NULL)
        return fail (message, error->message);
      if (!g_str_equal (norm, s))
        return fail (message, _ ("A reading is kept in full-width katakana."));
    }
  else if ((field->flags & TSU_FIELD_PHONE) && !tsu_phone_validate (s, &norm, &error))
    return fail (message, error->message);
  else if ((field->flags & TSU_FIELD_POSTAL) && !tsu_postal_code_validate (s, &norm, &error))
    return fail (message, error->message);
  else if ((field->flags & TSU_FIELD_EMAIL) && !tsu_email_validate (s, &norm, &error))
    return fail (message, error->message);
  else if ((field->flags & TSU_FIELD_CORPORATE_NUMBER)
           && !tsu_corporate_number_validate (s, &norm, &error))
    return fail (message, error->message);
  else if (field->flags & TSU_FIELD_URL)
    {
      /* Only web addresses: a javascript: or file: link must never reach
       * a published page. Bare host names are let through (example.jp). */
      const char *colon = strchr (s, ':');
      const char *slash = strchr (s, '/');

      if (strpbrk (s, " \t\"'<>`") != NULL
          || (colon && (!slash || colon < slash)
              && !(g_str_has_prefix (s, "http://") || g_str_has_prefix (s, "https://"))))
        return fail (message, _ ("Only web addresses (http:// or https://) are allowed."));
    }
  return TRUE;
}

/**
 * tsu_field_check_value:
 * @value: (nullable): a JSON value; absent or null is always valid
 * @message: (out) (optional): why it is not (translated; never quotes the value)
 *
 * The one check of a value against its field, used by the desk's write
 * path, the CSV engine, the forms and the server.
 *
 * Returns: %TRUE when @value may be stored in @field
 */
gboolean
tsu_field_check_value (const TsuFieldDef *field, JsonNode *value, char **message)
{
  g_return_val_if_fail (field != NULL, FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  switch (field->type)
    {
    case TSU_FIELD_TEXT:
      if (!node_is_string (value))
        return fail (message, _ ("A text is expected."));
      return check_text (field, json_node_get_string (value), message);

    case TSU_FIELD_DATE:
      if (!node_is_string (value)
          || !is_date_text (json_node_get_string (value), field->flags & TSU_FIELD_MONTH))
        return fail (message, _ ("A date is expected."));
      return TRUE;

    case TSU_FIELD_DATETIME:
      if (!node_is_string (value) || !is_datetime_text (json_node_get_string (value)))
        return fail (message, _ ("A date and time is expected."));
      return TRUE;

    case TSU_FIELD_INT:
      if (!node_is_int (value))
        return fail (message, _ ("A whole number is expected."));
      if (field->min < field->max
          && (json_node_get_int (value) < field->min || json_node_get_int (value) > field->max))
        {
          g_autofree char *m = g_strdup_printf (_ ("The number must be between %lld and %lld."),
                                                (long long)field->min, (long long)field->max);
          return fail (message, m);
        }
      return TRUE;

    case TSU_FIELD_BOOL:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_BOOLEAN)
        return fail (message, _ ("Yes or no is expected."));
      return TRUE;

    case TSU_FIELD_CHOICE:
      if (!node_is_string (value))
        return fail (message, _ ("One of the listed choices is expected."));
      for (const TsuChoice *c = field->choices; c && c->code; c++)
        if (g_str_equal (c->code, json_node_get_string (value)))
          return TRUE;
      return fail (message, _ ("The value is not one of the listed choices."));

    case TSU_FIELD_REF:
      if (!node_is_string (value) || !tsu_uuid_is_valid (json_node_get_string (value)))
        return fail (message, _ ("The record it refers to is not valid."));
      return TRUE;

    case TSU_FIELD_CODES:
    case TSU_FIELD_STRINGS:
      {
        JsonArray *a;
        guint      n;
        g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

        if (!JSON_NODE_HOLDS_ARRAY (value))
          return fail (message, _ ("A list is expected."));
        a = json_node_get_array (value);
        n = json_array_get_length (a);
        if (n > 200)
          return fail (message, _ ("The list is too long."));
        for (guint i = 0; i < n; i++)
          {
            JsonNode   *e = json_array_get_element (a, i);
            const char *key;
            char        buf[32];

            if (field->type == TSU_FIELD_CODES)
              {
                gint64 v;

                if (!node_is_int (e))
                  return fail (message, _ ("The list holds something other than numbers."));
                v = json_node_get_int (e);
                if (field->min < field->max && (v < field->min || v > field->max))
                  return fail (message, _ ("The list holds a number outside its range."));
                g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, v);
                key = buf;
              }
            else
              {
                gboolean known = field->choices == NULL;

                if (!node_is_string (e))
                  return fail (message, _ ("The list holds something other than text."));
                key = json_node_get_string (e);
                if (*key == '\0' || g_utf8_strlen (key, -1) > 200 || !text_is_clean (key, FALSE))
                  return fail (message, _ ("An entry of the list is empty, too long or holds "
                                           "control characters."));
                for (const TsuChoice *c = field->choices; !known && c->code; c++)
                  known = g_str_equal (c->code, key);
                if (!known)
                  return fail (message, _ ("The list holds a value that is not one of its "
                                           "choices."));
              }
            if (g_hash_table_contains (seen, key))
              return fail (message, _ ("The list holds the same entry twice."));
            g_hash_table_add (seen, g_strdup (key));
          }
        return TRUE;
      }

    case TSU_FIELD_JSON:
      {
        g_autofree char *text = json_to_string (value, FALSE);

        if (strlen (text) > TSU_FIELD_MAX_BYTES)
          return fail (message, _ ("The value is too large."));
        return TRUE;
      }

    default:
      g_assert_not_reached ();
    }
}

gboolean
tsu_field_value_is_valid (const TsuFieldDef *field, JsonNode *value)
{
  return tsu_field_check_value (field, value, NULL);
}

/**
 * tsu_field_value_is_empty:
 * @value: (nullable): a JSON value
 *
 * Returns: whether @value is absent, null, or a text of nothing but
 *   spaces (full-width ones too)
 */
gboolean
tsu_field_value_is_empty (JsonNode *value)
{
  const char *s;

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;
  if (!node_is_string (value))
    return FALSE;
  for (s = json_node_get_string (value); *s; s = g_utf8_next_char (s))
    if (!g_unichar_isspace (g_utf8_get_char (s)))
      return FALSE;
  return TRUE;
}

static gboolean
report (char **field_out, char **message_out, const char *field, char *message)
{
  if (field_out)
    *field_out = g_strdup (field);
  if (message_out)
    *message_out = message;
  else
    g_free (message);
  return FALSE;
}

/**
 * tsu_collection_check_fields:
 * @fields: field → value, as a write or a pushed mutation carries them
 * @field: (out) (optional): the first offending field
 * @message: (out) (optional): why (translated)
 *
 * Returns: %TRUE when every member is a writable field with a valid value
 */
gboolean
tsu_collection_check_fields (const TsuCollection *collection,
                             JsonObject          *fields,
                             char               **field,
                             char               **message)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  if (fields == NULL)
    return TRUE;
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *f = tsu_collection_lookup_field (collection, name);
      char              *why = NULL;

      if (f == NULL || (f->flags & TSU_FIELD_DERIVED))
        return report (field, message, name, g_strdup (_ ("There is no such field.")));
      if (!tsu_field_check_value (f, value, &why))
        return report (field, message, name, why);
    }
  return TRUE;
}

/**
 * tsu_collection_check_row:
 * @row: every field of a record as it would be saved
 *
 * Required fields and the collection's own rules (its check function, errors
 * only) over a whole record. Values are checked by
 * tsu_collection_check_fields().
 *
 * Returns: %TRUE when the record may be saved
 */
gboolean
tsu_collection_check_row (const TsuCollection *collection,
                          JsonObject          *row,
                          char               **field,
                          char               **message)
{
  g_autoptr (GPtrArray) problems = NULL;

  for (guint i = 0; i < collection->n_fields; i++)
    {
      const TsuFieldDef *f = &collection->fields[i];
      JsonNode          *v = json_object_get_member (row, f->name);

      if (!(f->flags & TSU_FIELD_REQUIRED))
        continue;
      if (tsu_field_value_is_empty (v))
        return report (field, message, f->name, g_strdup (_ ("A value is required.")));
    }
  if (collection->check == NULL)
    return TRUE;
  problems = tsu_problems_new ();
  collection->check (row, problems);
  for (guint i = 0; i < problems->len; i++)
    {
      TsuProblem *p = g_ptr_array_index (problems, i);

      if (p->is_error)
        return report (field, message, p->field, g_strdup (p->message));
    }
  return TRUE;
}

/* ---- derived values ---- */

static char *
join_fields (JsonObject *row, const char *const *names, const char *sep)
{
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; names && names[i]; i++)
    {
      const char *v = tsu_record_get_string (row, names[i]);

      if (v == NULL || *v == '\0')
        continue;
      if (s->len)
        g_string_append (s, sep);
      g_string_append (s, v);
    }
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
append_text (GString *s, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (s->len)
    g_string_append_c (s, ' ');
  g_string_append (s, text);
}

/**
 * tsu_collection_derive:
 * @row: every field of a record after a write
 *
 * Fills the derived fields: `sort_key` (五十音順 of the reading fields, else
 * the name fields), `search_text` (the folded SEARCHED fields, the search
 * pairs joined, and phone numbers as bare digits so that 0944123456 finds
 * 0944-12-3456), then the collection's own derive.
 */
void
tsu_collection_derive (const TsuCollection *c, JsonObject *row)
{
  if (tsu_collection_lookup_field (c, "sort_key") != NULL)
    {
      g_autofree char *reading = join_fields (row, c->sort_reading, "");
      g_autofree char *name = join_fields (row, c->sort_name, " ");
      g_autofree char *key = tsu_name_sort_key (reading, name);

      json_object_set_string_member (row, "sort_key", key);
    }
  if (tsu_collection_lookup_field (c, "search_text") != NULL)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      g_autofree char *folded = NULL;

      for (guint i = 0; i < c->n_fields; i++)
        if (c->fields[i].flags & TSU_FIELD_SEARCHED)
          append_text (s, tsu_record_get_string (row, c->fields[i].name));
      for (guint i = 0; i < c->n_search_pairs; i++)
        {
          g_autofree char *both
              = tsu_record_join (row, c->search_pairs[i].first, c->search_pairs[i].second, "");
          append_text (s, both);
        }
      for (guint i = 0; i < c->n_fields; i++)
        {
          const char *phone = tsu_record_get_string (row, c->fields[i].name);

          if (!(c->fields[i].flags & TSU_FIELD_PHONE) || phone == NULL || *phone == '\0')
            continue;
          g_string_append_c (s, ' ');
          for (const char *p = phone; *p; p++)
            if (g_ascii_isdigit (*p))
              g_string_append_c (s, *p);
        }
      folded = tsu_search_fold (s->str);
      json_object_set_string_member (row, "search_text", folded);
    }
  if (c->derive != NULL)
    c->derive (row);
}

void
tsu_rule_refusal_clear (TsuRuleRefusal *refusal)
{
  refusal->reason = NULL;
  g_clear_pointer (&refusal->other_id, g_free);
  g_clear_pointer (&refusal->message, g_free);
}

/* ---- problems ---- */

void
tsu_problem_free (TsuProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

/**
 * tsu_problems_new:
 *
 * Returns: (transfer full): an empty array of #TsuProblem
 */
GPtrArray *
tsu_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_problem_free);
}

void
tsu_problems_add (
    GPtrArray *problems, const char *field, gboolean is_error, const char *format, ...)
{
  TsuProblem *p;
  va_list     args;

  if (problems == NULL)
    return;
  p = g_new0 (TsuProblem, 1);
  p->field = g_strdup (field);
  p->is_error = is_error;
  va_start (args, format);
  p->message = g_strdup_vprintf (format, args);
  va_end (args);
  g_ptr_array_add (problems, p);
}

gboolean
tsu_problems_have_error (GPtrArray *problems)
{
  for (guint i = 0; problems && i < problems->len; i++)
    if (((TsuProblem *)g_ptr_array_index (problems, i))->is_error)
      return TRUE;
  return FALSE;
}

/**
 * tsu_problems_first_error:
 *
 * Returns: (transfer full) (nullable): the first error as "label: message"
 */
char *
tsu_problems_first_error (GPtrArray *problems, const TsuCollection *collection)
{
  for (guint i = 0; problems && i < problems->len; i++)
    {
      TsuProblem        *p = g_ptr_array_index (problems, i);
      const TsuFieldDef *f;

      if (!p->is_error)
        continue;
      f = collection ? tsu_collection_lookup_field (collection, p->field) : NULL;
      if (f == NULL)
        return g_strdup (p->message);
      /* TRANSLATORS: a field's label, then what is wrong with its value */
      return g_strdup_printf (_ ("%s: %s"), tsu_field_get_label (f), p->message);
    }
  return NULL;
}

/* ---- getters ---- */

const char *
tsu_record_get_string (JsonObject *record, const char *name)
{
  JsonNode *n = record ? json_object_get_member (record, name) : NULL;

  return node_is_string (n) ? json_node_get_string (n) : NULL;
}

gboolean
tsu_record_get_int (JsonObject *record, const char *name, gint64 *out)
{
  JsonNode *n = record ? json_object_get_member (record, name) : NULL;

  if (!node_is_int (n))
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

gboolean
tsu_record_get_bool (JsonObject *record, const char *name)
{
  JsonNode *n = record ? json_object_get_member (record, name) : NULL;

  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

static JsonArray *
get_array (JsonObject *record, const char *name)
{
  JsonNode *n = record ? json_object_get_member (record, name) : NULL;

  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

gboolean
tsu_record_array_has_string (JsonObject *record, const char *name, const char *value)
{
  JsonArray *a = get_array (record, name);

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (node_is_string (e) && g_strcmp0 (json_node_get_string (e), value) == 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
tsu_record_array_has_int (JsonObject *record, const char *name, gint64 value)
{
  JsonArray *a = get_array (record, name);

  for (guint i = 0; a && i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (node_is_int (e) && json_node_get_int (e) == value)
        return TRUE;
    }
  return FALSE;
}

/**
 * tsu_record_join:
 *
 * Returns: (transfer full) (nullable): the two text members joined with
 *   @sep, either alone when the other is empty, or %NULL
 */
char *
tsu_record_join (JsonObject *record, const char *first, const char *second, const char *sep)
{
  const char *a = tsu_record_get_string (record, first);
  const char *b = tsu_record_get_string (record, second);

  if ((a == NULL || !*a) && (b == NULL || !*b))
    return NULL;
  if (a == NULL || !*a)
    return g_strdup (b);
  if (b == NULL || !*b)
    return g_strdup (a);
  return g_strconcat (a, sep, b, NULL);
}

/**
 * tsu_field_is_erased:
 *
 * Returns: whether erasing a person on request clears @field
 */
gboolean
tsu_field_is_erased (const TsuFieldDef *field)
{
  if (field->flags & TSU_FIELD_PERSONAL)
    return TRUE;
  switch (field->type)
    {
    case TSU_FIELD_TEXT:
    case TSU_FIELD_STRINGS:
    case TSU_FIELD_JSON:
      /* Derived text (sort key, search text) is computed again. */
      return !(field->flags & TSU_FIELD_DERIVED);
    default:
      return FALSE;
    }
}

guint
tsu_collection_erase_values (const TsuCollection *c, JsonObject *row, gboolean all_fields)
{
  guint n = 0;

  for (guint i = 0; i < c->n_fields; i++)
    {
      const TsuFieldDef *f = &c->fields[i];
      JsonNode          *v = json_object_get_member (row, f->name);

      if (!tsu_field_is_erased (f) || (v == NULL && !all_fields))
        continue;
      if (v == NULL || !JSON_NODE_HOLDS_NULL (v))
        n++;
      json_object_set_null_member (row, f->name);
    }
  return n;
}
