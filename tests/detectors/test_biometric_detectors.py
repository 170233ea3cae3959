"""Biometric detectors (fingerprint and iris records, face images, EXIF GPS): their own
examples, the value forms stores use (bytes, base64, hex, data: URIs), realistic columns
through the real pipeline, and what happens without OpenCV."""

from __future__ import annotations

import base64
import logging
import random
from pathlib import Path

import pytest

from spillguard.detectors import registry
from spillguard.detectors._biometric import blob, fac_2005, fmr_2005, fmr_2011, iir_2005, wsq
from spillguard.detectors.base import evaluate_example
from spillguard.detectors.exif_gps import jpeg_with_gps
from spillguard.faces import pool
from tests.pipeline import entities, scan_column

DET = {d.id: d for d in registry()}
IDS = ("fingerprint-template", "iris-template", "face-image", "exif-gps")
ASSETS = Path(__file__).resolve().parents[2] / "samples" / "assets"
RNG = random.Random(19794)


def _examples(kind: str):
    for det_id in IDS:
        det = DET[det_id]
        for i, ex in enumerate(det.positives if kind == "pos" else det.negatives):
            yield pytest.param(det, ex, id=f"{det_id}-{kind}{i}")


@pytest.mark.parametrize("det,ex", list(_examples("pos")))
def test_when_positive_example_is_judged_alone_then_it_passes(det, ex):
    assert evaluate_example(det, ex) >= 0.5


@pytest.mark.parametrize("det,ex", list(_examples("neg")))
def test_when_negative_example_is_judged_alone_then_it_fails(det, ex):
    assert evaluate_example(det, ex) < 0.5


@pytest.mark.parametrize("form", ["bytes", "base64", "base64-urlsafe", "base64-mime", "hex", "pg-hex", "data-uri",
                                  "utf8-blob"])
def test_when_template_comes_in_any_stored_form_then_it_is_found(form):
    values = [fmr_2005(seed=i, n=20 + i) for i in range(12)]
    encode = {
        "bytes": lambda b: b,
        "base64": lambda b: base64.b64encode(b).decode(),
        "base64-urlsafe": lambda b: base64.urlsafe_b64encode(b).decode().rstrip("="),
        "base64-mime": lambda b: base64.encodebytes(b).decode(),
        "hex": lambda b: b.hex().upper(),
        "pg-hex": lambda b: "\\x" + b.hex(),
        "data-uri": lambda b: "data:application/octet-stream;base64," + base64.b64encode(b).decode(),
        "utf8-blob": lambda b: base64.b64encode(b),  # base64 text stored in a BLOB
    }[form]
    findings = scan_column("data", [encode(v) for v in values])
    assert "FINGERPRINT_TEMPLATE" in entities(findings, "data")
    f = next(f for f in findings if f.entity == "FINGERPRINT_TEMPLATE")
    assert f.count == 12 and f.distinct == 12 and f.samples == ("[hidden]",)


def test_when_column_mixes_editions_and_wsq_then_all_count_and_field_name_raises_confidence():
    values = [fmr_2005(seed=1), fmr_2011(seed=2), wsq(), None, fmr_2005(seed=3)]
    named = next(f for f in scan_column("指纹特征", values) if f.entity == "FINGERPRINT_TEMPLATE")
    bare = next(f for f in scan_column("blob", values) if f.entity == "FINGERPRINT_TEMPLATE")
    assert named.count == bare.count == 4
    assert named.confidence > bare.confidence >= 0.5
    assert any("指纹" in e for e in named.evidence)


def test_when_column_holds_random_bytes_or_text_then_nothing_biometric_is_found():
    noise = [RNG.randbytes(RNG.randint(16, 3000)) for _ in range(60)]
    texts = [base64.b64encode(b).decode() for b in noise[:30]]
    found = entities(scan_column("zw_tz", noise)) | entities(scan_column("zp", texts))
    assert not found & {"FINGERPRINT_TEMPLATE", "IRIS_TEMPLATE", "FACE_IMAGE", "GEO_COORDINATES"}


def test_when_most_records_are_broken_then_a_bare_column_is_not_reported():
    broken = [fmr_2005(seed=i)[:-3] for i in range(9)] + [fmr_2005(seed=99)]
    assert "FINGERPRINT_TEMPLATE" not in entities(scan_column("blob", broken))


