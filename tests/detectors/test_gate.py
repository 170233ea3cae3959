"""Gates (detectors/gate.py) must only make scans faster, never change what they find:
each gate matches wherever its detector's regex does, and gated scans equal ungated ones
on the detectors' own examples, on mixed documents and on the bundled sample stores."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings, strategies as st

from spillguard import Settings, scan
from spillguard.detectors import gate, registry
from spillguard.detectors._vocabulary import VocabularyDetector, keyword_regex
from spillguard.detectors.base import PatternDetector
from spillguard.detectors.automaton import automaton_pattern
from spillguard.models import Batch
from tests.pipeline import run_batches

STORES = Path(__file__).resolve().parents[2] / "samples" / "stores"
PATTERN_DETECTORS = [d for d in registry() if isinstance(d, PatternDetector)]
# a vocabulary detector's free-text gate is its keyword regex
KEYWORD_REGEXES = [(d.id, keyword_regex(d.text_keywords)) for d in registry()
                   if isinstance(d, VocabularyDetector) and d.text_keywords]
ALL_REGEXES = [(d.id, d.regex()) for d in PATTERN_DETECTORS] + KEYWORD_REGEXES
EXPLICIT = {d.regex().pattern: d.gate for d in PATTERN_DETECTORS if d.gate}


def _gate(rx: re.Pattern) -> str | None:
    return EXPLICIT.get(rx.pattern) or automaton_pattern(rx.pattern, rx.flags & ~re.UNICODE)


def _example_texts() -> list[str]:
    out = []
    for d in registry():
        for e in d.positives + d.negatives:
            if isinstance(e.value, (str, int, float)):
                out.append(str(e.value))
    return out


def test_every_regex_has_a_gate_and_only_the_line_spanning_mrz_needs_its_own():
    assert [i for i, rx in ALL_REGEXES if _gate(rx) is None] == []
    assert [d.id for d in PATTERN_DETECTORS if automaton_pattern(d.pattern, d.flags) is None] == ["passport-mrz"]


def _assert_gate_marks_every_match(texts: list[str]) -> None:
    for det_id, rx in ALL_REGEXES:
        g = _gate(rx)
        if g is None:
            continue
        # every line a match touches must be marked (a window is a run of marked lines)
        matched = [line for t in texts for m in rx.finditer(t) for line in m.group(0).split("\n") if line.strip("\r")]
        if not matched:
            continue
        marks = pc.match_substring_regex(pa.array(matched), g).to_pylist()
        missed = [i for i, ok in enumerate(marks) if not ok]
        assert not missed, f"{det_id}: gate misses {len(missed)} of {len(matched)} matches"


def test_gates_mark_every_match_in_the_detectors_examples():
    _assert_gate_marks_every_match(_example_texts())


_ALPHABET = st.sampled_from(list("0123456789０１２３４５６７８９ -.:/()+@_Xx\u200babcdefABCDEF身份证号手机民族党员住址"))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(_ALPHABET, min_size=1, max_size=40), min_size=1, max_size=8))
def test_gates_mark_every_match_in_random_text(parts):
    _assert_gate_marks_every_match([" ".join(parts), "".join(parts)])


_ADDRESS = r"[0-9A-Za-z._%+\-]{1,64}@(?:[0-9A-Za-z](?:[0-9A-Za-z\-]{0,61}[0-9A-Za-z])?\.)+(?:[A-Za-z]{2,63}|xn--[0-9A-Za-z\-]{1,59})"


@settings(max_examples=300, deadline=None)
@given(st.from_regex(_ADDRESS, fullmatch=True), st.text(_ALPHABET, max_size=12), st.text(_ALPHABET, max_size=12))
def test_the_email_gate_of_its_own_marks_every_address(address, before, after):
    """The e-mail detector's gate starts at the '@' (a pattern of its own, for speed)."""
    from spillguard.detectors.email_address import EmailAddressDetector

    text = f"{before}{address}{after}"
    rx = EmailAddressDetector.regex()
    assert _gate(rx) == EmailAddressDetector.gate
    matched = [m.group(0) for m in rx.finditer(text)]
    assert all(pc.match_substring_regex(pa.array(matched, pa.string()), EmailAddressDetector.gate).to_pylist())
    assert rx.search(address) and pc.match_substring_regex(pa.array([address]), EmailAddressDetector.gate)[0].as_py()


