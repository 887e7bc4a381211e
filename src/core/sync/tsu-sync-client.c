/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include "tsu-record.h"
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
#define META_TRUSTED "sync_trusted_certificate"

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

  GTlsCertificate *trusted;      /* chosen by staff for a private CA */
  gboolean         trusted_read; /* looked up in the store */
  GTlsCertificate *refused;      /* the last certificate turned down */
};

G_DEFINE_FINAL_TYPE (TsuSyncClient, tsu_sync_client, G_TYPE_OBJECT)

enum
{
  PROGRESS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];
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

  if (body == NULL && error != NULL && error->domain == G_TLS_ERROR)
    {
      g_autoptr (GError) e = NULL;

      if (a->self->refused != NULL)
        e = g_error_new_literal (
            TSU_SYNC_ERROR, TSU_SYNC_ERROR_CERTIFICATE,
            _ ("The server’s certificate is not from a certificate authority this computer "
               "trusts. Check it with the city’s IT staff before trusting it."));
      else
        e = g_error_new (TSU_SYNC_ERROR, TSU_SYNC_ERROR_CERTIFICATE,
                         _ ("The secure connection to the server failed: %s"), error->message);
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

static gboolean
certificate_trusted (GTlsCertificate *trusted, GTlsCertificate *peer, const char *uri)
{
  g_autoptr (GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_NONE, NULL);
  g_autoptr (GSocketConnectable) identity = NULL;
  GTlsCertificateFlags flags;

  if (parsed == NULL || g_uri_get_host (parsed) == NULL)
    return FALSE;
  identity = g_network_address_new (g_uri_get_host (parsed),
                                    g_uri_get_port (parsed) > 0 ? g_uri_get_port (parsed) : 443);
  /* Issued by the trusted authority, for this server, in date. */
  flags = g_tls_certificate_verify (peer, identity, trusted);
  if (flags == 0)
    return TRUE;
  /* Or the server's own certificate itself, chosen by staff. */
  return g_tls_certificate_is_same (peer, trusted)
         && (flags & ~(G_TLS_CERTIFICATE_UNKNOWN_CA)) == 0;
}

static gboolean
accept_certificate_cb (SoupMessage         *msg,
                       GTlsCertificate     *peer,
                       GTlsCertificateFlags errors,
                       gpointer             data)
{
  Attempt *a = data;

  if (a->self->trusted != NULL && certificate_trusted (a->self->trusted, peer, a->uri))
    return TRUE;
  /* Kept for staff to look at before they decide to trust it. */
  g_set_object (&a->self->refused, peer);
  return FALSE;
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
  g_signal_connect (a->msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), a);
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
  g_clear_object (&self->trusted);
  g_clear_object (&self->refused);
  if (self->token)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  G_OBJECT_CLASS (tsu_sync_client_parent_class)->finalize (object);
}

static void
tsu_sync_client_class_init (TsuSyncClientClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_sync_client_finalize;

  /**
   * TsuSyncClient::progress:
   * @pulled: changes pulled and applied so far in this sync
   * @fraction: how far the pull is (0..1), or -1 when unknown
   * @eta: seconds left by the pace so far, or -1
   *
   * Emitted on the main context after each pulled page is applied.
   */
  signals[PROGRESS]
      = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 3, G_TYPE_UINT, G_TYPE_DOUBLE, G_TYPE_INT64);
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
  char  *trusted_pem;
  gint64 next_seq;
} EnrollData;

static void
enroll_data_free (EnrollData *d)
{
  g_free (d->url);
  g_free (d->device_id);
  g_free (d->org_id);
  g_free (d->epoch);
  g_free (d->trusted_pem);
  if (d->token)
    memset (d->token, 0, strlen (d->token));
  g_free (d->token);
  g_free (d);
}

static gboolean
enrolled_txn (TsuStore *store, gpointer data, GError **error)
{
  EnrollData *d = data;

  /* The new device pulls everything again; its mutations continue at the
   * next_seq it announced. */
  return tsu_store_set_meta (store, META_URL, d->url, error)
         && tsu_store_set_meta (store, META_DEVICE, d->device_id, error)
         && tsu_store_set_meta (store, META_ORG, d->org_id, error)
         && tsu_store_set_meta (store, META_EPOCH, d->epoch, error)
         && tsu_store_set_meta (store, META_CURSOR, NULL, error)
         && tsu_store_set_meta (store, META_TRUSTED, d->trusted_pem, error);
}

/* The keyring and the store both block: a worker does them. */
static void
save_token_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TsuSyncClient *self = source;
  EnrollData    *d = task_data;
  GError        *error = NULL;

  if (!tsu_sync_token_save (d->url, d->device_id, d->token, &error)
      || !tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, enrolled_txn, d, &error))
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
  if (self->trusted != NULL)
    g_object_get (self->trusted, "certificate-pem", &d->trusted_pem, NULL);
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

/* A pulled page, parsed in a worker, waiting to be applied. */
typedef struct
{
  JsonObject *root;
  JsonArray  *changes;
  char       *cursor;
  gboolean    has_more;
  gint64      position; /* the change seq the page ends at */
  gint64      change_seq;
} Page;

static void
page_free (Page *p)
{
  g_clear_pointer (&p->root, json_object_unref);
  g_free (p->cursor);
  g_free (p);
}

typedef struct
{
  char        *url;
  char        *device_id;
  TsuSyncStats stats;
  guint        push_409s;
  gboolean     resynced;

  /* The pull pipeline: one page fetched and parsed while the one before
   * is applied in a worker thread, at most two pages held. */
  GQueue   pages;     /* Page, parsed, in order, not yet applied */
  char    *cursor;    /* where the next fetch starts (ahead of the store's) */
  gboolean fetching;  /* a pull request or its parse in flight */
  gboolean applying;  /* a page being applied */
  gboolean pull_done; /* the last page has been received */
  guint    jobs;      /* worker jobs running */
  gint64   started;   /* monotonic time of the first page, for the estimate */
  gint64   start_position;
  gboolean parsing;        /* a fetched page being parsed */
  gboolean resync_pending; /* a 410 waits for the page being applied */
  gboolean only_rotate;    /* tsu_sync_client_rotate_token_async() */
  gboolean rotate;         /* the server asked for a new token */
  GError  *error;          /* the first failure; returned once nothing runs */
  gboolean finished;
} SyncData;

static void
sync_data_free (SyncData *d)
{
  g_queue_clear_full (&d->pages, (GDestroyNotify)page_free);
  g_clear_error (&d->error);
  g_free (d->cursor);
  g_free (d->url);
  g_free (d->device_id);
  g_free (d);
}

static void step_resolve (GTask *task);
static void step_push (GTask *task);
static void step_pull (GTask *task);
static void step_rotate (GTask *task);
static void pull_continue (GTask *task);

/* Returns the task once no request or worker of it is running, so that
 * nothing touches the store after the caller hears the sync has ended. */
