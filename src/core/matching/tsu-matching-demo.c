/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo volunteers, requests and matches: fictitious people of Omuta (names
 * from tsu-demo.c's common parts, phones 090-0000-xxxx, e-mail at
 * example.jp), requests from the demo's groups, and matches in every state.
 * The same seed and day give the same data. Also what the matching bench
 * fills its database with. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-centre.h"
#include "tsu-date.h"
#include "tsu-demo.h"
#include "tsu-matching.h"
#include "tsu-record.h"
#include "tsu-slots.h"

#define PICK(rand, array) (&(array)[g_rand_int_range ((rand), 0, G_N_ELEMENTS (array))])

/* Omuta's 校区 (as tsu-demo.c names them) with plausible neighbours. */
static const struct
{
  const char *name;
  const char *near[4];
} districts[] = {
  { "中友", { "天領", "明治", "平原", NULL } }, { "天領", { "中友", "大正", "白川", NULL } },
  { "明治", { "中友", "天の原", NULL } },       { "大正", { "天領", "銀水", NULL } },
  { "天の原", { "明治", "羽山台", NULL } },     { "平原", { "中友", "吉野", NULL } },
  { "銀水", { "大正", "白川", "手鎌", NULL } }, { "羽山台", { "天の原", "駛馬", NULL } },
  { "吉野", { "平原", "上内", "倉永", NULL } }, { "駛馬", { "羽山台", "三池", NULL } },
  { "白川", { "天領", "銀水", NULL } },         { "三池", { "駛馬", "米生", "みなと", NULL } },
  { "米生", { "三池", "玉川", NULL } },         { "玉川", { "米生", "高取", NULL } },
  { "高取", { "玉川", "倉永", NULL } },         { "上内", { "吉野", NULL } },
  { "手鎌", { "銀水", "笹原", NULL } },         { "笹原", { "手鎌", "みなと", NULL } },
  { "倉永", { "吉野", "高取", NULL } },         { "みなと", { "三池", "笹原", NULL } },
};

static const char *const skills[] = {
  "調理師",       "介護福祉士", "保育士",   "看護師",   "手話",   "普通自動車免許",
  "救命講習修了", "写真撮影",   "パソコン", "書道",     "英語",   "日本語教師",
  "防災士",       "傾聴",       "音響",     "大工仕事", "ピアノ", "運転（マイクロバス）",
};

static const char *const tags[]
    = { "災害ボランティア経験", "傾聴講座修了", "学生", "企業ボランティア" };

/* What groups ask for, with the fields and the skill it needs. */
static const struct
{
  const char *title;
  int         field;
  const char *skill;
  const char *place; /* %s: the 校区 */
} works[] = {
  { "子ども食堂の配膳", 13, "調理師", "%s校区公民館" },
  { "高齢者サロンの話し相手", 1, "傾聴", "%s校区公民館" },
  { "公園の清掃", 7, NULL, "%s校区の公園" },
  { "災害ボランティアセンターの受付", 8, "パソコン", "大牟田市民活動サポートセンター" },
  { "夏祭りの駐車場整理", 3, NULL, "%s小学校グラウンド" },
  { "日本語教室の補助", 11, "日本語教師", "%s校区公民館" },
  { "障害者スポーツ大会の運営補助", 6, NULL, "市民体育館" },
  { "図書館での読み聞かせ", 13, NULL, "市立図書館" },
  { "防災訓練の炊き出し", 8, "調理師", "%s小学校体育館" },
  { "海岸の清掃活動", 7, NULL, "%s校区の海岸" },
  { "認知症カフェの運営補助", 1, "介護福祉士", "%s校区公民館" },
  { "音楽イベントの音響", 6, "音響", "文化会館" },
  { "学習支援教室の補助", 13, NULL, "%s校区公民館" },
  { "パソコン講座の講師補助", 14, "パソコン", "大牟田市民活動サポートセンター" },
  { "一人暮らし高齢者の見守り訪問", 9, NULL, "%s校区" },
  { "花壇の植え替え", 3, NULL, "%s校区の花壇" },
  { "手話通訳の補助", 1, "手話", "市民活動サポートセンター" },
  { "送迎の運転", 1, "普通自動車免許", "%s校区" },
};

