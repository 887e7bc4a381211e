/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Validation of identifiers used in Japan, with translated messages. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TSU_IDENT_ERROR (tsu_ident_error_quark ())

typedef enum
{
  TSU_IDENT_ERROR_EMPTY,
  TSU_IDENT_ERROR_FORMAT,
  TSU_IDENT_ERROR_CHECK_DIGIT,
} TsuIdentError;

GQuark tsu_ident_error_quark (void);

/**
 * tsu_corporate_number_validate:
 * @text: a 法人番号 as typed (full-width digits, spaces and hyphens allowed)
 * @normalized: (out) (optional): the 13 ASCII digits
 * @error: return location for a #TSU_IDENT_ERROR
 *
 * Checks 13 digits whose first is the check digit
 * 9 − (Σ Pn × Qn mod 9), Pn the n-th digit from the lowest of the other 12,
 * Qn 1 for odd n and 2 for even n.
 *
 * Returns: %TRUE when valid
 */
gboolean tsu_corporate_number_validate (const char *text, char **normalized, GError **error);

/**
 * tsu_postal_code_validate:
 * @text: 〒836-0000, 8360000, ８３６−００００ …
 * @normalized: (out) (optional): "836-0000"
 * @error: return location for a #TSU_IDENT_ERROR
 *
 * Returns: %TRUE when @text is seven digits (optionally 〒 and a hyphen
 *   after the third)
 */
gboolean tsu_postal_code_validate (const char *text, char **normalized, GError **error);

/**
 * tsu_phone_validate:
 * @text: a Japanese phone number with any dashes, spaces, brackets, widths;
 *   "+81" is accepted in place of the leading 0
 * @normalized: (out) (optional): digits grouped with hyphens: mobile
 *   (070/080/090) 3-4-4, 0120/0800 4-3-3, 050 3-4-4, fixed lines 10 digits
 *   grouped as typed when typed with separators, else by area-code length
 *   from a small table (0944-12-3456, 03-1234-5678, 06-…, 092-…)
 * @error: return location for a #TSU_IDENT_ERROR
 *
 * Returns: %TRUE when the number starts with 0 and has 10 digits (11 for
 *   070/080/090/050/020 and 0800 numbers)
 */
gboolean tsu_phone_validate (const char *text, char **normalized, GError **error);

/**
 * tsu_email_validate:
 * @text: an e-mail address (full-width ASCII is folded)
 * @normalized: (out) (optional): the trimmed address, domain in lower case
 * @error: return location for a #TSU_IDENT_ERROR
 *
 * A pragmatic check: one @, a non-empty local part of printable ASCII without
 * spaces, a domain with at least one dot and labels of letters, digits and
 * hyphens.
 *
 * Returns: %TRUE when valid
 */
gboolean tsu_email_validate (const char *text, char **normalized, GError **error);

/**
 * tsu_local_gov_code_validate:
 * @text: a 全国地方公共団体コード (6 digits; full-width accepted)
 * @normalized: (out) (optional): the 6 digits
 * @error: return location for a #TSU_IDENT_ERROR
 *
 * The sixth digit is the check digit: 11 − (Σ of the first five digits
 * weighted 6,5,4,3,2 mod 11), mod 10 (大牟田市 402028 is valid).
 *
 * Returns: %TRUE when valid
 */
gboolean tsu_local_gov_code_validate (const char *text, char **normalized, GError **error);

G_END_DECLS
