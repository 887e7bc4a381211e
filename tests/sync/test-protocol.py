#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The sync protocol against a real tsunagu-server (docs/sync-protocol.md)."""

import time

from tsusync import Server, check, run, uuid7


def setup(n_devices=2):
    s = Server().start()
    org = s.org_create("大牟田市民活動サポートセンター")
    devs = [s.enroll(org, "desk%d" % i) for i in range(n_devices)]
    return s, org, devs


def record(changes, rid):
    found = [c for c in changes if c["kind"] == "record" and c["id"] == rid]
    check(found, "record %s not pulled" % rid)
    return found[-1]


def conflicts(changes):
    return [c for c in changes if c["kind"] == "conflict"]


def test_enrol_and_whoami():
    s, org, (a, b) = setup()
    with s:
        st, who, _ = s.request("GET", "/v1/whoami", token=a.token)
        check(st == 200 and who["org_id"] == org and who["device_id"] == a.id, who)
        check(who["last_seq"] == 0 and who["protocol"] == 1, who)
        # A code works once.
        code = s.enroll_code(org)
        st, _, _ = s.request("POST", "/v1/enroll", {"code": code, "device_name": "x"})
        check(st == 201, st)
        st, body, _ = s.request("POST", "/v1/enroll", {"code": code, "device_name": "y"})
        check(st == 403 and body["error"] == "bad_code", (st, body))
        # Lower case and without dashes is the same code.
        code = s.enroll_code(org)
        st, _, _ = s.request("POST", "/v1/enroll", {"code": code.lower().replace("-", ""), "device_name": "z"})
        check(st == 201, st)
        lines = s.admin("devices", org)
        check(len(lines) == 4 and lines[0].split("\t")[0] == a.id, lines)
        st, h, hdr = s.request("GET", "/v1/health")
        check(st == 200 and h["status"] == "ok", h)
        rid = hdr.get("X-Request-Id", "")
        # The server logs a request once it has finished sending it, which can
        # be after the client has read the answer (seen under ASan): wait a bit.
        for _ in range(100):
            if rid and ("[%s]" % rid).encode() in s.log():
                break
            time.sleep(0.1)
        check(rid and ("[%s]" % rid).encode() in s.log(), "request id %r not in the log" % rid)


def test_push_and_pull_in_pages():
    s, org, (a, b) = setup()
    with s:
        ids = [uuid7() for _ in range(25)]
        res = a.push([a.mutation("insert", "groups", i, fields={"name": "団体%d" % n})
                      for n, i in enumerate(ids)])
        check([r["status"] for r in res["results"]] == ["applied"] * 25, res)
        check(res["last_seq"] == 25, res)
        pages = 0
        got = []
        while True:
            q = "/v1/sync/pull?limit=10" + ("&cursor=" + b.cursor if b.cursor else "")
            st, body, _ = s.request("GET", q, token=b.token)
            check(st == 200, body)
            pages += 1
            check(len(body["changes"]) <= 10, len(body["changes"]))
            got += body["changes"]
            b.cursor = body["next_cursor"]
            if not body["has_more"]:
                break
            check(pages < 10, "too many pages")
        check(pages == 3, pages)
        check(sorted(c["id"] for c in got) == sorted(ids), "not every record pulled")
        seqs = [c["seq"] for c in got]
        check(seqs == sorted(seqs), "pull not in change order")
        # An incremental pull brings only what changed since the cursor.
        r = record(got, ids[3])
        a.push([a.mutation("update", "groups", ids[3], r["rev"], {"name": "改名"}, {"name": "団体3"})])
        more = b.pull_all()
        check(len(more) == 1 and more[0]["fields"]["name"] == "改名", more)
        check(b.pull_all() == [], "nothing new expected")


