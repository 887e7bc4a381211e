#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The desk killed with SIGKILL in the middle of its syncs (during pushes and
pulls of many pages), again and again: when it finally completes a sync it
holds exactly the server's records, every local insert reached the server
once, and every mutation is accounted for."""

import os
import random
import sqlite3
import subprocess
import sys
import time

from tsusync import Server, check, run, uuid7

DESK = sys.argv[2] if len(sys.argv) > 2 else None
ROUNDS = int(os.environ.get("TSU_DESK_CRASH_ROUNDS", "25"))


def desk(store, *args, timeout=60):
    env = dict(os.environ, TSUNAGU_TOKEN_STORE="file",
               XDG_CONFIG_HOME=os.path.join(os.path.dirname(store), "config"))
    return subprocess.Popen([DESK, store, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)


def test_desk_killed_during_sync():
    rng = random.Random(int(os.environ.get("TSU_SEED", "7")))
    s = Server(extra=["--rate", "0"]).start()
    with s:
        org = s.org_create("A")
        other = s.enroll(org, "other")
        # Another desk's records, so that pulls take many pages.
        for b in range(6):
            other.push([other.mutation("insert", "groups", uuid7(), fields={"name": "他 %d-%d" % (b, i)})
                        for i in range(200)])
        store = os.path.join(s.data, "desk.sqlite3")
        started = time.monotonic()
        p = desk(store, "enroll", s.url, s.enroll_code(org))
        out, err = p.communicate(timeout=60)
        check(p.returncode == 0, err)
        # Kills come 2-100 ms after the start on a quiet debug build; a slow
        # one (a sanitizer build, other jobs on the cores) gets a window as
        # long as twice a whole desk run (the enrolment), so that kills
        # still land after some inserts and not only during startup.
        window = max(0.1, 2 * (time.monotonic() - started))
        print("# kill window 2-%d ms" % (window * 1000))
        inserted = 0
        kills = 0
        for r in range(ROUNDS):
            n = rng.randint(0, 30)
            p = desk(store, "sync", str(n))
            inserted += n      # at most: a kill may come before all are in
            time.sleep(rng.uniform(0.002, window))
            if p.poll() is None:
                p.kill()
                kills += 1
            p.communicate(timeout=60)
            # Meanwhile the other desk changes things too.
            other.push([other.mutation("insert", "groups", uuid7(), fields={"name": "他 r%d-%d" % (r, i)})
                        for i in range(rng.randint(1, 150))])
        p = desk(store, "sync")
        out, err = p.communicate(timeout=120)
        check(p.returncode == 0, err)
        server = {c["id"]: c for c in other.pull_all() if c["kind"] == "record"}
        db = sqlite3.connect(store)
        local = {row[0]: row[1] for row in db.execute("SELECT id, name FROM groups WHERE deleted = 0")}
        states = dict(db.execute("SELECT state, count(*) FROM outbox GROUP BY state").fetchall())
        mine = set(r[0] for r in db.execute("SELECT record_id FROM outbox WHERE op = 'insert'"))
        db.close()
        live = {k: v["fields"]["name"] for k, v in server.items() if not v["deleted"]}
        check(local == live, "desk and server differ: %d vs %d records" % (len(local), len(live)))
        on_server = set(k for k, v in live.items() if v.startswith("desk "))
        check(on_server == mine, "%d local inserts, %d on the server" % (len(mine), len(on_server)))
        check(0 < len(mine) <= inserted, (len(mine), inserted))
        check(states.get("pending", 0) == 0, states)
        check(sum(states.values()) == len(mine) and states.get("applied", 0) == len(mine), states)
        print("# %d rounds, %d kills, %d local inserts, %d records" % (ROUNDS, kills, len(mine), len(live)))


if __name__ == "__main__":
    run([test_desk_killed_during_sync])
