/* SPDX-License-Identifier: GPL-3.0-or-later */
/* One per open store: the desk's sync client, when it syncs by itself
 * (an interval, soon after a change, at once when the network comes back,
 * and again and again while the server cannot be reached), and the state
 * the header shows. Everything that touches the disk or the network runs
 * in the client's workers: nothing here blocks the GTK main loop. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-sync-manager.h"

#define CHANGE_DELAY_S 5 /* a sync this long after the last local change */
#define RETRY_FIRST_S 2  /* then 4, 8… while the server cannot be reached */
#define RETRY_MAX_S 60
#define REFRESH_DELAY_MS 200 /* counts read again after a burst of changes */

struct _TsuSyncManager
{
  GObject parent_instance;

  TsuStore        *store;
  TsuSyncClient   *client;
  GSettings       *settings;
  GNetworkMonitor *monitor;
  GCancellable    *cancellable;

  TsuSyncState state;
  gboolean     enrolled;
  gboolean     syncing;
  gboolean     again;   /* a sync was asked for while one ran */
  GError      *error;   /* the last sync's failure */
  char        *message; /* what to tell staff about it */
  guint        pending;
  guint        conflicts;
  guint        rejected;
  double       fraction;
  gint64       eta;
  guint        retry_s;

  guint interval_id;
  guint change_id;
  guint retry_id;
  guint refresh_id;
};

G_DEFINE_FINAL_TYPE (TsuSyncManager, tsu_sync_manager, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STATE,
  PROP_LABEL,
  PROP_PENDING,
  PROP_ATTENTION,
  PROP_FRACTION,
  PROP_ENROLLED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void schedule (TsuSyncManager *self);

static gboolean
automatic (TsuSyncManager *self)
{
  return self->settings == NULL || g_settings_get_boolean (self->settings, "sync-automatically");
}

static void
update_state (TsuSyncManager *self)
{
  TsuSyncState state;

  if (!self->enrolled)
    state = TSU_SYNC_STATE_NOT_ENROLLED;
  else if (self->syncing)
    state = TSU_SYNC_STATE_SYNCING;
  else if (self->error != NULL
           && (g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_NETWORK)
               || g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TIMEOUT)
               || g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_SERVER)))
    state = TSU_SYNC_STATE_OFFLINE;
  else if (self->error != NULL)
    state = TSU_SYNC_STATE_FAILED;
  else if (self->conflicts + self->rejected > 0)
    state = TSU_SYNC_STATE_ATTENTION;
  else if (self->pending > 0)
    state = TSU_SYNC_STATE_PENDING;
  else
    state = TSU_SYNC_STATE_SYNCED;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

/* ---- counts, read on the store's reader connection ---- */

static void
summary_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  TsuSyncManager *self = source;
  GError         *error = NULL;
  JsonObject     *sum = tsu_sync_client_get_summary (self->client, &error);

  if (sum == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, sum, (GDestroyNotify)json_object_unref);
}

static void
summary_done (GObject *source, GAsyncResult *result, gpointer data)
{
  TsuSyncManager *self = TSU_SYNC_MANAGER (source);
  g_autoptr (JsonObject) sum = g_task_propagate_pointer (G_TASK (result), NULL);
  gboolean was_enrolled = self->enrolled;

  if (sum == NULL)
    return;
  self->enrolled = json_object_get_boolean_member (sum, "enrolled");
  self->pending = json_object_get_int_member (sum, "pending");
  self->conflicts = json_object_get_int_member (sum, "conflicts");
  self->rejected = json_object_get_int_member (sum, "rejected");
  if (!self->enrolled)
    g_clear_error (&self->error);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION]);
  if (was_enrolled != self->enrolled)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENROLLED]);
      schedule (self);
    }
  update_state (self);
}

/**
 * tsu_sync_manager_refresh:
 *
 * Reads the counts again (in a worker), e.g. after a conflict was resolved.
 */
void
tsu_sync_manager_refresh (TsuSyncManager *self)
{
  g_autoptr (GTask) task = g_task_new (self, NULL, summary_done, NULL);

  g_return_if_fail (TSU_IS_SYNC_MANAGER (self));
  g_task_run_in_thread (task, summary_thread);
}

static gboolean
refresh_cb (gpointer data)
{
  TsuSyncManager *self = data;

  self->refresh_id = 0;
  tsu_sync_manager_refresh (self);
  return G_SOURCE_REMOVE;
}

