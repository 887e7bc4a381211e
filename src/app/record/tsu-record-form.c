/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-application.h"
#include "tsu-edit-base.h"
#include "tsu-record-resources.h"

#include "tsu-record-form.h"
#include "tsu-record-history.h"
#include "tsu-record.h"

typedef enum
{
  INPUT_ENTRY,
  INPUT_TEXT,    /* several lines */
  INPUT_CHOICE,  /* combo row: position 0 is "not set" */
  INPUT_CODES,   /* check buttons */
  INPUT_CHOICES, /* switches (STRINGS with choices) */
  INPUT_SWITCH,  /* BOOL */
} InputKind;

typedef struct
{
  const TsuFieldDef *def;
  InputKind          kind;
  GtkWidget         *row;     /* what focus goes to, and what turns red */
  GtkWidget         *input;   /* entry row, text view, combo row or switch */
  GtkWidget         *message; /* the inline message under the row */
  GPtrArray         *toggles; /* CODES / STRINGS: one per choice */
  gboolean           has_error;
} Field;

struct _TsuRecordForm
{
  GtkWidget parent_instance;

  GtkWidget           *header_box;
  GtkWidget           *back_button;
  GtkLabel            *title_label;
  GtkLabel            *subtitle_label;
  GtkWidget           *actions_box;
  GtkWidget           *edit_button;
  GtkWidget           *cancel_button;
  GtkWidget           *save_button;
  GtkToggleButton     *history_button;
  GtkMenuButton       *more_button;
  GtkWidget           *separator;
  GtkStack            *mode_stack;
  AdwPreferencesPage  *read_page;
  AdwPreferencesPage  *edit_page;
  AdwPreferencesGroup *problems_group;
  AdwPreferencesGroup *read_problems_group;
  TsuRecordHistory    *history;

  const TsuCollection *collection;
  GArray              *fields;      /* Field */
  GPtrArray           *read_groups; /* rebuilt on each load */
  GPtrArray           *extra_read;  /* the page's own read sections */
  GPtrArray           *related;     /* other records' sections, after the fields */
  GPtrArray           *problem_rows;
  char                *subtitle_class;

  TsuStore               *store;
  TsuDateStyle            date_style;
  TsuRecordDuplicatesFunc duplicates_func;
  gpointer                duplicates_data;
  TsuRecordInsertFunc     insert_func;
  gpointer                insert_data;

  char       *id;
  JsonObject *record;
  gboolean    editing;
  gboolean    loading;
  gboolean    dirty;
  char       *confirmed_duplicates; /* the values duplicates were shown for */
  /* An edit of a stored record: the record as the edit began from, and
   * whether it changed underneath since (a pulled change, another window):
   * then a save writes only what the person changed. */
  TsuEditBase *base;
  gboolean     changed_underneath;
};

G_DEFINE_FINAL_TYPE (TsuRecordForm, tsu_record_form, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_EDITING,
  PROP_DIRTY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SAVED,
  SIGNAL_LOADED,
  SIGNAL_CANCELLED,
  SIGNAL_OPEN_RECORD,
  SIGNAL_REVERT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static Field *
field_at (TsuRecordForm *self, guint i)
{
  return &g_array_index (self->fields, Field, i);
}

static Field *
find_field (TsuRecordForm *self, const char *name)
{
  for (guint i = 0; name && i < self->fields->len; i++)
    if (g_str_equal (field_at (self, i)->def->name, name))
      return field_at (self, i);
  return NULL;
}

static void
update_buttons (TsuRecordForm *self)
{
  gboolean history = gtk_toggle_button_get_active (self->history_button);

  gtk_widget_set_visible (self->edit_button, !self->editing && self->id != NULL && !history);
  gtk_widget_set_visible (self->cancel_button, self->editing);
  gtk_widget_set_visible (self->save_button, self->editing);
  /* While editing, the header holds what finishes the edit, and the title. */
  gtk_widget_set_visible (GTK_WIDGET (self->history_button), self->id != NULL && !self->editing);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button),
                          gtk_menu_button_get_menu_model (self->more_button) != NULL
                              && !self->editing);
  gtk_widget_set_visible (self->actions_box, !self->editing);
  /* Nothing typed yet: the button closes the form rather than cancels. */
  gtk_button_set_label (GTK_BUTTON (self->cancel_button),
                        self->dirty ? _ ("_Cancel") : _ ("_Close"));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.save", self->editing);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "form.edit", !self->editing && self->id);
}

static void
set_editing (TsuRecordForm *self, gboolean editing)
{
  if (!editing || self->id == NULL)
    {
      g_clear_pointer (&self->base, tsu_edit_base_free);
      self->changed_underneath = FALSE;
    }
  else if (self->base == NULL && self->record != NULL)
    self->base = tsu_edit_base_new (self->collection, self->record);
  if (self->editing != editing)
    {
      self->editing = editing;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
    }
  gtk_toggle_button_set_active (self->history_button, FALSE);
  gtk_stack_set_visible_child_name (self->mode_stack, editing ? "edit" : "read");
  update_buttons (self);
}

static void
set_dirty (TsuRecordForm *self, gboolean dirty)
{
  if (self->dirty == dirty)
    return;
  self->dirty = dirty;
  update_buttons (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
}

/* adw_preferences_page_scroll_to_top() is libadwaita 1.3. */
static void
scroll_to_top (AdwPreferencesPage *page)
{
  for (GtkWidget *w = gtk_widget_get_first_child (GTK_WIDGET (page)); w;
       w = gtk_widget_get_next_sibling (w))
    if (GTK_IS_SCROLLED_WINDOW (w))
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w)), 0);
}

