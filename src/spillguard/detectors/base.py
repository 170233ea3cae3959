"""The detector contract.

A detector says what one entity looks like. It never prints, logs or stores a value.

* ``PatternDetector``: a regex proposes candidates ("looks like"), ``validate`` decides
  ("is") and returns the normalised value with a score, field-name and nearby-keyword
  context raise the score. Works on columns and on free text.
* ``ColumnDetector``: judges a whole column from its values and its name (vocabularies,
  names, vectors, quasi-identifiers); may also implement ``scan_text``.

Column verdicts come from ``confidence(stats, ctx)``: the share of candidates that
validated separates a real ID column from a column of look-alike order numbers where a
few pass a checksum by chance.

Each detector carries positive and negative ``Example``s; tests/detectors/test_contract.py
runs them through the same pipeline a scan uses.
"""

from __future__ import annotations

import datetime
import decimal
import functools
import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import chain
from typing import Any, ClassVar, Iterable, Iterator

from spillguard.detectors.context import FieldContext, name_matches
from spillguard.detectors.automaton import literal_gate
from spillguard.detectors.consumes import can_consume
from spillguard.detectors.gate import SEP, current_batch, join_cells, windows  # noqa: F401 (SEP re-exported)
from spillguard.detectors.lead import lead_digits, turned_away

_UNSEEN = object()


@dataclass(frozen=True)
class Example:
    value: Any
    field: str | None = None  # None: the value is free text
    siblings: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, init=False)
class Verdict:
    """A validated candidate: normalised value (for distinct counting), score, reason."""

    value: str
    score: float
    reason: str

    def __init__(self, value: str, score: float, reason: str) -> None:
        self.__dict__.update(value=value, score=score, reason=reason)  # see Hit.__init__


@dataclass(frozen=True, init=False)
class Hit:
    row: int  # index in the column batch; 0 for free text
    start: int  # offset in the value (column) or in the text chunk
    end: int
    value: str  # normalised; held in memory only, shown only through the masker
    score: float
    reason: str
    entity: str = ""  # set by the engine when empty

    def __init__(self, row: int, start: int, end: int, value: str, score: float, reason: str,
                 entity: str = "") -> None:
        # the fields in one step: the generated __init__ calls object.__setattr__ once
        # per field, twice the cost (~0.9 µs a Hit, built for every hit of a scan).
        # Still frozen: assigning a field afterwards raises (test_contract.py)
        self.__dict__.update(row=row, start=start, end=end, value=value, score=score, reason=reason, entity=entity)


@dataclass
class ColumnStats:
    """What the engine accumulated for one (field, detector) over all batches."""

    nonempty: int = 0  # non-empty values in the field
    candidates: int = 0  # values the pattern/shape proposed
    validated: int = 0  # candidates that passed validation
    rows: int = 0  # records with at least one hit
    score_sum: float = 0.0

    @property
    def precision(self) -> float:
        return self.validated / self.candidates if self.candidates else 0.0

    @property
    def coverage(self) -> float:
        return self.rows / self.nonempty if self.nonempty else 0.0

    @property
    def mean_score(self) -> float:
        return self.score_sum / self.validated if self.validated else 0.0


COVERAGE_BONUS = 0.1  # confidence added when >= 80 % of a field's values hold the entity


