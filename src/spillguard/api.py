"""scan(settings) -> ScanResult: the one entry point for the CLI and for library callers."""

from __future__ import annotations

from typing import Callable

from spillguard.models import Coverage, ScanResult
from spillguard.settings import Settings


def scan(settings: Settings, progress: Callable[[str, Coverage], None] | None = None) -> ScanResult:
    """Scan every target in ``settings``; ``progress(event, coverage_row)`` is called as
    each container starts ("start") and ends ("done")."""
    from spillguard.scanning.engine import run

    return run(settings, progress)
