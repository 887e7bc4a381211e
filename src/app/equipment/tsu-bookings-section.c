/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-bookings-section.h"
#include "tsu-equipment-ui.h"
#include "tsu-equipment.h"
#include "tsu-record.h"
#include "tsu-record-form.h"
#include "tsu-record-page.h"

#define N_PAST 20
#define N_GROUP 50

struct _TsuBookingsSection
{
  AdwPreferencesGroup parent_instance;

  TsuBookingsOf  of;
  TsuStore      *store;
  TsuDateStyle   style;
  char          *owner;
  GPtrArray     *rows; /* the row widgets shown */
  GtkWidget     *empty;
  GCancellable  *cancellable;
  guint          reload_idle;
  guint          follow_idle;
  TsuRecordForm *form; /* on a group's page: the form it follows */
};

G_DEFINE_FINAL_TYPE (TsuBookingsSection, tsu_bookings_section, ADW_TYPE_PREFERENCES_GROUP)

typedef struct
{
  TsuBookingsOf of;
  char         *owner;
  GPtrArray    *bookings;
} Load;

static void
load_free (Load *l)
{
  g_free (l->owner);
  g_clear_pointer (&l->bookings, g_ptr_array_unref);
  g_free (l);
}

static gboolean
load_job (TsuStore *store, gpointer data, GError **error)
{
  Load *l = data;

  l->bookings = l->of == TSU_BOOKINGS_OF_RESOURCE
                    ? tsu_booking_list_for_resource (store, l->owner, N_PAST, error)
                    : tsu_booking_list_for_group (store, l->owner, N_GROUP, error);
  return l->bookings != NULL;
}

static void
clear_rows (TsuBookingsSection *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
load_done_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  Load               *l = NULL;
  TsuBookingsSection *self;
  g_autofree char    *now = NULL;

  if (!tsu_equipment_run_finish (result, (gpointer *)&l, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the bookings: %s", error->message);
      return;
    }
  self = user_data; /* alive: dispose cancels */
  now = tsu_equipment_now ();
  clear_rows (self);
  for (guint i = 0; i < l->bookings->len; i++)
    {
      GtkWidget *row = tsu_booking_row_new (g_ptr_array_index (l->bookings, i), now, self->style,
                                            self->of == TSU_BOOKINGS_OF_RESOURCE
                                                ? TSU_BOOKING_ROW_HOLDER | TSU_BOOKING_ROW_ACTIONS
                                                : TSU_BOOKING_ROW_RESOURCE);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }
  gtk_widget_set_visible (self->empty, l->bookings->len == 0);
  /* A group without bookings needs no empty section on its page. */
  if (self->of == TSU_BOOKINGS_OF_GROUP)
    gtk_widget_set_visible (GTK_WIDGET (self), l->bookings->len > 0);
}

static void
reload (TsuBookingsSection *self)
{
  Load *l;

  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->owner == NULL)
    {
      clear_rows (self);
      if (self->of == TSU_BOOKINGS_OF_GROUP)
        gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  l = g_new0 (Load, 1);
  l->of = self->of;
  l->owner = g_strdup (self->owner);
  self->cancellable = g_cancellable_new ();
  tsu_equipment_run (self->store, load_job, l, (GDestroyNotify)load_free, self->cancellable,
                     load_done_cb, self);
}

static gboolean
reload_idle_cb (gpointer data)
{
  TsuBookingsSection *self = data;

  self->reload_idle = 0;
  reload (self);
  return G_SOURCE_REMOVE;
}

static void
store_changed_cb (TsuBookingsSection *self, const char *collection)
{
  if ((g_strcmp0 (collection, "bookings") == 0 || g_strcmp0 (collection, "groups") == 0)
      && self->reload_idle == 0)
    self->reload_idle = g_idle_add (reload_idle_cb, self);
}

void
tsu_bookings_section_set_store (TsuBookingsSection *self, TsuStore *store)
{
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  if (!g_set_object (&self->store, store))
    return;
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
  reload (self);
}

void
tsu_bookings_section_set_date_style (TsuBookingsSection *self, TsuDateStyle style)
{
  if (self->style == style)
    return;
  self->style = style;
  reload (self);
}

void
tsu_bookings_section_set_owner (TsuBookingsSection *self, const char *id)
{
  if (g_strcmp0 (self->owner, id) == 0)
    return;
  g_free (self->owner);
  self->owner = g_strdup (id);
  clear_rows (self);
  reload (self);
}

guint
tsu_bookings_section_get_n_rows (TsuBookingsSection *self)
{
  return self->rows->len;
}

/* On a group's page (a read section of the groups page) the section finds
 * the form it sits in and follows the group it shows: the page needs no
 * code for it. */
static void
follow_form_cb (TsuBookingsSection *self)
{
  TsuStore *store = NULL;

  for (GtkWidget *w = GTK_WIDGET (self->form); w && store == NULL; w = gtk_widget_get_parent (w))
    if (TSU_IS_RECORD_PAGE (w))
      {
        store = tsu_record_page_get_store (TSU_RECORD_PAGE (w));
        self->style = tsu_record_page_get_date_style (TSU_RECORD_PAGE (w));
      }
  tsu_bookings_section_set_store (self, store);
  tsu_bookings_section_set_owner (self, tsu_record_form_get_id (self->form));
}

static gboolean
follow_idle_cb (gpointer data)
{
  TsuBookingsSection *self = data;

  self->follow_idle = 0;
  follow_form_cb (self);
  return G_SOURCE_REMOVE;
}

static void
tsu_bookings_section_root (GtkWidget *widget)
{
  TsuBookingsSection *self = TSU_BOOKINGS_SECTION (widget);
  GtkWidget          *form;

  GTK_WIDGET_CLASS (tsu_bookings_section_parent_class)->root (widget);
  if (self->of != TSU_BOOKINGS_OF_GROUP || self->form)
    return;
  form = gtk_widget_get_ancestor (widget, TSU_TYPE_RECORD_FORM);
  if (form)
    {
      self->form = TSU_RECORD_FORM (form);
      g_signal_connect_object (form, "loaded", G_CALLBACK (follow_form_cb), self,
                               G_CONNECT_SWAPPED);
      /* Not while GTK is still rooting the page's children: following
       * loads and may change what is shown. */
      if (self->follow_idle == 0)
        self->follow_idle = g_idle_add (follow_idle_cb, self);
    }
}

static void
tsu_bookings_section_dispose (GObject *object)
{
  TsuBookingsSection *self = TSU_BOOKINGS_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->reload_idle, g_source_remove);
  g_clear_handle_id (&self->follow_idle, g_source_remove);
  if (self->store)
    g_signal_handlers_disconnect_by_func (self->store, store_changed_cb, self);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_bookings_section_parent_class)->dispose (object);
}

