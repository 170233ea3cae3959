"""Inline SVG charts for the HTML report: drawn by Python, no script, no external asset.

Every label goes through ``esc`` (labels come from untrusted stores). Charts scale with
their container (viewBox + width 100%) and carry a role="img" label for screen readers.
Colours are passed in by the caller; text is never the only carrier of meaning.
"""

from __future__ import annotations

import math
from html import escape
from unicodedata import east_asian_width
from typing import Sequence

INK, MUTED, GRID, TRACK = "#1f2937", "#4b5563", "#e5e7eb", "#eef0f3"
CATEGORY_COLOURS = {  # entity categories (entities.py); severities keep the reds and oranges
    "identifier": "#1d4ed8", "contact": "#0e7490", "device": "#64748b", "vehicle": "#854d0e",
    "financial": "#4d7c0f", "location": "#db2777", "biometric": "#9f1239",
    "special_category": "#7c3aed", "quasi_identifier": "#94a3b8",
}  # fmt: skip


def esc(value: object) -> str:
    return escape(str(value), quote=True)


def clip(text: str, n: int, keep_end: bool = False) -> str:
    """At most ``n`` columns (CJK characters count two), with an ellipsis; clipped before
    escaping. ``keep_end`` keeps the tail: store paths differ at the end."""
    cols = [2 if east_asian_width(c) in "WF" else 1 for c in text]
    if sum(cols) <= n:
        return text
    chars = list(zip(reversed(text), reversed(cols)) if keep_end else zip(text, cols))
    kept, used = [], 1
    for c, w in chars:
        if used + w > n:
            break
        kept.append(c)
        used += w
    return "…" + "".join(reversed(kept)) if keep_end else "".join(kept) + "…"


def _svg(width: int, height: int, label: str, body: str) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'aria-label="{esc(label)}" preserveAspectRatio="xMinYMin meet">'
        f"<title>{esc(label)}</title>{body}</svg>"
    )


def _text(x: float, y: float, s: str, *, anchor: str = "start", fill: str = INK, size: int = 12,
          weight: str = "normal") -> str:  # fmt: skip
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" fill="{fill}" font-size="{size}" '
        f'font-weight="{weight}">{esc(s)}</text>'
    )


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str = "", rx: int = 2, edge: bool = False) -> str:
    title = f"<title>{esc(tip)}</title>" if tip else ""
    stroke = ' stroke="#fff" stroke-width="0.6"' if edge else ""
    return f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" rx="{rx}" fill="{fill}"{stroke}>{title}</rect>'


def bars(rows: Sequence[tuple[str, int, str]], label: str, width: int = 520) -> str:
    """Horizontal bars: (label, value, colour) per row, value printed after the bar."""
    if not rows:
        return ""
    row_h, left, right = 26, 110, 56
    top = max((v for _, v, _ in rows), default=0) or 1
    span = width - left - right
    parts = []
    for i, (name, value, colour) in enumerate(rows):
        y = 6 + i * row_h
        parts.append(_text(left - 8, y + 14, clip(name, 16), anchor="end"))
        parts.append(_rect(left, y + 2, span, 16, TRACK))
        parts.append(_rect(left, y + 2, span * value / top, 16, colour, f"{name}: {value}"))
        parts.append(_text(left + span * value / top + 6, y + 15, str(value), weight="bold"))
    return _svg(width, 12 + row_h * len(rows), label, "".join(parts))


