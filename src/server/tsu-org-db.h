/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One organisation's database on the server: records with every version,
 * the change sequence, conflict records and per-device push state. */
typedef struct _TsuOrgDb TsuOrgDb;

TsuOrgDb *tsu_org_db_open (const char *path, GError **error);
void      tsu_org_db_free (TsuOrgDb *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuOrgDb, tsu_org_db_free)

char    *tsu_org_db_get_epoch (TsuOrgDb *self);
gboolean tsu_org_db_new_epoch (TsuOrgDb *self, GError **error);
gint64   tsu_org_db_device_last_seq (TsuOrgDb *self, const char *device_id);
gboolean tsu_org_db_set_device_start (TsuOrgDb *self, const char *device_id, gint64 last_seq);
gint64   tsu_org_db_purge (TsuOrgDb *self, guint older_than_days, GError **error);

/* Each returns the HTTP status and sets *response to the JSON body. */
guint tsu_org_db_push_body (
    TsuOrgDb *self, const char *device_id, const char *body, gsize length, JsonObject **response);
guint tsu_org_db_pull (TsuOrgDb *self, const char *cursor, guint limit, GString **response);
guint tsu_org_db_pull_bounded (
    TsuOrgDb *self, const char *cursor, guint limit, gsize max_bytes, GString **response);
guint tsu_org_db_resolve_body (
    TsuOrgDb *self, const char *device_id, const char *body, gsize length, JsonObject **response);

JsonObject *tsu_error_body (const char *code, const char *message);

G_END_DECLS
