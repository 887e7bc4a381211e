/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-grants.h"
#include "tsu-date.h"
#include "tsu-group.h"
#include "tsu-record.h"
#include "tsu-record-csv.h"
#include "tsu-record-query.h"
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

/**
 * tsu_grants_series_name:
 *
 * A programme's name without its 年度 or round ("令和8年度 市民活動団体応援
 * 補助金（2次募集）" → "市民活動団体応援補助金"): the same programme year
 * after year, whatever the city calls each year's call.
 *
 * Returns: (transfer full): the name to compare
 */
char *
tsu_grants_series_name (const char *name)
{
  static GRegex   *strip = NULL;
  static gsize     once = 0;
  g_autofree char *out = NULL;

  if (g_once_init_enter (&once))
    {
      strip = g_regex_new ("(令和|平成|昭和)?[0-9０-９元]+年度|[（(][^）)]*募集[）)]|[\\s　]+",
                           G_REGEX_OPTIMIZE, 0, NULL);
      g_once_init_leave (&once, 1);
    }
  out = g_regex_replace_literal (strip, name ? name : "", -1, 0, "", 0, NULL);
  return g_steal_pointer (&out);
}

typedef struct
{
  const char *group_id;
  char       *series;
  const char *funder_id;
  const char *funder_name;
  gint64      times;
} Times;

