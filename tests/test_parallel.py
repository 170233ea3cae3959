"""--jobs N: the same result as a sequential scan, from worker processes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from spillguard import Settings, scan

SAMPLES = Path(__file__).resolve().parents[1] / "samples" / "stores"


def _key(f):
    return tuple(str(x) for x in (f.path, f.container, f.field, f.entity, f.count, f.distinct, f.records, f.fingerprint))


@pytest.mark.timeout(300)
def test_when_jobs_is_two_then_the_result_equals_a_sequential_scan(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "parallel-test-key-0123456789")
    one = scan(Settings(targets=[str(SAMPLES)]))
    two = scan(Settings(targets=[str(SAMPLES)], jobs=2))
    assert sorted(map(_key, one.findings)) == sorted(map(_key, two.findings))
    rows = lambda r: sorted(str((c.path, c.container, c.status, c.reason, c.records)) for c in r.coverage)  # noqa: E731
    assert rows(one) == rows(two)
    people = lambda r: next(p.estimate for p in r.people if p.scope == "scan")  # noqa: E731
    assert people(one) == people(two)
    risks = lambda r: sorted(str((k.path, k.container, k.severity, k.score)) for k in r.risk)  # noqa: E731
    assert risks(one) == risks(two)


def test_when_jobs_is_zero_then_settings_refuse_it():
    from spillguard.errors import ConfigError

    with pytest.raises(ConfigError):
        Settings(targets=["x"], jobs=0)


def test_when_jobs_is_two_on_one_file_then_no_worker_is_started(monkeypatch):
    """Nothing to spread: the one file is scanned in this process (no pool start-up)."""
    import concurrent.futures

    monkeypatch.setenv("SPILLGUARD_KEY", "parallel-test-key-0123456789")

    def refuse(*a, **k):
        raise AssertionError("a worker pool was started for one file")

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", refuse)
    import spillguard.parallel as parallel

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", refuse)
    target = str(SAMPLES / "resident_roll.csv")
    one = scan(Settings(targets=[target]))
    two = scan(Settings(targets=[target], jobs=2))
    assert one.findings and sorted(map(_key, one.findings)) == sorted(map(_key, two.findings))
