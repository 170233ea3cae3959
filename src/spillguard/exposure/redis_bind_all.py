"""redis-bind-all: Redis listens on every network interface (bind *, 0.0.0.0, :: or none)."""

from __future__ import annotations

import ipaddress

from spillguard.exposure._redis import KIND, account, config_get, redis_reason, unknown
from spillguard.exposure.base import EXPOSED, NOT_EXPOSED, UNKNOWN, Check, CheckContext, Outcome

WILDCARDS = {"*", "0.0.0.0", "::", "::*"}


def bind_outcome(bind: str | None, port: str | None) -> Outcome:
    """The verdict for a ``bind`` and ``port`` setting (pure: unit-tested as a table)."""
    if port is not None and port.strip() == "0":
        return Outcome(NOT_EXPOSED, "no TCP listener (port 0)")
    if bind is None:
        return Outcome(UNKNOWN, "the server reports no bind setting")
    addrs = [a.lstrip("-") for a in bind.split()]  # "-addr": optional address
    wild = sorted({a for a in addrs if a in WILDCARDS})
    if not addrs or wild:
        shown = " ".join(wild) if wild else "(empty)"
        return Outcome(EXPOSED, f"bind {shown}: listens on every network interface")
    outside = [a for a in addrs if not _loopback(a)]
    if outside:
        return Outcome(NOT_EXPOSED, f"bound to {len(addrs)} specific address(es), {len(outside)} "
                                    "not loopback: make sure a firewall limits who reaches them")
    return Outcome(NOT_EXPOSED, "bound to loopback only")


def _loopback(addr: str) -> bool:
    if addr.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(addr.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


class RedisBindAll(Check):
    id = "redis-bind-all"
    kinds = (KIND,)
    title = "Redis listens on all network interfaces"
    severity = "high"
    fix = (
        "Listen only where clients are: redis.conf `bind 127.0.0.1 -::1` (add the one private "
        "address the app servers use, never 0.0.0.0/*), restart Redis, and firewall port 6379 "
        "(e.g. `ufw deny 6379` / security group) from the internet."
    )

    def run(self, ctx: CheckContext) -> Outcome:
        client = account(ctx)
        try:
            bind, port = config_get(client, "bind"), config_get(client, "port")
        except Exception as exc:
            if redis_reason(exc) in ("auth_failed", "permission_denied"):
                return unknown("CONFIG GET bind needs an account allowed to run it", exc)
            return unknown("CONFIG GET bind failed", exc)
        finally:
            client.close()
        return bind_outcome(bind, port)
