/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Readings: normalisation, and the 五十音順 key checked against ICU's
 * Japanese collation (ICU is linked into this test only, as an oracle). */
#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ucol.h>
#include <unicode/uloc.h>

#include "tsu-kana.h"

static UCollator *coll;

static void
test_normalize (void)
{
  static const struct
  {
    const char *in, *out;
  } ok[] = {
    { "やまだ", "ヤマダ" },
    { "ヤマダ", "ヤマダ" },
    { "ﾔﾏﾀﾞ", "ヤマダ" },
    { "ﾊﾟﾝ", "パン" },
    { "ｳﾞｨｰﾅｽ", "ヴィーナス" },
    { "  やまだ　　たろう  ", "ヤマダ　タロウ" },
    { "やまだ たろう", "ヤマダ　タロウ" },
    { "ｻﾄｳ ﾊﾅｺ", "サトウ　ハナコ" },
    { "ゔぁいおりん", "ヴァイオリン" },
    { "がっこう・きょうしつ", "ガッコウ・キョウシツ" },
    { "ｶﾞｯｺｳ･ｷｮｳｼﾂ", "ガッコウ・キョウシツ" },
    { "さゝき", "サヽキ" },
    { "ラーメン", "ラーメン" },
    { "ﾗｰﾒﾝ", "ラーメン" },
    { "ヵヶ", "ヵヶ" },
    { "ら-めん", "ラーメン" },
    { "ﾗ-ﾒﾝ", "ラーメン" },
    { "ラ－メン", "ラーメン" },
    { "ら〜", "ラー" },
    { "", "" },
    { "　 ", "" },
  };
  static const struct
  {
    const char *in, *bad;
  } bad[] = {
    { "山田", "山" }, { "やまだ1", "1" }, { "yamada", "y" }, { "ヤマダ!", "!" },
    { "ｱﾞ", "゛" },   { "-ア", "-" },     { "ア -", "-" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *r = tsu_reading_normalize (ok[i].in, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (r, ==, ok[i].out);
    }
  {
    g_autofree char *r = tsu_reading_normalize (NULL, NULL);
    g_assert_cmpstr (r, ==, "");
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *r = tsu_reading_normalize (bad[i].in, &error);

      g_assert_null (r);
      g_assert_error (error, TSU_KANA_ERROR, TSU_KANA_ERROR_NOT_READING);
      g_assert_nonnull (strstr (error->message, bad[i].bad));
    }
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *r = tsu_reading_normalize ("\xff\xfe", &error);
    g_assert_null (r);
    g_assert_error (error, TSU_KANA_ERROR, TSU_KANA_ERROR_INVALID_UTF8);
  }
}

static void
test_key_basics (void)
{
  g_autofree char *k1 = tsu_reading_sort_key ("やまだ");
  g_autofree char *k2 = tsu_reading_sort_key ("ヤマダ");
  g_autofree char *k3 = tsu_reading_sort_key ("ﾔﾏﾀﾞ");

  g_assert_nonnull (k1);
  g_assert_cmpstr (k1, ==, k2);
  g_assert_cmpstr (k1, ==, k3);
  for (const char *p = k1; *p; p++)
    g_assert_true (*p > 0x20 && *p < 0x7f);
  g_assert_null (tsu_reading_sort_key (NULL));
  g_assert_null (tsu_reading_sort_key (""));
  g_assert_null (tsu_reading_sort_key ("山田"));
}

/* Each list is in 五十音順 (JIS X 4061), strictly increasing. */
static const char *const ordered[][8] = {
  { "ハ", "バ", "パ", "ハア", NULL },
  { "ハハ", "ハバ", "ハパ", "バハ", "パハ", NULL },
  { "ッ", "ツ", "ヅ", "ツア", NULL },
  { "ャ", "ヤ", "ヤア", NULL },
  { "ヨ", "ョウ", "ヨウ", "ヨコ", NULL },
  { "カー", "カァ", "カア", "カイ", NULL },
  { "キー", "キイ", "キウ", NULL },
  { "クー", "クウ", "クエ", NULL },
  { "ケー", "ケエ", "ケオ", NULL },
  { "コー", "コオ", "コカ", NULL },
  { "ア", "アー", "アア", "アイ", NULL },
  { "ウ", "ヴ", "ウア", NULL },
  { "ヵ", "カ", NULL },
  { "ヤマダ", "ヤマダ　タロウ", "ヤマダタ", NULL },
  { "ワ", "ヰ", "ヱ", "ヲ", "ン", NULL },
  { "サトウ", "サドウ", "サトオ", NULL },
  { "ジュウ", "ジユウ", NULL },
  { "シュウ", "ジユウ", NULL },
  { "ー", "ア", NULL },
  { "ン", "ンー", "ンア", "ンン", NULL },
  { "カア", "カヽ", "カカ", NULL },
  { "カヾ", "カガ", "カキ", NULL },
  { "サヽキ", "ササキ", NULL },
  { "ア　イ", "ア・イ", "アイ", NULL },
  { "カーー", "カーア", "カーイ", NULL }, /* JIS: ーー is アア after カ */
  { "スズキ", "スズキ　イチロウ", "スズキ　ジロウ", "スズキイ", NULL },
};

/* ー after ン (or first): ン has no vowel for it to stand for; like ICU we
 * give it a weight of its own below every kana. */

static int
icu_cmp (const char *a, const char *b)
{
  UErrorCode       status = U_ZERO_ERROR;
  UCollationResult r = ucol_strcollUTF8 (coll, a, -1, b, -1, &status);

  g_assert_true (U_SUCCESS (status));
  return r == UCOL_LESS ? -1 : r == UCOL_GREATER ? 1 : 0;
}

/* The one place JIS X 4061 and ICU part: in ーー the second ー. JIS reads
 * every ー as the vowel before it, so カーー is カアア; ICU's rules only look
 * at the character right before a ー, see no kana there and give the second
 * ー its bare weight. Pairs with a doubled ー are left out of the ICU
 * comparison (and checked against JIS's reading by hand). */
static gboolean
icu_excluded (const char *a, const char *b)
{
  return strstr (a, "ーー") != NULL || strstr (b, "ーー") != NULL;
}

static int
key_cmp (const char *a, const char *b)
{
  g_autofree char *ka = tsu_reading_sort_key (a);
  g_autofree char *kb = tsu_reading_sort_key (b);
  int              r = strcmp (ka, kb);

  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

static void
test_key_hand_cases (void)
{
  guint bad = 0;

  for (guint l = 0; l < G_N_ELEMENTS (ordered); l++)
    for (guint i = 0; ordered[l][i + 1] != NULL; i++)
      {
        const char *a = ordered[l][i], *b = ordered[l][i + 1];

        if (key_cmp (a, b) >= 0)
          {
            g_printerr ("expected %s < %s\n", a, b);
            bad++;
          }
        /* The same order is ICU's. */
        if (!icu_excluded (a, b) && icu_cmp (a, b) >= 0)
          {
            g_printerr ("ICU disagrees on the hand case %s < %s\n", a, b);
            bad++;
          }
      }
  g_assert_cmpuint (bad, ==, 0);
}

/* Random readings over every katakana plus ー; ー is never first (that is
 * not a reading anyone types and the two rule sets place it differently). */
static char *
random_reading (GRand *rand)
{
  GString *s = g_string_new (NULL);
  int      len = g_rand_int_range (rand, 1, 7);

  for (int i = 0; i < len; i++)
    {
      gunichar c;

      if (i > 0 && g_rand_int_range (rand, 0, 8) == 0)
        c = 0x30FC;
      else if (i > 0 && i < len - 1 && g_rand_int_range (rand, 0, 20) == 0
               && !g_str_has_suffix (s->str, "　"))
        c = 0x3000;
      else
        {
          /* Most draws from the common kana, some from the rare ones. */
          c = 0x30A1 + g_rand_int_range (rand, 0, 0x30F6 - 0x30A1 + 1);
          if (c == 0x30F7 || c == 0x30F8)
            c = 0x30A2;
        }
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

/* Kana that share a first-level weight: a sibling of a word swaps some of
 * its characters within a group so that only levels 2 and 3 decide. */
static const char *const groups[] = {
  "アァー", "イィー", "ウゥヴー", "エェー", "オォー", "カガヵ", "キギ", "クグ",   "ケゲヶ", "コゴ",
  "サザ",   "シジ",   "スズ",     "セゼ",   "ソゾ",   "タダ",   "チヂ", "ツッヅ", "テデ",   "トド",
  "ハバパ", "ヒビピ", "フブプ",   "ヘベペ", "ホボポ", "ヤャ",   "ユュ", "ヨョ",   "ワヮ",
};

static char *
sibling (GRand *rand, const char *word)
{
  GString *s = g_string_new (NULL);

  for (const char *p = word; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
        {
          glong       n = g_utf8_strlen (groups[g], -1);
          const char *m = g_utf8_strchr (groups[g], -1, c);

          if (m == NULL || c == 0x30FC || g_rand_boolean (rand))
            continue;
          c = g_utf8_get_char (g_utf8_offset_to_pointer (groups[g], g_rand_int_range (rand, 0, n)));
          /* ー only where a kana with that vowel comes before it. */
          if (c == 0x30FC && p == word)
            c = g_utf8_get_char (groups[g]);
          break;
        }
      g_string_append_unichar (s, c);
    }
  return g_string_free (s, FALSE);
}

typedef struct
{
  char *word;
  char *key;
} Keyed;

static int
keyed_cmp (gconstpointer a, gconstpointer b)
{
  return strcmp (((const Keyed *)a)->key, ((const Keyed *)b)->key);
}

static void
test_key_vs_icu (void)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (20260401);
  g_autoptr (GPtrArray) words = g_ptr_array_new_with_free_func (g_free);
  g_autofree Keyed *sorted = NULL;
  guint             disagreements = 0, compared = 0;
  const guint       n = 20000;

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (words, random_reading (rand));

  /* 1. Sorted by our key, each neighbouring pair is in ICU's order. */
  sorted = g_new0 (Keyed, n);
  for (guint i = 0; i < n; i++)
    {
      sorted[i].word = g_ptr_array_index (words, i);
      sorted[i].key = tsu_reading_sort_key (sorted[i].word);
    }
  qsort (sorted, n, sizeof (Keyed), keyed_cmp);
  for (guint i = 0; i + 1 < n; i++)
    {
      int ours = strcmp (sorted[i].key, sorted[i + 1].key) < 0 ? -1 : 0;
      int icu = icu_cmp (sorted[i].word, sorted[i + 1].word);

      if (icu_excluded (sorted[i].word, sorted[i + 1].word))
        continue;
      compared++;
      if (ours != icu)
        {
          if (disagreements < 30)
            g_printerr ("disagree (sorted): %s %s ours %d icu %d\n", sorted[i].word,
                        sorted[i + 1].word, ours, icu);
          disagreements++;
        }
    }
  for (guint i = 0; i < n; i++)
    g_free (sorted[i].key);

  /* 2. Random pairs, and 3. each word against a sibling that differs only
   * in dakuten, small kana or ー, so the later levels decide. */
  for (guint i = 0; i < n; i++)
    for (guint j = 0; j < 3; j++)
      {
        const char      *a = g_ptr_array_index (words, i);
        g_autofree char *sib = NULL;
        const char      *b;
        int              ours, icu;

        if (j < 2)
          b = g_ptr_array_index (words, g_rand_int_range (rand, 0, n));
        else
          b = sib = sibling (rand, a);
        if (icu_excluded (a, b))
          continue;
        ours = key_cmp (a, b);
        icu = icu_cmp (a, b);
        compared++;
        if (ours != icu)
          {
            if (disagreements < 30)
              g_printerr ("disagree: %s %s ours %d icu %d\n", a, b, ours, icu);
            disagreements++;
          }
      }
  g_test_message ("compared %u pairs from %u generated readings with ICU: %u disagreements",
                  compared, n, disagreements);
  g_assert_cmpuint (disagreements, ==, 0);
}

static void
test_name_key (void)
{
  g_autofree char *a = tsu_name_sort_key ("ア", "亜");
  g_autofree char *b = tsu_name_sort_key ("ン", "ん");
  g_autofree char *c = tsu_name_sort_key (NULL, "亜");
  g_autofree char *d = tsu_name_sort_key ("", "ＡＢＣ");
  g_autofree char *e = tsu_name_sort_key (NULL, NULL);
  g_autofree char *f = tsu_name_sort_key ("ヤマダ", "山田");
  g_autofree char *g = tsu_name_sort_key ("ヤマダ", "山多");

  g_assert_cmpstr (a, <, b);
  g_assert_cmpstr (b, <, c);
  g_assert_cmpstr (b, <, d);
  g_assert_true (g_str_has_suffix (d, "ABC"));
  g_assert_nonnull (e);
  g_assert_cmpstr (f, !=, g);
}

int
main (int argc, char **argv)
{
  UErrorCode status = U_ZERO_ERROR;

  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);
  coll = ucol_open ("ja", &status);
  g_assert_true (U_SUCCESS (status));

  g_test_add_func ("/jp/kana/normalize", test_normalize);
  g_test_add_func ("/jp/kana/key-basics", test_key_basics);
  g_test_add_func ("/jp/kana/key-hand-cases", test_key_hand_cases);
  g_test_add_func ("/jp/kana/key-vs-icu", test_key_vs_icu);
  g_test_add_func ("/jp/kana/name-key", test_name_key);
  return g_test_run ();
}
