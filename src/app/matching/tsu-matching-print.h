/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tsu-date.h"
#include "tsu-referral.h"
#include "tsu-store.h"

G_BEGIN_DECLS

/* The 紹介票 (referral slip) of one match on an A4 page: the request, the
 * person, and their contact details only when they consented (otherwise a
 * note saying why they are missing). With @pdf_path, a PDF is written there
 * (0600, through the store's output guard) instead of the print dialog. */
gboolean tsu_matching_print_referral (GtkWindow         *parent,
                                      TsuStore          *store,
                                      const TsuReferral *referral,
                                      const char        *centre,
                                      const char        *pdf_path,
                                      GError           **error);

/* 開示請求: everything held about one person (TsuDisclosureItem), on as many
 * pages as it takes. */
gboolean tsu_matching_print_disclosure (GtkWindow   *parent,
                                        TsuStore    *store,
                                        const char  *name,
                                        GPtrArray   *items,
                                        const char  *centre,
                                        TsuDateStyle style,
                                        const char  *pdf_path,
                                        GError     **error);

G_END_DECLS
