/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-equipment.h"
#include "tsu-centre.h"
#include "tsu-date.h"
#include "tsu-holidays.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-equipment-error-quark, tsu_equipment_error)
// clang-format on

/* ---- times ---- */

static GDateTime *
parse (const char *iso)
{
  int y, mo, d, h, mi;

  if (iso == NULL || strlen (iso) != 16
      || sscanf (iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5)
    return NULL;
  /* Japan's wall-clock time as it is written: no zone arithmetic needed. */
  return g_date_time_new_utc (y, mo, d, h, mi, 0);
}

static char *
format (GDateTime *t)
{
  return g_date_time_format (t, "%Y-%m-%dT%H:%M");
}

/**
 * tsu_datetime_add_minutes:
 *
 * Returns: (transfer full) (nullable): @iso moved by @minutes, or %NULL
 */
char *
tsu_datetime_add_minutes (const char *iso, gint64 minutes)
{
  g_autoptr (GDateTime) t = parse (iso);
  g_autoptr (GDateTime) moved = NULL;

  if (t == NULL)
    return NULL;
  moved = g_date_time_add_minutes (t, (int)minutes);
  return format (moved);
}

static gboolean
date_of (const char *iso, GDate *out)
{
  g_autofree char *day = iso ? g_strndup (iso, 10) : NULL;

  return tsu_date_from_iso (day, out);
}

/**
 * tsu_datetime_span_text:
 *
 * Returns: (transfer full): "2026年12月5日 10:00〜12月6日 17:00"
 */
char *
tsu_datetime_span_text (const char *start, const char *end)
{
  GDate            a, b;
  g_autofree char *day_a = NULL;

  if (!date_of (start, &a) || !date_of (end, &b))
    return g_strdup_printf ("%s〜%s", start ? start : "", end ? end : "");
  day_a = tsu_date_format_plain (&a, TSU_DATE_STYLE_SEIREKI);
  if (g_date_compare (&a, &b) == 0)
    return g_strdup_printf ("%s %s〜%s", day_a, start + 11, end + 11);
  return g_strdup_printf ("%s %s〜%d月%d日 %s", day_a, start + 11, g_date_get_month (&b),
                          g_date_get_day (&b), end + 11);
}

/* ---- the centre's days ---- */

void
tsu_centre_closed_days (TsuStore *store, guint *weekdays, GArray **closures)
{
  g_autoptr (JsonNode) w = tsu_centre_get (store, TSU_CENTRE_CLOSED_WEEKDAYS);
  g_autoptr (JsonNode) c = tsu_centre_get (store, TSU_CENTRE_CLOSURES);

  *weekdays = 0;
  *closures = g_array_new (FALSE, FALSE, sizeof (GDate));
  if (w && JSON_NODE_HOLDS_ARRAY (w))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (w)); i++)
      {
        gint64 d = json_array_get_int_element (json_node_get_array (w), i);
        if (d >= G_DATE_MONDAY && d <= G_DATE_SUNDAY)
          *weekdays |= 1u << d;
      }
  if (c && JSON_NODE_HOLDS_ARRAY (c))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (c)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (c), i);
        GDate     first, last;

        /* A day, or [first, last]. */
        if (JSON_NODE_HOLDS_VALUE (e))
          {
            if (tsu_date_from_iso (json_node_get_string (e), &first))
              g_array_append_val (*closures, first);
            continue;
          }
        if (!JSON_NODE_HOLDS_ARRAY (e) || json_array_get_length (json_node_get_array (e)) != 2
            || !tsu_date_from_iso (json_array_get_string_element (json_node_get_array (e), 0),
                                   &first)
            || !tsu_date_from_iso (json_array_get_string_element (json_node_get_array (e), 1),
                                   &last))
          continue;
        for (guint n = 0; g_date_compare (&first, &last) <= 0 && n < 400; n++)
          {
            g_array_append_val (*closures, first);
            g_date_add_days (&first, 1);
          }
      }
}

gboolean
tsu_centre_is_closed (TsuStore *store, const GDate *day)
{
  guint weekdays;
  g_autoptr (GArray) closures = NULL;
  GDate next;

  tsu_centre_closed_days (store, &weekdays, &closures);
  tsu_next_open_day (day, weekdays, (const GDate *)closures->data, closures->len, &next);
  return !g_date_valid (&next) || g_date_compare (&next, day) != 0;
}

