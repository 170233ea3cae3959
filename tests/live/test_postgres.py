"""PostgreSQL against real servers (tests/servers/postgres.py): entities found, sampling
recorded, read-only proven from the server log, exposure checks in three outcomes,
credentials masked, and faults (timeouts, denied tables, a killed, paused or revoked
server) marked per container without hanging."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
import threading
import time
import zlib

import pytest

from spillguard.exposure._ransom import ransom_like
from spillguard import reporting, scan
from spillguard.exposure import _postgres as pg
from spillguard.settings import Limits, Settings
from spillguard.sources import source_for
from spillguard.sources.postgres import PostgresSource
from tests.servers.base import free_port
from tests.servers.postgres import (  # noqa: F401  (pytest fixtures)
    SCANNER_PASSWORD, PgServer, add_scanner, face_vector, person, pg_auth, pg_open,
    remove, start_postgres, table_checksum,
)

CHECKS = {"postgres-trust-auth", "postgres-listen-all", "postgres-tls-off", "postgres-public-grants",
          "postgres-scanner-writable", "postgres-ransom-note"}
PLANTED = {
    ("public.residents", "xm", "PERSON_NAME"), ("public.residents", "sfzh", "CN_RESIDENT_ID"),
    ("public.residents", "lxdh", "PHONE_NUMBER"), ("public.residents", "zzmm", "POLITICAL_AFFILIATION"),
    ("public.residents", "mz", "ETHNICITY"), ("public.residents", "hphm", "LICENSE_PLATE"),
    ("public.residents", "face", "FACE_EMBEDDING"),
    ("public.residents", "extra.household.head_sfzh", "CN_RESIDENT_ID"),
    ("public.residents", "extra.household.members[].mz", "ETHNICITY"),
    ("hotel.guests", "info.guest.id_no", "CN_RESIDENT_ID"), ("hotel.guests", "info.guest.phone", "PHONE_NUMBER"),
    ("hotel.guests", "info.companions[].id_no", "CN_RESIDENT_ID"),
}
ALLOWED = {"SELECT", "SHOW", "SET", "BEGIN", "COMMIT", "ROLLBACK", "DECLARE", "FETCH", "CLOSE", "EXPLAIN"}
FORBIDDEN = re.compile(r"\b(INSERT|UPDATE|DELETE|CREATE|ALTER|DROP|TRUNCATE|GRANT|REVOKE|COPY|VACUUM|ANALYZE"
                       r"|LOCK|CALL|DO)\b", re.I)
_LOGGED = re.compile(r"app=spillguard user=(\S*) db=\S* LOG:  (?:statement|execute [^:]*): (.*)")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")
    for var in ("PGUSER", "PGPASSWORD", "SPILLGUARD_POSTGRESQL_USER", "SPILLGUARD_POSTGRESQL_PASSWORD"):
        monkeypatch.delenv(var, raising=False)


def run(uri: str, progress=None, **kw):
    limits = kw.pop("limits", None) or Limits()
    return scan(Settings(targets=[uri], limits=limits, **kw), progress)


def rows(result) -> dict:
    return {c.container: c for c in result.coverage}


def exposure(result) -> dict:
    return {e.check: e for e in result.exposure}


def statements(server: PgServer, user: str) -> list[str]:
    return [m.group(2) for m in map(_LOGGED.search, server.log_text().splitlines()) if m and m.group(1) == user]


def after_fetches(server: PgServer, user: str, table: str, action, fetches: int = 2) -> threading.Thread:
    """Run ``action`` once ``user``'s session has sent ``fetches`` FETCHes for ``table``."""
    def watch():
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            logged = statements(server, user)
            starts = [i for i, s in enumerate(logged) if s.startswith("DECLARE") and table in s]
            if starts and sum(s.startswith("FETCH") for s in logged[starts[-1]:]) >= fetches:
                break
            time.sleep(0.01)
        action()

    return threading.Thread(target=watch, daemon=True)


# ---------------------------------------------------------------- content and sampling

def test_accepts_both_schemes():
    assert source_for("postgresql://u@h/db") is PostgresSource
    assert source_for("postgres://u@h/db") is PostgresSource
    assert not PostgresSource.accepts("mysql://u@h/db")


