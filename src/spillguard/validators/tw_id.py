"""Taiwan national identification number: a letter, 1/2 (sex; 8/9 for the 2021 resident
certificate), 7 digits, a check digit, e.g. A123456789.

The letter's two-digit value and the nine digits are weighted 1 9 8 7 6 5 4 3 2 1 1;
the sum is 0 mod 10. python-stdnum only has the Taiwanese business number (tw.ubn)."""

from __future__ import annotations

import re
import unicodedata

LETTERS = dict(zip("ABCDEFGHIJKLMNOPQRSTUVWXYZ", [
    10, 11, 12, 13, 14, 15, 16, 17, 34, 18, 19, 20, 21,
    22, 35, 23, 24, 25, 26, 27, 28, 29, 32, 30, 31, 33,
]))  # fmt: skip
_RE = re.compile(r"[A-Z][1289][0-9]{8}")
_WEIGHTS = (1, 9, 8, 7, 6, 5, 4, 3, 2, 1, 1)


def normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().upper()


def checksum(number: str) -> int:
    """The weighted sum mod 10 (0 for a valid number); ``number`` is 10 characters."""
    v = LETTERS[number[0]]
    digits = [v // 10, v % 10] + [int(c) for c in number[1:]]
    return sum(d * w for d, w in zip(digits, _WEIGHTS)) % 10


def check_digit(first9: str) -> str:
    """The check digit completing the first nine characters."""
    return str((10 - checksum(first9 + "0")) % 10)


def validate(text: str) -> str | None:
    if not isinstance(text, str) or len(text) > 32:
        return None
    n = normalise(text)
    return n if _RE.fullmatch(n) and checksum(n) == 0 else None


def is_valid(text: str) -> bool:
    return validate(text) is not None


def sex(text: str) -> str | None:
    n = validate(text)
    return None if n is None else ("M" if n[1] in "18" else "F")
