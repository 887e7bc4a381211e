/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Equipment and rooms, core: no double booking (same start, touching ends,
 * the buffer, several days, rooms, stock), due dates across holidays,
 * closures and 年末年始, lapsed groups refused, the printer's fee, overdue,
 * lending and return with damage, two writers at once, the report. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tsu-centre.h"
#include "tsu-date.h"
#include "tsu-equipment.h"
#include "tsu-store.h"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
  GDate     today;
  char     *group;
  char     *projector;
  char     *room;
} Fixture;

static JsonObject *
json (const char *text)
{
  g_autoptr (JsonNode) n = json_from_string (text, NULL);

  g_assert_nonnull (n);
  return json_object_ref (json_node_get_object (n));
}

static char *
add (TsuStore *store, const char *collection, const char *fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json (fields);
  char *id = tsu_store_insert (store, collection, o, &error);

  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-equipment-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_date_clear (&f->today, 1);
  g_date_set_dmy (&f->today, 1, 12, 2026);
  f->group = add (f->store, "groups",
                  "{\"name\":\"白川読み聞かせの会\",\"name_kana\":\"シラカワヨミキカセノカイ\","
                  "\"registration_number\":\"2026-001\",\"registered_on\":\"2026-04-10\","
                  "\"valid_fiscal_year\":2026,\"contact_phone\":\"0944-00-1111\"}");
  f->projector = add (f->store, "resources",
                      "{\"kind\":\"item\",\"name\":\"プロジェクター\",\"control_number\":\"PJ-01\","
                      "\"status\":\"available\",\"max_loan_days\":7,\"fee_kind\":\"free\","
                      "\"accessories\":[\"電源コード\",\"リモコン\"]}");
  f->room = add (f->store, "resources",
                 "{\"kind\":\"room\",\"name\":\"会議室A\",\"status\":\"available\","
                 "\"fee_kind\":\"per_slot\",\"fee\":500,\"capacity\":30}");
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
  g_free (f->path);
  g_free (f->group);
  g_free (f->projector);
  g_free (f->room);
}

static char *
book (Fixture *f, const char *resource, const char *start, const char *due, GError **error)
{
  g_autoptr (JsonObject) o = json_object_new ();

  json_object_set_string_member (o, "resource_id", resource);
  json_object_set_string_member (o, "group_id", f->group);
  json_object_set_string_member (o, "start_at", start);
  if (due)
    json_object_set_string_member (o, "due_at", due);
  return tsu_booking_book (f->store, o, &f->today, error);
}

static void
expect_clash (Fixture *f, const char *resource, const char *start, const char *due)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = book (f, resource, start, due, &error);

  g_assert_null (id);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  /* The message names the clash: which group, when. */
  g_assert_nonnull (strstr (error->message, "白川読み聞かせの会"));
}

