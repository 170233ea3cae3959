"""JSON report: the public, machine-readable contract (schema_version 1).

The shape is fixed by report.schema.json next to this file; removing a key or changing
its meaning is a new schema_version. Samples are the masked strings the scan produced,
copied as given. traces, people and risk carry every field of their dataclasses.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from spillguard.models import People, Risk, ScanResult, Trace
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
        "targets": [record(t) for t in result.targets],
        "coverage": [record(c) for c in sorted_coverage(result)],
        "findings": [record(f) for f in sorted_findings(result)],
        "exposure": [record(e) for e in sorted_exposure(result)],
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


def record(obj: Any, **override: Any) -> dict[str, Any]:
    """Every field of a result dataclass, in declaration order, as JSON-safe values.
    The dataclasses in models.py are the contract: a field added there appears here."""
    out = {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    out.update(override)
    return out


def trace_dict(t: Trace) -> dict[str, Any]:
    return record(t, points_per_key=dict(point_buckets(t.points_per_key)))


def people_dict(p: People) -> dict[str, Any]:
    return record(p, by_entity=dict(sorted(p.by_entity.items())))


def risk_dict(r: Risk) -> dict[str, Any]:
    """Also used by the SARIF report (run properties)."""
    return record(r)


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
