/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What every benchmark shares: samples → median, p95, p99 and spread, and
 * one way to report a figure against the baseline measured in the same
 * run. A human line goes to stdout; when bench/run sets TSU_BENCH_RESULTS
 * to a file, a JSON line is appended there too, from which bench/run
 * writes docs/performance.md. Header-only: each bench is one program. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

typedef struct
{
  guint  n;
  double median;
  double p95;
  double p99;
  double min;
  double max;
} TsuBenchStats;

static inline int
tsu_bench_cmp_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return x < y ? -1 : x > y;
}

/* Nearest-rank percentile over sorted samples. */
static inline double
tsu_bench_percentile (const double *sorted, guint n, double p)
{
  guint rank;

  if (n == 0)
    return NAN;
  rank = (guint)ceil (p / 100.0 * n);
  return sorted[CLAMP (rank, 1, n) - 1];
}

/* @samples: doubles (milliseconds or any unit); sorted in place. */
static inline TsuBenchStats
tsu_bench_stats (GArray *samples)
{
  TsuBenchStats s = { samples->len, NAN, NAN, NAN, NAN, NAN };
  double       *v = (double *)samples->data;

  if (samples->len == 0)
    return s;
  g_array_sort (samples, tsu_bench_cmp_double);
  s.median = tsu_bench_percentile (v, s.n, 50);
  s.p95 = tsu_bench_percentile (v, s.n, 95);
  s.p99 = tsu_bench_percentile (v, s.n, 99);
  s.min = v[0];
  s.max = v[s.n - 1];
  return s;
}

static inline double
tsu_bench_now_ms (void)
{
  return g_get_monotonic_time () / 1000.0;
}

/* One figure of a benchmark.
 * @bench: the program ("groups", "matching"…); @figure: what was measured
 *   ("search typed → first rows, p95"); @size: the data size it ran at
 *   (rows), or 0; @value and @unit ("ms", "MB", "rec/s"…);
 * @baseline_name / @baseline: the same-run baseline (NULL / NAN if none);
 * @goal: the target as text ("p95 ≤ 16 ms", "≤ 3×"), or NULL;
 * @met: whether the goal holds (-1: no goal or not judged);
 * @spread: free text (min–max, repetitions), or NULL. */
static inline void
tsu_bench_report (const char *bench,
                  const char *figure,
                  guint64     size,
                  double      value,
                  const char *unit,
                  const char *baseline_name,
                  double      baseline,
                  const char *goal,
                  int         met,
                  const char *spread)
{
  const char *path = g_getenv ("TSU_BENCH_RESULTS");
  double      ratio = baseline_name && isfinite (baseline) && baseline > 0 ? value / baseline : NAN;

  char at[32] = "";

  if (size)
    g_snprintf (at, sizeof at, " @%" G_GUINT64_FORMAT, size);
  g_print ("[%s] %s%s: %.3f %s", bench, figure, at, value, unit);
  if (baseline_name && isfinite (baseline))
    g_print (" | %s %.3f %s | ratio %.2f×", baseline_name, baseline, unit, ratio);
  if (goal)
    g_print (" | goal %s: %s", goal, met < 0 ? "not judged" : met ? "met" : "NOT met");
  if (spread)
    g_print (" | %s", spread);
  g_print ("\n");

  if (path && *path)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      g_autoptr (JsonNode) root = NULL;
      g_autofree char *line = NULL;
      FILE            *f;

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "bench");
      json_builder_add_string_value (b, bench);
      json_builder_set_member_name (b, "figure");
      json_builder_add_string_value (b, figure);
      json_builder_set_member_name (b, "size");
      json_builder_add_int_value (b, (gint64)size);
      json_builder_set_member_name (b, "value");
      if (isfinite (value))
        json_builder_add_double_value (b, value);
      else
        json_builder_add_null_value (b); /* nothing measured */
      json_builder_set_member_name (b, "unit");
      json_builder_add_string_value (b, unit);
      if (baseline_name && isfinite (baseline))
        {
          json_builder_set_member_name (b, "baseline");
          json_builder_add_string_value (b, baseline_name);
          json_builder_set_member_name (b, "baseline_value");
          json_builder_add_double_value (b, baseline);
          json_builder_set_member_name (b, "ratio");
          json_builder_add_double_value (b, isfinite (ratio) ? ratio : 0);
        }
      if (goal)
        {
          json_builder_set_member_name (b, "goal");
          json_builder_add_string_value (b, goal);
          json_builder_set_member_name (b, "met");
          json_builder_add_int_value (b, met);
        }
      if (spread)
        {
          json_builder_set_member_name (b, "spread");
          json_builder_add_string_value (b, spread);
        }
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      json_generator_set_root (gen, root);
      line = json_generator_to_data (gen, NULL);
      if ((f = fopen (path, "a")) != NULL)
        {
          fprintf (f, "%s\n", line);
          fclose (f);
        }
    }
}
