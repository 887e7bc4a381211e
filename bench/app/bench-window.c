/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The whole application on a database: its peak memory (VmHWM) after every
 * page of the window has been shown, each until its list has loaded.
 * bench/run compares it with gnome-text-editor on an empty file, measured
 * the same way (/proc/PID/status), in the same run.
 *
 *   bench-window --db FILE [--groups N]
 *
 * With --groups, FILE is filled with N demo groups first (through the
 * write path) when it holds fewer; the other benchmarks reuse it. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <adwaita.h>
#include <stdio.h>

#include "tsu-application.h"
#include "tsu-bench.h"
#include "tsu-demo.h"
#include "tsu-group.h"
#include "tsu-window.h"

static char *db_path = NULL;
static int   n_groups = 0;
static int   settle_ms = 1500;

static const GOptionEntry options[]
    = { { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Database file", "FILE" },
        { "groups", 0, 0, G_OPTION_ARG_INT, &n_groups, "Fill FILE with N groups first", "N" },
        { "settle", 0, 0, G_OPTION_ARG_INT, &settle_ms, "Time given each page, ms", "MS" },
        { NULL } };

static double
status_mb (const char *key)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return NAN;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], key))
      return g_ascii_strtod (lines[i] + strlen (key) + 1, NULL) / 1024.0;
  return NAN;
}

static void
settle (int ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5000);
    }
}

static void
collect_stacks (GtkWidget *w, GPtrArray *stacks)
{
  if (ADW_IS_VIEW_STACK (w) || GTK_IS_STACK (w))
    g_ptr_array_add (stacks, w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;
       c = gtk_widget_get_next_sibling (c))
    collect_stacks (c, stacks);
}

/* Every page of every view stack, then every named child of other stacks
 * inside them (a sub-page such as funders in grants), once each. */
static guint
visit_pages (GtkWidget *root, GHashTable *seen)
{
  g_autoptr (GPtrArray) stacks = g_ptr_array_new ();
  guint visited = 0;

  collect_stacks (root, stacks);
  for (guint i = 0; i < stacks->len; i++)
    {
      GtkWidget *stack = g_ptr_array_index (stacks, i);
      g_autoptr (GtkSelectionModel) pages = NULL;
      guint n;

      if (g_hash_table_contains (seen, stack))
        continue;
      g_hash_table_add (seen, stack);
      pages = ADW_IS_VIEW_STACK (stack) ? adw_view_stack_get_pages (ADW_VIEW_STACK (stack))
                                        : gtk_stack_get_pages (GTK_STACK (stack));
      n = g_list_model_get_n_items (G_LIST_MODEL (pages));
      for (guint k = 0; k < n; k++)
        {
          g_autoptr (GObject) page = g_list_model_get_item (G_LIST_MODEL (pages), k);
          g_autofree char *name = NULL;
          GtkWidget       *child = NULL;

          g_object_get (page, "name", &name, "child", &child, NULL);
          if (name == NULL || g_str_equal (name, "error") || g_str_equal (name, "loading"))
            {
              g_clear_object (&child);
              continue;
            }
          if (ADW_IS_VIEW_STACK (stack))
            adw_view_stack_set_visible_child_name (ADW_VIEW_STACK (stack), name);
          else
            gtk_stack_set_visible_child_name (GTK_STACK (stack), name);
          settle (settle_ms);
          visited++;
          g_print ("page %s: RSS %.1f MB, peak %.1f MB\n", name, status_mb ("VmRSS:"),
                   status_mb ("VmHWM:"));
          if (child != NULL)
            visited += visit_pages (child, seen);
          g_clear_object (&child);
        }
    }
  return visited;
}

static TsuWindow *
main_window (TsuApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (TSU_IS_WINDOW (l->data))
      return l->data;
  return NULL;
}

static gboolean
run_cb (gpointer data)
{
  TsuApplication *app = data;
  g_autoptr (GHashTable) seen = g_hash_table_new (NULL, NULL);
  TsuWindow *window;
  double     opened;
  guint      visited;

  g_application_hold (G_APPLICATION (app));
  while ((window = main_window (app)) == NULL || tsu_window_get_store (window) == NULL)
    g_main_context_iteration (NULL, TRUE);
  settle (settle_ms);
  opened = status_mb ("VmHWM:");
  visited = visit_pages (GTK_WIDGET (window), seen);
  {
    double           peak = status_mb ("VmHWM:");
    g_autofree char *spread = g_strdup_printf (
        "%u pages visited, %d ms each; peak %.1f MB once the first page was shown", visited,
        settle_ms, opened);

    const char *editor = g_getenv ("TSU_BENCH_EDITOR_RSS_MB"); /* measured by bench/run */

    tsu_bench_report ("window", "peak RSS after visiting every page", n_groups, peak, "MB",
                      editor ? "gnome-text-editor, empty file" : NULL,
                      editor ? g_ascii_strtod (editor, NULL) : NAN, "≤ 150 MB", peak <= 150,
                      spread);
  }
  gtk_window_destroy (GTK_WINDOW (window));
  g_application_release (G_APPLICATION (app));
  return G_SOURCE_REMOVE;
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) ctx = g_option_context_new ("— the window's memory");
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuApplication) app = NULL;
  char *app_argv[] = { (char *)"bench-window", NULL };

  g_option_context_add_main_entries (ctx, options, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || db_path == NULL)
    {
      g_printerr ("%s\n", error ? error->message : "--db FILE is needed");
      return 2;
    }
  if (n_groups > 0)
    {
      g_autoptr (TsuStore) store = tsu_store_open (db_path, &error);

      if (store == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (tsu_store_count (store, "groups", FALSE, NULL) < n_groups)
        {
          g_autoptr (GRand) rand = g_rand_new_with_seed (1);
          GDate  today;
          double t0 = tsu_bench_now_ms ();

          tsu_group_today (&today);
          if (!tsu_demo_populate_groups (store, rand,
                                         n_groups - tsu_store_count (store, "groups", FALSE, NULL),
                                         &today, &error))
            {
              g_printerr ("%s\n", error->message);
              return 1;
            }
          g_print ("filled %s with %d groups in %.0f ms\n", db_path, n_groups,
                   tsu_bench_now_ms () - t0);
        }
    }
  if (g_getenv ("TSU_BENCH_FILL_ONLY"))
    return 0;
  app = tsu_application_new ();
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  tsu_application_set_db_path (app, db_path);
  g_idle_add (run_cb, app);
  return g_application_run (G_APPLICATION (app), 1, app_argv);
}