static const char *const coordinators[] = { "コーディネーター 松尾", "コーディネーター 堤" };

typedef struct
{
  char    *id;
  guint32  avail;
  int      fy;
  gboolean active;
  gboolean minor_without_consent;
  gboolean busy; /* already confirmed for an open request */
} DemoVolunteer;

typedef struct
{
  GRand       *rand;
  const GDate *today;
  guint        n_volunteers;
  guint        n_open;
  GPtrArray   *groups; /* ids */
  GArray      *people; /* DemoVolunteer */
  guint        serial[16];
} Demo;

static void
clear_person (gpointer data)
{
  g_free (((DemoVolunteer *)data)->id);
}

static char *
iso (const GDate *d)
{
  return tsu_date_to_iso (d);
}

static GDate
shifted (const GDate *today, int days)
{
  GDate d = *today;

  if (days >= 0)
    g_date_add_days (&d, days);
  else
    g_date_subtract_days (&d, -days);
  return d;
}

/* Weekends and evenings are when most people can help. */
static JsonArray *
availability (GRand *rand, guint32 *mask)
{
  JsonArray *a = json_array_new ();
  int        n = g_rand_int_range (rand, 2, 8);

  *mask = 0;
  for (int i = 0; i < n; i++)
    {
      int day = g_rand_int_range (rand, 0, 10);
      int part = g_rand_int_range (rand, 0, 3);
      int k;

      day = day >= 7 ? 5 + (day - 7) % 2 : day; /* extra weight on 土日 */
      k = day * TSU_N_PARTS + part;
      if (*mask & (1u << k))
        continue;
      *mask |= 1u << k;
      json_array_add_string_element (a, tsu_slot_choices[k].code);
    }
  return a;
}

static JsonArray *
pick_strings (GRand *rand, const char *const *list, guint n_list, int max)
{
  JsonArray *a = json_array_new ();
  int        n = g_rand_int_range (rand, 0, max + 1);
  guint32    seen = 0;

  for (int i = 0; i < n; i++)
    {
      guint k = g_rand_int_range (rand, 0, n_list);

      if (seen & (1u << k))
        continue;
      seen |= 1u << k;
      json_array_add_string_element (a, list[k]);
    }
  return a;
}

