/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-counter.h"
#include "tsu-centre.h"
#include "tsu-counter-collections.h"
#include "tsu-date.h"
#include "tsu-equipment.h"
#include "tsu-record.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

// clang-format off
G_DEFINE_QUARK (tsu-counter-error-quark, tsu_counter_error)
// clang-format on

GStrv
tsu_consultation_topics_offered (TsuStore *store)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) own = tsu_centre_get_strings (store, TSU_CENTRE_CONSULTATION_TOPICS);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; tsu_consultation_topics[i].code; i++)
    if (g_hash_table_add (seen, (gpointer)tsu_consultation_topics[i].code))
      g_strv_builder_add (b, tsu_consultation_topics[i].code);
  for (guint i = 0; own && own[i]; i++)
    if (*own[i] && g_hash_table_add (seen, own[i]))
      g_strv_builder_add (b, own[i]);
  return g_strv_builder_end (b);
}

/* ---- consultations ---- */

static gboolean
copy_fields (JsonObject *to, JsonObject *from)
{
  GList *names = json_object_get_members (from);

  for (GList *l = names; l; l = l->next)
    json_object_set_member (to, l->data, json_node_copy (json_object_get_member (from, l->data)));
  g_list_free (names);
  return TRUE;
}

char *
tsu_consultation_log (TsuStore *store, JsonObject *fields, const char *now, GError **error)
{
  g_autoptr (JsonObject) row = json_object_new ();

  copy_fields (row, fields);
  if (tsu_record_get_string (row, "at") == NULL && now != NULL)
    json_object_set_string_member (row, "at", now);
  if (tsu_record_get_string (row, "asker_kind") == NULL)
    {
      if (tsu_record_get_string (row, "group_id"))
        json_object_set_string_member (row, "asker_kind", "group");
      else if (tsu_record_get_string (row, "volunteer_id"))
        json_object_set_string_member (row, "asker_kind", "volunteer");
    }
  if (tsu_record_get_string (row, "follow_up") == NULL)
    json_object_set_string_member (
        row, "follow_up", tsu_record_get_string (row, "follow_up_on") ? "pending" : "none");
  return tsu_store_insert (store, "consultations", row, error);
}

/* The columns the lists show (not every field: building a whole record
 * per row was most of a list's time), with the group's name. */
static const char *const list_columns[] = {
  "id",          "at",           "channel",   "asker_kind", "group_id", "volunteer_id",
  "asker_name",  "topics",       "question",  "answer",     "minutes",  "staff",
  "referred_to", "follow_up_on", "follow_up", NULL,
};

typedef struct
{
  const char        *where;
  const char *const *params;
  const char        *order;
  guint              limit;
  GPtrArray         *rows;
} ListRead;

static gboolean
list_read (sqlite3 *db, gpointer data, GError **error)
{
  ListRead     *l = data;
  sqlite3_stmt *stmt = NULL;
  g_autoptr (GString) sql = g_string_new ("SELECT ");
  guint n = g_strv_length ((char **)list_columns);
  int   rc;

  for (guint i = 0; i < n; i++)
    g_string_append_printf (sql, "%s\"%s\"", i ? ", " : "", list_columns[i]);
  g_string_append_printf (sql,
                          ", (SELECT g.name FROM groups g WHERE g.id = consultations.group_id)"
                          " FROM consultations WHERE deleted = 0 AND (%s) ORDER BY %s",
                          l->where, l->order);
  if (l->limit)
    g_string_append_printf (sql, " LIMIT %u", l->limit);
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "consultations");
      return FALSE;
    }
  for (guint i = 0; l->params && l->params[i]; i++)
    sqlite3_bind_text (stmt, i + 1, l->params[i], -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *row = json_object_new ();

      for (guint i = 0; i <= n; i++)
        {
          const char *text = (const char *)sqlite3_column_text (stmt, i);
          const char *name = i < n ? list_columns[i] : "group_name";

          if (text == NULL)
            continue;
          if (g_str_equal (name, "minutes"))
            json_object_set_int_member (row, name, sqlite3_column_int64 (stmt, i));
          else if (g_str_equal (name, "topics"))
            {
              JsonNode *list = json_from_string (text, NULL);

              if (list && JSON_NODE_HOLDS_ARRAY (list))
                json_object_set_member (row, name, list);
              else if (list)
                json_node_unref (list);
            }
          else
            json_object_set_string_member (row, name, text);
        }
      g_ptr_array_add (l->rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "consultations");
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
find_consultations (TsuStore          *store,
                    const char        *where,
                    const char *const *params,
                    const char        *order,
                    guint              limit,
                    GError           **error)
{
  ListRead l = { where, params, order, limit,
                 g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref) };

  if (!tsu_store_read (store, list_read, &l, error))
    g_clear_pointer (&l.rows, g_ptr_array_unref);
  return l.rows;
}

