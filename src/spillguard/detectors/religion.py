"""RELIGION: 宗教信仰 / zjxy / religion columns (伊斯兰教, 佛教, 基督教 …, English names).

Religion names stand on their own; 无 / none / other need the field name."""

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import Example as E


class ReligionDetector(VocabularyDetector):
    id = "religion"
    entity = "RELIGION"
    description = "Religious belief (宗教信仰: 伊斯兰教, 佛教, 基督教 …)"
    label = "religion vocabulary"
    field_names = ("zjxy", "宗教", "信仰", "religion", "religious", "faith", "zongjiao")
    text_keywords = ("宗教信仰", "宗教", "信仰", "religion", "religious affiliation", "faith", "zjxy")
    strong = V.RELIGIONS
    weak = V.RELIGION_WEAK
    positives = (
        E("伊斯兰教", field="zjxy"),
        E("佛教", field="宗教信仰"),
        E("无", field="zjxy", note="non-belief recorded in a religion field"),
        E("Muslim", field="religion"),
        E("天主教", field="c4", note="distinctive without a field name"),
        E("民族：回族；宗教信仰：伊斯兰教；", note="free text with keyword"),
        E("religion: Islam"),
    )
    negatives = (
        E("无", field="status"),
        E("none", field="c4"),
        E("有", field="zjxy"),
        E("教育", field="religion"),
        E("他每周五去清真寺，信伊斯兰教多年", note="free text without keyword"),
    )
