/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <cairo-pdf.h>

#include "tsu-chart.h"
#include "tsu-pdf-doc.h"

struct _TsuPdfDoc
{
  GByteArray      *bytes;
  cairo_surface_t *surface;
  cairo_t         *cr;
  char            *title;
  int              page;
  double           y;
  gboolean         plain;
  int              outline_parent;
};

static cairo_status_t
write_cb (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

TsuPdfDoc *
tsu_pdf_doc_new (const char *title)
{
  TsuPdfDoc *doc = g_new0 (TsuPdfDoc, 1);

  doc->bytes = g_byte_array_new ();
  doc->surface = cairo_pdf_surface_create_for_stream (write_cb, doc->bytes, TSU_PDF_A4_WIDTH,
                                                      TSU_PDF_A4_HEIGHT);
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_TITLE, title);
  cairo_pdf_surface_set_metadata (doc->surface, CAIRO_PDF_METADATA_CREATOR, "Tsunagu");
  doc->cr = cairo_create (doc->surface);
  doc->title = g_strdup (title);
  doc->page = 1;
  doc->y = TSU_PDF_MARGIN;
  doc->outline_parent = CAIRO_PDF_OUTLINE_ROOT;
  return doc;
}

void
tsu_pdf_doc_free (TsuPdfDoc *doc)
{
  if (doc == NULL)
    return;
  g_clear_pointer (&doc->cr, cairo_destroy);
  g_clear_pointer (&doc->surface, cairo_surface_destroy);
  g_clear_pointer (&doc->bytes, g_byte_array_unref);
  g_free (doc->title);
  g_free (doc);
}