GPtrArray *
tsu_consultations_between (
    TsuStore *store, const char *from, const char *to, guint limit, GError **error)
{
  const char *params[] = { from, to, NULL };

  return find_consultations (store, "at >= ? AND at < ?", params, "at DESC, rowid DESC", limit,
                             error);
}

GPtrArray *
tsu_consultations_due (TsuStore *store, const char *today, GError **error)
{
  const char *params[] = { today, NULL };

  return find_consultations (store, "follow_up = 'pending' AND follow_up_on <= ?", params,
                             "follow_up_on, at", 0, error);
}

GPtrArray *
tsu_consultations_of (
    TsuStore *store, const char *field, const char *id, guint limit, GError **error)
{
  static const char *const allowed[]
      = { "group_id", "volunteer_id", "booking_id", "programme_id", NULL };
  g_autofree char *where = NULL;
  const char      *params[] = { id, NULL };

  g_return_val_if_fail (g_strv_contains (allowed, field), NULL);
  where = g_strdup_printf ("%s = ?", field);
  return find_consultations (store, where, params, "at DESC, rowid DESC", limit, error);
}

/* ---- figures ---- */

typedef struct
{
  const char *from;
  const char *to;
  JsonObject *out;
  GPtrArray  *rows;
} Range;

static gboolean
count_into (sqlite3 *db, const char *sql, Range *r, const char *member, GError **error)
{
  g_autoptr (JsonObject) counts = json_object_new ();
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "consultation figures");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, r->from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, r->to, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *key = (const char *)sqlite3_column_text (stmt, 0);
      gint64      n = sqlite3_column_int64 (stmt, 1);

      if (member == NULL)
        {
          json_object_set_int_member (r->out, "total", n);
          json_object_set_int_member (r->out, "minutes", sqlite3_column_int64 (stmt, 2));
        }
      else
        json_object_set_int_member (counts, key ? key : "", n);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "consultation figures");
      return FALSE;
    }
  if (member)
    json_object_set_object_member (r->out, member, g_steal_pointer (&counts));
  return TRUE;
}

#define LIVE_IN_RANGE " FROM consultations c WHERE c.deleted = 0 AND c.at >= ?1 AND c.at < ?2"

static gboolean
stats_read (sqlite3 *db, gpointer data, GError **error)
{
  Range *r = data;

  /* 年度 runs from April: months 01–03 belong to the year before. */
  return count_into (db, "SELECT NULL, count(*), coalesce(sum(c.minutes), 0)" LIVE_IN_RANGE, r,
                     NULL, error)
         && count_into (db,
                        "SELECT t.value, count(*) FROM consultations c, json_each(c.topics) t"
                        " WHERE c.deleted = 0 AND c.at >= ?1 AND c.at < ?2 AND c.topics IS NOT"
                        " NULL AND json_valid(c.topics) GROUP BY t.value",
                        r, "by_topic", error)
         && count_into (db, "SELECT c.channel, count(*)" LIVE_IN_RANGE " GROUP BY c.channel", r,
                        "by_channel", error)
         && count_into (
             db, "SELECT substr(c.at, 1, 7), count(*)" LIVE_IN_RANGE " GROUP BY substr(c.at, 1, 7)",
             r, "by_month", error)
         && count_into (db,
                        "SELECT CAST(substr(c.at, 1, 4) AS INTEGER)"
                        " - (substr(c.at, 6, 2) < '04'), count(*)" LIVE_IN_RANGE " GROUP BY 1",
                        r, "by_fiscal_year", error);
}

static void
range_of (const GDate *from, const GDate *to, char **a, char **b)
{
  GDate after = *to;

  g_date_add_days (&after, 1);
  *a = tsu_date_to_iso (from);
  *b = tsu_date_to_iso (&after);
}

JsonObject *
tsu_consultation_stats (TsuStore *store, const GDate *from, const GDate *to, GError **error)
{
  g_autofree char *a = NULL, *b = NULL;
  g_autoptr (JsonObject) out = json_object_new ();
  Range r;

  range_of (from, to, &a, &b);
  r = (Range){ a, b, out, NULL };
  if (!tsu_store_read (store, stats_read, &r, error))
    return NULL;
  return g_steal_pointer (&out);
}

