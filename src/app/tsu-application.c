/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <locale.h>
#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tsu-application.h"
#include "tsu-demo.h"
#include "tsu-date.h"
#include "tsu-grants-reminders.h"
#include "tsu-preferences-window.h"
#include "tsunagu-groups-resources.h"
#include "tsunagu-resources.h"
#include "tsu-window.h"

typedef struct
{
  TsuLocalCommandFunc func;
  gpointer            user_data;
} TsuLocalCommand;

struct _TsuApplication
{
  AdwApplication parent_instance;

  GSettings    *settings;
  GCancellable *cancellable;
  GArray       *commands;

  char    *db_path;
  gboolean demo;

  /* The file being opened or open, the result, or why it failed. */
  char     *open_path;
  TsuStore *store;
  GError   *open_error;
  guint     opening : 1;
};

G_DEFINE_FINAL_TYPE (TsuApplication, tsu_application, ADW_TYPE_APPLICATION)

enum
{
  PROP_0,
  PROP_DB_PATH,
  PROP_DEMO,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const GOptionEntry main_entries[]
    = { { "db", 0, 0, G_OPTION_ARG_FILENAME, NULL,
          N_ ("Open the database FILE instead of the usual one"), N_ ("FILE") },
        { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
          N_ ("Open the demo database, creating it with fictitious data the first time"), NULL },
        { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_ ("Show the version and exit"), NULL },
        /* Files after a command's option (--import TYPE FILE); a command
         * takes them with tsu_application_get_arguments(). */
        { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, NULL, NULL, NULL },
        { NULL } };

/**
 * tsu_application_init_i18n:
 *
 * Sets the locale and binds the message catalogue. $TSUNAGU_LOCALEDIR
 * overrides the installed location, so the build tree runs translated.
 */
void
tsu_application_init_i18n (void)
{
  const char      *override = g_getenv ("TSUNAGU_LOCALEDIR");
  g_autofree char *localedir = NULL;

  if (override != NULL && override[0] != '\0')
    localedir = g_canonicalize_filename (override, NULL);
  else
    localedir = g_strdup (LOCALEDIR);

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

/**
 * tsu_resources_ensure:
 *
 * Registers the application's resources (templates, icons) once. Every class
 * with a template calls it in class_init, so tests need no application.
 */
void
tsu_resources_ensure (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      tsu_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

static GList *
tsu_application_list_main_windows (TsuApplication *self)
{
  GList *list = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (TSU_IS_WINDOW (l->data))
        list = g_list_prepend (list, l->data);
    }

  return g_list_reverse (list);
}

static void
tsu_application_apply_author (TsuApplication *self)
{
  g_autofree char *name = NULL;

  if (self->store == NULL || self->settings == NULL)
    return;

  name = g_strstrip (g_settings_get_string (self->settings, "staff-name"));
  tsu_store_set_author (self->store, name[0] != '\0' ? name : g_get_real_name ());
}

static void
tsu_application_staff_name_changed_cb (TsuApplication *self, const char *key, GSettings *settings)
{
  tsu_application_apply_author (self);
}

static void
tsu_application_open_failed (TsuApplication *self, const GError *error)
{
  g_autoptr (GList) windows = NULL;

  self->opening = FALSE;
  g_clear_error (&self->open_error);
  self->open_error = g_error_copy (error);

  /* Said on the terminal too, for whoever started us from one. */
  g_message ("%s", error->message);

  windows = tsu_application_list_main_windows (self);
  for (GList *l = windows; l != NULL; l = l->next)
    tsu_window_show_error (l->data, error, self->open_path);
}

static void
tsu_application_store_opened_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TsuApplication) self = user_data;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GList) windows = NULL;

  store = tsu_store_open_finish (result, &error);
  if (store == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tsu_application_open_failed (self, error);
      return;
    }

  self->opening = FALSE;
  g_set_object (&self->store, store);
  tsu_application_apply_author (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);

  windows = tsu_application_list_main_windows (self);
  for (GList *l = windows; l != NULL; l = l->next)
    tsu_window_set_store (l->data, store);
}

