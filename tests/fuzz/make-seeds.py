#!/usr/bin/env python3
"""Writes the seed corpus of tests/fuzz (corpus/protocol/seed-*): one valid message, or a
near miss, per decoder. The first byte picks the decoder (see ProtocolFuzzer.cpp):
0 push request, 1 push answer, 2 pull page, 3 enrolment code, 4 gzip, 5 deflate,
6 other messages (error, enrol request/answer, device status, op), 7 header values,
8 snapshot page, 9 zstd, 10 the bank-holiday list a device receives (the core's parser),
11 the size limits of one op (core/records/OpLimits.h, issue 22).
Inputs found by the fuzzer are added beside these (crash-* and minimised finds)."""
import gzip, json, os, zlib

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus", "protocol")
os.makedirs(here, exist_ok=True)

def op(seq, field="refs.cris", value="CRIS-001", base=None, entity="incident", device="d1"):
    return {"op_id": "0c6d3a52-3f0e-4f7e-9d2e-8a4b9c1d2e3f", "device": device, "seq": seq,
            "entity": entity, "id": "5b0f2d9e-1c3a-4e5f-8a7b-9c0d1e2f3a4b", "field": field,
            "value": value, "base": base, "hlc": "0000018c2f3a4b5c"}

seeds = {
    "push-one": (0, {"ops": [op(1)]}),
    "push-create": (0, {"ops": [op(1, "@create", {"owner": "pc.a", "team": "north", "borough": "camden"}),
                                op(2, "incident.date", "2026-11-20", "0000018c2f3a4b5b"),
                                op(3, "@command", {"command": "submit", "state": "submitted", "by": "pc.a", "note": ""}),
                                op(4, "@delete", True, entity="answer")]}),
    "push-empty": (0, {"ops": []}),
    "push-bad-seq": (0, {"ops": [op(0)]}),
    "push-audit": (0, {"ops": [op(9, "@append", {"at": "2026-11-20T10:00:00.000Z", "actor": "pc.a",
                                                  "action": "consultation", "hash": "ab" * 32}, entity="audit")]}),
    "push-answer": (1, {"acked_upto": 4, "rejected": [{"seq": 3, "error": "rule_violation",
                                                        "message": "The server refused this change.", "field": "@command"}]}),
    "push-answer-empty": (1, {"acked_upto": 0, "rejected": []}),
    "pull-page": (2, {"ops": [op(1, device="d2"), op(2, "victims[1].dash.q14", "yes", device="d2")],
                      "cursor": "42", "more": True, "forget": ["5b0f2d9e-1c3a-4e5f-8a7b-9c0d1e2f3a4b"]}),
    "pull-empty": (2, {"ops": [], "cursor": "0", "more": False, "forget": []}),
    "pull-bank-holidays": (2, {"bank_holidays": 2, "ops": [], "cursor": "7", "more": False, "forget": []}),
    "pull-bank-holidays-bad": (2, {"bank_holidays": 0, "ops": [], "cursor": "7", "more": False, "forget": []}),
    "error-body": (6, {"error": "device_revoked", "message": "This device was revoked.", "wipe": True}),
    "enrol-request": (6, {"code_id": "7KQ2MD", "secret": "4XH9TB3N0W8R", "device_name": "tablet 7"}),
    "enrol-answer": (6, {"device_id": "5b0f2d9e-1c3a-4e5f-8a7b-9c0d1e2f3a4b", "token": "abc",
                         "user": {"id": "pc.4821", "display_name": "", "role": "officer", "team": "north",
                                  "borough": "camden", "scope": "team", "restricted_clearance": False}}),
    "device-status": (6, {"device_id": "d1", "wipe": False,
                          "user": {"id": "ds.1", "display_name": "DS One", "role": "supervisor", "team": "north",
                                   "borough": "camden", "scope": "borough", "restricted_clearance": True}}),
    "single-op": (6, {"op": op(7, "person.name", {"first": "A", "last": "B"}, "0000018c2f3a4b5a")}),
    "limits-name": (11, op(1, "person.name", "Invented Person")),
    "limits-name-long": (11, op(1, "person.name", "x" * 5000)),
    "limits-note": (11, op(1, "contact.notes", "A long note. " * 400)),
    "limits-structure": (11, op(1, "@create", {"incident": "5b0f2d9e", "links": ["a" * 40] * 8})),
    "limits-scalar": (11, op(1, "flags.hbv", True)),
    "limits-long-path": (11, op(1, "a." * 140 + "b", "x")),
    "limits-long-id": (11, dict(op(1), id="i" * 200)),
    "push-oversized": (0, {"ops": [op(1, "incident.location", "y" * 5000), op(2, "contact.notes", "z" * 300)]}),
}
for name, (selector, message) in seeds.items():
    with open(os.path.join(here, "seed-" + name), "wb") as f:
        f.write(bytes([selector]) + json.dumps(message).encode())

