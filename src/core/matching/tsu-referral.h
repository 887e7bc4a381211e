/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What goes to a group about the people who answer its request: the 紹介票
 * (referral slip) of one match, and the list of a request's people. A
 * person's contact details are in them only when their consent to give
 * them to a group is recorded (APPI Art. 27); otherwise they say so. */
#pragma once

#include "tsu-csv.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *request_number;
  char    *request_title;
  char    *when;  /* tsu_schedule_describe() */
  char    *where; /* 校区 and place */
  char    *group_name;
  char    *volunteer_number;
  char    *volunteer_name;
  char    *volunteer_kana;
  char    *skills;
  char    *state; /* the match's state, as people read it */
  gboolean consent;
  char    *consent_on;      /* formatted, or NULL */
  char    *consent_purpose; /* or NULL */
  /* Only with consent, NULL otherwise: */
  char *phone;
  char *email;
  char *postal_code;
  char *address;
} TsuReferral;

/* The 紹介票 of @match_id, or NULL with @error (an unknown match). */
TsuReferral      *
tsu_referral_new (TsuStore *store, const char *match_id, TsuDateStyle style, GError **error);
void tsu_referral_free (TsuReferral *referral);

/* The people of a request (agreed, confirmed or done) for its group, as CSV
 * (依頼番号, 内容, 氏名, フリガナ, 状態, 電話番号, メールアドレス, 紹介同意日):
 * contact cells only with consent, a note instead otherwise. */
GBytes *tsu_referral_group_csv (TsuStore      *store,
                                const char    *request_id,
                                TsuCsvEncoding encoding,
                                GPtrArray     *unencodable,
                                GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuReferral, tsu_referral_free)

G_END_DECLS
