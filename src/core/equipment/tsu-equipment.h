/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the desk does with equipment and rooms: propose a due date from the
 * centre's open days, book, lend, take back (with the damage and the
 * printer's counters), the fee, today's desk, the monthly report. Each
 * action is one transaction; the double-booking rule runs inside it. */
#pragma once

#include "tsu-csv.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_EQUIPMENT_ERROR (tsu_equipment_error_quark ())

typedef enum
{
  TSU_EQUIPMENT_ERROR_STATE,       /* the step does not follow from where the booking is */
  TSU_EQUIPMENT_ERROR_UNAVAILABLE, /* under repair, disposed of */
  TSU_EQUIPMENT_ERROR_HORIZON,     /* booking opens later, or the day is closed */
} TsuEquipmentError;

GQuark tsu_equipment_error_quark (void);

/* "YYYY-MM-DDTHH:MM" arithmetic and text. */
char *tsu_datetime_add_minutes (const char *iso, gint64 minutes);
char *tsu_datetime_span_text (const char *start, const char *end);

/* The centre's closed days (centre settings): closed weekdays as a mask of
 * (1 << G_DATE_MONDAY)…, closures (年末年始…) as dates. */
void tsu_centre_closed_days (TsuStore *store, guint *weekdays, GArray **closures);
/* Whether @day is a day the centre is closed (a closed weekday, a closure,
 * a 国民の祝日). */
gboolean tsu_centre_is_closed (TsuStore *store, const GDate *day);

/* The due time a loan of @resource starting at @start gets: the item's
 * longest loan (the same day for items used in the centre), moved to the
 * next open day when it falls on a closed weekday, a closure or a 国民の祝日. */
char *tsu_booking_propose_due (TsuStore *store, JsonObject *resource, const char *start);

/* The fee in yen: from the tariff and the time it was out, plus the
 * printer's masters and prints. */
gint64 tsu_booking_fee (JsonObject *resource, JsonObject *booking);

/* 予約: a new booking (number B年度-NNNN, state reserved). Refused when the
 * start lies beyond the booking horizon (centre setting), when the
 * resource is not available, on a clash (TSU_STORE_ERROR_RULE). */
char *tsu_booking_book (TsuStore *store, JsonObject *fields, const GDate *today, GError **error);
/* 貸出: reserved → lent, with the accessories and the counters out. */
gboolean tsu_booking_lend (
    TsuStore *store, const char *id, const char *now, JsonObject *details, GError **error);
/* 返却: lent → returned, with accessories back, condition, damage note and
 * the counters; the fee is computed; a damaged item goes to 修理中 and a
 * printer's counters move, all in the same transaction. */
gboolean tsu_booking_return (TsuStore   *store,
                             const char *id,
                             const char *now,
                             JsonObject *details,
                             gint64     *fee,
                             GError    **error);
gboolean tsu_booking_cancel (TsuStore *store, const char *id, GError **error);

/* Today's desk (本日の窓口): bookings that go out today, come back today,
 * are overdue, and today's room bookings; JSON objects with the booking and
 * resource_name, group_name, group_phone. */
typedef struct
{
  JsonArray *going_out;
  JsonArray *coming_back;
  JsonArray *overdue;
  JsonArray *rooms;
} TsuDeskDay;

gboolean tsu_equipment_desk_day (TsuStore *store, const char *now, TsuDeskDay *day, GError **error);
void     tsu_desk_day_clear (TsuDeskDay *day);

/* The monthly report: bookings starting from @from to @to (dates,
 * inclusive), in start order, headers 予約番号, 種別, 名称, 管理番号,
 * 団体登録番号, 団体名, 開始, 終了, 返却日時, 状態, 料金. */
GBytes *tsu_booking_report (TsuStore      *store,
                            const GDate   *from,
                            const GDate   *to,
                            TsuCsvEncoding encoding,
                            GPtrArray     *unencodable,
                            GError       **error);

G_END_DECLS
