/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The record page's parts as libadwaita tests its widgets: properties and
 * how often they notify, inline validation that clears once fixed, the
 * history as people read it, the import preview's counts, the guard, and
 * every object finalized. On a real database file, in Japanese. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <adwaita.h>
#include <glib/gstdio.h>

#include "tsu-application.h"
#include "tsu-funder-collection.h"
#include "tsu-funders-page.h"
#include "tsu-group-collection.h"
#include "tsu-record-form.h"
#include "tsu-record-history.h"
#include "tsu-record-import-dialog.h"
#include "tsu-record-list-view.h"
#include "tsu-record-page.h"

typedef struct
{
  char     *dir;
  TsuStore *store;
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
  gint64 until = g_get_monotonic_time () + 200 * 1000;

  while (g_get_monotonic_time () < until)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

static void
fixture_setup (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("tsu-record-page-XXXXXX", &error);
  path = g_build_filename (f->dir, "record.db", NULL);
  f->store = tsu_store_open (path, &error);
  g_assert_no_error (error);
  tsu_store_set_author (f->store, "窓口 花子");
}

static void
fixture_teardown (Fixture *f, gconstpointer data)
{
  g_assert_finalize_object (f->store);
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
  g_free (f->dir);
}

static void
count_cb (GObject *object, GParamSpec *pspec, guint *count)
{
  (*count)++;
}

static void
type (TsuRecordForm *form, const char *field, const char *text)
{
  GtkWidget *row = tsu_record_form_get_field_row (form, field);

  g_assert_true (ADW_IS_ENTRY_ROW (row));
  gtk_editable_set_text (GTK_EDITABLE (row), text);
}

static GtkWidget *
find_row (GtkWidget *root, const char *title, const char *subtitle)
{
  if (ADW_IS_ACTION_ROW (root)
      && (title == NULL
          || g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
      && (subtitle == NULL
          || g_strcmp0 (adw_action_row_get_subtitle (ADW_ACTION_ROW (root)), subtitle) == 0))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_row (c, title, subtitle);
      if (w)
        return w;
    }
  return NULL;
}

/* A form of any collection, from its descriptor: new → edit view; a save
 * → read view; notifications only on change; finalized with its rows. */
static void
test_form_properties (Fixture *f, gconstpointer data)
{
  TsuRecordForm   *form = g_object_ref_sink (TSU_RECORD_FORM (tsu_record_form_new ()));
  guint            editing = 0, dirty = 0;
  g_autofree char *id = NULL;

  g_signal_connect (form, "notify::editing", G_CALLBACK (count_cb), &editing);
  g_signal_connect (form, "notify::dirty", G_CALLBACK (count_cb), &dirty);
  tsu_record_form_set_collection (form, &tsu_funder_collection);
  tsu_record_form_set_store (form, f->store);
  g_assert_false (tsu_record_form_get_editing (form));

  tsu_record_form_load_new (form, NULL);
  g_assert_true (tsu_record_form_get_editing (form));
  g_assert_cmpuint (editing, ==, 1);
  g_assert_false (tsu_record_form_get_dirty (form));
  g_assert_cmpuint (dirty, ==, 0);
  /* One row per field, by type: a choice is a combo row. */
  g_assert_true (ADW_IS_COMBO_ROW (tsu_record_form_get_field_row (form, "kind")));
  g_assert_true (ADW_IS_ENTRY_ROW (tsu_record_form_get_field_row (form, "phone")));
  g_assert_false (ADW_IS_ENTRY_ROW (tsu_record_form_get_field_row (form, "notes")));

  type (form, "name", "筑後みどり基金");
  type (form, "name_kana", "ちくごみどりききん");
  g_assert_true (tsu_record_form_get_dirty (form));
  type (form, "contact", "事務局");
  g_assert_cmpuint (dirty, ==, 1);
  adw_combo_row_set_selected (ADW_COMBO_ROW (tsu_record_form_get_field_row (form, "kind")), 4);

  g_assert_true (tsu_record_form_save (form));
  g_assert_false (tsu_record_form_get_editing (form));
  g_assert_false (tsu_record_form_get_dirty (form));
  g_assert_cmpuint (editing, ==, 2);
  g_assert_cmpuint (dirty, ==, 2);
  id = g_strdup (tsu_record_form_get_id (form));
  g_assert_nonnull (id);
  {
    JsonObject *rec = tsu_record_form_get_record (form);
    g_assert_cmpstr (json_object_get_string_member (rec, "name_kana"), ==, "チクゴミドリキキン");
    g_assert_cmpstr (json_object_get_string_member (rec, "kind"), ==, "財団");
  }
  /* The read view reads the values, labelled. */
  g_assert_nonnull (find_row (GTK_WIDGET (form), "チクゴミドリキキン", NULL));
  g_assert_nonnull (find_row (GTK_WIDGET (form), "財団", NULL));

  /* Editing on demand; an unchanged save writes nothing. */
  tsu_record_form_edit (form);
  g_assert_true (tsu_record_form_get_editing (form));
  g_assert_true (tsu_record_form_save (form));
  {
    g_autoptr (JsonArray) history = tsu_store_get_history (f->store, "funders", id, NULL);
    g_assert_cmpuint (json_array_get_length (history), ==, 1);
  }
  g_assert_finalize_object (form);
}

/* A refused value says why under its field and in the list at the top;
 * the message goes as soon as the value is right, before any save. */
static void
test_form_inline_validation (Fixture *f, gconstpointer data)
{
  TsuRecordForm *form = g_object_ref_sink (TSU_RECORD_FORM (tsu_record_form_new ()));

  tsu_record_form_set_collection (form, &tsu_group_collection);
  tsu_record_form_set_store (form, f->store);
  tsu_record_form_load_new (form, NULL);
  type (form, "name", "大牟田手話の会");
  type (form, "name_kana", "オオムタシュワノカイ");
  type (form, "phone", "12345");
  type (form, "founded", "平成27年4月");
  type (form, "registered_on", "2026年2月30日");
  g_assert_false (tsu_record_form_save (form));
  g_assert_true (tsu_record_form_field_has_error (form, "phone"));
  g_assert_true (tsu_record_form_field_has_error (form, "registered_on"));
  g_assert_false (tsu_record_form_field_has_error (form, "founded"));
  g_assert_false (tsu_record_form_field_has_error (form, "name"));
  g_assert_nonnull (tsu_record_form_get_field_message (form, "phone"));
  g_assert_true (gtk_widget_has_css_class (tsu_record_form_get_field_row (form, "phone"), "error"));
  g_assert_cmpint (tsu_store_count (f->store, "groups", TRUE, NULL), ==, 0);

  /* Fixed: the message goes at once. */
  type (form, "phone", "0944-41-2222");
  g_assert_false (tsu_record_form_field_has_error (form, "phone"));
  g_assert_null (tsu_record_form_get_field_message (form, "phone"));
  g_assert_false (
      gtk_widget_has_css_class (tsu_record_form_get_field_row (form, "phone"), "error"));
  g_assert_true (tsu_record_form_field_has_error (form, "registered_on"));
  type (form, "registered_on", "");
  g_assert_true (tsu_record_form_save (form));
  /* 和暦 typed, stored as ISO. */
  g_assert_cmpstr (json_object_get_string_member (tsu_record_form_get_record (form), "founded"), ==,
                   "2015-04");
  g_assert_finalize_object (form);
}

static gboolean
has_subtitle (GtkWidget *root, const char *text)
{
  return find_row (root, NULL, text) != NULL;
}

/* Values as people read them: dates in the date style, codes by name,
 * lists as text, every field of the addition, the author. */
static void
test_history_values (Fixture *f, gconstpointer data)
{
  TsuRecordHistory *history = g_object_ref_sink (TSU_RECORD_HISTORY (tsu_record_history_new ()));
  g_autoptr (JsonObject) g = json_object_new ();
  g_autoptr (JsonObject) change = json_object_new ();
  g_autoptr (JsonArray) fields = json_array_new ();
  g_autofree char *id = NULL;

  json_object_set_string_member (g, "name", "有明海クリーン応援団");
  json_object_set_string_member (g, "name_kana", "アリアケカイクリーンオウエンダン");
  json_object_set_string_member (g, "founded", "2015-04");
  json_array_add_int_element (fields, 7);
  json_array_add_int_element (fields, 3);
  json_object_set_array_member (g, "fields", json_array_ref (fields));
  id = tsu_store_insert (f->store, "groups", g, NULL);
  g_assert_nonnull (id);
  json_object_set_string_member (change, "founded", "2016-05");
  g_assert_true (tsu_store_update (f->store, "groups", id, change, NULL));

  tsu_record_history_set_collection (history, &tsu_group_collection);
  tsu_record_history_set_store (history, f->store);
  tsu_record_history_set_date_style (history, TSU_DATE_STYLE_WAREKI);
  g_assert_true (tsu_record_history_load (history, id, NULL));
  g_assert_cmpuint (tsu_record_history_get_n_entries (history), ==, 2);
  g_assert_true (has_subtitle (GTK_WIDGET (history), "平成27年4月 → 平成28年5月"));
  /* The addition lists every field entered, codes by their names. */
  g_assert_true (has_subtitle (GTK_WIDGET (history), "有明海クリーン応援団"));
  g_assert_true (has_subtitle (GTK_WIDGET (history), "平成27年4月"));
  g_assert_true (has_subtitle (GTK_WIDGET (history), "まちづくり、環境の保全")
                 || has_subtitle (GTK_WIDGET (history), "環境の保全、まちづくり"));
  {
    g_autofree char *t
        = tsu_record_history_format_time ("2026-11-26T05:04:00Z", TSU_DATE_STYLE_WAREKI);
    g_assert_true (g_str_has_prefix (t, "令和8年11月26日"));
  }
  g_assert_finalize_object (history);
}

/* List cells follow the date style (issue 10: 有効年度 stayed 西暦). */
static void
test_list_date_style (Fixture *f, gconstpointer data)
{
  TsuRecordListView *view = g_object_ref_sink (TSU_RECORD_LIST_VIEW (tsu_record_list_view_new ()));
  g_autofree char   *seireki = NULL;
  g_autofree char   *wareki = NULL;
  g_autofree char   *status = NULL;

  tsu_record_list_view_set_collection (view, &tsu_group_collection);
  tsu_record_list_view_set_date_style (view, TSU_DATE_STYLE_SEIREKI);
  seireki = tsu_record_list_view_format_cell (view, "valid_fiscal_year", "2026");
  tsu_record_list_view_set_date_style (view, TSU_DATE_STYLE_WAREKI);
  wareki = tsu_record_list_view_format_cell (view, "valid_fiscal_year", "2026");
  status = tsu_record_list_view_format_cell (view, "status", "2");
  g_assert_cmpstr (seireki, ==, "2026年度");
  g_assert_cmpstr (wareki, ==, "令和8年度");
  g_assert_cmpstr (status, ==, "更新待ち");
  g_assert_finalize_object (view);
}

static GtkWidget *
find_type (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_type (c, type);
      if (w)
        return w;
    }
  return NULL;
}

