/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tsu-store.h"
#include "tsu-csv.h"
#include "tsu-group.h"

G_BEGIN_DECLS

/* CSV import and export of groups, shared by the command line, the view
 * and the tests. */

typedef struct _TsuGroupImport TsuGroupImport;

typedef struct
{
  guint line;    /* 1-based line of the file where the record starts */
  char *message; /* translated */
} TsuGroupImportIssue;

TsuGroupImport *
tsu_group_import_new_from_file (const char *path, const GDate *today, GError **error);
TsuGroupImport *
tsu_group_import_new_from_data (const char *data, gsize length, const GDate *today, GError **error);
void tsu_group_import_free (TsuGroupImport *self);

TsuCsvEncoding tsu_group_import_get_encoding (TsuGroupImport *self);
guint          tsu_group_import_get_n_columns (TsuGroupImport *self);
const char    *tsu_group_import_get_header (TsuGroupImport *self, guint column);
const char    *tsu_group_import_get_column_label (TsuGroupImport *self, guint column);
const char    *tsu_group_import_get_cell (TsuGroupImport *self, guint row, guint column);
guint          tsu_group_import_get_n_rows (TsuGroupImport *self);
guint          tsu_group_import_get_n_valid (TsuGroupImport *self);
GPtrArray     *tsu_group_import_get_warnings (TsuGroupImport *self);
GPtrArray     *tsu_group_import_get_errors (TsuGroupImport *self);
JsonObject    *tsu_group_import_get_record (TsuGroupImport *self, guint row);

gboolean tsu_group_import_commit (TsuGroupImport *self,
                                  TsuStore       *store,
                                  gboolean        only_valid,
                                  guint          *n_inserted,
                                  guint          *n_updated,
                                  GError        **error);

GBytes  *tsu_group_export (TsuStore      *store,
                           GArray        *rowids,
                           TsuCsvEncoding encoding,
                           gboolean       public_only,
                           const GDate   *today,
                           guint          renewal_days,
                           GPtrArray     *unencodable,
                           GError       **error);
gboolean tsu_group_export_file (TsuStore      *store,
                                GArray        *rowids,
                                const char    *path,
                                TsuCsvEncoding encoding,
                                gboolean       public_only,
                                const GDate   *today,
                                guint          renewal_days,
                                GPtrArray     *unencodable,
                                GError       **error);

int tsu_group_cli_import (const char *db_path, const char *csv_path);
int tsu_group_cli_export (const char *db_path,
                          const char *csv_path,
                          const char *encoding,
                          gboolean    public_only);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuGroupImport, tsu_group_import_free)

G_END_DECLS
