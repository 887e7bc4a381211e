/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-equipment.h"
#include "tsu-equipment-collections.h"
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
 * tsu_resource_hours:
 * @open: (out) (transfer full) (nullable): "HH:MM", or %NULL when not set
 * @close: (out) (transfer full) (nullable): "HH:MM", or %NULL when not set
 *
 * The hours a room (or an item used in the centre) can be booked: its
 * own, else the centre's room hours.
 */
void
tsu_resource_hours (TsuStore *store, JsonObject *resource, char **open, char **close)
{
  const char *o = resource ? tsu_record_get_string (resource, "open_time") : NULL;
  const char *c = resource ? tsu_record_get_string (resource, "close_time") : NULL;

  *open = o ? g_strdup (o) : tsu_centre_get_string (store, TSU_CENTRE_ROOM_OPEN, NULL);
  *close = c ? g_strdup (c) : tsu_centre_get_string (store, TSU_CENTRE_ROOM_CLOSE, NULL);
  /* A setting typed wrongly is no setting. */
  if (*open && (strlen (*open) != 5 || (*open)[2] != ':'))
    g_clear_pointer (open, g_free);
  if (*close && (strlen (*close) != 5 || (*close)[2] != ':'))
    g_clear_pointer (close, g_free);
}

/* A same-day booking ends with its time slot (午前 till 12:00, 午後 till
 * 17:00, 夜間 till 21:00), at the closing time at the latest, and after
 * its start in any case. */
