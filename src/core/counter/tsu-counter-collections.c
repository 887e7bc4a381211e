/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The one-stop counter (総合窓口), training and networking: consultations,
 * events with their registrations, connections between groups and others,
 * and the city's joint projects (協働事業). */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-counter-collections.h"
#include "tsu-record-query.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define S TSU_FIELD_SEARCHED
#define P TSU_FIELD_PERSONAL

/* ---- consultations (相談記録) ---- */

const TsuChoice tsu_consultation_channels[] = {
  { "visit", N_ ("At the counter"), "来所" }, { "phone", N_ ("Phone"), "電話" },
  { "mail", N_ ("E-mail"), "メール" },        { "outreach", N_ ("Visit"), "訪問" },
  { "online", N_ ("Online"), "オンライン" },  { NULL },
};

const TsuChoice tsu_asker_kinds[] = {
  { "group", N_ ("Group"), "団体" },
  { "volunteer", N_ ("Volunteer"), "ボランティア" },
  { "citizen", N_ ("Citizen"), "市民" },
  { "company", N_ ("Company"), "企業" },
  { "city", N_ ("City department"), "市の部署" },
  { "anonymous", N_ ("Anonymous"), "匿名" },
  { NULL },
};

/* The topics every centre has; a centre adds its own (centre setting
 * "consultation_topics"), so stored topics are free text. */
const TsuChoice tsu_consultation_topics[] = {
  { "設立", N_ ("Starting a group"), "設立" },
  { "運営", N_ ("Running a group"), "運営" },
  { "会計・税務", N_ ("Accounts and tax"), "会計・税務" },
  { "法人化", N_ ("Incorporation"), "法人化" },
  { "助成金", N_ ("Grants"), "助成金" },
  { "ボランティア", N_ ("Volunteers"), "ボランティア" },
  { "備品・場所", N_ ("Equipment and rooms"), "備品・場所" },
  { "協働", N_ ("Working with the city"), "協働" },
  { "広報", N_ ("Publicity"), "広報" },
  { "その他", N_ ("Other"), "その他" },
  { NULL },
};

const TsuChoice tsu_follow_up_states[] = {
  { "none", N_ ("No follow-up"), "なし" },
  { "pending", N_ ("To follow up"), "未対応" },
  { "done", N_ ("Followed up"), "対応済" },
  { NULL },
};

static const TsuSectionDef consultation_sections[] = {
  { "who", N_ ("Who asked"), NULL },
  { "what", N_ ("Consultation"), NULL },
  { "after", N_ ("Follow-up"), NULL },
};

static const TsuFieldDef consultation_fields[] = {
  { .name = "at",
    .type = TSU_FIELD_DATETIME,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("When"),
    .section = "who" },
  { .name = "channel",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("How"),
    .choices = tsu_consultation_channels,
    .section = "who" },
  { .name = "asker_kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Who asked"),
    .choices = tsu_asker_kinds,
    .section = "who" },
  { .name = "group_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Group"),
    .ref = "groups",
    .section = "who" },
  { .name = "volunteer_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Volunteer"),
    .ref = "volunteers",
    .section = "who" },
  { .name = "asker_name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S,
    .label = N_ ("Name"),
    .section = "who" },
  { .name = "topics",
    .type = TSU_FIELD_STRINGS,
    .flags = S,
    .label = N_ ("Topics"),
    .section = "what" },
  { .name = "question",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | S,
    .label = N_ ("Question"),
    .section = "what" },
  { .name = "answer",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | S,
    .label = N_ ("Answer"),
    .section = "what" },
  { .name = "minutes",
    .type = TSU_FIELD_INT,
    .label = N_ ("Minutes"),
    .min = 0,
    .max = 1440,
    .section = "what" },
  { .name = "staff", .type = TSU_FIELD_TEXT, .label = N_ ("Staff"), .section = "what" },
  { .name = "referred_to",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("Referred to"),
    .section = "after" },
  { .name = "follow_up_on",
    .type = TSU_FIELD_DATE,
    .label = N_ ("Follow up on"),
    .section = "after" },
  { .name = "follow_up",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Follow-up"),
    .choices = tsu_follow_up_states,
    .section = "after" },
  { .name = "booking_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Booking"),
    .ref = "bookings",
    .section = "after" },
  { .name = "programme_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Programme"),
    .ref = "programmes",
    .section = "after" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

static char *
consultation_group_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT g.name FROM groups g WHERE g.id = consultations.group_id)");
}

static const TsuFieldDef consultation_computed[] = {
  { .name = "group_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Group"),
    .sql = consultation_group_sql },
};

