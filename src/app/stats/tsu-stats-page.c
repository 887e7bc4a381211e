/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tsu-chart.h"
#include "tsu-group.h"
#include "tsu-guide-pdf.h"
#include "tsu-report-pdf.h"
#include "tsu-stats-page.h"
#include "tsunagu-stats-resources.h"

struct _TsuStatsPage
{
  GtkWidget parent_instance;

  TsuStore     *store;
  GSettings    *settings;
  TsuReport    *report; /* what is shown */
  GCancellable *cancellable;
  guint         generation;
  int           fiscal_year;
  guint         first_month, last_month; /* calendar months */
  gboolean      busy;
  gboolean      stale; /* figures to work out when next shown */
  guint         changed_source;
  char         *last_folder;

  GtkButton   *previous_button;
  GtkButton   *next_button;
  GtkLabel    *year_label;
  GtkDropDown *from_month;
  GtkDropDown *to_month;
  GtkSpinner  *spinner;
  GtkLabel    *status_label;
  GtkButton   *report_button;
  GtkButton   *directory_button;
  GtkBox      *content;
};

G_DEFINE_FINAL_TYPE (TsuStatsPage, tsu_stats_page, GTK_TYPE_WIDGET)

#define CHART_SCALE 1.25

enum
{
  PROP_0,
  PROP_STORE,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The 年度's months in order: 4 … 12, 1, 2, 3. */
static guint
month_at (guint position)
{
  return (position + 3) % 12 + 1;
}

static guint
position_of (guint month)
{
  return (month + 8) % 12;
}

static TsuDateStyle
date_style (TsuStatsPage *self)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (self->settings == NULL)
    return TSU_DATE_STYLE_WAREKI;
  g_object_get (self->settings, "settings-schema", &schema, NULL);
  if (schema == NULL || !g_settings_schema_has_key (schema, "date-style"))
    return TSU_DATE_STYLE_WAREKI;
  return g_settings_get_enum (self->settings, "date-style");
}

static void
period_days (TsuStatsPage *self, GDate *from, GDate *to)
{
  int y1
      = month_at (position_of (self->first_month)) >= 4 ? self->fiscal_year : self->fiscal_year + 1;
  int y2 = self->last_month >= 4 ? self->fiscal_year : self->fiscal_year + 1;

  g_date_clear (from, 1);
  g_date_clear (to, 1);
  g_date_set_dmy (from, 1, self->first_month, y1);
  g_date_set_dmy (to, g_date_get_days_in_month (self->last_month, y2), self->last_month, y2);
}

static void
set_busy (TsuStatsPage *self, gboolean busy)
{
  self->busy = busy;
  gtk_spinner_set_spinning (self->spinner, busy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- showing a report ---- */

typedef struct
{
  TsuStatsPage   *self;
  TsuReportTable *table;
} ChartData;

static void
draw_chart (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer user_data)
{
  ChartData *d = user_data;

  if (d->self->report == NULL)
    return;
  /* Paper colours whatever the theme: the chart is what the PDF prints. */
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  /* Drawn in points as on paper, a quarter larger on screen. */
  cairo_translate (cr, 8, 4);
  cairo_scale (cr, CHART_SCALE, CHART_SCALE);
  tsu_chart_draw (cr, d->self->report, d->table, date_style (d->self), (width - 16) / CHART_SCALE,
                  (height - 8) / CHART_SCALE);
}

static GtkWidget *
label_new (const char *text, float xalign, const char *css)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), xalign);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css)
    gtk_widget_add_css_class (label, css);
  return label;
}

