/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Identifiers: 法人番号, postal codes, phone numbers, e-mail, 団体コード. */
#include "config.h"

#include <locale.h>

#include "tsu-ident.h"

typedef gboolean (*Validator) (const char *, char **, GError **);

typedef struct
{
  const char *in;
  const char *out; /* NULL: invalid */
  int         code;
} Case;

static void
run (Validator v, const Case *cases, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autofree char *norm = NULL;
      gboolean         ok = v (cases[i].in, &norm, &error);

      if (cases[i].out != NULL)
        {
          if (!ok)
            g_error ("“%s” rejected: %s", cases[i].in, error->message);
          g_assert_cmpstr (norm, ==, cases[i].out);
          /* normalized is optional */
          g_assert_true (v (cases[i].in, NULL, NULL));
        }
      else
        {
          if (ok)
            g_error ("“%s” accepted as %s", cases[i].in, norm);
          g_assert_error (error, TSU_IDENT_ERROR, cases[i].code);
          g_assert_null (norm);
          g_assert_cmpstr (error->message, !=, "");
        }
    }
}

static void
test_corporate (void)
{
  static const Case cases[] = {
    { "7000012050002", "7000012050002" }, /* 国税庁 */
    { "７０００ ０１２０ ５０００２", "7000012050002" },
    { "7-0000-1205-0002", "7000012050002" },
    { "5000012010021", NULL, TSU_IDENT_ERROR_CHECK_DIGIT },
    { "8000012050002", NULL, TSU_IDENT_ERROR_CHECK_DIGIT },
    { "700001205000", NULL, TSU_IDENT_ERROR_FORMAT },
    { "70000120500021", NULL, TSU_IDENT_ERROR_FORMAT },
    { "700001205000a", NULL, TSU_IDENT_ERROR_FORMAT },
    { "", NULL, TSU_IDENT_ERROR_EMPTY },
    { NULL, NULL, TSU_IDENT_ERROR_EMPTY },
  };
  run (tsu_corporate_number_validate, cases, G_N_ELEMENTS (cases));

  /* Every check digit: exactly one of the ten first digits is valid. */
  for (int base = 0; base < 200; base++)
    {
      int valid = 0;

      for (int c = 0; c < 10; c++)
        {
          g_autofree char *s = g_strdup_printf ("%d%012d", c, base * 7919 + 13);

          valid += tsu_corporate_number_validate (s, NULL, NULL);
        }
      /* 9 − (x mod 9) is in 1..9: a first digit 0 is never valid. */
      g_assert_cmpint (valid, ==, 1);
    }
}

static void
test_postal (void)
{
  static const Case cases[] = {
    { "836-0000", "836-0000" },
    { "〒836-0000", "836-0000" },
    { "〒 836-0000", "836-0000" },
    { "8360000", "836-0000" },
    { "８３６－００００", "836-0000" },
    { "〒８３６ー００００", "836-0000" },
    { "836−0842", "836-0842" },
    { "83-60000", NULL, TSU_IDENT_ERROR_FORMAT },
    { "836-000", NULL, TSU_IDENT_ERROR_FORMAT },
    { "836-00000", NULL, TSU_IDENT_ERROR_FORMAT },
    { "abc-defg", NULL, TSU_IDENT_ERROR_FORMAT },
    { "〒", NULL, TSU_IDENT_ERROR_FORMAT },
    { " ", NULL, TSU_IDENT_ERROR_EMPTY },
  };
  run (tsu_postal_code_validate, cases, G_N_ELEMENTS (cases));
}

static void
test_phone (void)
{
  static const Case cases[] = {
    { "0944-12-3456", "0944-12-3456" },
    { "0944123456", "0944-12-3456" },
    { "０９４４－１２－３４５６", "0944-12-3456" },
    { "0944ー12ー3456", "0944-12-3456" },
    { "(0944) 12-3456", "0944-12-3456" },
    { "0944(12)3456", "0944-12-3456" },
    { "090-1234-5678", "090-1234-5678" },
    { "09012345678", "090-1234-5678" },
    { "080 1234 5678", "080-1234-5678" },
    { "+81 90-1234-5678", "090-1234-5678" },
    { "+81-944-12-3456", "0944-12-3456" },
    { "0120-123-456", "0120-123-456" },
    { "0120123456", "0120-123-456" },
    { "0800-123-4567", "0800-123-4567" },
    { "050-1234-5678", "050-1234-5678" },
    { "03-1234-5678", "03-1234-5678" },
    { "0312345678", "03-1234-5678" },
    { "0921234567", "092-123-4567" },
    { "092-123-4567", "092-123-4567" },
    { "0942-12-3456", "0942-12-3456" },
    { "0944-123-456", "0944-12-3456" }, /* odd grouping: regrouped */
    { "090-1234-567", NULL, TSU_IDENT_ERROR_FORMAT },
    { "944-12-3456", NULL, TSU_IDENT_ERROR_FORMAT },
    { "00-1234-5678", NULL, TSU_IDENT_ERROR_FORMAT },
    { "0944-12-3456 内線2", NULL, TSU_IDENT_ERROR_FORMAT },
    { "tel", NULL, TSU_IDENT_ERROR_FORMAT },
    { "", NULL, TSU_IDENT_ERROR_EMPTY },
  };
  run (tsu_phone_validate, cases, G_N_ELEMENTS (cases));
}

static void
test_email (void)
{
  static const Case cases[] = {
    { "info@example.jp", "info@example.jp" },
    { "Info.Desk+npo@Example.CO.JP", "Info.Desk+npo@example.co.jp" },
    { "ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ", "info@example.jp" },
    { " info@example.jp ", "info@example.jp" },
    { "a_b-c@sub-domain.example.org", "a_b-c@sub-domain.example.org" },
    { "info@example", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info.example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { ".info@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "in..fo@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@-example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@example..jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@example.j", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@example.123", NULL, TSU_IDENT_ERROR_FORMAT },
    { "情報@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "info@例え.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "a,b@example.jp", NULL, TSU_IDENT_ERROR_FORMAT },
    { "", NULL, TSU_IDENT_ERROR_EMPTY },
  };
  run (tsu_email_validate, cases, G_N_ELEMENTS (cases));
}

static void
test_local_gov (void)
{
  static const Case cases[] = {
    { "402028", "402028" }, /* 大牟田市 */
    { "４０２０２８", "402028" },
    { "131016", "131016" }, /* 千代田区 */
    { "011002", "011002" }, /* 札幌市 */
    { "401005", "401005" }, /* 北九州市 */
    { "402036", "402036" }, /* 久留米市 */
    { "402029", NULL, TSU_IDENT_ERROR_CHECK_DIGIT },
    { "402020", NULL, TSU_IDENT_ERROR_CHECK_DIGIT },
    { "40202", NULL, TSU_IDENT_ERROR_FORMAT },
    { "4020288", NULL, TSU_IDENT_ERROR_FORMAT },
    { "40202x", NULL, TSU_IDENT_ERROR_FORMAT },
    { "", NULL, TSU_IDENT_ERROR_EMPTY },
  };
  run (tsu_local_gov_code_validate, cases, G_N_ELEMENTS (cases));
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/jp/ident/corporate-number", test_corporate);
  g_test_add_func ("/jp/ident/postal-code", test_postal);
  g_test_add_func ("/jp/ident/phone", test_phone);
  g_test_add_func ("/jp/ident/email", test_email);
  g_test_add_func ("/jp/ident/local-gov-code", test_local_gov);
  return g_test_run ();
}
