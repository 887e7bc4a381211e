/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The grants page in a real window under Xvfb, on a real database file:
 * the deadline list's sections and counts (which follow telling groups),
 * the Show filter, a programme's groups, the tell dialog (suggestions,
 * telling in a worker, the notice), tiers edited, a group's grants on the
 * groups page, and the reminders (once a day, caught up, turned off). */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "tsu-application.h"
#include "tsu-date.h"
#include "tsu-grants-group-section.h"
#include "tsu-grants-reminders.h"
#include "tsu-grants-tell-dialog.h"
#include "tsu-grants-tiers-dialog.h"
#include "tsu-grants.h"
#include "tsu-groups-view.h"
#include "tsu-programmes-page.h"
#include "tsu-record-list-view.h"
#include "tsu-record-list.h"
#include "tsu-record-row.h"

typedef struct
{
  char              *dir;
  TsuStore          *store;
  GtkWindow         *window;
  TsuProgrammesPage *page;
  char              *groups[4];
} Fixture;

static void
iterate_until (gboolean (*done) (gpointer), gpointer data)
{
  gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data) && g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
  g_assert_true (done (data));
}

static void
settle (void)
{
  gint64 until = g_get_monotonic_time () + 300 * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static JsonObject *
json (const char *text)
{
  g_autoptr (JsonNode) n = json_from_string (text, NULL);

  g_assert_nonnull (n);
  return json_object_ref (json_node_get_object (n));
}

static char *
add (Fixture *f, const char *collection, const char *fields)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) o = json (fields);
  char *id = tsu_store_insert (f->store, collection, o, &error);

  g_assert_no_error (error);
  return id;
}

static TsuRecordList *
list (Fixture *f)
{
  return tsu_record_page_get_list (TSU_RECORD_PAGE (f->page));
}

static gboolean
list_loaded (gpointer data)
{
  Fixture *f = data;

  return !tsu_record_list_get_loading (list (f)) && tsu_record_list_get_complete (list (f));
}

static void
reload (Fixture *f)
{
  settle ();
  iterate_until (list_loaded, f);
  settle ();
}

static TsuRecordItem *
item_named (Fixture *f, const char *name, guint *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (list (f))); i++)
    {
      TsuRecordItem *item = g_list_model_get_item (G_LIST_MODEL (list (f)), i);

      if (g_strcmp0 (tsu_record_item_get_cell (item, "name"), name) == 0)
        {
          if (position)
            *position = i;
          return item;
        }
      g_object_unref (item);
    }
  return NULL;
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsu-grants-page-XXXXXX", &error);
  path = g_build_filename (f->dir, "page.db", NULL);
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  tsu_store_set_author (f->store, "窓口テスト");
  /* Today is Tuesday 24 November 2026 (TSUNAGU_TODAY, set in main). */
  for (guint i = 0; i < 3; i++)
    {
      const char      *kana[] = { "ア", "イ", "ウ" };
      g_autofree char *row = g_strdup_printf (
          "{\"name\":\"こども会%u\",\"name_kana\":\"コドモカイ%s\",\"fields\":[13],"
          "\"registered_on\":\"2026-05-01\",\"valid_fiscal_year\":2026}",
          i, kana[i]);
      f->groups[i] = add (f, "groups", row);
    }
  f->groups[3] = add (f, "groups",
                      "{\"name\":\"申請中の会\",\"name_kana\":\"シンセイ\","
                      "\"fields\":[13]}");
  g_free (add (f, "programmes",
               "{\"name\":\"今週の助成\",\"deadline_on\":\"2026-11-27\",\"deadline_time\":"
               "\"17:00\",\"deadline_kind\":\"arrive\",\"fields\":[13]}"));
  g_free (add (f, "programmes",
               "{\"name\":\"今月の助成\",\"deadline_on\":\"2026-11-30\",\"deadline_kind\":"
               "\"postmark\"}"));
  g_free (add (f, "programmes",
               "{\"name\":\"来年の助成\",\"deadline_on\":\"2027-01-15\",\"deadline_kind\":"
               "\"online\"}"));
  g_free (add (f, "programmes", "{\"name\":\"随時の助成\",\"deadline_kind\":\"rolling\"}"));
  g_free (add (f, "programmes",
               "{\"name\":\"終わった助成\",\"deadline_on\":\"2026-10-01\",\"deadline_kind\":"
               "\"arrive\"}"));
  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 1200, 800);
  f->page = TSU_PROGRAMMES_PAGE (tsu_programmes_page_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->page));
  tsu_record_page_set_store (TSU_RECORD_PAGE (f->page), f->store);
  gtk_window_present (f->window);
  reload (f);
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  gpointer weak = f->store;

  gtk_window_destroy (f->window);
  g_object_add_weak_pointer (weak, &weak);
  g_object_unref (f->store);
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (weak && g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
  }
  g_assert_null (weak);
  {
    g_autoptr (GDir) d = g_dir_open (f->dir, 0, NULL);
    const char *name;
    while (d && (name = g_dir_read_name (d)))
      {
        g_autofree char *p = g_build_filename (f->dir, name, NULL);
        g_remove (p);
      }
    g_rmdir (f->dir);
  }
  for (guint i = 0; i < G_N_ELEMENTS (f->groups); i++)
    g_free (f->groups[i]);
  g_free (f->dir);
}

