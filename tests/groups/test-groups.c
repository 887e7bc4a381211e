/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Groups core: status, renewal, duplicates, search, import and export,
 * on real SQLite files through the store's write path. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "tsu-store.h"
#include "tsu-demo.h"
#include "tsu-date.h"
#include "tsu-group.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-record-list.h"
#include "tsu-record.h"

typedef struct
{
  char     *dir;
  char     *path;
  TsuStore *store;
} Fixture;

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->dir = g_dir_make_tmp ("tsu-groups-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
  tsu_store_set_author (f->store, "テスト");
}

static void
rm_rf (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (dir);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gpointer weak = f->store;
  gint64   until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* Lists follow the store's "changed" signal with queries in worker
   * threads; their results come back through the main context. */
  g_object_add_weak_pointer (weak, &weak);
  g_object_unref (f->store);
  while (weak != NULL && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_null (weak);
  rm_rf (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
date_of (const char *iso, GDate *d)
{
  g_date_clear (d, 1);
  g_assert_true (tsu_date_from_iso (iso, d));
}

static char *
corporate_number (const char *twelve)
{
  int sum = 0, n = 1;

  for (int i = 11; i >= 0; i--, n++)
    sum += (twelve[i] - '0') * (n % 2 ? 1 : 2);
  return g_strdup_printf ("%d%s", 9 - sum % 9, twelve);
}

static JsonObject *
group_new (const char *name, const char *kana)
{
  JsonObject *g = json_object_new ();

  json_object_set_string_member (g, "name", name);
  json_object_set_string_member (g, "name_kana", kana);
  return g;
}

static char *
insert (Fixture *f, JsonObject *g)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  g_autoptr (JsonObject) norm = tsu_record_normalize (&tsu_group_collection, g, problems);
  char *id;

  g_assert_false (tsu_problems_have_error (problems));
  id = tsu_store_insert (f->store, "groups", norm, &error);
  g_assert_no_error (error);
  return id;
}

/* ---- the record layer, as the groups page uses it ---- */

static const char *list_columns[] = { "name", "name_kana", "status", NULL };
static const char *sort_ids[] = { "reading", "number", "status", "renewal" };

static TsuRecordQuery *
group_query (void)
{
  TsuRecordQuery *q = tsu_record_query_new (&tsu_group_collection);

  tsu_record_query_set_param (q, "renewal_days", TSU_GROUP_DEFAULT_RENEWAL_DAYS);
  return q;
}

static void
set_status (TsuRecordQuery *q, int status)
{
  g_autofree char *v = g_strdup_printf ("%d", status);

  tsu_record_query_add_filter (q, "status", TSU_FILTER_EQ, v);
}

static void
set_field (TsuRecordQuery *q, guint field)
{
  g_autofree char *v = g_strdup_printf ("%u", field);

  tsu_record_query_add_filter (q, "fields", TSU_FILTER_CONTAINS, v);
}

static int
item_status (TsuRecordItem *item)
{
  return (int)g_ascii_strtoll (tsu_record_item_get_cell (item, "status"), NULL, 10);
}

static TsuRecordImport *
import_file (const char *path, const GDate *today, GError **error)
{
  TsuCsvContext ctx = { *today, NULL, FALSE };

  return tsu_record_import_new_from_file (&tsu_group_collection, path, &ctx, error);
}

static TsuRecordImport *
import_data (const char *data, gsize len, const GDate *today, GError **error)
{
  TsuCsvContext ctx = { *today, NULL, FALSE };

  return tsu_record_import_new_from_data (&tsu_group_collection, data, len, &ctx, error);
}

static gboolean
import_commit (TsuRecordImport *imp,
               TsuStore        *store,
               gboolean         only_valid,
               guint           *inserted,
               guint           *updated,
               GError         **error)
{
  TsuImportCounts n;

  if (!tsu_record_import_commit (imp, store, only_valid, &n, error))
    return FALSE;
  if (inserted)
    *inserted = n.n_new;
  if (updated)
    *updated = n.n_updated;
  return TRUE;
}

static GBytes *
export_groups (TsuStore      *store,
               TsuCsvEncoding encoding,
               gboolean       public_only,
               const GDate   *today,
               GError       **error)
{
  TsuCsvContext ctx = { *today, NULL, public_only };

  return tsu_record_export (store, &tsu_group_collection, NULL, encoding, &ctx, NULL, error);
}

/* ---- status ---- */

static TsuGroupStatus
status_on (JsonObject *g, const char *iso, guint days)
{
  GDate d;

  date_of (iso, &d);
  return tsu_group_status (g, &d, days);
}

static void
test_status_boundaries (void)
{
  g_autoptr (JsonObject) g = group_new ("大牟田子ども食堂の会", "オオムタコドモショクドウノカイ");

  json_object_set_string_member (g, "applied_on", "2026-04-10");
  g_assert_cmpint (status_on (g, "2026-04-15", 60), ==, TSU_GROUP_STATUS_APPLYING);

  json_object_set_string_member (g, "registered_on", "2026-05-01");
  json_object_set_int_member (g, "valid_fiscal_year", 2026);
  /* Registered from its date, not before. */
  g_assert_cmpint (status_on (g, "2026-04-30", 60), ==, TSU_GROUP_STATUS_APPLYING);
  g_assert_cmpint (status_on (g, "2026-05-01", 60), ==, TSU_GROUP_STATUS_REGISTERED);
  /* 60 days before 2027-03-31, counting the 31st, is 2027-01-31. */
  g_assert_cmpint (status_on (g, "2027-01-30", 60), ==, TSU_GROUP_STATUS_REGISTERED);
  g_assert_cmpint (status_on (g, "2027-01-31", 60), ==, TSU_GROUP_STATUS_RENEWAL_DUE);
  g_assert_cmpint (status_on (g, "2027-03-31", 60), ==, TSU_GROUP_STATUS_RENEWAL_DUE);
  /* The 年度 ends on 31 March, not on 31 December. */
  g_assert_cmpint (status_on (g, "2026-12-31", 60), ==, TSU_GROUP_STATUS_REGISTERED);
  g_assert_cmpint (status_on (g, "2027-01-01", 60), ==, TSU_GROUP_STATUS_REGISTERED);
  g_assert_cmpint (status_on (g, "2027-04-01", 60), ==, TSU_GROUP_STATUS_LAPSED);
  /* A longer renewal window moves the start. */
  g_assert_cmpint (status_on (g, "2027-01-30", 90), ==, TSU_GROUP_STATUS_RENEWAL_DUE);
  g_assert_cmpint (status_on (g, "2026-12-31", 91), ==, TSU_GROUP_STATUS_RENEWAL_DUE);
  g_assert_cmpint (status_on (g, "2026-12-31", 90), ==, TSU_GROUP_STATUS_REGISTERED);

  /* Without valid_fiscal_year the 年度 of registration counts: a March
   * registration belongs to the previous 年度. */
  json_object_remove_member (g, "valid_fiscal_year");
  json_object_set_string_member (g, "registered_on", "2027-03-15");
  g_assert_cmpint (tsu_group_valid_fiscal_year (g), ==, 2026);
  g_assert_cmpint (status_on (g, "2027-04-01", 60), ==, TSU_GROUP_STATUS_LAPSED);

  /* 退会 from its date on, whatever else. */
  json_object_set_int_member (g, "valid_fiscal_year", 2030);
  json_object_set_string_member (g, "withdrawn_on", "2027-06-01");
  g_assert_cmpint (status_on (g, "2027-05-31", 60), ==, TSU_GROUP_STATUS_REGISTERED);
  g_assert_cmpint (status_on (g, "2027-06-01", 60), ==, TSU_GROUP_STATUS_WITHDRAWN);
}

/* The SQL the list filters and sorts by must agree with the C rules. */
static void
test_status_sql_agrees (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (7);
  g_autoptr (TsuRecordList) list
      = tsu_record_list_new (f->store, &tsu_group_collection, list_columns);
  const char *days[] = { "2026-04-01", "2026-11-26", "2027-01-31", "2027-03-31", "2027-04-01" };
  GDate       today;

  date_of ("2026-11-26", &today);
  g_assert_true (tsu_demo_populate_groups (f->store, rand, 300, &today, &error));
  g_assert_no_error (error);

  for (guint d = 0; d < G_N_ELEMENTS (days); d++)
    {
      guint counts[TSU_GROUP_N_STATUSES] = { 0 }, total = 0;
      g_autoptr (TsuRecordQuery) q = group_query ();

      date_of (days[d], &q->today);
      for (int s = 0; s < TSU_GROUP_N_STATUSES; s++)
        {
          GArray *rowids;

          tsu_record_query_clear_filters (q);
          set_status (q, s);
          g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
          g_assert_no_error (error);
          rowids = tsu_record_list_get_rowids (list);
          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list)); i++)
            {
              g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), i);
              g_autoptr (JsonObject) g
                  = tsu_store_get (f->store, "groups", tsu_record_item_get_id (item), &error);
              g_assert_cmpint (item_status (item), ==, s);
              g_assert_cmpint (tsu_group_status (g, &q->today, TSU_GROUP_DEFAULT_RENEWAL_DAYS), ==,
                               s);
            }
          counts[s] = rowids->len;
          total += rowids->len;
        }
      g_assert_cmpuint (total, ==, 300);
      if (g_str_equal (days[d], "2026-11-26"))
        {
          /* The demo covers every status but 更新待ち, which only exists in
           * the renewal window. */
          g_assert_cmpuint (counts[TSU_GROUP_STATUS_APPLYING], >, 0);
          g_assert_cmpuint (counts[TSU_GROUP_STATUS_REGISTERED], >, 0);
          g_assert_cmpuint (counts[TSU_GROUP_STATUS_LAPSED], >, 0);
          g_assert_cmpuint (counts[TSU_GROUP_STATUS_WITHDRAWN], >, 0);
        }
      if (g_str_equal (days[d], "2027-01-31"))
        g_assert_cmpuint (counts[TSU_GROUP_STATUS_RENEWAL_DUE], >, 0);
    }
  /* Every activity field is used by some demo group. */
  for (guint field = 1; field <= TSU_GROUP_N_FIELDS; field++)
    {
      g_autoptr (TsuRecordQuery) q = group_query ();
      set_field (q, field);
      g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), >, 0);
    }
}

