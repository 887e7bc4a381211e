/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "requests" collection (活動依頼): what a group (or a person, through
 * a coordinator) needs people for, where and when. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-matching-collections.h"
#include "tsu-date.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-record.h"
#include "tsu-search.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define S TSU_FIELD_SEARCHED

const TsuChoice tsu_request_statuses[] = {
  { "open", N_ ("Recruiting"), "募集中" },
  { "filled", N_ ("Filled"), "充足" },
  { "closed", N_ ("Finished"), "終了" },
  { "cancelled", N_ ("Cancelled"), "取消" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "what", N_ ("Request"), NULL },
  { "who", N_ ("Requested by"),
    N_ ("A registered group, or a person whom only a coordinator contacts") },
  { "when", N_ ("Where and when"), NULL },
  { "people", N_ ("People needed"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "number",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_MANAGED,
    .label = N_ ("Request number"),
    .csv_header = "依頼番号",
    .section = "what" },
  { .name = "title",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("What"),
    .csv_header = "内容",
    .csv_variants = V ("活動内容", "依頼内容"),
    .section = "what" },
  { .name = "description",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("Details"),
    .section = "what" },
  { .name = "group_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Group"),
    .ref = "groups",
    .section = "who" },
  { .name = "requester_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_PERSONAL | S,
    .label = N_ ("Person asking"),
    .section = "who" },
  { .name = "requester_phone",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_PERSONAL | TSU_FIELD_PHONE,
    .label = N_ ("Their phone"),
    .section = "who" },
  { .name = "school_district",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("School district"),
    .csv_header = "校区",
    .section = "when" },
  { .name = "place", .type = TSU_FIELD_TEXT, .flags = S, .label = N_ ("Place"), .section = "when" },
  { .name = "schedule",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Schedule"),
    .choices = tsu_schedule_choices,
    .section = "when" },
  { .name = "date_from",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Date (or first day)"),
    .csv_header = "日付",
    .csv_variants = V ("活動日", "日時"),
    .section = "when" },
  { .name = "date_to", .type = TSU_FIELD_DATE, .label = N_ ("Last day"), .section = "when" },
  { .name = "slot",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Time of day"),
    .choices = tsu_part_choices,
    .csv_header = "時間帯",
    .section = "when" },
  { .name = "weekly_slots",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("Every week"),
    .choices = tsu_slot_choices,
    .section = "when" },
  { .name = "people_needed",
    .type = TSU_FIELD_INT,
    .label = N_ ("People needed"),
    .min = 1,
    .max = 9999,
    .csv_header = "必要人数",
    .csv_variants = V ("人数", "募集人数"),
    .section = "people" },
  { .name = "skills_needed",
    .type = TSU_FIELD_STRINGS,
    .flags = S,
    .label = N_ ("Skills needed"),
    .csv_header = "必要な資格",
    .csv_variants = V ("必要な資格・特技", "資格"),
    .section = "people" },
  { .name = "fields",
    .type = TSU_FIELD_CODES,
    .label = N_ ("Activity fields"),
    .min = 1,
    .max = 20,
    .choices = tsu_activity_fields,
    .csv_header = "活動分野",
    .csv_variants = V ("分野"),
    .section = "people" },
  { .name = "deadline",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Find people by"),
    .csv_header = "募集締切",
    .csv_variants = V ("締切", "募集期限"),
    .section = "people" },
  { .name = "status",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Status"),
    .choices = tsu_request_statuses,
    .section = "what" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "what" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  /* First day and the day after the last: for the queue and overlaps. */
  { .name = "span_start", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "span_end", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

#undef S

static char *
confirmed_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT count(*) FROM matches m WHERE m.request_id = requests.id"
                   " AND m.deleted = 0 AND m.state IN ('confirmed', 'completed'))");
}

static char *
missing_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(max(coalesce(people_needed, 1) - (SELECT count(*) FROM matches m"
                   " WHERE m.request_id = requests.id AND m.deleted = 0"
                   " AND m.state IN ('confirmed', 'completed')), 0))");
}

/* 確定/必要 as the queue shows it: "1/3". */
static char *
staffing_sql (const TsuRecordQuery *q)
{
  return g_strdup ("((SELECT count(*) FROM matches m WHERE m.request_id = requests.id"
                   " AND m.deleted = 0 AND m.state IN ('confirmed', 'completed'))"
                   " || '/' || coalesce(people_needed, 1))");
}

static char *
group_name_sql (const TsuRecordQuery *q)
{
  return g_strdup ("coalesce((SELECT g.name FROM groups g WHERE g.id = requests.group_id),"
                   " requester_name)");
}

static const TsuFieldDef computed[] = {
  { .name = "confirmed",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Confirmed"),
    .sql = confirmed_sql },
  { .name = "missing",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Still needed"),
    .sql = missing_sql },
  { .name = "requester",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Requested by"),
    .sql = group_name_sql },
  { .name = "staffing",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Confirmed / needed"),
    .sql = staffing_sql },
};

/* The queue: open requests by urgency (the deadline, then the first day),
 * then by how many people are still missing. */
static const TsuSortDef sorts[] = {
  { "urgency", N_ ("Urgency"), "coalesce(deadline, span_start) %D, @missing DESC, span_start %D",
    NULL },
  { "date", N_ ("Date"), "span_start %D, sort_key %D", "requests_list_date" },
  { "number", N_ ("Request number"), "number %D", "requests_list_number" },
};

static void
derive (JsonObject *row)
{
  TsuSchedule s;

  if (tsu_schedule_from_record (row, &s))
    {
      g_autofree char *start = NULL, *end = NULL;

      tsu_schedule_span (&s, &start, &end);
      json_object_set_string_member (row, "span_start", start);
      json_object_set_string_member (row, "span_end", end);
    }
  else
    {
      json_object_set_null_member (row, "span_start");
      json_object_set_null_member (row, "span_end");
    }
  /* 五十音順 has no meaning for requests: the title's folded text orders them. */
}

static void
check (JsonObject *row, GPtrArray *problems)
{
  const char *schedule = tsu_record_get_string (row, "schedule");
  GDate       from, to;

  if (tsu_date_from_iso (tsu_record_get_string (row, "date_from"), &from)
      && tsu_date_from_iso (tsu_record_get_string (row, "date_to"), &to)
      && g_date_compare (&to, &from) < 0)
    tsu_problems_add (problems, "date_to", TRUE, "%s",
                      _ ("The last day cannot come before the first."));
  if (g_strcmp0 (schedule, "weekly") == 0
      && tsu_slots_mask (json_object_get_member (row, "weekly_slots")) == 0)
    tsu_problems_add (problems, "weekly_slots", TRUE, "%s",
                      _ ("Choose the weekdays and times of a weekly request."));
  if (tsu_record_get_string (row, "group_id") == NULL
      && tsu_record_get_string (row, "requester_name") == NULL
      && json_object_has_member (row, "title"))
    tsu_problems_add (problems, "group_id", FALSE, "%s",
                      _ ("Say which group, or which person, asks for help."));
}

static gboolean
step_2 (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("requests");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "requests table",
    "CREATE TABLE requests (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, number TEXT, title TEXT, description TEXT,"
    " group_id TEXT, requester_name TEXT, requester_phone TEXT, school_district TEXT, place TEXT,"
    " schedule TEXT, date_from TEXT, date_to TEXT, slot TEXT, weekly_slots TEXT,"
    " people_needed INTEGER, skills_needed TEXT, fields TEXT, deadline TEXT, status TEXT,"
    " notes TEXT, sort_key TEXT, search_text TEXT, span_start TEXT, span_end TEXT);"
    "CREATE INDEX requests_list ON requests (deleted, sort_key);"
    "CREATE INDEX requests_list_date ON requests (deleted, span_start, sort_key);"
    "CREATE INDEX requests_list_number ON requests (deleted, number);"
    "CREATE INDEX requests_by_rowid ON requests (rowid, deleted, sort_key);"
    "CREATE INDEX requests_queue ON requests (deleted, status, deadline);"
    "CREATE INDEX requests_group ON requests (group_id, deleted);",
    NULL },
  { 2, "requests search index", NULL, step_2 },
};

/* ---- CSV: the group by its registration number ---- */

typedef struct
{
  const char *key;
  char       *value;
} Lookup;

static gboolean
group_by_number (sqlite3 *db, gpointer data, GError **error)
{
  Lookup       *l = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT id FROM groups WHERE registration_number = ? AND deleted = 0"
                          " ORDER BY rowid LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, l->key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    l->value = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

static char *
group_number_export (JsonObject *row, const TsuCsvContext *ctx)
{
  const char *gid = tsu_record_get_string (row, "group_id");
  g_autoptr (JsonObject) g = NULL;

  if (gid == NULL || ctx->store == NULL)
    return g_strdup ("");
  g = tsu_store_get (ctx->store, "groups", gid, NULL);
  return g_strdup (g && tsu_record_get_string (g, "registration_number")
                       ? tsu_record_get_string (g, "registration_number")
                       : "");
}

static void
group_number_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  if (cell != NULL)
    json_object_set_string_member (record, "_group_number", cell);
  else
    json_object_set_null_member (record, "group_id");
}

static void
resolve (TsuStore *store, JsonObject *record, GPtrArray *problems)
{
  const char *number = tsu_record_get_string (record, "_group_number");
  Lookup      l = { number, NULL };

  if (number == NULL)
    return;
  tsu_store_read (store, group_by_number, &l, NULL);
  if (l.value == NULL)
    tsu_problems_add (problems, NULL, TRUE, _ ("団体登録番号: no group has the number %s."),
                      number);
  else
    json_object_set_string_member (record, "group_id", l.value);
  json_object_remove_member (record, "_group_number");
  g_free (l.value);
}

static void
finish_row (JsonObject *o, const TsuCsvContext *ctx, GPtrArray *problems)
{
  if (!json_object_has_member (o, "schedule"))
    json_object_set_string_member (o, "schedule", "once");
  if (!json_object_has_member (o, "status"))
    json_object_set_string_member (o, "status", "open");
}

static const TsuCsvColumn csv_columns[] = {
  { .field = "number" },
  { .header = "団体登録番号",
    .variants = V ("登録番号", "団体番号"),
    .label = N_ ("Group's registration number"),
    .export_cell = group_number_export,
    .import_cell = group_number_import },
  { .field = "title" },
  { .field = "school_district" },
  { .field = "date_from" },
  { .field = "slot", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "people_needed" },
  { .field = "skills_needed" },
  { .field = "fields" },
  { .field = "deadline" },
};

static const TsuCsvSpec csv = {
  csv_columns, G_N_ELEMENTS (csv_columns), V ("内容"), finish_row, resolve,
};

const TsuCollection tsu_request_collection = {
  .name = "requests",
  .label = N_ ("Requests"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_reading = NULL,
  .sort_name = V ("title"),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_keys = V ("number"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .derive = derive,
  .check = check,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
};
