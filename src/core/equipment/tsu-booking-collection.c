/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "bookings" collection: one booking of an item or a room, through its
 * life. No double booking, ever: the rule below runs inside the desk's
 * write transaction and inside the server's push. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n-lib.h>

#include "tsu-equipment-collections.h"
#include "tsu-equipment.h"
#include "tsu-date.h"
#include "tsu-group.h"
#include "tsu-record.h"
#include "tsu-search.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

const TsuChoice tsu_booking_states[] = {
  { "reserved", N_ ("Reserved"), "予約" },
  { "lent", N_ ("Lent"), "貸出中" },
  { "returned", N_ ("Returned"), "返却済" },
  { "cancelled", N_ ("Cancelled"), "取消" },
  { NULL },
};

static const TsuChoice conditions[] = {
  { "good", N_ ("Good"), "良好" },
  { "damaged", N_ ("Damaged"), "破損あり" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "booking", N_ ("Booking"), NULL },
  { "who", N_ ("Borrower"), N_ ("A registered group, and who can be reached during the loan") },
  { "out", N_ ("Lending"), NULL },
  { "in", N_ ("Return"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "number",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED | TSU_FIELD_MANAGED,
    .label = N_ ("Booking number"),
    .section = "booking" },
  { .name = "resource_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Item or room"),
    .ref = "resources",
    .section = "booking" },
  /* A group's booking, or the centre's own for one of its events. */
  { .name = "group_id",
    .type = TSU_FIELD_REF,
    .label = N_ ("Group"),
    .ref = "groups",
    .section = "who" },
  { .name = "event_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_MANAGED,
    .label = N_ ("Centre event"),
    .ref = "events",
    .section = "who" },
  { .name = "contact_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_PERSONAL | TSU_FIELD_SEARCHED,
    .label = N_ ("Person in charge"),
    .section = "who" },
  { .name = "contact_phone",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_PERSONAL | TSU_FIELD_PHONE,
    .label = N_ ("Phone during the loan"),
    .section = "who" },
  { .name = "purpose",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_SEARCHED,
    .label = N_ ("Purpose"),
    .section = "booking" },
  { .name = "quantity",
    .type = TSU_FIELD_INT,
    .label = N_ ("How many"),
    .min = 1,
    .max = 9999,
    .section = "booking" },
  { .name = "attendees",
    .type = TSU_FIELD_INT,
    .label = N_ ("Attendees"),
    .min = 0,
    .max = 100000,
    .section = "booking" },
  { .name = "start_at",
    .type = TSU_FIELD_DATETIME,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("From"),
    .section = "booking" },
  { .name = "due_at",
    .type = TSU_FIELD_DATETIME,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Until"),
    .section = "booking" },
  { .name = "state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("State"),
    .choices = tsu_booking_states,
    .section = "booking" },
  { .name = "lent_at", .type = TSU_FIELD_DATETIME, .label = N_ ("Lent at"), .section = "out" },
  { .name = "accessories_out",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("Accessories out"),
    .section = "out" },
  { .name = "masters_out",
    .type = TSU_FIELD_INT,
    .label = N_ ("Masters counter out"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "out" },
  { .name = "prints_out",
    .type = TSU_FIELD_INT,
    .label = N_ ("Prints counter out"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "out" },
  { .name = "returned_at",
    .type = TSU_FIELD_DATETIME,
    .label = N_ ("Returned at"),
    .section = "in" },
  { .name = "accessories_in",
    .type = TSU_FIELD_STRINGS,
    .label = N_ ("Accessories back"),
    .section = "in" },
  { .name = "condition",
    .type = TSU_FIELD_CHOICE,
    .label = N_ ("Condition"),
    .choices = conditions,
    .section = "in" },
  { .name = "damage_note",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE,
    .label = N_ ("Damage"),
    .section = "in" },
  { .name = "masters_in",
    .type = TSU_FIELD_INT,
    .label = N_ ("Masters counter back"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "in" },
  { .name = "prints_in",
    .type = TSU_FIELD_INT,
    .label = N_ ("Prints counter back"),
    .min = 0,
    .max = G_MAXINT32,
    .section = "in" },
  { .name = "fee",
    .type = TSU_FIELD_INT,
    .label = N_ ("Fee (yen)"),
    .min = 0,
    .max = 100000000,
    .section = "in" },
  { .name = "notes",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Notes"),
    .section = "booking" },
  { .name = "sort_key", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
  { .name = "search_text", .type = TSU_FIELD_TEXT, .flags = TSU_FIELD_DERIVED },
};

/* 延滞: lent and past its due time (judged on the query's day and now). */
static char *
overdue_sql (const TsuRecordQuery *q)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *iso = g_date_time_format (now, "%Y-%m-%dT%H:%M");

  return g_strdup_printf ("(state = 'lent' AND due_at < '%s')", iso);
}

static char *
resource_name_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT r.name FROM resources r WHERE r.id = bookings.resource_id)");
}

static char *
group_name_sql (const TsuRecordQuery *q)
{
  return g_strdup ("(SELECT g.name FROM groups g WHERE g.id = bookings.group_id)");
}

static const TsuFieldDef computed[] = {
  { .name = "overdue",
    .type = TSU_FIELD_BOOL,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Overdue"),
    .sql = overdue_sql },
  { .name = "resource_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Item or room"),
    .sql = resource_name_sql },
  { .name = "group_name",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_DERIVED,
    .label = N_ ("Group"),
    .sql = group_name_sql },
};

