"""MongoDB source and checks against SecantusDB (a wire-protocol stand-in for mongod, see
tests/servers/mongodb.py): planted entities found, sampling recorded, read-only proven,
checks in three outcomes, credentials masked, faults contained."""

from __future__ import annotations

import datetime as dt
import logging
import subprocess
import sys
import threading
import time
import uuid

import bson
import pymongo
import pytest
from pymongo import monitoring

from spillguard.exposure._ransom import ransom_match
import spillguard
from spillguard import reporting
from spillguard.credentials import parse_target
from spillguard.errors import ConfigError
from spillguard.exposure import _mongodb as m
from spillguard.exposure import checks_for
from spillguard.exposure.base import CheckContext, run_check
from spillguard.exposure.mongodb_bind_all import evaluate
from spillguard.settings import Limits, Settings
from spillguard.sources.mongodb import MongoSource
from tests.servers.base import free_port
from tests.servers.mongodb import (  # noqa: F401  (fixtures)
    ADMIN_PASSWORD,
    ADMIN_USER,
    RANSOM_DB,
    SCANNER_PASSWORD,
    SCANNER_USER,
    digest,
    load_leak_data,
    mongo_auth,
    mongo_disposable,
    mongo_open,
)

pytestmark = pytest.mark.timeout(120)
CHECK_IDS = {"mongodb-authorization-disabled", "mongodb-bind-all", "mongodb-ransom-note", "mongodb-tls-off"}
FAST = dict(connect_timeout_s=2.0, query_timeout_s=3.0)


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")


def scan(*targets, progress=None, limits=None, **kw):
    settings = Settings(targets=list(targets), limits=Limits(**(limits or FAST)), **kw)
    return spillguard.scan(settings, progress)


def rows(result):
    return {c.container: c for c in result.coverage}


def found(result):
    return {(f.container, f.field, f.entity) for f in result.findings}


READ_ONLY = {
    "find", "getMore", "aggregate", "listDatabases", "listCollections", "count", "collStats",
    "killCursors", "endSessions", "hello", "isMaster", "ismaster", "ping", "saslStart",
    "saslContinue", "getCmdLineOpts", "buildInfo",
}


class Recorder(monitoring.CommandListener):
    """A global command listener (pymongo has no unregister: ``remove`` detaches it)."""

    def __init__(self):
        self.active = True
        self.seen: list[tuple[str, dict]] = []
        self.cursors: list[int] = []

    def started(self, event):
        if self.active:
            self.seen.append((event.command_name, dict(event.command)))

    def succeeded(self, event):
        if self.active and event.command_name == "find":
            self.cursors.append(event.reply["cursor"]["id"])

    def failed(self, event):
        pass

    def remove(self):
        self.active = False
        if self in monitoring._LISTENERS.command_listeners:
            monitoring._LISTENERS.command_listeners.remove(self)



# -- content ------------------------------------------------------------------------------


def test_full_scan_finds_planted_entities(mongo_open):
    result = scan(mongo_open.uri(), sample_size=0, run_checks=False)
    cov = rows(result)
    for name, n in mongo_open.planted.items():
        assert cov[name].status == "complete" and cov[name].reason is None
        assert cov[name].records == n
    assert not any(c.startswith(("local.", "config.")) or ".system." in c for c in cov)
    assert (cov["hotel.guest_rooms"].status, cov["hotel.guest_rooms"].reason) == ("skipped", "view")
    assert set(cov) == set(mongo_open.planted) | {"hotel.guest_rooms"}
    expected = {
        ("hotel.guests", "guest.id_no", "CN_RESIDENT_ID"),
        ("hotel.guests", "guest.lxdh", "PHONE_NUMBER"),
        ("hotel.guests", "guest.mz", "ETHNICITY"),
        ("hotel.guests", "companions[].id_no", "CN_RESIDENT_ID"),
        ("residential.residents", "sfzh", "CN_RESIDENT_ID"),
        ("residential.residents", "zzmm", "POLITICAL_AFFILIATION"),
        ("residential.residents", "hphm", "LICENSE_PLATE"),
        ("police.face_logs", "face.feature", "FACE_EMBEDDING"),
        ("police.face_logs", "face_blob", "FACE_EMBEDDING"),
    }
    assert expected <= found(result)
    ids = next(f for f in result.findings if (f.container, f.field) == ("hotel.guests", "guest.id_no"))
    assert ids.distinct == mongo_open.planted["hotel.guests"]


