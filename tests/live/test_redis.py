"""Redis source and exposure checks against real redis-server instances (tests/servers)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from spillguard import scan
from spillguard.exposure import checks_for
from spillguard.exposure.redis_bind_all import bind_outcome
from spillguard.reporting import registry as reporters
from spillguard.settings import Limits, Settings
from spillguard.sources.redis_store import MAX_MEMBERS, key_pattern
from tests.servers.base import free_port
from tests.servers.redis_server import (  # noqa: F401 - fixtures
    ADMIN_PASSWORD, SCANNER_PASSWORD, Monitor, dump_all, load_leak_data, plant_ransom_note, resident_id,
    redis_auth, redis_factory, redis_leaky, redis_open, write_commands,
)

CHECKS = sorted(c.id for c in checks_for("redis"))
EXPECTED = {  # (container, field, entity) planted by load_leak_data
    ("resident:*:profile", "sfzh", "CN_RESIDENT_ID"),
    ("resident:*:profile", "xm", "PERSON_NAME"),
    ("resident:*:profile", "lxdh", "PHONE_NUMBER"),
    ("resident:*:profile", "zzmm", "POLITICAL_AFFILIATION"),
    ("resident:*:profile", "mz", "ETHNICITY"),
    ("resident:*:profile", "hphm", "LICENSE_PLATE"),
    ("face:log:*", "person.sfzh", "CN_RESIDENT_ID"),
    ("face:log:*", "captures[].lxdh", "PHONE_NUMBER"),
    ("face:log:*", "face_feature", "FACE_EMBEDDING"),
    ("face:emb:*", "face_feature", "FACE_EMBEDDING"),  # raw float32 bytes, not UTF-8
    ("hotel:guests:*", "members[].sfzh", "CN_RESIDENT_ID"),
    ("blacklist:phones", "members[]", "PHONE_NUMBER"),
    ("plates:seen", "members[]", "LICENSE_PLATE"),
    ("checkin:stream", "entries[].sfzh", "CN_RESIDENT_ID"),
    ("db2/archive:*", "sfzh", "CN_RESIDENT_ID"),
    ("idx:sfzh:*", "(key)", "CN_RESIDENT_ID"),  # the ID is in the key name, not the value
    ("phone:owner", "(field)[]", "PHONE_NUMBER"),  # hash field names are data too
}
# Everything the scanner and the checks may send: read commands and metadata only.
ALLOWED = {"scan", "type", "memory", "strlen", "hlen", "llen", "scard", "zcard", "xlen", "get",
           "hgetall", "hscan", "lrange", "sscan", "zrange", "xrange", "info", "ping", "select",
           "auth", "config", "command", "acl", "exists"}
ALLOWED_SUBCOMMANDS = {"config": {"get"}, "acl": {"dryrun"}, "command": {"info"}, "memory": {"usage"}}


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")


def run(uri: str, **kwargs):
    kwargs.setdefault("limits", Limits(query_timeout_s=10, connect_timeout_s=5))
    return scan(Settings(targets=[uri], fail_on="never", **kwargs))


def found(result) -> set[tuple]:
    return {(f.container, f.field, f.entity) for f in result.findings}


def rows(result) -> dict:
    return {c.container: c for c in result.coverage}


def exposures(uri: str) -> dict[str, tuple[str, str]]:
    result = scan(Settings(targets=[uri], read_data=False, limits=Limits(connect_timeout_s=3)))
    return {e.check: (e.status, e.detail) for e in result.exposure}


# --- reading -------------------------------------------------------------------------

@pytest.mark.timeout(120)
def test_open_server_scan_finds_planted_entities_by_pattern_and_field(redis_open):
    result = run(redis_open.uri())
    assert EXPECTED <= found(result)
    cov = rows(result)
    for container, keys in redis_open.planted.items():
        assert cov[container].status == "complete", container
        assert cov[container].records == keys, container
    assert "READ_ME" in cov and result.targets[0].status == "complete"
    assert not any(f.container == "config:app" for f in result.findings)


@pytest.mark.timeout(120)
def test_scanner_account_reads_everything_on_the_auth_server(redis_auth):
    result = run(redis_auth.scanner_uri)
    assert result.targets[0].status == "complete"
    assert EXPECTED <= found(result)
    assert all(c.status == "complete" for c in result.coverage)


@pytest.mark.timeout(120)
def test_named_database_and_include_exclude(redis_open):
    only_db2 = run(redis_open.uri(db=2))
    assert set(rows(only_db2)) == {"archive:*"}
    assert ("archive:*", "sfzh", "CN_RESIDENT_ID") in found(only_db2)
    picked = run(redis_open.uri(), include=["resident:*", "db2/*"], exclude=["db2/*"])
    assert set(rows(picked)) == {"resident:*:profile"}


@pytest.mark.timeout(120)
def test_small_sample_marks_partial_with_scan_method_and_seed(redis_open):
    result = run(redis_open.uri(), sample_size=25)
    cov = rows(result)
    for container in ("resident:*:profile", "face:log:*"):
        assert cov[container].status == "partial"
        assert cov[container].reason == "sampled:n=25,method=scan,seed=none,cursor=0"
        assert cov[container].records == 25
    assert cov["db2/archive:*"].status == "complete" and cov["db2/archive:*"].records == 20
    assert ("resident:*:profile", "sfzh", "CN_RESIDENT_ID") in found(result)


@pytest.mark.timeout(120)
def test_cli_json_report_carries_sampling_and_masks_the_password(redis_auth):
    uri = redis_auth.uri(password=ADMIN_PASSWORD)
    env = {**os.environ, "SPILLGUARD_KEY": "test-key-0123456789abcdef"}
    out = subprocess.run([sys.executable, "-m", "spillguard", "scan", uri, "--format", "json",
                          "--sample-size", "30", "--fail-on", "never", "-q"],
                         capture_output=True, text=True, env=env, timeout=110)
    assert out.returncode == 0, out.stderr[-2000:]
    assert ADMIN_PASSWORD not in out.stdout + out.stderr
    report = json.loads(out.stdout)
    cov = {c["container"]: c for c in report["coverage"]}
    assert cov["resident:*:profile"]["reason"] == "sampled:n=30,method=scan,seed=none,cursor=0"


@pytest.mark.timeout(120)
def test_reports_hold_no_raw_values_and_container_names_no_identifiers(redis_open):
    result = run(redis_open.uri())
    with redis_open.client() as c:
        person = {k.decode(): v.decode() for k, v in c.hgetall("resident:100000:profile").items()}
    canaries = [person["sfzh"], person["lxdh"], person["hphm"], person["sfzh"][6:14]]
    for name, reporter in reporters().items():
        text = reporter.render(result)
        assert not [v for v in canaries if v in text], name
    assert all("*" in c.container or not any(ch.isdigit() for ch in c.container)
               for c in result.coverage if c.container)
    assert not [f.field for f in result.findings if any(v in (f.field or "") for v in canaries)]


@pytest.mark.timeout(120)
def test_credentials_are_masked_in_every_report(redis_auth):
    for uri, secret in ((redis_auth.uri(password=ADMIN_PASSWORD), ADMIN_PASSWORD),
                        (redis_auth.scanner_uri, SCANNER_PASSWORD),
                        (redis_auth.uri(password="wrong-" + ADMIN_PASSWORD), "wrong-" + ADMIN_PASSWORD)):
        result = run(uri)
        assert result.targets[0].target.count("***") == 1
        for name, reporter in reporters().items():
            assert secret not in reporter.render(result), name


@pytest.mark.timeout(120)
def test_scan_and_checks_send_only_read_commands_and_change_nothing(redis_factory):
    server = redis_factory()
    with server.client() as c:
        load_leak_data(c)
        plant_ransom_note(c)
        c.rpush("big:list", *range(MAX_MEMBERS + 10))
        writes = write_commands(c)
        before = dump_all(c)
    monitor = Monitor(server.port)
    try:
        result = run(server.uri())
    finally:
        seen = monitor.stop()
    with server.client() as c:
        assert dump_all(c) == before
    names = {name for name, _ in seen}
    assert {"scan", "type", "memory", "hgetall", "get", "lrange", "sscan", "zrange", "xrange"} <= names
    assert not names & writes, names & writes
    assert names <= ALLOWED, names - ALLOWED
    assert "keys" not in names and "flushall" not in names
    for name, sub in seen:
        if name in ALLOWED_SUBCOMMANDS:
            assert sub in ALLOWED_SUBCOMMANDS[name], (name, sub)
    assert EXPECTED <= found(result)


# --- exposure checks -----------------------------------------------------------------

@pytest.mark.timeout(120)
def test_checks_on_the_open_server(redis_open):
    got = exposures(redis_open.uri())
    assert sorted(got) == CHECKS
    for check in CHECKS:
        want = "not_exposed" if check == "redis-bind-all" else "exposed"  # bound to 127.0.0.1 here
        assert got[check][0] == want, (check, got[check])
    assert "read_me" in got["redis-ransom-note"][1]
    assert got["redis-bind-all"][1] == "bound to loopback only"


@pytest.mark.timeout(120)
def test_every_check_is_exposed_on_a_server_with_redis_defaults(redis_leaky):
    got = exposures(redis_leaky.uri())
    assert {c: s for c, (s, _) in got.items()} == {c: "exposed" for c in CHECKS}, got
    assert "*" in got["redis-bind-all"][1]


@pytest.mark.timeout(120)
def test_every_check_is_not_exposed_on_the_auth_server(redis_auth):
    got = exposures(redis_auth.uri(password=ADMIN_PASSWORD))
    assert {c: s for c, (s, _) in got.items()} == {c: "not_exposed" for c in CHECKS}, got


@pytest.mark.timeout(120)
def test_least_privilege_account_cannot_read_config_so_bind_is_unknown(redis_auth):
    got = exposures(redis_auth.scanner_uri)
    assert got["redis-bind-all"][0] == "unknown" and "permission_denied" in got["redis-bind-all"][1]
    assert all(s == "not_exposed" for c, (s, _) in got.items() if c != "redis-bind-all"), got


@pytest.mark.timeout(120)
def test_every_check_is_unknown_when_nothing_listens():
    started = time.monotonic()
    got = exposures(f"redis://127.0.0.1:{free_port()}")
    assert {c: s for c, (s, _) in got.items()} == {c: "unknown" for c in CHECKS}, got
    assert all("connection_refused" in d for _, d in got.values()), got
    assert time.monotonic() - started < 30


@pytest.mark.parametrize("bind,port,status", [
    ("* -::*", "6379", "exposed"), ("0.0.0.0", "6379", "exposed"), ("", "6379", "exposed"),
    ("127.0.0.1 ::", "6379", "exposed"), ("127.0.0.1 -::1", "6379", "not_exposed"),
    ("10.0.0.5", "6379", "not_exposed"), ("0.0.0.0", "0", "not_exposed"), (None, "6379", "unknown"),
])
def test_bind_outcome_table(bind, port, status):
    assert bind_outcome(bind, port).status == status


@pytest.mark.parametrize("key,pattern", [
    (b"user:123:profile", "user:*:profile"), (b"face:log:550e8400-e29b-41d4-a716-446655440000", "face:log:*"),
    (b"sess:9f86d081884c7d65", "sess:*"), (b"guest:11010519491231002X", "guest:*"),
    ("plate:京A12345".encode(), "plate:*"), (b"user:bob@example.com", "user:*"),
    (b"ip:10.0.0.1", "ip:*.*.*.*"), (b"hotel:guests:20240301", "hotel:guests:*"),
    (b"READ_ME", "READ_ME"), (b"cache:v2", "cache:v2"), (b"\xff\xfe:1", "*:*"),
])
def test_key_patterns_hide_identifiers(key, pattern):
    assert key_pattern(key) == pattern


# --- faults --------------------------------------------------------------------------

@pytest.mark.timeout(120)
def test_server_killed_mid_scan_marks_the_rest_connection_lost(redis_factory):
    server = redis_factory()
    with server.client() as c:
        planted = load_leak_data(c, archive_db=None)
    started = []

    def progress(event, row):
        if event == "start":
            started.append(row.container)
            if len(started) == 3:
                server.kill()

    t0 = time.monotonic()
    result = scan(Settings(targets=[server.uri()], run_checks=False, fail_on="never",
                           limits=Limits(query_timeout_s=5, connect_timeout_s=2)), progress)
    assert time.monotonic() - t0 < 60
    cov = [rows(result)[name] for name in started]
    assert [c.status for c in cov[:2]] == ["complete", "complete"]
    assert all(c.status == "error" and c.reason == "connection_lost" for c in cov[2:]), cov
    assert len(cov) == len(planted)  # every pattern has its row
    assert result.targets[0].status == "partial"


@pytest.mark.timeout(120)
def test_paused_server_times_out_one_container_and_the_rest_continue(redis_factory):
    server = redis_factory()
    with server.client() as c:
        load_leak_data(c, archive_db=None)
    victim = "hotel:guests:*"

    def progress(event, row):
        if row.container == victim:
            server.pause() if event == "start" else server.resume()

    t0 = time.monotonic()
    try:
        result = scan(Settings(targets=[server.uri()], run_checks=False, fail_on="never",
                               limits=Limits(query_timeout_s=1.5, connect_timeout_s=1.5)), progress)
    finally:
        server.resume()
    assert time.monotonic() - t0 < 30
    cov = rows(result)
    assert cov[victim].status == "error" and cov[victim].reason == "timeout"
    assert all(r.status == "complete" for name, r in cov.items() if name != victim), cov
    with server.client() as c:
        assert c.ping()


@pytest.mark.timeout(120)
@pytest.mark.parametrize("password", ["wrong-password", None])
def test_wrong_or_missing_password_fails_the_target_with_auth_failed(redis_auth, password):
    result = run(redis_auth.uri(password=password) if password else redis_auth.uri())
    assert result.targets[0].status == "error" and result.targets[0].reason == "auth_failed"
    assert result.coverage == []


@pytest.mark.timeout(120)
def test_key_denied_by_acl_fails_its_container_and_the_rest_continue(redis_factory):
    server = redis_factory(password=ADMIN_PASSWORD)
    with server.client() as c:
        load_leak_data(c, archive_db=None)
        c.execute_command("ACL", "SETUSER", "narrow", "on", ">narrow-pw", "~resident:*", "-@all",
                          "+@read", "-keys", "+info", "+ping", "+select")
    result = run(server.uri(user="narrow", password="narrow-pw"))
    cov = rows(result)
    assert cov["resident:*:profile"].status == "complete"
    assert cov["face:log:*"].status == "error" and cov["face:log:*"].reason == "permission_denied"
    assert ("resident:*:profile", "sfzh", "CN_RESIDENT_ID") in found(result)


@pytest.mark.timeout(120)
def test_values_above_the_cap_are_skipped_with_a_reason(redis_factory):
    server = redis_factory()
    with server.client() as c:
        c.set("blob:1", b"\x00" * (2 * 1024**2))
        c.set("blob:2", json.dumps({"sfzh": resident_id("110105", "19491231", 2)}))
        c.rpush("fat:list", *[b"x" * 4096] * 600)  # ~2.4 MiB: every element read would pass the cap
        c.rpush("long:list", *[f"1391234{i:04d}" for i in range(MAX_MEMBERS + 500)])
        c.hset("resident:1:profile", mapping={"sfzh": "11010519491231002X"})
        c.hset("big:hash", mapping={f"f{i}": f"1391234{i:04d}" for i in range(MAX_MEMBERS + 500)})
        c.sadd("big:set", *[f"1391235{i:04d}" for i in range(3 * MAX_MEMBERS)])
    result = run(server.uri(), limits=Limits(max_field_bytes=1024**2, query_timeout_s=10))
    cov = rows(result)
    for name in ("long:list", "big:hash", "big:set"):  # read in part: MAX_MEMBERS elements
        assert cov[name].status == "partial" and cov[name].reason == "value_truncated:n=1", name
    assert ("big:hash", "f*[]", "PHONE_NUMBER") in found(result)
    assert ("big:set", "members[]", "PHONE_NUMBER") in found(result)
    assert cov["blob:*"].status == "partial" and cov["blob:*"].reason == "value_too_large:n=1"
    assert cov["blob:*"].records == 2 and cov["blob:*"].bytes < 1024**2
    assert cov["fat:list"].status == "partial" and cov["fat:list"].bytes <= 1024**2 + 100
    assert cov["resident:*:profile"].status == "complete"
    assert ("blob:*", "sfzh", "CN_RESIDENT_ID") in found(result)


@pytest.mark.timeout(120)
def test_many_patterns_stay_within_the_sample(redis_factory):
    server = redis_factory()
    with server.client() as c:
        pipe = c.pipeline(transaction=False)
        for i in range(3000):
            pipe.hset(f"order:{i}", mapping={"lxdh": f"139{10_000_000 + i}"})
            pipe.set(f"token:{i}:owner", f"user{i % 7}")
        pipe.execute()
    result = run(server.uri(), sample_size=100, limits=Limits(batch_records=40, query_timeout_s=10))
    cov = rows(result)
    assert set(cov) == {"order:*", "token:*:owner"}
    assert all(r.records == 100 and r.reason.startswith("sampled:n=100,method=scan") for r in cov.values())


def test_monitor_helper_sees_commands(redis_factory):
    server = redis_factory()
    monitor = Monitor(server.port)
    with server.client() as c:
        c.get("x")
    assert ("get", "x") in monitor.stop()
