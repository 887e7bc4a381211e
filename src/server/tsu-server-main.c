/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tsu-server.h"
#ifdef HAVE_LIBPQ
#include "tsu-storage-pg.h"
#endif

/* tsunagu-server: the reference city server and its admin commands. Every
 * command prints plain lines so that a city's IT staff can script it. */

static char  *opt_data = NULL;
static char  *opt_database = NULL;
static char  *opt_database_file = NULL;
static char  *opt_listen = NULL;
static char  *opt_cert = NULL;
static char  *opt_key = NULL;
static char  *opt_log_level = NULL;
static double opt_rate = 50;
static double opt_burst = 100;
static int    opt_timeout = 15;
static int    opt_enroll_failures = 10;
static int    opt_enroll_failures_total = 100;
static int    opt_response_memory = 64;
static char **opt_trusted_proxies = NULL;
static int    opt_days = 30;

static const GOptionEntry data_entries[]
    = { { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, "Data directory", "DIR" },
        { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database,
          "PostgreSQL connection string or postgresql:// URL (no password here)", "URL" },
        { "database-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_database_file,
          "A file (mode 0600) holding the PostgreSQL connection string", "FILE" },
        { NULL } };

static const GOptionEntry serve_entries[]
    = { { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, "Data directory", "DIR" },
        { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database,
          "PostgreSQL connection string or postgresql:// URL (no password here)", "URL" },
        { "database-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_database_file,
          "A file (mode 0600) holding the PostgreSQL connection string", "FILE" },
        { "listen", 'l', 0, G_OPTION_ARG_STRING, &opt_listen,
          "Address and port (default 127.0.0.1:8443; port 0 picks one)", "HOST:PORT" },
        { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &opt_cert, "TLS certificate (PEM)", "FILE" },
        { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &opt_key, "TLS private key (PEM)", "FILE" },
        { "log-level", 0, 0, G_OPTION_ARG_STRING, &opt_log_level,
          "error, warning, info (default) or debug", "LEVEL" },
        { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &opt_rate,
          "Requests per second per device (0: no limit; default 50)", "N" },
        { "burst", 0, 0, G_OPTION_ARG_DOUBLE, &opt_burst,
          "Requests a device may send at once (default 100)", "N" },
        { "request-timeout", 0, 0, G_OPTION_ARG_INT, &opt_timeout,
          "Seconds to receive a request body (default 15)", "S" },
        { "enroll-failures", 0, 0, G_OPTION_ARG_INT, &opt_enroll_failures,
          "Failed enrolments per client address per 10 minutes (default 10)", "N" },
        { "enroll-failures-total", 0, 0, G_OPTION_ARG_INT, &opt_enroll_failures_total,
          "Failed enrolments from all addresses per 10 minutes before failures are answered "
          "late (default 100)",
          "N" },
        { "response-memory", 0, 0, G_OPTION_ARG_INT, &opt_response_memory,
          "MiB of large responses held for clients at once; more answer 503 (default 64)", "MIB" },
        { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt_trusted_proxies,
          "A proxy whose X-Forwarded-For / X-Real-IP names the client (repeatable; "
          "addresses or networks, comma-separated)",
          "ADDR" },
        { NULL } };

static const GOptionEntry purge_entries[]
    = { { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, "Data directory", "DIR" },
        { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database,
          "PostgreSQL connection string or postgresql:// URL (no password here)", "URL" },
        { "database-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_database_file,
          "A file (mode 0600) holding the PostgreSQL connection string", "FILE" },
        { "days", 0, 0, G_OPTION_ARG_INT, &opt_days,
          "Keep tombstones younger than this (default 30)", "N" },
        { NULL } };

