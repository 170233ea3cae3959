"""Sources: one file per kind of store, discovered automatically."""

from __future__ import annotations

from spillguard.credentials import mask_credentials
from spillguard.errors import ConfigError
from spillguard.sources.base import Source


def source_for(target: str) -> type[Source]:
    """The Source class that accepts a target string (URI, file or directory)."""
    from spillguard.plugins import discover

    for cls in sorted(
        discover("spillguard.sources", Source, "spillguard.sources"), key=lambda c: -c.priority
    ):
        if cls.accepts(target):
            return cls
    raise ConfigError(
        f"no source understands target {mask_credentials(target)!r}: "
        "give a file, a directory or a URI like sqlite:///path/to.db"
    )

__all__ = ["Source", "source_for", "mask_credentials"]
