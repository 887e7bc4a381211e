/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-book-dialog.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-record-picker.h"
#include "tsu-record.h"

typedef struct
{
  JsonObject *resource;
  GtkWidget  *row; /* an expander with the checklist and counters */
  GPtrArray  *checks;
  GtkWidget  *masters;
  GtkWidget  *prints;
  GtkWidget  *remove;
} Item;

struct _TsuBookDialog
{
  AdwWindow parent_instance;

  TsuStore    *store;
  TsuBookMode  mode;
  TsuDateStyle style;
  JsonObject  *resource;
  GArray      *items; /* Item */

  GtkWidget *primary;
  GtkWidget *error_revealer;
  GtkWidget *error_label;
  GtkWidget *page;
  GtkWidget *picker;
  GtkWidget *contact_name;
  GtkWidget *contact_phone;
  GtkWidget *purpose;
  GtkWidget *start;
  GtkWidget *due;
  GtkWidget *count;
  GtkWidget *available_row;
  GtkWidget *available_icon;
  GtkWidget *items_group;
  GtkWidget *item_picker;
  GtkWidget *print_switch;

  gboolean      due_touched;
  gboolean      setting_due;
  gboolean      busy;
  guint         check_timeout;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TsuBookDialog, tsu_book_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (TsuBookDialog *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

static gboolean
is_room (JsonObject *resource)
{
  return g_strcmp0 (tsu_record_get_string (resource, "kind"), "room") == 0;
}

static char *
text_of (GtkWidget *w)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (w))));
}

static char *
parse_row (GtkWidget *row, char **why)
{
  g_autofree char *t = text_of (row);

  return tsu_equipment_parse_time (t, why);
}

/* ---- the due time, proposed ---- */

static void
set_due (TsuBookDialog *self, const char *iso)
{
  g_autofree char *text = NULL;

  if (iso == NULL)
    return;
  text = g_strdup_printf ("%.10s %s", iso, iso + 11);
  self->setting_due = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->due), text);
  self->setting_due = FALSE;
}

static void schedule_check (TsuBookDialog *self);

static void
propose_due (TsuBookDialog *self)
{
  g_autofree char *start = parse_row (self->start, NULL);
  g_autofree char *best = NULL;

  if (start == NULL || self->due_touched)
    return;
  /* Several items go back together, by the earliest of their due times. */
  for (guint i = 0; i < self->items->len; i++)
    {
      g_autofree char *due = tsu_booking_propose_due (
          self->store, g_array_index (self->items, Item, i).resource, start);

      if (due && (best == NULL || g_strcmp0 (due, best) < 0))
        {
          g_free (best);
          best = g_steal_pointer (&due);
        }
    }
  set_due (self, best);
}

static void
start_changed_cb (TsuBookDialog *self)
{
  propose_due (self);
  schedule_check (self);
}

static void
due_changed_cb (TsuBookDialog *self)
{
  if (!self->setting_due)
    self->due_touched = TRUE;
  schedule_check (self);
}

/* ---- is it free? ---- */

typedef struct
{
  JsonArray *asks;
  char      *answer;
} Check;

static void
check_free (Check *c)
{
  json_array_unref (c->asks);
  g_free (c->answer);
  g_free (c);
}

static gboolean
check_job (TsuStore *store, gpointer data, GError **error)
{
  Check *c = data;

  for (guint i = 0; i < json_array_get_length (c->asks) && c->answer == NULL; i++)
    {
      g_autoptr (GError) local = NULL;

      if (!tsu_booking_check_available (store, json_array_get_object_element (c->asks, i), NULL,
                                        NULL, &local))
        c->answer = g_strdup (local->message);
    }
  return TRUE;
}

static void
check_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Check *c = NULL;
  g_autoptr (GError) error = NULL;
  TsuBookDialog *self;

  if (!tsu_equipment_run_finish (result, (gpointer *)&c, &error))
    return; /* cancelled: the dialog is gone or asked again */
  self = user_data;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->available_row),
                                 c->answer ? c->answer : _ ("Free at that time"));
  gtk_image_set_from_icon_name (GTK_IMAGE (self->available_icon),
                                c->answer ? "dialog-warning-symbolic" : "emblem-ok-symbolic");
  gtk_widget_remove_css_class (self->available_icon, c->answer ? "success" : "warning");
  gtk_widget_add_css_class (self->available_icon, c->answer ? "warning" : "success");
}

