/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The print dialog's プレビュー button runs an outside program (GtkSettings
 * gtk-print-preview-command, evince by default). Where none is installed
 * GTK does nothing at all, and staff think the button is broken: say so,
 * and how to look at the page anyway. */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsu-print-preview.h"

/**
 * tsu_print_preview_available:
 *
 * Returns: %TRUE when the program of the preview command is installed
 */
gboolean
tsu_print_preview_available (void)
{
  g_autofree char *cmd = NULL;
  g_autofree char *found = NULL;
  g_auto (GStrv) argv = NULL;

  g_object_get (gtk_settings_get_default (), "gtk-print-preview-command", &cmd, NULL);
  if (cmd == NULL || !g_shell_parse_argv (cmd, NULL, &argv, NULL) || argv[0] == NULL)
    return FALSE;
  found = g_find_program_in_path (argv[0]);
  return found != NULL;
}

static gboolean
preview_cb (GtkPrintOperation        *op,
            GtkPrintOperationPreview *preview,
            GtkPrintContext          *context,
            GtkWindow                *parent,
            gpointer                  user_data)
{
  GtkWidget *dialog;

  if (tsu_print_preview_available ())
    return FALSE;

  dialog = adw_message_dialog_new (
      parent, _ ("No Print Preview"),
      _ ("This computer has no program to show a print preview. Choose “Print to File” in the "
         "print dialog to save a PDF, and open it to look at the page."));
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _ ("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  if (preview != NULL)
    gtk_print_operation_preview_end_preview (preview);
  return TRUE;
}

/**
 * tsu_print_preview_guard:
 *
 * Makes @op explain a missing previewer instead of doing nothing.
 */
void
tsu_print_preview_guard (GtkPrintOperation *op)
{
  g_signal_connect (op, "preview", G_CALLBACK (preview_cb), NULL);
}
