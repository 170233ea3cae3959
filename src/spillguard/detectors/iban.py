"""IBAN: country code + 2 check digits + BBAN, contiguous or in groups separated by
spaces or hyphens; country length, BBAN structure and mod 97 checked by python-stdnum.

A grouped IBAN may be followed by an unrelated short token ("... 8901 X"), so a
candidate that fails as a whole is retried without its trailing groups."""

from __future__ import annotations

import re
from typing import Iterator

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import iban

_GROUP_SEP = re.compile(r"[ \-]")


class IBANDetector(PatternDetector):
    id = "iban"
    entity = "IBAN"
    description = "International bank account numbers valid per country length, BBAN format and mod 97"
    field_names = ("iban", "bankaccount", "accountno", "银行账号", "账号", "国际银行账号")
    text_keywords = ("iban", "account", "konto", "compte", "账号")
    base_score = 0.95
    pattern = (
        r"(?<![0-9A-Za-z])(?P<v>[A-Z]{2}\d{2}"
        r"(?:[0-9A-Z]{11,30}|(?:[ \-][0-9A-Z]{4}){2,7}(?:[ \-][0-9A-Z]{1,4})?))"
        r"(?![0-9A-Za-z])"
    )

    def _candidates(self, text: str, keyed: bool = False) -> Iterator[re.Match]:
        rx = self.regex()
        for m in super()._candidates(text, keyed):
            cand = m.group("v")
            # the national check first: validate() asks the same (cached), so a valid
            # IBAN costs one stdnum call, not two
            if iban.validate(cand) is not None or iban.validate(cand, check_country=False) is not None:
                yield m
                continue
            # retry without trailing separated groups; stop at the shortest IBAN (15)
            start = m.start("v")
            for cut in reversed([g.start() for g in _GROUP_SEP.finditer(cand)]):
                if len(cand[:cut].replace(" ", "").replace("-", "")) < 15:
                    break
                if iban.validate(cand[:cut], check_country=False) is not None:
                    shorter = rx.match(text, start, start + cut)
                    if shorter is not None and shorter.end() == start + cut:
                        yield shorter
                    break

    def validate(self, candidate: str) -> Verdict | None:
        value = iban.validate(candidate)
        if value is not None:
            return Verdict(value, self.base_score, f"{value[:2]} length, BBAN format, mod 97, national check")
        value = iban.validate(candidate, check_country=False)
        if value is None:
            return None
        # stdnum's national check failed: a BBAN check digit, or a bank code its
        # registry does not know yet (BE68539007547034 is a real-format example).
        return Verdict(value, 0.8, f"{value[:2]} length, BBAN format, mod 97; national check failed")

    positives = (
        Example("DE89370400440532013000", field="iban"),
        Example("GB29 NWBK 6016 1331 9268 19", field="bank_account"),
        Example("FR14 2004 1010 0505 0001 3M02 606", field="账号"),
        Example("NL91ABNA0417164300", field="payee"),
        Example("please pay to IBAN AL47-2121-1009-0000-0002-3569-8741 by Friday"),
        Example("this is an iban VG96 VPVG 0000 0123 4567 8901 X in a sentence"),
    )
    negatives = (
        Example("DE89370400440532013001", field="iban", note="mod 97 fails"),
        Example("GB29 NWBK 6016 1331 9268", field="iban", note="too short for GB"),
        Example("AB150120690000003111141", field="iban", note="no such country"),
        Example("SN1234567890ABCDEF", field="serial"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("ticket XY12 3456 7890 1234 5678 closed"),
    )