static JsonObject *
booking_fields (TsuBookDialog *self, JsonObject *resource, const char *start, const char *due)
{
  JsonObject *o = json_object_new ();
  const char *group = tsu_record_picker_get_id (TSU_RECORD_PICKER (self->picker));
  int n = self->count ? gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->count)) : 1;

  json_object_set_string_member (o, "resource_id", tsu_record_get_string (resource, "id"));
  if (group)
    json_object_set_string_member (o, "group_id", group);
  json_object_set_string_member (o, "start_at", start);
  json_object_set_string_member (o, "due_at", due);
  if (is_room (resource))
    {
      if (n > 0 && self->mode == TSU_BOOK_RESERVE)
        json_object_set_int_member (o, "attendees", n);
    }
  else
    json_object_set_int_member (o, "quantity", MAX (1, n));
  return o;
}

static gboolean
check_timeout_cb (gpointer data)
{
  TsuBookDialog   *self = data;
  g_autofree char *start = parse_row (self->start, NULL);
  g_autofree char *due = parse_row (self->due, NULL);
  Check           *c;

  self->check_timeout = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (start == NULL || due == NULL || self->items->len == 0)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->available_row),
                                     _ ("Give the start and end to see whether it is free"));
      return G_SOURCE_REMOVE;
    }
  c = g_new0 (Check, 1);
  c->asks = json_array_new ();
  for (guint i = 0; i < self->items->len; i++)
    json_array_add_object_element (
        c->asks, booking_fields (self, g_array_index (self->items, Item, i).resource, start, due));
  self->cancellable = g_cancellable_new ();
  tsu_equipment_run (self->store, check_job, c, (GDestroyNotify)check_free, self->cancellable,
                     check_done_cb, self);
  return G_SOURCE_REMOVE;
}

static void
schedule_check (TsuBookDialog *self)
{
  g_clear_handle_id (&self->check_timeout, g_source_remove);
  self->check_timeout = g_timeout_add (200, check_timeout_cb, self);
}

/* ---- items (lending now) ---- */

static void
item_clear (Item *item)
{
  g_clear_pointer (&item->resource, json_object_unref);
  g_clear_pointer (&item->checks, g_ptr_array_unref);
}

static void remove_clicked_cb (GtkButton *button, TsuBookDialog *self);

static GtkWidget *
counter_row (const char *title, gint64 value)
{
  g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  return tsu_equipment_entry_row (title, text);
}