static void
sync_settle (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);

  if (d->finished || d->jobs > 0 || d->fetching)
    return;
  d->finished = TRUE;
  self->busy = FALSE;
  if (d->error != NULL)
    g_task_return_error (task, g_steal_pointer (&d->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
sync_fail (GTask *task, GError *error)
{
  SyncData *d = g_task_get_task_data (task);

  if (d->error == NULL)
    d->error = error;
  else
    g_error_free (error);
  sync_settle (task);
}

/* ---- store work in a worker thread ---- */

/* The store's writer works from any thread; a page of thousands of rows or
 * a commit's fsync never runs on the caller's (the GTK) main context. */
typedef gboolean (*JobFunc) (TsuSyncClient *self, gpointer data, GError **error);
typedef void (*JobDone) (GTask *task, gpointer data);

typedef struct
{
  GTask         *sync;
  JobFunc        func;
  JobDone        done;
  gpointer       data;
  GDestroyNotify free;
} Job;

static void
job_free (Job *j)
{
  if (j->free != NULL && j->data != NULL)
    j->free (j->data);
  g_object_unref (j->sync);
  g_free (j);
}

/* The workers of every sync: two threads of their own (a page parsed
 * while the one before is applied), at a lower scheduling priority than
 * the GTK thread, so that on a busy computer frames come first. */
static void
job_run (gpointer data, gpointer pool_data)
{
  GTask          *t = data;
  Job            *j = g_task_get_task_data (t);
  GError         *error = NULL;
  static GPrivate niced;

  if (g_private_get (&niced) == NULL)
    {
#ifdef __linux__
      if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), 10) != 0)
        g_debug ("sync workers keep the normal priority");
#endif
      g_private_set (&niced, GINT_TO_POINTER (1));
    }
  if (j->func (g_task_get_source_object (t), j->data, &error))
    g_task_return_boolean (t, TRUE);
  else
    g_task_return_error (t, error);
  g_object_unref (t);
}

static GThreadPool *
job_pool (void)
{
  static GThreadPool *pool;

  if (g_once_init_enter (&pool))
    g_once_init_leave (&pool, g_thread_pool_new (job_run, NULL, 2, TRUE, NULL));
  return pool;
}

static void
job_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Job      *j = g_task_get_task_data (G_TASK (result));
  SyncData *d = g_task_get_task_data (j->sync);
  GError   *error = NULL;

  d->jobs--;
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      sync_fail (j->sync, error);
      return;
    }
  if (d->error != NULL)
    {
      sync_settle (j->sync);
      return;
    }
  j->done (j->sync, j->data);
}

static void
run_job (GTask *sync, JobFunc func, gpointer data, GDestroyNotify free_data, JobDone done)
{
  SyncData *d = g_task_get_task_data (sync);
  g_autoptr (GTask) t = g_task_new (g_task_get_source_object (sync), NULL, job_cb, NULL);
  Job *j = g_new0 (Job, 1);

  j->sync = g_object_ref (sync);
  j->func = func;
  j->done = done;
  j->data = data;
  j->free = free_data;
  g_task_set_task_data (t, j, (GDestroyNotify)job_free);
  d->jobs++;
  g_thread_pool_push (job_pool (), g_object_ref (t), NULL);
}

typedef struct
{
  char *key;
  char *value;
} MetaSet;

static gboolean
set_metas_txn (TsuStore *store, gpointer data, GError **error)
{
  GArray *sets = data;

  for (guint i = 0; i < sets->len; i++)
    {
      MetaSet *m = &g_array_index (sets, MetaSet, i);

      if (!tsu_store_set_meta (store, m->key, m->value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
set_metas_job (TsuSyncClient *self, gpointer data, GError **error)
{
  return tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, set_metas_txn, data, error);
}

static void
meta_set_clear (MetaSet *m)
{
  g_free (m->key);
  g_free (m->value);
}

static GArray *
metas_new (void)
{
  GArray *a = g_array_new (FALSE, TRUE, sizeof (MetaSet));

  g_array_set_clear_func (a, (GDestroyNotify)meta_set_clear);
  return a;
}

static void
metas_add (GArray *a, const char *key, const char *value)
{
  MetaSet m = { g_strdup (key), g_strdup (value) };

  g_array_append_val (a, m);
}

static void
metas_add_int (GArray *a, const char *key, gint64 value)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, value);
  metas_add (a, key, buf);
}

/* Notes a server's wish for a new token (token_rotate in an answer). */
static void
note_rotation (GTask *task, JsonObject *o)
{
  JsonNode *n = o ? json_object_get_member (o, "token_rotate") : NULL;

  if (n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
      && json_node_get_boolean (n))
    ((SyncData *)g_task_get_task_data (task))->rotate = TRUE;
}

/* ---- conflict resolutions made offline ---- */

typedef struct
{
  char *id;
  guint status;
} Resolved;

static void
resolved_free (Resolved *r)
{
  g_free (r->id);
  g_free (r);
}

static gboolean
resolved_txn (TsuStore *store, gpointer data, GError **error)
{
  Resolved     *r = data;
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  int           rc;

  /* Resolved: the pull will bring the resolution and drop the row. Gone
   * from the server (404): nothing left to resolve. */
  if (sqlite3_prepare_v2 (db,
                          r->status == 200
                              ? "UPDATE sync_conflicts SET pending_choice = NULL WHERE id = ?"
                              : "DELETE FROM sync_conflicts WHERE id = ?",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, r->id, -1, SQLITE_TRANSIENT);
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
resolved_job (TsuSyncClient *self, gpointer data, GError **error)
{
  return tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, resolved_txn, data, error);
}

static void
resolved_done (GTask *task, gpointer data)
{
  ((SyncData *)g_task_get_task_data (task))->stats.resolutions_sent++;
  step_resolve (task);
}

static void
resolve_done (GTask *task, guint status, GBytes *body, GError *error)
{
  const char *id = g_object_get_data (G_OBJECT (task), "tsu-resolving");
  Resolved   *r;

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
  r = g_new0 (Resolved, 1);
  r->id = g_strdup (id);
  r->status = status;
  run_job (task, resolved_job, r, (GDestroyNotify)resolved_free, resolved_done);
}

typedef struct
{
  char *id;
  char *choice;
} PendingChoice;

static gboolean
read_pending_choice (sqlite3 *db, gpointer data, GError **error)
{
  PendingChoice *pc = data;
  sqlite3_stmt  *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT id, pending_choice FROM sync_conflicts"
                          " WHERE pending_choice IS NOT NULL ORDER BY id LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      return FALSE;
    }
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      pc->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      pc->choice = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/* Resolutions made offline go first: they are small and staff expect them. */
static void
step_resolve (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  g_autoptr (GBytes) body = NULL;
  PendingChoice    pc = { NULL, NULL };
  g_autofree char *text = NULL;
  GError          *e = NULL;
  gsize            len;

  if (!tsu_store_read (self->store, read_pending_choice, &pc, &e))
    {
      sync_fail (task, e);
      return;
    }
  if (pc.id == NULL)
    {
      step_push (task);
      return;
    }
  g_object_set_data_full (G_OBJECT (task), "tsu-resolving", pc.id, g_free);
  o = json_object_new ();
  json_object_set_string_member (o, "id", pc.id);
  json_object_set_string_member (o, "choice", pc.choice);
  g_free (pc.choice);
  text = tsu_sync_object_to_string (o);
  len = strlen (text);
  body = g_bytes_new_take (g_steal_pointer (&text), len);
  request (self, task, "POST", d->url, "/v1/conflicts/resolve", body, TRUE, TRUE, resolve_done);
}

/* ---- push ---- */

typedef struct
{
  JsonObject *response;
  JsonArray  *results;
  gint64      last_seq;
  SyncData   *data;
  /* counted in the worker, added to the stats on the main context */
  guint applied, merged, conflict, rejected, duplicate;
} PushApply;

static void
push_apply_free (PushApply *p)
{
  json_object_unref (p->response);
  g_free (p);
}

static gboolean
apply_push_results (TsuStore *store, gpointer user_data, GError **error)
{
  PushApply *p = user_data;
  char       buf[32];

  p->applied = p->merged = p->conflict = p->rejected = p->duplicate = 0;
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

          p->duplicate++;
          state = orig
                          && (g_str_equal (orig, "applied") || g_str_equal (orig, "merged")
                              || g_str_equal (orig, "conflict") || g_str_equal (orig, "rejected"))
                      ? orig
                      : "duplicate";
        }
      if (g_str_equal (state, "applied"))
        p->applied++;
      else if (g_str_equal (state, "merged"))
        p->merged++;
      else if (g_str_equal (state, "conflict"))
        p->conflict++;
      else if (g_str_equal (state, "rejected"))
        p->rejected++;
      if (!tsu_store_outbox_set_result (store, seq, state, r, error))
        return FALSE;
    }
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, p->last_seq);
  return tsu_store_set_meta (store, META_PUSHED, buf, error);
}

