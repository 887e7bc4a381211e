/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <gio/gio.h>
#include <libpq-fe.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sqlite3.h>
#include <string.h>

#include "tsu-collection.h"
#include "tsu-storage-pg.h"
#include "tsu-storage.h"
#include "tsu-uuid.h"

/* The PostgreSQL backend: every organisation in one set of tables, every
 * row and every query scoped by org_id.
 *
 * Writers of one organisation are serialised by its org_state row, locked
 * FOR UPDATE at the start of each write transaction (begin_write), in
 * every server process alike. So:
 * - the change sequence has no gaps visible to readers: change_seq is
 *   bumped in that row by the transaction that writes the rows, and the
 *   next writer of the organisation can only take a number after the
 *   previous one committed or rolled back; a pull reads change_seq and the
 *   rows in one REPEATABLE READ snapshot, so a cursor never passes a number
 *   whose row commits later;
 * - the guards (a registration number unique among live groups, bookings
 *   and confirmed matches that do not overlap) read, in READ COMMITTED
 *   after taking the lock, everything committed before: two processes
 *   receiving clashing pushes at once apply exactly one of them;
 * - the per-device push state (last_seq, stored results) is read and
 *   written under the same lock: a push retried on another process is a
 *   duplicate, never applied twice.
 * Organisations never wait for each other. */

#define SCHEMA_VERSION 1
#define RECONNECT_INTERVAL_US (1 * G_USEC_PER_SEC)

/* ---- the connection ---- */

typedef struct
{
  int      refs;
  PGconn  *conn;
  char    *conninfo;
  gint64   next_attempt; /* monotonic µs: reconnects at most once a second */
  gboolean lost;         /* the last failure was the connection */
} Pg;

static Pg *
pg_ref (Pg *pg)
{
  pg->refs++;
  return pg;
}

static void
pg_unref (Pg *pg)
{
  if (pg == NULL || --pg->refs > 0)
    return;
  if (pg->conn)
    PQfinish (pg->conn);
  if (pg->conninfo)
    memset (pg->conninfo, 0, strlen (pg->conninfo));
  g_free (pg->conninfo);
  g_free (pg);
}

static void
notice_cb (void *arg, const char *message)
{
  /* "relation already exists, skipping" and the like: not for the log. */
}

static PGconn *
connect_db (const char *conninfo)
{
  /* Ours first: the connection string's own values override them. The
   * server answers one request at a time, so a connection attempt to a
   * database host that does not answer holds everything: 2 s at most, and
   * keepalives notice a host that went away without closing. */
  const char *const keys[] = { "application_name",
                               "connect_timeout",
                               "keepalives_idle",
                               "keepalives_interval",
                               "keepalives_count",
                               "dbname",
                               NULL };
  const char *const values[] = { "tsunagu-server", "2", "30", "10", "3", conninfo, NULL };
  PGconn           *conn = PQconnectdbParams (keys, values, 1);

  if (conn != NULL && PQstatus (conn) == CONNECTION_OK)
    PQsetNoticeProcessor (conn, notice_cb, NULL);
  return conn;
}

/* Error messages of libpq name the host and the user, never the password. */
static char *
conn_error (PGconn *conn)
{
  g_autofree char *msg = g_strdup (conn ? PQerrorMessage (conn) : "out of memory");

  return g_strdup (g_strstrip (msg));
}

static Pg *
pg_open (const char *conninfo, GError **error)
{
  Pg *pg = g_new0 (Pg, 1);

  pg->refs = 1;
  pg->conninfo = g_strdup (conninfo);
  pg->conn = connect_db (conninfo);
  if (pg->conn == NULL || PQstatus (pg->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = conn_error (pg->conn);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "PostgreSQL: %s", msg);
      pg_unref (pg);
      return NULL;
    }
  return pg;
}

/* A connection that broke is made again, at most once a second, so that
 * while the database is away requests are answered 503 at once. */
static gboolean
pg_ensure (Pg *pg)
{
  gint64 now;

  if (pg->conn != NULL && PQstatus (pg->conn) == CONNECTION_OK)
    return TRUE;
  now = g_get_monotonic_time ();
  if (now < pg->next_attempt)
    return FALSE;
  pg->next_attempt = now + RECONNECT_INTERVAL_US;
  if (pg->conn != NULL)
    PQreset (pg->conn);
  else
    pg->conn = connect_db (pg->conninfo);
  if (pg->conn == NULL || PQstatus (pg->conn) != CONNECTION_OK)
    {
      g_autofree char *msg = conn_error (pg->conn);

      g_message ("PostgreSQL out of reach: %s", msg);
      return FALSE;
    }
  PQsetNoticeProcessor (pg->conn, notice_cb, NULL);
  g_message ("PostgreSQL connection made again");
  return TRUE;
}

/* Runs one statement. Returns its result, or NULL (pg->lost tells whether
 * the connection went). Outside a transaction a statement that found the
 * connection gone (a restarted database) is sent once more on a new one. */
static PGresult *
pg_run (Pg *pg, const char *sql, int n, const char *const *values)
{
  for (int attempt = 0; attempt < 2; attempt++)
    {
      gboolean         idle;
      PGresult        *res;
      ExecStatusType   st;
      g_autofree char *msg = NULL;

      if (!pg_ensure (pg))
        {
          pg->lost = TRUE;
          return NULL;
        }
      idle = PQtransactionStatus (pg->conn) == PQTRANS_IDLE;
      res = PQexecParams (pg->conn, sql, n, NULL, values, NULL, NULL, 0);
      st = PQresultStatus (res);
      if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        {
          pg->lost = FALSE;
          return res;
        }
      msg = g_strdup (res ? PQresultErrorMessage (res) : PQerrorMessage (pg->conn));
      PQclear (res);
      if (PQstatus (pg->conn) == CONNECTION_BAD)
        {
          pg->lost = TRUE;
          pg->next_attempt = 0;
          if (idle && attempt == 0)
            continue;
          return NULL;
        }
      pg->lost = FALSE;
      g_debug ("PostgreSQL: %s", g_strstrip (msg));
      return NULL;
    }
  return NULL;
}

/* Several statements without parameters (the schema). */
static gboolean
pg_script (Pg *pg, const char *sql)
{
  PGresult *res = PQexec (pg->conn, sql);
  gboolean  ok = PQresultStatus (res) == PGRES_COMMAND_OK;

  if (!ok)
    g_debug ("PostgreSQL: %s", PQresultErrorMessage (res));
  PQclear (res);
  return ok;
}

/* A statement whose result is not needed. */
static gboolean
pg_do (Pg *pg, const char *sql, int n, const char *const *values)
{
  PGresult *res = pg_run (pg, sql, n, values);

  PQclear (res);
  return res != NULL;
}

static char *
pg_value (PGresult *res, int row, int col)
{
  return PQgetisnull (res, row, col) ? NULL : g_strdup (PQgetvalue (res, row, col));
}

static void
pg_error (Pg *pg, GError **error)
{
  if (pg->lost)
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED, "PostgreSQL is out of reach");
  else
    {
      g_autofree char *msg = conn_error (pg->conn);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PostgreSQL: %s", msg);
    }
}

