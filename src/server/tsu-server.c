/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <libsoup/soup.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "tsu-server.h"
#include "tsu-sync-codec.h"

/* What the early handler learnt about a request, kept on the message. */
typedef struct
{
  guint64  id;
  gint64   started;        /* monotonic µs */
  gint64   deadline;       /* monotonic µs; 0 once the body is in */
  gsize    response_bytes; /* a body counted in TsuServer.held[pool] */
  guint    pool;
  gboolean answered; /* a handler of ours set the response */
  char    *org_id;
  char    *device_id;
  char    *device_name;
  char    *token;
} RequestInfo;

typedef struct
{
  double tokens;
  gint64 at;
} Bucket;

typedef struct
{
  guint  failures;
  gint64 window_start;
} EnrollWindow;

/* A failed enrolment answered late, once the server-wide ceiling is passed. */
typedef struct
{
  SoupServerMessage *msg; /* owned */
  gint64             due;
} Tarpit;

struct _TsuServer
{
  GObject parent_instance;

  TsuDirectory    *directory;
  TsuServerOptions options;
  SoupServer      *soup;
  GHashTable      *inflight; /* SoupServerMessage (owned) → NULL: requests not yet ended */
  GHashTable      *buckets;  /* device id → Bucket */
  GHashTable      *enrolls;  /* client address → EnrollWindow */
  EnrollWindow     enroll_all;
  GQueue           tarpit;          /* Tarpit */
  GPtrArray       *trusted_proxies; /* GInetAddressMask */
  gsize            held[2];         /* bytes of page bodies held right now, by pool */
  GHashTable      *refused_pages;   /* device id → cursor of its page refused as large */
  gboolean         trim_pending;
  gint64           last_trim;
  gboolean         close_each;
  guint64          next_request;
  guint64          sweeps;
  char             request_prefix[9];
  guint            sweep_id;
};

/* Pages from 64 KiB on are counted: those of 1 MiB and more (first syncs,
 * slow readers) against --response-memory, the others (a desk catching up)
 * against half of it on their own, so that many slow clients holding big
 * pages do not stop every desk's sync. */
#define SMALL_PAGE (64 * 1024)
#define BIG_PAGE (1024 * 1024)
enum
{
  POOL_MEDIUM,
  POOL_BIG
};
/* Enrolment windows, and how late a failure is answered past the ceiling. */
#define ENROLL_WINDOW_S 600
#define TARPIT_S 2

G_DEFINE_FINAL_TYPE (TsuServer, tsu_server, G_TYPE_OBJECT)

static const char *level_names[] = { "error", "warning", "info", "debug" };

/**
 * tsu_server_log:
 *
 * One line on stderr. Callers pass ids and codes only: never a token, a
 * field value or anything else a person typed.
 */
void
tsu_server_log (TsuServer *self, TsuLogLevel level, const char *format, ...)
{
  g_autoptr (GDateTime) now = NULL;
  g_autofree char *ts = NULL;
  g_autofree char *text = NULL;
  va_list          args;

  if (level > self->options.log_level)
    return;
  now = g_date_time_new_now_utc ();
  ts = g_date_time_format (now, "%FT%T.%fZ");
  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "%s %s %s\n", ts, level_names[level], text);
  fflush (stderr);
}

/** tsu_server_options_init: fills in the defaults */
void
tsu_server_options_init (TsuServerOptions *options)
{
  options->rate = 50;
  options->burst = 100;
  options->request_timeout = 15;
  options->enroll_failures = 10;
  options->enroll_failures_total = 100;
  options->response_memory = 64 * 1024 * 1024;
  options->log_level = TSU_LOG_INFO;
}

static void
request_info_free (gpointer data)
{
  RequestInfo *info = data;

  g_free (info->org_id);
  g_free (info->device_id);
  g_free (info->device_name);
  if (info->token)
    {
      memset (info->token, 0, strlen (info->token));
      g_free (info->token);
    }
  g_free (info);
}

static RequestInfo *
get_info (SoupServerMessage *msg)
{
  return g_object_get_data (G_OBJECT (msg), "tsu-request");
}

/* Replaces whatever body the message has (set_response appends). */
static void
set_body (SoupServerMessage *msg, guint status, char *text, gsize len)
{
  RequestInfo *info = get_info (msg);

  if (info != NULL)
    info->answered = TRUE;
  soup_message_body_truncate (soup_server_message_get_response_body (msg));
  soup_server_message_set_status (msg, status, NULL);
  if (text == NULL)
    soup_server_message_set_response (msg, NULL, SOUP_MEMORY_STATIC, NULL, 0);
  else
    soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                      text, len);
}

static void
respond_json (SoupServerMessage *msg, guint status, JsonObject *body)
{
  char *text = body ? tsu_sync_object_to_string (body) : g_strdup ("{}");

  set_body (msg, status, text, strlen (text));
}

static void
respond_error (SoupServerMessage *msg, guint status, const char *code, const char *message)
{
  g_autoptr (JsonObject) body = tsu_error_body (code, message);

  respond_json (msg, status, body);
}

static void
set_retry_after (SoupServerMessage *msg, double seconds)
{
  char buf[32];

  g_snprintf (buf, sizeof buf, "%d", MAX (1, (int)ceil (seconds)));
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", buf);
}

/* Headers every response carries. libsoup clears the response headers
 * after a "100 Continue", so the handler sets them again. */
static void
common_headers (TsuServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_response_headers (msg);
  RequestInfo        *info = get_info (msg);

  if (info != NULL)
    {
      /* Staff can quote it; the log line carries the same id. */
      char rid[32];

      g_snprintf (rid, sizeof rid, "%s-%" G_GUINT64_FORMAT, self->request_prefix, info->id);
      soup_message_headers_replace (h, "X-Request-Id", rid);
    }
  if (self->close_each)
    soup_message_headers_replace (h, "Connection", "close");
}

/* ---- routing ---- */

