/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-matcher.h"
#include "tsu-centre.h"
#include "tsu-date.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-matching-collections.h"
#include "tsu-record.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

void
tsu_suggestion_free (TsuSuggestion *s)
{
  if (s == NULL)
    return;
  g_free (s->volunteer_id);
  g_free (s->registration_number);
  g_free (s->name);
  g_free (s->sort_key);
  g_ptr_array_unref (s->reasons);
  g_free (s);
}

typedef struct
{
  TsuStore   *store;
  const char *request_id;
  GDate       today;
  guint       limit;
  JsonObject *request;
  TsuSchedule sched;
  int         fy;
  guint32     need;
  gboolean    any;
  guint32     fields_mask;
  GStrv       skills;
  const char *district;
  const char *group_id;
  GStrv       neighbours;
  char       *last_iso;
  GHashTable *busy;     /* volunteer id → what they are confirmed for */
  GHashTable *taken;    /* volunteer ids already in a match of this request */
  GHashTable *excluded; /* volunteer id → TsuSuggestion, strict candidates excluded in C */
  GPtrArray  *out;
  GPtrArray  *near;
} Ctx;

/* The profile part of the score, in SQL: fields, 校区, skills. The
 * history part (past work, load) is added in C for the best of these. */
static char *
partial_sql (Ctx *c, GPtrArray *params)
{
  GString *s = g_string_new ("(min(" G_STRINGIFY (TSU_MATCH_W_FIELD_MAX) ", 0");

  for (int b = 0; b < 20; b++)
    if (c->fields_mask & (1u << b))
      g_string_append_printf (s, " + ((fields_mask >> %d) & 1) * %d", b, TSU_MATCH_W_FIELD);
  g_string_append (s, ")");
  if (c->district != NULL)
    {
      g_string_append_printf (s, " + (CASE WHEN school_district = ? THEN %d",
                              TSU_MATCH_W_SAME_DISTRICT);
      g_ptr_array_add (params, g_strdup (c->district));
      for (guint i = 0; c->neighbours && c->neighbours[i]; i++)
        {
          g_string_append_printf (s, " WHEN school_district = ? THEN %d",
                                  TSU_MATCH_W_NEAR_DISTRICT);
          g_ptr_array_add (params, g_strdup (c->neighbours[i]));
        }
      g_string_append (s, " ELSE 0 END)");
    }
  for (guint i = 0; c->skills && c->skills[i]; i++)
    {
      g_autoptr (JsonNode) n = json_node_new (JSON_NODE_VALUE);

      json_node_set_string (n, c->skills[i]);
      g_string_append_printf (s, " + (instr(coalesce(skills, ''), ?) > 0) * %d", TSU_MATCH_W_SKILL);
      g_ptr_array_add (params, json_to_string (n, FALSE));
    }
  g_string_append (s, ")");
  return g_string_free (s, FALSE);
}

static int
age_on (const char *birth_iso, const GDate *day)
{
  GDate b;
  int   age;

  if (!tsu_date_from_iso (birth_iso, &b))
    return -1;
  age = g_date_get_year (day) - g_date_get_year (&b);
  if (g_date_get_month (day) < g_date_get_month (&b)
      || (g_date_get_month (day) == g_date_get_month (&b)
          && g_date_get_day (day) < g_date_get_day (&b)))
    age--;
  return age;
}

/* Under 18 on the request's first day, or possibly (a teen with no date of
 * birth): the guardian's consent is needed. */
static gboolean
needs_guardian (Ctx *c, const char *birth, const char *age_band)
{
  int age = age_on (birth, &c->sched.first);

  if (age >= 0)
    return age < 18;
  return g_strcmp0 (age_band, "10") == 0;
}