static const char *
choice_name (const TsuChoice *choices, const char *code)
{
  for (guint i = 0; code && choices[i].code; i++)
    if (g_str_equal (choices[i].code, code))
      return choices[i].name;
  return code ? code : "";
}

static char *
column_dup (sqlite3_stmt *stmt, int col)
{
  const char *s = (const char *)sqlite3_column_text (stmt, col);

  return g_strdup (s ? s : "");
}

static gboolean
report_read (sqlite3 *db, gpointer data, GError **error)
{
  Range        *r = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT c.at, c.channel, c.asker_kind, g.registration_number,"
                          " c.topics, c.question, c.answer, c.minutes, c.staff, c.referred_to,"
                          " c.follow_up FROM consultations c"
                          " LEFT JOIN groups g ON g.id = c.group_id"
                          " WHERE c.deleted = 0 AND c.at >= ?1 AND c.at < ?2"
                          " ORDER BY c.at, c.rowid",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, r->from, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, r->to, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GStrv       row = g_new0 (char *, 12);
      const char *at = (const char *)sqlite3_column_text (stmt, 0);
      const char *topics = (const char *)sqlite3_column_text (stmt, 4);
      g_autoptr (JsonNode) list = topics ? json_from_string (topics, NULL) : NULL;
      g_autoptr (GString) joined = g_string_new (NULL);

      row[0] = at && strlen (at) >= 16 ? g_strdup_printf ("%.10s %.5s", at, at + 11)
                                       : g_strdup (at ? at : "");
      row[1] = g_strdup (
          choice_name (tsu_consultation_channels, (const char *)sqlite3_column_text (stmt, 1)));
      row[2]
          = g_strdup (choice_name (tsu_asker_kinds, (const char *)sqlite3_column_text (stmt, 2)));
      row[3] = column_dup (stmt, 3);
      if (list && JSON_NODE_HOLDS_ARRAY (list))
        {
          JsonArray *arr = json_node_get_array (list);

          /* Topics are joined with 、 as a person writes them. */
          for (guint i = 0; i < json_array_get_length (arr); i++)
            {
              const char *t = json_array_get_string_element (arr, i);

              if (t)
                g_string_append_printf (joined, "%s%s", joined->len ? "、" : "", t);
            }
        }
      row[4] = g_strdup (joined->str);
      row[5] = column_dup (stmt, 5);
      row[6] = column_dup (stmt, 6);
      row[7] = sqlite3_column_type (stmt, 7) == SQLITE_NULL
                   ? g_strdup ("")
                   : g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 7));
      row[8] = column_dup (stmt, 8);
      row[9] = column_dup (stmt, 9);
      row[10] = g_strdup (
          choice_name (tsu_follow_up_states, (const char *)sqlite3_column_text (stmt, 10)));
      g_ptr_array_add (r->rows, row);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "report");
      return FALSE;
    }
  return TRUE;
}

GBytes *
tsu_consultation_report (TsuStore      *store,
                         const GDate   *from,
                         const GDate   *to,
                         TsuCsvEncoding encoding,
                         GPtrArray     *unencodable,
                         GError       **error)
{
  static const char *header[] = { "日時", "方法",   "相談者区分", "団体登録番号", "分野", "内容",
                                  "対応", "所要分", "担当",       "紹介先",       "状態", NULL };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autofree char *a = NULL, *b = NULL;
  Range            r;

  range_of (from, to, &a, &b);
  r = (Range){ a, b, NULL, rows };
  g_ptr_array_add (rows, g_strdupv ((char **)header));
  if (!tsu_store_read (store, report_read, &r, error))
    return NULL;
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}

/* ---- events ---- */

typedef struct
{
  const char  *id;
  JsonObject  *fields;
  const GDate *today;
  const char  *now;
  char        *new_id;
  char        *promoted;
  gboolean     waiting;
} Action;

static char *
book_room (
    TsuStore *store, const char *event_id, JsonObject *event, const GDate *today, GError **error)
{
  g_autoptr (JsonObject) b = json_object_new ();
  const char      *start = tsu_record_get_string (event, "start_at");
  const char      *end = tsu_record_get_string (event, "end_at");
  g_autofree char *until = end ? NULL : tsu_datetime_add_minutes (start, 120);
  gint64           capacity;

  json_object_set_string_member (b, "resource_id", tsu_record_get_string (event, "room_id"));
  json_object_set_string_member (b, "event_id", event_id);
  json_object_set_string_member (b, "start_at", start);
  json_object_set_string_member (b, "due_at", end ? end : until);
  json_object_set_string_member (b, "purpose", tsu_record_get_string (event, "title"));
  if (tsu_record_get_int (event, "capacity", &capacity) && capacity > 0)
    json_object_set_int_member (b, "attendees", capacity);
  return tsu_booking_book (store, b, today, error);
}

