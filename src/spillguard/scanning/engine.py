"""The scan loop: targets -> sources -> containers -> batches -> tallies -> findings.

Every container gets a coverage row whatever happens to it; an exception inside one
container marks that row (with a reason code, never the exception text) and the scan
goes on with the next.
"""

from __future__ import annotations

import logging
from datetime import datetime, timezone
from typing import Callable

from spillguard import __version__
from spillguard.detectors import registry as detector_registry
from spillguard.errors import safe_reason
from spillguard.keys import Keyed, load_key
from spillguard.credentials import parse_target
from spillguard.exposure import checks_for
from spillguard.exposure.base import CheckContext, run_check
from spillguard.models import Coverage, Exposure, Finding, ScanResult, TargetResult
from spillguard.redaction import redact_result
from spillguard.analysis import people as people_module
from spillguard.analysis.people import PeopleTally
from spillguard.scanning.assess import assess
from spillguard.scanning.container import ContainerRun, ContainerSummary
from spillguard.scanning.names import NameScan
from spillguard.settings import Settings
from spillguard.sources import mask_credentials, source_for

log = logging.getLogger("spillguard")

DEMOGRAPHICS = "demographics"  # purpose of the key resident IDs are digested under
Progress = Callable[[str, Coverage], None]  # (event "start"|"batch"|"done", row)


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def run(settings: Settings, progress: Progress | None = None) -> ScanResult:
    keyed = Keyed(load_key())
    people_module.use_key(keyed.derived(DEMOGRAPHICS))  # the same estimates in every run
    detectors = detector_registry()
    started = utc_now()
    plan = [(t, source_for(t)) for t in settings.targets]  # unknown target forms fail first
    targets: list[TargetResult] = []
    coverage: list[Coverage] = []
    findings: list[Finding] = []
    exposure: list[Exposure] = []
    summaries: list[ContainerSummary] = []
    people = PeopleTally()
    reach: dict[str, list[Exposure]] = {}
    for target, cls in plan:
        display = mask_credentials(target)
        result = TargetResult(display, cls.kind)
        rows_before = len(coverage)
        reach[display] = run_checks(target, cls.kind, settings)
        exposure.extend(reach[display])
        if not settings.read_data:
            targets.append(result)
            continue
        source = cls(target, settings, display)
        names = NameScan(display, settings, detectors, keyed)
        try:
            for cs in source.containers():
                coverage.append(cs.coverage)
                names.add(cs.coverage)
                if progress:
                    progress("start", cs.coverage)
                on_batch = (lambda row: progress("batch", row)) if progress else None
                container = ContainerRun(cs, settings, detectors, keyed, on_batch)
                container.run()
                gather(container.summary(), findings, people, summaries)
                if progress:
                    progress("done", cs.coverage)
                log_row(cs.coverage)
        except Exception as exc:  # the target itself failed (missing, unreachable, denied)
            result.status = "error" if len(coverage) == rows_before else "partial"
            result.reason = safe_reason(exc)
            log.warning("target %s: %s", display, result.reason)
        finally:
            source.close()
        named = names.summary()  # identifiers in the names listed, read or not
        if named is not None:
            gather(named, findings, people, summaries)
        if result.status == "complete":
            rows = coverage[rows_before:]
            if any(r.status in ("partial", "error") for r in rows):
                result.status, result.reason = "partial", "incomplete_containers"
        targets.append(result)
    traces, blocks, risk = assess(summaries, reach, people)
    result = ScanResult(__version__, started, utc_now(), targets, coverage, findings, exposure, traces, blocks, risk)
    return redact_result(result)  # identifiers in names: masked (redaction.py)


def gather(summary: ContainerSummary, findings: list[Finding], people: PeopleTally,
           summaries: list[ContainerSummary]) -> None:
    """One container's summary into the scan's: its findings, its people folded into the
    tally, the rest kept without its counters (memory stays flat)."""
    findings.extend(summary.findings)
    people.add(summary.people)
    summaries.append(summary.without_people())


def run_checks(target: str, kind: str, settings: Settings) -> list[Exposure]:
    if not settings.run_checks:
        return []
    checks = checks_for(kind)
    if not checks:
        return []
    ctx = CheckContext(parse_target(target, settings.credentials_file), kind, settings)
    return [e for c in checks for e in run_check(c, ctx)]


def log_row(row: Coverage) -> None:
    where = row.path or row.target
    if row.container:
        where += f" [{row.container}]"
    log.info("%s: %s%s, %d records", where, row.status, f" ({row.reason})" if row.reason else "", row.records)
