/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-counter-collections.h"
#include "tsu-counter-demo.h"
#include "tsu-date.h"
#include "tsu-demo.h"
#include "tsu-record.h"

#define PICK(rand, array) ((array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

typedef struct
{
  GRand       *rand;
  const GDate *today;
  GPtrArray   *groups; /* JsonObject */
} Demo;

static const char *const questions[][2] = {
  { "設立", "団体を立ち上げたいが、何から始めればよいか" },
  { "設立", "規約のひな形はあるか" },
  { "運営", "総会の開き方と議事録の書き方を知りたい" },
  { "運営", "役員の引き継ぎがうまくいかない" },
  { "会計・税務", "会計報告の様式を教えてほしい" },
  { "会計・税務", "収益事業に当たるかどうか知りたい" },
  { "法人化", "NPO法人になるための手続きと期間" },
  { "法人化", "一般社団法人との違いを知りたい" },
  { "助成金", "使える助成金はあるか" },
  { "助成金", "申請書の書き方を見てほしい" },
  { "ボランティア", "イベントの手伝いを募集したい" },
  { "ボランティア", "高校生のボランティアを受け入れたい" },
  { "備品・場所", "プロジェクターを借りたい" },
  { "備品・場所", "定例会の会場を探している" },
  { "協働", "市と一緒に事業をしたい" },
  { "広報", "チラシを置いてほしい" },
  { "広報", "SNSでの発信のしかた" },
  { "その他", "活動場所の近くの団体を紹介してほしい" },
};

static const char *const answers[] = {
  "手引きを渡して説明した", "様式を案内した",           "次回、資料を持って再来所の予定",
  "担当課を紹介した",       "センターの講座を案内した", "その場で一緒に確認した",
};

static const char *const referrals[] = {
  "大牟田市社会福祉協議会",
  "市民協働推進課",
  "福岡法務局 大牟田支局",
  "大牟田税務署",
};

static const char *const staff[] = { "窓口 花子", "田中 一郎", "松尾 由美" };

static const char *const companies[] = {
  "有明製菓株式会社",       "三池印刷株式会社", "大牟田信用金庫", "みなと運送株式会社",
  "株式会社ありあけ不動産", "炭都電機株式会社", "青葉薬局",
};

static const char *const departments[] = {
  "市民協働推進課", "福祉課", "子ども家庭課", "環境保全課", "観光おもてなし課", "防災対策室",
};

static gboolean
insert (TsuStore *store, const char *coll, JsonObject *row, char **id, GError **error)
{
  char *new_id = tsu_store_insert (store, coll, row, error);

  json_object_unref (row);
  if (new_id == NULL)
    return FALSE;
  if (id)
    *id = new_id;
  else
    g_free (new_id);
  return TRUE;
}

static JsonObject *
group_at (Demo *d, guint i)
{
  return g_ptr_array_index (d->groups, i % d->groups->len);
}

