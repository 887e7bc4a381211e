/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tsu-collection.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_GROUP_ERROR (tsu_group_error_quark ())

typedef enum
{
  TSU_GROUP_ERROR_INVALID, /* a value that cannot be saved */
  TSU_GROUP_ERROR_STATE,   /* the action does not fit the group's status */
} TsuGroupError;

/* The lifecycle (DOMAIN.md). Derived from the dates, never stored. The
 * numbers are the order the status sort uses. */
typedef enum
{
  TSU_GROUP_STATUS_APPLYING,    /* 申請中 */
  TSU_GROUP_STATUS_REGISTERED,  /* 登録 */
  TSU_GROUP_STATUS_RENEWAL_DUE, /* 更新待ち */
  TSU_GROUP_STATUS_LAPSED,      /* 失効 */
  TSU_GROUP_STATUS_WITHDRAWN,   /* 退会 */
  TSU_GROUP_N_STATUSES
} TsuGroupStatus;

/* Defaults of the preferences (GSettings keys group-min-members and
 * group-renewal-days). */
#define TSU_GROUP_DEFAULT_MIN_MEMBERS 5
#define TSU_GROUP_DEFAULT_RENEWAL_DAYS 60

/* The renewal period as a centre's database may carry it (meta key, days):
 * a centre's rule rather than one desk's, so it wins over the desk's
 * preference. The demo database sets it. */
#define TSU_GROUP_RENEWAL_DAYS_META "groups.renewal_days"

/* Number of activity fields of the NPO Act appendix (codes 1..20). */
#define TSU_GROUP_N_FIELDS 20

/* The purpose declarations a registration form asks for (stored in
 * `declarations` as a JSON array of these strings). */
#define TSU_GROUP_DECL_NON_PROFIT "non_profit"
#define TSU_GROUP_DECL_PUBLIC_BENEFIT "public_benefit"
#define TSU_GROUP_DECL_NOT_RELIGIOUS "not_religious_political"
#define TSU_GROUP_DECL_NO_CRIME "no_organized_crime"

GQuark tsu_group_error_quark (void);

const char    *tsu_group_status_name (TsuGroupStatus status);
const char    *tsu_group_status_csv_name (TsuGroupStatus status);
gboolean       tsu_group_status_from_name (const char *name, TsuGroupStatus *status);
void           tsu_group_renewal_start (int fiscal_year, guint renewal_days, GDate *out);
int            tsu_group_valid_fiscal_year (JsonObject *group);
TsuGroupStatus tsu_group_status (JsonObject *group, const GDate *today, guint renewal_days);
char          *tsu_group_status_sql (const GDate *today, guint renewal_days);

/* What a person may do with a group today. */
gboolean tsu_group_can_renew (JsonObject *group, const GDate *today, guint renewal_days);
int      tsu_group_renewal_fiscal_year (JsonObject *group, const GDate *today);

const char *tsu_group_field_name (guint code);
guint       tsu_group_field_from_text (const char *text);

gboolean tsu_group_is_public (JsonObject *group, const char *publish_key);

char *tsu_group_rep_name (JsonObject *group);
char *tsu_group_rep_kana (JsonObject *group);

void tsu_group_check (JsonObject *group, GPtrArray *problems);
void tsu_group_check_eligibility (JsonObject *group, guint min_members, GPtrArray *problems);

JsonArray *tsu_group_find_duplicates (TsuStore   *store,
                                      JsonObject *group,
                                      const char *exclude_id,
                                      GError    **error);

/* Lifecycle actions: each reads, checks and writes in one transaction, so
 * two desks' workers cannot race (a number given twice, a renewal twice). */
gboolean tsu_group_register (TsuStore *store, const char *id, const GDate *today, GError **error);
gboolean tsu_group_renew (
    TsuStore *store, const char *id, const GDate *today, guint renewal_days, GError **error);
gboolean
tsu_group_withdraw (TsuStore *store, const char *id, const GDate *withdrawn_on, GError **error);

void tsu_group_today (GDate *out);

G_END_DECLS
