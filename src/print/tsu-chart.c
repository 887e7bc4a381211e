/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <pango/pangocairo.h>

#include "tsu-chart.h"

/* Bars beyond this many are summed into one "others" bar (open-ended lists
 * such as resources). */
#define MAX_BARS 24
#define FONT_SIZE 8.0
#define BAR 8.0
#define GAP 6.0

static PangoLayout *
layout_new (cairo_t *cr, double size, gboolean bold)
{
  PangoLayout          *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *desc = pango_font_description_from_string (TSU_CHART_FONT);

  pango_font_description_set_size (desc, (int)(size * PANGO_SCALE));
  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  pango_layout_set_font_description (layout, desc);
  pango_context_set_language (pango_layout_get_context (layout), pango_language_from_string ("ja"));
  pango_layout_context_changed (layout);
  pango_font_description_free (desc);
  return layout;
}

/* Writes @text with its top-left at (x, y), or right-aligned to x when
 * @align is 1, centred when 0.5. Returns the width. */
static double
text_at (cairo_t *cr, PangoLayout *layout, const char *text, double x, double y, double align)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w / PANGO_SCALE, y);
  pango_cairo_show_layout (cr, layout);
  return (double)w / PANGO_SCALE;
}

static double
text_width (PangoLayout *layout, const char *text)
{
  int w, h;

  pango_layout_set_text (layout, text, -1);
  pango_layout_get_size (layout, &w, &h);
  return (double)w / PANGO_SCALE;
}

/* Patterns a black-and-white printer keeps apart: diagonal lines, cross
 * hatching, dots, horizontal lines, then greys. */
static cairo_pattern_t *
hatch (cairo_t *cr, guint kind)
{
  cairo_surface_t *tile
      = cairo_surface_create_similar (cairo_get_target (cr), CAIRO_CONTENT_COLOR_ALPHA, 6, 6);
  cairo_t         *t = cairo_create (tile);
  cairo_pattern_t *p;

  cairo_set_source_rgb (t, 1, 1, 1);
  cairo_paint (t);
  cairo_set_source_rgb (t, 0, 0, 0);
  cairo_set_line_width (t, 0.9);
  switch (kind % 5)
    {
    case 0: /* diagonal */
      cairo_move_to (t, -1, 7);
      cairo_line_to (t, 7, -1);
      cairo_move_to (t, -1, 1);
      cairo_line_to (t, 1, -1);
      cairo_move_to (t, 5, 7);
      cairo_line_to (t, 7, 5);
      cairo_stroke (t);
      break;
    case 1: /* cross */
      cairo_move_to (t, 0, 3);
      cairo_line_to (t, 6, 3);
      cairo_move_to (t, 3, 0);
      cairo_line_to (t, 3, 6);
      cairo_stroke (t);
      break;
    case 2: /* dots */
      cairo_arc (t, 3, 3, 1.1, 0, 2 * G_PI);
      cairo_fill (t);
      break;
    case 3: /* horizontal */
      cairo_move_to (t, 0, 3);
      cairo_line_to (t, 6, 3);
      cairo_stroke (t);
      break;
    default: /* the other diagonal */
      cairo_move_to (t, -1, -1);
      cairo_line_to (t, 7, 7);
      cairo_move_to (t, 5, -1);
      cairo_line_to (t, 7, 1);
      cairo_move_to (t, -1, 5);
      cairo_line_to (t, 1, 7);
      cairo_stroke (t);
      break;
    }
  cairo_destroy (t);
  p = cairo_pattern_create_for_surface (tile);
  cairo_pattern_set_extend (p, CAIRO_EXTEND_REPEAT);
  cairo_surface_destroy (tile);
  return p;
}

/* A pie slice's fill: solid greys and patterns in turn. */
static void
slice_source (cairo_t *cr, guint i)
{
  static const double greys[] = { 0.15, 0.55, 0.85 };

  if (i % 2 == 0)
    cairo_set_source_rgb (cr, greys[(i / 2) % 3], greys[(i / 2) % 3], greys[(i / 2) % 3]);
  else
    {
      cairo_pattern_t *p = hatch (cr, i / 2);
      cairo_set_source (cr, p);
      cairo_pattern_destroy (p);
    }
}

