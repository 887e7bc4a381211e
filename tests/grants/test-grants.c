/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Grants core: deadlines in order (time and kind; 随時 last), days left
 * across month and 年度 ends, buckets, reminders, tiers, telling groups,
 * copying to the next 年度, programmes' CSV with funders, iCalendar. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tsu-date.h"
#include "tsu-demo.h"
#include "tsu-grants-demo.h"
#include "tsu-grants.h"
#include "tsu-grants-collections.h"
#include "tsu-record-csv.h"
#include "tsu-record-list.h"
#include "tsu-record-query.h"
#include "tsu-store.h"

typedef struct
{
  char     *dir;
  TsuStore *store;
  GDate     today;
} Fixture;

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

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsu-grants-XXXXXX", &error);
  path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_date_clear (&f->today, 1);
  /* A Tuesday near the end of a month and of a 年度 quarter. */
  g_date_set_dmy (&f->today, 24, 3, 2026);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  /* "changed" is emitted from the main context after a commit. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_finalize_object (f->store);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
}

static void
test_deadlines (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) up = NULL;
  const char *order[] = { "今週の郵送", "今週のオンライン", "今週の必着", "来月", "随時の相談" };

  g_free (add (f, "programmes",
               "{\"name\":\"来月\",\"deadline_on\":\"2026-04-10\",\"deadline_kind\":\"arrive\"}"));
  g_free (add (f, "programmes", "{\"name\":\"随時の相談\",\"deadline_kind\":\"rolling\"}"));
  g_free (add (f, "programmes", "{\"name\":\"終わった\",\"deadline_on\":\"2026-03-20\"}"));
  g_free (
      add (f, "programmes",
           "{\"name\":\"今週の必着\",\"deadline_on\":\"2026-03-27\",\"deadline_time\":\"17:00\","
           "\"deadline_kind\":\"arrive\"}"));
  g_free (add (f, "programmes",
               "{\"name\":\"今週のオンライン\",\"deadline_on\":\"2026-03-27\",\"deadline_time\":"
               "\"17:00\",\"deadline_kind\":\"online\"}"));
  g_free (
      add (f, "programmes",
           "{\"name\":\"今週の郵送\",\"deadline_on\":\"2026-03-27\",\"deadline_time\":\"12:00\","
           "\"deadline_kind\":\"postmark\"}"));

  up = tsu_grants_upcoming (f->store, &f->today, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (up), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (up, i), "name"),
                     ==, order[i]);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (up, 0), "days_left"),
                   ==, 3);

  /* Days left and buckets across the month's and the 年度's end. */
  {
    g_autoptr (JsonObject) a = json ("{\"deadline_on\":\"2026-03-29\"}");
    g_autoptr (JsonObject) b = json ("{\"deadline_on\":\"2026-03-31\"}");
    g_autoptr (JsonObject) c = json ("{\"deadline_on\":\"2026-04-01\"}");
    g_autoptr (JsonObject) d
        = json ("{\"deadline_kind\":\"rolling\",\"deadline_on\":\"2026-04-01\"}");
    g_autoptr (JsonObject) e = json ("{\"deadline_on\":\"2026-03-23\"}");

    /* 2026-03-29 is a Sunday: this week; a 消印有効 Sunday stays that day. */
    g_assert_cmpint (tsu_programme_days_left (a, &f->today), ==, 5);
    g_assert_cmpint (tsu_programme_bucket (a, &f->today), ==, TSU_DEADLINE_THIS_WEEK);
    g_assert_cmpint (tsu_programme_bucket (b, &f->today), ==, TSU_DEADLINE_THIS_MONTH);
    g_assert_cmpint (tsu_programme_days_left (c, &f->today), ==, 8);
    g_assert_cmpint (tsu_programme_bucket (c, &f->today), ==, TSU_DEADLINE_LATER);
    g_assert_cmpint (tsu_programme_bucket (d, &f->today), ==, TSU_DEADLINE_ANY_TIME);
    g_assert_cmpint (tsu_programme_bucket (e, &f->today), ==, TSU_DEADLINE_PAST);
  }
}

