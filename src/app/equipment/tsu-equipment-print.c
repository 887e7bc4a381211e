/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tsu-equipment-print.h"
#include "tsu-print-preview.h"
#include "tsu-equipment-ui.h"
#include "tsu-record.h"

static gboolean
is_room (GPtrArray *bookings)
{
  return bookings->len > 0
         && g_strcmp0 (tsu_record_get_string (g_ptr_array_index (bookings, 0), "resource_kind"),
                       "room")
                == 0;
}

const char *
tsu_equipment_paper_title (GPtrArray *bookings)
{
  return is_room (bookings) ? _ ("Room Use Permit") : _ ("Equipment Loan Slip");
}

static const char *
str (JsonObject *o, const char *name)
{
  const char *s = tsu_record_get_string (o, name);

  return s ? s : "";
}

static double
text_at (cairo_t       *cr,
         PangoLayout   *layout,
         const char    *font,
         const char    *text,
         double         x,
         double         y,
         double         width,
         PangoAlignment align)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int                   h;

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text ? text : "", -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

/* A row of the form: the label in a grey cell, the value beside it. */
static double
field_row (cairo_t     *cr,
           PangoLayout *layout,
           const char  *label,
           const char  *value,
           double       x,
           double       y,
           double       w)
{
  double lw = w * 0.24, pad = 6, h;

  h = MAX (text_at (cr, layout, "Noto Sans CJK JP 10.5", value, x + lw + pad, y + pad,
                    w - lw - 2 * pad, PANGO_ALIGN_LEFT),
           14)
      + 2 * pad;
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
  cairo_rectangle (cr, x, y, lw, h);
  cairo_fill (cr);
  cairo_restore (cr);
  text_at (cr, layout, "Noto Sans CJK JP Bold 10", label, x + pad, y + pad, lw - 2 * pad,
           PANGO_ALIGN_LEFT);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, x, y, w, h);
  cairo_move_to (cr, x + lw, y);
  cairo_line_to (cr, x + lw, y + h);
  cairo_stroke (cr);
  return h;
}

static char *
joined (JsonObject *o, const char *member)
{
  g_auto (GStrv) items = tsu_equipment_strings (o, member);

  return g_strjoinv ("、", items);
}

static void
seal_box (cairo_t *cr, PangoLayout *layout, const char *label, double x, double y, double size)
{
  cairo_save (cr);
  cairo_set_source_rgb (cr, 0.45, 0.45, 0.45);
  cairo_set_line_width (cr, 0.6);
  cairo_rectangle (cr, x, y, size, size);
  cairo_stroke (cr);
  text_at (cr, layout, "Noto Sans CJK JP 8", label, x, y + 3, size, PANGO_ALIGN_CENTER);
  cairo_restore (cr);
}

