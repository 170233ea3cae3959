"""HEALTH: 健康状况 / 病史 / 诊断 / diagnosis columns: named conditions (高血压, 糖尿病, HIV,
精神分裂症 …, also inside longer notes) and ICD-10 codes (J45.9).

Condition names stand on their own; ICD-10 codes and 健康/良好/有/无 need the field name."""

import re

from spillguard.detectors import _vocab as V
from spillguard.detectors._vocabulary import STRONG, WEAK, Judgement, VocabularyDetector
from spillguard.detectors.column_view import LETTER
from spillguard.detectors.base import Example as E

_ICD10 = re.compile(r"[A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?")
_TERMS = sorted((w for w in V.HEALTH if len(w) >= 2 and w != "中风"), key=len, reverse=True)  # 中风险
_CONDITION = re.compile("|".join(re.escape(w) if not w.isascii() else rf"\b{re.escape(w)}\b" for w in _TERMS))


class HealthDetector(VocabularyDetector):
    id = "health"
    entity = "HEALTH"
    description = "Health or medical condition (健康状况, 病史, 诊断; ICD-10 codes with context)"
    label = "health vocabulary"
    field_names = ("jkzk", "健康", "病史", "诊断", "疾病", "病情", "病种", "残疾", "过敏", "diagnosis",
                   "disease", "health", "medical", "illness", "icd", "icd10", "symptom", "allergy",
                   "condition", "disability", "病名")
    not_field_names = ("check", "service", "server", "node", "endpoint", "url", "probe", "cluster",
                       "host", "instance", "api", "device", "disk", "item", "product", "goods")
    text_keywords = ("健康状况", "病史", "既往史", "诊断", "疾病", "患有", "diagnosis", "diagnosed with",
                     "medical condition", "icd-10", "icd")
    strong = V.HEALTH
    weak = V.HEALTH_WEAK
    # a named condition, or an ICD-10 shape ('ı' upper-cases to 'I')
    value_gate = rf"{_CONDITION.pattern}|^[a-zı]\d\d(?:\.[0-9a-zı]{{1,4}})?$"
    value_gate_needs = (LETTER,)  # every condition and every ICD-10 code has one

    def classify(self, value: str) -> Judgement | None:
        key = V.norm(value)
        if key in self.strong:
            return key, STRONG, True
        if len(key) <= 120 and _CONDITION.search(key):
            return key, 0.85, True
        if _ICD10.fullmatch(key.upper()):
            return key.upper(), WEAK, False
        return (key, WEAK, False) if key in self.weak else None

    positives = (
        E("高血压", field="jkzk"),
        E("J45.9", field="diagnosis", note="ICD-10 code with a telling field name"),
        E("2型糖尿病，高血压3年", field="既往病史"),
        E("HIV positive", field="c8", note="a named condition stands on its own"),
        E("良好", field="健康状况"),
        E("姓名：某某 诊断：精神分裂症 床号：12", note="free text with keyword"),
        E("diagnosis: J45.9"),
    )
    negatives = (
        E("J45.9", field="c8", note="an ICD-10-shaped code without a field name"),
        E("无", field="status"),
        E("healthy", field="health"),
        E("新品", field="condition"),
        E("ok", field="healthcheck"),
        E("高血压", field="product_name"),
        E("the service health is fine, J45 release shipped", note="free text without keyword"),
    )
