/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tsu-store.h"

G_BEGIN_DECLS

/* Realistic, clearly fictitious Omuta data for the demo database, tests and
 * benchmarks. The same seed gives the same data. */

typedef struct
{
  char *family_name;
  char *given_name;
  char *family_kana; /* full-width katakana */
  char *given_kana;
} TsuDemoPerson;

void        tsu_demo_person (GRand *rand, TsuDemoPerson *person);
void        tsu_demo_person_clear (TsuDemoPerson *person);
const char *tsu_demo_school_district (GRand *rand);
char       *tsu_demo_address (GRand *rand, char **postal_code);
char       *tsu_demo_phone (GRand *rand, gboolean mobile);
JsonObject *tsu_demo_group (GRand *rand, guint serial, const GDate *today);

gboolean tsu_demo_populate_groups (
    TsuStore *store, GRand *rand, guint n_groups, const GDate *today, GError **error);
gboolean tsu_demo_populate_funders (TsuStore *store, GRand *rand, GError **error);
gboolean tsu_demo_populate (TsuStore *store, guint32 seed, GError **error);

/* Meta keys of a demo database: the fiscal year it was made for (the app
 * makes a demo anew once that year is over). */
#define TSU_DEMO_FISCAL_YEAR_KEY "demo.fiscal_year"

G_END_DECLS
