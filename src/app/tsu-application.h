/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_APPLICATION (tsu_application_get_type ())
G_DECLARE_FINAL_TYPE (TsuApplication, tsu_application, TSU, APPLICATION, AdwApplication)

/* Seed of the demo database, so every desk's demo shows the same data. */
#define TSU_DEMO_SEED 20261126u

/**
 * TsuLocalCommandFunc:
 * @app: the application, options already parsed (see tsu_application_dup_db_path())
 * @options: the parsed command-line options
 * @user_data: data given to tsu_application_add_local_command()
 *
 * Runs a command-line command without a display (import, export...).
 *
 * Returns: an exit status (0 or more) to exit with, or -1 when the options
 *   are not this command's and startup should continue.
 */
typedef int (*TsuLocalCommandFunc) (TsuApplication *app, GVariantDict *options, gpointer user_data);

void tsu_application_init_i18n (void);
void tsu_resources_ensure (void);

TsuApplication *tsu_application_new (void);

GStrv tsu_application_get_arguments (GVariantDict *options);
void  tsu_application_add_local_command (TsuApplication     *self,
                                         const GOptionEntry *entries,
                                         TsuLocalCommandFunc func,
                                         gpointer            user_data);

const char *tsu_application_get_db_path (TsuApplication *self);
void        tsu_application_set_db_path (TsuApplication *self, const char *db_path);
gboolean    tsu_application_get_demo (TsuApplication *self);
void        tsu_application_set_demo (TsuApplication *self, gboolean demo);
char       *tsu_application_dup_db_path (TsuApplication *self);
char       *tsu_application_dup_demo_path (void);

TsuStore  *tsu_application_get_store (TsuApplication *self);
GSettings *tsu_application_get_settings (TsuApplication *self);

G_END_DECLS
