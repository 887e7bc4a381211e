/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group.h"
#include "tsu-group-collection.h"
#include "tsu-store-private.h"
#include "tsu-kana.h"
#include "tsu-fold.h"
#include "tsu-date.h"
#include "tsu-ident.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-group-error-quark, tsu_group_error)
// clang-format on

static const char *status_names[TSU_GROUP_N_STATUSES] = {
  N_ ("Applying"), N_ ("Registered"), N_ ("Renewal due"), N_ ("Lapsed"), N_ ("Withdrawn"),
};

/* Japanese names as written in CSV files, whatever the UI language. */
static const char *status_csv_names[TSU_GROUP_N_STATUSES] = {
  "申請中", "登録", "更新待ち", "失効", "退会",
};

/**
 * tsu_group_status_name:
 *
 * Returns: the translated name of @status (申請中, 登録…)
 */
const char *
tsu_group_status_name (TsuGroupStatus status)
{
  g_return_val_if_fail (status < TSU_GROUP_N_STATUSES, "");
  return _ (status_names[status]);
}

/**
 * tsu_group_status_from_name:
 *
 * Reads a status as a CSV file writes it (申請中…), or its translated name.
 *
 * Returns: %TRUE when @name is a status
 */
gboolean
tsu_group_status_from_name (const char *name, TsuGroupStatus *status)
{
  g_autofree char *t = g_strstrip (g_strdup (name ? name : ""));

  for (guint i = 0; i < TSU_GROUP_N_STATUSES; i++)
    if (g_str_equal (t, status_csv_names[i]) || g_str_equal (t, _ (status_names[i]))
        || g_str_equal (t, status_names[i]))
      {
        *status = i;
        return TRUE;
      }
  if (g_str_equal (t, "登録済") || g_str_equal (t, "登録済み"))
    {
      *status = TSU_GROUP_STATUS_REGISTERED;
      return TRUE;
    }
  return FALSE;
}

/**
 * tsu_group_status_csv_name:
 *
 * Returns: the status as CSV files write it (申請中…), in any UI language
 */
const char *
tsu_group_status_csv_name (TsuGroupStatus status)
{
  g_return_val_if_fail (status < TSU_GROUP_N_STATUSES, "");
  return status_csv_names[status];
}

/**
 * tsu_group_renewal_start:
 * @fiscal_year: the 年度 a registration runs to
 * @renewal_days: how many days before that 年度 ends renewal is due
 * @out: (out caller-allocates): the first day of 更新待ち
 */
void
tsu_group_renewal_start (int fiscal_year, guint renewal_days, GDate *out)
{
  GDate first;

  tsu_fiscal_year_range (fiscal_year, &first, out);
  /* 31 March itself counts as one of the days. */
  if (renewal_days > 0)
    g_date_subtract_days (out, renewal_days - 1);
}

/**
 * tsu_group_valid_fiscal_year:
 *
 * The 年度 the registration runs to: valid_fiscal_year, or when a record has
 * none, the 年度 of its registration date.
 *
 * Returns: the 年度, or 0 when the group was never registered
 */
int
tsu_group_valid_fiscal_year (JsonObject *group)
{
  gint64 fy;
  GDate  d;

  if (tsu_record_get_int (group, "valid_fiscal_year", &fy))
    return (int)fy;
  if (tsu_date_from_iso (tsu_record_get_string (group, "registered_on"), &d))
    return tsu_fiscal_year (&d);
  return 0;
}

/**
 * tsu_group_status:
 * @group: a record (as tsu_store_get() returns it)
 * @today: the day to judge on
 * @renewal_days: days before the 年度 ends from which renewal is due
 *
 * Derives the status from the dates: 退会 once withdrawn_on has come,
 * 申請中 until registered_on, 失効 after the valid 年度, 更新待ち in its
 * last @renewal_days days, else 登録. The SQL in tsu-group-query.c
 * computes the same.
 *
 * Returns: the status
 */
