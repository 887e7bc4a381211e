/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_BOOK_DIALOG (tsu_book_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuBookDialog, tsu_book_dialog, TSU, BOOK_DIALOG, AdwWindow)

typedef enum
{
  TSU_BOOK_RESERVE,  /* 予約: a booking ahead, for a time chosen or typed */
  TSU_BOOK_LEND_NOW, /* 貸出 over the counter: from now, one item or several */
} TsuBookMode;

/* A booking made at the counter: the group (its status in view), who is
 * reachable, purpose, the times (the due time proposed from the item's
 * longest loan and the centre's open days until changed by hand), how
 * many; whether the time is free is asked of the clash rule as the times
 * change. Lending now adds the accessories checklist and the printer's
 * counters per item, more items, and the 貸出票. "done" gives the ids. */
TsuBookDialog *tsu_book_dialog_new (GtkWindow   *parent,
                                    TsuStore    *store,
                                    TsuBookMode  mode,
                                    JsonObject  *resource,
                                    const char  *start,
                                    const char  *end,
                                    TsuDateStyle style);
/* Tests: the rows by their titles. */
GtkWidget *tsu_book_dialog_get_row (TsuBookDialog *self, const char *name);
void       tsu_book_dialog_set_group (TsuBookDialog *self, const char *group_id);
/* Runs the action now (what the primary button does). */
void tsu_book_dialog_commit (TsuBookDialog *self);

G_END_DECLS