static const TsuSortDef sorts[] = {
  { "start", N_ ("From"), "start_at %D", "bookings_list_start" },
  { "due", N_ ("Until"), "due_at %D", "bookings_list_due" },
  { "number", N_ ("Booking number"), "number %D", "bookings_list_number" },
};

static void
check (JsonObject *row, GPtrArray *problems)
{
  const char *start = tsu_record_get_string (row, "start_at");
  const char *due = tsu_record_get_string (row, "due_at");

  if (start && due && g_strcmp0 (due, start) <= 0)
    tsu_problems_add (problems, "due_at", TRUE, "%s", _ ("The end must come after the start."));
  if (tsu_record_get_string (row, "group_id") == NULL
      && tsu_record_get_string (row, "event_id") == NULL)
    tsu_problems_add (problems, "group_id", TRUE, "%s", _ ("Choose the group that borrows."));
  if (g_strcmp0 (tsu_record_get_string (row, "condition"), "damaged") == 0
      && tsu_record_get_string (row, "damage_note") == NULL)
    tsu_problems_add (problems, "damage_note", TRUE, "%s", _ ("Describe the damage."));
}

/* The time a booking keeps its resource: from its start until it comes
 * back (its due time while out or reserved, its return when back early). */
static void
occupied (JsonObject *b, const char **start, const char **end)
{
  const char *returned = tsu_record_get_string (b, "returned_at");
  const char *due = tsu_record_get_string (b, "due_at");

  *start = tsu_record_get_string (b, "start_at");
  *end = g_strcmp0 (tsu_record_get_string (b, "state"), "returned") == 0 && returned
                 && g_strcmp0 (returned, due) < 0
             ? returned
             : due;
}

typedef struct
{
  JsonObject *booking;
  const char *start;
  const char *end;
  gint64      quantity;
} Span;

static gboolean
holds_resource (JsonObject *b)
{
  const char *state = tsu_record_get_string (b, "state");

  return g_strcmp0 (state, "reserved") == 0 || g_strcmp0 (state, "lent") == 0
         || g_strcmp0 (state, "returned") == 0;
}

static gint64
setting_int (TsuRuleContext *ctx, const char *key, gint64 fallback, GError **error)
{
  g_autoptr (GPtrArray) rows
      = ctx->find (ctx, "centre_settings", "key", key, NULL, NULL, NULL, NULL, error);
  JsonNode *v;

  if (rows == NULL || rows->len == 0)
    return fallback;
  v = json_object_get_member (g_ptr_array_index (rows, 0), "value");
  return v && JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_INT64
             ? json_node_get_int (v)
             : fallback;
}

static gboolean
date_of (const char *iso_datetime, GDate *out)
{
  g_autofree char *day = iso_datetime ? g_strndup (iso_datetime, 10) : NULL;

  return tsu_date_from_iso (day, out);
}

/* The borrowing group must be registered (登録 or 更新待ち) on every day of
 * the booking: a lapsed or withdrawn group is refused, saying why. */