TsuGroupStatus
tsu_group_status (JsonObject *group, const GDate *today, guint renewal_days)
{
  GDate d, start;
  int   valid, fy;

  g_return_val_if_fail (group != NULL, TSU_GROUP_STATUS_APPLYING);
  g_return_val_if_fail (today != NULL && g_date_valid (today), TSU_GROUP_STATUS_APPLYING);

  if (tsu_date_from_iso (tsu_record_get_string (group, "withdrawn_on"), &d)
      && g_date_compare (&d, today) <= 0)
    return TSU_GROUP_STATUS_WITHDRAWN;
  if (!tsu_date_from_iso (tsu_record_get_string (group, "registered_on"), &d)
      || g_date_compare (&d, today) > 0)
    return TSU_GROUP_STATUS_APPLYING;
  valid = tsu_group_valid_fiscal_year (group);
  fy = tsu_fiscal_year (today);
  if (valid < fy)
    return TSU_GROUP_STATUS_LAPSED;
  if (valid == fy)
    {
      tsu_group_renewal_start (valid, renewal_days, &start);
      if (g_date_compare (today, &start) >= 0)
        return TSU_GROUP_STATUS_RENEWAL_DUE;
    }
  return TSU_GROUP_STATUS_REGISTERED;
}

/**
 * tsu_group_field_name:
 * @code: 1..20
 *
 * Returns: the translated name of an activity field, or %NULL
 */
const char *
tsu_group_field_name (guint code)
{
  if (code < 1 || code > TSU_GROUP_N_FIELDS)
    return NULL;
  return _ (tsu_activity_fields[code - 1].label);
}

/**
 * tsu_group_field_from_text:
 * @text: a code ("7", "７") or a name (環境の保全)
 *
 * Returns: the code 1..20, or 0 when @text is neither
 */
guint
tsu_group_field_from_text (const char *text)
{
  g_autofree char *t = NULL;
  guint64          v;

  if (text == NULL)
    return 0;
  t = g_utf8_normalize (text, -1, G_NORMALIZE_NFKC);
  if (t == NULL)
    return 0;
  g_strstrip (t);
  if (*t == '\0')
    return 0;
  if (g_ascii_string_to_unsigned (t, 10, 1, TSU_GROUP_N_FIELDS, &v, NULL))
    return (guint)v;
  for (guint i = 0; i < TSU_GROUP_N_FIELDS; i++)
    {
      g_autofree char *n = g_utf8_normalize (tsu_activity_fields[i].label, -1, G_NORMALIZE_NFKC);
      if (g_str_equal (t, n) || g_str_equal (text, _ (tsu_activity_fields[i].label)))
        return i + 1;
    }
  return 0;
}

/**
 * tsu_group_is_public:
 * @publish_key: an entry public_fields may hold
 *
 * Returns: %TRUE when the group marked that field 公開
 */
gboolean
tsu_group_is_public (JsonObject *group, const char *publish_key)
{
  return tsu_record_array_has_string (group, "public_fields", publish_key);
}

/**
 * tsu_group_rep_name:
 *
 * Returns: (transfer full) (nullable): "family given" of the representative
 */
char *
tsu_group_rep_name (JsonObject *group)
{
  return tsu_record_join (group, "rep_family_name", "rep_given_name", " ");
}

/**
 * tsu_group_rep_kana:
 *
 * Returns: (transfer full) (nullable): the representative's reading, parts
 *   separated by an ideographic space
 */
char *
tsu_group_rep_kana (JsonObject *group)
{
  return tsu_record_join (group, "rep_family_kana", "rep_given_kana", "\u3000");
}

/**
 * tsu_group_check:
 *
 * The collection's rules over a whole group (tsu_collection_check_row()):
 * counts that must agree, and a warning for a group without a reading
 * (it sorts by its characters' codes, not in 五十音順).
 */
void
tsu_group_check (JsonObject *group, GPtrArray *problems)
{
  gint64 total, in_city;

  if (tsu_record_get_int (group, "members_in_city", &in_city)
      && tsu_record_get_int (group, "members_total", &total) && in_city > total)
    tsu_problems_add (problems, "members_in_city", TRUE, "%s",
                      _ ("Members living in the city cannot outnumber all members."));
  if (tsu_record_get_string (group, "name") != NULL
      && tsu_record_get_string (group, "name_kana") == NULL)
    tsu_problems_add (problems, "name_kana", FALSE, "%s",
                      _ ("Without a reading the group cannot be sorted in 五十音順."));
}

static gboolean
has_declaration (JsonObject *group, const char *decl)
{
  return tsu_record_array_has_string (group, "declarations", decl);
}

/**
 * tsu_group_check_eligibility:
 * @min_members: the centre's minimum member count
 * @problems: receives warnings (never errors: the counter decides)
 *
 * The registration requirements: enough members and the four purpose
 * declarations (non-profit, public benefit, not mainly religious, political
 * or electoral, not controlled by 暴力団).
 */
