/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-grants-tiers-dialog.h"
#include "tsu-grants.h"
#include "tsu-record.h"

struct _TsuGrantsTiersDialog
{
  AdwWindow parent_instance;

  TsuStore            *store;
  char                *programme_id;
  AdwPreferencesGroup *group;
  GtkLabel            *problem;
  GPtrArray           *rows; /* GtkBox, with "times", "ceiling", "rate" data */
};

G_DEFINE_FINAL_TYPE (TsuGrantsTiersDialog, tsu_grants_tiers_dialog, ADW_TYPE_WINDOW)

static GtkWidget *
labelled (GtkWidget *w, const char *label)
{
  gtk_accessible_update_property (GTK_ACCESSIBLE (w), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_widget_set_tooltip_text (w, label);
  return w;
}

static void
remove_clicked_cb (GtkButton *button, TsuGrantsTiersDialog *self)
{
  GtkWidget *row = g_object_get_data (G_OBJECT (button), "row");

  g_ptr_array_remove (self->rows, row);
  adw_preferences_group_remove (self->group, row);
}

void
tsu_grants_tiers_dialog_add_row (TsuGrantsTiersDialog *self,
                                 gint64                times,
                                 const char           *ceiling,
                                 const char           *rate)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *spin = gtk_spin_button_new_with_range (0, 99, 1);
  GtkWidget *amount = gtk_entry_new ();
  GtkWidget *share = gtk_entry_new ();
  GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
  GtkWidget *times_label = gtk_label_new (_ ("times received"));

  gtk_spin_button_set_value (GTK_SPIN_BUTTON (spin), (double)times);
  gtk_editable_set_text (GTK_EDITABLE (amount), ceiling ? ceiling : "");
  gtk_editable_set_text (GTK_EDITABLE (share), rate ? rate : "");
  gtk_entry_set_placeholder_text (GTK_ENTRY (amount), _ ("Ceiling (yen)"));
  gtk_entry_set_placeholder_text (GTK_ENTRY (share), _ ("Rate, e.g. 2/3"));
  gtk_entry_set_input_purpose (GTK_ENTRY (amount), GTK_INPUT_PURPOSE_NUMBER);
  gtk_editable_set_width_chars (GTK_EDITABLE (amount), 10);
  gtk_editable_set_width_chars (GTK_EDITABLE (share), 8);
  gtk_widget_set_hexpand (amount, TRUE);
  gtk_widget_add_css_class (times_label, "dim-label");
  labelled (spin, _ ("Times received before"));
  labelled (amount, _ ("Ceiling (yen)"));
  labelled (share, _ ("Rate"));
  labelled (remove, _ ("Remove Tier"));
  gtk_widget_add_css_class (remove, "flat");
  gtk_box_append (GTK_BOX (box), spin);
  gtk_box_append (GTK_BOX (box), times_label);
  gtk_box_append (GTK_BOX (box), amount);
  gtk_box_append (GTK_BOX (box), share);
  gtk_box_append (GTK_BOX (box), remove);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  g_object_set_data (G_OBJECT (row), "times", spin);
  g_object_set_data (G_OBJECT (row), "ceiling", amount);
  g_object_set_data (G_OBJECT (row), "rate", share);
  g_object_set_data (G_OBJECT (remove), "row", row);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_preferences_group_add (self->group, row);
  g_ptr_array_add (self->rows, row);
}

static int
by_times (gconstpointer a, gconstpointer b)
{
  JsonObject *x = json_node_get_object (*(JsonNode **)a);
  JsonObject *y = json_node_get_object (*(JsonNode **)b);
  gint64      tx = json_object_get_int_member (x, "times");
  gint64      ty = json_object_get_int_member (y, "times");

  return tx < ty ? -1 : tx > ty;
}

/**
 * tsu_grants_tiers_dialog_collect:
 *
 * Returns: (transfer full) (nullable): a JSON array in "times" order (null
 *   when there are no rows), or %NULL with @error
 */
