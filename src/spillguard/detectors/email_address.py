"""EMAIL_ADDRESS: local@domain.tld with a real-looking top-level domain."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict

# "TLDs" that are really file extensions: logo@2x.png, icon@3x.jpg.
_FILE_EXT = frozenset(
    "png jpg jpeg gif svg webp bmp ico css js json xml html htm txt pdf zip gz tar log csv".split()
)


class EmailAddressDetector(PatternDetector):
    id = "email-address"
    entity = "EMAIL_ADDRESS"
    description = "E-mail addresses: RFC 5322 dot-atom local part, DNS domain, alphabetic or IDN TLD"
    field_names = ("email", "mail", "邮箱", "电子邮件", "电子邮箱", "dzyx")
    text_keywords = ("email", "e-mail", "mail", "邮箱", "邮件")
    base_score = 0.9
    scan_from_gate_match = False  # RE2 finds the start of a match dearly here (base.py)
    pattern = (
        r"(?<![0-9A-Za-z._%+\-])(?P<v>[0-9A-Za-z._%+\-]{1,64}@"
        r"(?:[0-9A-Za-z](?:[0-9A-Za-z\-]{0,61}[0-9A-Za-z])?\.)+"
        r"(?:[A-Za-z]{2,63}|xn--[0-9A-Za-z\-]{1,59}))"
        r"(?![0-9A-Za-z\-@]|\.[0-9A-Za-z])"
    )
    # Every address holds '@', a domain label and a dot, then a top-level domain: a gate
    # starting at the '@' lets RE2 skip ahead to each '@', where the rewritten pattern
    # starts with the local part's class, read at every byte (the sparse gates' union
    # pass over clean text: 6.3 ms per MB with that one, 3.6 with this). It marks a few
    # more lines ('@functools.wraps'), where the regex then finds nothing.
    gate = r"@(?:[0-9A-Za-z](?:[0-9A-Za-z\-]{0,61}[0-9A-Za-z])?\.)+(?:[A-Za-z]{2}|xn--)"

    def validate(self, candidate: str) -> Verdict | None:
        local, _, domain = candidate.rpartition("@")
        if not local or ".." in local or local[0] == "." or local[-1] == ".":
            return None
        if len(candidate) > 254 or ".." in domain:
            return None
        if domain.rsplit(".", 1)[-1].lower() in _FILE_EXT:
            return None
        return Verdict(candidate.lower(), self.base_score, "well-formed address")

    positives = (
        Example("zhang.wei@example.com", field="email"),
        Example("li_na+news@mail.example.cn", field="邮箱"),
        Example("USER@EXAMPLE.ORG", field="contact"),
        Example("a@xn--d1acufc.xn--p1ai", field="dzyx", note="IDN domain"),
        Example("请发送到 wang.fang@example.com.cn 谢谢"),
        Example("contact: first.last@sub.example.co.uk."),
    )
    negatives = (
        Example("john..doe@example.com", field="email", note="double dot"),
        Example("admin@localhost", field="email", note="no TLD"),
        Example("logo@2x.png", field="icon", note="retina image name"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("my email is info@presidio."),
        Example("npm i @scope/pkg@1.2.3 and see .user@ mentions"),
    )
