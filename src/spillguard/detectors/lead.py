"""A lookahead that turns a candidate away by its first two digits inside the
detector's own regex, before a Python frame sees it.

Logs and tables are full of digit runs shaped like an ID or a card (order numbers,
millisecond timestamps, trace numbers) whose first two digits no issuer or province
uses: measured on the bench corpus, 60-70 % of the card and resident-ID candidates in
free text. Each cost a trip through the candidate loop and the validator (~1.5 us) only
to be rejected by the validator's first table lookup. The allowed pairs come from the
validator's own table (``card_iin.LEADS``, ``cn_ric.LEADS``), so the regex and the
validator cannot disagree; anything that is not two ASCII digits (full-width digits, a
zero-width character, another script's digits) passes to the validator as before.
tests/detectors/test_lead.py proves no valid candidate is turned away.

One difference it makes, for the better: in "2024 4111 1111 1111 1111" the pattern alone
took "2024 4111 1111 1111" (no card: Luhn fails) and stepped over the card after it;
with the lead no match starts at "2024", so the card is found.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable


def lead_digits(allowed: Iterable[str]) -> str:
    """``(?=…)``: the next two characters are an allowed pair of ASCII digits, or are not
    two ASCII digits at all."""
    seconds: dict[str, set[str]] = defaultdict(set)
    for pair in allowed:
        if len(pair) != 2 or not (pair.isascii() and pair.isdigit()):
            raise ValueError(f"not a pair of ASCII digits: {pair!r}")
        seconds[pair[0]].add(pair[1])
    alternatives = [
        first + (next(iter(s)) if len(s) == 1 else "[" + "".join(sorted(s)) + "]")
        for first, s in sorted(seconds.items())
    ]
    return "(?=" + "|".join(alternatives + ["[0-9]?(?![0-9])"]) + ")"


DIGIT_PAIRS = frozenset(f"{i:02d}" for i in range(100))


def turned_away(allowed: Iterable[str]) -> frozenset[str]:
    """The pairs of ASCII digits ``lead_digits(allowed)`` turns away: on a column, a
    candidate starting with one is counted without a trip through the validator."""
    return DIGIT_PAIRS - frozenset(allowed)
