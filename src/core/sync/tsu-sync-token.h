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

typedef enum
{
  TSU_TOKEN_PLACE_NONE,
  TSU_TOKEN_PLACE_KEYRING, /* the Secret Service (GNOME Keyring, KWallet…) */
  TSU_TOKEN_PLACE_FILE,    /* a file only the user can read */
} TsuTokenPlace;

/* Where the token of (@server_url, @device_id) is kept; for a file, @why
 * receives the reason the Secret Service was not used (translated). */
TsuTokenPlace tsu_sync_token_place (const char *server_url, const char *device_id, char **why);
char         *tsu_sync_token_file_path (const char *server_url, const char *device_id);

G_END_DECLS
