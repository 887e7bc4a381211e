/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The inventory page: only what equipment and rooms have beyond any
 * record page (filters, the timeline, the bookings, booking and lending). */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-resources-page.h"
#include "tsu-book-dialog.h"
#include "tsu-bookings-section.h"
#include "tsu-equipment-collections.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-record.h"
#include "tsu-store-private.h"

struct _TsuResourcesPage
{
  TsuRecordPage parent_instance;

  GtkDropDown        *kind_dropdown;
  GtkDropDown        *category_dropdown;
  GtkDropDown        *state_dropdown;
  GtkWidget          *lend_button;
  GtkWidget          *book_button;
  GtkWidget          *timeline_group;
  GtkToggleButton    *month_toggle;
  GtkLabel           *period_label;
  GtkLabel           *legend_label;
  TsuBookingTimeline *timeline;
  TsuBookingsSection *bookings_section;

  GtkStringList *categories;
  gboolean       clearing;
  GCancellable  *cancellable;
  TsuStore      *watched; /* weak */
};

G_DEFINE_FINAL_TYPE (TsuResourcesPage, tsu_resources_page, TSU_TYPE_RECORD_PAGE)

#define PAGE(self) TSU_RECORD_PAGE (self)

/* Generated with --manual-register (c_name tsu_equipment). */
void tsu_equipment_register_resource (void);

void
tsu_equipment_resources_ensure (void)
{
  static gsize registered = 0;

  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_equipment_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static JsonObject *
current (TsuResourcesPage *self)
{
  TsuRecordForm *form = tsu_record_page_get_form (PAGE (self));

  return tsu_record_form_get_id (form) ? tsu_record_form_get_record (form) : NULL;
}

/* ---- the list ---- */

static const char *kinds[] = { NULL, "item", "room" };

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *q)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (page);
  guint             kind = gtk_drop_down_get_selected (self->kind_dropdown);
  guint             category = gtk_drop_down_get_selected (self->category_dropdown);
  guint             state = gtk_drop_down_get_selected (self->state_dropdown);

  if (kind != GTK_INVALID_LIST_POSITION && kind > 0 && kind < G_N_ELEMENTS (kinds))
    tsu_record_query_add_filter (q, "kind", TSU_FILTER_EQ, kinds[kind]);
  if (category != GTK_INVALID_LIST_POSITION && category > 0)
    tsu_record_query_add_filter (q, "category", TSU_FILTER_EQ,
                                 gtk_string_list_get_string (self->categories, category));
  if (state != GTK_INVALID_LIST_POSITION && state > 0)
    tsu_record_query_add_filter (q, "now_state", TSU_FILTER_EQ,
                                 tsu_resource_now_states[state - 1].code);
}

static char *
describe_filters (TsuRecordPage *page)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (page);
  g_autoptr (GString) s = g_string_new (NULL);
  GtkDropDown *drops[] = { self->kind_dropdown, self->category_dropdown, self->state_dropdown };

  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    {
      guint pos = gtk_drop_down_get_selected (drops[i]);
      g_autoptr (GtkStringObject) item = NULL;

      if (pos == GTK_INVALID_LIST_POSITION || pos == 0)
        continue;
      item = g_list_model_get_item (gtk_drop_down_get_model (drops[i]), pos);
      if (item)
        g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "",
                                gtk_string_object_get_string (item));
    }
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
clear_filters (TsuRecordPage *page)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (page);

  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  gtk_drop_down_set_selected (self->category_dropdown, 0);
  gtk_drop_down_set_selected (self->state_dropdown, 0);
  self->clearing = FALSE;
}

static void
filters_changed_cb (TsuResourcesPage *self)
{
  if (!self->clearing)
    tsu_record_page_refresh (PAGE (self));
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u item or room", "%u items and rooms", n),
                          n);
}

/* The categories in use, for the filter: read in a worker. */
typedef struct
{
  GPtrArray *names;
} Categories;

