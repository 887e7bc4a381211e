/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record layer every collection shares: descriptors against the
 * tables their schema steps make, values read and written the one way,
 * the generic list, and CSV import/export, on funders (the collection
 * built on the layer alone) and groups. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sqlite3.h>

#include "tsu-collection.h"
#include "tsu-funder-collection.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-record-list.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

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

  f->dir = g_dir_make_tmp ("tsu-record-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "test.db", NULL);
  f->store = tsu_store_open (f->path, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_autoptr (GDir) d = NULL;
  const char *name;
  gpointer    weak = f->store;
  gint64      until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (weak, &weak);
  g_object_unref (f->store);
  while (weak != NULL && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (1000);
  g_assert_null (weak);
  d = g_dir_open (f->dir, 0, NULL);
  while (d && (name = g_dir_read_name (d)))
    {
      g_autofree char *p = g_build_filename (f->dir, name, NULL);
      g_remove (p);
    }
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* Every descriptor agrees with the table its literal schema steps make,
 * and with itself: CSV headers unique, sections and choices defined. */
static void
test_descriptors (Fixture *f, gconstpointer data)
{
  guint                 n;
  const TsuCollection **all = tsu_collections_all (&n);
  sqlite3              *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  for (guint k = 0; k < n; k++)
    {
      const TsuCollection *c = all[k];
      g_autoptr (GHashTable) columns
          = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      g_autoptr (GHashTable) headers = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *sql = g_strdup_printf ("SELECT name FROM pragma_table_info('%s')", c->name);
      sqlite3_stmt    *stmt = NULL;

      g_test_message ("collection %s", c->name);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_hash_table_add (columns, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      for (const char *base[] = { "id", "rev", "created_at", "updated_at", "deleted", NULL },
                      **b = base;
           *b; b++)
        g_assert_true (g_hash_table_remove (columns, *b));
      for (guint i = 0; i < c->n_fields; i++)
        {
          const TsuFieldDef *fd = &c->fields[i];

          if (!g_hash_table_remove (columns, fd->name))
            g_error ("%s.%s: no column in the table its schema steps make", c->name, fd->name);
          if (fd->section != NULL)
            g_assert_nonnull (tsu_collection_lookup_section (c, fd->section));
          if (fd->type == TSU_FIELD_CHOICE)
            g_assert_nonnull (fd->choices);
          if (fd->type == TSU_FIELD_REF)
            g_assert_nonnull (tsu_collection_lookup (fd->ref));
          if (!(fd->flags & TSU_FIELD_DERIVED))
            g_assert_nonnull (fd->label);
        }
      /* "rowid" is the INTEGER PRIMARY KEY alias some tables name. */
      g_hash_table_remove (columns, "rowid");
      g_assert_cmpuint (g_hash_table_size (columns), ==, 0);

      for (guint i = 0; c->csv && i < c->csv->n_columns; i++)
        {
          const TsuCsvColumn *col = &c->csv->columns[i];
          const TsuFieldDef  *fd = col->field ? tsu_collection_lookup_field (c, col->field) : NULL;
          const char         *h = col->header ? col->header : fd ? fd->csv_header : NULL;

          g_assert_true (col->field == NULL || fd != NULL);
          g_assert_nonnull (h);
          g_assert_true (g_hash_table_add (headers, (gpointer)h));
        }
      for (guint i = 0; i < c->n_sorts; i++)
        if (c->sorts[i].index != NULL)
          {
            g_autofree char *q = g_strdup_printf (
                "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = '%s'",
                c->sorts[i].index);
            g_assert_cmpint (sqlite3_prepare_v2 (db, q, -1, &stmt, NULL), ==, SQLITE_OK);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
            g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 1);
            sqlite3_finalize (stmt);
          }
    }
  sqlite3_close (db);
}

static JsonNode *
parse_ok (const TsuCollection *c, const char *field, const char *text)
{
  JsonNode        *value = NULL;
  g_autofree char *why = NULL;

  if (!tsu_record_value_parse (tsu_collection_lookup_field (c, field), text, &value, &why))
    g_error ("%s “%s”: %s", field, text, why);
  return value;
}

static char *
display (const TsuCollection *c, const char *field, JsonNode *v, TsuDateStyle style)
{
  return tsu_record_value_format (tsu_collection_lookup_field (c, field), v, TSU_VALUE_DISPLAY,
                                  style, NULL);
}

/* One reading of typed text and one way of showing values, for every
 * field type: what the forms, the history and CSV files share. */
static void
test_values (void)
{
  const TsuCollection *g = &tsu_group_collection;
  g_autoptr (JsonNode) founded = parse_ok (g, "founded", "平成27年4月");
  g_autoptr (JsonNode) founded2 = parse_ok (g, "founded", "2015-04");
  g_autoptr (JsonNode) day = parse_ok (g, "registered_on", "R8.4.1");
  g_autoptr (JsonNode) fy = parse_ok (g, "valid_fiscal_year", "令和8年度");
  g_autoptr (JsonNode) members = parse_ok (g, "members_total", "１２人");
  g_autoptr (JsonNode) codes = parse_ok (g, "fields", "保健・医療・福祉;まちづくり、13");
  g_autoptr (JsonNode) pub = parse_ok (g, "public_fields", "電話番号;email");
  g_autoptr (JsonNode) legal = parse_ok (g, "legal_form", "ＮＰＯ法人");
  g_autoptr (JsonNode) yes = parse_ok (g, "recruiting", "あり");
  g_autoptr (JsonNode) empty = parse_ok (g, "founded", "  ");
  JsonNode        *bad = NULL;
  g_autofree char *why = NULL;
  g_autofree char *t = NULL;

  g_assert_cmpstr (json_node_get_string (founded), ==, "2015-04");
  g_assert_cmpstr (json_node_get_string (founded2), ==, "2015-04");
  g_assert_cmpstr (json_node_get_string (day), ==, "2026-04-01");
  g_assert_cmpint (json_node_get_int (fy), ==, 2026);
  g_assert_cmpint (json_node_get_int (members), ==, 12);
  t = json_to_string (codes, FALSE);
  g_assert_cmpstr (t, ==, "[1,3,13]");
  g_clear_pointer (&t, g_free);
  t = json_to_string (pub, FALSE);
  g_assert_cmpstr (t, ==, "[\"phone\",\"email\"]");
  g_clear_pointer (&t, g_free);
  g_assert_cmpstr (json_node_get_string (legal), ==, "NPO法人");
  g_assert_true (json_node_get_boolean (yes));
  g_assert_true (JSON_NODE_HOLDS_NULL (empty));

  g_assert_false (tsu_record_value_parse (tsu_collection_lookup_field (g, "legal_form"),
                                          "registration_number", &bad, &why));
  g_assert_null (bad);
  g_assert_nonnull (strstr (why, "その他"));
  g_clear_pointer (&why, g_free);
  g_assert_false (
      tsu_record_value_parse (tsu_collection_lookup_field (g, "fields"), "21;宇宙", &bad, &why));

  /* Shown as people read them, in the chosen style. */
  t = display (g, "founded", founded, TSU_DATE_STYLE_WAREKI);
  g_assert_cmpstr (t, ==, "平成27年4月");
  g_clear_pointer (&t, g_free);
  t = display (g, "registered_on", day, TSU_DATE_STYLE_WAREKI);
  g_assert_cmpstr (t, ==, "令和8年4月1日");
  g_clear_pointer (&t, g_free);
  t = display (g, "valid_fiscal_year", fy, TSU_DATE_STYLE_WAREKI);
  g_assert_cmpstr (t, ==, "令和8年度");
  g_clear_pointer (&t, g_free);
  t = display (g, "fields", codes, TSU_DATE_STYLE_SEIREKI);
  g_assert_cmpstr (t, ==, "保健・医療・福祉、まちづくり、子どもの健全育成");
  g_clear_pointer (&t, g_free);
  t = tsu_record_value_format (tsu_collection_lookup_field (g, "fields"), codes, TSU_VALUE_CSV,
                               TSU_DATE_STYLE_SEIREKI, NULL);
  g_assert_cmpstr (t, ==, "1;3;13");
  g_clear_pointer (&t, g_free);
  t = tsu_record_value_format (tsu_collection_lookup_field (g, "fields"), codes,
                               TSU_VALUE_CSV | TSU_VALUE_NAMES, TSU_DATE_STYLE_SEIREKI, NULL);
  g_assert_cmpstr (t, ==, "保健・医療・福祉;まちづくり;子どもの健全育成");
}

/* The one value check (desk write path and server alike) refuses the
 * shapes hostile testing found accepted. */
static void
test_value_checks (void)
{
  const TsuCollection *g = &tsu_group_collection;
  struct
  {
    const char *field, *json;
    gboolean    ok;
  } cases[] = {
    { "fields", "{\"a\":1}", FALSE },
    { "fields", "[\"x\",1e10,[1]]", FALSE },
    { "fields", "[0]", FALSE },
    { "fields", "[21]", FALSE },
    { "fields", "[1,1]", FALSE },
    { "fields", "[1,20]", TRUE },
    { "public_fields", "\"phone\"", FALSE },
    { "public_fields", "[\"phone\",\"password\"]", FALSE },
    { "public_fields", "[\"phone\"]", TRUE },
    { "name", "\"\\u202Eevil\"", FALSE },
    { "name", "\"a\\u0007b\"", FALSE },
    { "name", "\"二行\\nの名\"", FALSE },
    { "notes", "\"二行\\nのメモ\"", TRUE },
    { "name_kana", "\"abc<script>\"", FALSE },
    { "name_kana", "\"ひらがな\"", FALSE },
    { "name_kana", "\"カタカナ\"", TRUE },
    { "website", "\"javascript:alert(1)\"", FALSE },
    { "website", "\"https://example.jp/\"", TRUE },
    { "members_total", "-1", FALSE },
    { "members_total", "\"12\"", FALSE },
    { "legal_form", "\"registration_number\"", FALSE },
    { "phone", "\"0944-00-1234\"", TRUE },
    { "phone", "\"<b>\"", FALSE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (JsonNode) v = json_from_string (cases[i].json, NULL);
      g_autofree char *why = NULL;
      gboolean         ok
          = tsu_field_check_value (tsu_collection_lookup_field (g, cases[i].field), v, &why);

      if (ok != cases[i].ok)
        g_error ("%s = %s: %s", cases[i].field, cases[i].json, ok ? "accepted" : why);
    }
  /* 3,000 entries: refused for its size. */
  {
    g_autoptr (GString) big = g_string_new ("[");
    g_autoptr (JsonNode) v = NULL;

    for (guint i = 0; i < 3000; i++)
      g_string_append_printf (big, "%s\"t%u\"", i ? "," : "", i);
    g_string_append (big, "]");
    v = json_from_string (big->str, NULL);
    g_assert_false (
        tsu_field_check_value (tsu_collection_lookup_field (g, "public_fields"), v, NULL));
  }
}

static const char funders_csv[]
    = "\xEF\xBB\xBF"
      "助成団体名,フリガナ,種別,問合せ先,電話番号,メールアドレス,URL,備考,よくわからない列\r\n"
      "有明ふるさと振興財団,ありあけふるさとしんこうざいだん,財団,事務局,0944001234,"
      "info@example.jp,https://example.jp/ariake/,\"=HYPERLINK(\"\"x\"\")\",?\r\n"
      "大牟田市 市民協働担当,おおむたししみんきょうどうたんとう,市,,0944-00-5678,,,,\r\n";

/* Funders end to end: import (header variants, unknown columns, hiragana
 * readings, phone clean-up), the list in 五十音順, export and import back. */
static void
test_funders_csv (Fixture *f, gconstpointer data)
{
  const TsuCollection *c = &tsu_funder_collection;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  g_autoptr (GBytes) out = NULL, again = NULL;
  TsuCsvContext   ctx = { { 0 } };
  TsuImportCounts n;

  g_date_clear (&ctx.today, 1);
  g_date_set_dmy (&ctx.today, 1, 12, 2026);
  imp = tsu_record_import_new_from_data (c, funders_csv, sizeof funders_csv - 1, &ctx, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tsu_record_import_get_errors (imp)->len, ==, 0);
  g_assert_cmpuint (tsu_record_import_get_warnings (imp)->len, ==, 1);
  g_assert_true (tsu_record_import_plan (imp, f->store, &error));
  g_assert_cmpint (tsu_record_import_get_row_kind (imp, 0), ==, TSU_IMPORT_ROW_NEW);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n.n_new, ==, 2);

  {
    const char *cols[] = { "name", "name_kana", "kind", "phone", NULL };
    g_autoptr (TsuRecordList) list = tsu_record_list_new (f->store, c, cols);
    g_autoptr (TsuRecordQuery) q = tsu_record_query_new (c);
    g_autoptr (TsuRecordItem) first = NULL;

    g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 2);
    first = g_list_model_get_item (G_LIST_MODEL (list), 0);
    g_assert_cmpstr (tsu_record_item_get_cell (first, "name_kana"), ==,
                     "アリアケフルサトシンコウザイダン");
    g_assert_cmpstr (tsu_record_item_get_cell (first, "phone"), ==, "0944-00-1234");
    /* Search works on the collection's searched fields. */
    tsu_record_query_set_search (q, "きょうどう");
    g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
    tsu_record_query_set_search (q, NULL);
    tsu_record_query_add_filter (q, "kind", TSU_FILTER_EQ, "財団");
    g_assert_true (tsu_record_list_set_query_sync (list, q, &error));
    g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 1);
  }

  out = tsu_record_export (f->store, c, NULL, TSU_CSV_ENCODING_UTF8_BOM, &ctx, NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *text = g_strndup (g_bytes_get_data (out, NULL), g_bytes_get_size (out));

    g_assert_true (g_str_has_prefix (text, "\xEF\xBB\xBF助成団体名,助成団体名フリガナ,種別,"));
    g_assert_nonnull (strstr (text, "有明ふるさと振興財団"));
  }
  /* Importing its own export again changes nothing. */
  g_clear_pointer (&imp, tsu_record_import_free);
  imp = tsu_record_import_new_from_data (c, g_bytes_get_data (out, NULL), g_bytes_get_size (out),
                                         &ctx, &error);
  g_assert_no_error (error);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_cmpuint (n.n_new, ==, 0);
  g_assert_cmpuint (n.n_unchanged, ==, 2);
  again = tsu_record_export (f->store, c, NULL, TSU_CSV_ENCODING_UTF8_BOM, &ctx, NULL, &error);
  g_assert_true (g_bytes_equal (out, again));
  g_assert_cmpint (tsu_store_count (f->store, "funders", FALSE, NULL), ==, 2);
}

/* A group file exported and imported back matches rows without a
 * registration number on name and reading: nothing is added twice, and the
 * preview says what happens to each row. */
static void
test_import_matches_rows_without_key (Fixture *f, gconstpointer data)
{
  const TsuCollection *c = &tsu_group_collection;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordImport) imp = NULL;
  TsuCsvContext   ctx = { { 0 } };
  TsuImportCounts n;
  const char      csv[] = "団体名,団体名フリガナ,電話番号\r\n"
                          "白川読み聞かせの会,シラカワヨミキカセノカイ,0944-00-1111\r\n"
                          "有明クリーン,アリアケクリーン,\r\n";
  const char      csv2[] = "団体名,団体名フリガナ,電話番号\r\n"
                           "白川読み聞かせの会,シラカワヨミキカセノカイ,0944-00-1111\r\n"
                           "有明クリーン,アリアケクリーン,0944-00-2222\r\n"
                           "有明クリーン,アリアケクリーンダイニ,\r\n";

  g_date_clear (&ctx.today, 1);
  g_date_set_dmy (&ctx.today, 1, 12, 2026);
  imp = tsu_record_import_new_from_data (c, csv, sizeof csv - 1, &ctx, &error);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_cmpuint (n.n_new, ==, 2);
  g_clear_pointer (&imp, tsu_record_import_free);

  imp = tsu_record_import_new_from_data (c, csv2, sizeof csv2 - 1, &ctx, &error);
  g_assert_true (tsu_record_import_plan (imp, f->store, &error));
  g_assert_cmpint (tsu_record_import_get_row_kind (imp, 0), ==, TSU_IMPORT_ROW_UNCHANGED);
  g_assert_cmpint (tsu_record_import_get_row_kind (imp, 1), ==, TSU_IMPORT_ROW_UPDATE);
  g_assert_cmpint (tsu_record_import_get_row_kind (imp, 2), ==, TSU_IMPORT_ROW_DUPLICATE);
  g_assert_true (tsu_record_import_commit (imp, f->store, FALSE, &n, &error));
  g_assert_cmpuint (n.n_unchanged, ==, 1);
  g_assert_cmpuint (n.n_updated, ==, 1);
  g_assert_cmpuint (n.n_new, ==, 1);
  g_assert_cmpuint (n.n_duplicates, ==, 1);
  g_assert_cmpint (tsu_store_count (f->store, "groups", FALSE, NULL), ==, 3);
}

