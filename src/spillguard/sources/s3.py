"""S3 and S3-compatible object storage: every object is a file, read through the file
formats (CSV, JSON/JSONL, Parquet, XLSX, text, gzip, zip ...) with ranged GETs.

Targets: ``s3://bucket/prefix``, ``s3://bucket`` and ``s3://`` (every bucket the
credentials list); credentials and endpoint: see :mod:`spillguard.exposure._s3`. Objects
are listed with paginated ListObjectsV2 (one page of 1000 keys in memory); coverage rows
carry ``path`` = key relative to the prefix (``bucket/key`` for ``s3://``) and
``container`` = archive member or null, as for files. include/exclude globs match that
path or its base name. ``s3://bucket/dir`` means the object ``dir`` and the keys under
``dir/``.

Reading: nothing is downloaded whole. A lazy file-like object fetches ``Range: bytes=``
chunks (64 KiB growing to ``RANGE_BYTES``) with ``If-Match: <ETag>`` (an object replaced
mid-read -> "changed_during_scan"), only up to ``limits.max_file_bytes`` (partial
"size_limit"). Sampling: the first ``sample_size`` records of each object, as for files
(``sampled:n=N,method=head,seed=none`` when more records exist). Skipped: ``empty``, ``archived_storage_class`` (Glacier/Deep Archive),
``sqlite_object`` (SQLite needs a local file; objects are never spooled to disk),
``sqlite_in_archive``, ``binary``, ``unsupported_format``, ``archive_depth``,
``no_objects`` / ``no_buckets``. Errors: ``permission_denied``, ``auth_failed``,
``not_found``, ``timeout``, ``connection_lost``, ``throttled`` ...; after two transport
failures in a row (timeout / connection lost) the target stops with that reason.

Ordering contract as for files: each ContainerScan's batches must be consumed (or
dropped) before the next container is requested.
"""

from __future__ import annotations

import io
from contextlib import contextmanager
from typing import Any, BinaryIO, Iterator

from spillguard.errors import SourceError
from spillguard.exposure._s3 import (
    HEAD_BYTES, TRANSPORT, Health, RangedObject, S3Target, list_bucket_names, make_client, parse_s3, reason_for,
)
from spillguard.models import Coverage
from spillguard.sources.base import ContainerScan, Source
from spillguard.sources.files import _matches
from spillguard.sources.streams import SQLITE_MAGIC, StreamDispatcher, empty_scan, row

ARCHIVED = ("GLACIER", "DEEP_ARCHIVE")


