/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The network of groups, companies and city departments: who was
 * introduced to whom (connections) and who works with the city (joint
 * projects), for a picture in which staff see who is isolated. */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_NET_GROUP,
  TSU_NET_COMPANY,
  TSU_NET_CITY,
} TsuNetKind;

typedef struct
{
  char      *id; /* a group's record id, or "company:NAME" / "city:NAME" */
  char      *label;
  TsuNetKind kind;
  int        field; /* a group's first activity field (1..20), or 0 */
  guint      degree;
  double     x, y; /* after tsu_network_layout(): in [0, 1] */
} TsuNetNode;

typedef struct
{
  guint a, b;   /* node indexes */
  guint weight; /* how many connections and projects join them */
} TsuNetEdge;

typedef struct
{
  GArray *nodes; /* TsuNetNode */
  GArray *edges; /* TsuNetEdge */
} TsuNetwork;

/* The network of the 年度 @fiscal_year (connections introduced in it,
 * projects running in it, groups not withdrawn before it; 0: all years),
 * of the groups with activity field @field ("1".."20"; NULL: all) and
 * the partners joined to them. Nodes come in a fixed order (groups by
 * reading, then partners by name), so the same data gives the same
 * picture. */
TsuNetwork *tsu_network_read (TsuStore *store, int fiscal_year, const char *field, GError **error);
/* Places the nodes (force-directed, from a fixed start: deterministic);
 * unconnected nodes settle on a ring around the rest. */
void  tsu_network_layout (TsuNetwork *net, guint iterations);
guint tsu_network_count_isolated (const TsuNetwork *net);
void  tsu_network_free (TsuNetwork *net);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuNetwork, tsu_network_free)

G_END_DECLS
