"""Hong Kong identity card number: one or two letters, six digits, check digit 0-9 or A
(often in parentheses), e.g. CA182361(1).

Check: a single letter is padded with a space worth 36; A-Z = 10-35; weights 9..2;
r = sum mod 11; check = 0 if r == 0, else 11 - r (10 written as A).
python-stdnum has no Hong Kong module, so the rule is written here."""

from __future__ import annotations

import re
import unicodedata

_RE = re.compile(r"([A-Z]{1,2})([0-9]{6})(?:\(([0-9A])\)|([0-9A]))")


def normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).upper()


def check_digit(prefix: str, digits: str) -> str:
    """The check character for a prefix of 1-2 letters and 6 digits."""
    values = ([36] if len(prefix) == 1 else []) + [ord(c) - 55 for c in prefix]
    values += [int(c) for c in digits]
    r = sum(v * w for v, w in zip(values, range(9, 1, -1))) % 11
    c = (11 - r) % 11
    return "A" if c == 10 else str(c)


def validate(text: str) -> str | None:
    """The compact number (``CA1823611``) when the check digit is right, else None."""
    if not isinstance(text, str) or len(text) > 32:
        return None
    m = _RE.fullmatch(normalise(text))
    if not m:
        return None
    prefix, digits = m.group(1), m.group(2)
    check = m.group(3) or m.group(4)
    return prefix + digits + check if check_digit(prefix, digits) == check else None


def is_valid(text: str) -> bool:
    return validate(text) is not None