def _findings(batches, kind):
    return sorted((f.field or "", f.entity, f.count, f.distinct, f.records, f.confidence, f.detector)
                  for f in run_batches(batches, kind=kind))


def _document(seed: int) -> str:
    """Every example text on a line of its own, shuffled between filler lines, long enough
    (> MIN_GATED_CHARS) for the gates to be used."""
    rng = random.Random(seed)
    # keywords a line or more before their value: the keyword gate must reach them
    across = ["出生日期：\n1985-06-15", "date of birth\n\n\n15/06/1985", "IMEI\n490154203237518",
              "imsi:\n\n460001234567890", "DOB: 1985-06-15 " + "x" * 60 + "\n1990-01-01"]
    lines = _example_texts() * 3 + across * 3 + [f"INFO job {i} done in {rng.randint(1, 999)} ms" for i in range(300)]
    rng.shuffle(lines)
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("seed", [1, 2])
def test_gated_text_scan_equals_ungated(seed):
    doc = _document(seed)
    assert len(doc) > gate.MIN_GATED_CHARS
    batch = [Batch(text=doc, records=doc.count("\n"))]
    gated = _findings(batch, "text")
    with gate.disabled():
        ungated = _findings(batch, "text")
    assert gated == ungated and gated


def test_gated_column_scan_equals_ungated():
    """Each field example as a column, its values mixed with other examples and fillers."""
    rng = random.Random(7)
    columns: dict[str, list] = {}
    pool = _example_texts()
    for d in registry():
        for e in d.positives + d.negatives:
            if e.field is None:
                continue
            values = [e.value if rng.random() < 0.6 else rng.choice(pool + [None, "", "ok"]) for _ in range(150)]
            columns[f"{e.field}#{len(columns)}"] = values
    batch = [Batch(columns, records=150)]
    gated = _findings(batch, "records")
    with gate.disabled():
        ungated = _findings(batch, "records")
    assert gated == ungated and gated


def _sample_findings():
    return sorted((f.path, f.container or "", f.field or "", f.entity, f.count, f.distinct, f.confidence)
                  for f in scan(Settings(targets=[str(STORES)], sample_size=0)).findings)


def test_gated_scan_of_the_sample_stores_equals_ungated(monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "gate-test-key-0123456789")
    gated = _sample_findings()
    with gate.disabled():
        ungated = _sample_findings()
    assert gated == ungated and len(gated) > 50


@pytest.mark.parametrize("det", registry(), ids=lambda d: d.id)
def test_a_floor_only_leaves_out_hits_below_it(det):
    """scan_text(text, floor) may skip work (a birth date without a keyword is not even
    validated when weak scores fall below the floor) but keeps every hit of
    scan_text(text) that reaches the floor."""
    doc = _document(3)
    for floor in (0.25, 0.5, 0.8):
        kept = [h for h in det.scan_text(doc, floor) if h.score >= floor]
        assert kept == [h for h in det.scan_text(doc) if h.score >= floor]


@pytest.fixture
def fresh_shares(monkeypatch):
    """No gate learnt yet: the union passes start from nothing."""
    monkeypatch.setattr(gate, "_TEXT_GATES", set())
    monkeypatch.setattr(gate, "_CELL_GATES", set())
    monkeypatch.setattr(gate, "SHARES", gate._Shares())


