#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The server runs each collection's rules (the same guards the desk runs in
its write transaction) inside the push: two desks that were offline both
book the last projector, both confirm one volunteer for the same morning,
both give away the last seat of an event… the later push is rejected with
the rule's reason and the record it clashes with (other_id), and nothing of
it is written. A real tsunagu-server on 127.0.0.1."""
import sys

sys.path.insert(0, __import__("os").path.dirname(__file__))
from tsusync import Server, check, run, uuid7  # noqa: E402


def setup():
    s = Server().start()
    org = s.org_create("大牟田市民活動支援センター")
    a = s.enroll(org, "desk-a")
    b = s.enroll(org, "desk-b")
    return s, org, (a, b)


def insert(dev, coll, fields, rid=None):
    rid = rid or uuid7()
    r = dev.push([dev.mutation("insert", coll, rid, fields=fields)])
    return rid, r["results"][0]


def applied(res):
    check(res["status"] == "applied", res)


def refused(res, reason, other):
    check(res["status"] == "rejected" and res.get("reason") == reason
          and res.get("other_id") == other, res)


GROUP = {"name": "白川読み聞かせの会", "name_kana": "シラカワヨミキカセノカイ",
         "registration_number": "2026-001", "registered_on": "2026-04-10",
         "valid_fiscal_year": 2026}


def test_booking_conflict():
    s, org, (a, b) = setup()
    with s:
        gid, r = insert(a, "groups", GROUP)
        applied(r)
        pj, r = insert(a, "resources", {"kind": "item", "name": "プロジェクター",
                                        "status": "available"})
        applied(r)
        b.pull_all()
        first, r = insert(a, "bookings", {"resource_id": pj, "group_id": gid, "state": "reserved",
                                          "start_at": "2026-12-12T10:00",
                                          "due_at": "2026-12-12T17:00"})
        applied(r)
        # Desk B, offline, booked the same projector for an overlapping time.
        second, r = insert(b, "bookings", {"resource_id": pj, "group_id": gid,
                                           "state": "reserved",
                                           "start_at": "2026-12-12T15:00",
                                           "due_at": "2026-12-13T10:00"})
        refused(r, "booking_conflict", first)
        # Touching ends do not clash; a cancelled booking holds nothing.
        _, r = insert(b, "bookings", {"resource_id": pj, "group_id": gid, "state": "reserved",
                                      "start_at": "2026-12-12T17:00",
                                      "due_at": "2026-12-13T10:00"})
        applied(r)
        # Moving a booking onto another is refused too (update).
        r = a.push([a.mutation("update", "bookings", first, base_rev=0,
                               fields={"due_at": "2026-12-12T18:00"},
                               old={"due_at": "2026-12-12T17:00"})])["results"][0]
        check(r["status"] == "rejected" and r["reason"] == "booking_conflict", r)
        got = [c for c in a.pull_all() if c["collection"] == "bookings"]
        check(second not in [c["id"] for c in got], "the refused booking was not written")


def test_lapsed_group_refused():
    s, org, (a, b) = setup()
    with s:
        lapsed = dict(GROUP, registration_number="2024-009", valid_fiscal_year=2024,
                      name="昔の会", name_kana="ムカシノカイ")
        gid, r = insert(a, "groups", lapsed)
        applied(r)
        room, r = insert(a, "resources", {"kind": "room", "name": "会議室A",
                                          "status": "available"})
        applied(r)
        _, r = insert(b, "bookings", {"resource_id": room, "group_id": gid, "state": "reserved",
                                      "start_at": "2026-12-12T10:00",
                                      "due_at": "2026-12-12T12:00"})
        refused(r, "group_not_registered", gid)


def test_match_overlap():
    s, org, (a, b) = setup()
    with s:
        vid, r = insert(a, "volunteers", {"family_name": "山田", "given_name": "花子",
                                          "family_kana": "ヤマダ", "given_kana": "ハナコ"})
        applied(r)
        req1, r = insert(a, "requests", {"title": "読み聞かせ", "schedule": "once",
                                         "date_from": "2026-12-12", "slot": "am"})
        applied(r)
        req2, r = insert(a, "requests", {"title": "清掃", "schedule": "window",
                                         "date_from": "2026-12-10", "date_to": "2026-12-14",
                                         "slot": "am"})
        applied(r)
        b.pull_all()
        m1, r = insert(a, "matches", {"request_id": req1, "volunteer_id": vid,
                                      "state": "confirmed"})
        applied(r)
        m2, r = insert(b, "matches", {"request_id": req2, "volunteer_id": vid,
                                      "state": "confirmed"})
        refused(r, "match_overlap", m1)
        # Not yet confirmed: no clash. An allowed overlap, with a reason: applied.
        _, r = insert(b, "matches", {"request_id": req2, "volunteer_id": vid,
                                     "state": "proposed"})
        applied(r)
        _, r = insert(b, "matches", {"request_id": req2, "volunteer_id": vid,
                                     "state": "confirmed", "override": True,
                                     "override_reason": "午前の前半と後半で分けて参加"})
        applied(r)


def test_event_full_and_application_exists():
    s, org, (a, b) = setup()
    with s:
        ev, r = insert(a, "events", {"title": "会計講座", "capacity": 1,
                                     "start_at": "2026-12-12T13:30"})
        applied(r)
        b.pull_all()
        seat, r = insert(a, "registrations", {"event_id": ev, "name": "山田 花子",
                                              "state": "registered"})
        applied(r)
        _, r = insert(b, "registrations", {"event_id": ev, "name": "田中 一郎",
                                           "state": "registered"})
        refused(r, "event_full", ev)
        _, r = insert(b, "registrations", {"event_id": ev, "name": "田中 一郎",
                                           "state": "waiting"})
        applied(r)

        gid, r = insert(a, "groups", GROUP)
        applied(r)
        prog, r = insert(a, "programmes", {"name": "市民活動団体応援補助金"})
        applied(r)
        b.pull_all()
        app1, r = insert(a, "applications", {"programme_id": prog, "group_id": gid,
                                             "state": "told"})
        applied(r)
        _, r = insert(b, "applications", {"programme_id": prog, "group_id": gid,
                                          "state": "told"})
        refused(r, "application_exists", app1)


def test_registration_number_other_id():
    s, org, (a, b) = setup()
    with s:
        g1, r1 = insert(a, "groups", GROUP)
        applied(r1)
        _, r = insert(b, "groups", dict(GROUP, name="別の会", name_kana="ベツノカイ"))
        refused(r, "registration_number_taken", g1)
        # A deleted group frees its number; restoring it is judged again.
        r = a.push([a.mutation("delete", "groups", g1, base_rev=r1["rev"])])["results"][0]
        applied(r)
        g3, r3 = insert(b, "groups", dict(GROUP, name="三番目の会", name_kana="サンバンメノカイ"))
        applied(r3)
        r = a.push([a.mutation("undelete", "groups", g1, base_rev=r["rev"])])["results"][0]
        refused(r, "registration_number_taken", g3)


if __name__ == "__main__":
    run([test_booking_conflict, test_lapsed_group_refused, test_match_overlap,
         test_event_full_and_application_exists, test_registration_number_other_id])
