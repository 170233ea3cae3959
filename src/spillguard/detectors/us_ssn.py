"""US_SSN: US social security numbers (AAA-GG-SSSS). No checksum: separated forms score
moderately, a bare 9-digit number only counts with a field name or keyword."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import us_ssn

_W = "0-9A-Za-z"
SEPARATED, BARE = 0.6, 0.3


class UsSsnDetector(PatternDetector):
    id = "us-ssn"
    entity = "US_SSN"
    description = "US social security number: area/group/serial ranges, advertising numbers"
    field_names = ("ssn", "socialsecurity", "socsec", "ssnumber", "社会安全号")
    text_keywords = ("ssn", "social security", "soc sec", "ss#", "ss no")
    base_score = SEPARATED
    pattern = (
        rf"(?<![{_W}-])(?P<v>[0-9]{{3}}-[0-9]{{2}}-[0-9]{{4}}|[0-9]{{3}} [0-9]{{2}} [0-9]{{4}}"
        rf"|[0-9]{{9}})(?![{_W}]|-[0-9])"
    )

    # a bare 9-digit number counts only right after its keyword ("SSN: 536904399"), not
    # anywhere in the 48 characters after it (the second number in "SSN 536-90-4399 acct 123456789")
    keyword_window = 16

    def validate(self, candidate: str) -> Verdict | None:
        compact = candidate.replace(" ", "-")
        if not us_ssn.is_valid(compact):  # 000/666/9xx areas, group 00, serial 0000, ads
            return None
        number = compact.replace("-", "")
        if len(compact) == 9:
            return Verdict(number, BARE, "SSN ranges; no separators")
        return Verdict(number, SEPARATED, "SSN ranges, AAA-GG-SSSS layout")

    positives = (
        Example("536-90-4399", "ssn"),
        Example("536904399", "employee_ssn", note="bare form with field name"),
        Example("Applicant SSN: 536904399", note="bare form with keyword"),
        Example("contacts 536-90-4399, 123-45-6780", note="list, no keyword"),
        Example("social security number 536 90 4399"),
    )
    negatives = (
        Example("078-05-1120", "ssn", note="Woolworth advertising number"),
        Example("666-12-3456", "ssn", note="area 666"),
        Example("ref 912-34-5678", note="area 9xx"),
        Example("536904399", "order_id", note="bare 9 digits without context"),
        Example("tracking 536904399 shipped", note="bare 9 digits without keyword"),
        Example("1536-90-4399", note="inside a longer run"),
        Example("536-90-4399-12", "part_no", note="inside a longer code"),
        Example("123-00-4567", "ssn", note="group 00"),
    )
