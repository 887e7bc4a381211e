/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's grants: about 80 programmes of the kinds a centre passes on
 * (the city's subsidies and calls, the prefecture's, foundations',
 * companies', the community chest's), deadlines spread over the year, and
 * groups told about them in every state, with last 年度's awards. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-grants-demo.h"
#include "tsu-date.h"
#include "tsu-grants.h"
#include "tsu-group.h"
#include "tsu-record.h"

/* Names are generic; funders are the demo's own (tsu_demo_populate_funders).
 * "month" is when the deadline usually falls (0: 随時). */
static const struct
{
  const char *name;
  const char *funder;
  const char *kind; /* programme kind code */
  int         fields[3];
  gint64      ceiling;
  const char *rate;
  int         month;
  const char *deadline_kind;
  const char *time;
  const char *eligibility;
  gboolean    tiers;
  gboolean    second_round;
} programmes[] = {
  { "市民活動団体応援補助金",
    "大牟田市 市民協働推進担当",
    "subsidy",
    { 1, 3, 19 },
    300000,
    "10/10",
    5,
    "postmark",
    NULL,
    "市内で活動する登録団体（登録から1年以上）",
    TRUE,
    TRUE },
  { "協働のまちづくり事業提案",
    "大牟田市 市民協働推進担当",
    "entrustment",
    { 3, 19, 0 },
    1000000,
    NULL,
    6,
    "arrive",
    "17:00",
    "市と協働で地域課題に取り組む市民活動団体・NPO法人",
    FALSE,
    FALSE },
  { "市民活動サポートセンター指定管理者募集",
    "大牟田市 市民協働推進担当",
    "entrustment",
    { 19, 0, 0 },
    0,
    NULL,
    8,
    "arrive",
    "17:00",
    "市内に事務所を置く法人その他の団体",
    FALSE,
    FALSE },
  { "子どもの居場所づくり支援補助金",
    "大牟田市 子ども家庭課",
    "subsidy",
    { 13, 1, 0 },
    200000,
    "3/4",
    4,
    "arrive",
    "17:00",
    "子ども食堂・学習支援などの居場所を運営する団体",
    FALSE,
    TRUE },
  { "ひとり親家庭学習支援事業委託",
    "大牟田市 子ども家庭課",
    "entrustment",
    { 13, 0, 0 },
    2400000,
    NULL,
    2,
    "arrive",
    "17:00",
    "学習支援の実績がある法人・団体",
    FALSE,
    FALSE },
  { "文化芸術活動補助金",
    "大牟田市 文化・スポーツ課",
    "subsidy",
    { 4, 0, 0 },
    150000,
    "1/2",
    4,
    "arrive",
    NULL,
    "市内で文化芸術活動を行う団体",
    FALSE,
    FALSE },
  { "地域スポーツ推進事業補助金",
    "大牟田市 文化・スポーツ課",
    "subsidy",
    { 4, 13, 0 },
    100000,
    "1/2",
    5,
    "arrive",
    NULL,
    "市民向けスポーツ教室・大会を開く団体",
    FALSE,
    FALSE },
  { "市民協働表彰",
    "大牟田市 市民協働推進担当",
    "award",
    { 19, 0, 0 },
    0,
    NULL,
    9,
    "postmark",
    NULL,
    "市内で5年以上活動する団体（推薦可）",
    FALSE,
    FALSE },
  { "NPO・ボランティア活動助成",
    "福岡県 新社会推進部",
    "grant",
    { 1, 2, 19 },
    500000,
    NULL,
    6,
    "online",
    "23:59",
    "県内で活動するNPO法人・ボランティア団体",
    FALSE,
    FALSE },
  { "共助社会づくり表彰",
    "福岡県 新社会推進部",
    "award",
    { 19, 3, 0 },
    0,
    NULL,
    7,
    "postmark",
    NULL,
    "県内で共助の活動を続ける団体・個人",
    FALSE,
    FALSE },
  { "地域課題解決型NPO支援事業",
    "福岡県 新社会推進部",
    "entrustment",
    { 3, 19, 0 },
    800000,
    NULL,
    10,
    "arrive",
    "17:00",
    "県内に事務所を置くNPO法人",
    FALSE,
    FALSE },
  { "環境保全活動推進補助金",
    "福岡県 環境部",
    "subsidy",
    { 7, 0, 0 },
    300000,
    "2/3",
    5,
    "arrive",
    NULL,
    "県内で環境保全に取り組む団体",
    FALSE,
    FALSE },
  { "地域福祉活動助成",
    "独立行政法人 福祉医療機構",
    "grant",
    { 1, 13, 0 },
    3000000,
    NULL,
    11,
    "online",
    "17:00",
    "NPO法人・社会福祉法人・ボランティア団体",
    FALSE,
    FALSE },
  { "地域共生社会推進モデル事業",
    "内閣府 地方創生推進室",
    "subsidy",
    { 1, 3, 16 },
    5000000,
    "1/2",
    1,
    "online",
    "12:00",
    "地方公共団体と連携する民間団体",
    FALSE,
    FALSE },
  { "地域づくり活動助成",
    "有明ふるさと振興財団",
    "grant",
    { 3, 4, 0 },
    500000,
    NULL,
    5,
    "arrive",
    "17:00",
    "有明地域で活動する団体（法人格不問）",
    FALSE,
    TRUE },
  { "ふるさと伝統文化継承助成",
    "有明ふるさと振興財団",
    "grant",
    { 4, 0, 0 },
    300000,
    NULL,
    9,
    "postmark",
    NULL,
    "伝統芸能・祭りを受け継ぐ団体",
    FALSE,
    FALSE },
  { "福祉活動助成",
    "三池地域福祉財団",
    "grant",
    { 1, 0, 0 },
    400000,
    NULL,
    7,
    "postmark",
    NULL,
    "高齢者・障害者の支援に取り組む団体",
    FALSE,
    FALSE },
  { "ボランティア車両助成",
    "三池地域福祉財団",
    "grant",
    { 1, 8, 0 },
    2000000,
    "4/5",
    10,
    "arrive",
    NULL,
    "送迎・配食に車両を使う団体",
    FALSE,
    FALSE },
  { "子どもの学び応援助成",
    "九州こども未来基金",
    "grant",
    { 13, 5, 0 },
    500000,
    NULL,
    6,
    "online",
    "23:59",
    "子どもの学習・体験を支える団体",
    FALSE,
    TRUE },
  { "こども食堂応援助成",
    "九州こども未来基金",
    "grant",
    { 13, 1, 0 },
    300000,
    NULL,
    0,
    "rolling",
    NULL,
    "子ども食堂を運営する団体（通年受付）",
    FALSE,
    FALSE },
  { "緑化・環境保全助成",
    "筑後みどり基金",
    "grant",
    { 7, 0, 0 },
    200000,
    NULL,
    3,
    "postmark",
    NULL,
    "植樹・清掃・里山保全に取り組む団体",
    FALSE,
    FALSE },
  { "市民活動応援プログラム",
    "有明電機 社会貢献推進室",
    "grant",
    { 3, 7, 13 },
    300000,
    NULL,
    8,
    "online",
    "17:00",
    "大牟田・荒尾で活動する市民団体",
    FALSE,
    FALSE },
  { "地域振興助成",
    "大牟田信用金庫 地域振興部",
    "grant",
    { 16, 3, 0 },
    500000,
    NULL,
    11,
    "arrive",
    "15:00",
    "地域経済の活性化に取り組む団体",
    FALSE,
    FALSE },
  { "赤い羽根 地域配分",
    "福岡県共同募金会 大牟田市支会",
    "grant",
    { 1, 3, 0 },
    300000,
    NULL,
    10,
    "arrive",
    "17:00",
    "市内で福祉活動を行う団体",
    FALSE,
    FALSE },
  { "歳末たすけあい配分",
    "福岡県共同募金会 大牟田市支会",
    "grant",
    { 1, 0, 0 },
    100000,
    NULL,
    11,
    "arrive",
    "17:00",
    "年末年始に見守り・配食を行う団体",
    FALSE,
    FALSE },
  { "災害ボランティア活動支援",
    "福岡県共同募金会 大牟田市支会",
    "grant",
    { 8, 9, 0 },
    500000,
    NULL,
    0,
    "rolling",
    NULL,
    "被災地で支援活動を行う団体（随時受付）",
    FALSE,
    FALSE },
  { "ボランティア活動助成",
    "大牟田市社会福祉協議会",
    "grant",
    { 1, 0, 0 },
    50000,
    NULL,
    4,
    "arrive",
    NULL,
    "社協に登録するボランティアグループ",
    FALSE,
    FALSE },
  { "サロン活動支援",
    "大牟田市社会福祉協議会",
    "grant",
    { 1, 3, 0 },
    30000,
    NULL,
    0,
    "rolling",
    NULL,
    "地域のふれあいサロン（随時受付）",
    FALSE,
    FALSE },
  { "男女共同参画推進事業委託",
    "大牟田市 市民協働推進担当",
    "entrustment",
    { 12, 0, 0 },
    600000,
    NULL,
    3,
    "arrive",
    "17:00",
    "男女共同参画の講座を企画できる団体",
    FALSE,
    FALSE },
  { "多文化共生推進助成",
    "有明ふるさと振興財団",
    "grant",
    { 11, 3, 0 },
    200000,
    NULL,
    12,
    "postmark",
    NULL,
    "外国人住民の支援に取り組む団体",
    FALSE,
    FALSE },
  { "情報発信力強化講座 受講団体募集",
    "福岡県 新社会推進部",
    "other",
    { 14, 19, 0 },
    0,
    NULL,
    7,
    "online",
    "17:00",
    "ウェブ発信を学びたい市民活動団体",
    FALSE,
    FALSE },
  { "防犯パトロール活動補助金",
    "大牟田市 市民協働推進担当",
    "subsidy",
    { 9, 0, 0 },
    50000,
    "1/2",
    0,
    "rolling",
    NULL,
    "校区の防犯パトロール隊（随時受付）",
    FALSE,
    FALSE },
  { "まちなか賑わいイベント助成",
    "大牟田信用金庫 地域振興部",
    "grant",
    { 3, 16, 0 },
    200000,
    NULL,
    6,
    "arrive",
    NULL,
    "商店街・まちなかでイベントを開く団体",
    FALSE,
    FALSE },
  { "障害者スポーツ・文化交流事業委託",
    "大牟田市 文化・スポーツ課",
    "entrustment",
    { 1, 4, 0 },
    900000,
    NULL,
    3,
    "arrive",
    "17:00",
    "障害のある人の交流事業を運営できる団体",
    FALSE,
    FALSE },
  { "海と干潟の環境学習助成",
    "筑後みどり基金",
    "grant",
    { 7, 5, 0 },
    150000,
    NULL,
    8,
    "postmark",
    NULL,
    "有明海の環境学習に取り組む団体",
    FALSE,
    FALSE },
  { "国際交流ボランティア活動助成",
    "有明電機 社会貢献推進室",
    "grant",
    { 11, 0, 0 },
    100000,
    NULL,
    11,
    "online",
    "17:00",
    "国際交流・外国人支援のボランティア団体",
    FALSE,
    FALSE },
  { "地域防災活動補助金",
    "大牟田市 市民協働推進担当",
    "subsidy",
    { 8, 9, 0 },
    100000,
    "1/2",
    7,
    "arrive",
    NULL,
    "自主防災組織・防災に取り組む団体",
    FALSE,
    FALSE },
  { "NPO法人運営相談会 参加団体募集",
    "福岡県 新社会推進部",
    "other",
    { 19, 0, 0 },
    0,
    NULL,
    10,
    "online",
    "17:00",
    "法人化・会計・労務を相談したい団体",
    FALSE,
    FALSE },
};

