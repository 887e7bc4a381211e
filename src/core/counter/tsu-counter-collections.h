/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* The one-stop counter (総合窓口), training and networking. */
extern const TsuCollection tsu_consultation_collection;  /* 相談記録 */
extern const TsuCollection tsu_event_collection;         /* 講座・研修・交流会 */
extern const TsuCollection tsu_registration_collection;  /* an event's 申込 */
extern const TsuCollection tsu_connection_collection;    /* つながり */
extern const TsuCollection tsu_joint_project_collection; /* 協働事業 */

extern const TsuChoice
    tsu_consultation_channels[];          /* visit 来所, phone, mail, outreach 訪問, online */
extern const TsuChoice tsu_asker_kinds[]; /* group, volunteer, citizen, company, city, anonymous */
extern const TsuChoice tsu_consultation_topics[]; /* the ten every centre has; stored as text */
extern const TsuChoice tsu_follow_up_states[];    /* none, pending 未対応, done 対応済 */
extern const TsuChoice tsu_event_kinds[];
extern const TsuChoice tsu_registration_states[]; /* registered, waiting, cancelled */
extern const TsuChoice tsu_attendance_states[];   /* unknown, present 出席, absent 欠席 */
extern const TsuChoice tsu_partner_kinds[];       /* group, company, city */

G_END_DECLS
