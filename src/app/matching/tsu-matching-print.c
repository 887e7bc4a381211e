/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Papers of the matching page as a list of blocks (a title, headings,
 * label and value pairs, notes) laid out on A4 pages: the layout is
 * measured in begin-print, so a long disclosure runs onto more pages. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tsu-matching-print.h"
#include "tsu-disclosure.h"
#include "tsu-print-preview.h"

typedef enum
{
  BLOCK_TITLE,
  BLOCK_SUBTITLE,
  BLOCK_HEADING,
  BLOCK_PAIR,
  BLOCK_ENTRY, /* a long label on its line, the text under it */
  BLOCK_NOTE,  /* boxed: what the reader must know (no consent) */
  BLOCK_SMALL,
} BlockKind;

typedef struct
{
  BlockKind kind;
  char     *label;
  char     *text;
  double    height; /* measured */
  int       page;
} Block;

typedef struct
{
  GPtrArray *blocks;
  char      *job;
  char      *footer;
} Doc;

static void
block_free (Block *b)
{
  g_free (b->label);
  g_free (b->text);
  g_free (b);
}

static Doc *
doc_new (const char *job)
{
  Doc *d = g_new0 (Doc, 1);

  d->blocks = g_ptr_array_new_with_free_func ((GDestroyNotify)block_free);
  d->job = g_strdup (job);
  return d;
}

static void
doc_free (Doc *d)
{
  g_ptr_array_unref (d->blocks);
  g_free (d->job);
  g_free (d->footer);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Doc, doc_free)

static void
doc_add (Doc *d, BlockKind kind, const char *label, const char *text)
{
  Block *b = g_new0 (Block, 1);

  b->kind = kind;
  b->label = g_strdup (label);
  b->text = g_strdup (text ? text : "");
  g_ptr_array_add (d->blocks, b);
}

#define LABEL_WIDTH 110.0
#define GAP 6.0

static const char *
font_of (BlockKind kind)
{
  switch (kind)
    {
    case BLOCK_TITLE:
      return "Sans Bold 20";
    case BLOCK_SUBTITLE:
      return "Sans 11";
    case BLOCK_HEADING:
      return "Sans Bold 12";
    case BLOCK_SMALL:
      return "Sans 8";
    default:
      return "Sans 10";
    }
}

static void
set_layout (
    PangoLayout *layout, const char *font, const char *text, double width, PangoAlignment align)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
}

static double
text_height (PangoLayout *layout)
{
  int h;

  pango_layout_get_pixel_size (layout, NULL, &h);
  return h;
}

/* Lays a block out at @y (drawing when @cr is given); returns its height. */
static double
block_draw (cairo_t *cr, PangoLayout *layout, Block *b, double y, double width)
{
  double h;

  switch (b->kind)
    {
    case BLOCK_PAIR:
      {
        double lh, th;

        set_layout (layout, "Sans Bold 10", b->label, LABEL_WIDTH - GAP, PANGO_ALIGN_LEFT);
        lh = text_height (layout);
        if (cr)
          {
            cairo_move_to (cr, 0, y);
            pango_cairo_show_layout (cr, layout);
          }
        set_layout (layout, "Sans 10", b->text, width - LABEL_WIDTH, PANGO_ALIGN_LEFT);
        th = text_height (layout);
        if (cr)
          {
            cairo_move_to (cr, LABEL_WIDTH, y);
            pango_cairo_show_layout (cr, layout);
            cairo_set_line_width (cr, 0.3);
            cairo_move_to (cr, 0, y + MAX (lh, th) + 2);
            cairo_line_to (cr, width, y + MAX (lh, th) + 2);
            cairo_stroke (cr);
          }
        return MAX (lh, th) + GAP;
      }
    case BLOCK_ENTRY:
      {
        double lh, th;

        set_layout (layout, "Sans Bold 9", b->label, width, PANGO_ALIGN_LEFT);
        lh = text_height (layout);
        if (cr)
          {
            cairo_move_to (cr, 0, y);
            pango_cairo_show_layout (cr, layout);
          }
        set_layout (layout, "Sans 9", b->text, width - 16, PANGO_ALIGN_LEFT);
        th = text_height (layout);
        if (cr)
          {
            cairo_move_to (cr, 16, y + lh + 2);
            pango_cairo_show_layout (cr, layout);
          }
        return lh + 2 + th + GAP;
      }
    case BLOCK_NOTE:
      set_layout (layout, "Sans Bold 10", b->text, width - 16, PANGO_ALIGN_LEFT);
      h = text_height (layout);
      if (cr)
        {
          cairo_set_line_width (cr, 1);
          cairo_rectangle (cr, 0, y, width, h + 16);
          cairo_stroke (cr);
          cairo_move_to (cr, 8, y + 8);
          pango_cairo_show_layout (cr, layout);
        }
      return h + 16 + GAP;
    case BLOCK_TITLE:
    case BLOCK_SUBTITLE:
      set_layout (layout, font_of (b->kind), b->text, width, PANGO_ALIGN_CENTER);
      h = text_height (layout);
      if (cr)
        {
          cairo_move_to (cr, 0, y);
          pango_cairo_show_layout (cr, layout);
        }
      return h + (b->kind == BLOCK_TITLE ? 2 * GAP : GAP);
    default:
      set_layout (layout, font_of (b->kind), b->text, width, PANGO_ALIGN_LEFT);
      h = text_height (layout);
      if (cr)
        {
          cairo_move_to (cr, 0, y + (b->kind == BLOCK_HEADING ? GAP : 0));
          pango_cairo_show_layout (cr, layout);
        }
      return h + (b->kind == BLOCK_HEADING ? 2 * GAP : GAP);
    }
}

