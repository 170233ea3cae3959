"""The lead lookahead (detectors/lead.py) turns away only candidates the validator
would reject: checked against the validators' own tables and by scanning generated text
with and without the lookahead (which also shows the one difference: a valid number an
invalid one stepped over is found). Columns keep every candidate (the field's precision)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.detectors.cn_resident_id import CnResidentIdDetector
from spillguard.detectors.credit_card import CreditCardDetector
from spillguard.detectors.lead import lead_digits
from spillguard.validators import card_iin, cn_ric

ALL_PAIRS = [f"{i:02d}" for i in range(100)]


def test_lead_digits_passes_allowed_pairs_and_anything_not_two_ascii_digits():
    rx = re.compile(lead_digits({"22", "27", "4" + "5", "91"}))
    assert [p for p in ALL_PAIRS if rx.match(p)] == ["22", "27", "45", "91"]
    for other in ("1\u200b2", "\uff11\uff12", "\u0661\u0662", "1", "a1", "1-2"):
        assert rx.match(other), other  # the validator decides these


def test_lead_digits_refuses_what_is_not_a_digit_pair():
    with pytest.raises(ValueError):
        lead_digits({"4"})
    with pytest.raises(ValueError):
        lead_digits({"\uff14\uff10"})


@pytest.mark.parametrize("length", range(13, 20))
def test_no_card_issuer_range_starts_outside_the_card_leads(length):
    """network() decides by the first four digits and the length: every four-digit head
    whose first two digits are not a lead has no issuer, at every card length."""
    for head in range(10000):
        h = f"{head:04d}"
        if h[:2] not in card_iin.LEADS:
            assert card_iin.network(h + "0" * (length - 4)) is None, h
    assert {h[:2] for h in card_iin._by_prefix()} == card_iin.LEADS  # and no lead is idle


@settings(max_examples=300)
@given(st.sampled_from(ALL_PAIRS), st.text("0123456789", min_size=13, max_size=16), st.sampled_from(["", "X"]))
def test_no_valid_resident_id_starts_outside_the_id_leads(pair, rest, check):
    number = (pair + rest)[:17] + check if check else (pair + rest)[:18]
    for text in (number, number[:15]):
        if pair not in cn_ric.LEADS:
            assert cn_ric.validate(text) is None


def _validated(detector, rx, text):
    group = rx.groupindex.get("v", 0)
    return [(m.span(group), v.value) for m in rx.finditer(text) if (v := detector.validate(m.group(group)))]


def _matches(rx, text):
    return [m.span(rx.groupindex.get("v", 0)) for m in rx.finditer(text)]


_CHUNKS = st.sampled_from([
    "4111111111111111", "20240901353887678", "1700000000123", "11010519491231002X", "6222 0212 3456 7890 128",
    "9999999999999995", "440308199901011234", "2024091300001234", "\uff16\uff15\uff10\uff11\uff10\uff14198506155551",
    "6501\u200b04198506155551", "5555-5555-5555-4444", "110105490101123", "371449635398431", "2024", "1234",
    "4111 1111 1111 1111", "4111 111111 11111", "11010519491231002", "2", "20",
]) | st.text("0123456789 -X\u200b", max_size=24)


@pytest.mark.parametrize("detector", [CreditCardDetector(), CnResidentIdDetector()], ids=lambda d: d.id)
@settings(max_examples=500, deadline=None)
@given(parts=st.lists(_CHUNKS, max_size=8), seps=st.sampled_from([" ", "", "\n", "，", "a", "-"]))
def test_the_lead_loses_no_validated_candidate(detector, parts, seps):
    """Every candidate the pattern alone finds and validates is found with the lead. The
    lead may find more: a valid number that the pattern alone stepped over because an
    invalid one it matched first took in its start ("2024 4111 1111 1111 1111"); each
    such extra overlaps a match of the pattern alone that failed validation."""
    text = seps.join(parts)
    leaded, plain = _validated(detector, detector.text_regex(), text), _validated(detector, detector.regex(), text)
    assert set(plain) <= set(leaded)
    rejected = [span for span in _matches(detector.regex(), text) if span not in {s for s, _ in plain}]
    for (start, end), _ in set(leaded) - set(plain):
        assert any(start < e and s < end for s, e in rejected)


def test_the_lead_finds_a_card_an_invalid_number_before_it_hid():
    text = "ref 2024 4111 1111 1111 1111"
    card = CreditCardDetector()
    assert _validated(card, card.regex(), text) == []  # "2024 4111 1111 1111" matched first, failed Luhn
    assert _validated(card, card.text_regex(), text) == [((9, 28), "4111111111111111")]


@pytest.mark.parametrize("detector", [CreditCardDetector(), CnResidentIdDetector()], ids=lambda d: d.id)
def test_the_lead_turns_away_order_numbers_before_validation(detector):
    """What it is for: an 18-digit order number starting 2024 is no candidate at all."""
    text = "order 202409013538876783 shipped"
    assert list(detector.regex().finditer(text)) and not list(detector.text_regex().finditer(text))


@pytest.mark.parametrize("detector", [CreditCardDetector(), CnResidentIdDetector()], ids=lambda d: d.id)
def test_a_column_still_counts_the_numbers_the_lead_would_turn_away(detector):
    """A column's precision (validated / candidates) tells an ID field from a field of
    look-alike numbers: the order numbers stay candidates there."""
    from spillguard.detectors.base import FieldContext

    cells = ["202409013538876783", "202409178872325613", "11010519491231002X", "4111111111111111"]
    _, candidates, validated = detector.scan_column(cells, cells, FieldContext("ref", frozenset()))
    assert (candidates, validated) == (3, 1)


@pytest.mark.parametrize("detector", [CreditCardDetector(), CnResidentIdDetector()], ids=lambda d: d.id)
def test_a_column_counts_what_the_lead_turns_away_without_validating_it(detector, monkeypatch):
    """Counted as candidates, but the validator (which would reject them) never sees
    them; the others go through it as before."""
    from spillguard.detectors.base import FieldContext

    seen = []
    validate = type(detector).validate
    monkeypatch.setattr(detector, "validate", lambda c: seen.append(c) or validate(detector, c))
    away = ["202409013538876783", "202409178872325613", "1012345678901234"]
    kept = ["11010519491231002X", "4111111111111111", "\uff12\uff10" + "2409013538876783"]
    cells = away + kept
    _, candidates, validated = detector.scan_column(cells, cells, FieldContext("ref", frozenset()))
    shaped = [c for c in cells if detector.regex().fullmatch(c)]
    assert candidates == len(shaped) and validated == 1
    assert seen == [c for c in shaped if c in kept]  # full-width digits: the validator decides
    assert {c[:2] for c in away} <= detector._turned_away()


def test_a_lead_needs_the_value_group_it_stands_before():
    from spillguard.detectors.base import PatternDetector

    class NoValueGroup(PatternDetector):
        id, entity, pattern, text_lead = "test-no-v", "TEST", r"\d{16}", lead_digits({"40"})

    with pytest.raises(ValueError, match="value group"):
        NoValueGroup.text_regex()
    leaded = CreditCardDetector.text_regex().pattern
    assert leaded.index(CreditCardDetector.lead()) < leaded.index("(?P<v>")
    assert leaded.index("(?<!") < leaded.index(CreditCardDetector.lead())  # after the lookbehinds
