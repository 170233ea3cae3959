"""A bounded, value-free sample of whole records for container-level analysis (location
traces, re-identification risk).

Per field and record it keeps an 8-byte keyed digest of the normalised value (equal
values -> equal digests, nothing reversible without the key) and, when the value reads
as a point in time, its epoch seconds. Raw values are never kept. At most
``MAX_RECORDS`` records and ``MAX_FIELDS`` scalar fields per container, in fixed-width
arrays: ~16 bytes per cell.
"""

from __future__ import annotations

import math
import re
from array import array
from datetime import datetime, timezone
from functools import lru_cache
from itertools import repeat
from typing import Any, Iterable

import numpy as np

from spillguard.detectors.base import to_text
from spillguard.keys import Keyed
from spillguard.models import Batch

MAX_RECORDS = 10_000
MAX_FIELDS = 64
NONE = 0  # digest of an empty cell
_TIME = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_EPOCH_LENGTHS, _DATE_SEPARATORS = frozenset((10, 13)), frozenset("-/.年")
_EPOCH_LO, _EPOCH_HI = 946_684_800, 4_102_444_800  # 2000-01-01 .. 2100-01-01


def parse_time(text: str) -> float:
    """Epoch seconds of a date/time string or epoch number (s or ms); NaN if none."""
    t = text.strip()
    if t.isdecimal() and len(t) in _EPOCH_LENGTHS:  # not isdigit(): int() refuses "¹²³"
        v = int(t) / (1000 if len(t) == 13 else 1)
        return float(v) if _EPOCH_LO <= v < _EPOCH_HI else math.nan
    m = _TIME.match(t)
    if not m:
        return math.nan
    y, mo, d, hh, mm, ss = m.groups("0")
    hh, mm, ss = int(hh), int(mm), int(ss)
    if hh > 23 or mm > 59 or ss > 59:  # a clock datetime() rejects; _midnight checks the day
        return math.nan
    return _midnight(y, mo, d) + (hh * 3600 + mm * 60 + ss)


@lru_cache(maxsize=4096)
def _midnight(y: str, mo: str, d: str) -> float:
    """Epoch seconds of a day's start (UTC); NaN if there is no such day. Cached: a
    column's times fall on far fewer days than it has cells."""
    try:
        return datetime(int(y), int(mo), int(d), tzinfo=timezone.utc).timestamp()
    except ValueError:
        return math.nan


