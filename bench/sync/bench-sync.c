/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "tsu-store-private.h"
#include "tsu-sync-client.h"
#include "tsu-sync-codec.h"
#include "tsu-uuid.h"

/* Sync benchmarks against a real tsunagu-server process, each with a
 * baseline measured in the same run: the same response bytes served as
 * static files by a minimal SoupServer in another process (this program
 * with --static DIR). Prints numbers and ratios; asserts nothing on time.
 *
 *   bench-sync --server build/src/server/tsunagu-server
 *              [--records 100000] [--devices 50] [--seconds 5] [--rounds 20]
 */

static char *opt_server;
static char *opt_static;
static int   opt_records = 100000;
static int   opt_devices = 50;
static int   opt_seconds = 5;
static int   opt_rounds = 20;

static const GOptionEntry entries[]
    = { { "server", 0, 0, G_OPTION_ARG_FILENAME, &opt_server, "tsunagu-server binary", "PATH" },
        { "static", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &opt_static, NULL, NULL },
        { "records", 0, 0, G_OPTION_ARG_INT, &opt_records, "Records to pull (100000)", "N" },
        { "devices", 0, 0, G_OPTION_ARG_INT, &opt_devices, "Concurrent devices (50)", "N" },
        { "seconds", 0, 0, G_OPTION_ARG_INT, &opt_seconds, "Seconds per request/s run (5)", "S" },
        { "rounds", 0, 0, G_OPTION_ARG_INT, &opt_rounds, "Rounds of 50 changes (20)", "N" },
        { NULL } };

/* ---- static baseline server ---- */

static void
static_cb (
    SoupServer *server, SoupServerMessage *msg, const char *path, GHashTable *query, gpointer dir)
{
  g_autofree char *name = g_strdelimit (g_strdup (path + 1), "/", '_');
  g_autofree char *file = g_build_filename (dir, name, NULL);
  GMappedFile     *mf = g_mapped_file_new (file, FALSE, NULL);
  g_autoptr (GBytes) bytes = NULL;

  if (mf == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }
  bytes = g_mapped_file_get_bytes (mf);
  g_mapped_file_unref (mf);
  soup_server_message_set_status (msg, 200, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                         "application/json", NULL);
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), bytes);
}

