/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-grants.h"
#include "tsu-date.h"
#include "tsu-group.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

static gboolean
rolling (JsonObject *p, GDate *day)
{
  return g_strcmp0 (tsu_record_get_string (p, "deadline_kind"), "rolling") == 0
         || !tsu_date_from_iso (tsu_record_get_string (p, "deadline_on"), day);
}

int
tsu_programme_days_left (JsonObject *p, const GDate *today)
{
  GDate day;

  g_date_clear (&day, 1);
  if (rolling (p, &day))
    return G_MAXINT;
  return g_date_days_between (today, &day);
}

TsuDeadlineBucket
tsu_programme_bucket (JsonObject *p, const GDate *today)
{
  int   left = tsu_programme_days_left (p, today);
  GDate day, sunday = *today;

  if (left == G_MAXINT)
    return TSU_DEADLINE_ANY_TIME;
  if (left < 0)
    return TSU_DEADLINE_PAST;
  tsu_date_from_iso (tsu_record_get_string (p, "deadline_on"), &day);
  /* This week ends on Sunday. */
  g_date_add_days (&sunday, G_DATE_SUNDAY - g_date_get_weekday (today));
  if (g_date_compare (&day, &sunday) <= 0)
    return TSU_DEADLINE_THIS_WEEK;
  if (g_date_get_month (&day) == g_date_get_month (today)
      && g_date_get_year (&day) == g_date_get_year (today))
    return TSU_DEADLINE_THIS_MONTH;
  return TSU_DEADLINE_LATER;
}

int
tsu_programme_compare_deadlines (JsonObject *a, JsonObject *b)
{
  /* The derived key orders by day, time, kind; 随時 sorts last. */
  return g_strcmp0 (tsu_record_get_string (a, "deadline_key"),
                    tsu_record_get_string (b, "deadline_key"));
}

typedef struct
{
  const char *from;
  guint       limit;
  JsonArray  *out;
  GDate       today;
} Upcoming;

