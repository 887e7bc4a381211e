/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "tsu-ident.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-ident-error-quark, tsu_ident_error)
// clang-format on

static gboolean
is_dash (gunichar c)
{
  return c == '-' || c == 0x2010 || c == 0x2011 || c == 0x2012 || c == 0x2013 || c == 0x2014
         || c == 0x2015 || c == 0x2212 || c == 0x30FC || c == 0xFF70 || c == 0xFE63 || c == 0x2043;
}

/* NFKC (full-width digits and letters to ASCII), spaces dropped, every dash
 * variant written as '-'. NULL when @text is not valid UTF-8. */
static char *
simplify (const char *text)
{
  g_autofree char *nfkc = NULL;
  GString         *s;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  nfkc = g_utf8_normalize (text, -1, G_NORMALIZE_ALL_COMPOSE);
  s = g_string_new (NULL);
  for (const char *p = nfkc; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        continue;
      g_string_append_unichar (s, is_dash (c) ? '-' : c);
    }
  return g_string_free (s, FALSE);
}

static gboolean
empty_error (const char *s, GError **error)
{
  if (s != NULL && *s != '\0')
    return FALSE;
  g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_EMPTY, _ ("Nothing was entered."));
  return TRUE;
}

/* The digits of @s with hyphens removed, or NULL if anything else is in it. */
static char *
digits_only (const char *s)
{
  GString *d = g_string_new (NULL);

  for (const char *p = s; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (d, *p);
      else if (*p != '-')
        {
          g_string_free (d, TRUE);
          return NULL;
        }
    }
  return g_string_free (d, FALSE);
}

gboolean
tsu_corporate_number_validate (const char *text, char **normalized, GError **error)
{
  g_autofree char *s = simplify (text);
  g_autofree char *d = NULL;
  int              sum = 0, check;

  if (empty_error (s, error))
    return FALSE;
  d = digits_only (s);
  if (d == NULL || strlen (d) != 13)
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                           _ ("A corporate number (法人番号) has 13 digits."));
      return FALSE;
    }
  /* d[0] is the check digit; d[12] is P1, the lowest digit. */
  for (int n = 1; n <= 12; n++)
    sum += (d[13 - n] - '0') * (n % 2 == 1 ? 1 : 2);
  check = 9 - sum % 9;
  if (d[0] - '0' != check)
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_CHECK_DIGIT,
                           _ ("This corporate number (法人番号) is not valid: its check digit does "
                              "not match. Check it for a typing mistake."));
      return FALSE;
    }
  if (normalized != NULL)
    *normalized = g_steal_pointer (&d);
  return TRUE;
}

gboolean
tsu_postal_code_validate (const char *text, char **normalized, GError **error)
{
  g_autofree char *s = simplify (text);
  const char      *p;
  gsize            n;

  if (empty_error (s, error))
    return FALSE;
  p = s;
  if (g_str_has_prefix (p, "〒"))
    p += strlen ("〒");
  n = strlen (p);
  if (!((n == 7 && strspn (p, "0123456789") == 7)
        || (n == 8 && strspn (p, "0123456789") == 3 && p[3] == '-'
            && strspn (p + 4, "0123456789") == 4)))
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                           _ ("A postal code has seven digits, like 〒836-0000."));
      return FALSE;
    }
  if (normalized != NULL)
    *normalized = g_strdup_printf ("%.3s-%s", p, p + (n == 7 ? 3 : 4));
  return TRUE;
}

/* Area codes of three digits (0 included) used by whole regions; other
 * fixed-line numbers typed without separators are grouped 4-2-4. */
static const char *const area3[] = {
  "011", "015", "017", "018", "019", "022", "023", "024", "025", "026", "027", "028",
  "029", "042", "043", "044", "045", "046", "047", "048", "049", "052", "053", "054",
  "055", "058", "059", "072", "073", "075", "076", "077", "078", "079", "082", "083",
  "084", "086", "087", "088", "089", "092", "093", "095", "096", "097", "098", "099",
};