def test_face_log_on_an_open_server_is_a_trace_and_a_critical_risk(mongo_open):
    """Issue 4 on a live store: the face-gate log is a location trace (12 people, 5 passes
    each), the open server makes reach 'exposed', and people are counted scan-wide."""
    result = scan(mongo_open.uri(), sample_size=0)
    trace = next(t for t in result.traces if t.container == "police.face_logs")
    assert (trace.key_field, trace.keys, trace.keys_4_plus) == ("sfzh", 12, 12)
    assert trace.surveillance_log
    risk = next(r for r in result.risk if r.scope == "container" and r.container == "police.face_logs")
    assert risk.reach == "exposed" and risk.severity == "critical"
    scan_people = next(p for p in result.people if p.scope == "scan")
    assert scan_people.estimate >= mongo_open.planted["hotel.guests"]


def test_sampling_uses_dollar_sample_and_records_it(mongo_open):
    result = scan(mongo_open.uri(), sample_size=40, run_checks=False)
    cov = rows(result)
    assert cov["hotel.guests"].status == "partial"
    assert cov["hotel.guests"].reason == "sampled:n=40,method=$sample,seed=server-random"
    assert cov["hotel.guests"].records == 40
    assert cov["police.face_logs"].status == "partial"  # 60 > 40
    assert cov[f"{RANSOM_DB}.README"].status == "complete"
    assert ("hotel.guests", "guest.id_no", "CN_RESIDENT_ID") in found(result)


def test_id_range_sampling_when_sample_is_refused(mongo_open, monkeypatch):
    def refuse(self, coll, n):
        raise pymongo.errors.OperationFailure("Unrecognized pipeline stage name", code=40324)

    monkeypatch.setattr(MongoSource, "_aggregate", refuse)
    first = scan(mongo_open.uri(), sample_size=100, run_checks=False, include=["hotel.*"])
    again = scan(mongo_open.uri(), sample_size=100, run_checks=False, include=["hotel.*"])
    row = rows(first)["hotel.guests"]
    assert row.status == "partial" and row.records == 100
    assert row.reason.startswith("sampled:n=100,method=_id_range,seed=")
    assert rows(again)["hotel.guests"].reason == row.reason  # seeded: same pivot
    assert [f.fingerprint for f in first.findings] == [f.fingerprint for f in again.findings]
    assert [(f.field, f.distinct) for f in first.findings] == [(f.field, f.distinct) for f in again.findings]


def test_include_exclude_on_db_collection(mongo_open):
    result = scan(mongo_open.uri(), run_checks=False, include=["hotel.*", "police.*"], exclude=["police.*"])
    assert set(rows(result)) == {"hotel.guests", "hotel.guest_rooms"}


def test_cursor_not_found_resumes_after_last_id(mongo_open):
    """Kill the scanner's cursor between batches (as the 10-minute idle timeout would)."""
    spy = Recorder()
    monitoring.register(spy)
    settings = Settings(targets=[mongo_open.uri()], sample_size=0, limits=Limits(batch_records=25, **FAST))
    source = MongoSource(mongo_open.uri(), settings, mongo_open.uri())
    try:
        cs = next(cs for cs in source.containers() if cs.coverage.container == "hotel.guests")
        ids: list[str] = []
        with mongo_open.client() as admin:
            for i, batch in enumerate(cs.batches):
                ids.extend(batch.columns["_id"])
                if i == 0:
                    admin.hotel.command("killCursors", "guests", cursors=[spy.cursors[-1]])
        assert len(spy.cursors) >= 2  # a second find: the resume
        assert len(ids) == len(set(ids)) == mongo_open.planted["hotel.guests"]
        assert cs.coverage.status == "complete"
    finally:
        source.close()
        spy.remove()


# -- read-only ----------------------------------------------------------------------------

def test_scan_is_read_only(mongo_open):
    with mongo_open.client() as admin:
        before = digest(admin)
    recorder = Recorder()
    monitoring.register(recorder)  # global: picked up by the clients spillguard creates
    try:
        result = scan(mongo_open.uri(), sample_size=50)
        assert len(result.exposure) == 4
    finally:
        recorder.remove()
    names = [n for n, _ in recorder.seen]
    print("commands seen:", sorted(set(names)))
    assert set(names) <= READ_ONLY, sorted(set(names) - READ_ONLY)
    assert {"listDatabases", "listCollections", "aggregate", "getCmdLineOpts"} <= set(names)
    for name, cmd in recorder.seen:
        if name == "aggregate":
            assert [list(stage) for stage in cmd["pipeline"]] == [["$sample"]]
        if name in ("find", "aggregate", "count", "listDatabases", "listCollections", "getCmdLineOpts"):
            assert cmd.get("maxTimeMS"), name
    with mongo_open.client() as admin:
        assert digest(admin) == before


