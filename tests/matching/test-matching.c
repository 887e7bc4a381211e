/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Volunteers and matching, core: schedules and their overlaps, each hard
 * filter, the score and its reasons, near misses, and double booking
 * refused inside the write transaction (with the recorded override). */
#define _GNU_SOURCE
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-date.h"
#include "tsu-demo.h"
#include "tsu-disclosure.h"
#include "tsu-matcher.h"
#include "tsu-matching-collections.h"
#include "tsu-matching.h"
#include "tsu-matching-reads.h"
#include "tsu-record-list.h"
#include "tsu-referral.h"
#include "tsu-slots.h"
#include "tsu-store.h"

typedef struct
{
  char     *dir;
  TsuStore *store;
  GDate     today;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsu-matching-XXXXXX", &error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_date_clear (&f->today, 1);
  g_date_set_dmy (&f->today, 1, 12, 2026);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_assert_finalize_object (f->store);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static JsonObject *
json (const char *text)
{
  g_autoptr (JsonNode) n = json_from_string (text, NULL);

  g_assert_nonnull (n);
  return json_object_ref (json_node_get_object (n));
}

static char *
add (Fixture *f, const char *collection, const char *fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json (fields);
  char *id = tsu_store_insert (f->store, collection, o, &error);

  g_assert_no_error (error);
  return id;
}

/* A volunteer insured for 2026年度, free on Saturday mornings and
 * Wednesday afternoons, in the まちづくり and 子ども fields. */
static char *
volunteer (Fixture *f, const char *family, const char *kana, const char *extra)
{
  g_autofree char *fields = g_strdup_printf (
      "{\"family_name\":\"%s\",\"given_name\":\"花子\",\"family_kana\":\"%s\","
      "\"given_kana\":\"ハナコ\",\"status\":\"active\",\"insurance_fiscal_year\":2026,"
      "\"availability\":[\"sat-am\",\"wed-pm\"],\"fields\":[3,13],"
      "\"registration_number\":\"%s\",\"birth_date\":\"1980-05-05\"%s%s}",
      family, kana, kana, extra ? "," : "", extra ? extra : "");

  return add (f, "volunteers", fields);
}

static void
test_schedules (void)
{
  struct
  {
    const char *a, *b;
    gboolean    overlap;
  } cases[] = {
    /* 2026-12-05 is a Saturday. */
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}", TRUE },
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"pm\"}", FALSE },
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"window\",\"date_from\":\"2026-12-01\",\"date_to\":\"2026-12-10\","
      "\"slot\":\"am\"}",
      TRUE },
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"window\",\"date_from\":\"2026-12-06\",\"date_to\":\"2026-12-10\","
      "\"slot\":\"am\"}",
      FALSE },
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"weekly\",\"date_from\":\"2026-11-01\",\"date_to\":\"2027-03-31\","
      "\"weekly_slots\":[\"sat-am\"]}",
      TRUE },
    { "{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"am\"}",
      "{\"schedule\":\"weekly\",\"date_from\":\"2026-11-01\",\"date_to\":\"2027-03-31\","
      "\"weekly_slots\":[\"sun-am\",\"sat-pm\"]}",
      FALSE },
    { "{\"schedule\":\"weekly\",\"date_from\":\"2026-04-01\",\"date_to\":\"2026-06-30\","
      "\"weekly_slots\":[\"mon-night\"]}",
      "{\"schedule\":\"weekly\",\"date_from\":\"2026-06-01\",\"date_to\":\"2026-09-30\","
      "\"weekly_slots\":[\"mon-night\",\"tue-am\"]}",
      TRUE },
    { "{\"schedule\":\"weekly\",\"date_from\":\"2026-04-01\",\"date_to\":\"2026-05-31\","
      "\"weekly_slots\":[\"mon-night\"]}",
      "{\"schedule\":\"weekly\",\"date_from\":\"2026-06-01\",\"date_to\":\"2026-09-30\","
      "\"weekly_slots\":[\"mon-night\"]}",
      FALSE },
    { "{\"schedule\":\"window\",\"date_from\":\"2026-12-01\",\"date_to\":\"2026-12-03\","
      "\"slot\":\"pm\"}",
      "{\"schedule\":\"weekly\",\"date_from\":\"2026-11-01\",\"date_to\":\"2026-12-31\","
      "\"weekly_slots\":[\"wed-pm\"]}",
      TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonObject) a = json (cases[i].a);
      g_autoptr (JsonObject) b = json (cases[i].b);
      TsuSchedule sa, sb;

      g_assert_true (tsu_schedule_from_record (a, &sa));
      g_assert_true (tsu_schedule_from_record (b, &sb));
      if (tsu_schedule_overlaps (&sa, &sb) != cases[i].overlap
          || tsu_schedule_overlaps (&sb, &sa) != cases[i].overlap)
        g_error ("case %u: %s / %s", i, cases[i].a, cases[i].b);
    }
  {
    g_autoptr (JsonArray) slots = NULL;
    g_autofree char *bad = NULL;
    g_autofree char *text = NULL;
    g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);

    g_assert_true (tsu_slots_parse ("月午前 水午後、土夜間", &slots, &bad));
    json_node_set_array (node, slots);
    text = tsu_slots_format (node);
    g_assert_cmpstr (text, ==, "月午前 水午後 土夜間");
    g_assert_false (tsu_slots_parse ("月曜朝", &slots, &bad));
    g_assert_cmpstr (bad, ==, "月曜朝");
  }
}

