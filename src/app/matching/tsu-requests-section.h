/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_REQUESTS_SECTION (tsu_requests_section_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuRequestsSection, tsu_requests_section, TSU, REQUESTS_SECTION, AdwPreferencesGroup)

/* A list of requests under a record, read in a thread: a volunteer's
 * matches (what they were asked for and where each stands), or a group's
 * requests (with their 確定/必要 counts). A row opens its request through
 * @action (matching.show-request on the matching page, win.show-request
 * from another page). */
GtkWidget *tsu_requests_section_new (void);
void       tsu_requests_section_set_volunteer (TsuRequestsSection *self,
                                               TsuStore           *store,
                                               const char         *volunteer_id);
void
tsu_requests_section_set_group (TsuRequestsSection *self, TsuStore *store, const char *group_id);
void  tsu_requests_section_set_action (TsuRequestsSection *self, const char *action);
guint tsu_requests_section_get_n_rows (TsuRequestsSection *self);

/* Inside a record page's form (a read section in a .ui), with
 * "follow-form" set: shows the requests of whatever group the form loads,
 * by itself, so the page needs no code for it:
 *   <child type="read-section"><object class="TsuRequestsSection">
 *     <property name="follow-form">True</property>
 *     <property name="action">win.show-request</property>
 *   </object></child> */

G_END_DECLS
