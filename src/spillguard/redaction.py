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
from functools import lru_cache
from typing import Any

FLOOR = 0.5  # what a scan reports in free text by default (Settings.min_confidence)
# every identifier the detectors report holds a digit, an '@' (e-mail) or a ':' (MAC);
# a name without any is returned as it is, without running the detectors
_MAY_HOLD = re.compile(r"[0-9@:\uff10-\uff19]")


def may_hold_identifier(text: str | None) -> bool:
    """Can ``text`` hold an identifier a scan reports? (A digit, an '@' or a ':'.)"""
    return bool(text) and _MAY_HOLD.search(text) is not None


def mask_identifiers(text: str | None) -> str | None:
    """``text`` with each identifier in it masked; None and plain names unchanged."""
    return _masked(text) if may_hold_identifier(text) else text


@lru_cache(maxsize=65536)  # names repeat: every finding of a file shows its path
def _masked(text: str) -> str:
    from spillguard.masking import mask

    out, last = [], 0
    for hit, det in sorted(_text_detectors().hits(text, FLOOR), key=lambda pair: pair[0].start):
        if hit.start < last:
            continue
        out.append(text[last : hit.start])
        shown = mask(text[hit.start : hit.end], det.entity)
        out.append("*" * (hit.end - hit.start) if shown == "[hidden]" else shown)
        last = hit.end
    out.append(text[last:])
    return "".join(out)


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


def _redacted(record: Any) -> Any:
    changes: dict[str, Any] = {}
    for name in _NAME_FIELDS:
        value = getattr(record, name, None)
        if isinstance(value, str) and (shown := mask_identifiers(value)) != value:
            changes[name] = shown
    for name in _NAME_TUPLES:
        values = getattr(record, name, None)
        if values and (shown_all := tuple(mask_identifiers(v) for v in values)) != tuple(values):
            changes[name] = shown_all
    reid = getattr(record, "reidentification", None)
    if isinstance(reid, dict) and reid.get("quasi_identifiers"):
        qis = [mask_identifiers(q) if isinstance(q, str) else q for q in reid["quasi_identifiers"]]
        if qis != list(reid["quasi_identifiers"]):
            changes["reidentification"] = {**reid, "quasi_identifiers": qis}
    if not changes:
        return record
    if record.__dataclass_params__.frozen:
        return dataclasses.replace(record, **changes)
    for name, value in changes.items():
        setattr(record, name, value)
    return record


def redact_result(result):
    """``result`` (a ScanResult) with the identifiers in every name it shows masked."""
    for group in ("targets", "coverage", "findings", "exposure", "traces", "people", "risk"):
        setattr(result, group, [_redacted(r) for r in getattr(result, group)])
    return result


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