# -- exposure checks ----------------------------------------------------------------------


def checks(uri: str, **limits):
    settings = Settings(targets=[uri], limits=Limits(**(limits or FAST)))
    ctx = CheckContext(parse_target(uri), "mongodb", settings)
    return {e.check: e for c in checks_for("mongodb") for e in run_check(c, ctx)}


def test_checks_registered():
    assert {c.id for c in checks_for("mongodb")} == CHECK_IDS
    for c in checks_for("mongodb"):
        assert c.title and c.fix and c.kinds == ("mongodb",)


def test_checks_on_open_server(mongo_open):
    got = checks(mongo_open.uri())
    assert got["mongodb-authorization-disabled"].status == "exposed"
    assert got["mongodb-authorization-disabled"].severity == "critical"
    assert got["mongodb-ransom-note"].status == "exposed"
    assert "ransom-note-like names present" in got["mongodb-ransom-note"].detail
    assert got["mongodb-tls-off"].status == "exposed" and got["mongodb-tls-off"].severity == "medium"
    # the stand-in listens on 127.0.0.1 only and reports no bindIp: localhost default
    assert got["mongodb-bind-all"].status == "not_exposed"


def test_checks_on_auth_tls_server(mongo_auth):
    got = checks(mongo_auth.uri(ADMIN_USER, ADMIN_PASSWORD))
    assert {k: e.status for k, e in got.items()} == dict.fromkeys(CHECK_IDS, "not_exposed")
    assert "Unauthorized" in got["mongodb-authorization-disabled"].detail


def test_checks_unknown_without_permission(mongo_auth):
    got = checks(mongo_auth.uri())  # no credentials: names and options cannot be read
    assert got["mongodb-authorization-disabled"].status == "not_exposed"
    assert got["mongodb-ransom-note"].status == "unknown"
    assert got["mongodb-bind-all"].status == "unknown"


def test_checks_unknown_when_unreachable():
    got = checks(f"mongodb://127.0.0.1:{free_port()}/", connect_timeout_s=1.0)
    assert {k: e.status for k, e in got.items()} == dict.fromkeys(CHECK_IDS, "unknown")
    assert all(e.detail for e in got.values())


@pytest.mark.parametrize("reply, version, status", [
    ({"parsed": {"net": {"bindIpAll": True}}}, (7, 0), "exposed"),
    ({"parsed": {"net": {"bindIp": "0.0.0.0"}}}, (6, 0), "exposed"),
    ({"parsed": {"net": {"bindIp": "127.0.0.1,::"}}}, (6, 0), "exposed"),
    ({"parsed": {"net": {"bindIp": "*"}}}, (6, 0), "exposed"),
    ({"argv": ["mongod", "--bind_ip_all"], "parsed": {}}, (6, 0), "exposed"),
    ({"argv": ["mongod", "--bind_ip", "0.0.0.0"], "parsed": {}}, None, "exposed"),
    ({"parsed": {"net": {"bindIp": "127.0.0.1,10.0.0.5"}}}, (6, 0), "not_exposed"),
    ({"parsed": {"net": {"bindIp": "localhost,/tmp/mongodb.sock"}}}, (4, 4), "not_exposed"),
    ({"parsed": {"net": {}}}, (4, 4), "not_exposed"),
    ({"parsed": {"net": {}}}, (3, 4), "exposed"),
    ({"parsed": {}}, None, "unknown"),
])
def test_bind_all_verdicts(reply, version, status):
    assert evaluate(reply, version).status == status


@pytest.mark.parametrize("name, hit", [
    ("READ_ME_TO_RECOVER_YOUR_DATA", True), ("README", True), ("readme", True),
    ("PLEASE_READ_ME_XYZ", True), ("warning", True), ("x8sj2-meow", True), ("meow", True),
    ("how_to_recover", True), ("homeowners", False), ("hotel", False), ("warnings_log", False),
    ("already", False), ("readmission", False),
])
def test_ransom_names(name, hit):
    assert (ransom_match(name) is not None) is hit


# -- credentials ----------------------------------------------------------------------------


def test_credentials_masked_in_reports(mongo_auth):
    uri = mongo_auth.uri(ADMIN_USER, ADMIN_PASSWORD)
    result = scan(uri, sample_size=30)
    assert rows(result)["hotel.guests"].status == "partial"  # read with the credentials
    assert result.findings and len(result.exposure) == 4
    for fmt, reporter in reporting.registry().items():
        text = reporter.render(result)
        text = text if isinstance(text, str) else text.decode()
        assert ADMIN_PASSWORD not in text, fmt
    assert "mongodb://admin:***@127.0.0.1" in reporting.get("json").render(result)