void
tsu_group_check_eligibility (JsonObject *group, guint min_members, GPtrArray *problems)
{
  gint64 total;

  if (!tsu_record_get_int (group, "members_total", &total))
    tsu_problems_add (problems, "members_total", FALSE, _ ("The member count is not known."));
  else if (total < min_members)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("The group has %d members; registration needs at least %u."), (int)total, min_members);
      tsu_problems_add (problems, "members_total", FALSE, "%s", msg);
    }
  if (!has_declaration (group, TSU_GROUP_DECL_NON_PROFIT))
    tsu_problems_add (problems, TSU_GROUP_DECL_NON_PROFIT, FALSE,
                      _ ("The group has not declared that it is non-profit."));
  if (!has_declaration (group, TSU_GROUP_DECL_PUBLIC_BENEFIT))
    tsu_problems_add (problems, TSU_GROUP_DECL_PUBLIC_BENEFIT, FALSE,
                      _ ("The group has not declared that its activities serve the public."));
  if (!has_declaration (group, TSU_GROUP_DECL_NOT_RELIGIOUS))
    tsu_problems_add (
        problems, TSU_GROUP_DECL_NOT_RELIGIOUS, FALSE,
        _ ("The group has not declared that it is not mainly religious, political or electoral."));
  if (!has_declaration (group, TSU_GROUP_DECL_NO_CRIME))
    tsu_problems_add (
        problems, TSU_GROUP_DECL_NO_CRIME, FALSE,
        _ ("The group has not declared that it is free of organized crime (暴力団) control."));
}

typedef struct
{
  JsonObject *group;
  const char *exclude_id;
  JsonArray  *result;
  GHashTable *seen;
} Duplicates;

static gboolean
find_by (sqlite3    *db,
         Duplicates *d,
         const char *sql,
         const char *value,
         const char *reason,
         GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  if (value == NULL || *value == '\0')
    return TRUE;
  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "duplicates");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, d->exclude_id ? d->exclude_id : "", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = (const char *)sqlite3_column_text (stmt, 0);
      const char *name = (const char *)sqlite3_column_text (stmt, 1);
      JsonObject *o;

      if (g_hash_table_contains (d->seen, id))
        continue;
      g_hash_table_add (d->seen, g_strdup (id));
      o = json_object_new ();
      json_object_set_string_member (o, "id", id);
      json_object_set_string_member (o, "name", name ? name : "");
      json_object_set_string_member (o, "reason", reason);
      json_array_add_object_element (d->result, o);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "duplicates");
      return FALSE;
    }
  return TRUE;
}

