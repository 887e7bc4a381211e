/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/random.h>

#include "tsu-directory.h"
#include "tsu-uuid.h"

#define CODE_ALPHABET "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#define CODE_LIFETIME_HOURS 24

struct _TsuDirectory
{
  char       *data_dir;
  sqlite3    *db;
  GHashTable *orgs;      /* org id → TsuOrgDb */
  GHashTable *last_seen; /* device id → monotonic µs of the last write */
};

static const char schema[]
    = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
      "CREATE TABLE IF NOT EXISTS orgs (id TEXT PRIMARY KEY NOT NULL, name TEXT NOT NULL,"
      "  created_at TEXT NOT NULL) STRICT;"
      "CREATE TABLE IF NOT EXISTS devices (id TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT NULL,"
      "  name TEXT NOT NULL, enrolled_at TEXT NOT NULL, last_seen TEXT, revoked_at TEXT) STRICT;"
      "CREATE TABLE IF NOT EXISTS tokens (hash TEXT PRIMARY KEY NOT NULL, device_id TEXT NOT NULL,"
      "  created_at TEXT NOT NULL, revoked_at TEXT) STRICT;"
      "CREATE TABLE IF NOT EXISTS enroll_codes (hash TEXT PRIMARY KEY NOT NULL, org_id TEXT NOT "
      "NULL,"
      "  created_at TEXT NOT NULL, expires_at TEXT NOT NULL, used_at TEXT) STRICT;";

typedef sqlite3_stmt *sqlite3_stmt_p;
G_DEFINE_AUTO_CLEANUP_FREE_FUNC (sqlite3_stmt_p, sqlite3_finalize, NULL)
#define auto_stmt g_auto (sqlite3_stmt_p)

static void
set_db_error (GError **error, sqlite3 *db)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "directory database: %s", sqlite3_errmsg (db));
}

static sqlite3_stmt *
prepare (TsuDirectory *self, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_critical ("prepare failed: %s", sqlite3_errmsg (self->db));
  return stmt;
}

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

/** tsu_directory_open: opens or creates the data directory's index */
TsuDirectory *
tsu_directory_open (const char *data_dir, GError **error)
{
  g_autoptr (TsuDirectory) self = g_new0 (TsuDirectory, 1);
  g_autofree char *orgs_dir = g_build_filename (data_dir, "orgs", NULL);
  g_autofree char *path = g_build_filename (data_dir, "directory.sqlite3", NULL);
  char            *msg = NULL;

  if (g_mkdir_with_parents (orgs_dir, 0700) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot create %s", orgs_dir);
      return NULL;
    }
  self->data_dir = g_strdup (data_dir);
  self->orgs
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify)tsu_org_db_free);
  self->last_seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", path);
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 10000);
  if (sqlite3_exec (self->db, schema, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "directory database: %s", msg);
      sqlite3_free (msg);
      return NULL;
    }
  g_chmod (path, 0600);
  return g_steal_pointer (&self);
}

/** tsu_directory_free: closes every database */
void
tsu_directory_free (TsuDirectory *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->orgs, g_hash_table_unref);
  g_clear_pointer (&self->last_seen, g_hash_table_unref);
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_free (self->data_dir);
  g_free (self);
}

static gboolean
org_exists (TsuDirectory *self, const char *org_id)
{
  auto_stmt stmt = prepare (self, "SELECT 1 FROM orgs WHERE id = ?");

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

/**
 * tsu_directory_get_org_db:
 *
 * Returns: (transfer none): the organisation's database, opened once
 */
TsuOrgDb *
tsu_directory_get_org_db (TsuDirectory *self, const char *org_id, GError **error)
{
  TsuOrgDb        *db = g_hash_table_lookup (self->orgs, org_id);
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  if (db != NULL)
    return db;
  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no organisation %s", org_id);
      return NULL;
    }
  name = g_strconcat (org_id, ".sqlite3", NULL);
  path = g_build_filename (self->data_dir, "orgs", name, NULL);
  db = tsu_org_db_open (path, error);
  if (db == NULL)
    return NULL;
  g_chmod (path, 0600);
  g_hash_table_insert (self->orgs, g_strdup (org_id), db);
  return db;
}

/** tsu_directory_org_create: Returns: (transfer full): the new organisation's id */
char *
tsu_directory_org_create (TsuDirectory *self, const char *name, GError **error)
{
  g_autofree char *id = tsu_uuid7_new ();
  g_autofree char *now = tsu_timestamp_now ();
  auto_stmt stmt = prepare (self, "INSERT INTO orgs (id, name, created_at) VALUES (?, ?, ?)");

  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           "an organisation needs a name");
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return NULL;
    }
  if (tsu_directory_get_org_db (self, id, error) == NULL)
    return NULL;
  return g_steal_pointer (&id);
}

/** tsu_directory_org_name: Returns: (transfer full) (nullable): the name */
char *
tsu_directory_org_name (TsuDirectory *self, const char *org_id)
{
  auto_stmt stmt = prepare (self, "SELECT name FROM orgs WHERE id = ?");

  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  return NULL;
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
  auto_stmt        stmt = NULL;
  int              j = 0;

  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no organisation %s", org_id);
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
  stmt = prepare (
      self, "INSERT INTO enroll_codes (hash, org_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, org_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, expires, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return NULL;
    }
  return g_strdup (code);
}

