/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-uuid.h"

/* UUIDv7 (RFC 9562): 48-bit Unix milliseconds, then random bits. Ids made on
 * one desk in the same millisecond stay ordered by a counter in rand_a, so
 * rows inserted together sort in insertion order. */
char *
tsu_uuid7_new (void)
{
  static GMutex  lock;
  static gint64  last_ms;
  static guint16 counter;
  guint8         b[16];
  gint64         ms;
  guint16        seq;

  g_mutex_lock (&lock);
  ms = g_get_real_time () / 1000;
  if (ms <= last_ms)
    {
      ms = last_ms;
      counter++;
      if (counter > 0x0fff)
        {
          /* 4096 ids in one millisecond: borrow the next one. */
          ms = ++last_ms;
          counter = g_random_int_range (0, 0x400);
        }
    }
  else
    {
      last_ms = ms;
      counter = g_random_int_range (0, 0x400);
    }
  seq = counter;
  g_mutex_unlock (&lock);

  for (int i = 0; i < 6; i++)
    b[i] = (ms >> (40 - 8 * i)) & 0xff;
  b[6] = 0x70 | ((seq >> 8) & 0x0f);
  b[7] = seq & 0xff;
  for (int i = 8; i < 16; i += 4)
    {
      guint32 r = g_random_int ();
      memcpy (b + i, &r, 4);
    }
  b[8] = 0x80 | (b[8] & 0x3f);

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11],
                          b[12], b[13], b[14], b[15]);
}

gboolean
tsu_uuid_is_valid (const char *str)
{
  if (str == NULL || strlen (str) != 36)
    return FALSE;
  for (int i = 0; i < 36; i++)
    {
      if (i == 8 || i == 13 || i == 18 || i == 23)
        {
          if (str[i] != '-')
            return FALSE;
        }
      else if (!g_ascii_isxdigit (str[i]) || g_ascii_isupper (str[i]))
        return FALSE;
    }
  return TRUE;
}

/* UTC, millisecond precision, e.g. 2026-04-01T09:30:00.123Z. */
char *
tsu_timestamp_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *secs = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", secs, g_date_time_get_microsecond (now) / 1000);
}
