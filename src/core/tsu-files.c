/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tsu-files.h"

#define MAX_LINKS 40

char *
tsu_file_resolve (const char *path)
{
  g_autofree char *current = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  current = g_strdup (path);
  for (guint i = 0; i < MAX_LINKS; i++)
    {
      g_autofree char *target = NULL;
      g_autofree char *dir = NULL;
      GStatBuf         st;

      if (g_lstat (current, &st) != 0 || !S_ISLNK (st.st_mode))
        break;
      target = g_file_read_link (current, NULL);
      if (target == NULL)
        break;
      if (g_path_is_absolute (target))
        {
          g_free (current);
          current = g_steal_pointer (&target);
          continue;
        }
      dir = g_path_get_dirname (current);
      g_free (current);
      current = g_build_filename (dir, target, NULL);
    }
  return g_steal_pointer (&current);
}

/* A file named by its folder (device and inode) and its own name, so that
 * "db-wal" is recognised before SQLite has made it and whatever path leads
 * to the folder. */
typedef struct
{
  dev_t dir_dev;
  ino_t dir_ino;
  char *name;
} Place;

static gboolean
place_of (const char *path, Place *place)
{
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf         st;

  if (g_stat (dir, &st) != 0)
    return FALSE;
  place->dir_dev = st.st_dev;
  place->dir_ino = st.st_ino;
  place->name = g_path_get_basename (path);
  return TRUE;
}

gboolean
tsu_file_is_database_file (const char *path, const char *db_path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
  g_autofree char         *out = NULL;
  g_autofree char         *db = NULL;
  Place                    out_place = { 0 };
  gboolean                 have_out_place, clash = FALSE;
  GStatBuf                 out_st;
  gboolean                 out_exists;

  g_return_val_if_fail (path != NULL, TRUE);
  g_return_val_if_fail (db_path != NULL, TRUE);

  out = tsu_file_resolve (path);
  db = tsu_file_resolve (db_path);
  out_exists = g_stat (out, &out_st) == 0;
  have_out_place = place_of (out, &out_place);

  /* SQLite names its files after the database's real path; the given
   * path too, in case a link was replaced since. */
  for (guint d = 0; d < 2 && !clash; d++)
    {
      const char *base = d == 0 ? db : db_path;

      for (guint i = 0; i < G_N_ELEMENTS (suffixes) && !clash; i++)
        {
          g_autofree char *companion = g_strconcat (base, suffixes[i], NULL);
          Place            place = { 0 };
          GStatBuf         st;

          if (out_exists && g_stat (companion, &st) == 0 && st.st_dev == out_st.st_dev
              && st.st_ino == out_st.st_ino)
            clash = TRUE;
          else if (have_out_place && place_of (companion, &place))
            clash = place.dir_dev == out_place.dir_dev && place.dir_ino == out_place.dir_ino
                    && g_str_equal (place.name, out_place.name);
          g_free (place.name);
        }
    }
  g_free (out_place.name);
  return clash;
}

const char *
tsu_file_errno_advice (int errsv)
{
  switch (errsv)
    {
    case ENOSPC:
#ifdef EDQUOT
    case EDQUOT:
#endif
      return _ ("The disk is full. Free some space on it, or choose another disk, and try again.");
    case EROFS:
      return _ ("The disk is read-only (for example a locked memory card or a disk mounted "
                "read-only). Use a disk that can be written to.");
    case EACCES:
    case EPERM:
      return _ ("You are not allowed to write there. Choose a folder of your own, or ask the "
                "computer's administrator for write permission.");
    default:
      return NULL;
    }
}

static void
set_errno_error (GError **error, int errsv, const char *path)
{
  const char *advice = tsu_file_errno_advice (errsv);

  if (advice != NULL)
    /* Translators: 1: a file name, 2: the system's reason, 3: what to do. */
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                 _ ("“%1$s” cannot be written: %2$s. %3$s"), path, g_strerror (errsv), advice);
  else
    g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv),
                 _ ("“%s” cannot be written: %s."), path, g_strerror (errsv));
}

static gboolean
write_all (int fd, const void *data, gsize length)
{
  const char *p = data;

  while (length > 0)
    {
      gssize n = write (fd, p, length);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          if (n == 0)
            errno = ENOSPC;
          return FALSE;
        }
      p += n;
      length -= n;
    }
  return TRUE;
}

/* Into an existing pipe or device: no rename is possible there. */
static gboolean
write_in_place (const char *path, const void *data, gsize length, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
  int errsv;

  if (fd < 0)
    {
      errsv = errno;
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  if (!write_all (fd, data, length))
    {
      errsv = errno;
      close (fd);
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
tsu_file_write_private (const char *path, const void *data, gsize length, GError **error)
{
  g_autofree char *target = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  GStatBuf         st;
  gboolean         exists;
  mode_t           mode = 0600;
  int              fd, dir_fd, errsv;

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (data != NULL || length == 0, FALSE);

  /* Write where a link points, so the link stays a link. */
  target = tsu_file_resolve (path);
  exists = g_stat (target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_IS_DIRECTORY,
                   _ ("“%s” is a folder; give a file name."), path);
      return FALSE;
    }
  if (exists && !S_ISREG (st.st_mode))
    return write_in_place (target, data, length, error);
  if (exists)
    mode = st.st_mode & 07777;

  dir = g_path_get_dirname (target);
  base = g_path_get_basename (target);
  tmp = g_strdup_printf ("%s%c.%s.XXXXXX", dir, G_DIR_SEPARATOR, base);
  /* 0600 from the first byte: no moment where others could open it. */
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      errsv = errno;
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  /* Replacing someone else's file as root: it stays theirs. */
  if (exists && geteuid () == 0 && (st.st_uid != 0 || st.st_gid != 0)
      && fchown (fd, st.st_uid, st.st_gid) != 0)
    g_debug ("%s: owner not kept: %s", path, g_strerror (errno));
  if (!write_all (fd, data, length) || (mode != 0600 && fchmod (fd, mode) != 0) || fsync (fd) != 0)
    {
      errsv = errno;
      close (fd);
      g_unlink (tmp);
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  if (close (fd) != 0)
    {
      errsv = errno;
      g_unlink (tmp);
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  if (g_rename (tmp, target) != 0)
    {
      errsv = errno;
      g_unlink (tmp);
      set_errno_error (error, errsv, path);
      return FALSE;
    }
  /* The rename itself survives a power cut only once the folder is flushed. */
  dir_fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  if (dir_fd >= 0)
    {
      fsync (dir_fd);
      close (dir_fd);
    }
  return TRUE;
}
