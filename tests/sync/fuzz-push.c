/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>

#include "tsu-org-db.h"
#include "tsu-sync-codec.h"

/* libFuzzer harness: the server's request path on raw bytes, as a push, a
 * conflict resolution and a cursor, against an in-memory organisation
 * database. Built by run-fuzz.sh with clang -fsanitize=fuzzer,address. */

static TsuOrgDb *db;

int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerTestOneInput (const guint8 *data, size_t size)
{
  g_autoptr (JsonObject) push = NULL;
  g_autoptr (JsonObject) resolve = NULL;
  g_autoptr (GString) page = NULL;
  g_autofree char *cursor = NULL;
  g_autofree char *epoch = NULL;
  gint64           seq, full;
  guint            status;

  if (db == NULL)
    {
      db = tsu_org_db_open (":memory:", NULL);
      g_assert (db != NULL);
    }

  status = tsu_org_db_push_body (db, "fuzz-device", (const char *)data, size, &push);
  g_assert (push != NULL);
  g_assert (status == 200 || status == 400 || status == 409 || status == 413);

  status = tsu_org_db_resolve_body (db, "fuzz-device", (const char *)data, size, &resolve);
  g_assert (resolve != NULL);
  g_assert (status < 500);

  /* The same bytes as a cursor: never trusted, never a crash. */
  cursor = g_strndup ((const char *)data, MIN (size, 256));
  if (tsu_sync_cursor_decode (cursor, &epoch, &seq, &full))
    g_assert (seq >= 0);
  status = tsu_org_db_pull (db, cursor, 50, &page);
  g_assert (page != NULL);
  g_assert (status == 200 || status == 400 || status == 410);
  return 0;
}
