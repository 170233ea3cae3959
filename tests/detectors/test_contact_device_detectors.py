"""Contact, device and financial detectors: their own examples, the column-level verdicts
that separate real ID columns from look-alike serials, and value/reason details."""

from __future__ import annotations

import inspect
import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.detectors.base import ColumnStats, PatternDetector, evaluate_example, to_text
from spillguard.detectors.context import FieldContext
from spillguard.detectors.credit_card import CreditCardDetector
from spillguard.detectors.email_address import EmailAddressDetector
from spillguard.detectors.iban import IBANDetector
from spillguard.detectors.imei import IMEIDetector
from spillguard.detectors.imsi import IMSIDetector
from spillguard.detectors.ip_address import IPAddressDetector
from spillguard.detectors.mac_address import MACAddressDetector
from spillguard.detectors.phone_number import PhoneNumberDetector
from spillguard.entities import ENTITIES
from spillguard.validators import luhn

DETECTORS = [
    PhoneNumberDetector(), EmailAddressDetector(), IMEIDetector(), IMSIDetector(),
    MACAddressDetector(), IPAddressDetector(), CreditCardDetector(), IBANDetector(),
]
IMEI, CARD, IMSI = IMEIDetector(), CreditCardDetector(), IMSIDetector()


def _examples(kind):
    for d in DETECTORS:
        for i, ex in enumerate(d.positives if kind == "pos" else d.negatives):
            yield pytest.param(d, ex, id=f"{d.id}-{kind}{i}")


def column_confidence(det, values, path, siblings=()):
    ctx = FieldContext(path, frozenset(siblings))
    texts = [to_text(v) for v in values]
    hits, candidates, validated = det.scan_column(texts, list(values), ctx)
    stats = ColumnStats(
        nonempty=sum(t is not None for t in texts), candidates=candidates, validated=validated,
        rows=len({h.row for h in hits}), score_sum=sum(h.score for h in hits),
    )
    return det.confidence(stats, ctx)[0], hits, stats


def _digits(rnd, n, first="123456789"):
    return rnd.choice(first) + "".join(rnd.choice("0123456789") for _ in range(n - 1))


def _imei(rnd):
    payload = rnd.choice(["35", "86", "49", "01"]) + "".join(rnd.choice("0123456789") for _ in range(12))
    return payload + luhn.check_digit(payload)


# -- contract ---------------------------------------------------------------------------
@pytest.mark.parametrize("det", DETECTORS, ids=lambda d: d.id)
def test_detector_metadata(det):
    assert isinstance(det, PatternDetector)
    assert det.id and det.entity in ENTITIES
    assert det.description.strip() and "\n" not in det.description
    assert det.field_names and det.text_keywords
    for examples in (det.positives, det.negatives):
        assert len(examples) >= 4
        assert any(e.field is None for e in examples) and any(e.field for e in examples)
    assert len(Path(inspect.getfile(type(det))).read_text().splitlines()) < 100


@pytest.mark.parametrize("det,ex", list(_examples("pos")))
def test_positive_example(det, ex):
    assert evaluate_example(det, ex) >= 0.5


@pytest.mark.parametrize("det,ex", list(_examples("neg")))
def test_negative_example(det, ex):
    assert evaluate_example(det, ex) < 0.5


@pytest.mark.parametrize("det,ex", list(_examples("pos")))
def test_reasons_never_echo_the_value(det, ex):
    hits = det.scan_text(str(ex.value))
    for h in hits:
        assert h.value not in h.reason and str(ex.value)[h.start : h.end] not in h.reason


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_scan_text_never_raises(text):
    for det in DETECTORS:
        for h in det.scan_text(text):
            assert 0 <= h.start < h.end <= len(text) and 0.0 <= h.score <= 1.0


# -- columns: look-alikes vs real IDs -------------------------------------------------
def test_random_15_digit_serials_are_neither_imei_nor_card():
    rnd = random.Random(1501)
    serials = [_digits(rnd, 15) for _ in range(1000)]
    passing = sum(luhn.is_valid(s) for s in serials)
    assert 60 <= passing <= 140  # about 10 % pass Luhn by chance
    for det in (IMEI, CARD, IMSI):
        conf, _, _ = column_confidence(det, serials, "serial_no")
        assert conf < 0.5, det.id


def test_column_of_valid_imeis_named_imei():
    rnd = random.Random(7)
    conf, hits, stats = column_confidence(IMEI, [_imei(rnd) for _ in range(200)], "imei")
    assert conf >= 0.9 and stats.validated == 200 and len(hits) == 200


def test_imei_column_beside_imsi_and_mac_fields():
    rnd = random.Random(8)
    conf, _, _ = column_confidence(IMEI, [_imei(rnd) for _ in range(50)], "device_code", ("imsi", "mac"))
    assert conf >= 0.9
    conf, _, _ = column_confidence(IMEI, [_imei(rnd) for _ in range(50)], "device_code")
    assert conf < 0.5


def test_imeis_are_not_credit_cards():
    rnd = random.Random(9)
    conf, hits, _ = column_confidence(CARD, [_imei(rnd) for _ in range(200)], "imei")
    assert conf == 0.0 and not hits


def test_random_16_digit_order_ids_are_not_credit_cards():
    rnd = random.Random(1601)
    conf, _, stats = column_confidence(CARD, [_digits(rnd, 16) for _ in range(1000)], "order_id")
    assert conf < 0.5 and stats.precision < 0.1