static gboolean
times_read (sqlite3 *db, gpointer data, GError **error)
{
  Times        *t = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  /* The group's awards (few), compared by series name and funder. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT p.name, p.funder_id, p.funder_name FROM applications a"
                          " JOIN programmes p ON p.id = a.programme_id"
                          " WHERE a.group_id = ? AND a.deleted = 0 AND a.state = 'awarded'"
                          " AND p.deleted = 0",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "awards");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, t->group_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *series
          = tsu_grants_series_name ((const char *)sqlite3_column_text (stmt, 0));
      const char *fid = (const char *)sqlite3_column_text (stmt, 1);
      const char *fname = (const char *)sqlite3_column_text (stmt, 2);
      gboolean    same_funder = t->funder_id ? g_strcmp0 (fid, t->funder_id) == 0
                                             : fid == NULL && g_strcmp0 (fname, t->funder_name) == 0;

      if (same_funder && g_str_equal (series, t->series))
        t->times++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "awards");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_grants_times_awarded:
 *
 * How many times @group_id has been awarded @programme in any 年度: awards
 * of a programme of the same funder whose name is the same but for its
 * 年度 and round (tsu_grants_series_name()).
 *
 * Returns: the count, or -1 with @error
 */
gint64
tsu_grants_times_awarded (TsuStore   *store,
                          JsonObject *programme,
                          const char *group_id,
                          GError    **error)
{
  Times    t = { group_id, NULL, tsu_record_get_string (programme, "funder_id"),
                 tsu_record_get_string (programme, "funder_name"), 0 };
  gboolean ok;

  if (tsu_record_get_string (programme, "name") == NULL)
    return 0;
  t.series = tsu_grants_series_name (tsu_record_get_string (programme, "name"));
  ok = tsu_store_read (store, times_read, &t, error);
  g_free (t.series);
  return ok ? t.times : -1;
}

/* The reminders are due 30 and 7 days before a deadline and on its day. */
static const int reminder_days[] = { 0, 7, 30 };

/**
 * tsu_grants_reminders_since:
 * @after: the last day reminders were looked at (they were sent up to it)
 * @today: today
 *
 * Reminders due after @after up to @today: a programme whose deadline is
 * today or later, with groups 関心あり or 申請準備, and a reminder day (30
 * or 7 days before, or the day) in that span. A desk closed over a weekend
 * gets Saturday's reminder on Monday, once, with the days left then; when
 * several fell in the span (a long absence) only the nearest is given.
 *
 * Returns: (transfer full): objects with "programme" (its fields), "days_left",
 *   "before" (30, 7 or 0: the reminder it is) and "groups" (names), in
 *   deadline order; %NULL on error
 */
JsonArray *
tsu_grants_reminders_since (TsuStore *store, const GDate *after, const GDate *today, GError **error)
{
  GDate            last = *today;
  g_autofree char *from = tsu_date_to_iso (today);
  g_autofree char *to = NULL;
  const char      *params[3];
  int              gap = g_date_days_between (after, today);
  g_autoptr (JsonArray) out = json_array_new ();
  g_autoptr (GPtrArray) programmes = NULL;

  if (gap <= 0)
    return g_steal_pointer (&out);
  g_date_add_days (&last, reminder_days[G_N_ELEMENTS (reminder_days) - 1]);
  to = tsu_date_to_iso (&last);
  params[0] = from;
  params[1] = to;
  params[2] = NULL;
  /* Only programmes someone is interested in: the applications index. */
  programmes = tsu_store_find (store, "programmes",
                               "deadline_on >= ? AND deadline_on <= ?"
                               " AND coalesce(deadline_kind, '') != 'rolling'"
                               " AND id IN (SELECT programme_id FROM applications WHERE deleted = 0"
                               " AND state IN ('interested', 'preparing'))",
                               params, "deadline_key", 0, error);
  if (programmes == NULL)
    return NULL;
  for (guint k = 0; k < programmes->len; k++)
    {
      JsonObject *p = g_ptr_array_index (programmes, k);
      int         left = tsu_programme_days_left (p, today);
      int         before = -1;
      const char *gparams[] = { tsu_record_get_string (p, "id"), NULL };
      g_autoptr (GPtrArray) groups = NULL;
      JsonObject *r;
      JsonArray  *names;

      /* Reminder "before" fell on deadline - before, within (after, today]. */
      for (guint i = 0; i < G_N_ELEMENTS (reminder_days) && before < 0; i++)
        if (reminder_days[i] >= left && reminder_days[i] - left < gap)
          before = reminder_days[i];
      if (before < 0)
        continue;
      groups = tsu_store_find (
          store, "groups",
          "id IN (SELECT group_id FROM applications WHERE programme_id = ? AND deleted = 0"
          " AND state IN ('interested', 'preparing'))",
          gparams, "sort_key", 0, error);
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
      json_object_set_int_member (r, "days_left", left);
      json_object_set_int_member (r, "before", before);
      json_object_set_array_member (r, "groups", names);
      json_array_add_object_element (out, r);
    }
  return g_steal_pointer (&out);
}

/**
 * tsu_grants_reminders:
 *
 * Returns: (transfer full): the reminders due today, or %NULL with @error
 */
JsonArray *
tsu_grants_reminders (TsuStore *store, const GDate *today, GError **error)
{
  GDate yesterday = *today;

  g_date_subtract_days (&yesterday, 1);
  return tsu_grants_reminders_since (store, &yesterday, today, error);
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

static gboolean
has_tiers (JsonObject *p)
{
  JsonNode *tiers = json_object_get_member (p, "tiers");

  return tiers && JSON_NODE_HOLDS_ARRAY (tiers)
         && json_array_get_length (json_node_get_array (tiers)) > 0;
}

/* An amount with thousands separators, as the centre writes it: 300,000. */
char *
tsu_grants_format_yen (gint64 yen)
{
  g_autoptr (GString) digits = g_string_new (yen < 0 ? "-" : "");
  g_autofree char *plain
      = g_strdup_printf ("%" G_GUINT64_FORMAT, yen < 0 ? (guint64)0 - (guint64)yen : (guint64)yen);
  gsize n = strlen (plain);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (digits, ',');
      g_string_append_c (digits, plain[i]);
    }
  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/**
 * tsu_grants_suggest_groups:
 *
 * Groups to tell: registered (or due for renewal) groups that share an
 * activity field with the programme and are not on its list yet. For a
 * programme with tiers, each group's ceiling and rate by how many times it
 * has received it; a group whose tier has a ceiling of 0 may no longer
 * apply and is left out; those that received it before come first (they
 * know it), then by reading.
 *
 * Returns: (transfer full): objects with id, name, reason, times_awarded
 *   (and ceiling, rate for tiers); %NULL on error
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
  g_autoptr (GPtrArray) before = NULL;
  g_autoptr (GPtrArray) first = NULL;
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *status = NULL;
  JsonNode        *fields;
  const char      *params[] = { programme_id, NULL };
  gboolean         tiered;

  if (p == NULL)
    return NULL;
  tiered = has_tiers (p);
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
  before = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  first = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  for (guint i = 0; i < groups->len; i++)
    {
      JsonObject *g = g_ptr_array_index (groups, i);
      JsonObject *o = json_object_new ();
      gint64      times
          = tiered ? tsu_grants_times_awarded (store, p, tsu_record_get_string (g, "id"), NULL) : 0;
      gint64           ceiling = 0;
      const char      *rate = NULL;
      g_autofree char *reason = NULL;

      times = MAX (times, 0);
      json_object_set_string_member (o, "id", tsu_record_get_string (g, "id"));
      json_object_set_string_member (o, "name", tsu_record_get_string (g, "name"));
      json_object_set_int_member (o, "times_awarded", times);
      if (tiered)
        {
          g_autofree char *yen = NULL;
          g_autofree char *rate_text = NULL;

          tsu_programme_tier (p, times, &ceiling, &rate);
          if (ceiling <= 0)
            {
              json_object_unref (o);
              continue; /* no longer eligible */
            }
          yen = tsu_grants_format_yen (ceiling);
          json_object_set_int_member (o, "ceiling", ceiling);
          if (rate)
            json_object_set_string_member (o, "rate", rate);
          /* TRANSLATORS: the share of the cost a tier pays, after its ceiling */
          rate_text = rate ? g_strdup_printf (_ (" (rate %s)"), rate) : g_strdup ("");
          if (times > 0)
            /* TRANSLATORS: received it 2 times: up to 200,000 yen (rate 2/3) */
            reason = g_strdup_printf (
                g_dngettext (GETTEXT_PACKAGE, "Received it %d time: up to %s yen%s",
                             "Received it %d times: up to %s yen%s", (gulong)times),
                (int)times, yen, rate_text);
          else
            reason = g_strdup_printf (_ ("First time: up to %s yen%s"), yen, rate_text);
        }
      json_object_set_string_member (o, "reason", reason ? reason : _ ("Shares an activity field"));
      g_ptr_array_add (times > 0 ? before : first, o);
    }
  out = json_array_new ();
  for (guint i = 0; i < before->len; i++)
    json_array_add_object_element (out, json_object_ref (g_ptr_array_index (before, i)));
  for (guint i = 0; i < first->len; i++)
    json_array_add_object_element (out, json_object_ref (g_ptr_array_index (first, i)));
  return g_steal_pointer (&out);
}