class Detector:
    id: ClassVar[str] = ""  # stable forever: SARIF rule id, baselines
    entity: ClassVar[str] = ""
    description: ClassVar[str] = ""
    field_names: ClassVar[tuple[str, ...]] = ()  # field names that say "this holds it"
    sibling_names: ClassVar[tuple[str, ...]] = ()  # neighbouring fields that support it
    not_field_names: ClassVar[tuple[str, ...]] = ()  # field names that rule the entity out
    text_keywords: ClassVar[tuple[str, ...]] = ()  # words just before a hit in free text
    needs_context: ClassVar[bool] = False  # weak shape: needs name/keyword support
    min_precision: ClassVar[float] = 0.5  # validated/candidates below this = chance
    positives: ClassVar[tuple[Example, ...]] = ()
    negatives: ClassVar[tuple[Example, ...]] = ()

    # -- column path -------------------------------------------------------------
    def scan_column(
        self, texts: list[str | None], raw: list[Any], ctx: FieldContext
    ) -> tuple[list[Hit], int, int]:
        """Hits in one column batch, plus (candidates, validated) counts.

        ``texts[i]`` is the string form of scalar ``raw[i]`` (None when empty or not
        textual, e.g. bytes or a vector)."""
        raise NotImplementedError

    def confidence(self, stats: ColumnStats, ctx: FieldContext) -> tuple[float, list[str]]:
        """Field-level confidence in [0, 1] and short evidence strings."""
        if not stats.validated:
            return 0.0, []
        evidence = [f"{stats.validated}/{stats.candidates} candidates validated"]
        against = name_matches(ctx.path, self.not_field_names)
        if against:
            return 0.0, evidence + [f"field name '{against}' rules it out"]
        named = name_matches(ctx.path, self.field_names)
        near = ctx.sibling_matches(self.sibling_names) if self.sibling_names else None
        if named:
            evidence.append(f"field name '{named}'")
        if near:
            evidence.append(f"neighbouring field '{near}'")
        if stats.precision < self.min_precision and not named:
            return 0.0, evidence + ["most candidates fail validation: look-alikes"]
        conf = stats.mean_score
        if named:
            conf += 0.3
        elif near:
            conf += 0.2
        if stats.coverage >= 0.8 and stats.nonempty >= 1:
            conf += COVERAGE_BONUS
        return round(min(conf, 1.0), 2), evidence

    def confidence_bound(self, path: str | None) -> float:
        """The highest ``confidence`` a field named ``path`` can get from this detector,
        whatever its values and neighbours. Below the scan's threshold, the column
        scanner skips the detector on that field: its hits could never be reported (a
        birth-date detector on created_at). Decided by the name alone: a field's
        neighbours differ between batches of JSON Lines, and its tally adds them all up.
        tests/detectors/test_confidence_bound.py checks it against ``confidence``."""
        return 1.0

    # -- free-text path ----------------------------------------------------------
    def scan_text(self, text: str, floor: float = 0.0) -> list[Hit]:
        """Hits in free text. Hits scoring below ``floor`` may be left out: the caller
        drops them anyway, and skipping them early saves validating every timestamp as
        a possible birth date."""
        return []


