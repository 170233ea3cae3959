"""Delimited text: CSV, TSV, pipe- and semicolon-separated files.

The delimiter is sniffed on a head sample (csv.Sniffer, restricted to , TAB ; |). The
first row is the header unless it looks like data (the sniffer says no header and a
cell is empty, numeric or digit-heavy): then columns are ``col_1``..``col_n``. Empty
header names become ``col_<position>``, duplicates ``<name>_<position>``. Rows longer
than the header add ``col_<position>`` columns; shorter rows give None. Empty cells are
None. Quoted fields may hold newlines.

Caps: a field above ``max_field_bytes`` characters -> partial "field_too_large"; a
physical line above it -> partial "line_too_long"; other CSV syntax errors -> partial
"invalid_csv". Each stops reading (what was read is kept). Undecodable bytes -> partial
"decode_errors".
"""

from __future__ import annotations

import csv
import re
from typing import Any, BinaryIO, Iterator

from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.encoding import DecodedReader, looks_binary
from spillguard.models import Batch

SAMPLE_CHARS = 8 * 1024  # csv.Sniffer is quadratic on quote-heavy input: keep it small
SAMPLE_LINES = 50
MAX_HEADER_CHARS = 200
_DIGITS = re.compile(r"\d{5}")
_NUMBER = re.compile(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")


class _LineTooLong(Exception):
    pass


def _looks_like_header(row: list[str]) -> bool:
    cells = [c.strip() for c in row]
    return (
        bool(cells)
        and all(cells)
        and len(set(cells)) == len(cells)
        and not any(_NUMBER.fullmatch(c) or _DIGITS.search(c) for c in cells)
    )


def header_names(row: list[str]) -> list[str]:
    """Unique, non-empty column names for a header row."""
    names: list[str] = []
    seen: set[str] = set()
    for i, cell in enumerate(row, start=1):
        name = cell.strip()[:MAX_HEADER_CHARS] or f"col_{i}"
        if name in seen:
            base, k = f"{name}_{i}", 2
            name = base
            while name in seen:
                name, k = f"{base}_{k}", k + 1
        seen.add(name)
        names.append(name)
    return names


class Delimited(Format):
    id = "delimited"
    extensions = (".csv", ".tsv", ".tab", ".psv", ".dsv")
    priority = 30
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        return name.lower().endswith(self.extensions) and not looks_binary(head)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        limits = ctx.limits
        text = DecodedReader(stream)
        line_cap = max(limits.max_field_bytes, 1024)
        # a part of a split file (see spillguard.sources.split) takes the dialect and the
        # header from the file's head, and reads only its own lines as records
        head = getattr(stream, "file_head", lambda: None)()
        sample = _sample(text if head is None else DecodedReader(head), line_cap)
        head_text = "".join(sample)[:SAMPLE_CHARS]
        dialect = self._dialect(head_text, ctx.name)

        def lines() -> Iterator[str]:
            if head is None:
                yield from sample
            while True:
                line = text.readline(line_cap)
                if not line:
                    return
                yield line

        csv.field_size_limit(limits.max_field_bytes)  # process-wide; every reader sets it
        reader = csv.reader(_guarded(lines(), line_cap), dialect)
        names: list[str] | None = None
        rows: list[list[str]] = []
        total = 0
        counted = 0
        try:
            own_header = False
            if head is not None:
                first = next((r for r in csv.reader(sample, dialect) if r), None)
                if first is not None:
                    names, is_header = self._names(head_text, first)
                    own_header = is_header and stream.starts_file  # the first part holds it
            for row in reader:
                if not row:
                    continue
                if own_header:
                    own_header = False
                    continue
                if names is None:
                    names, is_header = self._names(head_text, row)
                    if is_header:
                        continue
                rows.append(row)
                total += 1
                if len(rows) >= limits.batch_records or (ctx.sample_size and total >= ctx.sample_size):
                    counted = self._account(ctx, text, counted)
                    yield Batch(columns=_columns(names, rows), records=len(rows))
                    rows = []
                    if ctx.sample_size and total >= ctx.sample_size:
                        return
        except _LineTooLong:
            ctx.coverage.mark("partial", "line_too_long")
        except csv.Error as exc:  # the message is not passed on: it may quote the input
            big = "field larger than field limit" in str(exc)
            ctx.coverage.mark("partial", "field_too_large" if big else "invalid_csv")
        if rows and names is not None:
            yield Batch(columns=_columns(names, rows), records=len(rows))
        self._account(ctx, text, counted)

    @staticmethod
    def _account(ctx: ReadContext, text: DecodedReader, counted: int) -> int:
        ctx.coverage.bytes += text.bytes_read - counted
        if text.errors:
            ctx.coverage.mark("partial", "decode_errors")
        return text.bytes_read

    def _names(self, head_text: str, first: list[str]) -> tuple[list[str], bool]:
        """Column names from the first row, and whether that row is the header."""
        if self._has_header(head_text, first):
            return header_names(first), True
        return [f"col_{i}" for i in range(1, len(first) + 1)], False

    @staticmethod
    def _dialect(sample: str, name: str) -> type[csv.Dialect] | csv.Dialect:
        try:
            return csv.Sniffer().sniff(sample, delimiters=",\t;|")
        except csv.Error:
            class Fallback(csv.excel):
                delimiter = "\t" if name.lower().endswith((".tsv", ".tab")) else ","

            return Fallback

    @staticmethod
    def _has_header(sample: str, first: list[str]) -> bool:
        try:
            if csv.Sniffer().has_header(sample):
                return True
        except csv.Error:
            pass
        return _looks_like_header(first)


def _sample(text: DecodedReader, line_cap: int) -> list[str]:
    """The first lines, up to SAMPLE_LINES or SAMPLE_CHARS: the dialect is sniffed there."""
    sample: list[str] = []
    size = 0
    while len(sample) < SAMPLE_LINES and size < SAMPLE_CHARS:
        line = text.readline(line_cap)
        if not line:
            break
        sample.append(line)
        size += len(line)
    return sample


def _guarded(lines: Iterator[str], cap: int) -> Iterator[str]:
    for line in lines:
        if len(line) >= cap and not line.endswith(("\n", "\r")):
            raise _LineTooLong
        yield line


def _columns(names: list[str], rows: list[list[str]]) -> dict[str, list[Any]]:
    width = max(len(names), max(len(r) for r in rows))
    all_names = names + [f"col_{i}" for i in range(len(names) + 1, width + 1)]
    all_names = header_names(all_names) if width > len(names) else names
    columns: dict[str, list[Any]] = {}
    for j, name in enumerate(all_names):
        columns[name] = [(r[j] or None) if j < len(r) else None for r in rows]
    return columns
