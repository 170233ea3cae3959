"""pymongo plumbing shared by the MongoDB source and its exposure checks.

Target forms: ``mongodb://[user:pw@]host[:27017][,host2...]/[db][?authSource=...&tls=true...]``
and ``mongodb+srv://...`` (DNS seed list; TLS on by default). Credentials come from the URI,
``SPILLGUARD_MONGODB_USER``/``_PASSWORD`` (``SPILLGUARD_MONGODB_SRV_*`` for +srv) or the
credentials file (see credentials.py). The password is never put back into a URI string:
the user info is cut from the target and the credentials go to MongoClient as keywords.

Every client has serverSelectionTimeoutMS and connectTimeoutMS (``limits.connect_timeout_s``),
socketTimeoutMS (the operation timeout plus the connect timeout, so that a live server
answers MaxTimeMSExpired before the socket gives up), readPreference secondaryPreferred,
appname ``spillguard`` and uuidRepresentation standard; every operation sends maxTimeMS.
Errors become reason codes (:func:`reason`), never the driver's text: server errors quote
queries and documents.
"""

from __future__ import annotations

import codecs
import logging
import threading
from typing import Any
from urllib.parse import parse_qsl, urlencode

from spillguard.credentials import TargetURI
from spillguard.errors import ConfigError, SourceError, SpillguardError, safe_reason
from spillguard.settings import Settings

KIND = "mongodb"
SCHEMES = ("mongodb://", "mongodb+srv://")
INTERNAL_DATABASES = ("local", "config")  # replication/sharding internals: never scanned


# Server error codes -> reason codes. Anything else: "server_error:<code>".
_CODES = {
    13: "permission_denied",  # Unauthorized
    18: "auth_failed",  # AuthenticationFailed
    26: "not_found",  # NamespaceNotFound
    43: "cursor_lost",  # CursorNotFound
    50: "timeout",  # MaxTimeMSExpired
    59: "unsupported",  # CommandNotFound
    262: "timeout",  # ExceededTimeLimit
    292: "memory_limit",  # QueryExceededMemoryLimitNoDiskUseAllowed
    11601: "interrupted",
}

MAX_NESTING = 120  # BSON nests at most 100 levels; flatten cuts deeper anyway
_DECODE_HANDLER = "spillguard-mongodb-replace"
_decode = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    _decode.errors = getattr(_decode, "errors", 0) + 1
    return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error(_DECODE_HANDLER, _count_and_replace)


def decode_errors() -> int:
    """Invalid UTF-8 sequences replaced so far in BSON decoded by this thread."""
    return getattr(_decode, "errors", 0)


def pymongo_module():
    try:
        import pymongo
    except ImportError:
        raise ConfigError(
            "the MongoDB driver is not installed: pip install 'spillguard[mongodb]'"
        ) from None
    # pymongo logs every command and reply (documents included) at DEBUG: never let a
    # DEBUG root logger turn that on.
    command_log = logging.getLogger("pymongo.command")
    if command_log.level < logging.INFO:
        command_log.setLevel(logging.INFO)
    return pymongo


def codec_options():
    """UUIDs as uuid.UUID, out-of-range dates as DatetimeMS, and invalid UTF-8 replaced
    (U+FFFD) and counted instead of raising InvalidBSON."""
    pymongo_module()
    from bson.binary import UuidRepresentation
    from bson.codec_options import CodecOptions, DatetimeConversion

    return CodecOptions(
        uuid_representation=UuidRepresentation.STANDARD,
        unicode_decode_error_handler=_DECODE_HANDLER,
        datetime_conversion=DatetimeConversion.DATETIME_AUTO,
    )



def host_uri(uri: TargetURI, *, credentials: bool, plaintext: bool = False) -> str:
    """The target without user info; without auth options when ``credentials`` is False,
    without TLS options when ``plaintext``."""
    scheme, rest = uri.raw.split("://", 1)
    cut = min([i for i in (rest.find("/"), rest.find("?")) if i >= 0] or [len(rest)])
    authority, tail = rest[:cut], rest[cut:]
    hosts = authority.rpartition("@")[2]
    path, _, query = tail.partition("?")
    params = parse_qsl(query, keep_blank_values=True)
    drop: tuple[str, ...] = ()
    if not credentials:
        drop += ("authsource", "authmechanism", "authmechanismproperties")
    if plaintext:
        drop += ("tls", "ssl")
    kept = [(k, v) for k, v in params if not k.lower().startswith(drop)]
    return f"{scheme.lower()}://{hosts}{path or '/'}" + (f"?{urlencode(kept)}" if kept else "")


