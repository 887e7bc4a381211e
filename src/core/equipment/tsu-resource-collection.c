/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "resources" collection: an item the centre lends (a projector, a PC,
 * a printer, tents…) or a room it books out. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-equipment-collections.h"
#include "tsu-record-csv.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define S TSU_FIELD_SEARCHED

const TsuChoice tsu_resource_kinds[] = {
  { "item", N_ ("Item"), "備品" },
  { "room", N_ ("Room"), "部屋" },
  { NULL },
};

const TsuChoice tsu_resource_statuses[] = {
  { "available", N_ ("Available"), "貸出可" },
  { "repair", N_ ("Under repair"), "修理中" },
  { "disposed", N_ ("Disposed of"), "廃棄" },
  { NULL },
};

const TsuChoice tsu_fee_kinds[] = {
  { "free", N_ ("Free"), "無料" },
  { "per_3h", N_ ("Per 3 hours"), "3時間ごと" },
  { "per_night", N_ ("Per night"), "1泊ごと" },
  { "per_day", N_ ("Per day"), "1日ごと" },
  { "per_slot", N_ ("Per time slot (午前・午後・夜間)"), "1コマごと" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "basic", N_ ("Resource"), NULL },
  { "lending", N_ ("Lending"), N_ ("How long and for how much it goes out") },
  { "room", N_ ("Room"), NULL },
  { "printer", N_ ("Printer counters"),
    N_ ("Masters and prints are counted on the machine at lending and at return") },
};