static gboolean
create_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) row = json_object_new ();
  g_autofree char *booking = NULL;

  copy_fields (row, a->fields);
  json_object_remove_member (row, "booking_id");
  a->new_id = tsu_store_insert (store, "events", row, error);
  if (a->new_id == NULL)
    return FALSE;
  if (tsu_record_get_string (row, "room_id") == NULL)
    return TRUE;
  booking = book_room (store, a->new_id, row, a->today, error);
  if (booking == NULL)
    return FALSE;
  {
    g_autoptr (JsonObject) change = json_object_new ();

    json_object_set_string_member (change, "booking_id", booking);
    return tsu_store_update (store, "events", a->new_id, change, error);
  }
}

char *
tsu_event_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error)
{
  Action a = { .fields = fields, .today = today };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, create_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  return a.new_id;
}

static gboolean
booking_live (JsonObject *b)
{
  const char *state = tsu_record_get_string (b, "state");

  return b && !json_object_get_boolean_member_with_default (b, "deleted", FALSE)
         && (g_strcmp0 (state, "reserved") == 0 || g_strcmp0 (state, "lent") == 0);
}

static gboolean
update_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) old = tsu_store_get (store, "events", a->id, error);
  g_autoptr (JsonObject) now = NULL;
  g_autoptr (JsonObject) booking = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  const char *booking_id;

  if (old == NULL)
    return FALSE;
  copy_fields (change, a->fields);
  json_object_remove_member (change, "booking_id");
  if (!tsu_store_update (store, "events", a->id, change, error))
    return FALSE;
  now = tsu_store_get (store, "events", a->id, error);
  if (now == NULL)
    return FALSE;
  booking_id = tsu_record_get_string (now, "booking_id");
  if (booking_id)
    booking = tsu_store_get (store, "bookings", booking_id, NULL);
  if (!booking_live (booking))
    g_clear_pointer (&booking, json_object_unref);

  if (booking
      && g_strcmp0 (tsu_record_get_string (booking, "resource_id"),
                    tsu_record_get_string (now, "room_id"))
             == 0)
    {
      /* Same room: the booking follows the new times (its rule checks the clash). */
      g_autoptr (JsonObject) move = json_object_new ();
      const char      *end = tsu_record_get_string (now, "end_at");
      g_autofree char *until
          = end ? g_strdup (end)
                : tsu_datetime_add_minutes (tsu_record_get_string (now, "start_at"), 120);

      json_object_set_string_member (move, "start_at", tsu_record_get_string (now, "start_at"));
      json_object_set_string_member (move, "due_at", until);
      json_object_set_string_member (move, "purpose", tsu_record_get_string (now, "title"));
      return tsu_store_update (store, "bookings", booking_id, move, error);
    }
  /* Another room, or none: the old booking is cancelled, a new one made. */
  if (booking && !tsu_booking_cancel (store, booking_id, error))
    return FALSE;
  {
    g_autoptr (JsonObject) link = json_object_new ();
    g_autofree char *new_booking = NULL;

    if (tsu_record_get_string (now, "room_id"))
      {
        new_booking = book_room (store, a->id, now, a->today, error);
        if (new_booking == NULL)
          return FALSE;
        json_object_set_string_member (link, "booking_id", new_booking);
      }
    else if (booking_id == NULL)
      return TRUE;
    else
      json_object_set_null_member (link, "booking_id");
    return tsu_store_update (store, "events", a->id, link, error);
  }
}

gboolean
tsu_event_update (
    TsuStore *store, const char *id, JsonObject *change, const GDate *today, GError **error)
{
  Action a = { .id = id, .fields = change, .today = today };

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, update_txn, &a, error);
}

static gboolean
remove_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) event = tsu_store_get (store, "events", a->id, error);
  g_autoptr (JsonObject) booking = NULL;
  const char *booking_id;

  if (event == NULL)
    return FALSE;
  booking_id = tsu_record_get_string (event, "booking_id");
  if (booking_id)
    booking = tsu_store_get (store, "bookings", booking_id, NULL);
  if (booking_live (booking) && !tsu_booking_cancel (store, booking_id, error))
    return FALSE;
  return tsu_store_delete (store, "events", a->id, error);
}

