/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-window.h"
#include "tsu-application.h"
#include "tsu-counter-view.h"
#include "tsu-equipment-page.h"
#include "tsu-funders-page.h"
#include "tsu-grants-group-section.h"
#include "tsu-groups-view.h"
#include "tsu-programmes-page.h"
#include "tsu-matching-page.h"
#include "tsu-record-page.h"
#include "tsu-stats-page.h"
#include "tsu-sync-status.h"

struct _TsuWindow
{
  AdwApplicationWindow parent_instance;

  GSettings *settings;
  TsuStore  *store;

  GtkStack             *main_stack;
  AdwViewStack         *view_stack;
  AdwViewSwitcherTitle *switcher_title;
  AdwBin               *groups_bin;
  TsuEquipmentPage     *equipment_page;
  TsuMatchingPage      *matching_page;
  GtkStack             *grants_stack;
  TsuStatsPage         *stats_page;
  GtkWidget            *grants_switcher;
  AdwStatusPage        *error_page;
  GtkRevealer          *demo_bar;
  GtkWidget            *sync_status;
  GtkMenuButton        *staff_button;
  GtkPopover           *staff_popover;
  GtkListBox           *staff_list;
  GtkEntry             *staff_entry;
  GtkLabel             *staff_label;

  char    *shown_page; /* the page the guard lets go of, or returns to */
  gboolean returning;
  char    *pending_programme; /* asked for before the database was open */
};

G_DEFINE_FINAL_TYPE (TsuWindow, tsu_window, ADW_TYPE_APPLICATION_WINDOW)

/* The template's children that show the store's records. */
static const char *const store_pages[] = {
  "sync_status",     "groups_view",  "matching_page", "equipment_page",
  "programmes_page", "funders_page", "counter_view",  "stats_page",
};

enum
{
  PROP_0,
  PROP_STORE,
  PROP_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GWeakRef window;
  char    *to;
} Leave;

static void
leave_cb (gpointer data, gboolean may_leave)
{
  Leave *l = data;
  g_autoptr (TsuWindow) self = g_weak_ref_get (&l->window);

  if (self && may_leave)
    {
      g_free (self->shown_page);
      self->shown_page = g_strdup (l->to);
      adw_view_stack_set_visible_child_name (self->view_stack, l->to);
    }
  g_weak_ref_clear (&l->window);
  g_free (l->to);
  g_free (l);
}

static TsuRecordPage *
find_dirty_page (GtkWidget *w)
{
  if (TSU_IS_RECORD_PAGE (w) && tsu_record_page_get_dirty (TSU_RECORD_PAGE (w)))
    return TSU_RECORD_PAGE (w);
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      TsuRecordPage *found = find_dirty_page (c);

      if (found)
        return found;
    }
  return NULL;
}

/* The unsaved-change guard covers going to another page: the stack goes
 * back to the record being edited while the question is open. */
static void
tsu_window_view_stack_notify_cb (TsuWindow *self, GParamSpec *pspec, AdwViewStack *view_stack)
{
  const char *to = adw_view_stack_get_visible_child_name (view_stack);
  GtkWidget  *from
      = self->shown_page ? adw_view_stack_get_child_by_name (view_stack, self->shown_page) : NULL;
  TsuRecordPage *page = NULL;

  if (self->returning || g_strcmp0 (to, self->shown_page) == 0)
    return;
  if (from)
    {
      /* The page just hidden is no longer mapped: look without that test. */
      for (GtkWidget *w = from; w && page == NULL; w = gtk_widget_get_first_child (w))
        if (TSU_IS_RECORD_PAGE (w))
          page = TSU_RECORD_PAGE (w);
      if (page == NULL && gtk_widget_is_ancestor (GTK_WIDGET (self->matching_page), from))
        page = tsu_matching_page_get_visible_page (self->matching_page);
      if (page == NULL && GTK_IS_STACK (self->grants_stack)
          && gtk_widget_is_ancestor (GTK_WIDGET (self->grants_stack), from))
        page = TSU_RECORD_PAGE (gtk_stack_get_visible_child (self->grants_stack));
    }
  /* A page holding its record pages deeper (equipment: the desk beside the
   * inventory): whichever has unsaved changes. */
  if (page == NULL && from)
    page = find_dirty_page (from);
  if (page && tsu_record_page_get_dirty (page))
    {
      Leave *l = g_new0 (Leave, 1);

      g_weak_ref_init (&l->window, self);
      l->to = g_strdup (to);
      self->returning = TRUE;
      adw_view_stack_set_visible_child_name (view_stack, self->shown_page);
      self->returning = FALSE;
      tsu_record_page_confirm_leave (page, leave_cb, l);
      return;
    }
  g_free (self->shown_page);
  self->shown_page = g_strdup (to);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE]);
}

