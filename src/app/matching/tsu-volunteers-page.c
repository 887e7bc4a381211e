/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-volunteers-page.h"
#include "tsu-centre.h"
#include "tsu-disclosure.h"
#include "tsu-group-collection.h"
#include "tsu-group-print.h"
#include "tsu-group.h"
#include "tsu-matching-collections.h"
#include "tsu-matching-page.h"
#include "tsu-matching-print.h"
#include "tsu-matching-reads.h"
#include "tsu-matching-util.h"
#include "tsu-matching.h"
#include "tsu-record.h"
#include "tsu-requests-section.h"
#include "tsu-slots.h"

struct _TsuVolunteersPage
{
  TsuRecordPage parent_instance;

  GtkDropDown         *status_dropdown;
  GtkDropDown         *field_dropdown;
  GtkDropDown         *district_dropdown;
  GtkDropDown         *slot_dropdown;
  GtkDropDown         *insurance_dropdown;
  GtkWidget           *consent_button;
  GtkWidget           *renew_button;
  AdwPreferencesGroup *status_group;
  AdwActionRow        *status_row;
  AdwActionRow        *insurance_row;
  AdwActionRow        *consent_row;
  AdwActionRow        *advice_row;
  GtkFlowBox          *skills_box;

  GStrv         districts;
  TsuStore     *watched; /* the store whose changes are followed (not referenced) */
  GCancellable *skills_cancellable;
  guint         skills_id;
  gboolean      clearing;
};

G_DEFINE_FINAL_TYPE (TsuVolunteersPage, tsu_volunteers_page, TSU_TYPE_RECORD_PAGE)

#define PAGE(self) TSU_RECORD_PAGE (self)
#define LAPSED_ROW 5 /* the status filter's row for registrations to delete */

static guint
lapsed_years (TsuVolunteersPage *self)
{
  return tsu_record_page_get_setting_uint (PAGE (self), "volunteer-lapsed-years",
                                           TSU_VOLUNTEER_DEFAULT_LAPSED_YEARS);
}

static guint
selected (GtkDropDown *d)
{
  guint i = gtk_drop_down_get_selected (d);

  return i == GTK_INVALID_LIST_POSITION ? 0 : i;
}

static char *
selected_text (GtkDropDown *d)
{
  g_autoptr (GtkStringObject) item = NULL;

  if (selected (d) == 0 || gtk_drop_down_get_model (d) == NULL)
    return NULL;
  item = g_list_model_get_item (gtk_drop_down_get_model (d), selected (d));
  return item ? g_strdup (gtk_string_object_get_string (item)) : NULL;
}

/* ---- the list ---- */

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *q)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (page);
  guint              status = selected (self->status_dropdown);
  guint              field = selected (self->field_dropdown);
  guint              district = selected (self->district_dropdown);
  guint              slot = selected (self->slot_dropdown);
  guint              insurance = selected (self->insurance_dropdown);

  tsu_record_query_set_param (q, TSU_VOLUNTEER_LAPSED_YEARS, (int)lapsed_years (self));
  if (status == LAPSED_ROW)
    tsu_record_query_add_filter (q, "lapsed", TSU_FILTER_EQ, "1");
  else if (status > 0)
    tsu_record_query_add_filter (q, "state", TSU_FILTER_EQ, tsu_volunteer_states[status - 1].code);
  if (field > 0)
    {
      g_autofree char *v = g_strdup_printf ("%u", field);
      tsu_record_query_add_filter (q, "fields", TSU_FILTER_CONTAINS, v);
    }
  if (district > 0 && self->districts && district <= g_strv_length (self->districts))
    tsu_record_query_add_filter (q, "school_district", TSU_FILTER_EQ,
                                 self->districts[district - 1]);
  if (slot > 0 && slot <= TSU_N_SLOTS)
    tsu_record_query_add_filter (q, "availability", TSU_FILTER_CONTAINS,
                                 tsu_slot_choices[slot - 1].code);
  if (insurance > 0)
    tsu_record_query_add_filter (q, "insured", TSU_FILTER_EQ, insurance == 1 ? "1" : "0");
}