def test_idempotent_repush():
    s, org, (a, b) = setup()
    with s:
        ids = [uuid7() for _ in range(3)]
        batch = [a.mutation("insert", "groups", i, fields={"name": "n"}) for i in ids]
        first = a.push(batch)
        again = a.push(batch)
        check([r["status"] for r in again["results"]] == ["duplicate"] * 3, again)
        check([r["original_status"] for r in again["results"]] == ["applied"] * 3, again)
        check([r["rev"] for r in again["results"]] == [r["rev"] for r in first["results"]], again)
        # Old and new in one batch: the old ones are duplicates, the new applied.
        m4 = a.mutation("insert", "groups", uuid7(), fields={"name": "m4"})
        mixed = a.push(batch[1:] + [m4])
        check([r["status"] for r in mixed["results"]] == ["duplicate", "duplicate", "applied"], mixed)
        got = b.pull_all()
        check(len(got) == 4, len(got))


def test_out_of_order_is_409():
    s, org, (a, b) = setup()
    with s:
        a.seq = 4
        m = a.mutation("insert", "groups", uuid7(), fields={"name": "gap"})
        body = a.push([m], expect=409)
        check(body["error"] == "seq_gap" and body["expected_seq"] == 1, body)
        check(b.pull_all() == [], "a gapped push applied something")
        a.seq = 0
        a.push([a.mutation("insert", "groups", uuid7(), fields={"name": "ok"})])
        # A gap inside one batch is refused whole.
        m2 = a.mutation("insert", "groups", uuid7(), fields={"name": "2"})
        a.seq += 1
        m4 = a.mutation("insert", "groups", uuid7(), fields={"name": "4"})
        body = a.push([m2, m4], expect=409)
        check(body["expected_seq"] == 2, body)
        check(len(b.pull_all()) == 1, "gapped batch partly applied")


def shared_record(s, a, b, fields):
    rid = uuid7()
    res = a.push([a.mutation("insert", "groups", rid, fields=fields)])
    rev = res["results"][0]["rev"]
    b.pull_all()
    a.pull_all()
    return rid, rev


def test_field_merge():
    s, org, (a, b) = setup()
    with s:
        rid, rev = shared_record(s, a, b, {"name": "元", "phone": "0944-00-0000"})
        ra = a.push([a.mutation("update", "groups", rid, rev, {"name": "新名称"}, {"name": "元"})])
        check(ra["results"][0]["status"] == "applied", ra)
        rb = b.push([b.mutation("update", "groups", rid, rev, {"phone": "0944-11-1111"},
                                {"phone": "0944-00-0000"})])
        check(rb["results"][0]["status"] == "merged", rb)
        for d in (a, b):
            r = record(d.pull_all(), rid)
            check(r["fields"]["name"] == "新名称" and r["fields"]["phone"] == "0944-11-1111", r)
            check(r["rev"] == rb["results"][0]["rev"], r)


def test_same_field_conflict_kept_on_both_sides():
    s, org, (a, b) = setup()
    with s:
        rid, rev = shared_record(s, a, b, {"name": "元"})
        a.push([a.mutation("update", "groups", rid, rev, {"name": "Aの名"}, {"name": "元"})])
        rb = b.push([b.mutation("update", "groups", rid, rev, {"name": "Bの名"}, {"name": "元"})])
        res = rb["results"][0]
        check(res["status"] == "conflict" and "conflict_id" in res, res)
        for d in (a, b):
            got = d.pull_all()
            r = record(got, rid)
            check(r["fields"]["name"] == "Aの名", "server value must stay")
            cs = conflicts(got)
            check(len(cs) == 1 and cs[0]["id"] == res["conflict_id"], cs)
            c = cs[0]
            check(c["type"] == "field" and c["record_id"] == rid and not c["resolved"], c)
            check(c["fields"]["name"] == {"server": "Aの名", "other": "Bの名", "base": "元"}, c)
            check(c["device_id"] == b.id and c["mutation_seq"] == rb["results"][0]["seq"], c)


