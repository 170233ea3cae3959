"""Throwaway MariaDB servers (Debian ``mariadb-server``, see scripts/servers/install-mysql.sh)
for tests/live/test_mysql.py, and synthetic leak-shaped data to plant in them.

- ``mysql_open``: ``--skip-grant-tables`` (MariaDB 10.11 keeps TCP networking on with it):
  what "no password" looks like on a real server — any user name, no password, every
  privilege. Planted: the ``leak`` database and a ransom note (``PLEASE_READ_ME_XYZ``).
- ``mysql_auth``: grant tables on, every root account with a random password, no anonymous
  account, TLS with a self-signed certificate, and a least-privilege ``scanner`` account.
- ``start_server``: for tests that kill, pause or reconfigure their own instance.

Every server listens on 127.0.0.1 on a free port, keeps its data in a temp directory
(removed on stop) and writes a general query log (``server.general_log``).
"""

from __future__ import annotations

import json
import random
import secrets
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

from tests.servers.base import ManagedProcess, free_port, require_binary, temp_dir, wait_for_port

_SMALL = ["--innodb-buffer-pool-size=16M", "--innodb-log-file-size=8M"]


@dataclass
class MariaDBServer:
    name: str
    root: Path
    port: int
    proc: ManagedProcess
    root_password: str = ""
    skip_grant_tables: bool = False
    scanner_user: str = "scanner"
    scanner_password: str = field(default="", repr=False)

    @property
    def socket(self) -> Path:
        return self.root / "mysqld.sock"

    @property
    def general_log(self) -> Path:
        return self.root / "general.log"

    def uri(self, user: str | None = None, password: str | None = None, db: str | None = None,
            scheme: str = "mysql") -> str:
        auth = ""
        if user is not None:
            auth = user + (f":{password}" if password is not None else "") + "@"
        return f"{scheme}://{auth}127.0.0.1:{self.port}/{db or ''}"

    def scanner_uri(self, db: str | None = "leak") -> str:
        return self.uri(self.scanner_user, self.scanner_password, db)

    def admin(self, db: str | None = None):
        """A root connection over the unix socket (autocommit): for planting data only."""
        import pymysql

        return pymysql.connect(unix_socket=str(self.socket), user="root",
                               password=self.root_password, database=db, charset="utf8mb4",
                               autocommit=True, connect_timeout=10, read_timeout=60)

    def checksum(self, tables: list[str]) -> dict[str, int]:
        with self.admin() as conn, conn.cursor() as cur:
            cur.execute("CHECKSUM TABLE " + ", ".join(tables))
            return {str(name): int(value or 0) for name, value in cur.fetchall()}

    def stop(self) -> None:
        try:
            self.proc.stop(timeout=30)
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def kill(self) -> None:
        self.proc.kill()

    def pause(self) -> None:
        self.proc.pause()

    def resume(self) -> None:
        self.proc.resume()


def start_server(name: str, *, skip_grant_tables: bool = False, tls: bool = False,
                 extra: tuple[str, ...] = ()) -> MariaDBServer:
    """Initialise a fresh data directory and start mariadbd on a free 127.0.0.1 port.
    The root accounts have no password (set one with ``secure_accounts``)."""
    mariadbd = require_binary("mariadbd", "/usr/sbin/mariadbd")
    install_db = require_binary("mariadb-install-db", "/usr/bin/mariadb-install-db")
    root = temp_dir(f"mysql-{name}")
    try:
        subprocess.run(
            [install_db, "--no-defaults", f"--datadir={root / 'data'}", "--user=root",
             "--auth-root-authentication-method=normal", "--skip-test-db", *_SMALL],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=120,
        )
        args = [mariadbd, "--no-defaults", f"--datadir={root / 'data'}",
                f"--socket={root / 'mysqld.sock'}", f"--pid-file={root / 'mysqld.pid'}",
                "--bind-address=127.0.0.1", "--user=root", "--general-log=1",
                f"--general-log-file={root / 'general.log'}", f"--log-error={root / 'error.log'}",
                "--character-set-server=utf8mb4", "--skip-log-bin", *_SMALL, *extra]
        if skip_grant_tables:
            args.append("--skip-grant-tables")
        if tls:
            args += _tls_args(root)
        port = free_port()
        proc = ManagedProcess([*args, f"--port={port}"], root / "stdout.log")
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    server = MariaDBServer(name, root, port, proc, skip_grant_tables=skip_grant_tables)
    try:
        wait_for_port(port, 60, proc.proc, root / "error.log")
        _wait_ready(server)
    except BaseException:
        server.stop()
        raise
    return server


