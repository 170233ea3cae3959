"""``--jobs N``: the per-file engine of :mod:`spillguard.spark`, with N local worker
processes instead of Spark executors. Same listing, same per-file scan, same assessment,
so the result equals a sequential scan's (findings, fingerprints, people, risk). With
``--sample-size 0`` a big text, JSON Lines, CSV or Parquet file is scanned in parts by
several workers and added up to the same result (see spillguard.sources.split).

Only files, directories and ``s3://`` targets are spread out; a scan that names a
database runs sequentially (one connection per store is the gentle choice anyway).
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import TYPE_CHECKING, Any, Callable

from spillguard.keys import Keyed
from spillguard.models import Coverage, ScanResult
from spillguard.runtime import tune_gc
from spillguard.scanning.container import ContainerSummary
from spillguard.scanning.engine import DEMOGRAPHICS
from spillguard.settings import Settings
from spillguard.sources import source_for
from spillguard.spark import split
from spillguard.spark.tasks import TargetSpec, Unit, new_time_shift, scan_units

if TYPE_CHECKING:
    from spillguard.spark.engine import Reporter

log = logging.getLogger("spillguard")
SPREAD_KINDS = ("files", "s3")


def can_spread(settings: Settings) -> bool:
    return settings.jobs > 1 and all(source_for(t).kind in SPREAD_KINDS for t in settings.targets)


def run(settings: Settings, progress: Callable[[str, Coverage], None] | None = None) -> ScanResult:
    from spillguard.spark import engine

    return engine.run(settings, progress=progress, execute=_execute_processes)


def _scan_group(group: list[Unit], **kw) -> list[tuple[int, Any]]:
    return list(scan_units([group], **kw))


def _execute_processes(
    units: list[Unit], settings: Settings, specs: list[TargetSpec], key: bytes, master: str | None,
    reporter: Reporter | None = None,
) -> dict[int, list[ContainerSummary]]:
    """Scan every unit in ``settings.jobs`` worker processes: {unit index: summaries}.
    A big file is scanned in parts (spark/split.py). Largest tasks first, dealt
    round-robin into more groups than workers so one big file does not leave the other
    workers idle at the end; ``reporter`` hears of each group's results as it finishes."""
    tasks = split.expand(units, specs, settings, settings.jobs)
    order = split.order(tasks)
    n_groups = min(len(order), settings.jobs * 8)
    groups = [order[i::n_groups] for i in range(n_groups)]
    body = functools.partial(_scan_group, settings=settings, targets=specs, key=key,
                             people_key=Keyed(key).derived(DEMOGRAPHICS), time_shift=new_time_shift())
    if len(order) <= 1:  # one file: nothing to spread, spare the worker start-up
        return split.gather(body(order), tasks, specs, settings, key)
    gather = split.Gather(tasks, specs, settings, key)  # parts are added up as they come back
    # spawn: the parent may run a progress thread; forking a threaded process is unsafe
    with ProcessPoolExecutor(settings.jobs, mp_context=multiprocessing.get_context("spawn"),
                             initializer=tune_gc) as pool:
        for future in as_completed([pool.submit(body, g) for g in groups]):
            for index, got in future.result():
                still_open = gather.add(index, got)
                if reporter is None:
                    continue
                if still_open is not None:
                    reporter.part(still_open)  # a split file: bytes and records so far
                elif index in gather.done:
                    reporter.unit(index, gather.done[index])
    return gather.result()
