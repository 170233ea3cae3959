"""Standalone biometric files and images: claimed by magic or extension, read as one
"(content)" value, capped in size, and scanned end to end instead of skipped as binary."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from spillguard import Settings, scan
from spillguard.detectors._biometric import fac_2005, fmr_2005, iir_2005, wsq
from spillguard.formats import registry
from spillguard.formats.base import ReadContext
from spillguard.models import Batch, Coverage
from spillguard.settings import Limits
from spillguard.sources.streams import pick_format

FMT = next(f for f in registry() if f.id == "biometric-file")
ASSETS = Path(__file__).resolve().parents[2] / "samples" / "assets"
PNG_HEAD = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


@pytest.mark.parametrize("name,head", [
    ("left_index.fmr", fmr_2005()),
    ("blob.bin", fmr_2005()),  # magic alone is enough
    ("scan.dat", b"FIR\x00010\x00" + bytes(40)),
    ("eye.iir", iir_2005()),
    ("face.rec", fac_2005()),
    ("thumb.wsq", wsq()),
    ("photo", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),
    ("icon.png", PNG_HEAD + bytes(20)),
    ("finger.ist", b"\x01\x02\x00\x00\x07" * 20),  # extension + binary head
])
def test_when_head_or_extension_says_biometric_then_the_format_claims_it(name, head):
    assert FMT.sniff(name, head)
    assert pick_format(name, head) is FMT


@pytest.mark.parametrize("name,head", [
    ("notes.jpg", b"this is text that somebody saved as .jpg\n"),  # text stays text
    ("data.csv", b"a,b\n1,2\n"),
    ("archive.zip", b"PK\x03\x04" + bytes(30)),
    ("db.sqlite", b"SQLite format 3\x00"),
])
def test_when_neither_magic_nor_binary_extension_fits_then_it_is_left_to_other_formats(name, head):
    assert not FMT.sniff(name, head)


def _read(data: bytes, limits: Limits | None = None) -> tuple[list, Coverage]:
    cov = Coverage("t", "f.bin", None)
    ctx = ReadContext("f.bin", cov, limits or Limits(), 0)
    return list(FMT.read(io.BytesIO(data), ctx)), cov


def test_when_a_file_is_read_then_it_is_one_content_value_in_one_record():
    data = fmr_2005()
    items, cov = _read(data)
    assert items == [Batch(columns={"(content)": [data]}, records=1)]
    assert cov.status == "complete" and cov.bytes == len(data)
    assert _read(b"")[0] == []


def test_when_a_file_exceeds_the_field_cap_then_it_is_cut_and_marked_partial():
    data = b"\xff\xd8\xff\xe0" + bytes(5000)
    items, cov = _read(data, Limits(max_field_bytes=1024))
    assert len(items[0].columns["(content)"][0]) == 1024
    assert (cov.status, cov.reason) == ("partial", "size_limit")


def test_when_a_directory_of_biometric_files_is_scanned_then_each_is_found_not_skipped(tmp_path, monkeypatch):
    monkeypatch.setenv("SPILLGUARD_KEY", "biometric-file-test-key-0123")
    (tmp_path / "left_index.fmr").write_bytes(fmr_2005())
    (tmp_path / "eye.iir").write_bytes(iir_2005())
    (tmp_path / "noise.bin").write_bytes(bytes(range(256)) * 4)
    expected = {("left_index.fmr", "FINGERPRINT_TEMPLATE"), ("eye.iir", "IRIS_TEMPLATE")}
    if (ASSETS / "astronaut.jpg").is_file():
        pytest.importorskip("cv2")
        (tmp_path / "face.jpg").write_bytes((ASSETS / "astronaut.jpg").read_bytes())
        expected.add(("face.jpg", "FACE_IMAGE"))
    result = scan(Settings(targets=[str(tmp_path)]))
    assert {(f.path, f.entity) for f in result.findings} == expected
    assert all(f.field == "(content)" and f.samples == ("[hidden]",) for f in result.findings)
    rows = {c.path: (c.status, c.reason) for c in result.coverage}
    assert rows["noise.bin"] == ("skipped", "binary")
    assert all(rows[p] == ("complete", None) for p, _ in expected)