static GtkWidget *
find_named (GtkWidget *root, const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_named (c, name);
      if (w)
        return w;
    }
  return NULL;
}

static gboolean
dialog_previewed (gpointer data)
{
  GtkStack *stack = GTK_STACK (find_type (data, GTK_TYPE_STACK));

  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "preview") == 0;
}

static void
save_png (GtkWidget *widget, const char *name)
{
  const char *dir = g_getenv ("TSU_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GtkSnapshot) snapshot = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int              w, h;

  if (dir == NULL)
    return;
  paintable = gtk_widget_paintable_new (widget);
  w = gtk_widget_get_width (widget);
  h = gtk_widget_get_height (widget);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, w, h);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, w, h));
  path = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, path);
}

/* The preview says what the import will do with each row: new, updated,
 * unchanged, a possible duplicate, an error (issue 10: an export imported
 * back added every row without a number again). */
static void
test_import_preview (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "funders.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (JsonObject) a = json_object_new ();
  g_autoptr (JsonObject) b = json_object_new ();
  GtkWindow             *parent = GTK_WINDOW (gtk_window_new ());
  TsuRecordImportDialog *dialog;

  json_object_set_string_member (a, "name", "筑後みどり基金");
  json_object_set_string_member (a, "name_kana", "チクゴミドリキキン");
  json_object_set_string_member (a, "kind", "財団");
  g_free (tsu_store_insert (f->store, "funders", a, NULL));
  json_object_set_string_member (b, "name", "大牟田市 文化・スポーツ課");
  json_object_set_string_member (b, "name_kana", "オオムタシブンカスポーツカ");
  json_object_set_string_member (b, "kind", "市");
  g_free (tsu_store_insert (f->store, "funders", b, NULL));
  g_file_set_contents (path,
                       "助成団体名,フリガナ,種別,電話番号\r\n"
                       "筑後みどり基金,チクゴミドリキキン,財団,\r\n"
                       "大牟田市 文化・スポーツ課,オオムタシブンカスポーツカ,市,0944-41-2222\r\n"
                       "有明子ども基金,アリアケコドモキキン,財団,\r\n"
                       "筑後みどり基金,チクゴミドリ,財団,\r\n"
                       "電話が変な会,デンワガヘンナカイ,その他,99\r\n",
                       -1, NULL);
  gtk_window_set_default_size (parent, 800, 700);
  gtk_window_present (parent);
  dialog = tsu_record_import_dialog_new (parent, f->store, &tsu_funder_collection, file);
  gtk_window_set_default_size (GTK_WINDOW (dialog), 640, 760);
  gtk_window_present (GTK_WINDOW (dialog));
  iterate_until (dialog_previewed, dialog);
  settle ();
  {
    GtkWidget  *w = GTK_WIDGET (dialog);
    const char *titles[]
        = { "新規", "更新", "変更なし", "重複の可能性（新規として取り込み）", "エラーのある行" };
    const char *expect[] = { "1", "1", "1", "1", "1" };
    for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
      {
        GtkWidget *row = find_row (w, titles[i], NULL);
        GtkWidget *label;

        g_assert_nonnull (row);
        /* The count is the row's suffix label. */
        label = find_named (row, "count");
        g_assert_nonnull (label);
        g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, expect[i]);
      }
  }
  save_png (GTK_WIDGET (dialog), "import.png");
  /* Closing at once is safe (issue 8: Escape during the read). */
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (parent);
  settle ();
}