static char *
same_day_end (const char *start, const char *close, gboolean room)
{
  static const char *slot_ends[] = { "12:00", "17:00", "21:00" };
  const char        *time = start + 11;
  const char        *end = NULL;

  if (room)
    for (guint i = 0; i < G_N_ELEMENTS (slot_ends) && end == NULL; i++)
      if (g_strcmp0 (slot_ends[i], time) > 0)
        end = slot_ends[i];
  if (close && g_strcmp0 (close, time) > 0 && (end == NULL || g_strcmp0 (close, end) < 0))
    end = close;
  if (end == NULL && !room && g_strcmp0 ("17:00", time) > 0)
    end = "17:00";
  if (end == NULL)
    return tsu_datetime_add_minutes (start, 60);
  return g_strdup_printf ("%.10sT%s", start, end);
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
  gboolean room = g_strcmp0 (tsu_record_get_string (resource, "kind"), "room") == 0;
  gint64   days = 7;
  GDate    due, open;
  guint    weekdays;
  g_autoptr (GArray) closures = NULL;

  if (t == NULL)
    return NULL;
  /* Rooms and items used in the centre go back the same day. */
  if (room || tsu_record_get_bool (resource, "onsite_only"))
    days = 0;
  else
    tsu_record_get_int (resource, "max_loan_days", &days);
  if (days <= 0)
    {
      g_autofree char *o = NULL, *c = NULL;

      tsu_resource_hours (store, resource, &o, &c);
      return same_day_end (start, c, room);
    }
  date_of (start, &due);
  g_date_add_days (&due, (guint)CLAMP (days, 0, 365));
  tsu_centre_closed_days (store, &weekdays, &closures);
  tsu_next_open_day (&due, weekdays, (const GDate *)closures->data, closures->len, &open);
  if (!g_date_valid (&open))
    open = due;
  {
    g_autofree char *iso = tsu_date_to_iso (&open);

    /* Back by the same time of day. */
    return g_strdup_printf ("%sT%s", iso, start + 11);
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

/* A room is booked within its hours (the room's own, else the centre's);
 * so is an item used only in the centre. */
static gboolean
within_hours (
    TsuStore *store, JsonObject *resource, const char *start, const char *due, GError **error)
{
  g_autofree char *open = NULL, *close = NULL;

  if (g_strcmp0 (tsu_record_get_string (resource, "kind"), "room") != 0
      && !tsu_record_get_bool (resource, "onsite_only"))
    return TRUE;
  tsu_resource_hours (store, resource, &open, &close);
  if (start == NULL || due == NULL || strlen (start) != 16 || strlen (due) != 16)
    return TRUE; /* the value checks say what is wrong */
  if ((open && g_strcmp0 (start + 11, open) < 0) || (close && g_strcmp0 (due + 11, close) > 0)
      || (close && g_strcmp0 (start + 11, close) >= 0))
    {
      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HOURS,
                   _ ("“%s” can be booked from %s to %s."),
                   tsu_record_get_string (resource, "name"), open ? open : "00:00",
                   close ? close : "24:00");
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
  if (tsu_record_get_string (fields, "event_id") == NULL
      && !within_hours (store, resource, start, tsu_record_get_string (fields, "due_at"), error))
    return FALSE;
  {
    gint64 stock = 1, quantity = 1;

    tsu_record_get_int (resource, "stock", &stock);
    tsu_record_get_int (fields, "quantity", &quantity);
    if (quantity > stock)
      {
        g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STOCK,
                     g_dngettext (GETTEXT_PACKAGE, "The centre has only %d of “%s”.",
                                  "The centre has only %d of “%s”.", (gulong)stock),
                     (int)stock, tsu_record_get_string (resource, "name"));
        return FALSE;
      }
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

/* An overdue loan keeps the item out past its due time, where the clash
 * rule no longer sees it: it is not lent again before it comes back. */
static gboolean
not_still_out (TsuStore *store, JsonObject *resource, JsonObject *booking, GError **error)
{
  const char *params[]
      = { tsu_record_get_string (resource, "id"), tsu_record_get_string (booking, "id"), NULL };
  g_autoptr (GPtrArray) out
      = tsu_store_find (store, "bookings", "resource_id = ? AND state = 'lent' AND id != ?", params,
                        "due_at", 0, error);
  gint64 stock = 1, quantity = 1;

  if (out == NULL)
    return FALSE;
  tsu_record_get_int (resource, "stock", &stock);
  tsu_record_get_int (booking, "quantity", &quantity);
  for (guint i = 0; i < out->len; i++)
    {
      gint64 q = 1;

      tsu_record_get_int (g_ptr_array_index (out, i), "quantity", &q);
      quantity += q;
    }
  if (out->len > 0 && quantity > stock)
    {
      JsonObject *other = g_ptr_array_index (out, 0);
      const char *gid = tsu_record_get_string (other, "group_id");
      g_autoptr (JsonObject) group = gid ? tsu_store_get (store, "groups", gid, NULL) : NULL;
      g_autofree char *when = tsu_datetime_span_text (tsu_record_get_string (other, "start_at"),
                                                      tsu_record_get_string (other, "due_at"));

      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STILL_OUT,
                   _ ("“%s” has not come back from “%s” (%s)."),
                   tsu_record_get_string (resource, "name"),
                   group ? tsu_record_get_string (group, "name") : "?", when);
      return FALSE;
    }
  return TRUE;
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
  if (resource == NULL || !resource_usable (resource, error)
      || !not_still_out (store, resource, b, error))
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

/* ---- moving, lending over the counter, availability ---- */

typedef struct
{
  const char  *id;
  const char  *start;
  const char  *due;
  const GDate *today;
} Move;

static gboolean
move_txn (TsuStore *store, gpointer data, GError **error)
{
  Move *m = data;
  g_autoptr (JsonObject) b = tsu_store_get (store, "bookings", m->id, error);
  g_autoptr (JsonObject) resource = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  const char *state;
  const char *start;
  GDate       start_day, horizon;

  if (b == NULL)
    return FALSE;
  state = tsu_record_get_string (b, "state");
  /* Out on loan, only the due time moves (an extension). */
  if (g_strcmp0 (state, "lent") == 0)
    {
      if (m->start && g_strcmp0 (m->start, tsu_record_get_string (b, "start_at")) != 0)
        {
          g_set_error_literal (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE,
                               _ ("The item is out on loan: only its due time can change."));
          return FALSE;
        }
    }
  else if (!state_is (b, "reserved", error))
    return FALSE;
  resource = tsu_store_get (store, "resources", tsu_record_get_string (b, "resource_id"), error);
  if (resource == NULL)
    return FALSE;
  start = m->start ? m->start : tsu_record_get_string (b, "start_at");
  if (m->start && g_strcmp0 (state, "reserved") == 0
      && tsu_record_get_string (b, "event_id") == NULL && date_of (start, &start_day))
    {
      horizon = *m->today;
      g_date_add_days (
          &horizon,
          (guint)CLAMP (tsu_centre_get_int (store, TSU_CENTRE_BOOKING_HORIZON, 90), 0, 3650));
      if (g_date_compare (&start_day, &horizon) > 0)
        {
          g_autofree char *until = tsu_date_format_plain (&horizon, TSU_DATE_STYLE_SEIREKI);

          g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON,
                       _ ("Bookings are open until %s for now."), until);
          return FALSE;
        }
      if (tsu_centre_is_closed (store, &start_day))
        {
          g_autofree char *day = tsu_date_format (&start_day, TSU_DATE_STYLE_SEIREKI);

          g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_HORIZON,
                       _ ("The centre is closed on %s."), day);
          return FALSE;
        }
    }
  if (tsu_record_get_string (b, "event_id") == NULL
      && !within_hours (store, resource, start, m->due, error))
    return FALSE;
  if (m->start)
    json_object_set_string_member (change, "start_at", m->start);
  json_object_set_string_member (change, "due_at", m->due);
  return tsu_store_update (store, "bookings", m->id, change, error);
}

/**
 * tsu_booking_move:
 * @start: (nullable): the new start, or %NULL to keep it
 * @due: the new end
 *
 * Moves a reserved booking to new times, or extends a lent one (its due
 * time only). The clash rule, the group's registration, the horizon and
 * the centre's closed days are checked again, in one transaction.
 *
 * Returns: %TRUE when moved
 */
gboolean
tsu_booking_move (TsuStore    *store,
                  const char  *id,
                  const char  *start,
                  const char  *due,
                  const GDate *today,
                  GError     **error)
{
  Move m = { id, start, due, today };

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (id != NULL && due != NULL && today != NULL, FALSE);

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, move_txn, &m, error);
}

