/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small page layout on a cairo PDF surface for A4 documents in Japanese:
 * headings (in the PDF outline), wrapped paragraphs, page breaks, a footer
 * with the title and the page number. Used by the report and the booklet. */
#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define TSU_PDF_A4_WIDTH 595.28
#define TSU_PDF_A4_HEIGHT 841.89
#define TSU_PDF_MARGIN 56.0

typedef struct _TsuPdfDoc TsuPdfDoc;

TsuPdfDoc *tsu_pdf_doc_new (const char *title);
void       tsu_pdf_doc_free (TsuPdfDoc *doc);
/* The PDF bytes; the doc is finished after this. */
GBytes *tsu_pdf_doc_finish (TsuPdfDoc *doc, GError **error);

cairo_t *tsu_pdf_doc_get_cairo (TsuPdfDoc *doc);
int      tsu_pdf_doc_get_page (TsuPdfDoc *doc); /* 1-based */
double   tsu_pdf_doc_get_y (TsuPdfDoc *doc);
void     tsu_pdf_doc_set_y (TsuPdfDoc *doc, double y);
double   tsu_pdf_doc_get_width (TsuPdfDoc *doc); /* of the text column */
/* No footer on this page (the cover). */
void tsu_pdf_doc_set_plain_page (TsuPdfDoc *doc);

void tsu_pdf_doc_new_page (TsuPdfDoc *doc);
/* A new page unless @height fits below the current line. */
void tsu_pdf_doc_ensure (TsuPdfDoc *doc, double height);

PangoLayout *tsu_pdf_doc_layout (TsuPdfDoc *doc, double size, gboolean bold, double width);
/* A wrapped paragraph; breaks pages between lines. */
void tsu_pdf_doc_text (TsuPdfDoc *doc, const char *text, double size, gboolean bold, double indent);
/* A heading: level 1 starts a page; both go into the PDF outline, under
 * the last level-1 heading for level 2. @anchor names a destination for
 * links ("sec-groups"), or NULL. */
void tsu_pdf_doc_heading (TsuPdfDoc *doc, int level, const char *text, const char *anchor);
/* A line of a table of contents linking to @anchor, with its page. */
void
tsu_pdf_doc_toc_line (TsuPdfDoc *doc, const char *text, const char *anchor, int page, int level);
void tsu_pdf_doc_space (TsuPdfDoc *doc, double height);

G_END_DECLS
