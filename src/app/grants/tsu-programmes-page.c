/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The grants page: only what programmes have beyond any record page. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-programmes-page.h"
#include "tsu-grants-application-dialog.h"
#include "tsu-grants-collections.h"
#include "tsu-grants-print.h"
#include "tsu-grants-task.h"
#include "tsu-grants-tell-dialog.h"
#include "tsu-grants-tiers-dialog.h"
#include "tsu-grants.h"
#include "tsu-group.h"
#include "tsu-record.h"

struct _TsuProgrammesPage
{
  TsuRecordPage parent_instance;

  GtkDropDown         *show_dropdown;
  GtkDropDown         *field_dropdown;
  GtkDropDown         *kind_dropdown;
  GtkWidget           *tell_button;
  AdwPreferencesGroup *groups_group;
  AdwActionRow        *no_groups_row;
  AdwPreferencesGroup *tiers_group;

  GPtrArray    *group_rows; /* rows added to groups_group */
  GPtrArray    *tier_rows;  /* rows added to tiers_group */
  GCancellable *groups_cancel;
  JsonArray    *funders;   /* {id, name} for the funder picker */
  char         *print_pdf; /* a PDF to write instead of printing (tests) */
  GtkListBox   *funder_list;
  gulong        store_handler;
  TsuStore     *watched;
  GDate         listed_on; /* the day the list's sections were judged */
  guint         day_timer;
  gboolean      clearing;
  gboolean      filling_groups;
};

G_DEFINE_FINAL_TYPE (TsuProgrammesPage, tsu_programmes_page, TSU_TYPE_RECORD_PAGE)

#define PAGE(self) TSU_RECORD_PAGE (self)

static void tsu_programmes_page_resources_ensure (void);
static void load_groups (TsuProgrammesPage *self);
static void load_funders (TsuProgrammesPage *self);

static const char *
current_id (TsuProgrammesPage *self)
{
  return tsu_record_form_get_id (tsu_record_page_get_form (PAGE (self)));
}

static JsonObject *
current (TsuProgrammesPage *self)
{
  TsuRecordForm *form = tsu_record_page_get_form (PAGE (self));

  return tsu_record_form_get_id (form) ? tsu_record_form_get_record (form) : NULL;
}

static GtkWindow *
window_of (TsuProgrammesPage *self)
{
  return tsu_record_page_get_window (PAGE (self));
}

/* ---- the list ---- */

static void
add_range (TsuRecordQuery *q, TsuDeadlineBucket bucket)
{
  g_autofree char *from = NULL, *to = NULL;

  tsu_grants_bucket_range (bucket, &q->today, &from, &to);
  if (from)
    tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_GE, from);
  if (to)
    tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_LT, to);
}

static void
prepare_query (TsuRecordPage *page, TsuRecordQuery *q)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (page);
  guint              show = gtk_drop_down_get_selected (self->show_dropdown);
  guint              field = gtk_drop_down_get_selected (self->field_dropdown);
  guint              kind = gtk_drop_down_get_selected (self->kind_dropdown);
  static const int   buckets[] = { -1,
                                   TSU_DEADLINE_THIS_WEEK,
                                   TSU_DEADLINE_THIS_MONTH,
                                   TSU_DEADLINE_LATER,
                                   TSU_DEADLINE_ANY_TIME,
                                   TSU_DEADLINE_PAST };

  self->listed_on = q->today;
  /* Upcoming: from today on, 随時 last (their keys sort after every date). */
  if (show == TSU_PROGRAMMES_UPCOMING || show == GTK_INVALID_LIST_POSITION)
    {
      g_autofree char *today = tsu_date_to_iso (&q->today);
      tsu_record_query_add_filter (q, "deadline_key", TSU_FILTER_GE, today);
    }
  else if (show < G_N_ELEMENTS (buckets))
    add_range (q, buckets[show]);
  if (field != GTK_INVALID_LIST_POSITION && field > 0)
    {
      g_autofree char *v = g_strdup_printf ("%u", field);
      tsu_record_query_add_filter (q, "fields", TSU_FILTER_CONTAINS, v);
    }
  if (kind != GTK_INVALID_LIST_POSITION && kind > 0)
    tsu_record_query_add_filter (q, "kind", TSU_FILTER_EQ, tsu_programme_kinds[kind - 1].code);
  /* Headings (今週, 今月…) while the list is in deadline order. */
  tsu_record_list_view_set_section (tsu_record_page_get_list_view (page),
                                    g_strcmp0 (q->sort, "deadline") == 0 ? "bucket" : NULL);
}

