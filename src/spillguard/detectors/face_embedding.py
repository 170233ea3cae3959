"""FACE_EMBEDDING: face-recognition feature vectors of 128/256/512/1024 floats, stored as a
numeric list, a JSON array string, base64 of float32/float64 (either byte order) or a raw
blob of 4*dim or 8*dim bytes. A vector is one when every component is finite and its L2
norm is ~1 (ArcFace/FaceNet) or 0.3..0.9 for 128 dims (dlib float64). Many models emit
such vectors, so context decides: a face-ish field name or a snapshot/photo sibling makes
it a face embedding; a bare vector column stays below 0.5, a possible biometric."""

import base64
import binascii
import hashlib
import math
import re
import struct
import sys
from array import array

from spillguard.detectors._biometric import BINARY
from spillguard.detectors.column_view import column
from spillguard.detectors.base import ColumnDetector, ColumnStats, Example as E, Hit
from spillguard.detectors.context import FieldContext, name_matches
from spillguard.detectors.gate import enabled

DIMS = (128, 256, 512, 1024)
_SIZES = {w * d for d in DIMS for w in (4, 8)}
_MAX_CHARS = 40_000  # 1024 floats as JSON text; longer text is not looked at
_B64 = re.compile(r"[A-Za-z0-9+/_-]{680,}={0,2}")
_FACE = ("face", "facefeature", "facevector", "faceid", "人脸", "面部", "rlsb", "rltz")
_GENERIC = ("feature", "embedding", "vector", "feat", "emb", "tz", "特征", "encoding", "descriptor")
_NEAR = ("snapshot", "photo", "pic", "picture", "image", "img", "capture", "抓拍", "照片", "头像", "人脸", "zp",
         "avatar", "portrait", "face")
_PERSON_KEYS = ("person", "ryid", "sfzh", "idcard", "zjhm", "xm", "name", "resident", "visitor", "employee")


def _floats(t: str | None, r) -> list[float] | None:
    if isinstance(r, (list, tuple)):
        ok = len(r) in DIMS and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in r)
        return [float(x) for x in r] if ok else None
    if isinstance(r, (bytes, bytearray, memoryview)) and len(r) in _SIZES:
        v = _decode(bytes(r))
        if v is not None or t is None:
            return v
    s = t.strip() if t is not None and len(t) <= _MAX_CHARS else ""
    try:
        if s.count(",") + 1 in DIMS:
            return [float(x) for x in s.strip("[]").split(",")]
        if _B64.fullmatch(s):
            b = base64.b64decode(s.replace("-", "+").replace("_", "/") + "=" * (-len(s) % 4), validate=True)
            return _decode(b) if len(b) in _SIZES else None
    except (ValueError, binascii.Error):
        pass
    return None


_MIN_TEXT = 2 * min(DIMS) - 1  # 128 numbers need 127 commas; base64 needs more


def _vector_rows(texts: list[str | None], raw: list) -> list[int]:
    """Rows ``_floats`` can accept: lists, blobs, and text long enough to hold a vector.
    A column without either (nearly every one) is ruled out by two C-level passes."""
    kinds = (list, tuple, *BINARY)
    col = column(texts, raw)
    if not col.holds_raw(kinds):
        if enabled() and col.longest() < _MIN_TEXT:
            return []
        kinds = ()  # rows_where need not look for them
    return col.rows_where(rf"(?s)^.{{{_MIN_TEXT}}}", kinds)


def _decode(b: bytes) -> list[float] | None:
    """The first plausible reading of a blob: float32 or float64, little- then big-endian."""
    for code in ("f", "d"):
        for swap in (False, True) if len(b) // struct.calcsize(code) in DIMS else ():
            a = array(code, b)
            if swap != (sys.byteorder == "big"):
                a.byteswap()
            if _verdict(v := a.tolist()):
                return v
    return None


def _verdict(v: list[float]) -> str | None:
    norm = math.sqrt(sum(x * x for x in v)) if all(math.isfinite(x) for x in v) else 0.0
    if 0.9 <= norm <= 1.1:
        return "L2-normalised"
    return "dlib-like 128-d" if len(v) == 128 and 0.3 <= norm < 0.9 else None


def _example(dim: int, norm: float = 1.0) -> list[float]:
    v = [math.sin(i * 12.9898 + dim) for i in range(dim)]
    scale = norm / math.sqrt(sum(y * y for y in v))
    return [x * scale for x in v]


_V512, _F32 = _example(512), struct.pack("<512f", *_example(512))


class FaceEmbeddingDetector(ColumnDetector):
    id = "face-embedding"
    entity = "FACE_EMBEDDING"
    description = "Face-recognition feature vector (128/256/512/1024 floats: list, JSON, base64, blob)"
    field_names = _FACE + _GENERIC
    sibling_names = _NEAR

    def scan_column(self, texts, raw, ctx):
        hits, candidates = [], 0
        for i in _vector_rows(texts, raw):
            t, r = texts[i], raw[i]
            v = _floats(t, r)
            candidates += v is not None
            if v is not None and (why := _verdict(v)):
                digest = hashlib.sha256(struct.pack("<16f", *(round(x, 4) for x in v[:16]))).hexdigest()
                hits.append(Hit(i, 0, len(t) if t else 0, f"vec{len(v)}:{digest[:24]}", 0.9,
                                f"{len(v)}-d vector, {why}", self.entity))
        return hits, candidates, len(hits)

    def confidence(self, stats: ColumnStats, ctx: FieldContext):
        if not stats.validated:
            return 0.0, []
        n = max(stats.nonempty, stats.candidates, 1)
        face, generic = name_matches(ctx.path, _FACE), name_matches(ctx.path, _GENERIC)
        near, person = ctx.sibling_matches(_NEAR), ctx.sibling_matches(_PERSON_KEYS)
        conf = 0.4 + (0.5 if face else 0.2 if generic else 0) + (0.2 if near else 0) + (0.05 if person else 0)
        conf = min(conf, 0.99) * min(1.0, stats.validated / n / 0.5)
        evidence = [f"{stats.validated}/{n} values are finite float vectors of a face-embedding size"]
        for label, word in (("field name", face or generic), ("neighbouring field", near), ("person key", person)):
            if word:
                evidence.append(f"{label} '{word}'")
        if conf < 0.5:
            evidence.append("possible biometric: vectors without face context")
        return round(conf, 2), evidence

    positives = (
        E(_V512, field="face_feature"),
        E("[" + ", ".join(f"{x:.6f}" for x in _V512) + "]", field="feature", siblings=("snapshot_url", "person_id")),
        E(base64.b64encode(_F32).decode(), field="tz", siblings=("zp",)),
        E(_F32, field="facefeature"),
        E(struct.pack("<128d", *_example(128, 0.55)), field="face_encoding", note="dlib 128-d float64"),
        E(_V512, field="vec", siblings=("抓拍图片",), note="snapshot sibling"),
    )
    negatives = (
        E(_V512, field="vec", note="a bare vector: possible biometric only"),
        E(_example(512, 25.0), field="face_feature", note="not normalised"),
        E([0.5] * 300, field="face_feature"),
        E(bytes(range(256)) * 8, field="face_feature", note="2048 bytes that are not floats"),
        E("[0.1, 0.2, 0.3]", field="feature"),
    )
