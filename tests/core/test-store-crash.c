/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A writer killed with SIGKILL at random moments, 200 times, over one file:
 * afterwards the file passes integrity_check, holds every write the writer
 * reported committed, and every multi-row transaction is whole or absent. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-store.h"

#define ITERATIONS_DEFAULT 200
#define BATCH 3

/* The child: writes forever, printing "id value" after each commit. A batch
 * of BATCH inserts shares a tag in notes and commits as one transaction. */
static gboolean
insert_batch (TsuStore *store, gpointer user_data, GError **error)
{
  const char *tag = user_data;

  for (int i = 0; i < BATCH; i++)
    {
      g_autoptr (JsonObject) o = json_object_new ();
      g_autofree char *id = NULL;

      json_object_set_string_member (o, "name", "停電に強い団体");
      json_object_set_string_member (o, "name_kana", "テイデンニツヨイダンタイ");
      json_object_set_string_member (o, "notes", tag);
      json_object_set_int_member (o, "members_total", 0);
      id = tsu_store_insert (store, "groups", o, error);
      if (id == NULL)
        return FALSE;
    }
  return TRUE;
}

static int
run_child (const char *path, guint seed)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (path, &error);
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  if (store == NULL)
    {
      g_printerr ("child: %s\n", error->message);
      return 1;
    }
  /* Opened (and migrated): the parent times most kills from here. */
  printf ("O\n");
  fflush (stdout);
  for (gint64 value = 1;; value++)
    {
      int op = g_rand_int_range (rand, 0, 10);

      if (op == 0)
        {
          g_autofree char *tag = g_strdup_printf ("batch-%u-%" G_GINT64_FORMAT, seed, value);
          if (!tsu_store_transaction (store, TSU_ORIGIN_IMPORT, insert_batch, tag, &error))
            return 1;
          printf ("B %s\n", tag);
        }
      else if (op < 4 || ids->len == 0)
        {
          g_autoptr (JsonObject) o = json_object_new ();
          char *id;

          json_object_set_string_member (o, "name", "書き込み中の団体");
          json_object_set_string_member (o, "name_kana", "カキコミチュウノダンタイ");
          json_object_set_int_member (o, "members_total", value);
          id = tsu_store_insert (store, "groups", o, &error);
          if (id == NULL)
            return 1;
          g_ptr_array_add (ids, id);
          printf ("W %s %" G_GINT64_FORMAT "\n", id, value);
        }
      else
        {
          const char *id = g_ptr_array_index (ids, g_rand_int_range (rand, 0, ids->len));
          g_autoptr (JsonObject) o = json_object_new ();

          json_object_set_int_member (o, "members_total", value);
          if (!tsu_store_update (store, "groups", id, o, &error))
            return 1;
          printf ("W %s %" G_GINT64_FORMAT "\n", id, value);
        }
      fflush (stdout);
    }
  return 0;
}

typedef struct
{
  GHashTable *last_value; /* id → value last reported committed */
  GHashTable *batches;    /* tags reported committed */
} Reported;

