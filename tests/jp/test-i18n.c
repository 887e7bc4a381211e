/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The toolkit's messages come out in Japanese under a Japanese locale, with
 * the line and column filled in (uses the build's compiled ja.mo). */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <locale.h>
#include <string.h>

#include "tsu-csv.h"
#include "tsu-date.h"
#include "tsu-ident.h"
#include "tsu-kana.h"

static void
test_japanese_messages (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  g_autofree char *r = NULL;
  GDate            d;

  if (setlocale (LC_ALL, "ja_JP.UTF-8") == NULL)
    {
      g_test_skip ("ja_JP.UTF-8 locale not installed");
      return;
    }

  g_assert_false (tsu_postal_code_validate ("83600", NULL, &error));
  g_assert_cmpstr (error->message, ==, "郵便番号は〒836-0000のように7桁の数字です。");
  g_clear_error (&error);

  rows = tsu_csv_parse ("a,b\n1,\"2\n", 8, NULL, &error);
  g_assert_null (rows);
  g_assert_cmpstr (error->message, ==,
                   "2行目、3文字目: 引用符で始まる項目が閉じられていません（\"が足りません）。");
  g_clear_error (&error);

  g_assert_false (tsu_date_parse ("H31.5.1", &d, &error));
  g_assert_cmpstr (error->message, ==,
                   "「H31.5.1」は平成の終わり（2019年4月30日）より後の日付です。");
  g_clear_error (&error);

  r = tsu_reading_normalize ("山だ", &error);
  g_assert_null (r);
  g_assert_cmpstr (
      error->message, ==,
      "「山」はふりがなに使えません。ふりがなはひらがなかカタカナで入力してください。");
}

int
main (int argc, char **argv)
{
  const char      *build = g_getenv ("TSU_BUILD_ROOT");
  g_autofree char *localedir = NULL;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (build);
  localedir = g_build_filename (build, "po", NULL);
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_unsetenv ("LANGUAGE");

  g_test_add_func ("/jp/i18n/japanese-messages", test_japanese_messages);
  return g_test_run ();
}