static gboolean
insert_token (TsuDirectory *self, const char *token, const char *device_id)
{
  g_autofree char *hash = tsu_token_hash (token);
  g_autofree char *now = tsu_timestamp_now ();
  auto_stmt        stmt
      = prepare (self, "INSERT INTO tokens (hash, device_id, created_at) VALUES (?, ?, ?)");

  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
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
  auto_stmt        find = NULL;
  auto_stmt        use = NULL;
  auto_stmt        add = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  find = prepare (
      self,
      "SELECT org_id FROM enroll_codes WHERE hash = ? AND used_at IS NULL AND expires_at > ?");
  sqlite3_bind_text (find, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (find, 2, now, -1, SQLITE_STATIC);
  if (sqlite3_step (find) != SQLITE_ROW)
    {
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "unknown, used or expired code");
      return FALSE;
    }
  org = g_strdup ((const char *)sqlite3_column_text (find, 0));
  use = prepare (self, "UPDATE enroll_codes SET used_at = ? WHERE hash = ?");
  sqlite3_bind_text (use, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (use, 2, hash, -1, SQLITE_STATIC);
  add = prepare (
      self,
      "INSERT INTO devices (id, org_id, name, enrolled_at, last_seen) VALUES (?, ?, ?, ?, ?)");
  sqlite3_bind_text (add, 1, dev, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 2, org, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 3, device_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 4, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (add, 5, now, -1, SQLITE_STATIC);
  if (sqlite3_step (use) != SQLITE_DONE || sqlite3_step (add) != SQLITE_DONE
      || !insert_token (self, tok, dev)
      || sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
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
  auto_stmt        stmt = NULL;

  if (token == NULL || *token == '\0')
    return TSU_AUTH_MISSING;
  if (strlen (token) > 128 || !g_str_has_prefix (token, "tsu1_"))
    return TSU_AUTH_INVALID;
  hash = tsu_token_hash (token);
  stmt = prepare (self, "SELECT d.org_id, d.id, d.name, t.revoked_at, d.revoked_at FROM tokens t"
                        " JOIN devices d ON d.id = t.device_id WHERE t.hash = ?");
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return TSU_AUTH_INVALID;
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    return TSU_AUTH_REVOKED;
  if (sqlite3_column_type (stmt, 3) != SQLITE_NULL)
    return TSU_AUTH_INVALID;
  *org_id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  *device_id = g_strdup ((const char *)sqlite3_column_text (stmt, 1));
  if (device_name)
    *device_name = g_strdup ((const char *)sqlite3_column_text (stmt, 2));
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
  g_autofree char *hash = tsu_token_hash (old_token);
  g_autofree char *now = tsu_timestamp_now ();
  auto_stmt        stmt = NULL;

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      return NULL;
    }
  stmt = prepare (self, "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL");
  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE || !insert_token (self, tok, device_id)
      || sqlite3_exec (self->db, "COMMIT;", NULL, NULL, NULL) != SQLITE_OK)
    {
      set_db_error (error, self->db);
      sqlite3_exec (self->db, "ROLLBACK;", NULL, NULL, NULL);
      return NULL;
    }
  return g_steal_pointer (&tok);
}

/** tsu_directory_revoke_token: the token stops working (401 afterwards) */
gboolean
tsu_directory_revoke_token (TsuDirectory *self, const char *token, GError **error)
{
  g_autofree char *hash = tsu_token_hash (token);
  g_autofree char *now = tsu_timestamp_now ();
  auto_stmt        stmt
      = prepare (self, "UPDATE tokens SET revoked_at = ? WHERE hash = ? AND revoked_at IS NULL");

  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, hash, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  return TRUE;
}

/** tsu_directory_revoke_device: every token of the device answers 403 afterwards */
gboolean
tsu_directory_revoke_device (TsuDirectory *self, const char *device_id, GError **error)
{
  g_autofree char *now = tsu_timestamp_now ();
  auto_stmt        stmt
      = prepare (self, "UPDATE devices SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?");

  sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      set_db_error (error, self->db);
      return FALSE;
    }
  if (sqlite3_changes (self->db) == 0)
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
  auto_stmt stmt = NULL;

  if (!tsu_uuid_is_valid (org_id) || !org_exists (self, org_id))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no organisation %s", org_id);
      return NULL;
    }
  stmt = prepare (self,
                  "SELECT id, name, enrolled_at, coalesce(last_seen, '-'), revoked_at FROM devices"
                  " WHERE org_id = ? ORDER BY enrolled_at, id");
  sqlite3_bind_text (stmt, 1, org_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (
        lines, g_strdup_printf ("%s\t%s\t%s\t%s%s", sqlite3_column_text (stmt, 0),
                                sqlite3_column_text (stmt, 1), sqlite3_column_text (stmt, 2),
                                sqlite3_column_text (stmt, 3),
                                sqlite3_column_type (stmt, 4) != SQLITE_NULL ? "\trevoked" : ""));
  return g_steal_pointer (&lines);
}

/** tsu_directory_touch_device: notes "last seen", at most once a minute */
void
tsu_directory_touch_device (TsuDirectory *self, const char *device_id)
{
  gint64           now = g_get_monotonic_time ();
  gint64          *last = g_hash_table_lookup (self->last_seen, device_id);
  g_autofree char *ts = NULL;
  auto_stmt        stmt = NULL;

  if (last != NULL && now - *last < 60 * G_USEC_PER_SEC)
    return;
  if (last == NULL)
    {
      last = g_new (gint64, 1);
      g_hash_table_insert (self->last_seen, g_strdup (device_id), last);
    }
  *last = now;
  ts = tsu_timestamp_now ();
  stmt = prepare (self, "UPDATE devices SET last_seen = ? WHERE id = ?");
  sqlite3_bind_text (stmt, 1, ts, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, device_id, -1, SQLITE_STATIC);
  sqlite3_step (stmt);
}