typedef enum
{
  ROUTE_NONE,
  ROUTE_HEALTH,
  ROUTE_ENROLL,
  ROUTE_WHOAMI,
  ROUTE_PUSH,
  ROUTE_PULL,
  ROUTE_RESOLVE,
  ROUTE_ROTATE,
  ROUTE_REVOKE,
} Route;

static const struct
{
  const char *method;
  const char *path;
  Route       route;
  gboolean    auth;
} routes[] = {
  { "GET", "/v1/health", ROUTE_HEALTH, FALSE },
  { "POST", "/v1/enroll", ROUTE_ENROLL, FALSE },
  { "GET", "/v1/whoami", ROUTE_WHOAMI, TRUE },
  { "POST", "/v1/sync/push", ROUTE_PUSH, TRUE },
  { "GET", "/v1/sync/pull", ROUTE_PULL, TRUE },
  { "POST", "/v1/conflicts/resolve", ROUTE_RESOLVE, TRUE },
  { "POST", "/v1/token/rotate", ROUTE_ROTATE, TRUE },
  { "POST", "/v1/token/revoke", ROUTE_REVOKE, TRUE },
};

/* The path for the log: one of ours, or "(other)" — a stray path may hold
 * anything a client put there. */
static const char *
log_path (SoupServerMessage *msg)
{
  GUri       *uri = soup_server_message_get_uri (msg);
  const char *path = uri ? g_uri_get_path (uri) : NULL;

  for (guint i = 0; path != NULL && i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].path, path))
      return routes[i].path;
  return "(other)";
}

static const char *
log_method (SoupServerMessage *msg)
{
  static const char *known[] = { "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH" };
  const char        *m = soup_server_message_get_method (msg);

  for (guint i = 0; m != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (known[i], m))
      return known[i];
  return "(other)";
}

static int
find_route (SoupServerMessage *msg, gboolean *path_known)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);

  *path_known = FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    if (g_str_equal (routes[i].path, path))
      {
        *path_known = TRUE;
        if (g_str_equal (routes[i].method, method))
          return i;
      }
  return -1;
}

static const char *
bearer_token (SoupServerMessage *msg)
{
  const char *h = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");

  if (h == NULL)
    return NULL;
  if (g_ascii_strncasecmp (h, "Bearer ", 7) != 0)
    return "";
  return h + 7;
}

static gboolean
rate_limited (TsuServer *self, const char *device_id, double *retry_after)
{
  gint64  now = g_get_monotonic_time ();
  Bucket *b;

  if (self->options.rate <= 0)
    return FALSE;
  b = g_hash_table_lookup (self->buckets, device_id);
  if (b == NULL)
    {
      b = g_new (Bucket, 1);
      b->tokens = self->options.burst;
      b->at = now;
      g_hash_table_insert (self->buckets, g_strdup (device_id), b);
    }
  b->tokens = MIN (self->options.burst, b->tokens + (now - b->at) / 1e6 * self->options.rate);
  b->at = now;
  if (b->tokens < 1)
    {
      *retry_after = (1 - b->tokens) / self->options.rate;
      return TRUE;
    }
  b->tokens -= 1;
  return FALSE;
}

/* ---- client addresses ---- */

/**
 * tsu_server_add_trusted_proxy:
 * @spec: an address ("127.0.0.1", "::1") or a network ("10.0.0.0/8")
 *
 * Requests from these peers may name the client they forward for in
 * X-Forwarded-For or X-Real-IP; from any other peer those headers are
 * ignored (anyone can send them).
 */
gboolean
tsu_server_add_trusted_proxy (TsuServer *self, const char *spec, GError **error)
{
  g_autofree char  *text = g_strstrip (g_strdup (spec));
  GInetAddressMask *mask;

  if (*text == '\0')
    return TRUE;
  mask = g_inet_address_mask_new_from_string (text, error);
  if (mask == NULL)
    return FALSE;
  g_ptr_array_add (self->trusted_proxies, mask);
  return TRUE;
}

/* An IPv4 peer on an IPv6 socket arrives as ::ffff:a.b.c.d. */
static GInetAddress *
unmapped (GInetAddress *addr)
{
  if (g_inet_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
    {
      const guint8       *b = g_inet_address_to_bytes (addr);
      static const guint8 prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

      if (memcmp (b, prefix, 12) == 0)
        return g_inet_address_new_from_bytes (b + 12, G_SOCKET_FAMILY_IPV4);
    }
  return g_object_ref (addr);
}

static gboolean
is_trusted_proxy (TsuServer *self, GInetAddress *addr)
{
  g_autoptr (GInetAddress) a = NULL;

  if (addr == NULL || self->trusted_proxies->len == 0)
    return FALSE;
  a = unmapped (addr);
  for (guint i = 0; i < self->trusted_proxies->len; i++)
    if (g_inet_address_mask_matches (self->trusted_proxies->pdata[i], a))
      return TRUE;
  return FALSE;
}

/* One entry of a forwarding header: an address, maybe bracketed; anything
 * else is kept as the proxy wrote it (cut short), never trusted. */
static char *
forwarded_entry (const char *entry, GInetAddress **addr)
{
  g_autofree char *t = g_strstrip (g_strdup (entry));
  size_t           n = strlen (t);

  if (n >= 2 && t[0] == '[' && t[n - 1] == ']')
    {
      t[n - 1] = '\0';
      memmove (t, t + 1, n - 1);
    }
  *addr = g_inet_address_new_from_string (t);
  if (*addr != NULL)
    {
      g_autoptr (GInetAddress) u = unmapped (*addr);

      return g_inet_address_to_string (u);
    }
  if (g_utf8_strlen (t, -1) > 64)
    return g_utf8_substring (t, 0, 64);
  return g_steal_pointer (&t);
}

/* The address a request really comes from: the peer, or, when the peer is a
 * trusted proxy, the right-most forwarded address that is not one of the
 * trusted proxies (entries further left are whatever the client wrote). */
static char *
client_address (TsuServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *h = soup_server_message_get_request_headers (msg);
  GSocketAddress     *sa = soup_server_message_get_remote_address (msg);
  GInetAddress       *peer = NULL;
  const char         *xff, *real;

  if (sa != NULL && G_IS_INET_SOCKET_ADDRESS (sa))
    peer = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (sa));
  if (peer == NULL)
    return g_strdup ("");
  if (is_trusted_proxy (self, peer))
    {
      xff = soup_message_headers_get_list (h, "X-Forwarded-For");
      if (xff != NULL)
        {
          g_auto (GStrv) parts = g_strsplit (xff, ",", 64);
          char *last = NULL;

          for (int i = (int)g_strv_length (parts) - 1; i >= 0; i--)
            {
              g_autoptr (GInetAddress) a = NULL;
              char *e = forwarded_entry (parts[i], &a);

              if (*e == '\0')
                {
                  g_free (e);
                  continue;
                }
              g_free (last);
              last = e;
              if (a == NULL || !is_trusted_proxy (self, a))
                return last;
            }
          if (last != NULL)
            return last;
        }
      real = soup_message_headers_get_one (h, "X-Real-IP");
      if (real != NULL)
        {
          g_autoptr (GInetAddress) a = NULL;
          char *e = forwarded_entry (real, &a);

          if (*e != '\0')
            return e;
          g_free (e);
        }
    }
  {
    g_autoptr (GInetAddress) u = unmapped (peer);

    return g_inet_address_to_string (u);
  }
}

