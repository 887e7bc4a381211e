/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make-centre FILE: the demo centre (seed 1, through the write path),
 * groups with hostile values, and people whose names, phones and notes must
 * never reach a report (volunteers, a request and its match, consultations,
 * event registrations), for the directory and report tests. */
#include "config.h"

#include "tsu-demo.h"
#include "tsu-group.h"

static const char *hostile[] = {
  /* Registered, published: markup, quotes and ampersands everywhere. */
  "{\"name\":\"<script>alert(\\\"x\\\")</script> & \\\"会\\\" 'q'\",\"name_kana\":\"アブナイカイ\","
  "\"fields\":[3],\"registered_on\":\"2025-05-01\",\"valid_fiscal_year\":2026,"
  "\"registration_number\":\"H-001\",\"purpose\":\"<img src=x onerror=alert(1)>&amp;\","
  "\"website\":\"example.jp/bare\",\"sns\":\"https://example.jp/x?a=1&b=2#c\","
  "\"phone\":\"0944-00-9991\",\"public_fields\":[\"phone\"],"
  "\"contact_email\":\"hostile-secret@example.jp\",\"contact_phone\":\"090-0000-9992\","
  "\"rep_family_name\":\"秘密\",\"rep_given_name\":\"代表者\","
  "\"notes\":\"<b>INTERNAL-NOTE-の値</b>\",\"members_in_city\":4321}",
  /* Published with a link that has a query string. */
  "{\"name\":\"リンクの会\",\"name_kana\":\"リンクノカイ\",\"fields\":[6],"
  "\"registered_on\":\"2025-05-01\",\"valid_fiscal_year\":2026,"
  "\"website\":\"https://example.jp/a?b=1&c=2\",\"public_fields\":[\"representative\"],"
  "\"rep_family_name\":\"公開\",\"rep_given_name\":\"代表\",\"rep_family_kana\":\"コウカイ\","
  "\"rep_given_kana\":\"ダイヒョウ\",\"address\":\"大牟田市非公開町1-2-3\"}",
  /* No reading: その他. */
  "{\"name\":\"ABC Club\",\"fields\":[11],\"registered_on\":\"2025-05-01\","
  "\"valid_fiscal_year\":2026}",
  /* Lapsed: nothing of it may appear. */
  "{\"name\":\"失効した団体ＸＹＺ\",\"name_kana\":\"シッコウシタダンタイ\",\"fields\":[1],"
  "\"registered_on\":\"2020-05-01\",\"valid_fiscal_year\":2022,\"purpose\":\"失効団体の目的文\"}",
  /* Applying: not yet published. */
  "{\"name\":\"申請中のひみつ会\",\"name_kana\":\"シンセイチュウノヒミツカイ\",\"fields\":[1],"
  "\"applied_on\":\"2026-11-01\"}",
  NULL,
};

/* Records of people in 令和8年度; @0 … are ids inserted before them. */
static const struct
{
  const char *collection;
  const char *json;
} people[] = {
  { "volunteers",
    "{\"family_name\":\"漏洩\",\"given_name\":\"太郎\",\"family_kana\":\"ロウエイ\","
    "\"given_kana\":\"タロウ\",\"phone\":\"090-1111-2222\",\"email\":"
    "\"volunteer-secret@example.jp\",\"address\":\"大牟田市秘密町9-9-9\","
    "\"registered_on\":\"2026-05-01\",\"birth_date\":\"1980-01-02\",\"school_district\":"
    "\"駛馬\",\"fields\":[1],\"emergency_contact\":\"緊急連絡先ひみつ\","
    "\"notes\":\"VOLUNTEER-NOTE-非公開\"}" },
  { "volunteers",
    "{\"family_name\":\"秘匿\",\"given_name\":\"花子\",\"registered_on\":\"2026-06-01\","
    "\"age_band\":\"60\",\"school_district\":\"三池\",\"fields\":[1,2],"
    "\"skills\":[\"手話通訳ひみつ\"]}" },
  { "volunteers",
    "{\"family_name\":\"内緒\",\"given_name\":\"次郎\",\"registered_on\":\"2025-05-01\","
    "\"birth_date\":\"2001-03-04\",\"fields\":[3]}" },
  { "requests", "{\"title\":\"秘密の依頼タイトル\",\"description\":\"依頼の詳細ひみつ\","
                "\"requester_name\":\"依頼者ひみつ\",\"requester_phone\":\"0944-99-8888\","
                "\"people_needed\":1,\"fields\":[1],\"status\":\"open\"}" },
  { "matches", "{\"request_id\":\"@3\",\"volunteer_id\":\"@0\",\"state\":\"confirmed\","
               "\"state_on\":\"2026-06-01\",\"note\":\"MATCH-NOTE-ひみつ\"}" },
  { "consultations", "{\"at\":\"2026-06-15T10:00\",\"channel\":\"visit\",\"topics\":[\"設立\"],"
                     "\"minutes\":30,\"asker_kind\":\"citizen\",\"asker_name\":\"相談者ひみつ\","
                     "\"question\":\"相談内容ひみつ\",\"answer\":\"回答ひみつ\"}" },
  { "consultations", "{\"at\":\"2026-07-01T14:00\",\"channel\":\"phone\",\"topics\":[\"助成金\"],"
                     "\"minutes\":15,\"asker_kind\":\"volunteer\",\"volunteer_id\":\"@1\"}" },
  { "events", "{\"title\":\"会計講座\",\"kind\":\"management\",\"capacity\":10,"
              "\"start_at\":\"2026-06-10T10:00\",\"end_at\":\"2026-06-10T12:00\"}" },
  { "registrations", "{\"event_id\":\"@7\",\"kind\":\"citizen\",\"name\":\"参加者ひみつ\","
                     "\"name_kana\":\"サンカシャヒミツ\",\"phone\":\"090-3333-4444\","
                     "\"state\":\"registered\",\"attendance\":\"present\"}" },
};

int
main (int argc, char *argv[])
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;

  if (argc != 2)
    {
      g_printerr ("usage: make-centre FILE\n");
      return 2;
    }
  store = tsu_store_open (argv[1], &error);
  if (store == NULL || !tsu_demo_populate (store, 1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; hostile[i]; i++)
    {
      g_autoptr (JsonNode) node = json_from_string (hostile[i], &error);
      g_autofree char *id = NULL;

      if (node == NULL
          || (id = tsu_store_insert (store, "groups", json_node_get_object (node), &error)) == NULL)
        {
          g_printerr ("%s: %s\n", hostile[i], error->message);
          return 1;
        }
    }
  {
    char *ids[G_N_ELEMENTS (people)] = { NULL };

    for (guint i = 0; i < G_N_ELEMENTS (people); i++)
      {
        g_autoptr (GString) text = g_string_new (people[i].json);
        const char *json;

        for (guint j = 0; j < i; j++)
          {
            g_autofree char *mark = g_strdup_printf ("@%u", j);
            g_string_replace (text, mark, ids[j], 0);
          }
        json = text->str;
        g_autoptr (JsonNode) node = json_from_string (json, &error);

        if (node == NULL
            || (ids[i] = tsu_store_insert (store, people[i].collection, json_node_get_object (node),
                                           &error))
                   == NULL)
          {
            g_printerr ("%s: %s\n", json, error->message);
            return 1;
          }
      }
    for (guint i = 0; i < G_N_ELEMENTS (people); i++)
      g_free (ids[i]);
  }
  return 0;
}