def test_cli_masks_credentials(mongo_auth):
    uri = mongo_auth.uri(ADMIN_USER, ADMIN_PASSWORD)
    proc = subprocess.run(
        [sys.executable, "-m", "spillguard", "scan", uri, "--format", "json", "--sample-size", "20",
         "--fail-on", "never", "-v"],
        capture_output=True, text=True, timeout=110,
        env={**__import__("os").environ, "SPILLGUARD_KEY": "test-key-0123456789abcdef"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert ADMIN_PASSWORD not in proc.stdout + proc.stderr
    assert "hotel.guests" in proc.stdout


def test_least_privilege_account(mongo_auth):
    """readAnyDatabase + clusterMonitor. SecantusDB refuses listDatabases to it (mongod
    allows it): the source falls back to the URI's database."""
    result = scan(mongo_auth.uri(SCANNER_USER, SCANNER_PASSWORD, db="hotel", authSource="admin"), sample_size=0)
    assert rows(result)["hotel.guests"].status == "complete"
    assert ("hotel.guests", "guest.id_no", "CN_RESIDENT_ID") in found(result)
    bind = next(e for e in result.exposure if e.check == "mongodb-bind-all")
    assert bind.status == "not_exposed"  # getCmdLineOpts allowed by clusterMonitor


# -- faults -------------------------------------------------------------------------------


def test_server_killed_mid_scan(mongo_disposable):
    with mongo_disposable.client() as c:
        planted = load_leak_data(c)

    def progress(event, row):
        if event == "start" and row.container == "hotel.guests":
            mongo_disposable.kill()

    t0 = time.monotonic()
    result = scan(mongo_disposable.uri(), progress=progress, sample_size=0, run_checks=False)
    elapsed = time.monotonic() - t0
    cov = rows(result)
    assert set(cov) == set(planted) | {"hotel.guest_rooms"}  # every planned container has a row
    assert cov[f"{RANSOM_DB}.README"].status == "complete"  # read before the kill
    for row in (cov["hotel.guests"], cov["police.face_logs"], cov["residential.residents"]):
        assert row.status == "error" and row.reason in ("connection_lost", "server_selection_timeout"), row
    assert result.targets[0].status == "partial"
    assert elapsed < 30, elapsed


def test_unauthenticated_target_fails_alone(mongo_auth, mongo_open):
    no_creds = mongo_auth.uri()
    wrong = mongo_auth.uri(ADMIN_USER, "not-the-password")
    result = scan(no_creds, wrong, mongo_open.uri(), sample_size=20, run_checks=False)
    t_none, t_wrong, t_open = result.targets
    assert (t_none.status, t_none.reason) == ("error", "permission_denied")
    assert (t_wrong.status, t_wrong.reason) == ("error", "auth_failed")
    assert t_open.status in ("complete", "partial")
    assert {c.target for c in result.coverage} == {t_open.target}
    assert ("hotel.guests", "guest.id_no", "CN_RESIDENT_ID") in found(result)
    assert "not-the-password" not in reporting.get("json").render(result)


def test_unreachable_target_is_an_error_not_a_hang(mongo_open):
    closed = f"mongodb://127.0.0.1:{free_port()}/"
    t0 = time.monotonic()
    result = scan(closed, mongo_open.uri(), sample_size=10, run_checks=False, include=["hotel.*"])
    assert (result.targets[0].status, result.targets[0].reason) == ("error", "server_selection_timeout")
    assert result.targets[1].status in ("complete", "partial")
    assert time.monotonic() - t0 < 20


def test_paused_server_times_out_then_scan_goes_on(mongo_disposable):
    with mongo_disposable.client() as c:
        planted = load_leak_data(c)
    socket_timeout = FAST["query_timeout_s"] + FAST["connect_timeout_s"]
    timers: list[threading.Timer] = []

    def progress(event, row):
        if event == "start" and row.container == "hotel.guests":
            mongo_disposable.pause()
            timer = threading.Timer(socket_timeout + 0.5, mongo_disposable.resume)
            timers.append(timer)
            timer.start()

    t0 = time.monotonic()
    try:
        result = scan(mongo_disposable.uri(), progress=progress, sample_size=0, run_checks=False)
    finally:
        for timer in timers:
            timer.join()
    elapsed = time.monotonic() - t0
    cov = rows(result)
    assert (cov["hotel.guests"].status, cov["hotel.guests"].reason) == ("error", "timeout")
    for name in set(planted) - {"hotel.guests"}:
        assert cov[name].status == "complete", cov[name]  # before and after the pause
    assert elapsed < 60, elapsed


def test_invalid_utf8_is_replaced_and_counted():
    raw = bson.encode({"xm": "ok", "guest": {"id_no": "zz"}, "tags": ["qq"]})
    bad = raw.replace(b"ok\x00", b"\xff\xfe\x00").replace(b"zz\x00", b"\xc3(\x00").replace(b"qq\x00", b"\xe4\xb8\x00")
    with pytest.raises(bson.errors.InvalidBSON):
        bson.decode(bad)  # what a strict client would do
    before = m.decode_errors()
    doc = bson.decode(bad, codec_options=m.codec_options())
    assert m.decode_errors() - before == 4
    assert doc["xm"] == "\ufffd\ufffd" and m.plain(doc)["guest"]["id_no"].startswith("\ufffd")


def test_invalid_utf8_marks_the_container(mongo_open, monkeypatch):
    """SecantusDB rejects invalid UTF-8 on insert, so the decoding step is fed crafted
    BSON in place of the server's reply; the coverage row counts the replacements."""
    bad = bson.encode({"_id": 1, "xm": "o"}).replace(b"\x02\x00\x00\x00o\x00", b"\x02\x00\x00\x00\xff\x00")

    def documents(self, coll, full, ctype, n, cov):
        for _ in range(3):
            yield bson.decode(bad, codec_options=m.codec_options())

    monkeypatch.setattr(MongoSource, "_documents", documents)
    result = scan(mongo_open.uri(), run_checks=False, include=["hotel.guests"])
    row = rows(result)["hotel.guests"]
    assert (row.status, row.reason, row.records) == ("partial", "decode_errors:3", 3)


# -- units --------------------------------------------------------------------------------


def test_bson_values_become_batch_values():
    oid = bson.ObjectId()
    u = uuid.uuid4()
    vec = [0.1] * 128
    doc = m.plain({
        "_id": oid, "at": dt.datetime(2024, 1, 2, 3, 4, 5), "blob": bson.Binary(b"\x00\x01"),
        "price": bson.Decimal128("12.50"), "n": bson.Int64(7), "u": u, "vec": vec,
        "code": bson.Code("f()"), "ts": bson.Timestamp(1700000000, 1), "min": bson.MinKey(),
        "nested": [{"id_no": "x"}],
    })
    assert doc["_id"] == str(oid) and doc["at"] == "2024-01-02T03:04:05"
    assert type(doc["blob"]) is bytes and doc["price"] == "12.50" and type(doc["n"]) is int
    assert doc["u"] == str(u) and doc["vec"] == vec and type(doc["code"]) is str
    assert doc["ts"].startswith("2023-11-14") and doc["min"] is None
    assert doc["nested"] == [{"id_no": "x"}]


@pytest.mark.parametrize("target, creds, expected", [
    ("mongodb://u:p%40ss@h:27017/db?authSource=admin&tls=true", True,
     "mongodb://h:27017/db?authSource=admin&tls=true"),
    ("mongodb://u:p%40ss@h:27017/db?authSource=admin&tls=true", False, "mongodb://h:27017/db?tls=true"),
    ("mongodb+srv://u:pw@cluster0.example.net/?retryWrites=true", True,
     "mongodb+srv://cluster0.example.net/?retryWrites=true"),
    ("mongodb://h:1?directConnection=true", False, "mongodb://h:1/?directConnection=true"),
])
def test_host_uri_never_carries_the_password(target, creds, expected):
    uri = parse_target(target)
    assert m.host_uri(uri, credentials=creds) == expected
    assert MongoSource.accepts(target)


def test_missing_driver_is_a_config_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "pymongo", None)
    with pytest.raises(ConfigError, match=r"spillguard\[mongodb\]"):
        m.pymongo_module()


def test_debug_logging_never_carries_documents(mongo_open, caplog):
    """pymongo logs whole command replies at DEBUG (logger pymongo.command)."""
    caplog.set_level(logging.DEBUG)
    scan(mongo_open.uri(), sample_size=0, include=["residential.*"])
    assert any(r.name.startswith("pymongo") for r in caplog.records)  # DEBUG was on
    for canary in ("11010519491231002X", "13912345678", "维吾尔族"):
        assert canary not in caplog.text
