"""Free text (logs, documents), a chunk at a time. Hits carry positions; a hit found
twice in the overlap between two chunks is counted once (by absolute position)."""

from __future__ import annotations

import bisect
import inspect
import re
from typing import Sequence

from spillguard.detectors.base import Detector, Hit
from spillguard.keys import Keyed
from spillguard.models import Batch
from spillguard.scanning.aggregate import FieldTally, OnNew
from spillguard.scanning.overlap import resolve

_NEWLINE = re.compile("\n")
TEXT_FIELD = ""  # tallies key for free text; reported as field null


class TextScanner:
    def __init__(self, detectors: Sequence[Detector], keyed: Keyed, min_confidence: float, on_new: OnNew | None = None):
        self.detectors = [d for d in detectors if type(d).scan_text is not Detector.scan_text]
        # a plugin written before scan_text took a floor is called with the text alone
        self._floored = {d.id for d in self.detectors if "floor" in inspect.signature(d.scan_text).parameters}
        self.keyed = keyed
        self.min_confidence = min_confidence
        self.tally = FieldTally(TEXT_FIELD, on_new=on_new)
        self._seen: set[tuple[str, int]] = set()  # (entity, absolute start) in the last chunk

    def scan(self, batch: Batch) -> None:
        text = batch.text or ""
        self.tally.nonempty += 1 if text.strip() else 0
        tagged: list[tuple[Hit, Detector]] = []
        for det in self.detectors:
            found = det.scan_text(text, self.min_confidence) if det.id in self._floored else det.scan_text(text)
            for h in found:
                if h.score >= self.min_confidence:
                    tagged.append((h, det))
        newlines: list[int] | None = None
        seen_now: set[tuple[str, int]] = set()
        lines_by_det: dict[str, set[int]] = {}
        for hit, det in resolve(tagged):
            key = (det.entity, batch.text_offset + hit.start)
            seen_now.add(key)
            if key in self._seen:
                continue
            if newlines is None:
                newlines = [m.start() for m in _NEWLINE.finditer(text)]  # C-speed scan, not per character
            t = self.tally.tally(det.id, det.entity)
            t.stats.candidates += 1
            t.stats.validated += 1
            t.stats.rows += 1
            t.add(hit, self.keyed)
            lines_by_det.setdefault(det.id, set()).add(bisect.bisect_left(newlines, hit.start))
        for det_id, lines in lines_by_det.items():
            self.tally.by_detector[det_id].add_records(len(lines))
        self._seen = seen_now
