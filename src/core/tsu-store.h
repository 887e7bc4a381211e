/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tsu-collection.h"

G_BEGIN_DECLS

#define TSU_STORE_ERROR (tsu_store_error_quark ())

typedef enum
{
  TSU_STORE_ERROR_OPEN,      /* the file cannot be opened or created */
  TSU_STORE_ERROR_CORRUPT,   /* not an SQLite file, not ours, or damaged */
  TSU_STORE_ERROR_TOO_NEW,   /* written by a newer Tsunagu */
  TSU_STORE_ERROR_MIGRATION, /* an upgrade step failed; the file is as it was */
  TSU_STORE_ERROR_NOT_FOUND, /* no such record */
  TSU_STORE_ERROR_INVALID,   /* unknown collection or field, or a bad value */
  TSU_STORE_ERROR_FAILED,    /* any other SQLite failure */
  TSU_STORE_ERROR_RULE,      /* refused by a collection's rule (a clash with another record) */
  TSU_STORE_ERROR_READ_ONLY, /* the file, its folder or its disk cannot be written */
  TSU_STORE_ERROR_DISK_FULL, /* no space left on the disk (or quota) */
  TSU_STORE_ERROR_IO,        /* the disk reported an input/output error */
  TSU_STORE_ERROR_BUSY,      /* another connection (an import, a sync) is writing */
} TsuStoreError;

/* Where a change comes from. Local and import changes go to the outbox;
 * changes pulled from the server make history but no outbox entry. */
typedef enum
{
  TSU_ORIGIN_LOCAL,
  TSU_ORIGIN_IMPORT,
  TSU_ORIGIN_SERVER,
} TsuOrigin;

/* The schema version this build writes (PRAGMA user_version). */
#define TSU_STORE_SCHEMA_VERSION tsu_store_schema_version ()

/* Environment variable naming the database file when --db is not given. */
#define TSU_STORE_ENV "TSUNAGU_DB"

#define TSU_TYPE_STORE (tsu_store_get_type ())
G_DECLARE_FINAL_TYPE (TsuStore, tsu_store, TSU, STORE, GObject)

typedef gboolean (*TsuStoreFunc) (TsuStore *store, gpointer user_data, GError **error);

GQuark tsu_store_error_quark (void);
guint  tsu_store_schema_version (void);
char  *tsu_store_default_path (void);

TsuStore *tsu_store_open (const char *path, GError **error);
void      tsu_store_open_async (const char         *path,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data);
TsuStore *tsu_store_open_finish (GAsyncResult *result, GError **error);

const char *tsu_store_get_path (TsuStore *self);
const char *tsu_store_get_device_id (TsuStore *self);
const char *tsu_store_get_author (TsuStore *self);
void        tsu_store_set_author (TsuStore *self, const char *author);

/* Runs @func inside one BEGIN IMMEDIATE transaction; every write it makes
 * commits together or not at all. Writes outside a transaction get one of
 * their own. "changed" is emitted after the commit. */
gboolean tsu_store_transaction (
    TsuStore *self, TsuOrigin origin, TsuStoreFunc func, gpointer user_data, GError **error);

/* The one write path. Each call writes the row, a history entry and (unless
 * the origin is the server) an outbox entry, in the same transaction. */
char *tsu_store_insert (TsuStore *self, const char *collection, JsonObject *fields, GError **error);
gboolean tsu_store_update (
    TsuStore *self, const char *collection, const char *id, JsonObject *fields, GError **error);
gboolean tsu_store_delete (TsuStore *self, const char *collection, const char *id, GError **error);
gboolean
tsu_store_undelete (TsuStore *self, const char *collection, const char *id, GError **error);
/* Applies a record version pulled from the server (origin server): creates,
 * updates or tombstones the row at @rev; history only, no outbox. */
gboolean tsu_store_apply_remote (TsuStore   *self,
                                 const char *collection,
                                 const char *id,
                                 JsonObject *fields,
                                 gint64      rev,
                                 gboolean    deleted,
                                 GError    **error);

/* One record version pulled from the server (tsu_store_apply_remote_batch()). */
typedef struct
{
  const char *collection;
  const char *id;
  JsonObject *fields; /* the synced fields it sets; derived and unknown ones left out */
  gint64      rev;
  gboolean    deleted;
} TsuRemoteRecord;

