/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "tsu-store-private.h"
#include "tsu-sync-client.h"
#include "tsu-sync-codec.h"
#include "tsu-sync-token.h"

/* The desk side of docs/sync-protocol.md. One SoupSession, async on the
 * main context; every request has a watchdog and bounded retries. Order of
 * a sync: conflict resolutions made offline, then the outbox (push), then
 * the server's changes (pull), each page applied with its cursor in one
 * store transaction. Local data is never dropped: 401/403/410 and network
 * failures leave the outbox and the records as they are. */

#define META_URL "sync_server_url"
#define META_DEVICE "sync_device_id"
#define META_ORG "sync_org_id"
#define META_CURSOR "sync_cursor"
#define META_PUSHED "sync_pushed_seq"
#define META_EPOCH "sync_epoch"

struct _TsuSyncClient
{
  GObject parent_instance;

  TsuStore    *store;
  SoupSession *session;
  char        *token;
  guint        timeout;
  guint        max_attempts;
  guint        page_size;
  gboolean     busy;
};

G_DEFINE_FINAL_TYPE (TsuSyncClient, tsu_sync_client, G_TYPE_OBJECT)
/* The quark name is a literal, not an expression. */
// clang-format off
G_DEFINE_QUARK (tsu-sync-error-quark, tsu_sync_error)
// clang-format on

/* ---- one request, with watchdog and retries ---- */

typedef void (*ResponseFunc) (GTask *task, guint status, GBytes *body, GError *error);

typedef struct
{
  TsuSyncClient *self;
  GTask         *task;
  char          *method;
  char          *uri;
  GBytes        *body;
  gboolean       idempotent;
  gboolean       auth;
  ResponseFunc   done;
  guint          attempt;
  GCancellable  *watchdog;
  guint          watchdog_id;
  gulong         cancel_id;
  gboolean       timed_out;
  SoupMessage   *msg;
} Attempt;

static void attempt_send (Attempt *a);

static void
attempt_free (Attempt *a)
{
  if (a->watchdog_id)
    g_source_remove (a->watchdog_id);
  if (a->cancel_id)
    g_cancellable_disconnect (g_task_get_cancellable (a->task), a->cancel_id);
  g_clear_object (&a->watchdog);
  g_clear_object (&a->msg);
  g_clear_pointer (&a->body, g_bytes_unref);
  g_free (a->method);
  g_free (a->uri);
  g_object_unref (a->task);
  g_free (a);
}

static gboolean
watchdog_cb (gpointer data)
{
  Attempt *a = data;

  a->watchdog_id = 0;
  a->timed_out = TRUE;
  g_cancellable_cancel (a->watchdog);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable, gpointer data)
{
  Attempt *a = data;

  g_cancellable_cancel (a->watchdog);
}

static guint
retry_delay_ms (Attempt *a, SoupMessage *msg)
{
  const char *ra
      = msg ? soup_message_headers_get_one (soup_message_get_response_headers (msg), "Retry-After")
            : NULL;
  guint64 secs;
  guint   base;

  /* The server's word first, capped so that a desk never waits blind for
   * long; then exponential backoff with jitter. */
  if (ra != NULL && g_ascii_string_to_unsigned (ra, 10, 0, 3600, &secs, NULL))
    return MIN (secs, 30) * 1000 + g_random_int_range (0, 250);
  base = 250u << MIN (a->attempt, 6);
  return base / 2 + g_random_int_range (0, base);
}

static gboolean
retry_cb (gpointer data)
{
  attempt_send (data);
  return G_SOURCE_REMOVE;
}

static void
finish_attempt (Attempt *a, guint status, GBytes *body, GError *error)
{
  ResponseFunc done = a->done;
  GTask       *task = g_object_ref (a->task);

  attempt_free (a);
  done (task, status, body, error);
  g_object_unref (task);
}

static void
sent_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  Attempt *a = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) body
      = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  GCancellable *user = g_task_get_cancellable (a->task);
  guint         status = body ? soup_message_get_status (a->msg) : 0;
  gboolean      retry = FALSE;

  if (a->watchdog_id)
    {
      g_source_remove (a->watchdog_id);
      a->watchdog_id = 0;
    }

  if (user != NULL && g_cancellable_is_cancelled (user))
    {
      g_autoptr (GError) e = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                  _ ("Synchronisation was cancelled."));
      finish_attempt (a, 0, NULL, e);
      return;
    }

  /* A request that is not idempotent (enrolment spends its code) is not
   * sent again after a failure that may have come after the server acted. */
  if (body == NULL)
    retry = a->idempotent; /* network error or watchdog */
  else if (status == 429 || status == 503 || status == 502 || status == 504
           || (status >= 500 && a->idempotent))
    retry = TRUE;

  if (retry && a->attempt + 1 < a->self->max_attempts)
    {
      guint delay = retry_delay_ms (a, a->msg);

      g_debug ("sync: %s %s attempt %u failed (%u), again in %u ms", a->method,
               g_uri_peek_scheme (a->uri), a->attempt + 1, status, delay);
      a->attempt++;
      a->timed_out = FALSE;
      g_clear_object (&a->msg);
      g_timeout_add (delay, retry_cb, a);
      return;
    }

  if (body == NULL)
    {
      g_autoptr (GError) e = NULL;

      if (a->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        e = g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_TIMEOUT,
                         _ ("The server did not answer within %u seconds."), a->self->timeout);
      else
        e = g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_NETWORK,
                         _ ("The server cannot be reached: %s"), error->message);
      finish_attempt (a, 0, NULL, e);
      return;
    }
  finish_attempt (a, status, body, NULL);
}

