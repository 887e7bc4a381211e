#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""tsunagu-server on PostgreSQL: numbers against a baseline of the same run.

    bench-pg.py --server PATH [--desks 1000] [--seconds 20] [--records 100000]
                [--processes 1,2,4] [--workers 4]

1. Simulated desks (each: push one new record, then pull from its cursor),
   spread over --orgs organisations (50: a prefecture's centres), against
   1, 2 and 4 server processes on one PostgreSQL, desk i sent to
   process i mod P as a load balancer would: requests/s and p95 latency;
   baseline: one process.
2. A first sync (every page, limit 5000) of --records records from
   PostgreSQL and from SQLite; baseline: SQLite.

A PostgreSQL of its own is started (tests/sync/tsusync.py); exits 77 when
PostgreSQL is not installed. The load comes from --workers processes on
the same machine: on 2 cores they compete with the servers and the
database, which the table of where the time goes says."""

import argparse
import hashlib
import http.client
import json
import multiprocessing
import os
import sqlite3
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "sync"))
os.environ["TSU_BACKEND"] = "postgresql"
import tsusync  # noqa: E402
from tsusync import Server, uuid7  # noqa: E402


def report(bench, figure, size, value, unit, baseline=None, baseline_value=None, goal=None,
           met=-1, spread=None):
    line = "%s: %s = %.2f %s" % (bench, figure, value, unit)
    rec = {"bench": bench, "figure": figure, "size": size, "value": value, "unit": unit}
    if baseline is not None:
        ratio = value / baseline_value if baseline_value else 0
        rec.update(baseline=baseline, baseline_value=baseline_value, ratio=ratio)
        line += " (%s %.2f, ratio %.2f×)" % (baseline, baseline_value, ratio)
    if goal:
        rec.update(goal=goal, met=met)
        line += " goal %s: %s" % (goal, {1: "met", 0: "NOT met"}.get(met, ""))
    if spread:
        rec["spread"] = spread
    print(line, flush=True)
    path = os.environ.get("TSU_BENCH_RESULTS")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


def p95(samples):
    s = sorted(samples)
    return s[max(0, int(len(s) * 0.95 + 0.5) - 1)] if s else float("nan")


def add_codes(s, org, n, prefix):
    """n one-time codes straight into the database (as enroll-code makes
    them: only the hash), instead of n admin commands."""
    codes = ["BENCH%s%06d" % (prefix, i) for i in range(n)]
    values = ",".join("('%s','%s','2026-01-01T00:00:00Z','2999-01-01T00:00:00Z')"
                      % (hashlib.sha256(c.encode()).hexdigest(), org) for c in codes)
    sql = "INSERT INTO enroll_codes (hash, org_id, created_at, expires_at) VALUES " + values
    if s.dbname is None:
        con = sqlite3.connect(os.path.join(s.data, "directory.sqlite3"))
        con.execute(sql)
        con.commit()
        con.close()
    else:
        s.cluster.sql(sql, s.dbname)
    return codes


TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open("/proc/%d/stat" % pid) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / TICKS
        except (OSError, IndexError, ValueError):
            pass
    return total


def postgres_pids():
    pids = []
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open("/proc/%s/cmdline" % d, "rb") as f:
                    if f.read().startswith(b"postgres"):
                        pids.append(int(d))
            except OSError:
                pass
    return pids


def desk_loop(args):
    """One load process: its desks in turn, for the given seconds."""
    ports, desks, seconds = args
    conns = {}
    lat = []
    errors = 0
    deadline = time.monotonic() + seconds
    i = 0
    while time.monotonic() < deadline:
        d = desks[i % len(desks)]
        i += 1
        port = ports[d["n"] % len(ports)]
        conn = conns.get(port) or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conns[port] = conn
        d["seq"] += 1
        body = json.dumps({"mutations": [{"seq": d["seq"], "collection": "groups", "id": uuid7(),
                                          "op": "insert", "base_rev": 0,
                                          "fields": {"name": "机 %d" % d["n"]}}]})
        for method, path, data in (("POST", "/v1/sync/push", body),
                                   ("GET", "/v1/sync/pull?limit=100"
                                    + ("&cursor=" + d["cursor"] if d["cursor"] else ""), None)):
            t0 = time.monotonic()
            try:
                conn.request(method, path, body=data,
                             headers={"Authorization": "Bearer " + d["token"],
                                      "Content-Type": "application/json"})
                resp = conn.getresponse()
                payload = resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conns.pop(port, None)
                errors += 1
                break
            lat.append((time.monotonic() - t0) * 1000)
            if resp.status != 200:
                errors += 1
                if method == "POST":
                    d["seq"] -= 1  # not taken: the same seq next time
                break
            if method == "GET":
                d["cursor"] = json.loads(payload)["next_cursor"]
    return lat, errors, desks


def throughput(server, n_desks, n_orgs, seconds, processes, workers, backend="postgresql"):
    """n_desks desks spread over n_orgs organisations (a prefecture's
    centres): writers of one organisation take turns, organisations not."""
    tsusync.BACKEND = backend
    try:
        s = Server(extra=["--rate", "0"])
    finally:
        tsusync.BACKEND = "postgresql"
    codes = []
    n_orgs = max(1, min(n_orgs, n_desks))
    for o in range(n_orgs):
        org = s.org_create("センター%d" % o)
        codes += add_codes(s, org, n_desks // n_orgs + (o < n_desks % n_orgs), "O%dX" % o)
    procs = []
    results = {}
    try:
        for p in range(max(processes)):
            t = Server.__new__(Server)
            t.__dict__.update(s.__dict__)
            t.proc = None
            t.port = None
            t.own_data = False
            t.log_path = os.path.join(s.data, "server%d.log" % p)
            # info, not debug: one log line per request would be the cost.
            t.extra = ["--rate", "0", "--log-level", "warning"]
            procs.append(t.start())
        desks = []
        for n, code in enumerate(codes):
            st, body, _ = procs[n % len(procs)].request(
                "POST", "/v1/enroll", {"code": code, "device_name": "机%d" % n})
            if st != 201:
                raise SystemExit("enrolment failed: %d %r" % (st, body))
            desks.append({"n": n, "token": body["token"], "seq": 0, "cursor": None})
        for p in processes:
            ports = [x.port for x in procs[:p]]
            chunks = [desks[w::workers] for w in range(workers)]
            servers = [x.proc.pid for x in procs[:p]]
            pg = postgres_pids() if backend == "postgresql" else []
            cpu0 = (cpu_seconds(servers), cpu_seconds(pg), os.times())
            with multiprocessing.Pool(workers) as pool:
                t0 = time.monotonic()
                out = pool.map(desk_loop, [(ports, c, seconds) for c in chunks])
                elapsed = time.monotonic() - t0
            pg = postgres_pids() if backend == "postgresql" else []
            t1 = os.times()
            # Where the time goes: share of the machine's cores.
            cores = os.cpu_count()
            share = [(cpu_seconds(servers) - cpu0[0]) / elapsed / cores * 100,
                     (cpu_seconds(pg) - cpu0[1]) / elapsed / cores * 100,
                     (t1.children_user + t1.children_system - cpu0[2].children_user
                      - cpu0[2].children_system) / elapsed / cores * 100]
            print("# %d process(es): CPU of %d cores: servers %.0f%%, PostgreSQL %.0f%%,"
                  " load generator %.0f%%" % (p, cores, *share), flush=True)
            lat = [x for o in out for x in o[0]]
            errors = sum(o[1] for o in out)
            results[p] = (len(lat) / elapsed, p95(lat), errors, share)
            print("# %d process(es): %d requests in %.1f s, %.0f req/s, p95 %.1f ms, %d errors"
                  % (p, len(lat), elapsed, results[p][0], results[p][1], errors), flush=True)
            # The next round goes on from where the desks are (seq, cursor).
            desks = [d for o in out for d in o[2]]
    finally:
        for t in procs:
            t.kill()
        s.close()
    return results


def load_and_pull(backend, n):
    tsusync.BACKEND = backend
    try:
        s = Server(extra=["--rate", "0", "--log-level", "warning"]).start()
    finally:
        tsusync.BACKEND = "postgresql"
    with s:
        org = s.org_create("大")
        writer = s.enroll(org, "writer")
        for start in range(0, n, 500):
            batch = [writer.mutation("insert", "groups", uuid7(),
                                     fields={"name": "団体 %d" % i, "name_kana": "ダンタイ",
                                             "rep_family_name": "代表",
                                             "purpose": "地域の子どもに読み聞かせ %d" % i,
                                             "address": "大牟田市有明町2丁目3番地"})
                     for i in range(start, min(n, start + 500))]
            # Long waits allowed: on shared cores a push of 500 may take seconds.
            st, body, _ = s.request("POST", "/v1/sync/push", {"mutations": batch},
                                    token=writer.token, timeout=600)
            if st != 200 or any(r["status"] != "applied" for r in body["results"]):
                raise SystemExit("%s: loading failed: %d" % (backend, st))
        reader = s.enroll(org, "reader")
        t0 = time.monotonic()
        got = reader.pull_all(limit=5000, timeout=600)
        elapsed = time.monotonic() - t0
        if len(got) != n:
            raise SystemExit("%s: pulled %d of %d" % (backend, len(got), n))
        return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    ap.add_argument("--desks", type=int, default=1000)
    ap.add_argument("--orgs", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=20)
    ap.add_argument("--records", type=int, default=100000)
    ap.add_argument("--processes", default="1,2,4")
    ap.add_argument("--workers", type=int, default=8)
    a = ap.parse_args()
    tsusync.SERVER = a.server
    processes = [int(x) for x in a.processes.split(",") if x]

    res = (throughput(a.server, a.desks, a.orgs, a.seconds, processes, a.workers)
           if processes else {})
    base = res[processes[0]] if processes else None
    if processes:
        # The same load on the SQLite backend (one process, its only way).
        lite = throughput(a.server, a.desks, a.orgs, a.seconds, [1], a.workers, "sqlite")[1]
        report("sync-pg", "requests/s, SQLite, 1 process", a.desks, lite[0], "req/s")
        report("sync-pg", "p95 latency, SQLite, 1 process", a.desks, lite[1], "ms")
        report("sync-pg", "requests/s, PostgreSQL 1 process vs SQLite", a.desks, base[0], "req/s",
               "SQLite", lite[0])
    for p in processes:
        rps, lat95, errors, share = res[p]
        if p == processes[0]:
            report("sync-pg", "requests/s, %d process" % p, a.desks, rps, "req/s")
        else:
            report("sync-pg", "requests/s, %d processes" % p, a.desks, rps, "req/s",
                   "1 process", base[0], goal="≥ 1.6× with 2" if p == 2 else None,
                   met=(1 if rps >= 1.6 * base[0] else 0) if p == 2 else -1)
        report("sync-pg", "p95 latency, %d process%s" % (p, "" if p == 1 else "es"), a.desks,
               lat95, "ms", spread="%d errors" % errors if errors else None)
        report("sync-pg", "CPU busy (servers + PostgreSQL + load), %d process%s"
               % (p, "" if p == 1 else "es"), a.desks, sum(share), "%",
               spread="servers %.0f%%, PostgreSQL %.0f%%, load %.0f%%" % tuple(share))

    t_sqlite = load_and_pull("sqlite", a.records)
    t_pg = load_and_pull("postgresql", a.records)
    report("sync-pg", "first sync, PostgreSQL", a.records, t_pg * 1000, "ms", "SQLite",
           t_sqlite * 1000)


if __name__ == "__main__":
    main()