static gboolean
check_group (TsuRuleContext *ctx, JsonObject *row, TsuRuleRefusal *refusal, GError **error)
{
  g_autoptr (JsonObject) group
      = ctx->get (ctx, "groups", tsu_record_get_string (row, "group_id"), error);
  GDate       days[2];
  const char *ends[]
      = { tsu_record_get_string (row, "start_at"), tsu_record_get_string (row, "due_at") };

  if (tsu_record_get_string (row, "group_id") == NULL)
    return TRUE; /* the centre's own booking for an event */
  if (group == NULL)
    return error == NULL || *error == NULL;
  for (guint i = 0; i < 2; i++)
    {
      TsuGroupStatus s;

      if (!date_of (ends[i], &days[i]))
        continue;
      s = tsu_group_status (group, &days[i], TSU_GROUP_DEFAULT_RENEWAL_DAYS);
      if (s == TSU_GROUP_STATUS_REGISTERED || s == TSU_GROUP_STATUS_RENEWAL_DUE)
        continue;
      {
        g_autofree char *day = tsu_date_format_plain (&days[i], TSU_DATE_STYLE_SEIREKI);

        refusal->reason = "group_not_registered";
        refusal->other_id = g_strdup (tsu_record_get_string (group, "id"));
        refusal->message = g_strdup_printf (
            _ ("“%s” is not a registered group on %s (%s): only registered groups may borrow."),
            tsu_record_get_string (group, "name"), day, tsu_group_status_name (s));
      }
      return FALSE;
    }
  return TRUE;
}

static gboolean
guard (TsuRuleContext *ctx,
       const char     *id,
       JsonObject     *row,
       JsonObject     *old,
       TsuRuleRefusal *refusal,
       GError        **error)
{
  const char *resource_id = tsu_record_get_string (row, "resource_id");
  const char *start, *end;
  g_autoptr (JsonObject) resource = NULL;
  g_autoptr (GPtrArray) others = NULL;
  g_autoptr (GArray) spans = NULL;
  g_autofree char *from = NULL, *to = NULL;
  gint64           buffer, stock = 1, quantity = 1;
  gboolean         became_active;

  if (!holds_resource (row) || g_strcmp0 (tsu_record_get_string (row, "state"), "returned") == 0)
    return TRUE;
  /* The group is judged when the booking is made or its dates change, not
   * at every step of its life. */
  became_active
      = old == NULL || !holds_resource (old)
        || g_strcmp0 (tsu_record_get_string (old, "start_at"),
                      tsu_record_get_string (row, "start_at"))
               != 0
        || g_strcmp0 (tsu_record_get_string (old, "due_at"), tsu_record_get_string (row, "due_at"))
               != 0
        || g_strcmp0 (tsu_record_get_string (old, "group_id"),
                      tsu_record_get_string (row, "group_id"))
               != 0;
  if (became_active && !check_group (ctx, row, refusal, error))
    return FALSE;

  resource = ctx->get (ctx, "resources", resource_id, error);
  if (resource == NULL)
    return error == NULL || *error == NULL;
  tsu_record_get_int (resource, "stock", &stock);
  tsu_record_get_int (row, "quantity", &quantity);
  buffer = setting_int (ctx, "booking.buffer_minutes", 0, error);
  occupied (row, &start, &end);
  from = tsu_datetime_add_minutes (start, -buffer);
  to = tsu_datetime_add_minutes (end, buffer);
  if (from == NULL || to == NULL)
    return TRUE; /* the value checks refuse bad times */
  others = ctx->find (ctx, "bookings", "resource_id", resource_id, "start_at", "due_at", from, to,
                      error);
  if (others == NULL)
    return FALSE;
  /* The bookings that keep the resource during [from, to). */
  spans = g_array_new (FALSE, FALSE, sizeof (Span));
  for (guint i = 0; i < others->len; i++)
    {
      JsonObject *other = g_ptr_array_index (others, i);
      Span        sp = { other, NULL, NULL, 1 };

      if (g_strcmp0 (tsu_record_get_string (other, "id"), id) == 0 || !holds_resource (other))
        continue;
      occupied (other, &sp.start, &sp.end);
      /* Touching ends do not clash; the buffer lies between two loans. */
      if (!(g_strcmp0 (sp.start, to) < 0 && g_strcmp0 (sp.end, from) > 0))
        continue;
      tsu_record_get_int (other, "quantity", &sp.quantity);
      g_array_append_val (spans, sp);
    }
  /* How many are out at once is highest at some booking's start (or at
   * ours): two bookings one after the other in our time take one each. */
  for (guint i = 0; i <= spans->len; i++)
    {
      const char *at = i == spans->len ? from : g_array_index (spans, Span, i).start;
      JsonObject *first = NULL;
      gint64      taken = 0;

      if (g_strcmp0 (at, from) < 0)
        at = from;
      for (guint k = 0; k < spans->len; k++)
        {
          Span *sp = &g_array_index (spans, Span, k);

          if (g_strcmp0 (sp->start, at) <= 0 && g_strcmp0 (sp->end, at) > 0)
            {
              taken += sp->quantity;
              if (first == NULL)
                first = sp->booking;
            }
        }
      if (first == NULL || taken + quantity <= stock)
        continue;
      {
        const char *gid = tsu_record_get_string (first, "group_id");
        g_autoptr (JsonObject) holder
            = gid ? ctx->get (ctx, "groups", gid, NULL)
                  : ctx->get (ctx, "events", tsu_record_get_string (first, "event_id"), NULL);
        const char      *os, *oe;
        g_autofree char *when = NULL;

        occupied (first, &os, &oe);
        when = tsu_datetime_span_text (os, oe);
        refusal->reason = "booking_conflict";
        refusal->other_id = g_strdup (tsu_record_get_string (first, "id"));
        refusal->message = g_strdup_printf (
            _ ("“%s” is booked by “%s” for %s."), tsu_record_get_string (resource, "name"),
            holder ? tsu_record_get_string (holder, gid ? "name" : "title") : "?", when);
      }
      return FALSE;
    }
  return TRUE;
}

