/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What the counter's pages share: a consultation shown as a row. */
#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "設立、助成金" (topics are stored as the centre writes them). */
char *tsu_counter_topics_text (JsonObject *consultation);
/* A row: "10:32 白川読み聞かせの会" over "設立、助成金 — the question".
 * @with_date puts the date before the time. */
GtkWidget *tsu_counter_consultation_row (JsonObject *consultation, gboolean with_date);
/* A row that says there is nothing to show. */
GtkWidget *tsu_counter_placeholder_row (const char *text);
void       tsu_counter_list_clear (GtkListBox *list);

G_END_DECLS
