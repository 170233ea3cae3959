"""bench/targets.py: issue 5's speed targets judged from one run's rows. Ratios are taken
between rows of the same format; a missing or failed row gives no verdict, never a pass."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import targets  # noqa: E402


def _row(tool, fmt, mb_s, na=None):
    return {"tool": tool, "format": fmt, "mb_s": mb_s, "na": na}


def test_each_target_is_judged_from_rows_of_the_same_format():
    rows = [_row("spillguard", "text", 120.0), _row("datafog", "text", 2.0), _row("presidio", "text", 0.1),
            _row("re2", "text", 200.0),
            _row("spillguard", "csv", 2.0), _row("datafog", "csv", 2.0), _row("re2", "csv", 40.0),
            _row("presidio", "csv", None, na="failed (exit 1, see logs)")]
    got = {(t.split(" ≥")[0].split(" ≤")[0], f): (v, m) for t, f, v, m in targets.verdicts(rows)}
    assert got[("MB/s per core", "text")] == (120.0, True)
    assert got[("× DataFog (Python regex engine)", "text")] == (60.0, True)
    assert got[("× Presidio (pattern recognizers)", "text")] == (1200.0, True)
    assert got[("re2 floor ÷ spillguard", "text")] == (200.0 / 120.0, True)
    assert got[("MB/s per core", "csv")] == (2.0, False)
    assert got[("× DataFog (Python regex engine)", "csv")] == (1.0, False)
    assert got[("re2 floor ÷ spillguard", "csv")] == (20.0, False)
    assert got[("× Presidio (pattern recognizers)", "csv")] == (None, None)  # failed row: no verdict
    assert got[("MB/s per core", "logs")] == (None, None)  # not measured


def test_the_markdown_table_says_met_or_not_met_per_format():
    rows = [_row("spillguard", "text", 5.5), _row("re2", "text", 39.0)]
    md = targets.markdown(rows).splitlines()
    assert md[0] == "| target | text | logs | csv | jsonl |"
    assert md[2].startswith("| MB/s per core ≥ 100 | 5.50 not met | — |")
    assert md[5].startswith("| re2 floor ÷ spillguard ≤ 2 | 7.09 not met |")