/* Many record versions from the server through the same write path, in one
 * transaction (a pulled page): see tsu-store.c. */
gboolean tsu_store_apply_remote_batch (TsuStore              *self,
                                       const TsuRemoteRecord *records,
                                       guint                  n,
                                       GError               **error);

/* Undoes one entry of a record's history (tsu_store_get_history() gives
 * each its "id"): an edit by writing back the old values, an insert by a
 * delete, a delete by restoring. Goes through the write path like any edit. */
gboolean tsu_store_revert (
    TsuStore *self, const char *collection, const char *id, gint64 history_id, GError **error);

/* Erasure on a person's request (個人情報の削除請求): see tsu-store.c. */
gboolean tsu_store_erase (TsuStore *self, const char *collection, const char *id, GError **error);
gboolean tsu_store_apply_remote_erase (
    TsuStore *self, const char *collection, const char *id, gint64 rev, GError **error);

/* Reads. The returned object holds every field plus id, rev, created_at,
 * updated_at and deleted. Tombstoned rows are returned too. */
JsonObject *tsu_store_get (TsuStore *self, const char *collection, const char *id, GError **error);
/* History of one record, oldest first: objects with at, author, origin,
 * action, changes ({field: {old, new}}) and id (for tsu_store_revert()). */
JsonArray *
tsu_store_get_history (TsuStore *self, const char *collection, const char *id, GError **error);
/* Outbox entries with seq > @after_seq, in order, at most @limit: objects
 * with seq, collection, id, op, base_rev, fields, old, created_at, state. */
JsonArray *tsu_store_get_outbox (TsuStore *self, gint64 after_seq, guint limit, GError **error);
gint64
tsu_store_count (TsuStore *self, const char *collection, gboolean include_deleted, GError **error);
/* Live records matching an SQL condition over the collection's columns
 * (`?` bound to @params as text), in @order, at most @limit (0: all), as
 * objects with every field and "id". Reads never wait for a writer. */
GPtrArray *tsu_store_find (TsuStore          *self,
                           const char        *collection,
                           const char        *where,
                           const char *const *params,
                           const char        *order,
                           guint              limit,
                           GError           **error);

/* Key/value settings kept in the database (sync cursor, server url...). */
char    *tsu_store_get_meta (TsuStore *self, const char *key);
gboolean tsu_store_set_meta (TsuStore *self, const char *key, const char *value, GError **error);

/* Called (on the thread that writes) once a write has waited about a
 * second for another program's transaction to end. */
typedef void (*TsuStoreWaitFunc) (TsuStore *store, gpointer user_data);

/* How long a write waits for another connection (another import, a sync)
 * to finish writing before it fails with %TSU_STORE_ERROR_BUSY: 5 s unless
 * set. The command line waits longer and says so. */
#define TSU_STORE_DEFAULT_BUSY_WAIT_MS 5000
#define TSU_STORE_CLI_BUSY_WAIT_MS (10 * 60 * 1000)
void tsu_store_set_busy_wait (TsuStore        *self,
                              guint            timeout_ms,
                              TsuStoreWaitFunc waiting,
                              gpointer         user_data);
/* A TsuStoreWaitFunc for command-line tools: one line on stderr. */
void tsu_store_print_waiting (TsuStore *store, gpointer user_data);

/* Refuses (%TSU_STORE_ERROR_INVALID) an output file that is the database or
 * one of its -wal/-shm/-journal files, by name or by a link to them. */
gboolean tsu_store_check_output_path (TsuStore *self, const char *path, GError **error);
/* Every export, report and calendar file: refused onto the database's own
 * files, then written whole and private (tsu_file_write_private()). */
gboolean tsu_store_write_output (TsuStore *self, const char *path, GBytes *bytes, GError **error);

/* Changes made by other programs (the command line, another window) are
 * noticed by polling PRAGMA data_version on the store's connection about
 * once a second on its main context; then "changed" is emitted once per
 * collection with an empty ids array: anything in it may have changed.
 * The store's own writes never trigger it. This runs one check now and
 * returns whether it found such a change. */
gboolean tsu_store_check_external_changes (TsuStore *self);

/* A new read-only SQLite connection to the same file, for a worker thread
 * (WAL lets it read while the desk writes). Close with sqlite3_close(). */
gpointer tsu_store_open_reader (TsuStore *self, GError **error);

G_END_DECLS
