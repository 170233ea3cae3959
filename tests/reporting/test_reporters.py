"""Report writers: golden files, the JSON schema, SARIF shape, and no invented values.

Regenerate the golden files with ``pytest tests/reporting --update-goldens`` and review
the diff: a change to report.json is a change to the public contract.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import random
import re
import sys
from importlib.resources import files
from pathlib import Path

import pytest

from spillguard import reporting
from spillguard.errors import ConfigError
from spillguard.models import (
    SEVERITIES, Coverage, Exposure, Finding, People, Risk, ScanResult, TargetResult, Trace,
)  # fmt: skip
from spillguard.reporting.json_report import JsonReporter
from spillguard.reporting.sarif import LEVELS, SarifReporter
from spillguard.reporting.terminal import NO_FINDINGS, TerminalReporter

GOLDEN = Path(__file__).parent / "golden"
FILES, DB = "./exports", "sqlite:///srv/data/xiaoqu.db"
RULES = {"cn-resident-id": {"entity": "CN_RESIDENT_ID", "description": "18 digits, mod 11-2"}}


def _f(target, path, container, field, entity, category, severity, samples, detector, n=482):
    identity = f"{target}|{path}|{container}|{field}|{entity}".encode()
    fp = "k1:" + hashlib.sha256(identity).hexdigest()[:24]
    ev = (f"{n}/{n} candidates validated", f"field name '{field}'")
    return Finding(target, path, container, field, entity, category, n, n - 2, n, 0.97, severity,
                   samples, ev, fp, detector)  # fmt: skip


def make_result() -> ScanResult:
    db = "/srv/data/xiaoqu.db"
    csv = "exports/住户登记.csv"
    findings = [
        _f(FILES, csv, None, "手机号", "PHONE_NUMBER", "contact", "medium", ("138****5678",),
           "phone-number"),
        _f(DB, db, "residents", "sfzh", "CN_RESIDENT_ID", "identifier", "high",
           ("110***********021", "650***********558"), "cn-resident-id"),
        _f(FILES, "exports/notes.txt", None, None, "EMAIL_ADDRESS", "contact", "low",
           ("z***@example.org",), "email-address", n=3),
        _f(DB, db, "residents", "是否党员", "POLITICAL_AFFILIATION", "special_category",
           "critical", ("党*",), "political-affiliation"),
        _f(FILES, csv, None, "身份证号码", "CN_RESIDENT_ID", "identifier", "high",
           ("650***********558",), "cn-resident-id"),
        _f(DB, db, "access_log", "face_feature", "FACE_EMBEDDING", "biometric", "critical",
           ("<vector dim=512>",), "face-embedding", n=9120),
        _f(FILES, "exports/archive.zip", "guests.jsonl", "companions[].id_no", "CN_RESIDENT_ID",
           "identifier", "high", ("110***********021",), "cn-resident-id", n=40),
    ]  # fmt: skip
    coverage = [
        Coverage(DB, db, "residents", "complete", None, 482, 0),
        Coverage(FILES, "exports/broken.xlsx", None, "error", "parse_error", 0, 2048),
        Coverage(FILES, csv, None, "complete", None, 482, 65536),
        Coverage(FILES, "exports/archive.zip", "guests.jsonl", "partial", "limit:max_bytes", 40,
                 67108864),
        Coverage(FILES, "exports/notes.txt", None, "complete", None, 12, 900),
        Coverage(DB, db, "access_log", "complete", None, 9120, 0),
    ]
    targets = [TargetResult(FILES, "files"), TargetResult(DB, "sqlite")]
    start, end = "2024-05-01T08:00:00Z", "2024-05-01T08:03:12Z"
    mongo = "mongodb://scanner:***@10.0.0.5:27017/"
    exposure = [
        Exposure(mongo, "mongodb-authorization-disabled", "exposed", "critical",
                 "listDatabases succeeded without credentials (3 databases)", "Enable security.authorization."),
        Exposure(mongo, "mongodb-bind-all", "unknown", "info", "check failed: timeout", "Bind to 127.0.0.1."),
        Exposure(mongo, "mongodb-ransom-note", "not_exposed", "info", "no ransom-note-like names", "Restore from backup."),
    ]  # fmt: skip
    targets.append(TargetResult(mongo, "mongodb"))
    traces = [
        Trace(DB, db, "access_log", "face_gate", "person_id", "pass_time", ("gate_no", "camera_id"),
              9120, 482, 451, 183.5, {"10-99": 420, "1": 12, "2-3": 19, "4-9": 31}, True,
              ("field names: person_id, pass_time, gate_no", "table name 'access_log'")),
        Trace(FILES, "exports/archive.zip", "guests.jsonl", "generic", "id_no", "checkin",
              ("room",), 40, 38, 0, None, {"1": 36, "2-3": 2}, False, ("field names: checkin, room",)),
    ]
    derived = {"from": "CN_RESIDENT_ID", "ids": 482, "male": 231, "female": 251,
               "age_bands": {"0-13": 37, "14-17": 24, "18-29": 90, "30-44": 131, "45-59": 100, "60+": 100},
               "under_14": 37, "provinces": {"65": 470, "11": 12},
               "summary": "IDs reveal sex and age of 482 people; 37 are under 14"}
    bare = {"male": 231, "female": 251, "under_14": 37, "minors": 61}  # no summary: phrased by the reporter
    people = [
        People("container", DB, db, "residents", 480, "CN_RESIDENT_ID", "exact (keyed hashes)",
               {"CN_RESIDENT_ID": 480}, derived),
        People("target", FILES, None, None, 498, "CN_RESIDENT_ID", "exact (keyed hashes)",
               {"PHONE_NUMBER": 480, "CN_RESIDENT_ID": 498}, {}),
        People("scan", None, None, None, 512, "CN_RESIDENT_ID",
               "exact (keyed hashes, one key for all stores); error 0", {"CN_RESIDENT_ID": 512}, derived),
        People("target", DB, None, None, 482, "CN_RESIDENT_ID", "exact (keyed hashes)",
               {"CN_RESIDENT_ID": 480}, bare),
    ]
    reid = {"quasi_identifiers": ["birth_date", "gender", "building"], "records": 482,
            "unique_share": 0.91, "k_min": 1, "method": "exact on the sample"}
    risk = [
        Risk("container", FILES, csv, None, "high", 71, "not_checked", ("identifier",), 480, {},
             ("480 resident ID numbers",)),
        Risk("container", DB, db, "access_log", "critical", 96, "unknown", ("biometric", "trace"), 482,
             {}, ("face embeddings of 482 people", "451 people with 4+ points over 183 days")),
        Risk("container", DB, db, "residents", "critical", 88, "unknown", ("special_category", "minors"),
             480, reid, ("Party membership of 480 people", "37 children under 14", "91% unique on 3 fields")),
        Risk("target", mongo, None, None, "medium", 40, "exposed", (), 0, {},
             ("open to anyone; no personal data read",)),
    ]  # fmt: skip
    return ScanResult("0.0.0-test", start, end, targets, coverage, findings, exposure, traces,
                      people, risk)  # fmt: skip


def _renderers():
    return {
        "report.json": JsonReporter(),
        "report.sarif": SarifReporter(rules=RULES),
        "report.txt": TerminalReporter(),
    }


@pytest.mark.parametrize("name", sorted(_renderers()))
def test_golden(name, update_goldens):
    text = _renderers()[name].render(make_result())
    path = GOLDEN / name
    if update_goldens:
        with open(path, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
    with open(path, encoding="utf-8", newline="") as fh:
        assert text == fh.read(), f"{name} differs from the golden file; see --update-goldens"


@pytest.mark.parametrize("name", sorted(_renderers()))
def test_input_order_does_not_matter(name):
    result = make_result()
    rng = random.Random(7)
    rng.shuffle(result.findings)
    rng.shuffle(result.coverage)
    assert _renderers()[name].render(result) == _renderers()[name].render(make_result())


def _schema():
    text = files("spillguard.reporting").joinpath("report.schema.json").read_text("utf-8")
    return json.loads(text)


@pytest.mark.parametrize("result", [make_result(), ScanResult("0.0.0-test", "a", "b", [], [], [])])
def test_json_validates_against_schema(result):
    jsonschema = pytest.importorskip("jsonschema", reason="dev dependency: pip install jsonschema")
    jsonschema.Draft202012Validator.check_schema(_schema())
    jsonschema.Draft202012Validator(_schema()).validate(json.loads(JsonReporter().render(result)))


def test_json_contract():
    report = json.loads(JsonReporter().render(make_result()))
    assert report["schema_version"] == 1
    assert report["tool"] == {"name": "spillguard", "version": "0.0.0-test"}
    assert report["summary"]["incomplete"] is True
    assert report["summary"]["by_severity"] == {"critical": 2, "high": 3, "medium": 1, "low": 1}
    sev = [f["severity"] for f in report["findings"]]
    assert sev == sorted(sev, key=SEVERITIES.index)
    assert "身份证号码" in JsonReporter().render(make_result())  # ensure_ascii=False


def _strings(obj) -> set[str]:
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(_strings(v) for v in obj.values())) if obj else set()
    if isinstance(obj, (list, tuple)):
        return set().union(*(_strings(v) for v in obj)) if obj else set()
    return set()


def test_json_invents_no_strings():
    """Every string value in the JSON report comes from the ScanResult as given."""
    r = make_result()
    given = {r.tool_version, r.started_at, r.finished_at, "spillguard"}
    for item in [*r.findings, *r.coverage, *r.targets, *r.exposure, *r.traces, *r.people, *r.risk]:
        given |= _strings(dataclasses.astuple(item))
    assert _strings(json.loads(JsonReporter().render(r))) <= given


def test_sarif_shape_rules_and_levels():
    r = make_result()
    log = json.loads(SarifReporter(rules=RULES).render(r))
    assert log["version"] == "2.1.0" and "sarif-2.1.0" in log["$schema"]
    (run,) = log["runs"]
    rules = run["tool"]["driver"]["rules"]
    checks = sorted({e.check for e in r.exposure})
    assert [x["id"] for x in rules] == sorted({f.detector for f in r.findings}) + checks
    assert all(x["shortDescription"]["text"] and x["properties"]["category"] for x in rules)
    by_fp = {f.fingerprint: f for f in r.findings}
    assert len(run["results"]) == len(r.findings) + len(r.exposure)
    exposure_results = {res["ruleId"]: res for res in run["results"] if res["ruleId"] in checks}
    assert {k: (v["kind"], v["level"]) for k, v in exposure_results.items()} == {
        "mongodb-authorization-disabled": ("fail", "error"),
        "mongodb-bind-all": ("review", "none"),  # unknown is never a pass
        "mongodb-ransom-note": ("pass", "none"),
    }
    for res in run["results"]:
        if res["ruleId"] in checks:
            continue
        f = by_fp[res["partialFingerprints"]["spillguardFindingHash/v1"]]
        assert res["ruleId"] == f.detector == rules[res["ruleIndex"]]["id"]
        assert res["level"] == LEVELS[f.severity]
        assert res["properties"]["samples"] == list(f.samples)
        assert res["message"]["text"].endswith(f"(masked: {', '.join(f.samples)})")
    (inv,) = run["invocations"]
    assert inv["executionSuccessful"] is False
    assert len(inv["toolExecutionNotifications"]) == 2


@pytest.mark.parametrize("severity", SEVERITIES)
def test_sarif_level_mapping(severity):
    f = dataclasses.replace(make_result().findings[0], severity=severity)
    r = ScanResult("0.0.0-test", "a", "b", [TargetResult(FILES, "files")], [], [f])
    (res,) = json.loads(SarifReporter(rules={}).render(r))["runs"][0]["results"]
    want = {"critical": "error", "high": "error", "medium": "warning"}.get(severity, "note")
    assert res["level"] == want


def test_sarif_without_detector_registry(monkeypatch):
    monkeypatch.setitem(sys.modules, "spillguard.detectors", None)  # import fails
    run = json.loads(SarifReporter().render(make_result()))["runs"][0]
    assert run["invocations"][0]["executionSuccessful"] is False
    names = {x["name"] for x in run["tool"]["driver"]["rules"]}
    r = make_result()
    assert names == {f.entity for f in r.findings} | {e.check for e in r.exposure}


def test_terminal_summary_and_samples():
    text = TerminalReporter().render(make_result())
    assert "Targets scanned: 3" in text
    assert "Exposure: 1 exposed, 1 unknown, 1 not exposed" in text
    assert "Containers: 4 complete, 1 partial, 0 skipped, 1 error" in text
    assert "Findings: 7 (2 critical, 3 high, 1 medium, 1 low)" in text
    assert "scan incomplete" in text
    for f in make_result().findings:
        for s in f.samples:
            assert s in text
    assert "limit:max_bytes" in text and "parse_error" in text
    assert not re.search(r"\d{7,}", text), "no long digit runs: nothing unmasked, no byte counts"
    assert "\x1b[" not in text


def test_terminal_no_findings_and_markup_and_color():
    empty = ScanResult("0.0.0-test", "a", "b", [TargetResult(FILES, "files")], [], [])
    assert NO_FINDINGS in TerminalReporter().render(empty)
    assert "scan incomplete" not in TerminalReporter().render(empty)
    f = dataclasses.replace(make_result().findings[0], field="[red]x[/red]")
    r = ScanResult("0.0.0-test", "a", "b", [], [], [f])
    assert "[red]x[/red]" in TerminalReporter().render(r)
    assert "\x1b[" in TerminalReporter().render(r, color=True)


def test_registry_and_get():
    known = reporting.registry()
    assert {"json", "sarif", "table"} <= set(known)
    assert isinstance(reporting.get("sarif"), SarifReporter)
    with pytest.raises(ConfigError) as err:
        reporting.get("pdf")
    assert all(k in str(err.value) for k in ("json", "sarif", "table"))


def test_json_traces_people_risk_blocks():
    r = make_result()
    report = json.loads(JsonReporter().render(r))
    risk = report["risk"]
    assert [(x["severity"], x["score"]) for x in risk] == [("critical", 96), ("critical", 88), ("high", 71),
                                                            ("medium", 40)]  # fmt: skip
    assert [p["scope"] for p in report["people"]] == ["scan", "target", "target", "container"]
    assert [p["target"] for p in report["people"][1:3]] == [FILES, DB]
    assert [(t["target"], t["container"]) for t in report["traces"]] == [(FILES, "guests.jsonl"), (DB, "access_log")]
    gate = report["traces"][1]
    assert list(gate["points_per_key"]) == ["1", "2-3", "4-9", "10-99"]  # bucket order, not input order
    assert gate["place_fields"] == ["gate_no", "camera_id"] and gate["surveillance_log"] is True
    assert report["traces"][0]["span_days"] is None
    for key, items in (("traces", r.traces), ("people", r.people), ("risk", r.risk)):
        fields = [f.name for f in dataclasses.fields(items[0])]
        assert all(list(d) == fields for d in report[key]), key  # every field, in dataclass order
    assert risk[1]["reidentification"]["k_min"] == 1
    assert report["people"][0]["derived"]["under_14"] == 37


def test_derived_phrases():
    from spillguard.reporting.base import derived_phrases

    r = make_result()
    scan, _, db, _ = sorted(r.people, key=lambda p: ("scan", "target", "container").index(p.scope))
    assert derived_phrases(scan.derived) == [scan.derived["summary"], "birthplaces in 2 provinces"]
    assert derived_phrases(db.derived) == ["IDs reveal sex and age of 482 people", "37 are under 14", "61 are under 18"]
    assert derived_phrases({}) == []


def test_json_open_values_stay_json():
    """derived / reidentification are open dicts: tuples, sets and NaN still give valid JSON."""
    r = make_result()
    r.risk[0] = dataclasses.replace(r.risk[0], reidentification={"quasi_identifiers": ("a", "b"),
                                                                 "unique_share": float("nan")})  # fmt: skip
    r.people[0] = dataclasses.replace(r.people[0], derived={"provinces": {"新疆", "北京"}})
    text = JsonReporter().render(r)
    report = json.loads(text)
    assert "NaN" not in text
    reid = next(x["reidentification"] for x in report["risk"] if x["score"] == r.risk[0].score)
    assert reid == {"quasi_identifiers": ["a", "b"], "unique_share": None}
    assert next(p["derived"] for p in report["people"] if p["scope"] == "container") == {"provinces": ["北京", "新疆"]}


def test_sarif_risk_run_properties():
    run = json.loads(SarifReporter(rules=RULES).render(make_result()))["runs"][0]
    risk = run["properties"]["risk"]
    assert risk == json.loads(JsonReporter().render(make_result()))["risk"]
    empty = ScanResult("0.0.0-test", "a", "b", [], [], [])
    assert "properties" not in json.loads(SarifReporter(rules={}).render(empty))["runs"][0]


def test_terminal_risk_people_traces():
    text = TerminalReporter().render(make_result())
    lines = text.splitlines()
    assert lines.index("Risk: 2 critical, 1 high, 1 medium (worst first)") < lines.index(
        "Exposure: 1 exposed, 1 unknown, 1 not exposed"
    )
    risk_rows = [ln.split()[:2] for ln in lines if re.match(r" (critical|high|medium|low)\s+\d+ ", ln)]
    assert risk_rows == [["critical", "96"], ["critical", "88"], ["high", "71"], ["medium", "40"]]
    assert "People: ~512 distinct people across the scan (CN_RESIDENT_ID; exact" in text
    assert "IDs reveal sex and age of 482 people; 37 are under 14" in text
    assert "Location traces: 2 containers" in text
    assert re.search(r"face_gate \*\s+482\s+451 \(93%\)\s+184 d", text)
    assert "the schema reads as a surveillance log" in text


def test_terminal_risk_is_capped():
    r = make_result()
    r.risk = [dataclasses.replace(r.risk[2], container=f"t{i:02d}", score=50 + i) for i in range(14)]
    text = TerminalReporter().render(r)
    assert "... and 4 more (see the JSON or HTML report)" in text
    assert " 63 " in text and " 53 " not in text.split("People:")[0]
