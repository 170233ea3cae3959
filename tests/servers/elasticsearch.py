"""Elasticsearch/OpenSearch test servers: osmem-server (an in-memory server speaking the
OpenSearch REST API, from PyPI) behind Debian nginx.

No real Elasticsearch or OpenSearch can be installed here (no JVM packages in Debian), so
osmem stands in for the cluster and nginx plays the security layer: ``auth_basic`` + TLS for
the "secured" cluster, nothing for the open one, plus per-path rules (403 on one index, 404 on
PIT/scroll endpoints, ``sub_filter`` faking shard failures) and an access log that records
every request the scanner makes (the read-only proof).

Fixtures (session): ``es_open`` (open cluster, ransom-note index planted) and ``es_auth``
(basic auth over TLS). Factories for fault tests: ``start_osmem``, ``start_nginx``.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest
import urllib3

from tests.servers.base import ManagedProcess, free_port, require_binary, temp_dir, wait_for_port

USER, PASSWORD = "scanner", "Es-Scan-pw-7319!"
RANSOM_INDEX = "read_me"


def osmem_binary() -> str:
    import osmem_server

    return require_binary("osmem-server", osmem_server.resolve_binary())


@dataclass
class Osmem:
    proc: ManagedProcess
    port: int
    dir: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(self, method: str, path: str, body=None, ndjson: str | None = None):
        """Admin access straight to the backend (no proxy, no auth)."""
        data = ndjson.encode() if ndjson is not None else (json.dumps(body).encode() if body is not None else None)
        ctype = "application/x-ndjson" if ndjson is not None else "application/json"
        r = urllib3.request(method, self.url + path, body=data, headers={"Content-Type": ctype},
                            timeout=urllib3.Timeout(connect=5, read=30), retries=False)
        if r.status >= 300:
            raise RuntimeError(f"osmem {method} {path}: HTTP {r.status}")
        return json.loads(r.data) if r.data else None

    def stop(self) -> None:
        if self.proc.proc.poll() is None:
            try:
                self.proc.resume()  # a paused server would not see SIGTERM
            except ProcessLookupError:
                pass
        self.proc.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def start_osmem() -> Osmem:
    d = temp_dir("osmem")
    port = free_port()
    argv = [osmem_binary(), "-addr", f"127.0.0.1:{port}", "-no-stdin-watch", "-no-ja",
            "-parent-pid", str(os.getpid())]
    proc = ManagedProcess(argv, d / "osmem.log")
    try:
        wait_for_port(port, 30, proc.proc, d / "osmem.log")
    except Exception:
        proc.stop()
        raise
    return Osmem(proc, port, d)


@dataclass
class Nginx:
    proc: ManagedProcess
    port: int
    dir: Path
    tls: bool
    ca: Path | None = None
    rules: list[str] = field(default_factory=list)

    def uri(self, scheme: str = "elasticsearch", user: str | None = None, password: str | None = None) -> str:
        cred = f"{user}:{password}@" if user else ""
        scheme = f"{scheme}+https" if self.tls else scheme
        query = f"?ca_certs={self.ca}" if self.tls else ""
        return f"{scheme}://{cred}127.0.0.1:{self.port}{query}"

    def requests(self) -> list[tuple[str, str, int]]:
        """(method, request URI, status) of every request so far (nginx logs a request
        after answering it: wait until the log stops growing)."""
        log, size = self.dir / "access.log", -1
        while log.exists() and log.stat().st_size != size:
            size = log.stat().st_size
            time.sleep(0.3)
        out = []
        for line in (self.dir / "access.log").read_text().splitlines():
            method, uri, status = line.split(" ", 2)
            out.append((method, uri, int(status)))
        return out

    def stop(self) -> None:
        self.proc.stop()
        shutil.rmtree(self.dir, ignore_errors=True)


def _tls_files(d: Path) -> tuple[Path, Path]:
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    return cert, key


def _htpasswd(path: Path, user: str, password: str) -> None:
    hashed = subprocess.run(["openssl", "passwd", "-apr1", "-stdin"], input=password.encode(),
                            check=True, capture_output=True).stdout.decode().strip()
    path.write_text(f"{user}:{hashed}\n")


def start_nginx(upstream: int, *, auth: bool = False, tls: bool = False, rules: list[str] = ()) -> Nginx:
    """nginx on a free port proxying to 127.0.0.1:<upstream>. ``rules`` are extra
    ``location`` blocks (regex locations win over the catch-all ``location /``)."""
    nginx = require_binary("nginx", "/usr/sbin/nginx")
    d = temp_dir("nginx")
    d.chmod(0o755)  # workers may run as another user
    port = free_port()
    ca = None
    ssl = ""
    if tls:
        cert, key = _tls_files(d)
        ca = cert
        ssl = f"ssl_certificate {cert}; ssl_certificate_key {key};"
    auth_lines = ""
    if auth:
        _htpasswd(d / "htpasswd", USER, PASSWORD)
        (d / "htpasswd").chmod(0o644)
        auth_lines = f'auth_basic "spillguard test"; auth_basic_user_file {d}/htpasswd;'
    proxy = (f"proxy_pass http://127.0.0.1:{upstream}; proxy_http_version 1.1; "
             'proxy_set_header Connection ""; proxy_read_timeout 600s; proxy_buffering off;')
    conf = f"""