static gboolean
shown (const TsuReportRow *row, guint p)
{
  return row->state[p] == TSU_CELL_SHOWN;
}

/* A kept-back cell ranks as nothing: which bars are drawn must not tell
 * a 1 from a 2. */
static double
rank_value (const TsuReportRow *row)
{
  return row->state[0] == TSU_CELL_SHOWN ? row->value[0] : 0;
}

/* The rows a bar chart draws: all, or for long open lists (resources) the
 * largest MAX_BARS by this period, in the table's order; the table under
 * the chart has every row. A summed "others" bar would dwarf the rest. */
static GPtrArray *
bar_rows (const TsuReportTable *t, guint *left_out)
{
  GPtrArray *rows = g_ptr_array_new ();
  g_autoptr (GPtrArray) sorted = g_ptr_array_new ();
  double cut;

  *left_out = 0;
  if (t->rows->len <= MAX_BARS)
    {
      for (guint i = 0; i < t->rows->len; i++)
        g_ptr_array_add (rows, g_ptr_array_index (t->rows, i));
      return rows;
    }
  for (guint i = 0; i < t->rows->len; i++)
    g_ptr_array_add (sorted, g_ptr_array_index (t->rows, i));
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      {
        TsuReportRow *a = g_ptr_array_index (sorted, i), *b = g_ptr_array_index (sorted, j);

        if (rank_value (b) > rank_value (a))
          {
            sorted->pdata[i] = b;
            sorted->pdata[j] = a;
          }
      }
  cut = rank_value (g_ptr_array_index (sorted, MAX_BARS - 1));
  for (guint i = 0; i < t->rows->len && rows->len < MAX_BARS; i++)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i);

      if (rank_value (row) >= cut)
        g_ptr_array_add (rows, row);
    }
  *left_out = t->rows->len - rows->len;
  return rows;
}

double
tsu_chart_natural_height (const TsuReportTable *t, double width)
{
  switch (t->chart)
    {
    case TSU_CHART_BAR:
      {
        guint n = MIN (t->rows->len, MAX_BARS);
        return 30 + n * (2 * BAR + GAP) + (t->rows->len > MAX_BARS ? 22 : 8);
      }
    case TSU_CHART_LINE:
      return 190;
    case TSU_CHART_PIE:
      return 200;
    default:
      return 0;
    }
}

static double
nice_max (double v)
{
  static const double steps[] = { 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10 };
  double              decade;

  if (v <= 0)
    return 1;
  decade = pow (10, floor (log10 (v)));
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if (v <= steps[i] * decade)
      return steps[i] * decade;
  return 10 * decade;
}

