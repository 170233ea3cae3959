"""scan(settings) -> ScanResult: the one entry point for the CLI and for library callers."""

from __future__ import annotations

from spillguard.models import ScanResult
from spillguard.settings import Settings


def scan(settings: Settings) -> ScanResult:
    from spillguard.scanning.engine import run

    return run(settings)
