"""Redis test servers (Debian redis-server, scripts/servers/install-redis.sh).

Fixtures (session-scoped, always stopped):
  redis_open   no password, protected-mode no, bind 127.0.0.1, leak-shaped data + a ransom note
  redis_auth   requirepass ADMIN_PASSWORD and a least-privilege ``scanner`` ACL user, same data
  redis_leaky  Redis defaults as found on leaked servers (bind * -::*, protected-mode no), run
               inside its own network namespace (only a loopback interface there) and reached
               through a forwarder on 127.0.0.1: so nothing listens beyond 127.0.0.1 here
  redis_factory  function-scoped: start throwaway servers (fault tests), stopped after the test

Data: :func:`load_leak_data` plants synthetic residents, face-recognition logs, hotel guest
lists, a phone blacklist, seen plates, a check-in stream and binary face embeddings.
"""

from __future__ import annotations

import json
import math
import random
import shutil
import struct
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.servers.base import ManagedProcess, free_port, require_binary, temp_dir, wait_for_port

ADMIN_PASSWORD = "adm1n-T3st-pw-9f2c"
SCANNER_USER = "scanner"
SCANNER_PASSWORD = "sc4nner-T3st-pw-71ab"
# The least-privilege scanning account documented in docs/stores/redis.md.
SCANNER_ACL = ["on", f">{SCANNER_PASSWORD}", "~*", "resetchannels", "-@all", "+@read", "-keys",
               "+info", "+ping", "+select"]
NETNS_UNAVAILABLE = 77

_LAUNCH_IN_NETNS = r"""
import ctypes, fcntl, os, socket, struct, sys
libc = ctypes.CDLL(None, use_errno=True)
if libc.unshare(0x40000000) != 0:  # CLONE_NEWNET
    sys.exit(77)
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
flags = struct.unpack("16sH14s", fcntl.ioctl(s, 0x8913, struct.pack("16sH14s", b"lo", 0, b"")))[1]
fcntl.ioctl(s, 0x8914, struct.pack("16sH14s", b"lo", flags | 1, b""))  # lo up
s.close()
os.execv(sys.argv[1], sys.argv[1:])
"""

_FORWARD = r"""
import ctypes, os, selectors, socket, sys
port, pid, inner = map(int, sys.argv[1:4])
lsock = socket.socket()
lsock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
lsock.bind(("127.0.0.1", port))  # in this (the host's) namespace
lsock.listen(64)
fd = os.open(f"/proc/{pid}/ns/net", os.O_RDONLY)
if ctypes.CDLL(None, use_errno=True).setns(fd, 0x40000000) != 0:
    sys.exit(77)
sel, peer = selectors.DefaultSelector(), {}
sel.register(lsock, selectors.EVENT_READ)
def drop(s):
    for x in (s, peer.pop(s, None)):
        if x is not None:
            peer.pop(x, None)
            try:
                sel.unregister(x)
            except (KeyError, ValueError):
                pass
            x.close()
while True:
    for key, _ in sel.select():
        s = key.fileobj
        if s is lsock:
            c, _ = lsock.accept()
            try:
                u = socket.create_connection(("127.0.0.1", inner), timeout=5)
            except OSError:
                c.close()
                continue
            peer[c], peer[u] = u, c
            sel.register(c, selectors.EVENT_READ)
            sel.register(u, selectors.EVENT_READ)
            continue
        try:
            data = s.recv(65536)
            if data:
                peer[s].sendall(data)
                continue
        except (OSError, KeyError):
            pass
        drop(s)
"""


@dataclass
class RedisServer:
    port: int
    password: str | None
    process: ManagedProcess
    data_dir: Path
    helpers: list[ManagedProcess] = field(default_factory=list)
    planted: dict = field(default_factory=dict)  # container -> keys planted

    def uri(self, db: int | None = None, *, user: str | None = None, password: str | None = None) -> str:
        auth = f"{user or ''}:{password}@" if password is not None else (f"{user}@" if user else "")
        return f"redis://{auth}127.0.0.1:{self.port}" + (f"/{db}" if db is not None else "")

    @property
    def admin_uri(self) -> str:
        return self.uri(password=self.password) if self.password else self.uri()

    @property
    def scanner_uri(self) -> str:
        return self.uri(user=SCANNER_USER, password=SCANNER_PASSWORD)

    def client(self, db: int = 0, timeout: float = 10.0):
        import redis

        return redis.Redis(host="127.0.0.1", port=self.port, db=db, password=self.password,
                           socket_timeout=timeout, socket_connect_timeout=timeout)

    def stop(self) -> None:
        try:
            for proc in [*self.helpers, self.process]:
                proc.stop()
        finally:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def kill(self) -> None:
        self.process.kill()

    def pause(self) -> None:
        self.process.pause()

    def resume(self) -> None:
        self.process.resume()