static void
expect_ok (Fixture *f, const char *resource, const char *start, const char *due)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = book (f, resource, start, due, &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static void
test_overlaps (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  expect_ok (f, f->projector, "2026-12-05T10:00", "2026-12-07T17:00");
  /* Same start; inside; over both ends. */
  expect_clash (f, f->projector, "2026-12-05T10:00", "2026-12-05T12:00");
  expect_clash (f, f->projector, "2026-12-06T09:00", "2026-12-06T12:00");
  expect_clash (f, f->projector, "2026-12-04T09:00", "2026-12-08T12:00");
  /* Touching ends are fine. */
  expect_ok (f, f->projector, "2026-12-07T17:00", "2026-12-08T10:00");
  expect_ok (f, f->projector, "2026-12-04T09:00", "2026-12-05T10:00");
  /* A buffer between loans: 30 minutes. */
  g_assert_true (tsu_centre_set_int (f->store, TSU_CENTRE_BOOKING_BUFFER, 30, &error));
  expect_clash (f, f->projector, "2026-12-08T10:20", "2026-12-08T12:00");
  expect_ok (f, f->projector, "2026-12-08T10:30", "2026-12-08T12:00");

  /* Rooms by their hours: the morning and the afternoon of one day. */
  expect_ok (f, f->room, "2026-12-10T09:00", "2026-12-10T12:00");
  expect_ok (f, f->room, "2026-12-10T13:00", "2026-12-10T17:00");
  expect_clash (f, f->room, "2026-12-10T11:00", "2026-12-10T14:00");

  /* Cancelled bookings free the time. */
  {
    g_autofree char *id = book (f, f->room, "2026-12-11T09:00", "2026-12-11T12:00", &error);

    g_assert_no_error (error);
    g_assert_true (tsu_booking_cancel (f->store, id, &error));
    expect_ok (f, f->room, "2026-12-11T09:00", "2026-12-11T12:00");
  }

  /* Stock: two chairs sets may go out at once, not three. */
  {
    g_autofree char *chairs = add (f->store, "resources",
                                   "{\"kind\":\"item\",\"name\":\"折りたたみ椅子（10脚）\","
                                   "\"status\":\"available\",\"stock\":2}");

    expect_ok (f, chairs, "2026-12-12T09:00", "2026-12-12T17:00");
    expect_ok (f, chairs, "2026-12-12T09:00", "2026-12-12T17:00");
    expect_clash (f, chairs, "2026-12-12T12:00", "2026-12-12T13:00");
  }
}

static void
due_is (Fixture *f, JsonObject *resource, const char *start, const char *want)
{
  g_autofree char *due = tsu_booking_propose_due (f->store, resource, start);

  g_assert_cmpstr (due, ==, want);
}

/* Due dates from the longest loan, moved past closed days. */
static void
test_due_dates (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) pj = json ("{\"max_loan_days\":7}");
  g_autoptr (JsonObject) onsite = json ("{\"onsite_only\":true,\"close_time\":\"21:00\"}");
  g_autoptr (JsonNode) closures
      = json_from_string ("[[\"2026-12-29\",\"2027-01-03\"],\"2027-02-16\"]", NULL);
  g_autoptr (JsonNode) mondays = json_from_string ("[1]", NULL);

  /* A plain week. */
  due_is (f, pj, "2026-12-01T10:00", "2026-12-08T10:00");
  /* 2027-01-11 is 成人の日 (a 国民の祝日): the next day. */
  due_is (f, pj, "2027-01-04T10:00", "2027-01-12T10:00");
  /* 振替休日: 2026-05-06 (Wednesday) follows 憲法記念日 on a Sunday. */
  due_is (f, pj, "2026-04-29T10:00", "2026-05-07T10:00");
  /* Closures (年末年始) and a single closed day. */
  g_assert_true (tsu_centre_set (f->store, TSU_CENTRE_CLOSURES, closures, &error));
  due_is (f, pj, "2026-12-22T10:00", "2027-01-04T10:00");
  due_is (f, pj, "2027-02-09T10:00", "2027-02-17T10:00");
  /* Closed on Mondays: 2027-01-04 is a Monday. */
  g_assert_true (tsu_centre_set (f->store, TSU_CENTRE_CLOSED_WEEKDAYS, mondays, &error));
  due_is (f, pj, "2026-12-22T10:00", "2027-01-05T10:00");
  /* Used in the centre only: back the same day, by closing time. */
  due_is (f, onsite, "2026-12-03T10:00", "2026-12-03T21:00");

  /* A booking cannot start on a closed day. */
  {
    g_autofree char *id = book (f, f->projector, "2027-01-04T10:00", NULL, &error);

    g_assert_null (id);
    g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON);
  }
}

