/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-org-db.h"
#include "tsu-storage.h"
#include "tsu-sync-codec.h"
#include "tsu-uuid.h"

/* The protocol's side of an organisation's database: merges, guards,
 * erasure, cursors. The rows live behind a TsuOrgStoreOps backend. */
struct _TsuOrgDb
{
  const TsuOrgStoreOps *ops;
  gpointer              store;
  gboolean              erased; /* the push in progress erased a record */
};

/* Short names for the backend's calls in the code below. */
#define S(fn, ...) (self->ops->fn (self->store, ##__VA_ARGS__))

static char *
meta_get (TsuOrgDb *self, const char *key)
{
  return S (meta_get, key);
}

static gint64
meta_get_int (TsuOrgDb *self, const char *key)
{
  g_autofree char *v = meta_get (self, key);

  return v ? g_ascii_strtoll (v, NULL, 10) : 0;
}

static gboolean
meta_set (TsuOrgDb *self, const char *key, const char *value)
{
  return S (meta_set, key, value);
}

static char *
random_epoch (void)
{
  g_autofree char *u = tsu_uuid7_new ();

  /* The cursor splits on ':'; a UUID has none. */
  return g_steal_pointer (&u);
}

static void
set_store_error (TsuOrgDb *self, GError **error)
{
  g_set_error_literal (error, G_IO_ERROR,
                       S (unavailable) ? G_IO_ERROR_NOT_CONNECTED : G_IO_ERROR_FAILED,
                       S (unavailable) ? "the database is out of reach" : "database failure");
}

void
tsu_stored_record_clear (TsuStoredRecord *r)
{
  g_clear_pointer (&r->created_at, g_free);
  g_clear_pointer (&r->data, g_free);
}

/**
 * tsu_org_db_new: (skip)
 * @store: (transfer full): the backend's store for one organisation
 */
TsuOrgDb *
tsu_org_db_new (const TsuOrgStoreOps *ops, gpointer store)
{
  TsuOrgDb *self = g_new0 (TsuOrgDb, 1);

  self->ops = ops;
  self->store = store;
  return self;
}

/**
 * tsu_org_db_open:
 * @path: the organisation's SQLite file, or ":memory:" (fuzzing, tests)
 *
 * Opens (creating when needed) with synchronous=FULL: a commit is on disk
 * before the push that made it is answered.
 */
TsuOrgDb *
tsu_org_db_open (const char *path, GError **error)
{
  gpointer store = tsu_sqlite_org_store_open (path, error);

  return store ? tsu_org_db_new (&tsu_sqlite_org_store_ops, store) : NULL;
}

/** tsu_org_db_free: closes the database */
void
tsu_org_db_free (TsuOrgDb *self)
{
  if (self == NULL)
    return;
  self->ops->free (self->store);
  g_free (self);
}

/** tsu_org_db_get_epoch: Returns: (transfer full) (nullable): the current epoch */
char *
tsu_org_db_get_epoch (TsuOrgDb *self)
{
  return meta_get (self, "epoch");
}

/**
 * tsu_org_db_new_epoch:
 *
 * Starts a new epoch: every cursor handed out before answers 410
 * resync_required. Run it after restoring a backup.
 */
gboolean
tsu_org_db_new_epoch (TsuOrgDb *self, GError **error)
{
  g_autofree char *epoch = random_epoch ();

  if (!S (begin_write))
    {
      set_store_error (self, error);
      return FALSE;
    }
  if (!meta_set (self, "epoch", epoch) || !S (commit))
    {
      set_store_error (self, error);
      S (rollback);
      return FALSE;
    }
  return TRUE;
}

/** tsu_org_db_device_last_seq: Returns: the last mutation seq taken from @device_id */
gint64
tsu_org_db_device_last_seq (TsuOrgDb *self, const char *device_id)
{
  return S (device_last_seq, device_id);
}

/**
 * tsu_org_db_set_device_start:
 * @last_seq: the seq the new device's mutations continue after
 *
 * A desk enrolled again keeps numbering its mutations where it was: those
 * the server already has (under the device's former id) are not sent again.
 */
gboolean
tsu_org_db_set_device_start (TsuOrgDb *self, const char *device_id, gint64 last_seq)
{
  if (!S (begin_write))
    return FALSE;
  if (!S (set_device_last_seq, device_id, last_seq) || !S (commit))
    {
      S (rollback);
      return FALSE;
    }
  return TRUE;
}

/**
 * tsu_org_db_purge:
 * @older_than_days: tombstones and resolved conflicts last changed before
 *   this many days ago go (0: all of them)
 *
 * Drops old tombstones (their versions stay in the history) and moves the
 * horizon: a cursor from before it answers 410 resync_required.
 *
 * Returns: the number of rows dropped, or -1
 */
gint64
tsu_org_db_purge (TsuOrgDb *self, guint older_than_days, GError **error)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) limit = g_date_time_add_days (now, -(gint)older_than_days);
  g_autofree char *before = g_date_time_format_iso8601 (limit);
  gint64           horizon, max_seq = -1, n;
  char             buf[32];

  if (!S (begin_write))
    {
      set_store_error (self, error);
      return -1;
    }
  horizon = meta_get_int (self, "horizon");
  n = S (purge, before, &max_seq);
  horizon = MAX (horizon, max_seq);
  g_snprintf (buf, sizeof buf, "%" G_GINT64_FORMAT, horizon);
  if (n < 0 || !meta_set (self, "horizon", buf) || !S (commit))
    {
      set_store_error (self, error);
      S (rollback);
      return -1;
    }
  return n;
}