static gboolean
add_volunteer (TsuStore *store, Demo *d, guint serial, GError **error)
{
  GRand *rand = d->rand;
  g_autoptr (JsonObject) v = json_object_new ();
  TsuDemoPerson    p = { 0 };
  int              fy = tsu_fiscal_year (d->today);
  int              reg_fy = fy - g_rand_int_range (rand, 0, 8);
  int              age = g_rand_int_range (rand, 0, 100) < 4 ? g_rand_int_range (rand, 15, 18)
                                                             : g_rand_int_range (rand, 18, 83);
  int              roll = g_rand_int_range (rand, 0, 100);
  g_autofree char *postal = NULL;
  g_autofree char *address = tsu_demo_address (rand, &postal);
  g_autofree char *phone = tsu_demo_phone (rand, TRUE);
  g_autofree char *email = g_strdup_printf ("v%05u@example.jp", serial);
  g_autofree char *number = NULL;
  g_autofree char *registered = NULL;
  g_autofree char *expires = NULL;
  JsonArray       *fields = json_array_new ();
  guint32          mask = 0;
  DemoVolunteer    dv = { 0 };
  GDate            first, last;
  guint            slot;

  tsu_demo_person (rand, &p);
  json_object_set_string_member (v, "family_name", p.family_name);
  json_object_set_string_member (v, "given_name", p.given_name);
  json_object_set_string_member (v, "family_kana", p.family_kana);
  json_object_set_string_member (v, "given_kana", p.given_kana);
  tsu_demo_person_clear (&p);

  /* Registration numbers per 年度, as the counter gives them. */
  slot = (guint)CLAMP (fy - reg_fy, 0, 15);
  number = g_strdup_printf ("%d-%03u", reg_fy, ++d->serial[slot]);
  json_object_set_string_member (v, "registration_number", number);
  tsu_fiscal_year_range (reg_fy, &first, &last);
  g_date_add_days (&first, g_rand_int_range (rand, 0, 300));
  registered = iso (&first);
  json_object_set_string_member (v, "registered_on", registered);
  /* Valid three 年度; most renew, some lapsed (a few long ago). */
  tsu_fiscal_year_range (g_rand_int_range (rand, 0, 100) < 85 ? MAX (reg_fy + 2, fy)
                                                              : reg_fy + 2 - (roll < 5 ? 6 : 0),
                         &first, &last);
  expires = iso (&last);
  json_object_set_string_member (v, "expires_on", expires);

  if (g_rand_int_range (rand, 0, 100) < 75)
    {
      g_autofree char *born
          = g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (d->today) - age - 1,
                             g_rand_int_range (rand, 1, 13), g_rand_int_range (rand, 1, 29));
      json_object_set_string_member (v, "birth_date", born);
    }
  else
    {
      g_autofree char *band = g_strdup_printf ("%d", MIN (80, age / 10 * 10));
      json_object_set_string_member (v, "age_band", band);
    }
  json_object_set_string_member (v, "phone", phone);
  if (g_rand_int_range (rand, 0, 100) < 70)
    json_object_set_string_member (v, "email", email);
  json_object_set_string_member (v, "postal_code", postal);
  json_object_set_string_member (v, "address", address);
  json_object_set_string_member (v, "school_district", PICK (rand, districts)->name);
  if (g_rand_int_range (rand, 0, 100) < 40)
    {
      g_autofree char *emergency = tsu_demo_phone (rand, FALSE);
      g_autofree char *text = g_strdup_printf ("家族 %s", emergency);
      json_object_set_string_member (v, "emergency_contact", text);
    }
  {
    static const int common[] = { 1, 1, 1, 2, 3, 3, 6, 7, 8, 13, 13, 11, 9, 14 };
    guint32          seen = 0;
    int              n = g_rand_int_range (rand, 1, 4);

    for (int i = 0; i < n; i++)
      {
        int f = *PICK (rand, common);
        if (!(seen & (1u << f)))
          json_array_add_int_element (fields, f);
        seen |= 1u << f;
      }
  }
  json_object_set_array_member (v, "fields", fields);
  if (g_rand_int_range (rand, 0, 100) < 12)
    json_object_set_array_member (v, "tags", pick_strings (rand, tags, G_N_ELEMENTS (tags), 1));
  json_object_set_array_member (v, "availability", availability (rand, &mask));
  json_object_set_array_member (v, "skills", pick_strings (rand, skills, G_N_ELEMENTS (skills), 3));
  dv.fy = roll < 72 ? fy : roll < 88 ? fy - 1 : 0;
  if (dv.fy > 0)
    {
      json_object_set_int_member (v, "insurance_fiscal_year", dv.fy);
      json_object_set_string_member (v, "insurance_plan",
                                     g_rand_int_range (rand, 0, 4) ? "基本プランA" : "天災プランB");
    }
  if (age < 18)
    {
      if (g_rand_int_range (rand, 0, 100) < 70)
        json_object_set_string_member (v, "guardian_consent_on", registered);
      else
        dv.minor_without_consent = TRUE;
    }
  if (g_rand_int_range (rand, 0, 100) < 60)
    {
      json_object_set_string_member (v, "contact_consent_on", registered);
      json_object_set_string_member (v, "contact_consent_purpose",
                                     "活動依頼をした団体への連絡先の紹介");
      json_object_set_string_member (v, "contact_consent_by", *PICK (rand, coordinators));
    }
  roll = g_rand_int_range (rand, 0, 100);
  json_object_set_string_member (v, "status",
                                 roll < 86   ? "active"
                                 : roll < 94 ? "paused"
                                             : "withdrawn");
  if (g_rand_int_range (rand, 0, 100) < 5)
    json_object_set_string_member (v, "notes", "平日は午後3時以降に連絡希望。");

  dv.id = tsu_store_insert (store, "volunteers", v, error);
  if (dv.id == NULL)
    return FALSE;
  dv.avail = mask;
  dv.active = roll < 86 && g_date_compare (&last, d->today) >= 0;
  g_array_append_val (d->people, dv);
  return TRUE;
}