static GtkWidget *
table_widget (TsuStatsPage *self, TsuReportTable *t)
{
  GtkWidget       *grid = gtk_grid_new ();
  TsuDateStyle     style = date_style (self);
  g_autofree char *p0 = tsu_report_period_label (self->report, 0, style);
  g_autofree char *p1 = tsu_report_period_label (self->report, 1, style);
  const char      *heads[] = { t->label_header, p0, p1, _ ("Change") };

  gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (grid), 3);
  gtk_widget_set_margin_bottom (grid, 6);
  for (guint c = 0; c < 4; c++)
    {
      GtkWidget *h = label_new (heads[c], c ? 1.0 : 0.0, "heading");

      gtk_widget_set_hexpand (h, c == 0);
      gtk_grid_attach (GTK_GRID (grid), h, c, 0, 1, 1);
    }
  for (guint i = 0; i < t->rows->len; i++)
    {
      TsuReportRow    *row = g_ptr_array_index (t->rows, i);
      g_autofree char *v0 = tsu_report_cell_text (row, 0, FALSE);
      g_autofree char *v1 = tsu_report_cell_text (row, 1, FALSE);
      g_autofree char *ch = tsu_report_change_text (row, FALSE);
      const char      *cells[] = { row->label, v0, v1, ch };

      for (guint c = 0; c < 4; c++)
        {
          GtkWidget *l = label_new (cells[c], c ? 1.0 : 0.0, c ? "numeric" : NULL);

          if (c == 1 || c == 2)
            {
              /* Read out as "Registered groups (令和8年度)" by screen readers and tests. */
              g_autofree char *name = g_strdup_printf ("%s (%s)", row->label, c == 1 ? p0 : p1);
              gtk_accessible_update_property (GTK_ACCESSIBLE (l), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                              name, -1);
            }
          gtk_label_set_selectable (GTK_LABEL (l), c > 0);
          gtk_grid_attach (GTK_GRID (grid), l, c, i + 1, 1, 1);
        }
    }
  return grid;
}

static void
clear_content (TsuStatsPage *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content))))
    gtk_box_remove (self->content, child);
}

static void
show_report (TsuStatsPage *self)
{
  clear_content (self);
  if (self->report == NULL)
    return;
  for (guint i = 0; i < self->report->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (self->report->sections, i);
      GtkWidget        *title = label_new (s->title, 0, "title-2");

      gtk_widget_set_margin_top (title, i ? 24 : 6);
      gtk_accessible_update_property (GTK_ACCESSIBLE (title), GTK_ACCESSIBLE_PROPERTY_LEVEL, 2, -1);
      gtk_box_append (self->content, title);
      for (guint j = 0; j < s->tables->len; j++)
        {
          TsuReportTable *t = g_ptr_array_index (s->tables, j);

          if (j > 0)
            {
              GtkWidget *h = label_new (t->title, 0, "heading");
              gtk_widget_set_margin_top (h, 12);
              gtk_box_append (self->content, h);
            }
          if (t->chart != TSU_CHART_NONE)
            {
              GtkWidget *area = gtk_drawing_area_new ();
              ChartData *d = g_new0 (ChartData, 1);

              d->self = self;
              d->table = t;
              gtk_drawing_area_set_content_height (
                  GTK_DRAWING_AREA (area),
                  (int)(tsu_chart_natural_height (t, 560) * CHART_SCALE) + 8);
              gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (area), draw_chart, d, g_free);
              gtk_widget_add_css_class (area, "card");
              {
                g_autofree char *name = g_strdup_printf (_ ("Chart: %s"), t->title);
                gtk_accessible_update_property (GTK_ACCESSIBLE (area),
                                                GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
              }
              gtk_box_append (self->content, area);
            }
          gtk_box_append (self->content, table_widget (self, t));
          if (t->note)
            gtk_box_append (self->content, label_new (t->note, 0, "dim-label"));
        }
    }
  gtk_box_append (self->content, label_new (tsu_report_small_cell_note (), 0, "dim-label"));
}

/* ---- figures in a worker ---- */

typedef struct
{
  TsuStore *store;
  GDate     from, to;
  guint     generation;
} Job;

static void
job_free (Job *job)
{
  g_object_unref (job->store);
  g_free (job);
}

static void
compute_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Job       *job = data;
  GError    *error = NULL;
  TsuReport *r = tsu_report_compute (job->store, &job->from, &job->to, &error);

  if (r == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, r, (GDestroyNotify)tsu_report_free);
}

static void
computed_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TsuStatsPage *self = TSU_STATS_PAGE (source);
  Job          *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  TsuReport *r = g_task_propagate_pointer (G_TASK (result), &error);

  if (job->generation != self->generation)
    {
      g_clear_pointer (&r, tsu_report_free);
      return; /* a newer period was asked for */
    }
  set_busy (self, FALSE);
  if (r == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_text (self->status_label, error->message);
      return;
    }
  g_clear_pointer (&self->report, tsu_report_free);
  self->report = r;
  gtk_label_set_text (self->status_label, "");
  show_report (self);
}

