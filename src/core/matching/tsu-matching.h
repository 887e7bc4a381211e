/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What coordinators do: register a volunteer, open a request, propose a
 * person and move the match along. Each is one transaction through the
 * store's write path; the double-booking rule runs inside it. */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_MATCHING_ERROR (tsu_matching_error_quark ())

typedef enum
{
  TSU_MATCHING_ERROR_STATE,  /* the step does not follow from where the match is */
  TSU_MATCHING_ERROR_EXISTS, /* the person is already in this request */
} TsuMatchingError;

GQuark tsu_matching_error_quark (void);

/* 登録: number (年度-NNN), registered today, valid to 31 March of the
 * 年度 @years - 1 later (3 by default: centre setting "volunteer.valid_years"). */
gboolean
tsu_volunteer_register (TsuStore *store, const char *id, const GDate *today, GError **error);
/* Inserts a volunteer and registers them in one transaction. */
char *
tsu_volunteer_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error);
/* 紹介同意: the person agrees that their contact details may be given to a
 * group, for @purpose; dated @today and signed by the desk's staff. */
gboolean tsu_volunteer_record_consent (TsuStore    *store,
                                       const char  *volunteer_id,
                                       const char  *purpose,
                                       const GDate *today,
                                       GError     **error);
/* Whether a volunteer's contact details may go to a group (紹介同意 recorded). */
gboolean tsu_volunteer_has_consent (JsonObject *volunteer);
/* Erasure on the person's request (削除請求): every record that holds their
 * values — their matches, and the consultations and event registrations
 * naming them, deleted ones too — then the volunteer, in one transaction
 * (tsu_store_erase(): only what statistics count is kept). @n_related
 * (optional) receives how many other records were erased. */
gboolean
tsu_volunteer_erase (TsuStore *store, const char *volunteer_id, guint *n_related, GError **error);
/* Inserts a request with the next number (R年度-NNN) when it has none. */
char *tsu_request_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error);

/* 打診: a new match of @volunteer_id for @request_id. */
char *tsu_match_propose (TsuStore    *store,
                         const char  *request_id,
                         const char  *volunteer_id,
                         const GDate *today,
                         GError     **error);
/* Moves a match to @state (forward along 候補 → 打診 → 連絡済 → 同意 → 確定 →
 * 完了, or to 辞退 / 取消 / 不参加 where they apply). Confirming refuses a
 * double booking (TSU_STORE_ERROR_RULE) unless @override_reason is given,
 * which is recorded. A request that has all its people becomes 充足, and
 * open again when one drops out. */
gboolean tsu_match_set_state (TsuStore    *store,
                              const char  *match_id,
                              const char  *state,
                              const char  *note,
                              const char  *override_reason,
                              const GDate *today,
                              GError     **error);
gboolean tsu_match_state_allowed (const char *from, const char *to);

/* Demo data (tsu-matching-demo.c): @n_volunteers people, @n_open open
 * requests of the groups already in @store (and two thirds as many past
 * ones), matches in every state; the same @rand seed and @today give the
 * same data. The demo uses about 1,500 and 60. */
gboolean tsu_demo_populate_matching (TsuStore    *store,
                                     GRand       *rand,
                                     guint        n_volunteers,
                                     guint        n_open,
                                     const GDate *today,
                                     GError     **error);

G_END_DECLS
