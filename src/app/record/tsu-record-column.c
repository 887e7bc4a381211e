/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-record-column.h"

struct _TsuRecordColumn
{
  GObject parent_instance;

  char       *name;
  char       *secondary;
  char       *title;
  char       *sort;
  int         width;
  int         priority;
  GHashTable *tones; /* cell text → TsuTone */
};

G_DEFINE_FINAL_TYPE (TsuRecordColumn, tsu_record_column, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_NAME,
  PROP_SECONDARY,
  PROP_TITLE,
  PROP_SORT,
  PROP_WIDTH,
  PROP_PRIORITY,
  PROP_TONES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static TsuTone
tone_from_name (const char *name)
{
  static const char *names[] = { "none", "accent", "success", "warning", "error", "dim" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (names[i], name))
      return (TsuTone)i;
  g_warning ("Unknown tone “%s”", name);
  return TSU_TONE_NONE;
}

/**
 * tsu_record_column_set_tones:
 * @tones: "value=tone;…" with tones accent, success, warning, error, dim
 */
void
tsu_record_column_set_tones (TsuRecordColumn *self, const char *tones)
{
  g_auto (GStrv) parts = g_strsplit (tones ? tones : "", ";", -1);

  g_hash_table_remove_all (self->tones);
  for (guint i = 0; parts[i]; i++)
    {
      char *eq = strchr (parts[i], '=');

      if (eq == NULL)
        continue;
      *eq = '\0';
      g_hash_table_insert (self->tones, g_strdup (g_strstrip (parts[i])),
                           GINT_TO_POINTER (tone_from_name (g_strstrip (eq + 1))));
    }
}

TsuTone
tsu_record_column_get_tone (TsuRecordColumn *self, const char *cell)
{
  return cell ? GPOINTER_TO_INT (g_hash_table_lookup (self->tones, cell)) : TSU_TONE_NONE;
}

static void
tsu_record_column_finalize (GObject *object)
{
  TsuRecordColumn *self = TSU_RECORD_COLUMN (object);

  g_free (self->name);
  g_free (self->secondary);
  g_free (self->title);
  g_free (self->sort);
  g_hash_table_unref (self->tones);
  G_OBJECT_CLASS (tsu_record_column_parent_class)->finalize (object);
}

static void
tsu_record_column_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRecordColumn *self = TSU_RECORD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_SECONDARY:
      g_value_set_string (value, self->secondary);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SORT:
      g_value_set_string (value, self->sort);
      break;
    case PROP_WIDTH:
      g_value_set_int (value, self->width);
      break;
    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
set_str (TsuRecordColumn *self, char **field, const GValue *value, GParamSpec *pspec)
{
  if (g_strcmp0 (*field, g_value_get_string (value)) == 0)
    return;
  g_free (*field);
  *field = g_value_dup_string (value);
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
tsu_record_column_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  TsuRecordColumn *self = TSU_RECORD_COLUMN (object);

  switch (prop_id)
    {
    case PROP_NAME:
      set_str (self, &self->name, value, pspec);
      break;
    case PROP_SECONDARY:
      set_str (self, &self->secondary, value, pspec);
      break;
    case PROP_TITLE:
      set_str (self, &self->title, value, pspec);
      break;
    case PROP_SORT:
      set_str (self, &self->sort, value, pspec);
      break;
    case PROP_WIDTH:
      if (self->width != g_value_get_int (value))
        {
          self->width = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_PRIORITY:
      if (self->priority != g_value_get_int (value))
        {
          self->priority = g_value_get_int (value);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    case PROP_TONES:
      tsu_record_column_set_tones (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_record_column_class_init (TsuRecordColumnClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tsu_record_column_finalize;
  object_class->get_property = tsu_record_column_get_property;
  object_class->set_property = tsu_record_column_set_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_SECONDARY] = g_param_spec_string ("secondary", NULL, NULL, NULL, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, NULL, flags);
  properties[PROP_SORT] = g_param_spec_string ("sort", NULL, NULL, NULL, flags);
  properties[PROP_WIDTH] = g_param_spec_int ("width", NULL, NULL, 0, 2000, 0, flags);
  /* In a narrow list, columns with a higher number give way first. */
  properties[PROP_PRIORITY] = g_param_spec_int ("priority", NULL, NULL, 0, 100, 0, flags);
  properties[PROP_TONES]
      = g_param_spec_string ("tones", NULL, NULL, NULL, G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_record_column_init (TsuRecordColumn *self)
{
  self->tones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

TsuRecordColumn *
tsu_record_column_new (const char *name, const char *title)
{
  return g_object_new (TSU_TYPE_RECORD_COLUMN, "name", name, "title", title, NULL);
}

const char *
tsu_record_column_get_name (TsuRecordColumn *self)
{
  return self->name;
}

const char *
tsu_record_column_get_secondary (TsuRecordColumn *self)
{
  return self->secondary;
}

const char *
tsu_record_column_get_title (TsuRecordColumn *self)
{
  return self->title;
}

const char *
tsu_record_column_get_sort (TsuRecordColumn *self)
{
  return self->sort;
}

int
tsu_record_column_get_width (TsuRecordColumn *self)
{
  return self->width;
}

int
tsu_record_column_get_priority (TsuRecordColumn *self)
{
  return self->priority;
}