def test_open_server_planted_entities(pg_open):
    result = run(pg_open.uri("postgres"))
    assert result.targets[0].kind == "postgresql" and result.targets[0].status == "complete"
    found = {(f.container, f.field, f.entity) for f in result.findings}
    assert PLANTED <= found, PLANTED - found
    cov = rows(result)
    assert cov["public.residents"].status == "complete" and cov["public.residents"].records == 300
    assert cov["hotel.guests"].records == 100 and cov["hotel.guests"].path is None


def test_scanner_role_samples_big_table_with_system(pg_auth):
    result = run(pg_auth.uri("scanner", SCANNER_PASSWORD), sample_size=5000)
    found = {(f.container, f.field, f.entity) for f in result.findings}
    assert PLANTED <= found
    log = rows(result)["public.entry_log"]
    seed = zlib.crc32(b"public.entry_log") & 0x7FFFFFFF
    assert (log.status, log.reason, log.records) == (
        "partial", f"sampled:n=5000,method=tablesample_system,seed={seed}", 5000)
    assert rows(result)["public.residents"].status == "complete"  # 300 <= 5000: read whole
    assert ("public.entry_log", "sfzh", "CN_RESIDENT_ID") in found


def test_small_sample_is_partial_seeded_and_repeatable(pg_auth):
    uri = pg_auth.uri("scanner", SCANNER_PASSWORD)
    first, second = run(uri, sample_size=40), run(uri, sample_size=40)
    for name in ("public.residents", "hotel.guests", "public.entry_log"):
        row = rows(first)[name]
        assert row.status == "partial" and row.records == 40
        assert re.fullmatch(r"sampled:n=40,method=tablesample_(bernoulli|system),seed=\d+", row.reason)
    key = lambda r: sorted((f.fingerprint, f.distinct, f.count) for f in r.findings)  # noqa: E731
    assert key(first) == key(second)


def test_include_exclude_on_container_names(pg_auth):
    uri = pg_auth.uri("scanner", SCANNER_PASSWORD)
    assert set(rows(run(uri, include=["public.*"], exclude=["*.entry_log"]))) == {"public.residents"}


def test_read_only_proven_by_server_log_and_checksums(pg_auth):
    tables = ("public.residents", "hotel.guests", "public.entry_log")
    before = {t: table_checksum(pg_auth, "spill", t) for t in tables}
    uri = pg_auth.uri("scanner", SCANNER_PASSWORD)
    run(uri, sample_size=0, exclude=["*.entry_log"], limits=Limits(batch_records=64))
    run(uri, sample_size=100)
    assert {t: table_checksum(pg_auth, "spill", t) for t in tables} == before
    sent = statements(pg_auth, "scanner")
    assert any(s.startswith("DECLARE") for s in sent) and any("TABLESAMPLE" in s for s in sent)
    for stmt in sent:
        for part in filter(None, (p.strip() for p in stmt.split(";"))):
            assert part.split()[0].upper() in ALLOWED, part[:80]
            assert not FORBIDDEN.match(part), part[:80]
    assert "SET default_transaction_read_only = on" in "\n".join(sent)
    assert any(s.startswith("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") for s in sent)


def test_vector_type_text_becomes_a_vector(pg_open):
    """pgvector returns '[0.1,...]' text; a domain named vector stands in for the extension."""
    with pg_open.connect("spill") as conn:
        conn.execute("CREATE SCHEMA vec; CREATE DOMAIN vec.vector AS text; "
                     "CREATE TABLE vec.faces (person_id int, face_feature vec.vector)")
        for i in range(20):
            conn.execute("INSERT INTO vec.faces VALUES (%s, %s)",
                         (i, "[" + ",".join(f"{x:.6f}" for x in face_vector(i)) + "]"))
    try:
        result = run(pg_open.uri("postgres"), include=["vec.*"], run_checks=False)
        assert ("vec.faces", "face_feature", "FACE_EMBEDDING") in {
            (f.container, f.field, f.entity) for f in result.findings}
    finally:
        with pg_open.connect("spill") as conn:
            conn.execute("DROP SCHEMA vec CASCADE")


