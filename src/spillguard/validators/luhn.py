"""Luhn (mod 10) check, as used by payment cards and IMEIs: a thin, never-raising wrapper
around ``stdnum.luhn``. Accepts about 10 % of random digit strings, so a Luhn pass alone
never decides; callers add structure (IIN, length) and context."""

from __future__ import annotations

from stdnum import luhn as _luhn


_DOUBLED = str.maketrans("0123456789", "0246813579")  # 2d, minus 9 when over 9


def is_valid(digits: str) -> bool:
    """True when ``digits`` is a non-empty string of ASCII digits that passes Luhn.

    Computed here with C-level string operations, not with ``stdnum.luhn``: card, IMEI
    and tracking-number candidates make this the most called check of a scan, and
    stdnum's generic alphabet handling is ~5x slower. tests/validators/test_device_financial_validators.py
    proves both agree on every input."""
    if not isinstance(digits, str) or not digits.isascii() or not digits.isdigit():
        return False
    # the byte values of ASCII digits sum to the digits' sum plus 48 per digit
    total = sum(digits[-1::-2].encode()) + sum(digits[-2::-2].translate(_DOUBLED).encode()) - 48 * len(digits)
    return total % 10 == 0


def check_digit(payload: str) -> str | None:
    """The digit to append to ``payload`` to make it pass Luhn; None for non-digits."""
    if not isinstance(payload, str) or not payload.isascii() or not payload.isdigit():
        return None
    return _luhn.calc_check_digit(payload)
