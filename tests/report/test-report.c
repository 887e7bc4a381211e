/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 年度 report's figures against a small centre counted by hand (every
 * expected number below is worked out in the comment beside the fixture),
 * and against the demo data counted here in C without SQL. */
#include "config.h"

#include <math.h>
#include <glib/gstdio.h>

#include "tsu-demo.h"
#include "tsu-group.h"
#include "tsu-report.h"
#include "tsu-store-private.h"
#include "tsu-equipment.h"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
} Fixture;

static char *
insert (TsuStore *store, const char *collection, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = tsu_store_insert (store, collection, json_node_get_object (node), &error);
  if (error)
    g_printerr ("%s: %s\n", json, error->message);
  g_assert_no_error (error);
  return id;
}

static void
update (TsuStore *store, const char *collection, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);

  g_assert_no_error (error);
  g_assert_true (tsu_store_update (store, collection, id, json_node_get_object (node), &error));
  g_assert_no_error (error);
}

/* Sets what the write path stamps with the clock (when a request was
 * entered, when it became 充足) to the days the fixture needs. */
static void
exec (Fixture *f, const char *sql)
{
  sqlite3 *db = tsu_store_get_db (f->store);

  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-report-XXXXXX", NULL);
  f->path = g_build_filename (f->dir, "centre.sqlite3", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->store);
  for (const char *const *p = (const char *const[]){ "", "-wal", "-shm", NULL }; *p; p++)
    {
      g_autofree char *file = g_strconcat (f->path, *p, NULL);
      g_remove (file);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

#define G(...) "{\"name\":" __VA_ARGS__ "}"

/* The small centre. Periods: 2026年度 (2026-04-01..2027-03-31) and the
 * 2025年度 before it. */
static void
populate (Fixture *f)
{
  TsuStore        *s = f->store;
  g_autofree char *g1 = NULL, *g2 = NULL, *g3 = NULL, *g4 = NULL, *g5 = NULL, *g6 = NULL;
  g_autofree char *v1 = NULL, *v2 = NULL, *v3 = NULL, *v4 = NULL, *v5 = NULL, *v6 = NULL,
                  *v7 = NULL, *v8 = NULL;
  g_autofree char *r1 = NULL, *r2 = NULL, *r3 = NULL, *r4 = NULL, *r5 = NULL;
  g_autofree char *p = NULL, *room = NULL, *pg1 = NULL, *pg2 = NULL, *pg3 = NULL;
  g_autofree char *e1 = NULL, *e2 = NULL;
  g_autofree char *sql = NULL;

  /* Groups. End of 2026年度: G1 (valid 2026: 更新待ち), G2 registered;
   * G3 valid to 2025 lapsed on 2026-04-01; G4 withdrew 2026-09-30.
   * End of 2025年度: G1, G3, G4. */
  g1 = insert (s, "groups",
               "{\"name\":\"有明子ども食堂\",\"name_kana\":\"アリアケコドモショクドウ\","
               "\"legal_form\":\"NPO法人\",\"fields\":[1,3],\"members_total\":12,"
               "\"registered_on\":\"2024-06-01\",\"valid_fiscal_year\":2026,"
               "\"registration_number\":\"2024-001\"}");
  g2 = insert (s, "groups",
               "{\"name\":\"駛馬体操クラブ\",\"name_kana\":\"ハヤメタイソウクラブ\","
               "\"legal_form\":\"任意団体\",\"fields\":[1],\"members_total\":4,"
               "\"registered_on\":\"2026-05-10\",\"valid_fiscal_year\":2026,"
               "\"registration_number\":\"2026-001\"}");
  g3 = insert (s, "groups",
               "{\"name\":\"三池環境の会\",\"name_kana\":\"ミイケカンキョウノカイ\","
               "\"legal_form\":\"任意団体\",\"fields\":[7],\"members_total\":25,"
               "\"registered_on\":\"2023-04-10\",\"valid_fiscal_year\":2025,"
               "\"registration_number\":\"2023-001\"}");
  g4 = insert (s, "groups",
               "{\"name\":\"まちづくり研究会\",\"name_kana\":\"マチヅクリケンキュウカイ\","
               "\"legal_form\":\"一般社団法人\",\"fields\":[3,13],\"members_total\":60,"
               "\"registered_on\":\"2025-07-01\",\"valid_fiscal_year\":2026,"
               "\"withdrawn_on\":\"2026-09-30\",\"registration_number\":\"2025-001\"}");
  g5 = insert (s, "groups",
               "{\"name\":\"申請中の会\",\"name_kana\":\"シンセイチュウノカイ\","
               "\"applied_on\":\"2026-12-01\",\"fields\":[1]}");
  g6 = insert (s, "groups",
               "{\"name\":\"消した会\",\"name_kana\":\"ケシタカイ\",\"fields\":[1],"
               "\"registered_on\":\"2025-04-01\",\"valid_fiscal_year\":2026}");
  g_assert_true (tsu_store_delete (s, "groups", g6, NULL));

  /* Volunteers. End of 2026年度 (2027-03-31): V1 V2 V5 V6 V7 V8 (V3
   * expired 2026-12-31, V4 withdrew). End of 2025年度: V1 V3 V5. */
  v1 = insert (s, "volunteers",
               "{\"family_name\":\"古賀\",\"registered_on\":\"2025-05-01\",\"expires_on\":"
               "\"2028-03-31\",\"birth_date\":\"1990-06-15\",\"school_district\":\"駛馬\","
               "\"fields\":[1,2],\"status\":\"active\"}");
  v2 = insert (s, "volunteers",
               "{\"family_name\":\"田中\",\"registered_on\":\"2026-06-01\",\"age_band\":\"60\","
               "\"school_district\":\"駛馬\",\"fields\":[1]}");
  v3 = insert (s, "volunteers",
               "{\"family_name\":\"松尾\",\"registered_on\":\"2024-04-01\",\"expires_on\":"
               "\"2026-12-31\",\"birth_date\":\"2000-04-01\",\"school_district\":\"三池\","
               "\"fields\":[3]}");
  v4 = insert (s, "volunteers",
               "{\"family_name\":\"中村\",\"registered_on\":\"2026-10-01\",\"status\":"
               "\"withdrawn\",\"fields\":[1]}");
  v5 = insert (s, "volunteers",
               "{\"family_name\":\"井上\",\"registered_on\":\"2025-09-01\",\"birth_date\":"
               "\"1950-01-01\",\"school_district\":\"駛馬\",\"fields\":[1]}");
  v6 = insert (s, "volunteers",
               "{\"family_name\":\"森\",\"registered_on\":\"2026-04-10\",\"school_district\":"
               "\"駛馬\",\"fields\":[2]}");
  v7 = insert (s, "volunteers",
               "{\"family_name\":\"林\",\"registered_on\":\"2026-04-10\",\"school_district\":"
               "\"駛馬\",\"fields\":[2]}");
  v8 = insert (s, "volunteers",
               "{\"family_name\":\"山口\",\"registered_on\":\"2026-08-01\",\"age_band\":\"20\","
               "\"school_district\":\"三池\",\"fields\":[2]}");

  /* Requests, received on the day entered (Japan time). R1 (2026-05-01)
   * needs 2: V1 confirmed, V2 done → filled, 充足 10 days later. R2
   * cancelled. R3 needs 3, has 1. R4 (2025-06-01) filled after 4 days.
   * R5 entered 2026-03-31T16:00Z = 2026-04-01 01:00 in Japan: 2026年度. */
  r1 = insert (s, "requests",
               "{\"title\":\"子ども食堂の配膳\",\"people_needed\":2,\"fields\":[1],"
               "\"status\":\"open\"}");
  r2 = insert (s, "requests",
               "{\"title\":\"清掃\",\"people_needed\":1,\"fields\":[3],\"status\":\"cancelled\"}");
  r3 = insert (s, "requests",
               "{\"title\":\"祭りの運営\",\"people_needed\":3,\"fields\":[1,3],"
               "\"status\":\"open\"}");
  r4 = insert (s, "requests",
               "{\"title\":\"講座の受付\",\"people_needed\":1,\"fields\":[2],\"status\":\"open\"}");
  r5 = insert (s, "requests",
               "{\"title\":\"夜の見守り\",\"people_needed\":1,\"fields\":[2],\"status\":\"open\"}");
  sql = g_strdup_printf ("{\"request_id\":\"%s\",\"volunteer_id\":\"%s\",\"state\":\"confirmed\","
                         "\"state_on\":\"2026-05-03\"}",
                         r1, v1);
  g_free (insert (s, "matches", sql));
  g_free (sql);
  sql = g_strdup_printf ("{\"request_id\":\"%s\",\"volunteer_id\":\"%s\",\"state\":\"completed\","
                         "\"state_on\":\"2026-05-20\"}",
                         r1, v2);
  g_free (insert (s, "matches", sql));
  g_free (sql);
  sql = g_strdup_printf ("{\"request_id\":\"%s\",\"volunteer_id\":\"%s\",\"state\":\"confirmed\","
                         "\"state_on\":\"2026-09-01\"}",
                         r3, v5);
  g_free (insert (s, "matches", sql));
  g_free (sql);
  sql = g_strdup_printf ("{\"request_id\":\"%s\",\"volunteer_id\":\"%s\",\"state\":\"completed\","
                         "\"state_on\":\"2025-06-10\"}",
                         r4, v1);
  g_free (insert (s, "matches", sql));
  g_free (sql);
  /* A declined one counts nowhere. */
  sql = g_strdup_printf ("{\"request_id\":\"%s\",\"volunteer_id\":\"%s\",\"state\":\"declined\","
                         "\"state_on\":\"2026-09-02\"}",
                         r3, v6);
  g_free (insert (s, "matches", sql));
  g_free (sql);
  update (s, "requests", r1, "{\"status\":\"filled\"}");
  update (s, "requests", r4, "{\"status\":\"filled\"}");
  sql = g_strdup_printf (
      "UPDATE requests SET created_at = CASE id WHEN '%1$s' THEN '2026-05-01T01:00:00.000Z'"
      " WHEN '%2$s' THEN '2026-07-01T01:00:00.000Z' WHEN '%3$s' THEN '2026-08-20T01:00:00.000Z'"
      " WHEN '%4$s' THEN '2025-06-01T01:00:00.000Z' WHEN '%5$s' THEN '2026-03-31T16:00:00.000Z' "
      "END;"
      "UPDATE history SET at = CASE record_id WHEN '%1$s' THEN '2026-05-11T01:00:00.000Z'"
      " ELSE '2025-06-05T01:00:00.000Z' END WHERE collection = 'requests'"
      " AND json_extract(changes, '$.status.new') = 'filled' AND action = 'update';",
      r1, r2, r3, r4, r5);
  exec (f, sql);
  g_free (g_steal_pointer (&sql));

  /* Bookings by G1 (registered throughout). The projector: B1 5/10–5/12
   * (back early: 3 days), B2 6/1–6/3 (3 days), B3 cancelled; 2025: B6
   * 4/5–4/6 (2 days). Room A (12 hours a day): B4 3 hours on 2026-05-20,
   * B5 12 hours on 2025-05-21. */
  p = insert (s, "resources",
              "{\"kind\":\"item\",\"name\":\"プロジェクター\",\"category\":\"映像機器\","
              "\"status\":\"available\",\"max_loan_days\":7}");
  room = insert (s, "resources",
                 "{\"kind\":\"room\",\"name\":\"会議室A\",\"status\":\"available\","
                 "\"open_time\":\"09:00\",\"close_time\":\"21:00\"}");
  sql = g_strdup_printf (
      "[{\"resource_id\":\"%1$s\",\"group_id\":\"%3$s\",\"start_at\":\"2026-05-10T10:00\","
      "\"due_at\":\"2026-05-14T17:00\",\"state\":\"returned\",\"returned_at\":"
      "\"2026-05-12T12:00\",\"condition\":\"good\"},"
      "{\"resource_id\":\"%1$s\",\"group_id\":\"%3$s\",\"start_at\":\"2026-06-01T10:00\","
      "\"due_at\":\"2026-06-03T10:00\",\"state\":\"lent\"},"
      "{\"resource_id\":\"%1$s\",\"group_id\":\"%3$s\",\"start_at\":\"2026-07-01T10:00\","
      "\"due_at\":\"2026-07-02T10:00\",\"state\":\"cancelled\"},"
      "{\"resource_id\":\"%2$s\",\"group_id\":\"%3$s\",\"start_at\":\"2026-05-20T13:00\","
      "\"due_at\":\"2026-05-20T16:00\",\"state\":\"reserved\"},"
      "{\"resource_id\":\"%2$s\",\"group_id\":\"%3$s\",\"start_at\":\"2025-05-21T09:00\","
      "\"due_at\":\"2025-05-21T21:00\",\"state\":\"returned\",\"returned_at\":"
      "\"2025-05-21T21:00\",\"condition\":\"good\"},"
      "{\"resource_id\":\"%1$s\",\"group_id\":\"%3$s\",\"start_at\":\"2025-04-05T10:00\","
      "\"due_at\":\"2025-04-06T10:00\",\"state\":\"returned\",\"returned_at\":"
      "\"2025-04-06T09:00\",\"condition\":\"good\"}]",
      p, room, g1);
  {
    g_autoptr (JsonNode) list = json_from_string (sql, NULL);
    JsonArray *a = json_node_get_array (list);

    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *id
            = tsu_store_insert (s, "bookings", json_array_get_object_element (a, i), &error);
        g_assert_no_error (error);
      }
  }
  g_free (g_steal_pointer (&sql));

  /* Grants. 2026: PG1 (deadline 6/30): G1 awarded 300,000 of 500,000, G2
   * told; PG2 (随時, 対象年度 2026): G1 applied 100,000. 2025: PG3: G3
   * not awarded, applied 200,000. */
  pg1 = insert (s, "programmes",
                "{\"name\":\"地域助成\",\"kind\":\"grant\",\"deadline_on\":\"2026-06-30\"}");
  pg2 = insert (s, "programmes",
                "{\"name\":\"市民活動補助金\",\"kind\":\"subsidy\",\"fiscal_year\":2026,"
                "\"deadline_kind\":\"rolling\"}");
  pg3 = insert (s, "programmes",
                "{\"name\":\"環境助成\",\"kind\":\"grant\",\"deadline_on\":\"2025-10-31\"}");
  sql = g_strdup_printf ("[{\"programme_id\":\"%1$s\",\"group_id\":\"%4$s\",\"state\":\"awarded\","
                         "\"amount_applied\":500000,\"amount_awarded\":300000},"
                         "{\"programme_id\":\"%1$s\",\"group_id\":\"%5$s\",\"state\":\"told\"},"
                         "{\"programme_id\":\"%2$s\",\"group_id\":\"%4$s\",\"state\":\"applied\","
                         "\"amount_applied\":100000},"
                         "{\"programme_id\":\"%3$s\",\"group_id\":\"%6$s\",\"state\":\"rejected\","
                         "\"amount_applied\":200000}]",
                         pg1, pg2, pg3, g1, g2, g3);
  {
    g_autoptr (JsonNode) list = json_from_string (sql, NULL);
    JsonArray *a = json_node_get_array (list);

    for (guint i = 0; i < json_array_get_length (a); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autofree char *id
            = tsu_store_insert (s, "applications", json_array_get_object_element (a, i), &error);
        g_assert_no_error (error);
      }
  }
  g_free (g_steal_pointer (&sql));

  /* Consultations: 2026: 4 (visit 3, phone 1; 設立 2, 助成金 2, 運営 1;
   * April 2, May 2; 150 minutes). 2025: 1 by mail in June, 20 minutes. */
  g_free (insert (s, "consultations",
                  "{\"at\":\"2026-04-15T10:00\",\"channel\":\"visit\",\"topics\":[\"設立\"],"
                  "\"minutes\":30}"));
  g_free (insert (s, "consultations",
                  "{\"at\":\"2026-04-20T10:00\",\"channel\":\"phone\",\"topics\":[\"設立\","
                  "\"助成金\"],\"minutes\":15}"));
  g_free (insert (s, "consultations",
                  "{\"at\":\"2026-05-01T10:00\",\"channel\":\"visit\",\"topics\":[\"助成金\"],"
                  "\"minutes\":45}"));
  g_free (insert (s, "consultations",
                  "{\"at\":\"2026-05-02T10:00\",\"channel\":\"visit\",\"topics\":[\"運営\"],"
                  "\"minutes\":60}"));
  g_free (insert (s, "consultations",
                  "{\"at\":\"2025-06-01T10:00\",\"channel\":\"mail\",\"topics\":[\"設立\"],"
                  "\"minutes\":20}"));

  /* Events: E1 (2026, 団体運営講座): 4 registered, 3 present, 1 cancelled
   * registration. E2 (2025, 交流会): 2 registered, both present. */
  e1 = insert (s, "events",
               "{\"title\":\"会計講座\",\"kind\":\"management\",\"capacity\":10,"
               "\"start_at\":\"2026-06-10T10:00\",\"end_at\":\"2026-06-10T12:00\"}");
  e2 = insert (s, "events",
               "{\"title\":\"交流会\",\"kind\":\"exchange\",\"start_at\":\"2025-11-01T13:00\","
               "\"end_at\":\"2025-11-01T16:00\"}");
  {
    const char *states[][3] = {
      { "1", "registered", "present" }, { "1", "registered", "present" },
      { "1", "registered", "present" }, { "1", "registered", "absent" },
      { "1", "cancelled", "unknown" },  { "2", "registered", "present" },
      { "2", "registered", "present" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (states); i++)
      {
        g_autofree char *j = g_strdup_printf (
            "{\"event_id\":\"%s\",\"kind\":\"citizen\",\"name\":\"参加者%u\",\"state\":\"%s\","
            "\"attendance\":\"%s\"}",
            states[i][0][0] == '1' ? e1 : e2, i, states[i][1], states[i][2]);
        g_free (insert (s, "registrations", j));
      }
  }

  /* Connections: 2026: G1 → G2, G1 → a company; 2025: G3 → the city. A
   * joint project from 2026-04-01. */
  sql = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"group\",\"partner_group_id\":"
                         "\"%s\",\"introduced_on\":\"2026-07-01\"}",
                         g1, g2);
  g_free (insert (s, "connections", sql));
  g_free (sql);
  sql = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"company\",\"partner_name\":"
                         "\"有明電機\",\"introduced_on\":\"2026-08-01\"}",
                         g1);
  g_free (insert (s, "connections", sql));
  g_free (sql);
  sql = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"city\",\"partner_name\":"
                         "\"市民協働課\",\"introduced_on\":\"2025-05-01\"}",
                         g3);
  g_free (insert (s, "connections", sql));
  g_free (sql);
  sql = NULL;
  g_free (
      insert (s, "joint_projects", "{\"title\":\"空き家活用\",\"period_from\":\"2026-04-01\"}"));
}

