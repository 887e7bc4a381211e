#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tsunagu-server on PostgreSQL, what only several processes and a real
database can show (a PostgreSQL the test starts itself; skipped with the
reason when it is not installed):

- two server processes on one database receive clashing pushes at the same
  moment (the same registration number, overlapping bookings of one
  resource, overlapping confirmed matches of one volunteer), 100 rounds:
  exactly one of each pair is applied, the other is refused with the rule's
  reason;
- PostgreSQL restarted while desks push and pull: they see 503 with
  Retry-After (never 500, never 401), the health check says so, and once
  the database is back they carry on: every push acknowledged is there
  once;
- import-sqlite moves a SQLite server's organisations over, checked by
  counts and digests, and desks carry on with their cursors;
- a password is refused on the command line, a readable --database-file
  too."""

import os
import stat
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ["TSU_BACKEND"] = "postgresql"
import tsusync  # noqa: E402
from tsusync import SERVER, Server, check, pg_cluster, run, uuid7  # noqa: E402

ROUNDS = int(os.environ.get("TSU_PG_ROUNDS", "100"))


def second_process(s):
    """Another server process on the same database."""
    other = Server.__new__(Server)
    other.__dict__.update(s.__dict__)
    other.proc = None
    other.port = None
    other.own_data = False
    other.log_path = os.path.join(s.data, "server2.log")
    return other.start()


def insert(dev, coll, fields):
    rid = uuid7()
    r = dev.push([dev.mutation("insert", coll, rid, fields=fields)])
    return rid, r["results"][0]


def test_two_processes_clashing_pushes():
    s = Server(extra=["--rate", "0"]).start()
    t = second_process(s)
    try:
        org = s.org_create("大牟田市民活動支援センター")
        a = s.enroll(org, "desk-a")
        b = s.enroll(org, "desk-b")
        b.server = t  # desk B talks to the other process
        gid, r = insert(a, "groups", {"name": "会", "name_kana": "カイ",
                                      "registration_number": "G-0", "registered_on": "2026-04-10",
                                      "valid_fiscal_year": 2026})
        check(r["status"] == "applied", r)
        pj, r = insert(a, "resources", {"kind": "item", "name": "プロジェクター",
                                        "status": "available"})
        check(r["status"] == "applied", r)
        vid, r = insert(a, "volunteers", {"family_name": "山田", "given_name": "花子",
                                          "family_kana": "ヤマダ", "given_kana": "ハナコ"})
        check(r["status"] == "applied", r)
        kinds = {"registration_number_taken": 0, "booking_conflict": 0, "match_overlap": 0}
        for rnd in range(ROUNDS):
            kind = rnd % 3
            if kind == 0:
                reason = "registration_number_taken"
                pair = [("groups", {"name": "会%d%s" % (rnd, x), "name_kana": "カイ",
                                    "registration_number": "R-%d" % rnd}) for x in "ab"]
            elif kind == 1:
                reason = "booking_conflict"
                # Within the group's registration (2026 年度, from 10 April).
                day = "2026-%02d-%02d" % (5 + rnd // 28 % 8, 1 + rnd % 28)
                pair = [("bookings", {"resource_id": pj, "group_id": gid, "state": "reserved",
                                      "start_at": day + "T10:00", "due_at": day + "T17:00"}),
                        ("bookings", {"resource_id": pj, "group_id": gid, "state": "reserved",
                                      "start_at": day + "T15:00", "due_at": day + "T18:00"})]
            else:
                reason = "match_overlap"
                day = "2028-%02d-%02d" % (1 + rnd // 28 % 12, 1 + rnd % 28)
                reqs = []
                for title in ("読み聞かせ", "清掃"):
                    rq, r = insert(a, "requests", {"title": title, "schedule": "once",
                                                   "date_from": day, "slot": "am"})
                    check(r["status"] == "applied", r)
                    reqs.append(rq)
                pair = [("matches", {"request_id": rq, "volunteer_id": vid, "state": "confirmed"})
                        for rq in reqs]
            barrier = threading.Barrier(2)
            results = [None, None]

            def push(i, dev, coll, fields):
                m = dev.mutation("insert", coll, uuid7(), fields=fields)
                barrier.wait(10)
                results[i] = dev.push([m])["results"][0]

            threads = [threading.Thread(target=push, args=(i, dev, *pair[i]))
                       for i, dev in enumerate((a, b))]
            for th in threads:
                th.start()
            for th in threads:
                th.join(30)
            check(all(r is not None for r in results), "a push did not answer: %r" % results)
            statuses = sorted(r["status"] for r in results)
            check(statuses == ["applied", "rejected"],
                  "round %d (%s): %r" % (rnd, reason, results))
            loser = next(r for r in results if r["status"] == "rejected")
            check(loser["reason"] == reason and loser.get("other_id"), loser)
            kinds[reason] += 1
        # Both processes see one and the same history.
        got_a = a.pull_all()
        got_b = b.pull_all()
        check([c["seq"] for c in got_a] == [c["seq"] for c in got_b], "the processes disagree")
        seqs = [c["seq"] for c in got_a]
        check(seqs == sorted(seqs) and len(set(seqs)) == len(seqs), "seqs out of order")
        print("# %d rounds on two processes, exactly one applied each: %r" % (ROUNDS, kinds))
    finally:
        t.kill()
        s.close()


def test_postgres_restart_under_load():
    cluster = pg_cluster()
    s = Server(extra=["--rate", "0"]).start()
    with s:
        org = s.org_create("A")
        dev = s.enroll(org, "a")
        acked = {}
        pending = []
        seen = {"503": 0, "retry_after": 0, "other": [], "pulls": 0}
        stop = threading.Event()

        def worker():
            while not stop.is_set():
                if not pending:
                    m = dev.mutation("insert", "groups", uuid7(), fields={"name": "負荷"})
                    pending.append(m)
                batch = list(pending[:5])
                try:
                    st, body, h = s.request("POST", "/v1/sync/push", {"mutations": batch},
                                            token=dev.token, timeout=20)
                except OSError as e:
                    seen["other"].append(repr(e))
                    return
                if st == 503:
                    seen["503"] += 1
                    if "Retry-After" in h:
                        seen["retry_after"] += 1
                    time.sleep(0.2)
                    continue
                if st != 200:
                    seen["other"].append((st, body))
                    return
                for r in body["results"]:
                    m = next(x for x in batch if x["seq"] == r["seq"])
                    acked[m["seq"]] = m["id"]
                    pending.remove(m)
                st, body, _ = s.request("GET", "/v1/sync/pull?limit=50", token=dev.token, timeout=20)
                if st == 200:
                    seen["pulls"] += 1
                elif st != 503:
                    seen["other"].append((st, body))
                    return

        th = threading.Thread(target=worker, daemon=True)
        th.start()
        time.sleep(1.0)
        before = len(acked)
        cluster.stop("fast")
        time.sleep(1.5)
        st, body, h = s.request("GET", "/v1/health")
        check(st == 503 and body["database"]["reachable"] is False and "Retry-After" in h,
              "health while the database is down: %d %r" % (st, body))
        down_503 = seen["503"]
        cluster.start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and len(acked) < before + 20:
            time.sleep(0.1)
        stop.set()
        th.join(30)
        check(not seen["other"], "unexpected answers: %r" % seen["other"][:3])
        check(down_503 > 0 and seen["retry_after"] == seen["503"],
              "no 503 with Retry-After while the database was down: %r" % seen)
        check(len(acked) >= before + 20, "pushes did not carry on: %d then %d" % (before, len(acked)))
        st, body, _ = s.request("GET", "/v1/health")
        check(st == 200 and body["database"]["reachable"], body)
        # Every acknowledged push is there, once.
        fresh = s.enroll(org, "check")
        got = [c["id"] for c in fresh.pull_all() if c["collection"] == "groups"]
        check(len(got) == len(set(got)), "a record is there twice")
        missing = set(acked.values()) - set(got)
        check(not missing, "acknowledged but lost: %d" % len(missing))
        print("# %d pushes acknowledged (%d before the restart), %d answers 503 with Retry-After,"
              " %d pulls" % (len(acked), before, seen["503"], seen["pulls"]))


def test_import_sqlite():
    cluster = pg_cluster()
    # A SQLite server with two organisations, a conflict, a deleted record.
    tsusync.BACKEND = "sqlite"
    try:
        old = Server(extra=["--rate", "0"]).start()
    finally:
        tsusync.BACKEND = "postgresql"
    with old:
        orgs = [old.org_create("東"), old.org_create("西")]
        devs = [old.enroll(o, "desk") for o in orgs]
        for d in devs:
            d.push([d.mutation("insert", "groups", uuid7(), fields={"name": "会%d" % i})
                    for i in range(30)])
        gone = uuid7()
        r = devs[0].push([devs[0].mutation("insert", "groups", gone, fields={"name": "消"})])
        rev = r["results"][0]["rev"]
        devs[0].push([devs[0].mutation("delete", "groups", gone, base_rev=rev)])
        for d in devs:
            d.pull_all()
        old.kill()
        dbname = cluster.new_database()
        url = cluster.conninfo(dbname)
        out = subprocess.run([SERVER, "migrate", "--database", url], capture_output=True, text=True)
        check(out.returncode == 0, out.stderr)
        out = subprocess.run([SERVER, "import-sqlite", "--data", old.data, "--database", url],
                             capture_output=True, text=True, timeout=120)
        check(out.returncode == 0, "import failed: %s" % out.stderr)
        check("counts and digests agree" in out.stdout and "31 records" in out.stdout, out.stdout)
        print("# " + out.stdout.strip().replace("\n", "\n# "))
        # Twice is refused, and leaves everything as it was.
        again = subprocess.run([SERVER, "import-sqlite", "--data", old.data, "--database", url],
                               capture_output=True, text=True, timeout=120)
        check(again.returncode != 0 and "nothing was imported" in again.stderr, again.stderr)
        # The desks carry on against PostgreSQL with their tokens and cursors.
        new = Server.__new__(Server)
        new.__dict__.update(old.__dict__)
        new.cluster = cluster
        new.dbname = dbname
        new.proc = None
        new.start()
        with new:
            for d in devs:
                d.server = new
                check(d.pull_all() == [], "a desk got changes it had")
                r = d.push([d.mutation("insert", "groups", uuid7(), fields={"name": "後"})])
                check(r["results"][0]["status"] == "applied", r)
            dup = devs[1].push([dict(devs[1].mutation("insert", "groups", uuid7(), fields={"name": "x"}),
                                     seq=1)])
            check(dup["results"][0]["status"] == "duplicate", dup)
            check(len(devs[0].pull_all()) == 1, "one new change")


def test_no_password_on_the_command_line():
    cluster = pg_cluster()
    url = "postgresql://tsunagu:secret@127.0.0.1:%d/postgres" % cluster.port
    out = subprocess.run([SERVER, "devices", "--database", url, uuid7()], capture_output=True,
                         text=True)
    check(out.returncode != 0 and "no password on the command line" in out.stderr, out.stderr)
    check("secret" not in out.stderr, "the password was printed")
    path = os.path.join(cluster.dir, "conn-%d" % os.getpid())
    with open(path, "w") as f:
        f.write("# the server's database\n%s\n" % cluster.conninfo(Server().dbname))
    os.chmod(path, 0o644)
    out = subprocess.run([SERVER, "org-create", "--database-file", path, "x"], capture_output=True,
                         text=True)
    check(out.returncode != 0 and "chmod 600" in out.stderr, out.stderr)
    os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    out = subprocess.run([SERVER, "org-create", "--database-file", path, "x"], capture_output=True,
                         text=True)
    check(out.returncode == 0 and len(out.stdout.strip()) == 36, out.stderr)


if __name__ == "__main__":
    ALL = [test_two_processes_clashing_pushes, test_postgres_restart_under_load, test_import_sqlite,
           test_no_password_on_the_command_line]
    only = os.environ.get("TSU_ONLY")
    run([t for t in ALL if not only or t.__name__ == only])
