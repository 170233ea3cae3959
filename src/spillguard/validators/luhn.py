"""Luhn (mod 10) check, as used by payment cards and IMEIs: a thin, never-raising wrapper
around ``stdnum.luhn``. Accepts about 10 % of random digit strings, so a Luhn pass alone
never decides; callers add structure (IIN, length) and context."""

from __future__ import annotations

from stdnum import luhn as _luhn


def is_valid(digits: str) -> bool:
    """True when ``digits`` is a non-empty string of ASCII digits that passes Luhn."""
    if not isinstance(digits, str) or not digits.isascii() or not digits.isdigit():
        return False
    return _luhn.is_valid(digits)


def check_digit(payload: str) -> str | None:
    """The digit to append to ``payload`` to make it pass Luhn; None for non-digits."""
    if not isinstance(payload, str) or not payload.isascii() or not payload.isdigit():
        return None
    return _luhn.calc_check_digit(payload)
