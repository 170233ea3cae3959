"""PostgreSQL connection helpers shared by the postgres source and the postgres-* checks.

Every session is opened with a connect timeout and ``application_name=spillguard`` (libpq's
``~/.pgpass`` is consulted only when no password was given), and then set up read-only:
``default_transaction_read_only``, ``statement_timeout``, ``lock_timeout``,
``idle_in_transaction_session_timeout`` and ``search_path=pg_catalog`` (sent as ``SET``
statements, so they also hold behind connection poolers that drop startup options), and
``BEGIN READ ONLY`` transactions. Each network call also runs under a client-side
deadline (:func:`deadline`) that shuts the socket down when the server stops answering
(a paused or partitioned server never fires its own statement_timeout).

Reasons come from SQLSTATEs or, for failed connection attempts (libpq gives no SQLSTATE
then), from the libpq message; the message itself is never passed on.
"""

from __future__ import annotations

import math
import os
import socket
import threading
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Iterator

from spillguard.credentials import TargetURI
from spillguard.errors import ConfigError, SourceError, safe_reason
from spillguard.settings import Settings

APP_NAME = "spillguard"
NO_PASSFILE = "/nonexistent/spillguard-no-pgpass"  # libpq ignores a missing password file
PASS_THROUGH = ("sslmode", "sslrootcert", "sslcert", "sslkey", "sslcrl", "gssencmode",
                "target_session_attrs", "channel_binding")
# Non-system schemas in pg_namespace (alias n): no pg_toast, pg_temp_N, pg_catalog, ...
USER_SCHEMA_SQL = "n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"

_SQLSTATE = {
    "57014": "timeout",  # query_canceled: statement_timeout
    "55P03": "timeout",  # lock_not_available: lock_timeout
    "25P03": "timeout",  # idle_in_transaction_session_timeout
    "42501": "permission_denied",
    "28000": "auth_failed",
    "28P01": "auth_failed",
    "42P01": "not_found",
    "3D000": "not_found",
    "3F000": "not_found",
    "55000": "not_populated",  # object_not_in_prerequisite_state: unpopulated matview
    "57P01": "connection_lost",  # admin_shutdown: pg_terminate_backend, server stop
    "57P02": "connection_lost",
    "57P03": "server_unavailable",
    "53300": "too_many_connections",
    "22021": "decode_error",
    "54001": "memory_limit",
}
_CONNECT_MESSAGES = (  # lower-cased libpq/server message fragments -> reason
    ("no password supplied", "auth_failed"),
    ("authentication failed", "auth_failed"),
    ("not permitted to log in", "auth_failed"),
    ("pg_hba.conf", "auth_failed"),
    ('role "', "auth_failed"),  # role "x" does not exist
    ('database "', "not_found"),  # database "x" does not exist
    ("timeout expired", "timeout"),
    ("connection refused", "connection_refused"),
    ("no such file or directory", "connection_refused"),  # Unix socket not there
    ("could not translate host name", "host_not_found"),
    ("too many", "too_many_connections"),
    ("remaining connection slots", "too_many_connections"),
    ("starting up", "server_unavailable"),
    ("shutting down", "server_unavailable"),
    ("ssl", "tls_error"),
)


def driver():
    try:
        import psycopg
    except ImportError:
        raise ConfigError("the PostgreSQL driver is not installed: pip install 'spillguard[postgres]'") from None
    return psycopg


def pg_reason(exc: BaseException, connecting: bool = False) -> str:
    """A reason code for a psycopg error: from its SQLSTATE, never from its text (which can
    quote rows and SQL). Only a failed connection attempt, which has no SQLSTATE, is
    classified from libpq's message — and the message goes no further."""
    if isinstance(exc, SourceError):
        return exc.reason
    state = getattr(exc, "sqlstate", None)
    if state in _SQLSTATE:
        return _SQLSTATE[state]
    if state and state.startswith("08"):
        return "connection_lost"
    psycopg = driver()
    if isinstance(exc, psycopg.OperationalError) and not state:
        if not connecting:
            return "connection_lost"
        text = str(exc).lower()
        for fragment, reason in _CONNECT_MESSAGES:
            if fragment in text:
                return reason
        return "connection_failed"
    if state:
        return f"postgres_error:{state}"
    if isinstance(exc, psycopg.Error):
        return "postgres_error:" + type(exc).__name__
    return safe_reason(exc)


