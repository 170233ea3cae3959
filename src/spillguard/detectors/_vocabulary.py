"""Shared base for column detectors judged from a field name and a value vocabulary
(not a plugin module).

A value in the ``strong`` vocabulary is distinctive enough to count without a field name
(汉族, 中共党员); a value in the ``weak`` vocabulary (codes, 1/2, 无, ages) is only a
candidate unless the field name says what the column holds. So for a column:

* ``candidates`` = values in either vocabulary, ``validated`` = hits;
* named column: confidence grows with the share of hits and their scores;
* unnamed column: reported only when ``unnamed`` and >= ``unnamed_shape`` of the values
  are in a vocabulary and >= ``unnamed_strong`` are strong;
* a name in ``not_field_names`` (``product_name``, ``destination``) rules the column out.

Free text: a hit needs one of ``text_keywords`` just before the value ("民族：维吾尔族").
Shape-based detectors override ``classify``.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, ClassVar, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spillguard.detectors._vocab import norm
from spillguard.detectors.base import ColumnDetector, ColumnStats, Hit, to_text
from spillguard.detectors.context import FieldContext, name_matches
from spillguard.detectors.automaton import automaton_pattern
from spillguard.detectors.column_view import VOCABULARY_WORDS, column
from spillguard.detectors.gate import enabled, gated_finditer, marked_rows

STRONG, WEAK = 0.95, 0.7
TEXT_STRONG, TEXT_WEAK = 0.9, 0.75
_MAX_LIST = 32  # items of a list cell looked at
_SPAN = 64  # characters after a keyword looked at
_DELIM = re.compile(r"[,，;；。、|\n\r\t:：=&<>\"“”()（）【】\[\]{}]")

Judgement = tuple[str, float, bool]  # (normalised value, score, strong)
_MISS = object()
def cells(t: str | None, r: Any) -> Iterator[str]:
    """The text of one cell; a bool as true/false; the scalar items of a short list."""
    if t is not None:
        yield t
    elif isinstance(r, bool):
        yield "true" if r else "false"
    elif isinstance(r, (list, tuple)) and len(r) <= _MAX_LIST:
        for x in r:
            s = None if isinstance(x, (list, tuple, dict)) else to_text(x)
            if s is not None:
                yield s


_KW_SEP = r"(?P<sep>\s*[:：=]\s*|\s*为\s*|\s+)?"  # after a keyword


def keyword_regex(keywords: tuple[str, ...]) -> re.Pattern | None:
    """Any keyword (ASCII ones as whole words), then an optional separator. The reference
    for ``keyword_search_regex`` and what a keyword gate is made of."""
    if not keywords:
        return None
    alts = [
        rf"(?<![A-Za-z0-9_.-]){re.escape(k)}(?![A-Za-z0-9_-])" if k.isascii() else re.escape(k)
        for k in sorted(keywords, key=len, reverse=True)
    ]
    return re.compile(rf"(?P<kw>{'|'.join(alts)}){_KW_SEP}", re.I)


def keyword_search_regex(keywords: tuple[str, ...]) -> re.Pattern | None:
    """``keyword_regex``'s matches and groups, found 6x faster. Python's re skips ahead in C
    only to characters that can start a match, which it cannot tell for a case-insensitive
    pattern, so it tried every keyword at every character. Here a case-sensitive class
    takes the first character: the ASCII characters that match a keyword's first character
    case-insensitively (asked of re itself) and every non-ASCII one (İ, ı, ſ and the Kelvin
    sign match i, s and k). Each keyword then matches its rest case-insensitively and,
    looking back, checks the whole keyword and the character before it, as
    ``keyword_regex`` does, in the same order."""
    if not keywords:
        return None
    first = re.compile("[" + "".join(re.escape(k[0]) for k in keywords) + "]", re.I)
    # written as "not one of the other ASCII characters": the same class as starts plus
    # \x80-\U0010ffff, which re took 10 ms a keyword set to compile (80 ms per process)
    others = "".join(c for c in map(chr, range(128)) if not first.fullmatch(c))
    alts = []
    for k in sorted(keywords, key=len, reverse=True):
        whole = re.escape(k)
        edges = rf"(?<![A-Za-z0-9_.-]{whole})(?![A-Za-z0-9_-])" if k.isascii() else ""
        alts.append(rf"{re.escape(k[1:])}(?<={whole}){edges}")
    return re.compile(rf"(?P<kw>[^{re.escape(others)}](?i:{'|'.join(alts)}))(?i:{_KW_SEP})")


class VocabularyDetector(ColumnDetector):
    strong: ClassVar[frozenset[str]] = frozenset()
    weak: ClassVar[frozenset[str]] = frozenset()
    not_field_names: ClassVar[tuple[str, ...]] = ()
    unnamed: ClassVar[bool] = True
    unnamed_shape: ClassVar[float] = 0.8
    unnamed_strong: ClassVar[float] = 0.5
    label: ClassVar[str] = "vocabulary"

    def classify(self, value: str) -> Judgement | None:
        key = norm(value)
        if key in self.strong:
            return key, STRONG, True
        if key in self.weak:
            return key, WEAK, False
        return None

    def blocked(self, ctx: FieldContext) -> bool:
        return bool(ctx.path and name_matches(ctx.path, self.not_field_names))

    def field_name(self, ctx: FieldContext) -> str | None:
        return None if self.blocked(ctx) else name_matches(ctx.path, self.field_names)

    def scan_column(self, texts, raw, ctx):
        rows = self.candidate_rows(texts, raw)
        if not rows:
            return [], 0, 0
        named = self.field_name(ctx) is not None
        hits: list[Hit] = []
        candidates = 0
        memo: dict[str, Judgement | None] = {}  # vocabulary columns repeat a few values
        for i in rows:
            t = texts[i]
            for value in cells(t, raw[i]):
                j = memo.get(value, _MISS)
                if j is _MISS:
                    j = memo[value] = self.classify(value)
                if j is None:
                    continue
                candidates += 1
                key, score, strong = j
                if strong or named:
                    why = f"{self.label} value" if strong else f"{self.label} code with field name"
                    hits.append(Hit(i, 0, len(t) if t else 0, key, score, why, self.entity))
        return hits, candidates, len(hits)

    # A character class holding every character of a value ``classify`` can accept: free
    # text after a keyword is cut at the first other character before the longest-first
    # search ("user=zhou@example.com" tries "zhou", not 16 prefixes). None: no cut.
    text_value_chars: ClassVar[str | None] = None

    # A character class holding the first non-blank character of every value ``classify``
    # accepts: free text after a keyword that starts otherwise is not looked at
    # ("user=zhou@example.com": no name starts with a small letter). None: any character.
    text_value_first: ClassVar[str | None] = None

    # What ``classify`` needs of a normalised value besides the vocabulary, as a regex
    # (RE2-rewritable, see gate.py); None with an overridden ``classify``: every value.
    value_gate: ClassVar[str | None] = None

    # Kinds of character (LETTER, DIGIT, BLANK) that ``value_gate`` needs, each, to mark
    # an ASCII value: an ASCII column without one of them is not gated (no Arrow pass).
    value_gate_needs: ClassVar[tuple[str, ...]] = ()

    def candidate_rows(self, texts: list[str | None], raw: list[Any]) -> Sequence[int]:
        """The rows ``classify`` can accept: normalised value in the vocabulary or marked by
        ``value_gate``, and every cell without a text form (bools, lists). Found in Arrow:
        a column of anything else costs no Python per cell."""
        own_classify = type(self).classify is not VocabularyDetector.classify
        gate = automaton_pattern(self.value_gate) if self.value_gate else None
        if (own_classify and gate is None) or not enabled():
            return range(len(texts))
        col = column(texts, raw)
        normed, gated = col.normed()
        if normed is None or (gate is not None and not gated):  # as Column.rows_where: every row
            return range(len(texts))
        found = []
        rows = col.word_rows() if self.vocabulary() else ()
        if len(rows):
            mine = pc.is_in(normed.take(rows), value_set=self.vocabulary_array()).to_numpy(zero_copy_only=False)
            found.append(rows[mine])
        if normed.null_count and col.holds_raw((bool, list, tuple)):  # cells() reads them
            found.append(np.flatnonzero([t is None and r is not None for t, r in zip(texts, raw)]))
        if gate is not None and all(col.holds(kind) for kind in self.value_gate_needs):
            found.append(marked_rows(normed, gate))
        if len(found) > 1:  # each part is sorted and without repeats
            found = [np.unique(np.concatenate(found))]
        return found[0].tolist() if found else []

    @classmethod
    def vocabulary(cls) -> frozenset[str]:
        if "_vocabulary" not in cls.__dict__:
            cls._vocabulary = cls.strong | cls.weak
            VOCABULARY_WORDS.update(cls._vocabulary)
        return cls._vocabulary

    @classmethod
    def vocabulary_array(cls) -> pa.Array:
        if "_vocabulary_array" not in cls.__dict__:
            cls._vocabulary_array = pa.array(sorted(cls.vocabulary()), type=pa.string())
        return cls._vocabulary_array

    def confidence_bound(self, path: str | None) -> float:
        """0 for a field whose name rules the entity out, or that has no telling name
        when the values alone never count (``unnamed`` off: an age column needs its name)."""
        if type(self).confidence is not VocabularyDetector.confidence:
            return 1.0
        ctx = FieldContext(path)
        if self.blocked(ctx) or (not self.unnamed and self.field_name(ctx) is None):
            return 0.0
        return 1.0

    def confidence(self, stats: ColumnStats, ctx: FieldContext) -> tuple[float, list[str]]:
        if not stats.validated or self.blocked(ctx):
            return 0.0, []
        n = max(stats.nonempty, stats.candidates, 1)
        share, shape = min(1.0, stats.validated / n), stats.candidates / n
        evidence = [f"{stats.validated}/{n} values in the {self.label}"]
        named = self.field_name(ctx)
        if named:
            evidence.append(f"field name '{named}'")
            conf = min(1.0, stats.mean_score + 0.1) * min(1.0, share / 0.5)
        elif self.unnamed and shape >= self.unnamed_shape and share >= self.unnamed_strong:
            evidence.append("no telling field name: judged from the values alone")
            conf = stats.mean_score * 0.8
        else:
            return 0.0, evidence + ["needs a telling field name"]
        return round(min(conf, 1.0), 2), evidence

    def scan_text(self, text: str, floor: float = 0.0) -> list[Hit]:
        scan = _keyword_scan(tuple(self.text_keywords))
        if scan is None:
            return []
        search, kw_gate = scan
        if kw_gate is None:  # the whole text, as gated_finditer would scan it
            found = search.finditer(text)
        else:
            found = gated_finditer(search, text, gate=kw_gate, family=_keyword_gates())
        value_run = _compiled(self.text_value_chars + "*") if self.text_value_chars is not None else None
        value_first = _compiled(self.text_value_first) if self.text_value_first is not None else None
        hits = []
        for m in found:
            kw, sep = m.group("kw"), (m.group("sep") or "").strip()
            if kw.isascii() and len(kw) <= 4 and not sep:
                continue  # short ASCII keywords ('age', 'sex') need 'age: 35' or 'sex=M'
            start = m.end()
            seg = text[start : start + _SPAN]
            d = _DELIM.search(seg)
            seg = seg[: d.start()] if d else seg
            if seg and not seg[0].isascii():
                seg = seg.split()[0] if seg.split() else ""
            if value_run is not None:  # no longer prefix can classify
                seg = seg[: value_run.match(seg).end()]
            if value_first is not None and not value_first.fullmatch(seg.lstrip()[:1]):
                continue  # every prefix tried below starts with this character: none classifies
            for end in range(len(seg), 0, -1):
                if seg[end - 1].isspace():
                    continue
                j = self.classify(seg[:end])
                if j is not None:
                    score = TEXT_STRONG if j[2] else TEXT_WEAK
                    hits.append(Hit(0, start, start + end, j[0], score, f"keyword '{kw}'", self.entity))
                    break
        return hits


@lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


@lru_cache(maxsize=None)
def _keyword_scan(keywords: tuple[str, ...]) -> tuple[re.Pattern, str | None] | None:
    """The search regex for ``keywords`` and the gate of their reference regex."""
    rx = keyword_regex(keywords)
    return None if rx is None else (keyword_search_regex(keywords), automaton_pattern(rx.pattern, rx.flags))


@lru_cache(maxsize=1)
def _keyword_gates() -> tuple[str, ...]:
    """The keyword gates of the registered vocabulary detectors. Keywords are rare even in
    PII-dense text: one pass of their union marks the few lines holding any, and each
    gate then looks only at those (gate.py, ``family``)."""
    from spillguard.detectors import registry  # the registry imports this module

    scans = (_keyword_scan(tuple(d.text_keywords)) for d in registry() if isinstance(d, VocabularyDetector))
    return tuple(sorted({s[1] for s in scans if s is not None and s[1] is not None}))
