"""MySQL/MariaDB against real MariaDB servers: findings, sampling, read-only proof,
exposure checks (exposed / not exposed / unknown), masking, and faults."""

from __future__ import annotations

import gc
import json
import random
import re
import subprocess
import sys
import time

import pytest

import spillguard
from spillguard.errors import SourceError
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN
from spillguard.exposure.mysql_listen_all import bind_outcome
from spillguard.exposure.mysql_scanner_writable import write_privileges
from spillguard.reporting import get as reporter
from spillguard.settings import Limits, Settings
from spillguard.sources import source_for
from spillguard.sources.mysql import MysqlSource
from tests.servers.base import free_port
from tests.servers.mysql import (  # noqa: F401  (fixtures)
    LEAK_TABLES, load_leak_data, mysql_auth, mysql_open, start_server,
)

CHECKS = ("mysql-anonymous-grants", "mysql-anonymous-login", "mysql-listen-all",
          "mysql-ransom-note", "mysql-scanner-writable", "mysql-tls-off")
EXPECTED = {
    ("leak.residents", "sfzh", "CN_RESIDENT_ID"), ("leak.residents", "xm", "PERSON_NAME"),
    ("leak.residents", "lxdh", "PHONE_NUMBER"), ("leak.residents", "zzmm", "POLITICAL_AFFILIATION"),
    ("leak.residents", "mz", "ETHNICITY"), ("leak.residents", "hphm", "LICENSE_PLATE"),
    ("leak.residents", "ext.guest.id_no", "CN_RESIDENT_ID"),
    ("leak.residents", "ext.companions[].sfzh", "CN_RESIDENT_ID"),
    ("leak.hotel_checkin", "sfzh", "CN_RESIDENT_ID"), ("leak.hotel_checkin", "lxdh", "PHONE_NUMBER"),
    ("leak.face_log", "sfzh", "CN_RESIDENT_ID"),
}
SAMPLED = re.compile(r"^sampled:n=(\d+),method=(pk_range|head),seed=(\d+|none)$")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")


def scan(uri: str, progress=None, **kw):
    return spillguard.scan(Settings(targets=[uri], **kw), progress)


def rows_by_container(result):
    return {c.container: c for c in result.coverage}


def exposures(result):
    return {e.check: e for e in result.exposure}


def found(result):
    return {(f.container, f.field, f.entity) for f in result.findings}


def planted_ids(server, n=5):
    with server.admin("leak") as conn, conn.cursor() as cur:
        cur.execute("SELECT sfzh, lxdh FROM residents ORDER BY id LIMIT %s", (n,))
        return [v for row in cur.fetchall() for v in row]


# -- unit tables ------------------------------------------------------------------------

@pytest.mark.parametrize("target, ok", [
    ("mysql://u:p@h:3306/db", True), ("MariaDB://h/db", True), ("mysql+pymysql://h", True),
    ("mysqlx://h", False), ("postgresql://h/db", False), ("mysql.db", False),
])
def test_accepts(target, ok):
    assert MysqlSource.accepts(target) is ok
    if ok:
        assert source_for(target) is MysqlSource


@pytest.mark.parametrize("bind, skip, status", [
    ("*", "OFF", EXPOSED), ("0.0.0.0", "OFF", EXPOSED), ("::", None, EXPOSED),
    ("127.0.0.1,::", "OFF", EXPOSED), ("127.0.0.1", "OFF", NOT_EXPOSED),
    ("10.0.0.5", "OFF", NOT_EXPOSED), ("", "OFF", UNKNOWN), (None, None, UNKNOWN),
    ("*", "ON", NOT_EXPOSED),
])
def test_bind_outcome(bind, skip, status):
    assert bind_outcome(bind, skip).status == status