/**
 * tsu_error_body:
 *
 * Returns: (transfer full): {"error": code, "message": message}
 */
JsonObject *
tsu_error_body (const char *code, const char *message)
{
  JsonObject *o = json_object_new ();

  json_object_set_string_member (o, "error", code);
  json_object_set_string_member (o, "message", message ? message : code);
  return o;
}

/* ---- records ---- */

typedef struct
{
  gboolean    exists;
  gint64      rev;
  gboolean    deleted;
  gboolean    erased;
  char       *created_at;
  JsonObject *data;
} Current;

static void
current_clear (Current *c)
{
  g_clear_pointer (&c->created_at, g_free);
  g_clear_pointer (&c->data, json_object_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Current, current_clear)

static JsonObject *
parse_object (const char *text)
{
  g_autoptr (JsonNode) node = text ? json_from_string (text, NULL) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return json_object_new ();
  return json_object_ref (json_node_get_object (node));
}

static void
load_current (TsuOrgDb *self, const char *collection, const char *id, Current *out)
{
  g_auto (TsuStoredRecord) r = { 0 };

  memset (out, 0, sizeof *out);
  S (load_record, collection, id, &r);
  if (r.exists)
    {
      out->exists = TRUE;
      out->rev = r.rev;
      out->deleted = r.deleted;
      out->created_at = g_steal_pointer (&r.created_at);
      out->data = parse_object (r.data);
      out->erased = r.erased;
    }
}

/* The version the desk edited from, when the server still has it. */
static JsonObject *
load_version (TsuOrgDb *self, const char *collection, const char *id, gint64 seq)
{
  g_autofree char *text = S (load_version, collection, id, seq);

  return text ? parse_object (text) : NULL;
}

static gint64
next_seq (TsuOrgDb *self)
{
  return S (next_seq);
}

static char *
now_text (void)
{
  return tsu_timestamp_now ();
}

/* Writes a new version of a record; returns its rev (the change seq). */
static gint64
write_version (TsuOrgDb            *self,
               const TsuCollection *c,
               const char          *id,
               const char          *created_at,
               JsonObject          *data,
               gboolean             deleted,
               const char          *device_id,
               gint64               mutation_seq)
{
  g_autofree char *text = tsu_sync_object_to_string (data);
  g_autofree char *now = now_text ();
  gint64           seq = next_seq (self);

  if (seq < 0
      || !S (write_version, c->name, id, seq, deleted, created_at ? created_at : now, now, text,
             device_id, mutation_seq))
    return -1;
  return seq;
}

static char *
write_conflict (TsuOrgDb   *self,
                const char *collection,
                const char *record_id,
                const char *type,
                JsonObject *fields,
                const char *device_id,
                gint64      mutation_seq)
{
  g_autofree char *id = tsu_uuid7_new ();
  g_autofree char *text = tsu_sync_object_to_string (fields);
  g_autofree char *now = now_text ();
  gint64           seq = next_seq (self);

  if (seq < 0
      || !S (write_conflict, id, seq, collection, record_id, type, text, device_id, mutation_seq,
             now))
    return NULL;
  return g_steal_pointer (&id);
}

/* ---- the collections' rules (guards), as the desk runs them ---- */

static JsonObject *
row_with_id (const char *id, gboolean deleted, JsonObject *data)
{
  JsonObject    *row = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (row, name, json_node_copy (value));
  json_object_set_string_member (row, "id", id);
  json_object_set_boolean_member (row, "deleted", deleted);
  return row;
}

static GPtrArray *
rule_find (TsuRuleContext *ctx,
           const char     *collection,
           const char     *field,
           const char     *value,
           const char     *start_field,
           const char     *end_field,
           const char     *from,
           const char     *to,
           GError        **error)
{
  TsuOrgDb            *self = ctx->user_data;
  const TsuCollection *c = tsu_collection_lookup (collection);
  g_autoptr (GPtrArray) found = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);

  /* Names come from the descriptors (identifiers), never from a push. */
  g_return_val_if_fail (c != NULL && tsu_collection_lookup_field (c, field) != NULL, NULL);
  if (c->lookup_keys == NULL || !g_strv_contains (c->lookup_keys, field))
    g_warning ("%s.%s is looked up by a rule but is not a lookup key: no index", c->name, field);

  found = S (find, c->name, field, value, start_field, end_field, from, to, error);
  if (found == NULL)
    return NULL;
  for (guint i = 0; i + 1 < found->len; i += 2)
    {
      g_autoptr (JsonObject) data = parse_object (found->pdata[i + 1]);

      g_ptr_array_add (rows, row_with_id (found->pdata[i], FALSE, data));
    }
  return g_steal_pointer (&rows);
}

