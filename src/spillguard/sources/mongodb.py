"""MongoDB: one container per collection (``db.collection``), read-only, sampled.

Targets: ``mongodb://[user:pw@]host:port/[db][?authSource=...]`` and ``mongodb+srv://``;
connection options and credentials: see :mod:`spillguard.exposure._mongodb`.

Containers: every database from listDatabases (nameOnly) except ``local`` and ``config``,
or only the URI's database when listing is not permitted; every collection from
listCollections (names only) except ``system.*``. Views get a ``skipped``/``view`` row
(their collections are read instead). ``settings.include``/``exclude`` match
``db.collection`` with fnmatch.

Reading: find() in ``_id`` order with ``batch_size`` and maxTimeMS, no projection;
documents are flattened to field paths (``guest.id_no``, ``companions[].id_no``).
ObjectId -> str, datetime -> ISO text, Binary -> bytes (face embeddings stay bytes),
Decimal128 -> str, arrays of >= 16 numbers stay whole vectors. Invalid UTF-8 is replaced
and counted: ``partial``/``decode_errors:<n>``. A cursor that dies (CursorNotFound after
10 minutes idle, or maxTimeMS spent) is reopened after the last ``_id`` seen.

Sampling (``sample_size`` n > 0): when estimated_document_count() > n, ``$sample``
(``sampled:n=N,method=$sample,seed=server-random``: the server picks, there is no seed);
where ``$sample`` is refused (old server, memory limit), n documents in ``_id`` order from a seeded random
pivot between the min and max ``_id``, wrapping around
(``sampled:n=N,method=_id_range,seed=<crc32 of db.collection>``). A stale estimate that
hides more than n documents ends as ``sampled:n=N,method=head,seed=none``.

Faults: the driver does not retry reads (one bounded wait per operation); after a
network failure the next container first pings the server; if that
fails too, every remaining container gets an ``error`` row with the same reason without
waiting on the server again.
"""

from __future__ import annotations

import logging
import random
import zlib
from fnmatch import fnmatch
from typing import Any, Iterator

from spillguard.credentials import parse_target
from spillguard.errors import SourceError
from spillguard.exposure import _mongodb as m
from spillguard.formats.flatten import FlattenStats, flatten_records
from spillguard.models import Batch, Coverage
from spillguard.sources.base import ContainerScan, Source

log = logging.getLogger("spillguard")
MAX_RESUMES = 100


