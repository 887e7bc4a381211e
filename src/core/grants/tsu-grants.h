/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Telling the right groups in time: deadlines in order, days left,
 * reminders, tiers, copying a programme to the next 年度, telling groups at
 * once, and the deadlines as an iCalendar file. */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_DEADLINE_THIS_WEEK,
  TSU_DEADLINE_THIS_MONTH,
  TSU_DEADLINE_LATER,
  TSU_DEADLINE_ANY_TIME, /* 随時 (or no deadline) */
  TSU_DEADLINE_PAST,
} TsuDeadlineBucket;

/* Days from @today to the deadline day (a 消印有効 deadline on a Sunday is
 * still that Sunday; 必着 is the day it must arrive): negative once passed;
 * G_MAXINT for 随時 or none. */
int               tsu_programme_days_left (JsonObject *programme, const GDate *today);
TsuDeadlineBucket tsu_programme_bucket (JsonObject *programme, const GDate *today);
/* Orders programmes by deadline: day, time, kind; 随時 last. */
int tsu_programme_compare_deadlines (JsonObject *a, JsonObject *b);

/* Upcoming deadlines (from @today on, and 随時) in deadline order, at most
 * @limit: JSON objects with the programme's fields, "funder", "told",
 * "applying" and "days_left". Runs on the reader with the deadline index. */
JsonArray *tsu_grants_upcoming (TsuStore *store, const GDate *today, guint limit, GError **error);

/* The ceiling and rate for a group that has received the programme
 * @times times before, from its tiers (or its plain ceiling and rate). */
void tsu_programme_tier (JsonObject *programme, gint64 times, gint64 *ceiling, const char **rate);
/* How many times @group has been awarded this programme (the same name and
 * funder, any 年度). */
gint64 tsu_grants_times_awarded (TsuStore   *store,
                                 JsonObject *programme,
                                 const char *group_id,
                                 GError    **error);

/* Reminders due on @today: programmes with groups 関心あり or 申請準備 whose
 * deadline is 30 or 7 days away or today. Objects with "programme" (its
 * fields), "days_left" and "groups" (names). */
JsonArray *tsu_grants_reminders (TsuStore *store, const GDate *today, GError **error);

/* 案内済 for each of @group_ids at once (groups already on the list stay as
 * they are). Returns how many were added. */
gboolean tsu_grants_tell (TsuStore    *store,
                          const char  *programme_id,
                          GStrv        group_ids,
                          const GDate *today,
                          guint       *added,
                          GError     **error);
/* Groups to suggest telling: registered ones sharing a field, best first;
 * objects with "id", "name", "reason". */
JsonArray *tsu_grants_suggest_groups (TsuStore    *store,
                                      const char  *programme_id,
                                      const GDate *today,
                                      GError     **error);
/* The notice text for the chosen groups (copyable). */
char *tsu_grants_notice_text (TsuStore *store, const char *programme_id, GError **error);

/* A copy of a programme for the next 年度 (dates a year later, no groups). */
char *tsu_programme_copy_to_next_year (TsuStore *store, const char *id, GError **error);

/* The deadlines from @from on as iCalendar (RFC 5545): one VEVENT each,
 * all-day or timed in Asia/Tokyo with its VTIMEZONE, stable UIDs, lines
 * folded at 75 octets, CRLF. */
GBytes *tsu_grants_ics (TsuStore *store, const GDate *from, GError **error);

G_END_DECLS
