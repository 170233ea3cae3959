"""IRIS_TEMPLATE: iris image records (ISO/IEC 19794-6 "IIR\\0", 2005 and 2011 editions) as
raw bytes, base64 or hex. Judged like fingerprint records: declared length = size and a
header that holds together; an iris-ish field name (虹膜, hm, iris) adds to it."""

import base64

from spillguard.detectors._biometric import RecordDetector, fmr_2005, iir_2005
from spillguard.detectors.base import Example as E

_IIR = iir_2005()


class IrisTemplateDetector(RecordDetector):
    id = "iris-template"
    entity = "IRIS_TEMPLATE"
    description = "Iris image record (ISO/IEC 19794-6)"
    kinds = ("IIR",)
    magics = (b"IIR\x00",)
    noun = "iris record"
    field_names = ("iris", "虹膜", "hm", "hmtz", "iir", "eye")

    positives = (
        E(_IIR, field="hm_tz", note="19794-6:2005 blob"),
        E(base64.b64encode(_IIR).decode(), field="iris_template", note="base64"),
        E(_IIR, field="(content)", note="a standalone .iir file"),
    )
    negatives = (
        E(_IIR[:-1], field="iris", note="truncated: declared length exceeds the blob"),
        E(fmr_2005(), field="iris", note="a fingerprint record is not an iris record"),
        E(b"IIR\x00" + bytes(40), field="hm", note="magic, then nothing that fits"),
    )
