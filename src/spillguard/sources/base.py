"""The source contract: a Source lists the containers of one target and reads each in
bounded batches, read-only. The engine drives it and keeps the coverage ledger."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Iterator

from spillguard.models import Batch, Coverage
from spillguard.settings import Settings


@dataclass
class ContainerScan:
    """One container: its coverage row and a lazy batch iterator.

    The iterator may raise; the engine marks the coverage row with a safe reason and goes
    on. ``kind`` is "records" (columns) or "text" (free text chunks)."""

    coverage: Coverage
    batches: Iterator[Batch]
    kind: str = "records"


class Source:
    id: ClassVar[str] = ""
    kind: ClassVar[str] = ""  # reported as targets[].kind
    priority: ClassVar[int] = 0  # URI schemes above the catch-all file source

    def __init__(self, target: str, settings: Settings, display: str):
        self.target = target
        self.settings = settings
        self.display = display  # credentials masked: use this in every row and message

    @classmethod
    def accepts(cls, target: str) -> bool:
        raise NotImplementedError

    def containers(self) -> Iterator[ContainerScan]:
        """Yield every container in scope. Raising here fails the whole target."""
        raise NotImplementedError

    def close(self) -> None:
        pass
