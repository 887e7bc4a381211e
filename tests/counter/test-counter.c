/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The counter, events and the network, core: a full event puts the next
 * registration on the waiting list and moves it up on a cancellation; an
 * event books its room in the same transaction and a clash refuses it;
 * consultation figures by topic, channel and month across 年度; the
 * report and the real `tsunagu --export-consultations`. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tsu-centre.h"
#include "tsu-counter.h"
#include "tsu-date.h"
#include "tsu-equipment.h"
#include "tsu-network.h"
#include "tsu-record-list.h"
#include "tsu-record.h"
#include "tsu-store.h"
#include <math.h>

static const char *tsunagu_exe;

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
  GDate     today;
  char     *group;
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

  f->dir = g_dir_make_tmp ("tsu-counter-XXXXXX", &error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  g_date_clear (&f->today, 1);
  g_date_set_dmy (&f->today, 1, 12, 2026);
  f->group = add (f->store, "groups",
                  "{\"name\":\"白川読み聞かせの会\",\"name_kana\":\"シラカワヨミキカセノカイ\","
                  "\"registration_number\":\"2026-001\",\"registered_on\":\"2026-04-10\","
                  "\"valid_fiscal_year\":2026}");
  f->room = add (f->store, "resources",
                 "{\"kind\":\"room\",\"name\":\"会議室A\",\"status\":\"available\","
                 "\"fee_kind\":\"free\",\"capacity\":30}");
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
  g_free (f->room);
}

static JsonObject *
get (Fixture *f, const char *collection, const char *id)
{
  g_autoptr (GError) error = NULL;
  JsonObject *o = tsu_store_get (f->store, collection, id, &error);

  g_assert_no_error (error);
  return o;
}

static void
assert_member (JsonObject *o, const char *name, const char *value)
{
  const char *got = json_object_get_string_member_with_default (o, name, NULL);

  if (g_strcmp0 (got, value) != 0)
    g_error ("%s: expected %s, got %s", name, value ? value : "(null)", got ? got : "(null)");
}

static char *
event (Fixture *f, const char *fields, GError **error)
{
  g_autoptr (JsonObject) o = json (fields);

  return tsu_event_create (f->store, o, &f->today, error);
}

static char *
person (Fixture *f, const char *event_id, const char *name, gboolean *waiting)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json_object_new ();
  char *id;

  json_object_set_string_member (o, "kind", "citizen");
  json_object_set_string_member (o, "name", name);
  id = tsu_event_register (f->store, event_id, o, "2026-12-01T10:00", waiting, &error);
  g_assert_no_error (error);
  return id;
}

