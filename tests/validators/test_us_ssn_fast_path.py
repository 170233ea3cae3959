"""validators/us_ssn.is_valid applies stdnum's us.ssn rules without its Unicode clean-up:
it must agree with stdnum everywhere, above all on the excluded ranges and the
advertising numbers."""

import random

import pytest
from hypothesis import given, settings, strategies as st
from stdnum.us import ssn as stdnum_ssn

from spillguard.validators import us_ssn

EDGES = ["078-05-1120", "078051120", "457-55-5462", "219-09-9999", "000-12-3456", "666-12-3456",
         "900-12-3456", "123-00-4567", "123-45-0000", "536-90-4399", "536904399", "536-904399",
         "53690-4399", " 536-90-4399 ", "536 90 4399", "536-90-43999", "", "abc-de-fghi",
         "078-051120", "５３６-90-4399", "536-90-4399\n"]


@pytest.mark.parametrize("text", EDGES)
def test_edges_agree_with_stdnum(text):
    assert us_ssn.is_valid(text) == stdnum_ssn.is_valid(text)


def test_random_numbers_in_both_layouts_agree_with_stdnum():
    rng = random.Random(5)
    outcomes = set()
    for _ in range(50_000):
        n = f"{rng.randrange(10**9):09d}"
        if rng.random() < 0.2:  # make the excluded parts common
            n = rng.choice(["000", "666", "9" + n[1:3], n[:3]]) + rng.choice(["00", n[3:5]]) + rng.choice(["0000", n[5:]])
        for text in (n, f"{n[:3]}-{n[3:5]}-{n[5:]}"):
            ok = us_ssn.is_valid(text)
            assert ok == stdnum_ssn.is_valid(text), text
            outcomes.add(ok)
    assert outcomes == {True, False}


@settings(max_examples=500)
@given(st.text(alphabet="0123456789- \n5６", max_size=14))
def test_any_text_agrees_with_stdnum(text):
    assert us_ssn.is_valid(text) == stdnum_ssn.is_valid(text)
