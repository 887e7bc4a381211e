/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-booking-dialog.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-record.h"

struct _TsuBookingDialog
{
  AdwWindow parent_instance;

  TsuStore      *store;
  TsuBookingStep step;
  TsuDateStyle   style;
  JsonObject    *booking; /* as tsu_booking_get_details() gives it */
  JsonObject    *resource;
  char          *now;

  GtkWidget    *primary;
  GtkWidget    *cancel_booking;
  GtkWidget    *error_revealer;
  GtkWidget    *error_label;
  GtkWidget    *page;
  GPtrArray    *checks;
  GtkWidget    *contact_name;
  GtkWidget    *contact_phone;
  GtkWidget    *masters;
  GtkWidget    *prints;
  GtkWidget    *damaged;
  GtkWidget    *damage_note;
  GtkWidget    *fee_row;
  GtkWidget    *start;
  GtkWidget    *due;
  GtkWidget    *available_row;
  GtkWidget    *print_switch;
  gint64        fee;
  gboolean      busy;
  guint         check_timeout;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (TsuBookingDialog, tsu_booking_dialog, ADW_TYPE_WINDOW)

enum
{
  SIGNAL_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (TsuBookingDialog *self, const char *message)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), message ? message : "");
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->error_revealer), message != NULL);
}

static char *
text_of (GtkWidget *w)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (w))));
}

static gboolean
counter_value (GtkWidget *row, gint64 *value)
{
  g_autofree char *t = row ? text_of (row) : NULL;

  return t && g_ascii_string_to_signed (t, 10, 0, G_MAXINT32, value, NULL);
}

static GtkWidget *
info_row (const char *value, const char *label)
{
  GtkWidget *row = adw_action_row_new ();

  /* As the record's read view: the value first, its label under it. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), value ? value : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), label);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  return row;
}

static GtkWidget *
switch_row (const char *title, const char *subtitle, GtkWidget **sw)
{
  GtkWidget *row = adw_action_row_new ();

  *sw = gtk_switch_new ();
  gtk_widget_set_valign (*sw, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *sw);
  gtk_accessible_update_property (GTK_ACCESSIBLE (*sw), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static GtkWidget *
check_row (const char *name, gboolean active, GPtrArray *checks)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();

  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), active);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE); /* "A&B" is a name */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data_full (G_OBJECT (check), "name", g_strdup (name), g_free);
  g_ptr_array_add (checks, check);
  return row;
}

static JsonArray *
checked (TsuBookingDialog *self)
{
  JsonArray *a = json_array_new ();

  for (guint i = 0; i < self->checks->len; i++)
    if (gtk_check_button_get_active (g_ptr_array_index (self->checks, i)))
      json_array_add_string_element (
          a, g_object_get_data (G_OBJECT (g_ptr_array_index (self->checks, i)), "name"));
  return a;
}

/* ---- the fee, before the group is charged ---- */

