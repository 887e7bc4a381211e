/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-group-editor.h"
#include "tsu-group.h"

typedef enum
{
  K_TEXT,
  K_READING,
  K_INT,
  K_DATE,
  K_MONTH,
  K_LEGAL,
  K_SWITCH,
} Kind;

enum
{
  G_BASIC,
  G_REP,
  G_OFFICE,
  G_CONTACT,
  G_ACTIVITY,
  G_REGISTRATION,
  G_DOCUMENTS,
  N_GROUPS
};

typedef struct
{
  const char *field;
  const char *label;
  Kind        kind;
  int         group;
} RowSpec;

static const RowSpec specs[] = {
  { "name", N_ ("Name"), K_TEXT, G_BASIC },
  { "name_kana", N_ ("Reading (フリガナ)"), K_READING, G_BASIC },
  { "legal_form", N_ ("Legal form"), K_LEGAL, G_BASIC },
  { "corporate_number", N_ ("Corporate number (13 digits)"), K_TEXT, G_BASIC },
  { "founded", N_ ("Founded (year and month)"), K_MONTH, G_BASIC },
  { "members_total", N_ ("Members"), K_INT, G_BASIC },
  { "members_in_city", N_ ("Members living in the city"), K_INT, G_BASIC },
  { "rep_family_name", N_ ("Family name"), K_TEXT, G_REP },
  { "rep_given_name", N_ ("Given name"), K_TEXT, G_REP },
  { "rep_family_kana", N_ ("Family name reading"), K_READING, G_REP },
  { "rep_given_kana", N_ ("Given name reading"), K_READING, G_REP },
  { "postal_code", N_ ("Postal code"), K_TEXT, G_OFFICE },
  { "address", N_ ("Address"), K_TEXT, G_OFFICE },
  { "phone", N_ ("Phone"), K_TEXT, G_OFFICE },
  { "email", N_ ("E-mail"), K_TEXT, G_OFFICE },
  { "website", N_ ("Website"), K_TEXT, G_OFFICE },
  { "sns", N_ ("Social media"), K_TEXT, G_OFFICE },
  { "contact_family_name", N_ ("Family name"), K_TEXT, G_CONTACT },
  { "contact_given_name", N_ ("Given name"), K_TEXT, G_CONTACT },
  { "contact_family_kana", N_ ("Family name reading"), K_READING, G_CONTACT },
  { "contact_given_kana", N_ ("Given name reading"), K_READING, G_CONTACT },
  { "contact_postal_code", N_ ("Postal code"), K_TEXT, G_CONTACT },
  { "contact_address", N_ ("Address"), K_TEXT, G_CONTACT },
  { "contact_phone", N_ ("Phone"), K_TEXT, G_CONTACT },
  { "contact_email", N_ ("E-mail"), K_TEXT, G_CONTACT },
  { "purpose", N_ ("Purpose"), K_TEXT, G_ACTIVITY },
  { "activities", N_ ("Activities"), K_TEXT, G_ACTIVITY },
  { "meeting_place", N_ ("Where they meet"), K_TEXT, G_ACTIVITY },
  { "meeting_schedule", N_ ("When they meet"), K_TEXT, G_ACTIVITY },
  { "recruiting", N_ ("Recruiting members"), K_SWITCH, G_ACTIVITY },
  { "dues", N_ ("Membership dues"), K_TEXT, G_ACTIVITY },
  { "registration_number", N_ ("Registration number"), K_TEXT, G_REGISTRATION },
  { "applied_on", N_ ("Applied on"), K_DATE, G_REGISTRATION },
  { "registered_on", N_ ("Registered on"), K_DATE, G_REGISTRATION },
  { "renewed_on", N_ ("Renewed on"), K_DATE, G_REGISTRATION },
  { "withdrawn_on", N_ ("Withdrawn on"), K_DATE, G_REGISTRATION },
  { "notes", N_ ("Notes"), K_TEXT, G_REGISTRATION },
  { "attach_rules_on", N_ ("Rules or articles (規約・定款)"), K_DATE, G_DOCUMENTS },
  { "attach_officers_on", N_ ("List of officers (役員名簿)"), K_DATE, G_DOCUMENTS },
  { "attach_plan_on", N_ ("Plan and budget (事業計画・予算)"), K_DATE, G_DOCUMENTS },
  { "attach_report_on", N_ ("Report and accounts (活動報告・決算)"), K_DATE, G_DOCUMENTS },
};

