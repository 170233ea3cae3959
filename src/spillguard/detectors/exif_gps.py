"""GEO_COORDINATES in images: the EXIF GPS position of a JPEG (APP1 "Exif") or PNG (eXIf)
held as bytes, base64 or hex — where a photo was taken, often a home. Only the header is
read (validators/image_headers.py), never a pixel. (0, 0) and out-of-range positions are
failed candidates. The position is kept to 4 decimals for distinct counting and, like all
location data, is never shown (the masker hides it)."""

import base64

from spillguard.detectors._biometric import blobs
from spillguard.detectors.base import ColumnDetector, ColumnStats, Example as E, Hit
from spillguard.detectors.context import FieldContext
from spillguard.validators.image_headers import exif_gps

_IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG")


def jpeg_with_gps(lat: float, lng: float) -> bytes:
    """A header-only JPEG (SOI, APP1 Exif with a GPS IFD, EOI) for examples and tests."""
    def rational(v: float) -> bytes:
        hundredths = round(v * 360_000)  # of an arc second
        d, m, s = hundredths // 360_000, hundredths % 360_000 // 6000, hundredths % 6000
        return b"".join(x.to_bytes(4, "big") for x in (d, 1, m, 1, s, 100))

    def entry(tag: int, kind: int, count: int, value: bytes) -> bytes:
        return tag.to_bytes(2, "big") + kind.to_bytes(2, "big") + count.to_bytes(4, "big") + value.ljust(4, b"\0")

    ifd0 = (1).to_bytes(2, "big") + entry(0x8825, 4, 1, (26).to_bytes(4, "big")) + bytes(4)  # 8..26
    data_at = 26 + 2 + 4 * 12 + 4
    gps = (4).to_bytes(2, "big") + entry(1, 2, 2, b"S" if lat < 0 else b"N") \
        + entry(2, 5, 3, data_at.to_bytes(4, "big")) + entry(3, 2, 2, b"W" if lng < 0 else b"E") \
        + entry(4, 5, 3, (data_at + 24).to_bytes(4, "big")) + bytes(4)
    tiff = b"MM\x00\x2a" + (8).to_bytes(4, "big") + ifd0 + gps + rational(abs(lat)) + rational(abs(lng))
    app1 = b"Exif\x00\x00" + tiff
    return b"\xff\xd8\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1 + b"\xff\xd9"


class ExifGpsDetector(ColumnDetector):
    id = "exif-gps"
    entity = "GEO_COORDINATES"
    description = "GPS position in the EXIF header of a JPEG or PNG image"

    def scan_column(self, texts, raw, ctx):
        hits: list[Hit] = []
        candidates = 0
        for i, _, data, _ in blobs(texts, raw, _IMAGE_MAGICS):
            pos = exif_gps(data)
            if pos is None:
                continue
            candidates += 1
            lat, lng = pos
            if abs(lat) < 1e-6 and abs(lng) < 1e-6:
                continue  # (0, 0): a camera without a fix
            # an empty span: the position sits inside the image, it must not displace the
            # face-image hit on the same value
            hits.append(Hit(i, 0, 0, f"{lat:.4f},{lng:.4f}", 0.9, "EXIF GPS position in an image", self.entity))
        return hits, candidates, len(hits)

    def confidence(self, stats: ColumnStats, ctx: FieldContext):
        if not stats.validated:
            return 0.0, []
        n = max(stats.candidates, 1)
        evidence = [f"{stats.validated} image(s) carry an EXIF GPS position"]
        return (0.9 if stats.validated * 2 >= n else 0.4), evidence

    _URUMQI = jpeg_with_gps(43.8, 87.6)
    positives = (
        E(_URUMQI, field="(content)", note="a photo file with a GPS tag"),
        E(base64.b64encode(jpeg_with_gps(-33.86, 151.21)).decode(), field="zp", note="base64, southern hemisphere"),
    )
    negatives = (
        E(jpeg_with_gps(0.0, 0.0), field="(content)", note="(0, 0): no GPS fix"),
        E(b"\xff\xd8\xff\xe0" + bytes(60) + b"\xff\xd9", field="photo", note="a JPEG without EXIF"),
        E(bytes(range(256)) * 4, field="photo", note="random bytes"),
    )
