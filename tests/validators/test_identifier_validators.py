"""Validators for identifiers and plates: worked examples, differential tests against
python-stdnum, and hypothesis properties (one changed digit breaks a valid number;
arbitrary text never raises)."""

from __future__ import annotations

import datetime
import os
import re

import pytest
import stdnum
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric as stdnum_ric
from stdnum.exceptions import ValidationError

from spillguard.validators import cn_ric, dates, hk_id, mrz, plate, tw_id

TODAY = datetime.date.today()


# -- helpers -------------------------------------------------------------------------
def _loc_entries() -> dict[str, str]:
    """6-digit address code -> county text (with its [start-end] years) from stdnum."""
    path = os.path.join(os.path.dirname(stdnum.__file__), "cn", "loc.dat")
    out: dict[str, str] = {}
    province = ""
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(\d{2}) province=", line)
            if m:
                province = m.group(1)
            m = re.match(r'^  (\d{4}) county="(.*)"', line)
            if m:
                out[province + m.group(1)] = m.group(2)
    return out


LOC = _loc_entries()
CODES = sorted(LOC)


def make_ric(code: str, born: datetime.date, seq: int) -> str:
    body = f"{code}{born:%Y%m%d}{seq:03d}"
    return body + stdnum_ric.calc_check_digit(body + "0")


def stdnum_valid(number: str) -> bool:
    try:
        return stdnum_ric.is_valid(number)
    except (ValidationError, KeyError):  # stdnum 2.2 raises KeyError for a county-less code
        return False