static gboolean
upcoming_read (sqlite3 *db, gpointer data, GError **error)
{
  Upcoming     *u = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  /* The deadline index walked from today: 随時 keys ("9999…") come last. */
  if (sqlite3_prepare_v2 (
          db,
          "SELECT p.id, p.name, p.kind, p.fields, p.deadline_on, p.deadline_time,"
          " p.deadline_kind, p.url, p.ceiling, p.deadline_key,"
          " coalesce((SELECT f.name FROM funders f WHERE f.id = p.funder_id), p.funder_name),"
          " (SELECT count(*) FROM applications a WHERE a.programme_id = p.id AND a.deleted = 0),"
          " (SELECT count(*) FROM applications a WHERE a.programme_id = p.id AND a.deleted = 0"
          "  AND a.state IN ('preparing', 'applied'))"
          " FROM programmes p INDEXED BY programmes_list_deadline"
          " WHERE p.deleted = 0 AND p.deadline_key >= ? ORDER BY p.deadline_key LIMIT ?",
          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "deadlines");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, u->from, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 2, u->limit);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      static const char *names[] = { "id",          "name",          "kind",          "fields",
                                     "deadline_on", "deadline_time", "deadline_kind", "url" };
      JsonObject        *o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
          {
            if (g_str_equal (names[i], "fields"))
              json_object_set_member (
                  o, "fields",
                  json_from_string ((const char *)sqlite3_column_text (stmt, i), NULL));
            else
              json_object_set_string_member (o, names[i],
                                             (const char *)sqlite3_column_text (stmt, i));
          }
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        json_object_set_int_member (o, "ceiling", sqlite3_column_int64 (stmt, 8));
      json_object_set_string_member (o, "deadline_key",
                                     (const char *)sqlite3_column_text (stmt, 9));
      if (sqlite3_column_type (stmt, 10) != SQLITE_NULL)
        json_object_set_string_member (o, "funder", (const char *)sqlite3_column_text (stmt, 10));
      json_object_set_int_member (o, "told", sqlite3_column_int64 (stmt, 11));
      json_object_set_int_member (o, "applying", sqlite3_column_int64 (stmt, 12));
      json_object_set_int_member (o, "days_left", tsu_programme_days_left (o, &u->today));
      json_array_add_object_element (u->out, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "deadlines");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_grants_upcoming:
 *
 * Returns: (transfer full): the deadlines, or %NULL with @error
 */
JsonArray *
tsu_grants_upcoming (TsuStore *store, const GDate *today, guint limit, GError **error)
{
  g_autofree char *from = tsu_date_to_iso (today);
  g_autoptr (JsonArray) out = json_array_new ();
  Upcoming u = { from, limit ? limit : 10000, out, *today };

  if (!tsu_store_read (store, upcoming_read, &u, error))
    return NULL;
  return g_steal_pointer (&out);
}

void
tsu_programme_tier (JsonObject *p, gint64 times, gint64 *ceiling, const char **rate)
{
  JsonNode *tiers = json_object_get_member (p, "tiers");
  gint64    best = -1;

  *ceiling = 0;
  tsu_record_get_int (p, "ceiling", ceiling);
  *rate = tsu_record_get_string (p, "rate");
  if (tiers == NULL || !JSON_NODE_HOLDS_ARRAY (tiers))
    return;
  /* The tier for the largest "times" not above @times. */
  for (guint i = 0; i < json_array_get_length (json_node_get_array (tiers)); i++)
    {
      JsonNode   *e = json_array_get_element (json_node_get_array (tiers), i);
      JsonObject *t;
      gint64      n;

      if (!JSON_NODE_HOLDS_OBJECT (e))
        continue;
      t = json_node_get_object (e);
      if (!tsu_record_get_int (t, "times", &n) || n > times || n <= best)
        continue;
      best = n;
      tsu_record_get_int (t, "ceiling", ceiling);
      if (tsu_record_get_string (t, "rate"))
        *rate = tsu_record_get_string (t, "rate");
    }
}

gint64
tsu_grants_times_awarded (TsuStore   *store,
                          JsonObject *programme,
                          const char *group_id,
                          GError    **error)
{
  const char *params[] = { group_id, tsu_record_get_string (programme, "name"),
                           tsu_record_get_string (programme, "funder_id")
                               ? tsu_record_get_string (programme, "funder_id")
                               : "",
                           NULL };
  g_autoptr (GPtrArray) rows = NULL;

  if (params[1] == NULL)
    return 0;
  rows = tsu_store_find (store, "applications",
                         "group_id = ? AND state = 'awarded' AND programme_id IN"
                         " (SELECT id FROM programmes WHERE deleted = 0 AND name = ?"
                         " AND coalesce(funder_id, '') = ?)",
                         params, NULL, 0, error);
  return rows ? (gint64)rows->len : -1;
}

/**
 * tsu_grants_reminders:
 *
 * Returns: (transfer full): the reminders due today, or %NULL with @error
 */
JsonArray *
tsu_grants_reminders (TsuStore *store, const GDate *today, GError **error)
{
  static const int ahead[] = { 30, 7, 0 };
  g_autoptr (JsonArray) out = json_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (ahead); i++)
    {
      GDate            day = *today;
      g_autofree char *iso = NULL;
      const char      *params[2];
      g_autoptr (GPtrArray) programmes = NULL;

      g_date_add_days (&day, ahead[i]);
      iso = tsu_date_to_iso (&day);
      params[0] = iso;
      params[1] = NULL;
      programmes = tsu_store_find (store, "programmes",
                                   "deadline_on = ? AND coalesce(deadline_kind, '') != 'rolling'",
                                   params, "deadline_key", 0, error);
      if (programmes == NULL)
        return NULL;
      for (guint k = 0; k < programmes->len; k++)
        {
          JsonObject *p = g_ptr_array_index (programmes, k);
          const char *gparams[] = { tsu_record_get_string (p, "id"), NULL };
          g_autoptr (GPtrArray) groups = tsu_store_find (
              store, "groups",
              "id IN (SELECT group_id FROM applications WHERE programme_id = ? AND deleted = 0"
              " AND state IN ('interested', 'preparing'))",
              gparams, "sort_key", 0, error);
          JsonObject *r;
          JsonArray  *names;

          if (groups == NULL)
            return NULL;
          if (groups->len == 0)
            continue;
          r = json_object_new ();
          names = json_array_new ();
          for (guint g = 0; g < groups->len; g++)
            json_array_add_string_element (
                names, tsu_record_get_string (g_ptr_array_index (groups, g), "name"));
          json_object_set_object_member (r, "programme", json_object_ref (p));
          json_object_set_int_member (r, "days_left", ahead[i]);
          json_object_set_array_member (r, "groups", names);
          json_array_add_object_element (out, r);
        }
    }
  return g_steal_pointer (&out);
}

