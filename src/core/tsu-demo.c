/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-demo.h"
#include "tsu-date.h"
#include "tsu-grants-demo.h"
#include "tsu-group.h"

/* Every name here is invented from common parts; any likeness to a real
 * group or person is chance. Phone numbers use the 0944 area code with
 * exchange 00, which is not assigned, and e-mail uses example.jp. */

typedef struct
{
  const char *text;
  const char *kana;
} Pair;

static const Pair family_names[] = {
  { "古賀", "コガ" },       { "松尾", "マツオ" },   { "中島", "ナカシマ" }, { "井上", "イノウエ" },
  { "堤", "ツツミ" },       { "野田", "ノダ" },     { "坂本", "サカモト" }, { "森", "モリ" },
  { "原", "ハラ" },         { "宮崎", "ミヤザキ" }, { "吉田", "ヨシダ" },   { "山口", "ヤマグチ" },
  { "平野", "ヒラノ" },     { "永江", "ナガエ" },   { "荒木", "アラキ" },   { "渡辺", "ワタナベ" },
  { "髙橋", "タカハシ" },   { "山﨑", "ヤマサキ" }, { "石橋", "イシバシ" }, { "江崎", "エサキ" },
  { "猿渡", "サルワタリ" }, { "德永", "トクナガ" }, { "田中", "タナカ" },   { "大津", "オオツ" },
  { "木下", "キノシタ" },   { "緒方", "オガタ" },   { "末吉", "スエヨシ" }, { "馬場", "ババ" },
  { "樋口", "ヒグチ" },     { "藤丸", "フジマル" }, { "是永", "コレナガ" }, { "百田", "モモタ" },
};

static const Pair given_names[] = {
  { "花子", "ハナコ" },   { "健太", "ケンタ" }, { "美咲", "ミサキ" }, { "翔", "ショウ" },
  { "由美子", "ユミコ" }, { "誠", "マコト" },   { "陽菜", "ヒナ" },   { "大輔", "ダイスケ" },
  { "恵子", "ケイコ" },   { "和也", "カズヤ" }, { "千尋", "チヒロ" }, { "勇気", "ユウキ" },
  { "幸子", "サチコ" },   { "博", "ヒロシ" },   { "直美", "ナオミ" }, { "蓮", "レン" },
  { "結衣", "ユイ" },     { "修", "オサム" },   { "明美", "アケミ" }, { "拓海", "タクミ" },
  { "ひとみ", "ヒトミ" }, { "洋子", "ヨウコ" }, { "昭", "アキラ" },   { "智子", "トモコ" },
};

/* Omuta's school districts (校区). */
static const Pair districts[] = {
  { "中友", "ナカトモ" },   { "天領", "テンリョウ" },   { "明治", "メイジ" },
  { "大正", "タイショウ" }, { "天の原", "アマノハラ" }, { "平原", "ヒラバル" },
  { "銀水", "ギンスイ" },   { "羽山台", "ハヤマダイ" }, { "吉野", "ヨシノ" },
  { "駛馬", "ハヤメ" },     { "白川", "シラカワ" },     { "三池", "ミイケ" },
  { "米生", "メオ" },       { "玉川", "タマガワ" },     { "高取", "タカトリ" },
  { "上内", "ウワチ" },     { "手鎌", "テガマ" },       { "笹原", "ササハラ" },
  { "倉永", "クラナガ" },   { "みなと", "ミナト" },
};

static const struct
{
  const char *town;
  const char *postal_prefix;
} towns[] = {
  { "有明町", "836-08" }, { "不知火町", "836-08" }, { "本町", "836-08" },   { "旭町", "836-00" },
  { "新栄町", "836-08" }, { "浜町", "836-08" },     { "白金町", "836-00" }, { "曙町", "836-00" },
  { "三川町", "836-00" }, { "草木", "836-00" },     { "岬町", "836-00" },   { "八本町", "836-00" },
  { "宮部", "837-09" },   { "吉野", "837-09" },     { "歴木", "837-09" },   { "白川", "837-09" },
  { "今山", "836-00" },   { "上町", "836-08" },     { "栄町", "836-08" },   { "正山町", "836-00" },
};

