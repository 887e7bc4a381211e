/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The 年度 report and the public directory, without a display:
 *   tsunagu --db FILE --report 年度 --output DIR [--date-style wareki|seireki|both]
 *           [--encoding cp932]
 *   tsunagu --db FILE --publish-directory DIR [--date-style …]
 * 年度 as 2026, 令和8, R8 or 令和8年度. --encoding is the option of the
 * exports (tsu-cli.c); this command runs first and takes it. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-cli.h"
#include "tsu-date.h"
#include "tsu-group.h"
#include "tsu-guide-pdf.h"
#include "tsu-report-pdf.h"

static const GOptionEntry entries[] = {
  { "report", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Write the figures of a 年度 (2026, 令和8, R8) as a PDF and CSV files into the folder "
        "given with --output, and exit"),
    N_ ("YEAR") },
  { "output", 0, 0, G_OPTION_ARG_FILENAME, NULL, N_ ("The folder a report is written into"),
    N_ ("DIR") },
  { "publish-directory", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_ ("Write the public directory of groups (web pages and a PDF booklet) into DIR, and exit"),
    N_ ("DIR") },
  { "date-style", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_ ("Years in a report or directory: wareki (令和, the default), seireki or both"),
    N_ ("STYLE") },
  { NULL }
};

static gboolean
parse_style (const char *text, TsuDateStyle *style)
{
  *style = TSU_DATE_STYLE_WAREKI;
  if (text == NULL || g_str_equal (text, "wareki"))
    return TRUE;
  if (g_str_equal (text, "seireki"))
    *style = TSU_DATE_STYLE_SEIREKI;
  else if (g_str_equal (text, "both"))
    *style = TSU_DATE_STYLE_BOTH;
  else
    {
      g_printerr (_ ("Unknown date style “%s”: use wareki, seireki or both.\n"), text);
      return FALSE;
    }
  return TRUE;
}

static TsuStore *
open_store (TsuApplication *app)
{
  g_autofree char *db = NULL;
  g_autoptr (GError) error = NULL;
  TsuStore *store;

  if (tsu_application_get_demo (app))
    {
      g_printerr ("%s\n", _ ("Import and export need a database file given with --db."));
      return NULL;
    }
  db = tsu_application_dup_db_path (app);
  if (db == NULL || !g_file_test (db, G_FILE_TEST_EXISTS))
    {
      g_printerr (_ ("The database “%s” does not exist.\n"), db ? db : "");
      return NULL;
    }
  store = tsu_store_open (db, &error);
  if (store == NULL)
    g_printerr ("%s: %s\n", db, error->message);
  return store;
}

static int
report_command (TsuApplication *app,
                const char     *year,
                const char     *dir,
                const char     *encoding,
                TsuDateStyle    style)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuReport) report = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) unencodable = g_ptr_array_new_with_free_func (g_free);
  TsuCsvEncoding enc = TSU_CSV_ENCODING_UTF8_BOM;
  int            fy;

  if (!tsu_fiscal_year_parse (year, &fy, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (dir == NULL)
    {
      g_printerr ("%s\n", _ ("Say where the report goes with --output DIR."));
      return 2;
    }
  if (encoding != NULL)
    {
      if (g_ascii_strcasecmp (encoding, "cp932") == 0
          || g_ascii_strcasecmp (encoding, "shift_jis") == 0
          || g_ascii_strcasecmp (encoding, "sjis") == 0)
        enc = TSU_CSV_ENCODING_CP932;
      else if (g_ascii_strcasecmp (encoding, "utf-8") != 0
               && g_ascii_strcasecmp (encoding, "utf8") != 0)
        {
          g_printerr (_ ("Unknown encoding “%s”: use utf-8 or cp932.\n"), encoding);
          return 2;
        }
    }
  if ((store = open_store (app)) == NULL)
    return 1;
  report = tsu_report_compute_fiscal_year (store, fy, &error);
  if (report == NULL
      || !tsu_report_write (store, report, dir, style, enc, written, unencodable, &error))
    {
      g_printerr ("%s: %s\n", dir, error->message);
      return 1;
    }
  for (guint i = 0; i < written->len; i++)
    g_print ("%s\n", (char *)g_ptr_array_index (written, i));
  return 0;
}

static int
publish_command (TsuApplication *app, const char *dir, TsuDateStyle style)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  GDate today;
  guint n = 0;

  if ((store = open_store (app)) == NULL)
    return 1;
  tsu_group_today (&today);
  if (!tsu_guide_publish (store, dir, style, &today, &n, NULL, &error))
    {
      g_printerr ("%s: %s\n", dir, error->message);
      return 1;
    }
  g_print (g_dngettext (GETTEXT_PACKAGE, "%u group published into %s.\n",
                        "%u groups published into %s.\n", n),
           n, dir);
  return 0;
}

static int
command (TsuApplication *app, GVariantDict *options, gpointer user_data)
{
  const char  *year = NULL, *dir = NULL, *publish = NULL, *style_text = NULL, *encoding = NULL;
  TsuDateStyle style;

  g_variant_dict_lookup (options, "report", "&s", &year);
  g_variant_dict_lookup (options, "output", "^&ay", &dir);
  g_variant_dict_lookup (options, "publish-directory", "^&ay", &publish);
  g_variant_dict_lookup (options, "date-style", "&s", &style_text);
  if (year == NULL && publish == NULL)
    {
      if (dir != NULL || style_text != NULL)
        {
          g_printerr ("%s\n", _ ("--output and --date-style go with --report or "
                                 "--publish-directory."));
          return 2;
        }
      return -1;
    }
  if (year != NULL && publish != NULL)
    {
      g_printerr ("%s\n", _ ("Give --report or --publish-directory, not both."));
      return 2;
    }
  if (!parse_style (style_text, &style))
    return 2;
  if (year != NULL)
    {
      g_variant_dict_lookup (options, "encoding", "&s", &encoding);
      return report_command (app, year, dir, encoding, style);
    }
  if (dir != NULL || g_variant_dict_contains (options, "encoding"))
    {
      g_printerr ("%s\n", _ ("--publish-directory takes its folder itself, and writes UTF-8."));
      return 2;
    }
  return publish_command (app, publish, style);
}

/**
 * tsu_cli_report_register:
 *
 * Adds --report, --output, --publish-directory and --date-style. Register
 * it before tsu_cli_register(): it reads --encoding, which that adds.
 */
void
tsu_cli_report_register (TsuApplication *app)
{
  tsu_application_add_local_command (app, entries, command, NULL);
}