def test_the_union_pass_learnt_from_earlier_chunks_changes_nothing(fresh_shares):
    """Free text: the sparse gates asked for on earlier chunks run first as one union
    pass; each then looks only at the lines the union marked."""
    doc = _document(5)
    batch = [Batch(text=doc, records=doc.count("\n"))]
    first = _findings(batch, "text")
    assert gate._TEXT_GATES  # learnt
    seg = gate.segments(doc + " ", "\n")  # a new chunk: cut with the union
    sparse = gate.SHARES.sparse(gate._TEXT, gate._TEXT_GATES)
    assert len(sparse) > 1 and seg is not None and seg.unions.members == frozenset(sparse)
    for group in seg.unions.groups():
        marked, _ = seg.unions.pre(group[0])
        assert 0 < len(marked) < len(seg.starts) - 1
    second = _findings([Batch(text=doc + " ", records=doc.count("\n"))], "text")
    with gate.disabled():
        ungated = _findings(batch, "text")
    assert first == second == ungated


def test_on_dense_text_only_the_sparse_gates_join_the_union(fresh_shares):
    """Where a gate marks many lines (card numbers in PII-dense text) it passes alone: in
    the union it would make the union mark most lines. Findings do not change."""
    dense = "\n".join(_example_texts() * 6) + "\n"
    batch = [Batch(text=dense, records=dense.count("\n"))]
    first = _findings(batch, "text")  # learns the gates and their shares
    shares = {g: gate.SHARES.last[(gate._TEXT, g)] for g in gate._TEXT_GATES}
    dense_gates = {g for g, share in shares.items() if share > gate.SPARSE_SHARE}
    assert dense_gates and len(dense_gates) < len(shares) - 1
    seg = gate.segments(dense + " ", "\n")
    assert seg.unions.members == frozenset(shares) - dense_gates
    second = _findings([Batch(text=dense + " ", records=dense.count("\n"))], "text")
    with gate.disabled():
        assert first == second == _findings(batch, "text")


def test_column_batches_pass_their_sparse_gates_as_one_union(fresh_shares):
    """Column batches learn their gates' shares too: from the second batch on, the sparse
    ones pass as one union first. Findings equal the ungated scan's."""
    rng = random.Random(11)
    pool = _example_texts()
    columns = {f"c{i}": [rng.choice(pool + [None, "ok", "2024-01-02"]) for _ in range(400)] for i in range(6)}
    columns["quiet"] = [f"row {i}" for i in range(400)]
    batches = [Batch(columns, records=400), Batch({k: v[::-1] for k, v in columns.items()}, records=400)]
    unions = []
    real = gate.ColumnBatch._pass

    def spy(self, g):
        got = real(self, g)
        unions.append(self._unions)
        return got

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(gate.ColumnBatch, "_pass", spy)
        gated = _findings(batches, "records")
    last = unions[-1]
    assert len(last.members) > 1
    for group in last.groups():
        pre = last.pre(group[0])
        assert pre is not None and 0 < len(pre[0]) < 7 * 400
    assert not unions[0].members  # the first batch knew no shares yet
    with gate.disabled():
        assert gated == _findings(batches, "records")


def test_the_sparse_gates_unite_by_case_mode():
    """Keyword gates (case-insensitive) and rewritten patterns (case-sensitive) pass as
    two unions; a mode with one gate passes alone."""
    keywords = ("(?i)imei|串号", "(?i)imsi", "(?:x(?i)dob)")
    shapes = ("[A-Z0-9<]{30}", "[0-9]{15}")
    assert gate.union_groups(keywords + shapes) == (tuple(sorted(keywords)), tuple(sorted(shapes)))
    assert gate.union_groups(keywords + shapes[:1]) == (tuple(sorted(keywords)),)
    assert gate.union_groups(shapes[:1]) == ()


def test_each_union_marks_exactly_the_lines_its_members_mark():
    """A member gate looks only at the lines its union marked: those are all the lines
    it marks alone."""
    text = "\n".join(_example_texts() * 3 + ["nothing here", "IMEI 490154203237518", "dob: 1990"] * 40)
    gates = ("(?i)imei|串号", "(?i)d\\x{2e}o\\x{2e}b|dob", "[0-9]{15}", "[A-Z]{2}[0-9]{2}")
    seg = gate.Segments(text, "\n", gates)
    alone = gate.Segments(text, "\n")
    assert len(seg.unions.groups()) == 2
    for g in gates:
        assert seg.unions.pre(g) is not None
        assert list(seg._marked(g)) == list(alone._marked(g)) != []


