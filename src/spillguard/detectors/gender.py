"""GENDER: 性别 / xb / sex / gender columns (男/女, M/F, male/female, GB/T 2261.1 codes 1/2).

A quasi-identifier: reported only with a telling field name (or keyword in text)."""

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import Example as E


class GenderDetector(VocabularyDetector):
    id = "gender"
    entity = "GENDER"
    description = "Sex or gender (性别: 男/女, M/F, male/female, codes 1/2)"
    label = "gender vocabulary"
    field_names = ("xb", "xbdm", "性别", "sex", "gender", "xingbie")
    text_keywords = ("性别", "gender", "sex", "xb")
    unnamed = False
    strong = V.GENDER
    weak = V.GENDER_WEAK
    positives = (
        E("男", field="xb"),
        E("女", field="性别"),
        E("2", field="xb", note="GB/T 2261.1 code 2 = female"),
        E("F", field="gender"),
        E("male", field="guest.sex"),
        E("姓名：某某，性别：女，民族：汉族", note="free text with keyword"),
    )
    negatives = (
        E("男", field="c2", note="quasi-identifier: needs the field name"),
        E("1", field="flag"),
        E("M", field="size"),
        E("unisex", field="gender"),
        E("男女老少都来了", note="free text without keyword"),
    )
