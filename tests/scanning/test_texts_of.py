"""base.texts_of is to_text cell by cell, with a fast path for columns of strings (CSV,
most JSON): the strings whitespace-only under any Unicode definition included."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from spillguard.detectors.base import texts_of, to_text

SPACES = st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2028\u2029\u3000\u200b\ufeff", max_size=4)
STRINGS = st.one_of(st.text(max_size=6), SPACES, st.sampled_from(["", " x ", "13812345678"]))


@settings(max_examples=400, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), STRINGS), max_size=30))
def test_a_column_of_strings_reads_as_to_text_reads_each_cell(cells):
    assert texts_of(cells) == [to_text(v) for v in cells]


@settings(max_examples=200, deadline=None)
@given(cells=st.lists(st.one_of(st.none(), STRINGS, st.integers(), st.booleans(), st.floats(), st.binary(max_size=3)),
                      max_size=20))
def test_a_mixed_column_reads_as_to_text_reads_each_cell(cells):
    assert texts_of(cells) == [to_text(v) for v in cells]


def test_whitespace_only_cells_have_no_text():
    assert texts_of(["", " ", "\u3000", "\u2028", " a "]) == [None, None, None, None, " a "]
