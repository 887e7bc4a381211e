/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync page of the preferences. Before enrolment: the server's address,
 * the one-time code and the desk's name (this is also where the first run's
 * "set up sync" leads); a certificate that is not from a known authority is
 * shown with an explicit trust step. After: the server, sync now, sign out
 * (asking before unsent changes are dropped), and where the token is kept
 * and why. Automatic sync either way. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-sync-manager.h"
#include "tsu-sync-status.h"
#include "tsu-sync-preferences.h"
#include "tsu-sync-token.h"

struct _TsuSyncPreferences
{
  AdwPreferencesPage parent_instance;

  TsuSyncManager  *manager;
  GSettings       *settings;
  GCancellable    *cancellable;
  GTlsCertificate *to_trust;

  AdwPreferencesGroup *enrol_group;
  AdwEntryRow         *url_row;
  AdwEntryRow         *code_row;
  AdwEntryRow         *name_row;
  AdwExpanderRow      *certificate_row;
  GtkLabel            *certificate_label;
  GtkSwitch           *trust_switch;
  GtkButton           *enrol_button;
  AdwPreferencesGroup *enrolled_group;
  AdwActionRow        *server_row;
  AdwActionRow        *state_row;
  GtkSwitch           *auto_switch;
  AdwComboRow         *interval_row;
  AdwPreferencesGroup *token_group;
  AdwActionRow        *token_row;
};

G_DEFINE_FINAL_TYPE (TsuSyncPreferences, tsu_sync_preferences, ADW_TYPE_PREFERENCES_PAGE)

static const guint intervals[] = { 5, 15, 30, 60 };

static void
toast (TsuSyncPreferences *self, const char *text)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (ADW_IS_PREFERENCES_WINDOW (root))
    adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (root), adw_toast_new (text));
}

/* ---- where the token is ---- */

typedef struct
{
  char         *url;
  char         *device;
  TsuTokenPlace place;
  char         *why;
  char         *path;
} Place;

static void
place_free (Place *p)
{
  g_free (p->url);
  g_free (p->device);
  g_free (p->why);
  g_free (p->path);
  g_free (p);
}

static void
place_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Place *p = data;

  p->place = tsu_sync_token_place (p->url, p->device, &p->why);
  p->path = tsu_sync_token_file_path (p->url, p->device);
  g_task_return_boolean (task, TRUE);
}

static void
place_done (GObject *source, GAsyncResult *result, gpointer data)
{
  Place              *p = g_task_get_task_data (G_TASK (result));
  TsuSyncPreferences *self;

  if (!g_task_propagate_boolean (G_TASK (result), NULL)
      || g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (result))))
    return;
  self = TSU_SYNC_PREFERENCES (source);
  switch (p->place)
    {
    case TSU_TOKEN_PLACE_KEYRING:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                     _ ("Kept in the Keyring"));
      adw_action_row_set_subtitle (self->token_row,
                                   _ ("The desktop’s keyring (Secret Service) holds it, locked "
                                      "with the user’s login password."));
      break;
    case TSU_TOKEN_PLACE_FILE:
      {
        /* TRANSLATORS: 1: why not the keyring, 2: the file's path */
        g_autofree char *sub
            = g_strdup_printf (_ ("%1$s It is in a file only this user can read: %2$s"),
                               p->why ? p->why : "", p->path);

        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row),
                                       _ ("Kept in a Private File"));
        adw_action_row_set_subtitle (self->token_row, sub);
      }
      break;
    case TSU_TOKEN_PLACE_NONE:
    default:
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _ ("Missing"));
      adw_action_row_set_subtitle (self->token_row,
                                   _ ("The token cannot be found: enrol this desk again."));
      break;
    }
}

static void
update (TsuSyncPreferences *self)
{
  gboolean         enrolled = self->manager && tsu_sync_manager_get_enrolled (self->manager);
  g_autofree char *url = NULL;
  g_autofree char *label = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->enrol_group), !enrolled);
  gtk_widget_set_visible (GTK_WIDGET (self->enrolled_group), enrolled);
  gtk_widget_set_visible (GTK_WIDGET (self->token_group), enrolled);
  if (!enrolled || self->manager == NULL)
    return;
  url = tsu_sync_client_dup_server_url (tsu_sync_manager_get_client (self->manager));
  adw_action_row_set_subtitle (self->server_row, url ? url : "");
  label = tsu_sync_manager_dup_label (self->manager);
  adw_action_row_set_subtitle (self->state_row, label);
}

