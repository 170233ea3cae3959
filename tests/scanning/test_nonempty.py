"""columns.count_nonempty counts what the per-cell expression it replaced counted: cells
with a text form, plus non-empty binary cells (bytes, bytearray, memoryview, vectors)."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from spillguard.detectors.base import to_text
from spillguard.scanning.columns import _is_binary, count_nonempty

CELLS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=5),
    st.binary(max_size=3), st.binary(max_size=3).map(bytearray), st.binary(max_size=3).map(memoryview),
    st.lists(st.floats(allow_nan=False, width=32), max_size=3), st.sampled_from(["", " ", "\n"]),
)


@settings(max_examples=300, deadline=None)
@given(cells=st.lists(CELLS, max_size=30))
def test_count_nonempty_equals_the_per_cell_count(cells):
    texts = [to_text(v) for v in cells]
    assert count_nonempty(texts, cells) == sum(1 for t, v in zip(texts, cells) if t is not None or _is_binary(v))


def test_binary_cells_count_only_when_not_empty():
    cells = [b"", b"\x89PNG", [], [0.1, 0.2], None, "x", bytearray(b"\x00")]
    texts = [to_text(v) for v in cells]
    assert count_nonempty(texts, cells) == 4  # the PNG, the vector, "x", the bytearray
