"""The engine at its one-method boundary (a ContainerScan of in-memory batches)."""

from __future__ import annotations

import random

from spillguard.errors import LimitExceeded
from spillguard.models import Batch, Coverage
from spillguard.scanning.container import ContainerRun
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan
from spillguard.detectors import registry
from tests.pipeline import KEY, run_batches, scan_column, scan_text

IDS = ["11010519491231002X", "110105194912310021", "440524188001010014", "350102199001011235"]


def _valid_ids(n: int) -> list[str]:
    from stdnum.cn import ric

    rng = random.Random(7)
    out = []
    while len(out) < n:
        body = f"110105{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
        out.append(body + ric.calc_check_digit(body + "0"))  # stdnum expects a check slot
    return out


def _run(batches, sample_size=0, fail_after=None):
    def gen():
        for i, b in enumerate(batches):
            if fail_after is not None and i == fail_after:
                raise ValueError("boom 11010519491231002X")
            yield b

    row = Coverage("mem", "x.csv", None)
    findings = ContainerRun(ContainerScan(row, gen()), Settings(["mem"], sample_size=sample_size), registry(), KEY).run()
    return row, findings


def _batches(values, size):
    return [Batch({"sfzh": values[i:i + size]}, records=len(values[i:i + size])) for i in range(0, len(values), size)]


def test_when_chunk_size_changes_then_findings_do_not():
    values = _valid_ids(300)
    results = []
    for size in (1, 7, 300):
        _, findings = _run(_batches(values, size))
        results.append({(f.field, f.entity, f.count, f.distinct, f.records, f.fingerprint) for f in findings})
    assert results[0] == results[1] == results[2]
    assert ("sfzh", "CN_RESIDENT_ID") in {r[:2] for r in results[0]}


def test_when_sample_size_is_reached_then_row_is_partial_with_sampled_reason():
    row, findings = _run(_batches(_valid_ids(50), 10), sample_size=25)
    assert row.status == "partial" and row.reason == "sampled:n=25,method=head,seed=none"
    assert row.records == 25
    assert next(f for f in findings if f.entity == "CN_RESIDENT_ID").records == 25


def test_when_sample_size_equals_content_then_row_is_complete():
    row, _ = _run(_batches(_valid_ids(20), 10), sample_size=20)
    assert row.status == "complete"


def test_when_container_fails_midway_then_findings_so_far_are_kept_and_reason_is_safe():
    row, findings = _run(_batches(_valid_ids(30), 10), fail_after=2)
    assert row.status == "partial" and row.reason == "parse_error:ValueError"
    assert "CN_RESIDENT_ID" in {f.entity for f in findings}


def test_when_container_fails_at_once_then_row_is_error():
    row, findings = _run(_batches(_valid_ids(30), 10), fail_after=0)
    assert row.status == "error" and findings == []


def test_when_a_cap_is_hit_then_row_is_skipped_with_that_reason():
    def gen():
        raise LimitExceeded("too big", reason="size_limit")
        yield  # pragma: no cover

    row = Coverage("mem", "x.csv", None)
    ContainerRun(ContainerScan(row, gen()), Settings(["mem"]), registry(), KEY).run()
    assert (row.status, row.reason) == ("skipped", "size_limit")


def test_when_resident_ids_pass_luhn_then_they_are_not_also_cards():
    findings = scan_column("sfzh", _valid_ids(500))
    assert {f.entity for f in findings} == {"CN_RESIDENT_ID"}


def test_when_repeated_field_has_lists_then_records_count_records_not_items():
    ids = _valid_ids(20)
    findings = run_batches([Batch({"companions[].id_no": [ids[i:i + 2] for i in range(0, 20, 2)]}, records=10)])
    f = next(f for f in findings if f.entity == "CN_RESIDENT_ID")
    assert (f.field, f.count, f.distinct, f.records) == ("companions[].id_no", 20, 20, 10)


def test_when_text_chunks_overlap_then_a_hit_is_counted_once():
    text = "x " * 50 + "身份证号 11010519491231002X 入住\n"
    findings = run_batches([Batch(text=text[:130], records=0), Batch(text=text[100:], text_offset=100, records=1)], kind="text")
    f = next(f for f in findings if f.entity == "CN_RESIDENT_ID")
    assert f.count == 1 and f.field is None


def test_when_free_text_holds_ids_then_finding_has_no_field():
    findings = scan_text("2026-03-01 login idcard=11010519491231002X phone=13912345678\n")
    assert {"CN_RESIDENT_ID", "PHONE_NUMBER"} <= {f.entity for f in findings}
    assert all(f.field is None for f in findings)


def test_a_plugin_detector_without_the_floor_parameter_still_scans_text():
    """scan_text(text) from before scan_text(text, floor): called with the text alone."""
    from spillguard.detectors.base import Detector, Hit
    from spillguard.scanning.text import TextScanner

    class OldStyle(Detector):
        id = "test-old-style"
        entity = "TEST_TOKEN"

        def scan_text(self, text):  # no floor
            at = text.find("TOKEN-42")
            return [] if at < 0 else [Hit(0, at, at + 8, "TOKEN-42", 0.9, "literal", self.entity)]

    scanner = TextScanner([OldStyle()], KEY, 0.5)
    scanner.scan(Batch(text="x\nTOKEN-42\n", records=2))
    assert scanner.tally.by_detector["test-old-style"].count == 1


def test_progress_is_told_after_every_batch_with_the_records_so_far(tmp_path, monkeypatch):
    """A long container (a 10 GB log) reports as it goes, not only when it ends."""
    from spillguard import Settings, scan
    from spillguard.settings import Limits

    monkeypatch.setenv("SPILLGUARD_KEY", "engine-test-key-0123456789")
    p = tmp_path / "big.log"
    p.write_text("".join(f"line {i} ok\n" for i in range(30_000)), encoding="utf-8")
    events = []
    scan(Settings(targets=[str(p)], sample_size=0, run_checks=False, limits=Limits(text_chunk_chars=64 * 1024)),
         progress=lambda event, row: events.append((event, row.records, row.bytes)))
    kinds = [e for e, _, _ in events]
    assert kinds[0] == "start" and kinds[-1] == "done" and kinds.count("batch") >= 4
    batches = [(n, b) for e, n, b in events if e == "batch"]
    assert batches == sorted(batches) and batches[-1][0] == 30_000 and events[-1][1] == 30_000