static char *
request (Fixture *f, const char *extra)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *text = g_strdup_printf (
      "{\"title\":\"子ども食堂の配膳\",\"schedule\":\"once\",\"date_from\":\"2026-12-05\","
      "\"slot\":\"am\",\"people_needed\":2,\"fields\":[13],\"school_district\":\"天領\","
      "\"skills_needed\":[\"調理師\"],\"requester_name\":\"窓口\"%s%s}",
      extra ? "," : "", extra ? extra : "");
  g_autoptr (JsonObject) o = json (text);
  char *id = tsu_request_create (f->store, o, &f->today, &error);

  g_assert_no_error (error);
  return id;
}

static TsuSuggestion *
find (GPtrArray *list, const char *number)
{
  for (guint i = 0; list && i < list->len; i++)
    {
      TsuSuggestion *s = g_ptr_array_index (list, i);
      if (g_strcmp0 (s->registration_number, number) == 0)
        return s;
    }
  return NULL;
}

static gboolean
has_reason (TsuSuggestion *s, const char *part)
{
  for (guint i = 0; s && i < s->reasons->len; i++)
    if (strstr (g_ptr_array_index (s->reasons, i), part))
      return TRUE;
  return FALSE;
}

/* Each hard filter excludes, and says so among the near misses. */
static void
test_filters_and_score (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *req = request (f, NULL);
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GPtrArray) near = NULL;
  g_autofree char *ok1
      = volunteer (f, "青木", "アオキ", "\"school_district\":\"天領\",\"skills\":[\"調理師\"]");
  g_autofree char *ok2 = volunteer (f, "井上", "イノウエ", NULL);
  g_autofree char *paused = volunteer (f, "上田", "ウエダ", "\"status\":\"paused\"");
  g_autofree char *expired = volunteer (f, "江口", "エグチ", "\"expires_on\":\"2026-11-30\"");
  g_autofree char *uninsured = volunteer (f, "大野", "オオノ", "\"insurance_fiscal_year\":2025");
  g_autofree char *busy_hours = volunteer (f, "加藤", "カトウ", "\"availability\":[\"sun-am\"]");
  g_autofree char *minor = volunteer (f, "木村", "キムラ", "\"birth_date\":\"2010-01-01\"");
  g_autofree char *minor_ok = volunteer (
      f, "久保", "クボ", "\"birth_date\":\"2010-01-01\",\"guardian_consent_on\":\"2026-04-01\"");
  g_autofree char *withdrawn = volunteer (f, "小林", "コバヤシ", "\"status\":\"withdrawn\"");

  out = tsu_matcher_suggest (f->store, req, &f->today, 10, &near, &error);
  g_assert_no_error (error);
  g_assert_nonnull (find (out, "アオキ"));
  g_assert_nonnull (find (out, "イノウエ"));
  g_assert_nonnull (find (out, "クボ"));
  g_assert_cmpuint (out->len, ==, 3);
  /* Best first: the same 校区 and the skill needed. */
  g_assert_cmpstr (((TsuSuggestion *)g_ptr_array_index (out, 0))->registration_number, ==,
                   "アオキ");
  g_assert_true (has_reason (find (out, "アオキ"), "天領"));
  g_assert_true (has_reason (find (out, "アオキ"), "調理師"));
  g_assert_true (has_reason (find (out, "イノウエ"), "子どもの健全育成"));
  /* Ties by reading: イノウエ before クボ. */
  g_assert_cmpstr (((TsuSuggestion *)g_ptr_array_index (out, 1))->registration_number, ==,
                   "イノウエ");

  g_assert_true (has_reason (find (near, "ウエダ"), "Paused"));
  g_assert_true (has_reason (find (near, "エグチ"), "expired"));
  g_assert_true (has_reason (find (near, "オオノ"), "Not insured"));
  g_assert_true (has_reason (find (near, "カトウ"), "Not available"));
  g_assert_true (has_reason (find (near, "キムラ"), "guardian"));
  g_assert_null (find (near, "コバヤシ"));
  g_assert_null (find (out, "コバヤシ"));
}