def mod11_2(body17: str) -> str:
    """The check character exactly as identifiers.md states it."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(body17, weights)) % 11]


dates_st = st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY)
rics = st.builds(make_ric, st.sampled_from(CODES), dates_st, st.integers(0, 999))


# -- CN resident ID ------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,known,sex",
    [
        ("11010519491231002X", True, "F"),
        ("11010519491231002x", True, "F"),
        ("440308199901011234", True, "M"),
        ("110199198001010016", False, "M"),  # county code unknown: kept, flagged
        ("830000199001010020", True, "F"),  # Taiwan residents' permit
        ("\uff14\uff14\uff10\uff13\uff10\uff18199901011234", True, "M"),  # full-width
        ("4403\u200b08199901011234", True, "M"),  # zero-width space
        ("110105490101123", True, "M"),  # legacy 15-digit
    ],
)
def test_when_ric_is_valid_then_fields_are_derived(value, known, sex):
    r = cn_ric.validate(value)
    assert r is not None
    assert r.region_known is known and r.sex == sex
    assert cn_ric.sex(value) == sex and cn_ric.region_known(value) is known
    assert cn_ric.birth_date(value) == r.birth_date


@pytest.mark.parametrize(
    "value",
    [
        "440308199901011235",  # wrong check
        "11010519900230001X",  # 30 February, check right
        "110105209901010012",  # future birth date, check right
        "100105199001010019",  # province 10
        "900105199001010011",  # foreign ID with province 00
        "44030819990101123",  # 17 digits
        "4403081999010112345",  # 19 digits
        "110105491301123",  # legacy, month 13
        "",
        "ABCDEFGHIJKLMNOPQR",
    ],
)
def test_when_ric_is_invalid_then_validate_rejects(value):
    assert cn_ric.validate(value) is None
    assert not cn_ric.is_valid(value)


def test_when_foreign_permanent_resident_id_then_valid_and_flagged():
    r = cn_ric.validate(make_ric("911156", datetime.date(1980, 1, 1), 1))
    assert r is not None and r.foreign and not r.region_known


@pytest.mark.parametrize("code,year", [("110118", 1980), ("810000", 1980)])
def test_when_county_postdates_birth_year_then_stdnum_rejects_but_we_accept(code, year):
    start = int(re.match(r"\[(\d{4})-\]", LOC[code]).group(1))  # the premise, from stdnum's data
    assert start > year
    number = make_ric(code, datetime.date(year, 1, 1), 1)
    assert not stdnum_ric.is_valid(number)
    r = cn_ric.validate(number)
    assert r is not None and r.region_known


def test_when_birth_date_is_in_the_future_then_stdnum_accepts_but_we_reject():
    number = make_ric("110105", datetime.date(2099, 1, 1), 1)
    assert stdnum_ric.is_valid(number)
    assert cn_ric.validate(number) is None


@settings(max_examples=400)
@given(rics)
def test_when_stdnum_says_valid_then_ours_says_valid(number):
    ours = cn_ric.validate(number)
    assert ours is not None and ours.region_known  # every database code is known
    if stdnum_valid(number):
        assert ours.number == number


@given(rics, st.sampled_from("0123456789X"))
def test_when_check_character_is_wrong_then_both_reject(number, check):
    assume(check != number[-1])
    bad = number[:-1] + check
    assert cn_ric.validate(bad) is None and not stdnum_valid(bad)


@given(rics, st.integers(0, 16), st.integers(1, 9))
def test_when_one_digit_changes_then_ric_is_invalid(number, pos, delta):
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert cn_ric.validate(changed) is None


@given(st.text(alphabet="0123456789", min_size=17, max_size=17), st.sampled_from("0123456789X"))
def test_when_random_18_chars_then_check_agrees_with_the_written_rule(body, check):
    s = body + check
    assert cn_ric.checksum_ok(s) == (mod11_2(s[:17]) == s[17])


@given(st.text())
def test_when_arbitrary_text_then_validators_never_raise(s):
    for module in (cn_ric, hk_id, tw_id, mrz, plate):
        module.is_valid(s)
    dates.parse(s)
    dates.birth_date(s)


# -- Hong Kong ID --------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,compact",
    [
        ("CA182361(1)", "CA1823611"),
        ("CA1823611", "CA1823611"),
        ("A123456(3)", "A1234563"),
        ("A123456 (3)", "A1234563"),
        ("ca182361(1)", "CA1823611"),
        ("Z683365(A)", "Z683365A"),
        ("CA182361\uff081\uff09", "CA1823611"),  # full-width brackets
    ],
)
def test_when_hkid_is_valid_then_compact_form_is_returned(value, compact):
    assert hk_id.validate(value) == compact


@pytest.mark.parametrize("value", ["CA182361(2)", "CA182361(1", "CA18236(1)", "ABC182361(1)", "1A182361(1)"])
def test_when_hkid_is_invalid_then_rejected(value):
    assert hk_id.validate(value) is None


hk_parts = st.tuples(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=1, max_size=2), st.text("0123456789", min_size=6, max_size=6))


@given(hk_parts, st.integers(0, 5), st.integers(1, 9))
def test_when_one_hkid_digit_changes_then_invalid(parts, pos, delta):
    prefix, digits = parts
    assert hk_id.is_valid(f"{prefix}{digits}({hk_id.check_digit(prefix, digits)})")
    changed = digits[:pos] + str((int(digits[pos]) + delta) % 10) + digits[pos + 1 :]
    assert not hk_id.is_valid(f"{prefix}{changed}({hk_id.check_digit(prefix, digits)})")


# -- Taiwan ID -----------------------------------------------------------------------
@pytest.mark.parametrize("value,sex", [("A123456789", "M"), ("F131104093", "M"), ("B223456782", "F"), ("a123456789", "M")])
def test_when_twid_is_valid_then_sex_is_derived(value, sex):
    assert tw_id.sex(value) == sex


@pytest.mark.parametrize("value", ["A123456788", "A323456789", "1123456789", "A12345678", "A1234567890"])
def test_when_twid_is_invalid_then_rejected(value):
    assert tw_id.validate(value) is None


tw_bodies = st.tuples(
    st.sampled_from(sorted(tw_id.LETTERS)), st.sampled_from("1289"), st.text("0123456789", min_size=7, max_size=7)
).map(lambda t: "".join(t))


@given(tw_bodies, st.sampled_from([2, 6, 8, 9]), st.integers(1, 9))
def test_when_a_twid_digit_with_unit_weight_changes_then_invalid(body, pos, delta):
    number = body + tw_id.check_digit(body)
    assert tw_id.is_valid(number)
    # weights 7, 3, 1, 1 are coprime to 10: every change there is caught
    changed = number[:pos] + str((int(number[pos]) + delta) % 10) + number[pos + 1 :]
    assert not tw_id.is_valid(changed)


# -- MRZ -----------------------------------------------------------------------------
TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"
TD2 = "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<\nD231458907UTO7408122F1204159<<<<<<<6"
TD1 = "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<"


@pytest.mark.parametrize("field,check", [("L898902C3", "6"), ("740812", "2"), ("120415", "9"), ("ZE184226B<<<<<", "1")])
def test_when_mrz_field_then_check_digit_matches_icao_specimen(field, check):
    assert mrz.check_digit(field) == check


@pytest.mark.parametrize(
    "value,kind",
    [(TD3, "TD3"), (TD3.replace("\n", ""), "TD3"), (TD3.replace("\n", "\r\n"), "TD3"), (TD2, "TD2"), (TD1, "TD1")],
)
def test_when_mrz_is_a_specimen_then_valid(value, kind):
    m = mrz.validate(value)
    assert m is not None and m.kind == kind and m.sex == "F" and m.birth == "740812"


@given(st.sampled_from([TD3, TD2]), st.data())
def test_when_a_checked_digit_changes_then_mrz_invalid(zone, data):
    line1, line2 = zone.split("\n")
    pos = data.draw(st.sampled_from([i for i in range(len(line2) - 1) if line2[i].isdigit() and i not in (10, 11, 12, 20)]))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != line2[pos]]))
    assert not mrz.is_valid(line1 + "\n" + line2[:pos] + new + line2[pos + 1 :])


def test_when_mrz_has_wrong_line_count_or_length_then_invalid():
    assert not mrz.is_valid(TD3.split("\n")[1])
    assert not mrz.is_valid(TD3 + "<")
    assert not mrz.is_valid(TD1.rsplit("\n", 1)[0])


# -- plates --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,kind,norm",
    [
        ("京A·12345", "ordinary", "京A12345"),
        ("京A-12345", "ordinary", "京A12345"),
        ("京A 12345", "ordinary", "京A12345"),
        ("京ａ１２３４５", "ordinary", "京A12345"),
        ("粤B·AB123", "ordinary", "粤BAB123"),
        ("沪AD12345", "new_energy_small", "沪AD12345"),
        ("沪A·F1234", "ordinary", "沪AF1234"),
        ("京A12345D", "new_energy_large", "京A12345D"),
        ("粤B1234挂", "special", "粤B1234挂"),
        ("浙A1234学", "special", "浙A1234学"),
        ("京A1234警", "special", "京A1234警"),
        ("粤Z1234港", "special", "粤Z1234港"),
        ("粤Z1234澳", "special", "粤Z1234澳"),
        ("沪A1234领", "special", "沪A1234领"),
        ("使224·001", "embassy", "使224001"),
    ],
)
def test_when_plate_is_valid_then_kind_and_normal_form(value, kind, norm):
    assert plate.kind(value) == kind and plate.validate(value) == norm


@pytest.mark.parametrize("value", ["京A1234", "京A1234567", "京I12345", "京A1O345", "苏ABCDEF", "京ABCD12", "X A12345", "使2240011"])
def test_when_plate_is_invalid_then_rejected(value):
    assert plate.validate(value) is None


@given(st.sampled_from(plate.PROVINCES), st.sampled_from("ABCDEFGHJKLMNPQRSTUVWXYZ"), st.text("0123456789", min_size=5, max_size=5), st.sampled_from(["", "·", "-", " "]))
def test_when_ordinary_plate_generated_then_valid_and_letter_i_breaks_it(p, letter, digits, sep):
    assert plate.validate(f"{p}{letter}{sep}{digits}") == f"{p}{letter}{digits}"
    assert plate.validate(f"{p}I{sep}{digits}") is None


# -- dates ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    "text,expected",
    [
        ("1985-06-15", datetime.date(1985, 6, 15)),
        ("1985/6/15", datetime.date(1985, 6, 15)),
        ("1985.06.15", datetime.date(1985, 6, 15)),
        ("19850615", datetime.date(1985, 6, 15)),
        ("1985年6月15日", datetime.date(1985, 6, 15)),
        ("1985 年 06 月 15 日", datetime.date(1985, 6, 15)),
        ("15/06/1985", datetime.date(1985, 6, 15)),
        ("06/15/1985", datetime.date(1985, 6, 15)),  # MM/DD when DD/MM does not exist
        ("2000-02-29", datetime.date(2000, 2, 29)),
        ("1900-02-29", None),
        ("1985-13-01", None),
        ("1985-06/15", None),
        ("1985年6-15", None),
        ("31/02/1990", None),
        ("", None),
    ],
)
def test_when_date_text_then_parsed_or_rejected(text, expected):
    assert dates.parse(text) == expected


@pytest.mark.parametrize(
    "d,ok",
    [
        (datetime.date(2000, 1, 1), True),
        (datetime.date(2024, 6, 1), True),
        (datetime.date(2024, 6, 2), False),  # tomorrow
        (datetime.date(1904, 6, 2), True),
        (datetime.date(1904, 6, 1), False),  # 120 years old
    ],
)
def test_when_birth_date_checked_then_future_and_over_120_rejected(d, ok):
    assert dates.is_birth_date(d, today=datetime.date(2024, 6, 1)) is ok


@given(dates_st)
def test_when_a_date_is_written_in_each_format_then_it_parses_back(d):
    for text in (f"{d:%Y-%m-%d}", f"{d:%Y/%m/%d}", f"{d:%Y%m%d}", f"{d.year}年{d.month}月{d.day}日", f"{d:%d/%m/%Y}"):
        assert dates.parse(text) == d
