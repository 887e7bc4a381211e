/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-matches-section.h"
#include "tsu-group-print.h"
#include "tsu-matching-collections.h"
#include "tsu-matching-print.h"
#include "tsu-matching-reads.h"
#include "tsu-matching-util.h"
#include "tsu-matching.h"
#include "tsu-record.h"
#include "tsu-referral.h"

struct _TsuMatchesSection
{
  AdwPreferencesGroup parent_instance;

  TsuStore     *store;
  char         *request_id;
  char         *request_title;
  char         *request_number;
  gint64        needed;
  GCancellable *cancellable;
  GPtrArray    *rows;    /* widgets in the group */
  GPtrArray    *matches; /* JsonObject, as last read */
  guint         reload_id;
};

G_DEFINE_FINAL_TYPE (TsuMatchesSection, tsu_matches_section, ADW_TYPE_PREFERENCES_GROUP)

static const TsuFieldDef *
state_field (void)
{
  return tsu_collection_lookup_field (&tsu_match_collection, "state");
}

static const char *
state_label (const char *code)
{
  return tsu_field_choice_label (state_field (), code);
}

/* The step a coordinator takes next from @state, and its button. */
static const struct
{
  const char *from;
  const char *to;
  const char *label;
  const char *tooltip;
} next_steps[] = {
  { "suggested", "proposed", N_ ("Ask"), N_ ("Ask this person whether they can help (打診)") },
  { "proposed", "contacted", N_ ("Contacted"), N_ ("The person has been reached (連絡済)") },
  { "contacted", "consented", N_ ("Agreed…"),
    N_ ("The person agreed to help (同意); their consent to give their contact details to the "
        "group can be recorded with it") },
  { "consented", "confirmed", N_ ("Confirm"),
    N_ ("Confirm the person for this request (確定); a double booking is pointed out first") },
  { "confirmed", "completed", N_ ("Done"), N_ ("The activity took place (完了)") },
};

static JsonObject *
find_match (TsuMatchesSection *self, const char *id)
{
  for (guint i = 0; self->matches && i < self->matches->len; i++)
    if (g_strcmp0 (tsu_record_get_string (g_ptr_array_index (self->matches, i), "id"), id) == 0)
      return g_ptr_array_index (self->matches, i);
  return NULL;
}

/* ---- reading ---- */

typedef struct
{
  TsuStore *store;
  char     *id;
} ReadData;

static void
read_data_free (ReadData *d)
{
  g_object_unref (d->store);
  g_free (d->id);
  g_free (d);
}

static gpointer
read_work (gpointer data, GError **error)
{
  ReadData *d = data;

  return tsu_matching_request_matches (d->store, d->id, error);
}

