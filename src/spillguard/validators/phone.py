"""Phone numbers through ``phonenumbers`` (libphonenumber metadata tracks new ranges).

Numbers with a leading + (or 00/0086) are parsed as international; others with a default
region (CN). ``validate`` returns the E.164 form and the number type."""

from __future__ import annotations

from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumberType as T

MOBILE = {T.MOBILE, T.FIXED_LINE_OR_MOBILE}
FIXED = {T.FIXED_LINE}


class PhoneInfo(NamedTuple):
    e164: str
    region: str | None  # ISO region of the number
    kind: str  # mobile, fixed line, other


def validate(text: str, region: str = "CN") -> PhoneInfo | None:
    """E.164, region and kind for a valid number, else None. Never raises."""
    if not isinstance(text, str) or not text or len(text) > 40:
        return None
    t = text.strip()
    if t.startswith("00") and not t.startswith("000"):
        t = "+" + t[2:]
    try:
        num = phonenumbers.parse(t, None if t.startswith("+") else region)
    except phonenumbers.NumberParseException:
        return None
    except Exception:  # noqa: BLE001 - libphonenumber must never break a scan
        return None
    # is_valid_number(num) is number_type(num) != UNKNOWN (both match the national number
    # against the metadata of region_code_for_number(num)); asking once halves the cost.
    # tests/validators/test_device_financial_validators.py checks they agree.
    typ = phonenumbers.number_type(num)
    if typ == T.UNKNOWN:
        return None
    kind = "mobile" if typ in MOBILE else "fixed line" if typ in FIXED else "other"
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return PhoneInfo(e164, phonenumbers.region_code_for_number(num), kind)


def is_valid(text: str, region: str = "CN") -> bool:
    return validate(text, region) is not None