def stacked(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], colour_of: dict[str, str],
            legend: Sequence[tuple[str, str]], label: str, width: int = 520) -> str:  # fmt: skip
    """Horizontal stacked bars: (row label, [(series, value), ...]); segments coloured by
    ``colour_of[series]`` and split by a thin white line; ``legend``: (name, colour)."""
    rows = [(name, [(s, v) for s, v in parts if v > 0]) for name, parts in rows]
    rows = [r for r in rows if r[1]]
    if not rows:
        return ""
    row_h, left, right = 26, 190, 60
    top = max(sum(v for _, v in parts) for _, parts in rows) or 1
    span = width - left - right
    out = []
    for i, (name, parts) in enumerate(rows):
        y, x = 6 + i * row_h, float(left)
        out.append(_text(left - 8, y + 15, clip(name, 30, keep_end=True), anchor="end", size=11))
        for series, value in parts:
            w = span * value / top
            out.append(_rect(x, y + 4, w, 16, colour_of.get(series, MUTED), f"{name}: {series} {value}", 0, True))
            x += w
        out.append(_text(x + 6, y + 16, str(sum(v for _, v in parts)), weight="bold", size=11))
    x, y = 8.0, 12.0 + row_h * len(rows) + 6
    for name, colour in legend:
        w = 26 + 7 * len(name)
        if x + w > width:
            x, y = 8.0, y + 18
        out.append(_rect(x, y - 9, 10, 10, colour, rx=1))
        out.append(_text(x + 14, y, name, fill=MUTED, size=11))
        x += w
    return _svg(width, int(y) + 10, label, "".join(out))


def histogram(buckets: Sequence[tuple[str, int]], label: str, hot: set[str] | frozenset[str] = frozenset(),
              width: int = 520, height: int = 170) -> str:  # fmt: skip
    """Vertical bars over ordered buckets; ``hot`` buckets are drawn in the alert colour."""
    if not buckets:
        return ""
    base, top_pad, left = height - 34, 18, 12
    n = len(buckets)
    slot = (width - 2 * left) / n
    top = max(v for _, v in buckets) or 1
    out = [f'<line x1="{left}" y1="{base}" x2="{width - left}" y2="{base}" stroke="{GRID}"/>']
    for i, (name, value) in enumerate(buckets):
        h = (base - top_pad) * value / top
        x = left + i * slot + slot * 0.15
        colour = "#b91c1c" if name in hot else "#1d4ed8"
        out.append(_rect(x, base - h, slot * 0.7, h, colour, f"{name} points: {value} keys"))
        out.append(_text(x + slot * 0.35, base - h - 5, str(value), anchor="middle", weight="bold"))
        out.append(_text(x + slot * 0.35, base + 16, name, anchor="middle", fill=MUTED))
    out.append(_text(width / 2, height - 2, "points per key", anchor="middle", fill=MUTED, size=11))
    return _svg(width, height, label, "".join(out))


def gauge(score: int, colour: str, label: str, caption: str = "") -> str:
    """A half-circle gauge for a 0-100 score, the number in the middle."""
    score = max(0, min(100, score))
    cx, cy, r = 90, 86, 70

    def point(frac: float) -> tuple[float, float]:
        a = math.pi * (1 - frac)
        return cx + r * math.cos(a), cy - r * math.sin(a)

    (x0, y0), (x1, y1) = point(0), point(score / 100)
    arc = f'<path d="M{x0:.1f},{y0:.1f} A{r},{r} 0 0 1 {point(1)[0]:.1f},{point(1)[1]:.1f}" '
    body = arc + f'fill="none" stroke="{TRACK}" stroke-width="16" stroke-linecap="round"/>'
    if score:
        body += (
            f'<path d="M{x0:.1f},{y0:.1f} A{r},{r} 0 0 1 {x1:.1f},{y1:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="16" stroke-linecap="round"/>'
        )
    body += _text(cx, cy - 6, str(score), anchor="middle", size=30, weight="bold")
    body += _text(cx, cy + 12, caption or "of 100", anchor="middle", fill=MUTED, size=11)
    return _svg(180, 104, label, body)


def meter(score: int, colour: str, width: int = 110) -> str:
    """A small inline bar for a 0-100 score (used in tables)."""
    w = width * max(0, min(100, score)) / 100
    body = _rect(0, 3, width, 8, TRACK, rx=4) + _rect(0, 3, w, 8, colour, rx=4)
    return (
        f'<svg class="meter" viewBox="0 0 {width} 14" width="{width}" height="14" role="img" '
        f'aria-label="score {score} of 100">{body}</svg>'
    )
