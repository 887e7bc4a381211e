/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "tsu-equipment-ui.h"
#include "tsu-collection.h"
#include "tsu-record.h"

char *
tsu_equipment_now (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M");
}

static gboolean
day_of (const char *iso, GDate *out)
{
  g_autofree char *day = iso && strlen (iso) >= 10 ? g_strndup (iso, 10) : NULL;

  return day && tsu_date_from_iso (day, out);
}

/* "12月5日（土）" this year, the full date in the style otherwise. */
static char *
short_day (const GDate *d, TsuDateStyle style)
{
  static const char *weekdays[] = { "", "月", "火", "水", "木", "金", "土", "日" };
  GDate              today;

  tsu_date_today (&today);
  if (g_date_get_year (d) != g_date_get_year (&today))
    return tsu_date_format (d, style);
  /* Dates read the Japanese way in every locale, as tsu_date_format(). */
  return g_strdup_printf ("%d月%d日（%s）", g_date_get_month (d), g_date_get_day (d),
                          weekdays[g_date_get_weekday (d)]);
}

char *
tsu_equipment_time_text (const char *iso, TsuDateStyle style)
{
  GDate            d;
  g_autofree char *day = NULL;

  if (!day_of (iso, &d) || strlen (iso) != 16)
    return g_strdup (iso ? iso : "");
  day = tsu_date_format (&d, style);
  return g_strdup_printf ("%s %s", day, iso + 11);
}

char *
tsu_equipment_span_text (const char *start, const char *end, TsuDateStyle style)
{
  GDate            a, b;
  g_autofree char *day_a = NULL;
  g_autofree char *day_b = NULL;

  if (!day_of (start, &a) || !day_of (end, &b) || strlen (start) != 16 || strlen (end) != 16)
    return g_strdup_printf ("%s〜%s", start ? start : "", end ? end : "");
  day_a = short_day (&a, style);
  if (g_date_compare (&a, &b) == 0)
    return g_strdup_printf ("%s %s〜%s", day_a, start + 11, end + 11);
  day_b = short_day (&b, style);
  return g_strdup_printf ("%s %s〜%s %s", day_a, start + 11, day_b, end + 11);
}

char *
tsu_equipment_parse_time (const char *text, char **why)
{
  const TsuFieldDef *f
      = tsu_collection_lookup_field (tsu_collection_lookup ("bookings"), "start_at");
  g_autoptr (JsonNode) node = NULL;
  g_autofree char *clean = g_strstrip (g_strdup (text ? text : ""));
  g_autofree char *message = NULL;

  /* "12/5 10:00": this year's. */
  if (*clean && strchr (clean, ' ') && g_ascii_isdigit (clean[0]))
    {
      int   month, day, h, m;
      GDate today;

      if (sscanf (clean, "%d/%d %d:%d", &month, &day, &h, &m) == 4 && month >= 1 && month <= 12
          && strchr (clean, '/') == strrchr (clean, '/'))
        {
          g_autofree char *full = NULL;

          tsu_date_today (&today);
          full = g_strdup_printf ("%d-%02d-%02d %02d:%02d", g_date_get_year (&today), month, day, h,
                                  m);
          g_free (clean);
          clean = g_steal_pointer (&full);
        }
    }
  if (!tsu_record_value_parse (f, clean, &node, &message) || node == NULL)
    {
      if (why)
        *why = g_steal_pointer (&message);
      return NULL;
    }
  return g_strdup (json_node_get_string (node));
}

char *
tsu_equipment_yen (gint64 yen)
{
  g_autoptr (GString) digits = g_string_new (NULL);
  g_autofree char *plain = g_strdup_printf ("%" G_GINT64_FORMAT, yen < 0 ? -yen : yen);
  gsize            n = strlen (plain);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (digits, ',');
      g_string_append_c (digits, plain[i]);
    }
  /* TRANSLATORS: an amount of yen: 1,200円 */
  return g_strdup_printf (_ ("%s%s yen"), yen < 0 ? "-" : "", digits->str);
}

