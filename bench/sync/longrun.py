#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The long run: many mixed clients on one tsunagu-server for a long time.

    bench/sync/longrun.py --server build-rel/src/server/tsunagu-server \\
        [--minutes 30] [--clients 1000] [--records 5000] [--report-seconds 60]

Clients, in these shares of --clients:
  40 % polling desks   real enrolled tokens; pull from their cursor every
                       ~5 s, push 1-5 changes every fifth poll
  15 % port scanners   connect and close (half of them with a reset)
  15 % slow readers    pull a full page (limit=5000) through a 16 KiB
                       receive buffer, reading 8 KiB a second
  15 % silent          connect and send nothing; open again when closed
  15 % bad requests    garbage, wrong tokens, broken framing, wrong codes

Every report interval it prints the server's RSS, descriptors, sockets in
CLOSE-WAIT, the desks' requests and p95 latency, and counts of errors.
Desk errors are failures a desk would see (a connection that fails, a
status other than 200 / 429 / 503); 429 and 503 (+ Retry-After) count as
"busy". With --check it exits 1 unless the run stayed within bounds
(server alive, no desk error, no critical in the log, descriptors and
CLOSE-WAIT back to the baseline at the end, RSS bounded during and after):
that is the suite's sync-longrun-smoke. Latencies are printed, never
checked."""

import argparse
import asyncio
import json
import os
import random
import resource
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "sync"))

from tsusync import Server, sanitized, uuid7  # noqa: E402


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def close_wait(port):
    n = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    if parts[3] == "08" and int(parts[1].rsplit(":", 1)[1], 16) == port:
                        n += 1
        except FileNotFoundError:
            pass
    return n


def p95(values):
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * 0.95))]


class Stats:
    def __init__(self):
        self.reset()
        self.total_desk_errors = 0
        self.error_samples = []

    def reset(self):
        self.desk_latency = []
        self.desk_errors = 0
        self.desk_timeouts = 0
        self.busy = 0
        self.pushed = 0
        self.scans = 0
        self.slow_pages = 0
        self.slow_busy = 0
        self.bad = {}
        self.silent_closed = 0

    def desk_error(self, what):
        self.desk_errors += 1
        self.total_desk_errors += 1
        if len(self.error_samples) < 10:
            self.error_samples.append(what)


async def http(port, method, path, body=None, token=None, timeout=30, rcvbuf=None, rate=None):
    """One request on its own connection; returns (status, headers, body).
    With rate (bytes a second) the body is read that slowly and dropped."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", port)), timeout)
        head = "%s %s HTTP/1.1\r\nHost: x\r\n" % (method, path)
        if token:
            head += "Authorization: Bearer %s\r\n" % token
        data = b""
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            head += "Content-Type: application/json\r\nContent-Length: %d\r\n" % len(data)
        await asyncio.wait_for(loop.sock_sendall(sock, head.encode() + b"\r\n" + data), timeout)
        buf = bytearray()
        dropped = 0
        deadline = time.monotonic() + timeout
        length = None
        hdr_end = -1
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("response too slow")
            chunk = await asyncio.wait_for(loop.sock_recv(sock, rate or 262144), left)
            if not chunk:
                break
            buf += chunk
            if hdr_end < 0:
                hdr_end = buf.find(b"\r\n\r\n")
                if hdr_end >= 0:
                    for line in bytes(buf[:hdr_end]).split(b"\r\n")[1:]:
                        k, _, v = line.partition(b":")
                        if k.strip().lower() == b"content-length":
                            length = int(v)
            if hdr_end >= 0 and length is not None and dropped + len(buf) - hdr_end - 4 >= length:
                break
            if rate:
                if hdr_end >= 0 and len(buf) > hdr_end + 4:
                    dropped += len(buf) - hdr_end - 4
                    del buf[hdr_end + 4:]
                await asyncio.sleep(1)
        if hdr_end < 0:
            raise ConnectionError("no answer")
        status = int(bytes(buf[:20]).split(b" ", 2)[1])
        headers = {}
        for line in bytes(buf[:hdr_end]).split(b"\r\n")[1:]:
            k, _, v = line.partition(b":")
            headers[k.strip().lower().decode()] = v.strip().decode()
        return status, headers, bytes(buf[hdr_end + 4:])
    finally:
        sock.close()


