/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "tsu-group-csv.h"
#include "tsu-store-private.h"
#include "tsu-date.h"
#include "tsu-fold.h"
#include "tsu-files.h"

typedef enum
{
  COL_REGNO,
  COL_NAME,
  COL_KANA,
  COL_LEGAL,
  COL_CORP,
  COL_REP,
  COL_REP_KANA,
  COL_POSTAL,
  COL_ADDRESS,
  COL_PHONE,
  COL_EMAIL,
  COL_FIELDS,
  COL_MEMBERS,
  COL_REGISTERED,
  COL_STATUS,
  /* Beyond the 15 of the issue: what a round trip needs. */
  COL_APPLIED,
  COL_VALID_FY,
  COL_RENEWED,
  COL_WITHDRAWN,
  COL_MEMBERS_CITY,
  COL_CONTACT,
  COL_CONTACT_KANA,
  COL_CONTACT_PHONE,
  COL_CONTACT_EMAIL,
  COL_PUBLIC,
  N_COLS
} Column;

/* How a column maps to the record: plainly to one member, or by code of its own. */
typedef enum
{
  KIND_TEXT,
  KIND_INT,
  KIND_DATE,
  KIND_SPECIAL,
} ColumnKind;

/* The header export writes, the preview's label, the publish flag the
 * column follows in a public export, the variants import accepts, and the
 * record member it maps to. The one mapping both import and export use. */
static const struct
{
  const char *header;
  const char *label;
  const char *publish;
  const char *variants[10];
  const char *member;
  ColumnKind  kind;
} columns[N_COLS] = {
  [COL_REGNO] = { "登録番号",
                  N_ ("Registration number"),
                  NULL,
                  { "団体番号", "登録no", "登録no." },
                  "registration_number",
                  KIND_TEXT },
  [COL_NAME]
  = { "団体名", N_ ("Name"), NULL, { "団体名称", "名称", "団体の名称" }, "name", KIND_TEXT },
  [COL_KANA] = { "団体名フリガナ",
                 N_ ("Reading"),
                 NULL,
                 { "団体名ふりがな", "団体名よみ", "団体名よみがな", "団体名カナ", "フリガナ",
                   "ふりがな", "よみ", "よみがな", "読み", "カナ" },
                 "name_kana",
                 KIND_TEXT },
  [COL_LEGAL]
  = { "法人格", N_ ("Legal form"), NULL, { "組織形態", "法人種別" }, "legal_form", KIND_TEXT },
  [COL_CORP] = { "法人番号", N_ ("Corporate number"), NULL, { 0 }, "corporate_number", KIND_TEXT },
  [COL_REP] = { "代表者",
                N_ ("Representative"),
                "representative",
                { "代表者名", "代表者氏名", "代表" },
                NULL,
                KIND_SPECIAL },
  [COL_REP_KANA] = { "代表者フリガナ",
                     N_ ("Representative reading"),
                     "representative",
                     { "代表者ふりがな", "代表者よみ", "代表者よみがな", "代表者カナ",
                       "代表者名フリガナ", "代表者氏名フリガナ" },
                     NULL,
                     KIND_SPECIAL },
  [COL_POSTAL] = { "郵便番号",
                   N_ ("Postal code"),
                   "postal_code",
                   { "〒", "所在地郵便番号" },
                   "postal_code",
                   KIND_TEXT },
  [COL_ADDRESS]
  = { "住所", N_ ("Address"), "address", { "所在地", "団体住所" }, "address", KIND_TEXT },
  [COL_PHONE]
  = { "電話番号", N_ ("Phone"), "phone", { "電話", "tel", "団体電話番号" }, "phone", KIND_TEXT },
  [COL_EMAIL] = { "メールアドレス",
                  N_ ("E-mail"),
                  "email",
                  { "メール", "e-mail", "eメール", "email" },
                  "email",
                  KIND_TEXT },
  [COL_FIELDS]
  = { "活動分野", N_ ("Activity fields"), NULL, { "分野", "活動の分野" }, NULL, KIND_SPECIAL },
  [COL_MEMBERS]
  = { "構成員数", N_ ("Members"), NULL, { "会員数", "人数", "構成員" }, "members_total", KIND_INT },
  [COL_REGISTERED]
  = { "登録日", N_ ("Registered on"), NULL, { "登録年月日" }, "registered_on", KIND_DATE },
  [COL_STATUS] = { "状態", N_ ("Status"), NULL, { "ステータス", "登録状況" }, NULL, KIND_SPECIAL },
  [COL_APPLIED] = { "申請日", N_ ("Applied on"), NULL, { "申請年月日" }, "applied_on", KIND_DATE },
  [COL_VALID_FY] = { "有効年度",
                     N_ ("Valid through (fiscal year)"),
                     NULL,
                     { "登録年度", "有効期限年度" },
                     "valid_fiscal_year",
                     KIND_SPECIAL },
  [COL_RENEWED] = { "更新日", N_ ("Renewed on"), NULL, { "更新年月日" }, "renewed_on", KIND_DATE },
  [COL_WITHDRAWN]
  = { "退会日", N_ ("Withdrawn on"), NULL, { "退会年月日" }, "withdrawn_on", KIND_DATE },
  [COL_MEMBERS_CITY] = { "市内在住者数",
                         N_ ("Members in the city"),
                         NULL,
                         { "市内構成員数", "うち市内在住" },
                         "members_in_city",
                         KIND_INT },
  [COL_CONTACT] = { "連絡担当者",
                    N_ ("Contact person"),
                    "contact_name",
                    { "担当者", "連絡者" },
                    NULL,
                    KIND_SPECIAL },
  [COL_CONTACT_KANA] = { "連絡担当者フリガナ",
                         N_ ("Contact reading"),
                         "contact_name",
                         { "連絡担当者ふりがな", "担当者フリガナ", "担当者ふりがな" },
                         NULL,
                         KIND_SPECIAL },
  [COL_CONTACT_PHONE] = { "連絡先電話番号",
                          N_ ("Contact phone"),
                          "contact_phone",
                          { "担当者電話番号" },
                          "contact_phone",
                          KIND_TEXT },
  [COL_CONTACT_EMAIL] = { "連絡先メールアドレス",
                          N_ ("Contact e-mail"),
                          "contact_email",
                          { "担当者メールアドレス" },
                          "contact_email",
                          KIND_TEXT },
  [COL_PUBLIC] = { "公開項目", N_ ("Public fields"), NULL, { 0 }, NULL, KIND_SPECIAL },
};