/* Closing the dialog while it still reads the file drops the result:
 * nothing touches the dialog's cleared children (ASan would see it). */
static void
test_import_closed_early (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "big.csv", NULL);
  g_autoptr (GFile) file = g_file_new_for_path (path);
  g_autoptr (GString) csv = g_string_new ("助成団体名,フリガナ\r\n");
  TsuRecordImportDialog *dialog;
  gpointer               weak;

  for (guint i = 0; i < 3000; i++)
    g_string_append_printf (csv, "基金%u,キキン%u\r\n", i, i);
  g_file_set_contents (path, csv->str, -1, NULL);
  dialog = tsu_record_import_dialog_new (NULL, f->store, &tsu_funder_collection, file);
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_window_close (GTK_WINDOW (dialog));
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (weak && g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
  }
  g_assert_null (weak);
  settle ();
  g_assert_cmpint (tsu_store_count (f->store, "funders", TRUE, NULL), ==, 0);
}

static GHashTable *answered;

/* The question just asked (not one already answered and closing). */
static GtkWidget *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  if (answered == NULL)
    answered = g_hash_table_new (NULL, NULL);
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w))
          && !g_hash_table_contains (answered, w))
        {
          g_hash_table_add (answered, w);
          return GTK_WIDGET (w);
        }
    }
  g_assert_not_reached ();
}