/* NULL-terminated: gtk_string_list_new() reads up to the NULL. */
static const char *legal_forms[] = {
  "任意団体",     "NPO法人",      "一般社団法人", "一般財団法人", "公益社団法人",
  "公益財団法人", "社会福祉法人", "その他",       NULL,
};

static const struct
{
  const char *decl;
  const char *label;
} declarations[] = {
  { TSU_GROUP_DECL_NON_PROFIT, N_ ("Non-profit") },
  { TSU_GROUP_DECL_PUBLIC_BENEFIT, N_ ("Activities serve the public") },
  { TSU_GROUP_DECL_NOT_RELIGIOUS, N_ ("Not mainly religious, political or electoral") },
  { TSU_GROUP_DECL_NO_CRIME, N_ ("Free of organized crime (暴力団) control") },
};

#define N_SPECS G_N_ELEMENTS (specs)
#define N_DECLS G_N_ELEMENTS (declarations)
#define N_PUBLISH 10

struct _TsuGroupEditor
{
  GtkBox parent_instance;

  GtkWidget           *back_button;
  GtkLabel            *title_label;
  GtkLabel            *status_label;
  GtkWidget           *register_button;
  GtkWidget           *renew_button;
  AdwPreferencesPage  *page;
  AdwPreferencesGroup *problems_group;
  AdwPreferencesGroup *basic_group;
  AdwPreferencesGroup *rep_group;
  AdwPreferencesGroup *office_group;
  AdwPreferencesGroup *contact_group;
  AdwPreferencesGroup *publish_group;
  AdwPreferencesGroup *activity_group;
  AdwPreferencesGroup *registration_group;
  AdwPreferencesGroup *declaration_group;
  AdwPreferencesGroup *documents_group;
  AdwPreferencesGroup *history_group;

  GtkWidget     *rows[N_SPECS];
  GtkWidget     *switches[N_SPECS];
  GtkStringList *legal_model;
  GtkWidget     *field_checks[TSU_GROUP_N_FIELDS];
  GtkWidget     *fields_row;
  GtkWidget     *publish_switches[N_PUBLISH];
  GtkWidget     *decl_switches[N_DECLS];
  GtkWidget     *valid_row;
  GPtrArray     *problem_rows;
  GPtrArray     *history_rows;

  TsuStore    *store;
  char        *id;
  JsonObject  *record;
  TsuDateStyle date_style;
  guint        renewal_days;
  guint        min_members;
  gboolean     loading;
  gboolean     dirty;
  char        *confirmed_duplicates; /* the values duplicates were shown for */
};

G_DEFINE_FINAL_TYPE (TsuGroupEditor, tsu_group_editor, GTK_TYPE_BOX)

