/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "volunteers" collection (ボランティア登録): people who want to help,
 * when they can, what they can do, and the consents the law asks for. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-matching-collections.h"
#include "tsu-date.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-record-query.h"
#include "tsu-record.h"
#include "tsu-search.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define P TSU_FIELD_PERSONAL
#define S TSU_FIELD_SEARCHED

static const TsuChoice age_bands[] = {
  { "10", N_ ("Teens"), "10代" },
  { "20", N_ ("20s"), "20代" },
  { "30", N_ ("30s"), "30代" },
  { "40", N_ ("40s"), "40代" },
  { "50", N_ ("50s"), "50代" },
  { "60", N_ ("60s"), "60代" },
  { "70", N_ ("70s"), "70代" },
  { "80", N_ ("80 and over"), "80代以上" },
  { NULL },
};

static const TsuChoice statuses[] = {
  { "active", N_ ("Active"), "活動中" },
  { "paused", N_ ("Paused"), "休止" },
  { "withdrawn", N_ ("Withdrawn"), "退会" },
  { NULL },
};

/* Stored status and expiry together, as the list and the matcher see them. */
const TsuChoice tsu_volunteer_states[] = {
  { "active", N_ ("Active"), "活動中" },
  { "paused", N_ ("Paused"), "休止" },
  { "expired", N_ ("Expired"), "期限切れ" },
  { "withdrawn", N_ ("Withdrawn"), "退会" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "person", N_ ("Person"), NULL },
  { "contact", N_ ("Contact"), NULL },
  { "wishes", N_ ("What and when"), N_ ("Fields, skills and the times they can help") },
  { "insurance", N_ ("Insurance and consent"),
    N_ ("Volunteer insurance runs from 1 April to 31 March; contact details go to a group only "
        "with the person's consent") },
  { "registration", N_ ("Registration"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "registration_number",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_MANAGED,
    .label = N_ ("Registration number"),
    .csv_header = "登録番号",
    .section = "registration" },
  { .name = "family_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_REQUIRED,
    .label = N_ ("Family name"),
    .csv_header = "姓",
    .csv_variants = V ("氏"),
    .section = "person" },
  { .name = "given_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Given name"),
    .csv_header = "名",
    .section = "person" },
  { .name = "family_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Family name reading"),
    .csv_header = "セイ",
    .csv_variants = V ("せい"),
    .section = "person" },
  { .name = "given_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Given name reading"),
    .csv_header = "メイ",
    .csv_variants = V ("めい"),
    .section = "person" },
  { .name = "birth_date",
    .type = TSU_FIELD_DATE,
    .flags = P,
    .label = N_ ("Date of birth"),
    .csv_header = "生年月日",
    .section = "person" },
  { .name = "age_band",
    .type = TSU_FIELD_CHOICE,
    .flags = P,
    .label = N_ ("Age group"),
    .choices = age_bands,
    .section = "person" },
  { .name = "phone",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_PHONE,
    .label = N_ ("Phone"),
    .csv_header = "電話番号",
    .csv_variants = V ("電話"),
    .section = "contact" },
  { .name = "email",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_EMAIL,
    .label = N_ ("E-mail"),
    .csv_header = "メールアドレス",
    .csv_variants = V ("メール"),
    .section = "contact" },
  { .name = "postal_code",
    .type = TSU_FIELD_TEXT,
    .flags = P | TSU_FIELD_POSTAL,
    .label = N_ ("Postal code"),
    .csv_header = "郵便番号",
    .section = "contact" },
  { .name = "address",
    .type = TSU_FIELD_TEXT,
    .flags = P,
    .label = N_ ("Address"),
    .csv_header = "住所",
    .section = "contact" },
  { .name = "school_district",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("School district"),
    .csv_header = "校区",
    .section = "contact" },
  { .name = "emergency_contact",
    .type = TSU_FIELD_TEXT,
    .flags = P,
    .label = N_ ("Emergency contact"),
    .section = "contact" },
  { .name = "fields",
    .type = TSU_FIELD_CODES,
    .label = N_ ("Activity fields"),
    .min = 1,
    .max = 20,
    .choices = tsu_activity_fields,
    .csv_header = "活動分野",
    .csv_variants = V ("活動希望分野", "分野"),
    .section = "wishes" },
  { .name = "tags",
    .type = TSU_FIELD_STRINGS,
    .flags = S,
    .label = N_ ("Centre's tags"),
    .section = "wishes" },
  { .name = "availability",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("When they can help"),
    .choices = tsu_slot_choices,
    .section = "wishes" },
  { .name = "skills",
    .type = TSU_FIELD_STRINGS,
    .flags = S,
    .label = N_ ("Skills and qualifications"),
    .csv_header = "資格・特技",
    .csv_variants = V ("資格", "特技"),
    .section = "wishes" },
  { .name = "insurance_fiscal_year",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_FISCAL_YEAR,
    .label = N_ ("Insured for (fiscal year)"),
    .min = 1900,
    .max = 2200,
    .csv_header = "保険年度",
    .section = "insurance" },
  { .name = "insurance_plan",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Insurance plan"),
    .section = "insurance" },
  { .name = "guardian_consent_on",
    .type = TSU_FIELD_DATE,
    .flags = P,
    .label = N_ ("Guardian's consent (under 18) on"),
    .section = "insurance" },
  { .name = "contact_consent_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Consent to give contact details to a group on"),
    .csv_header = "紹介同意日",
    .section = "insurance" },
  { .name = "contact_consent_purpose",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Purpose of the consent"),
    .section = "insurance" },
  { .name = "contact_consent_by",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Consent recorded by"),
    .section = "insurance" },
  { .name = "registered_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Registered on"),
    .section = "registration" },
  { .name = "expires_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Registration valid until"),
    .section = "registration" },
  { .name = "status",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Status"),
    .choices = statuses,
    .section = "registration" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = P | TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "registration" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  /* For the matcher's SQL: the availability and fields as bit masks. */
  { .name = "avail_mask", .type = TSU_FIELD_INT, .flags = TSU_FIELD_DERIVED },
  { .name = "fields_mask", .type = TSU_FIELD_INT, .flags = TSU_FIELD_DERIVED },
};