static gboolean
consultations (TsuStore *store, Demo *d, GError **error)
{
  GDate day;
  int   fy = tsu_fiscal_year (d->today);

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 1, G_DATE_APRIL, fy);
  for (; g_date_compare (&day, d->today) <= 0; g_date_add_days (&day, 1))
    {
      GDateWeekday wd = g_date_get_weekday (&day);
      gboolean     is_today = g_date_compare (&day, d->today) == 0;
      int          n = wd == G_DATE_MONDAY ? 0 : wd >= G_DATE_SATURDAY ? 1 : 2;

      if (is_today)
        n = 6;
      n += g_rand_int_range (d->rand, 0, 3);
      for (int k = 0; k < n; k++)
        {
          JsonObject      *c = json_object_new ();
          JsonArray       *topics = json_array_new ();
          guint            q = g_rand_int_range (d->rand, 0, G_N_ELEMENTS (questions));
          int              who = g_rand_int_range (d->rand, 0, 10);
          int              minute = 9 * 60 + 10 + k * 70 + g_rand_int_range (d->rand, 0, 50);
          g_autofree char *at = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", g_date_get_year (&day),
                                                 g_date_get_month (&day), g_date_get_day (&day),
                                                 MIN (minute / 60, 20), minute % 60);

          json_object_set_string_member (c, "at", at);
          json_object_set_string_member (
              c, "channel",
              tsu_consultation_channels[who < 5   ? 0
                                        : who < 8 ? 1
                                                  : g_rand_int_range (d->rand, 2, 5)]
                  .code);
          if (who < 7)
            {
              json_object_set_string_member (c, "asker_kind", "group");
              json_object_set_string_member (
                  c, "group_id",
                  tsu_record_get_string (group_at (d, g_rand_int_range (d->rand, 0, 80)), "id"));
            }
          else if (who < 9)
            {
              TsuDemoPerson    p = { 0 };
              g_autofree char *name = NULL;

              tsu_demo_person (d->rand, &p);
              name = g_strdup_printf ("%s %s", p.family_name, p.given_name);
              json_object_set_string_member (c, "asker_kind", "citizen");
              json_object_set_string_member (c, "asker_name", name);
              tsu_demo_person_clear (&p);
            }
          else
            {
              json_object_set_string_member (c, "asker_kind", "company");
              json_object_set_string_member (c, "asker_name", PICK (d->rand, companies));
            }
          json_array_add_string_element (topics, questions[q][0]);
          if (g_rand_int_range (d->rand, 0, 4) == 0 && g_strcmp0 (questions[q][0], "助成金") != 0)
            json_array_add_string_element (topics, "助成金");
          json_object_set_array_member (c, "topics", topics);
          json_object_set_string_member (c, "question", questions[q][1]);
          json_object_set_string_member (c, "answer", PICK (d->rand, answers));
          json_object_set_int_member (c, "minutes", 10 + 5 * g_rand_int_range (d->rand, 0, 9));
          json_object_set_string_member (c, "staff", PICK (d->rand, staff));
          if (g_rand_int_range (d->rand, 0, 8) == 0)
            json_object_set_string_member (c, "referred_to", PICK (d->rand, referrals));
          /* Some need a call back: the last weeks' ones are still open. */
          if (g_rand_int_range (d->rand, 0, 10) == 0)
            {
              GDate            due = day;
              gint             age = g_date_days_between (&day, d->today);
              g_autofree char *iso = NULL;

              g_date_add_days (&due, 7);
              iso = tsu_date_to_iso (&due);
              json_object_set_string_member (c, "follow_up_on", iso);
              json_object_set_string_member (c, "follow_up", age < 21 ? "pending" : "done");
            }
          else
            json_object_set_string_member (c, "follow_up", "none");
          if (!insert (store, "consultations", c, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

static const struct
{
  const char *title, *kind, *audience;
  int         day_offset, hour, capacity, fee;
} events[] = {
  { "はじめての団体運営講座", "management", "団体の役員・これから始める方", -200, 14, 30, 0 },
  { "会計・税務の基礎講座", "management", "団体の会計担当", -160, 10, 24, 500 },
  { "市民活動リーダー養成講座（第1回）", "leader", "市民活動に関心のある方", -120, 13, 20, 0 },
  { "市民活動団体 交流会", "exchange", "登録団体・市民", -90, 18, 40, 0 },
  { "協働事業 報告会", "joint_report", "登録団体・市職員", -60, 14, 60, 0 },
  { "市職員向け 協働研修", "staff", "市職員", -30, 10, 25, 0 },
  { "SNS広報講座", "management", "団体の広報担当", 3, 14, 12, 0 },
  { "市民活動リーダー養成講座（第2回）", "leader", "市民活動に関心のある方", 10, 13, 20, 0 },
  { "助成金申請書の書き方講座", "management", "登録団体", 24, 10, 30, 0 },
  { "年度末 団体交流会", "exchange", "登録団体・市民", 45, 18, 50, 500 },
};

static gboolean
demo_events (TsuStore *store, Demo *d, GError **error)
{
  for (guint e = 0; e < G_N_ELEMENTS (events); e++)
    {
      JsonObject      *ev = json_object_new ();
      GDate            day = *d->today;
      gboolean         past = events[e].day_offset < 0;
      g_autofree char *start = NULL, *end = NULL, *id = NULL;
      int              wanted;

      if (past)
        g_date_subtract_days (&day, -events[e].day_offset);
      else
        g_date_add_days (&day, events[e].day_offset);
      start = g_strdup_printf ("%04d-%02d-%02dT%02d:00", g_date_get_year (&day),
                               g_date_get_month (&day), g_date_get_day (&day), events[e].hour);
      end = g_strdup_printf ("%04d-%02d-%02dT%02d:00", g_date_get_year (&day),
                             g_date_get_month (&day), g_date_get_day (&day), events[e].hour + 2);
      json_object_set_string_member (ev, "title", events[e].title);
      json_object_set_string_member (ev, "kind", events[e].kind);
      json_object_set_string_member (ev, "audience", events[e].audience);
      json_object_set_int_member (ev, "capacity", events[e].capacity);
      json_object_set_int_member (ev, "fee", events[e].fee);
      json_object_set_string_member (ev, "start_at", start);
      json_object_set_string_member (ev, "end_at", end);
      json_object_set_string_member (ev, "place",
                                     e % 3 == 0 ? "センター 多目的室" : "センター 会議室A");
      if (past)
        {
          int answers = events[e].capacity / 2;

          json_object_set_int_member (ev, "survey_responses", answers);
          json_object_set_int_member (ev, "survey_total",
                                      answers * 4 - g_rand_int_range (d->rand, 0, answers));
        }
      if (!insert (store, "events", ev, &id, error))
        return FALSE;
      /* The first upcoming one is full, with people waiting. */
      wanted = e == 6 ? events[e].capacity + 3
                      : events[e].capacity * g_rand_int_range (d->rand, 55, 95) / 100;
      for (int r = 0; r < wanted; r++)
        {
          JsonObject      *reg = json_object_new ();
          TsuDemoPerson    p = { 0 };
          g_autofree char *name = NULL, *kana = NULL, *at = NULL;
          GDate            when = day;

          tsu_demo_person (d->rand, &p);
          name = g_strdup_printf ("%s %s", p.family_name, p.given_name);
          kana = g_strdup_printf ("%s%s", p.family_kana, p.given_kana);
          g_date_subtract_days (&when, 30 - r % 25);
          at = g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", g_date_get_year (&when),
                                g_date_get_month (&when), g_date_get_day (&when), 9 + r % 8,
                                (r * 7) % 60);
          json_object_set_string_member (reg, "event_id", id);
          json_object_set_string_member (reg, "name", name);
          json_object_set_string_member (reg, "name_kana", kana);
          json_object_set_string_member (reg, "registered_at", at);
          if (r % 3 != 2)
            {
              json_object_set_string_member (reg, "kind", "member");
              json_object_set_string_member (
                  reg, "group_id",
                  tsu_record_get_string (group_at (d, g_rand_int_range (d->rand, 0, 60)), "id"));
            }
          else
            json_object_set_string_member (reg, "kind", "citizen");
          json_object_set_string_member (reg, "state",
                                         r < events[e].capacity ? "registered" : "waiting");
          json_object_set_string_member (reg, "attendance",
                                         !past || r >= events[e].capacity        ? "unknown"
                                         : g_rand_int_range (d->rand, 0, 8) == 0 ? "absent"
                                                                                 : "present");
          tsu_demo_person_clear (&p);
          if (!insert (store, "registrations", reg, NULL, error))
            return FALSE;
        }
    }
  return TRUE;
}

static const char *const purposes[] = {
  "子ども食堂の食材の融通", "合同の清掃活動",   "イベントの共催",     "活動場所の共有",
  "チラシの相互配布",       "見守り活動の連携", "寄付物品の受け渡し", "ボランティアの紹介",
};

static const char *const outcomes[] = {
  "毎月の合同活動が始まった",
  "秋のイベントを共催した",
  "情報交換を続けている",
  NULL,
};

static gboolean
network (TsuStore *store, Demo *d, GError **error)
{
  int   fy = tsu_fiscal_year (d->today);
  guint n = MIN (d->groups->len, 120);

  /* Introductions among the first groups (the most active), some to companies
   * and the city; the rest of the register stays unconnected. */
  for (guint i = 0; i < 70 && n > 1; i++)
    {
      JsonObject      *c = json_object_new ();
      guint            a = g_rand_int_range (d->rand, 0, n);
      int              kind = g_rand_int_range (d->rand, 0, 10);
      int              year = fy - g_rand_int_range (d->rand, 0, 2);
      g_autofree char *on = g_strdup_printf ("%04d-%02d-%02d", year + (i % 12 >= 9),
                                             (i % 12 + 3) % 12 + 1, 1 + i % 27);
      const char      *outcome;
      GDate            check;

      /* Never in the future of the demo's day. */
      if (tsu_date_from_iso (on, &check) && g_date_compare (&check, d->today) > 0)
        {
          g_free (on);
          on = g_strdup_printf ("%04d-%02d-%02d", fy, 4 + i % 3, 1 + i % 27);
        }
      json_object_set_string_member (c, "group_id", tsu_record_get_string (group_at (d, a), "id"));
      if (kind < 6)
        {
          guint b = (a + 1 + g_rand_int_range (d->rand, 0, 12)) % n;

          json_object_set_string_member (c, "partner_kind", "group");
          json_object_set_string_member (c, "partner_group_id",
                                         tsu_record_get_string (group_at (d, b), "id"));
        }
      else if (kind < 8)
        {
          json_object_set_string_member (c, "partner_kind", "company");
          json_object_set_string_member (c, "partner_name", PICK (d->rand, companies));
        }
      else
        {
          json_object_set_string_member (c, "partner_kind", "city");
          json_object_set_string_member (c, "partner_name", PICK (d->rand, departments));
        }
      json_object_set_string_member (c, "purpose", PICK (d->rand, purposes));
      json_object_set_string_member (c, "introduced_by", PICK (d->rand, staff));
      json_object_set_string_member (c, "introduced_on", on);
      outcome = PICK (d->rand, outcomes);
      if (outcome)
        json_object_set_string_member (c, "outcome", outcome);
      if (!insert (store, "connections", c, NULL, error))
        return FALSE;
    }
  for (guint p = 0; p < 6; p++)
    {
      JsonObject      *j = json_object_new ();
      JsonArray       *ids = json_array_new ();
      g_autofree char *from = g_strdup_printf ("%04d-04-01", fy - (p % 2));
      g_autofree char *to = g_strdup_printf ("%04d-03-31", fy + 1 - (p % 2));
      g_autofree char *title = g_strdup_printf ("%s 協働事業", departments[p]);

      guint first = g_rand_int_range (d->rand, 0, n);

      /* Neighbours in the register: never the same group twice. */
      for (guint k = 0; k < MIN (2 + p % 3, n); k++)
        json_array_add_string_element (
            ids, tsu_record_get_string (group_at (d, (first + k * 7) % n), "id"));
      json_object_set_string_member (j, "title", title);
      json_object_set_string_member (j, "department", departments[p]);
      json_object_set_array_member (j, "group_ids", ids);
      json_object_set_string_member (j, "period_from", from);
      json_object_set_string_member (j, "period_to", to);
      if (!insert (store, "joint_projects", j, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
populate_txn (TsuStore *store, gpointer data, GError **error)
{
  Demo *d = data;

  return consultations (store, d, error) && demo_events (store, d, error)
         && network (store, d, error);
}

gboolean
tsu_demo_populate_counter (TsuStore *store, GRand *rand, const GDate *today, GError **error)
{
  g_autoptr (GPtrArray) groups = NULL;
  Demo d = { rand, today, NULL };

  /* Registered groups, in a fixed order: the most active are the first. */
  groups = tsu_store_find (store, "groups", "registered_on IS NOT NULL AND withdrawn_on IS NULL",
                           NULL, "registration_number, rowid", 0, error);
  if (groups == NULL)
    return FALSE;
  if (groups->len == 0)
    return TRUE;
  d.groups = groups;
  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, populate_txn, &d, error);
}
