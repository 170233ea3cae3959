"""Per-container accumulators: what was found in each field (or in free text), kept as
counts, keyed hashes and masked samples only. Raw values never outlive a batch."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from itertools import groupby
from operator import attrgetter
from typing import Callable

OnNew = Callable[[str, str], None]  # (entity, normalised value) for each new distinct value

from spillguard.detectors.base import ColumnStats, Hit
from spillguard.keys import Keyed
from spillguard.masking import mask
from spillguard.scanning.distinct import STD_ERROR, DistinctCounter

MAX_SAMPLES = 3
# Scores are summed as integers in units of 2^-60: a float sum depends on the order of
# its terms, and a file scanned in parts must get the very mean score of one read.
_SCORE_UNIT = 1 << 60
_SCORE, _VALUE, _REASON = attrgetter("score"), attrgetter("value"), attrgetter("reason")


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
    score_units: int = 0  # exact sum of the scores (stats.score_sum is its float, set by settle)

    # while samples are wanted: where each value new in this batch first occurs, and the
    # value (masked in settle(), at the end of the batch: only the few shown are masked)
    firsts: dict[bytes, tuple[tuple[int, int], str]] = field(default_factory=dict)

    def add_all(self, hits: list[Hit], keyed: Keyed) -> None:
        """Add one batch's hits of this tally's detector, in the order found (the same as
        adding them one at a time: tests/scanning/test_bulk_tally.py keeps that reference),
        with the per-hit Python steps taken once a batch."""
        self.count += len(hits)
        # scores, values and reasons taken out in C (map over attrgetter); a batch's hits
        # share a few scores, each turned into units once
        scores = Counter(map(_SCORE, hits))
        self.score_units += sum(int(score * _SCORE_UNIT) * n for score, n in scores.items())
        digests = keyed.value_hashes(self.entity, list(map(_VALUE, hits)))
        sampling = len(self.samples) < MAX_SAMPLES
        exact_news = self.on_new is not None and not self.distinct.estimated  # on_new needs "new"
        new, estimated_from = self.distinct.add_all(digests, flags=sampling or exact_news)
        if self.on_new is not None:
            # past the exact limit "not new" is not certain: every value is passed on, so
            # the aggregates see each value whatever the order (or the parts) of the read
            for i, hit in enumerate(hits):
                if i >= estimated_from or new[i]:
                    self.on_new(self.entity, hit.value)
        if sampling:
            # Samples are the first values in record order. Hits do not arrive in that
            # order (overlap resolution groups them), so the batch's new values are kept
            # with their earliest position and taken in order at its end (settle): then
            # where batches (or the parts of a split file) are cut does not matter.
            firsts = self.firsts
            for hit, digest, is_new in zip(hits, digests, new):
                at = (hit.row, hit.start)
                if is_new:
                    firsts[digest] = (at, hit.value)
                elif digest in firsts and at < firsts[digest][0]:
                    firsts[digest] = (at, firsts[digest][1])
        self.reasons.update(map(_REASON, hits))

    def add_records(self, n: int) -> None:
        """Records with a match in one batch (batches never share records); ends the
        batch for this tally."""
        self.records += n
        self.settle()

    def settle(self) -> None:
        """Take the samples of the batch just read (also after one that failed midway), and
        bring the float score sum up to date."""
        self.stats.score_sum = self.score_units / _SCORE_UNIT
        if self.firsts:
            # by position; values at one position (rare) by their masked form
            by_position = groupby(sorted(self.firsts.values(), key=lambda first: first[0]), key=lambda first: first[0])
            for _, firsts in by_position:
                for shown in sorted(mask(value, self.entity) for _, value in firsts):
                    if len(self.samples) < MAX_SAMPLES and shown not in self.samples:  # "[hidden]" once
                        self.samples.append(shown)
                if len(self.samples) >= MAX_SAMPLES:
                    break
            self.firsts.clear()

    def absorb(self, other: "EntityTally") -> None:
        """Add a later part of the same field (a split file) in place: the result is the
        tally one pass over both parts would have built."""
        self.count += other.count
        self.records += other.records
        self.stats.candidates += other.stats.candidates
        self.stats.validated += other.stats.validated
        self.stats.rows += other.stats.rows
        self.score_units += other.score_units
        self.stats.score_sum = self.score_units / _SCORE_UNIT
        self.distinct.absorb(other.distinct)
        # the other part's first new values, minus those seen here, as add() keeps them
        for shown in other.samples:
            if len(self.samples) >= MAX_SAMPLES:
                break
            if shown not in self.samples:
                self.samples.append(shown)
        self.reasons.update(other.reasons)

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

    def detach(self) -> "FieldTally":
        """This tally without its callbacks (bound methods of the container), to be sent
        to another process; the receiver's ``absorb`` uses its own."""
        self.on_new = None
        for t in self.by_detector.values():
            t.on_new = None
            t.settle()
        return self

    def absorb(self, other: "FieldTally") -> None:
        """Add a later part of the same field in place (detectors in order of first match,
        as one pass would have met them)."""
        self.nonempty += other.nonempty
        for detector_id, t in other.by_detector.items():
            self.tally(detector_id, t.entity).absorb(t)

    def tally(self, detector_id: str, entity: str) -> EntityTally:
        t = self.by_detector.get(detector_id)
        if t is None:
            t = self.by_detector[detector_id] = EntityTally(entity, detector_id, on_new=self.on_new)
        return t
