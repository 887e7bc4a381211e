/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The groups page: only what groups have beyond any record page. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-counter-activity.h"
#include "tsu-groups-view.h"
#include "tsu-group-print.h"
#include "tsu-bookings-section.h"
#include "tsu-group-collection.h"
#include "tsu-group.h"
#include "tsu-record.h"
#include "tsu-requests-section.h"

struct _TsuGroupsView
{
  TsuRecordPage parent_instance;

  GtkDropDown         *status_dropdown;
  GtkDropDown         *field_dropdown;
  GtkWidget           *register_button;
  GtkWidget           *renew_button;
  AdwPreferencesGroup *status_group;
  AdwActionRow        *status_row;
  AdwActionRow        *advice_row;
  gboolean             clearing;
  guint                db_renewal_days; /* the database's own period, or 0 */
};

G_DEFINE_FINAL_TYPE (TsuGroupsView, tsu_groups_view, TSU_TYPE_RECORD_PAGE)

#define PAGE(self) TSU_RECORD_PAGE (self)

static void tsu_groups_view_resources_ensure (void);

/* The centre's period when its database carries one, else this desk's. */
static guint
renewal_days (TsuGroupsView *self)
{
  if (self->db_renewal_days > 0)
    return self->db_renewal_days;
  return tsu_record_page_get_setting_uint (PAGE (self), "group-renewal-days",
                                           TSU_GROUP_DEFAULT_RENEWAL_DAYS);
}

static void
store_notify_cb (TsuGroupsView *self)
{
  TsuStore        *store = tsu_record_page_get_store (PAGE (self));
  g_autofree char *days = store ? tsu_store_get_meta (store, TSU_GROUP_RENEWAL_DAYS_META) : NULL;
  guint64          n = days ? g_ascii_strtoull (days, NULL, 10) : 0;

  self->db_renewal_days = n >= 1 && n <= 366 ? (guint)n : 0;
  tsu_record_page_refresh (PAGE (self));
}

static JsonObject *
current (TsuGroupsView *self, const char **id)
{
  TsuRecordForm *form = tsu_record_page_get_form (PAGE (self));

  *id = tsu_record_form_get_id (form);
  return *id ? tsu_record_form_get_record (form) : NULL;
}

/* ---- the list ---- */

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *q)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (page);
  guint          status = gtk_drop_down_get_selected (self->status_dropdown);
  guint          field = gtk_drop_down_get_selected (self->field_dropdown);

  tsu_record_query_set_param (q, "renewal_days", (int)renewal_days (self));
  if (status != GTK_INVALID_LIST_POSITION && status > 0)
    {
      g_autofree char *v = g_strdup_printf ("%u", status - 1);
      tsu_record_query_add_filter (q, "status", TSU_FILTER_EQ, v);
    }
  if (field != GTK_INVALID_LIST_POSITION && field > 0)
    {
      g_autofree char *v = g_strdup_printf ("%u", field);
      tsu_record_query_add_filter (q, "fields", TSU_FILTER_CONTAINS, v);
    }
}

static char *
describe_filters (TsuRecordPage *page)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (page);
  guint          status = gtk_drop_down_get_selected (self->status_dropdown);
  guint          field = gtk_drop_down_get_selected (self->field_dropdown);
  g_autoptr (GString) s = g_string_new (NULL);

  if (status != GTK_INVALID_LIST_POSITION && status > 0)
    g_string_append (s, tsu_group_status_name (status - 1));
  if (field != GTK_INVALID_LIST_POSITION && field > 0)
    g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "", tsu_group_field_name (field));
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
clear_filters (TsuRecordPage *page)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (page);

  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->field_dropdown, 0);
  self->clearing = FALSE;
}

static void
filters_changed_cb (TsuGroupsView *self)
{
  if (!self->clearing)
    tsu_record_page_refresh (PAGE (self));
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group", "%u groups", n), n);
}

static void
settings_changed (TsuRecordPage *page, const char *key)
{
  /* Window size and the like are saved often; only these change the list. */
  if (key == NULL || g_str_has_prefix (key, "group-") || g_str_equal (key, "date-style"))
    tsu_record_page_refresh (page);
  if (key && g_str_has_prefix (key, "group-"))
    tsu_record_form_reload (tsu_record_page_get_form (page));
}

