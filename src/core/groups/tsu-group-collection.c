/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "groups" collection: a member group (登録団体) as registration forms
 * hold it. Every generic part (store, sync, CSV, list, form) reads this. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-date.h"
#include "tsu-record-csv.h"
#include "tsu-record-query.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

static const TsuChoice legal_forms[] = {
  { "任意団体", N_ ("任意団体") },
  { "NPO法人", N_ ("NPO法人") },
  { "一般社団法人", N_ ("一般社団法人") },
  { "一般財団法人", N_ ("一般財団法人") },
  { "公益社団法人", N_ ("公益社団法人") },
  { "公益財団法人", N_ ("公益財団法人") },
  { "社会福祉法人", N_ ("社会福祉法人") },
  { "その他", N_ ("その他") },
  { NULL },
};

/* NPO Act appendix (特定非営利活動促進法 別表), codes 1..20. */
const TsuChoice tsu_activity_fields[] = {
  { "1", N_ ("保健・医療・福祉") },
  { "2", N_ ("社会教育") },
  { "3", N_ ("まちづくり") },
  { "4", N_ ("観光") },
  { "5", N_ ("農山漁村・中山間地域") },
  { "6", N_ ("学術・文化・芸術・スポーツ") },
  { "7", N_ ("環境の保全") },
  { "8", N_ ("災害救援") },
  { "9", N_ ("地域安全") },
  { "10", N_ ("人権擁護・平和") },
  { "11", N_ ("国際協力") },
  { "12", N_ ("男女共同参画") },
  { "13", N_ ("子どもの健全育成") },
  { "14", N_ ("情報化社会") },
  { "15", N_ ("科学技術") },
  { "16", N_ ("経済活動の活性化") },
  { "17", N_ ("職業能力開発・雇用機会") },
  { "18", N_ ("消費者の保護") },
  { "19", N_ ("NPOの運営・活動の連絡・助言・援助") },
  { "20", N_ ("都道府県・指定都市の条例で定める活動") },
  { NULL },
};

/* Contact fields that carry a 公開/非公開 switch, by the name kept in
 * public_fields. "representative" and "contact_name" cover the names and
 * their readings. */
static const TsuChoice publish_keys[] = {
  { "representative", N_ ("Representative"), "代表者" },
  { "postal_code", N_ ("Postal code"), "郵便番号" },
  { "address", N_ ("Address"), "住所" },
  { "phone", N_ ("Phone"), "電話番号" },
  { "email", N_ ("E-mail"), "メールアドレス" },
  { "contact_name", N_ ("Contact person"), "連絡担当者" },
  { "contact_postal_code", N_ ("Contact postal code"), "連絡先郵便番号" },
  { "contact_address", N_ ("Contact address"), "連絡先住所" },
  { "contact_phone", N_ ("Contact phone"), "連絡先電話番号" },
  { "contact_email", N_ ("Contact e-mail"), "連絡先メールアドレス" },
  { NULL },
};

static const TsuChoice declarations[] = {
  { TSU_GROUP_DECL_NON_PROFIT, N_ ("Non-profit"), "非営利" },
  { TSU_GROUP_DECL_PUBLIC_BENEFIT, N_ ("Activities serve the public"), "公益" },
  { TSU_GROUP_DECL_NOT_RELIGIOUS, N_ ("Not mainly religious, political or electoral"),
    "宗教・政治・選挙活動を主としない" },
  { TSU_GROUP_DECL_NO_CRIME, N_ ("Free of organized crime (暴力団) control"),
    "暴力団の統制下にない" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "basic", N_ ("Group"), NULL },
  { "rep", N_ ("Representative"), NULL },
  { "office", N_ ("Office"), NULL },
  { "contact", N_ ("Contact person"), N_ ("Who the centre calls about the group") },
  { "publish", N_ ("Public information"),
    N_ ("What may appear in the public list and the directory of groups") },
  { "activity", N_ ("Activities"), NULL },
  { "fields", N_ ("Activity fields"), N_ ("The 20 fields of the NPO Act") },
  { "declarations", N_ ("Declarations"), N_ ("What the group declared on its application") },
  { "documents", N_ ("Documents received"), NULL },
  { "registration", N_ ("Registration"), NULL },
};

