/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tsu-collection.h"
#include "tsu-date.h"
#include "tsu-record-form.h"
#include "tsu-record-list.h"
#include "tsu-record-list-view.h"
#include "tsu-record-query.h"
#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_TYPE_RECORD_PAGE (tsu_record_page_get_type ())
G_DECLARE_DERIVABLE_TYPE (TsuRecordPage, tsu_record_page, TSU, RECORD_PAGE, AdwBin)

/* A page of the window for one collection (like sysprof's SysprofSection):
 * search, filters, sort by column headers (in SQLite), the count, the
 * empty / loading / no-results pages, a list–detail leaflet, the
 * unsaved-change guard (leaving a record, closing the window, going to
 * another page), CSV import and export, undo toasts (tsu_store_revert())
 * and a TsuRecordForm. A subclass is mostly its .ui:
 *
 *   <template class="TsuFundersPage" parent="TsuRecordPage">
 *     <property name="collection-name">funders</property>
 *     <child type="column"><object class="TsuRecordColumn">…</object></child>
 *     <child type="filter">…a widget for the filter popover…</child>
 *     <child type="action">…a button in the record's header…</child>
 *     <child type="read-section">…an AdwPreferencesGroup…</child>
 *   </template>
 *
 * and overrides the few vfuncs below it needs. */
struct _TsuRecordPageClass
{
  AdwBinClass parent_class;

  /* Adds the page's filters and settings to the query about to run. */
  void (*prepare_query) (TsuRecordPage *self, TsuRecordQuery *query);
  /* What the active filters are, for the bar above the list; NULL: none. */
  char *(*describe_filters) (TsuRecordPage *self);
  void (*clear_filters) (TsuRecordPage *self);
  /* "3 groups" */
  char *(*format_count) (TsuRecordPage *self, guint n);
  /* Fills a new record's defaults. */
  void (*new_record) (TsuRecordPage *self, JsonObject *defaults);
  /* A record was shown or changed: header buttons, own sections. */
  void (*record_loaded) (TsuRecordPage *self, JsonObject *record);
  /* Records like a new one (id, name, reason), or NULL. */
  JsonArray *(*find_duplicates) (TsuRecordPage *self, JsonObject *record);
  /* A setting changed (GSettings key, or NULL for all). */
  void (*settings_changed) (TsuRecordPage *self, const char *key);

  gpointer padding[8];
};

TsuStore            *tsu_record_page_get_store (TsuRecordPage *self);
void                 tsu_record_page_set_store (TsuRecordPage *self, TsuStore *store);
const TsuCollection *tsu_record_page_get_collection (TsuRecordPage *self);
GSettings           *tsu_record_page_get_settings (TsuRecordPage *self);
void                 tsu_record_page_set_settings (TsuRecordPage *self, GSettings *settings);
guint tsu_record_page_get_setting_uint (TsuRecordPage *self, const char *key, guint fallback);
TsuDateStyle          tsu_record_page_get_date_style (TsuRecordPage *self);
TsuRecordForm        *tsu_record_page_get_form (TsuRecordPage *self);
TsuRecordList        *tsu_record_page_get_list (TsuRecordPage *self);
TsuRecordListView    *tsu_record_page_get_list_view (TsuRecordPage *self);
const TsuRecordQuery *tsu_record_page_get_query (TsuRecordPage *self);
GtkWindow            *tsu_record_page_get_window (TsuRecordPage *self);

/* Runs the query again (a filter changed). */
void tsu_record_page_refresh (TsuRecordPage *self);
void tsu_record_page_set_search (TsuRecordPage *self, const char *text);
void tsu_record_page_set_sort (TsuRecordPage *self, const char *sort, gboolean descending);
/* Opens a record (asks first when the shown one has unsaved changes). */
void tsu_record_page_show_record (TsuRecordPage *self, const char *id);
void tsu_record_page_new_record (TsuRecordPage *self);

void tsu_record_page_toast (TsuRecordPage *self, const char *title);
/* Shows @toast (transfer full) over the page. */
void tsu_record_page_add_toast (TsuRecordPage *self, AdwToast *toast);
void tsu_record_page_show_error (TsuRecordPage *self, const GError *error);
/* A toast whose Undo reverts the newest history entry of @id (the change
 * just made), through tsu_store_revert(). The entry is read in a worker;
 * the toast shows when it is back (never on a page disposed meanwhile). */
void tsu_record_page_toast_undo (TsuRecordPage *self, const char *title, const char *id);
/* The same for a record of another collection the page shows (the
 * applications of a programme). */
void tsu_record_page_toast_undo_in (TsuRecordPage *self,
                                    const char    *collection,
                                    const char    *title,
                                    const char    *id);

/* A core call that changes record @id of the page's collection (register,
 * renew, withdraw, consent…). It runs in a worker: no GTK, and @data is
 * its own. %FALSE with @error set refuses. */
typedef gboolean (*TsuRecordActionFunc) (TsuStore   *store,
                                         const char *id,
                                         gpointer    data,
                                         GError    **error);

typedef enum
{
  TSU_RECORD_ACTION_DEFAULT = 0,
  /* The toast offers no Undo (an erasure cannot be undone). */
  TSU_RECORD_ACTION_NO_UNDO = 1 << 0,
} TsuRecordActionFlags;

/* Runs @func (@id, @data) in a worker, then on this thread: its error over
 * the page, or the record shown again (when it is still @id) and a toast
 * @title whose Undo reverts the history entry @func wrote (read in the
 * same worker). A page disposed before the worker returns is not touched;
 * the change is made all the same. @data is freed with @data_free. */
void tsu_record_page_run_action (TsuRecordPage       *self,
                                 const char          *id,
                                 const char          *title,
                                 TsuRecordActionFlags flags,
                                 TsuRecordActionFunc  func,
                                 gpointer             data,
                                 GDestroyNotify       data_free);

/* The unsaved-change guard for leaving the page (another page of the
 * window): @done runs with TRUE when the page may be left (nothing
 * unsaved, saved, or discarded), FALSE when the person stays. */
typedef void (*TsuRecordPageLeaveFunc) (gpointer data, gboolean may_leave);
void
tsu_record_page_confirm_leave (TsuRecordPage *self, TsuRecordPageLeaveFunc done, gpointer data);
gboolean tsu_record_page_get_dirty (TsuRecordPage *self);

G_END_DECLS