static void
update_labels (TsuStatsPage *self)
{
  g_autofree char *fy = tsu_fiscal_year_format (self->fiscal_year, date_style (self));

  gtk_label_set_text (self->year_label, fy);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->year_label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Year shown"), -1);
}

static void
refresh (TsuStatsPage *self)
{
  g_autoptr (GTask) task = NULL;
  Job *job;

  update_labels (self);
  if (self->store == NULL)
    return;
  /* In the window the page is built with the others: a large centre's
   * figures are worked out only once someone looks at them. */
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  self->stale = FALSE;
  g_clear_handle_id (&self->changed_source, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  job = g_new0 (Job, 1);
  job->store = g_object_ref (self->store);
  job->generation = ++self->generation;
  period_days (self, &job->from, &job->to);
  set_busy (self, TRUE);
  gtk_label_set_text (self->status_label, _ ("Working out the figures…"));
  task = g_task_new (self, self->cancellable, computed_cb, NULL);
  g_task_set_source_tag (task, refresh);
  g_task_set_task_data (task, job, (GDestroyNotify)job_free);
  g_task_run_in_thread (task, compute_thread);
}

static void
previous_clicked_cb (TsuStatsPage *self)
{
  self->fiscal_year--;
  refresh (self);
}

static void
next_clicked_cb (TsuStatsPage *self)
{
  self->fiscal_year++;
  refresh (self);
}

static void
months_changed_cb (TsuStatsPage *self)
{
  guint a = gtk_drop_down_get_selected (self->from_month);
  guint b = gtk_drop_down_get_selected (self->to_month);

  if (a == GTK_INVALID_LIST_POSITION || b == GTK_INVALID_LIST_POSITION)
    return;
  if (a > b)
    {
      guint t = a;
      a = b;
      b = t;
    }
  if (month_at (a) == self->first_month && month_at (b) == self->last_month)
    return;
  self->first_month = month_at (a);
  self->last_month = month_at (b);
  refresh (self);
}

/* ---- report or directory to a folder ---- */

typedef struct
{
  TsuStore      *store;
  gboolean       directory; /* the public directory, not the report */
  GDate          from, to;
  char          *dir;
  TsuDateStyle   style;
  TsuCsvEncoding encoding;
} WriteJob;

static void
write_job_free (WriteJob *job)
{
  g_object_unref (job->store);
  g_free (job->dir);
  g_free (job);
}

static void
write_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  WriteJob *job = data;
  GError   *error = NULL;
  g_autoptr (TsuReport) r = NULL;
  GPtrArray *written = g_ptr_array_new_with_free_func (g_free);

  if (job->directory)
    {
      GDate today;

      tsu_group_today (&today);
      if (!tsu_guide_publish (job->store, job->dir, job->style, &today, NULL, written, &error))
        {
          g_ptr_array_unref (written);
          g_task_return_error (task, error);
          return;
        }
      g_task_return_pointer (task, written, (GDestroyNotify)g_ptr_array_unref);
      return;
    }
  r = tsu_report_compute (job->store, &job->from, &job->to, &error);
  if (r == NULL
      || !tsu_report_write (job->store, r, job->dir, job->style, job->encoding, written, NULL,
                            &error))
    {
      g_ptr_array_unref (written);
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, written, (GDestroyNotify)g_ptr_array_unref);
}

static void
written_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  TsuStatsPage *self = TSU_STATS_PAGE (source);
  WriteJob     *job = g_task_get_task_data (G_TASK (result));
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) written = g_task_propagate_pointer (G_TASK (result), &error);

  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->directory_button), TRUE);
  set_busy (self, FALSE);
  if (written == NULL)
    {
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file written to %s",
                                                          "%u files written to %s", written->len),
                                             written->len, job->dir);
    gtk_label_set_text (self->status_label, text);
  }
}

