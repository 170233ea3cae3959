"""Elasticsearch and OpenSearch: one container per open index, read-only, over plain HTTP.

Targets: ``elasticsearch://[user:pw@]host[:9200]``, ``opensearch://...`` and
``elasticsearch+https://`` / ``opensearch+https://`` (see ``exposure/_elasticsearch.py`` for
``ca_certs``, ``verify`` and ``api_key``); credentials as in ``spillguard.credentials``.

Containers: ``GET /_cat/indices?format=json&expand_wildcards=open``; names starting with
``.`` (system and hidden indices, data-stream backing indices) are not scanned; aliases
are not listed (their indices are). ``settings.include``/``exclude`` match index names.

Per index: ``GET /<index>/_mapping`` (``_source`` disabled -> skipped ``source_disabled``;
vector fields -> ask for them with ``_source.exclude_vectors: false``, dropped where the
server rejects it), then ``_source`` in pages of ``limits.batch_records``:

1. point in time + ``search_after`` sorted by ``_shard_doc`` (``POST /<index>/_pit`` on
   Elasticsearch, ``POST /<index>/_search/point_in_time`` on OpenSearch), PIT closed at the end;
2. when no PIT is available (or ``_shard_doc`` is rejected): a scroll sorted by ``_doc``,
   cleared at the end;
3. when scrolling is refused too: ``from``/``size`` pages up to ``index.max_result_window``,
   partial ``result_window`` beyond it.

The method used is logged. Sampling: when ``docs.count`` exceeds ``settings.sample_size``
the index is read through ``function_score`` / ``random_score {seed, field: _seq_no}``
(sorted by score, same paging); when the search reports more hits than n the row is
marked ``partial`` ``sampled:n=<n>,method=random_score,seed=<seed>`` before the first batch.
``_shards.failed > 0`` -> partial ``shard_failures``; ``timed_out`` -> partial ``timeout``.
"""

from __future__ import annotations

import logging
from fnmatch import fnmatch
from typing import Any, Iterator
from urllib.parse import quote

from spillguard.credentials import parse_target
from spillguard.errors import SourceError
from spillguard.exposure._elasticsearch import (
    SCHEMES, EsClient, Response, list_indices, mapping_flags, server_info, status_reason,
)
from spillguard.formats.flatten import FlattenStats, flatten_records
from spillguard.models import Batch, Coverage
from spillguard.sources.base import ContainerScan, Source

log = logging.getLogger("spillguard")

DEFAULT_SEED = 20240601  # settings.sample_seed, when present, wins
KEEP_ALIVE = "2m"
MAX_FAILURES = 3  # then the remaining indices are marked error target_unresponsive


class ElasticsearchSource(Source):
    id = "elasticsearch"
    kind = "elasticsearch"
    priority = 10

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.split("://", 1)[0].lower() in SCHEMES and "://" in target

    def containers(self) -> Iterator[ContainerScan]:
        uri = parse_target(self.target, self.settings.credentials_file)
        lim = self.settings.limits
        self.client = EsClient(uri, connect_s=lim.connect_timeout_s, read_s=lim.query_timeout_s)
        self.distribution, self.major = server_info(self.client)
        self.exclude_vectors_ok = True  # until the server rejects `_source.exclude_vectors`
        self.failures = 0  # consecutive indices lost to a timeout or a lost connection
        for name, count in list_indices(self.client):
            if name.startswith(".") or not self._selected(name):
                continue
            cov = Coverage(target=self.display, path=None, container=name)
            if self.failures >= MAX_FAILURES:  # do not wait out every timeout again
                cov.mark("error", "target_unresponsive")
                yield ContainerScan(cov, iter(()))
                continue
            yield ContainerScan(cov, self._guarded(name, count, cov))

    def close(self) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            client.close()

    def _selected(self, name: str) -> bool:
        s = self.settings
        return (not s.include or any(fnmatch(name, p) for p in s.include)) and not any(
            fnmatch(name, p) for p in s.exclude)

    # -- one index ---------------------------------------------------------------------

    def _guarded(self, index: str, count: int | None, cov: Coverage) -> Iterator[Batch]:
        try:
            yield from self._batches(index, count, cov)
        except SourceError as exc:
            self.failures += exc.reason in ("timeout", "connection_lost")
            raise
        self.failures = 0

    def _batches(self, index: str, count: int | None, cov: Coverage) -> Iterator[Batch]:
        source_on, vectors = self._mapping(index)
        if not source_on:
            cov.mark("skipped", "source_disabled")
            return
        n = self.settings.sample_size
        seed = int(getattr(self.settings, "sample_seed", None) or DEFAULT_SEED)
        sampled = bool(n) and (count is None or count > n)
        if sampled:
            query = {"function_score": {"query": {"match_all": {}}, "boost_mode": "replace",
                                        "functions": [{"random_score": {"seed": seed, "field": "_seq_no"}}]}}
            reader = _Reader(self, index, cov, query, [{"_score": "desc"}], n, vectors)
        else:
            reader = _Reader(self, index, cov, {"match_all": {}}, [], None, vectors)
        stats = FlattenStats()
        try:
            for page, total in reader.pages():
                if sampled and (total is None or total > n):
                    cov.mark("partial", f"sampled:n={n},method=random_score,seed={seed}")
                docs = [h.get("_source") if isinstance(h.get("_source"), dict) else {} for h in page]
                yield Batch(columns=flatten_records(docs, stats=stats), records=len(docs))
        finally:
            reader.close()
        if stats.reason():
            cov.mark("partial", stats.reason())
        log.info("%s [%s]: read by %s", self.display, index, reader.method)

    def _mapping(self, index: str) -> tuple[bool, bool]:
        body = self.client.json("GET", f"/{_q(index)}/_mapping", what=f"GET the mapping of index {index}")
        return mapping_flags(body)