static void
test_tiers_and_telling (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *g1 = add (f, "groups",
                             "{\"name\":\"甲の会\",\"name_kana\":\"コウノカイ\",\"fields\":[3],"
                             "\"registered_on\":\"2025-04-01\",\"valid_fiscal_year\":2025}");
  g_autofree char *g2 = add (f, "groups",
                             "{\"name\":\"乙の会\",\"name_kana\":\"オツノカイ\",\"fields\":[7],"
                             "\"registered_on\":\"2025-04-01\",\"valid_fiscal_year\":2025}");
  g_autofree char *g3 = add (f, "groups",
                             "{\"name\":\"申請中の会\",\"name_kana\":\"シンセイ\","
                             "\"fields\":[3]}");
  g_autofree char *old = add (f, "programmes",
                              "{\"name\":\"市民活動団体応援補助金\",\"fiscal_year\":2025,"
                              "\"deadline_on\":\"2025-05-31\",\"fields\":[3],\"ceiling\":300000,"
                              "\"tiers\":[{\"times\":0,\"ceiling\":300000,\"rate\":\"10/10\"},"
                              "{\"times\":1,\"ceiling\":200000,\"rate\":\"2/3\"},"
                              "{\"times\":3,\"ceiling\":100000,\"rate\":\"1/2\"}]}");
  g_autofree char *next = NULL;
  g_autoptr (JsonObject) copy = NULL;
  g_autoptr (JsonArray) suggest = NULL;
  GStrv       ids = (char *[]){ g1, g2, NULL };
  guint       added = 0;
  gint64      ceiling;
  const char *rate;

  /* Tiers by how many times a group has received it. */
  tsu_programme_tier (json ("{\"tiers\":[{\"times\":0,\"ceiling\":300000,\"rate\":\"10/10\"},"
                            "{\"times\":1,\"ceiling\":200000,\"rate\":\"2/3\"},{\"times\":3,"
                            "\"ceiling\":100000,\"rate\":\"1/2\"}]}"),
                      2, &ceiling, &rate);
  g_assert_cmpint (ceiling, ==, 200000);
  g_assert_cmpstr (rate, ==, "2/3");

  /* Suggestions: registered groups sharing a field. */
  suggest = tsu_grants_suggest_groups (f->store, old, &f->today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (suggest), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (suggest, 0), "id"),
                   ==, g1);

  g_assert_true (tsu_grants_tell (f->store, old, ids, &f->today, &added, &error));
  g_assert_cmpuint (added, ==, 2);
  /* Told twice: nothing added, and the rule refuses a second record. */
  g_assert_true (tsu_grants_tell (f->store, old, ids, &f->today, &added, &error));
  g_assert_cmpuint (added, ==, 0);
  {
    g_autoptr (JsonObject) dup = json_object_new ();
    g_autofree char *id = NULL;

    json_object_set_string_member (dup, "programme_id", old);
    json_object_set_string_member (dup, "group_id", g1);
    json_object_set_string_member (dup, "state", "told");
    id = tsu_store_insert (f->store, "applications", dup, &error);
    g_assert_null (id);
    g_assert_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE);
    g_clear_error (&error);
  }

  /* Awarded once; the programme copied to the next 年度: the group's next
   * ceiling comes from the second tier. */
  {
    const char *params[] = { old, g1, NULL };
    g_autoptr (GPtrArray) rows = tsu_store_find (
        f->store, "applications", "programme_id = ? AND group_id = ?", params, NULL, 0, &error);
    g_autoptr (JsonObject) change = json ("{\"state\":\"awarded\",\"amount_awarded\":300000}");

    g_assert_cmpuint (rows->len, ==, 1);
    g_assert_true (tsu_store_update (
        f->store, "applications", json_object_get_string_member (g_ptr_array_index (rows, 0), "id"),
        change, &error));
  }
  next = tsu_programme_copy_to_next_year (f->store, old, &error);
  g_assert_no_error (error);
  copy = tsu_store_get (f->store, "programmes", next, &error);
  g_assert_cmpstr (json_object_get_string_member (copy, "deadline_on"), ==, "2026-05-31");
  g_assert_cmpint (json_object_get_int_member (copy, "fiscal_year"), ==, 2026);
  g_assert_cmpint (tsu_grants_times_awarded (f->store, copy, g1, &error), ==, 1);
  tsu_programme_tier (copy, tsu_grants_times_awarded (f->store, copy, g1, NULL), &ceiling, &rate);
  g_assert_cmpint (ceiling, ==, 200000);
  /* The copy has no groups of its own yet. */
  {
    const char *params[] = { next, NULL };
    g_autoptr (GPtrArray) rows
        = tsu_store_find (f->store, "applications", "programme_id = ?", params, NULL, 0, &error);
    g_assert_cmpuint (rows->len, ==, 0);
  }
  (void)g3;
}

