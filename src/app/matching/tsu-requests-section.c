/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-requests-section.h"
#include "tsu-matching-collections.h"
#include "tsu-matching-reads.h"
#include "tsu-matching-util.h"
#include "tsu-record-form.h"
#include "tsu-record.h"

struct _TsuRequestsSection
{
  AdwPreferencesGroup parent_instance;

  TsuStore     *store;
  char         *id;
  gboolean      group; /* a group's requests, not a person's matches */
  char         *action;
  GCancellable *cancellable;
  GPtrArray    *rows;
  guint         reload_id;
  gboolean      follow_form;
  GtkWidget    *form; /* followed, not referenced */
};

G_DEFINE_FINAL_TYPE (TsuRequestsSection, tsu_requests_section, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  PROP_0,
  PROP_ACTION,
  PROP_FOLLOW_FORM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  TsuStore    *store;
  char        *id;
  gboolean     group;
  TsuDateStyle style;
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

  return d->group ? tsu_matching_group_requests (d->store, d->id, d->style, error)
                  : tsu_matching_volunteer_matches (d->store, d->id, d->style, error);
}

static void
clear_rows (TsuRequestsSection *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static const char *
choice (const TsuCollection *c, const char *field, const char *code)
{
  return tsu_field_choice_label (tsu_collection_lookup_field (c, field), code);
}

static GtkWidget *
row_for (TsuRequestsSection *self, JsonObject *o)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");
  const char      *number = tsu_record_get_string (o, "number");
  const char      *title = tsu_record_get_string (o, "title");
  const char      *when = tsu_record_get_string (o, "when");
  g_autofree char *heading
      = number ? g_strdup_printf (_ ("%s (%s)"), title ? title : "", number) : g_strdup (title);
  g_autoptr (GString) sub = g_string_new (NULL);
  const char *request_id
      = self->group ? tsu_record_get_string (o, "id") : tsu_record_get_string (o, "request_id");

  if (self->group)
    {
      gint64 confirmed = 0, needed = 1;

      tsu_record_get_int (o, "confirmed", &confirmed);
      tsu_record_get_int (o, "people_needed", &needed);
      /* TRANSLATORS: a group's request: 募集中 ・ 確定 1/3 */
      g_string_append_printf (
          sub, _ ("%s ・ confirmed %d/%d"),
          choice (&tsu_request_collection, "status", tsu_record_get_string (o, "status")),
          (int)confirmed, (int)needed);
    }
  else
    {
      const char *by = tsu_record_get_string (o, "requester");
      GDate       on;

      g_string_append (sub,
                       choice (&tsu_match_collection, "state", tsu_record_get_string (o, "state")));
      if (tsu_date_from_iso (tsu_record_get_string (o, "state_on"), &on))
        {
          g_autofree char *d
              = tsu_date_format_plain (&on, tsu_matching_date_style (GTK_WIDGET (self)));
          g_string_append_printf (sub, _ (" ・ %s"), d);
        }
      if (by)
        g_string_append_printf (sub, _ (" ・ %s"), by);
    }
  if (when && *when)
    g_string_append_printf (sub, "\n%s", when);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), heading ? heading : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (row), self->action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", request_id);
  gtk_widget_set_tooltip_text (row, _ ("Open the request"));
  return row;
}

static void
read_done (GtkWidget *widget, gpointer result, const GError *error)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (widget);
  GPtrArray          *rows = result;

  clear_rows (self);
  if (error)
    {
      tsu_matching_error (widget, error);
      return;
    }
  for (guint i = 0; i < rows->len; i++)
    {
      GtkWidget *row = row_for (self, g_ptr_array_index (rows, i));

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  if (rows->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     self->group ? _ ("No requests for volunteers yet")
                                                 : _ ("Not asked for any request yet"));
      gtk_widget_add_css_class (row, "dim-label");
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
}

static void
reload (TsuRequestsSection *self)
{
  ReadData *d;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->id == NULL)
    {
      clear_rows (self);
      return;
    }
  self->cancellable = g_cancellable_new ();
  d = g_new0 (ReadData, 1);
  d->store = g_object_ref (self->store);
  d->id = g_strdup (self->id);
  d->group = self->group;
  d->style = tsu_matching_date_style (GTK_WIDGET (self));
  tsu_matching_run (GTK_WIDGET (self), self->cancellable, read_work, d,
                    (GDestroyNotify)read_data_free, read_done, (GDestroyNotify)g_ptr_array_unref);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TsuRequestsSection *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuRequestsSection *self, const char *collection, GStrv ids)
{
  if (self->id == NULL || self->reload_id != 0
      || !(g_str_equal (collection, "matches") || g_str_equal (collection, "requests")))
    return;
  self->reload_id = g_idle_add (reload_idle_cb, self);
}

