/* SPDX-License-Identifier: GPL-3.0-or-later */
/* stats-window FILE [YEAR]: the Statistics page alone in a window, on the
 * database FILE, for the AT-SPI test and the screenshot until the main
 * window has the page. */
#include "config.h"

#include <adwaita.h>

#include "tsu-application.h"
#include "tsu-stats-page.h"

static char *db_path;
static int   year;

static void
activate (GtkApplication *app)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (db_path, &error);
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *page = tsu_stats_page_new ();
  GtkWidget *header = adw_header_bar_new ();

  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db_path, error->message);
      return;
    }
  gtk_window_set_title (GTK_WINDOW (window), tsu_stats_page_get_title ());
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 760);
  gtk_widget_set_vexpand (page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), page);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  if (year)
    tsu_stats_page_set_period (TSU_STATS_PAGE (page), year, 4, 3);
  tsu_stats_page_set_store (TSU_STATS_PAGE (page), store);
  gtk_window_present (GTK_WINDOW (window));
}

int
main (int argc, char *argv[])
{
  g_autoptr (AdwApplication) app = NULL;

  tsu_application_init_i18n ();
  if (argc < 2)
    {
      g_printerr ("usage: stats-window FILE [YEAR]\n");
      return 2;
    }
  db_path = argv[1];
  year = argc > 2 ? atoi (argv[2]) : 0;
  app = adw_application_new ("io.github.tsunagu.Tsunagu.StatsTest", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, argv);
}
