"""Identifier and vehicle detectors: their own examples, column-level confidence against
look-alike columns, lists, offsets and regex-hostile input."""

from __future__ import annotations

import datetime
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn.ric import calc_check_digit
from stdnum.us import ssn as stdnum_ssn

from spillguard.detectors import registry
from spillguard.detectors.base import ColumnStats, evaluate_example, to_text
from spillguard.detectors.cn_resident_id import CnResidentIdDetector
from spillguard.detectors.context import FieldContext
from spillguard.detectors.date_of_birth import DateOfBirthDetector
from spillguard.detectors.hk_id import HkIdDetector
from spillguard.detectors.license_plate import LicensePlateDetector
from spillguard.detectors.passport_mrz import PassportMrzDetector
from spillguard.detectors.tw_id import TwIdDetector
from spillguard.detectors.us_ssn import UsSsnDetector
from spillguard.entities import ENTITIES
from spillguard.validators import hk_id, tw_id

CN, HK, TW, SSN = CnResidentIdDetector(), HkIdDetector(), TwIdDetector(), UsSsnDetector()
MRZ, DOB, PLATE = PassportMrzDetector(), DateOfBirthDetector(), LicensePlateDetector()
ALL = (CN, HK, TW, SSN, MRZ, DOB, PLATE)
IDS = {
    "cn-resident-id": "CN_RESIDENT_ID", "hk-id": "HK_ID", "tw-id": "TW_ID", "us-ssn": "US_SSN",
    "passport-mrz": "PASSPORT_MRZ", "date-of-birth": "DATE_OF_BIRTH", "license-plate": "LICENSE_PLATE",
}  # fmt: skip


def column(det, values, name):
    """Scan a one-batch column and return the field confidence."""
    ctx = FieldContext(name)
    texts = [to_text(v) for v in values]
    hits, candidates, validated = det.scan_column(texts, values, ctx)
    stats = ColumnStats(
        nonempty=sum(t is not None or v is not None for t, v in zip(texts, values)),
        candidates=candidates,
        validated=validated,
        rows=len({h.row for h in hits}),
        score_sum=sum(h.score for h in hits),
    )
    return det.confidence(stats, ctx)[0]


def ric(rng: random.Random) -> str:
    code = rng.choice(["110105", "440308", "650104", "530128", "320102", "510107"])
    born = datetime.date(1940, 1, 1) + datetime.timedelta(days=rng.randrange(30000))
    body = f"{code}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return body + calc_check_digit(body + "0")


# -- contract ------------------------------------------------------------------------
def _examples():
    for det in ALL:
        for i, ex in enumerate(det.positives):
            yield pytest.param(det, ex, True, id=f"{det.id}-pos{i}")
        for i, ex in enumerate(det.negatives):
            yield pytest.param(det, ex, False, id=f"{det.id}-neg{i}")


@pytest.mark.parametrize("det,ex,positive", list(_examples()))
def test_when_own_example_is_evaluated_then_score_is_on_the_right_side(det, ex, positive):
    score = evaluate_example(det, ex)
    assert (score >= 0.5) is positive, ex.note


@pytest.mark.parametrize("det", ALL, ids=lambda d: d.id)
def test_when_detector_is_defined_then_metadata_is_complete(det):
    assert IDS[det.id] == det.entity and det.entity in ENTITIES
    assert det.description.strip() and "\n" not in det.description
    assert det.field_names and det.text_keywords
    for examples in (det.positives, det.negatives):
        assert len(examples) >= 4
        assert any(e.field is None for e in examples) and any(e.field for e in examples)


def test_when_registry_is_loaded_then_identifier_detectors_are_discovered():
    assert set(IDS) <= {d.id for d in registry()}


@pytest.mark.parametrize("det", ALL, ids=lambda d: d.id)
def test_when_positive_hits_then_reasons_never_carry_the_value(det):
    for ex in det.positives:
        if ex.field is None:
            for h in det.scan_text(str(ex.value)):
                assert h.value not in h.reason


# -- column level --------------------------------------------------------------------
def test_when_order_numbers_pass_by_chance_then_column_is_not_an_id_column():
    rng = random.Random(20240601)
    orders = [str(rng.randrange(10**17, 10**18)) for _ in range(1000)]
    assert column(CN, orders, "order_no") < 0.5


def test_when_column_holds_valid_ids_then_confidence_is_high():
    rng = random.Random(7)
    assert column(CN, [ric(rng) for _ in range(200)], "sfzh") >= 0.9
    assert column(CN, [ric(rng) for _ in range(200)], "guest.身份证号") >= 0.9


def test_when_legacy_ids_then_only_a_named_column_counts():
    legacy = ["110105490101123", "440308851231002", "650104700615555"]
    assert column(CN, legacy, "sfzh") >= 0.5
    assert column(CN, legacy, "amount") < 0.5


def test_when_product_codes_pass_hkid_check_by_chance_then_column_is_not_hkid():
    rng = random.Random(3)
    codes = [rng.choice("ABCDEFGH") + f"{rng.randrange(10**7):07d}" for _ in range(1000)]
    assert column(HK, codes, "sku") < 0.5
    valid = [f"{p}{d}({hk_id.check_digit(p, d)})" for p, d in (("CA", "182361"), ("A", "123456"), ("Z", "683365"))]
    assert column(HK, valid, "hkid") >= 0.9


