"""Target URIs and where their credentials come from.

Order: the URI itself (``postgresql://user:pw@host/db``), then environment variables
``SPILLGUARD_<SCHEME>_USER`` / ``SPILLGUARD_<SCHEME>_PASSWORD`` (scheme upper-cased,
``-``/``+`` -> ``_``; e.g. ``SPILLGUARD_POSTGRESQL_PASSWORD``), then a TOML credentials
file (``--credentials FILE`` or ``~/.config/spillguard/credentials.toml``) with one table
per target, written as given without the password::

    ["postgresql://scanner@127.0.0.1:5432/appdb"]
    password = "..."

Drivers' own mechanisms (``PGPASSWORD``, ``~/.pgpass``, ``AWS_ACCESS_KEY_ID``) keep
working. A password is never printed: use ``mask_credentials`` for anything shown.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qsl, unquote, urlsplit

from spillguard.errors import ConfigError

_SECRET_PARAMS = re.compile(r"(?i)([?&](?:password|passwd|pwd|secret|token|secret_key|access_key|api_key)=)[^&#]*")


def mask_credentials(target: str) -> str:
    """Hide the password (and secret query parameters) in a URI: user:***@host."""
    masked = re.sub(r"(?<=://)([^/@:]*):([^/@]*)@", lambda m: f"{m.group(1)}:***@", target)
    return _SECRET_PARAMS.sub(lambda m: m.group(1) + "***", masked)


@dataclass(frozen=True)
class TargetURI:
    raw: str = field(repr=False)
    scheme: str
    host: str | None
    port: int | None
    username: str | None
    password: str | None = field(repr=False)
    path: str  # without the leading '/'
    query: dict[str, str]

    @property
    def display(self) -> str:
        return mask_credentials(self.raw)

    @property
    def database(self) -> str | None:
        first = self.path.split("/", 1)[0]
        return first or None

    @property
    def key(self) -> str:
        """The target as given, without the password: the credentials-file key."""
        return re.sub(r"(?<=://)([^/@:]*):([^/@]*)@", lambda m: f"{m.group(1)}@", self.raw)


def parse_target(target: str, credentials_file: str | None = None) -> TargetURI:
    parts = urlsplit(target)
    try:
        port = parts.port
    except ValueError:
        if "," not in parts.netloc:  # mongodb://h1:27017,h2:27017/ lists several hosts
            raise ConfigError(f"invalid port in target {mask_credentials(target)!r}") from None
        port = None
    uri = TargetURI(
        raw=target,
        scheme=parts.scheme.lower(),
        host=parts.hostname,
        port=port,
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password is not None else None,
        path=unquote(parts.path.lstrip("/")),
        query=dict(parse_qsl(parts.query)),
    )
    return _fill_from_env(_fill_from_file(uri, credentials_file))


def _env_name(scheme: str, what: str) -> str:
    return f"SPILLGUARD_{re.sub(r'[^A-Z0-9]', '_', scheme.upper())}_{what}"


def _fill_from_env(uri: TargetURI) -> TargetURI:
    user = uri.username or os.environ.get(_env_name(uri.scheme, "USER"))
    password = uri.password if uri.password is not None else os.environ.get(_env_name(uri.scheme, "PASSWORD"))
    return replace(uri, username=user, password=password)


def default_credentials_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "spillguard" / "credentials.toml"


def _fill_from_file(uri: TargetURI, path: str | None) -> TargetURI:
    if uri.password is not None:
        return uri
    file = Path(path) if path else default_credentials_file()
    if not file.exists():
        if path:
            raise ConfigError(f"credentials file {file} does not exist")
        return uri
    try:
        table = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read credentials file {file}: {type(exc).__name__}") from None
    entry = table.get(uri.key)
    if not isinstance(entry, dict):
        return uri
    return replace(uri, username=uri.username or entry.get("username"), password=entry.get("password"))