gboolean
tsu_event_remove (TsuStore *store, const char *id, GError **error)
{
  Action a = { .id = id };

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, remove_txn, &a, error);
}

/* ---- registrations ---- */

static GPtrArray *
registrations (TsuStore *store, const char *event_id, const char *state, GError **error)
{
  const char *params[] = { event_id, state, NULL };

  return tsu_store_find (store, "registrations", "event_id = ? AND state = ?", params,
                         "registered_at, rowid", 0, error);
}

static gboolean
register_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) event = tsu_store_get (store, "events", a->id, error);
  g_autoptr (JsonObject) row = json_object_new ();
  g_autoptr (GPtrArray) taken = NULL;
  gint64 capacity = 0;

  if (event == NULL)
    return FALSE;
  if (json_object_get_boolean_member_with_default (event, "deleted", FALSE))
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                           _ ("The event has been removed."));
      return FALSE;
    }
  taken = registrations (store, a->id, "registered", error);
  if (taken == NULL)
    return FALSE;
  copy_fields (row, a->fields);
  json_object_set_string_member (row, "event_id", a->id);
  if (tsu_record_get_string (row, "registered_at") == NULL && a->now)
    json_object_set_string_member (row, "registered_at", a->now);
  a->waiting = tsu_record_get_int (event, "capacity", &capacity) && capacity > 0
               && (gint64)taken->len >= capacity;
  json_object_set_string_member (row, "state", a->waiting ? "waiting" : "registered");
  if (tsu_record_get_string (row, "attendance") == NULL)
    json_object_set_string_member (row, "attendance", "unknown");
  a->new_id = tsu_store_insert (store, "registrations", row, error);
  return a->new_id != NULL;
}

char *
tsu_event_register (TsuStore   *store,
                    const char *event_id,
                    JsonObject *person,
                    const char *now,
                    gboolean   *waiting,
                    GError    **error)
{
  Action a = { .id = event_id, .fields = person, .now = now };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, register_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  if (waiting)
    *waiting = a.new_id && a.waiting;
  return a.new_id;
}

static gboolean
set_state (TsuStore *store, const char *id, const char *state, GError **error)
{
  g_autoptr (JsonObject) change = json_object_new ();

  json_object_set_string_member (change, "state", state);
  return tsu_store_update (store, "registrations", id, change, error);
}

static gboolean
cancel_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) reg = tsu_store_get (store, "registrations", a->id, error);
  g_autoptr (GPtrArray) waiting = NULL;
  const char *event_id;

  if (reg == NULL)
    return FALSE;
  if (g_strcmp0 (tsu_record_get_string (reg, "state"), "cancelled") == 0)
    {
      g_set_error_literal (error, TSU_COUNTER_ERROR, TSU_COUNTER_ERROR_STATE,
                           _ ("The registration is already cancelled."));
      return FALSE;
    }
  event_id = tsu_record_get_string (reg, "event_id");
  if (!set_state (store, a->id, "cancelled", error))
    return FALSE;
  if (g_strcmp0 (tsu_record_get_string (reg, "state"), "registered") != 0)
    return TRUE;
  /* A freed seat goes to the first who waited. */
  waiting = registrations (store, event_id, "waiting", error);
  if (waiting == NULL)
    return FALSE;
  if (waiting->len == 0)
    return TRUE;
  a->promoted = g_strdup (tsu_record_get_string (g_ptr_array_index (waiting, 0), "id"));
  return set_state (store, a->promoted, "registered", error);
}

gboolean
tsu_registration_cancel (TsuStore *store, const char *id, char **promoted_id, GError **error)
{
  Action   a = { .id = id };
  gboolean ok = tsu_store_transaction (store, TSU_ORIGIN_LOCAL, cancel_txn, &a, error);

  if (ok && promoted_id)
    *promoted_id = g_steal_pointer (&a.promoted);
  g_free (a.promoted);
  return ok;
}

gboolean
tsu_registration_set_attendance (TsuStore   *store,
                                 const char *id,
                                 const char *attendance,
                                 GError    **error)
{
  g_autoptr (JsonObject) change = json_object_new ();

  json_object_set_string_member (change, "attendance", attendance);
  return tsu_store_update (store, "registrations", id, change, error);
}

GPtrArray *
tsu_event_registrations (TsuStore *store, const char *event_id, GError **error)
{
  const char *params[] = { event_id, NULL };

  return tsu_store_find (store, "registrations", "event_id = ? AND state != 'cancelled'", params,
                         "state = 'waiting', registered_at, rowid", 0, error);
}

