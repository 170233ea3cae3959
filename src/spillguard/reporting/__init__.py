"""Report formats: one file per format, discovered automatically (see registry())."""

from __future__ import annotations

from spillguard.errors import ConfigError
from spillguard.reporting.base import Reporter

__all__ = ["Reporter", "registry", "get"]


def registry() -> dict[str, Reporter]:
    """One instance of every built-in and entry-point reporter, keyed by format id."""
    from spillguard.plugins import discover

    classes = discover("spillguard.reporting", Reporter, "spillguard.reporters")
    return {cls.id: cls() for cls in classes}


def get(format_id: str) -> Reporter:
    """The reporter for ``format_id``; ConfigError naming the known formats otherwise."""
    reporters = registry()
    try:
        return reporters[format_id]
    except KeyError:
        known = ", ".join(sorted(reporters))
        raise ConfigError(f"unknown report format {format_id!r}; known formats: {known}") from None
