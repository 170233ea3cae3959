"""POLITICAL_AFFILIATION: 政治面貌 / zzmm / party columns (中共党员, 共青团员, 群众 …).

Political-status terms stand on their own; GB/T 4762 codes, yes/no flags and Western
party names (Republican, Labour) need the field name."""

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import Example as E


class PoliticalAffiliationDetector(VocabularyDetector):
    id = "political-affiliation"
    entity = "POLITICAL_AFFILIATION"
    description = "Political status or party membership (政治面貌: 中共党员, 共青团员, 群众 …)"
    label = "political status vocabulary"
    field_names = ("zzmm", "zzmmdm", "sfdy", "政治面貌", "党派", "是否党员", "党员", "party",
                   "politic", "partymember")
    not_field_names = ("third", "size", "count", "num", "id", "guest", "invite", "3rd", "host")
    text_keywords = ("政治面貌", "党派", "是否党员", "political status", "political affiliation",
                     "party membership", "party affiliation", "political party", "zzmm")
    strong = V.POLITICAL
    weak = V.POLITICAL_WEAK
    positives = (
        E("中共党员", field="zzmm"),
        E("共青团员", field="政治面貌"),
        E("13", field="zzmm", note="GB/T 4762 code 13 = 群众"),
        E("是", field="是否党员"),
        E("Republican", field="party"),
        E("中共预备党员", field="c9", note="distinctive without a field name"),
        E("姓名：某某 政治面貌：中共党员 职务：科员", note="free text with keyword"),
        E("political status: CCP member"),
    )
    negatives = (
        E("1", field="party_size"),
        E("3", field="third_party_id"),
        E("13", field="c9", note="a code without a field name"),
        E("是", field="status"),
        E("Republican", field="c9"),
        E("他是一名老党员，也是群众眼中的好干部", note="free text without keyword"),
    )
