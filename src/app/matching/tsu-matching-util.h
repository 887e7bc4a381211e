/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Small things the matching page's sections share: the record page they
 * sit in (its toasts, errors, date style), a file chooser for saving, and
 * work in a thread whose result comes back only if the widget still wants
 * it. */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-record-page.h"

G_BEGIN_DECLS

TsuRecordPage *tsu_matching_record_page (GtkWidget *widget);
void           tsu_matching_toast (GtkWidget *widget, const char *text);
void           tsu_matching_error (GtkWidget *widget, const GError *error);
TsuDateStyle   tsu_matching_date_style (GtkWidget *widget);
GtkWindow     *tsu_matching_window (GtkWidget *widget);

/* Asks where to save a file named @name; @done runs with the path
 * (transfer none) if the widget is still there. */
typedef void (*TsuMatchingSaveFunc) (GtkWidget *widget, const char *path, gpointer data);
void tsu_matching_ask_save (GtkWidget          *widget,
                            const char         *title,
                            const char         *name,
                            TsuMatchingSaveFunc done,
                            gpointer            data,
                            GDestroyNotify      destroy);

/* Runs @work(@data) in a thread; @done(widget, result, error) on this
 * thread unless @cancellable was cancelled first (a newer read). @result
 * is freed with @free_result after @done. */
typedef gpointer (*TsuMatchingWorkFunc) (gpointer data, GError **error);
typedef void (*TsuMatchingDoneFunc) (GtkWidget *widget, gpointer result, const GError *error);
void tsu_matching_run (GtkWidget          *widget,
                       GCancellable       *cancellable,
                       TsuMatchingWorkFunc work,
                       gpointer            data,
                       GDestroyNotify      free_data,
                       TsuMatchingDoneFunc done,
                       GDestroyNotify      free_result);

G_END_DECLS