/* ---- a group shown ---- */

static void
new_record (TsuRecordPage *page, JsonObject *defaults)
{
  GDate            today;
  g_autofree char *iso = NULL;

  tsu_date_today (&today);
  iso = tsu_date_to_iso (&today);
  json_object_set_string_member (defaults, "applied_on", iso);
}

static JsonArray *
find_duplicates (TsuRecordPage *page, JsonObject *record)
{
  return tsu_group_find_duplicates (tsu_record_page_get_store (page), record, NULL, NULL);
}

static const char *
status_class (TsuGroupStatus status)
{
  static const char *classes[] = { "accent", "success", "warning", "error", "dim-label" };

  return classes[status];
}

/* "登録・2026年度まで有効", "退会（2026年11月26日）": a withdrawn group is not
 * said to be valid. */
static char *
status_text (TsuGroupsView *self, JsonObject *group, TsuGroupStatus status)
{
  TsuDateStyle     style = tsu_record_page_get_date_style (PAGE (self));
  int              valid = tsu_group_valid_fiscal_year (group);
  g_autofree char *fy = valid > 0 ? tsu_fiscal_year_format (valid, style) : NULL;

  switch (status)
    {
    case TSU_GROUP_STATUS_WITHDRAWN:
      {
        GDate            d;
        g_autofree char *date = NULL;

        if (!tsu_date_from_iso (tsu_record_get_string (group, "withdrawn_on"), &d))
          break;
        date = tsu_date_format_plain (&d, style);
        /* TRANSLATORS: 退会（2026年11月26日） */
        return g_strdup_printf (_ ("%s (%s)"), tsu_group_status_name (status), date);
      }
    case TSU_GROUP_STATUS_REGISTERED:
    case TSU_GROUP_STATUS_RENEWAL_DUE:
      if (fy)
        /* TRANSLATORS: 登録・2026年度まで有効 */
        return g_strdup_printf (_ ("%s ・ valid through %s"), tsu_group_status_name (status), fy);
      break;
    case TSU_GROUP_STATUS_LAPSED:
      if (fy)
        /* TRANSLATORS: 失効・2025年度まで有効でした */
        return g_strdup_printf (_ ("%s ・ was valid through %s"), tsu_group_status_name (status),
                                fy);
      break;
    default:
      break;
    }
  return g_strdup (tsu_group_status_name (status));
}

static void
record_loaded (TsuRecordPage *page, JsonObject *group)
{
  TsuGroupsView   *self = TSU_GROUPS_VIEW (page);
  TsuRecordForm   *form = tsu_record_page_get_form (page);
  gboolean         saved = tsu_record_form_get_id (form) != NULL;
  GDate            today;
  TsuGroupStatus   status;
  g_autofree char *text = NULL;
  g_autoptr (GPtrArray) advice = tsu_problems_new ();

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), saved);
  if (!saved)
    {
      tsu_record_form_set_subtitle (form, _ ("Not saved yet"), NULL);
      gtk_widget_set_visible (self->register_button, FALSE);
      gtk_widget_set_visible (self->renew_button, FALSE);
      return;
    }
  tsu_date_today (&today);
  status = tsu_group_status (group, &today, renewal_days (self));
  text = status_text (self, group, status);
  tsu_record_form_set_subtitle (form, text, status_class (status));
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->status_row), text);
  for (guint s = 0; s < TSU_GROUP_N_STATUSES; s++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_row), status_class (s));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_row), status_class (status));
  gtk_widget_set_visible (self->register_button, status == TSU_GROUP_STATUS_APPLYING);
  /* Renewal once per 年度, in the renewal window or for a lapsed group. */
  gtk_widget_set_visible (self->renew_button,
                          tsu_group_can_renew (group, &today, renewal_days (self)));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "groups.withdraw",
                                 status != TSU_GROUP_STATUS_WITHDRAWN);

  /* Eligibility is advice for an application: shown, the counter decides. */
  if (status == TSU_GROUP_STATUS_APPLYING)
    tsu_group_check_eligibility (
        group,
        tsu_record_page_get_setting_uint (page, "group-min-members", TSU_GROUP_DEFAULT_MIN_MEMBERS),
        advice);
  if (tsu_record_get_string (group, "name_kana") == NULL)
    tsu_problems_add (advice, "name_kana", FALSE, "%s",
                      _ ("The reading (フリガナ) is empty: the group sorts by its characters’ "
                         "codes, not in 五十音順."));
  gtk_widget_set_visible (GTK_WIDGET (self->advice_row), advice->len > 0);
  if (advice->len > 0)
    {
      g_autoptr (GString) s = g_string_new (NULL);
      for (guint i = 0; i < advice->len; i++)
        g_string_append_printf (s, "%s%s", s->len ? "\n" : "",
                                ((TsuProblem *)g_ptr_array_index (advice, i))->message);
      adw_action_row_set_subtitle (self->advice_row, s->str);
    }
}

