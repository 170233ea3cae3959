"""Free-text windows start where a gate's first match in a line starts (gate.py,
``from_match``): the regex of a detector cannot match earlier, since its gate matches a
superset of its matches. Checked on the character bound computed from UTF-8 offsets and
on scans with and without it."""

from __future__ import annotations

import re
from contextlib import contextmanager

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.detectors import gate, registry
from spillguard.detectors.base import PatternDetector
from spillguard.detectors.cn_resident_id import CnResidentIdDetector
from spillguard.detectors.gate import MIN_GATED_CHARS, Segments

FROM_MATCH = [d for d in registry() if isinstance(d, PatternDetector) and d.scan_from_gate_match and d.gate is None]
_LINE = st.text("ab 1234567890.-:@é身😀\t", max_size=60)


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_LINE, min_size=1, max_size=12))
def test_the_character_bound_is_never_past_the_first_match_and_exact_on_ascii(lines):
    text = "\n".join(lines)
    seg = Segments(text, "\n")
    rows, skip = seg._marked_from("[0-9]{3}")
    assert list(rows) == [i for i, line in enumerate(lines) if re.search("[0-9]{3}", line)]
    for row, at in zip(rows, skip):
        true = re.search("[0-9]{3}", lines[row]).start()
        assert 0 <= at <= true
        if lines[row].isascii():
            assert at == true


_FRAGMENTS = sorted({str(e.value) for d in registry() for e in d.positives + d.negatives
                     if isinstance(e.value, (str, int)) and not isinstance(e.value, bool)})
_PREFIXES = st.sampled_from(["", "客户登记：身份证号 ", "ref ", "2024-06-01 INFO 订单 ", "é😀 ", "x" * 70, "card ", "ip="])


@pytest.mark.parametrize("detector", FROM_MATCH, ids=lambda d: d.id)
@settings(max_examples=40, deadline=None)
@given(parts=st.lists(st.tuples(_PREFIXES, st.sampled_from(_FRAGMENTS), _PREFIXES), min_size=1, max_size=12))
def test_a_scan_from_the_gate_match_finds_what_a_scan_from_the_line_start_finds(detector, parts):
    filler = "\n".join(["plain words only here"] * (MIN_GATED_CHARS // 20 + 1))
    text = filler + "\n" + "\n".join(a + f + b for a, f, b in parts) + "\n" + filler
    got = [m.span() for m in detector._candidates(text)]
    hits = detector.scan_text(text, 0.0)
    with _from_line_start(type(detector)):
        assert [m.span() for m in detector._candidates(text)] == got
        assert detector.scan_text(text, 0.0) == hits


@contextmanager
def _from_line_start(cls):
    own = "scan_from_gate_match" in cls.__dict__
    cls.scan_from_gate_match = False
    try:
        yield
    finally:
        if own:
            cls.scan_from_gate_match = True
        else:
            del cls.scan_from_gate_match


def test_a_window_starts_at_the_gate_match_not_at_the_line_start():
    line = "客户登记：身份证号 11010519491231002X，已入住"
    text = "\n".join(["plain words only here"] * (MIN_GATED_CHARS // 20 + 1)) + "\n" + line + "\n"
    start = text.index(line)
    det = CnResidentIdDetector()
    rx = det.regex()
    (pos, end), = gate.windows(text, rx, from_match=True)
    assert start < pos <= text.index("11010519491231002X") and end == len(text)
    assert gate.windows(text, rx) == [(start, len(text))]  # from the line start without it
    assert [h.value for h in det.scan_text(text)] == ["11010519491231002X"]
