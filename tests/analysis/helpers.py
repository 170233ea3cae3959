"""Building blocks for the container-analysis tests: findings as the engine reports them,
and a RecordSample filled from in-memory rows in several batches."""

from __future__ import annotations

from spillguard.entities import entity as entity_meta
from spillguard.models import Batch, Finding
from spillguard.scanning.records import RecordSample
from tests.pipeline import KEY


def finding(field: str, entity: str, records: int = 100) -> Finding:
    return Finding(target="mem", path="mem.csv", container=None, field=field, entity=entity,
                   category=entity_meta(entity).category, count=records, distinct=records, records=records,
                   confidence=0.9, severity="high", samples=(), evidence=(), fingerprint="f" * 16)


def sample_of(rows: list[dict], chunk: int = 37) -> RecordSample:
    """Rows in batches of ``chunk`` (not a divisor of the usual row counts, so batch
    boundaries fall inside groups), fields missing from a row left empty."""
    fields = list(dict.fromkeys(k for r in rows for k in r))
    s = RecordSample(KEY)
    for i in range(0, len(rows), chunk):
        part = rows[i:i + chunk]
        s.add(Batch({f: [r.get(f) for r in part] for f in fields}, records=len(part)))
    return s
