"""Phone numbers through ``phonenumbers`` (libphonenumber metadata tracks new ranges).

Numbers with a leading + (or 00/0086) are parsed as international; others with a default
region (CN). ``validate`` returns the E.164 form and the number type.

Chinese mobile numbers (the bulk of what a Chinese store holds) skip ``parse``, which
costs ~25 µs a number: an 11-digit national number 1[3-9]…, bare or after +86, is typed
straight against libphonenumber's own CN metadata, in the order ``number_type`` uses.
tests/validators/test_phone_fast_path.py checks the two agree."""

from __future__ import annotations

import re
from functools import lru_cache
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
    if region == "CN" or t.startswith("+86"):
        m = _CN_MOBILE.fullmatch(t)
        if m is not None:
            return _cn_mobile(m.group(1) + m.group(2) + m.group(3))
    return _parsed(t, region)


def _parsed(t: str, region: str) -> PhoneInfo | None:
    """The general path: libphonenumber parses ``t`` (00 already turned into +)."""
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
    e164 = phonenumbers.format_number(num, phonenumbers.PhoneNumberFormat.E164)
    return _info(e164, phonenumbers.region_code_for_number(num), typ)


def _info(e164: str, region: str | None, typ: int) -> PhoneInfo:
    return PhoneInfo(e164, region, "mobile" if typ in MOBILE else "fixed line" if typ in FIXED else "other")


def is_valid(text: str, region: str = "CN") -> bool:
    return validate(text, region) is not None


# 1[3-9]x xxxx xxxx in ASCII digits, optionally after +86, with spaces or hyphens between
# the groups as the detector's pattern allows. 179… still goes the full way: CN's national
# prefix for parsing strips a 179xx carrier code (as it does 11xx/12xx, not matched here).
_CN_MOBILE = re.compile(r"(?:\+86[ \-]?)?(1[3-9][0-9])[ \-]?([0-9]{4})[ \-]?([0-9]{4})")
_CN = phonenumbers.PhoneMetadata.metadata_for_region("CN")
# (desc name, type) in number_type's order; FIXED_LINE is handled after them, as it does
_CN_ORDER = (
    ("premium_rate", T.PREMIUM_RATE), ("toll_free", T.TOLL_FREE), ("shared_cost", T.SHARED_COST),
    ("voip", T.VOIP), ("personal_number", T.PERSONAL_NUMBER), ("pager", T.PAGER), ("uan", T.UAN),
    ("voicemail", T.VOICEMAIL),
)

Desc = tuple[re.Pattern, frozenset[int]] | None  # national-number pattern, possible lengths (empty: any)


@lru_cache(maxsize=None)  # compiled on first use: the fixed-line pattern is large
def _cn_desc(name: str) -> Desc:
    desc = getattr(_CN, name)
    if desc is None or not desc.national_number_pattern:
        return None  # matches nothing
    return re.compile(desc.national_number_pattern), frozenset(desc.possible_length or ())


def _fits(desc: Desc, length: int) -> bool:
    return desc is not None and (not desc[1] or length in desc[1])


@lru_cache(maxsize=None)  # one per national-number length
def _cn_typer(length: int) -> tuple[re.Pattern, dict[str, int]] | None:
    """``number_type`` for CN national numbers of ``length`` digits in one regex: the
    general desc as a lookahead, then the desc of each type that allows the length, in
    number_type's order, as a named alternative (fullmatch takes the first alternative
    that matches the whole number, as number_type takes the first type; the match's
    ``lastgroup`` names it). None: the general desc rules the length out."""
    general = _cn_desc("general_desc")
    if not _fits(general, length):
        return None
    order = [*_CN_ORDER, ("fixed_line", T.FIXED_LINE)]
    if not _CN.same_mobile_and_fixed_line_pattern:  # else a mobile number matched as fixed line
        order.append(("mobile", T.MOBILE))
    alternatives = [(name, typ) for name, typ in order if _fits(_cn_desc(name), length)]
    body = "|".join(f"(?P<{name}>{_cn_desc(name)[0].pattern})" for name, _ in alternatives) or "(?!)"
    return re.compile(rf"(?=(?:{general[0].pattern})\Z)(?:{body})"), dict(alternatives)


def _cn_type(national: str) -> int:
    """``number_type`` of a CN national number (phonenumbers' _number_type_helper)."""
    typer = _cn_typer(len(national))
    m = typer[0].fullmatch(national) if typer is not None else None
    if m is None:
        return T.UNKNOWN
    typ = typer[1][m.lastgroup]
    if typ == T.FIXED_LINE and (_CN.same_mobile_and_fixed_line_pattern or _matches(national, _cn_desc("mobile"))):
        return T.FIXED_LINE_OR_MOBILE
    return typ


def _matches(national: str, desc: Desc) -> bool:
    return _fits(desc, len(national)) and desc[0].fullmatch(national) is not None


def _cn_mobile(national: str) -> PhoneInfo | None:
    if national.startswith("179"):
        return _parsed(national, "CN")
    typ = _cn_type(national)
    return None if typ == T.UNKNOWN else _info("+86" + national, "CN", typ)
