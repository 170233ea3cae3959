"""SQLite databases: one container per table, read-only, sampled from the head.

Targets: ``sqlite:///abs/path.db`` (three slashes, absolute path; SQLAlchemy's
``sqlite:////abs/path.db`` works too) and ``sqlite:relative/path.db``
(``sqlite://relative.db`` is read as a relative path as well). ``%xx`` escapes are decoded;
anything after ``?`` is ignored. :func:`sqlite_containers` is reused by the files source
for SQLite files found by their magic bytes.

Read-only, in layers: the file is opened with ``mode=ro`` (a WAL database without a
``-wal`` file is opened ``immutable=1`` so that SQLite creates no ``-wal``/``-shm`` files
next to it), ``PRAGMA query_only=ON``, a busy timeout, and a progress handler that
interrupts any single step running longer than the query timeout. Every table except
``sqlite_%`` internals is a container (WITHOUT ROWID and virtual tables included, views
not). Sampling reads ``SELECT * ... LIMIT n+1`` — the first n rows, never
``ORDER BY random()`` — and marks the row ``partial`` with ``sampled:n=N,method=head,seed=none`` when
an (n+1)-th row exists. Errors carry reason codes, never SQLite's message text.

Ordering: the batches of each yielded ContainerScan share one connection; they may be
consumed after the containers iterator has finished (the connection is then reopened).
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path
from typing import Iterator
from urllib.parse import quote, unquote

from spillguard.errors import SourceError
from spillguard.models import Batch, Coverage
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan, Source

QUERY_TIMEOUT_S = 120.0  # per step (statement start or one fetchmany)
BUSY_TIMEOUT_S = 5.0
_PROGRESS_OPS = 10_000

# primary result code -> reason
_REASONS = {
    3: "permission_denied",  # SQLITE_PERM
    5: "locked",  # SQLITE_BUSY
    6: "locked",  # SQLITE_LOCKED
    7: "memory_limit",  # SQLITE_NOMEM
    8: "needs_recovery",  # SQLITE_READONLY: hot journal / WAL recovery needs write access
    9: "timeout",  # SQLITE_INTERRUPT: our progress handler
    10: "io_error",  # SQLITE_IOERR
    11: "corrupt",  # SQLITE_CORRUPT
    14: "cannot_open",  # SQLITE_CANTOPEN
    23: "permission_denied",  # SQLITE_AUTH
    26: "not_a_database",  # SQLITE_NOTADB (also encrypted databases)
}


def sqlite_reason(exc: BaseException) -> str:
    """A reason code for a sqlite3 error, never its message (which may quote data)."""
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int) and (code & 0xFF) in _REASONS:
        return _REASONS[code & 0xFF]
    if isinstance(exc, PermissionError):
        return "permission_denied"
    if isinstance(exc, MemoryError):
        return "memory_limit"
    return "sqlite_error"


def quote_identifier(name: str) -> str:
    """``"name"`` with embedded double quotes doubled: safe for any table name."""
    return '"' + name.replace('"', '""') + '"'


class _Db:
    """One read-only connection, opened on demand, with a per-step deadline."""

    def __init__(self, path: Path, timeout_s: float):
        self.path = path
        self.timeout_s = timeout_s
        self.deadline = float("inf")
        self.decode_errors = 0
        self.done = False  # the containers iterator has finished
        self._conn: sqlite3.Connection | None = None

    def uri(self) -> str:
        uri = "file:" + quote(str(self.path.absolute()), safe="/") + "?mode=ro"
        if _is_wal(self.path) and not os.path.exists(str(self.path) + "-wal"):
            uri += "&immutable=1"  # nothing to replay; ro alone would create -wal/-shm
        return uri

    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            try:
                conn = sqlite3.connect(self.uri(), uri=True, timeout=BUSY_TIMEOUT_S)
            except sqlite3.Error as exc:
                raise SourceError(f"cannot open SQLite database {self.path.name}",
                                  reason=_open_reason(exc, self.path)) from None
            conn.text_factory = self._text
            conn.set_progress_handler(self._progress, _PROGRESS_OPS)
            try:
                conn.execute("PRAGMA query_only=ON")
            except sqlite3.Error as exc:
                conn.close()
                raise SourceError(f"cannot open SQLite database {self.path.name}",
                                  reason=sqlite_reason(exc)) from None
            self._conn = conn
        return self._conn

    def arm(self) -> None:
        self.deadline = time.monotonic() + self.timeout_s

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _progress(self) -> int:
        return 1 if time.monotonic() > self.deadline else 0

    def _text(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:
            self.decode_errors += 1
            return raw.decode("utf-8", "replace")


def _is_wal(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return f.read(20)[18:20] == b"\x02\x02"
    except OSError:
        return False


def _open_reason(exc: BaseException, path: Path) -> str:
    if not os.access(path, os.R_OK):
        return "permission_denied"
    return sqlite_reason(exc)


def sqlite_containers(
    path: Path, display_target: str, display_path: str | None, settings: Settings
) -> Iterator[ContainerScan]:
    """One ContainerScan per table of the database at ``path`` (read-only).

    Raises SourceError (reason not_found, permission_denied, not_a_database, corrupt,
    locked, …) when the database cannot be opened or its table list cannot be read."""
    if not path.is_file():
        raise SourceError(f"SQLite database {display_path or display_target} does not exist",
                          reason="not_found")
    timeout_s = float(getattr(settings.limits, "query_timeout_s", QUERY_TIMEOUT_S))
    db = _Db(path, timeout_s)
    try:
        try:
            db.arm()
            rows = db.conn().execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
            ).fetchall()
        except sqlite3.Error as exc:
            raise SourceError(
                f"cannot list the tables of SQLite database {display_path or display_target}",
                reason=sqlite_reason(exc),
            ) from None
        for (table,) in rows:
            cov = Coverage(target=display_target, path=display_path, container=table)
            yield ContainerScan(cov, _table_batches(db, table, cov, settings))
    finally:
        db.done = True
        db.close()


def _table_batches(db: _Db, table: str, cov: Coverage, settings: Settings) -> Iterator[Batch]:
    n = settings.sample_size
    size = max(1, settings.limits.batch_records)
    sql = f"SELECT * FROM {quote_identifier(table)}" + (f" LIMIT {n + 1}" if n else "")
    db.decode_errors = 0
    yielded = 0
    cursor = None
    try:
        try:
            db.arm()
            cursor = db.conn().execute(sql)
            names = [d[0] for d in cursor.description or ()]
            while True:
                want = size if not n else min(size, n - yielded)
                if want <= 0:
                    db.arm()
                    if cursor.fetchone() is not None:
                        cov.mark("partial", f"sampled:n={n},method=head,seed=none")
                    break
                db.arm()
                rows = cursor.fetchmany(want)
                if not rows:
                    break
                columns = {name: [row[i] for row in rows] for i, name in enumerate(names)}
                yielded += len(rows)
                yield Batch(columns=columns, records=len(rows))
        except sqlite3.Error as exc:
            reason = sqlite_reason(exc)
            if reason == "timeout" and yielded:
                cov.mark("partial", "timeout")
                return
            raise SourceError("cannot read a SQLite table", reason=reason) from None
        if db.decode_errors:
            cov.mark("partial", "decode_errors")
    finally:
        if cursor is not None:
            cursor.close()
        if db.done:
            db.close()


def parse_sqlite_target(target: str) -> Path:
    """The file path named by a ``sqlite:`` target."""
    rest = target[len("sqlite:"):].split("?", 1)[0]
    if rest.startswith("///"):
        rest = "/" + rest.lstrip("/")
    elif rest.startswith("//"):
        rest = rest[2:]
    return Path(unquote(rest))


class SqliteSource(Source):
    id = "sqlite"
    kind = "sqlite"
    priority = 10

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.lower().startswith("sqlite:")

    def containers(self) -> Iterator[ContainerScan]:
        path = parse_sqlite_target(self.target)
        if not str(path) or str(path) == ".":
            raise SourceError(f"{self.display} names no database file", reason="not_found")
        if not path.exists():
            raise SourceError(f"{self.display} does not exist", reason="not_found")
        yield from sqlite_containers(path, self.display, None, self.settings)
