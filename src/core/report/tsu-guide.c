/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "tsu-guide.h"
#include "tsu-group-collection.h"
#include "tsu-record.h"

static const char *const rows[] = { "あ行", "か行", "さ行", "た行", "な行",   "は行",
                                    "ま行", "や行", "ら行", "わ行", "その他", NULL };

const char *const *
tsu_guide_rows (void)
{
  return rows;
}

const char *
tsu_guide_row_of (const char *key)
{
  /* tsu_name_sort_key(): "0" then one primary weight per kana, 'A'..'Z'
   * then 'a'..'v' for the 48 kana ア..ン (tsu-kana.c); "1" when there is no
   * reading. */
  static const guint8 first[] = { 0, 5, 10, 15, 20, 25, 30, 35, 38, 43, 48 };
  int                 base;

  if (key == NULL || key[0] != '0')
    return rows[10];
  if (key[1] >= 'A' && key[1] <= 'Z')
    base = key[1] - 'A';
  else if (key[1] >= 'a' && key[1] <= 'v')
    base = 26 + key[1] - 'a';
  else
    return rows[10];
  for (guint i = 0; i < 10; i++)
    if (base >= first[i] && base < first[i + 1])
      return rows[i];
  return rows[10];
}

static void
item_free (TsuGuideItem *item)
{
  g_free (item->label);
  g_free (item->value);
  g_free (item);
}

static void
entry_free (TsuGuideEntry *e)
{
  g_free (e->id);
  g_free (e->name);
  g_free (e->kana);
  g_free (e->sort_key);
  g_free (e->page);
  g_array_unref (e->fields);
  g_ptr_array_unref (e->items);
  g_free (e);
}

static gboolean
safe_id (const char *id)
{
  if (id == NULL || *id == '\0' || strlen (id) > 64)
    return FALSE;
  for (const char *p = id; *p; p++)
    if (!g_ascii_isxdigit (*p) && *p != '-')
      return FALSE;
  return TRUE;
}

static void
add_item (TsuGuideEntry *e, const char *label, const char *value, gboolean url)
{
  TsuGuideItem *item;

  if (value == NULL || *value == '\0')
    return;
  item = g_new0 (TsuGuideItem, 1);
  item->label = g_strdup (label);
  item->value = g_strdup (value);
  item->url = url && (g_str_has_prefix (value, "https://") || g_str_has_prefix (value, "http://"))
              && strpbrk (value, " \t\r\n\"'<>") == NULL;
  g_ptr_array_add (e->items, item);
}

static const TsuFieldPair *
pair_of (const TsuCollection *c, const char *name, gboolean *first)
{
  for (guint i = 0; i < c->n_search_pairs; i++)
    {
      if (g_str_equal (c->search_pairs[i].first, name))
        {
          *first = TRUE;
          return &c->search_pairs[i];
        }
      if (g_str_equal (c->search_pairs[i].second, name))
        {
          *first = FALSE;
          return &c->search_pairs[i];
        }
    }
  return NULL;
}