static void
legend (cairo_t         *cr,
        PangoLayout     *layout,
        const TsuReport *r,
        TsuDateStyle     style,
        double           x,
        double           y,
        gboolean         lines)
{
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    {
      g_autofree char *label = tsu_report_period_label (r, p, style);

      if (lines)
        {
          cairo_save (cr);
          cairo_set_source_rgb (cr, p ? 0.3 : 0, p ? 0.3 : 0, p ? 0.3 : 0);
          cairo_set_line_width (cr, p ? 1.5 : 2);
          if (p)
            cairo_set_dash (cr, (double[]){ 4, 2 }, 2, 0);
          cairo_move_to (cr, x, y + 6);
          cairo_line_to (cr, x + 18, y + 6);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
      else
        {
          cairo_rectangle (cr, x, y + 2, 14, 8);
          if (p)
            {
              cairo_pattern_t *pat = hatch (cr, 0);
              cairo_set_source (cr, pat);
              cairo_pattern_destroy (pat);
            }
          else
            cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
          cairo_fill_preserve (cr);
          cairo_set_source_rgb (cr, 0, 0, 0);
          cairo_set_line_width (cr, 0.6);
          cairo_stroke (cr);
        }
      cairo_set_source_rgb (cr, 0, 0, 0);
      x += 22 + text_at (cr, layout, label, x + 22, y, 0) + 16;
    }
}

static void
draw_bars (cairo_t              *cr,
           const TsuReport      *r,
           const TsuReportTable *t,
           TsuDateStyle          style,
           double                w,
           double                h)
{
  g_autoptr (PangoLayout) layout = layout_new (cr, FONT_SIZE, FALSE);
  guint left_out = 0;
  g_autoptr (GPtrArray) rows = bar_rows (t, &left_out);
  double label_w = 0, max = 0, x0, scale, y = 26;
  double value_room;

  if (rows->len == 0)
    {
      cairo_set_source_rgb (cr, 0, 0, 0);
      text_at (cr, layout, _ ("No figures for this period."), 0, 8, 0);
      return;
    }
  legend (cr, layout, r, style, 0, 4, FALSE);
  for (guint i = 0; i < rows->len; i++)
    {
      TsuReportRow *row = g_ptr_array_index (rows, i);

      label_w = MAX (label_w, text_width (layout, row->label));
      for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
        if (shown (row, p))
          max = MAX (max, row->value[p]);
    }
  label_w = MIN (label_w, w * 0.38);
  x0 = label_w + 8;
  value_room = 60;
  max = nice_max (max);
  scale = (w - x0 - value_room) / max;

  /* grid at quarters */
  cairo_set_line_width (cr, 0.4);
  for (guint q = 0; q <= 4; q++)
    {
      double gx = x0 + scale * max * q / 4;

      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_move_to (cr, gx, y - 2);
      cairo_line_to (cr, gx, h - 4);
      cairo_stroke (cr);
    }
  for (guint i = 0; i < rows->len; i++)
    {
      TsuReportRow *row = g_ptr_array_index (rows, i);

      cairo_set_source_rgb (cr, 0, 0, 0);
      pango_layout_set_width (layout, (int)(label_w * PANGO_SCALE));
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      text_at (cr, layout, row->label, 0, y + BAR - FONT_SIZE * 0.7, 0);
      pango_layout_set_width (layout, -1);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
        {
          double           by = y + p * BAR;
          double           len = shown (row, p) ? row->value[p] * scale : 0;
          g_autofree char *v = tsu_report_cell_text (row, p, FALSE);

          if (len > 0)
            {
              cairo_rectangle (cr, x0, by, len, BAR - 1);
              if (p)
                {
                  cairo_pattern_t *pat = hatch (cr, 0);
                  cairo_set_source (cr, pat);
                  cairo_pattern_destroy (pat);
                }
              else
                cairo_set_source_rgb (cr, 0.2, 0.2, 0.2);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, 0, 0, 0);
              cairo_set_line_width (cr, 0.5);
              cairo_stroke (cr);
            }
          cairo_set_source_rgb (cr, 0, 0, 0);
          {
            g_autoptr (PangoLayout) small = layout_new (cr, 6.0, FALSE);
            int sw, sh;

            pango_layout_set_text (small, v, -1);
            pango_layout_get_size (small, &sw, &sh);
            cairo_move_to (cr, x0 + len + 3, by + (BAR - 1 - (double)sh / PANGO_SCALE) / 2);
            pango_cairo_show_layout (cr, small);
          }
        }
      y += 2 * BAR + GAP;
    }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x0, 24);
  cairo_line_to (cr, x0, y);
  cairo_stroke (cr);
  if (left_out > 0)
    {
      g_autofree char *note = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "The %u largest of this period; %u more in the table.",
                       "The %u largest of this period; %u more in the table.", left_out),
          rows->len, left_out);
      text_at (cr, layout, note, x0, y + 2, 0);
    }
}