#undef P
#undef S

/**
 * tsu_volunteer_state_sql:
 *
 * Returns: (transfer full): the SQL of a volunteer's state on @today
 *   (active, paused, expired or withdrawn)
 */
char *
tsu_volunteer_state_sql (const GDate *today)
{
  g_autofree char *iso = tsu_date_to_iso (today);

  return g_strdup_printf ("(CASE WHEN status = 'withdrawn' THEN 'withdrawn'"
                          " WHEN expires_on IS NOT NULL AND expires_on < '%s' THEN 'expired'"
                          " WHEN status = 'paused' THEN 'paused' ELSE 'active' END)",
                          iso);
}

static char *
state_sql (const TsuRecordQuery *q)
{
  return tsu_volunteer_state_sql (&q->today);
}

static char *
name_sql (const TsuRecordQuery *q)
{
  return g_strdup ("trim(coalesce(family_name, '') || ' ' || coalesce(given_name, ''))");
}

static char *
kana_sql (const TsuRecordQuery *q)
{
  return g_strdup ("trim(coalesce(family_kana, '') || ' ' || coalesce(given_kana, ''))");
}

/* 1 when insured for today's 年度 (the filter "insured this year"). */
static char *
insured_sql (const TsuRecordQuery *q)
{
  return g_strdup_printf ("(coalesce(insurance_fiscal_year, 0) = %d)", tsu_fiscal_year (&q->today));
}

/**
 * tsu_volunteer_lapsed_sql:
 * @years: how long ago the registration must have ended
 *
 * Returns: (transfer full): the SQL of "the registration ended more than
 *   @years years before @today" (candidates for deletion), 1 or 0
 */
char *
tsu_volunteer_lapsed_sql (const GDate *today, int years)
{
  GDate            limit = *today;
  g_autofree char *iso = NULL;

  g_date_subtract_years (&limit, CLAMP (years, 0, 100));
  iso = tsu_date_to_iso (&limit);
  return g_strdup_printf ("(expires_on IS NOT NULL AND expires_on < '%s')", iso);
}

static char *
lapsed_sql (const TsuRecordQuery *q)
{
  return tsu_volunteer_lapsed_sql (&q->today,
                                   tsu_record_query_get_param (q, TSU_VOLUNTEER_LAPSED_YEARS,
                                                               TSU_VOLUNTEER_DEFAULT_LAPSED_YEARS));
}

