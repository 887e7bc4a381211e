/* SPDX-License-Identifier: GPL-3.0-or-later */
/* make-centre FILE: the demo centre (seed 1, through the write path) and
 * groups with hostile values, for the directory and report tests. */
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
  return 0;
}
