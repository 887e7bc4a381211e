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
#include "tsu-store-private.h"
#include "tsu-equipment-collections.h"
#include "tsu-record-list.h"
#include "tsu-record-query.h"

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

/* Stock counts what is out at once: two loans one after the other take
 * one set each, so a third set fits beside both. */
static void
test_stock_at_once (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *tents = add (f->store, "resources",
                                "{\"kind\":\"item\",\"name\":\"テント\",\"status\":\"available\","
                                "\"stock\":2}");
  g_autoptr (JsonObject) three = json_object_new ();
  g_autofree char *id = NULL;

  expect_ok (f, tents, "2026-12-05T09:00", "2026-12-06T09:00");
  expect_ok (f, tents, "2026-12-07T09:00", "2026-12-08T09:00");
  /* Over both: never more than two out at once. */
  expect_ok (f, tents, "2026-12-05T09:00", "2026-12-08T09:00");
  expect_clash (f, tents, "2026-12-07T12:00", "2026-12-07T13:00");
  /* More than the centre has is refused outright, saying how many. */
  json_object_set_string_member (three, "resource_id", tents);
  json_object_set_string_member (three, "group_id", f->group);
  json_object_set_string_member (three, "start_at", "2026-12-20T09:00");
  json_object_set_string_member (three, "due_at", "2026-12-20T12:00");
  json_object_set_int_member (three, "quantity", 3);
  id = tsu_booking_book (f->store, three, &f->today, &error);
  g_assert_null (id);
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STOCK);
}

/* Rooms go back the same day at the end of their slot, and are booked
 * within their hours. */
static void
test_room_hours (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) room = tsu_store_get (f->store, "resources", f->room, NULL);
  g_autoptr (JsonNode) open = json_from_string ("\"09:00\"", NULL);
  g_autoptr (JsonNode) close = json_from_string ("\"21:00\"", NULL);
  g_autoptr (JsonObject) tea = json ("{\"kind\":\"item\",\"onsite_only\":true}");
  g_autofree char *id = NULL;

  due_is (f, room, "2026-12-03T09:00", "2026-12-03T12:00");
  due_is (f, room, "2026-12-03T13:30", "2026-12-03T17:00");
  due_is (f, room, "2026-12-03T18:00", "2026-12-03T21:00");
  /* Late in the evening, an hour. */
  due_is (f, room, "2026-12-03T21:30", "2026-12-03T22:30");
  /* An item used in the centre, no hours known: by 17:00. */
  due_is (f, tea, "2026-12-03T10:00", "2026-12-03T17:00");

  g_assert_true (tsu_centre_set (f->store, TSU_CENTRE_ROOM_OPEN, open, &error));
  g_assert_true (tsu_centre_set (f->store, TSU_CENTRE_ROOM_CLOSE, close, &error));
  id = book (f, f->room, "2026-12-03T08:00", "2026-12-03T10:00", &error);
  g_assert_null (id);
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HOURS);
  g_assert_nonnull (strstr (error->message, "09:00"));
  g_clear_error (&error);
  id = book (f, f->room, "2026-12-03T19:00", "2026-12-03T22:00", &error);
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HOURS);
  g_clear_error (&error);
  expect_ok (f, f->room, "2026-12-03T18:00", "2026-12-03T21:00");
}

/* Moving a booking checks every rule again; a loan only gets a later due
 * time; cancelling frees the time. */
static void
test_move (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = book (f, f->projector, "2026-12-05T10:00", "2026-12-07T10:00", &error);
  g_autofree char *b = book (f, f->projector, "2026-12-08T10:00", "2026-12-09T10:00", &error);
  g_autoptr (JsonObject) row = NULL;

  g_assert_no_error (error);
  /* Onto the other one: refused, naming it. */
  g_assert_false (
      tsu_booking_move (f->store, b, "2026-12-06T10:00", "2026-12-06T12:00", &f->today, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  g_assert_nonnull (strstr (error->message, "白川読み聞かせの会"));
  g_clear_error (&error);
  /* Beyond the horizon (90 days by default). */
  g_assert_false (
      tsu_booking_move (f->store, b, "2027-06-01T10:00", "2027-06-02T10:00", &f->today, &error));
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON);
  g_clear_error (&error);
  g_assert_true (
      tsu_booking_move (f->store, b, "2026-12-10T10:00", "2026-12-11T10:00", &f->today, &error));
  row = tsu_store_get (f->store, "bookings", b, NULL);
  g_assert_cmpstr (json_object_get_string_member (row, "start_at"), ==, "2026-12-10T10:00");

  /* Out on loan: the due time moves, the start does not. */
  g_assert_true (tsu_booking_lend (f->store, a, "2026-12-05T10:00", NULL, &error));
  g_assert_false (
      tsu_booking_move (f->store, a, "2026-12-04T10:00", "2026-12-07T10:00", &f->today, &error));
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE);
  g_clear_error (&error);
  g_assert_true (tsu_booking_move (f->store, a, NULL, "2026-12-09T10:00", &f->today, &error));
  g_assert_no_error (error);
  /* A returned booking does not move. */
  g_assert_true (tsu_booking_return (f->store, a, "2026-12-09T09:00", NULL, NULL, &error));
  g_assert_false (tsu_booking_move (f->store, a, NULL, "2026-12-10T10:00", &f->today, &error));
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE);
}

