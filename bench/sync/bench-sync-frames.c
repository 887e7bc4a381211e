/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tsu-application.h"
#include "tsu-groups-view.h"
#include "tsu-sync-manager.h"
#include "tsu-sync-status.h"

/* Frame times of a window while its desk makes a first sync: the groups
 * page bound to the store and the sync state in a header, as in the app.
 * The same window idle for a few seconds first is the baseline. Prints
 * numbers only (run under Xvfb; a display is needed):
 *   bench-sync-frames --server build/src/server/tsunagu-server [--records 100000]
 */

static char    *opt_server;
static int      opt_records = 100000;
static int      opt_idle = 3;
static gboolean opt_no_list;

static const GOptionEntry entries[]
    = { { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "tsunagu-server binary", "PATH" },
        { "records", 0, 0, G_OPTION_ARG_INT, &opt_records, "Groups to pull (100000)", "N" },
        { "idle", 0, 0, G_OPTION_ARG_INT, &opt_idle, "Seconds idle first (3)", "S" },
        { "no-list", 0, 0, G_OPTION_ARG_NONE, &opt_no_list, "Only the sync state, no groups page",
          NULL },
        { NULL } };

typedef struct
{
  GArray    *frames; /* ms between frames */
  gint64     last;
  gboolean   recording;
  GMainLoop *loop;
} Frames;

static gboolean
tick_cb (GtkWidget *widget, GdkFrameClock *clock, gpointer data)
{
  Frames *f = data;
  gint64  t = g_get_monotonic_time ();

  if (f->recording && f->last > 0)
    {
      double ms = (t - f->last) / 1000.0;
      g_array_append_val (f->frames, ms);
    }
  f->last = t;
  gtk_widget_queue_draw (widget); /* a frame every vsync, as an animation asks */
  return G_SOURCE_CONTINUE;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what, GArray *frames)
{
  guint over = 0;

  for (guint i = 0; i < frames->len; i++)
    over += g_array_index (frames, double, i) > 50;
  g_array_sort (frames, cmp_double);
  if (frames->len == 0)
    {
      printf ("%-22s no frames\n", what);
      return;
    }
  printf ("%-22s %6u frames: median %6.1f ms, p99 %6.1f ms, max %6.1f ms, over 50 ms: %u\n", what,
          frames->len, g_array_index (frames, double, frames->len / 2),
          g_array_index (frames, double, MIN (frames->len - 1, frames->len * 99 / 100)),
          g_array_index (frames, double, frames->len - 1), over);
}

static char *
admin (const char *data, const char *cmd, const char *arg)
{
  g_autofree char *out = NULL;
  const char      *argv[] = { opt_server, cmd, "--data", data, arg, NULL };
  char            *last;

  if (!g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                     NULL, NULL))
    g_error ("admin %s failed", cmd);
  g_strstrip (out);
  last = strrchr (out, '\n');
  return g_strdup (last ? last + 1 : out);
}

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} Wait;