#define P TSU_FIELD_PERSONAL
#define S TSU_FIELD_SEARCHED

static const TsuFieldDef group_fields[] = {
  { .name = "name",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("Name"),
    .csv_header = "団体名",
    .csv_variants = V ("団体名称", "名称", "団体の名称"),
    .section = "basic" },
  { .name = "name_kana",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_READING,
    .label = N_ ("Reading"),
    .form_label = N_ ("Reading (フリガナ)"),
    .csv_header = "団体名フリガナ",
    .csv_variants = V ("団体名ふりがな",
                       "団体名よみ",
                       "団体名よみがな",
                       "団体名カナ",
                       "フリガナ",
                       "ふりがな",
                       "よみ",
                       "よみがな",
                       "読み",
                       "カナ"),
    .section = "basic" },
  { .name = "legal_form",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Legal form"),
    .csv_header = "法人格",
    .csv_variants = V ("組織形態", "法人種別"),
    .choices = legal_forms,
    .section = "basic" },
  { .name = "corporate_number",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_CORPORATE_NUMBER | TSU_FIELD_DIGITS,
    .label = N_ ("Corporate number"),
    .form_label = N_ ("Corporate number (13 digits)"),
    .csv_header = "法人番号",
    .section = "basic" },
  { .name = "rep_family_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Representative family name"),
    .form_label = N_ ("Family name"),
    .publish_key = "representative",
    .section = "rep" },
  { .name = "rep_given_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Representative given name"),
    .form_label = N_ ("Given name"),
    .publish_key = "representative",
    .section = "rep" },
  { .name = "rep_family_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Representative family name reading"),
    .form_label = N_ ("Family name reading"),
    .publish_key = "representative",
    .section = "rep" },
  { .name = "rep_given_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Representative given name reading"),
    .form_label = N_ ("Given name reading"),
    .publish_key = "representative",
    .section = "rep" },
  { .name = "contact_family_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Contact family name"),
    .form_label = N_ ("Family name"),
    .publish_key = "contact_name",
    .section = "contact" },
  { .name = "contact_given_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Contact given name"),
    .form_label = N_ ("Given name"),
    .publish_key = "contact_name",
    .section = "contact" },
  { .name = "contact_family_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Contact family name reading"),
    .form_label = N_ ("Family name reading"),
    .publish_key = "contact_name",
    .section = "contact" },
  { .name = "contact_given_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Contact given name reading"),
    .form_label = N_ ("Given name reading"),
    .publish_key = "contact_name",
    .section = "contact" },
  { .name = "contact_postal_code",
    .type = TSU_FIELD_TEXT,
    .flags = P | TSU_FIELD_POSTAL,
    .label = N_ ("Contact postal code"),
    .form_label = N_ ("Postal code"),
    .publish_key = "contact_postal_code",
    .section = "contact" },
  { .name = "contact_address",
    .type = TSU_FIELD_TEXT,
    .flags = P,
    .label = N_ ("Contact address"),
    .form_label = N_ ("Address"),
    .publish_key = "contact_address",
    .section = "contact" },
  { .name = "contact_phone",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_PHONE,
    .label = N_ ("Contact phone"),
    .form_label = N_ ("Phone"),
    .csv_header = "連絡先電話番号",
    .csv_variants = V ("担当者電話番号"),
    .publish_key = "contact_phone",
    .section = "contact" },
  { .name = "contact_email",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_EMAIL,
    .label = N_ ("Contact e-mail"),
    .form_label = N_ ("E-mail"),
    .csv_header = "連絡先メールアドレス",
    .csv_variants = V ("担当者メールアドレス"),
    .publish_key = "contact_email",
    .section = "contact" },
  { .name = "postal_code",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_POSTAL,
    .label = N_ ("Postal code"),
    .csv_header = "郵便番号",
    .csv_variants = V ("〒", "所在地郵便番号"),
    .publish_key = "postal_code",
    .section = "office" },
  { .name = "address",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Address"),
    .csv_header = "住所",
    .csv_variants = V ("所在地", "団体住所"),
    .publish_key = "address",
    .section = "office" },
  { .name = "phone",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_PHONE,
    .label = N_ ("Phone"),
    .csv_header = "電話番号",
    .csv_variants = V ("電話", "tel", "団体電話番号"),
    .publish_key = "phone",
    .section = "office" },
  { .name = "email",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_EMAIL,
    .label = N_ ("E-mail"),
    .csv_header = "メールアドレス",
    .csv_variants = V ("メール", "e-mail", "eメール", "email"),
    .publish_key = "email",
    .section = "office" },
  { .name = "founded",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_MONTH,
    .label = N_ ("Founded"),
    .form_label = N_ ("Founded (year and month)"),
    .section = "basic" },
  { .name = "members_total",
    .type = TSU_FIELD_INT,
    .label = N_ ("Members"),
    .min = 0,
    .max = 9999999,
    .csv_header = "構成員数",
    .csv_variants = V ("会員数", "人数", "構成員"),
    .section = "basic" },
  { .name = "members_in_city",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Members living in the city"),
    .min = 0,
    .max = 9999999,
    .csv_header = "市内在住者数",
    .csv_variants = V ("市内構成員数", "うち市内在住"),
    .section = "basic" },
  { .name = "fields",
    .type = TSU_FIELD_CODES,
    .label = N_ ("Activity fields"),
    .min = 1,
    .max = 20,
    .choices = tsu_activity_fields,
    .csv_header = "活動分野",
    .csv_variants = V ("分野", "活動の分野"),
    .section = "fields" },
  { .name = "purpose",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("Purpose"),
    .section = "activity" },
  { .name = "activities",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("Activities"),
    .section = "activity" },
  { .name = "meeting_place",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Where they meet"),
    .section = "activity" },
  { .name = "meeting_schedule",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("When they meet"),
    .section = "activity" },
  { .name = "recruiting",
    .type = TSU_FIELD_BOOL,
    .label = N_ ("Recruiting members"),
    .section = "activity" },
  { .name = "dues",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Membership dues"),
    .section = "activity" },
  { .name = "website",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_URL,
    .label = N_ ("Website"),
    .section = "office" },
  { .name = "sns",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_URL,
    .label = N_ ("Social media"),
    .section = "office" },
  { .name = "public_fields",
    .type = TSU_FIELD_STRINGS,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Public fields"),
    .choices = publish_keys,
    .section = "publish" },
  { .name = "attach_rules_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Rules or articles received"),
    .form_label = N_ ("Rules or articles (規約・定款)"),
    .section = "documents" },
  { .name = "attach_officers_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("List of officers received"),
    .form_label = N_ ("List of officers (役員名簿)"),
    .section = "documents" },
  { .name = "attach_plan_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Plan and budget received"),
    .form_label = N_ ("Plan and budget (事業計画・予算)"),
    .section = "documents" },
  { .name = "attach_report_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Report and accounts received"),
    .form_label = N_ ("Report and accounts (活動報告・決算)"),
    .section = "documents" },
  { .name = "registration_number",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_MANAGED,
    .label = N_ ("Registration number"),
    .csv_header = "登録番号",
    .csv_variants = V ("団体番号", "登録no", "登録no."),
    .section = "registration" },
  { .name = "applied_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Applied on"),
    .csv_header = "申請日",
    .csv_variants = V ("申請年月日"),
    .section = "registration" },
  { .name = "registered_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_MANAGED,
    .label = N_ ("Registered on"),
    .csv_header = "登録日",
    .csv_variants = V ("登録年月日"),
    .section = "registration" },
  { .name = "valid_fiscal_year",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_MANAGED | TSU_FIELD_FISCAL_YEAR | TSU_FIELD_INTERNAL,
    .label = N_ ("Valid through (fiscal year)"),
    .min = 1900,
    .max = 2200,
    .csv_header = "有効年度",
    .csv_variants = V ("登録年度", "有効期限年度"),
    .section = "registration" },
  { .name = "withdrawn_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_MANAGED | TSU_FIELD_INTERNAL,
    .label = N_ ("Withdrawn on"),
    .csv_header = "退会日",
    .csv_variants = V ("退会年月日"),
    .section = "registration" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "registration" },
  { .name = "declarations",
    .type = TSU_FIELD_STRINGS,
    .flags = TSU_FIELD_INTERNAL,
    .label = N_ ("Declarations"),
    .choices = declarations,
    .section = "declarations" },
  { .name = "renewed_on",
    .type = TSU_FIELD_DATE,
    .flags = TSU_FIELD_MANAGED | TSU_FIELD_INTERNAL,
    .label = N_ ("Renewed on"),
    .csv_header = "更新日",
    .csv_variants = V ("更新年月日"),
    .section = "registration" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

#undef P
#undef S

static char *
status_sql (const TsuRecordQuery *q)
{
  return tsu_group_status_sql (
      &q->today, tsu_record_query_get_param (q, "renewal_days", TSU_GROUP_DEFAULT_RENEWAL_DAYS));
}

static char *
representative_sql (const TsuRecordQuery *q)
{
  return g_strdup ("trim(coalesce(rep_family_name, '') || ' ' || coalesce(rep_given_name, ''))");
}

static const TsuChoice statuses[] = {
  { "0", N_ ("Applying"), "申請中" },      { "1", N_ ("Registered"), "登録" },
  { "2", N_ ("Renewal due"), "更新待ち" }, { "3", N_ ("Lapsed"), "失効" },
  { "4", N_ ("Withdrawn"), "退会" },       { NULL },
};

static const TsuFieldDef computed[] = {
  { .name = "status",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Status"),
    .choices = statuses,
    .sql = status_sql },
  { .name = "representative",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Representative"),
    .sql = representative_sql },
};

static const TsuSortDef sorts[] = {
  { "reading", N_ ("Reading"), "sort_key %D", "groups_list" },
  /* Applying groups (no number yet) come first, then by number. */
  { "number", N_ ("Registration number"), "registration_number %D, sort_key %D",
    "groups_list_number" },
  { "status", N_ ("Status"), "@status %D, sort_key", NULL },
  { "renewal", N_ ("Valid through"), "valid_fiscal_year %D, sort_key %D", "groups_list_renewal" },
};

static const TsuFieldPair search_pairs[] = {
  { "rep_family_name", "rep_given_name" },
  { "contact_family_name", "contact_given_name" },
  { "rep_family_kana", "rep_given_kana" },
  { "contact_family_kana", "contact_given_kana" },
};

/* Step 1 is the table as the first build created it (then migration 2 of
 * the store), step 2 what the search work added (then migration 3). A file
 * made before the collections kept their own versions gets them recorded
 * from what it holds (tsu-store-migrations.c, migration 5). */
static gboolean
has_column (sqlite3 *db, const char *column)
{
  sqlite3_stmt *stmt = NULL;
  gboolean      found = FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT 1 FROM pragma_table_info('groups') WHERE name = ?", -1, &stmt,
                          NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, column, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static gboolean
step_2_search (sqlite3 *db, GError **error)
{
  g_autofree char *index_sql = tsu_search_index_sql ("groups");

  /* Files made by builds between the two steps already have these columns
   * (their step 1 took the live field list). */
  if (!has_column (db, "declarations")
      && !tsu_store_exec (db, "ALTER TABLE groups ADD COLUMN declarations TEXT;", error))
    return FALSE;
  if (!has_column (db, "renewed_on")
      && !tsu_store_exec (db, "ALTER TABLE groups ADD COLUMN renewed_on TEXT;", error))
    return FALSE;
  /* The list reads only these narrow covering indexes while it sorts and
   * filters: rows hold long texts, and a lookup per row is what costs. */
  if (!tsu_store_exec (
          db,
          "CREATE INDEX groups_list ON groups (deleted, sort_key);"
          "CREATE INDEX groups_list_number ON groups (deleted, registration_number, sort_key);"
          "CREATE INDEX groups_list_renewal ON groups (deleted, valid_fiscal_year, sort_key);"
          "CREATE INDEX groups_by_rowid ON groups (rowid, deleted, sort_key);"
          /* status is computed from these four (see tsu_group_status_sql) */
          "CREATE INDEX groups_list_status ON groups"
          " (deleted, withdrawn_on, registered_on, valid_fiscal_year, sort_key);"
          "CREATE INDEX groups_name_kana ON groups (name_kana);"
          "CREATE INDEX groups_phone ON groups (phone);"
          "CREATE INDEX groups_contact_phone ON groups (contact_phone);",
          error))
    return FALSE;
  return tsu_store_exec (db, index_sql, error);
}

/* Files from the first build hold rows written before groups had derived
 * values: they had no sort key and were missing from the search index. */
static gboolean
step_3_derive (sqlite3 *db, GError **error)
{
  return tsu_store_rederive (db, &tsu_group_collection, "search_text IS NULL OR sort_key IS NULL",
                             error);
}

/* The search fold learnt 異体字 (髙→高, 﨑→崎…): every row's search text
 * is folded again so that both sides of a search agree. */
static gboolean
step_4_refold (sqlite3 *db, GError **error)
{
  return tsu_store_rederive (db, &tsu_group_collection, NULL, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "groups table",
    "CREATE TABLE \"groups\" ( rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, \"name\" TEXT, \"name_kana\" TEXT,"
    " \"legal_form\" TEXT, \"corporate_number\" TEXT, \"rep_family_name\" TEXT,"
    " \"rep_given_name\" TEXT, \"rep_family_kana\" TEXT, \"rep_given_kana\" TEXT,"
    " \"contact_family_name\" TEXT, \"contact_given_name\" TEXT, \"contact_family_kana\" TEXT,"
    " \"contact_given_kana\" TEXT, \"contact_postal_code\" TEXT, \"contact_address\" TEXT,"
    " \"contact_phone\" TEXT, \"contact_email\" TEXT, \"postal_code\" TEXT, \"address\" TEXT,"
    " \"phone\" TEXT, \"email\" TEXT, \"founded\" TEXT, \"members_total\" INTEGER,"
    " \"members_in_city\" INTEGER, \"fields\" TEXT, \"purpose\" TEXT, \"activities\" TEXT,"
    " \"meeting_place\" TEXT, \"meeting_schedule\" TEXT, \"recruiting\" INTEGER, \"dues\" TEXT,"
    " \"website\" TEXT, \"sns\" TEXT, \"public_fields\" TEXT, \"attach_rules_on\" TEXT,"
    " \"attach_officers_on\" TEXT, \"attach_plan_on\" TEXT, \"attach_report_on\" TEXT,"
    " \"registration_number\" TEXT, \"applied_on\" TEXT, \"registered_on\" TEXT,"
    " \"valid_fiscal_year\" INTEGER, \"withdrawn_on\" TEXT, \"notes\" TEXT, \"sort_key\" TEXT,"
    " \"search_text\" TEXT);"
    "CREATE INDEX groups_sort_key ON groups (sort_key);"
    "CREATE INDEX groups_registration_number ON groups (registration_number);"
    "CREATE INDEX groups_corporate_number ON groups (corporate_number);",
    NULL },
  { 2, "groups: later columns, list indexes, search index", NULL, step_2_search },
  { 3, "groups: sort keys and search text of rows written before them", NULL, step_3_derive },
  { 4, "groups: search text folded with 異体字", NULL, step_4_refold },
  /* The 年度 report passes over every group several times: from this
   * narrow index alone, not the wide rows. */
  { 5, "groups: the report's covering index",
    "CREATE INDEX IF NOT EXISTS groups_report ON groups (deleted, registered_on, withdrawn_on,"
    " valid_fiscal_year, legal_form, members_total, fields);",
    NULL },
};

/* ---- CSV: the columns that are more than one field ---- */

static char *
person_cell (JsonObject *row, const char *family, const char *given, const char *sep)
{
  char *s = tsu_record_join (row, family, given, sep);

  return s ? s : g_strdup ("");
}

static char *
rep_export (JsonObject *row, const TsuCsvContext *ctx)
{
  return person_cell (row, "rep_family_name", "rep_given_name", " ");
}

static char *
rep_kana_export (JsonObject *row, const TsuCsvContext *ctx)
{
  return person_cell (row, "rep_family_kana", "rep_given_kana", "\u3000");
}

static char *
contact_export (JsonObject *row, const TsuCsvContext *ctx)
{
  return person_cell (row, "contact_family_name", "contact_given_name", " ");
}

static char *
contact_kana_export (JsonObject *row, const TsuCsvContext *ctx)
{
  return person_cell (row, "contact_family_kana", "contact_given_kana", "\u3000");
}

static void
rep_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  tsu_record_csv_split_person (record, "rep_family_name", "rep_given_name", cell);
}

static void
rep_kana_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  tsu_record_csv_split_person (record, "rep_family_kana", "rep_given_kana", cell);
}

