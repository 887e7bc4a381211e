/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The demo's equipment and rooms: about 120 items of the kinds centres
 * lend, 4 rooms, and bookings in every state around today (ahead, going
 * out and coming back today, out, overdue, returned with and without
 * damage, cancelled). Every booking goes through the desk's own actions,
 * so the rules hold for the demo as for the counter. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-centre.h"
#include "tsu-demo.h"
#include "tsu-equipment.h"
#include "tsu-record.h"

typedef struct
{
  const char *name;
  const char *kana;
  const char *category;
  const char *prefix;
  guint       count;
  int         stock; /* per record; 0: one */
  int         days;  /* longest loan; -1: used in the centre only */
  const char *fee_kind;
  int         fee;
  const char *accessories; /* separated by "|" */
  const char *storage;
} Kind;

static const Kind kinds[] = {
  { "プロジェクター", "プロジェクター", "映像機器", "PJ", 6, 0, 7, "free", 0,
    "電源コード|HDMIケーブル|VGAケーブル|リモコン|収納バッグ", "倉庫A 棚1" },
  { "スクリーン（80型）", "スクリーン", "映像機器", "SC", 4, 0, 7, "free", 0, "収納ケース",
    "倉庫A 棚2" },
  { "書画カメラ", "ショガカメラ", "映像機器", "DC", 2, 0, 7, "free", 0,
    "USBケーブル|電源アダプター", "事務室 棚" },
  { "ノートパソコン", "ノートパソコン", "パソコン", "PC", 12, 0, 7, "free", 0,
    "ACアダプター|マウス|収納バッグ", "事務室 保管庫" },
  { "タブレット", "タブレット", "パソコン", "TB", 4, 0, 7, "free", 0, "充電器|カバー",
    "事務室 保管庫" },
  { "ワイヤレスマイク", "ワイヤレスマイク", "音響機器", "MC", 8, 0, 7, "free", 0,
    "受信機|単三電池4本|マイクスタンド", "倉庫A 棚3" },
  { "ポータブルスピーカー", "ポータブルスピーカー", "音響機器", "SP", 4, 0, 7, "free", 0,
    "電源コード|スタンド", "倉庫A 棚3" },
  { "CDラジカセ", "シーディーラジカセ", "音響機器", "CD", 2, 0, 7, "free", 0, "電源コード",
    "倉庫A 棚3" },
  { "拡声器", "カクセイキ", "音響機器", "HM", 3, 0, 7, "free", 0, "単二電池6本|ストラップ",
    "倉庫A 棚3" },
  { "テント（3m×3m）", "テント", "屋外用品", "TN", 8, 0, 4, "per_day", 500,
    "天幕|骨組み|おもり4個|収納袋", "倉庫B" },
  { "発電機", "ハツデンキ", "屋外用品", "GN", 2, 0, 3, "per_day", 1000, "取扱説明書|燃料携行缶",
    "倉庫B" },
  { "折りたたみ椅子（10脚）", "オリタタミイス", "会場用品", "CH", 2, 5, 7, "free", 0, NULL,
    "倉庫B" },
  { "長机", "ナガヅクエ", "会場用品", "DK", 1, 12, 7, "free", 0, NULL, "倉庫B" },
  { "展示パネル", "テンジパネル", "展示用品", "PN", 1, 20, 14, "free", 0, "脚|フック10個",
    "倉庫B" },
  { "イーゼル", "イーゼル", "展示用品", "EZ", 6, 0, 14, "free", 0, NULL, "倉庫A 棚4" },
  { "ホワイトボード（脚付き）", "ホワイトボード", "展示用品", "WB", 3, 0, 7, "free", 0,
    "マーカー3色|イレーザー", "倉庫A" },
  { "紙芝居舞台", "カミシバイブタイ", "子ども向け", "KS", 2, 0, 7, "free", 0, "収納袋",
    "倉庫A 棚5" },
  { "輪投げセット", "ワナゲセット", "子ども向け", "WN", 3, 0, 7, "free", 0, "輪10本|的",
    "倉庫A 棚5" },
  { "綿菓子機", "ワタガシキ", "調理器具", "WG", 2, 0, 3, "per_day", 300,
    "電源コード|ざらめ用スプーン", "倉庫B" },
  { "大鍋（40L）", "オオナベ", "調理器具", "NB", 3, 0, 3, "free", 0, "蓋", "倉庫B" },
  { "カセットコンロ", "カセットコンロ", "調理器具", "KC", 6, 0, 3, "free", 0, NULL, "倉庫B" },
  { "延長コード（10m）", "エンチョウコード", "電源・配線", "EC", 10, 0, 7, "free", 0, NULL,
    "倉庫A 棚6" },
  { "台車", "ダイシャ", "運搬", "DS", 3, 0, 3, "free", 0, NULL, "倉庫B" },
  { "車椅子", "クルマイス", "福祉用具", "WC", 3, 0, 7, "free", 0, NULL, "倉庫A" },
  { "デジタルカメラ", "デジタルカメラ", "映像機器", "CM", 3, 0, 7, "free", 0,
    "充電器|SDカード|ストラップ", "事務室 保管庫" },
  { "ビデオカメラ", "ビデオカメラ", "映像機器", "VC", 2, 0, 7, "free", 0, "充電器|三脚",
    "事務室 保管庫" },
  { "ラミネーター（A3）", "ラミネーター", "印刷・製本", "LM", 2, 0, -1, "free", 0, NULL, "作業室" },
  { "裁断機", "サイダンキ", "印刷・製本", "CT", 1, 0, -1, "free", 0, NULL, "作業室" },
  { "製本機", "セイホンキ", "印刷・製本", "BB", 1, 0, -1, "free", 0, NULL, "作業室" },
  { "のぼり旗スタンド", "ノボリバタスタンド", "屋外用品", "NS", 8, 0, 7, "free", 0, "注水タンク",
    "倉庫B" },
  { "AED訓練用キット", "エーイーディークンレンヨウキット", "福祉用具", "AE", 1, 0, 7, "free", 0,
    "訓練用パッド|説明書", "事務室 棚" },
};

