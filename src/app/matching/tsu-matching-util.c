/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-matching-util.h"

TsuRecordPage *
tsu_matching_record_page (GtkWidget *widget)
{
  GtkWidget *page = gtk_widget_get_ancestor (widget, TSU_TYPE_RECORD_PAGE);

  return page ? TSU_RECORD_PAGE (page) : NULL;
}

void
tsu_matching_toast (GtkWidget *widget, const char *text)
{
  TsuRecordPage *page = tsu_matching_record_page (widget);

  if (page)
    tsu_record_page_toast (page, text);
}

void
tsu_matching_error (GtkWidget *widget, const GError *error)
{
  TsuRecordPage *page = tsu_matching_record_page (widget);

  if (page)
    tsu_record_page_show_error (page, error);
  else
    g_warning ("%s", error->message);
}

TsuDateStyle
tsu_matching_date_style (GtkWidget *widget)
{
  TsuRecordPage *page = tsu_matching_record_page (widget);

  return page ? tsu_record_page_get_date_style (page) : TSU_DATE_STYLE_BOTH;
}

GtkWindow *
tsu_matching_window (GtkWidget *widget)
{
  GtkRoot *root = gtk_widget_get_root (widget);

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

typedef struct
{
  GWeakRef            widget;
  TsuMatchingSaveFunc done;
  gpointer            data;
  GDestroyNotify      destroy;
} Save;

static void
save_response_cb (GtkNativeDialog *chooser, int response, Save *s)
{
  g_autoptr (GtkWidget) widget = g_weak_ref_get (&s->widget);

  if (widget && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;

      if (path)
        s->done (widget, path, s->data);
    }
  g_weak_ref_clear (&s->widget);
  if (s->destroy)
    s->destroy (s->data);
  g_free (s);
  g_object_unref (chooser);
}

void
tsu_matching_ask_save (GtkWidget          *widget,
                       const char         *title,
                       const char         *name,
                       TsuMatchingSaveFunc done,
                       gpointer            data,
                       GDestroyNotify      destroy)
{
  GtkFileChooserNative *chooser
      = gtk_file_chooser_native_new (title, tsu_matching_window (widget),
                                     GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  Save *s = g_new0 (Save, 1);

  g_weak_ref_init (&s->widget, widget);
  s->done = done;
  s->data = data;
  s->destroy = destroy;
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (save_response_cb), s);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

typedef struct
{
  TsuMatchingWorkFunc work;
  gpointer            data;
  GDestroyNotify      free_data;
  TsuMatchingDoneFunc done;
  GDestroyNotify      free_result;
} Run;

static void
run_free (Run *r)
{
  if (r->free_data)
    r->free_data (r->data);
  g_free (r);
}

static void
run_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Run     *r = task_data;
  GError  *error = NULL;
  gpointer result = r->work (r->data, &error);

  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, r->free_result);
}

static void
run_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GTask   *task = G_TASK (result);
  Run     *r = g_task_get_task_data (task);
  GError  *error = NULL;
  gpointer value;

  value = g_task_propagate_pointer (task, &error);
  if (!g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    r->done (GTK_WIDGET (source), value, error);
  if (value && r->free_result)
    r->free_result (value);
  g_clear_error (&error);
}

void
tsu_matching_run (GtkWidget          *widget,
                  GCancellable       *cancellable,
                  TsuMatchingWorkFunc work,
                  gpointer            data,
                  GDestroyNotify      free_data,
                  TsuMatchingDoneFunc done,
                  GDestroyNotify      free_result)
{
  g_autoptr (GTask) task = g_task_new (widget, cancellable, run_done_cb, NULL);
  Run *r = g_new0 (Run, 1);

  r->work = work;
  r->data = data;
  r->free_data = free_data;
  r->done = done;
  r->free_result = free_result;
  g_task_set_task_data (task, r, (GDestroyNotify)run_free);
  g_task_run_in_thread (task, run_thread);
}