static gboolean
history_has_change (JsonArray *history, const char *field, gint64 old_value, gint64 new_value)
{
  for (guint i = 0; i < json_array_get_length (history); i++)
    {
      JsonObject *e = json_array_get_object_element (history, i);
      JsonObject *changes = json_object_get_object_member (e, "changes");
      JsonObject *c = json_object_has_member (changes, field)
                          ? json_object_get_object_member (changes, field)
                          : NULL;

      if (c && json_object_get_int_member (c, "old") == old_value
          && json_object_get_int_member (c, "new") == new_value)
        return TRUE;
    }
  return FALSE;
}

static void
test_register_renew_withdraw (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) g = group_new ("手鎌防災クラブ", "てがまぼうさいくらぶ");
  g_autofree char *id = NULL;
  g_autoptr (JsonObject) got = NULL;
  g_autoptr (JsonArray) history = NULL;
  GDate day;

  json_object_set_string_member (g, "applied_on", "2026-04-02");
  id = insert (f, g);
  date_of ("2026-04-20", &day);
  g_assert_false (tsu_group_renew (f->store, id, &day, 60, &error));
  g_assert_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE);
  g_clear_error (&error);

  g_assert_true (tsu_group_register (f->store, id, &day, &error));
  g_assert_no_error (error);
  got = tsu_store_get (f->store, "groups", id, &error);
  g_assert_cmpstr (json_object_get_string_member (got, "registration_number"), ==, "2026-001");
  g_assert_cmpint (json_object_get_int_member (got, "valid_fiscal_year"), ==, 2026);
  /* Stored reading is full-width katakana. */
  g_assert_cmpstr (json_object_get_string_member (got, "name_kana"), ==, "テガマボウサイクラブ");
  g_clear_pointer (&got, json_object_unref);

  /* Registered and outside the renewal window: no renewal (two presses in
   * November once made a group valid two years ahead). */
  date_of ("2026-11-20", &day);
  g_assert_false (tsu_group_renew (f->store, id, &day, 60, &error));
  g_assert_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE);
  g_clear_error (&error);

  date_of ("2027-02-15", &day);
  g_assert_cmpint (tsu_group_status (tsu_store_get (f->store, "groups", id, NULL), &day, 60), ==,
                   TSU_GROUP_STATUS_RENEWAL_DUE);
  g_assert_true (tsu_group_renew (f->store, id, &day, 60, &error));
  g_assert_no_error (error);
  /* Once per 年度: a second press in the same window is refused. */
  g_assert_false (tsu_group_renew (f->store, id, &day, 60, &error));
  g_assert_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE);
  g_clear_error (&error);
  got = tsu_store_get (f->store, "groups", id, &error);
  g_assert_cmpint (json_object_get_int_member (got, "valid_fiscal_year"), ==, 2027);
  g_assert_cmpstr (json_object_get_string_member (got, "renewed_on"), ==, "2027-02-15");
  g_assert_cmpint (tsu_group_status (got, &day, 60), ==, TSU_GROUP_STATUS_REGISTERED);
  g_clear_pointer (&got, json_object_unref);
  history = tsu_store_get_history (f->store, "groups", id, &error);
  g_assert_true (history_has_change (history, "valid_fiscal_year", 2026, 2027));
  g_clear_pointer (&history, json_array_unref);

  /* Lapsed two years: renewed for the current 年度, not for a past one. */
  date_of ("2029-06-01", &day);
  g_assert_true (tsu_group_renew (f->store, id, &day, 60, &error));
  got = tsu_store_get (f->store, "groups", id, &error);
  g_assert_cmpint (json_object_get_int_member (got, "valid_fiscal_year"), ==, 2029);
  g_clear_pointer (&got, json_object_unref);

  g_assert_true (tsu_group_withdraw (f->store, id, &day, &error));
  got = tsu_store_get (f->store, "groups", id, &error);
  g_assert_cmpint (tsu_group_status (got, &day, 60), ==, TSU_GROUP_STATUS_WITHDRAWN);
  /* Kept, not deleted. */
  g_assert_false (json_object_get_boolean_member (got, "deleted"));
  g_assert_false (tsu_group_withdraw (f->store, id, &day, &error));
  g_assert_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE);
}

