/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-preferences-window.h"
#include "tsu-grants-preferences.h"
#include "tsu-group-preferences.h"
#include "tsu-matching-preferences.h"
#include "tsu-sync-preferences.h"

#include "tsu-application.h"

struct _TsuPreferencesWindow
{
  AdwPreferencesWindow parent_instance;

  GSettings *settings;

  AdwPreferencesPage  *general_page;
  AdwPreferencesGroup *staff_group;
  AdwEntryRow         *staff_name_row;
  AdwEntryRow         *centre_name_row;
  AdwEntryRow         *centre_head_row;
  AdwComboRow         *date_style_row;
  GtkWidget           *sync_page;
};

G_DEFINE_FINAL_TYPE (TsuPreferencesWindow, tsu_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The combo row's items, in order; the enum key stores their nicks. */
static const char *const date_style_nicks[] = { "seireki", "wareki", "both" };

static gboolean
date_style_get_mapping (GValue *value, GVariant *variant, gpointer user_data)
{
  const char *nick = g_variant_get_string (variant, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (date_style_nicks); i++)
    {
      if (g_str_equal (nick, date_style_nicks[i]))
        {
          g_value_set_uint (value, i);
          return TRUE;
        }
    }

  return FALSE;
}

static GVariant *
date_style_set_mapping (const GValue *value, const GVariantType *expected_type, gpointer user_data)
{
  guint selected = g_value_get_uint (value);

  if (selected >= G_N_ELEMENTS (date_style_nicks))
    return NULL;

  return g_variant_new_string (date_style_nicks[selected]);
}

static void
tsu_preferences_window_constructed (GObject *object)
{
  TsuPreferencesWindow *self = (TsuPreferencesWindow *)object;
  g_autofree char      *description = NULL;

  G_OBJECT_CLASS (tsu_preferences_window_parent_class)->constructed (object);

  g_settings_bind (self->settings, "centre-name", self->centre_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "centre-head", self->centre_head_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "staff-name", self->staff_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind_with_mapping (self->settings, "date-style", self->date_style_row, "selected",
                                G_SETTINGS_BIND_DEFAULT, date_style_get_mapping,
                                date_style_set_mapping, NULL, NULL);

  /* Translators: %s is the name of the computer account, used when the field is empty. */
  description = g_strdup_printf (_ ("Recorded as the author of every change made at this desk. "
                                    "When empty, “%s” is used."),
                                 g_get_real_name ());
  adw_preferences_group_set_description (self->staff_group, description);
}

static void
tsu_preferences_window_dispose (GObject *object)
{
  TsuPreferencesWindow *self = (TsuPreferencesWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsu_preferences_window_parent_class)->dispose (object);
}

static void
tsu_preferences_window_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  TsuPreferencesWindow *self = TSU_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_preferences_window_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  TsuPreferencesWindow *self = TSU_PREFERENCES_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      if (g_value_get_object (value) != NULL)
        g_set_object (&self->settings, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_preferences_window_class_init (TsuPreferencesWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tsu_preferences_window_constructed;
  object_class->dispose = tsu_preferences_window_dispose;
  object_class->get_property = tsu_preferences_window_get_property;
  object_class->set_property = tsu_preferences_window_set_property;

  /**
   * TsuPreferencesWindow:settings:
   *
   * The application's settings (schema io.github.tsunagu.Tsunagu).
   */
  properties[PROP_SETTINGS]
      = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                             (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Feature folders: g_type_ensure() the preferences groups they add to
   * tsu-preferences-window.ui here, before the template is parsed. */
  g_type_ensure (TSU_TYPE_GROUP_PREFERENCES);
  g_type_ensure (TSU_TYPE_MATCHING_PREFERENCES);
  g_type_ensure (TSU_TYPE_SYNC_PREFERENCES);
  g_type_ensure (TSU_TYPE_GRANTS_PREFERENCES);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, general_page);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, staff_group);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, staff_name_row);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, centre_name_row);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, centre_head_row);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, date_style_row);
  gtk_widget_class_bind_template_child (widget_class, TsuPreferencesWindow, sync_page);
}

static void
tsu_preferences_window_init (TsuPreferencesWindow *self)
{
  /* Before the template: feature groups bind to these settings as soon as
   * they are rooted, which happens while the template is built. A
   * "settings" given at construction replaces them (same schema). */
  GApplication *app = g_application_get_default ();

  self->settings = g_settings_new ("io.github.tsunagu.Tsunagu");

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The demo never syncs (the header offers no set-up either). */
  if (TSU_IS_APPLICATION (app) && tsu_application_get_demo (TSU_APPLICATION (app)))
    gtk_widget_set_visible (self->sync_page, FALSE);
}

/**
 * tsu_preferences_window_new:
 * @parent: (nullable): the window to stay above
 * @settings: (nullable): the settings to edit; %NULL for the default schema
 *
 * Creates the preferences window.
 *
 * Returns: (transfer full): a new #TsuPreferencesWindow
 */
TsuPreferencesWindow *
tsu_preferences_window_new (GtkWindow *parent, GSettings *settings)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (TSU_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "settings", settings,
                       NULL);
}

/**
 * tsu_preferences_window_get_settings:
 * @self: a #TsuPreferencesWindow
 *
 * Returns: (transfer none): the settings this window edits
 */
GSettings *
tsu_preferences_window_get_settings (TsuPreferencesWindow *self)
{
  g_return_val_if_fail (TSU_IS_PREFERENCES_WINDOW (self), NULL);

  return self->settings;
}

/**
 * tsu_preferences_window_get_general_page:
 * @self: a #TsuPreferencesWindow
 *
 * The page feature views add their settings groups to.
 *
 * Returns: (transfer none): the "General" page
 */
AdwPreferencesPage *
tsu_preferences_window_get_general_page (TsuPreferencesWindow *self)
{
  g_return_val_if_fail (TSU_IS_PREFERENCES_WINDOW (self), NULL);

  return self->general_page;
}
