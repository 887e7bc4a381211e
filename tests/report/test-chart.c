/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every chart of a report of the demo centre draws, and draws in greys only:
 * periods and slices are told apart by fill, hatching, dashes and words,
 * never by colour, so a black-and-white printer keeps every distinction. */
#include "config.h"

#include <glib/gstdio.h>

#include "tsu-chart.h"
#include "tsu-demo.h"

static void
test_grey (void)
{
  g_autofree char *dir = g_dir_make_tmp ("tsu-chart-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "demo.sqlite3", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = tsu_store_open (path, &error);
  g_autoptr (TsuReport) report = NULL;
  guint charts = 0;

  g_assert_no_error (error);
  g_assert_true (tsu_demo_populate (store, 3, &error));
  report = tsu_report_compute_fiscal_year (store, 2026, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < report->sections->len; i++)
    {
      TsuReportSection *s = g_ptr_array_index (report->sections, i);

      for (guint j = 0; j < s->tables->len; j++)
        {
          TsuReportTable  *t = g_ptr_array_index (s->tables, j);
          int              w = 480, h = (int)tsu_chart_natural_height (t, w);
          cairo_surface_t *surface;
          cairo_t         *cr;
          guint            dark = 0, light = 0, grey = 0;

          if (t->chart == TSU_CHART_NONE)
            {
              g_assert_cmpfloat (h, ==, 0);
              continue;
            }
          g_assert_cmpint (h, >, 30);
          surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, w, h);
          cr = cairo_create (surface);
          cairo_set_source_rgb (cr, 1, 1, 1);
          cairo_paint (cr);
          tsu_chart_draw (cr, report, t, TSU_DATE_STYLE_WAREKI, w, h);
          g_assert_cmpint (cairo_status (cr), ==, CAIRO_STATUS_SUCCESS);
          cairo_destroy (cr);
          cairo_surface_flush (surface);
          for (int y = 0; y < h; y++)
            {
              const guint32 *row
                  = (const guint32 *)(cairo_image_surface_get_data (surface)
                                      + y * cairo_image_surface_get_stride (surface));

              for (int x = 0; x < w; x++)
                {
                  int r = (row[x] >> 16) & 0xff, g = (row[x] >> 8) & 0xff, b = row[x] & 0xff;

                  if (ABS (r - g) > 2 || ABS (g - b) > 2)
                    g_error ("%s: a coloured pixel at %d,%d", t->id, x, y);
                  if (r < 80)
                    dark++;
                  else if (r > 240)
                    light++;
                  else
                    grey++;
                }
            }
          /* text and marks on paper */
          g_assert_cmpuint (dark, >, 50);
          g_assert_cmpuint (light, >, (guint)(w * h / 4));
          cairo_surface_destroy (surface);
          charts++;
        }
    }
  g_assert_cmpuint (charts, >=, 15);
  g_clear_object (&store);
  for (const char *const *p = (const char *const[]){ "", "-wal", "-shm", NULL }; *p; p++)
    {
      g_autofree char *f = g_strconcat (path, *p, NULL);
      g_remove (f);
    }
  g_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_setenv ("TSUNAGU_TODAY", "2026-12-01", TRUE);
  g_test_add_func ("/report/chart/grey", test_grey);
  return g_test_run ();
}
