"""Writing reports: atomically (temp file + rename), so a failed write never leaves a
half report that looks complete; format chosen from the file extension."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from spillguard.errors import ConfigError

EXTENSION_FORMATS = {".json": "json", ".sarif": "sarif", ".txt": "table", ".html": "html"}


def format_for(path: str, default: str) -> str:
    return EXTENSION_FORMATS.get(Path(path).suffix.lower(), default)


def write_atomic(path: str, text: str) -> None:
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    if not directory.is_dir():
        raise ConfigError(f"cannot write report {path}: directory {directory} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise ConfigError(f"cannot write report {path}: {exc.strerror or type(exc).__name__}") from None
