/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tsu-record-csv.h"
#include "tsu-fold.h"
#include "tsu-record-query.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-record-csv-error-quark, tsu_record_csv_error)
// clang-format on

struct _TsuRecordImport
{
  const TsuCollection *collection;
  const TsuCsvSpec    *spec;
  TsuCsvContext        ctx;
  GPtrArray           *rows;  /* GStrv, row 0 is the header */
  GArray              *lines; /* guint per row */
  TsuCsvEncoding       encoding;
  int                 *column_of; /* file column → spec column, or -1 */
  guint                n_columns;
  GPtrArray           *warnings;   /* char * */
  GPtrArray           *errors;     /* TsuImportIssue */
  GPtrArray           *records;    /* JsonObject per data row, NULL when blank or with errors */
  GArray              *row_errors; /* gboolean per data row */
  guint                n_valid;
  /* The plan: what commit does with each row. */
  gboolean   planned;
  gboolean   resolved; /* references looked up (once: the errors stay) */
  GArray    *kinds;    /* TsuImportRowKind per data row */
  GPtrArray *targets;  /* char *: the record a row updates, or NULL */
};

static const TsuFieldDef *
column_field (const TsuCollection *c, const TsuCsvColumn *col)
{
  return col->field ? tsu_collection_lookup_field (c, col->field) : NULL;
}

static const char *
column_header (const TsuCollection *c, const TsuCsvColumn *col)
{
  const TsuFieldDef *f = column_field (c, col);

  return col->header ? col->header : f ? f->csv_header : NULL;
}

static const char *
column_label (const TsuCollection *c, const TsuCsvColumn *col)
{
  const TsuFieldDef *f = column_field (c, col);

  if (col->label)
    return g_dgettext (GETTEXT_PACKAGE, col->label);
  return f ? tsu_field_get_label (f) : column_header (c, col);
}

static const char *
column_publish_key (const TsuCollection *c, const TsuCsvColumn *col)
{
  const TsuFieldDef *f = column_field (c, col);

  return col->publish_key ? col->publish_key : f ? f->publish_key : NULL;
}

/* Whether a column can ever appear in a public export. */
static gboolean
column_may_be_public (const TsuCollection *c, const TsuCsvColumn *col)
{
  const TsuFieldDef *f = column_field (c, col);

  if (col->flags & TSU_CSV_COLUMN_INTERNAL)
    return FALSE;
  if (f != NULL)
    return !(f->flags & (TSU_FIELD_INTERNAL | TSU_FIELD_DERIVED))
           && (f->publish_key != NULL || !(f->flags & TSU_FIELD_PERSONAL));
  return TRUE;
}

static void
issue_free (TsuImportIssue *issue)
{
  g_free (issue->message);
  g_free (issue);
}

static void
record_free (gpointer record)
{
  if (record)
    json_object_unref (record);
}

void
tsu_record_import_free (TsuRecordImport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->row_errors, g_array_unref);
  g_clear_pointer (&self->kinds, g_array_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer ((TsuRecordQuery **)&self->ctx.query, tsu_record_query_free);
  g_free (self->column_of);
  g_free (self);
}

/* Header comparison ignores width, kana kind, case and spaces. */
static char *
fold_header (const char *h)
{
  g_autofree char *f = tsu_search_fold (h ? h : "");
  GString         *s = g_string_new (NULL);

  for (const char *p = f; *p; p++)
    if (*p != ' ')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static gboolean
header_matches (const char *folded, const char *candidate)
{
  g_autofree char *c = fold_header (candidate);

  return *c != '\0' && g_str_equal (folded, c);
}

static int
column_for_header (const TsuCollection *c, const TsuCsvSpec *spec, const char *header)
{
  g_autofree char *h = fold_header (header);

  if (*h == '\0')
    return -1;
  for (guint i = 0; i < spec->n_columns; i++)
    {
      const TsuCsvColumn *col = &spec->columns[i];
      const TsuFieldDef  *f = column_field (c, col);

      if (header_matches (h, column_header (c, col)))
        return i;
      for (guint v = 0; col->variants && col->variants[v]; v++)
        if (header_matches (h, col->variants[v]))
          return i;
      for (guint v = 0; f && f->csv_variants && f->csv_variants[v]; v++)
        if (header_matches (h, f->csv_variants[v]))
          return i;
    }
  return -1;
}

static void
add_issue (TsuRecordImport *self, guint line, const char *message)
{
  TsuImportIssue *issue = g_new0 (TsuImportIssue, 1);

  issue->line = line;
  issue->message = g_strdup (message);
  g_ptr_array_add (self->errors, issue);
}

static char *
clean (const char *cell)
{
  char *t = g_strstrip (g_strdup (cell ? cell : ""));
  gsize n = strlen (t);

  /* ="0123" is how an export keeps digits as text for Excel (and how Excel
   * users write it): the value is what is quoted. */
  if (n >= 3 && t[0] == '=' && t[1] == '"' && t[n - 1] == '"' && strchr (t + 2, '"') == t + n - 1)
    {
      char *inner = g_strndup (t + 2, n - 3);
      g_free (t);
      t = g_strstrip (inner);
    }
  if (*t == '\0')
    g_clear_pointer (&t, g_free);
  return t;
}

static gboolean
all_digits (const char *s)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isdigit (*s))
      return FALSE;
  return TRUE;
}

