/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "tsu-collection.h"
#include "tsu-json-check.h"

G_BEGIN_DECLS

/* The wire format of docs/sync-protocol.md, shared by the sync client and
 * tsunagu-server: one field mapping, one set of validators. */

#define TSU_SYNC_PROTOCOL_VERSION 1

#define TSU_SYNC_MAX_REQUEST_BYTES (1024 * 1024) /* push and other request bodies */
#define TSU_SYNC_MAX_BATCH 500                   /* mutations in one push */
#define TSU_SYNC_MAX_STRING (64 * 1024)          /* bytes of one string value */
#define TSU_SYNC_MAX_DEPTH 16                    /* nesting of arrays/objects */
#define TSU_SYNC_MAX_PAGE_BYTES (4 * 1024 * 1024)
#define TSU_SYNC_DEFAULT_PAGE 1000
#define TSU_SYNC_MAX_PAGE 5000

typedef enum
{
  TSU_SYNC_OP_INSERT,
  TSU_SYNC_OP_UPDATE,
  TSU_SYNC_OP_DELETE,
  TSU_SYNC_OP_UNDELETE,
  TSU_SYNC_OP_ERASE, /* a person's record erased on request: no fields */
  TSU_SYNC_OP_INVALID,
} TsuSyncOp;

/* One mutation of a push as read from the wire. Pointers borrow from the
 * parsed request; fields and old are never NULL after parsing. */
typedef struct
{
  gint64      seq;
  const char *collection;
  const char *id;
  const char *op_name;
  TsuSyncOp   op;
  gint64      base_rev;
  JsonObject *fields;
  JsonObject *old;
} TsuSyncMutation;

const TsuJsonLimits *tsu_sync_request_limits (void);
const TsuJsonLimits *tsu_sync_response_limits (void);

TsuSyncOp   tsu_sync_op_from_string (const char *name);
const char *tsu_sync_op_to_string (TsuSyncOp op);
gboolean    tsu_sync_is_server_field (const char *name);

JsonArray  *tsu_sync_push_parse (JsonNode *root, GError **error);
gboolean    tsu_sync_mutation_parse (JsonNode *node, TsuSyncMutation *out, GError **error);
const char *tsu_sync_mutation_check (const TsuSyncMutation *m, char **detail);

JsonObject *tsu_sync_mutation_from_outbox (JsonObject *entry);

JsonObject *tsu_sync_synced_fields (const TsuCollection *collection, JsonObject *row);
const char *
tsu_sync_fields_check (const TsuCollection *collection, JsonObject *fields, char **detail);

gboolean tsu_sync_values_equal (JsonNode *a, JsonNode *b);
guint    tsu_sync_merge_fields (JsonObject *current,
                                JsonObject *base,
                                JsonObject *fields,
                                gboolean    base_is_current,
                                JsonObject *apply,
                                JsonObject *conflicts);

char    *tsu_sync_cursor_encode (const char *epoch, gint64 seq, gint64 full_from);
gboolean tsu_sync_cursor_decode (const char *cursor, char **epoch, gint64 *seq, gint64 *full_from);

char *tsu_sync_node_to_string (JsonNode *node);
char *tsu_sync_object_to_string (JsonObject *object);

G_END_DECLS
