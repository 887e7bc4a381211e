/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tsu-directory.h"

G_BEGIN_DECLS

typedef enum
{
  TSU_LOG_ERROR,
  TSU_LOG_WARNING,
  TSU_LOG_INFO,
  TSU_LOG_DEBUG,
} TsuLogLevel;

typedef struct
{
  double      rate;                  /* requests per second per device; 0: no limit */
  double      burst;                 /* bucket size */
  guint       request_timeout;       /* seconds to read a request body */
  guint       enroll_failures;       /* failed enrolments per client address per 10 minutes */
  guint       enroll_failures_total; /* all addresses: beyond it failures are answered late */
  gsize       response_memory;       /* bytes of large responses in flight; 503 beyond */
  TsuLogLevel log_level;
} TsuServerOptions;

#define TSU_TYPE_SERVER (tsu_server_get_type ())
G_DECLARE_FINAL_TYPE (TsuServer, tsu_server, TSU, SERVER, GObject)

void       tsu_server_options_init (TsuServerOptions *options);
TsuServer *tsu_server_new (TsuDirectory *directory, const TsuServerOptions *options);
gboolean   tsu_server_listen (
      TsuServer *self, const char *address, GTlsCertificate *certificate, char **url, GError **error);
gboolean tsu_server_add_trusted_proxy (TsuServer *self, const char *spec, GError **error);
void     tsu_server_log (TsuServer *self, TsuLogLevel level, const char *format, ...)
    G_GNUC_PRINTF (3, 4);

G_END_DECLS
