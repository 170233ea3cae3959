"""The column path of the non-pattern detectors takes short cuts; each must find exactly
what the general path finds:

* vocabulary detectors normalise a column once, in Arrow for ASCII cells (``Column``),
  meet their vocabularies in one Arrow pass, and skip ``value_gate`` on an ASCII column
  lacking a kind of character it needs (``value_gate_needs``);
* address and person-name gates are tighter (two markers in order; a letter);
* binary detectors rule a column out by its raw types and longest text, in C, before any
  per-cell work (``may_hold_binary``, face embeddings' ``_vector_rows``); the encoded-blob
  gate compiles without a bounded repeat and takes every blank ``str.lstrip`` strips;
* date of birth walks the rows only for a column holding dates without a text form.

The general path is every row offered to the detector (``gate.disabled()``) or, where a
helper replaced a loop, the loop kept here as the reference."""

from __future__ import annotations

import base64
import dataclasses
import datetime
import math
import struct

import pyarrow as pa
import pyarrow.compute as pc
from hypothesis import example, given, strategies as st

from spillguard.detectors import gate, registry
from spillguard.detectors._biometric import MIN_ENCODED, fac_2005, fmr_2005, iir_2005, may_hold_binary, wsq
from spillguard.detectors._vocab import norm
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.column_view import BLANK, DIGIT, LETTER, Column
from spillguard.detectors.automaton import automaton_pattern
from spillguard.detectors.base import to_text
from spillguard.detectors.context import FieldContext
from spillguard.detectors.date_of_birth import _date_rows
from spillguard.detectors.exif_gps import jpeg_with_gps
from spillguard.detectors.face_embedding import _MIN_TEXT

DETECTORS = {d.id: d for d in registry()}
VOCABULARY = [d for d in registry() if isinstance(d, VocabularyDetector)]
BINARY_IDS = ("face-embedding", "face-image", "fingerprint-template", "iris-template", "exif-gps")
WORDS = sorted({w for d in VOCABULARY for w in d.vocabulary()})
EXAMPLES = sorted({e.value for d in VOCABULARY for e in d.positives + d.negatives if isinstance(e.value, str)})
ODD = ["İ", "ı", "ß", "ẞ", "ﬃ", "K", "ſ", "Ａ", "１", "٣", "\u3000", "\xa0", "\x85", "\u2028", "\x1c", "\x0b",
       "\t", "\x00", "\u0301", "‾", "·", "．"]


def _full_width(s: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else "\u3000" if c == " " else c for c in s)


_SPELLINGS = st.sampled_from([str, str.upper, str.title, _full_width, lambda s: f"  {s}\t",
                              lambda s: s.replace(" ", "  ")])
VOCABULARY_TEXT = st.one_of(
    st.builds(lambda f, w: f(w), _SPELLINGS, st.sampled_from(WORDS + EXAMPLES)),
    st.sampled_from(["35", "35岁", "１２", "120 years old", "٣٥", "J45.9", "x45", "ı45.1", "张伟", "欧阳娜娜",
                     "John Smith", "阿卜杜拉·艾买提", "...", "-", "阳光花园12楼3室", "北京市朝阳区建国路88号",
                     "221B Baker Street", "Hauptstraße 5", "ok", "2024-01-02 10:00:00"]),
    st.text(st.sampled_from(ODD + list("aZ9 .-'省市区路号楼室汉族张")), max_size=12),
    st.text(max_size=10),
)
CELL = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 200), st.floats(allow_nan=True), VOCABULARY_TEXT,
    st.binary(max_size=8), st.lists(st.one_of(st.none(), st.booleans(), st.integers(0, 3), VOCABULARY_TEXT),
                                    max_size=3),
)
PATHS = st.sampled_from(["mz", "xb", "zjxy", "hyzk", "zzmm", "jkzk", "nl", "xm", "zz", "c3", "product_name"])


def _scan(detectors, raw: list, path: str) -> dict:
    """Each detector over one column, in turn, as columns.scan_batch runs them (one texts
    list: the detectors share what they learn of the column)."""
    texts = [to_text(r) for r in raw]
    ctx = FieldContext(path, frozenset({"phone"}))
    found = {}
    for det in detectors:
        hits, candidates, validated = det.scan_column(texts, raw, ctx)
        found[det.id] = [dataclasses.astuple(h) for h in hits], candidates, validated
    return found


