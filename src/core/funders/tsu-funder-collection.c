/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Funders (助成団体): the first collection built only from the record
 * layer: this descriptor is all of its core. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-funder-collection.h"
#include "tsu-record-csv.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const TsuChoice kinds[] = {
  { "国", N_ ("国") },         { "県", N_ ("県") },
  { "市", N_ ("市") },         { "財団", N_ ("財団") },
  { "企業", N_ ("企業") },     { "共同募金", N_ ("共同募金") },
  { "その他", N_ ("その他") }, { NULL },
};

static const TsuSectionDef sections[] = {
  { "basic", N_ ("Funder"), NULL },
  { "contact", N_ ("Contact"), N_ ("Where groups ask about its programmes") },
  { "notes", N_ ("Notes"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED | TSU_FIELD_REQUIRED,
    .label = N_ ("Name"),
    .csv_header = "助成団体名",
    .csv_variants = V ("助成団体", "名称", "団体名"),
    .section = "basic" },
  { .name = "name_kana",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED | TSU_FIELD_READING,
    .label = N_ ("Reading"),
    .form_label = N_ ("Reading (フリガナ)"),
    .csv_header = "助成団体名フリガナ",
    .csv_variants = V ("フリガナ", "ふりがな", "よみ", "読み"),
    .section = "basic" },
  { .name = "kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Kind"),
    .choices = kinds,
    .csv_header = "種別",
    .csv_variants = V ("区分", "助成団体種別"),
    .section = "basic" },
  { .name = "contact",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED,
    .label = N_ ("Contact"),
    .form_label = N_ ("Department or desk"),
    .csv_header = "問合せ先",
    .csv_variants = V ("問い合わせ先", "問合先", "担当"),
    .section = "contact" },
  { .name = "phone",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED | TSU_FIELD_PHONE,
    .label = N_ ("Phone"),
    .csv_header = "電話番号",
    .csv_variants = V ("電話", "tel"),
    .section = "contact" },
  { .name = "email",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED | TSU_FIELD_EMAIL,
    .label = N_ ("E-mail"),
    .csv_header = "メールアドレス",
    .csv_variants = V ("メール", "email"),
    .section = "contact" },
  { .name = "url",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_URL,
    .label = N_ ("Website"),
    .csv_header = "URL",
    .csv_variants = V ("ホームページ", "ウェブサイト", "HP"),
    .section = "contact" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .csv_header = "備考",
    .csv_variants = V ("メモ"),
    .section = "notes" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

static const TsuSortDef sorts[] = {
  { "reading", N_ ("Reading"), "sort_key %D", "funders_list" },
  { "kind", N_ ("Kind"), "kind %D, sort_key %D", "funders_list_kind" },
};

static gboolean
step_2_search (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("funders");

  return tsu_store_exec (db, sql, error);
}

/* The search fold learnt 異体字: fold every row's search text again. */
static gboolean
step_3_refold (sqlite3 *db, GError **error)
{
  return tsu_store_rederive (db, &tsu_funder_collection, NULL, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "funders table",
    "CREATE TABLE funders (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, name TEXT, name_kana TEXT, kind TEXT, contact TEXT,"
    " phone TEXT, email TEXT, url TEXT, notes TEXT, sort_key TEXT, search_text TEXT);"
    "CREATE INDEX funders_list ON funders (deleted, sort_key);"
    "CREATE INDEX funders_list_kind ON funders (deleted, kind, sort_key);"
    "CREATE INDEX funders_by_rowid ON funders (rowid, deleted, sort_key);"
    "CREATE INDEX funders_name_kana ON funders (name_kana);",
    NULL },
  { 2, "funders search index", NULL, step_2_search },
  { 3, "funders: search text folded with 異体字", NULL, step_3_refold },
};

static const TsuCsvColumn csv_columns[] = {
  { .field = "name" },  { .field = "name_kana" }, { .field = "kind" }, { .field = "contact" },
  { .field = "phone" }, { .field = "email" },     { .field = "url" },  { .field = "notes" },
};

static const TsuCsvSpec csv = {
  csv_columns,
  G_N_ELEMENTS (csv_columns),
  V ("助成団体名"),
  NULL,
};

const TsuCollection tsu_funder_collection = {
  .name = "funders",
  .label = N_ ("Funders"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .sort_reading = V ("name_kana"),
  .sort_name = V ("name"),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_match = V ("name", "name_kana"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
};