static gboolean
categories_read (sqlite3 *db, gpointer data, GError **error)
{
  Categories   *c = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT DISTINCT category FROM resources WHERE deleted = 0 AND"
                          " category IS NOT NULL AND category != '' ORDER BY category LIMIT 500",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "categories");
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (c->names, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
  sqlite3_finalize (stmt);
  return TRUE;
}

static gboolean
categories_job (TsuStore *store, gpointer data, GError **error)
{
  return tsu_store_read (store, categories_read, data, error);
}

static void
categories_free (Categories *c)
{
  g_ptr_array_unref (c->names);
  g_free (c);
}

static void
categories_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Categories       *c = NULL;
  TsuResourcesPage *self;
  guint             pos;
  g_autofree char  *chosen = NULL;
  guint             keep = 0;

  if (!tsu_equipment_run_finish (result, (gpointer *)&c, NULL))
    return;
  self = user_data; /* alive: dispose cancels */
  pos = gtk_drop_down_get_selected (self->category_dropdown);
  if (pos != GTK_INVALID_LIST_POSITION && pos > 0)
    chosen = g_strdup (gtk_string_list_get_string (self->categories, pos));
  g_ptr_array_add (c->names, NULL);
  self->clearing = TRUE;
  gtk_string_list_splice (self->categories, 1,
                          g_list_model_get_n_items (G_LIST_MODEL (self->categories)) - 1,
                          (const char *const *)c->names->pdata);
  for (guint i = 0; chosen && c->names->pdata[i]; i++)
    if (g_str_equal (chosen, c->names->pdata[i]))
      keep = i + 1;
  gtk_drop_down_set_selected (self->category_dropdown, keep);
  self->clearing = FALSE;
  g_ptr_array_set_size (c->names, c->names->len - 1);
  if (chosen && keep == 0)
    tsu_record_page_refresh (PAGE (self));
}

static void
read_categories (TsuResourcesPage *self)
{
  TsuStore   *store = tsu_record_page_get_store (PAGE (self));
  Categories *c;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (store == NULL)
    return;
  c = g_new0 (Categories, 1);
  c->names = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  tsu_equipment_run (store, categories_job, c, (GDestroyNotify)categories_free, self->cancellable,
                     categories_done_cb, self);
}

static void
store_changed_cb (TsuResourcesPage *self, const char *collection)
{
  if (g_strcmp0 (collection, "resources") == 0)
    read_categories (self);
  /* "Now" and "next booking" follow the bookings. */
  if (g_strcmp0 (collection, "bookings") == 0)
    tsu_record_page_refresh (PAGE (self));
}

static void
store_notify_cb (TsuResourcesPage *self)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));

  tsu_booking_timeline_set_store (self->timeline, store);
  tsu_bookings_section_set_store (self->bookings_section, store);
  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, store_changed_cb, self);
  g_set_weak_pointer (&self->watched, store);
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  read_categories (self);
}

static void
settings_changed (TsuRecordPage *page, const char *key)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (page);
  TsuDateStyle      style = tsu_record_page_get_date_style (page);

  if (key == NULL || g_str_equal (key, "date-style"))
    {
      tsu_booking_timeline_set_date_style (self->timeline, style);
      tsu_bookings_section_set_date_style (self->bookings_section, style);
      tsu_record_page_refresh (page);
    }
}

/* ---- a resource shown ---- */

static void
new_record (TsuRecordPage *page, JsonObject *defaults)
{
  json_object_set_string_member (defaults, "kind", "item");
  json_object_set_string_member (defaults, "status", "available");
  json_object_set_string_member (defaults, "fee_kind", "free");
  json_object_set_int_member (defaults, "max_loan_days", 7);
  json_object_set_int_member (defaults, "stock", 1);
}

static void
update_period (TsuResourcesPage *self)
{
  g_autofree char *title = tsu_booking_timeline_get_title (self->timeline);

  gtk_label_set_text (self->period_label, title);
}

