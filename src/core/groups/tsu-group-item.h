/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TSU_TYPE_GROUP_ITEM (tsu_group_item_get_type ())
G_DECLARE_FINAL_TYPE (TsuGroupItem, tsu_group_item, TSU, GROUP_ITEM, GObject)

/* One row of the groups list: the few columns the list shows. */
TsuGroupItem *tsu_group_item_new (const char *id,
                                  const char *name,
                                  const char *name_kana,
                                  const char *registration_number,
                                  const char *representative,
                                  const char *phone,
                                  int         status,
                                  int         valid_fiscal_year);
void          tsu_group_item_update (TsuGroupItem *self,
                                     gint64        rowid,
                                     const char   *id,
                                     const char   *name,
                                     const char   *name_kana,
                                     const char   *registration_number,
                                     const char   *representative,
                                     const char   *phone,
                                     int           status,
                                     int           valid_fiscal_year);
gint64        tsu_group_item_get_rowid (TsuGroupItem *self);
const char   *tsu_group_item_get_id (TsuGroupItem *self);
const char   *tsu_group_item_get_name (TsuGroupItem *self);
const char   *tsu_group_item_get_name_kana (TsuGroupItem *self);
const char   *tsu_group_item_get_registration_number (TsuGroupItem *self);
const char   *tsu_group_item_get_representative (TsuGroupItem *self);
const char   *tsu_group_item_get_phone (TsuGroupItem *self);
int           tsu_group_item_get_status (TsuGroupItem *self);
const char   *tsu_group_item_get_status_label (TsuGroupItem *self);
int           tsu_group_item_get_valid_fiscal_year (TsuGroupItem *self);
char         *tsu_group_item_dup_renewal_label (TsuGroupItem *self);

G_END_DECLS
