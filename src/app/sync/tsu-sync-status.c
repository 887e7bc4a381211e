/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync state in the header bar: 同期済み, N件の変更が未送信, 同期中 (with
 * progress and an estimate during a first sync), オフライン, 要確認 N件. A
 * popover tells more and offers sync now, the needs-attention list and the
 * settings. When the desk is not enrolled it invites to set sync up (the
 * first run's entry point). */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-preferences-window.h"
#include "tsu-sync-attention-window.h"
#include "tsu-sync-manager.h"
#include "tsu-sync-status.h"

struct _TsuSyncStatus
{
  AdwBin parent_instance;

  TsuStore       *store;
  TsuSyncManager *manager;

  GtkMenuButton  *button;
  GtkImage       *icon;
  GtkLabel       *label;
  GtkLabel       *title;
  GtkLabel       *detail;
  GtkProgressBar *progress;
  GtkButton      *sync_button;
  GtkButton      *attention_button;
};

G_DEFINE_FINAL_TYPE (TsuSyncStatus, tsu_sync_status, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (TsuSyncStatus *self)
{
  static const char *icons[] = {
    [TSU_SYNC_STATE_NOT_ENROLLED] = "network-server-symbolic",
    [TSU_SYNC_STATE_SYNCED] = "emblem-ok-symbolic",
    [TSU_SYNC_STATE_PENDING] = "document-send-symbolic",
    [TSU_SYNC_STATE_SYNCING] = "emblem-synchronizing-symbolic",
    [TSU_SYNC_STATE_OFFLINE] = "network-offline-symbolic",
    [TSU_SYNC_STATE_ATTENTION] = "dialog-warning-symbolic",
    [TSU_SYNC_STATE_FAILED] = "dialog-error-symbolic",
  };
  g_autofree char *text = NULL;
  TsuSyncState     state;
  const char      *message;
  double           fraction;

  if (self->manager == NULL)
    return;
  state = tsu_sync_manager_get_state (self->manager);
  text = tsu_sync_manager_dup_label (self->manager);
  message = tsu_sync_manager_get_message (self->manager);
  fraction = tsu_sync_manager_get_fraction (self->manager);

  gtk_label_set_label (self->label, text);
  gtk_label_set_label (self->title, text);
  gtk_image_set_from_icon_name (self->icon, icons[state]);
  gtk_widget_set_visible (GTK_WIDGET (self->progress),
                          state == TSU_SYNC_STATE_SYNCING && fraction >= 0);
  if (fraction >= 0)
    gtk_progress_bar_set_fraction (self->progress, fraction);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sync_button),
                            state != TSU_SYNC_STATE_SYNCING
                                && state != TSU_SYNC_STATE_NOT_ENROLLED);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), state != TSU_SYNC_STATE_NOT_ENROLLED);
  gtk_widget_set_visible (GTK_WIDGET (self->attention_button),
                          tsu_sync_manager_get_attention (self->manager) > 0);

  switch (state)
    {
    case TSU_SYNC_STATE_NOT_ENROLLED:
      gtk_label_set_label (self->detail,
                           _ ("This desk keeps its records on this computer only. Enrol it with "
                              "the city’s sync server to share them with the other desks."));
      break;
    case TSU_SYNC_STATE_OFFLINE:
      gtk_label_set_label (self->detail,
                           _ ("The server cannot be reached. Changes are kept on this desk and "
                              "sent as soon as the server answers again."));
      break;
    case TSU_SYNC_STATE_FAILED:
      gtk_label_set_label (self->detail, message ? message : "");
      break;
    case TSU_SYNC_STATE_ATTENTION:
      gtk_label_set_label (self->detail, _ ("Some changes met other desks’ changes or were "
                                            "refused by the server: a person decides."));
      break;
    case TSU_SYNC_STATE_PENDING:
      gtk_label_set_label (self->detail, _ ("Changes made at this desk wait to be sent."));
      break;
    case TSU_SYNC_STATE_SYNCING:
      gtk_label_set_label (self->detail, _ ("Every page stays usable while the desk syncs."));
      break;
    case TSU_SYNC_STATE_SYNCED:
    default:
      gtk_label_set_label (self->detail,
                           _ ("This desk has everything the server has, and the server has "
                              "everything from this desk."));
      break;
    }
  if (state == TSU_SYNC_STATE_NOT_ENROLLED)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "suggested-action");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "suggested-action");
}