static void
attempt_send (Attempt *a)
{
  GCancellable *user = g_task_get_cancellable (a->task);

  a->msg = soup_message_new (a->method, a->uri);
  if (a->msg == NULL)
    {
      g_autoptr (GError) e = g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                                          _ ("“%s” is not a valid server address."), a->uri);
      finish_attempt (a, 0, NULL, e);
      return;
    }
  if (a->idempotent)
    soup_message_add_flags (a->msg, SOUP_MESSAGE_IDEMPOTENT);
  if (a->auth && a->self->token != NULL)
    {
      g_autofree char *h = g_strconcat ("Bearer ", a->self->token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (a->msg), "Authorization", h);
    }
  soup_message_headers_replace (soup_message_get_request_headers (a->msg), "Accept",
                                "application/json");
  if (a->body != NULL)
    soup_message_set_request_body_from_bytes (a->msg, "application/json", a->body);

  g_clear_object (&a->watchdog);
  a->watchdog = g_cancellable_new ();
  if (user != NULL && a->cancel_id == 0)
    a->cancel_id = g_cancellable_connect (user, G_CALLBACK (user_cancelled_cb), a, NULL);
  a->watchdog_id = g_timeout_add_seconds (a->self->timeout, watchdog_cb, a);
  soup_session_send_and_read_async (a->self->session, a->msg, G_PRIORITY_DEFAULT, a->watchdog,
                                    sent_cb, a);
}

static void
request (TsuSyncClient *self,
         GTask         *task,
         const char    *method,
         const char    *base_url,
         const char    *path,
         GBytes        *body,
         gboolean       idempotent,
         gboolean       auth,
         ResponseFunc   done)
{
  Attempt *a = g_new0 (Attempt, 1);

  a->self = self;
  a->task = g_object_ref (task);
  a->method = g_strdup (method);
  a->uri = g_strconcat (base_url, path, NULL);
  a->body = body ? g_bytes_ref (body) : NULL;
  a->idempotent = idempotent;
  a->auth = auth;
  a->done = done;
  attempt_send (a);
}

static JsonObject *
parse_response (GBytes *body, GError **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GError) local_error = NULL;
  gsize       len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  /* The server is checked like any other input. */
  root = tsu_json_parse_checked (data, len, tsu_sync_response_limits (), &local_error);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                   _ ("The server sent an answer that cannot be read."));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gint64
int_member (JsonObject *o, const char *name, gint64 fallback)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (n);
}

/* Maps an HTTP failure to an error staff can act on. */
static GError *
status_error (guint status, GBytes *body)
{
  g_autoptr (JsonObject) o = body ? parse_response (body, NULL) : NULL;
  const char *code = string_member (o, "error");

  if (status == 401)
    return g_error_new_literal (
        TSU_SYNC_ERROR, TSU_SYNC_ERROR_UNAUTHORIZED,
        _ ("The server does not accept this desk’s token. Enrol the desk again."));
  if (status == 403 && g_strcmp0 (code, "bad_code") == 0)
    return g_error_new_literal (TSU_SYNC_ERROR, TSU_SYNC_ERROR_BAD_CODE,
                                _ ("The enrolment code is unknown, already used or expired."));
  if (status == 403)
    return g_error_new_literal (
        TSU_SYNC_ERROR, TSU_SYNC_ERROR_REVOKED,
        _ ("This desk has been revoked by the organisation’s administrator."));
  if (status >= 500)
    return g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_SERVER,
                        _ ("The server has a problem (HTTP %u). Try again later."), status);
  return g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                      _ ("The server refused the request (HTTP %u, %s)."), status,
                      code ? code : "?");
}

/* ---- object ---- */

static void
tsu_sync_client_finalize (GObject *object)
{
  TsuSyncClient *self = (TsuSyncClient *)object;

  g_clear_object (&self->store);
  g_clear_object (&self->session);
  if (self->token)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  G_OBJECT_CLASS (tsu_sync_client_parent_class)->finalize (object);
}

static void
tsu_sync_client_class_init (TsuSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_sync_client_finalize;
}

static void
tsu_sync_client_init (TsuSyncClient *self)
{
  self->timeout = 30;
  self->max_attempts = 4;
  self->page_size = TSU_SYNC_DEFAULT_PAGE;
  self->session = soup_session_new_with_options ("timeout", self->timeout, "idle-timeout", 60,
                                                 "user-agent", "Tsunagu/" PACKAGE_VERSION, NULL);
}

/**
 * tsu_sync_client_new:
 *
 * Returns: (transfer full): a client syncing @store
 */
TsuSyncClient *
tsu_sync_client_new (TsuStore *store)
{
  TsuSyncClient *self;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  self = g_object_new (TSU_TYPE_SYNC_CLIENT, NULL);
  self->store = g_object_ref (store);
  return self;
}

/** tsu_sync_client_get_store: Returns: (transfer none): the store */
TsuStore *
tsu_sync_client_get_store (TsuSyncClient *self)
{
  return self->store;
}

/** tsu_sync_client_set_token: uses @token instead of the stored one */
void
tsu_sync_client_set_token (TsuSyncClient *self, const char *token)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));
  g_free (self->token);
  self->token = g_strdup (token);
}

/** tsu_sync_client_set_timeout: seconds a step may take before its watchdog fires */
void
tsu_sync_client_set_timeout (TsuSyncClient *self, guint seconds)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));
  self->timeout = MAX (1, seconds);
  g_object_set (self->session, "timeout", self->timeout, NULL);
}

