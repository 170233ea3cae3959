"""The vocabulary detectors' free-text path (VocabularyDetector.scan_text) takes three
short cuts; each must find exactly what the plain path finds:

* ``keyword_search_regex`` finds ``keyword_regex``'s matches, groups included;
* ``text_value_first`` skips the longest-first ``classify`` search where no prefix of the
  text after a keyword can classify;
* the keyword gates share one pass of their union (gate.py ``family``).

The plain path is kept here as the reference: ``keyword_regex`` behind its own gate, every
prefix offered to ``classify``."""

from __future__ import annotations

import random
import re

import pytest
from hypothesis import example, given, settings, strategies as st

from spillguard.detectors import gate, registry
from spillguard.detectors._vocabulary import (
    _DELIM, _SPAN, TEXT_STRONG, TEXT_WEAK, VocabularyDetector, _keyword_gates, _keyword_scan, keyword_regex,
    keyword_search_regex,
)
from spillguard.detectors.base import Hit

VOCABULARY = [d for d in registry() if isinstance(d, VocabularyDetector) and d.text_keywords]
KEYWORDS = sorted({k for d in VOCABULARY for k in d.text_keywords})


def reference_scan_text(det: VocabularyDetector, text: str) -> list[Hit]:
    """VocabularyDetector.scan_text as it was before the short cuts."""
    rx = keyword_regex(det.text_keywords)
    hits = []
    for m in gate.gated_finditer(rx, text):
        kw, sep = m.group("kw"), (m.group("sep") or "").strip()
        if kw.isascii() and len(kw) <= 4 and not sep:
            continue
        start = m.end()
        seg = text[start : start + _SPAN]
        d = _DELIM.search(seg)
        seg = seg[: d.start()] if d else seg
        if seg and not seg[0].isascii():
            seg = seg.split()[0] if seg.split() else ""
        if det.text_value_chars is not None:
            seg = seg[: re.compile(det.text_value_chars + "*").match(seg).end()]
        for end in range(len(seg), 0, -1):
            if seg[end - 1].isspace():
                continue
            j = det.classify(seg[:end])
            if j is not None:
                score = TEXT_STRONG if j[2] else TEXT_WEAK
                hits.append(Hit(0, start, start + end, j[0], score, f"keyword '{kw}'", det.entity))
                break
    return hits


def _cases(words: list[str]) -> list[str]:
    return [w for k in words for w in (k, k.upper(), k.title())]


# keywords in several cases, separators, word edges, characters that match ASCII letters
# case-insensitively (İ ı ſ and the Kelvin sign), and values of every kind
_PIECES = sorted(set(
    _cases(KEYWORDS)
    + ["=", ":", "：", " ", "  ", "为", "\t", "\n", ",", "@", ".", "_", "-", "&", "\u3000", "\x85", "(", ")"]
    + ["İ", "ı", "ſ", "\u212a", "ſex", "uſer", "İcd", "ag", "e", "a", "x", "1", "a1", "名"]
    + ["张伟", "欧阳娜娜", "王秀英", "阿卜杜拉·艾买提", "John Smith", "Mary-Jane O'Connor", "Margaret", "zhou",
       "zhou@gmail.com", "wu1499", "Zhou", " Li", "正常", "黄色", "北京市朝阳区建国路88号", "221B Baker Street"]
    + ["35", "35岁", "120", "121", "男", "F", "female", "汉族", "维吾尔族", "01", "中共党员", "群众", "伊斯兰教",
       "Islam", "无", "已婚", "divorced", "高血压", "J45.9", "HIV positive"]
))
_TEXT = st.lists(st.one_of(st.sampled_from(_PIECES), st.text(max_size=3)), max_size=30).map("".join)


def _matches(rx: re.Pattern, text: str, pos: int, endpos: int) -> list:
    return [(m.span(), m.group("kw"), m.group("sep")) for m in rx.finditer(text, pos, endpos)]


@pytest.mark.parametrize("det", VOCABULARY, ids=lambda d: d.id)
@settings(max_examples=300, deadline=None)
@given(text=_TEXT, cut=st.tuples(st.integers(0, 200), st.integers(0, 200)))
@example(text="uſer=Zhou ſex: F İcd: J45 \u212aeyword", cut=(0, 200))
@example(text="xuser=Li _name=Li name-x=Li user.=Li", cut=(0, 200))
@example(text="a user=Li", cut=(2, 200))  # a window starting mid-line: the look-behind sees before it
def test_the_search_regex_finds_what_the_keyword_regex_finds(det, text, cut):
    pos, endpos = sorted(cut)
    fast, plain = keyword_search_regex(det.text_keywords), keyword_regex(det.text_keywords)
    assert _matches(fast, text, pos, endpos) == _matches(plain, text, pos, endpos)


