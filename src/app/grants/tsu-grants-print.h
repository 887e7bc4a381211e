/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tsu-date.h"

G_BEGIN_DECLS

/* The upcoming deadlines on A4 paper (for the notice board, or a PDF):
 * @rows as tsu_grants_upcoming() returns them, read beforehand (printing
 * reads nothing). @pdf_path: write a PDF there instead of showing the
 * print dialog. Returns %TRUE unless printing failed. */
gboolean tsu_grants_print_deadlines (GtkWindow   *parent,
                                     JsonArray   *rows,
                                     const GDate *today,
                                     TsuDateStyle style,
                                     const char  *pdf_path,
                                     GError     **error);

G_END_DECLS
