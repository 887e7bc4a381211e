/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group.h"
#include "tsu-store-private.h"
#include "tsu-kana.h"
#include "tsu-fold.h"
#include "tsu-date.h"
#include "tsu-ident.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-group-error-quark, tsu_group_error)
// clang-format on

/* NPO Act appendix (特定非営利活動促進法 別表), codes 1..20. */
static const char *field_names[TSU_GROUP_N_FIELDS] = {
  N_ ("保健・医療・福祉"),
  N_ ("社会教育"),
  N_ ("まちづくり"),
  N_ ("観光"),
  N_ ("農山漁村・中山間地域"),
  N_ ("学術・文化・芸術・スポーツ"),
  N_ ("環境の保全"),
  N_ ("災害救援"),
  N_ ("地域安全"),
  N_ ("人権擁護・平和"),
  N_ ("国際協力"),
  N_ ("男女共同参画"),
  N_ ("子どもの健全育成"),
  N_ ("情報化社会"),
  N_ ("科学技術"),
  N_ ("経済活動の活性化"),
  N_ ("職業能力開発・雇用機会"),
  N_ ("消費者の保護"),
  N_ ("NPOの運営・活動の連絡・助言・援助"),
  N_ ("都道府県・指定都市の条例で定める活動"),
};

static const char *status_names[TSU_GROUP_N_STATUSES] = {
  N_ ("Applying"), N_ ("Registered"), N_ ("Renewal due"), N_ ("Lapsed"), N_ ("Withdrawn"),
};

/* Japanese names as written in CSV files, whatever the UI language. */
static const char *status_csv_names[TSU_GROUP_N_STATUSES] = {
  "申請中", "登録", "更新待ち", "失効", "退会",
};

/* Contact fields that carry a 公開/非公開 flag, by the name kept in
 * public_fields. "representative" and "contact_name" cover the names and
 * their readings. */
static const char *publishable[] = { "representative",
                                     "postal_code",
                                     "address",
                                     "phone",
                                     "email",
                                     "contact_name",
                                     "contact_postal_code",
                                     "contact_address",
                                     "contact_phone",
                                     "contact_email",
                                     NULL };

static const char *publishable_labels[] = {
  N_ ("Representative"),
  N_ ("Postal code"),
  N_ ("Address"),
  N_ ("Phone"),
  N_ ("E-mail"),
  N_ ("Contact person"),
  N_ ("Contact postal code"),
  N_ ("Contact address"),
  N_ ("Contact phone"),
  N_ ("Contact e-mail"),
};

/* Labels of stored fields, for the editor and the history panel. */
static const struct
{
  const char *name;
  const char *label;
} field_labels[] = {
  { "name", N_ ("Name") },
  { "name_kana", N_ ("Reading") },
  { "legal_form", N_ ("Legal form") },
  { "corporate_number", N_ ("Corporate number") },
  { "rep_family_name", N_ ("Representative family name") },
  { "rep_given_name", N_ ("Representative given name") },
  { "rep_family_kana", N_ ("Representative family name reading") },
  { "rep_given_kana", N_ ("Representative given name reading") },
  { "contact_family_name", N_ ("Contact family name") },
  { "contact_given_name", N_ ("Contact given name") },
  { "contact_family_kana", N_ ("Contact family name reading") },
  { "contact_given_kana", N_ ("Contact given name reading") },
  { "contact_postal_code", N_ ("Contact postal code") },
  { "contact_address", N_ ("Contact address") },
  { "contact_phone", N_ ("Contact phone") },
  { "contact_email", N_ ("Contact e-mail") },
  { "postal_code", N_ ("Postal code") },
  { "address", N_ ("Address") },
  { "phone", N_ ("Phone") },
  { "email", N_ ("E-mail") },
  { "founded", N_ ("Founded") },
  { "members_total", N_ ("Members") },
  { "members_in_city", N_ ("Members living in the city") },
  { "fields", N_ ("Activity fields") },
  { "purpose", N_ ("Purpose") },
  { "activities", N_ ("Activities") },
  { "meeting_place", N_ ("Where they meet") },
  { "meeting_schedule", N_ ("When they meet") },
  { "recruiting", N_ ("Recruiting members") },
  { "dues", N_ ("Membership dues") },
  { "website", N_ ("Website") },
  { "sns", N_ ("Social media") },
  { "public_fields", N_ ("Public fields") },
  { "attach_rules_on", N_ ("Rules or articles received") },
  { "attach_officers_on", N_ ("List of officers received") },
  { "attach_plan_on", N_ ("Plan and budget received") },
  { "attach_report_on", N_ ("Report and accounts received") },
  { "registration_number", N_ ("Registration number") },
  { "applied_on", N_ ("Applied on") },
  { "registered_on", N_ ("Registered on") },
  { "valid_fiscal_year", N_ ("Valid through (fiscal year)") },
  { "withdrawn_on", N_ ("Withdrawn on") },
  { "notes", N_ ("Notes") },
  { "declarations", N_ ("Declarations") },
  { "renewed_on", N_ ("Renewed on") },
};