static void
record_loaded (TsuRecordPage *page, JsonObject *resource)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (page);
  TsuRecordForm    *form = tsu_record_page_get_form (page);
  const char       *id = tsu_record_form_get_id (form);
  gboolean          room = g_strcmp0 (tsu_record_get_string (resource, "kind"), "room") == 0;
  const char       *status = tsu_record_get_string (resource, "status");
  gboolean          usable = status == NULL || g_str_equal (status, "available");

  gtk_widget_set_visible (self->timeline_group, id != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->bookings_section), id != NULL);
  gtk_widget_set_visible (self->book_button, id != NULL && usable);
  gtk_widget_set_visible (self->lend_button, id != NULL && usable && !room);
  if (id == NULL)
    {
      tsu_record_form_set_subtitle (form, _ ("Not saved yet"), NULL);
      tsu_booking_timeline_set_resource (self->timeline, NULL);
      tsu_bookings_section_set_owner (self->bookings_section, NULL);
      return;
    }
  {
    const TsuFieldDef *f = tsu_collection_lookup_field (&tsu_resource_collection, "status");
    const TsuFieldDef *k = tsu_collection_lookup_field (&tsu_resource_collection, "kind");
    g_autofree char   *sub = NULL;
    const char        *number = tsu_record_get_string (resource, "control_number");

    /* Its status only when it cannot go out: "貸出可" beside an item that
     * is out reads as a contradiction (the list's "now" says where it is). */
    sub = g_strdup_printf ("%s%s%s%s%s", tsu_field_choice_label (k, room ? "room" : "item"),
                           usable ? "" : " ・ ", usable ? "" : tsu_field_choice_label (f, status),
                           number ? " ・ " : "", number ? number : "");
    tsu_record_form_set_subtitle (form, sub,
                                  usable                              ? NULL
                                  : g_strcmp0 (status, "repair") == 0 ? "error"
                                                                      : "dim-label");
  }
  tsu_booking_timeline_set_resource (self->timeline, resource);
  tsu_bookings_section_set_owner (self->bookings_section, id);
  /* A changed booking reloads the section itself; a changed resource
   * (its stock, its hours) shows here. */
  update_period (self);
}

/* ---- booking ---- */

static void
book_done_cb (TsuBookDialog *dialog, GStrv ids, gboolean print, TsuResourcesPage *self)
{
  guint n = g_strv_length (ids);

  tsu_record_page_toast (PAGE (self), n > 1 ? _ ("Lent") : _ ("Booked"));
  if (print && n > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "bookings.print", "s", ids[0]);
}