static char *
describe_filters (TsuRecordPage *page)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (page);
  guint              show = gtk_drop_down_get_selected (self->show_dropdown);
  guint              field = gtk_drop_down_get_selected (self->field_dropdown);
  guint              kind = gtk_drop_down_get_selected (self->kind_dropdown);
  g_autoptr (GString) s = g_string_new (NULL);

  /* Upcoming deadlines are what the page is for: not a filter to clear. */
  if (show != GTK_INVALID_LIST_POSITION && show != TSU_PROGRAMMES_UPCOMING)
    g_string_append (
        s, gtk_string_object_get_string (gtk_drop_down_get_selected_item (self->show_dropdown)));
  if (field != GTK_INVALID_LIST_POSITION && field > 0)
    g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "", tsu_group_field_name (field));
  if (kind != GTK_INVALID_LIST_POSITION && kind > 0)
    g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "",
                            _ (tsu_programme_kinds[kind - 1].label));
  return s->len ? g_string_free (g_steal_pointer (&s), FALSE) : NULL;
}

static void
clear_filters (TsuRecordPage *page)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (page);

  self->clearing = TRUE;
  gtk_drop_down_set_selected (self->show_dropdown, TSU_PROGRAMMES_UPCOMING);
  gtk_drop_down_set_selected (self->field_dropdown, 0);
  gtk_drop_down_set_selected (self->kind_dropdown, 0);
  self->clearing = FALSE;
}

static void
filters_changed_cb (TsuProgrammesPage *self)
{
  if (self->clearing)
    return;
  /* Closed deadlines read best newest first. */
  if (gtk_drop_down_get_selected (self->show_dropdown) == TSU_PROGRAMMES_CLOSED)
    tsu_record_page_set_sort (PAGE (self), "deadline", TRUE);
  else if (g_strcmp0 (tsu_record_list_view_get_sort (tsu_record_page_get_list_view (PAGE (self))),
                      "deadline")
               == 0
           && tsu_record_list_view_get_descending (tsu_record_page_get_list_view (PAGE (self))))
    tsu_record_page_set_sort (PAGE (self), "deadline", FALSE);
  else
    tsu_record_page_refresh (PAGE (self));
}

void
tsu_programmes_page_set_show (TsuProgrammesPage *self, TsuProgrammesShow show)
{
  gtk_drop_down_set_selected (self->show_dropdown, show);
}

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u programme", "%u programmes", n), n);
}

static void
settings_changed (TsuRecordPage *page, const char *key)
{
  if (key == NULL || g_str_equal (key, "date-style"))
    {
      tsu_record_page_refresh (page);
      if (current (TSU_PROGRAMMES_PAGE (page)))
        load_groups (TSU_PROGRAMMES_PAGE (page));
    }
}

/* The sections and days left are judged on a day: a desk left open over
 * midnight sees them move. */
static gboolean
day_check_cb (gpointer data)
{
  TsuProgrammesPage *self = data;
  GDate              today;

  tsu_date_today (&today);
  if (g_date_valid (&self->listed_on) && g_date_compare (&today, &self->listed_on) != 0)
    {
      tsu_record_page_refresh (PAGE (self));
      if (current (self))
        load_groups (self);
    }
  return G_SOURCE_CONTINUE;
}

/* ---- a programme shown ---- */

static void
new_record (TsuRecordPage *page, JsonObject *defaults)
{
  GDate today;
  int   fy;

  tsu_date_today (&today);
  /* Calls out in January to March are mostly for the coming 年度. */
  fy = tsu_fiscal_year (&today) + (g_date_get_month (&today) <= 3 ? 1 : 0);
  json_object_set_string_member (defaults, "kind", "grant");
  json_object_set_string_member (defaults, "deadline_kind", "arrive");
  json_object_set_int_member (defaults, "fiscal_year", fy);
}

static GtkWidget *
find_named (GtkWidget *root, const char *name, GType type)
{
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found;

      if (g_strcmp0 (gtk_widget_get_name (c), name) == 0 && G_TYPE_CHECK_INSTANCE_TYPE (c, type))
        return c;
      if ((found = find_named (c, name, type)))
        return found;
    }
  return NULL;
}

/* "あと3日" as the list says it. */
static char *
days_left_text (JsonObject *p, const GDate *today)
{
  int left = tsu_programme_days_left (p, today);

  if (left == G_MAXINT)
    return g_strdup (_ ("Any time"));
  if (left < 0)
    return g_strdup (_ ("Closed"));
  if (left == 0)
    return g_strdup (_ ("Today"));
  if (left == 1)
    return g_strdup (_ ("Tomorrow"));
  return g_strdup_printf (_ ("%d days left"), left);
}