static gboolean
push_results_job (TsuSyncClient *self, gpointer data, GError **error)
{
  /* Results and the pushed counter commit together. */
  return tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, apply_push_results, data, error);
}

static void
push_results_done (GTask *task, gpointer data)
{
  PushApply *p = data;
  SyncData  *d = g_task_get_task_data (task);

  d->stats.applied += p->applied;
  d->stats.merged += p->merged;
  d->stats.conflict += p->conflict;
  d->stats.rejected += p->rejected;
  d->stats.duplicate += p->duplicate;
  step_push (task);
}

static void
whoami_saved (GTask *task, gpointer data)
{
  step_push (task);
}

static void
whoami_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  g_autoptr (JsonObject) o = NULL;
  GError *e = NULL;
  gint64  server_seq, pushed;
  GArray *metas;

  ((SyncData *)g_task_get_task_data (task))->fetching = FALSE;
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
  metas = metas_new ();
  metas_add_int (metas, META_PUSHED, MIN (server_seq, pushed));
  metas_add (metas, META_CURSOR, NULL);
  metas_add (metas, META_EPOCH, string_member (o, "epoch"));
  run_job (task, set_metas_job, metas, (GDestroyNotify)g_array_unref, whoami_saved);
}

static void
push_409_saved (GTask *task, gpointer data)
{
  step_push (task);
}

static void
push_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  GError    *e = NULL;
  PushApply *p;
  JsonNode  *results;

  if (error != NULL)
    {
      sync_fail (task, g_error_copy (error));
      return;
    }
  if (status == 409)
    {
      gint64  expected, pushed = meta_int (self->store, META_PUSHED);
      GArray *metas;

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
      metas = metas_new ();
      metas_add_int (metas, META_PUSHED, expected - 1);
      run_job (task, set_metas_job, metas, (GDestroyNotify)g_array_unref, push_409_saved);
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
  note_rotation (task, o);
  p = g_new0 (PushApply, 1);
  p->response = g_steal_pointer (&o);
  p->results = json_node_get_array (results);
  p->last_seq = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (task), "tsu-push-last"));
  p->data = d;
  run_job (task, push_results_job, p, (GDestroyNotify)push_apply_free, push_results_done);
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

/* ---- pull ---- */

/* What this desk changed and has not pushed yet, by record: the fields it
 * set, and whether it deleted or restored the record. Such fields stay as
 * the desk has them when a page is applied; the push that follows carries
 * them to the server's merge. */
typedef struct
{
  GHashTable *fields;
  gboolean    delete_state;
} Pending;

static void
pending_free (Pending *p)
{
  g_hash_table_unref (p->fields);
  g_free (p);
}

static char *
pending_key (const char *collection, const char *id)
{
  return g_strconcat (collection, "\x1f", id, NULL);
}

static GHashTable *
pending_load (TsuStore *store, gint64 pushed, GError **error)
{
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  GHashTable   *out
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)pending_free);

  /* One look for the whole page: the outbox beyond the pushed counter is
   * short (the changes made since the push at the start of this sync). */
  if (sqlite3_prepare_v2 (db,
                          "SELECT collection, record_id, op, fields FROM outbox WHERE seq > ?"
                          " AND state = 'pending'",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "outbox");
      g_hash_table_unref (out);
      return NULL;
    }
  sqlite3_bind_int64 (stmt, 1, pushed);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_autofree char *key = pending_key ((const char *)sqlite3_column_text (stmt, 0),
                                          (const char *)sqlite3_column_text (stmt, 1));
      const char      *op = (const char *)sqlite3_column_text (stmt, 2);
      const char      *fields = (const char *)sqlite3_column_text (stmt, 3);
      g_autoptr (JsonNode) node = fields ? json_from_string (fields, NULL) : NULL;
      Pending *p = g_hash_table_lookup (out, key);

      if (p == NULL)
        {
          p = g_new0 (Pending, 1);
          p->fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (out, g_steal_pointer (&key), p);
        }
      if (g_strcmp0 (op, "delete") == 0 || g_strcmp0 (op, "undelete") == 0)
        p->delete_state = TRUE;
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObjectIter iter;
          const char    *name;
          JsonNode      *v;

          json_object_iter_init (&iter, json_node_get_object (node));
          while (json_object_iter_next (&iter, &name, &v))
            g_hash_table_add (p->fields, g_strdup (name));
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

/* A record change of a page as the store takes it; FALSE on a malformed
 * one. A collection or field this version does not know (a newer server)
 * is left out, not refused. */
