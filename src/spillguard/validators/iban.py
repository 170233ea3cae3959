"""IBAN (ISO 13616): country code, 2 check digits, BBAN of a fixed length per country;
ISO 7064 mod 97-10 over the rearranged number. A never-raising wrapper around
``stdnum.iban`` (its registry holds the country lengths and BBAN structures)."""

from __future__ import annotations

from functools import lru_cache

from stdnum import iban as _iban


def compact(text: str) -> str:
    return _iban.compact(text) if isinstance(text, str) else ""


def validate(text: str, check_country: bool = True) -> str | None:
    """The compact IBAN when country, length, BBAN structure and mod 97 are right, else
    None. ``check_country`` adds stdnum's national checks (BBAN check digits, and for
    some countries a bank registry that can lag behind real banks)."""
    if not isinstance(text, str) or not text or len(text) > 64 or not text.isascii():
        return None
    return _validate(text, bool(check_country))


@lru_cache(maxsize=4096)  # the IBAN detector asks up to three times per candidate
def _validate(text: str, check_country: bool) -> str | None:
    try:
        return _iban.validate(text, check_country=check_country)
    except Exception:  # noqa: BLE001 - stdnum raises ValidationError, guard the rest
        return None


def is_valid(text: str, check_country: bool = True) -> bool:
    return validate(text, check_country) is not None
