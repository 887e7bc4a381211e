/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_BOOKING_DIALOG (tsu_booking_dialog_get_type ())
G_DECLARE_FINAL_TYPE (TsuBookingDialog, tsu_booking_dialog, TSU, BOOKING_DIALOG, AdwWindow)

/* One step in a booking's life, at the counter:
 *  LEND   予約 → 貸出中: who is reachable, the accessories going out (ticked
 *         with the group), the printer's counters, the 貸出票;
 *  RETURN 貸出中 → 返却済: the accessories back, the condition and damage
 *         (a damaged item goes to 修理中 in the same step), the printer's
 *         counters, and the fee worked out and shown on the button before
 *         the group is charged;
 *  MOVE   new times, or cancel ("move or cancel", also for a booking the
 *         server refused); a loan only gets a later due time.
 * "done" (id, fee or -1, print) when the step is written. */
typedef enum
{
  TSU_BOOKING_STEP_LEND,
  TSU_BOOKING_STEP_RETURN,
  TSU_BOOKING_STEP_MOVE,
} TsuBookingStep;

TsuBookingDialog *tsu_booking_dialog_new (GtkWindow     *parent,
                                          TsuStore      *store,
                                          TsuBookingStep step,
                                          const char    *booking_id,
                                          TsuDateStyle   style,
                                          GError       **error);
/* The fee the return would charge now, as shown (tests). */
gint64 tsu_booking_dialog_get_fee (TsuBookingDialog *self);
void   tsu_booking_dialog_commit (TsuBookingDialog *self);

G_END_DECLS