/** tsu_sync_client_set_max_attempts: tries per request (network errors, 429, 5xx) */
void
tsu_sync_client_set_max_attempts (TsuSyncClient *self, guint attempts)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));
  self->max_attempts = MAX (1, attempts);
}

/** tsu_sync_client_set_page_size: records asked for per pull page */
void
tsu_sync_client_set_page_size (TsuSyncClient *self, guint limit)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));
  self->page_size = CLAMP (limit, 1, TSU_SYNC_MAX_PAGE);
}

static gboolean
check_tls (const char *url, GError **error)
{
  if (g_str_has_prefix (url, "https://")
      && !g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_set_error_literal (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TLS,
                           _ ("Secure connections are not available on this computer "
                              "(glib-networking is missing)."));
      return FALSE;
    }
  if (!g_str_has_prefix (url, "https://") && !g_str_has_prefix (url, "http://"))
    {
      g_set_error (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                   _ ("“%s” is not a valid server address."), url);
      return FALSE;
    }
  if (g_str_has_prefix (url, "http://"))
    {
      g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
      const char *host = uri ? g_uri_get_host (uri) : NULL;

      /* The token would travel in clear: only this computer may be spoken
       * to without TLS (a local test server, a tunnel). */
      if (host == NULL
          || !(g_str_equal (host, "127.0.0.1") || g_str_equal (host, "::1")
               || g_str_equal (host, "localhost")))
        {
          g_set_error_literal (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_TLS,
                               _ ("The server address must start with https:// (only this computer "
                                  "may be reached without encryption)."));
          return FALSE;
        }
    }
  return TRUE;
}

/* ---- enrolment ---- */

static gint64
meta_int (TsuStore *store, const char *key)
{
  g_autofree char *v = tsu_store_get_meta (store, key);

  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

typedef struct
{
  char  *url;
  char  *device_id;
  char  *org_id;
  char  *epoch;
  char  *token;
  gint64 next_seq;
} EnrollData;

static void
enroll_data_free (EnrollData *d)
{
  g_free (d->url);
  g_free (d->device_id);
  g_free (d->org_id);
  g_free (d->epoch);
  if (d->token)
    memset (d->token, 0, strlen (d->token));
  g_free (d->token);
  g_free (d);
}

static void
save_token_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  EnrollData *d = task_data;
  GError     *error = NULL;

  if (!tsu_sync_token_save (d->url, d->device_id, d->token, &error))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
token_saved_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  TsuSyncClient *self = g_task_get_source_object (task);
  EnrollData    *d = g_task_get_task_data (task);
  GError        *error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (task, error);
      return;
    }
  /* The new device pulls everything again; its mutations continue at the
   * next_seq it announced. */
  if (!tsu_store_set_meta (self->store, META_URL, d->url, &error)
      || !tsu_store_set_meta (self->store, META_DEVICE, d->device_id, &error)
      || !tsu_store_set_meta (self->store, META_ORG, d->org_id, &error)
      || !tsu_store_set_meta (self->store, META_EPOCH, d->epoch, &error)
      || !tsu_store_set_meta (self->store, META_CURSOR, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  tsu_sync_client_set_token (self, d->token);
  g_task_return_boolean (task, TRUE);
}

static void
enroll_done (GTask *task, guint status, GBytes *body, GError *error)
{
  EnrollData *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  g_autoptr (GTask) save = NULL;
  GError *e = NULL;

  if (error != NULL)
    {
      g_task_return_error (task, g_error_copy (error));
      return;
    }
  if (status != 201)
    {
      g_task_return_error (task, status_error (status, body));
      return;
    }
  o = parse_response (body, &e);
  if (o == NULL)
    {
      g_task_return_error (task, e);
      return;
    }
  if (string_member (o, "token") == NULL || string_member (o, "device_id") == NULL
      || string_member (o, "org_id") == NULL)
    {
      g_task_return_new_error (task, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                               _ ("The server sent an answer that cannot be read."));
      return;
    }
  d->token = g_strdup (string_member (o, "token"));
  d->device_id = g_strdup (string_member (o, "device_id"));
  d->org_id = g_strdup (string_member (o, "org_id"));
  d->epoch = g_strdup (string_member (o, "epoch"));

  save = g_task_new (g_task_get_source_object (task), NULL, token_saved_cb, g_object_ref (task));
  g_task_set_task_data (save, d, NULL);
  g_task_run_in_thread (save, save_token_thread);
}

/**
 * tsu_sync_client_enroll_async:
 * @code: the one-time code an organisation admin issued
 *
 * Exchanges @code for a device token, keeps the token (libsecret or a
 * 0600 file) and remembers the server in the store.
 */
void
tsu_sync_client_enroll_async (TsuSyncClient      *self,
                              const char         *server_url,
                              const char         *code,
                              const char         *device_name,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr (JsonObject) o = json_object_new ();
  g_autofree char *text = NULL;
  g_autoptr (GBytes) body = NULL;
  EnrollData *d = g_new0 (EnrollData, 1);
  GError     *error = NULL;
  gsize       len;

  g_task_set_source_tag (task, tsu_sync_client_enroll_async);
  d->url = g_strdup (server_url);
  if (g_str_has_suffix (d->url, "/"))
    d->url[strlen (d->url) - 1] = '\0';
  g_task_set_task_data (task, d, (GDestroyNotify)enroll_data_free);
  if (!check_tls (d->url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  json_object_set_string_member (o, "code", code);
  json_object_set_string_member (o, "device_name", device_name);
  /* Enrolled again (a revoked or lost token): the new device goes on where
   * this desk's mutations stand instead of sending them all again. */
  d->next_seq = meta_int (self->store, META_PUSHED) + 1;
  json_object_set_int_member (o, "next_seq", d->next_seq);
  text = tsu_sync_object_to_string (o);
  len = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  request (self, task, "POST", d->url, "/v1/enroll", body, FALSE, FALSE, enroll_done);
}

/** tsu_sync_client_enroll_finish: Returns: %TRUE once the desk is enrolled */
gboolean
tsu_sync_client_enroll_finish (TsuSyncClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- sync ---- */

typedef struct
{
  char        *url;
  char        *device_id;
  TsuSyncStats stats;
  guint        push_409s;
  gboolean     resynced;
} SyncData;

static void
sync_data_free (SyncData *d)
{
  g_free (d->url);
  g_free (d->device_id);
  g_free (d);
}

static void step_resolve (GTask *task);
static void step_push (GTask *task);
static void step_pull (GTask *task);

static void
sync_fail (GTask *task, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);

  self->busy = FALSE;
  g_task_return_error (task, error);
}

/* Resolutions made offline go first: they are small and staff expect them. */
static void
resolve_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  const char    *id = g_object_get_data (G_OBJECT (task), "tsu-resolving");
  sqlite3_stmt  *stmt = NULL;
  sqlite3       *db;

  if (error != NULL)
    {
      sync_fail (task, g_error_copy (error));
      return;
    }
  if (status != 200 && status != 404)
    {
      sync_fail (task, status_error (status, body));
      return;
    }
  tsu_store_lock (self->store);
  db = tsu_store_get_db (self->store);
  /* Resolved: the pull will bring the resolution and drop the row. Gone
   * from the server (404): nothing left to resolve. */
  sqlite3_prepare_v2 (db,
                      status == 200 ? "UPDATE sync_conflicts SET pending_choice = NULL WHERE id = ?"
                                    : "DELETE FROM sync_conflicts WHERE id = ?",
                      -1, &stmt, NULL);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_TRANSIENT);
  sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);
  ((SyncData *)g_task_get_task_data (task))->stats.resolutions_sent++;
  step_resolve (task);
}

