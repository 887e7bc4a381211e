/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>
#include <glib.h>

#include "tsu-group.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_GROUP_SORT_READING, /* 五十音順 (sort_key) */
  TSU_GROUP_SORT_NUMBER,  /* registration number */
  TSU_GROUP_SORT_STATUS,  /* status, then reading */
  TSU_GROUP_SORT_RENEWAL, /* 年度 the registration runs to, then reading */
} TsuGroupSort;

/* What the list shows. Searching, filtering and sorting all run in SQLite
 * on indexed columns. */
typedef struct
{
  char        *search; /* what the user typed, or NULL */
  int          status; /* a TsuGroupStatus, or -1 for all */
  guint        field;  /* an activity field 1..20, or 0 for all */
  TsuGroupSort sort;
  gboolean     descending;
  GDate        today;
  guint        renewal_days;
} TsuGroupQuery;

TsuGroupQuery *tsu_group_query_new (void);
TsuGroupQuery *tsu_group_query_copy (const TsuGroupQuery *query);
void           tsu_group_query_free (TsuGroupQuery *query);

char   *tsu_group_status_sql (const GDate *today, guint renewal_days);
GArray *tsu_group_query_run (sqlite3 *db, const TsuGroupQuery *query, GError **error);
GArray *
tsu_group_query_run_first (sqlite3 *db, const TsuGroupQuery *query, guint page, GError **error);

gboolean tsu_group_migrate_search (sqlite3 *db, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuGroupQuery, tsu_group_query_free)

G_END_DECLS
