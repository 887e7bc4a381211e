/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Sync without a display, for a nightly job or an administrator's script:
 *   tsunagu --db FILE --enroll URL CODE [--device-name NAME] [--ca-file PEM]
 *   tsunagu --db FILE --sync
 * Each prints one line (pushed, pulled, merged, conflicts, rejected,
 * waiting) and exits 0 only when nothing is left unsent. Exit statuses:
 * 0 done, 1 the sync failed (nothing lost), 2 bad usage, 3 the server
 * cannot be reached, 4 this desk is not (or no longer) let in, 5 the
 * server's certificate is refused, 6 synced but changes still wait. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-sync-cli.h"
#include "tsu-sync-client.h"

enum
{
  EXIT_DONE = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_UNREACHABLE = 3,
  EXIT_NOT_LET_IN = 4,
  EXIT_CERTIFICATE = 5,
  EXIT_WAITING = 6,
};

static const GOptionEntry entries[] = {
  { "enroll", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Enrol this desk with the sync server URL using the one-time CODE that follows, "
        "and exit"),
    NULL },
  { "device-name", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("The desk’s name shown to the server’s administrators (with --enroll)"), N_ ("NAME") },
  { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Trust the server certificates issued by the authority in this PEM file (a city’s own "
        "certificate authority; with --enroll)"),
    N_ ("PEM") },
  { "sync", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Send this desk’s changes to the sync server, receive the others’, print a summary and "
        "exit (0 when nothing is left unsent)"),
    NULL },
  { NULL }
};

typedef struct
{
  GMainLoop   *loop;
  gboolean     ok;
  GError      *error;
  TsuSyncStats stats;
} Wait;

static void
enrolled_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = tsu_sync_client_enroll_finish (TSU_SYNC_CLIENT (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
synced_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  w->ok = tsu_sync_client_sync_finish (TSU_SYNC_CLIENT (source), result, &w->stats, &w->error);
  g_main_loop_quit (w->loop);
}

static int
exit_for (TsuSyncClient *client, const GError *error)
{
  if (g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_NETWORK)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TIMEOUT)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_SERVER))
    return EXIT_UNREACHABLE;
  if (g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_UNAUTHORIZED)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_REVOKED)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_BAD_CODE)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_NOT_ENROLLED))
    return EXIT_NOT_LET_IN;
  if (g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_CERTIFICATE)
      || g_error_matches (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TLS))
    {
      GTlsCertificate *refused = tsu_sync_client_get_refused_certificate (client);

      if (refused != NULL)
        {
          g_autofree char *text = tsu_sync_certificate_describe (refused);

          g_printerr ("%s\n%s\n", text,
                      _ ("If the city’s IT staff confirm this fingerprint, enrol again with "
                         "--ca-file naming their certificate authority’s PEM file."));
        }
      return EXIT_CERTIFICATE;
    }
  return EXIT_FAILED;
}

/* The one line of a sync: what moved, what waits for a person, what waits
 * for the server. */
static int
print_summary (TsuSyncClient *client, const TsuSyncStats *stats, gboolean synced)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) sum = tsu_sync_client_get_summary (client, &error);
  gint64 waiting, conflicts, rejected;

  if (sum == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILED;
    }
  waiting = json_object_get_int_member (sum, "pending");
  conflicts = json_object_get_int_member (sum, "conflicts");
  rejected = json_object_get_int_member (sum, "rejected");
  /* TRANSLATORS: the summary of a sync, on one line; conflicts and rejected
   * are those waiting for staff (要確認), waiting the changes not sent yet */
  g_print (_ ("pushed %u, pulled %u, merged %u, conflicts %u, rejected %u, waiting %u\n"),
           stats->pushed, stats->pulled, stats->merged, (guint)conflicts, (guint)rejected,
           (guint)waiting);
  if (synced && waiting > 0)
    return EXIT_WAITING;
  return EXIT_DONE;
}

static TsuStore *
open_store (TsuApplication *app)
{
  g_autofree char *db = tsu_application_dup_db_path (app);
  g_autoptr (GError) error = NULL;
  TsuStore *store = tsu_store_open (db, &error);

  if (store == NULL)
    g_printerr ("%s: %s\n", db, error->message);
  return store;
}

