/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-requests-page.h"
#include "tsu-matches-section.h"
#include "tsu-matching-collections.h"
#include "tsu-matching-page.h"
#include "tsu-matching-util.h"
#include "tsu-matching.h"
#include "tsu-record.h"
#include "tsu-referral.h"
#include "tsu-slots.h"
#include "tsu-suggestions-section.h"

struct _TsuRequestsPage
{
  TsuRecordPage parent_instance;

  GtkDropDown           *status_dropdown;
  TsuMatchesSection     *matches_section;
  TsuSuggestionsSection *suggestions_section;
  gboolean               clearing;
};

G_DEFINE_FINAL_TYPE (TsuRequestsPage, tsu_requests_page, TSU_TYPE_RECORD_PAGE)

#define PAGE(self) TSU_RECORD_PAGE (self)

/* The status filter: the queue (募集中) first, as the page opens. */
static const char *const status_filter[] = { "open", NULL, "filled", "closed", "cancelled" };

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *q)
{
  TsuRequestsPage *self = TSU_REQUESTS_PAGE (page);
  guint            i = gtk_drop_down_get_selected (self->status_dropdown);

  if (i < G_N_ELEMENTS (status_filter) && status_filter[i])
    tsu_record_query_add_filter (q, "status", TSU_FILTER_EQ, status_filter[i]);
}

static char *
describe_filters (TsuRecordPage *page)
{
  TsuRequestsPage *self = TSU_REQUESTS_PAGE (page);
  guint            i = gtk_drop_down_get_selected (self->status_dropdown);
  GListModel      *model = gtk_drop_down_get_model (self->status_dropdown);
  g_autoptr (GtkStringObject) item = NULL;

  /* The queue is the page itself, not a filter to clear. */
  if (i == 0 || i == GTK_INVALID_LIST_POSITION || model == NULL)
    return NULL;
  item = g_list_model_get_item (model, i);
  return g_strdup (gtk_string_object_get_string (item));
}

static void
clear_filters (TsuRecordPage *page)
{
  TsuRequestsPage *self = TSU_REQUESTS_PAGE (page);

  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  self->clearing = FALSE;
}

static void
filters_changed_cb (TsuRequestsPage *self)
{
  if (!self->clearing)
    tsu_record_page_refresh (PAGE (self));
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request", "%u requests", n), n);
}

static void
settings_changed (TsuRecordPage *page, const char *key)
{
  if (key == NULL || g_str_equal (key, "date-style"))
    tsu_record_page_refresh (page);
}

static void
new_record (TsuRecordPage *page, JsonObject *defaults)
{
  json_object_set_string_member (defaults, "status", "open");
  json_object_set_string_member (defaults, "schedule", "once");
  json_object_set_int_member (defaults, "people_needed", 1);
}

static void
record_loaded (TsuRecordPage *page, JsonObject *request)
{
  TsuRequestsPage *self = TSU_REQUESTS_PAGE (page);
  TsuRecordForm   *form = tsu_record_page_get_form (page);
  const char      *id = tsu_record_form_get_id (form);
  TsuStore        *store = tsu_record_page_get_store (page);

  gtk_widget_set_visible (GTK_WIDGET (self->matches_section), id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_section), id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.export-group", id != NULL);
  if (id == NULL)
    {
      tsu_record_form_set_subtitle (form, _ ("Not saved yet"), NULL);
      tsu_matches_section_set_request (self->matches_section, store, NULL);
      tsu_suggestions_section_set_request (self->suggestions_section, store, NULL);
      return;
    }
  {
    const char        *status = tsu_record_get_string (request, "status");
    const TsuFieldDef *f = tsu_collection_lookup_field (&tsu_request_collection, "status");
    g_autofree char *when = tsu_schedule_describe (request, tsu_record_page_get_date_style (page));
    g_autofree char *sub
        = *when ? g_strdup_printf (_ ("%s ・ %s"), tsu_field_choice_label (f, status), when)
                : g_strdup (tsu_field_choice_label (f, status));

    tsu_record_form_set_subtitle (form, sub,
                                  g_strcmp0 (status, "open") == 0     ? "accent"
                                  : g_strcmp0 (status, "filled") == 0 ? "success"
                                                                      : NULL);
  }
  tsu_matches_section_set_request (self->matches_section, store, request);
  /* Suggestions are for a request still looking for people. */
  gtk_widget_set_visible (GTK_WIDGET (self->suggestions_section),
                          g_strcmp0 (tsu_record_get_string (request, "status"), "open") == 0);
  tsu_suggestions_section_set_request (
      self->suggestions_section, store,
      g_strcmp0 (tsu_record_get_string (request, "status"), "open") == 0 ? id : NULL);
}