static GtkWidget *
find_widget (GtkWidget *root, GType type, const char *name)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type)
      && (name == NULL || g_strcmp0 (gtk_widget_get_name (root), name) == 0))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_widget (c, type, name);
      if (w)
        return w;
    }
  return NULL;
}

static void
collect (GtkWidget *root, GType type, GPtrArray *out)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect (c, type, out);
}

/* Every row drawn with its heading: the heading of position @i. */
static char *
heading_at (Fixture *f, guint i)
{
  TsuRecordListView *view = tsu_record_page_get_list_view (TSU_RECORD_PAGE (f->page));

  return tsu_record_list_view_get_heading (view, i);
}

/* Upcoming deadlines first, in sections; days left; 随時 apart. */
static void
test_deadline_list (Fixture *f, gconstpointer data)
{
  const char *order[] = { "今週の助成", "今月の助成", "来年の助成", "随時の助成" };
  const char *headings[] = { "This week", "This month", "Later", "Any time" };
  guint       n = g_list_model_get_n_items (G_LIST_MODEL (list (f)));

  g_assert_cmpuint (n, ==, 4);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list (f)), i);
      g_autofree char *heading = heading_at (f, i);

      g_assert_cmpstr (tsu_record_item_get_cell (item, "name"), ==, order[i]);
      g_assert_cmpstr (heading, ==, headings[i]);
    }
  {
    g_autoptr (TsuRecordItem) first = item_named (f, "今週の助成", NULL);
    g_assert_cmpstr (tsu_record_item_get_cell (first, "due"), ==, "3 days left ・ Must arrive by");
  }
  /* The rows on screen draw those headings (and say them to a screen
   * reader as their description). */
  {
    GtkWidget *row = find_widget (GTK_WIDGET (f->page), TSU_TYPE_RECORD_ROW, NULL);

    g_assert_nonnull (row);
    g_assert_cmpstr (tsu_record_row_get_heading (TSU_RECORD_ROW (row)), ==, "This week");
  }

  /* Sorted by name, no sections. */
  tsu_record_page_set_sort (TSU_RECORD_PAGE (f->page), "name", FALSE);
  reload (f);
  g_assert_null (heading_at (f, 0));
  tsu_record_page_set_sort (TSU_RECORD_PAGE (f->page), "deadline", FALSE);
  reload (f);

  /* Closed ones under the filter, newest first; this week's alone. */
  tsu_programmes_page_set_show (f->page, TSU_PROGRAMMES_CLOSED);
  reload (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f))), ==, 1);
  {
    g_autoptr (TsuRecordItem) item = g_list_model_get_item (G_LIST_MODEL (list (f)), 0);
    g_assert_cmpstr (tsu_record_item_get_cell (item, "name"), ==, "終わった助成");
    g_assert_cmpstr (tsu_record_item_get_cell (item, "due"), ==, "Closed");
  }
  tsu_programmes_page_set_show (f->page, TSU_PROGRAMMES_THIS_WEEK);
  reload (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f))), ==, 1);
  tsu_programmes_page_set_show (f->page, TSU_PROGRAMMES_ALL);
  reload (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f))), ==, 5);
  /* Clearing the filters goes back to the upcoming deadlines. */
  gtk_widget_activate_action (GTK_WIDGET (f->page), "record.clear-filters", NULL);
  reload (f);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (list (f))), ==, 4);
}