static void
test_validation_eligibility (void)
{
  g_autoptr (JsonObject) g = group_new ("  天領見守りの会 ", "ﾃﾝﾘｮｳﾐﾏﾓﾘﾉｶｲ");
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  g_autoptr (JsonObject) norm = NULL;
  g_autofree char *cn = corporate_number ("123456789012");
  JsonArray       *decl = json_array_new ();

  json_object_set_string_member (g, "phone", "０９４４−４１−２２２２");
  json_object_set_string_member (g, "corporate_number", cn);
  json_object_set_string_member (g, "postal_code", "〒8360000");
  json_object_set_int_member (g, "members_total", 3);
  norm = tsu_record_normalize (&tsu_group_collection, g, problems);
  g_assert_false (tsu_problems_have_error (problems));
  g_assert_cmpstr (json_object_get_string_member (norm, "name"), ==, "天領見守りの会");
  g_assert_cmpstr (json_object_get_string_member (norm, "name_kana"), ==,
                   "テンリョウミマモリノカイ");
  g_assert_cmpstr (json_object_get_string_member (norm, "phone"), ==, "0944-41-2222");
  g_assert_cmpstr (json_object_get_string_member (norm, "postal_code"), ==, "836-0000");

  /* Eligibility: warnings, never errors. */
  tsu_group_check_eligibility (norm, 5, problems);
  g_assert_cmpuint (problems->len, ==, 5);
  g_assert_false (tsu_problems_have_error (problems));
  g_ptr_array_set_size (problems, 0);
  json_array_add_string_element (decl, TSU_GROUP_DECL_NON_PROFIT);
  json_array_add_string_element (decl, TSU_GROUP_DECL_PUBLIC_BENEFIT);
  json_array_add_string_element (decl, TSU_GROUP_DECL_NOT_RELIGIOUS);
  json_array_add_string_element (decl, TSU_GROUP_DECL_NO_CRIME);
  json_object_set_array_member (norm, "declarations", decl);
  tsu_group_check_eligibility (norm, 3, problems);
  g_assert_cmpuint (problems->len, ==, 0);

  /* Errors: a bad check digit, a reading with kanji, more city members than members. */
  {
    g_autoptr (JsonObject) bad = group_new ("", "天領");
    g_autoptr (GPtrArray) p2 = tsu_problems_new ();
    g_autoptr (JsonObject) n2 = NULL;
    char *wrong = g_strdup (cn);

    wrong[0] = wrong[0] == '9' ? '1' : wrong[0] + 1;
    json_object_set_string_member (bad, "corporate_number", wrong);
    json_object_set_int_member (bad, "members_total", 3);
    json_object_set_int_member (bad, "members_in_city", 4);
    n2 = tsu_record_normalize (&tsu_group_collection, bad, p2);
    g_assert_cmpuint (p2->len, ==, 4);
    g_assert_true (tsu_problems_have_error (p2));
    g_free (wrong);
  }
}

