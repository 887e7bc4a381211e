/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "tsu-network.h"
#include "tsu-record.h"

static void
node_clear (gpointer p)
{
  TsuNetNode *n = p;

  g_free (n->id);
  g_free (n->label);
}

void
tsu_network_free (TsuNetwork *net)
{
  if (net == NULL)
    return;
  g_array_unref (net->nodes);
  g_array_unref (net->edges);
  g_free (net);
}

typedef struct
{
  TsuNetwork *net;
  GHashTable *index; /* id → node index + 1 */
  GHashTable *edges; /* "a:b" → edge index + 1 */
  GHashTable *kept;  /* group ids that pass the field filter */
  GPtrArray  *partners;
} Build;

static guint
node_add (Build *b, const char *id, const char *label, TsuNetKind kind, int field)
{
  guint      i = GPOINTER_TO_UINT (g_hash_table_lookup (b->index, id));
  TsuNetNode n = { g_strdup (id), g_strdup (label ? label : ""), kind, field, 0, 0, 0 };

  if (i)
    return i - 1;
  g_array_append_val (b->net->nodes, n);
  g_hash_table_insert (b->index, g_strdup (id), GUINT_TO_POINTER (b->net->nodes->len));
  return b->net->nodes->len - 1;
}

static void
edge_add (Build *b, guint x, guint y)
{
  g_autofree char *key = NULL;
  guint            i;

  if (x == y)
    return;
  if (x > y)
    {
      guint t = x;

      x = y;
      y = t;
    }
  key = g_strdup_printf ("%u:%u", x, y);
  i = GPOINTER_TO_UINT (g_hash_table_lookup (b->edges, key));
  if (i)
    g_array_index (b->net->edges, TsuNetEdge, i - 1).weight++;
  else
    {
      TsuNetEdge e = { x, y, 1 };

      g_array_append_val (b->net->edges, e);
      g_hash_table_insert (b->edges, g_steal_pointer (&key), GUINT_TO_POINTER (b->net->edges->len));
      g_array_index (b->net->nodes, TsuNetNode, x).degree++;
      g_array_index (b->net->nodes, TsuNetNode, y).degree++;
    }
}

static guint
partner_node (Build *b, const char *kind, const char *name)
{
  g_autofree char *id = NULL;

  id = g_strdup_printf ("%s:%s", kind, name);
  return node_add (b, id, name, g_str_equal (kind, "city") ? TSU_NET_CITY : TSU_NET_COMPANY, 0);
}

static int
first_field (JsonObject *g)
{
  JsonNode *n = json_object_get_member (g, "fields");

  if (n && JSON_NODE_HOLDS_ARRAY (n) && json_array_get_length (json_node_get_array (n)) > 0)
    return (int)json_array_get_int_element (json_node_get_array (n), 0);
  return 0;
}

static gboolean
has_field (JsonObject *g, const char *field)
{
  JsonNode *n = json_object_get_member (g, "fields");
  gint64    code = g_ascii_strtoll (field, NULL, 10);

  if (!n || !JSON_NODE_HOLDS_ARRAY (n))
    return FALSE;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
    if (json_array_get_int_element (json_node_get_array (n), i) == code)
      return TRUE;
  return FALSE;
}