def test_write_privileges_never_keeps_grant_text():
    lines = ["GRANT USAGE ON *.* TO `s`@`%` IDENTIFIED BY PASSWORD '*D821809F681A40A6E379B50D04'",
             "GRANT SELECT (`Host`, `User`) ON `mysql`.`user` TO `s`@`%`",
             "GRANT SELECT, INSERT (`a`), SHOW VIEW ON `x`.* TO `s`@`%`",
             "GRANT PROXY ON ''@'%' TO 'root'@'localhost' WITH GRANT OPTION",
             "GRANT `r1`,`r2`@`%` TO `s`@`%`"]
    assert write_privileges(lines) == ({"INSERT"}, ["`r1`", "`r2`@`%`"])
    assert write_privileges(lines[:2]) == (set(), [])
    assert write_privileges(["GRANT ALL PRIVILEGES ON *.* TO `root`@`localhost` WITH GRANT OPTION"])[0] \
        == {"ALL PRIVILEGES", "GRANT OPTION"}


# -- scanning ---------------------------------------------------------------------------

def test_open_server_scan_finds_planted_entities(mysql_open):
    result = scan(mysql_open.uri())  # no user, no password: the anonymous user ''
    assert result.targets[0].kind == "mysql" and result.targets[0].status == "complete"
    rows = rows_by_container(result)
    assert set(rows) == {f"leak.{t}" for t in LEAK_TABLES} | {"PLEASE_READ_ME_XYZ.WARNING"}
    assert all(r.status == "complete" and r.path is None for r in rows.values())
    assert rows["leak.residents"].records == 300
    assert EXPECTED <= found(result)


def test_auth_server_scan_with_least_privilege_account(mysql_auth):
    uri = mysql_auth.scanner_uri().replace("mysql://", "mariadb://")
    result = scan(uri, sample_size=0)
    assert result.targets[0].status == "complete"
    assert set(rows_by_container(result)) == {f"leak.{t}" for t in LEAK_TABLES}
    assert EXPECTED <= found(result)
    assert scan(mysql_auth.scanner_uri(), include=["leak.res*"], exclude=["*.face_log"]).coverage[0].container \
        == "leak.residents"
    assert [c.container for c in scan(mysql_auth.scanner_uri(), exclude=["leak.*"]).coverage] == []


def test_sampling_records_method_and_seed(mysql_open):
    first = scan(mysql_open.uri(db="leak"), sample_size=40)
    rows = rows_by_container(first)
    methods = {}
    for name, row in rows.items():
        assert row.status == "partial" and row.records == 40, name
        m = SAMPLED.match(row.reason or "")
        assert m and m.group(1) == "40", row.reason
        methods[name] = (m.group(2), m.group(3))
    assert methods["leak.residents"][0] == "pk_range" and methods["leak.residents"][1].isdigit()
    assert methods["leak.hotel_checkin"] == ("head", "none")  # no primary key
    assert methods["leak.face_log"] == ("head", "none")  # text primary key
    assert ("leak.residents", "sfzh", "CN_RESIDENT_ID") in found(first)
    again = scan(mysql_open.uri(db="leak"), sample_size=40)  # seeded: the same sample
    assert sorted((f.fingerprint, f.count, f.distinct) for f in first.findings) == \
        sorted((f.fingerprint, f.count, f.distinct) for f in again.findings)
    assert all(c.status == "complete" for c in scan(mysql_open.uri(db="leak"), sample_size=300).coverage)


def test_pk_range_starts_at_the_seeded_key(mysql_open):
    offset = mysql_open.general_log.stat().st_size
    result = scan(mysql_open.uri(db="leak"), sample_size=40, include=["leak.residents"], run_checks=False)
    seed = int(SAMPLED.match(result.coverage[0].reason).group(3))
    start = 1 + random.Random(seed).randrange(300)  # MIN(id)=1, MAX(id)=300
    log = mysql_open.general_log.read_bytes()[offset:].decode("utf-8", "replace")
    assert f"WHERE `id` >= {start} ORDER BY `id` LIMIT" in log
    if start > 261:  # fewer than 40 keys from the start: wraps to the lowest keys
        assert f"WHERE `id` < {start} ORDER BY `id` LIMIT {start - 261}" in log
    assert "RAND(" not in log.upper()


