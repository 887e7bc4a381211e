/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-sync-codec.h"
#include "tsu-uuid.h"

static const TsuJsonLimits request_limits = {
  TSU_SYNC_MAX_REQUEST_BYTES,
  TSU_SYNC_MAX_DEPTH,
  TSU_SYNC_MAX_STRING,
  200000,
};

/* Pages from the server may hold thousands of records. A page stops after
 * the row that crosses TSU_SYNC_MAX_PAGE_BYTES, and one row can be as large
 * as a push could make it (escaping may grow it): room for that. */
static const TsuJsonLimits response_limits = {
  TSU_SYNC_MAX_PAGE_BYTES + 8 * TSU_SYNC_MAX_REQUEST_BYTES,
  TSU_SYNC_MAX_DEPTH,
  TSU_SYNC_MAX_STRING * 6,
  2000000,
};

/** tsu_sync_request_limits: Returns: the bounds on a request body. */
const TsuJsonLimits *
tsu_sync_request_limits (void)
{
  return &request_limits;
}

/** tsu_sync_response_limits: Returns: the bounds the client puts on a response. */
const TsuJsonLimits *
tsu_sync_response_limits (void)
{
  return &response_limits;
}

static const char *op_names[] = { "insert", "update", "delete", "undelete", "erase" };

/** tsu_sync_op_from_string: Returns: the op, or %TSU_SYNC_OP_INVALID */
TsuSyncOp
tsu_sync_op_from_string (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (op_names); i++)
    if (g_str_equal (op_names[i], name))
      return (TsuSyncOp)i;
  return TSU_SYNC_OP_INVALID;
}

/** tsu_sync_op_to_string: Returns: the wire name of @op */
const char *
tsu_sync_op_to_string (TsuSyncOp op)
{
  return op < TSU_SYNC_OP_INVALID ? op_names[op] : "invalid";
}

/**
 * tsu_sync_is_server_field:
 *
 * Returns: whether @name is one of the columns only the server writes
 *   (id, rev, created_at, updated_at, deleted).
 */
gboolean
tsu_sync_is_server_field (const char *name)
{
  return g_strcmp0 (name, TSU_COLUMN_ID) == 0 || g_strcmp0 (name, TSU_COLUMN_REV) == 0
         || g_strcmp0 (name, TSU_COLUMN_CREATED_AT) == 0
         || g_strcmp0 (name, TSU_COLUMN_UPDATED_AT) == 0
         || g_strcmp0 (name, TSU_COLUMN_DELETED) == 0;
}

static gboolean
member_int (JsonObject *o, const char *name, gint64 *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (n);
  return TRUE;
}

static const char *
member_string (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (n);
}

static gboolean
member_object_or_absent (JsonObject *o, const char *name, JsonObject **out)
{
  JsonNode *n = json_object_get_member (o, name);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    return FALSE;
  *out = json_node_get_object (n);
  return TRUE;
}

/**
 * tsu_sync_mutation_parse:
 * @node: one element of a push's "mutations"
 * @out: (out caller-allocates): borrows from @node
 *
 * Checks the shape of a mutation (a malformed one fails the whole request);
 * what it names is checked later by tsu_sync_mutation_check().
 */
gboolean
tsu_sync_mutation_parse (JsonNode *node, TsuSyncMutation *out, GError **error)
{
  static JsonObject *empty = NULL;
  JsonObject        *o;

  if (g_once_init_enter (&empty))
    g_once_init_leave (&empty, json_object_new ());

  memset (out, 0, sizeof *out);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "a mutation is not an object");
      return FALSE;
    }
  o = json_node_get_object (node);
  if (!member_int (o, "seq", &out->seq) || out->seq < 1)
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "mutation seq must be a positive integer");
      return FALSE;
    }
  if (!member_int (o, "base_rev", &out->base_rev) || out->base_rev < 0)
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "mutation base_rev must be an integer ≥ 0");
      return FALSE;
    }
  out->collection = member_string (o, "collection");
  out->id = member_string (o, "id");
  out->op_name = member_string (o, "op");
  if (out->collection == NULL || out->id == NULL || out->op_name == NULL)
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "mutation collection, id and op must be strings");
      return FALSE;
    }
  if (!member_object_or_absent (o, "fields", &out->fields)
      || !member_object_or_absent (o, "old", &out->old))
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "mutation fields and old must be objects");
      return FALSE;
    }
  if (out->fields == NULL)
    out->fields = empty;
  if (out->old == NULL)
    out->old = empty;
  out->op = tsu_sync_op_from_string (out->op_name);
  return TRUE;
}