gboolean
tsu_phone_validate (const char *text, char **normalized, GError **error)
{
  g_autofree char *s = simplify (text);
  g_autoptr (GString) digits = g_string_new (NULL);
  g_autoptr (GArray) groups = g_array_new (FALSE, TRUE, sizeof (guint));
  const char *p;
  guint       run = 0;
  gsize       n;

  if (empty_error (s, error))
    return FALSE;

  p = s;
  if (g_str_has_prefix (p, "+81"))
    {
      /* +81 90-…, +81 (0)90-…: the country code stands for the leading 0. */
      p += 3;
      while (*p == '-' || *p == '(' || *p == ')')
        p++;
      if (g_str_has_prefix (p, "0)"))
        p += 2;
      g_string_append_c (digits, '0');
      run = 1;
    }

  for (; *p; p++)
    {
      if (g_ascii_isdigit (*p))
        {
          g_string_append_c (digits, *p);
          run++;
        }
      else if (*p == '-' || *p == '(' || *p == ')')
        {
          if (run > 0)
            g_array_append_val (groups, run);
          run = 0;
        }
      else
        {
          g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                               _ ("A phone number may contain only digits, hyphens and brackets."));
          return FALSE;
        }
    }
  if (run > 0)
    g_array_append_val (groups, run);

  n = digits->len;
  if (digits->str[0] != '0' || digits->str[1] == '0')
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                           _ ("A Japanese phone number starts with 0 and an area or service code, "
                              "like 0944-12-3456 or 090-1234-5678."));
      return FALSE;
    }

  {
    const char *d = digits->str;
    gboolean    eleven = g_str_has_prefix (d, "070") || g_str_has_prefix (d, "080")
                      || g_str_has_prefix (d, "090") || g_str_has_prefix (d, "050")
                      || g_str_has_prefix (d, "020") || g_str_has_prefix (d, "0800");
    int a = 0, b = 0; /* lengths of the first two groups */

    if (n != (eleven ? 11u : 10u))
      {
        if (eleven)
          g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                               _ ("This kind of phone number has 11 digits, like 090-1234-5678."));
        else
          g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                               _ ("A fixed-line phone number has 10 digits, like 0944-12-3456."));
        return FALSE;
      }

    if (g_str_has_prefix (d, "0800"))
      {
        a = 4;
        b = 3;
      }
    else if (eleven)
      {
        a = 3;
        b = 4;
      }
    else if (g_str_has_prefix (d, "0120") || g_str_has_prefix (d, "0570")
             || g_str_has_prefix (d, "0990"))
      {
        a = 4;
        b = 3;
      }
    else if (groups->len == 3 && g_array_index (groups, guint, 2) == 4
             && g_array_index (groups, guint, 0) >= 2 && g_array_index (groups, guint, 0) <= 5)
      {
        /* Typed with separators: the caller knows the area code. */
        a = g_array_index (groups, guint, 0);
        b = g_array_index (groups, guint, 1);
      }
    else if (g_str_has_prefix (d, "03") || g_str_has_prefix (d, "06"))
      {
        a = 2;
        b = 4;
      }
    else
      {
        a = 4;
        b = 2;
        for (guint i = 0; i < G_N_ELEMENTS (area3); i++)
          if (g_str_has_prefix (d, area3[i]))
            {
              a = 3;
              b = 3;
            }
      }

    if (normalized != NULL)
      *normalized = g_strdup_printf ("%.*s-%.*s-%s", a, d, b, d + a, d + a + b);
  }
  return TRUE;
}

static gboolean
valid_label (const char *l, gsize n)
{
  if (n == 0 || n > 63 || l[0] == '-' || l[n - 1] == '-')
    return FALSE;
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isalnum (l[i]) && l[i] != '-')
      return FALSE;
  return TRUE;
}

gboolean
tsu_email_validate (const char *text, char **normalized, GError **error)
{
  g_autofree char *s = simplify (text);
  g_autofree char *domain = NULL;
  const char      *at, *p, *dot;
  gsize            local_len;
  gboolean         ok = TRUE;

  if (empty_error (s, error))
    return FALSE;

  /* simplify() dropped spaces: stray ones come with pasted addresses. */
  at = strchr (s, '@');
  if (at == NULL || strchr (at + 1, '@') != NULL)
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                           _ ("An e-mail address has one @, like info@example.jp."));
      return FALSE;
    }

  local_len = at - s;
  if (local_len == 0 || local_len > 64 || s[0] == '.' || s[local_len - 1] == '.')
    ok = FALSE;
  for (p = s; ok && p < at; p++)
    if ((guchar)*p <= ' ' || (guchar)*p >= 0x7F || strchr ("()<>[]:;,\\\"", *p) != NULL
        || (*p == '.' && p[1] == '.'))
      ok = FALSE;

  domain = g_ascii_strdown (at + 1, -1);
  if (ok && (strchr (domain, '.') == NULL || strlen (domain) > 253))
    ok = FALSE;
  for (p = domain; ok && *p; p = dot + 1)
    {
      dot = strchr (p, '.');
      if (dot == NULL)
        {
          /* The top-level label: letters only, two or more. */
          gsize n = strlen (p);

          ok = valid_label (p, n) && n >= 2;
          for (gsize i = 0; ok && i < n; i++)
            ok = g_ascii_isalpha (p[i]);
          break;
        }
      ok = valid_label (p, dot - p);
    }

  if (!ok)
    {
      g_set_error_literal (error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
                           _ ("This is not an e-mail address. Check it for a typing mistake (it "
                              "looks like info@example.jp)."));
      return FALSE;
    }
  if (normalized != NULL)
    *normalized = g_strdup_printf ("%.*s@%s", (int)local_len, s, domain);
  return TRUE;
}

gboolean
tsu_local_gov_code_validate (const char *text, char **normalized, GError **error)
{
  g_autofree char *s = simplify (text);
  g_autofree char *d = NULL;
  static const int weights[5] = { 6, 5, 4, 3, 2 };
  int              sum = 0;

  if (empty_error (s, error))
    return FALSE;
  d = digits_only (s);
  if (d == NULL || strlen (d) != 6)
    {
      g_set_error_literal (
          error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_FORMAT,
          _ ("A local government code (全国地方公共団体コード) has 6 digits, like 402028."));
      return FALSE;
    }
  for (int i = 0; i < 5; i++)
    sum += (d[i] - '0') * weights[i];
  if (d[5] - '0' != (11 - sum % 11) % 10)
    {
      g_set_error_literal (
          error, TSU_IDENT_ERROR, TSU_IDENT_ERROR_CHECK_DIGIT,
          _ ("This local government code is not valid: its check digit does not match."));
      return FALSE;
    }
  if (normalized != NULL)
    *normalized = g_steal_pointer (&d);
  return TRUE;
}