struct _TsuGroupImport
{
  GPtrArray     *rows;  /* GStrv, row 0 is the header */
  GArray        *lines; /* guint per row */
  TsuCsvEncoding encoding;
  int           *column_of; /* file column → Column, or -1 */
  guint          n_columns;
  GPtrArray     *warnings; /* char * */
  GPtrArray     *errors;   /* TsuGroupImportIssue */
  GPtrArray     *records;  /* JsonObject per data row, NULL when the row has errors */
  guint          n_valid;
};

static void
record_free (gpointer record)
{
  if (record)
    json_object_unref (record);
}

static void
issue_free (TsuGroupImportIssue *issue)
{
  g_free (issue->message);
  g_free (issue);
}

void
tsu_group_import_free (TsuGroupImport *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->lines, g_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);
  g_clear_pointer (&self->errors, g_ptr_array_unref);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_free (self->column_of);
  g_free (self);
}

/* Header comparison ignores width, kana kind, case and spaces. */
static char *
fold_header (const char *h)
{
  g_autofree char *f = tsu_search_fold (h);
  GString         *s = g_string_new (NULL);

  for (const char *p = f; *p; p++)
    if (*p != ' ')
      g_string_append_c (s, *p);
  return g_string_free (s, FALSE);
}

static int
column_for_header (const char *header)
{
  g_autofree char *h = fold_header (header);

  if (*h == '\0')
    return -1;
  for (guint c = 0; c < N_COLS; c++)
    {
      g_autofree char *main = fold_header (columns[c].header);
      if (g_str_equal (h, main))
        return c;
      for (guint v = 0; v < G_N_ELEMENTS (columns[c].variants) && columns[c].variants[v]; v++)
        {
          g_autofree char *var = fold_header (columns[c].variants[v]);
          if (g_str_equal (h, var))
            return c;
        }
    }
  return -1;
}

static void
add_error (TsuGroupImport *self, guint line, const char *message)
{
  TsuGroupImportIssue *issue = g_new0 (TsuGroupImportIssue, 1);

  issue->line = line;
  issue->message = g_strdup (message);
  g_ptr_array_add (self->errors, issue);
}

static char *
clean (const char *cell)
{
  char *t = g_strstrip (g_strdup (cell ? cell : ""));

  if (*t == '\0')
    g_clear_pointer (&t, g_free);
  return t;
}

static void
set_text_or_null (JsonObject *o, const char *member, const char *value)
{
  if (value && *value)
    json_object_set_string_member (o, member, value);
  else
    json_object_set_null_member (o, member);
}

static gboolean
parse_int (const char *cell, gint64 *out)
{
  g_autofree char *t = g_utf8_normalize (cell, -1, G_NORMALIZE_NFKC);
  GString         *digits = g_string_new (NULL);
  gboolean         ok;

  for (const char *p = t; p && *p; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);
    else if (*p != ',' && *p != ' ' && strncmp (p, "人", strlen ("人")) != 0
             && strncmp (p, "年度", strlen ("年度")) != 0)
      {
        g_string_free (digits, TRUE);
        return FALSE;
      }
    else if (*p != ',' && *p != ' ')
      p += (strncmp (p, "人", strlen ("人")) == 0 ? strlen ("人") : strlen ("年度")) - 1;
  ok = digits->len > 0 && digits->len < 10;
  if (ok)
    *out = g_ascii_strtoll (digits->str, NULL, 10);
  g_string_free (digits, TRUE);
  return ok;
}

