/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <gtk/gtk.h>
#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-window.h"

#include "tsu-grants-reminders.h"
#include "tsu-grants-collections.h"
#include "tsu-grants-task.h"
#include "tsu-grants.h"
#include "tsu-record.h"

/* How often the day is looked at: a desk left on overnight, or woken from
 * sleep, gets the new day's reminders within this. */
#define CHECK_SECONDS 300

struct _TsuGrantsReminders
{
  GObject parent_instance;

  GApplication *application; /* not referenced: it owns us */
  GSettings    *settings;
  TsuStore     *store;
  GCancellable *cancellable;
  guint         timer;
  guint         running;
  char         *checking; /* the day being looked at */
};

G_DEFINE_FINAL_TYPE (TsuGrantsReminders, tsu_grants_reminders, G_TYPE_OBJECT)

enum
{
  SIGNAL_SENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
deadline_text (JsonObject *p)
{
  const TsuCollection *c = tsu_collection_lookup ("programmes");
  GDate                d;
  g_autofree char     *day = NULL;
  const char          *time = tsu_record_get_string (p, "deadline_time");
  const char          *kind = tsu_record_get_string (p, "deadline_kind");

  if (!tsu_date_from_iso (tsu_record_get_string (p, "deadline_on"), &d))
    return g_strdup ("");
  day = tsu_date_format (&d, TSU_DATE_STYLE_SEIREKI);
  return g_strdup_printf (
      "%s%s%s%s%s", day, time ? " " : "", time ? time : "", kind ? " " : "",
      kind ? tsu_field_choice_label (tsu_collection_lookup_field (c, "deadline_kind"), kind) : "");
}

/**
 * tsu_grants_reminder_notification:
 * @reminder: {programme, days_left, before, groups}
 * @id: (out): the notification's id: one a programme, so that a newer
 *   reminder replaces an older one still shown
 *
 * Returns: (transfer full): the notification
 */
GNotification *
tsu_grants_reminder_notification (JsonObject *reminder, char **id)
{
  JsonObject      *p = json_object_get_object_member (reminder, "programme");
  JsonArray       *groups = json_object_get_array_member (reminder, "groups");
  gint64           left = json_object_get_int_member (reminder, "days_left");
  const char      *name = tsu_record_get_string (p, "name");
  g_autofree char *title = NULL;
  g_autofree char *when = deadline_text (p);
  g_autoptr (GString) names = g_string_new (NULL);
  g_autofree char *body = NULL;
  GNotification   *n;

  if (left == 0)
    title = g_strdup_printf (_ ("Deadline today: %s"), name);
  else if (left == 1)
    title = g_strdup_printf (_ ("Deadline tomorrow: %s"), name);
  else
    /* TRANSLATORS: 締切まであと7日: 地域づくり活動助成 */
    title = g_strdup_printf (_ ("%d days to the deadline: %s"), (int)left, name);
  for (guint i = 0; i < json_array_get_length (groups); i++)
    g_string_append_printf (names, "%s%s", i ? _ (", ") : "",
                            json_array_get_string_element (groups, i));
  /* TRANSLATORS: the deadline, then the groups interested or preparing */
  body = g_strdup_printf (_ ("%s\nInterested or preparing: %s"), when, names->str);
  n = g_notification_new (title);
  g_notification_set_body (n, body);
  g_notification_set_priority (n, left == 0 ? G_NOTIFICATION_PRIORITY_HIGH
                                            : G_NOTIFICATION_PRIORITY_NORMAL);
  g_notification_set_default_action_and_target (n, "app.show-programme", "s",
                                                tsu_record_get_string (p, "id"));
  g_notification_add_button_with_target (n, _ ("Open"), "app.show-programme", "s",
                                         tsu_record_get_string (p, "id"));
  if (id)
    *id = g_strdup_printf ("grant-deadline-%s", tsu_record_get_string (p, "id"));
  return n;
}

typedef struct
{
  GDate after;
  GDate today;
} Span;

static JsonNode *
read_due (TsuStore *store, gpointer data, GError **error)
{
  Span      *s = data;
  JsonArray *due = tsu_grants_reminders_since (store, &s->after, &s->today, error);
  JsonNode  *node;

  if (due == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, due);
  return node;
}

typedef struct
{
  TsuGrantsReminders *self;
  void (*done) (gpointer data, guint sent);
  gpointer data;
  char    *day;
} Check;

static void
due_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Check              *c = data;
  TsuGrantsReminders *self = c->self;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);
  guint sent = 0;

  self->running--;
  if (node != NULL)
    {
      JsonArray *due = json_node_get_array (node);

      /* Off: nothing is sent, nor kept for later. */
      if (g_settings_get_boolean (self->settings, "grant-reminders"))
        for (guint i = 0; i < json_array_get_length (due); i++)
          {
            g_autofree char *id = NULL;
            g_autoptr (GNotification) n
                = tsu_grants_reminder_notification (json_array_get_object_element (due, i), &id);

            g_signal_emit (self, signals[SIGNAL_SENT], 0, id, n);
            /* Only a registered application has a notification server. */
            if (g_application_get_is_registered (self->application))
              g_application_send_notification (self->application, id, n);
            sent++;
          }
      g_settings_set_string (self->settings, "grant-reminders-checked", c->day);
    }
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_warning ("Cannot look for deadline reminders: %s", error->message);
  g_clear_pointer (&self->checking, g_free);
  if (c->done)
    c->done (c->data, sent);
  g_free (c->day);
  g_object_unref (c->self);
  g_free (c);
}

