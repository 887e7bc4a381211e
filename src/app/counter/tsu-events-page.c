/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Events (講座・研修・交流会): upcoming first, registrations and attendance
 * in the read view, the sign-in sheet and name cards. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-counter.h"
#include "tsu-event-print.h"
#include "tsu-event-registrations.h"
#include "tsu-events-page.h"
#include "tsu-counter-view.h"
#include "tsu-record.h"

struct _TsuEventsPage
{
  TsuRecordPage parent_instance;

  GtkDropDown           *timing_dropdown;
  TsuEventRegistrations *registrations;
  gboolean               booking;
};

G_DEFINE_FINAL_TYPE (TsuEventsPage, tsu_events_page, TSU_TYPE_RECORD_PAGE)

static const char *const timings[] = { "upcoming", "past", NULL };

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *query)
{
  TsuEventsPage *self = TSU_EVENTS_PAGE (page);
  guint          t = gtk_drop_down_get_selected (self->timing_dropdown);

  if (t < G_N_ELEMENTS (timings) - 1)
    tsu_record_query_add_filter (query, "timing", TSU_FILTER_EQ, timings[t]);
  /* Upcoming: the next first; past: the latest first. */
  if (query->sort == NULL)
    tsu_record_query_set_sort (query, "start", t == 1);
}

static char *
describe_filters (TsuRecordPage *page)
{
  guint t = gtk_drop_down_get_selected (TSU_EVENTS_PAGE (page)->timing_dropdown);

  return t == 1 ? g_strdup (_ ("Past events")) : t == 2 ? NULL : g_strdup (_ ("Upcoming events"));
}

static void
clear_filters (TsuRecordPage *page)
{
  gtk_drop_down_set_selected (TSU_EVENTS_PAGE (page)->timing_dropdown, 2);
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u event", "%u events", n), n);
}

static void
record_loaded (TsuRecordPage *page, JsonObject *event)
{
  TsuEventsPage *self = TSU_EVENTS_PAGE (page);

  tsu_event_registrations_show (self->registrations, tsu_record_page_get_store (page),
                                tsu_record_get_string (event, "id") ? event : NULL);
}

/* The form saves the event itself; its room booking follows here, through
 * the same action the command line uses (a clash is reported). */
static void
form_saved (TsuRecordForm *form, const char *id, TsuEventsPage *self)
{
  TsuStore *store = tsu_record_page_get_store (TSU_RECORD_PAGE (self));
  g_autoptr (JsonObject) event = NULL;
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (GError) error = NULL;
  GDate today;

  if (self->booking || store == NULL || id == NULL)
    return;
  event = tsu_store_get (store, "events", id, NULL);
  if (event == NULL)
    return;
  tsu_date_today (&today);
  json_object_set_string_member (change, "title", tsu_record_get_string (event, "title"));
  self->booking = TRUE;
  if (!tsu_event_update (store, id, change, &today, &error))
    {
      g_autofree char *text = g_strdup_printf (_ ("The room was not booked: %s"), error->message);

      tsu_record_page_toast (TSU_RECORD_PAGE (self), text);
    }
  self->booking = FALSE;
}

static void
timing_changed (TsuEventsPage *self)
{
  tsu_record_page_refresh (TSU_RECORD_PAGE (self));
}

static JsonObject *
current (TsuEventsPage *self)
{
  TsuRecordForm *form = tsu_record_page_get_form (TSU_RECORD_PAGE (self));

  return tsu_record_form_get_id (form) ? tsu_record_form_get_record (form) : NULL;
}

static void
print_to (TsuEventsPage *self, TsuEventPrintKind kind, const char *pdf)
{
  JsonObject *event = current (self);
  g_autoptr (GError) error = NULL;

  if (event == NULL)
    return;
  if (!tsu_event_print (tsu_record_page_get_window (TSU_RECORD_PAGE (self)), event,
                        tsu_event_registrations_get_rows (self->registrations), kind, pdf, &error))
    tsu_record_page_show_error (TSU_RECORD_PAGE (self), error);
  else if (pdf)
    tsu_record_page_toast (TSU_RECORD_PAGE (self), _ ("PDF saved"));
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  print_to (TSU_EVENTS_PAGE (widget),
            g_str_equal (name, "events.print-cards") ? TSU_EVENT_PRINT_CARDS
                                                     : TSU_EVENT_PRINT_SIGN_IN,
            NULL);
}

static void
pdf_response (GtkNativeDialog *chooser, int response, GWeakRef *ref)
{
  g_autoptr (TsuEventsPage) self = g_weak_ref_get (ref);

  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      if (path)
        print_to (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kind")), path);
    }
  g_weak_ref_clear (ref);
  g_free (ref);
  g_object_unref (chooser);
}

static void
pdf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuEventsPage    *self = TSU_EVENTS_PAGE (widget);
  TsuEventPrintKind kind
      = g_str_equal (name, "events.pdf-cards") ? TSU_EVENT_PRINT_CARDS : TSU_EVENT_PRINT_SIGN_IN;
  JsonObject           *event = current (self);
  g_autofree char      *file = NULL;
  GtkFileChooserNative *chooser;
  GWeakRef             *ref;

  if (event == NULL)
    return;
  file = g_strdup_printf ("%s-%s.pdf", tsu_record_get_string (event, "title"),
                          kind == TSU_EVENT_PRINT_CARDS ? _ ("name cards") : _ ("sign-in sheet"));
  g_strdelimit (file, "/\\", '_');
  chooser = gtk_file_chooser_native_new (_ ("Save as PDF"),
                                         tsu_record_page_get_window (TSU_RECORD_PAGE (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (kind));
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_response), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
tsu_events_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_EVENTS_PAGE);
  G_OBJECT_CLASS (tsu_events_page_parent_class)->dispose (object);
}

static void
tsu_events_page_class_init (TsuEventsPageClass *klass)
{
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = tsu_events_page_dispose;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->record_loaded = record_loaded;
  g_type_ensure (TSU_TYPE_EVENT_REGISTRATIONS);
  tsu_counter_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-events-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuEventsPage, timing_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuEventsPage, registrations);
  gtk_widget_class_install_action (widget_class, "events.print-sign-in", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "events.print-cards", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "events.pdf-sign-in", NULL, pdf_action);
  gtk_widget_class_install_action (widget_class, "events.pdf-cards", NULL, pdf_action);
}

static void
tsu_events_page_init (TsuEventsPage *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_string_list_append (list, _ ("Upcoming"));
  gtk_string_list_append (list, _ ("Past"));
  gtk_string_list_append (list, _ ("All events"));
  gtk_drop_down_set_model (self->timing_dropdown, G_LIST_MODEL (list));
  g_signal_connect_swapped (self->timing_dropdown, "notify::selected", G_CALLBACK (timing_changed),
                            self);
  g_signal_connect_object (tsu_record_page_get_form (TSU_RECORD_PAGE (self)), "saved",
                           G_CALLBACK (form_saved), self, 0);
}