def test_a_pattern_anchored_at_the_end_of_text_is_never_windowed():
    """finditer(text, pos, endpos) reads endpos as the end of the text: '$' would match at
    every window's end, so such a pattern (a plugin's) scans the whole text."""
    rx = re.compile(r"\d{4}$")
    # lines ending in four digits, far apart: each would be a window of its own
    text = "\n".join(f"id {i:04d}" if i % 10 == 0 else "x" * 80 for i in range(400)) + "\nlast 5678"
    assert len(text) > gate.MIN_GATED_CHARS
    assert [m.group(0) for m in gate.gated_finditer(rx, text)] == ["5678"]
    assert gate.windows(text, rx) == [(0, len(text))]


def test_the_re2_spelling_of_other_digits_agrees_with_python_for_every_code_point():
    """gate.py asks RE2 (automaton.other_digit_re2) whether a text holds a decimal digit the
    gates leave out; Python's \\d (automaton.OTHER_DIGIT) is the reference."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from spillguard.detectors.automaton import OTHER_DIGIT, other_digit_re2

    chars = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF]
    by_re2 = pc.match_substring_regex(pa.array(chars), other_digit_re2()).to_pylist()
    by_python = [OTHER_DIGIT.search(c) is not None for c in chars]
    assert by_re2 == by_python
    assert sum(by_python) > 600  # Arabic-Indic, Devanagari, … digits are in


def test_text_with_other_decimal_digits_is_scanned_ungated():
    from spillguard.detectors import gate as g

    long = "filler line without anything\n" * 300
    assert g.segments(long + "卡号 ٣٧٧\n", "\n") is None  # Arabic-Indic digits: no gates
    assert g.segments(long + "卡号 377\n", "\n") is not None
    from spillguard.detectors.column_view import Column

    assert len(Column(["a", "٣٧٧", None], ["a", "٣٧٧", None]).rows_where("x")) == 3  # a column with them: every value


def test_a_column_batch_gates_every_column_as_the_column_alone_would():
    """columns.scan_batch runs each gate once over all the columns of a batch
    (gate.column_batch); each column's windows must be those of its own cut."""
    from spillguard.detectors.base import SEP, joined_column

    rng = random.Random(9)
    texts = _example_texts()
    columns = [[rng.choice(texts + [None, "", "plain words", "x" * 300]) for _ in range(400)] for _ in range(5)]
    pattern_detectors = [d for d in registry() if isinstance(d, PatternDetector)]
    alone = {}
    for c, col in enumerate(columns):
        joined, _ = joined_column(list(col))  # a copy: not the batch's list
        for d in pattern_detectors:
            alone[c, d.id] = gate.windows(joined, d.regex(), SEP, d.gate)
    with gate.column_batch(columns):
        for c, col in enumerate(columns):
            joined, _ = joined_column(col)
            assert isinstance(gate.segments(joined, SEP), gate._ColumnSegments)
            for d in pattern_detectors:
                assert gate.windows(joined, d.regex(), SEP, d.gate) == alone[c, d.id], (c, d.id)
    assert gate.current_batch() is None
    assert any(w and w != [(0, len(joined))] for w in alone.values())  # the gates did cut


@settings(max_examples=200, deadline=None)
@given(texts=st.lists(st.one_of(st.none(), st.text(max_size=6), st.sampled_from(["٣", "x١٢", "中文", "１２", "7"])),
                      max_size=12))
def test_other_digits_looks_only_at_non_ascii_values_and_finds_what_python_finds(texts):
    from spillguard.detectors.automaton import OTHER_DIGIT

    try:
        arr = pa.array(texts, type=pa.string())
    except (pa.ArrowInvalid, UnicodeEncodeError):  # lone surrogates: never gated anyway
        return
    assert gate.other_digits(arr) == any(OTHER_DIGIT.search(t) for t in texts if t)
