"""Byte streams -> containers, through the file formats. Shared by every source whose
containers are files: local files and directories, S3 objects.

``StreamDispatcher.dispatch`` picks the format from the name and the first 64 KiB, and
yields one ContainerScan for a flat file, or one per archive member (container =
member name, ``outer!inner`` when nested) followed by the archive's own row once its
status is final. Members are yielded while the archive is open: the caller must consume
(or drop) each ContainerScan's batches before asking for the next.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, Callable, ContextManager, Iterator

from spillguard import formats
from spillguard.errors import LimitExceeded, safe_reason
from spillguard.formats.base import Format, Member, ReadContext
from spillguard.models import Batch, Coverage
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan

HEAD_BYTES = 64 * 1024
PART_HEAD_BYTES = 1 << 20  # a later part of a CSV file reads its dialect and header here
SQLITE_MAGIC = b"SQLite format 3\x00"
_TEXT_BYTES = bytes({7, 8, 9, 10, 11, 12, 13, 27} | set(range(0x20, 0x100)) - {0x7F})

Opener = Callable[[], ContextManager[BinaryIO]]


class StreamDispatcher:
    def __init__(self, display: str, settings: Settings, check_stream: Callable[[Any], None] | None = None):
        """``check_stream(stream)`` runs after a format has read a stream (also when it
        failed): a source whose transport errors a format might swallow raises there."""
        self.display = display
        self.settings = settings
        self._check = check_stream or (lambda stream: None)

    def dispatch(self, name: str, head: bytes, cov: Coverage, opener: Opener, depth: int = 0) -> Iterator[ContainerScan]:
        fmt = pick_format(name, head)
        if fmt is None:
            cov.mark("skipped", "binary" if looks_binary(head) else "unsupported_format")
            yield empty_scan(cov)
        elif fmt.kind == "archive":
            yield from self._archive(fmt, cov, opener, depth)
        else:
            kind = "text" if fmt.kind == "text" else "records"
            yield ContainerScan(cov, self._batches(fmt, cov, opener, depth), kind)

    def _read(self, fmt: Format, stream: BinaryIO, cov: Coverage, depth: int) -> Iterator[Any]:
        try:
            yield from fmt.read(stream, self._ctx(cov, depth))
        except Exception:
            self._check(stream)
            raise
        self._check(stream)

    def _batches(self, fmt: Format, cov: Coverage, opener: Opener, depth: int) -> Iterator[Batch]:
        with opener() as stream:
            for item in self._read(fmt, stream, cov, depth):
                if isinstance(item, Batch):
                    yield item

    def _archive(self, fmt: Format, cov: Coverage, opener: Opener, depth: int) -> Iterator[ContainerScan]:
        if depth > self.settings.limits.max_archive_depth:
            yield empty_scan(cov, "skipped", "archive_depth")
            return
        prefix = f"{cov.container}!" if cov.container else ""
        try:
            with opener() as stream:
                for item in self._read(fmt, stream, cov, depth):
                    if isinstance(item, Member):
                        yield from self._member(item, cov.path, prefix, depth + 1)
        except LimitExceeded as exc:
            cov.mark("partial", exc.reason)
        except Exception as exc:
            cov.mark("error", safe_reason(exc))
        yield empty_scan(cov)

    def _member(self, member: Member, path: str | None, prefix: str, depth: int) -> Iterator[ContainerScan]:
        cov = Coverage(target=self.display, path=path, container=prefix + member.name)
        try:
            head = read_head(member.stream)
        except Exception as exc:
            yield empty_scan(cov, "error", safe_reason(exc))
            return
        if not head:
            yield empty_scan(cov, "skipped", "empty")
            return
        if head.startswith(SQLITE_MAGIC):  # needs a real file; never spooled to disk
            yield empty_scan(cov, "skipped", "sqlite_in_archive")
            return
        cap = self.settings.limits.max_file_bytes
        capped = member.size is not None and member.size > cap
        if capped:
            cov.mark("partial", "size_limit")

        @contextmanager
        def opener() -> Iterator[BinaryIO]:
            stream = member.stream
            if stream.seekable():
                stream.seek(0)
            else:
                stream = io.BufferedReader(Prefixed(head, stream))
            yield io.BufferedReader(Capped(stream, cap)) if capped else stream

        yield from self.dispatch(member.name, head, cov, opener, depth)

    def _ctx(self, cov: Coverage, depth: int) -> ReadContext:
        shown = f"{cov.path}!{cov.container}" if cov.container else str(cov.path)
        # one record past the sample lets the engine tell "sampled" from "complete"
        wanted = self.settings.sample_size + 1 if self.settings.sample_size else 0
        return ReadContext(shown, cov, self.settings.limits, wanted, depth)


def pick_format(name: str, head: bytes) -> Format | None:
    for fmt in formats.registry():
        try:
            if fmt.sniff(name, head):
                return fmt
        except Exception:  # a broken sniffer must not stop the walk
            continue
    return None


def looks_binary(head: bytes) -> bool:
    if b"\x00" in head:
        return True
    sample = head[:8192]
    return len(sample.translate(None, _TEXT_BYTES)) > len(sample) * 0.05


def read_head(stream: BinaryIO) -> bytes:
    chunks, size = [], 0
    while size < HEAD_BYTES:
        chunk = stream.read(HEAD_BYTES - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def row(target: str, path: str | None, container: str | None, status, reason) -> ContainerScan:
    return empty_scan(Coverage(target=target, path=path, container=container), status, reason)


def empty_scan(cov: Coverage, status=None, reason=None) -> ContainerScan:
    """A container with no batches: its coverage row says why."""
    if status:
        cov.mark(status, reason)
    return ContainerScan(cov, iter(()))


class Capped(io.RawIOBase):
    """At most ``limit`` bytes of ``inner``; seekable within them when ``inner`` is."""

    def __init__(self, inner, limit: int):
        self._inner, self._limit, self._pos = inner, limit, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self._inner.seekable()

    def readinto(self, b) -> int:
        n = min(len(b), self._limit - self._pos)
        data = self._inner.read(n) if n > 0 else b""
        b[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._limit}[whence]
        self._pos = max(0, min(base + offset, self._limit))
        self._inner.seek(self._pos)
        return self._pos

    def tell(self) -> int:
        return self._pos


class Prefixed(io.RawIOBase):
    """Bytes already read (the head) followed by the rest of a forward-only stream."""

    def __init__(self, head: bytes, inner):
        self._head, self._inner = memoryview(head), inner

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._head:
            n = min(len(b), len(self._head))
            b[:n], self._head = self._head[:n], self._head[n:]
            return n
        # read1: one read of the inner stream at most, so a cap it hits fails on a call
        # with nothing else to give (what was read before it still gets scanned)
        data = getattr(self._inner, "read1", self._inner.read)(len(b))
        b[: len(data)] = data
        return len(data)


# ---- parts of a split file (planned by spillguard.sources.split) ---------------------
@dataclass(frozen=True)
class Part:
    """One piece of a big file that several workers scan at once: the lines that start in
    bytes [start, end), or for Parquet (``rows``) the row groups [start, end)."""

    no: int  # position among the file's parts: their tallies are merged in this order
    count: int  # parts of the file
    start: int
    end: int
    limit: int  # bytes of the file read: its size, or the size cap (``capped``)
    kind: str  # the file's container kind, "text" or "records"
    rows: bool = False
    encoding: tuple[str, int] = ("utf-8", 0)  # (codec, BOM length), detected once on the file head
    weight: int = 0  # bytes, for scheduling the largest parts first
    capped: bool = False  # the file is larger than limits.max_file_bytes (row: size_limit)


def line_start(f: BinaryIO, pos: int, limit: int) -> int:
    """Where the first line starting at or after byte ``pos`` begins: just after the first
    b"\n" at or after ``pos - 1`` (``limit`` when none comes before it)."""
    if pos <= 0:
        return 0
    at = pos - 1
    while at < limit:
        f.seek(at)
        chunk = f.read(min(HEAD_BYTES, limit - at))
        if not chunk:
            break  # the file got shorter
        nl = chunk.find(b"\n")
        if nl >= 0:
            return at + nl + 1
        at += len(chunk)
    return limit


class ByteRange(io.RawIOBase):
    """The lines of a byte part: from the first line that starts at or after ``start``
    through the line holding byte ``end - 1``, never past ``limit``; so each line of the
    file belongs to exactly one part. It reads at its own position (seek, then read), so
    it may share the file with the head of a CSV part. ``known_encoding`` tells
    DecodedReader the file's encoding: a part's first bytes are no file head to sniff."""

    def __init__(self, f: BinaryIO, part: Part, start: int | None = None, end: int | None = None):
        self._f, self._part = f, part
        self._pos = self._start = line_start(f, part.start if start is None else start, part.limit)
        self._stop = max(self._pos, line_start(f, part.end if end is None else end, part.limit))
        codec, bom_length = part.encoding
        self.known_encoding = (codec, bom_length if self._pos == 0 else 0)  # the BOM is byte 0's

    def readable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        left = self._stop - self._pos
        n = left if n is None or n < 0 else min(n, left)
        if n <= 0:
            return b""
        self._f.seek(self._pos)
        data = self._f.read(n)
        self._pos += len(data)
        return data

    def readinto(self, b) -> int:
        data = self.read(len(b))
        b[: len(data)] = data
        return len(data)

    @property
    def starts_file(self) -> bool:
        return self._start == 0

    def file_head(self) -> "ByteRange":
        """The file's first lines (up to PART_HEAD_BYTES), where every CSV part finds the
        dialect and the header (the first part may be shorter than the sniffed sample)."""
        return ByteRange(self._f, self._part, 0, min(PART_HEAD_BYTES, self._part.limit))


class RowGroups(io.RawIOBase):
    """A Parquet file of which a part reads only ``row_groups``."""

    def __init__(self, f: BinaryIO, part: Part):
        self._f = f
        self.row_groups = range(part.start, part.end)

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def read(self, n: int | None = -1) -> bytes:
        return self._f.read(-1 if n is None else n)

    def readinto(self, b) -> int:
        return self._f.readinto(b)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._f.seek(offset, whence)

    def tell(self) -> int:
        return self._f.tell()


def part_stream(f: BinaryIO, part: Part) -> BinaryIO:
    """The stream a format reads for one part of the (seekable) file ``f``."""
    return RowGroups(f, part) if part.rows else ByteRange(f, part)


def text_before(f: BinaryIO, part: Part, chars: int) -> str:
    """The last ``chars`` characters before a byte part's first line, decoded as the file
    is: what the scan of the part looks back on (a keyword at the end of the line before),
    never counted. At most 4 bytes a character in UTF-8; a cut character is dropped."""
    pos = line_start(f, part.start, part.limit)
    codec, bom_length = part.encoding
    low = max(bom_length, pos - 4 * chars)
    if low >= pos:
        return ""
    f.seek(low)
    data = f.read(pos - low)
    if low > bom_length:
        cut = 0
        while cut < min(3, len(data)) and 0x80 <= data[cut] < 0xC0:  # UTF-8 continuation bytes
            cut += 1
        data = data[cut:]
    return data.decode(codec, "replace")[-chars:]
