"""The scan loop: targets -> sources -> containers -> batches -> tallies -> findings.

Every container gets a coverage row whatever happens to it; an exception inside one
container marks that row (with a reason code, never the exception text) and the scan
goes on with the next.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Callable, Sequence

from spillguard import __version__
from spillguard.detectors import registry as detector_registry
from spillguard.detectors.base import Detector
from spillguard.detectors.context import FieldContext
from spillguard.entities import entity as entity_meta
from spillguard.errors import LimitExceeded, safe_reason
from spillguard.keys import Keyed, load_key
from spillguard.credentials import parse_target
from spillguard.exposure import checks_for
from spillguard.exposure.base import CheckContext, run_check
from spillguard.models import Batch, Coverage, Exposure, Finding, ScanResult, TargetResult
from spillguard.scanning.aggregate import FieldTally
from spillguard.scanning.columns import scan_batch
from spillguard.scanning.text import TEXT_FIELD, TextScanner
from spillguard.settings import Settings
from spillguard.severity import severity
from spillguard.sources import mask_credentials, source_for
from spillguard.sources.base import ContainerScan

log = logging.getLogger("spillguard")

Progress = Callable[[str, Coverage], None]  # (event "start"|"done", row)


def _now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(settings: Settings, progress: Progress | None = None) -> ScanResult:
    keyed = Keyed(load_key())
    detectors = detector_registry()
    started = _now()
    plan = [(t, source_for(t)) for t in settings.targets]  # unknown target forms fail first
    targets: list[TargetResult] = []
    coverage: list[Coverage] = []
    findings: list[Finding] = []
    exposure: list[Exposure] = []
    for target, cls in plan:
        display = mask_credentials(target)
        result = TargetResult(display, cls.kind)
        rows_before = len(coverage)
        exposure.extend(_run_checks(target, cls.kind, settings))
        if not settings.read_data:
            targets.append(result)
            continue
        source = cls(target, settings, display)
        try:
            for cs in source.containers():
                coverage.append(cs.coverage)
                if progress:
                    progress("start", cs.coverage)
                findings.extend(ContainerRun(cs, settings, detectors, keyed).run())
                if progress:
                    progress("done", cs.coverage)
                _log_row(cs.coverage)
        except Exception as exc:  # the target itself failed (missing, unreachable, denied)
            result.status = "error" if len(coverage) == rows_before else "partial"
            result.reason = safe_reason(exc)
            log.warning("target %s: %s", display, result.reason)
        finally:
            source.close()
        if result.status == "complete":
            rows = coverage[rows_before:]
            if any(r.status in ("partial", "error") for r in rows):
                result.status, result.reason = "partial", "incomplete_containers"
        targets.append(result)
    return ScanResult(__version__, started, _now(), targets, coverage, findings, exposure)


def _run_checks(target: str, kind: str, settings: Settings) -> list[Exposure]:
    if not settings.run_checks:
        return []
    checks = checks_for(kind)
    if not checks:
        return []
    ctx = CheckContext(parse_target(target, settings.credentials_file), kind, settings)
    return [e for c in checks for e in run_check(c, ctx)]


def _log_row(row: Coverage) -> None:
    where = row.path or row.target
    if row.container:
        where += f" [{row.container}]"
    log.info("%s: %s%s, %d records", where, row.status, f" ({row.reason})" if row.reason else "", row.records)


class ContainerRun:
    """Reads one container within the sample limit and turns its tallies into findings."""

    def __init__(self, cs: ContainerScan, settings: Settings, detectors: Sequence[Detector], keyed: Keyed):
        self.cs = cs
        self.settings = settings
        self.detectors = {d.id: d for d in detectors}
        self.keyed = keyed
        self.tallies: dict[str, FieldTally] = {}
        self.text = TextScanner(detectors, keyed, settings.min_confidence) if cs.kind == "text" else None
        self.records = 0

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

    def _scan(self, batch: Batch) -> None:
        if batch.text is not None and self.text is not None:
            self.text.scan(batch)
        elif batch.columns:
            scan_batch(batch, self.tallies, list(self.detectors.values()), self.keyed)

    def _findings(self) -> list[Finding]:
        best: dict[tuple[str, str], tuple[float, Finding]] = {}
        paths = frozenset(self.tallies)
        tallies = list(self.tallies.values()) + ([self.text.tally] if self.text else [])
        for tally in tallies:
            ctx = FieldContext(tally.path or None, paths - {tally.path})
            for t in tally.by_detector.values():
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
                    best[key] = (conf, f)
        return [f for _, f in best.values()]

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
