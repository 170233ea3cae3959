"""JSON documents (.json), streamed with ijson so memory stays bounded.

* A top-level array: each item is one record (objects flatten to their paths, scalars go
  to the column ``value``).
* A top-level object: every array found under it (outside other arrays) whose items are
  objects, or which has more than ``KEEP_ITEMS`` items, is streamed item by item: each
  item is one record with paths under ``<path>[]`` (``{"data": {"list": [...]}}`` gives
  ``data.list[].id_no``). Everything else in the object (scalars, small arrays, vectors)
  forms one more record, capped at ``max_json_document_bytes``.
* Several top-level values one after another (concatenated JSON) are read in turn.

Errors (never quoting the document): invalid JSON -> FormatError "invalid_json" with
the byte range where parsing failed; a document that ends early -> FormatError
"truncated"; one record or the rest-object above ``max_json_document_bytes`` ->
LimitExceeded "size_limit"; a string (any stretch without a quote) longer than
``max_field_bytes`` -> LimitExceeded "field_too_large". Nesting deeper than 32 levels
is cut (any depth: the parser does not recurse) -> partial "nesting_too_deep".
"""

from __future__ import annotations

import re
from typing import Any, BinaryIO, Iterator

import ijson

from spillguard.errors import FormatError, LimitExceeded
from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.encoding import DecodedReader, looks_binary
from spillguard.formats.flatten import MAX_DEPTH, FlattenStats, flatten_records
from spillguard.models import Batch

KEEP_ITEMS = 4096  # longer arrays of scalars/lists are streamed (vectors are shorter)
_OPEN = ("start_map", "start_array")
_CLOSE = ("end_map", "end_array")


class _Stop(Exception):
    """Sample size reached."""