static void
test_waiting_list (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *ev = event (f,
                               "{\"title\":\"会計講座\",\"kind\":\"management\",\"capacity\":2,"
                               "\"start_at\":\"2026-12-12T13:30\",\"end_at\":\"2026-12-12T15:30\"}",
                               &error);
  g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *promoted = NULL;
  g_autoptr (JsonObject) rc = NULL;
  g_autoptr (GPtrArray) regs = NULL;
  gboolean waiting = TRUE;

  g_assert_no_error (error);
  a = person (f, ev, "山田 花子", &waiting);
  g_assert_false (waiting);
  b = person (f, ev, "田中 一郎", &waiting);
  g_assert_false (waiting);
  /* Full: the third and the fourth wait, in the order they came. */
  c = person (f, ev, "佐藤 次郎", &waiting);
  g_assert_true (waiting);
  d = person (f, ev, "鈴木 三郎", &waiting);
  g_assert_true (waiting);
  rc = get (f, "registrations", c);
  assert_member (rc, "state", "waiting");

  /* A waiting person cancelling frees no seat. */
  g_assert_true (tsu_registration_cancel (f->store, d, &promoted, &error));
  g_assert_no_error (error);
  g_assert_null (promoted);
  /* A seat freed goes to the first who waited, in the same transaction. */
  g_assert_true (tsu_registration_cancel (f->store, a, &promoted, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (promoted, ==, c);
  g_clear_pointer (&rc, json_object_unref);
  rc = get (f, "registrations", c);
  assert_member (rc, "state", "registered");
  /* Cancelling twice says so. */
  g_assert_false (tsu_registration_cancel (f->store, a, NULL, &error));
  g_assert_error (error, TSU_COUNTER_ERROR, TSU_COUNTER_ERROR_STATE);
  g_clear_error (&error);

  regs = tsu_event_registrations (f->store, ev, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (regs->len, ==, 2);

  /* The rule holds for any write, not only through the action: a third
   * seat written directly is refused with the reason sync reports. */
  {
    g_autoptr (JsonObject) o = json_object_new ();
    g_autofree char *id = NULL;

    json_object_set_string_member (o, "event_id", ev);
    json_object_set_string_member (o, "name", "割り込み");
    json_object_set_string_member (o, "state", "registered");
    id = tsu_store_insert (f->store, "registrations", o, &error);
    g_assert_null (id);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
    g_assert_nonnull (strstr (error->message, "会計講座"));
    g_clear_error (&error);
  }
  /* Attendance taken on the day; the event counts it. */
  g_assert_true (tsu_registration_set_attendance (f->store, b, "present", &error));
  g_assert_no_error (error);
  {
    g_autoptr (GPtrArray) none = tsu_events_attended (f->store, "group_id", f->group, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (none->len, ==, 0);
  }
}

static void
test_attended (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *ev = event (f,
                               "{\"title\":\"交流会\",\"kind\":\"exchange\","
                               "\"start_at\":\"2026-11-20T18:00\"}",
                               &error);
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *r = NULL;
  g_autoptr (GPtrArray) seen = NULL;

  g_assert_no_error (error);
  json_object_set_string_member (o, "kind", "member");
  json_object_set_string_member (o, "group_id", f->group);
  json_object_set_string_member (o, "name", "山田 花子");
  r = tsu_event_register (f->store, ev, o, NULL, NULL, &error);
  g_assert_no_error (error);
  seen = tsu_events_attended (f->store, "group_id", f->group, &error);
  g_assert_cmpuint (seen->len, ==, 0);
  g_clear_pointer (&seen, g_ptr_array_unref);
  g_assert_true (tsu_registration_set_attendance (f->store, r, "present", &error));
  seen = tsu_events_attended (f->store, "group_id", f->group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seen->len, ==, 1);
  assert_member (g_ptr_array_index (seen, 0), "title", "交流会");
}

static gint64
count_bookings (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = tsu_store_find (
      f->store, "bookings", "state IN ('reserved', 'lent')", NULL, NULL, 0, &error);

  g_assert_no_error (error);
  return rows->len;
}

static void
test_event_room (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fields = g_strdup_printf (
      "{\"title\":\"リーダー養成講座\",\"kind\":\"leader\",\"capacity\":20,"
      "\"start_at\":\"2026-12-13T10:00\",\"end_at\":\"2026-12-13T12:00\",\"room_id\":\"%s\"}",
      f->room);
  g_autofree char *ev = event (f, fields, &error);
  g_autoptr (JsonObject) e = NULL;
  g_autoptr (JsonObject) b = NULL;
  gint64 events_before;

  g_assert_no_error (error);
  e = get (f, "events", ev);
  /* The room booked itself: the centre's own booking, linked both ways. */
  b = get (f, "bookings", json_object_get_string_member (e, "booking_id"));
  assert_member (b, "event_id", ev);
  assert_member (b, "resource_id", f->room);
  assert_member (b, "start_at", "2026-12-13T10:00");
  assert_member (b, "due_at", "2026-12-13T12:00");
  assert_member (b, "state", "reserved");
  g_assert_false (json_object_has_member (b, "group_id")
                  && !json_object_get_null_member (b, "group_id"));

  /* A group cannot take the room then; the message names the event. */
  {
    g_autoptr (JsonObject) o = json_object_new ();
    g_autofree char *id = NULL;

    json_object_set_string_member (o, "resource_id", f->room);
    json_object_set_string_member (o, "group_id", f->group);
    json_object_set_string_member (o, "start_at", "2026-12-13T11:00");
    json_object_set_string_member (o, "due_at", "2026-12-13T13:00");
    id = tsu_booking_book (f->store, o, &f->today, &error);
    g_assert_null (id);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
    g_assert_nonnull (strstr (error->message, "リーダー養成講座"));
    g_clear_error (&error);
  }

  /* A second event at a clashing time is refused and leaves nothing. */
  events_before = tsu_store_count (f->store, "events", FALSE, NULL);
  {
    g_autofree char *clash
        = g_strdup_printf ("{\"title\":\"交流会\",\"start_at\":\"2026-12-13T11:30\","
                           "\"end_at\":\"2026-12-13T13:00\",\"room_id\":\"%s\"}",
                           f->room);
    g_autofree char *id = event (f, clash, &error);

    g_assert_null (id);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
    g_assert_nonnull (strstr (error->message, "リーダー養成講座"));
    g_clear_error (&error);
  }
  g_assert_cmpint (tsu_store_count (f->store, "events", FALSE, NULL), ==, events_before);
  g_assert_cmpint (count_bookings (f), ==, 1);

  /* Moving the event moves its booking; moving it onto a group's booking
   * is refused and leaves the event where it was. */
  {
    g_autoptr (JsonObject) o = json_object_new ();
    g_autofree char *gb = NULL;
    g_autoptr (JsonObject) move = json ("{\"start_at\":\"2026-12-20T10:00\","
                                        "\"end_at\":\"2026-12-20T12:00\"}");
    g_autoptr (JsonObject) onto = json ("{\"start_at\":\"2026-12-21T10:00\","
                                        "\"end_at\":\"2026-12-21T12:00\"}");
    g_autoptr (JsonObject) e2 = NULL;
    g_autoptr (JsonObject) b2 = NULL;

    g_assert_true (tsu_event_update (f->store, ev, move, &f->today, &error));
    g_assert_no_error (error);
    b2 = get (f, "bookings", json_object_get_string_member (e, "booking_id"));
    assert_member (b2, "start_at", "2026-12-20T10:00");
    json_object_set_string_member (o, "resource_id", f->room);
    json_object_set_string_member (o, "group_id", f->group);
    json_object_set_string_member (o, "start_at", "2026-12-21T09:00");
    json_object_set_string_member (o, "due_at", "2026-12-21T11:00");
    gb = tsu_booking_book (f->store, o, &f->today, &error);
    g_assert_no_error (error);
    g_assert_false (tsu_event_update (f->store, ev, onto, &f->today, &error));
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
    g_assert_nonnull (strstr (error->message, "白川読み聞かせの会"));
    g_clear_error (&error);
    e2 = get (f, "events", ev);
    assert_member (e2, "start_at", "2026-12-20T10:00");
  }

  /* Removing the event frees the room. */
  g_assert_true (tsu_event_remove (f->store, ev, &error));
  g_assert_no_error (error);
  g_clear_pointer (&b, json_object_unref);
  b = get (f, "bookings", json_object_get_string_member (e, "booking_id"));
  assert_member (b, "state", "cancelled");
}

static void
test_event_room_change (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *hall = add (f->store, "resources",
                               "{\"kind\":\"room\",\"name\":\"多目的ホール\","
                               "\"status\":\"available\",\"fee_kind\":\"free\"}");
  /* Far beyond the groups' booking horizon, on a Sunday: the centre holds
   * its own events when it likes. */
  g_autofree char *fields
      = g_strdup_printf ("{\"title\":\"協働事業報告会\",\"kind\":\"joint_report\","
                         "\"start_at\":\"2027-06-06T13:00\",\"room_id\":\"%s\"}",
                         f->room);
  g_autofree char *ev = event (f, fields, &error);
  g_autoptr (JsonObject) e = NULL, e2 = NULL, old = NULL, b = NULL;
  g_autofree char *change = g_strdup_printf ("{\"room_id\":\"%s\"}", hall);
  g_autoptr (JsonObject) c = json (change);

  g_assert_no_error (error);
  e = get (f, "events", ev);
  b = get (f, "bookings", json_object_get_string_member (e, "booking_id"));
  /* No end given: two hours are held. */
  assert_member (b, "due_at", "2027-06-06T15:00");
  g_assert_true (tsu_event_update (f->store, ev, c, &f->today, &error));
  g_assert_no_error (error);
  old = get (f, "bookings", json_object_get_string_member (e, "booking_id"));
  assert_member (old, "state", "cancelled");
  e2 = get (f, "events", ev);
  g_clear_pointer (&b, json_object_unref);
  b = get (f, "bookings", json_object_get_string_member (e2, "booking_id"));
  assert_member (b, "resource_id", hall);
  assert_member (b, "state", "reserved");
  g_assert_cmpint (count_bookings (f), ==, 1);
}

static void
log_one (Fixture *f, const char *fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json (fields);
  g_autofree char *id = tsu_consultation_log (f->store, o, "2026-12-01T09:00", &error);

  g_assert_no_error (error);
  g_assert_nonnull (id);
}

static gint64
member_int (JsonObject *o, const char *object, const char *name)
{
  JsonObject *inner = json_object_get_object_member (o, object);

  return inner && json_object_has_member (inner, name) ? json_object_get_int_member (inner, name)
                                                       : 0;
}

static void
test_stats (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) s = NULL;
  g_autoptr (JsonObject) gone = NULL;
  GDate a, b;

  /* Either side of 4/1 (a 年度 boundary) and of a month's end. */
  log_one (f, "{\"at\":\"2026-03-31T23:30\",\"channel\":\"phone\",\"topics\":[\"設立\"],"
              "\"minutes\":10}");
  log_one (f, "{\"at\":\"2026-04-01T00:10\",\"channel\":\"visit\","
              "\"topics\":[\"助成金\",\"会計・税務\"],\"minutes\":30}");
  log_one (f, "{\"at\":\"2026-04-30T17:00\",\"channel\":\"visit\",\"topics\":[\"助成金\"]}");
  log_one (f, "{\"at\":\"2026-05-01T09:00\",\"channel\":\"mail\",\"topics\":[\"子ども食堂\"],"
              "\"minutes\":5}");
  log_one (f, "{\"at\":\"2026-06-01T09:00\",\"channel\":\"mail\"}");
  log_one (f, "{\"at\":\"2026-02-28T09:00\",\"channel\":\"mail\"}");
  /* A removed one counts nowhere. */
  {
    g_autoptr (JsonObject) o = json ("{\"at\":\"2026-04-02T10:00\",\"channel\":\"visit\"}");
    g_autofree char *id = tsu_consultation_log (f->store, o, NULL, &error);

    g_assert_true (tsu_store_delete (f->store, "consultations", id, &error));
  }

  g_date_clear (&a, 1);
  g_date_clear (&b, 1);
  g_date_set_dmy (&a, 1, 3, 2026);
  g_date_set_dmy (&b, 1, 5, 2026); /* inclusive: the whole of 5/1 */
  s = tsu_consultation_stats (f->store, &a, &b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (s, "total"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (s, "minutes"), ==, 45);
  g_assert_cmpint (member_int (s, "by_month", "2026-03"), ==, 1);
  g_assert_cmpint (member_int (s, "by_month", "2026-04"), ==, 2);
  g_assert_cmpint (member_int (s, "by_month", "2026-05"), ==, 1);
  g_assert_cmpint (member_int (s, "by_month", "2026-06"), ==, 0);
  g_assert_cmpint (member_int (s, "by_fiscal_year", "2025"), ==, 1);
  g_assert_cmpint (member_int (s, "by_fiscal_year", "2026"), ==, 3);
  /* Two topics count once under each; a centre's own topic counts too. */
  g_assert_cmpint (member_int (s, "by_topic", "助成金"), ==, 2);
  g_assert_cmpint (member_int (s, "by_topic", "会計・税務"), ==, 1);
  g_assert_cmpint (member_int (s, "by_topic", "設立"), ==, 1);
  g_assert_cmpint (member_int (s, "by_topic", "子ども食堂"), ==, 1);
  g_assert_cmpint (member_int (s, "by_channel", "visit"), ==, 2);
  g_assert_cmpint (member_int (s, "by_channel", "phone"), ==, 1);
  g_assert_cmpint (member_int (s, "by_channel", "mail"), ==, 1);

  /* A whole 年度 from its first to its last day. */
  g_clear_pointer (&s, json_object_unref);
  tsu_fiscal_year_range (2025, &a, &b);
  s = tsu_consultation_stats (f->store, &a, &b, &error);
  g_assert_cmpint (json_object_get_int_member (s, "total"), ==, 2);
  g_assert_cmpint (member_int (s, "by_fiscal_year", "2025"), ==, 2);
}

static void
test_log_and_lists (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *fields
      = g_strdup_printf ("{\"channel\":\"visit\",\"group_id\":\"%s\",\"topics\":[\"助成金\"],"
                         "\"question\":\"市の補助金の締切\",\"follow_up_on\":\"2026-12-03\"}",
                         f->group);
  g_autoptr (JsonObject) o = json (fields);
  g_autofree char *id = tsu_consultation_log (f->store, o, "2026-12-01T10:15", &error);
  g_autoptr (JsonObject) c = NULL;
  g_autoptr (GPtrArray) today = NULL, due = NULL, of = NULL;

  g_assert_no_error (error);
  c = get (f, "consultations", id);
  assert_member (c, "at", "2026-12-01T10:15");
  assert_member (c, "asker_kind", "group");
  assert_member (c, "follow_up", "pending");

  today = tsu_consultations_between (f->store, "2026-12-01", "2026-12-02", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (today->len, ==, 1);
  assert_member (g_ptr_array_index (today, 0), "group_name", "白川読み聞かせの会");
  due = tsu_consultations_due (f->store, "2026-12-02", &error);
  g_assert_cmpuint (due->len, ==, 0);
  g_clear_pointer (&due, g_ptr_array_unref);
  due = tsu_consultations_due (f->store, "2026-12-03", &error);
  g_assert_cmpuint (due->len, ==, 1);
  of = tsu_consultations_of (f->store, "group_id", f->group, 0, &error);
  g_assert_cmpuint (of->len, ==, 1);

  /* 未対応 without a date would never show as due: refused. */
  {
    g_autoptr (JsonObject) bad = json ("{\"follow_up\":\"pending\"}");
    g_autofree char *none = tsu_consultation_log (f->store, bad, "2026-12-01T11:00", &error);

    g_assert_null (none);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  /* Topics: the ten and the centre's own, each once. */
  {
    g_auto (GStrv) topics = NULL;
    g_autoptr (JsonNode) own = json_from_string ("[\"子ども食堂\",\"助成金\"]", NULL);

    g_assert_true (tsu_centre_set (f->store, TSU_CENTRE_CONSULTATION_TOPICS, own, &error));
    topics = tsu_consultation_topics_offered (f->store);
    g_assert_cmpuint (g_strv_length (topics), ==, 11);
    g_assert_cmpstr (topics[10], ==, "子ども食堂");
  }
}

static void
test_connections (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *self = g_strdup_printf (
      "{\"group_id\":\"%s\",\"partner_kind\":\"group\",\"partner_group_id\":\"%s\"}", f->group,
      f->group);
  g_autofree char *company
      = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"company\"}", f->group);
  g_autofree char *ok = g_strdup_printf (
      "{\"group_id\":\"%s\",\"partner_kind\":\"city\",\"partner_name\":\"大牟田市 市民協働推進課\","
      "\"purpose\":\"協働事業の相談\",\"introduced_on\":\"2026-11-01\"}",
      f->group);
  const char *bad[] = { self, company };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr (JsonObject) o = json (bad[i]);
      g_autofree char *id = tsu_store_insert (f->store, "connections", o, &error);

      g_assert_null (id);
      g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_free (add (f->store, "connections", ok));
}

/* The counter finds the asker as it is typed: part of the reading in
 * hiragana finds the group; a volunteer by name; nothing for nothing. */
static void
test_find_askers (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) found = NULL;
  g_autofree char *vol = add (f->store, "volunteers",
                              "{\"family_name\":\"白石\",\"given_name\":\"花子\","
                              "\"family_kana\":\"シライシ\",\"given_kana\":\"ハナコ\"}");

  found = tsu_counter_find_askers (f->store, "しらかわ", 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (found, 0), "kind"), ==, "group");
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (found, 0), "id"), ==, f->group);
  g_assert_nonnull (
      strstr (tsu_record_get_string (g_ptr_array_index (found, 0), "detail"), "2026-001"));
  g_clear_pointer (&found, g_ptr_array_unref);
  /* しら matches both; groups come first. */
  found = tsu_counter_find_askers (f->store, "しら", 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 2);
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (found, 1), "kind"), ==, "volunteer");
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (found, 1), "id"), ==, vol);
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (found, 1), "name"), ==, "白石 花子");
  g_clear_pointer (&found, g_ptr_array_unref);
  found = tsu_counter_find_askers (f->store, "  ", 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 0);
}