class _Reader:
    """Pages of hits for one index: PIT + search_after, else scroll, else from/size."""

    def __init__(self, src: ElasticsearchSource, index: str, cov: Coverage, query: dict,
                 sort: list, limit: int | None, vectors: bool):
        self.src, self.client, self.index, self.cov = src, src.client, index, cov
        self.query, self.sort, self.limit = query, sort, limit
        self.vectors = vectors
        self.size = max(1, src.settings.limits.batch_records)
        self.timeout = f"{max(1, int(src.settings.limits.query_timeout_s))}s"
        self.method = "none"
        self.pit: tuple[str, str] | None = None  # (id, flavour)
        self.scroll: str | None = None
        self.got = 0

    def want(self) -> int:
        return self.size if self.limit is None else min(self.size, self.limit - self.got)

    def pages(self) -> Iterator[tuple[list[dict], int | None]]:
        for pager in (self._pit_pages, self._scroll_pages, self._from_size_pages):
            gen = pager()
            first = next(gen, None)
            if first is _FALLBACK:
                continue
            if first is not None:
                for page, total in _chain(first, gen):
                    self.got += len(page)
                    yield page, total
            return

    # Each pager yields _FALLBACK first when its API is not available, else pages.

    def _body(self, size: int, first: bool) -> dict:
        body: dict[str, Any] = {"size": size, "query": self.query, "timeout": self.timeout}
        if first:
            body["track_total_hits"] = True
        if self.vectors and self.src.exclude_vectors_ok:
            body["_source"] = {"exclude_vectors": False}
        return body

    def _search(self, path: str, body: dict, what: str) -> Response:
        r = self.client.request("POST", path, body, what=what)
        if r.unsupported() and "_source" in body and self.got == 0:
            self.src.exclude_vectors_ok = False  # older server: vectors are in _source anyway
            body.pop("_source")
            r = self.client.request("POST", path, body, what=what)
        return r

    def _pit_pages(self):
        self.pit = self._open_pit()
        if self.pit is None:
            yield _FALLBACK
            return
        self.method = "pit"
        after, first = None, True
        while (size := self.want()) > 0:
            body = self._body(size, first)
            body["pit"] = {"id": self.pit[0], "keep_alive": KEEP_ALIVE}
            body["sort"] = self.sort + [{"_shard_doc": "asc"}]
            if after is not None:
                body["search_after"] = after
            r = self._search("/_search", body, f"search index {self.index}")
            if first and r.unsupported():  # no _shard_doc (ES 7.10/7.11, older OpenSearch)
                self._close_pit()
                yield _FALLBACK
                return
            hits, total = self._hits(r)
            if isinstance(r.body.get("pit_id") or r.body.get("id"), str):
                self.pit = (r.body.get("pit_id") or r.body.get("id"), self.pit[1])
            if not hits:
                return
            yield hits, total
            after, first = hits[-1].get("sort"), False
            if len(hits) < size or after is None:
                return

    def _open_pit(self) -> tuple[str, str] | None:
        dist = self.src.distribution  # "" when GET / was not readable: try both
        flavours = ["os"] if dist == "opensearch" else ["es"] if dist else ["es", "os"]
        for flavour in flavours:
            path = f"/{_q(self.index)}/_pit" if flavour == "es" else f"/{_q(self.index)}/_search/point_in_time"
            r = self.client.request("POST", f"{path}?keep_alive={KEEP_ALIVE}",
                                    what=f"open a point in time on index {self.index}")
            if r.unsupported():
                continue
            self._check(r)
            pid = r.body.get("id") if flavour == "es" else r.body.get("pit_id")
            if isinstance(pid, str):
                return pid, flavour
        return None

    def _scroll_pages(self):
        sort = self.sort or ["_doc"]
        body = {**self._body(self.want(), True), "sort": sort}
        r = self._search(f"/{_q(self.index)}/_search?scroll={KEEP_ALIVE}", body, f"scroll index {self.index}")
        if r.unsupported():
            yield _FALLBACK
            return
        self.method = "scroll"
        while True:
            sid = r.body.get("_scroll_id") if isinstance(r.body, dict) else None
            self.scroll = sid if isinstance(sid, str) else self.scroll  # cleared even after an error
            hits, total = self._hits(r)
            if not hits:
                return
            if self.limit is not None and self.got + len(hits) > self.limit:
                hits = hits[: self.limit - self.got]
            yield hits, total
            if self.want() <= 0 or not self.scroll:
                return
            r = self.client.request("POST", "/_search/scroll", {"scroll": KEEP_ALIVE, "scroll_id": self.scroll},
                                    what=f"scroll index {self.index}")

    def _from_size_pages(self):
        self.method = "from_size"
        window = self._result_window()
        sort = self.sort or ["_doc"]
        first, known = True, None
        while (size := min(self.want(), window - self.got)) > 0:
            body = {**self._body(size, first), "sort": sort, "from": self.got}
            hits, total = self._hits(self._search(f"/{_q(self.index)}/_search", body, f"search index {self.index}"))
            known = total if first else known
            if not hits:
                return
            yield hits, total
            first = False
            if len(hits) < size:
                return
        more = known is None or known > self.got
        if more and (self.limit is None or self.got < self.limit):
            self.cov.mark("partial", f"result_window:n={window},method=from_size")

    def _result_window(self) -> int:
        path = f"/{_q(self.index)}/_settings/index.max_result_window?include_defaults=true&flat_settings=true"
        r = self.client.request("GET", path, what=f"GET the settings of index {self.index}")
        entry = next(iter(r.body.values()), {}) if r.ok and isinstance(r.body, dict) and r.body else {}
        for part in ("settings", "defaults"):
            value = (entry.get(part) or {}).get("index.max_result_window") if isinstance(entry, dict) else None
            if value is not None:
                try:
                    return max(1, int(value))
                except (TypeError, ValueError):
                    break
        return 10_000

    def _check(self, r: Response) -> None:
        if not r.ok:
            expired = r.error_type == "search_context_missing_exception"
            raise SourceError(f"reading index {self.index} on {self.src.display}: HTTP {r.status}",
                              reason="context_expired" if expired else status_reason(r.status))
        if not isinstance(r.body, dict):
            raise SourceError(f"reading index {self.index} on {self.src.display}: the answer is not JSON",
                              reason="bad_response")
        shards = r.body.get("_shards")
        if isinstance(shards, dict) and isinstance(shards.get("failed"), int) and shards["failed"] > 0:
            self.cov.mark("partial", "shard_failures")
        if r.body.get("timed_out") is True:
            self.cov.mark("partial", "timeout")

    def _hits(self, r: Response) -> tuple[list[dict], int | None]:
        self._check(r)
        hits = r.body.get("hits") if isinstance(r.body.get("hits"), dict) else {}
        total = hits.get("total")
        total = total.get("value") if isinstance(total, dict) else total
        rows = [h for h in hits.get("hits") or () if isinstance(h, dict)]
        return rows, total if isinstance(total, int) else None

    def _close_pit(self) -> None:
        pit, self.pit = self.pit, None
        if pit is None:
            return
        if pit[1] == "es":
            self._quiet("DELETE", "/_pit", {"id": pit[0]}, "close the point in time")
        else:
            self._quiet("DELETE", "/_search/point_in_time", {"pit_id": [pit[0]]}, "close the point in time")

    def close(self) -> None:
        self._close_pit()
        sid, self.scroll = self.scroll, None
        if sid:
            self._quiet("DELETE", "/_search/scroll", {"scroll_id": [sid]}, "clear the scroll")

    def _quiet(self, method: str, path: str, body: Any, what: str) -> None:
        """Best-effort cleanup: a PIT or scroll left behind expires after KEEP_ALIVE."""
        try:
            self.client.request(method, path, body, what=what, quick=True)
        except SourceError as exc:
            log.info("%s [%s]: could not %s (%s)", self.src.display, self.index, what, exc.reason)


_FALLBACK = object()


def _chain(first, gen):
    yield first
    yield from gen


def _q(index: str) -> str:
    return quote(index, safe="")
