"""Identifiers in names: a file, table, key or field named after a person's ID.

Stores name things after the people in them (``guest_11010519491231002X.jpg``, Redis keys
``user:13800138000``, JSON objects keyed by phone number), and a report that named them
as they are would print the very values spillguard never shows. So every name a report,
a log line or the progress line shows goes through ``mask_identifiers``: the detectors'
free-text path finds what a scan would report in it (score >= 0.5), and each such span
is shown as the masker shows a sample. Everything else in the name stays as it was.

``redact_result`` applies it to every name in a ScanResult (targets, paths, containers,
fields, trace fields, exposure details), right where the engines build it; the keyed
fingerprints were made from the real names before, so they stay stable.
``NameMaskFilter`` does it for the "spillguard" logger's records.
"""

from __future__ import annotations

import dataclasses
import logging
import re
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import Any, Iterable, Iterator

FLOOR = 0.5  # what a scan reports in free text by default (Settings.min_confidence)
# every identifier the detectors report holds a digit, an '@' (e-mail) or a ':' (MAC);
# a name without any is returned as it is, without running the detectors
_MAY_HOLD = re.compile(r"[0-9@:\uff10-\uff19]")
# between two names read as one text: longer than any keyword window (48) and ended by
# line breaks (where vocabulary values stop), of a character no detector takes in, so no
# name lends a keyword to the next one (also scanning/names.py)
GAP = "\n" + "\x00" * 64 + "\n"


def may_hold_identifier(text: str | None) -> bool:
    """Can ``text`` hold an identifier a scan reports? (A digit, an '@' or a ':'.)"""
    return bool(text) and _MAY_HOLD.search(text) is not None


def mask_identifiers(text: str | None) -> str | None:
    """``text`` with each identifier in it masked; None and plain names unchanged."""
    if not may_hold_identifier(text):
        return text
    shown = _CACHE.get(text)
    return shown if shown is not None else _mask_batch([text])[0]


def mask_all(texts: Iterable[str | None]) -> dict[str, str]:
    """``texts`` masked, many to one detector pass (a pass has a fixed cost of ~80 us,
    which a million file names would pay a million times): {text: shown} for each text
    that may hold an identifier (the rest are shown as they are). Also remembered for
    ``mask_identifiers``."""
    shown: dict[str, str] = {}
    batch: list[str] = []
    size = 0
    for text in dict.fromkeys(texts):
        if not may_hold_identifier(text):
            continue
        cached = _CACHE.get(text)
        if cached is not None:
            shown[text] = cached
            continue
        batch.append(text)
        size += len(text) + len(GAP)
        if size >= BATCH_CHARS:
            shown.update(zip(batch, _mask_batch(batch)))
            batch, size = [], 0
    if batch:
        shown.update(zip(batch, _mask_batch(batch)))
    return shown


def clear_cache() -> None:
    _CACHE.clear()


# names repeat (every finding of a file shows its path): the masked form of the last
# CACHE_SIZE distinct names, cleared whole when full so it stays bounded
_CACHE: dict[str, str] = {}
CACHE_SIZE = 65536
BATCH_CHARS = 1 << 18  # names masked per detector pass


def _mask_batch(names: list[str]) -> list[str]:
    """``names`` masked, from one detector pass over them joined by GAP (which no hit
    crosses and no keyword reaches over)."""
    from spillguard.masking import mask

    text = GAP.join(names)
    starts = list(accumulate((len(n) + len(GAP) for n in names[:-1]), initial=0))
    pieces: list[list[str]] = [[] for _ in names]
    lasts = list(starts)  # per name: the end of the text already placed
    for hit, det in sorted(_text_detectors().hits(text, FLOOR), key=lambda pair: pair[0].start):
        i = bisect_right(starts, hit.start) - 1
        if hit.start < lasts[i]:
            continue
        shown = mask(text[hit.start : hit.end], det.entity)
        pieces[i] += [text[lasts[i] : hit.start], "*" * (hit.end - hit.start) if shown == "[hidden]" else shown]
        lasts[i] = hit.end
    out = []
    for i, name in enumerate(names):
        masked = "".join(pieces[i]) + text[lasts[i] : starts[i] + len(name)] if pieces[i] else name
        out.append(masked)
        if len(_CACHE) >= CACHE_SIZE:
            _CACHE.clear()
        _CACHE[name] = masked
    return out


@lru_cache(maxsize=1)
def _text_detectors():
    """The registry's free-text detectors, called as a scan calls them (imported late:
    the package imports this module before the detectors)."""
    from spillguard.detectors import registry
    from spillguard.scanning.text import TextDetectors

    return TextDetectors(registry())


# the fields of the result's records that hold names, or text quoting names (evidence:
# "field name 'x'", "neighbouring field 'y'"); samples are masked already
_NAME_FIELDS = ("target", "path", "container", "field", "key_field", "time_field", "detail")
_NAME_TUPLES = ("place_fields", "evidence", "reasons")


def _redacted(record: Any, shown: dict[str, str]) -> Any:
    """``record`` with the names in it as ``shown`` (from ``mask_all``) shows them."""
    def mask(text):
        return shown.get(text, text) if isinstance(text, str) else text

    changes: dict[str, Any] = {}
    for name in _NAME_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and mask(value) != value:
            changes[name] = mask(value)
    for name in _NAME_TUPLES:
        values = getattr(record, name, None)
        if values and (shown_all := tuple(map(mask, values))) != tuple(values):
            changes[name] = shown_all
    reid = getattr(record, "reidentification", None)
    if isinstance(reid, dict) and reid.get("quasi_identifiers"):
        qis = [mask(q) for q in reid["quasi_identifiers"]]
        if qis != list(reid["quasi_identifiers"]):
            changes["reidentification"] = {**reid, "quasi_identifiers": qis}
    if not changes:
        return record
    if record.__dataclass_params__.frozen:
        return dataclasses.replace(record, **changes)
    for name, value in changes.items():
        setattr(record, name, value)
    return record


REDACT_CHUNK = 4096  # records whose names are masked together


def redact_result(result):
    """``result`` (a ScanResult) with the identifiers in every name it shows masked, a
    chunk of records at a time (their names in few detector passes)."""
    for group in ("targets", "coverage", "findings", "exposure", "traces", "people", "risk"):
        records = getattr(result, group)
        out = []
        for i in range(0, len(records), REDACT_CHUNK):
            chunk = records[i : i + REDACT_CHUNK]
            shown = mask_all(name for record in chunk for name in _names(record))
            out.extend(_redacted(record, shown) for record in chunk)
        setattr(result, group, out)
    return result


def _names(record: Any) -> Iterator[str]:
    """Every name ``_redacted`` shows of ``record``."""
    for name in _NAME_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str):
            yield value
    for name in _NAME_TUPLES:
        yield from (v for v in getattr(record, name, None) or () if isinstance(v, str))
    reid = getattr(record, "reidentification", None)
    if isinstance(reid, dict):
        yield from (q for q in reid.get("quasi_identifiers") or () if isinstance(q, str))


class NameMaskFilter(logging.Filter):
    """Masks identifiers in a log record's message (paths, containers, keys in it)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string: logging reports it, not us
            return True
        shown = mask_identifiers(message)
        if shown != message:
            record.msg, record.args = shown, None
        return True


def guard_logger(logger: logging.Logger) -> None:
    """Attach the filter once (the package does this for its "spillguard" logger)."""
    if not any(isinstance(f, NameMaskFilter) for f in logger.filters):
        logger.addFilter(NameMaskFilter())