static void
check_row (TsuReport *r, const char *table, const char *key, double now, double before)
{
  TsuReportTable *t = tsu_report_get_table (r, table);
  TsuReportRow   *row;

  g_assert_nonnull (t);
  row = tsu_report_table_get_row (t, key);
  if (row == NULL)
    g_error ("%s: no row %s", table, key);
  if (fabs (row->value[0] - now) > 0.05 || fabs (row->value[1] - before) > 0.05)
    g_error ("%s/%s: %.2f, %.2f; expected %.2f, %.2f", table, key, row->value[0], row->value[1],
             now, before);
}

static void
check_text (TsuReport *r, const char *table, const char *key, const char *now, const char *before)
{
  TsuReportRow    *row = tsu_report_table_get_row (tsu_report_get_table (r, table), key);
  g_autofree char *a = tsu_report_cell_text (row, 0, TRUE);
  g_autofree char *b = tsu_report_cell_text (row, 1, TRUE);

  if (!g_str_equal (a, now) || !g_str_equal (b, before))
    g_error ("%s/%s shown as %s, %s; expected %s, %s", table, key, a, b, now, before);
}

static void
test_fixture (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuReport) r = NULL;
  GDate d;
  guint open_days = 0;

  populate (f);
  r = tsu_report_compute_fiscal_year (f->store, 2026, &error);
  g_assert_no_error (error);
  g_assert_true (r->whole_year);

  check_row (r, "groups-summary", "registered", 2, 3);
  check_row (r, "groups-summary", "new", 1, 1);
  check_row (r, "groups-summary", "lapsed", 1, 0);
  check_row (r, "groups-summary", "withdrawn", 1, 0);
  check_row (r, "groups-by-field", "1", 2, 1);
  check_row (r, "groups-by-field", "3", 1, 2);
  check_row (r, "groups-by-field", "7", 0, 1);
  check_row (r, "groups-by-field", "13", 0, 1);
  check_row (r, "groups-by-field", "20", 0, 0);
  check_row (r, "groups-by-legal-form", "NPO法人", 1, 1);
  check_row (r, "groups-by-legal-form", "任意団体", 1, 1);
  check_row (r, "groups-by-legal-form", "一般社団法人", 0, 1);
  check_row (r, "groups-by-size", "0", 1, 0);
  check_row (r, "groups-by-size", "10", 1, 1);
  check_row (r, "groups-by-size", "20", 0, 1);
  check_row (r, "groups-by-size", "50", 0, 1);
  /* Groups are not people: a 1 stays a 1. */
  check_text (r, "groups-by-size", "0", "1", "0");

  check_row (r, "volunteers-summary", "registered", 6, 3);
  check_row (r, "volunteers-summary", "new", 5, 2);
  check_row (r, "volunteers-summary", "matched", 3, 1);
  check_row (r, "volunteers-summary", "completed", 1, 1);
  check_row (r, "volunteers-by-field", "1", 3, 2);
  check_row (r, "volunteers-by-field", "2", 4, 1);
  check_row (r, "volunteers-by-field", "3", 0, 1);
  check_row (r, "volunteers-by-age", "30", 1, 1);
  check_row (r, "volunteers-by-age", "20", 1, 1);
  check_row (r, "volunteers-by-age", "60", 1, 0);
  check_row (r, "volunteers-by-age", "70", 1, 1);
  check_row (r, "volunteers-by-age", "", 2, 0);
  check_row (r, "volunteers-by-district", "駛馬", 5, 2);
  check_row (r, "volunteers-by-district", "三池", 1, 1);
  /* People: 1 and 2 are 3未満; with one small cell the next is kept back. */
  check_text (r, "volunteers-by-age", "30", "3未満", "3未満");
  check_text (r, "volunteers-by-age", "40", "0", "0");
  check_text (r, "volunteers-by-district", "三池", "3未満", "3未満");
  check_text (r, "volunteers-by-district", "駛馬", "秘匿", "3未満");
  check_text (r, "volunteers-by-field", "2", "4", "3未満");

  check_row (r, "requests-summary", "received", 4, 1);
  check_row (r, "requests-summary", "filled", 1, 1);
  check_row (r, "requests-summary", "cancelled", 1, 0);
  check_row (r, "requests-summary", "fill-rate", 100.0 / 3, 100);
  check_row (r, "requests-summary", "days-to-fill", 10, 4);
  check_row (r, "requests-by-field", "1", 2, 0);
  check_row (r, "requests-by-field", "2", 1, 1);
  check_row (r, "requests-by-field", "3", 2, 0);

  check_row (r, "bookings-summary", "bookings", 3, 2);
  check_row (r, "bookings-summary", "items", 2, 1);
  check_row (r, "bookings-summary", "rooms", 1, 1);
  check_row (r, "bookings-summary", "days", 6, 2);
  check_row (r, "bookings-summary", "groups", 1, 1);
  check_row (r, "bookings-by-category", "映像機器", 2, 1);
  check_row (r, "bookings-by-category", "room", 1, 1);
  /* May 2026: 3 hours of 12 a day on the days the centre opens. */
  g_date_clear (&d, 1);
  for (g_date_set_dmy (&d, 1, 5, 2026); g_date_get_month (&d) == 5; g_date_add_days (&d, 1))
    if (!tsu_centre_is_closed (f->store, &d))
      open_days++;
  g_assert_cmpuint (open_days, >, 15);
  check_row (r, "room-occupancy", "05", 100.0 * 3 / (12.0 * open_days),
             tsu_report_table_get_row (tsu_report_get_table (r, "room-occupancy"), "05")->value[1]);
  check_row (r, "room-occupancy", "06", 0, 0);
  {
    TsuReportRow *may = tsu_report_table_get_row (tsu_report_get_table (r, "room-occupancy"), "05");
    guint         before = 0;

    for (g_date_set_dmy (&d, 1, 5, 2025); g_date_get_month (&d) == 5; g_date_add_days (&d, 1))
      if (!tsu_centre_is_closed (f->store, &d))
        before++;
    g_assert_cmpfloat_with_epsilon (may->value[1], 100.0 * 12 / (12.0 * before), 0.001);
  }

  check_row (r, "grants-summary", "programmes", 2, 1);
  check_row (r, "grants-summary", "told", 2, 1);
  check_row (r, "grants-summary", "groups", 2, 1);
  check_row (r, "grants-summary", "applied", 2, 1);
  check_row (r, "grants-summary", "awarded", 1, 0);
  check_row (r, "grants-summary", "amount-applied", 600000, 200000);
  check_row (r, "grants-summary", "amount-awarded", 300000, 0);
  check_row (r, "grants-by-stage", "told", 1, 0);
  check_row (r, "grants-by-stage", "applied", 1, 0);
  check_row (r, "grants-by-stage", "awarded", 1, 0);
  check_row (r, "grants-by-stage", "rejected", 0, 1);
  check_row (r, "grants-awarded-by-kind", "grant", 300000, 0);

  check_row (r, "consultations-summary", "total", 4, 1);
  check_row (r, "consultations-summary", "hours", 2.5, 20.0 / 60);
  check_row (r, "consultations-by-topic", "設立", 2, 1);
  check_row (r, "consultations-by-topic", "助成金", 2, 0);
  check_row (r, "consultations-by-topic", "運営", 1, 0);
  check_row (r, "consultations-by-channel", "visit", 3, 0);
  check_row (r, "consultations-by-channel", "phone", 1, 0);
  check_row (r, "consultations-by-channel", "mail", 0, 1);
  check_row (r, "consultations-by-month", "04", 2, 0);
  check_row (r, "consultations-by-month", "05", 2, 0);
  check_row (r, "consultations-by-month", "06", 0, 1);
  check_text (r, "consultations-by-channel", "visit", "秘匿", "0");
  check_text (r, "consultations-by-channel", "phone", "3未満", "0");

  check_row (r, "events-summary", "held", 1, 1);
  check_row (r, "events-summary", "registered", 4, 2);
  check_row (r, "events-summary", "attended", 3, 2);
  check_row (r, "events-summary", "attendance-rate", 75, 100);
  check_row (r, "events-by-kind", "management", 1, 0);
  check_row (r, "events-by-kind", "exchange", 0, 1);
  check_row (r, "attendance-by-kind", "management", 3, 0);
  check_text (r, "attendance-by-kind", "exchange", "0", "3未満");

  check_row (r, "connections-summary", "connections", 2, 1);
  check_row (r, "connections-summary", "groups", 1, 1);
  check_row (r, "connections-summary", "joint-projects", 1, 0);
  check_row (r, "connections-by-partner", "group", 1, 0);
  check_row (r, "connections-by-partner", "company", 1, 0);
  check_row (r, "connections-by-partner", "city", 0, 1);
}

