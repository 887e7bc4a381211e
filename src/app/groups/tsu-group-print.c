/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-group-print.h"
#include "tsu-print-preview.h"
#include "tsu-group-collection.h"
#include "tsu-record.h"
#include "tsu-group.h"

typedef struct
{
  JsonObject           *group;
  TsuGroupPrintKind     kind;
  TsuDateStyle          style;
  const TsuGroupCentre *centre;
} PrintData;

static gboolean
has_key (GSettings *settings, const char *key)
{
  g_autoptr (GSettingsSchema) schema = NULL;

  if (settings == NULL)
    return FALSE;
  g_object_get (settings, "settings-schema", &schema, NULL);
  return schema && g_settings_schema_has_key (schema, key);
}

/**
 * tsu_centre_name:
 * @settings: (nullable): the application's settings
 *
 * Returns: (transfer full): the centre's name as the preferences give it,
 *   or the one generic name used everywhere else
 */
char *
tsu_centre_name (GSettings *settings)
{
  g_autofree char *name = has_key (settings, "centre-name")
                              ? g_strstrip (g_settings_get_string (settings, "centre-name"))
                              : NULL;

  return name && *name ? g_steal_pointer (&name) : g_strdup (_ ("Civic Activity Support Centre"));
}

TsuGroupCentre *
tsu_group_centre_from_settings (GSettings *settings)
{
  TsuGroupCentre *c = g_new0 (TsuGroupCentre, 1);

  c->name = tsu_centre_name (settings);
  c->head = has_key (settings, "centre-head")
                ? g_strstrip (g_settings_get_string (settings, "centre-head"))
                : g_strdup ("");
  return c;
}

void
tsu_group_centre_free (TsuGroupCentre *centre)
{
  if (centre == NULL)
    return;
  g_free (centre->name);
  g_free (centre->head);
  g_free (centre);
}

static const char *
get_str (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return "";
}

static void
show_text (cairo_t       *cr,
           PangoLayout   *layout,
           const char    *font,
           const char    *text,
           double         x,
           double        *y,
           double         width,
           PangoAlignment align)
{
  PangoFontDescription *desc = pango_font_description_from_string (font);
  int                   h;

  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_set_width (layout, (int)(width * PANGO_SCALE));
  pango_layout_set_alignment (layout, align);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, *y);
  pango_cairo_show_layout (cr, layout);
  pango_layout_get_pixel_size (layout, NULL, &h);
  *y += h;
}

/* A 登録証 reads as official papers do: 和暦 without a weekday, the issuing
 * centre and its head, and a space for the 公印. */
