"""Python regexes rewritten for RE2, which has no lookaround and ASCII-only classes.

``automaton_pattern`` turns a detector's pattern into a gate (see gate.py) that matches a
*superset* of the pattern's matches:

* inner lookarounds, word boundaries and ``\\A``/``\\Z`` are dropped (each only narrows);
* the boundary checks at the very edges, ``(?<![C])…(?![D]|…)``, are kept as consuming
  classes, ``(?:^|[^C])…(?:$|[^D])``: what they mean at the start and end of a match;
* Python's Unicode ``\\d``, ``\\s``, ``\\w`` are spelled out (``\\d`` as ASCII and
  full-width digits only: gate.py does not gate text holding other decimal digits);
* named groups become plain groups, ``\\uXXXX`` becomes ``\\x{XXXX}``.

tests/detectors/test_gate.py checks the superset property for every detector.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

_WS = r"\s\p{Z}\x{0b}\x{1c}-\x{1f}\x{85}"  # Python's str.isspace() set
_DIGITS = r"0-9\x{ff10}-\x{ff19}"
OTHER_DIGIT = re.compile(r"[^\D0-9\uff10-\uff19]")  # a decimal digit _DIGITS leaves out


@lru_cache(maxsize=1)
def other_digit_re2() -> str:
    """OTHER_DIGIT for RE2, spelled as explicit code point ranges read from Python's own
    Unicode tables (so RE2's Unicode version cannot disagree with Python's \\d): one
    C++ pass over a text instead of a Python regex (4x faster). The code points are
    found by OTHER_DIGIT itself, run once over a string of every code point, made from
    their UTF-32 form (~30 ms and 9 MB once per process; a Python loop over 1.1M code
    points took 0.28 s, and joining 1.1M one-character strings 100 MB)."""
    every = np.arange(0x110000, dtype="<u4").tobytes().decode("utf-32-le", "surrogatepass")
    digits = [m.start() for m in OTHER_DIGIT.finditer(every)]
    ranges: list[list[int]] = []
    for c in digits:
        if ranges and ranges[-1][1] == c - 1:
            ranges[-1][1] = c
        else:
            ranges.append([c, c])
    return "[" + "".join(f"\\x{{{a:x}}}-\\x{{{b:x}}}" for a, b in ranges) + "]"
_UNICODE_CLASS = {  # escape -> (class body, negated class or None: only outside a class)
    "d": (_DIGITS, f"[^{_DIGITS}]"),
    "w": (r"\p{L}\p{N}_", None),
    "s": (_WS, None),
}
_LOOKAROUNDS = ("(?=", "(?!", "(?<=", "(?<!")


def _tokens(p: str, i: int = 0) -> Iterator[tuple[int, int, str, bool]]:
    """(start, end, kind, in_class) for each token of ``p`` from ``i``: kind is "esc" (a
    backslash escape, ``\\uXXXX`` whole), "open"/"close" (the brackets of a class) or
    "char"; a leading ``^`` and a literal ``]`` first in a class are class members."""
    n, in_class = len(p), False
    while i < n:
        c = p[i]
        if c == "\\":
            end = i + 6 if p.startswith("u", i + 1) else i + 2
            yield i, end, "esc", in_class
            i = end
        elif in_class and c == "]":
            yield i, i + 1, "close", True
            in_class = False
            i += 1
        elif not in_class and c == "[":
            yield i, i + 1, "open", False
            in_class = True
            i += 1
            for lit in ("^", "]"):
                if i < n and p[i] == lit:
                    yield i, i + 1, "char", True
                    i += 1
        else:
            yield i, i + 1, "char", in_class
            i += 1


def _structure(p: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(index, character, depth before it) of each unescaped ( ) | outside classes."""
    depth = 0
    for a, _, kind, in_class in _tokens(p, i):
        c = p[a]
        if kind != "char" or in_class or c not in "()|":
            continue
        yield a, c, depth
        depth += 1 if c == "(" else -1 if c == ")" else 0


def _group_end(p: str, i: int) -> int:
    """Index just after the group opening at p[i] == '('."""
    for a, c, depth in _structure(p, i):
        if c == ")" and depth == 1:
            return a + 1
    raise ValueError("unbalanced group")