static const TsuFieldDef computed[] = {
  { .name = "state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Status"),
    .choices = tsu_volunteer_states,
    .sql = state_sql },
  { .name = "full_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Name"),
    .sql = name_sql },
  { .name = "full_kana",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Reading"),
    .sql = kana_sql },
  { .name = "insured",
    .type = TSU_FIELD_BOOL,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Insured this year"),
    .sql = insured_sql },
  { .name = "lapsed",
    .type = TSU_FIELD_BOOL,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Lapsed for deletion"),
    .sql = lapsed_sql },
};

static const TsuSortDef sorts[] = {
  { "reading", N_ ("Reading"), "sort_key %D", "volunteers_list" },
  { "number", N_ ("Registration number"), "registration_number %D, sort_key %D",
    "volunteers_list_number" },
  { "district", N_ ("School district"), "school_district %D, sort_key %D",
    "volunteers_list_district" },
  { "state", N_ ("Status"), "@state %D, sort_key", NULL },
};

static const TsuFieldPair search_pairs[] = {
  { "family_name", "given_name" },
  { "family_kana", "given_kana" },
};

static void
derive (JsonObject *row)
{
  JsonNode *fields = json_object_get_member (row, "fields");
  gint64    mask = 0;

  json_object_set_int_member (row, "avail_mask",
                              tsu_slots_mask (json_object_get_member (row, "availability")));
  if (fields && JSON_NODE_HOLDS_ARRAY (fields))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (fields), i);

        if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_INT64
            && json_node_get_int (e) >= 1 && json_node_get_int (e) <= 20)
          mask |= 1 << (json_node_get_int (e) - 1);
      }
  json_object_set_int_member (row, "fields_mask", mask);
}

static void
check (JsonObject *row, GPtrArray *problems)
{
  GDate born, consent;

  if (tsu_date_from_iso (tsu_record_get_string (row, "birth_date"), &born)
      && tsu_date_from_iso (tsu_record_get_string (row, "guardian_consent_on"), &consent)
      && g_date_compare (&consent, &born) < 0)
    tsu_problems_add (problems, "guardian_consent_on", TRUE, "%s",
                      _ ("The consent cannot be dated before the person was born."));
  if (tsu_record_get_string (row, "contact_consent_on") != NULL
      && tsu_record_get_string (row, "contact_consent_by") == NULL)
    tsu_problems_add (problems, "contact_consent_by", FALSE, "%s",
                      _ ("Record who took the consent."));
}

static gboolean
step_2 (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("volunteers");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "volunteers table",
    "CREATE TABLE volunteers (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, registration_number TEXT, family_name TEXT,"
    " given_name TEXT, family_kana TEXT, given_kana TEXT, birth_date TEXT, age_band TEXT,"
    " phone TEXT, email TEXT, postal_code TEXT, address TEXT, school_district TEXT,"
    " emergency_contact TEXT, fields TEXT, tags TEXT, availability TEXT, skills TEXT,"
    " insurance_fiscal_year INTEGER, insurance_plan TEXT, guardian_consent_on TEXT,"
    " contact_consent_on TEXT, contact_consent_purpose TEXT, contact_consent_by TEXT,"
    " registered_on TEXT, expires_on TEXT, status TEXT, notes TEXT, sort_key TEXT,"
    " search_text TEXT, avail_mask INTEGER, fields_mask INTEGER);"
    "CREATE INDEX volunteers_list ON volunteers (deleted, sort_key);"
    "CREATE INDEX volunteers_list_number ON volunteers (deleted, registration_number, sort_key);"
    "CREATE INDEX volunteers_list_district ON volunteers (deleted, school_district, sort_key);"
    "CREATE INDEX volunteers_by_rowid ON volunteers (rowid, deleted, sort_key);"
    /* the matcher's hard filters */
    "CREATE INDEX volunteers_match ON volunteers"
    " (deleted, status, insurance_fiscal_year, avail_mask, fields_mask);",
    NULL },
  { 2, "volunteers search index", NULL, step_2 },
  /* The 年度 report passes over every volunteer several times: from this
   * narrow index alone, not the wide rows. */
  { 3, "volunteers: the report's covering index",
    "CREATE INDEX IF NOT EXISTS volunteers_report ON volunteers (deleted, registered_on, "
    "expires_on, status,"
    " birth_date, age_band, school_district, fields_mask);",
    NULL },
  /* The matcher ranks people from this index alone: it holds every column
   * the hard filters and the profile score read, so no table row is read
   * while everyone is ranked (bench/matching). */
  { 4, "volunteers matcher covering index",
    "DROP INDEX IF EXISTS volunteers_match;"
    "CREATE INDEX volunteers_match_cover ON volunteers (deleted, status, insurance_fiscal_year,"
    " avail_mask, fields_mask, expires_on, school_district, sort_key, skills);",
    NULL },
};

