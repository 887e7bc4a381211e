/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-grants-collections.h"
#include "tsu-grants-print.h"
#include "tsu-grants.h"
#include "tsu-record.h"

/* Points on the page (GTK_UNIT_POINTS). */
#define TITLE_HEIGHT 48.0
#define LINE_HEIGHT 34.0
#define FONT "Sans 9"

typedef struct
{
  JsonArray   *rows;
  GDate        today;
  TsuDateStyle style;
  GPtrArray   *lines; /* per printed line: a section heading (char*) or a row index + 1 */
  guint        per_page;
} PrintData;

typedef struct
{
  char *heading; /* or NULL */
  guint row;
} Line;

static void
line_free (Line *l)
{
  g_free (l->heading);
  g_free (l);
}

static int
int_of (JsonObject *p, const char *name)
{
  gint64 v = 0;

  return tsu_record_get_int (p, name, &v) ? (int)v : 0;
}

static const char *
choice_label (const TsuChoice *choices, const char *code)
{
  for (guint i = 0; code && choices[i].code; i++)
    if (g_strcmp0 (choices[i].code, code) == 0)
      return _ (choices[i].label);
  return "";
}

static char *
due_text (JsonObject *p, const PrintData *d)
{
  int         left = tsu_programme_days_left (p, &d->today);
  const char *day = tsu_record_get_string (p, "deadline_on");
  const char *time = tsu_record_get_string (p, "deadline_time");
  const char *kind = choice_label (tsu_deadline_kinds, tsu_record_get_string (p, "deadline_kind"));
  g_autofree char *date = NULL;
  g_autofree char *when = NULL;
  GDate            gd;

  if (left == G_MAXINT)
    return g_strdup (_ ("Any time"));
  if (day && tsu_date_from_iso (day, &gd))
    date = tsu_date_format (&gd, d->style);
  if (left == 0)
    when = g_strdup (_ ("Today"));
  else if (left == 1)
    when = g_strdup (_ ("Tomorrow"));
  else
    when = g_strdup_printf (_ ("%d days left"), left);
  {
    g_autofree char *at = g_strjoin (" ", date ? date : "", time ? time : "", kind, NULL);
    g_auto (GStrv) parts = g_strsplit (at, " ", -1);
    g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
    g_auto (GStrv) kept = NULL;
    g_autofree char *joined = NULL;

    /* No double spaces where there is no time. */
    for (guint i = 0; parts[i]; i++)
      if (*parts[i])
        g_strv_builder_add (b, parts[i]);
    kept = g_strv_builder_end (b);
    joined = g_strjoinv (" ", kept);
    /* TRANSLATORS: the deadline (date, time, kind), then the days left:
     * 2026年11月27日 17:00 必着(あと3日) */
    return g_strdup_printf (_ ("%s (%s)"), joined, when);
  }
}

static void
begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, PrintData *d)
{
  double usable = gtk_print_context_get_height (context) - TITLE_HEIGHT;
  int    bucket = -1;

  d->per_page = MAX (1, (guint)(usable / LINE_HEIGHT));
  for (guint i = 0; i < json_array_get_length (d->rows); i++)
    {
      JsonObject *p = json_array_get_object_element (d->rows, i);
      int         b = tsu_programme_bucket (p, &d->today);
      Line       *l;

      if (b != bucket)
        {
          l = g_new0 (Line, 1);
          l->heading = g_strdup (_ (tsu_deadline_buckets[b].label));
          g_ptr_array_add (d->lines, l);
          bucket = b;
        }
      l = g_new0 (Line, 1);
      l->row = i;
      g_ptr_array_add (d->lines, l);
    }
  gtk_print_operation_set_n_pages (op, MAX (1, (d->lines->len + d->per_page - 1) / d->per_page));
}

static void
show (cairo_t     *cr,
      PangoLayout *layout,
      double       x,
      double       y,
      double       width,
      const char  *text,
      gboolean     bold)
{
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string (FONT);

  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_text (layout, text ? text : "", -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, PrintData *d)
{
  cairo_t         *cr = gtk_print_context_get_cairo_context (context);
  double           width = gtk_print_context_get_width (context);
  PangoLayout     *layout = gtk_print_context_create_pango_layout (context);
  double           y = TITLE_HEIGHT;
  g_autofree char *day = tsu_date_format (&d->today, d->style);
  g_autofree char *title = NULL;
  g_autofree char *of = NULL;

  cairo_set_source_rgb (cr, 0, 0, 0);
  /* TRANSLATORS: the printed list's title, with the day it was printed */
  title = g_strdup_printf (_ ("Grant deadlines as of %s"), day);
  show (cr, layout, 0, 0, width * 0.75, title, TRUE);
  of = g_strdup_printf (_ ("Page %d of %d"), page + 1,
                        (int)((d->lines->len + d->per_page - 1) / d->per_page));
  pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
  show (cr, layout, width * 0.75, 0, width * 0.25, of, FALSE);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);

  for (guint i = page * d->per_page; i < MIN (d->lines->len, (page + 1) * d->per_page); i++)
    {
      Line *l = g_ptr_array_index (d->lines, i);

      if (l->heading)
        show (cr, layout, 0, y + 12, width, l->heading, TRUE);
      else
        {
          JsonObject      *p = json_array_get_object_element (d->rows, l->row);
          g_autofree char *due = due_text (p, d);
          g_autofree char *counts = g_strdup_printf (
              /* TRANSLATORS: groups told and applying, on the printed list */
              _ ("%d told ・ %d applying"), int_of (p, "told"), int_of (p, "applying"));

          show (cr, layout, 0, y, width * 0.55, tsu_record_get_string (p, "name"), TRUE);
          show (cr, layout, 0, y + 14, width * 0.55, tsu_record_get_string (p, "funder"), FALSE);
          show (cr, layout, width * 0.57, y, width * 0.43, due, FALSE);
          show (cr, layout, width * 0.57, y + 14, width * 0.43, counts, FALSE);
          cairo_set_line_width (cr, 0.3);
          cairo_move_to (cr, 0, y + LINE_HEIGHT - 3);
          cairo_line_to (cr, width, y + LINE_HEIGHT - 3);
          cairo_stroke (cr);
        }
      y += LINE_HEIGHT;
    }
  g_object_unref (layout);
}

gboolean
tsu_grants_print_deadlines (GtkWindow   *parent,
                            JsonArray   *rows,
                            const GDate *today,
                            TsuDateStyle style,
                            const char  *pdf_path,
                            GError     **error)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify)line_free);
  PrintData               data = { rows, *today, style, lines, 1 };
  GtkPrintOperationResult res;

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, _ ("Grant deadlines"));
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print_cb), &data);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), &data);
  if (pdf_path)
    gtk_print_operation_set_export_filename (op, pdf_path);
  /* Synchronous: the dialog runs its own loop; PrintData lives on this stack. */
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}