static void
enrolled_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  tsu_sync_client_enroll_finish (TSU_SYNC_CLIENT (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

static void
synced_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Wait *w = data;

  tsu_sync_client_sync_finish (TSU_SYNC_CLIENT (source), result, NULL, &w->error);
  g_main_loop_quit (w->loop);
}

static TsuSyncClient *
desk (const char *dir, const char *name, const char *url, const char *data, const char *org)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.sqlite3", dir, name);
  g_autofree char *code = admin (data, "enroll-code", org);
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (path, &error);
  TsuSyncClient *c;
  Wait           w = { g_main_loop_new (NULL, FALSE) };

  if (store == NULL)
    g_error ("%s", error->message);
  c = tsu_sync_client_new (store);
  tsu_sync_client_enroll_async (c, url, code, name, NULL, enrolled_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (w.error)
    g_error ("%s", w.error->message);
  return c;
}

static gboolean
seed_txn (TsuStore *store, gpointer data, GError **error)
{
  for (int i = 0; i < opt_records; i++)
    {
      g_autoptr (JsonObject) f = json_object_new ();
      g_autofree char *name = g_strdup_printf ("団体%d", i);
      g_autofree char *id = NULL;

      json_object_set_string_member (f, "name", name);
      json_object_set_string_member (f, "name_kana", "ダンタイ");
      json_object_set_string_member (f, "address", "大牟田市有明町2丁目3番地");
      id = tsu_store_insert (store, "groups", f, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
state_cb (TsuSyncManager *m, GParamSpec *pspec, Frames *f)
{
  if (f->recording && tsu_sync_manager_get_state (m) != TSU_SYNC_STATE_SYNCING)
    g_main_loop_quit (f->loop);
}

static gboolean
quit_cb (gpointer loop)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- frame times during a first sync");
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL, *data = NULL, *org = NULL, *url = NULL, *line = NULL;
  g_autoptr (GSubprocess) srv = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autoptr (TsuSyncClient) seeder = NULL;
  g_autoptr (TsuSyncClient) target = NULL;
  TsuSyncManager *manager;
  GtkWidget      *window, *box, *header, *status, *view;
  Frames          frames = { 0 };
  double          t0, t_sync;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || opt_server == NULL)
    {
      g_printerr ("usage: bench-sync-frames --server PATH [--records N]\n");
      return 2;
    }
  g_setenv ("TSUNAGU_TOKEN_STORE", "file", TRUE);
  if (!gtk_init_check ())
    {
      printf ("# skipped: no display\n");
      return 77;
    }
  adw_init ();
  tmp = g_dir_make_tmp ("tsu-bench-frames-XXXXXX", &error);
  g_setenv ("XDG_CONFIG_HOME", tmp, TRUE);
  data = g_build_filename (tmp, "data", NULL);
  org = admin (data, "org-create", "bench");
  srv = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                          &error, opt_server, "serve", "--data", data, "--listen", "127.0.0.1:0",
                          "--rate", "0", "--log-level", "error", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (srv));
  line = g_data_input_stream_read_line (in, NULL, NULL, NULL);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("server did not start");
  url = g_strdup (line + strlen ("listening on "));

  /* The server's records, from a seeding desk. */
  seeder = desk (tmp, "seed", url, data, org);
  if (!tsu_store_transaction (tsu_sync_client_get_store (seeder), TSU_ORIGIN_LOCAL, seed_txn, NULL,
                              &error))
    g_error ("%s", error->message);
  {
    Wait w = { g_main_loop_new (NULL, FALSE) };

    tsu_sync_client_sync_async (seeder, NULL, synced_cb, &w);
    g_main_loop_run (w.loop);
    g_main_loop_unref (w.loop);
    if (w.error)
      g_error ("%s", w.error->message);
  }

  /* The desk in a window, as staff would have it open. */
  target = desk (tmp, "target", url, data, org);
  tsu_sync_client_set_page_size (target, 5000);
  manager = tsu_sync_manager_get_for_store (tsu_sync_client_get_store (target));
  tsu_sync_client_set_page_size (tsu_sync_manager_get_client (manager), 5000);
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 720);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  status = g_object_new (TSU_TYPE_SYNC_STATUS, "store", tsu_sync_client_get_store (target), NULL);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), status);
  view = opt_no_list ? gtk_label_new ("")
                     : g_object_new (TSU_TYPE_GROUPS_VIEW, "store",
                                     tsu_sync_client_get_store (target), NULL);
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), view);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));

  frames.frames = g_array_new (FALSE, FALSE, sizeof (double));
  frames.loop = g_main_loop_new (NULL, FALSE);
  gtk_widget_add_tick_callback (window, tick_cb, &frames, NULL);

  /* Idle first: the baseline of this machine, now. */
  g_timeout_add_seconds (1, quit_cb, frames.loop);
  g_main_loop_run (frames.loop);
  frames.recording = TRUE;
  g_timeout_add_seconds (opt_idle, quit_cb, frames.loop);
  g_main_loop_run (frames.loop);
  report ("idle window", frames.frames);
  g_array_set_size (frames.frames, 0);

  g_signal_connect (manager, "notify::state", G_CALLBACK (state_cb), &frames);
  t0 = g_get_monotonic_time () / 1e6;
  tsu_sync_manager_sync_now (manager);
  g_main_loop_run (frames.loop);
  t_sync = g_get_monotonic_time () / 1e6 - t0;
  frames.recording = FALSE;
  printf ("# first sync of %d groups in the window: %.2f s (%.0f records/s), %" G_GINT64_FORMAT
          " groups here\n",
          opt_records, t_sync, opt_records / t_sync,
          tsu_store_count (tsu_sync_client_get_store (target), "groups", FALSE, NULL));
  report ("during the first sync", frames.frames);

  gtk_window_destroy (GTK_WINDOW (window));
  g_subprocess_send_signal (srv, SIGTERM);
  g_subprocess_wait (srv, NULL, NULL);
  if (!g_getenv ("TSU_KEEP_DATA"))
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
      if (system (cmd) != 0)
        g_printerr ("could not remove %s\n", tmp);
    }
  return 0;
}