static void
test_reminders (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *g = add (f, "groups", "{\"name\":\"甲の会\",\"name_kana\":\"コウノカイ\"}");
  g_autofree char *in30
      = add (f, "programmes", "{\"name\":\"30日後\",\"deadline_on\":\"2026-04-23\"}");
  g_autofree char *in7
      = add (f, "programmes", "{\"name\":\"7日後\",\"deadline_on\":\"2026-03-31\"}");
  g_autofree char *in8
      = add (f, "programmes", "{\"name\":\"8日後\",\"deadline_on\":\"2026-04-01\"}");
  g_autofree char *told
      = add (f, "programmes", "{\"name\":\"案内だけ\",\"deadline_on\":\"2026-03-24\"}");
  g_autoptr (JsonArray) r = NULL;
  char       *apps[] = { in30, in7, in8, told };
  const char *states[] = { "interested", "preparing", "interested", "told" };

  for (guint i = 0; i < G_N_ELEMENTS (apps); i++)
    {
      g_autoptr (JsonObject) a = json_object_new ();
      g_autofree char *id = NULL;

      json_object_set_string_member (a, "programme_id", apps[i]);
      json_object_set_string_member (a, "group_id", g);
      json_object_set_string_member (a, "state", states[i]);
      id = tsu_store_insert (f->store, "applications", a, &error);
      g_assert_no_error (error);
    }
  r = tsu_grants_reminders (f->store, &f->today, &error);
  g_assert_no_error (error);
  /* In deadline order: the 7-day one first. */
  g_assert_cmpuint (json_array_get_length (r), ==, 2);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 0), "days_left"),
                   ==, 7);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 1), "days_left"),
                   ==, 30);
  g_assert_cmpstr (
      json_array_get_string_element (
          json_object_get_array_member (json_array_get_object_element (r, 0), "groups"), 0),
      ==, "甲の会");
  g_clear_pointer (&r, json_array_unref);

  /* The desk was closed from Friday 20th: on Tuesday 24th it catches up.
   * 8日後 (1 April) had its 7-day reminder on Wednesday 25th: not yet. */
  {
    GDate friday = f->today;

    g_date_subtract_days (&friday, 4);
    r = tsu_grants_reminders_since (f->store, &friday, &f->today, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (r), ==, 2);
    g_clear_pointer (&r, json_array_unref);

    /* A day later, 8日後 is due (7 days) and nothing is given twice. */
    {
      GDate tomorrow = f->today;

      g_date_add_days (&tomorrow, 1);
      r = tsu_grants_reminders_since (f->store, &f->today, &tomorrow, &error);
      g_assert_cmpuint (json_array_get_length (r), ==, 1);
      g_assert_cmpstr (
          json_object_get_string_member (
              json_object_get_object_member (json_array_get_object_element (r, 0), "programme"),
              "name"),
          ==, "8日後");
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 0), "before"),
                       ==, 7);
      g_clear_pointer (&r, json_array_unref);
    }

    /* Last looked on 1 March: 8日後's 30-day reminder (2 March) and
     * 30日後's (today) fell in the span; 7日後's 30-day one (1 March) did
     * not, its 7-day one (today) did: each once, the nearest. */
    {
      GDate away;

      g_date_clear (&away, 1);
      g_date_set_dmy (&away, 1, 3, 2026);
      r = tsu_grants_reminders_since (f->store, &away, &f->today, &error);
      g_assert_cmpuint (json_array_get_length (r), ==, 3);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 0), "before"),
                       ==, 7);
      g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 1), "before"),
                       ==, 30);
      g_assert_cmpint (
          json_object_get_int_member (json_array_get_object_element (r, 1), "days_left"), ==, 8);
      g_clear_pointer (&r, json_array_unref);
    }
    /* Looked at already today: nothing. */
    r = tsu_grants_reminders_since (f->store, &f->today, &f->today, &error);
    g_assert_cmpuint (json_array_get_length (r), ==, 0);
  }
  /* Only 関心あり and 申請準備 count: told-only is never reminded; an
   * application moved on to 申請済 stops the reminders. */
  {
    const char *params[] = { in7, NULL };
    g_autoptr (GPtrArray) rows
        = tsu_store_find (f->store, "applications", "programme_id = ?", params, NULL, 0, &error);
    g_autoptr (JsonObject) change = json ("{\"state\":\"applied\"}");

    g_assert_true (tsu_store_update (
        f->store, "applications", json_object_get_string_member (g_ptr_array_index (rows, 0), "id"),
        change, &error));
    g_clear_pointer (&r, json_array_unref);
    r = tsu_grants_reminders (f->store, &f->today, &error);
    g_assert_cmpuint (json_array_get_length (r), ==, 1);
    g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (r, 0), "before"),
                     ==, 30);
  }
}

static void
test_csv (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autofree char *funder
      = add (f, "funders", "{\"name\":\"有明ふるさと振興財団\",\"kind\":\"財団\"}");
  const char csv[]
      = "助成名,助成団体,種別,分野,上限額,募集開始,締切日,締切時刻,締切区分,対象年度,URL\r\n"
        "地域づくり助成,有明ふるさと振興財団,助成金,まちづくり,500000,2026-04-01,"
        "令和8年5月31日,17:00,必着,2026,https://example.jp/a\r\n"
        "新しい基金の助成,まだ登録のない基金,助成金,7,100000,,2026-06-30,,消印有効,"
        "令和8年度,\r\n";
  TsuCsvContext   ctx = { f->today };
  TsuImportCounts n;
  g_autoptr (GBytes) out = NULL;
  g_autofree char *text = NULL;

  imp = tsu_record_import_new_from_data (&tsu_programme_collection, csv, sizeof csv - 1, &ctx,
                                         &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 0);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_cmpuint (n.n_new, ==, 2);
  {
    const char *params[] = { "地域づくり助成", NULL };
    g_autoptr (GPtrArray) rows
        = tsu_store_find (f->store, "programmes", "name = ?", params, NULL, 0, &error);
    g_assert_cmpstr (json_object_get_string_member (g_ptr_array_index (rows, 0), "funder_id"), ==,
                     funder);
  }
  out = tsu_record_export (f->store, &tsu_programme_collection, NULL, TSU_CSV_ENCODING_UTF8, &ctx,
                           NULL, &error);
  text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));
  g_assert_true (g_str_has_prefix (text, "助成名,助成団体,種別,分野,上限額,募集開始,締切日,"
                                         "締切時刻,締切区分,対象年度,URL\r\n"));
  g_assert_nonnull (strstr (text, "まだ登録のない基金"));
  g_assert_nonnull (strstr (text, "2026-05-31,17:00,必着,2026"));
  /* Imported again: the same rows. */
  g_clear_pointer (&imp, tsu_record_import_free);
  imp = tsu_record_import_new_from_data (&tsu_programme_collection, g_bytes_get_data (out, NULL),
                                         g_bytes_get_size (out), &ctx, &error);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_cmpuint (n.n_new, ==, 0);
  g_assert_cmpuint (n.n_unchanged, ==, 2);
}

