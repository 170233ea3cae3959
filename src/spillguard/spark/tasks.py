"""The two halves of a Spark scan that are not Spark: listing a target into units of work
on the driver, and scanning units inside an executor. No pyspark import here.

Listing reuses the sources' own walk: ``FilesSource.containers()`` (recursive, sorted,
include/exclude globs via ``spillguard.sources.files._matches``, symlink rules) and
``S3Source.containers()`` (paginated ListObjectsV2, the same globs) with the per-file
step (``FilesSource._file`` / ``S3Source._object``) replaced by "remember this file".
So the driver reads no data, and every row the walk itself decides (a symlink leaving
the target, a loop, ``no_objects`` ...) is the very row a local scan would write.

An executor runs the per-file step that the listing skipped, with the same arguments a
local scan passes it, so each file yields exactly the ContainerScans (flat file, archive
members, SQLite tables) and coverage rows of a local scan, labelled with the lake target
and the path relative to it. Each container then goes through the ordinary
``ContainerRun`` (the same detectors, sampling and fingerprints) and comes back as its
``ContainerSummary``: coverage row, findings, trace, re-identification block and the
people counters (keyed digests only, never a value).

A unit may also be one part of a big file (``Unit.part``, see spark/split.py): the
executor then scans only that part and returns its tallies (``scanning.parts.PartScan``),
which the driver adds up with the other parts'.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from typing import Any, Iterable, Iterator

from spillguard.errors import safe_reason
from spillguard.keys import Keyed
from spillguard.models import Coverage
from spillguard.scanning.container import ContainerRun, ContainerSummary
from spillguard.scanning.parts import PartScan, failed_part, scan_part
from spillguard.scanning.text import CONTEXT
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan
from spillguard.sources.files import FilesSource
from spillguard.sources.s3 import S3Source
from spillguard.sources.streams import empty_scan

# only the listing fields S3Source._object reads (LastModified & co. stay on the driver)
_OBJECT_FIELDS = ("Key", "Size", "ETag", "StorageClass")


@dataclass(frozen=True)
class Unit:
    """One file or object: the unit of work. Holds no secret (the target, which may carry
    credentials, travels in the task closure and is referred to by ``target_no``)."""

    index: int  # position in the scan's listing: results are put back in this order
    target_no: int
    rel: str  # path relative to the target, as in coverage rows
    where: Any  # absolute path (files) or (bucket, object listing fields) (s3)
    size: int  # bytes, for scheduling the largest files first
    part: Any = None  # a streams.Part when the file is scanned in parts (spark/split.py)


@dataclass(frozen=True)
class TargetSpec:
    """What an executor needs to open a target's files: travels in the task closure."""

    target: str  # as given (may hold credentials: never shown)
    display: str  # credentials masked
    kind: str  # "files" | "s3"
    s3: Any = None  # the S3Target resolved on the driver (URI / credentials-file secrets)


@dataclass(frozen=True)
class Listed:
    """A file found by the listing, to be scanned by an executor."""

    rel: str
    where: Any
    size: int


class _FileLister(FilesSource):
    def _file(self, path: str, rel: str) -> Iterator[Any]:  # type: ignore[override]
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # the executor writes the row that says why
        yield Listed(rel, os.path.abspath(path), size)


class _S3Lister(S3Source):
    def _object(self, bucket: str, obj: dict, rel: str) -> Iterator[Any]:  # type: ignore[override]
        meta = {k: obj[k] for k in _OBJECT_FIELDS if k in obj}
        yield Listed(rel, (bucket, meta), int(obj.get("Size") or 0))


def lister(kind: str, target: str, settings: Settings, display: str):
    """A source whose ``containers()`` yields ``Listed`` files and ready-made rows
    (ContainerScan with no batches) in the order of a local scan."""
    return (_FileLister if kind == "files" else _S3Lister)(target, settings, display)


# ---- executor side -------------------------------------------------------------------
_DETECTORS: list | None = None


def _detectors() -> list:
    global _DETECTORS  # once per Python worker (workers are reused across tasks)
    if _DETECTORS is None:
        from spillguard.detectors import registry

        _DETECTORS = registry()
    return _DETECTORS