/* ---- CSV: 活動可能時間 and 状態 ---- */

static char *
availability_export (JsonObject *row, const TsuCsvContext *ctx)
{
  return tsu_slots_format (json_object_get_member (row, "availability"));
}

static void
availability_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  JsonArray       *slots = NULL;
  g_autofree char *bad = NULL;

  if (cell == NULL)
    {
      json_object_set_null_member (record, "availability");
      return;
    }
  if (!tsu_slots_parse (cell, &slots, &bad))
    {
      tsu_problems_add (
          problems, NULL, TRUE,
          _ ("活動可能時間: “%s” is not a slot (write them like 月午前 水午後 土夜間)."), bad);
      return;
    }
  json_object_set_array_member (record, "availability", slots);
}

static char *
state_export (JsonObject *row, const TsuCsvContext *ctx)
{
  const char *status = tsu_record_get_string (row, "status");
  GDate       expires;

  if (g_strcmp0 (status, "withdrawn") == 0)
    return g_strdup ("退会");
  if (tsu_date_from_iso (tsu_record_get_string (row, "expires_on"), &expires)
      && g_date_compare (&expires, &ctx->today) < 0)
    return g_strdup ("期限切れ");
  return g_strdup (g_strcmp0 (status, "paused") == 0 ? "休止" : "活動中");
}

static void
state_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  if (cell == NULL)
    return;
  if (g_str_equal (cell, "活動中") || g_str_equal (cell, "期限切れ"))
    json_object_set_string_member (record, "status", "active");
  else if (g_str_equal (cell, "休止"))
    json_object_set_string_member (record, "status", "paused");
  else if (g_str_equal (cell, "退会"))
    json_object_set_string_member (record, "status", "withdrawn");
  else
    tsu_problems_add (problems, NULL, TRUE,
                      _ ("状態: “%s” is not a status (活動中, 休止, 期限切れ or 退会)."), cell);
}

static const TsuCsvColumn csv_columns[] = {
  { .field = "registration_number" },
  { .field = "family_name" },
  { .field = "given_name" },
  { .field = "family_kana" },
  { .field = "given_kana" },
  { .field = "birth_date" },
  { .field = "phone" },
  { .field = "email" },
  { .field = "postal_code" },
  { .field = "address" },
  { .field = "school_district" },
  { .field = "fields" },
  { .header = "活動可能時間",
    .variants = V ("活動できる時間", "活動可能日時"),
    .label = N_ ("When they can help"),
    .export_cell = availability_export,
    .import_cell = availability_import },
  { .field = "skills" },
  { .field = "insurance_fiscal_year" },
  { .field = "contact_consent_on" },
  { .header = "状態",
    .label = N_ ("Status"),
    .flags = TSU_CSV_COLUMN_INTERNAL,
    .export_cell = state_export,
    .import_cell = state_import },
};

static void
finish_row (JsonObject *o, const TsuCsvContext *ctx, GPtrArray *problems)
{
  if (!json_object_has_member (o, "status"))
    json_object_set_string_member (o, "status", "active");
}

static const TsuCsvSpec csv = {
  csv_columns, G_N_ELEMENTS (csv_columns), V ("姓"), finish_row, NULL,
};

const TsuCollection tsu_volunteer_collection = {
  .name = "volunteers",
  .label = N_ ("Volunteers"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_reading = V ("family_kana", "given_kana"),
  .sort_name = V ("family_name", "given_name"),
  .search_pairs = search_pairs,
  .n_search_pairs = G_N_ELEMENTS (search_pairs),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_keys = V ("registration_number"),
  .import_match = V ("family_name", "family_kana", "given_name", "phone"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .derive = derive,
  .check = check,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
};