def test_read_only_general_log_and_checksums(mysql_open):
    tables = [f"leak.{t}" for t in LEAK_TABLES]
    before = mysql_open.checksum(tables)
    offset = mysql_open.general_log.stat().st_size
    scan(mysql_open.uri(), sample_size=0)
    scan(mysql_open.uri(), sample_size=25)
    time.sleep(0.2)
    log = mysql_open.general_log.read_bytes()[offset:].decode("utf-8", "replace")
    commands = re.findall(r"^\s*(?:\d{6}\s+\d{1,2}:\d\d:\d\d)?\s+\d+\s+([A-Z][a-z]+(?: [A-Z][a-z]+)?)\t(.*)$",
                          log, re.M)
    queries = [q.strip() for kind, q in commands if kind == "Query"]
    assert len(queries) > 20 and {kind for kind, _ in commands} <= {"Connect", "Query", "Quit"}
    allowed = re.compile(r"^(SELECT|SHOW|SET|START TRANSACTION READ ONLY$|COMMIT$|ROLLBACK$)", re.I)
    forbidden = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE|CREATE|ALTER|DROP|TRUNCATE|GRANT|LOAD|"
                           r"HANDLER|LOCK|CALL|DO|RENAME|KILL|FLUSH)\b", re.I)
    assert [q for q in queries if not allowed.match(q)] == []
    assert [q for q in queries if forbidden.search(q.split(" FROM ")[0].split(" LIKE ")[0])] == []
    assert any("START TRANSACTION READ ONLY" == q for q in queries)
    assert any("ORDER BY RAND" in q.upper() for q in queries) is False
    assert mysql_open.checksum(tables) == before


# -- exposure checks --------------------------------------------------------------------

def test_checks_exposed_on_open_server(mysql_open):
    result = scan(mysql_open.uri(), read_data=False)
    ex = exposures(result)
    assert set(ex) == set(CHECKS)
    # the test server binds 127.0.0.1 only (no test server may listen wider):
    # mysql-listen-all's EXPOSED verdicts are covered by test_bind_outcome
    assert ex.pop("mysql-listen-all").status == NOT_EXPOSED
    assert {k: e.status for k, e in ex.items()} == {k: EXPOSED for k in ex}
    assert ex["mysql-ransom-note"].detail.startswith("ransom-note-like names present")
    assert ex["mysql-ransom-note"].severity == "critical"
    assert all(e.fix for e in result.exposure)


def test_checks_not_exposed_on_auth_server(mysql_auth):
    result = scan(mysql_auth.scanner_uri(), read_data=False, try_default_credentials=True)
    assert {e.check: e.status for e in result.exposure} == {c: NOT_EXPOSED for c in CHECKS}
    assert "default credentials" in exposures(result)["mysql-anonymous-login"].detail


def test_checks_unknown_when_down():
    uri = f"mysql://scanner:s3cret-pw@127.0.0.1:{free_port()}/leak"
    t0 = time.monotonic()
    result = scan(uri, limits=Limits(connect_timeout_s=2))
    assert time.monotonic() - t0 < 30
    assert {e.check: e.status for e in result.exposure} == {c: UNKNOWN for c in CHECKS}
    assert result.targets[0].status == "error" and result.targets[0].reason == "connection_refused"
    assert "s3cret-pw" not in reporter("json").render(result)


def test_checks_unknown_for_wrong_password(mysql_auth):
    result = scan(mysql_auth.uri("scanner", "wrong-password", "leak"), read_data=False)
    status = {e.check: e.status for e in result.exposure}
    assert status["mysql-anonymous-login"] == NOT_EXPOSED
    assert status["mysql-tls-off"] == NOT_EXPOSED  # seen in the handshake, before the login
    for check in ("mysql-listen-all", "mysql-anonymous-grants", "mysql-scanner-writable", "mysql-ransom-note"):
        assert status[check] == UNKNOWN and "auth_failed" in exposures(result)[check].detail


def test_scanner_with_write_grants_is_flagged(mysql_auth):
    with mysql_auth.admin() as conn, conn.cursor() as cur:
        cur.execute("CREATE USER 'writer'@'%' IDENTIFIED BY 'writer-pw-123'")
        cur.execute("CREATE ROLE IF NOT EXISTS etl")
        cur.execute("GRANT UPDATE ON leak.* TO etl")
        cur.execute("GRANT SELECT ON leak.* TO 'writer'@'%'")
        cur.execute("GRANT etl TO 'writer'@'%'")
    try:
        result = scan(mysql_auth.uri("writer", "writer-pw-123", "leak"), read_data=False)
        e = exposures(result)["mysql-scanner-writable"]
        assert e.status == EXPOSED and "UPDATE" in e.detail and "writer-pw" not in e.detail
    finally:
        with mysql_auth.admin() as conn, conn.cursor() as cur:
            cur.execute("DROP USER 'writer'@'%'")
            cur.execute("DROP ROLE etl")


