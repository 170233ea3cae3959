"""PRC Resident Identity Card number (GB 11643-1999), 18 characters, and the legacy
15-digit form.

Wraps python-stdnum: its MOD 11-2 check (``stdnum.cn.ric.calc_check_digit``) and its
GB/T 2260 region database (``cn/loc``). We do NOT use ``stdnum.cn.ric.is_valid``: it
rejects a number whose county code did not exist in the holder's birth year, yet a
number keeps the code of the place where it was first issued, often a county created
later (measured: it rejects 37-63 % of realistic IDs). Here the province is strict and
the county lenient: known to the database at any time -> ``region_known``; unknown ->
still valid, lower confidence for the caller.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from stdnum import numdb
from stdnum.cn.ric import calc_check_digit

from spillguard.validators.dates import real_date

PROVINCES = frozenset(
    [*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47), *range(50, 55)]
    + [*range(61, 66), 71, 81, 82, 83]
)
# no resident ID starts with another pair of digits (detectors/lead.py): a province, or
# 9 and the first digit of a province (foreign permanent resident)
LEADS = frozenset({f"{p:02d}" for p in PROVINCES} | {f"9{p // 10}" for p in PROVINCES})
PERMIT_CODES = frozenset({"810000", "820000", "830000"})  # HK / Macau / Taiwan residents
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
_RE18 = re.compile(r"[0-9]{17}[0-9X]")
# The shapes with the province check in one regex: it turns away most look-alikes (order
# numbers, timestamps) in one C call. A foreign permanent resident ID (18 characters,
# starting with 9) has its province next.
_PROVINCE = "(?:" + "|".join(f"{p:02d}" for p in sorted(PROVINCES)) + ")"
_SHAPE18 = re.compile(rf"(?:{_PROVINCE}[0-9]|9{_PROVINCE})[0-9]{{14}}[0-9X]")
_SHAPE15 = re.compile(rf"{_PROVINCE}[0-9]{{13}}")
_LOADED = datetime.date.today()  # a date on or before it is not in the future


@dataclass(frozen=True)
class Ric:
    number: str  # normalised: ASCII digits, upper-case X
    birth_date: datetime.date
    sex: str  # "M" (odd sequence) or "F"
    region_known: bool  # county code known to the region database at any time
    legacy: bool  # 15-digit form without check character
    foreign: bool  # 2023 foreign permanent resident ID (starts with 9)


def normalise(text: str) -> str:
    """NFKC (full-width digits), zero-width characters removed, upper-case."""
    return unicodedata.normalize("NFKC", text).translate(_ZERO_WIDTH).strip().upper()


@lru_cache(maxsize=8192)
def code_known(code: str) -> bool:
    """Is this 6-digit address code in the region database, in any year?"""
    if code in PERMIT_CODES:
        return True
    props = {k: v for _, p in numdb.get("cn/loc").info(code) for k, v in p.items()}
    return "county" in props


def checksum_ok(text: str) -> bool:
    n = normalise(text) if isinstance(text, str) else ""
    return bool(_RE18.fullmatch(n)) and calc_check_digit(n) == n[17]


def validate(text: str, today: datetime.date | None = None) -> Ric | None:
    """The parsed number when valid (structure, province, date, check), else None."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    n = text.strip().upper() if text.isascii() else normalise(text)  # NFKC leaves ASCII alone
    if len(n) == 18 and _SHAPE18.fullmatch(n):
        if calc_check_digit(n) != n[17]:
            return None
        legacy, foreign = False, n[0] == "9"
        born, seq = real_date(n[6:10], n[10:12], n[12:14]), n[14:17]
    elif len(n) == 15 and _SHAPE15.fullmatch(n):
        legacy, foreign = True, False
        born, seq = real_date(1900 + int(n[6:8]), n[8:10], n[10:12]), n[12:15]
    else:
        return None
    if born is None or born.year < 1900 or _future(born, today):
        return None
    known = not foreign and code_known(n[:6])
    return Ric(n, born, "M" if int(seq) % 2 else "F", known, legacy, foreign)


def _future(d: datetime.date, today: datetime.date | None) -> bool:
    """Is ``d`` after ``today`` (default: the current date)? Asks the clock only for a
    date after the day this module was loaded."""
    if today is None:
        if d <= _LOADED:
            return False
        today = datetime.date.today()
    return d > today


def is_valid(text: str) -> bool:
    return validate(text) is not None


def birth_date(text: str) -> datetime.date | None:
    r = validate(text)
    return r.birth_date if r else None


def sex(text: str) -> str | None:
    r = validate(text)
    return r.sex if r else None


def region_known(text: str) -> bool:
    r = validate(text)
    return bool(r and r.region_known)