static const struct
{
  const char *name;
  const char *kana;
  int         capacity;
  int         fee;
  const char *equipment;
} rooms[] = {
  { "会議室A", "カイギシツエー", 30, 500, "プロジェクター|スクリーン|ホワイトボード" },
  { "会議室B", "カイギシツビー", 12, 300, "ホワイトボード|テレビモニター" },
  { "多目的室", "タモクテキシツ", 60, 1000, "音響設備|ワイヤレスマイク2本|ピアノ" },
  { "作業室", "サギョウシツ", 10, 200, "作業台|流し台|ロッカー" },
};

static JsonArray *
split (const char *text)
{
  JsonArray *a = json_array_new ();
  g_auto (GStrv) parts = g_strsplit (text ? text : "", "|", -1);

  for (guint i = 0; parts[i]; i++)
    if (*parts[i])
      json_array_add_string_element (a, parts[i]);
  return a;
}

typedef struct
{
  GRand       *rand;
  const GDate *today;
  GPtrArray   *items;  /* ids of items */
  GPtrArray   *rooms;  /* ids of rooms */
  GPtrArray   *groups; /* ids of registered groups */
  char        *printer;
  guint        made;
} Demo;

static gboolean
add_resources (TsuStore *store, Demo *d, GError **error)
{
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    for (guint n = 1; n <= kinds[k].count; n++)
      {
        g_autoptr (JsonObject) o = json_object_new ();
        g_autofree char *number = g_strdup_printf ("%s-%02u", kinds[k].prefix, n);
        g_autofree char *name = kinds[k].count >= 10 ? g_strdup_printf ("%s %02u", kinds[k].name, n)
                                : kinds[k].count > 1 ? g_strdup_printf ("%s %u", kinds[k].name, n)
                                                     : g_strdup (kinds[k].name);
        char            *id;

        json_object_set_string_member (o, "kind", "item");
        json_object_set_string_member (o, "name", name);
        json_object_set_string_member (o, "name_kana", kinds[k].kana);
        json_object_set_string_member (o, "category", kinds[k].category);
        json_object_set_string_member (o, "control_number", number);
        json_object_set_string_member (o, "storage", kinds[k].storage);
        json_object_set_int_member (o, "stock", MAX (1, kinds[k].stock));
        json_object_set_string_member (o, "fee_kind", kinds[k].fee_kind);
        if (kinds[k].fee > 0)
          json_object_set_int_member (o, "fee", kinds[k].fee);
        if (kinds[k].days < 0)
          json_object_set_boolean_member (o, "onsite_only", TRUE);
        else
          json_object_set_int_member (o, "max_loan_days", kinds[k].days);
        if (kinds[k].accessories)
          json_object_set_array_member (o, "accessories", split (kinds[k].accessories));
        /* Now and then one is being repaired; one old one was thrown away. */
        json_object_set_string_member (o, "status",
                                       g_rand_int_range (d->rand, 0, 40) == 0 ? "repair"
                                       : (k == 7 && n == 2)                   ? "disposed"
                                                                              : "available");
        if ((id = tsu_store_insert (store, "resources", o, error)) == NULL)
          return FALSE;
        g_ptr_array_add (d->items, id);
      }

  /* The printer (輪転機): counters and a tariff. */
  {
    g_autoptr (JsonObject) o = json_object_new ();

    json_object_set_string_member (o, "kind", "item");
    json_object_set_string_member (o, "name", "印刷機（輪転機）");
    json_object_set_string_member (o, "name_kana", "インサツキ");
    json_object_set_string_member (o, "category", "印刷・製本");
    json_object_set_string_member (o, "control_number", "PR-01");
    json_object_set_string_member (o, "storage", "作業室");
    json_object_set_string_member (o, "status", "available");
    json_object_set_boolean_member (o, "onsite_only", TRUE);
    json_object_set_boolean_member (o, "is_printer", TRUE);
    json_object_set_string_member (o, "fee_kind", "free");
    json_object_set_int_member (o, "master_fee", 50);
    json_object_set_int_member (o, "print_fee", 2);
    json_object_set_int_member (o, "master_count", 10240);
    json_object_set_int_member (o, "print_count", 583200);
    json_object_set_array_member (o, "accessories", split ("用紙トレイ|インクカートリッジ"));
    json_object_set_string_member (o, "notes", "用紙は団体持参。A3まで。");
    if ((d->printer = tsu_store_insert (store, "resources", o, error)) == NULL)
      return FALSE;
  }

  for (guint r = 0; r < G_N_ELEMENTS (rooms); r++)
    {
      g_autoptr (JsonObject) o = json_object_new ();
      char *id;

      json_object_set_string_member (o, "kind", "room");
      json_object_set_string_member (o, "name", rooms[r].name);
      json_object_set_string_member (o, "name_kana", rooms[r].kana);
      json_object_set_string_member (o, "category", "部屋");
      json_object_set_string_member (o, "status", "available");
      json_object_set_int_member (o, "capacity", rooms[r].capacity);
      json_object_set_array_member (o, "room_equipment", split (rooms[r].equipment));
      json_object_set_string_member (o, "open_time", "09:00");
      json_object_set_string_member (o, "close_time", "21:00");
      json_object_set_string_member (o, "fee_kind", "per_slot");
      json_object_set_int_member (o, "fee", rooms[r].fee);
      if ((id = tsu_store_insert (store, "resources", o, error)) == NULL)
        return FALSE;
      g_ptr_array_add (d->rooms, id);
    }
  return TRUE;
}

