/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the counter, the events and the network do with their records:
 * logging a consultation while the person is still there, an event that
 * books its room in the same transaction, registrations with a waiting
 * list, attendance, the consultation figures and the CSV report. */
#pragma once

#include "tsu-csv.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_COUNTER_ERROR (tsu_counter_error_quark ())

typedef enum
{
  TSU_COUNTER_ERROR_STATE, /* cancelling a cancelled registration, … */
} TsuCounterError;

GQuark tsu_counter_error_quark (void);

/* The topics offered as toggles: the ten every centre has, then the
 * centre's own (centre setting "consultation.topics", a list of text). */
#define TSU_CENTRE_CONSULTATION_TOPICS "consultation.topics"
GStrv tsu_consultation_topics_offered (TsuStore *store);

/* 相談: a new consultation from @fields. "at" defaults to @now; the asker's
 * kind follows from a group or volunteer given; a follow-up date makes it
 * 未対応 unless a state is given. Returns the new id. */
char *tsu_consultation_log (TsuStore *store, JsonObject *fields, const char *now, GError **error);

/* Live consultations with "at" in [@from, @to) (ISO dates or date-times),
 * newest first; the counter's today and week lists. These list functions
 * return the columns a list shows (id, at, channel, asker_kind, group_id,
 * volunteer_id, asker_name, topics, question, answer, minutes, staff,
 * referred_to, follow_up_on, follow_up) and group_name — not whole records. */
GPtrArray *tsu_consultations_between (
    TsuStore *store, const char *from, const char *to, guint limit, GError **error);
/* 未対応 follow-ups due on or before @today (ISO date), oldest first. */
GPtrArray *tsu_consultations_due (TsuStore *store, const char *today, GError **error);
/* A group's (or volunteer's, or booking's, or programme's) consultations,
 * newest first: @field is group_id, volunteer_id, booking_id or programme_id. */
GPtrArray *tsu_consultations_of (
    TsuStore *store, const char *field, const char *id, guint limit, GError **error);

/* Counts of consultations with "at" in [@from, @to] (dates, inclusive):
 * { "total", "minutes", "by_topic": {topic: n}, "by_channel": {code: n},
 *   "by_month": {"YYYY-MM": n}, "by_fiscal_year": {"2026": n} }. A
 * consultation with two topics counts once under each. */
JsonObject *
tsu_consultation_stats (TsuStore *store, const GDate *from, const GDate *to, GError **error);

/* The report for the city: consultations from @from to @to (inclusive),
 * oldest first, headers 日時, 方法, 相談者区分, 団体登録番号, 分野, 内容,
 * 対応, 所要分, 担当, 紹介先, 状態. */
GBytes *tsu_consultation_report (TsuStore      *store,
                                 const GDate   *from,
                                 const GDate   *to,
                                 TsuCsvEncoding encoding,
                                 GPtrArray     *unencodable,
                                 GError       **error);

/* 講座・研修・交流会: a new event; with a room_id, the room is booked for
 * it (start_at to end_at) in the same transaction, and a clash refuses the
 * event (TSU_STORE_ERROR_RULE, saying who holds the room). */
char *tsu_event_create (TsuStore *store, JsonObject *fields, const GDate *today, GError **error);
/* Changes an event; a new time or room moves its booking with it (or
 * refuses the change on a clash). */
gboolean tsu_event_update (
    TsuStore *store, const char *id, JsonObject *change, const GDate *today, GError **error);
/* Removes an event and cancels its room booking. */
gboolean tsu_event_remove (TsuStore *store, const char *id, GError **error);

/* 申込: registers @person (kind, name, name_kana, phone, group_id or
 * volunteer_id) for an event. With no seat left the registration goes on
 * the waiting list (*@waiting set). Returns the registration's id. */
char *tsu_event_register (TsuStore   *store,
                          const char *event_id,
                          JsonObject *person,
                          const char *now,
                          gboolean   *waiting,
                          GError    **error);
/* 取消: a registered seat freed moves the first on the waiting list up
 * (its id in *@promoted_id), in the same transaction. */
gboolean
tsu_registration_cancel (TsuStore *store, const char *id, char **promoted_id, GError **error);
/* 出席 / 欠席, taken from the list on the day. */
gboolean tsu_registration_set_attendance (TsuStore   *store,
                                          const char *id,
                                          const char *attendance,
                                          GError    **error);
/* An event's registrations: registered in order, then the waiting list. */
GPtrArray *tsu_event_registrations (TsuStore *store, const char *event_id, GError **error);
/* The events a group or a volunteer (@field group_id / volunteer_id) was
 * present at, newest first: event objects. */
GPtrArray *tsu_events_attended (TsuStore *store, const char *field, const char *id, GError **error);

/* The counter's "who": live groups and volunteers whose search text holds
 * every term of @text, at most @limit of each, groups first: objects with
 * "kind" (group / volunteer), "id", "name" and "detail" (registration
 * number, reading). Empty @text finds nothing. */
GPtrArray *tsu_counter_find_askers (TsuStore *store, const char *text, guint limit, GError **error);

/* A group's connections, both ways (introduced to, and introduced by
 * another group), newest first: connection objects with "partner" set to
 * the other side's name as shown. */
GPtrArray *tsu_connections_of (TsuStore *store, const char *group_id, GError **error);

G_END_DECLS