static gboolean
dialog_idle (gpointer data)
{
  return !tsu_grants_tell_dialog_get_loading (data);
}

static gboolean
dialog_done (gpointer data)
{
  GtkStack *stack = GTK_STACK (find_widget (data, GTK_TYPE_STACK, NULL));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "done") == 0;
}

static const char *
told_cell (Fixture *f, const char *column)
{
  g_autoptr (TsuRecordItem) item = item_named (f, "今週の助成", NULL);
  static char cell[16];

  g_strlcpy (cell, tsu_record_item_get_cell (item, column), sizeof cell);
  return cell;
}

static gboolean
three_told (gpointer data)
{
  return g_strcmp0 (told_cell (data, "told"), "3") == 0;
}

static gboolean
one_applying (gpointer data)
{
  return g_strcmp0 (told_cell (data, "applying"), "1") == 0;
}

/* The Undo button of the toast titled @title, once it is shown. */
static GtkWidget *
toast_undo (Fixture *f, const char *title)
{
  g_autoptr (GPtrArray) buttons = g_ptr_array_new ();

  collect (GTK_WIDGET (f->window), GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    {
      GtkWidget *b = g_ptr_array_index (buttons, i);
      g_autoptr (GPtrArray) labels = g_ptr_array_new ();

      if (g_strcmp0 (gtk_button_get_label (GTK_BUTTON (b)), "_Undo") != 0)
        continue;
      collect (gtk_widget_get_parent (b), GTK_TYPE_LABEL, labels);
      for (guint j = 0; j < labels->len; j++)
        if (g_strcmp0 (gtk_label_get_label (g_ptr_array_index (labels, j)), title) == 0)
          return b;
    }
  return NULL;
}

static char awarded_title[256];

static gboolean
awarded_toast_shown (gpointer data)
{
  return toast_undo (data, awarded_title) != NULL;
}

/* Tell three groups: suggested (registered, same field), 案内済 for all at
 * once, the notice; the list's counts and the programme's groups follow. */
static void
test_tell (Fixture *f, gconstpointer data)
{
  g_autofree char *preparing_id = NULL;
  g_autoptr (TsuRecordItem) item = item_named (f, "今週の助成", NULL);
  TsuGrantsTellDialog *dialog;
  g_auto (GStrv) chosen = NULL;
  GtkTextView     *notice;
  GtkTextIter      start, end;
  g_autofree char *text = NULL;

  g_assert_cmpstr (tsu_record_item_get_cell (item, "told"), ==, "0");
  tsu_record_page_show_record (TSU_RECORD_PAGE (f->page), tsu_record_item_get_id (item));
  settle ();
  dialog = TSU_GRANTS_TELL_DIALOG (tsu_programmes_page_tell (f->page));
  g_assert_nonnull (dialog);
  iterate_until (dialog_idle, dialog);
  settle ();
  /* The group still applying is not suggested. */
  for (guint i = 0; i < 4; i++)
    tsu_grants_tell_dialog_choose (dialog, f->groups[i], TRUE);
  chosen = tsu_grants_tell_dialog_get_chosen (dialog);
  g_assert_cmpuint (g_strv_length (chosen), ==, 3);
  g_assert_false (g_strv_contains ((const char *const *)chosen, f->groups[3]));
  gtk_widget_activate_action (GTK_WIDGET (dialog), "tell.tell", NULL);
  iterate_until (dialog_done, dialog);
  notice = GTK_TEXT_VIEW (find_widget (GTK_WIDGET (dialog), GTK_TYPE_TEXT_VIEW, NULL));
  gtk_text_buffer_get_bounds (gtk_text_view_get_buffer (notice), &start, &end);
  text = gtk_text_buffer_get_text (gtk_text_view_get_buffer (notice), &start, &end, FALSE);
  g_assert_nonnull (strstr (text, "【今週の助成】のご案内"));
  g_assert_nonnull (strstr (text, "締切: 2026年11月27日（金） 17:00 必着"));
  gtk_window_destroy (GTK_WINDOW (dialog));

  /* The list's counts follow (applications are another collection). */
  iterate_until (three_told, f);
  g_assert_cmpstr (told_cell (f, "applying"), ==, "0");

  /* One group moves to 申請準備: applying 1. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (JsonArray) apps
        = tsu_grants_programme_groups (f->store, tsu_record_item_get_id (item), &error);
    GDate today;

    tsu_date_today (&today);
    g_assert_cmpuint (json_array_get_length (apps), ==, 3);
    preparing_id
        = g_strdup (json_object_get_string_member (json_array_get_object_element (apps, 0), "id"));
    g_assert_true (tsu_grants_set_state (f->store, preparing_id, "preparing", &today, &error));
    iterate_until (one_applying, f);
  }
  /* The programme's groups: one expander a state, with its count. */
  settle ();
  {
    TsuRecordForm *form = tsu_record_page_get_form (TSU_RECORD_PAGE (f->page));
    gboolean       told = FALSE, preparing = FALSE;
    g_autoptr (GPtrArray) rows = g_ptr_array_new ();

    collect (GTK_WIDGET (form), ADW_TYPE_EXPANDER_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget  *w = g_ptr_array_index (rows, i);
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));
        const char *sub = adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (w));

        told = told || (g_strcmp0 (title, "Told") == 0 && g_strcmp0 (sub, "2 groups") == 0);
        preparing
            = preparing || (g_strcmp0 (title, "Preparing") == 0 && g_strcmp0 (sub, "1 group") == 0);
      }
    g_assert_true (told);
    g_assert_true (preparing);
  }
  /* 採択 picked on the programme: the toast's Undo reverts the entry the
   * change wrote (read in a worker), back to 申請準備. */
  {
    TsuRecordForm *form = tsu_record_page_get_form (TSU_RECORD_PAGE (f->page));
    g_autoptr (GPtrArray) drops = g_ptr_array_new ();
    g_autoptr (JsonObject) app = NULL;
    GtkDropDown *drop = NULL;

    collect (GTK_WIDGET (form), GTK_TYPE_DROP_DOWN, drops);
    for (guint i = 0; i < drops->len; i++)
      if (gtk_drop_down_get_selected (g_ptr_array_index (drops, i)) == 2)
        drop = g_ptr_array_index (drops, i);
    g_assert_nonnull (drop);
    g_snprintf (awarded_title, sizeof awarded_title, "%s: Awarded",
                adw_preferences_row_get_title (ADW_PREFERENCES_ROW (
                    gtk_widget_get_ancestor (GTK_WIDGET (drop), ADW_TYPE_ACTION_ROW))));
    gtk_drop_down_set_selected (drop, 4);
    iterate_until (awarded_toast_shown, f);
    app = tsu_store_get (f->store, "applications", preparing_id, NULL);
    g_assert_cmpstr (json_object_get_string_member (app, "state"), ==, "awarded");
    g_clear_pointer (&app, json_object_unref);
    g_signal_emit_by_name (toast_undo (f, awarded_title), "clicked");
    app = tsu_store_get (f->store, "applications", preparing_id, NULL);
    g_assert_cmpstr (json_object_get_string_member (app, "state"), ==, "preparing");
  }
}

