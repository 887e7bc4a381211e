/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-group-schema.h"
#include "tsu-group.h"

/* Order matters only for readability; the table is created by migration 2
 * (tsu-store-migrations.c) with the same columns. People's names are kept as
 * family and given name apart, each with its reading (DOMAIN.md). */
static const TsuFieldDef group_fields[] = {
  { "name", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "name_kana", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "legal_form", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "corporate_number", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "rep_family_name", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "rep_given_name", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "rep_family_kana", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "rep_given_kana", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_family_name", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_given_name", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_family_kana", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_given_kana", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_postal_code", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_address", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_phone", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "contact_email", TSU_FIELD_TEXT, TSU_FIELD_PERSONAL },
  { "postal_code", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "address", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "phone", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "email", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "founded", TSU_FIELD_DATE, TSU_FIELD_NONE },
  { "members_total", TSU_FIELD_INT, TSU_FIELD_NONE },
  { "members_in_city", TSU_FIELD_INT, TSU_FIELD_NONE },
  { "fields", TSU_FIELD_JSON, TSU_FIELD_NONE }, /* [1..20] NPO Act codes */
  { "purpose", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "activities", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "meeting_place", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "meeting_schedule", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "recruiting", TSU_FIELD_BOOL, TSU_FIELD_NONE },
  { "dues", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "website", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "sns", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "public_fields", TSU_FIELD_JSON, TSU_FIELD_NONE },   /* names of contact fields marked 公開 */
  { "attach_rules_on", TSU_FIELD_DATE, TSU_FIELD_NONE }, /* 規約/定款 received */
  { "attach_officers_on", TSU_FIELD_DATE, TSU_FIELD_NONE }, /* 役員名簿 */
  { "attach_plan_on", TSU_FIELD_DATE, TSU_FIELD_NONE },     /* 事業計画・予算 */
  { "attach_report_on", TSU_FIELD_DATE, TSU_FIELD_NONE },   /* 活動報告・決算 */
  { "registration_number", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  { "applied_on", TSU_FIELD_DATE, TSU_FIELD_NONE },
  { "registered_on", TSU_FIELD_DATE, TSU_FIELD_NONE },
  { "valid_fiscal_year", TSU_FIELD_INT, TSU_FIELD_NONE }, /* 年度 the registration runs to */
  { "withdrawn_on", TSU_FIELD_DATE, TSU_FIELD_NONE },
  { "notes", TSU_FIELD_TEXT, TSU_FIELD_NONE },
  /* Added by migration 4 (tsu_group_migrate_search). */
  { "declarations", TSU_FIELD_JSON, TSU_FIELD_NONE }, /* purpose declarations made */
  { "renewed_on", TSU_FIELD_DATE, TSU_FIELD_NONE },   /* 更新日 */
  { "sort_key", TSU_FIELD_TEXT, TSU_FIELD_DERIVED },
  { "search_text", TSU_FIELD_TEXT, TSU_FIELD_DERIVED },
};

const TsuCollection tsu_group_collection = {
  "groups",
  group_fields,
  G_N_ELEMENTS (group_fields),
  tsu_group_derive,
};
