"""MARITAL_STATUS: 婚姻状况 / hyzk / marital columns (未婚, 已婚, 离异, 丧偶 …).

A quasi-identifier: reported only with a telling field name (or keyword in text)."""

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import VocabularyDetector
from spillguard.detectors.base import Example as E


class MaritalStatusDetector(VocabularyDetector):
    id = "marital-status"
    entity = "MARITAL_STATUS"
    description = "Marital status (婚姻状况: 未婚, 已婚, 离异, 丧偶; GB/T 2261.2 codes)"
    label = "marital status vocabulary"
    field_names = ("hyzk", "hyzkdm", "婚姻", "婚否", "marital", "marriage", "married", "hunyin")
    text_keywords = ("婚姻状况", "婚姻状态", "婚否", "marital status", "hyzk")
    unnamed = False
    strong = V.MARITAL
    weak = V.MARITAL_WEAK
    positives = (
        E("已婚", field="hyzk"),
        E("离异", field="婚姻状况"),
        E("20", field="hyzk", note="GB/T 2261.2 code 20 = 已婚"),
        E("divorced", field="marital_status"),
        E("姓名：某某 婚姻状况：丧偶", note="free text with keyword"),
    )
    negatives = (
        E("已婚", field="c5", note="quasi-identifier: needs the field name"),
        E("20", field="qty"),
        E("single", field="room_type"),
        E("正常", field="hyzk"),
        E("他们去年已婚，今年离异", note="free text without keyword"),
    )