TsuNetwork *
tsu_network_read (TsuStore *store, int fiscal_year, const char *field, GError **error)
{
  g_autoptr (TsuNetwork) net = g_new0 (TsuNetwork, 1);
  g_autoptr (GPtrArray) groups = NULL, connections = NULL, projects = NULL;
  g_autoptr (GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GHashTable) edges = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *from = NULL, *to = NULL;
  Build            b;

  net->nodes = g_array_new (FALSE, TRUE, sizeof (TsuNetNode));
  g_array_set_clear_func (net->nodes, node_clear);
  net->edges = g_array_new (FALSE, TRUE, sizeof (TsuNetEdge));
  b = (Build){ net, index, edges, NULL, NULL };

  if (fiscal_year > 0)
    {
      from = g_strdup_printf ("%04d-04-01", fiscal_year);
      to = g_strdup_printf ("%04d-03-31", fiscal_year + 1);
    }
  {
    const char *params[] = { from, NULL };

    groups = tsu_store_find (store, "groups",
                             from ? "withdrawn_on IS NULL OR withdrawn_on >= ?" : NULL, params,
                             "sort_key, rowid", 0, error);
  }
  if (groups == NULL)
    return NULL;
  for (guint i = 0; i < groups->len; i++)
    {
      JsonObject *g = g_ptr_array_index (groups, i);

      if (field && *field && !has_field (g, field))
        continue;
      node_add (&b, tsu_record_get_string (g, "id"), tsu_record_get_string (g, "name"),
                TSU_NET_GROUP, first_field (g));
    }
  {
    const char *params[] = { from, to, NULL };

    connections = tsu_store_find (store, "connections",
                                  from ? "introduced_on >= ? AND introduced_on <= ?" : NULL, params,
                                  "partner_name, rowid", 0, error);
    projects = connections
                   ? tsu_store_find (store, "joint_projects",
                                     from ? "(period_to IS NULL OR period_to >= ?1)"
                                            " AND (period_from IS NULL OR period_from <= ?2)"
                                          : NULL,
                                     params, "department, rowid", 0, error)
                   : NULL;
  }
  if (projects == NULL)
    return NULL;
  for (guint i = 0; i < connections->len; i++)
    {
      JsonObject *c = g_ptr_array_index (connections, i);
      guint       a = GPOINTER_TO_UINT (
                g_hash_table_lookup (index, tsu_record_get_string (c, "group_id") ?: ""));
      const char *kind = tsu_record_get_string (c, "partner_kind");
      const char *name = tsu_record_get_string (c, "partner_name");

      if (g_strcmp0 (kind, "group") == 0)
        {
          guint p = GPOINTER_TO_UINT (
              g_hash_table_lookup (index, tsu_record_get_string (c, "partner_group_id") ?: ""));

          /* Both groups must be in the picture (the field filter). */
          if (a && p)
            edge_add (&b, a - 1, p - 1);
        }
      else if (a && name && *name)
        edge_add (&b, a - 1,
                  partner_node (&b, g_strcmp0 (kind, "city") == 0 ? "city" : "company", name));
    }
  for (guint i = 0; i < projects->len; i++)
    {
      JsonObject *p = g_ptr_array_index (projects, i);
      const char *dept = tsu_record_get_string (p, "department");
      JsonNode   *ids = json_object_get_member (p, "group_ids");

      if (!dept || !*dept || !ids || !JSON_NODE_HOLDS_ARRAY (ids))
        continue;
      for (guint k = 0; k < json_array_get_length (json_node_get_array (ids)); k++)
        {
          const char *gid = json_array_get_string_element (json_node_get_array (ids), k);
          guint       a = GPOINTER_TO_UINT (g_hash_table_lookup (index, gid ? gid : ""));

          if (a)
            edge_add (&b, a - 1, partner_node (&b, "city", dept));
        }
    }
  return g_steal_pointer (&net);
}

guint
tsu_network_count_isolated (const TsuNetwork *net)
{
  guint n = 0;

  for (guint i = 0; i < net->nodes->len; i++)
    if (g_array_index (net->nodes, TsuNetNode, i).degree == 0)
      n++;
  return n;
}

static int
compare_double (const void *a, const void *b)
{
  double x = *(const double *)a, y = *(const double *)b;

  return (x > y) - (x < y);
}

/* Fruchterman–Reingold from a sunflower start (no randomness: the same
 * data gives the same picture on every desk). Unconnected nodes are not
 * simulated: they go on a ring around the connected part, where they
 * stand out. */