static void
window_roll (EnrollWindow *w, gint64 now)
{
  if (w->window_start == 0 || now - w->window_start > ENROLL_WINDOW_S * G_USEC_PER_SEC)
    {
      w->failures = 0;
      w->window_start = now;
    }
}

static EnrollWindow *
enroll_window (TsuServer *self, const char *client)
{
  gint64        now = g_get_monotonic_time ();
  EnrollWindow *w = g_hash_table_lookup (self->enrolls, client);

  if (w == NULL)
    {
      w = g_new0 (EnrollWindow, 1);
      g_hash_table_insert (self->enrolls, g_strdup (client), w);
    }
  window_roll (w, now);
  window_roll (&self->enroll_all, now);
  return w;
}

static void
refused_written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  GIOStream *stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (stream);
}

/* SoupServer reads a request body even when the early handler has set the
 * status (unless the client sent Expect: 100-continue). A refused request
 * that announces a body gets its answer written on the taken-over
 * connection, which is then closed: not one byte of the body is read. */
static void
refuse_before_body (TsuServer *self, SoupServerMessage *msg)
{
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  SoupMessageBody    *body = soup_server_message_get_response_body (msg);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GString) out = g_string_new (NULL);
  const char  *retry = soup_message_headers_get_one (resp, "Retry-After");
  const char  *www = soup_message_headers_get_one (resp, "WWW-Authenticate");
  RequestInfo *info = get_info (msg);
  GIOStream   *stream;
  guint        status = soup_server_message_get_status (msg);
  gsize        len;
  const char  *data;

  if (soup_message_headers_get_encoding (req) == SOUP_ENCODING_CONTENT_LENGTH
      && soup_message_headers_get_content_length (req) == 0)
    return;
  if (soup_message_headers_get_encoding (req) == SOUP_ENCODING_NONE)
    return;

  bytes = soup_message_body_flatten (body);
  data = g_bytes_get_data (bytes, &len);
  g_string_append_printf (out,
                          "HTTP/1.1 %u %s\r\nContent-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\nConnection: close\r\n",
                          status, soup_status_get_phrase (status), len);
  if (retry)
    g_string_append_printf (out, "Retry-After: %s\r\n", retry);
  if (www)
    g_string_append_printf (out, "WWW-Authenticate: %s\r\n", www);
  if (info != NULL)
    g_string_append_printf (out, "X-Request-Id: %s-%" G_GUINT64_FORMAT "\r\n", self->request_prefix,
                            info->id);
  g_string_append (out, "\r\n");
  g_string_append_len (out, data, len);

  if (info != NULL)
    tsu_server_log (self, TSU_LOG_INFO, "[%s-%" G_GUINT64_FORMAT "] %s %s %u before the body%s%s",
                    self->request_prefix, info->id, log_method (msg), log_path (msg), status,
                    info->device_id ? " device=" : "", info->device_id ? info->device_id : "");
  g_hash_table_remove (self->inflight, msg);

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    return;
  {
    gsize n = out->len;
    char *text = g_string_free (g_steal_pointer (&out), FALSE);

    g_object_set_data_full (G_OBJECT (stream), "tsu-refusal", text, g_free);
    g_output_stream_write_all_async (g_io_stream_get_output_stream (stream), text, n,
                                     G_PRIORITY_DEFAULT, NULL, refused_written_cb, stream);
  }
}

/* Runs when the headers are in, before the body is read: limits, auth and
 * rate come first, so a refused request never costs its body. */
static void early_check (TsuServer *self, SoupServerMessage *msg);

static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  TsuServer *self = user_data;

  g_object_ref (msg);
  early_check (self, msg);
  if (soup_server_message_get_status (msg) != 0)
    refuse_before_body (self, msg);
  g_object_unref (msg);
}

/* Content-Length as RFC 9110 has it: one run of digits. libsoup reads "-1"
 * or a number past 2^63 as "until the connection ends"; those are refused
 * here, before any body is waited for. Several headers arrive joined by
 * commas and are refused as well. */
static gboolean
content_length_valid (const char *value, goffset *length)
{
  const char *p = value;
  guint64     n = 0;

  while (*p == ' ' || *p == '\t')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; g_ascii_isdigit (*p); p++)
    n = n > G_MAXINT64 / 10 ? G_MAXINT64 : MIN ((guint64)G_MAXINT64, n * 10 + (*p - '0'));
  while (*p == ' ' || *p == '\t')
    p++;
  *length = (goffset)n;
  return *p == '\0';
}

/* RFC 9110 §5: a field name is a token, a value has no control character
 * but tab. libsoup keeps "Content-Length : 5" as a header named
 * "Content-Length " and passes control characters through; a proxy in
 * front may read either differently, so both are refused. */