/* A group must be registered for the whole loan. */
static void
test_lapsed_group (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) renew = json ("{\"valid_fiscal_year\":2027}");

  f->today.julian_days = 0;
  g_date_set_dmy (&f->today, 1, 3, 2027);
  id = book (f, f->projector, "2027-03-25T10:00", "2027-04-05T10:00", &error);
  g_assert_null (id);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "白川読み聞かせの会"));
  g_clear_error (&error);
  /* Within its 年度, fine; once renewed, across the 年度 too. */
  g_free (book (f, f->projector, "2027-03-10T10:00", "2027-03-17T10:00", &error));
  g_assert_no_error (error);
  g_assert_true (tsu_store_update (f->store, "groups", f->group, renew, &error));
  id = book (f, f->projector, "2027-03-25T10:00", "2027-04-05T10:00", &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);
}

/* Lending, return with damage (the item goes to 修理中), the printer's fee
 * from its counters, overdue. */
static void
test_lend_return (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *printer = add (f->store, "resources",
                                  "{\"kind\":\"item\",\"name\":\"輪転機\",\"status\":\"available\","
                                  "\"is_printer\":true,\"master_fee\":50,\"print_fee\":2,"
                                  "\"fee_kind\":\"per_3h\",\"fee\":300,\"onsite_only\":true,"
                                  "\"master_count\":100,\"print_count\":1000}");
  g_autofree char *b1 = book (f, printer, "2026-12-03T10:00", "2026-12-03T15:00", &error);
  g_autofree char *b2 = NULL;
  g_autoptr (JsonObject) out = json ("{\"masters_out\":100,\"prints_out\":1000}");
  g_autoptr (JsonObject) in
      = json ("{\"masters_in\":103,\"prints_in\":1250,\"condition\":\"good\"}");
  g_autoptr (JsonObject) damaged
      = json ("{\"condition\":\"damaged\",\"damage_note\":\"レンズに傷\","
              "\"accessories_in\":[\"電源コード\"]}");
  g_autoptr (JsonObject) row = NULL;
  gint64 fee = -1;

  g_assert_no_error (error);
  g_assert_false (tsu_booking_return (f->store, b1, "2026-12-03T14:00", in, &fee, &error));
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (tsu_booking_lend (f->store, b1, "2026-12-03T10:05", out, &error));
  g_assert_true (tsu_booking_return (f->store, b1, "2026-12-03T14:00", in, &fee, &error));
  g_assert_no_error (error);
  /* 4 hours: two 3-hour blocks (600) + 3 masters (150) + 250 prints (500). */
  g_assert_cmpint (fee, ==, 600 + 150 + 500);
  row = tsu_store_get (f->store, "resources", printer, NULL);
  g_assert_cmpint (json_object_get_int_member (row, "master_count"), ==, 103);
  g_assert_cmpint (json_object_get_int_member (row, "print_count"), ==, 1250);
  g_clear_pointer (&row, json_object_unref);

  /* The projector comes back damaged: 修理中, and not lent again. */
  b2 = book (f, f->projector, "2026-12-04T10:00", "2026-12-06T10:00", &error);
  g_assert_true (tsu_booking_lend (f->store, b2, "2026-12-04T10:00", NULL, &error));
  {
    TsuDeskDay day;

    /* Overdue once its due time has passed. */
    g_assert_true (tsu_equipment_desk_day (f->store, "2026-12-07T09:00", &day, &error));
    g_assert_cmpuint (json_array_get_length (day.overdue), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (day.overdue, 0),
                                                    "contact_phone"),
                     ==, "0944-00-1111");
    tsu_desk_day_clear (&day);
    g_assert_true (tsu_equipment_desk_day (f->store, "2026-12-06T09:00", &day, &error));
    g_assert_cmpuint (json_array_get_length (day.overdue), ==, 0);
    g_assert_cmpuint (json_array_get_length (day.coming_back), ==, 1);
    tsu_desk_day_clear (&day);
  }
  g_assert_true (tsu_booking_return (f->store, b2, "2026-12-07T10:00", damaged, &fee, &error));
  g_assert_no_error (error);
  row = tsu_store_get (f->store, "resources", f->projector, NULL);
  g_assert_cmpstr (json_object_get_string_member (row, "status"), ==, "repair");
  {
    g_autofree char *b3 = book (f, f->projector, "2026-12-10T10:00", NULL, &error);

    g_assert_null (b3);
    g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_UNAVAILABLE);
  }
}

