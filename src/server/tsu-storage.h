/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tsu-directory.h"
#include "tsu-org-db.h"

G_BEGIN_DECLS

/* The server's storage interface. The protocol's logic (merges, guards,
 * erasure, cursors, tokens) lives in tsu-org-db.c and tsu-directory.c and
 * reaches the database only through these two tables of functions; a
 * backend (tsu-storage-sqlite.c, tsu-storage-pg.c) implements them.
 *
 * Every organisation store call is scoped to its organisation. A write
 * happens between begin_write and commit/rollback, and begin_write makes
 * the caller the only writer of the organisation until then (SQLite: BEGIN
 * IMMEDIATE on the organisation's file; PostgreSQL: the organisation's
 * counter row locked FOR UPDATE), so the guards' reads and the change
 * sequence see every earlier write of the organisation. Strings returned
 * are (transfer full). */

typedef struct
{
  gboolean exists;
  gint64   rev;
  gboolean deleted;
  gboolean erased;
  char    *created_at;
  char    *data; /* JSON object text */
} TsuStoredRecord;

void tsu_stored_record_clear (TsuStoredRecord *r);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (TsuStoredRecord, tsu_stored_record_clear)

/* One row of a pull page: a record version or a conflict record. */
typedef struct
{
  gboolean    conflict;
  gint64      seq;
  const char *collection;
  const char *id;
  gboolean    deleted; /* conflicts: resolved */
  gboolean    erased;
  const char *created_at;
  const char *updated_at; /* conflicts: resolved_at */
  const char *data;       /* conflicts: fields */
  const char *record_id;
  const char *type;
  const char *device_id;
  gint64      mutation_seq;
  const char *resolution;
} TsuPullRow;

/* Returns FALSE to stop reading rows. */
typedef gboolean (*TsuPullRowFunc) (const TsuPullRow *row, gpointer user_data);

typedef struct
{
  void (*free) (gpointer store);

  gboolean (*begin_write) (gpointer store);
  gboolean (*begin_read) (gpointer store); /* one snapshot until commit */
  gboolean (*commit) (gpointer store);
  void (*rollback) (gpointer store);
  gboolean (*savepoint) (gpointer store);
  void (*rollback_savepoint) (gpointer store);
  void (*release_savepoint) (gpointer store);
  /* Whether the last failure was the database being out of reach (503). */
  gboolean (*unavailable) (gpointer store);

  /* "epoch", "change_seq", "horizon" */
  char *(*meta_get) (gpointer store, const char *key);
  gboolean (*meta_set) (gpointer store, const char *key, const char *value);
  /* Bumps the organisation's change counter in the write transaction. */
  gint64 (*next_seq) (gpointer store);

  void (*load_record) (gpointer         store,
                       const char      *collection,
                       const char      *id,
                       TsuStoredRecord *out);
  char *(*load_version) (gpointer store, const char *collection, const char *id, gint64 seq);
  gboolean (*write_version) (gpointer    store,
                             const char *collection,
                             const char *id,
                             gint64      seq,
                             gboolean    deleted,
                             const char *created_at,
                             const char *now,
                             const char *data,
                             const char *device_id,
                             gint64      mutation_seq);
  gboolean (*write_conflict) (gpointer    store,
                              const char *id,
                              gint64      seq,
                              const char *collection,
                              const char *record_id,
                              const char *type,
                              const char *fields,
                              const char *device_id,
                              gint64      mutation_seq,
                              const char *now);
  /* Live records whose @field is @value (and, with @start_field, whose
   * [start, end) overlaps [@from, @to)): id, data, id, data, … */
  GPtrArray *(*find) (gpointer    store,
                      const char *collection,
                      const char *field,
                      const char *value,
                      const char *start_field,
                      const char *end_field,
                      const char *from,
                      const char *to,
                      GError    **error);

  /* Erasure: every version of a record, rewritten in place. */
  GPtrArray *(*versions) (gpointer store, const char *collection, const char *id, GArray *seqs);
  gboolean (*set_version_data) (gpointer store, gint64 seq, const char *data);
  gboolean (*drop_conflicts) (gpointer store, const char *collection, const char *record_id);
  gboolean (*mark_erased) (gpointer store, const char *collection, const char *id);
  void (*after_erase) (gpointer store); /* after the commit */

  gint64 (*device_last_seq) (gpointer store, const char *device_id);
  gboolean (*set_device_last_seq) (gpointer store, const char *device_id, gint64 last_seq);
  char *(*result_get) (gpointer store, const char *device_id, gint64 seq);
  gboolean (*result_put) (gpointer store, const char *device_id, gint64 seq, const char *result);

  /* Rows with seq > @seq (tombstones and resolved conflicts only past
   * @full_from when it is ≥ 0), in seq order, at most @limit. */
  gboolean (*pull) (gpointer       store,
                    gint64         seq,
                    gint64         full_from,
                    guint          limit,
                    TsuPullRowFunc func,
                    gpointer       user_data);

  /* 1 found, 0 not found, -1 failed */
  int (*conflict_get) (gpointer    store,
                       const char *id,
                       char      **collection,
                       char      **record_id,
                       char      **type,
                       char      **fields,
                       char      **resolution);
  gboolean (*conflict_resolve) (gpointer    store,
                                const char *id,
                                gint64      seq,
                                const char *choice,
                                const char *by,
                                const char *now);
  /* Drops tombstones and resolved conflicts changed at or before @before;
   * *@max_seq: the highest seq among them (unchanged when none). */
  gint64 (*purge) (gpointer store, const char *before, gint64 *max_seq);
} TsuOrgStoreOps;

