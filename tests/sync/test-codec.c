/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-sync-codec.h"

/* The shared wire code on its own: the raw JSON checker, cursors, the
 * mutation shape and the field-level merge. */

static void
expect (const char *json, int code)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = tsu_json_check (json, strlen (json), tsu_sync_request_limits (), &error);

  if (code < 0)
    {
      if (!ok)
        g_error ("refused %s: %s", json, error->message);
    }
  else
    {
      if (ok)
        g_error ("accepted %s", json);
      g_assert_error (error, TSU_JSON_CHECK_ERROR, code);
    }
}

static void
test_check (void)
{
  g_autoptr (GString) deep = g_string_new (NULL);

  expect ("{}", -1);
  expect (" [1, -0, 0.5e-3, true, false, null, \"\\u00e9\\ud83d\\ude00\\n\"] ", -1);
  expect ("9223372036854775807", -1);
  expect ("-9223372036854775808", -1);
  expect ("1e-400", -1);            /* underflow to 0 is harmless */
  expect ("{\"a\":{\"a\":1}}", -1); /* same name, other object */
  expect ("9223372036854775808", TSU_JSON_CHECK_ERROR_NUMBER);
  expect ("-9223372036854775809", TSU_JSON_CHECK_ERROR_NUMBER);
  expect ("1e400", TSU_JSON_CHECK_ERROR_NUMBER);
  expect ("-1E+400", TSU_JSON_CHECK_ERROR_NUMBER);
  expect ("01", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("1.", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect (".5", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("+1", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("NaN", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("[1,]", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("{\"a\" 1}", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("{'a':1}", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("[1] [2]", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("\"a\tb\"", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("\"\\x41\"", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("\"abc", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("\xef\xbb\xbf{}", TSU_JSON_CHECK_ERROR_SYNTAX);
  expect ("\"\xff\"", TSU_JSON_CHECK_ERROR_ENCODING);
  expect ("\"\xc0\xaf\"", TSU_JSON_CHECK_ERROR_ENCODING);     /* overlong */
  expect ("\"\xed\xa0\x80\"", TSU_JSON_CHECK_ERROR_ENCODING); /* a surrogate in UTF-8 */
  expect ("\"\\ud800\"", TSU_JSON_CHECK_ERROR_ENCODING);
  expect ("\"\\ud800\\u0041\"", TSU_JSON_CHECK_ERROR_ENCODING);
  expect ("\"\\udc00\"", TSU_JSON_CHECK_ERROR_ENCODING);
  expect ("\"\\u0000\"", TSU_JSON_CHECK_ERROR_ENCODING);
  expect ("{\"a\":1,\"a\":2}", TSU_JSON_CHECK_ERROR_DUPLICATE_KEY);
  expect ("{\"a\":1,\"\\u0061\":2}", TSU_JSON_CHECK_ERROR_DUPLICATE_KEY);

  /* Depth: 16 levels pass, 17 do not; 100,000 stop at once. */
  for (int i = 0; i < TSU_SYNC_MAX_DEPTH; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < TSU_SYNC_MAX_DEPTH; i++)
    g_string_append_c (deep, ']');
  expect (deep->str, -1);
  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  expect (deep->str, TSU_JSON_CHECK_ERROR_TOO_DEEP);
  g_string_truncate (deep, 0);
  for (int i = 0; i < 100000; i++)
    g_string_append_c (deep, '[');
  expect (deep->str, TSU_JSON_CHECK_ERROR_TOO_DEEP);

  /* Size and string length. */
  {
    g_autofree char *big = g_malloc (TSU_SYNC_MAX_REQUEST_BYTES + 2);
    g_autofree char *s = NULL;
    g_autoptr (GError) error = NULL;

    memset (big, ' ', TSU_SYNC_MAX_REQUEST_BYTES + 1);
    big[TSU_SYNC_MAX_REQUEST_BYTES + 1] = '\0';
    g_assert_false (
        tsu_json_check (big, TSU_SYNC_MAX_REQUEST_BYTES + 1, tsu_sync_request_limits (), &error));
    g_assert_error (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_TOO_LARGE);
    g_assert_cmpstr (tsu_json_check_error_code (error), ==, "too_large");
    s = g_strdup_printf ("\"%0*d\"", TSU_SYNC_MAX_STRING + 1, 0);
    expect (s, TSU_JSON_CHECK_ERROR_STRING);
  }

  /* Not NUL-terminated: only the given length is read. */
  {
    const char text[] = "{}garbage";
    g_assert_true (tsu_json_check (text, 2, tsu_sync_request_limits (), NULL));
  }
}

static void
test_cursor (void)
{
  g_autofree char *c = tsu_sync_cursor_encode ("01a21798-7294-72a0-832a-9ba8f89e06cc", 12345, -1);
  g_autofree char *c2 = tsu_sync_cursor_encode ("e", 7, 3);
  g_autofree char *epoch = NULL;
  gint64           seq = 0, full = 0;
  const char      *bad[] = { "", "!!", "MTo", "bm9wZQ", "a b", "MTplOjE6Mjox", NULL };

  for (const char *p = c; *p; p++)
    g_assert_true (g_ascii_isalnum (*p) || *p == '-' || *p == '_');
  g_assert_true (tsu_sync_cursor_decode (c, &epoch, &seq, &full));
  g_assert_cmpstr (epoch, ==, "01a21798-7294-72a0-832a-9ba8f89e06cc");
  g_assert_cmpint (seq, ==, 12345);
  g_assert_cmpint (full, ==, -1);
  g_clear_pointer (&epoch, g_free);
  g_assert_true (tsu_sync_cursor_decode (c2, &epoch, &seq, &full));
  g_assert_cmpint (seq, ==, 7);
  g_assert_cmpint (full, ==, 3);
  g_clear_pointer (&epoch, g_free);
  for (int i = 0; bad[i]; i++)
    g_assert_false (tsu_sync_cursor_decode (bad[i], &epoch, &seq, &full));
}

static JsonObject *
obj (const char *json)
{
  g_autoptr (JsonNode) n = json_from_string (json, NULL);

  return json_object_ref (json_node_get_object (n));
}

static void
test_merge (void)
{
  g_autoptr (JsonObject) current = obj ("{\"name\":\"A\",\"phone\":\"1\",\"notes\":\"x\"}");
  g_autoptr (JsonObject) base = obj ("{\"name\":\"O\",\"phone\":\"1\",\"notes\":\"x\"}");
  g_autoptr (JsonObject) fields = obj ("{\"name\":\"B\",\"phone\":\"2\",\"notes\":\"x\"}");
  g_autoptr (JsonObject) apply = json_object_new ();
  g_autoptr (JsonObject) conflicts = json_object_new ();
  g_autoptr (JsonObject) apply2 = json_object_new ();
  g_autoptr (JsonObject) conflicts2 = json_object_new ();
  JsonObject *c;

  /* name: both changed → conflict, server value kept; phone: only the
   * desk changed → taken; notes: unchanged → nothing. */
  g_assert_cmpuint (tsu_sync_merge_fields (current, base, fields, FALSE, apply, conflicts), ==, 1);
  g_assert_cmpuint (json_object_get_size (apply), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (apply, "phone"), ==, "2");
  c = json_object_get_object_member (conflicts, "name");
  g_assert_cmpstr (json_object_get_string_member (c, "server"), ==, "A");
  g_assert_cmpstr (json_object_get_string_member (c, "other"), ==, "B");
  g_assert_cmpstr (json_object_get_string_member (c, "base"), ==, "O");

  /* At the head everything is taken. */
  g_assert_cmpuint (tsu_sync_merge_fields (current, base, fields, TRUE, apply2, conflicts2), ==, 0);
  g_assert_cmpuint (json_object_get_size (apply2), ==, 3);

  /* Absent and null are the same value. */
  {
    g_autoptr (JsonObject) cur = obj ("{\"name\":null}");
    g_autoptr (JsonObject) b = obj ("{}");
    g_autoptr (JsonObject) f = obj ("{\"name\":\"N\",\"phone\":null}");
    g_autoptr (JsonObject) a = json_object_new ();
    g_autoptr (JsonObject) k = json_object_new ();

    g_assert_cmpuint (tsu_sync_merge_fields (cur, b, f, FALSE, a, k), ==, 0);
    g_assert_cmpuint (json_object_get_size (a), ==, 1);
    g_assert_true (json_object_has_member (a, "name"));
  }
}

static void
test_mutation (void)
{
  g_autoptr (JsonNode) ok
      = json_from_string ("{\"mutations\":[{\"seq\":1,\"collection\":\"groups\",\"id\":\"01900000-"
                          "0000-7000-8000-000000000001\","
                          "\"op\":\"update\",\"base_rev\":3,\"fields\":{\"name\":\"x\"},\"old\":{"
                          "\"name\":\"y\"},\"future\":1}]}",
                          NULL);
  g_autoptr (JsonArray) a = tsu_sync_push_parse (ok, NULL);
  TsuSyncMutation m;
  const char     *shapes[] = {
        "[]",
        "{\"mutations\":[]}",
        "{\"mutations\":{}}",
        "{\"mutations\":[{\"seq\":0,\"collection\":\"g\",\"id\":\"i\",\"op\":\"insert\",\"base_rev\":0}"
            "]}",
        "{\"mutations\":[{\"seq\":1,\"collection\":\"g\",\"id\":\"i\",\"op\":\"insert\",\"base_rev\":-"
            "1}]}",
        "{\"mutations\":[{\"seq\":1,\"collection\":1,\"id\":\"i\",\"op\":\"insert\",\"base_rev\":0}]}",
        "{\"mutations\":[{\"seq\":1,\"collection\":\"g\",\"id\":\"i\",\"op\":\"insert\",\"base_rev\":0,"
            "\"fields\":[]}]}",
        "{\"mutations\":[{\"seq\":2,\"collection\":\"g\",\"id\":\"i\",\"op\":\"insert\",\"base_rev\":0}"
            ","
            "{\"seq\":2,\"collection\":\"g\",\"id\":\"i\",\"op\":\"insert\",\"base_rev\":0}]}",
        NULL,
  };
  char *detail = NULL;

  g_assert_nonnull (a);
  g_assert_true (tsu_sync_mutation_parse (json_array_get_element (a, 0), &m, NULL));
  g_assert_cmpint (m.op, ==, TSU_SYNC_OP_UPDATE);
  g_assert_null (tsu_sync_mutation_check (&m, &detail));
  json_object_set_int_member (m.fields, "rev", 9);
  g_assert_cmpstr (tsu_sync_mutation_check (&m, &detail), ==, "server_managed_field");
  g_assert_cmpstr (detail, ==, "rev");
  g_free (detail);
  for (int i = 0; shapes[i]; i++)
    {
      g_autoptr (JsonNode) n = json_from_string (shapes[i], NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonArray) r = tsu_sync_push_parse (n, &error);

      g_assert_null (r);
      g_assert_nonnull (error);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sync/codec/check", test_check);
  g_test_add_func ("/sync/codec/cursor", test_cursor);
  g_test_add_func ("/sync/codec/merge", test_merge);
  g_test_add_func ("/sync/codec/mutation", test_mutation);
  return g_test_run ();
}
