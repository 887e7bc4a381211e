/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-referral.h"
#include "tsu-matching-collections.h"
#include "tsu-matching.h"
#include "tsu-record.h"
#include "tsu-slots.h"

void
tsu_referral_free (TsuReferral *r)
{
  if (r == NULL)
    return;
  g_free (r->request_number);
  g_free (r->request_title);
  g_free (r->when);
  g_free (r->where);
  g_free (r->group_name);
  g_free (r->volunteer_number);
  g_free (r->volunteer_name);
  g_free (r->volunteer_kana);
  g_free (r->skills);
  g_free (r->state);
  g_free (r->consent_on);
  g_free (r->consent_purpose);
  g_free (r->phone);
  g_free (r->email);
  g_free (r->postal_code);
  g_free (r->address);
  g_free (r);
}

static char *
dup_or_null (JsonObject *o, const char *name)
{
  return g_strdup (tsu_record_get_string (o, name));
}

static char *
joined (JsonObject *o, const char *a, const char *b)
{
  const char *x = tsu_record_get_string (o, a), *y = tsu_record_get_string (o, b);

  return g_strdup_printf ("%s%s%s", x ? x : "", x && y ? " " : "", y ? y : "");
}

static char *
format_field (const char *collection, JsonObject *o, const char *name, TsuDateStyle style)
{
  const TsuFieldDef *def = tsu_collection_lookup_field (tsu_collection_lookup (collection), name);
  JsonNode          *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return NULL;
  return tsu_record_value_format (def, n, TSU_VALUE_DISPLAY, style, NULL);
}

/* The group's name, or the person asking (reached through a coordinator). */
static char *
requester_name (TsuStore *store, JsonObject *request)
{
  const char *gid = tsu_record_get_string (request, "group_id");

  if (gid != NULL)
    {
      g_autoptr (JsonObject) g = tsu_store_get (store, "groups", gid, NULL);

      if (g && tsu_record_get_string (g, "name"))
        return g_strdup (tsu_record_get_string (g, "name"));
    }
  return dup_or_null (request, "requester_name");
}

/**
 * tsu_referral_new:
 *
 * Returns: (transfer full): the slip's contents, contact details only with
 *   the person's consent
 */
TsuReferral *
tsu_referral_new (TsuStore *store, const char *match_id, TsuDateStyle style, GError **error)
{
  g_autoptr (JsonObject) m = NULL;
  g_autoptr (JsonObject) r = NULL;
  g_autoptr (JsonObject) v = NULL;
  TsuReferral *out;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  if ((m = tsu_store_get (store, "matches", match_id, error)) == NULL
      || (r = tsu_store_get (store, "requests", tsu_record_get_string (m, "request_id"), error))
             == NULL
      || (v = tsu_store_get (store, "volunteers", tsu_record_get_string (m, "volunteer_id"), error))
             == NULL)
    return NULL;

  out = g_new0 (TsuReferral, 1);
  out->request_number = dup_or_null (r, "number");
  out->request_title = dup_or_null (r, "title");
  out->when = tsu_schedule_describe (r, style);
  {
    const char *d = tsu_record_get_string (r, "school_district");
    const char *p = tsu_record_get_string (r, "place");

    /* TRANSLATORS: the 校区 and the place: 天領校区 ・ 天領地区公民館 */
    out->where = d && p ? g_strdup_printf (_ ("%s school district ・ %s"), d, p)
                 : d    ? g_strdup_printf (_ ("%s school district"), d)
                        : g_strdup (p ? p : "");
  }
  out->group_name = requester_name (store, r);
  out->volunteer_number = dup_or_null (v, "registration_number");
  out->volunteer_name = joined (v, "family_name", "given_name");
  out->volunteer_kana = joined (v, "family_kana", "given_kana");
  out->skills = format_field ("volunteers", v, "skills", style);
  out->state = format_field ("matches", m, "state", style);
  out->consent = tsu_volunteer_has_consent (v);
  if (out->consent)
    {
      out->consent_on = format_field ("volunteers", v, "contact_consent_on", style);
      out->consent_purpose = dup_or_null (v, "contact_consent_purpose");
      out->phone = dup_or_null (v, "phone");
      out->email = dup_or_null (v, "email");
      out->postal_code = dup_or_null (v, "postal_code");
      out->address = dup_or_null (v, "address");
    }
  return out;
}

static const char *const group_states[] = { "consented", "confirmed", "completed", NULL };

/**
 * tsu_referral_group_csv:
 *
 * Returns: (transfer full): the CSV bytes, or NULL with @error
 */
GBytes *
tsu_referral_group_csv (TsuStore      *store,
                        const char    *request_id,
                        TsuCsvEncoding encoding,
                        GPtrArray     *unencodable,
                        GError       **error)
{
  static const char *header[] = { "依頼番号", "内容",           "氏名",       "フリガナ", "状態",
                                  "電話番号", "メールアドレス", "紹介同意日", NULL };
  g_autoptr (JsonObject) request = NULL;
  g_autoptr (GPtrArray) matches = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  const char *params[] = { request_id, NULL };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  if ((request = tsu_store_get (store, "requests", request_id, error)) == NULL)
    return NULL;
  matches = tsu_store_find (store, "matches",
                            "request_id = ? AND state IN ('consented', 'confirmed', 'completed')",
                            params, "rowid", 0, error);
  if (matches == NULL)
    return NULL;
  g_ptr_array_add (rows, g_strdupv ((char **)header));
  for (guint i = 0; i < matches->len; i++)
    {
      JsonObject *m = g_ptr_array_index (matches, i);
      g_autoptr (JsonObject) v
          = tsu_store_get (store, "volunteers", tsu_record_get_string (m, "volunteer_id"), NULL);
      g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
      g_autofree char *name = NULL, *kana = NULL, *state = NULL;

      if (v == NULL || tsu_record_get_bool (v, "deleted")
          || !g_strv_contains (group_states, tsu_record_get_string (m, "state")))
        continue;
      name = joined (v, "family_name", "given_name");
      kana = joined (v, "family_kana", "given_kana");
      state
          = tsu_record_value_format (tsu_collection_lookup_field (&tsu_match_collection, "state"),
                                     json_object_get_member (m, "state"),
                                     TSU_VALUE_CSV | TSU_VALUE_NAMES, TSU_DATE_STYLE_SEIREKI, NULL);
      g_strv_builder_add_many (
          b,
          tsu_record_get_string (request, "number") ? tsu_record_get_string (request, "number")
                                                    : "",
          tsu_record_get_string (request, "title") ? tsu_record_get_string (request, "title") : "",
          name, kana, state, NULL);
      if (tsu_volunteer_has_consent (v))
        {
          const char *phone = tsu_record_get_string (v, "phone");
          const char *email = tsu_record_get_string (v, "email");

          g_strv_builder_add_many (b, phone ? phone : "", email ? email : "",
                                   tsu_record_get_string (v, "contact_consent_on"), NULL);
        }
      else
        /* Said in the file itself, so no one takes an empty cell for
         * "no phone". */
        g_strv_builder_add_many (b, _ ("Not given: no consent (contact through the centre)"), "",
                                 "", NULL);
      g_ptr_array_add (rows, g_strv_builder_end (b));
    }
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}