static void
tsu_bookings_section_finalize (GObject *object)
{
  TsuBookingsSection *self = TSU_BOOKINGS_SECTION (object);

  g_free (self->owner);
  g_ptr_array_unref (self->rows);
  G_OBJECT_CLASS (tsu_bookings_section_parent_class)->finalize (object);
}

enum
{
  PROP_0,
  PROP_OF_GROUP,
  N_PROPS
};

static void
tsu_bookings_section_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  TsuBookingsSection *self = TSU_BOOKINGS_SECTION (object);

  switch (prop_id)
    {
    case PROP_OF_GROUP:
      self->of = g_value_get_boolean (value) ? TSU_BOOKINGS_OF_GROUP : TSU_BOOKINGS_OF_RESOURCE;
      adw_preferences_group_set_title (
          ADW_PREFERENCES_GROUP (self),
          self->of == TSU_BOOKINGS_OF_GROUP ? _ ("Equipment and Room Bookings") : _ ("Bookings"));
      if (self->of == TSU_BOOKINGS_OF_GROUP)
        gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_bookings_section_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_OF_GROUP:
      g_value_set_boolean (value, TSU_BOOKINGS_SECTION (object)->of == TSU_BOOKINGS_OF_GROUP);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_bookings_section_class_init (TsuBookingsSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_bookings_section_dispose;
  object_class->finalize = tsu_bookings_section_finalize;
  object_class->set_property = tsu_bookings_section_set_property;
  object_class->get_property = tsu_bookings_section_get_property;
  GTK_WIDGET_CLASS (klass)->root = tsu_bookings_section_root;
  /**
   * TsuBookingsSection:of-group:
   *
   * A group's bookings (on the groups page), not a resource's.
   */
  g_object_class_install_property (
      object_class, PROP_OF_GROUP,
      g_param_spec_boolean ("of-group", NULL, NULL, FALSE,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));
}

static void
tsu_bookings_section_init (TsuBookingsSection *self)
{
  self->rows = g_ptr_array_new ();
  self->style = TSU_DATE_STYLE_SEIREKI;
  self->empty = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->empty), _ ("No bookings yet"));
  gtk_widget_add_css_class (self->empty, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), self->empty);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Bookings"));
}

GtkWidget *
tsu_bookings_section_new (TsuBookingsOf of)
{
  return g_object_new (TSU_TYPE_BOOKINGS_SECTION, "of-group", of == TSU_BOOKINGS_OF_GROUP, NULL);
}
