"""The reporter contract and the orderings every report format shares.

A reporter turns a finished ScanResult into text. It sees only the ScanResult: samples
are already masked by the masker, and a reporter never adds, unmasks or derives values.
Output is deterministic: the same ScanResult renders to the same bytes.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from spillguard.models import SEVERITIES, Coverage, Exposure, Finding, ScanResult

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