void
tsu_grants_reminders_check (TsuGrantsReminders *self,
                            void (*done) (gpointer data, guint sent),
                            gpointer data)
{
  g_autofree char *last = g_settings_get_string (self->settings, "grant-reminders-checked");
  Span            *span = g_new0 (Span, 1);
  Check           *c;

  tsu_date_today (&span->today);
  /* The first time, or a date from the future (a clock set wrong): today
   * only. */
  if (!tsu_date_from_iso (last, &span->after) || g_date_compare (&span->after, &span->today) > 0)
    {
      span->after = span->today;
      g_date_subtract_days (&span->after, 1);
    }
  if (self->store == NULL || g_date_compare (&span->after, &span->today) >= 0)
    {
      g_free (span);
      if (done)
        done (data, 0);
      return;
    }
  c = g_new0 (Check, 1);
  c->self = g_object_ref (self);
  c->done = done;
  c->data = data;
  c->day = tsu_date_to_iso (&span->today);
  g_free (self->checking);
  self->checking = g_strdup (c->day);
  self->running++;
  tsu_grants_task_run (self->store, read_due, span, g_free, self->cancellable, due_cb, c);
}

static gboolean
timer_cb (gpointer data)
{
  TsuGrantsReminders *self = data;
  g_autofree char    *last = g_settings_get_string (self->settings, "grant-reminders-checked");
  GDate               today;
  g_autofree char    *iso = NULL;

  tsu_date_today (&today);
  iso = tsu_date_to_iso (&today);
  if (self->running == 0 && g_strcmp0 (last, iso) != 0)
    tsu_grants_reminders_check (self, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

void
tsu_grants_reminders_set_store (TsuGrantsReminders *self, TsuStore *store)
{
  if (!g_set_object (&self->store, store))
    return;
  g_clear_handle_id (&self->timer, g_source_remove);
  if (store == NULL)
    return;
  tsu_grants_reminders_check (self, NULL, NULL);
  self->timer = g_timeout_add_seconds (CHECK_SECONDS, timer_cb, self);
}

static void
tsu_grants_reminders_dispose (GObject *object)
{
  TsuGrantsReminders *self = TSU_GRANTS_REMINDERS (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->timer, g_source_remove);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_grants_reminders_parent_class)->dispose (object);
}

static void
tsu_grants_reminders_finalize (GObject *object)
{
  TsuGrantsReminders *self = TSU_GRANTS_REMINDERS (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);
  g_free (self->checking);
  G_OBJECT_CLASS (tsu_grants_reminders_parent_class)->finalize (object);
}

static void
tsu_grants_reminders_class_init (TsuGrantsRemindersClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_grants_reminders_dispose;
  G_OBJECT_CLASS (klass)->finalize = tsu_grants_reminders_finalize;

  /**
   * TsuGrantsReminders::sent:
   * @id: the notification's id
   * @notification: the GNotification
   *
   * A reminder went out (tests, and a log of what was said).
   */
  signals[SIGNAL_SENT]
      = g_signal_new ("sent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_NOTIFICATION);
}

static void
tsu_grants_reminders_init (TsuGrantsReminders *self)
{
  self->cancellable = g_cancellable_new ();
}

TsuGrantsReminders *
tsu_grants_reminders_new (GApplication *application, GSettings *settings)
{
  TsuGrantsReminders *self = g_object_new (TSU_TYPE_GRANTS_REMINDERS, NULL);

  self->application = application;
  self->settings = g_object_ref (settings);
  return self;
}

/* ---- in the application ---- */

static void
store_cb (GApplication *application, GParamSpec *pspec, TsuGrantsReminders *self)
{
  tsu_grants_reminders_set_store (self, tsu_application_get_store (TSU_APPLICATION (application)));
}

static void
show_programme_cb (GSimpleAction *action, GVariant *param, gpointer data)
{
  GtkApplication *app = data;
  GtkWindow      *window = NULL;

  /* From a notification the application may have no window yet. */
  for (GList *l = gtk_application_get_windows (app); l && !window; l = l->next)
    if (TSU_IS_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    {
      g_application_activate (G_APPLICATION (app));
      for (GList *l = gtk_application_get_windows (app); l && !window; l = l->next)
        if (TSU_IS_WINDOW (l->data))
          window = l->data;
    }
  if (window == NULL)
    return;
  tsu_window_show_programme (TSU_WINDOW (window), g_variant_get_string (param, NULL));
  gtk_window_present (window);
}

void
tsu_grants_reminders_attach (GApplication *application, GSettings *settings)
{
  TsuGrantsReminders *self = tsu_grants_reminders_new (application, settings);
  g_autoptr (GSimpleAction) show = g_simple_action_new ("show-programme", G_VARIANT_TYPE_STRING);

  g_signal_connect (show, "activate", G_CALLBACK (show_programme_cb), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (show));
  g_signal_connect_object (application, "notify::store", G_CALLBACK (store_cb), self, 0);
  g_object_set_data_full (G_OBJECT (application), "tsu-grants-reminders", self, g_object_unref);
}