/**
 * tsu_group_field_label:
 * @name: a stored field name
 *
 * Returns: its translated label, or @name when it has none
 */
const char *
tsu_group_field_label (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_labels); i++)
    if (g_strcmp0 (field_labels[i].name, name) == 0)
      return _ (field_labels[i].label);
  return name;
}

void
tsu_group_problem_free (TsuGroupProblem *problem)
{
  if (problem == NULL)
    return;
  g_free (problem->field);
  g_free (problem->message);
  g_free (problem);
}

/**
 * tsu_group_problems_new:
 *
 * Returns: (transfer full): an empty array of #TsuGroupProblem
 */
GPtrArray *
tsu_group_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_group_problem_free);
}

static void
add_problem (GPtrArray *problems, const char *field, gboolean is_error, const char *message)
{
  TsuGroupProblem *p;

  if (problems == NULL)
    return;
  p = g_new0 (TsuGroupProblem, 1);
  p->field = g_strdup (field);
  p->message = g_strdup (message);
  p->is_error = is_error;
  g_ptr_array_add (problems, p);
}

/**
 * tsu_group_problems_have_error:
 *
 * Returns: %TRUE when one of @problems is an error (not a warning)
 */
gboolean
tsu_group_problems_have_error (GPtrArray *problems)
{
  for (guint i = 0; problems && i < problems->len; i++)
    if (((TsuGroupProblem *)g_ptr_array_index (problems, i))->is_error)
      return TRUE;
  return FALSE;
}

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

static const char *
get_str (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
get_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
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

  if (get_int (group, "valid_fiscal_year", &fy))
    return (int)fy;
  if (tsu_date_from_iso (get_str (group, "registered_on"), &d))
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

  if (tsu_date_from_iso (get_str (group, "withdrawn_on"), &d) && g_date_compare (&d, today) <= 0)
    return TSU_GROUP_STATUS_WITHDRAWN;
  if (!tsu_date_from_iso (get_str (group, "registered_on"), &d) || g_date_compare (&d, today) > 0)
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
  return _ (field_names[code - 1]);
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
      g_autofree char *n = g_utf8_normalize (field_names[i], -1, G_NORMALIZE_NFKC);
      if (g_str_equal (t, n) || g_str_equal (text, _ (field_names[i])))
        return i + 1;
    }
  return 0;
}

/**
 * tsu_group_publishable_fields:
 *
 * Returns: (transfer none): the %NULL-terminated names that public_fields may hold
 */
const char *const *
tsu_group_publishable_fields (void)
{
  return publishable;
}

/**
 * tsu_group_publishable_label:
 *
 * Returns: the translated label of a publishable field
 */
const char *
tsu_group_publishable_label (const char *name)
{
  for (guint i = 0; publishable[i]; i++)
    if (g_strcmp0 (publishable[i], name) == 0)
      return _ (publishable_labels[i]);
  return name;
}

/**
 * tsu_group_is_public:
 * @publishable: one of tsu_group_publishable_fields()
 *
 * Returns: %TRUE when the group marked that field 公開
 */
gboolean
tsu_group_is_public (JsonObject *group, const char *name)
{
  JsonNode  *n = json_object_get_member (group, "public_fields");
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (e), name) == 0)
        return TRUE;
    }
  return FALSE;
}

static char *
join_name (JsonObject *g, const char *family, const char *given, const char *sep)
{
  const char *f = get_str (g, family), *n = get_str (g, given);

  if ((f == NULL || !*f) && (n == NULL || !*n))
    return NULL;
  if (f == NULL || !*f)
    return g_strdup (n);
  if (n == NULL || !*n)
    return g_strdup (f);
  return g_strconcat (f, sep, n, NULL);
}

