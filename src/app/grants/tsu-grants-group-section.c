/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-grants-group-section.h"
#include "tsu-grants-collections.h"
#include "tsu-grants-task.h"
#include "tsu-grants.h"
#include "tsu-record.h"

/* A group told about many calls: the newest this many, then a count. */
#define MAX_ROWS 12

struct _TsuGrantsGroupSection
{
  AdwPreferencesGroup parent_instance;

  GWeakRef      page;
  TsuStore     *store; /* the one whose "changed" is followed */
  char         *group_id;
  GPtrArray    *rows;
  GCancellable *cancellable;
  guint         loading;
};

G_DEFINE_FINAL_TYPE (TsuGrantsGroupSection, tsu_grants_group_section, ADW_TYPE_PREFERENCES_GROUP)

static void load (TsuGrantsGroupSection *self);

static TsuDateStyle
date_style (TsuGrantsGroupSection *self)
{
  g_autoptr (TsuRecordPage) page = g_weak_ref_get (&self->page);

  return page ? tsu_record_page_get_date_style (page) : TSU_DATE_STYLE_BOTH;
}

static void
clear (TsuGrantsGroupSection *self)
{
  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);
}

static void
add_row (TsuGrantsGroupSection *self, GtkWidget *row)
{
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
  g_ptr_array_add (self->rows, row);
}

