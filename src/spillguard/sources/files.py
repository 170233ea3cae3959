"""Files and directories: the catch-all source for plain paths and ``file://`` URIs.

A file target is shown by its file name; a directory is walked recursively (sorted, so
the order is deterministic) and shown by paths relative to it with '/' separators.
``settings.include``/``exclude`` globs match a file's relative path or its base name
(exclude wins); an excluded directory prunes the walk. Globs do not apply to a file named
directly as the target.

Every file in scope gets a coverage row. Skipped: ``symlink_outside_target`` (never
followed), ``symlink_duplicate`` (a link to a path inside the target that the walk
reaches anyway: each file is scanned once, under its real path; links into excluded
directories are followed), ``symlink_loop``, ``duplicate_path``, ``broken_symlink``,
``not_a_regular_file`` (FIFOs, sockets, devices: never opened), ``empty``, ``binary``,
``unsupported_format``, ``archive_depth``, ``sqlite_in_archive``, ``no_tables``.
Error: ``permission_denied``, ``io_error``, and the SQLite reasons. Partial:
``size_limit`` (only ``limits.max_file_bytes`` are read).

SQLite databases are recognised by their magic bytes whatever their name and read by
:func:`spillguard.sources.sqlite.sqlite_containers` (one container per table). Other files
go to the first format of :func:`spillguard.formats.registry` whose ``sniff`` claims the
name and the first 64 KiB.

Ordering contract: ``containers()`` is a lazy generator and each ContainerScan's
``batches`` opens its file only when iterated (closing it in ``finally``). Archive members
are yielded *while the archive is open*, one ContainerScan per member (container =
member name, ``outer!inner`` when nested), so the caller MUST fully consume (or drop)
each ContainerScan's ``batches`` before asking for the next container; a member's
stream is invalid once the next container is requested. The archive's own row
(container None) is yielded after its members, when its status is final.
"""

from __future__ import annotations

import errno
import io
import os
import re
import stat
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import BinaryIO, Iterator
from urllib.parse import unquote, urlparse

from spillguard.errors import SourceError, safe_reason
from spillguard.models import Coverage
from spillguard.sources.base import ContainerScan, Source
from spillguard.sources.sqlite import sqlite_containers
from spillguard.sources.streams import (
    SQLITE_MAGIC, Capped, Part, StreamDispatcher, empty_scan, part_stream, read_head, row, text_before,
)

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]+):")  # 2+ letters: "C:\" is a path


