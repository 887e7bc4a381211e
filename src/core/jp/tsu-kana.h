/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Readings (フリガナ): normalisation and 五十音順 sort keys (JIS X 4061). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_KANA_ERROR (tsu_kana_error_quark ())

typedef enum
{
  TSU_KANA_ERROR_NOT_READING,
  TSU_KANA_ERROR_INVALID_UTF8,
} TsuKanaError;

GQuark tsu_kana_error_quark (void);

/**
 * tsu_reading_normalize:
 * @input: (nullable): a reading as typed: hiragana, katakana, half-width
 *   katakana (with half-width (han)dakuten), spaces of any width
 * @error: return location for a #TSU_KANA_ERROR
 *
 * Converts a reading to full-width katakana. Leading and trailing spaces are
 * trimmed; each inner run of spaces becomes one U+3000. Accepted besides kana:
 * ー (and its half-width form), ・ (and ･), ゝゞヽヾ, and a hyphen, minus,
 * dash or tilde right after a kana, read as ー (ラ-メン). Anything else is an error
 * naming the first offending character. NULL or an all-space input returns
 * "" without error (a record may have no reading).
 *
 * Returns: (transfer full) (nullable): the normalised reading, or NULL on error
 */
char *tsu_reading_normalize (const char *input, GError **error);

/**
 * tsu_reading_sort_key:
 * @reading: (nullable): a reading (normalised or not; it is normalised first)
 *
 * Builds a key whose plain byte order (strcmp, SQLite BINARY) is 五十音順
 * as JIS X 4061 defines it: the first level ignores (han)dakuten, treats
 * small kana as full-size and ー as the vowel of the preceding kana; ties are
 * broken small < plain < dakuten < handakuten. Hiragana and katakana are equal.
 * The key is printable ASCII only.
 *
 * Returns: (transfer full) (nullable): the key, or NULL when @reading is
 *   NULL, empty or not a reading
 */
char *tsu_reading_sort_key (const char *reading);

/**
 * tsu_name_sort_key:
 * @reading: (nullable): the record's reading, may be NULL or empty
 * @name: (nullable): the record's name (kanji etc.)
 *
 * The value of a `sort_key` column: records with a reading sort first, by
 * tsu_reading_sort_key() (prefix "0"), then records without one by the NFKC
 * form of @name (prefix "1"). Ties are broken by the name.
 *
 * Returns: (transfer full): the key, never NULL
 */
char *tsu_name_sort_key (const char *reading, const char *name);

G_END_DECLS