texts = {
    "code-v4": (3, "vigil1:127.0.0.1:8443:q0ZpRkV2a0xKb0dWc1RtM2Z3cU9YcWx5b0p6a0dpM2E:7KQ2MD-4XH9-TB3N-0W8R"),
    "code-v6": (3, "vigil1:[::1]:8443:q0ZpRkV2a0xKb0dWc1RtM2Z3cU9YcWx5b0p6a0dpM2E:7kq2md4xh9tb3nOw8r\n"),
    "code-host": (3, "vigil1:vigil.example.police.uk:443:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:ABC123-WXYZ-0123-456Q"),
    "version": (7, "1.0"),
    "version-major": (7, "12"),
    "encoding": (7, "gzip"),
    "accept": (7, "deflate, gzip;q=0"),
    "pin": (7, "q0ZpRkV2a0xKb0dWc1RtM2Z3cU9YcWx5b0p6a0dpM2E"),
    "crockford": (7, "abc1-il0o-xyz9"),
    "user-id": (7, "pc.4821"),
}
for name, (selector, text) in texts.items():
    with open(os.path.join(here, "seed-" + name), "wb") as f:
        f.write(bytes([selector]) + text.encode())

def row(entity, rid, fields, stamps, deleted=False):
    return {"e": entity, "id": rid, "i": "5b0f2d9e", "p": "", "o": "d1", "d": deleted, "c": "0000018c2f3a4b5c",
            "u": "0000018c2f3a4b5d", "f": json.dumps(fields), "s": json.dumps(stamps)}

conflict = {k: "" for k in ["kind", "entity", "record", "incident", "field", "winner", "kept_value", "kept_hlc",
                            "kept_origin", "kept_by", "lost_value", "lost_hlc", "lost_origin", "lost_by",
                            "detected_at", "resolved_by", "resolved_at", "resolution"]}
conflict.update({"kind": "field", "entity": "incident", "record": "5b0f2d9e", "field": "incident.summary",
                 "winner": "remote", "kept_value": '"Seen by A"', "kept_hlc": "0000018c2f3a4b5c", "kept_origin": "d1",
                 "lost_value": '"Seen by B \\u00e9"', "lost_hlc": "0000018c2f3a4b5b", "lost_origin": "d2"})
snapshots = {
    "snapshot-page": {"rows": [row("incident", "5b0f2d9e", {"incident.summary": "Zo\u00eb said \"no\"\n\\ \ud83d\ude00",
                                                             "state": "draft"}, {"state": "0000018c2f3a4b5c d2"}),
                               row("answer", "a1", {"q1": "yes"}, {"q1": "0000018c2f3a4b5c"}, True)],
                      "conflicts": [conflict], "users": {"d1": "pc.a", "d2": "pc.b"}, "next": "12.3.6162",
                      "cursor": "", "more": True},
    "snapshot-last": {"rows": [], "conflicts": [], "users": {}, "next": "", "cursor": "12.3", "more": False},
    "snapshot-deep-fields": {"rows": [dict(row("answer", "a1", {}, {}), f="[" * 70 + "]" * 70)], "conflicts": [],
                             "users": {}, "next": "", "cursor": "1", "more": False},
}
for name, message in snapshots.items():
    with open(os.path.join(here, "seed-" + name), "wb") as f:
        f.write(bytes([8]) + json.dumps(message, ensure_ascii=False).encode())

body = json.dumps({"ops": [op(i) for i in range(1, 20)]}).encode()
ZSTD_FRAME = bytes.fromhex("28b52ffd2048bd0100d4027b226f7073223a5b7b22646576696365223a226431222c22736571223a312c226e6f74"
                           "776f72647320227d5d7d0200295576ec7c02")
blobs = {
    "gzip-push": (4, gzip.compress(body, mtime=0)),
    "gzip-empty": (4, gzip.compress(b"", mtime=0)),
    "gzip-bomb": (4, gzip.compress(b"\0" * (1 << 20), mtime=0)),  # inflates past the fuzzer's 256 KiB limit
    "gzip-cut": (4, gzip.compress(body, mtime=0)[:40]),
    "deflate-push": (5, zlib.compress(body)),
    "deflate-trailing": (5, zlib.compress(b"{}") + b"junk"),
    # Python has no zstd module: one small frame (level 3) made with libzstd, and damaged copies.
    "zstd-push": (9, ZSTD_FRAME),
    "zstd-cut": (9, ZSTD_FRAME[:30]),
    "zstd-trailing": (9, ZSTD_FRAME + b"junk"),
}
for name, (selector, blob) in blobs.items():
    with open(os.path.join(here, "seed-" + name), "wb") as f:
        f.write(bytes([selector]) + blob)
shipped = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "core", "risk-models",
                       "bank-holidays-england-and-wales.json")
with open(shipped, "rb") as f:
    full = json.loads(f.read())
small = {"vigil": dict(full["vigil"], version=2, covers_from="2027-01-01", covers_to="2027-12-31", source="seed"),
         "england-and-wales": {"division": "england-and-wales",
                               "events": [e for e in full["england-and-wales"]["events"] if e["date"].startswith("2027")]
                                         + [{"title": "One-off", "date": "2027-06-07", "notes": "", "bunting": True}]}}
holidays = {
    "bank-holidays": small,
    "bank-holidays-weekend": dict(small, **{"england-and-wales": {"events": [{"title": "x", "date": "2027-06-05"}]}}),
    "bank-holidays-short-year": dict(small, **{"england-and-wales": {"events": small["england-and-wales"]["events"][:3]}}),
}
for name, message in holidays.items():
    with open(os.path.join(here, "seed-" + name), "wb") as f:
        f.write(bytes([10]) + json.dumps(message, ensure_ascii=False).encode())
with open(os.path.join(here, "seed-bank-holidays-deep"), "wb") as f:
    f.write(bytes([10]) + b"[" * 40 + b"]" * 40)
print(f"wrote {len(seeds) + len(texts) + len(blobs) + len(snapshots) + len(holidays) + 1} seeds to {here}")
