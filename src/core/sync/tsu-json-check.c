/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "tsu-json-check.h"

/* A strict RFC 8259 scanner over the raw bytes. Anything it accepts is
 * plain JSON within the limits, so json-glib then parses a bounded document.
 * It never allocates more than the keys of one object at a time. */

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-json-check-error-quark, tsu_json_check_error)
// clang-format on

typedef struct
{
  const guchar        *p;
  const guchar        *end;
  const TsuJsonLimits *limits;
  guint                values;
  GString             *buf;
  GError             **error;
} Scanner;

/**
 * tsu_json_check_error_code:
 *
 * Returns: the protocol's error code for a check failure ("too_large",
 *   "too_deep", "bad_json", ...), as sent in 4xx bodies.
 */
const char *
tsu_json_check_error_code (const GError *error)
{
  static const char *codes[] = {
    "too_large",     "too_deep",   "bad_json",        "bad_encoding",
    "duplicate_key", "bad_number", "string_too_long", "too_many_values",
  };

  if (error == NULL || error->domain != TSU_JSON_CHECK_ERROR || error->code < 0
      || (guint)error->code >= G_N_ELEMENTS (codes))
    return "bad_json";
  return codes[error->code];
}

static gboolean
fail (Scanner *s, int code, const char *what)
{
  /* The offset helps a client developer; no content is echoed back. */
  if (s->error != NULL && *s->error == NULL)
    g_set_error (s->error, TSU_JSON_CHECK_ERROR, code, "%s at byte %" G_GSIZE_FORMAT, what,
                 (gsize)(s->end - s->p));
  return FALSE;
}

static void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static int
hex4 (const guchar *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int c = p[i], d;

      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Scans a string; when @out is non-NULL the decoded text is left there. */
static gboolean
scan_string (Scanner *s, GString *out)
{
  gsize decoded = 0;

  s->p++; /* the opening quote */
  while (s->p < s->end)
    {
      guchar c = *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "control character in a string");
      if (c == '\\')
        {
          gunichar u;

          if (s->end - s->p < 2)
            return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unfinished escape");
          switch (s->p[1])
            {
            case '"':
              u = '"';
              s->p += 2;
              break;
            case '\\':
              u = '\\';
              s->p += 2;
              break;
            case '/':
              u = '/';
              s->p += 2;
              break;
            case 'b':
              u = '\b';
              s->p += 2;
              break;
            case 'f':
              u = '\f';
              s->p += 2;
              break;
            case 'n':
              u = '\n';
              s->p += 2;
              break;
            case 'r':
              u = '\r';
              s->p += 2;
              break;
            case 't':
              u = '\t';
              s->p += 2;
              break;
            case 'u':
              {
                int hi, lo;

                if (s->end - s->p < 6 || (hi = hex4 (s->p + 2)) < 0)
                  return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "bad \\u escape");
                s->p += 6;
                if (hi >= 0xDC00 && hi <= 0xDFFF)
                  return fail (s, TSU_JSON_CHECK_ERROR_ENCODING, "lone low surrogate");
                if (hi >= 0xD800 && hi <= 0xDBFF)
                  {
                    if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u'
                        || (lo = hex4 (s->p + 2)) < 0 || lo < 0xDC00 || lo > 0xDFFF)
                      return fail (s, TSU_JSON_CHECK_ERROR_ENCODING, "lone high surrogate");
                    s->p += 6;
                    u = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                  }
                else
                  u = hi;
                if (u == 0)
                  return fail (s, TSU_JSON_CHECK_ERROR_ENCODING, "NUL in a string");
              }
              break;
            default:
              return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "bad escape");
            }
          decoded += g_unichar_to_utf8 (u, NULL);
          if (out != NULL)
            g_string_append_unichar (out, u);
        }
      else
        {
          /* The whole input was UTF-8-validated before: copy the bytes of
           * a run without quotes, escapes or controls at once. */
          const guchar *run = s->p;

          while (s->p < s->end && *s->p != '"' && *s->p != '\\' && *s->p >= 0x20)
            s->p++;
          decoded += s->p - run;
          if (out != NULL)
            g_string_append_len (out, (const char *)run, s->p - run);
        }
      if (decoded > s->limits->max_string)
        return fail (s, TSU_JSON_CHECK_ERROR_STRING, "string too long");
    }
  return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unterminated string");
}

