"""Flatten nested documents (JSON, JSON Lines, Parquet structs and lists, MongoDB) into
field-path columns for a Batch.

Paths: ``guest.id_no`` for nested objects, ``companions[].id_no`` for fields of objects in
a list, ``tags[]`` for a list of scalars. Anything below a list holds, per record, the
list of its values (``companions[].id_no`` -> ``["1101...", "3201..."]``).

Vectors: a list of 16 or more numbers (bools excluded) is one value kept whole at the
plain path (``face.feature``, no ``[]``); inside a list it is one element of the list.

Top-level records that are not objects (a JSON array of strings, say) go to the column
``value`` (``value`` for scalars, ``value[]`` for lists), unless a ``prefix`` is given:
then they go to the prefix itself (``data.list[]``).

Caps: nesting below ``max_depth`` levels is cut, and paths beyond ``max_fields`` per
record (or columns per batch) are dropped; both are counted in ``FlattenStats`` so that
callers mark the container partial ("nesting_too_deep", "too_many_fields").
"""

from __future__ import annotations

import datetime as _dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

MAX_DEPTH = 32
MAX_FIELDS = 5_000
VECTOR_MIN = 16
_LEAVES = frozenset({str, int, float, bool})  # exact types that walk() would put as they are


@dataclass
class FlattenStats:
    depth_cut: int = 0  # subtrees cut for nesting below max_depth
    fields_cut: int = 0  # values dropped for too many fields

    def reason(self) -> str | None:
        if self.depth_cut:
            return "nesting_too_deep"
        if self.fields_cut:
            return "too_many_fields"
        return None


def to_scalar(value: Any) -> Any:
    """A Batch scalar: str, int, float, bool or bytes (others become text)."""
    if isinstance(value, (str, bool, int, float, bytes)):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() and value.is_finite() else str(value)
    if isinstance(value, (_dt.datetime, _dt.date, _dt.time)):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    return str(value)


def is_vector(value: Any) -> bool:
    return (
        isinstance(value, (list, tuple))
        and len(value) >= VECTOR_MIN
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in value)
    )


class _Row:
    __slots__ = ("values", "multi", "max_fields", "stats", "max_depth")

    def __init__(self, max_depth: int, max_fields: int, stats: FlattenStats):
        self.values: dict[str, Any] = {}
        self.multi: set[str] = set()
        self.max_depth = max_depth
        self.max_fields = max_fields
        self.stats = stats

    def put(self, path: str, value: Any, in_list: bool) -> None:
        values = self.values
        if path in self.multi:
            values[path].append(value)
        elif path in values:  # the same path twice ("a.b" key and a -> b): keep both
            values[path] = [values[path], value]
            self.multi.add(path)
        elif len(values) >= self.max_fields:
            self.stats.fields_cut += 1
        elif in_list:
            values[path] = [value]
            self.multi.add(path)
        else:
            values[path] = value

    def walk(self, value: Any, path: str, depth: int, in_list: bool) -> None:
        if value is None:
            return
        if isinstance(value, dict):
            if depth >= self.max_depth:
                self.stats.depth_cut += 1
                return
            for key, item in value.items():
                key = key if isinstance(key, str) else str(to_scalar(key))
                if type(item) in _LEAVES:  # most values: put straight away, no call to walk()
                    self.put(f"{path}.{key}" if path else key, item, in_list)
                else:
                    self.walk(item, f"{path}.{key}" if path else key, depth + 1, in_list)
        elif isinstance(value, (list, tuple)):
            if is_vector(value):
                self.put(path, list(value), in_list)
                return
            if depth >= self.max_depth:
                self.stats.depth_cut += 1
                return
            for item in value:
                self.walk(item, path + "[]", depth + 1, True)
        else:
            self.put(path, to_scalar(value), in_list)


def flatten_records(
    records: list[Any],
    prefix: str | None = None,
    *,
    max_depth: int = MAX_DEPTH,
    max_fields: int = MAX_FIELDS,
    stats: FlattenStats | None = None,
) -> dict[str, list[Any]]:
    """Records -> Batch.columns: every column has exactly ``len(records)`` entries.

    With a ``prefix`` ending in ``[]`` (items of a streamed array), values of a record
    that sit directly under the prefix are scalars, not one-element lists."""
    stats = stats if stats is not None else FlattenStats()
    columns: dict[str, list[Any]] = {}
    n = len(records)
    for i, record in enumerate(records):
        row = _Row(max_depth, max_fields, stats)
        if prefix:
            row.walk(record, prefix, 0, False)
        elif isinstance(record, dict):
            row.walk(record, "", 0, False)
        else:
            row.walk(record, "value", 0, False)
        for path, value in row.values.items():
            column = columns.get(path)
            if column is None:
                if len(columns) >= max_fields:
                    stats.fields_cut += 1
                    continue
                column = columns[path] = [None] * n
            column[i] = value
    return columns
