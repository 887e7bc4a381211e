/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-counter-activity.h"
#include "tsu-counter-collections.h"
#include "tsu-counter-util.h"
#include "tsu-counter.h"
#include "tsu-record-form.h"
#include "tsu-record-page.h"
#include "tsu-record.h"

#define SHOWN_AT_MOST 20

struct _TsuCounterActivity
{
  AdwPreferencesGroup parent_instance;

  char          *show;  /* consultations, attended, connections */
  char          *field; /* group_id, volunteer_id */
  TsuRecordForm *form;
  TsuStore      *store;
  char          *id;
  GCancellable  *cancel;
  GPtrArray     *rows; /* the rows added, to remove them */
  guint          reload_id;
};

G_DEFINE_FINAL_TYPE (TsuCounterActivity, tsu_counter_activity, ADW_TYPE_PREFERENCES_GROUP)

enum
{
  PROP_0,
  PROP_SHOW,
  PROP_FIELD,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

static void
clear_rows (TsuCounterActivity *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (TsuCounterActivity *self, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static const char *
choice_label (const TsuChoice *choices, const char *code)
{
  for (guint i = 0; code && choices[i].code; i++)
    if (g_str_equal (choices[i].code, code))
      return _ (choices[i].label);
  return "";
}

static GtkWidget *
plain_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title ? title : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle ? subtitle : "");
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

static void
show_rows (TsuCounterActivity *self, GPtrArray *rows)
{
  gboolean         consultations = g_strcmp0 (self->show, "consultations") == 0;
  gboolean         attended = g_strcmp0 (self->show, "attended") == 0;
  guint            n = rows ? rows->len : 0;
  g_autofree char *description = NULL;

  clear_rows (self);
  if (consultations)
    description = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u consultation", "%u consultations", n), n);
  else if (attended)
    description = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "Attended %u event", "Attended %u events", n), n);
  else
    description
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u connection", "%u connections", n), n);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self), description);
  for (guint i = 0; i < MIN (n, SHOWN_AT_MOST); i++)
    {
      JsonObject *o = g_ptr_array_index (rows, i);

      if (consultations)
        {
          GtkWidget       *row = tsu_counter_consultation_row (o, TRUE);
          const char      *at = tsu_record_get_string (o, "at");
          g_autofree char *title = g_strdup_printf (
              "%.10s　%s", at ? at : "",
              choice_label (tsu_consultation_channels, tsu_record_get_string (o, "channel")));

          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
          add_row (self, row);
        }
      else if (attended)
        {
          const char      *at = tsu_record_get_string (o, "start_at");
          g_autofree char *sub
              = g_strdup_printf ("%.10s　%s", at ? at : "",
                                 choice_label (tsu_event_kinds, tsu_record_get_string (o, "kind")));

          add_row (self, plain_row (tsu_record_get_string (o, "title"), sub));
        }
      else
        {
          const char      *on = tsu_record_get_string (o, "introduced_on");
          const char      *purpose = tsu_record_get_string (o, "purpose");
          const char      *outcome = tsu_record_get_string (o, "outcome");
          g_autofree char *title = g_strdup_printf (
              "%s（%s）", tsu_record_get_string (o, "partner"),
              choice_label (tsu_partner_kinds, tsu_record_get_string (o, "partner_kind")));
          g_autofree char *sub
              = g_strdup_printf ("%s%s%s%s%s", on ? on : "", on ? "　" : "", purpose ? purpose : "",
                                 outcome ? " → " : "", outcome ? outcome : "");

          add_row (self, plain_row (title, sub));
        }
    }
}

typedef struct
{
  char *id, *show, *field;
} Read;

static void
read_free (Read *r)
{
  g_free (r->id);
  g_free (r->show);
  g_free (r->field);
  g_free (r);
}

static void
read_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancel)
{
  Read      *r = data;
  GError    *error = NULL;
  GPtrArray *rows;

  if (g_strcmp0 (r->show, "attended") == 0)
    rows = tsu_events_attended (source, r->field, r->id, &error);
  else if (g_strcmp0 (r->show, "connections") == 0)
    rows = tsu_connections_of (source, r->id, &error);
  else
    rows = tsu_consultations_of (source, r->field, r->id, 0, &error);
  if (rows)
    g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, error);
}

static void
read_done (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) rows = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_task_get_cancellable (G_TASK (result))
      && g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  show_rows (TSU_COUNTER_ACTIVITY (data), rows);
}