/* A request of a demo group (or a person asking at the counter), open, in
 * the past, or filled. */
static JsonObject *
make_request (Demo *d, int first_day, gboolean open)
{
  GRand           *rand = d->rand;
  JsonObject      *r = json_object_new ();
  guint            w = g_rand_int_range (rand, 0, G_N_ELEMENTS (works));
  const char      *district = PICK (rand, districts)->name;
  g_autofree char *place = g_strdup_printf (works[w].place, district);
  GDate            from = shifted (d->today, first_day);
  g_autofree char *from_iso = iso (&from);
  int              kind = g_rand_int_range (rand, 0, 10);
  JsonArray       *fields = json_array_new ();

  json_object_set_string_member (r, "title", works[w].title);
  if (d->groups->len > 0 && g_rand_int_range (rand, 0, 100) < 85)
    json_object_set_string_member (
        r, "group_id", g_ptr_array_index (d->groups, g_rand_int_range (rand, 0, d->groups->len)));
  else
    {
      TsuDemoPerson    p = { 0 };
      g_autofree char *name = NULL;
      g_autofree char *phone = tsu_demo_phone (rand, FALSE);

      tsu_demo_person (rand, &p);
      name = g_strdup_printf ("%s %s", p.family_name, p.given_name);
      json_object_set_string_member (r, "requester_name", name);
      json_object_set_string_member (r, "requester_phone", phone);
      tsu_demo_person_clear (&p);
    }
  json_object_set_string_member (r, "school_district", district);
  json_object_set_string_member (r, "place", place);
  json_object_set_string_member (r, "date_from", from_iso);
  if (kind < 6)
    {
      json_object_set_string_member (r, "schedule", "once");
      json_object_set_string_member (r, "slot",
                                     tsu_part_choices[g_rand_int_range (rand, 0, 2)].code);
    }
  else if (kind < 8)
    {
      GDate            to = from;
      g_autofree char *to_iso = NULL;

      g_date_add_days (&to, g_rand_int_range (rand, 3, 21));
      to_iso = iso (&to);
      json_object_set_string_member (r, "schedule", "window");
      json_object_set_string_member (r, "date_to", to_iso);
      json_object_set_string_member (r, "slot",
                                     tsu_part_choices[g_rand_int_range (rand, 0, 3)].code);
    }
  else
    {
      GDate            to = from;
      g_autofree char *to_iso = NULL;
      JsonArray       *weekly = json_array_new ();
      /* The weekday of the first day, and sometimes one more. */
      int wd = g_date_get_weekday (&from) - 1;

      g_date_add_months (&to, g_rand_int_range (rand, 1, 6));
      to_iso = iso (&to);
      json_array_add_string_element (
          weekly, tsu_slot_choices[wd * TSU_N_PARTS + g_rand_int_range (rand, 0, 3)].code);
      json_object_set_string_member (r, "schedule", "weekly");
      json_object_set_string_member (r, "date_to", to_iso);
      json_object_set_array_member (r, "weekly_slots", weekly);
    }
  json_object_set_int_member (r, "people_needed", g_rand_int_range (rand, 1, 7));
  if (works[w].skill)
    {
      JsonArray *s = json_array_new ();
      json_array_add_string_element (s, works[w].skill);
      json_object_set_array_member (r, "skills_needed", s);
    }
  json_array_add_int_element (fields, works[w].field);
  json_object_set_array_member (r, "fields", fields);
  if (open)
    {
      GDate            by = from;
      g_autofree char *by_iso = NULL;

      g_date_subtract_days (&by, g_rand_int_range (rand, 1, 10));
      by_iso = iso (&by);
      json_object_set_string_member (r, "deadline", by_iso);
    }
  return r;
}