typedef struct
{
  JsonObject  *common;
  JsonArray   *items;
  const char  *now;
  const GDate *today;
  GPtrArray   *ids;
} LendNow;

static gboolean
lend_now_txn (TsuStore *store, gpointer data, GError **error)
{
  static const char *const booking_fields[]
      = { "group_id", "contact_name", "contact_phone", "purpose", "notes", NULL };
  static const char *const item_fields[] = { "resource_id", "quantity", "due_at", NULL };
  static const char *const out_fields[] = { "accessories_out", "masters_out", "prints_out", NULL };
  LendNow                 *l = data;

  for (guint i = 0; i < json_array_get_length (l->items); i++)
    {
      JsonObject *item = json_array_get_object_element (l->items, i);
      g_autoptr (JsonObject) fields = json_object_new ();
      g_autoptr (JsonObject) out = json_object_new ();
      Action a = { .fields = fields, .today = l->today };

      if (item == NULL)
        continue;
      copy_members (fields, l->common, booking_fields);
      copy_members (fields, item, item_fields);
      json_object_set_string_member (fields, "start_at", l->now);
      copy_members (out, item, out_fields);
      if (!book_txn (store, &a, error))
        {
          g_free (a.new_id);
          return FALSE;
        }
      g_ptr_array_add (l->ids, a.new_id);
      {
        Action lend = { .fields = out, .id = a.new_id, .now = l->now };

        if (!lend_txn (store, &lend, error))
          return FALSE;
      }
    }
  return TRUE;
}

/**
 * tsu_booking_lend_now:
 * @common: group_id, contact_name, contact_phone, purpose (notes)
 * @items: objects with resource_id, and optionally quantity, due_at (else
 *   proposed), accessories_out, masters_out, prints_out
 * @now: "YYYY-MM-DDTHH:MM": the loan starts now
 *
 * 貸出 over the counter, without a booking made first: one booking per
 * item, booked and lent in one transaction, so that a clash on any item
 * lends none of them.
 *
 * Returns: (transfer full) (element-type utf8) (nullable): the new bookings' ids
 */
