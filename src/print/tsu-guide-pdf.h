/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public directory as a booklet (ガイドブック) for the counter: the same
 * entries as the web site, A4, by 行 with a contents page and an index by
 * field. */
#pragma once

#include "tsu-guide.h"

G_BEGIN_DECLS

GBytes *tsu_guide_pdf (GPtrArray   *entries,
                       const char  *centre_name,
                       TsuDateStyle style,
                       const GDate *made_on,
                       GError     **error);

/* The site and the booklet (guidebook.pdf) into @dir. */
gboolean tsu_guide_publish (TsuStore    *store,
                            const char  *dir,
                            TsuDateStyle style,
                            const GDate *today,
                            guint       *n_groups,
                            GPtrArray   *written,
                            GError     **error);

G_END_DECLS