def test_edit_against_delete():
    s, org, (a, b) = setup()
    with s:
        rid, rev = shared_record(s, a, b, {"name": "元", "notes": "x"})
        rd = a.push([a.mutation("delete", "groups", rid, rev)])
        check(rd["results"][0]["status"] == "applied", rd)
        rb = b.push([b.mutation("update", "groups", rid, rev, {"notes": "追記"}, {"notes": "x"})])
        res = rb["results"][0]
        check(res["status"] == "conflict" and res.get("deleted") is True, res)
        got = a.pull_all()
        r = record(got, rid)
        check(r["deleted"] is True and r["fields"]["notes"] == "x", "the delete must stand")
        c = conflicts(got)[0]
        check(c["type"] == "deleted" and c["fields"]["notes"]["edit"] == "追記", c)
        # Restoring the edit: take it.
        st, body, _ = s.request("POST", "/v1/conflicts/resolve", {"id": c["id"], "choice": "take"}, token=a.token)
        check(st == 200 and body["resolution"] == "take", body)
        for d in (a, b):
            got = d.pull_all()
            r = record(got, rid)
            check(r["deleted"] is False and r["fields"]["notes"] == "追記", r)
            cs = conflicts(got)
            check(cs and cs[-1]["resolved"] and cs[-1]["resolution"] == "take", cs)


def test_delete_after_edit_keeps_edit_restorable():
    s, org, (a, b) = setup()
    with s:
        rid, rev = shared_record(s, a, b, {"name": "元"})
        a.push([a.mutation("update", "groups", rid, rev, {"name": "編集"}, {"name": "元"})])
        rb = b.push([b.mutation("delete", "groups", rid, rev)])
        check(rb["results"][0]["status"] == "conflict", rb)
        got = a.pull_all()
        check(record(got, rid)["deleted"] is True, "delete stands")
        c = conflicts(got)[0]
        check(c["type"] == "deleted" and c["fields"]["name"]["edit"] == "編集", c)


def test_resolution_clears_everywhere():
    s, org, (a, b, c_dev) = setup(3)
    with s:
        rid, rev = shared_record(s, a, b, {"name": "元"})
        c_dev.pull_all()
        a.push([a.mutation("update", "groups", rid, rev, {"name": "A"}, {"name": "元"})])
        rb = b.push([b.mutation("update", "groups", rid, rev, {"name": "B"}, {"name": "元"})])
        cid = rb["results"][0]["conflict_id"]
        for d in (a, b, c_dev):
            cs = conflicts(d.pull_all())
            check(len(cs) == 1 and not cs[0]["resolved"], cs)
        st, body, _ = s.request("POST", "/v1/conflicts/resolve", {"id": cid, "choice": "keep"}, token=c_dev.token)
        check(st == 200, body)
        # Resolving twice is harmless.
        st, body, _ = s.request("POST", "/v1/conflicts/resolve", {"id": cid, "choice": "take"}, token=a.token)
        check(st == 200 and body.get("already_resolved") and body["resolution"] == "keep", body)
        for d in (a, b, c_dev):
            cs = conflicts(d.pull_all())
            check(len(cs) == 1 and cs[0]["resolved"] and cs[0]["resolution"] == "keep", cs)
        # A first sync of a new desk does not get the resolved conflict at all.
        d = s.enroll(org, "new")
        check(conflicts(d.pull_all()) == [], "resolved conflict sent to a new desk")
        st, body, _ = s.request("POST", "/v1/conflicts/resolve", {"id": uuid7(), "choice": "keep"}, token=a.token)
        check(st == 404, st)


def test_410_on_expired_cursor():
    s, org, (a, b) = setup()
    with s:
        rid, rev = shared_record(s, a, b, {"name": "消す"})
        keep = uuid7()
        a.push([a.mutation("insert", "groups", keep, fields={"name": "残る"})])
        old_cursor = b.cursor
        a.push([a.mutation("delete", "groups", rid, rev)])
        s.admin("purge", org, "--days", "0")
        st, body, _ = s.request("GET", "/v1/sync/pull?cursor=" + old_cursor, token=b.token)
        check(st == 410 and body["error"] == "resync_required" and body["reason"] == "cursor_expired", body)
        # Re-pulling from scratch works and has only live rows.
        b.cursor = None
        got = b.pull_all()
        check([c["id"] for c in got] == [keep], got)
        # A cursor at or past the horizon still works.
        a.push([a.mutation("update", "groups", keep, got[0]["rev"], {"name": "x"}, {"name": "残る"})])
        check(len(b.pull_all()) == 1, "incremental pull after resync")


