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


@pytest.mark.timeout(300)
def test_with_jobs_progress_reports_each_container_once_and_a_split_file_part_by_part(tmp_path, monkeypatch):
    """The pool reports results as they arrive: every container one start and one done;
    a file scanned in parts a batch event (bytes and records so far) as its parts come
    back, before its done."""
    from spillguard.settings import Limits

    monkeypatch.setenv("SPILLGUARD_KEY", "parallel-test-key-0123456789")
    for i in range(3):
        (tmp_path / f"small-{i}.log").write_text(f"contact 1381234567{i} please\n", encoding="utf-8")
    big = tmp_path / "big.log"
    big.write_text("".join(f"line {n} phone 139{n:08d} ok\n" for n in range(20_000)), encoding="utf-8")
    events: list[tuple[str, str, int, int]] = []
    result = scan(Settings(targets=[str(tmp_path)], jobs=2, sample_size=0, limits=Limits(split_bytes=100_000)),
                  lambda event, row: events.append((event, row.path, row.records, row.bytes)))
    assert len(result.coverage) == 4
    for row in result.coverage:
        assert [e for e, p, *_ in events if p == row.path and e != "batch"] == ["start", "done"], row.path
    big_events = [e for e in events if e[1] == "big.log"]
    batches = [e for e in big_events if e[0] == "batch"]
    assert batches and big_events[-1][0] == "done"  # parts reported before the file's done
    assert 0 < batches[0][2] < big_events[-1][2] and 0 < batches[0][3] < big.stat().st_size