static char *
describe_filters (TsuRecordPage *page)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (page);
  GtkDropDown       *all[] = { self->status_dropdown, self->field_dropdown, self->district_dropdown,
                               self->slot_dropdown, self->insurance_dropdown };
  g_autoptr (GString) s = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autofree char *t = selected_text (all[i]);

      if (t)
        g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "", t);
    }
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
clear_filters (TsuRecordPage *page)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (page);

  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->status_dropdown, 0);
  gtk_drop_down_set_selected (self->field_dropdown, 0);
  gtk_drop_down_set_selected (self->district_dropdown, 0);
  gtk_drop_down_set_selected (self->slot_dropdown, 0);
  gtk_drop_down_set_selected (self->insurance_dropdown, 0);
  self->clearing = FALSE;
}

static void
filters_changed_cb (TsuVolunteersPage *self)
{
  if (!self->clearing)
    tsu_record_page_refresh (PAGE (self));
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u volunteer", "%u volunteers", n), n);
}

static void fill_status_dropdown (TsuVolunteersPage *self);

static void
settings_changed (TsuRecordPage *page, const char *key)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (page);

  if (key == NULL || g_str_equal (key, "volunteer-lapsed-years"))
    fill_status_dropdown (self);
  if (key == NULL || g_str_equal (key, "volunteer-lapsed-years") || g_str_equal (key, "date-style"))
    tsu_record_page_refresh (page);
}

/* ---- a volunteer shown ---- */

static const char *
state_label (const char *state)
{
  return tsu_field_choice_label (tsu_collection_lookup_column (&tsu_volunteer_collection, "state"),
                                 state);
}

static char *
date_text (TsuVolunteersPage *self, JsonObject *v, const char *name)
{
  GDate d;

  if (!tsu_date_from_iso (tsu_record_get_string (v, name), &d))
    return NULL;
  return tsu_date_format_plain (&d, tsu_record_page_get_date_style (PAGE (self)));
}

/* 活動中, 休止, 期限切れ or 退会 on @today. */
static const char *
state_of (JsonObject *v, const GDate *today)
{
  const char *status = tsu_record_get_string (v, "status");
  GDate       expires;

  if (g_strcmp0 (status, "withdrawn") == 0)
    return "withdrawn";
  if (tsu_date_from_iso (tsu_record_get_string (v, "expires_on"), &expires)
      && g_date_compare (&expires, today) < 0)
    return "expired";
  return g_strcmp0 (status, "paused") == 0 ? "paused" : "active";
}

static int
age_on (JsonObject *v, const GDate *day)
{
  GDate b;
  int   age;

  if (!tsu_date_from_iso (tsu_record_get_string (v, "birth_date"), &b))
    return g_strcmp0 (tsu_record_get_string (v, "age_band"), "10") == 0 ? 17 : -1;
  age = g_date_get_year (day) - g_date_get_year (&b);
  if (g_date_get_month (day) < g_date_get_month (&b)
      || (g_date_get_month (day) == g_date_get_month (&b)
          && g_date_get_day (day) < g_date_get_day (&b)))
    age--;
  return age;
}

static void
new_record (TsuRecordPage *page, JsonObject *defaults)
{
  json_object_set_string_member (defaults, "status", "active");
}

