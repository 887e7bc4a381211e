/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-disclosure.h"
#include "tsu-matching-collections.h"
#include "tsu-record.h"
#include "tsu-slots.h"
#include "tsu-store-private.h"

void
tsu_disclosure_item_free (TsuDisclosureItem *item)
{
  if (item == NULL)
    return;
  g_free (item->section);
  g_free (item->label);
  g_free (item->value);
  g_free (item);
}

static void
add (GPtrArray *items, const char *section, const char *label, const char *value)
{
  TsuDisclosureItem *i = g_new0 (TsuDisclosureItem, 1);

  i->section = g_strdup (section);
  i->label = g_strdup (label ? label : "");
  i->value = g_strdup (value ? value : "");
  g_ptr_array_add (items, i);
}

static char *
when_text (const char *iso, TsuDateStyle style)
{
  g_autoptr (GDateTime) dt = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr (GDateTime) local = dt ? g_date_time_to_local (dt) : NULL;
  g_autofree char *date = NULL;
  GDate            d;

  if (local == NULL)
    return g_strdup (iso ? iso : "");
  g_date_clear (&d, 1);
  g_date_set_dmy (&d, g_date_time_get_day_of_month (local), g_date_time_get_month (local),
                  g_date_time_get_year (local));
  date = tsu_date_format_plain (&d, style);
  return g_strdup_printf ("%s %02d:%02d", date, g_date_time_get_hour (local),
                          g_date_time_get_minute (local));
}

static char *
value_text (const TsuCollection *c, const char *field, JsonNode *n, TsuDateStyle style)
{
  const TsuFieldDef *f = tsu_collection_lookup_field (c, field);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return g_strdup (_ ("(empty)"));
  if (f == NULL)
    return json_to_string (n, FALSE);
  return tsu_record_value_format (f, n, TSU_VALUE_DISPLAY, style, NULL);
}

/* Every field with a value, in the form's order, by its label. */
static void
add_record (GPtrArray           *items,
            const char          *section,
            const TsuCollection *c,
            JsonObject          *row,
            TsuDateStyle         style)
{
  for (guint i = 0; i < c->n_fields; i++)
    {
      const TsuFieldDef *f = &c->fields[i];
      JsonNode          *n = json_object_get_member (row, f->name);
      g_autofree char   *text = NULL;

      if ((f->flags & TSU_FIELD_DERIVED) || n == NULL || JSON_NODE_HOLDS_NULL (n))
        continue;
      text = tsu_record_value_format (f, n, TSU_VALUE_DISPLAY, style, NULL);
      if (*text)
        add (items, section, tsu_field_get_label (f), text);
    }
}

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "insert") == 0)
    return _ ("Added");
  if (g_strcmp0 (action, "delete") == 0)
    return _ ("Deleted");
  if (g_strcmp0 (action, "undelete") == 0)
    return _ ("Restored");
  return _ ("Changed");
}

/* One item per history entry: when, who and what; the values it wrote. */
static void
add_history (GPtrArray           *items,
             TsuStore            *store,
             const TsuCollection *c,
             const char          *id,
             const char          *what,
             TsuDateStyle         style)
{
  g_autoptr (JsonArray) history = tsu_store_get_history (store, c->name, id, NULL);
  const char *section = _ ("Change history");

  for (guint i = 0; history && i < json_array_get_length (history); i++)
    {
      JsonObject      *e = json_array_get_object_element (history, i);
      JsonObject      *changes = json_object_get_object_member (e, "changes");
      g_autofree char *when
          = when_text (json_object_get_string_member_with_default (e, "at", NULL), style);
      g_autoptr (GString) text = g_string_new (NULL);
      g_autofree char *label = NULL;
      gboolean         insert
          = g_strcmp0 (json_object_get_string_member_with_default (e, "action", ""), "insert") == 0;

      for (guint k = 0; changes && k < c->n_fields; k++)
        {
          const TsuFieldDef *f = &c->fields[k];
          JsonObject        *ch;
          g_autofree char   *old = NULL;
          g_autofree char *new = NULL;

          if ((f->flags & TSU_FIELD_DERIVED) || !json_object_has_member (changes, f->name)
              || (ch = json_object_get_object_member (changes, f->name)) == NULL)
            continue;
          new = value_text (c, f->name, json_object_get_member (ch, "new"), style);
          if (text->len)
            g_string_append (text, "\n");
          if (insert)
            g_string_append_printf (text, "%s: %s", tsu_field_get_label (f), new);
          else
            {
              old = value_text (c, f->name, json_object_get_member (ch, "old"), style);
              g_string_append_printf (text, "%s: %s → %s", tsu_field_get_label (f), old, new);
            }
        }
      /* TRANSLATORS: a history entry in a disclosure: when, who, what, of which record:
       * 2026年12月1日 10:00 ・ 窓口 花子 ・ 変更（活動の記録: 子ども食堂の配膳） */
      label = g_strdup_printf (
          _ ("%s ・ %s ・ %s (%s)"), when,
          json_object_get_string_member_with_default (e, "author", ""),
          action_label (json_object_get_string_member_with_default (e, "action", "update")), what);
      add (items, section, label, text->str);
    }
}

typedef struct
{
  const char *volunteer_id;
  GPtrArray  *matches;
  guint       n;
} Pending;

