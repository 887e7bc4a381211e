/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_COLUMN (tsu_record_column_get_type ())
G_DECLARE_FINAL_TYPE (TsuRecordColumn, tsu_record_column, TSU, RECORD_COLUMN, GObject)

/* How a column's text is coloured, by its cell's value. */
typedef enum
{
  TSU_TONE_NONE,
  TSU_TONE_ACCENT,
  TSU_TONE_SUCCESS,
  TSU_TONE_WARNING,
  TSU_TONE_ERROR,
  TSU_TONE_DIM,
} TsuTone;

/* One column of a TsuRecordListView, declared in a page's .ui:
 *   <child type="column"><object class="TsuRecordColumn">
 *     <property name="name">name</property>            (the list cell shown)
 *     <property name="secondary">name_kana</property>  (a dim second line)
 *     <property name="title">Name</property>    (marked translatable)
 *     <property name="sort">reading</property>         (a sort id of the collection)
 *     <property name="width">0</property>              (pixels; 0: takes the rest)
 *     <property name="priority">2</property>           (narrow lists drop high numbers first)
 *     <property name="tones">1=success;2=warning</property>
 *   </object></child> */
TsuRecordColumn *tsu_record_column_new (const char *name, const char *title);
const char      *tsu_record_column_get_name (TsuRecordColumn *self);
const char      *tsu_record_column_get_secondary (TsuRecordColumn *self);
const char      *tsu_record_column_get_title (TsuRecordColumn *self);
const char      *tsu_record_column_get_sort (TsuRecordColumn *self);
int              tsu_record_column_get_width (TsuRecordColumn *self);
int              tsu_record_column_get_priority (TsuRecordColumn *self);
TsuTone          tsu_record_column_get_tone (TsuRecordColumn *self, const char *cell);
void             tsu_record_column_set_tones (TsuRecordColumn *self, const char *tones);

G_END_DECLS