def connect(
    uri: TargetURI,
    settings: Settings,
    *,
    credentials: bool,
    op_timeout_s: float,
    tls: bool | None = None,
    tls_insecure: bool = False,
):
    """A MongoClient (lazy: nothing is sent until the first operation)."""
    pymongo = pymongo_module()
    connect_ms = int(settings.limits.connect_timeout_s * 1000)
    kwargs: dict[str, Any] = dict(
        serverSelectionTimeoutMS=connect_ms,
        connectTimeoutMS=connect_ms,
        socketTimeoutMS=int((op_timeout_s + settings.limits.connect_timeout_s) * 1000),
        readPreference="secondaryPreferred",
        appname="spillguard",
        uuidRepresentation="standard",
        unicode_decode_error_handler="replace",  # data reads use codec_options(): counted
        datetime_conversion="DATETIME_AUTO",
        retryWrites=False,
        retryReads=False,  # one bounded wait per operation; the source resumes cursors itself
    )
    if credentials and uri.username:
        kwargs["username"] = uri.username
        kwargs["password"] = uri.password or ""
    if tls is not None:
        kwargs["tls"] = tls
    if tls_insecure:
        kwargs["tlsAllowInvalidCertificates"] = True
        kwargs["tlsAllowInvalidHostnames"] = True
    target = host_uri(uri, credentials=credentials, plaintext=tls is False)
    try:
        return pymongo.MongoClient(target, **kwargs)
    except pymongo.errors.PyMongoError as exc:
        raise SourceError(f"cannot configure a MongoDB client for {uri.display}",
                              reason=reason(exc)) from None


def max_time_ms(seconds: float) -> int:
    return max(1, int(seconds * 1000))


def reason(exc: BaseException) -> str:
    """A reason code for a pymongo/bson error; never the error's text."""
    if isinstance(exc, SpillguardError):
        return exc.reason
    try:
        from bson.errors import InvalidBSON
        from pymongo import errors as E
    except ImportError:
        return safe_reason(exc)
    if isinstance(exc, E.ServerSelectionTimeoutError):
        return "server_selection_timeout"
    if isinstance(exc, E.NetworkTimeout):
        return "timeout"
    if isinstance(exc, E.ConnectionFailure):
        return "connection_lost"
    if isinstance(exc, (E.ExecutionTimeout, E.WTimeoutError)):
        return "timeout"
    if isinstance(exc, E.OperationFailure):
        code = exc.code
        if isinstance(code, int):
            return _CODES.get(code, f"server_error:{code}")
        return "server_error"
    if isinstance(exc, (E.ConfigurationError, E.InvalidURI)):
        return "config"
    if isinstance(exc, InvalidBSON):
        return "decode_error"
    if isinstance(exc, E.PyMongoError):
        return "mongodb_error:" + type(exc).__name__
    return safe_reason(exc)


def is_network(exc: BaseException) -> bool:
    """The server or the path to it failed (as opposed to one command being refused)."""
    try:
        from pymongo import errors as E
    except ImportError:
        return False
    return isinstance(exc, E.ConnectionFailure)


def error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "code", None)
    return code if isinstance(code, int) else None


def list_database_names(client, timeout_s: float) -> list[str]:
    """listDatabases (nameOnly): raises OperationFailure (code 13) when not permitted."""
    reply = client.admin.command(
        "listDatabases", nameOnly=True, maxTimeMS=max_time_ms(timeout_s)
    )
    return [d["name"] for d in reply.get("databases", []) if isinstance(d.get("name"), str)]


def list_collections(client, db: str, timeout_s: float) -> list[tuple[str, str]]:
    """(name, type) of the collections of ``db`` the account may see (names only)."""
    cursor = client[db].list_collections(
        nameOnly=True, authorizedCollections=True, maxTimeMS=max_time_ms(timeout_s)
    )
    try:
        return [(c["name"], c.get("type", "collection")) for c in cursor if isinstance(c.get("name"), str)]
    finally:
        cursor.close()


def plain(value: Any, depth: int = 0) -> Any:
    """BSON values -> Batch values: str/int/float/bool/bytes/None, dicts and lists."""
    if isinstance(value, dict):
        if depth > MAX_NESTING:
            return None
        return {str(k): plain(v, depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        if depth > MAX_NESTING:
            return None
        return [plain(v, depth + 1) for v in value]
    if value is None or isinstance(value, (bool, float)):
        return value
    if isinstance(value, str):
        return value if type(value) is str else str(value)  # Code -> str
    if isinstance(value, int):
        return int(value)  # Int64 -> int
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)  # Binary -> bytes: an embedding blob stays bytes
    iso = getattr(value, "isoformat", None)
    if iso is not None:
        return iso()
    name = type(value).__name__
    if name in ("MinKey", "MaxKey"):
        return None
    if name == "Regex":
        return value.pattern if isinstance(value.pattern, str) else bytes(value.pattern)
    if name == "DBRef":
        return {"$ref": value.collection, "$id": plain(value.id, depth + 1)}
    if name == "Timestamp":
        return value.as_datetime().isoformat()
    if name == "DatetimeMS":  # a date outside Python's range: milliseconds since 1970
        return str(int(value))
    return str(value)  # ObjectId, Decimal128, UUID, Code, DatetimeMS