/* Two desks' writers (two store connections in two threads) try to lend
 * the same item for the same time: exactly one wins. */
typedef struct
{
  Fixture *f;
  gboolean ok;
  char    *message;
} Racer;

static gpointer
race (gpointer data)
{
  Racer *r = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (r->f->path, &error);
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *id = NULL;

  g_assert_no_error (error);
  json_object_set_string_member (o, "resource_id", r->f->projector);
  json_object_set_string_member (o, "group_id", r->f->group);
  json_object_set_string_member (o, "start_at", "2026-12-19T10:00");
  json_object_set_string_member (o, "due_at", "2026-12-19T16:00");
  id = tsu_booking_book (store, o, &r->f->today, &error);
  r->ok = id != NULL;
  if (error)
    r->message = g_strdup (error->message);
  return NULL;
}

static void
test_two_writers (Fixture *f, gconstpointer data)
{
  for (int round = 0; round < 10; round++)
    {
      Racer    a = { f }, b = { f };
      GThread *ta, *tb;
      g_autoptr (GError) error = NULL;
      g_autoptr (JsonObject) move = json ("{\"state\":\"cancelled\"}");

      ta = g_thread_new ("a", race, &a);
      tb = g_thread_new ("b", race, &b);
      g_thread_join (ta);
      g_thread_join (tb);
      g_assert_true (a.ok != b.ok);
      g_assert_nonnull (strstr (a.ok ? b.message : a.message, "プロジェクター"));
      g_free (a.message);
      g_free (b.message);
      /* Free the day for the next round. */
      {
        TsuDeskDay day;
        g_assert_true (tsu_equipment_desk_day (f->store, "2026-12-19T09:00", &day, &error));
        g_assert_cmpuint (json_array_get_length (day.going_out), ==, 1);
        g_assert_true (tsu_booking_cancel (
            f->store,
            json_object_get_string_member (json_array_get_object_element (day.going_out, 0), "id"),
            &error));
        tsu_desk_day_clear (&day);
      }
    }
}

static void
test_report (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autofree char *text = NULL;
  GDate            from, to;

  g_free (book (f, f->room, "2026-12-10T13:00", "2026-12-10T17:00", &error));
  g_free (book (f, f->projector, "2026-12-02T10:00", NULL, &error));
  g_free (book (f, f->projector, "2027-01-05T10:00", NULL, &error));
  g_assert_no_error (error);
  g_date_clear (&from, 1);
  g_date_clear (&to, 1);
  g_date_set_dmy (&from, 1, 12, 2026);
  g_date_set_dmy (&to, 31, 12, 2026);
  csv = tsu_booking_report (f->store, &from, &to, TSU_CSV_ENCODING_UTF8, NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_true (g_str_has_prefix (text, "予約番号,種別,名称,管理番号,団体登録番号,団体名,開始,"
                                         "終了,返却日時,状態,料金\r\n"));
  /* In start order; the January one is not in December's report. */
  g_assert_true (strstr (text, "プロジェクター") < strstr (text, "会議室A"));
  g_assert_nonnull (strstr (text, "2026-12-02 10:00,2026-12-09 10:00"));
  g_assert_null (strstr (text, "2027-01-05"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/equipment/overlaps", test_overlaps);
  ADD ("/equipment/due-dates", test_due_dates);
  ADD ("/equipment/lapsed-group", test_lapsed_group);
  ADD ("/equipment/lend-return", test_lend_return);
  ADD ("/equipment/two-writers", test_two_writers);
  ADD ("/equipment/report", test_report);
#undef ADD

  return g_test_run ();
}
