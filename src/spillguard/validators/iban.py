"""IBAN (ISO 13616): country code, 2 check digits, BBAN of a fixed length per country;
ISO 7064 mod 97-10 over the rearranged number. A never-raising wrapper around
``stdnum.iban`` (its registry holds the country lengths and BBAN structures).

``_validate`` is stdnum's ``iban.validate`` step by step without its per-call costs
(Unicode clean-up of ASCII input, the registry walk, the structure regex built anew):
the registry entry and structure regex are looked up once per country.
tests/validators/test_iban_fast_path.py checks it agrees with stdnum."""

from __future__ import annotations

import re
import string
from functools import lru_cache

from stdnum import iban as _iban
from stdnum import numdb

_DROP = str.maketrans("", "", " -.")  # stdnum's compact() separators
_AS_DIGITS = str.maketrans({c: str(n) for n, c in enumerate(string.ascii_uppercase, 10)})
_ALNUM = re.compile(r"[0-9A-Z]+")


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
    number = text.translate(_DROP).strip().upper()  # compact(), for ASCII text
    if not _ALNUM.fullmatch(number) or int((number[4:] + number[:4]).translate(_AS_DIGITS)) % 97 != 1:
        return None  # mod 97-10, stdnum's first check
    structure = _bban_structure(number[:2])
    if structure is None or not structure.match(number[4:]):
        return None
    if check_country:
        try:
            module = _iban._get_cc_module(number[:2])
            if module:
                module.validate(number)
        except Exception:  # noqa: BLE001 - stdnum raises ValidationError, guard the rest
            return None
    return number


@lru_cache(maxsize=None)  # one entry per two-character prefix seen
def _bban_structure(country: str) -> re.Pattern | None:
    """The BBAN regex of a registry country, None for an unknown prefix (the registry
    holds whole country codes only, so the first two characters decide)."""
    info = numdb.get("iban").info(country)
    if len(country) != 2 or not info[0][1]:
        return None
    return _iban._struct_to_re(info[0][1].get("bban", ""))


def is_valid(text: str, check_country: bool = True) -> bool:
    return validate(text, check_country) is not None
