"""The Spark engine (local[2]) gives the very result of a local scan: findings (count,
distinct, records, fingerprint ...), coverage rows, people and risk; a corrupt file gets
its row and the rest completes; the CLI runs it; S3 objects are spread out too."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from spillguard import scan
from spillguard.errors import ConfigError
from spillguard.models import ScanResult
from spillguard.reporting import get as reporter
from spillguard.settings import Settings
from tests.servers.s3 import leak_objects, load_leak_data, seaweedfs_factory  # noqa: F401  (fixture)

pytestmark = pytest.mark.spark
pytest.importorskip("pyspark")

from spillguard.spark import engine  # noqa: E402

KEY = "spark-test-key-0123456789abcdef"
MASTER = "local[2]"


@pytest.fixture(autouse=True)
def _env(monkeypatch, tmp_path):
    monkeypatch.setenv("SPILLGUARD_KEY", KEY)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    for var in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE",
                "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


def lake_files() -> dict[str, bytes]:
    """CSV, nested JSONL, .gz, zip, log, Parquet, a sampled CSV, a deep folder, SQLite
    and broken files; the same people recur across files (people are merged, not added)."""
    files = dict(leak_objects(big_mb=1))  # people/…csv, hotel/…jsonl, logs/…gz, export/…zip, faces/…parquet
    files["deep/a/b/c/contacts.csv"] = files.pop("public/contacts.csv")
    files["mirror/residents-copy.csv"] = files["people/residents.csv"]
    files["broken/corrupt.parquet"] = b"PAR1" + os.urandom(2048) + b"PAR1"
    files["broken/truncated.csv.gz"] = gzip.compress(files["people/residents.csv"])[:300]
    files["empty.csv"] = b""
    files["notes.tmp"] = files["people/residents.csv"]  # excluded by --exclude '*.tmp'
    return files


@pytest.fixture(scope="module")
def lake(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("lake")
    for rel, data in lake_files().items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(data)
    (root / "db").mkdir()
    db = sqlite3.connect(root / "db" / "registry.db")
    db.execute("create table residents (xm text, sfzh text, lxdh text)")
    db.execute("create table plates (hphm text, owner_sfzh text)")
    db.executemany("insert into residents values (?, ?, ?)",
                   [("王伟", "11010519491231002X", "13912345678"), ("李娜", "110105194912310021", "13812345678")])
    db.executemany("insert into plates values (?, ?)", [("京A12345", "11010519491231002X")])
    db.commit()
    db.close()
    outside = tmp_path_factory.mktemp("outside") / "secret.csv"
    outside.write_text("sfzh\n11010519491231002X\n")
    (root / "link-outside.csv").symlink_to(outside)  # a row decided by the walk on the driver
    return root


def settings(*targets, **kw) -> Settings:
    return Settings(targets=[str(t) for t in targets], exclude=["*.tmp"], **kw)


def assert_same(local: ScanResult, spark: ScanResult) -> None:
    assert spark.targets == local.targets
    assert spark.coverage == local.coverage  # every row, in the same order
    by_id = lambda r: {f.identity: f for f in r.findings}  # noqa: E731
    assert by_id(spark) == by_id(local)  # count, distinct, records, confidence, samples, fingerprint ...
    assert len(spark.findings) == len(local.findings)
    assert spark.people == local.people  # scan, target and container estimates, demographics
    assert spark.traces == local.traces
    assert spark.risk == local.risk
    assert spark.exposure == local.exposure


def test_when_a_lake_is_scanned_on_spark_then_the_result_equals_a_local_scan(spark_session, lake):
    local = scan(settings(lake))
    spark = engine.run(settings(lake), MASTER)
    assert_same(local, spark)
    rows = {(c.path, c.container): (c.status, c.reason) for c in spark.coverage}
    found = {(f.path, f.container, f.field, f.entity) for f in spark.findings}
    for expected in [
        ("people/residents.csv", None, "sfzh", "CN_RESIDENT_ID"),
        ("hotel/guests.jsonl", None, "companions[].sfzh", "CN_RESIDENT_ID"),
        ("logs/checkin.csv.gz", "checkin.csv", "lxdh", "PHONE_NUMBER"),
        ("export/police.zip", "records.csv", "zzmm", "POLITICAL_AFFILIATION"),
        ("faces/entry_exit.parquet", None, "sfzh", "CN_RESIDENT_ID"),
        ("deep/a/b/c/contacts.csv", None, "lxdh", "PHONE_NUMBER"),
        ("logs/gate.log", None, None, "CN_RESIDENT_ID"),
        ("db/registry.db", "residents", "sfzh", "CN_RESIDENT_ID"),
        ("db/registry.db", "plates", "hphm", "LICENSE_PLATE"),
    ]:
        assert expected in found, expected
    assert rows[("big/bulk.csv", None)] == ("partial", "sampled:n=10000,method=head,seed=none")
    assert rows[("link-outside.csv", None)] == ("skipped", "symlink_outside_target")
    assert rows[("empty.csv", None)] == ("skipped", "empty")
    assert not any(p == "notes.tmp" for p, _ in rows)
    # the people recur across files scanned by different executors: counted once
    scan_people = spark.people[0]
    assert scan_people.scope == "scan" and scan_people.basis == "CN_RESIDENT_ID"
    assert scan_people.derived["ids"] == local.people[0].derived["ids"]


def test_when_a_file_is_corrupt_then_it_gets_its_row_and_the_rest_completes(spark_session, lake):
    spark = engine.run(settings(lake, include=["*.parquet", "*.gz", "*.csv"]), MASTER)
    local = scan(settings(lake, include=["*.parquet", "*.gz", "*.csv"]))
    assert_same(local, spark)
    rows = {(c.path, c.container): (c.status, c.reason) for c in spark.coverage}
    status, reason = rows[("broken/corrupt.parquet", None)]
    assert status == "error" and reason
    assert rows[("broken/truncated.csv.gz", "truncated.csv")] == ("error", "truncated")
    assert rows[("people/residents.csv", None)] == ("complete", None)
    assert rows[("faces/entry_exit.parquet", None)] == ("complete", None)
    assert spark.targets[0].status == "partial" and spark.targets[0].reason == "incomplete_containers"


def test_when_several_targets_are_given_then_each_keeps_its_rows(spark_session, lake, tmp_path):
    single = tmp_path / "roll.csv"
    single.write_bytes(lake_files()["people/residents.csv"])
    missing = tmp_path / "missing"
    local = scan(settings(lake / "people", single, missing))
    spark = engine.run(settings(lake / "people", single, missing), MASTER)
    assert_same(local, spark)
    assert [t.status for t in spark.targets] == ["complete", "complete", "error"]
    assert spark.targets[2].reason == "not_found"


def test_when_the_cli_runs_the_spark_engine_then_it_prints_the_json_of_a_local_scan(lake, tmp_path):
    env = {**os.environ, "SPILLGUARD_KEY": KEY}
    env.pop("PYSPARK_GATEWAY_PORT", None)
    proc = subprocess.run(
        [sys.executable, "-m", "spillguard", "scan", str(lake), "--exclude", "*.tmp", "--engine", "spark",
         "--master", MASTER, "--format", "json", "--fail-on", "never", "-q"],
        capture_output=True, text=True, env=env, timeout=240, cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    got = json.loads(proc.stdout)
    want = json.loads(reporter("json").render(scan(settings(lake))))
    for doc in (got, want):
        doc.pop("started_at"), doc.pop("finished_at")
    assert got == want
    assert KEY not in proc.stdout + proc.stderr
    # quiet: no Spark log lines, no progress bar (the JVM's own incubator notice aside)
    noise = [line for line in proc.stderr.splitlines() if line and "incubator" not in line]
    assert noise == []


def test_when_master_is_given_without_the_spark_engine_then_exit_2(lake):
    proc = subprocess.run([sys.executable, "-m", "spillguard", "scan", str(lake), "--master", MASTER],
                          capture_output=True, text=True, env={**os.environ, "SPILLGUARD_KEY": KEY}, timeout=60)
    assert proc.returncode == 2 and "--engine spark" in proc.stderr


def test_when_pyspark_is_missing_then_a_config_error_names_the_extra(monkeypatch, lake):
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(ConfigError, match=r"pip install 'spillguard\[spark\]'"):
        engine.run(settings(lake / "people"), MASTER)


def test_when_a_target_is_a_database_then_the_spark_engine_refuses_it(lake):
    with pytest.raises(ConfigError, match="local engine"):
        engine.run(settings(f"sqlite:///{lake / 'db' / 'registry.db'}"), MASTER)


def test_when_an_s3_bucket_is_scanned_on_spark_then_the_result_equals_a_local_scan(spark_session, seaweedfs_factory):
    server = seaweedfs_factory(auth=False)
    objects = {k: v for k, v in lake_files().items() if k != "empty.csv"}
    load_leak_data(server, bucket="lake", objects=objects)
    uri = server.uri(None, bucket="lake")
    kw = dict(endpoint_url=server.endpoint, run_checks=False)
    local = scan(settings(uri, **kw))
    spark = engine.run(settings(uri, **kw), MASTER)
    assert_same(local, spark)
    rows = {(c.path, c.container): (c.status, c.reason) for c in spark.coverage}
    assert rows[("people/residents.csv", None)] == ("complete", None)
    assert rows[("broken/corrupt.parquet", None)][0] == "error"
    assert ("logs/checkin.csv.gz", "checkin.csv") in rows
    assert {f.entity for f in spark.findings} >= {"CN_RESIDENT_ID", "PHONE_NUMBER", "POLITICAL_AFFILIATION"}


def test_when_executors_have_their_own_process_keys_then_demographics_still_count_each_person_once(lake):
    """Two executors are two processes, each with its own random digest key for the
    resident-ID demographics: the per-scan key shipped with the tasks replaces it."""
    import secrets

    from spillguard.analysis import people
    from spillguard.scanning.assess import assess
    from spillguard.spark.tasks import Listed, TargetSpec, Unit, lister, scan_units

    s = settings(lake / "people", lake / "mirror")  # the same residents in both targets
    local = scan(s)
    specs = [TargetSpec(t, t, "files") for t in s.targets]
    units = [Unit(i, n, item.rel, item.where, item.size)
             for i, (n, item) in enumerate((n, item) for n, t in enumerate(s.targets)
                                            for item in lister("files", t, s, t).containers()
                                            if isinstance(item, Listed))]
    per_scan = secrets.token_bytes(32)
    summaries = []
    saved = people._PROCESS_KEY
    try:
        for unit in units:  # one "process" per file
            people._PROCESS_KEY = secrets.token_bytes(32)
            for _, parts in scan_units([[unit]], s, specs, KEY.encode(), per_scan):
                summaries.extend(parts)
            assert people._PROCESS_KEY != per_scan  # restored after the task
    finally:
        people._PROCESS_KEY = saved
    _, merged, _ = assess(summaries, {t: [] for t in s.targets})
    assert merged[0].derived == local.people[0].derived
    assert merged[0].derived["ids"] == local.people[1].derived["ids"]  # not twice the roll


def test_when_a_big_file_is_scanned_on_spark_then_its_parts_add_up_to_a_local_scan(spark_session, tmp_path,
                                                                                   monkeypatch):
    """--sample-size 0: a text log and a Parquet file larger than split_bytes are one task
    per part on the executors; the driver adds the parts up to the result of a local scan."""
    from spillguard.settings import Limits
    from spillguard.spark import split
    from tests.test_split_parts import write_parquet, write_text

    lake = tmp_path / "lake"
    lake.mkdir()
    for path in (write_text(lake / "app.log"), write_parquet(lake / "people.parquet")):
        path.with_suffix(".planted").unlink()
    tasks: list[int] = []
    real = split.expand
    monkeypatch.setattr(split, "expand", lambda *a: tasks.append(len(t := real(*a))) or t)
    s = settings(lake, sample_size=0, limits=Limits(split_bytes=100_000))
    local = scan(s)
    spark = engine.run(s, MASTER)
    assert_same(local, spark)
    assert tasks and tasks[0] >= 6  # two files, three parts or more each
    assert [c.path for c in spark.coverage] == ["app.log", "people.parquet"]
