#!/usr/bin/env python3
"""Export spillguard's detector patterns for the raw-matcher floor (re2, hyperscan).

    .venv/bin/python bench/patterns.py --out .bench/patterns.json

Runs in spillguard's own venv (it imports the detectors); the peer venv only reads the
JSON. Every ``PatternDetector.pattern`` is exported as spillguard's own gate
(``spillguard.detectors.automaton.automaton_pattern``), the RE2 rewrite spillguard's first
pass runs: inner lookarounds and word boundaries dropped, the boundary checks at the
pattern's edges kept as consuming classes, Python's Unicode ``\\d``/``\\s``/``\\w``
spelled out, named groups made plain, ``\\uXXXX`` as ``\\x{XXXX}``. Each rewritten pattern
matches a superset of the original's candidates (tests/detectors/test_gate.py).

Detectors without a pattern (vocabularies, biometrics: ColumnDetector) are listed under
``skipped``, as is the passport MRZ (it spans lines; spillguard does not gate it).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def for_automata(pattern: str, flags: int = 0) -> tuple[str | None, int]:
    """spillguard's own gate (detectors/automaton.py): the pattern spillguard's first pass runs."""
    from spillguard.detectors.automaton import automaton_pattern, strip_lookarounds

    return automaton_pattern(pattern, flags), strip_lookarounds(pattern)[1]


def export() -> dict:
    from spillguard.detectors import registry
    from spillguard.detectors.base import PatternDetector

    patterns, skipped = [], []
    for d in registry():
        if isinstance(d, PatternDetector) and d.pattern:
            rewritten, removed = for_automata(d.pattern, d.flags)
            if rewritten is None:  # the passport MRZ spans lines: spillguard does not gate it
                skipped.append(d.id)
                continue
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