static void
draw (cairo_t                 *cr,
      PangoLayout             *layout,
      GPtrArray               *bookings,
      const TsuEquipmentPaper *paper,
      double                   w,
      double                   h)
{
  JsonObject      *first = g_ptr_array_index (bookings, 0);
  gboolean         room = is_room (bookings);
  double           x = w * 0.06, cw = w * 0.88, y = h * 0.04;
  GDate            issued;
  g_autofree char *issued_text = NULL;
  g_autofree char *numbers = NULL;
  g_autofree char *period = NULL;
  g_autofree char *who = NULL;
  g_autoptr (GString) nums = g_string_new (NULL);

  if (paper->issued)
    issued = *paper->issued;
  else
    tsu_date_today (&issued);
  issued_text = tsu_date_format_plain (&issued, paper->style);
  for (guint i = 0; i < bookings->len; i++)
    g_string_append_printf (nums, "%s%s", nums->len ? "、" : "",
                            str (g_ptr_array_index (bookings, i), "number"));
  /* TRANSLATORS: the top right of a loan slip: 1: booking numbers, 2: date */
  numbers = g_strdup_printf (_ ("No. %1$s\nIssued on %2$s"), nums->str, issued_text);
  text_at (cr, layout, "Noto Sans CJK JP 9.5", numbers, x, y, cw, PANGO_ALIGN_RIGHT);
  y += 36;
  y += text_at (cr, layout, "Noto Serif CJK JP Bold 24", tsu_equipment_paper_title (bookings), x, y,
                cw, PANGO_ALIGN_CENTER);
  y += 14;
  if (room)
    y += text_at (cr, layout, "Noto Serif CJK JP 11",
                  _ ("Use of the room below is permitted as follows."), x, y, cw, PANGO_ALIGN_LEFT)
         + 10;

  period = tsu_equipment_span_text (str (first, "start_at"), str (first, "due_at"), paper->style);
  if (tsu_record_get_string (first, "group_number"))
    who = g_strdup_printf ("%s（%s %s）", str (first, "holder_name"), _ ("Registration No."),
                           str (first, "group_number"));
  else
    who = g_strdup (str (first, "holder_name"));
  y += field_row (cr, layout, _ ("Group"), who, x, y, cw);
  {
    g_autofree char *person
        = g_strdup_printf ("%s%s%s", str (first, "contact_name"),
                           tsu_record_get_string (first, "contact_phone")
                                   && tsu_record_get_string (first, "contact_name")
                               ? "　"
                               : "",
                           str (first, "contact_phone"));
    y += field_row (cr, layout, room ? _ ("Person in charge") : _ ("Borrower and phone"), person, x,
                    y, cw);
  }
  y += field_row (cr, layout, _ ("Purpose"), str (first, "purpose"), x, y, cw);
  y += field_row (cr, layout, room ? _ ("Date and time") : _ ("Loan period"), period, x, y, cw);
  if (room)
    {
      gint64           n = 0, fee = -1;
      g_autofree char *people = NULL;
      g_autofree char *fee_text = NULL;

      y += field_row (cr, layout, _ ("Room"), str (first, "resource_name"), x, y, cw);
      if (tsu_record_get_int (first, "attendees", &n) && n > 0)
        {
          people = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d person", "%d people", n),
                                    (int)n);
          y += field_row (cr, layout, _ ("Attendees"), people, x, y, cw);
        }
      if (tsu_record_get_int (first, "fee", &fee)
          || tsu_record_get_int (first, "fee_estimate", &fee))
        {
          fee_text = fee > 0 ? tsu_equipment_yen (fee) : g_strdup (_ ("Free"));
          y += field_row (cr, layout, _ ("Fee"), fee_text, x, y, cw);
        }
    }
  else
    {
      /* The items: one line each, with what goes with it. */
      double cols[] = { 0, 0.36, 0.52, 0.60 }, rh;

      y += 16;
      cairo_save (cr);
      cairo_set_source_rgb (cr, 0.93, 0.93, 0.93);
      cairo_rectangle (cr, x, y, cw, 22);
      cairo_fill (cr);
      cairo_restore (cr);
      text_at (cr, layout, "Noto Sans CJK JP Bold 10", _ ("Item"), x + 6, y + 4, cw * 0.34,
               PANGO_ALIGN_LEFT);
      text_at (cr, layout, "Noto Sans CJK JP Bold 10", _ ("Control No."), x + cw * cols[1] + 6,
               y + 4, cw * 0.15, PANGO_ALIGN_LEFT);
      text_at (cr, layout, "Noto Sans CJK JP Bold 10", _ ("Qty"), x + cw * cols[2] + 6, y + 4,
               cw * 0.07, PANGO_ALIGN_LEFT);
      text_at (cr, layout, "Noto Sans CJK JP Bold 10", _ ("Accessories out"), x + cw * cols[3] + 6,
               y + 4, cw * 0.38, PANGO_ALIGN_LEFT);
      cairo_set_line_width (cr, 0.6);
      cairo_rectangle (cr, x, y, cw, 22);
      cairo_stroke (cr);
      y += 22;
      for (guint i = 0; i < bookings->len && y < h * 0.72; i++)
        {
          JsonObject      *b = g_ptr_array_index (bookings, i);
          g_autofree char *acc = joined (b, "accessories_out");
          g_autofree char *qty = NULL;
          gint64           q = 1, mo, po;

          tsu_record_get_int (b, "quantity", &q);
          qty = g_strdup_printf ("%d", (int)q);
          if (tsu_record_get_int (b, "masters_out", &mo)
              && tsu_record_get_int (b, "prints_out", &po))
            {
              /* TRANSLATORS: a printer's counters when it goes out */
              g_autofree char *counters
                  = g_strdup_printf (_ ("Counters out: masters %d, prints %d"), (int)mo, (int)po);
              g_autofree char *both = g_strdup_printf ("%s%s%s", acc, *acc ? "\n" : "", counters);
              g_free (acc);
              acc = g_steal_pointer (&both);
            }
          rh = MAX (text_at (cr, layout, "Noto Sans CJK JP 10", str (b, "resource_name"), x + 6,
                             y + 5, cw * 0.34, PANGO_ALIGN_LEFT),
                    text_at (cr, layout, "Noto Sans CJK JP 9", acc, x + cw * cols[3] + 6, y + 5,
                             cw * 0.38, PANGO_ALIGN_LEFT));
          text_at (cr, layout, "Noto Sans CJK JP 10", str (b, "control_number"),
                   x + cw * cols[1] + 6, y + 5, cw * 0.15, PANGO_ALIGN_LEFT);
          text_at (cr, layout, "Noto Sans CJK JP 10", qty, x + cw * cols[2] + 6, y + 5, cw * 0.07,
                   PANGO_ALIGN_LEFT);
          rh = MAX (rh, 14) + 10;
          cairo_rectangle (cr, x, y, cw, rh);
          for (guint c = 1; c < G_N_ELEMENTS (cols); c++)
            {
              cairo_move_to (cr, x + cw * cols[c], y - (i == 0 ? 22 : 0));
              cairo_line_to (cr, x + cw * cols[c], y + rh);
            }
          cairo_stroke (cr);
          y += rh;
        }
    }
  y += 18;
  y += text_at (cr, layout, "Noto Sans CJK JP 9.5",
                room ? _ ("Please leave the room as you found it and tell the counter when you "
                          "leave. Cancel at the counter or by phone if the plans change.")
                     : _ ("Please bring everything back by the end of the loan period, with all "
                          "its accessories. Tell the counter at once of any damage or loss."),
                x, y, cw, PANGO_ALIGN_LEFT);
  y += 24;
  {
    double      seal = 54;
    double      top = MAX (y, h * 0.80);
    const char *head = paper->centre_head && *paper->centre_head ? paper->centre_head : NULL;

    text_at (cr, layout, "Noto Serif CJK JP Bold 13", paper->centre_name ? paper->centre_name : "",
             x, top, cw - seal - 12, PANGO_ALIGN_RIGHT);
    if (head)
      text_at (cr, layout, "Noto Serif CJK JP 11", head, x, top + 22, cw - seal - 12,
               PANGO_ALIGN_RIGHT);
    if (room)
      seal_box (cr, layout, "印", x + cw - seal, top - 6, seal);
    else
      {
        /* Who handed it over and who took it back. */
        seal_box (cr, layout, _ ("Lent by"), x, top - 6, seal);
        seal_box (cr, layout, _ ("Returned"), x + seal + 8, top - 6, seal);
      }
  }
}

