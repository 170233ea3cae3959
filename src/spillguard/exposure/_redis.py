"""Redis plumbing shared by the Redis source and its exposure checks.

Connections are opened on first use, never retried, a timeout on connect and on every reply, no
``CLIENT SETINFO``/``SETNAME`` on connect. Errors become reason codes from the exception
class or the server's error code word (NOAUTH, WRONGPASS, NOPERM), never the message text
(servers echo keys and arguments). Key names become container names through
:func:`key_pattern`; values are decoded by :func:`decode_value`. Checks use :func:`anonymous` for "readable without
credentials" and :func:`account` (the target's own credentials) for the rest.
"""

from __future__ import annotations

import inspect
import json
import re
from typing import Any

from spillguard.credentials import TargetURI
from spillguard.errors import ConfigError, safe_reason
from spillguard.exposure.base import UNKNOWN, CheckContext, Outcome

KIND = "redis"
DEFAULT_PORT = 6379

# Cron-injection bots (Kinsing, P2Pinfect, ...) write cron lines to backup1..backup4 and
# then CONFIG SET dir /var/spool/cron: three or more of these names together.
CRON_KEYS = {b"backup1", b"backup2", b"backup3", b"backup4"}


_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^\s:/@]+@[^\s:/@]+")
_SEP = re.compile(r"([:/|._\-#=,; ]+)")
_HEX = re.compile(r"(?:0x)?[0-9a-fA-F]{8,}")
_TOKEN = re.compile(r"[A-Za-z0-9+]{16,}")
_DIGITS = re.compile(r"\d{2,}")


def key_pattern(key: bytes) -> str:
    """The container a key belongs to: variable parts replaced by ``*``."""
    text = _EMAIL.sub("*", _UUID.sub("*", key.decode("utf-8", "surrogateescape")))
    out = []
    for token in _SEP.split(text):
        if not token or _SEP.fullmatch(token) or token == "*":
            out.append(token)
        elif not token.isascii() or token.isdigit() or (
            _HEX.fullmatch(token) and (len(token) >= 16 or any(c.isdigit() for c in token))
        ) or (_TOKEN.fullmatch(token) and any(c.isdigit() for c in token)):
            out.append("*")
        else:
            out.append(_DIGITS.sub("*", token))
    return "".join(out)


def decode_text(raw: bytes) -> str | bytes:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw


def decode_value(raw: Any) -> Any:
    """UTF-8 text (JSON objects/arrays parsed), or the bytes when not UTF-8."""
    if not isinstance(raw, (bytes, bytearray)):
        return raw
    try:
        text = bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return bytes(raw)
    head = text.lstrip()[:1]
    if head in ("{", "["):
        try:
            parsed = json.loads(text)
        except (ValueError, RecursionError):
            return text
        if isinstance(parsed, (dict, list)):
            return parsed
    return text



def redis_module():
    try:
        import redis
    except ImportError:
        raise ConfigError("the Redis driver is not installed: pip install 'spillguard[redis]'") from None
    return redis


def redis_reason(exc: BaseException) -> str:
    """A reason code for a redis-py error, never its message."""
    try:
        from redis import exceptions as rex
    except ImportError:  # pragma: no cover - no driver, no driver errors
        return safe_reason(exc)
    if isinstance(exc, rex.AuthenticationError):
        return "auth_failed"
    if isinstance(exc, rex.NoPermissionError):
        return "permission_denied"
    if isinstance(exc, (rex.TimeoutError, TimeoutError)):
        return "timeout"
    if isinstance(exc, rex.BusyLoadingError):
        return "server_loading"
    if isinstance(exc, rex.ConnectionError):
        return "connection_refused" if _refused(exc) else "connection_lost"
    if isinstance(exc, rex.ResponseError):
        first = exc.args[0] if exc.args and isinstance(exc.args[0], str) else ""
        code = first.split(" ", 1)[0]
        return {"NOAUTH": "auth_failed", "WRONGPASS": "auth_failed",
                "NOPERM": "permission_denied"}.get(code, "server_error")
    if isinstance(exc, rex.RedisError):
        return "redis_error:" + type(exc).__name__
    return safe_reason(exc)


def _refused(exc: BaseException) -> bool:
    seen = 0
    while exc is not None and seen < 4:
        if isinstance(exc, ConnectionRefusedError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def redis_client(uri: TargetURI, *, db: int, connect_timeout: float, timeout: float,
                 credentials: bool = True):
    """A client on one connection to the target, with or without its credentials."""
    redis = redis_module()
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    kwargs: dict[str, Any] = dict(
        host=uri.host or "127.0.0.1", port=uri.port or DEFAULT_PORT, db=db,
        username=uri.username if credentials else None,
        password=uri.password if credentials else None,
        socket_connect_timeout=connect_timeout, socket_timeout=timeout,
        retry=Retry(NoBackoff(), 0), decode_responses=False,
        protocol=2,  # RESP2: servers before Redis 6 (common on leaked hosts) have no HELLO
    )
    if "driver_info" in inspect.signature(redis.Redis.__init__).parameters:
        kwargs["driver_info"] = None  # no CLIENT SETINFO on connect
    else:
        kwargs.update(lib_name=None, lib_version=None)
    if uri.scheme == "rediss":
        kwargs.update(ssl=True, ssl_cert_reqs=uri.query.get("ssl_cert_reqs", "required"),
                      ssl_ca_certs=uri.query.get("ssl_ca_certs"))
    return redis.Redis(**kwargs)


def target_db(uri: TargetURI) -> int | None:
    """The database the target names (``redis://host/2``), or None for "all"."""
    if not uri.path:
        return None
    try:
        db = int(uri.path.split("/", 1)[0])
    except ValueError:
        raise ConfigError(f"{uri.display}: the Redis database must be a number") from None
    if db < 0:
        raise ConfigError(f"{uri.display}: the Redis database must be 0 or more")
    return db


def anonymous(ctx: CheckContext):
    """A client that sends no AUTH (nor SELECT): what anyone who reaches the port gets."""
    return redis_client(ctx.uri, db=0, connect_timeout=ctx.timeout,
                        timeout=ctx.timeout, credentials=False)


def account(ctx: CheckContext):
    """A client with the target's own credentials (none when the target has none)."""
    return redis_client(ctx.uri, db=target_db(ctx.uri) or 0, connect_timeout=ctx.timeout,
                        timeout=ctx.timeout, credentials=True)


def unknown(what: str, exc: BaseException) -> Outcome:
    return Outcome(UNKNOWN, f"{what}: {redis_reason(exc)}")


def needs_password(ctx: CheckContext) -> bool:
    """True when the server refuses an unauthenticated INFO with NOAUTH, False when it
    answers; raises on anything else (denied by ACL, timeout, unreachable)."""
    client = anonymous(ctx)
    try:
        client.info("server")
        return False
    except Exception as exc:
        if redis_reason(exc) == "auth_failed":
            return True
        raise
    finally:
        client.close()


def config_get(client, name: str) -> str | None:
    """CONFIG GET of one parameter as text, None when the server does not know it."""
    reply = client.config_get(name)
    value = reply.get(name.encode()) if isinstance(reply, dict) else None
    if value is None and isinstance(reply, dict):
        value = reply.get(name)
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
