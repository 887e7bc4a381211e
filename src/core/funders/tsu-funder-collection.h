/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* The "funders" collection: who offers grants, subsidies and calls
 * (助成団体: 国, 県, 市, 財団, 企業, 共同募金…). */
extern const TsuCollection tsu_funder_collection;

G_END_DECLS