/* "保健・医療・福祉;まちづくり", "1・3", "1;13": split on ; first, then
 * on ・ only where the pieces are not one name (names contain ・). */
static gboolean
parse_fields (const char *cell, JsonArray *out, char **bad)
{
  g_auto (GStrv) tokens = NULL;
  g_autofree char *norm = g_utf8_normalize (cell, -1, G_NORMALIZE_NFKC);
  gboolean         seen[TSU_GROUP_N_FIELDS + 1] = { 0 };

  /* NFKC turns ； into ;. g_strsplit_set() splits on bytes: ASCII only. */
  for (char *p = strstr (norm, "、"); p; p = strstr (p, "、"))
    memcpy (p, ";;;", 3);
  tokens = g_strsplit_set (norm, ";,", -1);
  for (guint t = 0; tokens[t]; t++)
    {
      g_auto (GStrv) parts = NULL;
      guint n;

      g_strstrip (tokens[t]);
      if (*tokens[t] == '\0')
        continue;
      if (tsu_group_field_from_text (tokens[t]))
        {
          guint code = tsu_group_field_from_text (tokens[t]);
          if (!seen[code])
            json_array_add_int_element (out, code);
          seen[code] = TRUE;
          continue;
        }
      parts = g_strsplit (tokens[t], "・", -1);
      n = g_strv_length (parts);
      for (guint i = 0; i < n;)
        {
          guint code = 0, j;

          for (j = n; j > i; j--)
            {
              g_autoptr (GString) joined = g_string_new (NULL);
              for (guint k = i; k < j; k++)
                {
                  if (k > i)
                    g_string_append (joined, "・");
                  g_string_append (joined, parts[k]);
                }
              code = tsu_group_field_from_text (joined->str);
              if (code)
                break;
            }
          if (code == 0)
            {
              *bad = g_strdup (parts[i]);
              return FALSE;
            }
          if (!seen[code])
            json_array_add_int_element (out, code);
          seen[code] = TRUE;
          i = j;
        }
    }
  return TRUE;
}

static gboolean
parse_date (const char *cell, char **iso, GError **error)
{
  GDate d;

  g_date_clear (&d, 1);
  if (!tsu_date_parse (cell, &d, error))
    return FALSE;
  *iso = tsu_date_to_iso (&d);
  return TRUE;
}

static void row_error (TsuGroupImport *self, guint line, gboolean *ok, const char *format, ...)
    G_GNUC_PRINTF (4, 5);

static void
row_error (TsuGroupImport *self, guint line, gboolean *ok, const char *format, ...)
{
  va_list          args;
  g_autofree char *msg = NULL;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  add_error (self, line, msg);
  *ok = FALSE;
}

static void
split_person (JsonObject *o, const char *prefix, const char *kind, const char *cell)
{
  g_autofree char *family = NULL, *given = NULL;
  g_autofree char *f = g_strdup_printf ("%s_family_%s", prefix, kind);
  g_autofree char *g = g_strdup_printf ("%s_given_%s", prefix, kind);

  tsu_group_split_name (cell, &family, &given);
  set_text_or_null (o, f, family);
  set_text_or_null (o, g, given);
}