static gboolean
is_overdue (JsonObject *b, const char *now)
{
  return g_strcmp0 (tsu_record_get_string (b, "state"), "lent") == 0
         && g_strcmp0 (tsu_record_get_string (b, "due_at"), now) < 0;
}

const char *
tsu_equipment_state_label (JsonObject *b, const char *now)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (tsu_collection_lookup ("bookings"), "state");

  if (is_overdue (b, now))
    return _ ("Overdue");
  return tsu_field_choice_label (f, tsu_record_get_string (b, "state"));
}

const char *
tsu_equipment_state_class (JsonObject *b, const char *now)
{
  const char *state = tsu_record_get_string (b, "state");

  if (is_overdue (b, now))
    return "error";
  if (g_strcmp0 (state, "lent") == 0)
    return "warning";
  if (g_strcmp0 (state, "reserved") == 0)
    return "accent";
  return "dim-label";
}

GStrv
tsu_equipment_strings (JsonObject *object, const char *member)
{
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  JsonNode *n = object ? json_object_get_member (object, member) : NULL;

  if (n && JSON_NODE_HOLDS_ARRAY (n))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (n)); i++)
      {
        JsonNode *e = json_array_get_element (json_node_get_array (n), i);

        if (JSON_NODE_HOLDS_VALUE (e) && json_node_get_value_type (e) == G_TYPE_STRING)
          g_strv_builder_add (b, json_node_get_string (e));
      }
  return g_strv_builder_end (b);
}

/* ---- work in a thread ---- */

typedef struct
{
  TsuStore       *store;
  TsuEquipmentJob job;
  gpointer        data;
  GDestroyNotify  data_free;
} Job;

static void
job_free (Job *j)
{
  g_object_unref (j->store);
  if (j->data_free && j->data)
    j->data_free (j->data);
  g_free (j);
}

