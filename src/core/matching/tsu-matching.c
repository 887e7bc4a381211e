/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-matching.h"
#include "tsu-centre.h"
#include "tsu-date.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-matching-error-quark, tsu_matching_error)
// clang-format on

/* The next "2026-001" style number of @table's @column for @prefix, inside
 * the caller's transaction. */
static char *
next_number (sqlite3 *db, const char *table, const char *column, const char *prefix, GError **error)
{
  g_autofree char *sql
      = g_strdup_printf ("SELECT max(CAST(substr(%1$s, length(?1) + 1) AS INTEGER)) FROM %2$s"
                         " WHERE %1$s >= ?1 AND %1$s < ?1 || ':'",
                         column, table);
  sqlite3_stmt *stmt = NULL;
  gint64        max = 0;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "number");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return g_strdup_printf ("%s%03" G_GINT64_FORMAT, prefix, max + 1);
}

typedef struct
{
  const char  *id;
  const GDate *today;
  JsonObject  *fields;
  char        *new_id;
  const char  *a, *b, *c; /* action arguments */
} Args;

static gboolean
register_txn (TsuStore *store, gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr (JsonObject) v = tsu_store_get (store, "volunteers", a->id, error);
  g_autoptr (JsonObject) change = json_object_new ();
  int              fy = tsu_fiscal_year (a->today);
  gint64           years = tsu_centre_get_int (store, "volunteer.valid_years", 3);
  g_autofree char *iso = tsu_date_to_iso (a->today);
  GDate            first, last;

  if (v == NULL)
    return FALSE;
  if (tsu_record_get_string (v, "registration_number") == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("%d-", fy);
      g_autofree char *n = next_number (tsu_store_get_db (store), "volunteers",
                                        "registration_number", prefix, error);
      if (n == NULL)
        return FALSE;
      json_object_set_string_member (change, "registration_number", n);
    }
  tsu_fiscal_year_range (fy + (int)CLAMP (years, 1, 10) - 1, &first, &last);
  {
    g_autofree char *until = tsu_date_to_iso (&last);
    json_object_set_string_member (change, "expires_on", until);
  }
  json_object_set_string_member (change, "registered_on", iso);
  json_object_set_string_member (change, "status", "active");
  return tsu_store_update (store, "volunteers", a->id, change, error);
}

gboolean
tsu_volunteer_register (TsuStore *store, const char *id, const GDate *today, GError **error)
{
  Args a = { .id = id, .today = today };

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, register_txn, &a, error);
}

static gboolean
create_volunteer_txn (TsuStore *store, gpointer data, GError **error)
{
  Args *a = data;

  a->new_id = tsu_store_insert (store, "volunteers", a->fields, error);
  if (a->new_id == NULL)
    return FALSE;
  a->id = a->new_id;
  return register_txn (store, a, error);
}

/**
 * tsu_volunteer_create:
 *
 * A new volunteer, registered at once (number, dates, 活動中) in the same
 * transaction: what the counter does with a filled-in form.
 *
 * Returns: (transfer full): the new id, or %NULL with @error
 */
char *
tsu_volunteer_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error)
{
  Args a = { .fields = fields, .today = today };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, create_volunteer_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  return a.new_id;
}

/**
 * tsu_volunteer_record_consent:
 * @purpose: (nullable): what the details are for (紹介先・目的)
 */
gboolean
tsu_volunteer_record_consent (TsuStore    *store,
                              const char  *volunteer_id,
                              const char  *purpose,
                              const GDate *today,
                              GError     **error)
{
  g_autoptr (JsonObject) change = json_object_new ();
  g_autofree char *iso = tsu_date_to_iso (today);
  g_autofree char *clean = purpose ? g_strstrip (g_strdup (purpose)) : NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  json_object_set_string_member (change, "contact_consent_on", iso);
  if (clean && *clean)
    json_object_set_string_member (change, "contact_consent_purpose", clean);
  json_object_set_string_member (change, "contact_consent_by", tsu_store_get_author (store));
  return tsu_store_update (store, "volunteers", volunteer_id, change, error);
}

gboolean
tsu_volunteer_has_consent (JsonObject *volunteer)
{
  return volunteer != NULL && tsu_record_get_string (volunteer, "contact_consent_on") != NULL;
}