static void
update_fee (TsuBookingDialog *self)
{
  g_autoptr (JsonObject) b = json_object_new ();
  g_autofree char *yen = NULL;
  g_autofree char *label = NULL;
  g_autoptr (GString) how = g_string_new (NULL);
  const char *copy[] = { "start_at", "due_at", "quantity", "masters_out", "prints_out", NULL };
  gint64      v, mo, po;
  gboolean    counters_ok = TRUE;

  for (guint i = 0; copy[i]; i++)
    if (json_object_has_member (self->booking, copy[i]))
      json_object_set_member (b, copy[i],
                              json_node_copy (json_object_get_member (self->booking, copy[i])));
  json_object_set_string_member (b, "returned_at", self->now);
  if (self->masters)
    {
      if (counter_value (self->masters, &v))
        json_object_set_int_member (b, "masters_in", v);
      else
        counters_ok = FALSE;
      if (counter_value (self->prints, &v))
        json_object_set_int_member (b, "prints_in", v);
      else
        counters_ok = FALSE;
    }
  self->fee = tsu_booking_fee (self->resource, b);
  yen = tsu_equipment_yen (self->fee);
  /* How it is made up, so that the counter can explain it. */
  {
    gint64 base;
    g_autoptr (JsonObject) plain = json_object_ref (b);
    g_autoptr (JsonObject) r = json_object_new ();
    g_autofree char *fee_text = NULL;
    const char      *kinds[] = { "fee_kind", "fee", "stock", NULL };

    for (guint i = 0; kinds[i]; i++)
      if (json_object_has_member (self->resource, kinds[i]))
        json_object_set_member (r, kinds[i],
                                json_node_copy (json_object_get_member (self->resource, kinds[i])));
    base = tsu_booking_fee (r, plain);
    fee_text = tsu_equipment_yen (base);
    if (base > 0)
      g_string_append_printf (how, _ ("Use: %s"), fee_text);
    if (tsu_record_get_bool (self->resource, "is_printer")
        && tsu_record_get_int (b, "masters_in", &v) && tsu_record_get_int (b, "masters_out", &mo))
      {
        gint64 pi = 0, mf = 0, pf = 0;

        tsu_record_get_int (b, "prints_in", &pi);
        tsu_record_get_int (b, "prints_out", &po);
        tsu_record_get_int (self->resource, "master_fee", &mf);
        tsu_record_get_int (self->resource, "print_fee", &pf);
        if (how->len)
          g_string_append (how, _ (" ・ "));
        /* TRANSLATORS: a printer's part of a fee: 1: masters used, 2: yen each, 3: prints, 4: yen
         * each */
        g_string_append_printf (how, _ ("%1$d masters × %2$d yen, %3$d prints × %4$d yen"),
                                (int)MAX (0, v - mo), (int)mf, (int)MAX (0, pi - po), (int)pf);
      }
  }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->fee_row),
                                 self->fee > 0 ? yen : _ ("Free"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->fee_row), how->len ? how->str : _ ("Fee"));
  if (!counters_ok)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (self->fee_row),
                                 _ ("Write the counters as whole numbers."));
  if (self->fee > 0)
    /* TRANSLATORS: the button that returns the item and charges the fee */
    label = g_strdup_printf (_ ("_Return and Charge %s"), yen);
  gtk_button_set_label (GTK_BUTTON (self->primary), label ? label : _ ("_Return"));
}

static void
damaged_cb (TsuBookingDialog *self)
{
  gboolean on = gtk_switch_get_active (GTK_SWITCH (self->damaged));

  gtk_widget_set_visible (self->damage_note, on);
  if (on)
    gtk_widget_grab_focus (self->damage_note);
}

/* ---- moving: is the new time free? ---- */

typedef struct
{
  JsonObject *ask;
  char       *except;
  char       *answer;
} Check;

static void
check_free (Check *c)
{
  json_object_unref (c->ask);
  g_free (c->except);
  g_free (c->answer);
  g_free (c);
}

static gboolean
check_job (TsuStore *store, gpointer data, GError **error)
{
  Check *c = data;
  g_autoptr (GError) local = NULL;

  if (!tsu_booking_check_available (store, c->ask, c->except, NULL, &local))
    c->answer = g_strdup (local->message);
  return TRUE;
}

static void
check_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Check            *c = NULL;
  TsuBookingDialog *self;

  if (!tsu_equipment_run_finish (result, (gpointer *)&c, NULL))
    return;
  self = user_data;
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->available_row),
                                 c->answer ? c->answer : _ ("Free at that time"));
}

static gboolean
check_timeout_cb (gpointer data)
{
  TsuBookingDialog *self = data;
  g_autofree char  *s = NULL, *d = NULL;
  Check            *c;

  self->check_timeout = 0;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  s = self->start
          ? tsu_equipment_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start)), NULL)
          : g_strdup (tsu_record_get_string (self->booking, "start_at"));
  d = tsu_equipment_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->due)), NULL);
  if (s == NULL || d == NULL)
    {
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->available_row),
                                     _ ("Give the start and end to see whether it is free"));
      return G_SOURCE_REMOVE;
    }
  c = g_new0 (Check, 1);
  c->ask = json_object_new ();
  c->except = g_strdup (tsu_record_get_string (self->booking, "id"));
  json_object_set_string_member (c->ask, "resource_id",
                                 tsu_record_get_string (self->booking, "resource_id"));
  if (tsu_record_get_string (self->booking, "group_id"))
    json_object_set_string_member (c->ask, "group_id",
                                   tsu_record_get_string (self->booking, "group_id"));
  json_object_set_string_member (c->ask, "state", tsu_record_get_string (self->booking, "state"));
  json_object_set_string_member (c->ask, "start_at", s);
  json_object_set_string_member (c->ask, "due_at", d);
  if (json_object_has_member (self->booking, "quantity"))
    json_object_set_member (c->ask, "quantity",
                            json_node_copy (json_object_get_member (self->booking, "quantity")));
  self->cancellable = g_cancellable_new ();
  tsu_equipment_run (self->store, check_job, c, (GDestroyNotify)check_free, self->cancellable,
                     check_done_cb, self);
  return G_SOURCE_REMOVE;
}

