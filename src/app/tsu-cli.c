/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The import and export commands every collection has, without a display:
 *   tsunagu --db FILE --import TYPE F.csv
 *   tsunagu --db FILE --export TYPE F.csv [--encoding cp932] [--public]
 * and the per-type names centres' scripts already use (--import-groups F). */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-cli.h"
#include "tsu-counter.h"
#include "tsu-date.h"
#include "tsu-equipment.h"
#include "tsu-grants.h"
#include "tsu-record-csv.h"

/* The per-type options: one line each, kept for the scripts that use them. */
static const struct
{
  const char *option;
  const char *collection;
  gboolean    import;
} aliases[] = {
  { "import-groups", "groups", TRUE },         { "export-groups", "groups", FALSE },
  { "import-volunteers", "volunteers", TRUE }, { "export-volunteers", "volunteers", FALSE },
  { "import-requests", "requests", TRUE },     { "import-resources", "resources", TRUE },
  { "import-programmes", "programmes", TRUE }, { "export-programmes", "programmes", FALSE },
};

static const GOptionEntry entries[] = {
  { "import", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Import records of TYPE (groups, funders…) from the CSV file that follows, all rows or "
        "none, and exit"),
    N_ ("TYPE") },
  { "export", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Export every record of TYPE to the CSV file that follows, in 五十音順, and exit"),
    N_ ("TYPE") },
  { "import-groups", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("The same as --import groups FILE"),
    N_ ("FILE") },
  { "export-groups", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("The same as --export groups FILE"),
    N_ ("FILE") },
  { "import-volunteers", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("The same as --import volunteers FILE"), N_ ("FILE") },
  { "export-volunteers", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("The same as --export volunteers FILE"), N_ ("FILE") },
  { "import-requests", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("The same as --import requests FILE"),
    N_ ("FILE") },
  { "import-resources", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("The same as --import resources FILE (the first inventory)"), N_ ("FILE") },
  { "import-programmes", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("The same as --import programmes FILE"), N_ ("FILE") },
  { "export-programmes", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("The same as --export programmes FILE"), N_ ("FILE") },
  { "export-deadlines", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Write the grant deadlines (from --from, or today) to an iCalendar file and exit"),
    N_ ("FILE") },
  { "export-bookings", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Write the bookings starting between --from and --to to a CSV file and exit"),
    N_ ("FILE") },
  { "export-consultations", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Write the consultations from --from to --to to a CSV file and exit"), N_ ("FILE") },
  { "from", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("First day of a report (2026-04-01 or 令和8年4月1日)"), N_ ("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, NULL, N_ ("Last day of a report"), N_ ("DATE") },
  { "encoding", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Encoding of an exported file: utf-8 (with BOM, the default) or cp932"), N_ ("ENCODING") },
  { "public", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_ ("Export only what may be published: public records and fields"), NULL },
  { NULL }
};

static void
today (GDate *out)
{
  const char *fixed = g_getenv ("TSUNAGU_TODAY");
  g_autoptr (GDateTime) now = NULL;

  g_date_clear (out, 1);
  if (fixed && tsu_date_from_iso (fixed, out))
    return;
  now = g_date_time_new_now_local ();
  g_date_set_dmy (out, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
}

static int
cli_import (const TsuCollection *c, const char *db_path, const char *csv_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuRecordImport) import = NULL;
  TsuCsvContext   ctx = { { 0 } };
  TsuImportCounts n;
  GPtrArray      *errors;

  today (&ctx.today);
  import = tsu_record_import_new_from_file (c, csv_path, &ctx, &error);
  if (import == NULL)
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  for (guint i = 0; i < tsu_record_import_get_warnings (import)->len; i++)
    g_printerr (_ ("%s: warning: %s\n"), csv_path,
                (char *)g_ptr_array_index (tsu_record_import_get_warnings (import), i));
  errors = tsu_record_import_get_errors (import);
  if (errors->len > 0)
    {
      for (guint i = 0; i < errors->len; i++)
        {
          TsuImportIssue *issue = g_ptr_array_index (errors, i);
          g_printerr ("%s:%u: %s\n", csv_path, issue->line, issue->message);
        }
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: %u error; nothing was imported.\n",
                               "%s: %u errors; nothing was imported.\n", errors->len),
                  csv_path, errors->len);
      return 1;
    }
  store = tsu_store_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db_path ? db_path : "", error->message);
      return 1;
    }
  /* Another import or a sync may be writing: wait, and say so. */
  tsu_store_set_busy_wait (store, TSU_STORE_CLI_BUSY_WAIT_MS, tsu_store_print_waiting, NULL);
  if (!tsu_record_import_commit (import, store, FALSE, &n, &error))
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  /* TRANSLATORS: the counts of an import; the first %s is the kind of record (団体) */
  g_print (_ ("%s: %u new, %u updated, %u unchanged (%u of the new look like existing "
              "records).\n"),
           tsu_collection_get_label (c), n.n_new, n.n_updated, n.n_unchanged, n.n_duplicates);
  return 0;
}