typedef struct
{
  const char  *programme_id;
  GStrv        group_ids;
  const GDate *today;
  guint        added;
  char        *new_id;
} Tell;

static gboolean
tell_txn (TsuStore *store, gpointer data, GError **error)
{
  Tell            *t = data;
  g_autofree char *iso = tsu_date_to_iso (t->today);

  for (guint i = 0; t->group_ids && t->group_ids[i]; i++)
    {
      const char *params[] = { t->programme_id, t->group_ids[i], NULL };
      g_autoptr (GPtrArray) have = tsu_store_find (
          store, "applications", "programme_id = ? AND group_id = ?", params, NULL, 1, error);
      g_autoptr (JsonObject) fields = NULL;
      g_autofree char *id = NULL;

      if (have == NULL)
        return FALSE;
      if (have->len > 0)
        continue;
      fields = json_object_new ();
      json_object_set_string_member (fields, "programme_id", t->programme_id);
      json_object_set_string_member (fields, "group_id", t->group_ids[i]);
      json_object_set_string_member (fields, "state", "told");
      json_object_set_string_member (fields, "state_on", iso);
      json_object_set_string_member (fields, "staff", tsu_store_get_author (store));
      if ((id = tsu_store_insert (store, "applications", fields, error)) == NULL)
        return FALSE;
      t->added++;
    }
  return TRUE;
}

gboolean
tsu_grants_tell (TsuStore    *store,
                 const char  *programme_id,
                 GStrv        group_ids,
                 const GDate *today,
                 guint       *added,
                 GError     **error)
{
  Tell t = { programme_id, group_ids, today, 0, NULL };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, tell_txn, &t, error))
    return FALSE;
  if (added)
    *added = t.added;
  return TRUE;
}

/**
 * tsu_grants_suggest_groups:
 *
 * Registered groups that share a field with the programme and are not on
 * its list yet; for a tiered programme, those that received it before
 * first (they know it), then by reading.
 *
 * Returns: (transfer full): objects with id, name, reason; %NULL on error
 */
JsonArray *
tsu_grants_suggest_groups (TsuStore    *store,
                           const char  *programme_id,
                           const GDate *today,
                           GError     **error)
{
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", programme_id, error);
  g_autoptr (JsonArray) out = NULL;
  g_autoptr (GPtrArray) groups = NULL;
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *status = NULL;
  JsonNode        *fields;
  const char      *params[] = { programme_id, NULL };

  if (p == NULL)
    return NULL;
  status = tsu_group_status_sql (today, TSU_GROUP_DEFAULT_RENEWAL_DAYS);
  g_string_printf (where,
                   "%s IN (%d, %d) AND id NOT IN (SELECT group_id FROM applications"
                   " WHERE programme_id = ? AND deleted = 0)",
                   status, TSU_GROUP_STATUS_REGISTERED, TSU_GROUP_STATUS_RENEWAL_DUE);
  fields = json_object_get_member (p, "fields");
  if (fields && JSON_NODE_HOLDS_ARRAY (fields)
      && json_array_get_length (json_node_get_array (fields)))
    {
      g_string_append (where, " AND EXISTS (SELECT 1 FROM json_each(groups.fields) WHERE"
                              " json_each.value IN (");
      for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
        g_string_append_printf (where, "%s%" G_GINT64_FORMAT, i ? "," : "",
                                json_array_get_int_element (json_node_get_array (fields), i));
      g_string_append (where, "))");
    }
  groups = tsu_store_find (store, "groups", where->str, params, "sort_key", 0, error);
  if (groups == NULL)
    return NULL;
  out = json_array_new ();
  for (guint i = 0; i < groups->len; i++)
    {
      JsonObject *g = g_ptr_array_index (groups, i);
      JsonObject *o = json_object_new ();
      gint64 times = tsu_grants_times_awarded (store, p, tsu_record_get_string (g, "id"), NULL);

      json_object_set_string_member (o, "id", tsu_record_get_string (g, "id"));
      json_object_set_string_member (o, "name", tsu_record_get_string (g, "name"));
      json_object_set_int_member (o, "times_awarded", MAX (times, 0));
      if (times > 0)
        {
          g_autofree char *reason = g_strdup_printf (_ ("Received it %d times"), (int)times);
          json_object_set_string_member (o, "reason", reason);
        }
      else
        json_object_set_string_member (o, "reason", _ ("Shares an activity field"));
      json_array_add_object_element (out, o);
    }
  return g_steal_pointer (&out);
}

