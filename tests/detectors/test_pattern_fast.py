"""The pattern detectors' fast paths give exactly what the plain ones gave.

* PatternDetector's scan loops (one loop per scan, the 'v' group resolved once, no hit
  built below the floor, the IP detector's keyword rule as a ``_lifted`` hook) against
  the loops they replaced, on texts and columns built from every detector's examples and
  look-alikes, gated (long) and ungated (short);
* the credit-card, resident-ID and IP patterns, rewritten to fail faster, against the
  patterns they replaced (same matches, same 'v' spans);
* cn_ric.validate (one regex for shape and province, the clock asked only for recent
  dates) and mac.validate (no re.sub) against their former step-by-step versions.

Luhn, IPv4, phone and card-IIN fast paths are checked against python-stdnum, ipaddress,
phonenumbers and the IIN range scan in tests/validators and test_identifier_detectors.
"""

from __future__ import annotations

import datetime
import re
from bisect import bisect_right
from contextlib import ExitStack
from dataclasses import replace
from unittest.mock import patch

import pytest
from hypothesis import example, given, settings, strategies as st
from stdnum.cn.ric import calc_check_digit

from spillguard.detectors import registry
from spillguard.detectors.base import _JOINED, SEP, Hit, PatternDetector, joined_column
from spillguard.detectors.cn_resident_id import CnResidentIdDetector
from spillguard.detectors.context import FieldContext, name_matches
from spillguard.detectors.credit_card import CreditCardDetector
from spillguard.detectors.gate import MIN_GATED_CHARS, gated_finditer
from spillguard.detectors.ip_address import IPAddressDetector
from spillguard.detectors.automaton import literal_gate
from spillguard.validators import cn_ric, mac
from spillguard.validators.cn_ric import PROVINCES, Ric, code_known, normalise
from spillguard.validators.dates import real_date

PATTERN_DETECTORS = [d for d in registry() if isinstance(d, PatternDetector)]

# -- the patterns as they were ---------------------------------------------------------
_D, _Z = "[0-9\uff10-\uff19]", "[\u200b-\u200d\u2060\ufeff]*"
_W = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_H = r"[0-9A-Fa-f]{1,4}"
_V4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_V6 = rf"(?:(?:{_H}:){{7}}{_H}|(?:{_H}:){{6}}{_V4}|(?:{_H}(?::{_H})*)?::(?:(?:{_H}:)*(?:{_V4}|{_H}))?)"
OLD_PATTERNS = {
    CreditCardDetector: (
        r"(?<![0-9A-Za-z])(?<!\d[\-.])(?P<v>\d{13,19}"
        r"|\d{4}[ \-]\d{4}[ \-]\d{4}[ \-]\d{4}(?:[ \-]\d{3})?"
        r"|\d{4}[ \-]\d{6}[ \-]\d{4,5})"
        r"(?![0-9A-Za-z]|[\-.]\d)"
    ),
    CnResidentIdDetector: (
        rf"(?<![{_W}])(?P<v>{_D}(?:{_Z}{_D}){{14}}"
        rf"(?:(?:{_Z}{_D}){{2}}{_Z}[0-9\uff10-\uff19Xx\uff38\uff58])?)(?![{_W}])"
    ),
    IPAddressDetector: (
        r"(?<![0-9A-Za-z.])(?P<v>"
        rf"(?<!:){_V6}(?:%[0-9A-Za-z_.\-]+)?(?:/(?:12[0-8]|1[01]\d|[1-9]?\d)(?!\d))?"
        rf"|{_V4}(?:/(?:3[0-2]|[12]?\d)(?!\d))?"
        r")(?![0-9A-Za-z:]|\.\d)"
    ),
}

# -- the scan loops as they were -------------------------------------------------------
_UNSEEN = object()


def _old_candidates(self, text, keyed=False):
    delimiter = SEP if _JOINED[1] is text else "\n"
    if keyed:
        found = gated_finditer(self.regex(), text, delimiter, literal_gate(self.text_keywords),
                               self.keyword_window + 1)
    else:
        found = gated_finditer(self.regex(), text, delimiter, self.gate)
    for m in found:
        if SEP not in m.group(0):
            yield m


def _old_span(m):
    v = m.group("v") if "v" in m.re.groupindex else None
    if v is not None:
        return m.start("v"), m.end("v"), v
    return m.start(), m.end(), m.group(0)