static JsonObject *
rule_get (TsuRuleContext *ctx, const char *collection, const char *id, GError **error)
{
  g_auto (Current) cur = { 0 };

  if (id == NULL || tsu_collection_lookup (collection) == NULL)
    return NULL;
  load_current (ctx->user_data, collection, id, &cur);
  return cur.exists ? row_with_id (id, cur.deleted, cur.data) : NULL;
}

/* Runs the collection's guard on the row a mutation would write (@old: the
 * live row it replaces, or NULL for a new or restored record). Returns the
 * rejection reason, or NULL; *@other_id names the record it clashes with.
 * A failed lookup refuses too ("rule_failed"): no write without its check. */
static const char *
check_rules (TsuOrgDb            *self,
             const TsuCollection *c,
             const char          *id,
             JsonObject          *row,
             JsonObject          *old,
             gboolean             deleted,
             char               **other_id)
{
  TsuRuleContext ctx = { rule_find, rule_get, self };
  TsuRuleRefusal refusal = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonObject) full = NULL;
  g_autoptr (JsonObject) full_old = NULL;
  const char *reason;

  *other_id = NULL;
  if (deleted || c->guard == NULL)
    return NULL;
  full = row_with_id (id, FALSE, row);
  if (old != NULL)
    full_old = row_with_id (id, FALSE, old);
  if (c->guard (&ctx, id, full, full_old, &refusal, &error))
    return NULL;
  if (error != NULL)
    {
      g_warning ("rule of %s failed: %s", c->name, error->message);
      reason = "rule_failed";
    }
  else
    reason = g_intern_string (refusal.reason ? refusal.reason : "rule_violation");
  *other_id = g_steal_pointer (&refusal.other_id);
  tsu_rule_refusal_clear (&refusal);
  return reason;
}

/* Whether an update empties a field every record must have. */
static gboolean
required_emptied (const TsuCollection *c, JsonObject *apply, char **field)
{
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, apply);
  while (json_object_iter_next (&iter, &name, &value))
    {
      const TsuFieldDef *f = tsu_collection_lookup_field (c, name);

      if (f && (f->flags & TSU_FIELD_REQUIRED) && tsu_field_value_is_empty (value))
        {
          *field = g_strdup (name);
          return TRUE;
        }
    }
  return FALSE;
}

static JsonObject *
result_new (gint64 seq, const char *status)
{
  JsonObject *r = json_object_new ();

  json_object_set_int_member (r, "seq", seq);
  json_object_set_string_member (r, "status", status);
  return r;
}

static JsonObject *
rejected (gint64 seq, const char *reason, const char *field)
{
  JsonObject *r = result_new (seq, "rejected");

  json_object_set_string_member (r, "reason", reason);
  if (field != NULL)
    json_object_set_string_member (r, "field", field);
  return r;
}

/* A rule's refusal: the reason and the record the write clashes with
 * (@other_id: transfer full, may be NULL). */
static JsonObject *
refused (gint64 seq, const char *reason, char *other_id)
{
  JsonObject *r = rejected (seq, reason, NULL);

  if (other_id != NULL)
    json_object_set_string_member (r, "other_id", other_id);
  g_free (other_id);
  return r;
}

static JsonObject *
overlay (JsonObject *base, JsonObject *fields)
{
  JsonObject    *row = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  if (base != NULL)
    {
      json_object_iter_init (&iter, base);
      while (json_object_iter_next (&iter, &name, &value))
        json_object_set_member (row, name, json_node_copy (value));
    }
  json_object_iter_init (&iter, fields);
  while (json_object_iter_next (&iter, &name, &value))
    json_object_set_member (row, name, json_node_copy (value));
  return row;
}

/* Fields whose current value differs from @base (what a delete would hide). */
static JsonObject *
edits_since (JsonObject *current, JsonObject *base)
{
  JsonObject    *out = json_object_new ();
  JsonObjectIter iter;
  const char    *name;
  JsonNode      *value;

  json_object_iter_init (&iter, current);
  while (json_object_iter_next (&iter, &name, &value))
    {
      JsonNode *was = base ? json_object_get_member (base, name) : NULL;

      if (!tsu_sync_values_equal (value, was))
        {
          JsonObject *c = json_object_new ();

          json_object_set_member (c, "edit", json_node_copy (value));
          json_object_set_member (c, "base",
                                  was ? json_node_copy (was) : json_node_new (JSON_NODE_NULL));
          json_object_set_object_member (out, name, c);
        }
    }
  return out;
}

/* Erasure on request: a deleted version without the erased values (the
 * same rule as the desk's, tsu_collection_erase_values()), every earlier
 * version and conflict of the record rewritten without them, and the
 * record marked erased so that pulls tell the other desks. */