/* RFC 5545 by hand: CRLF, lines of at most 75 octets, continuation lines
 * starting with a space, escaped text, one VEVENT per dated deadline,
 * stable UIDs. (tests/grants/check-ics.py also parses it with a real
 * iCalendar library.) */
static void
test_ics (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) a = NULL, b = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint events = 0;

  g_free (add (f, "programmes",
               "{\"name\":\"とても長い名前の助成金、締切は午後五時；説明もカンマ, セミコロン; "
               "バックスラッシュ\\\\ を含みます\",\"deadline_on\":\"2026-04-10\","
               "\"deadline_time\":\"17:00\",\"deadline_kind\":\"arrive\","
               "\"url\":\"https://example.jp/x\"}"));
  g_free (add (f, "programmes", "{\"name\":\"終日\",\"deadline_on\":\"2026-05-01\"}"));
  g_free (add (f, "programmes", "{\"name\":\"随時\",\"deadline_kind\":\"rolling\"}"));
  a = tsu_grants_ics (f->store, &f->today, &error);
  g_assert_no_error (error);
  b = tsu_grants_ics (f->store, &f->today, &error);
  text = g_strndup (g_bytes_get_data (a, NULL), g_bytes_get_size (a));
  g_assert_true (g_str_has_suffix (text, "END:VCALENDAR\r\n"));
  g_assert_nonnull (strstr (text, "\r\nMETHOD:PUBLISH\r\n"));
  /* No control characters but the line ends. */
  for (const char *p = text; *p; p++)
    g_assert_true (((guchar)*p >= 0x20 && *p != 0x7f) || *p == '\r' || *p == '\n' || *p == '\t');
  g_assert_nonnull (strstr (text, "SUMMARY:終日\r\n"));
  g_assert_null (strstr (text, "随時"));
  lines = g_strsplit (text, "\r\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      g_assert_cmpuint (strlen (lines[i]), <=, 75);
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_true (g_utf8_validate (lines[i], -1, NULL));
      if (g_str_equal (lines[i], "BEGIN:VEVENT"))
        events++;
    }
  g_assert_cmpuint (events, ==, 2);
  g_assert_nonnull (strstr (text, "DTSTART;TZID=Asia/Tokyo:20260410T170000"));
  g_assert_nonnull (strstr (text, "DTSTART;VALUE=DATE:20260501"));
  g_assert_nonnull (strstr (text, "DTEND;VALUE=DATE:20260502"));
  g_assert_nonnull (strstr (text, "TZID:Asia/Tokyo"));
  /* Unfolded, the summary is the name with its escapes. */
  {
    g_autoptr (GString) unfolded = g_string_new (NULL);

    for (guint i = 0; lines[i]; i++)
      g_string_append (unfolded, lines[i][0] == ' ' ? lines[i] + 1 : lines[i]);
    g_assert_nonnull (strstr (unfolded->str, "締切は午後五時；説明もカンマ\\, セミコロン\\; "
                                             "バックスラッシュ\\\\ を含みます"));
  }
  /* The same UIDs every time (DTSTAMP aside). */
  {
    g_autofree char *other = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
    const char      *u1 = strstr (text, "UID:"), *u2 = strstr (other, "UID:");

    g_assert_cmpint (strncmp (u1, u2, 50), ==, 0);
  }
}

/* The list's sections: the computed "bucket" column (SQL) agrees with
 * tsu_programme_bucket() (C) on every day of a span that crosses weeks,
 * month ends and the 年度's end; the key ranges of the page's filters
 * hold exactly the programmes of their section. */