static void add_reason (TsuSuggestion *s, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
add_reason (TsuSuggestion *s, const char *format, ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (s->reasons, g_strdup_vprintf (format, args));
  va_end (args);
}

static TsuSuggestion *
suggestion_new (sqlite3_stmt *stmt)
{
  TsuSuggestion *s = g_new0 (TsuSuggestion, 1);

  s->volunteer_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  s->registration_number = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  s->name = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
  s->sort_key = g_strdup ((const char *)sqlite3_column_text (stmt, 3));
  s->reasons = g_ptr_array_new_with_free_func (g_free);
  return s;
}

/* Why the profile part scored: fields, 校区, skills, in words. */
static int
explain_profile (Ctx *c, TsuSuggestion *s, sqlite3_stmt *stmt)
{
  const char *district = (const char *)sqlite3_column_text (stmt, 4);
  guint32     fields = (guint32)sqlite3_column_int64 (stmt, 5);
  const char *skills = (const char *)sqlite3_column_text (stmt, 6);
  g_autoptr (GString) names = g_string_new (NULL);
  int score = 0, n = 0;

  for (int b = 0; b < 20; b++)
    if (c->fields_mask & fields & (1u << b))
      {
        g_string_append_printf (names, "%s%s", names->len ? "、" : "",
                                tsu_group_field_name (b + 1));
        n++;
      }
  if (n > 0)
    {
      score += MIN (TSU_MATCH_W_FIELD_MAX, n * TSU_MATCH_W_FIELD);
      add_reason (s, _ ("Fields in common: %s"), names->str);
    }
  if (district && c->district && g_str_equal (district, c->district))
    {
      score += TSU_MATCH_W_SAME_DISTRICT;
      add_reason (s, _ ("Same school district (%s)"), district);
    }
  else if (district && c->neighbours
           && g_strv_contains ((const char *const *)c->neighbours, district))
    {
      score += TSU_MATCH_W_NEAR_DISTRICT;
      add_reason (s, _ ("Neighbouring school district (%s)"), district);
    }
  for (guint i = 0; c->skills && c->skills[i]; i++)
    {
      g_autoptr (JsonNode) q = json_node_new (JSON_NODE_VALUE);
      g_autofree char *quoted = NULL;

      json_node_set_string (q, c->skills[i]);
      quoted = json_to_string (q, FALSE);
      if (skills && strstr (skills, quoted))
        {
          score += TSU_MATCH_W_SKILL;
          add_reason (s, _ ("Has the skill needed: %s"), c->skills[i]);
        }
    }
  return score;
}

/* Past work and current load, from the person's matches. */
/* A person's past work, for the history part of the score: prepared once
 * per suggestion run (parsing it for each candidate cost more than the
 * lookups themselves). */
static const char history_sql[] = "SELECT m.state, m.state_on, r.group_id, r.fields FROM matches m"
                                  " JOIN requests r ON r.id = m.request_id"
                                  " WHERE m.volunteer_id = ? AND m.deleted = 0 AND r.deleted = 0"
                                  " AND m.state IN ('completed', 'confirmed')";

static int
explain_history (Ctx *c, sqlite3_stmt *stmt, TsuSuggestion *s)
{
  int      same_group = 0, same_kind = 0, load = 0, score = 0;
  gboolean recent = FALSE;
  GDate    since = c->today;

  g_date_subtract_days (&since, 180);
  sqlite3_reset (stmt);
  sqlite3_bind_text (stmt, 1, s->volunteer_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *state = (const char *)sqlite3_column_text (stmt, 0);
      const char *on = (const char *)sqlite3_column_text (stmt, 1);
      const char *gid = (const char *)sqlite3_column_text (stmt, 2);
      g_autoptr (JsonNode) fields = NULL;
      GDate d;

      if (g_str_equal (state, "confirmed"))
        {
          load++;
          continue;
        }
      if (gid && c->group_id && g_str_equal (gid, c->group_id))
        same_group++;
      if (sqlite3_column_text (stmt, 3))
        fields = json_from_string ((const char *)sqlite3_column_text (stmt, 3), NULL);
      if (fields && JSON_NODE_HOLDS_ARRAY (fields))
        for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
          {
            JsonNode *e = json_array_get_element (json_node_get_array (fields), i);

            if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_INT64
                && json_node_get_int (e) >= 1 && json_node_get_int (e) <= 20
                && (c->fields_mask & (1u << (json_node_get_int (e) - 1))))
              {
                same_kind++;
                break;
              }
          }
      if (tsu_date_from_iso (on, &d) && g_date_compare (&d, &since) >= 0)
        recent = TRUE;
    }
  sqlite3_reset (stmt);
  if (same_group > 0)
    {
      score += TSU_MATCH_W_SAME_GROUP;
      add_reason (s, _ ("Has helped this group before (%d times)"), same_group);
    }
  if (same_kind > 0)
    {
      score += MIN (2, same_kind) * TSU_MATCH_W_SAME_KIND;
      add_reason (s, _ ("Has done this kind of work (%d times)"), same_kind);
    }
  if (recent)
    {
      score += TSU_MATCH_W_RECENT;
      add_reason (s, "%s", _ ("Active in the last six months"));
    }
  if (load > 0)
    {
      score += load * TSU_MATCH_W_LOAD;
      add_reason (s, _ ("Already confirmed for %d other activities"), load);
    }
  return score;
}

