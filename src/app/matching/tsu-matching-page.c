/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-matching-page.h"
#include "tsu-requests-page.h"
#include "tsu-volunteers-page.h"

struct _TsuMatchingPage
{
  AdwBin parent_instance;

  TsuStore      *store;
  GtkStack      *stack;
  AdwBin        *requests_bin;
  AdwBin        *volunteers_bin;
  TsuRecordPage *requests_page;
  TsuRecordPage *volunteers_page;
  char          *shown; /* the stack page the guard returns to */
  gboolean       returning;
};

G_DEFINE_FINAL_TYPE (TsuMatchingPage, tsu_matching_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Generated with --manual-register (c_name tsu_matching). */
void tsu_matching_register_resource (void);

void
tsu_matching_resources_ensure (void)
{
  static gsize registered = 0;

  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_matching_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

/* The record pages are made the first time they are shown (or asked for). */
static TsuRecordPage *
ensure_page (TsuMatchingPage *self, gboolean volunteers)
{
  TsuRecordPage **page = volunteers ? &self->volunteers_page : &self->requests_page;

  if (*page == NULL)
    {
      *page = TSU_RECORD_PAGE (volunteers ? tsu_volunteers_page_new () : tsu_requests_page_new ());
      adw_bin_set_child (volunteers ? self->volunteers_bin : self->requests_bin,
                         GTK_WIDGET (*page));
      if (self->store)
        tsu_record_page_set_store (*page, self->store);
    }
  return *page;
}

/**
 * tsu_matching_page_get_visible_page:
 *
 * Returns: (nullable): the record page shown, if it was made
 */
TsuRecordPage *
tsu_matching_page_get_visible_page (TsuMatchingPage *self)
{
  g_return_val_if_fail (TSU_IS_MATCHING_PAGE (self), NULL);

  return g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "volunteers") == 0
             ? self->volunteers_page
             : self->requests_page;
}

typedef struct
{
  GWeakRef page;
  char    *to;
  char    *id; /* a record to open there, or NULL */
} Leave;

static void
leave_free (Leave *l)
{
  g_weak_ref_clear (&l->page);
  g_free (l->to);
  g_free (l->id);
  g_free (l);
}

static void
go (TsuMatchingPage *self, const char *to, const char *id)
{
  TsuRecordPage *page = ensure_page (self, g_str_equal (to, "volunteers"));

  g_free (self->shown);
  self->shown = g_strdup (to);
  self->returning = TRUE;
  gtk_stack_set_visible_child_name (self->stack, to);
  self->returning = FALSE;
  if (id)
    tsu_record_page_show_record (page, id);
}

static void
leave_cb (gpointer data, gboolean may_leave)
{
  Leave *l = data;
  g_autoptr (TsuMatchingPage) self = g_weak_ref_get (&l->page);

  if (self && may_leave)
    go (self, l->to, l->id);
  leave_free (l);
}

/* Going to the other page (or opening a record there) asks first when
 * the record being edited has unsaved changes. */
static void
switch_to (TsuMatchingPage *self, const char *to, const char *id)
{
  TsuRecordPage *from
      = g_strcmp0 (self->shown, "volunteers") == 0 ? self->volunteers_page : self->requests_page;

  if (g_strcmp0 (to, self->shown) != 0 && from && tsu_record_page_get_dirty (from))
    {
      Leave *l = g_new0 (Leave, 1);

      g_weak_ref_init (&l->page, self);
      l->to = g_strdup (to);
      l->id = g_strdup (id);
      self->returning = TRUE;
      gtk_stack_set_visible_child_name (self->stack, self->shown);
      self->returning = FALSE;
      tsu_record_page_confirm_leave (from, leave_cb, l);
      return;
    }
  go (self, to, id);
}

static void
stack_notify_cb (TsuMatchingPage *self)
{
  const char *to = gtk_stack_get_visible_child_name (self->stack);

  if (!self->returning && g_strcmp0 (to, self->shown) != 0)
    switch_to (self, to, NULL);
}

void
tsu_matching_page_show_request (TsuMatchingPage *self, const char *id)
{
  g_return_if_fail (TSU_IS_MATCHING_PAGE (self));
  switch_to (self, "queue", id);
}

void
tsu_matching_page_show_volunteer (TsuMatchingPage *self, const char *id)
{
  g_return_if_fail (TSU_IS_MATCHING_PAGE (self));
  switch_to (self, "volunteers", id);
}

static void
show_action (GtkWidget *widget, const char *name, GVariant *param)
{
  TsuMatchingPage *self = TSU_MATCHING_PAGE (widget);
  const char      *id = g_variant_get_string (param, NULL);

  if (g_str_equal (name, "matching.show-volunteer"))
    tsu_matching_page_show_volunteer (self, id);
  else
    tsu_matching_page_show_request (self, id);
}

TsuStore *
tsu_matching_page_get_store (TsuMatchingPage *self)
{
  g_return_val_if_fail (TSU_IS_MATCHING_PAGE (self), NULL);
  return self->store;
}

void
tsu_matching_page_set_store (TsuMatchingPage *self, TsuStore *store)
{
  g_return_if_fail (TSU_IS_MATCHING_PAGE (self));

  if (!g_set_object (&self->store, store))
    return;
  if (self->requests_page)
    tsu_record_page_set_store (self->requests_page, store);
  if (self->volunteers_page)
    tsu_record_page_set_store (self->volunteers_page, store);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STORE]);
}