static void
add_item (TsuBookDialog *self, JsonObject *resource)
{
  Item item = { json_object_ref (resource) };
  g_auto (GStrv) accessories = tsu_equipment_strings (resource, "accessories");
  g_autofree char *title = NULL;
  const char      *number = tsu_record_get_string (resource, "control_number");

  for (guint i = 0; i < self->items->len; i++)
    if (g_strcmp0 (tsu_record_get_string (g_array_index (self->items, Item, i).resource, "id"),
                   tsu_record_get_string (resource, "id"))
        == 0)
      {
        item_clear (&item);
        return;
      }
  title = number ? g_strdup_printf ("%s（%s）", tsu_record_get_string (resource, "name"), number)
                 : g_strdup (tsu_record_get_string (resource, "name"));
  item.checks = g_ptr_array_new ();
  if (self->mode == TSU_BOOK_LEND_NOW)
    {
      item.row = adw_expander_row_new ();
      /* Names are plain text ("A&B", "<本>"), not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (item.row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item.row), title);
      adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (item.row),
                                     accessories[0] ? _ ("Tick what goes out with it")
                                                    : _ ("No accessories"));
      adw_expander_row_set_expanded (ADW_EXPANDER_ROW (item.row), accessories[0] != NULL);
      for (guint i = 0; accessories[i]; i++)
        {
          GtkWidget *row = adw_action_row_new ();

          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          GtkWidget *check = gtk_check_button_new ();

          gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), accessories[i]);
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
          gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          accessories[i], -1);
          g_object_set_data_full (G_OBJECT (check), "name", g_strdup (accessories[i]), g_free);
          g_ptr_array_add (item.checks, check);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (item.row), row);
        }
      if (tsu_record_get_bool (resource, "is_printer"))
        {
          gint64 m = 0, p = 0;

          tsu_record_get_int (resource, "master_count", &m);
          tsu_record_get_int (resource, "print_count", &p);
          item.masters = counter_row (_ ("Masters counter now"), m);
          item.prints = counter_row (_ ("Prints counter now"), p);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (item.row), item.masters);
          adw_expander_row_add_row (ADW_EXPANDER_ROW (item.row), item.prints);
          adw_expander_row_set_expanded (ADW_EXPANDER_ROW (item.row), TRUE);
        }
      if (self->items->len > 0)
        {
          item.remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
          gtk_widget_set_valign (item.remove, GTK_ALIGN_CENTER);
          gtk_widget_add_css_class (item.remove, "flat");
          gtk_widget_set_tooltip_text (item.remove, _ ("Remove from This Loan"));
          gtk_accessible_update_property (GTK_ACCESSIBLE (item.remove),
                                          GTK_ACCESSIBLE_PROPERTY_LABEL,
                                          _ ("Remove from this loan"), -1);
          g_object_set_data_full (G_OBJECT (item.remove), "id",
                                  g_strdup (tsu_record_get_string (resource, "id")), g_free);
          g_signal_connect_object (item.remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
          adw_expander_row_add_action (ADW_EXPANDER_ROW (item.row), item.remove);
        }
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->items_group), item.row);
    }
  g_array_append_val (self->items, item);
  propose_due (self);
  schedule_check (self);
}

static void
remove_clicked_cb (GtkButton *button, TsuBookDialog *self)
{
  const char *id = g_object_get_data (G_OBJECT (button), "id");

  for (guint i = 0; i < self->items->len; i++)
    {
      Item *item = &g_array_index (self->items, Item, i);

      if (g_strcmp0 (tsu_record_get_string (item->resource, "id"), id) == 0)
        {
          adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->items_group), item->row);
          g_array_remove_index (self->items, i);
          break;
        }
    }
  propose_due (self);
  schedule_check (self);
}

static void
item_picked_cb (TsuBookDialog *self, const char *id)
{
  JsonObject *r = tsu_record_picker_get_record (TSU_RECORD_PICKER (self->item_picker));

  if (r)
    add_item (self, r);
  gtk_editable_set_text (
      GTK_EDITABLE (tsu_record_picker_get_entry (TSU_RECORD_PICKER (self->item_picker))), "");
}

/* The group chosen: who to reach during the loan, from its record. */
static void
group_picked_cb (TsuBookDialog *self)
{
  JsonObject      *g = tsu_record_picker_get_record (TSU_RECORD_PICKER (self->picker));
  g_autofree char *name = NULL;
  const char      *phone;

  if (g == NULL)
    return;
  name = g_strstrip (g_strdup_printf ("%s %s",
                                      tsu_record_get_string (g, "contact_family_name") ?: "",
                                      tsu_record_get_string (g, "contact_given_name") ?: ""));
  phone = tsu_record_get_string (g, "contact_phone");
  if (phone == NULL)
    phone = tsu_record_get_string (g, "phone");
  if (*name && *gtk_editable_get_text (GTK_EDITABLE (self->contact_name)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->contact_name), name);
  if (phone && *gtk_editable_get_text (GTK_EDITABLE (self->contact_phone)) == '\0')
    gtk_editable_set_text (GTK_EDITABLE (self->contact_phone), phone);
  show_error (self, NULL);
  schedule_check (self);
}

/* ---- commit ---- */

typedef struct
{
  TsuBookMode mode;
  JsonObject *fields; /* reserve: the booking; lend: the common fields */
  JsonArray  *items;  /* lend */
  char       *now;
  GDate       today;
  GPtrArray  *ids;
} Commit;

static void
commit_free (Commit *c)
{
  g_clear_pointer (&c->fields, json_object_unref);
  g_clear_pointer (&c->items, json_array_unref);
  g_clear_pointer (&c->ids, g_ptr_array_unref);
  g_free (c->now);
  g_free (c);
}

static gboolean
commit_job (TsuStore *store, gpointer data, GError **error)
{
  Commit *c = data;

  if (c->mode == TSU_BOOK_RESERVE)
    {
      char *id = tsu_booking_book (store, c->fields, &c->today, error);

      if (id == NULL)
        return FALSE;
      c->ids = g_ptr_array_new_with_free_func (g_free);
      g_ptr_array_add (c->ids, id);
      return TRUE;
    }
  c->ids = tsu_booking_lend_now (store, c->fields, c->items, c->now, &c->today, error);
  return c->ids != NULL;
}

static void
commit_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TsuBookDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  Commit *c = NULL;

  self->busy = FALSE;
  gtk_widget_set_sensitive (self->primary, TRUE);
  if (!tsu_equipment_run_finish (result, (gpointer *)&c, &error))
    {
      show_error (self, error->message);
      return;
    }
  g_ptr_array_add (c->ids, NULL);
  g_signal_emit (self, signals[SIGNAL_DONE], 0, (GStrv)c->ids->pdata,
                 self->print_switch
                     && adw_action_row_get_activatable_widget (ADW_ACTION_ROW (self->print_switch))
                     && gtk_switch_get_active (GTK_SWITCH (adw_action_row_get_activatable_widget (
                         ADW_ACTION_ROW (self->print_switch)))));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
set_text_member (JsonObject *o, const char *name, GtkWidget *row)
{
  g_autofree char *t = text_of (row);

  if (*t)
    json_object_set_string_member (o, name, t);
}

void
tsu_book_dialog_commit (TsuBookDialog *self)
{
  g_autofree char *why = NULL;
  g_autofree char *start = NULL;
  g_autofree char *due = NULL;
  Commit          *c;

  if (self->busy)
    return;
  if (tsu_record_picker_get_id (TSU_RECORD_PICKER (self->picker)) == NULL)
    {
      show_error (self, _ ("Choose the group that borrows."));
      gtk_widget_grab_focus (tsu_record_picker_get_entry (TSU_RECORD_PICKER (self->picker)));
      return;
    }
  if (self->items->len == 0)
    {
      show_error (self, _ ("Choose what is lent."));
      return;
    }
  c = g_new0 (Commit, 1);
  c->mode = self->mode;
  c->now = tsu_equipment_now ();
  tsu_date_today (&c->today);
  start = self->mode == TSU_BOOK_LEND_NOW ? g_strdup (c->now) : parse_row (self->start, &why);
  if (start == NULL || (due = parse_row (self->due, &why)) == NULL)
    {
      show_error (self, why);
      gtk_widget_grab_focus (start == NULL ? self->start : self->due);
      commit_free (c);
      return;
    }
  if (self->mode == TSU_BOOK_RESERVE)
    {
      c->fields = booking_fields (self, g_array_index (self->items, Item, 0).resource, start, due);
      set_text_member (c->fields, "contact_name", self->contact_name);
      set_text_member (c->fields, "contact_phone", self->contact_phone);
      set_text_member (c->fields, "purpose", self->purpose);
    }
  else
    {
      c->fields = json_object_new ();
      json_object_set_string_member (c->fields, "group_id",
                                     tsu_record_picker_get_id (TSU_RECORD_PICKER (self->picker)));
      set_text_member (c->fields, "contact_name", self->contact_name);
      set_text_member (c->fields, "contact_phone", self->contact_phone);
      set_text_member (c->fields, "purpose", self->purpose);
      c->items = json_array_new ();
      for (guint i = 0; i < self->items->len; i++)
        {
          Item       *item = &g_array_index (self->items, Item, i);
          JsonObject *o = booking_fields (self, item->resource, start, due);
          JsonArray  *out = json_array_new ();

          for (guint k = 0; k < item->checks->len; k++)
            if (gtk_check_button_get_active (g_ptr_array_index (item->checks, k)))
              json_array_add_string_element (
                  out, g_object_get_data (G_OBJECT (g_ptr_array_index (item->checks, k)), "name"));
          json_object_set_array_member (o, "accessories_out", out);
          if (item->masters && item->prints)
            {
              g_autofree char *m = text_of (item->masters);
              g_autofree char *p = text_of (item->prints);
              gint64           mv, pv;

              if (!g_ascii_string_to_signed (m, 10, 0, G_MAXINT32, &mv, NULL)
                  || !g_ascii_string_to_signed (p, 10, 0, G_MAXINT32, &pv, NULL))
                {
                  show_error (self, _ ("Write the counters as whole numbers."));
                  json_object_unref (o);
                  commit_free (c);
                  return;
                }
              json_object_set_int_member (o, "masters_out", mv);
              json_object_set_int_member (o, "prints_out", pv);
            }
          json_array_add_object_element (c->items, o);
        }
    }
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->primary, FALSE);
  show_error (self, NULL);
  tsu_equipment_run (self->store, commit_job, c, (GDestroyNotify)commit_free, NULL, commit_done_cb,
                     g_object_ref (self));
}

/* ---- building ---- */

static GtkWidget *
spin_row (const char *title, const char *subtitle, int min, int max, int value, GtkWidget **spin)
{
  GtkWidget *row = adw_action_row_new ();

  *spin = gtk_spin_button_new_with_range (min, max, 1);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (*spin), value);
  gtk_widget_set_valign (*spin, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *spin);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*spin), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
