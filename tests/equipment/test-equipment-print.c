/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The papers of the counter, through GtkPrintOperation's PDF export: a
 * 貸出票 for two items lent together to a group, a 使用許可書 for a room;
 * private files (0600), with what the counter hands over on them.
 * TSU_SCREENSHOT_DIR=DIR also writes both there, in the user's language. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "tsu-application.h"
#include "tsu-equipment-print.h"
#include "tsu-equipment.h"
#include "tsu-record.h"

typedef struct
{
  char     *dir;
  TsuStore *store;
  char     *group;
  GDate     today;
} Fixture;

static char *
insert (Fixture *f, const char *coll, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = tsu_store_insert (f->store, coll, json_node_get_object (node), &error);
  g_assert_no_error (error);
  return id;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsu-equipment-print-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "desk.db", NULL);
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  g_date_clear (&f->today, 1);
  g_date_set_dmy (&f->today, 1, 12, 2026);
  f->group
      = insert (f, "groups",
                "{\"name\": \"白川読み聞かせの会\", \"name_kana\": \"シラカワヨミキカセノカイ\","
                " \"registration_number\": \"2026-001\", \"registered_on\": \"2026-04-10\","
                " \"valid_fiscal_year\": 2026, \"contact_phone\": \"0944-00-1111\"}");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
  const char *name;

  g_clear_object (&f->store);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_unlink (p);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_free (f->group);
}

static GPtrArray *
details (Fixture *f, GPtrArray *ids)
{
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (GError) error = NULL;
      JsonObject *b = tsu_booking_get_details (f->store, ids->pdata[i], &error);

      g_assert_no_error (error);
      g_ptr_array_add (out, b);
    }
  return out;
}

/* The PDF's text (pdftotext), or NULL when the tool is not there. */
static char *
pdf_text (const char *pdf)
{
  g_autofree char *tool = g_find_program_in_path ("pdftotext");
  char            *out = NULL;
  const char      *argv[] = { tool, "-layout", pdf, "-", NULL };

  if (tool == NULL)
    return NULL;
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL,
                               &out, NULL, NULL, NULL));
  return out;
}

static void
write_paper (GPtrArray *bookings, const char *pdf)
{
  g_autoptr (GError) error = NULL;
  TsuEquipmentPaper paper = { "大牟田市市民活動サポートセンター", "センター長　大牟田 太郎",
                              TSU_DATE_STYLE_BOTH, NULL };
  GStatBuf         st;
  g_autofree char *contents = NULL;

  g_assert_true (tsu_equipment_print (NULL, bookings, &paper, pdf, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (pdf, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (pdf, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
}

static void
test_loan_slip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *pj = insert (f, "resources",
                                "{\"kind\": \"item\", \"name\": \"液晶プロジェクター\","
                                " \"control_number\": \"PJ-01\", \"status\": \"available\","
                                " \"max_loan_days\": 7, \"fee_kind\": \"free\","
                                " \"accessories\": [\"リモコン\", \"HDMIケーブル\"]}");
  g_autofree char *sc = insert (f, "resources",
                                "{\"kind\": \"item\", \"name\": \"スクリーン（80型）\","
                                " \"control_number\": \"SC-02\", \"status\": \"available\","
                                " \"max_loan_days\": 7, \"fee_kind\": \"free\"}");
  g_autoptr (JsonObject) common = json_object_new ();
  g_autoptr (JsonArray) items = json_array_new ();
  g_autoptr (GPtrArray) ids = NULL;
  g_autoptr (GPtrArray) bookings = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "slip.pdf", NULL);
  g_autofree char *text = NULL;

  json_object_set_string_member (common, "group_id", f->group);
  json_object_set_string_member (common, "contact_name", "古賀 花子");
  json_object_set_string_member (common, "purpose", "おはなし会");
  json_object_set_string_member (common, "due_at", "2026-12-08T17:00");
  for (const char *const *id = (const char *const[]){ pj, sc, NULL }; *id; id++)
    {
      JsonObject *it = json_object_new ();

      json_object_set_string_member (it, "resource_id", *id);
      json_object_set_int_member (it, "quantity", 1);
      if (*id == pj)
        {
          JsonArray *acc = json_array_new ();

          json_array_add_string_element (acc, "リモコン");
          json_array_add_string_element (acc, "HDMIケーブル");
          json_object_set_array_member (it, "accessories_out", acc);
        }
      json_array_add_object_element (items, it);
    }
  ids = tsu_booking_lend_now (f->store, common, items, "2026-12-01T10:00", &f->today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 2);
  bookings = details (f, ids);
  g_assert_cmpstr (tsu_equipment_paper_title (bookings), ==, _ ("Equipment Loan Slip"));
  write_paper (bookings, pdf);
  if ((text = pdf_text (pdf)))
    {
      g_test_message ("%s", text);
      for (const char *const *want
           = (const char *const[]){ "液晶プロジェクター", "PJ-01", "スクリーン", "SC-02",
                                    "白川読み聞かせの会", "古賀 花子", "リモコン", NULL };
           *want; want++)
        {
          g_test_message ("want %s", *want);
          g_assert_nonnull (strstr (text, *want));
        }
    }
  if (g_getenv ("TSU_SCREENSHOT_DIR"))
    {
      g_autofree char *shot
          = g_build_filename (g_getenv ("TSU_SCREENSHOT_DIR"), "loan-slip.pdf", NULL);
      write_paper (bookings, shot);
    }
}

static void
test_room_permit (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *room = insert (f, "resources",
                                  "{\"kind\": \"room\", \"name\": \"会議室A\", \"capacity\": 30,"
                                  " \"status\": \"available\", \"fee_kind\": \"per_slot\","
                                  " \"fee\": 500, \"open_time\": \"09:00\","
                                  " \"close_time\": \"21:00\"}");
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *id = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) bookings = NULL;
  g_autofree char *pdf = g_build_filename (f->dir, "permit.pdf", NULL);
  g_autofree char *text = NULL;

  json_object_set_string_member (o, "resource_id", room);
  json_object_set_string_member (o, "group_id", f->group);
  json_object_set_string_member (o, "start_at", "2026-12-05T13:00");
  json_object_set_string_member (o, "due_at", "2026-12-05T17:00");
  json_object_set_int_member (o, "attendees", 18);
  json_object_set_string_member (o, "purpose", "定例会");
  id = tsu_booking_book (f->store, o, &f->today, &error);
  g_assert_no_error (error);
  g_ptr_array_add (ids, g_strdup (id));
  bookings = details (f, ids);
  g_assert_cmpstr (tsu_equipment_paper_title (bookings), ==, _ ("Room Use Permit"));
  write_paper (bookings, pdf);
  if ((text = pdf_text (pdf)))
    {
      g_test_message ("%s", text);
      g_assert_nonnull (strstr (text, "会議室A"));
      g_assert_nonnull (strstr (text, "定例会"));
      g_assert_nonnull (strstr (text, "白川読み聞かせの会"));
    }
  if (g_getenv ("TSU_SCREENSHOT_DIR"))
    {
      g_autofree char *shot
          = g_build_filename (g_getenv ("TSU_SCREENSHOT_DIR"), "room-permit.pdf", NULL);
      write_paper (bookings, shot);
    }
}

int
main (int argc, char *argv[])
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  if (g_getenv ("TSU_SCREENSHOT_DIR"))
    tsu_application_init_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/equipment/print/loan-slip", test_loan_slip);
  ADD ("/equipment/print/room-permit", test_room_permit);
#undef ADD
  return g_test_run ();
}