static const int state_weights[] = { 40, 20, 15, 10, 10, 5 }; /* told … rejected */

static const char *
pick_state (GRand *rand, gboolean closed)
{
  static const char *states[]
      = { "told", "interested", "preparing", "applied", "awarded", "rejected" };
  int r;

  /* A closed call has decided: awarded, not awarded, or only told. */
  if (closed)
    {
      r = g_rand_int_range (rand, 0, 10);
      return r < 4 ? "awarded" : r < 6 ? "rejected" : "told";
    }
  r = g_rand_int_range (rand, 0, 100);
  for (guint i = 0; i < G_N_ELEMENTS (state_weights); i++)
    {
      if (r < state_weights[i])
        return states[i];
      r -= state_weights[i];
    }
  return "told";
}

typedef struct
{
  GRand       *rand;
  const GDate *today;
  GPtrArray   *groups;  /* registered groups (JsonObject) */
  GHashTable  *funders; /* name → id */
  guint        made;
} Demo;

/* The next deadline of a call that usually closes in @month: from today
 * on, within a year. */
static void
next_deadline (GRand *rand, const GDate *today, int month, GDate *out)
{
  int day = g_rand_int_range (rand, 10, 29);

  g_date_clear (out, 1);
  g_date_set_dmy (out, day, month, g_date_get_year (today));
  if (g_date_compare (out, today) < 0)
    g_date_add_years (out, 1);
}

