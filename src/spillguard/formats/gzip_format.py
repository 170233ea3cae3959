"""gzip: one Member, the decompressed stream, dispatched again.

The member is named by the gzip header's original file name when present (normalised),
else by this file's name without ``.gz`` (``.tgz`` -> ``.tar``). Caps as for zip (see
zip_format.py): depth -> "archive_depth", total bytes -> "size_limit", ratio ->
"compression_ratio". Data that ends early -> FormatError "truncated"; corrupt data ->
FormatError "corrupt_member". Concatenated gzip members read as one stream.
"""

from __future__ import annotations

import gzip
import io
from typing import BinaryIO, Iterator

from spillguard.formats.base import Format, Item, Member, ReadContext
from spillguard.formats.zip_format import (
    Budget,
    CappedStream,
    capped_reader,
    check_depth,
    normalise_name,
)

MAGIC = b"\x1f\x8b"
_FNAME = 0x08
_FEXTRA = 0x04


class _Counting(io.RawIOBase):
    """Counts the compressed bytes read from the underlying stream."""

    def __init__(self, raw: BinaryIO, prefix: bytes):
        self._raw, self._prefix = raw, prefix
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        if self._prefix:
            data, self._prefix = self._prefix[: len(buffer)], self._prefix[len(buffer) :]
        else:
            data = self._raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.count += n
        return n


def header_name(head: bytes) -> str | None:
    """The original file name stored in a gzip header, if any (RFC 1952 FNAME)."""
    if len(head) < 10 or not head.startswith(MAGIC) or not head[3] & _FNAME:
        return None
    pos = 10
    if head[3] & _FEXTRA:
        if len(head) < 12:
            return None
        pos = 12 + int.from_bytes(head[10:12], "little")
    end = head.find(b"\x00", pos, pos + 1024)
    if end <= pos:
        return None
    return head[pos:end].decode("latin-1")


def default_name(display: str) -> str:
    base = display.replace("!", "/").rsplit("/", 1)[-1]
    lower = base.lower()
    if lower.endswith(".tgz"):
        return base[:-4] + ".tar"
    for ext in (".gzip", ".gz", ".z"):
        if lower.endswith(ext) and len(base) > len(ext):
            return base[: -len(ext)]
    return base


class Gzip(Format):
    id = "gzip"
    extensions = (".gz", ".tgz", ".gzip")
    priority = 80
    kind = "archive"

    def sniff(self, name: str, head: bytes) -> bool:
        return head.startswith(MAGIC)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        check_depth(ctx)
        head = stream.read(2048)
        stored = header_name(head)
        name = normalise_name(stored.rsplit("/", 1)[-1]) if stored else default_name(ctx.name)
        counting = _Counting(stream, head)
        buffered = io.BufferedReader(counting, 64 * 1024)
        inner = gzip.GzipFile(fileobj=buffered, mode="rb")  # type: ignore[arg-type]
        budget = Budget(ctx.limits.max_archive_total_bytes)
        ratio = ctx.limits.max_compression_ratio
        raw = CappedStream(inner, budget, ratio, lambda: counting.count, f"{ctx.name}!{name}")
        try:
            yield Member(name=name, stream=capped_reader(raw), size=None)
        finally:
            ctx.coverage.bytes += counting.count
            if budget.used > budget.cap:
                ctx.coverage.mark("partial", "size_limit")