/* Insurance runs 4/1–3/31: a request on 3/31 needs the old 年度's, on 4/1
 * the new one's. */
static void
test_insurance_boundary (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "佐藤", "サトウ", "\"availability\":[\"wed-pm\",\"thu-pm\"]");
  g_autofree char *on_31 = request (f, "\"date_from\":\"2027-03-31\",\"slot\":\"pm\"");
  g_autofree char *on_1 = request (f, "\"date_from\":\"2027-04-01\",\"slot\":\"pm\"");
  g_autoptr (GPtrArray) a = NULL;
  g_autoptr (GPtrArray) b = NULL;
  g_autoptr (GPtrArray) near = NULL;

  a = tsu_matcher_suggest (f->store, on_31, &f->today, 5, NULL, &error);
  g_assert_nonnull (find (a, "サトウ"));
  b = tsu_matcher_suggest (f->store, on_1, &f->today, 5, &near, &error);
  g_assert_null (find (b, "サトウ"));
  g_assert_true (has_reason (find (near, "サトウ"), "2027"));
}

/* Confirming a second overlapping match of one person is refused by the
 * store inside the write transaction, and allowed when a coordinator
 * records why; the request fills up and opens again. */
static void
test_double_booking (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "田中", "タナカ", NULL);
  g_autofree char *r1 = request (f, "\"people_needed\":1");
  g_autofree char *r2 = request (
      f, "\"schedule\":\"weekly\",\"date_from\":\"2026-11-01\",\"date_to\":\"2027-01-31\","
         "\"weekly_slots\":[\"sat-am\"],\"title\":\"毎週の清掃\"");
  g_autofree char *m1 = tsu_match_propose (f->store, r1, v, &f->today, &error);
  g_autofree char *m2 = tsu_match_propose (f->store, r2, v, &f->today, &error);
  g_autofree char *again = NULL;
  g_autoptr (JsonObject) got = NULL;

  g_assert_no_error (error);
  again = tsu_match_propose (f->store, r1, v, &f->today, &error);
  g_assert_error (error, TSU_MATCHING_ERROR, TSU_MATCHING_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_true (tsu_match_set_state (f->store, m1, "confirmed", NULL, NULL, &f->today, &error));
  g_assert_no_error (error);
  got = tsu_store_get (f->store, "requests", r1, NULL);
  g_assert_cmpstr (json_object_get_string_member (got, "status"), ==, "filled");
  g_clear_pointer (&got, json_object_unref);

  g_assert_false (tsu_match_set_state (f->store, m2, "confirmed", NULL, NULL, &f->today, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "子ども食堂の配膳"));
  g_clear_error (&error);
  got = tsu_store_get (f->store, "matches", m2, NULL);
  g_assert_cmpstr (json_object_get_string_member (got, "state"), ==, "proposed");
  g_clear_pointer (&got, json_object_unref);

  /* The matcher knows it too: busy, among the near misses of another
   * request at that time; and not suggested again where already asked. */
  {
    g_autofree char *r3 = request (f, "\"title\":\"三つ目\"");
    g_autoptr (GPtrArray) near = NULL;
    g_autoptr (GPtrArray) out = tsu_matcher_suggest (f->store, r3, &f->today, 5, &near, &error);
    g_autoptr (GPtrArray) near2 = NULL;
    g_autoptr (GPtrArray) out2 = tsu_matcher_suggest (f->store, r2, &f->today, 5, &near2, &error);

    g_assert_null (find (out, "タナカ"));
    g_assert_true (has_reason (find (near, "タナカ"), "子ども食堂の配膳"));
    g_assert_null (find (out2, "タナカ"));
    g_assert_null (find (near2, "タナカ"));
  }

  /* The rare real case: allowed, with the reason kept. */
  g_assert_true (
      tsu_match_set_state (f->store, m2, "confirmed", NULL, "前半だけ参加", &f->today, &error));
  g_assert_no_error (error);
  got = tsu_store_get (f->store, "matches", m2, NULL);
  g_assert_true (json_object_get_boolean_member (got, "override"));
  g_clear_pointer (&got, json_object_unref);

  /* Steps that do not follow are refused; dropping out opens the request. */
  g_assert_false (tsu_match_set_state (f->store, m1, "proposed", NULL, NULL, &f->today, &error));
  g_assert_error (error, TSU_MATCHING_ERROR, TSU_MATCHING_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (tsu_match_set_state (f->store, m1, "cancelled", NULL, NULL, &f->today, &error));
  got = tsu_store_get (f->store, "requests", r1, NULL);
  g_assert_cmpstr (json_object_get_string_member (got, "status"), ==, "open");
}

/* Registration numbers and requests' numbers come in order, per 年度. */
static void
test_numbers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = add (f, "volunteers", "{\"family_name\":\"甲\"}");
  g_autofree char *b = add (f, "volunteers", "{\"family_name\":\"乙\"}");
  g_autofree char *r = request (f, NULL);
  g_autoptr (JsonObject) va = NULL, vb = NULL, rr = NULL;

  g_assert_true (tsu_volunteer_register (f->store, a, &f->today, &error));
  g_assert_true (tsu_volunteer_register (f->store, b, &f->today, &error));
  va = tsu_store_get (f->store, "volunteers", a, NULL);
  vb = tsu_store_get (f->store, "volunteers", b, NULL);
  rr = tsu_store_get (f->store, "requests", r, NULL);
  g_assert_cmpstr (json_object_get_string_member (va, "registration_number"), ==, "2026-001");
  g_assert_cmpstr (json_object_get_string_member (vb, "registration_number"), ==, "2026-002");
  g_assert_cmpstr (json_object_get_string_member (va, "expires_on"), ==, "2029-03-31");
  g_assert_cmpstr (json_object_get_string_member (rr, "number"), ==, "R2026-001");

  /* A volunteer entered at the counter is registered with it. */
  {
    g_autoptr (JsonObject) fields = json ("{\"family_name\":\"丙\"}");
    g_autofree char *c = tsu_volunteer_create (f->store, fields, &f->today, &error);
    g_autoptr (JsonObject) vc = tsu_store_get (f->store, "volunteers", c, NULL);
    g_autoptr (JsonArray) history = tsu_store_get_history (f->store, "volunteers", c, NULL);

    g_assert_no_error (error);
    g_assert_cmpstr (json_object_get_string_member (vc, "registration_number"), ==, "2026-003");
    g_assert_cmpstr (json_object_get_string_member (vc, "status"), ==, "active");
    g_assert_cmpstr (json_object_get_string_member (vc, "registered_on"), ==, "2026-12-01");
    g_assert_cmpuint (json_array_get_length (history), ==, 2);
  }
}