static int
usage (void)
{
  fprintf (stderr,
           "Usage: tsunagu-server COMMAND [OPTIONS]\n"
           "\n"
           "Commands:\n"
           "  serve --data DIR [--listen HOST:PORT] [--tls-cert F --tls-key F] [--log-level L]\n"
           "        [--trusted-proxy ADDR] (see serve --help for limits)\n"
           "  org-create --data DIR NAME      prints the new organisation id\n"
           "  enroll-code --data DIR ORG      prints a one-time enrolment code on the last line\n"
           "  devices --data DIR ORG          one device a line: id, name, enrolled, last seen\n"
           "  revoke --data DIR DEVICE        revokes a device and all its tokens\n"
           "  new-epoch --data DIR ORG        after restoring a backup: every desk resyncs\n"
           "  purge --data DIR ORG [--days N] drops old tombstones; older cursors resync\n"
           "  migrate --database URL          creates or upgrades the PostgreSQL schema\n"
           "  import-sqlite --data DIR --database URL\n"
           "                                  moves a SQLite server's data to PostgreSQL\n"
           "\n"
           "Every command takes --database URL (or --database-file FILE, mode 0600)\n"
           "instead of --data DIR to use PostgreSQL. A password never goes on the\n"
           "command line: use ~/.pgpass, PGPASSFILE or the database file.\n"
           "\n"
           "Run a command with --help for its options.\n");
  return 2;
}

static gboolean
parse (int *argc, char ***argv, const char *params, const GOptionEntry *entries, int n_args)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new (params);
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, argc, argv, &error))
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return FALSE;
    }
  if ((opt_data == NULL) == (opt_database == NULL && opt_database_file == NULL))
    {
      fprintf (stderr, "tsunagu-server: --data DIR or --database URL is required (one of them)\n");
      return FALSE;
    }
  if (*argc != n_args + 2)
    {
      fprintf (stderr, "tsunagu-server: expected %s\n", params);
      return FALSE;
    }
  return TRUE;
}

/* The connection string: from --database (refused with a password in
 * it: every user of the machine can read a command line) or from the
 * first line of --database-file, which only its owner may read. */
static char *
database_conninfo (GError **error)
{
#ifdef HAVE_LIBPQ
  if (opt_database_file != NULL)
    {
      g_autofree char *text = NULL;
      g_auto (GStrv) lines = NULL;
      GStatBuf st;

      if (g_stat (opt_database_file, &st) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "cannot read %s",
                       opt_database_file);
          return NULL;
        }
      if ((st.st_mode & 077) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                       "%s can be read by others: chmod 600 it", opt_database_file);
          return NULL;
        }
      if (!g_file_get_contents (opt_database_file, &text, NULL, error))
        return NULL;
      lines = g_strsplit (text, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          char *line = g_strstrip (lines[i]);

          if (*line != '\0' && *line != '#')
            return g_strdup (line);
        }
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "%s holds no connection string",
                   opt_database_file);
      return NULL;
    }
  if (tsu_pg_conninfo_has_password (opt_database, error))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           "no password on the command line: put it in ~/.pgpass, PGPASSFILE or"
                           " a --database-file (mode 0600)");
      return NULL;
    }
  if (error != NULL && *error != NULL)
    return NULL;
  return g_strdup (opt_database);
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "this tsunagu-server was built without PostgreSQL (libpq)");
  return NULL;
#endif
}