def scan_units(
    groups: Iterable[list[Unit]], settings: Settings, targets: list[TargetSpec], key: bytes, people_key: bytes,
    time_shift: int = 0,
) -> Iterator[tuple[int, list[ContainerSummary] | PartScan]]:
    """mapPartitions body: (unit index, summaries of its containers) for every unit, or
    (unit index, PartScan) for a part of a split file.

    ``people_key`` replaces the per-process key of ``spillguard.analysis.people`` for
    the duration of the task, so resident-ID demographics from different executors are
    digested alike and a person in two files is counted once, as in one process (the
    engines pass the key a local scan uses, so the estimates also equal a local scan's).
    ``time_shift``: see ``new_time_shift``."""
    from spillguard.analysis import people

    keyed = Keyed(key)
    detectors = _detectors()
    clients: dict[Any, Any] = {}
    saved = people._PROCESS_KEY
    people._PROCESS_KEY = people_key
    out: list[tuple[int, list[ContainerSummary] | PartScan]] = []
    try:
        for group in groups:
            for unit in group:
                spec = targets[unit.target_no]
                if unit.part is not None:
                    out.append((unit.index, scan_file_part(unit, spec, settings, detectors, keyed, time_shift)))
                else:
                    out.append((unit.index, scan_unit(unit, spec, settings, detectors, keyed, clients)))
    finally:
        people._PROCESS_KEY = saved
        for client in clients.values():
            try:
                client.close()
            except Exception:
                pass
    return iter(out)


def scan_unit(
    unit: Unit, spec: TargetSpec, settings: Settings, detectors: list, keyed: Keyed, clients: dict,
) -> list[ContainerSummary]:
    """The engine's inner loop over one file's containers. Never raises: a failure that
    escapes the source becomes the file's error row (reason code only, never a text)."""
    summaries: list[ContainerSummary] = []

    def run(cs: ContainerScan) -> None:
        container = ContainerRun(cs, settings, detectors, keyed)
        container.run()
        summaries.append(container.summary())

    try:
        for cs in _containers(unit, spec, settings, clients):
            run(cs)
    except Exception as exc:
        if not any(s.row.path == unit.rel and s.row.container is None for s in summaries):
            run(empty_scan(Coverage(spec.display, unit.rel, None), "error", safe_reason(exc)))
    return summaries


def new_time_shift() -> int:
    """A scan's secret shift of the times a part's record sample carries to the driver
    (RecordSample.detach), within about ±34 years: drawn once per scan on the driver and
    passed to every task like the keys, so all parts of a scan move their times alike."""
    return secrets.randbelow(1 << 32) - (1 << 31)


def scan_file_part(unit: Unit, spec: TargetSpec, settings: Settings, detectors: list, keyed: Keyed,
                   shift: int = 0) -> PartScan:
    """One part of a split file: its tallies (detached, see scanning.parts). Never
    raises: a part that cannot be opened comes back empty with its row's reason."""
    try:
        cs, before = FilesSource(spec.target, settings, spec.display).part(unit.where, unit.rel, unit.part, CONTEXT)
    except Exception as exc:
        row = Coverage(spec.display, unit.rel, None)
        return failed_part(unit.part, row, "error", safe_reason(exc), settings, keyed)
    return scan_part(unit.part, cs, before, settings, detectors, keyed, shift)


def _containers(unit: Unit, spec: TargetSpec, settings: Settings, clients: dict) -> Iterator[ContainerScan]:
    if spec.kind == "files":
        return FilesSource(spec.target, settings, spec.display)._file(unit.where, unit.rel)
    from spillguard.exposure._s3 import Health, make_client

    source = S3Source(spec.target, settings, spec.display)
    client = clients.get(unit.target_no)
    if client is None:
        client, _ = make_client(spec.s3, settings, read_timeout=settings.limits.query_timeout_s)
        clients[unit.target_no] = client
    source._client, source._health = client, Health()
    bucket, obj = unit.where
    return source._object(bucket, obj, unit.rel)