static void
test_sections (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  const char *cols[] = { "name", "bucket", "due", "deadline_on", NULL };
  g_autoptr (TsuRecordList) list = tsu_record_list_new (f->store, &tsu_programme_collection, cols);
  GDate day;

  /* A deadline on each day from 20 March to 10 May, a timed one, one
   * online, and two without a date. */
  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 20, 3, 2026);
  for (guint i = 0; i < 52; i++, g_date_add_days (&day, 1))
    {
      g_autofree char *iso = tsu_date_to_iso (&day);
      g_autofree char *row = g_strdup_printf (
          "{\"name\":\"P%02u\",\"deadline_on\":\"%s\",\"deadline_kind\":\"%s\"%s}", i, iso,
          i % 3 == 0 ? "postmark" : "arrive", i % 5 == 0 ? ",\"deadline_time\":\"17:00\"" : "");
      g_free (add (f, "programmes", row));
    }
  g_free (add (f, "programmes", "{\"name\":\"随時\",\"deadline_kind\":\"rolling\"}"));
  g_free (add (f, "programmes", "{\"name\":\"日付なし\",\"deadline_kind\":\"arrive\"}"));

  /* Today from Monday 23 March to Sunday 5 April. */
  for (guint t = 0; t < 14; t++)
    {
      GDate today;
      guint seen[5] = { 0 };

      g_date_clear (&today, 1);
      g_date_set_dmy (&today, 23, 3, 2026);
      g_date_add_days (&today, t);
      for (TsuDeadlineBucket b = TSU_DEADLINE_THIS_WEEK; b <= TSU_DEADLINE_PAST; b++)
        {
          g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_programme_collection);
          g_autofree char *from = NULL, *to = NULL;
          guint            n;

          q->today = today;
          tsu_record_query_set_sort (q, "deadline", FALSE);
          tsu_grants_bucket_range (b, &today, &from, &to);
          if (from)
            tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_GE, from);
          if (to)
            tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_LT, to);
          g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
          g_assert_no_error (error);
          n = g_list_model_get_n_items (G_LIST_MODEL (list));
          for (guint i = 0; i < n; i++)
            {
              g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
              g_autofree char *code = g_strdup_printf ("%d", b);
              g_autoptr (JsonObject) p
                  = tsu_store_get (f->store, "programmes", tsu_record_item_get_id (item), NULL);

              g_assert_cmpstr (tsu_record_item_get_cell (item, "bucket"), ==, code);
              g_assert_cmpint (tsu_programme_bucket (p, &today), ==, b);
            }
          seen[b] = n;
        }
      /* Every programme is in exactly one section. */
      g_assert_cmpuint (seen[0] + seen[1] + seen[2] + seen[3] + seen[4], ==, 54);
      g_assert_cmpuint (seen[TSU_DEADLINE_ANY_TIME], ==, 2);
      /* Monday 30 March: the week reaches into April, so March has nothing
       * left that is not this week. */
      if (g_date_get_day (&today) == 30)
        g_assert_cmpuint (seen[TSU_DEADLINE_THIS_MONTH], ==, 0);
    }

  /* Days left as the list says them, on 24 March. */
  {
    g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_programme_collection);
    const char *want[][2] = { { "P04", "Today ・ Must arrive by" },
                              { "P05", "Tomorrow ・ Must arrive by" },
                              { "P06", "2 days left ・ Postmarked by" },
                              { "P00", "Closed" },
                              { "随時", "Any time" } };

    q->today = f->today;
    g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
    for (guint w = 0; w < G_N_ELEMENTS (want); w++)
      {
        gboolean found = FALSE;

        for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
          {
            g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);

            if (g_strcmp0 (tsu_record_item_get_cell (item, "name"), want[w][0]) == 0)
              {
                g_assert_cmpstr (tsu_record_item_get_cell (item, "due"), ==, want[w][1]);
                found = TRUE;
              }
          }
        g_assert_true (found);
      }
  }
}

static char *
add_group (Fixture *f, const char *name, const char *kana, const char *extra)
{
  g_autofree char *row
      = g_strdup_printf ("{\"name\":\"%s\",\"name_kana\":\"%s\",\"registered_on\":\"2025-04-01\","
                         "\"valid_fiscal_year\":2025%s}",
                         name, kana, extra ? extra : "");

  return add (f, "groups", row);
}

static void
set_state (Fixture *f, const char *programme, const char *group, const char *change)
{
  g_autoptr (GError) error = NULL;
  const char *params[] = { programme, group, NULL };
  g_autoptr (GPtrArray) rows = tsu_store_find (
      f->store, "applications", "programme_id = ? AND group_id = ?", params, NULL, 0, &error);
  g_autoptr (JsonObject) o = json (change);

  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_true (tsu_store_update (
      f->store, "applications", json_object_get_string_member (g_ptr_array_index (rows, 0), "id"),
      o, &error));
  g_assert_no_error (error);
}

/* Telling groups: suggestions by field, status and past awards of a tiered
 * programme; the notice; the contacts CSV holds only what each group made
 * public; a group's programmes and what it received per 年度. */
