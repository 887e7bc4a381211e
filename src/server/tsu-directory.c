/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <gio/gio.h>
#include <string.h>
#include <sys/random.h>

#include "tsu-directory.h"
#include "tsu-storage.h"
#ifdef HAVE_LIBPQ
#include "tsu-storage-pg.h"
#endif
#include "tsu-uuid.h"

#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define CODE_LIFETIME_HOURS 24

/* The directory's logic (tokens, codes, the organisations' databases
 * opened once); the rows live behind a TsuDirectoryOps backend. */
struct _TsuDirectory
{
  const TsuDirectoryOps *ops;
  gpointer               store;
  GHashTable            *orgs;      /* org id → TsuOrgDb */
  GHashTable            *last_seen; /* device id → monotonic µs of the last write */
};

#define S(fn, ...) (self->ops->fn (self->store, ##__VA_ARGS__))

/**
 * tsu_token_hash:
 *
 * Returns: (transfer full): the SHA-256 of @token, in hex: all the server keeps
 */
char *
tsu_token_hash (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static void
random_bytes (guint8 *buf, gsize n)
{
  gsize got = 0;

  while (got < n)
    {
      gssize r = getrandom (buf + got, n - got, 0);

      if (r <= 0)
        g_error ("no random bytes from the kernel");
      got += r;
    }
}

static char *
new_token (void)
{
  guint8           raw[32];
  g_autofree char *b64 = NULL;

  random_bytes (raw, sizeof raw);
  b64 = g_base64_encode (raw, sizeof raw);
  for (char *p = b64; *p; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      *p = '\0';
  return g_strconcat ("tsu1_", b64, NULL);
}

/* Upper-cased, without separators: how codes are compared and hashed. */
static char *
normalize_code (const char *code)
{
  GString *s = g_string_new (NULL);

  for (const char *p = code; *p && s->len < 64; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

/**
 * tsu_directory_new: (skip)
 * @store: (transfer full): the backend's directory
 */
TsuDirectory *
tsu_directory_new (const TsuDirectoryOps *ops, gpointer store)
{
  TsuDirectory *self = g_new0 (TsuDirectory, 1);

  self->ops = ops;
  self->store = store;
  self->orgs
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)tsu_org_db_free);
  self->last_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

/** tsu_directory_open: opens or creates the data directory (SQLite) */
TsuDirectory *
tsu_directory_open (const char *data_dir, GError **error)
{
  gpointer store = tsu_sqlite_directory_open (data_dir, error);

  return store ? tsu_directory_new (&tsu_sqlite_directory_ops, store) : NULL;
}

/**
 * tsu_directory_open_database:
 * @conninfo: a PostgreSQL connection string or postgresql:// URL
 *
 * The same directory on PostgreSQL (its schema made by tsunagu-server
 * migrate). Fails with G_IO_ERROR_NOT_SUPPORTED when built without libpq.
 */
TsuDirectory *
tsu_directory_open_database (const char *conninfo, GError **error)
{
#ifdef HAVE_LIBPQ
  return tsu_pg_directory_open (conninfo, error);
#else
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                       "this tsunagu-server was built without PostgreSQL (libpq)");
  return NULL;
#endif
}

/** tsu_directory_free: closes every database */
void
tsu_directory_free (TsuDirectory *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->orgs, g_hash_table_unref);
  g_clear_pointer (&self->last_seen, g_hash_table_unref);
  self->ops->free (self->store);
  g_free (self);
}

/** tsu_directory_backend: Returns: "sqlite" or "postgresql" */
const char *
tsu_directory_backend (TsuDirectory *self)
{
  return self->ops->name;
}

/** tsu_directory_ping: whether the database answers (the health check) */
gboolean
tsu_directory_ping (TsuDirectory *self, GError **error)
{
  return S (ping, error);
}

static gboolean
org_exists (TsuDirectory *self, const char *org_id)
{
  return S (org_exists, org_id) == 1;
}

static void
no_org (const char *org_id, GError **error)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no organisation %s", org_id);
}