/* The reads behind the page: a request's people, a person's requests, a
 * group's requests, the skills in use. */
static void
test_reads (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "森", "モリ", "\"skills\":[\"調理師\",\"手話\"]");
  g_autofree char *w = volunteer (f, "原", "ハラ", "\"skills\":[\"手話\"]");
  g_autofree char *g = add (f, "groups", "{\"name\":\"天領子ども食堂\"}");
  g_autofree char *extra = g_strdup_printf ("\"group_id\":\"%s\"", g);
  g_autofree char *r = request (f, extra);
  g_autofree char *m = tsu_match_propose (f->store, r, v, &f->today, &error);
  g_autoptr (GPtrArray) a = tsu_matching_request_matches (f->store, r, &error);
  g_autoptr (GPtrArray) b
      = tsu_matching_volunteer_matches (f->store, v, TSU_DATE_STYLE_SEIREKI, &error);
  g_autoptr (GPtrArray) c
      = tsu_matching_group_requests (f->store, g, TSU_DATE_STYLE_SEIREKI, &error);
  g_auto (GStrv) skills = tsu_matching_common_skills (f->store, 10, &error);
  JsonObject *o;

  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 1);
  o = g_ptr_array_index (a, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "name"), ==, "森 花子");
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "proposed");
  g_assert_false (json_object_get_boolean_member (o, "consent"));
  g_assert_cmpuint (b->len, ==, 1);
  o = g_ptr_array_index (b, 0);
  g_assert_cmpstr (json_object_get_string_member (o, "requester"), ==, "天領子ども食堂");
  g_assert_cmpstr (json_object_get_string_member (o, "when"), ==, "2026年12月5日（土） 午前");
  g_assert_cmpuint (c->len, ==, 1);
  o = g_ptr_array_index (c, 0);
  g_assert_cmpint (json_object_get_int_member (o, "confirmed"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (o, "people_needed"), ==, 2);
  g_assert_cmpstr (skills[0], ==, "手話");
  g_assert_cmpstr (skills[1], ==, "調理師");
  g_assert_null (skills[2]);
}

/* A match confirmed over an allowed overlap still holds its person: the
 * matcher does not suggest them for a third overlapping request, which
 * the store would refuse. */
