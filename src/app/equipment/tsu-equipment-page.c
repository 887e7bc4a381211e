/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The Equipment page: today's desk and the inventory, and every step of a
 * booking run from either. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-equipment-page.h"
#include "tsu-book-dialog.h"
#include "tsu-booking-dialog.h"
#include "tsu-centre-settings-dialog.h"
#include "tsu-centre.h"
#include "tsu-equipment-print.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-group-print.h"
#include "tsu-record.h"

struct _TsuEquipmentPage
{
  AdwBin parent_instance;

  TsuStore         *store;
  AdwToastOverlay  *toast_overlay;
  GtkStack         *stack;
  TsuEquipmentDesk *desk;
  TsuResourcesPage *resources;
};

G_DEFINE_FINAL_TYPE (TsuEquipmentPage, tsu_equipment_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
toast (TsuEquipmentPage *self, const char *text, gboolean sticky)
{
  AdwToast *t = adw_toast_new (text);

  if (sticky)
    adw_toast_set_timeout (t, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, t);
}

static TsuDateStyle
date_style (TsuEquipmentPage *self)
{
  return tsu_record_page_get_date_style (TSU_RECORD_PAGE (self->resources));
}

static GtkWindow *
window_of (TsuEquipmentPage *self)
{
  return tsu_equipment_window_of (GTK_WIDGET (self));
}

/* ---- papers ---- */

/* The bookings one paper covers: those lent to the group at the same time
 * (several items over the counter), else the booking alone. */
static GPtrArray *
paper_bookings (TsuEquipmentPage *self, const char *id, GError **error)
{
  g_autoptr (JsonObject) b = tsu_booking_get_details (self->store, id, error);
  g_autoptr (GPtrArray) all = NULL;
  GPtrArray  *out;
  const char *lent_at, *group;

  if (b == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify)json_object_unref);
  lent_at = tsu_record_get_string (b, "lent_at");
  group = tsu_record_get_string (b, "group_id");
  if (lent_at && group && g_strcmp0 (tsu_record_get_string (b, "resource_kind"), "item") == 0
      && (all = tsu_booking_list_for_group (self->store, group, 200, NULL)))
    for (guint i = 0; i < all->len; i++)
      {
        JsonObject *o = g_ptr_array_index (all, i);

        if (g_strcmp0 (tsu_record_get_string (o, "lent_at"), lent_at) == 0
            && g_strcmp0 (tsu_record_get_string (o, "resource_kind"), "item") == 0)
          g_ptr_array_add (out, json_object_ref (o));
      }
  if (out->len == 0)
    g_ptr_array_add (out, g_steal_pointer (&b));
  /* A room's permit says what it will cost. */
  if (g_strcmp0 (tsu_record_get_string (out->pdata[0], "resource_kind"), "room") == 0
      && !json_object_has_member (out->pdata[0], "fee"))
    {
      g_autoptr (JsonObject) r = tsu_store_get (
          self->store, "resources", tsu_record_get_string (out->pdata[0], "resource_id"), NULL);

      if (r)
        json_object_set_int_member (out->pdata[0], "fee_estimate",
                                    tsu_booking_fee (r, out->pdata[0]));
    }
  return out;
}

static void
print_paper (TsuEquipmentPage *self, const char *id, const char *pdf)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) bookings = paper_bookings (self, id, &error);
  g_autoptr (TsuGroupCentre) centre = NULL;
  g_autofree char  *name = NULL;
  g_autofree char  *head = NULL;
  TsuEquipmentPaper paper = { 0 };

  if (bookings == NULL)
    {
      toast (self, error->message, TRUE);
      return;
    }
  if (pdf && !tsu_store_check_output_path (self->store, pdf, &error))
    {
      toast (self, error->message, TRUE);
      return;
    }
  /* The centre as the 登録証 names it: the shared setting first. */
  centre = tsu_group_centre_from_settings (
      tsu_record_page_get_settings (TSU_RECORD_PAGE (self->resources)));
  name = tsu_centre_get_string (self->store, TSU_CENTRE_NAME, centre->name);
  head = tsu_centre_get_string (self->store, TSU_CENTRE_HEAD, centre->head);
  paper.centre_name = name;
  paper.centre_head = head;
  paper.style = date_style (self);
  if (!tsu_equipment_print (window_of (self), bookings, &paper, pdf, &error))
    toast (self, error->message, TRUE);
  else if (pdf)
    toast (self, _ ("PDF saved"), FALSE);
}

