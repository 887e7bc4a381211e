/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-network.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_NETWORK_VIEW (tsu_network_view_get_type ())
G_DECLARE_FINAL_TYPE (TsuNetworkView, tsu_network_view, TSU, NETWORK_VIEW, GtkBox)

void tsu_network_view_set_store (TsuNetworkView *self, TsuStore *store);
/* Draws @net (laid out) into @cr at @width × @height: the picture of the
 * page, also used by tests and screenshots. */
void
tsu_network_draw (cairo_t *cr, PangoLayout *layout, const TsuNetwork *net, int width, int height);

G_END_DECLS
