/* SPDX-License-Identifier: GPL-3.0-or-later */
/* CSV import and export of any collection, from its descriptor: the command
 * line, the pages and the tests all use it. */
#pragma once

#include <glib.h>

#include "tsu-collection.h"
#include "tsu-csv.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_RECORD_CSV_ERROR (tsu_record_csv_error_quark ())

typedef enum
{
  TSU_RECORD_CSV_ERROR_COLUMNS, /* a required column is missing */
  TSU_RECORD_CSV_ERROR_ROWS,    /* rows have errors: nothing was imported */
  TSU_RECORD_CSV_ERROR_OUTPUT,  /* the output file cannot be written there */
} TsuRecordCsvError;

typedef struct _TsuRecordQuery TsuRecordQuery;

/* What an export or an import is judged against. */
typedef struct
{
  GDate                 today;
  const TsuRecordQuery *query; /* the page's settings (e.g. the renewal period), or NULL */
  gboolean              public_only;
  TsuStore             *store; /* set by exports: special columns may look records up */
} TsuCsvContext;

typedef enum
{
  TSU_CSV_COLUMN_NONE = 0,
  /* Codes and choices written by their names (read either way). */
  TSU_CSV_COLUMN_NAMES = 1 << 0,
  /* Never in a public export. */
  TSU_CSV_COLUMN_INTERNAL = 1 << 1,
} TsuCsvColumnFlags;

/* One column of a collection's CSV files. A plain column names a field and
 * takes its header, variants, label and publish key from it; a special
 * column converts with its own functions (a name split in two fields, a
 * status computed from dates). */
typedef struct
{
  const char        *field;
  const char        *header;
  const char *const *variants;
  const char        *label; /* a msgid */
  const char        *publish_key;
  TsuCsvColumnFlags  flags;
  /* Special columns. export_cell returns the cell text (transfer full). */
  char *(*export_cell) (JsonObject *row, const TsuCsvContext *ctx);
  /* Sets the record's members from @cell (trimmed; NULL when empty); adds
   * errors to @problems. NULL: the column is written but never read. */
  void (*import_cell) (JsonObject *record, const char *cell, GPtrArray *problems);
} TsuCsvColumn;

struct _TsuCsvSpec
{
  const TsuCsvColumn *columns;
  guint               n_columns;
  /* Headers a file must have (NULL-terminated). */
  const char *const *required;
  /* Optional: after every cell of a row is read (fills what a file made
   * elsewhere leaves out, checks what needs two columns). */
  void (*finish_row) (JsonObject *record, const TsuCsvContext *ctx, GPtrArray *problems);
  /* Optional: when the import is planned against a store, turns what a row
   * names (a group's registration number) into references; errors make the
   * row an error row. */
  void (*resolve) (TsuStore *store, JsonObject *record, GPtrArray *problems);
};

typedef struct _TsuRecordImport TsuRecordImport;

/* What an import does with a row, in the preview and in the result. */
typedef enum
{
  TSU_IMPORT_ROW_BLANK,
  TSU_IMPORT_ROW_ERROR,
  TSU_IMPORT_ROW_NEW,
  TSU_IMPORT_ROW_UPDATE,
  TSU_IMPORT_ROW_UNCHANGED,
  TSU_IMPORT_ROW_DUPLICATE, /* new, but like a record already there (same name or reading) */
} TsuImportRowKind;

typedef struct
{
  guint line;    /* 1-based line of the file where the record starts */
  char *message; /* translated */
} TsuImportIssue;

typedef struct
{
  guint n_new;
  guint n_updated;
  guint n_unchanged;
  guint n_duplicates; /* of n_new: possible duplicates, imported as new */
  guint n_error_rows;
  guint n_skipped; /* rows left out (with errors) when only valid rows are imported */
} TsuImportCounts;

GQuark tsu_record_csv_error_quark (void);