/* A month range: April–May 2026 against April–May 2025. */
static void
test_months (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuReport) r = NULL;
  g_autofree char *label = NULL;
  GDate            a, b;

  populate (f);
  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, 1, 4, 2026);
  g_date_set_dmy (&b, 31, 5, 2026);
  r = tsu_report_compute (f->store, &a, &b, &error);
  g_assert_no_error (error);
  g_assert_false (r->whole_year);
  label = tsu_report_period_label (r, 1, TSU_DATE_STYLE_SEIREKI);
  g_assert_nonnull (strstr (label, "2025"));
  /* Registered on 5/31: G1, G2 (registered 5/10), G3 lapsed, G4. A year
   * before: G1, G3. */
  check_row (r, "groups-summary", "registered", 3, 2);
  check_row (r, "groups-summary", "lapsed", 1, 0);
  check_row (r, "requests-summary", "received", 2, 0);
  check_row (r, "consultations-summary", "total", 4, 0);
  check_row (r, "bookings-summary", "bookings", 2, 2);
  g_assert_cmpuint (tsu_report_get_table (r, "consultations-by-month")->rows->len, ==, 2);

  /* A range over two 年度 is refused. */
  g_date_set_dmy (&b, 1, 4, 2027);
  g_assert_null (tsu_report_compute (f->store, &a, &b, &error));
  g_assert_error (error, TSU_DATE_ERROR, TSU_DATE_ERROR_INVALID);
}