/**
 * tsu_grants_notice_text:
 *
 * Returns: (transfer full) (nullable): a notice for groups, in Japanese
 */
char *
tsu_grants_notice_text (TsuStore *store, const char *programme_id, GError **error)
{
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", programme_id, error);
  g_autoptr (JsonObject) funder = NULL;
  GString    *s;
  GDate       d;
  const char *deadline_kind;
  gint64      ceiling;

  if (p == NULL)
    return NULL;
  if (tsu_record_get_string (p, "funder_id"))
    funder = tsu_store_get (store, "funders", tsu_record_get_string (p, "funder_id"), NULL);
  s = g_string_new (NULL);
  /* A notice in the centre's words, for pasting into a mail. */
  g_string_append_printf (s, "【%s】のご案内\n\n", tsu_record_get_string (p, "name"));
  g_string_append_printf (s, "実施団体: %s\n",
                          funder ? tsu_record_get_string (funder, "name")
                          : tsu_record_get_string (p, "funder_name")
                              ? tsu_record_get_string (p, "funder_name")
                              : "");
  if (tsu_record_get_int (p, "ceiling", &ceiling))
    g_string_append_printf (s, "上限額: %" G_GINT64_FORMAT "円\n", ceiling);
  deadline_kind = tsu_record_get_string (p, "deadline_kind");
  if (g_strcmp0 (deadline_kind, "rolling") == 0)
    g_string_append (s, "締切: 随時\n");
  else if (tsu_date_from_iso (tsu_record_get_string (p, "deadline_on"), &d))
    {
      g_autofree char *day = tsu_date_format (&d, TSU_DATE_STYLE_SEIREKI);
      const char      *kinds[][2]
          = { { "arrive", "必着" }, { "postmark", "消印有効" }, { "online", "オンライン申請" } };
      const char *kind = "";

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (g_strcmp0 (kinds[i][0], deadline_kind) == 0)
          kind = kinds[i][1];
      g_string_append_printf (
          s, "締切: %s%s%s %s\n", day, tsu_record_get_string (p, "deadline_time") ? " " : "",
          tsu_record_get_string (p, "deadline_time") ? tsu_record_get_string (p, "deadline_time")
                                                     : "",
          kind);
    }
  if (tsu_record_get_string (p, "eligibility"))
    g_string_append_printf (s, "対象: %s\n", tsu_record_get_string (p, "eligibility"));
  if (tsu_record_get_string (p, "url"))
    g_string_append_printf (s, "詳しくは: %s\n", tsu_record_get_string (p, "url"));
  if (tsu_record_get_string (p, "contact"))
    g_string_append_printf (s, "問合せ: %s\n", tsu_record_get_string (p, "contact"));
  g_string_append (s, "\n申請をお考えの団体は、センターの窓口でもご相談をお受けします。\n");
  return g_string_free (s, FALSE);
}

