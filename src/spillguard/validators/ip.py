"""IP addresses: IPv4 and IPv6 (with optional %zone and /prefix) through the stdlib
``ipaddress`` module, classified by scope.

An IP is a weak personal identifier: public addresses can point at a subscriber,
private ones at a device inside an organisation; loopback, unspecified, broadcast and
multicast addresses and network prefixes identify nobody."""

from __future__ import annotations

import ipaddress
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


def validate(text: str) -> IPInfo | None:
    """Parse ``text`` (whole string) as an IP address or interface; None when invalid."""
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