def _old_scan_column(self, texts, raw, ctx):
    joined, starts = joined_column(texts)
    has_context = bool(name_matches(ctx.path, self.field_names)
                       or (self.sibling_names and ctx.sibling_matches(self.sibling_names)))
    hits, candidates, validated = [], 0, 0
    for m in self._candidates(joined):
        start, end, cand = _old_span(m)
        candidates += 1
        v = self.validate(cand)
        if v is None:
            continue
        validated += 1
        score = v.score
        if self.needs_context and not has_context:
            score = min(score, self.weak_score)
        row = bisect_right(starts, start) - 1
        hits.append(Hit(row, start - starts[row], end - starts[row], v.value, score, v.reason, self.entity))
    return hits, candidates, validated


def _old_scan_text(self, text, floor=0.0):
    hits = []
    unsupported_dropped = self.needs_context and floor > self.weak_score
    for m in self._candidates(text, keyed=unsupported_dropped and bool(self.text_keywords)):
        start, end, cand = _old_span(m)
        if unsupported_dropped and self._keyword_before(text, start) is None:
            continue
        v = self.validate(cand)
        if v is None:
            continue
        score, reason = v.score, v.reason
        kw = self._keyword_before(text, start)
        if kw:
            score, reason = min(1.0, max(score, self.base_score) + 0.15), f"{reason}; keyword '{kw}'"
        elif self.needs_context:
            score = min(score, self.weak_score)
        hits.append(Hit(0, start, end, v.value, score, reason, self.entity))
    if isinstance(self, IPAddressDetector):  # its own scan_text: a keyword never lifts a non-personal address
        hits = [replace(h, score=v.score) if (v := self.validate(text[h.start:h.end])) and v.score < 0.5 else h
                for h in hits]
    return hits


def _as_before(detector: PatternDetector) -> ExitStack:
    """The detector's class patched back to the loops (and pattern) it had before."""
    stack = ExitStack()
    stack.enter_context(patch.object(PatternDetector, "_candidates", _old_candidates))
    stack.enter_context(patch.object(PatternDetector, "scan_column", _old_scan_column))
    stack.enter_context(patch.object(PatternDetector, "scan_text", _old_scan_text))
    cls = type(detector)
    if cls in OLD_PATTERNS:
        stack.enter_context(patch.object(cls, "_compiled", re.compile(OLD_PATTERNS[cls], cls.flags)))
    return stack


# -- what the scans are fed ------------------------------------------------------------
def _fragments() -> list[str]:
    out = []
    for d in registry():
        for e in d.positives + d.negatives:
            if isinstance(e.value, (str, int)):
                out.append(str(e.value))
        out += list(d.text_keywords)
    return out + [
        "1700000000123", "202406149015855500", "4104224708746627", "793339063", "1725299646021",
        "2024-06-22 19:52:24", "src=192.168.186.30", "build 7.16.841.27", "v1.2.3.4", "1.2.3.4.5",
        "fe80::1%eth0", "::", "2001:db8::/32", "10.0.0.0/8", "ac:de:48:2a:3e:37", "001A2B3C4D5E",
        "\uff14\uff11\uff11\uff11" * 4, "\u0664\u0661\u0661\u0661" * 4, "4111\u200b1111\u200b1111\u200b1111",
        "4111-1111-1111-1111", "4111 111111 11111", "5555.5555.5555.4444", "123-45-6789", "536 90 4399",
        "ssn 536904399", "SSN: 078-05-1120", "卡号 6222021234567890128", "身份证 11010519491231002X",
        "tel 13812345678", "+44 20 7123 4567", "a@b.example.com", "IBAN DE89370400440532013000",
        "IMEI 490154203237518", "imsi 460001234567890", "\u0664.1.1.1", "\u0661\u0662.3.4.5",
        "110105490101123", "11010549010112X", SEP, "\n", "\t", "-", ".", ":",
    ]


FRAGMENTS = _fragments()
SEPARATORS = [" ", "\n", ", ", "：", " ip ", " card ", "-", "", "\u3000", " mobile: "]
pieces = st.lists(st.sampled_from(FRAGMENTS) | st.text(alphabet="0123456789 -.:xX", max_size=22),
                  min_size=1, max_size=30)


def _text(parts: list[str], seps: list[str]) -> str:
    return "".join(p + seps[i % len(seps)] for i, p in enumerate(parts))