static void
step_resolve (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  g_autoptr (GBytes) body = NULL;
  sqlite3_stmt    *stmt = NULL;
  char            *id = NULL, *choice = NULL;
  g_autofree char *text = NULL;
  gsize            len;

  tsu_store_lock (self->store);
  if (sqlite3_prepare_v2 (tsu_store_get_db (self->store),
                          "SELECT id, pending_choice FROM sync_conflicts"
                          " WHERE pending_choice IS NOT NULL ORDER BY id LIMIT 1",
                          -1, &stmt, NULL)
          == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    {
      id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      choice = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);

  if (id == NULL)
    {
      step_push (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "tsu-resolving", id, g_free);
  o = json_object_new ();
  json_object_set_string_member (o, "id", id);
  json_object_set_string_member (o, "choice", choice);
  g_free (choice);
  text = tsu_sync_object_to_string (o);
  len = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  request (self, task, "POST", d->url, "/v1/conflicts/resolve", body, TRUE, TRUE, resolve_done);
}

typedef struct
{
  JsonArray *results;
  gint64     last_seq;
  SyncData  *data;
} PushApply;

static gboolean
apply_push_results (TsuStore *store, gpointer user_data, GError **error)
{
  PushApply *p = user_data;
  char       buf[32];

  for (guint i = 0; i < json_array_get_length (p->results); i++)
    {
      JsonNode   *n = json_array_get_element (p->results, i);
      JsonObject *r = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *status = string_member (r, "status");
      gint64      seq = int_member (r, "seq", -1);
      const char *state;

      if (status == NULL || seq < 1)
        {
          g_set_error (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                       _ ("The server sent an answer that cannot be read."));
          return FALSE;
        }
      state = status;
      if (g_str_equal (status, "duplicate"))
        {
          /* The server had it already (an answer lost on the way): its
           * first outcome is what counts. */
          const char *orig = string_member (r, "original_status");

          p->data->stats.duplicate++;
          state = orig
                          && (g_str_equal (orig, "applied") || g_str_equal (orig, "merged")
                              || g_str_equal (orig, "conflict") || g_str_equal (orig, "rejected"))
                      ? orig
                      : "duplicate";
        }
      if (g_str_equal (state, "applied"))
        p->data->stats.applied++;
      else if (g_str_equal (state, "merged"))
        p->data->stats.merged++;
      else if (g_str_equal (state, "conflict"))
        p->data->stats.conflict++;
      else if (g_str_equal (state, "rejected"))
        p->data->stats.rejected++;
      if (!tsu_store_outbox_set_result (store, seq, state, r, error))
        return FALSE;
    }
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, p->last_seq);
  return tsu_store_set_meta (store, META_PUSHED, buf, error);
}

static void
whoami_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  g_autoptr (JsonObject) o = NULL;
  GError *e = NULL;
  gint64  server_seq, pushed;
  char    buf[32];

  if (error != NULL)
    {
      sync_fail (task, g_error_copy (error));
      return;
    }
  if (status != 200)
    {
      sync_fail (task, status_error (status, body));
      return;
    }
  if ((o = parse_response (body, &e)) == NULL)
    {
      sync_fail (task, e);
      return;
    }
  /* A restored server may have lost pushes it had acknowledged: push again
   * from where it now stands. */
  server_seq = int_member (o, "last_seq", 0);
  pushed = meta_int (self->store, META_PUSHED);
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, MIN (server_seq, pushed));
  if (!tsu_store_set_meta (self->store, META_PUSHED, buf, &e)
      || !tsu_store_set_meta (self->store, META_CURSOR, NULL, &e)
      || !tsu_store_set_meta (self->store, META_EPOCH, string_member (o, "epoch"), &e))
    {
      sync_fail (task, e);
      return;
    }
  step_push (task);
}