static void
test_duplicates (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) a = group_new ("三池合唱団", "ミイケガッショウダン");
  g_autoptr (JsonObject) b = group_new ("みいけ合唱サークル", "ミイケガッショウサークル");
  g_autofree char *cn = corporate_number ("400000000001");
  g_autofree char *ida = NULL, *idb = NULL;

  json_object_set_string_member (a, "phone", "0944-00-1111");
  json_object_set_string_member (b, "corporate_number", cn);
  ida = insert (f, a);
  idb = insert (f, b);

  /* Same reading typed in hiragana. */
  {
    g_autoptr (JsonObject) c = group_new ("三池合唱の会", "みいけがっしょうだん");
    g_autoptr (JsonObject) n = tsu_record_normalize (&tsu_group_collection, c, NULL);
    g_autoptr (JsonArray) d = tsu_group_find_duplicates (f->store, n, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (json_array_get_length (d), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (d, 0), "id"), ==,
                     ida);
  }
  /* Same 法人番号 and same phone (typed differently), two groups. */
  {
    g_autoptr (JsonObject) c = group_new ("別の会", "ベツノカイ");
    g_autoptr (JsonObject) n = NULL;
    g_autoptr (JsonArray) d = NULL;

    json_object_set_string_member (c, "corporate_number", cn);
    json_object_set_string_member (c, "contact_phone", "0944001111");
    n = tsu_record_normalize (&tsu_group_collection, c, NULL);
    d = tsu_group_find_duplicates (f->store, n, NULL, &error);
    g_assert_cmpuint (json_array_get_length (d), ==, 2);
  }
  /* A group is not its own duplicate; a withdrawn-deleted one is ignored. */
  {
    g_autoptr (JsonObject) got = tsu_store_get (f->store, "groups", ida, &error);
    g_autoptr (JsonArray) d = tsu_group_find_duplicates (f->store, got, ida, &error);
    g_assert_cmpuint (json_array_get_length (d), ==, 0);
  }
  g_assert_true (tsu_store_delete (f->store, "groups", ida, &error));
  {
    g_autoptr (JsonObject) c = group_new ("x", "ミイケガッショウダン");
    g_autoptr (JsonArray) d = tsu_group_find_duplicates (f->store, c, NULL, &error);
    g_assert_cmpuint (json_array_get_length (d), ==, 0);
  }
}

static guint
search_count (TsuRecordList *list, const char *text)
{
  g_autoptr (TsuRecordQuery) q = group_query ();
  g_autoptr (GError) error = NULL;

  tsu_record_query_set_search (q, text);
  g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
  g_assert_no_error (error);
  return g_list_model_get_n_items (G_LIST_MODEL (list));
}

static void
test_search (Fixture *f, gconstpointer data)
{
  g_autoptr (JsonObject) a = group_new ("有明海クリーン応援団", "アリアケカイクリーンオウエンダン");
  g_autoptr (JsonObject) b = group_new ("白川読み聞かせの会", "シラカワヨミキカセノカイ");
  g_autoptr (TsuRecordList) list
      = tsu_record_list_new (f->store, &tsu_group_collection, list_columns);
  g_autofree char *ida = NULL, *idb = NULL;

  json_object_set_string_member (a, "rep_family_name", "髙橋");
  json_object_set_string_member (a, "rep_given_name", "花子");
  json_object_set_string_member (a, "rep_family_kana", "タカハシ");
  json_object_set_string_member (a, "phone", "0944-00-5678");
  json_object_set_string_member (b, "contact_family_name", "古賀");
  ida = insert (f, a);
  idb = insert (f, b);

  g_assert_cmpuint (search_count (list, NULL), ==, 2);
  /* Sorted by reading: ア before シ. */
  {
    g_autoptr (TsuRecordItem) first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_assert_cmpstr (tsu_record_item_get_id (first), ==, ida);
  }
  g_assert_cmpuint (search_count (list, "ありあけ"), ==, 1); /* hiragana */
  g_assert_cmpuint (search_count (list, "ｸﾘｰﾝ"), ==, 1);     /* half-width */
  g_assert_cmpuint (search_count (list, "読み"), ==, 1);     /* kanji */
  g_assert_cmpuint (search_count (list, "よ"), ==, 1);       /* one character */
  g_assert_cmpuint (search_count (list, "の"), ==, 1);
  g_assert_cmpuint (search_count (list, "かい"), ==, 2);     /* two characters, both */
  g_assert_cmpuint (search_count (list, "たかはし"), ==, 1); /* representative's reading */
  g_assert_cmpuint (search_count (list, "髙橋花子"), ==, 1);
  g_assert_cmpuint (search_count (list, "古賀"), ==, 1);         /* contact */
  g_assert_cmpuint (search_count (list, "5678"), ==, 1);         /* phone digits */
  g_assert_cmpuint (search_count (list, "００５６７８"), ==, 1); /* full-width, no hyphen */
  g_assert_cmpuint (search_count (list, "白川 かい"), ==, 1);    /* every term */
  g_assert_cmpuint (search_count (list, "存在しない"), ==, 0);
}

/* ---- import / export ---- */

static void
write_file (Fixture *f, const char *name, const char *data, gssize len, char **path)
{
  g_autoptr (GError) error = NULL;

  *path = g_build_filename (f->dir, name, NULL);
  g_file_set_contents (*path, data, len, &error);
  g_assert_no_error (error);
}

static void
today_is (GDate *d)
{
  date_of ("2026-11-26", d);
}