static gboolean
count_pending (sqlite3 *db, gpointer data, GError **error)
{
  Pending      *p = data;
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox WHERE collection = ? AND record_id = ?",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    {
      tsu_store_set_sqlite_error (error, db, "disclosure");
      return FALSE;
    }
  for (guint i = 0; i <= p->matches->len; i++)
    {
      const char *id = i == 0 ? p->volunteer_id
                              : tsu_record_get_string (g_ptr_array_index (p->matches, i - 1), "id");

      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, i == 0 ? "volunteers" : "matches", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        p->n += sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

/**
 * tsu_disclosure_collect:
 *
 * Returns: (transfer full): the items, or %NULL with @error
 */
GPtrArray *
tsu_disclosure_collect (
    TsuStore *store, const char *volunteer_id, TsuDateStyle style, char **name, GError **error)
{
  g_autoptr (JsonObject) v = NULL;
  g_autoptr (GPtrArray) items
      = g_ptr_array_new_with_free_func ((GDestroyNotify)tsu_disclosure_item_free);
  g_autoptr (GPtrArray) matches = NULL;
  const char *params[] = { volunteer_id, NULL };
  const char *registration = _ ("Registration details");
  const char *activities = _ ("Matches with requests");

  g_return_val_if_fail (TSU_IS_STORE (store), NULL);

  if ((v = tsu_store_get (store, "volunteers", volunteer_id, error)) == NULL)
    return NULL;
  if (name)
    *name = tsu_record_title (&tsu_volunteer_collection, v);
  add_record (items, registration, &tsu_volunteer_collection, v, style);
  {
    g_autofree char *created = when_text (tsu_record_get_string (v, "created_at"), style);
    g_autofree char *updated = when_text (tsu_record_get_string (v, "updated_at"), style);

    add (items, registration, _ ("First entered"), created);
    add (items, registration, _ ("Last changed"), updated);
  }

  /* Matches, also those deleted by mistake: the file still holds them. */
  matches = tsu_store_find (store, "matches", "volunteer_id = ?", params, "rowid", 0, error);
  if (matches == NULL)
    return NULL;
  for (guint i = 0; i < matches->len; i++)
    {
      JsonObject *m = g_ptr_array_index (matches, i);
      g_autoptr (JsonObject) r
          = tsu_store_get (store, "requests", tsu_record_get_string (m, "request_id"), NULL);
      g_autofree char *when = r ? tsu_schedule_describe (r, style) : g_strdup ("");
      g_autofree char *label = g_strdup_printf (
          "%s %s",
          r && tsu_record_get_string (r, "number") ? tsu_record_get_string (r, "number") : "",
          r && tsu_record_get_string (r, "title") ? tsu_record_get_string (r, "title") : "");
      g_autoptr (GString) text = g_string_new (when);

      for (guint k = 0; k < tsu_match_collection.n_fields; k++)
        {
          const TsuFieldDef *f = &tsu_match_collection.fields[k];
          JsonNode          *n = json_object_get_member (m, f->name);
          g_autofree char   *t = NULL;

          if (f->type == TSU_FIELD_REF || n == NULL || JSON_NODE_HOLDS_NULL (n))
            continue;
          t = tsu_record_value_format (f, n, TSU_VALUE_DISPLAY, style, NULL);
          if (*t)
            g_string_append_printf (text, "%s%s: %s", text->len ? "\n" : "",
                                    tsu_field_get_label (f), t);
        }
      add (items, activities, g_strstrip (label), text->str);
    }

  add_history (items, store, &tsu_volunteer_collection, volunteer_id, registration, style);
  for (guint i = 0; i < matches->len; i++)
    {
      JsonObject *m = g_ptr_array_index (matches, i);
      g_autoptr (JsonObject) r
          = tsu_store_get (store, "requests", tsu_record_get_string (m, "request_id"), NULL);
      g_autofree char *what = g_strdup_printf (
          _ ("Activity: %s"),
          r && tsu_record_get_string (r, "title") ? tsu_record_get_string (r, "title") : "");

      add_history (items, store, &tsu_match_collection, tsu_record_get_string (m, "id"), what,
                   style);
    }

  /* The sync queue holds the same values again (sent or not). */
  {
    Pending p = { volunteer_id, matches, 0 };

    if (tsu_store_read (store, count_pending, &p, NULL) && p.n > 0)
      {
        g_autofree char *count = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE,
                         "%u entry in the queue of changes for the city's server (the same "
                         "values as in the history)",
                         "%u entries in the queue of changes for the city's server (the same "
                         "values as in the history)",
                         p.n),
            p.n);
        add (items, _ ("Sync queue"), _ ("Changes kept for the server"), count);
      }
  }
  return g_steal_pointer (&items);
}

/**
 * tsu_disclosure_csv:
 *
 * Returns: (transfer full): the items as CSV (区分, 項目, 内容), or NULL
 */
GBytes *
tsu_disclosure_csv (GPtrArray     *items,
                    TsuCsvEncoding encoding,
                    GPtrArray     *unencodable,
                    GError       **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  g_ptr_array_add (rows, g_strsplit ("区分,項目,内容", ",", -1));
  for (guint i = 0; i < items->len; i++)
    {
      TsuDisclosureItem *it = g_ptr_array_index (items, i);
      char             **row = g_new0 (char *, 4);

      row[0] = g_strdup (it->section);
      row[1] = g_strdup (it->label);
      row[2] = g_strdup (it->value);
      g_ptr_array_add (rows, row);
    }
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}