static void
clear_rows (TsuMatchesSection *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static GtkWidget *
match_row (TsuMatchesSection *self, JsonObject *m)
{
  const char *id = tsu_record_get_string (m, "id");
  const char *state = tsu_record_get_string (m, "state");
  const char *name = tsu_record_get_string (m, "name");
  const char *number = tsu_record_get_string (m, "registration_number");
  const char *note = tsu_record_get_string (m, "note");
  const char *staff = tsu_record_get_string (m, "staff");
  GtkWidget  *row = adw_action_row_new ();
  GtkWidget  *more = gtk_menu_button_new ();
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) steps = g_menu_new ();
  g_autoptr (GMenu) papers = g_menu_new ();
  g_autoptr (GMenu) others = g_menu_new ();
  g_autoptr (GString) sub = g_string_new (state_label (state));
  g_autofree char *title = NULL;
  g_autofree char *more_label = NULL;
  GDate            on;

  title = number ? g_strdup_printf (_ ("%s (%s)"), name, number) : g_strdup (name);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (tsu_date_from_iso (tsu_record_get_string (m, "state_on"), &on))
    {
      g_autofree char *d = tsu_date_format_plain (&on, tsu_matching_date_style (GTK_WIDGET (self)));
      g_string_append_printf (sub, _ (" ・ %s"), d);
    }
  if (staff)
    g_string_append_printf (sub, _ (" ・ %s"), staff);
  if (!tsu_record_get_bool (m, "consent"))
    g_string_append_printf (sub, "\n%s", _ ("No consent to give contact details to the group yet"));
  if (tsu_record_get_bool (m, "override"))
    g_string_append_printf (sub, "\n%s", _ ("Confirmed although it overlaps another activity"));
  if (note)
    g_string_append_printf (sub, "\n%s", note);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  for (guint i = 0; i < G_N_ELEMENTS (next_steps); i++)
    if (g_strcmp0 (state, next_steps[i].from) == 0)
      {
        GtkWidget       *button = gtk_button_new_with_label (_ (next_steps[i].label));
        g_autofree char *a11y = g_strdup_printf (_ ("%s: %s"), _ (next_steps[i].label), name);

        gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
        gtk_widget_set_tooltip_text (button, _ (next_steps[i].tooltip));
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        a11y, -1);
        gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "match.step");
        gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "(ss)", id, next_steps[i].to);
        if (g_str_equal (next_steps[i].to, "confirmed"))
          gtk_widget_add_css_class (button, "suggested-action");
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      }

  for (guint i = 0; tsu_match_states[i].code; i++)
    if (tsu_match_state_allowed (state, tsu_match_states[i].code))
      {
        /* TRANSLATORS: a menu item moving a match to a state: 「辞退」にする */
        g_autofree char *label
            = g_strdup_printf (_ ("Mark as “%s”…"), state_label (tsu_match_states[i].code));
        g_autoptr (GMenuItem) item = g_menu_item_new (label, NULL);

        g_menu_item_set_action_and_target_value (
            item, "match.step", g_variant_new ("(ss)", id, tsu_match_states[i].code));
        g_menu_append_item (steps, item);
      }
  {
    g_autoptr (GMenuItem) print = g_menu_item_new (_ ("_Print Referral Slip…"), NULL);
    g_autoptr (GMenuItem) pdf = g_menu_item_new (_ ("Save Referral Slip as P_DF…"), NULL);
    g_autoptr (GMenuItem) open = g_menu_item_new (_ ("_Open Volunteer"), NULL);

    g_menu_item_set_action_and_target_value (print, "match.print", g_variant_new_string (id));
    g_menu_item_set_action_and_target_value (pdf, "match.pdf", g_variant_new_string (id));
    g_menu_item_set_action_and_target_value (
        open, "matching.show-volunteer",
        g_variant_new_string (tsu_record_get_string (m, "volunteer_id")));
    g_menu_append_item (papers, print);
    g_menu_append_item (papers, pdf);
    g_menu_append_item (others, open);
  }
  if (g_menu_model_get_n_items (G_MENU_MODEL (steps)) > 0)
    g_menu_append_section (menu, NULL, G_MENU_MODEL (steps));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (papers));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (others));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
  gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (more, "flat");
  gtk_widget_set_tooltip_text (more, _ ("More Steps and the Referral Slip"));
  more_label = g_strdup_printf (_ ("More for %s"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL, more_label,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), more);
  return row;
}