static void
test_import_good (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autofree char *path = NULL;
  guint            inserted = 0, updated = 0;
  GDate            today;
  const char      *csv
      = "\xEF\xBB\xBF"
        "登録番号,団体名,ふりがな,代表者,代表者よみ,電話,活動分野,構成員数,登録日,状態,備考\r\n"
        "2026-001,中友子ども食堂,なかともこどもしょくどう,古賀 花子,こが "
        "はなこ,0944-00-1234,子どもの健全育成・保健・医療・福祉,12,令和8年4月10日,登録,x\r\n"
        "2026-002,\"三池\"\"歴史\"\"ガイド\",ﾐｲｹﾚｷｼｶﾞｲﾄﾞ,,,,4;6,7,2025/4/1,失効,\r\n"
        "2026-003,\"平原\n花の会\",ひらばるはなのかい,,,,まちづくり,5,,申請中,\r\n";

  today_is (&today);
  write_file (f, "good.csv", csv, -1, &path);
  imp = import_file (path, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_n_rows (imp), ==, 3);
  for (guint i = 0; i < tsu_record_import_get_errors (imp)->len; i++)
    g_test_message (
        "%s",
        ((TsuImportIssue *)g_ptr_array_index (tsu_record_import_get_errors (imp), i))->message);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 0);
  /* 備考 is unknown: ignored with a warning. */
  g_assert_cmpuint (tsu_record_import_get_warnings (imp)->len, ==, 1);
  g_assert_null (tsu_record_import_get_column_label (imp, 10));
  g_assert_nonnull (tsu_record_import_get_column_label (imp, 2));
  g_assert_true (import_commit (imp, f->store, FALSE, &inserted, &updated, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inserted, ==, 3);
  g_assert_cmpint (tsu_store_count (f->store, "groups", FALSE, NULL), ==, 3);

  {
    g_autoptr (TsuRecordList) list
        = tsu_record_list_new (f->store, &tsu_group_collection, list_columns);
    g_autoptr (TsuRecordItem) item = NULL;
    g_autoptr (JsonObject) g = NULL;
    JsonArray *fields;

    g_assert_cmpuint (search_count (list, "なかとも"), ==, 1);
    item = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g = tsu_store_get (f->store, "groups", tsu_record_item_get_id (item), &error);
    g_assert_cmpstr (json_object_get_string_member (g, "name_kana"), ==,
                     "ナカトモコドモショクドウ");
    g_assert_cmpstr (json_object_get_string_member (g, "rep_given_kana"), ==, "ハナコ");
    g_assert_cmpstr (json_object_get_string_member (g, "registered_on"), ==, "2026-04-10");
    fields = json_object_get_array_member (g, "fields");
    g_assert_cmpuint (json_array_get_length (fields), ==, 2);
    g_assert_cmpint (json_array_get_int_element (fields, 0), ==, 13);
    g_assert_cmpint (json_array_get_int_element (fields, 1), ==, 1);
    g_assert_cmpint (tsu_group_status (g, &today, 60), ==, TSU_GROUP_STATUS_REGISTERED);
    g_assert_cmpuint (search_count (list, "三池\"歴史\""), ==, 1);
    g_clear_object (&item);
    item = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_clear_pointer (&g, json_object_unref);
    g = tsu_store_get (f->store, "groups", tsu_record_item_get_id (item), &error);
    g_assert_cmpint (tsu_group_status (g, &today, 60), ==, TSU_GROUP_STATUS_LAPSED);
  }

  /* The history says the rows came from an import. */
  {
    g_autoptr (GBytes) again = NULL;
    g_clear_pointer (&imp, tsu_record_import_free);
    imp = import_file (path, &today, &error);
    TsuImportCounts n;

    /* Importing the same file again finds every row by registration number,
     * and changes nothing: the counts say so. */
    g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
    g_assert_cmpuint (n.n_new, ==, 0);
    g_assert_cmpuint (n.n_updated, ==, 0);
    g_assert_cmpuint (n.n_unchanged, ==, 3);
    g_assert_cmpint (tsu_store_count (f->store, "groups", FALSE, NULL), ==, 3);
    (void)again;
  }
}

static void
assert_nothing_written (Fixture *f)
{
  g_assert_cmpint (tsu_store_count (f->store, "groups", TRUE, NULL), ==, 0);
}

static void
test_import_bad (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autofree char *p1 = NULL, *p2 = NULL, *p3 = NULL, *p4 = NULL;
  GPtrArray       *errors;
  guint            inserted = 0;
  GDate            today;

  today_is (&today);

  /* Not CP932 either: 0x81 0x20 is no character. */
  write_file (f, "enc.csv", "\x92\x63\x91\xcc\x96\xbc,\x81\x20\r\n", -1, &p1);
  imp = import_file (p1, &today, &error);
  g_assert_null (imp);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_ENCODING);
  g_clear_error (&error);

  /* An unclosed quote. */
  write_file (f, "quote.csv", "団体名,フリガナ\r\n\"大牟田の会,オオムタノカイ\r\n", -1, &p2);
  imp = import_file (p2, &today, &error);
  g_assert_null (imp);
  g_assert_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_UNCLOSED_QUOTE);
  g_clear_error (&error);

  /* No reading column. */
  write_file (f, "cols.csv", "団体名,電話番号\r\n大牟田の会,0944-00-0000\r\n", -1, &p3);
  imp = import_file (p3, &today, &error);
  g_assert_null (imp);
  g_assert_error (error, TSU_RECORD_CSV_ERROR, TSU_RECORD_CSV_ERROR_COLUMNS);
  g_assert_nonnull (strstr (error->message, "団体名フリガナ"));
  g_clear_error (&error);

  /* Row errors, with the lines they are on (line 3 spans two lines). */
  write_file (f, "rows.csv",
              "団体名,団体名フリガナ,電話番号,構成員数,登録日\n"
              "良い会,ヨイカイ,0944-00-0001,5,2026-04-01\n"
              "\"二行の\n会\",ニギョウノカイ,,5,\n"
              "悪い電話の会,ワルイデンワノカイ,12345,5,\n"
              "漢字読みの会,漢字,,five,2026-02-30\n"
              ",ナナシ,,,\n",
              -1, &p4);
  imp = import_file (p4, &today, &error);
  g_assert_no_error (error);
  errors = tsu_record_import_get_errors (imp);
  g_assert_cmpuint (errors->len, ==, 5);
  g_assert_cmpuint (((TsuImportIssue *)g_ptr_array_index (errors, 0))->line, ==, 5);
  g_assert_cmpuint (((TsuImportIssue *)g_ptr_array_index (errors, 1))->line, ==, 6);
  g_assert_cmpuint (((TsuImportIssue *)g_ptr_array_index (errors, 4))->line, ==, 7);
  g_assert_cmpuint (tsu_record_import_get_n_valid (imp), ==, 2);
  g_assert_false (import_commit (imp, f->store, FALSE, &inserted, NULL, &error));
  g_assert_error (error, TSU_RECORD_CSV_ERROR, TSU_RECORD_CSV_ERROR_ROWS);
  g_clear_error (&error);
  assert_nothing_written (f);
  /* The user may choose to import the valid rows only. */
  g_assert_true (import_commit (imp, f->store, TRUE, &inserted, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inserted, ==, 2);
}

