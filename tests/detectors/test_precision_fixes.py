"""Three precision/recall faults the benchmark corpus exposed (make bench), kept fixed."""

from spillguard.validators import ip
from tests.pipeline import scan_text


def _count(text, entity):
    return sum(f.count for f in scan_text(text) if f.entity == entity)


def test_when_a_carrier_grade_nat_address_is_seen_then_it_is_a_private_ip():
    assert ip.validate("100.64.12.7") is not None
    assert _count("login from 100.64.12.7 at 10:00\n", "IP_ADDRESS") == 1


def test_when_a_second_bare_number_follows_an_ssn_keyword_then_it_is_not_an_ssn():
    assert _count("SSN: 536-90-4399 account 512345678\n", "US_SSN") == 1


def test_when_an_unbroken_18_digit_number_passes_luhn_then_it_needs_a_card_keyword():
    assert _count("order 651234567890123454 shipped\n", "CREDIT_CARD") == 0
    assert _count("credit card 651234567890123454\n", "CREDIT_CARD") == 1