static gboolean
add_applications (Demo        *d,
                  const char  *programme_id,
                  const int   *fields,
                  gboolean     closed,
                  gint64       ceiling,
                  const GDate *told_on,
                  TsuStore    *store,
                  GError     **error)
{
  guint want = g_rand_int_range (d->rand, 0, 9);
  guint made = 0;

  for (guint tries = 0; made < want && tries < 200; tries++)
    {
      JsonObject *g = g_ptr_array_index (d->groups, g_rand_int_range (d->rand, 0, d->groups->len));
      g_autoptr (JsonObject) a = NULL;
      g_autofree char *id = NULL;
      g_autofree char *on = tsu_date_to_iso (told_on);
      const char      *state;
      const char      *params[] = { programme_id, tsu_record_get_string (g, "id"), NULL };
      g_autoptr (GPtrArray) have = NULL;
      gboolean shares = FALSE;

      for (guint f = 0; f < 3 && fields[f]; f++)
        shares = shares || tsu_record_array_has_int (g, "fields", fields[f]);
      if (!shares)
        continue;
      have = tsu_store_find (store, "applications", "programme_id = ? AND group_id = ?", params,
                             NULL, 1, error);
      if (have == NULL)
        return FALSE;
      if (have->len > 0)
        continue;
      state = pick_state (d->rand, closed);
      a = json_object_new ();
      json_object_set_string_member (a, "programme_id", programme_id);
      json_object_set_string_member (a, "group_id", tsu_record_get_string (g, "id"));
      json_object_set_string_member (a, "state", state);
      json_object_set_string_member (a, "state_on", on);
      json_object_set_string_member (a, "staff",
                                     g_rand_boolean (d->rand) ? "窓口 花子" : "古賀 健太");
      if (ceiling > 0
          && (g_str_equal (state, "applied") || g_str_equal (state, "awarded")
              || g_str_equal (state, "rejected")))
        {
          gint64 applied = ceiling / 10000 * g_rand_int_range (d->rand, 5, 11) * 1000;

          json_object_set_int_member (a, "amount_applied", applied);
          if (g_str_equal (state, "awarded"))
            json_object_set_int_member (a, "amount_awarded",
                                        applied / 10000 * g_rand_int_range (d->rand, 8, 11) * 1000);
        }
      if ((id = tsu_store_insert (store, "applications", a, error)) == NULL)
        return FALSE;
      made++;
    }
  return TRUE;
}