static void
contact_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  tsu_record_csv_split_person (record, "contact_family_name", "contact_given_name", cell);
}

static void
contact_kana_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  tsu_record_csv_split_person (record, "contact_family_kana", "contact_given_kana", cell);
}

static char *
status_export (JsonObject *row, const TsuCsvContext *ctx)
{
  guint days = ctx->query ? tsu_record_query_get_param (ctx->query, "renewal_days",
                                                        TSU_GROUP_DEFAULT_RENEWAL_DAYS)
                          : TSU_GROUP_DEFAULT_RENEWAL_DAYS;

  return g_strdup (tsu_group_status_csv_name (tsu_group_status (row, &ctx->today, days)));
}

/* The status is never stored: it only fills in what a file made elsewhere
 * may leave out (see finish_row). Kept in a member the row drops there. */
static void
status_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  TsuGroupStatus status;

  if (cell == NULL)
    return;
  if (tsu_group_status_from_name (cell, &status))
    json_object_set_int_member (record, "_status", status);
  else
    tsu_problems_add (problems, NULL, TRUE,
                      _ ("“%s” is not a status (申請中, 登録, 更新待ち, 失効 or 退会)."), cell);
}

static void
finish_row (JsonObject *o, const TsuCsvContext *ctx, GPtrArray *problems)
{
  gint64 status = -1;

  tsu_record_get_int (o, "_status", &status);
  json_object_remove_member (o, "_status");

  if (tsu_record_get_string (o, "name") != NULL && tsu_record_get_string (o, "name_kana") == NULL)
    tsu_problems_add (problems, "name_kana", TRUE, _ ("The reading (フリガナ) of “%s” is empty."),
                      tsu_record_get_string (o, "name"));

  if (status >= 0 && tsu_record_get_string (o, "registered_on") != NULL
      && !json_object_has_member (o, "valid_fiscal_year"))
    {
      int fy = tsu_fiscal_year (&ctx->today);

      if (status == TSU_GROUP_STATUS_REGISTERED || status == TSU_GROUP_STATUS_RENEWAL_DUE)
        json_object_set_int_member (o, "valid_fiscal_year", fy);
      else if (status == TSU_GROUP_STATUS_LAPSED)
        json_object_set_int_member (o, "valid_fiscal_year", fy - 1);
    }
  if (status == TSU_GROUP_STATUS_WITHDRAWN && tsu_record_get_string (o, "withdrawn_on") == NULL)
    {
      g_autofree char *iso = tsu_date_to_iso (&ctx->today);
      json_object_set_string_member (o, "withdrawn_on", iso);
    }
}