static gboolean
headers_well_formed (SoupMessageHeaders *headers)
{
  SoupMessageHeadersIter iter;
  const char            *name, *value;

  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    {
      if (*name == '\0')
        return FALSE;
      for (const char *p = name; *p; p++)
        if (!g_ascii_isalnum (*p) && strchr ("!#$%&'*+-.^_`|~", *p) == NULL)
          return FALSE;
      for (const guchar *p = (const guchar *)value; *p; p++)
        if ((*p < 0x20 && *p != '\t') || *p == 0x7f)
          return FALSE;
    }
  return TRUE;
}

static void
early_check (TsuServer *self, SoupServerMessage *msg)
{
  RequestInfo        *info = get_info (msg);
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  gboolean            path_known;
  int                 r = find_route (msg, &path_known);
  const char         *cl = soup_message_headers_get_list (headers, "Content-Length");
  goffset             length = 0;

  if (info != NULL)
    info->deadline = g_get_monotonic_time () + self->options.request_timeout * G_USEC_PER_SEC;

  if (!headers_well_formed (headers))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "a header name or value is not well formed");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }
  if (cl != NULL && !content_length_valid (cl, &length))
    {
      respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request",
                     "Content-Length must be one decimal number");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }

  if (r < 0)
    {
      if (path_known)
        respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed",
                       "method not allowed");
      else
        respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such endpoint");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }

  /* Every method: a GET with a huge body must not be read either. */
  if (g_str_equal (routes[r].method, "POST")
      || soup_message_headers_get_encoding (headers) != SOUP_ENCODING_NONE)
    {
      if (soup_message_headers_get_encoding (headers) != SOUP_ENCODING_CONTENT_LENGTH)
        {
          respond_error (msg, SOUP_STATUS_LENGTH_REQUIRED, "length_required",
                         "request bodies need a Content-Length");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          return;
        }
      if (length > TSU_SYNC_MAX_REQUEST_BYTES)
        {
          g_autoptr (JsonObject) body
              = tsu_error_body ("too_large", "the body is larger than the server takes");

          json_object_set_int_member (body, "max_bytes", TSU_SYNC_MAX_REQUEST_BYTES);
          respond_json (msg, 413, body);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          return;
        }
    }

  if (routes[r].route == ROUTE_ENROLL)
    {
      g_autofree char *client = client_address (self, msg);
      EnrollWindow    *w = enroll_window (self, client);

      if (w->failures >= self->options.enroll_failures)
        {
          double left = ENROLL_WINDOW_S - (g_get_monotonic_time () - w->window_start) / 1e6;

          respond_error (msg, 429, "too_many_attempts",
                         "too many failed enrolments from this address");
          set_retry_after (msg, left);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
        }
      return;
    }

  if (routes[r].auth)
    {
      g_autofree char *org = NULL, *dev = NULL, *name = NULL;
      const char      *token = bearer_token (msg);
      double           retry;

      switch (tsu_directory_authenticate (self->directory, token, &org, &dev, &name))
        {
        case TSU_AUTH_OK:
          break;
        case TSU_AUTH_REVOKED:
          respond_error (msg, SOUP_STATUS_FORBIDDEN, "device_revoked",
                         "this device has been revoked");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          return;
        case TSU_AUTH_UNAVAILABLE:
          respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable",
                         "the database is out of reach; try again shortly");
          set_retry_after (msg, 2 + g_random_int_range (0, 3));
          return;
        case TSU_AUTH_MISSING:
        case TSU_AUTH_INVALID:
        default:
          respond_error (msg, SOUP_STATUS_UNAUTHORIZED,
                         token == NULL ? "missing_token" : "invalid_token",
                         "a valid device token is required");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "WWW-Authenticate", "Bearer realm=\"tsunagu\"");
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          return;
        }
      if (rate_limited (self, dev, &retry))
        {
          respond_error (msg, 429, "rate_limited", "too many requests");
          set_retry_after (msg, retry);
          soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                        "Connection", "close");
          return;
        }
      if (info != NULL)
        {
          info->org_id = g_steal_pointer (&org);
          info->device_id = g_steal_pointer (&dev);
          info->device_name = g_steal_pointer (&name);
          info->token = g_strdup (token);
        }
    }
}

static void
handle_health (TsuServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonObject) body = json_object_new ();
  g_autoptr (JsonObject) database = json_object_new ();
  g_autoptr (GError) error = NULL;
  gboolean reachable = tsu_directory_ping (self->directory, &error);

  /* A load balancer takes a process whose database is out of reach out of
   * rotation; the message never carries the connection string. */
  json_object_set_string_member (database, "backend", tsu_directory_backend (self->directory));
  json_object_set_boolean_member (database, "reachable", reachable);
  json_object_set_string_member (body, "status", reachable ? "ok" : "unavailable");
  json_object_set_int_member (body, "protocol", TSU_SYNC_PROTOCOL_VERSION);
  json_object_set_string_member (body, "server", "tsunagu-server " PACKAGE_VERSION);
  json_object_set_object_member (body, "database", g_steal_pointer (&database));
  respond_json (msg, reachable ? SOUP_STATUS_OK : SOUP_STATUS_SERVICE_UNAVAILABLE, body);
  if (!reachable)
    {
      tsu_server_log (self, TSU_LOG_WARNING, "health: database out of reach: %s", error->message);
      set_retry_after (msg, 5);
    }
}