static TsuGuideEntry *
entry_new (const TsuCollection *c, JsonObject *row, TsuDateStyle style)
{
  TsuGuideEntry *e = g_new0 (TsuGuideEntry, 1);
  JsonNode      *codes = json_object_get_member (row, "fields");

  e->id = g_strdup (tsu_record_get_string (row, "id"));
  e->name = g_strdup (tsu_record_get_string (row, "name"));
  e->kana = g_strdup (tsu_record_get_string (row, "name_kana"));
  e->sort_key = g_strdup (tsu_record_get_string (row, "sort_key"));
  e->row = tsu_guide_row_of (e->sort_key);
  e->page = safe_id (e->id) ? g_strdup_printf ("groups/%s.html", e->id) : NULL;
  e->fields = g_array_new (FALSE, FALSE, sizeof (guint));
  e->items = g_ptr_array_new_with_free_func ((GDestroyNotify)item_free);
  if (codes && JSON_NODE_HOLDS_ARRAY (codes))
    for (guint i = 0; i < json_array_get_length (json_node_get_array (codes)); i++)
      {
        JsonNode *n = json_array_get_element (json_node_get_array (codes), i);
        guint     code;

        if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
          continue;
        code = (guint)json_node_get_int (n);
        if (code >= 1 && code <= 20)
          g_array_append_val (e->fields, code);
      }

  for (guint i = 0; i < c->n_fields; i++)
    {
      const TsuFieldDef  *f = &c->fields[i];
      const TsuFieldPair *pair;
      gboolean            first = FALSE;
      g_autofree char    *value = NULL;

      /* The one notion of public: the descriptor's flags and the record's
       * own consent (public_fields), as the public CSV export applies it. */
      if (!tsu_field_is_public (f, row) || g_str_equal (f->name, "name")
          || g_str_equal (f->name, "name_kana"))
        continue;
      pair = pair_of (c, f->name, &first);
      if (pair != NULL)
        {
          const TsuFieldDef   *second = tsu_collection_lookup_field (c, pair->second);
          const TsuSectionDef *section = tsu_collection_lookup_section (c, f->section);
          g_autofree char     *label = NULL;

          if (!first || second == NULL || !tsu_field_is_public (second, row))
            continue;
          value = tsu_record_join (row, pair->first, pair->second,
                                   (f->flags & TSU_FIELD_READING) ? "\u3000" : " ");
          label = (f->flags & TSU_FIELD_READING)
                      ? g_strdup_printf (_ ("%s (reading)"),
                                         section ? g_dgettext (GETTEXT_PACKAGE, section->label)
                                                 : tsu_field_get_label (f))
                      : g_strdup (section ? g_dgettext (GETTEXT_PACKAGE, section->label)
                                          : tsu_field_get_label (f));
          add_item (e, label, value, FALSE);
          continue;
        }
      if (json_object_get_member (row, f->name) == NULL
          || JSON_NODE_HOLDS_NULL (json_object_get_member (row, f->name)))
        continue;
      value = tsu_record_value_format (f, json_object_get_member (row, f->name), TSU_VALUE_DISPLAY,
                                       style, NULL);
      add_item (e, tsu_field_get_label (f), value, (f->flags & TSU_FIELD_URL) != 0);
    }
  return e;
}

GPtrArray *
tsu_guide_collect (TsuStore *store, const GDate *today, TsuDateStyle style, GError **error)
{
  const TsuCollection *c = &tsu_group_collection;
  g_autoptr (GPtrArray) rows_found
      = tsu_store_find (store, "groups", "1", NULL, "sort_key, rowid", 0, error);
  GPtrArray *out;

  if (rows_found == NULL)
    return NULL;
  out = g_ptr_array_new_with_free_func ((GDestroyNotify)entry_free);
  for (guint i = 0; i < rows_found->len; i++)
    {
      JsonObject *row = g_ptr_array_index (rows_found, i);

      if (c->is_public_record != NULL && !c->is_public_record (row, today))
        continue;
      g_ptr_array_add (out, entry_new (c, row, style));
    }
  return out;
}

/* ---- HTML ---- */

char *
tsu_guide_escape (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text ? text : ""; *p; p++)
    switch (*p)
      {
      case '&':
        g_string_append (s, "&amp;");
        break;
      case '<':
        g_string_append (s, "&lt;");
        break;
      case '>':
        g_string_append (s, "&gt;");
        break;
      case '"':
        g_string_append (s, "&quot;");
        break;
      case '\'':
        g_string_append (s, "&#39;");
        break;
      default:
        g_string_append_c (s, *p);
      }
  return g_string_free (s, FALSE);
}

static void
append_escaped (GString *s, const char *text)
{
  g_autofree char *e = tsu_guide_escape (text);
  g_string_append (s, e);
}