/* ---- lifecycle ---- */

/* The core calls behind register / renew / withdraw, run in a worker by
 * tsu_record_page_run_action(). */
static gboolean
register_job (TsuStore *store, const char *id, gpointer data, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_group_register (store, id, &today, error);
}

static gboolean
renew_job (TsuStore *store, const char *id, gpointer data, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_group_renew (store, id, &today, GPOINTER_TO_UINT (data), error);
}

static gboolean
withdraw_job (TsuStore *store, const char *id, gpointer data, GError **error)
{
  return tsu_group_withdraw (store, id, data, error);
}

static void
register_now (TsuGroupsView *self)
{
  const char *id;

  if (current (self, &id) != NULL)
    tsu_record_page_run_action (PAGE (self), id, _ ("Registered"), TSU_RECORD_ACTION_DEFAULT,
                                register_job, NULL, NULL);
}

static void
register_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  if (g_str_equal (response, "register"))
    register_now (self);
}

static GtkWindow *
window_of (TsuGroupsView *self)
{
  return tsu_record_page_get_window (PAGE (self));
}

static AdwMessageDialog *
confirm (TsuGroupsView        *self,
         const char           *heading,
         const char           *body,
         const char           *response,
         const char           *label,
         AdwResponseAppearance appearance,
         GCallback             callback)
{
  AdwMessageDialog *dialog
      = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window_of (self), heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", callback, self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
register_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView *self = TSU_GROUPS_VIEW (widget);
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  g_autoptr (GString) body = g_string_new (NULL);
  const char *id;
  JsonObject *group = current (self, &id);

  if (group == NULL)
    return;
  tsu_group_check_eligibility (group,
                               tsu_record_page_get_setting_uint (PAGE (self), "group-min-members",
                                                                 TSU_GROUP_DEFAULT_MIN_MEMBERS),
                               problems);
  if (problems->len == 0)
    {
      register_now (self);
      return;
    }
  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (body, "・%s\n",
                            ((TsuProblem *)g_ptr_array_index (problems, i))->message);
  confirm (self, _ ("Register Anyway?"), body->str, "register", _ ("_Register"),
           ADW_RESPONSE_SUGGESTED, G_CALLBACK (register_response_cb));
}

static void
renew_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  const char *id;

  if (g_str_equal (response, "renew") && current (self, &id) != NULL)
    tsu_record_page_run_action (PAGE (self), id, _ ("Renewed"), TSU_RECORD_ACTION_DEFAULT,
                                renew_job, GUINT_TO_POINTER (renewal_days (self)), NULL);
}

/* One renewal per 年度: the question names the 年度 it renews for. */
static void
renew_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView   *self = TSU_GROUPS_VIEW (widget);
  const char      *id;
  JsonObject      *group = current (self, &id);
  GDate            today;
  g_autofree char *fy = NULL;
  g_autofree char *heading = NULL;
  g_autofree char *body = NULL;

  if (group == NULL)
    return;
  tsu_date_today (&today);
  if (!tsu_group_can_renew (group, &today, renewal_days (self)))
    {
      tsu_record_page_toast (PAGE (self), _ ("This group cannot be renewed now."));
      return;
    }
  fy = tsu_fiscal_year_format (tsu_group_renewal_fiscal_year (group, &today),
                               tsu_record_page_get_date_style (PAGE (self)));
  heading = g_strdup_printf (_ ("Renew Through %s?"), fy);
  body = g_strdup_printf (_ ("The registration of “%s” will be valid through %s."),
                          tsu_record_get_string (group, "name"), fy);
  confirm (self, heading, body, "renew", _ ("Re_new"), ADW_RESPONSE_SUGGESTED,
           G_CALLBACK (renew_response_cb));
}

