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

gboolean tsu_group_print (GtkWindow        *parent,
                          JsonObject       *group,
                          TsuGroupPrintKind kind,
                          TsuDateStyle      style,
                          const char       *pdf_path,
                          GError          **error);

void tsu_group_print_draw (cairo_t          *cr,
                           PangoLayout      *layout,
                           JsonObject       *group,
                           TsuGroupPrintKind kind,
                           TsuDateStyle      style,
                           double            width,
                           double            height);

G_END_DECLS
