"""What the column detectors share about the column they scan in turn (one view per
column batch, built lazily, each fact found once and in C where it can be): raw types,
the texts in Arrow, the longest text, the kinds of character an ASCII column holds,
normalised forms, and the rows holding any vocabulary word."""

from __future__ import annotations

import string
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spillguard.detectors._vocab import norm
from spillguard.detectors.gate import current_batch, enabled, marked_rows, other_digits

_MISS = object()
# Kinds of ASCII character a ``value_gate`` may need (``value_gate_needs``); BLANK: where
# str.split() splits ASCII text
LETTER, DIGIT, BLANK = string.ascii_letters, string.digits, " \t\n\x0b\x0c\r\x1c\x1d\x1e\x1f"
# every vocabulary asked about so far (VocabularyDetector.vocabulary adds its own)
VOCABULARY_WORDS: set[str] = set()
_WORDS_AS_ARROW: list = [0, None]  # (size of VOCABULARY_WORDS, VOCABULARY_WORDS as Arrow)


class Column:
    """What the column detectors share about the column they scan in turn, each part found
    once, in C: its raw types, its texts in Arrow, its longest text, which kinds of
    character it holds; for the vocabulary detectors the cells' normalised forms and the
    rows holding a vocabulary word."""

    def __init__(self, texts: list[str | None], raw: list[Any]):
        self.texts, self.raw = texts, raw
        self._types: frozenset[type] | None = None
        self._arrow: Any = _MISS
        self._gated: Any = _MISS
        self._longest: int | None = None
        self._joined: str | None = None
        self._normed: Any = _MISS
        self._kinds: dict[str, bool] = {}
        self._words: tuple[int, np.ndarray] = (-1, np.empty(0, dtype=np.int64))
        self.memo: dict[Any, Any] = {}  # other facts, kept by the detectors that find them

    def holds_raw(self, kinds: tuple[type, ...]) -> bool:
        """Is any raw value one of ``kinds``? (a column holds one or two types)"""
        if self._types is None:
            self._types = frozenset(map(type, self.raw))
        return any(issubclass(t, kinds) for t in self._types)

    def arrow(self) -> pa.Array | None:
        """The texts (null for None) in Arrow; None when a text has no UTF-8 form (lone
        surrogates)."""
        if self._arrow is _MISS:
            try:
                self._arrow = pa.array(self.texts, type=pa.string())
            except (pa.ArrowInvalid, UnicodeEncodeError):
                self._arrow = None
        return self._arrow

    def longest(self) -> int:
        """The length of the longest text (0 without any)."""
        if self._longest is None:
            arr = self.arrow()
            if arr is None:
                self._longest = max(map(len, filter(None, self.texts)), default=0)
            else:
                self._longest = pc.max(pc.utf8_length(arr)).as_py() or 0
        return self._longest

    def gated_arrow(self) -> pa.Array | None:
        """The texts in Arrow when RE2 gates may judge them (no decimal digit they do not
        spell out, see gate.py); None otherwise."""
        if self._gated is _MISS:
            arr = self.arrow()
            self._gated = None if arr is None or other_digits(arr) else arr
        return self._gated

    def rows_where(self, gate: str | None, raw_types: tuple[type, ...] = ()) -> list[int]:
        """Rows whose raw value is one of ``raw_types`` or whose text ``gate`` marks; every
        row when gating is off or the texts cannot be gated."""
        if not enabled():
            return list(range(len(self.texts)))
        rows: set[int] = set()
        if raw_types and self.holds_raw(raw_types):
            rows.update(i for i, r in enumerate(self.raw) if isinstance(r, raw_types))
        if gate is not None:
            batch = current_batch()  # its pass over every column: one regex compile a batch
            marked = batch.column_marks(self.texts, gate) if batch is not None else None
            if marked is None:
                arr = self.gated_arrow()
                marked = range(len(self.texts)) if arr is None else marked_rows(arr, gate).tolist()
            rows.update(marked)
        return sorted(rows)

    @property
    def joined(self) -> str:
        """The texts joined by NUL (memchr-fast membership tests for the whole column)."""
        if self._joined is None:
            self._joined = "\x00".join(filter(None, self.texts))
        return self._joined

    def normed(self) -> tuple[pa.Array | None, bool]:
        """``norm`` of every text cell (null for None) in one Arrow array, and whether RE2
        gates may judge it (no decimal digit they do not spell out, see gate.py). (None,
        False) without an Arrow form."""
        if self._normed is _MISS:
            normed = self._normalise()
            self._normed = normed, normed is not None and (self.joined.isascii() or not other_digits(normed))
        return self._normed

    def _normalise(self) -> pa.Array | None:
        """ASCII cells in C: NFKC leaves ASCII as it is and case folding lowers A-Z, so
        ``norm`` is lower case with blank runs made one space and none at the ends (most
        columns have no such run: then lower case is all). Other cells go through
        ``norm``, once per distinct text."""
        arr = self.arrow()
        if arr is None:
            return None
        out = pc.ascii_lower(arr)
        if self._blank_runs():
            out = pc.ascii_trim(pc.replace_substring_regex(out, f"[{BLANK}]+", " "), " ")
        if not self.joined.isascii():
            other = pc.invert(pc.fill_null(pc.string_is_ascii(arr), True))
            odd = [self.texts[i] for i in np.flatnonzero(other.to_numpy(zero_copy_only=False))]
            forms = {t: norm(t) for t in set(odd)}
            out = pc.replace_with_mask(out, other, pa.array([forms[t] for t in odd], type=pa.string()))
        return out

    def _blank_runs(self) -> bool:
        """Might a cell hold a blank other than one space between words? (memchr first:
        most columns hold no blank at all)"""
        j = self.joined
        if any(c in j for c in BLANK[1:]):
            return True
        return " " in j and ("  " in j or "\x00 " in j or " \x00" in j or j[0] == " " or j[-1] == " ")

    def holds(self, kind: str) -> bool:
        """Can a normalised cell hold a character of ``kind``? Only an ASCII column can
        tell no (its normalised forms hold only its own letters, digits and blanks)."""
        if not self.joined.isascii():
            return True
        if kind not in self._kinds:
            self._kinds[kind] = any(c in self.joined for c in kind)  # memchr: faster than a regex
        return self._kinds[kind]

    def word_rows(self) -> np.ndarray:
        """The rows whose normalised value is in any vocabulary asked about so far (one
        Arrow pass for all detectors; few or none)."""
        if self._words[0] != len(VOCABULARY_WORDS):
            if _WORDS_AS_ARROW[0] != len(VOCABULARY_WORDS):
                _WORDS_AS_ARROW[:] = [len(VOCABULARY_WORDS), pa.array(sorted(VOCABULARY_WORDS), type=pa.string())]
            found = pc.is_in(self.normed()[0], value_set=_WORDS_AS_ARROW[1]).to_numpy(zero_copy_only=False)
            self._words = (len(VOCABULARY_WORDS), np.flatnonzero(found))
        return self._words[1]


_COLUMN: list = [None]  # the last column asked about


def column(texts: list[str | None], raw: list[Any]) -> Column:
    got = _COLUMN[0]
    if got is None or got.texts is not texts or got.raw is not raw:
        got = _COLUMN[0] = Column(texts, raw)
    return got