static void
test_import_10000 (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autoptr (GString) csv = g_string_new ("団体名,団体名フリガナ,電話番号,活動分野,構成員数\r\n");
  g_autofree char *path = NULL;
  guint            inserted = 0;
  GDate            today;

  today_is (&today);
  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (csv, "テスト団体%u,テストダンタイ,0944-%02u-%04u,%u,%u\r\n", i,
                            i / 10000, i % 10000, i % 20 + 1, i % 50 + 3);
  write_file (f, "big.csv", csv->str, csv->len, &path);
  imp = import_file (path, &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_n_valid (imp), ==, 10000);
  g_assert_true (import_commit (imp, f->store, FALSE, &inserted, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (inserted, ==, 10000);
  g_assert_cmpint (tsu_store_count (f->store, "groups", FALSE, NULL), ==, 10000);

  /* The same file with one bad row near the end writes nothing. */
  g_string_append (csv, "最後の会,最後,,,\r\n");
  g_file_set_contents (path, csv->str, csv->len, &error);
  g_clear_pointer (&imp, tsu_record_import_free);
  imp = import_file (path, &today, &error);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 1);
  g_assert_cmpuint (
      ((TsuImportIssue *)g_ptr_array_index (tsu_record_import_get_errors (imp), 0))->line, ==,
      10002);
  g_assert_false (import_commit (imp, f->store, FALSE, NULL, NULL, &error));
  g_clear_error (&error);
  g_assert_cmpint (tsu_store_count (f->store, "groups", FALSE, NULL), ==, 10000);
}

/* A 13-digit 法人番号 stays text in Excel: written ="…", read back (issue 10:
 * Excel showed 8.24E+12). */
static void
test_export_digits (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) g = group_new ("天領見守りの会", "テンリョウミマモリノカイ");
  g_autofree char *cn = corporate_number ("123456789012");
  g_autofree char *expected = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path2 = g_build_filename (f->dir, "digits.db", NULL);
  g_autoptr (GBytes) csv = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autoptr (TsuStore) copy = NULL;
  GDate today;

  today_is (&today);
  json_object_set_string_member (g, "corporate_number", cn);
  id = insert (f, g);
  csv = export_groups (f->store, TSU_CSV_ENCODING_UTF8_BOM, FALSE, &today, &error);
  g_assert_no_error (error);
  expected = g_strdup_printf (",\"=\"\"%s\"\"\",", cn);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), expected));

  copy = tsu_store_open (path2, &error);
  g_assert_no_error (error);
  imp = import_data (g_bytes_get_data (csv, NULL), g_bytes_get_size (csv), &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 0);
  g_assert_cmpstr (
      tsu_record_get_string (tsu_record_import_get_record (imp, 0), "corporate_number"), ==, cn);
  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
test_export_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GBytes) first = NULL, second = NULL, cp932 = NULL;
  g_autofree char *path2 = g_build_filename (f->dir, "copy.db", NULL);
  g_autoptr (TsuStore) copy = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  GDate today;
  guint inserted = 0;

  today_is (&today);
  g_assert_true (tsu_demo_populate_groups (f->store, rand, 300, &today, &error));
  first = export_groups (f->store, TSU_CSV_ENCODING_UTF8_BOM, FALSE, &today, &error);
  g_assert_no_error (error);
  g_assert_true (
      memcmp (g_bytes_get_data (first, NULL),
              "\xEF\xBB\xBF登録番号,団体名,団体名フリガナ,法人格,法人番号,代表者",
              strlen ("\xEF\xBB\xBF登録番号,団体名,団体名フリガナ,法人格,法人番号,代表者"))
      == 0);

  copy = tsu_store_open (path2, &error);
  g_assert_no_error (error);
  imp = import_data (g_bytes_get_data (first, NULL), g_bytes_get_size (first), &today, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 0);
  g_assert_cmpuint (tsu_record_import_get_warnings (imp)->len, ==, 0);
  g_assert_true (import_commit (imp, copy, FALSE, &inserted, NULL, &error));
  g_assert_cmpuint (inserted, ==, 300);
  second = export_groups (copy, TSU_CSV_ENCODING_UTF8_BOM, FALSE, &today, &error);
  if (!g_bytes_equal (first, second))
    {
      g_file_set_contents ("/tmp/tsu-rt-first.csv", g_bytes_get_data (first, NULL),
                           g_bytes_get_size (first), NULL);
      g_file_set_contents ("/tmp/tsu-rt-second.csv", g_bytes_get_data (second, NULL),
                           g_bytes_get_size (second), NULL);
    }
  g_assert_true (g_bytes_equal (first, second));

  /* CP932 round trip too (the demo's 髙 and 﨑 are CP932 extensions). */
  cp932 = export_groups (f->store, TSU_CSV_ENCODING_CP932, FALSE, &today, &error);
  g_assert_no_error (error);
  g_clear_pointer (&imp, tsu_record_import_free);
  imp = import_data (g_bytes_get_data (cp932, NULL), g_bytes_get_size (cp932), &today, &error);
  g_assert_cmpint (tsu_record_import_get_encoding (imp), ==, TSU_CSV_ENCODING_CP932);
  g_assert_cmpuint (tsu_record_import_get_n_valid (imp), ==, 300);
  g_clear_pointer (&second, g_bytes_unref);
  {
    g_autofree char *path3 = g_build_filename (f->dir, "copy932.db", NULL);
    g_autoptr (TsuStore) copy932 = tsu_store_open (path3, &error);

    g_assert_no_error (error);
    g_assert_true (import_commit (imp, copy932, FALSE, NULL, NULL, &error));
    second = export_groups (copy932, TSU_CSV_ENCODING_UTF8_BOM, FALSE, &today, &error);
    g_assert_true (g_bytes_equal (first, second));
    g_assert_finalize_object (g_steal_pointer (&copy932));
  }
  g_assert_finalize_object (g_steal_pointer (&copy));
}

