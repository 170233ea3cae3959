"""MAC_ADDRESS: aa:bb:cc:dd:ee:ff, aa-bb-cc-dd-ee-ff, aabb.ccdd.eeff; 12 bare hex digits
only in a MAC-named field (or after the word MAC in text). Broadcast and all-zero are
rejected; randomised (locally administered) and group addresses are flagged in the reason."""

from __future__ import annotations

from spillguard.detectors.base import Example, Hit, PatternDetector, Verdict
from spillguard.validators import mac

_BARE = "bare hex"


class MACAddressDetector(PatternDetector):
    id = "mac-address"
    entity = "MAC_ADDRESS"
    description = "MAC-48 hardware addresses (colon, hyphen, Cisco dot forms; bare hex with context)"
    field_names = ("mac", "macaddr", "macaddress", "物理地址", "网卡地址", "bssid")
    sibling_names = ("imei", "imsi", "ip", "登录ip")
    text_keywords = ("mac", "hardware address", "physical address", "物理地址", "bssid")
    pattern = (
        r"(?<![0-9A-Za-z:.\-])(?P<v>"
        r"[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5}|[0-9A-Fa-f]{2}(?:-[0-9A-Fa-f]{2}){5}"
        r"|[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}|[0-9A-Fa-f]{12})"
        r"(?![0-9A-Za-z]|[:\-.][0-9A-Za-z])"
    )

    def validate(self, candidate: str) -> Verdict | None:
        canon = mac.validate(candidate)
        if canon is None:
            return None
        kind = mac.kind(canon)
        if len(candidate) == 12:
            # 12 hex digits look like many things; only a MAC field name lifts this.
            return Verdict(canon, 0.35, f"{_BARE}, {kind}")
        score = 0.6 if "group" in kind else 0.85
        return Verdict(canon, score, kind)

    def scan_text(self, text: str, floor: float = 0.0) -> list[Hit]:
        return [h for h in super().scan_text(text, floor) if not (h.reason.startswith(_BARE) and h.score < 0.5)]

    positives = (
        Example("00:1A:2B:3C:4D:5E", field="mac"),
        Example("f4-5c-89-ab-cd-ef", field="物理地址"),
        Example("0012.3456.789a", field="device"),
        Example("001A2B3C4D5E", field="wlan_mac", note="bare hex needs the field name"),
        Example("probe from da:a1:19:00:11:22 (randomised)"),
        Example("Physical address is aabb.ccdd.eeff"),
    )
    negatives = (
        Example("FF:FF:FF:FF:FF:FF", field="mac", note="broadcast"),
        Example("00:00:00:00:00:00", field="mac", note="all zero"),
        Example("001A2B3C4D5E", field="checksum", note="bare hex without context"),
        Example("10:2F:33-AC-29-C3", field="mac", note="mixed separators"),
        Example("d41d8cd98f00b204e9800998ecf8427e", field="md5"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("at 12:30:45 from fe80::aa:bb:cc:dd:ee:ff, hash 9e107d9d372bb6826bd81d3542a419d6"),
    )