def _same_as_every_row(detectors, raw: list, path: str) -> None:
    fast = _scan(detectors, raw, path)
    with gate.disabled():
        assert fast == _scan(detectors, raw, path)


# -- vocabulary detectors ------------------------------------------------------------------
@given(st.lists(st.one_of(st.none(), VOCABULARY_TEXT), max_size=12))
@example([None, "A  b", " x ", "\tX\x1cY", "ＡＢＣ", "İstanbul", "STRASSE", "ß", "ﬃ", "\u3000汉族\u3000", "K", "a\x00 b"])
@example(["a b", "c", "d e"])  # single blanks between words: nothing to collapse
@example(["x \x00 y", " lead", "trail ", "\x0bv"])
@example(["a  b", "c"])  # a double space is the only blank run
@example([" lead", "c"])
@example(["c", "trail "])
@example(["汉族", "Uyghur", "ＵＹＧＨＵＲ"])
def test_a_column_is_normalised_as_norm_does_it(texts):
    normed, _ = Column(texts, texts).normed()
    assert normed.to_pylist() == [None if t is None else norm(t) for t in texts]


def test_a_column_without_a_utf8_form_goes_every_row():
    raw = ["汉族", "\ud800", "男"]
    assert Column(raw, raw).normed() == (None, False)
    _same_as_every_row(VOCABULARY, raw, "mz")


@given(st.lists(CELL, max_size=12), PATHS)
@example(["汉族", "维吾尔族", None, True, ["男", 1]], "mz")
@example(["ＨＡＮ", "  han ", "01"], "mz")
@example(["X45.9", "x12", "35", "٣٥", "１２"], "jkzk")
@example(["阳光花园12楼3室", "北京市朝阳区建国路88号", "221B Baker Street"], "zz")
@example(["张伟", "John Smith", "...", "O'Neil", "Li"], "xm")
@example([False, [True, "无"], [], "none"], "zjxy")
def test_vocabulary_columns_find_what_every_row_finds(raw, path):
    _same_as_every_row(VOCABULARY, raw, path)


def test_a_vocabulary_first_asked_about_within_a_column_is_met_there():
    """The rows holding any vocabulary word are found once per column for the words known
    then; a detector whose words come later (a plugin's, first used here) must not miss."""

    class Late(VocabularyDetector):
        id, entity, strong = "late-vocabulary", "TEST", frozenset({"zzyzx"})

    _same_as_every_row([DETECTORS["ethnicity"], Late()], ["zzyzx", "汉族", "ZZYZX"], "c1")
    assert _scan([Late()], ["zzyzx"], "c1")["late-vocabulary"][1] == 1


ASCII_TEXT = st.text(st.sampled_from(sorted(set(LETTER + DIGIT + BLANK + ".-,'/()") - {"\x00"})), max_size=30)


@given(ASCII_TEXT)
@example("X45.9")
@example("x12")
@example("35")
@example("35 years")
@example("221B Baker Street")
@example("12 main\tst")
@example("1600 Pennsylvania Avenue NW")
@example("Hauptstrasse\x1c5")
@example("cancer")
@example("Jo")
def test_a_gate_marks_only_ascii_text_holding_each_kind_it_needs(s):
    for det in VOCABULARY:
        if not det.value_gate_needs:
            continue
        marked = pc.match_substring_regex(pa.array([norm(s)]), automaton_pattern(det.value_gate))[0].as_py()
        if marked:
            for kind in det.value_gate_needs:
                assert any(c in s for c in kind), (det.id, kind)


_MARKERS = "省自治区市州地区县旗镇乡街道路巷大道胡同弄村号栋幢座号楼单元层室房户"


@given(st.text(st.sampled_from(_MARKERS + "阳光花园张伟欧阳·.ab Z12-'\u3000ＡK"), max_size=14))
@example("阳光花园12楼3室")
@example("某某县人民路")
@example("欧阳娜娜")
@example("阿卜杜拉·艾买提")
@example("Ab")
def test_the_tighter_address_and_name_gates_mark_every_value_classify_takes(s):
    for det_id in ("address", "person-name"):
        det = DETECTORS[det_id]
        if det.classify(s) is not None:
            marked = pc.match_substring_regex(pa.array([norm(s)]), automaton_pattern(det.value_gate))[0].as_py()
            assert marked, det_id