static void
enrolled_changed_cb (TsuSyncPreferences *self)
{
  TsuStore *store = self->manager ? tsu_sync_manager_get_store (self->manager) : NULL;
  g_autoptr (GTask) task = NULL;
  Place *p;

  update (self);
  if (store == NULL || !tsu_sync_manager_get_enrolled (self->manager))
    return;
  p = g_new0 (Place, 1);
  p->url = tsu_store_get_meta (store, "sync_server_url");
  p->device = tsu_store_get_meta (store, "sync_device_id");
  task = g_task_new (self, self->cancellable, place_done, NULL);
  g_task_set_task_data (task, p, (GDestroyNotify)place_free);
  g_task_run_in_thread (task, place_thread);
}

/* ---- enrolment ---- */

static void
show_certificate (TsuSyncPreferences *self, GTlsCertificate *refused)
{
  GTlsCertificate *top = refused;
  g_autofree char *text = NULL;

  /* The authority at the top of the chain the server sent (a city's
   * private CA), or the server's own certificate when it sent no more. */
  while (g_tls_certificate_get_issuer (top) != NULL)
    top = g_tls_certificate_get_issuer (top);
  g_set_object (&self->to_trust, top);
  text = tsu_sync_certificate_describe (top);
  gtk_label_set_label (self->certificate_label, text);
  gtk_switch_set_active (self->trust_switch, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_row), TRUE);
  adw_expander_row_set_expanded (self->certificate_row, TRUE);
}

static void
enrolled_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuSyncPreferences) self = data;
  g_autoptr (GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), TRUE);
  if (!tsu_sync_client_enroll_finish (TSU_SYNC_CLIENT (source), result, &error))
    {
      GTlsCertificate *refused = tsu_sync_client_get_refused_certificate (TSU_SYNC_CLIENT (source));

      if (g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_CERTIFICATE) && refused != NULL)
        show_certificate (self, refused);
      toast (self, error->message);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->code_row), "");
  gtk_widget_set_visible (GTK_WIDGET (self->certificate_row), FALSE);
  toast (self, _ ("This desk is enrolled. Its first sync starts now."));
  tsu_sync_manager_refresh (self->manager);
  tsu_sync_manager_sync_now (self->manager);
}

static void
enrol_clicked_cb (TsuSyncPreferences *self)
{
  g_autofree char *url
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->url_row))));
  g_autofree char *code
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->code_row))));
  g_autofree char *name
      = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  TsuSyncClient *client;

  if (self->manager == NULL)
    return;
  if (*url == '\0' || *code == '\0')
    {
      toast (self, _ ("Type the server’s address and the enrolment code."));
      return;
    }
  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      g_autofree char *with = g_strconcat ("https://", url, NULL);
      g_free (url);
      url = g_steal_pointer (&with);
    }
  client = tsu_sync_manager_get_client (self->manager);
  /* Trusted only by an explicit choice, for this enrolment and after. */
  if (self->to_trust != NULL && gtk_switch_get_active (self->trust_switch))
    tsu_sync_client_set_trusted_certificate (client, self->to_trust);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enrol_button), FALSE);
  tsu_sync_client_enroll_async (client, url, code, *name ? name : g_get_host_name (),
                                self->cancellable, enrolled_cb, g_object_ref (self));
}

/* ---- enrolled ---- */

static void
sync_now_clicked_cb (TsuSyncPreferences *self)
{
  if (self->manager != NULL)
    tsu_sync_manager_sync_now (self->manager);
}

static void
signed_out_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuSyncPreferences) self = data;
  g_autoptr (GError) error = NULL;

  if (!tsu_sync_client_sign_out_finish (TSU_SYNC_CLIENT (source), result, &error))
    toast (self, error->message);
  else
    toast (self, _ ("Signed out. The records stay on this desk."));
  tsu_sync_manager_refresh (self->manager);
}

static void
sign_out_response_cb (AdwMessageDialog *dialog, const char *response, TsuSyncPreferences *self)
{
  if (g_strcmp0 (response, "sign-out") != 0 && g_strcmp0 (response, "discard") != 0)
    return;
  tsu_sync_client_sign_out_async (tsu_sync_manager_get_client (self->manager),
                                  g_str_equal (response, "discard"), self->cancellable,
                                  signed_out_cb, g_object_ref (self));
}