class FilesSource(Source):
    id = "files"
    kind = "files"
    priority = 0

    @classmethod
    def accepts(cls, target: str) -> bool:
        m = _SCHEME.match(target)
        return m is None or m.group(1).lower() == "file" or os.path.lexists(target)

    def __init__(self, target, settings, display):
        super().__init__(target, settings, display)
        self._streams = StreamDispatcher(display, settings)

    def containers(self) -> Iterator[ContainerScan]:
        root = self._root()
        if not os.path.exists(root):
            raise SourceError(f"{self.display} does not exist", reason="not_found")
        if os.path.isdir(root):
            yield from self._walk(root)
        else:
            yield from self._file(root, os.path.basename(root.rstrip(os.sep)) or root)

    def _root(self) -> str:
        if _SCHEME.match(self.target) and self.target.lower().startswith("file:"):
            parsed = urlparse(self.target)
            if parsed.netloc not in ("", "localhost"):
                raise SourceError(f"{self.display} names a remote host",
                                  reason="unsupported_target")
            return unquote(parsed.path)
        return self.target

    def _walk(self, root: str) -> Iterator[ContainerScan]:
        root_real = os.path.realpath(root)
        try:
            entries = _listdir(root)
        except OSError as exc:
            raise SourceError(f"cannot list {self.display}", reason=safe_reason(exc)) from None
        visited = {root_real}
        stack = [(iter(entries), "", root_real)]
        while stack:
            it, prefix, here = stack[-1]
            entry = next(it, None)
            if entry is None:
                stack.pop()
                continue
            rel = prefix + entry.name
            try:
                is_dir = entry.is_dir()  # follows symlinks
            except OSError:
                is_dir = False
            if is_dir and _matches(rel, self.settings.exclude):
                continue
            if not is_dir and not self._selected(rel):
                continue
            if entry.is_symlink():
                reason = self._link_skip(os.path.realpath(entry.path), root_real, is_dir)
                if reason:
                    yield row(self.display, rel, None, "skipped", reason)
                    continue
            if not is_dir:
                yield from self._file(entry.path, rel)
                continue
            real = os.path.realpath(entry.path)
            if real in visited:
                reason = "symlink_loop" if _within(here, real) else "duplicate_path"
                yield row(self.display, rel, None, "skipped", reason)
                continue
            visited.add(real)
            try:
                stack.append((iter(_listdir(entry.path)), rel + "/", real))
            except OSError as exc:
                yield row(self.display, rel, None, "error", safe_reason(exc))

    def _link_skip(self, real: str, root_real: str, is_dir: bool) -> str | None:
        """Why a symlink is not followed: it leaves the target, dangles, or leads to a
        path the walk reaches anyway (each file is scanned once, under its real path)."""
        if not _within(real, root_real):
            return "symlink_outside_target"
        if not os.path.exists(real):
            return "broken_symlink"
        real_rel = os.path.relpath(real, root_real).replace(os.sep, "/")
        parts = [] if real_rel == "." else real_rel.split("/")
        dirs = ["/".join(parts[: i + 1]) for i in range(len(parts) - (0 if is_dir else 1))]
        if any(_matches(d, self.settings.exclude) for d in dirs):
            return None  # only reachable through this link
        return "symlink_duplicate" if is_dir or self._selected(real_rel) else None

    def _selected(self, rel: str) -> bool:
        s = self.settings
        return (not s.include or _matches(rel, s.include)) and not _matches(rel, s.exclude)

    def _file(self, path: str, rel: str) -> Iterator[ContainerScan]:
        cov = Coverage(target=self.display, path=rel, container=None)
        try:
            st = os.stat(path)
            if not stat.S_ISREG(st.st_mode):
                raise SourceError("not a regular file", reason="not_a_regular_file")
            if st.st_size == 0:
                raise SourceError("empty file", reason="empty")
            with _open_regular(path) as f:
                head = read_head(f)
        except Exception as exc:
            yield empty_scan(cov, *_failure(exc, path))
            return
        if head.startswith(SQLITE_MAGIC):
            yield from self._sqlite(path, rel)
            return
        cap = self.settings.limits.max_file_bytes
        if st.st_size > cap:
            cov.mark("partial", "size_limit")

        @contextmanager
        def opener() -> Iterator[BinaryIO]:
            with _open_regular(path) as f:
                yield io.BufferedReader(Capped(f, cap)) if st.st_size > cap else f

        yield from self._streams.dispatch(rel, head, cov, opener)

    def part(self, path: str, rel: str, part: Part, context_chars: int = 0) -> tuple[ContainerScan, str]:
        """One part of a split file (see spillguard.sources.split): a container labelled as
        the file, read through the format the file's head picks, and for a text part the
        last ``context_chars`` characters before it (to look back on, never counted).
        Raises when the file cannot be opened: the caller marks the part."""
        cov = Coverage(target=self.display, path=rel, container=None)
        with _open_regular(path) as f:
            head = read_head(f)
            before = text_before(f, part, context_chars) if context_chars and not part.rows else ""

        @contextmanager
        def opener() -> Iterator[BinaryIO]:
            with _open_regular(path) as f:
                yield part_stream(f, part)

        return next(self._streams.dispatch(rel, head, cov, opener)), before

    def _sqlite(self, path: str, rel: str) -> Iterator[ContainerScan]:
        count = 0
        try:
            for scan in sqlite_containers(Path(path), self.display, rel, self.settings):
                count += 1
                yield scan
        except SourceError as exc:
            yield row(self.display, rel, None, "error", exc.reason)
            return
        if not count:
            yield row(self.display, rel, None, "skipped", "no_tables")


def _listdir(path: str) -> list[os.DirEntry]:
    with os.scandir(path) as it:
        return sorted(it, key=lambda e: e.name)


def _matches(rel: str, patterns: list[str]) -> bool:
    base = rel.rsplit("/", 1)[-1]
    return any(fnmatch(rel, p) or fnmatch(base, p) for p in patterns)


def _within(path: str, root: str) -> bool:
    try:
        return os.path.commonpath([path, root]) == root
    except ValueError:  # different drives
        return False


def _open_regular(path: str) -> BinaryIO:
    """Open for reading without ever blocking on a FIFO swapped in after the stat."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise SourceError("not a regular file", reason="not_a_regular_file")
    return os.fdopen(fd, "rb")


def _failure(exc: BaseException, path: str) -> tuple[str, str]:
    if isinstance(exc, SourceError):
        skip = exc.reason in ("empty", "not_a_regular_file")
        return ("skipped" if skip else "error"), exc.reason
    if isinstance(exc, OSError) and exc.errno == errno.ELOOP:
        return "skipped", "symlink_loop"
    if isinstance(exc, FileNotFoundError) and os.path.islink(path):
        return "skipped", "broken_symlink"
    return "error", safe_reason(exc)
