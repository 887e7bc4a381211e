/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-record-page.h"
#include "tsu-booking-timeline.h"

G_BEGIN_DECLS

#define TSU_TYPE_RESOURCES_PAGE (tsu_resources_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuResourcesPage, tsu_resources_page, TSU, RESOURCES_PAGE, TsuRecordPage)

/* The inventory (備品・活動場所): the record page of the resources
 * collection, filtered by kind, category and where each is now, sorted by
 * name, number, now or next booking; a resource's page shows its
 * timeline (week or month) and its bookings with their next step, and
 * books a time chosen on the timeline. */
GtkWidget          *tsu_resources_page_new (void);
TsuBookingTimeline *tsu_resources_page_get_timeline (TsuResourcesPage *self);
/* The categories offered in the filter (read again when resources change). */
GListModel *tsu_resources_page_get_categories (TsuResourcesPage *self);
void        tsu_resources_page_set_filters (TsuResourcesPage *self,
                                            const char       *kind,
                                            const char       *category,
                                            const char       *now_state);

G_END_DECLS
