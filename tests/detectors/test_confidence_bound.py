"""Detector.confidence_bound: the column scanner skips a detector on a field whose name
caps its confidence below the scan's threshold (a birth-date detector on created_at, an
age detector on a field not named for ages). The bound is checked against confidence()
on generated columns, and a scan that skips gives the findings of one that does not."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard import Settings, scan
from spillguard.detectors import registry
from spillguard.detectors.base import Detector
from spillguard.detectors.context import FieldContext
from spillguard.keys import Keyed
from spillguard.models import Batch
from spillguard.scanning import columns
from spillguard.scanning.columns import scan_batch

DETECTORS = {d.id: d for d in registry()}
_VALUES = sorted({str(e.value) for d in registry() for e in d.positives + d.negatives
                  if isinstance(e.value, (str, int)) and not isinstance(e.value, bool)})
_VALUES += ["2024-06-22 19:52:24", "1985-06-15", "35", "男", "已婚", "汉族", "490154203237518", "460001234567890"]
_NAMES = sorted({n for d in registry() for n in d.field_names + d.sibling_names + d.not_field_names}
                | {"created_at", "amount", "remark", "c5", "ts"})


@settings(max_examples=200, deadline=None)
@given(path=st.sampled_from(_NAMES), siblings=st.sets(st.sampled_from(_NAMES), max_size=3),
       values=st.lists(st.sampled_from(_VALUES), min_size=1, max_size=30))
def test_no_field_gets_a_confidence_above_its_bound(path, siblings, values):
    siblings = siblings - {path}
    tallies: dict = {}
    batch = Batch(records=len(values), columns={path: values, **{s: [None] * len(values) for s in siblings}})
    scan_batch(batch, tallies, registry(), Keyed(b"bound-test-key-0123456"))
    ctx = FieldContext(path, frozenset(siblings))
    for t in tallies[path].by_detector.values():
        t.settle()
        t.stats.nonempty = tallies[path].nonempty
        det = DETECTORS[t.detector]
        conf, _ = det.confidence(t.stats, ctx)
        assert conf <= det.confidence_bound(path), (det.id, path, conf)


@pytest.mark.parametrize("detector,path,bound", [
    ("date-of-birth", "created_at", 0.4), ("date-of-birth", "csrq", 1.0), ("date-of-birth", "guest.dob", 1.0),
    ("imei", "c5", 1.0),  # neighbours named imsi/mac support it, and they differ between batches
    ("age", "amount", 0.0), ("age", "nl", 1.0), ("gender", "remark", 0.0), ("gender", "xb", 1.0),
    ("address", "remark", 1.0),  # three address markers stand on their own
    ("address", "email", 0.0),  # the name rules it out
    ("cn-resident-id", "order_no", 1.0), ("phone-number", "c5", 1.0),
    ("ip-address", "client_version", 0.0), ("ip-address", "client_ip", 1.0),  # the name rules it out
])
def test_bounds_of_the_built_in_detectors(detector, path, bound):
    assert DETECTORS[detector].confidence_bound(path) == bound


def test_a_detector_with_its_own_confidence_is_never_bounded():
    class Own(type(DETECTORS["date-of-birth"])):
        id = "test-own-confidence"

        def confidence(self, stats, ctx):
            return 1.0, []

    assert Own().confidence_bound("created_at") == 1.0 and Detector.confidence_bound(Own(), "x") == 1.0


def _csv(tmp_path):
    rng = random.Random(7)
    rows = ["created_at,dob,amount,age,remark"]
    for i in range(300):
        d = f"19{rng.randint(50, 99)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        rows.append(f"2024-06-{rng.randint(1, 28):02d} 10:00:00,{d},{rng.randint(1, 99)},{rng.randint(1, 99)},ok")
    p = tmp_path / "t.csv"
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return p


def _findings(path, min_confidence):
    result = scan(Settings(targets=[str(path)], sample_size=0, run_checks=False, min_confidence=min_confidence))
    return sorted((f.field, f.entity, f.count, f.distinct, f.confidence) for f in result.findings)


@pytest.mark.parametrize("min_confidence", [0.5, 0.4, 0.3, 0.0])
def test_skipping_changes_no_finding_and_skips_where_nothing_could_be_reported(tmp_path, monkeypatch, min_confidence):
    path = _csv(tmp_path)
    scanned: list[tuple[str, str]] = []
    real = columns._scan_column

    def spy(col, cells, records, texts, tallies, detectors, *rest):
        scanned.extend((col, d.id) for d in detectors)
        return real(col, cells, records, texts, tallies, detectors, *rest)

    monkeypatch.setattr(columns, "_scan_column", spy)
    skipped = _findings(path, min_confidence)
    first_scan, scanned[:] = list(scanned), []
    for cls in {c for d in registry() for c in type(d).__mro__}:  # no bound anywhere
        if "confidence_bound" in cls.__dict__:
            monkeypatch.setattr(cls, "confidence_bound", lambda self, path: 1.0)
    assert skipped == _findings(path, min_confidence)
    assert ("created_at", "date-of-birth") in scanned and ("amount", "age") in scanned  # the spy sees all
    assert (("created_at", "date-of-birth") in first_scan) == (min_confidence <= 0.4)
    assert (("amount", "age") in first_scan) == (min_confidence <= 0.0)
    assert ("dob", "date-of-birth") in first_scan and ("age", "age") in first_scan
    if min_confidence <= 0.4:  # created_at's dates then are reported, weakly, as before
        assert any(f[:2] == ("created_at", "DATE_OF_BIRTH") for f in skipped)