/* Reads what the child wrote until it ended; @buf may hold the start. */
static void
read_reports (int fd, GString *buf, Reported *rep)
{
  char    chunk[4096];
  ssize_t n;
  char  **lines;

  while ((n = read (fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (buf, chunk, n);

  lines = g_strsplit (buf->str, "\n", -1);
  for (char **l = lines; *l; l++)
    {
      char **parts = g_strsplit (*l, " ", 3);
      /* A line cut by the kill has no newline after it and may be partial:
       * only whole lines count as reports. */
      if (l[1] != NULL && parts[0] && g_str_equal (parts[0], "W") && parts[1] && parts[2])
        g_hash_table_insert (rep->last_value, g_strdup (parts[1]),
                             GINT_TO_POINTER ((int)g_ascii_strtoll (parts[2], NULL, 10)));
      else if (l[1] != NULL && parts[0] && g_str_equal (parts[0], "B") && parts[1])
        g_hash_table_add (rep->batches, g_strdup (parts[1]));
      g_strfreev (parts);
    }
  g_strfreev (lines);
}

static void
verify (const char *path, Reported *rep)
{
  sqlite3       *db = NULL;
  sqlite3_stmt  *stmt = NULL;
  GHashTableIter iter;
  gpointer       key, value;

  gboolean has_groups;

  /* Killed before it made the file: nothing can have been reported. */
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_assert_cmpuint (g_hash_table_size (rep->last_value), ==, 0);
      return;
    }
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *)sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  /* Killed during the first migrations: the schema is at an earlier version
   * (each migration is all or nothing) and nothing was reported. */
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT count(*) FROM sqlite_master WHERE name = 'groups'",
                                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  has_groups = sqlite3_column_int (stmt, 0) == 1;
  sqlite3_finalize (stmt);
  if (!has_groups)
    {
      g_assert_cmpuint (g_hash_table_size (rep->last_value), ==, 0);
      sqlite3_close (db);
      return;
    }

  /* Values only grow in the child, so the stored one is at least the last reported. */
  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT members_total FROM groups WHERE id = ?", -1, &stmt, NULL), ==,
      SQLITE_OK);
  g_hash_table_iter_init (&iter, rep->last_value);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 0), >=, GPOINTER_TO_INT (value));
    }
  sqlite3_finalize (stmt);

  g_assert_cmpint (
      sqlite3_prepare_v2 (db, "SELECT count(*) FROM groups WHERE notes = ?", -1, &stmt, NULL), ==,
      SQLITE_OK);
  g_hash_table_iter_init (&iter, rep->batches);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, BATCH);
    }
  sqlite3_finalize (stmt);

  /* No batch is ever partly there, reported or not. */
  g_assert_cmpint (sqlite3_prepare_v2 (
                       db,
                       "SELECT count(*) FROM (SELECT notes FROM groups WHERE notes LIKE 'batch-%'"
                       " GROUP BY notes HAVING count(*) != 3)",
                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, 0);
  sqlite3_finalize (stmt);

  /* Every committed change has its history and outbox entries. */
  g_assert_cmpint (sqlite3_prepare_v2 (
                       db, "SELECT (SELECT count(*) FROM history), (SELECT count(*) FROM outbox)",
                       -1, &stmt, NULL),
                   ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, sqlite3_column_int64 (stmt, 1));
  sqlite3_finalize (stmt);

  sqlite3_close (db);
}

static void
test_sigkill (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-crash-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "desk.sqlite3", NULL);
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autoptr (GRand) rand = g_rand_new_with_seed (g_test_rand_int ());
  Reported rep = {
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL),
  };
  const char *env = g_getenv ("TSU_CRASH_ITERATIONS");
  guint       iterations = env ? (guint)g_ascii_strtoull (env, NULL, 10) : ITERATIONS_DEFAULT;
  guint       killed_mid_run = 0;

  for (guint i = 0; i < iterations; i++)
    {
      g_autofree char *seed = g_strdup_printf ("%u", i + 1);
      const char      *argv[] = { self, "--child", path, seed, NULL };
      g_autoptr (GError) error = NULL;
      g_autoptr (GString) buf = g_string_new (NULL);
      GPid pid;
      int  out_fd, status;

      g_assert_true (g_spawn_async_with_pipes (NULL, (char **)argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD,
                                               NULL, NULL, &pid, NULL, &out_fd, NULL, &error));
      g_assert_no_error (error);
      /* One run in four is killed 0–40 ms after it started (during open
       * and migration), the others 0–40 ms after it said it opened (mid
       * write), however long opening takes on a loaded machine. */
      if (i % 4 != 0)
        {
          char    chunk[256];
          ssize_t n;

          while (strstr (buf->str, "O\n") == NULL
                 && ((n = read (out_fd, chunk, sizeof chunk)) > 0 || (n < 0 && errno == EINTR)))
            if (n > 0)
              g_string_append_len (buf, chunk, n);
        }
      g_usleep (g_rand_int_range (rand, 0, 40000));
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      if (WIFSIGNALED (status))
        killed_mid_run++;
      else
        g_assert_cmpint (WEXITSTATUS (status), ==, 0);
      read_reports (out_fd, buf, &rep);
      close (out_fd);
      g_spawn_close_pid (pid);

      verify (path, &rep);
    }

  g_test_message ("%u runs, %u killed while running, %u records reported, %u batches", iterations,
                  killed_mid_run, g_hash_table_size (rep.last_value),
                  g_hash_table_size (rep.batches));
  g_assert_cmpuint (killed_mid_run, >, iterations / 2);
  g_assert_cmpuint (g_hash_table_size (rep.last_value), >, 0);

  /* And the store itself still opens it. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (TsuStore) store = tsu_store_open (path, &error);
    g_assert_no_error (error);
  }

  g_hash_table_unref (rep.last_value);
  g_hash_table_unref (rep.batches);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (wal);
    g_unlink (shm);
    g_unlink (path);
    g_rmdir (dir);
  }
}

int
main (int argc, char *argv[])
{
  if (argc == 4 && g_str_equal (argv[1], "--child"))
    return run_child (argv[2], (guint)g_ascii_strtoull (argv[3], NULL, 10));

  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/store/crash/sigkill", test_sigkill);
  return g_test_run ();
}
