/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tsu-centre.h"
#include "tsu-chart.h"
#include "tsu-group.h"
#include "tsu-pdf-doc.h"
#include "tsu-report-pdf.h"

#define ROW_H 15.0

static const double col_share[] = { 0.46, 0.18, 0.18, 0.18 };

static void
table_row (TsuPdfDoc *doc, GStrv cells, gboolean header)
{
  cairo_t *cr = tsu_pdf_doc_get_cairo (doc);
  double   w = tsu_pdf_doc_get_width (doc), x = TSU_PDF_MARGIN, y = tsu_pdf_doc_get_y (doc);
  g_autoptr (PangoLayout) layout = tsu_pdf_doc_layout (doc, 8.5, header, -1);

  if (header)
    {
      cairo_rectangle (cr, x, y, w, ROW_H);
      cairo_set_source_rgb (cr, 0.88, 0.88, 0.88);
      cairo_fill (cr);
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < 4 && cells[i]; i++)
    {
      double cw = w * col_share[i];
      int    tw, th;

      pango_layout_set_width (layout, (int)((cw - 8) * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, i == 0 ? PANGO_ALIGN_LEFT : PANGO_ALIGN_RIGHT);
      pango_layout_set_text (layout, cells[i], -1);
      pango_layout_get_size (layout, &tw, &th);
      cairo_move_to (cr, x + 4, y + (ROW_H - (double)th / PANGO_SCALE) / 2);
      pango_cairo_show_layout (cr, layout);
      x += cw;
    }
  cairo_set_line_width (cr, header ? 0.8 : 0.3);
  cairo_move_to (cr, TSU_PDF_MARGIN, y + ROW_H);
  cairo_line_to (cr, TSU_PDF_MARGIN + w, y + ROW_H);
  cairo_stroke (cr);
  tsu_pdf_doc_set_y (doc, y + ROW_H);
}

static void
draw_table (TsuPdfDoc *doc, const TsuReport *r, const TsuReportTable *t, TsuDateStyle style)
{
  g_autoptr (GPtrArray) rows = tsu_report_table_rows (r, t, style);
  GStrv header = g_ptr_array_index (rows, 0);

  /* The change column of CSV files is plain; here it reads as people write it. */
  tsu_pdf_doc_ensure (doc, ROW_H * MIN (rows->len, 4));
  table_row (doc, header, TRUE);
  for (guint i = 1; i < rows->len; i++)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i - 1);
      g_auto (GStrv) cells = g_new0 (char *, 5);

      cells[0] = g_strdup (row->label);
      cells[1] = tsu_report_cell_text (row, 0, FALSE);
      cells[2] = tsu_report_cell_text (row, 1, FALSE);
      cells[3] = tsu_report_change_text (row, FALSE);
      if (tsu_pdf_doc_get_y (doc) + ROW_H > TSU_PDF_A4_HEIGHT - TSU_PDF_MARGIN)
        {
          tsu_pdf_doc_new_page (doc);
          table_row (doc, header, TRUE);
        }
      table_row (doc, cells, FALSE);
    }
  tsu_pdf_doc_space (doc, 4);
}

static void
draw_chart (TsuPdfDoc *doc, const TsuReport *r, const TsuReportTable *t, TsuDateStyle style)
{
  double   w = tsu_pdf_doc_get_width (doc);
  double   h = tsu_chart_natural_height (t, w);
  cairo_t *cr = tsu_pdf_doc_get_cairo (doc);

  if (h <= 0)
    return;
  tsu_pdf_doc_ensure (doc, h + 4);
  cairo_save (cr);
  cairo_translate (cr, TSU_PDF_MARGIN, tsu_pdf_doc_get_y (doc));
  tsu_chart_draw (cr, r, t, style, w, h);
  cairo_restore (cr);
  tsu_pdf_doc_space (doc, h + 6);
}

static char *
anchor_of (const char *id)
{
  return g_strdup_printf ("sec-%s", id);
}

/* Lays out everything after the table of contents; @pages receives the
 * page each section and table starts on. */
static void
body (TsuPdfDoc *doc, const TsuReport *r, TsuDateStyle style, GHashTable *pages)
{
  for (guint i = 0; i < r->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (r->sections, i);
      g_autofree char  *num_title = g_strdup_printf ("%u. %s", i + 1, s->title);
      g_autofree char  *anchor = anchor_of (s->id);

      tsu_pdf_doc_heading (doc, 1, num_title, anchor);
      g_hash_table_insert (pages, g_strdup (s->id), GINT_TO_POINTER (tsu_pdf_doc_get_page (doc)));
      for (guint j = 0; j < s->tables->len; j++)
        {
          TsuReportTable  *t = g_ptr_array_index (s->tables, j);
          g_autofree char *tanchor = anchor_of (t->id);

          if (j > 0)
            {
              /* a heading stays with its chart and the first rows */
              tsu_pdf_doc_ensure (
                  doc, 40 + tsu_chart_natural_height (t, tsu_pdf_doc_get_width (doc)) + 4 * ROW_H);
              tsu_pdf_doc_heading (doc, 2, t->title, tanchor);
              g_hash_table_insert (pages, g_strdup (t->id),
                                   GINT_TO_POINTER (tsu_pdf_doc_get_page (doc)));
            }
          draw_chart (doc, r, t, style);
          draw_table (doc, r, t, style);
          if (t->note)
            tsu_pdf_doc_text (doc, t->note, 8, FALSE, 0);
          tsu_pdf_doc_space (doc, 6);
        }
    }
}