/* A group's connections both ways, and the network: who is isolated, the
 * 年度 and field filters, a layout that is the same every time. */
static void
test_network (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) mine = NULL, theirs = NULL;
  g_autofree char *b = add (f->store, "groups",
                            "{\"name\":\"三池子ども食堂\",\"name_kana\":\"ミイケコドモショクドウ\","
                            "\"fields\":[13]}");
  g_autofree char *c = add (
      f->store, "groups", "{\"name\":\"孤立の会\",\"name_kana\":\"コリツノカイ\",\"fields\":[13]}");
  g_autofree char *c1 = NULL, *c2 = NULL, *j = NULL;
  g_autoptr (TsuNetwork) all = NULL, fy = NULL, field = NULL, again = NULL;

  (void)c;
  c1 = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"group\","
                        "\"partner_group_id\":\"%s\",\"purpose\":\"食材の融通\","
                        "\"introduced_on\":\"2026-05-01\"}",
                        f->group, b);
  g_free (add (f->store, "connections", c1));
  c2 = g_strdup_printf ("{\"group_id\":\"%s\",\"partner_kind\":\"company\","
                        "\"partner_name\":\"有明製菓株式会社\",\"introduced_on\":\"2025-06-01\"}",
                        b);
  g_free (add (f->store, "connections", c2));
  j = g_strdup_printf ("{\"title\":\"見守り協働\",\"department\":\"福祉課\",\"group_ids\":[\"%s\"],"
                       "\"period_from\":\"2026-04-01\",\"period_to\":\"2027-03-31\"}",
                       f->group);
  g_free (add (f->store, "joint_projects", j));

  mine = tsu_connections_of (f->store, f->group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (mine->len, ==, 1);
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (mine, 0), "partner"), ==,
                   "三池子ども食堂");
  theirs = tsu_connections_of (f->store, b, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (theirs->len, ==, 2);
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (theirs, 0), "partner"), ==,
                   "白川読み聞かせの会");
  g_assert_cmpstr (tsu_record_get_string (g_ptr_array_index (theirs, 1), "partner"), ==,
                   "有明製菓株式会社");

  all = tsu_network_read (f->store, 0, NULL, &error);
  g_assert_no_error (error);
  /* 3 groups, a company, a department; 3 links; 孤立の会 alone. */
  g_assert_cmpuint (all->nodes->len, ==, 5);
  g_assert_cmpuint (all->edges->len, ==, 3);
  g_assert_cmpuint (tsu_network_count_isolated (all), ==, 1);
  fy = tsu_network_read (f->store, 2026, NULL, &error);
  g_assert_no_error (error);
  /* The company was introduced in 2025年度. */
  g_assert_cmpuint (fy->nodes->len, ==, 4);
  g_assert_cmpuint (fy->edges->len, ==, 2);
  field = tsu_network_read (f->store, 0, "13", &error);
  g_assert_no_error (error);
  /* Only the two groups of field 13 and their company. */
  g_assert_cmpuint (field->nodes->len, ==, 3);
  g_assert_cmpuint (field->edges->len, ==, 1);
  g_assert_cmpuint (tsu_network_count_isolated (field), ==, 1);

  tsu_network_layout (all, 200);
  again = tsu_network_read (f->store, 0, NULL, &error);
  tsu_network_layout (again, 200);
  for (guint i = 0; i < all->nodes->len; i++)
    {
      TsuNetNode *n = &g_array_index (all->nodes, TsuNetNode, i);
      TsuNetNode *m = &g_array_index (again->nodes, TsuNetNode, i);

      g_assert_cmpfloat (n->x, ==, m->x);
      g_assert_cmpfloat (n->y, ==, m->y);
      g_assert_cmpfloat (n->x, >=, 0.0);
      g_assert_cmpfloat (n->x, <=, 1.0);
      g_assert_cmpfloat (n->y, >=, 0.0);
      g_assert_cmpfloat (n->y, <=, 1.0);
      /* The isolated group sits outside the connected part. */
      if (n->degree == 0)
        g_assert_cmpfloat (hypot (n->x - 0.5, n->y - 0.5), >, 0.4);
      else
        g_assert_cmpfloat (hypot (n->x - 0.5, n->y - 0.5), <, 0.34);
    }
}

