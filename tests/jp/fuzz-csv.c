/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer harness: the CSV reader must never crash, and what it reads
 * must survive a write and a second read unchanged. */
#include "config.h"

#include <string.h>

#include "tsu-csv.h"

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (GPtrArray) rows = NULL;
  g_autoptr (GPtrArray) again = NULL;
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GError) error = NULL;
  const char *p;
  gsize       len;

  rows = tsu_csv_parse ((const char *)data, size, NULL, &error);
  if (rows == NULL)
    {
      g_assert_nonnull (error);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }
  g_assert_no_error (error);
  tsu_csv_check_width (rows, NULL);

  out = tsu_csv_write (rows, TSU_CSV_ENCODING_UTF8_BOM, FALSE, NULL, &error);
  g_assert_no_error (error);
  p = g_bytes_get_data (out, &len);
  again = tsu_csv_parse (p, len, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, rows->len);
  for (guint r = 0; r < rows->len; r++)
    g_assert_true (g_strv_equal (g_ptr_array_index (rows, r), g_ptr_array_index (again, r)));

  /* CP932 with replacement never fails on valid text. */
  g_clear_pointer (&out, g_bytes_unref);
  out = tsu_csv_write (rows, TSU_CSV_ENCODING_CP932, TRUE, NULL, &error);
  g_assert_no_error (error);
  return 0;
}
