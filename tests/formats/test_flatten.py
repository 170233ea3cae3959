import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.formats.flatten import FlattenStats, flatten_records, is_vector, to_scalar

CANARY = "110105194912310021"


def test_nested_paths_lists_and_vectors():
    records = [
        {
            "guest": {"name": "张三", "id_no": CANARY},
            "companions": [{"id_no": "a", "phone": "1"}, {"id_no": "b"}],
            "tags": ["vip", "late"],
            "face": {"feature": [0.25] * 128},
            "ints": [3] * 16,
            "short": [1, 2, 3],
        },
        {"guest": {"name": "李四"}, "companions": []},
    ]
    cols = flatten_records(records)
    assert cols["guest.name"] == ["张三", "李四"]
    assert cols["guest.id_no"] == [CANARY, None]
    assert cols["companions[].id_no"] == [["a", "b"], None]
    assert cols["companions[].phone"] == [["1"], None]
    assert cols["tags[]"] == [["vip", "late"], None]
    assert cols["face.feature"] == [[0.25] * 128, None]
    assert cols["ints"] == [[3] * 16, None]
    assert cols["short[]"] == [[1, 2, 3], None]
    assert all(len(v) == 2 for v in cols.values())


def test_vectors_inside_lists_and_not_vectors():
    cols = flatten_records([{"faces": [[0.1] * 16, [0.2] * 16], "flags": [True] * 20, "mixed": [1] * 15 + ["x"]}])
    assert cols["faces[]"] == [[[0.1] * 16, [0.2] * 16]]
    assert cols["flags[]"] == [[True] * 20]
    assert cols["mixed[]"] == [[1] * 15 + ["x"]]
    assert is_vector((1.0,) * 16) and not is_vector([1.0] * 15) and not is_vector([True] * 16)


def test_nested_lists_and_lists_of_objects_with_lists():
    cols = flatten_records([{"m": [[1, 2], [3]], "o": [{"p": [{"q": "x"}, {"q": "y"}]}, {"p": [{"q": "z"}]}]}])
    assert cols["m[][]"] == [[1, 2, 3]]
    assert cols["o[].p[].q"] == [["x", "y", "z"]]


def test_top_level_scalars_and_prefix():
    assert flatten_records(["a", 1, None, ["x", "y"]]) == {
        "value": ["a", 1, None, None],
        "value[]": [None, None, None, ["x", "y"]],
    }
    cols = flatten_records([{"id": CANARY, "tags": ["t"]}, "s", [0.5] * 16], prefix="data.list[]")
    assert cols == {
        "data.list[].id": [CANARY, None, None],
        "data.list[].tags[]": [["t"], None, None],
        "data.list[]": [None, "s", [0.5] * 16],
    }


def test_missing_fields_are_none_and_empty_records_allowed():
    cols = flatten_records([{}, {"a": 1}, {"a": None}, {"b": {}}])
    assert cols == {"a": [None, 1, None, None]}


def test_colliding_paths_keep_both_values():
    cols = flatten_records([{"a.b": 1, "a": {"b": 2}}])
    assert cols["a.b"] == [[1, 2]]


def test_depth_cut_is_counted_not_crashed():
    deep: dict = {"leaf": CANARY}
    for _ in range(10_000):
        deep = {"n": deep}
    stats = FlattenStats()
    cols = flatten_records([{"top": "x", "deep": deep}], stats=stats)
    assert cols["top"] == ["x"]
    assert stats.depth_cut == 1 and stats.reason() == "nesting_too_deep"
    assert max(k.count(".") for k in cols) < 33


def test_field_cap_per_record_and_per_batch():
    stats = FlattenStats()
    cols = flatten_records([{f"k{i}": i for i in range(100)}], max_fields=10, stats=stats)
    assert len(cols) == 10 and stats.fields_cut == 90 and stats.reason() == "too_many_fields"
    stats = FlattenStats()
    cols = flatten_records([{f"k{i}": i} for i in range(50)], max_fields=10, stats=stats)
    assert len(cols) == 10 and stats.fields_cut == 40
    assert all(len(v) == 50 for v in cols.values())


@pytest.mark.parametrize(
    "value, expected",
    [
        (Decimal("12"), 12),
        (Decimal("1.50"), "1.50"),
        (dt.date(2020, 1, 2), "2020-01-02"),
        (dt.datetime(2020, 1, 2, 3, 4, 5), "2020-01-02T03:04:05"),
        (bytearray(b"ab"), b"ab"),
        (memoryview(b"cd"), b"cd"),
        (True, True),
        (3.5, 3.5),
        (b"\x00", b"\x00"),
    ],
)
def test_to_scalar(value, expected):
    assert to_scalar(value) == expected and type(to_scalar(value)) is type(expected)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=20) | st.dictionaries(st.text(max_size=3), children, max_size=5),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=8))
def test_every_column_has_one_entry_per_record(records):
    cols = flatten_records(records)
    assert all(len(v) == len(records) for v in cols.values())
    # what comes out is JSON-serialisable scalars, lists of them, or vectors
    json.dumps(cols)


@settings(max_examples=200, deadline=None)
@given(st.lists(json_values, max_size=8), st.integers(1, 4), st.integers(1, 6))
def test_leaves_put_directly_flatten_as_walked_leaves(records, max_depth, max_fields):
    """walk() puts str/int/float/bool values of a dict without recursing into them; with
    that shortcut off every value goes through walk(): the same columns and the same cuts."""
    import spillguard.formats.flatten as flatten

    fast_stats, slow_stats = FlattenStats(), FlattenStats()
    fast = flatten_records(records, max_depth=max_depth, max_fields=max_fields, stats=fast_stats)
    leaves, flatten._LEAVES = flatten._LEAVES, frozenset()
    try:
        slow = flatten_records(records, max_depth=max_depth, max_fields=max_fields, stats=slow_stats)
    finally:
        flatten._LEAVES = leaves
    assert json.dumps(fast) == json.dumps(slow)  # keys in order, values typed alike
    assert fast_stats == slow_stats