static void
print_action (GtkWidget *widget, const char *name, GVariant *param)
{
  print_paper (TSU_EQUIPMENT_PAGE (widget), g_variant_get_string (param, NULL), NULL);
}

static void
pdf_response_cb (GtkNativeDialog *chooser, int response, gpointer user_data)
{
  GWeakRef *ref = user_data;
  g_autoptr (TsuEquipmentPage) self = g_weak_ref_get (ref);

  g_weak_ref_clear (ref);
  g_free (ref);
  if (self && response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      g_autofree char *path = g_file_get_path (file);

      print_paper (self, g_object_get_data (G_OBJECT (chooser), "id"), path);
    }
  g_object_unref (chooser);
}

static void
pdf_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuEquipmentPage *self = TSU_EQUIPMENT_PAGE (widget);
  const char       *id = g_variant_get_string (param, NULL);
  g_autoptr (JsonObject) b = tsu_booking_get_details (self->store, id, NULL);
  g_autofree char      *file = NULL;
  GtkFileChooserNative *chooser;
  GWeakRef             *ref;

  if (b == NULL)
    return;
  file = g_strdup_printf ("%s-%s.pdf", tsu_record_get_string (b, "number") ?: "booking",
                          g_strcmp0 (tsu_record_get_string (b, "resource_kind"), "room") == 0
                              ? _ ("permit")
                              : _ ("loan-slip"));
  chooser = gtk_file_chooser_native_new (_ ("Save as PDF"), window_of (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _ ("_Save"), _ ("_Cancel"));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), file);
  g_object_set_data_full (G_OBJECT (chooser), "id", g_strdup (id), g_free);
  ref = g_new0 (GWeakRef, 1);
  g_weak_ref_init (ref, self);
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_response_cb), ref);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- steps ---- */

static void
step_done_cb (TsuBookingDialog *dialog,
              const char       *id,
              gint64            fee,
              const char       *what,
              gboolean          print,
              TsuEquipmentPage *self)
{
  if (g_strcmp0 (what, "cancelled") == 0)
    toast (self, _ ("Booking cancelled"), FALSE);
  else if (fee > 0)
    {
      g_autofree char *yen = tsu_equipment_yen (fee);
      /* TRANSLATORS: after a return: the fee to take from the group */
      g_autofree char *text = g_strdup_printf (_ ("Returned. Fee to charge: %s"), yen);

      toast (self, text, TRUE);
    }
  else if (fee == 0)
    toast (self, _ ("Returned"), FALSE);
  else
    toast (self, _ ("Saved"), FALSE);
  if (print)
    print_paper (self, id, NULL);
}

