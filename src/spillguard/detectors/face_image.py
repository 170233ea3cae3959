"""FACE_IMAGE: images that show a face (JPEG/PNG as BLOBs, base64, hex, standalone files,
S3 objects) and ISO/IEC 19794-5 face records ("FAC\\0", which hold a face image by
definition). Images are counted by OpenCV's Haar cascade in a bounded worker process
(spillguard.faces): pixel limit before decoding, time and memory limits, counts only.

At most ``MAX_IMAGES`` images per batch are checked, spread evenly over the batch; after
``EARLY`` checks the batch stops when the answer is already clear (half or more show
faces, or none does). Images with no face are not face images, except in a field whose
name says photo (照片, zp, snapshot, avatar …): there they count at a low score, reported
only below the default confidence, with the evidence "no face detected". Without OpenCV
the detector checks no image (one warning names ``pip install 'spillguard[faces]'``)."""

import base64
import logging

from spillguard.detectors._biometric import blobs, digest, fac_2005
from spillguard.detectors.base import ColumnDetector, ColumnStats, Example as E, Hit
from spillguard.detectors.context import FieldContext, name_matches
from spillguard.faces import default_worker
from spillguard.validators.biometric_records import parse
from spillguard.validators.image_headers import image_info

log = logging.getLogger("spillguard")
MAX_IMAGES = 200
EARLY = 25
FACE, NO_FACE = 0.9, 0.3  # hit scores; confidence() tells the two apart by them
_IMAGE_MAGICS = (b"\xff\xd8\xff", b"\x89PNG", b"FAC\x00")
_PHOTO = ("zp", "照片", "相片", "photo", "snapshot", "zpdz", "face_img", "faceimg", "face_image", "avatar",
          "pic", "picture", "抓拍", "头像", "人脸", "portrait", "headshot", "xp", "selfie")


class FaceImageDetector(ColumnDetector):
    id = "face-image"
    entity = "FACE_IMAGE"
    description = "Image that shows a face (OpenCV Haar cascade, sampled) or an ISO 19794-5 face record"
    field_names = _PHOTO

    def scan_column(self, texts, raw, ctx):
        hits: list[Hit] = []
        images = []
        candidates = 0
        for i, end, data, _ in blobs(texts, raw, _IMAGE_MAGICS):
            record = parse(data) if bytes(data[:4]) == b"FAC\x00" else None
            if record is not None:
                candidates += 1
                if record.plausible:
                    hits.append(Hit(i, 0, end, digest("fac", data), FACE, f"{record.version} face record", self.entity))
            elif image_info(data) is not None:
                images.append((i, end, data))
        if images:
            hits_checked = self._faces(images, name_matches(ctx.path, _PHOTO))
            candidates += hits_checked[1]
            hits.extend(hits_checked[0])
        return hits, candidates, len(hits)

    def _faces(self, images: list, named: str | None) -> tuple[list[Hit], int]:
        worker = default_worker()
        if worker is None:
            return [], 0
        if len(images) > MAX_IMAGES:  # evenly spread over the batch, same picks every run
            images = [images[k * len(images) // MAX_IMAGES] for k in range(MAX_IMAGES)]
        hits, checked, with_faces, skipped = [], 0, 0, {}
        for row, end, data in images:
            result = worker.count(data)
            if not result.checked:
                skipped[result.status] = skipped.get(result.status, 0) + 1
                continue
            checked += 1
            if result.faces:
                with_faces += 1
                hits.append(Hit(row, 0, end, digest("img", data), FACE, "face detected (OpenCV Haar cascade)",
                                self.entity))
            elif named:
                hits.append(Hit(row, 0, end, digest("img", data), NO_FACE, "image, no face detected", self.entity))
            if checked >= EARLY and (with_faces * 2 >= checked or not with_faces):
                break
        if skipped:
            log.info("face detection: %s", ", ".join(f"{n} image(s) {why}" for why, n in sorted(skipped.items())))
        return hits, checked

    def confidence(self, stats: ColumnStats, ctx: FieldContext):
        if not stats.validated:
            return 0.0, []
        n = max(stats.candidates, 1)
        faces = round((stats.score_sum - NO_FACE * stats.validated) / (FACE - NO_FACE))
        faces = max(0, min(faces, stats.validated))
        named = name_matches(ctx.path, _PHOTO)
        evidence = [f"faces in {faces} of {n} images checked"]
        if n >= EARLY:
            evidence.append(f"sampled: at most {MAX_IMAGES} images checked per batch")
        if named:
            evidence.append(f"field name '{named}'")
        if not faces:
            return 0.3, evidence + ["no face detected"]
        share = faces / n
        conf = 0.6 + 0.3 * min(1.0, share / 0.5) + (0.1 if named else 0.0)
        if share < 0.2 and not named:
            return 0.45, evidence + ["few images show a face: possible false detections"]
        return round(min(conf, 0.99), 2), evidence

    _FAC = fac_2005()
    positives = (
        E(_FAC, field="face_record", note="ISO 19794-5 face record as a BLOB"),
        E(base64.b64encode(_FAC).decode(), field="(content)", note="base64 face record"),
    )
    negatives = (
        E(b"\xff\xd8\xff\xe0" + bytes(60), field="photo", note="JPEG magic without a frame header"),
        E(_FAC[:-4], field="zp", note="truncated face record"),
        E("photo_2024.jpg", field="photo", note="a file name, not an image"),
    )
