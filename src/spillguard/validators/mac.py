"""MAC-48 addresses: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff or 12 bare hex.

First-octet bit 0 = group (multicast), bit 1 = locally administered (randomised phone
MACs set it). Broadcast and all-zero addresses identify nobody and are rejected."""

from __future__ import annotations

import re

_FORMS = re.compile(
    r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}"
    r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12}"
)
_SEPARATORS = str.maketrans("", "", ":.-")


def validate(text: str) -> str | None:
    """Canonical lower-case ``aa:bb:cc:dd:ee:ff`` for a well-formed, non-broadcast,
    non-zero MAC; else None. Mixed separators are rejected."""
    if not isinstance(text, str) or len(text) > 17 or not _FORMS.fullmatch(text):
        return None
    h = text.translate(_SEPARATORS).lower()
    if h in ("ffffffffffff", "000000000000"):
        return None
    return f"{h[0:2]}:{h[2:4]}:{h[4:6]}:{h[6:8]}:{h[8:10]}:{h[10:12]}"


def kind(canonical: str) -> str:
    """'universal', 'locally administered (randomised)' and/or 'group'."""
    first = int(canonical[:2], 16)
    parts = []
    if first & 0x01:
        parts.append("group")
    if first & 0x02:
        parts.append("locally administered (randomised)")
    return ", ".join(parts) or "universal"


def is_valid(text: str) -> bool:
    return validate(text) is not None
