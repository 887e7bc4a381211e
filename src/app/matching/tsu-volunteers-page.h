/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_VOLUNTEERS_PAGE (tsu_volunteers_page_get_type ())
G_DECLARE_FINAL_TYPE (TsuVolunteersPage, tsu_volunteers_page, TSU, VOLUNTEERS_PAGE, TsuRecordPage)

/* ボランティア登録: the list (search by name, reading or skill; filters by
 * status, field, 校区, time and insurance; the registrations ended long
 * enough ago to delete) and a person's record with their matches, the
 * consent to give their contact details to a group, renewal, and the
 * export of everything held about them (開示請求). */
GtkWidget *tsu_volunteers_page_new (void);

G_END_DECLS
