/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The application shell under a real display: the window opens in Japanese
 * with its five pages, remembers its page and size, opens preferences and
 * the about window, reports bad database files without touching them, and
 * everything is finalized when closed. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tsu-application.h"
#include "tsu-preferences-window.h"
#include "tsu-store.h"
#include "tsu-window.h"
#include "tsu-record-page.h"
#include "tsu-groups-view.h"
#include "tsu-sync-status.h"

static char    *tmp_dir;
static gboolean timed_out;

static gboolean
timeout_cb (gpointer data)
{
  timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Spins the main loop until @cond holds. The timeout only stops a hang;
 * nothing here depends on how fast things happen. */
#define WAIT_UNTIL(cond)                                                                           \
  G_STMT_START                                                                                     \
  {                                                                                                \
    guint timeout_id_ = g_timeout_add_seconds (60, timeout_cb, NULL);                              \
    timed_out = FALSE;                                                                             \
    while (!(cond) && !timed_out)                                                                  \
      g_main_context_iteration (NULL, TRUE);                                                       \
    if (!timed_out)                                                                                \
      g_source_remove (timeout_id_);                                                               \
    g_assert_true (cond);                                                                          \
  }                                                                                                \
  G_STMT_END

static void
drain_main_context (void)
{
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
}

static TsuApplication *
create_app (const char *db_path, gboolean demo)
{
  TsuApplication *app = tsu_application_new ();

  /* One process runs several applications in turn. */
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  tsu_application_set_db_path (app, db_path);
  tsu_application_set_demo (app, demo);

  return app;
}

typedef void (*AppTestFunc) (TsuApplication *app, gpointer user_data);

typedef struct
{
  TsuApplication *app;
  AppTestFunc     func;
  gpointer        user_data;
} AppTest;

static gboolean
app_test_idle_cb (gpointer data)
{
  AppTest *test = data;

  g_application_hold (G_APPLICATION (test->app));
  test->func (test->app, test->user_data);
  g_application_release (G_APPLICATION (test->app));

  return G_SOURCE_REMOVE;
}

/* Runs @func inside the application's real life cycle (startup, activate,
 * shutdown), then checks that the application is finalized. @func must
 * close every window it opens; the application then quits by itself. */
static void
run_app (TsuApplication *app, AppTestFunc func, gpointer user_data)
{
  AppTest test = { app, func, user_data };
  char   *argv[] = { (char *)"test-window", NULL };

  g_idle_add (app_test_idle_cb, &test);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 1, argv), ==, 0);
  g_assert_finalize_object (app);
}

static TsuWindow *
find_main_window (TsuApplication *app)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL; l = l->next)
    if (TSU_IS_WINDOW (l->data))
      return l->data;

  return NULL;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels (); /* transfer none */
  guint       n = g_list_model_get_n_items (toplevels);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

/* Activates @app and waits for its window to leave the loading page. */
static TsuWindow *
activate_and_wait (TsuApplication *app)
{
  TsuWindow *window;
  GtkStack  *main_stack;

  g_application_activate (G_APPLICATION (app));
  window = find_main_window (app);
  g_assert_nonnull (window);

  main_stack = GTK_STACK (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "main_stack"));
  WAIT_UNTIL (!g_str_equal (gtk_stack_get_visible_child_name (main_stack), "loading"));
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (window)));

  return window;
}

static void
close_and_finalize_window (GtkWindow *window)
{
  g_object_ref (window);
  gtk_window_close (window);
  drain_main_context ();
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (window)));
  g_assert_finalize_object (window);
}

static void
collect_labels (GtkWidget *widget, GString *out)
{
  if (GTK_IS_LABEL (widget))
    {
      g_string_append (out, gtk_label_get_label (GTK_LABEL (widget)));
      g_string_append_c (out, '|');
    }

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_labels (child, out);
}

static GBytes *
read_file (const char *path)
{
  g_autoptr (GError) error = NULL;
  char *contents = NULL;
  gsize length = 0;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, length);
}

static const struct
{
  const char *name;
  const char *title;
} pages[] = {
  { "groups", "団体" },   { "matching", "マッチング" }, { "equipment", "備品" },
  { "grants", "助成金" }, { "counter", "窓口" },        { "statistics", "統計" },
};

static GtkWidget *
find_in (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_in (c, type);
      if (w)
        return w;
    }
  return NULL;
}