GPtrArray *
tsu_booking_lend_now (TsuStore    *store,
                      JsonObject  *common,
                      JsonArray   *items,
                      const char  *now,
                      const GDate *today,
                      GError     **error)
{
  LendNow l = { common, items, now, today, g_ptr_array_new_with_free_func (g_free) };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);
  g_return_val_if_fail (common != NULL && items != NULL && now != NULL, NULL);

  if (json_array_get_length (items) == 0)
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                           _ ("Choose what is lent."));
      g_ptr_array_unref (l.ids);
      return NULL;
    }
  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, lend_now_txn, &l, error))
    {
      g_ptr_array_unref (l.ids);
      return NULL;
    }
  return l.ids;
}

/* The rule context of a read: the same lookups as inside a write. */
static GPtrArray *
read_find (TsuRuleContext *ctx,
           const char     *collection,
           const char     *field,
           const char     *value,
           const char     *start_field,
           const char     *end_field,
           const char     *from,
           const char     *to,
           GError        **error)
{
  g_autofree char *where = start_field
                               ? g_strdup_printf ("\"%s\" = ? AND \"%s\" < ? AND \"%s\" > ?", field,
                                                  start_field, end_field)
                               : g_strdup_printf ("\"%s\" = ?", field);
  const char      *params[] = { value, to, from, NULL };

  if (start_field == NULL)
    params[1] = NULL;
  return tsu_store_find (ctx->user_data, collection, where, params, NULL, 0, error);
}

static JsonObject *
read_get (TsuRuleContext *ctx, const char *collection, const char *id, GError **error)
{
  g_autoptr (GError) local = NULL;
  JsonObject *row;

  if (id == NULL)
    return NULL;
  row = tsu_store_get (ctx->user_data, collection, id, &local);
  if (row == NULL && !g_error_matches (local, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local));
  return row;
}

/**
 * tsu_booking_check_available:
 * @booking: resource_id, start_at, due_at, and group_id, quantity, state
 *   when known (a new booking is "reserved")
 * @except_id: (nullable): the booking being moved (it does not clash with itself)
 * @clash_id: (out) (optional) (transfer full): the booking it clashes with
 *
 * Asks the double-booking rule (clash with the buffer and the stock, the
 * group's registration) without writing, as a page does before it offers
 * a time. The write runs the same rule again in its transaction.
 *
 * Returns: %TRUE when free; else FALSE with %TSU_STORE_ERROR_RULE and the
 *   message naming the clash
 */
gboolean
tsu_booking_check_available (
    TsuStore *store, JsonObject *booking, const char *except_id, char **clash_id, GError **error)
{
  TsuRuleContext ctx = { read_find, read_get, store };
  TsuRuleRefusal refusal = { 0 };
  g_autoptr (JsonObject) row = json_object_new ();
  GList   *names = json_object_get_members (booking);
  gboolean ok;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  for (GList *l = names; l; l = l->next)
    json_object_set_member (row, l->data,
                            json_node_copy (json_object_get_member (booking, l->data)));
  g_list_free (names);
  if (!json_object_has_member (row, "state"))
    json_object_set_string_member (row, "state", "reserved");
  ok = tsu_booking_collection.guard (&ctx, except_id, row, NULL, &refusal, error);
  if (!ok && refusal.reason != NULL)
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE,
                           refusal.message ? refusal.message : refusal.reason);
      if (clash_id)
        *clash_id = g_steal_pointer (&refusal.other_id);
    }
  tsu_rule_refusal_clear (&refusal);
  return ok;
}

/* ---- a resource's and a group's bookings ---- */

#define LIST_COLUMNS                                                                               \
  "b.id, b.number, b.state, b.start_at, b.due_at, b.returned_at, b.lent_at, b.purpose,"            \
  " b.contact_name, b.quantity, b.fee, b.resource_id, b.group_id, b.event_id, b.condition,"        \
  " b.damage_note, r.name, r.kind, r.control_number, coalesce(g.name, e.title),"                   \
  " coalesce(b.contact_phone, g.contact_phone, g.phone), g.registration_number, b.attendees,"      \
  " b.masters_out, b.prints_out, b.masters_in, b.prints_in, b.accessories_out, b.accessories_in"

