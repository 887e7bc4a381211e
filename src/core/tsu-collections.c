/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "tsu-collections.h"
#include "tsu-group-schema.h"

/* Every synced collection. A collection's table comes from a migration in
 * tsu-store-migrations.c; the store and the sync protocol accept no other
 * collection or field names than these. */
static const TsuCollection *collections[] = {
  &tsu_group_collection,
};

const TsuCollection **
tsu_collections_all (guint *n_collections)
{
  if (n_collections)
    *n_collections = G_N_ELEMENTS (collections);
  return collections;
}

const TsuCollection *
tsu_collection_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    if (g_str_equal (collections[i]->name, name))
      return collections[i];
  return NULL;
}

const TsuFieldDef *
tsu_collection_lookup_field (const TsuCollection *collection, const char *field)
{
  g_return_val_if_fail (collection != NULL, NULL);

  if (field == NULL)
    return NULL;
  for (guint i = 0; i < collection->n_fields; i++)
    if (g_str_equal (collection->fields[i].name, field))
      return &collection->fields[i];
  return NULL;
}

static gboolean
is_date_text (const char *s)
{
  /* YYYY-MM-DD or YYYY-MM (a founding month is often all a form has). */
  gsize len = strlen (s);
  int   y, m, d;

  if (len == 7 && sscanf (s, "%4d-%2d", &y, &m) == 2)
    return s[4] == '-' && m >= 1 && m <= 12;
  if (len == 10 && sscanf (s, "%4d-%2d-%2d", &y, &m, &d) == 3)
    return s[4] == '-' && s[7] == '-' && g_date_valid_dmy (d, m, y);
  return FALSE;
}

/* Null is valid for every field: it means "not known". Text is bounded so
 * that any record fits in one sync request (docs/sync-protocol.md). */
gboolean
tsu_field_value_is_valid (const TsuFieldDef *field, JsonNode *value)
{
  GType vt;

  g_return_val_if_fail (field != NULL, FALSE);

  if (value == NULL || JSON_NODE_HOLDS_NULL (value))
    return TRUE;

  switch (field->type)
    {
    case TSU_FIELD_JSON:
      {
        g_autofree char *text = json_to_string (value, FALSE);
        return strlen (text) <= TSU_FIELD_MAX_BYTES;
      }
    case TSU_FIELD_TEXT:
    case TSU_FIELD_DATE:
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        return FALSE;
      if (strlen (json_node_get_string (value)) > TSU_FIELD_MAX_BYTES
          || !g_utf8_validate (json_node_get_string (value), -1, NULL))
        return FALSE;
      return field->type == TSU_FIELD_TEXT || is_date_text (json_node_get_string (value));
    case TSU_FIELD_INT:
      return JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_INT64;
    case TSU_FIELD_BOOL:
      vt = JSON_NODE_HOLDS_VALUE (value) ? json_node_get_value_type (value) : G_TYPE_INVALID;
      return vt == G_TYPE_BOOLEAN;
    default:
      g_assert_not_reached ();
    }
}
