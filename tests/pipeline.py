"""Run the real scan pipeline (all detectors, overlap resolution, confidence) on values
held in memory: the boundary is a fake ContainerScan, nothing inside is patched."""

from __future__ import annotations

from typing import Any

from spillguard.detectors import registry
from spillguard.keys import Keyed
from spillguard.models import Batch, Coverage, Finding
from spillguard.scanning.container import ContainerRun
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan

KEY = Keyed(b"test-key-0123456789abcdef")


def run_batches(batches: list[Batch], kind: str = "records", min_confidence: float = 0.5) -> list[Finding]:
    settings = Settings(targets=["mem"], min_confidence=min_confidence, sample_size=0)
    cs = ContainerScan(Coverage("mem", "mem.csv", None), iter(batches), kind)
    return ContainerRun(cs, settings, registry(), KEY).run()


def scan_column(field: str, values: list[Any], siblings: tuple[str, ...] = (), **kw) -> list[Finding]:
    columns = {field: list(values)}
    for s in siblings:
        columns.setdefault(s, [None] * len(values))
    return run_batches([Batch(columns, records=len(values))], **kw)


def scan_text(text: str, **kw) -> list[Finding]:
    return run_batches([Batch(text=text, records=text.count("\n") + 1)], kind="text", **kw)


def entities(findings: list[Finding], field: str | None = "__any__") -> set[str]:
    return {f.entity for f in findings if field == "__any__" or f.field == field}
