/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The print dialog's Preview where no previewer is installed: a dialog says
 * so (GTK alone does nothing); with one installed GTK's handler runs it. */

#include <adwaita.h>

#include "tsu-print-preview.h"

static gboolean
emit_preview (GtkWindow *parent)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  gboolean handled = FALSE;

  tsu_print_preview_guard (op);
  g_signal_emit_by_name (op, "preview", NULL, NULL, parent, &handled);
  return handled;
}

static guint
count_dialogs (void)
{
  GListModel *tops = gtk_window_get_toplevels (); /* (transfer none) */
  guint       n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (tops, i);
      if (ADW_IS_MESSAGE_DIALOG (w))
        n++;
    }
  return n;
}

static void
test_missing (void)
{
  GtkWidget *parent = gtk_window_new ();

  g_object_set (gtk_settings_get_default (), "gtk-print-preview-command",
                "/nonexistent/tsu-previewer --preview %f", NULL);
  g_assert_false (tsu_print_preview_available ());
  g_assert_cmpuint (count_dialogs (), ==, 0);
  g_assert_true (emit_preview (GTK_WINDOW (parent)));
  g_assert_cmpuint (count_dialogs (), ==, 1);
  gtk_window_destroy (GTK_WINDOW (parent));
}

static void
test_installed (void)
{
  g_object_set (gtk_settings_get_default (), "gtk-print-preview-command", "sh -c true %f", NULL);
  /* (Not emitted: GTK's own handler would then run the command.) */
  g_assert_true (tsu_print_preview_available ());
}

int
main (int argc, char **argv)
{
  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/app/print-preview/missing", test_missing);
  g_test_add_func ("/app/print-preview/installed", test_installed);
  return g_test_run ();
}
