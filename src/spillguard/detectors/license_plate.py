"""LICENSE_PLATE: Chinese motor-vehicle plates (GA 36): ordinary, new-energy small and
large, 挂/学/警/港/澳/领 suffixes, embassy plates. No checksum, but the shape (a province
character, an authority letter) is specific enough to report without context."""

from __future__ import annotations

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import plate

_AN = "0-9A-Za-z\uff10-\uff19\uff21-\uff3a\uff41-\uff5a"  # ASCII and full-width alphanumerics
_SEP = "[·・•‧.\\-－ \u3000]?"


class LicensePlateDetector(PatternDetector):
    id = "license-plate"
    entity = "LICENSE_PLATE"
    description = "Chinese vehicle licence plate: province, authority letter, GA 36 serial"
    field_names = ("hphm", "cph", "cphm", "plate", "车牌", "車牌", "号牌号码", "号牌", "號牌", "chepai")
    sibling_names = ("hpys", "hpzl", "gcsj", "kkbh", "车辆类型")
    text_keywords = ("车牌", "車牌", "号牌", "牌照", "plate")
    base_score = 0.7
    pattern = (
        rf"(?<![{_AN}])(?P<v>[{plate.PROVINCES}使]{_SEP}[{_AN}](?:{_SEP}[{_AN}]){{4,6}}"
        rf"[挂学警港澳领]?)(?![{_AN}])"
    )

    def validate(self, candidate: str) -> Verdict | None:
        kind = plate.kind(candidate)
        if kind is None:
            return None
        return Verdict(plate.normalise(candidate), 0.7, f"{kind.replace('_', '-')} plate shape")

    positives = (
        Example("京A·12345", "hphm"),
        Example("沪AD12345", "cph", note="new-energy small"),
        Example("京A12345D", "vehicle.plate", note="new-energy large"),
        Example("车辆粤B-1234挂于08:15驶入小区", note="trailer plate inside CJK text"),
        Example("过车记录：苏E 12345，浙C·1234警", note="list, police suffix"),
        Example("使224001", "号牌号码", note="embassy"),
    )
    negatives = (
        Example("京A1234", "hphm", note="serial too short"),
        Example("苏ABCDEF", "cph", note="letters only"),
        Example("京I12345 出库", note="authority letter I is not used"),
        Example("订单京A123456789", note="inside a longer code"),
        Example("北京XYZ12345", "remark", note="too many characters after the province"),
        Example("沪AO1234", note="letter O is not used"),
    )