/* The events page's upcoming / past filter is computed on the query's day. */
static void
test_event_timing (Fixture *f, gconstpointer data)
{
  g_autoptr (TsuRecordList) list = NULL;
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (tsu_collection_lookup ("events"));
  g_autoptr (GError) error = NULL;

  g_free (add (f->store, "events", "{\"title\":\"交流会\",\"start_at\":\"2026-11-20T18:00\"}"));
  g_free (add (f->store, "events", "{\"title\":\"講座\",\"start_at\":\"2026-12-01T10:00\"}"));
  g_free (add (f->store, "events", "{\"title\":\"研修\",\"start_at\":\"2027-01-15T10:00\"}"));
  list = tsu_record_list_new (f->store, tsu_collection_lookup ("events"),
                              (const char *[]){ "title", "timing", NULL });
  q->today = f->today;
  tsu_record_query_add_filter (q, "timing", TSU_FILTER_EQ, "upcoming");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
  tsu_record_query_clear_filters (q);
  tsu_record_query_add_filter (q, "timing", TSU_FILTER_EQ, "past");
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
}

static char *
run_cli (const char *const *argv, int *status)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  char            *err = NULL;
  g_auto (GStrv) env = g_environ_unsetenv (g_get_environ (), "DISPLAY");

  g_assert_true (g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                               status, &error));
  g_assert_no_error (error);
  return err;
}

