/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-groups-cli.h"
#include "tsu-group-csv.h"

static const GOptionEntry entries[] = {
  { "import-groups", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Import groups from a CSV file (all rows or none) and exit"), N_ ("FILE") },
  { "export-groups", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Export every group to a CSV file in 五十音順 and exit"), N_ ("FILE") },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Encoding of the exported file: utf-8 (with BOM, the default) or cp932"), N_ ("ENCODING") },
  { "public", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Leave out every field not marked public"), NULL },
  { NULL }
};

static int
groups_command (TsuApplication *app, GVariantDict *options, gpointer user_data)
{
  const char      *import = NULL, *export = NULL, *encoding = NULL;
  g_autofree char *db = NULL;

  g_variant_dict_lookup (options, "import-groups", "^&ay", &import);
  g_variant_dict_lookup (options, "export-groups", "^&ay", &export);
  g_variant_dict_lookup (options, "encoding", "&s", &encoding);
  if (import == NULL && export == NULL)
    {
      if (encoding != NULL || g_variant_dict_contains (options, "public"))
        {
          g_printerr ("%s\n", _ ("--encoding and --public go with --export-groups."));
          return 2;
        }
      return -1;
    }
  if (import != NULL && export != NULL)
    {
      g_printerr ("%s\n", _ ("--import-groups and --export-groups cannot be used together."));
      return 2;
    }
  if (tsu_application_get_demo (app))
    {
      g_printerr ("%s\n", _ ("Import and export need a database file given with --db."));
      return 2;
    }
  db = tsu_application_dup_db_path (app);
  if (import != NULL)
    return tsu_group_cli_import (db, import);
  return tsu_group_cli_export (db, export, encoding, g_variant_dict_contains (options, "public"));
}

/**
 * tsu_groups_cli_register:
 *
 * Adds --import-groups, --export-groups, --encoding and --public.
 */
void
tsu_groups_cli_register (TsuApplication *app)
{
  tsu_application_add_local_command (app, entries, groups_command, NULL);
}