/* ---- reading the inputs ---- */

static char *
input_text (Field *f)
{
  if (f->kind == INPUT_TEXT)
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input));
      GtkTextIter    start, end;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
    }
  return g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->input)));
}

/* The value of one field as the inputs hold it; FALSE with @why when the
 * text cannot be read as one. */
static gboolean
read_field (Field *f, JsonNode **value, char **why)
{
  const TsuChoice *choices = f->def->choices;

  switch (f->kind)
    {
    case INPUT_CHOICE:
      {
        guint pos = adw_combo_row_get_selected (ADW_COMBO_ROW (f->input));

        if (pos != GTK_INVALID_LIST_POSITION && pos > 0)
          {
            *value = json_node_new (JSON_NODE_VALUE);
            json_node_set_string (*value, choices[pos - 1].code);
          }
        else
          *value = json_node_new (JSON_NODE_NULL);
        return TRUE;
      }
    case INPUT_SWITCH:
      *value = json_node_new (JSON_NODE_VALUE);
      json_node_set_boolean (*value, gtk_switch_get_active (GTK_SWITCH (f->input)));
      return TRUE;
    case INPUT_CODES:
    case INPUT_CHOICES:
      {
        JsonArray *a = json_array_new ();

        for (guint i = 0; i < f->toggles->len; i++)
          {
            GtkWidget *t = g_ptr_array_index (f->toggles, i);
            gboolean   on = GTK_IS_SWITCH (t) ? gtk_switch_get_active (GTK_SWITCH (t))
                                              : gtk_check_button_get_active (GTK_CHECK_BUTTON (t));
            if (!on)
              continue;
            if (f->kind == INPUT_CODES)
              json_array_add_int_element (a, g_ascii_strtoll (choices[i].code, NULL, 10));
            else
              json_array_add_string_element (a, choices[i].code);
          }
        *value = json_node_init_array (json_node_alloc (), a);
        json_array_unref (a);
        return TRUE;
      }
    default:
      {
        g_autofree char *text = input_text (f);
        return tsu_record_value_parse (f->def, text, value, why);
      }
    }
}

/* ---- inline messages ---- */

static void
set_field_message (TsuRecordForm *self, Field *f, const char *message)
{
  f->has_error = message != NULL;
  if (message)
    {
      gtk_widget_add_css_class (f->row, "error");
      gtk_label_set_text (GTK_LABEL (f->message), message);
    }
  else
    gtk_widget_remove_css_class (f->row, "error");
  gtk_widget_set_visible (f->message, message != NULL);
}

/* A field that was refused is checked again as it is typed, so its
 * message goes away as soon as it is right. */
static void
recheck_field (TsuRecordForm *self, Field *f)
{
  g_autoptr (JsonNode) value = NULL;
  g_autofree char *why = NULL;

  if (!f->has_error)
    return;
  if (read_field (f, &value, &why))
    {
      g_autoptr (JsonObject) one = json_object_new ();
      g_autoptr (GPtrArray) problems = tsu_problems_new ();
      g_autoptr (JsonObject) norm = NULL;

      json_object_set_member (one, f->def->name, g_steal_pointer (&value));
      norm = tsu_record_normalize (self->collection, one, problems);
      for (guint i = 0; i < problems->len; i++)
        {
          TsuProblem *p = g_ptr_array_index (problems, i);
          if (p->is_error && g_strcmp0 (p->field, f->def->name) == 0)
            {
              why = g_strdup (p->message);
              break;
            }
        }
    }
  set_field_message (self, f, why);
}

static void
changed_cb (GtkWidget *input, TsuRecordForm *self)
{
  if (self->loading)
    return;
  set_dirty (self, TRUE);
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = field_at (self, i);
      if (f->input == input || (f->toggles && g_ptr_array_find (f->toggles, input, NULL)))
        recheck_field (self, f);
    }
}

static void
notify_cb (GtkWidget *input, GParamSpec *pspec, TsuRecordForm *self)
{
  changed_cb (input, self);
}

static void
text_changed_cb (GtkTextBuffer *buffer, Field *f)
{
  TsuRecordForm *self = g_object_get_data (G_OBJECT (buffer), "form");

  changed_cb (f->input, self);
}

/* ---- building the edit view ---- */

