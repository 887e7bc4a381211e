/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Telling the right groups in time: deadlines in order, days left,
 * reminders, tiers, copying a programme to the next 年度, telling groups at
 * once, and the deadlines as an iCalendar file. */
#pragma once

#include "tsu-csv.h"
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

/* The deadline key of 随時 (and of a programme without a deadline) starts
 * with this: such keys sort after every date. */
#define TSU_DEADLINE_KEY_ANY_TIME "9999"

/* Days from @today to the deadline day (a 消印有効 deadline on a Sunday is
 * still that Sunday; 必着 is the day it must arrive): negative once passed;
 * G_MAXINT for 随時 or none. */
int               tsu_programme_days_left (JsonObject *programme, const GDate *today);
TsuDeadlineBucket tsu_programme_bucket (JsonObject *programme, const GDate *today);
/* Orders programmes by deadline: day, time, kind; 随時 last. */
int tsu_programme_compare_deadlines (JsonObject *a, JsonObject *b);

/* A section of the list as a range of deadline keys (see the .c). */
void tsu_grants_bucket_range (TsuDeadlineBucket bucket, const GDate *today, char **from, char **to);

/* Upcoming deadlines (from @today on, and 随時) in deadline order, at most
 * @limit: JSON objects with the programme's fields, "funder", "told",
 * "applying" and "days_left". Runs on the reader with the deadline index. */
JsonArray *tsu_grants_upcoming (TsuStore *store, const GDate *today, guint limit, GError **error);

/* The ceiling and rate for a group that has received the programme
 * @times times before, from its tiers (or its plain ceiling and rate). */
void tsu_programme_tier (JsonObject *programme, gint64 times, gint64 *ceiling, const char **rate);
/* A programme's name without its 年度 and round: the same programme each
 * year. */
char *tsu_grants_series_name (const char *name);
/* How many times @group has been awarded this programme (the same funder
 * and series name, any 年度). */
gint64 tsu_grants_times_awarded (TsuStore   *store,
                                 JsonObject *programme,
                                 const char *group_id,
                                 GError    **error);

/* Reminders due on @today: programmes with groups 関心あり or 申請準備 whose
 * deadline is 30 or 7 days away or today. Objects with "programme" (its
 * fields), "days_left", "before" and "groups" (names), in deadline order. */
JsonArray *tsu_grants_reminders (TsuStore *store, const GDate *today, GError **error);
/* The same for every day after @after up to @today (a desk that was closed
 * catches up once, with the days left now). */
JsonArray *tsu_grants_reminders_since (TsuStore    *store,
                                       const GDate *after,
                                       const GDate *today,
                                       GError     **error);

/* 案内済 for each of @group_ids at once (groups already on the list stay as
 * they are). Returns how many were added. */
gboolean tsu_grants_tell (TsuStore    *store,
                          const char  *programme_id,
                          GStrv        group_ids,
                          const GDate *today,
                          guint       *added,
                          GError     **error);
/* Groups to suggest telling: registered ones sharing a field; for tiers,
 * each one's ceiling by its past awards (those no longer eligible left
 * out, those that received it before first); objects with "id", "name",
 * "reason", "times_awarded" (and "ceiling", "rate"). */
JsonArray *tsu_grants_suggest_groups (TsuStore    *store,
                                      const char  *programme_id,
                                      const GDate *today,
                                      GError     **error);
/* The notice text for the chosen groups (copyable). */
char *tsu_grants_notice_text (TsuStore *store, const char *programme_id, GError **error);
/* The chosen groups' public contacts as CSV (what each made public). */
GBytes *tsu_grants_contacts_csv (TsuStore      *store,
                                 GStrv          group_ids,
                                 TsuCsvEncoding encoding,
                                 GPtrArray     *unencodable,
                                 GError       **error);
/* Any group by part of its name or reading (id, name, status). */
JsonArray *tsu_grants_find_groups (TsuStore *store, const char *text, guint limit, GError **error);
/* The groups on a programme's list, state by state. */
JsonArray *tsu_grants_programme_groups (TsuStore *store, const char *programme_id, GError **error);
/* One group × programme to @state today, by the desk's staff. */
gboolean tsu_grants_set_state (TsuStore    *store,
                               const char  *application_id,
                               const char  *state,
                               const GDate *today,
                               GError     **error);
/* A group's programmes with its state in each, and what it received per
 * 年度 ("programmes", "years"). */
JsonObject *tsu_grants_group_summary (TsuStore *store, const char *group_id, GError **error);
/* 300000 → "300,000" */
char *tsu_grants_format_yen (gint64 yen);

/* A copy of a programme for the next 年度 (dates a year later, a 年度 in
 * its name too, no groups). */
char *tsu_grants_next_year_name (const char *name, gint64 fiscal_year);
char *tsu_programme_copy_to_next_year (TsuStore *store, const char *id, GError **error);

/* The deadlines from @from on as iCalendar (RFC 5545): one VEVENT each,
 * all-day or timed in Asia/Tokyo with its VTIMEZONE, stable UIDs, lines
 * folded at 75 octets, CRLF. */
GBytes *tsu_grants_ics (TsuStore *store, const GDate *from, GError **error);

G_END_DECLS