static JsonObject *
parse_small_body (SoupServerMessage *msg, guint *status, JsonObject **error_body)
{
  SoupMessageBody *req = soup_server_message_get_request_body (msg);
  g_autoptr (GBytes) bytes = soup_message_body_flatten (req);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  gsize       len;
  const char *data = g_bytes_get_data (bytes, &len);

  root = tsu_json_parse_checked (data, len, tsu_sync_request_limits (), &error);
  if (root == NULL)
    {
      *status = g_error_matches (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_TOO_LARGE) ? 413
                                                                                              : 400;
      *error_body = tsu_error_body (tsu_json_check_error_code (error), error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *status = 400;
      *error_body = tsu_error_body ("bad_request", "the body is not an object");
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

static const char *
string_member (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

/* A failed enrolment counts against its client address (which gets 429
 * past --enroll-failures) and against the whole server: past
 * --enroll-failures-total in the window every failure is answered
 * TARPIT_S seconds late. That slows guessing spread over many addresses
 * without refusing anyone, so a desk with a right code always gets in. */
static void
enroll_failed (TsuServer *self, SoupServerMessage *msg, const char *client, EnrollWindow *w)
{
  w->failures++;
  self->enroll_all.failures++;
  if (w->failures == self->options.enroll_failures)
    tsu_server_log (self, TSU_LOG_WARNING,
                    "enrolment refused for %s for 10 minutes: %u failed attempts", client,
                    w->failures);
  if (self->enroll_all.failures == self->options.enroll_failures_total)
    tsu_server_log (self, TSU_LOG_WARNING,
                    "%u failed enrolments in 10 minutes: failures are now answered late",
                    self->enroll_all.failures);
  if (self->enroll_all.failures >= self->options.enroll_failures_total)
    {
      Tarpit *t = g_new (Tarpit, 1);

      t->msg = g_object_ref (msg);
      t->due = g_get_monotonic_time () + TARPIT_S * G_USEC_PER_SEC;
      g_queue_push_tail (&self->tarpit, t);
      soup_server_message_pause (msg);
    }
}

static void
handle_enroll (TsuServer *self, SoupServerMessage *msg)
{
  g_autoptr (JsonObject) error_body = NULL;
  g_autoptr (JsonObject) req = NULL;
  g_autoptr (JsonObject) body = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *org = NULL, *dev = NULL, *token = NULL, *org_name = NULL, *epoch = NULL;
  g_autofree char *client = client_address (self, msg);
  EnrollWindow    *w = enroll_window (self, client);
  const char      *code, *name;
  gint64           next_seq = 1;
  TsuOrgDb        *db;
  guint            status = 400;

  req = parse_small_body (msg, &status, &error_body);
  if (req == NULL)
    {
      respond_json (msg, status, error_body);
      enroll_failed (self, msg, client, w);
      return;
    }
  code = string_member (req, "code");
  name = string_member (req, "device_name");
  if (json_object_has_member (req, "next_seq"))
    {
      JsonNode *n = json_object_get_member (req, "next_seq");

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64
          || json_node_get_int (n) < 1 || json_node_get_int (n) > (G_GINT64_CONSTANT (1) << 53))
        {
          respond_error (msg, 400, "bad_request", "next_seq must be a positive integer");
          enroll_failed (self, msg, client, w);
          return;
        }
      next_seq = json_node_get_int (n);
    }
  if (code == NULL || name == NULL || *name == '\0' || g_utf8_strlen (name, -1) > 100)
    {
      respond_error (msg, 400, "bad_request",
                     "code and device_name (1 to 100 characters) are required");
      enroll_failed (self, msg, client, w);
      return;
    }
  if (!tsu_directory_enroll (self->directory, code, name, &org, &dev, &token, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          respond_error (msg, SOUP_STATUS_FORBIDDEN, "bad_code",
                         "the code is unknown, used or expired");
          enroll_failed (self, msg, client, w);
        }
      else
        {
          tsu_server_log (self, TSU_LOG_ERROR, "enrolment failed: %s", error->message);
          respond_error (msg, 500, "internal", "enrolment failed");
        }
      return;
    }
  db = tsu_directory_get_org_db (self->directory, org, NULL);
  if (db != NULL && next_seq > 1)
    tsu_org_db_set_device_start (db, dev, next_seq - 1);
  org_name = tsu_directory_org_name (self->directory, org);
  epoch = db ? tsu_org_db_get_epoch (db) : NULL;
  tsu_server_log (self, TSU_LOG_INFO, "enrolled device %s in org %s", dev, org);

  body = json_object_new ();
  json_object_set_string_member (body, "device_id", dev);
  json_object_set_string_member (body, "token", token);
  json_object_set_string_member (body, "org_id", org);
  json_object_set_string_member (body, "org_name", org_name ? org_name : "");
  json_object_set_string_member (body, "epoch", epoch ? epoch : "");
  json_object_set_int_member (body, "protocol", TSU_SYNC_PROTOCOL_VERSION);
  respond_json (msg, SOUP_STATUS_CREATED, body);
  memset (token, 0, strlen (token));
}

static void
busy (TsuServer *self, SoupServerMessage *msg, RequestInfo *info)
{
  tsu_server_log (self, TSU_LOG_INFO,
                  "[%s-%" G_GUINT64_FORMAT "] %" G_GSIZE_FORMAT " KiB of responses in flight: 503",
                  self->request_prefix, info->id, (self->held[0] + self->held[1]) / 1024);
  respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "busy",
                 "the server is sending many large pages; try again shortly");
  set_retry_after (msg, 2 + g_random_int_range (0, 3));
}

static void
handle_authed (TsuServer *self, SoupServerMessage *msg, Route route, GHashTable *query)
{
  RequestInfo *info = get_info (msg);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) body = NULL;
  TsuOrgDb *db;
  guint     status;

  if (info == NULL || info->device_id == NULL)
    {
      respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "invalid_token",
                     "a valid device token is required");
      return;
    }
  db = tsu_directory_get_org_db (self->directory, info->org_id, &error);
  if (db == NULL)
    {
      tsu_server_log (self, TSU_LOG_ERROR, "[%s-%" G_GUINT64_FORMAT "] org database: %s",
                      self->request_prefix, info->id, error->message);
      respond_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", "try again later");
      set_retry_after (msg, 30);
      return;
    }
  tsu_directory_touch_device (self->directory, info->device_id);

  switch (route)
    {
    case ROUTE_WHOAMI:
      {
        g_autofree char *org_name = tsu_directory_org_name (self->directory, info->org_id);
        g_autofree char *epoch = tsu_org_db_get_epoch (db);

        body = json_object_new ();
        json_object_set_string_member (body, "org_id", info->org_id);
        json_object_set_string_member (body, "org_name", org_name ? org_name : "");
        json_object_set_string_member (body, "device_id", info->device_id);
        json_object_set_string_member (body, "device_name", info->device_name);
        json_object_set_int_member (body, "last_seq",
                                    tsu_org_db_device_last_seq (db, info->device_id));
        json_object_set_string_member (body, "epoch", epoch);
        json_object_set_int_member (body, "protocol", TSU_SYNC_PROTOCOL_VERSION);
        respond_json (msg, SOUP_STATUS_OK, body);
      }
      break;

    case ROUTE_PUSH:
    case ROUTE_RESOLVE:
      {
        SoupMessageBody *req = soup_server_message_get_request_body (msg);
        g_autoptr (GBytes) bytes = soup_message_body_flatten (req);
        gsize       len;
        const char *data = g_bytes_get_data (bytes, &len);

        if (route == ROUTE_PUSH)
          status = tsu_org_db_push_body (db, info->device_id, data, len, &body);
        else
          status = tsu_org_db_resolve_body (db, info->device_id, data, len, &body);
        if (status >= 400)
          tsu_server_log (self, TSU_LOG_INFO, "[%s-%" G_GUINT64_FORMAT "] refused: %s",
                          self->request_prefix, info->id,
                          json_object_get_string_member_with_default (body, "error", "?"));
        respond_json (msg, status, body);
        if (status == SOUP_STATUS_SERVICE_UNAVAILABLE)
          set_retry_after (msg, 2 + g_random_int_range (0, 3));
      }
      break;

    case ROUTE_PULL:
      {
        const char *cursor = query ? g_hash_table_lookup (query, "cursor") : NULL;
        const char *limit_s = query ? g_hash_table_lookup (query, "limit") : NULL;
        guint64     limit = TSU_SYNC_DEFAULT_PAGE;
        g_autoptr (GString) out = NULL;
        gsize len;

        if (limit_s != NULL
            && !g_ascii_string_to_unsigned (limit_s, 10, 1, TSU_SYNC_MAX_PAGE, &limit, NULL))
          {
            respond_error (msg, 400, "bad_limit", "limit must be 1 to 5000");
            break;
          }
        /* Pages wait in memory until slow clients have read them. Once
         * a pool is full, a page that would go to it stops being built
         * early and answers 503 for a while; a page begun with room is
         * served whole, so each pool's bound is its limit plus one page.
         * (Pages are not streamed from the database: that would keep a
         * read transaction open for as long as the slowest client takes,
         * holding back every checkpoint.) */
        {
          gboolean    big_ok = self->held[POOL_BIG] < self->options.response_memory;
          gboolean    medium_ok = self->held[POOL_MEDIUM] < self->options.response_memory / 2;
          const char *refused = g_hash_table_lookup (self->refused_pages, info->device_id);

          /* The same page asked for again while big pages are still held
           * is refused without building it again. */
          if (!big_ok && refused != NULL && g_str_equal (refused, cursor ? cursor : ""))
            {
              busy (self, msg, info);
              break;
            }
          status = tsu_org_db_pull_bounded (db, cursor, (guint)limit,
                                            big_ok      ? G_MAXSIZE
                                            : medium_ok ? BIG_PAGE
                                                        : SMALL_PAGE,
                                            &out);
          if (out == NULL && status == SOUP_STATUS_SERVICE_UNAVAILABLE)
            {
              g_hash_table_replace (self->refused_pages, g_strdup (info->device_id),
                                    g_strdup (cursor ? cursor : ""));
              busy (self, msg, info);
              break;
            }
          g_hash_table_remove (self->refused_pages, info->device_id);
        }
        if (out == NULL)
          {
            respond_error (msg, status, "internal", "the pull failed");
            break;
          }
        len = out->len;
        if (len >= SMALL_PAGE)
          {
            /* Built with room in the big pool: counted there when the
             * medium one is full. */
            info->pool
                = len >= BIG_PAGE || self->held[POOL_MEDIUM] >= self->options.response_memory / 2
                      ? POOL_BIG
                      : POOL_MEDIUM;
            info->response_bytes = len;
            self->held[info->pool] += len;
          }
        set_body (msg, status, g_string_free (g_steal_pointer (&out), FALSE), len);
      }
      break;

    case ROUTE_ROTATE:
      {
        g_autofree char *token
            = tsu_directory_rotate_token (self->directory, info->token, info->device_id, &error);
        if (token == NULL)
          {
            tsu_server_log (self, TSU_LOG_ERROR, "rotation failed: %s", error->message);
            respond_error (msg, 500, "internal", "rotation failed");
            break;
          }
        body = json_object_new ();
        json_object_set_string_member (body, "token", token);
        respond_json (msg, SOUP_STATUS_OK, body);
        memset (token, 0, strlen (token));
      }
      break;

    case ROUTE_REVOKE:
      if (!tsu_directory_revoke_token (self->directory, info->token, &error))
        respond_error (msg, 500, "internal", "revocation failed");
      else
        set_body (msg, SOUP_STATUS_NO_CONTENT, NULL, 0);
      break;

    default:
      respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found", "no such endpoint");
    }
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  TsuServer *self = user_data;
  gboolean   known;
  int        r;

  common_headers (self, msg);
  /* The early handler may have answered already. */
  if (soup_server_message_get_status (msg) != 0)
    return;
  r = find_route (msg, &known);
  if (r < 0)
    {
      respond_error (msg, known ? SOUP_STATUS_METHOD_NOT_ALLOWED : SOUP_STATUS_NOT_FOUND,
                     known ? "method_not_allowed" : "not_found", "no such endpoint");
      return;
    }
  switch (routes[r].route)
    {
    case ROUTE_HEALTH:
      handle_health (self, msg);
      break;
    case ROUTE_ENROLL:
      handle_enroll (self, msg);
      break;
    default:
      handle_authed (self, msg, routes[r].route, query);
    }
}

