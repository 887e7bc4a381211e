/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-record-item.h"

struct _TsuRecordItem
{
  GObject    parent_instance;
  GPtrArray *columns; /* char *: the list's column names, shared */
  gint64     rowid;
  char      *id;
  char     **cells; /* columns->len entries, NULL for null */
  gboolean   loaded;
  guint      revision;
};

G_DEFINE_FINAL_TYPE (TsuRecordItem, tsu_record_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ROWID,
  PROP_ID,
  PROP_LOADED,
  PROP_REVISION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
clear_cells (TsuRecordItem *self)
{
  for (guint i = 0; self->cells && i < self->columns->len; i++)
    g_clear_pointer (&self->cells[i], g_free);
}

static void
tsu_record_item_finalize (GObject *object)
{
  TsuRecordItem *self = TSU_RECORD_ITEM (object);

  clear_cells (self);
  g_free (self->cells);
  g_free (self->id);
  g_ptr_array_unref (self->columns);
  G_OBJECT_CLASS (tsu_record_item_parent_class)->finalize (object);
}

static void
tsu_record_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRecordItem *self = TSU_RECORD_ITEM (object);

  switch (prop_id)
    {
    case PROP_ROWID:
      g_value_set_int64 (value, self->rowid);
      break;
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LOADED:
      g_value_set_boolean (value, self->loaded);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, self->revision);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_record_item_class_init (TsuRecordItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tsu_record_item_finalize;
  object_class->get_property = tsu_record_item_get_property;

  properties[PROP_ROWID]
      = g_param_spec_int64 ("rowid", NULL, NULL, -1, G_MAXINT64, -1,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ID] = g_param_spec_string (
      "id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADED]
      = g_param_spec_boolean ("loaded", NULL, NULL, FALSE,
                              G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVISION]
      = g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0,
                           G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_record_item_init (TsuRecordItem *self)
{
  self->rowid = -1;
}

/**
 * tsu_record_item_new:
 * @columns: (element-type utf8): the list's column names (referenced)
 *
 * Returns: (transfer full): an empty item
 */
TsuRecordItem *
tsu_record_item_new (GPtrArray *columns)
{
  TsuRecordItem *self = g_object_new (TSU_TYPE_RECORD_ITEM, NULL);

  self->columns = g_ptr_array_ref (columns);
  self->cells = g_new0 (char *, columns->len + 1);
  return self;
}

gint64
tsu_record_item_get_rowid (TsuRecordItem *self)
{
  g_return_val_if_fail (TSU_IS_RECORD_ITEM (self), -1);
  return self->rowid;
}

const char *
tsu_record_item_get_id (TsuRecordItem *self)
{
  g_return_val_if_fail (TSU_IS_RECORD_ITEM (self), NULL);
  return self->id;
}

gboolean
tsu_record_item_get_loaded (TsuRecordItem *self)
{
  return self->loaded;
}

guint
tsu_record_item_get_revision (TsuRecordItem *self)
{
  return self->revision;
}

guint
tsu_record_item_get_n_cells (TsuRecordItem *self)
{
  return self->columns->len;
}

/**
 * tsu_record_item_get_cell_at:
 *
 * Returns: (nullable): the text of a column, %NULL for null or while loading
 */
const char *
tsu_record_item_get_cell_at (TsuRecordItem *self, guint column)
{
  g_return_val_if_fail (TSU_IS_RECORD_ITEM (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);
  return self->cells[column];
}

const char *
tsu_record_item_get_cell (TsuRecordItem *self, const char *column)
{
  g_return_val_if_fail (TSU_IS_RECORD_ITEM (self), NULL);

  for (guint i = 0; i < self->columns->len; i++)
    if (g_str_equal (g_ptr_array_index (self->columns, i), column))
      return self->cells[i];
  g_critical ("The list has no column “%s”", column);
  return NULL;
}

static void
bump (TsuRecordItem *self, gboolean rowid_changed, gboolean id_changed, gboolean loaded_changed)
{
  GObject *o = G_OBJECT (self);

  g_object_freeze_notify (o);
  self->revision++;
  if (rowid_changed)
    g_object_notify_by_pspec (o, properties[PROP_ROWID]);
  if (id_changed)
    g_object_notify_by_pspec (o, properties[PROP_ID]);
  if (loaded_changed)
    g_object_notify_by_pspec (o, properties[PROP_LOADED]);
  g_object_notify_by_pspec (o, properties[PROP_REVISION]);
  g_object_thaw_notify (o);
}

void
tsu_record_item_set (TsuRecordItem *self, gint64 rowid, const char *id, char **cells)
{
  gboolean rowid_changed = self->rowid != rowid;
  gboolean id_changed = g_strcmp0 (self->id, id) != 0;
  gboolean loaded_changed = !self->loaded;
  gboolean same = !rowid_changed && !id_changed && !loaded_changed;

  for (guint i = 0; same && i < self->columns->len; i++)
    same = g_strcmp0 (self->cells[i], cells[i]) == 0;
  if (same)
    return; /* nothing to redraw */
  self->rowid = rowid;
  if (id_changed)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  clear_cells (self);
  for (guint i = 0; i < self->columns->len; i++)
    self->cells[i] = g_strdup (cells[i]);
  self->loaded = TRUE;
  bump (self, rowid_changed, id_changed, loaded_changed);
}

void
tsu_record_item_set_placeholder (TsuRecordItem *self, gint64 rowid)
{
  gboolean rowid_changed = self->rowid != rowid;
  gboolean id_changed = self->id != NULL;
  gboolean loaded_changed = self->loaded;

  if (!rowid_changed && !self->loaded)
    return;
  /* Keeps the old text until the page comes (a row that changes from one
   * record to the next looks better than a blank row in between), but not
   * the old id: nothing may act on the wrong record meanwhile. */
  self->rowid = rowid;
  g_clear_pointer (&self->id, g_free);
  self->loaded = FALSE;
  bump (self, rowid_changed, id_changed, loaded_changed);
}