enum
{
  SAVED,
  OPEN_GROUP,
  CANCELLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static AdwPreferencesGroup *
group_for (TsuGroupEditor *self, int group)
{
  AdwPreferencesGroup *groups[N_GROUPS] = {
    self->basic_group,    self->rep_group,          self->office_group,    self->contact_group,
    self->activity_group, self->registration_group, self->documents_group,
  };
  return groups[group];
}

static void
mark_dirty (TsuGroupEditor *self)
{
  if (self->loading || self->dirty)
    return;
  self->dirty = TRUE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", TRUE);
}

static void
set_accessible_label (GtkWidget *row, const char *label)
{
  GtkEditable *delegate = gtk_editable_get_delegate (GTK_EDITABLE (row));

  /* Screen readers (and the AT-SPI test) find the text by its row title. */
  if (delegate)
    gtk_accessible_update_property (GTK_ACCESSIBLE (delegate), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                    -1);
}

static void
build_rows (TsuGroupEditor *self)
{
  const char *const *publishable = tsu_group_publishable_fields ();

  self->legal_model = gtk_string_list_new (legal_forms);
  for (guint i = 0; i < N_SPECS; i++)
    {
      const RowSpec *s = &specs[i];
      GtkWidget     *row;

      switch (s->kind)
        {
        case K_LEGAL:
          row = adw_combo_row_new ();
          adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->legal_model));
          g_signal_connect_object (row, "notify::selected", G_CALLBACK (mark_dirty), self,
                                   G_CONNECT_SWAPPED);
          break;
        case K_SWITCH:
          row = adw_action_row_new ();
          self->switches[i] = gtk_switch_new ();
          gtk_widget_set_valign (self->switches[i], GTK_ALIGN_CENTER);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->switches[i]);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->switches[i]);
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->switches[i]),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL, _ (s->label), -1);
          g_signal_connect_object (self->switches[i], "notify::active", G_CALLBACK (mark_dirty),
                                   self, G_CONNECT_SWAPPED);
          break;
        default:
          row = adw_entry_row_new ();
          g_signal_connect_object (row, "changed", G_CALLBACK (mark_dirty), self,
                                   G_CONNECT_SWAPPED);
          break;
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (s->label));
      if (ADW_IS_ENTRY_ROW (row))
        set_accessible_label (row, _ (s->label));
      gtk_widget_set_name (row, s->field);
      self->rows[i] = row;
      adw_preferences_group_add (group_for (self, s->group), row);

      if (g_str_equal (s->field, "members_in_city"))
        {
          /* The activity fields go in their own expander. */
        }
      if (g_str_equal (s->field, "registered_on"))
        {
          self->valid_row = adw_action_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->valid_row),
                                         _ ("Valid through"));
          adw_preferences_group_add (self->registration_group, self->valid_row);
        }
    }

  self->fields_row = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fields_row), _ ("Activity fields"));
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    {
      GtkWidget       *row = adw_action_row_new ();
      GtkWidget       *check = gtk_check_button_new ();
      g_autofree char *title = g_strdup_printf ("%u %s", c, tsu_group_field_name (c));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      g_signal_connect_object (check, "notify::active", G_CALLBACK (mark_dirty), self,
                               G_CONNECT_SWAPPED);
      self->field_checks[c - 1] = check;
      adw_expander_row_add_row (ADW_EXPANDER_ROW (self->fields_row), row);
    }
  adw_preferences_group_add (self->activity_group, self->fields_row);

  for (guint p = 0; publishable[p] && p < N_PUBLISH; p++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     tsu_group_publishable_label (publishable[p]));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      tsu_group_publishable_label (publishable[p]), -1);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (mark_dirty), self,
                               G_CONNECT_SWAPPED);
      self->publish_switches[p] = sw;
      adw_preferences_group_add (self->publish_group, row);
    }

  for (guint d = 0; d < N_DECLS; d++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *sw = gtk_switch_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ (declarations[d].label));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ (declarations[d].label), -1);
      g_signal_connect_object (sw, "notify::active", G_CALLBACK (mark_dirty), self,
                               G_CONNECT_SWAPPED);
      self->decl_switches[d] = sw;
      adw_preferences_group_add (self->declaration_group, row);
    }
}

static const char *
get_str (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static gboolean
array_has_string (JsonObject *o, const char *member, const char *value)
{
  JsonNode  *n = o ? json_object_get_member (o, member) : NULL;
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (e), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
array_has_int (JsonObject *o, const char *member, gint64 value)
{
  JsonNode  *n = o ? json_object_get_member (o, member) : NULL;
  JsonArray *a;

  if (n == NULL || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  a = json_node_get_array (n);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_INT64
          && json_node_get_int (e) == value)
        return TRUE;
    }
  return FALSE;
}

static char *
format_date (TsuGroupEditor *self, const char *iso)
{
  GDate d;

  if (iso == NULL)
    return g_strdup ("");
  if (!tsu_date_from_iso (iso, &d))
    return g_strdup (iso);
  return tsu_date_format (&d, self->date_style);
}

/* adw_preferences_page_scroll_to_top() is libadwaita 1.3. */
static void
scroll_to_top (TsuGroupEditor *self)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (self->page)); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w)), 0);
}

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

static void
clear_problems (TsuGroupEditor *self)
{
  clear_rows (self->problems_group, self->problem_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
  for (guint i = 0; i < N_SPECS; i++)
    {
      gtk_widget_remove_css_class (self->rows[i], "error");
      gtk_widget_set_tooltip_text (self->rows[i], NULL);
    }
}

static GtkWidget *
row_for_field (TsuGroupEditor *self, const char *field)
{
  for (guint i = 0; field && i < N_SPECS; i++)
    if (g_str_equal (specs[i].field, field))
      return self->rows[i];
  return NULL;
}

static void
open_duplicate_cb (GtkButton *button, TsuGroupEditor *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "group-id");

  g_signal_emit (self, signals[OPEN_GROUP], 0, id);
}

