/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_SUGGESTIONS_SECTION (tsu_suggestions_section_get_type ())
G_DECLARE_FINAL_TYPE (
    TsuSuggestionsSection, tsu_suggestions_section, TSU, SUGGESTIONS_SECTION, AdwPreferencesGroup)

/* Who could answer a request, best first: the score and its reasons under
 * each name, a button that asks the person (打診); then the near misses with
 * what excludes each, to open and fix. The matcher runs in a thread. */
GtkWidget *tsu_suggestions_section_new (void);
void       tsu_suggestions_section_set_request (TsuSuggestionsSection *self,
                                                TsuStore              *store,
                                                const char            *request_id);
/* Whether a read is running (tests). */
gboolean tsu_suggestions_section_get_loading (TsuSuggestionsSection *self);

G_END_DECLS
