/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsu-kana.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-kana-error-quark, tsu_kana_error)
// clang-format on

#define KATA_FIRST 0x30A1 /* ァ */
#define KATA_LAST 0x30FA  /* ヺ */
#define CHOON 0x30FC      /* ー */
#define NAKAGURO 0x30FB   /* ・ */
#define ITER 0x30FD       /* ヽ */
#define ITER_V 0x30FE     /* ヾ */

/* Per katakana U+30A1..U+30FA: index in the 五十音 table (ア=0 … ン=47),
 * voicing (0 plain, 1 dakuten, 2 handakuten), size (0 small, 1 normal). */
typedef struct
{
  guint8 base;
  guint8 voice;
  guint8 size;
} KanaInfo;

static const KanaInfo kana_info[] = {
  { 0, 0, 0 },  /* ァ */
  { 0, 0, 1 },  /* ア */
  { 1, 0, 0 },  /* ィ */
  { 1, 0, 1 },  /* イ */
  { 2, 0, 0 },  /* ゥ */
  { 2, 0, 1 },  /* ウ */
  { 3, 0, 0 },  /* ェ */
  { 3, 0, 1 },  /* エ */
  { 4, 0, 0 },  /* ォ */
  { 4, 0, 1 },  /* オ */
  { 5, 0, 1 },  /* カ */
  { 5, 1, 1 },  /* ガ */
  { 6, 0, 1 },  /* キ */
  { 6, 1, 1 },  /* ギ */
  { 7, 0, 1 },  /* ク */
  { 7, 1, 1 },  /* グ */
  { 8, 0, 1 },  /* ケ */
  { 8, 1, 1 },  /* ゲ */
  { 9, 0, 1 },  /* コ */
  { 9, 1, 1 },  /* ゴ */
  { 10, 0, 1 }, /* サ */
  { 10, 1, 1 }, /* ザ */
  { 11, 0, 1 }, /* シ */
  { 11, 1, 1 }, /* ジ */
  { 12, 0, 1 }, /* ス */
  { 12, 1, 1 }, /* ズ */
  { 13, 0, 1 }, /* セ */
  { 13, 1, 1 }, /* ゼ */
  { 14, 0, 1 }, /* ソ */
  { 14, 1, 1 }, /* ゾ */
  { 15, 0, 1 }, /* タ */
  { 15, 1, 1 }, /* ダ */
  { 16, 0, 1 }, /* チ */
  { 16, 1, 1 }, /* ヂ */
  { 17, 0, 0 }, /* ッ */
  { 17, 0, 1 }, /* ツ */
  { 17, 1, 1 }, /* ヅ */
  { 18, 0, 1 }, /* テ */
  { 18, 1, 1 }, /* デ */
  { 19, 0, 1 }, /* ト */
  { 19, 1, 1 }, /* ド */
  { 20, 0, 1 }, /* ナ */
  { 21, 0, 1 }, /* ニ */
  { 22, 0, 1 }, /* ヌ */
  { 23, 0, 1 }, /* ネ */
  { 24, 0, 1 }, /* ノ */
  { 25, 0, 1 }, /* ハ */
  { 25, 1, 1 }, /* バ */
  { 25, 2, 1 }, /* パ */
  { 26, 0, 1 }, /* ヒ */
  { 26, 1, 1 }, /* ビ */
  { 26, 2, 1 }, /* ピ */
  { 27, 0, 1 }, /* フ */
  { 27, 1, 1 }, /* ブ */
  { 27, 2, 1 }, /* プ */
  { 28, 0, 1 }, /* ヘ */
  { 28, 1, 1 }, /* ベ */
  { 28, 2, 1 }, /* ペ */
  { 29, 0, 1 }, /* ホ */
  { 29, 1, 1 }, /* ボ */
  { 29, 2, 1 }, /* ポ */
  { 30, 0, 1 }, /* マ */
  { 31, 0, 1 }, /* ミ */
  { 32, 0, 1 }, /* ム */
  { 33, 0, 1 }, /* メ */
  { 34, 0, 1 }, /* モ */
  { 35, 0, 0 }, /* ャ */
  { 35, 0, 1 }, /* ヤ */
  { 36, 0, 0 }, /* ュ */
  { 36, 0, 1 }, /* ユ */
  { 37, 0, 0 }, /* ョ */
  { 37, 0, 1 }, /* ヨ */
  { 38, 0, 1 }, /* ラ */
  { 39, 0, 1 }, /* リ */
  { 40, 0, 1 }, /* ル */
  { 41, 0, 1 }, /* レ */
  { 42, 0, 1 }, /* ロ */
  { 43, 0, 0 }, /* ヮ */
  { 43, 0, 1 }, /* ワ */
  { 44, 0, 1 }, /* ヰ */
  { 45, 0, 1 }, /* ヱ */
  { 46, 0, 1 }, /* ヲ */
  { 47, 0, 1 }, /* ン */
  { 2, 1, 1 },  /* ヴ */
  { 5, 0, 0 },  /* ヵ */
  { 8, 0, 0 },  /* ヶ */
  { 43, 1, 1 }, /* ヷ */
  { 44, 1, 1 }, /* ヸ */
  { 45, 1, 1 }, /* ヹ */
  { 46, 1, 1 }, /* ヺ */
};