static gboolean
find_duplicates_read (sqlite3 *db, gpointer data, GError **error)
{
  Duplicates *d = data;
  const char *phones[] = { tsu_record_get_string (d->group, "phone"),
                           tsu_record_get_string (d->group, "contact_phone") };

  if (!find_by (db, d,
                "SELECT id, name FROM groups WHERE name_kana = ?1 AND id != ?2 AND deleted = 0",
                tsu_record_get_string (d->group, "name_kana"), _ ("Same reading"), error)
      || !find_by (db, d,
                   "SELECT id, name FROM groups WHERE corporate_number = ?1 AND id != ?2"
                   " AND deleted = 0",
                   tsu_record_get_string (d->group, "corporate_number"),
                   _ ("Same corporate number"), error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (phones); i++)
    if (!find_by (db, d,
                  "SELECT id, name FROM groups WHERE (phone = ?1 OR contact_phone = ?1)"
                  " AND id != ?2 AND deleted = 0",
                  phones[i], _ ("Same phone number"), error))
      return FALSE;
  return TRUE;
}

/**
 * tsu_group_find_duplicates:
 * @group: normalised values of the group being added or edited
 * @exclude_id: (nullable): the group itself
 *
 * Likely duplicates: another group (not deleted) with the same reading, the
 * same 法人番号, or the same phone number (its own or its contact's). Reads
 * on the store's reader: never waits for an import.
 *
 * Returns: (transfer full) (nullable): objects with id, name and reason
 *   (translated), or %NULL on error
 */
JsonArray *
tsu_group_find_duplicates (TsuStore   *store,
                           JsonObject *group,
                           const char *exclude_id,
                           GError    **error)
{
  g_autoptr (JsonArray) result = json_array_new ();
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Duplicates d = { group, exclude_id, result, seen };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  if (!tsu_store_read (store, find_duplicates_read, &d, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* The next "2026-001" style number of @fiscal_year; runs inside the
 * registering transaction, so no other writer can take it meanwhile. */
static char *
next_registration_number (sqlite3 *db, int fiscal_year, GError **error)
{
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *prefix = g_strdup_printf ("%d-", fiscal_year);
  g_autofree char *upper = g_strdup_printf ("%d.", fiscal_year);
  gint64           max = 0;
  int              rc;

  if (sqlite3_prepare_v2 (
          db,
          "SELECT max(CAST(substr(registration_number, length(?1) + 1) AS INTEGER))"
          " FROM groups WHERE registration_number >= ?1 AND registration_number < ?2",
          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "registration number");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_ROW)
    {
      tsu_store_set_sqlite_error (error, db, "registration number");
      return NULL;
    }
  return g_strdup_printf ("%d-%03" G_GINT64_FORMAT, fiscal_year, max + 1);
}

/* One lifecycle action: reads, checks and writes in one transaction. */
typedef struct
{
  const char  *id;
  const GDate *today;
  guint        renewal_days;
  gboolean (*step) (
      TsuStore *store, gpointer data, JsonObject *group, JsonObject *change, GError **error);
} Action;

static gboolean
action_txn (TsuStore *store, gpointer user_data, GError **error)
{
  Action *a = user_data;
  g_autoptr (JsonObject) g = tsu_store_get (store, "groups", a->id, error);
  g_autoptr (JsonObject) change = json_object_new ();

  if (g == NULL)
    return FALSE;
  if (json_object_get_boolean_member (g, "deleted"))
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("The record has been deleted."));
      return FALSE;
    }
  if (!a->step (store, a, g, change, error))
    return FALSE;
  return tsu_store_update (store, "groups", a->id, change, error);
}

static gboolean
run_action (TsuStore *store, Action *a, GError **error)
{
  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (a->id != NULL, FALSE);

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, action_txn, a, error);
}

static gboolean
register_step (TsuStore *store, gpointer data, JsonObject *g, JsonObject *change, GError **error)
{
  Action          *a = data;
  g_autofree char *iso = tsu_date_to_iso (a->today);
  int              fy = tsu_fiscal_year (a->today);

  if (tsu_group_status (g, a->today, 0) != TSU_GROUP_STATUS_APPLYING)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE, _ ("“%s” is already registered."),
                   tsu_record_get_string (g, "name"));
      return FALSE;
    }
  json_object_set_string_member (change, "registered_on", iso);
  if (tsu_record_get_string (g, "applied_on") == NULL)
    json_object_set_string_member (change, "applied_on", iso);
  json_object_set_int_member (change, "valid_fiscal_year", fy);
  if (tsu_record_get_string (g, "registration_number") == NULL)
    {
      g_autofree char *n = next_registration_number (tsu_store_get_db (store), fy, error);

      if (n == NULL)
        return FALSE;
      json_object_set_string_member (change, "registration_number", n);
    }
  return TRUE;
}

/**
 * tsu_group_register:
 *
 * 申請中 → 登録: registered today, valid for this 年度, with the next
 * registration number when it has none.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_register (TsuStore *store, const char *id, const GDate *today, GError **error)
{
  Action a = { id, today, 0, register_step };

  return run_action (store, &a, error);
}

/**
 * tsu_group_can_renew:
 *
 * Renewal is offered once per 年度: in the renewal window (更新待ち) or for a
 * lapsed group, never again once renewed.
 *
 * Returns: whether @group may be renewed today
 */
gboolean
tsu_group_can_renew (JsonObject *group, const GDate *today, guint renewal_days)
{
  TsuGroupStatus s = tsu_group_status (group, today, renewal_days);

  return s == TSU_GROUP_STATUS_RENEWAL_DUE || s == TSU_GROUP_STATUS_LAPSED;
}

/**
 * tsu_group_renewal_fiscal_year:
 *
 * Returns: the 年度 a renewal today makes the registration run to: the next
 *   one in the renewal window, this one for a lapsed group
 */
int
tsu_group_renewal_fiscal_year (JsonObject *group, const GDate *today)
{
  return MAX (tsu_group_valid_fiscal_year (group) + 1, tsu_fiscal_year (today));
}