static void
push_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  GError   *e = NULL;
  PushApply p = { 0 };
  JsonNode *results;

  if (error != NULL)
    {
      sync_fail (task, g_error_copy (error));
      return;
    }
  if (status == 409)
    {
      gint64 expected, pushed = meta_int (self->store, META_PUSHED);
      char   buf[32];

      o = parse_response (body, NULL);
      expected = int_member (o, "expected_seq", -1);
      if (expected < 1 || expected - 1 > pushed || ++d->push_409s > 3)
        {
          sync_fail (
              task,
              g_error_new_literal (
                  TSU_SYNC_ERROR, TSU_SYNC_ERROR_SEQUENCE,
                  _ ("The server expects changes this desk does not have. Enrol the desk again.")));
          return;
        }
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, expected - 1);
      if (!tsu_store_set_meta (self->store, META_PUSHED, buf, &e))
        {
          sync_fail (task, e);
          return;
        }
      step_push (task);
      return;
    }
  if (status != 200)
    {
      sync_fail (task, status_error (status, body));
      return;
    }
  if ((o = parse_response (body, &e)) == NULL)
    {
      sync_fail (task, e);
      return;
    }
  results = json_object_get_member (o, "results");
  if (results == NULL || !JSON_NODE_HOLDS_ARRAY (results))
    {
      sync_fail (task, g_error_new_literal (TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                                            _ ("The server sent an answer that cannot be read.")));
      return;
    }
  p.results = json_node_get_array (results);
  p.last_seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "tsu-push-last"));
  p.data = d;
  /* Results and the pushed counter commit together. */
  if (!tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, apply_push_results, &p, &e))
    {
      sync_fail (task, e);
      return;
    }
  step_push (task);
}

static void
step_push (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonArray) entries = NULL;
  g_autoptr (JsonArray) mutations = json_array_new ();
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (GBytes) body = NULL;
  g_autofree char *text = NULL;
  GError          *e = NULL;
  gint64           pushed = meta_int (self->store, META_PUSHED);
  gint64           last = pushed;
  guint            n;
  gsize            len;

  entries = tsu_store_get_outbox (self->store, pushed, TSU_SYNC_MAX_BATCH, &e);
  if (entries == NULL)
    {
      sync_fail (task, e);
      return;
    }
  n = json_array_get_length (entries);
  if (n == 0)
    {
      step_pull (task);
      return;
    }
  {
    /* A push stays under the server's body limit: as many entries as fit,
     * in order; the rest go in the next push. */
    gsize size = 64;
    guint taken = 0;

    for (guint i = 0; i < n; i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);
        g_autoptr (JsonObject) m = tsu_sync_mutation_from_outbox (entry);
        g_autofree char *text = tsu_sync_object_to_string (m);

        if (taken > 0 && size + strlen (text) + 1 > TSU_SYNC_MAX_REQUEST_BYTES)
          break;
        if (size + strlen (text) + 1 > TSU_SYNC_MAX_REQUEST_BYTES)
          {
            sync_fail (task, g_error_new (
                                 TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                                 _ ("A change is too large to send to the server (%s, %u bytes)."),
                                 json_object_get_string_member (entry, "collection"),
                                 (guint)strlen (text)));
            return;
          }
        size += strlen (text) + 1;
        json_array_add_object_element (mutations, g_steal_pointer (&m));
        last = json_object_get_int_member (entry, "seq");
        taken++;
      }
    n = taken;
  }
  d->stats.pushed += n;
  g_object_set_data (G_OBJECT (task), "tsu-push-last", GSIZE_TO_POINTER ((gsize)last));
  json_object_set_array_member (o, "mutations", g_steal_pointer (&mutations));
  text = tsu_sync_object_to_string (o);
  len = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  /* Idempotent by design (per-device seq): a lost answer is safe to retry. */
  request (self, task, "POST", d->url, "/v1/sync/push", body, TRUE, TRUE, push_done);
}

typedef struct
{
  JsonArray  *changes;
  const char *cursor;
  gint64      pushed;
  gboolean    has_pending;
  SyncData   *data;
} PullApply;

/* Fields this desk changed and has not pushed yet stay as the desk has
 * them: the push that follows carries them to the server's merge. */
static JsonObject *
pending_fields (TsuStore   *store,
                const char *collection,
                const char *id,
                gint64      pushed,
                gboolean   *pending_delete_state,
                gboolean   *any)
{
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  JsonObject   *out = json_object_new ();

  *any = FALSE;
  *pending_delete_state = FALSE;
  sqlite3_prepare_v2 (
      db, "SELECT op, fields FROM outbox WHERE collection = ? AND record_id = ? AND seq > ?", -1,
      &stmt, NULL);
  sqlite3_bind_text (stmt, 1, collection, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 3, pushed);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *op = (const char *)sqlite3_column_text (stmt, 0);
      const char *fields = (const char *)sqlite3_column_text (stmt, 1);
      g_autoptr (JsonNode) node = fields ? json_from_string (fields, NULL) : NULL;

      *any = TRUE;
      if (g_strcmp0 (op, "delete") == 0 || g_strcmp0 (op, "undelete") == 0)
        *pending_delete_state = TRUE;
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter iter;
          const char    *name;
          JsonNode      *v;

          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &name, &v))
            json_object_set_boolean_member (out, name, TRUE);
        }
    }
  sqlite3_finalize (stmt);
  return out;
}

