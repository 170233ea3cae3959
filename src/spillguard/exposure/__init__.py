"""Exposure checks: one file per check, three outcomes, metadata only.

A check never reads rows or documents. It answers "can this store be read without
credentials, or from outside?" with ``exposed``, ``not_exposed`` or ``unknown`` (error,
timeout, denied); ``unknown`` is never reported as safe.
"""

from __future__ import annotations

from functools import lru_cache

from spillguard.exposure.base import Check


@lru_cache(maxsize=1)
def registry() -> tuple[Check, ...]:
    from spillguard.plugins import discover

    return tuple(cls() for cls in discover("spillguard.exposure", Check, "spillguard.checks"))


def checks_for(kind: str) -> list[Check]:
    return [c for c in registry() if kind in c.kinds]
