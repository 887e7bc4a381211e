/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "applications" collection: where one group stands with one programme
 * (案内済 → 関心あり → 申請準備 → 申請済 → 採択 / 不採択), with the amounts. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-grants-collections.h"
#include "tsu-store-private.h"

const TsuChoice tsu_application_states[] = {
  { "told", N_ ("Told"), "案内済" },
  { "interested", N_ ("Interested"), "関心あり" },
  { "preparing", N_ ("Preparing"), "申請準備" },
  { "applied", N_ ("Applied"), "申請済" },
  { "awarded", N_ ("Awarded"), "採択" },
  { "rejected", N_ ("Not awarded"), "不採択" },
  { NULL },
};

static const TsuSectionDef sections[] = {
  { "application", N_ ("Application"), NULL },
  { "amount", N_ ("Amount"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "programme_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Programme"),
    .ref = "programmes",
    .section = "application" },
  { .name = "group_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Group"),
    .ref = "groups",
    .section = "application" },
  { .name = "state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("State"),
    .choices = tsu_application_states,
    .section = "application" },
  { .name = "state_on", .type = TSU_FIELD_DATE, .label = N_ ("Since"), .section = "application" },
  { .name = "staff", .type = TSU_FIELD_TEXT, .label = N_ ("Staff"), .section = "application" },
  { .name = "note",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Note"),
    .section = "application" },
  { .name = "amount_applied",
    .type = TSU_FIELD_INT,
    .label = N_ ("Applied for (yen)"),
    .min = 0,
    .max = G_GINT64_CONSTANT (100000000000),
    .section = "amount" },
  { .name = "amount_awarded",
    .type = TSU_FIELD_INT,
    .label = N_ ("Awarded (yen)"),
    .min = 0,
    .max = G_GINT64_CONSTANT (100000000000),
    .section = "amount" },
};

/* One record per group and programme: a second one made offline on
 * another desk is refused by the server. */
static gboolean
guard (TsuRuleContext *ctx,
       const char     *id,
       JsonObject     *row,
       JsonObject     *old,
       TsuRuleRefusal *refusal,
       GError        **error)
{
  const char *programme = tsu_record_get_string (row, "programme_id");
  const char *group = tsu_record_get_string (row, "group_id");
  g_autoptr (GPtrArray) same = NULL;

  if (old != NULL && g_strcmp0 (tsu_record_get_string (old, "group_id"), group) == 0
      && g_strcmp0 (tsu_record_get_string (old, "programme_id"), programme) == 0)
    return TRUE;
  same = ctx->find (ctx, "applications", "programme_id", programme, NULL, NULL, NULL, NULL, error);
  if (same == NULL)
    return FALSE;
  for (guint i = 0; i < same->len; i++)
    {
      JsonObject *o = g_ptr_array_index (same, i);

      if (g_strcmp0 (tsu_record_get_string (o, "group_id"), group) == 0
          && g_strcmp0 (tsu_record_get_string (o, "id"), id) != 0)
        {
          refusal->reason = "application_exists";
          refusal->other_id = g_strdup (tsu_record_get_string (o, "id"));
          refusal->message = g_strdup (_ ("The group is already on this programme's list."));
          return FALSE;
        }
    }
  return TRUE;
}

static const TsuSchemaStep schema[] = {
  { 1, "applications table",
    "CREATE TABLE applications (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, programme_id TEXT, group_id TEXT, state TEXT,"
    " state_on TEXT, staff TEXT, note TEXT, amount_applied INTEGER, amount_awarded INTEGER);"
    "CREATE INDEX applications_programme ON applications (programme_id, deleted, state);"
    "CREATE INDEX applications_group ON applications (group_id, deleted, state);",
    NULL },
};

const TsuCollection tsu_application_collection = {
  .name = "applications",
  .label = N_ ("Applications"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .guard = guard,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .lookup_keys = (const char *const[]){ "programme_id", NULL },
};
