"""JSON report: the public, machine-readable contract (schema_version 1).

The shape is fixed by report.schema.json next to this file; adding a key is a new
schema_version. Samples are the masked strings the scan produced, copied as given.
"""

from __future__ import annotations

import json
from typing import Any

from spillguard.models import Coverage, Exposure, Finding, ScanResult, TargetResult
from spillguard.reporting.base import Reporter, sorted_coverage, sorted_exposure, sorted_findings

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
