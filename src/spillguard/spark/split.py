"""Big files in parts, for both spreading engines (``--jobs``, Spark).

``expand`` turns the units of a scan into tasks: a unit whose file splits (see
spillguard.sources.split) becomes one task per part, the others stay as they are.
``Gather`` (``gather``) turns what the tasks return back into {unit index: summaries}:
a split file's parts are added up into its one summary (spillguard.scanning.parts), so
the engine sees one result per file, as without splitting, and reports it once.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable

from spillguard.detectors import registry as detector_registry
from spillguard.keys import Keyed
from spillguard.models import Coverage
from spillguard.scanning.container import ContainerSummary
from spillguard.scanning.parts import FileMerge, PartScan
from spillguard.settings import Settings
from spillguard.sources.split import plan
from spillguard.spark.tasks import TargetSpec, Unit


def expand(units: list[Unit], specs: list[TargetSpec], settings: Settings, workers: int) -> list[Unit]:
    """The tasks of a scan: each unit, or one per part of its file (local files only:
    an S3 object stays whole)."""
    tasks: list[Unit] = []
    for unit in units:
        local = specs[unit.target_no].kind == "files"
        parts = plan(unit.where, unit.rel, unit.size, settings, workers) if local else []
        if len(parts) < 2:
            tasks.append(unit)
        else:
            tasks.extend(replace(unit, size=p.weight, part=p) for p in parts)
    return tasks


def order(tasks: list[Unit]) -> list[Unit]:
    """Largest first, so that a big file or part does not leave the other workers idle
    at the end; ties in listing and part order."""
    return sorted(tasks, key=lambda u: (-u.size, u.index, u.part.no if u.part else -1))


class Gather:
    """Collects what the tasks return into {unit index: summaries} as it arrives: a split
    file's parts are added up (scanning.parts.FileMerge) into its one summary."""

    def __init__(self, tasks: list[Unit], specs: list[TargetSpec], settings: Settings, key: bytes):
        self.done: dict[int, list[ContainerSummary]] = {}
        self._units = {t.index: t for t in tasks if t.part is not None}
        self._specs, self._settings, self._key = specs, settings, key
        self._files: dict[int, FileMerge] = {}

    def add(self, index: int, got: Any) -> Coverage | None:
        """One task's (unit index, summaries or PartScan). What is done is in ``done``;
        for a split file with parts still out, returns its row when this part added to
        it (a part that came early waits for those before it: None)."""
        if not isinstance(got, PartScan):
            self.done[index] = got
            return None
        merge = self._files.get(index) or self._start(index)
        before = merge.absorbed
        if merge.add(got):
            self.done[index] = [self._files.pop(index).summary()]
            return None
        return merge.row if merge.absorbed > before else None

    def result(self) -> dict[int, list[ContainerSummary]]:
        for index, merge in self._files.items():  # parts missing: what came back is kept
            self.done[index] = [merge.summary()]
        self._files.clear()
        return self.done

    def _start(self, index: int) -> FileMerge:
        unit = self._units[index]
        row = Coverage(self._specs[unit.target_no].display, unit.rel, None)
        if unit.part.capped:
            row.mark("partial", "size_limit")  # as FilesSource._file marks it before reading
        merge = self._files[index] = FileMerge(row, unit.part.kind, unit.part.count, self._settings,
                                               detector_registry(), Keyed(self._key))
        return merge


def gather(results: Iterable[tuple[int, Any]], tasks: list[Unit], specs: list[TargetSpec], settings: Settings,
           key: bytes) -> dict[int, list[ContainerSummary]]:
    """{unit index: summaries} from (unit index, summaries or PartScan) pairs."""
    g = Gather(tasks, specs, settings, key)
    for index, got in results:
        g.add(index, got)
    return g.result()
