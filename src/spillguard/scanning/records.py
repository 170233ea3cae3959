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
from typing import Any

from spillguard.detectors.base import to_text
from spillguard.keys import Keyed
from spillguard.models import Batch

MAX_RECORDS = 10_000
MAX_FIELDS = 64
NONE = 0  # digest of an empty cell
_TIME = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?")
_EPOCH_LO, _EPOCH_HI = 946_684_800, 4_102_444_800  # 2000-01-01 .. 2100-01-01


def parse_time(text: str) -> float:
    """Epoch seconds of a date/time string or epoch number (s or ms); NaN if none."""
    t = text.strip()
    if t.isdigit() and len(t) in (10, 13):
        v = int(t) / (1000 if len(t) == 13 else 1)
        return float(v) if _EPOCH_LO <= v < _EPOCH_HI else math.nan
    m = _TIME.match(t)
    if not m:
        return math.nan
    try:
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        hh, mm, ss = (int(m.group(i) or 0) for i in (4, 5, 6))
        return datetime(y, mo, d, hh, mm, ss, tzinfo=timezone.utc).timestamp()
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

    def add(self, batch: Batch) -> None:
        take = min(batch.records, self.limit - self.n)
        if take <= 0 or not batch.columns:
            return
        for path, values in batch.columns.items():
            if "[]" in path or (path not in self.digests and len(self.digests) >= MAX_FIELDS):
                continue
            if path not in self.digests:
                self.digests[path] = array("Q", [NONE] * self.n)
                self.times[path] = array("d", [math.nan] * self.n)
            d, t = self.digests[path], self.times[path]
            seen: dict[str, tuple[int, float]] = {}  # a column repeats values: each is read once a batch
            for v in values[:take]:
                text = _cell_text(v)
                if text is None:
                    d.append(NONE)
                    t.append(math.nan)
                    continue
                cell = seen.get(text)
                if cell is None:
                    cell = seen[text] = (self._digest(text), parse_time(text) if len(text) <= 32 else math.nan)
                d.append(cell[0])
                t.append(cell[1])
        self.n += take
        for path in self.digests:  # fields missing from this batch
            d, t = self.digests[path], self.times[path]
            while len(d) < self.n:
                d.append(NONE)
                t.append(math.nan)

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

    def _digest(self, text: str) -> int:
        value = " ".join(text.split()).lower()
        return int.from_bytes(self._keyed.value_hash("cell", value)[:8], "big") or 1


def _cell_text(v: Any) -> str | None:
    if isinstance(v, bool):
        return str(v)
    return to_text(v)
