/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-application.h"

G_BEGIN_DECLS

void tsu_sync_cli_register (TsuApplication *app);

G_END_DECLS