static void
show_request_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuWindow *self = TSU_WINDOW (widget);

  tsu_window_set_page (self, "matching");
  if (g_strcmp0 (tsu_window_get_page (self), "matching") == 0)
    tsu_matching_page_show_request (self->matching_page, g_variant_get_string (param, NULL));
}

/* ---- who is at the desk ---- */

static void staff_fill (TsuWindow *self);

static void
staff_set (TsuWindow *self, const char *name)
{
  g_auto (GStrv) names = g_settings_get_strv (self->settings, "staff-names");
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  g_auto (GStrv) kept = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (name ? name : ""));

  if (*clean == '\0')
    return;
  /* Most recent first, ten at most: a desk has a handful of staff. */
  g_strv_builder_add (b, clean);
  for (guint i = 0, n = 1; names[i] && n < 10; i++)
    if (!g_str_equal (names[i], clean))
      {
        g_strv_builder_add (b, names[i]);
        n++;
      }
  kept = g_strv_builder_end (b);
  g_settings_delay (self->settings);
  g_settings_set_strv (self->settings, "staff-names", (const char *const *)kept);
  g_settings_set_string (self->settings, "staff-name", clean);
  g_settings_apply (self->settings);
  gtk_popover_popdown (self->staff_popover);
}

static void
staff_row_activated_cb (TsuWindow *self, GtkListBoxRow *row)
{
  staff_set (self, g_object_get_data (G_OBJECT (row), "name"));
}

static void
staff_entry_activate_cb (TsuWindow *self)
{
  staff_set (self, gtk_editable_get_text (GTK_EDITABLE (self->staff_entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->staff_entry), "");
}

static void
staff_fill (TsuWindow *self)
{
  g_auto (GStrv) names = g_settings_get_strv (self->settings, "staff-names");
  g_autofree char *current = g_strstrip (g_settings_get_string (self->settings, "staff-name"));
  GtkWidget       *child;

  gtk_label_set_text (self->staff_label, *current ? current : g_get_real_name ());
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->staff_list))))
    gtk_list_box_remove (self->staff_list, child);
  for (guint i = 0; names[i]; i++)
    {
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
      GtkWidget *label = gtk_label_new (names[i]);
      GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

      gtk_widget_set_hexpand (label, TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_visible (check, g_str_equal (names[i], current));
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), check);
      gtk_widget_set_margin_start (box, 6);
      gtk_widget_set_margin_end (box, 6);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "name", g_strdup (names[i]), g_free);
      gtk_list_box_append (self->staff_list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->staff_list), names[0] != NULL);
}

static void
staff_changed_cb (TsuWindow *self, const char *key)
{
  if (g_str_equal (key, "staff-name") || g_str_equal (key, "staff-names"))
    staff_fill (self);
}

static void
tsu_window_set_state (TsuWindow *self, const char *state)
{
  gboolean content = g_str_equal (state, "content");

  gtk_stack_set_visible_child_name (self->main_stack, state);
  /* Without content there is nothing to switch between. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, content);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.page", content);
}

static gboolean
tsu_window_close_request (GtkWindow *window)
{
  TsuWindow *self = (TsuWindow *)window;
  int        width, height;

  /* The default size follows the window while it is not maximized. */
  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (tsu_window_parent_class)->close_request (window);
}

static void
tsu_window_dispose (GObject *object)
{
  TsuWindow *self = (TsuWindow *)object;

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_WINDOW);
  g_clear_object (&self->store);
  g_clear_pointer (&self->shown_page, g_free);
  g_clear_pointer (&self->pending_programme, g_free);

  G_OBJECT_CLASS (tsu_window_parent_class)->dispose (object);
}