static void
test_tell_outputs (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *often
      = add_group (f, "三回の会", "サンカイノカイ",
                   ",\"fields\":[3],\"phone\":\"0944-11-1111\",\"email\":\"a@example.jp\","
                   "\"public_fields\":[\"phone\"]");
  g_autofree char *once = add_group (f, "一回の会", "イッカイノカイ",
                                     ",\"fields\":[3,4],\"phone\":\"0944-22-2222\","
                                     "\"address\":\"大牟田市有明町1-1\",\"public_fields\":"
                                     "[\"phone\",\"address\",\"representative\"],"
                                     "\"rep_family_name\":\"大牟田\",\"rep_given_name\":\"花子\"");
  g_autofree char *fresh = add_group (f, "あたらしい会", "アタラシイカイ",
                                      ",\"fields\":[3],\"phone\":\"0944-33-3333\"");
  g_autofree char *other = add_group (f, "ちがう分野の会", "チガウブンヤノカイ", ",\"fields\":[9]");
  const char      *tiers = "\"tiers\":[{\"times\":0,\"ceiling\":300000,\"rate\":\"10/10\"},"
                           "{\"times\":1,\"ceiling\":200000,\"rate\":\"2/3\"},"
                           "{\"times\":3,\"ceiling\":0}]";
  g_autofree char *current = NULL;
  g_autoptr (JsonArray) suggest = NULL;
  g_autofree char *notice = NULL;
  g_autoptr (GBytes) csv = NULL;
  g_autofree char *text = NULL;
  g_autoptr (JsonObject) summary = NULL;

  /* Past years: 三回の会 received it in 2022, 2023 and 2024, 一回の会 in 2024. */
  for (int fy = 2022; fy <= 2024; fy++)
    {
      g_autofree char *row = g_strdup_printf (
          "{\"name\":\"市民活動団体応援補助金\",\"fiscal_year\":%d,\"deadline_on\":\"%d-05-31\","
          "\"fields\":[3],%s}",
          fy, fy, tiers);
      g_autofree char *p = add (f, "programmes", row);
      GStrv ids = fy == 2024 ? (char *[]){ often, once, NULL } : (char *[]){ often, NULL };

      g_assert_true (tsu_grants_tell (f->store, p, ids, &f->today, NULL, &error));
      set_state (f, p, often, "{\"state\":\"awarded\",\"amount_awarded\":100000}");
      if (fy == 2024)
        set_state (f, p, once, "{\"state\":\"awarded\",\"amount_awarded\":250000}");
    }
  current = add (f, "programmes",
                 "{\"name\":\"市民活動団体応援補助金\",\"fiscal_year\":2026,\"deadline_on\":"
                 "\"2026-05-31\",\"deadline_kind\":\"postmark\",\"fields\":[3],\"ceiling\":300000,"
                 "\"url\":\"https://example.jp/oen\",\"tiers\":[{\"times\":0,\"ceiling\":300000,"
                 "\"rate\":\"10/10\"},{\"times\":1,\"ceiling\":200000,\"rate\":\"2/3\"},"
                 "{\"times\":3,\"ceiling\":0}]}");

  suggest = tsu_grants_suggest_groups (f->store, current, &f->today, &error);
  g_assert_no_error (error);
  /* 三回の会 may no longer apply; those that received it before first. */
  g_assert_cmpuint (json_array_get_length (suggest), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (suggest, 0), "id"),
                   ==, once);
  g_assert_cmpint (
      json_object_get_int_member (json_array_get_object_element (suggest, 0), "ceiling"), ==,
      200000);
  g_assert_nonnull (
      strstr (json_object_get_string_member (json_array_get_object_element (suggest, 0), "reason"),
              "200,000"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (suggest, 1), "id"),
                   ==, fresh);
  (void)other;

  notice = tsu_grants_notice_text (f->store, current, &error);
  g_assert_nonnull (strstr (notice, "【市民活動団体応援補助金】のご案内"));
  g_assert_nonnull (strstr (notice, "上限額: 300,000円"));
  g_assert_nonnull (strstr (notice, "・1回受けた団体: 上限200,000円（補助率 2/3）"));
  g_assert_nonnull (strstr (notice, "・3回受けた団体: 対象外"));
  g_assert_nonnull (strstr (notice, "締切: 2026年5月31日（日） 消印有効"));
  g_assert_nonnull (strstr (notice, "詳しくは: https://example.jp/oen"));

  /* What each group made public, nothing else. */
  csv = tsu_grants_contacts_csv (f->store, (char *[]){ once, fresh, NULL }, TSU_CSV_ENCODING_UTF8,
                                 NULL, &error);
  g_assert_no_error (error);
  text = g_strndup (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv));
  g_assert_true (g_str_has_prefix (text, "団体名,代表者,郵便番号,住所,電話番号,メールアドレス,"
                                         "連絡担当者,連絡先電話番号,連絡先メールアドレス\r\n"));
  g_assert_nonnull (strstr (text, "一回の会,大牟田 花子,,大牟田市有明町1-1,0944-22-2222,,,,\r\n"));
  g_assert_nonnull (strstr (text, "あたらしい会,,,,,,,,\r\n"));
  g_assert_null (strstr (text, "0944-33-3333"));
  g_assert_null (strstr (text, "三回の会"));

  /* The programme's page: its groups state by state. */
  {
    g_autoptr (JsonArray) list = NULL;
    g_autofree char *prev = g_strdup (tsu_store_get_author (f->store));

    g_assert_true (tsu_grants_tell (f->store, current, (char *[]){ fresh, once, NULL }, &f->today,
                                    NULL, &error));
    list = tsu_grants_programme_groups (f->store, current, &error);
    g_assert_cmpuint (json_array_get_length (list), ==, 2);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (list, 0), "name"), ==,
        "あたらしい会");
    tsu_store_set_author (f->store, "窓口 花子");
    g_assert_true (tsu_grants_set_state (
        f->store, json_object_get_string_member (json_array_get_object_element (list, 1), "id"),
        "interested", &f->today, &error));
    tsu_store_set_author (f->store, prev);
    g_clear_pointer (&list, json_array_unref);
    list = tsu_grants_programme_groups (f->store, current, &error);
    /* 関心あり comes after 案内済. */
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (list, 1), "name"), ==,
        "一回の会");
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (list, 1), "state"), ==,
        "interested");
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (list, 1), "staff"), ==,
        "窓口 花子");
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (list, 1), "state_on"), ==,
        "2026-03-24");
  }

  /* A group's page: its programmes (newest 年度 first) and what it got. */
  g_assert_true (
      tsu_grants_tell (f->store, current, (char *[]){ once, NULL }, &f->today, NULL, &error));
  summary = tsu_grants_group_summary (f->store, often, &error);
  g_assert_no_error (error);
  {
    JsonArray *programmes = json_object_get_array_member (summary, "programmes");
    JsonArray *years = json_object_get_array_member (summary, "years");

    g_assert_cmpuint (json_array_get_length (programmes), ==, 3);
    g_assert_cmpint (
        json_object_get_int_member (json_array_get_object_element (programmes, 0), "fiscal_year"),
        ==, 2024);
    g_assert_cmpuint (json_array_get_length (years), ==, 3);
    g_assert_cmpint (
        json_object_get_int_member (json_array_get_object_element (years, 0), "awarded"), ==,
        100000);
  }
  g_clear_pointer (&summary, json_object_unref);
  summary = tsu_grants_group_summary (f->store, once, &error);
  {
    JsonArray *programmes = json_object_get_array_member (summary, "programmes");
    JsonArray *years = json_object_get_array_member (summary, "years");

    g_assert_cmpuint (json_array_get_length (programmes), ==, 2);
    g_assert_cmpstr (
        json_object_get_string_member (json_array_get_object_element (programmes, 0), "state"), ==,
        "interested");
    g_assert_cmpuint (json_array_get_length (years), ==, 1);
    g_assert_cmpint (
        json_object_get_int_member (json_array_get_object_element (years, 0), "fiscal_year"), ==,
        2024);
    g_assert_cmpint (
        json_object_get_int_member (json_array_get_object_element (years, 0), "awarded"), ==,
        250000);
  }

  /* Each year's call is the same programme. */
  {
    const char *same[]
        = { "令和8年度 市民活動団体応援補助金", "2027年度市民活動団体応援補助金",
            "令和９年度　市民活動団体応援補助金（2次募集）", "市民活動団体応援補助金" };

    for (guint i = 0; i < G_N_ELEMENTS (same); i++)
      {
        g_autofree char *series = tsu_grants_series_name (same[i]);
        g_assert_cmpstr (series, ==, "市民活動団体応援補助金");
      }
  }

  /* The copy for the next 年度 moves the 年度 in its name too. */
  {
    g_autofree char *a = tsu_grants_next_year_name ("令和8年度 地域づくり助成", 2026);
    g_autofree char *b = tsu_grants_next_year_name ("2026年度(令和８年度)子ども基金", 2026);
    g_autofree char *c = tsu_grants_next_year_name ("令和8年度 地域づくり助成", 2025);
    g_autofree char *d = tsu_grants_next_year_name ("平成30年度の助成", 2018);

    g_assert_cmpstr (a, ==, "令和9年度 地域づくり助成");
    g_assert_cmpstr (b, ==, "2027年度(令和９年度)子ども基金");
    g_assert_null (c);
    g_assert_cmpstr (d, ==, "令和元年度の助成");
  }
}

