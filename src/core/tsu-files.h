/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Files that hold personal data: written privately and whole, never onto
 * the database, and errors that say what is wrong with the disk. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * tsu_file_resolve:
 * @path: a file name
 *
 * Follows symbolic links from @path, also a last one that points to a file
 * not made yet (where a write would go). Gives up after 40 links.
 *
 * Returns: (transfer full): the path a write to @path would reach
 */
char *tsu_file_resolve (const char *path);

/**
 * tsu_file_is_database_file:
 * @path: a file someone wants to write
 * @db_path: an SQLite database file
 *
 * Whether writing @path would write the database or one of SQLite's files
 * beside it (`-wal`, `-shm`, `-journal`): the same name, a symbolic link to
 * one of them (made or not yet made), or a hard link to one (same device
 * and inode).
 *
 * Returns: %TRUE when @path must not be written
 */
gboolean tsu_file_is_database_file (const char *path, const char *db_path);

/**
 * tsu_file_write_private:
 * @path: where to write; a symbolic link is followed and stays a link
 * @data: the bytes
 * @length: their number
 * @error: return location for a #G_IO_ERROR
 *
 * Writes a file that holds personal data, whole or not at all: into a new
 * file in the same folder (mode 0600), flushed to the disk, then renamed
 * over @path, so a failure (full disk, killed process) leaves @path as it
 * was and no half file behind. A new file stays 0600 (owner only). A file
 * that already exists keeps its permissions: whoever chose that file chose
 * who may read it. A path that exists and is not a regular file (a pipe,
 * /dev/stdout) is written into directly.
 *
 * Returns: %TRUE on success
 */
gboolean tsu_file_write_private (const char *path, const void *data, gsize length, GError **error);

/**
 * tsu_file_errno_advice:
 * @errsv: an errno value
 *
 * Returns: (nullable): a translated sentence saying what to do about a
 *   full disk (ENOSPC, EDQUOT), a read-only disk (EROFS) or a missing
 *   permission (EACCES, EPERM); %NULL for other errors
 */
const char *tsu_file_errno_advice (int errsv);

G_END_DECLS