static gboolean
parse_encoding (const char *encoding, TsuCsvEncoding *enc)
{
  *enc = TSU_CSV_ENCODING_UTF8_BOM;
  if (encoding == NULL || g_ascii_strcasecmp (encoding, "utf-8") == 0
      || g_ascii_strcasecmp (encoding, "utf8") == 0)
    return TRUE;
  if (g_ascii_strcasecmp (encoding, "cp932") == 0 || g_ascii_strcasecmp (encoding, "shift_jis") == 0
      || g_ascii_strcasecmp (encoding, "sjis") == 0)
    *enc = TSU_CSV_ENCODING_CP932;
  else if (g_ascii_strcasecmp (encoding, "utf-8-nobom") == 0)
    *enc = TSU_CSV_ENCODING_UTF8;
  else
    {
      g_printerr (_ ("Unknown encoding “%s”: use utf-8 or cp932.\n"), encoding);
      return FALSE;
    }
  return TRUE;
}

static TsuStore *
open_existing (const char *db_path)
{
  g_autoptr (GError) error = NULL;
  TsuStore *store;

  if (db_path == NULL || !g_file_test (db_path, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("The database “%s” does not exist.\n"), db_path ? db_path : "");
      return NULL;
    }
  store = tsu_store_open (db_path, &error);
  if (store == NULL)
    g_printerr ("%s: %s\n", db_path, error->message);
  return store;
}

static void
report_unencodable (const char *path, GPtrArray *unencodable)
{
  g_autoptr (GString) chars = g_string_new (NULL);

  for (guint i = 0; i < unencodable->len; i++)
    g_string_append (chars, g_ptr_array_index (unencodable, i));
  if (chars->len)
    g_printerr (_ ("%s: Shift_JIS cannot hold %s; written as 〓.\n"), path, chars->str);
}

typedef GBytes *(*ReportFunc) (
    TsuStore *, const GDate *, const GDate *, TsuCsvEncoding, GPtrArray *, GError **);

/* The reports over a span of days, for the city:
 *   --export-bookings F --from DATE --to DATE       (bookings by start)
 *   --export-consultations F --from DATE --to DATE  (the counter's log) */
static const struct
{
  const char *option;
  ReportFunc  func;
} reports[] = {
  { "export-bookings", tsu_booking_report },
  { "export-consultations", tsu_consultation_report },
};

static int
cli_report (ReportFunc  func,
            const char *db_path,
            const char *path,
            const char *from,
            const char *to,
            const char *encoding)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GPtrArray) unencodable = g_ptr_array_new_with_free_func (g_free);
  TsuCsvEncoding enc;
  GDate          a, b;

  if (from == NULL || to == NULL)
    {
      g_printerr ("%s\n", _ ("A report needs --from and --to."));
      return 2;
    }
  if (!tsu_date_parse (from, &a, &error) || !tsu_date_parse (to, &b, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (!parse_encoding (encoding, &enc))
    return 2;
  if ((store = open_existing (db_path)) == NULL)
    return 1;
  if (g_date_compare (&a, &b) > 0)
    {
      g_printerr ("%s\n", _ ("--from comes after --to."));
      return 2;
    }
  bytes = func (store, &a, &b, enc, unencodable, &error);
  if (bytes == NULL || !tsu_store_write_output (store, path, bytes, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      return 1;
    }
  report_unencodable (path, unencodable);
  return 0;
}

/* --export-deadlines F.ics [--from DATE]: for GNOME Calendar, Thunderbird
 * and Outlook. */
static int
cli_deadlines (const char *db_path, const char *path, const char *from)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GBytes) bytes = NULL;
  GDate day;

  if (from != NULL && !tsu_date_parse (from, &day, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (from == NULL)
    today (&day);
  if ((store = open_existing (db_path)) == NULL)
    return 1;
  bytes = tsu_grants_ics (store, &day, &error);
  if (bytes == NULL || !tsu_store_write_output (store, path, bytes, &error))
    {
      g_printerr ("%s: %s\n", path, error->message);
      return 1;
    }
  return 0;
}

static int
cli_export (const TsuCollection *c,
            const char          *db_path,
            const char          *csv_path,
            const char          *encoding,
            gboolean             public_only)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GPtrArray) unencodable = g_ptr_array_new_with_free_func (g_free);
  TsuCsvEncoding enc;
  TsuCsvContext  ctx = { { 0 } };

  if (!parse_encoding (encoding, &enc))
    return 2;
  if ((store = open_existing (db_path)) == NULL)
    return 1;
  today (&ctx.today);
  ctx.public_only = public_only;
  if (!tsu_record_export_file (store, c, NULL, csv_path, enc, &ctx, unencodable, &error))
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  report_unencodable (csv_path, unencodable);
  return 0;
}