/* Tiers as typed: amounts with 全角 digits and commas, in order of times;
 * the same times twice is refused; saved through the write path. */
static void
test_tiers (Fixture *f, gconstpointer data)
{
  g_autoptr (TsuRecordItem) item = item_named (f, "今月の助成", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) tiers = NULL;
  g_autoptr (JsonObject) p = NULL;
  TsuGrantsTiersDialog *dialog = TSU_GRANTS_TIERS_DIALOG (
      tsu_grants_tiers_dialog_new (f->window, f->store, tsu_record_item_get_id (item)));

  /* A programme without tiers opens with the first. */
  tsu_grants_tiers_dialog_add_row (dialog, 3, "0", NULL);
  tsu_grants_tiers_dialog_add_row (dialog, 1, "２００，０００", "2/3");
  tiers = tsu_grants_tiers_dialog_collect (dialog, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (tiers)), ==, 3);
  g_assert_cmpint (json_object_get_int_member (
                       json_array_get_object_element (json_node_get_array (tiers), 1), "ceiling"),
                   ==, 200000);
  g_assert_cmpint (json_object_get_int_member (
                       json_array_get_object_element (json_node_get_array (tiers), 2), "times"),
                   ==, 3);
  g_assert_true (tsu_grants_tiers_dialog_save (dialog));
  p = tsu_store_get (f->store, "programmes", tsu_record_item_get_id (item), &error);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "tiers")), ==, 3);
  tsu_grants_tiers_dialog_add_row (dialog, 1, "1", NULL);
  g_clear_pointer (&tiers, json_node_unref);
  tiers = tsu_grants_tiers_dialog_collect (dialog, &error);
  g_assert_null (tiers);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  gtk_window_destroy (GTK_WINDOW (dialog));
}

