#!/usr/bin/env python3
"""Raw-matcher floor, Hyperscan: all of spillguard's rewritten patterns in one block-mode
database (HS_FLAG_UTF8), run over the bytes in 1 MiB blocks.

Two passes over the same bytes:

* ``all``: every match end Hyperscan reports is counted (its semantics: one event per
  end offset and pattern, so a 19-digit run reports several ends). The time includes
  one Python callback per event; that is the cost a Python caller pays.
* ``per_record``: HS_FLAG_SINGLEMATCH, one scan call per line: which records hold a
  candidate of which pattern; what a prefilter in front of the Python detectors needs.

Start-of-match (HS_FLAG_SOM_LEFTMOST) is not used: these patterns are "too large" for it.
Patterns Hyperscan rejects are skipped and named.
"""

from __future__ import annotations

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _floor  # noqa: E402


def _database(hyperscan, exprs, flag):
    db = hyperscan.Database()
    db.compile(expressions=exprs, ids=list(range(len(exprs))), flags=[flag] * len(exprs))
    return db


def main() -> int:
    args = _floor.parser(__doc__.split("\n\n")[0]).parse_args()
    import hyperscan
    from importlib.metadata import version

    t0 = time.perf_counter()
    used, skipped = _floor.compilable(args.patterns, lambda e: _database(hyperscan, [e], hyperscan.HS_FLAG_UTF8))
    exprs = [p["rewritten"].encode("utf-8") for p in used]
    db_all = _database(hyperscan, exprs, hyperscan.HS_FLAG_UTF8)
    db_one = _database(hyperscan, exprs, hyperscan.HS_FLAG_UTF8 | hyperscan.HS_FLAG_SINGLEMATCH)
    setup_s = time.perf_counter() - t0
    data = _floor.blocks(args.input, args.max_bytes)
    count = [0]

    def on_match(_id, _from, _to, _flags, _ctx):
        count[0] += 1

    t1 = time.perf_counter()
    for block in data:
        db_all.scan(block, match_event_handler=on_match)
    scan_s = time.perf_counter() - t1
    matches, count[0] = count[0], 0
    t2 = time.perf_counter()
    for block in data:
        for line in block.split(b"\n"):
            if line:
                db_one.scan(line, match_event_handler=on_match)
    per_record_s = time.perf_counter() - t2
    print(json.dumps({"bytes": sum(map(len, data)), "records": sum(b.count(b"\n") for b in data),
                      "setup_s": round(setup_s, 3), "scan_s": round(scan_s, 3), "matches": matches,
                      "per_record_s": round(per_record_s, 3), "per_record_hits": count[0],
                      "patterns": [p["id"] for p in used], "skipped": skipped,
                      "version": f"hyperscan {version('hyperscan')}"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
