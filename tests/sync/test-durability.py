#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server SIGKILLed during a stream of pushes, again and again: after each
restart every push it acknowledged is there, and none is there twice.

TSU_DURABILITY_ROUNDS sets the number of kills (100 in the suite; the bench
runs more)."""

import http.client
import os
import random
import threading
import time

from tsusync import BACKEND, Server, check, run, uuid7

# A push on PostgreSQL takes longer (its own fsync, a round trip per
# statement): the kill comes later so that pushes are acknowledged at all.
WINDOW = 6 if BACKEND == "postgresql" else 1

ROUNDS = int(os.environ.get("TSU_DURABILITY_ROUNDS", "100"))


def test_sigkill_during_pushes():
    rng = random.Random(int(os.environ.get("TSU_SEED", "5")))
    s = Server(extra=["--rate", "0"]).start()
    org = s.org_create("A")
    dev = s.enroll(org, "a")
    acked = {}      # seq → record id, answered 200
    issued = []     # every mutation, in seq order; never changed once made
    pending = []    # issued but not acknowledged: pushed again after a restart
    errors = []
    t_start = time.monotonic()
    with s:
        for rnd in range(ROUNDS):
            stop = threading.Event()

            def pusher():
                while not stop.is_set():
                    if not pending:
                        m = dev.mutation("insert", "groups", uuid7(), fields={"name": "r%d" % rnd})
                        issued.append(m)
                        pending.append(m)
                    batch = list(pending[:5])
                    try:
                        st, body, _ = s.request("POST", "/v1/sync/push", {"mutations": batch},
                                                token=dev.token, timeout=5)
                    except (OSError, http.client.HTTPException):
                        return
                    if st != 200:
                        errors.append("push answered %d %r" % (st, body))
                        return
                    for r in body["results"]:
                        m = next(x for x in batch if x["seq"] == r["seq"])
                        acked[m["seq"]] = m["id"]
                        pending.remove(m)

            t = threading.Thread(target=pusher, daemon=True)
            t.start()
            time.sleep(rng.uniform(0.005, 0.04) * WINDOW)
            s.kill()
            stop.set()
            t.join(10)
            check(not t.is_alive(), "pusher hung")
            check(not errors, errors)
            s.start()
        # Push what is left, then read everything back.
        while pending:
            st, body, _ = s.request("POST", "/v1/sync/push", {"mutations": pending[:50]}, token=dev.token)
            check(st == 200, body)
            for r in body["results"]:
                m = next(x for x in pending if x["seq"] == r["seq"])
                acked[m["seq"]] = m["id"]
                pending.remove(m)
        changes = dev.pull_all(limit=500)
        ids = [c["id"] for c in changes]
        check(len(ids) == len(set(ids)), "a record is there twice")
        revs = [c["rev"] for c in changes]
        check(len(revs) == len(set(revs)), "a change seq is used twice")
        missing = [sq for sq, rid in acked.items() if rid not in set(ids)]
        check(not missing, "acknowledged pushes lost: %r" % missing[:5])
        check(len(ids) == len(issued), "%d records for %d mutations" % (len(ids), len(issued)))
        # Every record has exactly one version: no mutation was applied twice.
        st, who, _ = s.request("GET", "/v1/whoami", token=dev.token)
        check(who["last_seq"] == len(issued), (who, len(issued)))
        print("# %d kills, %d mutations issued, %d acknowledged (some only after a restart), %.1f s"
              % (ROUNDS, len(issued), len(acked), time.monotonic() - t_start))


if __name__ == "__main__":
    run([test_sigkill_during_pushes])