# -- binary detectors ------------------------------------------------------------------------
_FMR = fmr_2005(seed=4)
_JPEG = jpeg_with_gps(43.8, 87.6)
_UNIT = [1 / math.sqrt(128)] * 128
BLOBS = [
    _FMR, base64.b64encode(_FMR).decode(), "\x0b" + base64.b64encode(_FMR).decode(),
    "\u3000" + base64.b64encode(iir_2005()).decode(), _FMR.hex(), "\\x" + _FMR.hex().upper(),
    "data:application/" + "x" * 200 + ";base64," + base64.b64encode(_FMR).decode(),
    "data:image/jpeg;base64," + base64.b64encode(_JPEG).decode(), _JPEG, fac_2005(), wsq(),
    base64.urlsafe_b64encode(fac_2005()).decode(), _UNIT, struct.pack("<128f", *_UNIT),
    "[" + ", ".join(f"{x:.6f}" for x in _UNIT) + "]", ",".join(["0"] * 128), ",".join(["0"] * 127),
    "x" * (MIN_ENCODED - 1), "y" * MIN_ENCODED, "short", 42, None, True, ["a", 1], bytes(range(40)),
    bytearray(_FMR), memoryview(fac_2005()),
]


@given(st.lists(st.one_of(st.sampled_from(BLOBS), CELL), max_size=10))
@example(["\x0b" + base64.b64encode(_FMR).decode()])
@example(["data:application/" + "x" * 200 + ";base64," + base64.b64encode(_FMR).decode()])
@example([",".join(["0"] * 128), "short"])
@example([bytearray(_FMR), memoryview(_JPEG), "ok"])
@example(["data:image/jpeg;base64," + base64.b64encode(_JPEG).decode(), _FMR.hex(),
          base64.b64encode(iir_2005()).decode()])
@example([_UNIT, "ok"])
@example(["ok", None, 3])
def test_binary_columns_find_what_every_row_finds(raw):
    _same_as_every_row([DETECTORS[i] for i in sorted(BINARY_IDS)], raw, "zp")


def _may_hold_binary_reference(texts, raw) -> bool:
    """may_hold_binary as it was: one generator over the raw values, one over the texts."""
    return any(isinstance(r, (bytes, bytearray, memoryview)) for r in raw) or any(
        t is not None and len(t) >= MIN_ENCODED for t in texts)


@given(st.lists(st.one_of(st.sampled_from(BLOBS), CELL), max_size=10))
@example(["y" * MIN_ENCODED])
@example(["x" * (MIN_ENCODED - 1), 1])
@example([bytearray(b"ab"), None])
@example([memoryview(b"")])
def test_may_hold_binary_is_the_two_generators(raw):
    texts = [to_text(r) for r in raw]
    assert may_hold_binary(texts, raw) == _may_hold_binary_reference(texts, raw)


def test_the_shortest_vector_text_is_the_longest_text_ruled_out():
    assert _MIN_TEXT == len(",".join(["0"] * 128))


# -- date of birth ---------------------------------------------------------------------------
class _Day(datetime.date):
    pass


RAW_DATES = st.one_of(st.none(), st.dates(), st.datetimes(), st.text(max_size=3), st.integers(),
                      st.builds(_Day, st.integers(1950, 2020), st.just(1), st.just(2)))


@given(st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=3)), RAW_DATES), max_size=8))
@example([(None, datetime.date(1990, 1, 2))])
@example([(None, datetime.datetime(1990, 1, 2, 3, 4))])
@example([(None, _Day(1990, 1, 2)), ("x", datetime.date(1990, 1, 2))])
@example([("1990-01-02", datetime.date(1990, 1, 2)), (None, None)])
def test_date_rows_are_the_loop_over_every_row(pairs):
    texts, raw = [t for t, _ in pairs], [r for _, r in pairs]
    reference = [i for i, (t, r) in enumerate(zip(texts, raw)) if t is None and isinstance(r, datetime.date)]
    assert _date_rows(texts, raw) == reference