static char *
add_programme (Demo *d, TsuStore *store, guint i, const GDate *deadline, int round, GError **error)
{
  const typeof (programmes[0]) *t = &programmes[i];
  g_autoptr (JsonObject) p = json_object_new ();
  JsonArray       *fields = json_array_new ();
  g_autofree char *name = NULL;
  g_autofree char *url = g_strdup_printf ("https://example.jp/grants/%02u/", i + 1);
  const char      *funder_id = g_hash_table_lookup (d->funders, t->funder);
  int              fy;
  g_autofree char *fy_text = NULL;

  /* A call closing in January to March is for the coming 年度. */
  fy = deadline ? tsu_fiscal_year (deadline) + (g_date_get_month (deadline) <= 3 ? 1 : 0)
                : tsu_fiscal_year (d->today);
  fy_text = tsu_fiscal_year_format (fy, TSU_DATE_STYLE_WAREKI);
  /* City calls carry their 年度 in the name, as the city writes them. */
  if (g_str_has_prefix (t->funder, "大牟田市 ") && deadline)
    name = g_strdup_printf ("%s %s%s", fy_text, t->name, round > 1 ? "（2次募集）" : "");
  else
    name = g_strdup_printf ("%s%s", t->name, round > 1 ? "（2次募集）" : "");
  json_object_set_string_member (p, "name", name);
  if (funder_id)
    json_object_set_string_member (p, "funder_id", funder_id);
  json_object_set_string_member (p, "funder_name", t->funder);
  json_object_set_string_member (p, "kind", t->kind);
  for (guint f = 0; f < 3 && t->fields[f]; f++)
    json_array_add_int_element (fields, t->fields[f]);
  json_object_set_array_member (p, "fields", fields);
  json_object_set_string_member (p, "eligibility", t->eligibility);
  if (t->ceiling > 0)
    json_object_set_int_member (p, "ceiling", t->ceiling);
  if (t->rate)
    json_object_set_string_member (p, "rate", t->rate);
  if (t->tiers)
    {
      g_autoptr (JsonNode) tiers
          = json_from_string ("[{\"times\":0,\"ceiling\":300000,\"rate\":\"10/10\"},"
                              "{\"times\":1,\"ceiling\":200000,\"rate\":\"2/3\"},"
                              "{\"times\":3,\"ceiling\":0}]",
                              NULL);
      json_object_set_member (p, "tiers", g_steal_pointer (&tiers));
    }
  json_object_set_string_member (p, "deadline_kind", t->deadline_kind);
  json_object_set_int_member (p, "fiscal_year", fy);
  if (deadline)
    {
      GDate            opens = *deadline;
      g_autofree char *iso = tsu_date_to_iso (deadline);
      g_autofree char *opens_iso = NULL;

      g_date_subtract_days (&opens, g_rand_int_range (d->rand, 30, 60));
      opens_iso = tsu_date_to_iso (&opens);
      json_object_set_string_member (p, "deadline_on", iso);
      json_object_set_string_member (p, "opens_on", opens_iso);
      if (t->time)
        json_object_set_string_member (p, "deadline_time", t->time);
    }
  json_object_set_string_member (p, "url", url);
  json_object_set_string_member (p, "source",
                                 g_rand_boolean (d->rand) ? "募集要項（郵送）" : "ウェブサイト");
  json_object_set_string_member (p, "contact", t->funder);
  d->made++;
  return tsu_store_insert (store, "programmes", p, error);
}

