/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The window's counter page (窓口): the desk, the events and the network,
 * one switcher above them. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-counter-desk.h"
#include "tsu-counter-view.h"
#include "tsu-events-page.h"
#include "tsu-network-view.h"

struct _TsuCounterView
{
  AdwBin parent_instance;

  TsuStore       *store;
  GtkStack       *stack;
  TsuCounterDesk *desk;
  TsuEventsPage  *events;
  TsuNetworkView *network;
};

G_DEFINE_FINAL_TYPE (TsuCounterView, tsu_counter_view, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

/* Generated with --manual-register (c_name tsu_counter). */
void tsu_counter_register_resource (void);

void
tsu_counter_resources_ensure (void)
{
  static gsize registered = 0;

  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_counter_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

TsuStore *
tsu_counter_view_get_store (TsuCounterView *self)
{
  return self->store;
}

void
tsu_counter_view_set_store (TsuCounterView *self, TsuStore *store)
{
  if (!g_set_object (&self->store, store))
    return;
  tsu_counter_desk_set_store (self->desk, store);
  tsu_record_page_set_store (TSU_RECORD_PAGE (self->events), store);
  tsu_network_view_set_store (self->network, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

static void
tsu_counter_view_get_property (GObject *object, guint id, GValue *value, GParamSpec *pspec)
{
  if (id == PROP_STORE)
    g_value_set_object (value, TSU_COUNTER_VIEW (object)->store);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
tsu_counter_view_set_property (GObject *object, guint id, const GValue *value, GParamSpec *pspec)
{
  if (id == PROP_STORE)
    tsu_counter_view_set_store (TSU_COUNTER_VIEW (object), g_value_get_object (value));
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, id, pspec);
}

static void
tsu_counter_view_dispose (GObject *object)
{
  TsuCounterView *self = TSU_COUNTER_VIEW (object);

  adw_bin_set_child (ADW_BIN (self), NULL);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_counter_view_parent_class)->dispose (object);
}

static void
tsu_counter_view_class_init (TsuCounterViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = tsu_counter_view_dispose;
  object_class->get_property = tsu_counter_view_get_property;
  object_class->set_property = tsu_counter_view_set_property;
  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_counter_view_init (TsuCounterView *self)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *switcher = gtk_stack_switcher_new ();

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  self->desk = g_object_new (TSU_TYPE_COUNTER_DESK, NULL);
  self->events = g_object_new (TSU_TYPE_EVENTS_PAGE, NULL);
  self->network = g_object_new (TSU_TYPE_NETWORK_VIEW, NULL);
  gtk_stack_add_titled (self->stack, GTK_WIDGET (self->desk), "desk", _ ("Consultations"));
  gtk_stack_add_titled (self->stack, GTK_WIDGET (self->events), "events", _ ("Events"));
  gtk_stack_add_titled (self->stack, GTK_WIDGET (self->network), "network", _ ("Network"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), self->stack);
  gtk_widget_set_halign (switcher, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (switcher, 6);
  gtk_widget_set_margin_bottom (switcher, 0);
  gtk_box_append (GTK_BOX (box), switcher);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), box);
  adw_bin_set_child (ADW_BIN (self), overlay);
}
