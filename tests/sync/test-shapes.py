#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Values of the wrong shape are rejected by the server's push, never
applied and served to desks (issue 9, "values of the wrong shape"): the
same core checks as the desk's write path (tsu_collection_check_fields for
each value, tsu_collection_check_row for the record, a required field of
nothing but spaces counting as empty), reason invalid_value with the field.
A real tsunagu-server on 127.0.0.1."""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
from tsusync import Server, check, run, uuid7  # noqa: E402

GOOD = {"name": "大牟田子ども食堂", "name_kana": "オオムタコドモショクドウ",
        "fields": [1, 13], "public_fields": ["contact_phone"]}

# (what, fields of an insert)
BAD = [
    ("fields as an object", {"name": "a", "fields": {"a": 1}}),
    ("fields with a string, a huge number and a list", {"name": "a", "fields": ["x", 1e10, [1]]}),
    ("fields with 3,000 entries", {"name": "a", "fields": list(range(1, 3001))}),
    ("fields with 3,000 entries in 1–20", {"name": "a", "fields": [(i % 20) + 1 for i in range(3000)]}),
    ("fields with 0", {"name": "a", "fields": [0]}),
    ("fields with 21", {"name": "a", "fields": [1, 21]}),
    ("fields with -1", {"name": "a", "fields": [-1]}),
    ("fields with 1.5", {"name": "a", "fields": [1.5]}),
    ("fields as a string", {"name": "a", "fields": "1,2"}),
    ("public_fields as a string", {"name": "a", "public_fields": "contact_phone"}),
    ("public_fields naming no field", {"name": "a", "public_fields": ["no_such_field"]}),
    ("public_fields with a number", {"name": "a", "public_fields": [1]}),
    ("name null", {"name": None}),
    ("name empty", {"name": ""}),
    ("name only spaces", {"name": "   "}),
    ("name only full-width spaces", {"name": "\u3000\u3000"}),
    ("name missing", {"name_kana": "あ"}),
    ("name with a control character", {"name": "大牟田\u0001食堂"}),
    ("name with a bell", {"name": "\u0007"}),
    ("name with a newline", {"name": "大牟田\n食堂"}),
    ("name with the right-to-left override", {"name": "abc\u202edef"}),
    ("name with a right-to-left isolate", {"name": "abc\u2067def"}),
    ("reading not kana", {"name": "a", "name_kana": "abc<script>"}),
    ("reading with a kanji", {"name": "a", "name_kana": "大牟田"}),
    ("representative reading not kana", {"name": "a", "rep_family_kana": "<b>x</b>"}),
    ("contact reading not kana", {"name": "a", "contact_given_kana": "abc"}),
]


def clear_rejection(r):
    """Rejected, saying why and naming the field at fault."""
    return (r["status"] == "rejected" and r.get("reason") in ("invalid_value", "unknown_field")
            and bool(r.get("field")))


def test_wrong_shapes_rejected():
    with Server(extra=["--rate", "0"]).start() as s:
        org = s.org_create("A")
        dev = s.enroll(org, "a")
        good_id = uuid7()
        r = dev.push([dev.mutation("insert", "groups", good_id, fields=GOOD)])["results"][0]
        check(r["status"] == "applied", "a well-formed insert: %r" % r)
        failures = []
        for what, fields in BAD:
            r = dev.push([dev.mutation("insert", "groups", uuid7(), fields=fields)])["results"][0]
            if not clear_rejection(r):
                failures.append("insert, %s → %r" % (what, r))
            # The same value as an update of a good record.
            # The same value in an update of the good record (base_rev 1: a
            # stale one after the first, so the merge path is tried too).
            if what == "name missing":
                continue
            upd = {k: v for k, v in fields.items() if k != "name" or what.startswith("name")}
            r = dev.push([dev.mutation("update", "groups", good_id, 1, upd, {})])["results"][0]
            if not clear_rejection(r):
                failures.append("update, %s → %r" % (what, r))
        for f in failures:
            print("# " + f)
        check(not failures, "%d of %d wrong shapes not rejected" % (len(failures), 2 * len(BAD) - 1))
        # Nothing of it reached a desk.
        other = s.enroll(org, "b")
        got = other.pull_all()
        check(len(got) == 1 and got[0]["fields"] == dict(got[0]["fields"], **GOOD),
              "a desk pulls %d records: %r" % (len(got), [c["fields"].get("name") for c in got][:5]))


if __name__ == "__main__":
    run([test_wrong_shapes_rejected])