static void
label_input (GtkWidget *input, const char *label)
{
  /* Screen readers, and the AT-SPI tests, find a field by its label. */
  GtkWidget *target = input;

  if (GTK_IS_EDITABLE (input) && gtk_editable_get_delegate (GTK_EDITABLE (input)))
    target = GTK_WIDGET (gtk_editable_get_delegate (GTK_EDITABLE (input)));
  gtk_accessible_update_property (GTK_ACCESSIBLE (target), GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static GtkWidget *
switch_row (const char *title, GtkWidget **sw)
{
  GtkWidget *row = adw_action_row_new ();

  *sw = gtk_switch_new ();
  gtk_widget_set_valign (*sw, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *sw);
  label_input (*sw, title);
  return row;
}

static void
add_field (TsuRecordForm *self, AdwPreferencesGroup *group, const TsuFieldDef *def)
{
  Field       f = { def };
  const char *label = tsu_field_get_form_label (def);

  switch (def->type)
    {
    case TSU_FIELD_CHOICE:
      {
        g_autoptr (GtkStringList) model = gtk_string_list_new (NULL);

        gtk_string_list_append (model, _ ("(not set)"));
        for (guint i = 0; def->choices[i].code; i++)
          gtk_string_list_append (model, tsu_field_choice_label (def, def->choices[i].code));
        f.kind = INPUT_CHOICE;
        f.row = f.input = adw_combo_row_new ();
        adw_combo_row_set_model (ADW_COMBO_ROW (f.row), G_LIST_MODEL (model));
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f.row), label);
        g_signal_connect (f.input, "notify::selected", G_CALLBACK (notify_cb), self);
        break;
      }
    case TSU_FIELD_BOOL:
      f.kind = INPUT_SWITCH;
      f.row = switch_row (label, &f.input);
      g_signal_connect (f.input, "notify::active", G_CALLBACK (notify_cb), self);
      break;
    case TSU_FIELD_CODES:
      {
        f.kind = INPUT_CODES;
        f.row = adw_expander_row_new ();
        f.toggles = g_ptr_array_new ();
        adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f.row), label);
        for (guint i = 0; def->choices[i].code; i++)
          {
            GtkWidget       *row = adw_action_row_new ();
            GtkWidget       *check = gtk_check_button_new ();
            g_autofree char *title = g_strdup_printf (
                "%s %s", def->choices[i].code, tsu_field_choice_label (def, def->choices[i].code));

            adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
            adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
            adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
            label_input (check, title);
            g_signal_connect (check, "notify::active", G_CALLBACK (notify_cb), self);
            g_ptr_array_add (f.toggles, check);
            adw_expander_row_add_row (ADW_EXPANDER_ROW (f.row), row);
          }
        break;
      }
    case TSU_FIELD_STRINGS:
      if (def->choices)
        {
          /* Each choice a switch of its own, straight in the section. */
          f.kind = INPUT_CHOICES;
          f.toggles = g_ptr_array_new ();
          for (guint i = 0; def->choices[i].code; i++)
            {
              GtkWidget *sw;
              GtkWidget *row = switch_row (tsu_field_choice_label (def, def->choices[i].code), &sw);

              g_signal_connect (sw, "notify::active", G_CALLBACK (notify_cb), self);
              g_ptr_array_add (f.toggles, sw);
              adw_preferences_group_add (group, row);
              if (f.row == NULL)
                f.row = row;
            }
          f.message = gtk_label_new (NULL);
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      if (def->flags & TSU_FIELD_MULTILINE)
        {
          GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
          GtkWidget *title = gtk_label_new (label);
          GtkWidget *frame = gtk_frame_new (NULL);

          f.kind = INPUT_TEXT;
          f.row = adw_preferences_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f.row), label);
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (f.row), FALSE);
          gtk_label_set_xalign (GTK_LABEL (title), 0);
          gtk_widget_add_css_class (title, "dim-label");
          gtk_widget_add_css_class (title, "caption");
          f.input = gtk_text_view_new ();
          gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (f.input), GTK_WRAP_WORD_CHAR);
          gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (f.input), FALSE);
          gtk_text_view_set_top_margin (GTK_TEXT_VIEW (f.input), 6);
          gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (f.input), 6);
          gtk_text_view_set_left_margin (GTK_TEXT_VIEW (f.input), 6);
          gtk_text_view_set_right_margin (GTK_TEXT_VIEW (f.input), 6);
          gtk_widget_set_size_request (f.input, -1, 72);
          gtk_frame_set_child (GTK_FRAME (frame), f.input);
          gtk_widget_set_margin_start (box, 12);
          gtk_widget_set_margin_end (box, 12);
          gtk_widget_set_margin_top (box, 8);
          gtk_widget_set_margin_bottom (box, 12);
          gtk_box_append (GTK_BOX (box), title);
          gtk_box_append (GTK_BOX (box), frame);
          gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (f.row), box);
          label_input (f.input, label);
          g_object_set_data (G_OBJECT (gtk_text_view_get_buffer (GTK_TEXT_VIEW (f.input))), "form",
                             self);
        }
      else
        {
          f.kind = INPUT_ENTRY;
          f.row = f.input = adw_entry_row_new ();
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f.row), label);
          label_input (f.input, label);
          g_signal_connect (f.input, "changed", G_CALLBACK (changed_cb), self);
        }
      break;
    }
  gtk_widget_set_name (f.row, def->name);
  if (f.kind != INPUT_CHOICES)
    adw_preferences_group_add (group, f.row);

  /* The message under the field, shown while it is refused. */
  if (f.message == NULL)
    f.message = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (f.message), TRUE);
  gtk_label_set_xalign (GTK_LABEL (f.message), 0);
  gtk_widget_add_css_class (f.message, "error");
  gtk_widget_add_css_class (f.message, "caption");
  gtk_widget_set_margin_start (f.message, 12);
  gtk_widget_set_margin_end (f.message, 12);
  gtk_widget_set_margin_top (f.message, 4);
  gtk_widget_set_margin_bottom (f.message, 4);
  gtk_widget_set_visible (f.message, FALSE);
  gtk_widget_set_name (f.message, "message");
  {
    GtkWidget *holder = gtk_list_box_row_new ();
    gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (holder), FALSE);
    gtk_list_box_row_set_selectable (GTK_LIST_BOX_ROW (holder), FALSE);
    gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (holder), f.message);
    g_object_bind_property (f.message, "visible", holder, "visible", G_BINDING_SYNC_CREATE);
    adw_preferences_group_add (group, holder);
  }
  g_array_append_val (self->fields, f);
}

