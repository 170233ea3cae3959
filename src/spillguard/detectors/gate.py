"""Gates: a fast automaton pass that says where a detector's own regex can match.

Detectors decide with Python regexes (lookarounds, then checksums); running a dozen of
those over every byte is what made scans slow. A gate is the detector's regex rewritten
for RE2 (automaton.py), so it matches a *superset* of the places the regex matches. The
text is split into segments (lines of free text; cells of a joined column) once, in
Arrow (C++), and each gate marks, in one RE2 pass, the segments that may hold a
candidate. The detector's regex then runs only over those segments, with
``finditer(text, pos, endpos)`` on the original string: lookbehinds and the keyword
window still see the text before a segment, and positions stay absolute. So a gated scan
finds what an ungated scan finds, except a candidate that spans a segment boundary (a
line break in free text, which no pattern here needs; the passport MRZ, whose zone spans
lines, brings a gate of its own that marks each of its lines).

Gates that marked few segments on the last chunk or batch (SPARSE_SHARE; learnt per
gate as a scan goes) pass first as a union (one per case mode: ``union_groups``), and
each of them then only over the segments its union marked: two RE2 passes instead of
one per gate. Gates that each mark few lines even in PII-dense text (the vocabulary
detectors' keyword gates) can also be asked for as a ``family``: one pass of the
family's union, then each member gate only over the lines it marked.

tests/detectors/test_gate.py checks the superset property per detector and compares
gated with ungated scans on mixed documents, columns and the bundled samples;
tests/detectors/test_vocabulary_text_fast.py checks that a family changes no window.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from typing import Iterable, Iterator

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from spillguard.detectors.automaton import automaton_pattern, ends_text, other_digit_re2

SEP = "\x00"  # joins the values of a column; no pattern may match across it
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


MIN_GATED_CHARS = 4096  # below this one regex pass is cheaper than the gate's set-up
# runs of marked segments closer than this are scanned as one window (measured on the
# bench text and logs: 256 and 0 were 5-7 % slower than 16-64)
MERGE_GAP = 32


class Segments:
    """A text cut at ``delimiter`` once, in Arrow; which segments each gate marks."""

    def __init__(self, text: str, delimiter: str, union: tuple[str, ...] = (), whole: pa.Array | None = None):
        self.text = text
        cells = pc.split_pattern(pa.array([text]) if whole is None else whole, delimiter).flatten()
        self.cells = cells
        lengths = pc.utf8_length(cells).to_numpy(zero_copy_only=False).astype(np.int64)
        self.starts = np.concatenate(([0], np.cumsum(lengths + len(delimiter))))  # +1 past the end
        self._lengths = lengths
        self._extra: np.ndarray | None = None  # per segment: UTF-8 bytes beyond one a character
        self._windows: dict[tuple[str, int, bool], list[tuple[int, int]]] = {}
        self._families: dict[tuple[str, ...], tuple[np.ndarray, pa.Array] | None] = {}
        # A pass of the union of ``union``'s gates first: a member gate then only looks at
        # the segments the union marked (on clean text, a few in a hundred).
        self.unions = Unions(cells, union)

    def _marked(self, gate: str, family: tuple[str, ...] = ()) -> np.ndarray:
        pre = self.unions.pre(gate)
        if pre is None and gate in family:
            # the family's members that pass with a sparse union already are left out:
            # on the bench text the one dense member (name keywords: 'user=' in logs)
            # took a pass of the whole family's union for itself every chunk
            rest = tuple(g for g in family if g not in self.unions.members)
            pre = self._family_pass(rest) if len(rest) > 1 else None
        marked = marked_rows(self.cells, gate) if pre is None else pre[0][marked_rows(pre[1], gate)]
        SHARES.learn(_TEXT, gate, len(marked), len(self.cells))
        return marked

    def _marked_from(self, gate: str) -> tuple[np.ndarray, np.ndarray | None]:
        """The segments ``gate`` marks, and in each how far (in characters, at least)
        its first match starts: a match of the detector's regex cannot start before
        the first match of its gate (a superset of its matches)."""
        pre = self.unions.pre(gate)
        at = first_matches(self.cells if pre is None else pre[1], gate)
        hit = np.flatnonzero(at >= 0)
        marked, at = (hit if pre is None else pre[0][hit]), at[hit]
        SHARES.learn(_TEXT, gate, len(marked), len(self.cells))
        return marked, self._chars_before(marked, at)

    def _chars_before(self, rows: np.ndarray, byte_at: np.ndarray) -> np.ndarray:
        """A lower bound of the characters before UTF-8 byte ``byte_at`` of each segment
        of ``rows`` (exact for ASCII): each character beyond one byte takes at least one
        more, and none takes more than four."""
        if self._extra is None:
            self._extra = pc.binary_length(self.cells).to_numpy(zero_copy_only=False).astype(np.int64) - self._lengths
        return np.maximum(byte_at - self._extra[rows], -(-byte_at // 4))

    def _family_pass(self, family: tuple[str, ...]) -> tuple[np.ndarray, pa.Array] | None:
        """``union_pass`` of ``family``'s gates, once per cut."""
        if family not in self._families:
            self._families[family] = union_pass(self.cells, family)
        return self._families[family]

    def windows(self, gate: str, reach: int = 0, family: tuple[str, ...] = (),
                from_match: bool = False) -> list[tuple[int, int]]:
        """(pos, endpos) runs of consecutive marked segments; endpos takes in the
        delimiter after the run so that lookaheads see the real next character.
        ``reach`` also marks the segments that start within that many characters after
        a marked one (a keyword gate: the value follows the keyword). ``family``: gates
        asked for together, each rare even where the union pass rests (the vocabulary
        detectors' keyword gates): one pass of their union first, then ``gate`` only
        over the segments it marked. ``from_match``: each window starts where the gate's
        first match in its first segment does, not at the segment's start (reach 0 and
        no family only)."""
        from_match = from_match and not reach and not family
        got = self._windows.get((gate, reach, from_match))
        if got is not None:
            return got
        skip = None
        if from_match:
            marked, skip = self._marked_from(gate)
        else:
            marked = self._marked(gate, family)
        if reach and len(marked):
            last = np.searchsorted(self.starts, self.starts[marked + 1] + reach, side="right") - 1
            cover = np.zeros(len(self.starts) + 1, dtype=np.int64)
            np.add.at(cover, marked, 1)
            np.add.at(cover, np.minimum(last, len(self.starts) - 2) + 1, -1)
            marked = np.flatnonzero(np.cumsum(cover)[: len(self.starts) - 1] > 0)
        out: list[tuple[int, int]] = []
        if len(marked):
            begins = self.starts[marked] if skip is None else self.starts[marked] + skip
            ends = self.starts[marked + 1]  # with the delimiter after the segment
            # a new window only after a gap of more than MERGE_GAP characters: scanning a
            # few unmarked cells costs less than one more finditer call
            breaks = np.flatnonzero(begins[1:] - ends[:-1] > MERGE_GAP)
            firsts = np.concatenate(([begins[0]], begins[breaks + 1]))
            lasts = np.concatenate((ends[breaks], [ends[-1]]))
            out = list(zip(firsts.tolist(), np.minimum(lasts, len(self.text)).tolist()))  # Python ints, made in C
        self._windows[(gate, reach, from_match)] = out
        return out


