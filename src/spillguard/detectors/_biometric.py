"""Shared by the biometric detectors: binary values as stores hold them, and one column
detector for ISO/ANSI biometric records.

A binary value comes as raw bytes (BLOB, bytea), as base64 text (standard or URL-safe,
with MIME line breaks or a ``data:…;base64,`` prefix), or as hex text (``464d5200…``,
PostgreSQL's ``\\x464d…``). Only values whose first bytes carry one of the asked-for
magics are decoded, and none above ``MAX_BYTES``: a column of names costs a prefix test.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from functools import lru_cache
from typing import Any, Iterator, Sequence

from spillguard.detectors.column_view import Column, column
from spillguard.detectors.base import ColumnDetector, ColumnStats, Hit
from spillguard.detectors.context import FieldContext, name_matches
from spillguard.detectors.gate import enabled, marked_rows
from spillguard.validators.biometric_records import MAX_BYTES, parse

_WS = re.compile(r"\s+")
_URLSAFE = str.maketrans("-_", "+/")


@lru_cache(maxsize=64)
def _prefixes(magics: tuple[bytes, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """What the magics look like at the start of base64 and of hex text."""
    return tuple(base64.b64encode(m[:3]).decode() for m in magics), tuple(m.hex() for m in magics)


def _payload(s: str, magics: tuple[bytes, ...]) -> tuple[str, int] | None:
    """("base64" | "hex", offset of the payload) when text starts like an encoded magic."""
    at = len(s) - len(s.lstrip())
    if s.startswith("data:", at):
        comma = s.find(",", at, at + 128)
        if comma < 0 or ";base64" not in s[at:comma]:
            return None
        at = comma + 1
    b64, hexes = _prefixes(magics)
    if s[at : at + 8].translate(_URLSAFE).startswith(b64):
        return "base64", at
    if s.startswith(("\\x", "0x"), at):
        at += 2
    if s[at : at + 8].lower().startswith(hexes):
        return "hex", at
    return None


MIN_ENCODED = 24  # no biometric record or image is shorter than this as base64 or hex text
BINARY = (bytes, bytearray, memoryview)


def may_hold_binary(texts: list[str | None], raw: list[Any]) -> bool:
    """Cheap column prefilter: any bytes value, or any text long enough to be an encoded
    record. A column of names, codes or dates costs two passes in C (shared with the
    other column detectors) instead of a decode attempt per value and detector."""
    col = column(texts, raw)
    return col.longest() >= MIN_ENCODED or col.holds_raw(BINARY)


def blobs(texts: list[str | None], raw: list[Any], magics: tuple[bytes, ...]) -> Iterator[tuple[int, int, Any, str]]:
    """(row, end of its text span, bytes, form) for every value of a column that ``blob``
    accepts. Only bytes values and text that starts like one of ``magics`` encoded are
    tried (one RE2 pass over the column)."""
    if not may_hold_binary(texts, raw):
        return
    for i in _blob_rows(column(texts, raw), magics):
        t = texts[i]
        got = blob(t, raw[i], magics)
        if got is not None:
            yield i, len(t) if t else 0, got[0], got[1]


_MAGICS: set[bytes] = set()  # every magic asked about so far (four detectors, three sets)


def _blob_rows(col: Column, magics: tuple[bytes, ...]) -> Sequence[int]:
    """Rows holding bytes or text ``_encoded_gate(magics)`` marks (as Column.rows_where
    finds them, on the column's Arrow texts); every row when gating
    is off. One pass of the gate of every magic asked about so far marks the rows for all
    the detectors that ask: in nearly every column none, and they are done."""
    arr = col.arrow()
    if not enabled() or arr is None:
        return range(len(col.texts))
    _MAGICS.update(magics)
    union = tuple(sorted(_MAGICS))
    rows = col.memo.get(union)
    if rows is None:
        rows = col.memo[union] = marked_rows(arr, _encoded_gate(union))
    if len(rows):  # the union's gate marks a superset of this gate's rows
        rows = rows[marked_rows(arr.take(rows), _encoded_gate(magics))]
    rows = rows.tolist()
    if col.holds_raw(BINARY):
        rows = sorted({*rows, *(i for i, r in enumerate(col.raw) if isinstance(r, BINARY))})
    return rows


@lru_cache(maxsize=64)
def _encoded_gate(magics: tuple[bytes, ...]) -> str:
    """RE2: optional blanks (what str.lstrip strips) and ``data:…,``, then a magic's
    base64 (either alphabet) or hex (any case, optional \\x / 0x) prefix; a superset of
    what ``_payload`` accepts. (``data:`` without a length bound: RE2 takes ~0.3 ms, on
    every call, to compile ``{0,127}``.)"""
    b64, hexes = _prefixes(magics)
    alt = {"+": "[+-]", "/": "[/_]"}
    b64_alts = "|".join("".join(alt.get(c, re.escape(c)) for c in p) for p in b64)
    hex_alts = "|".join(re.escape(h) for h in hexes)
    return rf"^[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]*(?:data:[^,]*,)?(?:{b64_alts}|(?i:(?:\\x|0x)?(?:{hex_alts})))"


def blob(text: str | None, raw: Any, magics: tuple[bytes, ...]) -> tuple[bytes | memoryview, str] | None:
    """(bytes, form) for a value that starts with one of ``magics``; form is "bytes",
    "base64" or "hex". None for anything else."""
    if isinstance(raw, (bytes, bytearray, memoryview)):
        head = bytes(raw[:8])
        if len(raw) <= MAX_BYTES and head.startswith(magics):
            return raw, "bytes"
        if text is None:  # base64/hex text in a BLOB too long for to_text: test the start first
            lead = bytes(raw[:160])
            if not lead.isascii() or len(raw) > 2 * MAX_BYTES + 64 or not _payload(lead.decode(), magics):
                return None
            try:
                text = bytes(raw).decode("ascii")
            except UnicodeDecodeError:
                return None
    s = text if text is not None else raw if isinstance(raw, str) else None
    if not s or len(s) > 2 * MAX_BYTES + 64:
        return None
    found = _payload(s, magics)
    if found is None:
        return None
    form, at = found
    body = s[at:].rstrip()
    if form == "base64":
        return _from_b64(body, magics)
    try:
        data = bytes.fromhex(body)
    except ValueError:
        return None
    return (data, "hex") if len(data) <= MAX_BYTES and data.startswith(magics) else None


def _from_b64(s: str, magics: tuple[bytes, ...]) -> tuple[bytes, str] | None:
    if len(s) > MAX_BYTES * 4 // 3 * 105 // 100 + 64:
        return None
    if not s.isascii():
        return None
    if any(c.isspace() for c in s[:200]) or any(c.isspace() for c in s[-200:]):
        s = _WS.sub("", s)
    s = s.translate(_URLSAFE).rstrip("=")
    try:
        data = base64.b64decode(s + "=" * (-len(s) % 4), validate=True)
    except (binascii.Error, ValueError):
        return None
    return (data, "base64") if data.startswith(magics) else None


def digest(prefix: str, data) -> str:
    """The normalised value of a binary hit: a digest (for distinct counting), never the bytes."""
    return f"{prefix}:{hashlib.sha256(data).hexdigest()[:24]}"


class RecordDetector(ColumnDetector):
    """Values that are well-formed biometric records of ``kinds`` (a matching magic,
    declared length = size, structure that walks to the end)."""

    kinds: tuple[str, ...] = ()
    magics: tuple[bytes, ...] = ()
    noun = "biometric record"

    def scan_column(self, texts, raw, ctx):
        hits: list[Hit] = []
        candidates = 0
        for i, end, data, form in blobs(texts, raw, self.magics):
            record = parse(data)
            if record is None or record.kind not in self.kinds:
                continue
            candidates += 1
            if record.plausible:
                shown = "" if form == "bytes" else f" ({form})"
                hits.append(Hit(i, 0, end, digest(record.kind.lower(), data), 0.9,
                                f"{record.version} {self.noun}{shown}", self.entity))
        return hits, candidates, len(hits)

    def confidence(self, stats: ColumnStats, ctx: FieldContext):
        if not stats.validated:
            return 0.0, []
        n = max(stats.candidates, 1)
        named = name_matches(ctx.path, self.field_names)
        evidence = [f"{stats.validated}/{n} values are well-formed {self.noun}s (declared length = size)"]
        if named:
            evidence.append(f"field name '{named}'")
        if stats.validated / n < 0.5 and not named:
            return 0.4, evidence + ["most records with this magic fail their length/structure check"]
        return (0.95 if named else 0.85), evidence


# -- well-formed records for the detectors' own examples and the tests --------------------
def _u(n: int, size: int) -> bytes:
    return n.to_bytes(size, "big")


def _minutiae(seed: int, n: int, width: int, height: int) -> bytes:
    out, x = b"", seed * 7919 + 17
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0x7FFFFFFF  # a fixed LCG: examples are stable
        mx, my, kind = 10 + x % (width - 20), 10 + (x >> 8) % (height - 20), 1 + (x >> 3) % 2
        out += _u(kind << 14 | mx, 2) + _u(my, 2) + _u((x >> 5) % 180, 1) + _u(40 + (x >> 11) % 60, 1)
    return out


def fmr_2005(seed: int = 1, n: int = 32, width: int = 400, height: int = 500) -> bytes:
    """An ISO/IEC 19794-2:2005 record: one finger view (right index), n minutiae."""
    view = _u(2, 1) + _u(0, 1) + _u(70, 1) + _u(n, 1) + _minutiae(seed, n, width, height) + _u(0, 2)
    body = _u(0, 2) + _u(width, 2) + _u(height, 2) + _u(197, 2) + _u(197, 2) + _u(1, 1) + _u(0, 1) + view
    return b"FMR\x00 20\x00" + _u(12 + len(body), 4) + body


def fmr_2011(seed: int = 1, n: int = 32, width: int = 400, height: int = 500) -> bytes:
    """An ISO/IEC 19794-2:2011 record: one representation, n six-byte minutiae."""
    rep = (b"\xff" * 9 + _u(0, 1) + _u(0, 2) + _u(0, 2) + _u(0, 1)  # date, device, no quality blocks
           + _u(7, 1) + _u(0, 1) + _u(197, 2) + _u(197, 2) + _u(0, 1) + _u(width, 2) + _u(height, 2)
           + _u(0x60, 1) + _u(n, 1) + _minutiae(seed, n, width, height) + _u(0, 2))
    rep = _u(4 + len(rep), 4) + rep
    return b"FMR\x00030\x00" + _u(15 + len(rep), 4) + _u(1, 2) + _u(0, 1) + rep


def iir_2005(image: bytes = b"\xff\xd8\xff\xe0" + bytes(60) + b"\xff\xd9") -> bytes:
    """An ISO/IEC 19794-6:2005 iris record: one eye, one image."""
    header_rest = _u(0, 2) + _u(1, 1) + _u(45, 2) + _u(0, 2) + _u(200, 2) + _u(4, 2) + _u(640, 2) + _u(480, 2) \
        + _u(8, 1) + _u(0, 1) + bytes(16)
    tail = _u(1, 1) + _u(1, 2) + _u(1, 2) + _u(80, 1) + _u(0, 2) + _u(0, 2) + _u(len(image), 4) + image
    return b"IIR\x00010\x00" + _u(12 + len(header_rest) + len(tail), 4) + header_rest + tail


def fac_2005(image: bytes = b"\xff\xd8\xff\xe0" + bytes(60) + b"\xff\xd9") -> bytes:
    """An ISO/IEC 19794-5:2005 face record: one facial image (token image data)."""
    info = _u(0, 2) + bytes(1 + 1 + 1 + 3 + 2 + 3 + 3)  # no feature points; gender … pose unknown
    image_info = _u(1, 1) + _u(0, 1) + _u(240, 2) + _u(320, 2) + _u(1, 1) + _u(2, 1) + _u(0, 2) + _u(0, 2)
    block = info + image_info + image
    block = _u(4 + len(block), 4) + block
    return b"FAC\x00010\x00" + _u(14 + len(block), 4) + _u(1, 2) + block


def wsq(width: int = 416, height: int = 416) -> bytes:
    """A WSQ file skeleton: SOI, a frame header, one block header, token data, EOI."""
    sof = b"\xff\xa2" + _u(17, 2) + _u(0, 1) + _u(255, 1) + _u(height, 2) + _u(width, 2) + bytes(9)
    sob = b"\xff\xa3" + _u(3, 2) + _u(1, 1)
    return b"\xff\xa0" + sof + sob + bytes(range(1, 200)) + b"\xff\xa1"
