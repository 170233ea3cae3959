from spillguard.detectors.base import Hit
from spillguard.scanning.overlap import resolve


def h(start, end, entity, score):
    return Hit(0, start, end, "v", score, "r", entity)


def test_when_spans_overlap_then_the_surer_entity_wins():
    kept = resolve([(h(0, 18, "CN_RESIDENT_ID", 0.95), "id"), (h(0, 16, "CREDIT_CARD", 0.85), "card")])
    assert [t for _, t in kept] == ["id"]


def test_when_spans_are_apart_then_both_stay():
    kept = resolve([(h(0, 18, "CN_RESIDENT_ID", 0.95), "a"), (h(20, 31, "PHONE_NUMBER", 0.85), "b")])
    assert sorted(t for _, t in kept) == ["a", "b"]


def test_when_same_entity_spans_overlap_differently_then_both_stay_but_not_twins():
    items = [(h(0, 10, "IP_ADDRESS", 0.8), "a"), (h(5, 15, "IP_ADDRESS", 0.7), "b"), (h(0, 10, "IP_ADDRESS", 0.6), "c")]
    assert sorted(t for _, t in resolve(items)) == ["a", "b"]


def test_when_a_chunk_has_many_hits_then_resolution_is_linearithmic():
    items = [(h(i * 20, i * 20 + 11, "PHONE_NUMBER", 0.85), i) for i in range(50_000)]
    assert len(resolve(items)) == 50_000  # quadratic would take minutes


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from spillguard.scanning.overlap import _by_row  # noqa: E402

_ITEM = st.builds(lambda row, start, length, entity, score: Hit(row, start, start + length, "v", score, "r", entity),
                  st.integers(0, 6), st.integers(0, 30), st.integers(1, 12),
                  st.sampled_from(["CN_RESIDENT_ID", "CREDIT_CARD", "PHONE_NUMBER"]), st.sampled_from([0.5, 0.85, 0.95]))


@given(st.lists(_ITEM, max_size=12))
def test_the_one_hit_a_row_shortcut_keeps_what_row_by_row_resolution_keeps(hits):
    """resolve() returns items with one hit per row untouched; the general path must
    agree, order included (tallies take hits in this order)."""
    items = [(hit, i) for i, hit in enumerate(hits)]
    assert resolve(items) == _by_row(items)
    distinct_rows = [(Hit(i, h.start, h.end, h.value, h.score, h.reason, h.entity), i) for i, h in enumerate(hits)]
    assert resolve(iter(distinct_rows)) == _by_row(distinct_rows) == distinct_rows