static void
pages_body (TsuApplication *app, gpointer user_data)
{
  const char *db_path = user_data;
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");
  g_autoptr (GtkSelectionModel) page_model = NULL;
  g_autoptr (GString) labels = g_string_new ("|");
  g_auto (GStrv) accels = NULL;
  TsuWindow    *window;
  TsuStore     *store;
  AdwViewStack *view_stack;
  GtkWidget    *switcher_title;
  GtkWindow    *help_overlay;

  window = activate_and_wait (app);

  store = tsu_window_get_store (window);
  g_assert_nonnull (store);
  g_assert_true (store == tsu_application_get_store (app));
  g_assert_cmpstr (tsu_store_get_path (store), ==, db_path);
  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
  /* A centre's own database offers sync (the demo does not). */
  g_assert_true (gtk_widget_get_visible (find_in (GTK_WIDGET (window), TSU_TYPE_SYNC_STATUS)));

  /* The window speaks Japanese. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "つなぐ");

  view_stack = ADW_VIEW_STACK (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "view_stack"));
  page_model = adw_view_stack_get_pages (view_stack);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (page_model)), ==, G_N_ELEMENTS (pages));

  switcher_title = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "switcher_title"));
  g_assert_true (
      adw_view_switcher_title_get_view_switcher_enabled (ADW_VIEW_SWITCHER_TITLE (switcher_title)));
  collect_labels (switcher_title, labels);

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autoptr (AdwViewStackPage) page = g_list_model_get_item (G_LIST_MODEL (page_model), i);
      g_autofree char *quoted = g_strdup_printf ("|%s|", pages[i].title);

      g_assert_cmpstr (adw_view_stack_page_get_name (page), ==, pages[i].name);
      g_assert_cmpstr (adw_view_stack_page_get_title (page), ==, pages[i].title);
      /* What the switcher in the header bar shows. */
      g_assert_nonnull (strstr (labels->str, quoted));
    }

  /* Switch with the switcher's model, then with the action, and check the
   * setting follows. */
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *last_page = NULL;

      gtk_selection_model_select_item (page_model, i, TRUE);
      g_assert_cmpstr (tsu_window_get_page (window), ==, pages[i].name);
      last_page = g_settings_get_string (settings, "last-page");
      g_assert_cmpstr (last_page, ==, pages[i].name);
    }
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    {
      g_autofree char *last_page = NULL;

      g_assert_true (
          gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", pages[i].name));
      g_assert_cmpstr (adw_view_stack_get_visible_child_name (view_stack), ==, pages[i].name);
      last_page = g_settings_get_string (settings, "last-page");
      g_assert_cmpstr (last_page, ==, pages[i].name);
    }
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", "equipment"));

  /* Accelerators of the primary menu. */
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.quit");
  g_assert_cmpstr (accels[0], ==, "<Control>q");
  g_clear_pointer (&accels, g_strfreev);
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "win.show-help-overlay");
  g_assert_cmpstr (accels[0], ==, "<Control>question");

  /* The shortcuts window comes from gtk/help-overlay.ui. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL));
  help_overlay
      = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (help_overlay);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (help_overlay)));
  gtk_widget_set_visible (GTK_WIDGET (help_overlay), FALSE);

  /* Size and page are remembered for the next window. */
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 640);
  close_and_finalize_window (GTK_WINDOW (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 900);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 640);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));

  window = activate_and_wait (app);
  g_assert_cmpstr (tsu_window_get_page (window), ==, "equipment");
  g_assert_true (tsu_window_get_store (window) == store);
  close_and_finalize_window (GTK_WINDOW (window));
}