static gint64
erase_record (TsuOrgDb            *self,
              const TsuCollection *c,
              const char          *id,
              Current             *cur,
              const char          *device_id,
              gint64               mutation_seq)
{
  g_autoptr (JsonObject) data = json_object_ref (cur->data);
  g_autoptr (GArray) seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  gint64 rev;

  tsu_collection_erase_values (c, data, FALSE);
  {
    g_autoptr (GPtrArray) stored = S (versions, c->name, id, seqs);

    for (guint i = 0; i < stored->len; i++)
      {
        g_autoptr (JsonObject) v = parse_object (stored->pdata[i]);

        tsu_collection_erase_values (c, v, FALSE);
        g_ptr_array_add (texts, tsu_sync_object_to_string (v));
      }
  }
  for (guint i = 0; i < seqs->len; i++)
    if (!S (set_version_data, g_array_index (seqs, gint64, i), g_ptr_array_index (texts, i)))
      return -1;
  /* A conflict holds values the desks typed: it goes with them. */
  if (!S (drop_conflicts, c->name, id))
    return -1;
  rev = write_version (self, c, id, cur->created_at, data, TRUE, device_id, mutation_seq);
  if (rev < 0)
    return -1;
  self->erased = TRUE;
  if (!S (mark_erased, c->name, id))
    return -1;
  return rev;
}

/* Applies one new mutation inside the push transaction. Returns its result
 * object, or NULL on a database failure (the whole push rolls back). */
static JsonObject *
apply_mutation (TsuOrgDb *self, const char *device_id, const TsuSyncMutation *m)
{
  g_autofree char     *detail = NULL;
  const char          *reason = tsu_sync_mutation_check (m, &detail);
  const TsuCollection *c;
  g_auto (Current) cur = { 0 };
  g_autoptr (JsonObject) result = NULL;
  char  *other_id = NULL;
  gint64 rev;

  if (reason != NULL)
    return rejected (m->seq, reason, detail);
  c = tsu_collection_lookup (m->collection);
  load_current (self, c->name, m->id, &cur);

  if (!cur.exists && m->op != TSU_SYNC_OP_INSERT)
    return rejected (m->seq, "not_found", NULL);
  /* A person erased on request stays erased: an offline desk's edit or
   * restore would bring their values back (and a conflict record would
   * keep them). */
  if (cur.erased && m->op != TSU_SYNC_OP_ERASE)
    return rejected (m->seq, "erased", NULL);
  if (cur.exists && m->base_rev > cur.rev)
    return rejected (m->seq, "bad_base_rev", NULL);

  switch (m->op)
    {
    case TSU_SYNC_OP_INSERT:
      {
        g_autoptr (JsonObject) fields = NULL;
        g_autoptr (JsonObject) row = NULL;

        if (cur.exists)
          return rejected (m->seq, "exists", NULL);
        fields = tsu_sync_synced_fields (c, NULL);
        row = overlay (fields, m->fields);
        {
          /* The desk's own rules over the whole record (a name, counts
           * that agree): the same core check the desk's write path runs. */
          g_autofree char *field = NULL;

          if (!tsu_collection_check_row (c, row, &field, NULL))
            return rejected (m->seq, "invalid_value", field);
        }
        if ((reason = check_rules (self, c, m->id, row, NULL, FALSE, &other_id)) != NULL)
          return refused (m->seq, reason, other_id);
        if ((rev = write_version (self, c, m->id, NULL, row, FALSE, device_id, m->seq)) < 0)
          return NULL;
        result = result_new (m->seq, "applied");
        json_object_set_int_member (result, "rev", rev);
        return g_steal_pointer (&result);
      }

    case TSU_SYNC_OP_UPDATE:
      {
        g_autoptr (JsonObject) base = NULL;
        g_autoptr (JsonObject) apply = json_object_new ();
        g_autoptr (JsonObject) conflicts = json_object_new ();
        gboolean         at_head = m->base_rev == cur.rev;
        g_autofree char *conflict_id = NULL;

        if (cur.deleted)
          {
            /* Edit against delete: the delete stands, the edit is kept in a
             * conflict record from which staff can restore it. */
            JsonObject *edits = json_object_new ();
            g_autoptr (JsonObject) holder = edits;
            JsonObjectIter iter;
            const char    *name;
            JsonNode      *value;

            json_object_iter_init (&iter, m->fields);
            while (json_object_iter_next (&iter, &name, &value))
              {
                JsonObject *e = json_object_new ();
                JsonNode   *was = json_object_get_member (m->old, name);

                json_object_set_member (e, "edit", json_node_copy (value));
                json_object_set_member (
                    e, "base", was ? json_node_copy (was) : json_node_new (JSON_NODE_NULL));
                json_object_set_object_member (edits, name, e);
              }
            conflict_id
                = write_conflict (self, c->name, m->id, "deleted", edits, device_id, m->seq);
            if (conflict_id == NULL)
              return NULL;
            result = result_new (m->seq, "conflict");
            json_object_set_string_member (result, "conflict_id", conflict_id);
            json_object_set_int_member (result, "rev", cur.rev);
            json_object_set_boolean_member (result, "deleted", TRUE);
            return g_steal_pointer (&result);
          }

        if (!at_head)
          base = load_version (self, c->name, m->id, m->base_rev);
        tsu_sync_merge_fields (cur.data, base ? base : m->old, m->fields, at_head, apply,
                               conflicts);
        rev = cur.rev;
        if (json_object_get_size (apply) > 0)
          {
            g_autoptr (JsonObject) row = overlay (cur.data, apply);
            g_autofree char *field = NULL;

            if (required_emptied (c, apply, &field))
              return rejected (m->seq, "invalid_value", field);
            if ((reason = check_rules (self, c, m->id, row, cur.data, FALSE, &other_id)) != NULL)
              return refused (m->seq, reason, other_id);
            if ((rev
                 = write_version (self, c, m->id, cur.created_at, row, FALSE, device_id, m->seq))
                < 0)
              return NULL;
          }
        if (json_object_get_size (conflicts) > 0)
          {
            conflict_id
                = write_conflict (self, c->name, m->id, "field", conflicts, device_id, m->seq);
            if (conflict_id == NULL)
              return NULL;
            result = result_new (m->seq, "conflict");
            json_object_set_string_member (result, "conflict_id", conflict_id);
          }
        else
          result = result_new (m->seq, at_head ? "applied" : "merged");
        json_object_set_int_member (result, "rev", rev);
        return g_steal_pointer (&result);
      }

    case TSU_SYNC_OP_DELETE:
      {
        g_autoptr (JsonObject) base = NULL;
        g_autoptr (JsonObject) edits = NULL;

        if (cur.deleted)
          {
            result = result_new (m->seq, m->base_rev == cur.rev ? "applied" : "merged");
            json_object_set_int_member (result, "rev", cur.rev);
            return g_steal_pointer (&result);
          }
        if (m->base_rev != cur.rev)
          {
            base = load_version (self, c->name, m->id, m->base_rev);
            edits = edits_since (cur.data, base ? base : m->old);
          }
        if ((rev
             = write_version (self, c, m->id, cur.created_at, cur.data, TRUE, device_id, m->seq))
            < 0)
          return NULL;
        if (edits != NULL && json_object_get_size (edits) > 0)
          {
            g_autofree char *conflict_id
                = write_conflict (self, c->name, m->id, "deleted", edits, device_id, m->seq);

            if (conflict_id == NULL)
              return NULL;
            result = result_new (m->seq, "conflict");
            json_object_set_string_member (result, "conflict_id", conflict_id);
          }
        else
          result = result_new (m->seq, m->base_rev == cur.rev ? "applied" : "merged");
        json_object_set_int_member (result, "rev", rev);
        return g_steal_pointer (&result);
      }

    case TSU_SYNC_OP_UNDELETE:
      if (!cur.deleted)
        {
          result = result_new (m->seq, m->base_rev == cur.rev ? "applied" : "merged");
          json_object_set_int_member (result, "rev", cur.rev);
          return g_steal_pointer (&result);
        }
      /* Restored: judged as a new record (a number may be taken since). */
      if ((reason = check_rules (self, c, m->id, cur.data, NULL, FALSE, &other_id)) != NULL)
        return refused (m->seq, reason, other_id);
      if ((rev = write_version (self, c, m->id, cur.created_at, cur.data, FALSE, device_id, m->seq))
          < 0)
        return NULL;
      result = result_new (m->seq, m->base_rev == cur.rev ? "applied" : "merged");
      json_object_set_int_member (result, "rev", rev);
      return g_steal_pointer (&result);

    case TSU_SYNC_OP_ERASE:
      /* Never refused by a rule; a second erasure changes nothing. */
      if (cur.erased)
        {
          result = result_new (m->seq, "applied");
          json_object_set_int_member (result, "rev", cur.rev);
          return g_steal_pointer (&result);
        }
      if ((rev = erase_record (self, c, m->id, &cur, device_id, m->seq)) < 0)
        return NULL;
      result = result_new (m->seq, "applied");
      json_object_set_int_member (result, "rev", rev);
      return g_steal_pointer (&result);

    case TSU_SYNC_OP_INVALID:
    default:
      return rejected (m->seq, "unknown_op", NULL);
    }
}

