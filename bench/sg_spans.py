#!/usr/bin/env python3
"""spillguard's detectors run directly over a text file, with spans, for span-level
precision/recall (the end-to-end report only has counts per entity for free text).

    .venv/bin/python bench/sg_spans.py --input text.log --out spans.tsv [--max-bytes N]

Same path and process settings (``runtime.tune_gc``) as the engine's TextScanner:
chunks of ~1 MiB characters ending at a newline (``Limits.text_chunk_chars``), every
detector from ``spillguard.detectors.registry()`` that implements ``scan_text``, hits
below ``Settings.min_confidence`` (0.5) dropped, overlaps resolved (the surer one wins):
``spillguard.scanning.text.TextDetectors``, the engine's own.
No tallies, distinct counts or reports: this is also the "detectors only" row.

Writes ``record  start  end  type  text`` (record = line, offsets in characters within
the line; ``--no-values``: the text column left empty, for a corpus of real data) and
prints one JSON line of timings, like the peer adapters.
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "peers"))
import _common  # noqa: E402

_NEWLINE = re.compile("\n")


def _chunks(path: str, max_bytes: int, size: int):
    """~``size``-character chunks ending after a newline, streamed (memory stays at a
    few chunks, as in the engine); with ``max_bytes`` the first that many bytes."""
    if max_bytes > 0:
        text = _common.read_slice(path, max_bytes).decode("utf-8", "replace")
        pieces = iter([text])
    else:
        f = open(path, encoding="utf-8", errors="replace", newline="")
        pieces = iter(lambda: f.read(size), "")
    pending = ""
    for piece in pieces:
        data = pending + piece
        while len(data) >= size:
            cut = data.rfind("\n", 0, size) + 1 or size
            yield data[:cut]
            data = data[cut:]
        pending = data
    if pending:
        yield pending


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--max-bytes", type=int, default=0)
    ap.add_argument("--no-values", action="store_true", help="write spans and types, never the matched text")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from spillguard import __version__
    from spillguard.detectors import registry
    from spillguard.runtime import tune_gc
    from spillguard.scanning.text import TextDetectors
    from spillguard.settings import Limits, Settings

    tune_gc()  # as the command line does in every process that scans

    min_conf = Settings(targets=["-"]).min_confidence
    chunk_chars = Limits().text_chunk_chars
    detectors = TextDetectors(registry())
    setup_s = time.perf_counter() - t0

    t1 = time.perf_counter()
    f_out = open(args.out, "w", encoding="utf-8")
    f_out.write("record\tstart\tend\ttype\ttext\n")
    predictions = 0
    line_base = 0  # line number of the chunk's first line
    nbytes = 0
    for chunk in _chunks(args.input, args.max_bytes, chunk_chars):
        nbytes += len(chunk.encode("utf-8"))
        kept = detectors.hits(chunk, min_conf)
        if kept:
            newlines = [m.start() for m in _NEWLINE.finditer(chunk)]  # in C, as the engine finds them
            predictions += len(kept)
            for hit, det in kept:
                k = bisect.bisect_left(newlines, hit.start)  # line within the chunk
                line_start = newlines[k - 1] + 1 if k else 0
                shown = "" if args.no_values else chunk[hit.start:hit.end]
                f_out.write(f"{line_base + k}\t{hit.start - line_start}\t{hit.end - line_start}\t"
                           f"{det.entity}\t{shown}\n")
        line_base += chunk.count("\n")
    f_out.close()
    scan_s = time.perf_counter() - t1
    print(json.dumps({"bytes": nbytes, "records": line_base, "setup_s": round(setup_s, 3),
                      "scan_s": round(scan_s, 3), "predictions": predictions,
                      "version": f"spillguard {__version__}"}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