def first_matches(arr: pa.Array, gate: str) -> np.ndarray:
    """The UTF-8 byte offset of ``gate``'s first match in each value of ``arr``; -1 where
    there is none (and for nulls)."""
    return pc.fill_null(pc.find_substring_regex(arr, gate), -1).to_numpy(zero_copy_only=False)


def marked_rows(arr: pa.Array, gate: str) -> np.ndarray:
    """Indices of the values of ``arr`` (null: never) in which ``gate`` finds a match."""
    return np.flatnonzero(pc.fill_null(pc.match_substring_regex(arr, gate), False).to_numpy(zero_copy_only=False))


def union_pass(cells: pa.Array, gates: tuple[str, ...]) -> tuple[np.ndarray, pa.Array] | None:
    """The cells one pass of the union of ``gates`` marks, and those cells (each member
    gate then looks only at them); None when the union is too big for RE2."""
    try:
        marked = marked_rows(cells, "|".join(f"(?:{g})" for g in gates))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return marked, cells.take(pa.array(marked, type=pa.int64()))


def union_groups(gates: Iterable[str]) -> tuple[tuple[str, ...], ...]:
    """The sparse gates in one union per case mode: the case-insensitive ones (text
    keywords) apart from the case-sensitive ones (the rewritten patterns). Together they
    overflow the DFA RE2 caches for a pass: on the bench logs the union of all 22 took
    2.5 times as long as the two unions one after the other (and 0.6 times the 22 passes
    alone); cutting the union into arbitrary halves or into groups of 4-13 gates was
    slower than cutting it by case mode. A mode with one gate has no union."""
    by_mode: dict[bool, list[str]] = {}
    for g in sorted(gates):
        by_mode.setdefault("(?i)" in g, []).append(g)
    return tuple(tuple(group) for group in by_mode.values() if len(group) > 1)