static void
times_changed_cb (TsuBookingDialog *self)
{
  g_clear_handle_id (&self->check_timeout, g_source_remove);
  self->check_timeout = g_timeout_add (200, check_timeout_cb, self);
}

/* ---- commit ---- */

typedef struct
{
  TsuBookingStep step;
  char          *id;
  char          *now;
  char          *start;
  char          *due;
  gboolean       cancel;
  JsonObject    *details;
  gint64         fee;
} Commit;

static void
commit_free (Commit *c)
{
  g_free (c->id);
  g_free (c->now);
  g_free (c->start);
  g_free (c->due);
  g_clear_pointer (&c->details, json_object_unref);
  g_free (c);
}

static gboolean
commit_job (TsuStore *store, gpointer data, GError **error)
{
  Commit *c = data;
  GDate   today;

  switch (c->step)
    {
    case TSU_BOOKING_STEP_LEND:
      return tsu_booking_lend (store, c->id, c->now, c->details, error);
    case TSU_BOOKING_STEP_RETURN:
      return tsu_booking_return (store, c->id, c->now, c->details, &c->fee, error);
    case TSU_BOOKING_STEP_MOVE:
    default:
      if (c->cancel)
        return tsu_booking_cancel (store, c->id, error);
      tsu_date_today (&today);
      return tsu_booking_move (store, c->id, c->start, c->due, &today, error);
    }
}

static void
commit_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (TsuBookingDialog) self = user_data;
  g_autoptr (GError) error = NULL;
  Commit  *c = NULL;
  gboolean print;

  self->busy = FALSE;
  gtk_widget_set_sensitive (self->primary, TRUE);
  if (!tsu_equipment_run_finish (result, (gpointer *)&c, &error))
    {
      show_error (self, error->message);
      return;
    }
  print = self->print_switch && gtk_switch_get_active (GTK_SWITCH (self->print_switch));
  g_signal_emit (self, signals[SIGNAL_DONE], 0, c->id,
                 c->step == TSU_BOOKING_STEP_RETURN ? c->fee : (gint64)-1,
                 c->step == TSU_BOOKING_STEP_MOVE && c->cancel ? "cancelled" : NULL, print);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
run (TsuBookingDialog *self, Commit *c)
{
  self->busy = TRUE;
  gtk_widget_set_sensitive (self->primary, FALSE);
  show_error (self, NULL);
  tsu_equipment_run (self->store, commit_job, c, (GDestroyNotify)commit_free, NULL, commit_done_cb,
                     g_object_ref (self));
}

void
tsu_booking_dialog_commit (TsuBookingDialog *self)
{
  Commit          *c;
  g_autofree char *why = NULL;

  if (self->busy)
    return;
  c = g_new0 (Commit, 1);
  c->step = self->step;
  c->id = g_strdup (tsu_record_get_string (self->booking, "id"));
  c->now = tsu_equipment_now ();
  c->details = json_object_new ();
  if (self->step == TSU_BOOKING_STEP_LEND)
    {
      g_autofree char *name = text_of (self->contact_name);
      g_autofree char *phone = text_of (self->contact_phone);
      gint64           m, p;

      json_object_set_array_member (c->details, "accessories_out", checked (self));
      if (*name)
        json_object_set_string_member (c->details, "contact_name", name);
      if (*phone)
        json_object_set_string_member (c->details, "contact_phone", phone);
      if (self->masters)
        {
          if (!counter_value (self->masters, &m) || !counter_value (self->prints, &p))
            {
              show_error (self, _ ("Write the counters as whole numbers."));
              commit_free (c);
              return;
            }
          json_object_set_int_member (c->details, "masters_out", m);
          json_object_set_int_member (c->details, "prints_out", p);
        }
    }
  else if (self->step == TSU_BOOKING_STEP_RETURN)
    {
      gboolean         damaged = gtk_switch_get_active (GTK_SWITCH (self->damaged));
      g_autofree char *note = text_of (self->damage_note);
      gint64           m, p;

      json_object_set_array_member (c->details, "accessories_in", checked (self));
      json_object_set_string_member (c->details, "condition", damaged ? "damaged" : "good");
      if (damaged && *note == '\0')
        {
          show_error (self, _ ("Describe the damage."));
          gtk_widget_grab_focus (self->damage_note);
          commit_free (c);
          return;
        }
      if (damaged)
        json_object_set_string_member (c->details, "damage_note", note);
      if (self->masters)
        {
          if (!counter_value (self->masters, &m) || !counter_value (self->prints, &p))
            {
              show_error (self, _ ("Write the counters as whole numbers."));
              commit_free (c);
              return;
            }
          json_object_set_int_member (c->details, "masters_in", m);
          json_object_set_int_member (c->details, "prints_in", p);
        }
    }
  else
    {
      if (self->start)
        {
          c->start
              = tsu_equipment_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->start)), &why);
          if (c->start == NULL)
            {
              show_error (self, why);
              commit_free (c);
              return;
            }
        }
      c->due = tsu_equipment_parse_time (gtk_editable_get_text (GTK_EDITABLE (self->due)), &why);
      if (c->due == NULL)
        {
          show_error (self, why);
          commit_free (c);
          return;
        }
    }
  run (self, c);
}