static const char *const list_names[] = { "id",
                                          "number",
                                          "state",
                                          "start_at",
                                          "due_at",
                                          "returned_at",
                                          "lent_at",
                                          "purpose",
                                          "contact_name",
                                          "quantity",
                                          "fee",
                                          "resource_id",
                                          "group_id",
                                          "event_id",
                                          "condition",
                                          "damage_note",
                                          "resource_name",
                                          "resource_kind",
                                          "control_number",
                                          "holder_name",
                                          "contact_phone",
                                          "group_number",
                                          "attendees",
                                          "masters_out",
                                          "prints_out",
                                          "masters_in",
                                          "prints_in",
                                          "accessories_out",
                                          "accessories_in" };

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
  ListRead        *l = data;
  g_autofree char *sql = g_strdup_printf (
      "SELECT " LIST_COLUMNS " FROM bookings b JOIN resources r ON r.id = b.resource_id"
      " LEFT JOIN groups g ON g.id = b.group_id LEFT JOIN events e ON e.id = b.event_id"
      " WHERE b.deleted = 0 AND %s ORDER BY %s LIMIT %u",
      l->where, l->order, l->limit ? l->limit : G_MAXINT32);
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "bookings");
      return FALSE;
    }
  for (int i = 0; l->params && l->params[i]; i++)
    sqlite3_bind_text (stmt, i + 1, l->params[i], -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *o = json_object_new ();

      for (guint i = 0; i < G_N_ELEMENTS (list_names); i++)
        {
          if (sqlite3_column_type (stmt, i) == SQLITE_NULL)
            continue;
          if (sqlite3_column_type (stmt, i) == SQLITE_INTEGER)
            json_object_set_int_member (o, list_names[i], sqlite3_column_int64 (stmt, i));
          else if (g_str_has_prefix (list_names[i], "accessories_"))
            {
              JsonNode *n = json_from_string ((const char *)sqlite3_column_text (stmt, i), NULL);

              if (n && JSON_NODE_HOLDS_ARRAY (n))
                json_object_set_member (o, list_names[i], n);
              else if (n)
                json_node_unref (n);
            }
          else
            json_object_set_string_member (o, list_names[i],
                                           (const char *)sqlite3_column_text (stmt, i));
        }
      g_ptr_array_add (l->rows, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "bookings");
      return FALSE;
    }
  return TRUE;
}

static GPtrArray *
list_bookings (TsuStore          *store,
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

/**
 * tsu_booking_list_range:
 * @from: "YYYY-MM-DDTHH:MM"
 * @to: "YYYY-MM-DDTHH:MM"
 *
 * The bookings of @resource_id that meet [@from, @to), cancelled ones
 * left out, in start order: what a timeline draws. Each object has the
 * booking's fields and resource_name, resource_kind, control_number,
 * holder_name (the group, or the centre's event), contact_phone.
 *
 * Returns: (transfer full) (element-type JsonObject) (nullable): the bookings
 */
GPtrArray *
tsu_booking_list_range (
    TsuStore *store, const char *resource_id, const char *from, const char *to, GError **error)
{
  const char *params[] = { resource_id, to, from, NULL };

  return list_bookings (store,
                        "b.resource_id = ?1 AND b.due_at > ?3 AND b.start_at < ?2"
                        " AND b.state != 'cancelled'",
                        params, "b.start_at, b.number", 2000, error);
}

/**
 * tsu_booking_list_for_resource:
 * @n_past: how many of the finished (returned, cancelled) to give, newest first
 *
 * A resource's page: its bookings still ahead or out (reserved, lent) in
 * start order, then the latest finished ones.
 *
 * Returns: (transfer full) (element-type JsonObject) (nullable): the bookings
 */
GPtrArray *
tsu_booking_list_for_resource (TsuStore   *store,
                               const char *resource_id,
                               guint       n_past,
                               GError    **error)
{
  const char *params[] = { resource_id, NULL };
  g_autoptr (GPtrArray) open = NULL;
  g_autoptr (GPtrArray) past = NULL;

  /* Through the by-state index: never a walk over all the past ones. */
  open = list_bookings (store, "b.resource_id = ?1 AND b.state IN ('reserved', 'lent')", params,
                        "b.start_at, b.number", 500, error);
  if (open == NULL)
    return NULL;
  past = list_bookings (store, "b.resource_id = ?1 AND b.state IN ('returned', 'cancelled')",
                        params, "b.start_at DESC, b.number DESC", n_past, error);
  if (past == NULL)
    return NULL;
  for (guint i = 0; i < past->len; i++)
    g_ptr_array_add (open, json_object_ref (g_ptr_array_index (past, i)));
  return g_steal_pointer (&open);
}

/**
 * tsu_booking_list_for_group:
 * @limit: at most this many, newest first (0: all)
 *
 * Returns: (transfer full) (element-type JsonObject) (nullable): the group's bookings
 */
GPtrArray *
tsu_booking_list_for_group (TsuStore *store, const char *group_id, guint limit, GError **error)
{
  const char *params[] = { group_id, NULL };

  return list_bookings (store, "b.group_id = ?1", params, "b.start_at DESC, b.number DESC", limit,
                        error);
}

/**
 * tsu_booking_get_details:
 *
 * One booking as the lists give it (with resource_name, holder_name…).
 *
 * Returns: (transfer full) (nullable): the booking, or %NULL when not found
 */
JsonObject *
tsu_booking_get_details (TsuStore *store, const char *id, GError **error)
{
  const char *params[] = { id, NULL };
  g_autoptr (GPtrArray) rows = list_bookings (store, "b.id = ?1", params, "b.id", 1, error);

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND, _ ("The booking is gone."));
      return NULL;
    }
  return json_object_ref (g_ptr_array_index (rows, 0));
}

