"""PatternDetector._validated: validate() once per distinct candidate, in bounded memory."""

from __future__ import annotations

from spillguard.detectors.base import PatternDetector, Verdict


class Counting(PatternDetector):
    id = "test-counting"
    entity = "TEST"
    pattern = r"\d{4}"
    MEMO_SIZE = 8

    def __init__(self):
        self.calls = 0

    def validate(self, candidate):
        self.calls += 1
        return Verdict(candidate, 0.9, "even") if int(candidate) % 2 == 0 else None


def test_a_repeated_candidate_is_validated_once_and_gives_the_same_verdict():
    d = Counting()
    text = "\n".join(["1234 5678 1235"] * 50)
    hits = d.scan_text(text)
    assert d.calls == 3
    assert [h.value for h in hits] == ["1234", "5678"] * 50


def test_the_memo_stays_bounded():
    d = Counting()
    for i in range(1000, 1100):
        d._validated(str(i))
    assert d.calls == 100 and len(d._memo) <= Counting.MEMO_SIZE
