/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV (RFC 4180) reading and writing with the encodings used in Japan. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_CSV_ERROR (tsu_csv_error_quark ())

typedef enum
{
  TSU_CSV_ERROR_EMPTY,
  TSU_CSV_ERROR_ENCODING,
  TSU_CSV_ERROR_UNCLOSED_QUOTE,
  TSU_CSV_ERROR_BAD_QUOTE,
  TSU_CSV_ERROR_FIELD_TOO_LONG,
  TSU_CSV_ERROR_WIDTH,
  TSU_CSV_ERROR_UNENCODABLE,
  TSU_CSV_ERROR_IO,
} TsuCsvError;

GQuark tsu_csv_error_quark (void);

typedef enum
{
  TSU_CSV_ENCODING_UTF8,
  TSU_CSV_ENCODING_UTF8_BOM,
  TSU_CSV_ENCODING_CP932,
} TsuCsvEncoding;

/**
 * TsuCsvFlags:
 * @TSU_CSV_FLAGS_NONE: the defaults: the formula guard is on
 * @TSU_CSV_FLAGS_NO_FORMULA_GUARD: write and read every cell verbatim
 *
 * The formula guard (CSV injection, OWASP). Spreadsheet programs run a cell
 * that starts with `=`, `+`, `-` or `@` as a formula (and some strip a
 * leading tab or CR first), so a group name such as `=HYPERLINK(...)` or
 * `+cmd|' /C calc'!A0` would run on the computer that opens the export.
 *
 * Writing, a value is prefixed with one apostrophe `'` when
 *   - it starts with `=`, `+`, `-`, `@`, a tab or a CR, or
 *   - it starts with `'` followed by one of those or by another `'`.
 * Reading, a cell loses its first character when it is `'` followed by one
 * of `=`, `+`, `-`, `@`, tab, CR or `'`; every other cell is kept as it is.
 *
 * The second writing rule makes the pair a bijection: reading what was
 * written gives back every value exactly, whatever it is (`'=1` is written
 * `''=1` and read back as `'=1`). A spreadsheet shows a guarded cell as
 * text without the apostrophe (its own way to enter text that starts with
 * `=`), and a file typed by hand with such apostrophes reads the same way.
 */
typedef enum
{
  TSU_CSV_FLAGS_NONE = 0,
  TSU_CSV_FLAGS_NO_FORMULA_GUARD = 1 << 0,
} TsuCsvFlags;

/* The guard's rule on one cell (see #TsuCsvFlags). */
gboolean tsu_csv_cell_needs_guard (const char *value);
char    *tsu_csv_guard_cell (const char *value);
char    *tsu_csv_unguard_cell (const char *cell);

/* A field longer than this (bytes, after decoding) is an error, not a crash. */
#define TSU_CSV_MAX_FIELD (1024 * 1024)

/**
 * tsu_csv_parse:
 * @data: the file's bytes
 * @length: their length
 * @detected: (out) (optional): the encoding found
 * @error: return location for a #TSU_CSV_ERROR
 *
 * Reads CSV as RFC 4180 (quoted fields, doubled quotes, commas and line
 * breaks inside quotes, CRLF or LF or CR line ends; a final line end is
 * optional). Encoding: a UTF-8 BOM means UTF-8, else valid UTF-8 is UTF-8,
 * else CP932. Errors (empty file, bytes invalid in CP932, an unclosed quote,
 * text after a closing quote, a field over %TSU_CSV_MAX_FIELD bytes) name
 * the line and column (1-based; the column counts characters). A blank
 * line is a row of one empty field (tsu_csv_check_width() lets those pass);
 * a cell the writer guarded against formulas loses its `'` (#TsuCsvFlags);
 * a stray quote inside an unquoted field is kept as text. A row of more
 * than 16384 fields is an error too. Rows are not checked for width here:
 * see tsu_csv_check_width().
 *
 * Returns: (transfer full) (nullable): rows, each a %NULL-terminated GStrv
 *   (the array frees them with g_strfreev), or NULL on error
 */
GPtrArray *tsu_csv_parse (const char *data, gsize length, TsuCsvEncoding *detected, GError **error);
/* tsu_csv_parse() with @flags; tsu_csv_parse() reads with the formula guard. */
GPtrArray *tsu_csv_parse_full (
    const char *data, gsize length, TsuCsvFlags flags, TsuCsvEncoding *detected, GError **error);

/**
 * tsu_csv_parse_file:
 * @path: a file name
 * @detected: (out) (optional): the encoding found
 * @error: return location for a #TSU_CSV_ERROR or #G_FILE_ERROR
 *
 * tsu_csv_parse() on a file's contents.
 *
 * Returns: (transfer full) (nullable): rows, or NULL on error
 */
GPtrArray *tsu_csv_parse_file (const char *path, TsuCsvEncoding *detected, GError **error);

/**
 * tsu_csv_check_width:
 * @rows: rows from tsu_csv_parse()
 * @error: return location for a #TSU_CSV_ERROR
 *
 * Checks every row has as many fields as the first (header) row. The error
 * names the first bad row's line number in the file (a record that spans
 * several lines counts by its first line) and the counts.
 *
 * Returns: %TRUE when all rows have the header's width
 */
gboolean tsu_csv_check_width (GPtrArray *rows, GError **error);

/**
 * tsu_csv_write:
 * @rows: rows, each a %NULL-terminated array of UTF-8 strings
 * @encoding: %TSU_CSV_ENCODING_UTF8_BOM (the default for Excel),
 *   %TSU_CSV_ENCODING_UTF8 or %TSU_CSV_ENCODING_CP932
 * @allow_replacement: for CP932: write characters it cannot encode as 〓
 *   (geta mark, the customary substitute) instead of failing
 * @unencodable: (nullable): for CP932, receives each distinct character
 *   (char *, UTF-8) that cannot be encoded, in order of first appearance;
 *   create it with g_free as free function
 * @error: return location for a #TSU_CSV_ERROR
 *
 * Writes CSV with CRLF line ends, quoting fields that hold a comma, a quote,
 * a line break or leading/trailing spaces. Cells that a spreadsheet would
 * run as a formula are guarded with a leading `'` (see #TsuCsvFlags;
 * tsu_csv_parse() removes it again). With CP932 and characters it cannot
 * encode, returns NULL with an error unless @allow_replacement.
 *
 * Returns: (transfer full) (nullable): the bytes, or NULL on error
 */
GBytes *tsu_csv_write (GPtrArray     *rows,
                       TsuCsvEncoding encoding,
                       gboolean       allow_replacement,
                       GPtrArray     *unencodable,
                       GError       **error);
/* tsu_csv_write() with @flags. */
GBytes *tsu_csv_write_full (GPtrArray     *rows,
                            TsuCsvEncoding encoding,
                            TsuCsvFlags    flags,
                            gboolean       allow_replacement,
                            GPtrArray     *unencodable,
                            GError       **error);

G_END_DECLS