static const TsuCsvColumn csv_columns[] = {
  { .field = "registration_number" },
  { .field = "name" },
  { .field = "name_kana" },
  { .field = "legal_form" },
  { .field = "corporate_number" },
  { .header = "代表者",
    .variants = V ("代表者名", "代表者氏名", "代表"),
    .label = N_ ("Representative"),
    .publish_key = "representative",
    .export_cell = rep_export,
    .import_cell = rep_import },
  { .header = "代表者フリガナ",
    .variants = V ("代表者ふりがな",
                   "代表者よみ",
                   "代表者よみがな",
                   "代表者カナ",
                   "代表者名フリガナ",
                   "代表者氏名フリガナ"),
    .label = N_ ("Representative reading"),
    .publish_key = "representative",
    .export_cell = rep_kana_export,
    .import_cell = rep_kana_import },
  { .field = "postal_code" },
  { .field = "address" },
  { .field = "phone" },
  { .field = "email" },
  { .field = "fields", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "members_total" },
  { .field = "registered_on" },
  { .header = "状態",
    .variants = V ("ステータス", "登録状況"),
    .label = N_ ("Status"),
    .flags = TSU_CSV_COLUMN_INTERNAL,
    .export_cell = status_export,
    .import_cell = status_import },
  /* Beyond the 15 columns of the first version: what a round trip needs. */
  { .field = "applied_on" },
  { .field = "valid_fiscal_year" },
  { .field = "renewed_on" },
  { .field = "withdrawn_on" },
  { .field = "members_in_city" },
  { .header = "連絡担当者",
    .variants = V ("担当者", "連絡者"),
    .label = N_ ("Contact person"),
    .publish_key = "contact_name",
    .export_cell = contact_export,
    .import_cell = contact_import },
  { .header = "連絡担当者フリガナ",
    .variants = V ("連絡担当者ふりがな", "担当者フリガナ", "担当者ふりがな"),
    .label = N_ ("Contact reading"),
    .publish_key = "contact_name",
    .export_cell = contact_kana_export,
    .import_cell = contact_kana_import },
  { .field = "contact_phone" },
  { .field = "contact_email" },
  { .field = "public_fields", .header = "公開項目", .flags = TSU_CSV_COLUMN_NAMES },
};

