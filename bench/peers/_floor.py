"""Shared part of the raw-matcher floors: the patterns file and the byte blocks.

Standard library only (runs in the peer venv)."""

from __future__ import annotations

import argparse
import json
from typing import Callable

BLOCK = 1 << 20


def parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--input", required=True)
    ap.add_argument("--patterns", required=True, help="JSON written by bench/patterns.py")
    ap.add_argument("--max-bytes", type=int, default=0)
    return ap


def load_patterns(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)["patterns"]


def compilable(path: str, compile_one: Callable[[bytes], object]) -> tuple[list[dict], list[str]]:
    """The patterns of ``path`` the engine compiles (``compile_one`` raises on the others),
    and the ids of those it refuses."""
    used, skipped = [], []
    for p in load_patterns(path):
        try:
            compile_one(p["rewritten"].encode("utf-8"))
            used.append(p)
        except Exception:  # noqa: BLE001 - re2.error, hyperscan.error; name it and go on
            skipped.append(p["id"])
    return used, skipped


def blocks(path: str, max_bytes: int) -> list[bytes]:
    """The file (or its first max_bytes) in ~1 MiB blocks cut after a newline, so no
    candidate is split between two blocks."""
    with open(path, "rb") as f:
        data = f.read(max_bytes) if max_bytes > 0 else f.read()
    out, i = [], 0
    while i < len(data):
        j = min(len(data), i + BLOCK)
        if j < len(data):
            nl = data.rfind(b"\n", i, j)
            j = nl + 1 if nl > i else j
        out.append(data[i:j])
        i = j
    return out
