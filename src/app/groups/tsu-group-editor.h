/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"
#include "tsu-date.h"

G_BEGIN_DECLS

#define TSU_TYPE_GROUP_EDITOR (tsu_group_editor_get_type ())
G_DECLARE_FINAL_TYPE (TsuGroupEditor, tsu_group_editor, TSU, GROUP_EDITOR, GtkBox)

/* The detail pane: every field of one group as preference rows, with
 * inline validation, duplicate and eligibility warnings, and its history. */
void        tsu_group_editor_set_store (TsuGroupEditor *self, TsuStore *store);
void        tsu_group_editor_set_date_style (TsuGroupEditor *self, TsuDateStyle style);
void        tsu_group_editor_set_renewal_days (TsuGroupEditor *self, guint days);
void        tsu_group_editor_set_min_members (TsuGroupEditor *self, guint min_members);
gboolean    tsu_group_editor_load (TsuGroupEditor *self, const char *id, GError **error);
const char *tsu_group_editor_get_id (TsuGroupEditor *self);
JsonObject *tsu_group_editor_get_record (TsuGroupEditor *self);
gboolean    tsu_group_editor_get_dirty (TsuGroupEditor *self);
gboolean    tsu_group_editor_save (TsuGroupEditor *self);
void        tsu_group_editor_revert (TsuGroupEditor *self);
void        tsu_group_editor_set_folded (TsuGroupEditor *self, gboolean folded);
void        tsu_group_editor_focus_first (TsuGroupEditor *self);

G_END_DECLS