static JsonObject *
read_row (TsuGroupImport *self, GStrv cells, guint line, const GDate *today)
{
  g_autoptr (JsonObject) o = json_object_new ();
  g_autoptr (JsonObject) norm = NULL;
  g_autoptr (GPtrArray) problems = tsu_group_problems_new ();
  gboolean       have_status = FALSE, ok = TRUE;
  TsuGroupStatus status = TSU_GROUP_STATUS_REGISTERED;
  gboolean       empty = TRUE;

  for (guint i = 0; i < self->n_columns && cells[i]; i++)
    if (cells[i][0] != '\0')
      empty = FALSE;
  if (empty)
    return NULL;

  for (guint i = 0; i < self->n_columns && cells[i]; i++)
    {
      g_autofree char *v = clean (cells[i]);
      g_autoptr (GError) error = NULL;
      g_autofree char *iso = NULL;
      gint64           n;

      if (self->column_of[i] < 0)
        continue;
      switch (columns[self->column_of[i]].kind)
        {
        case KIND_TEXT:
          set_text_or_null (o, columns[self->column_of[i]].member, v);
          continue;
        case KIND_INT:
          if (v == NULL)
            json_object_set_null_member (o, columns[self->column_of[i]].member);
          else if (parse_int (v, &n))
            json_object_set_int_member (o, columns[self->column_of[i]].member, n);
          else
            row_error (self, line, &ok, _ ("%s: “%s” is not a number."),
                       columns[self->column_of[i]].header, v);
          continue;
        case KIND_DATE:
          if (v == NULL)
            json_object_set_null_member (o, columns[self->column_of[i]].member);
          else if (parse_date (v, &iso, &error))
            json_object_set_string_member (o, columns[self->column_of[i]].member, iso);
          else
            row_error (self, line, &ok, "%s: %s", columns[self->column_of[i]].header,
                       error->message);
          continue;
        case KIND_SPECIAL:
        default:
          break;
        }

      switch (self->column_of[i])
        {
        case COL_REP:
          split_person (o, "rep", "name", v);
          break;
        case COL_REP_KANA:
          split_person (o, "rep", "kana", v);
          break;
        case COL_CONTACT:
          split_person (o, "contact", "name", v);
          break;
        case COL_CONTACT_KANA:
          split_person (o, "contact", "kana", v);
          break;
        case COL_FIELDS:
          {
            JsonArray       *a = json_array_new ();
            g_autofree char *bad = NULL;

            if (v && !parse_fields (v, a, &bad))
              row_error (self, line, &ok,
                         _ ("“%s” is not an activity field (a code 1–20 or its name)."), bad);
            json_object_set_array_member (o, "fields", a);
          }
          break;
        case COL_VALID_FY:
          if (v == NULL)
            json_object_set_null_member (o, "valid_fiscal_year");
          else if (parse_int (v, &n) && n >= 1900 && n <= 2200)
            json_object_set_int_member (o, "valid_fiscal_year", n);
          else
            row_error (self, line, &ok, _ ("%s: “%s” is not a fiscal year."),
                       columns[COL_VALID_FY].header, v);
          break;
        case COL_STATUS:
          if (v != NULL)
            {
              if (tsu_group_status_from_name (v, &status))
                have_status = TRUE;
              else
                row_error (self, line, &ok,
                           _ ("“%s” is not a status (申請中, 登録, 更新待ち, 失効 or 退会)."), v);
            }
          break;
        case COL_PUBLIC:
          {
            JsonArray       *a = json_array_new ();
            g_autofree char *list = g_strdup (v ? v : "");
            g_auto (GStrv) keys = NULL;

            for (char *p = strstr (list, "・"); p; p = strstr (p, "・"))
              memcpy (p, ";;;", 3);
            keys = g_strsplit (list, ";", -1);

            for (guint k = 0; keys[k]; k++)
              {
                const char *const *pub = tsu_group_publishable_fields ();
                g_strstrip (keys[k]);
                if (*keys[k] == '\0')
                  continue;
                for (guint p = 0; pub[p]; p++)
                  if (g_str_equal (keys[k], pub[p])
                      || g_str_equal (keys[k], tsu_group_publishable_label (pub[p])))
                    json_array_add_string_element (a, pub[p]);
              }
            json_object_set_array_member (o, "public_fields", a);
          }
          break;
        default:
          break;
        }
    }

  /* An empty name is reported by tsu_group_normalize(). */
  if (!json_object_get_null_member (o, "name")
      && (!json_object_has_member (o, "name_kana") || json_object_get_null_member (o, "name_kana")))
    row_error (self, line, &ok, _ ("The reading (フリガナ) of “%s” is empty."),
               json_object_get_string_member (o, "name"));

  /* The status column is never stored: it only fills in what a file made
   * elsewhere may leave out (the 年度 a registration runs to). */
  if (have_status && json_object_has_member (o, "registered_on")
      && !json_object_get_null_member (o, "registered_on")
      && (!json_object_has_member (o, "valid_fiscal_year")
          || json_object_get_null_member (o, "valid_fiscal_year")))
    {
      int fy = tsu_fiscal_year (today);

      if (status == TSU_GROUP_STATUS_REGISTERED || status == TSU_GROUP_STATUS_RENEWAL_DUE)
        json_object_set_int_member (o, "valid_fiscal_year", fy);
      else if (status == TSU_GROUP_STATUS_LAPSED)
        json_object_set_int_member (o, "valid_fiscal_year", fy - 1);
    }
  if (have_status && status == TSU_GROUP_STATUS_WITHDRAWN
      && (!json_object_has_member (o, "withdrawn_on")
          || json_object_get_null_member (o, "withdrawn_on")))
    {
      g_autofree char *iso = tsu_date_to_iso (today);
      json_object_set_string_member (o, "withdrawn_on", iso);
    }

  norm = tsu_group_normalize (o, problems);
  for (guint i = 0; i < problems->len; i++)
    {
      TsuGroupProblem *p = g_ptr_array_index (problems, i);
      if (p->is_error)
        row_error (self, line, &ok, "%s", p->message);
    }
  return ok ? g_steal_pointer (&norm) : NULL;
}

static guint
line_breaks (GStrv row)
{
  guint n = 0;

  for (guint i = 0; row[i]; i++)
    for (const char *p = row[i]; *p; p++)
      if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
        n++;
  return n;
}