static void
add_problem_row (TsuGroupEditor *self, const char *message, gboolean is_error, const char *open_id)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic"
                                                           : "dialog-warning-symbolic");

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), message);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
  if (open_id)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "group-id", g_strdup (open_id), g_free);
      g_signal_connect_object (button, "clicked", G_CALLBACK (open_duplicate_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  adw_preferences_group_add (self->problems_group, row);
  g_ptr_array_add (self->problem_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), TRUE);
}

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "insert") == 0)
    return _ ("Added");
  if (g_strcmp0 (action, "delete") == 0)
    return _ ("Deleted");
  if (g_strcmp0 (action, "undelete") == 0)
    return _ ("Restored");
  return _ ("Changed");
}

static char *
value_text (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup (_ ("(empty)"));
  if (JSON_NODE_HOLDS_VALUE (node))
    {
      GType t = json_node_get_value_type (node);
      if (t == G_TYPE_STRING)
        return g_strdup (json_node_get_string (node));
      if (t == G_TYPE_INT64)
        return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      if (t == G_TYPE_BOOLEAN)
        return g_strdup (json_node_get_boolean (node) ? _ ("Yes") : _ ("No"));
    }
  return json_to_string (node, FALSE);
}

static void
fill_history (TsuGroupEditor *self)
{
  g_autoptr (JsonArray) history = NULL;
  g_autoptr (GError) error = NULL;

  clear_rows (self->history_group, self->history_rows);
  if (self->id == NULL)
    return;
  history = tsu_store_get_history (self->store, "groups", self->id, &error);
  if (history == NULL)
    {
      g_warning ("Cannot read history: %s", error->message);
      return;
    }
  /* Newest first: that is what the counter asks about. */
  for (int i = (int)json_array_get_length (history) - 1; i >= 0; i--)
    {
      JsonObject *e = json_array_get_object_element (history, i);
      JsonObject *changes = json_object_get_object_member (e, "changes");
      const char *at = json_object_get_string_member (e, "at");
      g_autoptr (GDateTime) dt = g_date_time_new_from_iso8601 (at, NULL);
      g_autoptr (GDateTime) local = dt ? g_date_time_to_local (dt) : NULL;
      g_autofree char *when = local ? g_date_time_format (local, "%Y-%m-%d %H:%M") : g_strdup (at);
      g_autofree char *subtitle = NULL;
      GtkWidget       *row = adw_expander_row_new ();
      GList           *members = changes ? json_object_get_members (changes) : NULL;
      g_autoptr (GString) summary = g_string_new (NULL);

      for (GList *l = members; l; l = l->next)
        {
          JsonObject      *c = json_object_get_object_member (changes, l->data);
          g_autofree char *old = value_text (json_object_get_member (c, "old"));
          g_autofree char *new = value_text (json_object_get_member (c, "new"));
          g_autofree char *text = g_strdup_printf ("%s → %s", old, new);
          GtkWidget       *child = adw_action_row_new ();

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (child),
                                         tsu_group_field_label (l->data));
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (child), FALSE);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (child), text);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (row), child);
          if (summary->len < 200)
            {
              if (summary->len)
                g_string_append (summary, "、");
              g_string_append (summary, tsu_group_field_label (l->data));
            }
        }
      g_list_free (members);
      subtitle = g_strdup_printf ("%s ・ %s ・ %s", json_object_get_string_member (e, "author"),
                                  action_label (json_object_get_string_member (e, "action")),
                                  summary->str);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), when);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row), subtitle);
      /* The latest change is open: it is usually what was just done. */
      if (self->history_rows->len == 0)
        adw_expander_row_set_expanded (ADW_EXPANDER_ROW (row), TRUE);
      adw_preferences_group_add (self->history_group, row);
      g_ptr_array_add (self->history_rows, row);
    }
}