@pytest.mark.parametrize("det", VOCABULARY, ids=lambda d: d.id)
@settings(max_examples=300, deadline=None)
@given(text=_TEXT)
@example(text="login user=zhou@gmail.com user=Zhou 姓名：张伟 name: 阿卜杜拉·艾买提 user= John Smith")
@example(text="user=  \u3000Li")
def test_scan_text_finds_what_the_plain_path_finds(det, text):
    assert det.scan_text(text) == reference_scan_text(det, text)


@settings(max_examples=500, deadline=None)
@given(st.one_of(_TEXT, st.text(max_size=12)))
@example(" 张伟")
@example("\u3000John Smith")
def test_every_value_classify_accepts_starts_with_a_text_value_first_character(value):
    for det in VOCABULARY:
        if det.text_value_first is not None and det.classify(value) is not None:
            assert re.fullmatch(det.text_value_first, value.lstrip()[:1]), det.id


def _document(seed: int) -> str:
    """Keyword lines among many lines without keywords, long enough to be gated."""
    rng = random.Random(seed)
    keyed = [f"{rng.choice(_cases(KEYWORDS))}{rng.choice(['=', ': ', '：', ' '])}{rng.choice(_PIECES)}"
             for _ in range(120)]
    plain = [f"2024-01-0{i % 9 + 1} INFO job {i} took {rng.randint(1, 999)} ms" for i in range(600)]
    lines = keyed + plain
    rng.shuffle(lines)
    return "\n".join(lines) + "\n"


@pytest.fixture
def no_union(monkeypatch):
    """No union pass of the sparse text gates: the keyword gates go by their own union."""
    monkeypatch.setattr(gate, "_TEXT_GATES", set())
    monkeypatch.setattr(gate, "SHARES", gate._Shares())


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_keyword_gates_union_pass_changes_no_window(seed, no_union):
    doc = _document(seed)
    family = _keyword_gates()
    assert len(family) == len(VOCABULARY)
    shared, alone = gate.Segments(doc, "\n"), gate.Segments(doc, "\n")
    for g in family:
        assert shared.windows(g, 0, family) == alone.windows(g), g
    marked, _ = shared._family_pass(family)
    assert 0 < len(marked) < len(shared.starts) - 1  # it did narrow


@pytest.mark.parametrize("dense", [1, 2])
def test_the_family_pass_leaves_out_the_members_a_sparse_union_passes(dense):
    """Members already in a sparse union pass with it; the family's own union covers the
    rest only (none at all when one member is left), and no window changes."""
    doc = _document(3)
    family = _keyword_gates()
    sparse = family[dense:]  # the first ``dense`` members were not sparse on the last chunk
    shared, alone = gate.Segments(doc, "\n", union=sparse), gate.Segments(doc, "\n")
    assert shared.unions.members == frozenset(sparse)
    for g in family:
        assert shared.windows(g, 0, family) == alone.windows(g), g
    assert list(shared._families) == ([family[:dense]] if dense > 1 else [])


@pytest.mark.parametrize("seed", [1, 2])
def test_gated_scan_text_of_a_long_document_finds_what_the_plain_path_finds(seed, no_union):
    doc = _document(seed)
    assert len(doc) > gate.MIN_GATED_CHARS
    fast = [det.scan_text(doc) for det in VOCABULARY]
    assert gate.segments(doc, "\n")._families  # the shared pass was used
    same = (" " + doc)[1:]  # another string object: a cut (and windows) of its own
    assert fast == [reference_scan_text(det, same) for det in VOCABULARY]
    assert any(fast)


def test_every_keyword_gate_is_the_gate_of_the_reference_regex():
    """The gates (and gate.py's superset tests) stay those of keyword_regex."""
    from spillguard.detectors.automaton import automaton_pattern

    for det in VOCABULARY:
        rx = keyword_regex(det.text_keywords)
        assert _keyword_scan(det.text_keywords)[1] == automaton_pattern(rx.pattern, rx.flags)
