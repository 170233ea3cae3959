"""Can a match of a Python regex take in a given character?

A joined column separates its cells with ``gate.SEP``; a match holding one would span
two cells, so every match was checked for it, a Python generator step per candidate
(~8 % of a CSV scan). Most detectors' patterns cannot consume SEP at all (digits,
letters, a few separators), which this module decides once per pattern from its parsed
form: lookarounds do not consume and are skipped; anything it does not know (a back
reference, an unknown opcode) counts as "yes", so the check stays where it may matter.
tests/detectors/test_consumes.py compares it with matching on patterns of every kind.
"""

from __future__ import annotations

import re
from functools import lru_cache
from re import _constants as C  # type: ignore[attr-defined]
from re import _parser as P  # type: ignore[attr-defined]

_CATEGORY = {
    C.CATEGORY_DIGIT: r"\d", C.CATEGORY_NOT_DIGIT: r"\D",
    C.CATEGORY_SPACE: r"\s", C.CATEGORY_NOT_SPACE: r"\S",
    C.CATEGORY_WORD: r"\w", C.CATEGORY_NOT_WORD: r"\W",
}  # fmt: skip
_REPEATS = (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT)


@lru_cache(maxsize=None)  # one entry per (pattern, flags, character)
def can_consume(pattern: str, flags: int, ch: str) -> bool:
    """Could some match of ``re.compile(pattern, flags)`` include the character ``ch``?
    Never False when it could (see the module note)."""
    parsed = P.parse(pattern, flags)
    flags = parsed.state.flags
    chars = {ch, ch.lower(), ch.upper()} if flags & re.IGNORECASE else {ch}
    return any(_sub(parsed, flags, c) for c in chars)


def _sub(items, flags: int, ch: str) -> bool:
    return any(_item(op, av, flags, ch) for op, av in items)


def _item(op, av, flags: int, ch: str) -> bool:
    code = ord(ch)
    if op is C.LITERAL:
        return av == code
    if op is C.NOT_LITERAL:
        return av != code
    if op is C.ANY:
        return bool(flags & re.DOTALL) or ch != "\n"
    if op is C.IN:
        return _in_class(av, flags, ch)
    if op in (C.AT, C.ASSERT, C.ASSERT_NOT):  # zero width
        return False
    if op is C.SUBPATTERN:
        _, add, remove, sub = av
        return _sub(sub, (flags | add) & ~remove, ch)
    if op is C.BRANCH:
        return any(_sub(alt, flags, ch) for alt in av[1])
    if op in _REPEATS:
        lo, hi, sub = av
        return hi != 0 and _sub(sub, flags, ch)
    if op is C.ATOMIC_GROUP:
        return _sub(av, flags, ch)
    if op is C.GROUPREF_EXISTS:
        _, yes, no = av
        return _sub(yes, flags, ch) or (no is not None and _sub(no, flags, ch))
    return True  # a back reference or anything unknown: it may


def _in_class(items, flags: int, ch: str) -> bool:
    code, negate, member = ord(ch), False, False
    for op, av in items:
        if op is C.NEGATE:
            negate = True
        elif op is C.LITERAL:
            member |= av == code
        elif op is C.RANGE:
            member |= av[0] <= code <= av[1]
        elif op is C.CATEGORY and av in _CATEGORY:
            member |= re.fullmatch(_CATEGORY[av], ch, flags & (re.ASCII | re.UNICODE)) is not None
        else:
            return True  # unknown member: it may
    return member != negate