static int
cli_enroll (TsuApplication *app, GVariantDict *options)
{
  g_auto (GStrv) args = tsu_application_get_arguments (options);
  const char      *name = NULL, *ca_file = NULL;
  g_autofree char *default_name = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuSyncClient) client = NULL;
  Wait w = { 0 };
  int  status;

  if (args == NULL || g_strv_length (args) != 2)
    {
      g_printerr ("%s\n", _ ("Give the server’s address and the enrolment code, like: "
                             "--enroll https://sync.example.lg.jp VA62-X73Z-6KBE"));
      return EXIT_USAGE;
    }
  g_variant_dict_lookup (options, "device-name", "&s", &name);
  g_variant_dict_lookup (options, "ca-file", "^&ay", &ca_file);
  if (name == NULL || *name == '\0')
    name = default_name = g_strdup (g_get_host_name ());
  if ((store = open_store (app)) == NULL)
    return EXIT_FAILED;
  client = tsu_sync_client_new (store);
  if (ca_file != NULL)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GTlsCertificate) ca = g_tls_certificate_new_from_file (ca_file, &error);

      if (ca == NULL)
        {
          g_printerr ("%s: %s\n", ca_file, error->message);
          return EXIT_USAGE;
        }
      tsu_sync_client_set_trusted_certificate (client, ca);
    }
  w.loop = g_main_loop_new (NULL, FALSE);
  tsu_sync_client_enroll_async (client, args[0], args[1], name, NULL, enrolled_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (!w.ok)
    {
      g_printerr ("%s\n", w.error->message);
      status = exit_for (client, w.error);
      g_clear_error (&w.error);
      return status;
    }
  /* TRANSLATORS: %s is the server's address */
  g_print (_ ("This desk is enrolled with %s. Run --sync to bring its records.\n"), args[0]);
  return EXIT_DONE;
}

static int
cli_sync (TsuApplication *app)
{
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuSyncClient) client = NULL;
  Wait w = { 0 };
  int  status;

  if ((store = open_store (app)) == NULL)
    return EXIT_FAILED;
  client = tsu_sync_client_new (store);
  w.loop = g_main_loop_new (NULL, FALSE);
  tsu_sync_client_sync_async (client, NULL, synced_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (!w.ok)
    {
      /* Said first, then what is left: nothing was lost. */
      g_printerr ("%s\n", w.error->message);
      status = exit_for (client, w.error);
      g_clear_error (&w.error);
      print_summary (client, &w.stats, FALSE);
      return status;
    }
  return print_summary (client, &w.stats, TRUE);
}

static int
cli_command (TsuApplication *app, GVariantDict *options, gpointer user_data)
{
  gboolean enroll = g_variant_dict_contains (options, "enroll");
  gboolean sync = g_variant_dict_contains (options, "sync");

  if (!enroll && !sync)
    {
      if (g_variant_dict_contains (options, "device-name")
          || g_variant_dict_contains (options, "ca-file"))
        {
          g_printerr ("%s\n", _ ("--device-name and --ca-file go with --enroll."));
          return EXIT_USAGE;
        }
      return -1;
    }
  if (enroll && sync)
    {
      g_printerr ("%s\n", _ ("Give --enroll or --sync, not both."));
      return EXIT_USAGE;
    }
  if (tsu_application_get_demo (app))
    {
      g_printerr ("%s\n", _ ("The demo database does not sync; give a database with --db."));
      return EXIT_USAGE;
    }
  if (sync && g_variant_dict_contains (options, G_OPTION_REMAINING))
    {
      g_printerr ("%s\n", _ ("Unexpected arguments; see --help."));
      return EXIT_USAGE;
    }
  return enroll ? cli_enroll (app, options) : cli_sync (app);
}

/**
 * tsu_sync_cli_register:
 *
 * Adds --enroll, --device-name, --ca-file and --sync.
 */
void
tsu_sync_cli_register (TsuApplication *app)
{
  tsu_application_add_local_command (app, entries, cli_command, NULL);
}
