/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every synced collection: the one list outside the feature folders that a
 * new record type is added to. The store, the sync protocol and the server
 * accept no other collection or field names than these. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-collection.h"
#include "tsu-centre.h"
#include "tsu-counter-collections.h"
#include "tsu-funder-collection.h"
#include "tsu-equipment-collections.h"
#include "tsu-grants-collections.h"
#include "tsu-group-collection.h"
#include "tsu-matching-collections.h"

/* One line per collection (kept one a line: clang-format off). */
// clang-format off
static const TsuCollection *collections[] = {
  &tsu_group_collection,
  &tsu_funder_collection,
  &tsu_centre_settings_collection,
  &tsu_volunteer_collection,
  &tsu_request_collection,
  &tsu_match_collection,
  &tsu_resource_collection,
  &tsu_booking_collection,
  &tsu_programme_collection,
  &tsu_application_collection,
  &tsu_consultation_collection,
  &tsu_event_collection,
  &tsu_registration_collection,
  &tsu_connection_collection,
  &tsu_joint_project_collection,
};
// clang-format on

const TsuCollection **
tsu_collections_all (guint *n_collections)
{
  if (n_collections)
    *n_collections = G_N_ELEMENTS (collections);
  return collections;
}

const TsuCollection *
tsu_collection_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (collections); i++)
    if (g_str_equal (collections[i]->name, name))
      return collections[i];
  return NULL;
}
