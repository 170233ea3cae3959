"""Throwaway PostgreSQL servers (Debian's postgresql package, scripts/servers/install-postgres.sh).

Two session-scoped instances:

* ``pg_open`` — the leak: ``trust`` for everyone, superuser ``postgres`` without a password,
  ``listen_addresses='*'``, TLS off. It runs in a private network namespace (``unshare -n``,
  only its own loopback) so that '*' exposes nothing on this machine; tests reach it through
  its Unix socket directory (``?host=<dir>`` in the URI).
* ``pg_auth`` — hardened: scram-sha-256 everywhere, TLS on (a throwaway self-signed
  certificate), listening on 127.0.0.1; superuser ``admin`` loads the data, role
  ``scanner`` has CONNECT/USAGE/SELECT only.

``initdb`` and ``postgres`` run as the ``postgres`` OS user; data, socket and certificate
live in a temp dir owned by it. Every statement is logged (``log_statement=all``) to the
server's log file with ``app=<application_name> user=<user>`` in each line's prefix, so
tests can prove what the scanner sent.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.servers.base import ManagedProcess, free_port, temp_dir

ADMIN_PASSWORD = "Adm1n-pw-7f3c9e"
SCANNER_PASSWORD = "Sc4nner-pw-b81d2a"
LOG_PREFIX = "%m [%p] app=%a user=%u db=%d "


def pg_bindir() -> str:
    dirs = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda d: int(d.split("/")[-2]))
    for d in reversed(dirs):
        if os.access(os.path.join(d, "postgres"), os.X_OK):
            return d
    raise RuntimeError("PostgreSQL is not installed: run scripts/servers/install-postgres.sh")


@dataclass
class PgServer:
    name: str
    root: Path
    port: int
    admin: str
    admin_password: str | None
    tcp: bool  # reachable on 127.0.0.1:port (else only through the socket dir)
    proc: ManagedProcess | None = None
    extra: dict = field(default_factory=dict)

    @property
    def sock(self) -> str:
        return str(self.root / "sock")

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def uri(self, user: str | None = None, password: str | None = None, db: str = "spill",
            port: int | None = None) -> str:
        auth = ""
        if user:
            auth = quote(user, safe="") + (f":{quote(password, safe='')}" if password else "") + "@"
        port = port or self.port
        if self.tcp:
            return f"postgresql://{auth}127.0.0.1:{port}/{db}"
        return f"postgresql://{auth}:{port}/{db}?host={self.sock}"

    def connect(self, db: str = "postgres", user: str | None = None, password: str | None = None):
        import psycopg

        return psycopg.connect(
            host="127.0.0.1" if self.tcp else self.sock, port=self.port, dbname=db,
            user=user or self.admin, password=password if user else self.admin_password,
            autocommit=True, connect_timeout=5, application_name="fixture",
            passfile="/nonexistent/pgpass",
        )

    def log_text(self) -> str:
        return self.log.read_bytes().decode("utf-8", "replace")

    def _children(self) -> list[int]:
        """Backends call setsid(): signalling the postmaster's group does not reach them."""
        pids = []
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.proc.pid:
                    pids.append(int(entry))
        return pids

    def _signal_all(self, sig: int, postmaster_last: bool = False) -> None:
        pids = [self.proc.proc.pid, *self._children()]
        for pid in reversed(pids) if postmaster_last else pids:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass

    def kill(self) -> None:
        """A crash: SIGKILL the postmaster and every backend at once."""
        if self.proc is not None:
            self._signal_all(signal.SIGKILL)
            self.proc.kill()

    def pause(self) -> None:
        """Freeze the server (postmaster and backends): sockets stay open, nothing answers."""
        self._signal_all(signal.SIGSTOP)

    def resume(self) -> None:
        self._signal_all(signal.SIGCONT, postmaster_last=True)
        time.sleep(0.2)

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.proc.poll() is None:  # fast shutdown: SIGTERM would wait for clients
            try:
                os.killpg(self.proc.proc.pid, signal.SIGINT)
                self.proc.proc.wait(timeout=15)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        self.proc.stop()
        self.proc = None


def _as_postgres(argv: list[str], log: Path) -> None:
    with open(log, "ab") as f:
        subprocess.run(argv, check=True, stdout=f, stderr=subprocess.STDOUT, user="postgres",
                       group="postgres", extra_groups=[], env={"PATH": "/usr/bin:/bin", "LANG": "C"},
                       timeout=120)


def _chown_tree(path: Path) -> None:
    pw = pwd.getpwnam("postgres")
    for dirpath, dirnames, filenames in os.walk(path):
        os.chown(dirpath, pw.pw_uid, pw.pw_gid)
        for n in filenames:
            os.chown(os.path.join(dirpath, n), pw.pw_uid, pw.pw_gid)