static void
update_subtitle (TsuProgrammesPage *self, gint64 told, gint64 applying)
{
  JsonObject      *p = current (self);
  GDate            today;
  g_autofree char *left = NULL;
  g_autofree char *text = NULL;
  int              days;

  if (p == NULL)
    return;
  tsu_date_today (&today);
  left = days_left_text (p, &today);
  days = tsu_programme_days_left (p, &today);
  if (told < 0)
    text = g_strdup (left);
  else
    /* TRANSLATORS: あと3日 ・ 案内 5 ・ 申請 2 */
    text = g_strdup_printf (_ ("%s ・ %d told ・ %d applying"), left, (int)told, (int)applying);
  tsu_record_form_set_subtitle (tsu_record_page_get_form (PAGE (self)), text,
                                days < 0     ? "dim-label"
                                : days <= 7  ? "error"
                                : days <= 30 ? "warning"
                                             : NULL);
}

/* ---- its groups, state by state ---- */

static void
clear_rows (AdwPreferencesGroup *group, GPtrArray *rows)
{
  for (guint i = 0; i < rows->len; i++)
    adw_preferences_group_remove (group, g_ptr_array_index (rows, i));
  g_ptr_array_set_size (rows, 0);
}

typedef struct
{
  GWeakRef page;
  char    *id; /* the application */
  char    *name;
} RowData;

static void
row_data_free (gpointer data)
{
  RowData *d = data;

  g_weak_ref_clear (&d->page);
  g_free (d->id);
  g_free (d->name);
  g_free (d);
}

static void
state_selected_cb (GtkDropDown *dropdown, GParamSpec *pspec, gpointer data)
{
  RowData *d = data;
  g_autoptr (TsuProgrammesPage) self = g_weak_ref_get (&d->page);
  g_autoptr (GError) error = NULL;
  guint            pos = gtk_drop_down_get_selected (dropdown);
  g_autofree char *msg = NULL;
  GDate            today;

  if (self == NULL || self->filling_groups || pos == GTK_INVALID_LIST_POSITION)
    return;
  tsu_date_today (&today);
  if (!tsu_grants_set_state (tsu_record_page_get_store (PAGE (self)), d->id,
                             tsu_application_states[pos].code, &today, &error))
    {
      tsu_record_page_show_error (PAGE (self), error);
      load_groups (self);
      return;
    }
  /* TRANSLATORS: 三池合唱団: 関心あり */
  msg = g_strdup_printf (_ ("%s: %s"), d->name, _ (tsu_application_states[pos].label));
  tsu_record_page_toast_undo_in (PAGE (self), "applications", msg, d->id);
}

static void
application_activated_cb (AdwActionRow *row, gpointer data)
{
  RowData *d = data;
  g_autoptr (TsuProgrammesPage) self = g_weak_ref_get (&d->page);
  GtkWindow *dialog;

  if (self == NULL)
    return;
  dialog = tsu_grants_application_dialog_new (window_of (self),
                                              tsu_record_page_get_store (PAGE (self)), d->id,
                                              tsu_record_page_get_date_style (PAGE (self)));
  gtk_window_present (dialog);
}

static char *
application_subtitle (TsuProgrammesPage *self, JsonObject *a)
{
  g_autoptr (GString) s = g_string_new (NULL);
  GDate  d;
  gint64 yen;

  if (tsu_date_from_iso (tsu_record_get_string (a, "state_on"), &d))
    {
      g_autofree char *day
          = tsu_date_format_plain (&d, tsu_record_page_get_date_style (PAGE (self)));
      g_string_append (s, day);
    }
  if (tsu_record_get_string (a, "staff"))
    g_string_append_printf (s, "%s%s", s->len ? _ (" ・ ") : "",
                            tsu_record_get_string (a, "staff"));
  if (tsu_record_get_int (a, "amount_applied", &yen))
    {
      g_autofree char *amount = tsu_grants_format_yen (yen);
      g_string_append (s, s->len ? _ (" ・ ") : "");
      /* TRANSLATORS: 申請額 300,000円 */
      g_string_append_printf (s, _ ("applied for %s yen"), amount);
    }
  if (tsu_record_get_int (a, "amount_awarded", &yen))
    {
      g_autofree char *amount = tsu_grants_format_yen (yen);
      g_string_append (s, s->len ? _ (" ・ ") : "");
      /* TRANSLATORS: 採択額 300,000円 */
      g_string_append_printf (s, _ ("awarded %s yen"), amount);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static GtkWidget *
application_row (TsuProgrammesPage *self, JsonObject *a)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *dropdown;
  g_autoptr (GtkStringList) states = gtk_string_list_new (NULL);
  g_autofree char *subtitle = application_subtitle (self, a);
  g_autofree char *label = NULL;
  const char      *name = tsu_record_get_string (a, "name");
  const char      *state = tsu_record_get_string (a, "state");
  RowData         *d = g_new0 (RowData, 1);
  guint            pos = 0;

  for (guint i = 0; tsu_application_states[i].code; i++)
    {
      gtk_string_list_append (states, _ (tsu_application_states[i].label));
      if (g_strcmp0 (state, tsu_application_states[i].code) == 0)
        pos = i;
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name ? name : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_widget_set_tooltip_text (row, _ ("Open the record: dates, staff, notes and amounts"));
  dropdown = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (states)), NULL);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), pos);
  gtk_widget_set_valign (dropdown, GTK_ALIGN_CENTER);
  /* TRANSLATORS: the accessible name of a group's state on a programme */
  label = g_strdup_printf (_ ("State of %s"), name ? name : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (dropdown), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
  gtk_widget_set_tooltip_text (dropdown, _ ("Where the group stands with this programme"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), dropdown);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             gtk_image_new_from_icon_name ("go-next-symbolic"));
  g_weak_ref_init (&d->page, self);
  d->id = g_strdup (tsu_record_get_string (a, "id"));
  d->name = g_strdup (name);
  g_object_set_data_full (G_OBJECT (row), "row-data", d, row_data_free);
  g_signal_connect (dropdown, "notify::selected", G_CALLBACK (state_selected_cb), d);
  g_signal_connect (row, "activated", G_CALLBACK (application_activated_cb), d);
  return row;
}

