/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The descriptor of a record type (a collection): everything the store, the
 * sync protocol, the CSV engine, the list model and the form need to know
 * about its fields, said once. See docs/architecture.md, "Adding a record type". */
#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* What a value is. The storage (SQLite column, JSON value) follows from it:
 * see tsu_field_type_is_json(). */
typedef enum
{
  TSU_FIELD_TEXT,     /* TEXT / JSON string */
  TSU_FIELD_INT,      /* INTEGER / JSON integer, within min..max when they differ */
  TSU_FIELD_BOOL,     /* INTEGER 0/1 / JSON boolean */
  TSU_FIELD_DATE,     /* TEXT "YYYY-MM-DD" (or "YYYY-MM" with TSU_FIELD_MONTH) */
  TSU_FIELD_DATETIME, /* TEXT "YYYY-MM-DDTHH:MM" in Japan's time (Asia/Tokyo) */
  TSU_FIELD_CHOICE,   /* TEXT, one of the codes of choices */
  TSU_FIELD_CODES,    /* JSON array of distinct integers min..max (activity fields) */
  TSU_FIELD_STRINGS,  /* JSON array of distinct strings (of choices, when it has them) */
  TSU_FIELD_REF,      /* TEXT, the id of a record of the collection `ref` */
  TSU_FIELD_JSON,     /* TEXT holding any JSON (checked by the collection's check) */
} TsuFieldType;

typedef enum
{
  TSU_FIELD_NONE = 0,
  /* Personal data: never printed to a log; erased on a deletion request. */
  TSU_FIELD_PERSONAL = 1 << 0,
  /* Computed on this desk (sort key, folded search text, or a computed list
   * column): not writable by callers, not synced. */
  TSU_FIELD_DERIVED = 1 << 1,
  /* Goes into the folded search text. */
  TSU_FIELD_SEARCHED = 1 << 2,
  /* A phone number: normalised (0944-12-3456) and searchable by its digits. */
  TSU_FIELD_PHONE = 1 << 3,
  /* A reading: stored in full-width katakana (hiragana and half-width accepted). */
  TSU_FIELD_READING = 1 << 4,
  /* Must have a value (not null, not empty) in every saved record. */
  TSU_FIELD_REQUIRED = 1 << 5,
  /* Several lines of text are allowed. */
  TSU_FIELD_MULTILINE = 1 << 6,
  TSU_FIELD_POSTAL = 1 << 7, /* 〒 836-0000 */
  TSU_FIELD_EMAIL = 1 << 8,
  TSU_FIELD_CORPORATE_NUMBER = 1 << 9, /* 法人番号, with its check digit */
  TSU_FIELD_URL = 1 << 10,
  /* Never in a public export or directory, whatever public_fields says. */
  TSU_FIELD_INTERNAL = 1 << 11,
  /* A DATE that may be only a month ("2015-04"). */
  TSU_FIELD_MONTH = 1 << 12,
  /* An INT that is a 年度 (shown as 2026年度 / 令和8年度). */
  TSU_FIELD_FISCAL_YEAR = 1 << 13,
  /* Filled by the collection's own actions (registration number, dates of
   * a lifecycle), not by the form. */
  TSU_FIELD_MANAGED = 1 << 14,
  /* Digits kept as text in spreadsheets (a 13-digit 法人番号 is not a number). */
  TSU_FIELD_DIGITS = 1 << 15,
} TsuFieldFlags;

typedef struct
{
  const char *code;  /* stored value (CHOICE, STRINGS) or the number (CODES), as text */
  const char *label; /* msgid marked for translation; shown translated */
  const char *name;  /* its Japanese name in files, whatever the UI language; NULL: the label */
} TsuChoice;

typedef struct _TsuRecordQuery TsuRecordQuery;

typedef struct
{
  const char        *name;
  TsuFieldType       type;
  TsuFieldFlags      flags;
  const char        *label; /* msgid (marked for translation): the form, the history, the list */
  const char        *csv_header;   /* the CSV column (Japanese), or NULL */
  const char *const *csv_variants; /* other headers accepted on import, NULL-terminated */
  /* The public_fields entry that makes this field public; NULL: public
   * unless PERSONAL or INTERNAL. */
  const char      *publish_key;
  const TsuChoice *choices; /* CHOICE, CODES, STRINGS: ends with a { NULL } entry */
  gint64           min, max;
  const char      *ref; /* REF: the collection it points to */
  /* A computed column (DERIVED, not stored): its SQL expression over a row
   * of the table, for lists, sorting and filtering. */
  char *(*sql) (const TsuRecordQuery *query);
  /* Where the form shows it (an id of the collection's sections, NULL: not
   * in the form) and, when shorter than the label there, its label in it. */
  const char *section;
  const char *form_label; /* a msgid */
} TsuFieldDef;

/* A part of the form: a titled group of fields. */
typedef struct
{
  const char *id;
  const char *label;       /* a msgid */
  const char *description; /* a msgid, or NULL */
} TsuSectionDef;

