"""MongoDB test servers: SecantusDB (PyPI ``secantusdb``, command ``secantusd-py``), a
MongoDB wire-protocol server in Python, standing in for mongod (which is not packaged for
Debian and cannot be downloaded here). Random 127.0.0.1 ports, temporary data
directories, always stopped.

* ``mongo_open``: no authentication, plaintext (the leak shape).
* ``mongo_auth``: ``--auth`` (SCRAM-SHA-256) and TLS required (self-signed certificate
  made with openssl), users ``admin`` (root) and ``scanner`` (readAnyDatabase +
  clusterMonitor), created before the restart with ``--auth``.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import shutil
import struct
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.servers.base import ManagedProcess, free_port, require_binary, temp_dir, wait_for_port

ADMIN_USER, ADMIN_PASSWORD = "admin", "Adm1n-pw-7f3c9e"
SCANNER_USER, SCANNER_PASSWORD = "scanner", "Scan-pw-41d8a2"
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def secantusd() -> str:
    return require_binary("secantusd-py", str(Path(sys.executable).parent / "secantusd-py"))


@dataclass
class MongoServer:
    port: int
    data: Path
    auth: bool = False
    ca_file: Path | None = None
    process: ManagedProcess | None = field(default=None, repr=False)
    planted: dict[str, int] = field(default_factory=dict)  # "db.collection" -> documents

    def uri(self, user: str | None = None, password: str | None = None, db: str = "", **params: str) -> str:
        cred = f"{quote(user, safe='')}:{quote(password or '', safe='')}@" if user else ""
        if self.ca_file:
            params = {"tls": "true", "tlsCAFile": str(self.ca_file), **params}
        opts = "&".join(f"{k}={quote(v, safe='/')}" for k, v in params.items())
        return f"mongodb://{cred}127.0.0.1:{self.port}/{db}" + (f"?{opts}" if opts else "")

    def admin_uri(self) -> str:
        return self.uri(ADMIN_USER, ADMIN_PASSWORD) if self.auth else self.uri()

    def client(self, **kw):
        import pymongo

        return pymongo.MongoClient(self.admin_uri(), serverSelectionTimeoutMS=10_000, **kw)

    def stop(self) -> None:
        if self.process is not None:
            self.process.stop()
            self.process = None

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()

    def pause(self) -> None:
        assert self.process is not None
        self.process.pause()

    def resume(self) -> None:
        assert self.process is not None
        self.process.resume()

    def cleanup(self) -> None:
        try:
            if self.process is not None and self.process.proc.poll() is None:
                try:
                    self.process.resume()
                except ProcessLookupError:
                    pass
            self.stop()
        finally:
            shutil.rmtree(self.data, ignore_errors=True)


def _launch(server: MongoServer, *flags: str) -> None:
    empty = server.data / "secantusd.toml"  # an explicit config turns off auto-discovery
    empty.touch()
    argv = [secantusd(), "--config", str(empty), "--host", "127.0.0.1", "--port", str(server.port),
            "--storage-path", str(server.data / "db"), "--standalone", "--log-level", "WARNING", *flags]
    log = server.data / "secantusd.log"
    server.process = ManagedProcess(argv, log)
    wait_for_port(server.port, timeout=60, proc=server.process.proc, log=log)


def _make_cert(directory: Path) -> tuple[Path, Path]:
    cert, key = directory / "server.pem", directory / "server.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=60,
    )
    return cert, key


def start_mongodb(*, auth: bool = False, tls: bool = False) -> MongoServer:
    """Start a server; the caller must call ``cleanup()`` (the fixtures do)."""
    server = MongoServer(port=free_port(), data=temp_dir("mongodb"), auth=auth)
    try:
        if auth:  # users are provisioned without --auth, then the server restarts with it
            _launch(server)
            import pymongo

            with pymongo.MongoClient(server.uri(), serverSelectionTimeoutMS=10_000) as c:
                c.admin.command("createUser", ADMIN_USER, pwd=ADMIN_PASSWORD, roles=["root"])
                c.admin.command("createUser", SCANNER_USER, pwd=SCANNER_PASSWORD,
                                roles=["readAnyDatabase", "clusterMonitor"])
            server.stop()
        flags: list[str] = ["--auth"] if auth else []
        if tls:
            cert, key = _make_cert(server.data)
            server.ca_file = cert
            flags += ["--tls-cert-file", str(cert), "--tls-key-file", str(key)]
        _launch(server, *flags)
        return server
    except BaseException:
        server.cleanup()
        raise


# -- synthetic leak-shaped data ----------------------------------------------------------


def resident_id(region: str, birth: dt.date, seq: int, female: bool = False) -> str:
    """A GB 11643 resident ID with a valid MOD 11-2 check character."""
    seq = seq % 500 * 2 + (0 if female else 1)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    total = sum(int(d) * w for d, w in zip(body, _WEIGHTS))
    return body + "10X98765432"[total % 11]


def unit_vector(rng: random.Random, dims: int) -> list[float]:
    v = [rng.gauss(0, 1) for _ in range(dims)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


FIXED_IDS = ("11010519491231002X",)  # the rest are computed with MOD 11-2
ETHNIC = ("维吾尔族", "汉族", "回族", "藏族")
PARTY = ("中共党员", "群众", "共青团员")
PLATES = ("京A12345", "粤B6C789", "沪C2D345", "新A7F812")
RANSOM_DB, RANSOM_COLLECTION = "READ_ME_TO_RECOVER_YOUR_DATA", "README"


def person(rng: random.Random, i: int) -> dict:
    birth = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 20000))
    sfzh = FIXED_IDS[i] if i < len(FIXED_IDS) else resident_id("650104", birth, i, bool(i % 2))
    return {"xm": rng.choice("张王李赵刘陈") + rng.choice(("伟", "芳", "娜", "敏", "静", "强")),
            "sfzh": sfzh, "lxdh": f"139{12345678 + i:08d}"[:11], "mz": ETHNIC[i % len(ETHNIC)],
            "zzmm": PARTY[i % len(PARTY)]}


def load_leak_data(client, *, guests: int = 300, residents: int = 120, faces: int = 60,
                   ransom: bool = True, seed: int = 7) -> dict[str, int]:
    """Plant leak-shaped collections (and the view hotel.guest_rooms); returns
    {"db.collection": documents} for the collections."""
    import bson

    rng = random.Random(seed)
    hotel, police, estate = client["hotel"], client["police"], client["residential"]
    docs = []
    for i in range(guests):
        p = person(rng, i)
        docs.append({
            "room": f"{rng.randrange(1, 30)}{rng.randrange(1, 40):02d}",
            "checkin": dt.datetime(2024, 1, 1) + dt.timedelta(hours=i * 7),
            "price": bson.Decimal128(f"{rng.randrange(200, 900)}.00"),
            "guest": {"xm": p["xm"], "id_no": p["sfzh"], "lxdh": p["lxdh"], "mz": p["mz"]},
            "companions": [{"xm": person(rng, guests + i)["xm"],
                            "id_no": resident_id("110105", dt.date(1980, 5, 17), i)}],
        })
    hotel.guests.insert_many(docs)
    hotel.command("create", "guest_rooms", viewOn="guests", pipeline=[{"$project": {"room": 1}}])
    docs = []
    for i in range(residents):
        p = person(rng, i)
        docs.append({**p, "hphm": PLATES[i % len(PLATES)], "building": rng.randrange(1, 12)})
    estate.residents.insert_many(docs)
    docs = []
    passers = [person(rng, i)["sfzh"] for i in range(12)]  # the same 12 people pass the gate again and again
    for i in range(faces):
        vec = unit_vector(rng, 128)
        docs.append({
            "camera": f"cam-{i % 5}", "captured_at": dt.datetime(2024, 3, 1, 8) + dt.timedelta(minutes=i),
            "sfzh": passers[i % len(passers)], "similarity": round(rng.uniform(0.8, 0.99), 3),
            "face": {"feature": vec},
            "face_blob": bson.Binary(struct.pack("<128f", *unit_vector(rng, 128))),
        })
    police.face_logs.insert_many(docs)
    counts = {"hotel.guests": guests, "residential.residents": residents, "police.face_logs": faces}
    if ransom:
        client[RANSOM_DB][RANSOM_COLLECTION].insert_one(
            {"content": "All your data is backed up. Send 0.01 BTC to recover it."})
        counts[f"{RANSOM_DB}.{RANSOM_COLLECTION}"] = 1
    return counts


def digest(client) -> dict[str, str]:
    """sha256 of every collection's documents in _id order, per "db.collection"."""
    import hashlib

    import bson

    out = {}
    for db in sorted(client.list_database_names()):
        if db in ("local", "config"):
            continue
        for name in sorted(client[db].list_collection_names()):
            h = hashlib.sha256()
            for doc in client[db][name].find({}).sort("_id", 1):
                h.update(bson.encode(doc))
            out[f"{db}.{name}"] = h.hexdigest()
    return out


# -- fixtures ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def mongo_open():
    server = start_mongodb()
    try:
        with server.client() as c:
            server.planted = load_leak_data(c)
        yield server
    finally:
        server.cleanup()


@pytest.fixture(scope="session")
def mongo_auth():
    server = start_mongodb(auth=True, tls=True)
    try:
        with server.client() as c:
            server.planted = load_leak_data(c, ransom=False)
        yield server
    finally:
        server.cleanup()


@pytest.fixture
def mongo_disposable():
    """A fresh open server per test, for tests that kill or pause it."""
    server = start_mongodb()
    try:
        yield server
    finally:
        server.cleanup()