#define INT_TEXT(buf, v) (g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, (gint64)(v)), buf)

/* ---- schema ---- */

static const char schema_v1[]
    = "CREATE TABLE orgs (id text PRIMARY KEY, name text NOT NULL, created_at text NOT NULL);"
      /* One row per organisation: its counter, locked by each writer. */
      "CREATE TABLE org_state (org_id text PRIMARY KEY REFERENCES orgs (id),"
      "  epoch text NOT NULL, change_seq bigint NOT NULL DEFAULT 0,"
      "  horizon bigint NOT NULL DEFAULT 0);"
      "CREATE TABLE devices (id text PRIMARY KEY, org_id text NOT NULL REFERENCES orgs (id),"
      "  name text NOT NULL, enrolled_at text NOT NULL, last_seen text, revoked_at text);"
      "CREATE INDEX devices_org ON devices (org_id);"
      /* Tokens and codes: their SHA-256 only. */
      "CREATE TABLE tokens (hash text PRIMARY KEY, device_id text NOT NULL REFERENCES devices (id),"
      "  created_at text NOT NULL, revoked_at text);"
      "CREATE INDEX tokens_device ON tokens (device_id);"
      "CREATE TABLE enroll_codes (hash text PRIMARY KEY, org_id text NOT NULL REFERENCES orgs "
      "(id),"
      "  created_at text NOT NULL, expires_at text NOT NULL, used_at text);"
      /* rev is the change seq of the version: one counter orders everything. */
      "CREATE TABLE records (org_id text NOT NULL REFERENCES orgs (id), collection text NOT NULL,"
      "  id text NOT NULL, rev bigint NOT NULL, deleted integer NOT NULL DEFAULT 0,"
      "  erased integer NOT NULL DEFAULT 0, created_at text NOT NULL, updated_at text NOT NULL,"
      "  data text NOT NULL, PRIMARY KEY (org_id, collection, id));"
      "CREATE INDEX records_rev ON records (org_id, rev);"
      "CREATE TABLE versions (org_id text NOT NULL REFERENCES orgs (id), seq bigint NOT NULL,"
      "  collection text NOT NULL, id text NOT NULL, deleted integer NOT NULL, data text NOT NULL,"
      "  device_id text, mutation_seq bigint, at text NOT NULL, PRIMARY KEY (org_id, seq));"
      "CREATE INDEX versions_record ON versions (org_id, collection, id, seq);"
      "CREATE TABLE conflicts (org_id text NOT NULL REFERENCES orgs (id), id text NOT NULL,"
      "  seq bigint NOT NULL, collection text NOT NULL, record_id text NOT NULL,"
      "  type text NOT NULL, fields text NOT NULL, device_id text NOT NULL,"
      "  mutation_seq bigint NOT NULL, created_at text NOT NULL, resolution text,"
      "  resolved_by text, resolved_at text, PRIMARY KEY (org_id, id));"
      "CREATE INDEX conflicts_seq ON conflicts (org_id, seq);"
      "CREATE TABLE push_state (org_id text NOT NULL REFERENCES orgs (id),"
      "  device_id text NOT NULL, last_seq bigint NOT NULL DEFAULT 0,"
      "  PRIMARY KEY (org_id, device_id));"
      "CREATE TABLE results (org_id text NOT NULL, device_id text NOT NULL, seq bigint NOT NULL,"
      "  result text NOT NULL, PRIMARY KEY (org_id, device_id, seq));";

static const char *const migrations[] = { schema_v1 };

/* The expression index a guard's lookup uses (the same expression as
 * org_find): one per collection and lookup key, live records only. */
static char *
lookup_expr (const char *field)
{
  return g_strdup_printf ("((data::jsonb) ->> '%s')", field);
}

static gboolean
create_lookup_indexes (Pg *pg)
{
  const TsuCollection **all;
  guint                 n;

  all = tsu_collections_all (&n);
  for (guint i = 0; i < n; i++)
    for (guint k = 0; all[i]->lookup_keys && all[i]->lookup_keys[k]; k++)
      {
        g_autofree char *expr = lookup_expr (all[i]->lookup_keys[k]);
        g_autofree char *sql = g_strdup_printf (
            "CREATE INDEX IF NOT EXISTS \"records_%s_%s\" ON records (org_id, %s)"
            " WHERE collection = '%s' AND deleted = 0",
            all[i]->name, all[i]->lookup_keys[k], expr, all[i]->name);

        if (!pg_do (pg, sql, 0, NULL))
          return FALSE;
      }
  return TRUE;
}

/* -1: no schema table (a database never migrated) */
static int
schema_version (Pg *pg)
{
  PGresult *res = pg_run (pg, "SELECT to_regclass('tsunagu_schema') IS NULL", 0, NULL);
  int       v = -2;

  if (res == NULL || PQntuples (res) != 1)
    {
      PQclear (res);
      return -2;
    }
  if (PQgetvalue (res, 0, 0)[0] == 't')
    v = -1;
  PQclear (res);
  if (v == -1)
    return v;
  res = pg_run (pg, "SELECT coalesce(max(version), 0) FROM tsunagu_schema", 0, NULL);
  if (res != NULL && PQntuples (res) == 1)
    v = atoi (PQgetvalue (res, 0, 0));
  PQclear (res);
  return v;
}

static gboolean
check_schema (Pg *pg, GError **error)
{
  int v = schema_version (pg);

  if (v == -2)
    {
      pg_error (pg, error);
      return FALSE;
    }
  if (v < SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database has no Tsunagu schema or an older one (version %d);"
                   " run tsunagu-server migrate --database …",
                   MAX (v, 0));
      return FALSE;
    }
  if (v > SCHEMA_VERSION)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database schema (version %d) is newer than this server (%d)", v,
                   SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_pg_migrate:
 *
 * Creates or upgrades the schema, each step in one transaction with its
 * version; two migrations at once wait for each other (an advisory lock).
 *
 * Returns: the schema version now, or -1
 */
int
tsu_pg_migrate (const char *conninfo, int *from, GError **error)
{
  Pg *pg = pg_open (conninfo, error);
  int v;

  if (pg == NULL)
    return -1;
  if (!pg_do (pg, "BEGIN", 0, NULL)
      || !pg_do (pg, "SELECT pg_advisory_xact_lock(hashtext('tsunagu-server migrate'))", 0, NULL)
      || !pg_do (pg, "CREATE TABLE IF NOT EXISTS tsunagu_schema (version integer NOT NULL)", 0,
                 NULL)
      || (v = schema_version (pg)) < 0)
    goto failed;
  *from = v;
  if (v > SCHEMA_VERSION)
    {
      pg_do (pg, "ROLLBACK", 0, NULL);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "the database schema (version %d) is newer than this server (%d)", v,
                   SCHEMA_VERSION);
      pg_unref (pg);
      return -1;
    }
  for (; v < SCHEMA_VERSION; v++)
    {
      char        buf[16];
      const char *values[] = { INT_TEXT (buf, v + 1) };

      if (!pg_script (pg, migrations[v]) || !pg_do (pg, "DELETE FROM tsunagu_schema", 0, NULL)
          || !pg_do (pg, "INSERT INTO tsunagu_schema VALUES ($1::integer)", 1, values))
        goto failed;
    }
  /* Lookup keys a newer descriptor added get their index. */
  if (!create_lookup_indexes (pg))
    goto failed;
  {
    PGresult *res = pg_run (pg, "COMMIT", 0, NULL);

    if (res == NULL || !g_str_equal (PQcmdStatus (res), "COMMIT"))
      {
        PQclear (res);
        goto failed;
      }
    PQclear (res);
  }
  pg_unref (pg);
  return v;