/**
 * tsu_booking_propose_due:
 *
 * Returns: (transfer full) (nullable): the due time, or %NULL for a bad @start
 */
char *
tsu_booking_propose_due (TsuStore *store, JsonObject *resource, const char *start)
{
  g_autoptr (GDateTime) t = parse (start);
  gint64 days = 7;
  GDate  due, open;
  guint  weekdays;
  g_autoptr (GArray) closures = NULL;

  if (t == NULL)
    return NULL;
  if (tsu_record_get_bool (resource, "onsite_only"))
    days = 0;
  else
    tsu_record_get_int (resource, "max_loan_days", &days);
  date_of (start, &due);
  g_date_add_days (&due, (guint)CLAMP (days, 0, 365));
  tsu_centre_closed_days (store, &weekdays, &closures);
  tsu_next_open_day (&due, weekdays, (const GDate *)closures->data, closures->len, &open);
  if (!g_date_valid (&open))
    open = due;
  {
    g_autofree char *iso = tsu_date_to_iso (&open);
    const char      *close = tsu_record_get_string (resource, "close_time");

    /* Back by the same time of day (the centre's closing time for rooms). */
    return g_strdup_printf ("%sT%s", iso, close && days == 0 ? close : start + 11);
  }
}

/* ---- fees ---- */

static gint64
part_minutes_overlap (GDateTime *s, GDateTime *e, GDateTime *ps, GDateTime *pe)
{
  GDateTime *a = g_date_time_compare (s, ps) > 0 ? s : ps;
  GDateTime *b = g_date_time_compare (e, pe) < 0 ? e : pe;

  return g_date_time_compare (a, b) < 0 ? g_date_time_difference (b, a) / G_TIME_SPAN_MINUTE : 0;
}

/**
 * tsu_booking_fee:
 * @booking: with start_at, and returned_at or due_at; the counters for a printer
 *
 * Returns: the fee in yen
 */
gint64
tsu_booking_fee (JsonObject *resource, JsonObject *booking)
{
  const char *kind = tsu_record_get_string (resource, "fee_kind");
  const char *end_iso = tsu_record_get_string (booking, "returned_at");
  g_autoptr (GDateTime) s = parse (tsu_record_get_string (booking, "start_at"));
  g_autoptr (GDateTime) e = NULL;
  gint64 fee = 0, total = 0, quantity = 1;

  if (end_iso == NULL)
    end_iso = tsu_record_get_string (booking, "due_at");
  e = parse (end_iso);
  tsu_record_get_int (resource, "fee", &fee);
  tsu_record_get_int (booking, "quantity", &quantity);
  if (s != NULL && e != NULL && g_date_time_compare (e, s) > 0 && fee > 0)
    {
      gint64 minutes = g_date_time_difference (e, s) / G_TIME_SPAN_MINUTE;
      GDate  a, b;
      gint64 days;

      date_of (tsu_record_get_string (booking, "start_at"), &a);
      date_of (end_iso, &b);
      days = g_date_days_between (&a, &b);
      if (g_strcmp0 (kind, "per_3h") == 0)
        total = (minutes + 179) / 180 * fee;
      else if (g_strcmp0 (kind, "per_night") == 0)
        total = MAX (1, days) * fee;
      else if (g_strcmp0 (kind, "per_day") == 0)
        total = (days + 1) * fee;
      else if (g_strcmp0 (kind, "per_slot") == 0)
        {
          /* 午前 9–12, 午後 13–17, 夜間 18–21, on each day touched. */
          static const int parts[3][2] = { { 9, 12 }, { 13, 17 }, { 18, 21 } };
          GDate            day = a;

          for (gint64 n = 0; n <= days; n++, g_date_add_days (&day, 1))
            for (guint p = 0; p < 3; p++)
              {
                g_autoptr (GDateTime) ps
                    = g_date_time_new_utc (g_date_get_year (&day), g_date_get_month (&day),
                                           g_date_get_day (&day), parts[p][0], 0, 0);
                g_autoptr (GDateTime) pe
                    = g_date_time_new_utc (g_date_get_year (&day), g_date_get_month (&day),
                                           g_date_get_day (&day), parts[p][1], 0, 0);
                if (part_minutes_overlap (s, e, ps, pe) > 0)
                  total += fee;
              }
        }
      total *= MAX (1, quantity);
    }
  if (tsu_record_get_bool (resource, "is_printer"))
    {
      gint64 mo, mi, po, pi, mf = 0, pf = 0;

      tsu_record_get_int (resource, "master_fee", &mf);
      tsu_record_get_int (resource, "print_fee", &pf);
      if (tsu_record_get_int (booking, "masters_out", &mo)
          && tsu_record_get_int (booking, "masters_in", &mi) && mi >= mo)
        total += (mi - mo) * mf;
      if (tsu_record_get_int (booking, "prints_out", &po)
          && tsu_record_get_int (booking, "prints_in", &pi) && pi >= po)
        total += (pi - po) * pf;
    }
  return total;
}