/* "label: message" for a problem, naming the file's column when one of
 * them holds the field. */
static char *
problem_text (TsuRecordImport *self, TsuProblem *p)
{
  const TsuFieldDef *f = p->field ? tsu_collection_lookup_field (self->collection, p->field) : NULL;

  if (f == NULL)
    return g_strdup (p->message);
  for (guint i = 0; i < self->n_columns; i++)
    {
      const TsuCsvColumn *col;

      if (self->column_of[i] < 0)
        continue;
      col = &self->spec->columns[self->column_of[i]];
      if (g_strcmp0 (col->field, p->field) == 0)
        return g_strdup_printf (_ ("%s: %s"), column_header (self->collection, col), p->message);
    }
  return g_strdup_printf (_ ("%s: %s"), tsu_field_get_label (f), p->message);
}

static JsonObject *
read_row (TsuRecordImport *self, GStrv cells, guint line, gboolean *had_error)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonObject) norm = NULL;
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  gboolean empty = TRUE;

  *had_error = FALSE;
  for (guint i = 0; i < self->n_columns && cells[i]; i++)
    if (cells[i][0] != '\0')
      empty = FALSE;
  if (empty)
    return NULL;

  for (guint i = 0; i < self->n_columns && cells[i]; i++)
    {
      g_autofree char    *v = NULL;
      const TsuCsvColumn *col;
      const TsuFieldDef  *f;
      g_autoptr (JsonNode) value = NULL;
      g_autofree char *why = NULL;

      if (self->column_of[i] < 0)
        continue;
      col = &self->spec->columns[self->column_of[i]];
      v = clean (cells[i]);
      if (col->import_cell != NULL)
        {
          col->import_cell (o, v, problems);
          continue;
        }
      if (col->export_cell != NULL || (f = column_field (self->collection, col)) == NULL)
        continue; /* written, never read */
      if (tsu_record_value_parse (f, v, &value, &why))
        json_object_set_member (o, f->name, g_steal_pointer (&value));
      else
        tsu_problems_add (problems, NULL, TRUE, _ ("%s: %s"), column_header (self->collection, col),
                          why);
    }
  if (self->spec->finish_row != NULL)
    self->spec->finish_row (o, &self->ctx, problems);

  /* Members named "_…" are a special column's notes for resolve (a group's
   * number to look up): kept aside from the values. */
  {
    g_autoptr (JsonObject) notes = json_object_new ();
    GList *names = json_object_get_members (o);

    for (GList *l = names; l; l = l->next)
      if (((const char *)l->data)[0] == '_')
        {
          json_object_set_member (notes, l->data,
                                  json_node_copy (json_object_get_member (o, l->data)));
          json_object_remove_member (o, l->data);
        }
    g_list_free (names);
    norm = tsu_record_normalize (self->collection, o, problems);
    names = json_object_get_members (notes);
    for (GList *l = names; l; l = l->next)
      json_object_set_member (norm, l->data,
                              json_node_copy (json_object_get_member (notes, l->data)));
    g_list_free (names);
  }
  for (guint i = 0; i < problems->len; i++)
    {
      TsuProblem *p = g_ptr_array_index (problems, i);

      if (p->is_error)
        {
          g_autofree char *text = problem_text (self, p);

          add_issue (self, line, text);
          *had_error = TRUE;
        }
    }
  return *had_error ? NULL : g_steal_pointer (&norm);
}

static guint
line_breaks (GStrv row)
{
  guint n = 0;

  for (guint i = 0; row[i]; i++)
    for (const char *p = row[i]; *p; p++)
      if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
        n++;
  return n;
}

