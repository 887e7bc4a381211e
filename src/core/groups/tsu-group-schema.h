/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collections.h"

G_BEGIN_DECLS

/* The "groups" collection: a member group (登録団体) as registration forms hold it. */
extern const TsuCollection tsu_group_collection;

G_END_DECLS
