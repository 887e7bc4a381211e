#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The real `tsunagu` binary syncing without a display against a real
# tsunagu-server on 127.0.0.1: --enroll and --sync with their one-line
# summary and exit statuses; an unreachable server, a revoked desk, a bad
# code and a refused certificate give a clear message, a non-zero exit and
# lose nothing; a city's private CA is trusted with --ca-file.
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import tsusync  # noqa: E402
from tsusync import Server, check, run  # noqa: E402

SERVER_BIN = sys.argv[1]
TSUNAGU = sys.argv[2]
tsusync.SERVER = SERVER_BIN
HOME = tempfile.mkdtemp(prefix="tsu-sync-cli-home-")


def tsunagu(*args, timeout=120):
    env = dict(os.environ)
    for k in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(k, None)
    env["XDG_CONFIG_HOME"] = os.path.join(HOME, "config")
    env["XDG_DATA_HOME"] = os.path.join(HOME, "data")
    env["TSUNAGU_TOKEN_STORE"] = "file"
    env["LANGUAGE"] = "en"
    p = subprocess.run([TSUNAGU, *args], capture_output=True, env=env, timeout=timeout)
    return p.returncode, p.stdout.decode("utf-8", "replace"), p.stderr.decode("utf-8", "replace")


def summary(out):
    line = out.strip().splitlines()[-1]
    parts = dict(p.strip().rsplit(" ", 1) for p in line.split(","))
    return {k: int(v) for k, v in parts.items()}


def db_rows(db, sql, *args):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql, args).fetchall()
    finally:
        con.close()


def import_groups(db, d, rows):
    csv = os.path.join(d, "g.csv")
    with open(csv, "w", encoding="utf-8", newline="") as f:
        f.write("団体名,ふりがな,電話番号\r\n")
        for name, kana, phone in rows:
            f.write("%s,%s,%s\r\n" % (name, kana, phone))
    rc, out, err = tsunagu("--db", db, "--import", "groups", csv)
    check(rc == 0, "import: %s %s" % (out, err))