static void
primary_clicked_cb (TsuBookingDialog *self)
{
  tsu_booking_dialog_commit (self);
}

static void
cancel_response_cb (AdwMessageDialog *dialog, const char *response, TsuBookingDialog *self)
{
  Commit *c;

  if (!g_str_equal (response, "cancel-booking") || self->busy)
    return;
  c = g_new0 (Commit, 1);
  c->step = TSU_BOOKING_STEP_MOVE;
  c->cancel = TRUE;
  c->id = g_strdup (tsu_record_get_string (self->booking, "id"));
  run (self, c);
}

static void
cancel_booking_cb (TsuBookingDialog *self)
{
  g_autofree char *body = g_strdup_printf (
      _ ("The booking of “%s” by “%s” will be cancelled and its time freed. The history keeps it."),
      tsu_record_get_string (self->booking, "resource_name"),
      tsu_record_get_string (self->booking, "holder_name") ?: "");
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), _ ("Cancel This Booking?"), body);

  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", _ ("_Keep"),
                                    "cancel-booking", _ ("_Cancel Booking"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-booking",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect_object (dialog, "response", G_CALLBACK (cancel_response_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- building ---- */

static GtkWidget *
group (TsuBookingDialog *self, const char *title, const char *description)
{
  GtkWidget *g = adw_preferences_group_new ();

  if (title)
    adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (g), title);
  if (description)
    adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (g), description);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->page), ADW_PREFERENCES_GROUP (g));
  return g;
}

static void
add (GtkWidget *g, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (g), row);
}

static GtkWidget *
counter_row (const char *title, JsonObject *o, const char *member)
{
  gint64           v = 0;
  g_autofree char *text = NULL;

  if (o && tsu_record_get_int (o, member, &v))
    text = g_strdup_printf ("%" G_GINT64_FORMAT, v);
  return tsu_equipment_entry_row (title, text);
}