GPtrArray *
tsu_events_attended (TsuStore *store, const char *field, const char *id, GError **error)
{
  g_autofree char *where = NULL;
  const char      *params[] = { id, NULL };

  g_return_val_if_fail (
      g_strcmp0 (field, "group_id") == 0 || g_strcmp0 (field, "volunteer_id") == 0, NULL);
  where = g_strdup_printf ("id IN (SELECT r.event_id FROM registrations r WHERE r.deleted = 0"
                           " AND r.attendance = 'present' AND r.%s = ?)",
                           field);
  return tsu_store_find (store, "events", where, params, "start_at DESC", 0, error);
}

/* ---- the counter's "who" ---- */

static void
add_askers (TsuStore   *store,
            const char *table,
            const char *text,
            guint       limit,
            GPtrArray  *out,
            GError    **error)
{
  g_autoptr (GPtrArray) params = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *where = tsu_search_condition (table, text, params);
  g_autoptr (GPtrArray) rows = NULL;

  if (where == NULL)
    return;
  g_ptr_array_add (params, NULL);
  rows = tsu_store_find (store, table, where, (const char *const *)params->pdata, "sort_key", limit,
                         error);
  for (guint i = 0; rows && i < rows->len; i++)
    {
      JsonObject      *r = g_ptr_array_index (rows, i);
      JsonObject      *a = json_object_new ();
      gboolean         group = g_str_equal (table, "groups");
      const char      *number = tsu_record_get_string (r, "registration_number");
      g_autofree char *name = NULL, *kana = NULL, *detail = NULL;

      if (group)
        {
          name = g_strdup (tsu_record_get_string (r, "name"));
          kana = g_strdup (tsu_record_get_string (r, "name_kana"));
        }
      else
        {
          name = g_strdup_printf ("%s %s", tsu_record_get_string (r, "family_name") ?: "",
                                  tsu_record_get_string (r, "given_name") ?: "");
          kana = g_strdup_printf ("%s %s", tsu_record_get_string (r, "family_kana") ?: "",
                                  tsu_record_get_string (r, "given_kana") ?: "");
          g_strstrip (name);
          g_strstrip (kana);
        }
      detail = g_strjoin ("　", number ? number : "", kana ? kana : "", NULL);
      g_strstrip (detail);
      json_object_set_string_member (a, "kind", group ? "group" : "volunteer");
      json_object_set_string_member (a, "id", tsu_record_get_string (r, "id"));
      json_object_set_string_member (a, "name", name ? name : "");
      json_object_set_string_member (a, "detail", detail);
      g_ptr_array_add (out, a);
    }
}

GPtrArray *
tsu_counter_find_askers (TsuStore *store, const char *text, guint limit, GError **error)
{
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  GError *local = NULL;

  add_askers (store, "groups", text, limit, out, &local);
  if (local == NULL)
    add_askers (store, "volunteers", text, limit, out, &local);
  if (local)
    {
      g_propagate_error (error, local);
      return NULL;
    }
  return g_steal_pointer (&out);
}

/* ---- connections ---- */

GPtrArray *
tsu_connections_of (TsuStore *store, const char *group_id, GError **error)
{
  const char *params[] = { group_id, group_id, NULL };
  g_autoptr (GPtrArray) rows
      = tsu_store_find (store, "connections", "group_id = ? OR partner_group_id = ?", params,
                        "introduced_on DESC, rowid DESC", 0, error);

  for (guint i = 0; rows && i < rows->len; i++)
    {
      JsonObject *c = g_ptr_array_index (rows, i);
      const char *other = NULL;

      /* The other side: the partner, or the group that was introduced. */
      if (g_strcmp0 (tsu_record_get_string (c, "group_id"), group_id) != 0)
        other = tsu_record_get_string (c, "group_id");
      else if (g_strcmp0 (tsu_record_get_string (c, "partner_kind"), "group") == 0)
        other = tsu_record_get_string (c, "partner_group_id");
      if (other)
        {
          g_autoptr (JsonObject) g = tsu_store_get (store, "groups", other, NULL);

          json_object_set_string_member (c, "partner",
                                         g ? tsu_record_get_string (g, "name") ?: "" : "");
          json_object_set_string_member (c, "partner_id", other);
        }
      else
        json_object_set_string_member (c, "partner",
                                       tsu_record_get_string (c, "partner_name") ?: "");
    }
  return g_steal_pointer (&rows);
}