static void
job_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Job *j = task_data;
  g_autoptr (GError) error = NULL;

  if (j->job (j->store, j->data, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

void
tsu_equipment_run (TsuStore           *store,
                   TsuEquipmentJob     job,
                   gpointer            data,
                   GDestroyNotify      data_free,
                   GCancellable       *cancellable,
                   GAsyncReadyCallback callback,
                   gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Job *j = g_new0 (Job, 1);

  j->store = g_object_ref (store);
  j->job = job;
  j->data = data;
  j->data_free = data_free;
  g_task_set_task_data (task, j, (GDestroyNotify)job_free);
  g_task_set_source_tag (task, tsu_equipment_run);
  g_task_run_in_thread (task, job_thread);
}

/**
 * tsu_equipment_run_finish:
 * @data: (out) (optional) (transfer none): the job's data (still owned by the task)
 */
gboolean
tsu_equipment_run_finish (GAsyncResult *result, gpointer *data, GError **error)
{
  if (data)
    *data = ((Job *)g_task_get_task_data (G_TASK (result)))->data;
  return g_task_propagate_boolean (G_TASK (result), error);
}

GtkWidget *
tsu_equipment_entry_row (const char *title, const char *text)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

GtkWindow *
tsu_equipment_window_of (GtkWidget *widget)
{
  GtkRoot *root = widget ? gtk_widget_get_root (widget) : NULL;

  return GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL;
}

static GtkWidget *
step_button (const char *label, const char *action, const char *id, gboolean suggested)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  if (suggested)
    gtk_widget_add_css_class (button, "suggested-action");
  return button;
}

GtkWidget *
tsu_booking_row_new (JsonObject *b, const char *now, TsuDateStyle style, TsuBookingRowFlags flags)
{
  GtkWidget       *row = adw_action_row_new ();
  GtkWidget       *state = gtk_label_new (tsu_equipment_state_label (b, now));
  const char      *id = tsu_record_get_string (b, "id");
  const char      *st = tsu_record_get_string (b, "state");
  g_autofree char *span = tsu_equipment_span_text (tsu_record_get_string (b, "start_at"),
                                                   tsu_record_get_string (b, "due_at"), style);
  g_autoptr (GString) title = g_string_new (NULL);
  g_autoptr (GString) sub = g_string_new (NULL);

  /* The desk and a group's page name the thing first; a resource's own
   * list names the time. */
  if (flags & TSU_BOOKING_ROW_RESOURCE)
    {
      g_string_append (title, tsu_record_get_string (b, "resource_name") ?: "");
      g_string_append_printf (sub, "%s ・ ", span);
    }
  else
    g_string_append (title, span);
  if ((flags & TSU_BOOKING_ROW_HOLDER) && tsu_record_get_string (b, "holder_name"))
    g_string_append_printf (title, " ・ %s", tsu_record_get_string (b, "holder_name"));
  g_string_append (sub, tsu_record_get_string (b, "number") ?: "");
  if (tsu_record_get_string (b, "contact_name"))
    g_string_append_printf (sub, " ・ %s", tsu_record_get_string (b, "contact_name"));
  if ((flags & TSU_BOOKING_ROW_PHONE) && tsu_record_get_string (b, "contact_phone"))
    g_string_append_printf (sub, " ・ ☎ %s", tsu_record_get_string (b, "contact_phone"));
  if (tsu_record_get_string (b, "purpose"))
    g_string_append_printf (sub, " ・ %s", tsu_record_get_string (b, "purpose"));
  if (g_strcmp0 (st, "returned") == 0
      && g_strcmp0 (tsu_record_get_string (b, "condition"), "damaged") == 0)
    g_string_append_printf (sub, " ・ %s: %s", _ ("Damage"),
                            tsu_record_get_string (b, "damage_note") ?: "");
  {
    gint64 fee;

    if (g_strcmp0 (st, "returned") == 0 && tsu_record_get_int (b, "fee", &fee) && fee > 0)
      {
        g_autofree char *yen = tsu_equipment_yen (fee);
        g_string_append_printf (sub, " ・ %s", yen);
      }
  }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title->str);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), sub->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 2);
  gtk_widget_add_css_class (state, tsu_equipment_state_class (b, now));
  gtk_widget_add_css_class (state, "caption-heading");
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);
  if (flags & TSU_BOOKING_ROW_ACTIONS)
    {
      GMenu           *menu = g_menu_new ();
      GtkWidget       *more = gtk_menu_button_new ();
      g_autofree char *move = g_strdup_printf ("bookings.move('%s')", id);
      g_autofree char *print = g_strdup_printf ("bookings.print('%s')", id);

      if (g_strcmp0 (st, "reserved") == 0)
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     step_button (_ ("_Lend…"), "bookings.lend", id, TRUE));
          g_menu_append (menu, _ ("_Move or Cancel…"), move);
        }
      else if (g_strcmp0 (st, "lent") == 0)
        {
          adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                     step_button (_ ("_Return…"), "bookings.return", id, TRUE));
          g_menu_append (menu, _ ("_Extend…"), move);
        }
      if (g_strcmp0 (st, "cancelled") != 0)
        g_menu_append (menu,
                       g_strcmp0 (tsu_record_get_string (b, "resource_kind"), "room") == 0
                           ? _ ("Print _Permit…")
                           : _ ("Print Loan _Slip…"),
                       print);
      gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (more), G_MENU_MODEL (menu));
      gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (more), "view-more-symbolic");
      gtk_widget_set_valign (more, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (more, "flat");
      gtk_widget_set_tooltip_text (more, _ ("More"));
      gtk_accessible_update_property (GTK_ACCESSIBLE (more), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _ ("More for this booking"), -1);
      if (g_menu_model_get_n_items (G_MENU_MODEL (menu)) > 0)
        adw_action_row_add_suffix (ADW_ACTION_ROW (row), more);
      else
        g_object_unref (g_object_ref_sink (more));
      g_object_unref (menu);
    }
  g_object_set_data_full (G_OBJECT (row), "booking-id", g_strdup (id), g_free);
  return row;
}