static const char *
funder_name (TsuStore *store, JsonObject *p, JsonObject **funder)
{
  if (tsu_record_get_string (p, "funder_id"))
    *funder = tsu_store_get (store, "funders", tsu_record_get_string (p, "funder_id"), NULL);
  if (*funder && tsu_record_get_string (*funder, "name"))
    return tsu_record_get_string (*funder, "name");
  return tsu_record_get_string (p, "funder_name");
}

static void
notice_day (GString *s, const char *label, const char *iso)
{
  GDate            d;
  g_autofree char *day = NULL;

  if (!tsu_date_from_iso (iso, &d))
    return;
  day = tsu_date_format (&d, TSU_DATE_STYLE_SEIREKI);
  g_string_append_printf (s, "%s: %s", label, day);
}

/**
 * tsu_grants_notice_text:
 *
 * A notice for groups, in Japanese (it goes to groups by mail or on
 * paper, whatever the desk's language): what, who offers it, how much,
 * from and until when, who may apply, where to read more.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL with @error
 */
char *
tsu_grants_notice_text (TsuStore *store, const char *programme_id, GError **error)
{
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", programme_id, error);
  g_autoptr (JsonObject) funder = NULL;
  GString    *s;
  const char *deadline_kind, *who, *rate;
  gint64      ceiling;
  JsonNode   *fields;

  if (p == NULL)
    return NULL;
  s = g_string_new (NULL);
  g_string_append_printf (s, "【%s】のご案内\n\n", tsu_record_get_string (p, "name"));
  if ((who = funder_name (store, p, &funder)) != NULL)
    g_string_append_printf (s, "実施団体: %s\n", who);
  fields = json_object_get_member (p, "fields");
  if (fields && JSON_NODE_HOLDS_ARRAY (fields)
      && json_array_get_length (json_node_get_array (fields)))
    {
      g_autofree char *names = tsu_record_value_format (
          tsu_collection_lookup_field (tsu_collection_lookup ("programmes"), "fields"), fields,
          TSU_VALUE_DISPLAY, TSU_DATE_STYLE_SEIREKI, NULL);
      g_string_append_printf (s, "分野: %s\n", names);
    }
  rate = tsu_record_get_string (p, "rate");
  if (tsu_record_get_int (p, "ceiling", &ceiling) && ceiling > 0)
    {
      g_autofree char *yen = tsu_grants_format_yen (ceiling);
      g_string_append_printf (s, "上限額: %s円%s%s%s\n", yen, rate ? "（補助率 " : "",
                              rate ? rate : "", rate ? "）" : "");
    }
  else if (rate)
    g_string_append_printf (s, "補助率: %s\n", rate);
  if (has_tiers (p))
    {
      JsonArray *tiers = json_node_get_array (json_object_get_member (p, "tiers"));

      g_string_append (s, "これまでに受けた回数により、上限額と補助率が変わります:\n");
      for (guint i = 0; i < json_array_get_length (tiers); i++)
        {
          JsonNode   *e = json_array_get_element (tiers, i);
          JsonObject *t = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
          gint64      times = 0, c = 0;
          const char *r;

          if (t == NULL || !tsu_record_get_int (t, "times", &times))
            continue;
          tsu_record_get_int (t, "ceiling", &c);
          r = tsu_record_get_string (t, "rate");
          if (times == 0)
            g_string_append (s, "・初めての団体: ");
          else
            g_string_append_printf (s, "・%" G_GINT64_FORMAT "回受けた団体: ", times);
          if (c > 0)
            {
              g_autofree char *yen = tsu_grants_format_yen (c);
              g_string_append_printf (s, "上限%s円%s%s%s\n", yen, r ? "（補助率 " : "", r ? r : "",
                                      r ? "）" : "");
            }
          else
            g_string_append (s, "対象外\n");
        }
    }
  if (tsu_record_get_string (p, "opens_on"))
    {
      notice_day (s, "募集開始", tsu_record_get_string (p, "opens_on"));
      g_string_append_c (s, '\n');
    }
  deadline_kind = tsu_record_get_string (p, "deadline_kind");
  if (g_strcmp0 (deadline_kind, "rolling") == 0 || !tsu_record_get_string (p, "deadline_on"))
    g_string_append (s, "締切: 随時\n");
  else
    {
      const char *kinds[][2]
          = { { "arrive", "必着" }, { "postmark", "消印有効" }, { "online", "オンライン申請" } };
      const char *kind = "";
      const char *time = tsu_record_get_string (p, "deadline_time");

      for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
        if (g_strcmp0 (kinds[i][0], deadline_kind) == 0)
          kind = kinds[i][1];
      notice_day (s, "締切", tsu_record_get_string (p, "deadline_on"));
      g_string_append_printf (s, "%s%s%s%s\n", time ? " " : "", time ? time : "", *kind ? " " : "",
                              kind);
    }
  if (tsu_record_get_string (p, "eligibility"))
    g_string_append_printf (s, "対象: %s\n", tsu_record_get_string (p, "eligibility"));
  if (tsu_record_get_string (p, "url"))
    g_string_append_printf (s, "詳しくは: %s\n", tsu_record_get_string (p, "url"));
  if (tsu_record_get_string (p, "contact"))
    g_string_append_printf (s, "問合せ: %s\n", tsu_record_get_string (p, "contact"));
  else if (funder && tsu_record_get_string (funder, "phone"))
    g_string_append_printf (s, "問合せ: %s %s\n", who ? who : "",
                            tsu_record_get_string (funder, "phone"));
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

/* ASCII digits as full-width ones (令和８年度). */
static char *
full_width (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_unichar (s, 0xFF10 + (*p - '0'));
    else
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

/**
 * tsu_grants_next_year_name:
 * @name: a programme's name
 * @fiscal_year: the 年度 it funds
 *
 * The name for the next 年度, when it names its 年度 (令和8年度, 2026年度,
 * also in full-width digits): the same words, one year later.
 *
 * Returns: (transfer full) (nullable): the new name, or %NULL when @name
 *   does not name @fiscal_year
 */
char *
tsu_grants_next_year_name (const char *name, gint64 fiscal_year)
{
  const TsuDateStyle styles[] = { TSU_DATE_STYLE_WAREKI, TSU_DATE_STYLE_SEIREKI };
  g_autofree char   *out = NULL;

  if (name == NULL || fiscal_year < 1900 || fiscal_year > 2200)
    return NULL;
  out = g_strdup (name);
  /* "2026年度(令和8年度)" moves both. */
  for (guint i = 0; i < G_N_ELEMENTS (styles); i++)
    for (guint wide = 0; wide < 2; wide++)
      {
        g_autofree char *now = tsu_fiscal_year_format ((int)fiscal_year, styles[i]);
        g_autofree char *next = tsu_fiscal_year_format ((int)fiscal_year + 1, styles[i]);
        g_autofree char *w_now = wide ? full_width (now) : g_strdup (now);
        g_autofree char *w_next = wide ? full_width (next) : g_strdup (next);
        const char      *at = strstr (out, w_now);

        if (at != NULL)
          {
            char *moved
                = g_strdup_printf ("%.*s%s%s", (int)(at - out), out, w_next, at + strlen (w_now));
            g_free (out);
            out = moved;
          }
      }
  return g_str_equal (out, name) ? NULL : g_steal_pointer (&out);
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
    {
      g_autofree char *name = tsu_grants_next_year_name (tsu_record_get_string (p, "name"), fy);

      json_object_set_int_member (fields, "fiscal_year", fy + 1);
      if (name)
        json_object_set_string_member (fields, "name", name);
    }
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

/* ---- telling groups: their public contacts ---- */

/* The columns of the groups' public list that say how to reach a group. */
static const char *const contact_headers[]
    = { "団体名",     "代表者",         "郵便番号",
        "住所",       "電話番号",       "メールアドレス",
        "連絡担当者", "連絡先電話番号", "連絡先メールアドレス",
        NULL };

/**
 * tsu_grants_contacts_csv:
 * @group_ids: the groups told
 *
 * The chosen groups' public contacts as CSV, for sending the notice: the
 * groups' public list (tsu_record_csv_row() with public_only) cut to the
 * columns that say how to reach a group. A contact a group has not made
 * public stays blank.
 *
 * Returns: (transfer full): the file's bytes, or %NULL with @error
 */
GBytes *
tsu_grants_contacts_csv (TsuStore      *store,
                         GStrv          group_ids,
                         TsuCsvEncoding encoding,
                         GPtrArray     *unencodable,
                         GError       **error)
{
  const TsuCollection *groups = tsu_collection_lookup ("groups");
  g_auto (GStrv) header = tsu_record_csv_header (groups, TRUE);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr (GArray) keep = g_array_new (FALSE, FALSE, sizeof (guint));
  TsuCsvContext ctx = { { 0 } };
  GStrvBuilder *b;

  tsu_date_today (&ctx.today);
  ctx.public_only = TRUE;
  ctx.store = store;
  for (guint h = 0; contact_headers[h]; h++)
    for (guint i = 0; header[i]; i++)
      if (g_str_equal (header[i], contact_headers[h]))
        g_array_append_val (keep, i);
  b = g_strv_builder_new ();
  for (guint k = 0; k < keep->len; k++)
    g_strv_builder_add (b, header[g_array_index (keep, guint, k)]);
  g_ptr_array_add (rows, g_strv_builder_end (b));
  g_strv_builder_unref (b);
  for (guint i = 0; group_ids && group_ids[i]; i++)
    {
      g_autoptr (JsonObject) g = tsu_store_get (store, "groups", group_ids[i], error);
      g_auto (GStrv) cells = NULL;

      if (g == NULL)
        return NULL;
      if (tsu_record_get_bool (g, "deleted"))
        continue;
      cells = tsu_record_csv_row (groups, g, &ctx);
      b = g_strv_builder_new ();
      for (guint k = 0; k < keep->len; k++)
        g_strv_builder_add (b, cells[g_array_index (keep, guint, k)]);
      g_ptr_array_add (rows, g_strv_builder_end (b));
      g_strv_builder_unref (b);
    }
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}

/* ---- a group's programmes ---- */

typedef struct
{
  const char *group_id;
  JsonArray  *programmes;
  JsonArray  *years;
} GroupRead;

static gboolean
group_read (sqlite3 *db, gpointer data, GError **error)
{
  GroupRead    *g = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;
  /* The 年度 a grant counts in: the one it funds, else that of its state's
   * date (an award without a 年度 on the programme). */
  const char      *fy = "coalesce(p.fiscal_year, CAST(strftime('%Y', a.state_on, '-3 months')"
                        " AS INTEGER))";
  g_autofree char *sql = g_strdup_printf (
      "SELECT a.id, p.id, p.name, a.state, a.state_on, a.amount_applied, a.amount_awarded,"
      " %s, p.deadline_on,"
      " coalesce((SELECT f.name FROM funders f WHERE f.id = p.funder_id), p.funder_name)"
      " FROM applications a JOIN programmes p ON p.id = a.programme_id"
      " WHERE a.group_id = ? AND a.deleted = 0 AND p.deleted = 0"
      " ORDER BY %s DESC, p.deadline_key DESC, p.rowid DESC",
      fy, fy);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "group grants");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, g->group_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      static const char *names[] = { "id", "programme_id", "name", "state",       "state_on",
                                     NULL, NULL,           NULL,   "deadline_on", "funder" };
      JsonObject        *o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (names[i] && sqlite3_column_type (stmt, i) != SQLITE_NULL)
          json_object_set_string_member (o, names[i], (const char *)sqlite3_column_text (stmt, i));
      if (sqlite3_column_type (stmt, 5) != SQLITE_NULL)
        json_object_set_int_member (o, "amount_applied", sqlite3_column_int64 (stmt, 5));
      if (sqlite3_column_type (stmt, 6) != SQLITE_NULL)
        json_object_set_int_member (o, "amount_awarded", sqlite3_column_int64 (stmt, 6));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        json_object_set_int_member (o, "fiscal_year", sqlite3_column_int64 (stmt, 7));
      json_array_add_object_element (g->programmes, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "group grants");
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  const char *programme_id;
  JsonArray  *out;
} ProgrammeRead;

static gboolean
programme_groups_read (sqlite3 *db, gpointer data, GError **error)
{
  ProgrammeRead *r = data;
  sqlite3_stmt  *stmt = NULL;
  int            rc;

  /* States in their order (案内済 … 不採択), groups by reading in each. */
  if (sqlite3_prepare_v2 (db,
                          "SELECT a.id, a.group_id, g.name, a.state, a.state_on, a.staff, a.note,"
                          " a.amount_applied, a.amount_awarded"
                          " FROM applications a JOIN groups g ON g.id = a.group_id"
                          " WHERE a.programme_id = ? AND a.deleted = 0"
                          " ORDER BY CASE a.state WHEN 'told' THEN 0 WHEN 'interested' THEN 1"
                          " WHEN 'preparing' THEN 2 WHEN 'applied' THEN 3 WHEN 'awarded' THEN 4"
                          " WHEN 'rejected' THEN 5 ELSE 6 END, g.sort_key, g.rowid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "programme groups");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, r->programme_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      static const char *names[]
          = { "id", "group_id", "name", "state", "state_on", "staff", "note" };
      JsonObject *o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
          json_object_set_string_member (o, names[i], (const char *)sqlite3_column_text (stmt, i));
      if (sqlite3_column_type (stmt, 7) != SQLITE_NULL)
        json_object_set_int_member (o, "amount_applied", sqlite3_column_int64 (stmt, 7));
      if (sqlite3_column_type (stmt, 8) != SQLITE_NULL)
        json_object_set_int_member (o, "amount_awarded", sqlite3_column_int64 (stmt, 8));
      json_array_add_object_element (r->out, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "programme groups");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_grants_programme_groups:
 *
 * The groups on a programme's list, state by state (in the order 案内済 …
 * 不採択), by reading within each.
 *
 * Returns: (transfer full): objects with id (the application), group_id,
 *   name, state, state_on, staff, note, amount_applied, amount_awarded;
 *   %NULL on error
 */
JsonArray *
tsu_grants_programme_groups (TsuStore *store, const char *programme_id, GError **error)
{
  g_autoptr (JsonArray) out = json_array_new ();
  ProgrammeRead r = { programme_id, out };

  if (!tsu_store_read (store, programme_groups_read, &r, error))
    return NULL;
  return g_steal_pointer (&out);
}

/**
 * tsu_grants_set_state:
 *
 * Moves one group × programme to @state, dated @today and signed by the
 * desk's staff (the history keeps each step: who, when, from what).
 */
gboolean
tsu_grants_set_state (TsuStore    *store,
                      const char  *application_id,
                      const char  *state,
                      const GDate *today,
                      GError     **error)
{
  g_autoptr (JsonObject) change = json_object_new ();
  g_autofree char *iso = tsu_date_to_iso (today);

  json_object_set_string_member (change, "state", state);
  json_object_set_string_member (change, "state_on", iso);
  if (tsu_store_get_author (store))
    json_object_set_string_member (change, "staff", tsu_store_get_author (store));
  return tsu_store_update (store, "applications", application_id, change, error);
}

typedef struct
{
  const char *text;
  guint       limit;
  JsonArray  *out;
} FindGroups;

static gboolean
find_groups_read (sqlite3 *db, gpointer data, GError **error)
{
  FindGroups          *d = data;
  const TsuCollection *groups = tsu_collection_lookup ("groups");
  g_autoptr (TsuRecordQuery) q = tsu_record_query_new (groups);
  const char *columns[] = { "name", "status", NULL };
  g_autoptr (GArray) rowids = NULL;
  g_autoptr (GPtrArray) rows = NULL;

  /* The groups page's own search: readings in hiragana, folded text. */
  tsu_record_query_set_search (q, d->text);
  rowids = tsu_record_query_run (db, q, error);
  if (rowids == NULL)
    return FALSE;
  rows = tsu_record_query_read_cells (db, q, columns, (const gint64 *)rowids->data,
                                      MIN (rowids->len, d->limit), error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      TsuRowCells *r = g_ptr_array_index (rows, i);
      JsonObject  *o;

      if (r == NULL)
        continue;
      o = json_object_new ();
      json_object_set_string_member (o, "id", r->id);
      json_object_set_string_member (o, "name", r->cells[0] ? r->cells[0] : "");
      if (r->cells[1])
        json_object_set_string_member (
            o, "status",
            tsu_field_choice_label (tsu_collection_lookup_column (groups, "status"), r->cells[1]));
      json_array_add_object_element (d->out, o);
    }
  return TRUE;
}

/**
 * tsu_grants_find_groups:
 * @text: part of a name or reading, as typed
 *
 * Any group, found as the groups page finds it, to tell about a programme
 * beyond the suggestions.
 *
 * Returns: (transfer full): at most @limit objects with id, name, status
 *   (its label); %NULL on error
 */
JsonArray *
tsu_grants_find_groups (TsuStore *store, const char *text, guint limit, GError **error)
{
  g_autoptr (JsonArray) out = json_array_new ();
  FindGroups d = { text, limit ? limit : 30, out };

  if (!tsu_store_read (store, find_groups_read, &d, error))
    return NULL;
  return g_steal_pointer (&out);
}

/**
 * tsu_grants_group_summary:
 *
 * A group's programmes and where it stands with each (newest 年度 first),
 * and what it received per 年度 (awarded amounts, newest first).
 *
 * Returns: (transfer full): an object with "programmes" (objects with id
 *   (the application), programme_id, name, funder, state, state_on,
 *   amount_applied, amount_awarded, fiscal_year, deadline_on) and "years"
 *   (objects with fiscal_year, awarded (yen), count); %NULL on error
 */
JsonObject *
tsu_grants_group_summary (TsuStore *store, const char *group_id, GError **error)
{
  g_autoptr (JsonArray) programmes = json_array_new ();
  g_autoptr (JsonArray) years = json_array_new ();
  GroupRead   g = { group_id, programmes, years };
  JsonObject *out;

  if (!tsu_store_read (store, group_read, &g, error))
    return NULL;
  for (guint i = 0; i < json_array_get_length (programmes); i++)
    {
      JsonObject *a = json_array_get_object_element (programmes, i);
      gint64      fy = 0, amount = 0;
      guint       n = json_array_get_length (years);
      JsonObject *y = n ? json_array_get_object_element (years, n - 1) : NULL;

      if (g_strcmp0 (tsu_record_get_string (a, "state"), "awarded") != 0
          || !tsu_record_get_int (a, "fiscal_year", &fy))
        continue;
      tsu_record_get_int (a, "amount_awarded", &amount);
      /* Rows come newest 年度 first: one entry per 年度, in that order. */
      if (y == NULL || json_object_get_int_member (y, "fiscal_year") != fy)
        {
          y = json_object_new ();
          json_object_set_int_member (y, "fiscal_year", fy);
          json_object_set_int_member (y, "awarded", 0);
          json_object_set_int_member (y, "count", 0);
          json_array_add_object_element (years, y);
        }
      json_object_set_int_member (y, "awarded", json_object_get_int_member (y, "awarded") + amount);
      json_object_set_int_member (y, "count", json_object_get_int_member (y, "count") + 1);
    }
  out = json_object_new ();
  json_object_set_array_member (out, "programmes", g_steal_pointer (&programmes));
  json_object_set_array_member (out, "years", g_steal_pointer (&years));
  return out;
}

/**
 * tsu_grants_bucket_range:
 * @from: (out): the first deadline key in @bucket, or %NULL (from the start)
 * @to: (out): the first key after it, or %NULL (to the end)
 *
 * The deadline keys (programmes.deadline_key) of a list section, as a
 * range the deadline index answers (a list filter >= @from, < @to). A
 * section with nothing in it (this month when this week reaches into the
 * next) gives @from equal to @to.
 */
void
tsu_grants_bucket_range (TsuDeadlineBucket bucket, const GDate *today, char **from, char **to)
{
  GDate monday = *today, month = *today;
  char *today_iso = tsu_date_to_iso (today);
  char *week_end, *month_end;

  /* The day after this week's Sunday, and the first of next month. */
  g_date_add_days (&monday, 8 - g_date_get_weekday (today));
  g_date_set_day (&month, 1);
  g_date_add_months (&month, 1);
  week_end = tsu_date_to_iso (&monday);
  month_end = tsu_date_to_iso (&month);
  *from = *to = NULL;
  switch (bucket)
    {
    case TSU_DEADLINE_THIS_WEEK:
      *from = g_strdup (today_iso);
      *to = g_strdup (week_end);
      break;
    case TSU_DEADLINE_THIS_MONTH:
      *from = g_strdup (g_strcmp0 (week_end, month_end) >= 0 ? month_end : week_end);
      *to = g_strdup (month_end);
      break;
    case TSU_DEADLINE_LATER:
      *from = g_strdup (g_strcmp0 (week_end, month_end) > 0 ? week_end : month_end);
      *to = g_strdup (TSU_DEADLINE_KEY_ANY_TIME);
      break;
    case TSU_DEADLINE_ANY_TIME:
      *from = g_strdup (TSU_DEADLINE_KEY_ANY_TIME);
      break;
    case TSU_DEADLINE_PAST:
      *to = g_strdup (today_iso);
      break;
    }
  g_free (today_iso);
  g_free (week_end);
  g_free (month_end);
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
        /* RFC 5545 allows no control characters in TEXT but HTAB. */
        if (((guchar)*p >= 0x20 && *p != 0x7f) || *p == '\t')
          g_string_append_c (s, *p);
      }
}

/* A value that is not TEXT (a URL): no line breaks or control characters,
 * which would end the property and start another. */
static char *
ics_plain (const char *value)
{
  GString *s = g_string_new (NULL);

  for (const char *p = value ? value : ""; *p; p++)
    if ((guchar)*p >= 0x20 && *p != 0x7f)
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
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
    {
      g_autofree char *plain = ics_plain (value);
      g_string_append (line, plain);
    }
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
  /* Outlook imports a calendar without METHOD as a meeting request. */
  ics_line (out, "METHOD:PUBLISH");
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
      GDate            when;
      g_autofree char *ymd = NULL;
      g_autoptr (GString) desc = g_string_new (NULL);
      g_autoptr (JsonObject) funder = NULL;
      const TsuCollection *c = tsu_collection_lookup ("programmes");
      const char          *kind = tsu_record_get_string (p, "kind");
      const char          *dkind = tsu_record_get_string (p, "deadline_kind");

      /* A record synced from elsewhere is checked there too; still, a
       * date that does not read is left out rather than written badly. */
      if (!tsu_date_from_iso (day, &when))
        continue;
      ymd = g_strdup_printf ("%04d%02d%02d", g_date_get_year (&when), g_date_get_month (&when),
                             g_date_get_day (&when));
      if (time
          && !(strlen (time) == 5 && g_ascii_isdigit (time[0]) && g_ascii_isdigit (time[1])
               && time[2] == ':' && g_ascii_isdigit (time[3]) && g_ascii_isdigit (time[4])))
        time = NULL;
      if (tsu_record_get_string (p, "funder_id"))
        funder = tsu_store_get (store, "funders", tsu_record_get_string (p, "funder_id"), NULL);
      ics_line (out, "BEGIN:VEVENT");
      ics_prop (out, "UID", uid, FALSE);
      ics_prop (out, "DTSTAMP", stamp, FALSE);
      if (time)
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
