/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

/* What the equipment page's widgets share: times as people read them,
 * booking states, and store work run in a worker thread. */

/* Registers the page's resource bundle (its .ui files) once. */
void tsu_equipment_resources_ensure (void);

/* "YYYY-MM-DDTHH:MM" of now, local time. */
char *tsu_equipment_now (void);
/* "12月5日（土） 10:00〜17:00", "12月5日（土） 10:00〜12月7日（月） 10:00"
 * (the year when it is not this year's, in the date style). */
char *tsu_equipment_span_text (const char *start, const char *end, TsuDateStyle style);
/* "2026年12月5日（土） 10:00" in the date style. */
char *tsu_equipment_time_text (const char *iso, TsuDateStyle style);
/* Typed text (2026-12-05 10:00, 12/5 10:00, 令和8年12月5日 10:00) to
 * "YYYY-MM-DDTHH:MM"; a date without a year is this year's. */
char *tsu_equipment_parse_time (const char *text, char **why);
/* "1,200円" */
char *tsu_equipment_yen (gint64 yen);
/* A booking's state as people say it; lent past its due time is 延滞. */
const char *tsu_equipment_state_label (JsonObject *booking, const char *now);
/* A CSS class for that state: accent, warning, error, dim-label, success. */
const char *tsu_equipment_state_class (JsonObject *booking, const char *now);
/* The resource's accessories, as a NULL-terminated list. */
GStrv tsu_equipment_strings (JsonObject *object, const char *member);

/* Runs @job (a store write or a long read) in a worker thread; the
 * callback gets the result on the calling thread's main context. */
typedef gboolean (*TsuEquipmentJob) (TsuStore *store, gpointer data, GError **error);
void     tsu_equipment_run (TsuStore           *store,
                            TsuEquipmentJob     job,
                            gpointer            data,
                            GDestroyNotify      data_free,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data);
gboolean tsu_equipment_run_finish (GAsyncResult *result, gpointer *data, GError **error);

/* A row of text in a dialog: an AdwEntryRow with its accessible name. */
GtkWidget *tsu_equipment_entry_row (const char *title, const char *text);
/* The window a widget is in. */
GtkWindow *tsu_equipment_window_of (GtkWidget *widget);

G_END_DECLS

G_BEGIN_DECLS

typedef enum
{
  TSU_BOOKING_ROW_RESOURCE = 1 << 0, /* name the item or room (a group's or the desk's list) */
  TSU_BOOKING_ROW_HOLDER = 1 << 1,   /* name the group */
  TSU_BOOKING_ROW_ACTIONS = 1 << 2,  /* buttons for the next step (bookings.* actions) */
  TSU_BOOKING_ROW_PHONE = 1 << 3,    /* the phone to call (overdue) */
} TsuBookingRowFlags;

/* A booking as a row: when, who (or what), state; with the actions
 * "bookings.lend", "bookings.return", "bookings.move", "bookings.print"
 * (target: the booking id) for the widget holding it to install. */
GtkWidget *tsu_booking_row_new (JsonObject        *booking,
                                const char        *now,
                                TsuDateStyle       style,
                                TsuBookingRowFlags flags);

G_END_DECLS