class Run:
    def __init__(self, args, server):
        self.args = args
        self.s = server
        self.port = server.port
        self.stats = Stats()
        self.stop = False

    async def desk(self, token, ids, cursor):
        seq = 0
        polls = 0
        await asyncio.sleep(random.uniform(0, 5))
        while not self.stop:
            polls += 1
            try:
                if polls % 5 == 0:
                    muts = []
                    for _ in range(random.randint(1, 5)):
                        seq += 1
                        if ids and random.random() < 0.5:
                            rid = random.choice(ids)
                            muts.append({"seq": seq, "collection": "groups", "id": rid, "op": "update",
                                         "base_rev": 1, "fields": {"phone": "0944-%04d" % seq}, "old": {}})
                        else:
                            rid = uuid7()
                            ids.append(rid)
                            muts.append({"seq": seq, "collection": "groups", "id": rid, "op": "insert",
                                         "base_rev": 0, "fields": {"name": "団体 %d" % seq}})
                    t0 = time.monotonic()
                    st, h, body = await http(self.port, "POST", "/v1/sync/push", {"mutations": muts}, token,
                                             timeout=60)
                    dt = time.monotonic() - t0
                    if st == 200:
                        self.stats.pushed += len(muts)
                    else:
                        seq -= len(muts)  # sent again next time, as a desk does
                        del ids[len(ids) - sum(1 for m in muts if m["op"] == "insert"):]
                else:
                    q = "/v1/sync/pull?limit=1000" + ("&cursor=" + cursor if cursor else "")
                    t0 = time.monotonic()
                    st, h, body = await http(self.port, "GET", q, token=token, timeout=60)
                    dt = time.monotonic() - t0
                    if st == 200:
                        page = json.loads(body)
                        cursor = page["next_cursor"]
                if st == 409 and polls % 5 == 0:
                    # A push whose answer was lost (a timeout) left a gap:
                    # push again from where the server stands, as a desk does.
                    seq = json.loads(body)["expected_seq"] - 1
                    self.stats.desk_latency.append(dt)
                elif st == 200:
                    self.stats.desk_latency.append(dt)
                elif st in (429, 503):
                    self.stats.busy += 1
                    await asyncio.sleep(min(30, int(h.get("retry-after", "1"))))
                    continue
                else:
                    self.stats.desk_error("status %d: %s" % (st, body[:100]))
            except (asyncio.TimeoutError, TimeoutError):
                # Slowness is printed, never judged: the machine may be busy.
                self.stats.desk_timeouts += 1
            except (OSError, ConnectionError, ValueError) as e:
                self.stats.desk_error("%s: %s" % (type(e).__name__, e))
            await asyncio.sleep(random.uniform(4, 6))

    async def scanner(self, i):
        loop = asyncio.get_running_loop()
        while not self.stop:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", self.port)), 10)
                if i % 2:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
                self.stats.scans += 1
            except (OSError, asyncio.TimeoutError):
                pass
            finally:
                sock.close()
            await asyncio.sleep(random.uniform(1, 3))

    async def slow_reader(self, token):
        await asyncio.sleep(random.uniform(0, 10))
        while not self.stop:
            try:
                st, h, _ = await http(self.port, "GET", "/v1/sync/pull?limit=5000", token=token,
                                      timeout=900, rcvbuf=16384, rate=8192)
                if st == 200:
                    self.stats.slow_pages += 1
                else:
                    self.stats.slow_busy += 1
                    await asyncio.sleep(int(h.get("retry-after", "2")))
            except (OSError, asyncio.TimeoutError, TimeoutError, ConnectionError, ValueError):
                pass
            await asyncio.sleep(random.uniform(1, 5))

    async def silent(self):
        loop = asyncio.get_running_loop()
        while not self.stop:
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            try:
                await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", self.port)), 10)
                while not self.stop:
                    try:
                        chunk = await asyncio.wait_for(loop.sock_recv(sock, 1024), 1)
                    except asyncio.TimeoutError:
                        continue
                    if not chunk:
                        self.stats.silent_closed += 1
                        break
            except (OSError, asyncio.TimeoutError):
                await asyncio.sleep(1)
            finally:
                sock.close()

    BAD = [
        b"GARBAGE\r\n\r\n",
        b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer tsu1_forged\r\n\r\n",
        b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{]",
        b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: 46\r\n\r\n"
        b'{"code":"AAAA-BBBB-CCCC","device_name":"bad"}',
        b"GET /v1/health%00 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n[[[[[\r\n",
        b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
        b"DELETE /v1/health HTTP/1.1\r\nHost: x\r\n\r\n",
    ]

    async def bad(self, token):
        loop = asyncio.get_running_loop()
        while not self.stop:
            data = random.choice(self.BAD)
            if random.random() < 0.2:
                body = b'{"mutations":[' + b"[" * 1000 + b"]}"
                data = (b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                        b"Content-Length: %d\r\n\r\n" % (token.encode(), len(body))) + body
            sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            sock.setblocking(False)
            key = "closed"
            try:
                await asyncio.wait_for(loop.sock_connect(sock, ("127.0.0.1", self.port)), 10)
                await asyncio.wait_for(loop.sock_sendall(sock, data), 10)
                out = await asyncio.wait_for(loop.sock_recv(sock, 4096), 30)
                if out.startswith(b"HTTP/"):
                    key = out.split(b" ", 2)[1].decode()
            except (OSError, asyncio.TimeoutError):
                key = "reset"
            finally:
                sock.close()
            self.stats.bad[key] = self.stats.bad.get(key, 0) + 1
            await asyncio.sleep(random.uniform(0.5, 1.5))