static const TsuSortDef consultation_sorts[] = {
  { "at", N_ ("When"), "at %D", "consultations_list_at" },
  { "follow_up", N_ ("Follow up on"), "follow_up_on %D, at %D", NULL },
};

static void
consultation_derive (JsonObject *row)
{
  /* Newest first reads best on the counter: the time is the sort key. */
  const char *at = tsu_record_get_string (row, "at");

  json_object_set_string_member (row, "sort_key", at ? at : "");
}

static void
consultation_check (JsonObject *row, GPtrArray *problems)
{
  if (g_strcmp0 (tsu_record_get_string (row, "follow_up"), "pending") == 0
      && tsu_record_get_string (row, "follow_up_on") == NULL)
    tsu_problems_add (problems, "follow_up_on", TRUE, "%s",
                      _ ("Give the follow-up a date so that it shows when due."));
}

static gboolean
consultations_search (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("consultations");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep consultation_schema[] = {
  { 1, "consultations table",
    "CREATE TABLE consultations (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, at TEXT, channel TEXT, asker_kind TEXT, group_id TEXT,"
    " volunteer_id TEXT, asker_name TEXT, topics TEXT, question TEXT, answer TEXT,"
    " minutes INTEGER, staff TEXT, referred_to TEXT, follow_up_on TEXT, follow_up TEXT,"
    " booking_id TEXT, programme_id TEXT, sort_key TEXT, search_text TEXT);"
    "CREATE INDEX consultations_list_at ON consultations (deleted, at);"
    "CREATE INDEX consultations_by_rowid ON consultations (rowid, deleted, sort_key);"
    "CREATE INDEX consultations_group ON consultations (group_id, deleted, at);"
    "CREATE INDEX consultations_volunteer ON consultations (volunteer_id, deleted, at);"
    "CREATE INDEX consultations_follow_up ON consultations (deleted, follow_up, follow_up_on);",
    NULL },
  { 2, "consultations search index", NULL, consultations_search },
  /* The figures (tsu_consultation_stats, the 年度 report) read a year of
   * consultations from this index alone. */
  { 3, "consultations: the figures' covering index",
    "CREATE INDEX IF NOT EXISTS consultations_report ON consultations (deleted, at, channel, "
    "minutes, topics);",
    NULL },
};

const TsuCollection tsu_consultation_collection = {
  .name = "consultations",
  .label = N_ ("Consultations"),
  .fields = consultation_fields,
  .n_fields = G_N_ELEMENTS (consultation_fields),
  .computed = consultation_computed,
  .n_computed = G_N_ELEMENTS (consultation_computed),
  .sorts = consultation_sorts,
  .n_sorts = G_N_ELEMENTS (consultation_sorts),
  .schema = consultation_schema,
  .n_schema = G_N_ELEMENTS (consultation_schema),
  .derive = consultation_derive,
  .check = consultation_check,
  .sections = consultation_sections,
  .n_sections = G_N_ELEMENTS (consultation_sections),
};

/* ---- events (講座・研修・交流会) ---- */

const TsuChoice tsu_event_kinds[] = {
  { "leader", N_ ("Leader training"), "リーダー養成" },
  { "management", N_ ("Course on running a group"), "団体運営講座" },
  { "exchange", N_ ("Meeting groups"), "交流会" },
  { "staff", N_ ("Staff training"), "職員研修" },
  { "joint_report", N_ ("Joint project report"), "協働事業報告会" },
  { "other", N_ ("Other"), "その他" },
  { NULL },
};

static const TsuSectionDef event_sections[] = {
  { "event", N_ ("Event"), NULL },
  { "when", N_ ("Where and when"), N_ ("A room of the centre is booked with the event") },
  { "after", N_ ("Afterwards"), NULL },
};

static const TsuFieldDef event_fields[] = {
  { .name = "title",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("Title"),
    .section = "event" },
  { .name = "kind",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Kind"),
    .choices = tsu_event_kinds,
    .section = "event" },
  { .name = "audience", .type = TSU_FIELD_TEXT, .label = N_ ("For whom"), .section = "event" },
  { .name = "fee",
    .type = TSU_FIELD_INT,
    .label = N_ ("Fee (yen)"),
    .min = 0,
    .max = 1000000,
    .section = "event" },
  { .name = "capacity",
    .type = TSU_FIELD_INT,
    .label = N_ ("Capacity"),
    .min = 0,
    .max = 100000,
    .section = "event" },
  { .name = "start_at",
    .type = TSU_FIELD_DATETIME,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("From"),
    .section = "when" },
  { .name = "end_at", .type = TSU_FIELD_DATETIME, .label = N_ ("Until"), .section = "when" },
  { .name = "room_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Room"),
    .ref = "resources",
    .section = "when" },
  { .name = "booking_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_MANAGED,
    .label = N_ ("Room booking"),
    .ref = "bookings",
    .section = "when" },
  { .name = "place", .type = TSU_FIELD_TEXT, .flags = S, .label = N_ ("Place"), .section = "when" },
  { .name = "survey_responses",
    .type = TSU_FIELD_INT,
    .label = N_ ("Survey answers"),
    .min = 0,
    .max = 100000,
    .section = "after" },
  { .name = "survey_total",
    .type = TSU_FIELD_INT,
    .label = N_ ("Survey points (sum of 1–5 answers)"),
    .min = 0,
    .max = 500000,
    .section = "after" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "after" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

static char *
registered_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT count(*) FROM registrations r WHERE r.event_id = events.id"
                   " AND r.deleted = 0 AND r.state = 'registered')");
}

