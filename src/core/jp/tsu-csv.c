/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsu-csv.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-csv-error-quark, tsu_csv_error)
// clang-format on

/* A row with more fields than this is an error (a 100 MB line of commas
 * would otherwise become tens of millions of strings). */
#define MAX_FIELDS_PER_ROW 16384

/* Line and column (1-based, characters) of byte @offset of UTF-8 @text. */
static void
position_of (const char *text, gsize offset, guint *line, guint *col)
{
  guint l = 1, c = 1;

  for (gsize i = 0; i < offset; i++)
    {
      guchar b = text[i];

      if (b == '\n' || (b == '\r' && text[i + 1] != '\n'))
        {
          l++;
          c = 1;
        }
      else if (b != '\r' && (b & 0xC0) != 0x80)
        c++;
    }
  *line = l;
  *col = c;
}

/* Line and column of a NUL byte at @offset of undecoded @data: line ends
 * are the same bytes in UTF-8 and CP932 (no CP932 trail byte is below
 * 0x40), and the column counts characters of whichever encoding reads the
 * text before it. */
static void
nul_position (const char *data, gsize offset, guint *line, guint *col)
{
  const char *start = data;
  gsize       written = 0;

  if (offset >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    start += 3;
  if (g_utf8_validate_len (start, offset - (start - data), NULL))
    position_of (start, offset - (start - data), line, col);
  else
    {
      g_autofree char *utf8
          = g_convert (start, offset - (start - data), "UTF-8", "CP932", NULL, &written, NULL);

      if (utf8 != NULL)
        position_of (utf8, written, line, col);
      else
        {
          /* Neither: count lines on the bytes, columns as bytes. */
          position_of (start, offset - (start - data), line, col);
        }
    }
}

/* Decodes @data to UTF-8 following the detection order BOM → UTF-8 → CP932. */
static char *
decode (const char *data, gsize length, TsuCsvEncoding *enc, gsize *out_len, GError **error)
{
  const char *end = NULL;
  gsize       bytes_read = 0, written = 0;
  g_autoptr (GError) conv_error = NULL;
  char *utf8;

  /* Excel's "Unicode text" is UTF-16: say so rather than fail on NULs. */
  if (length >= 2 && (memcmp (data, "\xFF\xFE", 2) == 0 || memcmp (data, "\xFE\xFF", 2) == 0))
    {
      g_set_error_literal (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                           _ ("The file is UTF-16 text, not CSV. Save it as “CSV UTF-8” or “CSV "
                              "(comma delimited)” and try again."));
      return NULL;
    }

  /* A NUL byte makes UTF-8 look invalid and sends the guess to CP932: look
   * for it first, so the message names it and its real line. */
  if (memchr (data, '\0', length) != NULL)
    {
      gsize offset = (const char *)memchr (data, '\0', length) - data;
      guint line, col;

      nul_position (data, offset, &line, &col);
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                   _ ("Line %u, column %u: the file contains a NUL byte; it is not a text file."),
                   line, col);
      return NULL;
    }

  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    {
      *enc = TSU_CSV_ENCODING_UTF8_BOM;
      data += 3;
      length -= 3;
      if (!g_utf8_validate_len (data, length, &end))
        {
          guint line, col;

          position_of (data, end - data, &line, &col);
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                       _ ("Line %u, column %u: the file starts as UTF-8 but contains bytes that "
                          "are not UTF-8."),
                       line, col);
          return NULL;
        }
      *out_len = length;
      return g_strndup (data, length);
    }

  if (g_utf8_validate_len (data, length, NULL))
    {
      *enc = TSU_CSV_ENCODING_UTF8;
      *out_len = length;
      return g_strndup (data, length);
    }

  *enc = TSU_CSV_ENCODING_CP932;
  utf8 = g_convert (data, length, "UTF-8", "CP932", &bytes_read, &written, &conv_error);
  if (utf8 == NULL)
    {
      g_autofree char *prefix = NULL;
      guint            line = 1, col = 1;

      /* Where it broke: decode the good part to count lines and columns. */
      prefix = g_convert (data, bytes_read, "UTF-8", "CP932", NULL, &written, NULL);
      if (prefix != NULL)
        position_of (prefix, written, &line, &col);
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                   _ ("Line %u, column %u: the file is neither UTF-8 nor Shift_JIS (CP932); the "
                      "bytes there cannot be read."),
                   line, col);
      return NULL;
    }
  *out_len = written;
  return utf8;
}

static void
set_error_at (GError **error, TsuCsvError code, const char *text, gsize offset, const char *fmt_one)
{
  guint line, col;

  position_of (text, offset, &line, &col);
  g_set_error (error, TSU_CSV_ERROR, code, fmt_one, line, col);
}

