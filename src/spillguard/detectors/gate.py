"""Gates: a fast automaton pass that says where a detector's own regex can match.

Detectors decide with Python regexes (lookarounds, then checksums); running a dozen of
those over every byte is what made scans slow. A gate is the detector's regex rewritten
for RE2 (lookarounds and word boundaries dropped, Unicode classes spelled out), so it
matches a *superset* of the places the detector's regex matches. The text is split into
segments (lines of free text; cells of a joined column) once, in Arrow (C++), and each
gate marks, in one RE2 pass, the segments that may hold a candidate. The detector's regex
then runs only over those segments, with ``finditer(text, pos, endpos)`` on the original
string: lookbehinds and the keyword window still see the text before a segment, and
positions stay absolute. So a gated scan finds what an ungated scan finds, except a
candidate that spans a segment boundary (a line break in free text, which no pattern
here needs; patterns with an explicit ``\\n``, the passport MRZ, are never gated).

tests/detectors/test_gate.py checks the superset property per detector and compares
gated with ungated scans on the bundled samples.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from functools import lru_cache
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

SEP = "\x00"
_ON = [True]  # off only in tests that compare gated with ungated scans


@contextmanager
def disabled() -> Iterator[None]:
    """Every detector looks at every value and every line (the reference behaviour)."""
    _ON[0] = False
    try:
        yield
    finally:
        _ON[0] = True


def enabled() -> bool:
    return _ON[0]


MIN_GATED_CHARS = 4096
MERGE_GAP = 256  # below this one regex pass is cheaper than the gate's set-up
_WS = r"\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}"  # Python's str.isspace() set
# Python's str-pattern \d is every Unicode decimal digit; RE2's is ASCII, and \p{Nd} makes
# gates slow to compile (Arrow compiles per call). Gates take ASCII and full-width digits;
# a text holding any other decimal digit is not gated at all (see segments()).
_DIGITS = r"0-9\x{ff10}-\x{ff19}"
_OTHER_DIGIT = re.compile(r"[^\D0-9\uff10-\uff19]")
_UNICODE_CLASS = {  # Python's str-pattern classes are Unicode; RE2's are ASCII
    "d": (_DIGITS, f"[^{_DIGITS}]"),
    "w": (r"\p{L}\p{N}_", None),
    "s": (_WS, None),
}


def strip_lookarounds(p: str) -> tuple[str, int]:
    """Remove every (?=…), (?!…), (?<=…), (?<!…) group; returns (pattern, removed)."""
    out: list[str] = []
    i, removed, n = 0, 0, len(p)
    in_class = False
    while i < n:
        c = p[i]
        if c == "\\":
            out.append(p[i : i + 2])
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            if i < n and p[i] == "^":
                out.append("^")
                i += 1
            if i < n and p[i] == "]":  # a literal ] first in a class
                out.append("]")
                i += 1
            continue
        if p.startswith(("(?=", "(?!", "(?<=", "(?<!"), i):
            i = _group_end(p, i)
            removed += 1
            continue
        out.append(c)
        i += 1
    return "".join(out), removed


def _group_end(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '('."""
    depth, in_class, j = 0, False, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if j + 1 < len(p) and p[j + 1] == "^":
                j += 1
            if j + 1 < len(p) and p[j + 1] == "]":
                j += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return j + 1
        j += 1
    raise ValueError("unbalanced group")


def _edges(p: str) -> tuple[str | None, str, str | None]:
    """(C, body, D) for ``(?<![C])…body…(?![D]|…)``: the boundary checks at the very start
    and end of a pattern, when they are one plain character class, can be kept in RE2 as
    consuming classes (what a lookaround means there: start of text or a non-C character).
    Other lookarounds are dropped by strip_lookarounds. C or D is None when absent."""
    lead = None
    while p.startswith("(?<!"):
        end = _group_end(p, 0)
        inner = p[4 : end - 1]
        if lead is None and _plain_class(inner):
            lead = inner
        p = p[end:]
    trail = None
    start = _last_group_start(p)
    if start is not None and p.startswith("(?!", start):
        first = _top_alternatives(p[start + 3 : -1])[0]
        trail = first if _plain_class(first) else None
        p = p[:start]
    return lead, p, trail


def _plain_class(p: str) -> bool:
    """One non-negated character class and nothing else."""
    if not p.startswith("[") or p.startswith("[^"):
        return False
    i = 2 if p.startswith("[]") else 1
    while i < len(p):
        if p[i] == "\\":
            i += 2
            continue
        if p[i] == "]":
            return i == len(p) - 1
        if p[i] == "[":
            return False
        i += 1
    return False


def _last_group_start(p: str) -> int | None:
    """Index of the '(' of the top-level group that ends the pattern, if one does."""
    if not p.endswith(")"):
        return None
    i, in_class, depth, start = 0, False, 0, None
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if p.startswith(("[^]", "[]"), i):
                i += 2 if p.startswith("[]", i) else 3
                continue
        elif c == "(":
            if depth == 0:
                start = i
            depth += 1
        elif c == ")":
            depth -= 1
        i += 1
    return start if depth == 0 and _group_end(p, start) == len(p) else None


