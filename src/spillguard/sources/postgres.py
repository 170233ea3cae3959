"""PostgreSQL: one container per table, materialized view and partitioned table
(``schema.table``) of the database named in the URI, read-only, sampled with TABLESAMPLE.

Targets: ``postgresql://user:pw@host:port/db`` and ``postgres://...`` (``?host=/socket/dir``,
``sslmode``, ``sslrootcert`` ... pass through to libpq). Credentials: see credentials.py;
libpq's own ``PGPASSWORD``/``~/.pgpass`` work when the URI has no password.

Sessions: see :mod:`spillguard.exposure._postgres` (read-only settings, timeouts, client-
side deadline). Each container is read in one ``REPEATABLE READ READ ONLY`` transaction, so
the size check and the read see the same snapshot, through a server-side cursor
(``DECLARE`` / ``FETCH FORWARD limits.batch_records``): memory does not grow with the table.

Sampling (``sample_size`` n > 0): the row count is estimated from ``pg_class.reltuples``
scaled to the table's current size (summed over leaf partitions); a bounded
``SELECT count(*) FROM (SELECT 1 FROM t LIMIT n+1) s`` — never a full COUNT — decides
whether the table holds more than n rows (a never-analysed table is counted up to
COUNT_CAP rows instead, then the planner's EXPLAIN estimate). Larger tables are read with
``TABLESAMPLE SYSTEM (p) REPEATABLE (seed) LIMIT n`` (p: the pages holding n rows plus
three standard deviations), or
``BERNOULLI`` for tables of at most BERNOULLI_MAX_PAGES pages when the SYSTEM sample would
span fewer than MIN_SYSTEM_PAGES pages or a SYSTEM probe returns fewer than n rows. The
seed is CRC-32 of ``schema.table``: an unchanged table gives the same sample every run.
The row is marked ``partial`` with
``sampled:n=<n>,method=tablesample_system|tablesample_bernoulli,seed=<seed>`` before the
first batch. Known bias: SYSTEM takes whole pages and LIMIT keeps the first n sampled rows
in physical order.

Values: bytea -> bytes, json/jsonb flattened into ``col.key`` / ``col[].key`` paths,
arrays -> ``col[]`` (numeric arrays of 16+ elements stay whole as vectors), pgvector
``vector``/``halfvec`` text ``[..]`` -> a list of floats.

Coverage reasons: permission_denied (no SELECT or no schema USAGE: never queried),
not_populated (skipped), foreign_table (skipped: reading it would query another server),
timeout, connection_lost, auth_failed (reconnect refused), decode_error, ...
A lost connection is re-opened once for the next container; if that fails the remaining
containers get its reason without further attempts.
"""

from __future__ import annotations

import math
import zlib
from fnmatch import fnmatch
from typing import Any, Iterator

from spillguard.credentials import parse_target
from spillguard.errors import SourceError
from spillguard.exposure import _postgres as pg
from spillguard.formats.flatten import FlattenStats, flatten_records
from spillguard.models import Batch, Coverage
from spillguard.sources.base import ContainerScan, Source

MIN_SYSTEM_PAGES = 50  # fewer sampled pages than this: rows come in too few lumps
BERNOULLI_MAX_PAGES = 12_800  # 100 MiB: a full-scan BERNOULLI retry is still cheap
COUNT_CAP = 1_000_000  # rows counted (LIMIT) when a table was never analysed
VECTOR_TYPES = ("vector", "halfvec")

_LIST_SQL = f"""SELECT c.oid, n.nspname, c.relname, c.relkind, c.relispopulated,
       has_schema_privilege(n.oid, 'USAGE') AND has_table_privilege(c.oid, 'SELECT')
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm', 'p', 'f') AND NOT c.relispartition AND {pg.USER_SCHEMA_SQL}
ORDER BY n.nspname, c.relname
"""
# Size of one table, or of all leaf partitions of a partitioned one: (reltuples, or -1 when
# any part was never analysed; relpages at the last analyse; pages now).
_SIZE_SQL = """SELECT CASE WHEN bool_and(l.reltuples >= 0) THEN sum(l.reltuples)::float8 ELSE -1 END,
       sum(l.relpages)::int8,
       sum(pg_relation_size(l.oid)) / current_setting('block_size')::int
FROM pg_class l
WHERE l.oid = %(oid)s AND l.relkind IN ('r', 'm')
   OR l.oid IN (SELECT relid FROM pg_partition_tree(%(oid)s) WHERE isleaf)
"""
_VECTOR_COLS_SQL = """SELECT a.attname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
WHERE a.attrelid = %s AND a.attnum > 0 AND NOT a.attisdropped AND t.typname = ANY(%s)
"""


