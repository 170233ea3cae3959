"""SARIF 2.1.0 report, for code-scanning dashboards.

One rule per detector that produced a finding (ruleId = detector id), one result per
finding, a keyed fingerprint per result so dashboards track findings across scans, and
one notification per target or container that was not read completely. Risk ratings
(worst first, same shape as the JSON report) ride along as run properties: ``risk``.
"""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any, Mapping
from urllib.parse import quote

from spillguard.entities import ENTITIES
from spillguard.models import Exposure, Finding, ScanResult
from spillguard.reporting.base import Reporter, sorted_coverage, sorted_exposure, sorted_findings, sorted_risk
from spillguard.reporting.json_report import risk_dict

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# what a container is called, by target kind: used in messages and logical locations
_NOUNS = {
    "sqlite": "table", "postgres": "table", "postgresql": "table", "mysql": "table", "mongodb": "collection",
    "elasticsearch": "index", "redis": "key pattern", "s3": "object",
}  # fmt: skip
_TABLE_KINDS = {"sqlite", "postgres", "postgresql", "mysql"}


class SarifReporter(Reporter):
    id = "sarif"
    extension = "sarif"

    def __init__(self, rules: Mapping[str, Mapping[str, str]] | None = None):
        """``rules``: detector id -> {"entity", "description"}; None reads the detector
        registry when rendering (falls back to the findings alone if it cannot load)."""
        self._rules = rules

    def render(self, result: ScanResult, *, color: bool = False, width: int = 100) -> str:
        log = to_sarif(result, self._rule_metadata())
        return json.dumps(log, ensure_ascii=False, indent=2) + "\n"

    def _rule_metadata(self) -> Mapping[str, Mapping[str, str]]:
        if self._rules is not None:
            return self._rules
        try:
            from spillguard.detectors import registry

            return {d.id: {"entity": d.entity, "description": d.description} for d in registry()}
        except Exception:  # detectors are optional here: derive rules from the findings
            return {}


def to_sarif(result: ScanResult, meta: Mapping[str, Mapping[str, str]]) -> dict[str, Any]:
    findings = sorted_findings(result)
    kinds = {t.target: t.kind for t in result.targets}
    rules: dict[str, dict[str, Any]] = {}
    for f in sorted(findings, key=_rule_id):
        rules.setdefault(_rule_id(f), _rule(f, meta.get(_rule_id(f), {})))
    exposure = sorted_exposure(result)
    for e in sorted(exposure, key=lambda e: e.check):
        rules.setdefault(e.check, _check_rule(e))
    index = {rid: i for i, rid in enumerate(rules)}
    driver = {"name": "spillguard", "version": result.tool_version, "rules": list(rules.values())}
    invocation = {
        "executionSuccessful": not result.incomplete,
        "startTimeUtc": result.started_at,
        "endTimeUtc": result.finished_at,
        "toolExecutionNotifications": _notifications(result),
    }
    run: dict[str, Any] = {
        "tool": {"driver": driver},
        "invocations": [invocation],
        "results": [_result(f, index, kinds.get(f.target, "")) for f in findings]
        + [_exposure_result(e, index) for e in exposure],
    }
    if result.risk:
        run["properties"] = {"risk": [risk_dict(r) for r in sorted_risk(result)]}
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def _rule_id(f: Finding) -> str:
    return f.detector or f.entity.lower().replace("_", "-")


def _rule(f: Finding, meta: Mapping[str, str]) -> dict[str, Any]:
    name = meta.get("entity") or f.entity
    known = ENTITIES.get(name)
    rule: dict[str, Any] = {
        "id": _rule_id(f),
        "name": name,
        "shortDescription": {"text": known.description if known else name},
    }
    if meta.get("description"):
        rule["fullDescription"] = {"text": meta["description"]}
    rule["properties"] = {"category": known.category if known else f.category}
    return rule


def _result(f: Finding, index: Mapping[str, int], kind: str) -> dict[str, Any]:
    return {
        "ruleId": _rule_id(f),
        "ruleIndex": index[_rule_id(f)],
        "level": LEVELS.get(f.severity, "note"),
        "message": {"text": _message(f, kind)},
        "locations": [_location(f, kind)],
        "partialFingerprints": {"spillguardFindingHash/v1": f.fingerprint},
        "properties": {
            "confidence": f.confidence,
            "severity": f.severity,
            "count": f.count,
            "distinct": f.distinct,
            "records": f.records,
            "samples": list(f.samples),
        },
    }


def _check_rule(e: Exposure) -> dict[str, Any]:
    return {
        "id": e.check,
        "name": e.check,
        "shortDescription": {"text": f"Exposure check {e.check}"},
        "help": {"text": e.fix or "-"},
        "properties": {"category": "exposure"},
    }


def _exposure_result(e: Exposure, index: Mapping[str, int]) -> dict[str, Any]:
    """Exposed = a failing result; not exposed = pass; unknown = review (never a pass)."""
    kind = {"exposed": "fail", "not_exposed": "pass"}.get(e.status, "review")
    return {
        "ruleId": e.check,
        "ruleIndex": index[e.check],
        "kind": kind,
        "level": LEVELS.get(e.severity, "note") if kind == "fail" else "none",
        "message": {"text": f"{e.status}: {e.detail}" + (f" Fix: {e.fix}" if e.status != "not_exposed" else "")},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.target)}}}],
        "properties": {"status": e.status, "severity": e.severity},
    }


def _message(f: Finding, kind: str) -> str:
    noun = _NOUNS.get(kind, "container")
    where = f"{noun} {f.container}" if f.container is not None else (f.path or f.target)
    place = f"field {f.field} of {where}" if f.field is not None else where
    text = f"{f.entity} in {place}: {f.count} values, {f.distinct} distinct"
    return text + (f" (masked: {', '.join(f.samples)})" if f.samples else "")


def _location(f: Finding, kind: str) -> dict[str, Any]:
    uri = _uri(f.path or f.target)
    loc: dict[str, Any] = {"physicalLocation": {"artifactLocation": {"uri": uri}}}
    logical = []
    if f.container is not None:
        ckind = "table" if kind in _TABLE_KINDS else "object"
        logical.append({"name": f.container, "fullyQualifiedName": f.container, "kind": ckind})
    if f.field is not None:
        fqn = f"{f.container}.{f.field}" if f.container is not None else f.field
        logical.append({"name": f.field, "fullyQualifiedName": fqn, "kind": "member"})
    if logical:
        loc["logicalLocations"] = logical
    return loc


def _uri(where: str) -> str:
    """A URI reference: target URIs as given, file paths percent-encoded."""
    if "://" in where:
        return where
    path = PurePosixPath(where)
    return path.as_uri() if path.is_absolute() else quote(where, safe="/")


def _notifications(result: ScanResult) -> list[dict[str, Any]]:
    notes = []
    for t in result.targets:
        if t.status != "complete":
            notes.append(_note(t.status, t.reason, t.target, t.target))
    for c in sorted_coverage(result):
        if c.status != "complete":
            where = "/".join(p for p in (c.path, c.container) if p is not None) or c.target
            notes.append(_note(c.status, c.reason, where, c.path or c.target))
    return notes


def _note(status: str, reason: str | None, where: str, uri: str) -> dict[str, Any]:
    text = f"{where}: {status}" + (f" ({reason})" if reason else "")
    return {
        "level": "error" if status == "error" else "warning",
        "message": {"text": text},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(uri)}}}],
        "descriptor": {"id": f"coverage/{status}"},
    }
