/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* How a field is stored in SQLite and carried in JSON. */
typedef enum
{
  TSU_FIELD_TEXT, /* TEXT / JSON string */
  TSU_FIELD_INT,  /* INTEGER / JSON integer */
  TSU_FIELD_BOOL, /* INTEGER 0/1 / JSON boolean */
  TSU_FIELD_DATE, /* TEXT "YYYY-MM-DD" (or "YYYY-MM") / JSON string */
  TSU_FIELD_JSON, /* TEXT holding JSON (arrays, objects) / JSON value */
} TsuFieldType;

typedef enum
{
  TSU_FIELD_NONE = 0,
  /* Personal data: never printed to a log. */
  TSU_FIELD_PERSONAL = 1 << 0,
  /* Computed by the collection's derive function on this desk (sort keys,
   * folded search text). Not writable by callers, not synced. */
  TSU_FIELD_DERIVED = 1 << 1,
} TsuFieldFlags;

typedef struct
{
  const char   *name;
  TsuFieldType  type;
  TsuFieldFlags flags;
} TsuFieldDef;

/* Fills the TSU_FIELD_DERIVED members of @row from its other members.
 * @row holds every field of the record after the write. */
typedef void (*TsuDeriveFunc) (JsonObject *row);

typedef struct
{
  const char        *name;   /* SQL table and sync collection name */
  const TsuFieldDef *fields; /* without id, rev, created_at, updated_at, deleted */
  guint              n_fields;
  TsuDeriveFunc      derive; /* may be NULL */
} TsuCollection;

/* The longest value a field may hold, in bytes (text, or JSON text). */
#define TSU_FIELD_MAX_BYTES (64 * 1024)

/* Columns every collection table has besides its fields. */
#define TSU_COLUMN_ID "id"
#define TSU_COLUMN_REV "rev"
#define TSU_COLUMN_CREATED_AT "created_at"
#define TSU_COLUMN_UPDATED_AT "updated_at"
#define TSU_COLUMN_DELETED "deleted"

const TsuCollection  *tsu_collection_lookup (const char *name);
const TsuCollection **tsu_collections_all (guint *n_collections);
const TsuFieldDef *tsu_collection_lookup_field (const TsuCollection *collection, const char *field);
gboolean           tsu_field_value_is_valid (const TsuFieldDef *field, JsonNode *value);

G_END_DECLS