static void
rebuild (TsuMatchesSection *self)
{
  guint            confirmed = 0;
  g_autofree char *description = NULL;

  clear_rows (self);
  for (guint i = 0; self->matches && i < self->matches->len; i++)
    {
      JsonObject *m = g_ptr_array_index (self->matches, i);
      const char *state = tsu_record_get_string (m, "state");
      GtkWidget  *row = match_row (self, m);

      if (g_strcmp0 (state, "confirmed") == 0 || g_strcmp0 (state, "completed") == 0)
        confirmed++;
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  if (self->rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (
          ADW_PREFERENCES_ROW (row),
          _ ("No one asked yet: ask someone from the suggestions below."));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  /* TRANSLATORS: 確定 1人 ／ 必要 3人 */
  description = g_strdup_printf (_ ("%u confirmed of %d needed"), confirmed, (int)self->needed);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
}

static void
read_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (widget);

  if (error)
    {
      tsu_matching_error (widget, error);
      return;
    }
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  self->matches = g_ptr_array_ref (result);
  rebuild (self);
}

static void
reload (TsuMatchesSection *self)
{
  ReadData *d;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->request_id == NULL)
    {
      g_clear_pointer (&self->matches, g_ptr_array_unref);
      clear_rows (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  d = g_new0 (ReadData, 1);
  d->store = g_object_ref (self->store);
  d->id = g_strdup (self->request_id);
  tsu_matching_run (GTK_WIDGET (self), self->cancellable, read_work, d,
                    (GDestroyNotify)read_data_free, read_done, (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TsuMatchesSection *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuMatchesSection *self, const char *collection, GStrv ids)
{
  if (self->request_id == NULL || self->reload_id != 0
      || !(g_str_equal (collection, "matches") || g_str_equal (collection, "volunteers")))
    return;
  self->reload_id = g_idle_add (reload_idle_cb, self);
}

void
tsu_matches_section_set_request (TsuMatchesSection *self, TsuStore *store, JsonObject *request)
{
  const char *id = request ? tsu_record_get_string (request, "id") : NULL;

  g_return_if_fail (TSU_IS_MATCHES_SECTION (self));

  if (self->store != store)
    {
      if (self->store)
        g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
      g_set_object (&self->store, store);
      if (store)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
    }
  g_free (self->request_title);
  g_free (self->request_number);
  self->request_title = request ? g_strdup (tsu_record_get_string (request, "title")) : NULL;
  self->request_number = request ? g_strdup (tsu_record_get_string (request, "number")) : NULL;
  self->needed = 1;
  if (request)
    tsu_record_get_int (request, "people_needed", &self->needed);
  if (g_strcmp0 (id, self->request_id) != 0)
    {
      g_clear_pointer (&self->matches, g_ptr_array_unref);
      clear_rows (self);
    }
  g_free (self->request_id);
  self->request_id = g_strdup (id);
  reload (self);
}

guint
tsu_matches_section_get_n_matches (TsuMatchesSection *self)
{
  return self->matches ? self->matches->len : 0;
}

/* ---- steps ---- */

static void
today (GDate *d)
{
  tsu_date_today (d);
}

static void
ask_overlap (TsuMatchesSection *self, const char *id, const char *note, const char *message);

static void
do_step (TsuMatchesSection *self,
         const char        *id,
         const char        *state,
         const char        *note,
         const char        *override_reason)
{
  g_autoptr (GError) error = NULL;
  JsonObject      *m = find_match (self, id);
  g_autofree char *name = g_strdup (m ? tsu_record_get_string (m, "name") : "");
  g_autofree char *copy = g_strdup (id);
  g_autofree char *msg = NULL;
  GDate            d;

  today (&d);
  if (!tsu_match_set_state (self->store, copy, state, note, override_reason, &d, &error))
    {
      if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_RULE)
          && g_str_equal (state, "confirmed") && override_reason == NULL)
        ask_overlap (self, copy, note, error->message);
      else
        tsu_matching_error (GTK_WIDGET (self), error);
      return;
    }
  /* TRANSLATORS: a toast after a step: 青木 花子: 確定 */
  msg = g_strdup_printf (_ ("%s: %s"), name, state_label (state));
  tsu_matching_toast (GTK_WIDGET (self), msg);
}

static GtkWidget *
labelled_entry (GtkWidget *box, const char *label, const char *text)
{
  GtkWidget *l = gtk_label_new_with_mnemonic (label);
  GtkWidget *entry = gtk_entry_new ();

  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_mnemonic_widget (GTK_LABEL (l), entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text ? text : "");
  gtk_entry_set_activates_default (GTK_ENTRY (entry), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (l)), -1);
  gtk_box_append (GTK_BOX (box), l);
  gtk_box_append (GTK_BOX (box), entry);
  return entry;
}

static AdwMessageDialog *
dialog_new (TsuMatchesSection    *self,
            const char           *heading,
            const char           *body,
            const char           *response,
            const char           *label,
            AdwResponseAppearance appearance)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (tsu_matching_window (GTK_WIDGET (self)), heading, body));

  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), response, label, NULL);
  adw_message_dialog_set_response_appearance (dialog, response, appearance);
  adw_message_dialog_set_default_response (dialog, response);
  adw_message_dialog_set_close_response (dialog, "cancel");
  return dialog;
}

