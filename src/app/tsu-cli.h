/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-application.h"

G_BEGIN_DECLS

void tsu_cli_register (TsuApplication *app);
void tsu_cli_matching_register (TsuApplication *app);
void tsu_cli_report_register (TsuApplication *app);

G_END_DECLS
