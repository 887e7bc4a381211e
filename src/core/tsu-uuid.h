/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

char    *tsu_uuid7_new (void);
gboolean tsu_uuid_is_valid (const char *str);
char    *tsu_timestamp_now (void);

G_END_DECLS
