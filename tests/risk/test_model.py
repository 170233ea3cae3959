import json

import pytest

from spillguard.entities import ENTITIES
from spillguard.models import SEVERITIES, Coverage, Exposure, Finding, Trace
from spillguard.risk import container_risk, reach_of, target_risk
from spillguard.risk.model import (
    REACH_FACTOR, band, people_factor, reidentification_factor, score, sensitivity, severity,
)

ROW = Coverage("mongodb://db.example", None, "estate.residents")
SAMPLE = "650104********5558"
FINGERPRINT = "f" * 32


def _f(entity: str, records: int = 400, distinct: int | None = None, field: str | None = None) -> Finding:
    return Finding(
        ROW.target, ROW.path, ROW.container, field or entity.lower(), entity,
        ENTITIES[entity].category, records, records if distinct is None else distinct, records,
        0.9, "high", (SAMPLE,), ("field name",), FINGERPRINT, "det",
    )


def _trace(keys: int, surveillance: bool = True) -> Trace:
    return Trace(
        ROW.target, ROW.path, ROW.container, "face_gate", "person_id", "pass_time", ("gate_id",),
        records=keys * 10, keys=keys, keys_4_plus=keys // 2, span_days=30.0,
        points_per_key={"1": 0, "2-3": 0, "4-9": keys, "10-99": 0, "100+": 0},
        surveillance_log=surveillance, evidence=("field names",),
    )


# name, reach, findings, people, minors, trace, reid, allowed severities
CASES = [
    ("open IDs + political affiliation, 400 people", "exposed",
     [_f("CN_RESIDENT_ID"), _f("POLITICAL_AFFILIATION", distinct=5)], 400, 0, None, {}, {"critical"}),
    ("the same store closed", "not_exposed",
     [_f("CN_RESIDENT_ID"), _f("POLITICAL_AFFILIATION", distinct=5)], 400, 0, None, {}, {"high"}),
    ("closed store with 3 e-mails", "not_exposed", [_f("EMAIL_ADDRESS", 3)], 3, 0, None, {}, {"low"}),
    ("files (no check) with IDs of 400 people", "not_checked", [_f("CN_RESIDENT_ID")], 400, 0, None, {}, {"high"}),
    ("open store, only gender and age of 1000 records", "exposed",
     [_f("GENDER", 1000, 2), _f("AGE", 1000, 80)], 0, 0, None,
     {"quasi_identifiers": ["gender", "age"], "records": 1000, "unique_share": 0.02}, {"low", "medium"}),
    ("open store, gender and age, re-identification unknown", "exposed",
     [_f("GENDER", 1000, 2), _f("AGE", 1000, 80)], 0, 0, None, {}, {"low", "medium"}),
    ("open face-gate surveillance log, 300 people", "exposed",
     [_f("CN_RESIDENT_ID", 300), _f("FACE_IMAGE", 3000)], 300, 0, _trace(300), {}, {"critical"}),
    ("closed face-gate log keyed by opaque ids, no findings", "not_exposed", [], 0, 0, _trace(40), {}, {"high", "critical"}),
    ("closed store, IDs of 400 people with 37 children", "not_exposed",
     [_f("CN_RESIDENT_ID")], 400, 37, None, {}, {"critical"}),
    ("closed store, 2 IDs of children", "not_exposed", [_f("CN_RESIDENT_ID", 2)], 2, 2, None, {}, {"high"}),
    ("open store with 3 e-mails", "exposed", [_f("EMAIL_ADDRESS", 3)], 3, 0, None, {}, {"low"}),
    ("open store with IDs of 1000 people", "exposed", [_f("CN_RESIDENT_ID", 1000)], 1000, 0, None, {}, {"critical"}),
    ("closed store, gender only of 4 records", "not_exposed", [_f("GENDER", 4, 2)], 0, 0, None, {}, {"info"}),
]


@pytest.mark.parametrize("name,reach,findings,people,minors,trace,reid,allowed", CASES, ids=[c[0] for c in CASES])
def test_truth_table(name, reach, findings, people, minors, trace, reid, allowed):
    r = container_risk(ROW, findings, people, minors, trace, reid, reach)
    assert r is not None
    assert r.severity in allowed, (r.score, r.reasons)
    assert r.reach == reach and r.scope == "container" and r.reidentification is reid


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_unknown_reach_is_never_scored_below_not_exposed(case):
    _, _, findings, people, minors, trace, reid, _ = case
    unknown = container_risk(ROW, findings, people, minors, trace, reid, "unknown")
    closed = container_risk(ROW, findings, people, minors, trace, reid, "not_exposed")
    assert unknown.score >= closed.score
    assert SEVERITIES.index(unknown.severity) <= SEVERITIES.index(closed.severity)


def test_reach_factors_order():
    f = REACH_FACTOR
    assert f["exposed"] > f["unknown"] > f["not_checked"] > f["not_exposed"]


@pytest.mark.parametrize("drivers,expected", [
    (("biometric",), 1.0),
    (("trace",), 1.0),
    (("minors", "identifier"), 1.0),
    (("special_category",), 0.85),
    (("special_category", "identifier"), 1.0),  # joined
    (("special_category", "names"), 1.0),
    (("special_category", "quasi_identifier"), 0.85),
    (("identifier",), 0.8),
    (("device",), 0.8),
    (("vehicle", "contact"), 0.8),
    (("contact",), 0.45),
    (("names",), 0.45),
    (("quasi_identifier",), 0.2),
    ((), 0.0),
])
def test_sensitivity(drivers, expected):
    assert sensitivity(drivers) == pytest.approx(expected)