/* The question asked last (not one already answered). */
static AdwMessageDialog *
question (GHashTable *answered)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && !g_hash_table_contains (answered, w))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static void
type_name (TsuRecordPage *page, const char *text)
{
  GtkWidget *row = tsu_record_form_get_field_row (tsu_record_page_get_form (page), "name");

  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

/* The unsaved-change guard covers going to another page of the window, and
 * quitting through its question frees nothing twice (issue 10: four
 * "invalid (NULL) class pointer" warnings, fatal in tests). */
static void
guard_body (TsuApplication *app, gpointer user_data)
{
  g_autoptr (GHashTable) answered = g_hash_table_new (NULL, NULL);
  TsuWindow        *window = activate_and_wait (app);
  TsuRecordPage    *page;
  AdwMessageDialog *q;
  gpointer          weak;

  tsu_window_set_page (window, "groups");
  page = TSU_RECORD_PAGE (find_in (GTK_WIDGET (window), TSU_TYPE_GROUPS_VIEW));
  g_assert_nonnull (page);
  gtk_widget_activate_action (GTK_WIDGET (page), "record.new", NULL);
  type_name (page, "三池合唱団");
  g_assert_true (tsu_record_page_get_dirty (page));

  /* Another page: the question, and the record stays on screen meanwhile. */
  tsu_window_set_page (window, "grants");
  g_assert_cmpstr (tsu_window_get_page (window), ==, "groups");
  WAIT_UNTIL ((q = question (answered)) != NULL);
  g_hash_table_add (answered, q);
  adw_message_dialog_response (q, "cancel");
  drain_main_context ();
  g_assert_cmpstr (tsu_window_get_page (window), ==, "groups");
  g_assert_true (tsu_record_page_get_dirty (page));
  tsu_window_set_page (window, "grants");
  WAIT_UNTIL ((q = question (answered)) != NULL);
  g_hash_table_add (answered, q);
  adw_message_dialog_response (q, "discard");
  drain_main_context ();
  g_assert_cmpstr (tsu_window_get_page (window), ==, "grants");
  g_assert_false (tsu_record_page_get_dirty (page));

  /* Quit with unsaved changes: asked, then closed cleanly. */
  tsu_window_set_page (window, "groups");
  gtk_widget_activate_action (GTK_WIDGET (page), "record.new", NULL);
  type_name (page, "有明海クリーン応援団");
  weak = window;
  g_object_add_weak_pointer (G_OBJECT (window), &weak);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  WAIT_UNTIL ((q = question (answered)) != NULL);
  g_hash_table_add (answered, q);
  g_assert_nonnull (weak);
  adw_message_dialog_response (q, "discard");
  WAIT_UNTIL (weak == NULL);
}

static void
test_window_guard (void)
{
  g_autofree char *db_path = g_build_filename (tmp_dir, "guard.sqlite3", NULL);

  run_app (create_app (db_path, FALSE), guard_body, db_path);
}

static void
test_window_pages (void)
{
  g_autofree char *db_path = g_build_filename (tmp_dir, "pages.sqlite3", NULL);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");

  g_settings_reset (settings, "last-page");
  run_app (create_app (db_path, FALSE), pages_body, db_path);
}

static void
preferences_about_body (TsuApplication *app, gpointer user_data)
{
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");
  g_autofree char *date_style = NULL;
  g_autofree char *staff_name = NULL;
  TsuWindow       *window;
  TsuStore        *store;
  GtkWindow       *preferences;
  GtkWindow       *about;
  AdwComboRow     *date_style_row;
  GtkEditable     *staff_name_row;
  GListModel      *model;

  window = activate_and_wait (app);
  store = tsu_window_get_store (window);
  g_assert_nonnull (store);

  /* With no staff name, the account's name is the author. */
  g_assert_cmpstr (tsu_store_get_author (store), ==, g_get_real_name ());

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (TSU_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (preferences)));
  g_assert_true (gtk_window_get_transient_for (preferences) == GTK_WINDOW (window));
  g_assert_cmpstr (gtk_window_get_title (preferences), ==, "設定");

  date_style_row = ADW_COMBO_ROW (gtk_widget_get_template_child (
      GTK_WIDGET (preferences), TSU_TYPE_PREFERENCES_WINDOW, "date_style_row"));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (date_style_row)), ==,
                   "日付");
  model = adw_combo_row_get_model (date_style_row);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "西暦");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "和暦");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 2), ==, "両方");
  g_assert_cmpuint (adw_combo_row_get_selected (date_style_row), ==, 2); /* 'both' */
  g_settings_set_string (settings, "date-style", "wareki");
  g_assert_cmpuint (adw_combo_row_get_selected (date_style_row), ==, 1);
  adw_combo_row_set_selected (date_style_row, 0);
  date_style = g_settings_get_string (settings, "date-style");
  g_assert_cmpstr (date_style, ==, "seireki");

  /* The staff name becomes the store's author at once. */
  staff_name_row = GTK_EDITABLE (gtk_widget_get_template_child (
      GTK_WIDGET (preferences), TSU_TYPE_PREFERENCES_WINDOW, "staff_name_row"));
  gtk_editable_set_text (staff_name_row, "大牟田 花子");
  staff_name = g_settings_get_string (settings, "staff-name");
  g_assert_cmpstr (staff_name, ==, "大牟田 花子");
  g_assert_cmpstr (tsu_store_get_author (store), ==, "大牟田 花子");
  gtk_editable_set_text (staff_name_row, "");
  g_assert_cmpstr (tsu_store_get_author (store), ==, g_get_real_name ());

  close_and_finalize_window (preferences);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  WAIT_UNTIL (gtk_widget_get_mapped (GTK_WIDGET (about)));
  g_assert_cmpstr (adw_about_window_get_application_name (ADW_ABOUT_WINDOW (about)), ==, "つなぐ");
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, VERSION);
  g_assert_cmpstr (adw_about_window_get_developer_name (ADW_ABOUT_WINDOW (about)), ==,
                   "Tsunagu developers");
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_cmpstr (adw_about_window_get_translator_credits (ADW_ABOUT_WINDOW (about)), ==,
                   "Tsunagu 開発チーム");
  g_assert_nonnull (strstr (adw_about_window_get_comments (ADW_ABOUT_WINDOW (about)), "市民活動"));
  close_and_finalize_window (about);

  /* app.quit closes the window (saving its state) rather than killing it. */
  g_object_ref (window);
  g_action_group_activate_action (G_ACTION_GROUP (app), "quit", NULL);
  drain_main_context ();
  g_assert_null (find_main_window (app));
  g_assert_finalize_object (window);
}