static gboolean
step_2 (sqlite3 *db, GError **error)
{
  g_autofree char *sql = tsu_search_index_sql ("bookings");

  return tsu_store_exec (db, sql, error);
}

static const TsuSchemaStep schema[] = {
  { 1, "bookings table",
    "CREATE TABLE bookings (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, number TEXT, resource_id TEXT, group_id TEXT,"
    " contact_name TEXT, contact_phone TEXT, purpose TEXT, quantity INTEGER, attendees INTEGER,"
    " start_at TEXT, due_at TEXT, state TEXT, lent_at TEXT, accessories_out TEXT,"
    " masters_out INTEGER, prints_out INTEGER, returned_at TEXT, accessories_in TEXT,"
    " condition TEXT, damage_note TEXT, masters_in INTEGER, prints_in INTEGER, fee INTEGER,"
    " notes TEXT, sort_key TEXT, search_text TEXT);"
    /* A resource's bookings by time: the clash check and the timeline. */
    "CREATE INDEX bookings_resource ON bookings (resource_id, deleted, start_at, due_at);"
    "CREATE INDEX bookings_group ON bookings (group_id, deleted, start_at);"
    "CREATE INDEX bookings_list_start ON bookings (deleted, start_at);"
    "CREATE INDEX bookings_list_due ON bookings (deleted, due_at);"
    "CREATE INDEX bookings_list_number ON bookings (deleted, number);"
    "CREATE INDEX bookings_by_rowid ON bookings (rowid, deleted, sort_key);"
    "CREATE INDEX bookings_state ON bookings (deleted, state, due_at);",
    NULL },
  { 2, "bookings search index", NULL, step_2 },
  { 3, "bookings of the centre's events",
    "ALTER TABLE bookings ADD COLUMN event_id TEXT;"
    "CREATE INDEX bookings_event ON bookings (event_id, deleted);",
    NULL },
  /* The clash check asks for bookings that end after the new one starts:
   * with the end first, a resource's past bookings are never walked. The
   * inventory's "now" and "next booking" look a resource's bookings up by
   * state. */
  { 4, "bookings by end and by state",
    "CREATE INDEX bookings_resource_due ON bookings (resource_id, deleted, due_at, start_at);"
    "CREATE INDEX bookings_resource_state ON bookings (resource_id, state, deleted, due_at);",
    NULL },
  /* The 年度 report reads a year of bookings from this index alone. */
  { 5, "bookings: the report's covering index",
    "CREATE INDEX IF NOT EXISTS bookings_report ON bookings"
    " (deleted, start_at, state, resource_id, due_at, returned_at, group_id);",
    NULL },
};

const TsuCollection tsu_booking_collection = {
  .name = "bookings",
  .label = N_ ("Bookings"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .computed = computed,
  .n_computed = G_N_ELEMENTS (computed),
  .sort_name = V ("number"),
  .sorts = sorts,
  .n_sorts = G_N_ELEMENTS (sorts),
  .import_keys = V ("number"),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .check = check,
  .guard = guard,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .lookup_keys = (const char *const[]){ "resource_id", NULL },
};
