"""File formats: bytes -> Batches, one file per format, discovered automatically."""

from __future__ import annotations

from functools import lru_cache

from spillguard.formats.base import Format


@lru_cache(maxsize=1)
def registry() -> tuple[Format, ...]:
    """Format instances, most specific first (by ``priority``, then id)."""
    from spillguard.plugins import discover

    found = [cls() for cls in discover("spillguard.formats", Format, "spillguard.formats")]
    return tuple(sorted(found, key=lambda f: (-f.priority, f.id)))