def _self_signed_cert(root: Path) -> tuple[str, str]:
    cert, key = root / "server.crt", root / "server.key"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
                    "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    os.chmod(key, 0o600)
    return str(cert), str(key)


def start_postgres(name: str, *, auth: bool, netns: bool = False, ssl: bool | None = None) -> PgServer:
    """Start one instance; the caller MUST call ``stop()`` (use try/finally)."""
    if os.geteuid() != 0:
        raise RuntimeError("the PostgreSQL test servers need root (initdb runs as user postgres)")
    bindir = pg_bindir()
    root = temp_dir(f"pg-{name}")
    os.chmod(root, 0o755)
    (root / "sock").mkdir()
    admin = "admin" if auth else "postgres"
    server = PgServer(name, root, free_port(), admin, ADMIN_PASSWORD if auth else None, tcp=not netns)
    ssl = auth if ssl is None else ssl
    cert = _self_signed_cert(root) if ssl else None
    (root / "pw").write_text(ADMIN_PASSWORD + "\n")
    _chown_tree(root)
    try:
        method = "scram-sha-256" if auth else "trust"
        _as_postgres([f"{bindir}/initdb", "-D", str(root / "data"), "-U", admin, "-A", method,
                      f"--pwfile={root / 'pw'}", "-E", "UTF8", "--locale=C", "--no-sync"], server.log)
        (root / "pw").unlink()
        argv = [f"{bindir}/postgres", "-D", str(root / "data"), "-k", server.sock, "-p", str(server.port),
                "-c", f"listen_addresses={'*' if netns else '127.0.0.1'}",
                "-c", "log_statement=all", "-c", "logging_collector=off",
                "-c", f"log_line_prefix={LOG_PREFIX}", "-c", "log_connections=on",
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off",
                "-c", "autovacuum=off", "-c", "shared_buffers=16MB", "-c", "max_connections=40",
                "-c", f"ssl={'on' if ssl else 'off'}"]
        if cert:
            argv += ["-c", f"ssl_cert_file={cert[0]}", "-c", f"ssl_key_file={cert[1]}"]
        drop = ["setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups"]
        if netns:  # a private network namespace: '*' means only its own loopback
            script = 'ip link set lo up && exec "$@"'
            argv = ["unshare", "--net", "--", "sh", "-c", script, "sh", *drop, *argv]
            server.proc = ManagedProcess(argv, server.log)
        else:
            server.proc = ManagedProcess(argv, server.log, user="postgres")
        _wait_ready(server)
        return server
    except BaseException:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
        raise


def _wait_ready(server: PgServer, timeout: float = 60.0) -> None:
    import psycopg

    deadline = time.monotonic() + timeout
    while True:
        if server.proc.proc.poll() is not None:
            raise RuntimeError(f"postgres {server.name} exited: {server.log_text()[-1500:]}")
        try:
            server.connect().close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"postgres {server.name} not ready: {server.log_text()[-1500:]}")
            time.sleep(0.2)


def remove(server: PgServer) -> None:
    try:
        server.stop()
    finally:
        shutil.rmtree(server.root, ignore_errors=True)


# ---------------------------------------------------------------- synthetic leak data

_W = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(region: str, birth: str, seq: int) -> str:
    """A valid (MOD 11-2) synthetic resident ID: 6-digit region, YYYYMMDD, 3-digit sequence."""
    body = f"{region}{birth}{seq % 1000:03d}"
    check = "10X98765432"[sum(int(c) * w for c, w in zip(body, _W)) % 11]
    return body + check


SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超")
ETHNIC = ("汉族", "维吾尔族", "回族", "藏族", "蒙古族", "哈萨克族")
PARTY = ("中共党员", "群众", "共青团员", "中共预备党员")
PLATES = ("京A12345", "沪B6C789", "粤B12345", "新A54321", "川A9K123")


def person(i: int) -> dict:
    birth = f"{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}"
    return {
        "xm": SURNAMES[i % len(SURNAMES)] + GIVEN[(i * 7) % len(GIVEN)],
        "sfzh": resident_id(("110105", "440524", "650104", "320102")[i % 4], birth, i),
        "lxdh": f"139{(12345678 + i * 7919) % 100000000:08d}",
        "zzmm": PARTY[i % len(PARTY)],
        "mz": ETHNIC[i % len(ETHNIC)],
        "hphm": PLATES[i % len(PLATES)],
    }


def face_vector(i: int, dim: int = 128) -> list[float]:
    raw = [((i * 31 + k * 17) % 97) / 97.0 - 0.5 for k in range(dim)]
    norm = sum(x * x for x in raw) ** 0.5
    return [x / norm for x in raw]