/* Lending over the counter: all the items or none; an overdue item is
 * not lent again before it comes back. */
static void
test_lend_now (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *screen
      = add (f->store, "resources",
             "{\"kind\":\"item\",\"name\":\"スクリーン\",\"status\":\"available\","
             "\"max_loan_days\":3}");
  g_autofree char *taken = book (f, screen, "2026-12-02T09:00", "2026-12-04T09:00", &error);
  g_autoptr (JsonObject) common = json_object_new ();
  g_autoptr (JsonArray) items = json_array_new ();
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (JsonObject) item = json_object_new ();
  gint64 before = tsu_store_count (f->store, "bookings", FALSE, NULL);

  json_object_set_string_member (common, "group_id", f->group);
  json_object_set_string_member (common, "contact_name", "古賀 花子");
  json_object_set_string_member (item, "resource_id", f->projector);
  json_array_add_object_element (items, json_object_ref (item));
  json_array_add_object_element (items, json ("{}"));
  json_object_set_string_member (json_array_get_object_element (items, 1), "resource_id", screen);
  /* The screen is booked from tomorrow 9:00: neither goes out. */
  ids = tsu_booking_lend_now (f->store, common, items, "2026-12-01T10:00", &f->today, &error);
  g_assert_null (ids);
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  g_clear_error (&error);
  g_assert_cmpint (tsu_store_count (f->store, "bookings", FALSE, NULL), ==, before);
  /* With the screen back by then, both go out. */
  json_object_set_string_member (json_array_get_object_element (items, 1), "due_at",
                                 "2026-12-02T09:00");
  ids = tsu_booking_lend_now (f->store, common, items, "2026-12-01T10:00", &f->today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  {
    g_autoptr (JsonObject) b = tsu_store_get (f->store, "bookings", ids->pdata[0], NULL);

    g_assert_cmpstr (json_object_get_string_member (b, "state"), ==, "lent");
    g_assert_cmpstr (json_object_get_string_member (b, "due_at"), ==, "2026-12-08T10:00");
  }
  /* The screen is late (overdue): the next group's booking cannot go out. */
  g_assert_false (tsu_booking_lend (f->store, taken, "2026-12-02T09:30", NULL, &error));
  g_assert_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STILL_OUT);
  g_assert_nonnull (strstr (error->message, "白川読み聞かせの会"));
}

/* The rule asked without writing, and the lists pages show. */
static void
test_available_and_lists (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *a = book (f, f->projector, "2026-12-05T10:00", "2026-12-07T10:00", &error);
  g_autoptr (JsonObject) ask = json_object_new ();
  g_autofree char *clash = NULL;
  g_autoptr (GPtrArray) range = NULL;
  g_autoptr (GPtrArray) mine = NULL;
  g_autoptr (GPtrArray) group = NULL;

  json_object_set_string_member (ask, "resource_id", f->projector);
  json_object_set_string_member (ask, "group_id", f->group);
  json_object_set_string_member (ask, "start_at", "2026-12-06T10:00");
  json_object_set_string_member (ask, "due_at", "2026-12-06T12:00");
  g_assert_false (tsu_booking_check_available (f->store, ask, NULL, &clash, &error));
  g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
  g_assert_cmpstr (clash, ==, a);
  g_clear_error (&error);
  /* Itself, being moved, is no clash. */
  g_assert_true (tsu_booking_check_available (f->store, ask, a, NULL, &error));
  g_assert_cmpint (tsu_store_count (f->store, "bookings", FALSE, NULL), ==, 1);

  range = tsu_booking_list_range (f->store, f->projector, "2026-12-06T00:00", "2026-12-13T00:00",
                                  &error);
  g_assert_cmpuint (range->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (range->pdata[0], "holder_name"), ==,
                   "白川読み聞かせの会");
  g_assert_true (tsu_booking_cancel (f->store, a, &error));
  g_clear_pointer (&range, g_ptr_array_unref);
  range = tsu_booking_list_range (f->store, f->projector, "2026-12-06T00:00", "2026-12-13T00:00",
                                  &error);
  g_assert_cmpuint (range->len, ==, 0);
  mine = tsu_booking_list_for_resource (f->store, f->projector, 10, &error);
  g_assert_cmpuint (mine->len, ==, 1);
  group = tsu_booking_list_for_group (f->store, f->group, 0, &error);
  g_assert_cmpuint (group->len, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (group->pdata[0], "resource_name"), ==,
                   "プロジェクター");
}