JsonNode *
tsu_grants_tiers_dialog_collect (TsuGrantsTiersDialog *self, GError **error)
{
  const TsuFieldDef *ceiling_def
      = tsu_collection_lookup_field (tsu_collection_lookup ("programmes"), "ceiling");
  g_autoptr (GPtrArray) nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  JsonArray *array;
  JsonNode  *out;

  g_array_set_size (keys, self->rows->len);
  for (guint i = 0; i < self->rows->len; i++)
    {
      GObject         *row = g_ptr_array_index (self->rows, i);
      gint64           times = gtk_spin_button_get_value_as_int (g_object_get_data (row, "times"));
      g_autofree char *text
          = g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (row, "ceiling"))));
      g_autofree char *rate
          = g_strstrip (g_strdup (gtk_editable_get_text (g_object_get_data (row, "rate"))));
      JsonObject *t = json_object_new ();
      JsonNode   *n = json_node_new (JSON_NODE_OBJECT);
      g_autoptr (JsonNode) value = NULL;
      g_autofree char *why = NULL;

      json_node_take_object (n, t);
      g_ptr_array_add (nodes, n);
      json_object_set_int_member (t, "times", times);
      /* The amount reads as any yen field: 全角 digits, commas. */
      if (*text && !tsu_record_value_parse (ceiling_def, text, &value, &why))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _ ("Tier %u: %s"), i + 1, why);
          return NULL;
        }
      json_object_set_int_member (t, "ceiling", value ? json_node_get_int (value) : 0);
      if (*rate)
        json_object_set_string_member (t, "rate", rate);
      g_array_index (keys, gint64, i) = times;
      if (g_hash_table_contains (seen, &g_array_index (keys, gint64, i)))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _ ("Two tiers are for groups that received it %d times."), (int)times);
          return NULL;
        }
      g_hash_table_add (seen, &g_array_index (keys, gint64, i));
    }
  if (nodes->len == 0)
    return json_node_new (JSON_NODE_NULL);
  g_ptr_array_sort (nodes, by_times);
  array = json_array_new ();
  for (guint i = 0; i < nodes->len; i++)
    json_array_add_element (array, json_node_ref (g_ptr_array_index (nodes, i)));
  out = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (out, array);
  return out;
}

gboolean
tsu_grants_tiers_dialog_save (TsuGrantsTiersDialog *self)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) tiers = tsu_grants_tiers_dialog_collect (self, &error);
  g_autoptr (JsonObject) change = NULL;

  if (tiers != NULL)
    {
      change = json_object_new ();
      json_object_set_member (change, "tiers", g_steal_pointer (&tiers));
      /* One record's change, through the write path (rules, history). */
      if (tsu_store_update (self->store, "programmes", self->programme_id, change, &error))
        return TRUE;
    }
  gtk_label_set_text (self->problem, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->problem), TRUE);
  return FALSE;
}

