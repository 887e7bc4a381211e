/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-record-resources.h"

#include "tsu-record-import-dialog.h"
#include "tsu-record.h"

#define MAX_ERROR_ROWS 200
#define MAX_PREVIEW_ROWS 50

struct _TsuRecordImportDialog
{
  AdwWindow parent_instance;

  GtkWidget           *import_button;
  GtkStack            *stack;
  AdwStatusPage       *failed_page;
  AdwActionRow        *summary_row;
  GtkWidget           *only_valid_row;
  GtkSwitch           *only_valid_switch;
  GtkLabel            *new_label;
  GtkLabel            *updated_label;
  GtkLabel            *unchanged_label;
  GtkLabel            *duplicates_label;
  GtkLabel            *errors_label;
  AdwPreferencesGroup *errors_group;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *preview_group;

  const TsuCollection *collection;
  TsuStore            *store;
  GFile               *file;
  TsuRecordImport     *import;
  GCancellable        *cancellable;
  TsuImportCounts      counts;
};

G_DEFINE_FINAL_TYPE (TsuRecordImportDialog, tsu_record_import_dialog, ADW_TYPE_WINDOW)

enum
{
  IMPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

char *
tsu_record_import_counts_text (const TsuImportCounts *c)
{
  g_autoptr (GString) s = g_string_new (NULL);

#define PART(n, text)                                                                              \
  if (n > 0)                                                                                       \
    g_string_append_printf (s, "%s%s %u", s->len ? _ (" ・ ") : "", text, n);
  PART (c->n_new, _ ("new"));
  PART (c->n_updated, _ ("updated"));
  PART (c->n_unchanged, _ ("unchanged"));
  PART (c->n_duplicates, _ ("possible duplicates"));
  PART (c->n_skipped, _ ("rows left out"));
#undef PART
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
update_button_cb (TsuRecordImportDialog *self)
{
  gboolean ok = FALSE;

  if (self->import)
    {
      guint n_errors = tsu_record_import_get_errors (self->import)->len;
      guint n_valid = tsu_record_import_get_n_valid (self->import);

      ok = n_valid > 0 && (n_errors == 0 || gtk_switch_get_active (self->only_valid_switch));
    }
  gtk_widget_set_sensitive (self->import_button, ok);
}

static void
add_row (AdwPreferencesGroup *group, const char *title, const char *subtitle, const char *css)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  if (css)
    {
      GtkWidget *label = gtk_label_new (subtitle);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), NULL);
      gtk_widget_add_css_class (label, css);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  adw_preferences_group_add (group, row);
}

static void
set_count (GtkLabel *label, guint n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (label, text);
  gtk_widget_set_visible (gtk_widget_get_ancestor (GTK_WIDGET (label), ADW_TYPE_ACTION_ROW), TRUE);
}

static const char *
kind_text (TsuImportRowKind kind, const char **css)
{
  *css = NULL;
  switch (kind)
    {
    case TSU_IMPORT_ROW_NEW:
      *css = "success";
      return _ ("New");
    case TSU_IMPORT_ROW_UPDATE:
      *css = "accent";
      return _ ("Updated");
    case TSU_IMPORT_ROW_UNCHANGED:
      *css = "dim-label";
      return _ ("Unchanged");
    case TSU_IMPORT_ROW_DUPLICATE:
      *css = "warning";
      return _ ("Possible duplicate");
    case TSU_IMPORT_ROW_ERROR:
      *css = "error";
      return _ ("Error");
    default:
      return NULL;
    }
}