static void
record_loaded (TsuRecordPage *page, JsonObject *v)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (page);
  TsuRecordForm     *form = tsu_record_page_get_form (page);
  gboolean           saved = tsu_record_form_get_id (form) != NULL;
  TsuDateStyle       style = tsu_record_page_get_date_style (page);
  g_autoptr (GPtrArray) advice = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) status = g_string_new (NULL);
  const char *state;
  gint64      fy = 0;
  GDate       today;

  gtk_widget_set_visible (GTK_WIDGET (self->status_group), saved);
  gtk_widget_set_visible (self->consent_button, saved && !tsu_volunteer_has_consent (v));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "volunteers.disclose-csv", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "volunteers.disclose-pdf", saved);
  if (!saved)
    {
      tsu_record_form_set_subtitle (form, _ ("Registered when saved"), NULL);
      gtk_widget_set_visible (self->renew_button, FALSE);
      return;
    }
  tsu_date_today (&today);
  state = state_of (v, &today);
  tsu_record_form_set_subtitle (form, state_label (state),
                                g_str_equal (state, "active")    ? "success"
                                : g_str_equal (state, "expired") ? "warning"
                                                                 : NULL);
  /* Registration: the state, how long it is valid, since when. */
  g_string_append (status, state_label (state));
  {
    g_autofree char *until = date_text (self, v, "expires_on");
    g_autofree char *since = date_text (self, v, "registered_on");

    if (until)
      g_string_append_printf (status, _ (" ・ valid until %s"), until);
    if (since)
      g_string_append_printf (status, _ (" ・ registered on %s"), since);
  }
  adw_action_row_set_subtitle (self->status_row, status->str);
  gtk_widget_set_visible (self->renew_button,
                          g_str_equal (state, "expired")
                              || tsu_record_get_string (v, "registration_number") == NULL);
  gtk_button_set_label (GTK_BUTTON (self->renew_button),
                        tsu_record_get_string (v, "registration_number") ? _ ("Re_new…")
                                                                         : _ ("_Register…"));

  /* Insurance runs 4/1–3/31: this 年度's or none. */
  tsu_record_get_int (v, "insurance_fiscal_year", &fy);
  {
    g_autofree char *now = tsu_fiscal_year_format (tsu_fiscal_year (&today), style);
    g_autofree char *text = NULL;

    if (fy == tsu_fiscal_year (&today))
      {
        const char *plan = tsu_record_get_string (v, "insurance_plan");
        text = plan ? g_strdup_printf (_ ("%s ・ %s"), now, plan) : g_strdup (now);
      }
    else
      {
        text = g_strdup_printf (_ ("Not insured for %s"), now);
        g_ptr_array_add (advice,
                         g_strdup (_ ("Not insured for this fiscal year: not suggested for "
                                      "requests until the volunteer insurance is taken out.")));
      }
    adw_action_row_set_subtitle (self->insurance_row, text);
  }

  /* 紹介同意: when, for what, taken by whom. */
  if (tsu_volunteer_has_consent (v))
    {
      g_autofree char *on = date_text (self, v, "contact_consent_on");
      g_autoptr (GString) t = g_string_new (on);
      const char *purpose = tsu_record_get_string (v, "contact_consent_purpose");
      const char *by = tsu_record_get_string (v, "contact_consent_by");

      if (purpose)
        g_string_append_printf (t, _ (" ・ %s"), purpose);
      if (by)
        g_string_append_printf (t, _ (" ・ recorded by %s"), by);
      adw_action_row_set_subtitle (self->consent_row, t->str);
    }
  else
    adw_action_row_set_subtitle (
        self->consent_row,
        _ ("Not recorded: referral slips and lists for groups leave out the contact details"));

  if (age_on (v, &today) >= 0 && age_on (v, &today) < 18
      && tsu_record_get_string (v, "guardian_consent_on") == NULL)
    g_ptr_array_add (advice, g_strdup (_ ("Under 18 without a guardian's consent: not suggested "
                                          "for requests until it is recorded.")));
  if (g_str_equal (state, "expired"))
    g_ptr_array_add (advice, g_strdup (_ ("The registration has expired: renew it to suggest "
                                          "this person again.")));
  if (tsu_record_get_string (v, "family_kana") == NULL)
    g_ptr_array_add (advice, g_strdup (_ ("The reading (フリガナ) is empty: the person sorts by "
                                          "their name's character codes, not in 五十音順.")));
  gtk_widget_set_visible (GTK_WIDGET (self->advice_row), advice->len > 0);
  if (advice->len > 0)
    {
      g_ptr_array_add (advice, NULL);
      g_autofree char *text = g_strjoinv ("\n", (char **)advice->pdata);
      adw_action_row_set_subtitle (self->advice_row, text);
    }
}

