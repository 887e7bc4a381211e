/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-collection.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_FORM (tsu_record_form_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordForm, tsu_record_form, TSU, RECORD_FORM, GtkWidget)

/* Looks for records like @record (a new one about to be saved): an array
 * of objects with id, name and reason, or NULL. */
typedef JsonArray *(*TsuRecordDuplicatesFunc) (JsonObject *record, gpointer user_data);

/* Inserts a new record (@fields checked and normalized): the new id, or
 * NULL with @error. */
typedef char *(*TsuRecordInsertFunc) (TsuStore   *store,
                                      JsonObject *fields,
                                      gpointer    user_data,
                                      GError    **error);

/* One record of any collection, built from its descriptor: a read view
 * first (GNOME Contacts), editing on demand, the history from the top.
 * The edit view has one row per field by type (entry rows read with
 * tsu_record_value_parse(), combo rows for a choice, checks for codes,
 * switches for a yes/no or a list of choices, a text view for several
 * lines), inline messages under the fields that clear once fixed, and a
 * list of problems at the top that jumps to the field. Pages add their
 * own sections and header buttons. Esc never throws edits away. */
GtkWidget *tsu_record_form_new (void);
void       tsu_record_form_set_collection (TsuRecordForm *self, const TsuCollection *collection);
const TsuCollection *tsu_record_form_get_collection (TsuRecordForm *self);
void                 tsu_record_form_set_store (TsuRecordForm *self, TsuStore *store);
void                 tsu_record_form_set_date_style (TsuRecordForm *self, TsuDateStyle style);
void                 tsu_record_form_set_duplicates_func (TsuRecordForm          *self,
                                                          TsuRecordDuplicatesFunc func,
                                                          gpointer                user_data);

void
tsu_record_form_set_insert_func (TsuRecordForm *self, TsuRecordInsertFunc func, gpointer user_data);

/* Shows @id (read view), or a new record with @defaults (edit view). */
gboolean tsu_record_form_load (TsuRecordForm *self, const char *id, GError **error);
void     tsu_record_form_load_new (TsuRecordForm *self, JsonObject *defaults);
/* Reads the record again (after an action changed it), keeping the view. */
gboolean    tsu_record_form_reload (TsuRecordForm *self);
const char *tsu_record_form_get_id (TsuRecordForm *self);
JsonObject *tsu_record_form_get_record (TsuRecordForm *self);
gboolean    tsu_record_form_get_dirty (TsuRecordForm *self);
gboolean    tsu_record_form_get_editing (TsuRecordForm *self);
void        tsu_record_form_edit (TsuRecordForm *self);
gboolean    tsu_record_form_save (TsuRecordForm *self);
/* Drops unsaved edits (back to the read view, or "cancelled" when new). */
void     tsu_record_form_revert (TsuRecordForm *self);
void     tsu_record_form_show_history (TsuRecordForm *self, gboolean show);
gboolean tsu_record_form_get_history_shown (TsuRecordForm *self);

void tsu_record_form_set_title (TsuRecordForm *self, const char *text);
void tsu_record_form_set_subtitle (TsuRecordForm *self, const char *text, const char *css_class);
void tsu_record_form_add_action (TsuRecordForm *self, GtkWidget *widget);
void tsu_record_form_add_read_section (TsuRecordForm *self, GtkWidget *group);
void tsu_record_form_add_related_section (TsuRecordForm *self, GtkWidget *group);
void tsu_record_form_add_edit_section (TsuRecordForm *self, GtkWidget *group);
void tsu_record_form_set_menu (TsuRecordForm *self, GMenuModel *menu);
void tsu_record_form_set_folded (TsuRecordForm *self, gboolean folded);
/* A problem shown at the top of the form (and under its field). */
void tsu_record_form_add_problem (TsuRecordForm *self,
                                  const char    *field,
                                  const char    *message,
                                  gboolean       is_error,
                                  const char    *open_id);
void tsu_record_form_clear_problems (TsuRecordForm *self);
/* The row of @field in the edit view (tests, focus). */
GtkWidget  *tsu_record_form_get_field_row (TsuRecordForm *self, const char *field);
gboolean    tsu_record_form_field_has_error (TsuRecordForm *self, const char *field);
const char *tsu_record_form_get_field_message (TsuRecordForm *self, const char *field);
void        tsu_record_form_focus_field (TsuRecordForm *self, const char *field);
GtkWidget  *tsu_record_form_get_history (TsuRecordForm *self);

G_END_DECLS
