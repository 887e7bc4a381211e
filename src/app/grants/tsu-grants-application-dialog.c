/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-grants-application-dialog.h"
#include "tsu-record-form.h"
#include "tsu-record.h"

struct _TsuGrantsApplicationDialog
{
  AdwWindow parent_instance;

  TsuStore       *store;
  TsuRecordForm  *form;
  AdwWindowTitle *title;
  gboolean        closing;
};

G_DEFINE_FINAL_TYPE (TsuGrantsApplicationDialog, tsu_grants_application_dialog, ADW_TYPE_WINDOW)

static char *
ref_title (TsuStore *store, const char *collection, const char *id)
{
  g_autoptr (JsonObject) o = id ? tsu_store_get (store, collection, id, NULL) : NULL;

  return g_strdup (o && tsu_record_get_string (o, "name") ? tsu_record_get_string (o, "name") : "");
}

static void
loaded_cb (TsuGrantsApplicationDialog *self)
{
  JsonObject      *a = tsu_record_form_get_record (self->form);
  g_autofree char *group = NULL;
  g_autofree char *programme = NULL;

  if (a == NULL)
    return;
  /* One record read each, as the form's own loading does. */
  group = ref_title (self->store, "groups", tsu_record_get_string (a, "group_id"));
  programme = ref_title (self->store, "programmes", tsu_record_get_string (a, "programme_id"));
  tsu_record_form_set_title (self->form, group);
  tsu_record_form_set_subtitle (
      self->form,
      tsu_field_choice_label (
          tsu_collection_lookup_field (tsu_collection_lookup ("applications"), "state"),
          tsu_record_get_string (a, "state")),
      NULL);
  adw_window_title_set_subtitle (self->title, programme);
}

static void
revert_cb (TsuGrantsApplicationDialog *self, const char *id, gint64 history_id)
{
  g_autoptr (GError) error = NULL;

  if (!tsu_store_revert (self->store, "applications", id, history_id, &error))
    tsu_record_form_add_problem (self->form, NULL, error->message, TRUE, NULL);
  else
    tsu_record_form_reload (self->form);
}

static void
store_changed_cb (TsuGrantsApplicationDialog *self, const char *collection, GStrv ids)
{
  const char *id = tsu_record_form_get_id (self->form);

  if (g_strcmp0 (collection, "applications") != 0 || id == NULL)
    return;
  if (ids == NULL || ids[0] == NULL || g_strv_contains ((const char *const *)ids, id))
    tsu_record_form_reload (self->form);
}

static void
ask_response_cb (AdwMessageDialog *dialog, const char *response, TsuGrantsApplicationDialog *self)
{
  if (g_str_equal (response, "save") && !tsu_record_form_save (self->form))
    return;
  if (g_str_equal (response, "cancel"))
    return;
  self->closing = TRUE;
  gtk_window_close (GTK_WINDOW (self));
}

/* Closing never drops what was typed without asking. */
static gboolean
close_request (GtkWindow *window)
{
  TsuGrantsApplicationDialog *self = TSU_GRANTS_APPLICATION_DIALOG (window);
  AdwMessageDialog           *dialog;

  if (self->closing || !tsu_record_form_get_editing (self->form)
      || !tsu_record_form_get_dirty (self->form))
    return GTK_WINDOW_CLASS (tsu_grants_application_dialog_parent_class)->close_request (window);
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (window, _ ("Save Changes?"),
                              _ ("The record you are editing has changes that are not saved.")));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "discard", _ ("_Discard"),
                                    "save", _ ("_Save"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (dialog, "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "save");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (ask_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
tsu_grants_application_dialog_dispose (GObject *object)
{
  TsuGrantsApplicationDialog *self = TSU_GRANTS_APPLICATION_DIALOG (object);

  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_grants_application_dialog_parent_class)->dispose (object);
}

static void
tsu_grants_application_dialog_class_init (TsuGrantsApplicationDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_grants_application_dialog_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = close_request;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
tsu_grants_application_dialog_init (TsuGrantsApplicationDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();

  self->title = ADW_WINDOW_TITLE (adw_window_title_new (_ ("Group and Programme"), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  self->form = TSU_RECORD_FORM (tsu_record_form_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->form), TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->form));
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 640);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_title (GTK_WINDOW (self), _ ("Group and Programme"));
}

/**
 * tsu_grants_application_dialog_new:
 *
 * Returns: (transfer none): the window (destroyed when closed)
 */
GtkWindow *
tsu_grants_application_dialog_new (GtkWindow   *parent,
                                   TsuStore    *store,
                                   const char  *application_id,
                                   TsuDateStyle style)
{
  TsuGrantsApplicationDialog *self
      = g_object_new (TSU_TYPE_GRANTS_APPLICATION_DIALOG, "transient-for", parent, NULL);
  g_autoptr (GError) error = NULL;

  self->store = g_object_ref (store);
  tsu_record_form_set_collection (self->form, tsu_collection_lookup ("applications"));
  tsu_record_form_set_store (self->form, store);
  tsu_record_form_set_date_style (self->form, style);
  /* Which group and which programme is what the record is: not edited. */
  for (const char *const *f = (const char *const[]){ "programme_id", "group_id", NULL }; *f; f++)
    if (tsu_record_form_get_field_row (self->form, *f))
      gtk_widget_set_visible (tsu_record_form_get_field_row (self->form, *f), FALSE);
  g_signal_connect_object (self->form, "loaded", G_CALLBACK (loaded_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->form, "revert", G_CALLBACK (revert_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (!tsu_record_form_load (self->form, application_id, &error))
    tsu_record_form_add_problem (self->form, NULL, error->message, TRUE, NULL);
  return GTK_WINDOW (self);
}
