/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-record-page.h"

G_BEGIN_DECLS

#define TSU_TYPE_GRANTS_GROUP_SECTION (tsu_grants_group_section_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuGrantsGroupSection, tsu_grants_group_section, TSU, GRANTS_GROUP_SECTION, AdwPreferencesGroup)

/* A group's grants, for the groups page's read view: what it received per
 * 年度, and each programme it was told about with where it stands. Reads
 * in a worker when a group is shown or the grants change. A programme's
 * row opens it (the action win.show-programme). */
GtkWidget *tsu_grants_group_section_new (void);
/* Adds the section to @page's read view (the groups page), following the
 * group it shows. */
void tsu_grants_group_section_attach (TsuRecordPage *page);
/* For tests: the group shown, and whether a read is under way. */
const char *tsu_grants_group_section_get_group (TsuGrantsGroupSection *self);
gboolean    tsu_grants_group_section_get_loading (TsuGrantsGroupSection *self);

G_END_DECLS