static void
reload (TsuCounterActivity *self)
{
  g_autoptr (GTask) task = NULL;
  Read *r;

  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  if (self->store == NULL || self->id == NULL)
    {
      clear_rows (self);
      return;
    }
  self->cancel = g_cancellable_new ();
  task = g_task_new (self->store, self->cancel, read_done, self);
  r = g_new0 (Read, 1);
  r->id = g_strdup (self->id);
  r->show = g_strdup (self->show);
  r->field = g_strdup (self->field);
  g_task_set_task_data (task, r, (GDestroyNotify)read_free);
  /* The section lives as long as its page; the task holds it meanwhile. */
  g_object_ref (self);
  g_signal_connect_swapped (task, "notify::completed", G_CALLBACK (g_object_unref), self);
  g_task_run_in_thread (task, read_thread);
}

static gboolean
reload_idle (gpointer data)
{
  TsuCounterActivity *self = data;

  self->reload_id = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed (TsuStore *store, const char *collection, GPtrArray *ids, TsuCounterActivity *self)
{
  static const char *const watched[]
      = { "consultations", "registrations", "events", "connections", "groups", NULL };

  if (self->id && g_strv_contains (watched, collection) && self->reload_id == 0)
    self->reload_id = g_idle_add (reload_idle, self);
}

static void
form_loaded (TsuRecordForm *form, TsuCounterActivity *self)
{
  GtkWidget  *page = gtk_widget_get_ancestor (GTK_WIDGET (form), TSU_TYPE_RECORD_PAGE);
  TsuStore   *store = page ? tsu_record_page_get_store (TSU_RECORD_PAGE (page)) : NULL;
  const char *id = tsu_record_form_get_id (form);

  if (store != self->store)
    {
      if (self->store)
        g_signal_handlers_disconnect_by_data (self->store, self);
      g_set_object (&self->store, store);
      if (store)
        g_signal_connect (store, "changed", G_CALLBACK (store_changed), self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), id != NULL);
  g_free (self->id);
  self->id = g_strdup (id);
  reload (self);
}

static void
tsu_counter_activity_root (GtkWidget *widget)
{
  TsuCounterActivity *self = TSU_COUNTER_ACTIVITY (widget);
  GtkWidget          *form;

  GTK_WIDGET_CLASS (tsu_counter_activity_parent_class)->root (widget);
  form = gtk_widget_get_ancestor (widget, TSU_TYPE_RECORD_FORM);
  if (form && TSU_RECORD_FORM (form) != self->form)
    {
      self->form = TSU_RECORD_FORM (form);
      g_signal_connect_object (form, "loaded", G_CALLBACK (form_loaded), self, 0);
      if (tsu_record_form_get_id (self->form))
        form_loaded (self->form, self);
    }
}

static void
tsu_counter_activity_set_property (GObject      *object,
                                   guint         id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TsuCounterActivity *self = TSU_COUNTER_ACTIVITY (object);

  switch (id)
    {
    case PROP_SHOW:
      g_free (self->show);
      self->show = g_value_dup_string (value);
      adw_preferences_group_set_title (
          ADW_PREFERENCES_GROUP (self),
          g_strcmp0 (self->show, "attended") == 0      ? _ ("Events Attended")
          : g_strcmp0 (self->show, "connections") == 0 ? _ ("Connections")
                                                       : _ ("Consultations"));
      break;
    case PROP_FIELD:
      g_free (self->field);
      self->field = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
    }
}

static void
tsu_counter_activity_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  TsuCounterActivity *self = TSU_COUNTER_ACTIVITY (object);

  if (id == PROP_SHOW)
    g_value_set_string (value, self->show);
  else if (id == PROP_FIELD)
    g_value_set_string (value, self->field);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
tsu_counter_activity_dispose (GObject *object)
{
  TsuCounterActivity *self = TSU_COUNTER_ACTIVITY (object);

  g_cancellable_cancel (self->cancel);
  g_clear_object (&self->cancel);
  g_clear_handle_id (&self->reload_id, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_counter_activity_parent_class)->dispose (object);
}

static void
tsu_counter_activity_finalize (GObject *object)
{
  TsuCounterActivity *self = TSU_COUNTER_ACTIVITY (object);

  g_free (self->show);
  g_free (self->field);
  g_free (self->id);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tsu_counter_activity_parent_class)->finalize (object);
}

static void
tsu_counter_activity_class_init (TsuCounterActivityClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_counter_activity_dispose;
  object_class->finalize = tsu_counter_activity_finalize;
  object_class->set_property = tsu_counter_activity_set_property;
  object_class->get_property = tsu_counter_activity_get_property;
  GTK_WIDGET_CLASS (klass)->root = tsu_counter_activity_root;
  properties[PROP_SHOW] = g_param_spec_string ("show", NULL, NULL, "consultations",
                                               G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FIELD] = g_param_spec_string ("field", NULL, NULL, "group_id",
                                                G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_counter_activity_init (TsuCounterActivity *self)
{
  self->show = g_strdup ("consultations");
  self->field = g_strdup ("group_id");
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Consultations"));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}