static void
open_book_dialog (TsuResourcesPage *self, TsuBookMode mode, const char *start, const char *end)
{
  JsonObject    *resource = current (self);
  TsuBookDialog *dialog;

  if (resource == NULL)
    return;
  dialog = tsu_book_dialog_new (tsu_record_page_get_window (PAGE (self)),
                                tsu_record_page_get_store (PAGE (self)), mode, resource, start, end,
                                tsu_record_page_get_date_style (PAGE (self)));
  g_signal_connect_object (dialog, "done", G_CALLBACK (book_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The next free start: the next whole hour the centre is open (for a
 * room, within its hours). */
static char *
next_start (TsuResourcesPage *self, JsonObject *resource)
{
  TsuStore        *store = tsu_record_page_get_store (PAGE (self));
  g_autofree char *now = tsu_equipment_now ();
  g_autofree char *open = NULL, *close = NULL;
  GDate            day;
  int              hour = (int)g_ascii_strtoll (now + 11, NULL, 10) + 1;

  tsu_resource_hours (store, resource, &open, &close);
  tsu_date_today (&day);
  for (int i = 0; i < 60; i++)
    {
      int first = open ? (int)g_ascii_strtoll (open, NULL, 10) : 9;
      int last = close ? (int)g_ascii_strtoll (close, NULL, 10) - 1 : 17;

      if (i > 0)
        {
          g_date_add_days (&day, 1);
          hour = first;
        }
      hour = MAX (hour, first);
      if (hour <= last && !tsu_centre_is_closed (store, &day))
        {
          g_autofree char *iso = tsu_date_to_iso (&day);
          return g_strdup_printf ("%sT%02d:00", iso, hour);
        }
    }
  return g_strdup (now);
}

static void
book_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (widget);
  g_autofree char  *start = NULL, *end = NULL;

  if (current (self) == NULL)
    return;
  if (!tsu_booking_timeline_get_selection (self->timeline, &start, &end))
    start = next_start (self, current (self));
  open_book_dialog (self, TSU_BOOK_RESERVE, start, end);
}

static void
lend_now_action (GtkWidget *widget, const char *name, GVariant *param)
{
  open_book_dialog (TSU_RESOURCES_PAGE (widget), TSU_BOOK_LEND_NOW, NULL, NULL);
}

static void
range_selected_cb (TsuResourcesPage *self, const char *start, const char *end)
{
  open_book_dialog (self, TSU_BOOK_RESERVE, start, end);
}

static void
booking_activated_cb (TsuResourcesPage *self, const char *id)
{
  g_autoptr (JsonObject) b
      = tsu_store_get (tsu_record_page_get_store (PAGE (self)), "bookings", id, NULL);
  const char *state = b ? tsu_record_get_string (b, "state") : NULL;

  if (g_strcmp0 (state, "lent") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "bookings.return", "s", id);
  else if (g_strcmp0 (state, "reserved") == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "bookings.move", "s", id);
  else if (b)
    gtk_widget_activate_action (GTK_WIDGET (self), "bookings.print", "s", id);
}

static void
timeline_go_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (widget);

  tsu_booking_timeline_go (self->timeline, g_variant_get_int32 (param));
}

static void
month_toggled_cb (TsuResourcesPage *self)
{
  tsu_booking_timeline_set_mode (self->timeline, gtk_toggle_button_get_active (self->month_toggle)
                                                     ? TSU_TIMELINE_MONTH
                                                     : TSU_TIMELINE_WEEK);
}

/* ---- the monthly report ---- */

typedef struct
{
  GDate          from;
  GDate          to;
  char          *path;
  TsuCsvEncoding encoding;
  GPtrArray     *unencodable;
} Report;

static void
report_free (Report *r)
{
  g_free (r->path);
  g_ptr_array_unref (r->unencodable);
  g_free (r);
}

static gboolean
report_job (TsuStore *store, gpointer data, GError **error)
{
  Report *r = data;
  g_autoptr (GBytes) bytes
      = tsu_booking_report (store, &r->from, &r->to, r->encoding, r->unencodable, error);

  return bytes && tsu_store_write_output (store, r->path, bytes, error);
}

static void
report_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuResourcesPage) self = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  Report  *r = NULL;
  gboolean ok = tsu_equipment_run_finish (result, (gpointer *)&r, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL)
    return;
  if (!ok)
    tsu_record_page_show_error (PAGE (self), error);
  else if (r->unencodable->len > 0)
    {
      g_autoptr (GString) chars = g_string_new (NULL);
      g_autofree char *msg = NULL;

      for (guint i = 0; i < r->unencodable->len; i++)
        g_string_append (chars, g_ptr_array_index (r->unencodable, i));
      msg = g_strdup_printf (_ ("Exported; Shift_JIS cannot hold %s, written as 〓"), chars->str);
      tsu_record_page_toast (PAGE (self), msg);
    }
  else
    tsu_record_page_toast (PAGE (self), _ ("Report exported"));
}

