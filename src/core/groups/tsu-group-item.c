/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "tsu-group-item.h"
#include "tsu-group.h"
#include "tsu-date.h"

struct _TsuGroupItem
{
  GObject parent_instance;
  gint64  rowid;
  char   *id;
  char   *name;
  char   *name_kana;
  char   *registration_number;
  char   *representative;
  char   *phone;
  int     status;
  int     valid_fiscal_year;
};

G_DEFINE_FINAL_TYPE (TsuGroupItem, tsu_group_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  PROP_NAME_KANA,
  PROP_REGISTRATION_NUMBER,
  PROP_REPRESENTATIVE,
  PROP_PHONE,
  PROP_STATUS,
  PROP_STATUS_LABEL,
  PROP_RENEWAL_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
tsu_group_item_finalize (GObject *object)
{
  TsuGroupItem *self = TSU_GROUP_ITEM (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->name_kana);
  g_free (self->registration_number);
  g_free (self->representative);
  g_free (self->phone);
  G_OBJECT_CLASS (tsu_group_item_parent_class)->finalize (object);
}

static void
tsu_group_item_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  TsuGroupItem *self = TSU_GROUP_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_NAME_KANA:
      g_value_set_string (value, self->name_kana);
      break;
    case PROP_REGISTRATION_NUMBER:
      g_value_set_string (value, self->registration_number);
      break;
    case PROP_REPRESENTATIVE:
      g_value_set_string (value, self->representative);
      break;
    case PROP_PHONE:
      g_value_set_string (value, self->phone);
      break;
    case PROP_STATUS:
      g_value_set_int (value, self->status);
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, tsu_group_item_get_status_label (self));
      break;
    case PROP_RENEWAL_LABEL:
      g_value_take_string (value, tsu_group_item_dup_renewal_label (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tsu_group_item_class_init (TsuGroupItemClass *klass)
{
  GObjectClass     *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags f = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tsu_group_item_finalize;
  object_class->get_property = tsu_group_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, f);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, f);
  properties[PROP_NAME_KANA] = g_param_spec_string ("name-kana", NULL, NULL, NULL, f);
  properties[PROP_REGISTRATION_NUMBER]
      = g_param_spec_string ("registration-number", NULL, NULL, NULL, f);
  properties[PROP_REPRESENTATIVE] = g_param_spec_string ("representative", NULL, NULL, NULL, f);
  properties[PROP_PHONE] = g_param_spec_string ("phone", NULL, NULL, NULL, f);
  properties[PROP_STATUS] = g_param_spec_int ("status", NULL, NULL, 0, TSU_GROUP_N_STATUSES, 0, f);
  properties[PROP_STATUS_LABEL] = g_param_spec_string ("status-label", NULL, NULL, NULL, f);
  properties[PROP_RENEWAL_LABEL] = g_param_spec_string ("renewal-label", NULL, NULL, NULL, f);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tsu_group_item_init (TsuGroupItem *self)
{
}

/**
 * tsu_group_item_new:
 *
 * Returns: (transfer full): a list row
 */
TsuGroupItem *
tsu_group_item_new (const char *id,
                    const char *name,
                    const char *name_kana,
                    const char *registration_number,
                    const char *representative,
                    const char *phone,
                    int         status,
                    int         valid_fiscal_year)
{
  TsuGroupItem *self = g_object_new (TSU_TYPE_GROUP_ITEM, NULL);

  self->id = g_strdup (id);
  self->name = g_strdup (name);
  self->name_kana = g_strdup (name_kana);
  self->registration_number = g_strdup (registration_number);
  self->representative = g_strdup (representative);
  self->phone = g_strdup (phone);
  self->status = status;
  self->valid_fiscal_year = valid_fiscal_year;
  self->rowid = -1;
  return self;
}

static void
set_str (TsuGroupItem *self, char **field, const char *value, int prop)
{
  if (g_strcmp0 (*field, value) == 0)
    return;
  g_free (*field);
  *field = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

/**
 * tsu_group_item_update:
 * @rowid: the row it now shows
 *
 * Points a list slot at another row: the list keeps one item per position
 * so that the view keeps its row widgets and only relabels them.
 */
void
tsu_group_item_update (TsuGroupItem *self,
                       gint64        rowid,
                       const char   *id,
                       const char   *name,
                       const char   *name_kana,
                       const char   *registration_number,
                       const char   *representative,
                       const char   *phone,
                       int           status,
                       int           valid_fiscal_year)
{
  g_object_freeze_notify (G_OBJECT (self));
  self->rowid = rowid;
  set_str (self, &self->id, id, PROP_ID);
  set_str (self, &self->name, name, PROP_NAME);
  set_str (self, &self->name_kana, name_kana, PROP_NAME_KANA);
  set_str (self, &self->registration_number, registration_number, PROP_REGISTRATION_NUMBER);
  set_str (self, &self->representative, representative, PROP_REPRESENTATIVE);
  set_str (self, &self->phone, phone, PROP_PHONE);
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
    }
  if (self->valid_fiscal_year != valid_fiscal_year)
    {
      self->valid_fiscal_year = valid_fiscal_year;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RENEWAL_LABEL]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gint64
tsu_group_item_get_rowid (TsuGroupItem *self)
{
  return self->rowid;
}
const char *
tsu_group_item_get_id (TsuGroupItem *self)
{
  return self->id;
}
const char *
tsu_group_item_get_name (TsuGroupItem *self)
{
  return self->name;
}
const char *
tsu_group_item_get_name_kana (TsuGroupItem *self)
{
  return self->name_kana;
}
const char *
tsu_group_item_get_registration_number (TsuGroupItem *self)
{
  return self->registration_number;
}
const char *
tsu_group_item_get_representative (TsuGroupItem *self)
{
  return self->representative;
}
const char *
tsu_group_item_get_phone (TsuGroupItem *self)
{
  return self->phone;
}
int
tsu_group_item_get_status (TsuGroupItem *self)
{
  return self->status;
}
int
tsu_group_item_get_valid_fiscal_year (TsuGroupItem *self)
{
  return self->valid_fiscal_year;
}

/**
 * tsu_group_item_get_status_label:
 *
 * Returns: the translated status
 */
const char *
tsu_group_item_get_status_label (TsuGroupItem *self)
{
  return tsu_group_status_name (self->status);
}

/**
 * tsu_group_item_dup_renewal_label:
 *
 * Returns: (transfer full): the 年度 the registration runs to ("2026年度"), or ""
 */
char *
tsu_group_item_dup_renewal_label (TsuGroupItem *self)
{
  if (self->valid_fiscal_year <= 0)
    return g_strdup ("");
  return tsu_fiscal_year_format (self->valid_fiscal_year, TSU_DATE_STYLE_SEIREKI);
}