def test_enroll_and_sync():
    with Server() as s, tempfile.TemporaryDirectory() as d:
        s.start()
        org = s.org_create("大牟田市民活動サポートセンター")
        a, b = os.path.join(d, "a.db"), os.path.join(d, "b.db")

        rc, out, err = tsunagu("--db", a, "--sync")
        check(rc == 4 and "not enrolled" in err, "sync before enrolling: %d %r" % (rc, err))

        rc, out, err = tsunagu("--db", a, "--enroll", s.url, "AAAA-BBBB-CCCC", "--device-name", "受付1")
        check(rc == 4 and "code" in err, "bad code: %d %r" % (rc, err))
        rc, out, err = tsunagu("--db", a, "--enroll", s.url)
        check(rc == 2, "enroll without a code is a usage error")
        rc, out, err = tsunagu("--db", a, "--enroll", s.url, s.enroll_code(org), "--device-name", "受付1")
        check(rc == 0 and "enrolled" in out, "enroll: %d %r %r" % (rc, out, err))
        check(any("受付1" in line for line in s.admin("devices", org)), "device name on the server")
        rc, out, err = tsunagu("--db", b, "--enroll", s.url, s.enroll_code(org))
        check(rc == 0, "second desk enrolled")

        import_groups(a, d, [("白川読み聞かせの会", "しらかわよみきかせのかい", "0944-00-1111"),
                             ("有明海クリーン応援団", "ありあけかいくりーんおうえんだん", "")])
        rc, out, err = tsunagu("--db", a, "--sync")
        n = summary(out)
        check(rc == 0, "sync exits 0: %r %r" % (out, err))
        check(n == {"pushed": 2, "pulled": 2, "merged": 0, "conflicts": 0, "rejected": 0,
                    "waiting": 0}, "summary %r" % n)
        rc, out, err = tsunagu("--db", b, "--sync")
        check(rc == 0 and summary(out)["pulled"] == 2, "desk B pulls: %r" % out)
        check(len(db_rows(b, "SELECT id FROM groups WHERE deleted = 0")) == 2, "B has both groups")

        # The server goes away: a clear message, a non-zero exit, nothing lost.
        import_groups(a, d, [("髙橋さんの手話の会", "たかはしさんのしゅわのかい", "")])
        s.kill()
        rc, out, err = tsunagu("--db", a, "--sync")
        check(rc == 3, "unreachable server exits 3: %d %r" % (rc, err))
        check("cannot be reached" in err or "did not answer" in err, "says why: %r" % err)
        check(summary(out)["waiting"] == 1, "the change still waits: %r" % out)
        s.start()
        rc, out, err = tsunagu("--db", a, "--sync")
        check(rc == 0 and summary(out)["pushed"] == 1 and summary(out)["waiting"] == 0,
              "sent once the server is back: %r" % out)

        # Revoked: refused with a message; local data and outbox untouched.
        devices = [line.split("\t") for line in s.admin("devices", org)]
        dev_b = [row[0] for row in devices if len(row) > 1 and row[1] != "受付1"][0]
        import_groups(b, d, [("みどりの会", "みどりのかい", "")])
        s.admin("revoke", dev_b)
        before = db_rows(b, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0]
        rc, out, err = tsunagu("--db", b, "--sync")
        check(rc == 4 and "revoked" in err, "revoked desk exits 4: %d %r" % (rc, err))
        check(db_rows(b, "SELECT count(*) FROM outbox WHERE state = 'pending'")[0][0] == before,
              "revoked desk keeps its outbox")
        check(len(db_rows(b, "SELECT id FROM groups WHERE name = 'みどりの会'")) == 1,
              "revoked desk keeps its record")
        # Enrolled again: it goes on where it stood and sends what waited.
        rc, out, err = tsunagu("--db", b, "--enroll", s.url, s.enroll_code(org), "--device-name", "受付2")
        check(rc == 0, "enrolled again")
        rc, out, err = tsunagu("--db", b, "--sync")
        check(rc == 0 and summary(out)["pushed"] == 1, "waiting change sent after re-enrolling: %r" % out)


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def test_private_ca():
    if shutil.which("openssl") is None:
        print("# skipped: no openssl")
        return
    with tempfile.TemporaryDirectory() as d:
        # A city's own certificate authority and the server's certificate.
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out",
                "ca.pem", "-days", "30", "-subj", "/CN=Omuta City Test CA", cwd=d)
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "srv.key", "-out", "srv.csr",
                "-subj", "/CN=127.0.0.1", cwd=d)
        with open(os.path.join(d, "ext.cnf"), "w") as f:
            f.write("subjectAltName=IP:127.0.0.1\n")
        openssl("x509", "-req", "-in", "srv.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                "-CAcreateserial", "-out", "srv.pem", "-days", "30", "-extfile", "ext.cnf", cwd=d)
        s = Server(extra=["--tls-cert", os.path.join(d, "srv.pem"), "--tls-key",
                          os.path.join(d, "srv.key")])
        try:
            s.start()
            url = s.url.replace("http://", "https://")
            org = s.org_create("大牟田市")
            db = os.path.join(d, "desk.db")
            rc, out, err = tsunagu("--db", db, "--enroll", url, s.enroll_code(org))
            check(rc == 5, "unknown CA refused with exit 5: %d %r" % (rc, err))
            check("Omuta City Test CA" in err and "SHA-256" in err,
                  "the refused certificate is shown: %r" % err)
            check(not db_rows(db, "SELECT value FROM meta WHERE key = 'sync_server_url'"),
                  "nothing enrolled")
            rc, out, err = tsunagu("--db", db, "--enroll", url, s.enroll_code(org), "--ca-file",
                                   os.path.join(d, "ca.pem"))
            check(rc == 0, "trusted with --ca-file: %d %r %r" % (rc, out, err))
            rc, out, err = tsunagu("--db", db, "--sync")
            check(rc == 0, "syncs over TLS with the trusted CA kept: %d %r" % (rc, err))
        finally:
            s.close()


try:
    run([test_enroll_and_sync, test_private_ca])
finally:
    shutil.rmtree(HOME, ignore_errors=True)