static void
show_groups (TsuProgrammesPage *self, JsonArray *apps)
{
  guint  n = json_array_get_length (apps);
  gint64 applying = 0;

  self->filling_groups = TRUE;
  clear_rows (self->groups_group, self->group_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->no_groups_row), n == 0);
  for (guint s = 0; tsu_application_states[s].code; s++)
    {
      GPtrArray       *rows = g_ptr_array_new ();
      GtkWidget       *expander;
      g_autofree char *count = NULL;

      for (guint i = 0; i < n; i++)
        {
          JsonObject *a = json_array_get_object_element (apps, i);

          if (g_strcmp0 (tsu_record_get_string (a, "state"), tsu_application_states[s].code) == 0)
            g_ptr_array_add (rows, application_row (self, a));
        }
      if (g_str_equal (tsu_application_states[s].code, "preparing")
          || g_str_equal (tsu_application_states[s].code, "applied"))
        applying += rows->len;
      if (rows->len == 0)
        {
          g_ptr_array_unref (rows);
          continue;
        }
      /* One expander a state, open unless it is long. */
      expander = adw_expander_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander),
                                     _ (tsu_application_states[s].label));
      count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u group", "%u groups", rows->len),
                               rows->len);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), count);
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (expander), rows->len <= 10);
      for (guint i = 0; i < rows->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander), g_ptr_array_index (rows, i));
      adw_preferences_group_add (self->groups_group, expander);
      g_ptr_array_add (self->group_rows, expander);
      g_ptr_array_unref (rows);
    }
  self->filling_groups = FALSE;
  update_subtitle (self, n, applying);
}

static JsonNode *
read_groups (TsuStore *store, gpointer data, GError **error)
{
  JsonArray *apps = tsu_grants_programme_groups (store, data, error);
  JsonNode  *node;

  if (apps == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, apps);
  return node;
}

static void
groups_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (TsuProgrammesPage) self = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node == NULL)
    {
      tsu_record_page_show_error (PAGE (self), error);
      return;
    }
  show_groups (self, json_node_get_array (node));
}

static void
load_groups (TsuProgrammesPage *self)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));
  GWeakRef *ref;

  if (self->groups_cancel)
    g_cancellable_cancel (self->groups_cancel);
  g_clear_object (&self->groups_cancel);
  if (store == NULL || current_id (self) == NULL)
    return;
  self->groups_cancel = g_cancellable_new ();
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  tsu_grants_task_run (store, read_groups, g_strdup (current_id (self)), g_free,
                       self->groups_cancel, groups_read_cb, ref);
}

/* ---- tiers ---- */

