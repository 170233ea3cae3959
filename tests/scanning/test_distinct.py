import hashlib

import pytest

from spillguard.scanning.distinct import EXACT_LIMIT, STD_ERROR, DistinctCounter


def _digests(n: int, salt: str = ""):
    for i in range(n):
        yield hashlib.sha256(f"{salt}{i}".encode()).digest()[:16]


def test_when_few_values_then_count_is_exact_and_repeats_do_not_count():
    c = DistinctCounter()
    for d in list(_digests(1000)) * 3:
        c.add(d)
    assert c.count() == 1000 and not c.estimated


@pytest.mark.parametrize("n", [EXACT_LIMIT + 1, 100_000, 400_000])
def test_when_many_values_then_estimate_is_within_four_standard_errors(n):
    c = DistinctCounter()
    for d in _digests(n, "x"):
        c.add(d)
    assert c.estimated
    assert abs(c.count() - n) / n < 4 * STD_ERROR


def test_when_sketch_is_used_then_memory_is_fixed():
    c = DistinctCounter()
    for d in _digests(EXACT_LIMIT + 10):
        c.add(d)
    assert c._exact is None and len(c._registers) == 1 << 14


@pytest.mark.parametrize("sizes", [(10, 20), (15_000, 10_000), (30_000, 10), (10, 30_000), (25_000, 25_000)])
def test_absorb_equals_merge(sizes):
    a, b = DistinctCounter(), DistinctCounter()
    for i, d in enumerate(_digests(sizes[0] + sizes[1], "x")):
        (a if i < sizes[0] else b).add(d)
    for d in _digests(100, "x"):  # some values in both
        b.add(d)
    merged = a.merge(b)
    a.absorb(b)
    assert a.count() == merged.count() and a.estimated == merged.estimated
