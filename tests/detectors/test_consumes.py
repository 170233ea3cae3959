"""consumes.can_consume: never False where a match can hold the character.

Checked three ways: hand cases for every kind of element (classes, categories,
negation, dot, flags, lookarounds, repeats, back references); a property over generated
matches (hypothesis builds strings each pattern matches: any that holds the character
must have been allowed); and the registered detectors, whose patterns must not take in
the column separator, so joined columns skip the per-match SEP check (the scans
themselves are compared with the checked loop in test_pattern_fast.py)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from spillguard.detectors import registry
from spillguard.detectors.base import SEP, PatternDetector
from spillguard.detectors.consumes import can_consume

CASES = [  # pattern, flags, character, can a match hold it?
    (r"\d+", 0, SEP, False),
    (r"[0-9A-Za-z]{3}", 0, SEP, False),
    (r"[^a]", 0, SEP, True),
    (r"[^\x00a]", 0, SEP, False),
    (r"[\x00-\x05]", 0, SEP, True),
    (r"\D", 0, SEP, True),
    (r"[^\D]", 0, SEP, False),
    (r"\W", 0, SEP, True),
    (r"\S", 0, SEP, True),
    (r"\s", 0, SEP, False),
    (r"\w", 0, SEP, False),
    (r".", 0, SEP, True),
    (r".", 0, "\n", False),
    (r".", re.DOTALL, "\n", True),
    (r"(?s:.)", 0, "\n", True),
    (r"a(?=\x00)", 0, SEP, False),  # a lookahead looks, it does not take in
    (r"(?<![^a])b", 0, SEP, False),
    (r"a\x00{0}", 0, SEP, False),
    (r"a|b|\x00", 0, SEP, True),
    (r"(?:ab)*?[^b]", 0, SEP, True),
    (r"(a)\1", 0, SEP, True),  # a back reference: unknown, so it may
    (r"(?i)a", 0, "A", True),
    (r"[a-z]", re.IGNORECASE, "Q", True),
    (r"[a-z]", 0, "Q", False),
    (r"\d", re.ASCII, "\u0663", False),
    (r"\d", 0, "\u0663", True),
    (r"(?>a[^b])", 0, SEP, True),
    (r"(a)?(?(1)b|\x00)", 0, SEP, True),
]


@pytest.mark.parametrize(("pattern", "flags", "ch", "expected"), CASES)
def test_each_kind_of_element(pattern, flags, ch, expected):
    assert can_consume(pattern, flags, ch) is expected


# what hypothesis can build strings for (no lookarounds, back references, conditionals)
PATTERNS = [p for p, _, ch, _ in CASES if ch == SEP and not any(x in p for x in ("(?=", "(?<", "(?>", "(?(", "\\1"))]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
@pytest.mark.parametrize("pattern", PATTERNS)
def test_a_generated_match_holds_the_character_only_where_allowed(pattern, data):
    s = data.draw(st.from_regex(pattern, fullmatch=True))
    if SEP in s:
        assert can_consume(pattern, 0, SEP)


def test_no_detector_pattern_takes_in_the_column_separator():
    patterns = [d for d in registry() if isinstance(d, PatternDetector)]
    assert patterns
    for d in patterns:
        rx = d.regex()
        assert not can_consume(rx.pattern, rx.flags, SEP), d.id
