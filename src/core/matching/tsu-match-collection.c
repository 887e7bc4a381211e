/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The "matches" collection: one request × one volunteer, moving through
 * 候補 → 打診 → 連絡済 → 同意 → 確定 → 完了 (or 辞退 / 取消 / 不参加). The
 * history keeps each step's date and staff; the record holds the latest. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-matching-collections.h"
#include "tsu-date.h"
#include "tsu-record.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

#define V(...) ((const char *const[]){ __VA_ARGS__, NULL })

const TsuChoice tsu_match_states[] = {
  { "suggested", N_ ("Suggested"), "候補" },    { "proposed", N_ ("Asked"), "打診" },
  { "contacted", N_ ("Contacted"), "連絡済" },  { "consented", N_ ("Agreed"), "同意" },
  { "confirmed", N_ ("Confirmed"), "確定" },    { "completed", N_ ("Done"), "完了" },
  { "declined", N_ ("Declined"), "辞退" },      { "cancelled", N_ ("Cancelled"), "取消" },
  { "no_show", N_ ("Did not come"), "不参加" }, { NULL },
};

static const TsuSectionDef sections[] = {
  { "match", N_ ("Match"), NULL },
  { "step", N_ ("Latest step"), NULL },
};

static const TsuFieldDef fields[] = {
  { .name = "request_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Request"),
    .ref = "requests",
    .section = "match" },
  { .name = "volunteer_id",
    .type = TSU_FIELD_REF,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("Volunteer"),
    .ref = "volunteers",
    .section = "match" },
  { .name = "state",
    .type = TSU_FIELD_CHOICE,
    .flags = TSU_FIELD_REQUIRED,
    .label = N_ ("State"),
    .choices = tsu_match_states,
    .section = "step" },
  { .name = "state_on", .type = TSU_FIELD_DATE, .label = N_ ("Since"), .section = "step" },
  { .name = "staff", .type = TSU_FIELD_TEXT, .label = N_ ("Staff"), .section = "step" },
  { .name = "note",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_MULTILINE | TSU_FIELD_INTERNAL,
    .label = N_ ("Note"),
    .section = "step" },
  /* A double booking a coordinator allowed on purpose, and why. */
  { .name = "override",
    .type = TSU_FIELD_BOOL,
    .label = N_ ("Overlap allowed"),
    .section = "step" },
  { .name = "override_reason",
    .type = TSU_FIELD_TEXT,
    .label = N_ ("Why the overlap is allowed"),
    .section = "step" },
};

static void
check (JsonObject *row, GPtrArray *problems)
{
  if (tsu_record_get_bool (row, "override")
      && tsu_record_get_string (row, "override_reason") == NULL)
    tsu_problems_add (problems, "override_reason", TRUE, "%s",
                      _ ("Say why this person may be booked twice at the same time."));
}

static gboolean
occupies (JsonObject *match)
{
  return g_strcmp0 (tsu_record_get_string (match, "state"), "confirmed") == 0;
}

static char *
schedule_text (JsonObject *request)
{
  GDate            d;
  const char      *title = tsu_record_get_string (request, "title");
  g_autofree char *day = NULL;

  if (tsu_date_from_iso (tsu_record_get_string (request, "date_from"), &d))
    day = tsu_date_format_plain (&d, TSU_DATE_STYLE_SEIREKI);
  return g_strdup_printf ("%s%s%s", title ? title : "", day ? "・" : "", day ? day : "");
}

/* A person cannot be confirmed for two things at the same time: refused
 * on the desk inside the write transaction and on the server when two desks
 * confirmed offline (the later push is rejected, reason match_overlap),
 * unless a coordinator allowed it with a reason. */
static gboolean
guard (TsuRuleContext *ctx,
       const char     *id,
       JsonObject     *row,
       JsonObject     *old,
       TsuRuleRefusal *refusal,
       GError        **error)
{
  const char *vid = tsu_record_get_string (row, "volunteer_id");
  g_autoptr (JsonObject) request = NULL;
  g_autoptr (GPtrArray) others = NULL;
  TsuSchedule mine;

  if (!occupies (row) || tsu_record_get_bool (row, "override") || vid == NULL)
    return TRUE;
  request = ctx->get (ctx, "requests", tsu_record_get_string (row, "request_id"), error);
  if (request == NULL)
    return error == NULL || *error == NULL;
  if (!tsu_schedule_from_record (request, &mine))
    return TRUE;
  others = ctx->find (ctx, "matches", "volunteer_id", vid, NULL, NULL, NULL, NULL, error);
  if (others == NULL)
    return FALSE;
  for (guint i = 0; i < others->len; i++)
    {
      JsonObject *other = g_ptr_array_index (others, i);
      g_autoptr (JsonObject) other_request = NULL;
      TsuSchedule theirs;

      if (g_strcmp0 (tsu_record_get_string (other, "id"), id) == 0 || !occupies (other))
        continue;
      other_request
          = ctx->get (ctx, "requests", tsu_record_get_string (other, "request_id"), error);
      if (other_request == NULL)
        {
          if (error && *error)
            return FALSE;
          continue;
        }
      if (tsu_record_get_bool (other_request, "deleted")
          || !tsu_schedule_from_record (other_request, &theirs)
          || !tsu_schedule_overlaps (&mine, &theirs))
        continue;
      {
        g_autofree char *what = schedule_text (other_request);

        refusal->reason = "match_overlap";
        refusal->other_id = g_strdup (tsu_record_get_string (other, "id"));
        refusal->message = g_strdup_printf (
            _ ("This person is already confirmed for “%s” at the same time."), what);
      }
      return FALSE;
    }
  return TRUE;
}

static const TsuSchemaStep schema[] = {
  { 1, "matches table",
    "CREATE TABLE matches (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, request_id TEXT, volunteer_id TEXT, state TEXT,"
    " state_on TEXT, staff TEXT, note TEXT, override INTEGER, override_reason TEXT);"
    "CREATE INDEX matches_request ON matches (request_id, deleted, state);"
    "CREATE INDEX matches_volunteer ON matches (volunteer_id, deleted, state);",
    NULL },
};

const TsuCollection tsu_match_collection = {
  .name = "matches",
  .label = N_ ("Matches"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .check = check,
  .guard = guard,
  .sections = sections,
  .n_sections = G_N_ELEMENTS (sections),
  .lookup_keys = (const char *const[]){ "volunteer_id", NULL },
};
