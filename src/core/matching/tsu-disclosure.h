/* SPDX-License-Identifier: GPL-3.0-or-later */
/* 開示請求: everything the desk holds about one volunteer, for the person
 * who asks for it: the registration, their matches (with the requests'
 * names), every change in the history of both, and how many copies the
 * sync queue keeps. Written as CSV (区分, 項目, 内容) or printed. */
#pragma once

#include "tsu-csv.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef struct
{
  char *section; /* 登録情報, 活動の記録, 変更履歴, 同期の記録 */
  char *label;
  char *value;
} TsuDisclosureItem;

void tsu_disclosure_item_free (TsuDisclosureItem *item);

/* (transfer full) (element-type TsuDisclosureItem): the items in reading
 * order, or NULL with @error (an unknown volunteer). @name (optional)
 * receives the person's name for a title. */
GPtrArray *tsu_disclosure_collect (
    TsuStore *store, const char *volunteer_id, TsuDateStyle style, char **name, GError **error);
GBytes *tsu_disclosure_csv (GPtrArray     *items,
                            TsuCsvEncoding encoding,
                            GPtrArray     *unencodable,
                            GError       **error);

G_END_DECLS