static const char *
entry_text (AdwMessageDialog *dialog, const char *key)
{
  GtkWidget *entry = g_object_get_data (G_OBJECT (dialog), key);

  return entry ? gtk_editable_get_text (GTK_EDITABLE (entry)) : NULL;
}

static char *
clean (const char *text)
{
  char *t = g_strstrip (g_strdup (text ? text : ""));

  if (*t == '\0')
    g_clear_pointer (&t, g_free);
  return t;
}

/* 確定 over another 確定 at the same time: said first, allowed only with a
 * reason that is kept with the match. */
static void
overlap_response_cb (AdwMessageDialog *dialog, const char *response, TsuMatchesSection *self)
{
  g_autofree char *reason = clean (entry_text (dialog, "reason"));
  const char      *id = g_object_get_data (G_OBJECT (dialog), "match-id");

  if (!g_str_equal (response, "confirm"))
    return;
  if (reason == NULL)
    {
      g_autoptr (GError) error = g_error_new_literal (
          TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
          _ ("Not confirmed: say why this person may be booked twice at the same time."));
      tsu_matching_error (GTK_WIDGET (self), error);
      return;
    }
  do_step (self, id, "confirmed", g_object_get_data (G_OBJECT (dialog), "note"), reason);
}

static void
ask_overlap (TsuMatchesSection *self, const char *id, const char *note, const char *message)
{
  g_autofree char *body = g_strdup_printf (
      _ ("%s Confirm only if the person can really do both; the reason is kept with the match."),
      message);
  AdwMessageDialog *dialog = dialog_new (self, _ ("Double Booking"), body, "confirm",
                                         _ ("Confirm _Anyway"), ADW_RESPONSE_DESTRUCTIVE);
  GtkWidget        *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  g_object_set_data_full (G_OBJECT (dialog), "match-id", g_strdup (id), g_free);
  g_object_set_data_full (G_OBJECT (dialog), "note", g_strdup (note), g_free);
  g_object_set_data (G_OBJECT (dialog), "reason",
                     labelled_entry (box, _ ("_Why the overlap is allowed"), NULL));
  adw_message_dialog_set_extra_child (dialog, box);
  adw_message_dialog_set_default_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (overlap_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* 同意: the person said yes; their consent to give their contact details
 * to the group can be recorded at the same time (APPI Art. 27). */
static void
agree_response_cb (AdwMessageDialog *dialog, const char *response, TsuMatchesSection *self)
{
  const char      *id = g_object_get_data (G_OBJECT (dialog), "match-id");
  GtkWidget       *check = g_object_get_data (G_OBJECT (dialog), "consent");
  g_autofree char *purpose = clean (entry_text (dialog, "purpose"));
  g_autofree char *note = clean (entry_text (dialog, "note"));
  JsonObject      *m;
  g_autofree char *volunteer = NULL;

  if (!g_str_equal (response, "record") || (m = find_match (self, id)) == NULL)
    return;
  volunteer = g_strdup (tsu_record_get_string (m, "volunteer_id"));
  do_step (self, id, "consented", note, NULL);
  if (check && gtk_check_button_get_active (GTK_CHECK_BUTTON (check)))
    {
      g_autoptr (GError) error = NULL;
      GDate d;

      today (&d);
      if (!tsu_volunteer_record_consent (self->store, volunteer, purpose, &d, &error))
        tsu_matching_error (GTK_WIDGET (self), error);
    }
}

static void
ask_agree (TsuMatchesSection *self, JsonObject *m)
{
  const char      *id = tsu_record_get_string (m, "id");
  g_autofree char *body
      = g_strdup_printf (_ ("%s agreed to help with “%s”."), tsu_record_get_string (m, "name"),
                         self->request_title ? self->request_title : "");
  AdwMessageDialog *dialog = dialog_new (self, _ ("Record the Agreement"), body, "record",
                                         _ ("_Record"), ADW_RESPONSE_SUGGESTED);
  GtkWidget        *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  g_object_set_data_full (G_OBJECT (dialog), "match-id", g_strdup (id), g_free);
  if (!tsu_record_get_bool (m, "consent"))
    {
      GtkWidget *check = gtk_check_button_new_with_mnemonic (
          _ ("They also consent to their contact details being _given to the group"));
      g_autofree char *purpose = g_strdup_printf (_ ("Referral to the requester of “%s” (%s)"),
                                                  self->request_title ? self->request_title : "",
                                                  self->request_number ? self->request_number : "");

      gtk_box_append (GTK_BOX (box), check);
      g_object_set_data (G_OBJECT (dialog), "consent", check);
      g_object_set_data (G_OBJECT (dialog), "purpose",
                         labelled_entry (box, _ ("_Purpose of the consent"), purpose));
    }
  g_object_set_data (G_OBJECT (dialog), "note", labelled_entry (box, _ ("_Note"), NULL));
  adw_message_dialog_set_extra_child (dialog, box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (agree_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* 辞退, 取消, 不参加 end a match: asked first, with a note. */
static void
final_response_cb (AdwMessageDialog *dialog, const char *response, TsuMatchesSection *self)
{
  g_autofree char *note = clean (entry_text (dialog, "note"));

  if (g_str_equal (response, "apply"))
    do_step (self, g_object_get_data (G_OBJECT (dialog), "match-id"),
             g_object_get_data (G_OBJECT (dialog), "state"), note, NULL);
}

static void
ask_final (TsuMatchesSection *self, JsonObject *m, const char *state)
{
  g_autofree char *heading = g_strdup_printf (_ ("Mark as “%s”?"), state_label (state));
  g_autofree char *body = g_strdup_printf (
      _ ("The match of %s ends here; it stays in the history and in the person's record."),
      tsu_record_get_string (m, "name"));
  AdwMessageDialog *dialog
      = dialog_new (self, heading, body, "apply", _ ("_Mark"), ADW_RESPONSE_DESTRUCTIVE);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  g_object_set_data_full (G_OBJECT (dialog), "match-id", g_strdup (tsu_record_get_string (m, "id")),
                          g_free);
  g_object_set_data (G_OBJECT (dialog), "state", (gpointer)state);
  g_object_set_data (G_OBJECT (dialog), "note", labelled_entry (box, _ ("_Note"), NULL));
  adw_message_dialog_set_extra_child (dialog, box);
  g_signal_connect_object (dialog, "response", G_CALLBACK (final_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (widget);
  const char        *id, *state;
  JsonObject        *m;

  g_variant_get (param, "(&s&s)", &id, &state);
  if ((m = find_match (self, id)) == NULL || self->store == NULL)
    return;
  /* Known codes only: the state is kept as given to the dialog. */
  for (guint i = 0; tsu_match_states[i].code; i++)
    if (g_str_equal (tsu_match_states[i].code, state))
      state = tsu_match_states[i].code;
  if (g_str_equal (state, "consented"))
    ask_agree (self, m);
  else if (g_str_equal (state, "declined") || g_str_equal (state, "cancelled")
           || g_str_equal (state, "no_show"))
    ask_final (self, m, state);
  else
    do_step (self, id, state, NULL, NULL);
}

/* ---- the 紹介票 ---- */

typedef struct
{
  TsuStore    *store;
  char        *match_id;
  TsuDateStyle style;
  char        *pdf;
} SlipData;

typedef struct
{
  TsuReferral *referral;
  char        *pdf;
} Slip;

static void
slip_data_free (SlipData *d)
{
  g_object_unref (d->store);
  g_free (d->match_id);
  g_free (d->pdf);
  g_free (d);
}

static void
slip_free (Slip *s)
{
  tsu_referral_free (s->referral);
  g_free (s->pdf);
  g_free (s);
}

static gpointer
slip_work (gpointer data, GError **error)
{
  SlipData    *d = data;
  TsuReferral *r = tsu_referral_new (d->store, d->match_id, d->style, error);
  Slip        *s;

  if (r == NULL)
    return NULL;
  s = g_new0 (Slip, 1);
  s->referral = r;
  s->pdf = g_strdup (d->pdf);
  return s;
}

static void
slip_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (widget);
  Slip              *s = result;
  TsuRecordPage     *page = tsu_matching_record_page (widget);
  g_autoptr (GError) local = NULL;
  g_autofree char *centre = NULL;

  if (error)
    {
      tsu_matching_error (widget, error);
      return;
    }
  centre = tsu_centre_name (page ? tsu_record_page_get_settings (page) : NULL);
  if (!tsu_matching_print_referral (tsu_matching_window (widget), self->store, s->referral, centre,
                                    s->pdf, &local))
    tsu_matching_error (widget, local);
  else if (s->pdf)
    tsu_matching_toast (widget, _ ("PDF saved"));
}

static void
slip (TsuMatchesSection *self, const char *id, const char *pdf)
{
  SlipData *d = g_new0 (SlipData, 1);

  d->store = g_object_ref (self->store);
  d->match_id = g_strdup (id);
  d->style = tsu_matching_date_style (GTK_WIDGET (self));
  d->pdf = g_strdup (pdf);
  tsu_matching_run (GTK_WIDGET (self), NULL, slip_work, d, (GDestroyNotify)slip_data_free,
                    slip_done, (GDestroyNotify)slip_free);
}

static void
pdf_chosen (GtkWidget *widget, const char *path, gpointer data)
{
  slip (TSU_MATCHES_SECTION (widget), data, path);
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (widget);
  const char        *id = g_variant_get_string (param, NULL);
  JsonObject        *m = find_match (self, id);

  if (m == NULL || self->store == NULL)
    return;
  if (g_str_equal (name, "match.print"))
    slip (self, id, NULL);
  else
    {
      /* TRANSLATORS: a file name: 紹介票-青木 花子.pdf */
      g_autofree char *file
          = g_strdup_printf (_ ("referral-%s.pdf"), tsu_record_get_string (m, "name"));

      tsu_matching_ask_save (widget, _ ("Save Referral Slip as PDF"), file, pdf_chosen,
                             g_strdup (id), g_free);
    }
}

/* ---- object ---- */

static void
tsu_matches_section_dispose (GObject *object)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_matches_section_parent_class)->dispose (object);
}

static void
tsu_matches_section_finalize (GObject *object)
{
  TsuMatchesSection *self = TSU_MATCHES_SECTION (object);

  g_free (self->request_id);
  g_free (self->request_title);
  g_free (self->request_number);
  g_clear_pointer (&self->matches, g_ptr_array_unref);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tsu_matches_section_parent_class)->finalize (object);
}

static void
tsu_matches_section_class_init (TsuMatchesSectionClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_matches_section_dispose;
  object_class->finalize = tsu_matches_section_finalize;
  gtk_widget_class_install_action (widget_class, "match.step", "(ss)", step_action);
  gtk_widget_class_install_action (widget_class, "match.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "match.pdf", "s", print_action);
}

static void
tsu_matches_section_init (TsuMatchesSection *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("People for This Request"));
  /* Found by name by screen readers and the AT-SPI tests. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("People for This Request"), -1);
}

GtkWidget *
tsu_matches_section_new (void)
{
  return g_object_new (TSU_TYPE_MATCHES_SECTION, NULL);
}