static void
update_header (TsuGroupEditor *self)
{
  const char      *name = get_str (self->record, "name");
  GDate            today;
  TsuGroupStatus   status;
  int              valid;
  g_autofree char *status_text = NULL;

  tsu_group_today (&today);
  if (self->id == NULL)
    {
      gtk_label_set_text (self->title_label, _ ("New Group"));
      gtk_label_set_text (self->status_label, _ ("Not saved yet"));
      gtk_widget_set_visible (self->register_button, FALSE);
      gtk_widget_set_visible (self->renew_button, FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->valid_row), "");
      return;
    }
  status = tsu_group_status (self->record, &today, self->renewal_days);
  valid = tsu_group_valid_fiscal_year (self->record);
  if (valid > 0)
    {
      g_autofree char *fy = tsu_fiscal_year_format (valid, self->date_style);
      status_text
          = g_strdup_printf (_ ("%s ・ valid through %s"), tsu_group_status_name (status), fy);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->valid_row), fy);
    }
  else
    {
      status_text = g_strdup (tsu_group_status_name (status));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (self->valid_row), "");
    }
  gtk_label_set_text (self->title_label, name ? name : "");
  gtk_label_set_text (self->status_label, status_text);
  gtk_widget_set_visible (self->register_button, status == TSU_GROUP_STATUS_APPLYING);
  gtk_widget_set_visible (self->renew_button, status == TSU_GROUP_STATUS_RENEWAL_DUE
                                                  || status == TSU_GROUP_STATUS_LAPSED
                                                  || status == TSU_GROUP_STATUS_REGISTERED);
}

static void
fill (TsuGroupEditor *self)
{
  const char *const *publishable = tsu_group_publishable_fields ();

  self->loading = TRUE;
  for (guint i = 0; i < N_SPECS; i++)
    {
      const RowSpec *s = &specs[i];
      JsonNode      *n = self->record ? json_object_get_member (self->record, s->field) : NULL;

      switch (s->kind)
        {
        case K_LEGAL:
          {
            const char *v = get_str (self->record, s->field);
            guint       pos = 0;

            if (v == NULL)
              v = legal_forms[0];
            for (pos = 0; pos < g_list_model_get_n_items (G_LIST_MODEL (self->legal_model)); pos++)
              if (g_str_equal (gtk_string_list_get_string (self->legal_model, pos), v))
                break;
            if (pos == g_list_model_get_n_items (G_LIST_MODEL (self->legal_model)))
              gtk_string_list_append (self->legal_model, v);
            adw_combo_row_set_selected (ADW_COMBO_ROW (self->rows[i]), pos);
          }
          break;
        case K_SWITCH:
          gtk_switch_set_active (GTK_SWITCH (self->switches[i]),
                                 n && JSON_NODE_HOLDS_VALUE (n)
                                     && json_node_get_value_type (n) == G_TYPE_BOOLEAN
                                     && json_node_get_boolean (n));
          break;
        case K_INT:
          {
            g_autofree char *t
                = n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64
                      ? g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n))
                      : g_strdup ("");
            gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), t);
          }
          break;
        case K_DATE:
          {
            g_autofree char *t = format_date (self, get_str (self->record, s->field));
            gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), t);
          }
          break;
        default:
          {
            const char *v = get_str (self->record, s->field);
            gtk_editable_set_text (GTK_EDITABLE (self->rows[i]), v ? v : "");
          }
          break;
        }
    }
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    gtk_check_button_set_active (GTK_CHECK_BUTTON (self->field_checks[c - 1]),
                                 array_has_int (self->record, "fields", c));
  {
    g_autoptr (GString) names = g_string_new (NULL);
    for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
      if (array_has_int (self->record, "fields", c))
        {
          if (names->len)
            g_string_append (names, "、");
          g_string_append (names, tsu_group_field_name (c));
        }
    adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self->fields_row), names->str);
  }
  for (guint p = 0; publishable[p] && p < N_PUBLISH; p++)
    gtk_switch_set_active (GTK_SWITCH (self->publish_switches[p]),
                           array_has_string (self->record, "public_fields", publishable[p]));
  for (guint d = 0; d < N_DECLS; d++)
    gtk_switch_set_active (GTK_SWITCH (self->decl_switches[d]),
                           array_has_string (self->record, "declarations", declarations[d].decl));
  self->loading = FALSE;
  self->dirty = FALSE;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", self->id == NULL);
  g_clear_pointer (&self->confirmed_duplicates, g_free);
  clear_problems (self);
  update_header (self);
  fill_history (self);
}

/* Reads the rows into a record. Values that cannot be read (a date that
 * is no date) are reported in @problems. */
