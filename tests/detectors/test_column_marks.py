"""Column.rows_where inside a column batch takes the batch-wide gate pass
(ColumnBatch.column_marks: one regex compile a batch, not one a column) and marks the
rows the column's own pass marks: None texts never, values holding the separator and
texts the batch cannot gate by the column's own pass."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from spillguard.detectors.column_view import Column
from spillguard.detectors.gate import SEP, ColumnBatch, column_batch, current_batch

GATES = (
    r"(?i)\(?[\s]*-?[0-9]{1,3}\.[0-9]{3,}[\s]*[,，\s][\s]*-?[0-9]{1,3}\.[0-9]{3,}",
    r"(?s)^.{8}",
    r"x*",  # matches the empty string: an empty cell in the batch, a null in the column
)
CELLS = st.one_of(
    st.none(),
    st.sampled_from(["39.9042,116.4074", "(31.2304, 121.4737)", "", " ", "abc", "short", "a much longer text",
                     "1.5,2.5", "x" + SEP + "y 39.9042,116.4074", "39.9042" + SEP + "116.4074", "٣٩.٩٠٤٢,١١٦.٤٠٧٤"]),
    st.text(max_size=12),
)


def _own(texts, gate):
    return Column(texts, list(texts)).rows_where(gate)


@settings(max_examples=200, deadline=None)
@given(columns=st.lists(st.lists(CELLS, min_size=1, max_size=12), min_size=1, max_size=3))
def test_the_batch_pass_marks_the_rows_the_columns_own_pass_marks(columns):
    for gate in GATES:
        with column_batch(columns):
            inside = [Column(texts, list(texts)).rows_where(gate) for texts in columns]
        assert current_batch() is None
        assert inside == [_own(texts, gate) for texts in columns]


def test_a_column_of_the_batch_is_read_from_the_batch_pass():
    columns = [["39.9042,116.4074", None, "n/a", "(31.2304, 121.4737)"], ["x"] * 4]
    batch = ColumnBatch(columns)
    assert batch.column_marks(columns[0], GATES[0]) == [0, 3]
    assert batch.column_marks(list(columns[0]), GATES[0]) is None  # an equal list, not the column
    with_sep = ["39.9042" + SEP + "116.4074", "39.9042,116.4074"]  # a blank in the batch's cells
    assert ColumnBatch([with_sep]).column_marks(with_sep, GATES[0]) is None
    assert _own(with_sep, GATES[0]) == [1]