static void
sign_out_clicked_cb (TsuSyncPreferences *self)
{
  GtkRoot   *root = gtk_widget_get_root (GTK_WIDGET (self));
  guint      pending = tsu_sync_manager_get_pending (self->manager);
  GtkWidget *dialog;

  if (pending > 0)
    {
      g_autofree char *body = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE,
                       "%u change made at this desk has not been sent. Signing out now drops it: "
                       "the record keeps the change here, but the server and the other desks "
                       "never get it. Sync first to keep it.",
                       "%u changes made at this desk have not been sent. Signing out now drops "
                       "them: the records keep the changes here, but the server and the other "
                       "desks never get them. Sync first to keep them.",
                       pending),
          pending);

      dialog = adw_message_dialog_new (GTK_WINDOW (root), _ ("Discard Unsent Changes?"), body);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"),
                                        "discard", _ ("_Discard and Sign Out"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  else
    {
      dialog = adw_message_dialog_new (
          GTK_WINDOW (root), _ ("Sign Out?"),
          _ ("This desk stops syncing and forgets its token. Its records stay; it can be "
             "enrolled again with a new code."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _ ("_Cancel"),
                                        "sign-out", _ ("_Sign Out"), NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "sign-out",
                                                  ADW_RESPONSE_DESTRUCTIVE);
    }
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (sign_out_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- settings ---- */

static gboolean
interval_get (GValue *value, GVariant *variant, gpointer user_data)
{
  guint minutes = g_variant_get_uint32 (variant), best = 1;

  for (guint i = 0; i < G_N_ELEMENTS (intervals); i++)
    if (intervals[i] <= minutes)
      best = i;
  g_value_set_uint (value, minutes < intervals[0] ? 0 : best);
  return TRUE;
}

static GVariant *
interval_set (const GValue *value, const GVariantType *type, gpointer user_data)
{
  guint i = g_value_get_uint (value);

  return g_variant_new_uint32 (intervals[MIN (i, G_N_ELEMENTS (intervals) - 1)]);
}

static void
tsu_sync_preferences_root (GtkWidget *widget)
{
  TsuSyncPreferences *self = TSU_SYNC_PREFERENCES (widget);
  GApplication       *app = g_application_get_default ();
  TsuStore           *store
      = TSU_IS_APPLICATION (app) ? tsu_application_get_store (TSU_APPLICATION (app)) : NULL;

  GTK_WIDGET_CLASS (tsu_sync_preferences_parent_class)->root (widget);
  if (self->manager != NULL || store == NULL)
    {
      update (self);
      return;
    }
  self->manager = g_object_ref (tsu_sync_manager_get_for_store (store));
  g_signal_connect_object (self->manager, "notify::enrolled", G_CALLBACK (enrolled_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->manager, "notify::label", G_CALLBACK (update), self,
                           G_CONNECT_SWAPPED);
  enrolled_changed_cb (self);
}

static void
tsu_sync_preferences_dispose (GObject *object)
{
  TsuSyncPreferences *self = (TsuSyncPreferences *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->manager);
  g_clear_object (&self->settings);
  g_clear_object (&self->to_trust);
  G_OBJECT_CLASS (tsu_sync_preferences_parent_class)->dispose (object);
}

static void
tsu_sync_preferences_finalize (GObject *object)
{
  TsuSyncPreferences *self = (TsuSyncPreferences *)object;

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_sync_preferences_parent_class)->finalize (object);
}

static void
tsu_sync_preferences_class_init (TsuSyncPreferencesClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_sync_preferences_dispose;
  object_class->finalize = tsu_sync_preferences_finalize;
  widget_class->root = tsu_sync_preferences_root;

  tsu_sync_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-sync-preferences.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, enrol_group);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, url_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, code_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, name_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, certificate_label);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, trust_switch);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, enrol_button);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, enrolled_group);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, server_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, state_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, auto_switch);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, interval_row);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, token_group);
  gtk_widget_class_bind_template_child (widget_class, TsuSyncPreferences, token_row);
  gtk_widget_class_bind_template_callback (widget_class, enrol_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_now_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sign_out_clicked_cb);
}

static void
tsu_sync_preferences_init (TsuSyncPreferences *self)
{
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new ("io.github.tsunagu.Tsunagu");
  g_settings_bind (self->settings, "sync-automatically", self->auto_switch, "active",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "sync-interval", self->interval_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, interval_get, interval_set, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->name_row), g_get_host_name ());
}