/* Entered at the counter: registered (number, dates, 活動中) as it is saved. */
static char *
insert_volunteer (TsuStore *store, JsonObject *fields, gpointer data, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_volunteer_create (store, fields, &today, error);
}

/* ---- actions ---- */

static JsonObject *
current (TsuVolunteersPage *self, const char **id)
{
  TsuRecordForm *form = tsu_record_page_get_form (PAGE (self));

  *id = tsu_record_form_get_id (form);
  return *id ? tsu_record_form_get_record (form) : NULL;
}

static char *
full_name (JsonObject *v)
{
  return tsu_record_title (&tsu_volunteer_collection, v);
}

static AdwMessageDialog *
confirm (TsuVolunteersPage    *self,
         const char           *heading,
         const char           *body,
         const char           *response,
         const char           *label,
         AdwResponseAppearance appearance,
         GCallback             callback)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (tsu_record_page_get_window (PAGE (self)), heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", callback, self, 0);
  return dialog;
}

/* The core calls behind renew / consent / erase, run in a worker by
 * tsu_record_page_run_action(). */
static gboolean
renew_job (TsuStore *store, const char *id, gpointer data, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_volunteer_register (store, id, &today, error);
}

static gboolean
consent_job (TsuStore *store, const char *id, gpointer purpose, GError **error)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_volunteer_record_consent (store, id, purpose, &today, error);
}

/* Several records in one transaction. */
static gboolean
erase_job (TsuStore *store, const char *id, gpointer data, GError **error)
{
  guint n = 0;

  return tsu_volunteer_erase (store, id, &n, error);
}

static void
renew_response_cb (AdwMessageDialog *dialog, const char *response, TsuVolunteersPage *self)
{
  const char *id;

  if (g_str_equal (response, "renew") && current (self, &id) != NULL)
    tsu_record_page_run_action (PAGE (self), id, _ ("Registration renewed"),
                                TSU_RECORD_ACTION_DEFAULT, renew_job, NULL, NULL);
}

static void
renew_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  const char        *id;
  JsonObject        *v = current (self, &id);
  gint64             years;
  GDate              today;
  g_autofree char   *until = NULL;
  g_autofree char   *who = NULL;
  g_autofree char   *body = NULL;

  if (v == NULL)
    return;
  tsu_date_today (&today);
  years = CLAMP (
      tsu_centre_get_int (tsu_record_page_get_store (PAGE (self)), "volunteer.valid_years", 3), 1,
      10);
  until = tsu_fiscal_year_format (tsu_fiscal_year (&today) + (int)years - 1,
                                  tsu_record_page_get_date_style (PAGE (self)));
  who = full_name (v);
  body = g_strdup_printf (_ ("The registration of %s will be valid through %s."), who, until);
  gtk_window_present (
      GTK_WINDOW (confirm (self, _ ("Renew the Registration?"), body, "renew", _ ("Re_new"),
                           ADW_RESPONSE_SUGGESTED, G_CALLBACK (renew_response_cb))));
}

static void
consent_response_cb (AdwMessageDialog *dialog, const char *response, TsuVolunteersPage *self)
{
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "purpose");
  const char  *id;

  if (g_str_equal (response, "record") && current (self, &id) != NULL)
    tsu_record_page_run_action (PAGE (self), id, _ ("Consent recorded"), TSU_RECORD_ACTION_DEFAULT,
                                consent_job, g_strdup (gtk_editable_get_text (entry)), g_free);
}