G_STATIC_ASSERT (G_N_ELEMENTS (kana_info) == KATA_LAST - KATA_FIRST + 1);

#define N_GOJUON 48
#define BASE_N 47 /* ン */

/* Vowel (ア=0 … オ=4) of each 五十音 entry, for ー; ン has none (-1). */
static int
base_vowel (int base)
{
  static const gint8 vowel[N_GOJUON] = {
    0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3,
    4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 2, 4, 0, 1, 2, 3, 4, 0, 1, 3, 4, -1,
  };
  return vowel[base];
}

static gboolean
is_space (gunichar c)
{
  return c == ' ' || c == 0x3000 || c == '\t' || g_unichar_isspace (c);
}

/* Dash-like characters (after NFKC) that stand for ー after a kana. */
static gboolean
is_dash (gunichar c)
{
  return c == '-' || c == '~' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013
         || c == 0x2014 || c == 0x2015 || c == 0x2212 || c == 0x301C;
}

/* Katakana or hiragana → katakana code point, or 0 when @c is not kana. */
static gunichar
to_katakana (gunichar c)
{
  if (c >= 0x3041 && c <= 0x3096)
    return c + 0x60;
  if (c == 0x309D || c == 0x309E) /* ゝゞ */
    return c + 0x60;
  if ((c >= KATA_FIRST && c <= KATA_LAST) || c == ITER || c == ITER_V || c == CHOON
      || c == NAKAGURO)
    return c;
  return 0;
}