typedef struct _TsuCsvSpec TsuCsvSpec;

/* A numbered step of a collection's own schema: literal DDL, or a function
 * for a step that must look at the file (e.g. add a column only where an
 * older build had not already). Never change a step that has shipped. */
typedef struct
{
  guint       version;
  const char *summary;
  const char *sql;
  gboolean (*apply) (sqlite3 *db, GError **error);
} TsuSchemaStep;

/* A sort order of the list. `order` is the ORDER BY text: "%D" stands for
 * ASC or DESC, "@name" for a computed column's expression; the rowid is
 * appended so that the order is total. `index` is a covering index whose
 * order is this one (deleted, then the terms), for the first-page walk, or
 * NULL. */
typedef struct
{
  const char *id;
  const char *label; /* a msgid */
  const char *order;
  const char *index;
} TsuSortDef;

/* Two fields searched also joined (a full name: 古賀花子). */
typedef struct
{
  const char *first;
  const char *second;
} TsuFieldPair;

/* A problem found in a record's values: errors block a save, warnings are
 * shown and left to the person at the desk. */
typedef struct
{
  char    *field;   /* the field it is about, or NULL */
  char    *message; /* translated */
  gboolean is_error;
} TsuProblem;

typedef struct _TsuCollection TsuCollection;

/* What a rule may look up while a write is decided: the desk's store
 * inside its write transaction, or the server inside a push. Rules are
 * written once, in core, against this. */
typedef struct _TsuRuleContext TsuRuleContext;
struct _TsuRuleContext
{
  /* Live records of @collection whose @field equals @value; when
   * @start_field is given, only those whose [start, end) span meets
   * [@from, @to) (text comparison of ISO dates and times). Rows are JSON
   * objects holding every field and "id". */
  GPtrArray *(*find) (TsuRuleContext *ctx,
                      const char     *collection,
                      const char     *field,
                      const char     *value,
                      const char     *start_field,
                      const char     *end_field,
                      const char     *from,
                      const char     *to,
                      GError        **error);
  /* A record by id (deleted ones too), or NULL without an error. */
  JsonObject *(*get) (TsuRuleContext *ctx, const char *collection, const char *id, GError **error);
  gpointer user_data;
};

/* Why a rule refused a write: a reason code of the sync protocol
 * ("booking_conflict"…), the record it clashes with, and a message for
 * people (translated). */
typedef struct
{
  const char *reason;
  char       *other_id;
  char       *message;
} TsuRuleRefusal;

void tsu_rule_refusal_clear (TsuRuleRefusal *refusal);

struct _TsuCollection
{
  const char        *name;  /* SQL table and sync collection name */
  const char        *label; /* a msgid: "Groups" */
  const TsuFieldDef *fields;
  guint              n_fields;
  const TsuFieldDef *computed; /* list columns computed in SQL, or NULL */
  guint              n_computed;

  /* The sort key (五十音順): the reading fields joined, else the name fields
   * (tsu_name_sort_key()). NULL-terminated. */
  const char *const *sort_reading;
  const char *const *sort_name;
  /* Searched together as one text, besides each SEARCHED field. */
  const TsuFieldPair *search_pairs;
  guint               n_search_pairs;

  const TsuSortDef *sorts; /* the first is the default */
  guint             n_sorts;

  /* An import updates the record with the same value of the first of these
   * that the row has (e.g. registration_number). */
  const char *const *import_keys;
  /* Rows without a key match an existing record when all of these are equal
   * (name and reading, and the phone when both have one). */
  const char *const *import_match;

  /* The collection's own schema steps, in order. */
  const TsuSchemaStep *schema;
  guint                n_schema;

  /* Optional: more derived values after sort_key and search_text. */
  void (*derive) (JsonObject *row);
  /* Optional: rules over a whole normalised record, run on the desk and by
   * the server (whatever a value's type cannot say: counts that must agree,
   * a reference that must fit). Adds errors and warnings to @problems. */
  void (*check) (JsonObject *row, GPtrArray *problems);
  /* Optional: rules that look at other records (a number taken, a booking
   * or a confirmed match that overlaps), run inside the write transaction
   * on the desk and inside the push on the server. Returns FALSE with
   * @refusal filled when the write is refused, FALSE with @error when a
   * lookup failed. @old is the record before the write, or NULL. */
  gboolean (*guard) (TsuRuleContext *ctx,
                     const char     *id,
                     JsonObject     *row,
                     JsonObject     *old,
                     TsuRuleRefusal *refusal,
                     GError        **error);
  /* Fields other collections' guards find this collection's live records
   * by (ctx->find). The desk's tables index them; the server keeps an
   * expression index per key so a push's rules never scan. */
  const char *const *lookup_keys;
  /* Optional: whether a record belongs in a public export (e.g. registered
   * groups only). */
  gboolean (*is_public_record) (JsonObject *row, const GDate *today);
  /* The form's sections, in order. */
  const TsuSectionDef *sections;
  guint                n_sections;
  /* Columns of its CSV files (tsu-record-csv.h), or NULL. */
  const TsuCsvSpec *csv;
};

