"""When detectors disagree about the same characters, the surer one wins.

An 18-digit resident ID that happens to pass Luhn is not also a payment card; a 15-digit
IMEI is not also an IMSI. Hits are taken best first (score, then length); a hit that
overlaps an already kept hit of another entity (or the same span twice) is dropped.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable, TypeVar

from spillguard.detectors.base import Hit

T = TypeVar("T")


def resolve(items: Iterable[tuple[Hit, T]]) -> list[tuple[Hit, T]]:
    """Keep the best non-overlapping (hit, tag) pairs per row (row 0 for free text)."""
    items = list(items)
    if len({item[0].row for item in items}) == len(items):
        return items  # one hit a row (the common case in a column): nothing can clash
    return _by_row(items)


def _by_row(items: list[tuple[Hit, T]]) -> list[tuple[Hit, T]]:
    by_row: dict[int, list[tuple[Hit, T]]] = defaultdict(list)
    for item in items:
        by_row[item[0].row].append(item)
    kept: list[tuple[Hit, T]] = []
    for row_items in by_row.values():
        if len(row_items) == 1:  # the common case in a column: one hit in the cell
            kept.append(row_items[0])
            continue
        for cluster in _clusters(row_items):
            if len(cluster) == 1:
                kept.extend(cluster)
                continue
            chosen: list[Hit] = []
            for item in sorted(cluster, key=lambda i: (-i[0].score, -(i[0].end - i[0].start), i[0].start)):
                h = item[0]
                if any(_clash(h, c) for c in chosen):
                    continue
                chosen.append(h)
                kept.append(item)
    return kept


def _clusters(items: list[tuple[Hit, T]]) -> list[list[tuple[Hit, T]]]:
    """Groups of hits whose spans chain-overlap; hits in different groups cannot clash,
    so a log chunk with thousands of hits is resolved in O(n log n), not O(n^2)."""
    out: list[list[tuple[Hit, T]]] = []
    end = -1
    for item in sorted(items, key=lambda i: i[0].start):
        if out and item[0].start < end:
            out[-1].append(item)
            end = max(end, item[0].end)
        else:
            out.append([item])
            end = item[0].end
    return out


def _clash(a: Hit, b: Hit) -> bool:
    if not (a.start < b.end and b.start < a.end):
        return False
    return a.entity != b.entity or (a.start, a.end) == (b.start, b.end)