static void
test_window_preferences_about (void)
{
  g_autofree char *db_path = g_build_filename (tmp_dir, "preferences.sqlite3", NULL);
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");

  g_settings_reset (settings, "staff-name");
  g_settings_reset (settings, "date-style");
  run_app (create_app (db_path, FALSE), preferences_about_body, NULL);
}

static void
refused_body (TsuApplication *app, gpointer user_data)
{
  const char    *expected_title = user_data;
  TsuWindow     *window;
  GtkStack      *main_stack;
  AdwStatusPage *error_page;
  GtkWidget     *switcher_title;

  window = activate_and_wait (app);

  main_stack = GTK_STACK (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "main_stack"));
  error_page = ADW_STATUS_PAGE (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "error_page"));
  switcher_title = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (window), TSU_TYPE_WINDOW, "switcher_title"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (main_stack), ==, "error");
  g_assert_cmpstr (adw_status_page_get_title (error_page), ==, expected_title);
  g_assert_nonnull (
      strstr (adw_status_page_get_description (error_page), "ファイルは変更していません。"));
  g_assert_false (
      adw_view_switcher_title_get_view_switcher_enabled (ADW_VIEW_SWITCHER_TITLE (switcher_title)));
  g_assert_null (tsu_window_get_store (window));
  g_assert_null (tsu_application_get_store (app));
  /* Nothing to switch between: the page action is disabled. */
  tsu_window_set_page (window, "groups");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.page", "s", "grants");
  g_assert_cmpstr (tsu_window_get_page (window), ==, "groups");

  close_and_finalize_window (GTK_WINDOW (window));
}

