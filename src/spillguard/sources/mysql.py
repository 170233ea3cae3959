"""MySQL and MariaDB: one container per table or view (``db.table``), read-only, sampled
by primary-key ranges.

Targets: ``mysql://user:pw@host:port/db`` and ``mariadb://…`` (``mysql+pymysql://`` too).
Without a database, every database the account can see is scanned except ``mysql``,
``information_schema``, ``performance_schema`` and ``sys``. Credentials come from the URI,
``SPILLGUARD_MYSQL_USER``/``_PASSWORD`` or the credentials file (see credentials.py); no
user name means the anonymous user ``''``.

Read-only, in layers: the account's privileges, then ``SET SESSION TRANSACTION ISOLATION
LEVEL READ COMMITTED, READ ONLY`` and one ``START TRANSACTION READ ONLY`` per container.
Every statement has a server-side limit (MariaDB ``max_statement_time`` in seconds, MySQL
``max_execution_time`` in ms) and the socket a client-side one (connect, read, write).

Sampling (``sample_size`` n > 0): a bounded count (``SELECT COUNT(*) FROM (SELECT 1 …
LIMIT n+1)``) decides whether the table holds more than n rows. If so, a table with a
single-column integer primary key is read from a seeded random start within
[MIN(pk), MAX(pk)] in key order (``WHERE pk >= start ORDER BY pk LIMIT …``, wrapping to
the lowest keys when short): ``sampled:n=N,method=pk_range,seed=S``. Others are read from
the head (``LIMIT n``): ``method=head``. Never ``ORDER BY RAND()``. Tables with an integer
key are paged by key (one short statement per batch); the others stream through one
unbuffered ``SSCursor`` statement read with ``fetchmany``.

Errors carry reason codes (``mysql_reason``), never the driver's message text, which can
quote SQL and values.
"""

from __future__ import annotations

import json
import random
import re
import zlib
from fnmatch import fnmatch
from typing import Any, Iterator

from spillguard.credentials import TargetURI, parse_target
from spillguard.errors import SourceError
from spillguard.exposure._mysql import (
    connect, connection_broken, driver, is_mariadb, mysql_reason, quote_ident, read_only_session,
)
from spillguard.formats.flatten import FlattenStats, flatten_records, to_scalar
from spillguard.models import Batch, Coverage
from spillguard.settings import Settings
from spillguard.sources.base import ContainerScan, Source

SCHEMES = ("mysql", "mariadb", "mysql+pymysql")
SYSTEM_SCHEMAS = ("mysql", "information_schema", "performance_schema", "sys")
INT_TYPES = {"tinyint", "smallint", "mediumint", "int", "integer", "bigint"}
READ_TIMEOUT_MARGIN_S = 5.0  # client socket backstop above the server statement limit


