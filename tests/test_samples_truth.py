"""Field-level precision and recall on the bundled sample stores against their ground
truth (samples/truth.json), and the negative control stays clean."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from spillguard import Settings, scan

ROOT = Path(__file__).resolve().parents[1]
STORES = ROOT / "samples" / "stores"
TARGET = 0.98  # the aim for field-level precision and recall


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    import os

    os.environ.setdefault("SPILLGUARD_KEY", "samples-truth-test-key-0123")
    return scan(Settings(targets=[str(STORES)]))


def _key(d) -> tuple:
    return (d["path"], d["container"], d["field"], d["entity"])


def _found(result) -> set[tuple]:
    return {(f.path, f.container, f.field, f.entity) for f in result.findings}


def test_when_samples_are_scanned_then_precision_and_recall_reach_the_target(result):
    truth = {_key(t) for t in json.loads((ROOT / "samples" / "truth.json").read_text(encoding="utf-8"))}
    found = _found(result)
    tp = found & truth
    precision, recall = len(tp) / len(found), len(tp) / len(truth)
    missed, extra = sorted(truth - found, key=str), sorted(found - truth, key=str)
    assert precision >= TARGET and recall >= TARGET, f"P={precision:.3f} R={recall:.3f} missed={missed} extra={extra}"


def test_when_negative_control_is_scanned_then_nothing_is_found(result):
    assert [f for f in result.findings if f.path.startswith("negative_control/")] == []


def test_when_samples_are_scanned_then_every_file_has_a_complete_coverage_row(result):
    bad = [(c.path, c.container, c.status, c.reason) for c in result.coverage if c.status not in ("complete",)]
    assert bad == []