static TsuGroupImport *
import_rows (GPtrArray *rows, TsuCsvEncoding encoding, const GDate *today, GError **error)
{
  g_autoptr (TsuGroupImport) self = g_new0 (TsuGroupImport, 1);
  GStrv    header;
  gboolean have[N_COLS] = { 0 };
  guint    line = 1;

  self->rows = rows;
  self->encoding = encoding;
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  self->errors = g_ptr_array_new_with_free_func ((GDestroyNotify)issue_free);
  self->records = g_ptr_array_new_with_free_func (record_free);
  self->lines = g_array_new (FALSE, FALSE, sizeof (guint));

  if (!tsu_csv_check_width (rows, error))
    return NULL;

  header = g_ptr_array_index (rows, 0);
  self->n_columns = g_strv_length (header);
  self->column_of = g_new (int, self->n_columns);
  for (guint i = 0; i < self->n_columns; i++)
    {
      int c = column_for_header (header[i]);

      if (c >= 0 && have[c])
        {
          g_ptr_array_add (
              self->warnings,
              g_strdup_printf (_ ("Column %u “%s” repeats an earlier column and is ignored."),
                               i + 1, header[i]));
          c = -1;
        }
      else if (c < 0)
        g_ptr_array_add (self->warnings,
                         g_strdup_printf (_ ("Column %u “%s” is not a known field and is ignored."),
                                          i + 1, header[i]));
      if (c >= 0)
        have[c] = TRUE;
      self->column_of[i] = c;
    }
  if (!have[COL_NAME] || !have[COL_KANA])
    {
      g_set_error (
          error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_INVALID,
          _ ("The file has no “%s” column; group files need “団体名” and “団体名フリガナ”."),
          !have[COL_NAME] ? "団体名" : "団体名フリガナ");
      return NULL;
    }

  for (guint r = 0; r < rows->len; r++)
    {
      g_array_append_val (self->lines, line);
      line += 1 + line_breaks (g_ptr_array_index (rows, r));
    }
  for (guint r = 1; r < rows->len; r++)
    {
      JsonObject *rec = read_row (self, g_ptr_array_index (rows, r),
                                  g_array_index (self->lines, guint, r), today);
      g_ptr_array_add (self->records, rec);
      if (rec)
        self->n_valid++;
    }
  return g_steal_pointer (&self);
}

/**
 * tsu_group_import_new_from_data:
 * @today: the day used for 状態 without dates
 *
 * Reads and checks a CSV file of groups; nothing is written until
 * tsu_group_import_commit(). A file that cannot be read at all (encoding,
 * quoting, no name column) is an error; problems in single rows are kept
 * with their line numbers (tsu_group_import_get_errors()).
 *
 * Returns: (transfer full) (nullable): the checked import, or %NULL
 */
TsuGroupImport *
tsu_group_import_new_from_data (const char *data, gsize length, const GDate *today, GError **error)
{
  TsuCsvEncoding  enc = TSU_CSV_ENCODING_UTF8;
  GPtrArray      *rows = tsu_csv_parse (data, length, &enc, error);
  TsuGroupImport *self;

  if (rows == NULL)
    return NULL;
  if (rows->len == 0)
    {
      g_ptr_array_unref (rows);
      g_set_error (error, TSU_CSV_ERROR, TSU_CSV_ERROR_EMPTY, _ ("The file is empty."));
      return NULL;
    }
  /* The import owns @rows from here, also when it fails. */
  self = import_rows (rows, enc, today, error);
  return self;
}

/**
 * tsu_group_import_new_from_file:
 *
 * tsu_group_import_new_from_data() on a file.
 *
 * Returns: (transfer full) (nullable): the checked import, or %NULL
 */
TsuGroupImport *
tsu_group_import_new_from_file (const char *path, const GDate *today, GError **error)
{
  g_autofree char *data = NULL;
  gsize            length;

  if (!g_file_get_contents (path, &data, &length, error))
    return NULL;
  return tsu_group_import_new_from_data (data, length, today, error);
}

TsuCsvEncoding
tsu_group_import_get_encoding (TsuGroupImport *self)
{
  return self->encoding;
}
guint
tsu_group_import_get_n_columns (TsuGroupImport *self)
{
  return self->n_columns;
}
guint
tsu_group_import_get_n_rows (TsuGroupImport *self)
{
  return self->records->len;
}
guint
tsu_group_import_get_n_valid (TsuGroupImport *self)
{
  return self->n_valid;
}

/**
 * tsu_group_import_get_warnings:
 *
 * Returns: (transfer none) (element-type utf8): columns ignored, and why
 */
GPtrArray *
tsu_group_import_get_warnings (TsuGroupImport *self)
{
  return self->warnings;
}

/**
 * tsu_group_import_get_errors:
 *
 * Returns: (transfer none) (element-type TsuGroupImportIssue): row errors in
 *   file order
 */
GPtrArray *
tsu_group_import_get_errors (TsuGroupImport *self)
{
  return self->errors;
}

const char *
tsu_group_import_get_header (TsuGroupImport *self, guint column)
{
  GStrv header = g_ptr_array_index (self->rows, 0);

  g_return_val_if_fail (column < self->n_columns, NULL);
  return header[column];
}

/**
 * tsu_group_import_get_column_label:
 *
 * Returns: (nullable): the translated field a file column goes to, or
 *   %NULL when it is ignored
 */
