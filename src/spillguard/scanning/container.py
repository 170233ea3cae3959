"""One container: read it within the sample limit, run the detectors, and turn the
tallies into findings plus what container-level analysis needs (a value-free record
sample, identifier counters, aggregates derived from IDs)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Sequence

from spillguard.analysis.people import IDENTIFIER_ENTITIES, ContainerPeople, Demographics
from spillguard.analysis.reidentification import reidentification
from spillguard.analysis.traces import find_trace
from spillguard.detectors.base import Detector
from spillguard.detectors.context import FieldContext
from spillguard.entities import entity as entity_meta
from spillguard.errors import LimitExceeded, safe_reason
from spillguard.keys import Keyed
from spillguard.models import Batch, Coverage, Finding, Trace
from spillguard.scanning.aggregate import EntityTally, FieldTally
from spillguard.scanning.columns import scan_batch
from spillguard.scanning.distinct import DistinctCounter
from spillguard.scanning.records import RecordSample
from spillguard.scanning.text import TEXT_FIELD, TextScanner
from spillguard.settings import Settings
from spillguard.severity import severity
from spillguard.sources.base import ContainerScan


@dataclass
class ContainerSummary:
    """What outlives a container for the scan-level assessment: counts and sketches only.
    The engine folds ``people`` into a PeopleTally and drops it (``without_people``), so
    a scan of many containers keeps only their counts."""

    row: Coverage
    findings: list[Finding]
    trace: Trace | None
    reid: dict
    people: ContainerPeople | None
    minors: int = 0  # children under 14 by their resident IDs

    def without_people(self) -> "ContainerSummary":
        return replace(self, people=None)


@dataclass
class Tallies:
    """What a container read found before it becomes findings: counts, keyed digests and
    masked samples, no callable and no key, so it can travel from a worker that scanned
    one part of a split file to the driver, which adds the parts up (``absorb``)."""

    row: Coverage
    records: int
    fields: dict[str, FieldTally]
    text: FieldTally | None
    demographics: Demographics
    sample: RecordSample


class ContainerRun:
    """Reads one container within the sample limit and turns its tallies into findings."""

    def __init__(self, cs: ContainerScan, settings: Settings, detectors: Sequence[Detector], keyed: Keyed,
                 on_batch: Callable[[Coverage], None] | None = None):
        self.cs = cs
        self.on_batch = on_batch  # told after every batch (records and bytes so far)
        self.settings = settings
        self.detectors = {d.id: d for d in detectors}
        self._detector_list = list(detectors)
        self.keyed = keyed
        self.tallies: dict[str, FieldTally] = {}
        self.demographics = Demographics()
        self.text = (
            TextScanner(detectors, keyed, settings.min_confidence, self.demographics.add)
            if cs.kind == "text" else None
        )
        self.sample = RecordSample(keyed)
        self.records = 0
        self.reported: list[tuple[Finding, EntityTally]] = []

    def run(self) -> list[Finding]:
        row, limit = self.cs.coverage, self.settings.sample_size
        batches = self.cs.batches
        try:
            sampled = f"sampled:n={limit},method=head,seed=none"
            for batch in batches:
                if limit and self.records >= limit:
                    row.mark("partial", sampled)  # more records than the sample
                    break
                if limit and self.records + batch.records > limit:
                    batch = _truncate(batch, limit - self.records)
                    row.mark("partial", sampled)
                self._scan(batch)
                self.records += batch.records
                if self.on_batch is not None:
                    row.records = self.records  # so far; set for good below
                    self.on_batch(row)
        except LimitExceeded as exc:
            row.mark("partial" if self.records else "skipped", safe_reason(exc))
        except Exception as exc:
            row.mark("partial" if self.records else "error", safe_reason(exc))
        finally:
            close = getattr(batches, "close", None)
            if close:
                close()
        row.records = max(row.records, self.records)
        return self._findings()

    def read(self, batch: Batch) -> None:
        """Read one batch handed in from outside ``run`` (no sample limit; ``finish``
        gives the findings): the names of a target, fed as they are listed
        (scanning/names.py)."""
        self._scan(batch)
        self.records += batch.records

    def _scan(self, batch: Batch) -> None:
        if batch.text is not None and self.text is not None:
            self.text.scan(batch)
        elif batch.columns:
            texts = scan_batch(batch, self.tallies, self._detector_list, self.keyed, self.demographics.add,
                               self.settings.min_confidence)
            self.sample.add(batch, texts)

    def detach_tallies(self, time_shift: int = 0) -> Tallies:
        """This container's tallies, detached (after ``run``; the run is spent); see
        RecordSample.detach for ``time_shift``."""
        return Tallies(self.cs.coverage, self.records, {p: t.detach() for p, t in self.tallies.items()},
                       self.text.tally.detach() if self.text else None, self.demographics,
                       self.sample.detach(time_shift))

    def absorb(self, part: Tallies) -> None:
        """Add the tallies of the next part of this container's file, in file order: the
        tallies one read of both would have built. (The row is the caller's: see
        spillguard.scanning.parts.)"""
        self.records += part.records
        for path, tally in part.fields.items():
            mine = self.tallies.get(path)
            if mine is None:
                mine = self.tallies[path] = FieldTally(path, on_new=self.demographics.add)
            mine.absorb(tally)
        if part.text is not None and self.text is not None:
            self.text.tally.absorb(part.text)
        self.demographics.absorb(part.demographics)
        self.sample.absorb(part.sample)

    def finish(self) -> list[Finding]:
        """Findings from absorbed tallies (instead of ``run``)."""
        self.cs.coverage.records = max(self.cs.coverage.records, self.records)
        return self._findings()

    def summary(self) -> ContainerSummary:
        """Container-level analysis, after ``run``: traces, re-identification, people."""
        findings = [f for f, _ in self.reported]
        identifiers: dict[str, DistinctCounter] = {}
        for f, t in self.reported:
            if f.entity in IDENTIFIER_ENTITIES:
                prev = identifiers.get(f.entity)
                identifiers[f.entity] = t.distinct if prev is None else prev.merge(t.distinct)
        row = self.cs.coverage
        trace = find_trace(self.sample, findings, row) if self.sample.n else None
        reid = reidentification(self.sample, findings) if self.sample.n else {}
        self.sample = RecordSample(self.keyed, 0)  # free the digests
        minors = int(self.demographics.as_dict().get("under_14", 0))
        return ContainerSummary(row, findings, trace, reid, ContainerPeople(row, identifiers, self.demographics), minors)

    def _findings(self) -> list[Finding]:
        best: dict[tuple[str, str], tuple[float, Finding, EntityTally]] = {}
        paths = frozenset(self.tallies)
        tallies = list(self.tallies.values()) + ([self.text.tally] if self.text else [])
        for tally in tallies:
            ctx = FieldContext(tally.path or None, paths - {tally.path})
            for t in tally.by_detector.values():
                t.settle()
                if not t.stats.validated:
                    continue
                t.stats.nonempty = tally.nonempty
                if tally.path == TEXT_FIELD:
                    conf, evidence = round(t.stats.mean_score, 2), []
                else:
                    conf, evidence = self.detectors[t.detector].confidence(t.stats, ctx)
                if conf < self.settings.min_confidence:
                    continue
                f = self._finding(tally, t, conf, evidence + t.evidence())
                key = (tally.path, t.entity)
                if key not in best or conf > best[key][0]:
                    best[key] = (conf, f, t)
        self.reported = [(f, t) for _, f, t in best.values()]
        return [f for f, _ in self.reported]

    def _finding(self, tally: FieldTally, t, conf: float, evidence: list[str]) -> Finding:
        row = self.cs.coverage
        field = tally.path or None
        distinct = t.distinct.count()
        records = t.records
        return Finding(
            target=row.target,
            path=row.path,
            container=row.container,
            field=field,
            entity=t.entity,
            category=entity_meta(t.entity).category,
            count=t.count,
            distinct=distinct,
            records=records,
            confidence=conf,
            severity=severity(t.entity, distinct, records),
            samples=tuple(t.samples),
            evidence=tuple(dict.fromkeys(evidence))[:6],
            fingerprint=self.keyed.fingerprint(row.target, row.path, row.container, field, t.entity),
            detector=t.detector,
        )


def _truncate(batch: Batch, n: int) -> Batch:
    """The first n records (lines, for text) of a batch."""
    if batch.text is None:
        return Batch({k: v[:n] for k, v in batch.columns.items()}, records=n)
    cut = 0
    for _ in range(n):
        pos = batch.text.find("\n", cut)
        if pos < 0:
            return Batch(text=batch.text, records=n, text_offset=batch.text_offset)
        cut = pos + 1
    return Batch(text=batch.text[:cut], records=n, text_offset=batch.text_offset)