/* New requests get their number (R年度-NNN) in the same transaction. */
static char *
insert_request (TsuStore *store, JsonObject *fields, gpointer data, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_request_create (store, fields, &today, error);
}

/* ---- the list for the group ---- */

typedef struct
{
  TsuStore  *store;
  char      *request_id;
  char      *path;
  GPtrArray *unencodable;
} Export;

static void
export_free (Export *e)
{
  g_object_unref (e->store);
  g_free (e->request_id);
  g_free (e->path);
  g_ptr_array_unref (e->unencodable);
  g_free (e);
}

static gpointer
export_work (gpointer data, GError **error)
{
  Export *e = data;
  g_autoptr (GBytes) bytes = tsu_referral_group_csv (
      e->store, e->request_id, TSU_CSV_ENCODING_UTF8_BOM, e->unencodable, error);

  if (bytes == NULL || !tsu_store_write_output (e->store, e->path, bytes, error))
    return NULL;
  return GINT_TO_POINTER (1);
}

static void
export_done (GtkWidget *widget, gpointer result, const GError *error)
{
  if (error)
    tsu_record_page_show_error (PAGE (widget), error);
  else
    tsu_record_page_toast (PAGE (widget), _ ("Exported: contact details only of those who "
                                             "consented"));
}

static void
export_chosen (GtkWidget *widget, const char *path, gpointer data)
{
  Export *e = g_new0 (Export, 1);

  e->store = g_object_ref (tsu_record_page_get_store (PAGE (widget)));
  e->request_id = g_strdup (data);
  e->path = g_strdup (path);
  e->unencodable = g_ptr_array_new_with_free_func (g_free);
  tsu_matching_run (widget, NULL, export_work, e, (GDestroyNotify)export_free, export_done, NULL);
}

static void
export_group_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuRecordForm   *form = tsu_record_page_get_form (PAGE (widget));
  JsonObject      *request = tsu_record_form_get_record (form);
  const char      *number;
  g_autofree char *file = NULL;

  if (tsu_record_form_get_id (form) == NULL || request == NULL)
    return;
  number = tsu_record_get_string (request, "number");
  /* TRANSLATORS: a file name: 紹介名簿-R2026-001.csv */
  file = g_strdup_printf (_ ("people-%s.csv"), number ? number : "");
  tsu_matching_ask_save (widget, _ ("Export People for the Group"), file, export_chosen,
                         g_strdup (tsu_record_form_get_id (form)), g_free);
}

/* ---- object ---- */

static void
store_notify_cb (TsuRequestsPage *self)
{
  TsuRecordList *list = tsu_record_page_get_list (PAGE (self));

  /* 確定/必要 counts matches: the queue follows them. */
  if (list)
    tsu_record_list_watch (list, "matches");
}

static void
tsu_requests_page_dispose (GObject *object)
{
  if (TSU_REQUESTS_PAGE (object)->status_dropdown)
    gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_REQUESTS_PAGE);
  G_OBJECT_CLASS (tsu_requests_page_parent_class)->dispose (object);
}

static void
tsu_requests_page_class_init (TsuRequestsPageClass *klass)
{
  GObjectClass       *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  object_class->dispose = tsu_requests_page_dispose;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->new_record = new_record;
  page_class->record_loaded = record_loaded;
  page_class->settings_changed = settings_changed;

  g_type_ensure (TSU_TYPE_MATCHES_SECTION);
  g_type_ensure (TSU_TYPE_SUGGESTIONS_SECTION);
  tsu_matching_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuRequestsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuRequestsPage, matches_section);
  gtk_widget_class_bind_template_child (widget_class, TsuRequestsPage, suggestions_section);
  gtk_widget_class_install_action (widget_class, "requests.export-group", NULL,
                                   export_group_action);
}

static void
tsu_requests_page_init (TsuRequestsPage *self)
{
  g_autoptr (GtkStringList) statuses = gtk_string_list_new (NULL);

  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_string_list_append (statuses, _ ("Recruiting (the queue)"));
  gtk_string_list_append (statuses, _ ("All statuses"));
  for (guint i = 2; i < G_N_ELEMENTS (status_filter); i++)
    gtk_string_list_append (
        statuses,
        tsu_field_choice_label (tsu_collection_lookup_field (&tsu_request_collection, "status"),
                                status_filter[i]));
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::store", G_CALLBACK (store_notify_cb), NULL);
  tsu_record_form_set_insert_func (tsu_record_page_get_form (PAGE (self)), insert_request, NULL);
}

GtkWidget *
tsu_requests_page_new (void)
{
  return g_object_new (TSU_TYPE_REQUESTS_PAGE, NULL);
}