def test_when_iris_and_fingerprint_records_share_a_table_then_each_gets_its_own_entity():
    findings = scan_column("hm_tz", [iir_2005(), iir_2005(b"\xff\xd8\xff" + bytes(30))], siblings=("zw",))
    assert entities(findings, "hm_tz") == {"IRIS_TEMPLATE"}
    assert "IRIS_TEMPLATE" not in entities(scan_column("zw", [fmr_2005()]))


def test_when_blob_helper_meets_look_alikes_then_it_decodes_nothing():
    magics = (b"FMR\x00",)
    assert blob(None, b"FMR", magics) is None
    assert blob("Rk1SAA==garbage!", "Rk1SAA==garbage!", magics) is None
    assert blob("464d5200zz", "464d5200zz", magics) is None
    assert blob("data:text/plain,FMR", "data:text/plain,FMR", magics) is None
    assert blob(None, 12345, magics) is None


# -- faces ---------------------------------------------------------------------------------
def _images():
    cv2 = pytest.importorskip("cv2")
    import numpy as np

    face = (ASSETS / "astronaut_face.jpg").read_bytes()
    photo = (ASSETS / "astronaut.jpg").read_bytes()
    blank = cv2.imencode(".png", np.full((200, 200), 200, np.uint8))[1].tobytes()
    return face, photo, blank


def test_when_a_column_of_face_photos_is_scanned_then_face_image_is_found_with_counts():
    face, photo, blank = _images()
    values = [face, base64.b64encode(photo).decode(), None, "data:image/jpeg;base64," + base64.b64encode(face).decode(),
              base64.b64encode(photo)]  # base64 text in a BLOB, longer than to_text reads
    findings = scan_column("snapshot", values)
    f = next(f for f in findings if f.entity == "FACE_IMAGE")
    assert f.count == 4 and f.samples == ("[hidden]",) and f.confidence >= 0.9
    assert "faces in 4 of 4 images checked" in f.evidence


def test_when_images_show_no_face_then_only_a_photo_field_gives_a_low_confidence_hint():
    _, _, blank = _images()
    assert "FACE_IMAGE" not in entities(scan_column("zp", [blank] * 3))
    low = scan_column("zp", [blank] * 3, min_confidence=0.2)
    f = next(f for f in low if f.entity == "FACE_IMAGE")
    assert f.confidence < 0.5 and "no face detected" in f.evidence
    assert "FACE_IMAGE" not in entities(scan_column("attachment", [blank] * 3, min_confidence=0.2))


def test_when_a_photo_carries_exif_gps_then_coordinates_and_face_are_both_reported():
    _, photo, _ = _images()
    gps = jpeg_with_gps(43.8, 87.6)
    tagged = photo[:2] + gps[2:-2] + photo[2:]  # the APP1 segment spliced in after SOI
    found = entities(scan_column("(content)", [tagged]))
    assert {"FACE_IMAGE", "GEO_COORDINATES"} <= found
    assert "GEO_COORDINATES" not in entities(scan_column("(content)", [photo]))


def test_when_a_column_has_more_images_than_the_budget_then_only_a_sample_is_checked(monkeypatch):
    face, _, _ = _images()
    calls = []
    real = pool.FaceWorker.count

    def counting(self, data):
        calls.append(len(data))
        return real(self, data)

    monkeypatch.setattr(pool.FaceWorker, "count", counting)
    findings = scan_column("photo", [face] * 300)
    f = next(f for f in findings if f.entity == "FACE_IMAGE")
    assert len(calls) <= 200  # the budget; a clear answer stops after 25
    assert any("sampled" in e for e in f.evidence)


def test_when_opencv_is_missing_then_images_are_skipped_with_one_warning(monkeypatch, caplog):
    face, _, _ = _images()
    monkeypatch.setattr(pool, "_default", None)
    monkeypatch.setattr(pool, "_warned_missing", False)
    monkeypatch.setattr(pool.importlib.util, "find_spec", lambda name, *a, **k: None)
    with caplog.at_level(logging.WARNING, logger="spillguard"):
        first = scan_column("zp", [face, face])
        second = scan_column("photo", [face])
    assert "FACE_IMAGE" not in entities(first) | entities(second)
    warnings = [r for r in caplog.records if "OpenCV is not installed" in r.getMessage()]
    assert len(warnings) == 1 and "spillguard[faces]" in warnings[0].getMessage()
    # face records need no OpenCV
    assert "FACE_IMAGE" in entities(scan_column("zp", [fac_2005()]))