static char *
at (const GDate *day, int hour, int minute)
{
  g_autofree char *iso = tsu_date_to_iso (day);

  return g_strdup_printf ("%sT%02d:%02d", iso, hour, minute);
}

static void
day_plus (const GDate *today, int days, GDate *out)
{
  *out = *today;
  if (days >= 0)
    g_date_add_days (out, days);
  else
    g_date_subtract_days (out, -days);
}

static const char *purposes[] = {
  "地域の夏祭り", "定例会", "子ども食堂の案内掲示", "防災訓練",         "活動報告会",
  "読み聞かせ会", "講演会", "清掃活動の受付",       "ボランティア研修", "バザーの準備",
  "会報の印刷",   "写真展",
};

/* One booking through the desk's actions: booked (as if on @booked_on),
 * then lent, returned or cancelled as @state says. A booking the rules
 * refuse (a clash, a group not registered then) is left out. */
static void
make (TsuStore    *store,
      Demo        *d,
      const char  *resource,
      const GDate *day,
      int          hour,
      int          hours,
      int          days,
      const char  *state,
      gboolean     damaged,
      const GDate *booked_on)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonObject) group = NULL;
  g_autofree char *start = at (day, hour, 0);
  g_autofree char *due = NULL;
  g_autofree char *id = NULL;
  const char *gid = g_ptr_array_index (d->groups, g_rand_int_range (d->rand, 0, d->groups->len));

  if (tsu_centre_is_closed (store, day))
    return;
  group = tsu_store_get (store, "groups", gid, NULL);
  json_object_set_string_member (o, "resource_id", resource);
  json_object_set_string_member (o, "group_id", gid);
  json_object_set_string_member (o, "purpose",
                                 purposes[g_rand_int_range (d->rand, 0, G_N_ELEMENTS (purposes))]);
  if (group && tsu_record_get_string (group, "contact_family_name"))
    {
      g_autofree char *name
          = g_strdup_printf ("%s %s", tsu_record_get_string (group, "contact_family_name"),
                             tsu_record_get_string (group, "contact_given_name") ?: "");
      json_object_set_string_member (o, "contact_name", name);
    }
  json_object_set_string_member (o, "start_at", start);
  if (days > 0)
    {
      GDate end;

      day_plus (day, days, &end);
      due = at (&end, hour, 0);
    }
  else if (hours > 0)
    due = at (day, hour + hours, 0);
  if (due)
    json_object_set_string_member (o, "due_at", due);
  id = tsu_booking_book (store, o, booked_on, &error);
  if (id == NULL)
    return;
  d->made++;
  if (g_str_equal (state, "cancelled"))
    {
      tsu_booking_cancel (store, id, NULL);
      return;
    }
  if (g_str_equal (state, "reserved"))
    return;
  {
    g_autoptr (JsonObject) b = tsu_store_get (store, "bookings", id, NULL);
    g_autoptr (JsonObject) r = tsu_store_get (store, "resources", resource, NULL);
    g_autoptr (JsonObject) out = json_object_new ();
    g_autoptr (JsonObject) in = json_object_new ();
    JsonNode        *acc = r ? json_object_get_member (r, "accessories") : NULL;
    g_autofree char *back = NULL;

    if (acc)
      json_object_set_member (out, "accessories_out", json_node_copy (acc));
    if (tsu_record_get_bool (r, "is_printer"))
      {
        gint64 m = 0, p = 0;

        tsu_record_get_int (r, "master_count", &m);
        tsu_record_get_int (r, "print_count", &p);
        json_object_set_int_member (out, "masters_out", m);
        json_object_set_int_member (out, "prints_out", p);
        json_object_set_int_member (in, "masters_in", m + g_rand_int_range (d->rand, 1, 8));
        json_object_set_int_member (in, "prints_in", p + g_rand_int_range (d->rand, 100, 900));
      }
    if (!tsu_booking_lend (store, id, start, out, NULL))
      return;
    if (g_str_equal (state, "lent"))
      return;
    if (acc)
      json_object_set_member (in, "accessories_in", json_node_copy (acc));
    json_object_set_string_member (in, "condition", damaged ? "damaged" : "good");
    if (damaged)
      json_object_set_string_member (in, "damage_note", "レンズカバーが割れていた");
    /* Back a little before the due time, as most are. */
    back = tsu_datetime_add_minutes (tsu_record_get_string (b, "due_at"),
                                     -g_rand_int_range (d->rand, 10, 120));
    if (tsu_booking_return (store, id, back, in, NULL, NULL) && damaged)
      {
        GDate fixed;

        /* Repaired since, unless the damage is recent. */
        day_plus (d->today, -20, &fixed);
        if (g_date_compare (day, &fixed) < 0)
          {
            g_autoptr (JsonObject) ok = json_object_new ();

            json_object_set_string_member (ok, "status", "available");
            tsu_store_update (store, "resources", resource, ok, NULL);
          }
      }
  }
}