static void
show_tiers (TsuProgrammesPage *self, JsonObject *p)
{
  JsonNode  *node = json_object_get_member (p, "tiers");
  JsonArray *tiers = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;

  clear_rows (self->tiers_group, self->tier_rows);
  gtk_widget_set_visible (GTK_WIDGET (self->tiers_group),
                          tiers && json_array_get_length (tiers) > 0);
  for (guint i = 0; tiers && i < json_array_get_length (tiers); i++)
    {
      JsonNode        *e = json_array_get_element (tiers, i);
      JsonObject      *t = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      GtkWidget       *row;
      gint64           times = 0, ceiling = 0;
      const char      *rate;
      g_autofree char *title = NULL;
      g_autofree char *value = NULL;

      if (t == NULL || !tsu_record_get_int (t, "times", &times))
        continue;
      tsu_record_get_int (t, "ceiling", &ceiling);
      rate = tsu_record_get_string (t, "rate");
      title = times == 0
                  ? g_strdup (_ ("Groups new to it"))
                  /* TRANSLATORS: a tier: groups that received it 2 times or more */
                  : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Received it %d time or more",
                                                  "Received it %d times or more", (gulong)times),
                                     (int)times);
      if (ceiling > 0)
        {
          g_autofree char *yen = tsu_grants_format_yen (ceiling);
          g_autofree char *rate_text
              = rate ? g_strdup_printf (_ (" (rate %s)"), rate) : g_strdup ("");
          /* TRANSLATORS: up to 300,000 yen (rate 10/10) */
          value = g_strdup_printf (_ ("Up to %s yen%s"), yen, rate_text);
        }
      else
        value = g_strdup (_ ("No longer eligible"));
      row = adw_action_row_new ();
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), title);
      adw_preferences_group_add (self->tiers_group, row);
      g_ptr_array_add (self->tier_rows, row);
    }
}

/* ---- the funder: picked from the funders, or a name ---- */

static TsuRecordForm *
form_of (TsuProgrammesPage *self)
{
  return tsu_record_page_get_form (PAGE (self));
}

static void
set_funder_id (TsuProgrammesPage *self, const char *id)
{
  GtkWidget *row = tsu_record_form_get_field_row (form_of (self), "funder_id");

  if (row && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), id ? id : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), id ? id : "");
}

/* A name typed by hand names a funder when it is one's name exactly (as
 * an imported file's does); otherwise it stays a name. */
static void
funder_name_changed_cb (TsuProgrammesPage *self, GtkEditable *row)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (row)));
  const char      *id = NULL;

  if (!tsu_record_form_get_editing (form_of (self)))
    return;
  for (guint i = 0; self->funders && i < json_array_get_length (self->funders) && !id; i++)
    {
      JsonObject *f = json_array_get_object_element (self->funders, i);

      if (g_strcmp0 (text, tsu_record_get_string (f, "name")) == 0)
        id = tsu_record_get_string (f, "id");
    }
  set_funder_id (self, id);
}

static void
funder_chosen_cb (TsuProgrammesPage *self, GtkListBoxRow *row)
{
  GtkWidget  *name_row = tsu_record_form_get_field_row (form_of (self), "funder_name");
  const char *id = g_object_get_data (G_OBJECT (row), "id");
  const char *name = g_object_get_data (G_OBJECT (row), "name");
  GtkWidget  *popover = gtk_widget_get_ancestor (GTK_WIDGET (row), GTK_TYPE_POPOVER);

  gtk_editable_set_text (GTK_EDITABLE (name_row), name);
  set_funder_id (self, id);
  if (popover)
    gtk_popover_popdown (GTK_POPOVER (popover));
}

static void
fill_funder_list (TsuProgrammesPage *self)
{
  GtkWidget *child;

  if (self->funder_list == NULL)
    return;
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->funder_list))))
    gtk_list_box_remove (self->funder_list, child);
  for (guint i = 0; self->funders && i < json_array_get_length (self->funders); i++)
    {
      JsonObject *f = json_array_get_object_element (self->funders, i);
      GtkWidget  *label = gtk_label_new (tsu_record_get_string (f, "name"));
      GtkWidget  *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_margin_start (label, 6);
      gtk_widget_set_margin_end (label, 6);
      gtk_widget_set_margin_top (label, 6);
      gtk_widget_set_margin_bottom (label, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      g_object_set_data_full (G_OBJECT (row), "id", g_strdup (tsu_record_get_string (f, "id")),
                              g_free);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (tsu_record_get_string (f, "name")),
                              g_free);
      gtk_list_box_append (self->funder_list, row);
    }
}

static JsonNode *
read_funders (TsuStore *store, gpointer data, GError **error)
{
  g_autoptr (GPtrArray) rows = tsu_store_find (store, "funders", "1", NULL, "sort_key", 0, error);
  JsonArray *out;
  JsonNode  *node;

  if (rows == NULL)
    return NULL;
  out = json_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      JsonObject *f = g_ptr_array_index (rows, i);
      JsonObject *o = json_object_new ();

      json_object_set_string_member (o, "id", tsu_record_get_string (f, "id"));
      json_object_set_string_member (o, "name", tsu_record_get_string (f, "name"));
      json_array_add_object_element (out, o);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, out);
  return node;
}