class MysqlSource(Source):
    id = "mysql"
    kind = "mysql"
    priority = 10

    def __init__(self, target: str, settings: Settings, display: str):
        super().__init__(target, settings, display)
        self._conn: Any = None
        self._lost: str | None = None  # a reconnect failed: fail the rest fast
        self._uri: TargetURI | None = None

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.split("://", 1)[0].lower() in SCHEMES and "://" in target

    # -- connection -------------------------------------------------------------------
    def _session(self, first: bool = False) -> Any:
        if not connection_broken(self._conn):
            return self._conn
        if self._lost:
            raise SourceError(f"lost the MySQL server at {self.display}", reason=self._lost)
        if self._uri is None:
            self._uri = parse_target(self.target, self.settings.credentials_file)
        limits = self.settings.limits
        pymysql = driver()
        conn = None
        try:
            conn = connect(self._uri.host, self._uri.port, self._uri.username, self._uri.password,
                           connect_timeout=limits.connect_timeout_s,
                           read_timeout=limits.query_timeout_s + READ_TIMEOUT_MARGIN_S)
            read_only_session(conn, limits.query_timeout_s)
        except pymysql.err.MySQLError as exc:
            if conn is not None:
                conn.close()
            reason = mysql_reason(exc)
            if not first:  # the server answered before: it went away
                reason = self._lost = "connection_lost" if reason == "connection_refused" else reason
            raise SourceError(f"cannot connect to the MySQL server at {self.display}",
                              reason=reason) from None
        self._conn = conn
        return conn

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None and conn.open:
            try:
                conn.close()
            except Exception:
                pass

    def close(self) -> None:
        self._drop()

    # -- containers -------------------------------------------------------------------
    def containers(self) -> Iterator[ContainerScan]:
        conn = self._session(first=True)
        database = self._uri.database if self._uri else None
        sql = ("SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_TYPE FROM information_schema.TABLES "
               "WHERE TABLE_TYPE IN ('BASE TABLE', 'VIEW', 'SYSTEM VERSIONED') ")
        if database:
            sql, args = sql + "AND TABLE_SCHEMA = %s", (database,)
        else:
            sql += "AND TABLE_SCHEMA NOT IN (" + ", ".join(["%s"] * len(SYSTEM_SCHEMAS)) + ")"
            args = SYSTEM_SCHEMAS
        try:
            with conn.cursor() as cur:
                cur.execute(sql + " ORDER BY TABLE_SCHEMA, TABLE_NAME", args)
                tables = [(str(s), str(t), str(k)) for s, t, k in cur.fetchall()]
                if database and not tables:
                    cur.execute("SELECT COUNT(*) FROM information_schema.SCHEMATA "
                                "WHERE SCHEMA_NAME = %s", (database,))
                    if not cur.fetchone()[0]:
                        raise SourceError(f"database {database} not found or not visible at "
                                          f"{self.display}", reason="not_found")
        except driver().err.MySQLError as exc:
            self._drop()
            raise SourceError(f"cannot list the tables at {self.display}",
                              reason=mysql_reason(exc)) from None
        for schema, table, ttype in tables:
            name = f"{schema}.{table}"
            if self.settings.include and not any(fnmatch(name, g) for g in self.settings.include):
                continue
            if any(fnmatch(name, g) for g in self.settings.exclude):
                continue
            cov = Coverage(target=self.display, path=None, container=name)
            yield ContainerScan(cov, self._batches(schema, table, ttype == "VIEW", cov))

    def _batches(self, schema: str, table: str, view: bool, cov: Coverage) -> Iterator[Batch]:
        reader, clean = None, False
        try:
            reader = _TableReader(self._session(), schema, table, view, self.settings)
            yield from reader.batches(cov)
            clean = reader.finished()
        except driver().err.MySQLError as exc:
            reason = mysql_reason(exc)
            if reason == "timeout" and reader is not None and reader.yielded:
                cov.mark("partial", "timeout")
                return
            raise SourceError(f"cannot read MySQL table {schema}.{table} at {self.display}",
                              reason=reason) from None
        except UnicodeError:  # text the server sent was not utf8mb4: never echo it
            raise SourceError(f"cannot decode MySQL table {schema}.{table} at {self.display}",
                              reason="decode_error") from None
        finally:
            if not clean:  # error or closed early: never drain a stream, start afresh
                if reader is not None:
                    reader.abandon()
                self._drop()