static void
report_file_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuResourcesPage) self = g_weak_ref_get (ref);
  Report *r = g_object_get_data (G_OBJECT (chooser), "report");

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *enc = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (chooser), "encoding");
      Report     *job = g_new0 (Report, 1);
      GWeakRef   *done = g_new0 (GWeakRef, 1);

      *job = *r;
      job->path = g_file_get_path (file);
      job->encoding
          = g_strcmp0 (enc, "cp932") == 0 ? TSU_CSV_ENCODING_CP932 : TSU_CSV_ENCODING_UTF8_BOM;
      job->unencodable = g_ptr_array_new_with_free_func (g_free);
      g_weak_ref_init (done, self);
      tsu_equipment_run (tsu_record_page_get_store (PAGE (self)), report_job, job,
                         (GDestroyNotify)report_free, NULL, report_done_cb, done);
    }
  g_object_unref (chooser);
}

static void
report_month_cb (AdwMessageDialog *dialog, const char *response, TsuResourcesPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "month");
  g_autoptr (GError) error = NULL;
  int                   year, month;
  Report               *r;
  GtkFileChooserNative *chooser;
  const char           *ids[] = { "utf8", "cp932", NULL };
  const char           *labels[] = { _ ("UTF-8 with BOM (Excel)"), _ ("Shift_JIS (CP932)"), NULL };
  g_autofree char      *name = NULL;
  GWeakRef             *ref;

  if (!g_str_equal (response, "export"))
    return;
  if (!tsu_month_parse (gtk_editable_get_text (entry), &year, &month, &error))
    {
      tsu_record_page_show_error (PAGE (self), error);
      return;
    }
  r = g_new0 (Report, 1);
  g_date_clear (&r->from, 1);
  g_date_set_dmy (&r->from, 1, month, year);
  r->to = r->from;
  g_date_add_months (&r->to, 1);
  g_date_subtract_days (&r->to, 1);
  /* TRANSLATORS: the file name of the monthly bookings report */
  name = g_strdup_printf (_ ("bookings-%04d%02d.csv"), year, month);
  chooser = gtk_file_chooser_native_new (_ ("Export Monthly Bookings Report"),
                                         tsu_record_page_get_window (PAGE (self)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (chooser), "encoding", _ ("Encoding"), ids, labels);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (chooser), "encoding", "utf8");
  g_object_set_data_full (G_OBJECT (chooser), "report", r, g_free);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (report_file_cb), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
export_report_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (widget);
  GtkWidget        *dialog = adw_message_dialog_new (
             tsu_record_page_get_window (PAGE (self)), _ ("Export Monthly Bookings Report?"),
             _ ("Every booking that starts in the month, in start order, with its state and fee."));
  GtkWidget       *entry = gtk_entry_new ();
  GDate            today;
  g_autofree char *month = NULL;

  tsu_date_today (&today);
  month = tsu_month_format (g_date_get_year (&today), g_date_get_month (&today),
                            TSU_DATE_STYLE_SEIREKI);
  gtk_editable_set_text (GTK_EDITABLE (entry), month);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Month"), -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), entry);
  g_object_set_data (G_OBJECT (dialog), "month", entry);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"), "export",
                                    _ ("_Export…"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "export",
                                              ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "export");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (report_month_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- object ---- */

static void
fill_dropdowns (TsuResourcesPage *self)
{
  g_autoptr (GtkStringList) states = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expr
      = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  const TsuFieldDef *f = tsu_collection_lookup_column (&tsu_resource_collection, "now_state");

  gtk_string_list_append (states, _ ("Any"));
  for (guint i = 0; tsu_resource_now_states[i].code; i++)
    gtk_string_list_append (states, tsu_field_choice_label (f, tsu_resource_now_states[i].code));
  gtk_drop_down_set_model (self->state_dropdown, G_LIST_MODEL (states));
  self->categories = gtk_string_list_new ((const char *const[]){ _ ("All categories"), NULL });
  gtk_drop_down_set_model (self->category_dropdown, G_LIST_MODEL (self->categories));
  gtk_drop_down_set_expression (self->category_dropdown, expr);
  g_signal_connect_object (self->kind_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->category_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->state_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
tsu_resources_page_dispose (GObject *object)
{
  TsuResourcesPage *self = TSU_RESOURCES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->categories);
  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, store_changed_cb, self);
  g_clear_weak_pointer (&self->watched);
  G_OBJECT_CLASS (tsu_resources_page_parent_class)->dispose (object);
}

static void
tsu_resources_page_class_init (TsuResourcesPageClass *klass)
{
  GObjectClass       *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  object_class->dispose = tsu_resources_page_dispose;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->new_record = new_record;
  page_class->record_loaded = record_loaded;
  page_class->settings_changed = settings_changed;

  g_type_ensure (TSU_TYPE_BOOKING_TIMELINE);
  g_type_ensure (TSU_TYPE_BOOKINGS_SECTION);
  tsu_equipment_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-resources-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, category_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, state_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, lend_button);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, book_button);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, timeline_group);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, month_toggle);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, legend_label);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, timeline);
  gtk_widget_class_bind_template_child (widget_class, TsuResourcesPage, bookings_section);

  gtk_widget_class_install_action (widget_class, "resources.book", NULL, book_action);
  gtk_widget_class_install_action (widget_class, "resources.lend-now", NULL, lend_now_action);
  gtk_widget_class_install_action (widget_class, "resources.timeline-go", "i", timeline_go_action);
  gtk_widget_class_install_action (widget_class, "resources.export-report", NULL,
                                   export_report_action);
}