static char *
year_later (const char *iso)
{
  GDate d;
  int   y, m, day;

  if (!tsu_date_from_iso (iso, &d))
    return NULL;
  y = g_date_get_year (&d) + 1;
  m = g_date_get_month (&d);
  day = g_date_get_day (&d);
  /* 29 February moves to 28 February. */
  while (!g_date_valid_dmy (day, m, y))
    day--;
  g_date_set_dmy (&d, day, m, y);
  return tsu_date_to_iso (&d);
}

typedef struct
{
  const char *id;
  char       *new_id;
} Copy;

static gboolean
copy_txn (TsuStore *store, gpointer data, GError **error)
{
  static const char *const kept[]
      = { "name",          "funder_id", "funder_name", "kind",   "fields",
          "eligibility",   "ceiling",   "rate",        "tiers",  "deadline_time",
          "deadline_kind", "url",       "contact",     "source", NULL };
  Copy *c = data;
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", c->id, error);
  g_autoptr (JsonObject) fields = json_object_new ();
  gint64 fy;

  if (p == NULL)
    return FALSE;
  for (guint i = 0; kept[i]; i++)
    if (json_object_has_member (p, kept[i]) && !json_object_get_null_member (p, kept[i]))
      json_object_set_member (fields, kept[i],
                              json_node_copy (json_object_get_member (p, kept[i])));
  for (const char *const *d = (const char *const[]){ "opens_on", "deadline_on", NULL }; *d; d++)
    {
      g_autofree char *later = year_later (tsu_record_get_string (p, *d));
      if (later)
        json_object_set_string_member (fields, *d, later);
    }
  if (tsu_record_get_int (p, "fiscal_year", &fy))
    json_object_set_int_member (fields, "fiscal_year", fy + 1);
  json_object_set_string_member (fields, "copied_from", c->id);
  c->new_id = tsu_store_insert (store, "programmes", fields, error);
  return c->new_id != NULL;
}

char *
tsu_programme_copy_to_next_year (TsuStore *store, const char *id, GError **error)
{
  Copy c = { id, NULL };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, copy_txn, &c, error))
    g_clear_pointer (&c.new_id, g_free);
  return c.new_id;
}

/* ---- iCalendar ---- */

/* TEXT values: backslash, semicolon, comma and line ends escaped. */
static void
ics_text (GString *s, const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '\\':
      case ';':
      case ',':
        g_string_append_c (s, '\\');
        g_string_append_c (s, *p);
        break;
      case '\n':
        g_string_append (s, "\\n");
        break;
      case '\r':
        break;
      default:
        g_string_append_c (s, *p);
      }
}

/* A content line, folded so that no line is longer than 75 octets (never
 * inside a UTF-8 character), ending in CRLF. */
static void
ics_line (GString *out, const char *line)
{
  gsize len = strlen (line), col = 0;

  for (const char *p = line; p < line + len;)
    {
      const char *next = g_utf8_next_char (p);
      gsize       n = next - p;

      if (col + n > 75)
        {
          g_string_append (out, "\r\n ");
          col = 1;
        }
      g_string_append_len (out, p, n);
      col += n;
      p = next;
    }
  g_string_append (out, "\r\n");
}

static void
ics_prop (GString *out, const char *name, const char *value, gboolean text)
{
  g_autoptr (GString) line = g_string_new (name);

  g_string_append_c (line, ':');
  if (text)
    ics_text (line, value);
  else
    g_string_append (line, value);
  ics_line (out, line->str);
}

