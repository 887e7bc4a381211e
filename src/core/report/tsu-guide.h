/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The public directory of groups (市民活動団体ガイド): the registered groups
 * that the CSV engine's public rules let out (the collection's
 * is_public_record), with only the fields tsu_field_is_public() allows for
 * each (its consent in public_fields), as a static web site that needs no
 * server. The same entries make the printed booklet (src/print). */
#pragma once

#include <glib.h>

#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *label; /* translated */
  char    *value; /* as people read it */
  gboolean url;   /* an http(s) address that may be a link */
} TsuGuideItem;

typedef struct
{
  char       *id;
  char       *name;
  char       *kana;
  char       *sort_key;
  const char *row;    /* 行 heading: "あ行" … "わ行", or "その他" (not translated) */
  char       *page;   /* "groups/<id>.html", or NULL when the id cannot name a file */
  GArray     *fields; /* activity field codes (guint) */
  GPtrArray  *items;  /* of TsuGuideItem: the public fields, in the form's order */
} TsuGuideEntry;

/* The published groups on @today, in 五十音順 (sort_key). */
GPtrArray *
tsu_guide_collect (TsuStore *store, const GDate *today, TsuDateStyle style, GError **error);

/* The 行 of a sort key made by tsu_name_sort_key(): the first kana of the
 * reading (voiced and small kana in the row of their plain kana, ん in わ行),
 * else "その他". */
const char *tsu_guide_row_of (const char *sort_key);
/* The rows in order, NULL-terminated. */
const char *const *tsu_guide_rows (void);

/* Writes index.html (五十音順 with 行 headings), fields.html (by field), one
 * page per group under groups/, style.css, search.js and search-index.js
 * into @dir, each through tsu_store_write_output. Names written (relative)
 * are added to @written. */
gboolean tsu_guide_write_site (TsuStore    *store,
                               GPtrArray   *entries,
                               const char  *dir,
                               const char  *centre_name,
                               TsuDateStyle style,
                               const GDate *made_on,
                               GPtrArray   *written,
                               GError     **error);

/* Text escaped for HTML text and attribute values. */
char *tsu_guide_escape (const char *text);

G_END_DECLS