/* ---- actions ---- */

static char *
next_number (sqlite3 *db, const char *prefix, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  gint64        max = 0;

  if (sqlite3_prepare_v2 (db,
                          "SELECT max(CAST(substr(number, length(?1) + 1) AS INTEGER)) FROM"
                          " bookings WHERE number >= ?1 AND number < ?1 || ':'",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "booking number");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return g_strdup_printf ("%s%04" G_GINT64_FORMAT, prefix, max + 1);
}

static gboolean
resource_usable (JsonObject *resource, GError **error)
{
  const char *status = tsu_record_get_string (resource, "status");

  if (json_object_get_boolean_member_with_default (resource, "deleted", FALSE)
      || (status != NULL && !g_str_equal (status, "available")))
    {
      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_UNAVAILABLE,
                   g_strcmp0 (status, "repair") == 0 ? _ ("“%s” is under repair.")
                                                     : _ ("“%s” cannot be lent any more."),
                   tsu_record_get_string (resource, "name"));
      return FALSE;
    }
  return TRUE;
}

typedef struct
{
  JsonObject  *fields;
  const GDate *today;
  const char  *id;
  const char  *now;
  gint64       fee;
  char        *new_id;
} Action;

static gboolean
book_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (JsonObject) resource = NULL;
  GList      *names = json_object_get_members (a->fields);
  const char *start;
  GDate       start_day, horizon;

  for (GList *l = names; l; l = l->next)
    json_object_set_member (fields, l->data,
                            json_node_copy (json_object_get_member (a->fields, l->data)));
  g_list_free (names);
  resource
      = tsu_store_get (store, "resources", tsu_record_get_string (fields, "resource_id"), error);
  if (resource == NULL || !resource_usable (resource, error))
    return FALSE;
  start = tsu_record_get_string (fields, "start_at");
  if (!date_of (start, &start_day))
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                           _ ("Give the booking a start date and time."));
      return FALSE;
    }
  horizon = *a->today;
  g_date_add_days (
      &horizon, (guint)CLAMP (tsu_centre_get_int (store, TSU_CENTRE_BOOKING_HORIZON, 90), 0, 3650));
  /* The horizon and the open days bind the groups; the centre books its
   * own rooms for its events as far ahead and on whatever day it holds them. */
  if (tsu_record_get_string (fields, "event_id") != NULL)
    ;
  else if (g_date_compare (&start_day, &horizon) > 0)
    {
      g_autofree char *until = tsu_date_format_plain (&horizon, TSU_DATE_STYLE_SEIREKI);

      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON,
                   _ ("Bookings are open until %s for now."), until);
      return FALSE;
    }
  else if (tsu_centre_is_closed (store, &start_day))
    {
      g_autofree char *day = tsu_date_format (&start_day, TSU_DATE_STYLE_SEIREKI);

      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON,
                   _ ("The centre is closed on %s."), day);
      return FALSE;
    }
  if (tsu_record_get_string (fields, "due_at") == NULL)
    {
      g_autofree char *due = tsu_booking_propose_due (store, resource, start);
      json_object_set_string_member (fields, "due_at", due);
    }
  if (tsu_record_get_string (fields, "number") == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("B%d-", tsu_fiscal_year (a->today));
      g_autofree char *n = next_number (tsu_store_get_db (store), prefix, error);

      if (n == NULL)
        return FALSE;
      json_object_set_string_member (fields, "number", n);
    }
  if (!json_object_has_member (fields, "quantity"))
    json_object_set_int_member (fields, "quantity", 1);
  json_object_set_string_member (fields, "state", "reserved");
  a->new_id = tsu_store_insert (store, "bookings", fields, error);
  return a->new_id != NULL;
}