static void
funders_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (TsuProgrammesPage) self = g_weak_ref_get (ref);
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, NULL);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL || node == NULL)
    return;
  g_clear_pointer (&self->funders, json_array_unref);
  self->funders = json_array_ref (json_node_get_array (node));
  fill_funder_list (self);
}

static void
load_funders (TsuProgrammesPage *self)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));
  GWeakRef *ref;

  if (store == NULL)
    return;
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  tsu_grants_task_run (store, read_funders, NULL, NULL, NULL, funders_read_cb, ref);
}

/* The edit view: the funder's reference is kept behind its name, chosen
 * from a list; who copied what is the copy action's business. */
static void
setup_edit_rows (TsuProgrammesPage *self)
{
  TsuRecordForm *form = form_of (self);
  GtkWidget     *name_row = tsu_record_form_get_field_row (form, "funder_name");
  GtkWidget     *button, *popover, *scroller;

  for (const char *const *f = (const char *const[]){ "funder_id", "copied_from", NULL }; *f; f++)
    if (tsu_record_form_get_field_row (form, *f))
      gtk_widget_set_visible (tsu_record_form_get_field_row (form, *f), FALSE);
  if (name_row == NULL || !ADW_IS_ENTRY_ROW (name_row))
    return;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (name_row), _ ("Funder"));
  self->funder_list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_activate_on_single_click (self->funder_list, TRUE);
  g_signal_connect_object (self->funder_list, "row-activated", G_CALLBACK (funder_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  scroller = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 320);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->funder_list));
  popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (popover), scroller);
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "view-list-symbolic");
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (button), popover);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, _ ("Choose a Funder"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Choose a funder"), -1);
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (name_row), button);
  g_signal_connect_object (name_row, "changed", G_CALLBACK (funder_name_changed_cb), self,
                           G_CONNECT_SWAPPED);
  fill_funder_list (self);
}

static void
record_loaded (TsuRecordPage *page, JsonObject *p)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (page);
  TsuRecordForm     *form = tsu_record_page_get_form (page);
  gboolean           saved = tsu_record_form_get_id (form) != NULL;
  GtkWidget         *dup;

  gtk_widget_set_visible (GTK_WIDGET (self->groups_group), saved);
  gtk_widget_set_visible (self->tell_button, saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.tell", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.copy-notice", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.copy-next-year", saved);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.edit-tiers", saved);
  if (!saved)
    {
      tsu_record_form_set_subtitle (form, _ ("Not saved yet"), NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->tiers_group), FALSE);
      return;
    }
  /* The funder reads once: its record's name, not also the name kept
   * from an imported file. */
  if (tsu_record_get_string (p, "funder_id")
      && (dup = find_named (GTK_WIDGET (form), "funder_name", ADW_TYPE_ACTION_ROW)))
    gtk_widget_set_visible (dup, FALSE);
  update_subtitle (self, -1, 0);
  show_tiers (self, p);
  load_groups (self);
}

/* ---- actions ---- */

GtkWindow *
tsu_programmes_page_tell (TsuProgrammesPage *self)
{
  GtkWindow *dialog;

  if (current (self) == NULL)
    return NULL;
  dialog = tsu_grants_tell_dialog_new (window_of (self), tsu_record_page_get_store (PAGE (self)),
                                       current_id (self));
  gtk_window_present (dialog);
  return dialog;
}

static void
tell_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_programmes_page_tell (TSU_PROGRAMMES_PAGE (widget));
}

static void
copy_notice_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (widget);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  if (current (self) == NULL)
    return;
  /* One record read: as the form's own loading does. */
  text
      = tsu_grants_notice_text (tsu_record_page_get_store (PAGE (self)), current_id (self), &error);
  if (text == NULL)
    {
      tsu_record_page_show_error (PAGE (self), error);
      return;
    }
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  tsu_record_page_toast (PAGE (self), _ ("Notice copied"));
}

/* ---- printing the upcoming deadlines ---- */

static JsonNode *
read_upcoming (TsuStore *store, gpointer data, GError **error)
{
  JsonArray *rows = tsu_grants_upcoming (store, data, 0, error);

  return rows ? json_node_init_array (json_node_alloc (), rows) : NULL;
}

static void
upcoming_read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  GWeakRef *ref = data;
  g_autoptr (TsuProgrammesPage) self = g_weak_ref_get (ref);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  GDate today;

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self == NULL)
    return;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.print", TRUE);
  tsu_date_today (&today);
  if (node == NULL
      || !tsu_grants_print_deadlines (window_of (self), json_node_get_array (node), &today,
                                      tsu_record_page_get_date_style (PAGE (self)), self->print_pdf,
                                      &error))
    tsu_record_page_show_error (PAGE (self), error);
  g_clear_pointer (&self->print_pdf, g_free);
}