static const TsuCsvSpec csv = {
  csv_columns,
  G_N_ELEMENTS (csv_columns),
  V ("団体名", "団体名フリガナ"),
  finish_row,
};

/* A registration number names one live group, on every desk and on the
 * server (which runs this same rule when two desks gave it offline). */
static gboolean
guard (TsuRuleContext *ctx,
       const char     *id,
       JsonObject     *row,
       JsonObject     *old,
       TsuRuleRefusal *refusal,
       GError        **error)
{
  const char *number = tsu_record_get_string (row, "registration_number");
  g_autoptr (GPtrArray) same = NULL;

  if (number == NULL || *number == '\0'
      || g_strcmp0 (number, tsu_record_get_string (old, "registration_number")) == 0)
    return TRUE;
  same = ctx->find (ctx, "groups", "registration_number", number, NULL, NULL, NULL, NULL, error);
  if (same == NULL)
    return FALSE;
  for (guint i = 0; i < same->len; i++)
    {
      JsonObject *other = g_ptr_array_index (same, i);

      if (g_strcmp0 (tsu_record_get_string (other, "id"), id) == 0)
        continue;
      refusal->reason = "registration_number_taken";
      refusal->other_id = g_strdup (tsu_record_get_string (other, "id"));
      refusal->message = g_strdup_printf (_ ("The registration number %s is already used by “%s”."),
                                          number, tsu_record_get_string (other, "name"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_public_record (JsonObject *row, const GDate *today)
{
  TsuGroupStatus s = tsu_group_status (row, today, TSU_GROUP_DEFAULT_RENEWAL_DAYS);

  return s == TSU_GROUP_STATUS_REGISTERED || s == TSU_GROUP_STATUS_RENEWAL_DUE;
}

const TsuCollection tsu_group_collection = {
  .name = "groups",
  .label = N_ ("Groups"),
  .fields = group_fields,
  .n_fields = G_N_ELEMENTS (group_fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_reading = V ("name_kana"),
  .sort_name = V ("name"),
  .search_pairs = search_pairs,
  .n_search_pairs = G_N_ELEMENTS (search_pairs),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_keys = V ("registration_number"),
  .import_match = V ("name", "name_kana", "phone"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .check = tsu_group_check,
  .guard = guard,
  .is_public_record = is_public_record,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
  .lookup_keys = (const char *const[]){ "registration_number", NULL },
};