failed:
  pg_error (pg, error);
  pg_do (pg, "ROLLBACK", 0, NULL);
  pg_unref (pg);
  return -1;
}

/* ---- organisation store ---- */

typedef struct
{
  Pg   *pg;
  char *org_id;
  int   savepoints;
} PgOrg;

static void
org_free (gpointer store)
{
  PgOrg *self = store;

  pg_unref (self->pg);
  g_free (self->org_id);
  g_free (self);
}

/* A statement with the organisation as $1 and @n more parameters. */
static PGresult *
org_run (PgOrg *self, const char *sql, int n, ...)
{
  const char *values[12];
  va_list     ap;

  g_assert (n < 11);
  values[0] = self->org_id;
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    values[i + 1] = va_arg (ap, const char *);
  va_end (ap);
  return pg_run (self->pg, sql, n + 1, values);
}

static gboolean
org_ok (PGresult *res)
{
  PQclear (res);
  return res != NULL;
}

static gboolean
org_begin_write (gpointer store)
{
  PgOrg    *self = store;
  PGresult *res;
  gboolean  ok;

  if (!pg_do (self->pg, "BEGIN", 0, NULL))
    return FALSE;
  res = org_run (self, "SELECT 1 FROM org_state WHERE org_id = $1 FOR UPDATE", 0);
  ok = res != NULL && PQntuples (res) == 1;
  PQclear (res);
  if (!ok)
    pg_do (self->pg, "ROLLBACK", 0, NULL);
  return ok;
}