static void
test_override_still_busy (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "田中", "タナカ", NULL);
  g_autofree char *r1 = request (f, "\"people_needed\":1");
  g_autofree char *r2 = request (f, "\"people_needed\":1,\"title\":\"二つ目\"");
  g_autofree char *r3 = request (f, "\"people_needed\":1,\"title\":\"三つ目\"");
  g_autofree char *m1 = tsu_match_propose (f->store, r1, v, &f->today, &error);
  g_autofree char *m2 = tsu_match_propose (f->store, r2, v, &f->today, &error);
  g_autofree char *m3 = tsu_match_propose (f->store, r3, v, &f->today, &error);
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GPtrArray) near = NULL;

  g_assert_no_error (error);
  g_assert_true (tsu_match_set_state (f->store, m1, "confirmed", NULL, NULL, &f->today, &error));
  g_assert_true (
      tsu_match_set_state (f->store, m2, "confirmed", NULL, "前半だけ", &f->today, &error));
  g_assert_no_error (error);
  /* Cancel the first: the overridden one alone still holds the person. */
  g_assert_true (tsu_match_set_state (f->store, m1, "cancelled", NULL, NULL, &f->today, &error));
  {
    g_autofree char *r4 = request (f, "\"title\":\"四つ目\"");
    out = tsu_matcher_suggest (f->store, r4, &f->today, 5, &near, &error);
  }
  g_assert_no_error (error);
  g_assert_null (find (out, "タナカ"));
  g_assert_true (has_reason (find (near, "タナカ"), "二つ目"));
  g_assert_false (tsu_match_set_state (f->store, m3, "confirmed", NULL, NULL, &f->today, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
}

/* A request that names no field still lists its near misses. */
static void
test_near_misses_without_fields (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "大野", "オオノ", "\"insurance_fiscal_year\":2025");
  g_autofree char *r = request (f, "\"fields\":null,\"skills_needed\":null");
  g_autoptr (GPtrArray) near = NULL;
  g_autoptr (GPtrArray) out = tsu_matcher_suggest (f->store, r, &f->today, 5, &near, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 0);
  g_assert_true (has_reason (find (near, "オオノ"), "Not insured"));
}

static char *
bytes_text (GBytes *bytes)
{
  gsize       n;
  const char *p = g_bytes_get_data (bytes, &n);

  /* UTF-8 with BOM */
  g_assert_cmpuint (n, >=, 3);
  g_assert_true (memcmp (p, "\xef\xbb\xbf", 3) == 0);
  return g_strndup (p + 3, n - 3);
}

/* Contact details reach a group only with the person's consent: the 紹介票
 * and the list for the group leave them out, and say so, until it is
 * recorded. */