static void
got_body_cb (SoupServerMessage *msg, gpointer user_data)
{
  RequestInfo *info = get_info (msg);

  if (info != NULL)
    info->deadline = 0;
}

/* Runs after libsoup's own checks of the request line and headers (and
 * after early_cb): a request libsoup refused (a path with %00, a bad
 * scheme) gets a JSON body like every other refusal. */
static void
got_headers_cb (SoupServerMessage *msg, gpointer user_data)
{
  TsuServer   *self = user_data;
  RequestInfo *info = get_info (msg);
  guint        status = soup_server_message_get_status (msg);

  common_headers (self, msg);
  if (status >= 400 && info != NULL && !info->answered)
    {
      respond_error (msg, status, status == SOUP_STATUS_BAD_REQUEST ? "bad_request" : "refused",
                     "the request line or headers are not acceptable");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
    }
}

/* Ends the request's entry: logs it once, gives back what it held. Every
 * way a request ends comes here (finished, aborted, its connection gone,
 * or the sweep finding its socket closed). */
static void
request_done (TsuServer *self, SoupServerMessage *msg, gboolean aborted)
{
  RequestInfo *info;

  if (!g_hash_table_contains (self->inflight, msg))
    return;
  info = get_info (msg);
  if (info != NULL && soup_server_message_get_method (msg) != NULL)
    tsu_server_log (
        self, aborted ? TSU_LOG_WARNING : TSU_LOG_INFO,
        "[%s-%" G_GUINT64_FORMAT "] %s %s %u %.1fms%s%s%s", self->request_prefix, info->id,
        log_method (msg), log_path (msg), soup_server_message_get_status (msg),
        (g_get_monotonic_time () - info->started) / 1000.0, info->device_id ? " device=" : "",
        info->device_id ? info->device_id : "", aborted ? " aborted" : "");
  if (info != NULL && info->response_bytes > 0)
    {
      self->held[info->pool] -= info->response_bytes;
      info->response_bytes = 0;
      self->trim_pending = TRUE;
    }
  /* Drops our reference: the message may be finalized here. */
  g_hash_table_remove (self->inflight, msg);
}