def load_leak_data(server: PgServer, db: str = "spill", residents: int = 300, big: int = 0,
                   public_grant: bool = False) -> None:
    """Create ``db`` with leak-shaped tables (as the admin):

    public.residents  xm, sfzh, lxdh, zzmm, mz, hphm, photo bytea, face real[], extra jsonb
    hotel.guests      info jsonb {guest: {name, id_no}, companions: [{name, id_no}]}, room
    public.entry_log  (only when ``big``) a face-recognition entry log of ``big`` rows
    """
    with server.connect() as admin:
        admin.execute(f'CREATE DATABASE "{db}"')
    with server.connect(db) as conn:
        conn.execute("""
            CREATE TABLE public.residents (id int PRIMARY KEY, xm text, sfzh text, lxdh text,
              zzmm text, mz text, hphm text, photo bytea, face real[], extra jsonb);
            CREATE SCHEMA hotel;
            CREATE TABLE hotel.guests (id int PRIMARY KEY, room text, info jsonb);
        """)
        with conn.cursor() as cur, cur.copy(
            "COPY public.residents (id, xm, sfzh, lxdh, zzmm, mz, hphm, photo, face, extra) FROM STDIN"
        ) as cp:
            for i in range(residents):
                p = person(i)
                extra = {"household": {"head_sfzh": p["sfzh"], "members": [{"xm": p["xm"], "mz": p["mz"]}]}}
                cp.write_row((i, p["xm"], p["sfzh"], p["lxdh"], p["zzmm"], p["mz"], p["hphm"],
                              b"\xff\xd8\xff\xe0" + bytes(60), face_vector(i), _json(extra)))
        with conn.cursor() as cur, cur.copy("COPY hotel.guests (id, room, info) FROM STDIN") as cp:
            for i in range(max(1, residents // 3)):
                g, c1, c2 = person(1000 + i), person(2000 + i), person(3000 + i)
                info = {"guest": {"name": g["xm"], "id_no": g["sfzh"], "phone": g["lxdh"]},
                        "companions": [{"name": c1["xm"], "id_no": c1["sfzh"]},
                                       {"name": c2["xm"], "id_no": c2["sfzh"]}]}
                cp.write_row((i, f"{800 + i % 40}", _json(info)))
        if big:
            conn.execute("CREATE TABLE public.entry_log (id int, ts timestamptz, device text, "
                         "sfzh text, note text)")
            with conn.cursor() as cur, cur.copy("COPY public.entry_log FROM STDIN") as cp:
                for i in range(big):
                    cp.write_row((i, "2024-01-01 08:00:00+08", f"gate-{i % 12}",
                                  person(i)["sfzh"], "entry " + "." * 120))
        if public_grant:
            conn.execute("GRANT SELECT ON public.residents TO PUBLIC")
        conn.execute("ANALYZE")


def _json(value) -> str:
    import json

    return json.dumps(value, ensure_ascii=False)


def table_checksum(server: PgServer, db: str, table: str) -> str:
    """md5 of every row in key order, computed by the admin."""
    with server.connect(db) as conn:
        row = conn.execute(f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
                           f"FROM {table} t").fetchone()
    return f"{row[0]}:{row[1]}"


def add_scanner(server: PgServer, db: str, role: str = "scanner", password: str = SCANNER_PASSWORD) -> None:
    """The least-privilege scanning role of docs/stores/postgres.md: SELECT only."""
    with server.connect() as admin:
        exists = admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)).fetchone()
        if not exists:
            admin.execute(f'CREATE ROLE "{role}" LOGIN PASSWORD \'{password}\'')
    with server.connect(db) as conn:
        conn.execute(f'GRANT CONNECT ON DATABASE "{db}" TO "{role}"')
        for (schema,) in conn.execute(
            "SELECT nspname FROM pg_namespace WHERE nspname NOT LIKE 'pg\\_%' "
            "AND nspname <> 'information_schema'"
        ).fetchall():
            conn.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
            conn.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')


def add_ransom_note(server: PgServer, db: str) -> None:
    with server.connect(db) as conn:
        conn.execute('CREATE TABLE public."README_TO_RECOVER_A" (id int, note text)')
        conn.execute("INSERT INTO public.\"README_TO_RECOVER_A\" VALUES "
                     "(1, 'All your data is backed up. You must pay 0.01 BTC to recover it.')")
        conn.execute("ANALYZE")


@pytest.fixture(scope="session")
def pg_open():
    """The leak: trust auth, superuser without password, listen '*' (private netns), TLS off."""
    server = start_postgres("open", auth=False, netns=True)
    try:
        load_leak_data(server, public_grant=True)
        add_ransom_note(server, "spill")
        yield server
    finally:
        remove(server)


@pytest.fixture(scope="session")
def pg_auth():
    """Hardened: scram-sha-256, TLS on, 127.0.0.1 only, scanner role with SELECT only."""
    server = start_postgres("auth", auth=True)
    try:
        load_leak_data(server, big=60_000)
        add_scanner(server, "spill")
        yield server
    finally:
        remove(server)