static void
build (TsuBookingDialog *self)
{
  JsonObject      *b = self->booking;
  g_autofree char *span = tsu_equipment_span_text (
      tsu_record_get_string (b, "start_at"), tsu_record_get_string (b, "due_at"), self->style);
  g_autofree char *what = NULL;
  gboolean         printer = tsu_record_get_bool (self->resource, "is_printer");
  GtkWidget       *g;

  what = tsu_record_get_string (b, "control_number")
             ? g_strdup_printf ("%s（%s）", tsu_record_get_string (b, "resource_name"),
                                tsu_record_get_string (b, "control_number"))
             : g_strdup (tsu_record_get_string (b, "resource_name"));
  g = group (self, NULL, NULL);
  add (g, info_row (what, _ ("Item or room")));
  add (g, info_row (tsu_record_get_string (b, "holder_name"), _ ("Group")));
  add (g, info_row (span, _ ("Booked for")));
  add (g, info_row (tsu_record_get_string (b, "number"), _ ("Booking number")));

  switch (self->step)
    {
    case TSU_BOOKING_STEP_LEND:
      {
        g_auto (GStrv) accessories = tsu_equipment_strings (self->resource, "accessories");

        gtk_window_set_title (GTK_WINDOW (self), _ ("Lend"));
        gtk_button_set_label (GTK_BUTTON (self->primary), _ ("_Lend"));
        g = group (self, _ ("Reachable During the Loan"), NULL);
        self->contact_name = tsu_equipment_entry_row (_ ("Person in charge"),
                                                      tsu_record_get_string (b, "contact_name"));
        self->contact_phone = tsu_equipment_entry_row (_ ("Phone during the loan"),
                                                       tsu_record_get_string (b, "contact_phone"));
        add (g, self->contact_name);
        add (g, self->contact_phone);
        if (accessories[0])
          {
            g = group (self, _ ("Accessories Going Out"),
                       _ ("Check each with the group; untick what stays at the centre."));
            for (guint i = 0; accessories[i]; i++)
              add (g, check_row (accessories[i], TRUE, self->checks));
          }
        if (printer)
          {
            g = group (self, _ ("Printer Counters"), _ ("Read them on the machine now."));
            self->masters = counter_row (_ ("Masters counter now"), self->resource, "master_count");
            self->prints = counter_row (_ ("Prints counter now"), self->resource, "print_count");
            add (g, self->masters);
            add (g, self->prints);
          }
        g = group (self, NULL, NULL);
        add (g, switch_row (_ ("Print the loan slip (貸出票)"), NULL, &self->print_switch));
        break;
      }
    case TSU_BOOKING_STEP_RETURN:
      {
        g_auto (GStrv) out = tsu_equipment_strings (b, "accessories_out");

        gtk_window_set_title (GTK_WINDOW (self), _ ("Return"));
        if (out[0])
          {
            g = group (self, _ ("Accessories Back"), _ ("Tick each one as it comes back."));
            for (guint i = 0; out[i]; i++)
              add (g, check_row (out[i], FALSE, self->checks));
          }
        g = group (self, _ ("Condition"), NULL);
        add (g, switch_row (_ ("Damaged"),
                            _ ("The item goes to 修理中 (under repair) and is not "
                               "lent until it is fixed."),
                            &self->damaged));
        self->damage_note = tsu_equipment_entry_row (_ ("What is damaged"), NULL);
        gtk_widget_set_visible (self->damage_note, FALSE);
        add (g, self->damage_note);
        g_signal_connect_object (self->damaged, "notify::active", G_CALLBACK (damaged_cb), self,
                                 G_CONNECT_SWAPPED);
        if (printer)
          {
            g = group (self, _ ("Printer Counters"), _ ("Read them on the machine now."));
            self->masters = counter_row (_ ("Masters counter now"), b, "masters_out");
            self->prints = counter_row (_ ("Prints counter now"), b, "prints_out");
            add (g, self->masters);
            add (g, self->prints);
            g_signal_connect_object (self->masters, "changed", G_CALLBACK (update_fee), self,
                                     G_CONNECT_SWAPPED);
            g_signal_connect_object (self->prints, "changed", G_CALLBACK (update_fee), self,
                                     G_CONNECT_SWAPPED);
          }
        g = group (self, _ ("Fee"),
                   _ ("Worked out from the tariff, the time out and the "
                      "counters; shown before the group is charged."));
        self->fee_row = info_row ("", _ ("Fee"));
        gtk_widget_set_name (self->fee_row, "fee");
        add (g, self->fee_row);
        update_fee (self);
        break;
      }
    case TSU_BOOKING_STEP_MOVE:
    default:
      {
        gboolean         lent = g_strcmp0 (tsu_record_get_string (b, "state"), "lent") == 0;
        g_autofree char *s = g_strdup_printf ("%.10s %s", tsu_record_get_string (b, "start_at"),
                                              tsu_record_get_string (b, "start_at") + 11);
        g_autofree char *d = g_strdup_printf ("%.10s %s", tsu_record_get_string (b, "due_at"),
                                              tsu_record_get_string (b, "due_at") + 11);

        gtk_window_set_title (GTK_WINDOW (self),
                              lent ? _ ("Extend the Loan") : _ ("Move or Cancel the Booking"));
        gtk_button_set_label (GTK_BUTTON (self->primary), lent ? _ ("_Extend") : _ ("_Move"));
        g = group (self, _ ("New Time"),
                   lent ? _ ("The item is out: only the time it comes back can change.")
                        : _ ("Every rule is checked again: no clash, the group registered, "
                             "the centre open."));
        if (!lent)
          {
            self->start = tsu_equipment_entry_row (_ ("From"), s);
            add (g, self->start);
            g_signal_connect_object (self->start, "changed", G_CALLBACK (times_changed_cb), self,
                                     G_CONNECT_SWAPPED);
          }
        self->due = tsu_equipment_entry_row (lent ? _ ("Back by") : _ ("Until"), d);
        add (g, self->due);
        g_signal_connect_object (self->due, "changed", G_CALLBACK (times_changed_cb), self,
                                 G_CONNECT_SWAPPED);
        self->available_row = adw_action_row_new ();
        adw_action_row_set_title_lines (ADW_ACTION_ROW (self->available_row), 0);
        adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->available_row), FALSE);
        add (g, self->available_row);
        times_changed_cb (self);
        if (!lent)
          {
            self->cancel_booking = gtk_button_new_with_mnemonic (_ ("Cancel _Booking…"));
            gtk_widget_add_css_class (self->cancel_booking, "destructive-action");
            gtk_widget_set_halign (self->cancel_booking, GTK_ALIGN_START);
            gtk_widget_set_margin_top (self->cancel_booking, 6);
            g_signal_connect_object (self->cancel_booking, "clicked",
                                     G_CALLBACK (cancel_booking_cb), self, G_CONNECT_SWAPPED);
            g = group (self, NULL, NULL);
            add (g, self->cancel_booking);
          }
        break;
      }
    }
}

