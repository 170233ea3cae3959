"""IMEI (3GPP TS 23.003): 15 digits = TAC (8) + serial (6) + Luhn check digit, often
written with separators (35-209900-176148-1). IMEISV: TAC + serial + 2-digit software
version, 16 digits, no check digit.

The first two TAC digits are the Reporting Body Identifier (GSMA); an IMEISV has no
checksum, so it is accepted only with a known RBI. For IMEIs the RBI is informative
(``known_rbi``), not a rejection, so ``validate`` agrees with ``stdnum.imei`` on 15 digits."""

from __future__ import annotations

import re

from spillguard.validators import luhn

_SEP = re.compile(r"[\s\-/.]")

# GSMA Reporting Body Identifiers (first two TAC digits) in use.
RBI = frozenset(
    "00 01 10 30 33 35 44 45 49 50 51 52 53 54 86 91 98 99".split()
)


def compact(text: str) -> str:
    return _SEP.sub("", text) if isinstance(text, str) else ""


def known_rbi(digits: str) -> bool:
    return digits[:2] in RBI


def validate(text: str) -> str | None:
    """The 15 compact digits when they form a valid IMEI (length + Luhn), else None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    d = compact(text)
    if len(d) != 15 or not d.isascii() or not d.isdigit():
        return None
    return d if luhn.is_valid(d) else None


def validate_sv(text: str) -> str | None:
    """The 16 compact digits of a plausible IMEISV (known RBI), else None."""
    if not isinstance(text, str) or len(text) > 40:
        return None
    d = compact(text)
    if len(d) != 16 or not d.isascii() or not d.isdigit() or not known_rbi(d):
        return None
    return d


def is_valid(text: str) -> bool:
    return validate(text) is not None
