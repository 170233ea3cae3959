"""Payment card issuers (IIN ranges) and the card lengths each uses.

``network`` is the hot check of the card detector (every 13-19 digit run in a scan is a
candidate): the ranges are looked up by their first four digits (no range is longer) in
a table built once from _IIN; ``_scan_iin``, the plain scan over _IIN, is the
reference it is tested against."""

from __future__ import annotations

_ANY = range(13, 20)
_16_19 = range(16, 20)
# (first, last) prefix range with equal number of digits, lengths, network
_IIN = (
    ((4, 4), (13, 16, 19), "Visa"),
    ((51, 55), (16,), "Mastercard"),
    ((2221, 2720), (16,), "Mastercard"),
    ((34, 34), (15,), "American Express"),
    ((37, 37), (15,), "American Express"),
    ((62, 62), _16_19, "UnionPay"),
    ((6011, 6011), _16_19, "Discover"),
    ((644, 649), _16_19, "Discover"),
    ((65, 65), _16_19, "Discover"),
    ((3528, 3589), _16_19, "JCB"),
    ((36, 36), range(14, 20), "Diners Club"),
    ((38, 39), _16_19, "Diners Club"),
    ((300, 305), range(14, 20), "Diners Club"),
    ((5019, 5019), (16,), "Dankort"),
    ((5018, 5018), _ANY, "Maestro"),
    ((5020, 5020), _ANY, "Maestro"),
    ((5038, 5038), _ANY, "Maestro"),
    ((5893, 5893), _ANY, "Maestro"),
    ((6304, 6304), _ANY, "Maestro"),
    ((6759, 6759), _ANY, "Maestro"),
    ((6761, 6763), _ANY, "Maestro"),
)


def _leads() -> frozenset[str]:
    """The first two digits of every number some range in _IIN covers."""
    out: set[str] = set()
    for (lo, hi), _, _ in _IIN:
        if lo < 10:
            out.update(str(p) for p in range(lo * 10, (hi + 1) * 10))
        else:
            out.update(str(p)[:2] for p in range(lo, hi + 1))
    return frozenset(out)


LEADS = _leads()  # no card number starts with another pair of digits (detectors/lead.py)


def network(digits: str) -> str | None:
    """The issuer whose IIN range and lengths fit ``digits`` (first match in _IIN order)."""
    head = digits[:4]
    if len(head) < 4 or not (head.isascii() and head.isdigit()):
        return _scan_iin(digits)
    by_length = (_BY_PREFIX or _by_prefix()).get(head)
    return None if by_length is None else by_length.get(len(digits))


def _scan_iin(digits: str) -> str | None:
    for (lo, hi), lengths, name in _IIN:
        k = len(str(lo))
        if len(digits) in lengths and lo <= int(digits[:k]) <= hi:
            return name
    return None


_BY_PREFIX: dict[str, dict[int, str]] = {}


def _by_prefix() -> dict[str, dict[int, str]]:
    """_IIN as a lookup on the first four digits (no range is longer): per prefix, the
    network of each card length, the first in _IIN order. Built on first use, from the
    four-digit prefixes each range covers (a few thousand)."""
    if not _BY_PREFIX:
        for (lo, hi), lengths, name in _IIN:
            scale = 10 ** (4 - len(str(lo)))
            for p in range(lo * scale, (hi + 1) * scale):
                by_length = _BY_PREFIX.setdefault(f"{p:04d}", {})
                for n in lengths:
                    by_length.setdefault(n, name)
    return _BY_PREFIX