def start_redis(*, password: str | None = None, scanner: bool = False, netns: bool = False,
                extra: tuple[str, ...] = ()) -> RedisServer:
    """A fresh redis-server on a free 127.0.0.1 port with an empty temp data dir."""
    binary = require_binary("redis-server", "/usr/bin/redis-server")
    data = temp_dir("redis")
    port = free_port()
    inner = 6379 if netns else port
    argv = [binary, "--port", str(inner), "--save", "", "--appendonly", "no", "--dir", str(data),
            "--daemonize", "no", "--logfile", ""]
    if netns:
        argv = [sys.executable, "-c", _LAUNCH_IN_NETNS, *argv, "--protected-mode", "no"]
    else:
        argv += ["--bind", "127.0.0.1", "--protected-mode", "yes" if password else "no"]
    if password:
        argv += ["--requirepass", password]
    proc = ManagedProcess([*argv, *extra], data / "redis.log")
    server = RedisServer(port, password, proc, data)
    try:
        if netns:
            time.sleep(0.3)
            if proc.proc.poll() == NETNS_UNAVAILABLE:
                raise _NoNetns()
            fwd = ManagedProcess([sys.executable, "-c", _FORWARD, str(port), str(proc.proc.pid), str(inner)],
                                 data / "forward.log")
            server.helpers.append(fwd)
            wait_for_port(port, proc=fwd.proc, log=fwd.log)
        else:
            wait_for_port(port, proc=proc.proc, log=proc.log)
        _wait_ready(server)
        if scanner:
            with server.client() as c:
                c.execute_command("ACL", "SETUSER", SCANNER_USER, "reset", *SCANNER_ACL)
    except BaseException:
        server.stop()
        raise
    return server


class _NoNetns(RuntimeError):
    pass


def _wait_ready(server: RedisServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with server.client(timeout=2) as c:
                c.ping()
                return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def resident_id(region: str, birth: str, seq: int) -> str:
    """A valid 18-digit resident ID (GB 11643 MOD 11-2 check digit)."""
    body = f"{region}{birth}{seq:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights)) % 11]


SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "艳", "勇", "杰"]
REGIONS = ["110105", "440524", "650104", "320102", "510107"]


def person(i: int, rng: random.Random) -> dict:
    birth = f"{rng.randint(1950, 2002)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    return {
        "xm": SURNAMES[i % len(SURNAMES)] + GIVEN[i % len(GIVEN)],
        "sfzh": resident_id(REGIONS[i % len(REGIONS)], birth, i % 1000),
        "lxdh": f"139{rng.randint(10_000_000, 99_999_999)}",
        "zzmm": "中共党员" if i % 3 == 0 else "群众",
        "mz": "维吾尔族" if i % 2 == 0 else "汉族",
        "hphm": f"京A{rng.randint(10000, 99999)}",
    }


def embedding(rng: random.Random, dim: int = 128) -> list[float]:
    v = [rng.gauss(0, 1) for _ in range(dim)]
    norm = math.sqrt(sum(x * x for x in v))
    return [x / norm for x in v]


def load_leak_data(client, *, residents: int = 120, seed: int = 7, archive_db: int | None = 2) -> dict:
    """Plant leak-shaped synthetic data; returns {name: count} of what was planted."""
    rng = random.Random(seed)
    people = [person(i, rng) for i in range(residents)]
    pipe = client.pipeline(transaction=False)
    for i, p in enumerate(people):
        pipe.hset(f"resident:{100000 + i}:profile", mapping={**p, "zz": "北京市朝阳区幸福小区3号楼"})
    for i, p in enumerate(people[:40]):
        doc = {"person": {"xm": p["xm"], "sfzh": p["sfzh"]},
               "camera": {"id": f"cam-{i % 4}", "gate": "东门"},
               "captures": [{"ts": f"2024-03-0{1 + i % 9}T08:1{i % 10}:00", "lxdh": p["lxdh"]}],
               "face_feature": embedding(rng)}
        pipe.set(f"face:log:{uuid.UUID(int=rng.getrandbits(128))}", json.dumps(doc, ensure_ascii=False))
    for d in range(5):
        guests = [json.dumps({"xm": p["xm"], "sfzh": p["sfzh"], "room": 300 + j}, ensure_ascii=False)
                  for j, p in enumerate(people[d * 10:d * 10 + 10])]
        pipe.rpush(f"hotel:guests:2024030{d + 1}", *guests)
    pipe.sadd("blacklist:phones", *[p["lxdh"] for p in people[:60]])
    pipe.zadd("plates:seen", {p["hphm"]: i for i, p in enumerate(people[:60])})
    for p in people[:30]:
        pipe.xadd("checkin:stream", {"xm": p["xm"], "sfzh": p["sfzh"], "mz": p["mz"]})
    for i in range(5):  # raw float32 blobs: not UTF-8, must reach the detectors as bytes
        blob = struct.pack("<128f", *embedding(rng))
        pipe.hset(f"face:emb:{i}", mapping={"sfzh": people[i]["sfzh"], "face_feature": blob})
    pipe.hset("phone:owner", mapping={p["lxdh"]: p["xm"] for p in people[:30]})  # a map keyed by phone
    for p in people[:10]:  # an index whose key names hold the ID numbers
        pipe.set(f"idx:sfzh:{p['sfzh']}", "1")
    pipe.set("config:app", json.dumps({"theme": "dark", "retries": 3}))
    pipe.execute()
    planted = {"resident:*:profile": residents, "face:log:*": 40, "hotel:guests:*": 5,
               "blacklist:phones": 1, "plates:seen": 1, "checkin:stream": 1, "face:emb:*": 5,
               "idx:sfzh:*": 10, "phone:owner": 1, "config:app": 1}
    if archive_db is not None:
        with same_server(client, archive_db) as c:
            for i, p in enumerate(people[:20]):
                c.hset(f"archive:{i}", mapping={"xm": p["xm"], "sfzh": p["sfzh"]})
        planted[f"db{archive_db}/archive:*"] = 20
    return planted