/* The CSV files: one per table, private, with 3未満 as shown. */
static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuReport) r = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *out = g_build_filename (f->dir, "out", NULL);
  g_autofree char *path = NULL, *text = NULL;
  guint            n_tables = 0;
  GStatBuf         st;

  populate (f);
  r = tsu_report_compute_fiscal_year (f->store, 2026, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_mkdir (out, 0700), ==, 0);
  g_assert_true (tsu_report_write_csv (f->store, r, out, TSU_DATE_STYLE_SEIREKI,
                                       TSU_CSV_ENCODING_UTF8_BOM, written, NULL, &error));
  g_assert_no_error (error);
  for (guint i = 0; i < r->sections->len; i++)
    n_tables += ((TsuReportSection *)g_ptr_array_index (r->sections, i))->tables->len;
  g_assert_cmpuint (written->len, ==, n_tables);
  path = g_build_filename (out, "volunteers-by-district.csv", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (text, "三池,3未満,3未満,\r\n"));
  g_assert_nonnull (strstr (text, "駛馬,秘匿,3未満,\r\n"));
  g_assert_nonnull (strstr (text, "2026"));
  for (guint i = 0; i < written->len; i++)
    {
      g_autofree char *file = g_build_filename (out, g_ptr_array_index (written, i), NULL);
      g_remove (file);
    }
  g_rmdir (out);
}