static gboolean
prepare_record (TsuStore        *store,
                JsonObject      *c,
                GHashTable      *pending,
                TsuRemoteRecord *out,
                gboolean        *skip,
                GError         **error)
{
  const TsuCollection *col = tsu_collection_lookup (string_member (c, "collection"));
  const char          *id = string_member (c, "id");
  JsonNode            *fields_node = json_object_get_member (c, "fields");
  JsonNode            *deleted_node = json_object_get_member (c, "deleted");
  Pending             *p = NULL;
  JsonObject          *fields;
  JsonObjectIter       iter;
  const char          *name = NULL;
  gboolean             as_is = TRUE;
  JsonNode            *value;

  *skip = col == NULL;
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
  if (pending != NULL)
    {
      g_autofree char *key = pending_key (col->name, id);
      p = g_hash_table_lookup (pending, key);
    }
  out->collection = col->name;
  out->id = id;
  out->rev = int_member (c, "rev", 0);
  out->deleted = json_node_get_boolean (deleted_node);
  /* Most records are taken as they came; a copy only when something must
   * be left out. */
  fields = json_node_get_object (fields_node);
  json_object_iter_init (&iter, fields);
  while (p == NULL && json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *def = tsu_collection_lookup_field (col, name);

      if (def == NULL || (def->flags & TSU_FIELD_DERIVED))
        {
          as_is = FALSE;
          break;
        }
    }
  if (p == NULL && as_is)
    out->fields = json_object_ref (fields);
  else
    {
      out->fields = json_object_new ();
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        {
          const TsuFieldDef *def = tsu_collection_lookup_field (col, name);

          if (def == NULL || (def->flags & TSU_FIELD_DERIVED)
              || (p != NULL && g_hash_table_contains (p->fields, name)))
            continue;
          json_object_set_member (out->fields, name, json_node_ref (value));
        }
    }
  if (p != NULL && p->delete_state)
    {
      g_autoptr (JsonObject) row = tsu_store_get (store, col->name, id, NULL);

      if (row != NULL)
        out->deleted = json_object_get_boolean_member (row, "deleted");
    }
  return TRUE;
}

typedef struct
{
  Page  *page;
  gint64 pushed;
  guint  pulled;
} PageApply;

static void
page_apply_free (PageApply *a)
{
  page_free (a->page);
  g_free (a);
}

/* A pulled record version that says it was erased on request (§3.5). */
static gboolean
is_erasure (JsonObject *c)
{
  JsonNode *n = json_object_get_member (c, "erased");

  return n != NULL && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_BOOLEAN
         && json_node_get_boolean (n);
}

static gboolean
page_has_erasure (Page *page)
{
  guint n = json_array_get_length (page->changes);

  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (page->changes, i);

      if (JSON_NODE_HOLDS_OBJECT (node) && is_erasure (json_node_get_object (node)))
        return TRUE;
    }
  return FALSE;
}

/* Whether the erasure pulled is one this desk already made (its own, sent
 * and pulled back, or one pulled before): the record's last history entry
 * is an erasure. Such a version goes through the ordinary path, which
 * takes its rev and finds no value to change. A record this desk never
 * had counts as not erased here (tsu_store_apply_remote_erase() does
 * nothing for it). Sets *@ok to FALSE with @error on a read failure. */
static gboolean
erased_here (TsuStore *store, JsonObject *c, gboolean *ok, GError **error)
{
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gboolean      erased = FALSE;
  int           rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT action = 'erase' FROM history WHERE collection = ? AND"
                          " record_id = ? ORDER BY id DESC LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "history");
      *ok = FALSE;
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, string_member (c, "collection"), -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, string_member (c, "id"), -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    erased = sqlite3_column_int (stmt, 0) != 0;
  else if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "history");
      *ok = FALSE;
    }
  sqlite3_finalize (stmt);
  return erased;
}

static gboolean
apply_page (TsuStore *store, gpointer user_data, GError **error)
{
  PageApply *a = user_data;
  JsonArray *changes = a->page->changes;
  guint      n = json_array_get_length (changes);
  g_autoptr (GArray) records = g_array_sized_new (FALSE, TRUE, sizeof (TsuRemoteRecord), n);
  g_autoptr (GHashTable) pending = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean      any_pending, ok = TRUE;

  /* Most pages meet an empty outbox: one look instead of one per record. */
  sqlite3_prepare_v2 (tsu_store_get_db (store),
                      "SELECT EXISTS (SELECT 1 FROM outbox WHERE seq > ? AND state = 'pending')",
                      -1, &stmt, NULL);
  sqlite3_bind_int64 (stmt, 1, a->pushed);
  any_pending = sqlite3_step (stmt) != SQLITE_ROW || sqlite3_column_int (stmt, 0) != 0;
  sqlite3_finalize (stmt);
  if (any_pending && !(pending = pending_load (store, a->pushed, error)))
    return FALSE;

  a->pulled = 0;
  for (guint i = 0; ok && i < n; i++)
    {
      JsonNode   *node = json_array_get_element (changes, i);
      JsonObject *c = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *kind = string_member (c, "kind");

      if (g_strcmp0 (kind, "record") == 0)
        {
          TsuRemoteRecord r = { 0 };
          gboolean        skip = FALSE;

          if (is_erasure (c) && tsu_collection_lookup (string_member (c, "collection")) != NULL
              && string_member (c, "id") != NULL && !erased_here (store, c, &ok, error))
            {
              /* Erased on a person's request at another desk: erased here
               * the same way (values out of the row, its history, outbox
               * entries and conflicts), not written as a new version. */
              if (ok)
                ok = tsu_store_apply_remote_erase (store, string_member (c, "collection"),
                                                   string_member (c, "id"),
                                                   int_member (c, "rev", 0), error);
              a->pulled++;
              continue;
            }
          ok = ok && prepare_record (store, c, pending, &r, &skip, error);
          if (ok && !skip)
            g_array_append_val (records, r);
        }
      else if (g_strcmp0 (kind, "conflict") == 0)
        ok = apply_conflict (store, c, error);
      /* Other kinds come from newer servers: skipped. */
      a->pulled++;
    }
  /* The whole page in one pass of the write path, then its cursor: they
   * commit together, and a sync interrupted anywhere resumes here. */
  if (ok)
    ok = tsu_store_apply_remote_batch (store, (TsuRemoteRecord *)records->data, records->len,
                                       error);
  for (guint i = 0; i < records->len; i++)
    json_object_unref (g_array_index (records, TsuRemoteRecord, i).fields);
  if (!ok)
    return FALSE;
  return tsu_store_set_meta (store, META_CURSOR, a->page->cursor, error);
}

static gboolean
apply_page_job (TsuSyncClient *self, gpointer data, GError **error)
{
  PageApply *a = data;
  gboolean   erasing = page_has_erasure (a->page);
  gboolean   ok;

  /* An erasure leaves no value on the disk: freed cells zeroed, the WAL
   * folded into the file afterwards. */
  if (erasing)
    tsu_store_erasure_begin (self->store);
  ok = tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, apply_page, data, error);
  if (erasing)
    tsu_store_erasure_end (self->store, ok);

  /* A page's tree is freed here, not on the main context (a quarter of a
   * million nodes for 5,000 records). */
  a->page->changes = NULL;
  g_clear_pointer (&a->page->root, json_object_unref);
  return ok;
}

static void
page_applied (GTask *task, gpointer data)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  PageApply     *a = data;
  double         fraction = -1;
  gint64         eta = -1;

  d->applying = FALSE;
  d->stats.pulled += a->pulled;
  d->stats.pages++;
  /* Progress by change seq: the cursor's position against the server's
   * head when the page was made. */
  if (a->page->change_seq > d->start_position && a->page->position >= d->start_position)
    {
      double elapsed = (g_get_monotonic_time () - d->started) / (double)G_USEC_PER_SEC;

      fraction = MIN (1.0, (double)(a->page->position - d->start_position)
                               / (double)(a->page->change_seq - d->start_position));
      if (!a->page->has_more)
        fraction = 1.0;
      if (fraction > 0.02 && fraction < 1.0)
        eta = (gint64)(elapsed * (1.0 - fraction) / fraction + 0.5);
    }
  g_signal_emit (self, signals[PROGRESS], 0, d->stats.pulled, fraction, eta);
  pull_continue (task);
}

