/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one text folding used for both search indexing and search queries. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * tsu_search_fold:
 * @text: (nullable): any UTF-8 text (invalid bytes are replaced)
 *
 * Folds text for search: NFKC (full-width ASCII and half-width katakana),
 * hiragana → katakana, lower case, every hyphen/dash/minus/tilde variant
 * (‐ ‑ ‒ – — ― − - ～ 〜 ｰ and ー when it is not a long-vowel mark, i.e. when
 * not preceded by a kana) → "-", every run of white space → one ASCII space,
 * trimmed. A long-vowel ー after kana is kept (it is part of the word).
 * 異体字 fold to one form (髙→高, 﨑→崎, 邉/邊→辺, 齋→斎, 德→徳, 濵→浜: the
 * table in tsu-variants.inc, from Unicode's Unihan data), so 高橋 finds 髙橋.
 *
 * Returns: (transfer full): the folded text, "" for NULL
 */
char *tsu_search_fold (const char *text);

G_END_DECLS
