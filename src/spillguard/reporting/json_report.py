"""JSON report: the public, machine-readable contract (schema_version 1).

The shape is fixed by report.schema.json next to this file; removing a key or changing
its meaning is a new schema_version. Samples are the masked strings the scan produced,
copied as given. traces, people and risk carry every field of their dataclasses.
"""

from __future__ import annotations

import json
import math
from typing import Any

from spillguard.models import Coverage, Exposure, Finding, People, Risk, ScanResult, TargetResult, Trace
from spillguard.reporting.base import (
    Reporter,
    point_buckets,
    sorted_coverage,
    sorted_exposure,
    sorted_findings,
    sorted_people,
    sorted_risk,
    sorted_traces,
)

SCHEMA_VERSION = 1


class JsonReporter(Reporter):
    id = "json"
    extension = "json"

    def render(self, result: ScanResult, *, color: bool = False, width: int = 100) -> str:
        return json.dumps(to_dict(result), ensure_ascii=False, indent=2) + "\n"


def to_dict(result: ScanResult) -> dict[str, Any]:
    summary = result.summary()
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "spillguard", "version": result.tool_version},
        "started_at": result.started_at,
        "finished_at": result.finished_at,
        "targets": [_target(t) for t in result.targets],
        "coverage": [_coverage(c) for c in sorted_coverage(result)],
        "findings": [_finding(f) for f in sorted_findings(result)],
        "exposure": [_exposure(e) for e in sorted_exposure(result)],
        "traces": [trace_dict(t) for t in sorted_traces(result)],
        "people": [people_dict(p) for p in sorted_people(result)],
        "risk": [risk_dict(r) for r in sorted_risk(result)],
        "summary": {
            "findings": summary["findings"],
            "by_entity": summary["by_entity"],
            "by_severity": summary["by_severity"],
            "incomplete": result.incomplete,
        },
    }


def _target(t: TargetResult) -> dict[str, Any]:
    return {"target": t.target, "kind": t.kind, "status": t.status, "reason": t.reason}


def _coverage(c: Coverage) -> dict[str, Any]:
    return {
        "target": c.target,
        "path": c.path,
        "container": c.container,
        "status": c.status,
        "reason": c.reason,
        "records": c.records,
        "bytes": c.bytes,
    }


def _finding(f: Finding) -> dict[str, Any]:
    return {
        "target": f.target,
        "path": f.path,
        "container": f.container,
        "field": f.field,
        "entity": f.entity,
        "category": f.category,
        "count": f.count,
        "distinct": f.distinct,
        "records": f.records,
        "confidence": f.confidence,
        "severity": f.severity,
        "samples": list(f.samples),
        "evidence": list(f.evidence),
        "fingerprint": f.fingerprint,
        "detector": f.detector,
    }


def _exposure(e: Exposure) -> dict[str, Any]:
    return {
        "target": e.target,
        "check": e.check,
        "status": e.status,
        "severity": e.severity,
        "detail": e.detail,
        "fix": e.fix,
    }


def trace_dict(t: Trace) -> dict[str, Any]:
    return {
        "target": t.target,
        "path": t.path,
        "container": t.container,
        "kind": t.kind,
        "key_field": t.key_field,
        "time_field": t.time_field,
        "place_fields": list(t.place_fields),
        "records": t.records,
        "keys": t.keys,
        "keys_4_plus": t.keys_4_plus,
        "span_days": _plain(t.span_days),
        "points_per_key": dict(point_buckets(t.points_per_key)),
        "surveillance_log": t.surveillance_log,
        "evidence": list(t.evidence),
    }


def people_dict(p: People) -> dict[str, Any]:
    return {
        "scope": p.scope,
        "target": p.target,
        "path": p.path,
        "container": p.container,
        "estimate": p.estimate,
        "basis": p.basis,
        "method": p.method,
        "by_entity": dict(sorted(p.by_entity.items())),
        "derived": _plain(p.derived),
    }


def risk_dict(r: Risk) -> dict[str, Any]:
    """Also used by the SARIF report (run properties)."""
    return {
        "scope": r.scope,
        "target": r.target,
        "path": r.path,
        "container": r.container,
        "severity": r.severity,
        "score": r.score,
        "reach": r.reach,
        "sensitivity": list(r.sensitivity),
        "people": r.people,
        "reidentification": _plain(r.reidentification),
        "reasons": list(r.reasons),
    }


def _plain(v: Any) -> Any:
    """JSON-safe copy of an open-ended value: tuples and sets become lists (sets sorted),
    keys become strings, non-finite floats become null (NaN is not JSON)."""
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (set, frozenset)):
        return sorted((_plain(x) for x in v), key=repr)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return v