def same_server(client, db: int):
    """A client for another database of the server ``client`` talks to."""
    import redis

    kw = client.connection_pool.connection_kwargs
    return redis.Redis(host=kw.get("host"), port=kw.get("port"), username=kw.get("username"),
                       password=kw.get("password"), db=db, socket_timeout=10, socket_connect_timeout=10)


def plant_ransom_note(client) -> None:
    client.set("READ_ME", "All your data is backed up. To recover it send 0.01 BTC to the address "
                          "in our mail; after 48 hours it will be published. (synthetic test note)")


def dump_all(client) -> dict:
    """Every key of every non-empty database with its DUMP payload: a client-side digest."""
    out = {}
    for name in client.info("keyspace"):
        db = int(name[2:])
        with same_server(client, db) as c:
            for key in c.scan_iter(count=1000):
                out[(db, key)] = (c.type(key), c.dump(key))
    return out


def _serve(request, **kwargs) -> RedisServer:
    try:
        server = start_redis(**kwargs)
    except _NoNetns:
        pytest.skip("network namespaces are not available here (unshare CLONE_NEWNET denied)")
    request.addfinalizer(server.stop)
    return server


@pytest.fixture(scope="session")
def redis_open(request) -> RedisServer:
    server = _serve(request)
    with server.client() as c:
        server.planted = load_leak_data(c)
        plant_ransom_note(c)
    return server


@pytest.fixture(scope="session")
def redis_auth(request) -> RedisServer:
    server = _serve(request, password=ADMIN_PASSWORD, scanner=True)
    with server.client() as c:
        server.planted = load_leak_data(c)
    return server


@pytest.fixture(scope="session")
def redis_leaky(request) -> RedisServer:
    server = _serve(request, netns=True)
    with server.client() as c:
        plant_ransom_note(c)
    return server


@pytest.fixture
def redis_factory():
    servers: list[RedisServer] = []

    def start(**kwargs) -> RedisServer:
        server = start_redis(**kwargs)
        servers.append(server)
        return server

    try:
        yield start
    finally:
        for server in servers:
            server.stop()


class Monitor:
    """A raw MONITOR connection in a thread: every command the server runs, by name."""

    def __init__(self, port: int, password: str | None = None):
        import socket
        import threading

        self.commands: list[tuple[str, str]] = []  # (command, first argument)
        self._buf = b""
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        if password:
            self._sock.sendall(_resp("AUTH", password))
            self._readline()
        self._sock.sendall(_resp("MONITOR"))
        assert self._readline() == b"+OK"
        self._sock.settimeout(0.2)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _readline(self) -> bytes:
        while b"\r\n" not in self._buf:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("monitor connection closed")
            self._buf += chunk
        line, self._buf = self._buf.split(b"\r\n", 1)
        return line

    def _run(self) -> None:
        import socket

        while not self._stop.is_set():
            try:
                line = self._readline()
            except socket.timeout:
                continue
            except OSError:
                return
            self._parse(line.decode("utf-8", "replace"))

    def _parse(self, line: str) -> None:
        if not line.startswith("+") or "] " not in line:
            return
        parts = line.split("] ", 1)[1].split('" "')
        name = parts[0].strip('"').lower()
        arg = parts[1].strip('"').lower() if len(parts) > 1 else ""
        self.commands.append((name, arg))

    def stop(self) -> list[tuple[str, str]]:
        time.sleep(0.3)  # let the last lines arrive
        self._stop.set()
        self._thread.join(timeout=5)
        self._sock.close()
        return self.commands


def _resp(*args: str) -> bytes:
    out = [f"*{len(args)}\r\n".encode()]
    for a in args:
        b = a.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(b), b))
    return b"".join(out)


def write_commands(client) -> set[str]:
    """Names of every command the server flags "write" (COMMAND, lower case)."""
    names = set()
    for name, info in client.command().items():
        flags = {f.decode() if isinstance(f, bytes) else f for f in info.get("flags", [])}
        if "write" in flags:
            names.add(name.lower())
    return names

