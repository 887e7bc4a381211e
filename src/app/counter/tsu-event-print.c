/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sign-in sheet (受付名簿) and the name cards of an event. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "tsu-event-print.h"
#include "tsu-record.h"

#define LINES_PER_PAGE 22
#define CARDS_PER_PAGE 10

typedef struct
{
  JsonObject       *event;
  GPtrArray        *people; /* registered, in order */
  TsuEventPrintKind kind;
} PrintData;

static void
text_at (cairo_t       *cr,
         PangoLayout   *layout,
         const char    *text,
         double         x,
         double         y,
         double         width,
         double         size,
         gboolean       bold,
         PangoAlignment align)
{
  g_autoptr (PangoFontDescription) font = pango_font_description_from_string ("Sans");

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  if (bold)
    pango_font_description_set_weight (font, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text ? text : "", -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

static char *
event_when (JsonObject *event)
{
  const char *s = tsu_record_get_string (event, "start_at");
  const char *e = tsu_record_get_string (event, "end_at");
  const char *place = tsu_record_get_string (event, "place");

  if (s == NULL || strlen (s) < 16)
    return g_strdup (place ? place : "");
  return g_strdup_printf ("%.4s年%.2s月%.2s日 %.5s%s%.5s　%s", s, s + 5, s + 8, s + 11,
                          e && strlen (e) >= 16 ? "〜" : "", e && strlen (e) >= 16 ? e + 11 : "",
                          place ? place : "");
}

static void
draw_sign_in (cairo_t *cr, PangoLayout *layout, PrintData *d, int page, double w, double h)
{
  static const double cols[] = { 0.0, 0.07, 0.37, 0.62, 0.85, 1.0 };
  const char      *heads[] = { _ ("No."), _ ("Name"), _ ("Reading"), _ ("Group"), _ ("Present") };
  g_autofree char *when = event_when (d->event);
  g_autofree char *pages = NULL;
  int              n_pages = MAX (1, ((int)d->people->len + LINES_PER_PAGE - 1) / LINES_PER_PAGE);
  double           top = 86, line = (h - top - 30) / (LINES_PER_PAGE + 1);

  text_at (cr, layout, _ ("Sign-in Sheet"), 0, 0, w, 20, TRUE, PANGO_ALIGN_CENTER);
  text_at (cr, layout, tsu_record_get_string (d->event, "title"), 0, 30, w, 14, TRUE,
           PANGO_ALIGN_LEFT);
  text_at (cr, layout, when, 0, 52, w, 11, FALSE, PANGO_ALIGN_LEFT);
  cairo_set_line_width (cr, 0.6);
  for (int r = 0; r <= LINES_PER_PAGE + 1; r++)
    {
      cairo_move_to (cr, 0, top + r * line);
      cairo_line_to (cr, w, top + r * line);
    }
  for (guint c = 0; c < G_N_ELEMENTS (cols); c++)
    {
      cairo_move_to (cr, cols[c] * w, top);
      cairo_line_to (cr, cols[c] * w, top + (LINES_PER_PAGE + 1) * line);
    }
  cairo_stroke (cr);
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    text_at (cr, layout, heads[c], cols[c] * w + 3, top + line / 2 - 6,
             (cols[c + 1] - cols[c]) * w - 6, 10, TRUE, PANGO_ALIGN_CENTER);
  for (int r = 0; r < LINES_PER_PAGE; r++)
    {
      guint            i = page * LINES_PER_PAGE + r;
      double           y = top + (r + 1) * line + line / 2 - 7;
      JsonObject      *p;
      g_autofree char *no = NULL;

      if (i >= d->people->len)
        break;
      p = g_ptr_array_index (d->people, i);
      no = g_strdup_printf ("%u", i + 1);
      text_at (cr, layout, no, cols[0] * w, y, (cols[1] - cols[0]) * w, 11, FALSE,
               PANGO_ALIGN_CENTER);
      text_at (cr, layout, tsu_record_get_string (p, "name"), cols[1] * w + 4, y,
               (cols[2] - cols[1]) * w - 8, 12, FALSE, PANGO_ALIGN_LEFT);
      text_at (cr, layout, tsu_record_get_string (p, "name_kana"), cols[2] * w + 4, y + 1,
               (cols[3] - cols[2]) * w - 8, 10, FALSE, PANGO_ALIGN_LEFT);
      text_at (cr, layout, tsu_record_get_string (p, "group_name"), cols[3] * w + 4, y + 1,
               (cols[4] - cols[3]) * w - 8, 10, FALSE, PANGO_ALIGN_LEFT);
      /* A box to tick, or the mark when attendance was already taken. */
      if (g_strcmp0 (tsu_record_get_string (p, "attendance"), "present") == 0)
        text_at (cr, layout, "✓", cols[4] * w, y - 1, (cols[5] - cols[4]) * w, 13, TRUE,
                 PANGO_ALIGN_CENTER);
      else
        {
          cairo_rectangle (cr, (cols[4] + cols[5]) / 2 * w - 6, y + 1, 12, 12);
          cairo_stroke (cr);
        }
    }
  pages = g_strdup_printf ("%d / %d", page + 1, n_pages);
  text_at (cr, layout, pages, 0, h - 16, w, 9, FALSE, PANGO_ALIGN_RIGHT);
}

static void
draw_cards (cairo_t *cr, PangoLayout *layout, PrintData *d, int page, double w, double h)
{
  /* Two columns of five, cut along the thin lines. */
  double cw = w / 2, ch = h / 5;

  cairo_set_line_width (cr, 0.3);
  cairo_set_dash (cr, (double[]){ 3, 3 }, 2, 0);
  for (int r = 0; r <= 5; r++)
    {
      cairo_move_to (cr, 0, r * ch);
      cairo_line_to (cr, w, r * ch);
    }
  for (int c = 0; c <= 2; c++)
    {
      cairo_move_to (cr, c * cw, 0);
      cairo_line_to (cr, c * cw, h);
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (int k = 0; k < CARDS_PER_PAGE; k++)
    {
      guint       i = page * CARDS_PER_PAGE + k;
      double      x = (k % 2) * cw, y = (k / 2) * ch;
      JsonObject *p;

      if (i >= d->people->len)
        break;
      p = g_ptr_array_index (d->people, i);
      text_at (cr, layout, tsu_record_get_string (d->event, "title"), x + 12, y + 10, cw - 24, 8,
               FALSE, PANGO_ALIGN_LEFT);
      text_at (cr, layout, tsu_record_get_string (p, "name_kana"), x + 12, y + ch * 0.28, cw - 24,
               10, FALSE, PANGO_ALIGN_CENTER);
      text_at (cr, layout, tsu_record_get_string (p, "name"), x + 12, y + ch * 0.38, cw - 24, 26,
               TRUE, PANGO_ALIGN_CENTER);
      text_at (cr, layout, tsu_record_get_string (p, "group_name"), x + 12, y + ch * 0.74, cw - 24,
               11, FALSE, PANGO_ALIGN_CENTER);
    }
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page, PrintData *d)
{
  cairo_t     *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  double       w = gtk_print_context_get_width (context);
  double       h = gtk_print_context_get_height (context);

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (d->kind == TSU_EVENT_PRINT_SIGN_IN)
    draw_sign_in (cr, layout, d, page, w, h);
  else
    draw_cards (cr, layout, d, page, w, h);
  g_object_unref (layout);
}

/* The PDF holds people's names: it is made private before anything is in
 * it (cairo keeps the mode of a file it overwrites). */
static gboolean
prepare_private (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  if (fd < 0 || fchmod (fd, 0600) != 0)
    {
      int e = errno;

      if (fd >= 0)
        close (fd);
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", path,
                   g_strerror (e));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

gboolean
tsu_event_print (GtkWindow        *parent,
                 JsonObject       *event,
                 GPtrArray        *registrations,
                 TsuEventPrintKind kind,
                 const char       *pdf_path,
                 GError          **error)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autoptr (GPtrArray) people = g_ptr_array_new ();
  PrintData               data = { event, people, kind };
  GtkPrintOperationResult res;
  guint                   per = kind == TSU_EVENT_PRINT_SIGN_IN ? LINES_PER_PAGE : CARDS_PER_PAGE;

  for (guint i = 0; registrations && i < registrations->len; i++)
    {
      JsonObject *r = g_ptr_array_index (registrations, i);

      if (g_strcmp0 (tsu_record_get_string (r, "state"), "registered") == 0)
        g_ptr_array_add (people, r);
    }
  if (pdf_path && !prepare_private (pdf_path, error))
    return FALSE;
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, MAX (1, (people->len + per - 1) / per));
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, tsu_record_get_string (event, "title") ?: "Tsunagu");
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), &data);
  if (pdf_path)
    gtk_print_operation_set_export_filename (op, pdf_path);
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  if (pdf_path)
    g_chmod (pdf_path, 0600);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}