char *
tsu_booking_book (TsuStore *store, JsonObject *fields, const GDate *today, GError **error)
{
  Action a = { .fields = fields, .today = today };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, book_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  return a.new_id;
}

static gboolean
state_is (JsonObject *b, const char *state, GError **error)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (tsu_collection_lookup ("bookings"), "state");

  if (g_strcmp0 (tsu_record_get_string (b, "state"), state) == 0)
    return TRUE;
  g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE,
               _ ("The booking is “%s”, not “%s”."),
               tsu_field_choice_label (f, tsu_record_get_string (b, "state")),
               tsu_field_choice_label (f, state));
  return FALSE;
}

static void
copy_members (JsonObject *to, JsonObject *from, const char *const *names)
{
  for (guint i = 0; from && names[i]; i++)
    if (json_object_has_member (from, names[i]))
      json_object_set_member (to, names[i],
                              json_node_copy (json_object_get_member (from, names[i])));
}

static gboolean
lend_txn (TsuStore *store, gpointer data, GError **error)
{
  static const char *const allowed[]
      = { "accessories_out", "masters_out", "prints_out", "contact_name", "contact_phone", NULL };
  Action *a = data;
  g_autoptr (JsonObject) b = tsu_store_get (store, "bookings", a->id, error);
  g_autoptr (JsonObject) resource = NULL;
  g_autoptr (JsonObject) change = json_object_new ();

  if (b == NULL || !state_is (b, "reserved", error))
    return FALSE;
  resource = tsu_store_get (store, "resources", tsu_record_get_string (b, "resource_id"), error);
  if (resource == NULL || !resource_usable (resource, error))
    return FALSE;
  copy_members (change, a->fields, allowed);
  json_object_set_string_member (change, "state", "lent");
  json_object_set_string_member (change, "lent_at", a->now);
  return tsu_store_update (store, "bookings", a->id, change, error);
}

gboolean
tsu_booking_lend (
    TsuStore *store, const char *id, const char *now, JsonObject *details, GError **error)
{
  Action a = { .fields = details, .id = id, .now = now };

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, lend_txn, &a, error);
}

static gboolean
return_txn (TsuStore *store, gpointer data, GError **error)
{
  static const char *const allowed[]
      = { "accessories_in", "condition", "damage_note", "masters_in", "prints_in", NULL };
  Action *a = data;
  g_autoptr (JsonObject) b = tsu_store_get (store, "bookings", a->id, error);
  g_autoptr (JsonObject) resource = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonObject) res_change = json_object_new ();

  if (b == NULL || !state_is (b, "lent", error))
    return FALSE;
  resource = tsu_store_get (store, "resources", tsu_record_get_string (b, "resource_id"), error);
  if (resource == NULL)
    return FALSE;
  copy_members (change, a->fields, allowed);
  json_object_set_string_member (change, "state", "returned");
  json_object_set_string_member (change, "returned_at", a->now);
  copy_members (b, change, (const char *const[]){ "returned_at", "masters_in", "prints_in", NULL });
  a->fee = tsu_booking_fee (resource, b);
  json_object_set_int_member (change, "fee", a->fee);
  if (!tsu_store_update (store, "bookings", a->id, change, error))
    return FALSE;

  /* The item itself: to repair when damaged, its counters moved on. */
  if (g_strcmp0 (tsu_record_get_string (change, "condition"), "damaged") == 0)
    json_object_set_string_member (res_change, "status", "repair");
  if (tsu_record_get_bool (resource, "is_printer"))
    copy_members (res_change, change, (const char *const[]){ "masters_in", "prints_in", NULL });
  if (json_object_has_member (res_change, "masters_in"))
    {
      json_object_set_member (res_change, "master_count",
                              json_node_copy (json_object_get_member (res_change, "masters_in")));
      json_object_remove_member (res_change, "masters_in");
    }
  if (json_object_has_member (res_change, "prints_in"))
    {
      json_object_set_member (res_change, "print_count",
                              json_node_copy (json_object_get_member (res_change, "prints_in")));
      json_object_remove_member (res_change, "prints_in");
    }
  return json_object_get_size (res_change) == 0
         || tsu_store_update (store, "resources", tsu_record_get_string (b, "resource_id"),
                              res_change, error);
}