void
tsu_network_layout (TsuNetwork *net, guint iterations)
{
  guint              n = net->nodes->len, m = 0;
  g_autofree guint  *idx = g_new0 (guint, n + 1);
  g_autofree guint  *pos = g_new0 (guint, n + 1);
  g_autofree double *x = NULL, *y = NULL, *dx = NULL, *dy = NULL;
  double             k, t, radius = 0;
  guint              lonely = 0, li = 0;

  for (guint i = 0; i < n; i++)
    {
      TsuNetNode *node = &g_array_index (net->nodes, TsuNetNode, i);

      if (node->degree > 0)
        {
          pos[i] = m;
          idx[m++] = i;
        }
      else
        lonely++;
    }
  x = g_new0 (double, m + 1);
  y = g_new0 (double, m + 1);
  dx = g_new0 (double, m + 1);
  dy = g_new0 (double, m + 1);
  for (guint i = 0; i < m; i++)
    {
      double r = sqrt ((i + 0.5) / MAX (m, 1)), a = i * 2.399963229728653;

      x[i] = r * cos (a);
      y[i] = r * sin (a);
    }
  k = m ? sqrt (G_PI / m) : 1;
  t = 0.1;
  for (guint it = 0; it < iterations && m > 1; it++)
    {
      memset (dx, 0, m * sizeof (double));
      memset (dy, 0, m * sizeof (double));
      for (guint i = 0; i < m; i++)
        for (guint j = i + 1; j < m; j++)
          {
            double ex = x[i] - x[j], ey = y[i] - y[j];
            double d2 = MAX (ex * ex + ey * ey, 1e-6), f = k * k / d2;

            dx[i] += ex * f;
            dy[i] += ey * f;
            dx[j] -= ex * f;
            dy[j] -= ey * f;
          }
      for (guint e = 0; e < net->edges->len; e++)
        {
          TsuNetEdge *edge = &g_array_index (net->edges, TsuNetEdge, e);
          guint       i = pos[edge->a], j = pos[edge->b];
          double      ex = x[i] - x[j], ey = y[i] - y[j];
          double      d = MAX (sqrt (ex * ex + ey * ey), 1e-3), f = d / k;

          dx[i] -= ex * f;
          dy[i] -= ey * f;
          dx[j] += ex * f;
          dy[j] += ey * f;
        }
      for (guint i = 0; i < m; i++)
        {
          double d = sqrt (dx[i] * dx[i] + dy[i] * dy[i]);

          /* A little gravity keeps separate clusters in view. */
          dx[i] -= x[i] * 0.05 * k;
          dy[i] -= y[i] * 0.05 * k;
          if (d > 0)
            {
              x[i] += dx[i] / d * MIN (d, t);
              y[i] += dy[i] / d * MIN (d, t);
            }
        }
      t = MAX (t * 0.97, 0.002);
    }
  /* Scaled on the 90th percentile: a few far-flung pairs do not squeeze
   * the rest into the middle (they are clamped to the edge instead). */
  {
    g_autofree double *d = g_new0 (double, m + 1);

    for (guint i = 0; i < m; i++)
      d[i] = sqrt (x[i] * x[i] + y[i] * y[i]);
    qsort (d, m, sizeof (double), compare_double);
    radius = m ? MAX (d[(m * 9) / 10], 1e-3) : 1;
  }
  for (guint i = 0; i < n; i++)
    {
      TsuNetNode *node = &g_array_index (net->nodes, TsuNetNode, i);

      if (node->degree > 0)
        {
          /* The connected part inside the circle of radius 0.33 … */
          double s = lonely ? 0.33 : 0.45;

          double px = x[pos[i]] / radius, py = y[pos[i]] / radius, len = hypot (px, py);

          if (len > 1.1)
            px *= 1.1 / len, py *= 1.1 / len;
          node->x = 0.5 + px * s / 1.1;
          node->y = 0.5 + py * s / 1.1;
        }
      else
        {
          /* … the unconnected on a ring around it (or filling the picture). */
          double a = 2 * G_PI * li++ / MAX (lonely, 1) - G_PI / 2;
          double r = m ? 0.45 : 0.4 * sqrt ((li - 0.5) / MAX (lonely, 1));

          if (m == 0)
            a = li * 2.399963229728653;
          node->x = 0.5 + r * cos (a);
          node->y = 0.5 + r * sin (a);
        }
    }
}