static gboolean
scan_number (Scanner *s, JsonNode **out)
{
  const guchar *start = s->p;
  gboolean      is_int = TRUE;
  char          buf[64];
  gsize         len;

  if (*s->p == '-')
    s->p++;
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "bad number");
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  if (s->p < s->end && *s->p == '.')
    {
      is_int = FALSE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "bad fraction");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_int = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "bad exponent");
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  len = s->p - start;
  if (len >= sizeof buf)
    return fail (s, TSU_JSON_CHECK_ERROR_NUMBER, "number too long");
  memcpy (buf, start, len);
  buf[len] = '\0';

  errno = 0;
  if (is_int)
    {
      /* json-glib keeps integers as gint64: 2^63 and beyond are refused
       * rather than silently wrapped or rounded. */
      gint64 v = g_ascii_strtoll (buf, NULL, 10);

      if (errno == ERANGE)
        return fail (s, TSU_JSON_CHECK_ERROR_NUMBER, "integer out of range");
      if (out != NULL)
        *out = json_node_init_int (json_node_alloc (), v);
    }
  else
    {
      double d = g_ascii_strtod (buf, NULL);

      if (!isfinite (d))
        return fail (s, TSU_JSON_CHECK_ERROR_NUMBER, "number out of range");
      if (out != NULL)
        *out = json_node_init_double (json_node_alloc (), d);
    }
  return TRUE;
}

static gboolean
scan_literal (Scanner *s, const char *word)
{
  gsize n = strlen (word);

  if ((gsize)(s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unexpected character");
  s->p += n;
  return TRUE;
}

static gboolean scan_value (Scanner *s, guint depth, JsonNode **out);

/* With @out, builds the object as it goes (one pass, no second parser). */
static gboolean
scan_object (Scanner *s, guint depth, JsonNode **out)
{
  g_autoptr (GHashTable) keys = NULL;
  g_autoptr (JsonObject) object = out ? json_object_new () : NULL;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      goto done;
    }
  for (;;)
    {
      JsonNode *value = NULL;

      skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "expected a member name");
      g_string_truncate (s->buf, 0);
      if (!scan_string (s, s->buf))
        return FALSE;
      if (object != NULL)
        {
          if (json_object_has_member (object, s->buf->str))
            return fail (s, TSU_JSON_CHECK_ERROR_DUPLICATE_KEY, "duplicate member name");
        }
      else
        {
          if (keys == NULL)
            keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          if (g_hash_table_contains (keys, s->buf->str))
            return fail (s, TSU_JSON_CHECK_ERROR_DUPLICATE_KEY, "duplicate member name");
          g_hash_table_add (keys, g_strndup (s->buf->str, s->buf->len));
        }
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "expected ':'");
      s->p++;
      if (object != NULL)
        {
          /* The name is kept before the value reuses the buffer (on the
           * stack when short, as member names are). */
          char             small[64];
          g_autofree char *big = NULL;
          char            *name = small;

          if (s->buf->len < sizeof small)
            memcpy (small, s->buf->str, s->buf->len + 1);
          else
            name = big = g_strndup (s->buf->str, s->buf->len);
          if (!scan_value (s, depth, &value))
            return FALSE;
          json_object_set_member (object, name, value);
        }
      else if (!scan_value (s, depth, NULL))
        return FALSE;
      skip_ws (s);
      if (s->p >= s->end)
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unterminated object");
      if (*s->p == '}')
        {
          s->p++;
          goto done;
        }
      if (*s->p != ',')
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "expected ',' or '}'");
      s->p++;
    }
done:
  if (out != NULL)
    *out = json_node_init_object (json_node_alloc (), object);
  return TRUE;
}

static gboolean
scan_array (Scanner *s, guint depth, JsonNode **out)
{
  g_autoptr (JsonArray) array = out ? json_array_new () : NULL;

  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      goto done;
    }
  for (;;)
    {
      JsonNode *value = NULL;

      if (!scan_value (s, depth, array ? &value : NULL))
        return FALSE;
      if (array != NULL)
        json_array_add_element (array, value);
      skip_ws (s);
      if (s->p >= s->end)
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unterminated array");
      if (*s->p == ']')
        {
          s->p++;
          goto done;
        }
      if (*s->p != ',')
        return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "expected ',' or ']'");
      s->p++;
    }