static gboolean
create_request_txn (TsuStore *store, gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr (JsonObject) fields = json_object_new ();
  GList *names = json_object_get_members (a->fields);

  for (GList *l = names; l; l = l->next)
    json_object_set_member (fields, l->data,
                            json_node_copy (json_object_get_member (a->fields, l->data)));
  g_list_free (names);
  if (tsu_record_get_string (fields, "number") == NULL)
    {
      g_autofree char *prefix = g_strdup_printf ("R%d-", tsu_fiscal_year (a->today));
      g_autofree char *n
          = next_number (tsu_store_get_db (store), "requests", "number", prefix, error);
      if (n == NULL)
        return FALSE;
      json_object_set_string_member (fields, "number", n);
    }
  if (tsu_record_get_string (fields, "status") == NULL)
    json_object_set_string_member (fields, "status", "open");
  if (tsu_record_get_string (fields, "schedule") == NULL)
    json_object_set_string_member (fields, "schedule", "once");
  a->new_id = tsu_store_insert (store, "requests", fields, error);
  return a->new_id != NULL;
}

char *
tsu_request_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error)
{
  Args a = { .fields = fields, .today = today };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, create_request_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  return a.new_id;
}

/* ---- matches ---- */

static const char *const main_line[]
    = { "suggested", "proposed", "contacted", "consented", "confirmed", "completed", NULL };

static int
main_index (const char *state)
{
  for (int i = 0; main_line[i]; i++)
    if (g_strcmp0 (main_line[i], state) == 0)
      return i;
  return -1;
}

/**
 * tsu_match_state_allowed:
 *
 * Returns: whether a match in @from may move to @to: forward along the
 *   main line (steps may be skipped up to 確定; 完了 only from 確定),
 *   辞退 and 取消 before 確定 is done, 不参加 and 取消 from 確定
 */
gboolean
tsu_match_state_allowed (const char *from, const char *to)
{
  int f = main_index (from), t = main_index (to);

  if (f < 0)
    return FALSE; /* 辞退, 取消, 不参加 are final (undo goes through the history) */
  if (t >= 0)
    return t > f && (t != 5 || f == 4);
  if (g_strcmp0 (to, "declined") == 0)
    return f < 4;
  if (g_strcmp0 (to, "cancelled") == 0)
    return f <= 4;
  if (g_strcmp0 (to, "no_show") == 0)
    return f == 4;
  return FALSE;
}

static gboolean
propose_txn (TsuStore *store, gpointer data, GError **error)
{
  Args *a = data;
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autofree char *iso = tsu_date_to_iso (a->today);
  sqlite3_stmt    *stmt = NULL;
  gboolean         taken = FALSE;

  if (sqlite3_prepare_v2 (tsu_store_get_db (store),
                          "SELECT 1 FROM matches WHERE request_id = ? AND volunteer_id = ?"
                          " AND deleted = 0 AND state NOT IN ('declined', 'cancelled', 'no_show')",
                          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, a->a, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, a->b, -1, SQLITE_STATIC);
      taken = sqlite3_step (stmt) == SQLITE_ROW;
    }
  sqlite3_finalize (stmt);
  if (taken)
    {
      g_set_error_literal (error, TSU_MATCHING_ERROR, TSU_MATCHING_ERROR_EXISTS,
                           _ ("This person is already asked for this request."));
      return FALSE;
    }
  json_object_set_string_member (fields, "request_id", a->a);
  json_object_set_string_member (fields, "volunteer_id", a->b);
  json_object_set_string_member (fields, "state", "proposed");
  json_object_set_string_member (fields, "state_on", iso);
  json_object_set_string_member (fields, "staff", tsu_store_get_author (store));
  a->new_id = tsu_store_insert (store, "matches", fields, error);
  return a->new_id != NULL;
}

char *
tsu_match_propose (TsuStore    *store,
                   const char  *request_id,
                   const char  *volunteer_id,
                   const GDate *today,
                   GError     **error)
{
  Args a = { .today = today, .a = request_id, .b = volunteer_id };

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, propose_txn, &a, error))
    g_clear_pointer (&a.new_id, g_free);
  return a.new_id;
}