static JsonObject *
stored_result (TsuOrgDb *self, const char *device_id, gint64 seq)
{
  g_autofree char *text = S (result_get, device_id, seq);
  JsonObject      *r;

  if (text != NULL)
    {
      JsonObject *orig = parse_object (text);
      const char *status = json_object_get_string_member_with_default (orig, "status", "applied");

      json_object_set_string_member (orig, "original_status", status);
      json_object_set_string_member (orig, "status", "duplicate");
      return orig;
    }
  /* A seq this device used before the server kept results. */
  r = result_new (seq, "duplicate");
  json_object_set_string_member (r, "original_status", "unknown");
  return r;
}

static gboolean
store_result (TsuOrgDb *self, const char *device_id, JsonObject *result)
{
  g_autofree char *text = tsu_sync_object_to_string (result);

  return S (result_put, device_id, json_object_get_int_member (result, "seq"), text);
}

static guint
push_in_transaction (TsuOrgDb    *self,
                     const char  *device_id,
                     JsonArray   *mutations,
                     JsonObject **response)
{
  g_autoptr (JsonArray) results = json_array_new ();
  g_autofree char *epoch = NULL;
  gint64           last_seq = tsu_org_db_device_last_seq (self, device_id);
  gint64           expect = last_seq + 1;
  guint            n = json_array_get_length (mutations);

  /* The gap check comes first: nothing of a gapped batch is applied. */
  for (guint i = 0; i < n; i++)
    {
      TsuSyncMutation m;

      tsu_sync_mutation_parse (json_array_get_element (mutations, i), &m, NULL);
      if (m.seq <= last_seq)
        continue;
      if (m.seq != expect)
        {
          JsonObject *body = tsu_error_body ("seq_gap", "mutations must continue at expected_seq");

          json_object_set_int_member (body, "expected_seq", last_seq + 1);
          *response = body;
          return 409;
        }
      expect++;
    }

  for (guint i = 0; i < n; i++)
    {
      TsuSyncMutation m;
      JsonObject     *r;

      tsu_sync_mutation_parse (json_array_get_element (mutations, i), &m, NULL);
      if (m.seq <= last_seq)
        r = stored_result (self, device_id, m.seq);
      else
        {
          if (!S (savepoint))
            return 500;
          r = apply_mutation (self, device_id, &m);
          if (r == NULL)
            return 500;
          /* A rejection leaves no partial writes behind (rules are checked
           * after a merge may have run). */
          if (g_str_equal (json_object_get_string_member (r, "status"), "rejected"))
            S (rollback_savepoint);
          S (release_savepoint);
          if (!store_result (self, device_id, r))
            {
              json_object_unref (r);
              return 500;
            }
          last_seq = m.seq;
        }
      json_array_add_object_element (results, r);
    }

  if (!S (set_device_last_seq, device_id, last_seq))
    return 500;

  epoch = meta_get (self, "epoch");
  *response = json_object_new ();
  json_object_set_array_member (*response, "results", g_steal_pointer (&results));
  json_object_set_int_member (*response, "last_seq", last_seq);
  json_object_set_string_member (*response, "epoch", epoch);
  json_object_set_int_member (*response, "change_seq", meta_get_int (self, "change_seq"));
  return 200;
}

