/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Values of any collection between what people type or read and what the
 * store keeps: one parser and one formatter for the forms, the lists, the
 * history, the CSV files and the printouts. */
#pragma once

#include <json-glib/json-glib.h>

#include "tsu-collection.h"
#include "tsu-date.h"
#include "tsu-store.h"

G_BEGIN_DECLS

typedef enum
{
  /* For people: dates in the date style, choices and codes by their names,
   * lists joined with 、, yes/no in words. */
  TSU_VALUE_DISPLAY = 0,
  /* For CSV files: ISO dates, codes as numbers, lists joined with ;. */
  TSU_VALUE_CSV = 1 << 0,
  /* With TSU_VALUE_CSV: codes and choices by their names. */
  TSU_VALUE_NAMES = 1 << 1,
} TsuValueFormat;

/* Puts input (as typed, or read from a file) in its stored form: trimmed
 * text (empty is null), readings in full-width katakana, phone numbers,
 * postal codes, e-mail addresses and 法人番号 checked and written the one
 * way, then every value checked (tsu_field_check_value()) and the
 * collection's rules run. Values that fail stay as given and are reported
 * in @problems with their field. */
JsonObject *
tsu_record_normalize (const TsuCollection *collection, JsonObject *input, GPtrArray *problems);

/* Reads a value of @field from text (a form entry, a CSV cell): dates in
 * 西暦 or 和暦, months, 年度, numbers with full-width digits, yes/no words,
 * choices and codes by code or name. Empty text gives null. */
gboolean tsu_record_value_parse (const TsuFieldDef *field,
                                 const char        *text,
                                 JsonNode         **value,
                                 char             **message);

/* Writes a value of @field as text (never NULL; "" for null). @store, when
 * given, names the record a reference points to. */
char *tsu_record_value_format (const TsuFieldDef *field,
                               JsonNode          *value,
                               TsuValueFormat     format,
                               TsuDateStyle       style,
                               TsuStore          *store);
/* The same for text as a list reads it from SQLite (a CODES list as JSON
 * text, a number as digits). */
char *tsu_record_cell_format (const TsuFieldDef *field, const char *cell, TsuDateStyle style);

/* A short name for a record: its name field(s), for references and titles. */
char *tsu_record_title (const TsuCollection *collection, JsonObject *record);

/* Splits "古賀 花子" (any width of space) at its first space. */
void tsu_record_split_name (const char *text, char **family, char **given);

G_END_DECLS