static void
build (TsuRecordForm *self)
{
  const TsuCollection *c = self->collection;

  for (guint s = 0; s < c->n_sections; s++)
    {
      const TsuSectionDef *sec = &c->sections[s];
      AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());

      adw_preferences_group_set_title (group, _ (sec->label));
      if (sec->description)
        adw_preferences_group_set_description (group, _ (sec->description));
      for (guint i = 0; i < c->n_fields; i++)
        {
          const TsuFieldDef *def = &c->fields[i];

          if ((def->flags & TSU_FIELD_DERIVED) || g_strcmp0 (def->section, sec->id) != 0
              || def->type == TSU_FIELD_JSON)
            continue;
          add_field (self, group, def);
        }
      adw_preferences_page_add (self->edit_page, group);
    }
  /* Text-view rows are found through their buffers; the array no longer
   * moves once built. */
  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = field_at (self, i);
      if (f->kind == INPUT_TEXT)
        {
          GtkTextBuffer *b = gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input));
          g_signal_connect (b, "changed", G_CALLBACK (text_changed_cb), f);
        }
    }
}

/* ---- filling ---- */

static void
fill_field (TsuRecordForm *self, Field *f)
{
  JsonNode *n = self->record ? json_object_get_member (self->record, f->def->name) : NULL;

  set_field_message (self, f, NULL);
  switch (f->kind)
    {
    case INPUT_CHOICE:
      {
        const char *v = tsu_record_get_string (self->record, f->def->name);
        guint       pos = 0;

        for (guint k = 0; v && f->def->choices[k].code; k++)
          if (g_str_equal (f->def->choices[k].code, v))
            pos = k + 1;
        adw_combo_row_set_selected (ADW_COMBO_ROW (f->input), pos);
        break;
      }
    case INPUT_SWITCH:
      gtk_switch_set_active (GTK_SWITCH (f->input),
                             self->record && tsu_record_get_bool (self->record, f->def->name));
      break;
    case INPUT_CODES:
    case INPUT_CHOICES:
      {
        g_autoptr (GString) names = g_string_new (NULL);

        for (guint i = 0; i < f->toggles->len; i++)
          {
            const char *code = f->def->choices[i].code;
            gboolean    on = f->kind == INPUT_CODES
                                 ? tsu_record_array_has_int (self->record, f->def->name,
                                                             g_ascii_strtoll (code, NULL, 10))
                                 : tsu_record_array_has_string (self->record, f->def->name, code);
            GtkWidget  *t = g_ptr_array_index (f->toggles, i);

            if (GTK_IS_SWITCH (t))
              gtk_switch_set_active (GTK_SWITCH (t), on);
            else
              gtk_check_button_set_active (GTK_CHECK_BUTTON (t), on);
            if (on)
              g_string_append_printf (names, "%s%s", names->len ? "、" : "",
                                      tsu_field_choice_label (f->def, code));
          }
        if (f->kind == INPUT_CODES)
          adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (f->row), names->str);
        break;
      }
    default:
      {
        /* Values read as typed: dates and months in the date style. */
        g_autofree char *text
            = n ? tsu_record_value_format (f->def, n, TSU_VALUE_DISPLAY, self->date_style, NULL)
                : g_strdup ("");

        if (f->def->type == TSU_FIELD_STRINGS || f->def->type == TSU_FIELD_CODES)
          {
            g_free (text);
            text = n ? tsu_record_value_format (f->def, n, TSU_VALUE_CSV, self->date_style, NULL)
                     : g_strdup ("");
          }
        if (f->kind == INPUT_TEXT)
          gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (f->input)), text, -1);
        else
          gtk_editable_set_text (GTK_EDITABLE (f->input), text);
        break;
      }
    }
}

static void
clear_read_groups (TsuRecordForm *self)
{
  for (guint i = 0; i < self->read_groups->len; i++)
    adw_preferences_page_remove (self->read_page, g_ptr_array_index (self->read_groups, i));
  g_ptr_array_set_size (self->read_groups, 0);
}

/* The read view: each section with the fields that have a value. */
static void
build_read_view (TsuRecordForm *self)
{
  const TsuCollection *c = self->collection;

  clear_read_groups (self);
  if (self->record == NULL)
    return;
  for (guint s = 0; s < c->n_sections; s++)
    {
      const TsuSectionDef *sec = &c->sections[s];
      GtkWidget           *group = NULL;

      for (guint i = 0; i < c->n_fields; i++)
        {
          const TsuFieldDef *def = &c->fields[i];
          JsonNode          *n;
          g_autofree char   *text = NULL;
          GtkWidget         *row;

          /* JSON fields (tiers, settings) are shown by their page, as they
           * are edited there: not as raw JSON here. */
          if ((def->flags & TSU_FIELD_DERIVED) || g_strcmp0 (def->section, sec->id) != 0
              || def->type == TSU_FIELD_JSON)
            continue;
          n = json_object_get_member (self->record, def->name);
          if (n == NULL || JSON_NODE_HOLDS_NULL (n))
            continue;
          if (def->type == TSU_FIELD_BOOL && !json_node_get_boolean (n))
            continue;
          text = tsu_record_value_format (def, n, TSU_VALUE_DISPLAY, self->date_style, self->store);
          if (*text == '\0')
            continue;
          if (group == NULL)
            {
              group = adw_preferences_group_new ();
              adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), _ (sec->label));
            }
          /* As GNOME Contacts: the value reads first, its label under it. */
          row = adw_action_row_new ();
          adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
          adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), tsu_field_get_form_label (def));
          adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
          gtk_widget_set_name (row, def->name);
          adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
        }
      if (group)
        {
          adw_preferences_page_add (self->read_page, ADW_PREFERENCES_GROUP (group));
          g_ptr_array_add (self->read_groups, group);
        }
    }
  /* The record is read before what other records say of it. */
  for (guint i = 0; i < self->related->len; i++)
    {
      AdwPreferencesGroup *group = g_object_ref (g_ptr_array_index (self->related, i));

      adw_preferences_page_remove (self->read_page, group);
      adw_preferences_page_add (self->read_page, group);
      g_object_unref (group);
    }
}

