"""S3 plumbing shared by the S3 source and its exposure checks.

Target form: ``s3://[KEY:SECRET@][bucket][/prefix]`` (no bucket: every bucket the
credentials can list). The endpoint is ``settings.endpoint_url`` (S3-compatible stores:
MinIO, SeaweedFS, Ceph RGW, OSS/COS/OBS gateways) or botocore's own ``AWS_ENDPOINT_URL_S3``
/ ``AWS_ENDPOINT_URL``; AWS otherwise. Credentials: the URI (or SPILLGUARD_S3_USER /
SPILLGUARD_S3_PASSWORD / the credentials file, see credentials.py), else the standard AWS
chain (AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ~/.aws, instance roles); with
no credentials at all requests go unsigned (anonymous), which is how a leaked bucket is read.

Every client has a connect and a read timeout and at most 2 retries. Failures become
``SourceError`` with a reason code; the text of a botocore exception or of an S3 error
body is never passed on (error bodies quote keys and requests).
"""

from __future__ import annotations

import io
import os
import re
from dataclasses import dataclass, field
from typing import Any, Callable
from urllib.parse import unquote, urlsplit

from spillguard.credentials import TargetURI, parse_target
from spillguard.errors import ConfigError, SourceError, safe_reason
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome
from spillguard.settings import Settings

KIND = "s3"
MAX_RETRIES = 2
HEAD_BYTES = 64 * 1024  # the first ranged GET of an object (format sniffing)
RANGE_BYTES = 8 * 1024 * 1024  # the largest single ranged GET (and read buffer)
TRANSPORT = ("timeout", "connection_lost", "connection_refused")

_CODES = {
    "AccessDenied": "permission_denied", "AllAccessDisabled": "permission_denied",
    "AccountProblem": "permission_denied", "InvalidAccessKeyId": "auth_failed",
    "SignatureDoesNotMatch": "auth_failed", "ExpiredToken": "auth_failed",
    "InvalidToken": "auth_failed", "TokenRefreshRequired": "auth_failed",
    "NoSuchBucket": "not_found", "NoSuchKey": "not_found", "NotFound": "not_found",
    "PreconditionFailed": "changed_during_scan", "InvalidObjectState": "archived_storage_class",
    "SlowDown": "throttled", "NotImplemented": "not_implemented",
}
_STATUS = {401: "auth_failed", 403: "permission_denied", 404: "not_found",
           412: "changed_during_scan", 501: "not_implemented", 503: "throttled"}



@dataclass(frozen=True)
class S3Target:
    bucket: str | None
    prefix: str
    access_key: str | None
    secret_key: str | None = field(repr=False)
    display: str


def s3_target(uri: TargetURI) -> S3Target:
    """Bucket, prefix and credentials of a parsed ``s3://`` target."""
    netloc = urlsplit(uri.raw).netloc.rpartition("@")[2]
    if ":" in netloc:
        raise ConfigError(f"{uri.display}: an s3:// URI names a bucket, not host:port; "
                          "give the server with --endpoint-url")
    if bool(uri.username) != bool(uri.password):
        raise ConfigError(f"{uri.display}: give both the access key and the secret key")
    return S3Target(unquote(netloc) or None, uri.path, uri.username, uri.password, uri.display)


def parse_s3(target: str, settings: Settings) -> S3Target:
    return s3_target(parse_target(target, settings.credentials_file))


def _botocore():
    try:
        import boto3
        import botocore
        import botocore.config
        import botocore.exceptions
    except ImportError:
        raise ConfigError("the S3 driver is not installed: pip install 'spillguard[s3]'") from None
    return boto3, botocore


