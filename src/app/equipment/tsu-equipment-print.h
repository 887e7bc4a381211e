/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tsu-date.h"

G_BEGIN_DECLS

/* The papers handed over at the counter: 貸出票 (a loan slip, one line per
 * item) for items, 使用許可書 (a permit) for a room. @bookings are objects
 * as tsu_booking_get_details() gives them, of one group and one visit;
 * "fee_estimate" (yen) may be set on a room's. */
typedef struct
{
  const char  *centre_name;
  const char  *centre_head;
  TsuDateStyle style;
  const GDate *issued; /* NULL: today */
} TsuEquipmentPaper;

gboolean tsu_equipment_print (GtkWindow               *parent,
                              GPtrArray               *bookings,
                              const TsuEquipmentPaper *paper,
                              const char              *pdf_path,
                              GError                 **error);

/* One A4 page: what printing, the PDF and tests share. */
void tsu_equipment_print_draw (cairo_t                 *cr,
                               PangoLayout             *layout,
                               GPtrArray               *bookings,
                               const TsuEquipmentPaper *paper,
                               double                   width,
                               double                   height);

/* The title the paper gets: 貸出票 or 使用許可書. */
const char *tsu_equipment_paper_title (GPtrArray *bookings);

G_END_DECLS