void
tsu_equipment_print_draw (cairo_t                 *cr,
                          PangoLayout             *layout,
                          GPtrArray               *bookings,
                          const TsuEquipmentPaper *paper,
                          double                   width,
                          double                   height)
{
  g_return_if_fail (bookings != NULL && bookings->len > 0);

  cairo_set_source_rgb (cr, 0, 0, 0);
  draw (cr, layout, bookings, paper, width, height);
}

typedef struct
{
  GPtrArray               *bookings;
  const TsuEquipmentPaper *paper;
} PrintData;

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page_nr, PrintData *data)
{
  cairo_t     *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);

  tsu_equipment_print_draw (cr, layout, data->bookings, data->paper,
                            gtk_print_context_get_width (context),
                            gtk_print_context_get_height (context));
  g_object_unref (layout);
}

/* The slip names a person and a phone: the PDF is the staff's alone
 * (0600) from the moment it exists, before cairo writes a byte. */
static gboolean
create_private (const char *path, GError **error)
{
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write “%s”: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  if (fchmod (fd, 0600) != 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _ ("Cannot write “%s”: %s"),
                   path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

/**
 * tsu_equipment_print:
 * @pdf_path: (nullable): write a PDF there (0600) instead of showing the print dialog
 *
 * Returns: %TRUE unless printing failed
 */
gboolean
tsu_equipment_print (GtkWindow               *parent,
                     GPtrArray               *bookings,
                     const TsuEquipmentPaper *paper,
                     const char              *pdf_path,
                     GError                 **error)
{
  g_autoptr (GtkPrintOperation) op = NULL;
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  PrintData               data = { bookings, paper };
  GtkPrintOperationResult res;

  g_return_val_if_fail (bookings != NULL && bookings->len > 0, FALSE);

  if (pdf_path && !create_private (pdf_path, error))
    return FALSE;
  op = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, tsu_equipment_paper_title (bookings));
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), &data);
  tsu_print_preview_guard (op);
  if (pdf_path)
    gtk_print_operation_set_export_filename (op, pdf_path);
  /* Synchronous: the dialog runs its own loop; the data lives on this stack. */
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}