static void
show_preview (TsuRecordImportDialog *self)
{
  TsuRecordImport *imp = self->import;
  GPtrArray       *errors = tsu_record_import_get_errors (imp);
  GPtrArray       *warnings = tsu_record_import_get_warnings (imp);
  guint            n_rows = tsu_record_import_get_n_rows (imp);
  guint            shown = 0;
  g_autofree char *summary = NULL;
  const char      *enc;
  TsuImportCounts  counts = { 0 };

  switch (tsu_record_import_get_encoding (imp))
    {
    case TSU_CSV_ENCODING_CP932:
      enc = "Shift_JIS (CP932)";
      break;
    case TSU_CSV_ENCODING_UTF8_BOM:
      enc = _ ("UTF-8 with BOM");
      break;
    default:
      enc = "UTF-8";
      break;
    }
  tsu_record_import_get_counts (imp, &counts);
  /* Rows, not errors: a row may have several. */
  summary = g_strdup_printf (_ ("%u rows: %u without errors, %u with errors"), n_rows,
                             tsu_record_import_get_n_valid (imp), counts.n_error_rows);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), summary);
  {
    g_autofree char *basename = g_file_get_basename (self->file);
    g_autofree char *sub = g_strdup_printf ("%s ・ %s", basename, enc);
    adw_action_row_set_subtitle (self->summary_row, sub);
  }
  set_count (self->new_label, counts.n_new - counts.n_duplicates);
  set_count (self->updated_label, counts.n_updated);
  set_count (self->unchanged_label, counts.n_unchanged);
  set_count (self->duplicates_label, counts.n_duplicates);
  set_count (self->errors_label, counts.n_error_rows);
  gtk_widget_set_visible (self->only_valid_row, errors->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), errors->len > 0 || warnings->len > 0);

  for (guint i = 0; i < warnings->len; i++)
    add_row (self->errors_group, g_ptr_array_index (warnings, i), _ ("Warning"), NULL);
  for (guint i = 0; i < errors->len && i < MAX_ERROR_ROWS; i++)
    {
      TsuImportIssue  *issue = g_ptr_array_index (errors, i);
      g_autofree char *line = g_strdup_printf (_ ("Line %u"), issue->line);
      add_row (self->errors_group, issue->message, line, NULL);
    }
  if (errors->len > MAX_ERROR_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_ ("%u more errors"), errors->len - MAX_ERROR_ROWS);
      add_row (self->errors_group, more, NULL, NULL);
    }

  for (guint c = 0; c < tsu_record_import_get_n_columns (imp); c++)
    {
      const char      *label = tsu_record_import_get_column_label (imp, c);
      g_autofree char *to = g_strdup_printf ("→ %s", label ? label : _ ("ignored"));
      add_row (self->columns_group, tsu_record_import_get_header (imp, c), to, NULL);
    }

  /* Rows that change something first: those are what to look at. */
  for (int pass = 0; pass < 2; pass++)
    for (guint r = 0; r < n_rows && shown < MAX_PREVIEW_ROWS; r++)
      {
        TsuImportRowKind kind = tsu_record_import_get_row_kind (imp, r);
        JsonObject      *rec = tsu_record_import_get_record (imp, r);
        const char      *css;
        const char      *text = kind_text (kind, &css);
        g_autofree char *title = NULL;
        gboolean         quiet = kind == TSU_IMPORT_ROW_UNCHANGED;

        if (text == NULL || quiet != (pass == 1))
          continue;
        title = rec ? tsu_record_title (self->collection, rec) : NULL;
        if (title == NULL || *title == '\0')
          {
            g_free (title);
            title = g_strdup_printf (_ ("Row %u"), r + 1);
          }
        add_row (self->preview_group, title, text, css);
        shown++;
      }
  gtk_stack_set_visible_child_name (self->stack, "preview");
  update_button_cb (self);
}

typedef struct
{
  const TsuCollection *collection;
  TsuStore            *store;
  GFile               *file;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_object_unref (d->store);
  g_object_unref (d->file);
  g_free (d);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ReadData        *d = task_data;
  g_autofree char *path = g_file_get_path (d->file);
  GError          *error = NULL;
  TsuRecordImport *imp;
  TsuCsvContext    ctx = { { 0 } };

  tsu_date_today (&ctx.today);
  imp = tsu_record_import_new_from_file (d->collection, path, &ctx, &error);
  if (imp != NULL && !tsu_record_import_plan (imp, d->store, &error))
    g_clear_pointer (&imp, tsu_record_import_free);
  if (imp == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, imp, (GDestroyNotify)tsu_record_import_free);
}

