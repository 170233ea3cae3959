"""Structured data, a column at a time: every detector sees the whole column batch,
overlaps are resolved per cell, and the field tallies grow."""

from __future__ import annotations

from itertools import repeat
from operator import attrgetter
from typing import Any, Sequence

from spillguard.detectors.base import Detector, Hit, texts_of
from spillguard.detectors.context import FieldContext
from spillguard.detectors.gate import column_batch
from spillguard.keys import Keyed
from spillguard.models import Batch
from spillguard.scanning.aggregate import FieldTally, OnNew
from spillguard.scanning.overlap import resolve


_ROW = attrgetter("row")


def explode(path: str, values: list[Any]) -> tuple[list[Any], list[int]]:
    """Cells of a repeated field (``companions[].id_no``) hold lists: one entry per item,
    each remembering its record. Plain fields map one to one."""
    if "[]" not in path:
        return values, list(range(len(values)))
    cells: list[Any] = []
    records: list[int] = []
    for rec, v in enumerate(values):
        for item in v if isinstance(v, list) else [v]:
            cells.append(item)
            records.append(rec)
    return cells, records


def scan_batch(
    batch: Batch,
    tallies: dict[str, FieldTally],
    detectors: Sequence[Detector],
    keyed: Keyed,
    on_new: OnNew | None = None,
    floor: float = 0.0,
) -> dict[str, list[str | None]]:
    """Run every detector over every column of ``batch`` and add to ``tallies``, except
    where a detector's ``confidence_bound`` for the column's name is below ``floor`` (the
    scan's threshold: its hits there could never be reported). Returns the text form
    (``texts_of``) of each plain (not repeated) column's cells, for the record sample to
    reuse."""
    siblings = frozenset(batch.columns)
    columns = []
    for path, values in batch.columns.items():
        cells, records = explode(path, values)
        columns.append((path, cells, records, texts_of(cells)))
    with column_batch([texts for *_, texts in columns]):  # each gate runs once over all columns
        for path, cells, records, texts in columns:
            able = [d for d in detectors if d.confidence_bound(path) >= floor]
            _scan_column(path, cells, records, texts, tallies, able, keyed, on_new, siblings)
    return {path: texts for path, _, _, texts in columns if "[]" not in path}


def _scan_column(path: str, cells: list[Any], records: list[int], texts: list[str | None],
                 tallies: dict[str, FieldTally], detectors: Sequence[Detector], keyed: Keyed,
                 on_new: OnNew | None, siblings: frozenset[str]) -> None:
    """Every detector over one column of the batch; hits resolved per cell, tallied."""
    tally = tallies.get(path)
    if tally is None:
        tally = tallies[path] = FieldTally(path, on_new=on_new)
    nonempty = count_nonempty(texts, cells)
    tally.nonempty += nonempty
    if not nonempty:
        return
    ctx = FieldContext(path, siblings - {path})
    tagged: list[tuple[Hit, Detector]] = []
    for det in detectors:
        found, candidates, _ = det.scan_column(texts, cells, ctx)
        if candidates:
            tally.tally(det.id, det.entity).stats.candidates += candidates
        tagged.extend(zip(found, repeat(det)))  # pairs made in C
    kept: dict[str, list[Hit]] = {}  # by detector, in order of first hit
    for hit, det in resolve(tagged):
        got = kept.get(det.id)
        if got is None:
            got = kept[det.id] = []
            tally.tally(det.id, det.entity)
        got.append(hit)
    for det_id, hits in kept.items():
        t = tally.by_detector[det_id]
        t.stats.validated += len(hits)
        t.add_all(hits, keyed)
        cells = set(map(_ROW, hits))
        t.stats.rows += len(cells)
        t.add_records(len({records[c] for c in cells}))


_BINARY = (bytes, bytearray, memoryview, list)


def count_nonempty(texts: list[str | None], cells: list[Any]) -> int:
    """Cells with a text form, or binary (bytes, vectors) and not empty. Counted in C
    unless the column holds binary values (a Python step per cell was ~1 % of a CSV scan)."""
    n = len(texts) - texts.count(None)
    if n < len(texts) and any(issubclass(t, _BINARY) for t in set(map(type, cells))):
        n += sum(1 for t, v in zip(texts, cells) if t is None and _is_binary(v))
    return n


def _is_binary(v: Any) -> bool:
    return isinstance(v, _BINARY) and len(v) > 0