def _long(text: str) -> str:
    """Long enough to be gated (gate.MIN_GATED_CHARS), with filler lines no gate marks."""
    filler = "\n".join(["plain words only here"] * (MIN_GATED_CHARS // 20 + 1))
    return filler + "\n" + text + "\n" + filler + "\n" + text


@pytest.mark.parametrize("detector", PATTERN_DETECTORS, ids=lambda d: d.id)
@settings(max_examples=60, deadline=None)
@given(parts=pieces, seps=st.lists(st.sampled_from(SEPARATORS), min_size=1, max_size=4),
       floor=st.sampled_from([0.0, 0.3, 0.5, 0.6, 0.85]))
@example(parts=FRAGMENTS, seps=[" "], floor=0.0)
@example(parts=FRAGMENTS, seps=["\n"], floor=0.5)
def test_scan_text_equals_the_loop_it_replaced(detector, parts, seps, floor):
    for text in (_text(parts, seps), _long(_text(parts, seps))):
        got = detector.scan_text(text, floor)
        with _as_before(detector):
            want = detector.scan_text(text, floor)
        # hits below the floor may be left out (the caller drops them): the rest is equal
        assert [h for h in got if h.score >= floor] == [h for h in want if h.score >= floor]
        if floor == 0.0:
            assert got == want


@pytest.mark.parametrize("detector", PATTERN_DETECTORS, ids=lambda d: d.id)
@settings(max_examples=40, deadline=None)
@given(cells=st.lists(st.sampled_from(FRAGMENTS + [""]) | st.text(alphabet="0123456789 -.:X", max_size=20),
                      min_size=1, max_size=40),
       field=st.sampled_from(["remark", "card_no", "sfzh", "ip", "ssn", "imei", "mac", "phone", "c5"]),
       repeat=st.sampled_from([1, 120]))
@example(cells=FRAGMENTS, field="remark", repeat=1)
def test_scan_column_equals_the_loop_it_replaced(detector, cells, field, repeat):
    texts = [c or None for c in cells] * repeat  # 120 repeats: long enough to be gated
    ctx = FieldContext(field, frozenset({"imsi", "mac"}))
    got = detector.scan_column(texts, texts, ctx)
    with _as_before(detector):
        want = detector.scan_column(list(texts), texts, ctx)  # a new list: no shared joined text
    assert got == want


# -- the rewritten patterns ------------------------------------------------------------
_ALPHABETS = {
    CreditCardDetector: "0123456789 -.aX\uff14\u0664\n",
    CnResidentIdDetector: "0123456789Xx\uff10\uff19\uff38\u200b\ufeff a-\n",
    IPAddressDetector: "0123456789abcdefABCDEF:.%/ vxg\u0664\n",
}


def _spans(rx: re.Pattern, text: str, pos: int, endpos: int) -> list:
    return [(m.span(), m.span("v")) for m in rx.finditer(text, pos, endpos)]


@pytest.mark.parametrize("cls", list(OLD_PATTERNS), ids=lambda c: c.id)
@settings(max_examples=400, deadline=None)
@given(data=st.data())
def test_rewritten_patterns_match_exactly_what_the_old_ones_matched(cls, data):
    head = data.draw(st.sampled_from(["", "4111111111111111", "11010519491231002X", "192.168.1.1", "2001:db8::1"]))
    text = head + data.draw(st.text(alphabet=_ALPHABETS[cls], max_size=80))
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    old, new = re.compile(OLD_PATTERNS[cls], cls.flags), cls.regex()
    assert new.pattern != old.pattern
    assert _spans(new, text, pos, endpos) == _spans(old, text, pos, endpos)


@pytest.mark.parametrize("cls", list(OLD_PATTERNS), ids=lambda c: c.id)
def test_rewritten_patterns_match_the_same_on_every_fragment(cls):
    old, new = re.compile(OLD_PATTERNS[cls], cls.flags), cls.regex()
    text = "\n".join(FRAGMENTS) + " ".join(FRAGMENTS) + "".join(FRAGMENTS)
    assert _spans(new, text, 0, len(text)) == _spans(old, text, 0, len(text))
    assert _spans(new, text, 0, len(text))  # and there is something to compare


# -- cn_ric.validate -------------------------------------------------------------------
_RE18, _RE15 = re.compile(r"[0-9]{17}[0-9X]"), re.compile(r"[0-9]{15}")


def _ric_before(text, today=None):
    """cn_ric.validate as it was: one Python step per check."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    n = text.strip().upper() if text.isascii() else normalise(text)
    if len(n) == 18 and _RE18.fullmatch(n):
        legacy = False
    elif len(n) == 15 and _RE15.fullmatch(n):
        legacy = True
    else:
        return None
    foreign = n[0] == "9" and not legacy
    if int(n[1:3] if foreign else n[0:2]) not in PROVINCES:
        return None
    if legacy:
        born, seq = real_date(1900 + int(n[6:8]), n[8:10], n[10:12]), n[12:15]
    elif calc_check_digit(n) != n[17]:
        return None
    else:
        born, seq = real_date(n[6:10], n[10:12], n[12:14]), n[14:17]
    if born is None or born.year < 1900 or born > (today or datetime.date.today()):
        return None
    known = not foreign and code_known(n[:6])
    return Ric(n, born, "M" if int(seq) % 2 else "F", known, legacy, foreign)


_TODAY = datetime.date.today()
_NEAR_TODAY = [_TODAY + datetime.timedelta(days=d) for d in (-1, 0, 1, 400)]
_BORN_TODAY = f"110105{_TODAY:%Y%m%d}001"
_BORN_TODAY += calc_check_digit(_BORN_TODAY + "0")


@st.composite
def _ric_like(draw):
    province = draw(st.sampled_from(["11", "44", "65", "71", "83", "10", "20", "99", "00"]))
    county = draw(st.sampled_from(["0105", "0308", "0199", "0000", "9999"]))
    when = draw(st.sampled_from(_NEAR_TODAY) | st.dates(datetime.date(1890, 1, 1), datetime.date(2100, 1, 1)))
    date = when.strftime("%Y%m%d")
    date = draw(st.sampled_from([date, date[:4] + "0230", date[:4] + "1301", date[:6] + "00"]))
    seq = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    body = (draw(st.sampled_from(["", "9"])) + province + county + date + seq)[:17]
    check = draw(st.sampled_from([calc_check_digit(body + "0"), "X", "x", "0", "7"]))
    legacy = province + county + date[2:] + seq
    number = draw(st.sampled_from([body + check, legacy, legacy[:-1] + "X"]))
    form = draw(st.sampled_from(["ascii", "full-width", "zero-width", "padded"]))
    if form == "full-width":
        number = number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789Xx"})
    elif form == "zero-width":
        number = number[:6] + "\u200b" + number[6:]
    elif form == "padded":
        number = f"  {number} "
    return number


@settings(max_examples=1500)
@given(number=_ric_like() | st.text(alphabet="0123456789X", max_size=20),
       today=st.none() | st.sampled_from(_NEAR_TODAY))
@example(number="11010519491231002X", today=None)
@example(number="110105490101123", today=None)
@example(number="911010519491231002", today=None)
@example(number="11010549010112X", today=None)
@example(number=_BORN_TODAY, today=None)
def test_cn_ric_validate_equals_its_former_steps(number, today):
    assert cn_ric.validate(number, today) == _ric_before(number, today)


def test_cn_ric_dates_after_the_module_was_loaded_still_ask_the_clock():
    tomorrow = _TODAY + datetime.timedelta(days=1)
    body = f"110105{tomorrow:%Y%m%d}001"
    number = body + calc_check_digit(body + "0")
    assert cn_ric.validate(number) is None  # the future, as before
    assert cn_ric.validate(number, today=tomorrow) is not None
    with patch.object(cn_ric, "_LOADED", tomorrow):  # a date on or before the load day is not in the future
        assert cn_ric.validate(number) is not None


# -- mac.validate ----------------------------------------------------------------------
def _mac_before(text):
    if not isinstance(text, str) or len(text) > 17 or not mac._FORMS.fullmatch(text):
        return None
    h = re.sub(r"[:.\-]", "", text).lower()
    if h in ("ffffffffffff", "000000000000"):
        return None
    return ":".join(h[i : i + 2] for i in range(0, 12, 2))


@given(st.text(alphabet="0123456789abcdefABCDEFg:-. ", max_size=18))
@example("00:1A:2B:3C:4D:5E")
@example("0012.3456.789a")
@example("FF-FF-FF-FF-FF-FF")
@example("000000000000")
@example("10:2F:33-AC-29-C3")
def test_mac_validate_equals_its_former_steps(text):
    assert mac.validate(text) == _mac_before(text)
