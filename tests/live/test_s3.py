"""S3 source and checks against real SeaweedFS servers (see tests/servers/s3.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

import spillguard.exposure._s3 as s3_plumbing
from spillguard import scan
from spillguard.models import ScanResult
from spillguard.reporting import get as reporter
from spillguard.settings import Limits, Settings
from tests.servers.base import free_port
from tests.servers.s3 import (  # noqa: F401  (fixtures)
    ADMIN, BUCKET, PARTIAL, SCANNER, RecordingProxy, s3_auth, s3_open, seaweedfs_factory, snapshot,
)

CHECKS = {"s3-anonymous-list", "s3-anonymous-read", "s3-public-acl-or-policy", "s3-ransom-note"}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch, tmp_path):
    """No AWS credentials, profile or instance metadata from the machine running the tests."""
    monkeypatch.setenv("SPILLGUARD_KEY", "test-key-0123456789abcdef")
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "SPILLGUARD_S3_USER", "SPILLGUARD_S3_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))


def run(uri: str, endpoint: str, progress=None, timeout: float = 30.0, **kw) -> ScanResult:
    limits = kw.pop("limits", None) or Limits(connect_timeout_s=5, query_timeout_s=timeout)
    return scan(Settings(targets=[uri], endpoint_url=endpoint, limits=limits, **kw), progress)


def rows(result: ScanResult) -> dict[tuple, tuple]:
    return {(c.path, c.container): (c.status, c.reason) for c in result.coverage}


def found(result: ScanResult) -> set[tuple]:
    return {(f.path, f.container, f.field, f.entity) for f in result.findings}


def checks(result: ScanResult) -> dict[str, str]:
    return {e.check: e.status for e in result.exposure}


# ---- content ----------------------------------------------------------------------------
def test_open_bucket_planted_entities_fields_and_sampling(s3_open):
    result = run(s3_open.uri(None), s3_open.endpoint, run_checks=False)
    got = found(result)
    for expected in [
        ("people/residents.csv", None, "sfzh", "CN_RESIDENT_ID"),
        ("people/residents.csv", None, "lxdh", "PHONE_NUMBER"),
        ("people/residents.csv", None, "zzmm", "POLITICAL_AFFILIATION"),
        ("people/residents.csv", None, "mz", "ETHNICITY"),
        ("people/residents.csv", None, "hphm", "LICENSE_PLATE"),
        ("hotel/guests.jsonl", None, "guest.sfzh", "CN_RESIDENT_ID"),
        ("hotel/guests.jsonl", None, "companions[].sfzh", "CN_RESIDENT_ID"),
        ("logs/checkin.csv.gz", "checkin.csv", "sfzh", "CN_RESIDENT_ID"),
        ("export/police.zip", "records.csv", "zzmm", "POLITICAL_AFFILIATION"),
        ("logs/gate.log", None, None, "CN_RESIDENT_ID"),
        ("faces/entry_exit.parquet", None, "sfzh", "CN_RESIDENT_ID"),
        ("big/bulk.csv", None, "sfzh", "CN_RESIDENT_ID"),
    ]:
        assert expected in got, expected
    cov = rows(result)
    assert set(s3_open.objects) <= {p for p, _ in cov}  # every object has a row
    assert cov[("people/residents.csv", None)] == ("complete", None)
    # 20 MB object: the first 10 000 records (method=head), marked before more were read
    assert cov[("big/bulk.csv", None)] == ("partial", "sampled:n=10000,method=head,seed=none")
    assert result.targets[0].status == "partial"


def test_prefix_relative_paths_and_include(s3_open):
    result = run(s3_open.uri(None, prefix="logs"), s3_open.endpoint, run_checks=False, include=["*.gz"])
    assert set(rows(result)) == {("checkin.csv.gz", "checkin.csv"), ("checkin.csv.gz", None)}
    assert ("checkin.csv.gz", "checkin.csv", "sfzh", "CN_RESIDENT_ID") in found(result)


def test_small_sample_marks_partial_with_method_and_seed(s3_open):
    result = run(s3_open.uri(None), s3_open.endpoint, run_checks=False, sample_size=5,
                 include=["people/*", "logs/gate.log", "faces/*", "hotel/*"])
    for path in ("people/residents.csv", "logs/gate.log", "faces/entry_exit.parquet", "hotel/guests.jsonl"):
        row = next(c for c in result.coverage if c.path == path)
        assert (row.status, row.reason, row.records) == ("partial", "sampled:n=5,method=head,seed=none", 5), path


def test_all_buckets_with_uri_credentials_and_masking(s3_auth):
    uri = f"s3://{SCANNER[0]}:{SCANNER[1]}@"
    result = run(uri, s3_auth.endpoint, run_checks=False)
    paths = {c.path for c in result.coverage}
    assert {"leaks/people/residents.csv", "archive/2023/residents.csv"} <= paths
    assert ("archive/2023/residents.csv", None, "sfzh", "CN_RESIDENT_ID") in found(result)
    report = reporter("json").render(result)
    assert SCANNER[1] not in report and f"s3://{SCANNER[0]}:***@" in report


def test_cli_json_masks_secret(s3_auth):
    uri = f"s3://{SCANNER[0]}:{SCANNER[1]}@{BUCKET}/people"
    argv = [sys.executable, "-m", "spillguard", "scan", uri, "--format", "json", "-q"]
    flag = subprocess.run(argv + ["--endpoint-url", s3_auth.endpoint],
                          capture_output=True, text=True, cwd=ROOT, timeout=120)
    # botocore's own endpoint variable works as well
    env = subprocess.run(argv, capture_output=True, text=True, cwd=ROOT, timeout=120,
                         env={**os.environ, "AWS_ENDPOINT_URL_S3": s3_auth.endpoint})
    for proc in (flag, env):
        assert proc.returncode in (0, 1), proc.stderr[-2000:]
        assert '"CN_RESIDENT_ID"' in proc.stdout and f"{SCANNER[0]}:***@" in proc.stdout
        assert SCANNER[1] not in proc.stdout + proc.stderr


# ---- read-only and ranged reads -----------------------------------------------------------
def test_read_only_proof(s3_open):
    """Read-only, proved three ways: (1) every object's ETag, size, LastModified and sha256
    (read by the test's own admin client) and the key list are the same after the scan;
    (2) every HTTP request spillguard sent (the checks included) went through a recording
    reverse proxy in front of SeaweedFS: only GET and HEAD, never PUT/POST/DELETE; (3) the
    auth server's least-privilege "scanner" identity (Read, List, ReadAcp) is enough for a
    full scan (test_access_denied_on_one_object / test_checks_auth_not_exposed)."""
    before = snapshot(s3_open)
    with RecordingProxy(s3_open.port) as proxy:
        result = run(s3_open.uri(None), proxy.endpoint)
    assert snapshot(s3_open) == before
    assert checks(result) and set(checks(result).values()) == {"exposed"}
    methods = {r["method"] for r in proxy.requests}
    assert methods <= {"GET", "HEAD"}, methods
    objects = {f"/{BUCKET}/{key}" for key in s3_open.objects}
    reads = [r for r in proxy.requests if r["path"].split("?")[0] in objects]
    assert reads and all(r["range"] for r in reads if r["method"] == "GET")  # ranged GETs only


def test_large_object_bounded_ranged_reads(s3_open, monkeypatch):
    """A 20 MB object is read lazily: sampled, only its first ranges are fetched; read in
    full but capped at max_file_bytes, every GET is a Range of at most RANGE_BYTES and
    the total stops at the cap (partial "size_limit")."""
    size = len(s3_open.objects["big/bulk.csv"])
    with RecordingProxy(s3_open.port) as proxy:
        run(s3_open.uri(None, prefix="big"), proxy.endpoint, run_checks=False)
    sampled = [r for r in proxy.requests if r["path"].endswith("/big/bulk.csv")]
    assert sum(r["bytes"] for r in sampled) < size / 4

    monkeypatch.setattr(s3_plumbing, "RANGE_BYTES", 256 * 1024)
    cap = 2 * 1024 * 1024
    limits = Limits(max_file_bytes=cap, connect_timeout_s=5, query_timeout_s=30)
    with RecordingProxy(s3_open.port) as proxy:
        result = run(s3_open.uri(None, prefix="big"), proxy.endpoint, run_checks=False,
                     sample_size=0, limits=limits)
    assert rows(result)[("bulk.csv", None)] == ("partial", "size_limit")
    gets = [r for r in proxy.requests if r["path"].endswith("/big/bulk.csv")]
    assert all(r["method"] == "GET" and r["range"] and r["status"] == 206 for r in gets)
    assert max(r["bytes"] for r in gets) <= 256 * 1024
    assert sum(r["bytes"] for r in gets) == cap
    assert len(gets) >= cap // (256 * 1024)


# ---- exposure checks --------------------------------------------------------------------
def test_checks_open_exposed(s3_open):
    result = run(s3_open.uri(None), s3_open.endpoint, read_data=False)
    assert checks(result) == dict.fromkeys(CHECKS, "exposed")
    assert all(e.target == "s3://leaks" and e.fix for e in result.exposure)
    ransom = next(e for e in result.exposure if e.check == "s3-ransom-note")
    assert ransom.severity == "critical" and "ransom-note-like names present" in ransom.detail


def test_checks_auth_not_exposed(s3_auth):
    result = run(s3_auth.uri(SCANNER), s3_auth.endpoint, read_data=False)
    assert checks(result) == dict.fromkeys(CHECKS, "not_exposed"), [e.detail for e in result.exposure]
    everything = run(f"s3://{SCANNER[0]}:{SCANNER[1]}@", s3_auth.endpoint, read_data=False)
    assert checks(everything) == dict.fromkeys(CHECKS, "not_exposed"), [e.detail for e in everything.exposure]
    # s3:// reports posture bucket by bucket: every check has a row for the bucket
    per_bucket = {(e.check, e.target) for e in everything.exposure}
    assert {(c, f"s3://{BUCKET}") for c in CHECKS} <= per_bucket
    report = reporter("json").render(everything)
    assert SCANNER[1] not in report


def test_checks_unknown_when_unreachable():
    endpoint = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    t0 = time.monotonic()
    result = run(f"s3://{SCANNER[0]}:{SCANNER[1]}@{BUCKET}", endpoint, timeout=2)
    assert checks(result) == dict.fromkeys(CHECKS, "unknown")
    assert result.targets[0].status == "error" and result.targets[0].reason == "connection_refused"
    assert SCANNER[1] not in reporter("json").render(result)
    assert time.monotonic() - t0 < 90


# ---- faults -------------------------------------------------------------------------------
@pytest.mark.timeout(120)
def test_access_denied_on_one_object(s3_auth):
    """The "partial" identity may list the bucket but read only public/*: every other
    object is an error row (permission_denied) and the readable one is still scanned."""
    result = run(s3_auth.uri(PARTIAL), s3_auth.endpoint, run_checks=False)
    cov = rows(result)
    assert cov[("public/contacts.csv", None)] == ("complete", None)
    assert cov[("people/residents.csv", None)] == ("error", "permission_denied")
    assert ("public/contacts.csv", None, "lxdh", "PHONE_NUMBER") in found(result)
    assert result.targets[0].status == "partial"


@pytest.mark.timeout(120)
def test_wrong_or_missing_credentials(s3_auth):
    wrong = run(s3_auth.uri((ADMIN[0], "not-the-secret")), s3_auth.endpoint, run_checks=False)
    assert (wrong.targets[0].status, wrong.targets[0].reason) == ("error", "auth_failed")
    anonymous = run(s3_auth.uri(None), s3_auth.endpoint, run_checks=False)
    assert (anonymous.targets[0].status, anonymous.targets[0].reason) == ("error", "permission_denied")
    assert "not-the-secret" not in reporter("json").render(wrong)


def _parts(server, n: int = 6) -> None:
    """n CSV objects of ~200 KB (more than the 64 KiB first range)."""
    from tests.servers.s3 import load_leak_data, leak_objects

    csv_bytes = leak_objects(big_mb=0)["people/residents.csv"]
    header, body = csv_bytes.split(b"\n", 1)
    blob = header + b"\n" + body * (200_000 // len(body) + 1)
    load_leak_data(server, objects={f"parts/part-{i:02d}.csv": blob for i in range(1, n + 1)})


@pytest.mark.timeout(120)
def test_server_killed_mid_scan(seaweedfs_factory):
    server = seaweedfs_factory()
    _parts(server)

    def progress(event, row):
        if event == "start" and row.path == "parts/part-03.csv":
            server.proc.kill()

    t0 = time.monotonic()
    result = run(server.uri(None), server.endpoint, progress=progress, run_checks=False, timeout=5)
    cov = rows(result)
    assert cov[("parts/part-01.csv", None)] == ("complete", None)
    assert cov[("parts/part-03.csv", None)][1] == "connection_lost"
    assert result.targets[0].status == "partial" and result.targets[0].reason == "connection_lost"
    assert time.monotonic() - t0 < 90


@pytest.mark.timeout(120)
def test_paused_server_times_out(seaweedfs_factory):
    server = seaweedfs_factory()
    _parts(server)

    def progress(event, row):
        if event == "start" and row.path == "parts/part-03.csv":
            server.proc.pause()

    t0 = time.monotonic()
    try:
        result = run(server.uri(None), server.endpoint, progress=progress, run_checks=False, timeout=1.5)
    finally:
        server.proc.resume()
    cov = rows(result)
    assert cov[("parts/part-02.csv", None)] == ("complete", None)
    assert cov[("parts/part-03.csv", None)][1] == "timeout"
    assert (result.targets[0].status, result.targets[0].reason) == ("partial", "timeout")
    assert time.monotonic() - t0 < 90