/* Activity themes with the NPO Act field code they mostly belong to. */
static const struct
{
  const char *text;
  const char *kana;
  int         field;
} themes[] = {
  { "子ども食堂", "コドモショクドウ", 13 },
  { "見守り", "ミマモリ", 1 },
  { "花いっぱい", "ハナイッパイ", 3 },
  { "読み聞かせ", "ヨミキカセ", 2 },
  { "炭鉱の記憶", "タンコウノキオク", 6 },
  { "有明海クリーン", "アリアケカイクリーン", 7 },
  { "手話", "シュワ", 1 },
  { "防災", "ボウサイ", 8 },
  { "子育て支援", "コソダテシエン", 13 },
  { "国際交流", "コクサイコウリュウ", 11 },
  { "健康体操", "ケンコウタイソウ", 1 },
  { "認知症サポート", "ニンチショウサポート", 1 },
  { "歴史ガイド", "レキシガイド", 4 },
  { "防犯パトロール", "ボウハンパトロール", 9 },
  { "パソコン教室", "パソコンキョウシツ", 14 },
  { "男女共同参画", "ダンジョキョウドウサンカク", 12 },
  { "里山", "サトヤマ", 5 },
  { "合唱", "ガッショウ", 6 },
  { "就労支援", "シュウロウシエン", 17 },
  { "消費生活", "ショウヒセイカツ", 18 },
  { "人権学習", "ジンケンガクシュウ", 10 },
  { "まちづくり", "マチヅクリ", 3 },
  { "NPO支援", "エヌピーオーシエン", 19 },
  { "商店街応援", "ショウテンガイオウエン", 16 },
};

static const Pair suffixes[] = {
  { "の会", "ノカイ" },
  { "クラブ", "クラブ" },
  { "ネットワーク", "ネットワーク" },
  { "応援団", "オウエンダン" },
  { "研究会", "ケンキュウカイ" },
  { "サークル", "サークル" },
  { "ボランティア", "ボランティア" },
  { "友の会", "トモノカイ" },
};

static const char *legal_forms[] = { "任意団体", "NPO法人", "一般社団法人" };

#define PICK(rand, array) (&(array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

void
tsu_demo_person (GRand *rand, TsuDemoPerson *person)
{
  const Pair *f = PICK (rand, family_names);
  const Pair *g = PICK (rand, given_names);

  person->family_name = g_strdup (f->text);
  person->family_kana = g_strdup (f->kana);
  person->given_name = g_strdup (g->text);
  person->given_kana = g_strdup (g->kana);
}

void
tsu_demo_person_clear (TsuDemoPerson *person)
{
  g_clear_pointer (&person->family_name, g_free);
  g_clear_pointer (&person->given_name, g_free);
  g_clear_pointer (&person->family_kana, g_free);
  g_clear_pointer (&person->given_kana, g_free);
}

const char *
tsu_demo_school_district (GRand *rand)
{
  return PICK (rand, districts)->text;
}

/**
 * tsu_demo_address:
 * @postal_code: (out) (optional): a 〒 code of the form 836-08xx
 *
 * Returns: an address in Omuta, e.g. 大牟田市有明町2丁目3-14
 */
char *
tsu_demo_address (GRand *rand, char **postal_code)
{
  guint t = g_rand_int_range (rand, 0, G_N_ELEMENTS (towns));

  if (postal_code)
    *postal_code
        = g_strdup_printf ("%s%02d", towns[t].postal_prefix, g_rand_int_range (rand, 0, 100));
  return g_strdup_printf ("福岡県大牟田市%s%d丁目%d-%d", towns[t].town,
                          g_rand_int_range (rand, 1, 5), g_rand_int_range (rand, 1, 30),
                          g_rand_int_range (rand, 1, 20));
}