def make_client(t: S3Target, settings: Settings, *, read_timeout: float,
                unsigned: bool = False) -> tuple[Any, bool]:
    """(client, signed). ``unsigned`` ignores every credential (the anonymous probes); a
    client with no credentials anywhere is unsigned too."""
    boto3, botocore = _botocore()
    try:
        if t.access_key and not unsigned:
            session = boto3.session.Session(aws_access_key_id=t.access_key,
                                            aws_secret_access_key=t.secret_key)
        else:
            session = boto3.session.Session()
        signed = not unsigned and session.get_credentials() is not None
    except botocore.exceptions.BotoCoreError as exc:  # missing profile, bad config file
        raise ConfigError(f"{t.display}: AWS credentials could not be loaded "
                          f"({type(exc).__name__})") from None
    endpoint = settings.endpoint_url
    custom = bool(endpoint or os.environ.get("AWS_ENDPOINT_URL_S3") or os.environ.get("AWS_ENDPOINT_URL"))
    config = botocore.config.Config(
        connect_timeout=settings.limits.connect_timeout_s,
        read_timeout=read_timeout,
        retries={"max_attempts": MAX_RETRIES, "mode": "standard"},
        s3={"addressing_style": "path"} if custom else {},
        signature_version=None if signed else botocore.UNSIGNED,
        user_agent_extra="spillguard",
    )
    client = session.client("s3", endpoint_url=endpoint, config=config,
                            region_name=session.region_name or "us-east-1")
    return client, signed


def error_code(exc: BaseException) -> str | None:
    resp = getattr(exc, "response", None)
    code = resp.get("Error", {}).get("Code") if isinstance(resp, dict) else None
    return code if isinstance(code, str) and re.fullmatch(r"[A-Za-z0-9]{1,64}", code) else None


def http_status(exc: BaseException) -> int | None:
    resp = getattr(exc, "response", None)
    status = resp.get("ResponseMetadata", {}).get("HTTPStatusCode") if isinstance(resp, dict) else None
    return status if isinstance(status, int) else None


def reason_for(exc: BaseException, answered: bool = True) -> str:
    """A reason code for a boto3/botocore failure, never the exception's text.
    ``answered``: the server has answered before (refused now means lost)."""
    if isinstance(exc, SourceError):
        return exc.reason
    _, botocore = _botocore()
    e = botocore.exceptions
    if isinstance(exc, e.ClientError):
        code, status = error_code(exc), http_status(exc)
        if code in _CODES:
            return _CODES[code]
        if status in _STATUS:
            return _STATUS[status]
        return "server_error" if status and status >= 500 else "s3_error"
    if isinstance(exc, (e.ConnectTimeoutError, e.ReadTimeoutError)):
        return "timeout"
    if isinstance(exc, e.EndpointConnectionError):
        return "connection_lost" if answered else "connection_refused"
    if isinstance(exc, (e.ConnectionClosedError, e.ResponseStreamingError, e.IncompleteReadError)):
        return "connection_lost"
    if isinstance(exc, (e.NoCredentialsError, e.PartialCredentialsError)):
        return "auth_failed"
    if isinstance(exc, e.BotoCoreError):
        return "s3_error"
    return safe_reason(exc)


def call(what: str, where: str, fn: Callable[..., Any], answered: bool = True, **kwargs) -> Any:
    """One S3 call; any failure -> SourceError("<what> on <where> failed", reason)."""
    try:
        return fn(**kwargs)
    except Exception as exc:
        raise SourceError(f"{what} on {where} failed", reason=reason_for(exc, answered)) from None


def list_bucket_names(client: Any, where: str) -> list[str]:
    resp = call("ListBuckets", where, client.list_buckets, answered=False)
    return sorted(b["Name"] for b in resp.get("Buckets", []) if isinstance(b.get("Name"), str))


def one_key(client: Any, bucket: str, prefix: str) -> str | None:
    """The first object key under ``prefix`` (directory markers skipped), or None."""
    resp = call("ListObjectsV2", f"s3://{bucket}", client.list_objects_v2,
                Bucket=bucket, Prefix=prefix, MaxKeys=50)
    keys = [o["Key"] for o in resp.get("Contents", []) if not o["Key"].endswith("/")]
    return keys[0] if keys else None


class Health:
    """Whether the server still answers: transport failures in a row trip the target."""

    def __init__(self) -> None:
        self.answered = False
        self.failures = 0
        self.last: str | None = None

    def ok(self) -> None:
        self.answered, self.failures = True, 0

    def failed(self, reason: str) -> None:
        if reason in TRANSPORT:
            self.failures += 1
            self.last = reason


