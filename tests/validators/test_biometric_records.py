"""Biometric record and image-header parsers: well-formed records of every edition are
accepted, truncated and lying ones are not, nothing is allocated from a declared length,
and no input makes them raise."""

from __future__ import annotations

import tracemalloc

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spillguard.detectors._biometric import fac_2005, fmr_2005, fmr_2011, iir_2005, wsq
from spillguard.detectors.exif_gps import jpeg_with_gps
from spillguard.validators.biometric_records import MAX_BYTES, BiometricRecord, kind_of, parse
from spillguard.validators.image_headers import exif_gps, image_info


def u(n: int, size: int) -> bytes:
    return n.to_bytes(size, "big")


def _view(n: int = 3, ansi: bool = True) -> bytes:
    minutiae = b"".join(u(1 << 14 | 50 + i, 2) + u(60 + i, 2) + u(90, 1) + u(70, 1) for i in range(n))
    return u(1, 1) + u(0, 1) + u(80, 1) + u(n, 1) + minutiae + u(0, 2)


def ansi_2004(large: bool = False) -> bytes:
    body = u(0, 4) + u(0, 2) + u(400, 2) + u(500, 2) + u(197, 2) + u(197, 2) + u(1, 1) + u(0, 1) + _view()
    if large:
        return b"FMR\x00 20\x00" + u(0, 2) + u(14 + len(body), 4) + body
    return b"FMR\x00 20\x00" + u(10 + len(body), 2) + body


def ansi_2009() -> bytes:
    view = u(1, 1) + u(0, 1) + u(0, 1) + u(80, 1) + u(0, 4) + u(400, 2) + u(500, 2) + u(197, 2) + u(197, 2)
    view += u(2, 1) + b"".join(u(2 << 14 | 40, 2) + u(41, 2) + u(10, 1) + u(254, 1) for _ in range(2)) + u(0, 2)
    body = u(0, 4) + u(0, 2) + u(1, 1) + u(0, 1) + view
    return b"FMR\x00030\x00" + u(12 + len(body), 4) + body


def iso_2011(magic: bytes, version: bytes, extra: bytes, reps: int = 2) -> bytes:
    rep = b"\xff" * 9 + bytes(6) + bytes(40)
    rep = u(4 + len(rep), 4) + rep
    head_len = 15 + len(extra)
    return magic + version + u(head_len + reps * len(rep), 4) + u(reps, 2) + u(0, 1) + extra + rep * reps


def fir_2005(ansi: bool = False) -> bytes:
    header = bytes(36 - 14 if ansi else 32 - 14)
    view = u(14 + 100, 4) + bytes(10) + bytes(100)
    return b"FIR\x00010\x00" + u(14 + len(header) + len(view), 6) + header + view


WELL_FORMED = {
    "iso-2005": (fmr_2005(), "FMR", "ISO/IEC 19794-2:2005"),
    "iso-2005-many": (fmr_2005(seed=9, n=200), "FMR", "ISO/IEC 19794-2:2005"),
    "iso-2011": (fmr_2011(), "FMR", "ISO/IEC 19794-2:2011"),
    "ansi-2004": (ansi_2004(), "FMR", "ANSI INCITS 378-2004"),
    "ansi-2004-large": (ansi_2004(large=True), "FMR", "ANSI INCITS 378-2004"),
    "ansi-2009": (ansi_2009(), "FMR", "ANSI INCITS 378-2009"),
    "fir-2005": (fir_2005(), "FIR", "ISO/IEC 19794-4:2005"),
    "fir-ansi": (fir_2005(ansi=True), "FIR", "ANSI INCITS 381-2004"),
    "fir-2011": (iso_2011(b"FIR\x00", b"020\x00", b"\x01"), "FIR", "ISO/IEC 19794-4:2011"),
    "iir-2005": (iir_2005(), "IIR", "ISO/IEC 19794-6:2005"),
    "iir-2011": (iso_2011(b"IIR\x00", b"020\x00", b"\x02"), "IIR", "ISO/IEC 19794-6:2011"),
    "fac-2005": (fac_2005(), "FAC", "ISO/IEC 19794-5:2005"),
    "fac-2011": (iso_2011(b"FAC\x00", b"030\x00", b""), "FAC", "ISO/IEC 19794-5:2011"),
    "wsq": (wsq(), "WSQ", "WSQ (FBI IAFIS-IC-0110)"),
}


@pytest.mark.parametrize("name", sorted(WELL_FORMED))
def test_when_record_is_well_formed_then_it_is_plausible_with_its_edition(name):
    data, kind, version = WELL_FORMED[name]
    rec = parse(data)
    assert rec == BiometricRecord(kind, version, True, rec.reason)
    assert parse(bytearray(data)) == rec and parse(memoryview(data)) == rec


@pytest.mark.parametrize("name", sorted(WELL_FORMED))
def test_when_record_is_truncated_anywhere_then_it_is_not_plausible(name):
    data = WELL_FORMED[name][0]
    for cut in range(4, len(data)):
        rec = parse(data[:cut])
        assert rec is not None and not rec.plausible, cut


@pytest.mark.parametrize("name", sorted(set(WELL_FORMED) - {"wsq"}))
def test_when_record_has_bytes_appended_then_its_length_no_longer_fits(name):
    rec = parse(WELL_FORMED[name][0] + b"\x00")
    assert not rec.plausible and rec.reason in ("length_mismatch", "trailing_bytes")