static TsuRecordImport *
import_rows (const TsuCollection *c,
             GPtrArray           *rows,
             TsuCsvEncoding       encoding,
             const TsuCsvContext *ctx,
             GError             **error)
{
  g_autoptr (TsuRecordImport) self = g_new0 (TsuRecordImport, 1);
  const TsuCsvSpec    *spec = c->csv;
  g_autofree gboolean *have = g_new0 (gboolean, spec->n_columns);
  GStrv                header;
  guint                line = 1;

  self->collection = c;
  self->spec = spec;
  self->ctx = *ctx;
  self->ctx.query = ctx->query ? tsu_record_query_copy (ctx->query) : NULL;
  self->rows = rows;
  self->encoding = encoding;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)issue_free);
  self->records = g_ptr_array_new_with_free_func (record_free);
  self->row_errors = g_array_new (FALSE, TRUE, sizeof (gboolean));
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!tsu_csv_check_width (rows, error))
    return NULL;

  header = g_ptr_array_index (rows, 0);
  self->n_columns = g_strv_length (header);
  self->column_of = g_new (int, self->n_columns);
  for (guint i = 0; i < self->n_columns; i++)
    {
      int col = column_for_header (c, spec, header[i]);

      if (col >= 0 && have[col])
        {
          g_ptr_array_add (
              self->warnings,
              g_strdup_printf (_ ("Column %u “%s” repeats an earlier column and is ignored."),
                               i + 1, header[i]));
          col = -1;
        }
      else if (col < 0)
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_ ("Column %u “%s” is not a known field and is ignored."),
                                          i + 1, header[i]));
      if (col >= 0)
        have[col] = TRUE;
      self->column_of[i] = col;
    }
  for (guint r = 0; spec->required && spec->required[r]; r++)
    {
      int col = column_for_header (c, spec, spec->required[r]);

      if (col < 0 || !have[col])
        {
          g_autoptr (GString) all = g_string_new (NULL);

          for (guint k = 0; spec->required[k]; k++)
            g_string_append_printf (all, "%s“%s”", k ? "、" : "", spec->required[k]);
          g_set_error (error, TSU_RECORD_CSV_ERROR, TSU_RECORD_CSV_ERROR_COLUMNS,
                       _ ("The file has no “%s” column; files of %s need %s."), spec->required[r],
                       tsu_collection_get_label (c), all->str);
          return NULL;
        }
    }

  for (guint r = 0; r < rows->len; r++)
    {
      g_array_append_val (self->lines, line);
      line += 1 + line_breaks (g_ptr_array_index (rows, r));
    }
  for (guint r = 1; r < rows->len; r++)
    {
      gboolean    had_error;
      JsonObject *rec = read_row (self, g_ptr_array_index (rows, r),
                                  g_array_index (self->lines, guint, r), &had_error);

      g_ptr_array_add (self->records, rec);
      g_array_append_val (self->row_errors, had_error);
      if (rec)
        self->n_valid++;
    }
  return g_steal_pointer (&self);
}

/**
 * tsu_record_import_new_from_data:
 * @ctx: the day (for values a file leaves to be worked out) and settings
 *
 * Reads and checks a CSV file of @collection; nothing is written until
 * tsu_record_import_commit(). A file that cannot be read at all
 * (encoding, quoting, a required column missing) is an error; problems in
 * single rows are kept with their line numbers.
 *
 * Returns: (transfer full) (nullable): the checked import, or %NULL
 */
TsuRecordImport *
tsu_record_import_new_from_data (const TsuCollection *collection,
                                 const char          *data,
                                 gsize                length,
                                 const TsuCsvContext *ctx,
                                 GError             **error)
{
  TsuCsvEncoding enc = TSU_CSV_ENCODING_UTF8;
  GPtrArray     *rows;

  g_return_val_if_fail (collection != NULL && collection->csv != NULL, NULL);

  rows = tsu_csv_parse (data, length, &enc, error);
  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_ptr_array_unref (rows);
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY, _ ("The file is empty."));
      return NULL;
    }
  /* The import owns @rows from here, also when it fails. */
  return import_rows (collection, rows, enc, ctx, error);
}

TsuRecordImport *
tsu_record_import_new_from_file (const TsuCollection *collection,
                                 const char          *path,
                                 const TsuCsvContext *ctx,
                                 GError             **error)
{
  g_autofree char *data = NULL;
  gsize            length;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return tsu_record_import_new_from_data (collection, data, length, ctx, error);
}

const TsuCollection *
tsu_record_import_get_collection (TsuRecordImport *self)
{
  return self->collection;
}

