"""AGE: 年龄 / nl / age columns of whole years 0..120 ("35", 35, "35岁", "35 years").

Numbers 0..120 are everywhere, so a column counts only with a telling field name (or a
keyword before the value in free text): it is a quasi-identifier."""

import re

from spillguard.detectors._vocabulary import WEAK, Judgement, VocabularyDetector
from spillguard.detectors.column_view import DIGIT
from spillguard.detectors.base import Example as E

_AGE = re.compile(r"(\d{1,3})(?:\.0)?\s*(?:岁|周岁|years?(?: old)?|yrs?|y)?", re.I)


class AgeDetector(VocabularyDetector):
    id = "age"
    entity = "AGE"
    description = "Age in whole years (年龄), judged from the field name"
    label = "age range 0..120"
    field_names = ("nl", "年龄", "周岁", "age", "ages", "sjnl", "nianling")
    not_field_names = ("cache", "ttl", "max", "min", "cookie", "hsts", "token", "session", "days",
                       "hours", "minutes", "seconds", "ms", "avg", "mean", "limit", "rating")
    # Not a bare English "age": HTTP logs carry "Age: 60" and "max-age=60" headers.
    text_keywords = ("年龄", "年纪", "nl", "patient age", "guest age", "age in years", "age (years)")
    unnamed = False
    value_gate = rf"(?i)^(?:{_AGE.pattern})$"  # classify() fullmatches _AGE
    value_gate_needs = (DIGIT,)

    def classify(self, value: str) -> Judgement | None:
        m = _AGE.fullmatch(value.strip())
        if m is None or int(m.group(1)) > 120:
            return None
        return str(int(m.group(1))), WEAK, False

    positives = (
        E(35, field="nl"),
        E("42", field="年龄"),
        E("7岁", field="age"),
        E(68, field="guest.age"),
        E("姓名：某某，年龄：35岁，性别：男", note="free text with keyword"),
        E("patient age: 42"),
    )
    negatives = (
        E(35, field="c3", note="a bare number: needs the field name"),
        E(35, field="page"),
        E(3600, field="age"),
        E(60, field="cache_max_age"),
        E("stage 3 of 5, page: 35", note="free text without an age keyword"),
        E("HTTP/1.1 200 OK Age: 60 Cache-Control: max-age=60", note="HTTP headers, not a person's age"),
    )