/* The demo: about 80 programmes of every kind and funder, deadlines spread
 * over the year with some this week, 随時 ones, groups in every state, and
 * past awards of the tiered subsidy that its suggestions take into
 * account; the same seed gives the same programmes. */
static void
test_demo (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (20261126);
  g_autoptr (GPtrArray) programmes = NULL;
  g_autoptr (GHashTable) months = g_hash_table_new (NULL, NULL);
  g_autoptr (GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) states = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GPtrArray) apps = NULL;
  g_autoptr (JsonArray) up = NULL;
  guint    buckets[5] = { 0 };
  gboolean tier_reason = FALSE;

  g_assert_true (tsu_demo_populate_groups (f->store, rand, 300, &f->today, &error));
  g_assert_true (tsu_demo_populate_funders (f->store, rand, &error));
  g_assert_true (tsu_demo_populate_grants (f->store, rand, &f->today, &error));
  g_assert_no_error (error);
  programmes = tsu_store_find (f->store, "programmes", "1", NULL, "deadline_key", 0, &error);
  g_assert_cmpuint (programmes->len, >=, 75);
  g_assert_cmpuint (programmes->len, <=, 90);
  for (guint i = 0; i < programmes->len; i++)
    {
      JsonObject *p = g_ptr_array_index (programmes, i);
      GDate       d;

      g_hash_table_add (kinds, (gpointer)tsu_record_get_string (p, "kind"));
      buckets[tsu_programme_bucket (p, &f->today)]++;
      if (tsu_date_from_iso (tsu_record_get_string (p, "deadline_on"), &d)
          && g_date_compare (&d, &f->today) >= 0)
        g_hash_table_add (months, GINT_TO_POINTER (g_date_get_month (&d)));
      /* Every programme names a funder of the demo's. */
      g_assert_nonnull (tsu_record_get_string (p, "funder_id"));
    }
  g_assert_cmpuint (g_hash_table_size (kinds), ==, 5);
  g_assert_cmpuint (g_hash_table_size (months), >=, 10);
  g_assert_cmpuint (buckets[TSU_DEADLINE_THIS_WEEK], >=, 2);
  g_assert_cmpuint (buckets[TSU_DEADLINE_ANY_TIME], >=, 3);
  g_assert_cmpuint (buckets[TSU_DEADLINE_PAST], >=, 20);
  g_assert_cmpuint (buckets[TSU_DEADLINE_LATER], >=, 20);

  apps = tsu_store_find (f->store, "applications", "1", NULL, NULL, 0, &error);
  for (guint i = 0; i < apps->len; i++)
    g_hash_table_add (states,
                      (gpointer)tsu_record_get_string (g_ptr_array_index (apps, i), "state"));
  g_assert_cmpuint (g_hash_table_size (states), ==, 6);

  /* The upcoming list shows counts. */
  up = tsu_grants_upcoming (f->store, &f->today, 0, &error);
  g_assert_cmpuint (json_array_get_length (up), ==, programmes->len - buckets[TSU_DEADLINE_PAST]);

  /* This year's tiered subsidy: some groups received it before. */
  for (guint i = 0; i < programmes->len && !tier_reason; i++)
    {
      JsonObject *p = g_ptr_array_index (programmes, i);
      g_autoptr (JsonArray) s = NULL;

      if (json_object_get_member (p, "tiers") == NULL
          || tsu_programme_bucket (p, &f->today) == TSU_DEADLINE_PAST)
        continue;
      s = tsu_grants_suggest_groups (f->store, tsu_record_get_string (p, "id"), &f->today, &error);
      g_assert_no_error (error);
      for (guint k = 0; k < json_array_get_length (s); k++)
        if (json_object_get_int_member (json_array_get_object_element (s, k), "times_awarded") > 0)
          tier_reason = TRUE;
    }
  g_assert_true (tier_reason);
}