static void
update_title (TsuRecordForm *self)
{
  g_autofree char *title
      = self->record && self->id ? tsu_record_title (self->collection, self->record) : NULL;

  gtk_label_set_text (self->title_label, title && *title ? title : _ ("New Record"));
}

static void
fill (TsuRecordForm *self)
{
  self->loading = TRUE;
  for (guint i = 0; i < self->fields->len; i++)
    fill_field (self, field_at (self, i));
  self->loading = FALSE;
  g_clear_pointer (&self->confirmed_duplicates, g_free);
  tsu_record_form_clear_problems (self);
  set_dirty (self, FALSE);
  update_title (self);
  build_read_view (self);
  tsu_record_history_load (self->history, self->id, NULL);
  g_signal_emit (self, signals[SIGNAL_LOADED], 0);
  update_buttons (self);
}

/* ---- problems ---- */

static void
problem_activated_cb (AdwActionRow *row, TsuRecordForm *self)
{
  const char *field = g_object_get_data (G_OBJECT (row), "field");

  tsu_record_form_focus_field (self, field);
}

static void
open_clicked_cb (GtkButton *button, TsuRecordForm *self)
{
  g_signal_emit (self, signals[SIGNAL_OPEN_RECORD], 0,
                 g_object_get_data (G_OBJECT (button), "record-id"));
}

void
tsu_record_form_add_problem (TsuRecordForm *self,
                             const char    *field,
                             const char    *message,
                             gboolean       is_error,
                             const char    *open_id)
{
  GtkWidget           *row = adw_action_row_new ();
  GtkWidget           *icon = gtk_image_new_from_icon_name (is_error ? "dialog-error-symbolic"
                                                                     : "dialog-warning-symbolic");
  Field               *f = find_field (self, field);
  AdwPreferencesGroup *group = self->editing ? self->problems_group : self->read_problems_group;
  g_autofree char     *text
      = f ? g_strdup_printf (_ ("%s: %s"), tsu_field_get_form_label (f->def), message)
          : g_strdup (message);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), text);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (icon, is_error ? "error" : "warning");
  if (f && self->editing)
    {
      /* Click (or Enter) on a problem goes to its field. */
      g_object_set_data_full (G_OBJECT (row), "field", g_strdup (field), g_free);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_signal_connect (row, "activated", G_CALLBACK (problem_activated_cb), self);
      if (is_error)
        set_field_message (self, f, message);
    }
  if (open_id)
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_ ("_Open"));
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      g_object_set_data_full (G_OBJECT (button), "record-id", g_strdup (open_id), g_free);
      g_signal_connect (button, "clicked", G_CALLBACK (open_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
    }
  adw_preferences_group_add (group, row);
  g_object_set_data (G_OBJECT (row), "group", group);
  g_ptr_array_add (self->problem_rows, row);
  gtk_widget_set_visible (GTK_WIDGET (group), TRUE);
}

void
tsu_record_form_clear_problems (TsuRecordForm *self)
{
  for (guint i = 0; i < self->problem_rows->len; i++)
    {
      GtkWidget *row = g_ptr_array_index (self->problem_rows, i);
      adw_preferences_group_remove (g_object_get_data (G_OBJECT (row), "group"), row);
    }
  g_ptr_array_set_size (self->problem_rows, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_group), FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->read_problems_group), FALSE);
  for (guint i = 0; i < self->fields->len; i++)
    set_field_message (self, field_at (self, i), NULL);
}

/* ---- saving ---- */

static JsonObject *
collect (TsuRecordForm *self, GPtrArray *problems)
{
  JsonObject *o = json_object_new ();

  for (guint i = 0; i < self->fields->len; i++)
    {
      Field *f = field_at (self, i);
      g_autoptr (JsonNode) value = NULL;
      g_autofree char *why = NULL;

      if (read_field (f, &value, &why))
        json_object_set_member (o, f->def->name, g_steal_pointer (&value));
      else
        tsu_problems_add (problems, f->def->name, TRUE, "%s", why);
    }
  return o;
}

