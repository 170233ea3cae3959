"""CREDIT_CARD: 13-19 digits (contiguous or in 4-4-4-4(-3) / 4-6-5 / 4-6-4 groups), Luhn,
and an issuer (IIN) range with a length that issuer uses. The only 15-digit cards
accepted are Amex (34/37), so 15-digit IMEIs and serials are not cards; UATP (1...)
airline cards are deliberately not covered."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import luhn
from spillguard.validators.card_iin import LEADS, network


class CreditCardDetector(PatternDetector):
    id = "credit-card"
    entity = "CREDIT_CARD"
    description = "Payment card numbers: 13-19 digits, Luhn check, known issuer range and length"
    field_names = ("card_no", "cardno", "cardnumber", "银行卡号", "卡号", "信用卡", "yhkh", "pan", "creditcard", "bankcard")
    text_keywords = ("card", "credit", "visa", "mastercard", "amex", "unionpay", "信用卡", "银行卡", "卡号")
    # \d{13,19} | 4-4-4-4(-3) | 4-6-4(5), the four digits every form starts with taken
    # out front: a short digit run (a year, a time) then fails once, not once per form
    pattern = (
        r"(?<![0-9A-Za-z])(?<!\d[\-.])(?P<v>\d{4}(?:\d{9,15}"
        r"|[ \-](?:\d{4}[ \-]\d{4}[ \-]\d{4}(?:[ \-]\d{3})?"
        r"|\d{6}[ \-]\d{4,5})))"
        r"(?![0-9A-Za-z]|[\-.]\d)"
    )
    leads = LEADS  # no issuer range starts with another pair of digits

    def validate(self, candidate: str) -> Verdict | None:
        digits = candidate.replace(" ", "").replace("-", "")
        name = network(digits)  # a table lookup: cheaper than Luhn, and turns away more
        if name is None or not luhn.is_valid(digits):
            return None
        if len(digits) > 16 and digits == candidate:
            # 17-19 unbroken digits that pass Luhn are mostly IDs and order numbers (one in
            # ten does by chance): a card of that length needs a card field name or keyword
            return Verdict(digits, 0.45, f"Luhn + {name} issuer range; long unbroken number")
        return Verdict(digits, 0.85, f"Luhn + {name} issuer range")

    positives = (
        Example("4111111111111111", field="card_no"),
        Example("6222 0212 3456 7890 128", field="银行卡号", note="UnionPay 19 digits"),
        Example("5555-5555-5555-4444", field="payment"),
        Example("371449635398431", field="yhkh", note="Amex 15"),
        Example("my credit card: 4012 8888 8888 1881 exp 12/27"),
        Example("paid with 3530111333300000 yesterday"),
    )
    negatives = (
        Example("4111111111111112", field="card_no", note="Luhn fails"),
        Example("490154203237518", field="imei", note="IMEI: 15 digits, not Amex"),
        Example("1700000000123", field="ts", note="13-digit ms timestamp"),
        Example("ref 651234567890123454 ok", note="18 digits passing Luhn without a card keyword"),
        Example("6901234567892", field="barcode", note="EAN-13"),
        Example("9999999999999995", field="order_id", note="Luhn passes, no issuer"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("order 20230915123456789 shipped"),
    )
