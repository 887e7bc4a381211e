#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Nobody is let in, nothing leaks: tokens, organisations, fields, logs."""

import glob
import hashlib
import os
import time

from tsusync import BACKEND, Server, check, run, uuid7

AUTH_PATHS = [("GET", "/v1/whoami", None), ("GET", "/v1/sync/pull", None),
              ("POST", "/v1/sync/push", b'{"mutations":[]}'),
              ("POST", "/v1/conflicts/resolve", b"{}"), ("POST", "/v1/token/rotate", b"")]


def no_data(body):
    return body is not None and set(body) <= {"error", "message"}


def test_bad_tokens_get_401_or_403_and_no_data():
    with Server().start() as s:
        org = s.org_create("A")
        a = s.enroll(org, "a")
        a.push([a.mutation("insert", "groups", uuid7(), fields={"name": "秘密の団体"})])
        for method, path, body in AUTH_PATHS:
            for headers in ({}, {"Authorization": "Basic YTpi"}, {"Authorization": "Bearer "},
                            {"Authorization": "Bearer tsu1_forged"},
                            {"Authorization": "Bearer " + a.token[:-2] + "xx"},
                            {"Authorization": "Bearer " + "x" * 5000}):
                st, resp, h = s.request(method, path, body, headers=headers)
                check(st == 401, "%s %s %r → %d" % (method, path, headers, st))
                check(no_data(resp), resp)
                check("Bearer" in h.get("WWW-Authenticate", ""), h)
        # Revoked by an admin: 403, no data.
        s.admin("revoke", a.id)
        for method, path, body in AUTH_PATHS:
            st, resp, _ = s.request(method, path, body, token=a.token)
            check(st == 403 and resp["error"] == "device_revoked" and no_data(resp), (path, st, resp))
        lines = s.admin("devices", org)
        check(lines[0].endswith("revoked"), lines)


def test_other_organisation_sees_nothing():
    with Server().start() as s:
        org_a, org_b = s.org_create("A"), s.org_create("B")
        a, b = s.enroll(org_a, "a"), s.enroll(org_b, "b")
        rid = uuid7()
        res = a.push([a.mutation("insert", "groups", rid, fields={"name": "Aの団体"})])
        rev = res["results"][0]["rev"]
        check(b.pull_all() == [], "B sees A's records")
        # A's record id answers like a record that does not exist.
        r_other = b.push([b.mutation("update", "groups", rid, rev, {"name": "乗っ取り"}, {"name": "Aの団体"})])
        r_none = b.push([b.mutation("update", "groups", uuid7(), rev, {"name": "x"}, {})])
        check(r_other["results"][0] == dict(r_none["results"][0], seq=r_other["results"][0]["seq"]),
              (r_other, r_none))
        check(r_other["results"][0]["reason"] == "not_found", r_other)
        r_del = b.push([b.mutation("delete", "groups", rid, rev)])
        check(r_del["results"][0]["reason"] == "not_found", r_del)
        # B inserting the same id makes its own record; A's stays untouched.
        b.push([b.mutation("insert", "groups", rid, fields={"name": "Bの団体"})])
        got = a.pull_all()
        check(len(got) == 1 and got[0]["fields"]["name"] == "Aの団体", got)
        # Conflict ids of another organisation are not found either.
        a.push([a.mutation("update", "groups", rid, rev, {"name": "A2"}, {"name": "Aの団体"})])
        a2 = s.enroll(org_a, "a2")
        a2.pull_all()
        rc = a2.push([a2.mutation("update", "groups", rid, rev, {"name": "A3"}, {"name": "Aの団体"})])
        cid = rc["results"][0]["conflict_id"]
        st, body, _ = s.request("POST", "/v1/conflicts/resolve", {"id": cid, "choice": "keep"}, token=b.token)
        check(st == 404, (st, body))


def test_server_managed_and_unknown_fields_rejected():
    with Server().start() as s:
        org = s.org_create("A")
        a = s.enroll(org, "a")
        rid = uuid7()
        a.push([a.mutation("insert", "groups", rid, fields={"name": "x"})])
        cases = [({"rev": 99}, "server_managed_field"), ({"id": uuid7()}, "server_managed_field"),
                 ({"created_at": "2000-01-01"}, "server_managed_field"),
                 ({"updated_at": "2000-01-01"}, "server_managed_field"),
                 ({"deleted": True}, "server_managed_field"),
                 ({"sort_key": "a"}, "derived_field"), ({"search_text": "a"}, "derived_field"),
                 ({"no_such_field": 1}, "unknown_field"), ({"members_total": "many"}, "invalid_value"),
                 ({"founded": "2026-13-40"}, "invalid_value")]
        for fields, reason in cases:
            r = a.push([a.mutation("update", "groups", rid, 1, fields, {})])["results"][0]
            check(r["status"] == "rejected" and r["reason"] == reason, (fields, r))
        r = a.push([a.mutation("insert", "secrets", uuid7(), fields={"x": 1})])["results"][0]
        check(r["reason"] == "unknown_collection", r)
        r = a.push([a.mutation("insert", "groups", "not-a-uuid", fields={"name": "x"})])["results"][0]
        check(r["reason"] == "bad_id", r)
        r = a.push([a.mutation("explode", "groups", uuid7(), fields={})])["results"][0]
        check(r["reason"] == "unknown_op", r)
        got = a.pull_all()
        check(len(got) == 1 and got[0]["rev"] == 1, "a rejected mutation changed the record")