#define FOOTER_SPACE 24.0

static void
begin_print_cb (GtkPrintOperation *op, GtkPrintContext *context, Doc *d)
{
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  double       width = gtk_print_context_get_width (context);
  double       height = gtk_print_context_get_height (context) - FOOTER_SPACE;
  double       y = 0;
  int          page = 0;

  for (guint i = 0; i < d->blocks->len; i++)
    {
      Block *b = g_ptr_array_index (d->blocks, i);

      b->height = block_draw (NULL, layout, b, 0, width);
      /* A heading does not end a page on its own. */
      if (y > 0
          && (y + b->height > height
              || (b->kind == BLOCK_HEADING && i + 1 < d->blocks->len
                  && y + b->height + ((Block *)g_ptr_array_index (d->blocks, i + 1))->height
                         > height)))
        {
          page++;
          y = 0;
        }
      b->page = page;
      y += b->height;
    }
  gtk_print_operation_set_n_pages (op, page + 1);
  g_object_unref (layout);
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page_nr, Doc *d)
{
  cairo_t     *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);
  double       width = gtk_print_context_get_width (context);
  double       height = gtk_print_context_get_height (context);
  double       y = 0;
  int          n_pages = 1;

  g_object_get (op, "n-pages", &n_pages, NULL);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (guint i = 0; i < d->blocks->len; i++)
    {
      Block *b = g_ptr_array_index (d->blocks, i);

      if (b->page != page_nr)
        continue;
      y += block_draw (cr, layout, b, y, width);
    }
  {
    /* TRANSLATORS: a page footer: what it is, then 1 / 3 */
    g_autofree char *foot = g_strdup_printf (_ ("%s ・ %d / %d"), d->footer ? d->footer : d->job,
                                             page_nr + 1, n_pages);
    set_layout (layout, "Sans 8", foot, width, PANGO_ALIGN_RIGHT);
    cairo_move_to (cr, 0, height - text_height (layout));
    pango_cairo_show_layout (cr, layout);
  }
  g_object_unref (layout);
}

/* Prints @d, or writes it as a PDF: rendered into a private folder, then
 * written whole, 0600, where asked (never onto the database's files). */
static gboolean
doc_run (Doc *d, GtkWindow *parent, TsuStore *store, const char *pdf_path, GError **error)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  g_autofree char        *dir = NULL;
  g_autofree char        *tmp = NULL;
  GtkPrintOperationResult res;
  gboolean                ok;

  if (pdf_path && !tsu_store_check_output_path (store, pdf_path, error))
    return FALSE;
  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (op, d->job);
  g_signal_connect (op, "begin-print", G_CALLBACK (begin_print_cb), d);
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), d);
  tsu_print_preview_guard (op);
  if (pdf_path)
    {
      dir = g_dir_make_tmp ("tsunagu-pdf-XXXXXX", error);
      if (dir == NULL)
        return FALSE;
      tmp = g_build_filename (dir, "out.pdf", NULL);
      gtk_print_operation_set_export_filename (op, tmp);
    }
  /* Synchronous: the dialog runs its own loop; the document lives on this stack. */
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  ok = res != GTK_PRINT_OPERATION_RESULT_ERROR;
  if (pdf_path)
    {
      g_autofree char *data = NULL;
      gsize            len = 0;

      if (ok && g_file_get_contents (tmp, &data, &len, error))
        {
          g_autoptr (GBytes) bytes = g_bytes_new_take (g_steal_pointer (&data), len);
          ok = tsu_store_write_output (store, pdf_path, bytes, error);
        }
      else
        ok = FALSE;
      g_unlink (tmp);
      g_rmdir (dir);
    }
  return ok;
}

static char *
today_text (TsuDateStyle style)
{
  GDate today;

  tsu_date_today (&today);
  return tsu_date_format_plain (&today, style);
}

/**
 * tsu_matching_print_referral:
 *
 * Returns: %TRUE unless printing or writing failed
 */