def _tls_args(root: Path) -> list[str]:
    openssl = require_binary("openssl")
    cert, key = root / "server-cert.pem", root / "server-key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=60)
    return [f"--ssl-cert={cert}", f"--ssl-key={key}"]


def _wait_ready(server: MariaDBServer, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            server.admin().close()
            return
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def secure_accounts(server: MariaDBServer) -> None:
    """Random root passwords, no anonymous account, a SELECT-only ``scanner`` account
    (plus the column grant the anonymous-grants check needs)."""
    password = secrets.token_urlsafe(16)
    server.scanner_password = secrets.token_urlsafe(16)
    with server.admin() as conn, conn.cursor() as cur:
        cur.execute("SELECT Host FROM mysql.user WHERE User = ''")
        for (host,) in cur.fetchall():
            cur.execute("DROP USER ''@%s", (host,))
        cur.execute("CREATE USER %s@'%%' IDENTIFIED BY %s",
                    (server.scanner_user, server.scanner_password))
        cur.execute(f"GRANT SELECT, SHOW VIEW ON leak.* TO '{server.scanner_user}'@'%'")
        cur.execute(f"GRANT SELECT (User, Host) ON mysql.user TO '{server.scanner_user}'@'%'")
        cur.execute("SELECT User, Host FROM mysql.user WHERE User = 'root'")
        for user, host in cur.fetchall():
            cur.execute("ALTER USER %s@%s IDENTIFIED BY %s", (user, host, password))
    server.root_password = password


# -- synthetic leak-shaped data ---------------------------------------------------------

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛"]
_REGIONS = ("110105", "440524", "650104", "320106", "510107")


def resident_id(rng: random.Random) -> str:
    """A synthetic 18-character resident ID with a valid ISO 7064 MOD 11-2 check."""
    body = (rng.choice(_REGIONS) + f"{rng.randint(1940, 2004)}{rng.randint(1, 12):02d}"
            f"{rng.randint(1, 28):02d}{rng.randint(1, 999):03d}")
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, _WEIGHTS)) % 11]


def _person(rng: random.Random) -> dict:
    return {
        "xm": rng.choice(_SURNAMES) + rng.choice(_GIVEN),
        "sfzh": resident_id(rng),
        "lxdh": rng.choice(["139", "138", "186", "150"]) + f"{rng.randint(0, 99_999_999):08d}",
        "zzmm": rng.choice(["中共党员", "共青团员", "群众"]),
        "mz": rng.choice(["汉族", "维吾尔族", "回族", "藏族"]),
        "hphm": rng.choice("京沪粤新川") + rng.choice("ABCDE") + f"{rng.randint(10000, 99999)}",
    }


LEAK_TABLES = ("residents", "hotel_checkin", "face_log")