static void
leave_cb (gpointer data, gboolean may_leave)
{
  *(int *)data = may_leave ? 1 : 2;
}

static gboolean
page_loaded (gpointer data)
{
  TsuRecordList *list = tsu_record_page_get_list (data);

  return list && !tsu_record_list_get_loading (list);
}

/* The guard: leaving a record with unsaved edits asks; 取り消し keeps
 * them, 破棄 drops them; a clean record is left at once. */
static void
test_page_guard (Fixture *f, gconstpointer data)
{
  GtkWindow     *window = GTK_WINDOW (gtk_window_new ());
  TsuRecordPage *page = TSU_RECORD_PAGE (tsu_funders_page_new ());
  TsuRecordForm *form = tsu_record_page_get_form (page);
  int            answer = 0;
  gpointer       weak = page;

  g_object_add_weak_pointer (G_OBJECT (page), &weak);
  gtk_window_set_default_size (window, 1100, 700);
  gtk_window_set_child (window, GTK_WIDGET (page));
  tsu_record_page_set_store (page, f->store);
  gtk_window_present (window);
  iterate_until (page_loaded, page);

  tsu_record_page_confirm_leave (page, leave_cb, &answer);
  g_assert_cmpint (answer, ==, 1);

  gtk_widget_activate_action (GTK_WIDGET (page), "record.new", NULL);
  g_assert_true (tsu_record_form_get_editing (form));
  type (form, "name", "三井住友海上福祉財団");
  g_assert_true (tsu_record_page_get_dirty (page));
  answer = 0;
  tsu_record_page_confirm_leave (page, leave_cb, &answer);
  g_assert_cmpint (answer, ==, 0);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog ()), "cancel");
  settle ();
  g_assert_cmpint (answer, ==, 2);
  g_assert_true (tsu_record_page_get_dirty (page));
  g_assert_cmpstr (
      gtk_editable_get_text (GTK_EDITABLE (tsu_record_form_get_field_row (form, "name"))), ==,
      "三井住友海上福祉財団");

  /* Ctrl+S's action saves wherever the keyboard is. */
  type (form, "name_kana", "みついすみともかいじょうふくしざいだん");
  gtk_widget_activate_action (GTK_WIDGET (page), "record.save", NULL);
  g_assert_false (tsu_record_page_get_dirty (page));
  g_assert_cmpint (tsu_store_count (f->store, "funders", FALSE, NULL), ==, 1);

  tsu_record_form_edit (form);
  type (form, "contact", "事務局");
  answer = 0;
  tsu_record_page_confirm_leave (page, leave_cb, &answer);
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog ()), "discard");
  settle ();
  g_assert_cmpint (answer, ==, 1);
  g_assert_false (tsu_record_page_get_dirty (page));
  g_assert_null (tsu_record_get_string (tsu_record_form_get_record (form), "contact"));

  /* Delete (entered by mistake): a tombstone, kept in the history. */
  {
    g_autofree char *id = g_strdup (tsu_record_form_get_id (form));
    g_autoptr (JsonArray) history = NULL;

    gtk_widget_activate_action (GTK_WIDGET (page), "record.delete", NULL);
    adw_message_dialog_response (ADW_MESSAGE_DIALOG (find_dialog ()), "delete");
    settle ();
    g_assert_cmpint (tsu_store_count (f->store, "funders", FALSE, NULL), ==, 0);
    g_assert_cmpint (tsu_store_count (f->store, "funders", TRUE, NULL), ==, 1);
    history = tsu_store_get_history (f->store, "funders", id, NULL);
    g_assert_cmpstr (
        json_object_get_string_member (
            json_array_get_object_element (history, json_array_get_length (history) - 1), "action"),
        ==, "delete");
  }
  gtk_window_destroy (window);
  {
    gint64 until = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    while (weak && g_get_monotonic_time () < until)
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
  }
  g_assert_null (weak);
}

