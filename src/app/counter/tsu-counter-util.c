/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-counter-collections.h"
#include "tsu-counter-util.h"
#include "tsu-record.h"

char *
tsu_counter_topics_text (JsonObject *c)
{
  JsonNode *n = json_object_get_member (c, "topics");
  GString  *s = g_string_new (NULL);

  if (n && JSON_NODE_HOLDS_ARRAY (n))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
      {
        const char *t = json_array_get_string_element (json_node_get_array (n), i);

        if (t)
          g_string_append_printf (s, "%s%s", s->len ? "、" : "", t);
      }
  return g_string_free (s, FALSE);
}

static const char *
choice_label (const TsuChoice *choices, const char *code)
{
  for (guint i = 0; code && choices[i].code; i++)
    if (g_str_equal (choices[i].code, code))
      return _ (choices[i].label);
  return NULL;
}

GtkWidget *
tsu_counter_consultation_row (JsonObject *c, gboolean with_date)
{
  GtkWidget       *row = adw_action_row_new ();
  const char      *at = tsu_record_get_string (c, "at");
  const char      *who = tsu_record_get_string (c, "group_name");
  const char      *question = tsu_record_get_string (c, "question");
  g_autofree char *topics = tsu_counter_topics_text (c);
  g_autofree char *when = NULL, *title = NULL, *subtitle = NULL;

  if (at && strlen (at) >= 16)
    when = with_date ? g_strdup_printf ("%.2s/%.2s %.5s", at + 5, at + 8, at + 11)
                     : g_strndup (at + 11, 5);
  if (who == NULL)
    who = tsu_record_get_string (c, "asker_name");
  if (who == NULL)
    who = choice_label (tsu_asker_kinds, tsu_record_get_string (c, "asker_kind"));
  title = g_strdup_printf ("%s　%s", when ? when : "", who ? who : _ ("Not named"));
  if (*topics && question)
    subtitle = g_strdup_printf ("%s — %s", topics, question);
  else
    subtitle = g_strdup (*topics ? topics : question ? question : "");
  /* Names come from people: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  return row;
}

GtkWidget *
tsu_counter_placeholder_row (const char *text)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  gtk_widget_add_css_class (row, "dim-label");
  return row;
}

void
tsu_counter_list_clear (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))))
    gtk_list_box_remove (list, child);
}