gboolean
tsu_record_form_save (TsuRecordForm *self)
{
  g_autoptr (GPtrArray) problems = tsu_problems_new ();
  g_autoptr (JsonObject) values = NULL;
  g_autoptr (JsonObject) norm = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) clashes = NULL;

  g_return_val_if_fail (TSU_IS_RECORD_FORM (self), FALSE);
  g_return_val_if_fail (self->store != NULL, FALSE);

  if (!self->editing)
    return TRUE;
  if (!self->dirty && self->id != NULL)
    {
      /* Nothing typed: nothing to write (and no empty history entry). */
      set_editing (self, FALSE);
      return TRUE;
    }
  tsu_record_form_clear_problems (self);
  values = collect (self, problems);
  norm = tsu_record_normalize (self->collection, values, problems);
  if (tsu_problems_have_error (problems))
    {
      for (guint i = 0; i < problems->len; i++)
        {
          TsuProblem *p = g_ptr_array_index (problems, i);
          tsu_record_form_add_problem (self, p->field, p->message, p->is_error, NULL);
        }
      scroll_to_top (self->edit_page);
      return FALSE;
    }

  if (self->id == NULL && self->duplicates_func)
    {
      g_autoptr (JsonArray) dups = self->duplicates_func (norm, self->duplicates_data);
      g_autoptr (JsonNode) node = json_node_init_object (json_node_alloc (), norm);
      g_autofree char *key = json_to_string (node, FALSE);

      if (dups && json_array_get_length (dups) > 0
          && g_strcmp0 (key, self->confirmed_duplicates) != 0)
        {
          tsu_record_form_add_problem (
              self, NULL,
              _ ("This may already be registered. Open the existing record, or save again to add "
                 "it anyway."),
              FALSE, NULL);
          for (guint i = 0; i < json_array_get_length (dups); i++)
            {
              JsonObject      *d = json_array_get_object_element (dups, i);
              g_autofree char *msg = g_strdup_printf (
                  "%s（%s）", json_object_get_string_member_with_default (d, "name", ""),
                  json_object_get_string_member_with_default (d, "reason", ""));
              tsu_record_form_add_problem (self, NULL, msg, FALSE,
                                           json_object_get_string_member (d, "id"));
            }
          g_free (self->confirmed_duplicates);
          self->confirmed_duplicates = g_steal_pointer (&key);
          scroll_to_top (self->edit_page);
          return FALSE;
        }
    }

  if (self->id == NULL)
    {
      g_autofree char *new_id
          = self->insert_func
                ? self->insert_func (self->store, norm, self->insert_data, &error)
                : tsu_store_insert (self->store, self->collection->name, norm, &error);

      if (new_id == NULL)
        {
          tsu_record_form_add_problem (self, NULL, error->message, TRUE, NULL);
          return FALSE;
        }
      self->id = g_steal_pointer (&new_id);
    }
  else
    {
      g_autoptr (JsonObject) now = NULL;
      g_autoptr (JsonObject) merged = NULL;

      /* Changed underneath: only the fields the person changed are
       * written, so the other change stays in every other field. */
      if (self->changed_underneath && self->base != NULL
          && (now = tsu_store_get (self->store, self->collection->name, self->id, NULL)))
        merged = tsu_edit_base_merge (self->base, norm, now, &clashes);
      if (!tsu_store_update (self->store, self->collection->name, self->id, merged ? merged : norm,
                             &error))
        {
          tsu_record_form_add_problem (self, NULL, error->message, TRUE, NULL);
          return FALSE;
        }
    }

  set_dirty (self, FALSE);
  self->editing = FALSE;
  if (!tsu_record_form_load (self, self->id, &error))
    g_warning ("Cannot read the record again: %s", error->message);
  /* Fields both changed: this desk's value was kept; say which. */
  for (guint i = 0; clashes && clashes[i]; i++)
    tsu_record_form_add_problem (
        self, clashes[i],
        _ ("It had also been changed elsewhere while you edited; your value was saved."), FALSE,
        NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EDITING]);
  g_signal_emit (self, signals[SIGNAL_SAVED], 0, self->id);
  return TRUE;
}

void
tsu_record_form_revert (TsuRecordForm *self)
{
  if (self->id == NULL)
    {
      set_dirty (self, FALSE);
      g_signal_emit (self, signals[SIGNAL_CANCELLED], 0);
      return;
    }
  fill (self);
  set_editing (self, FALSE);
}

/* ---- actions ---- */

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_record_form_save (TSU_RECORD_FORM (widget));
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_record_form_revert (TSU_RECORD_FORM (widget));
}

static void
edit_action (GtkWidget *widget, const char *name, GVariant *param)
{
  tsu_record_form_edit (TSU_RECORD_FORM (widget));
}

static void
history_toggled_cb (TsuRecordForm *self)
{
  gboolean on = gtk_toggle_button_get_active (self->history_button);

  gtk_stack_set_visible_child_name (self->mode_stack, on              ? "history"
                                                      : self->editing ? "edit"
                                                                      : "read");
  update_buttons (self);
}

static void
history_revert_cb (TsuRecordHistory *history,
                   const char       *id,
                   gint64            history_id,
                   TsuRecordForm    *self)
{
  g_signal_emit (self, signals[SIGNAL_REVERT], 0, id, history_id);
}

/* ---- object ---- */

static void
tsu_record_form_dispose (GObject *object)
{
  TsuRecordForm *self = TSU_RECORD_FORM (object);

  if (self->header_box)
    gtk_widget_dispose_template (GTK_WIDGET (self), TSU_TYPE_RECORD_FORM);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tsu_record_form_parent_class)->dispose (object);
}

static void
tsu_record_form_finalize (GObject *object)
{
  TsuRecordForm *self = TSU_RECORD_FORM (object);

  for (guint i = 0; i < self->fields->len; i++)
    g_clear_pointer (&field_at (self, i)->toggles, g_ptr_array_unref);
  g_array_unref (self->fields);
  g_ptr_array_unref (self->read_groups);
  g_ptr_array_unref (self->extra_read);
  g_ptr_array_unref (self->related);
  g_ptr_array_unref (self->problem_rows);
  g_clear_pointer (&self->record, json_object_unref);
  g_clear_pointer (&self->base, tsu_edit_base_free);
  g_free (self->id);
  g_free (self->confirmed_duplicates);
  g_free (self->subtitle_class);
  G_OBJECT_CLASS (tsu_record_form_parent_class)->finalize (object);
}