static void
tsu_resources_page_init (TsuResourcesPage *self)
{
  g_autofree char *legend = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  fill_dropdowns (self);
  /* The colours of the timeline, said in words too. */
  legend = g_strdup_printf ("<span foreground=\"#3584e4\">■</span> %s　"
                            "<span foreground=\"#e5a50a\">■</span> %s　"
                            "<span foreground=\"#e01b24\">■</span> %s　"
                            "<span foreground=\"#9a9996\">■</span> %s　"
                            "<span foreground=\"#9141ac\">■</span> %s　"
                            "<span foreground=\"#2ec27e\">□</span> %s",
                            _ ("Reserved"), _ ("Lent"), _ ("Overdue"), _ ("Returned"),
                            _ ("Centre event"), C_ ("timeline", "Free"));
  gtk_label_set_markup (self->legend_label, legend);
  g_signal_connect_object (self, "notify::store", G_CALLBACK (store_notify_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "range-selected", G_CALLBACK (range_selected_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "booking-activated", G_CALLBACK (booking_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->timeline, "period-changed", G_CALLBACK (update_period), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->month_toggle, "toggled", G_CALLBACK (month_toggled_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->timeline), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Timeline of bookings"), -1);
  update_period (self);
}

GtkWidget *
tsu_resources_page_new (void)
{
  return g_object_new (TSU_TYPE_RESOURCES_PAGE, NULL);
}

TsuBookingTimeline *
tsu_resources_page_get_timeline (TsuResourcesPage *self)
{
  return self->timeline;
}

GListModel *
tsu_resources_page_get_categories (TsuResourcesPage *self)
{
  return G_LIST_MODEL (self->categories);
}

void
tsu_resources_page_set_filters (TsuResourcesPage *self,
                                const char       *kind,
                                const char       *category,
                                const char       *now_state)
{
  guint k = 0, c = 0, s = 0;

  for (guint i = 1; kind && i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kinds[i], kind))
      k = i;
  for (guint i = 1; category && i < g_list_model_get_n_items (G_LIST_MODEL (self->categories)); i++)
    if (g_str_equal (gtk_string_list_get_string (self->categories, i), category))
      c = i;
  for (guint i = 0; now_state && tsu_resource_now_states[i].code; i++)
    if (g_str_equal (tsu_resource_now_states[i].code, now_state))
      s = i + 1;
  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->kind_dropdown, k);
  gtk_drop_down_set_selected (self->category_dropdown, c);
  gtk_drop_down_set_selected (self->state_dropdown, s);
  self->clearing = FALSE;
  tsu_record_page_refresh (PAGE (self));
}
