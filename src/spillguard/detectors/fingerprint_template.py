"""FINGERPRINT_TEMPLATE: fingerprint minutiae templates (ISO/IEC 19794-2, ANSI INCITS 378:
"FMR\\0"), finger image records (ISO/IEC 19794-4, ANSI INCITS 381: "FIR\\0") and WSQ
fingerprint images, as raw bytes, base64 or hex. A value counts when its declared record
length equals its size and its views/minutiae walk exactly to the end (see
validators/biometric_records.py); a magic alone is a failed candidate. The structure is
decisive on its own; a fingerprint-ish field name (指纹, zw, minutiae …) adds to it."""

import base64

from spillguard.detectors._biometric import RecordDetector, fmr_2005, fmr_2011, wsq
from spillguard.detectors.base import Example as E

_FMR = fmr_2005(seed=3)
_4GB = _FMR[:8] + (0xFFFFFFFF).to_bytes(4, "big") + _FMR[12:30]


class FingerprintTemplateDetector(RecordDetector):
    id = "fingerprint-template"
    entity = "FINGERPRINT_TEMPLATE"
    description = "Fingerprint minutiae template or image (ISO 19794-2/-4, ANSI 378/381, WSQ)"
    kinds = ("FMR", "FIR", "WSQ")
    magics = (b"FMR\x00", b"FIR\x00", b"\xff\xa0\xff")
    noun = "fingerprint record"
    field_names = ("fingerprint", "finger", "指纹", "zw", "tz_zw", "zwtz", "minutiae", "template", "fmr", "wsq")

    positives = (
        E(_FMR, field="zw_tz", note="ISO 19794-2:2005 blob"),
        E(base64.b64encode(fmr_2011(seed=5)).decode(), field="fingerprint", note="19794-2:2011, base64"),
        E(_FMR.hex(), field="data", note="hex text, no field-name support needed"),
        E(wsq(), field="(content)", note="a standalone .wsq file"),
    )
    negatives = (
        E(bytes(range(256)), field="zw_tz", note="random bytes"),
        E(_4GB, field="fingerprint", note="declares 4 GB in a 30-byte blob"),
        E(_FMR[:-5], field="zw", note="truncated record"),
        E("FMR template v2", field="template", note="text that merely says FMR"),
    )
