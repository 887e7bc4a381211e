/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the date parser must never crash; a date it accepts
 * must format and parse back to itself in every style. */
#include "config.h"

#include <string.h>

#include "tsu-date.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_autoptr (GError) error = NULL;
  GDate d;

  if (!tsu_date_parse (text, &d, &error))
    {
      g_assert_nonnull (error);
      return 0;
    }
  g_assert_true (g_date_valid (&d));
  for (int style = TSU_DATE_STYLE_SEIREKI; style <= TSU_DATE_STYLE_BOTH; style++)
    {
      g_autofree char *s = tsu_date_format (&d, style);
      g_autofree char *iso = tsu_date_to_iso (&d);
      GDate            back;

      g_assert_true (tsu_date_parse (s, &back, NULL));
      g_assert_cmpint (g_date_compare (&d, &back), ==, 0);
      g_assert_true (tsu_date_from_iso (iso, &back));
      g_assert_cmpint (g_date_compare (&d, &back), ==, 0);
    }
  return 0;
}