/* A row whose title holds @part, or NULL. */
static GtkWidget *
find_row_with (GtkWidget *root, const char *part)
{
  if (ADW_IS_ACTION_ROW (root)
      && strstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), part) != NULL)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *w = find_row_with (c, part);
      if (w)
        return w;
    }
  return NULL;
}

/* An edit in progress on a record that changes underneath (a pulled page,
 * another window): the form says so at the top and keeps what is typed;
 * the save writes only what the person changed, so the other change stays
 * in every other field, and a field both changed keeps the person's value
 * and says so. */
static void
test_form_changed_underneath (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) first
      = json_from_string ("{\"name\":\"筑後みどり基金\",\"name_kana\":\"チクゴミドリキキン\","
                          "\"phone\":\"0942-11-1111\",\"url\":\"https://example.jp/old/\"}",
                          NULL);
  g_autoptr (JsonNode) other
      = json_from_string ("{\"url\":\"https://example.jp/new/\",\"phone\":\"0942-99-9999\"}", NULL);
  g_autoptr (JsonObject) row = NULL;
  g_autofree char *id
      = tsu_store_insert (f->store, "funders", json_node_get_object (first), &error);
  TsuRecordForm *form = g_object_ref_sink (TSU_RECORD_FORM (tsu_record_form_new ()));

  g_assert_no_error (error);
  tsu_record_form_set_collection (form, &tsu_funder_collection);
  tsu_record_form_set_store (form, f->store);
  g_assert_true (tsu_record_form_load (form, id, &error));
  tsu_record_form_edit (form);
  type (form, "phone", "0942-22-3333");
  type (form, "contact", "事務局 田中");

  /* Another desk's change arrives; the page reloads the form. */
  g_assert_true (tsu_store_update (f->store, "funders", id, json_node_get_object (other), &error));
  g_assert_true (tsu_record_form_reload (form));
  g_assert_true (tsu_record_form_get_dirty (form));
  g_assert_nonnull (find_row_with (GTK_WIDGET (form), "別の場所"));
  g_assert_cmpstr (
      gtk_editable_get_text (GTK_EDITABLE (tsu_record_form_get_field_row (form, "phone"))), ==,
      "0942-22-3333");

  g_assert_true (tsu_record_form_save (form));
  row = tsu_store_get (f->store, "funders", id, &error);
  /* The other change stays where the person typed nothing... */
  g_assert_cmpstr (json_object_get_string_member (row, "url"), ==, "https://example.jp/new/");
  /* ...the person's fields are saved, a clash keeps the person's value. */
  g_assert_cmpstr (json_object_get_string_member (row, "contact"), ==, "事務局 田中");
  g_assert_cmpstr (json_object_get_string_member (row, "phone"), ==, "0942-22-3333");
  g_assert_nonnull (find_row_with (GTK_WIDGET (form), "この端末で入力した値を保存しました"));
  g_assert_finalize_object (form);
}

int
main (int argc, char *argv[])
{
  g_autofree char *localedir = NULL;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_print ("1..0 # SKIP no display\n");
      return 77;
    }
  g_setenv ("TSUNAGU_TODAY", "2026-11-26", TRUE);
  /* Japanese, from the build tree's catalogue. */
  g_setenv ("LC_ALL", "ja_JP.UTF-8", TRUE);
  g_setenv ("LANGUAGE", "ja", TRUE);
  if (setlocale (LC_ALL, "") == NULL)
    g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  localedir = g_build_filename (g_getenv ("TSU_BUILD_ROOT"), "po", NULL);
  g_setenv ("TSUNAGU_LOCALEDIR", localedir, TRUE);
  tsu_application_init_i18n ();
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/record/form/properties", test_form_properties);
  ADD ("/record/form/inline-validation", test_form_inline_validation);
  ADD ("/record/form/changed-underneath", test_form_changed_underneath);
  ADD ("/record/history/values", test_history_values);
  ADD ("/record/list/date-style", test_list_date_style);
  ADD ("/record/import/preview", test_import_preview);
  ADD ("/record/import/closed-early", test_import_closed_early);
  ADD ("/record/page/guard", test_page_guard);
#undef ADD
  return g_test_run ();
}