static void
test_export_public (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) a = group_new ("公開の会", "コウカイノカイ");
  g_autoptr (GBytes) all = NULL, pub = NULL;
  g_autofree char *ida = NULL, *text_all = NULL, *text_pub = NULL;
  JsonArray       *public_fields = json_array_new ();
  GDate            today;

  today_is (&today);
  json_object_set_string_member (a, "phone", "0944-00-2468");
  json_object_set_string_member (a, "email", "kai@example.jp");
  json_object_set_string_member (a, "rep_family_name", "秘密");
  json_object_set_string_member (a, "contact_phone", "090-0000-1357");
  json_array_add_string_element (public_fields, "email");
  json_object_set_array_member (a, "public_fields", public_fields);
  /* Only registered groups are in the public list (issue 10). */
  json_object_set_string_member (a, "registered_on", "2026-05-01");
  json_object_set_int_member (a, "valid_fiscal_year", 2026);
  ida = insert (f, a);
  {
    g_autoptr (JsonObject) b = group_new ("申請中の会", "シンセイチュウノカイ");
    g_autofree char *idb = insert (f, b);
  }

  all = export_groups (f->store, TSU_CSV_ENCODING_UTF8, FALSE, &today, &error);
  pub = export_groups (f->store, TSU_CSV_ENCODING_UTF8, TRUE, &today, &error);
  text_all = g_strndup (g_bytes_get_data (all, NULL), g_bytes_get_size (all));
  text_pub = g_strndup (g_bytes_get_data (pub, NULL), g_bytes_get_size (pub));
  g_assert_nonnull (strstr (text_all, "0944-00-2468"));
  g_assert_nonnull (strstr (text_all, "秘密"));
  g_assert_nonnull (strstr (text_all, "090-0000-1357"));
  g_assert_null (strstr (text_pub, "0944-00-2468"));
  g_assert_null (strstr (text_pub, "秘密"));
  g_assert_null (strstr (text_pub, "090-0000-1357"));
  g_assert_null (strstr (text_pub, "公開項目"));
  g_assert_nonnull (strstr (text_pub, "kai@example.jp"));
  g_assert_nonnull (strstr (text_pub, "公開の会"));
  g_assert_nonnull (strstr (text_all, "申請中の会"));
  g_assert_null (strstr (text_pub, "申請中の会"));
  /* Internal columns are not in it at all. */
  g_assert_null (strstr (text_pub, "状態"));
  g_assert_null (strstr (text_pub, "申請日"));
  g_assert_null (strstr (text_pub, "市内在住者数"));
}

/* ---- first page of a search ---- */

static gboolean
same_prefix (GArray *first, GArray *all)
{
  if (first->len > all->len)
    return FALSE;
  return memcmp (first->data, all->data, first->len * sizeof (gint64)) == 0;
}

/* Queries as people type them (pieces of names, readings in hiragana,
 * phone digits), plus frequent ones that take the walk. */
static GPtrArray *
sample_queries (sqlite3 *db, GRand *rand, guint n)
{
  static const char *fixed[]
      = { "の",   "ノ",   "0",  "1",    "9",        "0944", "090", "会", "ー",
          "の 0", "0 の", "ア", "研究", "サポート", "a",    "@",   "-" };
  GPtrArray    *queries = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_ptr_array_add (queries, g_strdup (fixed[i]));
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT name, name_kana, phone FROM groups"
                                       " ORDER BY rowid * 7919 % 1000 LIMIT ?",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  sqlite3_bind_int (stmt, 1, n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *src = (const char *)sqlite3_column_text (stmt, g_rand_int_range (rand, 0, 3));
      glong       len = src ? g_utf8_strlen (src, -1) : 0;
      int         want = g_rand_int_range (rand, 1, 5);
      int         start = len > want ? g_rand_int_range (rand, 0, len - want + 1) : 0;

      if (len > 0)
        g_ptr_array_add (queries, g_utf8_substring (src, start, MIN (len, start + want)));
    }
  sqlite3_finalize (stmt);
  return queries;
}

/* The first page found by the walk is exactly the start of the whole
 * sorted result, for every sort order, direction and filter. */