/* 紹介同意 (APPI Art. 27): dated today, for a purpose, signed by the staff. */
static void
consent_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  const char        *id;
  JsonObject        *v = current (self, &id);
  g_autofree char   *who = NULL;
  g_autofree char   *body = NULL;
  AdwMessageDialog  *dialog;
  GtkWidget         *box, *label, *entry;

  if (v == NULL)
    return;
  who = full_name (v);
  body = g_strdup_printf (_ ("%s agrees that the centre may give their name and contact details "
                             "to the groups whose requests they answer. The consent is dated "
                             "today and recorded with your name."),
                          who);
  dialog = confirm (self, _ ("Record Consent?"), body, "record", _ ("_Record"),
                    ADW_RESPONSE_SUGGESTED, G_CALLBACK (consent_response_cb));
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  label = gtk_label_new_with_mnemonic (_ ("_Purpose"));
  entry = gtk_entry_new ();
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), entry);
  gtk_editable_set_text (GTK_EDITABLE (entry),
                         _ ("Giving contact details to the groups whose requests they answer"));
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Purpose"), -1);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), entry);
  adw_message_dialog_set_extra_child (dialog, box);
  g_object_set_data (G_OBJECT (dialog), "purpose", entry);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- 開示請求 ---- */

typedef struct
{
  TsuStore    *store;
  char        *id;
  char        *path;
  gboolean     pdf;
  TsuDateStyle style;
} Disclose;

typedef struct
{
  GPtrArray *items;
  char      *name;
  char      *path;
  gboolean   pdf;
} Disclosed;

static void
disclose_free (Disclose *d)
{
  g_object_unref (d->store);
  g_free (d->id);
  g_free (d->path);
  g_free (d);
}

static void
disclosed_free (Disclosed *d)
{
  g_clear_pointer (&d->items, g_ptr_array_unref);
  g_free (d->name);
  g_free (d->path);
  g_free (d);
}

/* Read (and for CSV, written) in the thread; a PDF is drawn back here. */
static gpointer
disclose_work (gpointer data, GError **error)
{
  Disclose  *d = data;
  Disclosed *out = g_new0 (Disclosed, 1);

  out->items = tsu_disclosure_collect (d->store, d->id, d->style, &out->name, error);
  out->path = g_strdup (d->path);
  out->pdf = d->pdf;
  if (out->items && !d->pdf)
    {
      g_autoptr (GBytes) bytes
          = tsu_disclosure_csv (out->items, TSU_CSV_ENCODING_UTF8_BOM, NULL, error);

      if (bytes == NULL || !tsu_store_write_output (d->store, d->path, bytes, error))
        g_clear_pointer (&out->items, g_ptr_array_unref);
    }
  if (out->items == NULL)
    {
      disclosed_free (out);
      return NULL;
    }
  return out;
}

static void
disclose_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuRecordPage *page = PAGE (widget);
  Disclosed     *d = result;
  g_autoptr (GError) local = NULL;
  g_autofree char *centre = NULL;

  if (error)
    {
      tsu_record_page_show_error (page, error);
      return;
    }
  if (!d->pdf)
    {
      tsu_record_page_toast (page, _ ("Personal data exported"));
      return;
    }
  centre = tsu_centre_name (tsu_record_page_get_settings (page));
  if (!tsu_matching_print_disclosure (tsu_record_page_get_window (page),
                                      tsu_record_page_get_store (page), d->name, d->items, centre,
                                      tsu_record_page_get_date_style (page), d->path, &local))
    tsu_record_page_show_error (page, local);
  else
    tsu_record_page_toast (page, _ ("Personal data exported"));
}

static void
disclose_chosen (GtkWidget *widget, const char *path, gpointer data)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  const char        *id;
  Disclose          *d;

  if (current (self, &id) == NULL)
    return;
  d = g_new0 (Disclose, 1);
  d->store = g_object_ref (tsu_record_page_get_store (PAGE (self)));
  d->id = g_strdup (id);
  d->path = g_strdup (path);
  d->pdf = GPOINTER_TO_INT (data);
  d->style = tsu_record_page_get_date_style (PAGE (self));
  tsu_matching_run (widget, NULL, disclose_work, d, (GDestroyNotify)disclose_free, disclose_done,
                    (GDestroyNotify)disclosed_free);
}

