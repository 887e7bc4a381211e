/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-cli.h"
#include "tsu-sync-cli.h"

int
main (int argc, char *argv[])
{
  g_autoptr (TsuApplication) app = NULL;

  tsu_application_init_i18n ();

  app = tsu_application_new ();

  /* Command-line commands that run without a display are registered here,
   * one line per feature: tsu_application_add_local_command (app, ...). */
  tsu_cli_report_register (app);
  tsu_cli_register (app);
  tsu_cli_matching_register (app);
  tsu_sync_cli_register (app);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
