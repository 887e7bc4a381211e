/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-grants-preferences.h"
#include "tsu-preferences-window.h"

struct _TsuGrantsPreferences
{
  AdwPreferencesGroup parent_instance;
  GtkWidget          *reminders;
  gboolean            bound;
};

G_DEFINE_FINAL_TYPE (TsuGrantsPreferences, tsu_grants_preferences, ADW_TYPE_PREFERENCES_GROUP)

static void
tsu_grants_preferences_root (GtkWidget *widget)
{
  TsuGrantsPreferences *self = TSU_GRANTS_PREFERENCES (widget);
  GtkRoot              *root;

  GTK_WIDGET_CLASS (tsu_grants_preferences_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (!self->bound && TSU_IS_PREFERENCES_WINDOW (root))
    {
      GSettings *settings = tsu_preferences_window_get_settings (TSU_PREFERENCES_WINDOW (root));

      g_settings_bind (settings, "grant-reminders", self->reminders, "active",
                       G_SETTINGS_BIND_DEFAULT);
      self->bound = TRUE;
    }
}

static void
tsu_grants_preferences_class_init (TsuGrantsPreferencesClass *klass)
{
  GTK_WIDGET_CLASS (klass)->root = tsu_grants_preferences_root;
}

static void
tsu_grants_preferences_init (TsuGrantsPreferences *self)
{
  GtkWidget  *row = adw_action_row_new ();
  const char *title = _ ("Deadline Reminders");

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Grants"));
  self->reminders = gtk_switch_new ();
  gtk_widget_set_valign (self->reminders, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  /* Says when they come, as people wonder about it. */
  adw_action_row_set_subtitle (
      ADW_ACTION_ROW (row),
      _ ("A notification 30 and 7 days before a deadline and on the day, for programmes with "
         "groups interested or preparing. They come while Tsunagu is open; one missed while it "
         "was closed comes once when it next opens."));
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->reminders);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->reminders);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->reminders), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  title, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
}

/**
 * tsu_grants_preferences_new:
 *
 * Returns: (transfer floating): the preferences group
 */
GtkWidget *
tsu_grants_preferences_new (void)
{
  return g_object_new (TSU_TYPE_GRANTS_PREFERENCES, NULL);
}
