"""The CN mobile fast path of validators/phone.py (no phonenumbers.parse) gives exactly
what the full libphonenumber path gives, for every 1[3-9]x prefix and every layout the
detector's pattern lets through."""

import random

import pytest

from spillguard.validators import phone

LAYOUTS = ("{a}{b}{c}", "{a} {b} {c}", "{a}-{b}-{c}", "+86{a}{b}{c}", "+86 {a} {b} {c}",
           "+86-{a}-{b}-{c}", "0086 {a}{b}{c}", "  {a}{b}{c} ")


def _full(text: str, region: str = "CN"):
    t = text.strip()
    if t.startswith("00") and not t.startswith("000"):
        t = "+" + t[2:]
    return phone._parsed(t, region)


def _numbers(seed: int, per_prefix: int):
    rng = random.Random(seed)
    for prefix in range(130, 200):
        for _ in range(per_prefix):
            yield str(prefix), f"{rng.randrange(10**4):04d}", f"{rng.randrange(10**4):04d}"


@pytest.mark.parametrize("layout", LAYOUTS)
def test_fast_path_equals_the_full_parse(layout):
    checked = fast = 0
    for a, b, c in _numbers(LAYOUTS.index(layout), 60):
        text = layout.format(a=a, b=b, c=c)
        assert phone.validate(text) == _full(text), text
        checked += 1
        t = text.strip()
        fast += phone._CN_MOBILE.fullmatch("+" + t[2:] if t.startswith("00") else t) is not None
    assert checked == 70 * 60 and fast == checked  # every one took the fast path


def test_fast_path_covers_valid_and_invalid_prefixes_and_types():
    kinds = {phone.validate(a + b + c).kind if phone.validate(a + b + c) else None for a, b, c in _numbers(7, 20)}
    assert {"mobile", None} <= kinds  # both outcomes were exercised


@pytest.mark.parametrize("text", [
    "17912345678",  # 179 carrier-code prefix: the full parse decides
    "+8617912345678",
    "１３８１２３４５６７８",  # full-width digits: not ASCII, the full parse normalises them
    "138 1234 5678 9",
    "+85213812345678",
    "13812345678",
])
def test_edge_cases_equal_the_full_parse(text):
    assert phone.validate(text) == _full(text)


def test_other_regions_are_untouched():
    assert phone.validate("4155550132", "US") == _full("4155550132", "US")
    assert phone.validate("+86 138 1234 5678", "US") == _full("+86 138 1234 5678", "US")


def _type_reference(national: str) -> int:
    from phonenumbers.phonenumberutil import _number_type_helper

    return _number_type_helper(national, phone._CN)


@pytest.mark.parametrize("length", range(5, 14))
def test_cn_type_in_one_regex_equals_number_type_for_every_prefix_and_length(length):
    """_cn_type (one regex per length) against phonenumbers' own _number_type_helper, for
    national numbers of every three-digit prefix: fixed lines, mobiles, shared-cost and
    toll-free ranges, and numbers of no type."""
    rng = random.Random(length)
    types = set()
    for prefix in range(1000):
        for _ in range(3):
            national = (f"{prefix:03d}" + "".join(rng.choice("0123456789") for _ in range(length)))[:length]
            want = _type_reference(national)
            assert phone._cn_type(national) == want, national
            types.add(want)
    if length in (10, 11):
        assert len(types) >= 3  # more than mobile / unknown was exercised