/**
 * tsu_group_rep_name:
 *
 * Returns: (transfer full) (nullable): "family given" of the representative
 */
char *
tsu_group_rep_name (JsonObject *group)
{
  return join_name (group, "rep_family_name", "rep_given_name", " ");
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
  return join_name (group, "rep_family_kana", "rep_given_kana", "\u3000");
}

/**
 * tsu_group_split_name:
 * @text: "古賀 花子" (any width of space)
 * @family: (out): the part before the first space
 * @given: (out): the rest, or %NULL
 */
void
tsu_group_split_name (const char *text, char **family, char **given)
{
  g_autofree char *t = g_strstrip (g_strdup (text ? text : ""));
  const char      *p;

  *family = NULL;
  *given = NULL;
  if (*t == '\0')
    return;
  for (p = t; *p; p = g_utf8_next_char (p))
    if (g_unichar_isspace (g_utf8_get_char (p)))
      break;
  if (*p == '\0')
    {
      *family = g_steal_pointer (&t);
      return;
    }
  *family = g_strndup (t, p - t);
  while (*p && g_unichar_isspace (g_utf8_get_char (p)))
    p = g_utf8_next_char (p);
  *given = g_strdup (p);
}

/* Trims text members and turns empty strings into null (not known). */
static char *
clean_text (JsonObject *o, const char *name)
{
  const char *s = get_str (o, name);
  char       *t;

  if (s == NULL)
    return NULL;
  t = g_strstrip (g_strdup (s));
  if (*t == '\0')
    g_clear_pointer (&t, g_free);
  return t;
}

typedef gboolean (*IdentFunc) (const char *, char **, GError **);

static void
normalize_with (
    JsonObject *out, const char *name, IdentFunc func, const char *label, GPtrArray *problems)
{
  g_autofree char *t = clean_text (out, name);
  g_autofree char *norm = NULL;
  g_autoptr (GError) error = NULL;

  if (!json_object_has_member (out, name))
    return;
  if (t == NULL)
    {
      json_object_set_null_member (out, name);
      return;
    }
  if (func (t, &norm, &error))
    json_object_set_string_member (out, name, norm);
  else
    {
      g_autofree char *msg = g_strdup_printf ("%s: %s", label, error->message);
      add_problem (problems, name, TRUE, msg);
    }
}

static void
normalize_reading (JsonObject *out, const char *name, const char *label, GPtrArray *problems)
{
  g_autofree char *t = clean_text (out, name);
  g_autofree char *norm = NULL;
  g_autoptr (GError) error = NULL;

  if (!json_object_has_member (out, name))
    return;
  if (t == NULL)
    {
      json_object_set_null_member (out, name);
      return;
    }
  norm = tsu_reading_normalize (t, &error);
  if (norm != NULL)
    json_object_set_string_member (out, name, norm);
  else
    {
      g_autofree char *msg = g_strdup_printf ("%s: %s", label, error->message);
      add_problem (problems, name, TRUE, msg);
    }
}

/**
 * tsu_group_normalize:
 * @input: field values as typed or read from a file (strings for text)
 * @problems: (nullable): receives #TsuGroupProblem errors
 *
 * Puts values in their stored form: trimmed text (empty means null),
 * readings in full-width katakana, 法人番号 / postal codes / phones /
 * e-mail addresses checked and normalised by the toolkit. Values that fail
 * are left as typed and reported.
 *
 * Returns: (transfer full): the normalised copy
 */