/**
 * tsu_programmes_page_print:
 * @pdf_path: (nullable): write a PDF there instead of showing the print dialog
 *
 * Prints the upcoming deadlines (read in a worker first).
 */
void
tsu_programmes_page_print (TsuProgrammesPage *self, const char *pdf_path)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));
  GDate    *today;
  GWeakRef *ref;

  if (store == NULL)
    return;
  g_free (self->print_pdf);
  self->print_pdf = g_strdup (pdf_path);
  today = g_new (GDate, 1);
  tsu_date_today (today);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "programmes.print", FALSE);
  tsu_grants_task_run (store, read_upcoming, today, g_free, NULL, upcoming_read_cb, ref);
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_programmes_page_print (TSU_PROGRAMMES_PAGE (widget), NULL);
}

static void
copy_year_response_cb (AdwMessageDialog *dialog, const char *response, TsuProgrammesPage *self)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  if (!g_str_equal (response, "copy") || current (self) == NULL)
    return;
  id = tsu_programme_copy_to_next_year (tsu_record_page_get_store (PAGE (self)), current_id (self),
                                        &error);
  if (id == NULL)
    {
      tsu_record_page_show_error (PAGE (self), error);
      return;
    }
  tsu_record_page_show_record (PAGE (self), id);
  tsu_record_page_toast_undo (PAGE (self), _ ("Copied to the next fiscal year"), id);
}

static void
copy_year_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (widget);
  JsonObject        *p = current (self);
  AdwMessageDialog  *dialog;
  g_autofree char   *body = NULL;
  g_autofree char   *fy = NULL;
  gint64             year;

  if (p == NULL)
    return;
  if (tsu_record_get_int (p, "fiscal_year", &year))
    fy = tsu_fiscal_year_format ((int)year + 1, tsu_record_page_get_date_style (PAGE (self)));
  body = fy ? g_strdup_printf (_ ("A copy of “%s” for %s, with its dates a year later. The groups "
                                  "and their states stay with this one."),
                               tsu_record_get_string (p, "name"), fy)
            : g_strdup_printf (_ ("A copy of “%s” with its dates a year later. The groups and "
                                  "their states stay with this one."),
                               tsu_record_get_string (p, "name"));
  dialog = ADW_MESSAGE_DIALOG (
      adw_message_dialog_new (window_of (self), _ ("Copy to the Next Fiscal Year?"), body));
  adw_message_dialog_add_responses (dialog, "cancel", _ ("_Cancel"), "copy", _ ("C_opy"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "copy", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "copy");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (copy_year_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
edit_tiers_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (widget);
  GtkWindow         *dialog;

  if (current (self) == NULL)
    return;
  dialog = tsu_grants_tiers_dialog_new (window_of (self), tsu_record_page_get_store (PAGE (self)),
                                        current_id (self));
  gtk_window_present (dialog);
}

/* ---- the store ---- */

static void
store_changed_cb (TsuProgrammesPage *self, const char *collection, GStrv ids)
{
  /* Told and applying counts, and funders' names, are computed from other
   * collections: the list's own follow-up does not see them change. */
  if (g_strcmp0 (collection, "applications") == 0 || g_strcmp0 (collection, "funders") == 0)
    tsu_record_page_refresh (PAGE (self));
  if (g_strcmp0 (collection, "funders") == 0)
    load_funders (self);
  if ((g_strcmp0 (collection, "applications") == 0 || g_strcmp0 (collection, "groups") == 0)
      && current (self))
    load_groups (self);
}

static void
store_notify_cb (TsuProgrammesPage *self)
{
  TsuStore *store = tsu_record_page_get_store (PAGE (self));

  if (self->watched == store)
    return;
  if (self->watched && self->store_handler)
    g_clear_signal_handler (&self->store_handler, self->watched);
  g_clear_weak_pointer (&self->watched);
  if (store)
    {
      g_set_weak_pointer (&self->watched, store);
      self->store_handler = g_signal_connect_object (
          store, "changed", G_CALLBACK (store_changed_cb), self, G_CONNECT_SWAPPED);
      load_funders (self);
    }
}

/* ---- object ---- */

static void
fill_dropdowns (TsuProgrammesPage *self)
{
  g_autoptr (GtkStringList) fields = gtk_string_list_new (NULL);
  g_autoptr (GtkStringList) kinds = gtk_string_list_new (NULL);
  g_autoptr (GtkExpression) expr
      = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");

  gtk_string_list_append (fields, _ ("All fields"));
  for (guint c = 1; c <= TSU_GROUP_N_FIELDS; c++)
    {
      g_autofree char *t = g_strdup_printf ("%u %s", c, tsu_group_field_name (c));
      gtk_string_list_append (fields, t);
    }
  gtk_string_list_append (kinds, _ ("All kinds"));
  for (guint k = 0; tsu_programme_kinds[k].code; k++)
    gtk_string_list_append (kinds, _ (tsu_programme_kinds[k].label));
  gtk_drop_down_set_model (self->field_dropdown, G_LIST_MODEL (fields));
  gtk_drop_down_set_expression (self->field_dropdown, expr);
  gtk_drop_down_set_model (self->kind_dropdown, G_LIST_MODEL (kinds));
  g_signal_connect_object (self->show_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->field_dropdown, "notify::selected",
                           G_CALLBACK (filters_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->kind_dropdown, "notify::selected", G_CALLBACK (filters_changed_cb),
                           self, G_CONNECT_SWAPPED);
}

static void
tsu_programmes_page_dispose (GObject *object)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (object);

  g_clear_handle_id (&self->day_timer, g_source_remove);
  if (self->groups_cancel)
    g_cancellable_cancel (self->groups_cancel);
  g_clear_object (&self->groups_cancel);
  if (self->watched && self->store_handler)
    g_clear_signal_handler (&self->store_handler, self->watched);
  g_clear_weak_pointer (&self->watched);
  if (self->show_dropdown)
    gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_PROGRAMMES_PAGE);
  self->show_dropdown = NULL;
  G_OBJECT_CLASS (tsu_programmes_page_parent_class)->dispose (object);
}