static gboolean
open_step (TsuEquipmentPage *self, TsuBookingStep step, const char *id, GError **error)
{
  TsuBookingDialog *dialog;

  if (self->store == NULL)
    return FALSE;
  dialog
      = tsu_booking_dialog_new (window_of (self), self->store, step, id, date_style (self), error);
  if (dialog == NULL)
    return FALSE;
  g_signal_connect_object (dialog, "done", G_CALLBACK (step_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
step_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuEquipmentPage *self = TSU_EQUIPMENT_PAGE (widget);
  TsuBookingStep    step = g_str_equal (name, "bookings.lend")     ? TSU_BOOKING_STEP_LEND
                           : g_str_equal (name, "bookings.return") ? TSU_BOOKING_STEP_RETURN
                                                                   : TSU_BOOKING_STEP_MOVE;
  g_autoptr (GError) error = NULL;

  if (!open_step (self, step, g_variant_get_string (param, NULL), &error) && error)
    toast (self, error->message, TRUE);
}

static void
lend_now_done_cb (TsuBookDialog *dialog, GStrv ids, gboolean print, TsuEquipmentPage *self)
{
  toast (self, _ ("Lent"), FALSE);
  if (print && ids[0])
    print_paper (self, ids[0], NULL);
}

static void
lend_now_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuEquipmentPage *self = TSU_EQUIPMENT_PAGE (widget);
  TsuBookDialog    *dialog;

  if (self->store == NULL)
    return;
  dialog = tsu_book_dialog_new (window_of (self), self->store, TSU_BOOK_LEND_NOW, NULL, NULL, NULL,
                                date_style (self));
  g_signal_connect_object (dialog, "done", G_CALLBACK (lend_now_done_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
centre_settings_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuEquipmentPage *self = TSU_EQUIPMENT_PAGE (widget);

  if (self->store)
    gtk_window_present (GTK_WINDOW (
        tsu_centre_settings_dialog_new (window_of (self), self->store, date_style (self))));
}

gboolean
tsu_equipment_page_resolve_booking (TsuEquipmentPage *self, const char *booking_id, GError **error)
{
  g_autoptr (JsonObject) b = NULL;

  g_return_val_if_fail (TSU_IS_EQUIPMENT_PAGE (self), FALSE);
  g_return_val_if_fail (booking_id != NULL, FALSE);

  if (self->store == NULL)
    {
      g_set_error_literal (error, TSU_STORE_ERROR, TSU_STORE_ERROR_NOT_FOUND,
                           _ ("The database is not open."));
      return FALSE;
    }
  b = tsu_store_get (self->store, "bookings", booking_id, error);
  if (b == NULL)
    return FALSE;
  /* The item or room and its timeline behind the dialog. */
  gtk_stack_set_visible_child_name (self->stack, "inventory");
  tsu_record_page_show_record (TSU_RECORD_PAGE (self->resources),
                               tsu_record_get_string (b, "resource_id"));
  {
    GDate            day;
    g_autofree char *iso = g_strndup (tsu_record_get_string (b, "start_at") ?: "", 10);

    if (tsu_date_from_iso (iso, &day))
      tsu_booking_timeline_set_day (tsu_resources_page_get_timeline (self->resources), &day);
  }
  return open_step (self, TSU_BOOKING_STEP_MOVE, booking_id, error);
}

/* ---- object ---- */

TsuStore *
tsu_equipment_page_get_store (TsuEquipmentPage *self)
{
  return self->store;
}

void
tsu_equipment_page_set_store (TsuEquipmentPage *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_EQUIPMENT_PAGE (self));

  if (!g_set_object (&self->store, store))
    return;
  tsu_record_page_set_store (TSU_RECORD_PAGE (self->resources), store);
  tsu_equipment_desk_set_store (self->desk, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TsuResourcesPage *
tsu_equipment_page_get_resources (TsuEquipmentPage *self)
{
  return self->resources;
}

TsuEquipmentDesk *
tsu_equipment_page_get_desk (TsuEquipmentPage *self)
{
  return self->desk;
}

static void
date_style_cb (TsuEquipmentPage *self)
{
  tsu_equipment_desk_set_date_style (self->desk, date_style (self));
}

static void
tsu_equipment_page_dispose (GObject *object)
{
  TsuEquipmentPage *self = TSU_EQUIPMENT_PAGE (object);

  g_clear_object (&self->store);
  /* As the record page: AdwBin keeps its own pointer to the child, so the
   * tree goes through it, not through gtk_widget_dispose_template(). */
  adw_bin_set_child (ADW_BIN (self), NULL);
  G_OBJECT_CLASS (tsu_equipment_page_parent_class)->dispose (object);
}

static void
tsu_equipment_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, TSU_EQUIPMENT_PAGE (object)->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_equipment_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      tsu_equipment_page_set_store (TSU_EQUIPMENT_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_equipment_page_class_init (TsuEquipmentPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_equipment_page_dispose;
  object_class->get_property = tsu_equipment_page_get_property;
  object_class->set_property = tsu_equipment_page_set_property;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSU_TYPE_EQUIPMENT_DESK);
  g_type_ensure (TSU_TYPE_RESOURCES_PAGE);
  tsu_equipment_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-equipment-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuEquipmentPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TsuEquipmentPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuEquipmentPage, desk);
  gtk_widget_class_bind_template_child (widget_class, TsuEquipmentPage, resources);

  gtk_widget_class_install_action (widget_class, "bookings.lend", "s", step_action);
  gtk_widget_class_install_action (widget_class, "bookings.return", "s", step_action);
  gtk_widget_class_install_action (widget_class, "bookings.move", "s", step_action);
  gtk_widget_class_install_action (widget_class, "bookings.print", "s", print_action);
  gtk_widget_class_install_action (widget_class, "bookings.pdf", "s", pdf_action);
  gtk_widget_class_install_action (widget_class, "equipment.lend-now", NULL, lend_now_action);
  gtk_widget_class_install_action (widget_class, "equipment.centre-settings", NULL,
                                   centre_settings_action);
}

static void
tsu_equipment_page_init (TsuEquipmentPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The desk follows the date style the inventory follows. */
  g_signal_connect_object (tsu_record_page_get_form (TSU_RECORD_PAGE (self->resources)), "loaded",
                           G_CALLBACK (date_style_cb), self, G_CONNECT_SWAPPED);
}

GtkWidget *
tsu_equipment_page_new (void)
{
  return g_object_new (TSU_TYPE_EQUIPMENT_PAGE, NULL);
}