static JsonObject *
collect (TsuGroupEditor *self, GPtrArray *problems)
{
  const char *const *publishable = tsu_group_publishable_fields ();
  JsonObject        *o = json_object_new ();
  JsonArray         *fields = json_array_new ();
  JsonArray         *pub = json_array_new ();
  JsonArray         *decl = json_array_new ();

  for (guint i = 0; i < N_SPECS; i++)
    {
      const RowSpec   *s = &specs[i];
      const char      *text = ADW_IS_ENTRY_ROW (self->rows[i])
                                  ? gtk_editable_get_text (GTK_EDITABLE (self->rows[i]))
                                  : NULL;
      g_autofree char *t = text ? g_strstrip (g_strdup (text)) : NULL;

      switch (s->kind)
        {
        case K_LEGAL:
          {
            guint pos = adw_combo_row_get_selected (ADW_COMBO_ROW (self->rows[i]));
            json_object_set_string_member (o, s->field,
                                           gtk_string_list_get_string (self->legal_model, pos));
          }
          break;
        case K_SWITCH:
          json_object_set_boolean_member (o, s->field,
                                          gtk_switch_get_active (GTK_SWITCH (self->switches[i])));
          break;
        case K_INT:
          {
            g_autofree char *n = g_utf8_normalize (t, -1, G_NORMALIZE_NFKC);
            guint64          v;

            if (n == NULL || *n == '\0')
              json_object_set_null_member (o, s->field);
            else if (g_ascii_string_to_unsigned (g_strstrip (n), 10, 0, 1000000, &v, NULL))
              json_object_set_int_member (o, s->field, (gint64)v);
            else
              {
                TsuGroupProblem *p = g_new0 (TsuGroupProblem, 1);
                p->field = g_strdup (s->field);
                p->message = g_strdup_printf (_ ("%s: enter a number of people."), _ (s->label));
                p->is_error = TRUE;
                g_ptr_array_add (problems, p);
              }
          }
          break;
        case K_DATE:
          {
            GDate d;
            g_autoptr (GError) error = NULL;

            g_date_clear (&d, 1);
            if (*t == '\0')
              json_object_set_null_member (o, s->field);
            else if (tsu_date_parse (t, &d, &error))
              {
                g_autofree char *iso = tsu_date_to_iso (&d);
                json_object_set_string_member (o, s->field, iso);
              }
            else
              {
                TsuGroupProblem *p = g_new0 (TsuGroupProblem, 1);
                p->field = g_strdup (s->field);
                p->message = g_strdup_printf ("%s: %s", _ (s->label), error->message);
                p->is_error = TRUE;
                g_ptr_array_add (problems, p);
              }
          }
          break;
        case K_MONTH:
          {
            g_autofree char *n = g_utf8_normalize (t, -1, G_NORMALIZE_NFKC);
            int              y = 0, m = 0;
            GDate            d;

            g_date_clear (&d, 1);
            if (n == NULL || *n == '\0')
              json_object_set_null_member (o, s->field);
            else if ((sscanf (n, "%d-%d", &y, &m) == 2 || sscanf (n, "%d/%d", &y, &m) == 2
                      || sscanf (n, "%d年%d月", &y, &m) == 2)
                     && y > 1800 && m >= 1 && m <= 12)
              {
                g_autofree char *v = g_strdup_printf ("%04d-%02d", y, m);
                json_object_set_string_member (o, s->field, v);
              }
            else if (tsu_date_parse (n, &d, NULL))
              {
                g_autofree char *v
                    = g_strdup_printf ("%04d-%02d", g_date_get_year (&d), g_date_get_month (&d));
                json_object_set_string_member (o, s->field, v);
              }
            else
              {
                TsuGroupProblem *p = g_new0 (TsuGroupProblem, 1);
                p->field = g_strdup (s->field);
                p->message = g_strdup_printf (_ ("%s: write the year and month, like 2019-04."),
                                              _ (s->label));
                p->is_error = TRUE;
                g_ptr_array_add (problems, p);
              }
          }
          break;
        default:
          json_object_set_string_member (o, s->field, t);
          break;
        }
    }
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    if (gtk_check_button_get_active (GTK_CHECK_BUTTON (self->field_checks[c - 1])))
      json_array_add_int_element (fields, c);
  for (guint p = 0; publishable[p] && p < N_PUBLISH; p++)
    if (gtk_switch_get_active (GTK_SWITCH (self->publish_switches[p])))
      json_array_add_string_element (pub, publishable[p]);
  for (guint d = 0; d < N_DECLS; d++)
    if (gtk_switch_get_active (GTK_SWITCH (self->decl_switches[d])))
      json_array_add_string_element (decl, declarations[d].decl);
  json_object_set_array_member (o, "fields", fields);
  json_object_set_array_member (o, "public_fields", pub);
  json_object_set_array_member (o, "declarations", decl);
  return o;
}

