"""Validators for contact, device and financial identifiers: worked examples,
differential tests against python-stdnum, phonenumbers and ipaddress, and hypothesis
properties (arbitrary text never raises; one changed digit breaks Luhn / mod 97)."""

from __future__ import annotations

import ipaddress
import random

import phonenumbers
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban
from stdnum import imei as stdnum_imei
from stdnum import luhn as stdnum_luhn

from spillguard.validators import iban, imei, imsi, ip, luhn, mac, phone

digits = st.text(alphabet="0123456789", min_size=1, max_size=24)
anything = st.text(max_size=80)


def _change_one_digit(number: str, data) -> str:
    positions = [i for i, c in enumerate(number) if c.isdigit()]
    i = data.draw(st.sampled_from(positions))
    new = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    return number[:i] + new + number[i + 1 :]


# -- luhn -----------------------------------------------------------------------------
@given(digits)
def test_luhn_agrees_with_stdnum(number):
    assert luhn.is_valid(number) == stdnum_luhn.is_valid(number)


@given(digits, st.data())
def test_luhn_check_digit_makes_valid_and_any_single_digit_change_breaks_it(payload, data):
    number = payload + luhn.check_digit(payload)
    assert luhn.is_valid(number)
    assert not luhn.is_valid(_change_one_digit(number, data))


@given(anything)
def test_luhn_never_raises(text):
    luhn.is_valid(text)
    luhn.check_digit(text)


@pytest.mark.parametrize("value", ["", "12a4", "４１１１", None, 4111111111111111])
def test_luhn_rejects_non_digit_input(value):
    assert luhn.is_valid(value) is False


# -- IMEI -----------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["490154203237518", "35-209900-176148-1", "35 209900 176148 1", "356938035643809"])
def test_imei_valid_examples(value):
    assert imei.is_valid(value)


@pytest.mark.parametrize("value", ["490154203237519", "49015420323751", "4901542032375180", "abc", ""])
def test_imei_invalid_examples(value):
    assert not imei.is_valid(value)


@given(st.text(alphabet="0123456789", min_size=15, max_size=15))
def test_imei_agrees_with_stdnum_on_15_digits(number):
    assert imei.is_valid(number) == stdnum_imei.is_valid(number)


@given(st.text(alphabet="0123456789", min_size=14, max_size=14), st.data())
def test_imei_single_digit_change_fails(payload, data):
    number = payload + luhn.check_digit(payload)
    assert imei.is_valid(number)
    assert not imei.is_valid(_change_one_digit(number, data))


def test_imeisv_needs_known_reporting_body():
    assert imei.validate_sv("3569380356438091") == "3569380356438091"
    assert stdnum_imei.is_valid("3569380356438091")
    assert imei.validate_sv("4111111111111111") is None  # RBI 41 unknown: a card, not an IMEISV
    assert imei.validate_sv("356938035643809") is None


@given(anything)
def test_imei_never_raises(text):
    imei.validate(text)
    imei.validate_sv(text)


# -- IMSI -----------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["460001234567890", "460110123456789", "46020123456789", "454001234567890", "310150123456789"])
def test_imsi_valid_examples(value):
    assert imsi.is_valid(value)


@pytest.mark.parametrize(
    "value", ["460991234567890", "999001234567890", "4600012345678901", "4600012345678", "46000123456789a", ""]
)
def test_imsi_invalid_examples(value):
    assert not imsi.is_valid(value)


def test_imsi_country_and_chinese_operators():
    assert imsi.country("466921234567890") == "TW"
    for mnc in ("00", "01", "02", "03", "04", "05", "06", "07", "08", "09", "11", "15", "20"):
        assert imsi.is_valid(f"460{mnc}1234567890")


@given(anything)
def test_imsi_never_raises(text):
    imsi.validate(text)


# -- MAC ------------------------------------------------------------------------------
@pytest.mark.parametrize("value", ["00:1A:2B:3C:4D:5E", "00-1a-2b-3c-4d-5e", "001a.2b3c.4d5e", "001A2B3C4D5E"])
def test_mac_forms_normalise_to_colon_lower_case(value):
    assert mac.validate(value) == "00:1a:2b:3c:4d:5e"


