"""Image headers, read without decoding a pixel: type and dimensions of JPEG and PNG
images (so a decompression bomb is refused before any decoder sees it), and the GPS
position in their EXIF block (JPEG APP1 "Exif", PNG eXIf).

Every offset is checked against the blob; loops are bounded; nothing is allocated from a
declared size. The functions never raise on arbitrary bytes.
"""

from __future__ import annotations

from dataclasses import dataclass

JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}
_STANDALONE = {0x01, 0xD8} | set(range(0xD0, 0xD8))
_MAX_SEGMENTS = 512
_MAX_IFD_ENTRIES = 1024


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # "jpeg" | "png"
    width: int
    height: int

    @property
    def pixels(self) -> int:
        return self.width * self.height


def image_kind(head) -> str | None:
    """"jpeg" or "png" from the first bytes, else None."""
    head = bytes(head[:8])
    if head.startswith(JPEG_MAGIC):
        return "jpeg"
    if head == PNG_MAGIC:
        return "png"
    return None


def image_info(data) -> ImageInfo | None:
    """Type and declared dimensions; None when the header is missing or broken."""
    try:
        mv = memoryview(data)
        kind = image_kind(mv[:8])
        if kind == "png":
            if len(mv) < 24 or bytes(mv[12:16]) != b"IHDR":
                return None
            w, h = _u(mv, 16, 4), _u(mv, 20, 4)
            return ImageInfo("png", w, h) if w and h else None
        if kind == "jpeg":
            for marker, start, length in _jpeg_segments(mv):
                if marker in _SOF:
                    if length < 7:  # precision, height, width
                        return None
                    h, w = _u(mv, start + 1, 2), _u(mv, start + 3, 2)
                    return ImageInfo("jpeg", w, h) if w and h else None
    except (TypeError, ValueError, IndexError):
        return None
    return None


def exif_gps(data) -> tuple[float, float] | None:
    """(latitude, longitude) in decimal degrees from the EXIF GPS block, or None."""
    try:
        mv = memoryview(data)
        kind = image_kind(mv[:8])
        tiff = None
        if kind == "jpeg":
            for marker, start, length in _jpeg_segments(mv):
                if marker == 0xE1 and bytes(mv[start : start + 6]) == b"Exif\x00\x00":
                    tiff = mv[start + 6 : start + length - 2]
                    break
        elif kind == "png":
            tiff = _png_chunk(mv, b"eXIf")
        return _gps(tiff) if tiff is not None else None
    except (TypeError, ValueError, IndexError, ZeroDivisionError, OverflowError):
        return None


def _u(mv: memoryview, pos: int, n: int, order: str = "big") -> int:
    if pos < 0 or pos + n > len(mv):
        raise IndexError("past the end")
    return int.from_bytes(mv[pos : pos + n], order)


def _jpeg_segments(mv: memoryview):
    """(marker, payload start, length incl. the 2 length bytes) up to the first SOS."""
    pos = 2
    for _ in range(_MAX_SEGMENTS):
        while pos + 1 < len(mv) and mv[pos] == 0xFF and mv[pos + 1] == 0xFF:
            pos += 1  # fill bytes
        if pos + 4 > len(mv) or mv[pos] != 0xFF:
            return
        marker = mv[pos + 1]
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no more headers
            return
        length = _u(mv, pos + 2, 2)
        if length < 2:
            return
        yield marker, pos + 4, length
        pos += 2 + length


def _png_chunk(mv: memoryview, name: bytes) -> memoryview | None:
    pos = 8
    for _ in range(_MAX_SEGMENTS):
        if pos + 8 > len(mv):
            return None
        length, kind = _u(mv, pos, 4), bytes(mv[pos + 4 : pos + 8])
        if kind == name:
            return mv[pos + 8 : pos + 8 + length] if pos + 8 + length <= len(mv) else None
        if kind == b"IEND":
            return None
        pos += 12 + length
    return None


def _gps(t: memoryview) -> tuple[float, float] | None:
    order = {b"II": "little", b"MM": "big"}.get(bytes(t[:2]))
    if order is None or _u(t, 2, 2, order) != 42:
        return None
    ifd0 = _ifd(t, _u(t, 4, 4, order), order)
    gps_at = ifd0.get(0x8825)
    if gps_at is None:
        return None
    gps = _ifd(t, _u(t, gps_at[2], 4, order), order)
    lat, lng = _degrees(t, gps.get(2), order), _degrees(t, gps.get(4), order)
    if lat is None or lng is None:
        return None
    lat_ref, lng_ref = _ref(t, gps.get(1)), _ref(t, gps.get(3))
    lat, lng = (-lat if lat_ref == "S" else lat), (-lng if lng_ref == "W" else lng)
    if abs(lat) > 90 or abs(lng) > 180:
        return None
    return lat, lng


def _ifd(t: memoryview, at: int, order: str) -> dict[int, tuple[int, int, int]]:
    """tag -> (type, count, offset of the 4-byte value field) for one IFD."""
    n = _u(t, at, 2, order)
    if n > _MAX_IFD_ENTRIES:
        return {}
    out = {}
    for i in range(n):
        e = at + 2 + 12 * i
        out[_u(t, e, 2, order)] = (_u(t, e + 2, 2, order), _u(t, e + 4, 4, order), e + 8)
    return out


def _degrees(t: memoryview, entry, order: str) -> float | None:
    if entry is None or entry[0] not in (5, 10) or entry[1] != 3:
        return None
    at = _u(t, entry[2], 4, order)
    parts = []
    for i in range(3):
        num, den = _u(t, at + 8 * i, 4, order), _u(t, at + 8 * i + 4, 4, order)
        if den == 0:
            return None
        parts.append(num / den)
    d, m, s = parts
    if m >= 60 or s >= 60:
        return None
    return d + m / 60 + s / 3600


def _ref(t: memoryview, entry) -> str:
    if entry is None or entry[0] != 2:
        return ""
    return chr(t[entry[2]]) if entry[2] < len(t) else ""
