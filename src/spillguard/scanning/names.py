"""Identifiers in names: what the names of a target's files, archive members, tables,
collections and keys give away by themselves.

Stores name things after the people in them (face photos saved as
``faces/11010519491231002X.jpg``, Redis keys ``session:13800138000``), and a listing of
names is often readable where the contents are not (a bucket that lists, a share that
shows its folders). So each container's name is read as a line of free text, with the
detectors' text path (keywords in the name count, as in any text, but never those of
another name), and the names of a target make one pseudo-container, ``(names)``: its
findings (how many names hold each entity, how many distinct values, masked samples)
and its identifiers go into the people estimate and the risk ratings like any
container's. Names are read once (a file with several tables gives its path once), and
only those that can hold an identifier (redaction.may_hold_identifier: the names the
reports would mask); memory stays at one chunk of names.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from spillguard.detectors.base import Detector
from spillguard.keys import Keyed
from spillguard.models import Batch, Coverage
from spillguard.redaction import GAP, may_hold_identifier
from spillguard.scanning.container import ContainerRun, ContainerSummary
from spillguard.scanning.text import CONTEXT
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan

NAMES = "(names)"  # the pseudo-container of a target's names
CHUNK_CHARS = 1 << 18  # names read per detector pass


class NameScan:
    """The names of one target's containers, as they are listed, read as the free text
    of one container (a ContainerRun: tallies, findings and people as for any other)."""

    def __init__(self, target: str, settings: Settings, detectors: Sequence[Detector], keyed: Keyed):
        self.row = Coverage(target, None, NAMES)
        self.run = ContainerRun(ContainerScan(self.row, iter(()), "text"), settings, detectors, keyed)
        self.names = 0
        self._pending: list[str] = []
        self._size = 0
        self._offset = 0
        self._last: tuple[str | None, str | None] = (None, None)

    def add(self, row: Coverage) -> None:
        """The names of one coverage row: its path (once for consecutive rows of one
        file) and its container (table, sheet, collection, key)."""
        path, container = row.path, row.container
        if path and path != self._last[0]:
            self._name(path)
        if container and (path, container) != self._last:
            self._name(container)
        self._last = (path, container)

    def _name(self, name: str) -> None:
        self.names += 1
        if not may_hold_identifier(name):  # the reports show it as it is, too
            return
        line = name.replace("\n", " ").replace("\r", " ").replace("\x00", " ")
        self._pending.append(line)
        self._size += len(line) + len(GAP)
        if self._size >= CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        if not self._pending:
            return
        chunk = GAP.join(self._pending) + "\n"
        # each chunk far from the last one: no chunk looks back on another's names
        self.run.read(Batch(text=chunk, records=len(self._pending), text_offset=self._offset))
        self._offset += len(chunk) + CONTEXT + 1
        self._pending, self._size = [], 0

    def summary(self) -> ContainerSummary | None:
        """The (names) pseudo-container, when its names hold anything: one finding per
        entity, and its identifiers for the people estimate."""
        self._flush()
        if not self.run.finish():
            return None
        self.row.records = self.names
        summary = self.run.summary()
        found = [replace(f, evidence=(f"in {f.records} of {self.names} names of files, members, tables or keys",
                                      *f.evidence)[:6]) for f in summary.findings]
        return replace(summary, findings=found)