static char *
attended_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT count(*) FROM registrations r WHERE r.event_id = events.id"
                   " AND r.deleted = 0 AND r.attendance = 'present')");
}

/* Upcoming or past, judged on the query's day (the events page's filter). */
static char *
timing_sql (const TsuRecordQuery *q)
{
  char today[16] = "0000-00-00";

  if (g_date_valid (&q->today))
    g_date_strftime (today, sizeof today, "%Y-%m-%d", &q->today);
  return g_strdup_printf ("(CASE WHEN substr(events.start_at, 1, 10) >= '%s'"
                          " THEN 'upcoming' ELSE 'past' END)",
                          today);
}

static const TsuChoice event_timings[] = {
  { "upcoming", N_ ("Upcoming"), "今後" },
  { "past", N_ ("Past"), "終了" },
  { NULL },
};

static const TsuFieldDef event_computed[] = {
  { .name = "timing",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("When"),
    .choices = event_timings,
    .sql = timing_sql },
  { .name = "registered",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Signed up"),
    .sql = registered_sql },
  { .name = "attended",
    .type = TSU_FIELD_INT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Attended"),
    .sql = attended_sql },
};

static const TsuSortDef event_sorts[] = {
  { "start", N_ ("Date"), "start_at %D", "events_list_start" },
};

static void
event_derive (JsonObject *row)
{
  const char *at = tsu_record_get_string (row, "start_at");

  json_object_set_string_member (row, "sort_key", at ? at : "");
}

static void
event_check (JsonObject *row, GPtrArray *problems)
{
  const char *s = tsu_record_get_string (row, "start_at");
  const char *e = tsu_record_get_string (row, "end_at");
  gint64      n = 0, total = 0;

  if (s && e && g_strcmp0 (e, s) <= 0)
    tsu_problems_add (problems, "end_at", TRUE, "%s", _ ("The end must come after the start."));
  if (tsu_record_get_int (row, "survey_total", &total)
      && (!tsu_record_get_int (row, "survey_responses", &n) || total > 5 * n || total < n))
    tsu_problems_add (problems, "survey_total", TRUE, "%s",
                      _ ("Survey points are between 1 and 5 times the answers."));
}

