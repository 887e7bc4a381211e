/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Funders (助成団体): the first page that is only a .ui on the record page. */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"

#include "tsu-funders-page.h"

struct _TsuFundersPage
{
  TsuRecordPage parent_instance;
};

G_DEFINE_FINAL_TYPE (TsuFundersPage, tsu_funders_page, TSU_TYPE_RECORD_PAGE)

/* Generated with --manual-register (c_name tsu_funders). */
void tsu_funders_register_resource (void);

static char *
format_count (TsuRecordPage *page, guint n)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u funder", "%u funders", n), n);
}

static void
tsu_funders_page_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), TSU_TYPE_FUNDERS_PAGE);
  G_OBJECT_CLASS (tsu_funders_page_parent_class)->dispose (object);
}

static void
tsu_funders_page_class_init (TsuFundersPageClass *klass)
{
  static gsize registered = 0;

  G_OBJECT_CLASS (klass)->dispose = tsu_funders_page_dispose;
  TSU_RECORD_PAGE_CLASS (klass)->format_count = format_count;
  tsu_resources_ensure ();
  if (g_once_init_enter (&registered))
    {
      tsu_funders_register_resource ();
      g_once_init_leave (&registered, 1);
    }
  gtk_widget_class_set_template_from_resource (GTK_WIDGET_CLASS (klass),
                                               RESOURCE_BASE "/ui/tsu-funders-page.ui");
}

static void
tsu_funders_page_init (TsuFundersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tsu_funders_page_new (void)
{
  return g_object_new (TSU_TYPE_FUNDERS_PAGE, NULL);
}