/* The demo centre: group figures counted here from each record with
 * tsu_group_status(), without SQL. */
static void
test_demo (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuReport) r = NULL;
  g_autoptr (GPtrArray) all = NULL;
  GDate first, last, before;
  int   fy;
  guint registered[2] = { 0, 0 }, newly[2] = { 0, 0 }, lapsed[2] = { 0, 0 };
  guint withdrawn[2] = { 0, 0 }, by_field[2][21] = { { 0 } };
  g_autoptr (GHashTable) by_form = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_assert_true (tsu_demo_populate (f->store, 7, &error));
  g_assert_no_error (error);
  tsu_group_today (&first);
  fy = tsu_fiscal_year (&first);
  r = tsu_report_compute_fiscal_year (f->store, fy, &error);
  g_assert_no_error (error);
  all = tsu_store_find (f->store, "groups", "1", NULL, NULL, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, 300);
  for (guint p = 0; p < 2; p++)
    {
      tsu_fiscal_year_range (fy - p, &first, &last);
      before = first;
      g_date_subtract_days (&before, 1);
      for (guint i = 0; i < all->len; i++)
        {
          JsonObject    *g = g_ptr_array_index (all, i);
          TsuGroupStatus end = tsu_group_status (g, &last, TSU_GROUP_DEFAULT_RENEWAL_DAYS);
          TsuGroupStatus start = tsu_group_status (g, &before, TSU_GROUP_DEFAULT_RENEWAL_DAYS);
          gboolean reg = end == TSU_GROUP_STATUS_REGISTERED || end == TSU_GROUP_STATUS_RENEWAL_DUE;
          GDate    d;

          if (reg)
            {
              JsonArray       *fields = json_object_get_array_member (g, "fields");
              const char      *form = tsu_record_get_string (g, "legal_form");
              g_autofree char *key = g_strdup_printf ("%u%s", p, form ? form : "");
              guint           *n = g_hash_table_lookup (by_form, key);

              registered[p]++;
              for (guint j = 0; fields && j < json_array_get_length (fields); j++)
                by_field[p][json_array_get_int_element (fields, j)]++;
              if (n == NULL)
                g_hash_table_insert (by_form, g_steal_pointer (&key), (n = g_new0 (guint, 1)));
              (*n)++;
            }
          if ((start == TSU_GROUP_STATUS_REGISTERED || start == TSU_GROUP_STATUS_RENEWAL_DUE)
              && end == TSU_GROUP_STATUS_LAPSED)
            lapsed[p]++;
          if (tsu_date_from_iso (tsu_record_get_string (g, "registered_on"), &d)
              && g_date_compare (&d, &first) >= 0 && g_date_compare (&d, &last) <= 0)
            newly[p]++;
          if (tsu_date_from_iso (tsu_record_get_string (g, "withdrawn_on"), &d)
              && g_date_compare (&d, &first) >= 0 && g_date_compare (&d, &last) <= 0)
            withdrawn[p]++;
        }
    }
  g_assert_cmpuint (registered[0], >, 100);
  check_row (r, "groups-summary", "registered", registered[0], registered[1]);
  check_row (r, "groups-summary", "new", newly[0], newly[1]);
  check_row (r, "groups-summary", "lapsed", lapsed[0], lapsed[1]);
  check_row (r, "groups-summary", "withdrawn", withdrawn[0], withdrawn[1]);
  for (guint c = 1; c <= 20; c++)
    {
      g_autofree char *key = g_strdup_printf ("%u", c);
      check_row (r, "groups-by-field", key, by_field[0][c], by_field[1][c]);
    }
  for (const char *const *form
       = (const char *const[]){ "任意団体", "NPO法人", "一般社団法人", NULL };
       *form; form++)
    {
      g_autofree char *k0 = g_strdup_printf ("0%s", *form);
      g_autofree char *k1 = g_strdup_printf ("1%s", *form);
      guint *n0 = g_hash_table_lookup (by_form, k0), *n1 = g_hash_table_lookup (by_form, k1);

      check_row (r, "groups-by-legal-form", *form, n0 ? *n0 : 0, n1 ? *n1 : 0);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TSUNAGU_TODAY", "2026-12-01", TRUE);
  g_test_add ("/report/fixture", Fixture, NULL, fixture_setup, test_fixture, fixture_teardown);
  g_test_add ("/report/months", Fixture, NULL, fixture_setup, test_months, fixture_teardown);
  g_test_add ("/report/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/report/demo", Fixture, NULL, fixture_setup, test_demo, fixture_teardown);
  return g_test_run ();
}