const char *
tsu_group_import_get_column_label (TsuGroupImport *self, guint column)
{
  g_return_val_if_fail (column < self->n_columns, NULL);
  if (self->column_of[column] < 0)
    return NULL;
  return _ (columns[self->column_of[column]].label);
}

/**
 * tsu_group_import_get_cell:
 * @row: a data row (0 is the first row after the header)
 *
 * Returns: the text of a cell, for the preview
 */
const char *
tsu_group_import_get_cell (TsuGroupImport *self, guint row, guint column)
{
  GStrv cells;

  g_return_val_if_fail (row + 1 < self->rows->len, NULL);
  cells = g_ptr_array_index (self->rows, row + 1);
  return column < g_strv_length (cells) ? cells[column] : "";
}

/**
 * tsu_group_import_get_record:
 *
 * Returns: (transfer none) (nullable): the values of a data row, or %NULL
 *   when it has errors or is blank
 */
JsonObject *
tsu_group_import_get_record (TsuGroupImport *self, guint row)
{
  g_return_val_if_fail (row < self->records->len, NULL);
  return g_ptr_array_index (self->records, row);
}

typedef struct
{
  TsuGroupImport *import;
  guint           inserted;
  guint           updated;
} CommitData;

static char *
find_by_number (TsuStore *store, const char *number)
{
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  char         *id = NULL;

  if (number == NULL)
    return NULL;
  tsu_store_lock (store);
  if (sqlite3_prepare_v2 (db,
                          "SELECT id FROM groups WHERE registration_number = ? AND deleted = 0"
                          " ORDER BY rowid LIMIT 1",
                          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, number, -1, SQLITE_TRANSIENT);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        id = g_strdup ((const char *)sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  tsu_store_unlock (store);
  return id;
}

static gboolean
commit_txn (TsuStore *store, gpointer user_data, GError **error)
{
  CommitData *data = user_data;
  GPtrArray  *records = data->import->records;

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject      *rec = g_ptr_array_index (records, i);
      g_autofree char *existing = NULL;

      if (rec == NULL)
        continue;
      existing
          = json_object_has_member (rec, "registration_number")
                    && !json_object_get_null_member (rec, "registration_number")
                ? find_by_number (store, json_object_get_string_member (rec, "registration_number"))
                : NULL;
      if (existing)
        {
          if (!tsu_store_update (store, "groups", existing, rec, error))
            return FALSE;
          data->updated++;
        }
      else
        {
          g_autofree char *id = tsu_store_insert (store, "groups", rec, error);
          if (id == NULL)
            return FALSE;
          data->inserted++;
        }
    }
  return TRUE;
}

/**
 * tsu_group_import_commit:
 * @only_valid: import the valid rows of a file that has errors
 * @n_inserted: (out) (optional): new groups
 * @n_updated: (out) (optional): groups updated (same registration number)
 *
 * Writes every row in one transaction (origin import): all or nothing.
 * A file with row errors writes nothing unless @only_valid.
 *
 * Returns: %TRUE when written
 */
gboolean
tsu_group_import_commit (TsuGroupImport *self,
                         TsuStore       *store,
                         gboolean        only_valid,
                         guint          *n_inserted,
                         guint          *n_updated,
                         GError        **error)
{
  CommitData data = { self, 0, 0 };

  if (self->errors->len > 0 && !only_valid)
    {
      g_set_error (error, TSU_GROUP_ERROR, TSU_GROUP_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE, "The file has %u error; nothing was imported.",
                                "The file has %u errors; nothing was imported.", self->errors->len),
                   self->errors->len);
      return FALSE;
    }
  if (!tsu_store_transaction (store, TSU_ORIGIN_IMPORT, commit_txn, &data, error))
    return FALSE;
  if (n_inserted)
    *n_inserted = data.inserted;
  if (n_updated)
    *n_updated = data.updated;
  return TRUE;
}

static const char *
str_or_empty (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return "";
}

static char *
int_or_empty (JsonObject *o, const char *member)
{
  JsonNode *n = json_object_get_member (o, member);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (n));
  return g_strdup ("");
}

static char *
fields_text (JsonObject *o)
{
  JsonNode *n = json_object_get_member (o, "fields");
  GString  *s = g_string_new (NULL);

  if (n && JSON_NODE_HOLDS_ARRAY (n))
    {
      JsonArray *a = json_node_get_array (n);
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          /* Codes: stable across the 20-field list and the older ones. */
          gint64 code = json_array_get_int_element (a, i);

          if (code < 1 || code > TSU_GROUP_N_FIELDS)
            continue;
          if (s->len)
            g_string_append_c (s, ';');
          g_string_append_printf (s, "%" G_GINT64_FORMAT, code);
        }
    }
  return g_string_free (s, FALSE);
}

static char *
public_text (JsonObject *o)
{
  const char *const *pub = tsu_group_publishable_fields ();
  GString           *s = g_string_new (NULL);

  for (guint i = 0; pub[i]; i++)
    if (tsu_group_is_public (o, pub[i]))
      {
        if (s->len)
          g_string_append_c (s, ';');
        g_string_append (s, pub[i]);
      }
  return g_string_free (s, FALSE);
}