class PostgresSource(Source):
    id = "postgres"
    kind = "postgresql"
    priority = 10

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.lower().startswith(("postgresql://", "postgres://"))

    def __init__(self, target, settings, display):
        super().__init__(target, settings, display)
        self._uri = None
        self._conn = None
        self._dead: str | None = None  # reason a reconnect failed: no more attempts

    def containers(self) -> Iterator[ContainerScan]:
        self._uri = parse_target(self.target, self.settings.credentials_file)
        conn = self._connection()
        try:
            rows = pg.run(conn, self.settings, _LIST_SQL, fetch=True)
            conn.rollback()
        except SourceError as exc:
            raise SourceError(f"cannot list the tables of {self.display}", reason=exc.reason) from None
        for oid, schema, table, kind, populated, readable in rows:
            name = f"{schema}.{table}"
            if not self._selected(name):
                continue
            cov = Coverage(target=self.display, path=None, container=name)
            if kind == "f":
                cov.mark("skipped", "foreign_table")
            elif not readable:
                cov.mark("error", "permission_denied")
            elif not populated:
                cov.mark("skipped", "not_populated")
            else:
                yield ContainerScan(cov, self._batches(_Table(oid, schema, table), cov))
                continue
            yield ContainerScan(cov, iter(()))

    def close(self) -> None:
        pg.close_quietly(self._conn)
        self._conn = None

    def _selected(self, name: str) -> bool:
        s = self.settings
        if s.include and not any(fnmatch(name, p) for p in s.include):
            return False
        return not any(fnmatch(name, p) for p in s.exclude)

    def _connection(self):
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        if self._dead:
            raise SourceError(f"cannot reconnect to {self.display}", reason=self._dead)
        reopening = self._conn is not None
        self.close()
        try:
            conn = pg.connect(self._uri or parse_target(self.target, self.settings.credentials_file),
                              self.settings)
        except SourceError as exc:
            if reopening:
                self._dead = exc.reason
            raise
        conn.isolation_level = pg.driver().IsolationLevel.REPEATABLE_READ  # one snapshot per table
        self._conn = conn
        return conn

    def _batches(self, t: "_Table", cov: Coverage) -> Iterator[Batch]:
        conn = self._connection()
        psycopg = pg.driver()
        s = self.settings
        cur = None
        try:
            query = self._plan(conn, t, cov)
            vectors = {r[0] for r in pg.run(conn, s, _VECTOR_COLS_SQL, (t.oid, list(VECTOR_TYPES)), True)}
            cur = conn.cursor(name=f"spillguard_{t.oid}")
            size = max(1, s.limits.batch_records)
            stats = FlattenStats()
            with pg.deadline(conn, s):
                cur.execute(query)
            names = [d.name for d in cur.description or ()]
            while True:
                with pg.deadline(conn, s):
                    rows = cur.fetchmany(size)
                if not rows:
                    break
                records = [_record(names, row, vectors) for row in rows]
                yield Batch(columns=flatten_records(records, stats=stats), records=len(rows))
            if stats.reason():
                cov.mark("partial", stats.reason())
        except psycopg.Error as exc:
            raise SourceError(f"cannot read {cov.container} of {self.display}", reason=pg.pg_reason(exc)) from None
        except UnicodeDecodeError:
            raise SourceError(f"cannot decode {cov.container} of {self.display}", reason="decode_error") from None
        finally:
            _end(conn, cur, s)

    def _plan(self, conn, t: "_Table", cov: Coverage):
        """The SELECT for this table; marks ``cov`` sampled before any row is read."""
        from psycopg import sql

        s, n = self.settings, self.settings.sample_size
        rel = sql.Identifier(t.schema, t.table)
        everything = sql.SQL("SELECT * FROM {}").format(rel)
        if not n:
            return everything
        est, pages = _estimate(*pg.run(conn, s, _SIZE_SQL, {"oid": t.oid}, fetch=True)[0])
        cap = n + 1 if est is not None else max(n + 1, COUNT_CAP)
        bounded = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} LIMIT {}) s").format(rel, sql.Literal(cap))
        count = pg.run(conn, s, bounded, fetch=True)[0][0]
        if count <= n:
            return everything  # same snapshot as the count: all of it
        if est is None:  # never analysed: counted up to the cap, else the planner's guess
            est = float(count) if count < cap else max(float(count), self._planner_rows(conn, rel))
        est = max(est, float(n + 1))
        pages = pages or max(1.0, est / 100)
        small = pages <= BERNOULLI_MAX_PAGES  # a BERNOULLI full pass is affordable
        seed = zlib.crc32(f"{t.schema}.{t.table}".encode()) & 0x7FFFFFFF
        k0 = n * pages / est  # pages holding n rows; sample 3 sigma more so LIMIT n is met
        p_sys = min(100.0, 100.0 * (k0 + 3 * math.sqrt(k0) + 1) / pages)
        method = "SYSTEM"
        if small and pages * p_sys / 100 < MIN_SYSTEM_PAGES:
            method = "BERNOULLI"
        elif small and p_sys < 100:
            probe = sql.SQL("SELECT count(*) FROM (SELECT 1 FROM {} TABLESAMPLE SYSTEM ({}) REPEATABLE ({}) "
                            "LIMIT {}) s").format(rel, sql.Literal(p_sys), sql.Literal(seed), sql.Literal(n))
            got = pg.run(conn, s, probe, fetch=True)[0][0]
            if got < n:
                method = "BERNOULLI"
                est = max(float(n + 1), min(est, got * 100.0 / p_sys)) if got else est
        pct = p_sys
        if method == "BERNOULLI":  # expect n + 3 sigma + 10 rows, so LIMIT n is nearly always met
            pct = min(100.0, 100.0 * (n + 3 * math.sqrt(n) + 10) / est)
        cov.mark("partial", f"sampled:n={n},method=tablesample_{method.lower()},seed={seed}")
        return sql.SQL("SELECT * FROM {} TABLESAMPLE {} ({}) REPEATABLE ({}) LIMIT {}").format(
            rel, sql.SQL(method), sql.Literal(round(pct, 6)), sql.Literal(seed), sql.Literal(n))

    def _planner_rows(self, conn, rel) -> float:
        from psycopg import sql

        plan = pg.run(conn, self.settings, sql.SQL("EXPLAIN (FORMAT JSON) SELECT 1 FROM {}").format(rel),
                      fetch=True)[0][0]
        try:
            return float(plan[0]["Plan"]["Plan Rows"])
        except (KeyError, IndexError, TypeError, ValueError):
            return 0.0