static void
draw_lines (cairo_t              *cr,
            const TsuReport      *r,
            const TsuReportTable *t,
            TsuDateStyle          style,
            double                w,
            double                h)
{
  g_autoptr (PangoLayout) layout = layout_new (cr, FONT_SIZE, FALSE);
  double max = 0, x0 = 44, y0 = 26, y1 = h - 20, x1 = w - 70, step;
  guint  n = t->rows->len;

  legend (cr, layout, r, style, 0, 4, TRUE);
  for (guint i = 0; i < n; i++)
    for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
      {
        TsuReportRow *row = g_ptr_array_index (t->rows, i);
        if (shown (row, p))
          max = MAX (max, row->value[p]);
      }
  max = nice_max (max);
  step = n > 1 ? (x1 - x0) / (n - 1) : 0;

  cairo_set_line_width (cr, 0.4);
  for (guint q = 0; q <= 4; q++)
    {
      double           gy = y1 - (y1 - y0) * q / 4;
      g_autofree char *tick = t->unit == TSU_REPORT_PERCENT ? g_strdup_printf ("%g%%", max * q / 4)
                                                            : g_strdup_printf ("%g", max * q / 4);

      cairo_set_source_rgb (cr, 0.75, 0.75, 0.75);
      cairo_move_to (cr, x0, gy);
      cairo_line_to (cr, x1, gy);
      cairo_stroke (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      text_at (cr, layout, tick, x0 - 4, gy - FONT_SIZE * 0.75, 1);
    }
  for (guint i = 0; i < n; i++)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i);

      cairo_set_source_rgb (cr, 0, 0, 0);
      text_at (cr, layout, row->label, x0 + i * step, y1 + 3, 0.5);
    }
  double end_x[TSU_REPORT_N_PERIODS] = { 0, 0 }, end_y[TSU_REPORT_N_PERIODS] = { 0, 0 };

  for (guint p = TSU_REPORT_N_PERIODS; p-- > 0;)
    {
      gboolean pen = FALSE;
      double   lx = 0, ly = 0;

      cairo_save (cr);
      cairo_set_source_rgb (cr, p ? 0.3 : 0, p ? 0.3 : 0, p ? 0.3 : 0);
      cairo_set_line_width (cr, p ? 1.5 : 2);
      if (p)
        cairo_set_dash (cr, (double[]){ 4, 2 }, 2, 0);
      /* a kept-back or missing month breaks the line */
      for (guint i = 0; i < n; i++)
        {
          TsuReportRow *row = g_ptr_array_index (t->rows, i);
          double        x = x0 + i * step, y;

          if (!shown (row, p))
            {
              pen = FALSE;
              continue;
            }
          y = y1 - (y1 - y0) * row->value[p] / max;
          if (pen)
            cairo_line_to (cr, x, y);
          else
            cairo_move_to (cr, x, y);
          pen = TRUE;
          lx = x;
          ly = y;
        }
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      for (guint i = 0; i < n; i++)
        {
          TsuReportRow *row = g_ptr_array_index (t->rows, i);
          double        x = x0 + i * step, y;

          if (!shown (row, p))
            continue;
          y = y1 - (y1 - y0) * row->value[p] / max;
          if (p)
            {
              cairo_rectangle (cr, x - 2.5, y - 2.5, 5, 5);
              cairo_set_source_rgb (cr, 1, 1, 1);
              cairo_fill_preserve (cr);
              cairo_set_source_rgb (cr, 0.3, 0.3, 0.3);
              cairo_set_line_width (cr, 1);
              cairo_stroke (cr);
            }
          else
            {
              cairo_arc (cr, x, y, 2.8, 0, 2 * G_PI);
              cairo_fill (cr);
            }
        }
      cairo_restore (cr);
      end_x[p] = lx;
      end_y[p] = ly;
    }
  /* Direct labels at the lines' ends, kept apart when the ends meet. */
  if (end_x[0] > 0 && end_x[1] > 0 && fabs (end_y[0] - end_y[1]) < FONT_SIZE * 1.6)
    {
      double   mid = (end_y[0] + end_y[1]) / 2;
      gboolean first_above = end_y[0] <= end_y[1];

      end_y[0] = mid + (first_above ? -1 : 1) * FONT_SIZE * 0.8;
      end_y[1] = mid + (first_above ? 1 : -1) * FONT_SIZE * 0.8;
    }
  for (guint p = 0; p < TSU_REPORT_N_PERIODS; p++)
    if (end_x[p] > 0)
      {
        g_autofree char *label = tsu_report_period_label (r, p, style);

        cairo_set_source_rgb (cr, 0, 0, 0);
        text_at (cr, layout, label, end_x[p] + 6, end_y[p] - FONT_SIZE * 0.75, 0);
      }
  cairo_set_source_rgb (cr, 0, 0, 0);
  cairo_set_line_width (cr, 0.8);
  cairo_move_to (cr, x0, y0 - 4);
  cairo_line_to (cr, x0, y1);
  cairo_line_to (cr, x1 + 4, y1);
  cairo_stroke (cr);
}