TsuRecordPage *
tsu_matching_page_get_requests (TsuMatchingPage *self)
{
  g_return_val_if_fail (TSU_IS_MATCHING_PAGE (self), NULL);
  return ensure_page (self, FALSE);
}

TsuRecordPage *
tsu_matching_page_get_volunteers (TsuMatchingPage *self)
{
  g_return_val_if_fail (TSU_IS_MATCHING_PAGE (self), NULL);
  return ensure_page (self, TRUE);
}

static void
tsu_matching_page_map (GtkWidget *widget)
{
  TsuMatchingPage *self = TSU_MATCHING_PAGE (widget);

  ensure_page (self, g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "volunteers") == 0);
  GTK_WIDGET_CLASS (tsu_matching_page_parent_class)->map (widget);
}

static void
tsu_matching_page_dispose (GObject *object)
{
  TsuMatchingPage *self = TSU_MATCHING_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_MATCHING_PAGE);
  self->requests_page = self->volunteers_page = NULL;
  g_clear_object (&self->store);
  g_clear_pointer (&self->shown, g_free);
  G_OBJECT_CLASS (tsu_matching_page_parent_class)->dispose (object);
}

static void
tsu_matching_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, TSU_MATCHING_PAGE (object)->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_matching_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  switch (prop_id)
    {
    case PROP_STORE:
      tsu_matching_page_set_store (TSU_MATCHING_PAGE (object), g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_matching_page_class_init (TsuMatchingPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_matching_page_dispose;
  object_class->get_property = tsu_matching_page_get_property;
  object_class->set_property = tsu_matching_page_set_property;

  properties[PROP_STORE]
      = g_param_spec_object ("store", NULL, NULL, TSU_TYPE_STORE,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (TSU_TYPE_REQUESTS_PAGE);
  g_type_ensure (TSU_TYPE_VOLUNTEERS_PAGE);
  tsu_matching_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-matching-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TsuMatchingPage, stack);
  gtk_widget_class_bind_template_child (widget_class, TsuMatchingPage, requests_bin);
  gtk_widget_class_bind_template_child (widget_class, TsuMatchingPage, volunteers_bin);
  widget_class->map = tsu_matching_page_map;
  gtk_widget_class_install_action (widget_class, "matching.show-request", "s", show_action);
  gtk_widget_class_install_action (widget_class, "matching.show-volunteer", "s", show_action);
}

static void
tsu_matching_page_init (TsuMatchingPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->shown = g_strdup (gtk_stack_get_visible_child_name (self->stack));
  g_signal_connect_object (self->stack, "notify::visible-child-name", G_CALLBACK (stack_notify_cb),
                           self, G_CONNECT_SWAPPED);
}

GtkWidget *
tsu_matching_page_new (void)
{
  return g_object_new (TSU_TYPE_MATCHING_PAGE, NULL);
}