static void
set (TsuRequestsSection *self, TsuStore *store, const char *id, gboolean group)
{
  if (self->store != store)
    {
      if (self->store)
        g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
      g_set_object (&self->store, store);
      if (store)
        g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                                 G_CONNECT_SWAPPED);
    }
  if (g_strcmp0 (id, self->id) != 0)
    clear_rows (self);
  g_free (self->id);
  self->id = g_strdup (id);
  self->group = group;
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self),
                                   group ? _ ("Requests for Volunteers") : _ ("Matches"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  group ? _ ("Requests for Volunteers") : _ ("Matches"), -1);
  reload (self);
}

void
tsu_requests_section_set_volunteer (TsuRequestsSection *self,
                                    TsuStore           *store,
                                    const char         *volunteer_id)
{
  g_return_if_fail (TSU_IS_REQUESTS_SECTION (self));
  set (self, store, volunteer_id, FALSE);
}

void
tsu_requests_section_set_group (TsuRequestsSection *self, TsuStore *store, const char *group_id)
{
  g_return_if_fail (TSU_IS_REQUESTS_SECTION (self));
  set (self, store, group_id, TRUE);
}

void
tsu_requests_section_set_action (TsuRequestsSection *self, const char *action)
{
  g_return_if_fail (TSU_IS_REQUESTS_SECTION (self));
  if (g_strcmp0 (self->action, action) == 0)
    return;
  g_free (self->action);
  self->action = g_strdup (action);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTION]);
}

guint
tsu_requests_section_get_n_rows (TsuRequestsSection *self)
{
  return self->rows->len;
}

/* ---- following a form ---- */

static void
form_loaded_cb (TsuRequestsSection *self, TsuRecordForm *form)
{
  const TsuCollection *c = tsu_record_form_get_collection (form);
  const char          *id = tsu_record_form_get_id (form);
  TsuRecordPage       *page = tsu_matching_record_page (GTK_WIDGET (self));

  gtk_widget_set_visible (GTK_WIDGET (self), id != NULL);
  if (c && g_str_equal (c->name, "groups"))
    tsu_requests_section_set_group (self, page ? tsu_record_page_get_store (page) : NULL, id);
  else if (c && g_str_equal (c->name, "volunteers"))
    tsu_requests_section_set_volunteer (self, page ? tsu_record_page_get_store (page) : NULL, id);
}

static void
tsu_requests_section_root (GtkWidget *widget)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (widget);

  GTK_WIDGET_CLASS (tsu_requests_section_parent_class)->root (widget);
  if (self->follow_form && self->form == NULL)
    {
      self->form = gtk_widget_get_ancestor (widget, TSU_TYPE_RECORD_FORM);
      if (self->form)
        {
          g_signal_connect_object (self->form, "loaded", G_CALLBACK (form_loaded_cb), self,
                                   G_CONNECT_SWAPPED);
          form_loaded_cb (self, TSU_RECORD_FORM (self->form));
        }
    }
}

static void
tsu_requests_section_unroot (GtkWidget *widget)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (widget);

  if (self->form)
    g_signal_handlers_disconnect_by_func (self->form, form_loaded_cb, self);
  self->form = NULL;
  GTK_WIDGET_CLASS (tsu_requests_section_parent_class)->unroot (widget);
}

static void
tsu_requests_section_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (object);

  switch (prop_id)
    {
    case PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case PROP_FOLLOW_FORM:
      g_value_set_boolean (value, self->follow_form);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_requests_section_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (object);

  switch (prop_id)
    {
    case PROP_ACTION:
      tsu_requests_section_set_action (self, g_value_get_string (value));
      break;
    case PROP_FOLLOW_FORM:
      self->follow_form = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_requests_section_dispose (GObject *object)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_requests_section_parent_class)->dispose (object);
}

static void
tsu_requests_section_finalize (GObject *object)
{
  TsuRequestsSection *self = TSU_REQUESTS_SECTION (object);

  g_free (self->id);
  g_free (self->action);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tsu_requests_section_parent_class)->finalize (object);
}

static void
tsu_requests_section_class_init (TsuRequestsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_requests_section_dispose;
  object_class->finalize = tsu_requests_section_finalize;
  object_class->get_property = tsu_requests_section_get_property;
  object_class->set_property = tsu_requests_section_set_property;
  GTK_WIDGET_CLASS (klass)->root = tsu_requests_section_root;
  GTK_WIDGET_CLASS (klass)->unroot = tsu_requests_section_unroot;

  properties[PROP_ACTION]
      = g_param_spec_string ("action", NULL, NULL, "matching.show-request",
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLLOW_FORM]
      = g_param_spec_boolean ("follow-form", NULL, NULL, FALSE,
                              G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_requests_section_init (TsuRequestsSection *self)
{
  self->rows = g_ptr_array_new ();
  self->action = g_strdup ("matching.show-request");
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Matches"));
}

GtkWidget *
tsu_requests_section_new (void)
{
  return g_object_new (TSU_TYPE_REQUESTS_SECTION, NULL);
}
