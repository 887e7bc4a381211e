/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-group-import-dialog.h"
#include "tsu-record-csv.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"

#define MAX_ERROR_ROWS 200
#define MAX_PREVIEW_ROWS 20

struct _TsuGroupImportDialog
{
  AdwWindow parent_instance;

  GtkWidget           *import_button;
  GtkStack            *stack;
  AdwStatusPage       *failed_page;
  AdwActionRow        *summary_row;
  GtkWidget           *only_valid_row;
  GtkSwitch           *only_valid_switch;
  AdwPreferencesGroup *errors_group;
  AdwPreferencesGroup *columns_group;
  AdwPreferencesGroup *preview_group;

  TsuStore        *store;
  GFile           *file;
  TsuRecordImport *import;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (TsuGroupImportDialog, tsu_group_import_dialog, ADW_TYPE_WINDOW)

enum
{
  IMPORTED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
update_button_cb (TsuGroupImportDialog *self)
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
add_row (AdwPreferencesGroup *group, const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_preferences_group_add (group, row);
}

static void
show_preview (TsuGroupImportDialog *self)
{
  TsuRecordImport *imp = self->import;
  GPtrArray       *errors = tsu_record_import_get_errors (imp);
  GPtrArray       *warnings = tsu_record_import_get_warnings (imp);
  guint            n_rows = tsu_record_import_get_n_rows (imp);
  guint            shown = 0;
  g_autofree char *summary = NULL;
  const char      *enc;

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
  summary = g_strdup_printf (_ ("%u rows, %u without errors, %u with errors"), n_rows,
                             tsu_record_import_get_n_valid (imp), errors->len);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->summary_row), summary);
  {
    g_autofree char *basename = g_file_get_basename (self->file);
    g_autofree char *sub = g_strdup_printf ("%s ・ %s", basename, enc);
    adw_action_row_set_subtitle (self->summary_row, sub);
  }
  gtk_widget_set_visible (self->only_valid_row, errors->len > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->errors_group), errors->len > 0 || warnings->len > 0);

  for (guint i = 0; i < warnings->len; i++)
    add_row (self->errors_group, g_ptr_array_index (warnings, i), _ ("Warning"));
  for (guint i = 0; i < errors->len && i < MAX_ERROR_ROWS; i++)
    {
      TsuImportIssue  *issue = g_ptr_array_index (errors, i);
      g_autofree char *line = g_strdup_printf (_ ("Line %u"), issue->line);
      add_row (self->errors_group, issue->message, line);
    }
  if (errors->len > MAX_ERROR_ROWS)
    {
      g_autofree char *more = g_strdup_printf (_ ("%u more errors"), errors->len - MAX_ERROR_ROWS);
      add_row (self->errors_group, more, NULL);
    }

  for (guint c = 0; c < tsu_record_import_get_n_columns (imp); c++)
    {
      const char      *label = tsu_record_import_get_column_label (imp, c);
      g_autofree char *to = g_strdup_printf ("→ %s", label ? label : _ ("ignored"));
      add_row (self->columns_group, tsu_record_import_get_header (imp, c), to);
    }

  for (guint r = 0; r < n_rows && shown < MAX_PREVIEW_ROWS; r++)
    {
      JsonObject *rec = tsu_record_import_get_record (imp, r);
      if (rec == NULL)
        continue;
      add_row (self->preview_group, json_object_get_string_member_with_default (rec, "name", ""),
               json_object_get_string_member_with_default (rec, "name_kana", ""));
      shown++;
    }
  gtk_stack_set_visible_child_name (self->stack, "preview");
  update_button_cb (self);
}

static void
read_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  GFile           *file = task_data;
  g_autofree char *path = g_file_get_path (file);
  GError          *error = NULL;
  TsuRecordImport *imp;
  GDate            today;

  TsuCsvContext ctx = { { 0 } };

  tsu_group_today (&today);
  ctx.today = today;
  imp = tsu_record_import_new_from_file (&tsu_group_collection, path, &ctx, &error);
  if (imp == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, imp, (GDestroyNotify)tsu_record_import_free);
}

static void
read_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuGroupImportDialog *self = TSU_GROUP_IMPORT_DIALOG (object);
  g_autoptr (GError) error = NULL;

  self->import = g_task_propagate_pointer (G_TASK (result), &error);
  if (self->import == NULL)
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }
  show_preview (self);
}

typedef struct
{
  TsuRecordImport *import;
  gboolean         only_valid;
  TsuImportCounts  counts;
} CommitData;

static void
commit_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  TsuGroupImportDialog *self = source_object;
  CommitData           *data = task_data;
  GError               *error = NULL;

  if (tsu_record_import_commit (data->import, self->store, data->only_valid, &data->counts, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
commit_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuGroupImportDialog *self = TSU_GROUP_IMPORT_DIALOG (object);
  CommitData           *data = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      adw_status_page_set_description (self->failed_page, error->message);
      gtk_stack_set_visible_child_name (self->stack, "failed");
      return;
    }
  g_signal_emit (self, signals[IMPORTED], 0, data->counts.n_new + data->counts.n_updated);
  gtk_window_close (GTK_WINDOW (self));
}

static void
import_clicked_cb (TsuGroupImportDialog *self)
{
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, commit_done_cb, NULL);
  CommitData *data = g_new0 (CommitData, 1);

  data->import = self->import;
  data->only_valid = gtk_switch_get_active (self->only_valid_switch);
  g_task_set_task_data (task, data, g_free);
  gtk_widget_set_sensitive (self->import_button, FALSE);
  gtk_stack_set_visible_child_name (self->stack, "loading");
  g_task_run_in_thread (task, commit_thread);
}

static void
tsu_group_import_dialog_dispose (GObject *object)
{
  TsuGroupImportDialog *self = TSU_GROUP_IMPORT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_GROUP_IMPORT_DIALOG);
  g_clear_object (&self->store);
  g_clear_object (&self->file);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_group_import_dialog_parent_class)->dispose (object);
}

static void
tsu_group_import_dialog_finalize (GObject *object)
{
  TsuGroupImportDialog *self = TSU_GROUP_IMPORT_DIALOG (object);

  tsu_record_import_free (self->import);
  G_OBJECT_CLASS (tsu_group_import_dialog_parent_class)->finalize (object);
}

static void
tsu_group_import_dialog_class_init (TsuGroupImportDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_group_import_dialog_dispose;
  object_class->finalize = tsu_group_import_dialog_finalize;

  /**
   * TsuGroupImportDialog::imported:
   * @n: groups written
   */
  signals[IMPORTED] = g_signal_new ("imported", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-group-import-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, import_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, failed_page);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, summary_row);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, only_valid_row);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, only_valid_switch);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, errors_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, columns_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupImportDialog, preview_group);
  gtk_widget_class_bind_template_callback (widget_class, import_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_button_cb);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_group_import_dialog_init (TsuGroupImportDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
}

/**
 * tsu_group_import_dialog_new:
 *
 * Returns: (transfer full): a dialog that starts reading @file at once
 */
TsuGroupImportDialog *
tsu_group_import_dialog_new (GtkWindow *parent, TsuStore *store, GFile *file)
{
  TsuGroupImportDialog *self
      = g_object_new (TSU_TYPE_GROUP_IMPORT_DIALOG, "transient-for", parent, NULL);
  g_autoptr (GTask) task = NULL;

  self->store = g_object_ref (store);
  self->file = g_object_ref (file);
  task = g_task_new (self, self->cancellable, read_done_cb, NULL);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, read_thread);
  return self;
}
