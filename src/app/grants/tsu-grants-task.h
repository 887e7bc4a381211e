/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tsu-store.h"

G_BEGIN_DECLS

/* Reads (or a few writes) of the grants pages, in a worker thread: the GTK
 * thread never waits for the disk. @func runs in the worker with the
 * store and @data and returns a JsonNode (or NULL with @error). */
typedef JsonNode *(*TsuGrantsTaskFunc) (TsuStore *store, gpointer data, GError **error);

void tsu_grants_task_run (TsuStore           *store,
                          TsuGrantsTaskFunc   func,
                          gpointer            data,
                          GDestroyNotify      data_free,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data);
/* Returns: (transfer full) (nullable): what @func returned */
JsonNode *tsu_grants_task_finish (GAsyncResult *result, GError **error);

G_END_DECLS
