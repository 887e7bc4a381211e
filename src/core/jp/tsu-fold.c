/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-fold.h"

/* 異体字 folded to one form (髙→高, 﨑→崎, 邉/邊→辺, 齋→斎, 濵/濱→浜, 德→徳…):
 * generated from Unicode's Unihan data by gen-variants.py, sorted. */
static const struct
{
  gunichar from, to;
} variants[] = {
#include "tsu-variants.inc"
};

static gunichar
fold_variant (gunichar c)
{
  gsize lo = 0, hi = G_N_ELEMENTS (variants);

  if (c < 0x3400)
    return c;
  while (lo < hi)
    {
      gsize mid = (lo + hi) / 2;

      if (variants[mid].from == c)
        return variants[mid].to;
      if (variants[mid].from < c)
        lo = mid + 1;
      else
        hi = mid;
    }
  return c;
}

/* Dashes, hyphens, minus signs and tildes that people use interchangeably in
 * phone numbers, addresses and ranges (after NFKC, so the full-width forms
 * have become ASCII '-' and '~' already). */
static gboolean
is_dash (gunichar c)
{
  switch (c)
    {
    case '-':
    case '~':
    case 0x02D7: /* ˗ */
    case 0x2010:
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015: /* ‐ ‑ ‒ – — ― */
    case 0x2043: /* ⁃ */
    case 0x2053: /* ⁓ */
    case 0x2212: /* − */
    case 0x2E3A:
    case 0x2E3B:
    case 0x301C: /* 〜 */
    case 0x3030: /* 〰 */
    case 0x30FC: /* ー */
    case 0xFE58:
    case 0xFE63:
    case 0xFF0D:
    case 0xFF5E:
    case 0xFF70: /* ｰ */
      return TRUE;
    default:
      return FALSE;
    }
}

/* Kana after which a dash-like character is a long-vowel mark. */
static gboolean
is_katakana_letter (gunichar c)
{
  return (c >= 0x30A1 && c <= 0x30FA) || c == 0x30FC || c == 0x30FD || c == 0x30FE;
}

char *
tsu_search_fold (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *nfkc = NULL;
  GString         *out;
  gboolean         pending_space = FALSE;
  gunichar         prev = 0;

  if (text == NULL)
    return g_strdup ("");

  valid = g_utf8_make_valid (text, -1);
  nfkc = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL_COMPOSE);
  out = g_string_sized_new (strlen (nfkc));

  for (const char *p = nfkc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || c == 0x3000)
        {
          pending_space = out->len > 0;
          prev = 0;
          continue;
        }
      /* Control and format characters (including the index's padding
       * U+0001) never take part in a match. */
      if (g_unichar_type (c) == G_UNICODE_CONTROL || g_unichar_type (c) == G_UNICODE_FORMAT)
        continue;

      /* Hiragana → katakana (ゝゞ too). */
      if ((c >= 0x3041 && c <= 0x3096) || c == 0x309D || c == 0x309E)
        c += 0x60;
      else if (is_dash (c))
        /* After a kana it is a long-vowel mark (サービス, サ-ビス), anywhere
         * else a dash (0944-12-3456, 0944ー12ー3456, 10時〜12時). */
        c = is_katakana_letter (prev) ? 0x30FC : '-';
      else
        c = g_unichar_tolower (fold_variant (c));

      if (pending_space)
        {
          g_string_append_c (out, ' ');
          pending_space = FALSE;
        }
      g_string_append_unichar (out, c);
      prev = c;
    }

  return g_string_free (out, FALSE);
}