/* Multi-line values keep their lines. */
static void
append_lines (GString *s, const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      if (i)
        g_string_append (s, "<br>");
      append_escaped (s, lines[i]);
    }
}

static void
page_start (GString *s, const char *title, const char *root, const char *centre)
{
  g_string_append_printf (s,
                          "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
                          C_ ("html lang", "en"));
  g_string_append (s, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                      "<title>");
  append_escaped (s, title);
  g_string_append (s, " — ");
  append_escaped (s, centre);
  g_string_append_printf (
      s, "</title>\n<link rel=\"stylesheet\" href=\"%sstyle.css\">\n</head>\n<body>\n", root);
  g_string_append_printf (s, "<header>\n<p class=\"site\"><a href=\"%sindex.html\">", root);
  append_escaped (s, centre);
  g_string_append (s, " ");
  append_escaped (s, _ ("Directory of civic groups"));
  g_string_append_printf (
      s,
      "</a></p>\n<nav aria-label=\"%s\"><ul>"
      "<li><a href=\"%sindex.html\">%s</a></li>"
      "<li><a href=\"%sfields.html\">%s</a></li></ul></nav>\n</header>\n<main>\n",
      _ ("Indexes"), root, _ ("By reading (五十音順)"), root, _ ("By activity field"));
}

static void
page_end (GString *s, const char *made)
{
  g_string_append (s, "</main>\n<footer><p>");
  append_escaped (s, made);
  g_string_append (s, "</p></footer>\n</body>\n</html>\n");
}

static void
entry_link (GString *s, TsuGuideEntry *e, const char *root)
{
  g_string_append (s, "<li>");
  if (e->page)
    {
      g_string_append_printf (s, "<a href=\"%s", root);
      append_escaped (s, e->page);
      g_string_append (s, "\">");
    }
  append_escaped (s, e->name);
  if (e->page)
    g_string_append (s, "</a>");
  if (e->kana && *e->kana)
    {
      g_string_append (s, " <span class=\"kana\">");
      append_escaped (s, e->kana);
      g_string_append (s, "</span>");
    }
  g_string_append (s, "</li>\n");
}

static const char *
row_anchor (guint i)
{
  static const char *ids[] = { "a", "ka", "sa", "ta", "na", "ha", "ma", "ya", "ra", "wa", "other" };
  return ids[i];
}

static char *
index_html (GPtrArray *entries, const char *centre, const char *made)
{
  GString *s = g_string_new (NULL);
  guint    count[11] = { 0 };

  for (guint i = 0; i < entries->len; i++)
    {
      TsuGuideEntry *e = g_ptr_array_index (entries, i);
      for (guint r = 0; r < 11; r++)
        if (e->row == rows[r])
          count[r]++;
    }
  page_start (s, _ ("Directory of civic groups"), "", centre);
  g_string_append (s, "<h1>");
  append_escaped (s, _ ("Directory of civic groups"));
  g_string_append (s, "</h1>\n<p>");
  {
    g_autofree char *line = g_strdup_printf (
        g_dngettext (GETTEXT_PACKAGE, "%u registered group that agreed to be listed.",
                     "%u registered groups that agreed to be listed.", entries->len),
        entries->len);
    append_escaped (s, line);
  }
  g_string_append (s, "</p>\n");
  /* The search works in the page without a server; without scripts it
   * stays hidden and the indexes below are the way in. */
  g_string_append_printf (
      s,
      "<div id=\"search\" role=\"search\" hidden>\n<label for=\"q\">%s</label>\n"
      "<input type=\"search\" id=\"q\" autocomplete=\"off\">\n"
      "<p id=\"count\" aria-live=\"polite\"></p>\n<ul id=\"results\"></ul>\n</div>\n",
      _ ("Find a group (name, reading or field)"));
  g_string_append_printf (s, "<nav aria-label=\"%s\" class=\"rows\"><ul>", _ ("Rows of the kana"));
  for (guint r = 0; r < 11; r++)
    if (count[r])
      g_string_append_printf (s, "<li><a href=\"#row-%s\">%s</a></li>", row_anchor (r), rows[r]);
  g_string_append (s, "</ul></nav>\n");
  for (guint r = 0; r < 11; r++)
    {
      if (!count[r])
        continue;
      g_string_append_printf (s, "<section>\n<h2 id=\"row-%s\">%s</h2>\n<ul class=\"groups\">\n",
                              row_anchor (r), rows[r]);
      for (guint i = 0; i < entries->len; i++)
        {
          TsuGuideEntry *e = g_ptr_array_index (entries, i);
          if (e->row == rows[r])
            entry_link (s, e, "");
        }
      g_string_append (s, "</ul>\n</section>\n");
    }
  g_string_append (
      s, "<script src=\"search-index.js\"></script>\n<script src=\"search.js\"></script>\n");
  page_end (s, made);
  return g_string_free (s, FALSE);
}

