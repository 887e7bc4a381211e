/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-centre.h"
#include "tsu-group-collection.h"
#include "tsu-guide-pdf.h"
#include "tsu-pdf-doc.h"

static void
entry (TsuPdfDoc *doc, TsuGuideEntry *e)
{
  tsu_pdf_doc_ensure (doc, 80);
  tsu_pdf_doc_heading (doc, 2, e->name ? e->name : "", NULL);
  if (e->kana && *e->kana)
    tsu_pdf_doc_text (doc, e->kana, 8, FALSE, 0);
  for (guint i = 0; i < e->items->len; i++)
    {
      TsuGuideItem    *item = g_ptr_array_index (e->items, i);
      g_autofree char *line = g_strdup_printf ("%s：%s", item->label, item->value);

      tsu_pdf_doc_text (doc, line, 9, FALSE, 10);
    }
  tsu_pdf_doc_space (doc, 6);
}

static void
body (TsuPdfDoc *doc, GPtrArray *entries, GHashTable *pages)
{
  const char *const *rows = tsu_guide_rows ();

  for (guint r = 0; rows[r]; r++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < entries->len; i++)
        {
          TsuGuideEntry *e = g_ptr_array_index (entries, i);

          if (e->row != rows[r])
            continue;
          if (!any)
            {
              g_autofree char *anchor = g_strdup_printf ("row-%u", r);
              tsu_pdf_doc_heading (doc, 1, rows[r], anchor);
              g_hash_table_insert (pages, g_strdup (rows[r]),
                                   GINT_TO_POINTER (tsu_pdf_doc_get_page (doc)));
              any = TRUE;
            }
          entry (doc, e);
          g_hash_table_insert (pages, g_strdup (e->id ? e->id : ""),
                               GINT_TO_POINTER (tsu_pdf_doc_get_page (doc)));
        }
    }
  /* The index by field: each group's name and page. */
  tsu_pdf_doc_heading (doc, 1, _ ("Groups by activity field"), "fields");
  g_hash_table_insert (pages, g_strdup ("#fields"), GINT_TO_POINTER (tsu_pdf_doc_get_page (doc)));
  for (guint code = 1; code <= 20; code++)
    {
      gboolean any = FALSE;

      for (guint i = 0; i < entries->len; i++)
        {
          TsuGuideEntry *e = g_ptr_array_index (entries, i);

          for (guint j = 0; j < e->fields->len; j++)
            if (g_array_index (e->fields, guint, j) == code)
              {
                g_autofree char *line = g_strdup_printf (
                    "%s …… %d", e->name ? e->name : "",
                    GPOINTER_TO_INT (g_hash_table_lookup (pages, e->id ? e->id : "")));

                if (!any)
                  tsu_pdf_doc_heading (doc, 2, _ (tsu_activity_fields[code - 1].label), NULL);
                any = TRUE;
                tsu_pdf_doc_text (doc, line, 9, FALSE, 10);
                break;
              }
        }
    }
}

GBytes *
tsu_guide_pdf (GPtrArray   *entries,
               const char  *centre,
               TsuDateStyle style,
               const GDate *made_on,
               GError     **error)
{
  g_autoptr (GHashTable) pages = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *const *rows = tsu_guide_rows ();
  g_autofree char   *title = g_strdup_printf ("%s %s", centre, _ ("Directory of civic groups"));
  g_autofree char   *day = tsu_date_format_plain (made_on, style);
  g_autofree char   *made
      = g_strdup_printf (_ ("As of %s. Only what each group agreed to publish."), day);
  TsuPdfDoc *doc;
  GBytes    *bytes;

  /* Twice: the first pass finds the pages the contents and the index name. */
  for (guint pass = 0; pass < 2; pass++)
    {
      doc = tsu_pdf_doc_new (title);
      tsu_pdf_doc_set_plain_page (doc);
      tsu_pdf_doc_set_y (doc, 260);
      tsu_pdf_doc_text (doc, centre, 14, FALSE, 0);
      tsu_pdf_doc_space (doc, 12);
      tsu_pdf_doc_text (doc, _ ("Directory of civic groups"), 26, TRUE, 0);
      tsu_pdf_doc_space (doc, 16);
      tsu_pdf_doc_text (doc, made, 11, FALSE, 0);
      tsu_pdf_doc_new_page (doc);
      tsu_pdf_doc_text (doc, _ ("Contents"), 16, TRUE, 0);
      tsu_pdf_doc_space (doc, 14);
      for (guint r = 0; rows[r]; r++)
        if (g_hash_table_contains (pages, rows[r]))
          {
            g_autofree char *anchor = g_strdup_printf ("row-%u", r);
            tsu_pdf_doc_toc_line (doc, rows[r], anchor,
                                  GPOINTER_TO_INT (g_hash_table_lookup (pages, rows[r])), 1);
          }
      tsu_pdf_doc_toc_line (doc, _ ("Groups by activity field"), "fields",
                            GPOINTER_TO_INT (g_hash_table_lookup (pages, "#fields")), 1);
      tsu_pdf_doc_new_page (doc);
      body (doc, entries, pages);
      if (pass == 0)
        tsu_pdf_doc_free (doc);
    }
  bytes = tsu_pdf_doc_finish (doc, error);
  tsu_pdf_doc_free (doc);
  return bytes;
}

gboolean
tsu_guide_publish (TsuStore    *store,
                   const char  *dir,
                   TsuDateStyle style,
                   const GDate *today,
                   guint       *n_groups,
                   GPtrArray   *written,
                   GError     **error)
{
  g_autofree char *centre = tsu_centre_get_string (store, TSU_CENTRE_NAME, NULL);
  g_autoptr (GPtrArray) entries = tsu_guide_collect (store, today, style, error);
  g_autoptr (GBytes) pdf = NULL;
  g_autofree char *pdf_path = g_build_filename (dir, "guidebook.pdf", NULL);

  if (entries == NULL)
    return FALSE;
  if (centre == NULL || *centre == '\0')
    {
      g_free (centre);
      centre = g_strdup (_ ("Civic activity support centre"));
    }
  if (!tsu_guide_write_site (store, entries, dir, centre, style, today, written, error))
    return FALSE;
  pdf = tsu_guide_pdf (entries, centre, style, today, error);
  if (pdf == NULL || !tsu_store_write_output (store, pdf_path, pdf, error))
    return FALSE;
  if (written)
    g_ptr_array_add (written, g_strdup ("guidebook.pdf"));
  if (n_groups)
    *n_groups = entries->len;
  return TRUE;
}
