/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Volunteers and matching, core: schedules and their overlaps, each hard
 * filter, the score and its reasons, near misses, and double booking
 * refused inside the write transaction (with the recorded override). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tsu-date.h"
#include "tsu-matcher.h"
#include "tsu-matching-collections.h"
#include "tsu-matching.h"
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

  /* The matcher knows it too: busy, among the near misses. */
  {
    g_autoptr (GPtrArray) near = NULL;
    g_autoptr (GPtrArray) out = tsu_matcher_suggest (f->store, r2, &f->today, 5, &near, &error);

    g_assert_null (find (out, "タナカ"));
    g_assert_true (has_reason (find (near, "タナカ"), "子ども食堂の配膳"));
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
#undef ADD

  return g_test_run ();
}