static int
compare_suggestions (gconstpointer a, gconstpointer b)
{
  const TsuSuggestion *x = *(TsuSuggestion *const *)a, *y = *(TsuSuggestion *const *)b;
  int                  r;

  if (x->score != y->score)
    return x->score > y->score ? -1 : 1;
  if ((r = g_strcmp0 (x->sort_key, y->sort_key)) != 0)
    return r;
  return g_strcmp0 (x->volunteer_id, y->volunteer_id);
}

#define COLUMNS                                                                                    \
  "id, registration_number,"                                                                       \
  " trim(coalesce(family_name, '') || ' ' || coalesce(given_name, '')), sort_key,"                 \
  " school_district, fields_mask, skills, birth_date, age_band, guardian_consent_on, status,"      \
  " expires_on, insurance_fiscal_year, avail_mask"

/* Volunteers with a confirmed match that overlaps the request. A match
 * confirmed over an allowed overlap still holds its person: the store's
 * guard counts it too, so suggesting them would only end in a refusal. */
static gboolean
find_busy (Ctx *c, sqlite3 *db, GError **error)
{
  static const char sql[]
      = "SELECT m.volunteer_id, r.title, r.schedule, r.date_from, r.date_to, r.slot,"
        " r.weekly_slots FROM matches m JOIN requests r ON r.id = m.request_id"
        " WHERE m.state = 'confirmed' AND m.deleted = 0 AND r.deleted = 0 AND r.id != ?1"
        " AND r.span_start < ?3 AND r.span_end > ?2";
  g_autofree char *start = NULL, *end = NULL;
  sqlite3_stmt    *stmt = NULL;
  int              rc;

  tsu_schedule_span (&c->sched, &start, &end);
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "matcher");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, c->request_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, start, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, end, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr (JsonObject) r = json_object_new ();
      const char *cols[] = { NULL, "title", "schedule", "date_from", "date_to", "slot" };
      TsuSchedule other;

      for (int i = 1; i < 6; i++)
        if (sqlite3_column_text (stmt, i))
          json_object_set_string_member (r, cols[i], (const char *)sqlite3_column_text (stmt, i));
      if (sqlite3_column_text (stmt, 6))
        json_object_set_member (
            r, "weekly_slots",
            json_from_string ((const char *)sqlite3_column_text (stmt, 6), NULL));
      if (tsu_schedule_from_record (r, &other) && tsu_schedule_overlaps (&c->sched, &other))
        g_hash_table_insert (c->busy, g_strdup ((const char *)sqlite3_column_text (stmt, 0)),
                             g_strdup (tsu_record_get_string (r, "title")));
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "matcher");
      return FALSE;
    }
  return TRUE;
}

/* People already asked for this request (or who declined it) are no
 * longer suggestions: the coordinator sees them among its matches. */
