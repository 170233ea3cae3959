"""HK_ID: Hong Kong identity card numbers, e.g. CA182361(1), check digit mod 11."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import hk_id

_W = "0-9A-Za-z"


class HkIdDetector(PatternDetector):
    id = "hk-id"
    entity = "HK_ID"
    description = "Hong Kong identity card number with its mod-11 check digit"
    field_names = (
        "hkid", "hkic", "hkidno", "香港身份证", "香港身份證", "身份證", "身份证",
        "idcard", "id_card", "idno", "id_no", "idnumber",
    )  # fmt: skip
    text_keywords = ("hkid", "hkic", "香港身份證", "香港身份证", "身份證", "身份证", "identity card", "id card")
    base_score = 0.85
    pattern = rf"(?<![{_W}])(?P<v>[A-Z]{{1,2}}[0-9]{{6}}(?:\s?[(\uff08][0-9A][)\uff09]|[0-9A]))(?![{_W}])"

    def validate(self, candidate: str) -> Verdict | None:
        n = hk_id.validate(candidate)
        if n is None:
            return None
        if "(" in candidate or "\uff08" in candidate:
            return Verdict(n, 0.85, "mod-11 check digit, bracketed")
        return Verdict(n, 0.65, "mod-11 check digit")

    positives = (
        Example("CA182361(1)", "hkid"),
        Example("A1234563", "hk_id_no", note="no brackets, single letter"),
        Example("持證人 HKID: CA182361(1)。"),
        Example("Staff: A123456(3), CA182361(1)", note="list"),
        Example("身份證號碼 Z683365(A)", note="check digit A"),
    )
    negatives = (
        Example("CA182361(2)", "hkid", note="wrong check digit"),
        Example("SKU XCA182361(1)", note="inside a longer code"),
        Example("CA1823611234", "order_no", note="inside a longer digit run"),
        Example("A1234564", "product_code", note="wrong check digit"),
        Example("batch CA182361(9) done", note="wrong check digit"),
    )