static char *
fields_html (GPtrArray *entries, const char *centre, const char *made)
{
  GString *s = g_string_new (NULL);

  page_start (s, _ ("By activity field"), "", centre);
  g_string_append (s, "<h1>");
  append_escaped (s, _ ("Groups by activity field"));
  g_string_append (s, "</h1>\n");
  for (guint code = 1; code <= 20; code++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < entries->len; i++)
        {
          TsuGuideEntry *e = g_ptr_array_index (entries, i);

          for (guint j = 0; j < e->fields->len; j++)
            if (g_array_index (e->fields, guint, j) == code)
              {
                if (!any)
                  {
                    g_string_append_printf (s, "<section>\n<h2 id=\"field-%u\">", code);
                    append_escaped (s, _ (tsu_activity_fields[code - 1].label));
                    g_string_append (s, "</h2>\n<ul class=\"groups\">\n");
                    any = TRUE;
                  }
                entry_link (s, e, "");
                break;
              }
        }
      if (any)
        g_string_append (s, "</ul>\n</section>\n");
    }
  page_end (s, made);
  return g_string_free (s, FALSE);
}

static char *
group_html (TsuGuideEntry *e, const char *centre, const char *made)
{
  GString *s = g_string_new (NULL);

  page_start (s, e->name, "../", centre);
  g_string_append (s, "<article>\n<h1>");
  append_escaped (s, e->name);
  g_string_append (s, "</h1>\n");
  if (e->kana && *e->kana)
    {
      g_string_append (s, "<p class=\"kana\">");
      append_escaped (s, e->kana);
      g_string_append (s, "</p>\n");
    }
  g_string_append (s, "<dl>\n");
  for (guint i = 0; i < e->items->len; i++)
    {
      TsuGuideItem *item = g_ptr_array_index (e->items, i);

      g_string_append (s, "<dt>");
      append_escaped (s, item->label);
      g_string_append (s, "</dt>\n<dd>");
      if (item->url)
        {
          g_string_append (s, "<a href=\"");
          append_escaped (s, item->value);
          g_string_append (s, "\" rel=\"nofollow noopener\">");
          append_escaped (s, item->value);
          g_string_append (s, "</a>");
        }
      else
        append_lines (s, item->value);
      g_string_append (s, "</dd>\n");
    }
  g_string_append (s, "</dl>\n</article>\n");
  page_end (s, made);
  return g_string_free (s, FALSE);
}

