"""The masker: the only place that turns a raw value into display text.

A masked sample reveals at most 6 original letters or digits (a third of them for short
values), split between the start and the end, so the middle of an ID (the birth date of
a resident ID, the subscriber part of a phone number) is never shown. Separators stay
visible because they carry no information about the person. Biometric values are never
shown at all.
"""

from __future__ import annotations

from spillguard.entities import ENTITIES

MAX_REVEALED = 6
_HIDDEN_CATEGORIES = {"biometric", "location", "special_category"}


def mask(value: str, entity: str) -> str:
    meta = ENTITIES.get(entity)
    if meta is not None and meta.category in _HIDDEN_CATEGORIES:
        return "[hidden]"
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    revealed = min(MAX_REVEALED, len(positions) // 3)
    head = revealed // 2 + revealed % 2
    tail = revealed - head
    keep = set(positions[:head]) | set(positions[len(positions) - tail :] if tail else [])
    return "".join(
        ch if (i in keep or not ch.isalnum()) else "*" for i, ch in enumerate(value[:64])
    ) + ("…" if len(value) > 64 else "")