TsuCsvEncoding
tsu_record_import_get_encoding (TsuRecordImport *self)
{
  return self->encoding;
}

guint
tsu_record_import_get_n_columns (TsuRecordImport *self)
{
  return self->n_columns;
}

guint
tsu_record_import_get_n_rows (TsuRecordImport *self)
{
  return self->records->len;
}

guint
tsu_record_import_get_n_valid (TsuRecordImport *self)
{
  return self->n_valid;
}

/**
 * tsu_record_import_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): columns ignored, and why
 */
GPtrArray *
tsu_record_import_get_warnings (TsuRecordImport *self)
{
  return self->warnings;
}

/**
 * tsu_record_import_get_errors:
 *
 * Returns: (transfer none) (element-type TsuImportIssue): row errors in file order
 */
GPtrArray *
tsu_record_import_get_errors (TsuRecordImport *self)
{
  return self->errors;
}

const char *
tsu_record_import_get_header (TsuRecordImport *self, guint column)
{
  GStrv header = g_ptr_array_index (self->rows, 0);

  g_return_val_if_fail (column < self->n_columns, NULL);
  return header[column];
}

/**
 * tsu_record_import_get_column_label:
 *
 * Returns: (nullable): the translated field a file column goes to, or
 *   %NULL when it is ignored
 */
const char *
tsu_record_import_get_column_label (TsuRecordImport *self, guint column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  if (self->column_of[column] < 0)
    return NULL;
  return column_label (self->collection, &self->spec->columns[self->column_of[column]]);
}

const char *
tsu_record_import_get_cell (TsuRecordImport *self, guint row, guint column)
{
  GStrv cells;

  g_return_val_if_fail (row + 1 < self->rows->len, NULL);
  cells = g_ptr_array_index (self->rows, row + 1);
  return column < g_strv_length (cells) ? cells[column] : "";
}

/**
 * tsu_record_import_get_record:
 *
 * Returns: (transfer none) (nullable): the values of a data row, or %NULL
 *   when it has errors or is blank
 */
JsonObject *
tsu_record_import_get_record (TsuRecordImport *self, guint row)
{
  g_return_val_if_fail (row < self->records->len, NULL);
  return g_ptr_array_index (self->records, row);
}

/* ---- the plan: which rows are new, which update what ---- */

typedef struct
{
  TsuRecordImport *import;
  TsuStore        *store;
} Plan;

static char *
find_id (sqlite3 *db, const char *sql, GPtrArray *values)
{
  sqlite3_stmt *stmt = NULL;
  char         *id = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  for (guint i = 0; i < values->len; i++)
    sqlite3_bind_text (stmt, i + 1, g_ptr_array_index (values, i), -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return id;
}

/* The existing record a row is: the same key (e.g. registration number),
 * else, for a row without one, the same values of every match field the row
 * has (name and reading; a phone only where both have one). */
/* A key's value as text (an integer column compares a bound text as a
 * number: its affinity). */
static const char *
key_text (JsonObject *rec, const char *name, GPtrArray *keep)
{
  gint64 v;

  if (tsu_record_get_string (rec, name) != NULL)
    return tsu_record_get_string (rec, name);
  if (!tsu_record_get_int (rec, name, &v))
    return NULL;
  g_ptr_array_add (keep, g_strdup_printf ("%" G_GINT64_FORMAT, v));
  return g_ptr_array_index (keep, keep->len - 1);
}

static char *
find_existing (const TsuCollection *c, sqlite3 *db, JsonObject *rec)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  g_autoptr (GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) sql = g_string_new (NULL);

  for (guint k = 0; c->import_keys && c->import_keys[k]; k++)
    {
      const char *v = key_text (rec, c->import_keys[k], keep);

      if (v == NULL)
        continue;
      g_string_printf (sql,
                       "SELECT id FROM \"%s\" WHERE \"%s\" = ? AND deleted = 0"
                       " ORDER BY rowid LIMIT 1",
                       c->name, c->import_keys[k]);
      g_ptr_array_add (values, (gpointer)v);
      return find_id (db, sql->str, values);
    }
  if (c->import_match == NULL || c->import_match[0] == NULL)
    return NULL;
  g_string_printf (sql, "SELECT id FROM \"%s\" WHERE deleted = 0", c->name);
  for (guint k = 0; c->import_match[k]; k++)
    {
      const char        *v = key_text (rec, c->import_match[k], keep);
      const TsuFieldDef *f = tsu_collection_lookup_field (c, c->import_match[k]);

      if (v == NULL)
        {
          if (k < 2)
            return NULL; /* name and reading at least */
          continue;
        }
      if (f && (f->flags & TSU_FIELD_PHONE))
        g_string_append_printf (sql, " AND (\"%1$s\" = ? OR \"%1$s\" IS NULL)", f->name);
      else
        g_string_append_printf (sql, " AND \"%s\" = ?", c->import_match[k]);
      g_ptr_array_add (values, (gpointer)v);
    }
  g_string_append (sql, " ORDER BY rowid LIMIT 1");
  return find_id (db, sql->str, values);
}

