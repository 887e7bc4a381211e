/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsu-store.h"
#include "tsu-group-query.h"
#include "tsu-group-item.h"

G_BEGIN_DECLS

#define TSU_TYPE_GROUP_LIST (tsu_group_list_get_type ())
G_DECLARE_FINAL_TYPE (TsuGroupList, tsu_group_list, TSU, GROUP_LIST, GObject)

/* A GListModel of TsuGroupItem. It holds only the matching rowids, found
 * by SQLite in a worker thread on a reader connection; rows are read in
 * small pages when the view asks for them, and it follows the store's
 * "changed" signal. */
TsuGroupList        *tsu_group_list_new (TsuStore *store);
TsuStore            *tsu_group_list_get_store (TsuGroupList *self);
const TsuGroupQuery *tsu_group_list_get_query (TsuGroupList *self);
void                 tsu_group_list_set_query (TsuGroupList *self, const TsuGroupQuery *query);
gboolean
tsu_group_list_set_query_sync (TsuGroupList *self, const TsuGroupQuery *query, GError **error);
gboolean tsu_group_list_get_loading (TsuGroupList *self);
gboolean tsu_group_list_get_complete (TsuGroupList *self);
guint    tsu_group_list_find (TsuGroupList *self, const char *id);
GArray  *tsu_group_list_get_rowids (TsuGroupList *self);

G_END_DECLS