class Unions:
    """The union passes of a set of sparse gates over ``cells``, each made when one of
    its members is first asked for."""

    def __init__(self, cells: pa.Array | None, gates: Iterable[str] = ()):
        self.cells = cells
        self._group = {g: group for group in union_groups(gates) for g in group}
        self._passes: dict[tuple[str, ...], tuple[np.ndarray, pa.Array] | None] = {}
        self.members = frozenset(self._group)

    def groups(self) -> set[tuple[str, ...]]:
        return set(self._group.values())

    def pre(self, gate: str) -> tuple[np.ndarray, pa.Array] | None:
        """The cells ``gate``'s union marked, and those cells; None: ``gate`` is in no
        union, or its union is too big for RE2 (the gate then passes alone)."""
        group = self._group.get(gate)
        if group is None:
            return None
        if group not in self._passes:
            self._passes[group] = union_pass(self.cells, group)
        return self._passes[group]


def other_digits(arr: pa.Array) -> bool:
    """Does any value hold a decimal digit the gates do not spell out (automaton.OTHER_DIGIT)?
    Such text is scanned ungated."""
    ascii_ = pc.string_is_ascii(arr)
    if pc.all(ascii_).as_py() is not False:  # ASCII (or nothing): none
        return False
    other = arr.filter(pc.invert(pc.fill_null(ascii_, True)))  # only non-ASCII values can
    return bool(pc.any(pc.match_substring_regex(other, other_digit_re2())).as_py())


_LAST: list = [None, None, None]  # (text, delimiter, Segments): detectors share one cut
_TEXT_GATES: set[str] = set()  # gates asked for on free text in this process (a few dozen)
_CELL_GATES: set[str] = set()  # and on column batches
MAX_UNION = 64
# A gate whose last pass marked at most this share of the segments (lines, cells) is
# sparse: the sparse gates pass first as one union (one RE2 pass for all of them), each
# then only over the segments the union marked. A dense gate (card numbers mark half the
# lines of PII-dense text) passes alone: in the union it would make it mark most lines,
# and a big alternation leaves RE2's DFA, so the union would cost more than it saves.
SPARSE_SHARE = 0.05
_TEXT, _CELLS = "text", "cells"


class _Shares:
    """The share of segments each gate's last pass marked, per kind of segment (lines of
    free text, cells of a column batch), learnt as a scan goes."""

    def __init__(self) -> None:
        self.last: dict[tuple[str, str], float] = {}

    def learn(self, kind: str, gate: str, marked: int, total: int) -> None:
        if total:
            self.last[(kind, gate)] = marked / total

    def sparse(self, kind: str, gates) -> tuple[str, ...]:
        """Of ``gates``, those known to be sparse (a gate not seen yet is not)."""
        return tuple(sorted(g for g in gates if self.last.get((kind, g), 1.0) <= SPARSE_SHARE))


