/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-slots.h"
#include "tsu-date.h"

static const char *const part_codes[] = { "am", "pm", "night" };

/* Japanese in every UI language: the words centres use for these. */
#define SLOT(d, dj)                                                                                \
  { d "-am", dj "午前", dj "午前" }, { d "-pm", dj "午後", dj "午後" },                            \
  {                                                                                                \
    d "-night", dj "夜間", dj "夜間"                                                             \
  }

const TsuChoice tsu_slot_choices[] = {
  SLOT ("mon", "月"), SLOT ("tue", "火"), SLOT ("wed", "水"), SLOT ("thu", "木"),
  SLOT ("fri", "金"), SLOT ("sat", "土"), SLOT ("sun", "日"), { NULL },
};

const TsuChoice tsu_part_choices[] = {
  { "am", "午前", "午前" },
  { "pm", "午後", "午後" },
  { "night", "夜間", "夜間" },
  { NULL },
};

const TsuChoice tsu_schedule_choices[] = {
  { "once", N_ ("One day"), "日時指定" },
  { "window", N_ ("Any day in a period"), "期間内" },
  { "weekly", N_ ("Every week"), "毎週" },
  { NULL },
};

guint32
tsu_slot_bit (GDateWeekday weekday, TsuPart part)
{
  g_return_val_if_fail (weekday >= G_DATE_MONDAY && weekday <= G_DATE_SUNDAY, 0);
  return 1u << ((weekday - 1) * TSU_N_PARTS + part);
}

static int
slot_index (const char *code)
{
  for (int i = 0; tsu_slot_choices[i].code; i++)
    if (g_str_equal (tsu_slot_choices[i].code, code))
      return i;
  return -1;
}

guint32
tsu_slots_mask (JsonNode *slots)
{
  JsonArray *a;
  guint32    mask = 0;

  if (slots == NULL || !JSON_NODE_HOLDS_ARRAY (slots))
    return 0;
  a = json_node_get_array (slots);
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      JsonNode *e = json_array_get_element (a, i);
      int       k;

      if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING
          && (k = slot_index (json_node_get_string (e))) >= 0)
        mask |= 1u << k;
    }
  return mask;
}

gboolean
tsu_part_from_code (const char *code, TsuPart *part)
{
  for (guint i = 0; i < TSU_N_PARTS; i++)
    if (g_strcmp0 (code, part_codes[i]) == 0)
      {
        *part = i;
        return TRUE;
      }
  return FALSE;
}

/**
 * tsu_slots_parse:
 * @slots: (out): the slot codes
 * @bad: (out): the piece that is not a slot, on failure
 */
gboolean
tsu_slots_parse (const char *text, JsonArray **slots, char **bad)
{
  g_autofree char *t = g_utf8_normalize (text ? text : "", -1, G_NORMALIZE_ALL_COMPOSE);
  g_autoptr (GString) s = g_string_new (NULL);
  g_auto (GStrv) pieces = NULL;
  guint32 seen = 0;

  *slots = json_array_new ();
  for (const char *p = t; p && *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (s, g_unichar_isspace (c) || c == 0x3001 || c == ',' ? ';' : c);
    }
  pieces = g_strsplit (s->str, ";", -1);
  for (guint i = 0; pieces[i]; i++)
    {
      int k = -1;

      if (*pieces[i] == '\0')
        continue;
      for (int j = 0; tsu_slot_choices[j].code && k < 0; j++)
        if (g_str_equal (pieces[i], tsu_slot_choices[j].name)
            || g_str_equal (pieces[i], tsu_slot_choices[j].code))
          k = j;
      if (k < 0)
        {
          *bad = g_strdup (pieces[i]);
          g_clear_pointer (slots, json_array_unref);
          return FALSE;
        }
      if (!(seen & (1u << k)))
        json_array_add_string_element (*slots, tsu_slot_choices[k].code);
      seen |= 1u << k;
    }
  return TRUE;
}

char *
tsu_slots_format (JsonNode *slots)
{
  guint32  mask = tsu_slots_mask (slots);
  GString *s = g_string_new (NULL);

  for (int k = 0; k < TSU_N_SLOTS; k++)
    if (mask & (1u << k))
      g_string_append_printf (s, "%s%s", s->len ? " " : "", tsu_slot_choices[k].name);
  return g_string_free (s, FALSE);
}

static gboolean
get_date (JsonObject *o, const char *name, GDate *out)
{
  return tsu_date_from_iso (tsu_record_get_string (o, name), out);
}

