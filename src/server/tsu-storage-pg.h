/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tsu-directory.h"

G_BEGIN_DECLS

/* The PostgreSQL backend (tsu-storage-pg.c), built when libpq is found. */
TsuDirectory *tsu_pg_directory_open (const char *conninfo, GError **error);
int           tsu_pg_migrate (const char *conninfo, int *from, GError **error);
char         *tsu_pg_import_sqlite (const char *data_dir, const char *conninfo, GError **error);
gboolean      tsu_pg_conninfo_has_password (const char *conninfo, GError **error);

G_END_DECLS