def setup(args):
    s = Server(extra=["--log-level", "info"]).start()
    org = s.org_create("長期試験")
    n = max(1, args.clients)
    shares = {"desk": 0.40, "scanner": 0.15, "slow": 0.15, "silent": 0.15}
    counts = {k: max(1, int(n * v)) for k, v in shares.items()}
    counts["bad"] = max(1, n - sum(counts.values()))
    seeder = s.enroll(org, "seed")
    ids = []
    for start in range(0, args.records, 500):
        muts = []
        for _ in range(min(500, args.records - start)):
            rid = uuid7()
            ids.append(rid)
            muts.append(seeder.mutation("insert", "groups", rid, fields={
                "name": "団体 %d" % len(ids), "purpose": "市民活動の記録 " * 20}))
        seeder.push(muts)
    tokens = [s.enroll(org, "desk %d" % i).token for i in range(counts["desk"])]
    # Desks poll from the head, as desks that have synced before: their
    # latency is that of polling, not of 400 first syncs at once.
    seeder.pull_all(limit=5000)
    return s, counts, tokens, ids, seeder.cursor


async def main_async(args, s, counts, tokens, ids, head):
    run = Run(args, s)
    pid = s.proc.pid
    tasks = []
    for t in tokens:
        tasks.append(asyncio.create_task(run.desk(t, list(ids[:50]), head)))
    for i in range(counts["scanner"]):
        tasks.append(asyncio.create_task(run.scanner(i)))
    for i in range(counts["slow"]):
        tasks.append(asyncio.create_task(run.slow_reader(tokens[i % len(tokens)])))
    for _ in range(counts["silent"]):
        tasks.append(asyncio.create_task(run.silent()))
    for i in range(counts["bad"]):
        tasks.append(asyncio.create_task(run.bad(tokens[i % len(tokens)])))
    print("clients: %s" % ", ".join("%d %s" % (v, k) for k, v in counts.items()))
    print("%6s %8s %6s %7s %5s %5s %8s %9s %8s %7s %6s %7s %6s %6s %7s %s" % (
        "time", "rss_mib", "fds", "cl_wait", "cpu%", "cli%", "desk_req", "p95_ms", "desk_err", "timeout", "busy",
        "pushed", "scans", "pages", "silent", "bad answers"))
    samples = []
    alive = True
    t_start = time.monotonic()
    end = t_start + args.minutes * 60
    next_report = t_start + args.report_seconds
    cpu0, t_cpu0 = cpu_seconds(pid), time.monotonic()
    cli0 = resource.getrusage(resource.RUSAGE_SELF)
    cli0 = cli0.ru_utime + cli0.ru_stime
    while time.monotonic() < end:
        await asyncio.sleep(max(0.1, min(next_report, end) - time.monotonic()))
        if not s.alive():
            alive = False
            print("the server died")
            break
        if time.monotonic() >= next_report or time.monotonic() >= end:
            next_report += args.report_seconds
            st = run.stats
            sample = (rss_mib(pid), fd_count(pid), close_wait(s.port))
            samples.append(sample)
            cpu1, t_cpu1 = cpu_seconds(pid), time.monotonic()
            cpu = 100 * (cpu1 - cpu0) / max(0.001, t_cpu1 - t_cpu0)
            cli1 = resource.getrusage(resource.RUSAGE_SELF)
            cli1 = cli1.ru_utime + cli1.ru_stime
            cli = 100 * (cli1 - cli0) / max(0.001, t_cpu1 - t_cpu0)
            cpu0, t_cpu0, cli0 = cpu1, t_cpu1, cli1
            print("%5.0fs %8.1f %6d %7d %5.0f %5.0f %8d %9.1f %8d %7d %6d %7d %6d %6d %7d %s" % (
                time.monotonic() - t_start, sample[0], sample[1], sample[2], cpu, cli, len(st.desk_latency),
                p95(st.desk_latency) * 1000, st.desk_errors, st.desk_timeouts, st.busy + st.slow_busy, st.pushed,
                st.scans, st.slow_pages, st.silent_closed,
                " ".join("%s:%d" % kv for kv in sorted(st.bad.items()))))
            sys.stdout.flush()
            st.reset()
    run.stop = True
    for t in tasks:
        t.cancel()
    # Bounded: a client stuck in a blocking call must not hold the run
    # (the suite's smoke run once hung here past its timeout).
    await asyncio.wait(tasks, timeout=20)
    return alive, samples, run.stats


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--server", required=True, help="tsunagu-server binary")
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--clients", type=int, default=1000)
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--report-seconds", type=float, default=60)
    ap.add_argument("--check", action="store_true", help="exit 1 unless the run stayed within bounds")
    args = ap.parse_args()
    os.environ["TSU_SERVER"] = args.server
    import tsusync
    tsusync.SERVER = args.server

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, max(soft, 4 * args.clients + 256)), hard))

    s, counts, tokens, ids, head = setup(args)
    problems = []
    try:
        pid = s.proc.pid
        base = (rss_mib(pid), fd_count(pid))
        print("server pid %d, %d records, baseline RSS %.1f MiB, %d fds" % (pid, len(ids), base[0], base[1]))
        alive, samples, stats = asyncio.run(main_async(args, s, counts, tokens, ids, head))
        if not alive:
            problems.append("the server died")
        else:
            # Everything given back once the clients are gone.
            for _ in range(100):
                fds, cw = fd_count(pid), close_wait(s.port)
                if fds <= base[1] + 5 and cw == 0:
                    break
                time.sleep(0.2)
            rss = rss_mib(pid)
            for _ in range(50):
                rss = rss_mib(pid)
                if rss <= base[0] + 40:
                    break
                time.sleep(0.2)
            st, _, _ = s.request("GET", "/v1/health")
            print("after: RSS %.1f MiB, %d fds, %d CLOSE-WAIT, health %d" % (rss, fds, cw, st))
            peak = max(x[0] for x in samples) if samples else 0
            print("peak RSS %.1f MiB (baseline %.1f), peak fds %d" % (
                peak, base[0], max(x[1] for x in samples) if samples else 0))
            if st != 200:
                problems.append("no health answer at the end")
            if fds > base[1] + 5:
                problems.append("%d fds after the run (%d before)" % (fds, base[1]))
            if cw:
                problems.append("%d sockets in CLOSE-WAIT after the run" % cw)
            if sanitized(pid):
                print("RSS bounds not judged under AddressSanitizer")
            else:
                if peak > base[0] + 64 + 32 + 200:
                    problems.append("RSS reached %.0f MiB" % peak)
                if rss > base[0] + 40:
                    problems.append("RSS stayed at %.0f MiB" % rss)
        if stats.total_desk_errors:
            problems.append("%d desk errors, e.g. %s" % (stats.total_desk_errors, stats.error_samples[:3]))
        log = s.log().decode(errors="replace").splitlines()
        bad_lines = [l for l in log if "CRITICAL" in l or "WARNING **" in l or "ERROR:" in l]
        if bad_lines:
            problems.append("%d problem lines in the log, first: %s" % (len(bad_lines), bad_lines[0]))
    finally:
        s.close()
    for p in problems:
        print("problem: " + p)
    if args.check:
        print("%d passed, %d failed" % (0 if problems else 1, 1 if problems else 0))
        sys.stdout.flush()
        # Not sys.exit: it would wait for any client thread still blocked.
        os._exit(1 if problems else 0)


if __name__ == "__main__":
    main()