static void
write_to (TsuStatsPage *self, const char *dir, gboolean directory)
{
  g_autoptr (GTask) task = NULL;
  WriteJob *job = g_new0 (WriteJob, 1);

  job->store = g_object_ref (self->store);
  job->directory = directory;
  job->dir = g_strdup (dir);
  job->style = date_style (self);
  job->encoding = TSU_CSV_ENCODING_UTF8_BOM;
  period_days (self, &job->from, &job->to);
  g_free (self->last_folder);
  self->last_folder = g_strdup (dir);
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->directory_button), FALSE);
  set_busy (self, TRUE);
  gtk_label_set_text (self->status_label,
                      directory ? _ ("Writing the directory…") : _ ("Writing the report…"));
  task = g_task_new (self, NULL, written_cb, NULL);
  g_task_set_source_tag (task, write_to);
  g_task_set_task_data (task, job, (GDestroyNotify)write_job_free);
  g_task_run_in_thread (task, write_thread);
}

static void
chooser_response_cb (GtkNativeDialog *chooser, int response, TsuStatsPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) folder = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *dir = folder ? g_file_get_path (folder) : NULL;

      if (dir)
        write_to (self, dir, GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "directory")));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

static void
choose_folder (TsuStatsPage *self, gboolean directory)
{
  GtkRoot              *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;
  g_autoptr (GFile) start = NULL;

  if (self->store == NULL)
    return;
  chooser = gtk_file_chooser_native_new (
      directory ? _ ("Publish Directory to Folder") : _ ("Report to Folder"),
      GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER,
      _ ("_Write Here"), _ ("_Cancel"));
  g_object_set_data (G_OBJECT (chooser), "directory", GINT_TO_POINTER (directory));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* Where the last report went, else the documents folder. */
  start = g_file_new_for_path (self->last_folder ? self->last_folder
                               : g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS)
                                   ? g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS)
                                   : g_get_home_dir ());
  gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), start, NULL);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
report_clicked_cb (TsuStatsPage *self)
{
  choose_folder (self, FALSE);
}

/* The public directory (市民活動団体ガイド): web pages and the booklet of
 * the groups that agreed to be published, public fields only. */
static void
directory_clicked_cb (TsuStatsPage *self)
{
  choose_folder (self, TRUE);
}

/* ---- the object ---- */

static gboolean
changed_timeout_cb (gpointer user_data)
{
  TsuStatsPage *self = user_data;

  self->changed_source = 0;
  refresh (self);
  return G_SOURCE_REMOVE;
}

/* Records changed (here, by an import, by a sync): the figures are worked
 * out again, once for a burst of changes, and not while hidden. */
static void
store_changed_cb (TsuStatsPage *self)
{
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    {
      self->stale = TRUE;
      return;
    }
  if (self->changed_source == 0)
    self->changed_source = g_timeout_add_seconds (2, changed_timeout_cb, self);
}

static void
tsu_stats_page_map (GtkWidget *widget)
{
  TsuStatsPage *self = TSU_STATS_PAGE (widget);

  GTK_WIDGET_CLASS (tsu_stats_page_parent_class)->map (widget);
  if (self->stale)
    refresh (self);
}

static void
settings_changed_cb (TsuStatsPage *self, const char *key, GSettings *settings)
{
  if (g_strcmp0 (key, "date-style") != 0)
    return;
  update_labels (self);
  show_report (self);
}

static void
tsu_stats_page_dispose (GObject *object)
{
  TsuStatsPage *self = TSU_STATS_PAGE (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  self->generation++;
  g_clear_handle_id (&self->changed_source, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_STATS_PAGE);
  /* the template's top box is not a bound child */
  for (GtkWidget *child; (child = gtk_widget_get_first_child (GTK_WIDGET (self)));)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->report, tsu_report_free);
  g_clear_pointer (&self->last_folder, g_free);

  G_OBJECT_CLASS (tsu_stats_page_parent_class)->dispose (object);
}

static void
tsu_stats_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuStatsPage *self = TSU_STATS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_stats_page_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  TsuStatsPage *self = TSU_STATS_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      tsu_stats_page_set_store (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
resources_ensure (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      tsu_stats_register_resource ();
      g_once_init_leave (&done, 1);
    }
}