/* A new row that looks like a record already there: same name or same
 * reading (the person at the desk decides). */
static gboolean
looks_like_existing (const TsuCollection *c, sqlite3 *db, JsonObject *rec)
{
  for (guint k = 0; c->import_match && c->import_match[k] && k < 2; k++)
    {
      const char      *v = tsu_record_get_string (rec, c->import_match[k]);
      g_autofree char *sql = NULL;
      g_autoptr (GPtrArray) values = g_ptr_array_new ();
      g_autofree char *id = NULL;

      if (v == NULL)
        continue;
      sql = g_strdup_printf ("SELECT id FROM \"%s\" WHERE \"%s\" = ? AND deleted = 0 LIMIT 1",
                             c->name, c->import_match[k]);
      g_ptr_array_add (values, (gpointer)v);
      if ((id = find_id (db, sql, values)) != NULL)
        return TRUE;
    }
  return FALSE;
}

static gboolean
values_differ (JsonObject *existing, JsonObject *rec)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, rec);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *old = json_object_get_member (existing, name);
      gboolean  a_null = old == NULL || JSON_NODE_HOLDS_NULL (old);
      gboolean  b_null = JSON_NODE_HOLDS_NULL (value);

      if (a_null != b_null || (!a_null && !json_node_equal (old, value)))
        return TRUE;
    }
  return FALSE;
}

static int
compare_issues (gconstpointer a, gconstpointer b)
{
  const TsuImportIssue *x = *(TsuImportIssue *const *)a, *y = *(TsuImportIssue *const *)b;

  return x->line < y->line ? -1 : x->line > y->line;
}