SHARES = _Shares()


def join_cells(texts: list[str | None]) -> tuple[str, list[int], list[str]]:
    """A column's values joined by SEP (None as "", SEP inside a value as a blank), where
    each starts, and the values as joined: the one way a column becomes text."""
    parts = ["" if t is None else t.replace(SEP, " ") for t in texts]
    starts, pos = [], 0
    for p in parts:
        starts.append(pos)
        pos += len(p) + 1
    return SEP.join(parts), starts, parts


class _ColumnSegments(Segments):
    """One column of a ColumnBatch: its joined text and cell starts, with the marks of
    the batch-wide gate passes (no Arrow work of its own)."""

    def __init__(self, batch: "ColumnBatch", joined: str, starts: list[int], lo: int, hi: int):
        self.text, self._batch, self._lo, self._hi = joined, batch, lo, hi
        self.starts = np.array(starts + [len(joined) + 1], dtype=np.int64)  # +1 past the end, as Segments
        self._windows = {}  # marks come from the batch's passes (ColumnBatch._pass)

    def _marked(self, gate: str, family: tuple[str, ...] = ()) -> np.ndarray:
        return np.flatnonzero(self._batch.marks(gate)[self._lo : self._hi])

    def _marked_from(self, gate: str) -> tuple[np.ndarray, np.ndarray | None]:
        return self._marked(gate), None  # a cell's candidate starts at or near its start


class ColumnBatch:
    """The cells of every column of one batch in one Arrow array, so that each gate runs
    once per batch, not once per column: Arrow compiles the regex on every call (~0.1 ms,
    as much as scanning a 2,000-cell column). Columns are joined here as
    ``base.joined_column`` joins them; gated scans of a column then use the batch-wide
    marks (``segments``)."""

    def __init__(self, columns: list[list[str | None]]):
        self._joined: dict[int, tuple[list, str, list[int]]] = {}  # id(texts) -> (texts, joined, starts)
        self._views: dict[int, tuple[str, _ColumnSegments]] = {}  # id(joined) -> (joined, view)
        self._marks: dict[str, np.ndarray] = {}
        self._held_sep: dict[int, bool] = {}  # id(texts) -> a value held SEP (column_marks)
        self._unions: Unions | None = None  # made when the first gate is asked for
        flat: list[str] = []
        spans = []
        for texts in columns:
            joined, starts, parts = join_cells(texts)
            self._joined[id(texts)] = (texts, joined, starts)
            spans.append((joined, starts, len(flat), len(flat) + len(parts)))
            flat.extend(parts)
        try:
            cells = pa.array(flat, type=pa.string())
            self.cells = None if other_digits(cells) else cells
        except (pa.ArrowInvalid, UnicodeEncodeError):
            self.cells = None
        if self.cells is not None:
            for joined, starts, lo, hi in spans:
                self._views[id(joined)] = (joined, _ColumnSegments(self, joined, starts, lo, hi))

    def joined(self, texts: list[str | None]) -> tuple[str, list[int]] | None:
        got = self._joined.get(id(texts))
        return (got[1], got[2]) if got is not None and got[0] is texts else None

    def column_marks(self, texts: list[str | None], gate: str) -> list[int] | None:
        """The rows of ``texts`` (a column of this batch) that ``gate`` marks, from its
        batch-wide pass; None when ``texts`` is not a column of the batch or its cells
        differ from the texts (a value holding SEP, or no batch-wide cells at all). A None
        text is never marked, as in a column's own Arrow form (where it is null)."""
        got = self.joined(texts)
        view = self.view(got[0]) if got is not None else None
        if view is None:
            return None
        held = self._held_sep.get(id(texts))
        if held is None:  # joined, SEP became a blank: looked for once a column
            held = self._held_sep[id(texts)] = SEP in "".join(filter(None, texts))
        if held:
            return None
        rows = view._marked(gate).tolist()
        return [i for i in rows if texts[i] is not None] if None in texts else rows

    def view(self, joined: str) -> Segments | None:
        got = self._views.get(id(joined))
        return got[1] if got is not None and got[0] is joined else None

    def marks(self, gate: str) -> np.ndarray:
        got = self._marks.get(gate)
        if got is None:
            got = self._marks[gate] = self._pass(gate)
            SHARES.learn(_CELLS, gate, int(np.count_nonzero(got)), len(got))
        return got

    def _pass(self, gate: str) -> np.ndarray:
        """The cells ``gate`` marks, as a mask: a sparse gate only looks at the cells its
        union of sparse gates marked (one pass a union and batch, made when first needed)."""
        if len(_CELL_GATES) < MAX_UNION:
            _CELL_GATES.add(gate)
        if self._unions is None:
            self._unions = Unions(self.cells, SHARES.sparse(_CELLS, _CELL_GATES))
        pre = self._unions.pre(gate)
        mask = np.zeros(len(self.cells), dtype=bool)
        if pre is not None:
            mask[pre[0][marked_rows(pre[1], gate)]] = True
        else:
            mask[marked_rows(self.cells, gate)] = True
        return mask


