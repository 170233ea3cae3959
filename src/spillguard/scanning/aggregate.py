"""Per-container accumulators: what was found in each field (or in free text), kept as
counts, keyed hashes and masked samples only. Raw values never outlive a batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

OnNew = Callable[[str, str], None]  # (entity, normalised value) for each new distinct value

from spillguard.detectors.base import ColumnStats, Hit
from spillguard.keys import Keyed
from spillguard.masking import mask
from spillguard.scanning.distinct import STD_ERROR, DistinctCounter

MAX_SAMPLES = 3


@dataclass
class EntityTally:
    """Matches of one entity (from one detector) in one field or one text container."""

    entity: str
    detector: str
    stats: ColumnStats = field(default_factory=ColumnStats)
    count: int = 0
    records: int = 0  # records holding a match; added per batch (see add_records)
    distinct: DistinctCounter = field(default_factory=DistinctCounter)
    samples: list[str] = field(default_factory=list)
    reasons: Counter = field(default_factory=Counter)
    on_new: OnNew | None = None  # derived aggregates (e.g. sex and age read from IDs)

    def add(self, hit: Hit, keyed: Keyed) -> None:
        self.count += 1
        self.stats.score_sum += hit.score
        new = self.distinct.add(keyed.value_hash(self.entity, hit.value))
        if new and self.on_new is not None:
            self.on_new(self.entity, hit.value)
        if new and len(self.samples) < MAX_SAMPLES:
            shown = mask(hit.value, self.entity)
            if shown not in self.samples:  # "[hidden]" once, not three times
                self.samples.append(shown)
        self.reasons[hit.reason] += 1

    def add_records(self, n: int) -> None:
        """Records with a match in one batch (batches never share records)."""
        self.records += n

    def evidence(self) -> list[str]:
        out = [r for r, _ in self.reasons.most_common(2) if r]
        if self.distinct.estimated:
            out.append(f"distinct count estimated (HyperLogLog, ±{STD_ERROR:.1%})")
        return out


@dataclass
class FieldTally:
    """Everything seen in one field path of one container."""

    path: str
    nonempty: int = 0
    by_detector: dict[str, EntityTally] = field(default_factory=dict)
    on_new: OnNew | None = None

    def tally(self, detector_id: str, entity: str) -> EntityTally:
        t = self.by_detector.get(detector_id)
        if t is None:
            t = self.by_detector[detector_id] = EntityTally(entity, detector_id, on_new=self.on_new)
        return t