JsonObject *
tsu_group_normalize (JsonObject *input, GPtrArray *problems)
{
  static const char *texts[] = {
    "name",
    "legal_form",
    "rep_family_name",
    "rep_given_name",
    "contact_family_name",
    "contact_given_name",
    "contact_address",
    "address",
    "purpose",
    "activities",
    "meeting_place",
    "meeting_schedule",
    "dues",
    "website",
    "sns",
    "registration_number",
    "notes",
  };
  JsonObject *out = json_object_new ();
  GList      *members = json_object_get_members (input);
  gint64      total, in_city;

  for (GList *l = members; l; l = l->next)
    json_object_set_member (out, l->data, json_node_copy (json_object_get_member (input, l->data)));
  g_list_free (members);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    if (json_object_has_member (out, texts[i]))
      {
        g_autofree char *t = clean_text (out, texts[i]);
        if (t)
          json_object_set_string_member (out, texts[i], t);
        else
          json_object_set_null_member (out, texts[i]);
      }

  if (json_object_has_member (out, "name") && get_str (out, "name") == NULL)
    add_problem (problems, "name", TRUE, _ ("The group name is required."));

  normalize_reading (out, "name_kana", _ ("Reading"), problems);
  normalize_reading (out, "rep_family_kana", _ ("Representative reading"), problems);
  normalize_reading (out, "rep_given_kana", _ ("Representative reading"), problems);
  normalize_reading (out, "contact_family_kana", _ ("Contact reading"), problems);
  normalize_reading (out, "contact_given_kana", _ ("Contact reading"), problems);
  normalize_with (out, "corporate_number", tsu_corporate_number_validate, _ ("Corporate number"),
                  problems);
  normalize_with (out, "postal_code", tsu_postal_code_validate, _ ("Postal code"), problems);
  normalize_with (out, "contact_postal_code", tsu_postal_code_validate, _ ("Contact postal code"),
                  problems);
  normalize_with (out, "phone", tsu_phone_validate, _ ("Phone"), problems);
  normalize_with (out, "contact_phone", tsu_phone_validate, _ ("Contact phone"), problems);
  normalize_with (out, "email", tsu_email_validate, _ ("E-mail"), problems);
  normalize_with (out, "contact_email", tsu_email_validate, _ ("Contact e-mail"), problems);

  if (get_int (out, "members_total", &total) && total < 0)
    add_problem (problems, "members_total", TRUE, _ ("The member count cannot be negative."));
  if (get_int (out, "members_in_city", &in_city))
    {
      if (in_city < 0)
        add_problem (problems, "members_in_city", TRUE, _ ("The member count cannot be negative."));
      else if (get_int (out, "members_total", &total) && in_city > total)
        add_problem (problems, "members_in_city", TRUE,
                     _ ("Members living in the city cannot outnumber all members."));
    }
  return out;
}

static gboolean
has_declaration (JsonObject *group, const char *decl)
{
  JsonNode  *n = json_object_get_member (group, "declarations");
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    if (g_strcmp0 (json_array_get_string_element (a, i), decl) == 0)
      return TRUE;
  return FALSE;
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

  if (!get_int (group, "members_total", &total))
    add_problem (problems, "members_total", FALSE, _ ("The member count is not known."));
  else if (total < min_members)
    {
      g_autofree char *msg = g_strdup_printf (
          _ ("The group has %d members; registration needs at least %u."), (int)total, min_members);
      add_problem (problems, "members_total", FALSE, msg);
    }
  if (!has_declaration (group, TSU_GROUP_DECL_NON_PROFIT))
    add_problem (problems, TSU_GROUP_DECL_NON_PROFIT, FALSE,
                 _ ("The group has not declared that it is non-profit."));
  if (!has_declaration (group, TSU_GROUP_DECL_PUBLIC_BENEFIT))
    add_problem (problems, TSU_GROUP_DECL_PUBLIC_BENEFIT, FALSE,
                 _ ("The group has not declared that its activities serve the public."));
  if (!has_declaration (group, TSU_GROUP_DECL_NOT_RELIGIOUS))
    add_problem (
        problems, TSU_GROUP_DECL_NOT_RELIGIOUS, FALSE,
        _ ("The group has not declared that it is not mainly religious, political or electoral."));
  if (!has_declaration (group, TSU_GROUP_DECL_NO_CRIME))
    add_problem (
        problems, TSU_GROUP_DECL_NO_CRIME, FALSE,
        _ ("The group has not declared that it is free of organized crime (暴力団) control."));
}

static void
add_duplicate (
    JsonArray *result, GHashTable *seen, const char *id, const char *name, const char *reason)
{
  JsonObject *o;

  if (g_hash_table_contains (seen, id))
    return;
  g_hash_table_add (seen, g_strdup (id));
  o = json_object_new ();
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "name", name ? name : "");
  json_object_set_string_member (o, "reason", reason);
  json_array_add_object_element (result, o);
}

