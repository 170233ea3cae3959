"""Frozen data passed between the pipeline stages. Reporters see only ScanResult."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Status = Literal["complete", "partial", "skipped", "error"]
SEVERITIES = ("critical", "high", "medium", "low", "info")


@dataclass
class Batch:
    """A bounded slice of one container.

    Structured data: ``columns`` maps a field path (``guest.id_no``, ``companions[].id_no``)
    to a list of values, one per record, ``None`` where the record lacks the field. A value
    is a str, int, float, bool, bytes, or a list of numbers (a vector kept whole).
    A field path that repeats inside a record (``companions[].id_no``) holds a list of
    values for that record.

    Free text: ``text`` holds a chunk of decoded text and ``columns`` is empty;
    ``text_offset`` is the character offset of the chunk in the container.
    ``records`` counts the records (or lines) this batch covers.
    """

    columns: dict[str, list[Any]] = field(default_factory=dict)
    records: int = 0
    text: str | None = None
    text_offset: int = 0


@dataclass
class Coverage:
    """One row of the coverage ledger: every file, member, table gets one."""

    target: str
    path: str | None
    container: str | None
    status: Status = "complete"
    reason: str | None = None
    records: int = 0
    bytes: int = 0

    def mark(self, status: Status, reason: str | None) -> None:
        """Downgrade only (complete -> partial -> skipped/error). Reasons accumulate, so a
        timeout after sampling began reads "sampled:...; timeout", not just "sampled"."""
        order = {"complete": 0, "partial": 1, "skipped": 2, "error": 3}
        if order[status] < order[self.status] or status == "complete":
            return
        self.status = status
        if reason and reason not in (self.reason or "").split("; "):
            self.reason = f"{self.reason}; {reason}" if self.reason else reason


@dataclass
class TargetResult:
    target: str  # as given, credentials masked
    kind: str
    status: Status = "complete"
    reason: str | None = None


@dataclass(frozen=True)
class Finding:
    target: str
    path: str | None
    container: str | None
    field: str | None
    entity: str
    category: str
    count: int  # matches
    distinct: int  # distinct normalised values (keyed hashes)
    records: int  # records holding at least one match
    confidence: float
    severity: str
    samples: tuple[str, ...]  # masked, at most 3
    evidence: tuple[str, ...]
    fingerprint: str  # keyed hash of the finding identity
    detector: str = ""  # detector id (SARIF rule)

    @property
    def identity(self) -> tuple:
        return (self.target, self.path, self.container, self.field, self.entity)


ExposureStatus = Literal["exposed", "not_exposed", "unknown"]


@dataclass(frozen=True)
class Exposure:
    """The outcome of one metadata-only reachability check. ``unknown`` (error, timeout,
    denied) is never shown as safe."""

    target: str  # credentials masked
    check: str  # check id, e.g. "mongodb-authorization-disabled"
    status: ExposureStatus
    severity: str  # the check's severity when exposed; "info" otherwise
    detail: str  # what was observed (never a value read from the store)
    fix: str  # what to change


@dataclass(frozen=True)
class Trace:
    """Whereabouts in one container: a person/device key, a time and a place co-occur.
    Counts only: never a key, a time or a place of any one person."""

    target: str
    path: str | None
    container: str | None
    kind: str  # face_gate | checkpoint | device_sighting | tracker | access_log | generic
    key_field: str
    time_field: str
    place_fields: tuple[str, ...]
    records: int  # sampled records that carry all three
    keys: int  # distinct keys among them
    keys_4_plus: int  # keys with >= 4 points (four points make ~95 % of people unique)
    span_days: float | None  # first to last point over all keys
    points_per_key: dict[str, int]  # histogram: {"1": n, "2-3": n, "4-9": n, "10-99": n, "100+": n}
    surveillance_log: bool  # the schema says face gate / snapshot / camera / 门禁 / 抓拍 ...
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class People:
    """Distinct people estimated from strong identifiers (keyed hashes, in memory only)."""

    scope: str  # container | target | scan
    target: str | None
    path: str | None
    container: str | None
    estimate: int
    basis: str | None  # the identifier entity that gave the estimate
    method: str  # how it was counted, with its error
    by_entity: dict[str, int]  # distinct values per identifier entity
    derived: dict[str, Any]  # aggregates read from resident IDs: sex, age bands, minors, provinces


@dataclass(frozen=True)
class Risk:
    """One severity for a container or a target: reach x sensitivity x people x
    re-identifiability (see risk/model.py)."""

    scope: str  # container | target
    target: str
    path: str | None
    container: str | None
    severity: str
    score: int  # 0-100
    reach: str  # exposed | unknown | not_exposed | not_checked
    sensitivity: tuple[str, ...]  # what drives it: biometric, special_category, trace, minors ...
    people: int
    reidentification: dict[str, Any]  # quasi-identifiers, records, unique_share, k_min, method
    reasons: tuple[str, ...]


@dataclass
class ScanResult:
    tool_version: str
    started_at: str
    finished_at: str
    targets: list[TargetResult]
    coverage: list[Coverage]
    findings: list[Finding]
    exposure: list[Exposure] = field(default_factory=list)
    traces: list[Trace] = field(default_factory=list)
    people: list[People] = field(default_factory=list)
    risk: list[Risk] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        by_entity: dict[str, int] = {}
        by_severity: dict[str, int] = {}
        for f in self.findings:
            by_entity[f.entity] = by_entity.get(f.entity, 0) + 1
            by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
        return {
            "findings": len(self.findings),
            "by_entity": dict(sorted(by_entity.items())),
            "by_severity": {s: by_severity[s] for s in SEVERITIES if s in by_severity},
        }

    @property
    def incomplete(self) -> bool:
        return any(c.status != "complete" for c in self.coverage) or any(
            t.status != "complete" for t in self.targets
        )
