"""The command line: exit codes, outputs, options, and that every option is documented."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ID = "11010519491231002X"


def run(*args, cwd=None):
    env = {**os.environ, "SPILLGUARD_KEY": "cli-test-key-0123456789"}
    return subprocess.run([sys.executable, "-m", "spillguard", *args], capture_output=True, text=True,
                          env=env, cwd=cwd, timeout=300)


@pytest.fixture
def roll(tmp_path):
    p = tmp_path / "roll.csv"
    p.write_text("xm,sfzh,zzmm\n" + "".join(f"张伟{i},{ID},中共党员\n" for i in range(20)), encoding="utf-8")
    return p


def test_when_findings_reach_fail_on_then_exit_1(roll):
    assert run("scan", str(roll), "--fail-on", "high", "-q").returncode == 1


def test_when_fail_on_never_then_exit_0(roll):
    proc = run("scan", str(roll), "--fail-on", "never")
    assert proc.returncode == 0
    assert "CN_RESIDENT_ID" in proc.stdout


def test_when_nothing_is_found_then_exit_0(tmp_path):
    p = tmp_path / "orders.csv"
    p.write_text("sku,qty\nA-1,3\nB-2,4\n")
    assert run("scan", str(p)).returncode == 0


def test_when_option_is_invalid_then_exit_2(roll):
    proc = run("scan", str(roll), "--min-confidence", "7")
    assert proc.returncode == 2
    assert "--min-confidence" in proc.stderr


def test_when_target_scheme_is_unknown_then_exit_2():
    proc = run("scan", "gopher://user:secretpw@127.0.0.1/x")
    assert proc.returncode == 2
    assert "secretpw" not in proc.stderr and "***" in proc.stderr


def test_when_no_target_can_be_read_then_exit_3(tmp_path):
    proc = run("scan", str(tmp_path / "missing.csv"))
    assert proc.returncode == 3


def test_when_output_is_json_then_report_follows_the_contract(roll, tmp_path):
    out = tmp_path / "r.json"
    proc = run("scan", str(roll), "--format", "json", "--output", str(out), "--fail-on", "never", "-q")
    assert proc.returncode == 0 and proc.stdout == ""
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1
    by_field = {(f["field"], f["entity"]) for f in doc["findings"]}
    assert ("sfzh", "CN_RESIDENT_ID") in by_field and ("zzmm", "POLITICAL_AFFILIATION") in by_field
    f = next(f for f in doc["findings"] if f["entity"] == "CN_RESIDENT_ID")
    assert f["path"] == "roll.csv" and f["container"] is None
    assert f["count"] == 20 and f["distinct"] == 1 and f["records"] == 20
    assert ID not in out.read_text(encoding="utf-8")


def test_when_sample_size_is_small_then_coverage_says_sampled(roll, tmp_path):
    out = tmp_path / "r.json"
    run("scan", str(roll), "--sample-size", "5", "--output", str(out), "--fail-on", "never", "-q")
    cov = json.loads(out.read_text(encoding="utf-8"))["coverage"]
    assert cov[0]["status"] == "partial" and cov[0]["reason"].startswith("sampled")
    assert cov[0]["records"] == 5


def test_when_exclude_matches_then_file_is_not_scanned(roll, tmp_path):
    out = tmp_path / "r.json"
    run("scan", str(roll.parent), "--exclude", "*.csv", "--output", str(out), "--fail-on", "never", "-q")
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert not [c for c in doc["coverage"] if c["path"] == "roll.csv"]


def test_when_detectors_is_listed_then_every_detector_appears():
    from spillguard.detectors import registry

    proc = run("detectors", "--format", "json")
    assert proc.returncode == 0
    assert {d["id"] for d in json.loads(proc.stdout)} == {d.id for d in registry()}


def test_when_module_is_run_then_version_prints():
    proc = run("--version")
    assert proc.returncode == 0 and "spillguard" in proc.stdout


def test_when_readme_is_read_then_every_scan_option_is_documented():
    from spillguard.cli.main import scan

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for param in scan.params:
        for opt in getattr(param, "opts", []):
            if opt.startswith("--"):
                assert opt in readme, f"{opt} is not documented in README.md"


@pytest.mark.parametrize("cap,status,records", [("200", "partial", None), ("0", "complete", 20), ("2G", "complete", 20)])
def test_when_max_file_size_is_set_then_files_are_read_up_to_it(roll, tmp_path, cap, status, records):
    out = tmp_path / "r.json"
    run("scan", str(roll), "--max-file-size", cap, "--sample-size", "0", "--output", str(out), "--fail-on", "never", "-q")
    cov = json.loads(out.read_text(encoding="utf-8"))["coverage"][0]
    assert cov["status"] == status
    if records is None:
        assert "size_limit" in cov["reason"] and 0 < cov["records"] < 20
    else:
        assert cov["records"] == records


def test_when_max_file_size_is_not_a_size_then_exit_2(roll):
    proc = run("scan", str(roll), "--max-file-size", "lots")
    assert proc.returncode == 2 and "not a size" in proc.stderr


def test_sizes_parse_in_binary_units():
    from spillguard.cli.sizes import parse_size

    assert parse_size("2G") == 2 * 1024**3 and parse_size("500m") == 500 * 1024**2
    assert parse_size("64KiB") == 65536 and parse_size("1.5T") == int(1.5 * 1024**4) and parse_size("123") == 123
    assert parse_size("0") == sys.maxsize


@pytest.mark.parametrize("value,message", [("0", "1 or more"), ("-2", "1 or more"), ("many", "or 'auto'")])
def test_when_jobs_is_not_a_count_then_exit_2(roll, value, message):
    proc = run("scan", str(roll), "--jobs", value)
    assert proc.returncode == 2 and message in proc.stderr


def test_jobs_auto_is_one_worker_per_cpu_this_process_may_use(monkeypatch):
    from spillguard.cli import jobs

    assert jobs.Jobs().convert("auto", None, None) == jobs.usable_cpus() == len(os.sched_getaffinity(0))
    assert jobs.Jobs().convert(" 3 ", None, None) == 3
    assert "--jobs N|auto" in run("scan", "--help").stdout
    monkeypatch.setattr(jobs.os, "sched_getaffinity", lambda pid: {0, 5, 7})  # e.g. taskset -c 0,5,7
    assert jobs.Jobs().convert("AUTO", None, None) == 3


def test_when_jobs_is_auto_then_the_result_equals_one_process(roll, tmp_path):
    reports = []
    for jobs in ("1", "auto"):
        out = tmp_path / f"r{jobs}.json"
        proc = run("scan", str(roll), "--jobs", jobs, "--output", str(out), "--fail-on", "never", "-q")
        assert proc.returncode == 0, proc.stderr
        report = json.loads(out.read_text(encoding="utf-8"))
        reports.append([(f["field"], f["entity"], f["count"], f["fingerprint"]) for f in report["findings"]])
    assert reports[0] == reports[1] and reports[0]