char *
tsu_reading_normalize (const char *input, GError **error)
{
  g_autofree char *nfkc = NULL;
  g_autoptr (GString) out = NULL;
  gboolean pending_space = FALSE;

  if (input == NULL)
    return g_strdup ("");

  if (!g_utf8_validate (input, -1, NULL))
    {
      g_set_error_literal (error, TSU_KANA_ERROR, TSU_KANA_ERROR_INVALID_UTF8,
                           _ ("The reading contains bytes that are not valid text."));
      return NULL;
    }

  /* NFKC turns half-width katakana into full-width and composes a following
   * (half-width) dakuten/handakuten with its kana. */
  nfkc = g_utf8_normalize (input, -1, G_NORMALIZE_ALL_COMPOSE);
  out = g_string_new (NULL);

  for (const char *p = nfkc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gunichar k;

      if (is_space (c))
        {
          if (out->len > 0)
            pending_space = TRUE;
          continue;
        }

      k = to_katakana (c);
      /* A hyphen or tilde typed after a kana in place of ー (ラ-メン). */
      if (k == 0 && out->len > 0 && !pending_space && is_dash (c))
        k = CHOON;
      if (k == 0)
        {
          char shown[8] = { 0 };

          /* A lone combining mark (dakuten on a kana that has no voiced
           * form) is shown as its spacing form so the message is legible. */
          if (c == 0x3099)
            c = 0x309B;
          else if (c == 0x309A)
            c = 0x309C;
          g_unichar_to_utf8 (c, shown);
          g_set_error (
              error, TSU_KANA_ERROR, TSU_KANA_ERROR_NOT_READING,
              _ ("“%s” cannot be used in a reading. Type the reading in hiragana or katakana."),
              shown);
          return NULL;
        }

      if (pending_space)
        {
          g_string_append_unichar (out, 0x3000);
          pending_space = FALSE;
        }
      g_string_append_unichar (out, k);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Weights of the key: three levels as JIS X 4061 and ICU compare them,
 * (1) the kana with (han)dakuten, smallness and ー folded away, (2) plain <
 * dakuten < handakuten, (3) ー / iteration mark < small < normal kana. The
 * level separator '!' sorts below every weight so that a shorter string
 * sorts first. Primary weights: space '0', ・ '1', a ー with no vowel before
 * it '2', the 48 kana 'A'..'Z' then 'a'..'v'. */
#define LEVEL_SEP '!'

static char
primary_char (int base)
{
  return base < 26 ? 'A' + base : 'a' + (base - 26);
}

enum
{
  PRIMARY_SPACE = -3,
  PRIMARY_DOT = -2,
  PRIMARY_BARE_CHOON = -1,
};

typedef struct
{
  int    primary; /* 0..47 or PRIMARY_* */
  guint8 voice;   /* 0 plain, 1 dakuten, 2 handakuten */
  guint8 third;   /* 0 ー or iteration mark, 1 small, 2 normal */
} Collation;

char *
tsu_reading_sort_key (const char *reading)
{
  g_autofree char *norm = NULL;
  g_autoptr (GArray) elems = NULL;
  GString *key;
  int      prev_base = -1;

  if (reading == NULL || *reading == '\0')
    return NULL;
  norm = tsu_reading_normalize (reading, NULL);
  if (norm == NULL || *norm == '\0')
    return NULL;

  elems = g_array_new (FALSE, FALSE, sizeof (Collation));
  for (const char *p = norm; *p; p = g_utf8_next_char (p))
    {
      gunichar  c = g_utf8_get_char (p);
      Collation e = { 0, 0, 2 };

      if (c == 0x3000)
        {
          e.primary = PRIMARY_SPACE;
          prev_base = -1;
        }
      else if (c == NAKAGURO)
        {
          e.primary = PRIMARY_DOT;
          prev_base = -1;
        }
      else if (c == CHOON)
        {
          /* ー is the vowel of the kana before it. With no vowel before it
           * (at the start, after ン or a space) it is a mark of its own
           * that sorts before every kana, as in ICU. */
          int v = prev_base >= 0 ? base_vowel (prev_base) : -1;

          e.primary = v >= 0 ? v : PRIMARY_BARE_CHOON;
          e.third = 0;
          prev_base = v >= 0 ? v : -1;
        }
      else if (c == ITER || c == ITER_V)
        {
          /* ヽ repeats the preceding kana unvoiced, ヾ voiced. */
          e.primary = prev_base >= 0 ? prev_base : 0;
          e.voice = c == ITER_V ? 1 : 0;
          e.third = 0;
        }
      else
        {
          const KanaInfo *ki = &kana_info[c - KATA_FIRST];

          e.primary = ki->base;
          e.voice = ki->voice;
          e.third = ki->size + 1;
          prev_base = ki->base;
        }
      g_array_append_val (elems, e);
    }

  key = g_string_sized_new (elems->len * 3 + 2);
  for (guint i = 0; i < elems->len; i++)
    {
      const Collation *e = &g_array_index (elems, Collation, i);

      if (e->primary == PRIMARY_SPACE)
        g_string_append_c (key, '0');
      else if (e->primary == PRIMARY_DOT)
        g_string_append_c (key, '1');
      else if (e->primary == PRIMARY_BARE_CHOON)
        g_string_append_c (key, '2');
      else
        g_string_append_c (key, primary_char (e->primary));
    }
  g_string_append_c (key, LEVEL_SEP);
  for (guint i = 0; i < elems->len; i++)
    g_string_append_c (key, '0' + g_array_index (elems, Collation, i).voice);
  g_string_append_c (key, LEVEL_SEP);
  for (guint i = 0; i < elems->len; i++)
    g_string_append_c (key, '0' + g_array_index (elems, Collation, i).third);

  return g_string_free (key, FALSE);
}

char *
tsu_name_sort_key (const char *reading, const char *name)
{
  g_autofree char *rkey = tsu_reading_sort_key (reading);
  g_autofree char *nfkc = NULL;

  if (name != NULL && g_utf8_validate (name, -1, NULL))
    nfkc = g_utf8_normalize (name, -1, G_NORMALIZE_ALL_COMPOSE);
  else if (name != NULL)
    nfkc = g_utf8_make_valid (name, -1);
  else
    nfkc = g_strdup ("");

  /* The name after the reading key breaks ties between equal readings; the
   * separator keeps it from mixing with the key's own bytes. */
  if (rkey != NULL)
    return g_strconcat ("0", rkey, "!", nfkc, NULL);
  return g_strconcat ("1", nfkc, NULL);
}