class MongoSource(Source):
    id = "mongodb"
    kind = m.KIND
    priority = 10

    def __init__(self, target, settings, display):
        super().__init__(target, settings, display)
        self._client = None
        self._suspect: str | None = None  # a network failure: ping before the next read
        self._down: str | None = None  # the ping failed too: stop contacting the server
        self._timeout = settings.limits.query_timeout_s

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.lower().startswith(m.SCHEMES)

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    # -- listing ---------------------------------------------------------------------

    def containers(self) -> Iterator[ContainerScan]:
        uri = parse_target(self.target, self.settings.credentials_file)
        self._client = m.connect(uri, self.settings, credentials=True, op_timeout_s=self._timeout)
        plan: list[tuple[str, str | None, str]] = []  # (db, collection | None, type | reason)
        for db in self._databases(uri.database):
            if db in m.INTERNAL_DATABASES or not self._db_selected(db):
                continue
            try:
                names = m.list_collections(self._client, db, self._timeout)
            except Exception as exc:
                if m.is_network(exc):
                    raise SourceError(f"cannot list collections on {self.display}",
                                      reason=m.reason(exc)) from None
                plan.append((db, None, m.reason(exc)))
                continue
            for name, ctype in sorted(names):
                if not name.startswith("system.") and self._selected(f"{db}.{name}"):
                    plan.append((db, name, ctype))
        for db, coll, what in plan:
            cov = Coverage(target=self.display, path=None, container=f"{db}.{coll}" if coll else db)
            if coll is None:
                cov.mark("error", what)
            elif what == "view":
                cov.mark("skipped", "view")
            elif self._down:
                cov.mark("error", self._down)
            else:
                yield ContainerScan(cov, self._batches(db, coll, what, cov))
                continue
            yield ContainerScan(cov, iter(()))

    def _databases(self, uri_db: str | None) -> list[str]:
        try:
            return sorted(m.list_database_names(self._client, self._timeout))
        except Exception as exc:
            why = m.reason(exc)
            if why == "permission_denied" and uri_db:
                log.info("%s: listDatabases not permitted; scanning the URI's database only", self.display)
                return [uri_db]
            raise SourceError(f"cannot list the databases of {self.display}", reason=why) from None

    def _db_selected(self, db: str) -> bool:
        """False when no include pattern can match in ``db`` or an exclude names all of it."""
        s = self.settings
        inc = not s.include or any("." not in p or fnmatch(db, p.split(".", 1)[0]) for p in s.include)
        return inc and not any(fnmatch(f"{db}.*", p) and p.endswith(".*") for p in s.exclude)

    def _selected(self, name: str) -> bool:
        s = self.settings
        inc = not s.include or any(fnmatch(name, p) for p in s.include)
        return inc and not any(fnmatch(name, p) for p in s.exclude)

    # -- reading ---------------------------------------------------------------------

    def _batches(self, db: str, name: str, ctype: str, cov: Coverage) -> Iterator[Batch]:
        decode_before = m.decode_errors()
        try:
            if self._suspect:
                self._ping()
            coll = self._client[db].get_collection(name, codec_options=m.codec_options())
            n = self.settings.sample_size
            docs = self._documents(coll, f"{db}.{name}", ctype, n, cov)
            yield from self._batched(docs, n, cov)
        except SourceError:
            raise
        except Exception as exc:
            why = m.reason(exc)
            if m.is_network(exc):
                self._suspect = why
            log.warning("%s [%s.%s]: %s", self.display, db, name, why)
            raise SourceError(f"cannot read collection {db}.{name} on {self.display}",
                              reason=why) from None
        finally:
            bad = m.decode_errors() - decode_before
            if bad:
                _add_reason(cov, f"decode_errors:{bad}")

    def _ping(self) -> None:
        pymongo = m.pymongo_module()
        try:
            with pymongo.timeout(self.settings.limits.connect_timeout_s):  # socket and maxTimeMS
                self._client.admin.command("ping")
        except Exception as exc:
            self._down = m.reason(exc)
            raise SourceError(f"{self.display} is not answering", reason=self._down) from None
        self._suspect = None

    def _documents(self, coll, full: str, ctype: str, n: int, cov: Coverage) -> Iterator[dict]:
        ms = m.max_time_ms(self._timeout)
        if n and coll.estimated_document_count(maxTimeMS=ms) > n:
            docs = self._sample(coll, n)
            if docs is not None:
                cov.mark("partial", f"sampled:n={n},method=$sample,seed=server-random")
                return docs
            if ctype == "collection":
                seed = zlib.crc32(full.encode("utf-8"))
                pivot = self._pivot(coll, seed)
                cov.mark("partial", f"sampled:n={n},method=_id_range,seed={seed}")
                return self._wrapped(coll, pivot, n)
        if ctype != "collection":  # time series and others: no _id index to range over
            return iter(coll.find({}, batch_size=self._size(), max_time_ms=ms, limit=n + 1 if n else 0))
        return self._ranged(coll, None, None, n + 1 if n else 0)

    def _size(self) -> int:
        return max(1, self.settings.limits.batch_records)

    def _sample(self, coll, n: int) -> Iterator[dict] | None:
        """$sample, deduplicated by _id (it may repeat a document); None if refused."""
        try:
            cursor = self._aggregate(coll, n)
        except Exception as exc:
            code = m.error_code(exc)
            if m.is_network(exc) or code is None or m.reason(exc) in ("permission_denied", "auth_failed"):
                raise
            log.info("$sample refused (code %d): falling back to _id ranges", code)
            return None
        return self._deduped(coll, n, cursor)

    def _aggregate(self, coll, n: int):
        return coll.aggregate([{"$sample": {"size": n}}], batchSize=self._size(),
                              maxTimeMS=m.max_time_ms(self._timeout))

    def _deduped(self, coll, n: int, cursor) -> Iterator[dict]:
        seen: set = set()
        resumes = 0
        while True:
            try:
                for doc in cursor:
                    key = _key(doc.get("_id"))
                    if key in seen:
                        continue
                    seen.add(key)
                    yield doc
                    if len(seen) >= n:
                        return
                return
            except Exception as exc:  # a dead cursor: draw the rest anew, dedupe covers overlap
                if m.error_code(exc) != 43 or resumes >= MAX_RESUMES:
                    raise
                resumes += 1
            finally:
                cursor.close()
            cursor = self._aggregate(coll, n - len(seen))

    def _pivot(self, coll, seed: int) -> Any:
        ms = m.max_time_ms(self._timeout)
        ends = [next(iter(coll.find({}, {"_id": 1}, sort=[("_id", d)], limit=1, max_time_ms=ms)), None)
                for d in (1, -1)]
        if ends[0] is None or ends[1] is None:
            return None
        lo, hi = ends[0]["_id"], ends[1]["_id"]
        rng = random.Random(seed)
        from bson import ObjectId

        if isinstance(lo, ObjectId) and isinstance(hi, ObjectId):
            a, b = int.from_bytes(lo.binary, "big"), int.from_bytes(hi.binary, "big")
            return ObjectId(rng.randint(a, b).to_bytes(12, "big"))
        if all(isinstance(x, int) and not isinstance(x, bool) for x in (lo, hi)):
            return rng.randint(lo, hi)
        return lo  # other _id types: the range starts at the smallest

    def _wrapped(self, coll, pivot: Any, n: int) -> Iterator[dict]:
        if pivot is None:
            return
        got = 0
        for doc in self._ranged(coll, ("$gte", pivot), None, n):
            got += 1
            yield doc
        if got < n:
            yield from self._ranged(coll, None, ("$lt", pivot), n - got)

    def _ranged(self, coll, lo, hi, limit: int) -> Iterator[dict]:
        """Documents in _id order between the bounds; a cursor that dies (CursorNotFound,
        or maxTimeMS spent after progress) is reopened after the last _id seen. Resuming
        relies on MongoDB's type bracketing: _ids of another BSON type than the last one
        seen are not revisited."""
        last: Any = _MISSING
        got = resumes = 0
        while True:
            bounds: dict[str, Any] = dict([lo] if lo else []) | dict([hi] if hi else [])
            if last is not _MISSING:
                bounds.pop("$gte", None)
                bounds["$gt"] = last
            cursor = coll.find({"_id": bounds} if bounds else {}, batch_size=self._size(),
                               max_time_ms=m.max_time_ms(self._timeout), sort=[("_id", 1)],
                               limit=limit - got if limit else 0)
            progress = False
            try:
                for doc in cursor:
                    last, got, progress = doc.get("_id"), got + 1, True
                    yield doc
                return
            except Exception as exc:
                code = m.error_code(exc)
                if not (code == 43 or (code == 50 and progress)) or resumes >= MAX_RESUMES:
                    raise
                resumes += 1
                log.info("cursor lost (code %d): resuming after the last _id seen", code)
            finally:
                cursor.close()

    def _batched(self, docs: Iterator[dict], n: int, cov: Coverage) -> Iterator[Batch]:
        size, stats = self._size(), FlattenStats()
        rows: list[dict] = []
        total = 0
        try:
            for doc in docs:
                if n and total >= n:  # the estimate was stale: more than n documents
                    cov.mark("partial", f"sampled:n={n},method=head,seed=none")
                    break
                rows.append(m.plain(doc))
                total += 1
                if len(rows) >= size:
                    yield Batch(columns=flatten_records(rows, stats=stats), records=len(rows))
                    rows = []
            if rows:
                yield Batch(columns=flatten_records(rows, stats=stats), records=len(rows))
        finally:
            close = getattr(docs, "close", None)
            if close:
                close()
        if stats.reason():
            _add_reason(cov, stats.reason())


_MISSING = object()


def _key(value: Any) -> Any:
    try:
        hash(value)
        return value
    except TypeError:
        return repr(value)


def _add_reason(cov: Coverage, reason: str) -> None:
    """Mark partial; when already partial for another reason (sampled), keep both."""
    if cov.status == "partial" and cov.reason and reason not in cov.reason:
        cov.reason = f"{cov.reason};{reason}"
    else:
        cov.mark("partial", reason)