static void
test_consent_gate (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "森", "モリ",
                                  "\"phone\":\"090-0000-1111\",\"email\":\"mori@example.jp\","
                                  "\"address\":\"大牟田市有明町1-1\"");
  g_autofree char *r = request (f, NULL);
  g_autofree char *m = tsu_match_propose (f->store, r, v, &f->today, &error);
  g_autoptr (TsuReferral) slip = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autofree char *text = NULL;
  g_autoptr (JsonObject) got = NULL;

  g_assert_no_error (error);
  g_assert_true (tsu_match_set_state (f->store, m, "consented", NULL, NULL, &f->today, &error));

  slip = tsu_referral_new (f->store, m, TSU_DATE_STYLE_SEIREKI, &error);
  g_assert_no_error (error);
  g_assert_false (slip->consent);
  g_assert_null (slip->phone);
  g_assert_null (slip->email);
  g_assert_null (slip->address);
  g_assert_cmpstr (slip->volunteer_name, ==, "森 花子");
  g_assert_cmpstr (slip->request_title, ==, "子ども食堂の配膳");
  g_assert_nonnull (strstr (slip->when, "2026年12月5日"));
  g_assert_nonnull (strstr (slip->when, "午前"));
  csv = tsu_referral_group_csv (f->store, r, TSU_CSV_ENCODING_UTF8_BOM, NULL, &error);
  g_assert_no_error (error);
  text = bytes_text (csv);
  g_assert_true (g_str_has_prefix (
      text, "依頼番号,内容,氏名,フリガナ,状態,電話番号,メールアドレス,紹介同意日\r\n"));
  g_assert_nonnull (strstr (text, "森 花子"));
  g_assert_nonnull (strstr (text, "no consent"));
  g_assert_null (strstr (text, "090-0000-1111"));
  g_assert_null (strstr (text, "mori@example.jp"));
  g_clear_pointer (&slip, tsu_referral_free);
  g_clear_pointer (&csv, g_bytes_unref);
  g_clear_pointer (&text, g_free);

  tsu_store_set_author (f->store, "窓口 花子");
  g_assert_true (
      tsu_volunteer_record_consent (f->store, v, "子ども食堂への紹介", &f->today, &error));
  g_assert_no_error (error);
  got = tsu_store_get (f->store, "volunteers", v, NULL);
  g_assert_cmpstr (json_object_get_string_member (got, "contact_consent_on"), ==, "2026-12-01");
  g_assert_cmpstr (json_object_get_string_member (got, "contact_consent_by"), ==, "窓口 花子");
  slip = tsu_referral_new (f->store, m, TSU_DATE_STYLE_SEIREKI, &error);
  g_assert_true (slip->consent);
  g_assert_cmpstr (slip->phone, ==, "090-0000-1111");
  g_assert_cmpstr (slip->email, ==, "mori@example.jp");
  g_assert_cmpstr (slip->consent_purpose, ==, "子ども食堂への紹介");
  csv = tsu_referral_group_csv (f->store, r, TSU_CSV_ENCODING_UTF8_BOM, NULL, &error);
  text = bytes_text (csv);
  g_assert_nonnull (strstr (text, "090-0000-1111"));
  g_assert_nonnull (strstr (text, "2026-12-01"));
  g_assert_null (strstr (text, "no consent"));

  /* A person only asked (打診) is not on the group's list at all. */
  {
    g_autofree char *w = volunteer (f, "原", "ハラ",
                                    "\"contact_consent_on\":\"2026-11-01\","
                                    "\"contact_consent_by\":\"窓口\"");
    g_autofree char *m2 = tsu_match_propose (f->store, r, w, &f->today, &error);
    g_autoptr (GBytes) again
        = tsu_referral_group_csv (f->store, r, TSU_CSV_ENCODING_UTF8_BOM, NULL, &error);
    g_autofree char *t = bytes_text (again);

    g_assert_null (strstr (t, "原 花子"));
  }
}

/* 開示請求: the registration, the matches and the history, in a CSV that
 * holds the person's values. */
static void
test_disclosure (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "森", "モリ", "\"phone\":\"090-0000-2222\"");
  g_autofree char *r = request (f, NULL);
  g_autofree char *m = tsu_match_propose (f->store, r, v, &f->today, &error);
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autofree char *text = NULL;
  g_autofree char *name = NULL;
  g_autoptr (JsonObject) change = json ("{\"phone\":\"090-0000-3333\"}");
  gboolean has_match = FALSE, has_history = FALSE;

  g_assert_true (tsu_store_update (f->store, "volunteers", v, change, &error));
  items = tsu_disclosure_collect (f->store, v, TSU_DATE_STYLE_SEIREKI, &name, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (name, ==, "森 花子");
  for (guint i = 0; i < items->len; i++)
    {
      TsuDisclosureItem *it = g_ptr_array_index (items, i);

      if (strstr (it->label, "子ども食堂の配膳") && strstr (it->value, "Asked"))
        has_match = TRUE;
      if (strstr (it->value, "090-0000-2222 → 090-0000-3333"))
        has_history = TRUE;
    }
  g_assert_true (has_match);
  g_assert_true (has_history);
  csv = tsu_disclosure_csv (items, TSU_CSV_ENCODING_UTF8_BOM, NULL, &error);
  text = bytes_text (csv);
  g_assert_true (g_str_has_prefix (text, "区分,項目,内容\r\n"));
  g_assert_nonnull (strstr (text, "090-0000-3333"));
  g_assert_nonnull (strstr (text, "モリ"));

  g_assert_null (tsu_disclosure_collect (f->store, "nobody", TSU_DATE_STYLE_SEIREKI, NULL, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND);
}

/* 削除請求: the person, their match (with a note naming them) and the
 * earlier values in the history leave no byte of their personal data in
 * the file (after VACUUM); the rows stay for the counts. */
static void
test_erase_on_request (Fixture *f, gconstpointer data)
{
  static const char *const secrets[] = { "轟木",
                                         "トドロキ",
                                         "とどろき",
                                         "090-9876-5432",
                                         "09098765432",
                                         "09011112222",
                                         "todoroki@example.jp",
                                         "不知火町" };
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "轟木", "トドロキ",
                                  "\"phone\":\"090-1111-2222\",\"email\":\"todoroki@example.jp\","
                                  "\"address\":\"大牟田市不知火町1-1\"");
  g_autofree char *r = request (f, NULL);
  g_autofree char *m = tsu_match_propose (f->store, r, v, &f->today, &error);
  g_autoptr (JsonObject) change = json ("{\"phone\":\"090-9876-5432\"}");
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *path = g_build_filename (f->dir, "test.db", NULL);
  guint            n_related = 0;
  sqlite3         *db = NULL;

  g_assert_no_error (error);
  g_assert_true (tsu_store_update (f->store, "volunteers", v, change, &error));
  g_assert_true (tsu_match_set_state (f->store, m, "contacted", "轟木さんから折り返しの電話", NULL,
                                      &f->today, &error));
  g_assert_no_error (error);

  g_assert_true (tsu_volunteer_erase (f->store, v, &n_related, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_related, ==, 1);
  /* The rows stay, for the counts: the match keeps its state. */
  row = tsu_store_get (f->store, "matches", m, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (tsu_record_get_string (row, "state"), ==, "contacted");
  g_assert_null (tsu_record_get_string (row, "note"));
  g_clear_pointer (&row, json_object_unref);
  row = tsu_store_get (f->store, "volunteers", v, &error);
  g_assert_no_error (error);
  g_assert_null (tsu_record_get_string (row, "family_name"));

  g_clear_object (&f->store);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "VACUUM; PRAGMA wal_checkpoint(TRUNCATE);", NULL, NULL, NULL),
                   ==, SQLITE_OK);
  sqlite3_close (db);
  for (guint s = 0; s < 3; s++)
    {
      g_autofree char *p = g_strconcat (path, (const char *[]){ "", "-wal", "-shm" }[s], NULL);
      g_autofree char *bytes = NULL;
      gsize            len = 0;

      if (!g_file_get_contents (p, &bytes, &len, NULL))
        continue;
      for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
        if (memmem (bytes, len, secrets[i], strlen (secrets[i])) != NULL)
          g_error ("%s still holds “%s”", p, secrets[i]);
    }
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
}