static gint64
count_confirmed (sqlite3 *db, const char *request_id)
{
  sqlite3_stmt *stmt = NULL;
  gint64        n = 0;

  if (sqlite3_prepare_v2 (db,
                          "SELECT count(*) FROM matches WHERE request_id = ? AND deleted = 0"
                          " AND state IN ('confirmed', 'completed')",
                          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, request_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

typedef struct
{
  const char  *match_id;
  const char  *state;
  const char  *note;
  const char  *override_reason;
  const GDate *today;
} SetState;

static gboolean
set_state_txn (TsuStore *store, gpointer data, GError **error)
{
  SetState *s = data;
  g_autoptr (JsonObject) m = tsu_store_get (store, "matches", s->match_id, error);
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonObject) request = NULL;
  g_autofree char *iso = tsu_date_to_iso (s->today);
  const char      *from;
  const char      *request_id;
  gint64           needed = 1, confirmed;

  if (m == NULL)
    return FALSE;
  from = tsu_record_get_string (m, "state");
  if (!tsu_match_state_allowed (from, s->state))
    {
      g_set_error (
          error, TSU_MATCHING_ERROR, TSU_MATCHING_ERROR_STATE,
          _ ("A match that is “%s” cannot become “%s”."),
          tsu_field_choice_label (
              tsu_collection_lookup_field (tsu_collection_lookup ("matches"), "state"), from),
          tsu_field_choice_label (
              tsu_collection_lookup_field (tsu_collection_lookup ("matches"), "state"), s->state));
      return FALSE;
    }
  json_object_set_string_member (change, "state", s->state);
  json_object_set_string_member (change, "state_on", iso);
  json_object_set_string_member (change, "staff", tsu_store_get_author (store));
  if (s->note)
    json_object_set_string_member (change, "note", s->note);
  if (s->override_reason)
    {
      json_object_set_boolean_member (change, "override", TRUE);
      json_object_set_string_member (change, "override_reason", s->override_reason);
    }
  if (!tsu_store_update (store, "matches", s->match_id, change, error))
    return FALSE;

  /* The request fills up, or opens again. */
  request_id = tsu_record_get_string (m, "request_id");
  request = tsu_store_get (store, "requests", request_id, error);
  if (request == NULL)
    return FALSE;
  tsu_record_get_int (request, "people_needed", &needed);
  confirmed = count_confirmed (tsu_store_get_db (store), request_id);
  {
    const char *status = tsu_record_get_string (request, "status");
    g_autoptr (JsonObject) rc = json_object_new ();

    if (g_strcmp0 (status, "open") == 0 && confirmed >= needed)
      json_object_set_string_member (rc, "status", "filled");
    else if (g_strcmp0 (status, "filled") == 0 && confirmed < needed)
      json_object_set_string_member (rc, "status", "open");
    if (json_object_get_size (rc) > 0
        && !tsu_store_update (store, "requests", request_id, rc, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
tsu_match_set_state (TsuStore    *store,
                     const char  *match_id,
                     const char  *state,
                     const char  *note,
                     const char  *override_reason,
                     const GDate *today,
                     GError     **error)
{
  SetState s = { match_id, state, note, override_reason, today };

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, set_state_txn, &s, error);
}

/* ---- erasure on request ---- */

typedef struct
{
  const char *id;
  GPtrArray  *related; /* "collection\tid" */
  guint       n;
} EraseData;

static const char *const erase_related[] = { "matches", "consultations", "registrations" };

static gboolean
related_read (sqlite3 *db, gpointer data, GError **error)
{
  EraseData *e = data;

  for (guint i = 0; i < G_N_ELEMENTS (erase_related); i++)
    {
      /* Deleted rows too: a tombstone keeps its values until erased. */
      g_autofree char *sql
          = g_strdup_printf ("SELECT id FROM %s WHERE volunteer_id = ?", erase_related[i]);
      sqlite3_stmt *stmt = NULL;
      int           rc;

      if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
        {
          tsu_store_set_sqlite_error (error, db, "erase");
          return FALSE;
        }
      sqlite3_bind_text (stmt, 1, e->id, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (e->related, g_strdup_printf ("%s\t%s", erase_related[i],
                                                      sqlite3_column_text (stmt, 0)));
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        {
          tsu_store_set_sqlite_error (error, db, "erase");
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
erase_txn (TsuStore *store, gpointer data, GError **error)
{
  EraseData *e = data;

  if (!tsu_store_read (store, related_read, e, error))
    return FALSE;
  for (guint i = 0; i < e->related->len; i++)
    {
      g_auto (GStrv) parts = g_strsplit (g_ptr_array_index (e->related, i), "\t", 2);

      if (!tsu_store_erase (store, parts[0], parts[1], error))
        return FALSE;
      e->n++;
    }
  return tsu_store_erase (store, "volunteers", e->id, error);
}

/**
 * tsu_volunteer_erase:
 *
 * Returns: %TRUE when the person and the records naming them were erased
 */
gboolean
tsu_volunteer_erase (TsuStore *store, const char *volunteer_id, guint *n_related, GError **error)
{
  g_autoptr (GPtrArray) related = g_ptr_array_new_with_free_func (g_free);
  EraseData e = { volunteer_id, related, 0 };

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (volunteer_id != NULL, FALSE);

  if (!tsu_store_transaction (store, TSU_ORIGIN_LOCAL, erase_txn, &e, error))
    return FALSE;
  if (n_related)
    *n_related = e.n;
  return TRUE;
}
