"""The reporter contract and the orderings every report format shares.

A reporter turns a finished ScanResult into text. It sees only the ScanResult: samples
are already masked by the masker, and a reporter never adds, unmasks or derives values.
Output is deterministic: the same ScanResult renders to the same bytes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from spillguard.models import SEVERITIES, Coverage, Exposure, Finding, People, Risk, ScanResult, Trace

SEVERITY_RANK = {s: i for i, s in enumerate(SEVERITIES)}  # 0 = worst


class Reporter(ABC):
    id: ClassVar[str] = ""  # format id used on the command line (--format)
    extension: ClassVar[str] = ""  # file extension without the dot

    @abstractmethod
    def render(self, result: ScanResult, *, color: bool = False, width: int = 100) -> str:
        """The whole report as text, ending in a newline."""


def severity_rank(severity: str) -> int:
    """Position of a severity, worst first; unknown severities sort last."""
    return SEVERITY_RANK.get(severity, len(SEVERITIES))


def _s(value: str | None) -> str:
    return "" if value is None else value


def finding_key(f: Finding) -> tuple:
    """Worst severity first, then target, path, container, field, entity."""
    return (
        severity_rank(f.severity),
        f.target,
        _s(f.path),
        _s(f.container),
        _s(f.field),
        f.entity,
        f.detector,
        f.fingerprint,
    )


def sorted_findings(result: ScanResult) -> list[Finding]:
    return sorted(result.findings, key=finding_key)


def coverage_key(c: Coverage) -> tuple:
    return (c.target, _s(c.path), _s(c.container))


def sorted_coverage(result: ScanResult) -> list[Coverage]:
    return sorted(result.coverage, key=coverage_key)


_EXPOSURE_RANK = {"exposed": 0, "unknown": 1, "not_exposed": 2}


def exposure_key(e: Exposure) -> tuple:
    """Exposed (worst severity first), then unknown, then not exposed."""
    return (_EXPOSURE_RANK.get(e.status, 1), severity_rank(e.severity), e.target, e.check)


def sorted_exposure(result: ScanResult) -> list[Exposure]:
    return sorted(result.exposure, key=exposure_key)


def risk_key(r: Risk) -> tuple:
    """Worst first: severity, then score (highest first), then where."""
    return (severity_rank(r.severity), -r.score, r.target, _s(r.path), _s(r.container), r.scope)


def sorted_risk(result: ScanResult) -> list[Risk]:
    return sorted(result.risk, key=risk_key)


_SCOPE_RANK = {"scan": 0, "target": 1, "container": 2}


def people_key(p: People) -> tuple:
    """Scan-wide first, then per target, then per container."""
    where = (_s(p.target), _s(p.path), _s(p.container), _s(p.basis), -p.estimate, p.method)
    return (_SCOPE_RANK.get(p.scope, len(_SCOPE_RANK)), *where)


def sorted_people(result: ScanResult) -> list[People]:
    return sorted(result.people, key=people_key)


def trace_key(t: Trace) -> tuple:
    return (t.target, _s(t.path), _s(t.container), t.key_field, t.time_field, t.kind)


def sorted_traces(result: ScanResult) -> list[Trace]:
    return sorted(result.traces, key=trace_key)


POINT_BUCKETS = ("1", "2-3", "4-9", "10-99", "100+")  # Trace.points_per_key, fewest first


def point_buckets(hist: dict[str, int], fill: bool = False) -> list[tuple[str, int]]:
    """A points-per-key histogram in bucket order (known buckets first, then any others);
    ``fill`` adds the missing standard buckets as 0 (so charts compare)."""
    rank = {b: i for i, b in enumerate(POINT_BUCKETS)}
    if fill and hist:
        hist = {**{b: 0 for b in POINT_BUCKETS}, **hist}
    return sorted(hist.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))


def scan_people(result: ScanResult) -> People | None:
    """The scan-wide people estimate, if the scan made one."""
    return next((p for p in sorted_people(result) if p.scope == "scan"), None)


def worst_severity(result: ScanResult) -> str | None:
    """The worst severity anywhere in the result: risk, findings or exposed checks."""
    sevs = [r.severity for r in result.risk] + [f.severity for f in result.findings]
    sevs += [e.severity for e in result.exposure if e.status == "exposed"]
    return min(sevs, key=severity_rank) if sevs else None


def where(target: str, path: str | None, container: str | None) -> str:
    """``target > path > container``, leaving out parts that are missing or that the
    target already names (``sqlite:///srv/x.db`` > ``/srv/x.db``)."""
    parts = [target] + [p for p in (path, container) if p is not None and not target.endswith(p)]
    return " > ".join(parts)


def derived_phrases(derived: dict[str, Any]) -> list[str]:
    """Plain-language lines for People.derived (aggregates read from ID numbers), e.g.
    "IDs reveal sex and age of 482 people", "37 are under 14". Counts only. The
    producer's own ``summary`` comes first when it gives one."""
    provinces = derived.get("provinces")
    count = len(provinces) if isinstance(provinces, (dict, list, tuple)) else _int(provinces)
    where = [f"birthplaces in {count} provinces"] if count else []
    if isinstance(derived.get("summary"), str) and derived["summary"]:
        return [derived["summary"]] + ([] if "province" in derived["summary"] else where)
    out: list[str] = []
    n = _int(derived.get("people", derived.get("ids")))
    if n is None:
        n = sum(v for k in ("male", "female") if isinstance(v := derived.get(k), int))
    if n:
        out.append(f"IDs reveal sex and age of {n} people")
    for key, label in (("under_14", "under 14"), ("minors", "under 18")):
        v = derived.get(key)
        v = sum(x for x in v.values() if isinstance(x, int)) if isinstance(v, dict) else _int(v)
        if v:
            out.append(f"{v} are {label}")
    return out + where


def _int(v: Any) -> int | None:
    return v if isinstance(v, int) and not isinstance(v, bool) else None