class _Table:
    __slots__ = ("oid", "schema", "table")

    def __init__(self, oid: int, schema: str, table: str):
        self.oid, self.schema, self.table = oid, schema, table


def _estimate(reltuples, relpages, pages) -> tuple[float | None, float | None]:
    """(rows, current pages): reltuples scaled to the current size, as the planner does;
    rows None when some part was never analysed."""
    reltuples, relpages = float(reltuples if reltuples is not None else -1), int(relpages or 0)
    pages = float(pages) if pages is not None else None
    if reltuples > 0 and relpages > 0:
        return reltuples / relpages * max(pages or relpages, 1.0), pages
    return None, pages


def _record(names: list[str], row: tuple, vectors: set[str]) -> dict[str, Any]:
    rec = {}
    for name, value in zip(names, row):
        if name in vectors and isinstance(value, str):
            value = _parse_vector(value)
        rec[name] = value
    return rec


def _parse_vector(text: str) -> Any:
    try:
        return [float(x) for x in text.strip().strip("[]").split(",") if x.strip()]
    except ValueError:
        return text


def _end(conn, cur, settings) -> None:
    """Close the cursor and end the transaction; a broken connection is left for the
    next container to replace."""
    try:
        if conn.broken or conn.closed:
            return
        with pg.deadline(conn, settings):
            conn.rollback()  # also drops the cursor on the server
            if cur is not None:
                cur.close()
    except Exception:
        pg.close_quietly(conn)