static void
disconnected_cb (SoupServerMessage *msg, gpointer user_data)
{
  request_done (user_data, msg, TRUE);
}

/* Every message is counted from here until one of request_done's ways,
 * holding a reference of its own: libsoup 3.2 ends messages that never got
 * a request line (a port scanner's connect-and-close, a silent client)
 * without "request-finished" or "request-aborted". */
static void
request_started_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  static const char unread_body[]
      = "{\"error\":\"bad_request\",\"message\":\"the request could not be read\"}";
  TsuServer   *self = user_data;
  RequestInfo *info = g_new0 (RequestInfo, 1);

  info->id = ++self->next_request;
  info->started = g_get_monotonic_time ();
  /* A connection that sends nothing is dropped too, later. */
  info->deadline = info->started + MAX (60, self->options.request_timeout) * G_USEC_PER_SEC;
  g_object_set_data_full (G_OBJECT (msg), "tsu-request", info, request_info_free);
  common_headers (self, msg);
  /* What libsoup sends when it refuses a request by itself (a bad request
   * line or header, an unknown transfer coding): no handler of ours runs
   * then, so the JSON body is in place from the start. Every answer of
   * ours replaces it. */
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                    unread_body, strlen (unread_body));
  {
    /* On loopback and fast links the kernel grows a socket's send buffer
     * to megabytes: a slow reader's whole page would move there, out of
     * --response-memory's reach (and into the service's memory all the
     * same). A fixed buffer keeps the page with us until it is read. */
    GSocket *sock = soup_server_message_get_socket (msg);

    if (sock != NULL)
      g_socket_set_option (sock, SOL_SOCKET, SO_SNDBUF, 128 * 1024, NULL);
  }
  g_hash_table_add (self->inflight, g_object_ref (msg));
  g_signal_connect_object (msg, "got-headers", G_CALLBACK (got_headers_cb), self, 0);
  g_signal_connect (msg, "got-body", G_CALLBACK (got_body_cb), NULL);
  g_signal_connect_object (msg, "disconnected", G_CALLBACK (disconnected_cb), self, 0);
}

static void
request_finished_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  request_done (user_data, msg, FALSE);
}

static void
request_aborted_cb (SoupServer *server, SoupServerMessage *msg, gpointer user_data)
{
  request_done (user_data, msg, TRUE);
}

static gboolean
enroll_window_expired (gpointer key, gpointer value, gpointer user_data)
{
  EnrollWindow *w = value;

  return *(gint64 *)user_data - w->window_start > ENROLL_WINDOW_S * G_USEC_PER_SEC;
}

/* Once a second: requests past their deadline, requests whose connection
 * is gone, late enrolment answers that are due, memory to give back. A
 * client trickling its request holds only its own connection: past the
 * deadline the connection is shut, the others never wait for it. */
