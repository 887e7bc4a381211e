/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-suggestions-section.h"
#include "tsu-matcher.h"
#include "tsu-matching-util.h"
#include "tsu-matching.h"

#define LIMIT 10

struct _TsuSuggestionsSection
{
  AdwPreferencesGroup parent_instance;

  TsuStore     *store;
  char         *request_id;
  GCancellable *cancellable;
  GPtrArray    *rows;
  guint         reload_id;
  gboolean      loading;
};

G_DEFINE_FINAL_TYPE (TsuSuggestionsSection, tsu_suggestions_section, ADW_TYPE_PREFERENCES_GROUP)

typedef struct
{
  TsuStore *store;
  char     *id;
  GDate     today;
} ReadData;

typedef struct
{
  GPtrArray *suggestions;
  GPtrArray *near;
  GError    *error; /* a request without a date: said in the section */
} Result;

static void
read_data_free (ReadData *d)
{
  g_object_unref (d->store);
  g_free (d->id);
  g_free (d);
}

static void
result_free (Result *r)
{
  g_clear_pointer (&r->suggestions, g_ptr_array_unref);
  g_clear_pointer (&r->near, g_ptr_array_unref);
  g_clear_error (&r->error);
  g_free (r);
}

static gpointer
read_work (gpointer data, GError **error)
{
  ReadData *d = data;
  Result   *r = g_new0 (Result, 1);

  r->suggestions = tsu_matcher_suggest (d->store, d->id, &d->today, LIMIT, &r->near, &r->error);
  return r;
}

static void
clear_rows (TsuSuggestionsSection *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (TsuSuggestionsSection *self, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static char *
reasons_text (TsuSuggestion *s)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint i = 0; i < s->reasons->len; i++)
    /* TRANSLATORS: between the reasons of a suggestion */
    g_string_append_printf (text, "%s%s", i ? _ (", ") : "",
                            (char *)g_ptr_array_index (s->reasons, i));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
person (TsuSuggestion *s)
{
  return s->registration_number ? g_strdup_printf (_ ("%s (%s)"), s->name, s->registration_number)
                                : g_strdup (s->name);
}

static GtkWidget *
suggestion_row (TsuSuggestion *s)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *score = gtk_label_new (NULL);
  GtkWidget       *ask = gtk_button_new_with_label (_ ("Ask"));
  g_autofree char *title = person (s);
  g_autofree char *reasons = reasons_text (s);
  g_autofree char *points = g_strdup_printf ("%d", s->score);
  g_autofree char *a11y = g_strdup_printf (_ ("Ask %s"), s->name);
  g_autofree char *tip = g_strdup_printf (_ ("Score %d"), s->score);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               *reasons ? reasons : _ ("Meets every condition"));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_label_set_text (GTK_LABEL (score), points);
  gtk_label_set_width_chars (GTK_LABEL (score), 3);
  gtk_label_set_xalign (GTK_LABEL (score), 1);
  gtk_widget_add_css_class (score, "numeric");
  gtk_widget_add_css_class (score, "heading");
  gtk_widget_set_tooltip_text (score, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (score), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), score);
  gtk_widget_set_valign (ask, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (ask, _ ("Ask this person whether they can help (打診)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (ask), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (ask), "suggestion.ask");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (ask), "(ss)", s->volunteer_id, s->name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), ask);
  return row;
}

static GtkWidget *
near_row (TsuSuggestion *s)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *open = gtk_button_new_from_icon_name ("go-next-symbolic");
  g_autofree char *title = person (s);
  g_autofree char *reasons = reasons_text (s);
  g_autofree char *a11y = g_strdup_printf (_ ("Open %s"), s->name);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), reasons);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_set_valign (open, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (open, "flat");
  gtk_widget_set_tooltip_text (open, _ ("Open the person's record to fix the cause"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (open), GTK_ACCESSIBLE_PROPERTY_LABEL, a11y, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (open), "matching.show-volunteer");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (open), "s", s->volunteer_id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), open);
  return row;
}

static void
message_row (TsuSuggestionsSection *self, const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  gtk_widget_add_css_class (row, "dim-label");
  add_row (self, row);
}