class _Guard:
    """UTF-8 bytes for ijson from a DecodedReader; refuses over-long quote-free runs
    (yajl buffers a whole string token) and remembers where it is."""

    def __init__(self, text: DecodedReader, cap: int):
        self.text, self.cap = text, cap
        self.run = 0
        self.start = self.end = 0
        self.nonspace = False

    def read(self, n: int = 65536) -> bytes:
        if n == 0:  # ijson probes with read(0) for bytes vs str
            return b""
        data = self.text.read(max(n // 4, 1024) if n > 0 else 16384).encode("utf-8")
        self.start, self.end = self.end, self.end + len(data)
        self.nonspace = self.nonspace or bool(data.strip())
        first = data.find(b'"')
        run = self.run + (len(data) if first < 0 else first)
        inside = first >= 0 and self.cap < len(data) and re.search(b'[^"]{%d}' % (self.cap + 1), data)
        if run > self.cap or inside:
            raise LimitExceeded("a JSON string is larger than max_field_bytes", reason="field_too_large")
        self.run = run if first < 0 else len(data) - data.rfind(b'"') - 1
        return data


class JsonDocument(Format):
    id = "json"
    extensions = (".json", ".geojson", ".har")
    priority = 40
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        return name.lower().endswith(self.extensions) and not looks_binary(head)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        text = DecodedReader(stream)
        guard = _Guard(text, max(ctx.limits.max_field_bytes, 1024))
        walker = _Walker(ctx)
        failure = None
        limit: LimitExceeded | None = None
        try:
            events = ijson.basic_parse(guard, use_float=True, multiple_values=True)
            yield from walker.run(events)
        except _Stop:
            yield from walker.flush()
        except LimitExceeded as exc:  # our own message: safe to pass on
            limit = exc
        except ijson.JSONError as exc:  # its text quotes the document: keep only the kind
            failure = "truncated" if "premature EOF" in str(exc) else "invalid_json"
        except RecursionError:
            failure = "nesting_too_deep"
        finally:
            ctx.coverage.bytes += text.bytes_read
            if text.errors:
                ctx.coverage.mark("partial", "decode_errors")
            if walker.stats.reason():
                ctx.coverage.mark("partial", walker.stats.reason())
        if limit is not None:
            yield from walker.flush()
            raise limit
        if failure == "truncated" and not walker.events and not guard.nonspace:
            return  # empty or whitespace-only document: nothing to read
        if failure:
            yield from walker.flush()
            raise FormatError(
                f"{failure.replace('_', ' ')}: {ctx.name} could not be parsed as JSON "
                f"(bytes {guard.start}-{guard.end} of the UTF-8 text)",
                reason=failure,
            )


class _Walker:
    def __init__(self, ctx: ReadContext):
        self.ctx = ctx
        self.limits = ctx.limits
        self.stats = FlattenStats()
        self.records: list[Any] = []
        self.prefix: str | None = None
        self.total = 0
        self.events = 0

    def run(self, events: Iterator[tuple[str, Any]]) -> Iterator[Batch]:
        for event, value in events:
            self.events += 1
            if event == "start_array":
                yield from self._array(events, None, None)
            elif event == "start_map":
                rest: dict[str, Any] = {}
                budget = [self.limits.max_json_document_bytes]
                yield from self._map(events, rest, "", 1, budget)
                if rest:
                    yield from self._add(rest, None)
            else:
                yield from self._add(value, None)
        yield from self.flush()

    def flush(self) -> Iterator[Batch]:
        if self.records:
            columns = flatten_records(self.records, self.prefix, stats=self.stats)
            if self.stats.reason():
                self.ctx.coverage.mark("partial", self.stats.reason())
            yield Batch(columns=columns, records=len(self.records))
            self.records = []

    def _add(self, record: Any, prefix: str | None) -> Iterator[Batch]:
        if prefix != self.prefix:
            yield from self.flush()
            self.prefix = prefix
        self.records.append(record)
        self.total += 1
        if len(self.records) >= self.limits.batch_records:
            yield from self.flush()
        if self.ctx.sample_size and self.total >= self.ctx.sample_size:
            raise _Stop

    def _map(self, events, node: dict, path: str, depth: int, budget: list[int]):
        key = ""
        for event, value in events:
            if event == "map_key":
                key = value
                _charge(budget, value)
            elif event == "end_map":
                return
            elif event == "start_map":
                if depth >= MAX_DEPTH:
                    self._skip(events)
                    continue
                child: dict[str, Any] = {}
                node[key] = child
                yield from self._map(events, child, f"{path}.{key}" if path else key, depth + 1, budget)
            elif event == "start_array":
                kept = yield from self._array(events, f"{path}.{key}[]" if path else f"{key}[]", budget)
                if kept:
                    node[key] = kept
            else:
                node[key] = value
                _charge(budget, value)

    def _array(self, events, prefix: str | None, budget: list[int] | None):
        """Stream the items of an array; items kept in the parent record are returned."""
        kept: list[Any] = []
        streaming = prefix is None
        cap = self.limits.max_json_document_bytes
        for event, value in events:
            if event == "end_array":
                return kept
            item = self._build(event, value, events, [cap] if streaming else budget)
            if not streaming and (isinstance(item, dict) or len(kept) >= KEEP_ITEMS):
                streaming = True
                for old in kept:
                    yield from self._add(old, prefix)
                kept = []
            if streaming:
                yield from self._add(item, prefix)
            else:
                kept.append(item)
        return kept

    def _build(self, event: str, value: Any, events, budget: list[int]) -> Any:
        """One JSON value from its events, iteratively (no recursion), depth-capped."""
        if event not in _OPEN:
            _charge(budget, value)
            return value
        root: Any = {} if event == "start_map" else []
        stack = [root]
        key = ""
        for event, value in events:
            top = stack[-1]
            if event == "map_key":
                key = value
                _charge(budget, value)
                continue
            if event in _CLOSE:
                stack.pop()
                if not stack:
                    return root
                continue
            if event in _OPEN:
                if len(stack) >= MAX_DEPTH:
                    self._skip(events)
                    continue
                child: Any = {} if event == "start_map" else []
                stack.append(child)
                value = child
            _charge(budget, value)
            if isinstance(top, dict):
                top[key] = value
            else:
                top.append(value)
        return root

    def _skip(self, events) -> None:
        self.stats.depth_cut += 1
        depth = 1
        for event, _ in events:
            if event in _OPEN:
                depth += 1
            elif event in _CLOSE:
                depth -= 1
                if not depth:
                    return


def _charge(budget: list[int] | None, value: Any) -> None:
    if budget is None:
        return
    budget[0] -= 16 + (len(value) if isinstance(value, str) else 0)
    if budget[0] < 0:
        raise LimitExceeded("a JSON record is larger than max_json_document_bytes", reason="size_limit")