static const char style_css[]
    = "/* Readable on screen and on paper; contrast of at least 7:1 for text. */\n"
      ":root { color: #1a1a1a; background: #ffffff; }\n"
      "body { font-family: \"Noto Sans CJK JP\", \"Noto Sans JP\", \"Hiragino Sans\", "
      "\"Yu Gothic\", sans-serif; line-height: 1.8; max-width: 48rem; margin: 0 auto; "
      "padding: 0 1rem; font-size: 1rem; }\n"
      "a { color: #0b4f9c; text-decoration: underline; }\n"
      "a:focus { outline: 3px solid #1a1a1a; outline-offset: 2px; }\n"
      "header { border-bottom: 2px solid #1a1a1a; }\n"
      "header .site { font-weight: bold; margin: 0.5rem 0; }\n"
      "nav ul { list-style: none; padding: 0; margin: 0.5rem 0; display: flex; flex-wrap: wrap; "
      "gap: 0.5rem 1.2rem; }\n"
      ".kana { color: #404040; font-size: 0.9rem; }\n"
      "h2 { border-left: 6px solid #1a1a1a; padding-left: 0.5rem; margin-top: 2rem; }\n"
      "dl { display: grid; grid-template-columns: 11rem 1fr; gap: 0.3rem 1rem; }\n"
      "dt { font-weight: bold; }\n"
      "dd { margin: 0; overflow-wrap: anywhere; }\n"
      "#search input { font-size: 1rem; padding: 0.4rem; width: 100%; max-width: 30rem; "
      "border: 2px solid #1a1a1a; }\n"
      "footer { border-top: 1px solid #1a1a1a; margin-top: 3rem; font-size: 0.85rem; }\n"
      "@media (max-width: 40rem) { dl { grid-template-columns: 1fr; } }\n"
      "@media print {\n"
      "  nav, #search, footer { display: none; }\n"
      "  body { max-width: none; font-size: 10.5pt; }\n"
      "  a { color: #000; text-decoration: none; }\n"
      "  section, article { break-inside: avoid-page; }\n"
      "  h2 { break-after: avoid-page; }\n"
      "}\n";

/* Filters the index in the page: text comparison after folding full-width
 * forms and katakana to hiragana; results are built as text nodes. */
static const char search_js[]
    = "(function () {\n"
      "  'use strict';\n"
      "  var data = window.TSU_GUIDE || [];\n"
      "  var box = document.getElementById('search');\n"
      "  var q = document.getElementById('q');\n"
      "  var list = document.getElementById('results');\n"
      "  var count = document.getElementById('count');\n"
      "  if (!box || !q || !list) return;\n"
      "  function fold(s) {\n"
      "    s = (s || '').normalize('NFKC').toLowerCase();\n"
      "    return s.replace(/[\\u30a1-\\u30f6]/g, function (c) {\n"
      "      return String.fromCharCode(c.charCodeAt(0) - 0x60);\n"
      "    }).replace(/\\s+/g, '');\n"
      "  }\n"
      "  data.forEach(function (e) { e.key = fold(e.n + e.k + (e.f || []).join('') + (e.t || '')); "
      "});\n"
      "  function show() {\n"
      "    var words = q.value.split(/\\s+/).map(fold).filter(Boolean);\n"
      "    while (list.firstChild) list.removeChild(list.firstChild);\n"
      "    if (!words.length) { count.textContent = ''; return; }\n"
      "    var found = data.filter(function (e) {\n"
      "      return words.every(function (w) { return e.key.indexOf(w) >= 0; });\n"
      "    });\n"
      "    found.slice(0, 100).forEach(function (e) {\n"
      "      var li = document.createElement('li');\n"
      "      var a = document.createElement('a');\n"
      "      a.setAttribute('href', e.u);\n"
      "      a.textContent = e.n;\n"
      "      li.appendChild(a);\n"
      "      list.appendChild(li);\n"
      "    });\n"
      "    count.textContent = box.getAttribute('data-count').replace('%d', found.length);\n"
      "  }\n"
      "  box.hidden = false;\n"
      "  q.addEventListener('input', show);\n"
      "})();\n";