def test_when_codes_pass_twid_check_by_chance_then_column_is_not_twid():
    rng = random.Random(5)
    codes = [rng.choice("ABCDEF") + rng.choice("12") + f"{rng.randrange(10**8):08d}" for _ in range(1000)]
    assert column(TW, codes, "serial") < 0.5
    valid = [b + tw_id.check_digit(b) for b in (c[:9] for c in codes[:50])]
    assert column(TW, valid, "身分證字號") >= 0.9


def test_when_bare_nine_digit_numbers_then_ssn_needs_a_field_name():
    rng = random.Random(11)
    nums = [f"{rng.randrange(10**8, 9 * 10**8)}" for _ in range(500)]
    assert column(SSN, nums, "order_id") < 0.5
    assert column(SSN, nums, "ssn") >= 0.5


def test_when_dates_without_birth_context_then_not_dob():
    rng = random.Random(13)
    days = [datetime.date(1990, 1, 1) + datetime.timedelta(days=rng.randrange(10000)) for _ in range(300)]
    assert column(DOB, [f"{d:%Y-%m-%d}" for d in days], "created_at") < 0.5
    assert column(DOB, days, "created_at") < 0.5
    assert column(DOB, [f"{d:%Y-%m-%d}" for d in days], "csrq") >= 0.9
    assert column(DOB, [datetime.datetime(d.year, d.month, d.day) for d in days], "birth_date") >= 0.9


def test_when_plate_column_then_confident():
    assert column(PLATE, ["京A·12345", "沪AD12345", "粤B1234挂", "苏E 12345"], "hphm") >= 0.9


# -- text level ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "det,a,b",
    [
        (CN, "440308199901011234", "11010519491231002X"),
        (HK, "CA182361(1)", "A1234563"),
        (TW, "A123456789", "F131104093"),
        (SSN, "536-90-4399", "123-45-6780"),
        (PLATE, "京A12345", "沪AD12345"),
        (DOB, "1985-06-15", "1990-01-02"),
    ],
    ids=lambda x: getattr(x, "id", "v"),
)
@pytest.mark.parametrize("sep", [",", ", ", " ", ";", "、", "\n"])
def test_when_values_are_listed_then_each_is_found_with_exact_offsets(det, a, b, sep):
    text = f"x {a}{sep}{b} y"
    hits = det.scan_text(text)
    assert [text[h.start : h.end] for h in hits] == [a, b]


def test_when_legacy_id_in_text_then_keyword_decides_and_caps_the_score():
    assert max(h.score for h in CN.scan_text("ref 110105490101123")) < 0.5
    hits = CN.scan_text("身份证号 110105490101123")
    assert 0.5 <= hits[0].score <= 0.75


def test_when_id_has_full_width_digits_in_text_then_normalised():
    hits = CN.scan_text("身份证：\uff14\uff14\uff10\uff13\uff10\uff18199901011234。")
    assert [h.value for h in hits] == ["440308199901011234"]


def test_when_another_number_stands_between_keyword_and_date_then_not_dob():
    hits = DOB.scan_text("DOB: 15/06/1985, admitted 2024-01-02")
    assert [(h.value, h.score >= 0.5) for h in hits] == [("1985-06-15", True), ("2024-01-02", False)]


def test_when_plate_is_written_with_separators_then_value_is_normalised():
    assert [h.value for h in PLATE.scan_text("车牌：京A·12345，浙C-1234警")] == ["京A12345", "浙C1234警"]


@given(st.text("0123456789", min_size=9, max_size=9))
def test_when_nine_digits_then_ssn_validation_agrees_with_stdnum(s):
    for form in (s, f"{s[:3]}-{s[3:5]}-{s[5:]}"):
        assert (SSN.validate(form) is not None) == stdnum_ssn.is_valid(form)


@pytest.mark.parametrize("det", ALL, ids=lambda d: d.id)
@pytest.mark.parametrize("kind", ["digits", "mixed", "fillers"])
def test_when_input_is_regex_hostile_then_scan_finishes(det, kind):
    rng = random.Random(1)
    text = {
        "digits": "".join(rng.choice("0123456789") for _ in range(1_000_000)),
        "mixed": ("京A1" * 250_000),
        "fillers": "<" * 500_000 + "\n" + "1-" * 250_000,
    }[kind]
    det.scan_text(text)
    det.scan_column([text], [text], FieldContext("sfzh"))


def test_card_network_lookup_by_prefix_equals_the_range_scan():
    """card_iin.network looks the first four digits up in a table built from _IIN; the
    linear scan over _IIN is the reference, for every prefix and card length."""
    from spillguard.validators import card_iin as cc

    for p in range(10_000):
        for n in range(12, 21):
            digits = f"{p:04d}" + "7" * (n - 4)
            assert cc.network(digits) == cc._scan_iin(digits), digits
    assert cc.network("4111111111111111") == "Visa"
