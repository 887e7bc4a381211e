/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-matching-preferences.h"
#include "tsu-preferences-window.h"

struct _TsuMatchingPreferences
{
  AdwPreferencesGroup parent_instance;
  GtkWidget          *lapsed_years;
  gboolean            bound;
};

G_DEFINE_FINAL_TYPE (TsuMatchingPreferences, tsu_matching_preferences, ADW_TYPE_PREFERENCES_GROUP)

static void
tsu_matching_preferences_root (GtkWidget *widget)
{
  TsuMatchingPreferences *self = TSU_MATCHING_PREFERENCES (widget);
  GtkRoot                *root;

  GTK_WIDGET_CLASS (tsu_matching_preferences_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (!self->bound && TSU_IS_PREFERENCES_WINDOW (root))
    {
      g_settings_bind (tsu_preferences_window_get_settings (TSU_PREFERENCES_WINDOW (root)),
                       "volunteer-lapsed-years", self->lapsed_years, "value",
                       G_SETTINGS_BIND_DEFAULT);
      self->bound = TRUE;
    }
}

static void
tsu_matching_preferences_class_init (TsuMatchingPreferencesClass *klass)
{
  GTK_WIDGET_CLASS (klass)->root = tsu_matching_preferences_root;
}

static void
tsu_matching_preferences_init (TsuMatchingPreferences *self)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Volunteers"));
  self->lapsed_years = gtk_spin_button_new_with_range (1, 20, 1);
  gtk_widget_set_valign (self->lapsed_years, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _ ("Keep Ended Registrations"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                               _ ("Years after a registration ends before it is listed for "
                                  "deletion"));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), self->lapsed_years);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), self->lapsed_years);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->lapsed_years),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _ ("Keep Ended Registrations"),
                                  -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
}

GtkWidget *
tsu_matching_preferences_new (void)
{
  return g_object_new (TSU_TYPE_MATCHING_PREFERENCES, NULL);
}