/* The database is busy or out of reach: the client tries again later
 * (the server adds Retry-After to every 503). */
static guint
unavailable (TsuOrgDb *self, JsonObject **response)
{
  *response = tsu_error_body ("unavailable", S (unavailable) ? "the database is out of reach"
                                                             : "the database is busy");
  return 503;
}

static guint
bad_request (GError *error, JsonObject **response)
{
  const char *code = tsu_json_check_error_code (error);

  *response = tsu_error_body (code, error->message);
  return g_str_equal (code, "too_large") ? 413 : 400;
}

/**
 * tsu_org_db_push_body:
 * @body: the raw request body (checked here before any parsing)
 *
 * Checks, parses and applies a push in one transaction that is on disk
 * before this returns.
 */
guint
tsu_org_db_push_body (
    TsuOrgDb *self, const char *device_id, const char *body, gsize length, JsonObject **response)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (JsonArray) mutations = NULL;
  guint status;

  *response = NULL;
  root = tsu_json_parse_checked (body, length, tsu_sync_request_limits (), &error);
  if (root == NULL)
    return bad_request (error, response);
  mutations = tsu_sync_push_parse (root, &error);
  if (mutations == NULL)
    return bad_request (error, response);

  if (!S (begin_write))
    return unavailable (self, response);
  self->erased = FALSE;
  status = push_in_transaction (self, device_id, mutations, response);
  if (status == 200 && !S (commit))
    status = 500;
  if (status != 200)
    S (rollback);
  else if (self->erased)
    S (after_erase);
  if (status == 500 && S (unavailable))
    {
      g_clear_pointer (response, json_object_unref);
      return unavailable (self, response);
    }
  if (status == 500)
    {
      g_clear_pointer (response, json_object_unref);
      *response = tsu_error_body ("internal", "the push could not be stored");
    }
  return status;
}

/* ---- pull ---- */

static void
append_json_string (GString *out, const char *s)
{
  g_autoptr (JsonNode) n = json_node_new (JSON_NODE_VALUE);
  g_autofree char *text = NULL;

  json_node_set_string (n, s ? s : "");
  text = json_to_string (n, FALSE);
  g_string_append (out, text);
}

/**
 * tsu_org_db_pull:
 * @cursor: (nullable): from the previous page; %NULL starts a first sync
 *
 * One page of changes in change-seq order. The rows' data is stored as
 * JSON the server wrote itself, so it is copied into the page verbatim.
 */
guint
tsu_org_db_pull (TsuOrgDb *self, const char *cursor, guint limit, GString **response)
{
  return tsu_org_db_pull_bounded (self, cursor, limit, G_MAXSIZE, response);
}

/**
 * tsu_org_db_pull_bounded:
 * @max_bytes: give up once the page passes this size
 *
 * tsu_org_db_pull() for a server short of memory: a page that would be
 * larger than @max_bytes is not built to its end; that answers 503 and
 * leaves *@response %NULL.
 */
typedef struct
{
  GString *out;
  gsize    max_bytes;
  guint    limit;
  guint    count;
  gint64   last;
  gboolean has_more;
  gboolean too_big;
} PullPage;