/* The longest value a field may hold, in bytes (text, or JSON text). */
#define TSU_FIELD_MAX_BYTES (64 * 1024)
/* The longest single-line text (a name, a number): longer is a mistake. */
#define TSU_FIELD_MAX_LINE_CHARS 1000

/* Columns every collection table has besides its fields. */
#define TSU_COLUMN_ID "id"
#define TSU_COLUMN_REV "rev"
#define TSU_COLUMN_CREATED_AT "created_at"
#define TSU_COLUMN_UPDATED_AT "updated_at"
#define TSU_COLUMN_DELETED "deleted"

/* Erasure on request (個人情報の削除請求): the values a person's record
 * loses everywhere (row, history, outbox, the server's versions). Personal
 * fields, and free text and lists of any kind (a note may hold anything);
 * choices, codes, numbers, yes/no, references and non-personal dates stay
 * so that statistics keep their counts. */
gboolean tsu_field_is_erased (const TsuFieldDef *field);
/* Sets every erased field of @row that it holds (or all, @all_fields) to
 * null; returns how many members changed. */
guint tsu_collection_erase_values (const TsuCollection *c, JsonObject *row, gboolean all_fields);

/* The registry (tsu-registry.c). */
const TsuCollection  *tsu_collection_lookup (const char *name);
const TsuCollection **tsu_collections_all (guint *n_collections);

const TsuFieldDef *tsu_collection_lookup_field (const TsuCollection *collection, const char *field);
const TsuFieldDef *tsu_collection_lookup_column (const TsuCollection *collection,
                                                 const char          *column);
const TsuSortDef  *tsu_collection_lookup_sort (const TsuCollection *collection, const char *id);
const char        *tsu_collection_get_label (const TsuCollection *collection);
const char        *tsu_field_get_label (const TsuFieldDef *field);
const char        *tsu_field_choice_label (const TsuFieldDef *field, const char *code);
const char        *tsu_field_choice_code (const TsuFieldDef *field, const char *text);
const char        *tsu_field_choice_file_name (const TsuFieldDef *field, const char *code);
gboolean           tsu_field_type_is_json (TsuFieldType type);
gboolean           tsu_field_is_public (const TsuFieldDef *field, JsonObject *row);
const char        *tsu_field_get_form_label (const TsuFieldDef *field);
const TsuSectionDef *tsu_collection_lookup_section (const TsuCollection *collection,
                                                    const char          *id);

/* Values. Null is valid for every field (not known); @message, when given,
 * receives why a value is refused (translated, without the value). */
gboolean tsu_field_value_is_valid (const TsuFieldDef *field, JsonNode *value);
/* Absent, null, or text of nothing but spaces: what a required field
 * (TSU_FIELD_REQUIRED) may not hold, on the desk and on the server. */
gboolean tsu_field_value_is_empty (JsonNode *value);
gboolean tsu_field_check_value (const TsuFieldDef *field, JsonNode *value, char **message);
/* Checks every value of @fields (names must be writable fields) and, when
 * @row is given, the whole row (required fields, the collection's check).
 * Returns the first problem's field in @field and its message. */
gboolean tsu_collection_check_fields (const TsuCollection *collection,
                                      JsonObject          *fields,
                                      char               **field,
                                      char               **message);
gboolean tsu_collection_check_row (const TsuCollection *collection,
                                   JsonObject          *row,
                                   char               **field,
                                   char               **message);
void     tsu_collection_derive (const TsuCollection *collection, JsonObject *row);

/* Problems. */
GPtrArray *tsu_problems_new (void);
void       tsu_problem_free (TsuProblem *problem);
void       tsu_problems_add (GPtrArray  *problems,
                             const char *field,
                             gboolean    is_error,
                             const char *format,
                             ...) G_GNUC_PRINTF (4, 5);
gboolean   tsu_problems_have_error (GPtrArray *problems);
/* The first error, as "label: message". */
char *tsu_problems_first_error (GPtrArray *problems, const TsuCollection *collection);

/* Getters that accept any JSON shape and answer NULL / FALSE for others. */
const char *tsu_record_get_string (JsonObject *record, const char *name);
gboolean    tsu_record_get_int (JsonObject *record, const char *name, gint64 *out);
gboolean    tsu_record_get_bool (JsonObject *record, const char *name);
gboolean    tsu_record_array_has_string (JsonObject *record, const char *name, const char *value);
gboolean    tsu_record_array_has_int (JsonObject *record, const char *name, gint64 value);
char *tsu_record_join (JsonObject *record, const char *first, const char *second, const char *sep);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TsuProblem, tsu_problem_free)

G_END_DECLS
