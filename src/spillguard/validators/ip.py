"""IP addresses: IPv4 and IPv6 (with optional %zone and /prefix) through the stdlib
``ipaddress`` module, classified by scope.

An IP is a weak personal identifier: public addresses can point at a subscriber,
private ones at a device inside an organisation; loopback, unspecified, broadcast and
multicast addresses and network prefixes identify nobody."""

from __future__ import annotations

import ipaddress
import re
from functools import lru_cache
from typing import NamedTuple

_SHARED = ipaddress.ip_network("100.64.0.0/10")


class IPInfo(NamedTuple):
    value: str  # canonical text: compressed host address, or network with prefix
    version: int
    scope: str  # public, private, loopback, link-local, multicast, unspecified, ...
    network: bool  # a prefix shorter than a host route


def _scope(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if ip.is_unspecified:
        return "unspecified"
    if ip.is_loopback:
        return "loopback"
    if ip.is_link_local:
        return "link-local"
    if ip.is_multicast:
        return "multicast"
    if ip.version == 4 and int(ip) == 0xFFFFFFFF:
        return "broadcast"
    if ip.is_private or (ip.version == 4 and ip in _SHARED):  # RFC 6598 carrier-grade NAT: a subscriber
        return "private"
    if ip.is_global:
        return "public"
    return "reserved"


# The special ranges (private, loopback, documentation, ...) are whole /8s or coarser,
# except inside the /8s of FINE_8, where they are whole /16s except inside FINE_16, where
# they are whole /24s except inside FINE_BLOCKS (0.0.0.0 unspecified, 192.0.0.0/29 and
# friends, the broadcast address). So the scope of an address is the scope of its /8,
# /16 or /24, cached (a few thousand blocks at most).
# tests/validators/test_device_financial_validators.py checks the three sets against ipaddress.
FINE_8 = frozenset({0, 100, 169, 172, 192, 198, 203, 255})
FINE_16 = frozenset({(0, 0), (192, 0), (198, 51), (203, 0), (255, 255)})
FINE_BLOCKS = frozenset({(0, 0, 0), (192, 0, 0), (255, 255, 255)})
_OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"  # 0-255 without leading zeros
_QUAD = re.compile(r"\.".join([_OCTET] * 4))
# four dotted digit runs that are not a _QUAD (an octet over 255 or with a leading zero):
# ipaddress rejects them all, after ~15 us of raising; version strings ("7.16.841.27")
# and dotted dates are common in logs
_DIGIT_QUAD = re.compile(r"[0-9]+(?:\.[0-9]+){3}")


@lru_cache(maxsize=1 << 16)
def _block_scope(a: int, b: int, c: int) -> str:
    return _scope(ipaddress.IPv4Address(f"{a}.{b}.{c}.1"))  # .1: never the unspecified .0.0.0


def _dotted_quad(text: str) -> IPInfo | None:
    """The common case, a plain IPv4 host address, without ipaddress's per-call cost
    (its scope properties test a list of networks each): the scope of its block, cached.
    None when ``text`` is anything else (the full parser decides)."""
    m = _QUAD.fullmatch(text)
    if m is None:
        return None
    a = int(m.group(1))
    if a not in FINE_8:
        return IPInfo(text, 4, _block_scope(a, 0, 0), False)
    b = int(m.group(2))
    if (a, b) not in FINE_16:
        return IPInfo(text, 4, _block_scope(a, b, 0), False)
    c = int(m.group(3))
    if (a, b, c) in FINE_BLOCKS:
        return None
    return IPInfo(text, 4, _block_scope(a, b, c), False)


def validate(text: str) -> IPInfo | None:
    """Parse ``text`` (whole string) as an IP address or interface; None when invalid."""
    if not isinstance(text, str) or not text or len(text) > 80 or not text.isascii():
        return None
    fast = _dotted_quad(text)
    if fast is not None:
        return fast
    if _DIGIT_QUAD.fullmatch(text) and not _QUAD.fullmatch(text):
        return None
    return parse(text)


def parse(text: str) -> IPInfo | None:
    """``validate`` through ``ipaddress`` alone (also the reference the fast path is tested against)."""
    if not isinstance(text, str) or not text or len(text) > 80 or not text.isascii():
        return None
    try:
        iface = ipaddress.ip_interface(text)
    except ValueError:
        return None
    ip = iface.ip
    plen = iface.network.prefixlen
    network = plen < iface.max_prefixlen
    mapped = getattr(ip, "ipv4_mapped", None)
    host = str(mapped) if mapped is not None else ip.compressed.split("%", 1)[0]
    value = f"{host}/{plen}" if network else host
    return IPInfo(value, ip.version, _scope(ip), network)


def is_valid(text: str) -> bool:
    return validate(text) is not None