def test_column_of_valid_cards():
    rnd = random.Random(10)
    cards = []
    for _ in range(100):
        payload = rnd.choice(["4", "51", "62", "3530"])
        payload += "".join(rnd.choice("0123456789") for _ in range(15 - len(payload)))
        cards.append(payload + luhn.check_digit(payload))
    assert column_confidence(CARD, cards, "card_no")[0] >= 0.9
    assert column_confidence(CARD, cards, "银行卡号")[0] >= 0.9
    assert column_confidence(CARD, cards, "payment")[0] >= 0.9  # shape alone is strong


def test_imsi_column_and_look_alikes():
    rnd = random.Random(11)
    imsis = ["46000" + "".join(rnd.choice("0123456789") for _ in range(10)) for _ in range(100)]
    assert column_confidence(IMSI, imsis, "imsi")[0] >= 0.9
    assert column_confidence(IMSI, imsis, "order_id")[0] < 0.5


def test_phone_column_and_timestamp_column():
    rnd = random.Random(12)
    mobiles = ["1" + rnd.choice("3589") + "".join(rnd.choice("0123456789") for _ in range(9)) for _ in range(100)]
    conf, hits, _ = column_confidence(PhoneNumberDetector(), mobiles, "sjhm")
    assert conf >= 0.9 and all(h.value.startswith("+86") for h in hits)
    stamps = [str(rnd.randrange(1_000_000_000, 1_999_999_999)) for _ in range(100)]
    stamps += [str(rnd.randrange(1_000_000_000_000, 1_999_999_999_999)) for _ in range(100)]
    conf, hits, stats = column_confidence(PhoneNumberDetector(), stamps, "created_at")
    assert conf == 0.0 and stats.candidates == 0


def test_field_names_in_chinese_and_pinyin():
    assert column_confidence(PhoneNumberDetector(), ["13812345678"], "lxdh")[0] >= 0.9
    assert column_confidence(EmailAddressDetector(), ["a@example.com"], "邮箱")[0] >= 0.9
    assert column_confidence(MACAddressDetector(), ["001A2B3C4D5E"], "物理地址")[0] >= 0.5
    assert column_confidence(IPAddressDetector(), ["10.0.0.1"], "登录ip")[0] >= 0.9


# -- values and reasons -----------------------------------------------------------------
def test_phone_value_is_e164_and_separators_are_accepted():
    det = PhoneNumberDetector()
    text = "call 131 2345 6789, 131-2345-6789 or +86 13123456789; office 0755-12345678"
    hits = det.scan_text(text)
    assert [h.value for h in hits] == ["+8613123456789"] * 3 + ["+8675512345678"]
    assert hits[0].score >= 0.85 and "mobile" in hits[0].reason


def test_ip_reasons_and_scores():
    det = IPAddressDetector()
    by_value = {h.value: h for h in det.scan_text("from 8.8.8.8 via 10.0.0.1 and 127.0.0.1 net 10.0.0.0/8")}
    assert by_value["8.8.8.8"].score == 0.8 and "public" in by_value["8.8.8.8"].reason
    assert by_value["10.0.0.1"].score == 0.6 and "private" in by_value["10.0.0.1"].reason
    assert by_value["127.0.0.1"].score < 0.5 and "loopback" in by_value["127.0.0.1"].reason
    assert by_value["10.0.0.0/8"].score < 0.5
    assert det.scan_text("ip 127.0.0.1")[0].score < 0.5  # a keyword does not lift loopback


@pytest.mark.parametrize("text", ["v1.2.3.4", "version 1.2.3.4", "Version: 10.0.0.1", "firmware 2.4.0.17", "1.3.6.1.4.1.9"])
def test_ip_version_strings_and_oids_are_not_ips(text):
    assert IPAddressDetector().scan_text(text) == []


def test_mac_reason_flags_randomised_and_group():
    det = MACAddressDetector()
    hits = det.scan_text("aps da:a1:19:00:11:22, 01:00:5e:00:00:01, 00:1a:2b:3c:4d:5e")
    reasons = [h.reason for h in hits]
    assert "locally administered (randomised)" in reasons[0]
    assert "group" in reasons[1] and reasons[2] == "universal"
    assert det.scan_text("hash 001A2B3C4D5E") == []  # bare hex in text needs the word MAC
    assert det.scan_text("MAC 001A2B3C4D5E")[0].value == "00:1a:2b:3c:4d:5e"


def test_imei_with_separators_and_keyword():
    hits = IMEI.scan_text("IMEI: 35-209900-176148-1")
    assert hits[0].value == "352099001761481" and hits[0].score >= 0.85
    assert IMEI.scan_text("ref 35-209900-176148-1")[0].score < 0.5


def test_iban_spaces_and_trailing_token():
    hits = IBANDetector().scan_text("pay GB29 NWBK 6016 1331 9268 19 X today")
    assert [(h.value, h.score) for h in hits] == [("GB29NWBK60161331926819", 0.95)]


def test_email_normalised_and_look_alikes_rejected():
    det = EmailAddressDetector()
    assert [h.value for h in det.scan_text("Mail: Zhang.Wei@Example.COM")] == ["zhang.wei@example.com"]
    assert det.scan_text("icon@2x.png a..b@example.com user@localhost") == []