static gboolean
events_search (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("events");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep event_schema[] = {
  { 1, "events table",
    "CREATE TABLE events (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, title TEXT, kind TEXT, audience TEXT, fee INTEGER,"
    " capacity INTEGER, start_at TEXT, end_at TEXT, room_id TEXT, booking_id TEXT, place TEXT,"
    " survey_responses INTEGER, survey_total INTEGER, notes TEXT, sort_key TEXT,"
    " search_text TEXT);"
    "CREATE INDEX events_list_start ON events (deleted, start_at);"
    "CREATE INDEX events_by_rowid ON events (rowid, deleted, sort_key);",
    NULL },
  { 2, "events search index", NULL, events_search },
};

const TsuCollection tsu_event_collection = {
  .name = "events",
  .label = N_ ("Events"),
  .fields = event_fields,
  .n_fields = G_N_ELEMENTS (event_fields),
  .computed = event_computed,
  .n_computed = G_N_ELEMENTS (event_computed),
  .sorts = event_sorts,
  .n_sorts = G_N_ELEMENTS (event_sorts),
  .schema = event_schema,
  .n_schema = G_N_ELEMENTS (event_schema),
  .derive = event_derive,
  .check = event_check,
  /* The record's title in its header. */
  .sort_name = (const char *const[]){ "title", NULL },
  .sections = event_sections,
  .n_sections = G_N_ELEMENTS (event_sections),
};

/* ---- registrations ---- */

const TsuChoice tsu_registration_states[] = {
  { "registered", N_ ("Registered"), "申込" },
  { "waiting", N_ ("Waiting list"), "キャンセル待ち" },
  { "cancelled", N_ ("Cancelled"), "取消" },
  { NULL },
};

const TsuChoice tsu_attendance_states[] = {
  { "unknown", N_ ("Not taken"), "未確認" },
  { "present", N_ ("Present"), "出席" },
  { "absent", N_ ("Absent"), "欠席" },
  { NULL },
};

static const TsuChoice registrant_kinds[] = {
  { "member", N_ ("A group's member"), "団体の会員" },
  { "volunteer", N_ ("Volunteer"), "ボランティア" },
  { "citizen", N_ ("Citizen"), "市民" },
  { NULL },
};

static const TsuFieldDef registration_fields[] = {
  { .name = "event_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Event"),
    .ref = "events" },
  { .name = "kind", .type = TSU_FIELD_CHOICE, .label = N_ ("Who"), .choices = registrant_kinds },
  { .name = "group_id", .type = TSU_FIELD_REF, .label = N_ ("Group"), .ref = "groups" },
  { .name = "volunteer_id", .type = TSU_FIELD_REF, .label = N_ ("Volunteer"), .ref = "volunteers" },
  { .name = "name",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_REQUIRED,
    .label = N_ ("Name") },
  { .name = "name_kana",
    .type = TSU_FIELD_TEXT,
    .flags = P | S | TSU_FIELD_READING,
    .label = N_ ("Reading") },
  { .name = "phone", .type = TSU_FIELD_TEXT, .flags = P | TSU_FIELD_PHONE, .label = N_ ("Phone") },
  { .name = "state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("State"),
    .choices = tsu_registration_states },
  { .name = "registered_at", .type = TSU_FIELD_DATETIME, .label = N_ ("Registered at") },
  { .name = "attendance",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Attendance"),
    .choices = tsu_attendance_states },
};

/* Seats are counted where the registration is decided: a registration
 * made offline on another desk for the last seat is refused by the server
 * (reason event_full) and goes to the waiting list there. */
static gboolean
registration_guard (TsuRuleContext *ctx,
                    const char     *id,
                    JsonObject     *row,
                    JsonObject     *old,
                    TsuRuleRefusal *refusal,
                    GError        **error)
{
  const char *event_id = tsu_record_get_string (row, "event_id");
  g_autoptr (JsonObject) event = NULL;
  g_autoptr (GPtrArray) regs = NULL;
  gint64 capacity, taken = 0;

  if (g_strcmp0 (tsu_record_get_string (row, "state"), "registered") != 0
      || (old && g_strcmp0 (tsu_record_get_string (old, "state"), "registered") == 0))
    return TRUE;
  event = ctx->get (ctx, "events", event_id, error);
  if (event == NULL)
    return error == NULL || *error == NULL;
  if (!tsu_record_get_int (event, "capacity", &capacity) || capacity <= 0)
    return TRUE;
  regs = ctx->find (ctx, "registrations", "event_id", event_id, NULL, NULL, NULL, NULL, error);
  if (regs == NULL)
    return FALSE;
  for (guint i = 0; i < regs->len; i++)
    {
      JsonObject *r = g_ptr_array_index (regs, i);

      if (g_strcmp0 (tsu_record_get_string (r, "id"), id) != 0
          && g_strcmp0 (tsu_record_get_string (r, "state"), "registered") == 0)
        taken++;
    }
  if (taken < capacity)
    return TRUE;
  refusal->reason = "event_full";
  refusal->other_id = g_strdup (event_id);
  refusal->message = g_strdup_printf (_ ("“%s” is full (%d places)."),
                                      tsu_record_get_string (event, "title"), (int)capacity);
  return FALSE;
}

static const TsuSchemaStep registration_schema[] = {
  { 1, "registrations table",
    "CREATE TABLE registrations (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, event_id TEXT, kind TEXT, group_id TEXT,"
    " volunteer_id TEXT, name TEXT, name_kana TEXT, phone TEXT, state TEXT, registered_at TEXT,"
    " attendance TEXT);"
    "CREATE INDEX registrations_event ON registrations (event_id, deleted, state, registered_at);"
    "CREATE INDEX registrations_group ON registrations (group_id, deleted);"
    "CREATE INDEX registrations_volunteer ON registrations (volunteer_id, deleted);",
    NULL },
};