static gboolean
pull_row (const TsuPullRow *row, gpointer user_data)
{
  PullPage *p = user_data;
  GString  *out = p->out;

  if (p->count == p->limit || out->len > TSU_SYNC_MAX_PAGE_BYTES)
    {
      p->has_more = TRUE;
      return FALSE;
    }
  if (out->len > p->max_bytes)
    {
      p->too_big = TRUE;
      return FALSE;
    }
  if (p->count > 0)
    g_string_append_c (out, ',');
  if (!row->conflict)
    {
      g_string_append_printf (
          out,
          "{\"kind\":\"record\",\"seq\":%" G_GINT64_FORMAT ",\"collection\":\"%s\",\"id\":\"%s\","
          "\"rev\":%" G_GINT64_FORMAT
          ",\"deleted\":%s,%s\"created_at\":\"%s\",\"updated_at\":\"%s\","
          "\"fields\":%s}",
          row->seq, row->collection, row->id, row->seq, row->deleted ? "true" : "false",
          row->erased ? "\"erased\":true," : "", row->created_at, row->updated_at, row->data);
    }
  else
    {
      g_string_append_printf (
          out,
          "{\"kind\":\"conflict\",\"seq\":%" G_GINT64_FORMAT ",\"id\":\"%s\",\"collection\":\"%s\","
          "\"record_id\":\"%s\",\"type\":\"%s\",\"device_id\":\"%s\",\"mutation_seq\":"
          "%" G_GINT64_FORMAT ","
          "\"created_at\":\"%s\",\"resolved\":%s,\"fields\":%s,\"resolution\":",
          row->seq, row->id, row->collection, row->record_id, row->type, row->device_id,
          row->mutation_seq, row->created_at, row->resolution ? "true" : "false", row->data);
      if (row->resolution)
        append_json_string (out, row->resolution);
      else
        g_string_append (out, "null");
      g_string_append_c (out, '}');
    }
  p->last = row->seq;
  p->count++;
  return TRUE;
}

guint
tsu_org_db_pull_bounded (
    TsuOrgDb *self, const char *cursor, guint limit, gsize max_bytes, GString **response)
{
  g_autofree char *epoch = NULL;
  g_autofree char *cursor_epoch = NULL;
  g_autofree char *next = NULL;
  g_autoptr (GString) out = NULL;
  gint64   seq = 0, full_from = -1, change_seq, horizon;
  PullPage page = { 0 };

  *response = NULL;
  if (limit == 0 || limit > TSU_SYNC_MAX_PAGE)
    limit = TSU_SYNC_DEFAULT_PAGE;

  /* One read transaction: the page and the seq it ends at agree. */
  if (!S (begin_read))
    return 503;
  epoch = meta_get (self, "epoch");
  change_seq = meta_get_int (self, "change_seq");
  horizon = meta_get_int (self, "horizon");
  if (epoch == NULL)
    {
      S (rollback);
      return S (unavailable) ? 503 : 500;
    }

  if (cursor == NULL || *cursor == '\0')
    full_from = change_seq;
  else
    {
      const char *why = NULL;
      gint64      needed;

      if (!tsu_sync_cursor_decode (cursor, &cursor_epoch, &seq, &full_from))
        {
          S (rollback);
          out = g_string_new (
              "{\"error\":\"bad_cursor\",\"message\":\"the cursor is not one of this server's\"}");
          *response = g_steal_pointer (&out);
          return 400;
        }
      needed = full_from >= 0 ? MAX (seq, full_from) : seq;
      if (!g_str_equal (cursor_epoch, epoch))
        why = "new_epoch";
      else if (seq > change_seq || full_from > change_seq)
        why = "cursor_ahead";
      else if (needed < horizon)
        why = "cursor_expired";
      if (why != NULL)
        {
          S (rollback);
          out = g_string_new (NULL);
          g_string_printf (out,
                           "{\"error\":\"resync_required\",\"reason\":\"%s\","
                           "\"message\":\"pull again without a cursor and push the outbox again\","
                           "\"epoch\":\"%s\"}",
                           why, epoch);
          *response = g_steal_pointer (&out);
          return 410;
        }
    }

  out = g_string_sized_new (4096);
  g_string_append (out, "{\"changes\":[");
  page.out = out;
  page.max_bytes = max_bytes;
  page.limit = limit;
  page.last = -1;
  if (!S (pull, seq, full_from, limit + 1, pull_row, &page))
    {
      S (rollback);
      return S (unavailable) ? 503 : 500;
    }
  if (page.too_big)
    {
      S (rollback);
      return 503;
    }
  S (commit);

  /* At the end of the changes the cursor moves to the snapshot's seq: every
   * change up to it was either sent or not needed (tombstones older than a
   * first sync). */
  if (!page.has_more)
    next = tsu_sync_cursor_encode (epoch, MAX (MAX (page.last, seq), change_seq), -1);
  else
    next = tsu_sync_cursor_encode (epoch, page.last, full_from);
  g_string_append_printf (out,
                          "],\"next_cursor\":\"%s\",\"has_more\":%s,\"epoch\":\"%s\","
                          "\"change_seq\":%" G_GINT64_FORMAT "}",
                          next, page.has_more ? "true" : "false", epoch, change_seq);
  *response = g_steal_pointer (&out);
  return 200;
}

/* ---- conflict resolution ---- */

