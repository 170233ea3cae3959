"""biometrics/: fingerprint, iris and face data as an enrolment system leaves it.

left_index.fmr  an ISO/IEC 19794-2:2005 finger minutiae record (left index finger, random
                but well-formed minutiae: coordinates inside the image, angles, qualities).
face_photo.jpg  assets/astronaut.jpg (NASA photo of Eileen Collins, public domain; see
                README.md) with a synthetic EXIF GPS tag (43.8 N, 87.6 E) spliced in after
                SOI. Only header bytes are added; the pixels are the committed ones.
enrolment.db    SQLite, table ryxx (人员信息): ryid, zw_tz = base64 fingerprint template
                (19794-2:2005 or :2011), zp = face thumbnail BLOB (assets/astronaut_face.jpg
                with a per-row JPEG comment, so every row's bytes differ), hm_tz = iris record
                BLOB (19794-6:2005, random image bytes) in every third row.
The records are written here with struct-free byte packing, independently of spillguard's
parsers, so the sample also cross-checks them.
"""

from __future__ import annotations

import base64
import random
from pathlib import Path

import _gen_io as io_

ASSETS = Path(__file__).resolve().parent / "assets"
GPS = (43.8, 87.6)  # Ürümqi


def _u(n: int, size: int) -> bytes:
    return n.to_bytes(size, "big")


def _minutiae(rng: random.Random, n: int, width: int, height: int, quality: bool = True) -> bytes:
    out = b""
    for _ in range(n):
        kind = rng.choice((1, 2))  # ridge ending, bifurcation
        x, y = rng.randrange(16, width - 16), rng.randrange(16, height - 16)
        out += _u(kind << 14 | x, 2) + _u(y, 2) + _u(rng.randrange(256), 1)
        out += _u(rng.randrange(30, 101), 1) if quality else b""
    return out


def fmr_2005(rng: random.Random, finger: int, width: int = 416, height: int = 416) -> bytes:
    n = rng.randint(28, 60)
    view = _u(finger, 1) + _u(0, 1) + _u(rng.randint(50, 95), 1) + _u(n, 1) + _minutiae(rng, n, width, height)
    view += _u(0, 2)  # no extended data
    body = _u(0, 2) + _u(width, 2) + _u(height, 2) + _u(197, 2) + _u(197, 2) + _u(1, 1) + _u(0, 1) + view
    return b"FMR\x00 20\x00" + _u(12 + len(body), 4) + body


def fmr_2011(rng: random.Random, finger: int, width: int = 416, height: int = 416) -> bytes:
    n = rng.randint(28, 60)
    rep = (b"\x07\xea\x03\x01\x08\x00\x00\xff\xff"  # 2026-03-01 08:00:00, milliseconds unknown
           + _u(1, 1) + _u(0, 2) + _u(0, 2) + _u(0, 1)  # optical sensor, vendor/type unknown, no quality blocks
           + _u(finger, 1) + _u(0, 1) + _u(197, 2) + _u(197, 2) + _u(0, 1) + _u(width, 2) + _u(height, 2)
           + _u(0x60, 1) + _u(n, 1) + _minutiae(rng, n, width, height) + _u(0, 2))
    rep = _u(4 + len(rep), 4) + rep
    return b"FMR\x00030\x00" + _u(15 + len(rep), 4) + _u(1, 2) + _u(0, 1) + rep


def iir_2005(rng: random.Random, eye: int) -> bytes:
    image = rng.randbytes(rng.randint(400, 700))  # stands in for a JPEG 2000 iris image
    header = (_u(0, 2) + _u(1, 1) + _u(45, 2) + _u(0, 2) + _u(210, 2) + _u(0x0A, 2) + _u(640, 2)
              + _u(480, 2) + _u(8, 1) + _u(0, 1) + bytes(16))
    tail = _u(eye, 1) + _u(1, 2) + _u(1, 2) + _u(rng.randint(40, 95), 1) + _u(0, 2) + _u(0, 2)
    tail += _u(len(image), 4) + image
    return b"IIR\x00010\x00" + _u(12 + len(header) + len(tail), 4) + header + tail


def _rational(v: float) -> bytes:
    hundredths = round(v * 360_000)  # of an arc second
    parts = (hundredths // 360_000, 1, hundredths % 360_000 // 6000, 1, hundredths % 6000, 100)
    return b"".join(_u(p, 4) for p in parts)


def exif_gps_segment(lat: float, lng: float) -> bytes:
    """An APP1 Exif segment holding only a GPS IFD (big-endian TIFF)."""
    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return _u(tag, 2) + _u(kind, 2) + _u(count, 4) + value.ljust(4, b"\x00")

    ifd0 = _u(1, 2) + entry(0x8825, 4, 1, _u(26, 4)) + _u(0, 4)
    data_at = 26 + 2 + 4 * 12 + 4
    gps = (_u(4, 2) + entry(1, 2, 2, b"N" if lat >= 0 else b"S") + entry(2, 5, 3, _u(data_at, 4))
           + entry(3, 2, 2, b"E" if lng >= 0 else b"W") + entry(4, 5, 3, _u(data_at + 24, 4)) + _u(0, 4))
    tiff = b"MM\x00\x2a" + _u(8, 4) + ifd0 + gps + _rational(abs(lat)) + _rational(abs(lng))
    payload = b"Exif\x00\x00" + tiff
    return b"\xff\xe1" + _u(len(payload) + 2, 2) + payload


def with_segment(jpeg: bytes, segment: bytes) -> bytes:
    assert jpeg[:2] == b"\xff\xd8"
    return jpeg[:2] + segment + jpeg[2:]


def comment(text: str) -> bytes:
    data = text.encode("ascii")
    return b"\xff\xfe" + _u(len(data) + 2, 2) + data


def biometrics(out: Path, truth: io_.Truth, rng: random.Random) -> None:
    io_.write(out, "biometrics/left_index.fmr", fmr_2005(rng, finger=7))
    truth.add("biometrics/left_index.fmr", None, {"(content)": "FINGERPRINT_TEMPLATE"})

    photo = with_segment((ASSETS / "astronaut.jpg").read_bytes(), exif_gps_segment(*GPS))
    io_.write(out, "biometrics/face_photo.jpg", photo)
    truth.add("biometrics/face_photo.jpg", None, {"(content)": "FACE_IMAGE"})
    truth.add("biometrics/face_photo.jpg", None, {"(content)": "GEO_COORDINATES"})

    thumb = (ASSETS / "astronaut_face.jpg").read_bytes()
    rows = []
    for i in range(1, 25):
        template = (fmr_2011 if i % 4 == 0 else fmr_2005)(rng, finger=rng.choice((2, 7)))
        iris = iir_2005(rng, eye=rng.choice((1, 2))) if i % 3 == 0 else None
        rows.append((f"RY{650102000 + i * 37:011d}", base64.b64encode(template).decode(),
                     with_segment(thumb, comment(f"enrolment {i:04d}")), iris))
    io_.write_sqlite(out / "biometrics/enrolment.db",
                     ["CREATE TABLE ryxx (ryid TEXT PRIMARY KEY, zw_tz TEXT, zp BLOB, hm_tz BLOB)"],
                     [("INSERT INTO ryxx VALUES (?, ?, ?, ?)", rows)])
    truth.add("biometrics/enrolment.db", "ryxx",
              {"zw_tz": "FINGERPRINT_TEMPLATE", "zp": "FACE_IMAGE", "hm_tz": "IRIS_TEMPLATE"})
