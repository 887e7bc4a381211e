/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A desk for the two-desk booking test (test-equipment-sync.py), each call
 * a process of its own, through the store and the sync client:
 *   equipment-desk STORE enroll URL CODE
 *   equipment-desk STORE sync                     prints pushed= rejected=
 *   equipment-desk STORE book RESOURCE GROUP START DUE   prints the id
 *   equipment-desk STORE rejected                 the refused changes (JSON)
 *   equipment-desk STORE move SEQ START DUE       corrections, sent again later
 *   equipment-desk STORE cancel SEQ               gives the refused booking up */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>

#include "tsu-equipment.h"
#include "tsu-sync-client.h"

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
fail (GError *error)
{
  fprintf (stderr, "%s\n", error ? error->message : "failed");
  return 1;
}

int
main (int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuSyncClient) client = NULL;
  const char *cmd = argc > 2 ? argv[2] : "";
  Wait        w = { 0 };

  if (argc < 3 || (store = tsu_store_open (argv[1], &error)) == NULL)
    {
      fprintf (stderr, "usage: equipment-desk STORE enroll|sync|book|rejected|move|cancel …\n");
      return error ? fail (error) : 2;
    }
  client = tsu_sync_client_new (store);
  if (g_str_equal (cmd, "book") && argc == 7)
    {
      g_autoptr (JsonObject) f = json_object_new ();
      g_autofree char *id = NULL;
      GDate            today;

      json_object_set_string_member (f, "resource_id", argv[3]);
      json_object_set_string_member (f, "group_id", argv[4]);
      json_object_set_string_member (f, "start_at", argv[5]);
      json_object_set_string_member (f, "due_at", argv[6]);
      json_object_set_int_member (f, "quantity", 1);
      g_date_clear (&today, 1);
      g_date_set_time_t (&today, time (NULL));
      if ((id = tsu_booking_book (store, f, &today, &error)) == NULL)
        return fail (error);
      printf ("%s\n", id);
      return 0;
    }
  if (g_str_equal (cmd, "rejected"))
    {
      g_autoptr (JsonArray) list = tsu_sync_client_list_rejected (client, &error);
      g_autoptr (JsonNode) node = NULL;
      g_autofree char *text = NULL;

      if (list == NULL)
        return fail (error);
      node = json_node_init_array (json_node_alloc (), list);
      text = json_to_string (node, FALSE);
      printf ("%s\n", text);
      return 0;
    }
  if (g_str_equal (cmd, "move") && argc == 6)
    {
      g_autoptr (JsonObject) fix = json_object_new ();

      json_object_set_string_member (fix, "start_at", argv[4]);
      json_object_set_string_member (fix, "due_at", argv[5]);
      if (!tsu_sync_client_retry_rejected (client, g_ascii_strtoll (argv[3], NULL, 10), fix,
                                           &error))
        return fail (error);
      return 0;
    }
  if (g_str_equal (cmd, "cancel") && argc == 4)
    return tsu_sync_client_discard_rejected (client, g_ascii_strtoll (argv[3], NULL, 10), &error)
               ? 0
               : fail (error);

  w.loop = g_main_loop_new (NULL, FALSE);
  if (g_str_equal (cmd, "enroll") && argc == 5)
    tsu_sync_client_enroll_async (client, argv[3], argv[4], "equipment-desk", NULL, enrolled_cb,
                                  &w);
  else if (g_str_equal (cmd, "sync"))
    tsu_sync_client_sync_async (client, NULL, synced_cb, &w);
  else
    return 2;
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  if (!w.ok)
    return fail (w.error);
  printf ("synced pushed=%u rejected=%u\n", w.stats.pushed, w.stats.rejected);
  return 0;
}
