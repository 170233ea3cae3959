#!/usr/bin/env python3
"""Raw-matcher floor, google-re2: one combined pattern, every match counted.

The union of spillguard's detector patterns as rewritten by bench/patterns.py (no
lookarounds, no named groups), each as a (?:…) alternative, compiled once with a 512 MiB
DFA budget (re2's default 8 MiB makes this pattern fall back to the NFA: 5x slower) and
run with ``finditer`` over the bytes in 1 MiB blocks. Patterns re2 rejects are skipped
and named in the output. No validation, no context: the floor under any detector that
starts from these patterns.
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _floor  # noqa: E402


def main() -> int:
    args = _floor.parser(__doc__.split("\n\n")[0]).parse_args()
    import re2
    from importlib.metadata import version

    t0 = time.perf_counter()
    used, skipped = _floor.compilable(args.patterns, re2.compile)
    opts = re2.Options()
    opts.max_mem = 512 << 20
    combined = b"|".join(b"(?:" + p["rewritten"].encode("utf-8") + b")" for p in used)
    rx = re2.compile(combined, options=opts)
    setup_s = time.perf_counter() - t0
    data = _floor.blocks(args.input, args.max_bytes)
    t1 = time.perf_counter()
    matches = 0
    for block in data:
        for _ in rx.finditer(block):
            matches += 1
    scan_s = time.perf_counter() - t1
    print(json.dumps({"bytes": sum(map(len, data)), "records": sum(b.count(b"\n") for b in data),
                      "setup_s": round(setup_s, 3), "scan_s": round(scan_s, 3), "matches": matches,
                      "patterns": [p["id"] for p in used], "skipped": skipped,
                      "version": f"google-re2 {version('google-re2')}"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