# -- masking ----------------------------------------------------------------------------

def test_credentials_and_values_masked_in_reports(mysql_auth, caplog):
    caplog.set_level("DEBUG")
    result = scan(mysql_auth.scanner_uri(), sample_size=0)
    secrets = [mysql_auth.scanner_password, mysql_auth.root_password]
    for fmt in ("json", "sarif"):
        text = reporter(fmt).render(result)
        assert all(s not in text for s in secrets)
        assert all(v not in text for v in planted_ids(mysql_auth))
    assert "scanner:***@" in reporter("json").render(result)
    assert all(s not in caplog.text for s in secrets)


def test_cli_json_masks_password(mysql_auth):
    proc = subprocess.run(
        [sys.executable, "-m", "spillguard", "scan", mysql_auth.scanner_uri(), "--format", "json",
         "--sample-size", "50", "-v"],
        capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "SPILLGUARD_KEY": "test-key-0123456789abcdef"},
    )
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    report = json.loads(proc.stdout)
    assert mysql_auth.scanner_password not in proc.stdout + proc.stderr
    assert {c["container"] for c in report["coverage"]} == {f"leak.{t}" for t in LEAK_TABLES}


# -- faults -----------------------------------------------------------------------------

def _anonymous_instance(name):
    """Grant tables on, root without a password, an anonymous ''@'%' with SELECT: the
    other common shape of an open server."""
    server = start_server(name)
    with server.admin() as conn:
        load_leak_data(conn, rows=200)
        with conn.cursor() as cur:
            for i in range(3):
                cur.execute(f"CREATE TABLE leak.more_{i} AS SELECT * FROM leak.hotel_checkin")
            cur.execute("CREATE USER ''@'%'")
            cur.execute("GRANT SELECT ON leak.* TO ''@'%'")
    return server


@pytest.mark.timeout(120)
def test_server_killed_mid_scan():
    server = _anonymous_instance("kill")
    try:
        pre = exposures(scan(server.uri(), read_data=False))
        assert pre["mysql-anonymous-login"].status == EXPOSED
        assert pre["mysql-anonymous-grants"].status == EXPOSED  # via information_schema
        killed = []

        def progress(event, row):
            if event == "start" and not killed:
                server.kill()
                killed.append(row.container)

        t0 = time.monotonic()
        result = scan(server.uri(), progress, sample_size=0)
        assert time.monotonic() - t0 < 60
        rows = result.coverage
        assert len(rows) == 6 and killed == [rows[0].container]
        assert all(r.status in ("partial", "error") and r.reason == "connection_lost" for r in rows)
        assert result.targets[0].status == "partial"
    finally:
        server.stop()


@pytest.mark.timeout(120)
def test_paused_server_times_out():
    server = _anonymous_instance("pause")
    try:
        paused = []

        def progress(event, row):
            if event == "start" and not paused:
                server.pause()
                paused.append(row.container)

        t0 = time.monotonic()
        result = scan(server.uri(), progress, sample_size=0, run_checks=False,
                      limits=Limits(query_timeout_s=1, connect_timeout_s=1))
        assert time.monotonic() - t0 < 30
        assert all(r.status == "error" and r.reason == "timeout" for r in result.coverage)
    finally:
        server.resume()
        server.stop()


@pytest.mark.timeout(120)
def test_permission_denied_on_one_table(mysql_auth):
    with mysql_auth.admin() as conn:
        load_leak_data(conn, db="mixed", rows=50)
        with conn.cursor() as cur:
            user = mysql_auth.scanner_user
            cur.execute("GRANT SELECT ON mixed.residents TO %s@'%%'", (user,))
            cur.execute("GRANT SELECT ON mixed.face_log TO %s@'%%'", (user,))
            cur.execute("GRANT SELECT (xm) ON mixed.hotel_checkin TO %s@'%%'", (user,))
    result = scan(mysql_auth.scanner_uri("mixed"), sample_size=0)
    rows = rows_by_container(result)
    assert rows["mixed.hotel_checkin"].status == "error"
    assert rows["mixed.hotel_checkin"].reason == "permission_denied"
    assert rows["mixed.residents"].status == rows["mixed.face_log"].status == "complete"
    assert ("mixed.face_log", "sfzh", "CN_RESIDENT_ID") in found(result)
    assert result.targets[0].status == "partial"


