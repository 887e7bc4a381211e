#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two desks, offline from each other, book the same projector for
overlapping times: the server takes the first push and refuses the later
one with booking_conflict naming the first booking; the refused desk lists
it under "needs attention", moves it (new times, sent again: applied and
pulled by the other desk) or cancels it (gone from that desk). Real desks
(the store, its rules and the sync client, each call a process) and a real
tsunagu-server on 127.0.0.1."""
import datetime
import json
import os
import sqlite3
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.environ.get("TSU_SOURCE_ROOT", os.path.dirname(__file__) + "/../.."),
                                "tests", "sync"))
from tsusync import Server  # noqa: E402

TSUNAGU, DESK = sys.argv[2], sys.argv[3]
failures = 0


def check(cond, what):
    global failures
    print(("ok - " if cond else "not ok - ") + what)
    if not cond:
        failures += 1


def run(store, *args, ok=True):
    env = dict(os.environ, TSUNAGU_TOKEN_STORE="file",
               XDG_CONFIG_HOME=os.path.join(os.path.dirname(store), "config-" + os.path.basename(store)))
    p = subprocess.run([DESK, store, *args], capture_output=True, text=True, timeout=120, env=env)
    if ok and p.returncode != 0:
        raise AssertionError("equipment-desk %s: %s" % (args[0], p.stderr))
    return p


def one(db, sql, *args):
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute(sql, args).fetchone()
    finally:
        con.close()


def at(day, hm):
    return "%sT%s" % (day.isoformat(), hm)


with tempfile.TemporaryDirectory() as d, Server() as server:
    server.start()
    org = server.org_create("大牟田市民活動サポートセンター")
    a, b = os.path.join(d, "a.db"), os.path.join(d, "b.db")
    try:
        groups, resources = os.path.join(d, "g.csv"), os.path.join(d, "r.csv")
        with open(groups, "w", encoding="utf-8", newline="") as f:
            f.write("団体名,ふりがな,電話番号,登録日,状態\r\n"
                    "白川読み聞かせの会,しらかわよみきかせのかい,0944-00-1111,2026-04-10,登録\r\n")
        with open(resources, "w", encoding="utf-8", newline="") as f:
            f.write("管理番号,種別,名称,分類,最長貸出日数,館内利用のみ,料金区分,料金\r\n"
                    "PJ-01,備品,液晶プロジェクター,映像機器,7,いいえ,無料,0\r\n")
        for args in (["--import-groups", groups], ["--import-resources", resources]):
            subprocess.run([TSUNAGU, "--db", a, *args], check=True, capture_output=True)
        run(a, "enroll", server.url, server.enroll_code(org))
        run(a, "sync")
        run(b, "enroll", server.url, server.enroll_code(org))
        run(b, "sync")
        pj = one(b, "SELECT id FROM resources WHERE control_number = 'PJ-01'")[0]
        gid = one(b, "SELECT id FROM groups")[0]
        check(one(a, "SELECT id FROM resources")[0] == pj, "both desks have the projector")

        # An open weekday at least a week ahead (the centre's closed days
        # and holidays refuse a day: the next week then).
        day = datetime.date.today() + datetime.timedelta(days=7)
        while day.weekday() != 2:
            day += datetime.timedelta(days=1)
        for _ in range(6):
            p = run(a, "book", pj, gid, at(day, "10:00"), at(day, "17:00"), ok=False)
            if p.returncode == 0:
                break
            day += datetime.timedelta(days=7)
        first = p.stdout.strip()
        check(p.returncode == 0 and first, "desk A books the projector (%s): %s" % (day, p.stderr.strip()))
        run(a, "sync")

        # Desk B has not heard of it: its own rule lets the booking through.
        second = run(b, "book", pj, gid, at(day, "15:00"),
                     at(day + datetime.timedelta(days=1), "10:00")).stdout.strip()
        out = run(b, "sync").stdout
        check("rejected=1" in out, "the server refuses desk B's overlapping booking: " + out.strip())
        rejected = json.loads(run(b, "rejected").stdout)
        check(len(rejected) == 1, "desk B lists one refused change (needs attention)")
        item = rejected[0] if rejected else {}
        result = item.get("result") or {}
        check(result.get("reason") == "booking_conflict" and result.get("other_id") == first,
              "the refusal says booking_conflict and names desk A's booking: %r" % result)
        check(one(a, "SELECT count(*) FROM bookings WHERE id = ?", second)[0] == 0,
              "nothing of the refused booking reached desk A")

        # Move: new times, sent again; applied, and desk A pulls them.
        later = day + datetime.timedelta(days=7)
        run(b, "move", str(item.get("seq")), at(later, "10:00"), at(later, "17:00"))
        out = run(b, "sync").stdout
        check("rejected=0" in out and json.loads(run(b, "rejected").stdout) == [],
              "the moved booking is accepted: " + out.strip())
        run(a, "sync")
        check(one(a, "SELECT start_at, due_at FROM bookings WHERE id = ?", second)
              == (at(later, "10:00"), at(later, "17:00")),
              "desk A has the moved booking at its new times")

        # Cancel: another clash (desk A first again, desk B not told) given up.
        other = later + datetime.timedelta(days=7)
        for _ in range(6):
            if run(a, "book", pj, gid, at(other, "10:00"), at(other, "12:00"), ok=False).returncode == 0:
                break
            other += datetime.timedelta(days=7)
        run(a, "sync")
        third = run(b, "book", pj, gid, at(other, "11:00"), at(other, "13:00")).stdout.strip()
        run(b, "sync")
        rejected = json.loads(run(b, "rejected").stdout)
        check(len(rejected) == 1, "a second clash is refused too")
        run(b, "cancel", str(rejected[0].get("seq") if rejected else 0))
        check(json.loads(run(b, "rejected").stdout) == [], "cancelled: nothing needs attention")
        check(one(b, "SELECT count(*) FROM bookings WHERE id = ? AND deleted = 0", third)[0] == 0,
              "the cancelled booking is gone from desk B")
    except AssertionError as e:
        print("not ok - %s" % e)
        failures += 1

sys.exit(1 if failures else 0)