typedef struct
{
  GBytes *body;
  Page   *page;
} PageParse;

static void
page_parse_free (PageParse *pp)
{
  g_clear_pointer (&pp->body, g_bytes_unref);
  if (pp->page)
    page_free (pp->page);
  g_free (pp);
}

/* Parsing a page of megabytes happens in the worker too. */
static gboolean
parse_page_job (TsuSyncClient *self, gpointer data, GError **error)
{
  PageParse  *pp = data;
  JsonObject *o = parse_response (pp->body, error);
  JsonNode   *changes, *more;
  Page       *page;

  g_clear_pointer (&pp->body, g_bytes_unref);
  if (o == NULL)
    return FALSE;
  changes = json_object_get_member (o, "changes");
  more = json_object_get_member (o, "has_more");
  if (changes == NULL || !JSON_NODE_HOLDS_ARRAY (changes)
      || string_member (o, "next_cursor") == NULL || more == NULL || !JSON_NODE_HOLDS_VALUE (more)
      || json_node_get_value_type (more) != G_TYPE_BOOLEAN)
    {
      json_object_unref (o);
      g_set_error_literal (error, TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                           _ ("The server sent an answer that cannot be read."));
      return FALSE;
    }
  page = g_new0 (Page, 1);
  page->root = o;
  page->changes = json_node_get_array (changes);
  page->cursor = g_strdup (string_member (o, "next_cursor"));
  page->has_more = json_node_get_boolean (more);
  page->change_seq = int_member (o, "change_seq", -1);
  {
    g_autofree char *epoch = NULL;
    gint64           full_from = -1;

    if (!tsu_sync_cursor_decode (page->cursor, &epoch, &page->position, &full_from))
      page->position = -1;
  }
  pp->page = page;
  return TRUE;
}

static void
page_parsed (GTask *task, gpointer data)
{
  SyncData  *d = g_task_get_task_data (task);
  PageParse *pp = data;
  Page      *page = g_steal_pointer (&pp->page);

  d->parsing = FALSE;
  note_rotation (task, page->root);
  g_free (d->cursor);
  d->cursor = g_strdup (page->cursor);
  if (!page->has_more)
    d->pull_done = TRUE;
  if (d->started == 0)
    {
      g_autofree char *epoch = NULL;
      gint64           full_from = -1, from = 0;
      g_autofree char *stored = tsu_store_get_meta (
          ((TsuSyncClient *)g_task_get_source_object (task))->store, META_CURSOR);

      d->started = g_get_monotonic_time ();
      if (stored == NULL || !tsu_sync_cursor_decode (stored, &epoch, &from, &full_from))
        from = 0;
      d->start_position = from;
    }
  g_queue_push_tail (&d->pages, page);
  pull_continue (task);
}

/* Keeps the pipeline moving: apply the next parsed page, fetch the next
 * one while at most one waits, finish when everything is applied. */
static void
pull_continue (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);

  if (d->error != NULL)
    {
      sync_settle (task);
      return;
    }
  if (d->resync_pending)
    {
      /* A 410: once the page being applied has committed, start over from
       * where the server stands (whoami_done clears the cursor). */
      if (d->applying || d->parsing)
        return;
      d->resync_pending = FALSE;
      d->fetching = TRUE;
      request (self, task, "GET", d->url, "/v1/whoami", NULL, TRUE, TRUE, whoami_done);
      return;
    }
  if (!d->applying && !g_queue_is_empty (&d->pages))
    {
      PageApply *a = g_new0 (PageApply, 1);

      a->page = g_queue_pop_head (&d->pages);
      a->pushed = meta_int (self->store, META_PUSHED);
      d->applying = TRUE;
      run_job (task, apply_page_job, a, (GDestroyNotify)page_apply_free, page_applied);
    }
  if (!d->fetching && !d->parsing && !d->pull_done && g_queue_is_empty (&d->pages))
    step_pull (task);
  if (d->pull_done && !d->applying && !d->fetching && !d->parsing && g_queue_is_empty (&d->pages))
    {
      if (d->rotate)
        step_rotate (task);
      else
        sync_settle (task);
    }
}

static void
pull_done (GTask *task, guint status, GBytes *body, GError *error)
{
  SyncData  *d = g_task_get_task_data (task);
  PageParse *pp;

  if (error != NULL || d->error != NULL)
    {
      d->fetching = FALSE;
      if (error != NULL)
        sync_fail (task, g_error_copy (error));
      else
        sync_settle (task);
      return;
    }
  d->fetching = FALSE;
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
      g_queue_clear_full (&d->pages, (GDestroyNotify)page_free);
      d->resynced = TRUE;
      d->stats.resyncs++;
      d->pull_done = FALSE;
      g_clear_pointer (&d->cursor, g_free);
      d->started = 0;
      d->resync_pending = TRUE;
      pull_continue (task);
      return;
    }
  if (status != 200)
    {
      sync_fail (task, status_error (status, body));
      return;
    }
  pp = g_new0 (PageParse, 1);
  pp->body = g_bytes_ref (body);
  d->parsing = TRUE;
  run_job (task, parse_page_job, pp, (GDestroyNotify)page_parse_free, page_parsed);
}

static void
step_pull (GTask *task)
{
  TsuSyncClient   *self = g_task_get_source_object (task);
  SyncData        *d = g_task_get_task_data (task);
  g_autofree char *cursor = NULL;
  g_autofree char *path = NULL;

  cursor = d->cursor ? g_strdup (d->cursor) : tsu_store_get_meta (self->store, META_CURSOR);
  if (cursor != NULL && *cursor != '\0')
    {
      g_autofree char *escaped = g_uri_escape_string (cursor, NULL, FALSE);
      path = g_strdup_printf ("/v1/sync/pull?limit=%u&cursor=%s", self->page_size, escaped);
    }
  else
    path = g_strdup_printf ("/v1/sync/pull?limit=%u", self->page_size);
  d->fetching = TRUE;
  request (self, task, "GET", d->url, path, NULL, TRUE, TRUE, pull_done);
}

/* ---- token rotation ---- */

typedef struct
{
  char *url;
  char *device_id;
  char *token;
} TokenSave;

static void
token_save_free (TokenSave *t)
{
  g_free (t->url);
  g_free (t->device_id);
  if (t->token)
    memset (t->token, 0, strlen (t->token));
  g_free (t->token);
  g_free (t);
}

static gboolean
token_save_job (TsuSyncClient *self, gpointer data, GError **error)
{
  TokenSave *t = data;

  return tsu_sync_token_save (t->url, t->device_id, t->token, error);
}

static void
token_rotated (GTask *task, gpointer data)
{
  ((SyncData *)g_task_get_task_data (task))->stats.rotated++;
  sync_settle (task);
}