TsuRecordImport *tsu_record_import_new_from_data (const TsuCollection *collection,
                                                  const char          *data,
                                                  gsize                length,
                                                  const TsuCsvContext *ctx,
                                                  GError             **error);
TsuRecordImport *tsu_record_import_new_from_file (const TsuCollection *collection,
                                                  const char          *path,
                                                  const TsuCsvContext *ctx,
                                                  GError             **error);
void             tsu_record_import_free (TsuRecordImport *self);

const TsuCollection *tsu_record_import_get_collection (TsuRecordImport *self);
TsuCsvEncoding       tsu_record_import_get_encoding (TsuRecordImport *self);
guint                tsu_record_import_get_n_columns (TsuRecordImport *self);
const char          *tsu_record_import_get_header (TsuRecordImport *self, guint column);
const char          *tsu_record_import_get_column_label (TsuRecordImport *self, guint column);
const char          *tsu_record_import_get_cell (TsuRecordImport *self, guint row, guint column);
guint                tsu_record_import_get_n_rows (TsuRecordImport *self);
guint                tsu_record_import_get_n_valid (TsuRecordImport *self);
GPtrArray           *tsu_record_import_get_warnings (TsuRecordImport *self);
GPtrArray           *tsu_record_import_get_errors (TsuRecordImport *self);
JsonObject          *tsu_record_import_get_record (TsuRecordImport *self, guint row);

/* Looks every valid row up in @store (on a reader: safe in a worker) to say
 * what the import would do with it; the preview shows it and the commit
 * does exactly that. */
gboolean         tsu_record_import_plan (TsuRecordImport *self, TsuStore *store, GError **error);
TsuImportRowKind tsu_record_import_get_row_kind (TsuRecordImport *self, guint row);
void             tsu_record_import_get_counts (TsuRecordImport *self, TsuImportCounts *counts);

/* Writes every row in one transaction (origin import): all or nothing. A
 * file with row errors writes nothing unless @only_valid. Plans first when
 * not yet planned. */
gboolean tsu_record_import_commit (TsuRecordImport *self,
                                   TsuStore        *store,
                                   gboolean         only_valid,
                                   TsuImportCounts *counts,
                                   GError         **error);

/* Export. @query gives the rows to write, in its order (the shown list),
 * or NULL for every record in the collection's default order. A public
 * export holds only records the collection calls public and only their
 * public fields, without internal columns. Files are written mode 0600. */
GBytes  *tsu_record_export (TsuStore             *store,
                            const TsuCollection  *collection,
                            const TsuRecordQuery *query,
                            TsuCsvEncoding        encoding,
                            const TsuCsvContext  *ctx,
                            GPtrArray            *unencodable,
                            GError              **error);
gboolean tsu_record_export_file (TsuStore             *store,
                                 const TsuCollection  *collection,
                                 const TsuRecordQuery *query,
                                 const char           *path,
                                 TsuCsvEncoding        encoding,
                                 const TsuCsvContext  *ctx,
                                 GPtrArray            *unencodable,
                                 GError              **error);
void     tsu_record_export_file_async (TsuStore             *store,
                                       const TsuCollection  *collection,
                                       const TsuRecordQuery *query,
                                       const char           *path,
                                       TsuCsvEncoding        encoding,
                                       const TsuCsvContext  *ctx,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
/* Returns the characters written as 〓 (CP932), in @unencodable. */
gboolean
tsu_record_export_file_finish (GAsyncResult *result, GPtrArray **unencodable, GError **error);

/* The header and the cells of one record as an export writes them. */
GStrv tsu_record_csv_header (const TsuCollection *collection, gboolean public_only);
GStrv
tsu_record_csv_row (const TsuCollection *collection, JsonObject *row, const TsuCsvContext *ctx);

/* Helpers for special columns. */
void tsu_record_csv_split_person (JsonObject *record,
                                  const char *family,
                                  const char *given,
                                  const char *cell);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuRecordImport, tsu_record_import_free)

G_END_DECLS