static void
disclose_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  gboolean           pdf = g_str_equal (name, "volunteers.disclose-pdf");
  const char        *id;
  JsonObject        *v = current (self, &id);
  g_autofree char   *who = NULL;
  g_autofree char   *file = NULL;

  if (v == NULL)
    return;
  who = full_name (v);
  /* TRANSLATORS: a file name: 開示-古賀 花子.csv */
  file = g_strdup_printf (_ ("disclosure-%s.%s"), who, pdf ? "pdf" : "csv");
  tsu_matching_ask_save (widget, _ ("Export Personal Data"), file, disclose_chosen,
                         GINT_TO_POINTER (pdf), NULL);
}

/* ---- erasure on the person's request ---- */

static void
erase_response_cb (AdwMessageDialog *dialog, const char *response, TsuVolunteersPage *self)
{
  const char *id;

  if (g_str_equal (response, "erase") && current (self, &id) != NULL)
    tsu_record_page_run_action (PAGE (self), id, _ ("Personal data erased"),
                                TSU_RECORD_ACTION_NO_UNDO, erase_job, NULL, NULL);
}

static void
erase_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  const char        *id;
  JsonObject        *v = current (self, &id);
  g_autofree char   *who = NULL;
  g_autofree char   *heading = NULL;

  if (v == NULL)
    return;
  who = full_name (v);
  heading = g_strdup_printf (_ ("Erase the Personal Data of %s?"), who);
  gtk_window_present (GTK_WINDOW (confirm (
      self, heading,
      _ ("Do this only when the person asks for it. Their name, contact details and notes are "
         "erased here, in the history and in their matches, consultations and event "
         "registrations, and from the server at the next sync. Only what the statistics count "
         "is kept. This cannot be undone."),
      "erase", _ ("_Erase"), ADW_RESPONSE_DESTRUCTIVE, G_CALLBACK (erase_response_cb))));
}

/* ---- skills already in use ---- */

typedef struct
{
  TsuStore *store;
} SkillsData;

static void
skills_data_free (SkillsData *d)
{
  g_object_unref (d->store);
  g_free (d);
}

static gpointer
skills_work (gpointer data, GError **error)
{
  return tsu_matching_common_skills (((SkillsData *)data)->store, 24, error);
}

static void
skill_clicked_cb (GtkButton *button, TsuVolunteersPage *self)
{
  GtkWidget *row = tsu_record_form_get_field_row (tsu_record_page_get_form (PAGE (self)), "skills");
  const char      *skill = gtk_button_get_label (button);
  g_autofree char *text = NULL;
  g_auto (GStrv) have = NULL;

  if (row == NULL || !GTK_IS_EDITABLE (row))
    return;
  text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  have = g_strsplit (text, ";", -1);
  for (guint i = 0; have[i]; i++)
    if (g_str_equal (g_strstrip (have[i]), skill))
      return;
  {
    g_autofree char *joined
        = *text ? g_strdup_printf ("%s%s%s", text, g_str_has_suffix (text, ";") ? "" : ";", skill)
                : g_strdup (skill);
    gtk_editable_set_text (GTK_EDITABLE (row), joined);
  }
}

static void
skills_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (widget);
  GStrv              skills = result;
  GtkWidget         *child;

  if (error || self->skills_box == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->skills_box))))
    gtk_flow_box_remove (self->skills_box, child);
  for (guint i = 0; skills && skills[i]; i++)
    {
      GtkWidget       *b = gtk_button_new_with_label (skills[i]);
      g_autofree char *tip = g_strdup_printf (_ ("Add “%s”"), skills[i]);

      gtk_widget_add_css_class (b, "pill");
      gtk_widget_add_css_class (b, "small");
      gtk_widget_set_tooltip_text (b, tip);
      g_signal_connect_object (b, "clicked", G_CALLBACK (skill_clicked_cb), self, 0);
      gtk_flow_box_append (self->skills_box, b);
    }
  gtk_widget_set_visible (gtk_widget_get_parent (GTK_WIDGET (self->skills_box)),
                          skills && skills[0]);
}