static void
tsu_record_form_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuRecordForm *self = TSU_RECORD_FORM (object);

  switch (prop_id)
    {
    case PROP_EDITING:
      g_value_set_boolean (value, self->editing);
      break;
    case PROP_DIRTY:
      g_value_set_boolean (value, self->dirty);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_record_form_class_init (TsuRecordFormClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tsu_record_form_dispose;
  object_class->finalize = tsu_record_form_finalize;
  object_class->get_property = tsu_record_form_get_property;

  properties[PROP_EDITING] = g_param_spec_boolean ("editing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DIRTY] = g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_LOADED] = g_signal_new ("loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                         NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_CANCELLED] = g_signal_new ("cancelled", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_OPEN_RECORD]
      = g_signal_new ("open-record", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                      NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGNAL_REVERT]
      = g_signal_new ("revert", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                      G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  g_type_ensure (TSU_TYPE_RECORD_HISTORY);
  tsu_record_resources_ensure ();
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_BASE "/ui/tsu-record-form.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, header_box);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, back_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, title_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, actions_box);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, edit_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, save_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, history_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, more_button);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, separator);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, mode_stack);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, read_page);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, edit_page);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, problems_group);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, read_problems_group);
  gtk_widget_class_bind_template_child (widget_class, TsuRecordForm, history);

  gtk_widget_class_install_action (widget_class, "form.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "form.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "form.edit", NULL, edit_action);
  /* Esc is deliberately not bound: IME users press it to cancel a
   * conversion, and it must never throw edits away. */
}

static void
tsu_record_form_init (TsuRecordForm *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_orientable_set_orientation (
      GTK_ORIENTABLE (gtk_widget_get_layout_manager (GTK_WIDGET (self))), GTK_ORIENTATION_VERTICAL);
  self->fields = g_array_new (FALSE, TRUE, sizeof (Field));
  self->read_groups = g_ptr_array_new ();
  self->extra_read = g_ptr_array_new ();
  self->related = g_ptr_array_new ();
  self->problem_rows = g_ptr_array_new ();
  g_signal_connect_swapped (self->history_button, "toggled", G_CALLBACK (history_toggled_cb), self);
  g_signal_connect (self->history, "revert", G_CALLBACK (history_revert_cb), self);
  update_buttons (self);
}

GtkWidget *
tsu_record_form_new (void)
{
  return g_object_new (TSU_TYPE_RECORD_FORM, NULL);
}

void
tsu_record_form_set_collection (TsuRecordForm *self, const TsuCollection *collection)
{
  g_return_if_fail (TSU_IS_RECORD_FORM (self));
  g_return_if_fail (self->collection == NULL);

  self->collection = collection;
  tsu_record_history_set_collection (self->history, collection);
  build (self);
}

const TsuCollection *
tsu_record_form_get_collection (TsuRecordForm *self)
{
  return self->collection;
}

void
tsu_record_form_set_store (TsuRecordForm *self, TsuStore *store)
{
  g_set_object (&self->store, store);
  tsu_record_history_set_store (self->history, store);
}

void
tsu_record_form_set_date_style (TsuRecordForm *self, TsuDateStyle style)
{
  if (self->date_style == style)
    return;
  self->date_style = style;
  tsu_record_history_set_date_style (self->history, style);
  if (self->record && !self->dirty)
    fill (self);
}

/**
 * tsu_record_form_set_insert_func:
 *
 * Saves a new record through @func instead of a plain insert: for a
 * collection whose new records get a number or a state in the same
 * transaction (a request's 依頼番号).
 */
void
tsu_record_form_set_insert_func (TsuRecordForm *self, TsuRecordInsertFunc func, gpointer user_data)
{
  g_return_if_fail (TSU_IS_RECORD_FORM (self));

  self->insert_func = func;
  self->insert_data = user_data;
}

void
tsu_record_form_set_duplicates_func (TsuRecordForm          *self,
                                     TsuRecordDuplicatesFunc func,
                                     gpointer                data)
{
  self->duplicates_func = func;
  self->duplicates_data = data;
}

gboolean
tsu_record_form_load (TsuRecordForm *self, const char *id, GError **error)
{
  JsonObject *record;

  g_return_val_if_fail (TSU_IS_RECORD_FORM (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  record = tsu_store_get (self->store, self->collection->name, id, error);
  if (record == NULL)
    return FALSE;
  if (id != self->id)
    {
      g_free (self->id);
      self->id = g_strdup (id);
    }
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record;
  self->editing = FALSE;
  fill (self);
  set_editing (self, FALSE);
  /* Another record starts at its top. */
  scroll_to_top (self->read_page);
  scroll_to_top (self->edit_page);
  return TRUE;
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static gboolean
focus_first_cb (gpointer data)
{
  g_autoptr (TsuRecordForm) self = g_weak_ref_get (data);

  if (self && self->editing && self->id == NULL && self->fields->len > 0
      && gtk_widget_get_mapped (GTK_WIDGET (self)))
    gtk_widget_grab_focus (field_at (self, 0)->input ? field_at (self, 0)->input
                                                     : field_at (self, 0)->row);
  return G_SOURCE_REMOVE;
}

void
tsu_record_form_load_new (TsuRecordForm *self, JsonObject *defaults)
{
  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->record, json_object_unref);
  self->record = defaults ? json_object_ref (defaults) : json_object_new ();
  fill (self);
  set_editing (self, TRUE);
  scroll_to_top (self->edit_page);
  /* A new record starts in its first field, which is empty: once the
   * page has shown the form (not from inside the click that asked). */
  {
    GWeakRef *ref = g_new0 (GWeakRef, 1);

    g_weak_ref_init (ref, self);
    g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, focus_first_cb, ref, weak_ref_free);
  }
}

gboolean
tsu_record_form_reload (TsuRecordForm *self)
{
  JsonObject *record;

  if (self->id == NULL)
    return FALSE;
  record = tsu_store_get (self->store, self->collection->name, self->id, NULL);
  if (record == NULL)
    return FALSE;
  if (self->dirty && self->base != NULL && !self->changed_underneath)
    {
      gboolean deleted_changed = FALSE;
      g_auto (GStrv) changed = tsu_edit_base_changed_fields (self->base, record, &deleted_changed);

      if (changed != NULL || deleted_changed)
        {
          /* Said once, at the top of the edit; the save merges. */
          self->changed_underneath = TRUE;
          tsu_record_form_add_problem (
              self, NULL,
              _ ("This record was changed elsewhere while you were editing it (a sync or another "
                 "window). Saving keeps those changes and writes only the fields you changed."),
              FALSE, NULL);
        }
    }
  g_clear_pointer (&self->record, json_object_unref);
  self->record = record;
  if (self->dirty)
    {
      /* Keep what is being typed; the read view and history follow. */
      update_title (self);
      build_read_view (self);
      tsu_record_history_load (self->history, self->id, NULL);
      g_signal_emit (self, signals[SIGNAL_LOADED], 0);
    }
  else
    {
      /* Nothing typed yet: the edit starts again from the record now. */
      fill (self);
      if (self->base != NULL)
        {
          tsu_edit_base_free (self->base);
          self->base = tsu_edit_base_new (self->collection, self->record);
        }
    }
  return TRUE;
}

const char *
tsu_record_form_get_id (TsuRecordForm *self)
{
  return self->id;
}

/**
 * tsu_record_form_get_record:
 *
 * Returns: (transfer none) (nullable): the stored record shown
 */
JsonObject *
tsu_record_form_get_record (TsuRecordForm *self)
{
  return self->record;
}

gboolean
tsu_record_form_get_dirty (TsuRecordForm *self)
{
  return self->dirty;
}

gboolean
tsu_record_form_get_editing (TsuRecordForm *self)
{
  return self->editing;
}

void
tsu_record_form_edit (TsuRecordForm *self)
{
  if (self->record == NULL)
    return;
  set_editing (self, TRUE);
}

void
tsu_record_form_show_history (TsuRecordForm *self, gboolean show)
{
  gtk_toggle_button_set_active (self->history_button, show);
}

gboolean
tsu_record_form_get_history_shown (TsuRecordForm *self)
{
  return gtk_toggle_button_get_active (self->history_button);
}

/* The title over the record, for a page whose records have no name of
 * their own (a group × programme): call it from "loaded". */
void
tsu_record_form_set_title (TsuRecordForm *self, const char *text)
{
  gtk_label_set_text (self->title_label, text ? text : "");
}

void
tsu_record_form_set_subtitle (TsuRecordForm *self, const char *text, const char *css_class)
{
  gtk_label_set_text (self->subtitle_label, text ? text : "");
  if (self->subtitle_class)
    gtk_widget_remove_css_class (GTK_WIDGET (self->subtitle_label), self->subtitle_class);
  g_free (self->subtitle_class);
  self->subtitle_class = g_strdup (css_class);
  if (css_class)
    gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), css_class);
  else
    gtk_widget_add_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
  if (css_class)
    gtk_widget_remove_css_class (GTK_WIDGET (self->subtitle_label), "dim-label");
}

void
tsu_record_form_add_action (TsuRecordForm *self, GtkWidget *widget)
{
  gtk_box_append (GTK_BOX (self->actions_box), widget);
}

/* The page's own read sections go first: what the record's state is. */
void
tsu_record_form_add_read_section (TsuRecordForm *self, GtkWidget *group)
{
  adw_preferences_page_add (self->read_page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->extra_read, group);
}

/* Sections of other records about this one (its bookings, consultations,
 * requests): shown after the record's own fields. */
void
tsu_record_form_add_related_section (TsuRecordForm *self, GtkWidget *group)
{
  adw_preferences_page_add (self->read_page, ADW_PREFERENCES_GROUP (group));
  g_ptr_array_add (self->related, group);
}

void
tsu_record_form_add_edit_section (TsuRecordForm *self, GtkWidget *group)
{
  adw_preferences_page_add (self->edit_page, ADW_PREFERENCES_GROUP (group));
}

void
tsu_record_form_set_menu (TsuRecordForm *self, GMenuModel *menu)
{
  gtk_menu_button_set_menu_model (self->more_button, menu);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), menu != NULL);
}

