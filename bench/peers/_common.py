"""Shared harness side of a peer adapter: read the measured slice, feed it record by
record, write predictions, print one JSON line of timings.

An adapter defines ``setup(args) -> detect`` where ``detect(text) -> [(start, end, type,
matched_text)]`` with character offsets into ``text``, and calls ``main(setup, ...)``.

Input: ``--input FILE --format text|logs|csv|jsonl --max-bytes N`` (0 = the whole file;
else the first N bytes cut back to the last complete line). One record = one line (the
CSV header is skipped, record 0 is the first data row; ``logs`` is free text, read like
``text``). Every record is one call of ``detect``: the unit a user of these libraries
passes (a log line, a CSV row, a JSON document); see bench/README.md for why not bigger
chunks.

Output: ``--out PRED.tsv`` with ``record  start  end  type  text`` rows (``--no-values``:
the text column left empty, for a corpus of real data), and on stdout
``{"bytes", "records", "setup_s", "scan_s", "predictions", "version"}``.

This file runs in the peer venv: standard library only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Callable, Iterable

Detect = Callable[[str], Iterable[tuple[int, int, str, str]]]


def read_slice(path: str, max_bytes: int) -> bytes:
    with open(path, "rb") as f:
        data = f.read(max_bytes) if max_bytes > 0 else f.read()
        if max_bytes > 0 and len(data) == max_bytes and f.read(1):
            data = data[: data.rfind(b"\n") + 1]
    return data


def records(data: bytes, fmt: str) -> list[str]:
    lines = data.decode("utf-8", "replace").split("\n")  # a corpus of your own may hold bad bytes
    if lines and lines[-1] == "":
        lines.pop()
    if fmt == "csv":
        lines = lines[1:]
    return lines


def _clean(s: str) -> str:
    return s.replace("\t", " ").replace("\n", " ").replace("\r", " ")


def parser(description: str) -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--input", required=True)
    ap.add_argument("--format", choices=("text", "logs", "csv", "jsonl"), required=True)
    ap.add_argument("--max-bytes", type=int, default=0)
    ap.add_argument("--out", required=True)
    ap.add_argument("--no-values", action="store_true", help="write spans and types, never the matched text")
    return ap


def main(setup: Callable[[argparse.Namespace], Detect], ap: argparse.ArgumentParser, version: str) -> int:
    args = ap.parse_args()
    t0 = time.perf_counter()
    detect = setup(args)
    setup_s = time.perf_counter() - t0
    data = read_slice(args.input, args.max_bytes)
    recs = records(data, args.format)
    out: list[str] = []
    t1 = time.perf_counter()
    for i, text in enumerate(recs):
        for start, end, typ, matched in detect(text):
            shown = "" if args.no_values else _clean(matched)
            out.append(f"{i}\t{start}\t{end}\t{typ}\t{shown}\n")
    scan_s = time.perf_counter() - t1
    with open(args.out, "w", encoding="utf-8") as f:
        f.write("record\tstart\tend\ttype\ttext\n")
        f.writelines(out)
    print(json.dumps({"bytes": len(data), "records": len(recs), "setup_s": round(setup_s, 3),
                      "scan_s": round(scan_s, 3), "predictions": len(out), "version": version}))
    sys.stdout.flush()
    return 0
