/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_REMINDERS (tsu_grants_reminders_get_type ())
G_DECLARE_FINAL_TYPE (TsuGrantsReminders, tsu_grants_reminders, TSU, GRANTS_REMINDERS, GObject)

/* Deadline reminders as desktop notifications (GNotification): 30 and 7
 * days before a deadline and on the day, for programmes with groups
 * 関心あり or 申請準備, unless the preference grant-reminders is off.
 *
 * When they fire: while the application runs, at the start and when the
 * day changes (checked every few minutes, so a desk left on overnight or
 * woken from sleep catches up). A reminder day when Tsunagu was not
 * running is caught up the next time it opens, once, with the days left
 * then (settings key grant-reminders-checked holds the last day looked
 * at). Nothing runs in the background when the application is closed. */
TsuGrantsReminders *tsu_grants_reminders_new (GApplication *application, GSettings *settings);
/* Looks now (the application calls this when its store opens). */
void tsu_grants_reminders_set_store (TsuGrantsReminders *self, TsuStore *store);
/* Sends what is due since the last look, in a worker; @done (may be NULL)
 * runs on the main context with how many notifications went out. */
void tsu_grants_reminders_check (TsuGrantsReminders *self,
                                 void (*done) (gpointer data, guint sent),
                                 gpointer data);

/* The notification of one reminder (an element of
 * tsu_grants_reminders_since()), for tests: its id through @id. */
GNotification *tsu_grants_reminder_notification (JsonObject *reminder, char **id);

/* Creates the reminders of @application (its "store" property followed)
 * and the action app.show-programme. One line in the application. */
void tsu_grants_reminders_attach (GApplication *application, GSettings *settings);

G_END_DECLS