def _top_alternatives(p: str) -> list[str]:
    out, depth, in_class, i, last = [], 0, False, 0, 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            out.append(p[last:i])
            last = i + 1
        i += 1
    out.append(p[last:])
    return out


def _escapes(p: str, unicode: bool) -> str | None:
    """Rewrite backslash escapes for RE2; None when a class cannot be expressed."""
    out: list[str] = []
    i, n, in_class = 0, len(p), False
    while i < n:
        c = p[i]
        if c == "\\" and i + 1 < n:
            e = p[i + 1]
            if e in "bBAZ":  # boundaries and anchors: dropping them widens the match
                i += 2
                continue
            if e == "u":
                out.append(r"\x{" + p[i + 2 : i + 6] + "}")
                i += 6
                continue
            if unicode and e.lower() in _UNICODE_CLASS:
                pos, neg = _UNICODE_CLASS[e.lower()]
                if e.islower():
                    out.append(pos if in_class else f"[{pos}]")
                elif neg is not None and not in_class:
                    out.append(neg)
                elif not in_class:
                    out.append(f"[^{pos}]")
                else:
                    return None  # a negated class inside a class: no RE2 spelling
                i += 2
                continue
            out.append(p[i : i + 2])
            i += 2
            continue
        if in_class and c == "]":
            in_class = False
        elif not in_class and c == "[":
            in_class = True
            out.append(c)
            i += 1
            for lit in ("^", "]"):  # a leading ^ and a literal ] stay as they are
                if i < n and p[i] == lit:
                    out.append(lit)
                    i += 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


@lru_cache(maxsize=512)
def automaton_pattern(pattern: str, flags: int = 0) -> str | None:
    """The RE2 pattern that matches a superset of ``pattern``'s matches, or None when
    there is none worth having (verbose syntax, a line-spanning pattern, RE2 refuses it)."""
    if flags & re.VERBOSE or "\\n" in pattern or "\n" in pattern or "(?x" in pattern:
        return None
    try:
        lead, body, trail = _edges(pattern)
        p, _ = strip_lookarounds(body)
    except ValueError:
        return None
    p = re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", p)
    p = _escapes(p, unicode=not flags & re.ASCII)
    if p is None or not p:
        return None
    # the edge checks kept as consuming classes: "not preceded by C" = start or a non-C
    edges = [_escapes(c, unicode=not flags & re.ASCII) if c else None for c in (lead, trail)]
    if edges[0]:
        p = f"(?:^|[^{edges[0][1:-1]}])(?:{p})"
    if edges[1]:
        p = f"(?:{p})(?:$|[^{edges[1][1:-1]}])"
    prefix = "".join(f for bit, f in ((re.IGNORECASE, "i"), (re.DOTALL, "s"), (re.MULTILINE, "m")) if flags & bit)
    p = f"(?{prefix}){p}" if prefix else p
    try:
        pc.match_substring_regex(pa.array(["x"]), p)  # Arrow's RE2 must accept it
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return p


class Segments:
    """A text cut at ``delimiter`` once, in Arrow; which segments each gate marks."""

    def __init__(self, text: str, delimiter: str, union: tuple[str, ...] = ()):
        self.text = text
        cells = pc.split_pattern(pa.array([text]), delimiter).flatten()
        self.cells = cells
        lengths = pc.utf8_length(cells).to_numpy(zero_copy_only=False).astype(np.int64)
        self.starts = np.concatenate(([0], np.cumsum(lengths + len(delimiter))))  # +1 past the end
        self._windows: dict[tuple[str, int], list[tuple[int, int]]] = {}
        # One pass of the union of ``union``'s gates first: a member gate then only looks
        # at the segments the union marked (on clean text, a few in a hundred).
        self.members, self.pre, self.pre_cells = frozenset(), None, None
        if union:
            try:
                any_gate = pc.match_substring_regex(cells, "|".join(f"(?:{g})" for g in union))
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # too big for RE2: gate one by one
                return
            self.members = frozenset(union)
            self.pre = np.flatnonzero(any_gate.to_numpy(zero_copy_only=False))
            self.pre_cells = cells.take(pa.array(self.pre, type=pa.int64()))

    def _marked(self, gate: str) -> np.ndarray:
        if gate in self.members:
            return self.pre[np.flatnonzero(pc.match_substring_regex(self.pre_cells, gate).to_numpy(zero_copy_only=False))]
        return np.flatnonzero(pc.match_substring_regex(self.cells, gate).to_numpy(zero_copy_only=False))

    def windows(self, gate: str, reach: int = 0) -> list[tuple[int, int]]:
        """(pos, endpos) runs of consecutive marked segments; endpos takes in the
        delimiter after the run so that lookaheads see the real next character.
        ``reach`` also marks the segments that start within that many characters after
        a marked one (a keyword gate: the value follows the keyword)."""
        got = self._windows.get((gate, reach))
        if got is not None:
            return got
        marked = self._marked(gate)
        if reach and len(marked):
            last = np.searchsorted(self.starts, self.starts[marked + 1] + reach, side="right") - 1
            cover = np.zeros(len(self.starts) + 1, dtype=np.int64)
            np.add.at(cover, marked, 1)
            np.add.at(cover, np.minimum(last, len(self.starts) - 2) + 1, -1)
            marked = np.flatnonzero(np.cumsum(cover)[: len(self.starts) - 1] > 0)
        out: list[tuple[int, int]] = []
        if len(marked):
            # a new window only after a gap of more than MERGE_GAP characters: scanning a
            # few unmarked cells costs less than one more finditer call
            gaps = self.starts[marked[1:]] - self.starts[marked[:-1] + 1]
            breaks = np.flatnonzero(gaps > MERGE_GAP)
            firsts = np.concatenate(([marked[0]], marked[breaks + 1]))
            lasts = np.concatenate((marked[breaks], [marked[-1]]))
            n = len(self.text)
            out = [(int(s), min(n, int(e))) for s, e in zip(self.starts[firsts], self.starts[lasts + 1])]
        self._windows[(gate, reach)] = out
        return out


