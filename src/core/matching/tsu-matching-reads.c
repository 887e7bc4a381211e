/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-matching-reads.h"
#include "tsu-date.h"
#include "tsu-record.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

typedef struct
{
  const char        *sql;
  const char *const *params;
  const char *const *names; /* column names; a name ending in '?' is a bool */
  GPtrArray         *rows;
} Read;

static gboolean
read_rows (sqlite3 *db, gpointer data, GError **error)
{
  Read         *r = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, r->sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "matching");
      return FALSE;
    }
  for (guint i = 0; r->params && r->params[i]; i++)
    sqlite3_bind_text (stmt, i + 1, r->params[i], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      for (guint i = 0; r->names[i]; i++)
        {
          const char *name = r->names[i];
          gsize       len = strlen (name);

          if (name[len - 1] == '?')
            {
              g_autofree char *n = g_strndup (name, len - 1);
              json_object_set_boolean_member (o, n, sqlite3_column_int (stmt, i) != 0);
            }
          else if (sqlite3_column_type (stmt, i) == SQLITE_INTEGER)
            json_object_set_int_member (o, name, sqlite3_column_int64 (stmt, i));
          else if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            json_object_set_null_member (o, name);
          else
            json_object_set_string_member (o, name, (const char *)sqlite3_column_text (stmt, i));
        }
      g_ptr_array_add (r->rows, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "matching");
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
read_json (TsuStore          *store,
           const char        *sql,
           const char *const *params,
           const char *const *names,
           GError           **error)
{
  Read r
      = { sql, params, names, g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref) };

  if (!tsu_store_read (store, read_rows, &r, error))
    g_clear_pointer (&r.rows, g_ptr_array_unref);
  return r.rows;
}

/* The request's schedule in words, from the columns read with it. */
static void
describe (GPtrArray *rows, TsuDateStyle style)
{
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject      *o = g_ptr_array_index (rows, i);
      JsonNode        *weekly = NULL;
      g_autofree char *text = NULL;

      if (tsu_record_get_string (o, "weekly_slots"))
        {
          weekly = json_from_string (tsu_record_get_string (o, "weekly_slots"), NULL);
          if (weekly)
            json_object_set_member (o, "weekly_slots", weekly);
        }
      text = tsu_schedule_describe (o, style);
      json_object_set_string_member (o, "when", text);
    }
}

/**
 * tsu_matching_request_matches:
 *
 * Returns: (transfer full) (element-type JsonObject): in the order they
 *   were proposed, or NULL with @error
 */
GPtrArray *
tsu_matching_request_matches (TsuStore *store, const char *request_id, GError **error)
{
  const char *params[] = { request_id, NULL };
  const char *names[] = { "id",        "state",        "state_on", "staff", "note",
                          "override?", "volunteer_id", "name",     "kana",  "registration_number",
                          "consent?",  "phone",        NULL };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  return read_json (store,
                    "SELECT m.id, m.state, m.state_on, m.staff, m.note, coalesce(m.override, 0),"
                    " v.id, trim(coalesce(v.family_name, '') || ' ' || coalesce(v.given_name, '')),"
                    " trim(coalesce(v.family_kana, '') || ' ' || coalesce(v.given_kana, '')),"
                    " v.registration_number, v.contact_consent_on IS NOT NULL, v.phone"
                    " FROM matches m JOIN volunteers v ON v.id = m.volunteer_id"
                    " WHERE m.request_id = ? AND m.deleted = 0 ORDER BY m.rowid",
                    params, names, error);
}

/**
 * tsu_matching_volunteer_matches:
 *
 * Returns: (transfer full) (element-type JsonObject): newest request first
 */
GPtrArray *
tsu_matching_volunteer_matches (TsuStore    *store,
                                const char  *volunteer_id,
                                TsuDateStyle style,
                                GError     **error)
{
  const char *params[] = { volunteer_id, NULL };
  const char *names[] = { "id",         "state",   "state_on", "staff",        "note",
                          "request_id", "number",  "title",    "requester",    "schedule",
                          "date_from",  "date_to", "slot",     "weekly_slots", NULL };
  GPtrArray  *rows;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  rows = read_json (store,
                    "SELECT m.id, m.state, m.state_on, m.staff, m.note, r.id, r.number, r.title,"
                    " coalesce((SELECT g.name FROM groups g WHERE g.id = r.group_id),"
                    " r.requester_name), r.schedule, r.date_from, r.date_to, r.slot, r.weekly_slots"
                    " FROM matches m JOIN requests r ON r.id = m.request_id"
                    " WHERE m.volunteer_id = ? AND m.deleted = 0 AND r.deleted = 0"
                    " ORDER BY r.span_start DESC, m.rowid DESC",
                    params, names, error);
  if (rows)
    describe (rows, style);
  return rows;
}

/**
 * tsu_matching_group_requests:
 *
 * Returns: (transfer full) (element-type JsonObject): newest first
 */
GPtrArray *
tsu_matching_group_requests (TsuStore    *store,
                             const char  *group_id,
                             TsuDateStyle style,
                             GError     **error)
{
  const char *params[] = { group_id, NULL };
  const char *names[]
      = { "id",       "number",    "title",   "status", "people_needed", "confirmed",
          "schedule", "date_from", "date_to", "slot",   "weekly_slots",  NULL };
  GPtrArray *rows;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  rows = read_json (store,
                    "SELECT r.id, r.number, r.title, r.status, coalesce(r.people_needed, 1),"
                    " (SELECT count(*) FROM matches m WHERE m.request_id = r.id AND m.deleted = 0"
                    " AND m.state IN ('confirmed', 'completed')),"
                    " r.schedule, r.date_from, r.date_to, r.slot, r.weekly_slots"
                    " FROM requests r WHERE r.group_id = ? AND r.deleted = 0"
                    " ORDER BY r.span_start DESC, r.rowid DESC",
                    params, names, error);
  if (rows)
    describe (rows, style);
  return rows;
}

/**
 * tsu_matching_common_skills:
 *
 * Returns: (transfer full): the skills, most held first
 */
GStrv
tsu_matching_common_skills (TsuStore *store, guint limit, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT j.value, count(*) AS n FROM volunteers v, json_each(v.skills) j"
      " WHERE v.deleted = 0 AND v.skills IS NOT NULL GROUP BY j.value ORDER BY n DESC, j.value"
      " LIMIT %u",
      limit);
  const char *names[] = { "skill", "n", NULL };
  g_autoptr (GPtrArray) rows = read_json (store, sql, NULL, names, error);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  if (rows == NULL)
    return NULL;
  for (guint i = 0; i < rows->len; i++)
    if (tsu_record_get_string (g_ptr_array_index (rows, i), "skill"))
      g_strv_builder_add (b, tsu_record_get_string (g_ptr_array_index (rows, i), "skill"));
  return g_strv_builder_end (b);
}