static GStrv
list_column (TsuRecordList *list, const char *column)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
    {
      g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
      const char *cell = tsu_record_item_get_cell (item, column);

      g_strv_builder_add (b, cell ? cell : "");
    }
  return g_strv_builder_end (b);
}

/* The list of registrations lapsed more than N years (N a setting), and
 * the insured filter. */
static void
test_lapsed_and_insured (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = volunteer (f, "青木", "アオキ", "\"expires_on\":\"2019-03-31\"");
  g_autofree char *b = volunteer (f, "井上", "イノウエ", "\"expires_on\":\"2023-03-31\"");
  g_autofree char *c = volunteer (f, "上田", "ウエダ", "\"expires_on\":\"2029-03-31\"");
  g_autofree char *d = volunteer (f, "江口", "エグチ", "\"insurance_fiscal_year\":2025");
  const char      *columns[] = { "registration_number", "insured", NULL };
  g_autoptr (TsuRecordList) list
      = tsu_record_list_new (f->store, &tsu_volunteer_collection, columns);
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_volunteer_collection);
  g_auto (GStrv) got = NULL;

  q->today = f->today;
  tsu_record_query_add_filter (q, "lapsed", TSU_FILTER_EQ, "1");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  got = list_column (list, "registration_number");
  /* Five years (the default): only the one that ended in 2019. */
  g_assert_cmpuint (g_strv_length (got), ==, 1);
  g_assert_cmpstr (got[0], ==, "アオキ");
  g_clear_pointer (&got, g_strfreev);
  tsu_record_query_set_param (q, TSU_VOLUNTEER_LAPSED_YEARS, 1);
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  got = list_column (list, "registration_number");
  g_assert_cmpuint (g_strv_length (got), ==, 2);
  g_clear_pointer (&got, g_strfreev);

  tsu_record_query_clear_filters (q);
  tsu_record_query_add_filter (q, "insured", TSU_FILTER_EQ, "0");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  got = list_column (list, "registration_number");
  g_assert_cmpuint (g_strv_length (got), ==, 1);
  g_assert_cmpstr (got[0], ==, "エグチ");
}