static gboolean
find_groups (TsuStore *store, Demo *d, GError **error)
{
  g_autofree char *fy = g_strdup_printf ("%d", tsu_fiscal_year (d->today));
  GDate            long_ago;
  g_autofree char *since = NULL;
  const char      *params[3];
  g_autoptr (GPtrArray) rows = NULL;

  /* Registered for long enough to have borrowed in the past months. */
  day_plus (d->today, -100, &long_ago);
  since = tsu_date_to_iso (&long_ago);
  params[0] = fy;
  params[1] = since;
  params[2] = NULL;
  rows = tsu_store_find (store, "groups",
                         "registration_number IS NOT NULL AND withdrawn_on IS NULL"
                         " AND valid_fiscal_year >= CAST(? AS INTEGER) AND registered_on <= ?",
                         params, "sort_key", 40, error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    g_ptr_array_add (d->groups,
                     g_strdup (tsu_record_get_string (g_ptr_array_index (rows, i), "id")));
  return TRUE;
}

static void
add_bookings (TsuStore *store, Demo *d)
{
  GDate day;
  GDate booked;

  /* The past three months: returned (a few damaged), some cancelled. */
  for (int back = 90; back >= 1; back--)
    {
      day_plus (d->today, -back, &day);
      day_plus (d->today, -back - 14, &booked);
      for (int k = 0; k < 2; k++)
        {
          const char *item
              = g_ptr_array_index (d->items, g_rand_int_range (d->rand, 0, d->items->len));
          int roll = g_rand_int_range (d->rand, 0, 20);

          make (store, d, item, &day, 10, 0, g_rand_int_range (d->rand, 1, 4),
                roll == 0 ? "cancelled" : "returned", roll == 1 && back % 3 == 0, &booked);
        }
      make (store, d, g_ptr_array_index (d->rooms, back % d->rooms->len), &day,
            (int[]){ 9, 13, 18 }[back % 3], 3, 0, back % 11 == 0 ? "cancelled" : "returned", FALSE,
            &booked);
    }
  /* The printer, used on the spot. */
  for (int back = 20; back >= 2; back -= 3)
    {
      day_plus (d->today, -back, &day);
      day_plus (d->today, -back - 3, &booked);
      make (store, d, d->printer, &day, 13, 3, 0, "returned", FALSE, &booked);
    }

  /* Out now: some due later, some overdue, some coming back today. */
  for (int k = 0; k < 10; k++)
    {
      const char *item = g_ptr_array_index (d->items, g_rand_int_range (d->rand, 0, d->items->len));
      int         ago = 1 + k % 6;

      day_plus (d->today, -ago - (k < 3 ? 5 : 0), &day);
      day_plus (&day, -7, &booked);
      /* k < 3: due some days ago (overdue); k 3–5: due today; the rest later. */
      make (store, d, item, &day, 10, 0, k < 3 ? 3 : k < 6 ? ago : ago + 4, "lent", FALSE, &booked);
    }

  /* Ahead: going out today and in the coming weeks; rooms this week. */
  day_plus (d->today, -3, &booked);
  for (int k = 0; k < 5; k++)
    make (store, d, g_ptr_array_index (d->items, g_rand_int_range (d->rand, 0, d->items->len)),
          d->today, 15 + k % 4, 0, 0, "reserved", FALSE, &booked);
  for (int ahead = 1; ahead <= 40; ahead++)
    {
      day_plus (d->today, ahead, &day);
      make (store, d, g_ptr_array_index (d->items, g_rand_int_range (d->rand, 0, d->items->len)),
            &day, 10, 0, 0, ahead % 9 == 0 ? "cancelled" : "reserved", FALSE, &booked);
    }
  for (int ahead = 0; ahead <= 13; ahead++)
    for (guint r = 0; r < d->rooms->len; r++)
      {
        if (g_rand_int_range (d->rand, 0, 3) == 0)
          continue;
        day_plus (d->today, ahead, &day);
        make (store, d, g_ptr_array_index (d->rooms, r), &day,
              (int[]){ 9, 10, 13, 14, 18 }[g_rand_int_range (d->rand, 0, 5)],
              g_rand_int_range (d->rand, 2, 4), 0, "reserved", FALSE, &booked);
      }
}

static gboolean
populate_txn (TsuStore *store, gpointer data, GError **error)
{
  Demo *d = data;

  if (!add_resources (store, d, error) || !find_groups (store, d, error))
    return FALSE;
  if (d->groups->len > 0)
    add_bookings (store, d);
  return TRUE;
}

/**
 * tsu_demo_populate_equipment:
 *
 * Inserts the demo's items and rooms, then its bookings through the desk's
 * actions, in one transaction. Groups must be there first.
 */
gboolean
tsu_demo_populate_equipment (TsuStore *store, GRand *rand, const GDate *today, GError **error)
{
  Demo     d = { rand, today, g_ptr_array_new_with_free_func (g_free),
                 g_ptr_array_new_with_free_func (g_free), g_ptr_array_new_with_free_func (g_free) };
  gboolean ok;

  ok = tsu_store_transaction (store, TSU_ORIGIN_IMPORT, populate_txn, &d, error);
  g_debug ("Demo: %u bookings", d.made);
  g_ptr_array_unref (d.items);
  g_ptr_array_unref (d.rooms);
  g_ptr_array_unref (d.groups);
  g_free (d.printer);
  return ok;
}