static TsuDirectory *
open_directory (void)
{
  g_autoptr (GError) error = NULL;
  TsuDirectory *dir = NULL;

  if (opt_data != NULL)
    dir = tsu_directory_open (opt_data, &error);
  else
    {
      g_autofree char *conninfo = database_conninfo (&error);

#ifdef HAVE_LIBPQ
      if (conninfo != NULL)
        dir = tsu_directory_open_database (conninfo, &error);
#endif
      if (conninfo != NULL)
        memset (conninfo, 0, strlen (conninfo));
    }

  if (dir == NULL)
    fprintf (stderr, "tsunagu-server: %s\n", error->message);
  return dir;
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static int
cmd_serve (int argc, char **argv)
{
  g_autoptr (TsuServer) server = NULL;
  g_autoptr (GTlsCertificate) cert = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;
  TsuServerOptions options;
  TsuDirectory    *dir;

  if (!parse (&argc, &argv, "serve", serve_entries, 0))
    return 2;
  tsu_server_options_init (&options);
  options.rate = opt_rate;
  options.burst = MAX (1, opt_burst);
  options.request_timeout = MAX (1, opt_timeout);
  options.enroll_failures = MAX (1, opt_enroll_failures);
  options.enroll_failures_total = MAX (1, opt_enroll_failures_total);
  options.response_memory = (gsize)MAX (1, opt_response_memory) * 1024 * 1024;
  if (opt_log_level != NULL)
    {
      if (g_str_equal (opt_log_level, "error"))
        options.log_level = TSU_LOG_ERROR;
      else if (g_str_equal (opt_log_level, "warning"))
        options.log_level = TSU_LOG_WARNING;
      else if (g_str_equal (opt_log_level, "info"))
        options.log_level = TSU_LOG_INFO;
      else if (g_str_equal (opt_log_level, "debug"))
        options.log_level = TSU_LOG_DEBUG;
      else
        {
          fprintf (stderr, "tsunagu-server: unknown log level %s\n", opt_log_level);
          return 2;
        }
    }
  if ((opt_cert == NULL) != (opt_key == NULL))
    {
      fprintf (stderr, "tsunagu-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (opt_cert != NULL)
    {
      if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
        {
          fprintf (stderr, "tsunagu-server: TLS is not available (install glib-networking)\n");
          return 1;
        }
      cert = g_tls_certificate_new_from_files (opt_cert, opt_key, &error);
      if (cert == NULL)
        {
          fprintf (stderr, "tsunagu-server: %s\n", error->message);
          return 1;
        }
    }

  if ((dir = open_directory ()) == NULL)
    return 1;
  server = tsu_server_new (dir, &options);
  for (guint i = 0; opt_trusted_proxies != NULL && opt_trusted_proxies[i] != NULL; i++)
    {
      g_auto (GStrv) parts = g_strsplit (opt_trusted_proxies[i], ",", -1);

      for (guint j = 0; parts[j] != NULL; j++)
        if (!tsu_server_add_trusted_proxy (server, parts[j], &error))
          {
            fprintf (stderr, "tsunagu-server: --trusted-proxy %s: %s\n", parts[j], error->message);
            return 2;
          }
    }
#ifdef __GLIBC__
  /* Pages of a pull are megabytes: with a fixed threshold they are always
   * mapped on their own and unmapped when freed, instead of glibc raising
   * the threshold and keeping them in the heap (see sweep_cb). */
  mallopt (M_MMAP_THRESHOLD, 256 * 1024);
#endif
  if (!tsu_server_listen (server, opt_listen ? opt_listen : "127.0.0.1:8443", cert, &url, &error))
    {
      fprintf (stderr, "tsunagu-server: cannot listen: %s\n", error->message);
      return 1;
    }
  /* Scripts and tests read the real address (port 0) from this line. */
  printf ("listening on %s\n", url);
  fflush (stdout);
  tsu_server_log (server, TSU_LOG_INFO, "tsunagu-server %s listening on %s", PACKAGE_VERSION, url);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_main_loop_run (loop);
  tsu_server_log (server, TSU_LOG_INFO, "stopping");
  return 0;
}

static int
cmd_org_create (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *id = NULL;

  if (!parse (&argc, &argv, "org-create NAME", data_entries, 1)
      || (dir = open_directory ()) == NULL)
    return 2;
  id = tsu_directory_org_create (dir, argv[2], &error);
  if (id == NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  printf ("%s\n", id);
  return 0;
}

static int
cmd_enroll_code (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *code = NULL;

  if (!parse (&argc, &argv, "enroll-code ORG", data_entries, 1)
      || (dir = open_directory ()) == NULL)
    return 2;
  code = tsu_directory_enroll_code (dir, argv[2], &error);
  if (code == NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  printf ("One-time enrolment code (valid 24 hours, shown once):\n%s\n", code);
  return 0;
}

static int
cmd_devices (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  if (!parse (&argc, &argv, "devices ORG", data_entries, 1) || (dir = open_directory ()) == NULL)
    return 2;
  lines = tsu_directory_list_devices (dir, argv[2], &error);
  if (lines == NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < lines->len; i++)
    printf ("%s\n", (char *)lines->pdata[i]);
  return 0;
}

static int
cmd_revoke (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;

  if (!parse (&argc, &argv, "revoke DEVICE", data_entries, 1) || (dir = open_directory ()) == NULL)
    return 2;
  if (!tsu_directory_revoke_device (dir, argv[2], &error))
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  printf ("revoked %s\n", argv[2]);
  return 0;
}

static int
cmd_new_epoch (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *epoch = NULL;
  TsuOrgDb        *db;

  if (!parse (&argc, &argv, "new-epoch ORG", data_entries, 1) || (dir = open_directory ()) == NULL)
    return 2;
  db = tsu_directory_get_org_db (dir, argv[2], &error);
  if (db == NULL || !tsu_org_db_new_epoch (db, &error))
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  epoch = tsu_org_db_get_epoch (db);
  printf ("%s\n", epoch);
  return 0;
}

static int
cmd_purge (int argc, char **argv)
{
  g_autoptr (TsuDirectory) dir = NULL;
  g_autoptr (GError) error = NULL;
  TsuOrgDb *db;
  gint64    n;

  if (!parse (&argc, &argv, "purge ORG", purge_entries, 1) || (dir = open_directory ()) == NULL)
    return 2;
  db = tsu_directory_get_org_db (dir, argv[2], &error);
  if (db == NULL || (n = tsu_org_db_purge (db, MAX (0, opt_days), &error)) < 0)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  printf ("purged %" G_GINT64_FORMAT "\n", n);
  return 0;
}

static const GOptionEntry database_entries[]
    = { { "data", 'd', 0, G_OPTION_ARG_FILENAME, &opt_data, "Data directory (import-sqlite)",
          "DIR" },
        { "database", 0, 0, G_OPTION_ARG_STRING, &opt_database,
          "PostgreSQL connection string or postgresql:// URL (no password here)", "URL" },
        { "database-file", 0, 0, G_OPTION_ARG_FILENAME, &opt_database_file,
          "A file (mode 0600) holding the PostgreSQL connection string", "FILE" },
        { NULL } };

static int
cmd_migrate (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("migrate");
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = NULL;
  int              from = 0, to;

  g_option_context_add_main_entries (ctx, database_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2
      || (opt_database == NULL && opt_database_file == NULL) || opt_data != NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n",
               error ? error->message : "usage: migrate --database URL");
      return 2;
    }
  if ((conninfo = database_conninfo (&error)) == NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
#ifdef HAVE_LIBPQ
  to = tsu_pg_migrate (conninfo, &from, &error);
#else
  to = -1;
#endif
  memset (conninfo, 0, strlen (conninfo));
  if (to < 0)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
  if (from == to)
    printf ("schema version %d: up to date\n", to);
  else
    printf ("schema version %d → %d\n", from, to);
  return 0;
}

static int
cmd_import_sqlite (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("import-sqlite");
  g_autoptr (GError) error = NULL;
  g_autofree char *conninfo = NULL;
  g_autofree char *report = NULL;

  g_option_context_add_main_entries (ctx, database_entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || argc != 2 || opt_data == NULL
      || (opt_database == NULL && opt_database_file == NULL))
    {
      fprintf (stderr, "tsunagu-server: %s\n",
               error ? error->message : "usage: import-sqlite --data DIR --database URL");
      return 2;
    }
  if ((conninfo = database_conninfo (&error)) == NULL)
    {
      fprintf (stderr, "tsunagu-server: %s\n", error->message);
      return 1;
    }
#ifdef HAVE_LIBPQ
  report = tsu_pg_import_sqlite (opt_data, conninfo, &error);
#endif
  memset (conninfo, 0, strlen (conninfo));
  if (report == NULL)
    {
      fprintf (stderr, "tsunagu-server: import failed, nothing was imported: %s\n",
               error ? error->message : "no PostgreSQL support");
      return 1;
    }
  printf ("%s", report);
  printf ("imported: counts and digests agree\n");
  return 0;
}

int
main (int argc, char **argv)
{
  static const struct
  {
    const char *name;
    int (*run) (int, char **);
  } commands[] = {
    { "serve", cmd_serve },
    { "org-create", cmd_org_create },
    { "enroll-code", cmd_enroll_code },
    { "devices", cmd_devices },
    { "revoke", cmd_revoke },
    { "new-epoch", cmd_new_epoch },
    { "purge", cmd_purge },
    { "migrate", cmd_migrate },
    { "import-sqlite", cmd_import_sqlite },
  };

  setlocale (LC_ALL, "");
  if (argc < 2)
    return usage ();
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc, argv);
  return usage ();
}