static gboolean
org_begin_read (gpointer store)
{
  PgOrg *self = store;

  return pg_do (self->pg, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", 0, NULL);
}

static gboolean
org_commit (gpointer store)
{
  PgOrg    *self = store;
  PGresult *res = pg_run (self->pg, "COMMIT", 0, NULL);
  gboolean  ok;

  /* COMMIT of a failed transaction "succeeds" as ROLLBACK. */
  ok = res != NULL && g_str_equal (PQcmdStatus (res), "COMMIT");
  PQclear (res);
  return ok;
}

static void
org_rollback (gpointer store)
{
  PgOrg *self = store;

  if (self->pg->conn != NULL && PQtransactionStatus (self->pg->conn) != PQTRANS_IDLE)
    pg_do (self->pg, "ROLLBACK", 0, NULL);
}

static gboolean
org_savepoint (gpointer store)
{
  return pg_do (((PgOrg *)store)->pg, "SAVEPOINT mutation", 0, NULL);
}

static void
org_rollback_savepoint (gpointer store)
{
  pg_do (((PgOrg *)store)->pg, "ROLLBACK TO SAVEPOINT mutation", 0, NULL);
}

static void
org_release_savepoint (gpointer store)
{
  pg_do (((PgOrg *)store)->pg, "RELEASE SAVEPOINT mutation", 0, NULL);
}

static gboolean
org_unavailable (gpointer store)
{
  return ((PgOrg *)store)->pg->lost;
}

static const char *
meta_column (const char *key)
{
  if (g_str_equal (key, "epoch"))
    return "epoch";
  if (g_str_equal (key, "change_seq"))
    return "change_seq";
  if (g_str_equal (key, "horizon"))
    return "horizon";
  return NULL;
}

static char *
org_meta_get (gpointer store, const char *key)
{
  const char      *col = meta_column (key);
  g_autofree char *sql = NULL;
  PGresult        *res;
  char            *v = NULL;

  g_return_val_if_fail (col != NULL, NULL);
  sql = g_strdup_printf ("SELECT %s::text FROM org_state WHERE org_id = $1", col);
  res = org_run (store, sql, 0);
  if (res != NULL && PQntuples (res) == 1)
    v = pg_value (res, 0, 0);
  PQclear (res);
  return v;
}

static gboolean
org_meta_set (gpointer store, const char *key, const char *value)
{
  const char      *col = meta_column (key);
  g_autofree char *sql = NULL;

  g_return_val_if_fail (col != NULL, FALSE);
  sql = g_strdup_printf ("UPDATE org_state SET %s = $2%s WHERE org_id = $1", col,
                         g_str_equal (col, "epoch") ? "" : "::bigint");
  return org_ok (org_run (store, sql, 1, value));
}

static gint64
org_next_seq (gpointer store)
{
  PGresult *res = org_run (
      store,
      "UPDATE org_state SET change_seq = change_seq + 1 WHERE org_id = $1 RETURNING change_seq", 0);
  gint64 seq = -1;

  if (res != NULL && PQntuples (res) == 1)
    seq = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return seq;
}

static void
org_load_record (gpointer store, const char *collection, const char *id, TsuStoredRecord *out)
{
  PGresult *res = org_run (store,
                           "SELECT rev, deleted, created_at, data, erased FROM records"
                           " WHERE org_id = $1 AND collection = $2 AND id = $3",
                           2, collection, id);

  memset (out, 0, sizeof *out);
  if (res != NULL && PQntuples (res) == 1)
    {
      out->exists = TRUE;
      out->rev = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
      out->deleted = atoi (PQgetvalue (res, 0, 1)) != 0;
      out->created_at = pg_value (res, 0, 2);
      out->data = pg_value (res, 0, 3);
      out->erased = atoi (PQgetvalue (res, 0, 4)) != 0;
    }
  PQclear (res);
}

static char *
org_load_version (gpointer store, const char *collection, const char *id, gint64 seq)
{
  char      buf[32];
  PGresult *res = org_run (store,
                           "SELECT data FROM versions WHERE org_id = $1 AND seq = $2::bigint"
                           " AND collection = $3 AND id = $4",
                           3, INT_TEXT (buf, seq), collection, id);
  char     *v = NULL;

  if (res != NULL && PQntuples (res) == 1)
    v = pg_value (res, 0, 0);
  PQclear (res);
  return v;
}

static gboolean
org_write_version (gpointer    store,
                   const char *collection,
                   const char *id,
                   gint64      seq,
                   gboolean    deleted,
                   const char *created_at,
                   const char *now,
                   const char *text,
                   const char *device_id,
                   gint64      mutation_seq)
{
  char seq_s[32], mseq_s[32];

  INT_TEXT (seq_s, seq);
  INT_TEXT (mseq_s, mutation_seq);
  /* One statement: the record's row and its version. */
  return org_ok (org_run (
      store,
      "WITH r AS (INSERT INTO records (org_id, collection, id, rev, deleted, created_at,"
      "   updated_at, data) VALUES ($1, $2, $3, $4::bigint, $5::integer, $6, $7, $8)"
      "   ON CONFLICT (org_id, collection, id) DO UPDATE SET rev = excluded.rev,"
      "   deleted = excluded.deleted, updated_at = excluded.updated_at, data = excluded.data)"
      " INSERT INTO versions (org_id, seq, collection, id, deleted, data, device_id,"
      "   mutation_seq, at) VALUES ($1, $4::bigint, $2, $3, $5::integer, $8, $9, $10::bigint, $7)",
      9, collection, id, seq_s, deleted ? "1" : "0", created_at, now, text, device_id, mseq_s));
}

static gboolean
org_write_conflict (gpointer    store,
                    const char *id,
                    gint64      seq,
                    const char *collection,
                    const char *record_id,
                    const char *type,
                    const char *text,
                    const char *device_id,
                    gint64      mutation_seq,
                    const char *now)
{
  char seq_s[32], mseq_s[32];

  return org_ok (org_run (
      store,
      "INSERT INTO conflicts (org_id, id, seq, collection, record_id, type, fields, device_id,"
      " mutation_seq, created_at) VALUES ($1, $2, $3::bigint, $4, $5, $6, $7, $8, $9::bigint, $10)",
      9, id, INT_TEXT (seq_s, seq), collection, record_id, type, text, device_id,
      INT_TEXT (mseq_s, mutation_seq), now));
}

static GPtrArray *
org_find (gpointer    store,
          const char *collection,
          const char *field,
          const char *value,
          const char *start_field,
          const char *end_field,
          const char *from,
          const char *to,
          GError    **error)
{
  PgOrg           *self = store;
  g_autofree char *expr = lookup_expr (field);
  g_autoptr (GString) sql = g_string_new (NULL);
  GPtrArray *rows;
  PGresult  *res;

  /* Names come from the descriptors (identifiers), never from a push; the
   * literal collection lets the planner use the partial index. Times
   * compare as the desk's ISO 8601 text, byte by byte. */
  g_string_printf (sql,
                   "SELECT id, data FROM records WHERE org_id = $1 AND collection = '%s'"
                   " AND deleted = 0 AND %s = $2",
                   collection, expr);
  if (start_field != NULL)
    {
      g_autofree char *start = lookup_expr (start_field);
      g_autofree char *end = lookup_expr (end_field);

      g_string_append_printf (sql, " AND %s < $4 COLLATE \"C\" AND %s > $3 COLLATE \"C\"", start,
                              end);
      res = org_run (self, sql->str, 3, value, from, to);
    }
  else
    res = org_run (self, sql->str, 1, value);
  if (res == NULL)
    {
      pg_error (self->pg, error);
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    {
      g_ptr_array_add (rows, pg_value (res, i, 0));
      g_ptr_array_add (rows, pg_value (res, i, 1));
    }
  PQclear (res);
  return rows;
}

static GPtrArray *
org_versions (gpointer store, const char *collection, const char *id, GArray *seqs)
{
  PGresult  *res = org_run (store,
                            "SELECT seq, data FROM versions WHERE org_id = $1 AND collection = $2"
                             " AND id = $3 ORDER BY seq",
                            2, collection, id);
  GPtrArray *texts = g_ptr_array_new_with_free_func (g_free);

  for (int i = 0; res != NULL && i < PQntuples (res); i++)
    {
      gint64 seq = g_ascii_strtoll (PQgetvalue (res, i, 0), NULL, 10);

      g_array_append_val (seqs, seq);
      g_ptr_array_add (texts, pg_value (res, i, 1));
    }
  PQclear (res);
  return texts;
}

static gboolean
org_set_version_data (gpointer store, gint64 seq, const char *data)
{
  char buf[32];

  return org_ok (org_run (store,
                          "UPDATE versions SET data = $3 WHERE org_id = $1 AND seq = $2::bigint", 2,
                          INT_TEXT (buf, seq), data));
}

static gboolean
org_drop_conflicts (gpointer store, const char *collection, const char *record_id)
{
  return org_ok (org_run (
      store, "DELETE FROM conflicts WHERE org_id = $1 AND collection = $2 AND record_id = $3", 2,
      collection, record_id));
}

static gboolean
org_mark_erased (gpointer store, const char *collection, const char *id)
{
  return org_ok (org_run (
      store, "UPDATE records SET erased = 1 WHERE org_id = $1 AND collection = $2 AND id = $3", 2,
      collection, id));
}

static void
org_after_erase (gpointer store)
{
  /* Old row versions go with VACUUM (autovacuum); see sync-operations.md. */
}

static gint64
org_device_last_seq (gpointer store, const char *device_id)
{
  PGresult *res = org_run (
      store, "SELECT last_seq FROM push_state WHERE org_id = $1 AND device_id = $2", 1, device_id);
  gint64 v = 0;

  if (res != NULL && PQntuples (res) == 1)
    v = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  return v;
}

static gboolean
org_set_device_last_seq (gpointer store, const char *device_id, gint64 last_seq)
{
  char buf[32];

  return org_ok (org_run (store,
                          "INSERT INTO push_state (org_id, device_id, last_seq)"
                          " VALUES ($1, $2, $3::bigint) ON CONFLICT (org_id, device_id)"
                          " DO UPDATE SET last_seq = excluded.last_seq",
                          2, device_id, INT_TEXT (buf, last_seq)));
}

static char *
org_result_get (gpointer store, const char *device_id, gint64 seq)
{
  char      buf[32];
  PGresult *res = org_run (
      store, "SELECT result FROM results WHERE org_id = $1 AND device_id = $2 AND seq = $3::bigint",
      2, device_id, INT_TEXT (buf, seq));
  char *v = NULL;

  if (res != NULL && PQntuples (res) == 1)
    v = pg_value (res, 0, 0);
  PQclear (res);
  return v;
}

static gboolean
org_result_put (gpointer store, const char *device_id, gint64 seq, const char *text)
{
  char buf[32];

  return org_ok (org_run (
      store, "INSERT INTO results (org_id, device_id, seq, result) VALUES ($1, $2, $3::bigint, $4)",
      3, device_id, INT_TEXT (buf, seq), text));
}

static gboolean
org_pull (gpointer       store,
          gint64         seq,
          gint64         full_from,
          guint          limit,
          TsuPullRowFunc func,
          gpointer       user_data)
{
  char      a[32], b[32], c[32];
  PGresult *res = org_run (
      store,
      "SELECT 0, collection, id, rev, deleted, created_at, updated_at, data, erased::text, NULL,"
      "       NULL, NULL, NULL"
      "  FROM records WHERE org_id = $1 AND rev > $2::bigint"
      "   AND ($3::bigint < 0 OR deleted = 0 OR rev > $3::bigint)"
      " UNION ALL "
      "SELECT 1, collection, id, seq, (resolution IS NOT NULL)::integer, created_at, resolved_at,"
      "       fields, record_id, type, device_id, mutation_seq, resolution"
      "  FROM conflicts WHERE org_id = $1 AND seq > $2::bigint"
      "   AND ($3::bigint < 0 OR resolution IS NULL OR seq > $3::bigint)"
      " ORDER BY 4 LIMIT $4::bigint",
      3, INT_TEXT (a, seq), INT_TEXT (b, full_from), INT_TEXT (c, limit));

  if (res == NULL)
    return FALSE;
  for (int i = 0; i < PQntuples (res); i++)
    {
      TsuPullRow row = { 0 };

      row.conflict = PQgetvalue (res, i, 0)[0] == '1';
      row.collection = PQgetvalue (res, i, 1);
      row.id = PQgetvalue (res, i, 2);
      row.seq = g_ascii_strtoll (PQgetvalue (res, i, 3), NULL, 10);
      row.deleted = PQgetvalue (res, i, 4)[0] == '1';
      row.created_at = PQgetvalue (res, i, 5);
      row.updated_at = PQgetvalue (res, i, 6);
      row.data = PQgetvalue (res, i, 7);
      if (!row.conflict)
        row.erased = PQgetvalue (res, i, 8)[0] == '1';
      else
        {
          row.record_id = PQgetvalue (res, i, 8);
          row.type = PQgetvalue (res, i, 9);
          row.device_id = PQgetvalue (res, i, 10);
          row.mutation_seq = g_ascii_strtoll (PQgetvalue (res, i, 11), NULL, 10);
          row.resolution = PQgetisnull (res, i, 12) ? NULL : PQgetvalue (res, i, 12);
        }
      if (!func (&row, user_data))
        break;
    }
  PQclear (res);
  return TRUE;
}

static int
org_conflict_get (gpointer    store,
                  const char *id,
                  char      **collection,
                  char      **record_id,
                  char      **type,
                  char      **fields,
                  char      **resolution)
{
  PGresult *res = org_run (store,
                           "SELECT collection, record_id, type, fields, resolution FROM conflicts"
                           " WHERE org_id = $1 AND id = $2",
                           1, id);
  int       found;

  if (res == NULL)
    return -1;
  found = PQntuples (res) == 1;
  if (found)
    {
      *collection = pg_value (res, 0, 0);
      *record_id = pg_value (res, 0, 1);
      *type = pg_value (res, 0, 2);
      *fields = pg_value (res, 0, 3);
      *resolution = pg_value (res, 0, 4);
    }
  PQclear (res);
  return found;
}

static gboolean
org_conflict_resolve (
    gpointer store, const char *id, gint64 seq, const char *choice, const char *by, const char *now)
{
  char buf[32];

  return org_ok (
      org_run (store,
               "UPDATE conflicts SET seq = $3::bigint, resolution = $4, resolved_by = $5,"
               " resolved_at = $6 WHERE org_id = $1 AND id = $2",
               5, id, INT_TEXT (buf, seq), choice, by, now));
}

static gint64
org_purge (gpointer store, const char *before, gint64 *max_seq)
{
  PGresult *res = org_run (
      store,
      "SELECT max(s) FROM (SELECT rev AS s FROM records WHERE org_id = $1 AND deleted = 1"
      "   AND updated_at <= $2 COLLATE \"C\""
      " UNION ALL SELECT seq FROM conflicts WHERE org_id = $1 AND resolved_at IS NOT NULL"
      "   AND resolved_at <= $2 COLLATE \"C\") AS t",
      1, before);
  gint64 n = 0;

  if (res == NULL)
    return -1;
  if (PQntuples (res) == 1 && !PQgetisnull (res, 0, 0))
    *max_seq = g_ascii_strtoll (PQgetvalue (res, 0, 0), NULL, 10);
  PQclear (res);
  res = org_run (store,
                 "DELETE FROM records WHERE org_id = $1 AND deleted = 1"
                 " AND updated_at <= $2 COLLATE \"C\"",
                 1, before);
  if (res == NULL)
    return -1;
  n += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  PQclear (res);
  res = org_run (store,
                 "DELETE FROM conflicts WHERE org_id = $1 AND resolved_at IS NOT NULL"
                 " AND resolved_at <= $2 COLLATE \"C\"",
                 1, before);
  if (res == NULL)
    return -1;
  n += g_ascii_strtoll (PQcmdTuples (res), NULL, 10);
  PQclear (res);
  return n;
}

static const TsuOrgStoreOps pg_org_ops = {
  .free = org_free,
  .begin_write = org_begin_write,
  .begin_read = org_begin_read,
  .commit = org_commit,
  .rollback = org_rollback,
  .savepoint = org_savepoint,
  .rollback_savepoint = org_rollback_savepoint,
  .release_savepoint = org_release_savepoint,
  .unavailable = org_unavailable,
  .meta_get = org_meta_get,
  .meta_set = org_meta_set,
  .next_seq = org_next_seq,
  .load_record = org_load_record,
  .load_version = org_load_version,
  .write_version = org_write_version,
  .write_conflict = org_write_conflict,
  .find = org_find,
  .versions = org_versions,
  .set_version_data = org_set_version_data,
  .drop_conflicts = org_drop_conflicts,
  .mark_erased = org_mark_erased,
  .after_erase = org_after_erase,
  .device_last_seq = org_device_last_seq,
  .set_device_last_seq = org_set_device_last_seq,
  .result_get = org_result_get,
  .result_put = org_result_put,
  .pull = org_pull,
  .conflict_get = org_conflict_get,
  .conflict_resolve = org_conflict_resolve,
  .purge = org_purge,
};

/* ---- directory ---- */

/* The directory and the organisations of a process share one connection:
 * the server answers one request at a time. */
typedef struct
{
  Pg *pg;
} PgDir;

static void
dir_free (gpointer store)
{
  PgDir *self = store;

  pg_unref (self->pg);
  g_free (self);
}

static PGresult *
dir_run (PgDir *self, const char *sql, int n, ...)
{
  const char *values[12];
  va_list     ap;

  g_assert (n <= 12);
  va_start (ap, n);
  for (int i = 0; i < n; i++)
    values[i] = va_arg (ap, const char *);
  va_end (ap);
  return pg_run (self->pg, sql, n, values);
}

static gboolean
dir_ping (gpointer store, GError **error)
{
  PgDir    *self = store;
  PGresult *res = dir_run (self, "SELECT 1", 0);

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static TsuOrgDb *
dir_open_org (gpointer store, const char *org_id, GError **error)
{
  PgDir *self = store;
  PgOrg *org = g_new0 (PgOrg, 1);

  org->pg = pg_ref (self->pg);
  org->org_id = g_strdup (org_id);
  return tsu_org_db_new (&pg_org_ops, org);
}

static int
dir_org_exists (gpointer store, const char *org_id)
{
  PGresult *res = dir_run (store, "SELECT 1 FROM orgs WHERE id = $1", 1, org_id);
  int       found;

  if (res == NULL)
    return -1;
  found = PQntuples (res) == 1;
  PQclear (res);
  return found;
}

static gboolean
dir_org_insert (gpointer store, const char *id, const char *name, const char *now, GError **error)
{
  PgDir           *self = store;
  g_autofree char *epoch = tsu_uuid7_new ();
  PGresult        *res = dir_run (
             self,
             "WITH o AS (INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3) RETURNING id)"
                    " INSERT INTO org_state (org_id, epoch) SELECT id, $4 FROM o",
             4, id, name, now, epoch);

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static char *
dir_org_name (gpointer store, const char *org_id)
{
  PGresult *res = dir_run (store, "SELECT name FROM orgs WHERE id = $1", 1, org_id);
  char     *v = NULL;

  if (res != NULL && PQntuples (res) == 1)
    v = pg_value (res, 0, 0);
  PQclear (res);
  return v;
}

static gboolean
dir_code_insert (gpointer    store,
                 const char *hash,
                 const char *org_id,
                 const char *now,
                 const char *expires,
                 GError    **error)
{
  PgDir    *self = store;
  PGresult *res = dir_run (
      self,
      "INSERT INTO enroll_codes (hash, org_id, created_at, expires_at) VALUES ($1, $2, $3, $4)", 4,
      hash, org_id, now, expires);

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static int
dir_enroll (gpointer    store,
            const char *hash,
            const char *now,
            const char *dev,
            const char *device_name,
            const char *token_hash,
            char      **org_id,
            GError    **error)
{
  PgDir    *self = store;
  PGresult *res;
  int       found;

  /* One statement: the code is spent by exactly one enrolment, also when
   * two processes receive it at once. */
  res = dir_run (self,
                 "WITH code AS (UPDATE enroll_codes SET used_at = $2 WHERE hash = $1"
                 "   AND used_at IS NULL AND expires_at > $2 COLLATE \"C\" RETURNING org_id),"
                 " dev AS (INSERT INTO devices (id, org_id, name, enrolled_at, last_seen)"
                 "   SELECT $3, org_id, $4, $2, $2 FROM code RETURNING id, org_id),"
                 " tok AS (INSERT INTO tokens (hash, device_id, created_at)"
                 "   SELECT $5, id, $2 FROM dev RETURNING device_id)"
                 " SELECT dev.org_id FROM dev JOIN tok ON tok.device_id = dev.id",
                 5, hash, now, dev, device_name, token_hash);
  if (res == NULL)
    {
      pg_error (self->pg, error);
      return -1;
    }
  found = PQntuples (res) == 1;
  if (found)
    *org_id = pg_value (res, 0, 0);
  PQclear (res);
  return found;
}

static int
dir_token_lookup (gpointer    store,
                  const char *hash,
                  char      **org_id,
                  char      **device_id,
                  char      **device_name,
                  gboolean   *token_revoked,
                  gboolean   *device_revoked)
{
  PGresult *res = dir_run (store,
                           "SELECT d.org_id, d.id, d.name, t.revoked_at IS NOT NULL,"
                           " d.revoked_at IS NOT NULL FROM tokens t"
                           " JOIN devices d ON d.id = t.device_id WHERE t.hash = $1",
                           1, hash);
  int       found;

  if (res == NULL)
    return ((PgDir *)store)->pg->lost ? -1 : 0;
  found = PQntuples (res) == 1;
  if (found)
    {
      *org_id = pg_value (res, 0, 0);
      *device_id = pg_value (res, 0, 1);
      *device_name = pg_value (res, 0, 2);
      *token_revoked = PQgetvalue (res, 0, 3)[0] == 't';
      *device_revoked = PQgetvalue (res, 0, 4)[0] == 't';
    }
  PQclear (res);
  return found;
}

static gboolean
dir_token_rotate (gpointer    store,
                  const char *old_hash,
                  const char *new_hash,
                  const char *device_id,
                  const char *now,
                  GError    **error)
{
  PgDir    *self = store;
  PGresult *res = dir_run (
      self,
      "WITH old AS (UPDATE tokens SET revoked_at = $3 WHERE hash = $1 AND revoked_at IS NULL)"
      " INSERT INTO tokens (hash, device_id, created_at) VALUES ($2, $4, $3)",
      4, old_hash, new_hash, now, device_id);

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static gboolean
dir_token_revoke (gpointer store, const char *hash, const char *now, GError **error)
{
  PgDir    *self = store;
  PGresult *res
      = dir_run (self, "UPDATE tokens SET revoked_at = $2 WHERE hash = $1 AND revoked_at IS NULL",
                 2, hash, now);

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return FALSE;
    }
  PQclear (res);
  return TRUE;
}

static int
dir_device_revoke (gpointer store, const char *device_id, const char *now, GError **error)
{
  PgDir    *self = store;
  PGresult *res
      = dir_run (self, "UPDATE devices SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1", 2,
                 device_id, now);
  int n;

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return -1;
    }
  n = atoi (PQcmdTuples (res));
  PQclear (res);
  return n;
}

static GPtrArray *
dir_devices (gpointer store, const char *org_id, GError **error)
{
  PgDir    *self = store;
  PGresult *res
      = dir_run (self,
                 "SELECT id, name, enrolled_at, coalesce(last_seen, '-'), revoked_at FROM devices"
                 " WHERE org_id = $1 ORDER BY enrolled_at COLLATE \"C\", id COLLATE \"C\"",
                 1, org_id);
  GPtrArray *rows;

  if (res == NULL)
    {
      pg_error (self->pg, error);
      return NULL;
    }
  rows = g_ptr_array_new_with_free_func (g_free);
  for (int i = 0; i < PQntuples (res); i++)
    for (int j = 0; j < 5; j++)
      g_ptr_array_add (rows, pg_value (res, i, j));
  PQclear (res);
  return rows;
}

static void
dir_device_touch (gpointer store, const char *device_id, const char *now)
{
  PQclear (dir_run (store, "UPDATE devices SET last_seen = $2 WHERE id = $1", 2, device_id, now));
}

static const TsuDirectoryOps pg_dir_ops = {
  .name = "postgresql",
  .free = dir_free,
  .ping = dir_ping,
  .open_org = dir_open_org,
  .org_exists = dir_org_exists,
  .org_insert = dir_org_insert,
  .org_name = dir_org_name,
  .code_insert = dir_code_insert,
  .enroll = dir_enroll,
  .token_lookup = dir_token_lookup,
  .token_rotate = dir_token_rotate,
  .token_revoke = dir_token_revoke,
  .device_revoke = dir_device_revoke,
  .devices = dir_devices,
  .device_touch = dir_device_touch,
};

/**
 * tsu_pg_directory_open:
 * @conninfo: a libpq connection string or postgresql:// URL
 *
 * Connects and checks the schema version (tsunagu-server migrate makes it).
 */
TsuDirectory *
tsu_pg_directory_open (const char *conninfo, GError **error)
{
  Pg    *pg = pg_open (conninfo, error);
  PgDir *self;

  if (pg == NULL)
    return NULL;
  if (!check_schema (pg, error))
    {
      pg_unref (pg);
      return NULL;
    }
  self = g_new0 (PgDir, 1);
  self->pg = pg;
  return tsu_directory_new (&pg_dir_ops, self);
}

/**
 * tsu_pg_conninfo_has_password:
 *
 * Returns: whether @conninfo carries a password (refused on a command
 *   line, where every user of the machine can read it)
 */
gboolean
tsu_pg_conninfo_has_password (const char *conninfo, GError **error)
{
  char             *msg = NULL;
  PQconninfoOption *opts = PQconninfoParse (conninfo, &msg);
  gboolean          found = FALSE;

  if (opts == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "not a connection string: %s",
                   msg ? g_strstrip (msg) : "out of memory");
      PQfreemem (msg);
      return FALSE;
    }
  for (PQconninfoOption *o = opts; o->keyword != NULL; o++)
    if (g_str_equal (o->keyword, "password") && o->val != NULL && *o->val != '\0')
      found = TRUE;
  PQconninfoFree (opts);
  return found;
}

/* ---- import-sqlite ---- */

typedef struct
{
  const char *name;
  const char *sqlite; /* the rows of the SQLite file, in a fixed order */
  const char *pg;     /* the same rows of one organisation ($1), in the same order */
  const char *insert; /* $1 is the organisation */
  int         n;      /* columns */
} Table;

/* Orders are byte orders on both sides (COLLATE "C"). */
static const Table org_tables[] = {
  { "records",
    "SELECT collection, id, rev, deleted, erased, created_at, updated_at, data FROM records"
    " ORDER BY collection, id",
    "SELECT collection, id, rev, deleted, erased, created_at, updated_at, data FROM records"
    " WHERE org_id = $1 ORDER BY collection COLLATE \"C\", id COLLATE \"C\"",
    "INSERT INTO records (org_id, collection, id, rev, deleted, erased, created_at, updated_at,"
    " data) VALUES ($1, $2, $3, $4::bigint, $5::integer, $6::integer, $7, $8, $9)",
    8 },
  { "versions",
    "SELECT seq, collection, id, deleted, data, device_id, mutation_seq, at FROM versions"
    " ORDER BY seq",
    "SELECT seq, collection, id, deleted, data, device_id, mutation_seq, at FROM versions"
    " WHERE org_id = $1 ORDER BY seq",
    "INSERT INTO versions (org_id, seq, collection, id, deleted, data, device_id, mutation_seq,"
    " at) VALUES ($1, $2::bigint, $3, $4, $5::integer, $6, $7, $8::bigint, $9)",
    8 },
  { "conflicts",
    "SELECT id, seq, collection, record_id, type, fields, device_id, mutation_seq, created_at,"
    " resolution, resolved_by, resolved_at FROM conflicts ORDER BY id",
    "SELECT id, seq, collection, record_id, type, fields, device_id, mutation_seq, created_at,"
    " resolution, resolved_by, resolved_at FROM conflicts WHERE org_id = $1 ORDER BY id COLLATE "
    "\"C\"",
    "INSERT INTO conflicts (org_id, id, seq, collection, record_id, type, fields, device_id,"
    " mutation_seq, created_at, resolution, resolved_by, resolved_at) VALUES ($1, $2,"
    " $3::bigint, $4, $5, $6, $7, $8, $9::bigint, $10, $11, $12, $13)",
    12 },
  { "push states", "SELECT id, last_seq FROM devices ORDER BY id",
    "SELECT device_id, last_seq FROM push_state WHERE org_id = $1 ORDER BY device_id COLLATE "
    "\"C\"",
    "INSERT INTO push_state (org_id, device_id, last_seq) VALUES ($1, $2, $3::bigint)", 2 },
  { "results", "SELECT device_id, seq, result FROM results ORDER BY device_id, seq",
    "SELECT device_id, seq, result FROM results WHERE org_id = $1"
    " ORDER BY device_id COLLATE \"C\", seq",
    "INSERT INTO results (org_id, device_id, seq, result) VALUES ($1, $2, $3::bigint, $4)", 3 },
};

static const Table dir_tables[] = {
  { "devices",
    "SELECT id, org_id, name, enrolled_at, last_seen, revoked_at FROM devices ORDER BY id",
    "SELECT id, org_id, name, enrolled_at, last_seen, revoked_at FROM devices"
    " WHERE org_id = ANY (string_to_array($1, ',')) ORDER BY id COLLATE \"C\"",
    "INSERT INTO devices (id, org_id, name, enrolled_at, last_seen, revoked_at)"
    " VALUES ($1, $2, $3, $4, $5, $6)",
    6 },
  { "tokens",
    "SELECT t.hash, t.device_id, t.created_at, t.revoked_at FROM tokens t"
    " JOIN devices d ON d.id = t.device_id ORDER BY t.hash",
    "SELECT t.hash, t.device_id, t.created_at, t.revoked_at FROM tokens t JOIN devices d"
    " ON d.id = t.device_id WHERE d.org_id = ANY (string_to_array($1, ','))"
    " ORDER BY t.hash COLLATE \"C\"",
    "INSERT INTO tokens (hash, device_id, created_at, revoked_at) VALUES ($1, $2, $3, $4)", 4 },
  { "enrolment codes",
    "SELECT hash, org_id, created_at, expires_at, used_at FROM enroll_codes ORDER BY hash",
    "SELECT hash, org_id, created_at, expires_at, used_at FROM enroll_codes"
    " WHERE org_id = ANY (string_to_array($1, ',')) ORDER BY hash COLLATE \"C\"",
    "INSERT INTO enroll_codes (hash, org_id, created_at, expires_at, used_at)"
    " VALUES ($1, $2, $3, $4, $5)",
    5 },
};

static void
digest_row (GChecksum *sum, const char *const *values, int n)
{
  for (int i = 0; i < n; i++)
    {
      /* NULL and "" differ; fields are separated by a byte no text holds. */
      if (values[i] == NULL)
        g_checksum_update (sum, (const guchar *)"\x01N", 2);
      else
        {
          g_checksum_update (sum, (const guchar *)"\x01V", 2);
          g_checksum_update (sum, (const guchar *)values[i], strlen (values[i]));
        }
    }
  g_checksum_update (sum, (const guchar *)"\x02", 1);
}

/* Copies one table's rows from @db into PostgreSQL (unless @copy is FALSE)
 * and digests them; *@count: rows. */
static gboolean
copy_table (sqlite3     *db,
            Pg          *pg,
            const Table *t,
            const char  *org_id,
            gboolean     copy,
            GChecksum   *sum,
            gint64      *count,
            GError     **error)
{
  sqlite3_stmt *stmt = NULL;
  int           rc;

  *count = 0;
  if (sqlite3_prepare_v2 (db, t->sqlite, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite %s: %s", t->name,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *values[14];

      values[0] = org_id;
      for (int i = 0; i < t->n; i++)
        values[i + 1] = (const char *)sqlite3_column_text (stmt, i);
      digest_row (sum, values + 1, t->n);
      /* Directory tables have no organisation parameter. */
      if (copy
          && !(org_id ? pg_do (pg, t->insert, t->n + 1, values)
                      : pg_do (pg, t->insert, t->n, values + 1)))
        {
          sqlite3_finalize (stmt);
          pg_error (pg, error);
          g_prefix_error (error, "%s: ", t->name);
          return FALSE;
        }
      (*count)++;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite %s: %s", t->name,
                   sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

/* Digests the rows PostgreSQL now holds. */
static gboolean
digest_pg (Pg *pg, const Table *t, const char *scope, GChecksum *sum, gint64 *count, GError **error)
{
  const char *values[] = { scope };
  PGresult   *res = pg_run (pg, t->pg, 1, values);

  if (res == NULL)
    {
      pg_error (pg, error);
      return FALSE;
    }
  *count = PQntuples (res);
  for (int i = 0; i < PQntuples (res); i++)
    {
      const char *row[14];

      for (int j = 0; j < t->n; j++)
        row[j] = PQgetisnull (res, i, j) ? NULL : PQgetvalue (res, i, j);
      digest_row (sum, row, t->n);
    }
  PQclear (res);
  return TRUE;
}

static gboolean
copy_and_check (sqlite3     *db,
                Pg          *pg,
                const Table *t,
                const char  *org_id,
                const char  *scope,
                GString     *report,
                GError     **error)
{
  g_autoptr (GChecksum) from = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr (GChecksum) to = g_checksum_new (G_CHECKSUM_SHA256);
  gint64 n_from, n_to;

  if (!copy_table (db, pg, t, org_id, TRUE, from, &n_from, error)
      || !digest_pg (pg, t, scope, to, &n_to, error))
    return FALSE;
  if (n_from != n_to || !g_str_equal (g_checksum_get_string (from), g_checksum_get_string (to)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "%s: %" G_GINT64_FORMAT " rows in SQLite, %" G_GINT64_FORMAT
                   " in PostgreSQL, or their digests differ",
                   t->name, n_from, n_to);
      return FALSE;
    }
  g_string_append_printf (report, " %" G_GINT64_FORMAT " %s,", n_from, t->name);
  return TRUE;
}

static char *
sqlite_meta (sqlite3 *db, const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char         *v = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL) != SQLITE_OK)
    return NULL;
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return v;
}

/**
 * tsu_pg_import_sqlite:
 * @data_dir: a SQLite server's data directory (the server stopped)
 *
 * Moves every organisation, device, token hash, code hash, record, version,
 * conflict and push state into PostgreSQL in one transaction, then reads
 * each table back and compares its row count and a SHA-256 of its rows in
 * a fixed order; any difference rolls everything back. Epochs, change
 * sequences and horizons are kept, so desks carry on with their cursors.
 *
 * Returns: (transfer full): the report, one line per organisation and one
 *   for the directory, or %NULL
 */
char *
tsu_pg_import_sqlite (const char *data_dir, const char *conninfo, GError **error)
{
  g_autofree char *dir_path = g_build_filename (data_dir, "directory.sqlite3", NULL);
  g_autoptr (GString) report = g_string_new (NULL);
  g_autoptr (GPtrArray) org_ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *scope = NULL;
  sqlite3         *dir = NULL;
  sqlite3_stmt    *orgs = NULL;
  Pg              *pg = NULL;
  int              rc;

  if (!g_file_test (dir_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no %s", dir_path);
      return NULL;
    }
  if (sqlite3_open_v2 (dir_path, &dir, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", dir_path);
      sqlite3_close (dir);
      return NULL;
    }
  if ((pg = pg_open (conninfo, error)) == NULL || !check_schema (pg, error))
    goto failed;
  if (!pg_do (pg, "BEGIN", 0, NULL))
    goto failed_pg;
  /* One import at a time; desks are not served while it runs. */
  if (!pg_do (pg, "LOCK TABLE orgs IN EXCLUSIVE MODE", 0, NULL))
    goto failed_pg;

  if (sqlite3_prepare_v2 (dir, "SELECT id, name, created_at FROM orgs ORDER BY id", -1, &orgs, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (dir));
      goto failed;
    }
  while ((rc = sqlite3_step (orgs)) == SQLITE_ROW)
    {
      const char      *id = (const char *)sqlite3_column_text (orgs, 0);
      const char      *name = (const char *)sqlite3_column_text (orgs, 1);
      const char      *created = (const char *)sqlite3_column_text (orgs, 2);
      g_autofree char *file = g_strconcat (id, ".sqlite3", NULL);
      g_autofree char *path = g_build_filename (data_dir, "orgs", file, NULL);
      g_autofree char *epoch = NULL, *change_seq = NULL, *horizon = NULL;
      g_autoptr (GString) line = g_string_new (NULL);
      sqlite3 *db = NULL;

      if (!tsu_uuid_is_valid (id))
        continue;
      if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot open %s", path);
          sqlite3_close (db);
          goto failed;
        }
      epoch = sqlite_meta (db, "epoch");
      change_seq = sqlite_meta (db, "change_seq");
      horizon = sqlite_meta (db, "horizon");
      {
        const char *values[] = { id,
                                 name,
                                 created,
                                 epoch ? epoch : "",
                                 change_seq ? change_seq : "0",
                                 horizon ? horizon : "0" };

        if (epoch == NULL
            || !pg_do (pg,
                       "WITH o AS (INSERT INTO orgs (id, name, created_at) VALUES ($1, $2, $3)"
                       " RETURNING id) INSERT INTO org_state (org_id, epoch, change_seq, horizon)"
                       " SELECT id, $4, $5::bigint, $6::bigint FROM o",
                       6, values))
          {
            if (epoch == NULL)
              g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s has no epoch", path);
            else
              {
                pg_error (pg, error);
                g_prefix_error (error, "organisation %s (already imported?): ", id);
              }
            sqlite3_close (db);
            goto failed;
          }
      }
      g_string_printf (line, "org %s %s:", id, name);
      for (guint t = 0; t < G_N_ELEMENTS (org_tables); t++)
        if (!copy_and_check (db, pg, &org_tables[t], id, id, line, error))
          {
            g_prefix_error (error, "organisation %s: ", id);
            sqlite3_close (db);
            goto failed;
          }
      sqlite3_close (db);
      g_string_truncate (line, line->len - 1);
      g_string_append_printf (line, ", change_seq %s, epoch %s kept\n",
                              change_seq ? change_seq : "0", epoch);
      g_string_append (report, line->str);
      g_ptr_array_add (org_ids, g_strdup (id));
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "SQLite: %s", sqlite3_errmsg (dir));
      goto failed;
    }
  g_ptr_array_add (org_ids, NULL);
  scope = g_strjoinv (",", (char **)org_ids->pdata);
  {
    g_autoptr (GString) line = g_string_new ("directory:");

    for (guint t = 0; t < G_N_ELEMENTS (dir_tables); t++)
      if (!copy_and_check (dir, pg, &dir_tables[t], NULL, scope, line, error))
        goto failed;
    g_string_truncate (line, line->len - 1);
    g_string_append (report, line->str);
    g_string_append_c (report, '\n');
  }
  {
    PGresult *res = pg_run (pg, "COMMIT", 0, NULL);

    if (res == NULL || !g_str_equal (PQcmdStatus (res), "COMMIT"))
      {
        PQclear (res);
        goto failed_pg;
      }
    PQclear (res);
  }
  sqlite3_finalize (orgs);
  sqlite3_close (dir);
  pg_unref (pg);
  return g_string_free (g_steal_pointer (&report), FALSE);

failed_pg:
  pg_error (pg, error);
failed:
  if (pg != NULL)
    {
      pg_do (pg, "ROLLBACK", 0, NULL);
      pg_unref (pg);
    }
  sqlite3_finalize (orgs);
  sqlite3_close (dir);
  return NULL;
}