/* A volunteer who could do @r (for realism, not the matcher's full rules),
 * or -1. */
static int
pick_volunteer (Demo *d, JsonObject *r, gboolean open, gboolean for_confirmed)
{
  TsuSchedule s;
  gboolean    any;
  guint32     need;
  int         fy;

  if (!tsu_schedule_from_record (r, &s))
    return -1;
  need = tsu_schedule_needed_mask (&s, &any);
  fy = tsu_fiscal_year (&s.first);
  for (int tries = 0; tries < 400; tries++)
    {
      guint          k = g_rand_int_range (d->rand, 0, d->people->len);
      DemoVolunteer *p = &g_array_index (d->people, DemoVolunteer, k);

      if (!p->active || p->minor_without_consent || (for_confirmed && p->busy)
          || (open && p->fy != fy) || !(any ? (p->avail & need) != 0 : (p->avail & need) == need))
        continue;
      return (int)k;
    }
  return -1;
}

static gboolean
add_match (TsuStore   *store,
           Demo       *d,
           const char *request_id,
           int         person,
           const char *state,
           int         days_ago,
           GError    **error)
{
  g_autoptr (JsonObject) m = json_object_new ();
  GDate            on = shifted (d->today, -days_ago);
  g_autofree char *on_iso = iso (&on);
  g_autofree char *id = NULL;
  DemoVolunteer   *p = &g_array_index (d->people, DemoVolunteer, person);

  json_object_set_string_member (m, "request_id", request_id);
  json_object_set_string_member (m, "volunteer_id", p->id);
  json_object_set_string_member (m, "state", state);
  json_object_set_string_member (m, "state_on", on_iso);
  json_object_set_string_member (m, "staff", *PICK (d->rand, coordinators));
  if (g_str_equal (state, "declined"))
    json_object_set_string_member (m, "note", "都合がつかないとのこと。");
  id = tsu_store_insert (store, "matches", m, error);
  return id != NULL;
}

static const char *const open_states[]
    = { "suggested", "proposed", "contacted", "consented", "confirmed", "declined", "cancelled" };
static const char *const past_states[]
    = { "completed", "completed", "completed", "no_show", "cancelled" };

