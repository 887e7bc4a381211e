/* SPDX-License-Identifier: GPL-3.0-or-later */
/* An edit in progress on a record that may change underneath (a pulled
 * page, another window): what the form started from, a watch that says when
 * the record changed, and the field-by-field merge made on save. */
#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "tsu-store.h"

G_BEGIN_DECLS

typedef struct _TsuEditBase TsuEditBase;

/* The record as the form loaded it (tsu_store_get()'s object). */
TsuEditBase *tsu_edit_base_new (const TsuCollection *collection, JsonObject *row);
void         tsu_edit_base_free (TsuEditBase *base);

/* The fields (not derived) whose value in @row_now differs from the base,
 * and whether the record was deleted or restored meanwhile. NULL-terminated,
 * or NULL when nothing changed. */
GStrv
tsu_edit_base_changed_fields (TsuEditBase *base, JsonObject *row_now, gboolean *deleted_changed);

/* What to save: of @edited (field → value as the form has it), the fields
 * the person changed from the base. Fields changed underneath and not by
 * the person are left out, so the save keeps them; a field changed both
 * here and underneath to different values keeps the person's value and is
 * named in @clashes (for the form to show). */
JsonObject *
tsu_edit_base_merge (TsuEditBase *base, JsonObject *edited, JsonObject *row_now, GStrv *clashes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuEditBase, tsu_edit_base_free)

/* Says when one record changed in the store (TsuStore::changed for its id,
 * or a change by another program), on the store's main context. */
#define TSU_TYPE_RECORD_WATCH (tsu_record_watch_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordWatch, tsu_record_watch, TSU, RECORD_WATCH, GObject)

TsuRecordWatch *tsu_record_watch_new (TsuStore *store, const char *collection, const char *id);

G_END_DECLS