class RangedObject(io.RawIOBase):
    """A read-only, seekable view of the first ``size`` bytes of one object; bytes are
    fetched lazily by ``fetch(start, end_inclusive)`` in bounded ranges."""

    def __init__(self, fetch: Callable[[int, int], bytes], size: int, head: bytes = b""):
        self._fetch, self._size, self._head = fetch, size, head
        self._pos, self._next = 0, HEAD_BYTES
        self.max_range = RANGE_BYTES  # the module value when opened (tests shrink it)
        self.failure: str | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        if self._pos >= self._size or not len(b):
            return 0
        if self._pos < len(self._head):
            data = self._head[self._pos: self._pos + len(b)]
        else:
            n = min(len(b), self._next, self.max_range, self._size - self._pos)
            self._next = min(self._next * 2, self.max_range)
            try:
                data = self._fetch(self._pos, self._pos + n - 1)
            except SourceError as exc:
                self.failure = exc.reason
                raise
            if not data:
                self.failure = "changed_during_scan"
                raise SourceError("object shorter than listed", reason="changed_during_scan")
        b[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self._size}[whence]
        new = max(0, base + offset)
        if new != self._pos:
            self._next = HEAD_BYTES  # random access: start small again
        self._pos = new
        return self._pos

    def tell(self) -> int:
        return self._pos


class BucketCheck(Check):
    """A check answered per bucket. ``run`` covers the target's bucket, or every bucket
    the credentials list (``s3://``): exposed if any bucket is, unknown if any is unknown.
    ``run_buckets`` gives one (``s3://bucket``, Outcome) per bucket for a caller that
    reports posture bucket by bucket."""

    def probe(self, ctx: CheckContext, t: S3Target, bucket: str) -> Outcome:
        raise NotImplementedError

    def probe_service(self, ctx: CheckContext, t: S3Target, buckets: list[str]) -> Outcome | None:
        """An account-wide observation for ``s3://`` targets (None: nothing to add)."""
        return None

    def run_buckets(self, ctx: CheckContext) -> list[tuple[str, Outcome]]:
        t = s3_target(ctx.uri)
        if t.bucket:
            buckets = [t.bucket]
        else:
            client, _ = make_client(t, ctx.settings, read_timeout=ctx.timeout)
            try:
                buckets = list_bucket_names(client, t.display)
            except SourceError as exc:
                return [(t.display, Outcome(UNKNOWN, f"buckets not listed: {exc.reason}"))]
            finally:
                client.close()
        out: list[tuple[str, Outcome]] = []
        if not t.bucket:
            extra = self.probe_service(ctx, t, buckets)
            if extra is not None:
                out.append((t.display, extra))
            if not buckets and extra is None:
                out.append((t.display, Outcome(UNKNOWN, "no bucket listed: nothing to check")))
        for bucket in buckets:
            try:
                out.append((f"s3://{bucket}", self.probe(ctx, t, bucket)))
            except SourceError as exc:
                out.append((f"s3://{bucket}", Outcome(UNKNOWN, f"check failed: {exc.reason}")))
        return out

    def run_each(self, ctx: CheckContext) -> list[tuple[str, Outcome]]:
        """Posture per bucket: ``s3://`` yields one result for every bucket listed."""
        return self.run_buckets(ctx)

    def run(self, ctx: CheckContext) -> Outcome:
        results = self.run_buckets(ctx)
        if len(results) == 1:
            return results[0][1]
        for status in (EXPOSED, UNKNOWN):
            hits = [(w, o) for w, o in results if o.status == status]
            if hits:
                shown = "; ".join(f"{w}: {o.detail}" for w, o in hits[:5])
                more = f"; and {len(hits) - 5} more" if len(hits) > 5 else ""
                return Outcome(status, f"{len(hits)} of {len(results)}: {shown}{more}")
        return Outcome(NOT_EXPOSED, f"none of {len(results)} buckets: " + results[0][1].detail)