gboolean
tsu_booking_return (TsuStore   *store,
                    const char *id,
                    const char *now,
                    JsonObject *details,
                    gint64     *fee,
                    GError    **error)
{
  Action a = { .fields = details, .id = id, .now = now };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, return_txn, &a, error))
    return FALSE;
  if (fee)
    *fee = a.fee;
  return TRUE;
}

static gboolean
cancel_txn (TsuStore *store, gpointer data, GError **error)
{
  Action *a = data;
  g_autoptr (JsonObject) b = tsu_store_get (store, "bookings", a->id, error);
  g_autoptr (JsonObject) change = json_object_new ();

  if (b == NULL || !state_is (b, "reserved", error))
    return FALSE;
  json_object_set_string_member (change, "state", "cancelled");
  return tsu_store_update (store, "bookings", a->id, change, error);
}

gboolean
tsu_booking_cancel (TsuStore *store, const char *id, GError **error)
{
  Action a = { .id = id };

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, cancel_txn, &a, error);
}

/* ---- today's desk ---- */

#define DESK_COLUMNS                                                                               \
  "b.id, b.number, b.state, b.start_at, b.due_at, b.purpose, b.contact_name,"                      \
  " coalesce(b.contact_phone, g.contact_phone, g.phone), r.name, r.kind, g.name"

static JsonArray *
desk_rows (sqlite3 *db, const char *where, const char *a, const char *b, GError **error)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT " DESK_COLUMNS " FROM bookings b JOIN resources r ON r.id = b.resource_id"
      " LEFT JOIN groups g ON g.id = b.group_id WHERE b.deleted = 0 AND %s ORDER BY b.start_at,"
      " b.number",
      where);
  static const char *names[]
      = { "id",           "number",        "state",         "start_at",      "due_at",    "purpose",
          "contact_name", "contact_phone", "resource_name", "resource_kind", "group_name" };
  sqlite3_stmt *stmt = NULL;
  JsonArray    *out;
  int           rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "today's desk");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, a, -1, SQLITE_STATIC);
  if (b)
    sqlite3_bind_text (stmt, 2, b, -1, SQLITE_STATIC);
  out = json_array_new ();
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (names); i++)
        if (sqlite3_column_type (stmt, i) != SQLITE_NULL)
          json_object_set_string_member (o, names[i], (const char *)sqlite3_column_text (stmt, i));
      json_array_add_object_element (out, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "today's desk");
      g_clear_pointer (&out, json_array_unref);
    }
  return out;
}

typedef struct
{
  const char *now;
  TsuDeskDay *day;
} Desk;

static gboolean
desk_read (sqlite3 *db, gpointer data, GError **error)
{
  Desk            *d = data;
  g_autofree char *today = g_strndup (d->now, 10);
  g_autofree char *tomorrow = NULL;
  GDate            t;

  tsu_date_from_iso (today, &t);
  g_date_add_days (&t, 1);
  tomorrow = tsu_date_to_iso (&t);
  return (d->day->going_out
          = desk_rows (db,
                       "b.state = 'reserved' AND r.kind = 'item' AND b.start_at >= ?1"
                       " AND b.start_at < ?2",
                       today, tomorrow, error))
         && (d->day->coming_back
             = desk_rows (db,
                          "b.state = 'lent' AND r.kind = 'item' AND b.due_at >= ?1"
                          " AND b.due_at < ?2",
                          today, tomorrow, error))
         && (d->day->overdue
             = desk_rows (db, "b.state = 'lent' AND b.due_at < ?1", d->now, NULL, error))
         && (d->day->rooms = desk_rows (db,
                                        "b.state IN ('reserved', 'lent') AND r.kind = 'room'"
                                        " AND b.start_at < ?2 AND b.due_at > ?1",
                                        today, tomorrow, error));
}