static void
rotate_done (GTask *task, guint status, GBytes *body, GError *error)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (JsonObject) o = NULL;
  GError    *e = NULL;
  TokenSave *t;

  d->fetching = FALSE;
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
  if (string_member (o, "token") == NULL || !g_str_has_prefix (string_member (o, "token"), "tsu1_"))
    {
      sync_fail (task, g_error_new_literal (TSU_SYNC_ERROR, TSU_SYNC_ERROR_PROTOCOL,
                                            _ ("The server sent an answer that cannot be read.")));
      return;
    }
  /* The old token stopped working when the server answered: the new one
   * is used at once and kept where the old one was. */
  tsu_sync_client_set_token (self, string_member (o, "token"));
  t = g_new0 (TokenSave, 1);
  t->url = g_strdup (d->url);
  t->device_id = g_strdup (d->device_id);
  t->token = g_strdup (string_member (o, "token"));
  run_job (task, token_save_job, t, (GDestroyNotify)token_save_free, token_rotated);
}

static void
step_rotate (GTask *task)
{
  TsuSyncClient *self = g_task_get_source_object (task);
  SyncData      *d = g_task_get_task_data (task);
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);

  d->rotate = FALSE;
  d->fetching = TRUE;
  /* Not retried blindly: a rotation whose answer was lost has already
   * replaced the token. */
  request (self, task, "POST", d->url, "/v1/token/rotate", empty, FALSE, TRUE, rotate_done);
}

static void
sync_begin (GTask *task)
{
  SyncData *d = g_task_get_task_data (task);

  if (d->only_rotate)
    step_rotate (task);
  else
    step_resolve (task);
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
  sync_begin (task);
}

/**
 * tsu_sync_client_sync_async:
 *
 * One full sync: offline conflict resolutions, push of the outbox in order,
 * pull of every page. Safe to interrupt at any point: the next sync goes on
 * from what was committed.
 */
static void
load_trusted (TsuSyncClient *self)
{
  g_autofree char *pem = NULL;

  if (self->trusted_read)
    return;
  self->trusted_read = TRUE;
  pem = tsu_store_get_meta (self->store, META_TRUSTED);
  if (pem != NULL && self->trusted == NULL)
    self->trusted = g_tls_certificate_new_from_pem (pem, -1, NULL);
}

static void
sync_start (TsuSyncClient      *self,
            gboolean            only_rotate,
            gpointer            source_tag,
            GCancellable       *cancellable,
            GAsyncReadyCallback callback,
            gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SyncData *d = g_new0 (SyncData, 1);
  GError   *error = NULL;

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, d, (GDestroyNotify)sync_data_free);
  d->only_rotate = only_rotate;
  d->url = tsu_store_get_meta (self->store, META_URL);
  d->device_id = tsu_store_get_meta (self->store, META_DEVICE);
  load_trusted (self);
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
  sync_begin (task);
}

/**
 * tsu_sync_client_sync_async:
 *
 * One full sync: offline conflict resolutions, push of the outbox in order,
 * pull of every page (each parsed and applied in a worker thread while the
 * next is fetched). Safe to interrupt at any point: the next sync goes on
 * from what was committed. When the server asks for it (token_rotate in an
 * answer), the device token is rotated at the end.
 */
void
tsu_sync_client_sync_async (TsuSyncClient      *self,
                            GCancellable       *cancellable,
                            GAsyncReadyCallback callback,
                            gpointer            user_data)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));

  sync_start (self, FALSE, tsu_sync_client_sync_async, cancellable, callback, user_data);
}

/**
 * tsu_sync_client_rotate_token_async:
 *
 * Replaces the device token with a new one from the server and keeps it
 * where the old one was. Finish with tsu_sync_client_sync_finish().
 */
void
tsu_sync_client_rotate_token_async (TsuSyncClient      *self,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));

  sync_start (self, TRUE, tsu_sync_client_rotate_token_async, cancellable, callback, user_data);
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
static gboolean
read_conflicts (sqlite3 *db, gpointer data, GError **error)
{
  JsonArray    *out = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT id, collection, record_id, type, fields, device_id, created_at,"
                          " pending_choice, mutation_seq FROM sync_conflicts"
                          " ORDER BY created_at, id",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "sync_conflicts");
      return FALSE;
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
      json_object_set_int_member (c, "mutation_seq", sqlite3_column_int64 (stmt, 8));
      json_array_add_object_element (out, c);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/**
 * tsu_sync_client_list_conflicts:
 *
 * Reads on the store's reader connection (never waits for a sync page).
 *
 * Returns: (transfer full): open conflict records, oldest first: objects
 *   with id, collection, record_id, type, fields, device_id, created_at,
 *   mutation_seq and pending_choice (a resolution not yet sent)
 */
JsonArray *
tsu_sync_client_list_conflicts (TsuSyncClient *self, GError **error)
{
  g_autoptr (JsonArray) out = json_array_new ();

  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);

  if (!tsu_store_read (self->store, read_conflicts, out, error))
    return NULL;
  return g_steal_pointer (&out);
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
typedef struct
{
  gint64 pending, rejected, conflicts;
} Counts;

static gboolean
read_counts (sqlite3 *db, gpointer data, GError **error)
{
  Counts       *n = data;
  sqlite3_stmt *stmt = NULL;

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
      return FALSE;
    }
  n->pending = sqlite3_column_int64 (stmt, 0);
  n->rejected = sqlite3_column_int64 (stmt, 1);
  n->conflicts = sqlite3_column_int64 (stmt, 2);
  sqlite3_finalize (stmt);
  return TRUE;
}

/**
 * tsu_sync_client_get_summary:
 *
 * Reads on the store's reader connection (never waits for a sync page).
 *
 * Returns: (transfer full): {"enrolled": bool, "server": url|null,
 *   "pending": n (changes not yet sent), "rejected": n (needs attention),
 *   "conflicts": n (open conflict records), "first_sync": bool (no page
 *   pulled yet, or a first pull not finished)}
 */
JsonObject *
tsu_sync_client_get_summary (TsuSyncClient *self, GError **error)
{
  g_autofree char *url = NULL;
  g_autofree char *device = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *epoch = NULL;
  JsonObject      *o;
  Counts           n = { 0 };
  gint64           seq = 0, full_from = -1;

  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);

  url = tsu_store_get_meta (self->store, META_URL);
  device = tsu_store_get_meta (self->store, META_DEVICE);
  cursor = tsu_store_get_meta (self->store, META_CURSOR);
  if (!tsu_store_read (self->store, read_counts, &n, error))
    return NULL;

  o = json_object_new ();
  json_object_set_boolean_member (o, "enrolled", url != NULL && device != NULL);
  if (url != NULL)
    json_object_set_string_member (o, "server", url);
  else
    json_object_set_null_member (o, "server");
  json_object_set_int_member (o, "pending", n.pending);
  json_object_set_int_member (o, "rejected", n.rejected);
  json_object_set_int_member (o, "conflicts", n.conflicts);
  json_object_set_boolean_member (
      o, "first_sync",
      cursor == NULL
          || (tsu_sync_cursor_decode (cursor, &epoch, &seq, &full_from) && full_from >= 0));
  return o;
}

/** tsu_sync_client_dup_server_url: Returns: (transfer full) (nullable): the server enrolled with */
char *
tsu_sync_client_dup_server_url (TsuSyncClient *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);
  return tsu_store_get_meta (self->store, META_URL);
}

