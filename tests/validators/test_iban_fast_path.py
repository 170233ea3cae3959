"""validators/iban._validate re-does stdnum's iban.validate with per-country caches; it
must agree with stdnum on every registry country, valid or not, in every layout."""

import random
import re

import pytest
from hypothesis import given, settings, strategies as st
from stdnum import iban as stdnum_iban
from stdnum import numdb

from spillguard.validators import iban

COUNTRIES = sorted(low for _, low, *_ in numdb.get("iban").prefixes)
CHARS = {"n": "0123456789", "a": "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "c": "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def _stdnum(text: str, check_country: bool):
    return stdnum_iban.validate(text, check_country=check_country) if stdnum_iban.is_valid(text, check_country) else None


def _generated(country: str, rng: random.Random) -> str:
    structure = numdb.get("iban").info(country)[0][1]["bban"]
    bban = "".join(rng.choice(CHARS[kind]) for n, kind in re.findall(r"(\d+)!([nac])", structure)
                   for _ in range(int(n)))
    return country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban


def _layouts(number: str, rng: random.Random):
    yield number
    yield " ".join(number[i:i + 4] for i in range(0, len(number), 4))
    yield "-".join(number[i:i + 4] for i in range(0, len(number), 4))
    yield number.lower()
    yield number[:-1] + rng.choice("0123456789")  # a changed last character
    yield number[:2] + "00" + number[4:]  # wrong check digits
    yield number[:-1]  # too short
    yield number + "0"  # too long
    yield f" {number}\n"


def test_the_registry_has_countries():
    assert len(COUNTRIES) > 70 and "DE" in COUNTRIES


@pytest.mark.parametrize("country", COUNTRIES)
def test_agrees_with_stdnum_on_every_registry_country(country):
    rng = random.Random(country)
    valid = 0
    for _ in range(25):
        for text in _layouts(_generated(country, rng), rng):
            for flag in (True, False):
                assert iban.validate(text, flag) == _stdnum(text, flag), (text, flag)
            valid += iban.validate(text, check_country=False) is not None
    assert valid >= 25 * 4  # the plain, spaced, hyphenated and lower-case forms


@settings(max_examples=500)
@given(st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabc -.!", max_size=40))
def test_agrees_with_stdnum_on_any_ascii_text(text):
    for flag in (True, False):
        assert iban.validate(text, flag) == _stdnum(text, flag)