/**
 * tsu_sync_push_parse:
 * @root: the parsed push body
 *
 * Returns: (transfer full): the "mutations" array: 1 to
 *   %TSU_SYNC_MAX_BATCH well-formed mutations with strictly increasing seq.
 */
JsonArray *
tsu_sync_push_parse (JsonNode *root, GError **error)
{
  JsonObject *o;
  JsonNode   *m;
  JsonArray  *a;
  gint64      prev = 0;
  guint       n;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "the body is not an object");
      return NULL;
    }
  o = json_node_get_object (root);
  m = json_object_get_member (o, "mutations");
  if (m == NULL || !JSON_NODE_HOLDS_ARRAY (m))
    {
      g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                           "\"mutations\" must be an array");
      return NULL;
    }
  a = json_node_get_array (m);
  n = json_array_get_length (a);
  if (n == 0 || n > TSU_SYNC_MAX_BATCH)
    {
      g_set_error (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_TOO_MANY,
                   "a push holds 1 to %d mutations", TSU_SYNC_MAX_BATCH);
      return NULL;
    }
  for (guint i = 0; i < n; i++)
    {
      TsuSyncMutation mut;

      if (!tsu_sync_mutation_parse (json_array_get_element (a, i), &mut, error))
        return NULL;
      if (mut.seq <= prev)
        {
          g_set_error_literal (error, TSU_JSON_CHECK_ERROR, TSU_JSON_CHECK_ERROR_SYNTAX,
                               "mutation seq must increase");
          return NULL;
        }
      prev = mut.seq;
    }
  return json_array_ref (a);
}

/**
 * tsu_sync_fields_check:
 * @detail: (out) (optional): the offending field name
 *
 * Returns: %NULL when every member of @fields is a writable field of
 *   @collection with a valid value, else the rejection reason code.
 */
const char *
tsu_sync_fields_check (const TsuCollection *collection, JsonObject *fields, char **detail)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *def = tsu_collection_lookup_field (collection, name);
      const char        *reason = NULL;

      if (tsu_sync_is_server_field (name))
        reason = "server_managed_field";
      else if (def == NULL)
        reason = "unknown_field";
      else if (def->flags & TSU_FIELD_DERIVED)
        reason = "derived_field";
      else if (!tsu_field_value_is_valid (def, value))
        reason = "invalid_value";
      if (reason != NULL)
        {
          if (detail)
            *detail = g_strdup (name);
          return reason;
        }
    }
  return NULL;
}

/**
 * tsu_sync_mutation_check:
 * @detail: (out) (optional): what was wrong (a field name), never a value
 *
 * Returns: %NULL when the server may apply @m, else the reason code of a
 *   rejection ("unknown_collection", "unknown_field", ...).
 */
const char *
tsu_sync_mutation_check (const TsuSyncMutation *m, char **detail)
{
  const TsuCollection *c = tsu_collection_lookup (m->collection);
  const char          *reason;

  if (detail)
    *detail = NULL;
  if (c == NULL)
    return "unknown_collection";
  if (m->op == TSU_SYNC_OP_INVALID)
    return "unknown_op";
  if (!tsu_uuid_is_valid (m->id))
    return "bad_id";
  if ((reason = tsu_sync_fields_check (c, m->fields, detail)) != NULL)
    return reason;
  /* An erasure carries no values at all. */
  if (m->op == TSU_SYNC_OP_ERASE
      && (json_object_get_size (m->fields) > 0 || json_object_get_size (m->old) > 0))
    return "invalid_value";
  /* old carries the values the desk saw: same names, any value. */
  {
    JsonObjectIter iter;
    const char    *name;
    JsonNode      *value;

    json_object_iter_init (&iter, m->old);
    while (json_object_iter_next (&iter, &name, &value))
      {
        const TsuFieldDef *def = tsu_collection_lookup_field (c, name);

        if (def == NULL || (def->flags & TSU_FIELD_DERIVED))
          {
            if (detail)
              *detail = g_strdup (name);
            return "unknown_field";
          }
      }
  }
  return NULL;
}

