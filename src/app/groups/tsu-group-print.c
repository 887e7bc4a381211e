/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n.h>

#include "tsu-group-print.h"
#include "tsu-group-collection.h"
#include "tsu-record.h"
#include "tsu-group.h"

typedef struct
{
  JsonObject       *group;
  TsuGroupPrintKind kind;
  TsuDateStyle      style;
} PrintData;

static const char *
get_str (JsonObject *o, const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return "";
}

static char *
date_text (const char *iso, TsuDateStyle style)
{
  GDate d;

  if (!tsu_date_from_iso (iso, &d))
    return g_strdup (iso ? iso : "");
  return tsu_date_format (&d, style);
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

static void
draw_certificate (cairo_t *cr, PangoLayout *layout, PrintData *data, double w, double h)
{
  JsonObject      *g = data->group;
  int              fy = tsu_group_valid_fiscal_year (g);
  g_autofree char *valid = fy > 0 ? tsu_fiscal_year_format (fy, data->style) : g_strdup ("");
  g_autofree char *registered = date_text (get_str (g, "registered_on"), data->style);
  g_autofree char *number
      = g_strdup_printf (_ ("Registration No. %s"), get_str (g, "registration_number"));
  g_autofree char *name = g_strdup (get_str (g, "name"));
  g_autofree char *body = g_strdup_printf (_ ("The group above is registered with the centre as a "
                                              "civic activity group, valid through %s."),
                                           valid);
  g_autofree char *date_line = g_strdup_printf (_ ("Registered on %s"), registered);
  double           y = h * 0.08;

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
  y += h * 0.12;
  show_text (cr, layout, "Noto Serif CJK JP 13", date_line, w * 0.1, &y, w * 0.8,
             PANGO_ALIGN_RIGHT);
  y += h * 0.03;
  show_text (cr, layout, "Noto Serif CJK JP Bold 15", _ ("Civic Activity Support Centre"), w * 0.1,
             &y, w * 0.8, PANGO_ALIGN_RIGHT);
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
tsu_group_print_draw (cairo_t          *cr,
                      PangoLayout      *layout,
                      JsonObject       *group,
                      TsuGroupPrintKind kind,
                      TsuDateStyle      style,
                      double            width,
                      double            height)
{
  PrintData data = { group, kind, style };

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

  tsu_group_print_draw (cr, layout, data->group, data->kind, data->style,
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
tsu_group_print (GtkWindow        *parent,
                 JsonObject       *group,
                 TsuGroupPrintKind kind,
                 TsuDateStyle      style,
                 const char       *pdf_path,
                 GError          **error)
{
  g_autoptr (GtkPrintOperation) op = gtk_print_operation_new ();
  g_autoptr (GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr (GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);
  PrintData               data = { group, kind, style };
  GtkPrintOperationResult res;

  gtk_page_setup_set_paper_size_and_default_margins (setup, a4);
  gtk_print_operation_set_default_page_setup (op, setup);
  gtk_print_operation_set_n_pages (op, 1);
  gtk_print_operation_set_unit (op, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (
      op, json_object_get_string_member_with_default (group, "name", "Tsunagu"));
  g_signal_connect (op, "draw-page", G_CALLBACK (draw_page_cb), &data);
  if (pdf_path)
    gtk_print_operation_set_export_filename (op, pdf_path);
  /* Synchronous: the dialog runs its own loop; PrintData lives on this stack. */
  res = gtk_print_operation_run (
      op, pdf_path ? GTK_PRINT_OPERATION_ACTION_EXPORT : GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
      parent, error);
  return res != GTK_PRINT_OPERATION_RESULT_ERROR;
}
