#!/usr/bin/env python3
"""Export spillguard's detector patterns for the raw-matcher floor (re2, hyperscan).

    .venv/bin/python bench/patterns.py --out .bench/patterns.json

Runs in spillguard's own venv (it imports the detectors); the peer venv only reads the
JSON. Every ``PatternDetector.pattern`` is rewritten for automaton engines, which have
no lookaround:

* lookbehind ``(?<=…)``/``(?<!…)`` and lookahead ``(?=…)``/``(?!…)`` are dropped (they
  are boundary checks: the rewritten pattern over-approximates, finds a superset of
  candidate positions, which is what a prefilter needs);
* named groups ``(?P<v>…)`` become plain groups (one combined pattern cannot repeat a
  name);
* Python's ``\\uXXXX`` escapes become ``\\x{XXXX}``.

Detectors without a pattern (vocabularies, biometrics: ColumnDetector) are listed under
``skipped``; they never scan bytes with a regex of their own.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path


def strip_lookarounds(p: str) -> tuple[str, int]:
    """Remove every (?=…), (?!…), (?<=…), (?<!…) group; returns (pattern, removed)."""
    out: list[str] = []
    i, removed, n = 0, 0, len(p)
    in_class = False
    while i < n:
        c = p[i]
        if c == "\\":
            out.append(p[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and p[i] == "^":
                out.append("^")
                i += 1
            if i < n and p[i] == "]":  # a literal ] first in a class
                out.append("]")
                i += 1
            continue
        if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(p, i)
            removed += 1
            continue
        out.append(c)
        i += 1
    return "".join(out), removed


def _group_end(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '('."""
    depth, in_class, j = 0, False, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if j + 1 < len(p) and p[j + 1] == "^":
                j += 1
            if j + 1 < len(p) and p[j + 1] == "]":
                j += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError("unbalanced group")


def for_automata(pattern: str) -> tuple[str, int]:
    p, removed = strip_lookarounds(pattern)
    p = re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", p)
    p = re.sub(r"\\u([0-9A-Fa-f]{4})", r"\\x{\1}", p)
    return p, removed


def export() -> dict:
    from spillguard.detectors import registry
    from spillguard.detectors.base import PatternDetector

    patterns, skipped = [], []
    for d in registry():
        if isinstance(d, PatternDetector) and d.pattern:
            rewritten, removed = for_automata(d.pattern)
            patterns.append({"id": d.id, "entity": d.entity, "flags": int(d.flags), "original": d.pattern,
                             "rewritten": rewritten, "lookarounds_removed": removed})
        else:
            skipped.append(d.id)
    return {"patterns": patterns, "skipped": skipped}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)
    data = export()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, indent=1, ensure_ascii=False))
    print(f"{len(data['patterns'])} patterns, {len(data['skipped'])} detectors without one", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