class RecordSample:
    def __init__(self, keyed: Keyed, limit: int = MAX_RECORDS):
        self._keyed = keyed
        self.limit = limit
        self.n = 0
        self.digests: dict[str, array] = {}
        self.times: dict[str, array] = {}

    @property
    def fields(self) -> list[str]:
        return list(self.digests)

    def add(self, batch: Batch, texts: dict[str, list[str | None]] | None = None) -> None:
        """Append the batch's records until the limit. ``texts``: the ``to_text`` form of
        each plain column's cells, when the caller has it (``columns.scan_batch``)."""
        take = min(batch.records, self.limit - self.n)
        if take <= 0 or not batch.columns:
            return
        for path, values in batch.columns.items():
            if "[]" in path or (path not in self.digests and len(self.digests) >= MAX_FIELDS):
                continue
            if path not in self.digests:
                self.digests[path], self.times[path] = _empty_cells(self.n)
            column = _cell_texts(values[:take], texts.get(path) if texts else None)
            distinct = dict.fromkeys(column)  # a column repeats values: each is read once a batch
            distinct.pop(None, None)
            normal = [" ".join(t.split()).lower() for t in distinct]
            self.digests[path].extend(_spread(self._digests(normal), distinct, column))
            times = _times(distinct, normal)
            self.times[path].extend(map(times.get, column, repeat(math.nan)) if times else _nans(len(column)))
        self.n += take
        for path, d in self.digests.items():  # fields missing from this batch
            digests, times = _empty_cells(self.n - len(d))
            d.extend(digests)
            self.times[path].extend(times)

    def detach(self, time_shift: int = 0) -> "RecordSample":
        """This sample without its key, to be sent to another process: keyed digests, and
        times moved by ``time_shift`` seconds, a secret of the scan (the same for all its
        parts), so that no date read from a value leaves the worker as it was. The trace
        analysis uses only differences, order and equality of times, which a common
        shift keeps."""
        self._keyed = None  # type: ignore[assignment]
        if time_shift:
            for path, times in self.times.items():
                self.times[path] = array("d", (t + time_shift for t in times))  # NaN stays NaN
        return self

    def absorb(self, other: "RecordSample") -> None:
        """Append a later part's records (a split file) until the limit: the records a
        sample of one pass would hold. A field new in ``other`` joins only when one of
        the records taken has it (one pass adds a field when a batch holding it arrives
        before the sample is full; a field first seen past that point stays out)."""
        take = min(other.n, self.limit - self.n)
        if take <= 0:
            return
        for path, d in other.digests.items():
            if path in self.digests or len(self.digests) >= MAX_FIELDS:
                continue
            if any(d[:take]):  # a parsed time implies a digest
                self.digests[path] = array("Q", [NONE] * self.n)
                self.times[path] = array("d", [math.nan] * self.n)
        for path, d in self.digests.items():
            if path in other.digests:
                d.extend(other.digests[path][:take])
                self.times[path].extend(other.times[path][:take])
            else:
                d.extend([NONE] * take)
                self.times[path].extend([math.nan] * take)
        self.n += take

    def _digests(self, normal: list[str]) -> array:
        """The 8-byte keyed digests of normalised texts: each hash's first 8 bytes read
        big-endian, 0 (an empty cell) moved to 1."""
        hashes = np.frombuffer(b"".join(self._keyed.value_hashes("cell", normal)), dtype=">u8")
        first = hashes[::2]  # 16-byte hashes: two 8-byte words each
        return array("Q", np.maximum(first, 1).astype(np.uint64).tobytes())


def _cell_texts(values: list[Any], texts: list[str | None] | None) -> list[str | None]:
    """Each cell's text: ``to_text``, except that a bool reads as True/False."""
    if texts is None:
        return [str(v) if isinstance(v, bool) else to_text(v) for v in values]
    texts = texts[:len(values)]
    if None in texts and bool in set(map(type, values)):  # to_text gives None for a bool
        return [str(v) if isinstance(v, bool) else t for t, v in zip(texts, values)]
    return texts


def _times(texts: Iterable[str], normal: list[str]) -> dict[str, float]:
    """Epoch seconds of those ``texts`` that read as a time. Their normalised forms give a
    cheap pre-check, as most cells are none: parse_time reads an epoch of 10 or 13 digits
    or a date with a separator after its 4-digit year, and normalising (no space or case
    in them) keeps those as they are."""
    return {t: seconds for t, n in zip(texts, normal)
            if (len(n) in _EPOCH_LENGTHS or n[4:5] in _DATE_SEPARATORS) and len(t) <= 32
            and not math.isnan(seconds := parse_time(t))}


def _spread(digests: array, distinct: dict[str, None], column: list[str | None]) -> array:
    """The digests of ``distinct`` (in its order) laid out over the column's cells."""
    others = len(column) - len(distinct)  # cells that are empty or repeat an earlier one
    if not others:  # already in place
        return digests
    if column.count(None) == others:  # no repeats: the filled cells in order
        filled = iter(digests).__next__
        return array("Q", [NONE if t is None else filled() for t in column])
    by_text = dict(zip(distinct, digests))
    by_text[None] = NONE
    return array("Q", map(by_text.__getitem__, column))


def _empty_cells(n: int) -> tuple[array, array]:
    """Digests and times of ``n`` empty cells."""
    return array("Q", bytes(8 * n)), _nans(n)


def _nans(n: int) -> array:
    return array("d", [math.nan]) * n
