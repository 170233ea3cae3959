"""Per-container accumulators: what was found in each field (or in free text), kept as
counts, keyed hashes and masked samples only. Raw values never outlive a batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spillguard.detectors.base import ColumnStats, Hit
from spillguard.keys import Keyed
from spillguard.masking import mask

MAX_SAMPLES = 3
MAX_DISTINCT = 1_000_000  # exact keyed-hash set up to here; beyond, a lower bound


@dataclass
class EntityTally:
    """Matches of one entity (from one detector) in one field or one text container."""

    entity: str
    detector: str
    stats: ColumnStats = field(default_factory=ColumnStats)
    count: int = 0
    record_ids: set[int] = field(default_factory=set)
    hashes: set[bytes] = field(default_factory=set)
    distinct_capped: bool = False
    samples: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)

    def add(self, hit: Hit, record: int, keyed: Keyed) -> None:
        self.count += 1
        self.stats.score_sum += hit.score
        self.record_ids.add(record)
        digest = keyed.value_hash(self.entity, hit.value)
        if digest not in self.hashes:
            if len(self.hashes) < MAX_DISTINCT:
                self.hashes.add(digest)
                if len(self.samples) < MAX_SAMPLES:
                    self.samples.append(mask(hit.value, self.entity))
            else:
                self.distinct_capped = True
        self.reasons[hit.reason] += 1

    def evidence(self) -> list[str]:
        out = [r for r, _ in self.reasons.most_common(2) if r]
        if self.distinct_capped:
            out.append(f"distinct count capped at {MAX_DISTINCT}")
        return out


@dataclass
class FieldTally:
    """Everything seen in one field path of one container."""

    path: str
    nonempty: int = 0
    records: int = 0
    by_detector: dict[str, EntityTally] = field(default_factory=dict)

    def tally(self, detector_id: str, entity: str) -> EntityTally:
        t = self.by_detector.get(detector_id)
        if t is None:
            t = self.by_detector[detector_id] = EntityTally(entity, detector_id)
        return t