static gboolean
add_round (Demo *d, TsuStore *store, guint i, const GDate *deadline, int round, GError **error)
{
  const typeof (programmes[0]) *t = &programmes[i];
  g_autofree char              *id = add_programme (d, store, i, deadline, round, error);
  GDate                         told_on = *d->today;

  if (id == NULL)
    return FALSE;
  /* Told a few weeks before its deadline (or lately, for 随時); not yet
   * about calls far ahead. */
  if (deadline)
    {
      told_on = *deadline;
      g_date_subtract_days (&told_on, g_rand_int_range (d->rand, 20, 45));
    }
  else
    g_date_subtract_days (&told_on, g_rand_int_range (d->rand, 1, 60));
  if (g_date_compare (&told_on, d->today) > 0 || d->groups->len == 0)
    return TRUE;
  return add_applications (d, id, t->fields, deadline && g_date_compare (deadline, d->today) < 0,
                           t->ceiling, &told_on, store, error);
}

static gboolean
populate_txn (TsuStore *store, gpointer data, GError **error)
{
  Demo *d = data;

  for (guint i = 0; i < G_N_ELEMENTS (programmes); i++)
    {
      const typeof (programmes[0]) *t = &programmes[i];
      GDate                         next;
      /* Last year's calls, decided; three years of the tiered subsidy, so
       * that groups have received it before. */
      int past = t->month == 0 ? 0 : t->tiers ? 3 : 1;

      if (t->month == 0)
        {
          if (!add_round (d, store, i, NULL, 1, error))
            return FALSE;
          continue;
        }
      next_deadline (d->rand, d->today, t->month, &next);
      /* A few close ones, whatever the season: this week and this month. */
      if (i == 1 || i == 8 || i == 18)
        {
          next = *d->today;
          g_date_add_days (&next, i == 1 ? 2 : i == 8 ? 4 : 12);
        }
      for (int back = past; back >= 0; back--)
        for (int round = 1; round <= (t->second_round ? 2 : 1); round++)
          {
            GDate day = next;

            g_date_subtract_years (&day, back);
            if (round > 1)
              g_date_add_months (&day, 3);
            if (!add_round (d, store, i, &day, round, error))
              return FALSE;
          }
    }
  return TRUE;
}

/**
 * tsu_demo_populate_grants:
 *
 * About 80 programmes (this 年度's calls and last 年度's, second rounds,
 * 随時 ones) with groups told about them, in one transaction. Needs the
 * demo's groups and funders first.
 */
gboolean
tsu_demo_populate_grants (TsuStore *store, GRand *rand, const GDate *today, GError **error)
{
  g_autofree char *status = tsu_group_status_sql (today, TSU_GROUP_DEFAULT_RENEWAL_DAYS);
  g_autofree char *where = g_strdup_printf ("%s IN (%d, %d)", status, TSU_GROUP_STATUS_REGISTERED,
                                            TSU_GROUP_STATUS_RENEWAL_DUE);
  g_autoptr (GPtrArray) groups
      = tsu_store_find (store, "groups", where, NULL, "sort_key", 0, error);
  g_autoptr (GPtrArray) funders
      = tsu_store_find (store, "funders", "1", NULL, "sort_key", 0, error);
  g_autoptr (GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  Demo d = { rand, today, groups, by_name, 0 };

  if (groups == NULL || funders == NULL)
    return FALSE;
  for (guint i = 0; i < funders->len; i++)
    {
      JsonObject *f = g_ptr_array_index (funders, i);
      g_hash_table_insert (by_name, (gpointer)tsu_record_get_string (f, "name"),
                           (gpointer)tsu_record_get_string (f, "id"));
    }
  return tsu_store_transaction (store, TSU_ORIGIN_IMPORT, populate_txn, &d, error);
}