static gboolean
apply_conflict (TsuStore *store, JsonObject *c, GError **error)
{
  sqlite3         *db = tsu_store_get_db (store);
  sqlite3_stmt    *stmt = NULL;
  JsonNode        *resolved = json_object_get_member (c, "resolved");
  JsonNode        *fields = json_object_get_member (c, "fields");
  g_autofree char *fields_text = NULL;
  int              rc;

  if (string_member (c, "id") == NULL || string_member (c, "record_id") == NULL
      || string_member (c, "collection") == NULL || string_member (c, "type") == NULL
      || fields == NULL || !JSON_NODE_HOLDS_OBJECT (fields))
    {
      g_set_error (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                   _ ("The server sent an answer that cannot be read."));
      return FALSE;
    }
  if (resolved != NULL && JSON_NODE_HOLDS_VALUE (resolved) && json_node_get_boolean (resolved))
    {
      sqlite3_prepare_v2 (db, "DELETE FROM sync_conflicts WHERE id = ?", -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, string_member (c, "id"), -1, SQLITE_TRANSIENT);
    }
  else
    {
      fields_text = tsu_sync_node_to_string (fields);
      sqlite3_prepare_v2 (
          db,
          "INSERT INTO sync_conflicts (id, collection, record_id, type, fields, device_id,"
          " mutation_seq, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
          " ON CONFLICT (id) DO UPDATE SET fields = excluded.fields",
          -1, &stmt, NULL);
      sqlite3_bind_text (stmt, 1, string_member (c, "id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 2, string_member (c, "collection"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 3, string_member (c, "record_id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 4, string_member (c, "type"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 5, fields_text, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (stmt, 6, string_member (c, "device_id"), -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (stmt, 7, int_member (c, "mutation_seq", 0));
      sqlite3_bind_text (stmt, 8, string_member (c, "created_at"), -1, SQLITE_TRANSIENT);
    }
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_record (TsuStore *store, JsonObject *c, gint64 pushed, gboolean has_pending, GError **error)
{
  const TsuCollection *col = tsu_collection_lookup (string_member (c, "collection"));
  const char          *id = string_member (c, "id");
  JsonNode            *fields_node = json_object_get_member (c, "fields");
  JsonNode            *deleted_node = json_object_get_member (c, "deleted");
  g_autoptr (JsonObject) fields = json_object_new ();
  g_autoptr (JsonObject) pending = NULL;
  gboolean       deleted, pending_delete = FALSE, any = FALSE;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  /* A collection this version does not know (a newer server): skipped. */
  if (col == NULL)
    return TRUE;
  if (id == NULL || fields_node == NULL || !JSON_NODE_HOLDS_OBJECT (fields_node)
      || deleted_node == NULL || !JSON_NODE_HOLDS_VALUE (deleted_node)
      || json_node_get_value_type (deleted_node) != G_TYPE_BOOLEAN || int_member (c, "rev", -1) < 0)
    {
      g_set_error (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                   _ ("The server sent an answer that cannot be read."));
      return FALSE;
    }
  deleted = json_node_get_boolean (deleted_node);
  pending = has_pending ? pending_fields (store, col->name, id, pushed, &pending_delete, &any)
                        : json_object_new ();
  json_object_iter_init (&iter, json_node_get_object (fields_node));
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *def = tsu_collection_lookup_field (col, name);

      /* Fields this version does not know are left out, not refused. */
      if (def == NULL || (def->flags & TSU_FIELD_DERIVED) || json_object_has_member (pending, name))
        continue;
      json_object_set_member (fields, name, json_node_copy (value));
    }
  if (any && pending_delete)
    {
      g_autoptr (JsonObject) row = tsu_store_get (store, col->name, id, NULL);

      if (row != NULL)
        deleted = json_object_get_boolean_member (row, "deleted");
    }
  return tsu_store_apply_remote (store, col->name, id, fields, int_member (c, "rev", 0), deleted,
                                 error);
}

static gboolean
apply_page (TsuStore *store, gpointer user_data, GError **error)
{
  PullApply    *p = user_data;
  sqlite3_stmt *stmt = NULL;

  /* Most pages meet an empty outbox: one look instead of one per record. */
  sqlite3_prepare_v2 (tsu_store_get_db (store),
                      "SELECT EXISTS (SELECT 1 FROM outbox WHERE seq > ?)", -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, p->pushed);
  p->has_pending = sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);

  for (guint i = 0; i < json_array_get_length (p->changes); i++)
    {
      JsonNode   *n = json_array_get_element (p->changes, i);
      JsonObject *c = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *kind = string_member (c, "kind");

      if (g_strcmp0 (kind, "record") == 0)
        {
          if (!apply_record (store, c, p->pushed, p->has_pending, error))
            return FALSE;
        }
      else if (g_strcmp0 (kind, "conflict") == 0)
        {
          if (!apply_conflict (store, c, error))
            return FALSE;
        }
      /* Other kinds come from newer servers: skipped. */
      p->data->stats.pulled++;
    }
  /* The page and its cursor commit together: a crash resumes here. */
  return tsu_store_set_meta (store, META_CURSOR, p->cursor, error);
}

static void
pull_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  GError   *e = NULL;
  PullApply p = { 0 };
  JsonNode *changes;
  JsonNode *more;

  if (error != NULL)
    {
      sync_fail (task, g_error_copy (error));
      return;
    }
  if (status == 410)
    {
      /* resync_required: pull everything again; the outbox stays and is
       * pushed again from where the server now stands. */
      if (d->resynced)
        {
          sync_fail (task, g_error_new_literal (
                               TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                               _ ("The server keeps asking for a full resynchronisation.")));
          return;
        }
      d->resynced = TRUE;
      d->stats.resyncs++;
      request (self, task, "GET", d->url, "/v1/whoami", NULL, TRUE, TRUE, whoami_done);
      return;
    }
  if (status != 200)
    {
      sync_fail (task, status_error (status, body));
      return;
    }
  if ((o = parse_response (body, &e)) == NULL)
    {
      sync_fail (task, e);
      return;
    }
  changes = json_object_get_member (o, "changes");
  more = json_object_get_member (o, "has_more");
  p.cursor = string_member (o, "next_cursor");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes) || p.cursor == NULL || more == NULL
      || !JSON_NODE_HOLDS_VALUE (more))
    {
      sync_fail (task, g_error_new_literal (TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                                            _ ("The server sent an answer that cannot be read.")));
      return;
    }
  p.changes = json_node_get_array (changes);
  p.pushed = meta_int (self->store, META_PUSHED);
  p.data = d;
  d->stats.pages++;
  if (!tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, apply_page, &p, &e))
    {
      sync_fail (task, e);
      return;
    }
  if (json_node_get_boolean (more))
    {
      step_pull (task);
      return;
    }
  self->busy = FALSE;
  g_task_return_boolean (task, TRUE);
}

