/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 要確認 window explains, in Japanese, every reason a real
 * tsunagu-server gave for refusing a desk's changes: two desks offline
 * book one projector, confirm one volunteer twice, give away the last
 * seat, apply twice, take one registration number, book for a group whose
 * registration lapsed, and edit a person erased on request. Each refusal
 * reads as staff would read it, naming the record it clashes with. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <locale.h>
#include <signal.h>
#include <string.h>

#include "tsu-application.h"
#include "tsu-store-private.h"
#include "tsu-sync-attention-window.h"
#include "tsu-sync-client.h"

static const char *server_path;

typedef struct
{
  char        *dir;
  char        *data;
  char        *org;
  char        *url;
  GSubprocess *proc;
} Server;

static char *
admin (Server *s, const char *cmd, const char *arg)
{
  g_autofree char *out = NULL;
  g_autoptr (GError) error = NULL;
  const char *argv[] = { server_path, cmd, "--data", s->data, arg, NULL };
  int         status;
  char       *last;

  g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &out, NULL,
                &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_strstrip (out);
  last = strrchr (out, '\n');
  return g_strdup (last ? last + 1 : out);
}

static Server *
server_new (void)
{
  Server *s = g_new0 (Server, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (GDataInputStream) in = NULL;
  g_autoptr (GSubprocessLauncher) l = g_subprocess_launcher_new (
      G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_autofree char *line = NULL;

  s->dir = g_dir_make_tmp ("tsu-attention-XXXXXX", &error);
  g_assert_no_error (error);
  s->data = g_build_filename (s->dir, "data", NULL);
  s->org = admin (s, "org-create", "大牟田市民活動サポートセンター");
  s->proc = g_subprocess_launcher_spawn (l, &error, server_path, "serve", "--data", s->data,
                                         "--listen", "127.0.0.1:0", "--rate", "0", NULL);
  g_assert_no_error (error);
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line (in, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (line != NULL && g_str_has_prefix (line, "listening on "));
  s->url = g_strdup (line + strlen ("listening on "));
  return s;
}

static void
server_free (Server *s)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", s->dir);

  g_subprocess_send_signal (s->proc, SIGKILL);
  g_subprocess_wait (s->proc, NULL, NULL);
  g_object_unref (s->proc);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (s->dir);
  g_free (s->data);
  g_free (s->org);
  g_free (s->url);
  g_free (s);
}

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

static TsuSyncClient *
desk_new (Server *s, const char *name)
{
  g_autofree char *path = g_strdup_printf ("%s/%s.sqlite3", s->dir, name);
  g_autofree char *code = admin (s, "enroll-code", s->org);
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (path, &error);
  TsuSyncClient *c;
  Wait           w = { g_main_loop_new (NULL, FALSE) };

  g_assert_no_error (error);
  c = tsu_sync_client_new (store);
  tsu_sync_client_set_timeout (c, 10);
  tsu_sync_client_enroll_async (c, s->url, code, name, NULL, enrolled_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  return c;
}

static TsuSyncStats
sync_ok (TsuSyncClient *c)
{
  Wait w = { g_main_loop_new (NULL, FALSE) };

  tsu_sync_client_sync_async (c, NULL, synced_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);
  g_assert_no_error (w.error);
  g_assert_true (w.ok);
  return w.stats;
}

static char *
add (TsuSyncClient *c, const char *collection, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n = json_from_string (json, &error);
  char *id;

  g_assert_no_error (error);
  id = tsu_store_insert (tsu_sync_client_get_store (c), collection, json_node_get_object (n),
                         &error);
  g_assert_no_error (error);
  return id;
}

static void G_GNUC_PRINTF (3, 4)
    addf (TsuSyncClient *c, const char *collection, const char *format, ...)
{
  g_autofree char *json = NULL;
  va_list          args;

  va_start (args, format);
  json = g_strdup_vprintf (format, args);
  va_end (args);
  g_free (add (c, collection, json));
}

static void
change (TsuSyncClient *c, const char *collection, const char *id, const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) n = json_from_string (json, NULL);

  g_assert_true (tsu_store_update (tsu_sync_client_get_store (c), collection, id,
                                   json_node_get_object (n), &error));
  g_assert_no_error (error);
}

static void
collect_labels (GtkWidget *w, GString *out)
{
  if (!gtk_widget_get_mapped (w))
    return;
  if (GTK_IS_LABEL (w))
    g_string_append_printf (out, "%s\n", gtk_label_get_text (GTK_LABEL (w)));
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    collect_labels (c, out);
}

static gboolean
quit_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The window's text once its list is there (loaded in a worker). */
static char *
window_text (GtkWidget *window, const char *until)
{
  for (guint i = 0; i < 300; i++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      gboolean done = FALSE;

      collect_labels (window, text);
      if (strstr (text->str, until) != NULL)
        return g_string_free (g_steal_pointer (&text), FALSE);
      g_timeout_add (100, quit_cb, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  g_error ("the 要確認 window never listed “%s”", until);
  return NULL;
}

static void
expect (const char *text, const char *part)
{
  if (strstr (text, part) == NULL)
    g_error ("the 要確認 window does not say “%s”:\n%s", part, text);
}

static void
test_every_reason_explained (void)
{
  Server *s = server_new ();
  g_autoptr (TsuSyncClient) a = desk_new (s, "desk-a");
  g_autoptr (TsuSyncClient) b = desk_new (s, "desk-b");
  g_autofree char *group = NULL, *lapsing = NULL, *projector = NULL, *room = NULL;
  g_autofree char *volunteer = NULL, *req1 = NULL, *req2 = NULL, *event = NULL;
  g_autofree char *programme = NULL, *person = NULL, *text = NULL;
  g_autoptr (GError) error = NULL;
  GtkWidget   *window;
  TsuSyncStats st;

  /* What both desks know. */
  group = add (a, "groups",
               "{\"name\":\"白川読み聞かせの会\",\"name_kana\":\"シラカワヨミキカセノカイ\","
               "\"registration_number\":\"2026-001\",\"registered_on\":\"2026-04-10\","
               "\"valid_fiscal_year\":2026}");
  lapsing = add (a, "groups",
                 "{\"name\":\"有明太鼓保存会\",\"name_kana\":\"アリアケタイコホゾンカイ\","
                 "\"registration_number\":\"2026-002\",\"registered_on\":\"2026-04-10\","
                 "\"valid_fiscal_year\":2026}");
  projector = add (a, "resources",
                   "{\"kind\":\"item\",\"name\":\"プロジェクター\",\"status\":\"available\"}");
  room = add (a, "resources", "{\"kind\":\"room\",\"name\":\"会議室A\",\"status\":\"available\"}");
  volunteer = add (a, "volunteers",
                   "{\"family_name\":\"山田\",\"given_name\":\"花子\",\"family_kana\":\"ヤマダ\","
                   "\"given_kana\":\"ハナコ\"}");
  req1 = add (a, "requests",
              "{\"title\":\"図書館の読み聞かせ\",\"schedule\":\"once\","
              "\"date_from\":\"2026-12-12\",\"slot\":\"am\"}");
  req2 = add (a, "requests",
              "{\"title\":\"公園の清掃\",\"schedule\":\"window\",\"date_from\":\"2026-12-10\","
              "\"date_to\":\"2026-12-14\",\"slot\":\"am\"}");
  event = add (a, "events",
               "{\"title\":\"会計講座\",\"capacity\":1,\"start_at\":\"2026-12-12T13:30\"}");
  programme = add (a, "programmes", "{\"name\":\"市民活動団体応援補助金\"}");
  person = add (a, "volunteers",
                "{\"family_name\":\"蛯名\",\"given_name\":\"瑠璃子\",\"family_kana\":\"エビナ\","
                "\"given_kana\":\"ルリコ\"}");
  sync_ok (a);
  sync_ok (b);

  /* Desk A goes first. */
  addf (a, "bookings",
        "{\"resource_id\":\"%s\",\"group_id\":\"%s\",\"state\":\"reserved\","
        "\"start_at\":\"2026-12-12T10:00\",\"due_at\":\"2026-12-12T17:00\"}",
        projector, group);
  addf (a, "matches",
        "{\"request_id\":\"%s\",\"volunteer_id\":\"%s\","
        "\"state\":\"confirmed\"}",
        req1, volunteer);
  addf (a, "registrations",
        "{\"event_id\":\"%s\",\"name\":\"田中 一郎\","
        "\"state\":\"registered\"}",
        event);
  addf (a, "applications", "{\"programme_id\":\"%s\",\"group_id\":\"%s\",\"state\":\"told\"}",
        programme, group);
  g_free (add (a, "groups",
               "{\"name\":\"白川子ども食堂\",\"name_kana\":\"シラカワコドモショクドウ\","
               "\"registration_number\":\"2026-003\"}"));
  change (a, "groups", lapsing, "{\"valid_fiscal_year\":2024}");
  g_assert_true (tsu_store_erase (tsu_sync_client_get_store (a), "volunteers", person, &error));
  g_assert_no_error (error);
  sync_ok (a);

  /* Desk B, offline meanwhile, did the same things. */
  addf (b, "bookings",
        "{\"resource_id\":\"%s\",\"group_id\":\"%s\",\"state\":\"reserved\","
        "\"start_at\":\"2026-12-12T15:00\",\"due_at\":\"2026-12-13T10:00\"}",
        projector, group);
  addf (b, "matches",
        "{\"request_id\":\"%s\",\"volunteer_id\":\"%s\","
        "\"state\":\"confirmed\"}",
        req2, volunteer);
  addf (b, "registrations",
        "{\"event_id\":\"%s\",\"name\":\"佐藤 次郎\","
        "\"state\":\"registered\"}",
        event);
  addf (b, "applications", "{\"programme_id\":\"%s\",\"group_id\":\"%s\",\"state\":\"told\"}",
        programme, group);
  g_free (add (b, "groups",
               "{\"name\":\"有明ダンス部\",\"name_kana\":\"アリアケダンスブ\","
               "\"registration_number\":\"2026-003\"}"));
  addf (b, "bookings",
        "{\"resource_id\":\"%s\",\"group_id\":\"%s\",\"state\":\"reserved\","
        "\"start_at\":\"2026-12-20T10:00\",\"due_at\":\"2026-12-20T12:00\"}",
        room, lapsing);
  change (b, "volunteers", person, "{\"phone\":\"090-8765-4321\"}");
  st = sync_ok (b);
  g_assert_cmpuint (st.rejected, ==, 7);

  window = GTK_WIDGET (tsu_sync_attention_window_new (NULL, tsu_sync_client_get_store (b)));
  gtk_window_present (GTK_WINDOW (window));
  /* The last card listed: the erased person's. */
  text = window_text (window, "本人の請求により消去");
  g_test_message ("%s", text);

  expect (text, "この登録番号はすでに別の団体が使っています。");
  expect (text, "「白川子ども食堂」"); /* the group holding 2026-003 */
  expect (text, "「プロジェクター」"); /* booked by 白川読み聞かせの会 */
  expect (text, "「白川読み聞かせの会」");
  expect (text, "「有明太鼓保存会」");   /* not registered on the day */
  expect (text, "「図書館の読み聞かせ"); /* the confirmed match it overlaps */
  expect (text, "「会計講座」");         /* the full event */
  expect (text, "定員");
  expect (text, "助成事業の一覧");
  expect (text, "この変更は破棄してください。");
  /* An erased record takes no change: only 破棄 on its card. */
  {
    g_auto (GStrv) parts = g_strsplit (text, "\n再送(S)\n", -1);

    g_assert_cmpuint (g_strv_length (parts) - 1, ==, 5);
  }
  /* No reason left as the server's code. */
  g_assert_null (strstr (text, "booking_conflict"));
  g_assert_null (strstr (text, "event_full"));
  g_assert_null (strstr (text, "erased"));
  gtk_window_destroy (GTK_WINDOW (window));

  /* A rule the server could not check, and a reason of a newer server. */
  {
    g_autoptr (JsonNode) n = json_from_string (
        "{\"collection\":\"bookings\",\"id\":\"0190a1b2-0000-7000-8000-000000000001\","
        "\"op\":\"insert\",\"result\":{\"status\":\"rejected\",\"reason\":\"rule_failed\"}}",
        NULL);
    JsonObject      *item = json_node_get_object (n);
    g_autofree char *failed = tsu_sync_rejection_describe (tsu_sync_client_get_store (b), item);
    g_autofree char *future = NULL;

    g_assert_nonnull (strstr (failed, "後でもう一度送信"));
    json_object_set_string_member (json_object_get_object_member (item, "result"), "reason",
                                   "quota_exceeded");
    future = tsu_sync_rejection_describe (tsu_sync_client_get_store (b), item);
    g_assert_nonnull (strstr (future, "サーバーが変更を受け付けませんでした（quota_exceeded）"));
  }
  g_clear_object (&a);
  g_clear_object (&b);
  server_free (s);
}

int
main (int argc, char *argv[])
{
  g_autofree char *localedir = NULL;
  g_autofree char *home = NULL;
  g_autofree char *rm = NULL;
  int              status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display (DISPLAY or WAYLAND_DISPLAY): skipped.\n");
      return 77;
    }
  g_assert_nonnull (g_getenv ("TSU_BUILD_ROOT"));
  server_path = argv[1];
  /* Tokens in a private file under a throwaway home (no keyring prompt). */
  home = g_dir_make_tmp ("tsu-attention-home-XXXXXX", NULL);
  g_setenv ("XDG_CONFIG_HOME", home, TRUE);
  g_setenv ("XDG_DATA_HOME", home, TRUE);
  g_setenv ("TSUNAGU_TOKEN_STORE", "file", TRUE);

  /* Japanese, from the build tree's catalogue. */
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANG", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ja", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  localedir = g_build_filename (g_getenv ("TSU_BUILD_ROOT"), "po", NULL);
  g_setenv ("TSUNAGU_LOCALEDIR", localedir, TRUE);
  tsu_application_init_i18n ();

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();
  g_test_add_func ("/sync/attention/every-reason", test_every_reason_explained);
  status = g_test_run ();
  rm = g_strdup_printf ("rm -rf '%s'", home);
  g_spawn_command_line_sync (rm, NULL, NULL, NULL, NULL);
  return status;
}
