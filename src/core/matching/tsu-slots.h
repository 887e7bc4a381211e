/* SPDX-License-Identifier: GPL-3.0-or-later */
/* When people can help and when help is needed: weekday × 午前/午後/夜間
 * slots, and a request's schedule (one day, a window of days, or weekly
 * slots for a period) as the days and slots it covers. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

#include "tsu-collection.h"
#include "tsu-date.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_PART_AM,
  TSU_PART_PM,
  TSU_PART_NIGHT,
  TSU_N_PARTS
} TsuPart;

#define TSU_N_SLOTS (7 * TSU_N_PARTS)

/* "mon-am" … "sun-night" (stored), 月午前 … 日夜間 (files, people). */
extern const TsuChoice tsu_slot_choices[];
extern const TsuChoice tsu_part_choices[]; /* "am", "pm", "night": 午前, 午後, 夜間 */

/* Bit of a slot in a mask: (weekday 1=Mon..7=Sun, part). */
guint32 tsu_slot_bit (GDateWeekday weekday, TsuPart part);
/* The mask of a JSON list of slot codes. */
guint32  tsu_slots_mask (JsonNode *slots);
gboolean tsu_part_from_code (const char *code, TsuPart *part);

/* Reads "月午前 水午後 土夜間" (any of space, ;, 、 between) into slot codes. */
gboolean tsu_slots_parse (const char *text, JsonArray **slots, char **bad);
/* Writes slot codes as "月午前 水午後". */
char *tsu_slots_format (JsonNode *slots);

typedef enum
{
  TSU_SCHEDULE_ONCE,   /* date_from, slot */
  TSU_SCHEDULE_WINDOW, /* any day date_from..date_to, in slot */
  TSU_SCHEDULE_WEEKLY, /* weekly_slots, every week date_from..date_to */
} TsuScheduleKind;

extern const TsuChoice tsu_schedule_choices[];

/* A request's schedule, read from its record. */
typedef struct
{
  TsuScheduleKind kind;
  GDate           first, last; /* inclusive */
  TsuPart         part;        /* once, window */
  guint32         weekly;      /* weekly: slot mask */
} TsuSchedule;

gboolean tsu_schedule_from_record (JsonObject *request, TsuSchedule *schedule);
/* Whether the two schedules share a day and slot (a window counts all its days). */
gboolean tsu_schedule_overlaps (const TsuSchedule *a, const TsuSchedule *b);
/* Whether someone available in @availability (a slot mask) can do it: the
 * day's slot once, any day of a window, every weekly slot. */
gboolean tsu_schedule_fits (const TsuSchedule *s, guint32 availability);
/* The mask a volunteer's availability must hold all of (once, weekly), or
 * hold one of (window: @any set). */
guint32 tsu_schedule_needed_mask (const TsuSchedule *s, gboolean *any);
/* Span as ISO text: first day, and the day after the last (exclusive). */
void tsu_schedule_span (const TsuSchedule *s, char **start, char **end);
/* A request's when, as people read it: "2026年12月5日（土） 午前", "2026年12月1日
 * 〜12月10日の午前", "毎週 土午前（2026年11月1日〜2027年1月31日）"; "" without a date. */
char *tsu_schedule_describe (JsonObject *request, TsuDateStyle style);

G_END_DECLS