daemon off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log warn;
events {{ worker_connections 64; }}
http {{
  log_format rw '$request_method $request_uri $status';
  access_log {d}/access.log rw;
  client_body_temp_path {d}/body; proxy_temp_path {d}/proxy; fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi; scgi_temp_path {d}/scgi;
  client_max_body_size 64m;
  server {{
    listen 127.0.0.1:{port}{' ssl' if tls else ''};
    {ssl}
    {auth_lines}
    {chr(10).join(r.replace('@PROXY@', proxy) for r in rules)}
    location / {{ {proxy} }}
  }}
}}
"""
    (d / "nginx.conf").write_text(conf)
    proc = ManagedProcess([nginx, "-p", str(d), "-c", str(d / "nginx.conf"), "-e", str(d / "error.log")],
                          d / "stdout.log")
    try:
        wait_for_port(port, 15, proc.proc, d / "error.log")
    except Exception:
        proc.stop()
        raise
    return Nginx(proc, port, d, tls, ca, list(rules))


# -- synthetic leak-shaped data ------------------------------------------------------------

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str, birth: str, seq: int) -> str:
    """A checksum-valid (GB 11643, MOD 11-2) synthetic resident ID."""
    body = f"{region}{birth}{seq:03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W)) % 11]


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超")
REGIONS = ("110105", "440524", "650104", "310101", "320102")


def _person(i: int) -> dict:
    return {
        "xm": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
        "sfzh": resident_id(REGIONS[i % len(REGIONS)], f"19{50 + i % 45:02d}{1 + i % 12:02d}{1 + i % 28:02d}", 100 + i),
    }


def _vector(i: int, dim: int = 128) -> list[float]:
    raw = [((i * 31 + k * 17) % 97) / 97.0 - 0.5 for k in range(dim)]
    norm = sum(x * x for x in raw) ** 0.5
    return [round(x / norm, 6) for x in raw]


def leak_documents() -> dict[str, list[dict]]:
    residents = []
    for i in range(30):
        p = _person(i)
        residents.append({
            **p, "lxdh": f"139{12345678 + i:08d}", "zzmm": "中共党员", "mz": "维吾尔族",
            "jzdz": {"xzqh": "朝阳区", "xxdz": f"北京市朝阳区望京街道{i + 1}号院{i % 9 + 1}单元"},
            "jtcy": [{**_person(i + 100), "gx": "配偶"}, {**_person(i + 200), "gx": "子女"}],
            "loc": {"lat": round(39.9 + i / 1000, 6), "lon": round(116.4 + i / 1000, 6)},
        })
    hotel = [{"guest": _person(i + 300), "hphm": f"京A{12345 + i}", "fh": f"{800 + i}",
              "rzsj": f"2024-05-{1 + i % 28:02d}T21:00:00"} for i in range(25)]
    faces = [{"device_id": f"cam-{i % 7:03d}", "zpsj": f"2024-06-01T08:{i % 60:02d}:00",
              "sfzh": _person(i + 400)["sfzh"], "face_feature": _vector(i),
              "loc": {"lat": round(43.8 + i / 10000, 6), "lon": round(87.6 + i / 10000, 6)}} for i in range(120)]
    return {"residents": residents, "hotel_checkins": hotel, "face_capture_logs": faces}


MAPPINGS = {
    "residents": {"properties": {"loc": {"type": "geo_point"}, "jtcy": {"type": "nested"}}},
    "face_capture_logs": {"properties": {"loc": {"type": "geo_point"},
                                         "face_feature": {"type": "knn_vector", "dimension": 128}}},
}


def load_leak_data(server: Osmem, *, ransom: bool = False, hidden: bool = True) -> dict[str, int]:
    """Create the leak-shaped indices; returns {index: number of documents}."""
    docs = leak_documents()
    if ransom:
        docs[RANSOM_INDEX] = [{"message": "All your data is backed up. Pay 0.01 BTC to recover it."}]
    if hidden:
        docs[".internal-audit"] = [{"note": "system index, never scanned"}]
    for index, rows in docs.items():
        server.request("PUT", f"/{index}", {"mappings": MAPPINGS.get(index, {})})
        lines = []
        for n, row in enumerate(rows):
            lines.append(json.dumps({"index": {"_index": index, "_id": f"{index}-{n}"}}))
            lines.append(json.dumps(row, ensure_ascii=False))
        res = server.request("POST", "/_bulk?refresh=true", ndjson="\n".join(lines) + "\n")
        if res.get("errors"):
            raise RuntimeError(f"bulk load into {index} failed")
    return {k: len(v) for k, v in docs.items()}


def load_many(server: Osmem, index: str, n: int) -> None:
    lines = []
    for i in range(n):
        lines.append(json.dumps({"index": {"_index": index}}))
        lines.append(json.dumps({**_person(i + 1000), "lxdh": f"138{10000000 + i:08d}"}, ensure_ascii=False))
    server.request("POST", "/_bulk?refresh=true", ndjson="\n".join(lines) + "\n")


def all_documents(server: Osmem, index: str) -> list[dict]:
    """Every document of an index, read by the admin (from/size is enough for test sizes)."""
    res = server.request("POST", f"/{index}/_search", {"size": 10_000, "sort": ["_id"],
                                                         "seq_no_primary_term": True, "version": True})
    return res["hits"]["hits"]


def basic_auth(user: str = USER, password: str = PASSWORD) -> str:
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


# -- fixtures ------------------------------------------------------------------------------

@dataclass
class Cluster:
    backend: Osmem
    proxy: Nginx
    counts: dict[str, int]

    def uri(self, scheme: str = "elasticsearch", **kw) -> str:
        return self.proxy.uri(scheme, **kw)


@pytest.fixture(scope="session")
def es_open() -> Iterator[Cluster]:
    """An open cluster (no authentication, plain HTTP) holding the leak data and a ransom note."""
    backend = start_osmem()
    proxy = None
    try:
        counts = load_leak_data(backend, ransom=True)
        proxy = start_nginx(backend.port)
        yield Cluster(backend, proxy, counts)
    finally:
        if proxy is not None:
            proxy.stop()
        backend.stop()


@pytest.fixture(scope="session")
def es_auth() -> Iterator[Cluster]:
    """A secured cluster: basic authentication over TLS (nginx), no ransom note."""
    backend = start_osmem()
    proxy = None
    try:
        counts = load_leak_data(backend)
        proxy = start_nginx(backend.port, auth=True, tls=True)
        yield Cluster(backend, proxy, counts)
    finally:
        if proxy is not None:
            proxy.stop()
        backend.stop()