static char *
index_js (GPtrArray *entries)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *json = NULL;
  GString         *s = g_string_new ("window.TSU_GUIDE = ");

  json_builder_begin_array (b);
  for (guint i = 0; i < entries->len; i++)
    {
      TsuGuideEntry *e = g_ptr_array_index (entries, i);

      if (e->page == NULL)
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "n");
      json_builder_add_string_value (b, e->name ? e->name : "");
      json_builder_set_member_name (b, "k");
      json_builder_add_string_value (b, e->kana ? e->kana : "");
      json_builder_set_member_name (b, "u");
      json_builder_add_string_value (b, e->page);
      json_builder_set_member_name (b, "f");
      json_builder_begin_array (b);
      for (guint j = 0; j < e->fields->len; j++)
        json_builder_add_string_value (
            b, _ (tsu_activity_fields[g_array_index (e->fields, guint, j) - 1].label));
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json = json_generator_to_data (gen, NULL);
  /* Inside a script file nothing may close or open markup. */
  for (const char *p = json; *p; p++)
    if (*p == '<')
      g_string_append (s, "\\u003c");
    else if (*p == '>')
      g_string_append (s, "\\u003e");
    else if (*p == '&')
      g_string_append (s, "\\u0026");
    else
      g_string_append_c (s, *p);
  g_string_append (s, ";\n");
  return g_string_free (s, FALSE);
}

static gboolean
put (TsuStore   *store,
     const char *dir,
     const char *name,
     char       *text,
     GPtrArray  *written,
     GError    **error)
{
  g_autofree char *owned = text;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GBytes) bytes = g_bytes_new (owned, strlen (owned));

  if (!tsu_store_write_output (store, path, bytes, error))
    return FALSE;
  if (written)
    g_ptr_array_add (written, g_strdup (name));
  return TRUE;
}

gboolean
tsu_guide_write_site (TsuStore    *store,
                      GPtrArray   *entries,
                      const char  *dir,
                      const char  *centre,
                      TsuDateStyle style,
                      const GDate *made_on,
                      GPtrArray   *written,
                      GError     **error)
{
  g_autofree char *groups_dir = g_build_filename (dir, "groups", NULL);
  g_autofree char *day = tsu_date_format_plain (made_on, style);
  g_autofree char *made
      = g_strdup_printf (_ ("As of %s. Only what each group agreed to publish."), day);
  g_autofree char *index = NULL;

  if (centre == NULL || *centre == '\0')
    centre = _ ("Civic activity support centre");
  if (g_mkdir_with_parents (groups_dir, 0755) != 0)
    {
      int e = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (e),
                   _ ("Cannot make the folder %s: %s"), groups_dir, g_strerror (e));
      return FALSE;
    }
  index = index_html (entries, centre, made);
  {
    /* the count line of the search, translated, for the script */
    g_autofree char *count_attr = tsu_guide_escape (_ ("%d found"));
    g_autofree char *marker = g_strdup_printf (
        "<div id=\"search\" role=\"search\" data-count=\"%s\" hidden>", count_attr);
    char *at = strstr (index, "<div id=\"search\" role=\"search\" hidden>");
    if (at)
      {
        GString *s = g_string_new_len (index, at - index);
        g_string_append (s, marker);
        g_string_append (s, at + strlen ("<div id=\"search\" role=\"search\" hidden>"));
        g_free (index);
        index = g_string_free (s, FALSE);
      }
  }
  if (!put (store, dir, "index.html", g_steal_pointer (&index), written, error)
      || !put (store, dir, "fields.html", fields_html (entries, centre, made), written, error)
      || !put (store, dir, "style.css", g_strdup (style_css), written, error)
      || !put (store, dir, "search.js", g_strdup (search_js), written, error)
      || !put (store, dir, "search-index.js", index_js (entries), written, error))
    return FALSE;
  for (guint i = 0; i < entries->len; i++)
    {
      TsuGuideEntry *e = g_ptr_array_index (entries, i);

      if (e->page && !put (store, dir, e->page, group_html (e, centre, made), written, error))
        return FALSE;
    }
  return TRUE;
}