done:
  if (out != NULL)
    *out = json_node_init_array (json_node_alloc (), array);
  return TRUE;
}

static gboolean
scan_value (Scanner *s, guint depth, JsonNode **out)
{
  skip_ws (s);
  if (s->p >= s->end)
    return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "expected a value");
  if (++s->values > s->limits->max_values)
    return fail (s, TSU_JSON_CHECK_ERROR_TOO_MANY, "too many values");

  switch (*s->p)
    {
    case '{':
    case '[':
      /* Checked before descending: the recursion is bounded by max_depth. */
      if (depth + 1 > s->limits->max_depth)
        return fail (s, TSU_JSON_CHECK_ERROR_TOO_DEEP, "nested too deeply");
      return *s->p == '{' ? scan_object (s, depth + 1, out) : scan_array (s, depth + 1, out);
    case '"':
      if (out == NULL)
        return scan_string (s, NULL);
      g_string_truncate (s->buf, 0);
      if (!scan_string (s, s->buf))
        return FALSE;
      *out = json_node_init_string (json_node_alloc (), s->buf->str);
      return TRUE;
    case 't':
      if (!scan_literal (s, "true"))
        return FALSE;
      if (out != NULL)
        *out = json_node_init_boolean (json_node_alloc (), TRUE);
      return TRUE;
    case 'f':
      if (!scan_literal (s, "false"))
        return FALSE;
      if (out != NULL)
        *out = json_node_init_boolean (json_node_alloc (), FALSE);
      return TRUE;
    case 'n':
      if (!scan_literal (s, "null"))
        return FALSE;
      if (out != NULL)
        *out = json_node_init_null (json_node_alloc ());
      return TRUE;
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return scan_number (s, out);
      return fail (s, TSU_JSON_CHECK_ERROR_SYNTAX, "unexpected character");
    }
}

static gboolean
scan_document (
    const char *data, gsize length, const TsuJsonLimits *limits, JsonNode **out, GError **error)
{
  g_autoptr (GString) buf = NULL;
  g_autoptr (JsonNode) root = NULL;
  Scanner s;

  if (length > limits->max_bytes)
    {
      g_set_error (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_TOO_LARGE,
                   "body longer than %" G_GSIZE_FORMAT " bytes", limits->max_bytes);
      return FALSE;
    }
  if (data == NULL || length == 0)
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX, "empty body");
      return FALSE;
    }
  if (!g_utf8_validate_len (data, length, NULL))
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_ENCODING,
                           "body is not UTF-8");
      return FALSE;
    }

  buf = g_string_new (NULL);
  s.p = (const guchar *)data;
  s.end = s.p + length;
  s.limits = limits;
  s.values = 0;
  s.buf = buf;
  s.error = error;

  if (!scan_value (&s, 0, out ? &root : NULL))
    return FALSE;
  skip_ws (&s);
  if (s.p != s.end)
    return fail (&s, TSU_JSON_CHECK_ERROR_SYNTAX, "data after the value");
  if (out != NULL)
    *out = g_steal_pointer (&root);
  return TRUE;
}

/**
 * tsu_json_check:
 * @data: the raw bytes (not necessarily NUL-terminated)
 * @limits: the bounds to enforce
 *
 * Checks that @data is one strict JSON value within @limits, without
 * building it. Refuses invalid UTF-8, lone surrogates, "\u0000", numbers
 * outside int64/double, duplicate member names and a byte order mark.
 *
 * Returns: %TRUE when json-glib may parse @data
 */
gboolean
tsu_json_check (const char *data, gsize length, const TsuJsonLimits *limits, GError **error)
{
  g_return_val_if_fail (limits != NULL, FALSE);

  return scan_document (data, length, limits, NULL, error);
}

/**
 * tsu_json_parse_checked:
 *
 * The checks of tsu_json_check(), building the tree in the same pass (a
 * pulled page of 4 MiB parses many times faster than with json-glib's own
 * parser, which also had to run after the check).
 *
 * Returns: (transfer full): the root node, or %NULL with @error set
 */
JsonNode *
tsu_json_parse_checked (const char *data, gsize length, const TsuJsonLimits *limits, GError **error)
{
  JsonNode *root = NULL;

  g_return_val_if_fail (limits != NULL, NULL);

  if (!scan_document (data, length, limits, &root, error))
    return NULL;
  return root;
}
