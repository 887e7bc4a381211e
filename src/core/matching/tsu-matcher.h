/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Who could answer a request: hard filters first, then a score whose
 * reasons a coordinator can read; near misses apart, with what excludes
 * each. Deterministic (ties by reading). */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* The weights, documented in one place (docs/matching.md mirrors them). */
#define TSU_MATCH_W_FIELD 10 /* each activity field in common (at most 3 count) */
#define TSU_MATCH_W_FIELD_MAX 30
#define TSU_MATCH_W_SKILL 15         /* each skill needed and held */
#define TSU_MATCH_W_SAME_DISTRICT 20 /* the request's 校区 */
#define TSU_MATCH_W_NEAR_DISTRICT 8  /* a neighbouring 校区 (centre setting) */
#define TSU_MATCH_W_SAME_GROUP 12    /* has completed work for this group before */
#define TSU_MATCH_W_SAME_KIND 5      /* each past completed request of a shared field (at most 2) */
#define TSU_MATCH_W_RECENT 5         /* completed something in the last 180 days */
#define TSU_MATCH_W_LOAD (-5)        /* each confirmed, not yet completed match */
/* The most the history part (group, kind, recent) can add. */
#define TSU_MATCH_HISTORY_MAX                                                                      \
  (TSU_MATCH_W_SAME_GROUP + 2 * TSU_MATCH_W_SAME_KIND + TSU_MATCH_W_RECENT)

typedef struct
{
  char *volunteer_id;
  char *registration_number;
  char *name;
  char *sort_key;
  int   score;
  GPtrArray
      *reasons; /* char *, Japanese, for a score: why it is high; for a near miss: what excludes */
} TsuSuggestion;

void tsu_suggestion_free (TsuSuggestion *s);

/* Suggestions for a request, best first, at most @limit, leaving out the
 * people already in one of its matches; @near_misses
 * (optional) receives up to @limit people excluded by one or two filters,
 * with the reasons that exclude them. Runs on the store's reader. */
GPtrArray *tsu_matcher_suggest (TsuStore    *store,
                                const char  *request_id,
                                const GDate *today,
                                guint        limit,
                                GPtrArray  **near_misses,
                                GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuSuggestion, tsu_suggestion_free)

G_END_DECLS
