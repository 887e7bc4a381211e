/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tsu-store.h"

G_BEGIN_DECLS

#define TSU_SYNC_ERROR (tsu_sync_error_quark ())

typedef enum
{
  TSU_SYNC_ERROR_NOT_ENROLLED, /* no server or token yet */
  TSU_SYNC_ERROR_NETWORK,      /* cannot reach the server (after retries) */
  TSU_SYNC_ERROR_TIMEOUT,      /* a step took longer than the watchdog allows */
  TSU_SYNC_ERROR_UNAUTHORIZED, /* 401: the token is not accepted */
  TSU_SYNC_ERROR_REVOKED,      /* 403: this desk was revoked */
  TSU_SYNC_ERROR_BAD_CODE,     /* enrolment code unknown, used or expired */
  TSU_SYNC_ERROR_PROTOCOL,     /* the server answered something we cannot use */
  TSU_SYNC_ERROR_SERVER,       /* 5xx after retries */
  TSU_SYNC_ERROR_TLS,          /* TLS needed but not available */
  TSU_SYNC_ERROR_SEQUENCE,     /* the server expects mutations this desk does not have */
  TSU_SYNC_ERROR_CERTIFICATE,  /* the server's certificate is not trusted (see below) */
  TSU_SYNC_ERROR_UNSENT,       /* signing out would drop changes not sent yet */
} TsuSyncError;

/* What one sync did. applied + merged + conflict + rejected is the number
 * of this desk's mutations the server has answered for. */
typedef struct
{
  guint pushed;
  guint applied;
  guint merged;
  guint conflict;
  guint rejected;
  guint duplicate;
  guint pulled;
  guint pages;
  guint resolutions_sent;
  guint resyncs;
  guint rotated;
} TsuSyncStats;

#define TSU_TYPE_SYNC_CLIENT (tsu_sync_client_get_type ())
G_DECLARE_FINAL_TYPE (TsuSyncClient, tsu_sync_client, TSU, SYNC_CLIENT, GObject)

GQuark tsu_sync_error_quark (void);

TsuSyncClient *tsu_sync_client_new (TsuStore *store);
TsuStore      *tsu_sync_client_get_store (TsuSyncClient *self);
void           tsu_sync_client_set_token (TsuSyncClient *self, const char *token);
void           tsu_sync_client_set_timeout (TsuSyncClient *self, guint seconds);
void           tsu_sync_client_set_max_attempts (TsuSyncClient *self, guint attempts);
void           tsu_sync_client_set_page_size (TsuSyncClient *self, guint limit);

void     tsu_sync_client_enroll_async (TsuSyncClient      *self,
                                       const char         *server_url,
                                       const char         *code,
                                       const char         *device_name,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
gboolean tsu_sync_client_enroll_finish (TsuSyncClient *self, GAsyncResult *result, GError **error);

void     tsu_sync_client_sync_async (TsuSyncClient      *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean tsu_sync_client_sync_finish (TsuSyncClient *self,
                                      GAsyncResult  *result,
                                      TsuSyncStats  *stats,
                                      GError       **error);

void tsu_sync_client_rotate_token_async (TsuSyncClient      *self,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);

/* The server's certificate when it is not from an authority this computer
 * trusts (a city's private CA, a self-signed test server): the last one
 * refused, for staff to look at, and the one they chose to trust (kept in
 * the store once enrolled; a CA certificate or the server's own). */
GTlsCertificate *tsu_sync_client_get_refused_certificate (TsuSyncClient *self);
GTlsCertificate *tsu_sync_client_get_trusted_certificate (TsuSyncClient *self);
void  tsu_sync_client_set_trusted_certificate (TsuSyncClient *self, GTlsCertificate *certificate);
char *tsu_sync_certificate_describe (GTlsCertificate *certificate);

char *tsu_sync_client_dup_server_url (TsuSyncClient *self);

/* Sign out: the token is revoked (when the server can be reached) and
 * forgotten; records stay. Changes not sent yet make it fail with
 * TSU_SYNC_ERROR_UNSENT unless @discard_unsent. */
void tsu_sync_client_sign_out_async (TsuSyncClient      *self,
                                     gboolean            discard_unsent,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
gboolean
tsu_sync_client_sign_out_finish (TsuSyncClient *self, GAsyncResult *result, GError **error);

/* A refused change (see tsu_sync_client_list_rejected()): sent again after
 * @corrections, or given up. Both write: call them off the GTK thread. */
gboolean tsu_sync_client_retry_rejected (TsuSyncClient *self,
                                         gint64         seq,
                                         JsonObject    *corrections,
                                         GError       **error);
gboolean tsu_sync_client_discard_rejected (TsuSyncClient *self, gint64 seq, GError **error);

JsonArray  *tsu_sync_client_list_conflicts (TsuSyncClient *self, GError **error);
JsonArray  *tsu_sync_client_list_rejected (TsuSyncClient *self, GError **error);
JsonObject *tsu_sync_client_get_summary (TsuSyncClient *self, GError **error);
gboolean    tsu_sync_client_resolve_conflict (TsuSyncClient *self,
                                              const char    *conflict_id,
                                              const char    *choice,
                                              GError       **error);

/* What a server's rejection reason means for staff (translated), with the
 * field's label when the server named one. */
char *tsu_sync_reason_describe (const char *reason, const char *field_label);
/* The same for a refused change as listed, naming the record a rule found
 * it clashes with. Reads the store. */
char *tsu_sync_rejection_describe (TsuStore *store, JsonObject *item);

G_END_DECLS