def test_database_holds_only_token_hashes():
    with Server().start() as s:
        org = s.org_create("A")
        devs = [s.enroll(org, "d%d" % i) for i in range(3)]
        st, body, _ = s.request("POST", "/v1/token/rotate", b"", token=devs[0].token)
        tokens = [d.token for d in devs] + [body["token"]]
        s.kill()
        blobs = s.stored_bytes()
        if BACKEND == "sqlite":
            # Nobody else on the machine can read the data directory.
            for d in (s.data, os.path.join(s.data, "orgs")):
                check(os.stat(d).st_mode & 0o077 == 0, "%s is readable by others" % d)
            for f in glob.glob(os.path.join(s.data, "**", "*.sqlite3"), recursive=True):
                check(os.stat(f).st_mode & 0o077 == 0, "%s is readable by others" % f)
        for t in tokens:
            check(t.encode() not in blobs and t[5:].encode() not in blobs, "a token is stored in clear")
            check(hashlib.sha256(t.encode()).hexdigest().encode() in blobs, "the token hash is missing")


def test_log_has_no_token_or_personal_data():
    with Server().start() as s:
        org = s.org_create("A")
        a = s.enroll(org, "a")
        phone = "0944-41-2345"
        rid = uuid7()
        a.push([a.mutation("insert", "groups", rid, fields={
            "name": "秘密の会", "contact_phone": phone, "contact_family_name": "大牟田"})])
        a.push([a.mutation("update", "groups", rid, 1, {"members_total": "bad", "contact_phone": phone}, {})])
        a.pull_all()
        s.request("GET", "/v1/whoami", headers={"Authorization": "Bearer " + a.token + "x"})
        # A token or a phone number put in a path or a query stays out too.
        s.request("GET", "/v1/" + a.token, token=a.token)
        s.request("GET", "/v1/sync/pull?cursor=" + phone, token=a.token)
        st, body, _ = s.request("POST", "/v1/token/rotate", b"", token=a.token)
        log = s.log()
        check(b"/v1/sync/push 200" in log, "the log is missing requests")
        for secret in (a.token, a.token[5:], body["token"], phone, "0944", "秘密の会", "大牟田"):
            check(secret.encode() not in log, "the log holds %r" % secret[:4])
        s.kill()


def test_enrolment_attempts_limited():
    with Server(extra=["--enroll-failures", "3"]).start() as s:
        org = s.org_create("A")
        for i in range(3):
            st, body, _ = s.request("POST", "/v1/enroll", {"code": "AAAA-BBBB-CCC%d" % i, "device_name": "x"})
            check(st == 403, st)
        st, body, h = s.request("POST", "/v1/enroll", {"code": s.enroll_code(org), "device_name": "x"})
        check(st == 429 and int(h["Retry-After"]) > 0, (st, h))


def enrol_from(s, client, code, real_ip=False):
    h = {"X-Real-IP": client} if real_ip else {"X-Forwarded-For": client}
    return s.request("POST", "/v1/enroll", {"code": code, "device_name": "x"}, headers=h)