/**
 * tsu_sync_mutation_from_outbox:
 * @entry: an object of tsu_store_get_outbox()
 *
 * Returns: (transfer full): the mutation as a push carries it
 */
JsonObject *
tsu_sync_mutation_from_outbox (JsonObject *entry)
{
  JsonObject *m = json_object_new ();
  JsonNode   *n;

  json_object_set_int_member (m, "seq", json_object_get_int_member (entry, "seq"));
  json_object_set_string_member (m, "collection",
                                 json_object_get_string_member (entry, "collection"));
  json_object_set_string_member (m, "id", json_object_get_string_member (entry, "id"));
  json_object_set_string_member (m, "op", json_object_get_string_member (entry, "op"));
  json_object_set_int_member (m, "base_rev", json_object_get_int_member (entry, "base_rev"));
  n = json_object_get_member (entry, "fields");
  json_object_set_member (m, "fields",
                          n && JSON_NODE_HOLDS_OBJECT (n)
                              ? json_node_copy (n)
                              : json_node_init_object (json_node_alloc (), json_object_new ()));
  n = json_object_get_member (entry, "old");
  json_object_set_member (m, "old",
                          n && JSON_NODE_HOLDS_OBJECT (n)
                              ? json_node_copy (n)
                              : json_node_init_object (json_node_alloc (), json_object_new ()));
  return m;
}

/**
 * tsu_sync_synced_fields:
 * @row: a record with any members (a store row, a server version)
 *
 * Returns: (transfer full): the fields of @collection that sync (not the
 *   derived ones, not the server-managed columns); absent ones as null.
 */
JsonObject *
tsu_sync_synced_fields (const TsuCollection *collection, JsonObject *row)
{
  JsonObject *out = json_object_new ();

  for (guint i = 0; i < collection->n_fields; i++)
    {
      const TsuFieldDef *f = &collection->fields[i];
      JsonNode          *v;

      if (f->flags & TSU_FIELD_DERIVED)
        continue;
      v = row ? json_object_get_member (row, f->name) : NULL;
      json_object_set_member (out, f->name,
                              v ? json_node_copy (v) : json_node_new (JSON_NODE_NULL));
    }
  return out;
}

/**
 * tsu_sync_values_equal:
 *
 * Returns: whether two field values are the same; absent and null are.
 */
gboolean
tsu_sync_values_equal (JsonNode *a, JsonNode *b)
{
  gboolean a_null = a == NULL || JSON_NODE_HOLDS_NULL (a);
  gboolean b_null = b == NULL || JSON_NODE_HOLDS_NULL (b);

  if (a_null || b_null)
    return a_null == b_null;
  return json_node_equal (a, b);
}

/**
 * tsu_sync_merge_fields:
 * @current: the record as the server has it now
 * @base: the values the desk edited from (the version at base_rev)
 * @fields: the values the desk set
 * @base_is_current: the desk edited the current version: take everything
 * @apply: (out caller-allocates): receives field → value to write
 * @conflicts: (out caller-allocates): receives field → {server, other, base}
 *
 * The field-level three-way merge. A field the server has not changed
 * since @base takes the desk's value; a field both changed to different
 * values keeps the server's value and lands in @conflicts.
 *
 * Returns: the number of conflicting fields
 */
