"""Keyed fingerprints. Personal identifiers are low-entropy (an 18-digit ID has ~1e11
candidates), so a plain hash is reversible by enumeration: everything here is
HMAC-SHA256 with a per-installation key that never appears in a report.

Key lookup order: $SPILLGUARD_KEY (the key itself, >= 16 characters), $SPILLGUARD_KEY_FILE,
then $XDG_CONFIG_HOME/spillguard/key (default ~/.config/spillguard/key), created on first
use with mode 0600.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from spillguard.errors import ConfigError

ENV_KEY = "SPILLGUARD_KEY"
ENV_KEY_FILE = "SPILLGUARD_KEY_FILE"


def default_key_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "spillguard" / "key"


def load_key() -> bytes:
    env = os.environ.get(ENV_KEY)
    if env is not None:
        if len(env) < 16:
            raise ConfigError(f"${ENV_KEY} must be at least 16 characters long")
        return env.encode("utf-8")
    path = Path(os.environ.get(ENV_KEY_FILE) or default_key_path())
    if not path.exists():
        _create_key(path)
    try:
        data = path.read_bytes().strip()
    except OSError as exc:
        raise ConfigError(f"cannot read the fingerprint key file {path}: {type(exc).__name__}") from None
    if len(data) < 16:
        raise ConfigError(f"the fingerprint key file {path} is shorter than 16 bytes")
    return data


def _create_key(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # another process created it first
    except OSError as exc:
        raise ConfigError(
            f"cannot create the fingerprint key file {path} ({type(exc).__name__}); "
            f"set ${ENV_KEY} or ${ENV_KEY_FILE}"
        ) from None
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32) + "\n")


class Keyed:
    """Keyed digests (HMAC-SHA256 fingerprints, keyed BLAKE2b value hashes) bound to one key."""

    def __init__(self, key: bytes):
        self._key = key
        # Per-value digests are the hot path (one per hit and per sampled cell): keyed
        # BLAKE2b is one C call where HMAC-SHA256 is several Python ones. Its key (at most
        # 64 bytes) is derived from the user's key, separate from the fingerprint use.
        value_key = hmac.new(key, b"spillguard value-hash v2", hashlib.sha512).digest()
        self._value_hasher = hashlib.blake2b(digest_size=16, key=value_key)  # copied per value: keyed once

    def value_hash(self, entity: str, value: str) -> bytes:
        """16-byte keyed digest of a normalised value, for distinct counting in memory."""
        h = self._value_hasher.copy()
        h.update(f"{entity}\x1f{value}".encode("utf-8", "surrogatepass"))
        return h.digest()

    def value_hashes(self, entity: str, values: list[str]) -> list[bytes]:
        """``value_hash`` of each value (one call per batch of hits, not per hit)."""
        prefix, base, out = f"{entity}\x1f", self._value_hasher, []
        for v in values:
            h = base.copy()
            h.update((prefix + v).encode("utf-8", "surrogatepass"))
            out.append(h.digest())
        return out

    def derived(self, purpose: str) -> bytes:
        """A 32-byte key for one in-memory use (``purpose``), derived from the user's key:
        the same in every process and run of a scan with that key, never written."""
        return hmac.new(self._key, f"spillguard {purpose}".encode(), hashlib.sha256).digest()

    def fingerprint(self, *parts: object) -> str:
        """Stable keyed identity of a finding (never of a bare value)."""
        text = "\x1f".join("" if p is None else str(p) for p in parts)
        return hmac.new(self._key, text.encode("utf-8"), hashlib.sha256).hexdigest()[:32]