static void
test_first_page (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (11);
  g_autoptr (GPtrArray) queries = NULL;
  sqlite3 *db;
  GDate    today;
  guint    walked = 0, whole = 0;

  date_of ("2026-11-26", &today);
  g_assert_true (tsu_demo_populate_groups (f->store, rand, 3000, &today, &error));
  g_assert_no_error (error);
  db = tsu_store_open_reader (f->store, &error);
  g_assert_no_error (error);
  queries = sample_queries (db, rand, 60);

  for (guint i = 0; i < queries->len; i++)
    for (int sort = 0; sort < (int)G_N_ELEMENTS (sort_ids); sort++)
      for (int variant = 0; variant < 4; variant++)
        {
          g_autoptr (TsuRecordQuery) q = group_query ();
          g_autoptr (GArray) all = NULL;
          g_autoptr (GArray) first = NULL;

          q->today = today;
          tsu_record_query_set_search (q, g_ptr_array_index (queries, i));
          tsu_record_query_set_sort (q, sort_ids[sort], FALSE);
          q->descending = variant & 1;
          /* filters on a quarter of the runs, varied */
          if (variant == 2)
            set_status (q, (i + sort) % TSU_GROUP_N_STATUSES);
          if (variant == 3)
            set_field (q, 1 + (i + sort) % TSU_GROUP_N_FIELDS);
          if (i % 7 == 0 && variant == 0)
            tsu_record_query_set_search (q, NULL); /* everything */
          all = tsu_record_query_run (db, q, &error);
          g_assert_no_error (error);
          first = tsu_record_query_run_first (db, q, 256, &error);
          g_assert_no_error (error);
          if (first == NULL)
            {
              whole++;
              continue;
            }
          walked++;
          g_assert_true (first->len == 256 || (q->search == NULL && first->len == all->len));
          if (!same_prefix (first, all))
            g_error ("query “%s” sort %d variant %d: the first page is not the start of the "
                     "result (%u of %u)",
                     q->search ? q->search : "", sort, variant, first->len, all->len);
        }
  g_test_message ("%u first pages by the walk, %u whole queries", walked, whole);
  /* Both paths ran (the test would prove nothing otherwise). */
  g_assert_cmpuint (walked, >, 50);
  g_assert_cmpuint (whole, >, 50);
  sqlite3_close (db);
}

typedef struct
{
  guint    updates;
  guint    first_n;
  gboolean first_complete;
  GArray  *first_rowids;
} Updates;

static void
updated_cb (TsuRecordList *list, Updates *u)
{
  if (u->updates++ == 0)
    {
      u->first_n = g_list_model_get_n_items (G_LIST_MODEL (list));
      u->first_complete = tsu_record_list_get_complete (list);
      u->first_rowids = g_array_copy (tsu_record_list_get_rowids (list));
    }
}

static void
wait_loaded (TsuRecordList *list)
{
  gint64 until = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (tsu_record_list_get_loading (list) && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (tsu_record_list_get_loading (list));
}

/* The list shows a frequent search's first rows, then the whole result,
 * which is the same as the query run at once; a refresh after a change
 * never goes through a first page; a newer query wins. */
static void
test_list_two_steps (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GRand) rand = g_rand_new_with_seed (5);
  g_autoptr (TsuRecordList) list
      = tsu_record_list_new (f->store, &tsu_group_collection, list_columns);
  g_autoptr (TsuRecordQuery) q = group_query ();
  g_autoptr (GArray) want = NULL;
  Updates  u = { 0 };
  sqlite3 *db;
  GDate    today;
  gulong   handler;

  date_of ("2026-11-26", &today);
  g_assert_true (tsu_demo_populate_groups (f->store, rand, 3000, &today, &error));
  g_assert_no_error (error);
  db = tsu_store_open_reader (f->store, &error);
  g_assert_no_error (error);
  wait_loaded (list);

  q->today = today;
  tsu_record_query_set_search (q, "0");
  want = tsu_record_query_run (db, q, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (want->len, >, 256);

  handler = g_signal_connect (list, "updated", G_CALLBACK (updated_cb), &u);
  tsu_record_list_set_query (list, q);
  wait_loaded (list);
  g_assert_cmpuint (u.updates, ==, 2);
  g_assert_false (u.first_complete);
  g_assert_cmpuint (u.first_n, ==, 256);
  g_assert_true (same_prefix (u.first_rowids, want));
  g_assert_true (tsu_record_list_get_complete (list));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, want->len);
  g_assert_cmpmem (tsu_record_list_get_rowids (list)->data, want->len * sizeof (gint64), want->data,
                   want->len * sizeof (gint64));
  {
    /* Rows read after the first page show the right groups. */
    g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list), want->len - 1);
    g_assert_cmpint (tsu_record_item_get_rowid (item), ==,
                     g_array_index (want, gint64, want->len - 1));
  }
  g_clear_pointer (&u.first_rowids, g_array_unref);

  /* A change in the store: the whole result at once. */
  memset (&u, 0, sizeof u);
  {
    g_autoptr (JsonObject) g = group_new ("テスト追加の会0", "テストツイカノカイ");
    g_autofree char *id = insert (f, g);
  }
  wait_loaded (list);
  g_assert_cmpuint (u.updates, >=, 1);
  g_assert_true (u.first_complete);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, want->len + 1);
  g_clear_pointer (&u.first_rowids, g_array_unref);

  /* Queries in a row: only the last one's result stays. */
  for (guint i = 0; i < 5; i++)
    {
      tsu_record_query_set_search (q, i % 2 ? "の" : "1");
      tsu_record_list_set_query (list, q);
    }
  wait_loaded (list);
  g_array_unref (want);
  want = tsu_record_query_run (db, q, &error);
  g_assert_true (tsu_record_list_get_complete (list));
  g_assert_cmpmem (tsu_record_list_get_rowids (list)->data, want->len * sizeof (gint64), want->data,
                   want->len * sizeof (gint64));
  g_signal_handler_disconnect (list, handler);
  g_clear_pointer (&u.first_rowids, g_array_unref);
  sqlite3_close (db);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  g_test_add_func ("/groups/status/boundaries", test_status_boundaries);
  g_test_add_func ("/groups/validation", test_validation_eligibility);
  ADD ("/groups/status/sql-agrees", test_status_sql_agrees);
  ADD ("/groups/register-renew-withdraw", test_register_renew_withdraw);
  ADD ("/groups/duplicates", test_duplicates);
  ADD ("/groups/search", test_search);
  ADD ("/groups/search/first-page", test_first_page);
  ADD ("/groups/search/two-steps", test_list_two_steps);
  ADD ("/groups/import/good", test_import_good);
  ADD ("/groups/import/bad", test_import_bad);
  ADD ("/groups/import/10000", test_import_10000);
  ADD ("/groups/export/round-trip", test_export_round_trip);
  ADD ("/groups/export/digits-as-text", test_export_digits);
  ADD ("/groups/export/public", test_export_public);
#undef ADD
  return g_test_run ();
}
