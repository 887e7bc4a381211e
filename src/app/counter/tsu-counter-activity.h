/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A read section for another page's record (a group, a volunteer): its
 * consultations, the events it attended, or its connections. Put it in a
 * record page's .ui:
 *
 *   <child type="read-section">
 *     <object class="TsuCounterActivity">
 *       <property name="show">consultations</property>   (attended, connections)
 *       <property name="field">group_id</property>       (volunteer_id)
 *     </object>
 *   </child>
 *
 * It follows the record shown by the page's form. */
#define TSU_TYPE_COUNTER_ACTIVITY (tsu_counter_activity_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuCounterActivity, tsu_counter_activity, TSU, COUNTER_ACTIVITY, AdwPreferencesGroup)

G_END_DECLS
