/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Where a desk keeps its device token: the Secret Service (libsecret) when
 * one runs, else a 0600 file in the user's config directory. These block:
 * call them from a worker thread. */

gboolean tsu_sync_token_save (const char *server_url,
                              const char *device_id,
                              const char *token,
                              GError    **error);
char    *tsu_sync_token_load (const char *server_url, const char *device_id, GError **error);
gboolean tsu_sync_token_clear (const char *server_url, const char *device_id, GError **error);

G_END_DECLS