const TsuCollection tsu_registration_collection = {
  .name = "registrations",
  .label = N_ ("Registrations"),
  .fields = registration_fields,
  .n_fields = G_N_ELEMENTS (registration_fields),
  .schema = registration_schema,
  .n_schema = G_N_ELEMENTS (registration_schema),
  .guard = registration_guard,
  .lookup_keys = (const char *const[]){ "event_id", NULL },
};

/* ---- connections (つながり) and joint projects (協働事業) ---- */

const TsuChoice tsu_partner_kinds[] = {
  { "group", N_ ("Group"), "団体" },
  { "company", N_ ("Company"), "企業" },
  { "city", N_ ("City department"), "市の部署" },
  { NULL },
};

static const TsuFieldDef connection_fields[] = {
  { .name = "group_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Group"),
    .ref = "groups" },
  { .name = "partner_kind",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Introduced to"),
    .choices = tsu_partner_kinds },
  { .name = "partner_group_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Other group"),
    .ref = "groups" },
  { .name = "partner_name",
    .type = TSU_FIELD_TEXT,
    .flags = S,
    .label = N_ ("Company or department") },
  { .name = "purpose", .type = TSU_FIELD_TEXT, .flags = S, .label = N_ ("What for") },
  { .name = "introduced_by", .type = TSU_FIELD_TEXT, .label = N_ ("Introduced by") },
  { .name = "introduced_on", .type = TSU_FIELD_DATE, .label = N_ ("On") },
  { .name = "outcome",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("What came of it") },
};

static void
connection_check (JsonObject *row, GPtrArray *problems)
{
  const char *kind = tsu_record_get_string (row, "partner_kind");

  if (g_strcmp0 (kind, "group") == 0 && tsu_record_get_string (row, "partner_group_id") == NULL)
    tsu_problems_add (problems, "partner_group_id", TRUE, "%s", _ ("Choose the other group."));
  if (kind && g_strcmp0 (kind, "group") != 0 && tsu_record_get_string (row, "partner_name") == NULL)
    tsu_problems_add (problems, "partner_name", TRUE, "%s",
                      _ ("Name the company or the department."));
  if (g_strcmp0 (tsu_record_get_string (row, "group_id"),
                 tsu_record_get_string (row, "partner_group_id"))
      == 0)
    tsu_problems_add (problems, "partner_group_id", TRUE, "%s",
                      _ ("A group is not introduced to itself."));
}

static const TsuSchemaStep connection_schema[] = {
  { 1, "connections table",
    "CREATE TABLE connections (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, group_id TEXT, partner_kind TEXT,"
    " partner_group_id TEXT, partner_name TEXT, purpose TEXT, introduced_by TEXT,"
    " introduced_on TEXT, outcome TEXT);"
    "CREATE INDEX connections_group ON connections (group_id, deleted);"
    "CREATE INDEX connections_partner ON connections (partner_group_id, deleted);",
    NULL },
};

const TsuCollection tsu_connection_collection = {
  .name = "connections",
  .label = N_ ("Connections"),
  .fields = connection_fields,
  .n_fields = G_N_ELEMENTS (connection_fields),
  .schema = connection_schema,
  .n_schema = G_N_ELEMENTS (connection_schema),
  .check = connection_check,
};

static const TsuFieldDef project_fields[] = {
  { .name = "title",
    .type = TSU_FIELD_TEXT,
    .flags = S | TSU_FIELD_REQUIRED,
    .label = N_ ("Project") },
  { .name = "department", .type = TSU_FIELD_TEXT, .flags = S, .label = N_ ("City department") },
  /* Record ids of the groups taking part. */
  { .name = "group_ids", .type = TSU_FIELD_STRINGS, .label = N_ ("Groups") },
  { .name = "period_from", .type = TSU_FIELD_DATE, .label = N_ ("From") },
  { .name = "period_to", .type = TSU_FIELD_DATE, .label = N_ ("Until") },
  { .name = "outcome",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("Outcome") },
};

static const TsuSchemaStep project_schema[] = {
  { 1, "joint projects table",
    "CREATE TABLE joint_projects (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, title TEXT, department TEXT, group_ids TEXT,"
    " period_from TEXT, period_to TEXT, outcome TEXT);",
    NULL },
};

const TsuCollection tsu_joint_project_collection = {
  .name = "joint_projects",
  .label = N_ ("Joint projects"),
  .fields = project_fields,
  .n_fields = G_N_ELEMENTS (project_fields),
  .schema = project_schema,
  .n_schema = G_N_ELEMENTS (project_schema),
};