static void
show_problems (TsuGroupEditor *self, GPtrArray *problems)
{
  GtkWidget *first = NULL;

  for (guint i = 0; i < problems->len; i++)
    {
      TsuGroupProblem *p = g_ptr_array_index (problems, i);
      GtkWidget       *row = row_for_field (self, p->field);

      add_problem_row (self, p->message, p->is_error, NULL);
      if (row && p->is_error)
        {
          gtk_widget_add_css_class (row, "error");
          gtk_widget_set_tooltip_text (row, p->message);
          if (first == NULL)
            first = row;
        }
    }
  /* The list of problems at the top says what to fix; the rows in
   * question are marked red below it. */
  (void)first;
  scroll_to_top (self);
}

/**
 * tsu_group_editor_save:
 *
 * Checks and saves through the store's write path. Errors are shown
 * inline; a new group that looks like an existing one is shown with its
 * likely duplicates first, and saved when the user saves again.
 *
 * Returns: %TRUE when saved
 */
gboolean
tsu_group_editor_save (TsuGroupEditor *self)
{
  g_autoptr (GPtrArray) problems = tsu_group_problems_new ();
  g_autoptr (JsonObject) values = NULL;
  g_autoptr (JsonObject) norm = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *new_id = NULL;

  g_return_val_if_fail (TSU_IS_GROUP_EDITOR (self), FALSE);

  clear_problems (self);
  values = collect (self, problems);
  norm = tsu_group_normalize (values, problems);
  if (tsu_group_problems_have_error (problems))
    {
      show_problems (self, problems);
      return FALSE;
    }

  if (self->id == NULL)
    {
      g_autoptr (JsonArray) dups = tsu_group_find_duplicates (self->store, norm, NULL, &error);
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), norm);
      g_autofree char *key = json_to_string (node, FALSE);

      if (dups && json_array_get_length (dups) > 0
          && g_strcmp0 (key, self->confirmed_duplicates) != 0)
        {
          add_problem_row (self,
                           _ ("This group may already be registered. Open the existing one, or "
                              "save again to add it anyway."),
                           FALSE, NULL);
          for (guint i = 0; i < json_array_get_length (dups); i++)
            {
              JsonObject      *d = json_array_get_object_element (dups, i);
              g_autofree char *msg
                  = g_strdup_printf ("%s (%s)", json_object_get_string_member (d, "name"),
                                     json_object_get_string_member (d, "reason"));
              add_problem_row (self, msg, FALSE, json_object_get_string_member (d, "id"));
            }
          g_free (self->confirmed_duplicates);
          self->confirmed_duplicates = g_steal_pointer (&key);
          scroll_to_top (self);
          return FALSE;
        }
      new_id = tsu_store_insert (self->store, "groups", norm, &error);
      if (new_id == NULL)
        {
          add_problem_row (self, error->message, TRUE, NULL);
          return FALSE;
        }
      g_free (self->id);
      self->id = g_strdup (new_id);
    }
  else if (!tsu_store_update (self->store, "groups", self->id, norm, &error))
    {
      add_problem_row (self, error->message, TRUE, NULL);
      return FALSE;
    }

  if (!tsu_group_editor_load (self, self->id, &error))
    g_warning ("Cannot reload group: %s", error->message);
  /* Warnings stay visible after a save: they are advice, not refusals. */
  {
    g_autoptr (GPtrArray) advice = tsu_group_problems_new ();
    GDate today;

    tsu_group_today (&today);
    if (tsu_group_status (self->record, &today, self->renewal_days) == TSU_GROUP_STATUS_APPLYING)
      tsu_group_check_eligibility (self->record, self->min_members, advice);
    for (guint i = 0; i < advice->len; i++)
      add_problem_row (self, ((TsuGroupProblem *)g_ptr_array_index (advice, i))->message, FALSE,
                       NULL);
  }
  g_signal_emit (self, signals[SAVED], 0, self->id);
  return TRUE;
}

/**
 * tsu_group_editor_revert:
 *
 * Drops unsaved changes.
 */
void
tsu_group_editor_revert (TsuGroupEditor *self)
{
  fill (self);
}

static void
save_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  tsu_group_editor_save (TSU_GROUP_EDITOR (widget));
}