static void
read_skills (TsuVolunteersPage *self)
{
  SkillsData *d;
  TsuStore   *store = tsu_record_page_get_store (PAGE (self));

  g_cancellable_cancel (self->skills_cancellable);
  g_clear_object (&self->skills_cancellable);
  if (store == NULL)
    return;
  self->skills_cancellable = g_cancellable_new ();
  d = g_new0 (SkillsData, 1);
  d->store = g_object_ref (store);
  tsu_matching_run (GTK_WIDGET (self), self->skills_cancellable, skills_work, d,
                    (GDestroyNotify)skills_data_free, skills_done, (GDestroyNotify)g_strfreev);
}

static gboolean
skills_idle_cb (gpointer data)
{
  TsuVolunteersPage *self = data;

  self->skills_id = 0;
  read_skills (self);
  return G_SOURCE_REMOVE;
}

/* ---- the 校区 list (a centre setting) ---- */

static void
fill_districts (TsuVolunteersPage *self)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  TsuStore *store = tsu_record_page_get_store (PAGE (self));

  g_clear_pointer (&self->districts, g_strfreev);
  if (store)
    self->districts = tsu_centre_get_strings (store, TSU_CENTRE_SCHOOL_DISTRICTS);
  gtk_string_list_append (list, _ ("All school districts"));
  for (guint i = 0; self->districts && self->districts[i]; i++)
    gtk_string_list_append (list, self->districts[i]);
  self->clearing = TRUE;
  gtk_drop_down_set_model (self->district_dropdown, G_LIST_MODEL (list));
  self->clearing = FALSE;
}

static void
store_changed_cb (TsuVolunteersPage *self, const char *collection, GStrv ids)
{
  if (g_str_equal (collection, "centre_settings"))
    {
      fill_districts (self);
      tsu_record_page_refresh (PAGE (self));
    }
  else if (g_str_equal (collection, "volunteers") && self->skills_id == 0)
    /* Later: a whole import arrives as one change. */
    self->skills_id = g_timeout_add_seconds (2, skills_idle_cb, self);
}

static void
store_notify_cb (TsuVolunteersPage *self)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));

  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, store_changed_cb, self);
  self->watched = store;
  fill_districts (self);
  read_skills (self);
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

/* ---- object ---- */

static void
fill_status_dropdown (TsuVolunteersPage *self)
{
  g_autoptr (GtkStringList) statuses = gtk_string_list_new (NULL);
  guint            keep = selected (self->status_dropdown);
  guint            years = lapsed_years (self);
  g_autofree char *lapsed
      = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Ended over %u year ago (to delete)",
                                      "Ended over %u years ago (to delete)", years),
                         years);

  gtk_string_list_append (statuses, _ ("All statuses"));
  for (guint i = 0; tsu_volunteer_states[i].code; i++)
    gtk_string_list_append (statuses, _ (tsu_volunteer_states[i].label));
  gtk_string_list_append (statuses, lapsed);
  self->clearing = TRUE;
  gtk_drop_down_set_model (self->status_dropdown, G_LIST_MODEL (statuses));
  gtk_drop_down_set_selected (self->status_dropdown, keep);
  self->clearing = FALSE;
}

