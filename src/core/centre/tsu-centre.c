/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-centre.h"
#include "tsu-store-private.h"

static const TsuFieldDef fields[] = {
  { .name = "key",
    .type = TSU_FIELD_TEXT,
    .flags = TSU_FIELD_REQUIRED | TSU_FIELD_INTERNAL,
    .label = N_ ("Setting") },
  { .name = "value", .type = TSU_FIELD_JSON, .flags = TSU_FIELD_INTERNAL, .label = N_ ("Value") },
};

static const TsuSchemaStep schema[] = {
  { 1, "centre settings",
    "CREATE TABLE centre_settings (rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
    " rev INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,"
    " deleted INTEGER NOT NULL DEFAULT 0, key TEXT, value TEXT);"
    "CREATE INDEX centre_settings_key ON centre_settings (key, deleted);",
    NULL },
};

/* One record per key: a second one made offline on another desk is
 * refused by the server, and the desk takes the first one's value. */
static gboolean
guard (TsuRuleContext *ctx,
       const char     *id,
       JsonObject     *row,
       JsonObject     *old,
       TsuRuleRefusal *refusal,
       GError        **error)
{
  const char *key = tsu_record_get_string (row, "key");
  g_autoptr (GPtrArray) same = NULL;

  if (key == NULL || old != NULL)
    return TRUE;
  same = ctx->find (ctx, "centre_settings", "key", key, NULL, NULL, NULL, NULL, error);
  if (same == NULL)
    return FALSE;
  for (guint i = 0; i < same->len; i++)
    if (g_strcmp0 (tsu_record_get_string (g_ptr_array_index (same, i), "id"), id) != 0)
      {
        refusal->reason = "setting_exists";
        refusal->other_id = g_strdup (tsu_record_get_string (g_ptr_array_index (same, i), "id"));
        refusal->message = g_strdup_printf (_ ("The setting “%s” exists already."), key);
        return FALSE;
      }
  return TRUE;
}

const TsuCollection tsu_centre_settings_collection = {
  .name = "centre_settings",
  .label = N_ ("Centre settings"),
  .fields = fields,
  .n_fields = G_N_ELEMENTS (fields),
  .schema = schema,
  .n_schema = G_N_ELEMENTS (schema),
  .guard = guard,
  .lookup_keys = (const char *const[]){ "key", NULL },
};

typedef struct
{
  const char *key;
  char       *id;
  JsonNode   *value;
} Lookup;

static gboolean
lookup_read (sqlite3 *db, gpointer data, GError **error)
{
  Lookup       *l = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT id, value FROM centre_settings WHERE key = ? AND deleted = 0"
                          " ORDER BY rowid LIMIT 1",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "centre settings");
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, l->key, -1, SQLITE_TRANSIENT);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *)sqlite3_column_text (stmt, 1);

      l->id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
      l->value = text ? json_from_string (text, NULL) : NULL;
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

JsonNode *
tsu_centre_get (TsuStore *store, const char *key)
{
  Lookup l = { key, NULL, NULL };

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  tsu_store_read (store, lookup_read, &l, NULL);
  g_free (l.id);
  if (l.value != NULL && JSON_NODE_HOLDS_NULL (l.value))
    g_clear_pointer (&l.value, json_node_unref);
  return l.value;
}

gint64
tsu_centre_get_int (TsuStore *store, const char *key, gint64 fallback)
{
  g_autoptr (JsonNode) v = tsu_centre_get (store, key);

  if (v == NULL || !JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_INT64)
    return fallback;
  return json_node_get_int (v);
}

char *
tsu_centre_get_string (TsuStore *store, const char *key, const char *fallback)
{
  g_autoptr (JsonNode) v = tsu_centre_get (store, key);

  if (v == NULL || !JSON_NODE_HOLDS_VALUE (v) || json_node_get_value_type (v) != G_TYPE_STRING)
    return g_strdup (fallback);
  return g_strdup (json_node_get_string (v));
}

/**
 * tsu_centre_get_strings:
 *
 * Returns: (transfer full): the strings of a list setting (empty when unset)
 */
GStrv
tsu_centre_get_strings (TsuStore *store, const char *key)
{
  g_autoptr (JsonNode) v = tsu_centre_get (store, key);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();

  if (v != NULL && JSON_NODE_HOLDS_ARRAY (v))
    {
      JsonArray *a = json_node_get_array (v);

      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *e = json_array_get_element (a, i);

          if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
            g_strv_builder_add (b, json_node_get_string (e));
        }
    }
  return g_strv_builder_end (b);
}

typedef struct
{
  const char *key;
  JsonNode   *value;
} Set;

static gboolean
set_txn (TsuStore *store, gpointer data, GError **error)
{
  Set   *s = data;
  Lookup l = { s->key, NULL, NULL };
  g_autoptr (JsonObject) fields = json_object_new ();
  gboolean ok;

  if (!tsu_store_read (store, lookup_read, &l, error))
    return FALSE;
  g_clear_pointer (&l.value, json_node_unref);
  json_object_set_member (fields, "value",
                          s->value ? json_node_copy (s->value) : json_node_new (JSON_NODE_NULL));
  if (l.id != NULL)
    ok = tsu_store_update (store, "centre_settings", l.id, fields, error);
  else
    {
      g_autofree char *id = NULL;

      json_object_set_string_member (fields, "key", s->key);
      id = tsu_store_insert (store, "centre_settings", fields, error);
      ok = id != NULL;
    }
  g_free (l.id);
  return ok;
}

/**
 * tsu_centre_set:
 * @value: (nullable): the new value; %NULL or a null node clears it
 *
 * Returns: %TRUE when saved
 */
gboolean
tsu_centre_set (TsuStore *store, const char *key, JsonNode *value, GError **error)
{
  Set s = { key, value };

  g_return_val_if_fail (TSU_IS_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return tsu_store_transaction (store, TSU_ORIGIN_LOCAL, set_txn, &s, error);
}

gboolean
tsu_centre_set_int (TsuStore *store, const char *key, gint64 value, GError **error)
{
  g_autoptr (JsonNode) v = json_node_new (JSON_NODE_VALUE);

  json_node_set_int (v, value);
  return tsu_centre_set (store, key, v, error);
}