static void
tsu_stats_page_class_init (TsuStatsPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_stats_page_dispose;
  object_class->get_property = tsu_stats_page_get_property;
  object_class->set_property = tsu_stats_page_set_property;
  widget_class->map = tsu_stats_page_map;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BUSY]
      = g_param_spec_boolean ("busy", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  resources_ensure ();
  g_type_ensure (ADW_TYPE_CLAMP);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_BASE "/ui/tsu-stats-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, previous_button);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, next_button);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, year_label);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, from_month);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, to_month);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, report_button);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, directory_button);
  gtk_widget_class_bind_template_child (widget_class, TsuStatsPage, content);
  gtk_widget_class_bind_template_callback (widget_class, previous_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, next_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, directory_clicked_cb);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tsu_stats_page_init (TsuStatsPage *self)
{
  GtkStringList *months[2] = { gtk_string_list_new (NULL), gtk_string_list_new (NULL) };
  GDate          today;

  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint i = 0; i < 12; i++)
    {
      g_autofree char *label = g_strdup_printf (_ ("Month %d"), month_at (i));

      gtk_string_list_append (months[0], label);
      gtk_string_list_append (months[1], label);
    }
  gtk_drop_down_set_model (self->from_month, G_LIST_MODEL (months[0]));
  gtk_drop_down_set_model (self->to_month, G_LIST_MODEL (months[1]));
  g_object_unref (months[0]);
  g_object_unref (months[1]);
  gtk_drop_down_set_selected (self->from_month, 0);
  gtk_drop_down_set_selected (self->to_month, 11);
  g_signal_connect_swapped (self->from_month, "notify::selected", G_CALLBACK (months_changed_cb),
                            self);
  g_signal_connect_swapped (self->to_month, "notify::selected", G_CALLBACK (months_changed_cb),
                            self);

  tsu_group_today (&today);
  self->fiscal_year = tsu_fiscal_year (&today);
  self->first_month = 4;
  self->last_month = 3;
  update_labels (self);
}

GtkWidget *
tsu_stats_page_new (void)
{
  return g_object_new (TSU_TYPE_STATS_PAGE, NULL);
}

void
tsu_stats_page_set_store (TsuStatsPage *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_STATS_PAGE (self));

  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  g_clear_pointer (&self->report, tsu_report_free);
  clear_content (self);
  refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TsuStore *
tsu_stats_page_get_store (TsuStatsPage *self)
{
  g_return_val_if_fail (TSU_IS_STATS_PAGE (self), NULL);
  return self->store;
}

void
tsu_stats_page_set_settings (TsuStatsPage *self, GSettings *settings)
{
  g_return_if_fail (TSU_IS_STATS_PAGE (self));

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings)
    g_signal_connect_object (settings, "changed", G_CALLBACK (settings_changed_cb), self,
                             G_CONNECT_SWAPPED);
  update_labels (self);
  show_report (self);
}

void
tsu_stats_page_set_period (TsuStatsPage *self, int fiscal_year, guint first_month, guint last_month)
{
  g_return_if_fail (TSU_IS_STATS_PAGE (self));
  g_return_if_fail (first_month >= 1 && first_month <= 12 && last_month >= 1 && last_month <= 12);

  self->fiscal_year = fiscal_year;
  /* setting the drop-downs would refresh twice: set the months first */
  self->first_month = first_month;
  self->last_month = last_month;
  g_signal_handlers_block_by_func (self->from_month, months_changed_cb, self);
  g_signal_handlers_block_by_func (self->to_month, months_changed_cb, self);
  gtk_drop_down_set_selected (self->from_month, position_of (first_month));
  gtk_drop_down_set_selected (self->to_month, position_of (last_month));
  g_signal_handlers_unblock_by_func (self->from_month, months_changed_cb, self);
  g_signal_handlers_unblock_by_func (self->to_month, months_changed_cb, self);
  refresh (self);
}

int
tsu_stats_page_get_fiscal_year (TsuStatsPage *self)
{
  g_return_val_if_fail (TSU_IS_STATS_PAGE (self), 0);
  return self->fiscal_year;
}

/**
 * tsu_stats_page_get_title:
 *
 * Returns: the page's name for the view switcher ("Statistics", translated)
 */
const char *
tsu_stats_page_get_title (void)
{
  return _ ("Statistics");
}

gboolean
tsu_stats_page_get_busy (TsuStatsPage *self)
{
  g_return_val_if_fail (TSU_IS_STATS_PAGE (self), FALSE);
  return self->busy;
}
