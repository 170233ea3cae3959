"""The format contract: a Format turns one byte stream into Batches (records or text),
or, for archives, into Members that are dispatched again.

Formats never print values and never put parser exception text into errors: raise
``FormatError``/``LimitExceeded`` with a reason code, or mark ``ctx.coverage`` partial
with a reason and stop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO, ClassVar, Iterator, Union

from spillguard.models import Batch, Coverage
from spillguard.settings import Limits


@dataclass
class Member:
    """An archive member to be scanned as a file of its own."""

    name: str  # path inside the archive, '/' separators
    stream: BinaryIO  # readable, already decompressed, bounded by the archive caps
    size: int | None  # declared uncompressed size when known


@dataclass
class ReadContext:
    name: str  # display path of the input (relative path, or archive!member)
    coverage: Coverage  # mark partial/skipped with a reason; add bytes as read
    limits: Limits
    sample_size: int  # stop after this many records (the sample + 1, so the engine sees more exist); 0 = all
    depth: int = 0  # archive nesting depth of this input


Item = Union[Batch, Member]


class Format:
    id: ClassVar[str] = ""
    extensions: ClassVar[tuple[str, ...]] = ()  # lower-case, with dot: (".csv", ".tsv")
    priority: ClassVar[int] = 0  # higher sniffs first (magic-byte formats above text)
    kind: ClassVar[str] = "records"  # "records", "text" or "archive"

    def sniff(self, name: str, head: bytes) -> bool:
        """Claim this input from its name and first bytes (up to 64 KiB)."""
        return name.lower().endswith(self.extensions) if self.extensions else False

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        raise NotImplementedError