static void
tsu_window_finalize (GObject *object)
{
  TsuWindow *self = (TsuWindow *)object;

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tsu_window_parent_class)->finalize (object);
}

static void
tsu_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuWindow *self = TSU_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_PAGE:
      g_value_set_string (value, tsu_window_get_page (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TsuWindow *self = TSU_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_window_set_store (self, g_value_get_object (value));
      break;

    case PROP_PAGE:
      tsu_window_set_page (self, g_value_get_string (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* win.resolve-booking (booking id): the Equipment page with the booking's
 * move-or-cancel dialog. */
static void
resolve_booking_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuWindow *self = TSU_WINDOW (widget);
  g_autoptr (GError) error = NULL;

  tsu_window_set_page (self, "equipment");
  if (!tsu_equipment_page_resolve_booking (self->equipment_page, g_variant_get_string (param, NULL),
                                           &error))
    g_warning ("Cannot open the booking: %s", error ? error->message : "?");
}

static void
show_programme_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_window_show_programme (TSU_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
tsu_window_class_init (TsuWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = tsu_window_dispose;
  object_class->finalize = tsu_window_finalize;
  object_class->get_property = tsu_window_get_property;
  object_class->set_property = tsu_window_set_property;

  window_class->close_request = tsu_window_close_request;

  /**
   * TsuWindow:store:
   *
   * The open database, or %NULL while it is being opened or could not be.
   * Views bind to it.
   */
  properties[PROP_STORE] = g_param_spec_object (
      "store", NULL, NULL, TSU_TYPE_STORE,
      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  /**
   * TsuWindow:page:
   *
   * The name of the visible page: "groups", "matching", "equipment", "grants" or
   * "statistics".
   */
  properties[PROP_PAGE] = g_param_spec_string (
      "page", NULL, NULL, NULL,
      (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_property_action (widget_class, "win.page", "page");
  gtk_widget_class_install_action (widget_class, "win.show-programme", "s", show_programme_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "window.close",
                                       NULL);

  /* Feature folders: g_type_ensure() the view types used in tsu-window.ui here. */
  g_type_ensure (TSU_TYPE_GROUPS_VIEW);
  g_type_ensure (TSU_TYPE_FUNDERS_PAGE);
  g_type_ensure (TSU_TYPE_COUNTER_VIEW);
  g_type_ensure (TSU_TYPE_MATCHING_PAGE);
  g_type_ensure (TSU_TYPE_SYNC_STATUS);
  g_type_ensure (TSU_TYPE_STATS_PAGE);
  g_type_ensure (TSU_TYPE_PROGRAMMES_PAGE);
  g_type_ensure (TSU_TYPE_EQUIPMENT_PAGE);
  /* "Move or cancel" a booking (the sync page's "needs attention"). */
  gtk_widget_class_install_action (widget_class, "win.resolve-booking", "s",
                                   resolve_booking_action);

  tsu_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, groups_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, equipment_page);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, matching_page);
  /* Other pages open a request of the matching page (a group's requests). */
  gtk_widget_class_install_action (widget_class, "win.show-request", "s", show_request_action);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, error_page);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, grants_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, stats_page);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, grants_switcher);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, demo_bar);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, sync_status);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, staff_button);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, staff_popover);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, staff_list);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, staff_entry);
  gtk_widget_class_bind_template_child (widget_class, TsuWindow, staff_label);
  /* Reached by name only (gtk_widget_get_template_child). */
  gtk_widget_class_bind_template_child_full (widget_class, "switcher_bar", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "groups_view", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "programmes_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "funders_page", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "counter_view", FALSE, 0);
}