static void
test_report (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *csv = g_build_filename (f->dir, "consultations.csv", NULL);
  g_autofree char *fields = g_strdup_printf (
      "{\"at\":\"2026-04-01T09:05\",\"channel\":\"visit\",\"group_id\":\"%s\","
      "\"topics\":[\"助成金\",\"会計・税務\"],\"question\":\"=HYPERLINK(\\\"x\\\")\","
      "\"answer\":\"募集要項を渡した\",\"minutes\":25,\"staff\":\"窓口 A\","
      "\"referred_to\":\"社会福祉協議会\"}",
      f->group);
  g_autofree char *contents = NULL;
  g_autofree char *err = NULL;
  int              status;
  GDate            a, b;

  log_one (f, fields);
  log_one (f, "{\"at\":\"2026-03-31T16:00\",\"channel\":\"phone\",\"asker_kind\":\"anonymous\","
              "\"follow_up_on\":\"2026-04-03\"}");
  log_one (f, "{\"at\":\"2026-04-02T10:00\",\"channel\":\"mail\"}");

  /* The core report: the header the city's scripts read, one row each. */
  {
    g_autoptr (GBytes) bytes = NULL;
    gsize            n;
    g_autofree char *text = NULL;

    g_date_clear (&a, 1);
    g_date_clear (&b, 1);
    g_date_set_dmy (&a, 31, 3, 2026);
    g_date_set_dmy (&b, 1, 4, 2026);
    bytes = tsu_consultation_report (f->store, &a, &b, TSU_CSV_ENCODING_UTF8_BOM, NULL, &error);
    g_assert_no_error (error);
    text = g_strndup (g_bytes_get_data (bytes, &n), g_bytes_get_size (bytes));
    g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF日時,方法,相談者区分,団体登録番号,分野,"
                                           "内容,対応,所要分,担当,紹介先,状態\r\n"));
    g_assert_nonnull (strstr (text, "2026-03-31 16:00,電話,匿名,,,,,,,,未対応\r\n"));
    /* A formula typed at the counter reaches Excel as text. */
    g_assert_nonnull (strstr (text, "2026-04-01 09:05,来所,団体,2026-001,助成金、会計・税務,"
                                    "\"'=HYPERLINK(\"\"x\"\")\",募集要項を渡した,25,窓口 A,"
                                    "社会福祉協議会,なし\r\n"));
    g_assert_null (strstr (text, "2026-04-02"));
  }

  if (tsunagu_exe == NULL)
    {
      g_test_skip ("no tsunagu binary given");
      return;
    }
  g_assert_finalize_object (g_steal_pointer (&f->store));

  {
    const char *argv[]
        = { tsunagu_exe, "--db",       f->path, "--export-consultations", csv,
            "--from",    "2026-04-01", "--to",  "令和8年4月30日",         "--encoding",
            "cp932",     NULL };
    g_autofree char *utf8 = NULL;

    err = run_cli (argv, &status);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_true (g_file_get_contents (csv, &contents, NULL, &error));
    utf8 = g_convert (contents, -1, "UTF-8", "CP932", NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (g_str_has_prefix (utf8, "日時,方法,相談者区分,団体登録番号,分野,内容,対応,"
                                           "所要分,担当,紹介先,状態\r\n"));
    g_assert_nonnull (strstr (utf8, "2026-04-02 10:00,メール,"));
    g_assert_null (strstr (utf8, "2026-03-31"));
    g_clear_pointer (&err, g_free);
  }
  /* Wrong use: a clear message and exit status 2, no file written. */
  {
    g_autofree char *other = g_build_filename (f->dir, "other.csv", NULL);
    const char      *no_to[] = { tsunagu_exe, "--db",   f->path,      "--export-consultations",
                                 other,       "--from", "2026-04-01", NULL };
    const char      *reversed[] = { tsunagu_exe,  "--db",   f->path,      "--export-consultations",
                                    other,        "--from", "2026-05-01", "--to",
                                    "2026-04-01", NULL };

    err = run_cli (no_to, &status);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
    g_assert_nonnull (strstr (err, "--to"));
    g_clear_pointer (&err, g_free);
    err = run_cli (reversed, &status);
    g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 2);
    g_assert_false (g_file_test (other, G_FILE_TEST_EXISTS));
  }
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (argc > 1)
    tsunagu_exe = argv[1];

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/counter/events/waiting-list", test_waiting_list);
  ADD ("/counter/events/attended", test_attended);
  ADD ("/counter/events/room", test_event_room);
  ADD ("/counter/events/room-change", test_event_room_change);
  ADD ("/counter/consultations/stats", test_stats);
  ADD ("/counter/consultations/log", test_log_and_lists);
  ADD ("/counter/consultations/report", test_report);
  ADD ("/counter/connections/rules", test_connections);
  ADD ("/counter/connections/network", test_network);
  ADD ("/counter/consultations/find-askers", test_find_askers);
  ADD ("/counter/events/timing", test_event_timing);
  return g_test_run ();
}