class _TableReader:
    """Reads one table or view inside one READ ONLY transaction."""

    def __init__(self, conn: Any, schema: str, table: str, view: bool, settings: Settings):
        self.conn, self.schema, self.table, self.view = conn, schema, table, view
        self.q = quote_ident(schema) + "." + quote_ident(table)
        self.n = settings.sample_size
        self.size = max(1, settings.limits.batch_records)
        self.pk: str | None = None
        self.json_cols: set[str] = set()
        self.stats = FlattenStats()
        self.stream: Any = None  # an open unbuffered cursor
        self.in_tx = False
        self.yielded = 0

    def _one(self, sql: str, args: Any = None) -> Any:
        with self.conn.cursor() as cur:
            cur.execute(sql, args)
            return cur.fetchone()

    def batches(self, cov: Coverage) -> Iterator[Batch]:
        self._one("START TRANSACTION READ ONLY")
        self.in_tx = True
        self._columns()
        n = self.n
        sampled = bool(n) and self._one(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {self.q} LIMIT {int(n) + 1}) AS s")[0] > n
        if sampled and self.pk:
            pk = quote_ident(self.pk)
            lo, hi = self._one(f"SELECT MIN({pk}), MAX({pk}) FROM {self.q}")
            seed = zlib.crc32(f"{self.schema}.{self.table}".encode("utf-8", "replace"))
            start = int(lo) + random.Random(seed).randrange(int(hi) - int(lo) + 1)
            cov.mark("partial", f"sampled:n={n},method=pk_range,seed={seed}")
            got = yield from self._pages(start, None, n)
            if got < n:
                yield from self._pages(None, start, n - got)
        elif sampled:
            cov.mark("partial", f"sampled:n={n},method=head,seed=none")
            yield from self._stream(n)
        elif self.pk:
            yield from self._pages(None, None, 0)
        else:
            yield from self._stream(0)
        self._one("COMMIT")
        self.in_tx = False
        if self.stats.reason():
            cov.mark("partial", self.stats.reason())

    def _columns(self) -> None:
        with self.conn.cursor() as cur:
            cur.execute("SELECT COLUMN_NAME, DATA_TYPE, COLUMN_KEY FROM information_schema.COLUMNS "
                        "WHERE TABLE_SCHEMA = %s AND TABLE_NAME = %s ORDER BY ORDINAL_POSITION",
                        (self.schema, self.table))
            cols = [(str(c), str(t).lower(), str(k or "")) for c, t, k in cur.fetchall()]
            pri = [(c, t) for c, t, k in cols if k == "PRI"]
            if len(pri) == 1 and pri[0][1] in INT_TYPES and not self.view:
                self.pk = pri[0][0]
            self.json_cols = {c for c, t, _ in cols if t == "json"}
            if not is_mariadb(self.conn):
                return
            try:  # MariaDB: JSON is LONGTEXT with CHECK (json_valid(`col`))
                cur.execute("SELECT CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS "
                            "WHERE CONSTRAINT_SCHEMA = %s AND TABLE_NAME = %s",
                            (self.schema, self.table))
                for (clause,) in cur.fetchall():
                    m = re.fullmatch(r"json_valid\(`((?:[^`]|``)+)`\)", str(clause).strip())
                    if m:
                        self.json_cols.add(m.group(1).replace("``", "`"))
            except driver().err.MySQLError:
                pass

    def _pages(self, ge: int | None, lt: int | None, limit: int) -> Iterator[Batch]:
        """Keyset pages in key order: pk >= ge (or > last) and pk < lt; returns rows read."""
        pk, got, last = quote_ident(self.pk or ""), 0, None
        while not limit or got < limit:
            want = self.size if not limit else min(self.size, limit - got)
            cond = []  # integers inlined: no %-formatting of names that contain "%"
            if last is not None:
                cond.append(f"{pk} > {int(last)}")
            elif ge is not None:
                cond.append(f"{pk} >= {int(ge)}")
            if lt is not None:
                cond.append(f"{pk} < {int(lt)}")
            where = (" WHERE " + " AND ".join(cond)) if cond else ""
            with self.conn.cursor() as cur:
                cur.execute(f"SELECT * FROM {self.q}{where} ORDER BY {pk} LIMIT {int(want)}")
                names = [d[0] for d in cur.description or ()]
                rows = cur.fetchall()
            if not rows:
                break
            last = rows[-1][names.index(self.pk)]
            got += len(rows)
            yield self._batch(names, rows)
            if len(rows) < want:
                break
        return got

    def _stream(self, limit: int) -> Iterator[Batch]:
        self.stream = self.conn.cursor(driver().cursors.SSCursor)
        self.stream.execute(f"SELECT * FROM {self.q}" + (f" LIMIT {int(limit)}" if limit else ""))
        names = [d[0] for d in self.stream.description or ()]
        while True:
            rows = self.stream.fetchmany(self.size)
            if not rows:
                break
            yield self._batch(names, rows)
        self.stream.close()
        self.stream = None

    def _batch(self, names: list[str], rows: Any) -> Batch:
        columns: dict[str, list[Any]] = {}
        for i, name in enumerate(names):
            values = [None if r[i] is None else to_scalar(r[i]) for r in rows]
            if name in self.json_cols:
                columns.update(flatten_records([_parse_json(v) for v in values], name,
                                               stats=self.stats))
            else:
                columns[name] = values
        self.yielded += len(rows)
        return Batch(columns=columns, records=len(rows))

    def finished(self) -> bool:
        return self.stream is None and not self.in_tx and bool(self.conn.open)

    def abandon(self) -> None:
        """Forget an unfinished unbuffered result without reading the rest of it (the
        caller closes the connection): PyMySQL would otherwise drain it on close."""
        cur, self.stream = self.stream, None
        if cur is not None:
            result = getattr(cur, "_result", None)
            if result is not None:
                result.unbuffered_active = False
            cur.connection = None


def _parse_json(value: Any) -> Any:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    if not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except (ValueError, RecursionError):
        return value  # kept as text under the column's own name