def timeouts_ms(settings: Settings) -> tuple[int, int, int]:
    """(statement_timeout, lock_timeout, idle_in_transaction_session_timeout) in ms."""
    q = max(1, int(settings.limits.query_timeout_s * 1000))
    return q, min(q, 10_000), max(300_000, 2 * q)


def connect_kwargs(uri: TargetURI, settings: Settings, *, user: str | None = None,
                   password: str | None = None, no_password: bool = False) -> dict[str, Any]:
    kw: dict[str, Any] = {
        "host": uri.query.get("host") or uri.host,
        "port": uri.query.get("port") or uri.port,
        "dbname": uri.database or uri.query.get("dbname"),
        "user": user if user is not None else uri.username,
        "connect_timeout": max(2, math.ceil(settings.limits.connect_timeout_s)),
        "application_name": APP_NAME,
        "autocommit": True,
    }
    kw.update({k: v for k, v in uri.query.items() if k in PASS_THROUGH})
    if no_password:  # prove what the server does for a client that has no password
        kw.update(password="", passfile=NO_PASSFILE, gssencmode="disable", sslcert=NO_PASSFILE,
                  sslkey=NO_PASSFILE)
    else:
        pw = password if password is not None else uri.password
        if pw is not None:
            kw.update(password=pw, passfile=NO_PASSFILE)
    return {k: v for k, v in kw.items() if v is not None}


def connect(uri: TargetURI, settings: Settings, **kw):
    """A read-only session; SourceError(reason) when it cannot be had."""
    psycopg = driver()
    try:
        conn = psycopg.connect(**connect_kwargs(uri, settings, **kw))
    except psycopg.Error as exc:
        raise SourceError(f"cannot connect to {uri.display}", reason=pg_reason(exc, True)) from None
    try:
        setup_session(conn, settings)
    except BaseException:
        conn.close()
        raise
    return conn


def setup_session(conn, settings: Settings) -> None:
    from psycopg import sql

    stmt, lock, idle = timeouts_ms(settings)
    q = sql.SQL("SET default_transaction_read_only = on; SET statement_timeout = {}; "
                "SET lock_timeout = {}; SET idle_in_transaction_session_timeout = {}; "
                "SET search_path = pg_catalog").format(sql.Literal(stmt), sql.Literal(lock), sql.Literal(idle))
    run(conn, settings, q)
    conn.autocommit = False
    conn.read_only = True


def run(conn, settings: Settings, query, params=None, fetch: bool = False) -> list[tuple]:
    """Execute one statement under the client-side deadline; rows when ``fetch``."""
    psycopg = driver()
    try:
        with deadline(conn, settings), conn.cursor() as cur:
            cur.execute(query, params)
            return cur.fetchall() if fetch else []
    except psycopg.Error as exc:
        raise SourceError("a PostgreSQL query failed", reason=pg_reason(exc)) from None


def grace_s(settings: Settings) -> float:
    """How long one call may take before the client gives up on the server."""
    return settings.limits.query_timeout_s + settings.limits.connect_timeout_s


@contextmanager
def deadline(conn, settings: Settings) -> Iterator[None]:
    """Shut the connection's socket down if the block outlives :func:`grace_s`; the blocked
    call then fails fast and SourceError(reason="timeout") is raised."""
    fired = threading.Event()

    def fire() -> None:
        fired.set()
        try:
            with socket.socket(fileno=os.dup(conn.fileno())) as s:
                s.shutdown(socket.SHUT_RDWR)
        except Exception:  # already closed: nothing left to unblock
            pass

    timer = threading.Timer(grace_s(settings), fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    except Exception:
        if fired.is_set():
            raise SourceError("PostgreSQL stopped answering", reason="timeout") from None
        raise
    finally:
        timer.cancel()


def close_quietly(conn) -> None:
    if conn is None:
        return
    try:
        conn.close()
    except Exception:
        pass


def without_credentials(uri: TargetURI) -> TargetURI:
    """The same server and database with no user and no password."""
    return replace(uri, username=None, password=None)



def metadata(ctx, *queries) -> list[list[tuple]]:
    """Run catalog queries (each a ``(sql, params)`` pair or plain sql) on one read-only
    session with the user's credentials; SourceError(reason) when that fails."""
    conn = connect(ctx.uri, ctx.settings)
    try:
        out = []
        for q in queries:
            query, params = q if isinstance(q, tuple) else (q, None)
            out.append(run(conn, ctx.settings, query, params, fetch=True))
        return out
    finally:
        close_quietly(conn)