gboolean
tsu_schedule_from_record (JsonObject *r, TsuSchedule *s)
{
  const char *kind = tsu_record_get_string (r, "schedule");

  memset (s, 0, sizeof *s);
  g_date_clear (&s->first, 1);
  g_date_clear (&s->last, 1);
  if (!get_date (r, "date_from", &s->first))
    return FALSE;
  if (g_strcmp0 (kind, "window") == 0)
    s->kind = TSU_SCHEDULE_WINDOW;
  else if (g_strcmp0 (kind, "weekly") == 0)
    s->kind = TSU_SCHEDULE_WEEKLY;
  else
    s->kind = TSU_SCHEDULE_ONCE;
  if (s->kind == TSU_SCHEDULE_ONCE || !get_date (r, "date_to", &s->last)
      || g_date_compare (&s->last, &s->first) < 0)
    s->last = s->first;
  if (s->kind == TSU_SCHEDULE_WEEKLY)
    s->weekly = tsu_slots_mask (json_object_get_member (r, "weekly_slots"));
  else if (!tsu_part_from_code (tsu_record_get_string (r, "slot"), &s->part))
    s->part = TSU_PART_AM;
  return TRUE;
}

/* The slots a schedule covers on @day (a mask of that weekday's parts). */
static guint32
slots_on (const TsuSchedule *s, const GDate *day)
{
  GDateWeekday wd = g_date_get_weekday (day);

  if (g_date_compare (day, &s->first) < 0 || g_date_compare (day, &s->last) > 0)
    return 0;
  if (s->kind == TSU_SCHEDULE_WEEKLY)
    return s->weekly & (((1u << TSU_N_PARTS) - 1) << ((wd - 1) * TSU_N_PARTS));
  return tsu_slot_bit (wd, s->part);
}

gboolean
tsu_schedule_overlaps (const TsuSchedule *a, const TsuSchedule *b)
{
  GDate day = a->first;

  if (g_date_compare (&b->first, &day) > 0)
    day = b->first;
  /* A week at most for two weekly schedules, the shared days otherwise. */
  for (guint n = 0; g_date_compare (&day, &a->last) <= 0 && g_date_compare (&day, &b->last) <= 0;
       n++, g_date_add_days (&day, 1))
    {
      if (slots_on (a, &day) & slots_on (b, &day))
        return TRUE;
      if (n >= 7 && a->kind == TSU_SCHEDULE_WEEKLY && b->kind == TSU_SCHEDULE_WEEKLY)
        break;
    }
  return FALSE;
}

gboolean
tsu_schedule_fits (const TsuSchedule *s, guint32 availability)
{
  gboolean any;
  guint32  need = tsu_schedule_needed_mask (s, &any);

  return any ? (availability & need) != 0 : (availability & need) == need;
}

guint32
tsu_schedule_needed_mask (const TsuSchedule *s, gboolean *any)
{
  guint32 mask = 0;
  GDate   day = s->first;

  *any = s->kind == TSU_SCHEDULE_WINDOW;
  if (s->kind == TSU_SCHEDULE_WEEKLY)
    return s->weekly;
  for (guint n = 0; n < 7 && g_date_compare (&day, &s->last) <= 0; n++, g_date_add_days (&day, 1))
    mask |= tsu_slot_bit (g_date_get_weekday (&day), s->part);
  return mask;
}

void
tsu_schedule_span (const TsuSchedule *s, char **start, char **end)
{
  GDate after = s->last;

  g_date_add_days (&after, 1);
  *start = tsu_date_to_iso (&s->first);
  *end = tsu_date_to_iso (&after);
}

/**
 * tsu_schedule_describe:
 *
 * Returns: (transfer full): the request's schedule in words, or ""
 */
char *
tsu_schedule_describe (JsonObject *request, TsuDateStyle style)
{
  TsuSchedule      s;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;

  if (!tsu_schedule_from_record (request, &s))
    return g_strdup ("");
  first = tsu_date_format (&s.first, style);
  last = tsu_date_format (&s.last, style);
  switch (s.kind)
    {
    case TSU_SCHEDULE_ONCE:
      /* TRANSLATORS: a day and a time of day: 2026年12月5日(土) 午前 */
      return g_strdup_printf (_ ("%s %s"), first, tsu_part_choices[s.part].name);
    case TSU_SCHEDULE_WINDOW:
      /* TRANSLATORS: any day of a period, at a time of day:
       * 2026年12月1日(火)〜2026年12月10日(木)の午前 */
      return g_strdup_printf (_ ("%s to %s, %s"), first, last, tsu_part_choices[s.part].name);
    case TSU_SCHEDULE_WEEKLY:
    default:
      {
        g_autoptr (JsonNode) node = json_node_new (JSON_NODE_ARRAY);
        g_autoptr (JsonArray) slots = json_array_new ();
        g_autofree char *text = NULL;

        for (int k = 0; k < TSU_N_SLOTS; k++)
          if (s.weekly & (1u << k))
            json_array_add_string_element (slots, tsu_slot_choices[k].code);
        json_node_set_array (node, slots);
        text = tsu_slots_format (node);
        /* TRANSLATORS: weekly slots and the period: 毎週
         * 土午前（2026年11月1日(日)〜2027年1月31日(日)） */
        return g_strdup_printf (_ ("Every week %s (%s to %s)"), text, first, last);
      }
    }
}