static void
fill_dropdowns (TsuVolunteersPage *self)
{
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) slots = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) insurance = gtk_string_list_new (NULL);
  GtkDropDown *all[] = { self->status_dropdown, self->field_dropdown, self->district_dropdown,
                         self->slot_dropdown, self->insurance_dropdown };

  fill_status_dropdown (self);
  gtk_string_list_append (fields, _ ("All fields"));
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    {
      g_autofree char *t = g_strdup_printf ("%u %s", c, tsu_group_field_name (c));
      gtk_string_list_append (fields, t);
    }
  gtk_string_list_append (slots, _ ("Any time"));
  for (guint k = 0; k < TSU_N_SLOTS; k++)
    gtk_string_list_append (slots, tsu_slot_choices[k].name);
  gtk_string_list_append (insurance, _ ("Insured or not"));
  gtk_string_list_append (insurance, _ ("Insured this fiscal year"));
  gtk_string_list_append (insurance, _ ("Not insured this fiscal year"));
  gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (fields));
  gtk_drop_down_set_model (self->slot_dropdown, G_LIST_MODEL (slots));
  gtk_drop_down_set_model (self->insurance_dropdown, G_LIST_MODEL (insurance));
  fill_districts (self);
  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr (GtkExpression) expr
          = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

      gtk_drop_down_set_expression (all[i], expr);
      g_signal_connect_object (all[i], "notify::selected", G_CALLBACK (filters_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
}

static void
tsu_volunteers_page_dispose (GObject *object)
{
  TsuVolunteersPage *self = TSU_VOLUNTEERS_PAGE (object);

  g_cancellable_cancel (self->skills_cancellable);
  g_clear_object (&self->skills_cancellable);
  g_clear_handle_id (&self->skills_id, g_source_remove);
  if (self->watched)
    g_signal_handlers_disconnect_by_func (self->watched, store_changed_cb, self);
  self->watched = NULL;
  if (self->status_dropdown)
    gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_VOLUNTEERS_PAGE);
  G_OBJECT_CLASS (tsu_volunteers_page_parent_class)->dispose (object);
}

static void
tsu_volunteers_page_finalize (GObject *object)
{
  g_strfreev (TSU_VOLUNTEERS_PAGE (object)->districts);
  G_OBJECT_CLASS (tsu_volunteers_page_parent_class)->finalize (object);
}

static void
tsu_volunteers_page_class_init (TsuVolunteersPageClass *klass)
{
  GObjectClass       *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  object_class->dispose = tsu_volunteers_page_dispose;
  object_class->finalize = tsu_volunteers_page_finalize;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->new_record = new_record;
  page_class->record_loaded = record_loaded;
  page_class->settings_changed = settings_changed;

  g_type_ensure (TSU_TYPE_REQUESTS_SECTION);
  tsu_matching_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-volunteers-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, TsuVolunteersPage, name)
  CHILD (status_dropdown);
  CHILD (field_dropdown);
  CHILD (district_dropdown);
  CHILD (slot_dropdown);
  CHILD (insurance_dropdown);
  CHILD (consent_button);
  CHILD (renew_button);
  CHILD (status_group);
  CHILD (status_row);
  CHILD (insurance_row);
  CHILD (consent_row);
  CHILD (advice_row);
  CHILD (skills_box);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "volunteers.renew", NULL, renew_action);
  gtk_widget_class_install_action (widget_class, "volunteers.consent", NULL, consent_action);
  gtk_widget_class_install_action (widget_class, "volunteers.disclose-csv", NULL, disclose_action);
  gtk_widget_class_install_action (widget_class, "volunteers.disclose-pdf", NULL, disclose_action);
  gtk_widget_class_install_action (widget_class, "volunteers.erase", NULL, erase_action);
}

static void
tsu_volunteers_page_init (TsuVolunteersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_dropdowns (self);
  g_signal_connect (self, "notify::store", G_CALLBACK (store_notify_cb), NULL);
  tsu_record_form_set_insert_func (tsu_record_page_get_form (PAGE (self)), insert_volunteer, NULL);
}

GtkWidget *
tsu_volunteers_page_new (void)
{
  return g_object_new (TSU_TYPE_VOLUNTEERS_PAGE, NULL);
}