static void
cancel_action (GtkWidget *widget, const char *action_name, GVariant *parameter)
{
  TsuGroupEditor *self = TSU_GROUP_EDITOR (widget);

  fill (self);
  g_signal_emit (self, signals[CANCELLED], 0);
}

static void
tsu_group_editor_dispose (GObject *object)
{
  TsuGroupEditor *self = TSU_GROUP_EDITOR (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_GROUP_EDITOR);
  g_clear_object (&self->store);
  g_clear_object (&self->legal_model);
  G_OBJECT_CLASS (tsu_group_editor_parent_class)->dispose (object);
}

static void
tsu_group_editor_finalize (GObject *object)
{
  TsuGroupEditor *self = TSU_GROUP_EDITOR (object);

  g_free (self->id);
  g_free (self->confirmed_duplicates);
  g_clear_pointer (&self->record, json_object_unref);
  g_ptr_array_unref (self->problem_rows);
  g_ptr_array_unref (self->history_rows);
  G_OBJECT_CLASS (tsu_group_editor_parent_class)->finalize (object);
}

static void
tsu_group_editor_class_init (TsuGroupEditorClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_group_editor_dispose;
  object_class->finalize = tsu_group_editor_finalize;

  /**
   * TsuGroupEditor::saved:
   * @id: the group saved
   */
  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                 NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /**
   * TsuGroupEditor::open-group:
   * @id: a likely duplicate the user wants to see
   */
  signals[OPEN_GROUP] = g_signal_new ("open-group", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                      NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 0);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-group-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, back_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, title_label);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, status_label);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, register_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, renew_button);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, page);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, basic_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, rep_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, office_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, contact_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, publish_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, activity_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, registration_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, declaration_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, documents_group);
  gtk_widget_class_bind_template_child (widget_class, TsuGroupEditor, history_group);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "editor.cancel", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "editor.cancel", NULL);
}

static void
tsu_group_editor_init (TsuGroupEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->problem_rows = g_ptr_array_new ();
  self->history_rows = g_ptr_array_new ();
  self->renewal_days = TSU_GROUP_DEFAULT_RENEWAL_DAYS;
  self->min_members = TSU_GROUP_DEFAULT_MIN_MEMBERS;
  build_rows (self);
}

void
tsu_group_editor_set_store (TsuGroupEditor *self, TsuStore *store)
{
  g_set_object (&self->store, store);
}

void
tsu_group_editor_set_date_style (TsuGroupEditor *self, TsuDateStyle style)
{
  self->date_style = style;
}

void
tsu_group_editor_set_renewal_days (TsuGroupEditor *self, guint days)
{
  self->renewal_days = days;
}

void
tsu_group_editor_set_min_members (TsuGroupEditor *self, guint min_members)
{
  self->min_members = min_members;
}

/**
 * tsu_group_editor_load:
 * @id: (nullable): the group to show, or %NULL for a new one
 *
 * Returns: %TRUE when shown
 */
gboolean
tsu_group_editor_load (TsuGroupEditor *self, const char *id, GError **error)
{
  JsonObject *record = NULL;

  g_return_val_if_fail (TSU_IS_GROUP_EDITOR (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (id != NULL)
    {
      record = tsu_store_get (self->store, "groups", id, error);
      if (record == NULL)
        return FALSE;
    }
  else
    {
      g_autofree char *today = NULL;
      GDate            d;

      record = json_object_new ();
      tsu_group_today (&d);
      today = tsu_date_to_iso (&d);
      json_object_set_string_member (record, "applied_on", today);
    }
  if (id != self->id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record;
  fill (self);
  return TRUE;
}

const char *
tsu_group_editor_get_id (TsuGroupEditor *self)
{
  return self->id;
}

/**
 * tsu_group_editor_get_record:
 *
 * Returns: (transfer none) (nullable): the stored record shown
 */
JsonObject *
tsu_group_editor_get_record (TsuGroupEditor *self)
{
  return self->record;
}

gboolean
tsu_group_editor_get_dirty (TsuGroupEditor *self)
{
  return self->dirty;
}

void
tsu_group_editor_set_folded (TsuGroupEditor *self, gboolean folded)
{
  gtk_widget_set_visible (self->back_button, folded);
}

/**
 * tsu_group_editor_focus_first:
 *
 * Puts the keyboard in the name row (for a new group).
 */
void
tsu_group_editor_focus_first (TsuGroupEditor *self)
{
  scroll_to_top (self);
  gtk_widget_grab_focus (self->rows[0]);
}
