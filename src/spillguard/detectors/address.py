"""ADDRESS: Chinese addresses by their structure markers in order (省 市 区/县 镇/街道 路/街/巷
号 栋/幢 单元 楼 室) and Western street addresses (221B Baker Street, Hauptstraße 5).

Three or more markers in order stand on their own; two markers and Western addresses
need a telling field name (住址, zz, hjdz, address …) or a keyword in text."""

import re

from spillguard.detectors._vocabulary import Judgement, VocabularyDetector
from spillguard.detectors.column_view import BLANK, DIGIT, LETTER
from spillguard.detectors.base import Example as E

_LEVELS = (
    ("省", "自治区", "特别行政区"), ("市", "州", "盟", "地区"), ("区", "县", "旗"), ("镇", "乡", "街道"),
    ("路", "街", "巷", "大道", "胡同", "弄", "村", "道"), ("号",), ("栋", "幢", "座", "号楼"), ("单元",),
    ("楼", "层"), ("室", "房", "户"),
)
_CJK = re.compile(r"[\u4e00-\u9fff]")
_WESTERN = re.compile(
    r"\b\d{1,6}[A-Za-z]?(?:-\d{1,4})?,?\s+(?:[A-Z][A-Za-z'.-]*\s+){0,4}(?:Street|St|Avenue|Ave|Road|Rd|"
    r"Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Way|Terrace|Close|Crescent|Square|Sq|"
    r"Highway|Hwy|Parkway|Pkwy)\b"
    r"|\b[A-ZÄÖÜ][a-zäöüß]+(?:straße|strasse|weg|gasse|platz|allee)\s+\d{1,4}[a-z]?\b"
)


def markers(s: str) -> int:
    """How many address levels appear, in order, each after some text."""
    pos, found = 1, 0
    for level in _LEVELS:
        at = [i for i in (s.find(m, pos) for m in level) if i >= 0]
        if at:
            i = min(at)
            found += 1
            pos = i + max(len(m) for m in level if s.startswith(m, i))
    return found


def _two_markers() -> str:
    """A regex for what ``markers(s) >= 2`` needs: markers of two levels in order, the first
    after some text. NFKC and case folding keep every marker (CJK ideographs) and their
    order, so it holds on the normalised value too."""
    alts = []
    for k, level in enumerate(_LEVELS[:-1]):
        later = [m for lv in _LEVELS[k + 1 :] for m in lv]
        alts.append(f".(?:{'|'.join(level)}).*(?:{'|'.join(later)})")
    return f"(?s:{'|'.join(alts)})"


class AddressDetector(VocabularyDetector):
    id = "address"
    entity = "ADDRESS"
    description = "Postal or residential address (Chinese structure markers; Western street addresses)"
    label = "address structure"
    field_names = ("zz", "jtzz", "hjdz", "xzz", "dz", "jzd", "xjzd", "hjszd", "住址", "地址", "住所",
                   "户籍地", "居住地", "现住", "address", "addr", "street", "residence", "domicile")
    not_field_names = ("email", "mail", "ip", "ipaddr", "ipv4", "ipv6", "mac", "url", "web", "http",
                       "remote", "wallet", "contract", "memory", "hash", "邮箱", "网址", "IP地址", "ip地址")
    text_keywords = ("住址", "地址", "家庭住址", "户籍地址", "现住址", "居住地", "户籍地", "住在",
                     "address", "addr", "lives at", "resides at")
    unnamed_shape = 0.7
    # on the normalised (casefolded) value: two markers in order, or the Western shape
    value_gate = rf"{_two_markers()}|(?i:{_WESTERN.pattern})"
    value_gate_needs = (LETTER, DIGIT, BLANK)  # in ASCII only the Western shape: number, blank, street

    def classify(self, value: str) -> Judgement | None:
        s = " ".join(value.split())
        if not 5 <= len(s) <= 120:
            return None
        if len(_CJK.findall(s)) >= 4:
            n = markers(s)
            if n >= 3:
                return s, 0.9, True
            return (s, 0.6, False) if n == 2 else None
        if _WESTERN.search(s):
            return s, 0.7, False
        return None

    positives = (
        E("北京市朝阳区建国路88号", field="jtzz"),
        E("新疆维吾尔自治区乌鲁木齐市天山区解放南路12号3栋2单元501室", field="住址"),
        E("221B Baker Street, London", field="address"),
        E("1600 Pennsylvania Avenue NW", field="home_addr"),
        E("广东省深圳市南山区科技园路1号", field="c6", note="four markers in order: no field name needed"),
        E("姓名：某某 住址：浙江省杭州市西湖区文三路90号 电话：略", note="free text with keyword"),
        E("address: 221B Baker Street, London"),
    )
    negatives = (
        E("221B Baker Street", field="c6", note="Western address without a field name"),
        E("北京", field="address"),
        E("城市规划", field="c6"),
        E("10.0.0.1", field="ip_address"),
        E("someone@example.org", field="email_address"),
        E("我们在市区开了一家店", note="free text without keyword"),
    )
