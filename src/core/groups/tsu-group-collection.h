/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-collection.h"

G_BEGIN_DECLS

/* The "groups" collection: a member group (登録団体) as registration forms hold it. */
extern const TsuCollection tsu_group_collection;

/* The 20 activity fields of the NPO Act appendix (codes "1".."20"), shared
 * by every collection that has activity fields. */
extern const TsuChoice tsu_activity_fields[];

G_END_DECLS
