/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_BOOKING_TIMELINE (tsu_booking_timeline_get_type ())
G_DECLARE_FINAL_TYPE (TsuBookingTimeline, tsu_booking_timeline, TSU, BOOKING_TIMELINE, GtkWidget)

typedef enum
{
  TSU_TIMELINE_WEEK,
  TSU_TIMELINE_MONTH,
} TsuTimelineMode;

/* One resource's bookings over a week (days × the hours it can be booked,
 * in half hours) or a month (a calendar), drawn by itself: booked time in
 * the colour of its state, free time plain, closed days shaded. A free
 * range is chosen with the pointer (press and drag) or the keyboard
 * (arrows, Shift+arrows, Enter), and "range-selected" says which; a
 * booking clicked emits "booking-activated". Page Up / Page Down move by
 * a week or a month. The bookings are read in a worker thread. */
GtkWidget *tsu_booking_timeline_new (void);
void       tsu_booking_timeline_set_store (TsuBookingTimeline *self, TsuStore *store);
/* The resource (its id, kind, stock, hours); NULL shows nothing. */
void            tsu_booking_timeline_set_resource (TsuBookingTimeline *self, JsonObject *resource);
void            tsu_booking_timeline_set_mode (TsuBookingTimeline *self, TsuTimelineMode mode);
TsuTimelineMode tsu_booking_timeline_get_mode (TsuBookingTimeline *self);
/* Shows the week or month holding @day. */
void tsu_booking_timeline_set_day (TsuBookingTimeline *self, const GDate *day);
void tsu_booking_timeline_get_day (TsuBookingTimeline *self, GDate *day);
/* -1: the week (month) before, +1: after, 0: this week (month). */
void tsu_booking_timeline_go (TsuBookingTimeline *self, int delta);
void tsu_booking_timeline_set_date_style (TsuBookingTimeline *self, TsuDateStyle style);
/* "2026年12月7日〜13日", "2026年12月" */
char *tsu_booking_timeline_get_title (TsuBookingTimeline *self);
/* Reads the shown period again. */
void tsu_booking_timeline_reload (TsuBookingTimeline *self);
/* The bookings shown (tests, the accessible summary). */
guint tsu_booking_timeline_get_n_bookings (TsuBookingTimeline *self);
/* Selects the range holding [@start, @end) (tests, keyboard users). */
void tsu_booking_timeline_select (TsuBookingTimeline *self, const char *start, const char *end);
/* The selection as "YYYY-MM-DDTHH:MM" (FALSE when nothing is selected). */
gboolean tsu_booking_timeline_get_selection (TsuBookingTimeline *self, char **start, char **end);

G_END_DECLS