TsuOrgDb *tsu_org_db_new (const TsuOrgStoreOps *ops, gpointer store);

typedef struct
{
  const char *name; /* "sqlite", "postgresql" */
  void (*free) (gpointer store);
  gboolean (*ping) (gpointer store, GError **error);

  TsuOrgDb *(*open_org) (gpointer store, const char *org_id, GError **error);
  /* 1 yes, 0 no, -1 failed */
  int (*org_exists) (gpointer store, const char *org_id);
  gboolean (*org_insert) (
      gpointer store, const char *id, const char *name, const char *now, GError **error);
  char *(*org_name) (gpointer store, const char *org_id);

  gboolean (*code_insert) (gpointer    store,
                           const char *hash,
                           const char *org_id,
                           const char *now,
                           const char *expires,
                           GError    **error);
  /* Spends the code and adds the device and its token in one transaction:
   * 1 done, 0 no such live code, -1 failed. */
  int (*enroll) (gpointer    store,
                 const char *code_hash,
                 const char *now,
                 const char *device_id,
                 const char *device_name,
                 const char *token_hash,
                 char      **org_id,
                 GError    **error);
  /* 1 found, 0 not found, -1 database out of reach */
  int (*token_lookup) (gpointer    store,
                       const char *hash,
                       char      **org_id,
                       char      **device_id,
                       char      **device_name,
                       gboolean   *token_revoked,
                       gboolean   *device_revoked);
  gboolean (*token_rotate) (gpointer    store,
                            const char *old_hash,
                            const char *new_hash,
                            const char *device_id,
                            const char *now,
                            GError    **error);
  gboolean (*token_revoke) (gpointer store, const char *hash, const char *now, GError **error);
  /* Returns the devices changed (0: none such), -1 failed. */
  int (*device_revoke) (gpointer store, const char *device_id, const char *now, GError **error);
  /* id, name, enrolled_at, last_seen or "-", then "revoked" or NULL; five per device */
  GPtrArray *(*devices) (gpointer store, const char *org_id, GError **error);
  void (*device_touch) (gpointer store, const char *device_id, const char *now);
} TsuDirectoryOps;

TsuDirectory *tsu_directory_new (const TsuDirectoryOps *ops, gpointer store);

/* Backends */
gpointer                     tsu_sqlite_org_store_open (const char *path, GError **error);
extern const TsuOrgStoreOps  tsu_sqlite_org_store_ops;
gpointer                     tsu_sqlite_directory_open (const char *data_dir, GError **error);
extern const TsuDirectoryOps tsu_sqlite_directory_ops;

G_END_DECLS
