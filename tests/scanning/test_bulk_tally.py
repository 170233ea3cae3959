"""Hits are tallied a batch at a time (EntityTally.add_all, DistinctCounter.add_all,
Keyed.value_hashes): each must leave exactly what adding the hits one by one leaves."""

import hashlib

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from spillguard.detectors.base import Hit
from spillguard.keys import Keyed
from spillguard.scanning import distinct as distinct_mod
from spillguard.masking import mask
from spillguard.scanning.aggregate import _SCORE_UNIT, MAX_SAMPLES, EntityTally
from spillguard.scanning.distinct import EXACT_LIMIT, DistinctCounter

KEYED = Keyed(b"test-key-0123456789abcdef")


def _digests(n: int, salt: str = "") -> list[bytes]:
    return [hashlib.sha256(f"{salt}{i}".encode()).digest()[:16] for i in range(n)]


def _state(c: DistinctCounter):
    return (set(c._exact) if c._exact is not None else None,
            bytes(c._registers) if c._registers is not None else None)


@pytest.mark.parametrize("before,batch", [(0, 100), (EXACT_LIMIT - 50, 100), (EXACT_LIMIT + 5, 3000), (0, EXACT_LIMIT + 10)])
def test_add_all_equals_add_one_by_one(before, batch):
    """Exact, switching to the sketch inside the batch, and in the sketch: the same new
    flags, the same index from which the counter is estimated, the same state."""
    old, digests = _digests(before, "a"), _digests(batch, "b")
    digests += digests[:40]  # repeats inside the batch
    one, bulk = DistinctCounter(), DistinctCounter()
    for d in old:
        one.add(d)
        bulk.add(d)
    flags, estimated_from = [], len(digests)
    for i, d in enumerate(digests):
        flags.append(one.add(d))
        if estimated_from == len(digests) and one.estimated:
            estimated_from = i
    assert bulk.add_all(digests) == (flags, estimated_from)
    assert _state(bulk) == _state(one)


@given(st.lists(st.binary(min_size=16, max_size=16), max_size=300))
@example([b"\x00" * 16, b"\xff" * 16, b"\x00\x03" + b"\xff" * 14, b"\x00\x02" + b"\x00" * 14])
def test_sketch_registers_in_numpy_equal_the_python_ones(digests):
    """flags=False in the sketch: every register as _sketch_add sets it (ranks from the
    leading zeros of the bits below the index, all-zero rests included)."""
    one, bulk = DistinctCounter(), DistinctCounter()
    for c in (one, bulk):
        c._to_sketch()
    for d in digests:
        one._sketch_add(d)
    assert bulk.add_all(digests, flags=False) == ([], 0)
    assert bulk._registers == one._registers


def test_sketch_rank_of_every_bit_length():
    """One digest per possible rank, and rests of all ones (2^k - 1 below the index bits):
    a bit length read off a rounded float would be off by one there."""
    digests = [(((1 << k) - 1) >> distinct_mod.P).to_bytes(8, "big") + bytes(8) for k in range(1, 65)]
    digests += [((1 << 64) - 1 - i).to_bytes(8, "big") + bytes(8) for i in range(64)]
    one, bulk = DistinctCounter(), DistinctCounter()
    for c in (one, bulk):
        c._to_sketch()
    for d in digests:
        one._sketch_add(d)
    bulk.add_all(digests, flags=False)
    assert bulk._registers == one._registers


def test_value_hashes_equal_value_hash():
    values = ["440308199901011234", "", "张三", "a\ud800b", "x" * 500]
    assert KEYED.value_hashes("CN_RESIDENT_ID", values) == [KEYED.value_hash("CN_RESIDENT_ID", v) for v in values]


def _hits(values: list[str]) -> list[Hit]:
    # positions out of record order (as overlap resolution hands them over), repeats,
    # two reasons and several scores
    return [Hit(row=(7 * i) % 11, start=i % 3, end=i % 3 + len(v), value=v, score=(0.75, 0.95, 0.45)[i % 3],
                reason=("checksum", "checksum; keyword")[i % 2], entity="X") for i, v in enumerate(values)]


def _add_one(t: EntityTally, hit: Hit, keyed: Keyed) -> None:
    """The reference: how a hit was tallied before hits were added a batch at a time
    (samples masked at once, kept as (position, masked))."""
    t.count += 1
    t.score_units += int(hit.score * _SCORE_UNIT)
    digest = keyed.value_hash(t.entity, hit.value)
    new = t.distinct.add(digest)
    if t.on_new is not None and (new or t.distinct.estimated):
        t.on_new(t.entity, hit.value)
    if len(t.samples) < MAX_SAMPLES:
        at = (hit.row, hit.start)
        if new:
            t.firsts[digest] = (at, mask(hit.value, t.entity))
        elif digest in t.firsts and at < t.firsts[digest][0]:
            t.firsts[digest] = (at, t.firsts[digest][1])
    t.reasons[hit.reason] += 1


def _settle_masked(t: EntityTally) -> None:
    """The reference's settle (its firsts hold masked values already)."""
    t.stats.score_sum = t.score_units / _SCORE_UNIT
    for _, shown in sorted(t.firsts.values()):
        if len(t.samples) >= MAX_SAMPLES:
            break
        if shown not in t.samples:
            t.samples.append(shown)
    t.firsts.clear()


def _tally_state(t: EntityTally):
    return (t.count, t.score_units, t.stats.score_sum, t.distinct.count(), t.distinct.estimated, t.samples,
            list(t.reasons.items()))


@pytest.mark.parametrize("n,batches", [(30, 1), (30, 3), (EXACT_LIMIT + 300, 2), (EXACT_LIMIT + 300, 7)])
def test_entity_tally_add_all_equals_add(n, batches):
    """Counts, exact score sum, distinct count, samples (first values in record order),
    reasons and the values passed to on_new (in order), batch by batch."""
    values = [f"{i % (n - 5):018d}" for i in range(n)]
    seen_one, seen_bulk = [], []
    one = EntityTally("X", "d", on_new=lambda e, v: seen_one.append(v))
    bulk = EntityTally("X", "d", on_new=lambda e, v: seen_bulk.append(v))
    size = -(-n // batches)
    for lo in range(0, n, size):
        hits = _hits(values[lo : lo + size])
        for h in hits:
            _add_one(one, h, KEYED)
        one.records += 1
        _settle_masked(one)
        bulk.add_all(hits, KEYED)
        bulk.add_records(1)
    assert _tally_state(bulk) == _tally_state(one)
    assert seen_bulk == seen_one and seen_one


def test_samples_are_masked_and_no_raw_value_is_kept_after_the_batch():
    t = EntityTally("CN_RESIDENT_ID", "cn-resident-id")
    t.add_all(_hits(["440308199901011234", "11010519491231002X"]), KEYED)
    t.add_records(2)
    assert t.firsts == {}
    assert t.samples and all("*" in s for s in t.samples)
    assert not any(v in repr(t) for v in ("440308199901011234", "11010519491231002X"))
