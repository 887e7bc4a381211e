/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_GROUPS_VIEW (tsu_groups_view_get_type ())
G_DECLARE_FINAL_TYPE (TsuGroupsView, tsu_groups_view, TSU, GROUPS_VIEW, TsuRecordPage)

/* The groups page: the record page with what only groups have (register,
 * renew, withdraw, eligibility, duplicates, the 登録証 and the card,
 * statuses in colour). */
GtkWidget     *tsu_groups_view_new (void);
TsuStore      *tsu_groups_view_get_store (TsuGroupsView *self);
void           tsu_groups_view_set_store (TsuGroupsView *self, TsuStore *store);
void           tsu_groups_view_set_settings (TsuGroupsView *self, GSettings *settings);
TsuRecordList *tsu_groups_view_get_list (TsuGroupsView *self);
void           tsu_groups_view_set_search (TsuGroupsView *self, const char *text);
/* @sort: a sort id of the groups collection ("reading", "number", "status", "renewal") */
void tsu_groups_view_set_sort (TsuGroupsView *self, const char *sort);
void tsu_groups_view_show_group (TsuGroupsView *self, const char *id);

G_END_DECLS