static const TsuFieldDef fields[] = {
  { .name = "kind",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Kind"),
    .choices = tsu_resource_kinds,
    .csv_header = "種別",
    .section = "basic" },
  { .name = "name",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("Name"),
    .csv_header = "名称",
    .csv_variants = V ("品名", "部屋名"),
    .section = "basic" },
  { .name = "name_kana",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_READING,
    .label = N_ ("Reading"),
    .section = "basic" },
  { .name = "category",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("Category"),
    .csv_header = "分類",
    .section = "basic" },
  { .name = "control_number",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("Control number"),
    .csv_header = "管理番号",
    .section = "basic" },
  { .name = "stock",
    .type = TSU_FIELD_INT,
    .label = N_ ("How many"),
    .min = 1,
    .max = 9999,
    .section = "basic" },
  { .name = "accessories",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("Accessories"),
    .section = "basic" },
  { .name = "storage",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Kept in"),
    .csv_header = "保管場所",
    .section = "basic" },
  { .name = "status",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Status"),
    .choices = tsu_resource_statuses,
    .section = "basic" },
  { .name = "max_loan_days",
    .type = TSU_FIELD_INT,
    .label = N_ ("Longest loan (days)"),
    .min = 0,
    .max = 365,
    .csv_header = "最長貸出日数",
    .section = "lending" },
  { .name = "onsite_only",
    .type = TSU_FIELD_BOOL,
    .label = N_ ("Used in the centre only"),
    .csv_header = "館内利用のみ",
    .section = "lending" },
  { .name = "fee_kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Fee"),
    .choices = tsu_fee_kinds,
    .csv_header = "料金区分",
    .section = "lending" },
  { .name = "fee",
    .type = TSU_FIELD_INT,
    .label = N_ ("Fee (yen)"),
    .min = 0,
    .max = 10000000,
    .csv_header = "料金",
    .section = "lending" },
  { .name = "capacity",
    .type = TSU_FIELD_INT,
    .label = N_ ("Capacity (people)"),
    .min = 0,
    .max = 100000,
    .section = "room" },
  { .name = "room_equipment",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("Equipment in the room"),
    .section = "room" },
  { .name = "open_time",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Bookable from (HH:MM)"),
    .section = "room" },
  { .name = "close_time",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Bookable until (HH:MM)"),
    .section = "room" },
  { .name = "is_printer",
    .type = TSU_FIELD_BOOL,
    .label = N_ ("Printer (counters kept)"),
    .section = "printer" },
  { .name = "master_count",
    .type = TSU_FIELD_INT,
    .label = N_ ("Masters counter"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "printer" },
  { .name = "print_count",
    .type = TSU_FIELD_INT,
    .label = N_ ("Prints counter"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "printer" },
  { .name = "master_fee",
    .type = TSU_FIELD_INT,
    .label = N_ ("Fee per master (yen)"),
    .min = 0,
    .max = 100000,
    .section = "printer" },
  { .name = "print_fee",
    .type = TSU_FIELD_INT,
    .label = N_ ("Fee per print (yen)"),
    .min = 0,
    .max = 100000,
    .section = "printer" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "basic" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

#undef S

/* Where a resource is now, for the inventory list: its own status first
 * (修理中, 廃棄), then out or in use, then booked ahead, else free. */
const TsuChoice tsu_resource_now_states[] = {
  { "available", N_ ("Available"), "貸出可" }, { "reserved", N_ ("Booked"), "予約あり" },
  { "lent", N_ ("Lent out"), "貸出中" },       { "in_use", N_ ("In use"), "使用中" },
  { "overdue", N_ ("Overdue"), "延滞" },       { "repair", N_ ("Under repair"), "修理中" },
  { "disposed", N_ ("Disposed of"), "廃棄" },  { NULL },
};

static char *
now_iso (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M");
}

/* Each subquery walks the bookings_resource_state index: a resource's
 * million past bookings are never read. */
static char *
now_state_sql (const TsuRecordQuery *q)
{
  g_autofree char *now = now_iso ();

  return g_strdup_printf (
      "(CASE WHEN resources.status = 'repair' THEN 'repair'"
      " WHEN resources.status = 'disposed' THEN 'disposed'"
      " WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = resources.id"
      "  AND b.state = 'lent' AND b.deleted = 0 AND b.due_at < '%s') THEN 'overdue'"
      " WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = resources.id"
      "  AND b.state = 'lent' AND b.deleted = 0) THEN 'lent'"
      " WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = resources.id"
      "  AND b.state = 'reserved' AND b.deleted = 0 AND b.start_at <= '%s'"
      "  AND b.due_at > '%s') THEN 'in_use'"
      " WHEN EXISTS (SELECT 1 FROM bookings b WHERE b.resource_id = resources.id"
      "  AND b.state = 'reserved' AND b.deleted = 0 AND b.due_at > '%s') THEN 'reserved'"
      " ELSE 'available' END)",
      now, now, now, now);
}

/* The start of the next booking still ahead (or under way). */
static char *
next_start_sql (const TsuRecordQuery *q)
{
  g_autofree char *now = now_iso ();

  return g_strdup_printf ("(SELECT min(b.start_at) FROM bookings b"
                          " WHERE b.resource_id = resources.id AND b.state = 'reserved'"
                          " AND b.deleted = 0 AND b.due_at > '%s')",
                          now);
}

/* The same, as the list shows it: "12/5(土) 10:00" (the year when it is
 * not this year's), short enough for a column in every date style. */
static char *
next_text_sql (const TsuRecordQuery *q)
{
  g_autofree char *next = next_start_sql (q);

  return g_strdup_printf (
      "(SELECT CASE WHEN x IS NULL THEN NULL ELSE"
      " CASE WHEN substr(x, 1, 4) = strftime('%%Y', 'now', 'localtime') THEN ''"
      " ELSE substr(x, 1, 4) || '/' END || (substr(x, 6, 2) + 0) || '/' || (substr(x, 9, 2) + 0)"
      " || '（' || substr('日月火水木金土', strftime('%%w', substr(x, 1, 10)) + 1, 1) || '） '"
      " || substr(x, 12, 5) END FROM (SELECT %s AS x))",
      next);
}

static const TsuFieldDef computed[] = {
  { .name = "now_state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Now"),
    .choices = tsu_resource_now_states,
    .sql = now_state_sql },
  { .name = "next_start",
    .type = TSU_FIELD_DATETIME,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Next booking"),
    .sql = next_start_sql },
  { .name = "next_text",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Next booking"),
    .sql = next_text_sql },
};

static const TsuSortDef sorts[] = {
  { "reading", N_ ("Name"), "sort_key %D", "resources_list" },
  { "category", N_ ("Category"), "category %D, sort_key %D", "resources_list_category" },
  { "number", N_ ("Control number"), "control_number %D", "resources_list_number" },
  { "state", N_ ("Now"), "@now_state %D, sort_key", NULL },
  { "next", N_ ("Next booking"), "@next_start IS NULL, @next_start %D, sort_key", NULL },
};

static void
check (JsonObject *row, GPtrArray *problems)
{
  const char *times[] = { "open_time", "close_time" };

  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      const char *t = tsu_record_get_string (row, times[i]);
      int         h, m;

      if (t != NULL && (strlen (t) != 5 || sscanf (t, "%2d:%2d", &h, &m) != 2 || h > 24 || m > 59))
        tsu_problems_add (problems, times[i], TRUE, "%s", _ ("Write the time like 09:00."));
    }
}

static gboolean
step_2 (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("resources");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "resources table",
    "CREATE TABLE resources (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, kind TEXT, name TEXT, name_kana TEXT, category TEXT,"
    " control_number TEXT, stock INTEGER, accessories TEXT, storage TEXT, status TEXT,"
    " max_loan_days INTEGER, onsite_only INTEGER, fee_kind TEXT, fee INTEGER, capacity INTEGER,"
    " room_equipment TEXT, open_time TEXT, close_time TEXT, is_printer INTEGER,"
    " master_count INTEGER, print_count INTEGER, master_fee INTEGER, print_fee INTEGER,"
    " notes TEXT, sort_key TEXT, search_text TEXT);"
    "CREATE INDEX resources_list ON resources (deleted, sort_key);"
    "CREATE INDEX resources_list_category ON resources (deleted, category, sort_key);"
    "CREATE INDEX resources_list_number ON resources (deleted, control_number);"
    "CREATE INDEX resources_by_rowid ON resources (rowid, deleted, sort_key);",
    NULL },
  { 2, "resources search index", NULL, step_2 },
};

static void
finish_row (JsonObject *o, const TsuCsvContext *ctx, GPtrArray *problems)
{
  if (!json_object_has_member (o, "kind"))
    json_object_set_string_member (o, "kind", "item");
  if (!json_object_has_member (o, "status"))
    json_object_set_string_member (o, "status", "available");
  if (!json_object_has_member (o, "fee_kind"))
    json_object_set_string_member (o, "fee_kind", "free");
}

static const TsuCsvColumn csv_columns[] = {
  { .field = "control_number" },
  { .field = "kind", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "name" },
  { .field = "category" },
  { .field = "storage" },
  { .field = "max_loan_days" },
  { .field = "onsite_only" },
  { .field = "fee_kind", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "fee" },
};

static const TsuCsvSpec csv = {
  csv_columns, G_N_ELEMENTS (csv_columns), V ("名称"), finish_row, NULL,
};

const TsuCollection tsu_resource_collection = {
  .name = "resources",
  .label = N_ ("Equipment and rooms"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_reading = V ("name_kana"),
  .sort_name = V ("name"),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_keys = V ("control_number"),
  .import_match = V ("name", "category"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .check = check,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
};
