"""IMSI: MCC + MNC + MSIN, 14-15 digits, known mobile country code (and a known Chinese
operator for MCC 460). No checksum: needs a field name, a neighbouring IMEI/ICCID field
or the word IMSI nearby."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import imsi


class IMSIDetector(PatternDetector):
    id = "imsi"
    entity = "IMSI"
    description = "Subscriber IMSI (14-15 digits, known MCC/MNC); needs context"
    field_names = ("imsi", "国际移动用户识别码", "用户识别码", "sim卡号")
    sibling_names = ("imei", "iccid", "msisdn", "sjhm", "串号")
    text_keywords = ("imsi",)
    needs_context = True
    pattern = r"(?<![0-9A-Za-z])(?<!\d[\-.])(?P<v>\d{14,15})(?![0-9A-Za-z]|[\-.]\d)"

    def validate(self, candidate: str) -> Verdict | None:
        d = imsi.validate(candidate)
        if d is None:
            return None
        return Verdict(d, 0.85, f"known MCC ({imsi.MCC[d[:3]]})")

    positives = (
        Example("460001234567890", field="imsi"),
        Example("460110123456789", field="IMSI", note="China Telecom"),
        Example("454001234567890", field="sim_id", siblings=("imei", "msisdn")),
        Example("310150123456789", field="imsi", note="US"),
        Example("attach request IMSI=460021234567890 accepted"),
    )
    negatives = (
        Example("460991234567890", field="imsi", note="MCC 460 with unknown MNC"),
        Example("999991234567890", field="imsi", note="unknown MCC"),
        Example("460001234567890", field="order_id", note="no context"),
        Example("1700000000123", field="imsi", note="13-digit ms timestamp"),
        Example("tracking number 460001234567890"),
        Example("IMSI 46000123456 truncated"),
    )