static gboolean
find_taken (Ctx *c, sqlite3 *db, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT volunteer_id FROM matches WHERE request_id = ? AND deleted = 0",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "matcher");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, c->request_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_add (c->taken, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
bind_params (sqlite3_stmt *stmt, GPtrArray *params, int first)
{
  for (guint i = 0; i < params->len; i++)
    sqlite3_bind_text (stmt, first + i, g_ptr_array_index (params, i), -1, SQLITE_TRANSIENT);
}

/* Hard filters the SQL cannot say in C: a guardian's consent, a clash. */
static gboolean
excluded_in_c (Ctx *c, sqlite3_stmt *stmt, TsuSuggestion *s)
{
  const char *busy = g_hash_table_lookup (c->busy, s->volunteer_id);
  gboolean    out = FALSE;

  if (needs_guardian (c, (const char *)sqlite3_column_text (stmt, 7),
                      (const char *)sqlite3_column_text (stmt, 8))
      && sqlite3_column_type (stmt, 9) == SQLITE_NULL)
    {
      add_reason (s, "%s", _ ("Under 18 without a guardian's consent"));
      out = TRUE;
    }
  if (busy != NULL)
    {
      add_reason (s, _ ("Confirmed for “%s” at the same time"), busy);
      out = TRUE;
    }
  return out;
}

/* A person's columns (COLUMNS, then @partial) by rowid, or NULL. */
static sqlite3_stmt *
read_person (sqlite3_stmt *detail, gint64 rowid, int partial)
{
  sqlite3_reset (detail);
  sqlite3_bind_int (detail, 1, partial);
  sqlite3_bind_int64 (detail, 2, rowid);
  return sqlite3_step (detail) == SQLITE_ROW ? detail : NULL;
}

static gboolean
suggest_run (sqlite3 *db, Ctx *c, sqlite3_stmt *history, sqlite3_stmt *detail, GError **error)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *partial = partial_sql (c, params);
  g_autofree char *sql = NULL;
  guint            k = MAX (c->limit * 10, 100);
  int              threshold = G_MININT;
  gboolean         more = TRUE, stopped = FALSE;

  if (!find_busy (c, db, error) || !find_taken (c, db, error))
    return FALSE;

  /* Strict candidates by profile score, k at a time (SQLite keeps only the
   * best k while it scans: no full sort); their history is looked up. The
   * loop ends once no further candidate could reach the best @limit. */
  /* Two steps: the ranking reads only the covering index
   * volunteers_match_cover (no row of the table is read while 200,000
   * people are ranked); a person's columns are read for the rows kept. */
  sql = g_strdup_printf ("SELECT rowid, %s AS partial FROM volunteers"
                         " WHERE deleted = 0 AND status = 'active' AND insurance_fiscal_year = ?"
                         " AND (expires_on IS NULL OR expires_on >= ?)"
                         " AND %s ORDER BY partial DESC, sort_key, rowid LIMIT ? OFFSET ?",
                         partial, c->any ? "(avail_mask & ?) != 0" : "(avail_mask & ?) = ?");
  for (guint offset = 0; more; offset += k)
    {
      sqlite3_stmt *stmt = NULL;
      int           col = 1 + params->len, rc, last_partial = G_MININT, rows = 0;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          tsu_store_set_sqlite_error (error, db, "matcher");
          return FALSE;
        }
      bind_params (stmt, params, 1);
      sqlite3_bind_int (stmt, col++, c->fy);
      sqlite3_bind_text (stmt, col++, c->last_iso, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, col++, c->need);
      if (!c->any)
        sqlite3_bind_int64 (stmt, col++, c->need);
      sqlite3_bind_int (stmt, col++, k);
      sqlite3_bind_int (stmt, col++, offset);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          TsuSuggestion *s;
          sqlite3_stmt  *row;

          rows++;
          last_partial = sqlite3_column_int (stmt, 1);
          /* Rows come best profile first: once even the most history can
           * add no longer reaches the last kept, no later row can either
           * (the history lookups are the cost; this keeps them to a few
           * more than @limit). */
          if (c->out->len >= c->limit && last_partial + TSU_MATCH_HISTORY_MAX < threshold)
            {
              stopped = TRUE;
              break;
            }
          if ((row = read_person (detail, sqlite3_column_int64 (stmt, 0), last_partial)) == NULL)
            continue;
          s = suggestion_new (row);
          if (g_hash_table_contains (c->taken, s->volunteer_id))
            {
              tsu_suggestion_free (s);
              continue;
            }
          if (excluded_in_c (c, row, s))
            {
              s->score = last_partial;
              g_hash_table_insert (c->excluded, g_strdup (s->volunteer_id), s);
              continue;
            }
          s->score = explain_profile (c, s, row);
          s->score += explain_history (c, history, s);
          g_ptr_array_add (c->out, s);
          if (c->out->len >= c->limit)
            {
              g_ptr_array_sort (c->out, compare_suggestions);
              g_ptr_array_set_size (c->out, c->limit);
              threshold = ((TsuSuggestion *)g_ptr_array_index (c->out, c->limit - 1))->score;
            }
        }
      sqlite3_finalize (stmt);
      if (!stopped && rc != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, db, "matcher");
          return FALSE;
        }
      g_ptr_array_sort (c->out, compare_suggestions);
      if (c->out->len >= c->limit)
        threshold = ((TsuSuggestion *)g_ptr_array_index (c->out, c->limit - 1))->score;
      /* More only when a row further down could still beat the last kept. */
      more = !stopped && rows == (int)k
             && (c->out->len < c->limit || last_partial + TSU_MATCH_HISTORY_MAX >= threshold);
    }
  if (c->out->len > c->limit)
    g_ptr_array_set_size (c->out, c->limit);

  if (c->near == NULL)
    return TRUE;

  /* Near misses: people who share a field with the request (anyone, when
   * it names no field) but fail one or two filters. */
  {
    g_autofree char *near_sql
        = g_strdup_printf ("SELECT rowid, %s AS partial FROM volunteers"
                           " WHERE deleted = 0 AND status IN ('active', 'paused') AND %s"
                           " AND NOT (status = 'active' AND insurance_fiscal_year IS ? AND"
                           " (expires_on IS NULL OR expires_on >= ?) AND %s)"
                           " ORDER BY partial DESC, sort_key, rowid LIMIT ?",
                           partial, c->fields_mask ? "(fields_mask & ?) != 0" : "? = 0",
                           c->any ? "(avail_mask & ?) != 0" : "(avail_mask & ?) = ?");
    sqlite3_stmt *stmt = NULL;
    int           col = 1 + params->len, rc;
    g_autoptr (GPtrArray) near
        = g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_suggestion_free);
    GHashTableIter iter;
    gpointer       value;

    if (sqlite3_prepare_v2 (db, near_sql, -1, &stmt, NULL) != SQLITE_OK)
      {
        tsu_store_set_sqlite_error (error, db, "matcher");
        return FALSE;
      }
    bind_params (stmt, params, 1);
    sqlite3_bind_int64 (stmt, col++, c->fields_mask);
    sqlite3_bind_int (stmt, col++, c->fy);
    sqlite3_bind_text (stmt, col++, c->last_iso, -1, SQLITE_STATIC);
    sqlite3_bind_int64 (stmt, col++, c->need);
    if (!c->any)
      sqlite3_bind_int64 (stmt, col++, c->need);
    sqlite3_bind_int (stmt, col++, c->limit * 5);
    while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
      {
        sqlite3_stmt *row
            = read_person (detail, sqlite3_column_int64 (stmt, 0), sqlite3_column_int (stmt, 1));
        TsuSuggestion *s;
        const char    *status;
        GDate          expires;

        if (row == NULL)
          continue;
        s = suggestion_new (row);
        status = (const char *)sqlite3_column_text (row, 10);

        if (g_hash_table_contains (c->taken, s->volunteer_id))
          {
            tsu_suggestion_free (s);
            continue;
          }

        s->score = sqlite3_column_int (row, 14);
        if (g_strcmp0 (status, "paused") == 0)
          add_reason (s, "%s", _ ("Paused"));
        if (tsu_date_from_iso ((const char *)sqlite3_column_text (row, 11), &expires)
            && g_date_compare (&expires, &c->sched.last) < 0)
          add_reason (s, "%s", _ ("Registration expired"));
        if (sqlite3_column_type (row, 12) == SQLITE_NULL || sqlite3_column_int (row, 12) != c->fy)
          {
            g_autofree char *fy = tsu_fiscal_year_format (c->fy, TSU_DATE_STYLE_SEIREKI);
            add_reason (s, _ ("Not insured for %s"), fy);
          }
        if (!(c->any ? (sqlite3_column_int64 (row, 13) & c->need) != 0
                     : (sqlite3_column_int64 (row, 13) & c->need) == c->need))
          add_reason (s, "%s", _ ("Not available at that time"));
        excluded_in_c (c, row, s);
        if (s->reasons->len <= 2)
          g_ptr_array_add (near, s);
        else
          tsu_suggestion_free (s);
      }
    sqlite3_finalize (stmt);
    if (rc != SQLITE_DONE)
      {
        tsu_store_set_sqlite_error (error, db, "matcher");
        return FALSE;
      }
    g_hash_table_iter_init (&iter, c->excluded);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        g_hash_table_iter_steal (&iter);
        g_ptr_array_add (near, value);
      }
    g_ptr_array_sort (near, compare_suggestions);
    for (guint i = 0; i < near->len && i < c->limit; i++)
      g_ptr_array_add (c->near, g_steal_pointer (&g_ptr_array_index (near, i)));
  }
  return TRUE;
}