static gboolean
plan_read (sqlite3 *db, gpointer data, GError **error)
{
  Plan            *p = data;
  TsuRecordImport *self = p->import;
  g_autoptr (GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_array_set_size (self->kinds, 0);
  g_ptr_array_set_size (self->targets, 0);
  for (guint i = 0; i < self->records->len; i++)
    {
      JsonObject      *rec = g_ptr_array_index (self->records, i);
      TsuImportRowKind kind;
      char            *target = NULL;

      if (rec != NULL && self->spec->resolve != NULL && !self->resolved)
        {
          g_autoptr (GPtrArray) problems = tsu_problems_new ();

          self->spec->resolve (p->store, rec, problems);
          for (guint k = 0; k < problems->len; k++)
            if (((TsuProblem *)g_ptr_array_index (problems, k))->is_error)
              {
                g_autofree char *text = problem_text (self, g_ptr_array_index (problems, k));

                add_issue (self, g_array_index (self->lines, guint, i + 1), text);
                g_array_index (self->row_errors, gboolean, i) = TRUE;
              }
          if (g_array_index (self->row_errors, gboolean, i))
            {
              g_ptr_array_index (self->records, i) = NULL;
              json_object_unref (rec);
              rec = NULL;
              self->n_valid--;
            }
        }
      if (rec == NULL)
        kind = g_array_index (self->row_errors, gboolean, i) ? TSU_IMPORT_ROW_ERROR
                                                             : TSU_IMPORT_ROW_BLANK;
      else if ((target = find_existing (self->collection, db, rec)) != NULL)
        {
          g_autoptr (JsonObject) existing = NULL;

          /* Two rows of the file for one record: the later one only adds. */
          existing = tsu_store_get (p->store, self->collection->name, target, NULL);
          kind = existing && !values_differ (existing, rec) && !g_hash_table_contains (seen, target)
                     ? TSU_IMPORT_ROW_UNCHANGED
                     : TSU_IMPORT_ROW_UPDATE;
          g_hash_table_add (seen, target);
        }
      else
        kind = looks_like_existing (self->collection, db, rec) ? TSU_IMPORT_ROW_DUPLICATE
                                                               : TSU_IMPORT_ROW_NEW;
      g_array_append_val (self->kinds, kind);
      g_ptr_array_add (self->targets, target);
    }
  self->planned = TRUE;
  if (!self->resolved)
    g_ptr_array_sort (self->errors, compare_issues);
  self->resolved = TRUE;
  return TRUE;
}

/**
 * tsu_record_import_plan:
 *
 * Returns: %TRUE when planned
 */
gboolean
tsu_record_import_plan (TsuRecordImport *self, TsuStore *store, GError **error)
{
  Plan p = { self, store };

  if (self->kinds == NULL)
    {
      self->kinds = g_array_new (FALSE, FALSE, sizeof (TsuImportRowKind));
      self->targets = g_ptr_array_new_with_free_func (g_free);
    }
  return tsu_store_read (store, plan_read, &p, error);
}

TsuImportRowKind
tsu_record_import_get_row_kind (TsuRecordImport *self, guint row)
{
  g_return_val_if_fail (row < self->records->len, TSU_IMPORT_ROW_BLANK);

  if (!self->planned)
    {
      JsonObject *rec = g_ptr_array_index (self->records, row);

      if (rec != NULL)
        return TSU_IMPORT_ROW_NEW;
      return g_array_index (self->row_errors, gboolean, row) ? TSU_IMPORT_ROW_ERROR
                                                             : TSU_IMPORT_ROW_BLANK;
    }
  return g_array_index (self->kinds, TsuImportRowKind, row);
}

void
tsu_record_import_get_counts (TsuRecordImport *self, TsuImportCounts *counts)
{
  memset (counts, 0, sizeof *counts);
  for (guint i = 0; i < self->records->len; i++)
    switch (tsu_record_import_get_row_kind (self, i))
      {
      case TSU_IMPORT_ROW_ERROR:
        counts->n_error_rows++;
        break;
      case TSU_IMPORT_ROW_NEW:
        counts->n_new++;
        break;
      case TSU_IMPORT_ROW_DUPLICATE:
        counts->n_new++;
        counts->n_duplicates++;
        break;
      case TSU_IMPORT_ROW_UPDATE:
        counts->n_updated++;
        break;
      case TSU_IMPORT_ROW_UNCHANGED:
        counts->n_unchanged++;
        break;
      case TSU_IMPORT_ROW_BLANK:
      default:
        break;
      }
}

typedef struct
{
  TsuRecordImport *import;
  gboolean         only_valid;
} Commit;

static gboolean
commit_txn (TsuStore *store, gpointer user_data, GError **error)
{
  Commit          *data = user_data;
  TsuRecordImport *self = data->import;
  const char      *name = self->collection->name;

  /* Planned again inside the transaction: exactly what is written. */
  if (!tsu_record_import_plan (self, store, error))
    return FALSE;
  for (guint i = 0; i < self->records->len; i++)
    {
      JsonObject *rec = g_ptr_array_index (self->records, i);
      const char *target = g_ptr_array_index (self->targets, i);

      switch (g_array_index (self->kinds, TsuImportRowKind, i))
        {
        case TSU_IMPORT_ROW_NEW:
        case TSU_IMPORT_ROW_DUPLICATE:
          {
            g_autofree char *id = tsu_store_insert (store, name, rec, error);
            if (id == NULL)
              goto failed;
            break;
          }
        case TSU_IMPORT_ROW_UPDATE:
          if (!tsu_store_update (store, name, target, rec, error))
            goto failed;
          break;
        default:
          break;
        }
      continue;

    failed:
      /* The store names the field; the line is ours to add. */
      g_prefix_error (error, _ ("Line %u: "), g_array_index (self->lines, guint, i + 1));
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_record_import_commit:
 * @only_valid: import the valid rows of a file that has errors
 * @counts: (out) (optional): what was done
 *
 * Returns: %TRUE when written
 */
gboolean
tsu_record_import_commit (TsuRecordImport *self,
                          TsuStore        *store,
                          gboolean         only_valid,
                          TsuImportCounts *counts,
                          GError         **error)
{
  Commit          c = { self, only_valid };
  TsuImportCounts n;
  guint           bad_rows = 0;

  /* References are looked up when planning: their errors count too. */
  if (!self->planned && !tsu_record_import_plan (self, store, error))
    return FALSE;
  for (guint i = 0; i < self->row_errors->len; i++)
    bad_rows += g_array_index (self->row_errors, gboolean, i) ? 1 : 0;
  if (bad_rows > 0 && !only_valid)
    {
      g_set_error (error, TSU_RECORD_CSV_ERROR, TSU_RECORD_CSV_ERROR_ROWS,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u row of the file has errors; nothing was imported.",
                                "%u rows of the file have errors; nothing was imported.", bad_rows),
                   bad_rows);
      return FALSE;
    }
  if (self->kinds == NULL)
    {
      self->kinds = g_array_new (FALSE, FALSE, sizeof (TsuImportRowKind));
      self->targets = g_ptr_array_new_with_free_func (g_free);
    }
  if (!tsu_store_transaction (store, TSU_ORIGIN_IMPORT, commit_txn, &c, error))
    return FALSE;
  tsu_record_import_get_counts (self, &n);
  n.n_skipped = n.n_error_rows;
  if (counts)
    *counts = n;
  return TRUE;
}

/* ---- export ---- */

void
tsu_record_csv_split_person (JsonObject *record,
                             const char *family,
                             const char *given,
                             const char *cell)
{
  g_autofree char *f = NULL, *g = NULL;

  tsu_record_split_name (cell, &f, &g);
  if (f)
    json_object_set_string_member (record, family, f);
  else
    json_object_set_null_member (record, family);
  if (g)
    json_object_set_string_member (record, given, g);
  else
    json_object_set_null_member (record, given);
}

static gboolean
column_in_export (const TsuCollection *c, const TsuCsvColumn *col, gboolean public_only)
{
  return !public_only || column_may_be_public (c, col);
}

/**
 * tsu_record_csv_header:
 *
 * Returns: (transfer full): the header an export writes
 */
GStrv
tsu_record_csv_header (const TsuCollection *c, gboolean public_only)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv         out;

  for (guint i = 0; i < c->csv->n_columns; i++)
    if (column_in_export (c, &c->csv->columns[i], public_only))
      g_strv_builder_add (b, column_header (c, &c->csv->columns[i]));
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

/**
 * tsu_record_csv_row:
 * @row: a record (tsu_store_get())
 *
 * Returns: (transfer full): its cells as an export writes them; in a public
 *   export, the fields the record has not made public are blank
 */
GStrv
tsu_record_csv_row (const TsuCollection *c, JsonObject *row, const TsuCsvContext *ctx)
{
  GStrvBuilder *b = g_strv_builder_new ();
  GStrv         out;

  for (guint i = 0; i < c->csv->n_columns; i++)
    {
      const TsuCsvColumn *col = &c->csv->columns[i];
      const TsuFieldDef  *f = column_field (c, col);
      const char         *key = column_publish_key (c, col);
      g_autofree char    *cell = NULL;

      if (!column_in_export (c, col, ctx->public_only))
        continue;
      if (ctx->public_only && key != NULL
          && !tsu_record_array_has_string (row, "public_fields", key))
        cell = g_strdup ("");
      else if (col->export_cell != NULL)
        cell = col->export_cell (row, ctx);
      else if (f != NULL)
        cell = tsu_record_value_format (
            f, json_object_get_member (row, f->name),
            TSU_VALUE_CSV | ((col->flags & TSU_CSV_COLUMN_NAMES) ? TSU_VALUE_NAMES : 0),
            TSU_DATE_STYLE_SEIREKI, NULL);
      /* A 13-digit 法人番号 opened in Excel becomes 8.24E+12: the formula
       * ="…" keeps it text. Only digits: a formula-looking cell of any other
       * kind is neutralised by the CSV writer, this one is a constant. */
      if (f != NULL && (f->flags & TSU_FIELD_DIGITS) && all_digits (cell))
        {
          char *quoted = g_strdup_printf ("=\"%s\"", cell);
          g_free (cell);
          cell = quoted;
        }
      g_strv_builder_add (b, cell ? cell : "");
    }
  out = g_strv_builder_end (b);
  g_strv_builder_unref (b);
  return out;
}

typedef struct
{
  const TsuRecordQuery *query;
  GPtrArray            *ids;
} ExportIds;

static gboolean
export_ids_read (sqlite3 *db, gpointer data, GError **error)
{
  ExportIds *e = data;
  g_autoptr (GArray) rowids = tsu_record_query_run (db, e->query, error);
  g_autoptr (GPtrArray) rows = NULL;

  if (rowids == NULL)
    return FALSE;
  rows = tsu_record_query_read_cells (db, e->query, NULL, (const gint64 *)rowids->data, rowids->len,
                                      error);
  if (rows == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      TsuRowCells *row = g_ptr_array_index (rows, i);
      if (row != NULL)
        g_ptr_array_add (e->ids, g_strdup (row->id));
    }
  return TRUE;
}

/**
 * tsu_record_export:
 * @query: (nullable): the rows to write, in its order (the shown list), or
 *   %NULL for every record in the collection's default order
 * @ctx: the day and settings, and whether the export is public
 * @unencodable: (nullable): for CP932, receives characters written as 〓
 *
 * Returns: (transfer full) (nullable): the CSV bytes
 */
GBytes *
tsu_record_export (TsuStore             *store,
                   const TsuCollection  *collection,
                   const TsuRecordQuery *query,
                   TsuCsvEncoding        encoding,
                   const TsuCsvContext  *ctx,
                   GPtrArray            *unencodable,
                   GError              **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (TsuRecordQuery) all = NULL;
  ExportIds     e = { query, ids };
  TsuCsvContext local_ctx;

  g_return_val_if_fail (collection->csv != NULL, NULL);

  if (query == NULL)
    {
      all = tsu_record_query_new (collection);
      all->today = ctx->today;
      e.query = all;
    }
  if (!tsu_store_read (store, export_ids_read, &e, error))
    return NULL;

  g_ptr_array_add (rows, tsu_record_csv_header (collection, ctx->public_only));
  local_ctx = *ctx;
  local_ctx.store = store;
  ctx = &local_ctx;
  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) row
          = tsu_store_get (store, collection->name, g_ptr_array_index (ids, i), error);

      if (row == NULL)
        return NULL;
      if (ctx->public_only && collection->is_public_record != NULL
          && !collection->is_public_record (row, &ctx->today))
        continue;
      g_ptr_array_add (rows, tsu_record_csv_row (collection, row, ctx));
    }
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}

