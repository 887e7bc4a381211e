/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>
#include <string.h>
#include <unistd.h>

#include "tsu-sync-token.h"

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = { "io.github.tsunagu.Tsunagu.DeviceToken",
                                       SECRET_SCHEMA_NONE,
                                       {
                                           { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
                                           { "device", SECRET_SCHEMA_ATTRIBUTE_STRING },
                                           { "NULL", 0 },
                                       } };
  return &schema;
}

/* TSUNAGU_TOKEN_STORE=file skips the Secret Service (headless desks, tests). */
static gboolean
use_secret_service (void)
{
  return g_strcmp0 (g_getenv ("TSUNAGU_TOKEN_STORE"), "file") != 0;
}

static char *
token_file (const char *server_url, const char *device_id)
{
  g_autofree char *key = g_strconcat (server_url, "\n", device_id, NULL);
  g_autofree char *name = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  return g_build_filename (g_get_user_config_dir (), "tsunagu", "tokens", name, NULL);
}

static gboolean
save_file (const char *path, const char *token, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *tmp = g_strconcat (path, ".new", NULL);
  gsize            len = strlen (token), done = 0;
  int              fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   _ ("The device token could not be saved: %s"), g_strerror (e));
      return FALSE;
    }
  /* Created 0600 from the start: the token is never readable by others,
   * not even for a moment. */
  fd = g_open (tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   _ ("The device token could not be saved: %s"), g_strerror (e));
      return FALSE;
    }
  while (done < len)
    {
      gssize n = write (fd, token + done, len - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int e = errno;
          close (fd);
          g_unlink (tmp);
          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                       _ ("The device token could not be saved: %s"), g_strerror (e));
          return FALSE;
        }
      done += n;
    }
  fsync (fd);
  close (fd);
  if (g_rename (tmp, path) != 0)
    {
      int e = errno;
      g_unlink (tmp);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   _ ("The device token could not be saved: %s"), g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_sync_token_save:
 *
 * Keeps @token for (@server_url, @device_id): in the Secret Service, or in
 * a 0600 file where none runs.
 */
gboolean
tsu_sync_token_save (const char *server_url,
                     const char *device_id,
                     const char *token,
                     GError    **error)
{
  g_autofree char *path = token_file (server_url, device_id);

  if (use_secret_service ())
    {
      g_autoptr (GError) local_error = NULL;

      if (secret_password_store_sync (token_schema (), SECRET_COLLECTION_DEFAULT,
                                      _ ("Tsunagu sync device token"), token, NULL, &local_error,
                                      "server", server_url, "device", device_id, NULL))
        {
          g_unlink (path);
          return TRUE;
        }
      g_debug ("no Secret Service (%s); keeping the token in a private file", local_error->message);
    }
  return save_file (path, token, error);
}

/**
 * tsu_sync_token_load:
 *
 * Returns: (transfer full) (nullable): the token, or %NULL (with @error
 *   unset) when there is none
 */
char *
tsu_sync_token_load (const char *server_url, const char *device_id, GError **error)
{
  g_autofree char *path = token_file (server_url, device_id);
  g_autoptr (GError) local_error = NULL;
  char *contents = NULL;

  if (use_secret_service ())
    {
      char *token = secret_password_lookup_sync (token_schema (), NULL, &local_error, "server",
                                                 server_url, "device", device_id, NULL);
      if (token != NULL)
        {
          char *copy = g_strdup (token);
          secret_password_free (token);
          return copy;
        }
      g_clear_error (&local_error);
    }
  if (!g_file_get_contents (path, &contents, NULL, &local_error))
    {
      if (!g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_strstrip (contents);
}

/** tsu_sync_token_clear: forgets the token wherever it is kept */
gboolean
tsu_sync_token_clear (const char *server_url, const char *device_id, GError **error)
{
  g_autofree char *path = token_file (server_url, device_id);

  if (use_secret_service ())
    secret_password_clear_sync (token_schema (), NULL, NULL, "server", server_url, "device",
                                device_id, NULL);
  if (g_unlink (path) != 0 && errno != ENOENT)
    {
      int e = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e),
                   _ ("The device token could not be removed: %s"), g_strerror (e));
      return FALSE;
    }
  return TRUE;
}

/** tsu_sync_token_file_path: Returns: (transfer full): the fallback file */
char *
tsu_sync_token_file_path (const char *server_url, const char *device_id)
{
  return token_file (server_url, device_id);
}

/**
 * tsu_sync_token_place:
 * @why: (out) (optional): for %TSU_TOKEN_PLACE_FILE, why not the keyring
 *
 * Blocks (asks the Secret Service): call it from a worker thread.
 */
TsuTokenPlace
tsu_sync_token_place (const char *server_url, const char *device_id, char **why)
{
  g_autofree char *path = token_file (server_url, device_id);
  g_autoptr (GError) error = NULL;

  if (why != NULL)
    *why = NULL;
  if (use_secret_service ())
    {
      char *token = secret_password_lookup_sync (token_schema (), NULL, &error, "server",
                                                 server_url, "device", device_id, NULL);
      if (token != NULL)
        {
          secret_password_free (token);
          return TSU_TOKEN_PLACE_KEYRING;
        }
    }
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return TSU_TOKEN_PLACE_NONE;
  if (why != NULL)
    {
      if (!use_secret_service ())
        *why = g_strdup (_ ("This desk is set to keep it in a file (TSUNAGU_TOKEN_STORE=file)."));
      else if (error != NULL)
        /* TRANSLATORS: %s is the Secret Service's own message */
        *why = g_strdup_printf (_ ("No keyring (Secret Service) answered: %s"), error->message);
      else
        *why = g_strdup (_ ("The keyring did not take the token when the desk was enrolled "
                            "(it was locked or closed)."));
    }
  return TSU_TOKEN_PLACE_FILE;
}