/* ---- today's desk ---- */

#define DESK_COLUMNS                                                                               \
  "b.id, b.number, b.state, b.start_at, b.due_at, b.purpose, b.contact_name,"                      \
  " coalesce(b.contact_phone, g.contact_phone, g.phone), r.name, r.kind, g.name,"                  \
  " coalesce(g.name, e.title), r.control_number, b.resource_id, b.group_id, b.quantity"

/* One list of today's desk. @join: "CROSS JOIN" makes the bookings the
 * outer loop (today's few by their start) instead of every resource;
 * @order: what the list is sorted by (a due time sorts by the index the
 * state and due time are found by, so nothing past is walked). */
static JsonArray *
desk_rows (sqlite3    *db,
           const char *join,
           const char *where,
           const char *order,
           const char *a,
           const char *b,
           GError    **error)
{
  g_autofree char *sql = g_strdup_printf (
      "SELECT " DESK_COLUMNS " FROM bookings b %s resources r ON r.id = b.resource_id"
      " LEFT JOIN groups g ON g.id = b.group_id LEFT JOIN events e ON e.id = b.event_id WHERE "
      "b.deleted = 0 AND %s ORDER BY %s, b.number",
      join, where, order);
  static const char *names[]
      = { "id",         "number",       "state",          "start_at",      "due_at",
          "purpose",    "contact_name", "contact_phone",  "resource_name", "resource_kind",
          "group_name", "holder_name",  "control_number", "resource_id",   "group_id",
          "quantity" };
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
          = desk_rows (db, "CROSS JOIN",
                       "b.state = 'reserved' AND r.kind = 'item' AND b.start_at >= ?1"
                       " AND b.start_at < ?2",
                       "b.start_at", today, tomorrow, error))
         && (d->day->coming_back
             = desk_rows (db, "JOIN",
                          "b.state = 'lent' AND r.kind = 'item' AND b.due_at >= ?1"
                          " AND b.due_at < ?2",
                          "b.due_at", today, tomorrow, error))
         && (d->day->overdue = desk_rows (db, "JOIN", "b.state = 'lent' AND b.due_at < ?1",
                                          "b.due_at", d->now, NULL, error))
         && (d->day->rooms = desk_rows (db, "JOIN",
                                        "b.state IN ('reserved', 'lent') AND r.kind = 'room'"
                                        " AND b.start_at < ?2 AND b.due_at > ?1",
                                        "b.start_at", today, tomorrow, error));
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