static GStrv
export_row (JsonObject *g, gboolean public_only, const GDate *today, guint renewal_days)
{
  GStrv row = g_new0 (char *, N_COLS + 1);

  for (guint c = 0; c < N_COLS; c++)
    if (columns[c].kind == KIND_TEXT || columns[c].kind == KIND_DATE)
      row[c] = g_strdup (str_or_empty (g, columns[c].member));
    else if (columns[c].kind == KIND_INT)
      row[c] = int_or_empty (g, columns[c].member);

  row[COL_REP] = tsu_group_rep_name (g);
  row[COL_REP_KANA] = tsu_group_rep_kana (g);
  if (row[COL_REP] == NULL)
    row[COL_REP] = g_strdup ("");
  if (row[COL_REP_KANA] == NULL)
    row[COL_REP_KANA] = g_strdup ("");
  row[COL_FIELDS] = fields_text (g);
  row[COL_STATUS]
      = g_strdup (tsu_group_status_csv_name (tsu_group_status (g, today, renewal_days)));
  row[COL_VALID_FY] = int_or_empty (g, "valid_fiscal_year");
  {
    const char *f = str_or_empty (g, "contact_family_name"),
               *n = str_or_empty (g, "contact_given_name");
    const char *fk = str_or_empty (g, "contact_family_kana"),
               *nk = str_or_empty (g, "contact_given_kana");
    row[COL_CONTACT] = (*f && *n) ? g_strconcat (f, " ", n, NULL) : g_strconcat (f, n, NULL);
    row[COL_CONTACT_KANA]
        = (*fk && *nk) ? g_strconcat (fk, "\u3000", nk, NULL) : g_strconcat (fk, nk, NULL);
  }
  row[COL_PUBLIC] = public_only ? g_strdup ("") : public_text (g);

  if (public_only)
    for (guint c = 0; c < N_COLS; c++)
      if (columns[c].publish && !tsu_group_is_public (g, columns[c].publish))
        g_free (row[c]), row[c] = g_strdup ("");
  return row;
}

/**
 * tsu_group_export:
 * @rowids: (nullable) (element-type gint64): the rows to write in order
 *   (the shown rows), or %NULL for every group in 五十音順
 * @public_only: leave out every field not marked 公開
 * @unencodable: (nullable): for CP932, receives characters written as 〓
 *
 * Returns: (transfer full) (nullable): the CSV bytes
 */