static void
read_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  TsuRecordImport       *imp = g_task_propagate_pointer (G_TASK (result), &error);
  TsuRecordImportDialog *self;

  /* Closed meanwhile: the dialog's template children are gone. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&imp, tsu_record_import_free);
      return;
    }
  self = TSU_RECORD_IMPORT_DIALOG (object);
  if (imp == NULL)
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }
  self->import = imp;
  show_preview (self);
}

typedef struct
{
  TsuRecordImport *import;
  TsuStore        *store;
  gboolean         only_valid;
  TsuImportCounts  counts;
} CommitData;

static void
commit_data_free (CommitData *d)
{
  g_object_unref (d->store);
  g_free (d);
}

static void
commit_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  CommitData *data = task_data;
  GError     *error = NULL;

  if (tsu_record_import_commit (data->import, data->store, data->only_valid, &data->counts, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
commit_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuRecordImportDialog *self = TSU_RECORD_IMPORT_DIALOG (object);
  CommitData            *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (result), &error);

  /* The import itself is done whether or not the dialog is still open;
   * only a dialog still there shows it. */
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  if (!ok)
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }
  self->counts = data->counts;
  g_signal_emit (self, signals[IMPORTED], 0, data->counts.n_new + data->counts.n_updated);
  gtk_window_close (GTK_WINDOW (self));
}

static void
import_clicked_cb (TsuRecordImportDialog *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, commit_done_cb, NULL);
  CommitData *data = g_new0 (CommitData, 1);

  data->import = self->import;
  data->store = g_object_ref (self->store);
  data->only_valid = gtk_switch_get_active (self->only_valid_switch);
  g_task_set_task_data (task, data, (GDestroyNotify)commit_data_free);
  /* The import object must outlive the dialog while the worker uses it. */
  g_task_set_check_cancellable (task, FALSE);
  gtk_widget_set_sensitive (self->import_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  g_object_set_data_full (G_OBJECT (task), "import", g_steal_pointer (&self->import),
                          (GDestroyNotify)tsu_record_import_free);
  g_task_run_in_thread (task, commit_thread);
}

static void
tsu_record_import_dialog_dispose (GObject *object)
{
  TsuRecordImportDialog *self = TSU_RECORD_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  if (self->stack)
    gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_RECORD_IMPORT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_record_import_dialog_parent_class)->dispose (object);
}

static void
tsu_record_import_dialog_finalize (GObject *object)
{
  TsuRecordImportDialog *self = TSU_RECORD_IMPORT_DIALOG (object);

  g_clear_pointer (&self->import, tsu_record_import_free);
  G_OBJECT_CLASS (tsu_record_import_dialog_parent_class)->finalize (object);
}

static void
tsu_record_import_dialog_class_init (TsuRecordImportDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_record_import_dialog_dispose;
  object_class->finalize = tsu_record_import_dialog_finalize;

  /**
   * TsuRecordImportDialog::imported:
   * @n: records written (new and updated)
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  tsu_record_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-record-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, only_valid_row);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, only_valid_switch);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, new_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, updated_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, unchanged_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, duplicates_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, errors_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, errors_group);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordImportDialog, preview_group);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_button_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_record_import_dialog_init (TsuRecordImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * tsu_record_import_dialog_new:
 *
 * Returns: (transfer full): a dialog that starts reading @file at once
 */
TsuRecordImportDialog *
tsu_record_import_dialog_new (GtkWindow           *parent,
                              TsuStore            *store,
                              const TsuCollection *collection,
                              GFile               *file)
{
  TsuRecordImportDialog *self
      = g_object_new (TSU_TYPE_RECORD_IMPORT_DIALOG, "transient-for", parent, NULL);
  g_autoptr (GTask) task = NULL;
  g_autofree char *title = g_strdup_printf (_ ("Import %s"), tsu_collection_get_label (collection));
  ReadData        *d = g_new0 (ReadData, 1);

  gtk_window_set_title (GTK_WINDOW (self), title);
  self->collection = collection;
  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  d->collection = collection;
  d->store = g_object_ref (store);
  d->file = g_object_ref (file);
  task = g_task_new (self, self->cancellable, read_done_cb, NULL);
  g_task_set_task_data (task, d, (GDestroyNotify)read_data_free);
  g_task_run_in_thread (task, read_thread);
  return self;
}

const TsuImportCounts *
tsu_record_import_dialog_get_counts (TsuRecordImportDialog *self)
{
  return &self->counts;
}