_BATCH: list[ColumnBatch | None] = [None]  # the column batch being scanned (columns.scan_batch)


def current_batch() -> ColumnBatch | None:
    return _BATCH[0]


@contextmanager
def column_batch(columns: list[list[str | None]]) -> Iterator[ColumnBatch]:
    """While the detectors scan one batch's columns: gate them batch-wide."""
    _BATCH[0] = batch = ColumnBatch(columns)
    try:
        yield batch
    finally:
        _BATCH[0] = None


def _union_gates(delimiter: str) -> tuple[str, ...]:
    return SHARES.sparse(_TEXT, _TEXT_GATES) if delimiter == "\n" else ()


def segments(text: str, delimiter: str) -> Segments | None:
    if _LAST[0] is text and _LAST[1] == delimiter:
        return _LAST[2]
    if delimiter == SEP and _BATCH[0] is not None:
        view = _BATCH[0].view(text)
        if view is not None:
            return view
    seg: Segments | None = None
    try:
        whole = pa.array([text], type=pa.string())
        if not other_digits(whole):
            # free text: the gates asked for on earlier chunks go into the union pass
            seg = Segments(text, delimiter, _union_gates(delimiter), whole)
    except (pa.ArrowInvalid, UnicodeEncodeError):  # lone surrogates: no UTF-8 form
        seg = None
    _LAST[:] = [text, delimiter, seg]
    return seg


def windows(text: str, rx: re.Pattern, delimiter: str = "\n", gate: str | None = None,
            reach: int = 0, family: tuple[str, ...] = (), from_match: bool = False) -> list[tuple[int, int]]:
    """Where ``rx`` may match in ``text``: the whole text when it is short or ``rx`` has
    no gate. ``gate`` overrides the rewritten pattern; ``reach``, ``family``,
    ``from_match``: see Segments.windows."""
    if len(text) < MIN_GATED_CHARS or not _ON[0] or ends_text(rx.pattern):
        return [(0, len(text))]
    gate = gate or automaton_pattern(rx.pattern, rx.flags)
    seg = segments(text, delimiter) if gate is not None else None
    if seg is None:
        return [(0, len(text))]
    if delimiter == "\n" and gate not in _TEXT_GATES and len(_TEXT_GATES) < MAX_UNION:
        _TEXT_GATES.add(gate)
    return seg.windows(gate, reach, family, from_match)


def gated_finditer(rx: re.Pattern, text: str, delimiter: str = "\n", gate: str | None = None, reach: int = 0,
                   family: tuple[str, ...] = ()):
    """``rx.finditer(text)``, restricted to the segments its gate marks."""
    for pos, end in windows(text, rx, delimiter, gate, reach, family):
        yield from rx.finditer(text, pos, end)
