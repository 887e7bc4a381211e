# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the sync tests: a real tsunagu-server process on 127.0.0.1
with a port it picks itself, its admin commands, and a small HTTP client.
Every wait is bounded; the server is killed at the end of each test."""

import http.client
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

SERVER = os.environ.get("TSU_SERVER") or (sys.argv[1] if len(sys.argv) > 1 else None)


def uuid7():
    ms = int(time.time() * 1000)
    rand = random.getrandbits(74)
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0x2 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


class Server:
    def __init__(self, data=None, extra=()):
        if SERVER is None:
            raise SystemExit("usage: test.py PATH-TO-tsunagu-server")
        self.own_data = data is None
        self.data = data or tempfile.mkdtemp(prefix="tsu-sync-")
        self.extra = list(extra)
        self.proc = None
        self.log_path = os.path.join(self.data, "server.log")
        self.port = None

    def admin(self, *args):
        out = subprocess.run([SERVER, args[0], "--data", self.data, *args[1:]],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise Failure("%s failed: %s" % (args[0], out.stderr))
        return out.stdout.strip().splitlines()

    def org_create(self, name):
        return self.admin("org-create", name)[-1]

    def enroll_code(self, org):
        return self.admin("enroll-code", org)[-1]

    def start(self, port=0):
        log = open(self.log_path, "ab")
        listen = "127.0.0.1:%d" % (port or self.port or 0)
        # GLib 2.74 keeps freed GObjects in its slice allocator, where
        # AddressSanitizer cannot see a use after free: plain malloc here.
        env = dict(os.environ, G_SLICE="always-malloc")
        self.proc = subprocess.Popen([SERVER, "serve", "--data", self.data, "--listen", listen,
                                      "--log-level", "debug", *self.extra],
                                     stdout=subprocess.PIPE, stderr=log, env=env)
        log.close()
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on "):
            self.proc.kill()
            raise Failure("server did not start: %r" % line)
        self.url = line.split()[2]
        self.port = int(self.url.rsplit(":", 1)[1])
        return self

    def kill(self, sig=signal.SIGKILL):
        if self.proc is not None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
            self.proc.stdout.close()
            self.proc = None

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def log(self):
        with open(self.log_path, "rb") as f:
            return f.read()

    def close(self):
        self.kill()
        if self.own_data and os.environ.get("TSU_KEEP_DATA") is None:
            shutil.rmtree(self.data, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- HTTP --
    def request(self, method, path, body=None, token=None, headers=None, timeout=15, raw=False):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        h = dict(headers or {})
        if token is not None:
            h["Authorization"] = "Bearer " + token
        if body is not None and not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body, ensure_ascii=False).encode()
        if body is not None:
            h.setdefault("Content-Type", "application/json")
        try:
            conn.request(method, path, body=body, headers=h)
            resp = conn.getresponse()
            data = resp.read()
            status = resp.status
            rh = dict(resp.getheaders())
        finally:
            conn.close()
        if raw:
            return status, data, rh
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return status, parsed, rh

    def enroll(self, org, name="desk"):
        code = self.enroll_code(org)
        st, body, _ = self.request("POST", "/v1/enroll", {"code": code, "device_name": name})
        check(st == 201, "enrol answered %d %r" % (st, body))
        return Device(self, body["token"], body["device_id"])


class Device:
    """A desk as the protocol sees it: its token and its mutation counter."""

    def __init__(self, server, token, device_id):
        self.server = server
        self.token = token
        self.id = device_id
        self.seq = 0
        self.cursor = None

    def mutation(self, op, collection, rid, base_rev=0, fields=None, old=None):
        self.seq += 1
        m = {"seq": self.seq, "collection": collection, "id": rid, "op": op, "base_rev": base_rev}
        if fields is not None:
            m["fields"] = fields
        if old is not None:
            m["old"] = old
        return m

    def push(self, mutations, expect=200):
        st, body, h = self.server.request("POST", "/v1/sync/push", {"mutations": mutations}, token=self.token)
        check(st == expect, "push answered %d %r" % (st, body))
        return body

    def pull_all(self, limit=None, max_pages=10000):
        changes = []
        for _ in range(max_pages):
            q = "/v1/sync/pull?"
            if self.cursor:
                q += "cursor=" + self.cursor + "&"
            if limit:
                q += "limit=%d" % limit
            st, body, _ = self.server.request("GET", q, token=self.token)
            check(st == 200, "pull answered %d %r" % (st, body))
            changes.extend(body["changes"])
            self.cursor = body["next_cursor"]
            if not body["has_more"]:
                return changes
        raise Failure("pull did not end")


def sanitized(pid):
    """True when the process runs under AddressSanitizer: its quarantine and
    shadow memory make RSS bounds meaningless (numbers are still printed)."""
    try:
        with open("/proc/%d/maps" % pid) as f:
            return "libasan" in f.read()
    except OSError:
        return False


def run(tests):
    """Runs test functions in order; prints TAP-like lines; exit 1 on failure."""
    failed = 0
    for t in tests:
        try:
            t()
            print("ok - %s" % t.__name__)
        except Exception as e:  # noqa: BLE001 - report and go on
            failed += 1
            print("not ok - %s: %s: %s" % (t.__name__, type(e).__name__, e))
        sys.stdout.flush()
    print("%d passed, %d failed" % (len(tests) - failed, failed))
    sys.exit(1 if failed else 0)
