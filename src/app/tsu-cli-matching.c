/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tsunagu --db FILE --suggest 依頼番号 [--limit N]: who could answer a
 * request, for a coordinator's script. One suggestion a line, tab-separated:
 * the volunteer's registration number, the score, the reasons; then
 * "# near misses" and one a line: the number and what excludes them. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-cli.h"
#include "tsu-date.h"
#include "tsu-matcher.h"
#include "tsu-store-private.h"

static const GOptionEntry entries[] = {
  { "suggest", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Print the volunteers suggested for a request (its number) and exit"), N_ ("NUMBER") },
  { "limit", 0, 0, G_OPTION_ARG_INT, NULL, N_ ("How many suggestions (default 10)"), N_ ("N") },
  { NULL }
};

typedef struct
{
  const char *number;
  char       *id;
} Find;

static gboolean
find_request (sqlite3 *db, gpointer data, GError **error)
{
  Find         *f = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT id FROM requests WHERE number = ? AND deleted = 0 LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "suggest");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, f->number, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    f->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return TRUE;
}

static void
print_line (TsuSuggestion *s, gboolean with_score)
{
  g_autoptr (GString) reasons = g_string_new (NULL);

  for (guint i = 0; i < s->reasons->len; i++)
    g_string_append_printf (reasons, "%s%s", i ? "、" : "",
                            (char *)g_ptr_array_index (s->reasons, i));
  if (with_score)
    g_print ("%s\t%d\t%s\n", s->registration_number ? s->registration_number : "", s->score,
             reasons->str);
  else
    g_print ("%s\t%s\n", s->registration_number ? s->registration_number : "", reasons->str);
}

static int
suggest_command (TsuApplication *app, GVariantDict *options, gpointer user_data)
{
  const char      *number = NULL;
  int              limit = 10;
  g_autofree char *db = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GPtrArray) out = NULL;
  g_autoptr (GPtrArray) near = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  const char *fixed = g_getenv ("TSUNAGU_TODAY");
  Find        f = { NULL, NULL };
  GDate       today;

  if (!g_variant_dict_lookup (options, "suggest", "&s", &number))
    {
      if (g_variant_dict_contains (options, "limit"))
        {
          g_printerr ("%s\n", _ ("--limit goes with --suggest."));
          return 2;
        }
      return -1;
    }
  g_variant_dict_lookup (options, "limit", "i", &limit);
  if (limit < 1)
    {
      g_printerr ("%s\n", _ ("--limit needs a number of 1 or more."));
      return 2;
    }
  db = tsu_application_dup_db_path (app);
  if (db == NULL || !g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("The database “%s” does not exist.\n"), db ? db : "");
      return 1;
    }
  store = tsu_store_open (db, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db, error->message);
      return 1;
    }
  f.number = number;
  if (!tsu_store_read (store, find_request, &f, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (f.id == NULL)
    {
      g_printerr (_ ("There is no request numbered %s.\n"), number);
      return 1;
    }
  g_date_clear (&today, 1);
  if (!(fixed && tsu_date_from_iso (fixed, &today)))
    g_date_set_dmy (&today, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                    g_date_time_get_year (now));
  out = tsu_matcher_suggest (store, f.id, &today, limit, &near, &error);
  g_free (f.id);
  if (out == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  for (guint i = 0; i < out->len; i++)
    print_line (g_ptr_array_index (out, i), TRUE);
  g_print ("# near misses\n");
  for (guint i = 0; i < near->len; i++)
    print_line (g_ptr_array_index (near, i), FALSE);
  return 0;
}

/**
 * tsu_cli_matching_register:
 *
 * Adds --suggest and --limit.
 */
void
tsu_cli_matching_register (TsuApplication *app)
{
  tsu_application_add_local_command (app, entries, suggest_command, NULL);
}
