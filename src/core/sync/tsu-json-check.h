/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TSU_JSON_CHECK_ERROR (tsu_json_check_error_quark ())

typedef enum
{
  TSU_JSON_CHECK_ERROR_TOO_LARGE,     /* the body is longer than max_bytes */
  TSU_JSON_CHECK_ERROR_TOO_DEEP,      /* arrays/objects nested deeper than max_depth */
  TSU_JSON_CHECK_ERROR_SYNTAX,        /* not JSON (RFC 8259) */
  TSU_JSON_CHECK_ERROR_ENCODING,      /* invalid UTF-8, lone surrogate, NUL */
  TSU_JSON_CHECK_ERROR_DUPLICATE_KEY, /* an object names one member twice */
  TSU_JSON_CHECK_ERROR_NUMBER,        /* out of int64 / double range */
  TSU_JSON_CHECK_ERROR_STRING,        /* a string longer than max_string */
  TSU_JSON_CHECK_ERROR_TOO_MANY,      /* more values than max_values */
} TsuJsonCheckError;

/* Bounds a document must keep before json-glib sees it (json-glib 1.6 has
 * no depth limit and builds the whole tree in memory). */
typedef struct
{
  gsize max_bytes;
  guint max_depth;
  gsize max_string;
  guint max_values;
} TsuJsonLimits;

GQuark      tsu_json_check_error_quark (void);
const char *tsu_json_check_error_code (const GError *error);

gboolean
tsu_json_check (const char *data, gsize length, const TsuJsonLimits *limits, GError **error);
JsonNode *tsu_json_parse_checked (const char          *data,
                                  gsize                length,
                                  const TsuJsonLimits *limits,
                                  GError             **error);

G_END_DECLS
