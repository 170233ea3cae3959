"""A file scanned in parts by several workers (planned by spillguard.sources.split).

A worker scans its part like a container of its own and returns the part's tallies, not
findings: distinct counts cannot be added, the digests behind them can. The driver adds
the parts up in file order into one ContainerRun and makes the findings and the summary
from it exactly as one read of the file does: one coverage row (records and bytes
summed, the worst status and every reason), the same findings, people and risk.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from spillguard.detectors.base import Detector
from spillguard.keys import Keyed
from spillguard.models import Coverage
from spillguard.scanning.container import ContainerRun, ContainerSummary, Tallies
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan
from spillguard.sources.streams import Part, empty_scan

MISSING = "spark_task_failed"  # a part that never came back


@dataclass
class PartScan:
    """What a worker returns for one part: counts, keyed digests and masked samples."""

    no: int
    count: int
    tallies: Tallies


def scan_part(part: Part, cs: ContainerScan, before: str, settings: Settings, detectors: Sequence[Detector],
              keyed: Keyed, time_shift: int = 0) -> PartScan:
    """Scan one part; ``before`` is the text preceding a text part (looked back on);
    ``time_shift``: the scan's secret shift of sampled times (RecordSample.detach)."""
    container = ContainerRun(cs, settings, detectors, keyed)
    if container.text is not None and before:
        container.text.prime(before)
    container.run()
    return PartScan(part.no, part.count, container.detach_tallies(time_shift))


def failed_part(part: Part, row: Coverage, status: str, reason: str, settings: Settings, keyed: Keyed) -> PartScan:
    """A part whose file could not be opened: nothing counted, its row says why."""
    container = ContainerRun(empty_scan(row, status, reason), settings, [], keyed)
    return PartScan(part.no, part.count, container.detach_tallies())


class FileMerge:
    """The parts of one file, added up in part order as they arrive (a part that comes
    early waits for those before it), so the driver holds one running container per
    split file rather than all of its parts."""

    def __init__(self, row: Coverage, kind: str, count: int, settings: Settings, detectors: Sequence[Detector],
                 keyed: Keyed):
        """``row``: the file's coverage row as a one-read scan starts it (a size cap marked)."""
        self.row, self.count = row, count
        self._run = ContainerRun(ContainerScan(row, iter(()), kind), settings, detectors, keyed)
        self._next = 0
        self._waiting: dict[int, PartScan] = {}

    @property
    def absorbed(self) -> int:
        """Parts added up so far (the first ones, in file order)."""
        return self._next

    def add(self, part: PartScan) -> bool:
        """Take one part; True once every part is in."""
        self._waiting[part.no] = part
        while self._next in self._waiting:
            self._absorb(self._waiting.pop(self._next))
            self._next += 1
        return self._next == self.count

    def summary(self) -> ContainerSummary:
        """The file's summary; parts that never came back mark its row."""
        if self._next < self.count:
            self.row.mark("error", MISSING)
            for no in sorted(self._waiting):  # what did come back is kept
                self._absorb(self._waiting.pop(no))
        self._run.finish()
        if self.row.status in ("skipped", "error") and self.row.records:
            self.row.status = "partial"  # as a read that failed after some records (ContainerRun.run)
        return self._run.summary()

    def _absorb(self, part: PartScan) -> None:
        self._run.absorb(part.tallies)
        _add_row(self.row, part.tallies.row)
        self.row.records = self._run.records  # so far, for progress (finish sets it for good)


def _add_row(row: Coverage, part: Coverage) -> None:
    """Bytes add up; statuses and reasons are marked in part order, as one read would
    have met them (Coverage.mark keeps the worst status and every reason once)."""
    row.bytes += part.bytes
    for reason in (part.reason or "").split("; "):
        row.mark(part.status, reason or None)
