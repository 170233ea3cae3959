"""IP_ADDRESS: IPv4 and IPv6 (with %zone and /prefix), parsed by the stdlib ``ipaddress``.

Decisions: "10.0.0.1" is an IP; a dotted quad right after "v", "version", "build",
"firmware" etc. is a version string, and dotted runs of five or more numbers (OIDs,
"1.2.3.4.5") are not IPs. The bare unspecified "::" forms are rejected: "::" is C++/Ruby/
Haskell syntax far more often than an address. An IP is a weak personal identifier:
public 0.8, private 0.6, lower for loopback, link-local, multicast and network prefixes."""

from __future__ import annotations

import re
from typing import Iterator

from spillguard.detectors.base import Example, PatternDetector, Verdict
from spillguard.validators import ip

_H = r"[0-9A-Fa-f]{1,4}"
_V4 = r"(?:\d{1,3}\.){3}\d{1,3}"
_V6 = rf"(?:(?:{_H}:){{7}}{_H}|(?:{_H}:){{6}}{_V4}|(?:{_H}(?::{_H})*)?::(?:(?:{_H}:)*(?:{_V4}|{_H}))?)"
_VERSION = re.compile(r"(?:\bv|\bver|version|build|release|firmware|fw|版本)[\s:=#]*$", re.I)
_SCORES = {"public": 0.8, "private": 0.6, "link-local": 0.4, "reserved": 0.4}


class IPAddressDetector(PatternDetector):
    id = "ip-address"
    entity = "IP_ADDRESS"
    description = "IPv4/IPv6 addresses valid per the ipaddress module, scored by scope (public/private)"
    # dotted version numbers (client_version = 11.8.8.8) look exactly like IPv4
    not_field_names = ("version", "ver", "firmware", "fw", "build", "release", "oid", "sdk", "版本")
    field_names = ("ip", "登录ip", "ip地址", "ipaddr", "ipv4", "ipv6", "remoteaddr", "clientaddr")
    sibling_names = ("mac", "user_agent", "login_time")
    text_keywords = ("ip", "ipv4", "ipv6", "ip地址")
    # the lookahead (what every form starts with: up to four hex digits, then ':' or '.')
    # turns words and numbers away before the IPv6 alternatives backtrack through them
    pattern = (
        r"(?<![0-9A-Za-z.])(?=[\dA-Fa-f]{0,4}[:.])(?P<v>"
        rf"(?<!:){_V6}(?:%[0-9A-Za-z_.\-]+)?(?:/(?:12[0-8]|1[01]\d|[1-9]?\d)(?!\d))?"
        rf"|{_V4}(?:/(?:3[0-2]|[12]?\d)(?!\d))?"
        r")(?![0-9A-Za-z:]|\.\d)"
    )

    def _candidates(self, text: str, keyed: bool = False) -> Iterator[re.Match]:
        for m in super()._candidates(text, keyed):
            if _VERSION.search(text[max(0, m.start() - 12) : m.start()]):
                continue
            yield m

    def _lifted(self, score: float) -> float:
        """A keyword never lifts a non-personal address (loopback, prefix, ...)."""
        return score if score < 0.5 else super()._lifted(score)

    def validate(self, candidate: str) -> Verdict | None:
        info = ip.validate(candidate)
        if info is None or candidate.split("/", 1)[0].split("%", 1)[0] == "::":
            return None
        if info.network:
            return Verdict(info.value, 0.2, f"IPv{info.version} network prefix ({info.scope})")
        return Verdict(info.value, _SCORES.get(info.scope, 0.05), f"IPv{info.version} {info.scope}")

    positives = (
        Example("10.0.0.1", field="ip", note="private"),
        Example("203.0.113.195", field="登录ip"),
        Example("8.8.8.8", field="client_addr", note="public"),
        Example("2400:c401::5054:ff:fe1b:b031", field="remote_addr"),
        Example("login from 223.5.5.5 at 08:00"),
        Example("Connect to [2001:db8::1]:8080"),
    )
    negatives = (
        Example("v1.2.3.4", field="version"),
        Example("version 1.2.3.4 released"),
        Example("1.3.6.1.4.1.2021", field="oid", note="SNMP OID"),
        Example("256.1.1.1", field="ip", note="octet out of range"),
        Example("std::cout << x; foo :: Int"),
        Example("550e8400-e29b-41d4-a716-446655440000", field="uuid"),
        Example("aa:bb:cc:dd:ee:ff", field="ip", note="MAC, not IPv6"),
        Example("12:34:56", field="time"),
    )
