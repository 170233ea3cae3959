"""Elasticsearch/OpenSearch source and checks against live servers: osmem-server (an
in-memory OpenSearch-API server) behind nginx (auth_basic + TLS, per-path fault rules,
access log). See tests/servers/elasticsearch.py."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
import time
import tracemalloc

import pytest

from spillguard import reporting, scan
from spillguard.models import Coverage
from spillguard.settings import Limits, Settings
from spillguard.sources.elasticsearch import DEFAULT_SEED, ElasticsearchSource
from tests.servers.base import free_port
from tests.servers.elasticsearch import (  # noqa: F401 (fixtures)
    PASSWORD, RANSOM_INDEX, USER, all_documents, es_auth, es_open, load_leak_data, load_many,
    start_nginx, start_osmem,
)

CHECKS = {"elasticsearch-security-disabled", "elasticsearch-ransom-note", "elasticsearch-tls-off"}
PLANTED = {
    ("residents", "sfzh", "CN_RESIDENT_ID"), ("residents", "jtcy[].sfzh", "CN_RESIDENT_ID"),
    ("residents", "lxdh", "PHONE_NUMBER"), ("residents", "zzmm", "POLITICAL_AFFILIATION"),
    ("residents", "mz", "ETHNICITY"), ("residents", "loc.lat", "GEO_COORDINATES"),
    ("hotel_checkins", "guest.sfzh", "CN_RESIDENT_ID"), ("hotel_checkins", "hphm", "LICENSE_PLATE"),
    ("face_capture_logs", "sfzh", "CN_RESIDENT_ID"), ("face_capture_logs", "face_feature", "FACE_EMBEDDING"),
}


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")


def settings(uri: str, **kw) -> Settings:
    limits = kw.pop("limits", None) or Limits(connect_timeout_s=3.0, query_timeout_s=10.0)
    return Settings(targets=[uri], limits=limits, **kw)


def rows(result) -> dict[str, Coverage]:
    return {c.container: c for c in result.coverage}


def found(result) -> set[tuple[str, str, str]]:
    return {(f.container, f.field, f.entity) for f in result.findings}


# -- reading ---------------------------------------------------------------------------------

def test_scan_finds_planted_entities(es_open):
    result = scan(settings(es_open.uri(), run_checks=False))
    assert PLANTED <= found(result)
    cov = rows(result)
    assert set(cov) == {"residents", "hotel_checkins", "face_capture_logs", RANSOM_INDEX}  # no '.' index
    for name, row in cov.items():
        assert (row.status, row.reason, row.records) == ("complete", None, es_open.counts[name])
    assert result.targets[0].kind == "elasticsearch" and result.targets[0].status == "complete"


def test_sampling_random_score_records_method_and_seed(es_open):
    result = scan(settings(es_open.uri(), sample_size=50, run_checks=False))
    cov = rows(result)
    face = cov["face_capture_logs"]
    assert (face.status, face.records) == ("partial", 50)
    assert face.reason == f"sampled:n=50,method=random_score,seed={DEFAULT_SEED}"
    # residents: docs.count counts nested family members (90 > 50), but 30 top-level hits: complete
    assert (cov["residents"].status, cov["residents"].records) == ("complete", 30)
    assert ("face_capture_logs", "face_feature", "FACE_EMBEDDING") in found(result)


def test_small_sample_is_partial_and_deterministic(es_open):
    first = scan(settings(es_open.uri(), sample_size=5, run_checks=False))
    again = scan(settings(es_open.uri(), sample_size=5, run_checks=False))
    for name in ("residents", "hotel_checkins", "face_capture_logs"):
        row = rows(first)[name]
        assert (row.status, row.records) == ("partial", 5)
        assert re.fullmatch(r"sampled:n=5,method=random_score,seed=\d+", row.reason)
    assert rows(first)[RANSOM_INDEX].status == "complete"
    def key(r):
        return sorted((f.container, f.field, f.entity, f.count, f.fingerprint, f.samples) for f in r.findings)

    assert key(first) == key(again)


def test_auth_tls_cluster_is_read_with_credentials(es_auth):
    uri = es_auth.uri("opensearch", user=USER, password=PASSWORD)
    result = scan(settings(uri, run_checks=False))
    assert result.targets[0].status == "complete"
    assert PLANTED <= found(result)


def test_include_exclude_match_index_names(es_open):
    result = scan(settings(es_open.uri(), include=["res*", "hotel_*"], exclude=["hotel_*"], run_checks=False))
    assert set(rows(result)) == {"residents"}


# -- read-only proof -------------------------------------------------------------------------

ALLOWED_POST = re.compile(
    r"^/(?:[^/?]+/)?(?:_search|_count|_pit|_search/point_in_time)(?:\?.*)?$|^/_search/scroll(?:\?.*)?$")
ALLOWED_DELETE = re.compile(r"^/(?:_pit|_search/point_in_time|_search/scroll)(?:\?.*)?$")


def _snapshot(backend) -> tuple[dict, str]:
    counts = {r["index"]: r["docs.count"] for r in backend.request("GET", "/_cat/indices?format=json")}
    digest = hashlib.sha256()
    for index in sorted(counts):
        digest.update(json.dumps(all_documents(backend, index), sort_keys=True, ensure_ascii=False).encode())
    return counts, digest.hexdigest()


def test_read_only_requests_and_unchanged_data(es_open):
    before = _snapshot(es_open.backend)
    seen = len(es_open.proxy.requests())
    scan(settings(es_open.uri(), sample_size=0))
    scan(settings(es_open.uri(), sample_size=7))
    requests = es_open.proxy.requests()[seen:]
    assert requests, "the scanner went through the proxy"
    for method, uri, _ in requests:
        assert method in ("GET", "HEAD", "POST", "DELETE"), (method, uri)
        if method == "POST":
            assert ALLOWED_POST.match(uri), uri
        if method == "DELETE":
            assert ALLOWED_DELETE.match(uri), uri
    assert not any("_search" in uri and method == "GET" for method, uri, _ in requests)
    opened = sum(1 for m, u, s in requests if m == "POST" and "point_in_time" in u and s == 200)
    closed = sum(1 for m, u, s in requests if m == "DELETE" and "point_in_time" in u and s == 200)
    assert opened == closed > 0  # every PIT was closed
    assert _snapshot(es_open.backend) == before


# -- exposure checks -------------------------------------------------------------------------

def _checks(uri: str) -> dict[str, str]:
    result = scan(settings(uri, read_data=False))
    return {e.check: e.status for e in result.exposure if e.check in CHECKS}


def test_checks_exposed_on_open_cluster(es_open):
    assert _checks(es_open.uri()) == dict.fromkeys(CHECKS, "exposed")


def test_checks_not_exposed_on_secured_cluster(es_auth):
    uri = es_auth.uri("opensearch", user=USER, password=PASSWORD)
    assert _checks(uri) == dict.fromkeys(CHECKS, "not_exposed")


def test_checks_unknown_when_unreachable():
    port = free_port()  # nothing listens there
    assert _checks(f"elasticsearch://{USER}:{PASSWORD}@127.0.0.1:{port}") == dict.fromkeys(CHECKS, "unknown")
    assert _checks(f"opensearch+https://127.0.0.1:{port}") == dict.fromkeys(CHECKS, "unknown")


def test_security_check_never_searches_without_credentials(es_open):
    seen = len(es_open.proxy.requests())
    scan(settings(es_open.uri(), read_data=False))
    paths = [uri for _, uri, _ in es_open.proxy.requests()[seen:]]
    assert paths and not any("_search" in p for p in paths)


# -- credentials ------------------------------------------------------------------------------

def test_credentials_masked_in_every_report(es_auth):
    uri = es_auth.uri("opensearch", user=USER, password=PASSWORD)
    result = scan(settings(uri, sample_size=5))
    for fmt in ("json", "sarif"):
        text = reporting.get(fmt).render(result)
        assert PASSWORD not in text
        assert fmt != "json" or "***" in text
    wrong = scan(settings(es_auth.uri("opensearch", user=USER, password="Wrong-pw-4411")))
    assert "Wrong-pw-4411" not in reporting.get("json").render(wrong)
    cli = subprocess.run([sys.executable, "-m", "spillguard", "scan", uri, "--format", "json", "--sample-size", "5",
                          "--fail-on", "never", "-v"], capture_output=True, text=True, timeout=120)
    assert cli.returncode == 0, cli.stderr[-2000:]
    assert PASSWORD not in cli.stdout + cli.stderr
    report = json.loads(cli.stdout)
    assert report["targets"][0]["status"] == "partial"  # sampled
    assert {e["check"] for e in report["exposure"]} >= CHECKS


# -- faults -----------------------------------------------------------------------------------

@pytest.fixture
def lone_cluster():
    """A separate, unproxied osmem with the leak data, for tests that kill or pause it."""
    backend = start_osmem()
    try:
        load_leak_data(backend)
        yield backend
    finally:
        backend.stop()


@pytest.mark.timeout(120)
def test_server_killed_mid_scan(lone_cluster):
    def progress(event: str, row: Coverage) -> None:
        if event == "start" and row.container == "hotel_checkins":
            lone_cluster.proc.kill()

    started = time.monotonic()
    result = scan(settings(f"elasticsearch://127.0.0.1:{lone_cluster.port}", run_checks=False), progress)
    assert time.monotonic() - started < 60
    cov = rows(result)
    assert cov["face_capture_logs"].status == "complete"  # read before the kill
    assert (cov["hotel_checkins"].status, cov["hotel_checkins"].reason) == ("error", "connection_lost")
    assert cov["residents"].status == "error" and cov["residents"].reason == "connection_lost"
    assert result.targets[0].status == "partial"


@pytest.mark.timeout(120)
def test_slow_server_times_out(lone_cluster):
    def progress(event: str, row: Coverage) -> None:
        if event == "start" and row.container == "hotel_checkins":
            lone_cluster.proc.pause()

    limits = Limits(connect_timeout_s=2.0, query_timeout_s=2.0)
    started = time.monotonic()
    try:
        result = scan(settings(f"elasticsearch://127.0.0.1:{lone_cluster.port}", limits=limits,
                               run_checks=False), progress)
    finally:
        lone_cluster.proc.resume()
    elapsed = time.monotonic() - started
    cov = rows(result)
    assert cov["face_capture_logs"].status == "complete"
    assert (cov["hotel_checkins"].status, cov["hotel_checkins"].reason) == ("error", "timeout")
    assert cov["residents"].reason == "timeout"
    assert elapsed < 30, elapsed
    # resumed: the next scan is complete again
    again = scan(settings(f"elasticsearch://127.0.0.1:{lone_cluster.port}", run_checks=False))
    assert again.targets[0].status == "complete"


@pytest.mark.timeout(120)
def test_unresponsive_server_stops_waiting_after_three_indices(lone_cluster):
    load_many(lone_cluster, "visitors", 10)

    def progress(event: str, row: Coverage) -> None:
        if event == "start" and row.container == "face_capture_logs":
            lone_cluster.proc.pause()

    limits = Limits(connect_timeout_s=1.0, query_timeout_s=1.0)
    started = time.monotonic()
    try:
        result = scan(settings(f"elasticsearch://127.0.0.1:{lone_cluster.port}", limits=limits,
                               run_checks=False), progress)
    finally:
        lone_cluster.proc.resume()
    assert [(c.container, c.reason) for c in result.coverage] == [
        ("face_capture_logs", "timeout"), ("hotel_checkins", "timeout"), ("residents", "timeout"),
        ("visitors", "target_unresponsive")]
    assert time.monotonic() - started < 20


@pytest.mark.timeout(60)
def test_unreachable_target_is_an_error():
    started = time.monotonic()
    result = scan(settings(f"elasticsearch://127.0.0.1:{free_port()}", run_checks=False))
    assert (result.targets[0].status, result.targets[0].reason) == ("error", "connection_refused")
    assert result.coverage == [] and time.monotonic() - started < 10


@pytest.mark.timeout(120)
def test_wrong_credentials_fail_the_target(es_auth):
    result = scan(settings(es_auth.uri("opensearch", user=USER, password="not-the-password"), run_checks=False))
    assert (result.targets[0].status, result.targets[0].reason) == ("error", "auth_failed")
    assert result.coverage == []


@pytest.mark.timeout(120)
def test_forbidden_index_is_an_error_others_complete(es_open):
    proxy = start_nginx(es_open.backend.port, rules=["location ~ ^/hotel_checkins(/|$) { return 403; }"])
    try:
        result = scan(settings(proxy.uri(), run_checks=False))
    finally:
        proxy.stop()
    cov = rows(result)
    assert (cov["hotel_checkins"].status, cov["hotel_checkins"].reason) == ("error", "permission_denied")
    for name in ("residents", "face_capture_logs", RANSOM_INDEX):
        assert cov[name].status == "complete" and cov[name].records == es_open.counts[name]
    assert result.targets[0].status == "partial"


@pytest.mark.timeout(120)
@pytest.mark.parametrize("blocked, method", [
    (r"(_pit|point_in_time)", "scroll"),
    (r"(_pit|point_in_time|scroll)", "from_size"),
])
def test_fallback_without_pit(es_open, blocked, method, caplog):
    rules = [f"location ~ {blocked} {{ return 404; }}"]
    if "scroll" in blocked:  # also POST /<index>/_search?scroll=...
        rules.append("if ($arg_scroll) { return 404; }")
    proxy = start_nginx(es_open.backend.port, rules=rules)
    try:
        with caplog.at_level("INFO", logger="spillguard"):
            full = scan(settings(proxy.uri(), run_checks=False))
            sampled = scan(settings(proxy.uri(), sample_size=40, run_checks=False))
    finally:
        proxy.stop()
    for name, row in rows(full).items():
        assert (row.status, row.records) == ("complete", es_open.counts[name])
    assert PLANTED <= found(full)
    face = rows(sampled)["face_capture_logs"]
    assert (face.status, face.records) == ("partial", 40) and "method=random_score" in face.reason
    assert f"read by {method}" in caplog.text


@pytest.mark.timeout(120)
def test_result_window_caps_from_size_reads():
    backend = start_osmem()
    proxy = None
    try:
        load_many(backend, "visitors", 60)
        backend.request("PUT", "/no_source", {"mappings": {"_source": {"enabled": False}}})
        load_many(backend, "no_source", 3)
        backend.request("PUT", "/visitors/_settings", {"index": {"max_result_window": 25}})
        proxy = start_nginx(backend.port, rules=[r"location ~ (_pit|point_in_time|scroll) { return 404; }",
                                                 "if ($arg_scroll) { return 404; }"])
        result = scan(settings(proxy.uri(), sample_size=0, run_checks=False))
    finally:
        if proxy is not None:
            proxy.stop()
        backend.stop()
    row = rows(result)["visitors"]
    assert (row.status, row.reason, row.records) == ("partial", "result_window:n=25,method=from_size", 25)
    assert (rows(result)["no_source"].status, rows(result)["no_source"].reason) == ("skipped", "source_disabled")


@pytest.mark.timeout(120)
def test_shard_failures_mark_partial(es_open):
    rule = ('location = /_search { proxy_set_header Accept-Encoding ""; sub_filter_types application/json; '
            "sub_filter_once on; sub_filter '\"failed\":0' '\"failed\":1'; @PROXY@ }")
    proxy = start_nginx(es_open.backend.port, rules=[rule])
    try:
        result = scan(settings(proxy.uri(), run_checks=False))
    finally:
        proxy.stop()
    for row in result.coverage:
        assert (row.status, row.reason) == ("partial", "shard_failures")


# -- bounded memory ---------------------------------------------------------------------------

@pytest.mark.timeout(240)
def test_memory_does_not_grow_with_index_size():
    backend = start_osmem()
    try:
        load_many(backend, "small", 1_000)
        for _ in range(10):
            load_many(backend, "large", 1_000)
        peaks = {}
        for index in ("small", "large"):
            cfg = settings(f"elasticsearch://127.0.0.1:{backend.port}", sample_size=0, include=[index],
                           limits=Limits(batch_records=200))
            source = ElasticsearchSource(cfg.targets[0], cfg, cfg.targets[0])
            tracemalloc.start()
            records = 0
            try:
                for cs in source.containers():
                    for batch in cs.batches:
                        records += batch.records
            finally:
                peaks[index] = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
                source.close()
            assert records == (1_000 if index == "small" else 10_000)
    finally:
        backend.stop()
    assert peaks["large"] < 2 * peaks["small"], peaks
