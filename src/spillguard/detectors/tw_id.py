"""TW_ID: Taiwan national identification numbers, e.g. A123456789 (weighted mod 10)."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import tw_id

_W = "0-9A-Za-z"


class TwIdDetector(PatternDetector):
    id = "tw-id"
    entity = "TW_ID"
    description = "Taiwan national ID number: letter, sex digit, weighted mod-10 check"
    field_names = (
        "身分證", "身份证", "身份證", "統一證號", "twid", "nationalid",
        "idno", "id_no", "idnumber", "idcard", "id_card", "sfzh",
    )  # fmt: skip
    text_keywords = ("身分證", "身份證", "身份证", "統一證號", "national id", "id no")
    base_score = 0.85
    pattern = rf"(?<![{_W}])(?P<v>[A-Z][1289][0-9]{{8}})(?![{_W}])"

    def validate(self, candidate: str) -> Verdict | None:
        n = tw_id.validate(candidate)
        return None if n is None else Verdict(n, 0.85, "weighted mod-10 check")

    positives = (
        Example("A123456789", "身分證字號"),
        Example("F131104093", "national_id"),
        Example("身分證字號：A123456789"),
        Example("名冊 A123456789, F131104093", note="list"),
        Example("B223456782", "twid", note="second digit 2: female"),
    )
    negatives = (
        Example("A123456788", "身分證字號", note="wrong check digit"),
        Example("A323456789", "national_id", note="second digit 3 is not used"),
        Example("訂單 XA123456789", note="inside a longer code"),
        Example("A1234567890", "serial", note="inside a longer run"),
        Example("code A123456780 sent", note="wrong check digit"),
    )