/**
 * tsu_equipment_desk_day:
 * @now: "YYYY-MM-DDTHH:MM"
 *
 * Returns: %TRUE with @day filled (clear it with tsu_desk_day_clear())
 */
gboolean
tsu_equipment_desk_day (TsuStore *store, const char *now, TsuDeskDay *day, GError **error)
{
  Desk d = { now, day };

  memset (day, 0, sizeof *day);
  if (tsu_store_read (store, desk_read, &d, error))
    return TRUE;
  tsu_desk_day_clear (day);
  return FALSE;
}

void
tsu_desk_day_clear (TsuDeskDay *day)
{
  g_clear_pointer (&day->going_out, json_array_unref);
  g_clear_pointer (&day->coming_back, json_array_unref);
  g_clear_pointer (&day->overdue, json_array_unref);
  g_clear_pointer (&day->rooms, json_array_unref);
}

/* ---- the monthly report ---- */

typedef struct
{
  const char *from;
  const char *to;
  GPtrArray  *rows;
} Report;

static const char *
state_name (const char *code)
{
  static const char *const map[][2] = {
    { "reserved", "予約" }, { "lent", "貸出中" }, { "returned", "返却済" }, { "cancelled", "取消" }
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (map[i][0], code) == 0)
      return map[i][1];
  return code ? code : "";
}

static char *
csv_time (const char *iso)
{
  return iso && strlen (iso) == 16 ? g_strdup_printf ("%.10s %s", iso, iso + 11)
                                   : g_strdup (iso ? iso : "");
}

static gboolean
report_read (sqlite3 *db, gpointer data, GError **error)
{
  Report       *r = data;
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT b.number, r.kind, r.name, r.control_number,"
                          " g.registration_number, g.name, b.start_at, b.due_at, b.returned_at,"
                          " b.state, b.fee, b.state = 'lent' AND b.due_at < strftime("
                          "'%Y-%m-%dT%H:%M', 'now', 'localtime')"
                          " FROM bookings b JOIN resources r ON r.id = b.resource_id"
                          " LEFT JOIN groups g ON g.id = b.group_id"
                          " WHERE b.deleted = 0 AND b.start_at >= ?1 AND b.start_at < ?2"
                          " ORDER BY b.start_at, b.number",
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
      const char *kind = (const char *)sqlite3_column_text (stmt, 1);

      row[0] = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      row[1] = g_strdup (g_strcmp0 (kind, "room") == 0 ? "部屋" : "備品");
      for (int i = 2; i < 6; i++)
        row[i] = g_strdup (
            sqlite3_column_text (stmt, i) ? (const char *)sqlite3_column_text (stmt, i) : "");
      row[6] = csv_time ((const char *)sqlite3_column_text (stmt, 6));
      row[7] = csv_time ((const char *)sqlite3_column_text (stmt, 7));
      row[8] = csv_time ((const char *)sqlite3_column_text (stmt, 8));
      row[9] = g_strdup (sqlite3_column_int (stmt, 11)
                             ? "延滞"
                             : state_name ((const char *)sqlite3_column_text (stmt, 9)));
      row[10]
          = sqlite3_column_type (stmt, 10) == SQLITE_NULL
                ? g_strdup ("")
                : g_strdup_printf ("%" G_GINT64_FORMAT, (gint64)sqlite3_column_int64 (stmt, 10));
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

/**
 * tsu_booking_report:
 *
 * Returns: (transfer full) (nullable): the CSV bytes
 */
GBytes *
tsu_booking_report (TsuStore      *store,
                    const GDate   *from,
                    const GDate   *to,
                    TsuCsvEncoding encoding,
                    GPtrArray     *unencodable,
                    GError       **error)
{
  static const char *header[]
      = { "予約番号", "種別", "名称",     "管理番号", "団体登録番号", "団体名",
          "開始",     "終了", "返却日時", "状態",     "料金",         NULL };
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autofree char *a = tsu_date_to_iso (from);
  g_autofree char *b = NULL;
  GDate            after = *to;
  Report           r = { a, NULL, rows };

  g_date_add_days (&after, 1);
  b = tsu_date_to_iso (&after);
  r.to = b;
  g_ptr_array_add (rows, g_strdupv ((char **)header));
  if (!tsu_store_read (store, report_read, &r, error))
    return NULL;
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}
