/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "tsu-sync-client.h"

/* A desk in a process of its own, for tests that SIGKILL it:
 *   sync-desk STORE enroll URL CODE      enrol the store's desk
 *   sync-desk STORE sync [N]             insert N records, then sync once
 *   sync-desk STORE set COLL ID FIELD V  a local edit of one text field (no sync)
 * Prints "synced pushed=… pulled=…" when a sync completes. */

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

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuSyncClient) client = NULL;
  Wait w = { 0 };

  if (argc < 3)
    {
      fprintf (stderr, "usage: sync-desk STORE enroll URL CODE | sync [N]\n");
      return 2;
    }
  store = tsu_store_open (argv[1], &error);
  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (g_str_equal (argv[2], "set") && argc == 7)
    {
      g_autoptr (JsonObject) f = json_object_new ();

      json_object_set_string_member (f, argv[5], argv[6]);
      if (!tsu_store_update (store, argv[3], argv[4], f, &error))
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      return 0;
    }
  client = tsu_sync_client_new (store);
  tsu_sync_client_set_page_size (client, 50);
  w.loop = g_main_loop_new (NULL, FALSE);
  if (g_str_equal (argv[2], "enroll") && argc == 5)
    tsu_sync_client_enroll_async (client, argv[3], argv[4], "crash-desk", NULL, enrolled_cb, &w);
  else if (g_str_equal (argv[2], "sync"))
    {
      int n = argc > 3 ? atoi (argv[3]) : 0;

      for (int i = 0; i < n; i++)
        {
          g_autoptr (JsonObject) f = json_object_new ();
          g_autofree char *name = g_strdup_printf ("desk %d", i);
          g_autofree char *id = NULL;

          json_object_set_string_member (f, "name", name);
          id = tsu_store_insert (store, "groups", f, &error);
          if (id == NULL)
            {
              fprintf (stderr, "%s\n", error->message);
              return 1;
            }
        }
      tsu_sync_client_sync_async (client, NULL, synced_cb, &w);
    }
  else
    return 2;
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (!w.ok)
    {
      fprintf (stderr, "failed: %s\n", w.error->message);
      g_error_free (w.error);
      return 1;
    }
  printf ("synced pushed=%u pulled=%u pages=%u\n", w.stats.pushed, w.stats.pulled, w.stats.pages);
  return 0;
}