build (TsuBookDialog *self, const char *start, const char *end)
{
  gboolean         lend = self->mode == TSU_BOOK_LEND_NOW;
  gboolean         room = is_room (self->resource);
  GtkWidget       *who = adw_preferences_group_new ();
  GtkWidget       *when = adw_preferences_group_new ();
  g_autofree char *now = tsu_equipment_now ();
  g_autofree char *start_text = NULL;
  gint64           stock = 1;

  gtk_window_set_title (GTK_WINDOW (self), lend   ? _ ("Lend")
                                           : room ? _ ("Book the Room")
                                                  : _ ("Book"));
  gtk_button_set_label (GTK_BUTTON (self->primary), lend ? _ ("_Lend") : _ ("_Book"));

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (who), _ ("Borrower"));
  self->picker = tsu_record_picker_new (self->store, TSU_PICKER_GROUPS);
  g_signal_connect_object (self->picker, "picked", G_CALLBACK (group_picked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (who), self->picker);
  self->contact_name = tsu_equipment_entry_row (_ ("Person in charge"), NULL);
  self->contact_phone = tsu_equipment_entry_row (_ ("Phone during the loan"), NULL);
  self->purpose = tsu_equipment_entry_row (_ ("Purpose"), NULL);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (who));
  /* The rows in a group of their own: a group shows widgets that are not
   * rows below its rows, and the group is chosen first. */
  {
    GtkWidget *contact = adw_preferences_group_new ();

    adw_preferences_group_add (ADW_PREFERENCES_GROUP (contact), self->contact_name);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (contact), self->contact_phone);
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (contact), self->purpose);
    adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (contact));
  }

  {
    /* A group's title is markup: the item's name is escaped ("A&B"). */
    g_autofree char *name
        = g_markup_escape_text (tsu_record_get_string (self->resource, "name") ?: "", -1);

    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (when), lend ? _ ("Loan") : name);
  }
  if (!lend)
    adw_preferences_group_set_description (
        ADW_PREFERENCES_GROUP (when),
        _ ("Write times like 2026-12-05 10:00 or 12/5 10:00. The end is proposed from the "
           "longest loan and the centre’s open days until you change it."));
  if (start == NULL)
    start = now;
  start_text = g_strdup_printf ("%.10s %s", start, start + 11);
  self->start = tsu_equipment_entry_row (lend ? _ ("Lent from (now)") : _ ("From"), start_text);
  gtk_widget_set_sensitive (self->start, !lend);
  self->due = tsu_equipment_entry_row (lend ? _ ("Back by") : _ ("Until"), NULL);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), self->start);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), self->due);
  tsu_record_get_int (self->resource, "stock", &stock);
  if (room && !lend)
    adw_preferences_group_add (ADW_PREFERENCES_GROUP (when),
                               spin_row (_ ("Attendees"), NULL, 0, 100000, 0, &self->count));
  else if (stock > 1)
    adw_preferences_group_add (
        ADW_PREFERENCES_GROUP (when),
        spin_row (_ ("How many"), NULL, 1, (int)CLAMP (stock, 1, 9999), 1, &self->count));
  self->available_row = adw_action_row_new ();
  self->available_icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
  adw_action_row_add_prefix (ADW_ACTION_ROW (self->available_row), self->available_icon);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (self->available_row), 0);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->available_row), FALSE);
  gtk_widget_set_name (self->available_row, "availability");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (when), self->available_row);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (when));

  if (lend)
    {
      GtkWidget *print = adw_preferences_group_new ();
      GtkWidget *sw = gtk_switch_new ();

      self->items_group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->items_group), _ ("Items"));
      adw_preferences_group_set_description (
          ADW_PREFERENCES_GROUP (self->items_group),
          _ ("Check the accessories with the group as they go out."));
      self->item_picker = tsu_record_picker_new (self->store, TSU_PICKER_ITEMS);
      g_signal_connect_object (self->item_picker, "picked", G_CALLBACK (item_picked_cb), self,
                               G_CONNECT_SWAPPED);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page),
                                ADW_PREFERENCES_GROUP (self->items_group));
      {
        GtkWidget *more = adw_preferences_group_new ();

        adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (more), _ ("Add Another Item"));
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (more), self->item_picker);
        adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (more));
      }
      self->print_switch = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->print_switch),
                                     _ ("Print the loan slip (貸出票)"));
      gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (self->print_switch), sw);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (self->print_switch), sw);
      gtk_accessible_update_property (GTK_ACCESSIBLE (sw), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("Print the loan slip"), -1);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (print), self->print_switch);
      adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (print));
    }
  add_item (self, self->resource);
  if (end)
    {
      set_due (self, end);
      self->due_touched = TRUE;
    }
  else
    propose_due (self);
  g_signal_connect_object (self->start, "changed", G_CALLBACK (start_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->due, "changed", G_CALLBACK (due_changed_cb), self,
                           G_CONNECT_SWAPPED);
  if (self->count)
    g_signal_connect_object (self->count, "value-changed", G_CALLBACK (schedule_check), self,
                             G_CONNECT_SWAPPED);
  schedule_check (self);
}