def test_matviews_partitions_and_unpopulated(pg_open):
    with pg_open.connect("spill") as conn:
        conn.execute("""
            CREATE SCHEMA mv;
            CREATE MATERIALIZED VIEW mv.party AS SELECT xm, zzmm FROM public.residents;
            CREATE MATERIALIZED VIEW mv.later AS SELECT xm FROM public.residents WITH NO DATA;
            CREATE TABLE mv.visits (id int, sfzh text) PARTITION BY RANGE (id);
            CREATE TABLE mv.visits_a PARTITION OF mv.visits FOR VALUES FROM (0) TO (100);
            CREATE TABLE mv.visits_b PARTITION OF mv.visits FOR VALUES FROM (100) TO (200);
            INSERT INTO mv.visits SELECT i, '11010519491231002X' FROM generate_series(0, 199) i;
        """)
    try:
        result = run(pg_open.uri("postgres"), include=["mv.*"], run_checks=False, sample_size=50)
        cov = rows(result)
        assert set(cov) == {"mv.party", "mv.later", "mv.visits"}  # partitions read through the parent
        assert (cov["mv.later"].status, cov["mv.later"].reason) == ("skipped", "not_populated")
        assert cov["mv.visits"].reason.startswith("sampled:n=50,method=tablesample_")
        assert cov["mv.visits"].records == 50
        found = {(f.container, f.field, f.entity) for f in result.findings}
        assert {("mv.party", "zzmm", "POLITICAL_AFFILIATION"), ("mv.visits", "sfzh", "CN_RESIDENT_ID")} <= found
    finally:
        with pg_open.connect("spill") as conn:
            conn.execute("DROP SCHEMA mv CASCADE")


# ---------------------------------------------------------------- exposure checks

def test_checks_exposed_on_open_server(pg_open):
    result = run(pg_open.uri("postgres"), read_data=False)
    found = exposure(result)
    assert set(found) == CHECKS
    for check in found.values():
        assert check.status == "exposed", (check.check, check.detail)
        assert check.fix and check.severity != "info"
    assert found["postgres-ransom-note"].severity == "critical"
    assert "README_TO_RECOVER_A" in found["postgres-ransom-note"].detail


def test_checks_not_exposed_on_hardened_server(pg_auth):
    found = exposure(run(pg_auth.uri("scanner", SCANNER_PASSWORD), read_data=False))
    assert {c: e.status for c, e in found.items()} == {c: "not_exposed" for c in CHECKS}


def test_checks_unknown_and_target_error_when_unreachable():
    uri = f"postgresql://scanner:{SCANNER_PASSWORD}@127.0.0.1:{free_port()}/spill"
    result = run(uri, limits=Limits(connect_timeout_s=2))
    assert {c: e.status for c, e in exposure(result).items()} == {c: "unknown" for c in CHECKS}
    assert (result.targets[0].status, result.targets[0].reason) == ("error", "connection_refused")


def test_default_user_probed_only_on_opt_in(pg_open):
    uri = f"postgresql://:{pg_open.port}/spill?host={pg_open.sock}"
    assert exposure(run(uri, read_data=False))["postgres-trust-auth"].status == "unknown"
    opted = exposure(run(uri, read_data=False, try_default_credentials=True))["postgres-trust-auth"]
    assert opted.status == "exposed" and "'postgres'" in opted.detail


def test_trust_probe_on_hardened_server_reports_auth_not_exposure(pg_auth):
    wrong = pg_auth.uri("scanner", "not-the-password")
    result = run(wrong)
    assert exposure(result)["postgres-trust-auth"].status == "not_exposed"
    assert exposure(result)["postgres-listen-all"].status == "unknown"  # needs a session
    assert exposure(result)["postgres-tls-off"].status == "not_exposed"  # SSLRequest answered S
    assert (result.targets[0].status, result.targets[0].reason) == ("error", "auth_failed")


@pytest.mark.parametrize("name, hit", [
    ("README_TO_RECOVER_A", True), ("readme", True), ("Read_Me", True), ("WARNING", True),
    ("how_to_recover", True), ("RECOVER_YOUR_DATA_info", True), ("PLEASE_READ_ME_XMR", True),
    ("abc123-meow", True), ("homeowners", False), ("warning_logs", False), ("residents", False),
    ("readmission", False),
])
def test_ransom_names(name, hit):
    assert ransom_like(name) is hit


# ---------------------------------------------------------------- nothing leaked

