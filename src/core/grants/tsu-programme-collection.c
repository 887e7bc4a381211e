/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "programmes" collection: a grant, subsidy, entrustment or award call
 * with its deadline, the 年度 it funds, and tiers where the amount depends
 * on how many times a group has received it. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-grants-collections.h"
#include "tsu-date.h"
#include "tsu-record-query.h"
#include "tsu-group-collection.h"
#include "tsu-record-csv.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define S TSU_FIELD_SEARCHED

const TsuChoice tsu_programme_kinds[] = {
  { "grant", N_ ("Grant"), "助成金" },
  { "subsidy", N_ ("Subsidy"), "補助金" },
  { "entrustment", N_ ("Entrustment or designated management"), "委託・指定管理" },
  { "award", N_ ("Award"), "表彰" },
  { "other", N_ ("Other"), "その他" },
  { NULL },
};

const TsuChoice tsu_deadline_kinds[] = {
  { "arrive", N_ ("Must arrive by"), "必着" },
  { "postmark", N_ ("Postmarked by"), "消印有効" },
  { "online", N_ ("Online"), "オンライン" },
  { "rolling", N_ ("Any time"), "随時" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "programme", N_ ("Programme"), NULL },
  { "money", N_ ("Amount"), N_ ("Tiers: the amount by how many times a group has received it") },
  { "deadline", N_ ("Dates"), NULL },
  { "source", N_ ("Information"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "name",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("Programme"),
    .csv_header = "助成名",
    .csv_variants = V ("事業名", "名称"),
    .section = "programme" },
  { .name = "funder_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Funder"),
    .ref = "funders",
    .section = "programme" },
  /* A funder named in an imported file that is not (yet) a funder record. */
  { .name = "funder_name",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("Funder (name)"),
    .section = "programme" },
  { .name = "kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Kind"),
    .choices = tsu_programme_kinds,
    .csv_header = "種別",
    .section = "programme" },
  { .name = "fields",
    .type = TSU_FIELD_CODES,
    .label = N_ ("Activity fields"),
    .min = 1,
    .max = 20,
    .choices = tsu_activity_fields,
    .csv_header = "分野",
    .csv_variants = V ("活動分野"),
    .section = "programme" },
  { .name = "eligibility",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | S,
    .label = N_ ("Who may apply"),
    .section = "programme" },
  { .name = "ceiling",
    .type = TSU_FIELD_INT,
    .label = N_ ("Up to (yen)"),
    .min = 0,
    .max = G_GINT64_CONSTANT (100000000000),
    .csv_header = "上限額",
    .section = "money" },
  { .name = "rate", .type = TSU_FIELD_TEXT, .label = N_ ("Share of the cost"), .section = "money" },
  { .name = "tiers", .type = TSU_FIELD_JSON, .label = N_ ("Tiers"), .section = "money" },
  { .name = "opens_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Opens"),
    .csv_header = "募集開始",
    .section = "deadline" },
  { .name = "deadline_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Deadline"),
    .csv_header = "締切日",
    .csv_variants = V ("締切", "募集締切"),
    .section = "deadline" },
  { .name = "deadline_time",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Deadline time (HH:MM)"),
    .csv_header = "締切時刻",
    .section = "deadline" },
  { .name = "deadline_kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Deadline kind"),
    .choices = tsu_deadline_kinds,
    .csv_header = "締切区分",
    .section = "deadline" },
  { .name = "fiscal_year",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_FISCAL_YEAR,
    .label = N_ ("Funds the fiscal year"),
    .min = 1900,
    .max = 2200,
    .csv_header = "対象年度",
    .section = "deadline" },
  { .name = "url",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_URL,
    .label = N_ ("Website"),
    .csv_header = "URL",
    .section = "source" },
  { .name = "contact", .type = TSU_FIELD_TEXT, .label = N_ ("Contact"), .section = "source" },
  { .name = "source",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Where the information came from"),
    .section = "source" },
  { .name = "copied_from",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_MANAGED,
    .label = N_ ("Copied from"),
    .ref = "programmes",
    .section = "source" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "source" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  /* Deadline order: date, time, kind ("9999…" for 随時: last). */
  { .name = "deadline_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

#undef S

static char *
count_sql (const char *states)
{
  return g_strdup_printf ("(SELECT count(*) FROM applications a WHERE a.programme_id ="
                          " programmes.id AND a.deleted = 0 AND a.state IN (%s))",
                          states);
}

static char *
told_sql (const TsuRecordQuery *q)
{
  /* Every state follows being told: one range of the index, not a seek
   * per state. */
  return g_strdup ("(SELECT count(*) FROM applications a WHERE a.programme_id = programmes.id"
                   " AND a.deleted = 0 AND a.state IS NOT NULL)");
}

static char *
applying_sql (const TsuRecordQuery *q)
{
  return count_sql ("'preparing', 'applied'");
}

static char *
funder_sql (const TsuRecordQuery *q)
{
  return g_strdup ("coalesce((SELECT f.name FROM funders f WHERE f.id = programmes.funder_id),"
                   " funder_name)");
}

/* Where a deadline falls, seen from the query's day: the list's sections.
 * The same rule as tsu_programme_bucket() (a week ends on Sunday). */
const TsuChoice tsu_deadline_buckets[] = {
  { "0", N_ ("This week"), "今週" }, { "1", N_ ("This month"), "今月" },
  { "2", N_ ("Later"), "来月以降" }, { "3", N_ ("Any time"), "随時" },
  { "4", N_ ("Closed"), "締切済" },  { NULL },
};

static char *
bucket_sql (const TsuRecordQuery *q)
{
  GDate            sunday = q->today;
  g_autofree char *today = tsu_date_to_iso (&q->today);
  g_autofree char *last = NULL;

  g_date_add_days (&sunday, G_DATE_SUNDAY - g_date_get_weekday (&q->today));
  last = tsu_date_to_iso (&sunday);
  return g_strdup_printf ("(CASE WHEN coalesce(programmes.deadline_kind, '') = 'rolling'"
                          " OR programmes.deadline_on IS NULL THEN 3"
                          " WHEN programmes.deadline_on < '%s' THEN 4"
                          " WHEN programmes.deadline_on <= '%s' THEN 0"
                          " WHEN substr(programmes.deadline_on, 1, 7) = '%.7s' THEN 1"
                          " ELSE 2 END)",
                          today, last, today);
}

/* "3 days left ・ Must arrive by": days to the deadline day as the list says
 * them (the words are the translation's, quoted into the SQL). */
static char *
due_sql (const TsuRecordQuery *q)
{
  g_autofree char *today = tsu_date_to_iso (&q->today);
  g_autoptr (GString) kinds = g_string_new ("CASE programmes.deadline_kind");
  char *words = sqlite3_mprintf ("%Q AS anytime, %Q AS closed, %Q AS today, %Q AS tomorrow,"
                                 " %Q AS later, %Q AS sep",
                                 _ ("Any time"), _ ("Closed"), _ ("Today"), _ ("Tomorrow"),
                                 _ ("%d days left"), _ (" ・ "));
  char *out;

  for (guint i = 0; tsu_deadline_kinds[i].code; i++)
    {
      char *k = sqlite3_mprintf (" WHEN %Q THEN %Q", tsu_deadline_kinds[i].code,
                                 _ (tsu_deadline_kinds[i].label));
      g_string_append (kinds, k);
      sqlite3_free (k);
    }
  g_string_append (kinds, " END");
  out = g_strdup_printf (
      "(SELECT CASE WHEN d IS NULL THEN anytime WHEN d < 0 THEN closed"
      " ELSE (CASE WHEN d = 0 THEN today WHEN d = 1 THEN tomorrow"
      " ELSE replace(later, '%%d', d) END) || coalesce(sep || (%s), '') END"
      " FROM (SELECT CASE WHEN coalesce(programmes.deadline_kind, '') = 'rolling'"
      " OR programmes.deadline_on IS NULL THEN NULL"
      " ELSE CAST(julianday(programmes.deadline_on) - julianday('%s') AS INTEGER) END AS d,"
      " %s))",
      kinds->str, today, words);
  sqlite3_free (words);
  return out;
}

static const TsuFieldDef computed[] = {
  { .name = "bucket",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Deadline period"),
    .choices = tsu_deadline_buckets,
    .sql = bucket_sql },
  { .name = "due",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Days left"),
    .sql = due_sql },
  { .name = "told",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Groups told"),
    .sql = told_sql },
  { .name = "applying",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Groups applying"),
    .sql = applying_sql },
  { .name = "funder",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Funder"),
    .sql = funder_sql },
};

static const TsuSortDef sorts[] = {
  { "deadline", N_ ("Deadline"), "deadline_key %D", "programmes_list_deadline" },
  { "name", N_ ("Name"), "sort_key %D", "programmes_list" },
};

static int
kind_rank (const char *kind)
{
  /* The same day: online closes first in practice, a postmark last. */
  if (g_strcmp0 (kind, "online") == 0)
    return 0;
  if (g_strcmp0 (kind, "postmark") == 0)
    return 2;
  return 1;
}

static void
derive (JsonObject *row)
{
  const char      *day = tsu_record_get_string (row, "deadline_on");
  const char      *time = tsu_record_get_string (row, "deadline_time");
  const char      *kind = tsu_record_get_string (row, "deadline_kind");
  g_autofree char *key = NULL;

  if (g_strcmp0 (kind, "rolling") == 0 || day == NULL)
    key = g_strdup_printf ("9999-99-99 %s", day ? day : "");
  else
    key = g_strdup_printf ("%s %s %d", day, time ? time : "99:99", kind_rank (kind));
  json_object_set_string_member (row, "deadline_key", key);
}

static void
check (JsonObject *row, GPtrArray *problems)
{
  const char *t = tsu_record_get_string (row, "deadline_time");
  const char *opens = tsu_record_get_string (row, "opens_on");
  const char *deadline = tsu_record_get_string (row, "deadline_on");
  JsonNode   *tiers = json_object_get_member (row, "tiers");
  int         h, m;

  if (t != NULL && (strlen (t) != 5 || sscanf (t, "%2d:%2d", &h, &m) != 2 || h > 23 || m > 59))
    tsu_problems_add (problems, "deadline_time", TRUE, "%s", _ ("Write the time like 17:00."));
  if (opens && deadline && g_strcmp0 (deadline, opens) < 0)
    tsu_problems_add (problems, "deadline_on", TRUE, "%s",
                      _ ("The deadline cannot come before the call opens."));
  if (deadline == NULL && g_strcmp0 (tsu_record_get_string (row, "deadline_kind"), "rolling") != 0
      && json_object_has_member (row, "name"))
    tsu_problems_add (problems, "deadline_on", FALSE, "%s",
                      _ ("Without a deadline the programme is listed as open any time."));
  /* Tiers: [{"times": 0, "ceiling": 300000, "rate": "10/10"}, …] */
  if (tiers && !JSON_NODE_HOLDS_NULL (tiers))
    {
      gboolean ok = JSON_NODE_HOLDS_ARRAY (tiers);

      for (guint i = 0; ok && i < json_array_get_length (json_node_get_array (tiers)); i++)
        {
          JsonNode *e = json_array_get_element (json_node_get_array (tiers), i);
          gint64    v;

          ok = JSON_NODE_HOLDS_OBJECT (e)
               && tsu_record_get_int (json_node_get_object (e), "times", &v) && v >= 0;
        }
      if (!ok)
        tsu_problems_add (problems, "tiers", TRUE, "%s",
                          _ ("Each tier needs how many times a group has received it."));
    }
}

static gboolean
step_2 (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("programmes");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "programmes table",
    "CREATE TABLE programmes (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, name TEXT, funder_id TEXT, funder_name TEXT,"
    " kind TEXT, fields TEXT, eligibility TEXT, ceiling INTEGER, rate TEXT, tiers TEXT,"
    " opens_on TEXT, deadline_on TEXT, deadline_time TEXT, deadline_kind TEXT,"
    " fiscal_year INTEGER, url TEXT, contact TEXT, source TEXT, copied_from TEXT, notes TEXT,"
    " sort_key TEXT, search_text TEXT, deadline_key TEXT);"
    "CREATE INDEX programmes_list ON programmes (deleted, sort_key);"
    "CREATE INDEX programmes_list_deadline ON programmes (deleted, deadline_key);"
    "CREATE INDEX programmes_by_rowid ON programmes (rowid, deleted, sort_key);"
    "CREATE INDEX programmes_funder ON programmes (funder_id, deleted);",
    NULL },
  { 2, "programmes search index", NULL, step_2 },
};

/* ---- CSV: the funder by name ---- */

static char *
funder_export (JsonObject *row, const TsuCsvContext *ctx)
{
  const char *fid = tsu_record_get_string (row, "funder_id");
  g_autoptr (JsonObject) f = NULL;

  if (fid != NULL && ctx->store != NULL)
    f = tsu_store_get (ctx->store, "funders", fid, NULL);
  if (f && tsu_record_get_string (f, "name"))
    return g_strdup (tsu_record_get_string (f, "name"));
  return g_strdup (
      tsu_record_get_string (row, "funder_name") ? tsu_record_get_string (row, "funder_name") : "");
}

static void
funder_import (JsonObject *record, const char *cell, GPtrArray *problems)
{
  if (cell != NULL)
    json_object_set_string_member (record, "funder_name", cell);
  else
    json_object_set_null_member (record, "funder_name");
}

typedef struct
{
  const char *name;
  char       *id;
} Lookup;

static gboolean
funder_by_name (sqlite3 *db, gpointer data, GError **error)
{
  Lookup       *l = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT id FROM funders WHERE name = ? AND deleted = 0 ORDER BY rowid"
                          " LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, l->name, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    l->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

/* A funder named in the file becomes a reference when there is one by that
 * name; the name is kept either way. */
static void
resolve (TsuStore *store, JsonObject *record, GPtrArray *problems)
{
  Lookup l = { tsu_record_get_string (record, "funder_name"), NULL };

  if (l.name == NULL)
    return;
  tsu_store_read (store, funder_by_name, &l, NULL);
  if (l.id != NULL)
    json_object_set_string_member (record, "funder_id", l.id);
  g_free (l.id);
}

static void
finish_row (JsonObject *o, const TsuCsvContext *ctx, GPtrArray *problems)
{
  if (!json_object_has_member (o, "deadline_kind"))
    json_object_set_string_member (o, "deadline_kind", "arrive");
}

static const TsuCsvColumn csv_columns[] = {
  { .field = "name" },
  { .header = "助成団体",
    .variants = V ("助成団体名", "実施団体"),
    .label = N_ ("Funder"),
    .export_cell = funder_export,
    .import_cell = funder_import },
  { .field = "kind", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "fields", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "ceiling" },
  { .field = "opens_on" },
  { .field = "deadline_on" },
  { .field = "deadline_time" },
  { .field = "deadline_kind", .flags = TSU_CSV_COLUMN_NAMES },
  { .field = "fiscal_year" },
  { .field = "url" },
};

static const TsuCsvSpec csv = {
  csv_columns, G_N_ELEMENTS (csv_columns), V ("助成名"), finish_row, resolve,
};

const TsuCollection tsu_programme_collection = {
  .name = "programmes",
  .label = N_ ("Grants and calls"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_name = V ("name"),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_match = V ("name", "fiscal_year"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .derive = derive,
  .check = check,
  .is_public_record = NULL,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .csv = &csv,
};
