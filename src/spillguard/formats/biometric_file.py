"""Standalone biometric files and images: ISO/ANSI records ("FMR\\0", "FIR\\0", "IIR\\0",
"FAC\\0"), WSQ fingerprint images (FF A0 FF), JPEG (FF D8 FF) and PNG photos.

Claimed by magic bytes, or by extension (.fmr .ist .wsq .iso-19794 .fir .iir .fac .jpg
.jpeg .png) when the head is not text. The whole file becomes ONE value in ONE record:
``Batch(columns={"(content)": [bytes]}, records=1)``; the column detectors (fingerprint,
iris and face records, faces in images, EXIF GPS) judge that value. At most
``limits.max_field_bytes`` are read; a larger file is cut there and marked partial
("size_limit"). Pixels are never decoded here.
"""

from __future__ import annotations

from typing import BinaryIO, Iterator

from spillguard.formats.base import Format, Item, ReadContext
from spillguard.formats.encoding import looks_binary
from spillguard.models import Batch
from spillguard.validators.biometric_records import kind_of
from spillguard.validators.image_headers import image_kind

FIELD = "(content)"


class BiometricFile(Format):
    id = "biometric-file"
    extensions = (".fmr", ".ist", ".wsq", ".iso-19794", ".fir", ".iir", ".fac", ".jpg", ".jpeg", ".png")
    priority = 85
    kind = "records"

    def sniff(self, name: str, head: bytes) -> bool:
        if kind_of(head[:4]) or image_kind(head[:8]):
            return True
        return name.lower().endswith(self.extensions) and looks_binary(head)

    def read(self, stream: BinaryIO, ctx: ReadContext) -> Iterator[Item]:
        cap = max(ctx.limits.max_field_bytes, 1)
        chunks, size = [], 0
        while size <= cap:
            chunk = stream.read(cap + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        data = b"".join(chunks)
        if len(data) > cap:
            data = data[:cap]
            ctx.coverage.mark("partial", "size_limit")
        ctx.coverage.bytes += len(data)
        if data:
            yield Batch(columns={FIELD: [data]}, records=1)