static gboolean
change_cb (gpointer data)
{
  TsuSyncManager *self = data;

  self->change_id = 0;
  if (self->pending > 0 && self->state != TSU_SYNC_STATE_OFFLINE)
    tsu_sync_manager_sync_now (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuSyncManager *self, const char *collection, const char *const *ids)
{
  if (self->refresh_id == 0)
    self->refresh_id = g_timeout_add (REFRESH_DELAY_MS, refresh_cb, self);
  /* A change made here goes out soon after the last of a burst. */
  if (!self->syncing && self->enrolled && automatic (self))
    {
      g_clear_handle_id (&self->change_id, g_source_remove);
      self->change_id = g_timeout_add_seconds (CHANGE_DELAY_S, change_cb, self);
    }
}

/* ---- syncing ---- */

static gboolean
retry_cb (gpointer data)
{
  TsuSyncManager *self = data;

  self->retry_id = 0;
  tsu_sync_manager_sync_now (self);
  return G_SOURCE_REMOVE;
}

static gboolean
interval_cb (gpointer data)
{
  TsuSyncManager *self = data;

  tsu_sync_manager_sync_now (self);
  return G_SOURCE_CONTINUE;
}

/* The timers that follow the settings and the state. */
static void
schedule (TsuSyncManager *self)
{
  g_clear_handle_id (&self->interval_id, g_source_remove);
  if (!self->enrolled || !automatic (self))
    {
      g_clear_handle_id (&self->retry_id, g_source_remove);
      g_clear_handle_id (&self->change_id, g_source_remove);
      return;
    }
  self->interval_id = g_timeout_add_seconds (
      60 * (self->settings ? g_settings_get_uint (self->settings, "sync-interval") : 15),
      interval_cb, self);
}

static void
progress_cb (TsuSyncManager *self, guint pulled, double fraction, gint64 eta, TsuSyncClient *c)
{
  self->fraction = fraction;
  self->eta = eta;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LABEL]);
}

static void
synced_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuSyncManager) self = data;
  g_autoptr (GError) error = NULL;
  TsuSyncStats stats;

  self->syncing = FALSE;
  self->fraction = -1;
  self->eta = -1;
  g_clear_error (&self->error);
  g_clear_pointer (&self->message, g_free);
  if (!tsu_sync_client_sync_finish (TSU_SYNC_CLIENT (source), result, &stats, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("sync failed: %s", error->message);
      self->message = g_strdup (error->message);
      self->error = g_steal_pointer (&error);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);

  /* Offline: again by itself, sooner at first, while the setting allows. */
  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->error != NULL && automatic (self)
      && (g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_NETWORK)
          || g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TIMEOUT)
          || g_error_matches (self->error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_SERVER)))
    {
      self->retry_s = self->retry_s ? MIN (self->retry_s * 2, RETRY_MAX_S) : RETRY_FIRST_S;
      self->retry_id = g_timeout_add_seconds (self->retry_s, retry_cb, self);
    }
  else
    self->retry_s = 0;
  update_state (self);
  tsu_sync_manager_refresh (self);
  if (self->again)
    {
      self->again = FALSE;
      tsu_sync_manager_sync_now (self);
    }
}

/**
 * tsu_sync_manager_sync_now:
 *
 * Starts a sync unless one runs (then another follows it).
 */
