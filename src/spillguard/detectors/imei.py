"""IMEI: 15 digits (TAC + serial + Luhn), optionally separated (35-209900-176148-1), and
16-digit IMEISV. Luhn passes 10 % of random 15-digit strings, so this detector needs
context: a field named imei/串号/sbm, an IMSI or MAC field beside it, or the word IMEI."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import imei


class IMEIDetector(PatternDetector):
    id = "imei"
    entity = "IMEI"
    description = "Handset IMEI (15 digits, Luhn) or IMEISV (16 digits, known reporting body); needs context"
    field_names = ("imei", "imeisv", "串号", "手机串号", "设备识别码", "sbm", "sbch")
    sibling_names = ("imsi", "mac", "iccid", "meid", "物理地址")
    text_keywords = ("imei", "串号")
    needs_context = True
    pattern = (
        r"(?<![0-9A-Za-z])(?<!\d[\-.])"
        r"(?P<v>\d{2}[ \-]?\d{6}[ \-]?\d{6}[ \-]?\d{1,2})"
        r"(?![0-9A-Za-z]|[\-.]\d)"
    )

    def validate(self, candidate: str) -> Verdict | None:
        d = imei.validate(candidate)
        if d is not None:
            if imei.known_rbi(d):
                return Verdict(d, 0.85, "TAC + serial + Luhn check digit")
            return Verdict(d, 0.6, "Luhn check digit; unknown reporting body")
        sv = imei.validate_sv(candidate)
        if sv is not None:
            return Verdict(sv, 0.6, "IMEISV (no check digit)")
        return None

    positives = (
        Example("490154203237518", field="imei"),
        Example("35-209900-176148-1", field="手机串号"),
        Example("356938035643809", field="sbm"),
        Example("3569380356438091", field="imeisv", note="IMEISV"),
        Example("869012345678903", field="device_code", siblings=("imsi", "mac")),
        Example("handset IMEI: 35 209900 176148 1, SIM inserted"),
    )
    negatives = (
        Example("490154203237519", field="imei", note="Luhn fails"),
        Example("490154203237518", field="serial_no", note="Luhn passes by chance, no context"),
        Example("order 490154203237518 shipped"),
        Example("4111111111111111", field="card_no", note="credit card, not IMEISV"),
        Example("1700000000123", field="imei", note="13-digit ms timestamp"),
        Example("6901234567892", field="barcode", note="EAN-13"),
        Example("IMEI 490154203237517 is mistyped"),
    )