static const TsuCollection *
collection_for (const char *type)
{
  const TsuCollection *c = tsu_collection_lookup (type);

  if (c == NULL || c->csv == NULL)
    {
      guint                 n;
      const TsuCollection **all = tsu_collections_all (&n);
      g_autoptr (GString) names = g_string_new (NULL);

      for (guint i = 0; i < n; i++)
        if (all[i]->csv != NULL)
          g_string_append_printf (names, "%s%s", names->len ? ", " : "", all[i]->name);
      g_printerr (_ ("“%s” is not a kind of record that has CSV files; use one of: %s.\n"),
                  type ? type : "", names->str);
    }
  return c && c->csv ? c : NULL;
}

static int
cli_command (TsuApplication *app, GVariantDict *options, gpointer user_data)
{
  const char          *type = NULL, *encoding = NULL, *file = NULL, *report = NULL;
  const char          *from = NULL, *to = NULL;
  const TsuCollection *c = NULL;
  gboolean             import = FALSE, export = FALSE;
  g_auto (GStrv) args = NULL;
  g_autofree char *db = NULL;

  g_variant_dict_lookup (options, "encoding", "&s", &encoding);
  g_variant_dict_lookup (options, "from", "&s", &from);
  g_variant_dict_lookup (options, "to", "&s", &to);
  if (g_variant_dict_lookup (options, "export-deadlines", "^&ay", &report))
    {
      if (tsu_application_get_demo (app))
        {
          g_printerr ("%s\n", _ ("Import and export need a database file given with --db."));
          return 2;
        }
      if (to != NULL || encoding != NULL)
        {
          g_printerr ("%s\n", _ ("--export-deadlines takes --from only."));
          return 2;
        }
      db = tsu_application_dup_db_path (app);
      return cli_deadlines (db, report, from);
    }
  for (guint i = 0; i < G_N_ELEMENTS (reports); i++)
    if (g_variant_dict_lookup (options, reports[i].option, "^&ay", &report))
      {
        if (tsu_application_get_demo (app))
          {
            g_printerr ("%s\n", _ ("Import and export need a database file given with --db."));
            return 2;
          }
        db = tsu_application_dup_db_path (app);
        return cli_report (reports[i].func, db, report, from, to, encoding);
      }
  if (from != NULL || to != NULL)
    {
      g_printerr ("%s\n", _ ("--from and --to go with a report such as --export-bookings."));
      return 2;
    }
  if (g_variant_dict_lookup (options, "import", "&s", &type))
    import = TRUE;
  if (g_variant_dict_lookup (options, "export", "&s", &type))
    export = TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (aliases); i++)
    if (g_variant_dict_lookup (options, aliases[i].option, "^&ay", &file))
      {
        if (import || export)
          {
            g_printerr ("%s\n", _ ("Give one import or export at a time."));
            return 2;
          }
        type = aliases[i].collection;
        import = aliases[i].import;
        export = !aliases[i].import;
      }
  if (!import && !export)
    {
      if (encoding != NULL || g_variant_dict_contains (options, "public"))
        {
          g_printerr ("%s\n", _ ("--encoding and --public go with an export."));
          return 2;
        }
      return -1;
    }
  if (import && export)
    {
      g_printerr ("%s\n", _ ("Give one import or export at a time."));
      return 2;
    }
  if (import && (encoding != NULL || g_variant_dict_contains (options, "public")))
    {
      g_printerr ("%s\n", _ ("--encoding and --public go with an export; an import reads either "
                             "encoding by itself."));
      return 2;
    }
  if (file == NULL)
    {
      args = tsu_application_get_arguments (options);
      if (args == NULL || g_strv_length (args) != 1)
        {
          g_printerr ("%s\n", _ ("Name one CSV file after the kind of record, like: "
                                 "--import groups groups.csv"));
          return 2;
        }
      file = args[0];
    }
  if ((c = collection_for (type)) == NULL)
    return 2;
  if (tsu_application_get_demo (app))
    {
      g_printerr ("%s\n", _ ("Import and export need a database file given with --db."));
      return 2;
    }
  db = tsu_application_dup_db_path (app);
  if (import)
    return cli_import (c, db, file);
  return cli_export (c, db, file, encoding, g_variant_dict_contains (options, "public"));
}

/**
 * tsu_cli_register:
 *
 * Adds --import, --export (and the per-type names), --encoding and --public.
 */
void
tsu_cli_register (TsuApplication *app)
{
  tsu_application_add_local_command (app, entries, cli_command, NULL);
}