static void
tsu_programmes_page_finalize (GObject *object)
{
  TsuProgrammesPage *self = TSU_PROGRAMMES_PAGE (object);

  g_ptr_array_unref (self->group_rows);
  g_ptr_array_unref (self->tier_rows);
  g_clear_pointer (&self->funders, json_array_unref);
  g_free (self->print_pdf);
  G_OBJECT_CLASS (tsu_programmes_page_parent_class)->finalize (object);
}

static void
tsu_programmes_page_class_init (TsuProgrammesPageClass *klass)
{
  GObjectClass       *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass     *widget_class = GTK_WIDGET_CLASS (klass);
  TsuRecordPageClass *page_class = TSU_RECORD_PAGE_CLASS (klass);

  object_class->dispose = tsu_programmes_page_dispose;
  object_class->finalize = tsu_programmes_page_finalize;
  page_class->prepare_query = prepare_query;
  page_class->describe_filters = describe_filters;
  page_class->clear_filters = clear_filters;
  page_class->format_count = format_count;
  page_class->new_record = new_record;
  page_class->record_loaded = record_loaded;
  page_class->settings_changed = settings_changed;

  tsu_programmes_page_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-programmes-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, show_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, field_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, tell_button);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, groups_group);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, no_groups_row);
  gtk_widget_class_bind_template_child (widget_class, TsuProgrammesPage, tiers_group);

  gtk_widget_class_install_action (widget_class, "programmes.tell", NULL, tell_action);
  gtk_widget_class_install_action (widget_class, "programmes.print", NULL, print_action);
  gtk_widget_class_install_action (widget_class, "programmes.copy-notice", NULL,
                                   copy_notice_action);
  gtk_widget_class_install_action (widget_class, "programmes.copy-next-year", NULL,
                                   copy_year_action);
  gtk_widget_class_install_action (widget_class, "programmes.edit-tiers", NULL, edit_tiers_action);
}

static void
tsu_programmes_page_init (TsuProgrammesPage *self)
{
  self->group_rows = g_ptr_array_new ();
  self->tier_rows = g_ptr_array_new ();
  g_date_clear (&self->listed_on, 1);
  gtk_widget_init_template (GTK_WIDGET (self));
  fill_dropdowns (self);
  /* Before a store is set: the list reads the section cell with the rest. */
  tsu_record_list_view_set_section (tsu_record_page_get_list_view (PAGE (self)), "bucket");
  setup_edit_rows (self);
  gtk_widget_set_visible (GTK_WIDGET (self->tiers_group), FALSE);
  g_signal_connect (self, "notify::store", G_CALLBACK (store_notify_cb), NULL);
  self->day_timer = g_timeout_add_seconds (600, day_check_cb, self);
}

/* Generated with --manual-register (c_name tsu_grants). */
void tsu_grants_register_resource (void);

static void
tsu_programmes_page_resources_ensure (void)
{
  static gsize registered = 0;

  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_grants_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

GtkWidget *
tsu_programmes_page_new (void)
{
  return g_object_new (TSU_TYPE_PROGRAMMES_PAGE, NULL);
}
