"""Machine-readable zones (ICAO Doc 9303): TD3 passports (2 x 44), TD2 (2 x 36) and TD1
identity cards (3 x 30), with their check digits.

Character values 0-9, A-Z = 10-35, '<' = 0; weights 7 3 1 repeating; check = sum mod 10.
An optional-data field that is all fillers may carry '<' as its check digit."""

from __future__ import annotations

import re
from dataclasses import dataclass

LENGTHS = {44: ("TD3", 2), 36: ("TD2", 2), 30: ("TD1", 3)}
_LINE = re.compile(r"[A-Z0-9<]+")


@dataclass(frozen=True)
class Mrz:
    kind: str  # TD1, TD2, TD3
    lines: tuple[str, ...]
    document_number: str
    birth: str  # YYMMDD as printed (century ambiguous)
    sex: str  # M, F or <


def _value(c: str) -> int:
    return 0 if c == "<" else int(c) if c.isdigit() else ord(c) - 55


def check_digit(field: str) -> str:
    return str(sum(_value(c) * (7, 3, 1)[i % 3] for i, c in enumerate(field)) % 10)


def _ok(field: str, check: str, optional: bool = False) -> bool:
    if optional and check == "<" and set(field) <= {"<"}:
        return True
    return check_digit(field) == check


def split(text: str) -> tuple[str, ...] | None:
    """The MRZ lines of a value: newline-separated, space-separated or run together."""
    if not isinstance(text, str) or len(text) > 120:
        return None
    parts = tuple(p for p in re.split(r"[\r\n ]+", text.strip()) if p)
    if len(parts) == 1 and len(parts[0]) in (88, 72, 90):
        n = {88: 44, 72: 36, 90: 30}[len(parts[0])]
        parts = tuple(parts[0][i : i + n] for i in range(0, len(parts[0]), n))
    if not parts or len({len(p) for p in parts}) != 1 or len(parts[0]) not in LENGTHS:
        return None
    if LENGTHS[len(parts[0])][1] != len(parts) or not all(_LINE.fullmatch(p) for p in parts):
        return None
    return parts


def validate(text: str) -> Mrz | None:
    lines = split(text)
    if lines is None:
        return None
    kind = LENGTHS[len(lines[0])][0]
    a, b = lines[0], lines[1]
    if kind == "TD1":
        if a[0] not in "IAC":
            return None
        checks = [(a[5:14], a[14]), (b[0:6], b[6]), (b[8:14], b[14])]
        composite = (a[5:30] + b[0:7] + b[8:15] + b[18:29], b[29])
        doc, birth, sex = a[5:14], b[0:6], b[7]
    else:
        if a[0] not in ("P" if kind == "TD3" else "PIACV"):
            return None
        end = len(b) - 1  # composite check is the last character
        checks = [(b[0:9], b[9]), (b[13:19], b[19]), (b[21:27], b[27])]
        if kind == "TD3" and not _ok(b[28:42], b[42], optional=True):
            return None
        composite = (b[0:10] + b[13:20] + b[21:end], b[end])
        doc, birth, sex = b[0:9], b[13:19], b[20]
    if not all(_ok(f, c) for f, c in checks) or not _ok(*composite):
        return None
    if sex not in "MFX<" or not birth.isdigit():
        return None
    return Mrz(kind, lines, doc.rstrip("<"), birth, sex)


def is_valid(text: str) -> bool:
    return validate(text) is not None
