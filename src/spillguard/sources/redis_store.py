"""Redis: one container per key pattern, read with SCAN (never KEYS), read-only.

Targets: ``redis://[user:pw@]host[:6379][/db]`` and ``rediss://`` (TLS; query parameters
``ssl_ca_certs=/path/ca.pem`` and ``ssl_cert_reqs=none|optional|required``). A target that
names a database reads that one; without one, every database listed by ``INFO keyspace``
is read (db 0 alone when INFO is denied). Credentials: see :mod:`spillguard.credentials`.

Containers: key names are grouped into patterns (:func:`key_pattern`: ids, numbers, hex,
uuids, tokens and non-ASCII parts become ``*``, so ``user:123:profile`` ->
``user:*:profile``); keys of db N > 0 are named ``dbN/<pattern>`` when the target names no
database. ``include``/``exclude`` globs match the container name. Beyond ``MAX_PATTERNS``
patterns, remaining keys share the container ``*``.

Sampling: one SCAN pass (COUNT ``SCAN_COUNT``, cursor start 0, keys deduplicated) keeps the
first n keys of each pattern in SCAN order (hash-table bucket order, unrelated to names);
a pattern with more keys is ``partial`` with ``sampled:n=<n>,method=scan,seed=none,cursor=0``.
At most ``MAX_KEYS_HELD`` key names are held in memory (``key_limit`` beyond that,
also when sample_size is 0).

Values: TYPE and MEMORY USAGE (or STRLEN) first; values above ``limits.max_field_bytes``
are not read (``value_too_large``). Strings holding JSON are flattened, other strings are
field ``value``; hash fields by name; list/set/zset members ``members[]``; stream entries
``entries[].<field>``; at most ``MAX_MEMBERS`` elements per key (``value_truncated``). The
key name itself is field ``(key)``. Bytes that are not UTF-8 stay bytes.
Errors carry reason codes (timeout, connection_lost, auth_failed, permission_denied, ...),
never the driver's message text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatch
from typing import Any, Iterator

from spillguard.credentials import parse_target
from spillguard.errors import SourceError
from spillguard.exposure._redis import (
    decode_text, decode_value, key_pattern, redis_client, redis_module, redis_reason, target_db,
)
from spillguard.formats.flatten import FlattenStats, flatten_records
from spillguard.models import Batch, Coverage
from spillguard.sources.base import ContainerScan, Source

SCAN_COUNT = 1000
MAX_PATTERNS = 10_000
MAX_KEYS_HELD = 1_000_000
MAX_MEMBERS = 1_000
READ_CHUNK = 200  # keys per pipelined round trip
BATCH_BYTES = 32 * 1024**2
KEY_FIELD = "(key)"
FIELD_NAMES = "(field)"
OVERFLOW = "*"


@dataclass
class _Pattern:
    keys: dict[bytes, None] = field(default_factory=dict)  # insertion-ordered set
    more: bool = False  # more keys than were kept
    held_out: bool = False  # keys were dropped for the MAX_KEYS_HELD cap


@dataclass
class _Stats:
    too_large: int = 0
    truncated: int = 0
    unsupported: int = 0
    flatten: FlattenStats = field(default_factory=FlattenStats)

    def reasons(self) -> list[str]:
        out = [f"{name}:n={n}" for name, n in (("value_too_large", self.too_large),
               ("value_truncated", self.truncated), ("unsupported_type", self.unsupported)) if n]
        return out + ([self.flatten.reason()] if self.flatten.reason() else [])


class RedisSource(Source):
    id = "redis"
    kind = "redis"
    priority = 10

    def __init__(self, target, settings, display):
        super().__init__(target, settings, display)
        self.uri = parse_target(target, settings.credentials_file)
        self._clients: dict[int, Any] = {}
        self._suspect: str | None = None  # a network failure to confirm before going on
        self._dead: str | None = None  # the server is gone: fail the rest fast
        self.memory_usage = True  # MEMORY USAGE allowed (else STRLEN for strings)

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.lower().startswith(("redis://", "rediss://"))

    def client(self, db: int):
        if db not in self._clients:
            limits = self.settings.limits
            self._clients[db] = redis_client(self.uri, db=db, timeout=limits.query_timeout_s,
                                             connect_timeout=limits.connect_timeout_s)
        return self._clients[db]

    def drop(self, db: int) -> None:
        client = self._clients.pop(db, None)
        if client is not None:
            try:
                client.close()
            except Exception:
                pass

    def close(self) -> None:
        for db in list(self._clients):
            self.drop(db)

    def containers(self) -> Iterator[ContainerScan]:
        named = target_db(self.uri)
        redis_module()
        dbs = [named] if named is not None else self._databases()
        for db in dbs:
            prefix = "" if named is not None or db == 0 else f"db{db}/"
            patterns = self._patterns(db, prefix)
            for name in sorted(patterns):
                cov = Coverage(target=self.display, path=None, container=name)
                yield ContainerScan(cov, self._batches(db, patterns.pop(name), cov))

    def _databases(self) -> list[int]:
        try:
            info = self.client(0).info("keyspace")
        except Exception as exc:
            reason = redis_reason(exc)
            self.drop(0)
            if reason == "permission_denied":
                return [0]
            raise SourceError(f"cannot connect to {self.display}", reason=reason) from None
        dbs = sorted(int(k[2:]) for k in info if str(k).startswith("db") and str(k)[2:].isdigit())
        return dbs or [0]

    def _patterns(self, db: int, prefix: str) -> dict[str, _Pattern]:
        """One SCAN pass over db: the first n+1 distinct keys of every pattern in scope."""
        n = self.settings.sample_size
        keep = n + 1 if n else MAX_KEYS_HELD
        patterns: dict[str, _Pattern] = {}
        held = 0
        try:
            client, cursor = self.client(db), 0
            while True:
                cursor, keys = client.scan(cursor=cursor, count=SCAN_COUNT)
                for key in keys:
                    name = prefix + key_pattern(key)
                    pat = patterns.get(name)
                    if pat is None:
                        if not self._selected(name):
                            continue
                        if len(patterns) >= MAX_PATTERNS:
                            name = prefix + OVERFLOW
                            pat = patterns.get(name)
                        if pat is None:
                            pat = patterns[name] = _Pattern()
                    if key in pat.keys or pat.more:
                        continue
                    if len(pat.keys) >= keep:
                        pat.more = True
                    elif held >= MAX_KEYS_HELD:
                        pat.more = pat.held_out = True
                    else:
                        pat.keys[key] = None
                        held += 1
                if int(cursor) == 0:
                    return patterns
        except Exception as exc:
            self.drop(db)
            raise SourceError(f"cannot list the keys of {self.display} db {db}",
                              reason=redis_reason(exc)) from None

    def _selected(self, name: str) -> bool:
        s = self.settings
        return (not s.include or any(fnmatch(name, p) for p in s.include)) and not any(
            fnmatch(name, p) for p in s.exclude)

    def _batches(self, db: int, pat: _Pattern, cov: Coverage) -> Iterator[Batch]:
        n = self.settings.sample_size
        keys = list(pat.keys)
        if n and len(keys) > n:
            keys = keys[:n]
        if pat.held_out or (pat.more and not n):
            cov.mark("partial", f"key_limit:n={MAX_KEYS_HELD}")
        elif pat.more or len(pat.keys) > len(keys):
            cov.mark("partial", f"sampled:n={n},method=scan,seed=none,cursor=0")
        pat.keys.clear()
        stats, pending, size = _Stats(), [], 0
        batch_records = max(1, self.settings.limits.batch_records)
        try:
            self._confirm_alive(db)
            for start in range(0, len(keys), READ_CHUNK):
                for record, nbytes in self._read(db, keys[start:start + READ_CHUNK], stats):
                    pending.append(record)
                    size += nbytes
                    cov.bytes += nbytes
                    if len(pending) >= batch_records or size >= BATCH_BYTES:
                        yield _batch(pending, stats)
                        pending, size = [], 0
            if pending:
                yield _batch(pending, stats)
        except SourceError:
            raise
        except Exception as exc:
            reason = redis_reason(exc)
            self.drop(db)
            if reason == "connection_refused":  # it answered the SCAN: it went away since
                reason = "connection_lost"
            if reason in ("connection_lost", "timeout"):
                self._suspect = reason
            raise SourceError(f"cannot read a key pattern of {self.display}",
                              reason=reason) from None
        for reason in stats.reasons():
            if cov.status == "complete" or not cov.reason:
                cov.mark("partial", reason)
            elif reason not in cov.reason:
                cov.reason = f"{cov.reason};{reason}"

    def _read(self, db: int, keys: list[bytes], stats: _Stats) -> Iterator[tuple[dict, int]]:
        """(record, bytes) per key still present: TYPE and size first, then bounded reads,
        three pipelined round trips per chunk (plus HSCAN/SSCAN continuations)."""
        client, cap = self.client(db), self.settings.limits.max_field_bytes
        pipe = client.pipeline(transaction=False)
        for key in keys:
            pipe.type(key)
            if self.memory_usage:
                pipe.memory_usage(key)
        res = pipe.execute(raise_on_error=False)
        step = 2 if self.memory_usage else 1
        types, mems = res[::step], (res[1::2] if self.memory_usage else [None] * len(keys))
        if any(isinstance(m, Exception) for m in mems):  # denied or renamed: lengths only
            self.memory_usage, mems = False, [None] * len(keys)
        live = [(k, _ok(t).decode("ascii", "replace"), m) for k, t, m in zip(keys, types, mems)]
        live = [item for item in live if item[1] != "none"]  # deleted since the SCAN
        pipe = client.pipeline(transaction=False)
        for key, kind, _ in live:
            getattr(pipe, _LENGTH.get(kind, "exists"))(key)
        lengths = pipe.execute(raise_on_error=False)
        plan, pipe = [], client.pipeline(transaction=False)
        for (key, kind, mem), length in zip(live, lengths):
            length = length if isinstance(length, int) else 0
            count = min(length, MAX_MEMBERS)
            if mem and length and kind != "string":
                count = min(count, int(cap // max(1.0, mem / length)))
            if kind not in _LENGTH:
                stats.unsupported += 1
                plan.append((key, kind, None, 0))
                continue
            if (kind == "string" and length > cap) or (length and not count):
                stats.too_large += 1
                plan.append((key, kind, None, 0))
                continue
            if count < length and kind != "string":
                stats.truncated += 1
            plan.append((key, kind, count, length))
            _queue_read(pipe, key, kind, count, length)
        values = iter(pipe.execute(raise_on_error=False))
        for key, kind, count, length in plan:
            record: dict[str, Any] = {KEY_FIELD: decode_text(key)}
            raw = _ok(next(values), skip=True) if count is not None else None
            if raw is not None:
                record.update(self._value(client, key, kind, raw, count))
            yield record, len(key) + _size(raw)

    def _value(self, client, key: bytes, kind: str, raw: Any, count: int) -> dict[str, Any]:
        if kind == "string":
            value = decode_value(raw)
            return value if isinstance(value, dict) else {"value": value}
        if kind in ("hash", "set") and isinstance(raw, tuple):  # HSCAN / SSCAN page
            cursor, got = raw
            got = dict(got) if kind == "hash" else dict.fromkeys(got)
            while int(cursor) and len(got) < count:
                scan = client.hscan if kind == "hash" else client.sscan
                cursor, page = scan(key, cursor, count=count)
                got.update(page if kind == "hash" else dict.fromkeys(page))
            raw = dict(list(got.items())[:count]) if kind == "hash" else list(got)[:count]
        if kind == "hash":
            return _hash_record(raw)
        if kind == "stream":
            return {"entries": [{decode_text(f): decode_value(v) for f, v in (fields or {}).items()}
                                for _, fields in raw]}
        return {"members": [decode_value(m) for m in raw]}

    def _confirm_alive(self, db: int) -> None:
        """After a network failure: one PING; if that fails too, fail the rest fast."""
        if self._dead:
            raise SourceError(f"{self.display} stopped answering", reason=self._dead)
        if self._suspect:
            reason, self._suspect = self._suspect, None
            try:
                self.client(db).ping()
            except Exception:
                self.drop(db)
                self._dead = reason
                raise SourceError(f"{self.display} stopped answering", reason=reason) from None


def _hash_record(raw: dict) -> dict[str, Any]:
    """Hash fields by name; a field name with variable parts (a map keyed by id or phone)
    goes to its pattern column as a list (``uid:*[]``) and the name itself to ``(field)[]``:
    names are data too, and a column name must never be a value."""
    fixed: dict[str, Any] = {}
    mapped: dict[str, list] = {}
    for name, value in raw.items():
        column = key_pattern(name)
        if column == decode_text(name):
            fixed[column] = decode_value(value)
        else:
            mapped.setdefault(FIELD_NAMES, []).append(decode_text(name))
            mapped.setdefault(column, []).append(decode_value(value))
    return {**fixed, **mapped}


def _batch(records: list[dict], stats: _Stats) -> Batch:
    return Batch(columns=flatten_records(records, stats=stats.flatten), records=len(records))


_LENGTH = {"string": "strlen", "hash": "hlen", "list": "llen", "set": "scard",
           "zset": "zcard", "stream": "xlen"}


def _queue_read(pipe, key: bytes, kind: str, count: int, length: int) -> None:
    if kind == "string":
        pipe.get(key)
    elif kind == "hash":
        pipe.hgetall(key) if length <= count else pipe.hscan(key, 0, count=count)
    elif kind == "set":
        pipe.sscan(key, 0, count=count)
    elif kind == "list":
        pipe.lrange(key, 0, count - 1)
    elif kind == "zset":
        pipe.zrange(key, 0, count - 1)
    else:
        pipe.xrange(key, "-", "+", count=count)


def _ok(result: Any, skip: bool = False) -> Any:
    """A pipelined reply; a denied command fails the container, another error (the key
    changed type since TYPE) skips the key when ``skip``."""
    if isinstance(result, Exception):
        if skip and redis_reason(result) == "server_error":
            return None
        raise result
    return result


def _size(raw: Any) -> int:
    if isinstance(raw, (bytes, bytearray, str)):
        return len(raw)
    if isinstance(raw, dict):
        return sum(_size(k) + _size(v) for k, v in raw.items())
    if isinstance(raw, (list, tuple)):
        return sum(_size(v) for v in raw)
    return 0
