/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tsu-record-query.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_PICKER (tsu_record_picker_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordPicker, tsu_record_picker, TSU, RECORD_PICKER, GtkWidget)

/* A search (read in a worker, as any list) and its first matches as
 * buttons, for choosing one record in a dialog: the group that borrows,
 * an item to add to a loan. "picked" (id) is emitted on a choice. */
typedef enum
{
  TSU_PICKER_GROUPS, /* "name (registration number, status)"; shows the chosen one */
  TSU_PICKER_ITEMS,  /* "name (control number, now)": items not under repair */
} TsuPickerKind;

GtkWidget  *tsu_record_picker_new (TsuStore *store, TsuPickerKind kind);
const char *tsu_record_picker_get_id (TsuRecordPicker *self);
/* The chosen record (NULL when none). */
JsonObject *tsu_record_picker_get_record (TsuRecordPicker *self);
void        tsu_record_picker_set_id (TsuRecordPicker *self, const char *id);
GtkWidget  *tsu_record_picker_get_entry (TsuRecordPicker *self);

G_END_DECLS