/* The generic list in a worker: rows come with their cells, positions keep
 * their items, and a change in the store relabels them in place. */
static void
test_list_async (Fixture *f, gconstpointer data)
{
  const TsuCollection *c = &tsu_funder_collection;
  const char          *cols[] = { "name", "kind", NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuRecordList) list = tsu_record_list_new (f->store, c, cols);
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (c);
  g_autoptr (TsuRecordItem) item = NULL;
  g_autofree char *id = NULL;
  gint64           until;

  for (guint i = 0; i < 300; i++)
    {
      g_autoptr (JsonObject) o = json_object_new ();
      g_autofree char *name = g_strdup_printf ("財団%03u", i);
      g_autofree char *new_id = NULL;

      json_object_set_string_member (o, "name", name);
      json_object_set_string_member (o, "kind", "財団");
      new_id = tsu_store_insert (f->store, "funders", o, &error);
      g_assert_no_error (error);
      if (i == 0)
        id = g_steal_pointer (&new_id);
    }
  tsu_record_list_set_query (list, q);
  until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (
      (tsu_record_list_get_loading (list) || g_list_model_get_n_items (G_LIST_MODEL (list)) < 300)
      && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list)), ==, 300);
  item = g_list_model_get_item (G_LIST_MODEL (list), 0);
  /* The first rows' cells came with the result: no read on this thread. */
  g_assert_true (tsu_record_item_get_loaded (item));
  g_assert_cmpstr (tsu_record_item_get_cell (item, "name"), ==, "財団000");
  /* A row further down is read in a worker when asked for. */
  {
    g_autoptr (TsuRecordItem) far = g_list_model_get_item (G_LIST_MODEL (list), 250);

    until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (!tsu_record_item_get_loaded (far) && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    g_assert_cmpstr (tsu_record_item_get_cell (far, "name"), ==, "財団250");
  }
  {
    g_autoptr (JsonObject) change = json_object_new ();
    guint revision = tsu_record_item_get_revision (item);

    json_object_set_string_member (change, "kind", "企業");
    g_assert_true (tsu_store_update (f->store, "funders", id, change, &error));
    until = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
    while (tsu_record_item_get_revision (item) == revision && g_get_monotonic_time () < until)
      g_main_context_iteration (NULL, TRUE);
    /* The same item, relabelled. */
    g_assert_cmpstr (tsu_record_item_get_cell (item, "kind"), ==, "企業");
  }
  g_assert_cmpuint (tsu_record_list_find (list, id), ==, 0);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(name, func) g_test_add (name, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/record/descriptors", test_descriptors);
  g_test_add_func ("/record/values", test_values);
  g_test_add_func ("/record/value-checks", test_value_checks);
  ADD ("/record/csv/funders", test_funders_csv);
  ADD ("/record/csv/matches-rows-without-key", test_import_matches_rows_without_key);
  ADD ("/record/list/async", test_list_async);
#undef ADD

  return g_test_run ();
}