typedef struct
{
  guint n;
} ManyPast;

static gboolean
add_many (TsuStore *store, gpointer data, GError **error)
{
  ManyPast *m = data;

  for (guint i = 0; i < m->n; i++)
    {
      g_autoptr (JsonObject) o = json_object_new ();
      g_autofree char *name = g_strdup_printf ("助成%u", i);
      g_autofree char *day = NULL;
      g_autofree char *id = NULL;
      GDate            d;

      /* Four in five long closed, the rest from today on; 随時 now and then. */
      g_date_clear (&d, 1);
      g_date_set_dmy (&d, 1, 4, i % 5 ? 2020 : 2026);
      g_date_add_days (&d, i % 365);
      day = tsu_date_to_iso (&d);
      json_object_set_string_member (o, "name", name);
      json_object_set_string_member (o, "deadline_on", day);
      json_object_set_string_member (o, "kind", i % 3 ? "grant" : "subsidy");
      if (i % 11 == 0)
        json_object_set_string_member (o, "deadline_kind", "rolling");
      id = tsu_store_insert (store, "programmes", o, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
same_start (GArray *first, GArray *all)
{
  if (first->len > all->len)
    return FALSE;
  for (guint i = 0; i < first->len; i++)
    if (g_array_index (first, gint64, i) != g_array_index (all, gint64, i))
      return FALSE;
  return TRUE;
}

/* The list's first screen of upcoming deadlines walks the deadline index
 * from today on (not from the oldest closed programme): found at once with
 * thousands closed before it, and exactly the start of the whole list. */
static void
test_list_first_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  ManyPast m = { 4000 };
  sqlite3 *db;
  struct
  {
    const char *from, *to, *kind;
    gboolean    descending;
  } cases[] = {
    { "2026-04-01", NULL, NULL, FALSE },         /* upcoming */
    { "2026-04-01", NULL, "subsidy", FALSE },    /* upcoming subsidies */
    { "2026-05-01", "2026-06-01", NULL, FALSE }, /* a month */
    { NULL, "2026-04-01", NULL, TRUE },          /* closed, newest first */
    { "9999", NULL, NULL, FALSE },               /* 随時 */
  };

  g_assert_true (tsu_store_transaction (f->store, TSU_ORIGIN_IMPORT, add_many, &m, &error));
  g_assert_no_error (error);
  db = tsu_store_open_reader (f->store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (TsuRecordQuery) q = tsu_record_query_new (&tsu_programme_collection);
      g_autoptr (GArray) all = NULL;
      g_autoptr (GArray) first = NULL;

      q->today = f->today;
      tsu_record_query_set_sort (q, "deadline", cases[i].descending);
      if (cases[i].from)
        tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_GE, cases[i].from);
      if (cases[i].to)
        tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_LT, cases[i].to);
      if (cases[i].kind)
        tsu_record_query_add_filter (q, "kind", TSU_FILTER_EQ, cases[i].kind);
      all = tsu_record_query_run (db, q, &error);
      g_assert_no_error (error);
      first = tsu_record_query_run_first (db, q, 64, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (all->len, >=, 64);
      /* Found by the walk, though 3,200 closed programmes come first in
       * the index. */
      g_assert_nonnull (first);
      g_assert_cmpuint (first->len, ==, 64);
      g_assert_true (same_start (first, all));
    }
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/grants/deadlines", test_deadlines);
  ADD ("/grants/tiers-and-telling", test_tiers_and_telling);
  ADD ("/grants/reminders", test_reminders);
  ADD ("/grants/csv", test_csv);
  ADD ("/grants/ics", test_ics);
  ADD ("/grants/sections", test_sections);
  ADD ("/grants/tell-outputs", test_tell_outputs);
  ADD ("/grants/demo", test_demo);
  ADD ("/grants/list-first-page", test_list_first_page);
#undef ADD

  return g_test_run ();
}