static void
draw_certificate (cairo_t *cr, PangoLayout *layout, PrintData *data, double w, double h)
{
  JsonObject      *g = data->group;
  int              fy = tsu_group_valid_fiscal_year (g);
  g_autofree char *valid
      = fy > 0 ? tsu_fiscal_year_format (fy, TSU_DATE_STYLE_WAREKI) : g_strdup ("");
  g_autofree char *registered = NULL;
  g_autofree char *issued = NULL;
  g_autofree char *number
      = g_strdup_printf (_ ("Registration No. %s"), get_str (g, "registration_number"));
  g_autofree char *name = g_strdup (get_str (g, "name"));
  const char      *body = _ ("The group above is registered with the centre as a civic activity "
                                  "group.");
  g_autofree char *valid_line = g_strdup_printf (_ ("Valid through %s"), valid);
  g_autofree char *date_line = NULL;
  g_autofree char *issued_line = NULL;
  g_autofree char *fallback = NULL;
  const char      *centre = data->centre ? data->centre->name : NULL;
  const char      *head = data->centre ? data->centre->head : NULL;
  double           y = h * 0.08, seal = 56;
  GDate            d;

  if (centre == NULL)
    centre = fallback = tsu_centre_name (NULL);
  if (tsu_date_from_iso (get_str (g, "registered_on"), &d))
    registered = tsu_date_format_plain (&d, TSU_DATE_STYLE_WAREKI);
  tsu_date_today (&d);
  issued = tsu_date_format_plain (&d, TSU_DATE_STYLE_WAREKI);
  date_line = g_strdup_printf (_ ("Registered on %s"), registered ? registered : "");
  issued_line = g_strdup_printf (_ ("Issued on %s"), issued);

  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, w * 0.04, h * 0.03, w * 0.92, h * 0.94);
  cairo_stroke (cr);
  show_text (cr, layout, "Noto Sans CJK JP 11", number, w * 0.1, &y, w * 0.8, PANGO_ALIGN_RIGHT);
  y += h * 0.06;
  show_text (cr, layout, "Noto Serif CJK JP Bold 34", _ ("Certificate of Registration"), w * 0.1,
             &y, w * 0.8, PANGO_ALIGN_CENTER);
  y += h * 0.08;
  show_text (cr, layout, "Noto Sans CJK JP 12", get_str (g, "name_kana"), w * 0.1, &y, w * 0.8,
             PANGO_ALIGN_CENTER);
  show_text (cr, layout, "Noto Serif CJK JP Bold 24", name, w * 0.1, &y, w * 0.8,
             PANGO_ALIGN_CENTER);
  y += h * 0.08;
  show_text (cr, layout, "Noto Serif CJK JP 14", body, w * 0.12, &y, w * 0.76, PANGO_ALIGN_LEFT);
  y += h * 0.04;
  /* One fact a line: a date never breaks in the middle of a word. */
  show_text (cr, layout, "Noto Serif CJK JP 13", date_line, w * 0.12, &y, w * 0.76,
             PANGO_ALIGN_LEFT);
  y += h * 0.01;
  show_text (cr, layout, "Noto Serif CJK JP 13", valid_line, w * 0.12, &y, w * 0.76,
             PANGO_ALIGN_LEFT);
  y += h * 0.08;
  show_text (cr, layout, "Noto Serif CJK JP 13", issued_line, w * 0.1, &y, w * 0.8 - seal - 12,
             PANGO_ALIGN_RIGHT);
  y += h * 0.02;
  {
    double top = y;

    show_text (cr, layout, "Noto Serif CJK JP Bold 15", centre, w * 0.1, &y, w * 0.8 - seal - 12,
               PANGO_ALIGN_RIGHT);
    if (head && *head)
      show_text (cr, layout, "Noto Serif CJK JP 13", head, w * 0.1, &y, w * 0.8 - seal - 12,
                 PANGO_ALIGN_RIGHT);
    /* The 公印 goes here, over the end of the name. */
    cairo_save (cr);
    cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
    cairo_set_line_width (cr, 0.8);
    cairo_rectangle (cr, w * 0.9 - seal, top - 8, seal, seal);
    cairo_stroke (cr);
    {
      double sy = top - 8 + seal / 2 - 9;
      show_text (cr, layout, "Noto Serif CJK JP 12", "印", w * 0.9 - seal, &sy, seal,
                 PANGO_ALIGN_CENTER);
    }
    cairo_restore (cr);
  }
}