def test_when_header_declares_4gb_in_30_bytes_then_it_is_rejected_without_allocating():
    for magic, version in ((b"FMR\x00", b" 20\x00"), (b"FMR\x00", b"030\x00"), (b"IIR\x00", b"010\x00"),
                           (b"FAC\x00", b"010\x00"), (b"FIR\x00", b"020\x00")):
        blob = magic + version + b"\xff\xff\xff\xff" + bytes(18)
        assert len(blob) == 30
        tracemalloc.start()
        rec = parse(blob)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert rec is not None and not rec.plausible and rec.reason == "length_mismatch"
        assert peak < 64 * 1024


def test_when_view_count_or_minutiae_lie_then_the_walk_fails():
    good = fmr_2005(n=4)
    no_views = good[:22] + b"\x00" + good[23:]
    assert parse(no_views).reason == "finger_views"
    more_minutiae = good[:27] + b"\x05" + good[28:]  # the view now claims 5 minutiae, holds 4
    assert not parse(more_minutiae).plausible
    reserved_type = bytearray(good)
    reserved_type[28] |= 0xC0  # minutia type 3 is reserved
    assert parse(bytes(reserved_type)).reason == "minutia_type"


def test_when_magic_is_unknown_or_version_is_new_then_parse_says_so():
    assert parse(b"PK\x03\x04" + bytes(40)) is None
    assert parse(b"FM") is None and parse(b"") is None
    assert parse("FMR\x00 20\x00") is None and parse(None) is None and parse(12) is None
    rec = parse(b"FMR\x00099\x00" + bytes(30))
    assert rec.kind == "FMR" and rec.version == "099" and not rec.plausible and rec.reason == "unknown_version"


def test_when_blob_is_above_the_cap_then_it_is_not_walked():
    big = bytearray(MAX_BYTES + 1)
    big[:8] = b"FMR\x00 20\x00"
    assert parse(big) == BiometricRecord("FMR", "?", False, "too_large")


def test_when_wsq_lacks_a_frame_or_end_marker_then_it_is_not_plausible():
    assert parse(wsq()[:-2] + b"\x00\x00").reason == "no_end_marker"
    no_frame = b"\xff\xa0" + b"\xff\xa3" + u(3, 2) + b"\x01" + bytes(20) + b"\xff\xa1"
    assert parse(no_frame).reason == "no_frame_header"
    assert kind_of(b"\xff\xa0\xff\xa8") == "WSQ" and kind_of(b"\xff\xa0\x00\x00") is None


_MAGICS = st.sampled_from([b"FMR\x00 20\x00", b"FMR\x00030\x00", b"FIR\x00010\x00", b"FIR\x00020\x00",
                           b"IIR\x00010\x00", b"IIR\x00020\x00", b"FAC\x00010\x00", b"FAC\x00030\x00",
                           b"\xff\xa0\xff\xa2", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"])


@settings(max_examples=400, deadline=None)
@given(st.binary(max_size=512))
def test_when_bytes_are_arbitrary_then_no_parser_raises(data):
    rec = parse(data)
    assert rec is None or isinstance(rec, BiometricRecord)
    image_info(data)
    exif_gps(data)


@settings(max_examples=600, deadline=None)
@given(_MAGICS, st.binary(max_size=400))
def test_when_a_magic_is_followed_by_garbage_then_no_parser_raises(magic, rest):
    data = magic + rest
    rec = parse(data)
    assert rec is None or isinstance(rec, BiometricRecord)
    info = image_info(data)
    assert info is None or info.width > 0 and info.height > 0
    gps = exif_gps(data)
    assert gps is None or abs(gps[0]) <= 90 and abs(gps[1]) <= 180


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(sorted(WELL_FORMED)), st.data())
def test_when_a_well_formed_record_is_mutated_then_parse_never_raises(name, data):
    blob = bytearray(WELL_FORMED[name][0])
    for _ in range(data.draw(st.integers(1, 6))):
        blob[data.draw(st.integers(0, len(blob) - 1))] = data.draw(st.integers(0, 255))
    rec = parse(bytes(blob))
    assert isinstance(rec, BiometricRecord) or rec is None


# -- image headers ------------------------------------------------------------------------
def png_header(width: int, height: int) -> bytes:
    import zlib

    ihdr = u(width, 4) + u(height, 4) + b"\x08\x00\x00\x00\x00"
    chunk = lambda kind, body: u(len(body), 4) + kind + body + u(zlib.crc32(kind + body), 4)  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_when_image_headers_are_read_then_dimensions_come_without_decoding():
    assert image_info(png_header(100_000, 100_000)).pixels == 10**10
    sof = b"\xff\xc0" + u(17, 2) + u(8, 1) + u(480, 2) + u(640, 2) + bytes(12)
    jpeg = b"\xff\xd8\xff\xe0" + u(16, 2) + b"JFIF\x00" + bytes(9) + sof + b"\xff\xda"
    info = image_info(jpeg)
    assert (info.kind, info.width, info.height) == ("jpeg", 640, 480)
    assert image_info(b"\xff\xd8\xff\xe0" + bytes(60)) is None  # no frame header
    assert image_info(b"GIF89a" + bytes(20)) is None


def test_when_exif_has_a_gps_block_then_the_position_is_read():
    lat, lng = exif_gps(jpeg_with_gps(43.8, 87.6))
    assert lat == pytest.approx(43.8) and lng == pytest.approx(87.6)
    lat, lng = exif_gps(jpeg_with_gps(-33.86, -70.65))
    assert lat == pytest.approx(-33.86) and lng == pytest.approx(-70.65)
    assert exif_gps(b"\xff\xd8\xff\xd9") is None