/* A day @days from @now, moved on (or back) past closed days (holidays). */
static GDateTime *
open_day (Fixture *f, GDateTime *now, int days)
{
  for (;; days += days < 0 ? -1 : 1)
    {
      GDateTime *t = g_date_time_add_days (now, days);
      GDate      d;

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, g_date_time_get_day_of_month (t), g_date_time_get_month (t),
                      g_date_time_get_year (t));
      if (!tsu_centre_is_closed (f->store, &d))
        return t;
      g_date_time_unref (t);
    }
}

/* The inventory's "now" column: out, overdue, booked, under repair. */
static void
test_now_state (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autoptr (GDateTime) past = open_day (f, now, -3);
  g_autoptr (GDateTime) soon = open_day (f, now, 2);
  g_autofree char *past_iso = g_date_time_format (past, "%Y-%m-%dT%H:%M");
  g_autofree char *past_due = g_date_time_format (now, "%Y-%m-%dT00:00");
  g_autofree char *soon_iso = g_date_time_format (soon, "%Y-%m-%dT%H:%M");
  g_autofree char *soon_due = NULL;
  g_autoptr (TsuRecordList) list = NULL;
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_resource_collection);
  const char      *columns[] = { "name", "now_state", "next_start", NULL };
  g_autofree char *screen = add (
      f->store, "resources", "{\"kind\":\"item\",\"name\":\"スクリーン\",\"status\":\"repair\"}");
  GDate today;

  g_date_clear (&today, 1);
  g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  f->today = today;
  soon_due = tsu_datetime_add_minutes (soon_iso, 60);
  {
    /* Booked in the past and lent: overdue now. The group is valid. */
    g_autoptr (JsonObject) valid = json_object_new ();
    g_autofree char *id = NULL;

    json_object_set_int_member (valid, "valid_fiscal_year", tsu_fiscal_year (&today) + 1);
    g_assert_true (tsu_store_update (f->store, "groups", f->group, valid, &error));
    id = book (f, f->projector, past_iso, past_due, &error);
    g_assert_no_error (error);
    g_assert_true (tsu_booking_lend (f->store, id, past_iso, NULL, &error));
    g_free (book (f, f->room, soon_iso, soon_due, &error));
    g_assert_no_error (error);
  }
  list = tsu_record_list_new (f->store, &tsu_resource_collection, columns);
  tsu_record_query_set_sort (q, "state", FALSE);
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
      const char *name = tsu_record_item_get_cell (item, "name");
      const char *state = tsu_record_item_get_cell (item, "now_state");

      if (g_str_equal (name, "プロジェクター"))
        g_assert_cmpstr (state, ==, "overdue");
      else if (g_str_equal (name, "会議室A"))
        {
          g_assert_cmpstr (state, ==, "reserved");
          g_assert_cmpstr (tsu_record_item_get_cell (item, "next_start"), ==, soon_iso);
        }
      else
        g_assert_cmpstr (state, ==, "repair");
    }
  /* Filtered on it. */
  tsu_record_query_add_filter (q, "now_state", TSU_FILTER_EQ, "repair");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

/* The clash check never walks a resource's past: SQLite looks bookings up
 * by their end (the rule's query as the store writes it). */
static gboolean
plan_read (sqlite3 *db, gpointer data, GError **error)
{
  GString      *plan = data;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "EXPLAIN QUERY PLAN SELECT id, \"start_at\" FROM"
                                       " \"bookings\" WHERE \"resource_id\" = ?1 AND deleted = 0"
                                       " AND \"start_at\" < ?3 AND \"due_at\" > ?2",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append (plan, (const char *)sqlite3_column_text (stmt, 3));
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
test_clash_plan (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) plan = g_string_new (NULL);

  g_assert_true (tsu_store_read (f->store, plan_read, plan, NULL));
  g_test_message ("%s", plan->str);
  g_assert_nonnull (strstr (plan->str, "bookings_resource_due"));
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
  ADD ("/equipment/stock-at-once", test_stock_at_once);
  ADD ("/equipment/room-hours", test_room_hours);
  ADD ("/equipment/move", test_move);
  ADD ("/equipment/lend-now", test_lend_now);
  ADD ("/equipment/available-and-lists", test_available_and_lists);
  ADD ("/equipment/now-state", test_now_state);
  ADD ("/equipment/clash-plan", test_clash_plan);
#undef ADD

  return g_test_run ();
}
