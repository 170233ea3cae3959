"""DATE_OF_BIRTH: dates in a field named for a birth date (csrq, 出生日期, dob, birth) or
after a keyword (出生, DOB, born). A real date, not in the future, under 120 years ago.
A bare date without such context (created_at) is not a birth date."""

from __future__ import annotations

import datetime

from spillguard.detectors.column_view import column
from spillguard.detectors.base import Example, Hit, PatternDetector, Verdict
from spillguard.detectors.context import name_matches
from spillguard.validators import dates

_M = "(?:0?[1-9]|1[0-2])"
_D = "(?:0?[1-9]|[12][0-9]|3[01])"
_Y = "(?:19|20)[0-9]{2}"


def _date_rows(texts: list[str | None], raw: list) -> list[int]:
    """Rows holding a date or datetime without a text form. A column without such values
    (every column read from text) or with a text in every cell is ruled out in C."""
    if not column(texts, raw).holds_raw((datetime.date,)) or None not in texts:
        return []
    return [i for i, (t, r) in enumerate(zip(texts, raw)) if t is None and isinstance(r, datetime.date)]


class DateOfBirthDetector(PatternDetector):
    id = "date-of-birth"
    entity = "DATE_OF_BIRTH"
    description = "Birth date: a real past date under 120 years ago, with field name or keyword"
    field_names = ("csrq", "csny", "出生日期", "出生年月", "出生", "生日", "birth", "dob", "bday", "borndate")
    text_keywords = ("出生", "生日", "生于", "dob", "d.o.b", "born", "birth")
    needs_context = True
    base_score = 0.85
    pattern = (
        rf"(?<![0-9])(?P<v>{_Y}(?:[-/.]{_M}[-/.]{_D}|(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])"
        rf"|\s?年\s?{_M}\s?月\s?{_D}\s?日?)|[0-9]{{1,2}}[-/.][0-9]{{1,2}}[-/.]{_Y})(?![0-9])"
    )

    def validate(self, candidate: str) -> Verdict | None:
        d = dates.birth_date(candidate)
        return None if d is None else Verdict(d.isoformat(), 0.85, "real past date, age under 120")

    def _keyword_before(self, text: str, start: int, window: int = 48) -> str | None:
        """A keyword counts only when no other number stands between it and the date
        ("DOB: 15/06/1985, admitted 2024-01-02" makes only the first a birth date)."""
        before = text[max(0, start - window) : start].lower()
        for kw in self.text_keywords:
            at = before.rfind(kw.lower())
            if at >= 0 and not any(c.isdigit() for c in before[at + len(kw) :]):
                return kw
        return None

    def scan_column(self, texts, raw, ctx):
        """Also judge date/datetime cells (no text form) from their raw value."""
        hits, candidates, validated = super().scan_column(texts, raw, ctx)
        rows = _date_rows(texts, raw)
        named = bool(rows) and bool(name_matches(ctx.path, self.field_names))
        for i in rows:
            r = raw[i]
            d = r.date() if isinstance(r, datetime.datetime) else r
            candidates += 1
            if dates.is_birth_date(d):
                validated += 1
                score = self.base_score if named else self.weak_score
                hits.append(Hit(i, 0, 0, d.isoformat(), score, "date value", self.entity))
        return hits, candidates, validated

    positives = (
        Example("1985-06-15", "csrq"),
        Example("1990年3月7日", "出生日期"),
        Example("1972-11-30 00:00:00", "dob", note="datetime text"),
        Example("19881224", "birthDate", note="compact form"),
        Example("Patient DOB: 15/06/1985, admitted 2024-01-02"),
        Example("张三，1979年5月4日出生于北京；生日 1979/05/04"),
        Example("born 03.04.1961 in Leeds"),
    )
    negatives = (
        Example("2023-11-05", "created_at", note="date without birth context"),
        Example("1990-02-30", "csrq", note="no such date"),
        Example("2999-01-01", "dob", note="in the future"),
        Example("1890-05-05", "birth_date", note="older than 120"),
        Example("订单 2019-04-01 已发货", note="date in text without keyword"),
        Example("DOB 110105199003077777", note="inside a longer digit run"),
        Example(datetime.date(2020, 1, 1), "updated_at", note="date object, no context"),
    )