static gboolean
sweep_cb (gpointer user_data)
{
  TsuServer     *self = user_data;
  gint64         now = g_get_monotonic_time ();
  GHashTableIter iter;
  gpointer       key;
  g_autoptr (GPtrArray) late = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GPtrArray) gone = g_ptr_array_new_with_free_func (g_object_unref);

  g_hash_table_iter_init (&iter, self->inflight);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      RequestInfo *info = get_info (key);
      GSocket     *sock = soup_server_message_get_socket (key);

      if (sock == NULL || g_socket_is_closed (sock))
        g_ptr_array_add (gone, g_object_ref (key));
      else if (info != NULL && info->deadline != 0 && now > info->deadline)
        g_ptr_array_add (late, g_object_ref (key));
    }
  for (guint i = 0; i < gone->len; i++)
    request_done (self, gone->pdata[i], TRUE);
  for (guint i = 0; i < late->len; i++)
    {
      SoupServerMessage *msg = late->pdata[i];
      GSocket           *sock = soup_server_message_get_socket (msg);
      RequestInfo       *info = get_info (msg);

      tsu_server_log (self, TSU_LOG_INFO, "[%s-%" G_GUINT64_FORMAT "] request too slow, closing",
                      self->request_prefix, info->id);
      info->deadline = 0;
      if (sock != NULL)
        g_socket_shutdown (sock, TRUE, TRUE, NULL);
    }

  while (!g_queue_is_empty (&self->tarpit)
         && ((Tarpit *)g_queue_peek_head (&self->tarpit))->due <= now)
    {
      Tarpit *t = g_queue_pop_head (&self->tarpit);

      /* Not if its connection went meanwhile (libsoup refuses that). */
      if (g_hash_table_contains (self->inflight, t->msg))
        soup_server_message_unpause (t->msg);
      g_object_unref (t->msg);
      g_free (t);
    }

  if (++self->sweeps % 60 == 0)
    g_hash_table_foreach_remove (self->enrolls, enroll_window_expired, &now);

#ifdef __GLIBC__
  /* Large pages are freed in the middle of the heap, where glibc keeps
   * them; malloc_trim hands the free pages back to the system. */
  if (self->trim_pending && now - self->last_trim > 2 * G_USEC_PER_SEC)
    {
      malloc_trim (0);
      self->trim_pending = FALSE;
      self->last_trim = now;
    }
#endif
  return G_SOURCE_CONTINUE;
}

static void
tarpit_free (gpointer data)
{
  Tarpit *t = data;

  g_object_unref (t->msg);
  g_free (t);
}

static void
tsu_server_finalize (GObject *object)
{
  TsuServer *self = (TsuServer *)object;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_queue_clear_full (&self->tarpit, tarpit_free);
  g_clear_pointer (&self->inflight, g_hash_table_unref);
  g_clear_pointer (&self->buckets, g_hash_table_unref);
  g_clear_pointer (&self->enrolls, g_hash_table_unref);
  g_clear_pointer (&self->refused_pages, g_hash_table_unref);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_clear_pointer (&self->directory, tsu_directory_free);
  G_OBJECT_CLASS (tsu_server_parent_class)->finalize (object);
}

static void
tsu_server_class_init (TsuServerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_server_finalize;
}

static void
tsu_server_init (TsuServer *self)
{
  guint32 r = g_random_int ();

  self->inflight = g_hash_table_new_full (NULL, NULL, g_object_unref, NULL);
  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->enrolls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->refused_pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  g_queue_init (&self->tarpit);
  g_snprintf (self->request_prefix, sizeof self->request_prefix, "%08x", r);
  /* libsoup before 3.3 never closes a kept-alive connection that its
   * client closes while idle: the socket stays in CLOSE-WAIT and the
   * descriptor is lost (fixed in libsoup 3.3). There, every answer says
   * "Connection: close", so libsoup closes each connection once its
   * response is written. */
  self->close_each = soup_get_major_version () == 3 && soup_get_minor_version () < 3;
}

/**
 * tsu_server_new:
 * @directory: (transfer full): the data directory
 */
TsuServer *
tsu_server_new (TsuDirectory *directory, const TsuServerOptions *options)
{
  TsuServer *self = g_object_new (TSU_TYPE_SERVER, NULL);

  self->directory = directory;
  self->options = *options;
  return self;
}

/**
 * tsu_server_listen:
 * @address: "HOST:PORT"; port 0 picks a free one
 * @certificate: (nullable): serve HTTPS with it
 * @url: (out): where the server answers, with the real port
 */
gboolean
tsu_server_listen (
    TsuServer *self, const char *address, GTlsCertificate *certificate, char **url, GError **error)
{
  g_autoptr (GSocketConnectable) conn = NULL;
  g_autoptr (GSocketAddressEnumerator) en = NULL;
  g_autoptr (GSocketAddress) addr = NULL;
  g_autoptr (GSocket) sock = NULL;
  GSList *uris;

  conn = g_network_address_parse (address, 8443, error);
  if (conn == NULL)
    return FALSE;
  en = g_socket_connectable_enumerate (conn);
  addr = g_socket_address_enumerator_next (en, NULL, error);
  if (addr == NULL)
    return FALSE;

  self->soup = g_object_new (SOUP_TYPE_SERVER, "server-header", "tsunagu-server",
                             certificate ? "tls-certificate" : NULL, certificate, NULL);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, handler_cb, self, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  g_signal_connect (self->soup, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->soup, "request-aborted", G_CALLBACK (request_aborted_cb), self);

  /* Our own socket for its backlog: SoupServer listens with GLib's default
   * of 10, and a burst of connections (a monitoring probe, many desks at
   * nine in the morning) then waits in SYN retries. */
  sock = g_socket_new (g_socket_address_get_family (addr), G_SOCKET_TYPE_STREAM,
                       G_SOCKET_PROTOCOL_DEFAULT, error);
  if (sock == NULL)
    return FALSE;
  if (g_socket_address_get_family (addr) == G_SOCKET_FAMILY_IPV6)
    g_socket_set_option (sock, IPPROTO_IPV6, IPV6_V6ONLY, TRUE, NULL);
  g_socket_set_listen_backlog (sock, 1024);
  if (!g_socket_bind (sock, addr, TRUE, error) || !g_socket_listen (sock, error))
    return FALSE;
  if (!soup_server_listen_socket (self->soup, sock, certificate ? SOUP_SERVER_LISTEN_HTTPS : 0,
                                  error))
    return FALSE;
  uris = soup_server_get_uris (self->soup);
  if (uris != NULL)
    {
      g_autofree char *s = g_uri_to_string (uris->data);

      /* "http://127.0.0.1:8443/" without the trailing slash. */
      if (g_str_has_suffix (s, "/"))
        s[strlen (s) - 1] = '\0';
      *url = g_steal_pointer (&s);
    }
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  self->sweep_id = g_timeout_add_seconds (1, sweep_cb, self);
  return TRUE;
}