static guint
resolve_in_transaction (TsuOrgDb    *self,
                        const char  *device_id,
                        const char  *conflict_id,
                        const char  *choice,
                        JsonObject **response)
{
  g_autofree char *collection = NULL, *record_id = NULL, *type = NULL, *fields_text = NULL;
  g_autofree char *resolution = NULL;
  g_autoptr (JsonObject) fields = NULL;
  g_autofree char     *now = now_text ();
  const TsuCollection *c;
  gint64               seq, rev = -1;
  int                  found;

  found = S (conflict_get, conflict_id, &collection, &record_id, &type, &fields_text, &resolution);
  if (found < 0)
    return 500;
  if (found == 0)
    {
      *response = tsu_error_body ("not_found", "no such conflict");
      return 404;
    }
  fields = parse_object (fields_text);
  if (resolution != NULL)
    {
      *response = json_object_new ();
      json_object_set_string_member (*response, "id", conflict_id);
      json_object_set_string_member (*response, "resolution", resolution);
      json_object_set_boolean_member (*response, "already_resolved", TRUE);
      return 200;
    }
  c = tsu_collection_lookup (collection);
  if (c == NULL)
    return 500;

  if (g_str_equal (choice, "take"))
    {
      g_auto (Current) cur = { 0 };
      g_autoptr (JsonObject) values = json_object_new ();
      g_autoptr (JsonObject) row = NULL;
      const char    *pick = g_str_equal (type, "field") ? "other" : "edit";
      char          *other_id = NULL;
      JsonObjectIter iter;
      const char    *name;
      JsonNode      *value;
      const char    *reason;

      load_current (self, collection, record_id, &cur);
      if (!cur.exists)
        {
          *response = tsu_error_body ("not_found", "the record is gone");
          return 404;
        }
      json_object_iter_init (&iter, fields);
      while (json_object_iter_next (&iter, &name, &value))
        if (JSON_NODE_HOLDS_OBJECT (value)
            && json_object_has_member (json_node_get_object (value), pick))
          json_object_set_member (
              values, name,
              json_node_copy (json_object_get_member (json_node_get_object (value), pick)));
      row = overlay (cur.data, values);
      if ((reason = check_rules (self, c, record_id, row, cur.deleted ? NULL : cur.data,
                                 g_str_equal (type, "deleted") ? FALSE : cur.deleted, &other_id))
          != NULL)
        {
          *response = tsu_error_body ("rule_violation", reason);
          json_object_set_string_member (*response, "reason", reason);
          if (other_id != NULL)
            json_object_set_string_member (*response, "other_id", other_id);
          g_free (other_id);
          return 409;
        }
      /* Taking an edit of a deleted record restores it; taking a field
       * value leaves a record deleted since as it is. */
      rev = write_version (self, c, record_id, cur.created_at, row,
                           g_str_equal (type, "deleted") ? FALSE : cur.deleted, device_id, 0);
      if (rev < 0)
        return 500;
    }

  seq = next_seq (self);
  if (seq < 0 || !S (conflict_resolve, conflict_id, seq, choice, device_id, now))
    return 500;
  *response = json_object_new ();
  json_object_set_string_member (*response, "id", conflict_id);
  json_object_set_string_member (*response, "resolution", choice);
  json_object_set_int_member (*response, "seq", seq);
  if (rev >= 0)
    json_object_set_int_member (*response, "rev", rev);
  return 200;
}

/**
 * tsu_org_db_resolve_body:
 * @body: {"id": conflict id, "choice": "keep" | "take"}
 *
 * Resolves a conflict record: "keep" leaves the record as it is, "take"
 * writes the other desk's values (restoring a deleted record). The
 * resolution syncs to every desk, which then drop the conflict.
 */
guint
tsu_org_db_resolve_body (
    TsuOrgDb *self, const char *device_id, const char *body, gsize length, JsonObject **response)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *o;
  const char *id, *choice;
  guint       status;

  *response = NULL;
  root = tsu_json_parse_checked (body, length, tsu_sync_request_limits (), &error);
  if (root == NULL)
    return bad_request (error, response);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      *response = tsu_error_body ("bad_request", "the body is not an object");
      return 400;
    }
  o = json_node_get_object (root);
  id = json_object_has_member (o, "id") && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "id"))
           ? json_object_get_string_member (o, "id")
           : NULL;
  choice = json_object_has_member (o, "choice")
                   && JSON_NODE_HOLDS_VALUE (json_object_get_member (o, "choice"))
               ? json_object_get_string_member (o, "choice")
               : NULL;
  if (id == NULL || !tsu_uuid_is_valid (id) || choice == NULL
      || !(g_str_equal (choice, "keep") || g_str_equal (choice, "take")))
    {
      *response
          = tsu_error_body ("bad_request", "id must be a conflict id and choice keep or take");
      return 400;
    }
  if (!S (begin_write))
    return unavailable (self, response);
  status = resolve_in_transaction (self, device_id, id, choice, response);
  if (status == 200 && !S (commit))
    status = 500;
  if (status != 200)
    S (rollback);
  if (status == 500 && S (unavailable))
    {
      g_clear_pointer (response, json_object_unref);
      return unavailable (self, response);
    }
  if (status == 500)
    {
      g_clear_pointer (response, json_object_unref);
      *response = tsu_error_body ("internal", "the resolution could not be stored");
    }
  return status;
}