char *
tsu_demo_phone (GRand *rand, gboolean mobile)
{
  if (mobile)
    return g_strdup_printf ("090-0000-%04d", g_rand_int_range (rand, 0, 10000));
  return g_strdup_printf ("0944-00-%04d", g_rand_int_range (rand, 0, 10000));
}

/* 法人番号: 12 digits after a check digit = 9 − (Σ Pn·Qn mod 9), Pn the n-th
 * digit from the right of the 12, Qn 1 for odd n and 2 for even n. */
static char *
make_corporate_number (GRand *rand)
{
  char base[13];
  int  sum = 0;

  for (int i = 0; i < 12; i++)
    base[i] = '0' + g_rand_int_range (rand, 0, 10);
  base[12] = '\0';
  for (int n = 1; n <= 12; n++)
    sum += (base[12 - n] - '0') * ((n % 2) ? 1 : 2);
  return g_strdup_printf ("%d%s", 9 - (sum % 9), base);
}

static char *
iso_date (int y, int m, int d)
{
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

static int
fiscal_year_of (const GDate *date)
{
  int y = g_date_get_year (date);

  return g_date_get_month (date) >= 4 ? y : y - 1;
}

static void
set_person (JsonObject *obj, const char *prefix, const TsuDemoPerson *p)
{
  g_autofree char *k1 = g_strconcat (prefix, "_family_name", NULL);
  g_autofree char *k2 = g_strconcat (prefix, "_given_name", NULL);
  g_autofree char *k3 = g_strconcat (prefix, "_family_kana", NULL);
  g_autofree char *k4 = g_strconcat (prefix, "_given_kana", NULL);

  json_object_set_string_member (obj, k1, p->family_name);
  json_object_set_string_member (obj, k2, p->given_name);
  json_object_set_string_member (obj, k3, p->family_kana);
  json_object_set_string_member (obj, k4, p->given_kana);
}

/**
 * tsu_demo_group:
 * @serial: numbers the registration; also keeps names apart
 * @today: the day the data is made for (statuses spread around it)
 *
 * Returns: (transfer full): the fields of one fictitious group
 */
JsonObject *
tsu_demo_group (GRand *rand, guint serial, const GDate *today)
{
  JsonObject *g = json_object_new ();
  /* Walk the district × theme × suffix combinations in a scattered order
   * (7919 is prime to their count) so that names repeat only past that count. */
  const guint n_combos = G_N_ELEMENTS (districts) * G_N_ELEMENTS (themes) * G_N_ELEMENTS (suffixes);
  const guint combo = (guint)(((guint64)serial * 7919) % n_combos);
  const Pair *district = &districts[combo % G_N_ELEMENTS (districts)];
  guint       theme = (combo / G_N_ELEMENTS (districts)) % G_N_ELEMENTS (themes);
  const Pair *suffix = &suffixes[combo / (G_N_ELEMENTS (districts) * G_N_ELEMENTS (themes))];
  const char *legal
      = legal_forms[g_rand_int_range (rand, 0, 10) < 7 ? 0 : g_rand_int_range (rand, 1, 3)];
  TsuDemoPerson    rep = { 0 }, contact = { 0 };
  g_autofree char *name = NULL, *kana = NULL, *address = NULL, *postal = NULL;
  g_autofree char *contact_address = NULL, *contact_postal = NULL;
  g_autofree char *phone = NULL, *contact_phone = NULL, *email = NULL, *regno = NULL;
  g_autofree char *founded = NULL, *registered = NULL, *applied = NULL;
  JsonArray       *fields = json_array_new ();
  JsonArray       *public_fields = json_array_new ();
  int              fy = fiscal_year_of (today);
  int              members = g_rand_int_range (rand, 3, 80);
  int              kind = g_rand_int_range (rand, 0, 100);
  int              reg_year = fy - g_rand_int_range (rand, 0, 12);

  /* Serial keeps same-pattern names apart, as real lists have 第二, 二丁目... */
  if (serial >= n_combos)
    {
      name
          = g_strdup_printf ("%s%s%s %u", district->text, themes[theme].text, suffix->text, serial);
      kana = g_strdup_printf ("%s%s%s", district->kana, themes[theme].kana, suffix->kana);
    }
  else
    {
      name = g_strconcat (district->text, themes[theme].text, suffix->text, NULL);
      kana = g_strconcat (district->kana, themes[theme].kana, suffix->kana, NULL);
    }
  json_object_set_string_member (g, "name", name);
  json_object_set_string_member (g, "name_kana", kana);
  json_object_set_string_member (g, "legal_form", legal);
  if (!g_str_equal (legal, "任意団体"))
    {
      g_autofree char *cn = make_corporate_number (rand);
      json_object_set_string_member (g, "corporate_number", cn);
    }

  tsu_demo_person (rand, &rep);
  tsu_demo_person (rand, &contact);
  set_person (g, "rep", &rep);
  set_person (g, "contact", &contact);
  contact_address = tsu_demo_address (rand, &contact_postal);
  contact_phone = tsu_demo_phone (rand, TRUE);
  json_object_set_string_member (g, "contact_postal_code", contact_postal);
  json_object_set_string_member (g, "contact_address", contact_address);
  json_object_set_string_member (g, "contact_phone", contact_phone);
  email = g_strdup_printf ("group%04u@example.jp", serial);
  json_object_set_string_member (g, "contact_email", email);

  address = tsu_demo_address (rand, &postal);
  phone = tsu_demo_phone (rand, FALSE);
  json_object_set_string_member (g, "postal_code", postal);
  json_object_set_string_member (g, "address", address);
  json_object_set_string_member (g, "phone", phone);

  founded = g_strdup_printf ("%04d-%02d", reg_year - g_rand_int_range (rand, 0, 5),
                             g_rand_int_range (rand, 1, 13));
  json_object_set_string_member (g, "founded", founded);
  json_object_set_int_member (g, "members_total", members);
  json_object_set_int_member (g, "members_in_city",
                              members - g_rand_int_range (rand, 0, members / 3 + 1));

  json_array_add_int_element (fields, themes[theme].field);
  if (g_rand_boolean (rand))
    {
      int extra = g_rand_int_range (rand, 1, 21);
      if (extra != themes[theme].field)
        json_array_add_int_element (fields, extra);
    }
  json_object_set_array_member (g, "fields", fields);

  {
    g_autofree char *purpose
        = g_strdup_printf ("%s校区を中心に、%sの活動を通じて地域のつながりを深めます。",
                           district->text, themes[theme].text);
    g_autofree char *acts
        = g_strdup_printf ("月%d回の定例活動、年%d回の交流行事。", g_rand_int_range (rand, 1, 5),
                           g_rand_int_range (rand, 1, 4));
    g_autofree char *place = g_strdup_printf ("%s地区公民館", district->text);
    json_object_set_string_member (g, "purpose", purpose);
    json_object_set_string_member (g, "activities", acts);
    json_object_set_string_member (g, "meeting_place", place);
    json_object_set_string_member (
        g, "meeting_schedule", g_rand_boolean (rand) ? "毎週土曜日 午前" : "第2・第4水曜日 午後");
  }
  json_object_set_boolean_member (g, "recruiting", g_rand_int_range (rand, 0, 3) != 0);
  json_object_set_string_member (g, "dues", g_rand_boolean (rand) ? "年会費1,000円" : "なし");

  json_array_add_string_element (public_fields, "phone");
  if (g_rand_boolean (rand))
    json_array_add_string_element (public_fields, "contact_email");
  json_object_set_array_member (g, "public_fields", public_fields);

  /* Lifecycle spread: most registered this year, some due for renewal,
   * some lapsed, a few applying or withdrawn. Statuses derive from these. */
  regno = g_strdup_printf ("%d-%03u", reg_year, serial + 1);
  registered = iso_date (reg_year, g_rand_int_range (rand, 4, 13), g_rand_int_range (rand, 1, 29));
  if (kind < 6)
    {
      applied = iso_date (g_date_get_year (today), g_date_get_month (today), 1);
      json_object_set_string_member (g, "applied_on", applied);
    }
  else
    {
      json_object_set_string_member (g, "registration_number", regno);
      json_object_set_string_member (g, "applied_on", registered);
      json_object_set_string_member (g, "registered_on", registered);
      json_object_set_int_member (g, "valid_fiscal_year", kind < 18 ? fy - 1 : fy);
      /* Some renewed early this year, for next year: 登録 while the rest,
       * with the demo's renewal period (a year), are 更新待ち. */
      if (kind >= 70 && kind < 96)
        {
          g_autofree char *renewed
              = iso_date (g_date_get_year (today), g_date_get_month (today), 1);
          json_object_set_int_member (g, "valid_fiscal_year", fy + 1);
          json_object_set_string_member (g, "renewed_on", renewed);
        }
      json_object_set_string_member (g, "attach_rules_on", registered);
      json_object_set_string_member (g, "attach_officers_on", registered);
      if (kind % 3 != 0)
        json_object_set_string_member (g, "attach_plan_on", registered);
      if (kind % 4 != 0)
        json_object_set_string_member (g, "attach_report_on", registered);
      if (kind >= 96)
        {
          /* Before today, whatever today is: a withdrawal shows as one. */
          GDate            when = *today;
          g_autofree char *w = NULL;

          g_date_subtract_days (&when, 5 + 20 * (kind % 4));
          w = tsu_date_to_iso (&when);
          json_object_set_string_member (g, "withdrawn_on", w);
        }
    }

  tsu_demo_person_clear (&rep);
  tsu_demo_person_clear (&contact);
  return g;
}

typedef struct
{
  GRand       *rand;
  guint        n_groups;
  const GDate *today;
} PopulateData;

static gboolean
populate_groups_txn (TsuStore *store, gpointer user_data, GError **error)
{
  PopulateData *data = user_data;

  for (guint i = 0; i < data->n_groups; i++)
    {
      g_autoptr (JsonObject) group = tsu_demo_group (data->rand, i, data->today);
      g_autofree char *id = tsu_store_insert (store, "groups", group, error);

      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * tsu_demo_populate_groups:
 *
 * Inserts @n_groups fictitious groups through the store's one write path,
 * all in one transaction.
 */
gboolean
tsu_demo_populate_groups (
    TsuStore *store, GRand *rand, guint n_groups, const GDate *today, GError **error)
{
  PopulateData data = { rand, n_groups, today };

  return tsu_store_transaction (store, TSU_ORIGIN_IMPORT, populate_groups_txn, &data, error);
}

/* Funders of the kinds a centre passes calls on from. Names are generic or
 * fictitious; contacts are the demo's unassigned numbers and example.jp. */
static const struct
{
  const char *name, *kana, *kind, *contact;
} funders[] = {
  { "独立行政法人 福祉医療機構", "フクシイリョウキコウ", "国", "NPOリソースセンター 助成担当" },
  { "内閣府 地方創生推進室", "ナイカクフチホウソウセイスイシンシツ", "国", "交付金担当" },
  { "福岡県 新社会推進部", "フクオカケンシンシャカイスイシンブ", "県",
    "NPO・ボランティア支援担当" },
  { "福岡県 環境部", "フクオカケンカンキョウブ", "県", "環境活動支援担当" },
  { "大牟田市 市民協働推進担当", "オオムタシシミンキョウドウスイシンタントウ", "市",
    "市民協働担当" },
  { "大牟田市 子ども家庭課", "オオムタシコドモカテイカ", "市", "子どもの居場所担当" },
  { "大牟田市 文化・スポーツ課", "オオムタシブンカスポーツカ", "市", "文化振興担当" },
  { "有明ふるさと振興財団", "アリアケフルサトシンコウザイダン", "財団", "事務局" },
  { "三池地域福祉財団", "ミイケチイキフクシザイダン", "財団", "助成事業係" },
  { "九州こども未来基金", "キュウシュウコドモミライキキン", "財団", "事務局" },
  { "筑後みどり基金", "チクゴミドリキキン", "財団", "事務局" },
  { "有明電機 社会貢献推進室", "アリアケデンキシャカイコウケンスイシンシツ", "企業", "CSR担当" },
  { "大牟田信用金庫 地域振興部", "オオムタシンヨウキンコチイキシンコウブ", "企業", "地域貢献担当" },
  { "福岡県共同募金会 大牟田市支会", "フクオカケンキョウドウボキンカイオオムタシシカイ", "共同募金",
    "配分担当" },
  { "大牟田市社会福祉協議会", "オオムタシシャカイフクシキョウギカイ", "その他",
    "ボランティアセンター" },
};

static gboolean
populate_funders_txn (TsuStore *store, gpointer user_data, GError **error)
{
  GRand *rand = user_data;

  for (guint i = 0; i < G_N_ELEMENTS (funders); i++)
    {
      g_autoptr (JsonObject) f = json_object_new ();
      g_autofree char *phone = tsu_demo_phone (rand, FALSE);
      g_autofree char *email = g_strdup_printf ("funder%02u@example.jp", i + 1);
      g_autofree char *url = g_strdup_printf ("https://example.jp/funder%02u/", i + 1);
      g_autofree char *id = NULL;

      json_object_set_string_member (f, "name", funders[i].name);
      json_object_set_string_member (f, "name_kana", funders[i].kana);
      json_object_set_string_member (f, "kind", funders[i].kind);
      json_object_set_string_member (f, "contact", funders[i].contact);
      json_object_set_string_member (f, "phone", phone);
      json_object_set_string_member (f, "email", email);
      json_object_set_string_member (f, "url", url);
      if ((id = tsu_store_insert (store, "funders", f, error)) == NULL)
        return FALSE;
    }
  return TRUE;
}

/**
 * tsu_demo_populate_funders:
 *
 * Inserts the demo's funders (助成団体 of every kind) in one transaction.
 */
gboolean
tsu_demo_populate_funders (TsuStore *store, GRand *rand, GError **error)
{
  return tsu_store_transaction (store, TSU_ORIGIN_IMPORT, populate_funders_txn, rand, error);
}

/**
 * tsu_demo_populate:
 * @seed: the same seed gives the same data
 *
 * Fills a new demo database: about 300 groups in every status, the
 * funders, and about 80 programmes with groups told about them.
 */
gboolean
tsu_demo_populate (TsuStore *store, guint32 seed, GError **error)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *fy = NULL;
  GDate            today;

  tsu_date_today (&today);
  tsu_store_set_author (store, _ ("Demo data"));
  if (!tsu_demo_populate_groups (store, rand, 300, &today, error)
      || !tsu_demo_populate_funders (store, rand, error)
      || !tsu_demo_populate_grants (store, rand, &today, error))
    return FALSE;
  tsu_store_set_author (store, NULL);
  /* The renewal period is the centre's rule, kept with its records: the
   * demo's centre renews all year round, so every status shows on any day
   * of the fiscal year it was made for (the app makes it anew after). */
  fy = g_strdup_printf ("%d", tsu_fiscal_year (&today));
  return tsu_store_set_meta (store, TSU_GROUP_RENEWAL_DAYS_META, "365", error)
         && tsu_store_set_meta (store, TSU_DEMO_FISCAL_YEAR_KEY, fy, error);
}