def load_leak_data(conn, db: str = "leak", rows: int = 300, seed: int = 7) -> dict[str, int]:
    """Three leak-shaped tables in ``db``: ``residents`` (integer primary key, a JSON
    column with nested guests and companions), ``hotel_checkin`` (no primary key) and
    ``face_log`` (a text primary key, BLOB face crops). Returns the row counts."""
    rng = random.Random(seed)
    with conn.cursor() as cur:
        cur.execute(f"CREATE DATABASE IF NOT EXISTS `{db}` CHARACTER SET utf8mb4")
        cur.execute(f"USE `{db}`")
        cur.execute("CREATE TABLE residents (id BIGINT AUTO_INCREMENT PRIMARY KEY, xm VARCHAR(32), "
                    "sfzh CHAR(18), lxdh VARCHAR(16), zzmm VARCHAR(16), mz VARCHAR(16), "
                    "hphm VARCHAR(16), ext JSON)")
        cur.execute("CREATE TABLE hotel_checkin (xm VARCHAR(32), sfzh CHAR(18), lxdh VARCHAR(16), "
                    "rzsj DATETIME, fh VARCHAR(8))")
        cur.execute("CREATE TABLE face_log (uuid CHAR(32) PRIMARY KEY, sfzh CHAR(18), "
                    "camera VARCHAR(16), zp BLOB)")
        res, hotel, faces = [], [], []
        for i in range(rows):
            p, c = _person(rng), _person(rng)
            ext = {"guest": {"id_no": p["sfzh"], "phone": p["lxdh"]},
                   "companions": [{"xm": c["xm"], "sfzh": c["sfzh"]}], "room": f"{i % 40 + 100}"}
            res.append((p["xm"], p["sfzh"], p["lxdh"], p["zzmm"], p["mz"], p["hphm"],
                        json.dumps(ext, ensure_ascii=False)))
            hotel.append((c["xm"], c["sfzh"], c["lxdh"], f"2023-0{i % 9 + 1}-1{i % 9} 2{i % 4}:00:00",
                          f"{i % 40 + 100}"))
            faces.append((f"{rng.getrandbits(128):032x}", p["sfzh"], f"cam-{i % 7}",
                           b"\xff\xd8\xff\xe0" + rng.randbytes(60)))
        cur.executemany("INSERT INTO residents (xm, sfzh, lxdh, zzmm, mz, hphm, ext) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s)", res)
        cur.executemany("INSERT INTO hotel_checkin VALUES (%s, %s, %s, %s, %s)", hotel)
        cur.executemany("INSERT INTO face_log VALUES (%s, %s, %s, %s)", faces)
        cur.execute("ANALYZE TABLE residents, hotel_checkin, face_log")
        cur.fetchall()
    return {"residents": rows, "hotel_checkin": rows, "face_log": rows}


def plant_ransom_note(conn) -> None:
    """The classic note left by wiping bots: a PLEASE_READ_ME_XYZ database, WARNING table."""
    with conn.cursor() as cur:
        cur.execute("CREATE DATABASE IF NOT EXISTS PLEASE_READ_ME_XYZ")
        cur.execute("CREATE TABLE PLEASE_READ_ME_XYZ.WARNING (id INT PRIMARY KEY, warning TEXT, "
                    "website TEXT, token TEXT)")
        cur.execute("INSERT INTO PLEASE_READ_ME_XYZ.WARNING VALUES (1, %s, %s, %s)",
                    ("All your data is backed up. You must pay 0.01 BTC to recover it.",
                     "https://example.invalid/", "0000"))


# -- fixtures ---------------------------------------------------------------------------

@pytest.fixture(scope="session")
def mysql_open() -> Iterator[MariaDBServer]:
    """No authentication at all (--skip-grant-tables), leak data and a ransom note."""
    server = start_server("open", skip_grant_tables=True)
    try:
        with server.admin() as conn:
            load_leak_data(conn)
            plant_ransom_note(conn)
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def mysql_auth() -> Iterator[MariaDBServer]:
    """Passwords everywhere, TLS, a SELECT-only scanner account, leak data."""
    server = start_server("auth", tls=True)
    try:
        with server.admin() as conn:
            load_leak_data(conn)
        secure_accounts(server)
        yield server
    finally:
        server.stop()
