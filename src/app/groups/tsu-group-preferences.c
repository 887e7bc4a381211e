/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-group-preferences.h"
#include "tsu-preferences-window.h"

struct _TsuGroupPreferences
{
  AdwPreferencesGroup parent_instance;
  GtkWidget          *min_members;
  GtkWidget          *renewal_days;
  gboolean            bound;
};

G_DEFINE_FINAL_TYPE (TsuGroupPreferences, tsu_group_preferences, ADW_TYPE_PREFERENCES_GROUP)

static GtkWidget *
spin_row (TsuGroupPreferences *self,
          const char          *title,
          const char          *subtitle,
          double               max,
          const char          *unit,
          GtkWidget          **spin)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *label = gtk_label_new (unit);

  *spin = gtk_spin_button_new_with_range (1, max, 1);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  /* The unit after the number (人, 日). */
  gtk_widget_add_css_class (label, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  return row;
}

static void
tsu_group_preferences_root (GtkWidget *widget)
{
  TsuGroupPreferences *self = TSU_GROUP_PREFERENCES (widget);
  GtkRoot             *root;

  GTK_WIDGET_CLASS (tsu_group_preferences_parent_class)->root (widget);
  root = gtk_widget_get_root (widget);
  if (!self->bound && TSU_IS_PREFERENCES_WINDOW (root))
    {
      GSettings *settings = tsu_preferences_window_get_settings (TSU_PREFERENCES_WINDOW (root));

      g_settings_bind (settings, "group-min-members", self->min_members, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (settings, "group-renewal-days", self->renewal_days, "value",
                       G_SETTINGS_BIND_DEFAULT);
      self->bound = TRUE;
    }
}

static void
tsu_group_preferences_class_init (TsuGroupPreferencesClass *klass)
{
  GTK_WIDGET_CLASS (klass)->root = tsu_group_preferences_root;
}

static void
tsu_group_preferences_init (TsuGroupPreferences *self)
{
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Member Groups"));
  spin_row (self, _ ("Minimum Members"), _ ("Registration warns about groups with fewer members"),
            100, _ ("members"), &self->min_members);
  spin_row (self, _ ("Renewal Period"),
            _ ("Days before the fiscal year ends from which renewal is due"), 365, _ ("days"),
            &self->renewal_days);
}

/**
 * tsu_group_preferences_new:
 *
 * Returns: (transfer floating): the preferences group
 */
GtkWidget *
tsu_group_preferences_new (void)
{
  return g_object_new (TSU_TYPE_GROUP_PREFERENCES, NULL);
}
