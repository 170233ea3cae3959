"""HTTP plumbing shared by the Elasticsearch / OpenSearch source and its exposure checks.

Plain HTTP(S) with urllib3, no official client, so that one code path talks to
Elasticsearch 7/8/9 and OpenSearch 1/2/3. Every request has a connect and a read timeout,
is never retried and never follows a redirect. Failures become ``SourceError`` with a
reason code (``timeout``, ``connection_refused``, ``connection_lost``, ``tls_error``, ...);
the text of a urllib3 exception or of a server error body is never passed on (servers
echo queries and documents in their error reasons).

Target forms: ``elasticsearch://[user:pw@]host[:9200]``, ``opensearch://...`` and the TLS
variants ``elasticsearch+https://`` / ``opensearch+https://``. Query parameters:
``ca_certs=/path/ca.pem`` (CA bundle for https), ``verify=false`` (no certificate check),
``api_key=<base64 id:key>`` (sent as ``Authorization: ApiKey``; masked in every display).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from typing import Any

from spillguard.credentials import TargetURI
from spillguard.errors import ConfigError, SourceError

KIND = "elasticsearch"
SCHEMES = {
    "elasticsearch": "http",
    "opensearch": "http",
    "elasticsearch+https": "https",
    "opensearch+https": "https",
}
DEFAULT_PORT = 9200
CAT_INDICES = "/_cat/indices?format=json&expand_wildcards=open&h=index,docs.count,status"


_UNSUPPORTED = (400, 404, 405, 406, 501)
VECTOR_TYPES = ("dense_vector", "knn_vector", "sparse_vector", "rank_vectors")



def urllib3_module():
    try:
        import urllib3
    except ImportError:
        raise ConfigError(
            "the Elasticsearch/OpenSearch driver is not installed: "
            "pip install 'spillguard[elasticsearch]'"
        ) from None
    return urllib3


@dataclass(frozen=True)
class Response:
    status: int
    body: Any  # decoded JSON, or None when the body was not JSON

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    @property
    def error_type(self) -> str | None:
        err = self.body.get("error") if isinstance(self.body, dict) else None
        return err.get("type") if isinstance(err, dict) else None

    def unsupported(self) -> bool:
        """The endpoint or request option does not exist on this server (older version,
        other distribution): a reason to fall back, not to fail."""
        return self.status in _UNSUPPORTED and self.error_type != "index_not_found_exception"


def status_reason(status: int) -> str:
    if status == 401:
        return "auth_failed"
    if status == 403:
        return "permission_denied"
    if status == 404:
        return "not_found"
    if status in (408, 504):
        return "timeout"
    if status == 429:
        return "rejected"
    if status >= 500:
        return "server_error"
    return f"http_{status}"


class EsClient:
    """One connection pool to one cluster. ``credentials=False`` sends no user, password
    or API key (the "readable without credentials" probes)."""

    def __init__(self, uri: TargetURI, *, connect_s: float, read_s: float,
                 credentials: bool = True, verify: bool = True):
        urllib3 = urllib3_module()
        self._exc = urllib3.exceptions
        scheme = SCHEMES.get(uri.scheme)
        if scheme is None or not uri.host:
            raise ConfigError(f"{uri.display} is not an elasticsearch:// or opensearch:// URI with a host")
        host = f"[{uri.host}]" if ":" in uri.host else uri.host
        self.https = scheme == "https"
        self.base = f"{scheme}://{host}:{uri.port or DEFAULT_PORT}"
        self.display = uri.display
        headers = {"Accept": "application/json", "Content-Type": "application/json",
                   "Accept-Encoding": "gzip"}
        if credentials and uri.query.get("api_key"):
            headers["Authorization"] = "ApiKey " + uri.query["api_key"]
        elif credentials and uri.username:
            headers.update(urllib3.util.make_headers(basic_auth=f"{uri.username}:{uri.password or ''}"))
        tls: dict[str, Any] = {}
        self.unverified = False
        if self.https:
            off = not verify or uri.query.get("verify", "").lower() in ("false", "0", "no")
            tls["cert_reqs"] = "CERT_NONE" if off else "CERT_REQUIRED"
            self.unverified = off
            if not off and uri.query.get("ca_certs"):
                tls["ca_certs"] = uri.query["ca_certs"]
        self._quick = urllib3.Timeout(connect=connect_s, read=connect_s)
        self.pool = urllib3.PoolManager(
            num_pools=1, maxsize=1, headers=headers, retries=False,
            timeout=urllib3.Timeout(connect=connect_s, read=read_s), **tls,
        )
        self.answered = False  # the server has answered at least once

    def request(self, method: str, path: str, body: Any = None, *, what: str, quick: bool = False) -> Response:
        """One request; raises SourceError(reason) when no HTTP answer arrives. ``quick``:
        the read timeout is the connect timeout (cleanup calls)."""
        data = json.dumps(body).encode() if body is not None else None
        extra = {"timeout": self._quick} if quick else {}
        try:
            with warnings.catch_warnings():
                if self.unverified:  # chosen (verify=false) or a credential-less probe
                    warnings.simplefilter("ignore", self._exc.InsecureRequestWarning)
                r = self.pool.request(method, self.base + path, body=data, redirect=False, **extra)
        except self._exc.HTTPError as exc:
            raise SourceError(f"{what} on {self.display} failed", reason=self.reason(exc)) from None
        self.answered = True
        try:
            parsed = json.loads(r.data) if r.data else None
        except (ValueError, UnicodeDecodeError):
            parsed = None
        return Response(r.status, parsed)

    def json(self, method: str, path: str, body: Any = None, *, what: str) -> Any:
        """A request that must succeed with a JSON body."""
        r = self.request(method, path, body, what=what)
        if not r.ok:
            raise SourceError(f"{what} on {self.display}: HTTP {r.status}", reason=status_reason(r.status))
        if r.body is None:
            raise SourceError(f"{what} on {self.display}: the answer is not JSON", reason="bad_response")
        return r.body

    def reason(self, exc: BaseException) -> str:
        e = self._exc
        if isinstance(exc, e.SSLError):
            return "tls_error"
        if isinstance(exc, e.NameResolutionError):
            return "unresolvable_host"
        if isinstance(exc, e.NewConnectionError):  # a ConnectTimeoutError subclass: test first
            return "connection_lost" if self.answered else "connection_refused"
        if isinstance(exc, e.TimeoutError):
            return "timeout"
        if isinstance(exc, (e.ProtocolError, e.DecodeError)):
            return "connection_lost"
        return "connection_error"

    def close(self) -> None:
        self.pool.clear()


def server_info(client: EsClient) -> tuple[str, int]:
    """(distribution, major version) from GET /: ("opensearch", 2), ("elasticsearch", 8).
    ("", 0) when the root endpoint is not readable (it needs the cluster monitor privilege)."""
    r = client.request("GET", "/", what="GET /")
    if r.status == 401:
        raise SourceError(f"{client.display} refused the credentials", reason="auth_failed")
    version = r.body.get("version") if r.ok and isinstance(r.body, dict) else None
    if not isinstance(version, dict):
        return "", 0
    dist = str(version.get("distribution") or "elasticsearch")
    try:
        major = int(str(version.get("number", "0")).split(".", 1)[0])
    except ValueError:
        major = 0
    return dist, major


def list_indices(client: EsClient) -> list[tuple[str, int | None]]:
    """Open indices as (name, docs.count), sorted by name, hidden ones included."""
    rows = client.json("GET", CAT_INDICES, what="GET /_cat/indices")
    if not isinstance(rows, list):
        raise SourceError(f"GET /_cat/indices on {client.display}: unexpected answer", reason="bad_response")
    out = []
    for row in rows:
        if not isinstance(row, dict) or not isinstance(row.get("index"), str):
            continue
        if row.get("status") not in (None, "open"):
            continue
        try:
            count = int(row.get("docs.count"))
        except (TypeError, ValueError):
            count = None
        out.append((row["index"], count))
    return sorted(out)


def mapping_flags(body: Any) -> tuple[bool, bool]:
    """(_source enabled, has vector fields) from a GET /<index>/_mapping answer."""
    source_on, vectors = True, False
    for entry in body.values() if isinstance(body, dict) else ():
        mappings = entry.get("mappings") if isinstance(entry, dict) else None
        if not isinstance(mappings, dict):
            continue
        if "properties" not in mappings and len(mappings) == 1:  # 6.x: one mapping type
            only = next(iter(mappings.values()))
            mappings = only if isinstance(only, dict) else mappings
        src = mappings.get("_source")
        if isinstance(src, dict) and src.get("enabled") is False:
            source_on = False
        vectors = vectors or _has_vectors(mappings.get("properties"))
    return source_on, vectors


def _has_vectors(props: Any, depth: int = 0) -> bool:
    if not isinstance(props, dict) or depth > 32:
        return False
    for spec in props.values():
        if not isinstance(spec, dict):
            continue
        if spec.get("type") in VECTOR_TYPES or _has_vectors(spec.get("properties"), depth + 1):
            return True
    return False