static void
cover_and_contents (TsuPdfDoc       *doc,
                    const TsuReport *r,
                    const char      *centre,
                    TsuDateStyle     style,
                    const GDate     *made_on,
                    GHashTable      *pages)
{
  g_autofree char *period = tsu_report_period_label (r, 0, style);
  g_autofree char *before = tsu_report_period_label (r, 1, style);
  g_autofree char *title = g_strdup_printf (_ ("Annual report figures, %s"), period);
  g_autofree char *made = tsu_date_format_plain (made_on, style);
  g_autofree char *made_line = g_strdup_printf (_ ("Made on %s"), made);
  g_autofree char *compare = g_strdup_printf (_ ("Compared with %s"), before);

  tsu_pdf_doc_set_plain_page (doc);
  tsu_pdf_doc_set_y (doc, 260);
  tsu_pdf_doc_text (doc, centre, 14, FALSE, 0);
  tsu_pdf_doc_space (doc, 12);
  tsu_pdf_doc_text (doc, title, 24, TRUE, 0);
  tsu_pdf_doc_space (doc, 18);
  tsu_pdf_doc_text (doc, compare, 12, FALSE, 0);
  tsu_pdf_doc_set_y (doc, 700);
  tsu_pdf_doc_text (doc, made_line, 11, FALSE, 0);

  tsu_pdf_doc_new_page (doc);
  tsu_pdf_doc_text (doc, _ ("Contents"), 16, TRUE, 0);
  tsu_pdf_doc_space (doc, 14);
  for (guint i = 0; i < r->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (r->sections, i);
      g_autofree char  *num_title = g_strdup_printf ("%u. %s", i + 1, s->title);
      g_autofree char  *anchor = anchor_of (s->id);

      tsu_pdf_doc_toc_line (doc, num_title, anchor,
                            GPOINTER_TO_INT (g_hash_table_lookup (pages, s->id)), 1);
      for (guint j = 1; j < s->tables->len; j++)
        {
          TsuReportTable  *t = g_ptr_array_index (s->tables, j);
          g_autofree char *tanchor = anchor_of (t->id);

          tsu_pdf_doc_toc_line (doc, t->title, tanchor,
                                GPOINTER_TO_INT (g_hash_table_lookup (pages, t->id)), 2);
        }
    }
  tsu_pdf_doc_space (doc, 16);
  tsu_pdf_doc_text (doc, _ ("How to read the figures"), 10, TRUE, 0);
  tsu_pdf_doc_space (doc, 4);
  tsu_pdf_doc_text (
      doc,
      _ ("Each figure is shown for the period and for the same days of the year before; "
         "charts draw this period solid and the year before hatched or dashed. Only counts "
         "leave the desk: no names or contacts are in this report."),
      8.5, FALSE, 0);
  tsu_pdf_doc_space (doc, 4);
  tsu_pdf_doc_text (doc, tsu_report_small_cell_note (), 8.5, FALSE, 0);
}

GBytes *
tsu_report_pdf (const TsuReport *r,
                const char      *centre,
                TsuDateStyle     style,
                const GDate     *made_on,
                GError         **error)
{
  g_autoptr (GHashTable) pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *period = tsu_report_period_label (r, 0, style);
  g_autofree char *title = g_strdup_printf (_ ("Annual report figures, %s"), period);
  TsuPdfDoc       *doc;

  if (centre == NULL || *centre == '\0')
    centre = _ ("Civic activity support centre");

  /* First pass: where each section falls (the contents are as long
   * whatever their page numbers are). */
  doc = tsu_pdf_doc_new (title);
  cover_and_contents (doc, r, centre, style, made_on, pages);
  tsu_pdf_doc_new_page (doc);
  body (doc, r, style, pages);
  tsu_pdf_doc_free (doc);

  doc = tsu_pdf_doc_new (title);
  cover_and_contents (doc, r, centre, style, made_on, pages);
  tsu_pdf_doc_new_page (doc);
  body (doc, r, style, pages);
  {
    GBytes *bytes = tsu_pdf_doc_finish (doc, error);
    tsu_pdf_doc_free (doc);
    return bytes;
  }
}

char *
tsu_report_file_stem (const TsuReport *r)
{
  if (r->whole_year)
    return g_strdup_printf ("report-%d", r->fiscal_year);
  return g_strdup_printf ("report-%04d-%02d-%02d-%04d-%02d-%02d", g_date_get_year (&r->from[0]),
                          g_date_get_month (&r->from[0]), g_date_get_day (&r->from[0]),
                          g_date_get_year (&r->to[0]), g_date_get_month (&r->to[0]),
                          g_date_get_day (&r->to[0]));
}

gboolean
tsu_report_write (TsuStore        *store,
                  const TsuReport *r,
                  const char      *dir,
                  TsuDateStyle     style,
                  TsuCsvEncoding   encoding,
                  GPtrArray       *written,
                  GPtrArray       *unencodable,
                  GError         **error)
{
  g_autofree char *centre = tsu_centre_get_string (store, TSU_CENTRE_NAME, NULL);
  g_autofree char *stem = tsu_report_file_stem (r);
  g_autofree char *name = g_strconcat (stem, ".pdf", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GBytes) pdf = NULL;
  GDate today;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   _ ("Cannot make the folder %s: %s"), dir, g_strerror (e));
      return FALSE;
    }
  tsu_group_today (&today);
  pdf = tsu_report_pdf (r, centre, style, &today, error);
  if (pdf == NULL || !tsu_store_write_output (store, path, pdf, error))
    return FALSE;
  if (written)
    g_ptr_array_add (written, g_steal_pointer (&name));
  return tsu_report_write_csv (store, r, dir, style, encoding, written, unencodable, error);
}
