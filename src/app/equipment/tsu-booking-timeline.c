/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "tsu-booking-timeline.h"
#include "tsu-equipment.h"
#include "tsu-equipment-ui.h"
#include "tsu-holidays.h"
#include "tsu-record.h"

#define GUTTER 48
#define WEEK_HEADER 40
#define SLOT_MINUTES 30
#define SLOT_H 15
#define MONTH_HEADER 24
#define MONTH_CELL_H 74

struct _TsuBookingTimeline
{
  GtkWidget parent_instance;

  TsuStore       *store;
  JsonObject     *resource;
  TsuTimelineMode mode;
  GDate           day;   /* a day of the shown period */
  GDate           first; /* the first day drawn */
  int             n_days;
  int             open_min;
  int             close_min;
  TsuDateStyle    style;
  GPtrArray      *bookings;
  GCancellable   *cancellable;
  guint           reload_idle;
  guint           closed_weekdays;
  GArray         *closures;
  char           *now;

  /* The selection, in slots (week: day × half hours; month: days). */
  int      anchor;
  int      cursor;
  gboolean has_selection;
  gboolean dragging;
  char    *pressed_booking;
};

G_DEFINE_FINAL_TYPE (TsuBookingTimeline, tsu_booking_timeline, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_RANGE_SELECTED,
  SIGNAL_BOOKING_ACTIVATED,
  SIGNAL_PERIOD_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- time ---- */

/* Minutes since an epoch of "YYYY-MM-DDTHH:MM", or -1. */
static gint64
iso_minutes (const char *iso)
{
  int   y, mo, d, h, mi;
  GDate date;

  if (iso == NULL || strlen (iso) != 16
      || sscanf (iso, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5
      || !g_date_valid_dmy (d, mo, y))
    return -1;
  g_date_clear (&date, 1);
  g_date_set_dmy (&date, d, mo, y);
  return (gint64)g_date_get_julian (&date) * 1440 + h * 60 + mi;
}

static char *
minutes_iso (gint64 minutes)
{
  GDate d;

  g_date_clear (&d, 1);
  g_date_set_julian (&d, (guint32)(minutes / 1440));
  return g_strdup_printf ("%04d-%02d-%02dT%02d:%02d", g_date_get_year (&d), g_date_get_month (&d),
                          g_date_get_day (&d), (int)(minutes % 1440 / 60), (int)(minutes % 60));
}

static gint64
day_minutes (TsuBookingTimeline *self, int day)
{
  return ((gint64)g_date_get_julian (&self->first) + day) * 1440;
}

static int
slots_per_day (TsuBookingTimeline *self)
{
  return self->mode == TSU_TIMELINE_WEEK
             ? MAX (1, (self->close_min - self->open_min) / SLOT_MINUTES)
             : 1;
}

static int
n_slots (TsuBookingTimeline *self)
{
  return self->n_days * slots_per_day (self);
}

/* The time a slot starts and ends. */
static void
slot_span (TsuBookingTimeline *self, int slot, gint64 *start, gint64 *end)
{
  int spd = slots_per_day (self);
  int day = slot / spd;

  if (self->mode == TSU_TIMELINE_WEEK)
    {
      *start = day_minutes (self, day) + self->open_min + (slot % spd) * SLOT_MINUTES;
      *end = *start + SLOT_MINUTES;
    }
  else
    {
      *start = day_minutes (self, day) + self->open_min;
      *end = day_minutes (self, day) + self->close_min;
    }
}

static void
booking_span (JsonObject *b, gint64 *start, gint64 *end)
{
  const char *returned = tsu_record_get_string (b, "returned_at");
  const char *due = tsu_record_get_string (b, "due_at");

  *start = iso_minutes (tsu_record_get_string (b, "start_at"));
  *end = iso_minutes (g_strcmp0 (tsu_record_get_string (b, "state"), "returned") == 0 && returned
                              && g_strcmp0 (returned, due) < 0
                          ? returned
                          : due);
}

static gboolean
is_closed (TsuBookingTimeline *self, const GDate *d)
{
  if (self->closed_weekdays & (1u << g_date_get_weekday (d)))
    return TRUE;
  if (tsu_is_holiday (d))
    return TRUE;
  for (guint i = 0; self->closures && i < self->closures->len; i++)
    if (g_date_compare (&g_array_index (self->closures, GDate, i), d) == 0)
      return TRUE;
  return FALSE;
}

/* How many of the resource the bookings hold during [start, end): the most
 * at any one time. */
static gint64
taken (TsuBookingTimeline *self, gint64 start, gint64 end, JsonObject **one)
{
  gint64 most = 0;

  *one = NULL;
  for (guint i = 0; self->bookings && i <= self->bookings->len; i++)
    {
      gint64 at = start, sum = 0;

      if (i < self->bookings->len)
        {
          gint64 s, e;
          booking_span (g_ptr_array_index (self->bookings, i), &s, &e);
          if (s < start || s >= end)
            continue;
          at = s;
        }
      for (guint k = 0; k < self->bookings->len; k++)
        {
          JsonObject *b = g_ptr_array_index (self->bookings, k);
          gint64      s, e, q = 1;

          booking_span (b, &s, &e);
          if (s <= at && e > at)
            {
              tsu_record_get_int (b, "quantity", &q);
              sum += q;
              if (*one == NULL)
                *one = b;
            }
        }
      most = MAX (most, sum);
    }
  return most;
}

static gint64
stock (TsuBookingTimeline *self)
{
  gint64 n = 1;

  if (self->resource)
    tsu_record_get_int (self->resource, "stock", &n);
  return MAX (1, n);
}

/* ---- the period ---- */

static void
update_first (TsuBookingTimeline *self)
{
  GDate d = self->day;

  if (self->mode == TSU_TIMELINE_MONTH)
    g_date_set_day (&d, 1);
  /* Weeks start on Monday, as the centre's own calendars. */
  g_date_subtract_days (&d, g_date_get_weekday (&d) - G_DATE_MONDAY);
  self->first = d;
  self->n_days = self->mode == TSU_TIMELINE_WEEK ? 7 : 42;
}

char *
tsu_booking_timeline_get_title (TsuBookingTimeline *self)
{
  GDate last = self->first;

  if (self->mode == TSU_TIMELINE_MONTH)
    return tsu_month_format (g_date_get_year (&self->day), g_date_get_month (&self->day),
                             self->style);
  g_date_add_days (&last, 6);
  {
    g_autofree char *a = tsu_date_format_plain (&self->first, self->style);

    if (g_date_get_month (&last) == g_date_get_month (&self->first))
      return g_strdup_printf ("%s〜%d日", a, g_date_get_day (&last));
    if (g_date_get_year (&last) == g_date_get_year (&self->first))
      return g_strdup_printf ("%s〜%d月%d日", a, g_date_get_month (&last), g_date_get_day (&last));
    {
      g_autofree char *b = tsu_date_format_plain (&last, self->style);
      return g_strdup_printf ("%s〜%s", a, b);
    }
  }
}

static void update_description (TsuBookingTimeline *self);

typedef struct
{
  char *resource_id;
  char *from;
  char *to;
} Load;

static void
load_free (Load *l)
{
  g_free (l->resource_id);
  g_free (l->from);
  g_free (l->to);
  g_free (l);
}

static void
load_thread (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  Load *l = data;
  g_autoptr (GError) error = NULL;
  GPtrArray *rows
      = tsu_booking_list_range (TSU_STORE (source), l->resource_id, l->from, l->to, &error);

  if (rows)
    g_task_return_pointer (task, rows, (GDestroyNotify)g_ptr_array_unref);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  GPtrArray          *rows = g_task_propagate_pointer (G_TASK (result), &error);
  TsuBookingTimeline *self;

  if (rows == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the bookings: %s", error->message);
      return;
    }
  /* Not cancelled: the widget is alive (dispose cancels). */
  self = user_data;
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  self->bookings = rows;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
tsu_booking_timeline_reload (TsuBookingTimeline *self)
{
  g_autoptr (GTask) task = NULL;
  Load *l;

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_free (self->now);
  self->now = tsu_equipment_now ();
  if (self->store == NULL || self->resource == NULL)
    {
      g_clear_pointer (&self->bookings, g_ptr_array_unref);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return;
    }
  self->cancellable = g_cancellable_new ();
  l = g_new0 (Load, 1);
  l->resource_id = g_strdup (tsu_record_get_string (self->resource, "id"));
  l->from = minutes_iso (day_minutes (self, 0));
  l->to = minutes_iso (day_minutes (self, self->n_days));
  task = g_task_new (self->store, self->cancellable, load_done_cb, self);
  g_task_set_task_data (task, l, (GDestroyNotify)load_free);
  g_task_set_source_tag (task, tsu_booking_timeline_reload);
  /* A stale answer is dropped: the cancellable of the next load is another. */
  g_task_set_return_on_cancel (task, TRUE);
  g_task_run_in_thread (task, load_thread);
}

static void
read_closed_days (TsuBookingTimeline *self)
{
  g_clear_pointer (&self->closures, g_array_unref);
  self->closed_weekdays = 0;
  if (self->store)
    tsu_centre_closed_days (self->store, &self->closed_weekdays, &self->closures);
}

static void
period_changed (TsuBookingTimeline *self)
{
  update_first (self);
  self->has_selection = FALSE;
  self->cursor = self->anchor = CLAMP (self->cursor, 0, n_slots (self) - 1);
  tsu_booking_timeline_reload (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_signal_emit (self, signals[SIGNAL_PERIOD_CHANGED], 0);
}

void
tsu_booking_timeline_set_day (TsuBookingTimeline *self, const GDate *day)
{
  g_return_if_fail (TSU_IS_BOOKING_TIMELINE (self));
  g_return_if_fail (g_date_valid (day));

  self->day = *day;
  period_changed (self);
}

void
tsu_booking_timeline_get_day (TsuBookingTimeline *self, GDate *day)
{
  *day = self->day;
}

void
tsu_booking_timeline_go (TsuBookingTimeline *self, int delta)
{
  g_return_if_fail (TSU_IS_BOOKING_TIMELINE (self));

  if (delta == 0)
    tsu_date_today (&self->day);
  else if (self->mode == TSU_TIMELINE_WEEK)
    {
      if (delta > 0)
        g_date_add_days (&self->day, 7 * delta);
      else
        g_date_subtract_days (&self->day, 7 * -delta);
    }
  else
    {
      g_date_set_day (&self->day, 1);
      if (delta > 0)
        g_date_add_months (&self->day, delta);
      else
        g_date_subtract_months (&self->day, -delta);
    }
  period_changed (self);
}

void
tsu_booking_timeline_set_mode (TsuBookingTimeline *self, TsuTimelineMode mode)
{
  g_return_if_fail (TSU_IS_BOOKING_TIMELINE (self));

  if (self->mode == mode)
    return;
  self->mode = mode;
  self->cursor = self->anchor = 0;
  period_changed (self);
}

TsuTimelineMode
tsu_booking_timeline_get_mode (TsuBookingTimeline *self)
{
  return self->mode;
}

void
tsu_booking_timeline_set_date_style (TsuBookingTimeline *self, TsuDateStyle style)
{
  self->style = style;
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static int
hhmm (const char *text, int fallback)
{
  int h, m;

  if (text && sscanf (text, "%d:%d", &h, &m) == 2 && h >= 0 && h <= 24 && m >= 0 && m < 60)
    return h * 60 + m;
  return fallback;
}

static void
update_hours (TsuBookingTimeline *self)
{
  g_autofree char *open = NULL, *close = NULL;
  gboolean         room
      = self->resource && g_strcmp0 (tsu_record_get_string (self->resource, "kind"), "room") == 0;

  if (self->store && self->resource)
    tsu_resource_hours (self->store, self->resource, &open, &close);
  /* Whole hours around the bookable ones. */
  self->open_min = hhmm (open, 9 * 60) / 60 * 60;
  self->close_min = (hhmm (close, room ? 21 * 60 : 18 * 60) + 59) / 60 * 60;
  if (self->close_min <= self->open_min)
    {
      self->open_min = 9 * 60;
      self->close_min = 21 * 60;
    }
}

void
tsu_booking_timeline_set_resource (TsuBookingTimeline *self, JsonObject *resource)
{
  g_return_if_fail (TSU_IS_BOOKING_TIMELINE (self));

  if (resource != self->resource)
    {
      g_clear_pointer (&self->resource, json_object_unref);
      self->resource = resource ? json_object_ref (resource) : NULL;
    }
  update_hours (self);
  self->has_selection = FALSE;
  self->cursor = self->anchor = 0;
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  period_changed (self);
}

static void
reload_later (TsuBookingTimeline *self)
{
  if (self->reload_idle == 0)
    self->reload_idle = g_idle_add_once ((GSourceOnceFunc)tsu_booking_timeline_reload, self);
}

static void
store_changed_cb (TsuBookingTimeline *self, const char *collection, GStrv ids)
{
  if (g_strcmp0 (collection, "centre_settings") == 0)
    {
      read_closed_days (self);
      update_hours (self);
      gtk_widget_queue_resize (GTK_WIDGET (self));
    }
  else if (g_strcmp0 (collection, "bookings") == 0 || g_strcmp0 (collection, "groups") == 0)
    reload_later (self);
}

void
tsu_booking_timeline_set_store (TsuBookingTimeline *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_BOOKING_TIMELINE (self));

  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  if (!g_set_object (&self->store, store))
    return;
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  read_closed_days (self);
  update_hours (self);
  tsu_booking_timeline_reload (self);
}

guint
tsu_booking_timeline_get_n_bookings (TsuBookingTimeline *self)
{
  return self->bookings ? self->bookings->len : 0;
}

/* ---- selection ---- */

gboolean
tsu_booking_timeline_get_selection (TsuBookingTimeline *self, char **start, char **end)
{
  gint64 s, e, s2, e2;

  if (!self->has_selection)
    return FALSE;
  slot_span (self, MIN (self->anchor, self->cursor), &s, &e);
  slot_span (self, MAX (self->anchor, self->cursor), &s2, &e2);
  *start = minutes_iso (s);
  *end = minutes_iso (e2);
  return TRUE;
}

void
tsu_booking_timeline_select (TsuBookingTimeline *self, const char *start, const char *end)
{
  gint64 s = iso_minutes (start), e = iso_minutes (end);
  int    first = -1, last = -1;

  for (int i = 0; i < n_slots (self); i++)
    {
      gint64 a, b;

      slot_span (self, i, &a, &b);
      if (a < e && b > s)
        {
          if (first < 0)
            first = i;
          last = i;
        }
    }
  self->has_selection = first >= 0;
  if (first >= 0)
    {
      self->anchor = first;
      self->cursor = last;
    }
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static gboolean
selection_busy (TsuBookingTimeline *self)
{
  gint64      s, e, s2, e2;
  JsonObject *one;

  if (!self->has_selection)
    return FALSE;
  slot_span (self, MIN (self->anchor, self->cursor), &s, &e);
  slot_span (self, MAX (self->anchor, self->cursor), &s2, &e2);
  return taken (self, s, e2, &one) >= stock (self);
}

static void
emit_selection (TsuBookingTimeline *self)
{
  g_autofree char *start = NULL, *end = NULL;

  if (tsu_booking_timeline_get_selection (self, &start, &end))
    g_signal_emit (self, signals[SIGNAL_RANGE_SELECTED], 0, start, end);
}

static void
update_description (TsuBookingTimeline *self)
{
  g_autofree char *title = tsu_booking_timeline_get_title (self);
  g_autoptr (GString) s = g_string_new (NULL);
  guint            n = tsu_booking_timeline_get_n_bookings (self);
  g_autofree char *start = NULL, *end = NULL;

  g_string_append_printf (s, "%s: ", title);
  g_string_append_printf (s, g_dngettext (GETTEXT_PACKAGE, "%u booking", "%u bookings", n), n);
  if (tsu_booking_timeline_get_selection (self, &start, &end))
    {
      g_autofree char *span = tsu_equipment_span_text (start, end, self->style);

      g_string_append (s, ". ");
      /* TRANSLATORS: the range chosen on the timeline, and whether it is free */
      g_string_append_printf (
          s, selection_busy (self) ? _ ("Chosen: %s, booked") : _ ("Chosen: %s, free"), span);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  s->str, -1);
}

/* ---- geometry ---- */

static double
col_width (TsuBookingTimeline *self)
{
  int w = gtk_widget_get_width (GTK_WIDGET (self));

  return self->mode == TSU_TIMELINE_WEEK ? (w - GUTTER) / 7.0 : w / 7.0;
}

static int
slot_at (TsuBookingTimeline *self, double x, double y)
{
  double cw = col_width (self);
  int    day;

  if (self->mode == TSU_TIMELINE_WEEK)
    {
      int spd = slots_per_day (self);
      int s = (int)((y - WEEK_HEADER) / SLOT_H);

      day = CLAMP ((int)((x - GUTTER) / cw), 0, 6);
      return day * spd + CLAMP (s, 0, spd - 1);
    }
  day = CLAMP ((int)(x / cw), 0, 6) + 7 * CLAMP ((int)((y - MONTH_HEADER) / MONTH_CELL_H), 0, 5);
  return day;
}

static void
slot_rect (TsuBookingTimeline *self, int slot, graphene_rect_t *r)
{
  double cw = col_width (self);

  if (self->mode == TSU_TIMELINE_WEEK)
    {
      int spd = slots_per_day (self);

      graphene_rect_init (r, GUTTER + (slot / spd) * cw, WEEK_HEADER + (slot % spd) * SLOT_H, cw,
                          SLOT_H);
    }
  else
    graphene_rect_init (r, (slot % 7) * cw, MONTH_HEADER + (slot / 7) * MONTH_CELL_H, cw,
                        MONTH_CELL_H);
}

/* The booking drawn at (x, y), if any. */
static JsonObject *
booking_at (TsuBookingTimeline *self, double x, double y)
{
  int    slot = slot_at (self, x, y);
  gint64 s, e;

  if (self->bookings == NULL || (self->mode == TSU_TIMELINE_WEEK && y < WEEK_HEADER)
      || (self->mode == TSU_TIMELINE_WEEK && x < GUTTER))
    return NULL;
  slot_span (self, slot, &s, &e);
  if (self->mode == TSU_TIMELINE_MONTH)
    {
      /* The chips of a day, one a line under its number. */
      graphene_rect_t r;
      int             line;
      guint           shown = 0;
      gint64          day0 = day_minutes (self, slot);

      slot_rect (self, slot, &r);
      line = (int)((y - r.origin.y - 18) / 16);
      for (guint i = 0; i < self->bookings->len; i++)
        {
          JsonObject *b = g_ptr_array_index (self->bookings, i);
          gint64      bs, be;

          booking_span (b, &bs, &be);
          if (bs < day0 + 1440 && be > day0 && shown++ == (guint)line && line < 3)
            return b;
        }
      return NULL;
    }
  {
    gint64 at = s
                + (gint64)(((y - WEEK_HEADER) / SLOT_H - (int)((y - WEEK_HEADER) / SLOT_H))
                           * SLOT_MINUTES);

    for (guint i = 0; i < self->bookings->len; i++)
      {
        JsonObject *b = g_ptr_array_index (self->bookings, i);
        gint64      bs, be;

        booking_span (b, &bs, &be);
        if (bs <= at && be > at)
          return b;
      }
  }
  return NULL;
}

/* ---- drawing ---- */

static void
state_color (TsuBookingTimeline *self, JsonObject *b, GdkRGBA *c)
{
  const char *state = tsu_record_get_string (b, "state");

  if (g_strcmp0 (state, "lent") == 0
      && g_strcmp0 (tsu_record_get_string (b, "due_at"), self->now) < 0)
    gdk_rgba_parse (c, "#e01b24");
  else if (g_strcmp0 (state, "lent") == 0)
    gdk_rgba_parse (c, "#e5a50a");
  else if (g_strcmp0 (state, "returned") == 0)
    gdk_rgba_parse (c, "#9a9996");
  else if (tsu_record_get_string (b, "group_id") == NULL)
    gdk_rgba_parse (c, "#9141ac"); /* the centre's own event */
  else
    gdk_rgba_parse (c, "#3584e4");
}

static void
fg_color (TsuBookingTimeline *self, GdkRGBA *c)
{
  GtkStyleContext *ctx = gtk_widget_get_style_context (GTK_WIDGET (self));

  gtk_style_context_get_color (ctx, c);
}

static void text_lines (TsuBookingTimeline *self,
                        GtkSnapshot        *snapshot,
                        const char         *str,
                        double              x,
                        double              y,
                        double              width,
                        int                 lines,
                        gboolean            small,
                        gboolean            bold,
                        const GdkRGBA      *color);

static void
text (TsuBookingTimeline *self,
      GtkSnapshot        *snapshot,
      const char         *str,
      double              x,
      double              y,
      double              width,
      gboolean            small,
      gboolean            bold,
      const GdkRGBA      *color)
{
  text_lines (self, snapshot, str, x, y, width, 1, small, bold, color);
}

static void
text_lines (TsuBookingTimeline *self,
            GtkSnapshot        *snapshot,
            const char         *str,
            double              x,
            double              y,
            double              width,
            int                 lines,
            gboolean            small,
            gboolean            bold,
            const GdkRGBA      *color)
{
  PangoLayout   *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), str);
  PangoAttrList *attrs = pango_attr_list_new ();

  if (small)
    pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  if (bold)
    pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  pango_layout_set_width (layout, (int)(MAX (1, width) * PANGO_SCALE));
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  if (lines > 1)
    {
      pango_layout_set_wrap (layout, PANGO_WRAP_CHAR);
      pango_layout_set_height (layout, -lines);
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
  g_object_unref (layout);
}

static void
fill (GtkSnapshot *snapshot, const GdkRGBA *c, double alpha, double x, double y, double w, double h)
{
  GdkRGBA a = *c;

  a.alpha *= alpha;
  gtk_snapshot_append_color (snapshot, &a, &GRAPHENE_RECT_INIT (x, y, MAX (0, w), MAX (0, h)));
}

static const char *weekday_names[] = { "", "月", "火", "水", "木", "金", "土", "日" };

static void
day_header_color (const GDate *d, gboolean closed, const GdkRGBA *fg, GdkRGBA *c)
{
  *c = *fg;
  if (g_date_get_weekday (d) == G_DATE_SUNDAY || tsu_is_holiday (d))
    gdk_rgba_parse (c, "#c01c28");
  else if (g_date_get_weekday (d) == G_DATE_SATURDAY)
    gdk_rgba_parse (c, "#1c71d8");
  if (closed)
    c->alpha *= 0.7;
}

static void
snapshot_week (TsuBookingTimeline *self, GtkSnapshot *snapshot, int w, int h)
{
  double  cw = col_width (self);
  int     spd = slots_per_day (self);
  gint64  now = iso_minutes (self->now);
  GdkRGBA fg, grid, free, closed;

  fg_color (self, &fg);
  grid = fg;
  grid.alpha = 0.15;
  gdk_rgba_parse (&free, "#2ec27e");
  closed = fg;
  for (int d = 0; d < 7; d++)
    {
      GDate            day = self->first;
      double           x = GUTTER + d * cw;
      gboolean         shut;
      g_autofree char *head = NULL;
      GdkRGBA          hc;

      g_date_add_days (&day, d);
      shut = is_closed (self, &day);
      /* The month is in the title above; the 1st says it again. No
       * brackets: a day's column is narrow ("30 月", "12/1 火"). */
      head = g_date_get_day (&day) == 1
                 ? g_strdup_printf ("%d/%d %s", g_date_get_month (&day), g_date_get_day (&day),
                                    weekday_names[g_date_get_weekday (&day)])
                 : g_strdup_printf ("%d %s", g_date_get_day (&day),
                                    weekday_names[g_date_get_weekday (&day)]);
      day_header_color (&day, shut, &fg, &hc);
      text (self, snapshot, head, x + 4, 4, cw - 8, FALSE, TRUE, &hc);
      if (shut)
        {
          const char *why = tsu_holiday_name (&day);

          text (self, snapshot, why ? why : _ ("Closed"), x + 4, 22, cw - 8, TRUE, FALSE, &hc);
          fill (snapshot, &closed, 0.08, x, WEEK_HEADER, cw, spd * SLOT_H);
        }
      else
        /* Free time shows as a light tint: what is not booked can be. */
        fill (snapshot, &free, 0.06, x, WEEK_HEADER, cw, spd * SLOT_H);
      /* What is past is dimmed. */
      if (now > 0 && day_minutes (self, d) + self->open_min < now)
        {
          gint64 upto = MIN (now, day_minutes (self, d) + self->close_min);
          double ph
              = (double)(upto - day_minutes (self, d) - self->open_min) / SLOT_MINUTES * SLOT_H;

          fill (snapshot, &fg, 0.06, x, WEEK_HEADER, cw, ph);
        }
      fill (snapshot, &grid, 1, x, 0, 1, h);
    }
  /* Hour lines and labels. */
  for (int s = 0; s <= spd; s += 60 / SLOT_MINUTES)
    {
      g_autofree char *label = g_strdup_printf ("%d:00", (self->open_min + s * SLOT_MINUTES) / 60);
      double           y = WEEK_HEADER + s * SLOT_H;

      fill (snapshot, &grid, 1, GUTTER - 4, y, w - GUTTER + 4, 1);
      if (s < spd)
        text (self, snapshot, label, 2, y + 1, GUTTER - 8, TRUE, FALSE, &fg);
    }

  /* The bookings, cut to each day's hours. */
  for (guint i = 0; self->bookings && i < self->bookings->len; i++)
    {
      JsonObject *b = g_ptr_array_index (self->bookings, i);
      gint64      bs, be;
      GdkRGBA     c;
      gboolean    labelled = FALSE;

      booking_span (b, &bs, &be);
      state_color (self, b, &c);
      for (int d = 0; d < 7; d++)
        {
          gint64 ds = day_minutes (self, d) + self->open_min;
          gint64 de = day_minutes (self, d) + self->close_min;
          gint64 s = MAX (bs, ds), e = MIN (be, de);
          double x = GUTTER + d * cw + 2, y0, y1;

          if (s >= e)
            continue;
          y0 = WEEK_HEADER + (double)(s - ds) / SLOT_MINUTES * SLOT_H;
          y1 = WEEK_HEADER + (double)(e - ds) / SLOT_MINUTES * SLOT_H;
          fill (snapshot, &c, 0.28, x, y0 + 1, cw - 4, y1 - y0 - 2);
          fill (snapshot, &c, 1, x, y0 + 1, 3, y1 - y0 - 2);
          if (!labelled || s == ds)
            {
              const char *name = tsu_record_get_string (b, "holder_name");

              if (y1 - y0 >= 14)
                text_lines (self, snapshot, name ? name : "", x + 6, y0 + 1, cw - 10,
                            MAX (1, (int)((y1 - y0 - 2) / 15)), TRUE, FALSE, &fg);
              labelled = TRUE;
            }
        }
    }

  /* Now: a line across today. */
  if (now > 0)
    for (int d = 0; d < 7; d++)
      {
        gint64  ds = day_minutes (self, d);
        GdkRGBA red;

        if (now < ds + self->open_min || now >= ds + self->close_min)
          continue;
        gdk_rgba_parse (&red, "#e01b24");
        fill (snapshot, &red, 1, GUTTER + d * cw,
              WEEK_HEADER + (double)(now - ds - self->open_min) / SLOT_MINUTES * SLOT_H, cw, 2);
      }
}

static void
snapshot_month (TsuBookingTimeline *self, GtkSnapshot *snapshot, int w, int h)
{
  double  cw = col_width (self);
  GdkRGBA fg, grid, free, closed;
  GDate   today;
  int     month = g_date_get_month (&self->day);

  tsu_date_today (&today);
  fg_color (self, &fg);
  grid = fg;
  grid.alpha = 0.15;
  gdk_rgba_parse (&free, "#2ec27e");
  closed = fg;
  for (int c = 0; c < 7; c++)
    {
      GDate   d = self->first;
      GdkRGBA hc;

      g_date_add_days (&d, c);
      day_header_color (&d, FALSE, &fg, &hc);
      text (self, snapshot, weekday_names[g_date_get_weekday (&d)], c * cw, 4, cw, TRUE, TRUE, &hc);
    }
  for (int i = 0; i < 42; i++)
    {
      GDate            d = self->first;
      double           x = (i % 7) * cw, y = MONTH_HEADER + (i / 7) * MONTH_CELL_H;
      gboolean         shut, other;
      g_autofree char *num = NULL;
      GdkRGBA          hc;
      guint            shown = 0, more = 0;
      gint64           d0 = day_minutes (self, i);

      g_date_add_days (&d, i);
      shut = is_closed (self, &d);
      other = (int)g_date_get_month (&d) != month;
      fill (snapshot, shut ? &closed : &free, shut ? 0.08 : 0.05, x, y, cw, MONTH_CELL_H);
      fill (snapshot, &grid, 1, x, y, cw, 1);
      fill (snapshot, &grid, 1, x, y, 1, MONTH_CELL_H);
      day_header_color (&d, shut, &fg, &hc);
      if (other)
        hc.alpha *= 0.45;
      num = g_date_compare (&d, &today) == 0 ? g_strdup_printf ("%d ●", g_date_get_day (&d))
                                             : g_strdup_printf ("%d", g_date_get_day (&d));
      text (self, snapshot, num, x + 4, y + 2, cw - 8, TRUE, g_date_compare (&d, &today) == 0, &hc);
      for (guint k = 0; self->bookings && k < self->bookings->len; k++)
        {
          JsonObject      *b = g_ptr_array_index (self->bookings, k);
          gint64           bs, be;
          GdkRGBA          c;
          g_autofree char *chip = NULL;

          booking_span (b, &bs, &be);
          if (bs >= d0 + 1440 || be <= d0)
            continue;
          if (shown >= 3)
            {
              more++;
              continue;
            }
          state_color (self, b, &c);
          fill (snapshot, &c, 0.28, x + 2, y + 18 + shown * 16, cw - 4, 15);
          fill (snapshot, &c, 1, x + 2, y + 18 + shown * 16, 3, 15);
          chip = bs >= d0 ? g_strdup_printf ("%s %s", tsu_record_get_string (b, "start_at") + 11,
                                             tsu_record_get_string (b, "holder_name") ?: "")
                          : g_strdup (tsu_record_get_string (b, "holder_name") ?: "");
          text (self, snapshot, chip, x + 7, y + 18 + shown * 16, cw - 10, TRUE, FALSE, &fg);
          shown++;
        }
      if (more > 0)
        {
          g_autofree char *m = g_strdup_printf (_ ("+%u more"), more);
          text (self, snapshot, m, x + 4, y + MONTH_CELL_H - 16, cw - 8, TRUE, FALSE, &fg);
        }
    }
  fill (snapshot, &grid, 1, 0, MONTH_HEADER + 6 * MONTH_CELL_H, w, 1);
}

static void
tsu_booking_timeline_snapshot (GtkWidget *widget, GtkSnapshot *snapshot)
{
  TsuBookingTimeline *self = TSU_BOOKING_TIMELINE (widget);
  int                 w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);

  if (self->resource == NULL)
    return;
  if (self->mode == TSU_TIMELINE_WEEK)
    snapshot_week (self, snapshot, w, h);
  else
    snapshot_month (self, snapshot, w, h);

  /* The chosen range, and the keyboard's place. */
  if (self->has_selection || gtk_widget_has_focus (widget))
    {
      GdkRGBA sel;
      int     a = self->has_selection ? MIN (self->anchor, self->cursor) : self->cursor;
      int     z = self->has_selection ? MAX (self->anchor, self->cursor) : self->cursor;

      gdk_rgba_parse (&sel, selection_busy (self) ? "#e01b24" : "#1c71d8");
      for (int i = a; i <= z; i++)
        {
          graphene_rect_t r;

          slot_rect (self, i, &r);
          if (self->has_selection)
            fill (snapshot, &sel, 0.30, r.origin.x + 1, r.origin.y, r.size.width - 2,
                  r.size.height);
        }
      if (gtk_widget_has_focus (widget))
        {
          graphene_rect_t r;
          GskRoundedRect  rr;
          GdkRGBA         colors[4];

          slot_rect (self, self->cursor, &r);
          for (int k = 0; k < 4; k++)
            colors[k] = sel;
          gsk_rounded_rect_init_from_rect (&rr, &r, 0);
          gtk_snapshot_append_border (snapshot, &rr, (float[]){ 2, 2, 2, 2 }, colors);
        }
    }
}

static void
tsu_booking_timeline_measure (GtkWidget     *widget,
                              GtkOrientation orientation,
                              int            for_size,
                              int           *minimum,
                              int           *natural,
                              int           *minimum_baseline,
                              int           *natural_baseline)
{
  TsuBookingTimeline *self = TSU_BOOKING_TIMELINE (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = self->mode == TSU_TIMELINE_WEEK ? GUTTER + 7 * 44 : 7 * 44;
      *natural = self->mode == TSU_TIMELINE_WEEK ? GUTTER + 7 * 96 : 7 * 96;
    }
  else
    *minimum = *natural = self->mode == TSU_TIMELINE_WEEK
                              ? WEEK_HEADER + slots_per_day (self) * SLOT_H + 1
                              : MONTH_HEADER + 6 * MONTH_CELL_H + 1;
}

/* ---- input ---- */

static void
drag_begin_cb (GtkGestureDrag *gesture, double x, double y, TsuBookingTimeline *self)
{
  JsonObject *b = booking_at (self, x, y);

  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_clear_pointer (&self->pressed_booking, g_free);
  if (b)
    self->pressed_booking = g_strdup (tsu_record_get_string (b, "id"));
  self->anchor = self->cursor = slot_at (self, x, y);
  self->dragging = TRUE;
  self->has_selection = b == NULL;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_update_cb (GtkGestureDrag *gesture, double dx, double dy, TsuBookingTimeline *self)
{
  double x, y;

  if (!gtk_gesture_drag_get_start_point (gesture, &x, &y))
    return;
  if (self->pressed_booking && ABS (dx) + ABS (dy) < 6)
    return;
  /* Dragging from a booking chooses time too (beside it). */
  g_clear_pointer (&self->pressed_booking, g_free);
  self->has_selection = TRUE;
  self->cursor = slot_at (self, x + dx, y + dy);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
drag_end_cb (GtkGestureDrag *gesture, double dx, double dy, TsuBookingTimeline *self)
{
  self->dragging = FALSE;
  if (self->pressed_booking)
    {
      g_autofree char *id = g_steal_pointer (&self->pressed_booking);
      g_signal_emit (self, signals[SIGNAL_BOOKING_ACTIVATED], 0, id);
      return;
    }
  update_description (self);
  if (self->has_selection)
    emit_selection (self);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                TsuBookingTimeline    *self)
{
  int      spd = slots_per_day (self);
  int      step = 0;
  gboolean extend = (state & GDK_SHIFT_MASK) != 0;

  switch (keyval)
    {
    case GDK_KEY_Left:
      step = self->mode == TSU_TIMELINE_WEEK ? -spd : -1;
      break;
    case GDK_KEY_Right:
      step = self->mode == TSU_TIMELINE_WEEK ? spd : 1;
      break;
    case GDK_KEY_Up:
      step = self->mode == TSU_TIMELINE_WEEK ? -1 : -7;
      break;
    case GDK_KEY_Down:
      step = self->mode == TSU_TIMELINE_WEEK ? 1 : 7;
      break;
    case GDK_KEY_Page_Up:
      tsu_booking_timeline_go (self, -1);
      return TRUE;
    case GDK_KEY_Page_Down:
      tsu_booking_timeline_go (self, 1);
      return TRUE;
    case GDK_KEY_Home:
      tsu_booking_timeline_go (self, 0);
      return TRUE;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_space:
      {
        gint64      s, e;
        JsonObject *b = NULL;

        slot_span (self, self->cursor, &s, &e);
        /* On a booking with nothing chosen: open it. */
        if (!self->has_selection && taken (self, s, e, &b) > 0 && b)
          {
            g_signal_emit (self, signals[SIGNAL_BOOKING_ACTIVATED], 0,
                           tsu_record_get_string (b, "id"));
            return TRUE;
          }
        if (!self->has_selection)
          {
            self->has_selection = TRUE;
            self->anchor = self->cursor;
          }
        emit_selection (self);
        return TRUE;
      }
    case GDK_KEY_Escape:
      if (!self->has_selection)
        return FALSE;
      self->has_selection = FALSE;
      update_description (self);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      return TRUE;
    default:
      return FALSE;
    }
  if (!extend && !self->has_selection)
    ;
  else if (extend && !self->has_selection)
    {
      self->has_selection = TRUE;
      self->anchor = self->cursor;
    }
  self->cursor = CLAMP (self->cursor + step, 0, n_slots (self) - 1);
  if (!extend)
    {
      self->anchor = self->cursor;
      self->has_selection = FALSE;
    }
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

static gboolean
query_tooltip_cb (GtkWidget          *widget,
                  int                 x,
                  int                 y,
                  gboolean            keyboard,
                  GtkTooltip         *tooltip,
                  TsuBookingTimeline *self)
{
  JsonObject      *b = keyboard ? NULL : booking_at (self, x, y);
  g_autofree char *span = NULL;
  g_autofree char *tip = NULL;

  if (b == NULL)
    return FALSE;
  span = tsu_equipment_span_text (tsu_record_get_string (b, "start_at"),
                                  tsu_record_get_string (b, "due_at"), self->style);
  tip = g_strdup_printf ("%s\n%s\n%s ・ %s", tsu_record_get_string (b, "holder_name") ?: "", span,
                         tsu_equipment_state_label (b, self->now),
                         tsu_record_get_string (b, "number") ?: "");
  gtk_tooltip_set_text (tooltip, tip);
  return TRUE;
}

/* ---- object ---- */

static void
tsu_booking_timeline_dispose (GObject *object)
{
  TsuBookingTimeline *self = TSU_BOOKING_TIMELINE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_booking_timeline_parent_class)->dispose (object);
}

static void
tsu_booking_timeline_finalize (GObject *object)
{
  TsuBookingTimeline *self = TSU_BOOKING_TIMELINE (object);

  g_clear_pointer (&self->resource, json_object_unref);
  g_clear_pointer (&self->bookings, g_ptr_array_unref);
  g_clear_pointer (&self->closures, g_array_unref);
  g_free (self->pressed_booking);
  g_free (self->now);
  G_OBJECT_CLASS (tsu_booking_timeline_parent_class)->finalize (object);
}

static void
tsu_booking_timeline_class_init (TsuBookingTimelineClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_booking_timeline_dispose;
  object_class->finalize = tsu_booking_timeline_finalize;
  widget_class->snapshot = tsu_booking_timeline_snapshot;
  widget_class->measure = tsu_booking_timeline_measure;

  /**
   * TsuBookingTimeline::range-selected:
   * @start: "YYYY-MM-DDTHH:MM"
   * @end: "YYYY-MM-DDTHH:MM"
   *
   * A range was chosen (released after a drag, or Enter).
   */
  signals[SIGNAL_RANGE_SELECTED]
      = g_signal_new ("range-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_BOOKING_ACTIVATED]
      = g_signal_new ("booking-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                      NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_PERIOD_CHANGED]
      = g_signal_new ("period-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
tsu_booking_timeline_init (TsuBookingTimeline *self)
{
  GtkGesture         *drag = gtk_gesture_drag_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->mode = TSU_TIMELINE_WEEK;
  self->style = TSU_DATE_STYLE_SEIREKI;
  self->open_min = 9 * 60;
  self->close_min = 21 * 60;
  tsu_date_today (&self->day);
  update_first (self);
  self->now = tsu_equipment_now ();
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drag));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Timeline"), -1);
}

GtkWidget *
tsu_booking_timeline_new (void)
{
  return g_object_new (TSU_TYPE_BOOKING_TIMELINE, NULL);
}