static void
sync_clicked_cb (TsuSyncStatus *self)
{
  gtk_popover_popdown (gtk_menu_button_get_popover (self->button));
  if (self->manager != NULL)
    tsu_sync_manager_sync_now (self->manager);
}

static void
attention_clicked_cb (TsuSyncStatus *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_popover_popdown (gtk_menu_button_get_popover (self->button));
  if (self->store != NULL)
    gtk_window_present (GTK_WINDOW (tsu_sync_attention_window_new (
        GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->store)));
}

/**
 * tsu_sync_show_preferences:
 * @from: a widget of the window to stay above
 */
void
tsu_sync_show_preferences (GtkWidget *from)
{
  GtkRoot      *root = from ? gtk_widget_get_root (from) : NULL;
  GApplication *app = g_application_get_default ();
  GSettings    *settings
      = TSU_IS_APPLICATION (app) ? tsu_application_get_settings (TSU_APPLICATION (app)) : NULL;
  TsuPreferencesWindow *window
      = tsu_preferences_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, settings);

  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (window), "sync");
  gtk_window_present (GTK_WINDOW (window));
}

static void
settings_clicked_cb (TsuSyncStatus *self)
{
  gtk_popover_popdown (gtk_menu_button_get_popover (self->button));
  tsu_sync_show_preferences (GTK_WIDGET (self));
}

static void
tsu_sync_status_dispose (GObject *object)
{
  TsuSyncStatus *self = (TsuSyncStatus *)object;

  tsu_sync_status_set_store (self, NULL);
  G_OBJECT_CLASS (tsu_sync_status_parent_class)->dispose (object);
}

static void
tsu_sync_status_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuSyncStatus *self = TSU_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_sync_status_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsuSyncStatus *self = TSU_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_sync_status_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_sync_status_class_init (TsuSyncStatusClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_sync_status_dispose;
  object_class->get_property = tsu_sync_status_get_property;
  object_class->set_property = tsu_sync_status_set_property;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, icon);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, label);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, title);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, detail);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, progress);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, sync_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncStatus, attention_button);
  gtk_widget_class_bind_template_callback (widget_class, sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, attention_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, settings_clicked_cb);
}

static void
tsu_sync_status_init (TsuSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

TsuStore *
tsu_sync_status_get_store (TsuSyncStatus *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_STATUS (self), NULL);
  return self->store;
}

/**
 * tsu_sync_status_set_store:
 * @store: (nullable): the open store (the window binds its own)
 */
void
tsu_sync_status_set_store (TsuSyncStatus *self, TsuStore *store)
{
  GApplication *app = g_application_get_default ();

  g_return_if_fail (TSU_IS_SYNC_STATUS (self));

  if (self->store == store)
    return;
  if (self->manager != NULL)
    g_signal_handlers_disconnect_by_data (self->manager, self);
  self->manager = NULL;
  g_set_object (&self->store, store);
  if (store != NULL)
    {
      self->manager = tsu_sync_manager_get_for_store (store);
      if (TSU_IS_APPLICATION (app) && tsu_application_get_settings (TSU_APPLICATION (app)))
        tsu_sync_manager_set_settings (self->manager,
                                       tsu_application_get_settings (TSU_APPLICATION (app)));
      g_signal_connect_object (self->manager, "notify::label", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (self->manager, "notify::attention", G_CALLBACK (update), self,
                               G_CONNECT_SWAPPED);
      update (self);
    }
  gtk_widget_set_visible (GTK_WIDGET (self), store != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}