/* ---- the formula guard (see tsu-csv.h) ---- */

static gboolean
formula_trigger (char c)
{
  return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

/* ="0123" (how an export keeps a number such as a 法人番号 text in Excel)
 * is a constant: nothing runs, so it is left as it is. */
static gboolean
is_digit_constant (const char *value)
{
  gsize n = strlen (value), i;

  if (n < 4 || value[0] != '=' || value[1] != '"' || value[n - 1] != '"')
    return FALSE;
  for (i = 2; i < n - 1; i++)
    if (!g_ascii_isdigit (value[i]))
      return FALSE;
  return TRUE;
}

gboolean
tsu_csv_cell_needs_guard (const char *value)
{
  g_return_val_if_fail (value != NULL, FALSE);

  if (is_digit_constant (value))
    return FALSE;
  return formula_trigger (value[0])
         || (value[0] == '\'' && (formula_trigger (value[1]) || value[1] == '\''));
}

char *
tsu_csv_guard_cell (const char *value)
{
  g_return_val_if_fail (value != NULL, NULL);

  return tsu_csv_cell_needs_guard (value) ? g_strconcat ("'", value, NULL) : g_strdup (value);
}

/* The reader's half: a cell the writer guarded loses exactly that quote. */
static gboolean
is_guarded (const char *cell, gsize len)
{
  return len >= 2 && cell[0] == '\'' && (formula_trigger (cell[1]) || cell[1] == '\'');
}

char *
tsu_csv_unguard_cell (const char *cell)
{
  g_return_val_if_fail (cell != NULL, NULL);

  return g_strdup (is_guarded (cell, strlen (cell)) ? cell + 1 : cell);
}

GPtrArray *
tsu_csv_parse (const char *data, gsize length, TsuCsvEncoding *detected, GError **error)
{
  return tsu_csv_parse_full (data, length, TSU_CSV_FLAGS_NONE, detected, error);
}

GPtrArray *
tsu_csv_parse_full (
    const char *data, gsize length, TsuCsvFlags flags, TsuCsvEncoding *detected, GError **error)
{
  gboolean         guard = !(flags & TSU_CSV_FLAGS_NO_FORMULA_GUARD);
  TsuCsvEncoding   enc = TSU_CSV_ENCODING_UTF8;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) fields = NULL;
  g_autoptr (GString) field = NULL;
  gsize n = 0, i = 0;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (length == 0)
    {
      g_set_error_literal (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY, _ ("The file is empty."));
      return NULL;
    }

  text = decode (data, length, &enc, &n, error);
  if (text == NULL)
    return NULL;
  if (n == 0)
    {
      g_set_error_literal (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY, _ ("The file is empty."));
      return NULL;
    }

  rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  fields = g_ptr_array_new_with_free_func (g_free);
  field = g_string_new (NULL);

  while (i < n)
    {
      gsize    field_start = i;
      gboolean end_of_row = FALSE;

      g_string_truncate (field, 0);

      if (text[i] == '"')
        {
          i++;
          for (;;)
            {
              const char *q;

              if (i >= n)
                {
                  set_error_at (error, TSU_CSV_ERROR_UNCLOSED_QUOTE, text, field_start,
                                _ ("Line %u, column %u: this quoted field is never closed (a \" is "
                                   "missing)."));
                  return NULL;
                }
              q = memchr (text + i, '"', n - i);
              if (q == NULL)
                q = text + n;
              if (field->len + (q - (text + i)) > TSU_CSV_MAX_FIELD)
                {
                  set_error_at (error, TSU_CSV_ERROR_FIELD_TOO_LONG, text, field_start,
                                _ ("Line %u, column %u: this field is longer than 1 MB; the file "
                                   "is probably not a CSV file."));
                  return NULL;
                }
              g_string_append_len (field, text + i, q - (text + i));
              i = q - text;
              if (i >= n)
                continue;
              /* At a quote: doubled means a literal quote. */
              if (i + 1 < n && text[i + 1] == '"')
                {
                  g_string_append_c (field, '"');
                  i += 2;
                  continue;
                }
              i++;
              break;
            }
          if (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            {
              set_error_at (error, TSU_CSV_ERROR_BAD_QUOTE, text, i,
                            _ ("Line %u, column %u: text follows the closing quote of a field; "
                               "write a quote inside a field as \"\"."));
              return NULL;
            }
        }
      else
        {
          gsize start = i;

          /* Unquoted: up to the next comma or line end. A stray quote inside
           * is kept as it is, as spreadsheet programs do. */
          while (i < n && text[i] != ',' && text[i] != '\r' && text[i] != '\n')
            i++;
          if (i - start > TSU_CSV_MAX_FIELD)
            {
              set_error_at (error, TSU_CSV_ERROR_FIELD_TOO_LONG, text, field_start,
                            _ ("Line %u, column %u: this field is longer than 1 MB; the file is "
                               "probably not a CSV file."));
              return NULL;
            }
          g_string_append_len (field, text + start, i - start);
        }

      if (fields->len >= MAX_FIELDS_PER_ROW)
        {
          set_error_at (error, TSU_CSV_ERROR_FIELD_TOO_LONG, text, field_start,
                        _ ("Line %u, column %u: this row has too many fields; the file is probably "
                           "not a CSV file."));
          return NULL;
        }
      if (guard && is_guarded (field->str, field->len))
        g_ptr_array_add (fields, g_strndup (field->str + 1, field->len - 1));
      else
        g_ptr_array_add (fields, g_strndup (field->str, field->len));

      if (i >= n)
        end_of_row = TRUE;
      else if (text[i] == ',')
        {
          i++;
          if (i >= n)
            {
              /* "a,b," at the very end: a last empty field. */
              g_ptr_array_add (fields, g_strdup (""));
              end_of_row = TRUE;
            }
        }
      else
        {
          if (text[i] == '\r' && i + 1 < n && text[i + 1] == '\n')
            i += 2;
          else
            i++;
          end_of_row = TRUE;
        }

      if (end_of_row)
        {
          g_ptr_array_add (fields, NULL);
          /* Stealing leaves @fields empty and ready for the next row. */
          g_ptr_array_add (rows, g_ptr_array_steal (fields, NULL));
        }
    }

  if (detected != NULL)
    *detected = enc;
  return g_steal_pointer (&rows);
}

GPtrArray *
tsu_csv_parse_file (const char *path, TsuCsvEncoding *detected, GError **error)
{
  g_autofree char *data = NULL;
  gsize            length = 0;

  g_return_val_if_fail (path != NULL, NULL);

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return tsu_csv_parse (data, length, detected, error);
}

/* Lines a parsed row took in the file: one plus its embedded line breaks. */
static guint
row_lines (char **row)
{
  guint lines = 1;

  for (guint f = 0; row[f] != NULL; f++)
    for (const char *p = row[f]; *p; p++)
      if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
        lines++;
  return lines;
}

gboolean
tsu_csv_check_width (GPtrArray *rows, GError **error)
{
  guint width, line = 1;

  g_return_val_if_fail (rows != NULL, FALSE);

  if (rows->len == 0)
    {
      g_set_error_literal (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY, _ ("The file is empty."));
      return FALSE;
    }

  width = g_strv_length (g_ptr_array_index (rows, 0));
  for (guint r = 0; r < rows->len; r++)
    {
      char   **row = g_ptr_array_index (rows, r);
      guint    w = g_strv_length (row);
      gboolean blank = w == 1 && row[0][0] == '\0';

      /* A blank line is a row of one empty field; it is allowed. */
      if (w != width && !blank)
        {
          if (w > width)
            g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_WIDTH,
                         _ ("Line %u has %u fields, more than the %u of the header row."), line, w,
                         width);
          else
            g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_WIDTH,
                         _ ("Line %u has %u fields, fewer than the %u of the header row."), line, w,
                         width);
          return FALSE;
        }
      line += row_lines (row);
    }
  return TRUE;
}

