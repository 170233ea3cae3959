"""PHONE_NUMBER: Chinese mobiles and landlines, international numbers with + / 00, and
North-American numbers written with separators; validated by libphonenumber."""

from __future__ import annotations

import re

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import phone

# 3-3-4 with a separator before the last group: (415) 555-0132, 415-555-0132.
_NANP = re.compile(r"\(?[2-9]\d{2}\)?[ .\-]?[2-9]\d{2}[ .\-]\d{4}")
_SCORE = {"mobile": 0.85, "fixed line": 0.7, "other": 0.5}


class PhoneNumberDetector(PatternDetector):
    id = "phone-number"
    entity = "PHONE_NUMBER"
    description = "Phone numbers (CN mobile/landline, +international, NANP) valid in libphonenumber"
    field_names = (
        "lxdh", "sjhm", "sjh", "lxfs", "phone", "mobile", "tel", "telephone", "cellphone",
        "联系电话", "手机号码", "手机", "电话", "联系方式",
    )
    text_keywords = ("phone", "tel", "mobile", "cell", "call", "电话", "手机", "联系方式")
    default_region = "CN"
    scan_from_gate_match = False  # RE2 finds the start of a match dearly here (base.py)
    pattern = (
        r"(?<![0-9A-Za-z+])(?<!\d[\-.])(?P<v>"
        r"\+[1-9]\d{0,2}(?:[ .\-]?\(\d{1,4}\))?[ .\-]?\d{1,14}(?:[ .\-]\d{1,14}){0,5}"  # +intl
        r"|(?:00)?86[ \-]?1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}"  # 86 / 0086 + CN mobile
        r"|1[3-9]\d[ \-]?\d{4}[ \-]?\d{4}"  # CN mobile
        r"|\(?0[1-9]\d{1,2}\)?[ \-]?\d{7,8}"  # CN landline
        r"|\(?[2-9]\d{2}\)?[ .\-]?[2-9]\d{2}[ .\-]\d{4}"  # NANP, separators required
        r")(?![0-9A-Za-z]|[\-.]?\d)"
    )

    def validate(self, candidate: str) -> Verdict | None:
        info = phone.validate(candidate, self.default_region)
        guessed = False
        if info is None and _NANP.fullmatch(candidate):
            info, guessed = phone.validate(candidate, "US"), True
        if info is None:
            return None
        score = 0.6 if guessed else _SCORE[info.kind]
        return Verdict(info.e164, score, f"{info.kind} number ({info.region or 'unknown region'})")

    positives = (
        Example("13123456789", field="sjhm"),
        Example("131 2345 6789", field="联系电话"),
        Example("+86 131-2345-6789", field="lxdh"),
        Example("010-12345678", field="tel", note="Beijing landline"),
        Example(13812345678, field="mobile", note="integer cell"),
        Example("联系电话：13812345678，请回电"),
        Example("Call me on +44 20 7123 4567 tomorrow"),
        Example("reach us at 0086 138 1234 5678 or 0937-1234567"),
    )
    negatives = (
        Example("1700000000", field="created_at", note="unix timestamp"),
        Example("1700000000123", field="ts", note="13-digit ms timestamp"),
        Example("6901234567892", field="barcode", note="EAN-13"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("12345678901", field="order_no", note="not a CN mobile range"),
        Example("logged at 1700000000123 ms, order 202309151234567"),
        Example("build 10.0.19045.3693 of 2023-10-12"),
        Example("serial 490154203237518"),
    )
