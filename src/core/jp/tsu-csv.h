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
 * a stray quote inside an unquoted field is kept as text. A row of more
 * than 16384 fields is an error too. Rows are not checked for width here:
 * see tsu_csv_check_width().
 *
 * Returns: (transfer full) (nullable): rows, each a %NULL-terminated GStrv
 *   (the array frees them with g_strfreev), or NULL on error
 */
GPtrArray *tsu_csv_parse (const char *data, gsize length, TsuCsvEncoding *detected, GError **error);

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
 * a line break or leading/trailing spaces. With CP932 and characters it
 * cannot encode, returns NULL with an error unless @allow_replacement.
 *
 * Returns: (transfer full) (nullable): the bytes, or NULL on error
 */
GBytes *tsu_csv_write (GPtrArray     *rows,
                       TsuCsvEncoding encoding,
                       gboolean       allow_replacement,
                       GPtrArray     *unencodable,
                       GError       **error);

G_END_DECLS