/* The queue's 確定/必要 cell follows the matches (the list watches them). */
static void
test_queue_counts (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *v = volunteer (f, "田中", "タナカ", NULL);
  g_autofree char *early = request (f, "\"deadline\":\"2026-12-02\",\"title\":\"早い\"");
  g_autofree char *late = request (f, "\"deadline\":\"2026-12-03\",\"title\":\"遅い\"");
  g_autofree char *m = tsu_match_propose (f->store, late, v, &f->today, &error);
  const char      *columns[] = { "title", "staffing", "missing", NULL };
  g_autoptr (TsuRecordList) list = tsu_record_list_new (f->store, &tsu_request_collection, columns);
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_request_collection);
  g_auto (GStrv) titles = NULL;
  g_auto (GStrv) staffing = NULL;

  tsu_record_query_set_sort (q, "urgency", FALSE);
  tsu_record_query_add_filter (q, "status", TSU_FILTER_EQ, "open");
  tsu_record_list_watch (list, "matches");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  titles = list_column (list, "title");
  g_assert_cmpstr (titles[0], ==, "早い");
  g_assert_cmpstr (titles[1], ==, "遅い");
  staffing = list_column (list, "staffing");
  g_assert_cmpstr (staffing[1], ==, "0/2");
  g_clear_pointer (&staffing, g_strfreev);

  g_assert_true (tsu_match_set_state (f->store, m, "confirmed", NULL, NULL, &f->today, &error));
  staffing = list_column (list, "staffing");
  g_assert_cmpstr (staffing[1], ==, "1/2");
}

static void
test_describe (void)
{
  g_autoptr (JsonObject) once
      = json ("{\"schedule\":\"once\",\"date_from\":\"2026-12-05\",\"slot\":\"pm\"}");
  g_autoptr (JsonObject) weekly
      = json ("{\"schedule\":\"weekly\",\"date_from\":\"2026-11-01\",\"date_to\":\"2027-01-31\","
              "\"weekly_slots\":[\"sat-am\",\"mon-night\"]}");
  g_autoptr (JsonObject) none = json ("{\"schedule\":\"once\"}");
  g_autofree char *a = tsu_schedule_describe (once, TSU_DATE_STYLE_SEIREKI);
  g_autofree char *b = tsu_schedule_describe (weekly, TSU_DATE_STYLE_WAREKI);
  g_autofree char *c = tsu_schedule_describe (none, TSU_DATE_STYLE_SEIREKI);

  g_assert_cmpstr (a, ==, "2026年12月5日（土） 午後");
  g_assert_nonnull (strstr (b, "月夜間 土午前"));
  g_assert_nonnull (strstr (b, "令和8年11月1日"));
  g_assert_cmpstr (c, ==, "");
}

/* The demo: people, open requests, and matches in every state, the same
 * for the same seed; no person confirmed twice at one time. */
static void
test_demo (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GHashTable) states = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) matches = NULL;

  g_assert_true (tsu_demo_populate_groups (f->store, rand, 40, &f->today, &error));
  g_assert_true (tsu_demo_populate_matching (f->store, rand, 300, 30, &f->today, &error));
  g_assert_no_error (error);
  g_assert_cmpint (tsu_store_count (f->store, "volunteers", FALSE, NULL), ==, 300);
  open = tsu_store_find (f->store, "requests", "status = 'open'", NULL, "rowid", 0, &error);
  g_assert_cmpuint (open->len, ==, 30);
  matches = tsu_store_find (f->store, "matches", "1", NULL, "rowid", 0, &error);
  for (guint i = 0; i < matches->len; i++)
    g_hash_table_add (
        states, g_strdup (json_object_get_string_member (g_ptr_array_index (matches, i), "state")));
  for (guint i = 0; tsu_match_states[i].code; i++)
    if (!g_hash_table_contains (states, tsu_match_states[i].code))
      g_error ("no match is %s", tsu_match_states[i].code);
  /* Every open request has suggestions to show. */
  {
    g_autoptr (GPtrArray) out = tsu_matcher_suggest (
        f->store, json_object_get_string_member (g_ptr_array_index (open, 0), "id"), &f->today, 10,
        NULL, &error);
    g_assert_no_error (error);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  g_test_add_func ("/matching/schedules", test_schedules);
  ADD ("/matching/filters-and-score", test_filters_and_score);
  ADD ("/matching/insurance-boundary", test_insurance_boundary);
  ADD ("/matching/double-booking", test_double_booking);
  ADD ("/matching/numbers", test_numbers);
  ADD ("/matching/override-still-busy", test_override_still_busy);
  ADD ("/matching/near-misses-without-fields", test_near_misses_without_fields);
  ADD ("/matching/consent-gate", test_consent_gate);
  ADD ("/matching/disclosure", test_disclosure);
  ADD ("/matching/lapsed-and-insured", test_lapsed_and_insured);
  ADD ("/matching/queue-counts", test_queue_counts);
  ADD ("/matching/demo", test_demo);
  ADD ("/matching/reads", test_reads);
  g_test_add_func ("/matching/describe", test_describe);
  ADD ("/matching/erase-on-request", test_erase_on_request);
#undef ADD

  return g_test_run ();
}