static gboolean
section_idle (gpointer data)
{
  return !tsu_grants_group_section_get_loading (data);
}

/* A group's page: its programmes and what it received per 年度. */
static void
test_group_section (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  GtkWindow             *window = GTK_WINDOW (gtk_window_new ());
  TsuGroupsView         *view = TSU_GROUPS_VIEW (tsu_groups_view_new ());
  TsuGrantsGroupSection *section;
  g_autofree char       *past = add (f, "programmes",
                                     "{\"name\":\"去年の助成\",\"fiscal_year\":2025,"
                                           "\"deadline_on\":\"2025-06-30\"}");

  {
    GDate today;

    tsu_date_today (&today);
    g_assert_true (
        tsu_grants_tell (f->store, past, (char *[]){ f->groups[0], NULL }, &today, NULL, &error));
  }
  {
    const char *params[] = { past, NULL };
    g_autoptr (GPtrArray) rows
        = tsu_store_find (f->store, "applications", "programme_id = ?", params, NULL, 0, &error);
    g_autoptr (JsonObject) change = json ("{\"state\":\"awarded\",\"amount_awarded\":150000}");

    g_assert_true (tsu_store_update (
        f->store, "applications", json_object_get_string_member (g_ptr_array_index (rows, 0), "id"),
        change, &error));
  }
  tsu_grants_group_section_attach (TSU_RECORD_PAGE (view));
  gtk_window_set_child (window, GTK_WIDGET (view));
  tsu_groups_view_set_store (view, f->store);
  gtk_window_present (window);
  settle ();
  section = TSU_GRANTS_GROUP_SECTION (
      find_widget (GTK_WIDGET (view), TSU_TYPE_GRANTS_GROUP_SECTION, NULL));
  g_assert_nonnull (section);
  tsu_groups_view_show_group (view, f->groups[0]);
  settle ();
  iterate_until (section_idle, section);
  g_assert_cmpstr (tsu_grants_group_section_get_group (section), ==, f->groups[0]);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (section)));
  {
    gboolean amount = FALSE, programme = FALSE;
    g_autoptr (GPtrArray) rows = g_ptr_array_new ();

    collect (GTK_WIDGET (section), ADW_TYPE_ACTION_ROW, rows);
    for (guint i = 0; i < rows->len; i++)
      {
        GtkWidget  *w = g_ptr_array_index (rows, i);
        const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (w));
        const char *sub = adw_action_row_get_subtitle (ADW_ACTION_ROW (w));

        amount = amount
                 || (g_strcmp0 (title, "150,000 yen") == 0
                     && g_strcmp0 (sub, "Received in 2025年度（令和7年度） (1 grant)") == 0);
        programme = programme || g_strcmp0 (title, "去年の助成") == 0;
      }
    g_assert_true (amount);
    g_assert_true (programme);
  }
  /* A group never told of a grant shows nothing about grants. */
  tsu_groups_view_show_group (view, f->groups[2]);
  settle ();
  iterate_until (section_idle, section);
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (section)));
  gtk_window_destroy (window);
}

static void
count_sent_cb (TsuGrantsReminders *r, const char *id, GNotification *n, guint *sent)
{
  (*sent)++;
}

static void
done_cb (gpointer data, guint n)
{
  *(int *)data = (int)n;
}

static gboolean
done_set (gpointer data)
{
  return *(int *)data >= 0;
}

/* Reminders: the 7-day one of a programme with a group 関心あり; once a
 * day; caught up after days closed; none when turned off. */
