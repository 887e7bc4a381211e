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
  TSU_EQUIPMENT_ERROR_HOURS,       /* a room outside its bookable hours */
  TSU_EQUIPMENT_ERROR_STOCK,       /* more asked for than the centre has */
  TSU_EQUIPMENT_ERROR_STILL_OUT,   /* the item has not come back from the last loan */
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

/* The hours a room (or an item used only in the centre) can be booked:
 * its own, else the centre's room hours; NULL when not set. */
void tsu_resource_hours (TsuStore *store, JsonObject *resource, char **open, char **close);

/* The due time a loan of @resource starting at @start gets: the item's
 * longest loan, moved to the next open day when it falls on a closed
 * weekday, a closure or a 国民の祝日; rooms and items used in the centre go
 * back the same day, at the end of the time slot (午前 12:00, 午後 17:00,
 * 夜間 21:00) or by closing time. */
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
/* 変更: a reserved booking to new times (@start NULL keeps it), or a lent
 * one's due time (an extension); every rule is checked again. This is
 * what "move or cancel" offers for a booking the server refused. */
gboolean tsu_booking_move (TsuStore    *store,
                           const char  *id,
                           const char  *start,
                           const char  *due,
                           const GDate *today,
                           GError     **error);
/* 貸出 over the counter: one booking per item in @items, booked and lent
 * now, all in one transaction. Returns the new ids. */
GPtrArray *tsu_booking_lend_now (TsuStore    *store,
                                 JsonObject  *common,
                                 JsonArray   *items,
                                 const char  *now,
                                 const GDate *today,
                                 GError     **error);
/* The double-booking rule asked without writing (a page checks a time
 * before it offers it); FALSE with TSU_STORE_ERROR_RULE naming the clash. */
gboolean tsu_booking_check_available (
    TsuStore *store, JsonObject *booking, const char *except_id, char **clash_id, GError **error);

/* Bookings as pages show them: each object holds the booking's fields and
 * resource_name, resource_kind, control_number, holder_name (the group or
 * the centre's event) and contact_phone. */
GPtrArray *tsu_booking_list_range (
    TsuStore *store, const char *resource_id, const char *from, const char *to, GError **error);
GPtrArray *tsu_booking_list_for_resource (TsuStore   *store,
                                          const char *resource_id,
                                          guint       n_past,
                                          GError    **error);
GPtrArray *
tsu_booking_list_for_group (TsuStore *store, const char *group_id, guint limit, GError **error);
JsonObject *tsu_booking_get_details (TsuStore *store, const char *id, GError **error);

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