static void
tsu_window_init (TsuWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The bottom switcher shows when the header's one does not fit. */
  g_object_bind_property (
      self->switcher_title, "title-visible",
      gtk_widget_get_template_child (GTK_WIDGET (self), TSU_TYPE_WINDOW, "switcher_bar"), "reveal",
      G_BINDING_SYNC_CREATE);

  self->settings = g_settings_new ("io.github.tsunagu.Tsunagu");

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  /* 和暦 or 西暦 in the statistics, as the preferences say */
  tsu_stats_page_set_settings (self->stats_page, self->settings);
  g_settings_bind (self->settings, "last-page", self->view_stack, "visible-child-name",
                   G_SETTINGS_BIND_DEFAULT);
  self->shown_page = g_strdup (adw_view_stack_get_visible_child_name (self->view_stack));
  g_signal_connect_object (self->settings, "changed", G_CALLBACK (staff_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->staff_list, "row-activated", G_CALLBACK (staff_row_activated_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->staff_entry, "activate", G_CALLBACK (staff_entry_activate_cb),
                           self, G_CONNECT_SWAPPED);
  staff_fill (self);
  /* The switcher appears once grants have a second page (programmes). */
  {
    g_autoptr (GListModel) pages = G_LIST_MODEL (gtk_stack_get_pages (self->grants_stack));
    gtk_widget_set_visible (self->grants_switcher, g_list_model_get_n_items (pages) > 1);
  }
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (tsu_window_view_stack_notify_cb), self, G_CONNECT_SWAPPED);
  /* A group's grants in its read view (src/app/grants). */
  if (TSU_IS_RECORD_PAGE (adw_bin_get_child (self->groups_bin)))
    tsu_grants_group_section_attach (TSU_RECORD_PAGE (adw_bin_get_child (self->groups_bin)));

  if (g_str_equal (PROFILE, "Devel"))
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  tsu_window_set_state (self, "loading");
}

/**
 * tsu_window_new:
 * @application: the application
 *
 * Creates a main window. It shows a loading page until a store is set
 * with tsu_window_set_store() or an error with tsu_window_show_error().
 *
 * Returns: (transfer full): a new #TsuWindow
 */
TsuWindow *
tsu_window_new (TsuApplication *application)
{
  g_return_val_if_fail (TSU_IS_APPLICATION (application), NULL);

  return g_object_new (TSU_TYPE_WINDOW, "application", application, NULL);
}

/**
 * tsu_window_get_store:
 * @self: a #TsuWindow
 *
 * Returns: (transfer none) (nullable): the open store, if any
 */
TsuStore *
tsu_window_get_store (TsuWindow *self)
{
  g_return_val_if_fail (TSU_IS_WINDOW (self), NULL);

  return self->store;
}

/**
 * tsu_window_set_store:
 * @self: a #TsuWindow
 * @store: (nullable): the open store
 *
 * Shows the pages for @store (or the loading page when %NULL).
 */
void
tsu_window_set_store (TsuWindow *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_WINDOW (self));
  g_return_if_fail (store == NULL || TSU_IS_STORE (store));

  if (!g_set_object (&self->store, store))
    return;

  tsu_window_set_state (self, store != NULL ? "content" : "loading");
  /* Handed to each page here rather than by <binding>s in the .ui: GTK 4.8's
   * expression watches on the window could unref a weak reference twice
   * while the window was disposed (a rare fatal warning in the window test). */
  for (guint i = 0; i < G_N_ELEMENTS (store_pages); i++)
    g_object_set (
        gtk_widget_get_template_child (GTK_WIDGET (self), TSU_TYPE_WINDOW, store_pages[i]), "store",
        store, NULL);
  {
    GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
    gboolean        demo = store != NULL && TSU_IS_APPLICATION (app)
                    && tsu_application_get_demo (TSU_APPLICATION (app));

    /* No one mistakes the demo for the centre's records; and the demo
     * never syncs (--sync refuses it), so it offers no sync set-up (after
     * the sync status has shown itself for the store). */
    gtk_revealer_set_reveal_child (self->demo_bar, demo);
    if (demo)
      gtk_widget_set_visible (self->sync_status, FALSE);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
  if (store != NULL && self->pending_programme)
    {
      g_autofree char *id = g_steal_pointer (&self->pending_programme);
      tsu_window_show_programme (self, id);
    }
}

/**
 * tsu_window_show_programme:
 * @programme_id: a programme's id
 *
 * Shows the grants page with @programme_id open (once the database is open).
 */
void
tsu_window_show_programme (TsuWindow *self, const char *programme_id)
{
  GtkWidget *page;

  g_return_if_fail (TSU_IS_WINDOW (self));

  if (self->store == NULL)
    {
      g_free (self->pending_programme);
      self->pending_programme = g_strdup (programme_id);
      return;
    }
  gtk_stack_set_visible_child_name (self->grants_stack, "programmes");
  tsu_window_set_page (self, "grants");
  page = gtk_stack_get_child_by_name (self->grants_stack, "programmes");
  if (TSU_IS_RECORD_PAGE (page))
    tsu_record_page_show_record (TSU_RECORD_PAGE (page), programme_id);
}

/**
 * tsu_window_get_page:
 * @self: a #TsuWindow
 *
 * Returns: (nullable): the name of the visible page
 */
const char *
tsu_window_get_page (TsuWindow *self)
{
  g_return_val_if_fail (TSU_IS_WINDOW (self), NULL);

  return adw_view_stack_get_visible_child_name (self->view_stack);
}

/**
 * tsu_window_set_page:
 * @self: a #TsuWindow
 * @page: "groups", "matching", "equipment" or "grants"
 *
 * Shows the page named @page. Unknown names are ignored.
 */
void
tsu_window_set_page (TsuWindow *self, const char *page)
{
  g_return_if_fail (TSU_IS_WINDOW (self));

  if (page == NULL || adw_view_stack_get_child_by_name (self->view_stack, page) == NULL)
    return;

  adw_view_stack_set_visible_child_name (self->view_stack, page);
}

/**
 * tsu_window_show_error:
 * @self: a #TsuWindow
 * @error: why the database could not be opened
 * @path: (nullable): the database file
 *
 * Replaces the pages with an explanation of @error. Nothing is written.
 */
void
tsu_window_show_error (TsuWindow *self, const GError *error, const char *path)
{
  g_autofree char *escaped_message = NULL;
  g_autofree char *escaped_path = NULL;
  g_autofree char *description = NULL;
  const char      *title;
  const char      *hint;

  g_return_if_fail (TSU_IS_WINDOW (self));
  g_return_if_fail (error != NULL);

  if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_CORRUPT))
    {
      title = _ ("This File Cannot Be Used");
      hint = _ ("Restore the file from a backup, or choose another file with --db.");
    }
  else if (g_error_matches (error, TSU_STORE_ERROR, TSU_STORE_ERROR_TOO_NEW))
    {
      title = _ ("Made by a Newer Tsunagu");
      hint = _ ("Update Tsunagu to open this file.");
    }
  else if (error->domain == TSU_STORE_ERROR
           && (error->code == TSU_STORE_ERROR_READ_ONLY || error->code == TSU_STORE_ERROR_DISK_FULL
               || error->code == TSU_STORE_ERROR_BUSY || error->code == TSU_STORE_ERROR_IO))
    {
      /* Not damage: the reason says what to fix; never "restore a backup". */
      title = error->code == TSU_STORE_ERROR_READ_ONLY   ? _ ("The Database Cannot Be Written")
              : error->code == TSU_STORE_ERROR_DISK_FULL ? _ ("The Disk Is Full")
              : error->code == TSU_STORE_ERROR_BUSY      ? _ ("The Database Is in Use")
                                                         : _ ("The Disk Reported an Error");
      hint = _ ("Once that is fixed, open Tsunagu again.");
    }
  else
    {
      title = _ ("Cannot Open the Database");
      hint = _ ("Check that the folder exists and that you may write to it.");
    }

  escaped_message = g_markup_escape_text (error->message, -1);
  escaped_path = g_markup_escape_text (path != NULL ? path : "", -1);
  /* Name the file unless the reason already does. */
  if (path != NULL && strstr (error->message, path) == NULL)
    /* Translators: 1: the reason, 2: what to do, 3: the file's path. */
    description = g_strdup_printf (_ ("%1$s\n%2$s\n\nFile: %3$s\nThe file has not been changed."),
                                   escaped_message, hint, escaped_path);
  else
    /* Translators: 1: the reason, 2: what to do. */
    description = g_strdup_printf (_ ("%1$s\n%2$s\n\nThe file has not been changed."),
                                   escaped_message, hint);

  adw_status_page_set_title (self->error_page, title);
  adw_status_page_set_description (self->error_page, description);
  tsu_window_set_state (self, "error");
  if (g_set_object (&self->store, NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}