static gboolean
suggest_read (sqlite3 *db, gpointer data, GError **error)
{
  sqlite3_stmt *history = NULL, *detail = NULL;
  gboolean      ok;

  if (sqlite3_prepare_v2 (db, history_sql, -1, &history, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT " COLUMNS ", ?1 FROM volunteers WHERE rowid = ?2", -1,
                             &detail, NULL)
             != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "matcher");
      sqlite3_finalize (history);
      return FALSE;
    }
  ok = suggest_run (db, data, history, detail, error);
  sqlite3_finalize (history);
  sqlite3_finalize (detail);
  return ok;
}

/**
 * tsu_matcher_suggest:
 *
 * Returns: (transfer full) (element-type TsuSuggestion): the suggestions,
 *   or %NULL with @error (an unknown request, a read failure)
 */
GPtrArray *
tsu_matcher_suggest (TsuStore    *store,
                     const char  *request_id,
                     const GDate *today,
                     guint        limit,
                     GPtrArray  **near_misses,
                     GError     **error)
{
  g_autoptr (JsonObject) request = NULL;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_suggestion_free);
  g_autoptr (GPtrArray) near = NULL;
  g_autoptr (GHashTable) busy = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) excluded = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           (GDestroyNotify)tsu_suggestion_free);
  g_auto (GStrv) skills = NULL;
  g_auto (GStrv) neighbours = NULL;
  JsonNode *fields;
  Ctx       c = { 0 };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  request = tsu_store_get (store, "requests", request_id, error);
  if (request == NULL)
    return NULL;
  c.store = store;
  c.request_id = request_id;
  c.today = *today;
  c.limit = MAX (limit, 1);
  c.request = request;
  if (!tsu_schedule_from_record (request, &c.sched))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _ ("The request has no date: give it one to find people."));
      return NULL;
    }
  c.fy = tsu_fiscal_year (&c.sched.first);
  c.need = tsu_schedule_needed_mask (&c.sched, &c.any);
  c.last_iso = tsu_date_to_iso (&c.sched.last);
  fields = json_object_get_member (request, "fields");
  if (fields && JSON_NODE_HOLDS_ARRAY (fields))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (fields)); i++)
      {
        gint64 v = json_array_get_int_element (json_node_get_array (fields), i);
        if (v >= 1 && v <= 20)
          c.fields_mask |= 1u << (v - 1);
      }
  {
    g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
    JsonNode *n = json_object_get_member (request, "skills_needed");

    if (n && JSON_NODE_HOLDS_ARRAY (n))
      for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
        {
          JsonNode *e = json_array_get_element (json_node_get_array (n), i);
          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_strv_builder_add (b, json_node_get_string (e));
        }
    skills = g_strv_builder_end (b);
  }
  c.skills = skills;
  c.district = tsu_record_get_string (request, "school_district");
  c.group_id = tsu_record_get_string (request, "group_id");
  /* Neighbours of the request's 校区: centre setting {district: [neighbours]}. */
  if (c.district != NULL)
    {
      g_autoptr (JsonNode) table = tsu_centre_get (store, "school_district_neighbours");
      g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

      if (table && JSON_NODE_HOLDS_OBJECT (table))
        {
          JsonNode *list = json_object_get_member (json_node_get_object (table), c.district);

          if (list && JSON_NODE_HOLDS_ARRAY (list))
            for (guint i = 0; i < json_array_get_length (json_node_get_array (list)); i++)
              {
                JsonNode *e = json_array_get_element (json_node_get_array (list), i);
                if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
                  g_strv_builder_add (b, json_node_get_string (e));
              }
        }
      neighbours = g_strv_builder_end (b);
      c.neighbours = neighbours;
    }
  c.busy = busy;
  c.taken = taken;
  c.excluded = excluded;
  c.out = out;
  if (near_misses)
    c.near = near = g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_suggestion_free);
  if (!tsu_store_read (store, suggest_read, &c, error))
    {
      g_free (c.last_iso);
      return NULL;
    }
  g_free (c.last_iso);
  if (near_misses)
    *near_misses = g_steal_pointer (&near);
  return g_steal_pointer (&out);
}