static void
check_refused (const char *db_path, const char *expected_title)
{
  g_autoptr (GBytes) before = read_file (db_path);
  g_autoptr (GBytes) after = NULL;

  run_app (create_app (db_path, FALSE), refused_body, (gpointer)expected_title);

  after = read_file (db_path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_window_corrupt (void)
{
  g_autofree char *db_path = g_build_filename (tmp_dir, "corrupt.sqlite3", NULL);
  g_autoptr (GString) junk = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  while (junk->len < 8192)
    g_string_append (junk, "これはデータベースではありません。This is not a database.\n");
  g_file_set_contents (db_path, junk->str, junk->len, &error);
  g_assert_no_error (error);

  check_refused (db_path, "このファイルは使えません");
}

static void
test_window_too_new (void)
{
  g_autofree char *db_path = g_build_filename (tmp_dir, "too-new.sqlite3", NULL);
  g_autofree char *sql = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  sqlite3 *db = NULL;

  store = tsu_store_open (db_path, &error);
  g_assert_no_error (error);
  g_clear_object (&store);

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  sql = g_strdup_printf ("PRAGMA user_version = %u; PRAGMA journal_mode = DELETE;",
                         TSU_STORE_SCHEMA_VERSION + 1);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  check_refused (db_path, "新しい版の Tsunagu のファイルです");
}

static void
demo_body (TsuApplication *app, gpointer user_data)
{
  gint64          *n_groups = user_data;
  g_autofree char *demo_path = tsu_application_dup_demo_path ();
  g_autoptr (GError) error = NULL;
  TsuWindow *window;
  gint64     count;

  window = activate_and_wait (app);
  g_assert_nonnull (tsu_window_get_store (window));
  g_assert_cmpstr (tsu_store_get_path (tsu_window_get_store (window)), ==, demo_path);
  count = tsu_store_count (tsu_window_get_store (window), "groups", FALSE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count, >, 0);
  /* The demo never syncs: no sync set-up in its header. */
  g_assert_false (gtk_widget_get_visible (find_in (GTK_WIDGET (window), TSU_TYPE_SYNC_STATUS)));
  if (*n_groups >= 0)
    g_assert_cmpint (count, ==, *n_groups);
  *n_groups = count;
  close_and_finalize_window (GTK_WINDOW (window));
}

static void
test_window_demo (void)
{
  g_autofree char *demo_path = tsu_application_dup_demo_path ();
  g_autofree char *partial = g_strconcat (demo_path, ".partial", NULL);
  g_autofree char *expected = g_build_filename (tmp_dir, "data", "tsunagu", "demo.sqlite3", NULL);
  gint64           n_groups = -1;

  g_assert_cmpstr (demo_path, ==, expected);
  g_assert_false (g_file_test (demo_path, G_FILE_TEST_EXISTS));

  /* First run: the demo file is created and filled. */
  run_app (create_app (NULL, TRUE), demo_body, &n_groups);
  g_assert_true (g_file_test (demo_path, G_FILE_TEST_IS_REGULAR));
  g_assert_false (g_file_test (partial, G_FILE_TEST_EXISTS));

  /* Second run: the same file is opened, not filled again. */
  run_app (create_app (NULL, TRUE), demo_body, &n_groups);
}

static void
run_tsunagu (const char *const *args,
             int                expected_status,
             const char        *expected_stdout,
             const char        *expected_stderr_part)
{
  g_autofree char *exe
      = g_build_filename (g_getenv ("TSU_BUILD_ROOT"), "src", "app", "tsunagu", NULL);
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;

  g_ptr_array_add (argv, exe);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *)args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **)argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_assert_cmpint (WEXITSTATUS (status), ==, expected_status);
  if (expected_stdout != NULL)
    g_assert_cmpstr (out, ==, expected_stdout);
  if (expected_stderr_part != NULL)
    g_assert_nonnull (strstr (err, expected_stderr_part));
}

static void
test_command_line (void)
{
  static const char *const version[] = { "--version", NULL };
  static const char *const both[] = { "--db", "/nonexistent/x.sqlite3", "--demo", NULL };

  run_tsunagu (version, 0, "tsunagu " VERSION "\n", NULL);
  run_tsunagu (both, 1, "", "--db と --demo は同時に指定できません。");
}

int
main (int argc, char *argv[])
{
  g_autofree char *localedir = NULL;
  g_autofree char *data_home = NULL;
  int              status;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display (DISPLAY or WAYLAND_DISPLAY): skipped.\n");
      return 77;
    }
  g_assert_nonnull (g_getenv ("TSU_BUILD_ROOT"));

  /* Japanese, from the build tree's catalogue. */
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANG", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ja", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_setenv ("LC_ALL", "C.UTF-8", TRUE); /* LANGUAGE still applies to C.UTF-8 */
  localedir = g_build_filename (g_getenv ("TSU_BUILD_ROOT"), "po", NULL);
  g_setenv ("TSUNAGU_LOCALEDIR", localedir, TRUE);

  /* Own data dir, set before anything asks GLib for it. */
  tmp_dir = g_dir_make_tmp ("tsunagu-test-window-XXXXXX", NULL);
  g_assert_nonnull (tmp_dir);
  data_home = g_build_filename (tmp_dir, "data", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_unsetenv (TSU_STORE_ENV);

  tsu_application_init_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/app/window/pages", test_window_pages);
  g_test_add_func ("/app/window/guard", test_window_guard);
  g_test_add_func ("/app/window/preferences-about", test_window_preferences_about);
  g_test_add_func ("/app/window/corrupt", test_window_corrupt);
  g_test_add_func ("/app/window/too-new", test_window_too_new);
  g_test_add_func ("/app/window/demo", test_window_demo);
  g_test_add_func ("/app/command-line", test_command_line);

  status = g_test_run ();

  if (status == 0)
    {
      g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", tmp_dir);

      g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
    }
  g_free (tmp_dir);

  return status;
}
