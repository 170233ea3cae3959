"""Free text (logs, documents), a chunk at a time. Hits carry positions; a hit found
twice in the overlap between two chunks is counted once (by absolute position).

Each chunk is scanned behind the last ``CONTEXT`` characters before it, so a keyword at
the end of one line still supports an ID at the start of the next, and a passport zone
across two chunks is seen whole, wherever the chunks (or the parts of a split file) were
cut. A hit that ends before the chunk starts was the previous chunk's to count."""

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
CONTEXT = 256  # characters looked back on: above every keyword window (48) and an MRZ's lines


class TextDetectors:
    """The detectors with a free-text path, and how each is called: a plugin written
    before ``scan_text`` took a floor is called with the text alone."""

    def __init__(self, detectors: Sequence[Detector]):
        self.detectors = [d for d in detectors if type(d).scan_text is not Detector.scan_text]
        self._floored = {d.id for d in self.detectors if "floor" in inspect.signature(d.scan_text).parameters}

    def hits(self, text: str, min_confidence: float) -> list[tuple[Hit, Detector]]:
        """Every hit in ``text`` scoring at least ``min_confidence``, overlaps resolved
        (the surer one wins)."""
        tagged: list[tuple[Hit, Detector]] = []
        for det in self.detectors:
            found = det.scan_text(text, min_confidence) if det.id in self._floored else det.scan_text(text)
            tagged.extend((h, det) for h in found if h.score >= min_confidence)
        return resolve(tagged)


class TextScanner:
    def __init__(self, detectors: Sequence[Detector], keyed: Keyed, min_confidence: float, on_new: OnNew | None = None):
        self.detectors = TextDetectors(detectors)
        self.keyed = keyed
        self.min_confidence = min_confidence
        self.tally = FieldTally(TEXT_FIELD, on_new=on_new)
        self._seen: set[tuple[str, int]] = set()  # (entity, absolute start) in the last chunk
        self._before = ""  # the last CONTEXT characters scanned, ending at _before_end
        self._before_end = 0

    def prime(self, before: str) -> None:
        """The text just before this container's first chunk, to look back on (a part of
        a split file starts mid-file): never counted."""
        self._before, self._before_end = before[-CONTEXT:], 0

    def scan(self, batch: Batch) -> None:
        own = batch.text or ""
        self.tally.nonempty += 1 if own.strip() else 0
        context = self._context(batch.text_offset)
        text = context + own
        base = batch.text_offset - len(context)  # absolute offset of text[0]
        seen_now: set[tuple[str, int]] = set()
        kept: dict[str, tuple[Detector, list[Hit]]] = {}  # by detector, in order of first hit
        for hit, det in self.detectors.hits(text, self.min_confidence):
            if hit.end <= len(context):
                continue  # inside the context: the chunk before counted it
            key = (det.entity, base + hit.start)
            seen_now.add(key)
            if key in self._seen:
                continue
            got = kept.get(det.id)
            if got is None:
                got = kept[det.id] = (det, [])
            got[1].append(hit)
        if kept:
            newlines = [m.start() for m in _NEWLINE.finditer(text)]  # C-speed scan, not per character
        for det_id, (det, hits) in kept.items():
            t = self.tally.tally(det_id, det.entity)
            t.stats.candidates += len(hits)
            t.stats.validated += len(hits)
            t.stats.rows += len(hits)
            t.add_all(hits, self.keyed)
            t.add_records(len({bisect.bisect_left(newlines, h.start) for h in hits}))
        self._seen = seen_now
        self._before, self._before_end = text[-CONTEXT:], batch.text_offset + len(own)

    def _context(self, offset: int) -> str:
        """The characters scanned before ``offset`` (a chunk may repeat the end of the one
        before it: those are not context but part of the chunk)."""
        if offset > self._before_end:
            return ""
        keep = len(self._before) - (self._before_end - offset)
        return self._before[:keep] if keep > 0 else ""