void
tsu_sync_manager_sync_now (TsuSyncManager *self)
{
  g_return_if_fail (TSU_IS_SYNC_MANAGER (self));

  if (!self->enrolled)
    return;
  if (self->syncing)
    {
      self->again = TRUE;
      return;
    }
  g_clear_handle_id (&self->change_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->syncing = TRUE;
  self->fraction = -1;
  update_state (self);
  tsu_sync_client_sync_async (self->client, self->cancellable, synced_cb, g_object_ref (self));
}

static void
network_changed_cb (TsuSyncManager *self, gboolean available, GNetworkMonitor *monitor)
{
  /* A hint only: back on the network, try at once instead of waiting. */
  if (available && self->enrolled && automatic (self)
      && (self->state == TSU_SYNC_STATE_OFFLINE || self->pending > 0))
    tsu_sync_manager_sync_now (self);
}

static void
settings_changed_cb (TsuSyncManager *self, const char *key, GSettings *settings)
{
  schedule (self);
  if (automatic (self) && self->pending > 0)
    tsu_sync_manager_sync_now (self);
}

/**
 * tsu_sync_manager_set_settings:
 *
 * Follows sync-automatically and sync-interval of @settings.
 */
void
tsu_sync_manager_set_settings (TsuSyncManager *self, GSettings *settings)
{
  g_return_if_fail (TSU_IS_SYNC_MANAGER (self));

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings != NULL)
    {
      g_signal_connect_object (settings, "changed::sync-automatically",
                               G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (settings, "changed::sync-interval", G_CALLBACK (settings_changed_cb),
                               self, G_CONNECT_SWAPPED);
    }
  schedule (self);
}

/* ---- object ---- */

static void
tsu_sync_manager_dispose (GObject *object)
{
  TsuSyncManager *self = (TsuSyncManager *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->interval_id, g_source_remove);
  g_clear_handle_id (&self->change_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);
  g_clear_object (&self->settings);
  g_clear_object (&self->client);
  G_OBJECT_CLASS (tsu_sync_manager_parent_class)->dispose (object);
}

static void
tsu_sync_manager_finalize (GObject *object)
{
  TsuSyncManager *self = (TsuSyncManager *)object;

  g_clear_object (&self->cancellable);
  g_clear_error (&self->error);
  g_free (self->message);
  G_OBJECT_CLASS (tsu_sync_manager_parent_class)->finalize (object);
}

static void
tsu_sync_manager_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuSyncManager *self = TSU_SYNC_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_LABEL:
      g_value_take_string (value, tsu_sync_manager_dup_label (self));
      break;
    case PROP_PENDING:
      g_value_set_uint (value, self->pending);
      break;
    case PROP_ATTENTION:
      g_value_set_uint (value, self->conflicts + self->rejected);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_ENROLLED:
      g_value_set_boolean (value, self->enrolled);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_sync_manager_class_init (TsuSyncManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_sync_manager_dispose;
  object_class->finalize = tsu_sync_manager_finalize;
  object_class->get_property = tsu_sync_manager_get_property;

  properties[PROP_STATE] = g_param_spec_int ("state", NULL, NULL, 0, TSU_SYNC_STATE_FAILED, 0,
                                             G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL]
      = g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] = g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTENTION] = g_param_spec_uint ("attention", NULL, NULL, 0, G_MAXUINT, 0,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, -1, 1, -1,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENROLLED] = g_param_spec_boolean ("enrolled", NULL, NULL, FALSE,
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_sync_manager_init (TsuSyncManager *self)
{
  self->cancellable = g_cancellable_new ();
  self->fraction = -1;
  self->eta = -1;
}

/**
 * tsu_sync_manager_get_for_store:
 *
 * Returns: (transfer none): the manager of @store, made on first use (it
 *   lives as long as the store)
 */
TsuSyncManager *
tsu_sync_manager_get_for_store (TsuStore *store)
{
  TsuSyncManager *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_get_data (G_OBJECT (store), "tsu-sync-manager");
  if (self != NULL)
    return self;
  self = g_object_new (TSU_TYPE_SYNC_MANAGER, NULL);
  self->store = store; /* the store owns the manager */
  self->client = tsu_sync_client_new (store);
  g_signal_connect_object (self->client, "progress", G_CALLBACK (progress_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  self->monitor = g_network_monitor_get_default ();
  g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_object_set_data_full (G_OBJECT (store), "tsu-sync-manager", self, g_object_unref);
  update_state (self);
  tsu_sync_manager_refresh (self);
  return self;
}

TsuSyncClient *
tsu_sync_manager_get_client (TsuSyncManager *self)
{
  return self->client;
}

TsuStore *
tsu_sync_manager_get_store (TsuSyncManager *self)
{
  return self->store;
}

TsuSyncState
tsu_sync_manager_get_state (TsuSyncManager *self)
{
  return self->state;
}

const char *
tsu_sync_manager_get_message (TsuSyncManager *self)
{
  return self->message;
}

guint
tsu_sync_manager_get_pending (TsuSyncManager *self)
{
  return self->pending;
}

guint
tsu_sync_manager_get_attention (TsuSyncManager *self)
{
  return self->conflicts + self->rejected;
}

double
tsu_sync_manager_get_fraction (TsuSyncManager *self)
{
  return self->fraction;
}

gint64
tsu_sync_manager_get_eta (TsuSyncManager *self)
{
  return self->eta;
}

gboolean
tsu_sync_manager_get_enrolled (TsuSyncManager *self)
{
  return self->enrolled;
}

/**
 * tsu_sync_manager_dup_label:
 *
 * Returns: (transfer full): the state in a few words, for the header
 */
char *
tsu_sync_manager_dup_label (TsuSyncManager *self)
{
  guint n;

  switch (self->state)
    {
    case TSU_SYNC_STATE_NOT_ENROLLED:
      return g_strdup (_ ("Set Up Sync"));
    case TSU_SYNC_STATE_SYNCED:
      return g_strdup (_ ("Synced"));
    case TSU_SYNC_STATE_PENDING:
      n = self->pending;
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u change not sent", "%u changes not sent", n), n);
    case TSU_SYNC_STATE_SYNCING:
      if (self->fraction >= 0 && self->eta > 0)
        {
          g_autofree char *left = self->eta >= 90
                                      ? g_strdup_printf (_ ("%d min"), (int)((self->eta + 30) / 60))
                                      : g_strdup_printf (_ ("%d s"), (int)self->eta);

          /* TRANSLATORS: a first sync: how far, and about how long is left */
          return g_strdup_printf (_ ("Syncing %d%% (about %s left)"), (int)(self->fraction * 100),
                                  left);
        }
      if (self->fraction >= 0)
        return g_strdup_printf (_ ("Syncing %d%%"), (int)(self->fraction * 100));
      return g_strdup (_ ("Syncing…"));
    case TSU_SYNC_STATE_OFFLINE:
      return g_strdup (_ ("Offline"));
    case TSU_SYNC_STATE_ATTENTION:
      n = self->conflicts + self->rejected;
      return g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u needs attention", "%u need attention", n), n);
    case TSU_SYNC_STATE_FAILED:
    default:
      return g_strdup (_ ("Cannot Sync"));
    }
}
