"""Field-name context: does a field's name say what it holds?

Names come in English (``id_number``, ``phoneNo``), Chinese (``身份证号``) and the
pinyin initials of Chinese government databases (``sfzh``, ``xm``, ``lxdh``). Short ASCII
keywords (<= 4 letters: pinyin initials, ``tel``, ``mac``) must equal a whole token of the
name, so ``mz`` never fires inside ``mzxx_time``-like noise; longer ASCII keywords and
non-ASCII keywords may appear anywhere in the name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_SPLIT = re.compile(r"[^0-9A-Za-z\u0080-\uffff]+")


@lru_cache(maxsize=4096)
def leaf(path: str) -> str:
    """The last segment of a field path: ``companions[].id_no`` -> ``id_no``."""
    return path.replace("[]", "").rsplit(".", 1)[-1]


@lru_cache(maxsize=4096)
def tokens(name: str) -> tuple[str, ...]:
    """Lower-case tokens of a field name: ``guestIdNo`` -> (guest, id, no)."""
    spaced = _CAMEL.sub("_", name)
    return tuple(t.lower() for t in _SPLIT.split(spaced) if t)


@lru_cache(maxsize=16384)  # asked per detector, column and batch with the same names
def name_matches(name: str | None, keywords: tuple[str, ...]) -> str | None:
    """The first keyword the field name carries, or None."""
    if not name or not keywords:
        return None
    toks = tokens(leaf(name))
    joined = "".join(toks)
    for kw in keywords:
        if not kw.isascii():
            if kw.lower() in name.lower():
                return kw
            continue
        k = "".join(tokens(kw))  # "id_no" and "idNo" both mean "idno"
        if len(k) <= 4:
            if k in toks or k == joined:
                return kw
        elif k in joined:
            return kw
    return None


@dataclass(frozen=True)
class FieldContext:
    """What a detector may know about the field it judges (None path = free text)."""

    path: str | None = None
    siblings: frozenset[str] = field(default_factory=frozenset)  # other field paths

    def sibling_matches(self, keywords: tuple[str, ...]) -> str | None:
        for s in sorted(self.siblings):
            hit = name_matches(s, keywords)
            if hit:
                return hit
        return None
