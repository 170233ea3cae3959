"""Calendar dates: parse the common written forms and judge a plausible birth date.

Pure functions; ``today`` is a parameter so tests (and scans) can pin it."""

from __future__ import annotations

import datetime
import re
import unicodedata

MAX_AGE = 120

_YMD = re.compile(r"(\d{4})\s*([-/.年])\s*(\d{1,2})\s*([-/.月])\s*(\d{1,2})\s*日?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_DMY = re.compile(r"(\d{1,2})([-/.])(\d{1,2})([-/.])(\d{4})")
_PAIRS = {"-": "-", "/": "/", ".": ".", "年": "月"}


def real_date(year: int | str, month: int | str, day: int | str) -> datetime.date | None:
    """The date, or None when it does not exist (2023-02-29, month 13, year 0)."""
    try:
        return datetime.date(int(year), int(month), int(day))
    except (ValueError, TypeError, OverflowError):
        return None


def parse(text: str) -> datetime.date | None:
    """A date written as YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD, YYYY年M月D日 or
    DD/MM/YYYY (MM/DD/YYYY when DD/MM does not exist); None otherwise."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    s = unicodedata.normalize("NFKC", text).strip()
    m = _YMD.fullmatch(s)
    if m:
        if _PAIRS[m.group(2)] != m.group(4):
            return None
        return real_date(m.group(1), m.group(3), m.group(5))
    m = _COMPACT.fullmatch(s)
    if m:
        return real_date(*m.groups())
    m = _DMY.fullmatch(s)
    if m and m.group(2) == m.group(4):
        return real_date(m.group(5), m.group(3), m.group(1)) or real_date(
            m.group(5), m.group(1), m.group(3)
        )
    return None


def is_birth_date(d: datetime.date, today: datetime.date | None = None, max_age: int = MAX_AGE) -> bool:
    """Not in the future and less than ``max_age`` years ago."""
    today = today or datetime.date.today()
    if d > today:
        return False
    oldest = real_date(today.year - max_age, today.month, today.day) or datetime.date(
        today.year - max_age, today.month, 28
    )
    return d > oldest


def birth_date(text: str, today: datetime.date | None = None) -> datetime.date | None:
    """The parsed date when it is a plausible birth date, else None."""
    d = parse(text)
    return d if d is not None and is_birth_date(d, today) else None