def test_enrolment_behind_trusted_proxy():
    # nginx on the same machine: every request comes from 127.0.0.1 and
    # names its client in X-Forwarded-For.
    with Server(extra=["--enroll-failures", "3", "--trusted-proxy", "10.9.9.9, 127.0.0.0/8",
                       "--trusted-proxy", "::1"]).start() as s:
        org = s.org_create("A")
        a, b = "203.0.113.5", "198.51.100.7"
        codes = [enrol_from(s, a, "AAAA-BBBB-CCC%d" % i)[0] for i in range(10)]
        check(codes[:3] == [403] * 3 and set(codes[3:]) == {429}, codes)
        # Another client behind the same proxy is not held back.
        st, body, _ = enrol_from(s, b, s.enroll_code(org))
        check(st == 201, (st, body))
        # A names a made-up address to the left of the one nginx appends:
        # the right-most address that is not a proxy counts, still A.
        st, _, h = enrol_from(s, "192.0.2.44, " + a, s.enroll_code(org))
        check(st == 429 and int(h["Retry-After"]) > 0, (st, h))
        # A chain of trusted proxies is skipped.
        st, _, _ = enrol_from(s, a + ", 10.9.9.9", s.enroll_code(org))
        check(st == 429, st)
        # X-Real-IP when there is no X-Forwarded-For.
        st, _, _ = enrol_from(s, a, s.enroll_code(org), real_ip=True)
        check(st == 429, st)
        st, _, _ = enrol_from(s, "192.0.2.9", "AAAA-BBBB-CCCC", real_ip=True)
        check(st == 403, st)
        log = s.log()
        check(b"enrolment refused for 203.0.113.5" in log, "no log line for the locked address")
    # A proxy address that is not one is refused at start.
    bad = Server(extra=["--trusted-proxy", "127.0.0.1/99"])
    try:
        bad.start()
        check(False, "started with a bad --trusted-proxy")
    except Exception as e:  # noqa: BLE001 - the refusal is what we want
        check("did not start" in str(e), e)
    finally:
        bad.close()


def test_forwarded_for_ignored_without_trusted_proxy():
    with Server(extra=["--enroll-failures", "3"]).start() as s:
        org = s.org_create("A")
        for i in range(3):
            st, _, _ = enrol_from(s, "203.0.113.%d" % i, "AAAA-BBBB-CCC%d" % i)
            check(st == 403, st)
        # Whatever the header says, it is the same peer: locked.
        st, _, _ = enrol_from(s, "198.51.100.7", s.enroll_code(org))
        check(st == 429, st)
    # Trusted proxies elsewhere: a request from 127.0.0.1 is a client itself.
    with Server(extra=["--enroll-failures", "3", "--trusted-proxy", "10.0.0.0/8"]).start() as s:
        org = s.org_create("A")
        for i in range(3):
            enrol_from(s, "203.0.113.%d" % i, "AAAA-BBBB-CCC%d" % i)
        st, _, _ = enrol_from(s, "198.51.100.7", s.enroll_code(org))
        check(st == 429, st)


def test_enrolment_ceiling_slows_everyone_locks_out_nobody():
    with Server(extra=["--enroll-failures", "3", "--enroll-failures-total", "5",
                       "--trusted-proxy", "127.0.0.1"]).start() as s:
        org = s.org_create("A")
        for i in range(5):
            st, _, _ = enrol_from(s, "203.0.113.%d" % i, "AAAA-BBBB-CCC%d" % i)
            check(st == 403, st)
        check(b"failures are now answered late" in s.log(), "no log line at the ceiling")
        # Past the ceiling a failure is still answered, later.
        t0 = time.monotonic()
        st, body, _ = enrol_from(s, "203.0.113.99", "AAAA-BBBB-CCCC")
        late = time.monotonic() - t0
        check(st == 403 and body["error"] == "bad_code", (st, body))
        check(late >= 1.0, "answered after %.2f s" % late)
        # A right code gets in at once, from a new address and from one
        # that has failed before.
        for client in ("198.51.100.1", "203.0.113.1"):
            st, body, _ = enrol_from(s, client, s.enroll_code(org))
            check(st == 201, (client, st, body))
        print("# a failure past the ceiling answered after %.1f s" % late)


def test_rate_limit_per_device():
    with Server(extra=["--rate", "0.1", "--burst", "3"]).start() as s:
        org = s.org_create("A")
        a, b = s.enroll(org, "a"), s.enroll(org, "b")
        statuses = [s.request("GET", "/v1/whoami", token=a.token) for _ in range(5)]
        codes = [x[0] for x in statuses]
        check(codes[:3] == [200] * 3 and codes[-1] == 429, codes)
        check(int(statuses[-1][2]["Retry-After"]) >= 1, statuses[-1][2])
        # Another device is not slowed by it.
        check(s.request("GET", "/v1/whoami", token=b.token)[0] == 200, "b limited by a")


if __name__ == "__main__":
    run([test_bad_tokens_get_401_or_403_and_no_data, test_other_organisation_sees_nothing,
         test_server_managed_and_unknown_fields_rejected, test_database_holds_only_token_hashes,
         test_log_has_no_token_or_personal_data, test_enrolment_attempts_limited,
         test_enrolment_behind_trusted_proxy, test_forwarded_for_ignored_without_trusted_proxy,
         test_enrolment_ceiling_slows_everyone_locks_out_nobody, test_rate_limit_per_device])
