"""Biometric data interchange records: is this blob a fingerprint, iris or face record?

Pure, bounded parsers for the records that biometric systems store as BLOBs or files:

* ``FMR\\0`` finger minutiae: ISO/IEC 19794-2:2005 and ANSI INCITS 378-2004 (version
  `` 20\\0``; the ANSI record length is 2 bytes, or 0 followed by 4 bytes), ISO/IEC
  19794-2:2011 and ANSI INCITS 378-2009 (version ``030\\0``, 4-byte length).
* ``FIR\\0`` finger images (19794-4 / ANSI 381), ``IIR\\0`` iris images (19794-6),
  ``FAC\\0`` face images (19794-5), and WSQ fingerprint images (``FF A0`` … ``FF A1``).

A record is plausible when its declared length equals the blob size and its structure
(views, representations, minutiae, segments) walks exactly to the end. Declared lengths
and counts are only ever compared with the blob size: nothing is allocated from them, and
a blob is read through a memoryview, never copied. Blobs above ``MAX_BYTES`` are not
walked. ``parse`` never raises: it returns None for "not a biometric record" and a
``BiometricRecord`` (kind, version, plausible, reason) for anything with a known magic.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

MAX_BYTES = 16 * 1024 * 1024
MAGICS = {b"FMR\x00": "FMR", b"FIR\x00": "FIR", b"IIR\x00": "IIR", b"FAC\x00": "FAC"}
WSQ_SOI, WSQ_EOI, WSQ_SOF, WSQ_SOB = 0xA0, 0xA1, 0xA2, 0xA3
_MAX_VIEWS = 176  # ten fingers, sixteen views each, plus palms; more is not a record


@dataclass(frozen=True)
class BiometricRecord:
    kind: str  # FMR | FIR | IIR | FAC | WSQ
    version: str  # the edition whose layout fitted, else the version field as read
    plausible: bool
    reason: str  # why it is (not) plausible; never contains record content


class _Short(Exception):
    """The structure runs past the end of the blob (or of its enclosing block)."""


class _Reader:
    __slots__ = ("mv", "pos", "end")

    def __init__(self, mv: memoryview, pos: int = 0, end: int | None = None):
        self.mv, self.pos, self.end = mv, pos, len(mv) if end is None else end

    def take(self, n: int) -> int:
        if n < 0 or self.pos + n > self.end:
            raise _Short
        value = int.from_bytes(self.mv[self.pos : self.pos + n], "big")
        self.pos += n
        return value

    def skip(self, n: int) -> None:
        if n < 0 or self.pos + n > self.end:
            raise _Short
        self.pos += n

    @property
    def left(self) -> int:
        return self.end - self.pos


Walk = Callable[[memoryview], str | None]  # None = the layout fits exactly, else a reason


def kind_of(head: bytes | bytearray | memoryview) -> str | None:
    """The record kind announced by the first bytes, or None."""
    head = bytes(head[:4])
    if head in MAGICS:
        return MAGICS[head]
    if len(head) >= 4 and head[0] == 0xFF and head[1] == WSQ_SOI and head[2] == 0xFF and 0xA2 <= head[3] <= 0xA8:
        return "WSQ"
    return None


def parse(data) -> BiometricRecord | None:
    """The record ``data`` claims to be and whether it holds together; None if no magic."""
    try:
        mv = memoryview(data)
        if mv.ndim != 1 or mv.itemsize != 1:
            return None
        kind = kind_of(mv[:4]) if len(mv) >= 4 else None
    except (TypeError, ValueError):
        return None
    if kind is None:
        return None
    if len(mv) > MAX_BYTES:
        return BiometricRecord(kind, "?", False, "too_large")
    try:
        if kind == "WSQ":
            return _wsq(mv)
        return _record(kind, mv)
    except Exception:  # a bug must not take the scan down; the blob is simply not plausible
        return BiometricRecord(kind, "?", False, "unparseable")


def _record(kind: str, mv: memoryview) -> BiometricRecord:
    raw = bytes(mv[4:8])
    layouts = _LAYOUTS.get((kind, raw), ())
    if not layouts:
        shown = raw.rstrip(b"\x00").decode("ascii", "replace").strip() or "?"
        return BiometricRecord(kind, shown if shown.isalnum() else "?", False, "unknown_version")
    failures: list[tuple[str, str]] = []
    for version, walk in layouts:
        try:
            why = walk(mv)
        except _Short:
            why = "truncated"
        if why is None:
            return BiometricRecord(kind, version, True, "declared length and structure fit")
        failures.append((version, why))
    # a structural failure says more than a length mismatch under another edition's layout
    version, why = next((f for f in failures if f[1] != "length_mismatch"), failures[0])
    return BiometricRecord(kind, version, False, why)


# -- finger minutiae (FMR) ---------------------------------------------------------------
def _minutiae(r: _Reader, count: int, max_angle: int) -> str | None:
    for _ in range(count):
        x = r.take(2)
        r.take(2)  # reserved bits + y
        angle, quality = r.take(1), r.take(1)
        if x >> 14 == 3:
            return "minutia_type"
        if angle > max_angle or (quality > 100 and quality < 254):
            return "minutia_value"
    return None


def _extended(r: _Reader) -> None:
    r.skip(r.take(2))


def _fmr_2004(length_at: int, length_bytes: int, header: int, ansi: bool) -> Walk:
    def walk(mv: memoryview) -> str | None:
        r = _Reader(mv, length_at)
        if length_bytes == 6:  # ANSI large form: 0x0000 then 4 bytes
            if r.take(2) != 0:
                return "length_mismatch"
            declared = r.take(4)
        else:
            declared = r.take(length_bytes)
            if ansi and declared == 0:
                return "length_mismatch"
        if declared != len(mv):
            return "length_mismatch"
        r.pos = header - 2
        views = r.take(1)
        r.skip(1)
        if not 1 <= views <= _MAX_VIEWS:
            return "finger_views"
        for _ in range(views):
            position, _view, quality, count = r.take(1), r.take(1), r.take(1), r.take(1)
            if position > 10 or quality > 100:
                return "finger_view_header"
            why = _minutiae(r, count, 179 if ansi else 255)
            if why:
                return why
            _extended(r)
        return None if r.left == 0 else "trailing_bytes"

    return walk


def _fmr_ansi_2009(mv: memoryview) -> str | None:
    r = _Reader(mv, 8)
    if r.take(4) != len(mv):
        return "length_mismatch"
    r.skip(4 + 2)  # CBEFF product id, capture equipment
    views = r.take(1)
    r.skip(1)
    if not 1 <= views <= _MAX_VIEWS:
        return "finger_views"
    for _ in range(views):
        position, _view, _impression, quality = r.take(1), r.take(1), r.take(1), r.take(1)
        r.skip(4 + 8)  # algorithm id, image size and resolution
        count = r.take(1)
        if position > 10 or (quality > 100 and quality < 254):
            return "finger_view_header"
        why = _minutiae(r, count, 179)
        if why:
            return why
        _extended(r)
    return None if r.left == 0 else "trailing_bytes"


def _fmr_body_2011(r: _Reader) -> str | None:
    position = r.take(1)
    r.skip(1 + 4 + 1 + 4)  # view, resolution, impression type, image size
    flags, count = r.take(1), r.take(1)
    per = flags >> 4
    if position > 10 or per not in (5, 6):
        return "finger_view_header"
    for _ in range(count):
        x = r.take(2)
        r.skip(per - 2)
        if x >> 14 == 3:
            return "minutia_type"
    _extended(r)
    return None if r.left == 0 else "trailing_bytes"


# -- ISO/IEC 19794-x:2011 (the common 19794-1:2011 container) --------------------------
def _iso_2011(extra_header: int, body: Callable[[_Reader], str | None] | None = None,
              common: bool = True) -> Walk:
    """General header (15 bytes + ``extra_header``), then representations, each with a
    4-byte length; the lengths must add up to the record length exactly."""

    def walk(mv: memoryview) -> str | None:
        r = _Reader(mv, 8)
        if r.take(4) != len(mv):
            return "length_mismatch"
        count, cert = r.take(2), r.take(1)
        r.skip(extra_header)
        if count == 0:
            return "no_representations"
        for _ in range(count):
            start = r.pos
            length = r.take(4)
            if length < 20 or length > r.left + 4:
                return "representation_length"
            if body is not None:
                rep = _Reader(mv, start + 4, start + length)
                if common:  # capture date/time, device technology, vendor, type; quality blocks
                    rep.skip(9 + 1 + 2 + 2)
                    rep.skip(5 * rep.take(1))
                    if cert:
                        rep.skip(3 * rep.take(1))
                why = body(rep)
                if why:
                    return why
            r.pos = start + length
        return None if r.left == 0 else "trailing_bytes"

    return walk


# -- finger images (FIR), iris (IIR), face (FAC): 2004/2005 editions -------------------
def _fir_2005(header: int) -> Walk:
    def walk(mv: memoryview) -> str | None:
        r = _Reader(mv, 8)
        if r.take(6) != len(mv):
            return "length_mismatch"
        r.pos = header
        views = 0
        while r.left:
            start = r.pos
            length = r.take(4)
            if length < 14 or length > r.left + 4:
                return "finger_image_length"
            r.pos = start + length
            views += 1
            if views > 255 * 16:
                return "finger_views"
        return None if views else "finger_views"

    return walk


def _iir_2005(mv: memoryview) -> str | None:
    r = _Reader(mv, 8)
    if r.take(4) != len(mv):
        return "length_mismatch"
    r.skip(2)  # capture device id
    eyes, header_length = r.take(1), r.take(2)
    if eyes > 2 or header_length not in (45, 46) or header_length > len(mv):
        return "iris_header"
    return None if len(mv) > header_length else "truncated"


def _fac_2005(mv: memoryview) -> str | None:
    r = _Reader(mv, 8)
    if r.take(4) != len(mv):
        return "length_mismatch"
    faces = r.take(2)
    if faces == 0:
        return "no_faces"
    for _ in range(faces):
        start = r.pos
        length = r.take(4)
        if length < 32 or length > r.left + 4:
            return "facial_record_length"
        r.pos = start + length
    return None if r.left == 0 else "trailing_bytes"


_LAYOUTS: dict[tuple[str, bytes], tuple[tuple[str, Walk], ...]] = {
    ("FMR", b" 20\x00"): (
        ("ISO/IEC 19794-2:2005", _fmr_2004(8, 4, 24, ansi=False)),
        ("ANSI INCITS 378-2004", _fmr_2004(8, 2, 26, ansi=True)),
        ("ANSI INCITS 378-2004", _fmr_2004(8, 6, 30, ansi=True)),
    ),
    ("FMR", b"030\x00"): (
        ("ISO/IEC 19794-2:2011", _iso_2011(0, _fmr_body_2011)),
        ("ANSI INCITS 378-2009", _fmr_ansi_2009),
    ),
    ("FIR", b"010\x00"): (("ISO/IEC 19794-4:2005", _fir_2005(32)), ("ANSI INCITS 381-2004", _fir_2005(36))),
    ("FIR", b"020\x00"): (("ISO/IEC 19794-4:2011", _iso_2011(1)),),
    ("IIR", b"010\x00"): (("ISO/IEC 19794-6:2005", _iir_2005),),
    ("IIR", b"020\x00"): (("ISO/IEC 19794-6:2011", _iso_2011(1)),),
    ("FAC", b"010\x00"): (("ISO/IEC 19794-5:2005", _fac_2005),),
    ("FAC", b"030\x00"): tuple(("ISO/IEC 19794-5:2011", _iso_2011(extra)) for extra in (0, 2)),
}


# -- WSQ ---------------------------------------------------------------------------------
def _wsq(mv: memoryview) -> BiometricRecord:
    """SOI, table/frame segments (each with a 2-byte length), a frame header with a sane
    width and height before the first block, and EOI as the last two bytes."""
    version = "WSQ (FBI IAFIS-IC-0110)"
    if bytes(mv[-2:]) != bytes((0xFF, WSQ_EOI)):
        return BiometricRecord("WSQ", version, False, "no_end_marker")
    r = _Reader(mv, 2, len(mv) - 2)
    frame = False
    try:
        for _ in range(4096):
            if r.take(1) != 0xFF:
                return BiometricRecord("WSQ", version, False, "segment_marker")
            marker = r.take(1)
            if not 0xA2 <= marker <= 0xA8:
                return BiometricRecord("WSQ", version, False, "segment_marker")
            start = r.pos
            length = r.take(2)
            if length < 2:
                return BiometricRecord("WSQ", version, False, "segment_length")
            if marker == WSQ_SOF:
                r.skip(2)  # black, white
                height, width = r.take(2), r.take(2)
                if not (1 <= height <= 20000 and 1 <= width <= 20000):
                    return BiometricRecord("WSQ", version, False, "frame_size")
                frame = True
            if marker == WSQ_SOB:
                ok = frame
                return BiometricRecord("WSQ", version, ok, "frame and blocks fit" if ok else "no_frame_header")
            r.pos = start
            r.skip(length)
    except _Short:
        return BiometricRecord("WSQ", version, False, "truncated")
    return BiometricRecord("WSQ", version, False, "too_many_segments")