static void
step_pull (GTask *task)
{
  TsuSyncClient   *self = g_task_get_source_object (task);
  SyncData        *d = g_task_get_task_data (task);
  g_autofree char *cursor = tsu_store_get_meta (self->store, META_CURSOR);
  g_autofree char *path = NULL;

  if (cursor != NULL && *cursor != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      path = g_strdup_printf ("/v1/sync/pull?limit=%u&cursor=%s", self->page_size, escaped);
    }
  else
    path = g_strdup_printf ("/v1/sync/pull?limit=%u", self->page_size);
  request (self, task, "GET", d->url, path, NULL, TRUE, TRUE, pull_done);
}

static void
load_token_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  SyncData *d = task_data;
  GError   *error = NULL;
  char     *token = tsu_sync_token_load (d->url, d->device_id, &error);

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, token, g_free);
}

static void
token_loaded_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (GTask) task = data;
  TsuSyncClient   *self = g_task_get_source_object (task);
  GError          *error = NULL;
  g_autofree char *token = g_task_propagate_pointer (G_TASK (result), &error);

  if (token == NULL)
    {
      sync_fail (
          task, error ? error
                      : g_error_new_literal (TSU_SYNC_ERROR, TSU_SYNC_ERROR_NOT_ENROLLED,
                                             _ ("This desk has no device token. Enrol it first.")));
      return;
    }
  tsu_sync_client_set_token (self, token);
  memset (token, 0, strlen (token));
  step_resolve (task);
}

/**
 * tsu_sync_client_sync_async:
 *
 * One full sync: offline conflict resolutions, push of the outbox in order,
 * pull of every page. Safe to interrupt at any point: the next sync goes on
 * from what was committed.
 */
void
tsu_sync_client_sync_async (TsuSyncClient      *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SyncData *d = g_new0 (SyncData, 1);
  GError   *error = NULL;

  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));

  g_task_set_source_tag (task, tsu_sync_client_sync_async);
  g_task_set_task_data (task, d, (GDestroyNotify)sync_data_free);
  d->url = tsu_store_get_meta (self->store, META_URL);
  d->device_id = tsu_store_get_meta (self->store, META_DEVICE);
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _ ("A synchronisation is already running."));
      return;
    }
  if (d->url == NULL || d->device_id == NULL)
    {
      g_task_return_new_error (task, TSU_SYNC_ERROR, TSU_SYNC_ERROR_NOT_ENROLLED,
                               _ ("This desk is not enrolled with a server yet."));
      return;
    }
  if (!check_tls (d->url, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  self->busy = TRUE;
  if (self->token == NULL)
    {
      GTask *load = g_task_new (self, NULL, token_loaded_cb, g_object_ref (task));

      g_task_set_task_data (load, d, NULL);
      g_task_run_in_thread (load, load_token_thread);
      g_object_unref (load);
      return;
    }
  step_resolve (task);
}

/**
 * tsu_sync_client_sync_finish:
 * @stats: (out caller-allocates) (optional): what the sync did
 */
gboolean
tsu_sync_client_sync_finish (TsuSyncClient *self,
                             GAsyncResult  *result,
                             TsuSyncStats  *stats,
                             GError       **error)
{
  SyncData *d = g_task_get_task_data (G_TASK (result));

  if (stats != NULL)
    *stats = d ? d->stats : (TsuSyncStats){ 0 };
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tsu_sync_client_list_conflicts:
 *
 * Returns: (transfer full): open conflict records, oldest first: objects
 *   with id, collection, record_id, type, fields, device_id, created_at and
 *   pending_choice (a resolution not yet sent)
 */
JsonArray *
tsu_sync_client_list_conflicts (TsuSyncClient *self, GError **error)
{
  JsonArray    *out = json_array_new ();
  sqlite3_stmt *stmt = NULL;
  sqlite3      *db;

  tsu_store_lock (self->store);
  db = tsu_store_get_db (self->store);
  if (sqlite3_prepare_v2 (db,
                          "SELECT id, collection, record_id, type, fields, device_id, created_at,"
                          " pending_choice FROM sync_conflicts ORDER BY created_at, id",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      tsu_store_unlock (self->store);
      json_array_unref (out);
      return NULL;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *c = json_object_new ();
      const char *fields = (const char *)sqlite3_column_text (stmt, 4);
      JsonNode   *f = fields ? json_from_string (fields, NULL) : NULL;

      json_object_set_string_member (c, "id", (const char *)sqlite3_column_text (stmt, 0));
      json_object_set_string_member (c, "collection", (const char *)sqlite3_column_text (stmt, 1));
      json_object_set_string_member (c, "record_id", (const char *)sqlite3_column_text (stmt, 2));
      json_object_set_string_member (c, "type", (const char *)sqlite3_column_text (stmt, 3));
      json_object_set_member (c, "fields", f ? f : json_node_new (JSON_NODE_NULL));
      json_object_set_string_member (c, "device_id", (const char *)sqlite3_column_text (stmt, 5));
      json_object_set_string_member (c, "created_at", (const char *)sqlite3_column_text (stmt, 6));
      json_object_set_string_member (c, "pending_choice",
                                     (const char *)sqlite3_column_text (stmt, 7));
      json_array_add_object_element (out, c);
    }
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);
  return out;
}

/**
 * tsu_sync_client_resolve_conflict:
 * @choice: "keep" (the server's values stay) or "take" (the other desk's
 *   values, restoring a deleted record)
 *
 * Records the resolution; the next sync sends it, and every desk then
 * drops the conflict.
 */
gboolean
tsu_sync_client_resolve_conflict (TsuSyncClient *self,
                                  const char    *conflict_id,
                                  const char    *choice,
                                  GError       **error)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3      *db;
  int           rc;

  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), FALSE);

  if (g_strcmp0 (choice, "keep") != 0 && g_strcmp0 (choice, "take") != 0)
    {
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_INVALID,
                   _ ("A conflict is resolved by keeping or taking a value."));
      return FALSE;
    }
  tsu_store_lock (self->store);
  db = tsu_store_get_db (self->store);
  sqlite3_prepare_v2 (db, "UPDATE sync_conflicts SET pending_choice = ? WHERE id = ?", -1, &stmt,
                      NULL);
  sqlite3_bind_text (stmt, 1, choice, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, conflict_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      tsu_store_unlock (self->store);
      return FALSE;
    }
  if (sqlite3_changes (db) == 0)
    {
      tsu_store_unlock (self->store);
      g_set_error (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                   _ ("The conflict has already been resolved."));
      return FALSE;
    }
  tsu_store_unlock (self->store);
  return TRUE;
}