/**
 * tsu_record_export_file:
 *
 * tsu_record_export() into a file, written whole and private, never onto
 * the database (tsu_store_write_output()).
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_record_export_file (TsuStore             *store,
                        const TsuCollection  *collection,
                        const TsuRecordQuery *query,
                        const char           *path,
                        TsuCsvEncoding        encoding,
                        const TsuCsvContext  *ctx,
                        GPtrArray            *unencodable,
                        GError              **error)
{
  g_autoptr (GBytes) bytes = NULL;

  if (!tsu_store_check_output_path (store, path, error))
    return FALSE;
  bytes = tsu_record_export (store, collection, query, encoding, ctx, unencodable, error);
  if (bytes == NULL)
    return FALSE;
  return tsu_store_write_output (store, path, bytes, error);
}

typedef struct
{
  TsuStore            *store;
  const TsuCollection *collection;
  TsuRecordQuery      *query;
  char                *path;
  TsuCsvEncoding       encoding;
  TsuCsvContext        ctx;
  GPtrArray           *unencodable;
} ExportTask;

static void
export_task_free (ExportTask *t)
{
  g_object_unref (t->store);
  tsu_record_query_free (t->query);
  tsu_record_query_free ((TsuRecordQuery *)t->ctx.query);
  g_free (t->path);
  g_ptr_array_unref (t->unencodable);
  g_free (t);
}

static void
export_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  ExportTask *t = task_data;
  GError     *error = NULL;

  if (tsu_record_export_file (t->store, t->collection, t->query, t->path, t->encoding, &t->ctx,
                              t->unencodable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/**
 * tsu_record_export_file_async:
 *
 * tsu_record_export_file() in a worker thread (the store is referenced).
 */
void
tsu_record_export_file_async (TsuStore             *store,
                              const TsuCollection  *collection,
                              const TsuRecordQuery *query,
                              const char           *path,
                              TsuCsvEncoding        encoding,
                              const TsuCsvContext  *ctx,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  ExportTask *t = g_new0 (ExportTask, 1);

  t->store = g_object_ref (store);
  t->collection = collection;
  t->query = query ? tsu_record_query_copy (query) : NULL;
  t->path = g_strdup (path);
  t->encoding = encoding;
  t->ctx = *ctx;
  t->ctx.query = ctx->query ? tsu_record_query_copy (ctx->query) : NULL;
  t->unencodable = g_ptr_array_new_with_free_func (g_free);
  g_task_set_source_tag (task, tsu_record_export_file_async);
  g_task_set_task_data (task, t, (GDestroyNotify)export_task_free);
  g_task_run_in_thread (task, export_thread);
}

gboolean
tsu_record_export_file_finish (GAsyncResult *result, GPtrArray **unencodable, GError **error)
{
  ExportTask *t = g_task_get_task_data (G_TASK (result));

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (unencodable)
    *unencodable = g_ptr_array_ref (t->unencodable);
  return TRUE;
}