guint
tsu_sync_merge_fields (JsonObject *current,
                       JsonObject *base,
                       JsonObject *fields,
                       gboolean    base_is_current,
                       JsonObject *apply,
                       JsonObject *conflicts)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;
  guint          n = 0;

  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *cur = current ? json_object_get_member (current, name) : NULL;
      JsonNode *was = base ? json_object_get_member (base, name) : NULL;

      if (base_is_current)
        json_object_set_member (apply, name, json_node_copy (value));
      else if (tsu_sync_values_equal (cur, value))
        continue;
      else if (tsu_sync_values_equal (cur, was))
        json_object_set_member (apply, name, json_node_copy (value));
      else
        {
          JsonObject *c = json_object_new ();

          json_object_set_member (c, "server",
                                  cur ? json_node_copy (cur) : json_node_new (JSON_NODE_NULL));
          json_object_set_member (c, "other", json_node_copy (value));
          json_object_set_member (c, "base",
                                  was ? json_node_copy (was) : json_node_new (JSON_NODE_NULL));
          json_object_set_object_member (conflicts, name, c);
          n++;
        }
    }
  return n;
}

/**
 * tsu_sync_cursor_encode:
 * @full_from: during a first sync, the change seq it started at; -1 after
 *
 * Returns: (transfer full): an opaque cursor for the pull after @seq
 */
char *
tsu_sync_cursor_encode (const char *epoch, gint64 seq, gint64 full_from)
{
  g_autofree char *plain
      = g_strdup_printf ("1:%s:%" G_GINT64_FORMAT ":%" G_GINT64_FORMAT, epoch, seq, full_from);
  char *b64 = g_base64_encode ((const guchar *)plain, strlen (plain));

  /* URL-safe, no padding: it travels in a query string. */
  for (char *p = b64; *p; p++)
    if (*p == '+')
      *p = '-';
    else if (*p == '/')
      *p = '_';
    else if (*p == '=')
      {
        *p = '\0';
        break;
      }
  return b64;
}

/**
 * tsu_sync_cursor_decode:
 *
 * Returns: %FALSE when @cursor is not one of ours
 */
gboolean
tsu_sync_cursor_decode (const char *cursor, char **epoch, gint64 *seq, gint64 *full_from)
{
  g_autofree char   *b64 = NULL;
  g_autofree guchar *plain = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *text = NULL;
  gsize            len = 0, n;
  guint64          u;

  if (cursor == NULL || (n = strlen (cursor)) == 0 || n > 200)
    return FALSE;
  for (const char *p = cursor; *p; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  b64 = g_malloc0 (n + 4);
  memcpy (b64, cursor, n);
  for (char *p = b64; *p; p++)
    if (*p == '-')
      *p = '+';
    else if (*p == '_')
      *p = '/';
  while (n % 4 != 0)
    b64[n++] = '=';
  plain = g_base64_decode (b64, &len);
  if (plain == NULL || len == 0 || len > 150)
    return FALSE;
  text = g_strndup ((const char *)plain, len);
  if (strlen (text) != len || !g_utf8_validate (text, -1, NULL))
    return FALSE;
  parts = g_strsplit (text, ":", -1);
  if (g_strv_length (parts) != 4 || !g_str_equal (parts[0], "1") || *parts[1] == '\0')
    return FALSE;
  if (!g_ascii_string_to_unsigned (parts[2], 10, 0, G_MAXINT64, &u, NULL))
    return FALSE;
  *seq = (gint64)u;
  if (g_str_equal (parts[3], "-1"))
    *full_from = -1;
  else if (g_ascii_string_to_unsigned (parts[3], 10, 0, G_MAXINT64, &u, NULL))
    *full_from = (gint64)u;
  else
    return FALSE;
  *epoch = g_strdup (parts[1]);
  return TRUE;
}

/** tsu_sync_node_to_string: Returns: (transfer full): compact JSON text */
char *
tsu_sync_node_to_string (JsonNode *node)
{
  return json_to_string (node, FALSE);
}

/** tsu_sync_object_to_string: Returns: (transfer full): compact JSON text */
char *
tsu_sync_object_to_string (JsonObject *object)
{
  g_autoptr (JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_set_object (node, object);
  return json_to_string (node, FALSE);
}