static void
save_clicked_cb (TsuGrantsTiersDialog *self)
{
  if (tsu_grants_tiers_dialog_save (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

static void
add_clicked_cb (TsuGrantsTiersDialog *self)
{
  gint64 next = 0;

  for (guint i = 0; i < self->rows->len; i++)
    next = MAX (next, gtk_spin_button_get_value_as_int (
                          g_object_get_data (g_ptr_array_index (self->rows, i), "times"))
                          + 1);
  tsu_grants_tiers_dialog_add_row (self, next, NULL, NULL);
}

static void
tsu_grants_tiers_dialog_dispose (GObject *object)
{
  TsuGrantsTiersDialog *self = TSU_GRANTS_TIERS_DIALOG (object);

  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_grants_tiers_dialog_parent_class)->dispose (object);
}

static void
tsu_grants_tiers_dialog_finalize (GObject *object)
{
  TsuGrantsTiersDialog *self = TSU_GRANTS_TIERS_DIALOG (object);

  g_ptr_array_unref (self->rows);
  g_free (self->programme_id);
  G_OBJECT_CLASS (tsu_grants_tiers_dialog_parent_class)->finalize (object);
}

static void
tsu_grants_tiers_dialog_class_init (TsuGrantsTiersDialogClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = tsu_grants_tiers_dialog_dispose;
  G_OBJECT_CLASS (klass)->finalize = tsu_grants_tiers_dialog_finalize;
  gtk_widget_class_add_binding_action (GTK_WIDGET_CLASS (klass), GDK_KEY_Escape, 0, "window.close",
                                       NULL);
}

static void
tsu_grants_tiers_dialog_init (TsuGrantsTiersDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *page = adw_preferences_page_new ();
  GtkWidget *cancel = gtk_button_new_with_mnemonic (_ ("_Cancel"));
  GtkWidget *save = gtk_button_new_with_mnemonic (_ ("_Save"));
  GtkWidget *add = gtk_button_new_with_mnemonic (_ ("_Add Tier"));

  self->rows = g_ptr_array_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), save);
  gtk_widget_add_css_class (save, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (cancel), "window.close");
  g_signal_connect_swapped (save, "clicked", G_CALLBACK (save_clicked_cb), self);
  g_signal_connect_swapped (add, "clicked", G_CALLBACK (add_clicked_cb), self);
  gtk_widget_add_css_class (add, "flat");
  gtk_widget_set_valign (add, GTK_ALIGN_CENTER);
  self->group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (self->group, _ ("Tiers"));
  adw_preferences_group_set_description (
      self->group, _ ("For groups that received the programme so many times before: the ceiling "
                      "and the share of the cost. A ceiling of 0 means they may no longer "
                      "apply."));
  adw_preferences_group_set_header_suffix (self->group, add);
  self->problem = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->problem, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->problem), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->problem), FALSE);
  gtk_widget_set_margin_top (GTK_WIDGET (self->problem), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->problem), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->problem), 12);
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), self->group);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->problem));
  gtk_box_append (GTK_BOX (box), page);
  gtk_widget_set_vexpand (page, TRUE);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_title (GTK_WINDOW (self), _ ("Tiers"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 420);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
}

/**
 * tsu_grants_tiers_dialog_new:
 *
 * Returns: (transfer none): the window (destroyed when closed)
 */
GtkWindow *
tsu_grants_tiers_dialog_new (GtkWindow *parent, TsuStore *store, const char *programme_id)
{
  TsuGrantsTiersDialog *self
      = g_object_new (TSU_TYPE_GRANTS_TIERS_DIALOG, "transient-for", parent, NULL);
  g_autoptr (JsonObject) p = tsu_store_get (store, "programmes", programme_id, NULL);
  JsonNode *tiers = p ? json_object_get_member (p, "tiers") : NULL;

  self->store = g_object_ref (store);
  self->programme_id = g_strdup (programme_id);
  if (p && tsu_record_get_string (p, "name"))
    adw_preferences_group_set_title (self->group, tsu_record_get_string (p, "name"));
  for (guint i = 0; tiers && JSON_NODE_HOLDS_ARRAY (tiers)
                    && i < json_array_get_length (json_node_get_array (tiers));
       i++)
    {
      JsonNode        *e = json_array_get_element (json_node_get_array (tiers), i);
      JsonObject      *t = JSON_NODE_HOLDS_OBJECT (e) ? json_node_get_object (e) : NULL;
      gint64           times = 0, ceiling = 0;
      g_autofree char *amount = NULL;

      if (t == NULL)
        continue;
      tsu_record_get_int (t, "times", &times);
      if (tsu_record_get_int (t, "ceiling", &ceiling))
        amount = g_strdup_printf ("%" G_GINT64_FORMAT, ceiling);
      tsu_grants_tiers_dialog_add_row (self, times, amount, tsu_record_get_string (t, "rate"));
    }
  /* A programme without tiers starts with the first: groups new to it. */
  if (self->rows->len == 0)
    {
      gint64           ceiling = 0;
      g_autofree char *amount = NULL;

      if (p && tsu_record_get_int (p, "ceiling", &ceiling))
        amount = g_strdup_printf ("%" G_GINT64_FORMAT, ceiling);
      tsu_grants_tiers_dialog_add_row (self, 0, amount,
                                       p ? tsu_record_get_string (p, "rate") : NULL);
    }
  return GTK_WINDOW (self);
}