static void
test_reminders (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSettings) settings = g_settings_new ("io.github.tsunagu.Tsunagu");
  g_autoptr (GApplication) app
      = g_application_new ("io.github.tsunagu.TestReminders", G_APPLICATION_NON_UNIQUE);
  g_autoptr (TsuGrantsReminders) r = tsu_grants_reminders_new (app, settings);
  g_autofree char *soon
      = add (f, "programmes", "{\"name\":\"一週間後\",\"deadline_on\":\"2026-12-01\"}");
  guint sent = 0;
  int   done = -1;
  GDate today;

  tsu_date_today (&today);
  g_assert_true (
      tsu_grants_tell (f->store, soon, (char *[]){ f->groups[1], NULL }, &today, NULL, &error));
  {
    const char *params[] = { soon, NULL };
    g_autoptr (GPtrArray) rows
        = tsu_store_find (f->store, "applications", "programme_id = ?", params, NULL, 0, &error);
    g_assert_true (tsu_grants_set_state (
        f->store, json_object_get_string_member (g_ptr_array_index (rows, 0), "id"), "interested",
        &today, &error));
  }
  g_signal_connect (r, "sent", G_CALLBACK (count_sent_cb), &sent);
  g_settings_set_string (settings, "grant-reminders-checked", "");
  g_settings_set_boolean (settings, "grant-reminders", TRUE);
  tsu_grants_reminders_set_store (r, f->store);
  /* set_store looks at once; then looking again the same day sends none. */
  settle ();
  {
    g_autofree char *checked = NULL;
    gint64           until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

    while (sent == 0 && g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    checked = g_settings_get_string (settings, "grant-reminders-checked");
    g_assert_cmpstr (checked, ==, "2026-11-24");
  }
  g_assert_cmpuint (sent, ==, 1);
  tsu_grants_reminders_check (r, done_cb, &done);
  iterate_until (done_set, &done);
  g_assert_cmpint (done, ==, 0);

  /* Closed since Friday: caught up once. */
  g_settings_set_string (settings, "grant-reminders-checked", "2026-11-20");
  done = -1;
  tsu_grants_reminders_check (r, done_cb, &done);
  iterate_until (done_set, &done);
  g_assert_cmpint (done, ==, 1);

  /* Turned off: nothing, and nothing kept for later. */
  g_settings_set_string (settings, "grant-reminders-checked", "2026-11-23");
  g_settings_set_boolean (settings, "grant-reminders", FALSE);
  done = -1;
  tsu_grants_reminders_check (r, done_cb, &done);
  iterate_until (done_set, &done);
  g_assert_cmpint (done, ==, 0);
  {
    g_autofree char *checked = g_settings_get_string (settings, "grant-reminders-checked");
    g_assert_cmpstr (checked, ==, "2026-11-24");
  }
  g_settings_set_boolean (settings, "grant-reminders", TRUE);
  tsu_grants_reminders_set_store (r, NULL);
}

static gboolean
file_written (gpointer data)
{
  GStatBuf st;

  return g_stat (data, &st) == 0 && st.st_size > 0;
}

/* The upcoming deadlines printed (to a PDF): read in a worker, in
 * sections, closed ones left out. */
static void
test_print (Fixture *f, gconstpointer data)
{
  g_autofree char *pdf = g_build_filename (f->dir, "deadlines.pdf", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int              status = 0;
  const char      *argv[] = { "pdftotext", "-layout", pdf, "-", NULL };

  tsu_programmes_page_print (f->page, pdf);
  iterate_until (file_written, pdf);
  settle ();
  if (!g_find_program_in_path ("pdftotext"))
    {
      g_test_skip ("pdftotext is not installed");
      return;
    }
  g_assert_true (g_spawn_sync (NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               &err, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  for (const char *const *name
       = (const char *const[]){ "今週の助成", "今月の助成", "来年の助成", "随時の助成", "This week",
                                "This month", "Any time", NULL };
       *name; name++)
    if (strstr (out, *name) == NULL)
      g_error ("“%s” is not in the printed list:\n%s", *name, out);
  g_assert_null (strstr (out, "終わった助成"));
  g_assert_nonnull (strstr (out, "3 days left"));
}

int
main (int argc, char *argv[])
{
  g_setenv ("TSUNAGU_TODAY", "2026-11-24", TRUE);
  tsu_application_init_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/grants-page/deadline-list", test_deadline_list);
  ADD ("/grants-page/tell", test_tell);
  ADD ("/grants-page/tiers", test_tiers);
  ADD ("/grants-page/group-section", test_group_section);
  ADD ("/grants-page/reminders", test_reminders);
  ADD ("/grants-page/print", test_print);
#undef ADD

  return g_test_run ();
}
