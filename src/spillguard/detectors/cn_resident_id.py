"""CN_RESIDENT_ID: PRC resident identity card numbers.

18 characters: MOD 11-2 check, real birth date, strict province, lenient county (see
spillguard.validators.cn_ric). The legacy 15-digit form has no check character, so it
only counts with a field name or a keyword."""

from __future__ import annotations

from dataclasses import replace

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import cn_ric

_D = "[0-9\uff10-\uff19]"  # ASCII and full-width digits
_Z = "[\u200b-\u200d\u2060\ufeff]*"  # zero-width characters pasted inside a number
_W = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"
_DZ = "[0-9\uff10-\uff19\u200b-\u200d\u2060\ufeff]"  # a digit or a zero-width character
LEGACY_TEXT_CAP = 0.75  # a 15-digit number with a keyword: likely, never certain


class CnResidentIdDetector(PatternDetector):
    id = "cn-resident-id"
    entity = "CN_RESIDENT_ID"
    description = "PRC resident ID number: MOD 11-2 check, real birth date, province code"
    field_names = (
        "sfzh", "sfzhm", "gmsfhm", "zjhm", "身份证", "身份證", "公民身份号码", "证件号码",
        "idcard", "id_card", "idno", "id_no", "idnumber", "identity", "citizenid",
    )  # fmt: skip
    text_keywords = ("身份证", "身份證", "公民身份号码", "证件号", "sfz", "id card", "id no", "idcard")
    base_score = 0.95
    # the lookahead (15 digits or zero-width characters, which every match starts with)
    # turns a shorter digit run away before the digit-by-digit loop runs
    pattern = (
        rf"(?<![{_W}])(?={_DZ}{{15}})(?P<v>{_D}(?:{_Z}{_D}){{14}}"
        rf"(?:(?:{_Z}{_D}){{2}}{_Z}[0-9\uff10-\uff19Xx\uff38\uff58])?)(?![{_W}])"
    )
    leads = cn_ric.LEADS  # no number starts with another pair of digits

    def validate(self, candidate: str) -> Verdict | None:
        r = cn_ric.validate(candidate)
        if r is None:
            return None
        if r.legacy:
            score = 0.35 if r.region_known else 0.25
            return Verdict(r.number, score, "15-digit legacy form: region, birth date; no check")
        if r.foreign:
            return Verdict(r.number, 0.85, "MOD 11-2 check, birth date: foreign permanent resident")
        if r.region_known:
            return Verdict(r.number, 0.95, "MOD 11-2 check, birth date, known region code")
        return Verdict(r.number, 0.75, "MOD 11-2 check, birth date; county code unknown")

    def scan_text(self, text: str, floor: float = 0.0):
        hits = super().scan_text(text, floor)
        return [replace(h, score=min(h.score, LEGACY_TEXT_CAP)) if len(h.value) == 15 else h for h in hits]

    positives = (
        Example("11010519491231002X", "sfzh", note="checksum X"),
        Example("440308199901011234", "guest.idCard"),
        Example("110199198001010016", "gmsfhm", note="county code unknown: lower score, kept"),
        Example("110118198001010018", "身份证号", note="county created after birth year"),
        Example("\uff16\uff15\uff10\uff11\uff10\uff14198506155551", "zjhm", note="full-width digits"),
        Example("6501\u200b04198506155551", "sfzh", note="zero-width space inside"),
        Example("110105490101123", "sfzh", note="legacy 15-digit with field name"),
        Example("住客张三，身份证号：440308199901011234，已入住"),
        Example("名单: 530128199203040018, 11010519491231002X", note="list"),
        Example("旧身份证 110105490101123", note="legacy with keyword"),
    )
    negatives = (
        Example("440308199901011235", "order_no", note="18 digits, wrong check"),
        Example("订单号 11010519900230001X", note="check right, 30 February"),
        Example("110105209901010012", "sfzh", note="birth date in the future"),
        Example("100105199001010019", "zjhm", note="province 10 does not exist"),
        Example("流水 2440308199901011234", note="inside a longer digit run"),
        Example("440308199901011234567", "txn_id", note="inside a longer digit run"),
        Example("110105490101123", "amount", note="legacy form without context"),
        Example("ref 110105490101123", note="legacy form without keyword"),
    )