GBytes *
tsu_grants_ics (TsuStore *store, const GDate *from, GError **error)
{
  g_autofree char *from_iso = tsu_date_to_iso (from);
  const char      *params[] = { from_iso, NULL };
  g_autoptr (GPtrArray) programmes = tsu_store_find (
      store, "programmes", "deadline_on >= ? AND coalesce(deadline_kind, '') != 'rolling'", params,
      "deadline_key", 0, error);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  GString         *out;

  if (programmes == NULL)
    return NULL;
  out = g_string_new (NULL);
  ics_line (out, "BEGIN:VCALENDAR");
  ics_line (out, "VERSION:2.0");
  ics_line (out, "PRODID:-//Tsunagu//Grant deadlines//JA");
  ics_line (out, "CALSCALE:GREGORIAN");
  ics_line (out, "X-WR-CALNAME:助成金の締切");
  /* Japan keeps standard time all year. */
  ics_line (out, "BEGIN:VTIMEZONE");
  ics_line (out, "TZID:Asia/Tokyo");
  ics_line (out, "BEGIN:STANDARD");
  ics_line (out, "DTSTART:19700101T000000");
  ics_line (out, "TZOFFSETFROM:+0900");
  ics_line (out, "TZOFFSETTO:+0900");
  ics_line (out, "TZNAME:JST");
  ics_line (out, "END:STANDARD");
  ics_line (out, "END:VTIMEZONE");
  for (guint i = 0; i < programmes->len; i++)
    {
      JsonObject      *p = g_ptr_array_index (programmes, i);
      const char      *day = tsu_record_get_string (p, "deadline_on");
      const char      *time = tsu_record_get_string (p, "deadline_time");
      g_autofree char *uid
          = g_strdup_printf ("%s@tsunagu.deadline", tsu_record_get_string (p, "id"));
      g_autofree char *ymd = g_strdup_printf ("%.4s%.2s%.2s", day, day + 5, day + 8);
      g_autoptr (GString) desc = g_string_new (NULL);
      g_autoptr (JsonObject) funder = NULL;
      const TsuCollection *c = tsu_collection_lookup ("programmes");
      const char          *kind = tsu_record_get_string (p, "kind");
      const char          *dkind = tsu_record_get_string (p, "deadline_kind");

      if (tsu_record_get_string (p, "funder_id"))
        funder = tsu_store_get (store, "funders", tsu_record_get_string (p, "funder_id"), NULL);
      ics_line (out, "BEGIN:VEVENT");
      ics_prop (out, "UID", uid, FALSE);
      ics_prop (out, "DTSTAMP", stamp, FALSE);
      if (time && strlen (time) == 5)
        {
          g_autofree char *start = g_strdup_printf ("%sT%.2s%.2s00", ymd, time, time + 3);
          ics_prop (out, "DTSTART;TZID=Asia/Tokyo", start, FALSE);
          ics_prop (out, "DURATION", "PT30M", FALSE);
        }
      else
        {
          GDate            next;
          g_autofree char *end = NULL;

          tsu_date_from_iso (day, &next);
          g_date_add_days (&next, 1);
          end = g_strdup_printf ("%04d%02d%02d", g_date_get_year (&next), g_date_get_month (&next),
                                 g_date_get_day (&next));
          ics_prop (out, "DTSTART;VALUE=DATE", ymd, FALSE);
          ics_prop (out, "DTEND;VALUE=DATE", end, FALSE);
        }
      ics_prop (out, "SUMMARY", tsu_record_get_string (p, "name"), TRUE);
      g_string_append_printf (
          desc, "%s%s%s",
          kind ? tsu_field_choice_file_name (tsu_collection_lookup_field (c, "kind"), kind) : "",
          dkind ? "・" : "",
          dkind
              ? tsu_field_choice_file_name (tsu_collection_lookup_field (c, "deadline_kind"), dkind)
              : "");
      if (funder || tsu_record_get_string (p, "funder_name"))
        g_string_append_printf (desc, "\n助成団体: %s",
                                funder ? tsu_record_get_string (funder, "name")
                                       : tsu_record_get_string (p, "funder_name"));
      if (tsu_record_get_string (p, "url"))
        {
          g_string_append_printf (desc, "\n%s", tsu_record_get_string (p, "url"));
          ics_prop (out, "URL", tsu_record_get_string (p, "url"), FALSE);
        }
      ics_prop (out, "DESCRIPTION", desc->str, TRUE);
      ics_line (out, "TRANSP:TRANSPARENT");
      ics_line (out, "END:VEVENT");
    }
  ics_line (out, "END:VCALENDAR");
  return g_string_free_to_bytes (out);
}