class PatternDetector(Detector):
    pattern: ClassVar[str] = ""  # must be re2-compatible (no backreferences/lookbehind)
    flags: ClassVar[int] = 0
    base_score: ClassVar[float] = 0.85  # score of a validated candidate without context
    weak_score: ClassVar[float] = 0.3  # score when needs_context and no context is found
    _compiled: ClassVar[re.Pattern | None] = None
    # RE2 pattern marking every line/cell a match touches; None: the pattern rewritten
    # (gate.automaton_pattern). Needed only for patterns that span lines.
    gate: ClassVar[str | None] = None
    # The pairs of ASCII digits a valid value can start with (lead.py; empty: any), from
    # the validator's own table. On free text a lookahead before the value group turns the
    # others away inside the regex (``text_lead``, derived from them unless set). On
    # columns every value of the pattern's shape stays a candidate (the field's precision),
    # but one starting with another pair is counted without a trip through the validator.
    leads: ClassVar[frozenset[str]] = frozenset()
    text_lead: ClassVar[str] = ""
    _away: ClassVar[frozenset[str] | None] = None
    _text_compiled: ClassVar[re.Pattern | None] = None
    # Free text: start the regex in each marked line where its gate's first match starts,
    # not at the line's start (no match of the regex starts earlier: the gate, its RE2
    # rewrite, matches a superset). Pays where candidates sit late in long lines; off
    # where RE2 spends more finding where a match starts than the regex saves (a long
    # variable-length run before the anchor: an e-mail's local part). Measured per
    # detector on the bench text and logs.
    scan_from_gate_match: ClassVar[bool] = True

    def validate(self, candidate: str) -> Verdict | None:
        """Decide a candidate. None rejects it. Default: accept with base_score."""
        return Verdict(candidate, self.base_score, "pattern")

    MEMO_SIZE: ClassVar[int] = 4096

    def confidence_bound(self, path: str | None) -> float:
        """0 for a field whose name rules the entity out (``not_field_names``: an IP
        detector on client_version). A value without support (``needs_context``, no
        field name) scores at most ``weak_score`` (scan_column caps it), and
        Detector.confidence adds at most the coverage bonus. Neighbours are support too,
        and differ between batches: a detector with ``sibling_names`` is bounded only by
        its own field's name; one with a confidence of its own is never bounded."""
        if type(self).confidence is not Detector.confidence:
            return 1.0
        if name_matches(path, self.not_field_names):
            return 0.0
        if not self.needs_context or self.sibling_names or name_matches(path, self.field_names):
            return 1.0
        return round(min(self.weak_score + COVERAGE_BONUS, 1.0), 2)

    def _validated(self, candidate: str) -> Verdict | None:
        """``validate``, remembered for the last few thousand distinct candidates: real
        logs and tables repeat the same addresses, phones and IDs, and validate() (a
        checksum, a number-plan lookup) costs far more than a dict lookup. In memory
        only, per process; cleared whole when full so it stays bounded."""
        memo = self._memo_dict()
        v = memo.get(candidate, _UNSEEN)
        return self._remember(memo, candidate) if v is _UNSEEN else v

    def _memo_dict(self) -> dict[str, Verdict | None]:
        memo = self.__dict__.get("_memo")
        if memo is None:
            memo = self.__dict__["_memo"] = {}
        return memo

    def _remember(self, memo: dict[str, Verdict | None], candidate: str) -> Verdict | None:
        if len(memo) >= self.MEMO_SIZE:
            memo.clear()
        v = memo[candidate] = self.validate(candidate)
        return v

    @classmethod
    def regex(cls) -> re.Pattern:
        if cls.__dict__.get("_compiled") is None:
            cls._compiled = re.compile(cls.pattern, cls.flags)
        return cls._compiled

    @classmethod
    def text_regex(cls) -> re.Pattern:
        """``regex`` with ``text_lead`` right before its value group ``(?P<v>``: the
        pattern free text is scanned with. (After the pattern's leading lookbehinds,
        which turn most positions away more cheaply than the lead's alternatives.)"""
        lead = cls.lead()
        if not lead:
            return cls.regex()
        if cls.__dict__.get("_text_compiled") is None:
            if cls.pattern.count("(?P<v>") != 1:
                raise ValueError(f"{cls.__name__}: text_lead needs one value group (?P<v>...) in the pattern")
            cls._text_compiled = re.compile(cls.pattern.replace("(?P<v>", lead + "(?P<v>"), cls.flags)
        return cls._text_compiled

    @classmethod
    def lead(cls) -> str:
        """The lookahead free text is scanned with: ``text_lead``, else one made of ``leads``."""
        return cls.text_lead or (lead_digits(cls.leads) if cls.leads else "")

    @classmethod
    def _turned_away(cls) -> frozenset[str]:
        """The pairs of ASCII digits no valid value starts with (none without ``leads``)."""
        if cls.__dict__.get("_away") is None:
            cls._away = turned_away(cls.leads) if cls.leads else frozenset()
        return cls._away

    def _candidates(self, text: str, keyed: bool = False) -> Iterator[re.Match]:
        """Pattern matches, only where the gate says one can be (see gate.py); a joined
        column is cut at SEP (cells), free text at line breaks. ``keyed``: only matches
        that can have a text keyword before them (lines with a keyword, and those right
        after). The windows' finditer iterators are chained in C: no Python frame per
        match unless the text holds a SEP and the pattern could take one in."""
        gated = self.regex()  # the gate is the pattern's, with or without the lead
        joined = _JOINED[1] is text
        rx = gated if joined else self.text_regex()
        delimiter = SEP if joined else "\n"
        if keyed:
            spans = windows(text, gated, delimiter, literal_gate(self.text_keywords), self.keyword_window + 1)
        else:
            from_match = self.scan_from_gate_match and self.gate is None and not joined
            spans = windows(text, gated, delimiter, self.gate, from_match=from_match)
        found = chain.from_iterable(rx.finditer(text, pos, end) for pos, end in spans)
        if (delimiter == SEP or _holds_sep(text)) and can_consume(rx.pattern, rx.flags, SEP):
            return (m for m in found if SEP not in m.group(0))
        return found

    def scan_column(self, texts, raw, ctx):
        joined, starts = joined_column(texts)
        has_context = bool(
            name_matches(ctx.path, self.field_names)
            or (self.sibling_names and ctx.sibling_matches(self.sibling_names))
        )
        cap = self.weak_score if self.needs_context and not has_context else None
        group, memo, entity = self._value_group(), self._memo_dict(), self.entity
        away = self._turned_away()
        hits: list[Hit] = []
        candidates = 0
        for m in self._candidates(joined):
            start, end = m.span(group)
            if start < 0:  # no group 'v', or it took no part
                start, end = m.span()
            candidates += 1
            cand = joined[start:end]
            if away and cand[:2] in away:
                continue  # the validator would turn it away (lead.py): counted, not validated
            v = memo.get(cand, _UNSEEN)
            if v is _UNSEEN:
                v = self._remember(memo, cand)
            if v is None:
                continue
            row = bisect_right(starts, start) - 1
            off = starts[row]
            score = v.score if cap is None else min(v.score, cap)
            hits.append(Hit(row, start - off, end - off, v.value, score, v.reason, entity))
        return hits, candidates, len(hits)

    def scan_text(self, text: str, floor: float = 0.0) -> list[Hit]:
        hits = []
        unsupported_dropped = self.needs_context and floor > self.weak_score
        group, memo, entity = self._value_group(), self._memo_dict(), self.entity
        for m in self._candidates(text, keyed=unsupported_dropped and bool(self.text_keywords)):
            start, end = m.span(group)
            if start < 0:  # no group 'v', or it took no part
                start, end = m.span()
            kw = None
            if unsupported_dropped:
                kw = self._keyword_before(text, start)
                if kw is None:
                    continue  # without a keyword its score is weak_score, below the floor
            cand = text[start:end]
            v = memo.get(cand, _UNSEEN)
            if v is _UNSEEN:
                v = self._remember(memo, cand)
            if v is None:
                continue
            if not unsupported_dropped:
                kw = self._keyword_before(text, start)
            if kw:
                score, reason = self._lifted(v.score), f"{v.reason}; keyword '{kw}'"
            else:
                score, reason = (min(v.score, self.weak_score) if self.needs_context else v.score), v.reason
            if score >= floor:  # the caller drops the rest
                hits.append(Hit(0, start, end, v.value, score, reason, entity))
        return hits

    @classmethod
    def _value_group(cls) -> int:
        """The candidate is group 'v' when the pattern defines it, else the whole match."""
        return cls.regex().groupindex.get("v", 0)

    def _lifted(self, score: float) -> float:
        """The score of a validated candidate with a text keyword before it."""
        return min(1.0, max(score, self.base_score) + 0.15)

    keyword_window: ClassVar[int] = 48  # characters before a hit searched for a keyword

    def _keyword_before(self, text: str, start: int) -> str | None:
        if not self.text_keywords:
            return None
        before = text[max(0, start - self.keyword_window) : start].lower()
        for kw, low in _lowered(tuple(self.text_keywords)):
            if low in before:
                return kw
        return None