static void
draw_pie (cairo_t              *cr,
          const TsuReport      *r,
          const TsuReportTable *t,
          TsuDateStyle          style,
          double                w,
          double                h)
{
  g_autoptr (PangoLayout) layout = layout_new (cr, FONT_SIZE, FALSE);
  g_autofree char *period = tsu_report_period_label (r, 0, style);
  double           total = 0, angle = -G_PI / 2, cx, cy, radius;
  guint            k = 0;

  cairo_set_source_rgb (cr, 0, 0, 0);
  text_at (cr, layout, period, 0, 4, 0);
  for (guint i = 0; i < t->rows->len; i++)
    {
      TsuReportRow *row = g_ptr_array_index (t->rows, i);
      total += shown (row, 0) ? row->value[0] : 0;
    }
  radius = MIN (h - 40, w * 0.4) / 2;
  cx = w * 0.3 + 10;
  cy = 22 + radius + 6;
  if (total <= 0)
    {
      text_at (cr, layout, _ ("No figures for this period."), 0, 24, 0);
      return;
    }
  for (guint i = 0; i < t->rows->len; i++)
    {
      TsuReportRow    *row = g_ptr_array_index (t->rows, i);
      double           share, mid, lx, ly;
      g_autofree char *v = NULL, *label = NULL;

      if (!shown (row, 0) || row->value[0] <= 0)
        continue;
      share = row->value[0] / total;
      cairo_move_to (cr, cx, cy);
      cairo_arc (cr, cx, cy, radius, angle, angle + share * 2 * G_PI);
      cairo_close_path (cr);
      slice_source (cr, k++);
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 0, 0, 0);
      cairo_set_line_width (cr, 0.8);
      cairo_stroke (cr);

      /* direct label with a leader line */
      mid = angle + share * G_PI;
      lx = cx + cos (mid) * (radius + 14);
      ly = cy + sin (mid) * (radius + 14);
      cairo_move_to (cr, cx + cos (mid) * radius * 0.9, cy + sin (mid) * radius * 0.9);
      cairo_line_to (cr, lx, ly);
      cairo_set_line_width (cr, 0.5);
      cairo_stroke (cr);
      v = tsu_report_cell_text (row, 0, FALSE);
      label = g_strdup_printf ("%s %s (%.0f%%)", row->label, v, share * 100);
      text_at (cr, layout, label, lx + (cos (mid) >= 0 ? 3 : -3), ly - FONT_SIZE * 0.7,
               cos (mid) >= 0 ? 0 : 1);
      angle += share * 2 * G_PI;
    }
}

void
tsu_chart_draw (cairo_t              *cr,
                const TsuReport      *report,
                const TsuReportTable *table,
                TsuDateStyle          style,
                double                width,
                double                height)
{
  cairo_save (cr);
  switch (table->chart)
    {
    case TSU_CHART_BAR:
      draw_bars (cr, report, table, style, width, height);
      break;
    case TSU_CHART_LINE:
      draw_lines (cr, report, table, style, width, height);
      break;
    case TSU_CHART_PIE:
      draw_pie (cr, report, table, style, width, height);
      break;
    default:
      break;
    }
  cairo_restore (cr);
}