static void
tsu_application_remove_database_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

/* Runs in a worker thread. Fills a side file and renames it into place, so
 * an interrupted first run never leaves a half-filled demo behind. */
static gboolean
tsu_application_create_demo (const char *path, GError **error)
{
  g_autofree char *partial = g_strconcat (path, ".partial", NULL);
  g_autofree char *partial_wal = g_strconcat (partial, "-wal", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr (TsuStore) store = NULL;

  tsu_application_remove_database_files (partial);

  store = tsu_store_open (partial, error);
  if (store == NULL)
    return FALSE;

  if (!tsu_demo_populate (store, TSU_DEMO_SEED, error))
    {
      g_clear_object (&store);
      tsu_application_remove_database_files (partial);
      return FALSE;
    }
  g_clear_object (&store);

  /* SQLite normally folds the WAL in on close; carry it along if not. */
  if ((g_file_test (partial_wal, G_FILE_TEST_EXISTS) && g_rename (partial_wal, wal) != 0)
      || g_rename (partial, path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _ ("Could not create the demo database: %s"), g_strerror (saved_errno));
      tsu_application_remove_database_files (partial);
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  char    *path;
  gboolean demo;
} TsuOpenData;

static void
tsu_open_data_free (gpointer data)
{
  TsuOpenData *open_data = data;

  g_free (open_data->path);
  g_free (open_data);
}

static void
tsu_application_prepare_thread (GTask        *task,
                                gpointer      source_object,
                                gpointer      task_data,
                                GCancellable *cancellable)
{
  const TsuOpenData *data = task_data;
  GError            *error = NULL;

  /* A demo made for a fiscal year that is over is made anew: its dates
   * follow the day it was made, so that every status shows. */
  if (data->demo && g_file_test (data->path, G_FILE_TEST_EXISTS))
    {
      g_autoptr (TsuStore) old = tsu_store_open (data->path, NULL);
      g_autofree char *made = old ? tsu_store_get_meta (old, TSU_DEMO_FISCAL_YEAR_KEY) : NULL;
      GDate            today;

      tsu_date_today (&today);
      if (old && made && g_ascii_strtoll (made, NULL, 10) != tsu_fiscal_year (&today))
        {
          g_clear_object (&old);
          tsu_application_remove_database_files (data->path);
        }
    }

  /* The store creates missing folders itself; only the demo needs work here. */
  if (data->demo && !g_file_test (data->path, G_FILE_TEST_EXISTS)
      && !tsu_application_create_demo (data->path, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
tsu_application_prepared_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  TsuApplication *self = TSU_APPLICATION (object);
  g_autoptr (GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        tsu_application_open_failed (self, error);
      return;
    }

  tsu_store_open_async (self->open_path, self->cancellable, tsu_application_store_opened_cb,
                        g_object_ref (self));
}

static void
tsu_application_start_open (TsuApplication *self)
{
  g_autoptr (GTask) task = NULL;
  TsuOpenData *data;

  if (self->opening || self->store != NULL || self->open_error != NULL)
    return;

  self->opening = TRUE;
  g_free (self->open_path);
  self->open_path = tsu_application_dup_db_path (self);

  task = g_task_new (self, self->cancellable, tsu_application_prepared_cb, NULL);
  g_task_set_source_tag (task, tsu_application_start_open);
  data = g_new0 (TsuOpenData, 1);
  data->path = g_strdup (self->open_path);
  /* Demo data only ever goes into the demo file, never into a --db file. */
  data->demo = self->demo && self->db_path == NULL;
  g_task_set_task_data (task, data, tsu_open_data_free);
  g_task_run_in_thread (task, tsu_application_prepare_thread);
}

static void
tsu_application_activate (GApplication *application)
{
  TsuApplication *self = (TsuApplication *)application;
  g_autoptr (GList) windows = tsu_application_list_main_windows (self);
  TsuWindow *window;

  if (windows != NULL)
    {
      gtk_window_present (windows->data);
      return;
    }

  window = tsu_window_new (self);
  if (self->store != NULL)
    tsu_window_set_store (window, self->store);
  else if (self->open_error != NULL)
    tsu_window_show_error (window, self->open_error, self->open_path);
  else
    tsu_application_start_open (self);

  gtk_window_present (GTK_WINDOW (window));
}

static void
tsu_application_preferences_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TsuApplication       *self = user_data;
  TsuPreferencesWindow *preferences;

  preferences = tsu_preferences_window_new (
      gtk_application_get_active_window (GTK_APPLICATION (self)), self->settings);
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
tsu_application_about_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TsuApplication    *self = user_data;
  static const char *developers[] = { "Tsunagu developers", NULL };
  GtkWidget         *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW, "transient-for",
                        gtk_application_get_active_window (GTK_APPLICATION (self)), "modal", TRUE,
                        "application-name", _ ("Tsunagu"), "application-icon", APP_ID, "version",
                        VERSION, "developer-name", "Tsunagu developers", "developers", developers,
                        "copyright", "© 2026 Tsunagu developers", "license-type",
                        GTK_LICENSE_GPL_3_0, "comments",
                        _ ("A desk register for civic activity support centres: "
                           "civic groups, volunteer matching, equipment lending "
                           "and grants, with the history of every change."),
                        "website", "https://github.com/tsunagu/tsunagu", "issue-url",
                        "https://github.com/tsunagu/tsunagu/issues",
                        /* Translators: your names, one a line. */
                        "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
tsu_application_quit_action (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  TsuApplication *self = user_data;
  g_autoptr (GList) windows = NULL;

  /* Closing (not destroying) lets each window save its state, or refuse. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
}

static const GActionEntry app_entries[] = {
  { "preferences", tsu_application_preferences_action },
  { "about", tsu_application_about_action },
  { "quit", tsu_application_quit_action },
};

static void
tsu_application_startup (GApplication *application)
{
  TsuApplication *self = (TsuApplication *)application;
  static gsize    name_set = 0;
  static const struct
  {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.preferences", { "<Primary>comma", NULL } },
    { "app.quit", { "<Primary>q", NULL } },
    { "win.show-help-overlay", { "<Primary>question", NULL } },
    { "win.page('groups')", { "<Alt>1", NULL } },
    { "win.page('matching')", { "<Alt>2", NULL } },
    { "win.page('equipment')", { "<Alt>3", NULL } },
    { "win.page('grants')", { "<Alt>4", NULL } },
  };

  G_APPLICATION_CLASS (tsu_application_parent_class)->startup (application);

  /* Once per process (GLib refuses a second call; tests start several). */
  if (g_once_init_enter (&name_set))
    {
      g_set_application_name (_ ("Tsunagu"));
      g_once_init_leave (&name_set, 1);
    }
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_entries, G_N_ELEMENTS (app_entries),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  /* Here, not in init: --version and command-line commands need no schema. */
  self->settings = g_settings_new ("io.github.tsunagu.Tsunagu");
  g_signal_connect_object (self->settings, "changed::staff-name",
                           G_CALLBACK (tsu_application_staff_name_changed_cb), self,
                           G_CONNECT_SWAPPED);
  /* Feature hooks: one line each. */
  tsu_grants_reminders_attach (application, self->settings);
}

static void
tsu_application_shutdown (GApplication *application)
{
  TsuApplication *self = (TsuApplication *)application;

  g_cancellable_cancel (self->cancellable);

  G_APPLICATION_CLASS (tsu_application_parent_class)->shutdown (application);
}

static int
tsu_application_handle_local_options (GApplication *application, GVariantDict *options)
{
  TsuApplication *self = (TsuApplication *)application;
  const char     *db = NULL;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("tsunagu %s\n", VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "db", "^&ay", &db))
    tsu_application_set_db_path (self, db);
  if (g_variant_dict_contains (options, "demo"))
    tsu_application_set_demo (self, TRUE);

  if (db != NULL && self->demo)
    {
      g_printerr ("%s\n", _ ("--db and --demo cannot be used together."));
      return 1;
    }

  for (guint i = 0; i < self->commands->len; i++)
    {
      const TsuLocalCommand *command = &g_array_index (self->commands, TsuLocalCommand, i);
      int                    status = command->func (self, options, command->user_data);

      if (status >= 0)
        return status;
    }

  if (g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_printerr ("%s\n", _ ("Unexpected arguments; see --help."));
      return 2;
    }

  /* A named file gets its own process rather than joining a running one
   * that has another file open. */
  if (db != NULL || self->demo)
    g_application_set_flags (application,
                             g_application_get_flags (application) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (tsu_application_parent_class)
      ->handle_local_options (application, options);
}

static void
tsu_application_dispose (GObject *object)
{
  TsuApplication *self = (TsuApplication *)object;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsu_application_parent_class)->dispose (object);
}

static void
tsu_application_finalize (GObject *object)
{
  TsuApplication *self = (TsuApplication *)object;

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->commands, g_array_unref);
  g_clear_pointer (&self->db_path, g_free);
  g_clear_pointer (&self->open_path, g_free);
  g_clear_error (&self->open_error);

  G_OBJECT_CLASS (tsu_application_parent_class)->finalize (object);
}

static void
tsu_application_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuApplication *self = TSU_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      g_value_set_string (value, self->db_path);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_application_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TsuApplication *self = TSU_APPLICATION (object);

  switch (prop_id)
    {
    case PROP_DB_PATH:
      tsu_application_set_db_path (self, g_value_get_string (value));
      break;

    case PROP_DEMO:
      tsu_application_set_demo (self, g_value_get_boolean (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_application_class_init (TsuApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tsu_application_dispose;
  object_class->finalize = tsu_application_finalize;
  object_class->get_property = tsu_application_get_property;
  object_class->set_property = tsu_application_set_property;

  application_class->activate = tsu_application_activate;
  application_class->startup = tsu_application_startup;
  application_class->shutdown = tsu_application_shutdown;
  application_class->handle_local_options = tsu_application_handle_local_options;

  /**
   * TsuApplication:db-path:
   *
   * The database file given with --db, or %NULL.
   */
  properties[PROP_DB_PATH] = g_param_spec_string (
      "db-path", NULL, NULL, NULL,
      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * TsuApplication:demo:
   *
   * Whether to open the demo database (--demo).
   */
  properties[PROP_DEMO] = g_param_spec_boolean (
      "demo", NULL, NULL, FALSE,
      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * TsuApplication:store:
   *
   * The open database, once opened.
   */
  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             (G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  tsu_resources_ensure ();
}

static void
tsu_application_init (TsuApplication *self)
{
  self->cancellable = g_cancellable_new ();
  self->commands = g_array_new (FALSE, FALSE, sizeof (TsuLocalCommand));

  g_application_add_main_option_entries (G_APPLICATION (self), main_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _ ("Desk register for civic activity centres"));
}

/**
 * tsu_application_new:
 *
 * Returns: (transfer full): the application
 */
TsuApplication *
tsu_application_new (void)
{
  return g_object_new (TSU_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", RESOURCE_BASE, NULL);
}

/**
 * tsu_application_get_arguments:
 *
 * Returns: (transfer full) (nullable): the arguments left after the options
 *   (files, codes), or %NULL; a command that uses them removes them from
 *   @options, and the application refuses any left over
 */
GStrv
tsu_application_get_arguments (GVariantDict *options)
{
  GStrv args = NULL;

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^aay", &args))
    g_variant_dict_remove (options, G_OPTION_REMAINING);
  return args;
}

/**
 * tsu_application_add_local_command:
 * @self: a #TsuApplication
 * @entries: (array zero-terminated=1): options to add; their values reach @func
 *   through the options dict (leave arg_data %NULL)
 * @func: runs the command when its options are given
 * @user_data: data for @func
 *
 * Adds a command-line command that runs without a display, before any window.
 * Call before g_application_run().
 */
void
tsu_application_add_local_command (TsuApplication     *self,
                                   const GOptionEntry *entries,
                                   TsuLocalCommandFunc func,
                                   gpointer            user_data)
{
  TsuLocalCommand command = { func, user_data };

  g_return_if_fail (TSU_IS_APPLICATION (self));
  g_return_if_fail (entries != NULL);
  g_return_if_fail (func != NULL);

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_array_append_val (self->commands, command);
}

/**
 * tsu_application_get_db_path:
 * @self: a #TsuApplication
 *
 * Returns: (nullable): the file given with --db
 */
const char *
tsu_application_get_db_path (TsuApplication *self)
{
  g_return_val_if_fail (TSU_IS_APPLICATION (self), NULL);

  return self->db_path;
}

/**
 * tsu_application_set_db_path:
 * @self: a #TsuApplication
 * @db_path: (nullable): the database file to open
 *
 * Sets the file to open, as --db does. Takes effect on the next open.
 */
void
tsu_application_set_db_path (TsuApplication *self, const char *db_path)
{
  g_return_if_fail (TSU_IS_APPLICATION (self));

  if (g_strcmp0 (self->db_path, db_path) == 0)
    return;

  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DB_PATH]);
}

/**
 * tsu_application_get_demo:
 * @self: a #TsuApplication
 *
 * Returns: whether the demo database is used
 */
gboolean
tsu_application_get_demo (TsuApplication *self)
{
  g_return_val_if_fail (TSU_IS_APPLICATION (self), FALSE);

  return self->demo;
}

/**
 * tsu_application_set_demo:
 * @self: a #TsuApplication
 * @demo: whether to open the demo database
 *
 * Chooses the demo database, as --demo does.
 */
void
tsu_application_set_demo (TsuApplication *self, gboolean demo)
{
  g_return_if_fail (TSU_IS_APPLICATION (self));

  demo = !!demo;
  if (self->demo == demo)
    return;

  self->demo = demo;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEMO]);
}

/**
 * tsu_application_dup_demo_path:
 *
 * Returns: (transfer full): where the demo database lives,
 *   $XDG_DATA_HOME/tsunagu/demo.sqlite3
 */
char *
tsu_application_dup_demo_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tsunagu", "demo.sqlite3", NULL);
}

/**
 * tsu_application_dup_db_path:
 * @self: a #TsuApplication
 *
 * The database file to use: --db, else the demo file with --demo, else
 * $TSUNAGU_DB, else the default file in the user data dir.
 *
 * Returns: (transfer full): a path
 */
char *
tsu_application_dup_db_path (TsuApplication *self)
{
  const char *env;

  g_return_val_if_fail (TSU_IS_APPLICATION (self), NULL);

  if (self->db_path != NULL)
    return g_strdup (self->db_path);
  if (self->demo)
    return tsu_application_dup_demo_path ();

  env = g_getenv (TSU_STORE_ENV);
  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  return tsu_store_default_path ();
}

/**
 * tsu_application_get_store:
 * @self: a #TsuApplication
 *
 * Returns: (transfer none) (nullable): the open database, once opened
 */
TsuStore *
tsu_application_get_store (TsuApplication *self)
{
  g_return_val_if_fail (TSU_IS_APPLICATION (self), NULL);

  return self->store;
}

/**
 * tsu_application_get_settings:
 * @self: a #TsuApplication
 *
 * Returns: (transfer none) (nullable): the application's settings, after startup
 */
GSettings *
tsu_application_get_settings (TsuApplication *self)
{
  g_return_val_if_fail (TSU_IS_APPLICATION (self), NULL);

  return self->settings;
}
