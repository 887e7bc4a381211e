/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-edit-base.h"
#include "tsu-sync-codec.h"

struct _TsuEditBase
{
  const TsuCollection *collection;
  JsonObject          *row;
};

/**
 * tsu_edit_base_new:
 * @row: the record as loaded into the form (copied)
 */
TsuEditBase *
tsu_edit_base_new (const TsuCollection *collection, JsonObject *row)
{
  TsuEditBase   *base;
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  g_return_val_if_fail (collection != NULL && row != NULL, NULL);

  /* A copy of its members: the form may go on setting those it loaded. */
  base = g_new0 (TsuEditBase, 1);
  base->collection = collection;
  base->row = json_object_new ();
  json_object_iter_init (&iter, row);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (base->row, name, json_node_copy (value));
  return base;
}

void
tsu_edit_base_free (TsuEditBase *base)
{
  if (base == NULL)
    return;
  json_object_unref (base->row);
  g_free (base);
}

static gboolean
same (JsonObject *a, JsonObject *b, const char *name)
{
  return tsu_sync_values_equal (json_object_get_member (a, name), json_object_get_member (b, name));
}

GStrv
tsu_edit_base_changed_fields (TsuEditBase *base, JsonObject *row_now, gboolean *deleted_changed)
{
  g_autoptr (GStrvBuilder) names = g_strv_builder_new ();
  guint n = 0;

  g_return_val_if_fail (base != NULL && row_now != NULL, NULL);

  for (guint i = 0; i < base->collection->n_fields; i++)
    {
      const TsuFieldDef *f = &base->collection->fields[i];

      if ((f->flags & TSU_FIELD_DERIVED) || same (base->row, row_now, f->name))
        continue;
      g_strv_builder_add (names, f->name);
      n++;
    }
  if (deleted_changed != NULL)
    *deleted_changed
        = tsu_record_get_bool (base->row, "deleted") != tsu_record_get_bool (row_now, "deleted");
  return n > 0 ? g_strv_builder_end (names) : NULL;
}

JsonObject *
tsu_edit_base_merge (TsuEditBase *base, JsonObject *edited, JsonObject *row_now, GStrv *clashes)
{
  g_autoptr (GStrvBuilder) clash = g_strv_builder_new ();
  JsonObject    *out = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;
  guint          n_clash = 0;

  g_return_val_if_fail (base != NULL && edited != NULL && row_now != NULL, out);

  json_object_iter_init (&iter, edited);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *f = tsu_collection_lookup_field (base->collection, name);
      JsonNode          *was = json_object_get_member (base->row, name);
      JsonNode          *now = json_object_get_member (row_now, name);

      if (f == NULL || (f->flags & TSU_FIELD_DERIVED))
        continue;
      /* Untouched by the person: whatever the record holds now stays. */
      if (tsu_sync_values_equal (value, was))
        continue;
      /* Changed here and, differently, underneath: the person's value, named. */
      if (!tsu_sync_values_equal (was, now) && !tsu_sync_values_equal (value, now))
        {
          g_strv_builder_add (clash, name);
          n_clash++;
        }
      json_object_set_member (out, name, json_node_copy (value));
    }
  if (clashes != NULL)
    *clashes = n_clash > 0 ? g_strv_builder_end (clash) : NULL;
  return out;
}

/* ---- the watch ---- */

struct _TsuRecordWatch
{
  GObject   parent_instance;
  TsuStore *store;
  char     *collection;
  char     *id;
};

G_DEFINE_FINAL_TYPE (TsuRecordWatch, tsu_record_watch, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
store_changed_cb (TsuRecordWatch *self, const char *collection, const char *const *ids)
{
  if (g_strcmp0 (collection, self->collection) != 0)
    return;
  /* No ids: changed by another program; it may be this record. */
  if (ids == NULL || ids[0] == NULL || g_strv_contains (ids, self->id))
    g_signal_emit (self, signals[CHANGED], 0);
}

static void
tsu_record_watch_finalize (GObject *object)
{
  TsuRecordWatch *self = (TsuRecordWatch *)object;

  g_clear_object (&self->store);
  g_free (self->collection);
  g_free (self->id);
  G_OBJECT_CLASS (tsu_record_watch_parent_class)->finalize (object);
}

static void
tsu_record_watch_class_init (TsuRecordWatchClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tsu_record_watch_finalize;

  /**
   * TsuRecordWatch::changed:
   *
   * The record was written (by this desk, a pulled page, or another program).
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
tsu_record_watch_init (TsuRecordWatch *self)
{
}

/**
 * tsu_record_watch_new:
 *
 * Returns: (transfer full): a watch of one record; drop it when the form closes
 */
TsuRecordWatch *
tsu_record_watch_new (TsuStore *store, const char *collection, const char *id)
{
  TsuRecordWatch *self = g_object_new (TSU_TYPE_RECORD_WATCH, NULL);

  self->store = g_object_ref (store);
  self->collection = g_strdup (collection);
  self->id = g_strdup (id);
  g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}