static gboolean
renew_step (TsuStore *store, gpointer data, JsonObject *g, JsonObject *change, GError **error)
{
  Action          *a = data;
  g_autofree char *iso = tsu_date_to_iso (a->today);
  TsuGroupStatus   status = tsu_group_status (g, a->today, a->renewal_days);
  const char      *name = tsu_record_get_string (g, "name");

  if (!tsu_group_can_renew (g, a->today, a->renewal_days))
    {
      g_autofree char *fy
          = tsu_fiscal_year_format (tsu_group_valid_fiscal_year (g), TSU_DATE_STYLE_SEIREKI);

      if (status == TSU_GROUP_STATUS_APPLYING)
        g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE,
                     _ ("“%s” is not registered yet: register it first."), name);
      else if (status == TSU_GROUP_STATUS_WITHDRAWN)
        g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE,
                     _ ("“%s” has withdrawn and cannot be renewed."), name);
      else
        g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE,
                     _ ("“%s” is registered through %s; it can be renewed from the renewal "
                        "period before that 年度 ends."),
                     name, fy);
      return FALSE;
    }
  json_object_set_int_member (change, "valid_fiscal_year",
                              tsu_group_renewal_fiscal_year (g, a->today));
  json_object_set_string_member (change, "renewed_on", iso);
  return TRUE;
}

/**
 * tsu_group_renew:
 * @renewal_days: the renewal period (preference), to judge 更新待ち
 *
 * Renews a registration in the renewal window for the next 年度, or a
 * lapsed one for this 年度, in one update so the history shows the old and
 * new 年度. Refused at any other time: a second renewal in one 年度 would
 * silently add years.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_renew (
    TsuStore *store, const char *id, const GDate *today, guint renewal_days, GError **error)
{
  Action a = { id, today, renewal_days, renew_step };

  return run_action (store, &a, error);
}

static gboolean
withdraw_step (TsuStore *store, gpointer data, JsonObject *g, JsonObject *change, GError **error)
{
  Action          *a = data;
  g_autofree char *iso = tsu_date_to_iso (a->today);

  if (tsu_record_get_string (g, "withdrawn_on") != NULL)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE, _ ("“%s” has already withdrawn."),
                   tsu_record_get_string (g, "name"));
      return FALSE;
    }
  json_object_set_string_member (change, "withdrawn_on", iso);
  return TRUE;
}

/**
 * tsu_group_withdraw:
 * @withdrawn_on: the day the group left (the day its notice came, often today)
 *
 * 退会: sets withdrawn_on; the record stays, with its history.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_withdraw (TsuStore *store, const char *id, const GDate *withdrawn_on, GError **error)
{
  Action a = { id, withdrawn_on, 0, withdraw_step };

  return run_action (store, &a, error);
}

/* The valid 年度: the column, or the 年度 of the registration date. */
#define VALID_FY_SQL                                                                               \
  "coalesce(valid_fiscal_year, CAST(substr(registered_on, 1, 4) AS INTEGER)"                       \
  " - (substr(registered_on, 6, 2) < '04'))"

/**
 * tsu_group_status_sql:
 *
 * The SQL expression of tsu_group_status() over a groups row, with the
 * day's values written in (they are dates and numbers we make, never
 * user input).
 *
 * Returns: (transfer full): the expression
 */
char *
tsu_group_status_sql (const GDate *today, guint renewal_days)
{
  g_autofree char *iso = tsu_date_to_iso (today);
  int              fy = tsu_fiscal_year (today);
  GDate            start;
  gboolean         due;

  tsu_group_renewal_start (fy, renewal_days, &start);
  due = g_date_compare (today, &start) >= 0;
  return g_strdup_printf ("(CASE"
                          " WHEN withdrawn_on IS NOT NULL AND withdrawn_on <= '%1$s' THEN %3$d"
                          " WHEN registered_on IS NULL OR registered_on > '%1$s' THEN %4$d"
                          " WHEN " VALID_FY_SQL " < %2$d THEN %5$d"
                          " WHEN " VALID_FY_SQL " = %2$d AND %6$d THEN %7$d"
                          " ELSE %8$d END)",
                          iso, fy, TSU_GROUP_STATUS_WITHDRAWN, TSU_GROUP_STATUS_APPLYING,
                          TSU_GROUP_STATUS_LAPSED, due ? 1 : 0, TSU_GROUP_STATUS_RENEWAL_DUE,
                          TSU_GROUP_STATUS_REGISTERED);
}

/**
 * tsu_group_today:
 * @out: (out caller-allocates): today's local date, or the date in the
 *   TSUNAGU_TODAY environment variable (YYYY-MM-DD) for tests and demos
 */
void
tsu_group_today (GDate *out)
{
  const char *fixed = g_getenv ("TSUNAGU_TODAY");
  g_autoptr (GDateTime) now = NULL;

  g_date_clear (out, 1);
  if (fixed && tsu_date_from_iso (fixed, out))
    return;
  now = g_date_time_new_now_local ();
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}
