"""JSON Lines (.jsonl, .ndjson, and .json files whose head is one JSON value per line).

Each non-blank line is one record, flattened to field paths (see flatten.py). Lines that
do not parse are skipped and counted -> partial "bad_lines"; a line longer than
``max_field_bytes`` characters is skipped (read through in bounded pieces) -> partial
"line_too_long"; a line nested too deep for the parser -> skipped, partial
"nesting_too_deep" (also when flattening cuts deep content); undecodable bytes ->
partial "decode_errors". The first reason marked stays (Coverage.mark).
"""

from __future__ import annotations

import json
from typing import Any, BinaryIO, Iterator

from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.encoding import DecodedReader, bom, detect, looks_binary
from spillguard.formats.flatten import FlattenStats, flatten_records
from spillguard.models import Batch


def looks_like_jsonl(head: bytes) -> bool:
    """Two or more lines of which the first is a complete JSON object or array."""
    encoding, skip = detect(head)
    text = head[skip:].decode(encoding, "replace")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) < 2 or not lines[1].startswith(("{", "[")):
        return False
    try:
        return isinstance(json.loads(lines[0]), (dict, list))
    except (ValueError, RecursionError):
        return False


class JsonLines(Format):
    id = "jsonl"
    extensions = (".jsonl", ".ndjson", ".jsonlines", ".ldjson")
    priority = 45
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        lower = name.lower()
        if lower.endswith(self.extensions):
            return not looks_binary(head)
        if lower.endswith(".json") and not looks_binary(head):
            return looks_like_jsonl(head) if (head.lstrip()[:1] in b"{[" or bom(head)) else False
        return False

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        limits = ctx.limits
        cap = max(limits.max_field_bytes, 1024)
        text = DecodedReader(stream)
        stats = FlattenStats()
        records: list[Any] = []
        total = 0
        counted = 0
        while True:
            line = text.readline(cap)
            if not line:
                break
            if len(line) >= cap and not line.endswith(("\n", "\r")):
                _skip_rest_of_line(text, cap)
                ctx.coverage.mark("partial", "line_too_long")
                continue
            line = line.strip()
            if not line:
                continue
            try:
                records.append(json.loads(line))
            except RecursionError:
                ctx.coverage.mark("partial", "nesting_too_deep")
                continue
            except ValueError:  # never passed on: JSONDecodeError keeps the line
                ctx.coverage.mark("partial", "bad_lines")
                continue
            total += 1
            done = bool(ctx.sample_size) and total >= ctx.sample_size
            if len(records) >= limits.batch_records or done:
                columns = flatten_records(records, stats=stats)
                counted = _account(ctx, text, stats, counted)
                yield Batch(columns=columns, records=len(records))
                records = []
                if done:
                    break
        if records:
            columns = flatten_records(records, stats=stats)
            _account(ctx, text, stats, counted)
            yield Batch(columns=columns, records=len(records))
        else:
            _account(ctx, text, stats, counted)


def _skip_rest_of_line(text: DecodedReader, cap: int) -> None:
    while True:
        piece = text.readline(cap)
        if not piece or piece.endswith(("\n", "\r")):
            return


def _account(ctx: ReadContext, text: DecodedReader, stats: FlattenStats, counted: int) -> int:
    ctx.coverage.bytes += text.bytes_read - counted
    if text.errors:
        ctx.coverage.mark("partial", "decode_errors")
    if stats.reason():
        ctx.coverage.mark("partial", stats.reason())
    return text.bytes_read
