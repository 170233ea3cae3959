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
from spillguard.models import SEVERITIES, Coverage, Exposure, Finding, ScanResult, TargetResult
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
    return ScanResult("0.0.0-test", start, end, targets, coverage, findings, exposure)


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
    for item in [*r.findings, *r.coverage, *r.targets, *r.exposure]:
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