class S3Source(Source):
    id = "s3"
    kind = "s3"
    priority = 10

    @classmethod
    def accepts(cls, target: str) -> bool:
        return target.lower().startswith("s3://")

    def __init__(self, target, settings, display):
        super().__init__(target, settings, display)
        self._streams = StreamDispatcher(display, settings, check_stream=_raise_transport)

    def containers(self) -> Iterator[ContainerScan]:
        t = parse_s3(self.target, self.settings)
        self._client, _ = make_client(t, self.settings, read_timeout=self.settings.limits.query_timeout_s)
        self._health = Health()
        if t.bucket:
            buckets = [t.bucket]
        else:
            buckets = list_bucket_names(self._client, self.display)
            self._health.ok()
            if not buckets:
                yield row(self.display, None, None, "skipped", "no_buckets")
        for bucket in buckets:
            yield from self._bucket(t, bucket)

    def close(self) -> None:
        client = getattr(self, "_client", None)
        if client is not None:
            client.close()

    # listing ---------------------------------------------------------------------------
    def _call(self, what: str, where: str, fn, **kw) -> Any:
        try:
            resp = fn(**kw)
        except Exception as exc:
            reason = reason_for(exc, self._health.answered)
            self._health.failed(reason)
            raise SourceError(f"{what} on {where} failed", reason=reason) from None
        self._health.ok()
        return resp

    def _bucket(self, t: S3Target, bucket: str) -> Iterator[ContainerScan]:
        prefix = t.prefix if t.bucket else ""
        shown = f"{bucket}/" if not t.bucket else ""
        kw: dict[str, Any] = {"Bucket": bucket, "Prefix": prefix, "MaxKeys": 1000}
        found = 0
        while True:
            self._trip()
            try:
                page = self._call("ListObjectsV2", f"s3://{bucket}", self._client.list_objects_v2, **kw)
            except SourceError as exc:
                if t.bucket or exc.reason in TRANSPORT:
                    raise
                yield row(self.display, bucket, None, "error", exc.reason)  # s3://: next bucket
                return
            for obj in page.get("Contents", []):
                rel = _relative(obj["Key"], prefix)
                if rel is None or not self._selected(shown + rel):
                    continue
                found += 1
                self._trip()
                yield from self._object(bucket, obj, shown + rel)
            if not page.get("IsTruncated") or not page.get("NextContinuationToken"):
                break
            kw["ContinuationToken"] = page["NextContinuationToken"]
        if not found:
            yield row(self.display, shown.rstrip("/") or None, None, "skipped", "no_objects")

    def _trip(self) -> None:
        if self._health.failures >= 2:
            raise SourceError(f"{self.display} stopped answering", reason=self._health.last or "connection_lost")

    def _selected(self, rel: str) -> bool:
        s = self.settings
        return (not s.include or _matches(rel, s.include)) and not _matches(rel, s.exclude)

    # one object ------------------------------------------------------------------------
    def _object(self, bucket: str, obj: dict, rel: str) -> Iterator[ContainerScan]:
        key, size, etag = obj["Key"], int(obj.get("Size") or 0), obj.get("ETag")
        cov = Coverage(target=self.display, path=rel, container=None)
        if obj.get("StorageClass") in ARCHIVED:
            yield empty_scan(cov, "skipped", "archived_storage_class")
            return
        if size == 0:
            yield empty_scan(cov, "skipped", "empty")
            return
        cap = min(size, self.settings.limits.max_file_bytes)

        def fetch(start: int, end: int) -> bytes:
            kw = {"Bucket": bucket, "Key": key, "Range": f"bytes={start}-{end}"}
            if etag:
                kw["IfMatch"] = etag
            resp = self._call("GetObject", f"s3://{bucket}", self._client.get_object, **kw)
            body = resp["Body"]
            try:
                if start and not resp.get("ContentRange"):
                    raise SourceError("the server ignored Range", reason="range_not_supported")
                data = body.read(end - start + 1)
            except SourceError:
                raise
            except Exception as exc:
                reason = reason_for(exc, True)
                self._health.failed(reason)
                raise SourceError(f"GetObject on s3://{bucket} failed", reason=reason) from None
            finally:
                body.close()
            return data

        try:
            head = fetch(0, min(HEAD_BYTES, cap) - 1)
        except SourceError as exc:
            yield empty_scan(cov, "error", exc.reason)
            return
        if head.startswith(SQLITE_MAGIC):
            yield empty_scan(cov, "skipped", "sqlite_object")
            return
        if size > cap:
            cov.mark("partial", "size_limit")

        @contextmanager
        def opener() -> Iterator[BinaryIO]:
            raw = RangedObject(fetch, cap, head)
            yield io.BufferedReader(raw, raw.max_range)  # type: ignore[arg-type]

        yield from self._streams.dispatch(key.rsplit("/", 1)[-1], head, cov, opener)


def _raise_transport(stream: Any) -> None:
    """A failed ranged GET under a format that swallowed it still fails the container."""
    raw = getattr(stream, "raw", stream)
    failure = getattr(raw, "failure", None)
    if failure:
        raise SourceError("reading the object failed", reason=failure)


def _relative(key: str, prefix: str) -> str | None:
    if key.endswith("/"):
        return None  # a "directory" marker, not a file
    if not prefix or prefix.endswith("/"):
        return key[len(prefix):]
    if key == prefix:
        return key.rsplit("/", 1)[-1]
    return key[len(prefix) + 1:] if key.startswith(prefix + "/") else None