static gboolean
find_by (TsuStore   *store,
         const char *sql,
         const char *value,
         const char *exclude_id,
         const char *reason,
         JsonArray  *result,
         GHashTable *seen,
         GError    **error)
{
  sqlite3      *db = tsu_store_get_db (store);
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
  sqlite3_bind_text (stmt, 2, exclude_id ? exclude_id : "", -1, SQLITE_TRANSIENT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    add_duplicate (result, seen, (const char *)sqlite3_column_text (stmt, 0),
                   (const char *)sqlite3_column_text (stmt, 1), reason);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "duplicates");
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_group_find_duplicates:
 * @group: normalised values of the group being added or edited
 * @exclude_id: (nullable): the group itself
 *
 * Likely duplicates: another group (not deleted) with the same reading, the
 * same 法人番号, or the same phone number (its own or its contact's).
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
  const char *phones[] = { get_str (group, "phone"), get_str (group, "contact_phone") };
  gboolean    ok;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  tsu_store_lock (store);
  ok = find_by (store,
                "SELECT id, name FROM groups WHERE name_kana = ?1 AND id != ?2 AND deleted = 0",
                get_str (group, "name_kana"), exclude_id, _ ("Same reading"), result, seen, error)
       && find_by (
           store,
           "SELECT id, name FROM groups WHERE corporate_number = ?1 AND id != ?2 AND deleted = 0",
           get_str (group, "corporate_number"), exclude_id, _ ("Same corporate number"), result,
           seen, error);
  for (guint i = 0; ok && i < G_N_ELEMENTS (phones); i++)
    ok = find_by (store,
                  "SELECT id, name FROM groups WHERE (phone = ?1 OR contact_phone = ?1)"
                  " AND id != ?2 AND deleted = 0",
                  phones[i], exclude_id, _ ("Same phone number"), result, seen, error);
  tsu_store_unlock (store);
  return ok ? g_steal_pointer (&result) : NULL;
}

/**
 * tsu_group_next_registration_number:
 *
 * Returns: (transfer full) (nullable): "2026-001" style, one above the
 *   highest number of @fiscal_year
 */
char *
tsu_group_next_registration_number (TsuStore *store, int fiscal_year, GError **error)
{
  sqlite3         *db = tsu_store_get_db (store);
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *prefix = g_strdup_printf ("%d-", fiscal_year);
  gint64           max = 0;
  int              rc;

  tsu_store_lock (store);
  if (sqlite3_prepare_v2 (
          db,
          "SELECT max(CAST(substr(registration_number, length(?1) + 1) AS INTEGER))"
          " FROM groups WHERE registration_number >= ?1 AND registration_number < ?2",
          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "registration number");
      tsu_store_unlock (store);
      return NULL;
    }
  {
    g_autofree char *upper = g_strdup_printf ("%d.", fiscal_year);
    sqlite3_bind_text (stmt, 1, prefix, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 2, upper, -1, SQLITE_TRANSIENT);
  }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    max = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  tsu_store_unlock (store);
  if (rc != SQLITE_ROW)
    {
      tsu_store_set_sqlite_error (error, db, "registration number");
      return NULL;
    }
  return g_strdup_printf ("%d-%03" G_GINT64_FORMAT, fiscal_year, max + 1);
}

static JsonObject *
get_group (TsuStore *store, const char *id, GError **error)
{
  return tsu_store_get (store, "groups", id, error);
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
  g_autoptr (JsonObject) g = get_group (store, id, error);
  g_autoptr (JsonObject) change = NULL;
  g_autofree char *iso = NULL;
  int              fy = tsu_fiscal_year (today);

  if (g == NULL)
    return FALSE;
  if (tsu_group_status (g, today, 0) != TSU_GROUP_STATUS_APPLYING)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE, _ ("“%s” is already registered."),
                   get_str (g, "name"));
      return FALSE;
    }
  change = json_object_new ();
  iso = tsu_date_to_iso (today);
  json_object_set_string_member (change, "registered_on", iso);
  if (get_str (g, "applied_on") == NULL)
    json_object_set_string_member (change, "applied_on", iso);
  json_object_set_int_member (change, "valid_fiscal_year", fy);
  if (get_str (g, "registration_number") == NULL)
    {
      g_autofree char *n = tsu_group_next_registration_number (store, fy, error);
      if (n == NULL)
        return FALSE;
      json_object_set_string_member (change, "registration_number", n);
    }
  return tsu_store_update (store, "groups", id, change, error);
}