_LAST: list = [None, None, None]  # (text, delimiter, Segments): detectors share one cut
_TEXT_GATES: set[str] = set()  # gates asked for on free text in this process (a few dozen)
MAX_UNION = 64


def segments(text: str, delimiter: str) -> Segments | None:
    if _LAST[0] is text and _LAST[1] == delimiter:
        return _LAST[2]
    seg: Segments | None = None
    if not _OTHER_DIGIT.search(text):
        try:
            # free text: the gates asked for on earlier chunks go into the union pass
            seg = Segments(text, delimiter, tuple(sorted(_TEXT_GATES)) if delimiter == "\n" else ())
        except (pa.ArrowInvalid, UnicodeEncodeError):  # lone surrogates: no UTF-8 form
            seg = None
    _LAST[:] = [text, delimiter, seg]
    return seg


def windows(text: str, rx: re.Pattern, delimiter: str = "\n", gate: str | None = None,
            reach: int = 0) -> list[tuple[int, int]]:
    """Where ``rx`` may match in ``text``: the whole text when it is short or ``rx`` has
    no gate. ``gate`` overrides the rewritten pattern; ``reach``: see Segments.windows."""
    if len(text) < MIN_GATED_CHARS or not _ON[0]:
        return [(0, len(text))]
    gate = gate or automaton_pattern(rx.pattern, rx.flags & ~re.UNICODE)
    seg = segments(text, delimiter) if gate is not None else None
    if seg is None:
        return [(0, len(text))]
    if delimiter == "\n" and gate not in _TEXT_GATES and len(_TEXT_GATES) < MAX_UNION:
        _TEXT_GATES.add(gate)
    return seg.windows(gate, reach)


def gated_finditer(rx: re.Pattern, text: str, delimiter: str = "\n", gate: str | None = None, reach: int = 0):
    """``rx.finditer(text)``, restricted to the segments its gate marks."""
    for pos, end in windows(text, rx, delimiter, gate, reach):
        yield from rx.finditer(text, pos, end)


_ARRAY: list = [None, None]  # (values, Arrow array): the detectors of one column share it


def marked(values: list[str | None], gate: str) -> np.ndarray:
    """Indices of the values (None: never) in which ``gate`` finds a match."""
    if not _ON[0]:
        return np.arange(len(values))
    if _ARRAY[0] is values:
        arr = _ARRAY[1]
    else:
        arr = None
        if not _OTHER_DIGIT.search(SEP.join(v for v in values if v)):
            try:
                arr = pa.array(values, type=pa.string())
            except (pa.ArrowInvalid, UnicodeEncodeError):
                arr = None
        _ARRAY[:] = [values, arr]
    if arr is None:
        return np.arange(len(values))  # no UTF-8 form: let the detector look at every value
    hits = pc.fill_null(pc.match_substring_regex(arr, gate), False)
    return np.flatnonzero(hits.to_numpy(zero_copy_only=False))


def rows_where(texts: list[str | None], raw: list, gate: str | None, raw_types: tuple[type, ...] = ()) -> list[int]:
    """Rows whose raw value is one of ``raw_types`` or whose text ``gate`` marks; every row
    when gating is off."""
    if not _ON[0]:
        return list(range(len(texts)))
    rows: set[int] = set()
    if raw_types and any(issubclass(t, raw_types) for t in set(map(type, raw))):
        rows.update(i for i, r in enumerate(raw) if isinstance(r, raw_types))
    if gate is not None:
        rows.update(marked(texts, gate).tolist())
    return sorted(rows)


def literal_gate(words: tuple[str, ...]) -> str:
    """RE2 for any of ``words``, ignoring case (ASCII punctuation hex-escaped)."""
    def esc(w: str) -> str:
        return "".join(c if c.isalnum() or not c.isascii() else f"\\x{{{ord(c):02x}}}" for c in w)
    return "(?i)" + "|".join(esc(w) for w in sorted(words, key=len, reverse=True))