static void
withdraw_response_cb (AdwMessageDialog *dialog, const char *response, TsuGroupsView *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "date");
  const char  *id;
  g_autoptr (GError) error = NULL;
  GDate date;

  if (!g_str_equal (response, "withdraw") || current (self, &id) == NULL)
    return;
  if (!tsu_date_parse (gtk_editable_get_text (entry), &date, &error))
    {
      tsu_record_page_show_error (PAGE (self), error);
      return;
    }
  tsu_record_page_run_action (PAGE (self), id, _ ("Withdrawn"), TSU_RECORD_ACTION_DEFAULT,
                              withdraw_job, g_date_copy (&date), (GDestroyNotify)g_date_free);
}

/* 退会 on a date (the letter may be older than today); kept in history. */
static void
withdraw_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView    *self = TSU_GROUPS_VIEW (widget);
  const char       *id;
  JsonObject       *group = current (self, &id);
  g_autofree char  *body = NULL;
  g_autofree char  *today_text = NULL;
  AdwMessageDialog *dialog;
  GtkWidget        *entry;
  GDate             today;

  if (group == NULL)
    return;
  tsu_date_today (&today);
  today_text = tsu_date_format_plain (&today, tsu_record_page_get_date_style (PAGE (self)));
  body = g_strdup_printf (_ ("“%s” will be marked as withdrawn on the date below. The record and "
                             "its history are kept."),
                          tsu_record_get_string (group, "name"));
  dialog = confirm (self, _ ("Withdraw the Group?"), body, "withdraw", _ ("_Withdraw"),
                    ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (withdraw_response_cb));
  entry = gtk_entry_new ();
  gtk_editable_set_text (GTK_EDITABLE (entry), today_text);
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Withdrawn on"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  g_object_set_data (G_OBJECT (dialog), "date", entry);
}

/* ---- printing ---- */

static void
print_group (TsuGroupsView *self, TsuGroupPrintKind kind, const char *pdf)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuGroupCentre) centre = NULL;
  const char *id;
  JsonObject *group = current (self, &id);

  if (group == NULL)
    return;
  centre = tsu_group_centre_from_settings (tsu_record_page_get_settings (PAGE (self)));
  if (!tsu_group_print (window_of (self), group, kind, tsu_record_page_get_date_style (PAGE (self)),
                        centre, pdf, &error))
    tsu_record_page_show_error (PAGE (self), error);
  else if (pdf)
    tsu_record_page_toast (PAGE (self), _ ("PDF saved"));
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  print_group (TSU_GROUPS_VIEW (widget),
               g_str_equal (name, "groups.print-card") ? TSU_GROUP_PRINT_CARD
                                                       : TSU_GROUP_PRINT_CERTIFICATE,
               NULL);
}

static void
pdf_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuGroupsView) self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);
      print_group (self, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "kind")), path);
    }
  g_object_unref (chooser);
}