/**
 * tsu_directory_get_org_db:
 *
 * Returns: (transfer none): the organisation's database, opened once
 */
TsuOrgDb *
tsu_directory_get_org_db (TsuDirectory *self, const char *org_id, GError **error)
{
  TsuOrgDb *db = g_hash_table_lookup (self->orgs, org_id);

  if (db != NULL)
    return db;
  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      no_org (org_id, error);
      return NULL;
    }
  db = S (open_org, org_id, error);
  if (db == NULL)
    return NULL;
  g_hash_table_insert (self->orgs, g_strdup (org_id), db);
  return db;
}

/** tsu_directory_org_create: Returns: (transfer full): the new organisation's id */
char *
tsu_directory_org_create (TsuDirectory *self, const char *name, GError **error)
{
  g_autofree char *id = tsu_uuid7_new ();
  g_autofree char *now = tsu_timestamp_now ();

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "an organisation needs a name");
      return NULL;
    }
  if (!S (org_insert, id, name, now, error))
    return NULL;
  if (tsu_directory_get_org_db (self, id, error) == NULL)
    return NULL;
  return g_steal_pointer (&id);
}

/** tsu_directory_org_name: Returns: (transfer full) (nullable): the name */
char *
tsu_directory_org_name (TsuDirectory *self, const char *org_id)
{
  return S (org_name, org_id);
}

/**
 * tsu_directory_enroll_code:
 *
 * Returns: (transfer full): a one-time enrolment code (XXXX-XXXX-XXXX),
 *   valid for 24 hours; only its hash is stored
 */
char *
tsu_directory_enroll_code (TsuDirectory *self, const char *org_id, GError **error)
{
  guint8           raw[12];
  char             code[15];
  g_autofree char *norm = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *now = tsu_timestamp_now ();
  g_autoptr (GDateTime) t = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) exp = g_date_time_add_hours (t, CODE_LIFETIME_HOURS);
  g_autofree char *expires = g_date_time_format_iso8601 (exp);
  int              j = 0;

  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      no_org (org_id, error);
      return NULL;
    }
  random_bytes (raw, sizeof raw);
  for (int i = 0; i < 12; i++)
    {
      if (i > 0 && i % 4 == 0)
        code[j++] = '-';
      code[j++] = CODE_ALPHABET[raw[i] % 32];
    }
  code[j] = '\0';
  norm = normalize_code (code);
  hash = tsu_token_hash (norm);
  if (!S (code_insert, hash, org_id, now, expires, error))
    return NULL;
  return g_strdup (code);
}

/**
 * tsu_directory_enroll:
 *
 * Spends a one-time code: creates the device and its first token.
 * Fails with G_IO_ERROR_NOT_FOUND for an unknown, used or expired code.
 */
gboolean
tsu_directory_enroll (TsuDirectory *self,
                      const char   *code,
                      const char   *device_name,
                      char        **org_id,
                      char        **device_id,
                      char        **token,
                      GError      **error)
{
  g_autofree char *norm = normalize_code (code);
  g_autofree char *hash = tsu_token_hash (norm);
  g_autofree char *now = tsu_timestamp_now ();
  g_autofree char *org = NULL;
  g_autofree char *dev = tsu_uuid7_new ();
  g_autofree char *tok = new_token ();
  g_autofree char *tok_hash = tsu_token_hash (tok);

  switch (S (enroll, hash, now, dev, device_name, tok_hash, &org, error))
    {
    case 1:
      break;
    case 0:
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "unknown, used or expired code");
      return FALSE;
    default:
      return FALSE;
    }
  *org_id = g_steal_pointer (&org);
  *device_id = g_steal_pointer (&dev);
  *token = g_steal_pointer (&tok);
  return TRUE;
}

/**
 * tsu_directory_authenticate:
 * @token: (nullable): the bearer token of a request
 *
 * The organisation comes from the token only.
 */
