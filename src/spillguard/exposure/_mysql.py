"""MySQL/MariaDB connection helpers shared by the ``mysql`` source and the ``mysql-*``
exposure checks (leading underscore: not a plugin module).

Everything here is metadata-only and read-only: connections get READ ONLY transactions
and statement time limits, and errors are reduced to reason codes taken from the
driver's numeric error code, never from its message (which can quote SQL and values).
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from spillguard.errors import ConfigError, safe_reason
from spillguard.exposure.base import UNKNOWN, CheckContext, Outcome

_REASONS = {
    1045: "auth_failed", 1698: "auth_failed", 1044: "permission_denied",
    1142: "permission_denied", 1143: "permission_denied", 1227: "permission_denied",
    1370: "permission_denied", 1049: "not_found", 1146: "not_found",
    1969: "timeout", 3024: "timeout", 1317: "timeout", 1205: "timeout",
    2003: "connection_refused", 2002: "connection_refused", 2013: "connection_lost",
    2006: "connection_lost", 2055: "connection_lost", 1053: "connection_lost",
    1040: "too_many_connections", 1129: "host_blocked", 1356: "view_invalid",
    2026: "tls_error", 1290: "server_option_prevents",
}
CLIENT_SSL = 0x800  # capability flag in the server's handshake


def driver():
    try:
        import pymysql
    except ImportError:
        raise ConfigError(
            "the MySQL driver is not installed: pip install 'spillguard[mysql]'"
        ) from None
    return pymysql


def mysql_reason(exc: BaseException) -> str:
    """A reason code for a PyMySQL error: from its numeric code, never its message."""
    pymysql = driver()
    cause = getattr(exc, "original_exception", None) or exc.__context__
    if isinstance(exc, pymysql.err.OperationalError) and isinstance(cause, TimeoutError):
        return "timeout"
    if isinstance(exc, pymysql.err.MySQLError):
        code = exc.args[0] if exc.args and isinstance(exc.args[0], int) else None
        if code in _REASONS:
            return _REASONS[code]
        if isinstance(exc, pymysql.err.InterfaceError):
            return "connection_lost"
        return f"mysql_error:{code}" if code else "mysql_error:" + type(exc).__name__
    return safe_reason(exc)


def error_code(exc: BaseException) -> int | None:
    args = getattr(exc, "args", ())
    return args[0] if args and isinstance(args[0], int) else None


def connection_broken(conn: Any) -> bool:
    return conn is None or not getattr(conn, "open", False)


def connect(host: str | None, port: int | None, user: str | None, password: str | None, *,
            connect_timeout: float, read_timeout: float, ssl: Any = None) -> Any:
    """A PyMySQL connection (utf8mb4, TLS preferred, no LOCAL INFILE, no multi-statements,
    autocommit untouched). An empty or missing user is the anonymous user ``''`` (PyMySQL
    would otherwise log in with the OS login name). On failure the exception carries the
    half-open connection as ``exc.mysql_conn`` (its ``server_capabilities`` are known
    once the server's handshake was read)."""
    pymysql = driver()
    kwargs: dict[str, Any] = {"ssl": ssl} if ssl is not None else {}
    conn = pymysql.connections.Connection(
        host=host or "localhost", port=port or 3306, user=user or None,
        password=password or "", charset="utf8mb4", connect_timeout=max(0.5, connect_timeout),
        read_timeout=read_timeout, write_timeout=read_timeout, local_infile=False,
        autocommit=None, defer_connect=True, **kwargs,
    )
    conn.user = user or ""
    try:
        conn.connect()
    except pymysql.err.MySQLError as exc:
        exc.mysql_conn = conn
        raise
    return conn


def is_mariadb(conn: Any) -> bool:
    return "mariadb" in (conn.get_server_info() or "").lower()


def read_only_session(conn: Any, statement_timeout_s: float) -> None:
    """READ ONLY transactions and a per-statement time limit for this session."""
    with conn.cursor() as cur:
        cur.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ ONLY")
        try:
            if is_mariadb(conn):
                cur.execute("SET SESSION max_statement_time = %s", (float(statement_timeout_s),))
            else:
                cur.execute("SET SESSION max_execution_time = %s", (int(statement_timeout_s * 1000),))
        except driver().err.MySQLError:
            pass  # very old servers: the client read timeout still applies
        cur.execute("SET SESSION lock_wait_timeout = %s", (max(1, int(statement_timeout_s)),))


def quote_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


# -- for the checks -----------------------------------------------------------------------

def who(user: str | None) -> str:
    return f"account {user!r}" if user else "the anonymous account ''"


@contextmanager
def session(ctx: CheckContext, *, user: str | None = None, password: str | None = None,
            use_target_credentials: bool = True) -> Iterator[Any]:
    """A read-only connection for a metadata probe: with the target's credentials (the
    anonymous user when it names none), or with ``user``/``password`` when given."""
    if use_target_credentials:
        user, password = ctx.uri.username, ctx.uri.password
    conn = connect(ctx.uri.host, ctx.uri.port, user, password,
                   connect_timeout=ctx.timeout, read_timeout=ctx.timeout)
    try:
        read_only_session(conn, ctx.timeout)
        yield conn
    finally:
        try:
            conn.close()
        except Exception:
            pass


def rows(conn: Any, sql: str, args: Any = None, limit: int = 10_000) -> list[tuple]:
    with conn.cursor() as cur:
        cur.execute(sql, args)
        return list(cur.fetchmany(limit))


def variable(conn: Any, name: str) -> str | None:
    """A server variable by name, or None when the server has no such variable."""
    found = [r for r in rows(conn, "SHOW VARIABLES LIKE %s", (name,)) if str(r[0]).lower() == name]
    return None if not found else ("" if found[0][1] is None else str(found[0][1]))


def skip_grant_tables(conn: Any) -> bool:
    """True when the server ignores its grant tables (--skip-grant-tables): anyone who can
    reach it logs in with any name, no password, and every privilege."""
    return (variable(conn, "skip_grant_tables") or "").upper() == "ON"


def unknown(what: str, exc: BaseException) -> Outcome:
    return Outcome(UNKNOWN, f"{what}: {mysql_reason(exc)}")