/** tsu_sync_client_get_refused_certificate: Returns: (transfer none) (nullable): */
GTlsCertificate *
tsu_sync_client_get_refused_certificate (TsuSyncClient *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);
  return self->refused;
}

/** tsu_sync_client_get_trusted_certificate: Returns: (transfer none) (nullable): */
GTlsCertificate *
tsu_sync_client_get_trusted_certificate (TsuSyncClient *self)
{
  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), NULL);
  load_trusted (self);
  return self->trusted;
}

/**
 * tsu_sync_client_set_trusted_certificate:
 * @certificate: (nullable): a CA certificate (a city's private authority)
 *   or the server's own certificate, chosen by staff
 *
 * Trusted from the next request on; kept in the store at enrolment.
 */
void
tsu_sync_client_set_trusted_certificate (TsuSyncClient *self, GTlsCertificate *certificate)
{
  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));
  self->trusted_read = TRUE;
  g_set_object (&self->trusted, certificate);
}

static char *
fingerprint (GTlsCertificate *certificate)
{
  g_autoptr (GByteArray) der = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  g_autofree char *hex = NULL;

  g_object_get (certificate, "certificate", &der, NULL);
  if (der == NULL)
    return g_strdup ("?");
  hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, der->data, der->len);
  for (guint i = 0; hex[i]; i += 2)
    g_string_append_printf (out, "%s%c%c", i ? ":" : "", g_ascii_toupper (hex[i]),
                            g_ascii_toupper (hex[i + 1]));
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * tsu_sync_certificate_describe:
 *
 * Returns: (transfer full): lines for staff: who the certificate is for,
 *   who issued it, its dates and SHA-256 fingerprint (to compare with what
 *   the city's IT staff read out)
 */
char *
tsu_sync_certificate_describe (GTlsCertificate *certificate)
{
  g_autofree char *subject = NULL, *issuer = NULL, *print = NULL;
  g_autoptr (GDateTime) from = NULL;
  g_autoptr (GDateTime) until = NULL;
  g_autofree char *from_text = NULL, *until_text = NULL;

  g_return_val_if_fail (G_IS_TLS_CERTIFICATE (certificate), NULL);

  g_object_get (certificate, "subject-name", &subject, "issuer-name", &issuer, "not-valid-before",
                &from, "not-valid-after", &until, NULL);
  from_text = from ? g_date_time_format (from, "%Y-%m-%d") : g_strdup ("?");
  until_text = until ? g_date_time_format (until, "%Y-%m-%d") : g_strdup ("?");
  print = fingerprint (certificate);
  /* TRANSLATORS: a certificate's details, one a line */
  return g_strdup_printf (_ ("Issued to: %s\nIssued by: %s\nValid: %s to %s\nSHA-256: %s"),
                          subject ? subject : "?", issuer ? issuer : "?", from_text, until_text,
                          print);
}

/**
 * tsu_sync_client_retry_rejected:
 * @corrections: (nullable): values staff fixed (the field the server named)
 *
 * Returns: %TRUE once the change is queued again (the next sync sends it)
 */
gboolean
tsu_sync_client_retry_rejected (TsuSyncClient *self,
                                gint64         seq,
                                JsonObject    *corrections,
                                GError       **error)
{
  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), FALSE);
  return tsu_store_outbox_requeue (self->store, seq, corrections, error);
}

/**
 * tsu_sync_client_discard_rejected:
 *
 * Returns: %TRUE once the refused change is given up (the record back to the
 *   server's values)
 */
gboolean
tsu_sync_client_discard_rejected (TsuSyncClient *self, gint64 seq, GError **error)
{
  g_return_val_if_fail (TSU_IS_SYNC_CLIENT (self), FALSE);
  return tsu_store_outbox_discard (self->store, seq, error);
}

/* ---- sign out ---- */

typedef struct
{
  char    *url;
  char    *device_id;
  gboolean discard;
} SignOut;

static void
sign_out_free (SignOut *so)
{
  g_free (so->url);
  g_free (so->device_id);
  g_free (so);
}

static gboolean
signed_out_txn (TsuStore *store, gpointer data, GError **error)
{
  SignOut      *so = data;
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64        last = 0;
  char          buf[32];

  if (so->discard)
    {
      /* Never sent: marked so, kept for the record; a later enrolment
       * starts after them so that the server's sequence has no gap. */
      if (!tsu_store_exec (db, "UPDATE outbox SET state = 'discarded' WHERE state = 'pending'",
                           error))
        return FALSE;
      if (sqlite3_prepare_v2 (db, "SELECT coalesce(max(seq), 0) FROM outbox", -1, &stmt, NULL)
              == SQLITE_OK
          && sqlite3_step (stmt) == SQLITE_ROW)
        last = sqlite3_column_int64 (stmt, 0);
      sqlite3_finalize (stmt);
      g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, MAX (last, meta_int (store, META_PUSHED)));
      if (!tsu_store_set_meta (store, META_PUSHED, buf, error))
        return FALSE;
    }
  return tsu_store_set_meta (store, META_URL, NULL, error)
         && tsu_store_set_meta (store, META_DEVICE, NULL, error)
         && tsu_store_set_meta (store, META_ORG, NULL, error)
         && tsu_store_set_meta (store, META_CURSOR, NULL, error)
         && tsu_store_set_meta (store, META_EPOCH, NULL, error)
         && tsu_store_set_meta (store, META_TRUSTED, NULL, error);
}