def test_410_on_new_epoch():
    s, org, (a, b) = setup()
    with s:
        shared_record(s, a, b, {"name": "x"})
        s.admin("new-epoch", org)
        st, body, _ = s.request("GET", "/v1/sync/pull?cursor=" + b.cursor, token=b.token)
        check(st == 410 and body["reason"] == "new_epoch", body)
        # A restored server that lost changes answers 410 even without new-epoch.
        b.cursor = None
        b.pull_all()
        s.kill()
        s.backup()
        s.start()
        a.push([a.mutation("insert", "groups", uuid7(), fields={"name": "after"})])
        b.pull_all()
        s.kill()
        s.restore()
        s.start()
        st, body, _ = s.request("GET", "/v1/sync/pull?cursor=" + b.cursor, token=b.token)
        check(st == 410 and body["reason"] == "cursor_ahead", body)
        st, body, _ = s.request("GET", "/v1/sync/pull?cursor=garbage!", token=b.token)
        check(st == 400 and body["error"] == "bad_cursor", body)


def test_rule_registration_number_unique():
    s, org, (a, b) = setup()
    with s:
        r1 = a.push([a.mutation("insert", "groups", uuid7(), fields={"name": "A", "registration_number": "R-001"})])
        check(r1["results"][0]["status"] == "applied", r1)
        r2 = b.push([b.mutation("insert", "groups", uuid7(), fields={"name": "B", "registration_number": "R-001"})])
        res = r2["results"][0]
        check(res["status"] == "rejected" and res["reason"] == "registration_number_taken", res)
        # The rejection advanced the device's sequence: nothing is stuck.
        st, who, _ = s.request("GET", "/v1/whoami", token=b.token)
        check(who["last_seq"] == 1, who)
        r3 = b.push([b.mutation("insert", "groups", uuid7(), fields={"name": "B", "registration_number": "R-002"})])
        check(r3["results"][0]["status"] == "applied", r3)
        got = b.pull_all()
        check(sorted(c["fields"]["registration_number"] for c in got) == ["R-001", "R-002"], got)


def test_token_rotation_and_revocation():
    s, org, (a, b) = setup()
    with s:
        st, body, _ = s.request("POST", "/v1/token/rotate", b"", token=a.token)
        check(st == 200 and body["token"] != a.token, body)
        old, a.token = a.token, body["token"]
        st, _, _ = s.request("GET", "/v1/whoami", token=old)
        check(st == 401, st)
        st, _, _ = s.request("GET", "/v1/whoami", token=a.token)
        check(st == 200, st)
        st, _, _ = s.request("POST", "/v1/token/revoke", b"", token=a.token)
        check(st == 204, st)
        st, _, _ = s.request("GET", "/v1/whoami", token=a.token)
        check(st == 401, st)


def test_tls():
    import shutil, ssl, subprocess, tempfile, os, http.client
    if shutil.which("openssl") is None:
        print("# skipped: no openssl to make a test certificate")
        return
    d = tempfile.mkdtemp(prefix="tsu-tls-")
    cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=127.0.0.1", "-keyout", key, "-out", cert],
                   check=True, capture_output=True, timeout=60)
    s = Server(extra=["--tls-cert", cert, "--tls-key", key]).start()
    with s:
        check(s.url.startswith("https://"), s.url)
        ctx = ssl.create_default_context(cafile=cert)
        ctx.check_hostname = False
        conn = http.client.HTTPSConnection("127.0.0.1", s.port, context=ctx, timeout=10)
        conn.request("GET", "/v1/health")
        r = conn.getresponse()
        check(r.status == 200 and b'"ok"' in r.read(), r.status)
        conn.close()
    shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    run([test_enrol_and_whoami, test_push_and_pull_in_pages, test_idempotent_repush,
         test_out_of_order_is_409, test_field_merge, test_same_field_conflict_kept_on_both_sides,
         test_edit_against_delete, test_delete_after_edit_keeps_edit_restorable,
         test_resolution_clears_everywhere, test_410_on_expired_cursor, test_410_on_new_epoch,
         test_rule_registration_number_unique, test_token_rotation_and_revocation, test_tls])
