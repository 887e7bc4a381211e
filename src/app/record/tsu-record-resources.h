/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Registers the record page's resources (templates, icons) once. */
void tsu_record_resources_ensure (void);

G_END_DECLS