static gboolean
populate_txn (TsuStore *store, gpointer data, GError **error)
{
  Demo *d = data;
  guint n_past = MAX (d->n_open * 2 / 3, 1);

  for (guint i = 0; i < d->n_volunteers; i++)
    if (!add_volunteer (store, d, i, error))
      return FALSE;

  /* Past requests first: 完了 work makes the scores' history. */
  for (guint i = 0; i < n_past + d->n_open; i++)
    {
      gboolean open = i >= n_past;
      int      first_day
          = open ? g_rand_int_range (d->rand, 2, 75) : -g_rand_int_range (d->rand, 7, 400);
      g_autoptr (JsonObject) r = make_request (d, first_day, open);
      gint64           needed = 1;
      guint            confirmed = 0;
      int              n;
      g_autofree char *id = NULL;
      g_autofree char *number
          = g_strdup_printf ("R%d-%03u", tsu_fiscal_year (d->today) - (open ? 0 : 1), i + 1);

      tsu_record_get_int (r, "people_needed", &needed);
      json_object_set_string_member (r, "number", number);
      json_object_set_string_member (
          r, "status",
          open ? "open" : (g_rand_int_range (d->rand, 0, 12) == 0 ? "cancelled" : "closed"));
      id = tsu_store_insert (store, "requests", r, error);
      if (id == NULL)
        return FALSE;
      if (d->people->len == 0)
        continue;
      n = g_rand_int_range (d->rand, open ? 0 : 1, 6);
      for (int k = 0; k < n; k++)
        {
          /* Every state appears among the first open requests. */
          const char *state = open ? (i - n_past < G_N_ELEMENTS (open_states) && k == 0
                                          ? open_states[i - n_past]
                                          : *PICK (d->rand, open_states))
                                   : *PICK (d->rand, past_states);
          gboolean    confirms = g_str_equal (state, "confirmed");
          int         person;

          /* Open requests keep people missing, so the queue has work. */
          if (confirms && confirmed + 1 >= needed && needed > 1)
            state = "consented", confirms = FALSE;
          person = pick_volunteer (d, r, open, confirms);
          if (person < 0)
            continue;
          if (!add_match (store, d, id, person, state,
                          open ? g_rand_int_range (d->rand, 0, 10) : -first_day, error))
            {
              /* A person picked twice for one request: keep going. */
              if (error && *error && (*error)->domain == TSU_STORE_ERROR
                  && (*error)->code == TSU_STORE_ERROR_RULE)
                {
                  g_clear_error (error);
                  continue;
                }
              return FALSE;
            }
          if (confirms)
            {
              g_array_index (d->people, DemoVolunteer, person).busy = TRUE;
              confirmed++;
            }
        }
    }
  return TRUE;
}

/**
 * tsu_demo_populate_matching:
 * @n_volunteers: about 1,500 for the demo
 * @n_open: open requests (about 60); two thirds as many past ones come with
 *   them
 *
 * Fills volunteers, requests (of the groups already there) and matches in
 * every state, in one transaction; sets the centre's 校区 list and their
 * neighbours when unset.
 */
gboolean
tsu_demo_populate_matching (TsuStore    *store,
                            GRand       *rand,
                            guint        n_volunteers,
                            guint        n_open,
                            const GDate *today,
                            GError     **error)
{
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) people = g_array_new (FALSE, TRUE, sizeof (DemoVolunteer));
  g_autoptr (JsonNode) have = tsu_centre_get (store, TSU_CENTRE_SCHOOL_DISTRICTS);
  Demo d = { rand, today, n_volunteers, n_open, ids, people };

  g_array_set_clear_func (people, clear_person);
  if (have == NULL)
    {
      g_autoptr (JsonNode) list = json_node_new (JSON_NODE_ARRAY);
      g_autoptr (JsonNode) near = json_node_new (JSON_NODE_OBJECT);
      g_autoptr (JsonArray) a = json_array_new ();
      g_autoptr (JsonObject) o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (districts); i++)
        {
          JsonArray *n = json_array_new ();

          json_array_add_string_element (a, districts[i].name);
          for (guint k = 0; districts[i].near[k]; k++)
            json_array_add_string_element (n, districts[i].near[k]);
          json_object_set_array_member (o, districts[i].name, n);
        }
      json_node_set_array (list, a);
      json_node_set_object (near, o);
      if (!tsu_centre_set (store, TSU_CENTRE_SCHOOL_DISTRICTS, list, error)
          || !tsu_centre_set (store, "school_district_neighbours", near, error))
        return FALSE;
    }
  groups = tsu_store_find (store, "groups", "registration_number IS NOT NULL", NULL, "rowid", 400,
                           error);
  if (groups == NULL)
    return FALSE;
  for (guint i = 0; i < groups->len; i++)
    g_ptr_array_add (ids, g_strdup (tsu_record_get_string (g_ptr_array_index (groups, i), "id")));
  return tsu_store_transaction (store, TSU_ORIGIN_IMPORT, populate_txn, &d, error);
}