/**
 * tsu_sync_client_list_rejected:
 *
 * The desk's changes the server refused: they are never dropped, staff see
 * them as "needs attention" with the server's reason.
 *
 * Returns: (transfer full): outbox entries (see tsu_store_get_outbox()) whose
 *   state is "rejected"; "result" holds the server's answer (reason, field)
 */
JsonArray *
tsu_sync_client_list_rejected (TsuSyncClient *self, GError **error)
{
  g_autoptr (JsonArray) all = NULL;
  JsonArray *out;
  gint64     after = 0;

  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);

  out = json_array_new ();
  /* Page through the outbox: it can be long on a busy desk. */
  for (;;)
    {
      guint n;

      g_clear_pointer (&all, json_array_unref);
      all = tsu_store_get_outbox (self->store, after, 1000, error);
      if (all == NULL)
        {
          json_array_unref (out);
          return NULL;
        }
      n = json_array_get_length (all);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *e = json_array_get_object_element (all, i);

          after = json_object_get_int_member (e, "seq");
          if (g_strcmp0 (json_object_get_string_member (e, "state"), "rejected") == 0)
            json_array_add_object_element (out, json_object_ref (e));
        }
      if (n < 1000)
        return out;
    }
}

/**
 * tsu_sync_client_get_summary:
 *
 * Returns: (transfer full): {"enrolled": bool, "server": url|null,
 *   "pending": n (changes not yet sent), "rejected": n (needs attention),
 *   "conflicts": n (open conflict records)}
 */
JsonObject *
tsu_sync_client_get_summary (TsuSyncClient *self, GError **error)
{
  g_autofree char *url = NULL;
  g_autofree char *device = NULL;
  JsonObject      *o;
  sqlite3_stmt    *stmt = NULL;
  sqlite3         *db;
  gint64           pending = 0, rejected = 0, conflicts = 0;

  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);

  url = tsu_store_get_meta (self->store, META_URL);
  device = tsu_store_get_meta (self->store, META_DEVICE);
  tsu_store_lock (self->store);
  db = tsu_store_get_db (self->store);
  if (sqlite3_prepare_v2 (db,
                          "SELECT (SELECT count(*) FROM outbox WHERE state = 'pending'),"
                          " (SELECT count(*) FROM outbox WHERE state = 'rejected'),"
                          " (SELECT count(*) FROM sync_conflicts)",
                          -1, &stmt, NULL)
          != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      tsu_store_set_sqlite_error (error, db, "sync summary");
      sqlite3_finalize (stmt);
      tsu_store_unlock (self->store);
      return NULL;
    }
  pending = sqlite3_column_int64 (stmt, 0);
  rejected = sqlite3_column_int64 (stmt, 1);
  conflicts = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);
  tsu_store_unlock (self->store);

  o = json_object_new ();
  json_object_set_boolean_member (o, "enrolled", url != NULL && device != NULL);
  if (url != NULL)
    json_object_set_string_member (o, "server", url);
  else
    json_object_set_null_member (o, "server");
  json_object_set_int_member (o, "pending", pending);
  json_object_set_int_member (o, "rejected", rejected);
  json_object_set_int_member (o, "conflicts", conflicts);
  return o;
}