@pytest.mark.timeout(120)
def test_statement_timeout_on_slow_view(mysql_auth):
    with mysql_auth.admin() as conn, conn.cursor() as cur:
        cur.execute("CREATE DATABASE slow")
        cur.execute("CREATE TABLE slow.a_people AS SELECT * FROM leak.residents LIMIT 20")
        cur.execute("CREATE VIEW slow.b_sleepy AS SELECT sfzh, SLEEP(0.5) AS z FROM slow.a_people")
        cur.execute("CREATE TABLE slow.c_people AS SELECT * FROM leak.hotel_checkin LIMIT 20")
        cur.execute("GRANT SELECT, SHOW VIEW ON slow.* TO %s@'%%'", (mysql_auth.scanner_user,))
    t0 = time.monotonic()
    result = scan(mysql_auth.scanner_uri("slow"), sample_size=0, run_checks=False,
                  limits=Limits(query_timeout_s=1))
    assert time.monotonic() - t0 < 30
    rows = rows_by_container(result)
    assert (rows["slow.b_sleepy"].status, rows["slow.b_sleepy"].reason) == ("error", "timeout")
    assert rows["slow.a_people"].status == rows["slow.c_people"].status == "complete"
    assert rows["slow.c_people"].records == 20


@pytest.mark.timeout(120)
@pytest.mark.parametrize("table", ["paged", "streamed"])
def test_server_killed_inside_a_container(table):
    """Killed after the first batch: keyset pages (integer key) and one streaming
    statement (no key) both end with connection_lost, without hanging or draining."""
    server = start_server(f"kill-{table}")
    try:
        with server.admin() as conn, conn.cursor() as cur:
            cur.execute("CREATE DATABASE big")
            key = "PRIMARY KEY" if table == "paged" else ""
            cur.execute(f"CREATE TABLE big.{table} (id INT {key}, sfzh CHAR(18), pad VARCHAR(300))")
            cur.execute(f"INSERT INTO big.{table} SELECT seq, '11010519491231002X', REPEAT('x', 300) "
                        "FROM big.seq_1_to_100000")
        uri = server.uri("root", "", "big")
        source = MysqlSource(uri, Settings(targets=[uri], sample_size=0, limits=Limits(batch_records=500)), uri)
        (container,) = list(source.containers())
        batches = container.batches
        assert next(batches).records == 500
        server.kill()
        with pytest.raises(SourceError) as info:
            for _ in batches:
                pass
        assert info.value.reason == "connection_lost" and "11010519491231002X" not in str(info.value)
        source.close()
        gc.collect()
    finally:
        server.stop()


def test_odd_names_and_wrapped_sample(mysql_auth):
    with mysql_auth.admin() as conn, conn.cursor() as cur:
        cur.execute("CREATE DATABASE `odd%db`")
        cur.execute("CREATE TABLE `odd%db`.`100% ``tick``` (id INT PRIMARY KEY, sfzh CHAR(18), doc JSON)")
        cur.execute("INSERT INTO `odd%db`.`100% ``tick``` SELECT seq, sfzh, JSON_OBJECT('a', JSON_OBJECT('sfzh', sfzh)) "
                    "FROM leak.residents JOIN leak.seq_1_to_300 ON seq = leak.residents.id")
        cur.execute("GRANT SELECT ON `odd%%db`.* TO %s@'%%'", (mysql_auth.scanner_user,))
    result = scan(mysql_auth.scanner_uri("odd%25db"), sample_size=299, run_checks=False)
    (row,) = result.coverage
    assert row.container == "odd%db.100% `tick`" and row.records == 299
    assert SAMPLED.match(row.reason).group(2) == "pk_range"
    assert {("doc.a.sfzh", "CN_RESIDENT_ID"), ("sfzh", "CN_RESIDENT_ID")} <= {(f.field, f.entity) for f in result.findings}