TsuAuthResult
tsu_directory_authenticate (
    TsuDirectory *self, const char *token, char **org_id, char **device_id, char **device_name)
{
  g_autofree char *hash = NULL;
  g_autofree char *org = NULL, *dev = NULL, *name = NULL;
  gboolean         token_revoked = FALSE, device_revoked = FALSE;

  if (token == NULL || *token == '\0')
    return TSU_AUTH_MISSING;
  if (strlen (token) > 128 || !g_str_has_prefix (token, "tsu1_"))
    return TSU_AUTH_INVALID;
  hash = tsu_token_hash (token);
  switch (S (token_lookup, hash, &org, &dev, &name, &token_revoked, &device_revoked))
    {
    case 1:
      break;
    case 0:
      return TSU_AUTH_INVALID;
    default:
      return TSU_AUTH_UNAVAILABLE;
    }
  if (device_revoked)
    return TSU_AUTH_REVOKED;
  if (token_revoked)
    return TSU_AUTH_INVALID;
  *org_id = g_steal_pointer (&org);
  *device_id = g_steal_pointer (&dev);
  if (device_name)
    *device_name = g_steal_pointer (&name);
  return TSU_AUTH_OK;
}

/**
 * tsu_directory_rotate_token:
 *
 * Returns: (transfer full): a new token for the device; @old_token stops
 *   working in the same transaction
 */
char *
tsu_directory_rotate_token (TsuDirectory *self,
                            const char   *old_token,
                            const char   *device_id,
                            GError      **error)
{
  g_autofree char *tok = new_token ();
  g_autofree char *new_hash = tsu_token_hash (tok);
  g_autofree char *hash = tsu_token_hash (old_token);
  g_autofree char *now = tsu_timestamp_now ();

  if (!S (token_rotate, hash, new_hash, device_id, now, error))
    return NULL;
  return g_steal_pointer (&tok);
}

/** tsu_directory_revoke_token: the token stops working (401 afterwards) */
gboolean
tsu_directory_revoke_token (TsuDirectory *self, const char *token, GError **error)
{
  g_autofree char *hash = tsu_token_hash (token);
  g_autofree char *now = tsu_timestamp_now ();

  return S (token_revoke, hash, now, error);
}

/** tsu_directory_revoke_device: every token of the device answers 403 afterwards */
gboolean
tsu_directory_revoke_device (TsuDirectory *self, const char *device_id, GError **error)
{
  g_autofree char *now = tsu_timestamp_now ();
  int              n = S (device_revoke, device_id, now, error);

  if (n < 0)
    return FALSE;
  if (n == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no device %s", device_id);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_directory_list_devices:
 *
 * Returns: (transfer full) (element-type utf8): one line per device:
 *   id, name, enrolled, last seen (and "revoked" when it is), tab-separated
 */
GPtrArray *
tsu_directory_list_devices (TsuDirectory *self, const char *org_id, GError **error)
{
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) rows = NULL;

  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      no_org (org_id, error);
      return NULL;
    }
  rows = S (devices, org_id, error);
  if (rows == NULL)
    return NULL;
  for (guint i = 0; i + 4 < rows->len; i += 5)
    g_ptr_array_add (lines, g_strdup_printf ("%s\t%s\t%s\t%s%s", (char *)rows->pdata[i],
                                             (char *)rows->pdata[i + 1], (char *)rows->pdata[i + 2],
                                             (char *)rows->pdata[i + 3],
                                             rows->pdata[i + 4] != NULL ? "\trevoked" : ""));
  return g_steal_pointer (&lines);
}

/** tsu_directory_touch_device: notes "last seen", at most once a minute */
void
tsu_directory_touch_device (TsuDirectory *self, const char *device_id)
{
  gint64           now = g_get_monotonic_time ();
  gint64          *last = g_hash_table_lookup (self->last_seen, device_id);
  g_autofree char *ts = NULL;

  if (last != NULL && now - *last < 60 * G_USEC_PER_SEC)
    return;
  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (self->last_seen, g_strdup (device_id), last);
    }
  *last = now;
  ts = tsu_timestamp_now ();
  S (device_touch, device_id, ts);
}