static int
run_static (const char *dir)
{
  g_autoptr (SoupServer) server = soup_server_new ("server-header", "static", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  GSList *uris;

  soup_server_add_handler (server, NULL, static_cb, (gpointer)dir, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  printf ("listening on http://127.0.0.1:%d\n", g_uri_get_port (uris->data));
  fflush (stdout);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  g_main_loop_run (loop);
  return 0;
}

/* ---- helpers ---- */

typedef struct
{
  GSubprocess *proc;
  char        *url;
} Proc;

static Proc
spawn_server (const char *const *argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autofree char *line = NULL;
  Proc             p = { 0 };

  p.proc = g_subprocess_newv (
      argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  if (p.proc == NULL)
    g_error ("%s", error->message);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (p.proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("server did not start");
  p.url = g_strdup (line + strlen ("listening on "));
  return p;
}

static void
proc_stop (Proc *p)
{
  g_subprocess_send_signal (p->proc, SIGTERM);
  g_subprocess_wait (p->proc, NULL, NULL);
  g_clear_object (&p->proc);
  g_free (p->url);
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

static SoupSession *session;

static GBytes *
http (const char *method, const char *url, const char *token, const char *body, guint *status)
{
  g_autoptr (SoupMessage) msg = soup_message_new (method, url);
  g_autoptr (GError) error = NULL;
  GBytes *out;

  if (token)
    {
      g_autofree char *h = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", h);
    }
  if (body)
    {
      g_autoptr (GBytes) b = g_bytes_new (body, strlen (body));
      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  out = soup_session_send_and_read (session, msg, NULL, &error);
  if (out == NULL)
    g_error ("%s %s: %s", method, url, error->message);
  *status = soup_message_get_status (msg);
  return out;
}

static JsonObject *
http_json (const char *method, const char *url, const char *token, const char *body, guint expect)
{
  guint status;
  g_autoptr (GBytes) b = http (method, url, token, body, &status);
  g_autoptr (JsonNode) n = NULL;

  if (status != expect)
    g_error ("%s %s answered %u", method, url, status);
  n = json_from_string (g_bytes_get_data (b, NULL), NULL);
  return json_object_ref (json_node_get_object (n));
}

static char *
enroll (const char *base, const char *data, const char *org, const char *name)
{
  g_autofree char *code = admin (data, "enroll-code", org);
  g_autofree char *body = g_strdup_printf ("{\"code\":\"%s\",\"device_name\":\"%s\"}", code, name);
  g_autofree char *url = g_strconcat (base, "/v1/enroll", NULL);
  g_autoptr (JsonObject) o = http_json ("POST", url, NULL, body, 201);

  return g_strdup (json_object_get_string_member (o, "token"));
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static int
cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *a)
{
  g_array_sort (a, cmp_double);
  return a->len ? g_array_index (a, double, a->len / 2) : 0;
}

/* ---- concurrent load ---- */

typedef struct
{
  GMainLoop *loop;
  double     deadline;
  guint      done;
  guint      failed;
  guint      active;
} Load;

typedef struct
{
  Load *load;
  char *url;
  char *token;
} Worker;

static void worker_send (Worker *w);

static void
worker_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Worker *w = data;
  g_autoptr (GBytes) b = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  if (b != NULL)
    w->load->done++;
  else
    w->load->failed++;
  if (now_s () < w->load->deadline)
    worker_send (w);
  else if (--w->load->active == 0)
    g_main_loop_quit (w->load->loop);
}

static void
worker_send (Worker *w)
{
  g_autoptr (SoupMessage) msg = soup_message_new ("GET", w->url);

  if (w->token)
    {
      g_autofree char *h = g_strconcat ("Bearer ", w->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", h);
    }
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, worker_cb, w);
}

static double
run_load (char **urls, char **tokens, guint n, double seconds, guint *failed)
{
  Load               load = { g_main_loop_new (NULL, FALSE), now_s () + seconds, 0, 0, n };
  g_autofree Worker *workers = g_new0 (Worker, n);
  double             t0 = now_s ();

  for (guint i = 0; i < n; i++)
    {
      workers[i].load = &load;
      workers[i].url = urls[i];
      workers[i].token = tokens ? tokens[i] : NULL;
      worker_send (&workers[i]);
    }
  g_main_loop_run (load.loop);
  g_main_loop_unref (load.loop);
  *failed = load.failed;
  return load.done / (now_s () - t0);
}

/* ---- the bare insert of the baseline ---- */

static void
bare_insert (TsuStore *store, GPtrArray *parsed)
{
  const TsuCollection *c = tsu_collection_lookup ("groups");
  sqlite3             *db = tsu_store_get_db (store);
  g_autoptr (GString) sql = g_string_new ("INSERT INTO groups (id, rev, created_at, updated_at");
  g_autoptr (GString) marks = g_string_new (") VALUES (?, ?, ?, ?");
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < c->n_fields; i++)
    if (!(c->fields[i].flags & TSU_FIELD_DERIVED))
      {
        g_string_append_printf (sql, ", \"%s\"", c->fields[i].name);
        g_string_append (marks, ", ?");
      }
  g_string_append (sql, marks->str);
  g_string_append (sql, ")");
  tsu_store_lock (store);
  /* The fastest way to fill the same tables: the search index's triggers
   * off, the index written in one statement per page. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL);
  if (sqlite3_prepare_v2 (db, sql->str, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s", sqlite3_errmsg (db));
  for (guint p = 0; p < parsed->len; p++)
    {
      JsonArray *changes
          = json_object_get_array_member (json_node_get_object (parsed->pdata[p]), "changes");

      gint64        before = 0;
      sqlite3_stmt *max = NULL;

      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_prepare_v2 (db, "SELECT coalesce(max(rowid), 0) FROM groups", -1, &max, NULL);
      if (sqlite3_step (max) == SQLITE_ROW)
        before = sqlite3_column_int64 (max, 0);
      sqlite3_finalize (max);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *ch = json_array_get_object_element (changes, i);
          JsonObject *f = json_object_get_object_member (ch, "fields");
          int         k = 1;

          sqlite3_reset (stmt);
          sqlite3_bind_text (stmt, k++, json_object_get_string_member (ch, "id"), -1,
                             SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, k++, json_object_get_int_member (ch, "rev"));
          sqlite3_bind_text (stmt, k++, json_object_get_string_member (ch, "created_at"), -1,
                             SQLITE_STATIC);
          sqlite3_bind_text (stmt, k++, json_object_get_string_member (ch, "updated_at"), -1,
                             SQLITE_STATIC);
          for (guint j = 0; j < c->n_fields; j++)
            {
              JsonNode *v;

              if (c->fields[j].flags & TSU_FIELD_DERIVED)
                continue;
              v = json_object_get_member (f, c->fields[j].name);
              if (v == NULL || JSON_NODE_HOLDS_NULL (v))
                sqlite3_bind_null (stmt, k++);
              else if (JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING)
                sqlite3_bind_text (stmt, k++, json_node_get_string (v), -1, SQLITE_STATIC);
              else if (JSON_NODE_HOLDS_VALUE (v))
                sqlite3_bind_int64 (stmt, k++, json_node_get_int (v));
              else
                sqlite3_bind_text (stmt, k++, json_to_string (v, FALSE), -1, g_free);
            }
          if (sqlite3_step (stmt) != SQLITE_DONE)
            g_error ("%s", sqlite3_errmsg (db));
        }
      {
        g_autofree char *index = g_strdup_printf (
            "INSERT INTO groups_fts (rowid, body) SELECT rowid, coalesce(search_text, '')"
            " || char(1, 1) FROM groups WHERE rowid > %" G_GINT64_FORMAT,
            before);

        sqlite3_exec (db, index, NULL, NULL, NULL);
      }
      sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
    }
  sqlite3_finalize (stmt);
  sqlite3_db_config (db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, NULL);
  tsu_store_unlock (store);
}

/* ---- main ---- */

static void
synced_cb (GObject *source, GAsyncResult *result, gpointer loop)
{
  g_autoptr (GError) error = NULL;

  if (!tsu_sync_client_sync_finish (TSU_SYNC_CLIENT (source), result, NULL, &error))
    g_error ("desk sync: %s", error->message);
  g_main_loop_quit (loop);
}

int
main (int argc, char **argv)
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- sync benchmarks");
  g_autoptr (GError) error = NULL;
  g_autofree char *tmp = NULL, *data = NULL, *pages = NULL, *org = NULL, *token_a = NULL,
                  *token_b = NULL;
  g_autofree char *listen = NULL;
  g_auto (GStrv) tokens = NULL;
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) revs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *cursor_b = NULL;
  g_autoptr (GPtrArray) page_urls = NULL;
  Proc   srv, stat;
  double t0, t_pull, t_static, t_seed, t_desk;
  guint  n_pages = 0, status, failed;
  gsize  bytes = 0;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (opt_static)
    return run_static (opt_static);
  if (opt_server == NULL)
    {
      g_printerr ("--server PATH is required\n");
      return 2;
    }
  g_setenv ("TSUNAGU_TOKEN_STORE", "file", TRUE);
  session = soup_session_new_with_options ("max-conns", 256, "max-conns-per-host", 256, "timeout",
                                           60, NULL);
  tmp = g_dir_make_tmp ("tsu-bench-sync-XXXXXX", &error);
  g_assert_no_error (error);
  data = g_build_filename (tmp, "data", NULL);
  pages = g_build_filename (tmp, "static", NULL);
  g_mkdir (pages, 0700);
  org = admin (data, "org-create", "bench");
  {
    const char *a[] = { opt_server, "serve", "--data",      data,    "--listen", "127.0.0.1:0",
                        "--rate",   "0",     "--log-level", "error", NULL };
    srv = spawn_server (a);
  }
  token_a = enroll (srv.url, data, org, "bench-a");
  token_b = enroll (srv.url, data, org, "bench-b");
  printf ("# tsunagu-server %s, %d records, %d devices, %d s per load run\n", srv.url, opt_records,
          opt_devices, opt_seconds);

  /* Seed: pushes of 500 inserts. */
  {
    g_autofree char *url = g_strconcat (srv.url, "/v1/sync/push", NULL);
    gint64           seq = 0;

    t0 = now_s ();
    for (int done = 0; done < opt_records;)
      {
        g_autoptr (GString) body = g_string_new ("{\"mutations\":[");
        int n = MIN (TSU_SYNC_MAX_BATCH, opt_records - done);

        for (int i = 0; i < n; i++)
          {
            char *id = tsu_uuid7_new ();

            g_ptr_array_add (ids, id);
            g_string_append_printf (
                body,
                "%s{\"seq\":%" G_GINT64_FORMAT
                ",\"collection\":\"groups\",\"id\":\"%s\",\"op\":\"insert\","
                "\"base_rev\":0,\"fields\":{\"name\":\"団体%d\",\"name_kana\":\"ダンタイ\","
                "\"address\":\"大牟田市有明町2丁目3番地\","
                "\"members_total\":%d,\"purpose\":\"地域の子どもたちの居場所づくりと学習支援\","
                "\"fields\":[1,13]}}",
                i ? "," : "", ++seq, id, done + i, 5 + i % 40);
          }
        g_string_append (body, "]}");
        {
          g_autoptr (JsonObject) r = http_json ("POST", url, token_a, body->str, 200);
          JsonArray *res = json_object_get_array_member (r, "results");

          for (guint i = 0; i < json_array_get_length (res); i++)
            {
              gint64 rev
                  = json_object_get_int_member (json_array_get_object_element (res, i), "rev");
              g_array_append_val (revs, rev);
            }
        }
        done += n;
      }
    t_seed = now_s () - t0;
    printf (
        "push (seed)         %8d records in %6.2f s: %9.0f records/s (500 a push, fsync each)\n",
        opt_records, t_seed, opt_records / t_seed);
  }

  /* Pull everything in pages of 5000; keep each page's bytes for the baseline. */
  page_urls = g_ptr_array_new_with_free_func (g_free);
  {
    g_autofree char *cursor = NULL;
    gboolean         more = TRUE;
    guint            got = 0;

    t0 = now_s ();
    while (more)
      {
        g_autofree char *url
            = cursor ? g_strdup_printf ("%s/v1/sync/pull?limit=5000&cursor=%s", srv.url, cursor)
                     : g_strdup_printf ("%s/v1/sync/pull?limit=5000", srv.url);
        g_autoptr (GBytes) b = http ("GET", url, token_b, NULL, &status);
        g_autoptr (JsonNode) n = json_from_string (g_bytes_get_data (b, NULL), NULL);
        JsonObject      *o = json_node_get_object (n);
        g_autofree char *file = g_strdup_printf ("%s/page%u", pages, n_pages++);

        g_ptr_array_add (page_urls, g_strdup (url));

        g_assert_cmpuint (status, ==, 200);
        got += json_array_get_length (json_object_get_array_member (o, "changes"));
        g_free (cursor);
        cursor = g_strdup (json_object_get_string_member (o, "next_cursor"));
        more = json_object_get_boolean_member (o, "has_more");
        bytes += g_bytes_get_size (b);
        g_file_set_contents (file, g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL);
      }
    t_pull = now_s () - t0;
    g_assert_cmpuint (got, ==, (guint)opt_records);
    cursor_b = g_steal_pointer (&cursor);
  }
  {
    const char *a[] = { argv[0], "--static", pages, NULL };
    stat = spawn_server (a);
  }
  t0 = now_s ();
  for (guint i = 0; i < n_pages; i++)
    {
      g_autofree char *url = g_strdup_printf ("%s/page%u", stat.url, i);
      g_autoptr (GBytes) b = http ("GET", url, NULL, NULL, &status);
      g_autoptr (JsonNode) n = json_from_string (g_bytes_get_data (b, NULL), NULL);

      g_assert_cmpuint (status, ==, 200);
    }
  t_static = now_s () - t0;
  printf ("pull (HTTP+parse)   %8d records in %6.2f s: %9.0f records/s, %.1f MiB in %u pages\n",
          opt_records, t_pull, opt_records / t_pull, bytes / 1048576.0, n_pages);
  printf ("  baseline static   %8d records in %6.2f s: %9.0f records/s  → server/static time ratio "
          "%.2f\n",
          opt_records, t_static, opt_records / t_static, t_pull / t_static);

  /* The desk's first sync: the same pull applied to a real store. */
  {
    g_autofree char *path = g_build_filename (tmp, "desk.sqlite3", NULL);
    g_autoptr (TsuStore) store = tsu_store_open (path, &error);
    g_autoptr (TsuSyncClient) client = NULL;
    g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
    g_autofree char *token_c = enroll (srv.url, data, org, "bench-desk");

    g_assert_no_error (error);
    tsu_store_set_meta (store, "sync_server_url", srv.url, NULL);
    tsu_store_set_meta (store, "sync_device_id", "bench", NULL);
    client = tsu_sync_client_new (store);
    tsu_sync_client_set_token (client, token_c);
    tsu_sync_client_set_page_size (client, 5000);
    t0 = now_s ();
    tsu_sync_client_sync_async (client, NULL, synced_cb, loop);
    g_main_loop_run (loop);
    t_desk = now_s () - t0;
    g_assert_cmpint (tsu_store_count (store, "groups", FALSE, NULL), ==, opt_records);
    printf ("desk first sync     %8d records in %6.2f s: %9.0f records/s (pull + apply to SQLite)  "
            "→ desk/static ratio %.2f\n",
            opt_records, t_desk, opt_records / t_desk, t_desk / t_static);
  }

  /* The baseline of issue 11: the same pages fetched with curl from the
   * same server, plus a bare SQLite insert of the same rows into a file
   * with the same tables, indexes and pragmas (no derive, no history, the
   * search index's triggers as they are). */
  {
    g_autofree char *curl = g_find_program_in_path ("curl");
    g_autofree char *token_d = enroll (srv.url, data, org, "bench-curl");
    g_autofree char *path = g_build_filename (tmp, "bare.sqlite3", NULL);
    g_autoptr (TsuStore) bare = NULL;
    g_autoptr (GPtrArray) parsed = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
    double t_curl = 0, t_insert;

    if (curl == NULL)
      printf ("baseline            skipped: no curl\n");
    else
      {
        g_autofree char *auth = g_strconcat ("Authorization: Bearer ", token_d, NULL);

        t0 = now_s ();
        for (guint i = 0; i < page_urls->len; i++)
          {
            const char *argv_curl[]
                = { curl, "-s", "-f", "-o", "/dev/null", "-H", auth, page_urls->pdata[i], NULL };
            int status_curl = 0;

            if (!g_spawn_sync (NULL, (char **)argv_curl, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL,
                               NULL, &status_curl, NULL)
                || status_curl != 0)
              g_error ("curl failed on page %u", i);
          }
        t_curl = now_s () - t0;

        for (guint i = 0; i < n_pages; i++)
          {
            g_autofree char *file = g_strdup_printf ("%s/page%u", pages, i);
            g_autofree char *text = NULL;
            gsize            len;

            g_file_get_contents (file, &text, &len, NULL);
            g_ptr_array_add (parsed,
                             tsu_json_parse_checked (text, len, tsu_sync_response_limits (), NULL));
          }
        bare = tsu_store_open (path, &error);
        g_assert_no_error (error);
        t0 = now_s ();
        bare_insert (bare, parsed);
        t_insert = now_s () - t0;
        g_assert_cmpint (tsu_store_count (bare, "groups", FALSE, NULL), ==, opt_records);
        printf ("baseline            curl %.2f s + bare insert %.2f s = %.2f s: %9.0f records/s\n",
                t_curl, t_insert, t_curl + t_insert, opt_records / (t_curl + t_insert));
        printf ("first sync target   %9.0f records/s (goal ≥ 20000: %s), %.2f× the baseline "
                "(goal ≤ 3: %s)\n",
                opt_records / t_desk, opt_records / t_desk >= 20000 ? "met" : "NOT met",
                t_desk / (t_curl + t_insert),
                t_desk / (t_curl + t_insert) <= 3 ? "met" : "NOT met");
      }
  }

  /* Incremental: 50 changes pushed by A, pulled by B. */
  {
    g_autoptr (GArray) push_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) pull_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) sp_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr (GArray) sg_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autofree char *push_url = g_strconcat (srv.url, "/v1/sync/push", NULL);
    gint64           mseq = opt_records;
    g_autofree char *last_push = NULL;
    g_autofree char *last_pull = NULL;

    for (int r = 0; r < opt_rounds; r++)
      {
        g_autoptr (GString) body = g_string_new ("{\"mutations\":[");
        g_autofree char *pull_url
            = g_strdup_printf ("%s/v1/sync/pull?cursor=%s", srv.url, cursor_b);
        double t;

        for (int i = 0; i < 50; i++)
          {
            guint   k = (r * 50 + i) % ids->len;
            gint64 *rev = &g_array_index (revs, gint64, k);

            g_string_append_printf (body,
                                    "%s{\"seq\":%" G_GINT64_FORMAT
                                    ",\"collection\":\"groups\",\"id\":\"%s\",\"op\":\"update\","
                                    "\"base_rev\":%" G_GINT64_FORMAT
                                    ",\"fields\":{\"members_total\":%d},\"old\":{}}",
                                    i ? "," : "", ++mseq, (char *)ids->pdata[k], *rev, 100 + r);
          }
        g_string_append (body, "]}");
        t = now_s ();
        {
          g_autoptr (JsonObject) res = http_json ("POST", push_url, token_a, body->str, 200);
          JsonArray *a = json_object_get_array_member (res, "results");

          t = (now_s () - t) * 1000;
          g_array_append_val (push_ms, t);
          for (int i = 0; i < 50; i++)
            g_array_index (revs, gint64, (r * 50 + i) % ids->len)
                = json_object_get_int_member (json_array_get_object_element (a, i), "rev");
          g_free (last_push);
          last_push = tsu_sync_object_to_string (res);
        }
        t = now_s ();
        {
          g_autoptr (GBytes) b = http ("GET", pull_url, token_b, NULL, &status);
          g_autoptr (JsonNode) n = json_from_string (g_bytes_get_data (b, NULL), NULL);
          JsonObject *o = json_node_get_object (n);

          t = (now_s () - t) * 1000;
          g_array_append_val (pull_ms, t);
          g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "changes")), ==,
                            50);
          g_free (cursor_b);
          cursor_b = g_strdup (json_object_get_string_member (o, "next_cursor"));
          g_free (last_pull);
          last_pull = g_strndup (g_bytes_get_data (b, NULL), g_bytes_get_size (b));
        }
      }
    /* Baseline: the same response bytes from static files. */
    {
      g_autofree char *f1 = g_build_filename (pages, "push50", NULL);
      g_autofree char *f2 = g_build_filename (pages, "pull50", NULL);
      g_autofree char *u1 = g_strconcat (stat.url, "/push50", NULL);
      g_autofree char *u2 = g_strconcat (stat.url, "/pull50", NULL);

      g_file_set_contents (f1, last_push, -1, NULL);
      g_file_set_contents (f2, last_pull, -1, NULL);
      for (int r = 0; r < opt_rounds; r++)
        {
          double t = now_s ();
          g_autoptr (GBytes) b1 = http ("GET", u1, NULL, NULL, &status);
          g_autoptr (JsonNode) n1 = json_from_string (g_bytes_get_data (b1, NULL), NULL);
          t = (now_s () - t) * 1000;
          g_array_append_val (sp_ms, t);
          t = now_s ();
          g_autoptr (GBytes) b2 = http ("GET", u2, NULL, NULL, &status);
          g_autoptr (JsonNode) n2 = json_from_string (g_bytes_get_data (b2, NULL), NULL);
          t = (now_s () - t) * 1000;
          g_array_append_val (sg_ms, t);
        }
    }
    {
      double p = median (push_ms), q = median (pull_ms), sp = median (sp_ms), sq = median (sg_ms);

      printf ("50 changes push     median %7.2f ms (%d rounds)   baseline static %6.2f ms → ratio "
              "%.1f\n",
              p, opt_rounds, sp, p / sp);
      printf ("50 changes pull     median %7.2f ms               baseline static %6.2f ms → ratio "
              "%.1f\n",
              q, sq, q / sq);
      printf ("50 changes push+pull median %6.2f ms               baseline static %6.2f ms → ratio "
              "%.1f\n",
              p + q, sp + sq, (p + q) / (sp + sq));
    }
  }

  /* Requests/s: many devices polling at the head of the change sequence. */
  {
    g_autofree char **urls = g_new0 (char *, opt_devices + 1);
    g_autofree char **surls = g_new0 (char *, opt_devices + 1);
    g_autofree char  *head = NULL;
    g_autofree char  *headfile = g_build_filename (pages, "head", NULL);
    double            rps, srps;
    guint             sfailed;

    tokens = g_new0 (char *, opt_devices + 1);
    for (int i = 0; i < opt_devices; i++)
      {
        g_autofree char *name = g_strdup_printf ("load-%d", i);
        tokens[i] = enroll (srv.url, data, org, name);
        urls[i] = g_strdup_printf ("%s/v1/sync/pull?cursor=%s", srv.url, cursor_b);
        surls[i] = g_strdup_printf ("%s/head", stat.url);
      }
    {
      g_autoptr (GBytes) b = http ("GET", urls[0], tokens[0], NULL, &status);
      g_file_set_contents (headfile, g_bytes_get_data (b, NULL), g_bytes_get_size (b), NULL);
    }
    rps = run_load (urls, tokens, opt_devices, opt_seconds, &failed);
    srps = run_load (surls, NULL, opt_devices, opt_seconds, &sfailed);
    printf ("%d devices polling  %9.0f requests/s (%u failed)   baseline static %9.0f requests/s "
            "(%u failed) → ratio %.2f\n",
            opt_devices, rps, failed, srps, sfailed, rps / srps);
    for (int i = 0; i < opt_devices; i++)
      {
        g_free (urls[i]);
        g_free (surls[i]);
      }
  }

  proc_stop (&stat);
  proc_stop (&srv);
  if (!g_getenv ("TSU_KEEP_DATA"))
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp);
      if (system (cmd) != 0)
        g_printerr ("could not remove %s\n", tmp);
    }
  g_object_unref (session);
  return 0;
}
