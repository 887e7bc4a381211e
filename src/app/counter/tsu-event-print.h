/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  TSU_EVENT_PRINT_SIGN_IN, /* 受付名簿: a line per registration to tick on the day */
  TSU_EVENT_PRINT_CARDS,   /* name cards, ten to an A4 sheet */
} TsuEventPrintKind;

/* Prints @event's sheet for @registrations (JsonObjects, registered ones
 * only are printed); with @pdf_path, writes a PDF there instead, readable
 * by its owner only (it holds names). */
gboolean tsu_event_print (GtkWindow        *parent,
                          JsonObject       *event,
                          GPtrArray        *registrations,
                          TsuEventPrintKind kind,
                          const char       *pdf_path,
                          GError          **error);

G_END_DECLS