static gboolean
needs_quotes (const char *s)
{
  gsize n = strlen (s);

  if (n == 0)
    return FALSE;
  if (strpbrk (s, ",\"\r\n") != NULL)
    return TRUE;
  return s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
}

/* Characters whose usual Unicode form differs from the one CP932 maps
 * (the JIS-vs-Microsoft table differences): written as CP932's form. */
static gunichar
cp932_equivalent (gunichar c)
{
  switch (c)
    {
    case 0x301C:
      return 0xFF5E; /* 〜 → ～ */
    case 0x2016:
      return 0x2225; /* ‖ → ∥ */
    case 0x2212:
      return 0xFF0D; /* − → － */
    case 0x00A2:
      return 0xFFE0; /* ¢ */
    case 0x00A3:
      return 0xFFE1; /* £ */
    case 0x00AC:
      return 0xFFE2; /* ¬ */
    case 0x2014:
      return 0x2015; /* — → ― */
    default:
      return c;
    }
}

static GBytes *
encode_cp932 (const char *utf8, gboolean allow_replacement, GPtrArray *unencodable, GError **error)
{
  g_autoptr (GString) mapped = g_string_sized_new (strlen (utf8));
  g_autoptr (GByteArray) out = g_byte_array_new ();
  g_autoptr (GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  const char *p;

  for (p = utf8; *p; p = g_utf8_next_char (p))
    g_string_append_unichar (mapped, cp932_equivalent (g_utf8_get_char (p)));

  p = mapped->str;
  while (*p)
    {
      gsize read = 0, written = 0;
      g_autoptr (GError) conv_error = NULL;
      g_autofree char *chunk = g_convert (p, -1, "CP932", "UTF-8", &read, &written, &conv_error);
      char             one[8] = { 0 };

      if (chunk != NULL)
        {
          g_byte_array_append (out, (const guint8 *)chunk, written);
          break;
        }
      if (!g_error_matches (conv_error, G_CONVERT_ERROR, G_CONVERT_ERROR_ILLEGAL_SEQUENCE))
        {
          g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNENCODABLE,
                       _ ("The text could not be converted to Shift_JIS (CP932): %s"),
                       conv_error->message);
          return NULL;
        }
      /* Everything before @read converts; the character there does not. */
      if (read > 0)
        {
          g_autofree char *good = g_convert (p, read, "CP932", "UTF-8", NULL, &written, NULL);

          if (good == NULL)
            {
              g_set_error_literal (error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNENCODABLE,
                                   _ ("The text could not be converted to Shift_JIS (CP932)."));
              return NULL;
            }
          g_byte_array_append (out, (const guint8 *)good, written);
        }
      p += read;
      g_unichar_to_utf8 (g_utf8_get_char (p), one);
      if (!g_hash_table_contains (seen, one))
        {
          char *copy = g_strdup (one);

          g_ptr_array_add (bad, copy);
          g_hash_table_add (seen, copy);
        }
      g_byte_array_append (out, (const guint8 *)"\x81\xAC", 2); /* 〓 */
      p = g_utf8_next_char (p);
    }

  if (unencodable != NULL)
    for (guint i = 0; i < bad->len; i++)
      g_ptr_array_add (unencodable, g_strdup (g_ptr_array_index (bad, i)));

  if (bad->len > 0 && !allow_replacement)
    {
      g_autoptr (GString) list = g_string_new (NULL);

      for (guint i = 0; i < bad->len && i < 20; i++)
        {
          if (i > 0)
            g_string_append (list, " ");
          g_string_append (list, g_ptr_array_index (bad, i));
        }
      g_set_error (
          error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNENCODABLE,
          g_dngettext (GETTEXT_PACKAGE, "%u character cannot be written in Shift_JIS (CP932): %s",
                       "%u characters cannot be written in Shift_JIS (CP932): %s", bad->len),
          bad->len, list->str);
      return NULL;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

GBytes *
tsu_csv_write (GPtrArray     *rows,
               TsuCsvEncoding encoding,
               gboolean       allow_replacement,
               GPtrArray     *unencodable,
               GError       **error)
{
  return tsu_csv_write_full (rows, encoding, TSU_CSV_FLAGS_NONE, allow_replacement, unencodable,
                             error);
}

GBytes *
tsu_csv_write_full (GPtrArray     *rows,
                    TsuCsvEncoding encoding,
                    TsuCsvFlags    flags,
                    gboolean       allow_replacement,
                    GPtrArray     *unencodable,
                    GError       **error)
{
  g_autoptr (GString) s = g_string_new (NULL);
  gboolean guard = !(flags & TSU_CSV_FLAGS_NO_FORMULA_GUARD);

  g_return_val_if_fail (rows != NULL, NULL);

  for (guint r = 0; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);

      for (guint f = 0; row[f] != NULL; f++)
        {
          g_autofree char *guarded = NULL;
          const char      *v = row[f];

          if (!g_utf8_validate (v, -1, NULL))
            {
              g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING,
                           _ ("Row %u, field %u is not valid text."), r + 1, f + 1);
              return NULL;
            }
          if (guard && tsu_csv_cell_needs_guard (v))
            v = guarded = g_strconcat ("'", v, NULL);
          if (f > 0)
            g_string_append_c (s, ',');
          if (needs_quotes (v))
            {
              g_string_append_c (s, '"');
              for (const char *p = v; *p; p++)
                {
                  if (*p == '"')
                    g_string_append_c (s, '"');
                  g_string_append_c (s, *p);
                }
              g_string_append_c (s, '"');
            }
          else
            g_string_append (s, v);
        }
      g_string_append (s, "\r\n");
    }

  switch (encoding)
    {
    case TSU_CSV_ENCODING_UTF8_BOM:
      g_string_prepend (s, "\xEF\xBB\xBF");
      G_GNUC_FALLTHROUGH;
    case TSU_CSV_ENCODING_UTF8:
      {
        gsize len = s->len;

        return g_bytes_new_take (g_string_free (g_steal_pointer (&s), FALSE), len);
      }
    case TSU_CSV_ENCODING_CP932:
      return encode_cp932 (s->str, allow_replacement, unencodable, error);
    default:
      g_return_val_if_reached (NULL);
    }
}