PangoLayout *
tsu_pdf_doc_layout (TsuPdfDoc *doc, double size, gboolean bold, double width)
{
  PangoLayout          *layout = pango_cairo_create_layout (doc->cr);
  PangoFontDescription *desc = pango_font_description_from_string (TSU_CHART_FONT);

  pango_font_description_set_size (desc, (int)(size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_context_set_language (pango_layout_get_context (layout), pango_language_from_string ("ja"));
  pango_layout_context_changed (layout);
  if (width > 0)
    {
      pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  /* Japanese text reads better with air between lines. */
  pango_layout_set_line_spacing (layout, 1.4);
  return layout;
}

static void
footer (TsuPdfDoc *doc)
{
  g_autoptr (PangoLayout) layout = NULL;
  g_autofree char *n = NULL;
  int              w, h;

  if (doc->plain)
    return;
  layout = tsu_pdf_doc_layout (doc, 8, FALSE, -1);
  n = g_strdup_printf ("— %d —", doc->page);
  cairo_set_source_rgb (doc->cr, 0, 0, 0);
  pango_layout_set_text (layout, n, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (doc->cr, (TSU_PDF_A4_WIDTH - (double)w / PANGO_SCALE) / 2,
                 TSU_PDF_A4_HEIGHT - TSU_PDF_MARGIN / 2 - 6);
  pango_cairo_show_layout (doc->cr, layout);
  pango_layout_set_text (layout, doc->title, -1);
  cairo_move_to (doc->cr, TSU_PDF_MARGIN, TSU_PDF_MARGIN / 2 - 6);
  cairo_set_source_rgb (doc->cr, 0.35, 0.35, 0.35);
  pango_cairo_show_layout (doc->cr, layout);
  cairo_move_to (doc->cr, TSU_PDF_MARGIN, TSU_PDF_MARGIN / 2 + 8);
  cairo_line_to (doc->cr, TSU_PDF_A4_WIDTH - TSU_PDF_MARGIN, TSU_PDF_MARGIN / 2 + 8);
  cairo_set_line_width (doc->cr, 0.4);
  cairo_stroke (doc->cr);
  cairo_set_source_rgb (doc->cr, 0, 0, 0);
}

void
tsu_pdf_doc_new_page (TsuPdfDoc *doc)
{
  footer (doc);
  cairo_show_page (doc->cr);
  doc->page++;
  doc->y = TSU_PDF_MARGIN;
  doc->plain = FALSE;
}

void
tsu_pdf_doc_set_plain_page (TsuPdfDoc *doc)
{
  doc->plain = TRUE;
}

GBytes *
tsu_pdf_doc_finish (TsuPdfDoc *doc, GError **error)
{
  cairo_status_t status;

  footer (doc);
  cairo_show_page (doc->cr);
  g_clear_pointer (&doc->cr, cairo_destroy);
  cairo_surface_finish (doc->surface);
  status = cairo_surface_status (doc->surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PDF: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&doc->bytes));
}

cairo_t *
tsu_pdf_doc_get_cairo (TsuPdfDoc *doc)
{
  return doc->cr;
}

int
tsu_pdf_doc_get_page (TsuPdfDoc *doc)
{
  return doc->page;
}

double
tsu_pdf_doc_get_y (TsuPdfDoc *doc)
{
  return doc->y;
}

void
tsu_pdf_doc_set_y (TsuPdfDoc *doc, double y)
{
  doc->y = y;
}

double
tsu_pdf_doc_get_width (TsuPdfDoc *doc)
{
  return TSU_PDF_A4_WIDTH - 2 * TSU_PDF_MARGIN;
}

void
tsu_pdf_doc_ensure (TsuPdfDoc *doc, double height)
{
  if (doc->y + height > TSU_PDF_A4_HEIGHT - TSU_PDF_MARGIN && doc->y > TSU_PDF_MARGIN + 1)
    tsu_pdf_doc_new_page (doc);
}

void
tsu_pdf_doc_space (TsuPdfDoc *doc, double height)
{
  doc->y += height;
}

void
tsu_pdf_doc_text (TsuPdfDoc *doc, const char *text, double size, gboolean bold, double indent)
{
  g_autoptr (PangoLayout) layout
      = tsu_pdf_doc_layout (doc, size, bold, tsu_pdf_doc_get_width (doc) - indent);
  PangoLayoutIter *iter;

  pango_layout_set_text (layout, text, -1);
  iter = pango_layout_get_iter (layout);
  /* line by line, so a long paragraph breaks across pages */
  do
    {
      PangoLayoutLine *line = pango_layout_iter_get_line_readonly (iter);
      PangoRectangle   logical;
      int              baseline = pango_layout_iter_get_baseline (iter);
      int              top;

      pango_layout_iter_get_line_extents (iter, NULL, &logical);
      top = logical.y;
      tsu_pdf_doc_ensure (doc, (double)logical.height / PANGO_SCALE);
      cairo_move_to (doc->cr, TSU_PDF_MARGIN + indent + (double)logical.x / PANGO_SCALE,
                     doc->y + (double)(baseline - top) / PANGO_SCALE);
      pango_cairo_show_layout_line (doc->cr, line);
      doc->y += (double)logical.height / PANGO_SCALE;
    }
  while (pango_layout_iter_next_line (iter));
  pango_layout_iter_free (iter);
}

void
tsu_pdf_doc_heading (TsuPdfDoc *doc, int level, const char *text, const char *anchor)
{
  g_autofree char *dest = NULL;
  g_autofree char *attrs = NULL;
  int              id;

  if (level == 1 && doc->y > TSU_PDF_MARGIN + 1)
    tsu_pdf_doc_new_page (doc);
  else
    tsu_pdf_doc_ensure (doc, level == 1 ? 60 : 90);
  if (level > 1)
    doc->y += 8;
  dest = g_strdup_printf ("page=%d pos=[%g %g]", doc->page, TSU_PDF_MARGIN, doc->y);
  id = cairo_pdf_surface_add_outline (
      doc->surface, level == 1 ? CAIRO_PDF_OUTLINE_ROOT : doc->outline_parent, text, dest, 0);
  if (level == 1)
    doc->outline_parent = id;
  if (anchor)
    {
      attrs = g_strdup_printf ("name='%s'", anchor);
      cairo_tag_begin (doc->cr, CAIRO_TAG_DEST, attrs);
    }
  cairo_set_source_rgb (doc->cr, 0, 0, 0);
  tsu_pdf_doc_text (doc, text, level == 1 ? 16 : 11.5, TRUE, 0);
  if (anchor)
    cairo_tag_end (doc->cr, CAIRO_TAG_DEST);
  if (level == 1)
    {
      cairo_move_to (doc->cr, TSU_PDF_MARGIN, doc->y + 2);
      cairo_line_to (doc->cr, TSU_PDF_A4_WIDTH - TSU_PDF_MARGIN, doc->y + 2);
      cairo_set_line_width (doc->cr, 1.2);
      cairo_stroke (doc->cr);
      doc->y += 10;
    }
  else
    doc->y += 3;
}

void
tsu_pdf_doc_toc_line (TsuPdfDoc *doc, const char *text, const char *anchor, int page, int level)
{
  g_autoptr (PangoLayout) layout = tsu_pdf_doc_layout (doc, level == 1 ? 11 : 9.5, level == 1, -1);
  g_autofree char *link = g_strdup_printf ("dest='%s'", anchor);
  g_autofree char *num = g_strdup_printf ("%d", page);
  double           indent = level == 1 ? 0 : 16, right = TSU_PDF_A4_WIDTH - TSU_PDF_MARGIN;
  int              w, h, nw;

  tsu_pdf_doc_ensure (doc, 20);
  cairo_tag_begin (doc->cr, CAIRO_TAG_LINK, link);
  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (doc->cr, TSU_PDF_MARGIN + indent, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  pango_layout_set_text (layout, num, -1);
  pango_layout_get_size (layout, &nw, NULL);
  cairo_move_to (doc->cr, right - (double)nw / PANGO_SCALE, doc->y);
  pango_cairo_show_layout (doc->cr, layout);
  /* dot leaders */
  cairo_save (doc->cr);
  cairo_set_line_width (doc->cr, 0.6);
  cairo_set_dash (doc->cr, (double[]){ 0.6, 3 }, 2, 0);
  cairo_move_to (doc->cr, TSU_PDF_MARGIN + indent + (double)w / PANGO_SCALE + 4,
                 doc->y + (double)h / PANGO_SCALE * 0.75);
  cairo_line_to (doc->cr, right - (double)nw / PANGO_SCALE - 4,
                 doc->y + (double)h / PANGO_SCALE * 0.75);
  cairo_stroke (doc->cr);
  cairo_restore (doc->cr);
  cairo_tag_end (doc->cr, CAIRO_TAG_LINK);
  doc->y += (double)h / PANGO_SCALE + (level == 1 ? 6 : 2);
}
