/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "tsu-store.h"

G_BEGIN_DECLS

/* For core modules only (sync client, migrations, searches on the desk's
 * connection). Views never see the connection. */

typedef struct
{
  guint       version;
  const char *summary;
  /* Runs inside the migration's transaction; must not COMMIT. */
  gboolean (*apply) (sqlite3 *db, GError **error);
} TsuMigration;

const TsuMigration *tsu_store_migrations (guint *n_migrations);

sqlite3 *tsu_store_get_db (TsuStore *self);

gboolean tsu_store_rederive (sqlite3             *db,
                             const TsuCollection *collection,
                             const char          *where,
                             GError             **error);

typedef gboolean (*TsuStoreReadFunc) (sqlite3 *db, gpointer user_data, GError **error);
gboolean tsu_store_read (TsuStore *self, TsuStoreReadFunc func, gpointer user_data, GError **error);
void     tsu_store_lock (TsuStore *self);
void     tsu_store_unlock (TsuStore *self);

gboolean tsu_store_exec (sqlite3 *db, const char *sql, GError **error);
void     tsu_store_set_sqlite_error (GError **error, sqlite3 *db, const char *what);

/* Records the outcome the server gave an outbox entry:
 * state is "applied", "merged", "conflict", "rejected" or "duplicate".
 * Any state but "rejected" drops the entry's values (fields, old). */
gboolean tsu_store_outbox_set_result (
    TsuStore *self, gint64 seq, const char *state, JsonObject *result, GError **error);

/* A change the server refused ("rejected"): queued again from the record's
 * values now (after @corrections), or given up (the record back to the
 * server's values). See tsu-store.c. */
gboolean
tsu_store_outbox_requeue (TsuStore *self, gint64 seq, JsonObject *corrections, GError **error);
gboolean tsu_store_outbox_discard (TsuStore *self, gint64 seq, GError **error);

/* A record's rule run again over it as the desk has it, writing nothing
 * (why the server refused it): see tsu-store.c. */
gboolean tsu_store_check_guard (TsuStore       *self,
                                const char     *collection,
                                const char     *id,
                                TsuRuleRefusal *refusal,
                                GError        **error);

/* Around a transaction that holds erasures (a pulled page): see tsu-store.c. */
void tsu_store_erasure_begin (TsuStore *self);
void tsu_store_erasure_end (TsuStore *self, gboolean committed);

G_END_DECLS