static GtkWidget *
text_row (const char *title, const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  if (subtitle && *subtitle)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
show (TsuGrantsGroupSection *self, JsonObject *summary)
{
  JsonArray   *years = json_object_get_array_member (summary, "years");
  JsonArray   *programmes = json_object_get_array_member (summary, "programmes");
  TsuDateStyle style = date_style (self);
  guint        n = json_array_get_length (programmes);

  clear (self);
  /* Nothing to say about a group never told of a grant. */
  gtk_widget_set_visible (GTK_WIDGET (self), n > 0);
  for (guint i = 0; i < json_array_get_length (years); i++)
    {
      JsonObject      *y = json_array_get_object_element (years, i);
      g_autofree char *fy
          = tsu_fiscal_year_format ((int)json_object_get_int_member (y, "fiscal_year"), style);
      g_autofree char *yen = tsu_grants_format_yen (json_object_get_int_member (y, "awarded"));
      g_autofree char *title = g_strdup_printf (_ ("%s yen"), yen);
      guint            count = json_object_get_int_member (y, "count");
      g_autofree char *subtitle = g_strdup_printf (
          /* TRANSLATORS: received in 2025年度 (2 grants) */
          g_dngettext (GETTEXT_PACKAGE, "Received in %s (%u grant)", "Received in %s (%u grants)",
                       count),
          fy, count);
      add_row (self, text_row (title, subtitle));
    }
  for (guint i = 0; i < MIN (n, MAX_ROWS); i++)
    {
      JsonObject *a = json_array_get_object_element (programmes, i);
      g_autoptr (GString) sub = g_string_new (NULL);
      gint64      fy, yen;
      GtkWidget  *row;
      const char *state = tsu_record_get_string (a, "state");

      if (tsu_record_get_int (a, "fiscal_year", &fy))
        {
          g_autofree char *t = tsu_fiscal_year_format ((int)fy, style);
          g_string_append (sub, t);
        }
      if (state)
        g_string_append_printf (
            sub, "%s%s", sub->len ? _ (" ・ ") : "",
            tsu_field_choice_label (
                tsu_collection_lookup_field (tsu_collection_lookup ("applications"), "state"),
                state));
      if (tsu_record_get_int (a, "amount_awarded", &yen))
        {
          g_autofree char *amount = tsu_grants_format_yen (yen);
          g_string_append (sub, sub->len ? _ (" ・ ") : "");
          g_string_append_printf (sub, _ ("awarded %s yen"), amount);
        }
      else if (tsu_record_get_int (a, "amount_applied", &yen))
        {
          g_autofree char *amount = tsu_grants_format_yen (yen);
          g_string_append (sub, sub->len ? _ (" ・ ") : "");
          g_string_append_printf (sub, _ ("applied for %s yen"), amount);
        }
      row = text_row (tsu_record_get_string (a, "name"), sub->str);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.show-programme");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s",
                                        tsu_record_get_string (a, "programme_id"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_tooltip_text (row, _ ("Open the programme"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      add_row (self, row);
    }
  if (n > MAX_ROWS)
    {
      g_autofree char *more = g_strdup_printf (
          g_dngettext (GETTEXT_PACKAGE, "%u more programme", "%u more programmes", n - MAX_ROWS),
          n - MAX_ROWS);
      GtkWidget *row = text_row (more, NULL);

      gtk_widget_add_css_class (row, "dim-label");
      add_row (self, row);
    }
}

static JsonNode *
read_summary (TsuStore *store, gpointer data, GError **error)
{
  JsonObject *o = tsu_grants_group_summary (store, data, error);
  JsonNode   *node;

  if (o == NULL)
    return NULL;
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, o);
  return node;
}

static void
read_cb (GObject *source, GAsyncResult *result, gpointer data)
{
  g_autoptr (TsuGrantsGroupSection) self = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = tsu_grants_task_finish (result, &error);

  self->loading--;
  if (node == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot read the group's grants: %s", error->message);
      return;
    }
  show (self, json_node_get_object (node));
}

static void
load (TsuGrantsGroupSection *self)
{
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->store == NULL || self->group_id == NULL)
    {
      clear (self);
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  self->cancellable = g_cancellable_new ();
  self->loading++;
  tsu_grants_task_run (self->store, read_summary, g_strdup (self->group_id), g_free,
                       self->cancellable, read_cb, g_object_ref (self));
}

static void
store_changed_cb (TsuGrantsGroupSection *self, const char *collection, GStrv ids)
{
  if (g_strcmp0 (collection, "applications") == 0 || g_strcmp0 (collection, "programmes") == 0)
    load (self);
}

static void
set_store (TsuGrantsGroupSection *self, TsuStore *store)
{
  if (self->store == store)
    return;
  if (self->store)
    g_signal_handlers_disconnect_by_data (self->store, self);
  g_set_object (&self->store, store);
  if (store)
    g_signal_connect_object (store, "changed", G_CALLBACK (store_changed_cb), self,
                             G_CONNECT_SWAPPED);
}

static void
form_loaded_cb (TsuGrantsGroupSection *self, TsuRecordForm *form)
{
  g_autoptr (TsuRecordPage) page = g_weak_ref_get (&self->page);
  const char *id = tsu_record_form_get_id (form);

  set_store (self, page ? tsu_record_page_get_store (page) : NULL);
  /* A group saved again reads the same: only a new group (or grants)
   * needs a read. */
  if (g_strcmp0 (id, self->group_id) == 0 && self->rows->len > 0)
    return;
  g_free (self->group_id);
  self->group_id = g_strdup (id);
  load (self);
}

void
tsu_grants_group_section_attach (TsuRecordPage *page)
{
  TsuGrantsGroupSection *self = TSU_GRANTS_GROUP_SECTION (tsu_grants_group_section_new ());
  TsuRecordForm         *form = tsu_record_page_get_form (page);

  g_weak_ref_set (&self->page, page);
  g_signal_connect_object (form, "loaded", G_CALLBACK (form_loaded_cb), self, G_CONNECT_SWAPPED);
  tsu_record_form_add_read_section (form, GTK_WIDGET (self));
}

const char *
tsu_grants_group_section_get_group (TsuGrantsGroupSection *self)
{
  return self->group_id;
}

gboolean
tsu_grants_group_section_get_loading (TsuGrantsGroupSection *self)
{
  return self->loading > 0;
}

static void
tsu_grants_group_section_dispose (GObject *object)
{
  TsuGrantsGroupSection *self = TSU_GRANTS_GROUP_SECTION (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  set_store (self, NULL);
  G_OBJECT_CLASS (tsu_grants_group_section_parent_class)->dispose (object);
}

static void
tsu_grants_group_section_finalize (GObject *object)
{
  TsuGrantsGroupSection *self = TSU_GRANTS_GROUP_SECTION (object);

  g_weak_ref_clear (&self->page);
  g_ptr_array_unref (self->rows);
  g_free (self->group_id);
  G_OBJECT_CLASS (tsu_grants_group_section_parent_class)->finalize (object);
}

static void
tsu_grants_group_section_class_init (TsuGrantsGroupSectionClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_grants_group_section_dispose;
  G_OBJECT_CLASS (klass)->finalize = tsu_grants_group_section_finalize;
}

static void
tsu_grants_group_section_init (TsuGrantsGroupSection *self)
{
  g_weak_ref_init (&self->page, NULL);
  self->rows = g_ptr_array_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _ ("Grants"));
  adw_preferences_group_set_description (
      ADW_PREFERENCES_GROUP (self),
      _ ("What the group received each fiscal year, and the programmes it was told about"));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
}

GtkWidget *
tsu_grants_group_section_new (void)
{
  return g_object_new (TSU_TYPE_GRANTS_GROUP_SECTION, NULL);
}
