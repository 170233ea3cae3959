"""Detectors: one file per detector, discovered automatically (see registry())."""

from __future__ import annotations

from functools import lru_cache

from spillguard.detectors.base import Detector


@lru_cache(maxsize=1)
def registry() -> tuple[Detector, ...]:
    """One instance of every built-in and entry-point detector, sorted by id."""
    from spillguard.plugins import discover

    return tuple(cls() for cls in discover("spillguard.detectors", Detector, "spillguard.detectors"))