static void
tsu_booking_dialog_dispose (GObject *object)
{
  TsuBookingDialog *self = TSU_BOOKING_DIALOG (object);

  g_clear_handle_id (&self->check_timeout, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (tsu_booking_dialog_parent_class)->dispose (object);
}

static void
tsu_booking_dialog_finalize (GObject *object)
{
  TsuBookingDialog *self = TSU_BOOKING_DIALOG (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->booking, json_object_unref);
  g_clear_pointer (&self->resource, json_object_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_free (self->now);
  G_OBJECT_CLASS (tsu_booking_dialog_parent_class)->finalize (object);
}

static void
tsu_booking_dialog_class_init (TsuBookingDialogClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_booking_dialog_dispose;
  object_class->finalize = tsu_booking_dialog_finalize;
  /**
   * TsuBookingDialog::done:
   * @id: the booking
   * @fee: the fee charged on a return, else -1
   * @what: "cancelled" when the booking was cancelled, else NULL
   * @print: whether the 貸出票 was asked for (lending)
   */
  signals[SIGNAL_DONE]
      = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_BOOLEAN);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
tsu_booking_dialog_init (TsuBookingDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));

  self->checks = g_ptr_array_new ();
  self->now = tsu_equipment_now ();
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, 620);
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->primary = gtk_button_new_with_mnemonic (_ ("_Return"));
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
}

/**
 * tsu_booking_dialog_new:
 *
 * Returns: (transfer floating) (nullable): the dialog, or %NULL when the
 *   booking cannot be read or is not where the step starts
 */
TsuBookingDialog *
tsu_booking_dialog_new (GtkWindow     *parent,
                        TsuStore      *store,
                        TsuBookingStep step,
                        const char    *booking_id,
                        TsuDateStyle   style,
                        GError       **error)
{
  g_autoptr (JsonObject) booking = tsu_booking_get_details (store, booking_id, error);
  g_autoptr (JsonObject) resource = NULL;
  const char       *state;
  TsuBookingDialog *self;

  if (booking == NULL)
    return NULL;
  state = tsu_record_get_string (booking, "state");
  if ((step == TSU_BOOKING_STEP_LEND && g_strcmp0 (state, "reserved") != 0)
      || (step == TSU_BOOKING_STEP_RETURN && g_strcmp0 (state, "lent") != 0)
      || (step == TSU_BOOKING_STEP_MOVE && g_strcmp0 (state, "reserved") != 0
          && g_strcmp0 (state, "lent") != 0))
    {
      g_set_error (error, TSU_EQUIPMENT_ERROR, TSU_EQUIPMENT_ERROR_STATE,
                   _ ("The booking is “%s” now."), tsu_equipment_state_label (booking, ""));
      return NULL;
    }
  resource
      = tsu_store_get (store, "resources", tsu_record_get_string (booking, "resource_id"), error);
  if (resource == NULL)
    return NULL;
  self = g_object_new (TSU_TYPE_BOOKING_DIALOG, "transient-for", parent, NULL);
  self->store = g_object_ref (store);
  self->step = step;
  self->style = style;
  self->booking = g_steal_pointer (&booking);
  self->resource = g_steal_pointer (&resource);
  build (self);
  gtk_window_set_default_widget (GTK_WINDOW (self), self->primary);
  return self;
}

gint64
tsu_booking_dialog_get_fee (TsuBookingDialog *self)
{
  return self->fee;
}