gboolean
tsu_matching_print_referral (GtkWindow         *parent,
                             TsuStore          *store,
                             const TsuReferral *r,
                             const char        *centre,
                             const char        *pdf_path,
                             GError           **error)
{
  g_autoptr (Doc) d = doc_new (_ ("Referral Slip"));
  g_autofree char *issued = today_text (TSU_DATE_STYLE_WAREKI);
  g_autofree char *sub = g_strdup_printf ("%s ・ %s", centre ? centre : "", issued);

  d->footer = g_strdup_printf ("%s %s", _ ("Referral Slip"), r->volunteer_name);
  doc_add (d, BLOCK_TITLE, NULL, _ ("Referral Slip"));
  doc_add (d, BLOCK_SUBTITLE, NULL, sub);
  doc_add (d, BLOCK_HEADING, NULL, _ ("Request"));
  doc_add (d, BLOCK_PAIR, _ ("Request number"), r->request_number);
  doc_add (d, BLOCK_PAIR, _ ("What"), r->request_title);
  doc_add (d, BLOCK_PAIR, _ ("Requested by"), r->group_name);
  doc_add (d, BLOCK_PAIR, _ ("When"), r->when);
  doc_add (d, BLOCK_PAIR, _ ("Where"), r->where);
  doc_add (d, BLOCK_HEADING, NULL, _ ("Volunteer"));
  doc_add (d, BLOCK_PAIR, _ ("Registration number"), r->volunteer_number);
  doc_add (d, BLOCK_PAIR, _ ("Name"), r->volunteer_name);
  doc_add (d, BLOCK_PAIR, _ ("Reading"), r->volunteer_kana);
  if (r->skills && *r->skills)
    doc_add (d, BLOCK_PAIR, _ ("Skills and qualifications"), r->skills);
  doc_add (d, BLOCK_PAIR, _ ("State"), r->state);
  doc_add (d, BLOCK_HEADING, NULL, _ ("Contact"));
  if (r->consent)
    {
      g_autofree char *address = r->postal_code ? g_strdup_printf ("〒%s %s", r->postal_code,
                                                                   r->address ? r->address : "")
                                                : g_strdup (r->address);
      g_autofree char *consent
          = r->consent_purpose ? g_strdup_printf ("%s（%s）", r->consent_on, r->consent_purpose)
                               : g_strdup (r->consent_on);

      if (r->phone)
        doc_add (d, BLOCK_PAIR, _ ("Phone"), r->phone);
      if (r->email)
        doc_add (d, BLOCK_PAIR, _ ("E-mail"), r->email);
      if (address && *address)
        doc_add (d, BLOCK_PAIR, _ ("Address"), address);
      doc_add (d, BLOCK_PAIR, _ ("Consent given on"), consent);
      doc_add (d, BLOCK_SMALL, NULL,
               _ ("These contact details are given with the person's consent. Use them only to "
                  "arrange this activity, and do not pass them on."));
    }
  else
    doc_add (d, BLOCK_NOTE, NULL,
             _ ("The person has not consented to their contact details being given to a group, "
                "so they are not on this slip. Please contact them through the centre."));
  return doc_run (d, parent, store, pdf_path, error);
}

/**
 * tsu_matching_print_disclosure:
 *
 * Returns: %TRUE unless printing or writing failed
 */
gboolean
tsu_matching_print_disclosure (GtkWindow   *parent,
                               TsuStore    *store,
                               const char  *name,
                               GPtrArray   *items,
                               const char  *centre,
                               TsuDateStyle style,
                               const char  *pdf_path,
                               GError     **error)
{
  g_autoptr (Doc) d = doc_new (_ ("Personal Data Held"));
  g_autofree char *issued = today_text (style);
  /* TRANSLATORS: whom a disclosure is for: 古賀 花子 様 */
  g_autofree char *whom = g_strdup_printf (_ ("For %s"), name ? name : "");
  g_autofree char *sub = g_strdup_printf ("%s ・ %s", centre ? centre : "", issued);
  const char      *section = NULL;

  d->footer = g_strdup_printf ("%s %s", _ ("Personal Data Held"), name ? name : "");
  doc_add (d, BLOCK_TITLE, NULL, _ ("Personal Data Held"));
  doc_add (d, BLOCK_SUBTITLE, NULL, whom);
  doc_add (d, BLOCK_SUBTITLE, NULL, sub);
  doc_add (d, BLOCK_SMALL, NULL,
           _ ("Everything this desk holds about the person named above, in answer to their "
              "request for disclosure: the registration, the activities they were asked for, "
              "and every change made to these records."));
  for (guint i = 0; i < items->len; i++)
    {
      TsuDisclosureItem *it = g_ptr_array_index (items, i);

      if (g_strcmp0 (section, it->section) != 0)
        {
          section = it->section;
          doc_add (d, BLOCK_HEADING, NULL, section);
        }
      /* The registration's fields side by side with their labels; the
       * activities and the history, whose labels are long, one under the
       * other. */
      doc_add (d,
               g_strcmp0 (section, ((TsuDisclosureItem *)g_ptr_array_index (items, 0))->section)
                       == 0
                   ? BLOCK_PAIR
                   : BLOCK_ENTRY,
               it->label, it->value);
    }
  return doc_run (d, parent, store, pdf_path, error);
}
