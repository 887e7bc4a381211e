/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tsu-org-db.h"

G_BEGIN_DECLS

/* The server's data directory: directory.sqlite3 (organisations, devices,
 * token and enrolment-code hashes) and orgs/<org id>.sqlite3, one file per
 * organisation. Tokens and codes are kept only as SHA-256. */
typedef struct _TsuDirectory TsuDirectory;

typedef enum
{
  TSU_AUTH_OK,
  TSU_AUTH_MISSING,
  TSU_AUTH_INVALID,
  TSU_AUTH_REVOKED,
  TSU_AUTH_UNAVAILABLE, /* the database is out of reach: 503 */
} TsuAuthResult;

TsuDirectory *tsu_directory_open (const char *data_dir, GError **error);
TsuDirectory *tsu_directory_open_database (const char *conninfo, GError **error);
void          tsu_directory_free (TsuDirectory *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuDirectory, tsu_directory_free)

TsuOrgDb     *tsu_directory_get_org_db (TsuDirectory *self, const char *org_id, GError **error);
char         *tsu_directory_org_create (TsuDirectory *self, const char *name, GError **error);
char         *tsu_directory_org_name (TsuDirectory *self, const char *org_id);
char         *tsu_directory_enroll_code (TsuDirectory *self, const char *org_id, GError **error);
gboolean      tsu_directory_enroll (TsuDirectory *self,
                                    const char   *code,
                                    const char   *device_name,
                                    char        **org_id,
                                    char        **device_id,
                                    char        **token,
                                    GError      **error);
TsuAuthResult tsu_directory_authenticate (
    TsuDirectory *self, const char *token, char **org_id, char **device_id, char **device_name);
char       *tsu_directory_rotate_token (TsuDirectory *self,
                                        const char   *old_token,
                                        const char   *device_id,
                                        GError      **error);
gboolean    tsu_directory_revoke_token (TsuDirectory *self, const char *token, GError **error);
gboolean    tsu_directory_revoke_device (TsuDirectory *self, const char *device_id, GError **error);
GPtrArray  *tsu_directory_list_devices (TsuDirectory *self, const char *org_id, GError **error);
void        tsu_directory_touch_device (TsuDirectory *self, const char *device_id);
const char *tsu_directory_backend (TsuDirectory *self);
gboolean    tsu_directory_ping (TsuDirectory *self, GError **error);

char *tsu_token_hash (const char *token);

G_END_DECLS
