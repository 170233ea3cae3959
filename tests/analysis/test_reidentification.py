"""k-anonymity over the quasi-identifiers of a record sample (counts and shares only)."""

from __future__ import annotations

import itertools

import pytest

from spillguard.analysis.reidentification import reidentification
from tests.analysis.helpers import finding, sample_of


def unique_pairs():
    rows = [{"sfzh": f"65010219800101{i:04d}", "xb": "男女"[i % 2], "age": str(20 + i)} for i in range(40)]
    return rows, [finding("sfzh", "CN_RESIDENT_ID"), finding("xb", "GENDER"), finding("age", "AGE")]


def four_groups():
    cells = itertools.cycle(itertools.product("男女", ("已婚", "未婚")))
    rows = [{"xb": xb, "hyzk": hy, "name": f"n{i}"} for i, (xb, hy) in zip(range(100), cells)]
    rows += [{"xb": None, "hyzk": None, "name": f"m{i}"} for i in range(7)]  # no QI: skipped
    return rows, [finding("xb", "GENDER"), finding("hyzk", "MARITAL_STATUS"), finding("name", "PERSON_NAME")]


def mixed():
    """8 records alone, 2 in a pair, 10 in a group of 10 (a compound column named, not found)."""
    rows = [{"csrq": f"1980-01-{i + 1:02d}", "xqmc": "A"} for i in range(7)]
    rows += [{"csrq": "1990-05-05", "xqmc": "B"}] * 2 + [{"csrq": "1991-05-05", "xqmc": "B"}] * 1
    rows += [{"csrq": "2000-02-02", "xqmc": "C"}] * 10
    return rows, [finding("csrq", "DATE_OF_BIRTH")]


CASES = [
    # builder, quasi-identifiers, records, unique_share, k_min, share_k_ge_5
    (unique_pairs, ["xb", "age"], 40, 1.0, 1, 0.0),
    (four_groups, ["xb", "hyzk"], 100, 0.0, 25, 1.0),
    (mixed, ["csrq", "xqmc"], 20, 0.4, 1, 0.5),
]


@pytest.mark.parametrize("build,qis,records,unique,k_min,k5", CASES, ids=lambda x: getattr(x, "__name__", None))
def test_when_quasi_identifiers_are_present_then_k_anonymity_is_measured(build, qis, records, unique, k_min, k5):
    rows, found = build()
    r = reidentification(sample_of(rows), found)
    assert r["quasi_identifiers"] == qis and r["records"] == records
    assert (r["unique_share"], r["k_min"], r["share_k_ge_5"]) == (unique, k_min, k5)
    assert r["method"].startswith(f"k-anonymity on {records} sampled records")


@pytest.mark.parametrize("found", [
    [],
    [("xb", "GENDER")],
    [("xb", "GENDER"), ("sfzh", "CN_RESIDENT_ID"), ("name", "PERSON_NAME")],
])
def test_when_fewer_than_two_quasi_identifiers_then_nothing_is_reported(found):
    rows = [{"xb": "男女"[i % 2], "sfzh": f"6501021980010{i:05d}", "name": f"n{i}"} for i in range(50)]
    assert reidentification(sample_of(rows), [finding(f, e) for f, e in found]) == {}


def test_when_batches_are_split_differently_then_result_is_the_same():
    rows, found = four_groups()
    assert reidentification(sample_of(rows, 1), found) == reidentification(sample_of(rows, 500), found)


@pytest.mark.parametrize("build", [c[0] for c in CASES], ids=lambda b: b.__name__)
def test_when_result_is_returned_then_it_holds_only_counts_shares_and_field_names(build):
    rows, found = build()
    sample = sample_of(rows)
    r = reidentification(sample, found)
    assert set(r) == {"quasi_identifiers", "records", "unique_share", "k_min", "share_k_ge_5", "method"}
    text = repr(r)
    values = {str(v) for row in rows for v in row.values() if v is not None and len(str(v)) >= 2 and not str(v).isdigit()}
    digests = {d for col in sample.digests.values() for d in col if d}
    assert not [v for v in values if v in text and v not in r["quasi_identifiers"]]
    assert not [d for d in digests if str(d) in text or f"{d:x}" in text]