_SEP_SEEN: tuple[str | None, bool] = (None, False)  # the last free text, and whether it holds a SEP


def _holds_sep(text: str) -> bool:
    """``SEP in text``, looked for once per text, not once per detector (a 1 MB chunk
    takes ~0.5 ms)."""
    global _SEP_SEEN
    seen, holds = _SEP_SEEN
    if seen is not text:
        holds = SEP in text
        _SEP_SEEN = (text, holds)
    return holds


@functools.lru_cache(maxsize=None)  # one entry per detector's keyword tuple
def _lowered(keywords: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    return tuple((kw, kw.lower()) for kw in keywords)


_JOINED: list = [None, "", []]  # the last column joined: every pattern detector reuses it


def joined_column(texts: list[str | None]) -> tuple[str, list[int]]:
    """The column's values joined by SEP, and where each value starts. Built once per
    column batch (the engine hands the same list to every detector), not once per detector."""
    if _JOINED[0] is texts:
        return _JOINED[1], _JOINED[2]
    batch = current_batch()
    got = batch.joined(texts) if batch is not None else None
    if got is not None:
        _JOINED[:] = [texts, got[0], got[1]]
        return got
    joined, starts, _ = join_cells(texts)
    _JOINED[:] = [texts, joined, starts]
    return joined, starts


class ColumnDetector(Detector):
    """Judges values one by one with ``judge_value`` (shape or vocabulary) and the column
    as a whole with ``confidence``. Subclasses may override scan_column entirely."""

    def judge_value(self, text: str | None, raw: Any) -> Verdict | None | bool:
        """Verdict = hit; False = candidate that failed; None = not a candidate."""
        raise NotImplementedError

    def scan_column(self, texts, raw, ctx):
        hits: list[Hit] = []
        candidates = validated = 0
        for i, (t, r) in enumerate(zip(texts, raw)):
            v = self.judge_value(t, r)
            if v is None:
                continue
            candidates += 1
            if v is False or v is True:
                continue
            validated += 1
            end = len(t) if t is not None else 0
            hits.append(Hit(i, 0, end, v.value, v.score, v.reason, self.entity))
        return hits, candidates, validated


def iter_examples(detector: Detector) -> Iterable[tuple[bool, Example]]:
    for e in detector.positives:
        yield True, e
    for e in detector.negatives:
        yield False, e


def to_text(raw: Any) -> str | None:
    """The string form a pattern sees for one scalar cell; None for empty and binary.

    bytes that decode as UTF-8 text are text (SQLite and Redis often store text as blobs);
    vectors (lists) and other binary stay None and are judged from ``raw``."""
    if raw is None or isinstance(raw, bool):
        return None
    if isinstance(raw, str):
        return raw if raw.strip() else None
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return None if raw != raw else (str(int(raw)) if raw.is_integer() and abs(raw) < 1e18 else repr(raw))
    if isinstance(raw, (datetime.date, datetime.time, decimal.Decimal)):
        return raw.isoformat() if not isinstance(raw, decimal.Decimal) else str(raw)
    if isinstance(raw, (bytes, bytearray, memoryview)):
        b = bytes(raw)
        if len(b) <= 4096 and b and b"\x00" not in b:
            try:
                s = b.decode("utf-8")
            except UnicodeDecodeError:
                return None
            return s if s.isprintable() and s.strip() else None
        return None
    return None


_STR_OR_NONE = frozenset((str, type(None)))


def texts_of(cells: list[Any]) -> list[str | None]:
    """``to_text`` of each cell. A column of strings (CSV, most JSON) takes a one-line
    test per cell instead of a call: a non-empty string that is not all whitespace is
    what ``raw.strip()`` keeps (both use the same Unicode whitespace)."""
    if set(map(type, cells)) <= _STR_OR_NONE:
        return [v if v and not v.isspace() else None for v in cells]
    return [to_text(v) for v in cells]


def evaluate_example(detector: Detector, example: Example) -> float:
    """The confidence this detector alone gives its example: for a field, the column
    confidence of a one-value column; for free text, the best hit score."""
    if example.field is None:
        hits = [h for h in detector.scan_text(str(example.value)) if h.entity == detector.entity]
        return max((h.score for h in hits), default=0.0)
    ctx = FieldContext(example.field, frozenset(example.siblings))
    raw = [example.value]
    texts = [to_text(example.value)]
    hits, candidates, validated = detector.scan_column(texts, raw, ctx)
    stats = ColumnStats(
        nonempty=1 if (texts[0] is not None or example.value is not None) else 0,
        candidates=candidates,
        validated=validated,
        rows=len({h.row for h in hits}),
        score_sum=sum(h.score for h in hits),
    )
    conf, _ = detector.confidence(stats, ctx)
    return conf
