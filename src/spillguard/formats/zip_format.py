"""ZIP archives: every file member is yielded as a Member and dispatched again.

This module also holds the archive caps shared with gzip, xlsx and parquet:

* depth: an archive at ``ctx.depth >= max_archive_depth`` is refused -> LimitExceeded
  "archive_depth" (depth 0 is a top-level file, so archives nest at most that deep);
* members: after ``max_archive_members`` members -> partial "too_many_members", stop;
* total bytes: decompressed bytes are counted as they stream over all members; a member
  read past ``max_archive_total_bytes`` -> LimitExceeded "size_limit", and the archive
  stops yielding members -> partial "size_limit";
* ratio: once a member has produced 1 MiB, more than ``max_compression_ratio`` bytes out
  per byte in -> LimitExceeded "compression_ratio";
* encrypted members are not read -> partial "encrypted_members"; members in a
  compression method Python cannot read -> partial "unsupported_members";
* a corrupt member -> FormatError "corrupt_member" ("truncated" if its data ends early);
  a file that is no readable zip -> FormatError "invalid_zip".

Member names are shown normalised: '/' separators, no drive, no leading '/', no '..'.
Nothing is extracted to disk. A zip stream that cannot seek (a member of another
archive) is held in memory up to ``max_json_document_bytes`` (else "size_limit").
"""

from __future__ import annotations

import io
import posixpath
import re
import stat
import zipfile
from typing import BinaryIO, Callable, Iterator

from spillguard.errors import FormatError, LimitExceeded
from spillguard.formats.base import Format, Item, Member, ReadContext

RATIO_AFTER = 1 << 20
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def check_depth(ctx: ReadContext) -> None:
    if ctx.depth >= ctx.limits.max_archive_depth:
        raise LimitExceeded(
            f"{ctx.name}: archive nested deeper than {ctx.limits.max_archive_depth} levels",
            reason="archive_depth",
        )


def normalise_name(name: str) -> str:
    name = _CONTROL.sub("?", name.replace("\\", "/"))
    name = re.sub(r"^[A-Za-z]:", "", name)
    parts = [p for p in posixpath.normpath("/" + name).split("/") if p and p != ".."]
    return "/".join(parts) or "_"


def seekable(stream: BinaryIO, cap: int, name: str) -> BinaryIO:
    """The stream itself if it can seek, else an in-memory copy of at most ``cap`` bytes."""
    try:
        if stream.seekable():
            return stream
    except (AttributeError, OSError, ValueError):
        pass
    data = stream.read(cap + 1)
    if len(data) > cap:
        raise LimitExceeded(f"{name}: too large to hold in memory for random access", reason="size_limit")
    return io.BytesIO(data)


class Budget:
    """Decompressed bytes over all members of one archive."""

    def __init__(self, cap: int):
        self.cap = cap
        self.used = 0

    @property
    def exhausted(self) -> bool:
        return self.used >= self.cap


class CappedStream(io.RawIOBase):
    """A member's decompressed bytes; raises LimitExceeded past the caps and FormatError
    (never the decompressor's text) on corrupt data."""

    def __init__(self, inner: BinaryIO, budget: Budget, ratio: int, consumed: Callable[[], int], name: str):
        self._inner, self._budget, self._ratio = inner, budget, ratio
        self._consumed, self._name = consumed, name
        self.out = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[override]
        failure = None
        try:
            data = self._inner.read(len(buffer))
        except EOFError:
            failure = "truncated"
        except Exception:  # noqa: BLE001 - zlib/zipfile/lzma/bz2 errors; text dropped
            failure = "corrupt_member"
        if failure:
            what = failure.replace("_", " ")
            raise FormatError(f"{self._name}: compressed data is {what}", reason=failure)
        room = self._budget.cap - self._budget.used
        if len(data) > room:  # deliver what fits; the next read raises (used > cap)
            self._budget.used = self._budget.cap + 1
            if room <= 0:
                raise LimitExceeded(
                    f"{self._name}: archive expands beyond max_archive_total_bytes", reason="size_limit"
                )
            data = data[:room]
        else:
            self._budget.used += len(data)
        n = len(data)
        self.out += n
        if self.out > RATIO_AFTER and self.out > self._ratio * max(self._consumed(), 1):
            raise LimitExceeded(
                f"{self._name}: compression ratio above {self._ratio}", reason="compression_ratio"
            )
        buffer[:n] = data
        return n


def capped_reader(raw: CappedStream) -> BinaryIO:
    return io.BufferedReader(raw, buffer_size=64 * 1024)  # type: ignore[return-value]


class Zip(Format):
    id = "zip"
    extensions = (".zip",)
    priority = 80
    kind = "archive"

    def sniff(self, name: str, head: bytes) -> bool:
        return head.startswith((b"PK\x03\x04", b"PK\x05\x06"))

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        check_depth(ctx)
        limits = ctx.limits
        source = seekable(stream, limits.max_json_document_bytes, ctx.name)
        try:
            archive = zipfile.ZipFile(source)
            infos = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            archive = None
        if archive is None:
            raise FormatError(f"{ctx.name} is not a readable zip archive", reason="invalid_zip")
        budget = Budget(limits.max_archive_total_bytes)
        count = 0
        try:
            for info in infos:
                if info.is_dir() or stat.S_ISLNK(info.external_attr >> 16):
                    continue
                if count >= limits.max_archive_members:
                    ctx.coverage.mark("partial", "too_many_members")
                    return
                if budget.exhausted:
                    ctx.coverage.mark("partial", "size_limit")
                    return
                if info.flag_bits & 0x1:
                    ctx.coverage.mark("partial", "encrypted_members")
                    continue
                try:
                    inner = archive.open(info)
                except NotImplementedError:
                    ctx.coverage.mark("partial", "unsupported_members")
                    continue
                except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError):
                    ctx.coverage.mark("partial", "corrupt_member")
                    continue
                count += 1
                ctx.coverage.bytes += info.compress_size
                name = normalise_name(info.filename)
                raw = CappedStream(inner, budget, limits.max_compression_ratio,
                                   _consumed(inner, info.compress_size), f"{ctx.name}!{name}")
                yield Member(name=name, stream=capped_reader(raw), size=info.file_size)
            if budget.used > budget.cap:
                ctx.coverage.mark("partial", "size_limit")
        finally:
            archive.close()


def _consumed(inner: object, size: int) -> Callable[[], int]:
    """Compressed bytes read so far (ZipExtFile keeps what is left), else the whole size."""
    return lambda: size - int(getattr(inner, "_compress_left", 0) or 0)