def test_password_masked_everywhere(pg_auth, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    uri = pg_auth.uri("scanner", SCANNER_PASSWORD)
    for target in (uri, pg_auth.uri("scanner", SCANNER_PASSWORD, port=free_port())):
        result = run(target, sample_size=50)
        for fmt in ("json", "sarif", "table"):
            text = reporting.get(fmt).render(result)
            assert SCANNER_PASSWORD not in text
        assert "scanner:***@" in reporting.get("json").render(result)
    planted = person(0)["sfzh"]
    assert SCANNER_PASSWORD not in caplog.text and planted not in caplog.text
    cli = subprocess.run([sys.executable, "-m", "spillguard", "scan", uri, "--format", "json",
                          "--sample-size", "50", "-v", "--fail-on", "never"],
                         capture_output=True, text=True, timeout=120,
                         env={"SPILLGUARD_KEY": "test-key-0123456789abcdef", "PATH": "/usr/bin:/bin",
                              "HOME": str(tmp_path)})
    assert cli.returncode == 0, cli.stderr[-500:]
    assert SCANNER_PASSWORD not in cli.stdout + cli.stderr and planted not in cli.stdout + cli.stderr
    report = json.loads(cli.stdout)
    assert {f["entity"] for f in report["findings"]} >= {"CN_RESIDENT_ID", "ETHNICITY"}


# ---------------------------------------------------------------- faults

@pytest.fixture(scope="module")
def faults(pg_auth):
    """Database ``faults`` on the hardened server: a table that slows down after five rows
    (row-level security calling pg_sleep), one the scanner has no grant on, one whose
    policy calls a function the scanner may not execute, and an ordinary one."""
    with pg_auth.connect() as admin:
        admin.execute("CREATE DATABASE faults")
    with pg_auth.connect("faults") as conn:
        conn.execute("""
            CREATE FUNCTION public.sg_slow(i int) RETURNS boolean LANGUAGE sql VOLATILE
              AS $$ SELECT true FROM pg_sleep(CASE WHEN i > 5 THEN 3 ELSE 0 END) $$;
            CREATE FUNCTION public.sg_private() RETURNS boolean LANGUAGE sql AS $$ SELECT true $$;
            REVOKE EXECUTE ON FUNCTION public.sg_private() FROM PUBLIC;
            CREATE TABLE public.a_ok (id int, sfzh text);
            CREATE TABLE public.b_slow (id int, sfzh text);
            CREATE TABLE public.c_secret (id int, sfzh text);
            CREATE TABLE public.d_guarded (id int, sfzh text);
            INSERT INTO public.a_ok SELECT i, '11010519491231002X' FROM generate_series(1, 20) i;
            INSERT INTO public.b_slow SELECT i, '110105194912310021' FROM generate_series(1, 20) i;
            INSERT INTO public.c_secret SELECT i, '440524188001010014' FROM generate_series(1, 20) i;
            INSERT INTO public.d_guarded SELECT i, '440524188001010014' FROM generate_series(1, 20) i;
            ALTER TABLE public.b_slow ENABLE ROW LEVEL SECURITY;
            CREATE POLICY slow ON public.b_slow FOR SELECT USING (public.sg_slow(id));
            ALTER TABLE public.d_guarded ENABLE ROW LEVEL SECURITY;
            CREATE POLICY guarded ON public.d_guarded FOR SELECT USING (public.sg_private());
            ANALYZE;
        """)
    add_scanner(pg_auth, "faults")
    with pg_auth.connect("faults") as conn:
        conn.execute('REVOKE SELECT ON public.c_secret FROM "scanner"')
    return pg_auth.uri("scanner", SCANNER_PASSWORD, db="faults")


@pytest.mark.timeout(120)
@pytest.mark.parametrize("sample, status", [(0, "partial"), (10_000, "error")])
def test_statement_timeout_marks_one_table(faults, sample, status):
    started = time.monotonic()
    result = run(faults, sample_size=sample, run_checks=False,
                 limits=Limits(query_timeout_s=1, batch_records=5))
    cov = rows(result)
    assert (cov["public.b_slow"].status, cov["public.b_slow"].reason) == (status, "timeout")
    assert cov["public.a_ok"].status == "complete" and cov["public.a_ok"].records == 20
    assert result.targets[0].status == "partial"
    assert time.monotonic() - started < 30


@pytest.mark.timeout(120)
def test_permission_denied_marks_only_that_table(faults):
    cov = rows(run(faults, run_checks=False, exclude=["*.b_slow"]))
    assert (cov["public.c_secret"].status, cov["public.c_secret"].reason) == ("error", "permission_denied")
    assert (cov["public.d_guarded"].status, cov["public.d_guarded"].reason) == ("error", "permission_denied")
    assert cov["public.a_ok"].status == "complete" and "public.b_slow" not in cov


def _throwaway(name: str) -> PgServer:
    server = start_postgres(name, auth=False)
    try:
        with server.connect() as admin:
            admin.execute("CREATE DATABASE spill")
        with server.connect("spill") as conn:
            conn.execute("""
                CREATE TABLE a_first (id int, sfzh text);
                INSERT INTO a_first SELECT i, '11010519491231002X' FROM generate_series(1, 10) i;
                CREATE TABLE entry_log (id int, sfzh text, note text);
                INSERT INTO entry_log SELECT i, '110105194912310021', repeat('x', 50)
                  FROM generate_series(1, 60000) i;
                CREATE TABLE z_after (id int, sfzh text);
                INSERT INTO z_after SELECT i, '440524188001010014' FROM generate_series(1, 10) i;
                ANALYZE;
            """)
    except BaseException:
        remove(server)
        raise
    return server


@pytest.mark.timeout(120)
def test_server_killed_mid_scan():
    server = _throwaway("killed")
    try:
        def progress(event, row):
            if event == "start" and row.container == "public.entry_log":
                after_fetches(server, "postgres", "entry_log", server.kill).start()

        result = run(server.uri("postgres"), progress, sample_size=0, run_checks=False,
                     limits=Limits(batch_records=200, connect_timeout_s=2))
        cov = rows(result)
        assert cov["public.a_first"].status == "complete"
        assert (cov["public.entry_log"].status, cov["public.entry_log"].reason) == ("partial", "connection_lost")
        assert 200 <= cov["public.entry_log"].records < 60000
        assert (cov["public.z_after"].status, cov["public.z_after"].reason) == ("error", "connection_refused")
        assert result.targets[0].status == "partial"
    finally:
        remove(server)


@pytest.mark.timeout(120)
def test_paused_server_times_out_on_the_client():
    server = _throwaway("paused")
    try:
        def progress(event, row):
            if event == "start" and row.container == "public.entry_log":
                after_fetches(server, "postgres", "entry_log", server.pause).start()

        started = time.monotonic()
        result = run(server.uri("postgres"), progress, sample_size=0, run_checks=False,
                     limits=Limits(batch_records=200, query_timeout_s=1, connect_timeout_s=2))
        cov = rows(result)
        assert (cov["public.entry_log"].status, cov["public.entry_log"].reason) == ("partial", "timeout")
        assert (cov["public.z_after"].status, cov["public.z_after"].reason) == ("error", "timeout")
        checks = run(server.uri("postgres"), read_data=False, limits=Limits(connect_timeout_s=2))
        assert {e.status for e in checks.exposure} == {"unknown"}
        assert time.monotonic() - started < 60
    finally:
        server.resume()
        remove(server)


@pytest.mark.timeout(120)
def test_credentials_revoked_mid_scan(pg_auth):
    add_scanner(pg_auth, "spill", role="revokee")

    def revoke():
        with pg_auth.connect() as admin:
            admin.execute('ALTER ROLE "revokee" NOLOGIN')
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'revokee'")

    def progress(event, row):
        if event == "start" and row.container == "public.entry_log":
            after_fetches(pg_auth, "revokee", "entry_log", revoke).start()

    try:
        result = run(pg_auth.uri("revokee", SCANNER_PASSWORD), progress, sample_size=0, run_checks=False,
                     limits=Limits(batch_records=200))
    finally:
        with pg_auth.connect() as admin:
            admin.execute('ALTER ROLE "revokee" LOGIN')
    cov = rows(result)
    assert cov["hotel.guests"].status == "complete"
    assert (cov["public.entry_log"].status, cov["public.entry_log"].reason) == ("partial", "connection_lost")
    assert (cov["public.residents"].status, cov["public.residents"].reason) == ("error", "auth_failed")