static void
draw_card (cairo_t *cr, PangoLayout *layout, PrintData *data, double w, double h)
{
  static const char *fields[] = {
    "registration_number",
    "name",
    "name_kana",
    "legal_form",
    "corporate_number",
    "founded",
    "members_total",
    "members_in_city",
    "postal_code",
    "address",
    "phone",
    "email",
    "website",
    "purpose",
    "activities",
    "meeting_place",
    "meeting_schedule",
    "dues",
    "applied_on",
    "registered_on",
    "valid_fiscal_year",
    "renewed_on",
    "withdrawn_on",
    "attach_rules_on",
    "attach_officers_on",
    "attach_plan_on",
    "attach_report_on",
  };
  JsonObject      *g = data->group;
  double           y = 30, label_w = w * 0.3;
  g_autofree char *rep = tsu_group_rep_name (g);
  g_autofree char *rep_kana = tsu_group_rep_kana (g);
  GDate            today;
  g_autofree char *status = NULL;

  tsu_group_today (&today);
  status = g_strdup (
      tsu_group_status_name (tsu_group_status (g, &today, TSU_GROUP_DEFAULT_RENEWAL_DAYS)));
  show_text (cr, layout, "Noto Sans CJK JP Bold 18", _ ("Group Registration Card"), 20, &y, w - 40,
             PANGO_ALIGN_CENTER);
  y += 12;
  for (guint i = 0; i < G_N_ELEMENTS (fields) + 3 && y < h - 30; i++)
    {
      const char      *label;
      g_autofree char *value = NULL;
      double           y0 = y, y1 = y;

      if (i == G_N_ELEMENTS (fields))
        label = _ ("Representative"),
        value = g_strdup_printf ("%s%s%s", rep ? rep : "", rep_kana ? "  " : "",
                                 rep_kana ? rep_kana : "");
      else if (i == G_N_ELEMENTS (fields) + 1)
        label = _ ("Status"), value = g_strdup (status);
      else if (i == G_N_ELEMENTS (fields) + 2)
        {
          JsonNode *n = json_object_get_member (g, "fields");
          GString  *s = g_string_new (NULL);
          label = _ ("Activity fields");
          if (n && JSON_NODE_HOLDS_ARRAY (n))
            for (guint k = 0; k < json_array_get_length (json_node_get_array (n)); k++)
              {
                const char *fname = tsu_group_field_name (
                    json_array_get_int_element (json_node_get_array (n), k));
                if (fname == NULL)
                  continue;
                if (s->len)
                  g_string_append (s, "、");
                g_string_append (s, fname);
              }
          value = g_string_free (s, FALSE);
        }
      else
        {
          const TsuFieldDef *f = tsu_collection_lookup_field (&tsu_group_collection, fields[i]);

          label = tsu_field_get_label (f);
          if (g_str_equal (fields[i], "valid_fiscal_year"))
            value = tsu_group_valid_fiscal_year (g) > 0
                        ? tsu_fiscal_year_format (tsu_group_valid_fiscal_year (g), data->style)
                        : g_strdup ("");
          else
            value = tsu_record_value_format (f, json_object_get_member (g, fields[i]),
                                             TSU_VALUE_DISPLAY, data->style, NULL);
        }
      show_text (cr, layout, "Noto Sans CJK JP Bold 9", label, 24, &y0, label_w - 8,
                 PANGO_ALIGN_LEFT);
      show_text (cr, layout, "Noto Sans CJK JP 9", value, 24 + label_w, &y1, w - label_w - 48,
                 PANGO_ALIGN_LEFT);
      y = MAX (y0, y1) + 6;
      cairo_set_line_width (cr, 0.3);
      cairo_move_to (cr, 20, y - 3);
      cairo_line_to (cr, w - 20, y - 3);
      cairo_stroke (cr);
    }
}

/**
 * tsu_group_print_draw:
 * @width: (in points) of the printable area
 * @height: (in points)
 *
 * Draws one page: what printing, PDF export and previews share.
 */
void
tsu_group_print_draw (cairo_t              *cr,
                      PangoLayout          *layout,
                      JsonObject           *group,
                      TsuGroupPrintKind     kind,
                      TsuDateStyle          style,
                      const TsuGroupCentre *centre,
                      double                width,
                      double                height)
{
  PrintData data = { group, kind, style, centre };

  cairo_set_source_rgb (cr, 0, 0, 0);
  if (kind == TSU_GROUP_PRINT_CERTIFICATE)
    draw_certificate (cr, layout, &data, width, height);
  else
    draw_card (cr, layout, &data, width, height);
}

static void
draw_page_cb (GtkPrintOperation *op, GtkPrintContext *context, int page_nr, PrintData *data)
{
  cairo_t     *cr = gtk_print_context_get_cairo_context (context);
  PangoLayout *layout = gtk_print_context_create_pango_layout (context);

  tsu_group_print_draw (cr, layout, data->group, data->kind, data->style, data->centre,
                        gtk_print_context_get_width (context),
                        gtk_print_context_get_height (context));
  g_object_unref (layout);
}

/**
 * tsu_group_print:
 * @pdf_path: (nullable): write a PDF there instead of showing the print dialog
 *
 * Prints a 登録証 or the registration card of @group on one A4 page.
 *
 * Returns: %TRUE unless printing failed
 */
gboolean
tsu_group_print (GtkWindow            *parent,
                 JsonObject           *group,
                 TsuGroupPrintKind     kind,
                 TsuDateStyle          style,
                 const TsuGroupCentre *centre,
                 const char           *pdf_path,
                 GError              **error)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  PrintData               data = { group, kind, style, centre };
  GtkPrintOperationResult res;

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (
      op, json_object_get_string_member_with_default (group, "name", "Tsunagu"));
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), &data);
  tsu_print_preview_guard (op);
  if (pdf_path)
    gtk_print_operation_set_export_filename (op, pdf_path);
  /* Synchronous: the dialog runs its own loop; PrintData lives on this stack. */
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}
