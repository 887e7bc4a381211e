# SPDX-License-Identifier: GPL-3.0-or-later
"""Helpers for the sync tests: a real tsunagu-server process on 127.0.0.1
with a port it picks itself, its admin commands, and a small HTTP client.
Every wait is bounded; the server is killed at the end of each test."""

import atexit
import glob
import http.client
import json
import os
import pwd
import random
import socket
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid

SERVER = os.environ.get("TSU_SERVER") or (sys.argv[1] if len(sys.argv) > 1 else None)
# The storage backend the tests run the server on: "sqlite" (a data
# directory) or "postgresql" (a real PostgreSQL the tests start themselves).
BACKEND = os.environ.get("TSU_BACKEND", "sqlite")
SKIP = 77  # meson's exit code for a skipped test


def free_port():
    with socket.socket() as so:
        so.bind(("127.0.0.1", 0))
        return so.getsockname()[1]


class PgCluster:
    """A PostgreSQL cluster of the test's own: initdb and pg_ctl in a
    temporary directory, on a free port of 127.0.0.1, trust authentication
    (only this machine's users reach it), stopped when the test ends."""

    def __init__(self):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                      key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
        pg_bin = os.environ.get("TSU_PG_BIN") or (os.path.dirname(bins[-1]) if bins else None)
        if pg_bin is None or not os.path.exists(os.path.join(pg_bin, "pg_ctl")) or not shutil.which("psql"):
            print("# PostgreSQL is not installed (initdb, pg_ctl, psql): apt install postgresql")
            print("1..0 # SKIP PostgreSQL is not installed")
            sys.exit(SKIP)
        self.bin = pg_bin
        self.dir = tempfile.mkdtemp(prefix="tsu-pg-")
        self.data = os.path.join(self.dir, "data")
        self.user = None
        # PostgreSQL refuses to run as root: then as the postgres account.
        if os.geteuid() == 0:
            try:
                pw = pwd.getpwnam("postgres")
            except KeyError:
                print("1..0 # SKIP running as root and there is no postgres account to run PostgreSQL")
                sys.exit(SKIP)
            self.user = "postgres"
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        self.port = free_port()
        self.run_pg("initdb", "-D", self.data, "-U", "tsunagu", "--auth=trust", "-E", "UTF8",
                    "--locale=C", "--no-sync")
        self.start()
        atexit.register(self.stop)
        self.count = 0

    def run_pg(self, tool, *args, check_rc=True):
        cmd = [os.path.join(self.bin, tool), *args]
        if self.user:
            cmd = ["runuser", "-u", self.user, "--", *cmd]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if check_rc and out.returncode != 0:
            raise Failure("%s failed: %s %s" % (tool, out.stdout, out.stderr))
        return out

    def start(self):
        opts = ("-c listen_addresses=127.0.0.1 -p %d -c unix_socket_directories=%s"
                " -c max_connections=300 -c fsync=on -c synchronous_commit=on" % (self.port, self.dir))
        self.run_pg("pg_ctl", "-D", self.data, "-o", opts, "-l", os.path.join(self.dir, "log"),
                    "-w", "-t", "60", "start")

    def stop(self, mode="fast"):
        if os.path.exists(os.path.join(self.data, "postmaster.pid")):
            self.run_pg("pg_ctl", "-D", self.data, "-m", mode, "-w", "-t", "60", "stop", check_rc=False)

    def close(self):
        self.stop("immediate")
        if os.environ.get("TSU_KEEP_DATA") is None:
            shutil.rmtree(self.dir, ignore_errors=True)

    def conninfo(self, dbname):
        return "host=127.0.0.1 port=%d user=tsunagu dbname=%s" % (self.port, dbname)

    def sql(self, sql, dbname="postgres"):
        # On standard input: a statement may be longer than an argument may.
        out = subprocess.run(["psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1",
                              self.conninfo(dbname), "-f", "-"],
                             input=sql, capture_output=True, text=True, timeout=120)
        if out.returncode != 0:
            raise Failure("psql: %s" % out.stderr)
        return out.stdout

    def disconnect(self, dbname):
        """Ends the sessions of a killed server (its backend may linger)."""
        self.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s'"
                 " AND pid <> pg_backend_pid()" % dbname)
        for _ in range(100):
            if self.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = '%s'" % dbname).strip() == "0":
                return
            time.sleep(0.05)

    def new_database(self):
        self.count += 1
        name = "tsu_%d_%d" % (os.getpid(), self.count)
        self.sql("CREATE DATABASE %s" % name)
        return name


_cluster = None


def pg_cluster():
    global _cluster
    if _cluster is None:
        _cluster = PgCluster()
        atexit.register(_cluster.close)
    return _cluster


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
        self.dbname = None
        if BACKEND == "postgresql":
            self.cluster = pg_cluster()
            self.dbname = self.cluster.new_database()
            self.admin("migrate")

    def storage_args(self):
        if self.dbname is not None:
            return ["--database", self.cluster.conninfo(self.dbname)]
        return ["--data", self.data]

    def admin(self, *args):
        out = subprocess.run([SERVER, args[0], *self.storage_args(), *args[1:]],
                             capture_output=True, text=True, timeout=30)
        if out.returncode != 0:
            raise Failure("%s failed: %s" % (args[0], out.stderr))
        return out.stdout.strip().splitlines()

    def backup(self):
        """A copy of everything the server stores (the server stopped)."""
        if self.dbname is not None:
            self.cluster.disconnect(self.dbname)
            self.cluster.sql("CREATE DATABASE %s_bak TEMPLATE %s" % (self.dbname, self.dbname))
        else:
            shutil.copytree(self.data, self.data + ".bak")

    def restore(self):
        """Puts the backup back (the server stopped), as an operator would."""
        if self.dbname is not None:
            self.cluster.sql("DROP DATABASE %s WITH (FORCE)" % self.dbname)
            self.cluster.sql("ALTER DATABASE %s_bak RENAME TO %s" % (self.dbname, self.dbname))
        else:
            shutil.rmtree(self.data)
            shutil.copytree(self.data + ".bak", self.data)
            shutil.rmtree(self.data + ".bak")

    def stored_bytes(self):
        """Every byte the server keeps: its files, or a dump of its database."""
        if self.dbname is not None:
            out = self.cluster.run_pg("pg_dump", "-h", "127.0.0.1", "-p", str(self.cluster.port),
                                      "-U", "tsunagu", self.dbname)
            return out.stdout.encode()
        blobs = b""
        for f in glob.glob(os.path.join(self.data, "**", "*"), recursive=True):
            if os.path.isfile(f) and not f.endswith(".log"):
                with open(f, "rb") as fh:
                    blobs += fh.read()
        return blobs

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
        self.proc = subprocess.Popen([SERVER, "serve", *self.storage_args(), "--listen", listen,
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

    def pull_all(self, limit=None, max_pages=10000, timeout=15):
        changes = []
        for _ in range(max_pages):
            q = "/v1/sync/pull?"
            if self.cursor:
                q += "cursor=" + self.cursor + "&"
            if limit:
                q += "limit=%d" % limit
            st, body, _ = self.server.request("GET", q, token=self.token, timeout=timeout)
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