@pytest.mark.parametrize("n,expected", [(0, 0.4), (9, 0.6), (99, 0.8), (999, 1.0), (10**6, 1.0)])
def test_people_factor_is_logarithmic_and_capped(n, expected):
    assert people_factor(n) == pytest.approx(expected)


@pytest.mark.parametrize("drivers,reid,expected", [
    (("identifier",), {}, 1.0),
    (("quasi_identifier",), {}, 0.9),
    (("quasi_identifier",), {"unique_share": 1.0}, 1.0),
    (("quasi_identifier",), {"unique_share": 0.0}, 0.85),
    (("special_category",), {"unique_share": 0.5}, 0.925),
])
def test_reidentification_factor(drivers, reid, expected):
    assert reidentification_factor(drivers, reid) == pytest.approx(expected)


@pytest.mark.parametrize("points,expected", [
    (100, "critical"), (75, "critical"), (74, "high"), (50, "high"), (49, "medium"),
    (25, "medium"), (24, "low"), (10, "low"), (9, "info"), (0, "info"),
])
def test_bands(points, expected):
    assert band(points) == expected


@pytest.mark.parametrize("points,drivers,expected", [
    (5, ("surveillance",), "high"), (30, ("minors",), "high"), (55, ("minors",), "critical"),
    (90, ("surveillance",), "critical"), (55, ("identifier",), "high"),
])
def test_surveillance_and_minors_raise_one_band_at_least_to_high(points, drivers, expected):
    assert severity(points, drivers) == expected


def test_score_rejects_unknown_reach():
    with pytest.raises(ValueError):
        score("open", ("identifier",), 1, {})


@pytest.mark.parametrize("statuses,expected", [
    ([], "not_checked"),
    (["not_exposed"], "not_exposed"),
    (["not_exposed", "not_exposed"], "not_exposed"),
    (["unknown"], "unknown"),
    (["not_exposed", "unknown"], "unknown"),
    (["unknown", "exposed"], "exposed"),
    (["not_exposed", "exposed", "not_exposed"], "exposed"),
])
def test_reach_of(statuses, expected):
    exposures = [Exposure("t", f"check-{i}", s, "info", "observed", "fix") for i, s in enumerate(statuses)]
    assert reach_of(exposures) == expected


def test_no_findings_and_no_trace_is_no_risk():
    assert container_risk(ROW, [], 0, 0, None, {}, "exposed") is None


def test_reasons_explain_reach_content_and_trace():
    r = container_risk(ROW, [_f("CN_RESIDENT_ID", 482), _f("POLITICAL_AFFILIATION", 482, 5)],
                       482, 37, _trace(120), {}, "exposed")
    assert r.reasons[0] == "open to anyone (exposed check)"
    assert "resident IDs + political affiliation of 482 people" in r.reasons
    assert any("location trace: 60 keys with ≥ 4 points" in x for x in r.reasons)
    assert any("37 children under 14" in x for x in r.reasons)
    assert r.sensitivity[:3] == ("special_category", "identifier", "trace")
    assert {"surveillance", "minors"} <= set(r.sensitivity)


def test_when_no_identifier_counts_people_then_records_stand_in_and_say_so():
    r = container_risk(ROW, [_f("GENDER", 1000, 2)], 0, 0, None, {}, "exposed")
    assert r.people == 1000
    assert any("no strong identifier" in x for x in r.reasons)


def test_nothing_raw_reaches_a_risk():
    r = container_risk(ROW, [_f("CN_RESIDENT_ID")], 400, 0, None, {}, "exposed")
    t = target_risk(ROW.target, [r], 400, "exposed")
    text = repr(r) + repr(t) + json.dumps(r.reasons + t.reasons, ensure_ascii=False)
    assert SAMPLE not in text and FINGERPRINT not in text


def _row(name: str) -> Coverage:
    return Coverage(ROW.target, None, name)


def test_target_is_its_worst_container_with_the_target_people_count():
    emails = container_risk(_row("a"), [_f("EMAIL_ADDRESS", 3)], 3, 0, None, {}, "not_exposed")
    ids = container_risk(_row("b"), [_f("CN_RESIDENT_ID", 200)], 200, 0, None, {}, "not_exposed")
    t = target_risk(ROW.target, [emails, ids], 1000, "not_exposed")
    assert t.scope == "target" and t.path is None and t.container is None
    assert t.people == 1000 and t.sensitivity == ids.sensitivity
    assert t.score == score("not_exposed", ids.sensitivity, 1000, {}) > ids.score
    assert any("worst: b" in x for x in t.reasons)


def test_target_is_never_below_any_container():
    rows = [container_risk(_row(str(i)), f, p, m, tr, rd, "exposed")
            for i, (_, _, f, p, m, tr, rd, _) in enumerate(CASES)]
    t = target_risk(ROW.target, rows, 0, "exposed")
    assert t.score >= max(r.score for r in rows)
    assert all(SEVERITIES.index(t.severity) <= SEVERITIES.index(r.severity) for r in rows)


def test_target_without_containers_is_info():
    t = target_risk("t", [], 0, "unknown")
    assert t.severity == "info" and t.score == 0