@pytest.mark.parametrize("value", ["ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "10:2F:33-AC-29-C3", "00:1A:2B:3C:4D", "ZZ:ZZ:ZZ:ZZ:ZZ:ZZ"])
def test_mac_rejects_broadcast_zero_mixed_and_malformed(value):
    assert mac.validate(value) is None


def test_mac_kind_reads_the_first_octet_bits():
    assert mac.kind("00:1a:2b:3c:4d:5e") == "universal"
    assert mac.kind("da:a1:19:00:11:22") == "locally administered (randomised)"
    assert mac.kind("01:00:5e:00:00:01") == "group"
    assert mac.kind("03:00:00:00:00:01") == "group, locally administered (randomised)"


@given(anything)
def test_mac_never_raises(text):
    mac.validate(text)


# -- IP -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,scope",
    [
        ("8.8.8.8", "public"),
        ("10.0.0.1", "private"),
        ("192.168.1.1", "private"),
        ("127.0.0.1", "loopback"),
        ("169.254.1.1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("255.255.255.255", "broadcast"),
        ("2400:c401::5054:ff:fe1b:b031", "public"),
        ("fe80::1%eth0", "link-local"),
        ("::1", "loopback"),
        ("::ffff:10.0.0.1", "private"),
        ("ff02::1", "multicast"),
    ],
)
def test_ip_scope(value, scope):
    info = ip.validate(value)
    assert info is not None and info.scope == scope and not info.network


def test_ip_networks_and_mapped_addresses():
    assert ip.validate("192.168.1.0/24") == ("192.168.1.0/24", 4, "private", True)
    assert ip.validate("192.168.1.1/32").network is False
    assert ip.validate("::ffff:192.0.2.1").value == "192.0.2.1"
    assert ip.validate("2001:0db8:0000::0001").value == "2001:db8::1"


@pytest.mark.parametrize("value", ["256.1.1.1", "192.168.1", "192.168.01.1", "2001::db8::1", "12:34:56", "1.2.3.4.5", ""])
def test_ip_invalid(value):
    assert ip.validate(value) is None


@given(st.ip_addresses())
def test_ip_agrees_with_ipaddress(addr):
    info = ip.validate(str(addr))
    assert info is not None and info.version == addr.version
    assert ipaddress.ip_address(info.value) in (addr, getattr(addr, "ipv4_mapped", None))


@given(anything)
def test_ip_never_raises(text):
    ip.validate(text)


# -- phone ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "value,e164,kind",
    [
        ("13123456789", "+8613123456789", "mobile"),
        ("131 2345 6789", "+8613123456789", "mobile"),
        ("+86 131-2345-6789", "+8613123456789", "mobile"),
        ("0086 138 1234 5678", "+8613812345678", "mobile"),
        ("010-12345678", "+861012345678", "fixed line"),
        ("0937-1234567", "+869371234567", "fixed line"),
        ("+44 20 7123 4567", "+442071234567", "fixed line"),
    ],
)
def test_phone_examples(value, e164, kind):
    info = phone.validate(value)
    assert info is not None and info.e164 == e164 and info.kind == kind


@pytest.mark.parametrize("value", ["1700000000", "1700000000123", "12345678901", "0755-1234567", "+1 555", "", "tel"])
def test_phone_rejects_timestamps_and_invalid_ranges(value):
    assert phone.validate(value) is None


@settings(max_examples=300)
@given(st.text(alphabet="0123456789", min_size=9, max_size=9), st.sampled_from("3456789"))
@example(rest="900002110", second="7")  # found by hypothesis: phonenumbers.parse raises
@example(rest="900002100", second="7")
def test_phone_agrees_with_phonenumbers_on_cn_mobiles(rest, second):
    number = "1" + second + rest
    try:
        expected = phonenumbers.is_valid_number(phonenumbers.parse(number, "CN"))
    except phonenumbers.NumberParseException:  # 179xx… : CN's carrier-code prefix, stripped, leaves too little
        expected = False
    info = phone.validate(number)
    assert (info is not None) == expected
    if info:
        assert info.e164 == "+86" + number


@settings(max_examples=400)
@given(st.sampled_from(["+1", "+44", "+49", "+86", "+852", "+886", "+7", "+91", "+800", "+882", "0", "00", ""]),
       st.text(alphabet="0123456789", min_size=4, max_size=13))
def test_phone_validity_is_phonenumbers_is_valid_number(prefix, digits):
    """validate() asks number_type() once instead of is_valid_number() and number_type():
    the answer must be the same for any number, international or national."""
    text = prefix + digits
    t = "+" + text[2:] if text.startswith("00") and not text.startswith("000") else text
    try:
        num = phonenumbers.parse(t, None if t.startswith("+") else "CN")
        expected = phonenumbers.is_valid_number(num)
    except phonenumbers.NumberParseException:
        expected = False
    assert (phone.validate(text) is not None) == expected


@given(anything)
def test_phone_never_raises(text):
    phone.validate(text)


# -- IBAN -----------------------------------------------------------------------------
VALID_IBANS = [
    "DE89370400440532013000",
    "GB29 NWBK 6016 1331 9268 19",
    "FR14 2004 1010 0505 0001 3M02 606",
    "NL91ABNA0417164300",
    "AL47-2121-1009-0000-0002-3569-8741",
    "VG96VPVG0000012345678901",
]


@pytest.mark.parametrize("value", VALID_IBANS)
def test_iban_valid_examples(value):
    assert iban.validate(value) == stdnum_iban.compact(value)


@pytest.mark.parametrize("value", ["DE89370400440532013001", "GB29NWBK60161331926", "AB150120690000003111141", "AM47212110090000000235698740", ""])
def test_iban_invalid_examples(value):
    assert iban.validate(value) is None


def test_iban_national_check_is_optional():
    # mod 97 and length are right; stdnum's Belgian bank registry does not know bank 539
    assert iban.validate("BE68539007547034") is None
    assert iban.validate("BE68539007547034", check_country=False) == "BE68539007547034"


@given(st.sampled_from(VALID_IBANS), st.data())
def test_iban_single_digit_change_fails_mod_97(value, data):
    compact = stdnum_iban.compact(value)
    changed = _change_one_digit(compact, data)
    assert not iban.is_valid(changed, check_country=False)


@settings(max_examples=300)
@given(st.sampled_from(["DE", "GB", "FR", "NL", "ES", "IT", "BE", "CH"]), st.data())
def test_iban_agrees_with_stdnum_on_generated_numbers(country, data):
    template = {"DE": "370400440532013000", "GB": "NWBK60161331926819", "FR": "20041010050500013M02606",
                "NL": "ABNA0417164300", "ES": "21000418450200051332", "IT": "X0542811101000000123456",
                "BE": "539007547034", "CH": "00762011623852957"}[country]
    rnd = random.Random(data.draw(st.integers(0, 2**32)))
    bban = "".join(rnd.choice("0123456789") if c.isdigit() else c for c in template)
    number = country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban
    for flag in (True, False):
        assert iban.is_valid(number, flag) == stdnum_iban.is_valid(number, check_country=flag)
    assert iban.is_valid(number, check_country=False)


@given(anything)
def test_iban_never_raises(text):
    iban.validate(text)
    iban.validate(text, check_country=False)


# -- IPv4 fast path -----------------------------------------------------------------------
@settings(max_examples=500)
@given(st.tuples(*[st.sampled_from([0, 1, 9, 10, 100, 127, 169, 172, 192, 198, 203, 224, 240, 254, 255])
                   | st.integers(0, 300) | st.integers(0, 99999) for _ in range(4)]), st.booleans())
def test_ipv4_fast_path_agrees_with_ipaddress(octets, zero_pad):
    """Also on the dotted digit runs the fast path turns away without asking ipaddress
    (an octet over 255, a leading zero: version strings in logs)."""
    text = ".".join(f"{o:02d}" if zero_pad and o < 10 else str(o) for o in octets)
    assert ip.validate(text) == ip.parse(text)


@pytest.mark.parametrize("text", [
    "100.63.255.255", "100.64.0.0", "100.127.255.255", "100.128.0.1", "172.15.255.255", "172.16.0.0",
    "172.31.255.255", "172.32.0.0", "198.17.255.255", "198.18.0.1", "198.19.255.255", "198.20.0.0",
    "169.253.255.255", "169.254.0.1", "192.0.0.8", "192.0.0.9", "192.0.0.170", "192.0.0.171", "192.0.0.172",
    "192.0.2.1", "192.88.99.1", "192.167.255.255", "192.168.0.0", "192.169.0.0", "203.0.113.1", "203.0.114.1",
    "0.0.0.0", "0.0.0.1", "0.1.0.0", "9.255.255.255", "10.0.0.0", "11.0.0.0", "126.255.255.255", "127.0.0.0",
    "128.0.0.0", "223.255.255.255", "224.0.0.0", "239.255.255.255", "240.0.0.0", "255.255.255.254",
    "255.255.255.255", "256.0.0.1", "1.2.3.04", "01.2.3.4", "1.2.3", "1.2.3.4.5", "1..2.3",
    "7.16.841.27", "1.2.3.4444", "00.0.0.0", "0.0.0.00", "1.2.3.4/8", "1.2.3.400/8", "1.2.3.4%eth0", "١.2.3.4",
])
def test_ipv4_fast_path_agrees_with_ipaddress_at_range_edges(text):
    assert ip.validate(text) == ip.parse(text)


def test_only_the_fine_blocks_hold_special_ranges_narrower_than_a_slash_8_16_or_24():
    """The fast path caches scope per /8 (per /16 inside FINE_8, per /24 inside FINE_16);
    that is exact only if every special range of ipaddress narrower than /8 lies in
    FINE_8, every one narrower than /16 in FINE_16 and every one narrower than /24 in
    FINE_BLOCKS (checked against this Python's tables)."""
    import ipaddress as ipa

    c = ipa._IPv4Constants
    nets = [n for v in vars(c).values() for n in (v if isinstance(v, list) else [v])
            if isinstance(n, ipa.IPv4Network)] + [ipa.ip_network("255.255.255.255/32"), ip._SHARED]
    nets += [ipa.ip_network(f"{c._unspecified_address}/32")]
    fine = {tuple(int(x) for x in str(n.network_address).split(".")[:3]) for n in nets if n.prefixlen > 24}
    assert fine and fine <= ip.FINE_BLOCKS
    fine16 = {tuple(int(x) for x in str(n.network_address).split(".")[:2]) for n in nets if n.prefixlen > 16}
    assert fine16 and fine16 <= ip.FINE_16 and {b[:2] for b in ip.FINE_BLOCKS} <= ip.FINE_16
    fine8 = {int(str(n.network_address).split(".")[0]) for n in nets if n.prefixlen > 8}
    assert fine8 and fine8 <= ip.FINE_8 and {b[0] for b in ip.FINE_16} <= ip.FINE_8