static void
sign_out_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  TsuSyncClient *self = source;
  SignOut       *so = task_data;
  GError        *error = NULL;
  Counts         n = { 0 };

  if (!tsu_store_read (self->store, read_counts, &n, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  if (n.pending > 0 && !so->discard)
    {
      g_task_return_new_error (
          task, TSU_SYNC_ERROR, TSU_SYNC_ERROR_UNSENT,
          g_dngettext (GETTEXT_PACKAGE, "%u change has not been sent to the server yet.",
                       "%u changes have not been sent to the server yet.", (gulong)n.pending),
          (guint)n.pending);
      return;
    }
  if ((so->url != NULL && so->device_id != NULL
       && !tsu_sync_token_clear (so->url, so->device_id, &error))
      || !tsu_store_transaction (self->store, TSU_ORIGIN_SERVER, signed_out_txn, so, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
revoked_cb (GTask *task, guint status, GBytes *body, GError *error)
{
  /* Offline or refused: the token is forgotten here all the same. */
  g_task_run_in_thread (task, sign_out_thread);
}

/**
 * tsu_sync_client_sign_out_async:
 * @discard_unsent: give up changes not sent yet (they stay in the outbox
 *   marked "discarded"); without it, such changes make the sign-out fail
 *
 * Leaves the organisation: the token is revoked on the server (when it can
 * be reached) and forgotten; every record stays on this desk.
 */
void
tsu_sync_client_sign_out_async (TsuSyncClient      *self,
                                gboolean            discard_unsent,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  SignOut *so = g_new0 (SignOut, 1);
  Counts   n = { 0 };

  g_return_if_fail (TSU_IS_SYNC_CLIENT (self));

  g_task_set_source_tag (task, tsu_sync_client_sign_out_async);
  so->url = tsu_store_get_meta (self->store, META_URL);
  so->device_id = tsu_store_get_meta (self->store, META_DEVICE);
  so->discard = discard_unsent;
  g_task_set_task_data (task, so, (GDestroyNotify)sign_out_free);
  if (self->busy)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _ ("A synchronisation is already running."));
      return;
    }
  tsu_store_read (self->store, read_counts, &n, NULL);
  if (self->token != NULL && so->url != NULL && (n.pending == 0 || discard_unsent)
      && check_tls (so->url, NULL))
    {
      g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);

      request (self, task, "POST", so->url, "/v1/token/revoke", empty, FALSE, TRUE, revoked_cb);
      g_clear_pointer (&self->token, g_free);
      return;
    }
  g_task_run_in_thread (task, sign_out_thread);
}

gboolean
tsu_sync_client_sign_out_finish (TsuSyncClient *self, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * tsu_sync_reason_describe:
 * @reason: a rejection reason of the protocol (§3.2) or of a collection rule
 * @field_label: (nullable): the translated label of the field at fault
 *
 * Returns: (transfer full): the reason in the desk's language
 */
char *
tsu_sync_reason_describe (const char *reason, const char *field_label)
{
  static const struct
  {
    const char *reason;
    const char *message;
  } reasons[] = {
    { "registration_number_taken",
      N_ ("The registration number is already used by another group.") },
    { "booking_conflict",
      N_ ("The booking clashes with another booking of the same place or item.") },
    { "group_not_registered",
      N_ ("The group is not registered (or its registration has lapsed).") },
    { "application_exists", N_ ("An application of this group to this programme already exists.") },
    { "match_overlap", N_ ("The volunteer is already matched at that time.") },
    { "setting_exists", N_ ("This setting already exists on the server.") },
    { "not_found",
      N_ ("The record does not exist on the server (it was never sent, or was removed).") },
    { "exists", N_ ("A record with the same identity already exists on the server.") },
    { "unknown_collection",
      N_ ("The server does not know this kind of record (it is older than this desk).") },
    { "unknown_field",
      N_ ("The server does not know one of the fields (it is older than this desk).") },
    { "derived_field", N_ ("A computed field was sent by mistake.") },
    { "server_managed_field", N_ ("A field the server manages was sent by mistake.") },
    { "bad_id", N_ ("The record’s identity is not valid.") },
    { "bad_base_rev", N_ ("The desk’s copy of the record is newer than the server’s.") },
    { "unknown_op", N_ ("The server does not know this kind of change.") },
    { "invalid_value", N_ ("A value is not valid.") },
    { "erased",
      N_ ("The record was erased at the person’s request: no change to it is accepted any more. "
          "Discard this change.") },
    { "event_full", N_ ("The event is already full.") },
    { "rule_failed", N_ ("The server could not check its rules this time and wrote nothing. "
                         "Send the change again later.") },
  };
  const char *message = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (reasons); i++)
    if (g_strcmp0 (reason, reasons[i].reason) == 0)
      message = _ (reasons[i].message);
  if (message == NULL)
    /* TRANSLATORS: %s is the server's reason code, shown as it came */
    return g_strdup_printf (_ ("The server did not accept the change (%s)."),
                            reason ? reason : "?");
  if (field_label != NULL && *field_label != '\0')
    /* TRANSLATORS: 1: a field's label, 2: why the server refused it */
    return g_strdup_printf (_ ("%1$s: %2$s"), field_label, message);
  return g_strdup (message);
}

/* The collection of the record a rule reason's other_id names (§3.4). */
static const char *
reason_other_collection (const char *reason)
{
  static const char *const map[][2] = {
    { "registration_number_taken", "groups" }, { "booking_conflict", "bookings" },
    { "group_not_registered", "groups" },      { "match_overlap", "matches" },
    { "application_exists", "applications" },  { "event_full", "events" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (map); i++)
    if (g_strcmp0 (reason, map[i][0]) == 0)
      return map[i][1];
  return NULL;
}

/**
 * tsu_sync_rejection_describe:
 * @item: a refused change from tsu_sync_client_list_rejected()
 *
 * Why the server refused a change, for staff, in the desk's language: the
 * reason (with the field's label when the server named one), and for a
 * collection's rule the record it clashes with (other_id): the rule run
 * again on this desk says it with names and times, as the desk's own
 * refusal would; else the other record's name. Reads the store: call it
 * off the GTK thread.
 *
 * Returns: (transfer full): the explanation
 */
char *
tsu_sync_rejection_describe (TsuStore *store, JsonObject *item)
{
  const char          *collection = tsu_record_get_string (item, "collection");
  const char          *id = tsu_record_get_string (item, "id");
  const TsuCollection *c = tsu_collection_lookup (collection);
  JsonNode            *result_node = json_object_get_member (item, "result");
  JsonObject          *result = result_node && JSON_NODE_HOLDS_OBJECT (result_node)
                                    ? json_node_get_object (result_node)
                                    : NULL;
  const char          *reason = result ? tsu_record_get_string (result, "reason") : NULL;
  const char          *field = result ? tsu_record_get_string (result, "field") : NULL;
  const char          *other_id = result ? tsu_record_get_string (result, "other_id") : NULL;
  const TsuFieldDef   *f = c && field ? tsu_collection_lookup_field (c, field) : NULL;
  g_autofree char     *why = NULL;
  g_autofree char     *detail = NULL;

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  /* A rule that names no field: the one its reason is about. */
  if (f == NULL && c != NULL && g_strcmp0 (reason, "registration_number_taken") == 0)
    f = tsu_collection_lookup_field (c, "registration_number");
  why = tsu_sync_reason_describe (reason, f ? tsu_field_get_label (f) : NULL);
  if (other_id == NULL || reason_other_collection (reason) == NULL)
    return g_steal_pointer (&why);

  {
    TsuRuleRefusal refusal = { 0 };
    g_autoptr (GError) error = NULL;

    if (!tsu_store_check_guard (store, collection, id, &refusal, &error)
        && g_strcmp0 (refusal.reason, reason) == 0 && refusal.message != NULL)
      detail = g_strdup (refusal.message);
    tsu_rule_refusal_clear (&refusal);
  }
  if (detail == NULL)
    {
      const TsuCollection *oc = tsu_collection_lookup (reason_other_collection (reason));
      g_autoptr (JsonObject) other = oc ? tsu_store_get (store, oc->name, other_id, NULL) : NULL;
      g_autofree char *title = other ? tsu_record_title (oc, other) : NULL;

      if (title != NULL && *title != '\0')
        /* TRANSLATORS: 1: a kind of record (団体), 2: its name */
        detail = g_strdup_printf (_ ("It clashes with %1$s “%2$s”."), tsu_collection_get_label (oc),
                                  title);
    }
  if (detail == NULL)
    return g_steal_pointer (&why);
  /* TRANSLATORS: 1: why the server refused a change, 2: the record it
   * clashes with, in a sentence (Japanese joins them without a space) */
  return g_strdup_printf (_ ("%1$s %2$s"), why, detail);
}