GBytes *
tsu_group_export (TsuStore      *store,
                  GArray        *rowids,
                  TsuCsvEncoding encoding,
                  gboolean       public_only,
                  const GDate   *today,
                  guint          renewal_days,
                  GPtrArray     *unencodable,
                  GError       **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  g_autoptr (GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  GStrv         header = g_new0 (char *, N_COLS + 1);
  sqlite3      *db = tsu_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  int           rc = SQLITE_DONE;

  for (guint c = 0; c < N_COLS; c++)
    header[c] = g_strdup (public_only && c == COL_PUBLIC ? "" : columns[c].header);
  if (public_only)
    header[COL_PUBLIC] = (g_free (header[COL_PUBLIC]), NULL);
  g_ptr_array_add (rows, header);

  tsu_store_lock (store);
  if (rowids == NULL)
    {
      rc = sqlite3_prepare_v2 (db, "SELECT id FROM groups WHERE deleted = 0 ORDER BY sort_key", -1,
                               &stmt, NULL);
      if (rc == SQLITE_OK)
        while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
          g_ptr_array_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
    }
  else
    {
      rc = sqlite3_prepare_v2 (db, "SELECT id FROM groups WHERE rowid = ?", -1, &stmt, NULL);
      for (guint i = 0; rc == SQLITE_OK && i < rowids->len; i++)
        {
          sqlite3_bind_int64 (stmt, 1, g_array_index (rowids, gint64, i));
          if (sqlite3_step (stmt) == SQLITE_ROW)
            g_ptr_array_add (ids, g_strdup ((const char *)sqlite3_column_text (stmt, 0)));
          sqlite3_reset (stmt);
        }
      if (rc == SQLITE_OK)
        rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      tsu_store_set_sqlite_error (error, db, "export");
      tsu_store_unlock (store);
      return NULL;
    }
  tsu_store_unlock (store);

  for (guint i = 0; i < ids->len; i++)
    {
      g_autoptr (JsonObject) g = tsu_store_get (store, "groups", g_ptr_array_index (ids, i), error);
      GStrv row;

      if (g == NULL)
        return NULL;
      row = export_row (g, public_only, today, renewal_days);
      if (public_only)
        g_clear_pointer (&row[COL_PUBLIC], g_free);
      g_ptr_array_add (rows, row);
    }
  return tsu_csv_write (rows, encoding, TRUE, unencodable, error);
}

/**
 * tsu_group_export_file:
 *
 * tsu_group_export() into a file, replaced atomically and private
 * (tsu_file_write_private()); the database's own files are refused
 * (tsu_store_check_output_path()).
 *
 * Returns: %TRUE on success
 */
gboolean
tsu_group_export_file (TsuStore      *store,
                       GArray        *rowids,
                       const char    *path,
                       TsuCsvEncoding encoding,
                       gboolean       public_only,
                       const GDate   *today,
                       guint          renewal_days,
                       GPtrArray     *unencodable,
                       GError       **error)
{
  g_autoptr (GBytes) bytes = NULL;
  gsize       len;
  const char *data;

  if (!tsu_store_check_output_path (store, path, error))
    return FALSE;
  bytes = tsu_group_export (store, rowids, encoding, public_only, today, renewal_days, unencodable,
                            error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  return tsu_file_write_private (path, data, len, error);
}

/**
 * tsu_group_cli_import:
 *
 * `tsunagu --db FILE --import-groups FILE.csv`: all rows or nothing. Row
 * errors go to stderr as FILE:LINE: message.
 *
 * Returns: the exit status (0 on success)
 */
int
tsu_group_cli_import (const char *db_path, const char *csv_path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (TsuGroupImport) import = NULL;
  guint inserted = 0, updated = 0;
  GDate today;

  tsu_group_today (&today);
  import = tsu_group_import_new_from_file (csv_path, &today, &error);
  if (import == NULL)
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  for (guint i = 0; i < import->warnings->len; i++)
    g_printerr (_ ("%s: warning: %s\n"), csv_path, (char *)g_ptr_array_index (import->warnings, i));
  if (import->errors->len > 0)
    {
      for (guint i = 0; i < import->errors->len; i++)
        {
          TsuGroupImportIssue *issue = g_ptr_array_index (import->errors, i);
          g_printerr ("%s:%u: %s\n", csv_path, issue->line, issue->message);
        }
      g_printerr (g_dngettext (GETTEXT_PACKAGE, "%s: %u error; nothing was imported.\n",
                               "%s: %u errors; nothing was imported.\n", import->errors->len),
                  csv_path, import->errors->len);
      return 1;
    }
  store = tsu_store_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db_path ? db_path : "", error->message);
      return 1;
    }
  /* Another import or a sync may be writing: wait, and say so. */
  tsu_store_set_busy_wait (store, TSU_STORE_CLI_BUSY_WAIT_MS, tsu_store_print_waiting, NULL);
  if (!tsu_group_import_commit (import, store, FALSE, &inserted, &updated, &error))
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  g_print (_ ("Imported %u new groups and updated %u.\n"), inserted, updated);
  return 0;
}

/**
 * tsu_group_cli_export:
 * @encoding: (nullable): "utf-8" (with BOM, the default), "utf-8-nobom" or "cp932"
 *
 * `tsunagu --db FILE --export-groups FILE.csv`: every group in 五十音順.
 *
 * Returns: the exit status (0 on success)
 */
int
tsu_group_cli_export (const char *db_path,
                      const char *csv_path,
                      const char *encoding,
                      gboolean    public_only)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (TsuStore) store = NULL;
  g_autoptr (GPtrArray) unencodable = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *enc_name = g_ascii_strdown (encoding ? encoding : "utf-8", -1);
  TsuCsvEncoding   enc;
  GDate            today;

  if (g_str_equal (enc_name, "utf-8") || g_str_equal (enc_name, "utf8")
      || g_str_equal (enc_name, "utf-8-bom"))
    enc = TSU_CSV_ENCODING_UTF8_BOM;
  else if (g_str_equal (enc_name, "utf-8-nobom"))
    enc = TSU_CSV_ENCODING_UTF8;
  else if (g_str_equal (enc_name, "cp932") || g_str_equal (enc_name, "shift_jis")
           || g_str_equal (enc_name, "sjis") || g_str_equal (enc_name, "windows-31j"))
    enc = TSU_CSV_ENCODING_CP932;
  else
    {
      g_printerr (_ ("Unknown encoding “%s”: use utf-8 or cp932.\n"), encoding);
      return 2;
    }
  if (db_path == NULL || !g_file_test (db_path, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr (_ ("%s: no such database.\n"), db_path ? db_path : "");
      return 1;
    }
  store = tsu_store_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("%s: %s\n", db_path, error->message);
      return 1;
    }
  tsu_group_today (&today);
  if (!tsu_group_export_file (store, NULL, csv_path, enc, public_only, &today,
                              TSU_GROUP_DEFAULT_RENEWAL_DAYS, unencodable, &error))
    {
      g_printerr ("%s: %s\n", csv_path, error->message);
      return 1;
    }
  if (unencodable->len > 0)
    {
      g_autoptr (GString) chars = g_string_new (NULL);
      for (guint i = 0; i < unencodable->len; i++)
        g_string_append (chars, g_ptr_array_index (unencodable, i));
      g_printerr (
          _ ("%s: warning: CP932 cannot hold these characters; they were written as 〓: %s\n"),
          csv_path, chars->str);
    }
  return 0;
}