static void
primary_clicked_cb (TsuBookDialog *self)
{
  tsu_book_dialog_commit (self);
}

static void
tsu_book_dialog_dispose (GObject *object)
{
  TsuBookDialog *self = TSU_BOOK_DIALOG (object);

  g_clear_handle_id (&self->check_timeout, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_book_dialog_parent_class)->dispose (object);
}

static void
tsu_book_dialog_finalize (GObject *object)
{
  TsuBookDialog *self = TSU_BOOK_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->resource, json_object_unref);
  g_array_unref (self->items);
  G_OBJECT_CLASS (tsu_book_dialog_parent_class)->finalize (object);
}

static void
tsu_book_dialog_class_init (TsuBookDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_book_dialog_dispose;
  object_class->finalize = tsu_book_dialog_finalize;
  /**
   * TsuBookDialog::done:
   * @ids: the new bookings
   * @print: whether the 貸出票 was asked for
   */
  signals[SIGNAL_DONE]
      = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRV, G_TYPE_BOOLEAN);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_book_dialog_init (TsuBookDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));

  self->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (self->items, (GDestroyNotify)item_clear);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 680);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->primary = gtk_button_new_with_mnemonic (_ ("_Book"));
  gtk_widget_add_css_class (self->primary, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  g_signal_connect_object (self->primary, "clicked", G_CALLBACK (primary_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), self->primary);
  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_set_margin_start (self->error_label, 18);
  gtk_widget_set_margin_end (self->error_label, 18);
  gtk_widget_set_margin_top (self->error_label, 8);
  gtk_widget_set_margin_bottom (self->error_label, 8);
  gtk_widget_add_css_class (self->error_label, "error");
  self->error_revealer = gtk_revealer_new ();
  gtk_revealer_set_child (GTK_REVEALER (self->error_revealer), self->error_label);
  self->page = adw_preferences_page_new ();
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), self->error_revealer);
  gtk_box_append (GTK_BOX (box), self->page);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->primary);
}

TsuBookDialog *
tsu_book_dialog_new (GtkWindow   *parent,
                     TsuStore    *store,
                     TsuBookMode  mode,
                     JsonObject  *resource,
                     const char  *start,
                     const char  *end,
                     TsuDateStyle style)
{
  TsuBookDialog *self = g_object_new (TSU_TYPE_BOOK_DIALOG, "transient-for", parent, NULL);

  self->store = g_object_ref (store);
  self->mode = mode;
  self->style = style;
  self->resource = json_object_ref (resource);
  build (self, start, end);
  return self;
}

GtkWidget *
tsu_book_dialog_get_row (TsuBookDialog *self, const char *name)
{
  if (g_str_equal (name, "start"))
    return self->start;
  if (g_str_equal (name, "due"))
    return self->due;
  if (g_str_equal (name, "availability"))
    return self->available_row;
  if (g_str_equal (name, "error"))
    return self->error_label;
  if (g_str_equal (name, "purpose"))
    return self->purpose;
  return NULL;
}

void
tsu_book_dialog_set_group (TsuBookDialog *self, const char *group_id)
{
  tsu_record_picker_set_id (TSU_RECORD_PICKER (self->picker), group_id);
}