static void
pdf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuGroupsView    *self = TSU_GROUPS_VIEW (widget);
  TsuGroupPrintKind kind
      = g_str_equal (name, "groups.pdf-card") ? TSU_GROUP_PRINT_CARD : TSU_GROUP_PRINT_CERTIFICATE;
  const char           *id;
  JsonObject           *group = current (self, &id);
  g_autofree char      *file = NULL;
  GtkFileChooserNative *chooser;
  GWeakRef             *ref;

  if (group == NULL)
    return;
  file = g_strdup_printf ("%s-%s.pdf", tsu_record_get_string (group, "name"),
                          kind == TSU_GROUP_PRINT_CARD ? _ ("card") : _ ("certificate"));
  chooser = gtk_file_chooser_native_new (_ ("Save as PDF"), window_of (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  g_object_set_data (G_OBJECT (chooser), "kind", GINT_TO_POINTER (kind));
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_response_cb), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- object ---- */

static void
fill_dropdowns (TsuGroupsView *self)
{
  g_autoptr (GtkStringList) statuses = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expr
      = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_string_list_append (statuses, _ ("All statuses"));
  for (guint s = 0; s < TSU_GROUP_N_STATUSES; s++)
    gtk_string_list_append (statuses, tsu_group_status_name (s));
  gtk_string_list_append (fields, _ ("All fields"));
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    {
      g_autofree char *t = g_strdup_printf ("%u %s", c, tsu_group_field_name (c));
      gtk_string_list_append (fields, t);
    }
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (fields));
  gtk_drop_down_set_expression (self->field_dropdown, expr);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->field_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
tsu_groups_view_dispose (GObject *object)
{
  if (TSU_GROUPS_VIEW (object)->status_dropdown)
    gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_GROUPS_VIEW);
  G_OBJECT_CLASS (tsu_groups_view_parent_class)->dispose (object);
}

static void
tsu_groups_view_class_init (TsuGroupsViewClass *klass)
{
  GObjectClass       *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  object_class->dispose = tsu_groups_view_dispose;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->new_record = new_record;
  page_class->record_loaded = record_loaded;
  page_class->find_duplicates = find_duplicates;
  page_class->settings_changed = settings_changed;

  g_type_ensure (TSU_TYPE_COUNTER_ACTIVITY);
  /* A read section from src/app/matching: the group's requests. */
  g_type_ensure (TSU_TYPE_REQUESTS_SECTION);
  tsu_groups_view_resources_ensure ();
  g_type_ensure (TSU_TYPE_BOOKINGS_SECTION); /* the group's bookings (equipment) */
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-groups-view.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, register_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, renew_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, status_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, status_row);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupsView, advice_row);

  gtk_widget_class_install_action (widget_class, "groups.register", NULL, register_action);
  gtk_widget_class_install_action (widget_class, "groups.renew", NULL, renew_action);
  gtk_widget_class_install_action (widget_class, "groups.withdraw", NULL, withdraw_action);
  gtk_widget_class_install_action (widget_class, "groups.print-certificate", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "groups.print-card", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "groups.pdf-certificate", NULL, pdf_action);
  gtk_widget_class_install_action (widget_class, "groups.pdf-card", NULL, pdf_action);
}

static void
tsu_groups_view_init (TsuGroupsView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_dropdowns (self);
  g_signal_connect (self, "notify::store", G_CALLBACK (store_notify_cb), NULL);
}

/* Generated with --manual-register (c_name tsu_groups). */
void tsu_groups_register_resource (void);

static void
tsu_groups_view_resources_ensure (void)
{
  static gsize registered = 0;

  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_groups_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

GtkWidget *
tsu_groups_view_new (void)
{
  return g_object_new (TSU_TYPE_GROUPS_VIEW, NULL);
}

TsuStore *
tsu_groups_view_get_store (TsuGroupsView *self)
{
  return tsu_record_page_get_store (PAGE (self));
}

void
tsu_groups_view_set_store (TsuGroupsView *self, TsuStore *store)
{
  tsu_record_page_set_store (PAGE (self), store);
}

/**
 * tsu_groups_view_set_settings:
 *
 * Follows group-min-members, group-renewal-days and date-style.
 */
void
tsu_groups_view_set_settings (TsuGroupsView *self, GSettings *settings)
{
  tsu_record_page_set_settings (PAGE (self), settings);
}

TsuRecordList *
tsu_groups_view_get_list (TsuGroupsView *self)
{
  return tsu_record_page_get_list (PAGE (self));
}

void
tsu_groups_view_set_search (TsuGroupsView *self, const char *text)
{
  tsu_record_page_set_search (PAGE (self), text);
}

void
tsu_groups_view_set_sort (TsuGroupsView *self, const char *sort)
{
  tsu_record_page_set_sort (PAGE (self), sort, FALSE);
}

void
tsu_groups_view_show_group (TsuGroupsView *self, const char *id)
{
  tsu_record_page_show_record (PAGE (self), id);
}
