/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "tsu-date.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_GROUP_PRINT_CERTIFICATE, /* 登録証 */
  TSU_GROUP_PRINT_CARD,        /* 登録カード: every field on one page */
} TsuGroupPrintKind;

/* Who issues a 登録証: the centre's name and head, from the preferences
 * (centre-name, centre-head). */
typedef struct
{
  char *name;
  char *head;
} TsuGroupCentre;

TsuGroupCentre *tsu_group_centre_from_settings (GSettings *settings);
void            tsu_group_centre_free (TsuGroupCentre *centre);
/* The centre's name everywhere: the preference, or the generic name. */
char *tsu_centre_name (GSettings *settings);

gboolean tsu_group_print (GtkWindow            *parent,
                          JsonObject           *group,
                          TsuGroupPrintKind     kind,
                          TsuDateStyle          style,
                          const TsuGroupCentre *centre,
                          const char           *pdf_path,
                          GError              **error);

void tsu_group_print_draw (cairo_t              *cr,
                           PangoLayout          *layout,
                           JsonObject           *group,
                           TsuGroupPrintKind     kind,
                           TsuDateStyle          style,
                           const TsuGroupCentre *centre,
                           double                width,
                           double                height);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuGroupCentre, tsu_group_centre_free)

G_END_DECLS
