"""Plain text and logs: the catch-all for anything that decodes as text.

Chunks hold at most ``limits.text_chunk_chars`` characters and end at the last newline
in the chunk. A chunk without a newline (one very long line) is split hard, and its last
``OVERLAP`` characters are repeated at the start of the next chunk so that an entity
across the boundary is still seen whole. ``Batch.text_offset`` is the absolute character
offset of the chunk, so the engine drops a match it already saw (same absolute span).
``Batch.records`` counts the lines that end in the chunk (a last line without newline
counts at the end). Memory stays bounded by the chunk size whatever the line length.

Sampling: with ``ctx.sample_size`` set, reading stops after that many lines.
Undecodable bytes -> partial "decode_errors". Binary heads are not claimed.
"""

from __future__ import annotations

from typing import BinaryIO, Iterator

from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.encoding import DecodedReader, looks_binary
from spillguard.models import Batch

OVERLAP = 64
MIN_CHUNK = 4 * OVERLAP


class Text(Format):
    id = "text"
    extensions = (".txt", ".log", ".md", ".text", ".out", ".err")
    priority = 0
    kind = "text"

    def sniff(self, name: str, head: bytes) -> bool:
        return not looks_binary(head)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        size = max(ctx.limits.text_chunk_chars, MIN_CHUNK)
        text = DecodedReader(stream)
        pending = ""  # read but not yet emitted, starts at absolute offset ``start``
        start = 0
        lines = 0
        counted = 0
        while True:
            need = size - len(pending)
            try:
                more = text.read(need, keep_on_error=True)
            except Exception:
                if pending:  # read before a cap was hit: scanned, then the cap is reported
                    yield Batch(text=pending, text_offset=start, records=pending.count("\n") + 1)
                raise
            eof = len(more) < need
            data = pending + more
            if not data:
                break
            if eof:
                chunk, pending, step = data, "", len(data)
            else:
                cut = data.rfind("\n") + 1
                if cut:
                    chunk, pending, step = data[:cut], data[cut:], cut
                else:  # one long line: split hard, carry an overlap
                    chunk, pending, step = data, data[-OVERLAP:], len(data) - OVERLAP
            records = chunk.count("\n") + (1 if eof and not chunk.endswith("\n") else 0)
            if ctx.sample_size and lines + records >= ctx.sample_size:
                chunk = _first_lines(chunk, ctx.sample_size - lines)
                records, eof = ctx.sample_size - lines, True
            lines += records
            ctx.coverage.bytes += text.bytes_read - counted
            counted = text.bytes_read
            if text.errors:
                ctx.coverage.mark("partial", "decode_errors")
            yield Batch(text=chunk, text_offset=start, records=records)
            if text.failure is not None:
                raise text.failure  # after the text read before it was scanned
            if eof:
                break
            start += step
        ctx.coverage.bytes += text.bytes_read - counted
        if text.errors:
            ctx.coverage.mark("partial", "decode_errors")


def _first_lines(chunk: str, n: int) -> str:
    """The first ``n`` lines of ``chunk`` (with their newlines)."""
    pos = 0
    for _ in range(n):
        nl = chunk.find("\n", pos)
        if nl < 0:
            return chunk
        pos = nl + 1
    return chunk[:pos]
