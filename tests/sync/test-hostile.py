#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Hostile input: a fast 4xx, bounded memory, and the server keeps serving."""

import json
import os
import socket
import threading
import time

from tsusync import Server, check, run, uuid7

PUSH = "/v1/sync/push"


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def start():
    s = Server(extra=["--rate", "0", "--request-timeout", "2"]).start()
    org = s.org_create("A")
    return s, s.enroll(org, "a")


def push_raw(s, dev, body):
    return s.request("POST", PUSH, body, token=dev.token)


def insert_body(field_json):
    return ('{"mutations":[{"seq":1,"collection":"groups","id":"%s","op":"insert","base_rev":0,'
            '"fields":{%s}}]}' % (uuid7(), field_json)).encode()


def raw_exchange(s, head, body_len, send_body=b"", timeout=10):
    """Sends headers and part of a body on a raw socket; returns the status line."""
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    try:
        sock.sendall(head.encode() + b"Content-Length: %d\r\n\r\n" % body_len)
        try:
            sock.sendall(send_body)
        except OSError:
            pass
        data = b""
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                break
            data += chunk
        return data.split(b"\r\n", 1)[0].decode(errors="replace")
    finally:
        sock.close()


def test_hostile_bodies_get_fast_4xx():
    s, dev = start()
    with s:
        rss0 = rss_kib(s.proc.pid)
        cases = [
            (b"[" * 100000, 400, "too_deep"),
            (b"{\"mutations\":" + b"[" * 100000 + b"]" * 100000 + b"}", 400, "too_deep"),
            (insert_body('"name":"\xff\xfe"'.encode("latin-1").decode("latin-1")).replace(b"\xc3\xbf\xc3\xbe", b"\xff\xfe"), 400, "bad_encoding"),
            (insert_body('"name":"\\ud800"'), 400, "bad_encoding"),
            (insert_body('"name":"\\udc00x"'), 400, "bad_encoding"),
            (insert_body('"members_total":1e400'), 400, "bad_number"),
            (insert_body('"members_total":9223372036854775808'), 400, "bad_number"),
            (insert_body('"members_total":-9223372036854775809'), 400, "bad_number"),
            (insert_body('"name":"a","name":"b"'), 400, "duplicate_key"),
            (insert_body('"name":"a","n\\u0061me":"b"'), 400, "duplicate_key"),
            (insert_body('"name":"' + "あ" * 30000 + '"'), 400, "string_too_long"),
            (b'{"mutations":[' + b",".join(b'{"seq":%d,"collection":"groups","id":"x","op":"insert","base_rev":0}' % i
                                         for i in range(1, 600)) + b"]}", 400, "too_many_values"),
            (b"", 400, "bad_json"),
            (b"\xef\xbb\xbf{}", 400, "bad_json"),
            (b'{"mutations":[]}', 400, None),
            (b'{"mutations":[{"seq":"1"}]}', 400, None),
            (b'{"mutations":"x"}', 400, None),
            (b"null", 400, None),
        ]
        for body, status, code in cases:
            t0 = time.monotonic()
            st, resp, _ = push_raw(s, dev, body)
            dt = time.monotonic() - t0
            check(st == status, "%r… → %d %r" % (body[:40], st, resp))
            if code:
                check(resp and resp["error"] == code, "%r… → %r" % (body[:40], resp))
            print("# %-28s %d in %.1f ms" % ((code or "shape"), st, dt * 1000))
        # 2^63 - 1 parses; as a member count it is out of range: a clear
        # rejection naming the field, not a crash.
        st, resp, _ = push_raw(s, dev, insert_body('"members_total":9223372036854775807'))
        check(st == 200 and resp["results"][0]["status"] == "rejected"
              and resp["results"][0]["reason"] == "invalid_value"
              and resp["results"][0]["field"] == "members_total", resp)
        # 5 MiB: refused from the headers, before a byte of the body is read
        # (the test sends none: the answer comes without it).
        t0 = time.monotonic()
        line = raw_exchange(s, "POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n" % (PUSH, dev.token),
                            5 * 1024 * 1024)
        check(" 413 " in line, line)
        print("# 5 MiB body → %s in %.1f ms" % (line, (time.monotonic() - t0) * 1000))
        # A GET with a huge body is refused the same way.
        line = raw_exchange(s, "GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n" % dev.token,
                            512 * 1024 * 1024)
        check(" 413 " in line, line)
        # Chunked bodies have no length to check: refused.
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
        sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Transfer-Encoding: chunked\r\n\r\n5\r\n[[[[[\r\n" % (PUSH, dev.token)).encode())
        line = sock.recv(4096).split(b"\r\n")[0].decode()
        sock.close()
        check(" 411 " in line, line)
        check(s.alive(), "server died")
        rss1 = rss_kib(s.proc.pid)
        print("# RSS %d KiB → %d KiB" % (rss0, rss1))
        check(rss1 - rss0 < 64 * 1024, "memory grew by %d KiB" % (rss1 - rss0))
        check(s.request("GET", "/v1/health")[0] == 200, "server stopped serving")


def test_slow_client_does_not_block_others():
    s, dev = start()
    with s:
        sock = socket.create_connection(("127.0.0.1", s.port), timeout=20)
        sock.sendall(("POST %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n"
                      "Content-Length: 1000\r\n\r\n{\"mut" % (PUSH, dev.token)).encode())
        closed = threading.Event()

        def trickle():
            try:
                for _ in range(40):
                    sock.sendall(b" ")
                    time.sleep(0.25)
            except OSError:
                pass
            closed.set()

        t = threading.Thread(target=trickle, daemon=True)
        t.start()
        # Others are served meanwhile.
        for i in range(20):
            t0 = time.monotonic()
            st, _, _ = s.request("GET", "/v1/whoami", token=dev.token, timeout=5)
            check(st == 200, st)
        seq = dev.seq
        r = dev.push([dev.mutation("insert", "groups", uuid7(), fields={"name": "ok"})])
        check(r["results"][0]["status"] == "applied", r)
        # The trickler is cut off after the request timeout (2 s here).
        check(closed.wait(15), "the slow connection was never closed")
        t.join(5)
        sock.close()
        check(s.alive(), "server died")


def raw_answer(s, data, timeout=10):
    """Sends raw bytes; returns (status, JSON body or None, raw) once the
    server has answered and closed, or (None, None, error) if it did not answer."""
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=timeout)
    out = b""
    try:
        sock.sendall(data)
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                break
            out += chunk
    except OSError as e:
        if not out:
            return None, None, e
    finally:
        sock.close()
    if not out:
        return None, None, b"(closed without an answer)"
    head, _, body = out.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    check(b"application/json" in head, head)
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    return status, parsed, out


def test_protocol_departures():
    """Each answers as docs/sync-protocol.md §6 says, with a JSON body, at
    once, and the server goes on serving."""
    s, dev = start()
    with s:
        cases = [
            # Content-Length libsoup would read as "until the end": refused
            # from the headers instead of waiting for the request timeout.
            (b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n{}", 400, "bad_request"),
            (b"POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n",
             413, "too_large"),
            (b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: 9223372036854775808\r\n\r\n", 413, "too_large"),
            (b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
             400, "bad_request"),
            (b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Length: +2\r\n\r\n{}", 400, "bad_request"),
            (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nContent-Length: 0x10\r\n\r\n", 400, "bad_request"),
            # Refused by libsoup itself: still a JSON body.
            (b"GET /v1/health%00 HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
            (b"GET /v1/health%00/x HTTP/1.1\r\nHost: x\r\n\r\n", 400, "bad_request"),
            (b"GARBAGE\r\n\r\n", 400, "bad_request"),
            (b"POST /v1/enroll HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501, None),
            (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: b\x01c\r\n\r\n", 400, "bad_request"),
            (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: b\x7fc\r\n\r\n", 400, "bad_request"),
            # Folded lines are joined with one space (RFC 9112 §5.2 allows
            # that instead of a 400): a fold where a space belongs changes
            # nothing, a token folded in two is not a token.
            (b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer\r\n " + dev.token.encode() + b"\r\n\r\n",
             200, None),
            (b"GET /v1/whoami HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + dev.token[:10].encode()
             + b"\r\n " + dev.token[10:].encode() + b"\r\n\r\n", 401, "invalid_token"),
            (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n", 200, None),
        ]
        for data, status, code in cases:
            st, body, raw = raw_answer(s, data)
            check(st == status, "%r → %r %r" % (data[:50], st, raw[:200]))
            check(body is not None and (st == 200 or (set(body) >= {"error", "message"})),
                  "%r → %r" % (data[:50], raw[-200:]))
            if code:
                check(body["error"] == code, "%r → %r" % (data[:50], body))
        # Request line and headers past 64 KiB: libsoup stops reading and
        # closes the connection without an answer (docs/sync-protocol.md §6).
        for big in (b"GET /v1/health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 70000 + b"\r\n\r\n",
                    b"GET /v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 10000 + b"\r\n"):
            st, body, raw = raw_answer(s, big)
            check(st is None, "%d for headers past 64 KiB" % (st or 0))
        check(s.alive(), "server died")
        st, body, _ = s.request("GET", "/v1/health")
        check(st == 200, "server stopped serving")


def test_json_test_suite():
    root = os.environ.get("TSU_SHARED_DATA")
    d = os.path.join(root or "", "json-test-suite")
    if not root or not os.path.isdir(d):
        print("# skipped: no json-test-suite (TSU_SHARED_DATA)")
        return
    s, dev = start()
    with s:
        counts = {}
        for name in sorted(os.listdir(d)):
            if not name.endswith(".json"):
                continue
            with open(os.path.join(d, name), "rb") as f:
                body = f.read()
            st, resp, _ = push_raw(s, dev, body)
            kind = name[0]
            counts.setdefault((kind, st), 0)
            counts[(kind, st)] += 1
            check(st < 500, "%s → %d" % (name, st))
            if kind == "n":
                check(st == 400, "%s → %d (must be refused)" % (name, st))
            check(s.alive(), "server died on %s" % name)
        print("# " + ", ".join("%s_*→%d: %d" % (k, st, n) for (k, st), n in sorted(counts.items())))
        check(sum(counts.values()) > 300, "json-test-suite looks incomplete")
        check(s.request("GET", "/v1/health")[0] == 200, "server stopped serving")


if __name__ == "__main__":
    run([test_hostile_bodies_get_fast_4xx, test_slow_client_does_not_block_others, test_protocol_departures,
         test_json_test_suite])