def strip_lookarounds(p: str) -> tuple[str, int]:
    """Remove every (?=…), (?!…), (?<=…), (?<!…) group; returns (pattern, removed)."""
    out: list[str] = []
    skip_to, removed = 0, 0
    for a, b, kind, in_class in _tokens(p):
        if a < skip_to:
            continue
        if kind == "char" and not in_class and p.startswith(_LOOKAROUNDS, a):
            skip_to = _group_end(p, a)
            removed += 1
            continue
        out.append(p[a:b])
    return "".join(out), removed


@lru_cache(maxsize=512)
def ends_text(p: str) -> bool:
    """``$`` or ``\\Z`` outside a class: ``finditer(text, pos, endpos)`` reads ``endpos``
    as the end of the text, so gate.py never cuts windows for such a pattern (none of
    the built-in ones is anchored there)."""
    return any((kind == "char" and not in_class and p[a] == "$") or (kind == "esc" and p[a + 1] == "Z")
               for a, _, kind, in_class in _tokens(p))


def _plain_class(p: str) -> bool:
    """One non-negated character class and nothing else."""
    if not p.startswith("[") or p.startswith("[^"):
        return False
    closes = [b for _, b, kind, _ in _tokens(p) if kind == "close"]
    return closes == [len(p)]


def _last_group(p: str) -> int | None:
    """Index of the '(' of the top-level group that ends the pattern, if one does."""
    starts = [a for a, c, depth in _structure(p) if c == "(" and depth == 0]
    if not starts or not p.endswith(")") or _group_end(p, starts[-1]) != len(p):
        return None
    return starts[-1]


def _top_alternatives(p: str) -> list[str]:
    cuts = [a for a, c, depth in _structure(p) if c == "|" and depth == 0]
    return [p[a + 1 : b] for a, b in zip([-1] + cuts, cuts + [len(p)])]


def _edges(p: str) -> tuple[str | None, str, str | None]:
    """(C, body, D) for ``(?<![C])…body…(?![D]|…)``: the boundary checks at the very start
    and end of a pattern when they are one plain character class (None when absent).
    Other lookarounds at the edges are dropped."""
    lead = None
    while p.startswith("(?<!"):
        end = _group_end(p, 0)
        if lead is None and _plain_class(p[4 : end - 1]):
            lead = p[4 : end - 1]
        p = p[end:]
    trail = None
    start = _last_group(p)
    if start is not None and p.startswith("(?!", start):
        first = _top_alternatives(p[start + 3 : -1])[0]
        trail = first if _plain_class(first) else None
        p = p[:start]
    return lead, p, trail


def _escapes(p: str, unicode: bool) -> str | None:
    """Rewrite backslash escapes for RE2; None when a class cannot be expressed."""
    out: list[str] = []
    for a, b, kind, in_class in _tokens(p):
        if kind != "esc":
            out.append(p[a:b])
            continue
        e = p[a + 1]
        if e in "bBAZ":  # boundaries and anchors: dropping them widens the match
            continue
        if e == "u":
            out.append(r"\x{" + p[a + 2 : b] + "}")
        elif unicode and e.lower() in _UNICODE_CLASS:
            body, negated = _UNICODE_CLASS[e.lower()]
            if e.islower():
                out.append(body if in_class else f"[{body}]")
            elif in_class:
                return None  # a negated class inside a class: no RE2 spelling
            else:
                out.append(negated or f"[^{body}]")
        else:
            out.append(p[a:b])
    return "".join(out)


@lru_cache(maxsize=512)
def automaton_pattern(pattern: str, flags: int = 0) -> str | None:
    """The RE2 pattern that matches a superset of ``pattern``'s matches, or None when
    there is none worth having (verbose syntax, a line-spanning pattern, RE2 refuses it)."""
    if flags & re.VERBOSE or "\\n" in pattern or "\n" in pattern or "(?x" in pattern:
        return None
    unicode = not flags & re.ASCII
    try:
        lead, body, trail = _edges(pattern)
        p, _ = strip_lookarounds(body)
    except ValueError:
        return None
    p = _escapes(re.sub(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>", "(?:", p), unicode)
    if not p:
        return None
    edges = [_escapes(c, unicode) if c else None for c in (lead, trail)]
    if edges[0]:  # "not preceded by C" = start of text or a non-C character
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


def literal_gate(words: tuple[str, ...]) -> str:
    """RE2 for any of ``words``, ignoring case (ASCII punctuation hex-escaped)."""
    def esc(w: str) -> str:
        return "".join(c if c.isalnum() or not c.isascii() else f"\\x{{{ord(c):02x}}}" for c in w)
    return "(?i)" + "|".join(esc(w) for w in sorted(words, key=len, reverse=True))