static void
read_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuSuggestionsSection *self = TSU_SUGGESTIONS_SECTION (widget);
  Result                *r = result;

  self->loading = FALSE;
  clear_rows (self);
  if (error || r->error)
    {
      message_row (self, (error ? error : r->error)->message);
      return;
    }
  for (guint i = 0; i < r->suggestions->len; i++)
    add_row (self, suggestion_row (g_ptr_array_index (r->suggestions, i)));
  if (r->suggestions->len == 0)
    message_row (self, _ ("No one meets every condition. The near misses below say what is "
                          "missing."));
  if (r->near && r->near->len > 0)
    {
      GtkWidget       *expander = adw_expander_row_new ();
      g_autofree char *sub = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u person excluded by one or two conditions",
                       "%u people excluded by one or two conditions", r->near->len),
          r->near->len);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (expander), _ ("Near Misses"));
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (expander), sub);
      for (guint i = 0; i < r->near->len; i++)
        adw_expander_row_add_row (ADW_EXPANDER_ROW (expander),
                                  near_row (g_ptr_array_index (r->near, i)));
      add_row (self, expander);
    }
}

static void
reload (TsuSuggestionsSection *self)
{
  ReadData *d;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->request_id == NULL)
    {
      clear_rows (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
  d = g_new0 (ReadData, 1);
  d->store = g_object_ref (self->store);
  d->id = g_strdup (self->request_id);
  tsu_date_today (&d->today);
  tsu_matching_run (GTK_WIDGET (self), self->cancellable, read_work, d,
                    (GDestroyNotify)read_data_free, read_done, (GDestroyNotify)result_free);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TsuSuggestionsSection *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuSuggestionsSection *self, const char *collection, GStrv ids)
{
  /* A match or a person changed: the suggestions may differ (the request
   * itself reloads the whole page). */
  if (self->request_id == NULL || self->reload_id != 0
      || !(g_str_equal (collection, "matches") || g_str_equal (collection, "volunteers")
           || g_str_equal (collection, "centre_settings")))
    return;
  self->reload_id = g_idle_add (reload_idle_cb, self);
}

void
tsu_suggestions_section_set_request (TsuSuggestionsSection *self,
                                     TsuStore              *store,
                                     const char            *request_id)
{
  g_return_if_fail (TSU_IS_SUGGESTIONS_SECTION (self));

  if (self->store != store)
    {
      if (self->store)
        g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
      g_set_object (&self->store, store);
      if (store)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
    }
  if (g_strcmp0 (request_id, self->request_id) != 0)
    clear_rows (self);
  g_free (self->request_id);
  self->request_id = g_strdup (request_id);
  reload (self);
}

gboolean
tsu_suggestions_section_get_loading (TsuSuggestionsSection *self)
{
  return self->loading;
}

static void
ask_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuSuggestionsSection *self = TSU_SUGGESTIONS_SECTION (widget);
  const char            *volunteer, *who;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *msg = NULL;
  GDate            today;

  g_variant_get (param, "(&s&s)", &volunteer, &who);
  if (self->store == NULL || self->request_id == NULL)
    return;
  tsu_date_today (&today);
  id = tsu_match_propose (self->store, self->request_id, volunteer, &today, &error);
  if (id == NULL)
    {
      tsu_matching_error (widget, error);
      return;
    }
  /* TRANSLATORS: a toast: 青木 花子さんに打診しました */
  msg = g_strdup_printf (_ ("Asked %s"), who);
  tsu_matching_toast (widget, msg);
}

static void
tsu_suggestions_section_dispose (GObject *object)
{
  TsuSuggestionsSection *self = TSU_SUGGESTIONS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_suggestions_section_parent_class)->dispose (object);
}

static void
tsu_suggestions_section_finalize (GObject *object)
{
  TsuSuggestionsSection *self = TSU_SUGGESTIONS_SECTION (object);

  g_free (self->request_id);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tsu_suggestions_section_parent_class)->finalize (object);
}

static void
tsu_suggestions_section_class_init (TsuSuggestionsSectionClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_suggestions_section_dispose;
  object_class->finalize = tsu_suggestions_section_finalize;
  gtk_widget_class_install_action (widget_class, "suggestion.ask", "(ss)", ask_action);
}

static void
tsu_suggestions_section_init (TsuSuggestionsSection *self)
{
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Suggestions"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Suggestions"), -1);
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (self),
      _ ("People who meet every condition, best first, with the reasons for their score"));
}

GtkWidget *
tsu_suggestions_section_new (void)
{
  return g_object_new (TSU_TYPE_SUGGESTIONS_SECTION, NULL);
}
