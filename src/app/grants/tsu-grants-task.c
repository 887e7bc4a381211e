/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "Tsunagu"

#include "config.h"

#include "tsu-grants-task.h"

typedef struct
{
  TsuStore         *store;
  TsuGrantsTaskFunc func;
  gpointer          data;
  GDestroyNotify    data_free;
} Task;

static void
task_free (Task *t)
{
  g_object_unref (t->store);
  if (t->data_free)
    t->data_free (t->data);
  g_free (t);
}

static void
thread_cb (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  Task     *t = task_data;
  GError   *error = NULL;
  JsonNode *node = t->func (t->store, t->data, &error);

  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, node, (GDestroyNotify)json_node_unref);
}

void
tsu_grants_task_run (TsuStore           *store,
                     TsuGrantsTaskFunc   func,
                     gpointer            data,
                     GDestroyNotify      data_free,
                     GCancellable       *cancellable,
                     GAsyncReadyCallback callback,
                     gpointer            user_data)
{
  g_autoptr (GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  Task *t = g_new0 (Task, 1);

  t->store = g_object_ref (store);
  t->func = func;
  t->data = data;
  t->data_free = data_free;
  g_task_set_task_data (task, t, (GDestroyNotify)task_free);
  g_task_run_in_thread (task, thread_cb);
}

JsonNode *
tsu_grants_task_finish (GAsyncResult *result, GError **error)
{
  /* GTask checks the cancellable: a cancelled read says so, whatever it
   * found (the page that asked may be showing another record by now). */
  return g_task_propagate_pointer (G_TASK (result), error);
}
