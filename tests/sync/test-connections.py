#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Connections that end in every way a network makes them end: port-scanner
probes, silent and trickling clients, thousands of short requests. The
server stays up, keeps answering, logs no critical and holds a bounded
number of descriptors (no socket left in CLOSE-WAIT).

TSU_CONN_SECONDS sets how long the silent and trickling clients stay (20 s
by default; the issue's long version is 90: TSU_CONN_SECONDS=90)."""

import http.client
import os
import resource
import selectors
import socket
import time

from tsusync import Server, check, run

SECONDS = int(os.environ.get("TSU_CONN_SECONDS", "12"))


def raise_fd_limit(need):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < need:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


def fd_count(pid):
    return len(os.listdir("/proc/%d/fd" % pid))


def close_wait(port):
    """Sockets in CLOSE-WAIT whose local port is the server's."""
    n = 0
    for name in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    parts = line.split()
                    local, state = parts[1], parts[3]
                    if state == "08" and int(local.rsplit(":", 1)[1], 16) == port:
                        n += 1
        except FileNotFoundError:
            pass
    return n


def log_problems(s):
    """Lines a healthy server never writes: GLib criticals and warnings."""
    return [l for l in s.log().decode(errors="replace").splitlines()
            if "CRITICAL" in l or "WARNING **" in l or "assertion" in l or "ERROR" in l]


def health(s, timeout=10):
    st, body, _ = s.request("GET", "/v1/health", timeout=timeout)
    return st == 200 and body and body.get("status") == "ok"


def test_probes_silent_and_trickling_connections():
    raise_fd_limit(2000)
    with Server(extra=["--request-timeout", "5"]).start() as s:
        fd0 = fd_count(s.proc.pid)
        # 1,000 connect-and-close probes, as a port scanner or a TCP health
        # check makes them; half of them reset instead of closing.
        for i in range(1000):
            c = socket.create_connection(("127.0.0.1", s.port), timeout=5)
            if i % 2:
                c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            c.close()
        check(health(s), "no health answer after the probes")

        sel = selectors.DefaultSelector()
        trickle = b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 4000
        conns = {}  # socket → [kind, bytes sent]
        reopened = {"silent": 0, "trickle": 0}

        def open_one(kind):
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.setblocking(False)
            try:
                c.connect(("127.0.0.1", s.port))
            except BlockingIOError:
                pass
            conns[c] = [kind, 0]
            sel.register(c, selectors.EVENT_READ)

        def drop(c):
            sel.unregister(c)
            kind = conns.pop(c)[0]
            c.close()
            return kind

        for _ in range(300):
            open_one("silent")
            open_one("trickle")
        checks = 0
        peak_fds = 0
        end = time.monotonic() + SECONDS
        next_byte = time.monotonic()
        while time.monotonic() < end:
            # Closed by the server (past its deadlines): open another.
            for key, _ in sel.select(timeout=0.2):
                c = key.fileobj
                try:
                    data = c.recv(4096)
                except OSError:
                    data = b""
                if not data:
                    kind = drop(c)
                    reopened[kind] += 1
                    open_one(kind)
            if time.monotonic() >= next_byte:
                next_byte += 1
                for c, st in list(conns.items()):
                    if st[0] == "trickle" and st[1] < len(trickle):
                        try:
                            c.send(trickle[st[1]:st[1] + 1])
                            st[1] += 1
                        except (BlockingIOError, InterruptedError):
                            pass
                        except OSError:
                            drop(c)
                            reopened["trickle"] += 1
                            open_one("trickle")
                check(s.alive(), "the server died with %d connections open" % len(conns))
                check(health(s), "no health answer while %d connections are open" % len(conns))
                checks += 1
                peak_fds = max(peak_fds, fd_count(s.proc.pid))
        for c in list(conns):
            drop(c)
        sel.close()
        print("# %d s, %d health checks answered, peak %d fds (%d at start), reopened after the "
              "server closed them: %r" % (SECONDS, checks, peak_fds, fd0, reopened))
        check(s.alive(), "the server died")
        check(health(s), "no health answer at the end")
        # Everything the clients opened is given back once they are gone.
        for _ in range(50):
            if fd_count(s.proc.pid) <= fd0 + 5 and close_wait(s.port) == 0:
                break
            time.sleep(0.2)
        fds, cw = fd_count(s.proc.pid), close_wait(s.port)
        print("# after: %d fds, %d CLOSE-WAIT" % (fds, cw))
        check(fds <= fd0 + 5, "%d descriptors held after the clients left (%d before)" % (fds, fd0))
        check(cw == 0, "%d sockets left in CLOSE-WAIT" % cw)
        problems = log_problems(s)
        check(not problems, "the log has %d problem lines, first: %s" % (len(problems), problems[:3]))


def raw_request(port, text, read=True):
    c = socket.create_connection(("127.0.0.1", port), timeout=10)
    try:
        c.sendall(text)
        data = b""
        if read:
            while True:
                chunk = c.recv(65536)
                if not chunk:
                    break
                data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                if b"\r\n\r\n" in data and b"Content-Length:" in head:
                    length = int(head.split(b"Content-Length:")[1].split(b"\r\n")[0])
                    if len(body) >= length:
                        break
        return data
    finally:
        c.close()


def test_sequential_requests_leave_no_descriptors():
    with Server(extra=["--rate", "0"]).start() as s:
        org = s.org_create("A")
        dev = s.enroll(org, "a")
        for _ in range(3):
            check(health(s), "no health answer")
        fd0, cw0 = fd_count(s.proc.pid), close_wait(s.port)
        kinds = {}
        for i in range(3000):
            kind = i % 6
            if kind == 0:
                # One request per connection, the client closes once it has
                # the answer (curl's way).
                c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
                c.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n")
                check(b" 200 " in c.recv(4096).split(b"\r\n")[0], "health")
                c.close()
            elif kind == 1:
                # The client asks for the connection to be closed.
                data = raw_request(s.port, b"GET /v1/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                check(b" 200 " in data.split(b"\r\n")[0], data[:80])
            elif kind == 2:
                # HTTP/1.0.
                data = raw_request(s.port, b"GET /v1/health HTTP/1.0\r\n\r\n")
                check(b" 200 " in data.split(b"\r\n")[0], data[:80])
            elif kind == 3:
                # A keep-alive client doing three requests, then closing.
                conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
                for path in ("/v1/whoami", "/v1/sync/pull?limit=10", "/v1/whoami"):
                    conn.request("GET", path, headers={"Authorization": "Bearer " + dev.token})
                    r = conn.getresponse()
                    r.read()
                    check(r.status == 200, r.status)
                conn.close()
            elif kind == 4:
                # A refused request (no token) and a refusal before the body.
                st, _, _ = s.request("GET", "/v1/whoami")
                check(st == 401, st)
            else:
                st, _, _ = s.request("POST", "/v1/sync/push", b'{"mutations":[]}', token="tsu1_x")
                check(st == 401, st)
            kinds[kind] = kinds.get(kind, 0) + 1
        for _ in range(50):
            if fd_count(s.proc.pid) <= fd0 + 5 and close_wait(s.port) == 0:
                break
            time.sleep(0.2)
        fds, cw = fd_count(s.proc.pid), close_wait(s.port)
        print("# 3000 requests: %d fds before, %d after; CLOSE-WAIT %d before, %d after"
              % (fd0, fds, cw0, cw))
        check(fds <= fd0 + 5, "%d descriptors after 3000 requests (%d before)" % (fds, fd0))
        check(cw == 0, "%d sockets in CLOSE-WAIT" % cw)
        check(health(s), "no health answer at the end")


if __name__ == "__main__":
    run([test_probes_silent_and_trickling_connections, test_sequential_requests_leave_no_descriptors])