/**
 * tsu_group_renew:
 *
 * Renews a registration for the next 年度 (or, for a lapsed group, for this
 * one) in one update, so the history shows the old and new 年度.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_renew (TsuStore *store, const char *id, const GDate *today, GError **error)
{
  g_autoptr (JsonObject) g = get_group (store, id, error);
  g_autoptr (JsonObject) change = NULL;
  g_autofree char *iso = NULL;
  TsuGroupStatus   status;
  int              next;

  if (g == NULL)
    return FALSE;
  status = tsu_group_status (g, today, 0);
  if (status == TSU_GROUP_STATUS_APPLYING || status == TSU_GROUP_STATUS_WITHDRAWN)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE,
                   status == TSU_GROUP_STATUS_APPLYING
                       ? _ ("“%s” is not registered yet: register it first.")
                       : _ ("“%s” has withdrawn and cannot be renewed."),
                   get_str (g, "name"));
      return FALSE;
    }
  next = MAX (tsu_group_valid_fiscal_year (g) + 1, tsu_fiscal_year (today));
  change = json_object_new ();
  iso = tsu_date_to_iso (today);
  json_object_set_int_member (change, "valid_fiscal_year", next);
  json_object_set_string_member (change, "renewed_on", iso);
  return tsu_store_update (store, "groups", id, change, error);
}

/**
 * tsu_group_withdraw:
 *
 * 退会: sets withdrawn_on; the record stays, with its history.
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_withdraw (TsuStore *store, const char *id, const GDate *today, GError **error)
{
  g_autoptr (JsonObject) g = get_group (store, id, error);
  g_autoptr (JsonObject) change = NULL;
  g_autofree char *iso = NULL;

  if (g == NULL)
    return FALSE;
  if (tsu_group_status (g, today, 0) == TSU_GROUP_STATUS_WITHDRAWN)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_STATE, _ ("“%s” has already withdrawn."),
                   get_str (g, "name"));
      return FALSE;
    }
  change = json_object_new ();
  iso = tsu_date_to_iso (today);
  json_object_set_string_member (change, "withdrawn_on", iso);
  return tsu_store_update (store, "groups", id, change, error);
}

static void
append_folded (GString *s, const char *text)
{
  if (text == NULL || *text == '\0')
    return;
  if (s->len)
    g_string_append_c (s, ' ');
  g_string_append (s, text);
}

static void
append_digits (GString *s, const char *phone)
{
  /* So that 0944123456 finds 0944-12-3456. */
  if (phone == NULL || *phone == '\0')
    return;
  g_string_append_c (s, ' ');
  for (const char *p = phone; *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (s, *p);
}

/**
 * tsu_group_derive:
 * @row: every field of a group after a write
 *
 * The collection's derive function: `sort_key` (五十音順 of the reading)
 * and `search_text` (folded name, reading, people, phones, numbers).
 */
void
tsu_group_derive (JsonObject *row)
{
  static const char *searchable[] = {
    "name",
    "name_kana",
    "rep_family_name",
    "rep_given_name",
    "rep_family_kana",
    "rep_given_kana",
    "contact_family_name",
    "contact_given_name",
    "contact_family_kana",
    "contact_given_kana",
    "phone",
    "contact_phone",
    "registration_number",
    "corporate_number",
    "email",
    "contact_email",
  };
  g_autofree char *key = tsu_name_sort_key (get_str (row, "name_kana"), get_str (row, "name"));
  g_autoptr (GString) s = g_string_new (NULL);
  g_autofree char *folded = NULL;

  json_object_set_string_member (row, "sort_key", key);
  for (guint i = 0; i < G_N_ELEMENTS (searchable); i++)
    append_folded (s, get_str (row, searchable[i]));
  /* Full names too, so "古賀花子" finds the representative. */
  {
    g_autofree char *rep = join_name (row, "rep_family_name", "rep_given_name", "");
    g_autofree char *contact = join_name (row, "contact_family_name", "contact_given_name", "");
    g_autofree char *rep_kana = join_name (row, "rep_family_kana", "rep_given_kana", "");
    g_autofree char *contact_kana
        = join_name (row, "contact_family_kana", "contact_given_kana", "");
    append_folded (s, rep);
    append_folded (s, contact);
    append_folded (s, rep_kana);
    append_folded (s, contact_kana);
  }
  append_digits (s, get_str (row, "phone"));
  append_digits (s, get_str (row, "contact_phone"));
  folded = tsu_search_fold (s->str);
  json_object_set_string_member (row, "search_text", folded);
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
