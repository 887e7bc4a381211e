/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

gboolean tsu_print_preview_available (void);
void     tsu_print_preview_guard (GtkPrintOperation *op);

G_END_DECLS