void
tsu_record_form_set_folded (TsuRecordForm *self, gboolean folded)
{
  gtk_widget_set_visible (self->back_button, folded);
}

GtkWidget *
tsu_record_form_get_field_row (TsuRecordForm *self, const char *field)
{
  Field *f = find_field (self, field);

  return f ? f->row : NULL;
}

gboolean
tsu_record_form_field_has_error (TsuRecordForm *self, const char *field)
{
  Field *f = find_field (self, field);

  return f && f->has_error;
}

const char *
tsu_record_form_get_field_message (TsuRecordForm *self, const char *field)
{
  Field *f = find_field (self, field);

  return f && f->has_error ? gtk_label_get_text (GTK_LABEL (f->message)) : NULL;
}

void
tsu_record_form_focus_field (TsuRecordForm *self, const char *field)
{
  Field *f = find_field (self, field);

  if (f == NULL)
    return;
  if (!self->editing)
    set_editing (self, TRUE);
  if (ADW_IS_EXPANDER_ROW (f->row))
    adw_expander_row_set_expanded (ADW_EXPANDER_ROW (f->row), TRUE);
  gtk_widget_grab_focus (f->input ? f->input : f->row);
}

GtkWidget *
tsu_record_form_get_history (TsuRecordForm *self)
{
  return GTK_WIDGET (self->history);
}
